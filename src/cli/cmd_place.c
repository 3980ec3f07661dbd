/*
 * cmd_place.c - `sovmap place DATASET REGION [--ATTR VALUE]...` and
 * `sovmap place rm|list|show|edit`: the copies of datasets in regions.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_util.h"
#include "store.h"

static const char *const add_skip[] = { "region", NULL };

static int
pl_add(struct cli *c, const struct command *self, int argc, char **argv)
{
    struct attr_opts ao;
    char **pos, *key = NULL;
    const char *ds, *region;
    struct edit e;
    int npos, rc;
    int32_t id;
    bool help;

    rc = attr_opts_parse(c, self, argc, argv, OBJ_PLACEMENT, add_skip, NULL, &ao, &pos, &npos,
                         &help);
    if (rc || help)
        goto out;
    if (npos == 1 && strrchr(pos[0], '@')) {
        /* DATASET@REGION in one word */
        key = strdup(pos[0]);
        if (!key) {
            rc = cli_fail(c, "out of memory");
            goto out;
        }
        char *at = strrchr(key, '@');
        *at = '\0';
        ds = key;
        region = at + 1;
    } else if (npos == 2) {
        ds = pos[0];
        region = pos[1];
    } else {
        rc = cli_usage_fail(c, self->usage, npos < 2 ? "%s: missing %s" : "%s: unexpected "
                            "argument %s", self->name, npos < 2 ? (npos ? "REGION"
                            : "DATASET and REGION") : pos[2]);
        goto out;
    }
    if ((rc = cli_open(c, CLI_WRITE | STORE_CREATE)) != CLI_OK)
        goto out;
    if ((rc = cmd_find(c, OBJ_DATASET, ds, &id)) != CLI_OK ||
        (rc = cmd_find(c, OBJ_REGION, region, &id)) != CLI_OK)
        goto out;
    {
        size_t n = strlen(ds) + strlen(region) + 2;
        char *k = malloc(n);
        if (!k) {
            rc = cli_fail(c, "out of memory");
            goto out;
        }
        snprintf(k, n, "%s@%s", ds, region);
        free(key);
        key = k;
    }
    memset(&e, 0, sizeof e);
    e.op = EDIT_ADD;
    e.kind = OBJ_PLACEMENT;
    e.key = key;
    attr_opts_edit(&ao, &e);
    rc = cli_apply(c, &e, "added");
out:
    free(key);
    free(pos);
    return rc;
}

struct pl_list {
    struct cli *c;
    int32_t dataset, region;
    int role;
    char cc[3], *mech;                  /* bounded: a country code */
};

static bool
pl_row(void *ctx, int32_t i, const char **cols)
{
    struct pl_list *L = ctx;
    const struct model *m = L->c->m;
    const struct placement *p = &m->placements[i];
    const struct region *r;

    if (p->deleted || m->datasets[p->dataset].deleted)
        return false;
    if ((L->dataset != SM_NONE && p->dataset != L->dataset) ||
        (L->region != SM_NONE && p->region != L->region) ||
        (L->role != SM_NONE && p->role != L->role))
        return false;
    r = &m->regions[p->region];
    sm_cc_str(r->country, L->cc);
    free(L->mech);
    L->mech = sm_strdupf("%s%s%s", mechanism_names[p->mechanism],
                         p->mechanism_ref && *p->mechanism_ref ? " " : "",
                         p->mechanism_ref ? p->mechanism_ref : "");
    cols[0] = m->datasets[p->dataset].name;
    cols[1] = r->id;
    cols[2] = role_names[p->role];
    cols[3] = r->country == SM_NONE ? "multi" : L->cc;
    cols[4] = p->encrypted ? "yes" : "no";
    cols[5] = p->key_region == SM_NONE ? "" : m->regions[p->key_region].id;
    cols[6] = L->mech ? L->mech : mechanism_names[p->mechanism];    /* out of memory */
    return true;
}

static void
pl_json(struct cli *c, void *ctx, int32_t i, const char **cols)
{
    (void)ctx;
    fputs("\"selector\":", c->out);
    cli_put_json_selector(c->out, c->m, OBJ_PLACEMENT, i);
    fputs(",\"dataset\":", c->out);
    cli_put_json(c->out, cols[0]);
    cmd_json_attrs(c, OBJ_PLACEMENT, i);
}

static int
pl_list(struct cli *c, const struct command *self, int argc, char **argv)
{
    static const char *const heads[] = {
        "DATASET", "REGION", "ROLE", "COUNTRY", "ENCRYPTED", "KEY-REGION", "MECHANISM"
    };
    const char *dataset = NULL, *region = NULL, *role = NULL, *format = NULL;
    const struct cli_opt opts[] = {
        { "--dataset", OPT_STR, &dataset, "only copies of this dataset" },
        { "--region", OPT_STR, &region, "only copies in this region" },
        { "--role", OPT_STR, &role, "only copies with this role" },
        { "--format", OPT_STR, &format, "text|tsv|json" },
        { NULL, 0, NULL, NULL },
    };
    struct pl_list L;
    enum out_format fmt;
    int rc;
    bool help;

    rc = cmd_list_parse(c, self, argc, argv, opts, 12, &format, &fmt, &help);
    if (rc || help)
        return rc;
    memset(&L, 0, sizeof L);
    L.c = c;
    L.dataset = L.region = SM_NONE;
    L.role = SM_NONE;
    if (role && (L.role = model_enum_parse(role_names, ROLE_COUNT, role)) == SM_NONE)
        return cli_fail(c, "bad --role %s: use primary, replica, backup, dr, cache, archive "
                        "or edge", role);
    if ((rc = cli_open(c, STORE_READONLY)) != CLI_OK)
        return rc;
    if (dataset && (rc = cmd_find(c, OBJ_DATASET, dataset, &L.dataset)) != CLI_OK)
        return rc;
    if (region && (rc = cmd_find(c, OBJ_REGION, region, &L.region)) != CLI_OK)
        return rc;
    cmd_list(c, fmt, 7, heads, c->m->nplacements, pl_row, pl_json, &L);
    free(L.mech);
    return CLI_OK;
}

static const struct subcmd place_subs[] = {
    { "add", "usage: sovmap place [add] DATASET REGION [--ATTR VALUE]...\n"
      "Put a copy of DATASET in REGION (role primary unless --role says otherwise).\n",
      pl_add, OBJ_PLACEMENT + 1 },
    { "edit", "usage: sovmap place edit DATASET@REGION[/ROLE] --ATTR VALUE...\n"
      "Change a copy: its role, encryption, key region or mechanism.\n", cmd_sub_edit,
      OBJ_PLACEMENT + 1 },
    { "list", "usage: sovmap place list [--dataset D] [--region R] [--role ROLE] "
      "[--format text|tsv|json]\n"
      "List copies.\n", pl_list, 0 },
    { "rm", "usage: sovmap place rm DATASET@REGION[/ROLE]...\n"
      "Remove copies and the flows into and out of them.\n", cmd_sub_rm, 0 },
    { "show", "usage: sovmap place show DATASET@REGION[/ROLE] [--format text|json]\n"
      "Every attribute of a copy.\n", cmd_sub_show, 0 },
    { NULL, NULL, NULL, 0 },
};

const struct command cmd_place = {
    .name = "place",
    .summary = "put copies of datasets in regions (primary, replica, backup ...)",
    .usage =
        "usage: sovmap place DATASET REGION [--role ROLE] [--encrypted] [--key-region R]\n"
        "                    [--mechanism M] [--mechanism-ref REF]\n"
        "       sovmap place list [--dataset D] [--region R] [--role ROLE] [--format text|tsv|json]\n"
        "       sovmap place show DATASET@REGION[/ROLE] [--format text|json]\n"
        "       sovmap place edit DATASET@REGION[/ROLE] --ATTR VALUE...\n"
        "       sovmap place rm DATASET@REGION[/ROLE]...\n"
        "\n"
        "A copy is named DATASET@REGION, with /ROLE when the dataset has two copies in\n"
        "one region. A copy that is not primary and has no flow into it counts as a\n"
        "replication from the primary; --mechanism declares its transfer basis.\n",
    .subs = place_subs,
    .default_sub = "add",
    .kind_help = OBJ_PLACEMENT + 1,
};
