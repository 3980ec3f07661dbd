/*
 * test_rule_text.c - the shipped rule texts (data/rules/explain): every
 * built-in rule has one, titled with its id, title and default severity as
 * rules.h has them, with a law line; ids that could leave the directory
 * are refused before any file is opened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "check.h"
#include "rule_text.h"
#include "rules.h"

static void
test_every_rule(void **state)
{
    (void)state;
    for (int i = 0; i < RULE_COUNT; i++) {
        char *text = NULL, head[256];
        SM_ERROR(e);
        if (rule_text_load(tl_datadir(), rule_names[i], &text, &e) != SM_OK)
            fail_msg("%s: %s", rule_names[i], e.msg);
        /* "RES001 — title [error]": the doc's heading starts with the id */
        snprintf(head, sizeof head, "%s — ", rule_names[i]);
        assert_memory_equal(text, head, strlen(head));
        snprintf(head, sizeof head, "[%s]\n", severity_names[rule_default_severity[i]]);
        if (!strstr(text, head))
            fail_msg("%s: the heading does not give severity %s", rule_names[i], head);
        assert_non_null(strstr(text, "\n- law: "));
        free(text);
    }
}

static void
test_bad_ids(void **state)
{
    static const char *const bad[] = {
        "", "../rules/default", "RES001/../../x", "res001", "RES001.txt", "A B", NULL,
    };
    (void)state;
    for (int i = 0; bad[i]; i++) {
        char *text = (char *)"untouched";
        SM_ERROR(e);
        assert_int_equal(rule_text_load(tl_datadir(), bad[i], &text, &e), SM_ENOTFOUND);
        assert_string_equal(text, "untouched");
        assert_non_null(strstr(e.msg, "no explanation"));
    }
    {
        char *text = NULL;
        SM_ERROR(e);
        assert_int_equal(rule_text_load(tl_datadir(), "ZZZ999", &text, &e), SM_ENOTFOUND);
        assert_null(text);
        assert_int_equal(rule_text_load("/nonexistent-sovmap-dir", "RES001", &text, &e),
                         SM_ENOTFOUND);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_rule),
        cmocka_unit_test(test_bad_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
