/*
 * cmd_plan.c - `sovmap plan [--scenario NAME] [--prefer P] [--only-regions LIST]
 * [--avoid-regions LIST] [--pin X] [--keep-primaries] [--same-provider]
 * [--fail-on L] [--format F] [--name N]`: propose ops that remove every
 * error without adding any finding at or above --fail-on (plan.h: a plan
 * is a proof), and save them as a new scenario to review, diff and apply.
 * Prints the scenario's name first (scripts read that line), then a
 * summary and what it could not fix. Exit 0 when no error is left, 1 when
 * some are (they are listed), 2 on usage or catalog errors.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmd_util.h"
#include "plan.h"
#include "report.h"
#include "rules.h"
#include "store.h"

extern const struct command cmd_plan;

/* "aws:eu-west-1,azure:*" into region ids: exact ids (misspellings get a
 * suggestion) or patterns with '*' (as in the pack's org policy). */
static int
parse_regions(struct cli *c, const char *opt, const char *list, int32_t **out, int32_t *n)
{
    char *copy = strdup(list), *save = NULL;
    int32_t *v = NULL, cap = 0, len = 0, id;
    int rc = CLI_OK;

    if (!copy)
        return cli_fail(c, "out of memory");
    for (char *t = strtok_r(copy, ", ", &save); t && rc == CLI_OK;
         t = strtok_r(NULL, ", ", &save)) {
        bool any = false;
        if (!strchr(t, '*')) {
            if ((rc = cmd_find(c, OBJ_REGION, t, &id)) != CLI_OK)
                break;
            if (sm_grow((void **)&v, &cap, len + 1, sizeof *v)) {
                rc = cli_fail(c, "out of memory");
                break;
            }
            v[len++] = id;
            continue;
        }
        for (int32_t r = 0; r < c->m->nregions && rc == CLI_OK; r++) {
            if (c->m->regions[r].deleted || !rules_pattern_match(t, c->m->regions[r].id))
                continue;
            any = true;
            if (sm_grow((void **)&v, &cap, len + 1, sizeof *v))
                rc = cli_fail(c, "out of memory");
            else
                v[len++] = r;
        }
        if (rc == CLI_OK && !any)
            rc = cli_fail(c, "%s: no region matches %s", opt, t);
    }
    free(copy);
    if (rc == CLI_OK && !len)
        rc = cli_fail(c, "%s needs at least one region", opt);
    if (rc != CLI_OK) {
        free(v);
        return rc;
    }
    *out = v;
    *n = len;
    return CLI_OK;
}

/* --prefer LIST: one region order (nearest, same-provider, same-country,
 * fewest-regions) and mechanisms or moves, in any order. */
static int
parse_prefer(struct cli *c, const char *list, struct plan_options *po)
{
    char *copy = strdup(list), *save = NULL;
    int rc = CLI_OK;

    if (!copy)
        return cli_fail(c, "out of memory");
    for (char *t = strtok_r(copy, ", ", &save); t && rc == CLI_OK;
         t = strtok_r(NULL, ", ", &save)) {
        int k = model_enum_parse(plan_prefer_names, PLAN_PREFER_COUNT, t);
        if (k != SM_NONE)
            po->prefer = k;
        else if (strcmp(t, "moves") == 0)
            po->prefer_moves = true;
        else if (strcmp(t, "mechanisms") == 0)
            po->prefer_moves = false;
        else
            rc = cli_usage_fail(c, cmd_plan.usage, "bad --prefer %s: use mechanisms or moves, "
                                "and nearest, same-provider, same-country or fewest-regions", t);
    }
    free(copy);
    return rc;
}

static int
save_plan(struct cli *c, const char *name, const char *base, const struct plan *p,
          const struct plan_options *po)
{
    const char *prefer = plan_prefer_names[po->prefer];
    SM_ERROR(e);
    struct scenario s;
    char *desc, *after;
    int32_t id;
    int rc;

    desc = sm_strdupf("plan (prefer %s, %s first): %d op%s, errors %d -> %d, "
                      "warnings %d -> %d", prefer, po->prefer_moves ? "moves" : "mechanisms",
                      (int)p->nsteps, p->nsteps == 1 ? "" : "s", (int)p->before[SEV_ERROR],
                      (int)p->after[SEV_ERROR], (int)p->before[SEV_WARNING],
                      (int)p->after[SEV_WARNING]);
    if (!desc)
        return cli_fail(c, "plan: out of memory");
    memset(&s, 0, sizeof s);
    s.name = name;
    s.base = base ? base : "";
    s.description = desc;
    if (model_add_scenario(c->m, &s, &id, &e) != SM_OK) {
        free(desc);
        return cli_error(c, &e);
    }
    for (int32_t i = 0; i < p->nsteps; i++)
        if (model_scenario_append(c->m, id, (int)p->steps[i].op.n, p->steps[i].op.v, &e)) {
            free(desc);
            return cli_error(c, &e);
        }
    after = sm_strdupf("base=%s\ndescription=%s\nops=%d\n", s.base, desc, (int)p->nsteps);
    free(desc);
    if (!after)
        return cli_fail(c, "plan: out of memory");
    rc = cmd_save(c, c->m, OBJ_SCENARIO, id, name, "plan", NULL, after, "{}");
    free(after);
    return rc;
}

static void
print_json(struct cli *c, const struct plan *p, const char *name, bool dry,
           const struct plan_options *po)
{
    FILE *o = c->out;

    fputs("{\"scenario\": ", o);
    if (name && !dry)
        cli_put_json(o, name);
    else
        fputs("null", o);
    fprintf(o, ", \"saved\": %s, \"prefer\": ", name && !dry ? "true" : "false");
    cli_put_json(o, plan_prefer_names[po->prefer]);
    fprintf(o, ", \"mechanisms_first\": %s, \"fail_on\": ", po->prefer_moves ? "false" : "true");
    cli_put_json(o, po->fail_on >= SEV_COUNT ? "never" : severity_names[po->fail_on]);
    fprintf(o, ",\n \"ops\": %d, \"lower_bound\": %d, \"dropped\": %d, \"tries\": %d,\n",
            (int)p->nsteps, (int)p->lower_bound, (int)p->dropped, (int)p->tries);
    fputs(" \"counts\": {", o);
    for (int sv = SEV_COUNT - 1; sv >= 0; sv--) {
        fputs(sv == SEV_COUNT - 1 ? "" : ", ", o);
        cli_put_json(o, severity_names[sv]);
        fprintf(o, ": {\"before\": %d, \"after\": %d}", (int)p->before[sv], (int)p->after[sv]);
    }
    fputs("},\n \"steps\": [", o);
    for (int32_t i = 0; i < p->nsteps; i++) {
        const struct plan_step *st = &p->steps[i];
        char *line = scenario_op_dup((int)st->op.n, st->op.v);
        fprintf(o, "%s\n  {\"n\": %d, \"op\": ", i ? "," : "", (int)i + 1);
        cli_put_json(o, line ? line : "?");
        free(line);
        fputs(", \"argv\": [", o);
        for (uint32_t k = 0; k < st->op.n; k++) {
            fputs(k ? ", " : "", o);
            cli_put_json(o, st->op.v[k]);
        }
        fputs("], \"fixes\": {\"rule\": ", o);
        cli_put_json(o, st->rule);
        fputs(", \"selector\": ", o);
        cli_put_json(o, st->selector);
        fputs("}, \"why\": ", o);
        cli_put_json(o, st->why);
        fputc('}', o);
    }
    fputs("],\n \"new\": [", o);
    for (int32_t i = 0; i < p->nnews; i++) {
        fprintf(o, "%s\n  {\"rule\": ", i ? "," : "");
        cli_put_json(o, p->news[i].rule);
        fputs(", \"severity\": ", o);
        cli_put_json(o, severity_names[p->news[i].severity]);
        fputs(", \"selector\": ", o);
        cli_put_json(o, p->news[i].selector);
        fputs(", \"message\": ", o);
        cli_put_json(o, p->news[i].message);
        fprintf(o, ", \"todo\": %s}", p->news[i].todo ? "true" : "false");
    }
    fputs("],\n \"unfixed\": [", o);
    for (int32_t i = 0; i < p->nunfixed; i++) {
        fprintf(o, "%s\n  {\"rule\": ", i ? "," : "");
        cli_put_json(o, p->unfixed[i].rule);
        fputs(", \"selector\": ", o);
        cli_put_json(o, p->unfixed[i].selector);
        fputs(", \"reason\": ", o);
        cli_put_json(o, p->unfixed[i].reason);
        fputc('}', o);
    }
    fputs("]}\n", o);
}


/* "RULE SELECTOR: text" and a line break, escaped. */
static void
put_finding(FILE *o, const char *rule, const char *selector, const char *text)
{
    cli_put_text(o, rule);
    fputc(' ', o);
    cli_put_text(o, selector);
    fputs(": ", o);
    cli_put_text(o, text);
    fputc('\n', o);
}

static void
print_text(struct cli *c, const struct plan *p, const char *name, bool dry,
           const struct plan_options *po, const char *only)
{
    FILE *o = c->out;
    int32_t nnew = 0, nnew_warn = 0, ntodo = 0;

    fprintf(o, "%d op%s (lower bound %d): errors %d -> %d, warnings %d -> %d (prefer %s, %s "
            "first%s)\n", (int)p->nsteps, p->nsteps == 1 ? "" : "s", (int)p->lower_bound,
            (int)p->before[SEV_ERROR], (int)p->after[SEV_ERROR], (int)p->before[SEV_WARNING],
            (int)p->after[SEV_WARNING], plan_prefer_names[po->prefer],
            po->prefer_moves ? "moves" : "mechanisms", only ? ", only the regions listed" : "");
    for (int32_t i = 0; i < p->nsteps; i++) {
        char *line = scenario_op_dup((int)p->steps[i].op.n, p->steps[i].op.v);
        fprintf(o, "  %d. ", (int)i + 1);
        cli_put_text(o, line ? line : "?");
        free(line);
        fputs("\n     fixes ", o);
        cli_put_text(o, p->steps[i].why);
        fputc('\n', o);
    }
    for (int32_t i = 0; i < p->nnews; i++)
        if (p->news[i].todo)
            ntodo++;
        else {
            nnew++;
            if (p->news[i].severity >= SEV_WARNING)
                nnew_warn++;
        }
    if (nnew) {
        fprintf(o, "new finding%s after the plan (%d at or above warning):\n",
                nnew == 1 ? "" : "s", (int)nnew_warn);
        for (int32_t i = 0; i < p->nnews; i++) {
            if (p->news[i].todo)
                continue;
            fprintf(o, "  new %s ", severity_names[p->news[i].severity]);
            put_finding(o, p->news[i].rule, p->news[i].selector, p->news[i].message);
        }
    } else if (ntodo) {
        /* the to-dos are new findings too (counted above): say so */
        fprintf(o, "no new finding except the %d to-do%s below (verified: nothing else at or "
                "above %s appears)\n", (int)ntodo, ntodo == 1 ? "" : "s",
                po->fail_on >= SEV_COUNT ? "error" : severity_names[po->fail_on]);
    } else {
        fprintf(o, "no new finding (verified: nothing at or above %s appears)\n",
                po->fail_on >= SEV_COUNT ? "error" : severity_names[po->fail_on]);
    }
    /* what the plan's own steps leave to do (a mechanism's reference) */
    for (int32_t i = 0, k = 0; i < p->nnews; i++) {
        if (!p->news[i].todo)
            continue;
        if (!k++)
            fputs("to do before the plan is done:\n", o);
        fputs("  ", o);
        put_finding(o, p->news[i].rule, p->news[i].selector, p->news[i].message);
    }
    if (p->nunfixed) {
        fprintf(o, "cannot fix %d error%s:\n", (int)p->nunfixed, p->nunfixed == 1 ? "" : "s");
        for (int32_t i = 0; i < p->nunfixed; i++) {
            fputs("  ", o);
            put_finding(o, p->unfixed[i].rule, p->unfixed[i].selector, p->unfixed[i].reason);
        }
    }
    if (p->nsteps && dry) {
        fputs("dry run: no scenario saved\n", o);
    } else if (p->nsteps) {
        fputs("review: sovmap scenario diff ", o);
        cli_put_text(o, name);
        fputs("; apply: sovmap scenario apply ", o);
        cli_put_text(o, name);
        fputc('\n', o);
    } else {
        fputs("no scenario saved: nothing the planner can change helps\n", o);
    }
}

static int
run_plan(struct cli *c, int argc, char **argv)
{
    const char *scen = NULL, *prefer = NULL, *only = NULL, *avoid = NULL, *name = NULL,
               *model = NULL;
    const char *fail_on = NULL, *format = NULL;
    struct cli_strs pins = { 0 };
    char *owned[CLI_MAX_STRS] = { NULL };
    bool dry = false, keep = false, same = false, json = false;
    const struct cli_opt opts[] = {
        { "--scenario", OPT_STR, &scen, "plan on top of this scenario" },
        { "--prefer", OPT_STR, &prefer, "mechanisms|moves and nearest|same-provider|same-country|"
                                        "fewest-regions" },
        { "--fail-on", OPT_STR, &fail_on, "error|warning|info|never" },
        { "--only-regions", OPT_STR, &only, "comma-separated regions moves may target" },
        { "--avoid-regions", OPT_STR, &avoid, "comma-separated regions (or patterns) never "
                                              "targeted" },
        { "--pin", OPT_STRS, &pins, "a dataset or copy that never moves (repeatable)" },
        { "--keep-primaries", OPT_FLAG, &keep, "never move or demote a primary copy" },
        { "--same-provider", OPT_FLAG, &same, "moves stay with the copy's provider" },
        { "--name", OPT_STR, &name, "name of the scenario to save (default plan-N)" },
        { "--format", OPT_STR, &format, "text|json" },
        { "--dry-run", OPT_FLAG, &dry, "print the plan, save nothing" },
        { "--model", OPT_STR, &model, "plan on model-json FILE (implies --dry-run)" },
        { NULL, 0, NULL, NULL },
    };
    struct plan_options po;
    struct scenario_eval *ev = NULL;
    struct plan *p = NULL;
    SM_ERROR(e);
    int32_t *regions = NULL, *avoided = NULL, id;
    char *pos[1], auto_name[64];    /* bounded: "plan-" and an int */
    int npos, rc;
    bool help;

    plan_options_init(&po);
    rc = cmd_parse(c, &cmd_plan, argc, argv, opts, pos, 1, &npos, &help);
    if (rc || help)
        return rc;
    if (npos)
        return cli_usage_fail(c, cmd_plan.usage, "plan takes no arguments, not %s", pos[0]);
    if (prefer && (rc = parse_prefer(c, prefer, &po)) != CLI_OK)
        return rc;
    if (fail_on && (po.fail_on = report_fail_on_parse(fail_on)) == SM_NONE)
        return cli_usage_fail(c, cmd_plan.usage, "bad --fail-on %s: use error, warning, info "
                              "or never", fail_on);
    if (format && strcmp(format, "json") == 0)
        json = true;
    else if (format && strcmp(format, "text") != 0)
        return cli_usage_fail(c, cmd_plan.usage, "bad --format %s: use text or json", format);
    po.keep_primaries = keep;
    po.same_provider = same;
    po.pins = pins.v;
    po.npins = pins.n;
    /* a model file: nothing to save the plan into (doc/ci.md) */
    if (model) {
        dry = true;
        if ((rc = cli_use_model(c, model, NULL)) != CLI_OK)
            return rc;
    }
    if ((rc = cli_open(c, dry ? 0 : CLI_WRITE)) != CLI_OK || (rc = cli_load_rules(c)) != CLI_OK)
        return rc;
    if (scen && (rc = cmd_find(c, OBJ_SCENARIO, scen, &id)) != CLI_OK)
        return rc;
    if (name && model_scenario(c->m, name) != SM_NONE)
        return cli_fail(c, "scenario %s exists; pick another --name", name);
    for (int i = 0; i < pins.n; i++) {
        if (model_dataset(c->m, pins.v[i]) != SM_NONE)
            continue;
        if (!strchr(pins.v[i], '@')) {
            rc = cli_fail(c, "--pin %s: no such dataset (or give a copy as DATASET@REGION)",
                          pins.v[i]);
            goto out;
        }
        if ((rc = cmd_find(c, OBJ_PLACEMENT, pins.v[i], &id)) != CLI_OK)
            goto out;
        /* as the planner names copies: orders@aws:eu-west-1, not .../replica */
        if (!(owned[i] = model_selector_dup(c->m, OBJ_PLACEMENT, id))) {
            rc = cli_fail(c, "out of memory");
            goto out;
        }
        pins.v[i] = owned[i];
    }
    if (only && (rc = parse_regions(c, "--only-regions", only, &regions, &po.nonly)) != CLI_OK)
        return rc;
    po.only = regions;
    if (avoid && (rc = parse_regions(c, "--avoid-regions", avoid, &avoided, &po.navoid)) != CLI_OK)
        goto out;
    po.avoid = avoided;
    if (scenario_eval(c->m, c->rp, scen, c->today, &ev, &e) != SM_OK ||
        plan_make(ev, &po, &p, &e) != SM_OK) {
        rc = cli_error(c, &e);
        goto out;
    }
    if (p->errors_before == 0 && !json) {
        if (!c->quiet)
            fprintf(c->out, "nothing to plan: %s has no errors\n",
                    scen ? "the scenario" : "the catalog");
        rc = CLI_OK;
        goto out;
    }
    if (p->nsteps && !dry) {
        if (!name) {
            for (int n = 1;; n++) {
                snprintf(auto_name, sizeof auto_name, "plan-%d", n);
                if (model_scenario(c->m, auto_name) == SM_NONE)
                    break;
            }
            name = auto_name;
        }
        if ((rc = save_plan(c, name, scen, p, &po)) != CLI_OK)
            goto out;
        if (!json) {
            cli_put_text(c->out, name);
            fputc('\n', c->out);
        }
    }
    if (json)
        print_json(c, p, p->nsteps ? name : NULL, dry, &po);
    else if (!c->quiet)
        print_text(c, p, name, dry, &po, only);
    rc = p->errors_after ? CLI_FINDINGS : CLI_OK;
out:
    plan_free(p);
    scenario_eval_free(ev);
    free(regions);
    free(avoided);
    for (int i = 0; i < CLI_MAX_STRS; i++)
        free(owned[i]);
    return rc;
}

const struct command cmd_plan = {
    .name = "plan",
    .summary = "propose a compliant plan and save it as a scenario",
    .usage =
    "usage: sovmap plan [--scenario NAME] [--prefer mechanisms|moves[,ORDER]] [--fail-on LEVEL]\n"
    "                   [--only-regions R1,R2...] [--avoid-regions R1,R2...] [--pin X]...\n"
    "                   [--keep-primaries] [--same-provider] [--name NAME]\n"
    "                   [--format text|json] [--dry-run] [--model FILE]\n"
    "Propose scenario ops that remove every error finding, as a proof: each op is\n"
    "kept only when the checker clears its finding and adds no finding at or\n"
    "above --fail-on, and the whole plan is checked again before it is printed\n"
    "or saved. A copy stays where it is when a mechanism (scc), encryption or a\n"
    "key move fixes it (--prefer moves: moves first); a localization law promotes\n"
    "an in-country copy to primary; else the copy moves to the nearest allowed\n"
    "region to where it is: same country, same bloc, the dataset's home country,\n"
    "same provider, any (ties: same provider, home country, a region in use, a\n"
    "single region, then the id). Regions the pack's org policy denies are never\n"
    "targets. The ops are saved as a new scenario (on top of --scenario) whose\n"
    "name is printed first; the summary counts errors and warnings before and\n"
    "after and lists every new finding; what cannot be fixed is listed with the\n"
    "reason (conflicting regimes get a verdict). Exit 0 when no error is left,\n"
    "1 otherwise, 2 on usage errors. doc/scenarios.md explains the ranking.\n"
    "  --scenario NAME       plan on top of a scenario (e.g. one retiring a region)\n"
    "  --prefer LIST         mechanisms (default) or moves; and the region order:\n"
    "                        nearest (default), same-provider, same-country (the\n"
    "                        dataset's home first), fewest-regions (regions in use)\n"
    "  --fail-on LEVEL       no new finding at or above: error, warning (default),\n"
    "                        info, never (errors only)\n"
    "  --only-regions LIST   regions moves may target, comma-separated ('*' patterns)\n"
    "  --avoid-regions LIST  regions moves never target ('*' patterns)\n"
    "  --pin X               dataset or copy (DATASET@REGION) never moved; repeatable\n"
    "  --keep-primaries      never move or demote a primary copy\n"
    "  --same-provider       moves stay with the copy's provider\n"
    "  --name NAME           scenario to save (default plan-1, plan-2 ...)\n"
    "  --format F            text (default) or json\n"
    "  --dry-run             print the plan, save nothing\n"
    "  --model FILE          plan on model-json FILE instead of the catalog (no catalog\n"
    "                        is opened; implies --dry-run)\n",
    .run = run_plan,
};
