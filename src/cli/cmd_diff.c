/*
 * cmd_diff.c - `sovmap diff OLD NEW`: what a change to the model does.
 * Each side is a model-json file, a catalog (opened read-only), or
 * git:REV:PATH (the file as `git show REV:PATH` prints it: no libgit2, no
 * shell). Prints the attribute-level changes (model_diff) and the findings
 * new, fixed and still there (finding_diff), as text, JSON, or markdown
 * sized for a pull-request comment. --exit-code gates a merge on new
 * findings at or above --fail-on. doc/ci.md shows it in pipelines.
 *
 * Both sides are checked with the same rule pack (--rules, else NEW's,
 * else default) as of the same day, built-in rules only: custom SQL rules
 * need a catalog, and a file has none.
 *
 * Exit: 0 (with --exit-code: no new finding at or above --fail-on), 1 new
 * findings at or above it (only with --exit-code), 2 usage or input error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "cmd_util.h"
#include "model_diff.h"
#include "refdata.h"
#include "report.h"
#include "store.h"

extern const struct command cmd_diff;

/* At most this many rows per markdown table: a pull-request comment holds
 * 65536 characters; the rest is counted, and the JSON form has it all. */
#define MD_ROWS 50

struct side {
    const char *spec;           /* as given */
    struct model *m;
    struct check_result *res;
};

/* ---- reading a side ---------------------------------------------------------- */

/* git show REV:PATH into *text, run directly (no shell): a path with
 * blanks or quotes is one argument. git's own complaint is read back and
 * printed escaped, in one line. */
static int
git_show(struct cli *c, const char *spec, const char *obj, char **text, size_t *len)
{
    int out[2], errp[2], status;
    char *buf = NULL, *nb, *ebuf = NULL;  /* ebuf: git's complaint, whole (it names the path) */
    size_t cap = 0, elen = 0, ecap = 0;
    ssize_t r;
    pid_t pid;

    *len = 0;
    if (pipe(out) != 0)
        return cli_fail(c, "%s: cannot run git: %s", spec, strerror(errno));
    if (pipe(errp) != 0) {
        close(out[0]);
        close(out[1]);
        return cli_fail(c, "%s: cannot run git: %s", spec, strerror(errno));
    }
    fflush(NULL);
    if ((pid = fork()) < 0) {
        close(out[0]);
        close(out[1]);
        close(errp[0]);
        close(errp[1]);
        return cli_fail(c, "%s: cannot run git: %s", spec, strerror(errno));
    }
    if (pid == 0) {
        char *argv[] = { "git", "--no-pager", "show", "--no-textconv", (char *)obj, NULL };
        dup2(out[1], 1);
        dup2(errp[1], 2);
        close(out[0]);
        close(out[1]);
        close(errp[0]);
        close(errp[1]);
        execvp("git", argv);
        dprintf(2, "cannot run git: %s", strerror(errno));
        _exit(127);
    }
    close(out[1]);
    close(errp[1]);
    for (;;) {
        if (*len + 65536 + 1 > cap) {
            cap = cap * 2 + 65536 + 1;
            if (!(nb = realloc(buf, cap))) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
        }
        r = read(out[0], buf + *len, cap - *len - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        *len += (size_t)r;
    }
    close(out[0]);
    for (;;) {
        if (elen + 4096 + 1 > ecap) {
            ecap = ecap * 2 + 4096 + 1;
            if (!(nb = realloc(ebuf, ecap))) {
                char sink[4096];        /* bounded: a read's chunk, dropped */
                /* out of memory: keep what was read, drain the rest */
                while ((r = read(errp[0], sink, sizeof sink)) > 0 || (r < 0 && errno == EINTR))
                    ;
                break;
            }
            ebuf = nb;
        }
        r = read(errp[0], ebuf + elen, ecap - elen - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        elen += (size_t)r;
    }
    if (ebuf)
        ebuf[elen] = '\0';
    close(errp[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!buf) {
        free(ebuf);
        return cli_fail(c, "%s: out of memory", spec);
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        free(buf);
        if (ebuf)
            ebuf[strcspn(ebuf, "\n")] = '\0';
        fputs("sovmap: ", c->err);
        cli_put_text(c->err, spec);
        fputs(": git show failed", c->err);
        if (ebuf && *ebuf) {
            fputs(": ", c->err);
            cli_put_text(c->err, ebuf);
        }
        fputc('\n', c->err);
        free(ebuf);
        return CLI_USAGE;
    }
    free(ebuf);
    buf[*len] = '\0';
    *text = buf;
    return CLI_OK;
}

static bool
is_catalog(const char *path)
{
    char head[16];                      /* bounded: the 16-byte SQLite file header */
    FILE *f;
    size_t n;

    if (strcmp(path, "-") == 0 || !(f = fopen(path, "rb")))
        return false;
    n = fread(head, 1, sizeof head, f);
    fclose(f);
    return n == sizeof head && memcmp(head, "SQLite format 3", 16) == 0;
}

static int
load_catalog(struct cli *c, const char *path, struct model **out)
{
    SM_ERROR(e);
    struct store *st = NULL;
    struct model *m = NULL;

    if (store_open(path, STORE_READONLY, &st, &e) != SM_OK)
        return cli_error(c, &e);
    if (!(m = model_new())) {
        store_close(st);
        return cli_fail(c, "out of memory");
    }
    if (refdata_load_regions(c->datadir, m, &e) != SM_OK || store_load(st, m, &e) != SM_OK) {
        model_free(m);
        store_close(st);
        return cli_error(c, &e);
    }
    store_close(st);
    *out = m;
    return CLI_OK;
}

static int
load_side(struct cli *c, struct side *s)
{
    const char *spec = s->spec;
    char *text = NULL, *obj;
    size_t len;
    int rc;

    if (strncmp(spec, "git:", 4) == 0) {
        obj = strchr(spec + 4, ':');
        if (!obj || obj == spec + 4 || !obj[1])
            return cli_usage_fail(c, cmd_diff.usage, "%s: use git:REV:PATH, e.g. "
                                  "git:origin/main:model.json", spec);
        if ((rc = git_show(c, spec, spec + 4, &text, &len)) != CLI_OK)
            return rc;
        rc = cli_parse_model(c, text, len, spec, &s->m, NULL);
        free(text);
        return rc;
    }
    if (is_catalog(spec))
        return load_catalog(c, spec, &s->m);
    return cli_read_model(c, spec, &s->m, NULL);
}

/* ---- text shared by the formats ------------------------------------------------ */

static const char *
kind_label(int kind)
{
    return kind == OBJ_PLACEMENT ? "copy" : obj_kind_names[kind];
}

/* What an added object is, in a few words, into a heap string ("" none). */
static char *
added_summary(const struct model *m, const struct mdiff_change *ch)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);

    if (!f)
        return NULL;
    if (ch->kind == OBJ_PLACEMENT) {
        const struct placement *p = &m->placements[ch->after];
        fprintf(f, "%s, %s", role_names[p->role], p->encrypted ? "encrypted" : "not encrypted");
        if (p->key_region != SM_NONE)
            fprintf(f, ", key in %s", m->regions[p->key_region].id);
        if (p->mechanism != MECH_NONE)
            fprintf(f, ", %s", mechanism_names[p->mechanism]);
    } else if (ch->kind == OBJ_FLOW) {
        const struct flow *fl = &m->flows[ch->after];
        char *from = model_selector_dup(m, OBJ_PLACEMENT, fl->from);
        char *to = fl->to != SM_NONE ? model_selector_dup(m, OBJ_PLACEMENT, fl->to) : NULL;
        fprintf(f, "%s, %s -> %s", flow_kind_names[fl->kind], from ? from : "?",
                to ? to : model_region_id(m, fl->to_region));
        if (fl->mechanism != MECH_NONE)
            fprintf(f, ", %s", mechanism_names[fl->mechanism]);
        free(from);
        free(to);
    } else if (ch->kind == OBJ_DATASET) {
        const struct dataset *d = &m->datasets[ch->after];
        int32_t np = 0;
        for (int32_t p = d->first_placement; p != SM_NONE; p = m->placements[p].next)
            np += !m->placements[p].deleted;
        fprintf(f, "%s, %d cop%s", d->tier != SM_NONE ? m->tiers[d->tier].name : "no tier",
                (int)np, np == 1 ? "y" : "ies");
    }
    if (fclose(f) != 0) {
        free(s);
        return NULL;
    }
    return s;
}

static const char *
value_or_none(const char *v)
{
    return v && *v ? v : "(none)";
}

/* ---- text ---------------------------------------------------------------------- */

static void
put_change_text(struct cli *c, const struct side *a, const struct mdiff_change *ch)
{
    FILE *f = c->out;

    fprintf(f, "  %s %s ", mdiff_op_marks[ch->op], kind_label(ch->kind));
    cli_put_text(f, ch->op == MDIFF_MOVED ? ch->old_selector : ch->selector);
    if (ch->op == MDIFF_CHANGED || ch->op == MDIFF_MOVED) {
        fputs(": ", f);
        cli_put_text(f, ch->attr);
        fputc(' ', f);
        cli_put_text(f, value_or_none(ch->old_value));
        fputs(" -> ", f);
        cli_put_text(f, value_or_none(ch->new_value));
    } else if (ch->op == MDIFF_ADDED) {
        char *sum = added_summary(a->m, ch);
        if (sum && *sum) {
            fputs(" (", f);
            cli_put_text(f, sum);
            fputc(')', f);
        }
        free(sum);
    }
    fputc('\n', f);
}

static void
put_finding_text(struct cli *c, const struct fdiff_item *it)
{
    FILE *f = c->out;

    fprintf(f, "  %-11s %-7s %-7s ", fdiff_status_names[it->status],
            severity_names[it->f->severity], it->f->rule);
    cli_put_text(f, it->f->selector);
    fputs(": ", f);
    cli_put_text(f, it->f->message ? it->f->message : "");
    fputc('\n', f);
}

static const char *const sev_plural[SEV_COUNT] = { "info", "warnings", "errors" };

static void
diff_text(struct cli *c, const struct side *b, const struct side *a,
          const struct model_diff *d, const struct finding_diff *fd, bool all)
{
    FILE *f = c->out;
    int32_t still = 0;

    fputs("diff ", f);
    cli_put_text(f, b->spec);
    fputs(" -> ", f);
    cli_put_text(f, a->spec);
    fputc('\n', f);
    if (!d->nchanges)
        fputs("model: no change\n", f);
    else
        fprintf(f, "model: %d changed, %d moved, %d added, %d removed\n",
                (int)d->count[MDIFF_CHANGED], (int)d->count[MDIFF_MOVED],
                (int)d->count[MDIFF_ADDED], (int)d->count[MDIFF_REMOVED]);
    for (int32_t i = 0; i < d->nchanges; i++)
        put_change_text(c, a, &d->changes[i]);
    fputs("findings:", f);
    for (int s = SEV_COUNT - 1; s >= 0; s--)
        fprintf(f, "%s %s %d -> %d (%d new, %d fixed)", s == SEV_COUNT - 1 ? "" : ";",
                sev_plural[s], (int)(b->res->stats.count[s]), (int)(a->res->stats.count[s]),
                (int)fd->count[FDIFF_NEW][s], (int)fd->count[FDIFF_FIXED][s]);
    fputc('\n', f);
    for (int32_t i = 0; i < fd->nitems; i++) {
        if (fd->items[i].status == FDIFF_STILL && !all) {
            still++;
            continue;
        }
        put_finding_text(c, &fd->items[i]);
    }
    if (still)
        fprintf(f, "  (%d still there; --all lists them)\n", (int)still);
}

/* ---- JSON ---------------------------------------------------------------------- */

static void
diff_json(struct cli *c, const struct side *b, const struct side *a,
          const struct model_diff *d, const struct finding_diff *fd, bool fails)
{
    FILE *f = c->out;

    fputs("{\n  \"before\": ", f);
    cli_put_json(f, b->spec);
    fputs(",\n  \"after\": ", f);
    cli_put_json(f, a->spec);
    fprintf(f, ",\n  \"counts\": {\"changes\": {\"changed\": %d, \"moved\": %d, \"added\": %d, "
            "\"removed\": %d}", (int)d->count[MDIFF_CHANGED], (int)d->count[MDIFF_MOVED],
            (int)d->count[MDIFF_ADDED], (int)d->count[MDIFF_REMOVED]);
    for (int s = SEV_COUNT - 1; s >= 0; s--)
        fprintf(f, ", \"%s\": {\"before\": %d, \"after\": %d, \"new\": %d, \"fixed\": %d, "
                "\"still\": %d}", severity_names[s], (int)b->res->stats.count[s],
                (int)a->res->stats.count[s], (int)fd->count[FDIFF_NEW][s],
                (int)fd->count[FDIFF_FIXED][s], (int)fd->count[FDIFF_STILL][s]);
    fprintf(f, "},\n  \"fails\": %s,\n  \"changes\": [", fails ? "true" : "false");
    for (int32_t i = 0; i < d->nchanges; i++) {
        const struct mdiff_change *ch = &d->changes[i];
        fprintf(f, "%s\n    {\"change\": \"%s\", \"object\": \"%s\", \"selector\": ",
                i ? "," : "", mdiff_op_names[ch->op], obj_kind_names[ch->kind]);
        cli_put_json(f, ch->selector);
        if (ch->old_selector) {
            fputs(", \"was\": ", f);
            cli_put_json(f, ch->old_selector);
        }
        if (ch->attr) {
            fputs(", \"attribute\": ", f);
            cli_put_json(f, ch->attr);
            fputs(", \"old\": ", f);
            cli_put_json(f, ch->old_value);
            fputs(", \"new\": ", f);
            cli_put_json(f, ch->new_value);
        }
        fputc('}', f);
    }
    fputs(d->nchanges ? "\n  ],\n  \"findings\": [" : "],\n  \"findings\": [", f);
    for (int32_t i = 0; i < fd->nitems; i++) {
        const struct finding *x = fd->items[i].f;
        fprintf(f, "%s\n    {\"status\": \"%s\", \"rule\": ", i ? "," : "",
                fd->items[i].status == FDIFF_STILL ? "still" : fdiff_status_names[fd->items[i].status]);
        cli_put_json(f, x->rule);
        fprintf(f, ", \"severity\": \"%s\", \"object\": \"%s\", \"selector\": ",
                severity_names[x->severity], obj_kind_names[x->kind]);
        cli_put_json(f, x->selector);
        fputs(", \"message\": ", f);
        cli_put_json(f, x->message ? x->message : "");
        fputc('}', f);
    }
    fputs(fd->nitems ? "\n  ]\n}\n" : "]\n}\n", f);
}

/* ---- markdown ------------------------------------------------------------------ */

/* Text for a markdown table cell or line: control bytes, bidi overrides and
 * invalid UTF-8 escaped as in every output (report_escape), then whatever
 * markdown or GitHub would read as markup (emphasis, links, HTML, table
 * pipes, @mentions) backslash-escaped or as an entity. At most MD_CELL
 * bytes of it (cut between characters, then "…"): a 10 KB description must
 * not eat the comment's 65536 characters. */
#define MD_CELL 200

static void
md(FILE *f, const char *s)
{
    size_t n = report_escape(s ? s : "", NULL, 0) + 1, cut;
    char *t = malloc(n);

    if (!t)
        return;
    report_escape(s ? s : "", t, n);
    cut = strlen(t);
    if (cut > MD_CELL) {
        /* back to the start of a UTF-8 sequence */
        for (cut = MD_CELL; cut > 0 && ((unsigned char)t[cut] & 0xc0) == 0x80; cut--)
            ;
        t[cut] = '\0';
    }
    for (const char *p = t; *p; p++) {
        switch (*p) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '~':
        case '@': case '#': case '!':
            fputc('\\', f);
            fputc(*p, f);
            break;
        default:
            fputc(*p, f);
        }
    }
    if (cut < n - 1)
        fputs("…", f);
    free(t);
}

static void
md_change(FILE *f, const struct side *a, const struct mdiff_change *ch)
{
    fprintf(f, "| %s | %s | ", mdiff_op_marks[ch->op], kind_label(ch->kind));
    md(f, ch->op == MDIFF_MOVED ? ch->old_selector : ch->selector);
    fputs(" | ", f);
    if (ch->op == MDIFF_CHANGED || ch->op == MDIFF_MOVED) {
        md(f, ch->attr);
        fputs(": ", f);
        md(f, value_or_none(ch->old_value));
        fputs(" → ", f);
        md(f, value_or_none(ch->new_value));
    } else if (ch->op == MDIFF_ADDED) {
        char *sum = added_summary(a->m, ch);
        fputs("added", f);
        if (sum && *sum) {
            fputs(" (", f);
            md(f, sum);
            fputc(')', f);
        }
        free(sum);
    } else {
        fputs("removed", f);
    }
    fputs(" |\n", f);
}

static void
md_findings(FILE *f, const struct finding_diff *fd, int status)
{
    int32_t shown = 0, total = 0;

    for (int32_t i = 0; i < fd->nitems; i++)
        total += fd->items[i].status == status;
    fputs("| severity | rule | object | message |\n|---|---|---|---|\n", f);
    for (int32_t i = 0; i < fd->nitems; i++) {
        const struct finding *x = fd->items[i].f;
        if (fd->items[i].status != status || shown == MD_ROWS)
            continue;
        shown++;
        fprintf(f, "| %s | %s | ", severity_names[x->severity], x->rule);
        md(f, x->selector);
        fputs(" | ", f);
        md(f, x->message);
        fputs(" |\n", f);
    }
    if (total > shown)
        fprintf(f, "\n… and %d more (`sovmap diff --format json` lists every one)\n",
                (int)(total - shown));
}

static int32_t
nstatus(const struct finding_diff *fd, int status)
{
    int32_t n = 0;

    for (int s = 0; s < SEV_COUNT; s++)
        n += fd->count[status][s];
    return n;
}

/* "2 errors, 1 warning" or "none" */
static void
md_counts(FILE *f, const struct finding_diff *fd, int status)
{
    static const char *const one[SEV_COUNT] = { "info", "warning", "error" };
    bool any = false;

    for (int s = SEV_COUNT - 1; s >= 0; s--) {
        int n = (int)fd->count[status][s];
        if (!n)
            continue;
        fprintf(f, "%s%d %s", any ? ", " : "", n, n == 1 || s == SEV_INFO ? one[s] : sev_plural[s]);
        any = true;
    }
    if (!any)
        fputs("none", f);
}

static void
diff_markdown(struct cli *c, const struct side *b, const struct side *a,
              const struct model_diff *d, const struct finding_diff *fd, bool fails,
              int fail_on)
{
    FILE *f = c->out;
    int32_t nnew = nstatus(fd, FDIFF_NEW), nfixed = nstatus(fd, FDIFF_FIXED);
    int32_t nstill = nstatus(fd, FDIFF_STILL), nch = 0;

    for (int op = 0; op < MDIFF_OP_COUNT; op++)
        nch += d->count[op];
    /* the summary line a reviewer reads first */
    fprintf(f, "### %s sovmap: ", fails ? "❌" : nnew ? "⚠️" : "✅");
    if (nnew) {
        fprintf(f, "%d new finding%s (", (int)nnew, nnew == 1 ? "" : "s");
        md_counts(f, fd, FDIFF_NEW);
        fputc(')', f);
    } else {
        fputs("no new findings", f);
    }
    fprintf(f, ", %d fixed, %d still there · %d model change%s\n\n", (int)nfixed, (int)nstill,
            (int)nch, nch == 1 ? "" : "s");
    fputs("Comparing ", f);
    md(f, b->spec);
    fputs(" → ", f);
    md(f, a->spec);
    if (fail_on < SEV_COUNT)
        fprintf(f, "; the gate fails on new findings at %s or above.\n\n", severity_names[fail_on]);
    else
        fputs(".\n\n", f);
    fputs("| findings | errors | warnings | info |\n|---|---:|---:|---:|\n", f);
    fprintf(f, "| before | %d | %d | %d |\n", (int)b->res->stats.count[SEV_ERROR],
            (int)b->res->stats.count[SEV_WARNING], (int)b->res->stats.count[SEV_INFO]);
    fprintf(f, "| after | %d | %d | %d |\n", (int)a->res->stats.count[SEV_ERROR],
            (int)a->res->stats.count[SEV_WARNING], (int)a->res->stats.count[SEV_INFO]);
    for (int st = 0; st < FDIFF_STATUS_COUNT; st++)
        fprintf(f, "| %s | %d | %d | %d |\n", fdiff_status_names[st],
                (int)fd->count[st][SEV_ERROR], (int)fd->count[st][SEV_WARNING],
                (int)fd->count[st][SEV_INFO]);
    if (nnew) {
        fputs("\n#### New findings\n\n", f);
        md_findings(f, fd, FDIFF_NEW);
    }
    if (nfixed) {
        fputs("\n#### Fixed findings\n\n", f);
        md_findings(f, fd, FDIFF_FIXED);
    }
    fprintf(f, "\n<details><summary>Model changes: %d changed, %d moved, %d added, %d removed"
            "</summary>\n\n", (int)d->count[MDIFF_CHANGED], (int)d->count[MDIFF_MOVED],
            (int)d->count[MDIFF_ADDED], (int)d->count[MDIFF_REMOVED]);
    if (!d->nchanges) {
        fputs("No change to the model.\n", f);
    } else {
        fputs("| | object | selector | change |\n|---|---|---|---|\n", f);
        for (int32_t i = 0; i < d->nchanges && i < MD_ROWS; i++)
            md_change(f, a, &d->changes[i]);
        if (d->nchanges > MD_ROWS)
            fprintf(f, "\n… and %d more (`sovmap diff --format json` lists every one)\n",
                    (int)(d->nchanges - MD_ROWS));
    }
    fputs("\n</details>\n", f);
    if (nstill) {
        fprintf(f, "\n<details><summary>Still there: %d finding%s</summary>\n\n", (int)nstill,
                nstill == 1 ? "" : "s");
        md_findings(f, fd, FDIFF_STILL);
        fputs("\n</details>\n", f);
    }
}

/* ---- the command ----------------------------------------------------------------- */

static int
run_diff(struct cli *c, int argc, char **argv)
{
    const char *format = "text", *fail_on = "error", *rules = NULL;
    bool exit_code = false, all = false, help = false;
    const struct cli_opt opts[] = {
        { "--format", OPT_STR, &format, "text|json|markdown" },
        { "--exit-code", OPT_FLAG, &exit_code, "exit 1 on new findings at or above --fail-on" },
        { "--fail-on", OPT_STR, &fail_on, "error|warning|info|never" },
        { "--rules", OPT_STR, &rules, "PACK" },
        { "--all", OPT_FLAG, &all, "text: list the findings still there too" },
        { NULL, 0, NULL, NULL },
    };
    static const char *const formats[] = { "text", "json", "markdown", NULL };
    struct side sides[2] = { { 0 }, { 0 } };
    struct model_diff *d = NULL;
    struct finding_diff fd = { 0 };
    SM_ERROR(e);
    char *pos[3];
    int npos = 0, rc, level;
    bool fails;

    if ((rc = cmd_parse(c, &cmd_diff, argc, argv, opts, pos, 3, &npos, &help)) != CLI_OK)
        return rc;
    if (help)
        return CLI_OK;
    if (npos != 2)
        return cli_usage_fail(c, cmd_diff.usage, "diff needs OLD and NEW (model-json files, "
                              "catalogs or git:REV:PATH)");
    if ((rc = cli_check_format(c, format, formats)) != CLI_OK)
        return rc;
    if ((level = report_fail_on_parse(fail_on)) == SM_NONE)
        return cli_usage_fail(c, cmd_diff.usage,
                              "bad --fail-on %s: use error, warning, info or never", fail_on);
    if (strcmp(pos[0], "-") == 0 && strcmp(pos[1], "-") == 0)
        return cli_usage_fail(c, cmd_diff.usage, "diff: only one side can be - (standard input)");
    sides[0].spec = pos[0];
    sides[1].spec = pos[1];
    if ((rc = load_side(c, &sides[0])) != CLI_OK || (rc = load_side(c, &sides[1])) != CLI_OK)
        goto out;
    /* one pack for both sides, so that a finding means the same on each */
    if (rules)
        c->rules = rules;
    else if (sides[1].m->rule_pack && *sides[1].m->rule_pack)
        c->rules = sides[1].m->rule_pack;
    if ((rc = cli_load_rules(c)) != CLI_OK)
        goto out;
    for (int i = 0; i < 2; i++)
        if (check_run(sides[i].m, c->rp, c->today, &sides[i].res, &e) != SM_OK) {
            rc = cli_error(c, &e);
            goto out;
        }
    if (model_diff(sides[0].m, sides[1].m, &d, &e) != SM_OK ||
        finding_diff(sides[0].res, sides[1].res, &fd, &e) != SM_OK) {
        rc = cli_error(c, &e);
        goto out;
    }
    fails = finding_diff_fails(&fd, level);
    if (strcmp(format, "json") == 0)
        diff_json(c, &sides[0], &sides[1], d, &fd, fails);
    else if (strcmp(format, "markdown") == 0)
        diff_markdown(c, &sides[0], &sides[1], d, &fd, fails, level);
    else
        diff_text(c, &sides[0], &sides[1], d, &fd, all);
    if (fflush(c->out) != 0) {
        rc = cli_fail(c, "standard output: %s", strerror(errno));
        goto out;
    }
    rc = exit_code && fails ? CLI_FINDINGS : CLI_OK;
out:
    finding_diff_fini(&fd);
    model_diff_free(d);
    for (int i = 0; i < 2; i++) {
        check_result_free(sides[i].res);
        model_free(sides[i].m);
    }
    return rc;
}

const struct command cmd_diff = {
    .name = "diff",
    .summary = "compare two models (files, catalogs, git:REV:PATH): changes and new findings",
    .usage =
        "usage: sovmap diff OLD NEW [--format text|json|markdown] [--exit-code] "
        "[--fail-on LEVEL] [--rules PACK] [--all]\n"
        "\n"
        "Compare two models and say what changed, attribute by attribute (a copy moved,\n"
        "a flow added, a dataset's tier raised), and which findings are new, fixed or\n"
        "still there. OLD and NEW are each a model-json file (- for standard input), a\n"
        "catalog (opened read-only), or git:REV:PATH, the file at a git revision as\n"
        "`git show REV:PATH` prints it (e.g. git:origin/main:model.json). Both sides are\n"
        "checked with the same rule pack (built-in rules; custom SQL rules need a\n"
        "catalog).\n"
        "\n"
        "options:\n"
        "  --format F        text (default), json, or markdown for a pull-request\n"
        "                    comment: a summary line, tables, details collapsed\n"
        "  --exit-code       exit 1 when a new finding is at or above --fail-on\n"
        "  --fail-on LEVEL   error (default), warning, info or never\n"
        "  --rules PACK      the rule pack for both sides (default: NEW's, else default)\n"
        "  --all             text: list the findings still there, not only their number\n"
        "\n"
        "exit status: 0, or with --exit-code 1 on new findings at or above --fail-on;\n"
        "2 usage or input error. doc/ci.md shows it in GitHub Actions and GitLab CI.\n",
    .run = run_diff,
};
