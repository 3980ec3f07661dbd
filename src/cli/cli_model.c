/*
 * cli_model.c - a model-json file in place of the catalog: `sovmap check
 * FILE`, `validate`, `fmt`, `diff` and `export`/`plan --model FILE` read
 * the team's model as it is kept in git, with no SQLite file at all.
 *
 * The file is read whole (a model file is text a person edits; import
 * model has its own size guard) and parsed with model_json_read_locs so
 * that reports can point at the lines of its objects.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "model_json.h"
#include "refdata.h"

char *
cli_slurp(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char *buf = NULL, *nb;
    size_t cap = 0, n;
    int saved;

    *len = 0;
    if (!f)
        return NULL;
    do {
        if (*len + 65536 + 1 > cap) {
            cap = cap * 2 + 65536 + 1;
            if (!(nb = realloc(buf, cap))) {
                free(buf);
                buf = NULL;
                errno = ENOMEM;
                break;
            }
            buf = nb;
        }
        n = fread(buf + *len, 1, cap - *len - 1, f);
        *len += n;
    } while (n > 0);
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
        errno = EIO;
    }
    if (buf)
        buf[*len] = 0;
    saved = errno;
    if (f != stdin)
        fclose(f);
    errno = saved;
    return buf;
}

const char *
cli_model_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int
cli_parse_model(struct cli *c, const char *text, size_t len, const char *name,
                struct model **out, struct model_json_locs *locs)
{
    SM_ERROR(e);
    struct model *m;

    if (!(m = model_new()))
        return cli_fail(c, "out of memory");
    if (refdata_load_regions(c->datadir, m, &e) != SM_OK ||
        model_json_read_locs(text, len, name, m, locs, &e) != SM_OK) {
        model_free(m);
        return cli_error(c, &e);
    }
    *out = m;
    return CLI_OK;
}

int
cli_read_model(struct cli *c, const char *path, struct model **out,
               struct model_json_locs *locs)
{
    size_t len;
    char *text = cli_slurp(path, &len);
    int rc;

    if (!text)
        return cli_fail(c, "%s: cannot read: %s", cli_model_name(path), strerror(errno));
    rc = cli_parse_model(c, text, len, cli_model_name(path), out, locs);
    free(text);
    return rc;
}

int
cli_use_model(struct cli *c, const char *path, struct model_json_locs *locs)
{
    struct model *m = NULL;
    int rc;

    if (c->m)
        return cli_fail(c, "%s: a model is already loaded", cli_model_name(path));
    if ((rc = cli_read_model(c, path, &m, locs)) != CLI_OK)
        return rc;
    c->m = m;
    c->model_file = cli_model_name(path);
    c->locs = locs;
    return CLI_OK;
}
