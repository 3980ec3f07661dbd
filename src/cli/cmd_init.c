/*
 * cmd_init.c - `sovmap init`: create the catalog and seed the default
 * tiers (restricted, confidential, public) from the rule pack.
 */
#include <string.h>
#include <unistd.h>

#include "cmd_util.h"
#include "store.h"

static int
run_init(struct cli *c, int argc, char **argv)
{
    extern const struct command cmd_init;
    char *pos[8];
    bool help, existed;
    int npos, rc, ntiers = 0, nds = 0;

    if (argc > 8)
        return cli_usage_fail(c, cmd_init.usage, "init: too many arguments");
    rc = cli_parse(c, &cmd_init, argc, argv, NULL, pos, &npos, &help);
    if (rc || help)
        return rc;
    if (npos)
        return cli_usage_fail(c, cmd_init.usage, "init: unexpected argument %s; the catalog "
                              "goes before the command: sovmap --catalog %s init", pos[0],
                              pos[0]);
    existed = access(c->catalog, F_OK) == 0;
    if ((rc = cli_open(c, CLI_WRITE | STORE_CREATE)) != CLI_OK)
        return rc;
    if (existed && (rc = cli_seed_tiers(c)) != CLI_OK)
        return rc;
    for (int32_t i = 0; i < c->m->ntiers; i++)
        ntiers += !c->m->tiers[i].deleted;
    for (int32_t i = 0; i < c->m->ndatasets; i++)
        nds += !c->m->datasets[i].deleted;
    if (!c->quiet) {
        fprintf(c->out, "%s ", existed ? "catalog" : "created");
        cli_put_text(c->out, c->catalog);
        fprintf(c->out, ": %d tiers, %d datasets\n", ntiers, nds);
    }
    return CLI_OK;
}

const struct command cmd_init = {
    .name = "init",
    .summary = "create the catalog with the default tiers",
    .usage =
        "usage: sovmap [--catalog PATH] init\n"
        "\n"
        "Create the catalog (default $XDG_DATA_HOME/sovmap/catalog.db) and seed the\n"
        "tiers restricted, confidential and public from the rule pack. On an existing\n"
        "catalog it changes nothing but missing tiers, and says what the catalog holds.\n",
    .run = run_init,
};
