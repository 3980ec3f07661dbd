/*
 * cmd_log.c - `sovmap log [--limit N] [--format text|json]`: the catalog's
 * audit log, newest first.
 */
#include <string.h>

#include "cmd_util.h"
#include "store.h"

struct log_ctx {
    struct cli *c;
    enum out_format fmt;
    int n;
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
        for (size_t k = 0; k < n; k++) {
            char one[2] = { s[k], 0 };
            cli_put_text(c->out, one);
        }
        fputc('\n', c->out);
        s += n + (s[n] == '\n');
    }
}

static int
log_row(void *ctx, const struct audit_entry *e)
{
    struct log_ctx *L = ctx;
    struct cli *c = L->c;

    if (L->fmt == FMT_JSON) {
        fprintf(c->out, "%s\n  {\"id\":%lld,\"time\":", L->n ? "," : "", (long long)e->id);
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
        fputc('}', c->out);
    } else {
        fprintf(c->out, "%-6lld ", (long long)e->id);
        cli_put_text(c->out, e->time);
        fputs("  ", c->out);
        cli_put_text(c->out, e->actor);
        fprintf(c->out, "%*s", e->actor && strlen(e->actor) < 8 ? (int)(10 - strlen(e->actor)) : 2,
                "");
        cli_put_text(c->out, e->op);
        fputc('\n', c->out);
        if (c->verbose) {
            text_block(c, "before", e->before);
            text_block(c, "after", e->after);
        }
    }
    L->n++;
    return 0;
}

static int
run_log(struct cli *c, int argc, char **argv)
{
    extern const struct command cmd_log;
    const char *format = NULL;
    int limit = 0, npos, rc;
    const struct cli_opt opts[] = {
        { "--limit", OPT_INT, &limit, "at most N entries (0: all)" },
        { "--format", OPT_STR, &format, "text|json" },
        { NULL, 0, NULL, NULL },
    };
    char *pos[8];
    struct log_ctx L = { c, FMT_TEXT, 0 };
    struct sm_error e = { 0 };
    bool help;

    if (argc > 8)
        return cli_usage_fail(c, cmd_log.usage, "log: too many arguments");
    rc = cli_parse(c, &cmd_log, argc, argv, opts, pos, &npos, &help);
    if (rc || help)
        return rc;
    if (npos)
        return cli_usage_fail(c, cmd_log.usage, "log: unexpected argument %s", pos[0]);
    if (limit < 0)
        return cli_fail(c, "bad --limit %d: use 0 or more", limit);
    if ((rc = cmd_format(c, format, false, &L.fmt)) != CLI_OK)
        return rc;
    if ((rc = cli_open(c, STORE_READONLY)) != CLI_OK)
        return rc;
    if (L.fmt == FMT_JSON)
        fputc('[', c->out);
    if (store_log(c->st, limit, log_row, &L, &e) != SM_OK) {
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
        "usage: sovmap log [--limit N] [--format text|json]\n"
        "\n"
        "Every change to the catalog (edits, imports, the demo) is logged in the same\n"
        "transaction as the change: when, who ($USER), what, and the object before and\n"
        "after. --verbose prints before and after in text output too.\n"
        "\n"
        "  --limit N        at most N entries (0: all)\n"
        "  --format FORMAT  text or json\n",
    .run = run_log,
};
