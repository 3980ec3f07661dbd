/*
 * cmd_plan.c - `sovmap plan [--scenario NAME] [--prefer P] [--only-regions LIST]
 * [--name N]`: propose ops that remove every error, verified by the
 * checker, and save them as a new scenario to review, diff and apply.
 * Prints the scenario's name first (scripts read that line), then a
 * summary and what it could not fix. Exit 0 when no error is left, 1 when
 * some are (they are listed), 2 on usage or catalog errors.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmd_util.h"
#include "plan.h"
#include "store.h"

extern const struct command cmd_plan;

static int
parse_regions(struct cli *c, const char *list, int32_t **out, int32_t *n)
{
    char *copy = strdup(list), *save = NULL;
    int32_t *v = NULL, cap = 0, len = 0, id;
    int rc = CLI_OK;

    if (!copy)
        return cli_fail(c, "out of memory");
    for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
        if ((rc = cmd_find(c, OBJ_REGION, t, &id)) != CLI_OK)
            break;
        if (sm_grow((void **)&v, &cap, len + 1, sizeof *v)) {
            rc = cli_fail(c, "out of memory");
            break;
        }
        v[len++] = id;
    }
    free(copy);
    if (rc == CLI_OK && !len)
        rc = cli_fail(c, "--only-regions needs at least one region");
    if (rc != CLI_OK) {
        free(v);
        return rc;
    }
    *out = v;
    *n = len;
    return CLI_OK;
}

static int
save_plan(struct cli *c, const char *name, const char *base, const struct plan *p,
          const char *prefer)
{
    struct sm_error e = { 0 };
    struct scenario s;
    char desc[256], after[512];
    int32_t id;

    snprintf(desc, sizeof desc, "plan (prefer %s): %d op%s, errors %d -> %d", prefer,
             (int)p->nsteps, p->nsteps == 1 ? "" : "s", (int)p->errors_before,
             (int)p->errors_after);
    memset(&s, 0, sizeof s);
    s.name = name;
    s.base = base ? base : "";
    s.description = desc;
    if (model_add_scenario(c->m, &s, &id, &e) != SM_OK)
        return cli_error(c, &e);
    for (int32_t i = 0; i < p->nsteps; i++)
        if (model_scenario_append(c->m, id, (int)p->steps[i].op.n, p->steps[i].op.v, &e))
            return cli_error(c, &e);
    snprintf(after, sizeof after, "base=%s\ndescription=%s\nops=%d\n", s.base, desc,
             (int)p->nsteps);
    return cmd_save(c, c->m, OBJ_SCENARIO, id, name, "plan", NULL, after, "{}");
}

static int
run_plan(struct cli *c, int argc, char **argv)
{
    const char *scen = NULL, *prefer = NULL, *only = NULL, *name = NULL, *model = NULL;
    bool dry = false;
    const struct cli_opt opts[] = {
        { "--scenario", OPT_STR, &scen, "plan on top of this scenario" },
        { "--prefer", OPT_STR, &prefer, "same-provider|same-country|fewest-regions" },
        { "--only-regions", OPT_STR, &only, "comma-separated regions moves may target" },
        { "--name", OPT_STR, &name, "name of the scenario to save (default plan-N)" },
        { "--dry-run", OPT_FLAG, &dry, "print the plan, save nothing" },
        { "--model", OPT_STR, &model, "plan on model-json FILE (implies --dry-run)" },
        { NULL, 0, NULL, NULL },
    };
    struct plan_options po = { PLAN_SAME_PROVIDER, NULL, 0, 0 };
    struct scenario_eval *ev = NULL;
    struct plan *p = NULL;
    struct sm_error e = { 0 };
    int32_t *regions = NULL, id;
    char *pos[1], auto_name[64], line[2048];
    int npos, rc;
    bool help;

    rc = cmd_parse(c, &cmd_plan, argc, argv, opts, pos, 1, &npos, &help);
    if (rc || help)
        return rc;
    if (npos)
        return cli_usage_fail(c, cmd_plan.usage, "plan takes no arguments, not %s", pos[0]);
    if (prefer) {
        po.prefer = model_enum_parse(plan_prefer_names, PLAN_PREFER_COUNT, prefer);
        if (po.prefer == SM_NONE)
            return cli_usage_fail(c, cmd_plan.usage, "bad --prefer %s: use same-provider, "
                                  "same-country or fewest-regions", prefer);
    }
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
    if (only && (rc = parse_regions(c, only, &regions, &po.nonly)) != CLI_OK)
        return rc;
    po.only = regions;
    if (scenario_eval(c->m, c->rp, scen, c->today, &ev, &e) != SM_OK ||
        plan_make(ev, &po, &p, &e) != SM_OK) {
        rc = cli_error(c, &e);
        goto out;
    }
    if (p->errors_before == 0) {
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
        if ((rc = save_plan(c, name, scen, p, plan_prefer_names[po.prefer])) != CLI_OK)
            goto out;
        cli_put_text(c->out, name);
        fputc('\n', c->out);
    }
    if (!c->quiet) {
        fprintf(c->out, "%d op%s: errors %d -> %d (prefer %s%s)\n", (int)p->nsteps,
                p->nsteps == 1 ? "" : "s", (int)p->errors_before, (int)p->errors_after,
                plan_prefer_names[po.prefer], only ? ", only the regions listed" : "");
        for (int32_t i = 0; i < p->nsteps; i++) {
            scenario_op_format((int)p->steps[i].op.n, p->steps[i].op.v, line, sizeof line);
            fprintf(c->out, "  %d. ", (int)i + 1);
            cli_put_text(c->out, line);
            fputs("\n     fixes ", c->out);
            cli_put_text(c->out, p->steps[i].why);
            fputc('\n', c->out);
        }
        if (p->nunfixed) {
            fprintf(c->out, "cannot fix %d error%s:\n", (int)p->nunfixed,
                    p->nunfixed == 1 ? "" : "s");
            for (int32_t i = 0; i < p->nunfixed; i++) {
                fputs("  ", c->out);
                cli_put_text(c->out, p->unfixed[i].rule);
                fputc(' ', c->out);
                cli_put_text(c->out, p->unfixed[i].selector);
                fputs(": ", c->out);
                cli_put_text(c->out, p->unfixed[i].reason);
                fputc('\n', c->out);
            }
        }
        if (p->nsteps && dry) {
            fputs("dry run: no scenario saved\n", c->out);
        } else if (p->nsteps) {
            fputs("review: sovmap scenario diff ", c->out);
            cli_put_text(c->out, name);
            fputs("; apply: sovmap scenario apply ", c->out);
            cli_put_text(c->out, name);
            fputc('\n', c->out);
        } else {
            fputs("no scenario saved: nothing the planner can change helps\n", c->out);
        }
    }
    rc = p->errors_after ? CLI_FINDINGS : CLI_OK;
out:
    plan_free(p);
    scenario_eval_free(ev);
    free(regions);
    return rc;
}

const struct command cmd_plan = {
    .name = "plan",
    .summary = "propose a compliant plan and save it as a scenario",
    .usage =
    "usage: sovmap plan [--scenario NAME] [--prefer same-provider|same-country|fewest-regions]\n"
    "                   [--only-regions R1,R2...] [--name NAME] [--dry-run] [--model FILE]\n"
    "Propose scenario ops that remove every error finding: each violating copy\n"
    "moves to the closest allowed region (same provider, then the primary's\n"
    "country, then its bloc; --prefer changes the order, fewest-regions favours\n"
    "regions already in use), a mechanism (scc) is declared where no region\n"
    "works, encryption and classification are set where they fall short. Every\n"
    "fix is verified by re-checking. The ops are saved as a new scenario (on\n"
    "top of --scenario) whose name is printed first; what cannot be fixed is\n"
    "listed with the reason. Exit 0 when no error is left, 1 otherwise.\n"
    "  --scenario NAME       plan on top of a scenario (e.g. one retiring a region)\n"
    "  --prefer P            same-provider (default), same-country, fewest-regions\n"
    "  --only-regions LIST   regions moves may target, comma-separated\n"
    "  --name NAME           scenario to save (default plan-1, plan-2 ...)\n"
    "  --dry-run             print the plan, save nothing\n"
    "  --model FILE          plan on model-json FILE instead of the catalog (no catalog\n"
    "                        is opened; implies --dry-run)\n",
    .run = run_plan,
};
