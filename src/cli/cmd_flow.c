/*
 * cmd_flow.c - `sovmap flow add|list|show|edit|rm`: data moving between
 * copies (replication, backup, etl, stream, query) or out to a region
 * (export), with fields carried, transforms and the transfer mechanism.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_util.h"
#include "store.h"

static const char *const add_skip[] = { "from", "to", "to-region", NULL };

/* Resolve a flow end: DATASET@REGION[/ROLE], a dataset (its primary) or,
 * for the target, a region. *out is the canonical selector or region id
 * (heap, the caller frees); *region is set when it is a region. */
static int
resolve_end(struct cli *c, const char *arg, bool target, char **out, bool *region)
{
    SM_ERROR(e);
    int32_t id, p;

    *region = false;
    *out = NULL;
    if (strchr(arg, '@')) {
        if (model_find(c->m, OBJ_PLACEMENT, arg, &id, &e) != SM_OK)
            return cli_error(c, &e);
        return (*out = model_selector_dup(c->m, OBJ_PLACEMENT, id)) ? CLI_OK : cli_fail(c, "out of memory");
    }
    if ((id = model_dataset(c->m, arg)) != SM_NONE) {
        if ((p = model_primary(c->m, id)) == SM_NONE)
            return cli_fail(c, "dataset %s has no primary copy; name the copy as %s@REGION",
                            arg, arg);
        return (*out = model_selector_dup(c->m, OBJ_PLACEMENT, p)) ? CLI_OK : cli_fail(c, "out of memory");
    }
    if (target && (id = model_region(c->m, arg)) != SM_NONE) {
        *region = true;
        return (*out = strdup(c->m->regions[id].id)) ? CLI_OK : cli_fail(c, "out of memory");
    }
    if (strchr(arg, ':')) {
        if (!target)
            return cli_fail(c, "a flow starts at a copy: write DATASET@%s", arg);
        model_find(c->m, OBJ_REGION, arg, &id, &e);
        return cli_error(c, &e);
    }
    model_find(c->m, OBJ_DATASET, arg, &id, &e);
    return cli_error(c, &e);
}

static int
fl_add(struct cli *c, const struct command *self, int argc, char **argv)
{
    struct attr_opts ao;
    const char *name = NULL;
    const struct cli_opt extra[] = {
        { "--name", OPT_STR, &name, "flow name (default FROM->TO)" },
        { NULL, 0, NULL, NULL },
    };
    char **pos, *from = NULL, *to = NULL;
    struct edit e;
    int npos, rc;
    bool help, to_region, dummy;

    rc = attr_opts_parse(c, self, argc, argv, OBJ_FLOW, add_skip, extra, &ao, &pos, &npos,
                         &help);
    if (rc || help)
        goto out;
    if (npos != 2) {
        rc = cli_usage_fail(c, self->usage, npos < 2 ? "%s: missing %s" : "%s: unexpected "
                            "argument %s", self->name, npos < 2 ? (npos ? "TO" : "FROM and TO")
                            : pos[2]);
        goto out;
    }
    if ((rc = cli_open(c, CLI_WRITE | STORE_CREATE)) != CLI_OK)
        goto out;
    if ((rc = resolve_end(c, pos[0], false, &from, &dummy)) != CLI_OK ||
        (rc = resolve_end(c, pos[1], true, &to, &to_region)) != CLI_OK)
        goto out;
    {
        int32_t pl;
        if (model_find(c->m, OBJ_PLACEMENT, from, &pl, NULL) == SM_OK &&
            (rc = cmd_check_transforms(c, c->m->placements[pl].dataset,
                                       attr_opts_get(&ao, "transforms"))) != CLI_OK)
            goto out;
    }
    memset(&e, 0, sizeof e);
    e.op = EDIT_ADD;
    e.kind = OBJ_FLOW;
    e.key = name ? name : "";
    e.attrs[e.nattrs++] = (struct edit_attr){ "from", from };
    e.attrs[e.nattrs++] = (struct edit_attr){ to_region ? "to-region" : "to", to };
    if (to_region && !attr_opts_get(&ao, "kind"))
        e.attrs[e.nattrs++] = (struct edit_attr){ "kind", "export" };
    attr_opts_edit(&ao, &e);
    rc = cli_apply(c, &e, "added");
out:
    free(from);
    free(to);
    free(pos);
    return rc;
}

struct fl_list {
    struct cli *c;
    int32_t dataset;
    char *from, *to, *mech, *xf;    /* this row's texts (heap, whole) */
};

static void
fl_free_row(struct fl_list *L)
{
    free(L->from);
    free(L->to);
    free(L->mech);
    free(L->xf);
    L->from = L->to = L->mech = L->xf = NULL;
}

static bool
fl_row(void *ctx, int32_t i, const char **cols)
{
    struct fl_list *L = ctx;
    const struct model *m = L->c->m;
    const struct flow *f = &m->flows[i];

    if (f->deleted)
        return false;
    if (L->dataset != SM_NONE && m->placements[f->from].dataset != L->dataset &&
        (f->to == SM_NONE || m->placements[f->to].dataset != L->dataset))
        return false;
    fl_free_row(L);
    L->from = model_get_dup(m, OBJ_FLOW, i, "from");
    L->to = model_get_dup(m, OBJ_FLOW, i, f->to != SM_NONE ? "to" : "to-region");
    L->mech = sm_strdupf("%s%s%s", mechanism_names[f->mechanism],
                         f->mechanism_ref && *f->mechanism_ref ? " " : "",
                         f->mechanism_ref ? f->mechanism_ref : "");
    L->xf = model_get_dup(m, OBJ_FLOW, i, "transforms");
    cols[0] = f->name;
    cols[1] = L->from ? L->from : "";
    cols[2] = L->to ? L->to : "";
    cols[3] = flow_kind_names[f->kind];
    cols[4] = L->mech ? L->mech : "";
    cols[5] = f->transit_encrypted ? "yes" : "no";
    cols[6] = L->xf ? L->xf : "";
    return true;
}

static void
fl_json(struct cli *c, void *ctx, int32_t i, const char **cols)
{
    (void)ctx;
    (void)cols;
    cmd_json_members(c, "name", c->m->flows[i].name, OBJ_FLOW, i);
}

static int
fl_list(struct cli *c, const struct command *self, int argc, char **argv)
{
    static const char *const heads[] = {
        "NAME", "FROM", "TO", "KIND", "MECHANISM", "ENCRYPTED", "TRANSFORMS"
    };
    const char *dataset = NULL, *format = NULL;
    const struct cli_opt opts[] = {
        { "--dataset", OPT_STR, &dataset, "only flows into or out of this dataset" },
        { "--format", OPT_STR, &format, "text|tsv|json" },
        { NULL, 0, NULL, NULL },
    };
    struct fl_list *L;
    enum out_format fmt;
    int rc;
    bool help;

    rc = cmd_list_parse(c, self, argc, argv, opts, 8, &format, &fmt, &help);
    if (rc || help || (rc = cli_open(c, STORE_READONLY)) != CLI_OK)
        return rc;
    if (!(L = calloc(1, sizeof *L)))
        return cli_fail(c, "out of memory");
    L->c = c;
    L->dataset = SM_NONE;
    if (dataset && (rc = cmd_find(c, OBJ_DATASET, dataset, &L->dataset)) != CLI_OK)
        goto out;
    cmd_list(c, fmt, 7, heads, c->m->nflows, fl_row, fl_json, L);
out:
    fl_free_row(L);
    free(L);
    return rc;
}

static const struct subcmd flow_subs[] = {
    { "add", "usage: sovmap flow add FROM TO [--kind K] [--transforms \"mask email; drop ssn\"]\n"
      "           [--mechanism M --ref REF --valid-to YYYY-MM-DD] [--encrypted] [--name N]\n"
      "FROM is a copy (DATASET@REGION[/ROLE]) or a dataset (its primary copy); TO is a\n"
      "copy, a dataset, or a region (an export). --ref and --encrypted are short for\n"
      "--mechanism-ref and --transit-encrypted.\n", fl_add, OBJ_FLOW + 1 },
    { "edit", "usage: sovmap flow edit NAME --ATTR VALUE...\n"
      "Change a flow. --ref and --encrypted are short for --mechanism-ref and\n"
      "--transit-encrypted, as on flow add.\n", cmd_sub_edit, OBJ_FLOW + 1 },
    { "list", "usage: sovmap flow list [--dataset D] [--format text|tsv|json]\n"
      "List flows.\n", fl_list, 0 },
    { "rm", "usage: sovmap flow rm NAME...\n"
      "Remove flows.\n", cmd_sub_rm, 0 },
    { "show", "usage: sovmap flow show NAME [--format text|json]\n"
      "Every attribute of a flow.\n", cmd_sub_show, 0 },
    { NULL, NULL, NULL, 0 },
};

const struct command cmd_flow = {
    .name = "flow",
    .summary = "data flows between copies: replication, backup, etl, stream, export",
    .usage =
        "usage: sovmap flow add FROM TO [--kind K] [--transforms \"mask email; drop ssn\"]\n"
        "           [--mechanism M --ref REF --valid-to YYYY-MM-DD] [--encrypted] [--name N]\n"
        "       sovmap flow list [--dataset D] [--format text|tsv|json]\n"
        "       sovmap flow show NAME [--format text|json]\n"
        "       sovmap flow edit NAME --ATTR VALUE...\n"
        "       sovmap flow rm NAME...\n"
        "\n"
        "An etl or stream flow makes its target derived from its source: personal data\n"
        "and subjects propagate along it unless transforms remove them. Pseudonymized\n"
        "data is still personal data.\n",
    .subs = flow_subs,
    .kind_help = OBJ_FLOW + 1,
};
