/*
 * cmd_scenario.c - `sovmap scenario new|list|show|add|rm|diff|apply|drop`:
 * named what-ifs stored in the catalog. Every change to a scenario is one
 * transaction with its audit entry. diff and apply are in
 * cmd_scenario_diff.c, cmd_scenario.h is what the two share. The scenario
 * logic is in core/scenario*.c.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmd_scenario.h"
#include "cmd_util.h"
#include "scenario.h"
#include "store.h"

/* ---- helpers -------------------------------------------------------------------- */

int
scmd_find(struct cli *c, const char *name, int32_t *id)
{
    return cmd_find(c, OBJ_SCENARIO, name, id);
}

/* cmd_parse for a subcommand of at most two arguments: min to max of them
 * into pos, else the usage error msg. CLI_OK with *help set after --help. */
int
scmd_args(struct cli *c, const struct command *self, int argc, char **argv,
          const struct cli_opt *opts, int min, int max, const char *msg, char *pos[2],
          int *npos, bool *help)
{
    int rc;

    assert(max <= 2);
    rc = cmd_parse(c, self, argc, argv, opts, pos, 2, npos, help);
    if (rc == CLI_OK && !*help && (*npos < min || *npos > max))
        rc = cli_usage_fail(c, self->usage, "%s", msg);
    return rc;
}

/* Open the catalog (and load its rules when rules) and find scenario name. */
int
scmd_open(struct cli *c, bool rules, const char *name, int32_t *id)
{
    int rc;

    if ((rc = cli_open(c, CLI_WRITE)) != CLI_OK || (rules && (rc = cli_load_rules(c)) != CLI_OK))
        return rc;
    return scmd_find(c, name, id);
}

char *
scmd_ops_text(const struct scenario *s)
{
    size_t cap = 64, len = 0;
    char *buf = malloc(cap), *line;

    if (!buf)
        return NULL;
    buf[0] = '\0';
    for (uint32_t i = 0; i < s->nops; i++) {
        size_t n;
        if (!(line = scenario_op_dup((int)s->ops[i].n, s->ops[i].v))) {
            free(buf);
            return NULL;
        }
        n = strlen(line) + 16;
        if (len + n >= cap) {
            char *nb;
            while (len + n >= cap)
                cap *= 2;
            if (!(nb = realloc(buf, cap))) {
                free(line);
                free(buf);
                return NULL;
            }
            buf = nb;
        }
        len += (size_t)snprintf(buf + len, cap - len, "op%u=%s\n", i + 1, line);
        free(line);
    }
    return buf;
}

/* Write scenario id as it now is in c->m, with an audit entry, in one
 * transaction. */
static int
save(struct cli *c, int32_t id, const char *op, const char *before, const char *after,
     char *snap)
{
    int rc;

    if (!snap)
        return cli_fail(c, "out of memory");
    rc = cmd_save(c, c->m, OBJ_SCENARIO, id, c->m->scenarios[id].name, op, before, after,
                  snap);
    free(snap);
    return rc == CMD_UNCHANGED ? CLI_OK : rc;
}

/* Does scenario `name` (with its bases) still apply to the catalog? The
 * error names the op that does not. */
static int
validate(struct cli *c, const char *name, int argc, const char *const *argv)
{
    struct scenario_eval *ev = NULL;
    SM_ERROR(e);
    int rc;

    if ((rc = cli_load_rules(c)) != CLI_OK)
        return rc;
    rc = scenario_begin(c->m, c->rp, name, &ev, &e);
    if (!rc)
        rc = scenario_apply_chain(ev, c->m, name, &e);
    if (!rc && argc)
        rc = scenario_apply(ev, argc, argv, &e);
    scenario_eval_free(ev);
    return rc ? cli_error(c, &e) : CLI_OK;
}

/* ---- new, list, show --------------------------------------------------------------- */

static int
sc_new(struct cli *c, const struct command *self, int argc, char **argv)
{
    const char *base = NULL, *desc = NULL;
    const struct cli_opt opts[] = {
        { "--base", OPT_STR, &base, "the scenario it builds on" },
        { "--description", OPT_STR, &desc, "what it tries" },
        { NULL, 0, NULL, NULL },
    };
    SM_ERROR(e);
    struct scenario s;
    char *pos[2];
    int32_t id;
    int npos, rc;
    bool help;

    rc = scmd_args(c, self, argc, argv, opts, 1, 1, "scenario new needs one NAME", pos, &npos,
                    &help);
    if (rc || help)
        return rc;
    if ((rc = cli_open(c, CLI_WRITE)) != CLI_OK)
        return rc;
    if (base && *base && model_scenario(c->m, base) == SM_NONE)
        return scmd_find(c, base, &id);
    memset(&s, 0, sizeof s);
    s.name = pos[0];
    s.base = base ? base : "";
    s.description = desc ? desc : "";
    if (model_add_scenario(c->m, &s, &id, &e) != SM_OK)
        return cli_error(c, &e);
    {
        char *after = sm_strdupf("base=%s\ndescription=%s\n", s.base, s.description);
        char *audit = sm_strdupf("scenario new %s", pos[0]);
        rc = after && audit ? save(c, id, audit, NULL, after, strdup("{}"))
                            : cli_fail(c, "out of memory");
        free(after);
        free(audit);
        if (rc != CLI_OK)
            return rc;
    }
    if (!c->quiet) {
        fputs("created scenario ", c->out);
        cli_put_text(c->out, pos[0]);
        if (*s.base) {
            fputs(" on ", c->out);
            cli_put_text(c->out, s.base);
        }
        fputc('\n', c->out);
    }
    return CLI_OK;
}

struct list_ctx {
    const struct model *m;
    const int32_t *errors;      /* per scenario with --check: errors, -1 stale */
    int32_t base_errors;
    int64_t now;                /* the catalog's model change (staleness) */
    char cell[64];                      /* bounded: "stale" or two counts */
    char nops[16];                      /* bounded: a count */
};

static bool
list_row(void *ctx, int32_t i, const char **cols)
{
    struct list_ctx *x = ctx;
    const struct scenario *s = &x->m->scenarios[i];

    if (s->deleted)
        return false;
    snprintf(x->nops, sizeof x->nops, "%u", s->nops);
    cols[0] = s->name;
    cols[1] = *s->base ? s->base : "-";
    cols[2] = x->nops;
    if (x->errors) {
        if (x->errors[i] < 0)
            snprintf(x->cell, sizeof x->cell, "stale");
        else
            snprintf(x->cell, sizeof x->cell, "%d -> %d", (int)x->base_errors,
                     (int)x->errors[i]);
        cols[3] = x->cell;
        cols[4] = s->description;
    } else {
        cols[3] = s->description;
    }
    return true;
}

static void
list_json(struct cli *c, void *ctx, int32_t i, const char **cols)
{
    const struct list_ctx *x = ctx;
    const struct scenario *s = &x->m->scenarios[i];

    (void)cols;
    fputs("\"name\": ", c->out);
    cli_put_json(c->out, s->name);
    fputs(", \"base\": ", c->out);
    cli_put_json(c->out, s->base);
    fputs(", \"description\": ", c->out);
    cli_put_json(c->out, s->description);
    {
        int64_t made = cmd_scenario_made_on(c, s->name);
        if (made >= 0)
            fprintf(c->out, ", \"made_on_change\": %lld, \"stale\": %s", (long long)made,
                    made != x->now ? "true" : "false");
        else
            fputs(", \"made_on_change\": null, \"stale\": false", c->out);
    }
    if (x->errors && x->errors[i] >= 0)
        fprintf(c->out, ", \"errors\": {\"before\": %d, \"after\": %d}", (int)x->base_errors,
                (int)x->errors[i]);
    else if (x->errors)
        fputs(", \"errors\": null", c->out);
    fputs(", \"ops\": [", c->out);
    for (uint32_t k = 0; k < s->nops; k++) {
        if (k)
            fputs(", ", c->out);
        char *line = scenario_op_dup((int)s->ops[k].n, s->ops[k].v);
        cli_put_json(c->out, line ? line : "?");
        free(line);
    }
    fputc(']', c->out);
}

/* With --check: every scenario evaluated; -1 where an op no longer applies. */
static int
list_errors(struct cli *c, int32_t **out, int32_t *base)
{
    struct scenario_eval *ev = NULL;
    SM_ERROR(e);
    int32_t *v;
    int rc;

    if ((rc = cli_load_rules(c)) != CLI_OK)
        return rc;
    if (scenario_eval(c->m, c->rp, NULL, c->today, &ev, &e) != SM_OK)
        return cli_error(c, &e);
    *base = ev->res->stats.count[SEV_ERROR];
    scenario_eval_free(ev);
    if (!(v = calloc((size_t)c->m->nscenarios + 1, sizeof *v)))
        return cli_fail(c, "out of memory");
    for (int32_t i = 0; i < c->m->nscenarios; i++) {
        if (c->m->scenarios[i].deleted)
            continue;
        ev = NULL;
        if (scenario_eval(c->m, c->rp, c->m->scenarios[i].name, c->today, &ev, &e) != SM_OK) {
            if (e.code == SM_ENOMEM) {
                free(v);
                return cli_error(c, &e);
            }
            v[i] = -1;
            continue;
        }
        v[i] = ev->res->stats.count[SEV_ERROR];
        scenario_eval_free(ev);
    }
    *out = v;
    return CLI_OK;
}

static int
sc_list(struct cli *c, const struct command *self, int argc, char **argv)
{
    const char *format = NULL;
    bool check = false;
    const struct cli_opt opts[] = {
        { "--format", OPT_STR, &format, "text|tsv|json" },
        { "--check", OPT_FLAG, &check, "evaluate each scenario: errors of the catalog -> scenario" },
        { NULL, 0, NULL, NULL },
    };
    static const char *const heads[] = { "NAME", "BASE", "OPS", "DESCRIPTION" };
    static const char *const heads_check[] = { "NAME", "BASE", "OPS", "ERRORS", "DESCRIPTION" };
    struct list_ctx x;
    int32_t *errors = NULL, base = 0;
    enum out_format fmt;
    char *pos[2];
    int npos, rc;
    bool help;

    rc = scmd_args(c, self, argc, argv, opts, 0, 0, "scenario list takes no arguments", pos,
                    &npos, &help);
    if (rc || help)
        return rc;
    if ((rc = cmd_format(c, format, true, &fmt)) != CLI_OK || (rc = cli_open(c, 0)) != CLI_OK)
        return rc;
    if (check && (rc = list_errors(c, &errors, &base)) != CLI_OK)
        return rc;
    memset(&x, 0, sizeof x);
    x.m = c->m;
    x.errors = errors;
    x.base_errors = base;
    {
        SM_ERROR(e);
        if (cmd_model_changes(c, &x.now, &e) != SM_OK) {
            free(errors);
            return cli_error(c, &e);
        }
    }
    cmd_list(c, fmt, errors ? 5 : 4, errors ? heads_check : heads, c->m->nscenarios, list_row,
             list_json, &x);
    free(errors);
    return CLI_OK;
}

/* Staleness: the model change scenario name was saved on and the
 * catalog's now; *stale when both are known and differ. */
int
scmd_freshness(struct cli *c, const char *name, int64_t *made, int64_t *now, bool *stale)
{
    SM_ERROR(e);

    if (cmd_model_changes(c, now, &e) != SM_OK)
        return cli_error(c, &e);
    *made = cmd_scenario_made_on(c, name);
    *stale = *made >= 0 && *made != *now;
    return CLI_OK;
}

static void
show_json(struct cli *c, int32_t id, const int32_t *chain, int32_t n, int64_t made, int64_t now,
          bool stale)
{
    const struct scenario *sc = &c->m->scenarios[id];
    FILE *o = c->out;
    int num = 0;

    fputs("{\"name\": ", o);
    cli_put_json(o, sc->name);
    fputs(", \"base\": ", o);
    if (*sc->base)
        cli_put_json(o, sc->base);
    else
        fputs("null", o);
    fputs(", \"description\": ", o);
    cli_put_json(o, sc->description);
    if (made >= 0)
        fprintf(o, ", \"made_on_change\": %lld", (long long)made);
    else
        fputs(", \"made_on_change\": null", o);
    fprintf(o, ", \"catalog_change\": %lld, \"stale\": %s,\n \"ops\": [", (long long)now,
            stale ? "true" : "false");
    for (int32_t k = 0; k < n; k++) {
        const struct scenario *s = &c->m->scenarios[chain[k]];
        for (uint32_t i = 0; i < s->nops; i++) {
            char *line = scenario_op_dup((int)s->ops[i].n, s->ops[i].v);
            num++;
            fprintf(o, "%s\n  {\"n\": %d, \"op\": ", num > 1 ? "," : "", num);
            cli_put_json(o, line ? line : "?");
            free(line);
            fputs(", \"argv\": [", o);
            for (uint32_t a = 0; a < s->ops[i].n; a++) {
                fputs(a ? ", " : "", o);
                cli_put_json(o, s->ops[i].v[a]);
            }
            fputs("], \"from\": ", o);
            if (chain[k] == id)
                fputs("null", o);
            else
                cli_put_json(o, s->name);
            fputc('}', o);
        }
    }
    fputs("]}\n", o);
}

static int
sc_show(struct cli *c, const struct command *self, int argc, char **argv)
{
    int32_t chain[64], id, n, num = 0;
    SM_ERROR(e);
    const char *format = NULL;
    const struct cli_opt opts[] = {
        { "--format", OPT_STR, &format, "text|json" },
        { NULL, 0, NULL, NULL },
    };
    char *pos[2], made_text[160];   /* bounded: made_text holds two int64 and fixed words */
    int64_t made, now;
    int npos, rc;
    bool help, stale;

    rc = scmd_args(c, self, argc, argv, opts, 1, 1, "scenario show needs one NAME", pos, &npos,
                    &help);
    if (rc || help)
        return rc;
    if (format && strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return cli_usage_fail(c, self->usage, "bad --format %s: use text or json", format);
    if ((rc = scmd_open(c, false, pos[0], &id)) != CLI_OK)
        return rc;
    if ((n = scenario_chain(c->m, pos[0], chain, 64, &e)) < 0)
        return cli_error(c, &e);
    if ((rc = scmd_freshness(c, pos[0], &made, &now, &stale)) != CLI_OK)
        return rc;
    if (format && strcmp(format, "json") == 0) {
        show_json(c, id, chain, n, made, now, stale);
        return CLI_OK;
    }
    cmd_text_line(c, "name", c->m->scenarios[id].name);
    cmd_text_line(c, "base", *c->m->scenarios[id].base ? c->m->scenarios[id].base : "-");
    cmd_text_line(c, "description", c->m->scenarios[id].description);
    if (made < 0)
        snprintf(made_text, sizeof made_text, "unknown (saved before changes were counted)");
    else if (!stale)
        snprintf(made_text, sizeof made_text, "catalog change %lld (current)", (long long)made);
    else
        snprintf(made_text, sizeof made_text, "catalog change %lld; the catalog is at %lld: "
                 "stale, review before applying", (long long)made, (long long)now);
    cmd_text_line(c, "made on", made_text);
    fputs("ops:\n", c->out);
    for (int32_t k = 0; k < n; k++) {
        const struct scenario *s = &c->m->scenarios[chain[k]];
        for (uint32_t i = 0; i < s->nops; i++) {
            char *line = scenario_op_dup((int)s->ops[i].n, s->ops[i].v);
            num++;
            if (chain[k] == id)
                fprintf(c->out, "  %u. ", i + 1);
            else
                fputs("  -  ", c->out);
            cli_put_text(c->out, line ? line : "?");
            free(line);
            if (chain[k] != id) {
                fputs("   (from ", c->out);
                cli_put_text(c->out, s->name);
                fputc(')', c->out);
            }
            fputc('\n', c->out);
        }
    }
    if (!num)
        fputs("  (none yet: sovmap scenario add NAME OP ARGS...)\n", c->out);
    return CLI_OK;
}

/* ---- add, rm, drop ----------------------------------------------------------------- */

static int
sc_add(struct cli *c, const struct command *self, int argc, char **argv)
{
    SM_ERROR(e);
    enum scenario_op op;
    const char *const *args;
    int32_t id;
    char *before, *snap, *line, *after, *audit;
    int nargs, rc;

    (void)self;
    /* ops take their arguments verbatim: no option parsing past NAME */
    if (argc < 3)
        return cli_usage_fail(c, self->usage, "scenario add needs NAME OP ARGS...");
    args = (const char *const *)argv + 2;
    nargs = argc - 2;
    if (scenario_op_parse(nargs, args, &op, &e) != SM_OK)
        return cli_error(c, &e);
    if ((rc = scmd_open(c, false, argv[1], &id)) != CLI_OK)
        return rc;
    if ((rc = validate(c, argv[1], nargs, args)) != CLI_OK)
        return rc;
    before = scmd_ops_text(&c->m->scenarios[id]);
    snap = cmd_part(c->m, OBJ_SCENARIO, id);
    if (model_scenario_append(c->m, id, nargs, args, &e) != SM_OK) {
        free(before);
        free(snap);
        return cli_error(c, &e);
    }
    line = scenario_op_dup(nargs, args);
    after = scmd_ops_text(&c->m->scenarios[id]);
    audit = line ? sm_strdupf("scenario add %s %s", argv[1], line) : NULL;
    if (audit) {
        rc = save(c, id, audit, before, after, snap);
    } else {
        free(snap);
        rc = cli_fail(c, "out of memory");
    }
    if (rc == CLI_OK && !c->quiet) {
        fprintf(c->out, "%u. ", c->m->scenarios[id].nops);
        cli_put_text(c->out, line);
        fputc('\n', c->out);
    }
    free(audit);
    free(after);
    free(before);
    free(line);
    return rc;
}

static int
sc_rm(struct cli *c, const struct command *self, int argc, char **argv)
{
    struct scenario *s;
    char *pos[2], *end, *before, *after, *snap, *line, *audit;
    struct sm_strv *ops, removed;
    long idx;
    int32_t id;
    int npos, rc;
    bool help;

    rc = scmd_args(c, self, argc, argv, NULL, 2, 2, "scenario rm needs NAME INDEX", pos, &npos,
                    &help);
    if (rc || help || (rc = scmd_open(c, false, pos[0], &id)) != CLI_OK)
        return rc;
    s = &c->m->scenarios[id];
    idx = strtol(pos[1], &end, 10);
    if (*end || idx < 1 || idx > (long)s->nops)
        return cli_fail(c, "scenario %s has %u op%s: no op %s", s->name, s->nops,
                        s->nops == 1 ? "" : "s", pos[1]);
    before = scmd_ops_text(s);
    snap = cmd_part(c->m, OBJ_SCENARIO, id);
    removed = s->ops[idx - 1];
    /* a fresh array in the model's arena: the old one may be shared */
    ops = s->nops > 1 ? sm_arena_alloc(&c->m->arena, (s->nops - 1) * sizeof *ops) : NULL;
    if (s->nops > 1 && !ops) {
        free(before);
        free(snap);
        return cli_fail(c, "out of memory");
    }
    for (uint32_t i = 0, k = 0; i < s->nops; i++)
        if ((long)i != idx - 1)
            ops[k++] = s->ops[i];
    {
        struct sm_strv *old = s->ops;
        uint32_t oldn = s->nops;
        s->ops = ops;
        s->nops--;
        /* the ops after it must still apply, and so must scenarios built on it */
        rc = validate(c, s->name, 0, NULL);
        for (int32_t k = 0; rc == CLI_OK && k < c->m->nscenarios; k++) {
            const struct scenario *o = &c->m->scenarios[k];
            if (!o->deleted && k != id && strcmp(o->base, s->name) == 0)
                rc = validate(c, o->name, 0, NULL);
        }
        if (rc != CLI_OK) {
            s->ops = old;
            s->nops = oldn;
            free(before);
            free(snap);
            return rc;
        }
    }
    c->m->generation++;
    after = scmd_ops_text(s);
    line = scenario_op_dup((int)removed.n, removed.v);
    if ((audit = sm_strdupf("scenario rm %s %ld", s->name, idx))) {
        rc = save(c, id, audit, before, after, snap);
    } else {
        free(snap);
        rc = cli_fail(c, "out of memory");
    }
    if (rc == CLI_OK && !c->quiet) {
        fputs("removed ", c->out);
        cli_put_text(c->out, line ? line : "?");
        fputc('\n', c->out);
    }
    free(audit);
    free(line);
    free(before);
    free(after);
    return rc;
}

static int
sc_drop(struct cli *c, const struct command *self, int argc, char **argv)
{
    SM_ERROR(e);
    char *pos[2], *before, *snap;
    int32_t id;
    int npos, rc;
    bool help;

    rc = scmd_args(c, self, argc, argv, NULL, 1, 1, "scenario drop needs one NAME", pos, &npos,
                    &help);
    if (rc || help || (rc = scmd_open(c, false, pos[0], &id)) != CLI_OK)
        return rc;
    before = scmd_ops_text(&c->m->scenarios[id]);
    snap = cmd_part(c->m, OBJ_SCENARIO, id);
    if (model_remove(c->m, OBJ_SCENARIO, id, &e) != SM_OK) {
        free(before);
        free(snap);
        return cli_error(c, &e);
    }
    {
        char *audit = sm_strdupf("scenario drop %s", pos[0]);
        if (audit) {
            rc = save(c, id, audit, before, NULL, snap);
        } else {
            free(snap);
            rc = cli_fail(c, "out of memory");
        }
        free(audit);
    }
    free(before);
    if (rc == CLI_OK && !c->quiet) {
        fputs("dropped scenario ", c->out);
        cli_put_text(c->out, pos[0]);
        fputc('\n', c->out);
    }
    return rc;
}

/* ---- the command ---------------------------------------------------------------------------- */

static const struct subcmd scenario_subs[] = {
    { "new", "usage: sovmap scenario new NAME [--base OTHER] [--description TEXT]\n"
      "Create an empty what-if scenario, optionally on top of another one.\n", sc_new, 0 },
    { "list", "usage: sovmap scenario list [--format text|tsv|json] [--check]\n"
      "List scenarios with their base and number of ops; --check evaluates each\n"
      "and shows the catalog's errors -> the scenario's (stale: an op no longer applies).\n",
      sc_list, 0 },
    { "show", "usage: sovmap scenario show NAME [--format text|json]\n"
      "Show a scenario's ops, its bases' ops first, and the catalog change it was\n"
      "made on (stale when the catalog changed since).\n"
      "  --format F   text (default) or json\n", sc_show, 0 },
    { "add", "usage: sovmap scenario add NAME OP ARGS...\n"
      "Append an op to a scenario; it must apply to the catalog.\n"
      "ops:\n"
#define X(id, name, min, max, args, help) "  " name " " args "\n      " help "\n"
    SCENARIO_OPS(X)
#undef X
      , sc_add, 0 },
    { "rm", "usage: sovmap scenario rm NAME INDEX\n"
      "Remove op INDEX (1-based, as `scenario show` numbers them).\n", sc_rm, 0 },
    { "diff", "usage: sovmap scenario diff NAME [OTHER] [--format text|json] [--exit-code]\n"
      "What scenario NAME changes against the catalog (or scenario OTHER), op by\n"
      "op: each op evaluated on the model the ops before it left, with the\n"
      "attributes it changes (~ tier: public -> restricted, + placement ..., - flow\n"
      "...) and the findings it brings (new) or clears (fixed); then the findings\n"
      "still there, and per severity new / fixed / still there in the header.\n"
      "When OTHER is a base of NAME only NAME's own ops are shown; another\n"
      "scenario is compared whole.\n"
      "  --format F   text (default) or json (before and after values)\n"
      "  --exit-code  exit 0 when nothing changes, 2 when something does, 1 on\n"
      "               any error (like terraform plan -detailed-exitcode)\n", scmd_diff, 0 },
    { "apply", "usage: sovmap scenario apply NAME [--force]\n"
      "Make the scenario the catalog's model in one audited transaction; the\n"
      "scenario is dropped and scenarios built on it build on the catalog.\n"
      "A stale scenario (the catalog changed since it was made or last edited)\n"
      "is refused, with the ops that no longer apply; --force applies it when\n"
      "every op still applies. The other scenarios it makes stale are listed.\n"
      "  --force      apply a stale scenario whose ops all still apply\n", scmd_apply, 0 },
    { "drop", "usage: sovmap scenario drop NAME\n"
      "Delete a scenario (not one another scenario builds on).\n", sc_drop, 0 },
    { NULL, NULL, NULL, 0 },
};

const struct command cmd_scenario = {
    .name = "scenario",
    .summary = "what-if scenarios: new, list, show, add, rm, diff, apply, drop",
    .usage =
    "usage: sovmap scenario new|list|show|add|rm|diff|apply|drop ...\n"
    "  new NAME [--base OTHER] [--description TEXT]\n"
    "  list [--format text|tsv|json] [--check]\n"
    "  show NAME [--format text|json]\n"
    "  add NAME OP ARGS...\n"
    "  rm NAME INDEX\n"
    "  diff NAME [OTHER] [--format text|json] [--exit-code]\n"
    "  apply NAME [--force]\n"
    "  drop NAME\n"
    "Also: sovmap check --scenario NAME, sovmap export ... --scenario NAME,\n"
    "sovmap plan --scenario NAME.\n\n"
    "ops:\n"
#define X(id, name, min, max, args, help) "  " name " " args "\n      " help "\n"
    SCENARIO_OPS(X)
#undef X
    ,
    .subs = scenario_subs,
};
