/*
 * cli_rules.c - cli_load_rules: the rule pack a command checks with.
 *
 * Order: --rules PACK, else the catalog's choice (model rule_pack, stored as
 * catalog meta "rule_pack"), else "default". --rules PACK is a name under
 * DATADIR/rules/ or a path to a JSON file; a catalog's pack is a plain name
 * only, looked up in DATADIR/rules/ and then $XDG_CONFIG_HOME/sovmap/rules/. Idempotent: a loaded pack stays
 * in c->rp (released with rulepack_free by whoever tears the context down).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "rulepack.h"
#include "rules.h"
#include "store.h"

/* The rule pack file NAME.json in $XDG_CONFIG_HOME/sovmap/rules (else
 * ~/.config/sovmap/rules), on the heap; NULL if there is no such directory
 * or no memory. */
static char *
config_pack(const char *name)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

    if (xdg && *xdg == '/')
        return sm_strdupf("%s/sovmap/rules/%s.json", xdg, name);
    if (home && *home)
        return sm_strdupf("%s/.config/sovmap/rules/%s.json", home, name);
    return NULL;
}

/* The pack a catalog names: a plain name, looked up in the data directory
 * and then the config directory, never a path. */
static int
load_catalog_pack(struct cli *c, const char *name, struct sm_error *e)
{
    char *path;
    int rc;

    if (!rulepack_plain_name(name))
        return sm_error_set(e, SM_EINVAL, "%s: the catalog's rule pack %s is not a pack "
                            "name; give a pack file with --rules PATH, or set a name",
                            c->catalog, name);
    rc = rulepack_load(c->datadir, name, &c->rp, e);
    if (rc != SM_ENOTFOUND || !(path = config_pack(name)))
        return rc;
    if (access(path, F_OK) == 0)
        rc = rulepack_load(c->datadir, path, &c->rp, e);
    free(path);
    return rc;
}

int
cli_load_rules(struct cli *c)
{
    SM_ERROR(e);
    char *meta = NULL;
    const char *name = c->rules;
    int rc;

    if (c->rp)
        return CLI_OK;
    if (name && *name) {
        /* from the command line: a name or a path */
        rc = rulepack_load(c->datadir, name, &c->rp, &e);
    } else {
        if (c->m && c->m->rule_pack && *c->m->rule_pack)
            name = c->m->rule_pack;
        else if (c->st && store_meta_dup(c->st, "rule_pack", &meta, NULL) == SM_OK && *meta)
            name = meta;
        else
            name = "default";
        rc = load_catalog_pack(c, name, &e);
        free(meta);
    }
    if (rc != SM_OK) {
        c->rp = NULL;
        return cli_error(c, &e);
    }
    return CLI_OK;
}
