/*
 * cmd_revert.c - `sovmap revert ID`: undo one audit entry from its
 * snapshots (doc/catalog.md, "The audit log"). Every object the entry
 * touched must be now exactly as the entry left it; the catalog model is
 * then rebuilt with those objects as they were before (model_json_undo),
 * and the difference written in one transaction with its own entry
 * ("revert 12"), which can itself be reverted.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_util.h"
#include "model_json.h"
#include "refdata.h"
#include "store.h"

struct entry {
    int64_t id;
    char *op, *object, *data;
    bool found;
};

static int
get_entry(void *ctx, const struct audit_entry *e)
{
    struct entry *en = ctx;

    if (e->id != en->id)
        return 1;
    en->found = true;
    en->op = strdup(e->op);
    en->object = strdup(e->object);
    en->data = e->data ? strdup(e->data) : NULL;
    return 1;
}

/* The newest entry after `after` that touched kind/ident. */
struct later {
    int64_t after, by;
    const char *kind, *ident;
};

static int
find_later(void *ctx, const struct audit_entry *e)
{
    struct later *l = ctx;

    if (e->id <= l->after)
        return 1;
    if (e->data && model_json_touches(e->data, l->kind, l->ident)) {
        l->by = e->id;
        return 1;
    }
    return 0;
}

static int
refuse(struct cli *c, const struct entry *en, const struct sm_error *e, const char *kind,
       const char *ident)
{
    struct later l = { .after = en->id, .kind = kind, .ident = ident };

    if (kind && ident)
        store_log(c->st, 0, find_later, &l, NULL);
    if (l.by)
        return cli_fail(c, "cannot revert entry %lld: %s (by entry %lld)", (long long)en->id,
                        e->msg, (long long)l.by);
    return cli_fail(c, "cannot revert entry %lld: %s", (long long)en->id, e->msg);
}

static int
run_revert(struct cli *c, int argc, char **argv)
{
    extern const struct command cmd_revert;
    struct entry en = { 0 };
    SM_ERROR(e);
    struct model *nm = NULL;
    char *pos[4], *text = NULL, *ident = NULL, *data = NULL, *end, *line = NULL, op[64]; /* bounded: op: "revert N" */
    const char *kind = NULL;
    long long v;
    int npos, rc;
    bool help;

    if (argc > 4)
        return cli_usage_fail(c, cmd_revert.usage, "revert: too many arguments");
    rc = cli_parse(c, &cmd_revert, argc, argv, NULL, pos, &npos, &help);
    if (rc || help)
        return rc;
    if (npos != 1)
        return cli_usage_fail(c, cmd_revert.usage, npos ? "revert: unexpected argument %s"
                              : "revert: give the ID of the entry (sovmap log)",
                              npos ? pos[1] : "");
    v = strtoll(pos[0], &end, 10);
    if (!*pos[0] || *end || v < 1)
        return cli_fail(c, "bad entry id %s: use the number `sovmap log` shows", pos[0]);
    if ((rc = cli_open(c, 0)) != CLI_OK)
        return rc;
    en.id = v;
    if (store_log_from(c->st, en.id, 1, get_entry, &en, &e) != SM_OK) {
        rc = cli_error(c, &e);
        goto out;
    }
    if (!en.found) {
        rc = cli_fail(c, "%s has no audit entry %lld", c->catalog, (long long)en.id);
        goto out;
    }
    if (!en.op || !en.object) {
        rc = cli_fail(c, "out of memory");
        goto out;
    }
    if (!en.data) {
        rc = cli_fail(c, "cannot revert entry %lld (%s): it holds no snapshots (written "
                      "before catalog schema 2)", (long long)en.id, en.op);
        goto out;
    }
    if (model_json_undo(c->m, en.data, &text, &kind, &ident, &e) != SM_OK) {
        rc = e.code == SM_EEXIST || e.code == SM_EPARSE ? refuse(c, &en, &e, kind, ident)
                                                        : cli_error(c, &e);
        goto out;
    }
    snprintf(op, sizeof op, "revert %lld", (long long)en.id);
    if (!(nm = model_new())) {
        rc = cli_fail(c, "out of memory");
        goto out;
    }
    if (refdata_load_regions(c->datadir, nm, &e) != SM_OK ||
        model_json_read(text, strlen(text), op, nm, &e) != SM_OK) {
        rc = cli_error(c, &e);
        goto out;
    }
    if (!(data = cmd_diff_data(c, c->m, nm))) {
        rc = CLI_USAGE;
        goto out;
    }
    /* "revert 12 (dataset remove orders)" */
    if (!(line = malloc(strlen(op) + strlen(en.op) + 4))) {
        rc = cli_fail(c, "out of memory");
        goto out;
    }
    sprintf(line, "%s (%s)", op, en.op);
    if (store_begin(c->st, &e) != SM_OK ||
        store_put_changes(c->st, c->m, nm, NULL, &e) != SM_OK ||
        store_audit_data(c->st, line, en.object, NULL, NULL, data, &e) != SM_OK ||
        store_commit(c->st, &e) != SM_OK) {
        store_rollback(c->st);
        rc = cli_error(c, &e);
        goto out;
    }
    model_free(c->m);
    c->m = nm;
    nm = NULL;
    if (!c->quiet) {
        fprintf(c->out, "reverted entry %lld: ", (long long)en.id);
        cli_put_text(c->out, en.op);
        fputc('\n', c->out);
    }
    rc = CLI_OK;
out:
    model_free(nm);
    free(line);
    free(data);
    free(text);
    free(ident);
    free(en.op);
    free(en.object);
    free(en.data);
    return rc;
}

const struct command cmd_revert = {
    .name = "revert",
    .summary = "undo one audit log entry",
    .usage =
        "usage: sovmap revert ID\n"
        "\n"
        "Undo the change of audit entry ID (`sovmap log`): every object it touched\n"
        "goes back to how the entry found it, in one transaction logged as \"revert\n"
        "ID\" (itself revertible). Refused, with the object named, when any of those\n"
        "objects changed since (\"dataset orders changed since (by entry 15)\"):\n"
        "revert the later entries first. Entries without snapshots (written before\n"
        "catalog schema 2) cannot be reverted.\n",
    .run = run_revert,
};
