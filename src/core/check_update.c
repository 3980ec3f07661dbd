/*
 * check_update.c - the incremental re-check: after an edit, only the
 * datasets flows link the touched ones to are checked again, on a small
 * model of their own, and their rows replace the old ones in the result.
 *
 * Why it is exact: a dataset's findings, transfer rows and lineage facts
 * depend only on the rule pack, the regions and tiers, the waivers and the
 * datasets flows link it to (lineage and transfers follow flows). The
 * small model keeps the relative order of the group's datasets, copies
 * and flows (ids ascending, each dataset's copy list as in m), so the
 * checker meets them in the same order as in m: the same "first flow into
 * a copy", the same lineage worklist order (eff_via). What the group
 * cannot see is global: the subject slots of the whole model and SUB001
 * (first dataset and count per unknown subject code). The update refuses
 * (chg->ngroup -1) when an edit could change those, and when the edit
 * changes the law for everyone.
 *
 * The group is found through an adjacency of every flow, deleted ones
 * too, so the datasets a removed flow or copy linked are checked again.
 * Flows added or re-ended since it was built are kept in a short list.
 *
 * Core: no I/O.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lineage.h"
#include "rules.h"

#define XFLOWS_MAX 512

struct check_extra {
    uint64_t *decl;             /* per dataset: declared subject slots */
    int32_t ndecl;
    int32_t slot_count[64];     /* live datasets declaring each slot */
    uint64_t unknown;           /* slots with no regime in the pack */
    int32_t *adj_first, *adj;   /* flows per dataset, both ends, deleted too */
    int32_t adj_nd, adj_nf;     /* sizes when built; 0: not built */
    int32_t *xflows;            /* flows re-ended since (added ones: >= adj_nf) */
    int32_t nx, cap_x;
    uint8_t *mark;              /* per dataset, all zero between calls */
    int32_t nmark;
    int32_t *pmap;              /* per placement, all SM_NONE between calls */
    int32_t npmap;
    int32_t cap_transfers;      /* room in r->transfers; 0: exactly ntransfers */
    int32_t nregions;           /* m->nregions when checked: a region added since
                                 * can be any dataset's nearest fix (hints) */
};

void
check_extra_free(struct check_extra *x)
{
    if (!x)
        return;
    sm_big_free(x->decl);
    sm_big_free(x->adj_first);
    sm_big_free(x->adj);
    free(x->xflows);
    sm_big_free(x->mark);
    sm_big_free(x->pmap);
    free(x);
}

/* Declared subjects of a dataset as slots of L; false when a code has no
 * slot (a code new to the model). */
static bool
decl_mask(const struct lineage *L, const struct dataset *ds, uint64_t *out)
{
    uint64_t v = 0;

    for (int k = 0; k < ds->nsubjects; k++) {
        int cc = ds->subjects[k];
        int slot = cc >= 0 && cc < SM_CC_COUNT ? L->cc_slot[cc] : SM_NONE;
        if (slot == SM_NONE || slot >= 64)
            return false;
        v |= (uint64_t)1 << slot;
    }
    *out = v;
    return true;
}

int
check_extra_init(struct check_result *r, const struct model *m, uint64_t unknown_slots)
{
    struct check_extra *x = calloc(1, sizeof *x);
    struct lineage *L = r->lineage;
    /* lineage_run kept the declared slots (0 for a deleted dataset): taken,
     * not worked out again from every dataset */
    bool take = L && L->decl && L->ndatasets == m->ndatasets;

    if (!x || (take ? !(x->decl = L->decl)
                    : !(x->decl = sm_big_alloc(sizeof *x->decl * (size_t)(m->ndatasets + 1),
                                               m->shareable)))) {
        check_extra_free(x);
        return SM_ENOMEM;
    }
    if (take)
        L->decl = NULL;
    x->ndecl = m->ndatasets;
    x->nregions = m->nregions;
    x->unknown = unknown_slots;
    for (int32_t d = 0; d < m->ndatasets; d++) {
        uint64_t v = 0;
        if (take)
            v = x->decl[d];
        else if (!m->datasets[d].deleted && !decl_mask(L, &m->datasets[d], &v)) {
            check_extra_free(x);        /* cannot happen: slots come from m */
            return SM_OK;
        }
        x->decl[d] = v;
        for (; v; v &= v - 1)
            x->slot_count[__builtin_ctzll(v)]++;
    }
    check_extra_free(r->extra);
    r->extra = x;
    return SM_OK;
}

/* An sm_big block shared page by page when src's is shareable. */
static int
share_block(void *dst, const void *src, size_t n, size_t el)
{
    void **d = dst;

    *d = NULL;
    if (!src)
        return SM_OK;
    return (*d = sm_big_share(src, n * el + el)) ? SM_OK : SM_ENOMEM;
}

int
check_extra_copy(struct check_result *r, const struct check_result *src)
{
    const struct check_extra *s = src->extra;
    struct check_extra *x;

    if (!s)
        return SM_OK;
    if (!(x = calloc(1, sizeof *x)))
        return SM_ENOMEM;
    *x = *s;
    x->decl = NULL;
    x->adj_first = x->adj = x->xflows = x->pmap = NULL;
    x->mark = NULL;
    x->cap_x = x->nx;
    x->cap_transfers = 0;       /* r's register holds exactly its rows */
    if (s->nx && !(x->xflows = malloc(sizeof *x->xflows * (size_t)s->nx))) {
        check_extra_free(x);
        return SM_ENOMEM;
    }
    if (s->nx)
        memcpy(x->xflows, s->xflows, sizeof *x->xflows * (size_t)s->nx);
    /* mark is all zero between calls: a shared copy is what a fresh one is */
    if (share_block(&x->decl, s->decl, (size_t)s->ndecl, sizeof *x->decl) ||
        (s->adj_nd && (share_block(&x->adj_first, s->adj_first, (size_t)s->adj_nd + 1,
                                   sizeof *x->adj_first) ||
                       share_block(&x->adj, s->adj, (size_t)s->adj_nf * 2, sizeof *x->adj))) ||
        share_block(&x->pmap, s->pmap, (size_t)s->npmap, sizeof *x->pmap) ||
        share_block(&x->mark, s->mark, (size_t)s->nmark, 1)) {
        check_extra_free(x);
        return SM_ENOMEM;
    }
    check_extra_free(r->extra);
    r->extra = x;
    return SM_OK;
}

void
check_change_fini(struct check_change *chg)
{
    free(chg->old);
    free(chg->now);
    memset(chg, 0, sizeof *chg);
    chg->ngroup = -1;
}

/* ---- the group ------------------------------------------------------------ */

static int32_t
end_ds(const struct model *m, int32_t p)
{
    return p >= 0 && p < m->nplacements ? m->placements[p].dataset : SM_NONE;
}

static int
adj_build(struct check_extra *x, const struct model *m)
{
    int32_t nd = m->ndatasets, nf = m->nflows;
    int32_t *first = sm_big_alloc(sizeof *first * ((size_t)nd + 2), m->shareable);
    int32_t *adj = sm_big_alloc(sizeof *adj * ((size_t)nf * 2 + 1), m->shareable);

    if (!first || !adj) {
        sm_big_free(first);
        sm_big_free(adj);
        return SM_ENOMEM;
    }
    for (int32_t f = 0; f < nf; f++) {
        int32_t a = end_ds(m, m->flows[f].from), b = end_ds(m, m->flows[f].to);
        if (a >= 0)
            first[a + 2]++;
        if (b >= 0 && b != a)
            first[b + 2]++;
    }
    for (int32_t d = 0; d < nd; d++)
        first[d + 2] += first[d + 1];
    for (int32_t f = 0; f < nf; f++) {
        int32_t a = end_ds(m, m->flows[f].from), b = end_ds(m, m->flows[f].to);
        if (a >= 0)
            adj[first[a + 1]++] = f;
        if (b >= 0 && b != a)
            adj[first[b + 1]++] = f;
    }
    sm_big_free(x->adj_first);
    sm_big_free(x->adj);
    x->adj_first = first;
    x->adj = adj;
    x->adj_nd = nd;
    x->adj_nf = nf;
    x->nx = 0;
    return SM_OK;
}

static int
push(const struct model *m, uint8_t *mark, int32_t d, int32_t **q, int32_t *n, int32_t *cap)
{
    if (d < 0 || d >= m->ndatasets || mark[d])
        return SM_OK;
    if (sm_grow((void **)q, cap, *n + 1, sizeof **q))
        return SM_ENOMEM;
    mark[d] = 1;
    (*q)[(*n)++] = d;
    return SM_OK;
}

/* Every dataset linked to the seeds through flows, deleted ones included
 * (they linked the datasets before the edit); marks them in x->mark. */
static int
group(struct check_extra *x, const struct model *m, const struct check_touch *t,
      int32_t old_nd, int32_t old_nf, int32_t **out, int32_t *n)
{
    int32_t *q = NULL, len = 0, cap = 0;
    int rc = SM_OK;

    for (int32_t i = 0; i < t->ndatasets && !rc; i++)
        rc = push(m, x->mark, t->datasets[i], &q, &len, &cap);
    for (int32_t i = 0; i < t->nflows && !rc; i++) {
        int32_t f = t->flows[i];
        if (f < 0 || f >= m->nflows)
            continue;
        rc = push(m, x->mark, end_ds(m, m->flows[f].from), &q, &len, &cap);
        if (!rc)
            rc = push(m, x->mark, end_ds(m, m->flows[f].to), &q, &len, &cap);
    }
    /* objects added since the last check */
    for (int32_t d = old_nd; d < m->ndatasets && !rc; d++)
        rc = push(m, x->mark, d, &q, &len, &cap);
    for (int32_t f = old_nf; f < m->nflows && !rc; f++) {
        rc = push(m, x->mark, end_ds(m, m->flows[f].from), &q, &len, &cap);
        if (!rc)
            rc = push(m, x->mark, end_ds(m, m->flows[f].to), &q, &len, &cap);
    }
    for (int32_t i = 0; i < len && !rc; i++) {
        int32_t d = q[i];
        if (d < x->adj_nd)
            for (int32_t k = x->adj_first[d]; k < x->adj_first[d + 1] && !rc; k++) {
                const struct flow *f = &m->flows[x->adj[k]];
                rc = push(m, x->mark, end_ds(m, f->from), &q, &len, &cap);
                if (!rc)
                    rc = push(m, x->mark, end_ds(m, f->to), &q, &len, &cap);
            }
        for (int32_t k = 0; k < x->nx + (m->nflows - x->adj_nf) && !rc; k++) {
            int32_t fid = k < x->nx ? x->xflows[k] : x->adj_nf + (k - x->nx);
            const struct flow *f = &m->flows[fid];
            int32_t a = end_ds(m, f->from), b = end_ds(m, f->to);
            if (a != d && b != d)
                continue;
            rc = push(m, x->mark, a, &q, &len, &cap);
            if (!rc)
                rc = push(m, x->mark, b, &q, &len, &cap);
        }
    }
    if (rc) {
        for (int32_t i = 0; i < len; i++)
            x->mark[q[i]] = 0;
        free(q);
        return rc;
    }
    *out = q;
    *n = len;
    return SM_OK;
}

/* ---- the group's model -------------------------------------------------------- */

struct sub {
    struct model *s;
    int32_t *rmap;              /* global region -> sub */
    int32_t *rinv;              /* sub region -> global */
    int32_t *tinv;              /* sub tier -> global */
    int32_t *tmap;              /* global tier -> sub */
    int32_t *ds;                /* sub dataset -> global (the live group) */
    int32_t nds;
    int32_t *pinv, *finv, *fldinv, *winv;   /* sub -> global */
    int32_t npinv, nfinv, nfldinv, nwinv;
    int32_t *flows;             /* global flows of the group (live), ascending */
    int32_t nflows;
};

static void
sub_fini(struct sub *b)
{
    model_free(b->s);
    free(b->rmap);
    free(b->rinv);
    free(b->tinv);
    free(b->tmap);
    free(b->ds);
    free(b->pinv);
    free(b->finv);
    free(b->fldinv);
    free(b->winv);
    free(b->flows);
    memset(b, 0, sizeof *b);
}

static int
cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return x < y ? -1 : x > y;
}

static int
grow_push(int32_t **v, int32_t *n, int32_t *cap, int32_t val)
{
    if (sm_grow((void **)v, cap, *n + 1, sizeof **v))
        return SM_ENOMEM;
    (*v)[(*n)++] = val;
    return SM_OK;
}

/* rc: SM_OK, SM_ENOMEM, or another code when the model cannot be built
 * (then the caller checks all). */
static int
sub_build(struct sub *b, struct check_extra *x, const struct model *m, const int32_t *grp,
          int32_t ngrp)
{
    struct model *s = model_new();
    int32_t cap = 0, capp = 0, capf = 0, capfl = 0, capw = 0, *pl = NULL, npl = 0;
    int rc = SM_ENOMEM;

    memset(b, 0, sizeof *b);
    b->s = s;
    b->rmap = malloc(sizeof *b->rmap * (size_t)(m->nregions + 1));
    b->tmap = malloc(sizeof *b->tmap * (size_t)(m->ntiers + 1));
    b->tinv = malloc(sizeof *b->tinv * (size_t)(m->ntiers + 1));
    b->rinv = malloc(sizeof *b->rinv * (size_t)(m->nregions + 1));
    if (!s || !b->rmap || !b->tmap || !b->tinv || !b->rinv)
        goto out;
    rc = SM_OK;
    for (int32_t r = 0; r < m->nregions && !rc; r++) {
        b->rmap[r] = SM_NONE;
        if (!m->regions[r].deleted &&
            (rc = model_add_region(s, &m->regions[r], &b->rmap[r], NULL)) == SM_OK)
            b->rinv[b->rmap[r]] = r;
    }
    for (int32_t t = 0; t < m->ntiers && !rc; t++) {
        b->tmap[t] = SM_NONE;
        if (!m->tiers[t].deleted && (rc = model_add_tier(s, &m->tiers[t], &b->tmap[t], NULL)) == SM_OK)
            b->tinv[b->tmap[t]] = t;
    }
    if (rc)
        goto out;
    /* datasets: the live ones of the group, ascending */
    for (int32_t i = 0; i < ngrp; i++)
        if (!m->datasets[grp[i]].deleted && (rc = grow_push(&b->ds, &b->nds, &cap, grp[i])))
            goto out;
    if (b->nds > 1)
        qsort(b->ds, (size_t)b->nds, sizeof *b->ds, cmp_i32);
    for (int32_t i = 0; i < b->nds && !rc; i++) {
        const struct dataset *d = &m->datasets[b->ds[i]];
        struct dataset c = *d;
        c.tier = d->tier == SM_NONE ? SM_NONE : b->tmap[d->tier];
        if ((rc = model_add_dataset(s, &c, NULL, NULL)))
            break;
        for (int32_t f = d->first_field; f != SM_NONE && !rc; f = m->fields[f].next) {
            int32_t sf;
            if (!(rc = model_add_field(s, i, m->fields[f].name, &sf, NULL)) &&
                sf == b->nfldinv)
                rc = grow_push(&b->fldinv, &b->nfldinv, &capf, f);
        }
        for (int32_t t = d->first_tag; t != SM_NONE && !rc; t = m->tags[t].next) {
            const struct tag *g = &m->tags[t];
            int32_t fid = g->field == SM_NONE ? SM_NONE : model_field(s, i, m->fields[g->field].name);
            int32_t tid;
            rc = model_add_tag(s, i, fid, g->tag, g->source, g->entity, g->time, &tid, NULL);
            if (!rc && *g->expired)
                rc = model_set_tag_expired(s, tid, g->expired, NULL);
        }
        for (int32_t p = d->first_placement; p != SM_NONE && !rc; p = m->placements[p].next)
            if (!m->placements[p].deleted)
                rc = grow_push(&pl, &npl, &capp, p);
    }
    if (rc)
        goto out;
    /* copies in id order, then each dataset's list as in m */
    if (npl > 1)
        qsort(pl, (size_t)npl, sizeof *pl, cmp_i32);
    {
        int32_t i = 0;
        for (int32_t k = 0; k < npl && !rc; k++) {
            struct placement c = m->placements[pl[k]];
            /* the dataset's sub id (datasets ascending) */
            int32_t lo = 0, hi = b->nds - 1;
            while (lo < hi) {
                int32_t mid = (lo + hi) / 2;
                if (b->ds[mid] < c.dataset)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            i = lo;
            c.dataset = i;
            c.region = b->rmap[c.region];
            if (c.key_region != SM_NONE)
                c.key_region = b->rmap[c.key_region];
            if ((rc = model_add_placement(s, &c, &x->pmap[pl[k]], NULL)))
                break;
        }
    }
    if (rc)
        goto out;
    b->pinv = pl;
    b->npinv = npl;
    pl = NULL;
    for (int32_t i = 0; i < b->nds; i++) {
        const struct dataset *d = &m->datasets[b->ds[i]];
        int32_t *link = &s->datasets[i].first_placement;
        for (int32_t p = d->first_placement; p != SM_NONE; p = m->placements[p].next)
            if (!m->placements[p].deleted) {
                *link = x->pmap[p];
                link = &s->placements[x->pmap[p]].next;
            }
        *link = SM_NONE;
    }
    /* flows: every live flow from a copy of the group, ascending */
    for (int32_t i = 0; i < b->nds && !rc; i++) {
        int32_t d = b->ds[i];
        if (d < x->adj_nd)
            for (int32_t k = x->adj_first[d]; k < x->adj_first[d + 1] && !rc; k++) {
                int32_t f = x->adj[k];
                if (!m->flows[f].deleted && end_ds(m, m->flows[f].from) == d)
                    rc = grow_push(&b->flows, &b->nflows, &capfl, f);
            }
    }
    for (int32_t k = 0; k < x->nx + (m->nflows - x->adj_nf) && !rc; k++) {
        int32_t f = k < x->nx ? x->xflows[k] : x->adj_nf + (k - x->nx);
        int32_t a = end_ds(m, m->flows[f].from);
        if (!m->flows[f].deleted && a >= 0 && x->mark[a])
            rc = grow_push(&b->flows, &b->nflows, &capfl, f);
    }
    if (rc)
        goto out;
    if (b->nflows > 1)
        qsort(b->flows, (size_t)b->nflows, sizeof *b->flows, cmp_i32);
    {
        int32_t w = 0;
        for (int32_t k = 0; k < b->nflows; k++)
            if (k == 0 || b->flows[k] != b->flows[k - 1])
                b->flows[w++] = b->flows[k];
        b->nflows = w;
    }
    if (!(b->finv = malloc(sizeof *b->finv * (size_t)(b->nflows + 1)))) {
        rc = SM_ENOMEM;
        goto out;
    }
    for (int32_t k = 0; k < b->nflows && !rc; k++) {
        const struct flow *f = &m->flows[b->flows[k]];
        struct flow c = *f;
        int32_t id;
        /* a flow whose ends are current (a new copy) and not in the adjacency */
        c.from = x->pmap[f->from];
        c.to = f->to == SM_NONE ? SM_NONE : x->pmap[f->to];
        c.to_region = f->to_region == SM_NONE ? SM_NONE : b->rmap[f->to_region];
        if (c.from == SM_NONE || (f->to != SM_NONE && c.to == SM_NONE)) {
            rc = SM_EINVAL;     /* not a closed group: cannot happen */
            break;
        }
        if ((rc = model_add_flow(s, &c, &id, NULL)))
            break;
        b->finv[id] = b->flows[k];
        b->nfinv = id + 1;
    }
    if (rc)
        goto out;
    /* waivers: those naming an object of the group (the checker resolves
     * them the same way in both models: see the head comment of scenario.c) */
    for (int32_t k = 0; k < m->nwaivers && !rc; k++) {
        static const enum obj_kind kinds[] = { OBJ_PLACEMENT, OBJ_DATASET, OBJ_FLOW };
        const struct waiver *w = &m->waivers[k];
        int32_t id;
        if (w->deleted)
            continue;
        for (size_t j = 0; j < sizeof kinds / sizeof *kinds; j++)
            if (model_find(s, kinds[j], w->object, &id, NULL) == SM_OK) {
                if (!(rc = model_add_waiver(s, w, &id, NULL)))
                    rc = grow_push(&b->winv, &b->nwinv, &capw, k);
                break;
            }
    }
out:
    free(pl);
    /* leave pmap all SM_NONE again */
    for (int32_t i = 0; i < b->npinv; i++)
        x->pmap[b->pinv[i]] = SM_NONE;
    for (int32_t i = 0; i < b->nds && !b->pinv; i++)
        for (int32_t p = m->datasets[b->ds[i]].first_placement; p != SM_NONE;
             p = m->placements[p].next)
            x->pmap[p] = SM_NONE;
    return rc;
}

/* ---- splicing the group's rows into the result ------------------------------ */

static const char *
adup(struct sm_arena *a, const char *s, bool *oom)
{
    char *p;

    if (!s)
        return NULL;
    if (!*s)
        return "";
    if (!(p = sm_arena_strdup(a, s)))
        *oom = true;
    return p ? p : "";
}

/* Copy a finding of the group's check into r, with ids of m. */
static bool
copy_finding(struct check_result *r, const struct sub *b, const struct finding *f,
             struct finding *n)
{
    bool oom = false;

    *n = *f;
    switch (f->kind) {
    case OBJ_DATASET:   n->object = b->ds[f->object]; break;
    case OBJ_PLACEMENT: n->object = b->pinv[f->object]; break;
    case OBJ_FLOW:      n->object = b->finv[f->object]; break;
    default:            break;
    }
    n->dataset = f->dataset == SM_NONE ? SM_NONE : b->ds[f->dataset];
    n->waiver = f->waiver == SM_NONE ? SM_NONE : b->winv[f->waiver];
    n->selector = adup(&r->arena, f->selector, &oom);
    n->jurisdictions = adup(&r->arena, f->jurisdictions, &oom);
    n->message = adup(&r->arena, f->message, &oom);
    n->hint = adup(&r->arena, f->hint, &oom);
    n->fix.mask = f->fix.mask ? adup(&r->arena, f->fix.mask, &oom) : NULL;
    for (int k = 0; k < 2; k++)
        if (f->fix.region[k] != SM_NONE)
            n->fix.region[k] = b->rinv[f->fix.region[k]];
    if (f->fix.tier != SM_NONE)
        n->fix.tier = b->tinv[f->fix.tier];
    n->why.v = NULL;
    if (f->why.n) {
        const char **v = sm_arena_alloc(&r->arena, sizeof *v * f->why.n);
        if (!v)
            return false;
        for (uint32_t k = 0; k < f->why.n; k++)
            v[k] = adup(&r->arena, f->why.v[k], &oom);
        n->why.v = v;
    }
    return !oom;
}

/* The pack's regimes still have the codes r's rows carry (its ids unchanged
 * since the check): the sub-check's rows then take their place among them. */
static bool
regimes_same(const struct check_result *r)
{
    const char *ids[65];                /* bounded: a pack's regimes, as check_result's */
    uint8_t code[64];                   /* bounded: the same */

    check_regime_codes(r->rp, ids, code);
    if (memcmp(code, r->regime_code, sizeof code) != 0)
        return false;
    for (int i = 0; i < 65; i++)
        if ((ids[i] == NULL) != (r->regime_ids[i] == NULL) ||
            (ids[i] && strcmp(ids[i], r->regime_ids[i]) != 0))
            return false;
    return true;
}

static int
transfer_order(const struct model *m, const struct transfer *a, const struct transfer *b)
{
    int c;

    if (a->dataset != b->dataset &&
        (c = strcmp(m->datasets[a->dataset].name, m->datasets[b->dataset].name)))
        return c;
    if (a->from_cc != b->from_cc)
        return a->from_cc < b->from_cc ? -1 : 1;
    if (a->to_cc != b->to_cc)
        return a->to_cc < b->to_cc ? -1 : 1;
    if (a->placement != b->placement)
        return a->placement < b->placement ? -1 : 1;
    if (a->flow != b->flow)
        return a->flow < b->flow ? -1 : 1;
    return (a->regime > b->regime) - (a->regime < b->regime);  /* the ids' order */
}

static int
splice_findings(struct check_result *r, const struct check_result *sr, const struct sub *b,
                const uint8_t *mark, int32_t nd, struct check_change *chg)
{
    struct finding *nw = malloc(sizeof *nw * (size_t)(sr->nfindings + 1));
    struct finding *out = NULL;
    int32_t nnew = 0, ncap = 0, nold = 0, k = 0, i = 0, j = 0;

    if (!nw)
        return SM_ENOMEM;
    for (int32_t q = 0; q < sr->nfindings; q++) {
        if (sr->findings[q].rule == rule_names[RULE_SUB001])
            continue;
        if (!copy_finding(r, b, &sr->findings[q], &nw[nnew])) {
            free(nw);
            return SM_ENOMEM;
        }
        /* stable insertion: the group's own order, then m's ids */
        for (int32_t z = nnew; z > 0 && check_finding_cmp(&nw[z - 1], &nw[z]) > 0; z--) {
            struct finding t = nw[z];
            nw[z] = nw[z - 1];
            nw[z - 1] = t;
        }
        nnew++;
    }
    for (int32_t q = 0; q < r->nfindings; q++) {
        int32_t d = r->findings[q].dataset;
        if (d >= 0 && d < nd && mark[d])
            nold++;
    }
    ncap = r->nfindings - nold + nnew;
    out = malloc(sizeof *out * (size_t)(ncap + 1));
    chg->old = malloc(sizeof *chg->old * (size_t)(nold + 1));
    chg->now = malloc(sizeof *chg->now * (size_t)(nnew + 1));
    if (!out || !chg->old || !chg->now) {
        free(nw);
        free(out);
        return SM_ENOMEM;
    }
    /* merge the kept rows with the new ones */
    while (i < r->nfindings || j < nnew) {
        const struct finding *f = i < r->nfindings ? &r->findings[i] : NULL;
        if (f && f->dataset >= 0 && f->dataset < nd && mark[f->dataset]) {
            chg->old[chg->nold++] = *f;
            i++;
            continue;
        }
        if (j < nnew && (!f || check_finding_cmp(&nw[j], f) < 0)) {
            chg->now[chg->nnow++] = k;
            out[k++] = nw[j++];
        } else {
            out[k++] = *f;
            i++;
        }
    }
    free(nw);
    free(r->findings);
    r->findings = out;
    r->nfindings = k;
    r->cap_findings = ncap + 1;
    memset(r->stats.count, 0, sizeof r->stats.count);
    r->stats.waived = 0;
    for (int32_t q = 0; q < r->nfindings; q++) {
        if (r->findings[q].waived)
            r->stats.waived++;
        else if (r->findings[q].severity < SEV_COUNT)
            r->stats.count[r->findings[q].severity]++;
    }
    return SM_OK;
}

/* Original index of the i-th row kept (gone: ascending indexes of rows dropped). */
static int32_t
kept_at(const int32_t *gone, int32_t ngone, int32_t i)
{
    for (int32_t k = 0; k < ngone && gone[k] <= i; k++)
        i++;
    return i;
}

static int
cmp_gone(const void *pa, const void *pb)
{
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;

    return a < b ? -1 : a > b;
}

/* The indexes of r's rows of the group's datasets (grp, marked in mark),
 * ascending, into *gone. The register is in transfer_order, dataset name
 * first, so a dataset's rows are within the run of its name: a binary
 * search per group dataset instead of a pass over every row (1.4 M at 1M,
 * ~10 ms). A dataset's name never changes (it is its key; a removed one
 * keeps it). A row naming no dataset of m: the pass over every row. */
static int
gone_rows(const struct check_result *r, const struct model *m, const uint8_t *mark,
          int32_t nd, const int32_t *grp, int32_t ngrp, int32_t **gone, int32_t *ngone)
{
    int32_t n = r->ntransfers, capg = 0;
    bool all = false;

    for (int32_t i = 0; i < ngrp && !all; i++) {
        const char *name;
        int32_t lo = 0, hi = n;
        if (grp[i] < 0 || grp[i] >= nd)
            continue;
        name = m->datasets[grp[i]].name;
        while (lo < hi && !all) {
            int32_t mid = lo + (hi - lo) / 2, d = r->transfers[mid].dataset;
            if (d < 0 || d >= nd)
                all = true;
            else if (d != grp[i] && strcmp(m->datasets[d].name, name) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (int32_t q = lo; q < n && !all; q++) {
            int32_t d = r->transfers[q].dataset;
            if (d < 0 || d >= nd)
                all = true;
            else if (d != grp[i] && strcmp(m->datasets[d].name, name) != 0)
                break;
            else if (d == grp[i] && grow_push(gone, ngone, &capg, q))
                return SM_ENOMEM;
        }
    }
    if (all) {
        *ngone = 0;
        for (int32_t q = 0; q < n; q++) {
            int32_t d = r->transfers[q].dataset;
            if (d >= 0 && d < nd && mark[d] && grow_push(gone, ngone, &capg, q))
                return SM_ENOMEM;
        }
        return SM_OK;
    }
    if (*ngone > 1)
        qsort(*gone, (size_t)*ngone, sizeof **gone, cmp_gone);
    return SM_OK;
}

/* The group's rows out, its new rows in, in place: a binary search per new
 * row, and only the rows whose position changes move. */
static int
splice_transfers(struct check_result *r, struct check_extra *x, const struct model *m,
                 const struct check_result *sr, const struct sub *b, const uint8_t *mark,
                 int32_t nd, const int32_t *grp, int32_t ngrp)
{
    struct transfer *nw = malloc(sizeof *nw * (size_t)(sr->ntransfers + 1));
    struct { int32_t a, b, shift; } *blk = NULL;
    int32_t nnew = 0, ngone = 0, *gone = NULL, *pos = NULL, n = r->ntransfers;
    int32_t nkeep, total, delta, k, i, j, g, nblk = 0, capb = 0;
    bool oom = false;

    if (!nw)
        return SM_ENOMEM;
    for (int32_t q = 0; q < sr->ntransfers; q++) {
        struct transfer t = sr->transfers[q];
        t.dataset = b->ds[t.dataset];
        t.placement = t.placement == SM_NONE ? SM_NONE : b->pinv[t.placement];
        t.flow = t.flow == SM_NONE ? SM_NONE : b->finv[t.flow];
        if (t.basis >= BASIS_FIXED &&
            !(t.basis = check_basis_add(r, check_transfer_basis(sr, &sr->transfers[q]))))
            oom = true;
        nw[nnew] = t;
        for (int32_t z = nnew; z > 0 && transfer_order(m, &nw[z - 1], &nw[z]) > 0; z--) {
            struct transfer y = nw[z];
            nw[z] = nw[z - 1];
            nw[z - 1] = y;
        }
        nnew++;
    }
    if (!oom && gone_rows(r, m, mark, nd, grp, ngrp, &gone, &ngone))
        oom = true;
    if (oom || !(pos = malloc(sizeof *pos * (size_t)(nnew + 1))))
        goto nomem;
    nkeep = n - ngone;
    /* each new row goes after every kept row not greater than it */
    for (j = 0; j < nnew; j++) {
        int32_t a = j ? pos[j - 1] : 0, z = nkeep;
        while (a < z) {
            int32_t mid = a + (z - a) / 2;
            if (transfer_order(m, &nw[j], &r->transfers[kept_at(gone, ngone, mid)]) < 0)
                z = mid;
            else
                a = mid + 1;
        }
        pos[j] = a;
    }
    if (ngone == 0 && nnew == 0)
        goto done;
    /* where each new row goes, as an original index (n: at the end) */
    for (j = 0; j < nnew; j++)
        pos[j] = pos[j] < nkeep ? kept_at(gone, ngone, pos[j]) : n;
    delta = nnew - ngone;
    total = n + delta;
    if (total > x->cap_transfers || !x->cap_transfers) {
        int32_t cap = total + total / 8 + 16;
        struct transfer *t2 = sm_big_realloc(r->transfers, sizeof *t2 * (size_t)cap);
        if (!t2)
            goto nomem;
        r->transfers = t2;
        x->cap_transfers = cap;
    }
    /* blocks of kept rows between changes, each shifted by the rows
     * inserted minus those dropped before it; most shifts are 0 (a
     * dataset's rows replaced by as many), so most rows never move */
    for (i = 0, j = 0, g = 0; i < n;) {
        int32_t end = n, shift;
        while (g < ngone && gone[g] < i)
            g++;
        if (g < ngone && gone[g] == i) {
            i++;
            continue;
        }
        while (j < nnew && pos[j] <= i)
            j++;
        if (g < ngone && gone[g] < end)
            end = gone[g];
        if (j < nnew && pos[j] < end)
            end = pos[j];
        shift = j - g;
        if (shift != 0) {
            if (sm_grow((void **)&blk, &capb, nblk + 1, sizeof *blk))
                goto nomem;
            blk[nblk].a = i;
            blk[nblk].b = end;
            blk[nblk++].shift = shift;
        }
        i = end;
    }
    /* left shifts in order, then right shifts backwards: no block lands
     * on one not moved yet */
    for (k = 0; k < nblk; k++)
        if (blk[k].shift < 0)
            memmove(&r->transfers[blk[k].a + blk[k].shift], &r->transfers[blk[k].a],
                    sizeof *r->transfers * (size_t)(blk[k].b - blk[k].a));
    for (k = nblk - 1; k >= 0; k--)
        if (blk[k].shift > 0)
            memmove(&r->transfers[blk[k].a + blk[k].shift], &r->transfers[blk[k].a],
                    sizeof *r->transfers * (size_t)(blk[k].b - blk[k].a));
    /* the new rows into their gaps */
    for (j = 0, g = 0; j < nnew; j++) {
        while (g < ngone && gone[g] < pos[j])
            g++;
        r->transfers[pos[j] + j - g] = nw[j];
    }
    r->ntransfers = total;
done:
    free(nw);
    free(gone);
    free(pos);
    free(blk);
    return SM_OK;
nomem:
    free(nw);
    free(gone);
    free(pos);
    free(blk);
    return SM_ENOMEM;
}

static int
grow_bytes(void *pp, size_t old, size_t n, size_t el)
{
    void **p = pp;
    void *q = sm_big_realloc(*p, n * el + el);     /* the arrays are sm_big blocks */

    if (!q)
        return SM_ENOMEM;
    if (n > old)
        memset((char *)q + old * el, 0, (n - old) * el);
    *p = q;
    return SM_OK;
}

/* Grow the per-object arrays of r to m's counts. */
static int
grow_result(struct check_result *r, const struct model *m)
{
    struct lineage *L = r->lineage;
    size_t od = (size_t)L->ndatasets, nd = (size_t)m->ndatasets;
    size_t of = (size_t)L->nflows, nf = (size_t)m->nflows;

    if (nd > od) {
        if (grow_bytes(&L->eff_tier, od, nd, sizeof *L->eff_tier) ||
            grow_bytes(&L->eff_via, od, nd, sizeof *L->eff_via) ||
            grow_bytes(&L->subj_via, od, nd, sizeof *L->subj_via) ||
            grow_bytes(&L->personal, od, nd, 1) || grow_bytes(&L->has_pfields, od, nd, 1) ||
            grow_bytes(&L->subj, od * (size_t)L->words, nd * (size_t)L->words, sizeof *L->subj))
            return SM_ENOMEM;
        for (size_t d = od; d < nd; d++) {
            L->eff_tier[d] = m->datasets[d].tier;
            L->eff_via[d] = L->subj_via[d] = SM_NONE;
        }
    }
    if (nf > of && (grow_bytes(&L->removes, of, nf, 1) || grow_bytes(&L->flow_personal, of, nf, 1)))
        return SM_ENOMEM;
    if (m->nfields > L->nfields &&
        grow_bytes(&L->pfield, (size_t)L->nfields, (size_t)m->nfields, 1))
        return SM_ENOMEM;
    L->ndatasets = r->ndatasets = m->ndatasets;
    L->nflows = r->nflows = m->nflows;
    if (m->nfields > L->nfields)
        L->nfields = m->nfields;
    r->eff_tier = L->eff_tier;
    r->eff_via = L->eff_via;
    r->flow_personal = L->flow_personal;
    return SM_OK;
}

/* The lineage facts of the group from its check. */
static void
patch_lineage(struct check_result *r, const struct model *m, const struct check_result *sr,
              const struct sub *b, struct check_extra *x, const int32_t *grp, int32_t ngrp)
{
    struct lineage *L = r->lineage;
    const struct lineage *S = sr->lineage;

    for (int32_t i = 0; i < ngrp; i++) {
        int32_t d = grp[i];
        uint64_t *s = L->subj + (size_t)d * (size_t)L->words;
        if (!m->datasets[d].deleted)
            continue;
        L->eff_tier[d] = m->datasets[d].tier;
        L->eff_via[d] = L->subj_via[d] = SM_NONE;
        L->personal[d] = L->has_pfields[d] = 0;
        memset(s, 0, sizeof *s * (size_t)L->words);
    }
    for (int32_t i = 0; i < b->nds; i++) {
        int32_t d = b->ds[i], t = S->eff_tier[i], v = S->eff_via[i], sv = S->subj_via[i];
        uint64_t *s = L->subj + (size_t)d * (size_t)L->words;
        L->eff_tier[d] = t == SM_NONE ? SM_NONE : b->tinv[t];
        L->eff_via[d] = v == SM_NONE ? SM_NONE : b->finv[v];
        L->subj_via[d] = sv == SM_NONE ? SM_NONE : b->finv[sv];
        L->personal[d] = S->personal[i];
        L->has_pfields[d] = S->has_pfields[i];
        memset(s, 0, sizeof *s * (size_t)L->words);
        for (int32_t k = 0; k < S->nslots; k++)
            if (lineage_has_subject(S, i, k)) {
                int slot = L->cc_slot[S->slot_cc[k]];
                if (slot != SM_NONE)
                    s[slot >> 6] |= (uint64_t)1 << (slot & 63);
            }
    }
    for (int32_t k = 0; k < b->nfldinv; k++)
        L->pfield[b->fldinv[k]] = S->pfield[k];
    /* flows of the group: deleted ones carry nothing */
    for (int32_t i = 0; i < ngrp; i++) {
        int32_t d = grp[i];
        if (d >= x->adj_nd)
            continue;
        for (int32_t k = x->adj_first[d]; k < x->adj_first[d + 1]; k++)
            if (m->flows[x->adj[k]].deleted)
                L->removes[x->adj[k]] = L->flow_personal[x->adj[k]] = 0;
    }
    for (int32_t k = 0; k < x->nx + (m->nflows - x->adj_nf); k++) {
        int32_t f = k < x->nx ? x->xflows[k] : x->adj_nf + (k - x->nx);
        if (m->flows[f].deleted)
            L->removes[f] = L->flow_personal[f] = 0;
    }
    for (int32_t k = 0; k < b->nfinv; k++) {
        L->removes[b->finv[k]] = S->removes[k];
        L->flow_personal[b->finv[k]] = S->flow_personal[k];
    }
}

static int
expired_list(struct check_result *r, const struct model *m)
{
    int32_t n = 0;
    int32_t *v;

    for (int32_t w = 0; w < m->nwaivers; w++)
        n += !m->waivers[w].deleted && m->waivers[w].expires != 0 &&
             m->waivers[w].expires < r->today;
    if (!(v = malloc(sizeof *v * (size_t)(n + 1))))
        return SM_ENOMEM;
    n = 0;
    for (int32_t w = 0; w < m->nwaivers; w++)
        if (!m->waivers[w].deleted && m->waivers[w].expires != 0 &&
            m->waivers[w].expires < r->today)
            v[n++] = w;
    free(r->expired);
    r->expired = v;
    r->nexpired = n;
    r->stats.expired_waivers = n;
    return SM_OK;
}

static int
scratch(struct check_extra *x, const struct model *m)
{
    if (m->ndatasets > x->nmark) {
        if (grow_bytes(&x->mark, (size_t)x->nmark, (size_t)m->ndatasets, 1))
            return SM_ENOMEM;
        x->nmark = m->ndatasets;
    }
    if (m->nplacements > x->npmap) {
        int32_t *p = sm_big_realloc(x->pmap, sizeof *p * (size_t)(m->nplacements + 1));
        if (!p)
            return SM_ENOMEM;
        for (int32_t i = x->npmap; i < m->nplacements; i++)
            p[i] = SM_NONE;
        x->pmap = p;
        x->npmap = m->nplacements;
    }
    if (m->ndatasets > x->ndecl) {
        if (grow_bytes(&x->decl, (size_t)x->ndecl, (size_t)m->ndatasets, sizeof *x->decl))
            return SM_ENOMEM;
        x->ndecl = m->ndatasets;
    }
    return SM_OK;
}

int
check_update(struct check_result *r, const struct model *m, const struct check_touch *touch,
             struct check_change *chg, struct sm_error *err)
{
    struct check_extra *x = r->extra;
    struct check_result *sr = NULL;
    struct sub b;
    int32_t *grp = NULL, ngrp = 0, counts[64];
    uint64_t *newdecl = NULL;
    int rc = SM_OK;

    memset(chg, 0, sizeof *chg);
    memset(&b, 0, sizeof b);
    chg->ngroup = -1;
    if (!x || !r->rp || r->custom || touch->global || !r->lineage || !regimes_same(r) ||
        m->nregions != x->nregions ||
        m->ndatasets < r->ndatasets || m->nflows < r->nflows || m->nfields < r->lineage->nfields)
        return SM_OK;
    if ((rc = scratch(x, m)))
        goto fail;
    if (!x->adj_first || x->nx + touch->nflows + (m->nflows - x->adj_nf) > XFLOWS_MAX) {
        if ((rc = adj_build(x, m)))
            goto fail;
    }
    for (int32_t i = 0; i < touch->nflows; i++) {
        int32_t f = touch->flows[i], k = 0;
        if (f < 0 || f >= x->adj_nf)
            continue;
        while (k < x->nx && x->xflows[k] != f)
            k++;
        if (k == x->nx && (rc = grow_push(&x->xflows, &x->nx, &x->cap_x, f)))
            goto fail;
    }
    if ((rc = group(x, m, touch, r->ndatasets, r->nflows, &grp, &ngrp)))
        goto fail;
    /* subject codes: the model's set of codes and the unknown ones stay */
    memcpy(counts, x->slot_count, sizeof counts);
    if (!(newdecl = malloc(sizeof *newdecl * (size_t)(ngrp + 1)))) {
        rc = SM_ENOMEM;
        goto fail;
    }
    for (int32_t i = 0; i < ngrp; i++) {
        int32_t d = grp[i];
        uint64_t o = x->decl[d], v = 0;
        if (!m->datasets[d].deleted && !decl_mask(r->lineage, &m->datasets[d], &v))
            goto refuse;
        if ((o | v) & x->unknown)
            goto refuse;
        newdecl[i] = v;
        for (; o; o &= o - 1)
            counts[__builtin_ctzll(o)]--;
        for (; v; v &= v - 1)
            counts[__builtin_ctzll(v)]++;
    }
    for (int32_t s = 0; s < r->lineage->nslots; s++)
        if (counts[s] <= 0)
            goto refuse;
    if ((rc = sub_build(&b, x, m, grp, ngrp)) == SM_ENOMEM)
        goto fail;
    if (rc)
        goto refuse;
    if ((rc = check_run(b.s, r->rp, r->today, &sr, err)))
        goto fail;
    if ((rc = grow_result(r, m)) ||
        (rc = splice_findings(r, sr, &b, x->mark, m->ndatasets, chg)) ||
        (rc = splice_transfers(r, x, m, sr, &b, x->mark, m->ndatasets, grp, ngrp)))
        goto fail;
    patch_lineage(r, m, sr, &b, x, grp, ngrp);
    if ((rc = expired_list(r, m)) || (rc = check_reindex(r)))
        goto fail;
    for (int32_t i = 0; i < ngrp; i++)
        x->decl[grp[i]] = newdecl[i];
    memcpy(x->slot_count, counts, sizeof counts);
    chg->ngroup = ngrp;
    rc = SM_OK;
    goto out;
refuse:
    rc = SM_OK;
    check_change_fini(chg);
    goto out;
fail:
    check_change_fini(chg);
    if (rc == SM_ENOMEM)
        sm_error_set(err, SM_ENOMEM, "check: out of memory");
out:
    for (int32_t i = 0; i < ngrp; i++)
        x->mark[grp[i]] = 0;
    free(grp);
    free(newdecl);
    check_result_free(sr);
    sub_fini(&b);
    return rc;
}

/* ---- what an edit touched ------------------------------------------------------ */

void
check_touch_fini(struct check_touch *t)
{
    free(t->datasets);
    free(t->flows);
    memset(t, 0, sizeof *t);
}

int
check_touch_object(struct check_touch *t, const struct model *m, enum obj_kind kind, int32_t id)
{
    switch (kind) {
    case OBJ_DATASET:
        if (id < 0 || id >= m->ndatasets)
            return SM_OK;
        return grow_push(&t->datasets, &t->ndatasets, &t->cap_datasets, id);
    case OBJ_PLACEMENT:
        if (id < 0 || id >= m->nplacements)
            return SM_OK;
        return grow_push(&t->datasets, &t->ndatasets, &t->cap_datasets,
                         m->placements[id].dataset);
    case OBJ_FLOW: {
        int32_t a, b;
        if (id < 0 || id >= m->nflows)
            return SM_OK;
        a = end_ds(m, m->flows[id].from);
        b = end_ds(m, m->flows[id].to);
        if (grow_push(&t->flows, &t->nflows, &t->cap_flows, id) ||
            (a >= 0 && grow_push(&t->datasets, &t->ndatasets, &t->cap_datasets, a)) ||
            (b >= 0 && grow_push(&t->datasets, &t->ndatasets, &t->cap_datasets, b)))
            return SM_ENOMEM;
        return SM_OK;
    }
    case OBJ_WAIVER: {
        /* a finding is waived by the object the selector resolves to or by
         * the selector itself: every kind it could name */
        static const enum obj_kind kinds[] = { OBJ_PLACEMENT, OBJ_FLOW, OBJ_DATASET };
        const char *sel;
        int32_t o;
        if (id < 0 || id >= m->nwaivers)
            return SM_OK;
        sel = m->waivers[id].object;
        for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
            if (model_find(m, kinds[k], sel, &o, NULL) == SM_OK &&
                check_touch_object(t, m, kinds[k], o))
                return SM_ENOMEM;
        return SM_OK;
    }
    case OBJ_SCENARIO:
        return SM_OK;       /* not checked */
    default:
        t->global = true;   /* regions and tiers: the law for everyone */
        return SM_OK;
    }
}

int
check_touch_selector(struct check_touch *t, const struct model *m, enum obj_kind kind,
                     const char *sel)
{
    int32_t id;

    if (!sel || model_find(m, kind, sel, &id, NULL) != SM_OK)
        return (kind == OBJ_REGION || kind == OBJ_TIER) ? (t->global = true, SM_OK) : SM_OK;
    return check_touch_object(t, m, kind, id);
}
