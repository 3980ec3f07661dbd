/*
 * cli.c - what every command shares: the registry, the default catalog,
 * opening the catalog and the model (seeding tiers in new catalogs), and
 * applying edits. Option parsing, errors and escaping are in cli_parse.c.
 *
 * Depends on store/ and core/ (and io/ for refdata and rule packs); never on
 * tui/. Only this directory and tui/ print.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "model_json.h"
#include "refdata.h"
#include "rulepack.h"
#include "store.h"
#include "cmd_util.h"

/* ---- registry --------------------------------------------------------------------- */

#define CMD(name) extern const struct command cmd_##name;
#include "commands.def"
#undef CMD

const struct command *const cli_commands[] = {
#define CMD(name) &cmd_##name,
#include "commands.def"
#undef CMD
    NULL
};

const struct command *
cli_command(const char *name)
{
    for (const struct command *const *c = cli_commands; *c; c++)
        if (strcmp((*c)->name, name) == 0)
            return *c;
    return NULL;
}

int
cli_run(struct cli *c, const struct command *cmd, int argc, char **argv)
{
    return cmd->subs ? cmd_dispatch(c, cmd, argc, argv) : cmd->run(c, argc, argv);
}

/* ---- catalog and model ---------------------------------------------------------------- */

const char *
cli_default_catalog(void)
{
    static char *path;          /* whole, however long the variable; made once */
    const char *x = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

    if (path)
        return path;
    if (x && *x)
        path = sm_strdupf("%s/sovmap/catalog.db", x);
    else if (home && *home)
        path = sm_strdupf("%s/.local/share/sovmap/catalog.db", home);
    return path ? path : "sovmap-catalog.db";
}

/* The audit data of the seeded tiers: added, from nothing. */
static int
seed_data(struct cli *c, char **data)
{
    SM_ERROR(e);
    struct obj_ref *refs = malloc(((size_t)c->m->ntiers + 1) * sizeof *refs);
    char *after = NULL;

    *data = NULL;
    if (!refs)
        return cli_fail(c, "out of memory");
    for (int32_t i = 0; i < c->m->ntiers; i++)
        refs[i] = (struct obj_ref){ OBJ_TIER, i };
    if (model_json_part(c->m, refs, c->m->ntiers, &after, &e) != SM_OK) {
        free(refs);
        return cli_error(c, &e);
    }
    free(refs);
    *data = cmd_audit_data("{}", after);
    free(after);
    return *data ? CLI_OK : cli_fail(c, "out of memory");
}

/* Write the rule pack's default tiers into a catalog that has none. */
int
cli_seed_tiers(struct cli *c)
{
    SM_ERROR(e);
    char *data = NULL, *names = NULL;
    size_t len = 0;
    FILE *nf;
    int rc;

    for (int32_t i = 0; i < c->m->ntiers; i++)
        if (!c->m->tiers[i].deleted)
            return CLI_OK;
    if ((rc = cli_load_rules(c)) != CLI_OK)
        return rc;
    if (rulepack_seed_tiers(c->rp, c->m, &e) != SM_OK)
        return cli_error(c, &e);
    if (!(nf = open_memstream(&names, &len)))
        return cli_fail(c, "out of memory");
    if (store_begin(c->st, &e) != SM_OK) {
        fclose(nf);
        free(names);
        return cli_error(c, &e);
    }
    for (int32_t i = 0; i < c->m->ntiers; i++) {
        if (c->m->tiers[i].deleted)
            continue;
        if (store_put(c->st, c->m, OBJ_TIER, i, &e) != SM_OK)
            goto fail;
        fprintf(nf, "%s%s", ftell(nf) ? ", " : "", c->m->tiers[i].name);
    }
    if (fclose(nf) != 0) {
        nf = NULL;
        sm_error_set(&e, SM_ENOMEM, "out of memory");
        goto fail;
    }
    nf = NULL;
    if ((rc = seed_data(c, &data)) != CLI_OK) {
        store_rollback(c->st);
        free(names);
        return rc;
    }
    if (store_audit_data(c->st, "init", "tiers", NULL, names, data, &e) != SM_OK ||
        store_commit(c->st, &e) != SM_OK)
        goto fail;
    free(names);
    free(data);
    return CLI_OK;
fail:
    if (nf)
        fclose(nf);
    free(names);
    free(data);
    store_rollback(c->st);
    return cli_error(c, &e);
}

/* A catalog this process created and could not finish (a full disk during
 * init): removed with its -wal, -shm and -journal files, so no 0-byte or
 * half-made catalog is left to be taken for a real one. */
static void
discard_new(struct cli *c)
{
    static const char *const suffix[] = { "-wal", "-shm", "-journal" };
    size_t n = strlen(c->catalog) + 16;
    char *name;

    store_close(c->st);
    c->st = NULL;
    model_free(c->m);
    c->m = NULL;
    unlink(c->catalog);
    if (!(name = malloc(n)))
        return;
    for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
        snprintf(name, n, "%s%s", c->catalog, suffix[i]);
        unlink(name);
    }
    free(name);
}

static int open_load(struct cli *c, int flags, bool existed);

int
cli_open(struct cli *c, int flags)
{
    bool existed;
    int rc;

    if (c->m)
        return CLI_OK;
    existed = access(c->catalog, F_OK) == 0;
    rc = open_load(c, flags, existed);
    if (rc != CLI_OK && !existed && access(c->catalog, F_OK) == 0)
        discard_new(c);
    c->created = rc == CLI_OK && !existed;
    return rc;
}

static int
open_load(struct cli *c, int flags, bool existed)
{
    SM_ERROR(e);
    bool write;
    int rc;

    /* the default catalog is created on first use, whatever the command */
    if (!existed && strcmp(c->catalog, cli_default_catalog()) == 0)
        flags |= STORE_CREATE;
    if (!existed && !(flags & STORE_CREATE))
        return cli_fail(c, "%s: no such catalog; create it with sovmap --catalog %s init",
                        c->catalog, c->catalog);
    if (!existed)
        flags &= ~STORE_READONLY;
    write = (flags & CLI_WRITE) && !(flags & STORE_READONLY);
    flags &= ~CLI_WRITE;
    if (store_open(c->catalog, flags, &c->st, &e) != SM_OK)
        return cli_error(c, &e);
    store_set_snapshot(c->st, model_json_part);     /* audit data (doc/catalog.md) */
    if (write && store_lock(c->st, &e) != SM_OK)
        return cli_error(c, &e);
    if (store_stale(c->st) && !c->quiet)
        cli_note(c, "warning: %s-wal holds changes that cannot be read from this read-only "
                 "directory; what is shown may be stale (open the catalog once where it "
                 "can be written, or copy it with its -wal file)", c->catalog);
    if (!(c->m = model_new())) {
        sm_error_set(&e, SM_ENOMEM, "out of memory");
        return cli_error(c, &e);
    }
    model_set_shareable(c->m, c->shareable);
    if (refdata_load_regions(c->datadir, c->m, &e) != SM_OK)
        return cli_error(c, &e);
    if (c->verbose)
        cli_note(c, "loading %s", c->catalog);
    /* store_load reports no progress: on a terminal, say what the wait is for
     * when the catalog is big enough to make one */
    struct stat sb;
    bool big = c->progress && stat(c->catalog, &sb) == 0 && sb.st_size > (64 << 20);
    if (big) {
        fputs("loading ", c->err);
        cli_put_text(c->err, c->catalog);
        fprintf(c->err, " (%lld MiB)...", (long long)(sb.st_size >> 20));
        fflush(c->err);
    }
    rc = store_load(c->st, c->m, &e);
    if (big)
        fputs("\r\033[K", c->err);
    if (rc == SM_EDB)
        /* a row the model refuses may be a damaged page: say which */
        store_check_integrity(c->st, &e);
    if (rc != SM_OK)
        return cli_error(c, &e);
    if (!existed) {
        if (c->verbose)
            cli_note(c, "created %s", c->catalog);
        return cli_seed_tiers(c);
    }
    return CLI_OK;
}

int
cli_finish(struct cli *c, bool commit)
{
    SM_ERROR(e);

    if (!c->st || !store_locked(c->st))
        return CLI_OK;
    if (store_unlock(c->st, commit, &e) != SM_OK) {
        cli_error(c, &e);
        /* a catalog this command created and could not commit (a full disk)
         * is not left behind half made */
        if (c->created)
            discard_new(c);
        return CLI_USAGE;
    }
    return CLI_OK;
}

/* "+1 dataset, -2 flows": objects by name in b and not in a (+) and the
 * other way (-), for datasets, copies and flows. */
static void
reload_summary(const struct model *a, const struct model *b, char *buf, size_t size)
{
    static const enum obj_kind kinds[] = { OBJ_DATASET, OBJ_PLACEMENT, OBJ_FLOW };
    static const char *const names[][2] = { { "dataset", "datasets" }, { "copy", "copies" },
                                            { "flow", "flows" } };
    size_t at = 0;

    buf[0] = '\0';
    for (int k = 0; k < 3; k++) {
        int32_t added = 0, removed = 0;
        for (int side = 0; side < 2; side++) {
            const struct model *x = side ? b : a, *y = side ? a : b;
            int32_t n = kinds[k] == OBJ_DATASET ? x->ndatasets :
                        kinds[k] == OBJ_PLACEMENT ? x->nplacements : x->nflows;
            for (int32_t i = 0; i < n; i++) {
                /* a million objects: the stack for the usual short
                 * selector, the heap for a long one */
                char small[256], *heap = NULL; /* bounded: a fast path, the heap past it */
                const char *sel;
                int32_t id;
                if ((kinds[k] == OBJ_DATASET && x->datasets[i].deleted) ||
                    (kinds[k] == OBJ_PLACEMENT && x->placements[i].deleted) ||
                    (kinds[k] == OBJ_FLOW && x->flows[i].deleted))
                    continue;
                sel = model_selector(x, kinds[k], i, small, sizeof small);
                if (strlen(sel) + 1 >= sizeof small && !(sel = heap = model_selector_dup(x, kinds[k], i)))
                    continue;
                if (model_find(y, kinds[k], sel, &id, NULL) != SM_OK)
                    *(side ? &added : &removed) += 1;
                free(heap);
            }
        }
        for (int sign = 0; sign < 2; sign++) {
            int32_t v = sign ? removed : added;
            if (!v || at >= size)
                continue;
            at += (size_t)snprintf(buf + at, size - at, "%s%c%d %s", at ? ", " : "",
                                   sign ? '-' : '+', (int)v, names[k][v != 1]);
        }
    }
}

int
cli_reload(struct cli *c, bool force, bool *reloaded, char *summary, size_t size,
           struct sm_error *err)
{
    struct model *m;
    bool changed = false;
    int rc;

    *reloaded = false;
    if (size)
        summary[0] = '\0';
    if (!c->st || !c->m)
        return SM_OK;
    if (!force && (rc = store_changed(c->st, &changed, err)) != SM_OK)
        return rc;
    if (!force && !changed)
        return SM_OK;
    if (!(m = model_new()))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    model_set_shareable(m, c->shareable);
    if ((rc = refdata_load_regions(c->datadir, m, err)) != SM_OK ||
        (rc = store_load(c->st, m, err)) != SM_OK) {
        model_free(m);
        return rc;
    }
    if (size)
        reload_summary(c->m, m, summary, size);
    model_free(c->retired);
    c->retired = c->m;
    c->m = m;
    *reloaded = true;
    return SM_OK;
}

void
cli_release_retired(struct cli *c)
{
    model_free(c->retired);
    c->retired = NULL;
}

int
cli_apply(struct cli *c, const struct edit *e, const char *verb)
{
    struct edit_result res;
    SM_ERROR(err);

    memset(&res, 0, sizeof res);
    if (edit_check_name(e, &err) != SM_OK || store_apply(c->st, c->m, e, &res, &err) != SM_OK)
        return cli_error(c, &err);
    if (res.unchanged) {
        /* nothing written, nothing logged */
        if (!c->quiet) {
            fprintf(c->out, "unchanged %s ", obj_kind_names[res.kind]);
            cli_put_text(c->out, res.selector);
            fputc('\n', c->out);
        }
        edit_result_fini(&res);
        return CLI_OK;
    }
    if (!c->quiet && verb) {
        fprintf(c->out, "%s %s ", verb, obj_kind_names[res.kind]);
        cli_put_text(c->out, res.selector);
        fputc('\n', c->out);
        if (c->verbose && res.after && *res.after) {
            for (const char *p = res.after; *p;) {
                size_t n = strcspn(p, "\n");
                char *line = strndup(p, n);
                fputs("  ", c->out);
                cli_put_text(c->out, line ? line : "?");
                fputc('\n', c->out);
                free(line);
                p += n + (p[n] == '\n');
            }
        }
    }
    edit_result_fini(&res);
    return CLI_OK;
}

