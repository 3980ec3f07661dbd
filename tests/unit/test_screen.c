/*
 * test_screen.c - the cell grid: column widths of UTF-8 text, wide
 * characters, escapes of control bytes and bad sequences, cutting with
 * the ellipsis, repairs of half-overwritten wide characters, the text and
 * style layers of snapshots.
 */
#include "testlib.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen.h"

static char *
row_text(const struct screen *s, int y)
{
    static char buf[4096];
    char *all = malloc(screen_text(s, NULL, 0) + 1), *p;
    int k = 0;

    screen_text(s, all, screen_text(s, NULL, 0) + 1);
    p = all;
    while (k < y && (p = strchr(p, '\n')))
        p++, k++;
    snprintf(buf, sizeof buf, "%.*s", (int)strcspn(p, "\n"), p);
    free(all);
    return buf;
}

static void
test_widths(void **state)
{
    (void)state;
    assert_int_equal(text_width("orders"), 6);
    assert_int_equal(text_width("ñandú"), 5);          /* 7 bytes, 5 columns */
    assert_int_equal(text_width("名前"), 4);            /* wide: 2 columns each */
    assert_int_equal(text_width("a\nb"), 4);           /* \n shown escaped */
    assert_int_equal(text_width("\x1b[31m"), 6);       /* \e[31m */
    assert_int_equal(text_width("\xff"), 4);           /* \xff */
    assert_int_equal(text_width(""), 0);
    assert_int_equal(text_width(NULL), 0);
    assert_int_equal((int)text_fit("名前x", 3), 3);    /* only 名 fits in 3 */
    assert_int_equal((int)text_fit("abc", 10), 3);
}

static void
test_put_and_cut(void **state)
{
    struct screen *s = screen_new(12, 3);
    (void)state;

    assert_int_equal(screen_put(s, 0, 0, 12, 1, "short"), 5);
    assert_string_equal(row_text(s, 0), "short");
    assert_int_equal(screen_put(s, 0, 1, 6, 2, "a-long-name"), 6);
    assert_string_equal(row_text(s, 1), "a-lon…");
    /* A wide char that would straddle the cut leaves a blank before "…". */
    assert_int_equal(screen_put(s, 0, 2, 5, 0, "ab名前"), 5);
    assert_string_equal(row_text(s, 2), "ab名…");
    screen_fill(s, 0, 2, 12, 0);
    assert_int_equal(screen_put(s, 0, 2, 4, 0, "ab名前"), 4);
    assert_string_equal(row_text(s, 2), "ab …");
    assert_int_equal(screen_at(s, 0, 1)->style, 2);
    /* Clipped at the right edge of the grid. */
    assert_int_equal(screen_put(s, 10, 0, 40, 0, "xyz"), 2);
    assert_string_equal(row_text(s, 0), "short     x…");
    screen_free(s);
}

static void
test_wide_repair(void **state)
{
    struct screen *s = screen_new(6, 1);
    (void)state;

    screen_put(s, 0, 0, 6, 0, "名前");
    assert_int_equal(screen_at(s, 0, 0)->width, 2);
    assert_int_equal(screen_at(s, 1, 0)->width, 0);
    /* Writing over the second half of 名 blanks its first half. */
    screen_put(s, 1, 0, 1, 0, "x");
    assert_string_equal(row_text(s, 0), " x前");
    /* A wide char with one column left does not fit: it is cut. */
    screen_put(s, 5, 0, 1, 0, "前");
    assert_int_equal(screen_at(s, 5, 0)->cp, 0x2026);
    screen_free(s);
}

static void
test_escapes(void **state)
{
    struct screen *s = screen_new(30, 1);
    (void)state;

    screen_put(s, 0, 0, 30, 0, "a\tb\x01\xc3(");
    assert_string_equal(row_text(s, 0), "a\\tb\\x01\\xc3(");
    screen_free(s);
}

static void
test_snapshot_layers(void **state)
{
    struct screen *s = screen_new(8, 2);
    char *snap;
    (void)state;

    screen_put(s, 0, 0, 8, 3, "hi");
    screen_fill(s, 0, 1, 3, 1);
    screen_style(s, 1, 1, 1, 27);
    snap = screen_snapshot(s);
    assert_string_equal(snap, "# 8x2\nhi\n\n--- style\ncc\naAa\n");
    free(snap);
    assert_int_equal(screen_resize(s, 20, 5), SM_OK);
    assert_int_equal(s->w, 20);
    assert_int_equal(screen_at(s, 0, 0)->cp, ' ');
    assert_null(screen_at(s, 20, 0));
    screen_free(s);
    screen_free(NULL);
}

static void
test_ascii_locale(void **state)
{
    struct screen *s = screen_new(6, 1);
    (void)state;

    setlocale(LC_ALL, "C");
    assert_false(text_utf8());
    assert_string_equal(text_sym("│", "|"), "|");
    screen_put(s, 0, 0, 4, 0, "abcdef");
    assert_string_equal(row_text(s, 0), "abc~");
    /* UTF-8 bytes cannot be decoded: shown escaped, never raw. */
    assert_int_equal(text_width("é"), 8);
    setlocale(LC_ALL, "");
    screen_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_widths),
        cmocka_unit_test(test_put_and_cut),
        cmocka_unit_test(test_wide_repair),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_snapshot_layers),
        cmocka_unit_test(test_ascii_locale),
    };
    setlocale(LC_ALL, "");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
