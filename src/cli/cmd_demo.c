/*
 * cmd_demo.c - `sovmap demo`: write the demo model (data/demo/demo.json, in
 * model-json form) into the catalog, replacing what is there, then open the
 * TUI when run on a terminal.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_util.h"
#include "model_json.h"
#include "readfile.h"
#include "refdata.h"
#include "store.h"

extern const struct command cmd_demo;

/* A demo model is a model-json file: the cap import model uses. */
static char *
slurp(const char *path, size_t *len)
{
    return readfile_all(path, (size_t)1 << 30, len);
}

struct counts {
    int datasets, tiers, placements, flows, regions, other;
};

static void
count(const struct model *m, struct counts *n)
{
    memset(n, 0, sizeof *n);
    for (int32_t i = 0; i < m->ndatasets; i++)
        n->datasets += !m->datasets[i].deleted;
    for (int32_t i = 0; i < m->ntiers; i++)
        n->tiers += !m->tiers[i].deleted;
    for (int32_t i = 0; i < m->nplacements; i++)
        n->placements += !m->placements[i].deleted;
    for (int32_t i = 0; i < m->nflows; i++)
        n->flows += !m->flows[i].deleted;
    for (int32_t i = 0; i < m->nregions; i++)
        n->regions += !m->regions[i].deleted && !m->regions[i].builtin;
    for (int32_t i = 0; i < m->nwaivers; i++)
        n->other += !m->waivers[i].deleted;
    for (int32_t i = 0; i < m->nscenarios; i++)
        n->other += !m->scenarios[i].deleted;
}

static int
run_demo(struct cli *c, int argc, char **argv)
{
    bool force = false, help;
    const char *from = NULL;
    const struct cli_opt opts[] = {
        { "--force", OPT_FLAG, &force, "replace a non-empty catalog without asking" },
        { "--from", OPT_STR, &from, "a model-json file to write instead of the shipped demo" },
        { NULL, 0, NULL, NULL },
    };
    char *pos[8], *path = NULL, *text = NULL, after[256];   /* bounded: after holds counts */
    struct model *dm = NULL;
    SM_ERROR(e);
    struct counts have, got;
    size_t len = 0;
    int npos, rc;

    if (argc > 8)
        return cli_usage_fail(c, cmd_demo.usage, "demo: too many arguments");
    rc = cli_parse(c, &cmd_demo, argc, argv, opts, pos, &npos, &help);
    if (rc || help)
        return rc;
    if (npos)
        return cli_usage_fail(c, cmd_demo.usage, "demo: unexpected argument %s", pos[0]);
    /* the path whole, however long */
    if (!(path = from ? sm_strdupf("%s", from) : sm_strdupf("%s/demo/demo.json", c->datadir)))
        return cli_fail(c, "out of memory");
    if (!(text = slurp(path, &len))) {
        rc = cli_fail(c, "%s: cannot read the demo model", path);
        free(path);
        return rc;
    }
    if (!(dm = model_new())) {
        free(text);
        free(path);
        return cli_fail(c, "out of memory");
    }
    if (refdata_load_regions(c->datadir, dm, &e) != SM_OK ||
        model_json_read(text, len, path, dm, &e) != SM_OK) {
        rc = cli_error(c, &e);
        goto out;
    }
    if ((rc = cli_open(c, CLI_WRITE | STORE_CREATE)) != CLI_OK)
        goto out;
    count(c->m, &have);
    if ((have.datasets || have.regions || have.flows || have.other) && !force) {
        if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO)) {
            rc = cli_fail(c, "%s already holds %d datasets; add --force to replace them with "
                          "the demo model", c->catalog, have.datasets);
            goto out;
        }
        if (!cli_confirm(c, "replace the %d datasets, %d copies and %d flows in %s with the "
                         "demo model?", have.datasets, have.placements, have.flows,
                         c->catalog)) {
            /* declining keeps the catalog; on a terminal, open it as it is */
            cli_note(c, "kept %s as it was", c->catalog);
            rc = CLI_OK;
            if (isatty(STDOUT_FILENO) && cli_command("tui")) {
                char *targv[] = { "tui", NULL };
                rc = cli_run(c, cli_command("tui"), 1, targv);
            }
            goto out;
        }
    }
    count(dm, &got);
    snprintf(after, sizeof after, "%d dataset%s, %d tier%s, %d cop%s, %d flow%s",
             got.datasets, got.datasets == 1 ? "" : "s", got.tiers, got.tiers == 1 ? "" : "s",
             got.placements, got.placements == 1 ? "y" : "ies", got.flows,
             got.flows == 1 ? "" : "s");
    if ((rc = cmd_save(c, dm, OBJ_DATASET, SM_NONE, path, "demo", NULL, after, NULL)) != CLI_OK)
        goto out;
    model_free(c->m);
    c->m = dm;
    dm = NULL;
    if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) && cli_command("tui")) {
        char *targv[] = { "tui", NULL };
        rc = cli_run(c, cli_command("tui"), 1, targv);
        goto out;
    }
    if (!c->quiet) {
        fputs("wrote the demo model to ", c->out);
        cli_put_text(c->out, c->catalog);
        fprintf(c->out, ": %s; try: sovmap --catalog ", after);
        cli_put_text(c->out, c->catalog);
        fputs(" check\n", c->out);
    }
out:
    model_free(dm);
    free(text);
    free(path);
    return rc;
}

const struct command cmd_demo = {
    .name = "demo",
    .summary = "write the demo model (a fictional retailer) into the catalog",
    .usage =
        "usage: sovmap [--catalog PATH] demo [--force] [--from FILE]\n"
        "\n"
        "Write the demo model into the catalog, replacing what is there: a retailer\n"
        "with a cloud backup service, a fleet telemetry platform and a loyalty\n"
        "programme across EU, US, Singapore, Brazil and India regions, with realistic\n"
        "violations to explore. On a terminal it asks before replacing a non-empty\n"
        "catalog and then opens the TUI; in scripts a non-empty catalog needs --force.\n"
        "\n"
        "  --force      replace a non-empty catalog without asking\n"
        "  --from FILE  write this model-json file instead of data/demo/demo.json\n",
    .run = run_demo,
};
