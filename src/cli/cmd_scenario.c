/*
 * cmd_scenario.c - `sovmap scenario new|list|show|add|rm|diff|apply|drop`:
 * named what-ifs stored in the catalog. Every change to a scenario is one
 * transaction with its audit entry; `apply` turns a scenario into the base
 * model in one transaction. The scenario logic is in core/scenario.c.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmd_util.h"
#include "scenario.h"
#include "store.h"

/* ---- helpers -------------------------------------------------------------------- */

static int
find_scenario(struct cli *c, const char *name, int32_t *id)
{
    return cmd_find(c, OBJ_SCENARIO, name, id);
}

/* cmd_parse for a subcommand of at most two arguments: min to max of them
 * into pos, else the usage error msg. CLI_OK with *help set after --help. */
static int
parse_args(struct cli *c, const struct command *self, int argc, char **argv,
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
static int
open_scenario(struct cli *c, bool rules, const char *name, int32_t *id)
{
    int rc;

    if ((rc = cli_open(c, CLI_WRITE)) != CLI_OK || (rules && (rc = cli_load_rules(c)) != CLI_OK))
        return rc;
    return find_scenario(c, name, id);
}

static char *
ops_text(const struct scenario *s)
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
    struct sm_error e = { 0 };
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
    struct sm_error e = { 0 };
    struct scenario s;
    char *pos[2];
    int32_t id;
    int npos, rc;
    bool help;

    rc = parse_args(c, self, argc, argv, opts, 1, 1, "scenario new needs one NAME", pos, &npos,
                    &help);
    if (rc || help)
        return rc;
    if ((rc = cli_open(c, CLI_WRITE)) != CLI_OK)
        return rc;
    if (base && *base && model_scenario(c->m, base) == SM_NONE)
        return find_scenario(c, base, &id);
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
    char cell[64];
    char nops[16];
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
    struct sm_error e = { 0 };
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

    rc = parse_args(c, self, argc, argv, opts, 0, 0, "scenario list takes no arguments", pos,
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
        struct sm_error e = { 0 };
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
static int
freshness(struct cli *c, const char *name, int64_t *made, int64_t *now, bool *stale)
{
    struct sm_error e = { 0 };

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
    struct sm_error e = { 0 };
    const char *format = NULL;
    const struct cli_opt opts[] = {
        { "--format", OPT_STR, &format, "text|json" },
        { NULL, 0, NULL, NULL },
    };
    char *pos[2], made_text[160];
    int64_t made, now;
    int npos, rc;
    bool help, stale;

    rc = parse_args(c, self, argc, argv, opts, 1, 1, "scenario show needs one NAME", pos, &npos,
                    &help);
    if (rc || help)
        return rc;
    if (format && strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return cli_usage_fail(c, self->usage, "bad --format %s: use text or json", format);
    if ((rc = open_scenario(c, false, pos[0], &id)) != CLI_OK)
        return rc;
    if ((n = scenario_chain(c->m, pos[0], chain, 64, &e)) < 0)
        return cli_error(c, &e);
    if ((rc = freshness(c, pos[0], &made, &now, &stale)) != CLI_OK)
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
    struct sm_error e = { 0 };
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
    if ((rc = open_scenario(c, false, argv[1], &id)) != CLI_OK)
        return rc;
    if ((rc = validate(c, argv[1], nargs, args)) != CLI_OK)
        return rc;
    before = ops_text(&c->m->scenarios[id]);
    snap = cmd_part(c->m, OBJ_SCENARIO, id);
    if (model_scenario_append(c->m, id, nargs, args, &e) != SM_OK) {
        free(before);
        free(snap);
        return cli_error(c, &e);
    }
    line = scenario_op_dup(nargs, args);
    after = ops_text(&c->m->scenarios[id]);
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

    rc = parse_args(c, self, argc, argv, NULL, 2, 2, "scenario rm needs NAME INDEX", pos, &npos,
                    &help);
    if (rc || help || (rc = open_scenario(c, false, pos[0], &id)) != CLI_OK)
        return rc;
    s = &c->m->scenarios[id];
    idx = strtol(pos[1], &end, 10);
    if (*end || idx < 1 || idx > (long)s->nops)
        return cli_fail(c, "scenario %s has %u op%s: no op %s", s->name, s->nops,
                        s->nops == 1 ? "" : "s", pos[1]);
    before = ops_text(s);
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
    after = ops_text(s);
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
    struct sm_error e = { 0 };
    char *pos[2], *before, *snap;
    int32_t id;
    int npos, rc;
    bool help;

    rc = parse_args(c, self, argc, argv, NULL, 1, 1, "scenario drop needs one NAME", pos, &npos,
                    &help);
    if (rc || help || (rc = open_scenario(c, false, pos[0], &id)) != CLI_OK)
        return rc;
    before = ops_text(&c->m->scenarios[id]);
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

/* ---- diff ------------------------------------------------------------------------------ */

/* "moved", "added", "removed", "changed", "must-move", "key-must-move" */
static const char *
change_name(const struct scenario_attr_change *c)
{
    if (c->sign == '+')
        return "added";
    if (c->sign == '-')
        return "removed";
    if (c->sign == '!' && c->obj == OBJ_REGION)
        return "retired";
    if (c->sign == '!')
        return c->attr && strcmp(c->attr, "key-region") == 0 ? "key-must-move" : "must-move";
    if (c->obj == OBJ_PLACEMENT && c->attr && strcmp(c->attr, "region") == 0)
        return "moved";
    return "changed";
}

static void
text_change(struct cli *c, const struct scenario_attr_change *ch, bool resolved)
{
    FILE *f = c->out;

    fprintf(f, "  %c %s ", ch->sign, obj_kind_names[ch->obj]);
    cli_put_text(f, ch->selector);
    if (ch->sign == '~') {
        fputs("  ", f);
        cli_put_text(f, ch->attr);
        fputs(": ", f);
        cli_put_text(f, *ch->before ? ch->before : "(none)");
        fputs(" -> ", f);
        cli_put_text(f, *ch->after ? ch->after : "(none)");
    } else if (ch->sign == '!') {
        fputs("  (", f);
        cli_put_text(f, ch->after);
        fputc(')', f);
        if (resolved && ch->obj == OBJ_PLACEMENT)
            fputs(" - a later op moves it", f);
    } else {
        const char *what = ch->sign == '+' ? ch->after : ch->before;
        if (what && *what) {
            fputs(" (", f);
            cli_put_text(f, what);
            fputc(')', f);
        }
    }
    fputc('\n', f);
}

static void
text_finding(struct cli *c, const struct scenario_review_finding *x)
{
    FILE *f = c->out;

    fprintf(f, "  %-11s %-7s %-7s ", review_status_names[x->status],
            severity_names[x->severity], x->rule);
    cli_put_text(f, x->selector);
    fputs(": ", f);
    cli_put_text(f, x->message);
    if (x->waived)
        fputs(" (waived)", f);
    fputc('\n', f);
}

static void
diff_text(struct cli *c, const struct scenario_review *rv, const char *name, const char *other)
{
    FILE *f = c->out;
    bool any;

    fputs("scenario ", f);
    cli_put_text(f, name);
    fputs(" against ", f);
    if (other) {
        fputs("scenario ", f);
        cli_put_text(f, other);
    } else {
        fputs("the catalog", f);
    }
    if (rv->whole_only)
        fputs(" (not its base: compared whole)", f);
    else
        fprintf(f, ": %d op%s", (int)rv->nops, rv->nops == 1 ? "" : "s");
    if (rv->start) {
        fprintf(f, " (after the %d of ", (int)rv->start);
        cli_put_text(f, other);
        fputc(')', f);
    }
    fputc('\n', f);
    for (int s = SEV_COUNT - 1; s >= 0; s--) {
        if (s == SEV_INFO && !rv->before[s] && !rv->after[s])
            continue;
        fprintf(f, "%s%s %d -> %d (%d new, %d fixed, %d still there)",
                s == SEV_COUNT - 1 ? "" : "; ",
                s == SEV_ERROR ? "errors" : s == SEV_WARNING ? "warnings" : "info",
                (int)rv->before[s], (int)rv->after[s], (int)rv->count[REVIEW_NEW][s],
                (int)rv->count[REVIEW_FIXED][s], (int)rv->count[REVIEW_KEPT][s]);
    }
    fputc('\n', f);
    /* each op: what it changed and the findings it brought or cleared, on
     * the model the ops before it left */
    for (int32_t i = 0; i < rv->nops; i++) {
        any = false;
        fprintf(f, "\nop %d: ", (int)i + 1);
        cli_put_text(f, rv->ops[i].text);
        fputc('\n', f);
        for (int32_t k = 0; k < rv->nchanges; k++)
            if (rv->changes[k].op == i) {
                text_change(c, &rv->changes[k].c, rv->changes[k].resolved);
                any = true;
            }
        for (int32_t k = 0; k < rv->nfindings; k++)
            if (rv->findings[k].op == i) {
                text_finding(c, &rv->findings[k]);
                any = true;
            }
        if (!any)
            fputs("  (no effect on the model or its findings)\n", f);
    }
    if (rv->whole_only) {
        any = false;
        for (int32_t k = 0; k < rv->nchanges; k++) {
            if (!any)
                fputs("\nchanges:\n", f);
            any = true;
            text_change(c, &rv->changes[k].c, rv->changes[k].resolved);
        }
        any = false;
        for (int32_t k = 0; k < rv->nfindings; k++) {
            if (rv->findings[k].status == REVIEW_KEPT)
                continue;
            if (!any)
                fputs("\nfindings:\n", f);
            any = true;
            text_finding(c, &rv->findings[k]);
        }
    }
    any = false;
    for (int32_t k = 0; k < rv->nfindings; k++) {
        if (rv->findings[k].status != REVIEW_KEPT)
            continue;
        if (!any)
            fputs("\nstill there:\n", f);
        any = true;
        text_finding(c, &rv->findings[k]);
    }
    if (!rv->changed)
        fputs("\nno difference\n", f);
}

static void
json_opt(FILE *f, const char *s)
{
    if (s)
        cli_put_json(f, s);
    else
        fputs("null", f);
}

static void
json_change(FILE *f, const struct scenario_review_change *rc, int32_t start)
{
    const struct scenario_attr_change *ch = &rc->c;
    char sign[2] = { ch->sign, '\0' };

    fprintf(f, "{\"change\": \"%s\", \"sign\": ", change_name(ch));
    cli_put_json(f, sign);
    fprintf(f, ", \"object\": \"%s\", \"selector\": ", obj_kind_names[ch->obj]);
    cli_put_json(f, ch->selector);
    fputs(", \"attribute\": ", f);
    json_opt(f, ch->attr);
    fputs(", \"before\": ", f);
    json_opt(f, ch->before);
    fputs(", \"after\": ", f);
    json_opt(f, ch->after);
    if (ch->sign == '!' && ch->obj == OBJ_PLACEMENT)
        fprintf(f, ", \"resolved\": %s", rc->resolved ? "true" : "false");
    if (rc->op != SM_NONE)
        fprintf(f, ", \"op\": %d}", (int)(start + rc->op + 1));
    else
        fputs(", \"op\": null}", f);
}

static void
json_finding(FILE *f, const struct scenario_review_finding *x, int32_t start)
{
    fprintf(f, "{\"status\": \"%s\", \"op\": ", x->status == REVIEW_KEPT ? "still" :
            review_status_names[x->status]);
    if (x->op != SM_NONE)
        fprintf(f, "%d", (int)(start + x->op + 1));
    else
        fputs("null", f);
    fputs(", \"rule\": ", f);
    cli_put_json(f, x->rule);
    fprintf(f, ", \"severity\": \"%s\", \"waived\": %s, \"object\": \"%s\", \"selector\": ",
            severity_names[x->severity], x->waived ? "true" : "false", obj_kind_names[x->kind]);
    cli_put_json(f, x->selector);
    fputs(", \"jurisdictions\": ", f);
    cli_put_json(f, x->jurisdictions);
    fputs(", \"message\": ", f);
    cli_put_json(f, x->message);
    fputc('}', f);
}

static void
diff_json(struct cli *c, const struct scenario_review *rv, const char *name, const char *other)
{
    FILE *f = c->out;

    fputs("{\n  \"scenario\": ", f);
    cli_put_json(f, name);
    fputs(",\n  \"against\": ", f);
    json_opt(f, other);
    fprintf(f, ",\n  \"base_ops\": %d, \"whole_only\": %s, \"changed\": %s,\n  \"ops\": [",
            (int)rv->start, rv->whole_only ? "true" : "false", rv->changed ? "true" : "false");
    for (int32_t i = 0; i < rv->nops; i++) {
        bool first = true;
        fprintf(f, "%s\n    {\"n\": %d, \"op\": ", i ? "," : "", (int)i + 1);
        cli_put_json(f, rv->ops[i].text);
        fputs(", \"argv\": [", f);
        for (uint32_t k = 0; k < rv->ops[i].argv.n; k++) {
            fputs(k ? ", " : "", f);
            cli_put_json(f, rv->ops[i].argv.v[k]);
        }
        fputs("], \"changes\": [", f);
        for (int32_t k = 0; k < rv->nchanges; k++)
            if (rv->changes[k].op == i) {
                fputs(first ? "" : ", ", f);
                first = false;
                json_change(f, &rv->changes[k], 0);
            }
        fputs("], \"findings\": [", f);
        first = true;
        for (int32_t k = 0; k < rv->nfindings; k++)
            if (rv->findings[k].op == i) {
                fputs(first ? "" : ", ", f);
                first = false;
                json_finding(f, &rv->findings[k], 0);
            }
        fputs("]}", f);
    }
    fputs("],\n  \"counts\": {", f);
    for (int s = SEV_COUNT - 1; s >= 0; s--)
        fprintf(f, "%s\"%s\": {\"before\": %d, \"after\": %d, \"new\": %d, \"fixed\": %d, "
                "\"still\": %d}", s == SEV_COUNT - 1 ? "" : ", ", severity_names[s],
                (int)rv->before[s], (int)rv->after[s], (int)rv->count[REVIEW_NEW][s],
                (int)rv->count[REVIEW_FIXED][s], (int)rv->count[REVIEW_KEPT][s]);
    /* every change of the whole; a copy left in a retired region only
     * when no later op moves it */
    fputs("},\n  \"changes\": [", f);
    {
        int32_t shown = 0;
        for (int32_t k = 0; k < rv->nchanges; k++) {
            if (rv->changes[k].c.sign == '!' && rv->changes[k].c.obj == OBJ_PLACEMENT &&
                rv->changes[k].resolved)
                continue;
            fputs(shown++ ? ",\n    " : "\n    ", f);
            json_change(f, &rv->changes[k], 0);
        }
        fputs(shown ? "\n  ],\n  \"findings\": [" : "],\n  \"findings\": [", f);
    }
    for (int32_t k = 0; k < rv->nfindings; k++) {
        fputs(k ? ",\n    " : "\n    ", f);
        json_finding(f, &rv->findings[k], 0);
    }
    fputs(rv->nfindings ? "\n  ]\n}\n" : "]\n}\n", f);
}

static int
sc_diff(struct cli *c, const struct command *self, int argc, char **argv)
{
    const char *format = NULL;
    bool exit_code = false;
    const struct cli_opt opts[] = {
        { "--format", OPT_STR, &format, "text|json" },
        { "--exit-code", OPT_FLAG, &exit_code, "exit 0 no change, 2 changes, 1 on error" },
        { NULL, 0, NULL, NULL },
    };
    struct scenario_review *rv = NULL;
    struct sm_error e = { 0 };
    enum out_format fmt;
    char *pos[2];
    int32_t id;
    int npos, rc;
    bool help;

    /* like terraform plan -detailed-exitcode: an error is 1 there, even a
     * usage error, since 2 means "changes" */
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--exit-code") == 0)
            exit_code = true;
    rc = parse_args(c, self, argc, argv, opts, 1, 2, "scenario diff needs NAME [OTHER]", pos,
                    &npos, &help);
    if (rc || help)
        return rc && exit_code ? CLI_FINDINGS : rc;
    if ((rc = cmd_format(c, format, false, &fmt)) != CLI_OK ||
        (rc = open_scenario(c, true, pos[0], &id)) != CLI_OK ||
        (npos == 2 && (rc = find_scenario(c, pos[1], &id)) != CLI_OK))
        return exit_code ? CLI_FINDINGS : rc;
    if (scenario_review(c->m, c->rp, pos[0], npos == 2 ? pos[1] : NULL, c->today, &rv, &e)
        != SM_OK) {
        rc = cli_error(c, &e);
        return exit_code ? CLI_FINDINGS : rc;
    }
    if (fmt == FMT_JSON)
        diff_json(c, rv, pos[0], npos == 2 ? pos[1] : NULL);
    else
        diff_text(c, rv, pos[0], npos == 2 ? pos[1] : NULL);
    rc = exit_code && rv->changed ? 2 : CLI_OK;
    scenario_review_free(rv);
    return rc;
}

/* ---- apply ------------------------------------------------------------------------------- */

/* The live copies of ev->m in regions the scenario retired, and those
 * elsewhere whose key is held in one, as scenario_check lists them (without
 * checking the model). */
static int
stranded(struct scenario_eval *ev, struct sm_error *err)
{
    const struct model *m = ev->m;
    int32_t cap = 0, capk = 0;

    ev->nstranded = ev->nstranded_keys = 0;
    for (int32_t p = 0; ev->nretired && p < m->nplacements; p++) {
        const struct placement *pl = &m->placements[p];
        if (pl->deleted || m->datasets[pl->dataset].deleted)
            continue;
        if (scenario_retired(ev, pl->region)) {
            if (sm_grow((void **)&ev->stranded, &cap, ev->nstranded + 1, sizeof *ev->stranded))
                return sm_error_set(err, SM_ENOMEM, "out of memory");
            ev->stranded[ev->nstranded++] = p;
        } else if (pl->key_region != SM_NONE && scenario_retired(ev, pl->key_region)) {
            if (sm_grow((void **)&ev->stranded_keys, &capk, ev->nstranded_keys + 1,
                        sizeof *ev->stranded_keys))
                return sm_error_set(err, SM_ENOMEM, "out of memory");
            ev->stranded_keys[ev->nstranded_keys++] = p;
        }
    }
    return SM_OK;
}

/* The ops of scenario name (its bases' first) that no longer apply to
 * model m: each printed to c->err after indent when print; their number.
 * An op that fails is skipped and the next ones tried. */
static int
unapplied(struct cli *c, const struct model *m, const char *name, const char *indent, bool print)
{
    struct scenario_eval *ev = NULL;
    struct sm_error e = { 0 };
    int32_t sid = model_scenario(m, name);
    const struct scenario *sc;
    int bad = 0;

    if (sid == SM_NONE || scenario_begin(m, c->rp, name, &ev, &e) != SM_OK)
        return 0;
    sc = &m->scenarios[sid];
    if (*sc->base && scenario_apply_chain(ev, m, sc->base, &e) != SM_OK) {
        bad++;
        if (print) {
            fprintf(c->err, "%sits base ", indent);
            cli_put_text(c->err, sc->base);
            fputs(" no longer applies: ", c->err);
            cli_put_text(c->err, e.msg);
            fputc('\n', c->err);
        }
    }
    for (uint32_t i = 0; i < sc->nops; i++) {
        if (scenario_apply(ev, (int)sc->ops[i].n, sc->ops[i].v, &e) == SM_OK)
            continue;
        bad++;
        if (print) {
            fprintf(c->err, "%sop %u no longer applies: ", indent, i + 1);
            cli_put_text(c->err, e.msg);
            fputc('\n', c->err);
        }
    }
    scenario_eval_free(ev);
    return bad;
}

static int
sc_apply(struct cli *c, const struct command *self, int argc, char **argv)
{
    struct scenario_eval *ev = NULL;
    struct sm_error e = { 0 };
    struct model *m;
    bool force = false;
    const struct cli_opt opts[] = {
        { "--force", OPT_FLAG, &force, "apply a stale scenario whose ops all still apply" },
        { NULL, 0, NULL, NULL },
    };
    char *pos[2], *before = NULL, audit[600];
    const char **fresh = NULL;
    int32_t id, sid, nfresh = 0, capfresh = 0;
    int64_t made, now;
    int npos, rc, law = 0;
    bool help, stale;

    rc = parse_args(c, self, argc, argv, opts, 1, 1, "scenario apply needs one NAME", pos, &npos,
                    &help);
    if (rc || help || (rc = open_scenario(c, true, pos[0], &id)) != CLI_OK)
        return rc;
    if ((rc = freshness(c, pos[0], &made, &now, &stale)) != CLI_OK)
        return rc;
    if (stale) {
        int bad;
        if (!force) {
            rc = cli_fail(c, "scenario %s is stale: it was made on catalog change %lld and the "
                          "catalog is at %lld; review it (sovmap scenario diff %s), plan again, "
                          "or apply it anyway with --force", pos[0], (long long)made,
                          (long long)now, pos[0]);
            if (!unapplied(c, c->m, pos[0], "  ", true))
                fputs("  every op still applies; what they do may differ from the review\n",
                      c->err);
            return rc;
        }
        if ((bad = unapplied(c, c->m, pos[0], "  ", true)) > 0)
            return cli_fail(c, "scenario %s: %d op%s no longer appl%s, even with --force",
                            pos[0], bad, bad == 1 ? "" : "s", bad == 1 ? "ies" : "y");
        fprintf(c->err, "sovmap: note: applying stale scenario %s (--force): the catalog "
                "changed since it was made\n", pos[0]);
    }
    /* the scenario's model; its findings are not needed, only the copies
     * left in retired regions (what scenario_check finds besides) */
    if (scenario_begin(c->m, c->rp, pos[0], &ev, &e) != SM_OK)
        return cli_error(c, &e);
    if (scenario_apply_chain(ev, c->m, pos[0], &e) != SM_OK || stranded(ev, &e) != SM_OK) {
        scenario_eval_free(ev);
        return cli_error(c, &e);
    }
    if (ev->nstranded) {
        char *sel = model_selector_dup(ev->m, OBJ_PLACEMENT, ev->stranded[0]);
        rc = cli_fail(c, "scenario %s leaves %d cop%s in retired regions (first: %s); move "
                      "them in the scenario first (sovmap plan --scenario %s proposes moves)",
                      pos[0], (int)ev->nstranded, ev->nstranded == 1 ? "y" : "ies",
                      sel ? sel : "?", pos[0]);
        free(sel);
        scenario_eval_free(ev);
        return rc;
    }
    if (ev->nstranded_keys) {
        char *sel = model_selector_dup(ev->m, OBJ_PLACEMENT, ev->stranded_keys[0]);
        rc = cli_fail(c, "scenario %s leaves %d key%s in retired regions (first: the key of %s); "
                      "move them in the scenario first (sovmap plan --scenario %s proposes "
                      "moves)", pos[0], (int)ev->nstranded_keys,
                      ev->nstranded_keys == 1 ? "" : "s", sel ? sel : "?", pos[0]);
        free(sel);
        scenario_eval_free(ev);
        return rc;
    }
    for (int32_t i = 0; i < ev->nops; i++) {
        const char *op = ev->ops[i].v[0];
        if (strcmp(op, "revoke-adequacy") == 0 || strcmp(op, "grant-adequacy") == 0 ||
            strcmp(op, "retire-region") == 0)
            law++;
    }
    /* the scenarios that are current now: applying this one makes them stale */
    for (int32_t k = 0; k < c->m->nscenarios; k++) {
        const struct scenario *o = &c->m->scenarios[k];
        if (o->deleted || k == id || cmd_scenario_made_on(c, o->name) != now)
            continue;
        if (sm_grow((void **)&fresh, &capfresh, nfresh + 1, sizeof *fresh)) {
            free(fresh);
            scenario_eval_free(ev);
            return cli_fail(c, "out of memory");
        }
        fresh[nfresh++] = o->name;
    }

    m = ev->m;
    /* the scenario is now the base: drop it, and scenarios built on it
     * build on the base (their ops are relative to its result) */
    sid = model_scenario(m, pos[0]);
    before = ops_text(&m->scenarios[sid]);
    for (int32_t k = 0; k < m->nscenarios; k++)
        if (!m->scenarios[k].deleted && strcmp(m->scenarios[k].base, pos[0]) == 0 &&
            model_set(m, OBJ_SCENARIO, k, "base", "", &e) != SM_OK)
            goto fail;
    if (model_remove(m, OBJ_SCENARIO, sid, &e) != SM_OK)
        goto fail;
    snprintf(audit, sizeof audit, "scenario apply %s", pos[0]);
    /* m is a clone of c->m with the ops applied: write what they changed */
    rc = cmd_save_changes(c, c->m, m, pos[0], audit, before, "applied to the base");
    if (rc == CLI_OK && !c->quiet) {
        fprintf(c->out, "applied scenario ");
        cli_put_text(c->out, pos[0]);
        fprintf(c->out, " (%d op%s) to the catalog\n", (int)ev->nops, ev->nops == 1 ? "" : "s");
    }
    if (rc == CLI_OK && law)
        cli_note(c, "note: %d op%s of %s describe the law or the org policy "
                "(adequacy, retired regions), not the catalog: they are not kept", law,
                law == 1 ? "" : "s", pos[0]);
    /* the others were made on the catalog as it was: say so */
    if (rc == CLI_OK && nfresh) {
        fprintf(c->err, "sovmap: note: this makes %d other scenario%s stale (review with "
                "sovmap scenario diff, or plan again):\n", (int)nfresh, nfresh == 1 ? "" : "s");
        for (int32_t k = 0; k < nfresh; k++) {
            int bad = unapplied(c, m, fresh[k], "", false);
            fputs("  ", c->err);
            cli_put_text(c->err, fresh[k]);
            if (bad)
                fprintf(c->err, ": %d op%s no longer appl%s", bad, bad == 1 ? "" : "s",
                        bad == 1 ? "ies" : "y");
            fputc('\n', c->err);
        }
    }
    free(fresh);
    free(before);
    scenario_eval_free(ev);
    return rc;
fail:
    rc = cli_error(c, &e);
    free(fresh);
    free(before);
    scenario_eval_free(ev);
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
      "               any error (like terraform plan -detailed-exitcode)\n", sc_diff, 0 },
    { "apply", "usage: sovmap scenario apply NAME [--force]\n"
      "Make the scenario the catalog's model in one audited transaction; the\n"
      "scenario is dropped and scenarios built on it build on the catalog.\n"
      "A stale scenario (the catalog changed since it was made or last edited)\n"
      "is refused, with the ops that no longer apply; --force applies it when\n"
      "every op still applies. The other scenarios it makes stale are listed.\n"
      "  --force      apply a stale scenario whose ops all still apply\n", sc_apply, 0 },
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
