/*
 * cli_scenario.c - `--scenario NAME` for any command that reads the model
 * (check, export): evaluate the scenario and let the command see its model
 * and rule pack instead of the catalog's. The catalog is left untouched;
 * custom SQL rules run on a copy of the scenario's model in memory
 * (cmd_check.c).
 */
#include <stdlib.h>

#include "cli_scenario.h"
#include "store.h"
#include "rulepack.h"
#include "scenario.h"

int
cli_use_scenario(struct cli *c, const char *name)
{
    struct scenario_eval *ev = NULL;
    SM_ERROR(e);
    int rc;

    if (!name || !*name)
        return CLI_OK;
    /* the commands that take --scenario only read the catalog */
    if ((rc = cli_open(c, STORE_READONLY)) != CLI_OK || (rc = cli_load_rules(c)) != CLI_OK)
        return rc;
    if ((rc = scenario_begin(c->m, c->rp, name, &ev, &e)) != SM_OK ||
        (rc = scenario_apply_chain(ev, c->m, name, &e)) != SM_OK) {
        scenario_eval_free(ev);
        return cli_error(c, &e);
    }
    /* the command now owns the scenario's model and pack (the pack copy
     * owns its strings, so the base pack can go); the TUI still shows the
     * catalog's, so for it they are kept */
    if (c->keep_base)
        c->base_m = c->m;
    else
        model_free(c->m);
    c->m = ev->m;
    ev->m = NULL;
    c->scenario = true;
    if (ev->rp_own) {
        if (c->keep_base)
            c->base_rp = c->rp;
        else
            rulepack_free(c->rp);
        c->rp = ev->rp_own;
        ev->rp_own = NULL;
    }
    if (ev->nretired && c->verbose)
        cli_note(c, "scenario %s retires %d region%s", name, (int)ev->nretired,
                ev->nretired == 1 ? "" : "s");
    scenario_eval_free(ev);
    return CLI_OK;
}

void
cli_end_scenario(struct cli *c)
{
    if (!c->scenario || !c->base_m)
        return;
    model_free(c->m);
    c->m = c->base_m;
    c->base_m = NULL;
    if (c->base_rp) {
        rulepack_free(c->rp);
        c->rp = c->base_rp;
        c->base_rp = NULL;
    }
    c->scenario = false;
}
