/*
 * cli_rules.c - cli_load_rules: the rule pack a command checks with.
 *
 * Order: --rules PACK, else the catalog's choice (model rule_pack, stored as
 * catalog meta "rule_pack"), else "default". PACK is a name under
 * DATADIR/rules/ or a path to a JSON file. Idempotent: a loaded pack stays
 * in c->rp (released with rulepack_free by whoever tears the context down).
 */
#include <string.h>

#include "cli.h"
#include "rulepack.h"
#include "rules.h"
#include "store.h"

int
cli_load_rules(struct cli *c)
{
    struct sm_error e = { 0 };
    char meta[1024];
    const char *name = c->rules;

    if (c->rp)
        return CLI_OK;
    if (!name || !*name) {
        if (c->m && c->m->rule_pack && *c->m->rule_pack)
            name = c->m->rule_pack;
        else if (c->st && store_meta_get(c->st, "rule_pack", meta, sizeof meta, NULL) == SM_OK &&
                 *meta)
            name = meta;
        else
            name = "default";
    }
    if (rulepack_load(c->datadir, name, &c->rp, &e) != SM_OK) {
        c->rp = NULL;
        return cli_error(c, &e);
    }
    return CLI_OK;
}
