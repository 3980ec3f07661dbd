/*
 * cmd_validate.c - `sovmap validate FILE...`: is each model-json file a
 * model sovmap can load? Schema errors (unknown keys, wrong types, bad
 * values) and reference errors (a tier, region, dataset or copy that does
 * not exist, a name defined twice) are reported as FILE:LINE:COL: message,
 * the form editors and CI problem matchers read.
 *
 * Reading stops at a file's first error (model_json_read), so each file
 * gets at most one message; every file is validated.
 *
 * Exit: 0 all valid, 1 some file invalid, 2 usage error or unreadable file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_util.h"
#include "model_json.h"
#include "refdata.h"

extern const struct command cmd_validate;

static int
validate_one(struct cli *c, const char *path)
{
    SM_ERROR(e);
    struct model *m;
    char *text;
    size_t len;
    int rc = CLI_OK, nd = 0, np = 0, nf = 0;

    if (!(text = cli_slurp(path, &len)))
        return cli_fail(c, "%s: cannot read: %s", cli_model_name(path), strerror(errno));
    if (!(m = model_new())) {
        free(text);
        return cli_fail(c, "out of memory");
    }
    if (refdata_load_regions(c->datadir, m, &e) != SM_OK) {
        rc = cli_error(c, &e);
    } else if (model_json_read_new(text, len, cli_model_name(path), m, &e) != SM_OK) {
        if (e.code == SM_ENOMEM) {
            rc = cli_error(c, &e);
        } else {
            /* "m.json:12:7: datasets[3].tier: unknown tier restrictd" */
            cli_put_text(c->err, e.msg);
            fputc('\n', c->err);
            rc = CLI_FINDINGS;
        }
    } else if (!c->quiet) {
        for (int32_t i = 0; i < m->ndatasets; i++)
            nd += !m->datasets[i].deleted;
        for (int32_t i = 0; i < m->nplacements; i++)
            np += !m->placements[i].deleted;
        for (int32_t i = 0; i < m->nflows; i++)
            nf += !m->flows[i].deleted;
        cli_put_text(c->out, cli_model_name(path));
        fprintf(c->out, ": valid: %d datasets, %d copies, %d flows\n", nd, np, nf);
    }
    model_free(m);
    free(text);
    return rc;
}

static int
run_validate(struct cli *c, int argc, char **argv)
{
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    int npos = 0, rc, worst = CLI_OK;
    bool help = false;

    if (!pos)
        return cli_fail(c, "out of memory");
    rc = cli_parse(c, &cmd_validate, argc, argv, NULL, pos, &npos, &help);
    if (rc || help)
        goto out;
    if (npos == 0) {
        rc = cli_usage_fail(c, cmd_validate.usage, "validate needs a model-json file (or - "
                            "for standard input)");
        goto out;
    }
    for (int i = 0; i < npos; i++) {
        worst = cmd_worst_exit(worst, validate_one(c, pos[i]));
    }
    rc = worst;
out:
    free(pos);
    return rc;
}

const struct command cmd_validate = {
    .name = "validate",
    .summary = "report schema and reference errors of model-json files as FILE:LINE:COL",
    .usage =
        "usage: sovmap validate FILE...\n"
        "\n"
        "Read each model-json FILE (- for standard input) as sovmap loads it and report\n"
        "its first error as FILE:LINE:COL: PATH: message on standard error: unknown\n"
        "keys, wrong types, bad values, and references to a tier, region, dataset or\n"
        "copy that does not exist. A valid file gets one line on standard output with\n"
        "what it holds (none with --quiet). No catalog is opened.\n"
        "\n"
        "exit status: 0 every file valid, 1 some file invalid, 2 usage error or a file\n"
        "that cannot be read\n",
    .run = run_validate,
};
