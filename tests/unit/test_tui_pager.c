/*
 * test_tui_pager.c - the TUI's pager (wrap, sideways scroll, search, full
 * pages), the `:` line (history in a file, completion, :help), messages
 * that expire, and the forms' field checks, without a terminal, on the
 * harness test_tui_views.c uses too (tui_harness.h).
 */
#include "testlib.h"
#include "tui_harness.h"

/* The screen's text, for looking things up in it. */
static char *
screen_now(struct harness *h)
{
    size_t n;
    char *buf;

    tui_draw(h->t, h->s);
    n = screen_text(h->s, NULL, 0) + 1;
    buf = malloc(n);
    assert_non_null(buf);
    screen_text(h->s, buf, n);
    return buf;
}

static bool
on_row(struct harness *h, int y, const char *text)
{
    char row[1024];
    size_t k = 0;

    for (int x = 0; x < h->s->w && k < sizeof row - 1; x++) {
        uint32_t cp = screen_at(h->s, x, y)->cp;
        row[k++] = cp && cp < 128 ? (char)cp : ' ';
    }
    row[k] = 0;
    return strstr(row, text) != NULL;
}

static bool
on_screen(struct harness *h, const char *text)
{
    char *s = screen_now(h);
    bool yes = strstr(s, text) != NULL;
    free(s);
    return yes;
}

/* True when the pager's text area (columns 4 to w-4), its rows joined
 * with single spaces, reads text: a wrapped line reads whole. */
static bool
in_pager(struct harness *h, const char *text)
{
    char *joined = calloc(1, (size_t)(h->s->w * h->s->h) + 1);
    size_t k = 0;
    bool yes;

    assert_non_null(joined);
    tui_draw(h->t, h->s);
    for (int y = 3; y < h->s->h - 3; y++) {
        for (int x = 4; x < h->s->w - 4; x++) {
            uint32_t cp = screen_at(h->s, x, y)->cp;
            char c = cp && cp < 128 ? (char)cp : cp ? '?' : ' ';
            if (c == ' ' && (k == 0 || joined[k - 1] == ' '))
                continue;
            joined[k++] = c;
        }
        if (k && joined[k - 1] != ' ')
            joined[k++] = ' ';
    }
    joined[k] = 0;
    yes = strstr(joined, text) != NULL;
    free(joined);
    return yes;
}

/* ---- the pager ------------------------------------------------------------------ */

/* Long lines wrap by default: a broken scenario's reason can be read. */
static void
test_pager_wrap_search(void **state)
{
    struct harness *h = *state;
    struct dialog *d = &h->t->dialog;

    tui_draw(h->t, h->s);
    feed(h, ":long<Enter>");
    assert_int_equal(d->mode, DIALOG_PAGER);
    assert_false(d->nowrap);
    assert_int_equal(d->nlines, 60);
    if (h->s->w < 120)
        assert_true(d->nrows > 60);     /* line 40 takes more than one row */
    feed(h, "/no copy<Enter>");
    assert_true(d->match >= 0);
    assert_int_equal(d->rows[d->match].line, 39);
    assert_true(d->match >= d->top && d->match < d->top + h->s->h - 6);
    snap(h, "pager-search");
    assert_true(in_pager(h, "cannot apply: loyalty_members has no copy in aws:us-east-1"));
    feed(h, "q");
    assert_int_equal(d->mode, DIALOG_NONE);
}

/* g/G/Home/End go to the ends, PgDn/PgUp move a full page. */
static void
test_pager_keys(void **state)
{
    struct harness *h = *state;
    struct dialog *d = &h->t->dialog;
    int page = h->s->h - 6;
#define CLAMPED(k) ((k) * page < d->nrows - page ? (k) * page : d->nrows - page)

    tui_draw(h->t, h->s);
    feed(h, ":long<Enter>");
    assert_int_equal(d->top, 0);
    feed(h, "<PgDn>");
    assert_int_equal(d->top, CLAMPED(1));
    feed(h, "<Space>");
    assert_int_equal(d->top, CLAMPED(2));
    feed(h, "<PgUp>");
    assert_int_equal(d->top, CLAMPED(2) - page > 0 ? CLAMPED(2) - page : 0);
    feed(h, "<End>");
    assert_int_equal(d->top, d->nrows - page);
    assert_true(on_screen(h, "line 60 of the output"));
    assert_true(on_screen(h, "(end)"));
    feed(h, "<Home>");
    assert_int_equal(d->top, 0);
    feed(h, "G");
    assert_int_equal(d->top, d->nrows - page);
    feed(h, "<PgDn>j");
    assert_int_equal(d->top, d->nrows - page);     /* never past the end */
    feed(h, "g<PgUp>k");
    assert_int_equal(d->top, 0);
    feed(h, "q");
    /* the help pager is the same pager */
    feed(h, "?");
    assert_int_equal(d->mode, DIALOG_PAGER);
    feed(h, "<PgDn>");
    assert_int_equal(d->top, CLAMPED(1));
    feed(h, "<End>");
    assert_int_equal(d->top, d->nrows - page);
    assert_true(on_screen(h, "$XDG_CONFIG_HOME/sovmap/config"));
    feed(h, "<Home>");
    assert_int_equal(d->top, 0);
    feed(h, "G");
    assert_int_equal(d->top, d->nrows - page);
    /* the help lists the pager's own keys */
    assert_non_null(strstr(d->text, "Pager (command output, help, diffs)"));
    assert_non_null(strstr(d->text, action_help[ACT_WRAP]));
    feed(h, "q");
}

/* w cuts long lines instead; h/l scroll sideways; a search brings its
 * match into view. */
static void
test_pager_nowrap(void **state)
{
    struct harness *h = *state;
    struct dialog *d = &h->t->dialog;

    tui_draw(h->t, h->s);
    feed(h, ":long<Enter>G");
    feed(h, "w");
    assert_true(d->nowrap);
    assert_int_equal(d->nrows, 60);
    assert_int_equal(d->top, d->nrows - (h->s->h - 6));     /* kept its place */
    feed(h, "g/us-east-1<Enter>");
    assert_int_equal(d->match, 39);
    assert_true(d->left > 0);
    assert_true(on_screen(h, "aws:us-east-1"));
    snap(h, "pager-nowrap");
    feed(h, "h");
    assert_true(on_screen(h, "line 40: scenario relocate"));
    feed(h, "l");
    assert_true(d->left > 0);
    feed(h, "<Home>");
    assert_int_equal(d->left, 0);
    feed(h, "w");
    assert_false(d->nowrap);
    assert_int_equal(d->left, 0);
    feed(h, "q");
}

/* n and N go through the matches (wrapping around), a miss says so. */
static void
test_pager_search_next(void **state)
{
    struct harness *h = *state;
    struct dialog *d = &h->t->dialog;

    tui_draw(h->t, h->s);
    feed(h, ":long<Enter>w/LINE 5<Enter>");
    assert_int_equal(d->match, 4);              /* "line 5 of", case ignored */
    assert_non_null(strstr(tui_message(h->t), "11 rows match"));
    feed(h, "n");
    assert_int_equal(d->match, 49);             /* line 50 */
    feed(h, "N");
    assert_int_equal(d->match, 4);
    feed(h, "N");
    assert_int_equal(d->match, 58);             /* line 59: from the bottom again */
    assert_non_null(strstr(tui_message(h->t), "from the bottom again"));
    feed(h, "/zzz<Enter>");
    assert_int_equal(d->match, -1);
    if (!strstr(tui_message(h->t), "no match for \"zzz\""))
        fail_msg("message: %s", tui_message(h->t));
    feed(h, "<Esc>");
    assert_int_equal(d->mode, DIALOG_NONE);
}

/* v reads the detail pane in the pager: a name the list cuts, whole. */
static void
test_detail_pager(void **state)
{
    struct harness *h = *state;

    feed(h, "/with-a-long<Enter>v");
    assert_int_equal(h->t->dialog.mode, DIALOG_PAGER);
    assert_non_null(strstr(h->t->dialog.title, "ñandú-名前-with-a-long-name-that-is-cut"));
    assert_non_null(strstr(h->t->dialog.text, "aws:sa-east-1"));
    snap(h, "detail-pager");
    feed(h, "q");
    assert_int_equal(h->t->dialog.mode, DIALOG_NONE);
}

/* ---- the : line -------------------------------------------------------------------- */

static char *
slurp_lines(const char *path, int *n)
{
    char *text = tl_slurp(path, NULL);
    *n = 0;
    for (const char *p = text; p && *p; p++)
        *n += *p == '\n';
    return text;
}

static void
test_cmd_history(void **state)
{
    char dir[] = "/tmp/tuipager-test-XXXXXX", *text;
    struct harness *h;
    int n;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(history_path, sizeof history_path, "%s/state/sovmap/history", dir);
    h = harness_new(80, 24);
    feed(h, ":check<Enter>q:log --limit 3<Enter>q:log --limit 3<Enter>q");
    assert_int_equal(h->t->cmdh.n, 2);          /* a repeat is kept once */
    feed(h, ":draft<Up>");
    assert_string_equal(h->t->input.buf, "log --limit 3");
    feed(h, "<Up>");
    assert_string_equal(h->t->input.buf, "check");
    feed(h, "<Up>");
    assert_string_equal(h->t->input.buf, "check");
    feed(h, "<Down>");
    assert_string_equal(h->t->input.buf, "log --limit 3");
    snap(h, "cmd-history");
    feed(h, "<Down>");
    assert_string_equal(h->t->input.buf, "draft");     /* what was typed */
    feed(h, "<Esc>");
    harness_free(h);
    text = slurp_lines(history_path, &n);
    assert_non_null(text);
    assert_string_equal(text, "check\nlog --limit 3\n");
    free(text);
    /* the next session starts with it */
    h = harness_new(120, 40);
    feed(h, ":<Up>");
    assert_string_equal(h->t->input.buf, "log --limit 3");
    snap(h, "cmd-history");
    feed(h, "<Esc>");
    /* bounded: the oldest go */
    for (int i = 0; i < CMD_HISTORY_MAX + 10; i++) {
        char line[32];
        snprintf(line, sizeof line, "where n%d", i);
        cmdh_add(h->t, line);
    }
    assert_int_equal(h->t->cmdh.n, CMD_HISTORY_MAX);
    assert_string_equal(h->t->cmdh.item[0], "where n10");
    harness_free(h);
    text = slurp_lines(history_path, &n);
    assert_int_equal(n, CMD_HISTORY_MAX);
    free(text);
    /* a file that cannot be written: said once, no crash */
    snprintf(history_path, sizeof history_path, "/proc/sovmap-no/such/history");
    h = harness_new(80, 24);
    feed(h, ":check<Enter>");
    assert_true(h->t->cmdh.failed);
    assert_non_null(strstr(tui_message(h->t), "history is not saved"));
    feed(h, "q:log<Enter>q:<Up>");
    assert_string_equal(h->t->input.buf, "log");
    harness_free(h);
    history_path[0] = 0;
    {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
    }
}

static void
test_cmd_complete(void **state)
{
    struct harness *h = *state;

    tui_draw(h->t, h->s);
    feed(h, ":da<Tab>");
    assert_string_equal(h->t->input.buf, "dataset ");
    feed(h, "a<Tab>");
    assert_string_equal(h->t->input.buf, "dataset add ");
    feed(h, "<C-u>where loy<Tab>");
    assert_string_equal(h->t->input.buf, "where loyalty_members ");
    /* no name starts with it: any name containing it */
    feed(h, "<C-u>where east<Tab>");
    assert_string_equal(h->t->input.buf, "where east");
    assert_non_null(strstr(tui_message(h->t), "aws:us-east-1"));
    assert_non_null(strstr(tui_message(h->t), "aws:sa-east-1"));
    snap(h, "cmd-complete");
    feed(h, "<C-u>where sa-ea<Tab>");
    assert_string_equal(h->t->input.buf, "where aws:sa-east-1 ");
    feed(h, "<C-u>where zzz<Tab>");
    assert_non_null(strstr(tui_message(h->t), "nothing matches"));
    feed(h, "<Esc>");
    /* :help opens the help, not "unknown command help" */
    feed(h, ":help<Enter>");
    assert_int_equal(h->commands, 0);
    assert_int_equal(h->t->dialog.mode, DIALOG_PAGER);
    assert_non_null(strstr(h->t->dialog.title, "Help"));
    feed(h, "q");
}

/* ---- forms ---------------------------------------------------------------------------- */

/* Names are trimmed; a name of spaces is no name. */
static void
test_form_spaces_name(void **state)
{
    struct harness *h = *state;
    int32_t n = h->m->ndatasets;

    feed(h, "a   <Down>");
    assert_int_equal(h->t->form.error_field, 0);
    assert_non_null(strstr(h->t->form.error, "spaces alone are no name"));
    feed(h, "<Enter>");
    assert_true(h->t->form.open);
    assert_int_equal(h->m->ndatasets, n);
    assert_non_null(strstr(h->t->form.error, "name is required"));
    snap(h, "form-spaces-name");
    feed(h, "<C-u>  payments  <Enter>");
    assert_false(h->t->form.open);
    assert_true(model_dataset(h->m, "payments") >= 0);
    assert_int_equal(model_dataset(h->m, "  payments  "), SM_NONE);
}

/* Each field is checked as it is left (or on Tab), the message whole;
 * fixing the field takes the error away. */
static void
test_form_field_checks(void **state)
{
    struct harness *h = *state;
    struct form *f = &h->t->form;

    feed(h, "a");
    to_field(h, "subjects");
    feed(h, "ZZ<Tab>");
    assert_int_equal(f->error_field, f->cur);
    assert_non_null(strstr(f->error, "ZZ"));
    feed(h, "<BS><BS>EU");
    assert_int_equal(f->error_field, -1);       /* right again: the error goes */
    assert_string_equal(f->error, "");
    feed(h, "<Esc>y3a");
    assert_true(f->open);
    to_field(h, "country");
    feed(h, "Germany<Down>");
    assert_string_equal(f->f[f->error_field].label, "country");
    assert_non_null(strstr(f->error, "Germany is not a two-letter country code"));
    to_field(h, "kind");
    feed(h, "onprem<Down>");
    assert_string_equal(f->f[f->error_field].label, "kind");
    assert_non_null(strstr(f->error, "onprem is not one of the values"));
    snap(h, "form-field-error");
    /* the message is drawn whole, not cut */
    assert_true(on_screen(h, "kind: onprem is not one of the values (Tab lists them)"));
    /* leaving country for kind says country's error; Tab fixes kind */
    feed(h, "<Up>");
    assert_string_equal(f->f[f->error_field].label, "country");
    feed(h, "<C-u>on-p<Tab>");
    assert_string_equal(f->f[f->cur].in.buf, "on-prem");
    feed(h, "<Down><C-u>D<Up>");
    assert_string_equal(f->f[f->error_field].label, "country");
    feed(h, "<Down>E");                         /* DE: right, the error goes */
    assert_int_equal(f->error_field, -1);
    assert_string_equal(f->error, "");
    feed(h, "<Esc>y");
    assert_false(f->open);
}

/* Esc on a changed form asks first; Enter there keeps editing. */
static void
test_form_discard(void **state)
{
    struct harness *h = *state;

    feed(h, "a<Esc>");
    assert_false(h->t->form.open);              /* nothing typed: closes */
    feed(h, "apayments<Esc>");
    assert_true(h->t->form.open);
    assert_true(h->t->form.confirm_cancel);
    snap(h, "form-discard");
    feed(h, "<Enter>");
    assert_true(h->t->form.open);
    assert_string_equal(h->t->form.f[0].in.buf, "payments");
    feed(h, "<Esc>n");
    assert_true(h->t->form.open);
    feed(h, "<Esc>y");
    assert_false(h->t->form.open);
    assert_int_equal(model_dataset(h->m, "payments"), SM_NONE);
}

/* A deletion takes y for yes: Enter is no. */
static void
test_delete_enter_is_no(void **state)
{
    struct harness *h = *state;
    int32_t id = model_dataset(h->m, "telemetry");

    feed(h, "/tele<Enter>D");
    assert_true(on_screen(h, "y: yes; n, Esc or Enter: no"));
    feed(h, "<Enter>");
    assert_int_equal(h->t->dialog.mode, DIALOG_NONE);
    assert_false(h->m->datasets[id].deleted);
    assert_non_null(strstr(tui_message(h->t), "nothing deleted"));
    feed(h, "Dy");
    assert_true(h->m->datasets[id].deleted);
}

/* A waiver expiring in the past is said before it is saved. */
static void
test_waiver_past_expiry(void **state)
{
    struct harness *h = *state;
    int32_t nw = h->m->nwaivers;

    select_finding(h, "CLS001", "unclassified\x1b[31m");
    feed(h, "w");
    assert_true(h->t->form.open);
    to_field(h, "reason");
    feed(h, "accepted for the pilot");
    to_field(h, "expires");
    feed(h, "<C-u>2020-01-31<Up>");
    assert_non_null(strstr(h->t->form.error, "2020-01-31 is in the past"));
    feed(h, "<Enter>");
    assert_true(h->t->form.open);
    assert_int_equal(h->m->nwaivers, nw);
    assert_non_null(strstr(h->t->form.error, "Enter again saves it anyway"));
    feed(h, "<Enter>");
    assert_false(h->t->form.open);
    assert_int_equal(h->m->nwaivers, nw + 1);
}

/* Add and Edit show the same rows. */
static void
test_add_edit_same_rows(void **state)
{
    struct harness *h = *state;
    char add[1024] = "", edit[1024] = "";

    feed(h, "a");
    for (int i = 0; i < h->t->form.n; i++)
        strcat(strcat(add, h->t->form.f[i].label), " ");
    feed(h, "<Esc>e");
    for (int i = 0; i < h->t->form.n; i++)
        strcat(strcat(edit, h->t->form.f[i].label), " ");
    assert_string_equal(add, edit);
    assert_non_null(strstr(add, "fields"));
    feed(h, "<Esc>");
}

/* Completion takes names containing what was typed when none starts
 * with it. */
static void
test_form_substring_completion(void **state)
{
    struct harness *h = *state;
    struct form *f = &h->t->form;

    feed(h, "c");
    to_field(h, "region");
    feed(h, "east<Tab>");
    assert_non_null(strstr(f->note, "aws:us-east-1"));
    assert_non_null(strstr(f->note, "aws:sa-east-1"));
    feed(h, "<C-u>sa-ea<Tab>");
    assert_string_equal(f->f[f->cur].in.buf, "aws:sa-east-1");
    feed(h, "<C-u>aws:eu-w<Tab>");                 /* a prefix still wins */
    assert_string_equal(f->f[f->cur].in.buf, "aws:eu-west-1");
    feed(h, "<Esc>y");
}

/* Form labels, help and hints sit on the dialog's background in every
 * theme (no holes of the terminal's default background). */
static void
test_form_background(void **state)
{
    struct harness *h = *state;
    static const char *const themes[] = { "default", "light", "high-contrast", "mono" };
    SM_ERROR(err);

    int x0 = -1, x1 = -1, y0 = -1;

    feed(h, "a<Down><Down>ZZ<Down>");           /* an error under the fields too */
    tui_draw(h->t, h->s);
    /* the box: from its title bar down to the hint row */
    for (int y = 0; y < h->s->h && y0 < 0; y++)
        for (int x = 0; x < h->s->w; x++)
            if (screen_at(h->s, x, y)->style == STYLE_DIALOG_TITLE) {
                if (x0 < 0)
                    x0 = x, y0 = y;
                x1 = x;
            }
    assert_true(y0 >= 0 && x1 > x0);
    for (int y = y0 + 1; y < h->s->h && !on_row(h, y, "Enter saves"); y++)
        for (int x = x0; x <= x1; x++) {
            int st = screen_at(h->s, x, y)->style;
            if (st == STYLE_DEFAULT || st == STYLE_LABEL || st == STYLE_DIM)
                fail_msg("a hole in the form at %d,%d (style %d)", x, y, st);
        }
    for (size_t i = 0; i < sizeof themes / sizeof themes[0]; i++) {
        struct theme th;
        assert_int_equal(theme_load(&th, themes[i], tl_datadir(), &err), SM_OK);
        assert_int_equal(th.role[STYLE_FORM_LABEL].bg, th.role[STYLE_DIALOG].bg);
        assert_int_equal(th.role[STYLE_DIALOG_DIM].bg, th.role[STYLE_DIALOG].bg);
        assert_int_equal(th.role[STYLE_FIELD_ERROR].bg, th.role[STYLE_DIALOG].bg);
    }
    feed(h, "<Esc>y");
}

/* In scenario mode a fix says what it did to the scenario's findings and
 * where it goes (not "saved; u undoes"). */
static void
test_scenario_fix(void **state)
{
    struct harness *h = *state;
    int32_t sid = model_scenario(h->m, "repatriate");

    feed(h, "8s");
    assert_true(h->t->scen.on);
    select_finding(h, "ENC001", "telemetry@aws:sa-east-1");
    feed(h, "f");
    assert_int_equal(h->t->dialog.mode, DIALOG_FIX);
    assert_false(on_screen(h, "saved; u undoes"));
    assert_true(on_screen(h, "Enter adds it to the scenario (u takes it out)"));
    snap(h, "scenario-fix");
    feed(h, "<Enter>");
    assert_int_equal(h->m->scenarios[sid].nops, 2);
    assert_non_null(strstr(tui_message(h->t), "errors 1 → 0"));
    assert_null(strstr(tui_message(h->t), "+0 errors −0"));
    feed(h, "u");
    assert_int_equal(h->m->scenarios[sid].nops, 1);
    feed(h, "W");
}

/* ---- a read-only catalog ------------------------------------------------------------ */

static void
test_readonly_browse(void **state)
{
    struct harness *h;
    int32_t n;

    (void)state;
    readonly_opt = true;
    h = harness_new(80, 24);
    readonly_opt = false;
    n = h->m->ndatasets;
    assert_true(on_screen(h, "read-only catalog: browsing"));
    assert_true(on_row(h, h->s->h - 1, "filter"));
    assert_false(on_row(h, h->s->h - 1, "a add"));     /* no hints for what is off */
    feed(h, "a");
    assert_false(h->t->form.open);
    assert_non_null(strstr(tui_message(h->t), "read-only: browsing only"));
    snap(h, "readonly");
    feed(h, "D");
    assert_int_equal(h->t->dialog.mode, DIALOG_NONE);
    feed(h, "8s");
    assert_false(h->t->scen.on);
    /* browsing works: filter, views, detail, help */
    feed(h, "1/tele<Enter>");
    assert_int_equal(h->t->views[0].nrows, 1);
    feed(h, "<Esc>?");
    assert_int_equal(h->t->dialog.mode, DIALOG_PAGER);
    feed(h, "q");
    assert_int_equal(h->m->ndatasets, n);
    harness_free(h);
}

/* ---- messages ----------------------------------------------------------------------- */

static void
test_messages_expire(void **state)
{
    struct harness *h = *state;

    feed(h, "/tele<Enter>");
    assert_non_null(strstr(tui_message(h->t), "1 match"));
    feed(h, "j");                               /* the next action */
    assert_string_equal(tui_message(h->t), "");
    feed(h, "<Esc>/tele<Enter>");
    for (int i = 0; i < 3; i++)
        tui_idle(h->t);
    assert_true(tui_message(h->t)[0] != 0);
    assert_true(tui_idle(h->t) & TUI_REDRAW);   /* a few idle seconds */
    assert_string_equal(tui_message(h->t), "");
    /* an error that needs a decision stays until Esc */
    tui_set_alert(h->t, "cannot reload the catalog: disk I/O error");
    feed(h, "jk2");
    for (int i = 0; i < 10; i++)
        tui_idle(h->t);
    assert_non_null(strstr(tui_message(h->t), "cannot reload"));
    assert_int_equal(h->t->cur, 1);
    feed(h, "<Esc>");
    assert_string_equal(tui_message(h->t), "");
    assert_int_equal(h->t->cur, 1);
}

/* ---- QA #17-#20 ------------------------------------------------------------------ */

/* A value longer than its field scrolls: the characters at the cursor are
 * shown, the cursor stays inside the field, no wide character is cut in
 * two; back at the start the value's beginning shows again (QA #17). */
static void
test_form_long_value(void **state)
{
    struct harness *h = *state;
    struct screen *s = h->s;
    int y;

    feed(h, "a");
    assert_true(h->t->form.open);
    feed(h, "顧客🙂データ_");
    for (int i = 0; i < 12; i++)
        feed(h, "long_name_");
    feed(h, "END");
    tui_draw(h->t, s);
    assert_true(s->cursor);
    y = s->cur_y;
    assert_true(s->cur_x < s->w - 2);
    assert_int_equal(screen_at(s, s->cur_x - 1, y)->cp, 'D');
    assert_int_equal(screen_at(s, s->cur_x - 2, y)->cp, 'N');
    assert_int_equal(screen_at(s, s->cur_x - 3, y)->cp, 'E');
    assert_true(on_row(h, y, "long_name_END"));
    /* back to the start: the wide characters are there whole */
    feed(h, "<C-a>");
    tui_draw(h->t, s);
    assert_int_equal(screen_at(s, s->cur_x, y)->cp, 0x9867);   /* 顧 */
    assert_false(on_row(h, y, "END"));
    /* in the middle of the wide characters, then to the end again */
    feed(h, "<Right><Right><Right>");
    tui_draw(h->t, s);
    assert_int_equal(screen_at(s, s->cur_x, y)->cp, 0x30C7);   /* デ */
    feed(h, "<C-e>");
    tui_draw(h->t, s);
    assert_true(on_row(h, y, "long_name_END"));
    feed(h, "<Esc>");
}

/* The export menu never overwrites a file silently (QA #18): the default
 * name is one not taken yet, and a name typed over an existing file asks
 * (Enter again overwrites, Esc keeps the file). */
static void
test_export_no_overwrite(void **state)
{
    struct harness *h = *state;
    char dir[] = "/tmp/tuiqa-XXXXXX", old[512], *text;
    FILE *f;

    assert_non_null(mkdtemp(dir));
    assert_non_null(getcwd(old, sizeof old));
    assert_int_equal(chdir(dir), 0);
    feed(h, "x<Enter>");
    assert_int_equal(h->t->prompt, PROMPT_FILE);
    assert_string_equal(h->t->input.buf, "sovmap-diagram.svg");
    feed(h, "<Enter>");
    assert_non_null(strstr(tui_message(h->t), "exported svg to sovmap-diagram.svg"));
    /* the same menu item again: a new name */
    feed(h, "x<Enter>");
    assert_string_equal(h->t->input.buf, "sovmap-diagram-2.svg");
    /* typed over the existing file: asked, not written */
    f = fopen("keep.svg", "w");
    assert_non_null(f);
    fputs("keep", f);
    fclose(f);
    feed(h, "<C-u>keep.svg<Enter>");
    assert_int_equal(h->t->prompt, PROMPT_FILE);
    assert_non_null(strstr(tui_message(h->t), "keep.svg exists: Enter again overwrites it"));
    text = tl_slurp("keep.svg", NULL);
    assert_string_equal(text, "keep");
    free(text);
    feed(h, "<Esc>");
    text = tl_slurp("keep.svg", NULL);
    assert_string_equal(text, "keep");
    free(text);
    /* asked again after Esc, then Enter twice overwrites */
    feed(h, "x<Enter><C-u>keep.svg<Enter>");
    assert_int_equal(h->t->prompt, PROMPT_FILE);
    feed(h, "<Enter>");
    assert_int_equal(h->t->prompt, PROMPT_NONE);
    assert_non_null(strstr(tui_message(h->t), "exported svg to keep.svg"));
    text = tl_slurp("keep.svg", NULL);
    assert_non_null(strstr(text, "<svg"));
    free(text);
    assert_int_equal(unlink("keep.svg"), 0);
    assert_int_equal(unlink("sovmap-diagram.svg"), 0);
    assert_int_equal(chdir(old), 0);
    assert_int_equal(rmdir(dir), 0);
}

/* Another writer's change clears the undo history, and u says so, both
 * when the change is found by u itself and when it was found before
 * (idle); an edit of one's own starts a new history (QA #19). */
static void
test_undo_other_writer(void **state)
{
    struct harness *h;

    (void)state;
    sync_opt = true;
    h = harness_new(80, 24);
    sync_opt = false;
    feed(h, "a");
    feed(h, "first_ds<Enter>");
    assert_true(model_dataset(h->m, "first_ds") >= 0);
    assert_int_equal(h->t->nundo, 1);
    h->other_writer = true;
    feed(h, "u");
    assert_int_equal(h->t->nundo, 0);
    assert_non_null(strstr(tui_message(h->t),
                           "undo history cleared: the catalog was changed by another writer"));
    assert_true(model_dataset(h->m, "first_ds") >= 0);     /* not undone */
    feed(h, "u");
    assert_non_null(strstr(tui_message(h->t), "nothing to undo: undo history cleared: the "
                           "catalog was changed by another writer"));
    /* found while idle: the message says it at once, u again later */
    feed(h, "a");
    feed(h, "second_ds<Enter>");
    assert_int_equal(h->t->nundo, 1);
    h->other_writer = true;
    for (int i = 0; i < 10 && h->other_writer; i++)
        tui_idle(h->t);
    assert_false(h->other_writer);
    assert_non_null(strstr(tui_message(h->t), "undo history cleared: the catalog was changed "
                           "by another writer"));
    feed(h, "u");
    assert_non_null(strstr(tui_message(h->t), "nothing to undo: undo history cleared"));
    /* a new edit of one's own: a plain history again */
    feed(h, "a");
    feed(h, "third_ds<Enter>");
    feed(h, "uu");
    assert_string_equal(tui_message(h->t), "nothing to undo");
    assert_int_equal(model_dataset(h->m, "third_ds"), SM_NONE);
    harness_free(h);
}

/* Help (QA #20): the scenario and tier keys are under their own headings,
 * not "Everywhere"; every description starts in the same column; PgDn
 * moves a whole page. */
static void
test_help_sections(void **state)
{
    struct harness *h = *state;
    const char *text, *every, *lists, *scen, *tiers, *p;
    int col = -1;

    feed(h, "?");
    assert_int_equal(h->t->dialog.mode, DIALOG_PAGER);
    text = h->t->dialog.text;
    assert_non_null(text);
    every = strstr(text, "\nEverywhere\n");
    lists = strstr(text, "\nLists\n");
    scen = strstr(text, "\nScenario mode (any view)\n");
    tiers = strstr(text, "\nTier x region matrix (any view)\n");
    assert_non_null(every);
    assert_non_null(lists);
    assert_non_null(scen);
    assert_non_null(tiers);
    /* nothing about scenarios or tiers between Everywhere and Lists */
    for (p = every; p < lists; p = strchr(p, '\n') + 1) {
        assert_false(strncmp(p, "  W ", 4) == 0 || strncmp(p, "  d ", 4) == 0 ||
                     strncmp(p, "  M ", 4) == 0);
        if (!strchr(p, '\n') || strchr(p, '\n') + 1 >= lists)
            break;
    }
    assert_non_null(strstr(scen, "\n  W "));
    assert_non_null(strstr(scen, "\n  d "));
    assert_non_null(strstr(tiers, "\n  M "));
    /* the key column: every "  KEYS  description" line has its
     * description at the offset of the q line's, the widest key list
     * (<PgDn> <C-f> <Space>) included */
    {
        const char *q = strstr(text, "\n  q "), *dq;
        int off;
        assert_non_null(q);
        dq = strstr(q, "Quit (asks");
        assert_non_null(dq);
        off = (int)(dq - q);
        for (p = text; (p = strstr(p, "\n  ")) != NULL; p++) {
            const char *e = strchr(p + 1, '\n');
            int sp = 0;
            if (!e || e - p <= off)
                continue;
            while (e[1 + sp] == ' ')
                sp++;
            if (sp == off - 1)          /* keys too wide: description below */
                continue;
            if (p[off - 1] != ' ' || p[off] == ' ')
                fail_msg("description out of line: %.*s", (int)(e - p - 1), p + 1);
            col++;
        }
        assert_true(col > 40);
        assert_non_null(strstr(text, "<PgDn> <C-f> <Space>"));
    }
    /* PgDn: a whole page (the pager's text rows), not 10 lines */
    {
        int top = h->t->dialog.top;
        feed(h, "<PgDn>");
        assert_true(h->t->dialog.top - top > 10);
    }
    feed(h, "q");
}

#define AT80(f)  cmocka_unit_test_setup_teardown(f, setup80, teardown)
#define AT120(f) cmocka_unit_test_setup_teardown(f, setup120, teardown)
#define BOTH(f)  AT80(f), AT120(f)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH(test_pager_wrap_search),
        BOTH(test_pager_keys),
        AT80(test_pager_nowrap),
        AT80(test_pager_search_next),
        AT80(test_detail_pager),
        cmocka_unit_test(test_cmd_history),
        BOTH(test_cmd_complete),
        AT80(test_messages_expire),
        BOTH(test_form_spaces_name),
        BOTH(test_form_field_checks),
        BOTH(test_form_discard),
        AT80(test_delete_enter_is_no),
        AT80(test_waiver_past_expiry),
        AT80(test_add_edit_same_rows),
        AT80(test_form_substring_completion),
        AT80(test_form_background),
        BOTH(test_scenario_fix),
        cmocka_unit_test(test_readonly_browse),
        BOTH(test_form_long_value),
        AT80(test_export_no_overwrite),
        cmocka_unit_test(test_undo_other_writer),
        BOTH(test_help_sections),
    };
    setlocale(LC_ALL, "");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
