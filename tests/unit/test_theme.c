/*
 * test_theme.c - the theme parser: colours, attributes, roles left out
 * keep the default, errors as file:line: message with the default theme
 * in force, and the shipped themes/ files all parse (default.theme is the
 * built-in table).
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "theme.h"

static void
test_parse(void **state)
{
    struct theme t, d;
    SM_ERROR(err);
    (void)state;

    theme_default(&d);
    assert_int_equal(theme_parse(&t, "# comment\n\nlist.selected  black 208 bold underline\n"
                                 "finding.error bright-red default # red\n", "my.theme", &err),
                     SM_OK);
    assert_int_equal(t.role[STYLE_SELECTED].fg, 0);
    assert_int_equal(t.role[STYLE_SELECTED].bg, 208);
    assert_int_equal(t.role[STYLE_SELECTED].attrs, THEME_BOLD | THEME_UNDERLINE);
    assert_int_equal(t.role[STYLE_ERROR].fg, 9);
    assert_int_equal(t.role[STYLE_ERROR].bg, -1);
    /* A role the file leaves out keeps the default's value. */
    assert_memory_equal(&t.role[STYLE_TITLE], &d.role[STYLE_TITLE], sizeof d.role[0]);
    assert_int_equal(theme_color("grey"), 8);
    assert_int_equal(theme_color("256"), -2);
    assert_int_equal(theme_color("purple"), -2);
}

static void
test_errors(void **state)
{
    struct theme t, d;
    SM_ERROR(err);
    (void)state;

    theme_default(&d);
    assert_int_equal(theme_parse(&t, "default default default\nlist.selectd black cyan\n",
                                 "themes/x.theme", &err), SM_EPARSE);
    assert_string_equal(err.msg, "themes/x.theme:2: unknown role list.selectd");
    assert_memory_equal(t.role, d.role, sizeof d.role);     /* default in force */
    assert_int_equal(theme_parse(&t, "title black\n", "y.theme", &err), SM_EPARSE);
    assert_string_equal(err.msg, "y.theme:1: expected ROLE FG BG [ATTRS], got 2 words");
    assert_int_equal(theme_parse(&t, "\n\ntitle black blu\n", "y.theme", &err), SM_EPARSE);
    assert_string_equal(err.msg, "y.theme:3: unknown colour blu");
    assert_int_equal(theme_parse(&t, "title black blue shiny\n", "y.theme", &err), SM_EPARSE);
    assert_string_equal(err.msg, "y.theme:1: unknown attribute shiny");
    assert_int_equal(theme_load_file(&t, "/nonexistent/z.theme", &err), SM_EIO);
    assert_int_equal(theme_load(&t, "nosuch", tl_datadir(), &err), SM_ENOTFOUND);
    assert_non_null(strstr(err.msg, "unknown theme nosuch"));
}

static void
test_shipped(void **state)
{
    static const char *const names[] = { "default", "light", "high-contrast", "mono" };
    struct theme t, d;
    SM_ERROR(err);
    (void)state;

    theme_default(&d);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (theme_load(&t, names[i], tl_datadir(), &err) != SM_OK)
            fail_msg("%s: %s", names[i], err.msg);
    }
    assert_int_equal(theme_load(&t, "default", tl_datadir(), &err), SM_OK);
    assert_memory_equal(t.role, d.role, sizeof d.role);
    /* mono uses no colour at all. */
    assert_int_equal(theme_load(&t, "mono", tl_datadir(), &err), SM_OK);
    for (int i = 0; i < STYLE_COUNT; i++) {
        assert_int_equal(t.role[i].fg, -1);
        assert_int_equal(t.role[i].bg, -1);
    }
    assert_true(t.role[STYLE_SELECTED].attrs & THEME_REVERSE);
}

/* 10 KB lines (CJK, emoji): a comment that long parses (it was "line too
 * long" past 512 bytes), and an unknown colour that long is named whole. */
static void
test_long_lines(void **state)
{
    struct theme t;
    SM_ERROR(err);
    char *word = malloc(10400), *text, *want;
    size_t n = 3300;
    (void)state;

    assert_non_null(word);
    memset(word, 'a', n);
    for (int i = 0; i < 1200; i++, n += 3)
        memcpy(word + n, "数", 3);
    for (int i = 0; i < 850; i++, n += 4)
        memcpy(word + n, "🌍", 4);
    word[n] = 0;
    assert_true(strlen(word) >= 10240);
    text = sm_strdupf("# %s\ntitle black red # %s\n", word, word);
    assert_non_null(text);
    assert_int_equal(theme_parse(&t, text, "long.theme", &err), SM_OK);
    assert_int_equal(t.role[STYLE_TITLE].bg, 1);
    free(text);
    text = sm_strdupf("\ntitle black %s\n", word);
    want = sm_strdupf("long.theme:2: unknown colour %s", word);
    assert_non_null(text);
    assert_non_null(want);
    assert_int_equal(theme_parse(&t, text, "long.theme", &err), SM_EPARSE);
    assert_string_equal(err.msg, want);
    free(text);
    free(want);
    free(word);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_shipped),
        cmocka_unit_test(test_long_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
