/*
 * cmd_fmt.c - `sovmap fmt [--check] FILE...`: rewrite hand-edited
 * model-json files in the canonical form (model_json_write: fixed key
 * order, sorted lists, two-space indentation), like `terraform fmt`.
 *
 * A file is replaced atomically (outfile.h) and keeps its permissions; a
 * file already canonical is not touched. --check changes nothing: it
 * names the files that would change and exits 1. "-" reads standard input
 * and writes the canonical form to standard output.
 *
 * Exit: 0 all canonical (or rewritten), 1 --check found a file to change,
 * 2 usage error, unreadable or invalid file (its file:line:col: message).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cmd_util.h"
#include "model_json.h"
#include "outfile.h"
#include "refdata.h"

extern const struct command cmd_fmt;

/* The canonical text of model m on the heap (*len bytes), or NULL. */
static char *
canonical(struct cli *c, const struct model *m, size_t *len)
{
    SM_ERROR(e);
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    int rc;

    if (!f) {
        cli_fail(c, "out of memory");
        return NULL;
    }
    rc = model_json_write(m, f, &e);
    if (fclose(f) != 0 && rc == SM_OK)
        rc = sm_error_set(&e, SM_ENOMEM, "out of memory");
    if (rc != SM_OK) {
        free(buf);
        cli_error(c, &e);
        return NULL;
    }
    *len = n;
    return buf;
}

static int
replace(struct cli *c, const char *path, const char *text, size_t len)
{
    SM_ERROR(e);
    struct outfile of;
    struct stat st;
    bool keep = stat(path, &st) == 0 && S_ISREG(st.st_mode);

    if (outfile_open(&of, path, "wb", &e) != SM_OK)
        return cli_error(c, &e);
    /* the temporary file takes the mode of the one it replaces */
    if (keep && of.tmp && fchmod(fileno(of.f), st.st_mode & 07777) != 0) {
        outfile_close(&of, false, NULL);
        return cli_fail(c, "%s: cannot keep its mode: %s", path, strerror(errno));
    }
    if (fwrite(text, 1, len, of.f) != len) {
        outfile_close(&of, false, NULL);
        return cli_fail(c, "%s: cannot write: %s", path, strerror(errno));
    }
    if (outfile_close(&of, true, &e) != SM_OK)
        return cli_error(c, &e);
    return CLI_OK;
}

/* One file: CLI_OK canonical or rewritten, CLI_FINDINGS it would change
 * (--check), CLI_USAGE unreadable or invalid. */
static int
fmt_one(struct cli *c, const char *path, bool check)
{
    struct model *m = NULL;
    char *text = NULL, *canon = NULL;
    size_t len = 0, clen = 0;
    bool in = strcmp(path, "-") == 0;
    int rc;

    /* read once: the bytes compared are the bytes parsed */
    if (!(text = cli_slurp(path, &len)))
        return cli_fail(c, "%s: cannot read: %s", cli_model_name(path), strerror(errno));
    if (!(m = model_new())) {
        free(text);
        return cli_fail(c, "out of memory");
    }
    {
        SM_ERROR(e);
        if (refdata_load_regions(c->datadir, m, &e) != SM_OK ||
            model_json_read(text, len, cli_model_name(path), m, &e) != SM_OK) {
            rc = cli_error(c, &e);
            goto out;
        }
    }
    if (!(canon = canonical(c, m, &clen))) {
        rc = CLI_USAGE;
        goto out;
    }
    rc = CLI_OK;
    if (in && !check) {
        if (fwrite(canon, 1, clen, c->out) != clen || fflush(c->out) != 0)
            rc = cli_fail(c, "standard output: %s", strerror(errno));
        goto out;
    }
    if (clen == len && memcmp(canon, text, len) == 0)
        goto out;
    if (check) {
        cli_put_text(c->out, cli_model_name(path));
        fputc('\n', c->out);
        rc = CLI_FINDINGS;
        goto out;
    }
    if ((rc = replace(c, path, canon, clen)) == CLI_OK && !c->quiet) {
        cli_put_text(c->out, path);
        fputc('\n', c->out);
    }
out:
    free(canon);
    free(text);
    model_free(m);
    return rc;
}

static int
run_fmt(struct cli *c, int argc, char **argv)
{
    bool check = false, help = false;
    const struct cli_opt opts[] = {
        { "--check", OPT_FLAG, &check, "exit 1 if a file would change" },
        { NULL, 0, NULL, NULL },
    };
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    int npos = 0, rc, worst = CLI_OK, stdins = 0;

    if (!pos)
        return cli_fail(c, "out of memory");
    rc = cli_parse(c, &cmd_fmt, argc, argv, opts, pos, &npos, &help);
    if (rc || help)
        goto out;
    if (npos == 0) {
        rc = cli_usage_fail(c, cmd_fmt.usage, "fmt needs a model-json file (or - for "
                            "standard input)");
        goto out;
    }
    for (int i = 0; i < npos; i++)
        stdins += strcmp(pos[i], "-") == 0;
    if (stdins > 1 || (stdins && npos > 1 && !check)) {
        rc = cli_usage_fail(c, cmd_fmt.usage, "fmt: - (standard input to standard output) "
                            "goes alone");
        goto out;
    }
    for (int i = 0; i < npos; i++) {
        worst = cmd_worst_exit(worst, fmt_one(c, pos[i], check));
    }
    rc = worst;
out:
    free(pos);
    return rc;
}

const struct command cmd_fmt = {
    .name = "fmt",
    .summary = "rewrite model-json files in the canonical form (--check: exit 1 if not)",
    .usage =
        "usage: sovmap fmt [--check] FILE...\n"
        "\n"
        "Rewrite each model-json FILE in the canonical form sovmap writes (fixed key\n"
        "order, sorted lists, two-space indentation), so that hand edits diff cleanly.\n"
        "A file is replaced only once the new text is complete, keeps its permissions,\n"
        "and is not touched when already canonical; the names of rewritten files are\n"
        "printed. An invalid file is left alone and reported as FILE:LINE:COL: message.\n"
        "FILE - reads standard input and writes the canonical form to standard output.\n"
        "\n"
        "options:\n"
        "  --check    change nothing; print the files that are not canonical\n"
        "\n"
        "exit status: 0 canonical (or rewritten), 1 --check found a file to rewrite,\n"
        "2 usage error or an unreadable or invalid file\n",
    .run = run_fmt,
};
