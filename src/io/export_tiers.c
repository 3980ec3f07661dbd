/*
 * export_tiers.c - `export tiers-md|tiers-csv`: the tier-to-region mapping
 * an architect signs off. For each tier and each set of (effective)
 * subjects its datasets have, the regions a copy may live in per role,
 * grouped by jurisdiction, with the basis and the law behind it, and the
 * datasets concerned. Every cell is check_where's (check.c) for a dataset
 * not yet modelled of that tier and those subjects (where_scratch), so the
 * mapping says what `sovmap where --tier T --subjects S` says.
 *
 * Deterministic: tiers by rank (highest first) then name, subject sets
 * alphabetically, jurisdiction groups by name, regions by id.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "export.h"
#include "lineage.h"
#include "rules.h"
#include "where.h"

struct combo {
    int32_t tier;
    uint16_t subj[MODEL_MAX_SUBJECTS];
    uint8_t nsubj;
    bool pub;
    char key[80];               /* "EU,BR" (+ " public sector") */
    int32_t *ds;                /* datasets with this tier and these subjects */
    int32_t nds, cap;
};

struct tx {
    const struct model *m;
    const struct check_result *r;
    const struct export_opts *o;
    struct combo *cb;
    int32_t ncb, cap;
    const char **groups;        /* distinct jurisdiction groups, sorted */
    int32_t ngroups;
    int32_t *order;             /* regions by (group, id) */
    int32_t norder;
};

static const struct model *cmp_m;
static const struct export_opts *cmp_o;

static const char *
group_of(const struct export_opts *o, const struct model *m, int32_t r)
{
    return export_region_group(o ? o->juris : NULL, m, r);
}

static int
region_cmp(const void *pa, const void *pb)
{
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    char ga[64], gb[64];
    int d;

    snprintf(ga, sizeof ga, "%s", group_of(cmp_o, cmp_m, a));
    snprintf(gb, sizeof gb, "%s", group_of(cmp_o, cmp_m, b));
    if ((d = strcmp(ga, gb)))
        return d;
    return strcmp(cmp_m->regions[a].id, cmp_m->regions[b].id);
}

static int
combo_cmp(const void *pa, const void *pb)
{
    const struct combo *a = pa, *b = pb;
    const struct tier *ta = &cmp_m->tiers[a->tier], *tb = &cmp_m->tiers[b->tier];
    int d;

    if (ta->rank != tb->rank)
        return ta->rank > tb->rank ? -1 : 1;
    if ((d = strcmp(ta->name, tb->name)))
        return d;
    return strcmp(a->key, b->key);
}

/* The combos: one per (effective tier, effective subjects, public sector). */
static int
collect(struct tx *x)
{
    const struct lineage *L = x->r->lineage;

    for (int32_t d = 0; d < x->m->ndatasets; d++) {
        const struct dataset *ds = &x->m->datasets[d];
        struct combo c;
        int32_t k;

        if (ds->deleted || x->r->eff_tier[d] == SM_NONE)
            continue;
        memset(&c, 0, sizeof c);
        c.tier = x->r->eff_tier[d];
        c.pub = ds->public_sector;
        check_eff_subjects(x->r, d, c.key, sizeof c.key);
        for (int32_t s = 0; L && s < L->nslots && c.nsubj < MODEL_MAX_SUBJECTS; s++)
            if (lineage_has_subject(L, d, s))
                c.subj[c.nsubj++] = (uint16_t)L->slot_cc[s];
        if (c.pub)
            strncat(c.key, " public sector", sizeof c.key - strlen(c.key) - 1);
        for (k = 0; k < x->ncb; k++)
            if (x->cb[k].tier == c.tier && strcmp(x->cb[k].key, c.key) == 0)
                break;
        if (k == x->ncb) {
            if (x->ncb == x->cap && sm_grow((void **)&x->cb, &x->cap, x->ncb + 1, sizeof *x->cb))
                return SM_ENOMEM;
            x->cb[x->ncb++] = c;
        }
        if (x->cb[k].nds == x->cb[k].cap &&
            sm_grow((void **)&x->cb[k].ds, &x->cb[k].cap, x->cb[k].nds + 1, sizeof *x->cb[k].ds))
            return SM_ENOMEM;
        x->cb[k].ds[x->cb[k].nds++] = d;
    }
    cmp_m = x->m;
    qsort(x->cb, (size_t)x->ncb, sizeof *x->cb, combo_cmp);
    return SM_OK;
}

static int
regions(struct tx *x)
{
    const struct model *m = x->m;

    x->order = malloc(sizeof *x->order * (size_t)(m->nregions + 1));
    x->groups = malloc(sizeof *x->groups * (size_t)(m->nregions + 1));
    if (!x->order || !x->groups)
        return SM_ENOMEM;
    for (int32_t r = 0; r < m->nregions; r++)
        if (!m->regions[r].deleted)
            x->order[x->norder++] = r;
    cmp_m = m;
    cmp_o = x->o;
    qsort(x->order, (size_t)x->norder, sizeof *x->order, region_cmp);
    /* group names live in juris or in a static buffer: keep copies in the
     * model-independent arena of this export (strdup, freed at the end) */
    for (int32_t k = 0; k < x->norder; k++) {
        const char *g = group_of(x->o, m, x->order[k]);
        if (x->ngroups && strcmp(x->groups[x->ngroups - 1], g) == 0)
            continue;
        if (!(x->groups[x->ngroups] = strdup(g)))
            return SM_ENOMEM;
        x->ngroups++;
    }
    return SM_OK;
}

/* The law behind an allowed cell: the adequacy decision, the free-flow
 * area's regime, the mechanism's article, or the tier's own policy. */
static const char *
law_of(const struct rulepack *rp, const struct where_cell *c, char *buf, size_t size)
{
    const struct regime *g = c->regime == SM_NONE ? NULL : &rp->regimes[c->regime];

    if (c->status == WHERE_ST_FORBIDDEN || !g || c->basis == WHERE_B_SCOPE) {
        snprintf(buf, size, "%s", c->status == WHERE_ST_FORBIDDEN ? "" : "the tier's policy");
        return buf;
    }
    switch (c->basis) {
    case WHERE_B_ADEQUACY:
    case WHERE_B_CONDITION:
    case WHERE_B_DPF:
        for (int32_t k = 0; k < g->nadequacy; k++)
            if (g->adequacy[k].cc == c->cc && g->adequacy[k].instrument &&
                *g->adequacy[k].instrument) {
                snprintf(buf, size, "%s: %s", g->id, g->adequacy[k].instrument);
                return buf;
            }
        snprintf(buf, size, "%s adequacy", g->id);
        return buf;
    case WHERE_B_MECH:
        snprintf(buf, size, "%s: appropriate safeguards (%s)", g->id, mechanism_names[c->mechanism]);
        return buf;
    default:
        if (g->transfer == XFER_RULE_CONDITIONAL)
            snprintf(buf, size, "%s: free flow within %s%s", g->id, g->area_bloc ? "the " : "",
                     g->area);
        else
            snprintf(buf, size, "%s restricts no transfer there", g->id);
        return buf;
    }
}

static const struct where_cell *
cell_of(const struct where_result *w, int role, int32_t r)
{
    return &w->cells[(size_t)role * (size_t)w->nregions + (size_t)r];
}

/* ---- Markdown ------------------------------------------------------------ */

/* Add s to a "; "-separated list of distinct items (at most 3, then "…"). */
static void
add_item(char *buf, size_t size, int *n, const char *s)
{
    size_t len = strlen(buf);

    if (!*s || strstr(buf, s))
        return;
    if (*n == 3) {
        if (len + 4 < size)
            strcat(buf, "; …");
        (*n)++;
        return;
    }
    if (*n > 3)
        return;
    snprintf(buf + len, size - len, "%s%s", *n ? "; " : "", s);
    (*n)++;
}

static void
md_cell(FILE *f, const struct tx *x, const struct where_result *w, int role, int32_t g0,
        int32_t g1, const char *relative)
{
    int32_t total = g1 - g0, allowed = 0, mech = 0;
    int mechanism = MECH_NONE;
    char list[512] = "";
    size_t n = 0;

    for (int32_t k = g0; k < g1; k++) {
        const struct where_cell *c = cell_of(w, role, x->order[k]);
        if (c->status == WHERE_ST_ALLOWED) {
            allowed++;
            if (n < sizeof list)
                n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "",
                                      x->m->regions[x->order[k]].id);
        } else if (c->status == WHERE_ST_MECHANISM) {
            mech++;
            mechanism = c->mechanism;
        }
    }
    fputs(" | ", f);
    if (relative && (allowed || mech)) {
        fputs(relative, f);
        return;
    }
    if (!allowed && !mech) {
        fputs("—", f);
        return;
    }
    if (allowed == total)
        fprintf(f, "all %d", (int)total);
    else if (allowed && allowed <= 6 && n < sizeof list) {
        export_put_md(f, list);
    } else if (allowed)
        fprintf(f, "%d of %d", (int)allowed, (int)total);
    if (mech)
        fprintf(f, "%swith %s: %d", allowed ? "; " : "", mechanism_names[mechanism], (int)mech);
}

static const char *
relative_scope(int scope)
{
    return scope == SCOPE_REGION ? "the primary's region" :
        scope == SCOPE_COUNTRY ? "the primary's country" : NULL;
}

static void
md_combo(FILE *f, const struct tx *x, const struct combo *cb, const struct where_result *w)
{
    const struct tier *T = &x->m->tiers[cb->tier];
    char label[128];

    fputs("\n### ", f);
    export_put_md(f, *cb->key ? cb->key : "no");
    fprintf(f, " subjects (%d dataset%s)\n\n", (int)cb->nds, cb->nds == 1 ? "" : "s");
    fputs("Datasets: ", f);
    for (int32_t k = 0; k < cb->nds; k++) {
        if (k)
            fputs(", ", f);
        export_put_md(f, x->m->datasets[cb->ds[k]].name);
    }
    fputs(".\n\n| jurisdiction | primary | replicas | backup, dr, archive | keys | basis | law |\n"
          "|---|---|---|---|---|---|---|\n", f);
    for (int32_t g = 0, k0 = 0; g < x->ngroups; g++) {
        int32_t k1 = k0;
        char basis[512] = "", law[512] = "", lb[256];
        uint32_t rules = 0;
        int nb = 0, nl = 0;
        bool any = false;
        while (k1 < x->norder && strcmp(group_of(x->o, x->m, x->order[k1]), x->groups[g]) == 0)
            k1++;
        for (int32_t k = k0; k < k1; k++)
            for (int role = 0; role < WHERE_ROLE_COUNT; role++) {
                const struct where_cell *c = cell_of(w, role, x->order[k]);
                if (role == WHERE_KEY)
                    continue;
                if (c->status == WHERE_ST_FORBIDDEN) {
                    rules |= c->rules;
                    continue;
                }
                any = true;
                add_item(basis, sizeof basis, &nb, c->detail);
                add_item(law, sizeof law, &nl, law_of(x->r->rp, c, lb, sizeof lb));
            }
        if (!any) {
            /* forbidden for every copy: the rules that exclude it */
            for (int i = 0; i < RULE_COUNT; i++)
                if (rules & (1u << i)) {
                    char rb[16];
                    snprintf(rb, sizeof rb, "%s", rule_names[i]);
                    add_item(basis, sizeof basis, &nb, rb);
                }
        }
        fputs("| ", f);
        export_put_md(f, export_group_label(x->o ? x->o->juris : NULL, x->groups[g], label,
                                            sizeof label));
        md_cell(f, x, w, WHERE_PRIMARY, k0, k1, NULL);
        md_cell(f, x, w, WHERE_REPLICA, k0, k1, relative_scope(T->scope));
        md_cell(f, x, w, WHERE_BACKUP, k0, k1, relative_scope(T->backup_scope));
        md_cell(f, x, w, WHERE_KEY, k0, k1, relative_scope(T->key_scope));
        fputs(" | ", f);
        if (!any && *basis)
            fputs("forbidden: ", f);
        export_put_md(f, basis);
        fputs(" | ", f);
        export_put_md(f, law);
        fputs(" |\n", f);
        k0 = k1;
    }
}

/* ---- CSV ------------------------------------------------------------------ */

static void
csv_combo(FILE *f, const struct tx *x, const struct combo *cb, const struct where_result *w)
{
    const struct tier *T = &x->m->tiers[cb->tier];
    char lb[256], nds[16];

    snprintf(nds, sizeof nds, "%d", (int)cb->nds);
    for (int role = 0; role < WHERE_ROLE_COUNT; role++)
        for (int32_t k = 0; k < x->norder; k++) {
            int32_t r = x->order[k];
            const struct where_cell *c = cell_of(w, role, r);
            export_put_csv(f, T->name);
            fputc(',', f);
            export_put_csv(f, cb->key);
            fprintf(f, ",%s,%s,", cb->pub ? "yes" : "no", where_role_names[role]);
            export_put_csv(f, group_of(x->o, x->m, r));
            fputc(',', f);
            export_put_csv(f, x->m->regions[r].id);
            fprintf(f, ",%s,%s,%s,", where_status_names[c->status], where_basis_names[c->basis],
                    c->status == WHERE_ST_MECHANISM ? mechanism_names[c->mechanism] : "");
            export_put_csv(f, c->detail);
            fputc(',', f);
            export_put_csv(f, law_of(x->r->rp, c, lb, sizeof lb));
            fprintf(f, ",%s\n", nds);
        }
}

/* ---- entry ------------------------------------------------------------------ */

int
export_tiers(const struct model *m, const struct check_result *r, const struct export_opts *o,
             const char *fmt, FILE *f, struct sm_error *err)
{
    struct tx x;
    int rc = SM_ENOMEM;
    bool md = strcmp(fmt, "md") == 0;

    memset(&x, 0, sizeof x);
    x.m = m;
    x.r = r;
    x.o = o;
    if (!r || !r->rp)
        return sm_error_set(err, SM_EINVAL, "export tiers: the model must be checked first");
    if (collect(&x) || regions(&x))
        goto out;
    if (md) {
        fprintf(f, "# Tier-to-region mapping\n\nRule pack ");
        export_put_md(f, r->rp->name ? r->rp->name : "");
        fputs(". Each cell is what `sovmap where --tier T --subjects S` answers: a region is "
              "allowed when a new copy there, with no mechanism, gets no RES001-RES005, XFR001, "
              "XFR002 or ENC002 finding; \"with dpf: N\" counts regions allowed once the copy "
              "or its flow declares that mechanism. Replicas, backups and keys of tiers whose "
              "scope is the primary's region or country follow the primary.\n", f);
    } else {
        fputs("tier,subjects,public_sector,role,jurisdiction,region,status,basis,mechanism,"
              "detail,law,datasets\n", f);
    }
    for (int32_t k = 0; k < x.ncb; k++) {
        const struct combo *cb = &x.cb[k];
        const struct tier *T = &m->tiers[cb->tier];
        struct model *scratch = NULL;
        struct where_result *w = NULL;
        int32_t nd;

        if ((rc = where_scratch(m, cb->tier, cb->subj, cb->nsubj, cb->pub, &scratch, &nd, err)) ||
            (rc = check_where(scratch, r->rp, r->today, nd, &w, err))) {
            model_free(scratch);
            goto out;
        }
        if (md) {
            if (k == 0 || x.cb[k - 1].tier != cb->tier) {
                fputs("\n## ", f);
                export_put_md(f, T->name);
                fprintf(f, "\n\nRank %d; scope %s, backup scope %s, key scope %s; %s; %s.",
                        (int)T->rank, scope_names[T->scope], scope_names[T->backup_scope],
                        scope_names[T->key_scope],
                        T->encryption_at_rest ? "encrypted at rest" : "no encryption required",
                        T->personal ? "personal data" : "not personal data");
                if (T->scope == SCOPE_APPROVED) {
                    fputs(" Approved regions: ", f);
                    for (uint32_t i = 0; i < T->approved.n; i++) {
                        if (i)
                            fputs(", ", f);
                        export_put_md(f, T->approved.v[i]);
                    }
                    fputc('.', f);
                }
                fputc('\n', f);
            }
            md_combo(f, &x, cb, w);
        } else {
            csv_combo(f, &x, cb, w);
        }
        check_where_free(w);
        model_free(scratch);
    }
    if (md) {
        bool head = false;
        for (int32_t t = 0; t < m->ntiers; t++) {
            bool used = false;
            if (m->tiers[t].deleted)
                continue;
            for (int32_t k = 0; k < x.ncb && !used; k++)
                used = x.cb[k].tier == t;
            if (used)
                continue;
            if (!head)
                fputs("\n## Tiers no dataset uses\n\n", f);
            head = true;
            fputs("- ", f);
            export_put_md(f, m->tiers[t].name);
            fputs(" (`sovmap where --tier ", f);
            export_put_md(f, m->tiers[t].name);
            fputs(" --subjects S` shows its regions)\n", f);
        }
    }
    rc = SM_OK;
out:
    for (int32_t k = 0; k < x.ncb; k++)
        free(x.cb[k].ds);
    free(x.cb);
    for (int32_t g = 0; g < x.ngroups; g++)
        free((void *)x.groups[g]);
    free(x.groups);
    free(x.order);
    if (rc == SM_ENOMEM)
        return sm_error_set(err, SM_ENOMEM, "export tiers: out of memory");
    return rc;
}
