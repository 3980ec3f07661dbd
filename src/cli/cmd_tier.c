/*
 * cmd_tier.c - `sovmap tier add|list|show|edit|rm`: classification tiers
 * and their residency policy (scope, backup scope, key scope, encryption).
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_util.h"
#include "store.h"

struct tr_list {
    struct cli *c;
    int32_t *used;
    char rank[16], used_s[16];
};

static bool
tr_row(void *ctx, int32_t i, const char **cols)
{
    struct tr_list *L = ctx;
    const struct tier *t = &L->c->m->tiers[i];

    if (t->deleted)
        return false;
    snprintf(L->rank, sizeof L->rank, "%d", (int)t->rank);
    snprintf(L->used_s, sizeof L->used_s, "%d", (int)L->used[i]);
    cols[0] = t->name;
    cols[1] = L->rank;
    cols[2] = t->personal ? "yes" : "no";
    cols[3] = scope_names[t->scope];
    cols[4] = scope_names[t->backup_scope];
    cols[5] = scope_names[t->key_scope];
    cols[6] = t->encryption_at_rest ? "yes" : "no";
    cols[7] = L->used_s;
    return true;
}

static void
tr_json(struct cli *c, void *ctx, int32_t i, const char **cols)
{
    (void)ctx;
    cmd_json_members(c, "name", c->m->tiers[i].name, OBJ_TIER, i);
    fprintf(c->out, ",\"datasets\":%s", cols[7]);
}

static int
tr_list(struct cli *c, const struct command *self, int argc, char **argv)
{
    static const char *const heads[] = {
        "NAME", "RANK", "PERSONAL", "SCOPE", "BACKUP-SCOPE", "KEY-SCOPE", "ENCRYPTED", "DATASETS"
    };
    const char *format = NULL;
    const struct cli_opt opts[] = {
        { "--format", OPT_STR, &format, "text|tsv|json" },
        { NULL, 0, NULL, NULL },
    };
    struct tr_list L;
    enum out_format fmt;
    int rc;
    bool help;

    rc = cmd_list_parse(c, self, argc, argv, opts, 8, &format, &fmt, &help);
    if (rc || help || (rc = cli_open(c, STORE_READONLY)) != CLI_OK)
        return rc;
    memset(&L, 0, sizeof L);
    L.c = c;
    if (!(L.used = calloc((size_t)c->m->ntiers + 1, sizeof *L.used)))
        return cli_fail(c, "out of memory");
    for (int32_t i = 0; i < c->m->ndatasets; i++)
        if (!c->m->datasets[i].deleted && c->m->datasets[i].tier != SM_NONE)
            L.used[c->m->datasets[i].tier]++;
    cmd_list(c, fmt, 8, heads, c->m->ntiers, tr_row, tr_json, &L);
    free(L.used);
    return CLI_OK;
}

static const struct subcmd tier_subs[] = {
    { "add", "usage: sovmap tier add NAME [--ATTR VALUE]...\n"
      "Add a classification tier with its residency policy.\n", cmd_sub_add, OBJ_TIER + 1 },
    { "edit", "usage: sovmap tier edit NAME --ATTR VALUE...\n"
      "Change a tier's policy.\n", cmd_sub_edit, OBJ_TIER + 1 },
    { "list", "usage: sovmap tier list [--format text|tsv|json]\n"
      "List tiers with their scopes and how many datasets use each.\n", tr_list, 0 },
    { "rm", "usage: sovmap tier rm NAME...\n"
      "Remove tiers; a tier used by datasets is refused.\n", cmd_sub_rm, 0 },
    { "show", "usage: sovmap tier show NAME [--format text|json]\n"
      "Every attribute of a tier.\n", cmd_sub_show, 0 },
    { NULL, NULL, NULL, 0 },
};

const struct command cmd_tier = {
    .name = "tier",
    .summary = "classification tiers and their residency policy",
    .usage =
        "usage: sovmap tier add NAME [--ATTR VALUE]...\n"
        "       sovmap tier list [--format text|tsv|json]\n"
        "       sovmap tier show NAME [--format text|json]\n"
        "       sovmap tier edit NAME --ATTR VALUE...\n"
        "       sovmap tier rm NAME...\n"
        "\n"
        "Scopes, narrowest to widest: region, country, bloc, adequate, approved, global.\n"
        "New catalogs start with restricted, confidential and public (sovmap init).\n",
    .subs = tier_subs,
    .kind_help = OBJ_TIER + 1,
};
