/*
 * cmd_scenario_diff.c - `sovmap scenario diff` (what a scenario changes, op by
 * op, as text or JSON) and `sovmap scenario apply` (the scenario becomes the
 * catalog's model in one audited transaction). Part of cmd_scenario.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmd_scenario.h"
#include "cmd_util.h"
#include "scenario.h"
#include "store.h"

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

/* broken: NULL, or per op why it no longer applies (NULL where it does):
 * such an op is listed, marked, with nothing under it (partial_review). */
static void
diff_text(struct cli *c, const struct scenario_review *rv, const char *name, const char *other,
          const char *const *broken)
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
        fprintf(f, "\n%sop %d: ", broken && broken[i] ? "! " : "", (int)i + 1);
        cli_put_text(f, rv->ops[i].text);
        fputc('\n', f);
        if (broken && broken[i]) {
            fputs("  no longer applies: ", f);
            cli_put_text(f, broken[i]);
            fputs(" (left out of this diff)\n", f);
            continue;
        }
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
    char sign[2] = { ch->sign, '\0' };  /* bounded: one sign character */

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
diff_json(struct cli *c, const struct scenario_review *rv, const char *name, const char *other,
          const char *const *broken)
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
        if (broken) {
            fputs(", \"broken\": ", f);
            json_opt(f, broken[i]);
        }
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

/* Each op of scenario name on its line, "  N. OP" where it still applies on
 * the catalog (after the ones before it), "! N. OP  (no longer applies: WHY)"
 * where not; then the ways out. */
static void
list_ops_marked(struct cli *c, const char *name)
{
    struct scenario_eval *ev = NULL;
    SM_ERROR(e);
    int32_t sid = model_scenario(c->m, name);
    const struct scenario *sc;
    int bad = 0;
    uint32_t last = 0;

    if (sid == SM_NONE || scenario_begin(c->m, c->rp, name, &ev, &e) != SM_OK)
        return;
    sc = &c->m->scenarios[sid];
    if (*sc->base && scenario_apply_chain(ev, c->m, sc->base, &e) != SM_OK) {
        scenario_eval_free(ev);
        return;
    }
    fputs("ops of ", c->out);
    cli_put_text(c->out, name);
    fputs(" on the catalog as it is now:\n", c->out);
    for (uint32_t i = 0; i < sc->nops; i++) {
        char *line = scenario_op_dup((int)sc->ops[i].n, sc->ops[i].v);
        bool ok = scenario_apply(ev, (int)sc->ops[i].n, sc->ops[i].v, &e) == SM_OK;
        fprintf(c->out, "%s %u. ", ok ? " " : "!", i + 1);
        cli_put_text(c->out, line ? line : "?");
        free(line);
        if (!ok) {
            bad++;
            last = i + 1;
            fputs("  (no longer applies: ", c->out);
            cli_put_text(c->out, e.msg);
            fputc(')', c->out);
        }
        fputc('\n', c->out);
    }
    if (bad) {
        fprintf(c->out, "%d op%s marked ! no longer appl%s: remove %s (sovmap scenario rm ",
                bad, bad == 1 ? "" : "s", bad == 1 ? "ies" : "y", bad == 1 ? "it" : "them");
        cli_put_text(c->out, name);
        if (bad == 1)
            fprintf(c->out, " %u) or plan again\n", last);
        else
            fputs(" INDEX, from the last) or plan again\n", c->out);
    }
    scenario_eval_free(ev);
}

/* The review of scenario name without its ops that no longer apply on the
 * catalog (each tried after the ones before it that do, as list_ops_marked
 * does; QA #8), numbered as the scenario's: the broken ones are in rv->ops
 * with nothing under them, and *broken (in rv's arena) says why for each,
 * NULL where the op applies. An error when a base no longer applies. */
static int
partial_review(struct cli *c, const char *name, struct scenario_review **out,
               const char ***broken, struct sm_error *err)
{
    int32_t sid = model_scenario(c->m, name);
    struct scenario *sc;
    struct scenario_eval *ev = NULL;
    struct scenario_review *rv;
    struct sm_strv *all, *kept = NULL;
    struct scenario_review_op *ops;
    uint32_t nall, nkept = 0;
    int32_t *orig = NULL;
    char **why = NULL;
    const char **bad;
    int rc;

    if (sid == SM_NONE)
        return sm_error_set(err, SM_ENOTFOUND, "unknown scenario %s", name);
    sc = &c->m->scenarios[sid];
    all = sc->ops;
    nall = sc->nops;
    kept = calloc(nall + 1, sizeof *kept);
    orig = calloc(nall + 1, sizeof *orig);
    why = calloc(nall + 1, sizeof *why);
    if (!kept || !orig || !why) {
        rc = sm_error_set(err, SM_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = scenario_begin(c->m, c->rp, name, &ev, err)) != SM_OK ||
        (*sc->base && (rc = scenario_apply_chain(ev, c->m, sc->base, err)) != SM_OK))
        goto out;
    for (uint32_t i = 0; i < nall; i++) {
        SM_ERROR(e);
        if (scenario_apply(ev, (int)all[i].n, all[i].v, &e) == SM_OK) {
            kept[nkept] = all[i];
            orig[nkept++] = (int32_t)i;
        } else if (!(why[i] = strdup(e.msg))) {
            rc = sm_error_set(err, SM_ENOMEM, "out of memory");
            goto out;
        }
    }
    sc->ops = kept;             /* reviewed without the broken ops, then back */
    sc->nops = nkept;
    rc = scenario_review(c->m, c->rp, name, NULL, c->today, out, err);
    sc->ops = all;
    sc->nops = nall;
    if (rc != SM_OK)
        goto out;
    rv = *out;
    ops = calloc(nall + 1, sizeof *ops);        /* rv's own: freed with it */
    bad = sm_arena_alloc(&rv->arena, (nall + 1) * sizeof *bad);
    for (uint32_t k = 0; ops && bad && k < nkept; k++)
        ops[orig[k]] = rv->ops[k];
    for (uint32_t i = 0; ops && bad && i < nall; i++) {
        char *line;
        if (!why[i])
            continue;
        line = scenario_op_dup((int)all[i].n, all[i].v);
        ops[i].text = line ? sm_arena_strdup(&rv->arena, line) : NULL;
        ops[i].argv = all[i];
        bad[i] = sm_arena_strdup(&rv->arena, why[i]);
        free(line);
        if (!ops[i].text || !bad[i])
            bad = NULL;
    }
    if (!ops || !bad) {
        free(ops);
        scenario_review_free(rv);
        *out = NULL;
        rc = sm_error_set(err, SM_ENOMEM, "out of memory");
        goto out;
    }
    for (int32_t k = 0; k < rv->nchanges; k++)
        if (rv->changes[k].op != SM_NONE)
            rv->changes[k].op = orig[rv->changes[k].op];
    for (int32_t k = 0; k < rv->nfindings; k++)
        if (rv->findings[k].op != SM_NONE)
            rv->findings[k].op = orig[rv->findings[k].op];
    free(rv->ops);
    rv->ops = ops;
    rv->nops = (int32_t)nall;
    *broken = bad;
out:
    scenario_eval_free(ev);
    for (uint32_t i = 0; why && i < nall; i++)
        free(why[i]);
    free(why);
    free(orig);
    free(kept);
    return rc;
}

int
scmd_diff(struct cli *c, const struct command *self, int argc, char **argv)
{
    const char *format = NULL;
    bool exit_code = false;
    const struct cli_opt opts[] = {
        { "--format", OPT_STR, &format, "text|json" },
        { "--exit-code", OPT_FLAG, &exit_code, "exit 0 no change, 2 changes, 1 on error" },
        { NULL, 0, NULL, NULL },
    };
    struct scenario_review *rv = NULL;
    SM_ERROR(e);
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
    rc = scmd_args(c, self, argc, argv, opts, 1, 2, "scenario diff needs NAME [OTHER]", pos,
                    &npos, &help);
    if (rc || help)
        return rc && exit_code ? CLI_FINDINGS : rc;
    if ((rc = cmd_format(c, format, false, &fmt)) != CLI_OK ||
        (rc = scmd_open(c, true, pos[0], &id)) != CLI_OK ||
        (npos == 2 && (rc = scmd_find(c, pos[1], &id)) != CLI_OK))
        return exit_code ? CLI_FINDINGS : rc;
    if (scenario_review(c->m, c->rp, pos[0], npos == 2 ? pos[1] : NULL, c->today, &rv, &e)
        != SM_OK) {
        const char **broken = NULL;
        rc = cli_error(c, &e);
        /* a stale scenario: the diff of the ops that still apply, the broken
         * ones marked in it, then the ways out; still an error (doc/scenarios.md) */
        if (npos == 1 && partial_review(c, pos[0], &rv, &broken, &e) == SM_OK) {
            if (fmt == FMT_JSON)
                diff_json(c, rv, pos[0], NULL, broken);
            else
                diff_text(c, rv, pos[0], NULL, broken);
            if (fmt != FMT_JSON)
                fputc('\n', c->out);
            scenario_review_free(rv);
        }
        if (npos == 1 && fmt != FMT_JSON)
            list_ops_marked(c, pos[0]);
        return exit_code ? CLI_FINDINGS : rc;
    }
    if (fmt == FMT_JSON)
        diff_json(c, rv, pos[0], npos == 2 ? pos[1] : NULL, NULL);
    else
        diff_text(c, rv, pos[0], npos == 2 ? pos[1] : NULL, NULL);
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
    SM_ERROR(e);
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

int
scmd_apply(struct cli *c, const struct command *self, int argc, char **argv)
{
    struct scenario_eval *ev = NULL;
    SM_ERROR(e);
    struct model *m;
    bool force = false;
    const struct cli_opt opts[] = {
        { "--force", OPT_FLAG, &force, "apply a stale scenario whose ops all still apply" },
        { NULL, 0, NULL, NULL },
    };
    char *pos[2], *before = NULL, *audit;
    const char **fresh = NULL;
    int32_t id, sid, nfresh = 0, capfresh = 0;
    int64_t made, now;
    int npos, rc, law = 0;
    bool help, stale;

    rc = scmd_args(c, self, argc, argv, opts, 1, 1, "scenario apply needs one NAME", pos, &npos,
                    &help);
    if (rc || help || (rc = scmd_open(c, true, pos[0], &id)) != CLI_OK)
        return rc;
    if ((rc = scmd_freshness(c, pos[0], &made, &now, &stale)) != CLI_OK)
        return rc;
    if (stale) {
        int bad;
        if (!force) {
            /* offer only the ways out that work: --force applies nothing while
             * an op no longer applies */
            if ((bad = unapplied(c, c->m, pos[0], "  ", false)) == 0) {
                rc = cli_fail(c, "scenario %s is stale: it was made on catalog change %lld and "
                              "the catalog is at %lld; review it (sovmap scenario diff %s), "
                              "plan again, or apply it anyway with --force", pos[0],
                              (long long)made, (long long)now, pos[0]);
                fputs("  every op still applies; what they do may differ from the review\n",
                      c->err);
                return rc;
            }
            rc = cli_fail(c, "scenario %s is stale: it was made on catalog change %lld and the "
                          "catalog is at %lld, and %d op%s no longer appl%s (--force cannot "
                          "help): review it (sovmap scenario diff %s), remove %s (sovmap "
                          "scenario rm %s INDEX), or plan again", pos[0], (long long)made,
                          (long long)now, bad, bad == 1 ? "" : "s", bad == 1 ? "ies" : "y",
                          pos[0], bad == 1 ? "it" : "them", pos[0]);
            unapplied(c, c->m, pos[0], "  ", true);
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
    before = scmd_ops_text(&m->scenarios[sid]);
    for (int32_t k = 0; k < m->nscenarios; k++)
        if (!m->scenarios[k].deleted && strcmp(m->scenarios[k].base, pos[0]) == 0 &&
            model_set(m, OBJ_SCENARIO, k, "base", "", &e) != SM_OK)
            goto fail;
    if (model_remove(m, OBJ_SCENARIO, sid, &e) != SM_OK)
        goto fail;
    /* m is a clone of c->m with the ops applied: write what they changed;
     * the audit names the scenario whole */
    if (!(audit = sm_strdupf("scenario apply %s", pos[0]))) {
        sm_error_set(&e, SM_ENOMEM, "out of memory");
        goto fail;
    }
    rc = cmd_save_changes(c, c->m, m, pos[0], audit, before, "applied to the base");
    free(audit);
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
