/*
 * cmd_region.c - `sovmap region add|list|show|edit|rm`: the shipped cloud
 * regions (read-only) and the user's own: on-prem sites, edge locations,
 * sovereign clouds and multi-regions with their member countries.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_util.h"
#include "store.h"

struct rg_list {
    struct cli *c;
    const char *provider;
    int country;                /* sm_cc or SM_NONE */
    bool user;
    char country_s[3], operator_s[3], members[256]; /* bounded: codes; 3 codes or a count */
};

static bool
rg_row(void *ctx, int32_t i, const char **cols)
{
    struct rg_list *L = ctx;
    const struct model *m = L->c->m;
    const struct region *r = &m->regions[i];

    if (r->deleted || (L->user && r->builtin))
        return false;
    if (L->provider && strcmp(r->provider ? r->provider : "", L->provider) != 0)
        return false;
    if (L->country != SM_NONE && r->country != L->country &&
        !(r->members && sm_ccset_has(r->members, L->country)))
        return false;
    sm_cc_str(r->country, L->country_s);
    sm_cc_str(r->operator_home, L->operator_s);
    model_get(m, OBJ_REGION, i, "members", L->members, sizeof L->members);
    if (r->global)
        snprintf(L->members, sizeof L->members, "any");
    else if (r->members && sm_ccset_count(r->members) > 3)
        snprintf(L->members, sizeof L->members, "%d countries", sm_ccset_count(r->members));
    cols[0] = r->id;
    cols[1] = region_kind_names[r->kind];
    cols[2] = r->country == SM_NONE ? L->members : L->country_s;
    cols[3] = r->city ? r->city : "";
    cols[4] = r->operator_home == SM_NONE ? "" : L->operator_s;
    cols[5] = r->builtin ? "shipped" : "catalog";
    return true;
}

static void
rg_json(struct cli *c, void *ctx, int32_t i, const char **cols)
{
    (void)ctx;
    (void)cols;
    cmd_json_members(c, "id", c->m->regions[i].id, OBJ_REGION, i);
    fprintf(c->out, ",\"builtin\":%s", c->m->regions[i].builtin ? "true" : "false");
}

static int
rg_list(struct cli *c, const struct command *self, int argc, char **argv)
{
    static const char *const heads[] = { "ID", "KIND", "COUNTRY", "CITY", "OPERATOR", "SOURCE" };
    const char *provider = NULL, *country = NULL, *format = NULL;
    bool user = false, help;
    const struct cli_opt opts[] = {
        { "--provider", OPT_STR, &provider, "aws, azure, gcp or your own prefix" },
        { "--country", OPT_STR, &country, "two-letter country code" },
        { "--user", OPT_FLAG, &user, "only the catalog's own regions" },
        { "--format", OPT_STR, &format, "text|tsv|json" },
        { NULL, 0, NULL, NULL },
    };
    struct rg_list L;
    enum out_format fmt;
    int rc;

    rc = cmd_list_parse(c, self, argc, argv, opts, 12, &format, &fmt, &help);
    if (rc || help)
        return rc;
    memset(&L, 0, sizeof L);
    L.c = c;
    L.provider = provider;
    L.user = user;
    L.country = SM_NONE;
    if (country) {
        char up[3] = { 0 };             /* bounded: a two-letter country code */
        for (int k = 0; k < 2 && country[k]; k++)
            up[k] = (char)(country[k] >= 'a' && country[k] <= 'z' ? country[k] - 32 : country[k]);
        if (strlen(country) != 2 || (L.country = sm_cc(up)) == SM_NONE)
            return cli_fail(c, "bad --country %s: use a two-letter code such as DE", country);
    }
    if ((rc = cli_open(c, STORE_READONLY)) != CLI_OK)
        return rc;
    cmd_list(c, fmt, 6, heads, c->m->nregions, rg_row, rg_json, &L);
    return CLI_OK;
}

static const struct subcmd region_subs[] = {
    { "add", "usage: sovmap region add PROVIDER:CODE --country CC [--ATTR VALUE]...\n"
      "Add a region of your own: onprem:fra-dc1 --country DE --kind on-prem, or a\n"
      "multi-region: acme:eu --kind multi-region --members DE,FR,NL.\n", cmd_sub_add,
      OBJ_REGION + 1 },
    { "edit", "usage: sovmap region edit ID --ATTR VALUE...\n"
      "Change a region of the catalog (shipped regions cannot be changed).\n", cmd_sub_edit,
      OBJ_REGION + 1 },
    { "list", "usage: sovmap region list [--provider P] [--country CC] [--user] "
      "[--format text|tsv|json]\n"
      "List regions, shipped and the catalog's own; --country also matches multi-region\n"
      "members.\n", rg_list, 0 },
    { "rm", "usage: sovmap region rm ID...\n"
      "Remove regions of the catalog; a region that holds copies is refused.\n", cmd_sub_rm, 0 },
    { "show", "usage: sovmap region show ID [--format text|json]\n"
      "Every attribute of a region.\n", cmd_sub_show, 0 },
    { NULL, NULL, NULL, 0 },
};

const struct command cmd_region = {
    .name = "region",
    .summary = "list shipped cloud regions; add your own sites and multi-regions",
    .usage =
        "usage: sovmap region add PROVIDER:CODE --country CC [--ATTR VALUE]...\n"
        "       sovmap region list [--provider P] [--country CC] [--user] [--format text|tsv|json]\n"
        "       sovmap region show ID [--format text|json]\n"
        "       sovmap region edit ID --ATTR VALUE...\n"
        "       sovmap region rm ID...\n"
        "\n"
        "Every AWS, Azure and Google Cloud region ships with sovmap (data/regions.json).\n"
        "The operator is the legal home of whoever runs the region: a US provider's EU\n"
        "region is EU-resident but US-operated.\n",
    .subs = region_subs,
    .kind_help = OBJ_REGION + 1,
};
