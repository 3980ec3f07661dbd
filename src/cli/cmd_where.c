/*
 * cmd_where.c - `sovmap where DATASET` and `sovmap where --tier T --subjects
 * EU,BR`: for each role, the regions where a copy may live, grouped by
 * jurisdiction, with the basis; --why-not REGION gives the checker's own
 * findings for a copy there. The verdicts are check_where's (check.c), the
 * facts where_probe's: both are the checker's, never a second copy of it.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_util.h"
#include "check.h"
#include "rules.h"
#include "store.h"
#include "where.h"

struct wctx {
    struct cli *c;
    const struct model *m;
    int32_t d;
    struct where_result *w;
    int32_t *order;             /* regions by (country, id) */
    int32_t norder;
    const char *provider;
    int role;                   /* one role, or WHERE_ROLE_COUNT: all */
    bool all, json;
};

static const struct model *sort_m;

static const char *
country_of(const struct model *m, int32_t r, char buf[3]) /* bounded: a two-letter country code */
{
    if (m->regions[r].global)
        return "global";
    if (m->regions[r].country == SM_NONE)
        return "multi";
    sm_cc_str(m->regions[r].country, buf);
    return buf;
}

static int
region_cmp(const void *pa, const void *pb)
{
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    char ba[3], bb[3];                  /* bounded: two-letter country codes */
    const char *ca = country_of(sort_m, a, ba), *cb = country_of(sort_m, b, bb);
    /* countries first, then multi-regions, then global */
    int ka = strlen(ca) > 2, kb = strlen(cb) > 2, d;

    if (ka != kb)
        return ka - kb;
    if ((d = strcmp(ca, cb)))
        return d;
    return strcmp(sort_m->regions[a].id, sort_m->regions[b].id);
}

static const struct where_cell *
cell_of(const struct wctx *x, int role, int32_t r)
{
    return &x->w->cells[(size_t)role * (size_t)x->w->nregions + (size_t)r];
}

static void
put(struct cli *c, const char *s)
{
    cli_put_text(c->out, s);
}

static void
jstr(struct cli *c, const char *key, const char *s)
{
    fprintf(c->out, "\"%s\":", key);
    if (s)
        cli_put_json(c->out, s);
    else
        fputs("null", c->out);
}

/* ---- the dataset's facts ---------------------------------------------------- */

static void
facts(struct wctx *x)
{
    struct cli *c = x->c;
    const struct model *m = x->m;
    const struct dataset *ds = &m->datasets[x->d];
    const struct check_result *r = x->w->check;
    int32_t et = r->eff_tier[x->d], via = r->eff_via[x->d];
    const char *tier = et == SM_NONE ? NULL : m->tiers[et].name;
    const char *declared = ds->tier == SM_NONE ? NULL : m->tiers[ds->tier].name;
    const char *from = via == SM_NONE ? NULL :
        m->datasets[m->placements[m->flows[via].from].dataset].name;
    const char *home = x->w->home_region == SM_NONE ? NULL : m->regions[x->w->home_region].id;
    char subj[CHECK_SUBJECTS_MAX];      /* bounded: country codes, each at most once */

    check_eff_subjects(r, x->d, subj, sizeof subj);
    if (x->json) {
        jstr(c, "dataset", ds->name);
        fputc(',', c->out);
        jstr(c, "tier", tier);
        fputc(',', c->out);
        jstr(c, "declared_tier", declared);
        fputc(',', c->out);
        jstr(c, "inherited_from", from);
        fputc(',', c->out);
        jstr(c, "via_flow", via == SM_NONE ? NULL : m->flows[via].name);
        fputc(',', c->out);
        jstr(c, "subjects", subj);
        fprintf(c->out, ",\"personal\":%s,\"public_sector\":%s,",
                check_dataset_personal(r, x->d) ? "true" : "false",
                ds->public_sector ? "true" : "false");
        jstr(c, "home", home);
        return;
    }
    fputs("dataset   ", c->out);
    put(c, ds->name);
    fputs("\ntier      ", c->out);
    put(c, tier ? tier : "none");
    if (tier && ds->tier != et) {
        fputs(" (declared ", c->out);
        put(c, declared ? declared : "none");
        fputs(")", c->out);
    }
    if (from) {
        fputs(", inherited from ", c->out);
        put(c, from);
        fputs(" through flow ", c->out);
        put(c, m->flows[via].name);
    }
    fputs("\nsubjects  ", c->out);
    put(c, *subj ? subj : "none declared");
    fprintf(c->out, "%s%s\n", check_dataset_personal(r, x->d) ? ", personal data" : ", no personal data",
            ds->public_sector ? ", public-sector holder" : "");
    fputs("home      ", c->out);
    if (home) {
        put(c, home);
        fputs(" (the primary): replicas, backups and keys are judged against it\n", c->out);
    } else {
        fputs("no copy yet: each region is judged as the home itself\n", c->out);
    }
}

/* ---- the regions per role ------------------------------------------------------ */

static bool
shown(const struct wctx *x, const struct where_cell *w)
{
    return x->all || w->status != WHERE_ST_FORBIDDEN;
}

static void
role_json(struct wctx *x, int role)
{
    struct cli *c = x->c;
    char cc[3];                         /* bounded: a two-letter country code */
    int n = 0;

    fprintf(c->out, "\"%s\":[", where_role_names[role]);
    for (int32_t k = 0; k < x->norder; k++) {
        int32_t r = x->order[k];
        const struct where_cell *w = cell_of(x, role, r);
        if (!shown(x, w))
            continue;
        fprintf(c->out, "%s\n    {", n++ ? "," : "");
        jstr(c, "region", x->m->regions[r].id);
        fputc(',', c->out);
        jstr(c, "jurisdiction", country_of(x->m, r, cc));
        fprintf(c->out, ",\"status\":\"%s\",\"basis\":\"%s\",", where_status_names[w->status],
                where_basis_names[w->basis]);
        jstr(c, "mechanism", w->status == WHERE_ST_MECHANISM ? mechanism_names[w->mechanism] : NULL);
        fputc(',', c->out);
        jstr(c, "detail", w->detail);
        fputs(",\"rules\":[", c->out);
        for (int i = 0, j = 0; i < RULE_COUNT; i++)
            if (w->rules & (1u << i))
                fprintf(c->out, "%s\"%s\"", j++ ? "," : "", rule_names[i]);
        fputs("]}", c->out);
    }
    fputs(n ? "\n  ]" : "]", c->out);
}

static void
role_text(struct wctx *x, int role)
{
    struct cli *c = x->c;
    int32_t count[WHERE_ST_COUNT] = { 0 };
    char cc[3], prev[8] = "";           /* bounded: a country code, "multi" or "global" */

    for (int32_t k = 0; k < x->norder; k++)
        count[cell_of(x, role, x->order[k])->status]++;
    fprintf(c->out, "\n%s%s: %d allowed, %d with a mechanism, %d forbidden\n",
            where_role_names[role], role == WHERE_BACKUP ? " (backup, dr, archive)" :
            role == WHERE_KEY ? " (encryption key of a copy at home)" : "",
            (int)count[WHERE_ST_ALLOWED], (int)count[WHERE_ST_MECHANISM],
            (int)count[WHERE_ST_FORBIDDEN]);
    for (int32_t k = 0; k < x->norder; k++) {
        int32_t r = x->order[k];
        const struct where_cell *w = cell_of(x, role, r);
        const char *j = country_of(x->m, r, cc);
        if (!shown(x, w))
            continue;
        /* the jurisdiction on its group's first line */
        fprintf(c->out, "  %-7s ", strcmp(prev, j) ? j : "");
        snprintf(prev, sizeof prev, "%s", j);
        put(c, x->m->regions[r].id);
        fprintf(c->out, "%*s", (int)(strlen(x->m->regions[r].id) < 28 ? 28 - strlen(x->m->regions[r].id) : 1),
                "");
        if (w->status == WHERE_ST_FORBIDDEN)
            fputs("forbidden: ", c->out);
        put(c, w->detail);
        fputc('\n', c->out);
    }
}

/* ---- --why-not ------------------------------------------------------------------ */

static int
why_not(struct wctx *x, int32_t r)
{
    struct cli *c = x->c;
    int nrole = 0;

    if (x->json) {
        fputs(",\n  ", c->out);
        jstr(c, "why_not", x->m->regions[r].id);
        fputs(",\n  \"roles\":{", c->out);
    } else {
        fputs("\nwhy not ", c->out);
        put(c, x->m->regions[r].id);
        fputs("\n", c->out);
    }
    for (int role = 0; role < WHERE_ROLE_COUNT; role++) {
        const struct where_cell *w = cell_of(x, role, r);
        struct where_probe p;
        SM_ERROR(e);

        if (x->role != WHERE_ROLE_COUNT && role != x->role)
            continue;
        memset(&p, 0, sizeof p);
        if (w->status != WHERE_ST_ALLOWED &&
            where_probe(x->m, c->rp, c->today, x->d, role, r, MECH_NONE, &p, &e) != SM_OK)
            return cli_error(c, &e);
        if (x->json) {
            fprintf(c->out, "%s\n    \"%s\":{\"status\":\"%s\",", nrole++ ? "," : "",
                    where_role_names[role], where_status_names[w->status]);
            jstr(c, "mechanism", w->status == WHERE_ST_MECHANISM ? mechanism_names[w->mechanism] : NULL);
            fputc(',', c->out);
            jstr(c, "detail", w->detail);
            fputs(",\"findings\":[", c->out);
            for (int32_t k = 0; k < p.nfindings; k++) {
                const struct finding *f = &p.r->findings[p.findings[k]];
                fprintf(c->out, "%s{\"rule\":\"%s\",", k ? "," : "", f->rule);
                jstr(c, "message", f->message);
                fputs(",\"why\":[", c->out);
                for (uint32_t i = 0; i < f->why.n; i++) {
                    if (i)
                        fputc(',', c->out);
                    cli_put_json(c->out, f->why.v[i]);
                }
                fputs("]}", c->out);
            }
            fputs("]}", c->out);
        } else {
            fprintf(c->out, "  %s: %s", where_role_names[role],
                    w->status == WHERE_ST_ALLOWED ? "allowed, " :
                    w->status == WHERE_ST_MECHANISM ? "allowed " : "forbidden");
            if (w->status != WHERE_ST_FORBIDDEN)
                put(c, w->detail);
            fputc('\n', c->out);
            for (int32_t k = 0; k < p.nfindings; k++) {
                const struct finding *f = &p.r->findings[p.findings[k]];
                fprintf(c->out, "    %s ", f->rule);
                put(c, f->message);
                fputc('\n', c->out);
                for (uint32_t i = 0; i < f->why.n; i++) {
                    fputs("      - ", c->out);
                    put(c, f->why.v[i]);
                    fputc('\n', c->out);
                }
            }
        }
        where_probe_fini(&p);
    }
    if (x->json)
        fputs("\n  }", c->out);
    return CLI_OK;
}

/* ---- the command ------------------------------------------------------------------ */

static int
run_where(struct cli *c, int argc, char **argv)
{
    extern const struct command cmd_where;
    const char *format = NULL, *tier = NULL, *subjects = NULL, *why = NULL, *provider = NULL,
        *role = NULL;
    bool pub = false, all = false, help;
    const struct cli_opt opts[] = {
        { "--tier", OPT_STR, &tier, "tier of a dataset not yet modelled" },
        { "--subjects", OPT_STR, &subjects, "its subjects' jurisdictions: EU,BR" },
        { "--public-sector", OPT_FLAG, &pub, "its holder is a public body" },
        { "--why-not", OPT_STR, &why, "REGION: the rules and facts that exclude it" },
        { "--provider", OPT_STR, &provider, "only this provider's regions (aws, azure ...)" },
        { "--role", OPT_STR, &role, "primary|replica|backup|key" },
        { "--all", OPT_FLAG, &all, "list forbidden regions too" },
        { "--format", OPT_STR, &format, "text|json" },
        { NULL, 0, NULL, NULL },
    };
    char *pos[4];
    int npos, rc;
    enum out_format fmt;
    struct wctx x;
    struct model *scratch = NULL;
    SM_ERROR(e);
    int32_t wr = SM_NONE;

    memset(&x, 0, sizeof x);
    if (argc > 24)
        return cli_usage_fail(c, cmd_where.usage, "where: too many arguments");
    rc = cli_parse(c, &cmd_where, argc, argv, opts, pos, &npos, &help);
    if (rc || help)
        return rc;
    if ((rc = cmd_format(c, format, false, &fmt)) != CLI_OK)
        return rc;
    if (npos > 1)
        return cli_usage_fail(c, cmd_where.usage, "where: unexpected argument %s", pos[1]);
    if (npos == 1 && (tier || subjects || pub))
        return cli_usage_fail(c, cmd_where.usage,
                              "where: name a dataset or give --tier and --subjects, not both");
    if (npos == 0 && !tier && !subjects)
        return cli_usage_fail(c, cmd_where.usage, "where: name a dataset, or give --tier and --subjects");
    x.role = WHERE_ROLE_COUNT;
    if (role && (x.role = model_enum_parse(where_role_names, WHERE_ROLE_COUNT, role)) == SM_NONE)
        return cli_fail(c, "bad --role %s: use primary, replica, backup or key", role);
    if ((rc = cli_open(c, STORE_READONLY)) != CLI_OK || (rc = cli_load_rules(c)) != CLI_OK)
        return rc;
    x.c = c;
    x.m = c->m;
    x.json = fmt == FMT_JSON;
    x.all = all;
    x.provider = provider;
    if (npos == 1) {
        if ((rc = cmd_find(c, OBJ_DATASET, pos[0], &x.d)) != CLI_OK)
            return rc;
    } else {
        uint16_t codes[MODEL_MAX_SUBJECTS];
        uint8_t n = 0;
        int32_t t = SM_NONE;
        if (tier && (rc = cmd_find(c, OBJ_TIER, tier, &t)) != CLI_OK)
            return rc;
        if (subjects && model_parse_subjects(subjects, codes, &n, &e) != SM_OK)
            return cli_error(c, &e);
        for (int k = 0; k < n; k++)
            if (rules_regime_of(c->rp, codes[k]) == SM_NONE) {
                char cc[3];             /* bounded: a two-letter country code */
                sm_cc_str(codes[k], cc);
                fprintf(c->err, "sovmap: note: subjects %s have no regime in rule pack ", cc);
                cli_put_text(c->err, c->rp->name ? c->rp->name : "");
                fputs(" (SUB001): they restrict nothing\n", c->err);
            }
        if (where_scratch(c->m, t, codes, n, pub, &scratch, &x.d, &e) != SM_OK)
            return cli_error(c, &e);
        x.m = scratch;
    }
    if (why && (rc = cmd_find(c, OBJ_REGION, why, &wr)) != CLI_OK)
        goto out;
    if (check_where(x.m, c->rp, c->today, x.d, &x.w, &e) != SM_OK) {
        rc = cli_error(c, &e);
        goto out;
    }
    if (!(x.order = malloc(sizeof *x.order * (size_t)(x.m->nregions + 1)))) {
        rc = cli_fail(c, "out of memory");
        goto out;
    }
    for (int32_t r = 0; r < x.m->nregions; r++)
        if (!x.m->regions[r].deleted &&
            (!provider || sm_streq(x.m->regions[r].provider, provider)))
            x.order[x.norder++] = r;
    if (provider && !x.norder) {
        rc = cli_fail(c, "no region of provider %s", provider);
        goto out;
    }
    sort_m = x.m;
    qsort(x.order, (size_t)x.norder, sizeof *x.order, region_cmp);
    if (x.json)
        fputs("{\n  ", c->out);
    facts(&x);
    if (wr != SM_NONE) {
        rc = why_not(&x, wr);
    } else {
        if (x.json)
            fputs(",\n  \"roles\":{", c->out);
        for (int role = 0, n = 0; role < WHERE_ROLE_COUNT; role++) {
            if (x.role != WHERE_ROLE_COUNT && role != x.role)
                continue;
            if (x.json) {
                fputs(n++ ? ",\n  " : "\n  ", c->out);
                role_json(&x, role);
            } else {
                role_text(&x, role);
            }
        }
        if (x.json)
            fputs("\n  }", c->out);
    }
    if (x.json)
        fputs("\n}\n", c->out);
out:
    free(x.order);
    check_where_free(x.w);
    model_free(scratch);
    return rc;
}

const struct command cmd_where = {
    .name = "where",
    .summary = "where may a dataset's copies live: regions per role, with the basis",
    .usage =
        "usage: sovmap where DATASET [--why-not REGION] [--provider P] [--role R] [--all]\n"
        "                           [--format text|json]\n"
        "       sovmap where --tier T --subjects EU,BR [--public-sector] [options]\n"
        "\n"
        "For each role (primary, replica, backup for backup/dr/archive copies, key for\n"
        "the encryption key of a copy at home), the regions where a copy may live,\n"
        "grouped by jurisdiction, with the basis: inside the free-flow area, adequacy,\n"
        "adequacy with its condition, or allowed only once the copy or its flow declares\n"
        "a mechanism (dpf, scc, bcr). It uses the dataset's effective tier and subjects\n"
        "(lineage included) and the checker's own tests: a region is allowed exactly\n"
        "when a new copy there would get no RES001-RES005, XFR001, XFR002 or ENC002\n"
        "finding. Replicas, backups and keys are judged against the primary's region.\n"
        "--tier and --subjects answer for a dataset not yet modelled.\n"
        "\n"
        "  --why-not REGION  the rules and facts that exclude REGION, per role\n"
        "  --provider P      only regions of provider P (aws, azure, gcp ...)\n"
        "  --role R          only one role: primary, replica, backup or key\n"
        "  --all             list forbidden regions too, with their rules\n"
        "  --tier T          tier of a dataset not yet modelled\n"
        "  --subjects LIST   its subjects' jurisdictions, e.g. EU,BR\n"
        "  --public-sector   its holder is a public body\n"
        "  --format FORMAT   text or json\n",
    .run = run_where,
};
