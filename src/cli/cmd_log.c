/*
 * cmd_log.c - `sovmap log [--limit N] [--object SEL] [--since DATE]
 * [--format text|json]` and `sovmap log show ID`: the catalog's audit log,
 * newest first, and one entry in full with its snapshots (doc/catalog.md).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd_util.h"
#include "model_json.h"
#include "store.h"

struct log_ctx {
    struct cli *c;
    enum out_format fmt;
    int n, limit;
    const char *object;         /* --object, or NULL */
    const char *since;          /* --since, or NULL */
    int64_t want;               /* log show: the entry's id, else 0 */
    bool found;
    bool detail;                /* log --verbose: before and after */
};

static void
text_block(struct cli *c, const char *label, const char *s)
{
    if (!s || !*s)
        return;
    fprintf(c->out, "    %s:\n", label);
    while (*s) {
        size_t n = strcspn(s, "\n");
        fputs("      ", c->out);
        /* the line whole: escaped byte by byte, a UTF-8 character
         * would come out as \x escapes */
        char *line = strndup(s, n);
        cli_put_text(c->out, line ? line : "(out of memory)");
        free(line);
        fputc('\n', c->out);
        s += n + (s[n] == '\n');
    }
}

/* The entry's data as JSON (ASCII only, re-encoded: a catalog edited by
 * hand cannot put raw bytes on the terminal), or as a string when it is not
 * JSON, or null. */
static void
put_data(struct cli *c, const char *data, size_t flags)
{
    json_t *j;
    char *s;

    if (!data) {
        fputs("null", c->out);
        return;
    }
    j = json_loads(data, 0, NULL);
    s = j ? json_dumps(j, flags | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    if (s)
        fputs(s, c->out);
    else
        cli_put_json(c->out, data);
    free(s);
}

static void
put_json_entry(struct cli *c, const struct audit_entry *e, size_t flags)
{
    fprintf(c->out, "{\"id\":%lld,\"time\":", (long long)e->id);
    cli_put_json(c->out, e->time);
    fputs(",\"actor\":", c->out);
    cli_put_json(c->out, e->actor);
    fputs(",\"op\":", c->out);
    cli_put_json(c->out, e->op);
    fputs(",\"object\":", c->out);
    cli_put_json(c->out, e->object);
    fputs(",\"before\":", c->out);
    if (e->before)
        cli_put_json(c->out, e->before);
    else
        fputs("null", c->out);
    fputs(",\"after\":", c->out);
    if (e->after)
        cli_put_json(c->out, e->after);
    else
        fputs("null", c->out);
    fputs(",\"data\":", c->out);
    put_data(c, e->data, flags);
    fputc('}', c->out);
}

/* Does entry e concern the object sel names: its object, the dataset of a
 * copy selector, or any object its snapshots hold? */
static bool
touches(const struct audit_entry *e, const char *sel)
{
    size_t at = strcspn(sel, "@");
    size_t eat = strcspn(e->object, "@");
    char *ds;
    bool hit;

    if (strcmp(e->object, sel) == 0 ||
        (sel[at] == 0 && e->object[eat] == '@' && eat == at && strncmp(e->object, sel, at) == 0))
        return true;
    if (!e->data)
        return false;
    if (model_json_touches(e->data, NULL, sel))
        return true;
    if (sel[at] != '@' || !(ds = strndup(sel, at)))
        return false;
    hit = model_json_touches(e->data, "dataset", ds);
    free(ds);
    return hit;
}

static int
log_row(void *ctx, const struct audit_entry *e)
{
    struct log_ctx *L = ctx;
    struct cli *c = L->c;

    if (L->object && !touches(e, L->object))
        return 0;
    if (L->since && strcmp(e->time, L->since) < 0)
        return 0;
    if (L->fmt == FMT_JSON) {
        fputs(L->n ? ",\n  " : "\n  ", c->out);
        put_json_entry(c, e, JSON_COMPACT);
    } else {
        fprintf(c->out, "%-6lld ", (long long)e->id);
        cli_put_text(c->out, e->time);
        fputs("  ", c->out);
        cli_put_text(c->out, e->actor);
        fprintf(c->out, "%*s", e->actor && strlen(e->actor) < 8 ? (int)(10 - strlen(e->actor)) : 2,
                "");
        cli_put_text(c->out, e->op);
        fputc('\n', c->out);
        if (c->verbose || L->detail) {
            text_block(c, "before", e->before);
            text_block(c, "after", e->after);
        }
    }
    L->n++;
    return L->limit > 0 && L->n >= L->limit;
}

/* `log show ID`: one entry in full. */
static int
show_row(void *ctx, const struct audit_entry *e)
{
    struct log_ctx *L = ctx;
    struct cli *c = L->c;
    json_t *j;
    char *pretty;

    if (e->id != L->want)
        return 1;
    L->found = true;
    if (L->fmt == FMT_JSON) {
        put_json_entry(c, e, JSON_INDENT(2));
        fputc('\n', c->out);
        return 1;
    }
    fprintf(c->out, "entry %lld\n", (long long)e->id);
    cmd_text_line(c, "time", e->time);
    cmd_text_line(c, "actor", e->actor);
    cmd_text_line(c, "op", e->op);
    cmd_text_line(c, "object", e->object);
    text_block(c, "before", e->before);
    text_block(c, "after", e->after);
    if (!e->data) {
        cmd_text_line(c, "snapshot", "none (written before catalog schema 2)");
        return 1;
    }
    j = json_loads(e->data, 0, NULL);
    pretty = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII)
               : NULL;
    json_decref(j);
    text_block(c, "snapshot", pretty ? pretty : e->data);
    free(pretty);
    return 1;
}

static int
parse_id(struct cli *c, const char *s, int64_t *id)
{
    char *end;
    long long v = strtoll(s, &end, 10);

    if (!*s || *end || v < 1)
        return cli_fail(c, "bad entry id %s: use the number `sovmap log` shows", s);
    *id = v;
    return CLI_OK;
}

static int
run_show(struct cli *c, int argc, char **argv)
{
    extern const struct command cmd_log;
    const char *format = NULL;
    const struct cli_opt opts[] = {
        { "--format", OPT_STR, &format, "text|json" },
        { NULL, 0, NULL, NULL },
    };
    char *pos[4];
    struct log_ctx L = { .c = c };
    SM_ERROR(e);
    int npos, rc;
    bool help;

    if (argc > 4)
        return cli_usage_fail(c, cmd_log.usage, "log show: too many arguments");
    rc = cli_parse(c, &cmd_log, argc, argv, opts, pos, &npos, &help);
    if (rc || help)
        return rc;
    if (npos != 1)
        return cli_usage_fail(c, cmd_log.usage, npos ? "log show: unexpected argument %s"
                              : "log show: give the entry's ID", npos ? pos[1] : "");
    if ((rc = parse_id(c, pos[0], &L.want)) != CLI_OK ||
        (rc = cmd_format(c, format, false, &L.fmt)) != CLI_OK ||
        (rc = cli_open(c, STORE_READONLY)) != CLI_OK)
        return rc;
    if (store_log_from(c->st, L.want, 1, show_row, &L, &e) != SM_OK)
        return cli_error(c, &e);
    if (!L.found)
        return cli_fail(c, "%s has no audit entry %lld", c->catalog, (long long)L.want);
    return CLI_OK;
}

/* --since: YYYY-MM-DD or an ISO 8601 UTC time (compared as text). */
static int
check_since(struct cli *c, const char *s)
{
    int32_t d;
    char day[11];               /* bounded: the first 10 bytes of a YYYY-MM-DD date */

    if (strlen(s) >= 10) {
        memcpy(day, s, 10);
        day[10] = 0;
        if (sm_date_parse(day, &d) == SM_OK && (s[10] == 0 || s[10] == 'T'))
            return CLI_OK;
    }
    return cli_fail(c, "bad --since %s: use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", s);
}

static int
run_log(struct cli *c, int argc, char **argv)
{
    extern const struct command cmd_log;
    const char *format = NULL, *object = NULL, *since = NULL;
    int limit = 0, npos, rc;
    bool detail = false;
    /* log's own --verbose: before/after only, not the global "loading" notes */
    const struct cli_opt opts[] = {
        { "--verbose", OPT_FLAG, &detail, "print before and after too" },
        { "-v", OPT_FLAG, &detail, "print before and after too" },
        { "--limit", OPT_INT, &limit, "at most N entries (0: all)" },
        { "--object", OPT_STR, &object, "entries that touch this object" },
        { "--since", OPT_STR, &since, "entries from this day or time on" },
        { "--format", OPT_STR, &format, "text|json" },
        { NULL, 0, NULL, NULL },
    };
    char *pos[12];
    struct log_ctx L = { .c = c, .fmt = FMT_TEXT };
    SM_ERROR(e);
    bool help;

    if (argc >= 2 && strcmp(argv[1], "show") == 0)
        return run_show(c, argc - 1, argv + 1);
    if (argc > 12)
        return cli_usage_fail(c, cmd_log.usage, "log: too many arguments");
    rc = cli_parse(c, &cmd_log, argc, argv, opts, pos, &npos, &help);
    if (rc || help)
        return rc;
    if (npos)
        return cli_usage_fail(c, cmd_log.usage, "log: unexpected argument %s", pos[0]);
    if (limit < 0)
        return cli_fail(c, "bad --limit %d: use 0 or more", limit);
    if (since && (rc = check_since(c, since)) != CLI_OK)
        return rc;
    if ((rc = cmd_format(c, format, false, &L.fmt)) != CLI_OK)
        return rc;
    if ((rc = cli_open(c, STORE_READONLY)) != CLI_OK)
        return rc;
    L.limit = limit;
    L.detail = detail;
    L.object = object && *object ? object : NULL;
    L.since = since;
    if (L.fmt == FMT_JSON)
        fputc('[', c->out);
    if (store_log(c->st, 0, log_row, &L, &e) != SM_OK) {
        if (L.fmt == FMT_JSON)
            fputs("]\n", c->out);
        return cli_error(c, &e);
    }
    if (L.fmt == FMT_JSON)
        fputs(L.n ? "\n]\n" : "]\n", c->out);
    return CLI_OK;
}

const struct command cmd_log = {
    .name = "log",
    .summary = "the audit log of the catalog, newest first",
    .usage =
        "usage: sovmap log [--limit N] [--object SEL] [--since DATE] [--format text|json]\n"
        "       sovmap log show ID [--format text|json]\n"
        "\n"
        "Every change to the catalog (edits, imports, scenarios, plans, the demo) is\n"
        "logged in the same transaction as the change: when, who ($USER), what, the\n"
        "object before and after, and snapshots of every object it touched in\n"
        "model-json form (data; `sovmap revert ID` undoes an entry from them).\n"
        "--verbose prints before and after in text output too. `log show ID` prints\n"
        "one entry in full.\n"
        "\n"
        "  --limit N        at most N entries (0: all)\n"
        "  --object SEL     only entries that touch this object (dataset, copy\n"
        "                   DATASET@REGION[/ROLE], flow, region, tier, RULE:OBJECT, scenario)\n"
        "  --since DATE     only entries from YYYY-MM-DD (or an ISO time) on\n"
        "  --format FORMAT  text or json (json includes data as JSON)\n",
    .run = run_log,
};
