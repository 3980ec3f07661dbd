/*
 * export_ropa.c - `export ropa-csv|ropa-md`: the record of processing
 * activities of GDPR Art. 30(1), one entry per system and dataset the way
 * Fides and OneTrust export a data map: purpose and legal basis (declared
 * on the dataset), data subjects (effective, through lineage), personal
 * data categories (the personal tags on its fields), retention, where it
 * is kept, recipients (flow targets), and third-country transfers with
 * their safeguard (mechanism and reference, from the checker's register).
 *
 * Lists a dataset when it holds personal data (effective, lineage
 * included) or declares a purpose or legal basis. Reads the model and the
 * check result only; writes only to the FILE it is given, every cell
 * through the shared escapers (CSV formula neutralising included).
 * Deterministic: systems, then datasets, by name; list items sorted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "export.h"
#include "lineage.h"
#include "rules.h"

/* Cells of one dataset's entry. */
enum {
    C_SYSTEM, C_DATASET, C_PURPOSE, C_BASIS, C_OWNER, C_TIER, C_SUBJECTS, C_CATEGORIES,
    C_RETENTION, C_LOCATIONS, C_RECIPIENTS, C_COUNTRIES, C_SAFEGUARDS, C_COUNT
};

static const char *const csv_head[C_COUNT] = {
    "system", "dataset", "purpose", "legal_basis", "owner", "tier", "data_subjects",
    "personal_data_categories", "retention", "locations", "recipients",
    "third_countries", "transfer_safeguards"
};

/* A list of heap strings, sorted and made unique when joined. */
struct slist {
    char **v;
    size_t n, cap;
};

static int
slist_add(struct slist *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return SM_ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    if (!(l->v[l->n] = strdup(s)))
        return SM_ENOMEM;
    l->n++;
    return SM_OK;
}

/* Adds a, sep and b as one item. */
static int
slist_addf2(struct slist *l, const char *a, const char *sep, const char *b)
{
    size_t n = strlen(a) + strlen(sep) + strlen(b) + 1;
    char *s = malloc(n);
    int rc;

    if (!s)
        return SM_ENOMEM;
    snprintf(s, n, "%s%s%s", a, sep, b);
    rc = slist_add(l, s);
    free(s);
    return rc;
}

static int
str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, unique, joined with "; " into a heap string (NULL: no memory). */
static char *
slist_join(struct slist *l)
{
    size_t len = 1, at = 0;
    char *s;

    if (l->n)
        qsort(l->v, l->n, sizeof *l->v, str_cmp);
    for (size_t i = 0; i < l->n; i++)
        len += strlen(l->v[i]) + 2;
    if (!(s = malloc(len)))
        return NULL;
    s[0] = '\0';
    for (size_t i = 0; i < l->n; i++) {
        if (i && !strcmp(l->v[i], l->v[i - 1]))
            continue;
        at += (size_t)snprintf(s + at, len - at, "%s%s", at ? "; " : "", l->v[i]);
    }
    return s;
}

static void
slist_fini(struct slist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

struct ropa {
    const struct model *m;
    const struct check_result *r;
    const struct export_opts *o;
    int32_t *order;             /* datasets listed, by (system, name) */
    int32_t norder;
    int32_t *xfer_first;        /* per dataset: first row in r->transfers, SM_NONE */
    int32_t *flow_next;         /* flows chained by source dataset */
    int32_t *flow_first;
};

static const struct model *cmp_m;

static int
ds_cmp(const void *pa, const void *pb)
{
    const struct dataset *a = &cmp_m->datasets[*(const int32_t *)pa];
    const struct dataset *b = &cmp_m->datasets[*(const int32_t *)pb];
    int c = strcmp(a->system, b->system);

    return c ? c : strcmp(a->name, b->name);
}

static bool
listed(const struct ropa *x, int32_t d)
{
    const struct dataset *ds = &x->m->datasets[d];
    const struct lineage *L = x->r->lineage;

    if (ds->deleted)
        return false;
    if (x->o && x->o->system && strcmp(ds->system, x->o->system))
        return false;
    if (x->o && x->o->tier &&
        (ds->tier == SM_NONE || strcmp(x->m->tiers[ds->tier].name, x->o->tier)))
        return false;
    return (L && d < L->ndatasets && L->personal[d]) || (ds->purpose && *ds->purpose) ||
           ds->legal_basis != LB_NONE;
}

static int
ropa_init(struct ropa *x, const struct model *m, const struct check_result *r,
          const struct export_opts *o)
{
    memset(x, 0, sizeof *x);
    x->m = m;
    x->r = r;
    x->o = o;
    x->order = malloc(((size_t)m->ndatasets + 1) * sizeof *x->order);
    x->xfer_first = malloc(((size_t)m->ndatasets + 1) * sizeof *x->xfer_first);
    x->flow_first = malloc(((size_t)m->ndatasets + 1) * sizeof *x->flow_first);
    x->flow_next = malloc(((size_t)m->nflows + 1) * sizeof *x->flow_next);
    if (!x->order || !x->xfer_first || !x->flow_first || !x->flow_next)
        return SM_ENOMEM;
    for (int32_t d = 0; d < m->ndatasets; d++) {
        x->xfer_first[d] = x->flow_first[d] = SM_NONE;
        if (listed(x, d))
            x->order[x->norder++] = d;
    }
    cmp_m = m;
    if (x->norder)
        qsort(x->order, (size_t)x->norder, sizeof *x->order, ds_cmp);
    /* The register is sorted by dataset: each dataset's rows are one run. */
    for (int32_t i = r->ntransfers - 1; i >= 0; i--) {
        int32_t d = r->transfers[i].dataset;
        if (d >= 0 && d < m->ndatasets)
            x->xfer_first[d] = i;
    }
    for (int32_t i = m->nflows - 1; i >= 0; i--) {
        const struct flow *f = &m->flows[i];
        int32_t d;

        x->flow_next[i] = SM_NONE;
        if (f->deleted || f->from < 0 || f->from >= m->nplacements)
            continue;
        d = m->placements[f->from].dataset;
        x->flow_next[i] = x->flow_first[d];
        x->flow_first[d] = i;
    }
    return SM_OK;
}

static void
ropa_fini(struct ropa *x)
{
    free(x->order);
    free(x->xfer_first);
    free(x->flow_first);
    free(x->flow_next);
}

/* A transfer leaves the free-flow area of the regime it is judged under
 * (or, without a regime, its country). */
static bool
third_country(const struct check_result *r, const struct transfer *t)
{
    int32_t g;

    if (!t->personal)
        return false;
    if (t->to_cc == SM_NONE)
        return true;
    if (r->rp && (g = rules_regime(r->rp, check_transfer_regime(r, t))) != SM_NONE)
        return !sm_ccset_has(&r->rp->regimes[g].free_flow, t->to_cc);
    return t->from_cc != t->to_cc;
}

/* The reference the transfer relies on: its flow's, or the copy's (implicit
 * replication). */
static const char *
transfer_ref(const struct model *m, const struct transfer *t)
{
    if (t->flow >= 0 && t->flow < m->nflows)
        return m->flows[t->flow].mechanism_ref ? m->flows[t->flow].mechanism_ref : "";
    if (t->placement >= 0 && t->placement < m->nplacements)
        return m->placements[t->placement].mechanism_ref ? m->placements[t->placement].mechanism_ref
                                                         : "";
    return "";
}

static void
cc_text(int32_t cc, char buf[8])    /* bounded: an ISO 3166 alpha-2 code or "global" */
{
    if (cc == SM_NONE)
        sm_strlcpy(buf, "global", 8);
    else
        sm_cc_str(cc, buf);
}

/* What the transfer goes through: its flow's name or the copy abroad's
 * selector, whole (a heap string the caller frees; NULL: no memory). */
static char *
transfer_via(const struct model *m, const struct transfer *t)
{
    if (t->flow >= 0 && t->flow < m->nflows)
        return strdup(m->flows[t->flow].name);
    if (t->placement >= 0 && t->placement < m->nplacements)
        return model_selector_dup(m, OBJ_PLACEMENT, t->placement);
    return strdup("");
}

static const char *
tier_of(const struct ropa *x, int32_t d)
{
    int32_t t = d < x->r->ndatasets ? x->r->eff_tier[d] : x->m->datasets[d].tier;

    return t >= 0 && t < x->m->ntiers ? x->m->tiers[t].name : "";
}

/* Fill cells[] (heap strings) for dataset d. */
static int
entry(struct ropa *x, int32_t d, char *cells[C_COUNT])
{
    const struct model *m = x->m;
    const struct dataset *ds = &m->datasets[d];
    const struct lineage *L = x->r->lineage;
    const struct rulepack *rp = x->r->rp;
    struct slist l = { 0 };
    char buf[64], cc[8];    /* bounded: a day count or a role name in brackets, a country code */
    int rc = SM_OK;

    memset(cells, 0, C_COUNT * sizeof *cells);
    cells[C_SYSTEM] = strdup(ds->system);
    cells[C_DATASET] = strdup(ds->name);
    cells[C_PURPOSE] = strdup(ds->purpose ? ds->purpose : "");
    cells[C_BASIS] = strdup(legal_basis_names[ds->legal_basis]);
    cells[C_OWNER] = strdup(ds->owner);
    cells[C_TIER] = strdup(tier_of(x, d));
    /* data subjects: the effective ones (declared and carried in by lineage) */
    if (L && d < L->ndatasets) {
        for (int s = 0; s < L->nslots && !rc; s++)
            if (lineage_has_subject(L, d, s)) {
                sm_cc_str(L->slot_cc[s], cc);
                rc = slist_add(&l, cc);
            }
    } else {
        for (int i = 0; i < ds->nsubjects && !rc; i++) {
            sm_cc_str(ds->subjects[i], cc);
            rc = slist_add(&l, cc);
        }
    }
    if (rc || !(cells[C_SUBJECTS] = slist_join(&l)))
        goto oom;
    slist_fini(&l);
    /* categories: every tag under a personal prefix, on a field or the dataset */
    for (int32_t t = ds->first_tag; t != SM_NONE && !rc; t = m->tags[t].next) {
        const char *tag = m->tags[t].tag;
        bool personal = false;

        if (rp)
            for (uint32_t k = 0; k < rp->personal_tags.n && !personal; k++)
                personal = model_tag_under(tag, rp->personal_tags.v[k]);
        else
            personal = model_tag_under(tag, "pii") || model_tag_under(tag, "personal") ||
                       model_tag_under(tag, "phi");
        if (personal)
            rc = slist_add(&l, tag);
    }
    if (rc || !(cells[C_CATEGORIES] = slist_join(&l)))
        goto oom;
    slist_fini(&l);
    buf[0] = '\0';
    if (ds->retention_days != SM_NONE)
        snprintf(buf, sizeof buf, "%d days", (int)ds->retention_days);
    else if (ds->tier != SM_NONE && m->tiers[ds->tier].retention_max_days != SM_NONE)
        snprintf(buf, sizeof buf, "at most %d days (tier)",
                 (int)m->tiers[ds->tier].retention_max_days);
    if (!(cells[C_RETENTION] = strdup(buf)))
        goto oom;
    for (int32_t p = ds->first_placement; p != SM_NONE && !rc; p = m->placements[p].next) {
        const struct placement *pl = &m->placements[p];
        if (pl->deleted)
            continue;
        snprintf(buf, sizeof buf, " (%s)", role_names[pl->role]);
        rc = slist_addf2(&l, m->regions[pl->region].id, "", buf);
    }
    if (rc || !(cells[C_LOCATIONS] = slist_join(&l)))
        goto oom;
    slist_fini(&l);
    /* recipients: where its flows go, other datasets' systems or export targets */
    for (int32_t i = x->flow_first[d]; i != SM_NONE && !rc; i = x->flow_next[i]) {
        const struct flow *f = &m->flows[i];

        if (f->to != SM_NONE) {
            const struct dataset *td = &m->datasets[m->placements[f->to].dataset];
            if (td == ds)
                continue;       /* its own copies are not a recipient */
            rc = slist_addf2(&l, *td->system ? td->system : "(no system)", "/", td->name);
        } else if (f->to_region >= 0 && f->to_region < m->nregions) {
            rc = slist_addf2(&l, f->public_recipient ? "public body in " : "export to ", "",
                             m->regions[f->to_region].id);
        }
    }
    if (rc || !(cells[C_RECIPIENTS] = slist_join(&l)))
        goto oom;
    slist_fini(&l);
    for (int32_t i = x->xfer_first[d];
         i != SM_NONE && i < x->r->ntransfers && x->r->transfers[i].dataset == d && !rc; i++) {
        const struct transfer *t = &x->r->transfers[i];
        if (!third_country(x->r, t))
            continue;
        cc_text(t->to_cc, cc);
        rc = slist_add(&l, cc);
    }
    if (rc || !(cells[C_COUNTRIES] = slist_join(&l)))
        goto oom;
    slist_fini(&l);
    for (int32_t i = x->xfer_first[d];
         i != SM_NONE && i < x->r->ntransfers && x->r->transfers[i].dataset == d && !rc; i++) {
        const struct transfer *t = &x->r->transfers[i];
        const char *ref = transfer_ref(m, t);
        char *via, *s;
        size_t n;

        if (!third_country(x->r, t))
            continue;
        cc_text(t->to_cc, cc);
        if (!(via = transfer_via(m, t)))
            goto oom;
        n = strlen(cc) + strlen(via) + strlen(ref) + 64;
        if (!(s = malloc(n))) {
            free(via);
            goto oom;
        }
        snprintf(s, n, "%s via %s: %s%s%s (%s)", cc, via,
                 t->mechanism != MECH_NONE ? mechanism_names[t->mechanism] : "none",
                 *ref ? " " : "", ref, transfer_status_names[t->status]);
        rc = slist_add(&l, s);
        free(s);
        free(via);
    }
    if (rc || !(cells[C_SAFEGUARDS] = slist_join(&l)))
        goto oom;
    slist_fini(&l);
    for (int i = 0; i < C_COUNT; i++)
        if (!cells[i])
            goto oom;
    return SM_OK;
oom:
    slist_fini(&l);
    for (int i = 0; i < C_COUNT; i++) {
        free(cells[i]);
        cells[i] = NULL;
    }
    return SM_ENOMEM;
}

static void
cells_free(char *cells[C_COUNT])
{
    for (int i = 0; i < C_COUNT; i++)
        free(cells[i]);
}

static void
stamp(FILE *f, const struct export_opts *o, const char *prefix)
{
    char d[11];    /* bounded: a YYYY-MM-DD date */

    if (!o || !o->stamp)
        return;
    sm_date_fmt(o->today, d);
    fprintf(f, "%sgenerated by sovmap on %s\n", prefix, d);
}

static void
write_csv(struct ropa *x, FILE *f, char *const *cells, bool head)
{
    (void)x;
    for (int i = 0; i < C_COUNT; i++) {
        if (i)
            fputc(',', f);
        export_put_csv(f, head ? csv_head[i] : cells[i]);
    }
    fputc('\n', f);
}

static void
md_cell(FILE *f, const char *s, const char *none)
{
    fputs("| ", f);
    if (s && *s)
        export_put_md(f, s);
    else
        fputs(none, f);
    fputc(' ', f);
}

/* The Markdown record: per system a table of its datasets, then every
 * third-country transfer with its safeguard. */
static int
write_md(struct ropa *x, FILE *f)
{
    const struct model *m = x->m;
    const char *system = NULL;
    int32_t ntransfers = 0;
    int rc = SM_OK;

    fputs("# Record of processing activities (GDPR Art. 30)\n\n", f);
    stamp(f, x->o, "");
    if (x->o && x->o->stamp)
        fputc('\n', f);
    fprintf(f, "%d processing entries: datasets holding personal data (lineage included) "
            "or declaring a purpose or legal basis.\n", (int)x->norder);
    for (int32_t k = 0; k < x->norder && !rc; k++) {
        int32_t d = x->order[k];
        char *cells[C_COUNT];

        if ((rc = entry(x, d, cells)))
            break;
        if (!system || strcmp(system, m->datasets[d].system)) {
            system = m->datasets[d].system;
            fputs("\n## System ", f);
            if (*system)
                export_put_md(f, system);
            else
                fputs("(none)", f);
            fputs("\n\n| dataset | purpose | legal basis (Art. 6(1)) | owner | tier "
                  "| data subjects | personal data categories | retention | kept in "
                  "| recipients | third countries |\n"
                  "|---|---|---|---|---|---|---|---|---|---|---|\n", f);
        }
        md_cell(f, cells[C_DATASET], "");
        md_cell(f, cells[C_PURPOSE], "*not given*");
        md_cell(f, cells[C_BASIS], "*not given*");
        md_cell(f, cells[C_OWNER], "");
        md_cell(f, cells[C_TIER], "");
        md_cell(f, cells[C_SUBJECTS], "");
        md_cell(f, cells[C_CATEGORIES], "");
        md_cell(f, cells[C_RETENTION], "*not given*");
        md_cell(f, cells[C_LOCATIONS], "");
        md_cell(f, cells[C_RECIPIENTS], "none");
        md_cell(f, cells[C_COUNTRIES], "none");
        fputs("|\n", f);
        cells_free(cells);
    }
    if (rc)
        return rc;
    fputs("\n## Third-country transfers and their safeguards (Art. 30(1)(e), Art. 44-49)\n\n", f);
    for (int32_t k = 0; k < x->norder; k++) {
        int32_t d = x->order[k];

        for (int32_t i = x->xfer_first[d];
             i != SM_NONE && i < x->r->ntransfers && x->r->transfers[i].dataset == d; i++) {
            const struct transfer *t = &x->r->transfers[i];
            char a[8], b[8], *via;    /* bounded: ISO 3166 alpha-2 codes or "global" */

            if (!third_country(x->r, t))
                continue;
            if (!ntransfers++)
                fputs("| system | dataset | from | to | via | regime | mechanism "
                      "| reference | status |\n|---|---|---|---|---|---|---|---|---|\n", f);
            cc_text(t->from_cc, a);
            cc_text(t->to_cc, b);
            md_cell(f, m->datasets[d].system, "");
            md_cell(f, m->datasets[d].name, "");
            md_cell(f, a, "");
            md_cell(f, b, "");
            if (!(via = transfer_via(m, t)))
                return SM_ENOMEM;
            md_cell(f, via, "");
            free(via);
            md_cell(f, check_transfer_regime(x->r, t), "");
            md_cell(f, t->mechanism != MECH_NONE ? mechanism_names[t->mechanism] : "",
                    "**none**");
            md_cell(f, transfer_ref(m, t), "");
            md_cell(f, transfer_status_names[t->status], "");
            fputs("|\n", f);
        }
    }
    if (!ntransfers)
        fputs("No personal data leaves its free-flow area.\n", f);
    return SM_OK;
}

int
export_ropa(const struct model *m, const struct check_result *r,
            const struct export_opts *o, const char *fmt, FILE *f, struct sm_error *err)
{
    struct ropa x;
    int rc;

    if (!r)
        return sm_error_set(err, SM_EINVAL, "ropa-%s needs a check result", fmt);
    if (ropa_init(&x, m, r, o)) {
        ropa_fini(&x);
        return sm_error_set(err, SM_ENOMEM, "ropa-%s: out of memory", fmt);
    }
    if (!strcmp(fmt, "md")) {
        rc = write_md(&x, f);
    } else {
        rc = SM_OK;
        stamp(f, o, "# ");
        write_csv(&x, f, NULL, true);
        for (int32_t k = 0; k < x.norder && !rc; k++) {
            char *cells[C_COUNT];
            if (!(rc = entry(&x, x.order[k], cells))) {
                write_csv(&x, f, cells, false);
                cells_free(cells);
            }
        }
    }
    ropa_fini(&x);
    if (rc)
        return sm_error_set(err, rc, "ropa-%s: out of memory", fmt);
    if (ferror(f))
        return sm_error_set(err, SM_EIO, "ropa-%s: write error: %s", fmt, strerror(errno));
    return SM_OK;
}
