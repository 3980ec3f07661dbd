/*
 * scenario_diff.c - what-if scenarios: diffing two evaluations (findings new,
 * resolved, changed; copies moved, added, removed) and two models' attributes.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "scenario.h"
#include "edit.h"
#include "lineage.h"
#include "rules.h"
#include "scenario_int.h"

/* ---- diff ------------------------------------------------------------------------ */

/* A finding's identity across two models: rule, object kind, and the object
 * itself (its id when both models share it, else its selector). */
struct fref {
    const struct finding *f;
    int32_t idx;
    int32_t id;                 /* shared object id, or -1 */
    uint8_t matched;
};

struct diff_ctx {
    const struct model *origin;
    struct scenario_diff *d;
    int32_t cap_f, cap_c;
    const struct scenario_eval *before, *after;
    int32_t *dop_first, *dops;  /* per dataset of after's model: the ops touching it */
    int32_t last_global;
};

static int32_t
origin_count(const struct model *o, int kind)
{
    switch (kind) {
    case OBJ_REGION:    return o->nregions;
    case OBJ_TIER:      return o->ntiers;
    case OBJ_DATASET:   return o->ndatasets;
    case OBJ_PLACEMENT: return o->nplacements;
    case OBJ_FLOW:      return o->nflows;
    case OBJ_WAIVER:    return o->nwaivers;
    default:            return 0;
    }
}

static int
cmp_ident(const void *pa, const void *pb)
{
    const struct fref *a = pa, *b = pb;
    int c = strcmp(a->f->rule, b->f->rule);

    if (c)
        return c;
    if (a->f->kind != b->f->kind)
        return a->f->kind < b->f->kind ? -1 : 1;
    if (a->id != b->id)
        return a->id < b->id ? -1 : 1;
    if (a->id < 0 && (c = strcmp(a->f->selector ? a->f->selector : "",
                                 b->f->selector ? b->f->selector : "")))
        return c;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static bool
same_ident(const struct fref *a, const struct fref *b)
{
    if (strcmp(a->f->rule, b->f->rule) || a->f->kind != b->f->kind || a->id != b->id)
        return false;
    return a->id >= 0 || sm_streq(a->f->selector, b->f->selector);
}

static int
cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

    return a < b ? -1 : a > b;
}

/* The objects whose findings may differ, sorted (*n of them), when after's
 * check is a copy of before's that check_update kept current (fkeys,
 * scenario.h): every other finding is the same on both sides, in the same
 * order. NULL: compare every finding (also when out of memory). */
static uint64_t *
finding_keys(const struct diff_ctx *x, int32_t *n)
{
    const struct scenario_eval *a = x->after, *b = x->before;
    uint64_t *k;
    int32_t m = 0;

    if (!a->res_from || a->res_from != b->res || a->res != a->res_at || a->fkeys_all ||
        a->stale || a->diff_all || b->diff_all || a->res_from_m != x->origin ||
        b->m != x->origin || !(k = malloc(((size_t)a->nfkeys + 1) * sizeof *k)))
        return NULL;
    if (a->nfkeys)
        memcpy(k, a->fkeys, (size_t)a->nfkeys * sizeof *k);
    qsort(k, (size_t)a->nfkeys, sizeof *k, cmp_u64);
    for (int32_t i = 0; i < a->nfkeys; i++)
        if (m == 0 || k[i] != k[m - 1])
            k[m++] = k[i];
    *n = m;
    return k;
}

/* r's findings by identity; with keys, only those of the objects keys
 * names and those with no shared id (*n of them). */
static struct fref *
frefs(const struct check_result *r, const struct model *origin, const uint64_t *keys,
      int32_t nkeys, int32_t *n)
{
    struct fref *v = malloc(((size_t)r->nfindings + 1) * sizeof *v);
    int32_t k = 0;

    if (!v)
        return NULL;
    for (int32_t i = 0; i < r->nfindings; i++) {
        const struct finding *f = &r->findings[i];
        int32_t id = (f->object >= 0 && f->object < origin_count(origin, f->kind)) ? f->object
                                                                                   : -1;
        if (keys && id >= 0) {
            uint64_t key = (uint64_t)f->kind << 32 | (uint32_t)id;
            if (!bsearch(&key, keys, (size_t)nkeys, sizeof *keys, cmp_u64))
                continue;
        }
        v[k].f = f;
        v[k].idx = i;
        v[k].matched = 0;
        v[k].id = id;
        k++;
    }
    qsort(v, (size_t)k, sizeof *v, cmp_ident);
    *n = k;
    return v;
}

/* How well op i explains a change to object (kind, id) of dataset ds
 * (ids in after's model; id SM_NONE when the object is gone). */
static int
op_score(const struct diff_ctx *x, int32_t i, int32_t ds, int kind, int32_t id)
{
    const struct scenario_eval *a = x->after;
    int ok = a->op_obj_kind[i];
    int32_t oid = a->op_obj[i];

    if (ok == kind && oid == id && id != SM_NONE)
        return 3;
    if (kind == OBJ_FLOW && ok == OBJ_PLACEMENT && id >= 0 && id < a->m->nflows &&
        (a->m->flows[id].from == oid || a->m->flows[id].to == oid))
        return 2;
    if (kind == OBJ_PLACEMENT && ok == OBJ_FLOW && oid >= 0 && oid < a->m->nflows &&
        (a->m->flows[oid].from == id || a->m->flows[oid].to == id))
        return 2;
    if (ok == OBJ_DATASET && oid == ds)
        return 1;
    return 0;
}

/* The op that made a change: among the ops touching the dataset, the one
 * acting on the object itself, then on a linked object, then on the
 * dataset, the latest on ties; else the latest op that touched everyone. */
static int32_t
attribute(const struct diff_ctx *x, int32_t ds, int kind, int32_t id)
{
    int32_t best = SM_NONE;
    int bestscore = -1;

    if (ds >= 0 && ds < x->after->m->ndatasets)
        for (int32_t k = x->dop_first[ds]; k < x->dop_first[ds + 1]; k++) {
            int sc = op_score(x, x->dops[k], ds, kind, id);
            if (sc >= bestscore) {
                bestscore = sc;
                best = x->dops[k];
            }
        }
    return best != SM_NONE ? best : x->last_global;
}

/* An object id of before's model in after's, or SM_NONE. */
static int32_t
shared_id(const struct diff_ctx *x, int kind, int32_t id)
{
    return id >= 0 && id < origin_count(x->origin, kind) ? id : SM_NONE;
}

/* before's dataset id in after's model */
static int32_t
map_dataset(const struct diff_ctx *x, int32_t d)
{
    if (d < 0)
        return SM_NONE;
    if (d < x->origin->ndatasets)
        return d;
    if (d >= x->before->m->ndatasets)
        return SM_NONE;
    return model_dataset(x->after->m, x->before->m->datasets[d].name);
}

static int
add_item(struct diff_ctx *x, int status, int32_t before, int32_t after)
{
    struct scenario_diff *d = x->d;
    struct sdiff_finding *it;
    const struct finding *f;
    int32_t ds;

    if (sm_grow((void **)&d->findings, &x->cap_f, d->nfindings + 1, sizeof *d->findings))
        return SM_ENOMEM;
    it = &d->findings[d->nfindings++];
    it->status = (uint8_t)status;
    it->before = before;
    it->after = after;
    if (after != SM_NONE) {
        f = &x->after->res->findings[after];
        ds = f->dataset;
        it->op = attribute(x, ds, f->kind, f->object);
    } else {
        f = &x->before->res->findings[before];
        ds = map_dataset(x, f->dataset);
        it->op = attribute(x, ds, f->kind, shared_id(x, f->kind, f->object));
    }
    if (!f->waived)
        d->count[status][f->severity]++;
    return SM_OK;
}

static bool
finding_same(const struct finding *a, const struct finding *b)
{
    return a->severity == b->severity && a->waived == b->waived &&
           sm_streq(a->jurisdictions, b->jurisdictions) && sm_streq(a->message, b->message) &&
           sm_streq(a->selector, b->selector);
}

/* Findings paired by identity: the same on both sides (nothing), changed,
 * new, resolved. Narrowed to the objects check_update re-checked when it
 * can be (finding_keys): a group of one identity is then whole on both
 * sides or on neither, and the groups left out pair up exactly. */
static int
diff_findings(struct diff_ctx *x)
{
    const struct check_result *rb = x->before->res, *ra = x->after->res;
    int32_t nkeys = 0, nb = 0, na = 0;
    uint64_t *keys = finding_keys(x, &nkeys);
    struct fref *b = frefs(rb, x->origin, keys, nkeys, &nb);
    struct fref *a = frefs(ra, x->origin, keys, nkeys, &na);
    int32_t i = 0, j = 0;
    int rc = SM_ENOMEM;

    free(keys);
    if (!b || !a)
        goto out;
    while (i < nb || j < na) {
        int c;
        if (i >= nb)
            c = 1;
        else if (j >= na)
            c = -1;
        else if (same_ident(&b[i], &a[j]))
            c = 0;
        else
            c = cmp_ident(&b[i], &a[j]);
        if (c < 0) {
            i++;
            continue;
        }
        if (c > 0) {
            j++;
            continue;
        }
        /* a group of findings with the same identity on both sides */
        int32_t ie = i, je = j;
        while (ie < nb && same_ident(&b[ie], &b[i]))
            ie++;
        while (je < na && same_ident(&a[je], &a[j]))
            je++;
        for (int pass = 0; pass < 3; pass++)
            for (int32_t p = i; p < ie; p++)
                for (int32_t q = j; q < je && !b[p].matched; q++) {
                    if (a[q].matched)
                        continue;
                    if (pass == 0 && !finding_same(b[p].f, a[q].f))
                        continue;
                    if (pass == 1 && !sm_streq(b[p].f->jurisdictions, a[q].f->jurisdictions))
                        continue;
                    b[p].matched = a[q].matched = 1;
                    if (pass > 0 && add_item(x, SDIFF_CHANGED, b[p].idx, a[q].idx))
                        goto out;
                }
        i = ie;
        j = je;
    }
    /* the rest (scenario_diff sorts the items by status and index) */
    rc = SM_OK;
    for (int32_t k = 0; k < na && !rc; k++)
        if (!a[k].matched)
            rc = add_item(x, SDIFF_NEW, SM_NONE, a[k].idx);
    for (int32_t k = 0; k < nb && !rc; k++)
        if (!b[k].matched)
            rc = add_item(x, SDIFF_RESOLVED, b[k].idx, SM_NONE);
out:
    free(b);
    free(a);
    return rc;
}

static int
cmp_item(const void *pa, const void *pb)
{
    const struct sdiff_finding *a = pa, *b = pb;
    int32_t ka = a->after != SM_NONE ? a->after : a->before;
    int32_t kb = b->after != SM_NONE ? b->after : b->before;

    if (a->status != b->status)
        return a->status < b->status ? -1 : 1;
    return ka < kb ? -1 : ka > kb;
}

static const char *
sel_dup(struct diff_ctx *x, const struct model *m, enum obj_kind kind, int32_t id)
{
    char *buf = model_selector_dup(m, kind, id);
    const char *s = buf ? sm_arena_strdup(&x->d->arena, buf) : NULL;

    free(buf);
    return s;
}

static int
add_change(struct diff_ctx *x, int kind, enum obj_kind obj, int32_t before, int32_t after,
           int32_t op)
{
    struct scenario_diff *d = x->d;
    struct schange *c;

    if (sm_grow((void **)&d->changes, &x->cap_c, d->nchanges + 1, sizeof *d->changes))
        return SM_ENOMEM;
    c = &d->changes[d->nchanges++];
    memset(c, 0, sizeof *c);
    c->kind = (uint8_t)kind;
    c->obj = (uint8_t)obj;
    c->before = before;
    c->after = after;
    c->from_region = c->to_region = SM_NONE;
    c->op = op;
    if (after != SM_NONE)
        c->selector = sel_dup(x, x->after->m, obj, after);
    else
        c->selector = sel_dup(x, x->before->m, obj, before);
    if (after != SM_NONE && before != SM_NONE) {
        c->old_selector = sel_dup(x, x->before->m, obj, before);
        if (!c->old_selector)
            return SM_ENOMEM;
    }
    return c->selector ? SM_OK : SM_ENOMEM;
}

static bool
live_copy(const struct model *m, int32_t p)
{
    return p >= 0 && p < m->nplacements && !m->placements[p].deleted &&
           !m->datasets[m->placements[p].dataset].deleted;
}

static bool
live_flow(const struct model *m, int32_t f)
{
    return f >= 0 && f < m->nflows && !m->flows[f].deleted;
}

static bool
strv_eq(const struct sm_strv *a, const struct sm_strv *b)
{
    if (a->n != b->n)
        return false;
    for (uint32_t i = 0; i < a->n; i++)
        if (!sm_streq(a->v[i], b->v[i]))
            return false;
    return true;
}

/* Do copy a of mb and copy b of ma have the same selector (model_selector:
 * "ds@region", with "/role" when the dataset has several copies there)?
 * Compared by parts: a region id holds no @ nor /, so the texts are equal
 * exactly when the parts are. */
static bool
copy_sel_eq(const struct model *mb, int32_t a, const struct model *ma, int32_t b)
{
    const struct placement *pa = &mb->placements[a], *pb = &ma->placements[b];
    bool ra = model_placement_of(mb, pa->dataset, pa->region, SM_NONE) != a;
    bool rb = model_placement_of(ma, pb->dataset, pb->region, SM_NONE) != b;

    return ra == rb && (!ra || pa->role == pb->role) &&
           strcmp(mb->datasets[pa->dataset].name, ma->datasets[pb->dataset].name) == 0 &&
           strcmp(mb->regions[pa->region].id, ma->regions[pb->region].id) == 0;
}

static bool
flow_eq(const struct model *mb, const struct flow *a, const struct model *ma,
        const struct flow *b)
{

    if (a->kind != b->kind || a->mechanism != b->mechanism ||
        a->transit_encrypted != b->transit_encrypted ||
        a->public_recipient != b->public_recipient || a->valid_from != b->valid_from ||
        a->valid_to != b->valid_to || !sm_streq(a->mechanism_ref, b->mechanism_ref) ||
        !strv_eq(&a->fields, &b->fields) || a->ntransforms != b->ntransforms)
        return false;
    for (uint32_t t = 0; t < a->ntransforms; t++)
        if (a->transforms[t].kind != b->transforms[t].kind ||
            !strv_eq(&a->transforms[t].fields, &b->transforms[t].fields))
            return false;
    /* the ends compare by selector: the copies may have moved */
    if (!copy_sel_eq(mb, a->from, ma, b->from))
        return false;
    if ((a->to == SM_NONE) != (b->to == SM_NONE))
        return false;
    if (a->to == SM_NONE)
        return sm_streq(mb->regions[a->to_region].id, ma->regions[b->to_region].id);
    return copy_sel_eq(mb, a->to, ma, b->to);
}

static int
diff_copy(struct diff_ctx *x, int32_t pb, int32_t pa)
{
    const struct model *mb = x->before->m, *ma = x->after->m;
    bool lb = live_copy(mb, pb), la = live_copy(ma, pa);
    int32_t ds;
    int rc;

    if (!lb && !la)
        return SM_OK;
    ds = la ? ma->placements[pa].dataset : map_dataset(x, mb->placements[pb].dataset);
    if (!la)
        return add_change(x, SCHANGE_REMOVED, OBJ_PLACEMENT, pb, SM_NONE,
                          attribute(x, ds, OBJ_PLACEMENT, shared_id(x, OBJ_PLACEMENT, pb)));
    if (!lb)
        return add_change(x, SCHANGE_ADDED, OBJ_PLACEMENT, SM_NONE, pa,
                          attribute(x, ds, OBJ_PLACEMENT, pa));
    const struct placement *b = &mb->placements[pb], *a = &ma->placements[pa];
    if (!sm_streq(mb->regions[b->region].id, ma->regions[a->region].id)) {
        if ((rc = add_change(x, SCHANGE_MOVED, OBJ_PLACEMENT, pb, pa,
                             attribute(x, ds, OBJ_PLACEMENT, pa))))
            return rc;
        x->d->changes[x->d->nchanges - 1].from_region = b->region;
        x->d->changes[x->d->nchanges - 1].to_region = a->region;
        return SM_OK;
    }
    if (b->role != a->role || b->encrypted != a->encrypted || b->mechanism != a->mechanism ||
        !sm_streq(b->mechanism_ref, a->mechanism_ref) ||
        (b->key_region == SM_NONE) != (a->key_region == SM_NONE) ||
        (b->key_region != SM_NONE &&
         !sm_streq(mb->regions[b->key_region].id, ma->regions[a->key_region].id)))
        return add_change(x, SCHANGE_CHANGED, OBJ_PLACEMENT, pb, pa,
                          attribute(x, ds, OBJ_PLACEMENT, pa));
    return SM_OK;
}

static int
diff_flow(struct diff_ctx *x, int32_t fb, int32_t fa)
{
    const struct model *mb = x->before->m, *ma = x->after->m;
    bool lb = live_flow(mb, fb), la = live_flow(ma, fa);
    int32_t ds;

    if (!lb && !la)
        return SM_OK;
    ds = la ? ma->placements[ma->flows[fa].from].dataset
            : map_dataset(x, mb->placements[mb->flows[fb].from].dataset);
    if (!la)
        return add_change(x, SCHANGE_REMOVED, OBJ_FLOW, fb, SM_NONE,
                          attribute(x, ds, OBJ_FLOW, shared_id(x, OBJ_FLOW, fb)));
    if (!lb)
        return add_change(x, SCHANGE_ADDED, OBJ_FLOW, SM_NONE, fa, attribute(x, ds, OBJ_FLOW, fa));
    if (!flow_eq(mb, &mb->flows[fb], ma, &ma->flows[fa]))
        return add_change(x, SCHANGE_CHANGED, OBJ_FLOW, fb, fa, attribute(x, ds, OBJ_FLOW, fa));
    return SM_OK;
}

static int32_t
op_naming(const struct scenario_eval *ev, const char *opname, const char *arg)
{
    for (int32_t i = ev->nops - 1; i >= 0; i--)
        if (ev->ops[i].n > 1 && strcmp(ev->ops[i].v[0], opname) == 0 &&
            strcmp(ev->ops[i].v[1], arg) == 0)
            return i;
    return SM_NONE;
}

static bool
any_global(const struct scenario_eval *ev)
{
    for (int32_t i = 0; i < ev->nops; i++)
        if (ev->op_global[i])
            return true;
    return false;
}

static int
cmp_id(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return x < y ? -1 : x > y;
}

/* Datasets either side's ops touched, marked (per dataset of the larger
 * model), or NULL when an op changed something for everyone (then every
 * object is compared). Objects of other datasets are the origin's on both
 * sides. */
static uint8_t *
touched_marks(const struct diff_ctx *x, int32_t *n)
{
    const struct scenario_eval *ev[2] = { x->before, x->after };
    int32_t nd = x->before->m->ndatasets > x->after->m->ndatasets ? x->before->m->ndatasets
                                                                 : x->after->m->ndatasets;
    uint8_t *mark;

    if (ev[0]->diff_all || ev[1]->diff_all || any_global(ev[0]) || any_global(ev[1]) ||
        !(mark = calloc((size_t)nd + 1, 1)))
        return NULL;
    for (int e = 0; e < 2; e++)
        for (int32_t k = 0; k < ev[e]->nds; k++)
            if (ev[e]->ds[k] >= 0 && ev[e]->ds[k] < nd)
                mark[ev[e]->ds[k]] = 1;
    *n = nd;
    return mark;
}

static int
diff_objects(struct diff_ctx *x)
{
    const struct model *o = x->origin, *mb = x->before->m, *ma = x->after->m;
    int32_t nd = 0, *ids = NULL, nids = 0, cap = 0;
    uint8_t *mark = touched_marks(x, &nd);
    int rc = SM_OK;

    /* copies: shared ids, then the ones each side added (by selector) */
    if (!mark) {
        for (int32_t p = 0; p < o->nplacements; p++)
            if ((rc = diff_copy(x, p, p)))
                return rc;
    } else {
        /* the copies of touched datasets on either side, in id order */
        for (int32_t d = 0; d < nd && !rc; d++) {
            if (!mark[d])
                continue;
            for (int side = 0; side < 2 && !rc; side++) {
                const struct model *m = side ? ma : mb;
                if (d >= m->ndatasets)
                    continue;
                for (int32_t p = m->datasets[d].first_placement; p != SM_NONE && !rc;
                     p = m->placements[p].next)
                    if (p < o->nplacements) {
                        if (sm_grow((void **)&ids, &cap, nids + 1, sizeof *ids))
                            rc = SM_ENOMEM;
                        else
                            ids[nids++] = p;
                    }
            }
        }
        if (nids > 1)
            qsort(ids, (size_t)nids, sizeof *ids, cmp_id);
        for (int32_t k = 0; k < nids && !rc; k++)
            if (k == 0 || ids[k] != ids[k - 1])
                rc = diff_copy(x, ids[k], ids[k]);
        free(ids);
        if (rc) {
            free(mark);
            return rc;
        }
    }
    /* flows: by id, then by name; narrowed: those with an end among the
     * touched datasets' copies (a bit per copy: no lookup per flow) */
    if (mark) {
        int32_t np = ma->nplacements > mb->nplacements ? ma->nplacements : mb->nplacements;
        uint8_t *pm = calloc((size_t)np + 1, 1);
        if (!pm) {
            free(mark);
            return SM_ENOMEM;
        }
        for (int32_t d = 0; d < nd; d++)
            for (int side = 0; mark[d] && side < 2; side++) {
                const struct model *m = side ? ma : mb;
                if (d < m->ndatasets)
                    for (int32_t p = m->datasets[d].first_placement; p != SM_NONE;
                         p = m->placements[p].next)
                        pm[p] = 1;
            }
        for (int32_t f = 0; f < o->nflows && !rc; f++) {
            const struct flow *a = &ma->flows[f], *b = &mb->flows[f];
            if ((a->from >= 0 && a->from < np && pm[a->from]) ||
                (a->to >= 0 && a->to < np && pm[a->to]) ||
                (b->from >= 0 && b->from < np && pm[b->from]) ||
                (b->to >= 0 && b->to < np && pm[b->to]))
                rc = diff_flow(x, f, f);
        }
        free(pm);
        if (rc) {
            free(mark);
            return rc;
        }
    } else {
        for (int32_t f = 0; f < o->nflows; f++)
            if ((rc = diff_flow(x, f, f)))
                return rc;
    }
    for (int32_t f = o->nflows; f < ma->nflows; f++) {
        int32_t q;
        if (!live_flow(ma, f))
            continue;
        q = model_flow(mb, ma->flows[f].name);
        if ((rc = diff_flow(x, q >= o->nflows ? q : SM_NONE, f)))
            return rc;
    }
    for (int32_t f = o->nflows; f < mb->nflows; f++) {
        int32_t q;
        if (!live_flow(mb, f))
            continue;
        q = model_flow(ma, mb->flows[f].name);
        if ((q == SM_NONE || q < o->nflows) && (rc = diff_flow(x, f, SM_NONE)))
            return rc;
    }
    /* datasets: classification and subjects */
    for (int32_t d = 0; d < o->ndatasets; d++) {
        const struct dataset *b = &mb->datasets[d], *a = &ma->datasets[d];
        if ((mark && !mark[d]) || b->deleted || a->deleted)
            continue;
        if ((b->tier == SM_NONE) != (a->tier == SM_NONE) ||
            (b->tier != SM_NONE && !sm_streq(mb->tiers[b->tier].name, ma->tiers[a->tier].name)) ||
            b->nsubjects != a->nsubjects ||
            memcmp(b->subjects, a->subjects, b->nsubjects * sizeof *b->subjects)) {
            if ((rc = add_change(x, SCHANGE_CHANGED, OBJ_DATASET, d, d, attribute(x, d, OBJ_DATASET, d)))) {
                free(mark);
                return rc;
            }
        }
    }
    free(mark);
    /* regions added or retired */
    for (int32_t r = o->nregions; r < ma->nregions; r++)
        if (!ma->regions[r].deleted && model_region(mb, ma->regions[r].id) == SM_NONE &&
            (rc = add_change(x, SCHANGE_ADDED, OBJ_REGION, SM_NONE, r,
                             op_naming(x->after, "add-region", ma->regions[r].id))))
            return rc;
    for (int32_t k = 0; k < x->after->nretired; k++) {
        int32_t r = x->after->retired[k];
        int32_t rb = model_region(mb, ma->regions[r].id);
        if (rb != SM_NONE && scenario_retired(x->before, rb))
            continue;
        /* a retired region is still in the model: after names it */
        if ((rc = add_change(x, SCHANGE_REMOVED, OBJ_REGION, SM_NONE, r,
                             op_naming(x->after, "retire-region", ma->regions[r].id))))
            return rc;
    }
    for (int32_t k = 0; k < x->after->nstranded; k++) {
        int32_t p = x->after->stranded[k];
        int32_t r = ma->placements[p].region;
        if ((rc = add_change(x, SCHANGE_RETIRED, OBJ_PLACEMENT, SM_NONE, p,
                             op_naming(x->after, "retire-region", ma->regions[r].id))))
            return rc;
        x->d->changes[x->d->nchanges - 1].from_region = SM_NONE;
        x->d->changes[x->d->nchanges - 1].to_region = r;
    }
    for (int32_t k = 0; k < x->after->nstranded_keys; k++) {
        int32_t p = x->after->stranded_keys[k];
        int32_t r = ma->placements[p].key_region;
        if ((rc = add_change(x, SCHANGE_KEY_RETIRED, OBJ_PLACEMENT, SM_NONE, p,
                             op_naming(x->after, "retire-region", ma->regions[r].id))))
            return rc;
        x->d->changes[x->d->nchanges - 1].from_region = SM_NONE;
        x->d->changes[x->d->nchanges - 1].to_region = r;
    }
    return SM_OK;
}

static int
cmp_change(const void *pa, const void *pb)
{
    const struct schange *a = pa, *b = pb;
    int c;

    if (a->obj != b->obj)
        return a->obj < b->obj ? -1 : 1;
    if ((c = strcmp(a->selector, b->selector)))
        return c;
    return a->kind < b->kind ? -1 : a->kind > b->kind;
}

int
scenario_diff(const struct scenario_eval *before, const struct scenario_eval *after,
              const struct model *origin, struct scenario_diff **out, struct sm_error *err)
{
    struct scenario_diff *d;
    struct diff_ctx x;
    int rc;

    if (!before->res || !after->res)
        return sm_error_set(err, SM_EINVAL, "scenario diff: both sides must be checked");
    if (!(d = calloc(1, sizeof *d)))
        return oom(err);
    sm_arena_init(&d->arena);
    /* both sides the same model and the same check (entering a scenario
     * that has no ops yet: both borrow the catalog's): nothing can differ,
     * and comparing every finding and dataset would cost O(catalog) */
    if (before->m == after->m && before->res == after->res) {
        *out = d;
        return SM_OK;
    }
    memset(&x, 0, sizeof x);
    x.origin = origin;
    x.d = d;
    x.before = before;
    x.after = after;
    x.last_global = SM_NONE;
    {
        /* the ops touching each dataset of after's model (CSR) */
        int32_t nd = after->m->ndatasets, *fill;
        x.dop_first = calloc((size_t)nd + 2, sizeof *x.dop_first);
        x.dops = malloc(((size_t)after->nds + 1) * sizeof *x.dops);
        fill = calloc((size_t)nd + 1, sizeof *fill);
        if (!x.dop_first || !x.dops || !fill) {
            free(fill);
            free(x.dop_first);
            free(x.dops);
            scenario_diff_free(d);
            return oom(err);
        }
        for (int32_t k = 0; k < after->nds; k++)
            if (after->ds[k] >= 0 && after->ds[k] < nd)
                x.dop_first[after->ds[k] + 1]++;
        for (int32_t i = 0; i < nd; i++)
            x.dop_first[i + 1] += x.dop_first[i];
        for (int32_t i = 0; i < after->nops; i++) {
            if (after->op_global[i])
                x.last_global = i;
            for (int32_t k = after->ds_first[i]; k < after->ds_first[i + 1]; k++) {
                int32_t ds = after->ds[k];
                if (ds >= 0 && ds < nd)
                    x.dops[x.dop_first[ds] + fill[ds]++] = i;
            }
        }
        free(fill);
    }
    rc = diff_findings(&x);
    if (!rc)
        rc = diff_objects(&x);
    free(x.dop_first);
    free(x.dops);
    if (rc) {
        scenario_diff_free(d);
        return oom(err);
    }
    if (d->nfindings)
        qsort(d->findings, (size_t)d->nfindings, sizeof *d->findings, cmp_item);
    if (d->nchanges)
        qsort(d->changes, (size_t)d->nchanges, sizeof *d->changes, cmp_change);
    for (int s = 0; s < SEV_COUNT; s++)
        d->delta[s] = after->res->stats.count[s] - before->res->stats.count[s];
    *out = d;
    return SM_OK;
}

void
scenario_diff_free(struct scenario_diff *d)
{
    if (!d)
        return;
    free(d->findings);
    free(d->changes);
    sm_arena_fini(&d->arena);
    free(d);
}

/* ---- attribute diff ------------------------------------------------------------------- */

static int32_t
kind_count(const struct model *m, int kind)
{
    return origin_count(m, kind);
}

static bool
obj_dead(const struct model *m, int kind, int32_t id)
{
    if (id < 0 || id >= kind_count(m, kind))
        return true;
    switch (kind) {
    case OBJ_REGION:    return m->regions[id].deleted;
    case OBJ_TIER:      return m->tiers[id].deleted;
    case OBJ_DATASET:   return m->datasets[id].deleted;
    case OBJ_PLACEMENT: return m->placements[id].deleted ||
                               m->datasets[m->placements[id].dataset].deleted;
    case OBJ_FLOW:      return m->flows[id].deleted;
    case OBJ_WAIVER:    return m->waivers[id].deleted;
    default:            return true;
    }
}

int
push_attr_change(struct scenario_attr_diff *d, int sign, int kind, const char *sel,
                 const char *attr, const char *before, const char *after)
{
    struct scenario_attr_change *c;

    if (sm_grow((void **)&d->v, &d->cap, d->n + 1, sizeof *d->v))
        return SM_ENOMEM;
    c = &d->v[d->n];
    c->sign = (char)sign;
    c->obj = (uint8_t)kind;
    c->selector = sm_arena_strdup(&d->arena, sel ? sel : "");
    c->attr = attr ? sm_arena_strdup(&d->arena, attr) : NULL;
    c->before = before ? sm_arena_strdup(&d->arena, before) : NULL;
    c->after = after ? sm_arena_strdup(&d->arena, after) : NULL;
    if (!c->selector || (attr && !c->attr) || (before && !c->before) || (after && !c->after))
        return SM_ENOMEM;
    d->n++;
    return SM_OK;
}

/* What an added or removed object is, in a few words: a copy's role,
 * encryption and key, a flow's kind and ends, a dataset's tier. */
static int
summary(const struct model *m, int kind, int32_t id, struct sm_arena *a, const char **out)
{
    static const char *const copy_attrs[] = { "role", "encrypted", "key-region", NULL };
    static const char *const flow_attrs[] = { "kind", "from", "to", "to-region", NULL };
    static const char *const ds_attrs[] = { "tier", "subjects", NULL };
    static const char *const region_attrs[] = { "country", "kind", NULL };
    const char *const *attrs = kind == OBJ_PLACEMENT ? copy_attrs : kind == OBJ_FLOW ? flow_attrs
                               : kind == OBJ_DATASET ? ds_attrs : kind == OBJ_REGION ? region_attrs
                               : NULL;
    size_t len = 0, cap = 1;
    char *s = NULL;

    *out = "";
    for (int i = 0; attrs && attrs[i]; i++) {
        char *v = model_get_dup(m, (enum obj_kind)kind, id, attrs[i]);
        const char *show;
        size_t need;
        char *ns;
        if (!v)
            goto oom;
        if (!*v || strcmp(v, "false") == 0) {
            show = strcmp(attrs[i], "encrypted") == 0 ? "unencrypted" : NULL;
        } else if (strcmp(v, "true") == 0) {
            show = attrs[i];
        } else {
            show = NULL;
            need = strlen(attrs[i]) + strlen(v) + 4;
            if (!(ns = realloc(s, cap + need))) {
                free(v);
                goto oom;
            }
            s = ns;
            len += (size_t)snprintf(s + len, cap + need - len, "%s%s%s%s", len ? ", " : "",
                                    strcmp(attrs[i], "role") == 0 || strcmp(attrs[i], "kind") == 0
                                    ? "" : attrs[i],
                                    strcmp(attrs[i], "role") == 0 || strcmp(attrs[i], "kind") == 0
                                    ? "" : " ", v);
            cap += need;
        }
        if (show) {
            need = strlen(show) + 3;
            if (!(ns = realloc(s, cap + need))) {
                free(v);
                goto oom;
            }
            s = ns;
            len += (size_t)snprintf(s + len, cap + need - len, "%s%s", len ? ", " : "", show);
            cap += need;
        }
        free(v);
    }
    if (s) {
        *out = sm_arena_strdup(a, s);
        free(s);
        return *out ? SM_OK : SM_ENOMEM;
    }
    return SM_OK;
oom:
    free(s);
    return SM_ENOMEM;
}

/* Compare object bid of before with aid of after attribute by attribute. */
static int
diff_object(struct scenario_attr_diff *d, const struct model *b, int32_t bid,
            const struct model *a, int32_t aid, int kind)
{
    const struct attr *attrs = model_attrs((enum obj_kind)kind);
    char *sel = model_selector_dup(a, (enum obj_kind)kind, aid);
    int rc = SM_OK;

    if (!sel)
        return SM_ENOMEM;
    for (int i = 0; attrs && attrs[i].name && !rc; i++) {
        char *vb = model_get_dup(b, (enum obj_kind)kind, bid, attrs[i].name);
        char *va = model_get_dup(a, (enum obj_kind)kind, aid, attrs[i].name);
        if (!vb || !va)
            rc = SM_ENOMEM;
        else if (strcmp(vb, va) != 0)
            rc = push_attr_change(d, '~', kind, sel, attrs[i].name, vb, va);
        free(vb);
        free(va);
    }
    free(sel);
    return rc;
}

static int
added_or_removed(struct scenario_attr_diff *d, int sign, const struct model *m, int kind,
                 int32_t id)
{
    char *sel = model_selector_dup(m, (enum obj_kind)kind, id);
    const char *sum = "";
    int rc;

    if (!sel)
        return SM_ENOMEM;
    rc = summary(m, kind, id, &d->arena, &sum);
    if (!rc)
        rc = push_attr_change(d, sign, kind, sel, NULL, sign == '-' ? sum : NULL,
                              sign == '+' ? sum : NULL);
    free(sel);
    return rc;
}

int
scenario_attr_diff(const struct model *before, const struct model *after,
                   const struct model *origin, struct scenario_attr_diff **out,
                   struct sm_error *err)
{
    static const int kinds[] = { OBJ_REGION, OBJ_TIER, OBJ_DATASET, OBJ_PLACEMENT, OBJ_FLOW };
    struct scenario_attr_diff *d = calloc(1, sizeof *d);
    int rc = SM_OK;

    if (!d)
        return sm_error_set(err, SM_ENOMEM, "diff: out of memory");
    sm_arena_init(&d->arena);
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds && !rc; k++) {
        int kind = kinds[k];
        int32_t nb = kind_count(before, kind), na = kind_count(after, kind);
        int32_t shared = kind_count(origin, kind);
        /* the objects both models have from origin: by id */
        for (int32_t id = 0; id < shared && !rc; id++) {
            bool db = obj_dead(before, kind, id), da = obj_dead(after, kind, id);
            if (db && da)
                continue;
            if (db)
                rc = added_or_removed(d, '+', after, kind, id);
            else if (da)
                rc = added_or_removed(d, '-', before, kind, id);
            else
                rc = diff_object(d, before, id, after, id, kind);
        }
        /* newer ones: matched by selector */
        for (int32_t id = shared; id < na && !rc; id++) {
            char *sel;
            int32_t bid = SM_NONE;
            if (obj_dead(after, kind, id))
                continue;
            if (!(sel = model_selector_dup(after, (enum obj_kind)kind, id))) {
                rc = SM_ENOMEM;
                break;
            }
            if (model_find(before, (enum obj_kind)kind, sel, &bid, NULL) != SM_OK ||
                obj_dead(before, kind, bid))
                bid = SM_NONE;
            free(sel);
            rc = bid == SM_NONE ? added_or_removed(d, '+', after, kind, id)
                                : diff_object(d, before, bid, after, id, kind);
        }
        for (int32_t id = shared; id < nb && !rc; id++) {
            char *sel;
            int32_t aid = SM_NONE;
            if (obj_dead(before, kind, id))
                continue;
            if (!(sel = model_selector_dup(before, (enum obj_kind)kind, id))) {
                rc = SM_ENOMEM;
                break;
            }
            if (model_find(after, (enum obj_kind)kind, sel, &aid, NULL) != SM_OK ||
                obj_dead(after, kind, aid))
                rc = added_or_removed(d, '-', before, kind, id);
            free(sel);
        }
    }
    if (rc) {
        scenario_attr_diff_free(d);
        return sm_error_set(err, SM_ENOMEM, "diff: out of memory");
    }
    *out = d;
    return SM_OK;
}

void
scenario_attr_diff_free(struct scenario_attr_diff *d)
{
    if (!d)
        return;
    free(d->v);
    sm_arena_fini(&d->arena);
    free(d);
}
