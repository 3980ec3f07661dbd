/*
 * test_tui_long.c - 10 KB names and descriptions (ASCII, CJK, emoji)
 * through the TUI's text paths that used fixed-size buffers: the form's
 * line and its texts (value, original value, error, title), the edit form
 * of an object with such values, the messages naming it (added, undone),
 * and the export menu's file name with a path past 256 bytes. Without a
 * terminal, on tui_harness.h.
 */
#include "testlib.h"
#include "tui_harness.h"

#include <sys/stat.h>

/* unit repeated up to at least bytes bytes (heap). */
static char *
repeat(const char *unit, size_t bytes)
{
    size_t n = strlen(unit), k = (bytes + n - 1) / n;
    char *s = malloc(k * n + 1);

    assert_non_null(s);
    for (size_t i = 0; i < k; i++)
        memcpy(s + i * n, unit, n);
    s[k * n] = 0;
    return s;
}

static int32_t
field(struct harness *h, const char *label)
{
    for (int i = 0; i < h->t->form.n; i++)
        if (strcmp(h->t->form.f[i].label, label) == 0)
            return i;
    fail_msg("no field %s", label);
    return -1;
}

/* Add a dataset through the form with a 10 KB ASCII name, a 10 KB CJK
 * description and a 10 KB emoji owner; all three arrive whole, the edit
 * form shows them whole, and a 10 KB bad tier is named whole in the
 * field's error. */
static void
test_form_10k(void **state)
{
    struct harness *h = *state;
    struct form *f = &h->t->form;
    char *a = repeat("a", 10240), *c = repeat("数", 10240), *e = repeat("🌍", 10240);
    char *want;
    int32_t d;

    feed(h, "a");
    assert_true(f->open);
    feed(h, a);
    to_field(h, "description");
    feed(h, c);
    to_field(h, "owner");
    feed(h, e);
    tui_draw(h->t, h->s);                       /* drawn with 10 KB fields */
    assert_int_equal(strlen(f->f[0].in.buf), 10240);
    feed(h, "<Enter>");
    assert_false(f->open);
    d = model_dataset(h->m, a);
    assert_true(d >= 0);
    assert_string_equal(h->m->datasets[d].description, c);
    assert_string_equal(h->m->datasets[d].owner, e);
    want = sm_strdupf("added dataset %s", a);
    assert_non_null(strstr(tui_message(h->t), want));
    free(want);

    /* the edit form: title, key and values whole */
    view_select_row(h->t, &h->t->views[0], d);
    feed(h, "e");
    assert_true(f->open);
    assert_non_null(strstr(f->title, a));
    assert_string_equal(f->f[0].in.buf, a);
    assert_string_equal(f->f[field(h, "description")].in.buf, c);
    assert_string_equal(f->f[field(h, "description")].orig, c);
    assert_string_equal(f->f[field(h, "owner")].in.buf, e);
    tui_draw(h->t, h->s);
    /* a 10 KB unknown tier: the field's error names it whole */
    to_field(h, "tier");
    feed(h, "<C-u>");
    feed(h, e);
    feed(h, "<Tab>");
    want = sm_strdupf("tier: unknown tier %s", e);
    assert_non_null(strstr(f->error, want));
    free(want);
    tui_draw(h->t, h->s);
    feed(h, "<C-u><Tab>");
    /* the description grows by one character and is saved whole */
    to_field(h, "description");
    feed(h, "<C-e>!<Enter>");
    assert_false(f->open);
    want = sm_strdupf("%s!", c);
    assert_string_equal(h->m->datasets[d].description, want);
    free(want);
    /* undo names the edit whole (the undo entry's text is on the heap) */
    feed(h, "u");
    assert_string_equal(h->m->datasets[d].description, c);
    want = sm_strdupf("undone: dataset set %s description=%s!", a, c);
    assert_non_null(strstr(tui_message(h->t), want));
    free(want);
    free(a);
    free(c);
    free(e);
}

/* The export menu's file name: the focus diagram's default name carries a
 * long CJK dataset name whole, and a path of more than 256 bytes typed in
 * the prompt is written to as typed. */
static void
test_export_long_path(void **state)
{
    struct harness *h = *state;
    char dir[] = "/tmp/tui-long-XXXXXX", old[4096];
    char *name = repeat("数", 198), *sub = repeat("d", 200), *want, *path, *msg;
    struct stat st;
    int32_t d;

    assert_non_null(getcwd(old, sizeof old));
    assert_non_null(mkdtemp(dir));
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(mkdir(sub, 0700), 0);
    feed(h, "a");
    feed(h, name);
    feed(h, "<Enter>");
    d = model_dataset(h->m, name);
    assert_true(d >= 0);
    view_select_row(h->t, &h->t->views[0], d);
    feed(h, "x<Down><Enter>");                  /* the diagram around the dataset */
    assert_int_equal(h->t->prompt, PROMPT_FILE);
    want = sm_strdupf("sovmap-%s.svg", name);
    assert_string_equal(h->t->input.buf, want);
    path = sm_strdupf("%s/%s", sub, want);
    assert_true(strlen(path) > 256);
    feed(h, "<C-u>");
    feed(h, path);
    tui_draw(h->t, h->s);
    feed(h, "<Enter>");
    assert_int_equal(h->t->prompt, PROMPT_NONE);
    msg = sm_strdupf("exported svg to %s", path);
    assert_non_null(strstr(tui_message(h->t), msg));
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 0);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(sub), 0);
    assert_int_equal(chdir(old), 0);
    assert_int_equal(rmdir(dir), 0);
    free(msg);
    free(path);
    free(want);
    free(name);
    free(sub);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_form_10k, setup120, teardown),
        cmocka_unit_test_setup_teardown(test_export_long_path, setup120, teardown),
    };
    setlocale(LC_ALL, "");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
