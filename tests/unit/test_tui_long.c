/*
 * test_tui_long.c - 10 KB names and descriptions (ASCII, CJK, emoji)
 * through the TUI's text paths that used fixed-size buffers: the form's
 * line and its texts (value, original value, error, title), the edit form
 * of an object with such values, the messages naming it (added, undone),
 * and the export menu's file name with a path past 256 bytes; a 10 KB
 * dataset name through the view filter (typed past 256 bytes), the
 * findings filter, the status line, the detail pane, scenario mode's diff
 * cells and the pager (one 10 KB line, wrapped). Without a terminal, on
 * tui_harness.h.
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

/* ---- a 10 KB name through the lists, the detail pane, scenarios, pager ---- */

static char *long_name, *long_desc, *long_field;

/* Is s valid UTF-8 (no character cut)? */
static bool
utf8_whole(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2
              : (*p & 0xF8) == 0xF0 ? 3 : -1;
        if (n < 0)
            return false;
        p++;
        for (; n > 0; n--, p++)
            if ((*p & 0xC0) != 0x80)
                return false;
    }
    return true;
}

/* The name: 3,500 bytes of ASCII, 1,100 CJK characters, 850 emoji, then
 * "-zzend" (over 10 KB); EU data with its primary in the US (a finding).
 * A decoy shares the name's first 400 x's: a filter cut to 256 bytes
 * matches both. */
static int
setup_long(void **state)
{
    struct model *m = tl_small_model();
    char *x = repeat("x", 3600), *c = repeat("数", 3300), *e = repeat("🌍", 3400);
    char *decoy = repeat("x", 400), *dname = sm_strdupf("decoy-%s", decoy);
    int32_t id, fid;
    struct placement p;

    build(m);
    long_name = sm_strdupf("long-%s%s%s-zzend", x, c, e);
    long_desc = repeat("数🌍", 10240);
    long_field = repeat("字", 300);
    assert_true(strlen(long_name) > 10240);
    id = dataset(m, long_name, "restricted", "EU", "fleet");
    assert_int_equal(model_set(m, OBJ_DATASET, id, "description", long_desc, NULL), SM_OK);
    assert_int_equal(model_add_field(m, id, long_field, &fid, NULL), SM_OK);
    assert_int_equal(model_add_tag(m, id, fid, "pii.email", "", "", "", NULL, NULL), SM_OK);
    model_placement_init(&p);
    p.dataset = id;
    p.region = model_region(m, "aws:us-east-1");
    p.role = ROLE_PRIMARY;
    assert_int_equal(model_add_placement(m, &p, NULL, NULL), SM_OK);
    dataset(m, dname, "public", "EU", "fleet");
    free(x);
    free(c);
    free(e);
    free(decoy);
    free(dname);
    *state = harness_new_model(120, 40, m);
    return 0;
}

static int
teardown_long(void **state)
{
    free(long_name);
    free(long_desc);
    free(long_field);
    long_name = long_desc = long_field = NULL;
    return teardown(state);
}

/* Screen row y as text (the text layer's line y). */
static char *
screen_row(struct harness *h, int y)
{
    size_t size = screen_text(h->s, NULL, 0) + 1, n;
    char *all = malloc(size), *p = all, *row;

    assert_non_null(all);
    screen_text(h->s, all, size);
    for (int i = 0; i < y && p; i++)
        if ((p = strchr(p, '\n')) != NULL)
            p++;
    assert_non_null(p);
    n = strcspn(p, "\n");
    row = sm_strdupf("%.*s", (int)n, p);
    free(all);
    return row;
}

/* A filter typed past 256 bytes (ASCII then CJK) is kept whole and still
 * matches: the decoy matching its first 256 bytes is not listed. The
 * status line names it, cut between characters. A findings filter for
 * the name's end (past 1 KB of the finding's text) finds its finding. */
static void
test_filter_long(void **state)
{
    struct harness *h = *state;
    struct view *v = &h->t->views[0], *fv = &h->t->views[4];
    char *x = repeat("x", 300), *needle = sm_strdupf("%s数数数", x), *row;
    int32_t id = model_dataset(h->m, long_name);

    assert_true(id >= 0);
    assert_true(strlen(needle) > 256);
    feed(h, "1/");
    feed(h, needle);
    feed(h, "<Enter>");
    assert_string_equal(v->filter, needle);
    assert_int_equal(v->nrows, 1);
    assert_int_equal(v->rows[0], id);
    /* a filter of the 300 x's alone lists both */
    feed(h, "/<C-u>");
    feed(h, x);
    feed(h, "<Enter>");
    assert_int_equal(v->nrows, 2);
    feed(h, "/");
    feed(h, "数数数<Enter>");
    assert_string_equal(v->filter, needle);
    assert_int_equal(v->nrows, 1);
    tui_draw(h->t, h->s);
    row = screen_row(h, h->s->h - 2);
    assert_true(utf8_whole(row));
    assert_non_null(strstr(row, " Datasets 1/1, filter \"xxxxxxxxxx"));
    free(row);
    /* the list's cell: the name cut to its column, between characters */
    row = screen_row(h, 2);
    assert_true(utf8_whole(row));
    assert_non_null(strstr(row, "long-xxxxxxxx"));
    free(row);
    feed(h, "<Esc>");
    assert_string_equal(v->filter, "");
    assert_true(v->nrows > 2);

    feed(h, "5/zzend<Enter>");
    assert_string_equal(fv->filter, "zzend");
    assert_true(fv->nrows >= 1);
    for (int32_t i = 0; i < fv->nrows; i++)
        assert_non_null(strstr(h->t->res->findings[fv->rows[i]].selector, long_name));
    tui_draw(h->t, h->s);
    free(needle);
    free(x);
}

static const struct detail_line *
detail_line_labelled(const struct detail *d, const char *label)
{
    for (int i = 0; i < d->n; i++)
        if (strcmp(d->line[i].label, label) == 0)
            return &d->line[i];
    fail_msg("no detail line %.40s", label);
    return NULL;
}

/* The detail pane holds the name, description, field name (a label) and
 * the copy's finding whole; zoomed, it draws them (valid UTF-8). */
static void
test_detail_long(void **state)
{
    struct harness *h = *state;
    struct detail *d = &h->t->detail;
    int32_t id = model_dataset(h->m, long_name);
    char *want, *row;
    bool found = false;

    view_select_row(h->t, &h->t->views[0], id);
    tui_draw(h->t, h->s);
    assert_non_null(d->title);
    assert_non_null(strstr(d->title, long_name));
    assert_string_equal(d->line[0].label, "name");
    assert_string_equal(d->line[0].text, long_name);
    assert_string_equal(detail_line_labelled(d, "description")->text, long_desc);
    assert_string_equal(detail_line_labelled(d, long_field)->text, "pii.email");
    want = sm_strdupf("%s@aws:us-east-1", long_name);
    for (int i = 0; i < d->n; i++)
        found |= d->line[i].ref == REF_FINDING && strstr(d->line[i].text, want) != NULL;
    assert_true(found);
    free(want);
    /* zoomed: the pane over the whole screen, every row whole characters */
    feed(h, "<Tab>z");
    tui_draw(h->t, h->s);
    for (int y = 0; y < h->s->h; y++) {
        row = screen_row(h, y);
        assert_true(utf8_whole(row));
        free(row);
    }
}

/* In scenario mode a copy of the long dataset added in Brazil: the diff's
 * new finding names the copy whole (its cell is not cut to 300 bytes). */
static void
test_scenario_long(void **state)
{
    struct harness *h = *state;
    int32_t id = model_dataset(h->m, long_name);
    char *want;

    feed(h, "8s");
    assert_true(h->t->scen.on);
    view_select_row(h->t, &h->t->views[0], id);
    feed(h, "1c");
    assert_true(h->t->form.open);
    feed(h, "aws:sa-e<Tab><Down>replica<Enter>");
    if (h->t->form.open)
        fail_msg("form still open: %s", h->t->form.error);
    assert_true(model_placement(h->t->m, "x") < 0);
    want = sm_strdupf("%s@aws:sa-east-1", long_name);
    assert_true(model_placement(h->t->m, want) >= 0);
    assert_true(model_placement(h->m, want) < 0);
    assert_non_null(strstr(tui_message(h->t), long_name));
    feed(h, "d");
    assert_int_equal(h->t->dialog.mode, DIALOG_PAGER);
    assert_non_null(strstr(h->t->dialog.text, want));
    tui_draw(h->t, h->s);
    free(want);
}

/* The pager shows a 10 KB line wrapped: its rows are the line whole, cut
 * between characters, each fitting the width; G shows its end. */
static void
test_pager_long_line(void **state)
{
    struct harness *h = *state;
    struct dialog *d = &h->t->dialog;
    char *text = sm_strdupf("%s\nafter\n", long_name), *got, *row;
    size_t len = 0;
    bool end = false;

    pager_open(h->t, "long", text);
    tui_draw(h->t, h->s);
    assert_int_equal(d->mode, DIALOG_PAGER);
    assert_false(d->nowrap);
    assert_true(d->nrows > 10);
    got = calloc(strlen(long_name) + 1, 1);
    assert_non_null(got);
    for (int32_t r = 0; r < d->nrows && d->rows[r].line == d->rows[0].line; r++) {
        const char *seg = d->text + d->rows[r].off;
        assert_true(((unsigned char)seg[0] & 0xC0) != 0x80);
        assert_true(text_widthn(seg, d->rows[r].len) <= h->s->w - 8);
        memcpy(got + len, seg, d->rows[r].len);
        len += d->rows[r].len;
    }
    assert_string_equal(got, long_name);
    free(got);
    feed(h, "G");
    tui_draw(h->t, h->s);
    for (int y = 0; y < h->s->h; y++) {
        row = screen_row(h, y);
        assert_true(utf8_whole(row));
        end |= strstr(row, "-zzend") != NULL;
        free(row);
    }
    assert_true(end);
}

/* A script with an unknown key followed by the 10 KB name: the error
 * quotes the rest of the script whole (it was cut at 20 bytes, which can
 * fall inside a character). */
static void
test_script_error_long(void **state)
{
    struct harness *h = *state;
    SM_ERROR(err);
    char *script = sm_strdupf("<Nope>%s", long_name);
    char *want = sm_strdupf("unknown key in script at \"<Nope>%s\"", long_name);

    assert_non_null(script);
    assert_non_null(want);
    assert_int_equal(tui_feed(h->t, script, &err), SM_EINVAL);
    assert_string_equal(err.msg, want);
    free(script);
    free(want);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_form_10k, setup120, teardown),
        cmocka_unit_test_setup_teardown(test_export_long_path, setup120, teardown),
        cmocka_unit_test_setup_teardown(test_filter_long, setup_long, teardown_long),
        cmocka_unit_test_setup_teardown(test_detail_long, setup_long, teardown_long),
        cmocka_unit_test_setup_teardown(test_scenario_long, setup_long, teardown_long),
        cmocka_unit_test_setup_teardown(test_pager_long_line, setup_long, teardown_long),
        cmocka_unit_test_setup_teardown(test_script_error_long, setup_long, teardown_long),
    };
    setlocale(LC_ALL, "");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
