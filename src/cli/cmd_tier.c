/*
 * cmd_tier.c - `sovmap tier add|list|show|edit|rm`: classification tiers
 * and their residency policy (scope, backup scope, key scope, encryption).
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_util.h"
#include "check.h"
#include "scenario.h"
#include "store.h"

struct tr_list {
    struct cli *c;
    int32_t *used;
    char rank[16], used_s[16];          /* bounded: two counts */
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

/* ---- tier edit --dry-run: the impact preview ---------------------------------- */

static const struct finding *
diff_finding(const struct scenario_eval *b, const struct scenario_eval *a,
             const struct sdiff_finding *it)
{
    return it->status == SDIFF_RESOLVED ? &b->res->findings[it->before]
                                        : &a->res->findings[it->after];
}

static void
preview_text(struct cli *c, const struct tier *T, const struct model *m, int32_t id,
             const struct attr_opts *ao, const struct scenario_eval *b,
             const struct scenario_eval *a, const struct scenario_diff *d)
{
    FILE *f = c->out;

    fputs("tier ", f);
    cli_put_text(f, T->name);
    fputs(", dry run (nothing saved):", f);
    for (int i = 0, n = 0; i < ao->n; i++) {
        char *was;
        if (!ao->val[i])
            continue;
        was = model_get_dup(m, OBJ_TIER, id, ao->attr[i]->name);
        fprintf(f, "%s %s ", n++ ? ";" : "", ao->attr[i]->name);
        cli_put_text(f, was ? was : "?");
        fputs(" -> ", f);
        cli_put_text(f, ao->val[i]);
        free(was);
    }
    fputc('\n', f);
    for (int s = SEV_COUNT - 1; s >= 0; s--) {
        const char *w = s == SEV_ERROR ? "errors" : s == SEV_WARNING ? "warnings" : "info";
        if (s == SEV_INFO && !b->res->stats.count[s] && !a->res->stats.count[s])
            continue;
        fprintf(f, "%s+%d %s, -%d %s (%d -> %d)", s == SEV_COUNT - 1 ? "" : "; ",
                (int)d->count[SDIFF_NEW][s], w, (int)d->count[SDIFF_RESOLVED][s], w,
                (int)b->res->stats.count[s], (int)a->res->stats.count[s]);
    }
    fputc('\n', f);
    for (int32_t k = 0; k < d->nfindings; k++) {
        const struct sdiff_finding *it = &d->findings[k];
        const struct finding *x = diff_finding(b, a, it);
        fprintf(f, "  %-9s %-7s %-7s ", sdiff_status_names[it->status],
                severity_names[x->severity], x->rule);
        cli_put_text(f, x->selector);
        fputs(": ", f);
        cli_put_text(f, x->message);
        if (x->waived)
            fputs(" (waived)", f);
        fputc('\n', f);
    }
    if (!d->nfindings)
        fputs("  no copy or flow changes status\n", f);
}

static void
preview_json(struct cli *c, const struct tier *T, const struct model *m, int32_t id,
             const struct attr_opts *ao, const struct scenario_eval *b,
             const struct scenario_eval *a, const struct scenario_diff *d)
{
    FILE *f = c->out;

    fputs("{\"tier\":", f);
    cli_put_json(f, T->name);
    fputs(",\"dry_run\":true,\"changes\":[", f);
    for (int i = 0, n = 0; i < ao->n; i++) {
        char *was;
        if (!ao->val[i])
            continue;
        was = model_get_dup(m, OBJ_TIER, id, ao->attr[i]->name);
        fprintf(f, "%s{\"attribute\":\"%s\",\"before\":", n++ ? "," : "", ao->attr[i]->name);
        cli_put_json(f, was ? was : "");
        fputs(",\"after\":", f);
        cli_put_json(f, ao->val[i]);
        fputc('}', f);
        free(was);
    }
    fputs("]", f);
    for (int s = SEV_COUNT - 1; s >= 0; s--)
        fprintf(f, ",\"%s\":{\"before\":%d,\"after\":%d,\"new\":%d,\"resolved\":%d}",
                s == SEV_ERROR ? "errors" : s == SEV_WARNING ? "warnings" : "info",
                (int)b->res->stats.count[s], (int)a->res->stats.count[s],
                (int)d->count[SDIFF_NEW][s], (int)d->count[SDIFF_RESOLVED][s]);
    fputs(",\"findings\":[", f);
    for (int32_t k = 0; k < d->nfindings; k++) {
        const struct sdiff_finding *it = &d->findings[k];
        const struct finding *x = diff_finding(b, a, it);
        fprintf(f, "%s\n  {\"change\":\"%s\",\"severity\":\"%s\",\"rule\":",
                k ? "," : "", sdiff_status_names[it->status], severity_names[x->severity]);
        cli_put_json(f, x->rule);
        fprintf(f, ",\"object\":\"%s\",\"selector\":", obj_kind_names[x->kind]);
        cli_put_json(f, x->selector);
        fputs(",\"message\":", f);
        cli_put_json(f, x->message);
        fprintf(f, ",\"waived\":%s}", x->waived ? "true" : "false");
    }
    fputs(d->nfindings ? "\n]}\n" : "]}\n", f);
}

/* The tier edited on a scenario of the catalog (the same `set` the edit
 * makes), both checked, and their findings compared: what would change. */
static int
tier_preview(struct cli *c, const struct attr_opts *ao, const char *name, enum out_format fmt)
{
    struct scenario_eval *b = NULL, *a = NULL;
    struct scenario_diff *d = NULL;
    SM_ERROR(e);
    int32_t id;
    int rc;

    if ((rc = cli_open(c, STORE_READONLY)) != CLI_OK || (rc = cli_load_rules(c)) != CLI_OK ||
        (rc = cmd_find(c, OBJ_TIER, name, &id)) != CLI_OK)
        return rc;
    if (scenario_begin_base(c->m, c->rp, &b, &e) || scenario_check(b, c->today, &e) ||
        scenario_begin(c->m, c->rp, "", &a, &e))
        goto fail;
    for (int i = 0; i < ao->n; i++) {
        const char *argv[] = { "set", "tier", c->m->tiers[id].name, ao->attr[i]->name,
                               ao->val[i] };
        if (ao->val[i] && scenario_apply(a, 5, argv, &e))
            goto fail;
    }
    if (scenario_check(a, c->today, &e) || scenario_diff(b, a, c->m, &d, &e))
        goto fail;
    if (fmt == FMT_JSON)
        preview_json(c, &c->m->tiers[id], c->m, id, ao, b, a, d);
    else
        preview_text(c, &c->m->tiers[id], c->m, id, ao, b, a, d);
    rc = CLI_OK;
    goto out;
fail:
    rc = cli_error(c, &e);
out:
    scenario_diff_free(d);
    scenario_eval_free(a);
    scenario_eval_free(b);
    return rc;
}

static int
tr_edit(struct cli *c, const struct command *self, int argc, char **argv)
{
    bool dry = false, help;
    const char *format = NULL;
    const struct cli_opt extra[] = {
        { "--dry-run", OPT_FLAG, &dry, "show what the change would do; save nothing" },
        { "--format", OPT_STR, &format, "text|json (with --dry-run)" },
        { NULL, 0, NULL, NULL },
    };
    struct attr_opts ao;
    enum out_format fmt;
    char **pos;
    int npos, rc;

    rc = attr_opts_parse(c, self, argc, argv, OBJ_TIER, NULL, extra, &ao, &pos, &npos, &help);
    if (rc || help)
        goto out;
    if (!dry) {
        /* the edit itself: the generic one, which parses its own options */
        free(pos);
        if (format)
            return cli_usage_fail(c, self->usage, "edit: --format goes with --dry-run");
        return cmd_sub_edit(c, self, argc, argv);
    }
    if (npos != 1) {
        rc = cli_usage_fail(c, self->usage, npos ? "edit: unexpected argument %s"
                            : "edit: missing the tier", npos ? pos[1] : "");
        goto out;
    }
    {
        struct edit probe;
        memset(&probe, 0, sizeof probe);
        if (attr_opts_edit(&ao, &probe) == 0)
            ao.n = 0;
    }
    if (ao.n == 0) {
        rc = cli_usage_fail(c, self->usage, "edit: nothing to change; give --ATTR VALUE");
        goto out;
    }
    if ((rc = cmd_format(c, format, false, &fmt)) != CLI_OK)
        goto out;
    rc = tier_preview(c, &ao, pos[0], fmt);
out:
    free(pos);
    return rc;
}

static const struct subcmd tier_subs[] = {
    { "add", "usage: sovmap tier add NAME [--ATTR VALUE]...\n"
      "Add a classification tier with its residency policy.\n", cmd_sub_add, OBJ_TIER + 1 },
    { "edit", "usage: sovmap tier edit NAME --ATTR VALUE... [--dry-run [--format text|json]]\n"
      "Change a tier's policy. --dry-run saves nothing and shows the impact: the\n"
      "edited catalog is checked against the current one, and the findings that\n"
      "appear or go (+N errors, -M errors) are listed with their copies and flows.\n",
      tr_edit, OBJ_TIER + 1 },
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
        "       sovmap tier edit NAME --ATTR VALUE... [--dry-run [--format text|json]]\n"
        "       sovmap tier rm NAME...\n"
        "\n"
        "Scopes, narrowest to widest: region, country, bloc, adequate, approved, global.\n"
        "New catalogs start with restricted, confidential and public (sovmap init).\n",
    .subs = tier_subs,
    .kind_help = OBJ_TIER + 1,
};
