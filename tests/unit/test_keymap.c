/*
 * test_keymap.c - key names, script parsing, default and user bindings,
 * config errors with suggestions, and that every action the help screen
 * lists is reachable from some key.
 */
#include "testlib.h"

#include <locale.h>
#include <string.h>

#include "keymap.h"

static void
test_key_names(void **state)
{
    char buf[32];
    (void)state;

    assert_int_equal(key_parse("j"), 'j');
    assert_int_equal(key_parse("<Enter>"), TK_ENTER);
    assert_int_equal(key_parse("<C-r>"), TK_CTRL('r'));
    assert_int_equal(key_parse("<C-i>"), TK_TAB);
    assert_int_equal(key_parse("<lt>"), '<');
    assert_int_equal(key_parse("é"), 0xe9);
    assert_int_equal(key_parse("<Nope>"), SM_NONE);
    assert_int_equal(key_parse("jj"), SM_NONE);
    /* Names round-trip. */
    for (int code = TK_BASE; code < TK_LAST; code++)
        assert_int_equal(key_parse(keyname_of(code, buf, sizeof buf)), code);
    assert_string_equal(keyname_of(TK_CTRL('c'), buf, sizeof buf), "<C-c>");
    assert_string_equal(keyname_of('<', buf, sizeof buf), "<lt>");
}

static void
test_script(void **state)
{
    const char *s = "/é<Enter><Bad>";
    int code, n;
    (void)state;

    n = key_next(s, &code);
    assert_int_equal(n, 1);
    assert_int_equal(code, '/');
    n = key_next(s += n, &code);
    assert_int_equal(n, 2);
    assert_int_equal(code, 0xe9);
    n = key_next(s += n, &code);
    assert_int_equal(n, 7);
    assert_int_equal(code, TK_ENTER);
    assert_int_equal(key_next(s + n, &code), -1);
    assert_int_equal(key_next("", &code), 0);
}

static void
test_lookup_and_bind(void **state)
{
    struct keymap km;
    SM_ERROR(err);
    char buf[128];
    (void)state;

    keymap_init(&km);
    assert_int_equal(keymap_lookup(&km, KEYMAP_LIST, 'j'), ACT_MOVE_DOWN);
    assert_int_equal(keymap_lookup(&km, KEYMAP_LIST, TK_DOWN), ACT_MOVE_DOWN);
    assert_int_equal(keymap_lookup(&km, KEYMAP_GLOBAL, 'j'), ACT_NONE);
    assert_int_equal(keymap_lookup(&km, KEYMAP_FINDINGS, 'f'), ACT_FIX);
    assert_int_equal(keymap_bind(&km, "list", "J", "move-down", &err), SM_OK);
    assert_int_equal(keymap_bind(&km, "list", "j", "none", &err), SM_OK);
    assert_int_equal(keymap_lookup(&km, KEYMAP_LIST, 'J'), ACT_MOVE_DOWN);
    assert_int_equal(keymap_lookup(&km, KEYMAP_LIST, 'j'), ACT_NONE);
    /* The help text follows the user's bindings. */
    keymap_keys(&km, KEYMAP_LIST, ACT_MOVE_DOWN, buf, sizeof buf);
    assert_string_equal(buf, "J <Down>");
    assert_int_equal(keymap_bind(&km, "list", "J", "movedown", &err), SM_EINVAL);
    assert_string_equal(err.msg, "unknown action movedown; did you mean move-down?");
    assert_int_equal(keymap_bind(&km, "lists", "J", "quit", &err), SM_EINVAL);
    assert_non_null(strstr(err.msg, "unknown key map lists"));
    assert_int_equal(keymap_bind(&km, "list", "<Nope>", "quit", &err), SM_EINVAL);
    assert_string_equal(err.msg, "unknown key <Nope>");
}

static void
test_tables(void **state)
{
    (void)state;
    /* Every action but none has a name, help and at least one key. */
    for (int a = 1; a < ACT_COUNT; a++) {
        bool bound = false;
        assert_non_null(action_names[a]);
        assert_true(strlen(action_help[a]) > 3);
        assert_int_equal(action_parse(action_names[a]), a);
        for (int i = 0; i < keymap_ndefaults; i++)
            bound |= keymap_defaults[i].action == (enum action)a;
        if (!bound)
            fail_msg("action %s has no default key", action_names[a]);
    }
    /* No key is bound twice in one map. */
    for (int i = 0; i < keymap_ndefaults; i++)
        for (int j = i + 1; j < keymap_ndefaults; j++)
            assert_false(keymap_defaults[i].map == keymap_defaults[j].map &&
                         keymap_defaults[i].key == keymap_defaults[j].key);
}

/* Many multibyte keys bound to one action: the list of its keys holds
 * whole key names only, never one cut mid-character at the buffer's end. */
static void
test_keys_whole(void **state)
{
    static const char *const keys[] = { "数", "据", "库", "表", "🌍", "🌏", "é", "ß", "ж", "語" };
    struct keymap km;
    SM_ERROR(err);
    char buf[32], all[256], *p;
    (void)state;

    keymap_init(&km);
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        assert_int_equal(keymap_bind(&km, "global", keys[i], "quit", &err), SM_OK);
    keymap_keys(&km, KEYMAP_GLOBAL, ACT_QUIT, all, sizeof all);
    assert_non_null(strstr(all, "数 据 库 表 🌍 🌏 é ß ж 語"));
    keymap_keys(&km, KEYMAP_GLOBAL, ACT_QUIT, buf, sizeof buf);
    assert_true(strlen(buf) > 0 && strlen(buf) < sizeof buf);
    assert_int_equal(sm_utf8_invalid(buf), -1);
    /* a prefix of the whole list, ending at a name's end */
    assert_memory_equal(buf, all, strlen(buf));
    assert_true(all[strlen(buf)] == ' ');
    for (p = strtok(buf, " "); p; p = strtok(NULL, " ")) {
        bool bound = false;
        for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
            bound |= strcmp(p, keys[i]) == 0;
        assert_true(bound || strcmp(p, "q") == 0);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_names),
        cmocka_unit_test(test_script),
        cmocka_unit_test(test_lookup_and_bind),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_keys_whole),
    };
    setlocale(LC_ALL, "");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
