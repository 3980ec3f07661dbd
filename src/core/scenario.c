/*
 * scenario.c - what-if scenarios: parsing and applying ops on a clone of
 * the model and a copy of the rule pack, evaluating chains of scenarios,
 * and diffing two evaluations (findings new, resolved, changed; copies
 * moved, added, removed; copies stranded in retired regions).
 *
 * Core: no I/O, no globals. Depends on model, rules (the pack copy and its
 * adequacy lists) and check (check_run).
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "scenario.h"
#include "edit.h"
#include "lineage.h"
#include "rules.h"

#define X(id, name, min, max, args, help) { name, min, max, args, help },
const struct scenario_op_info scenario_ops[SOP_COUNT] = { SCENARIO_OPS(X) };
#undef X
#define X(id, name) name,
const char *const sdiff_status_names[SDIFF_STATUS_COUNT] = { SDIFF_STATUSES(X) };
const char *const schange_kind_names[SCHANGE_KIND_COUNT] = { SCHANGE_KINDS(X) };
#undef X

#define SCENARIO_MAX_CHAIN 64

static int
oom(struct sm_error *err)
{
    return sm_error_set(err, SM_ENOMEM, "scenario: out of memory");
}

/* ---- ops: parsing and formatting ------------------------------------------- */

int
scenario_op_parse(int argc, const char *const *argv, enum scenario_op *op,
                  struct sm_error *err)
{
    const char *best = NULL;
    int bestd = 4;

    if (argc < 1 || !argv[0] || !*argv[0])
        return sm_error_set(err, SM_EINVAL, "a scenario op needs a name, e.g. move");
    for (int i = 0; i < SOP_COUNT; i++) {
        if (strcmp(scenario_ops[i].name, argv[0]) == 0) {
            int n = argc - 1;
            if (n < scenario_ops[i].min_args || n > scenario_ops[i].max_args)
                return sm_error_set(err, SM_EINVAL, "%s needs %s", scenario_ops[i].name,
                                    scenario_ops[i].args);
            *op = (enum scenario_op)i;
            return SM_OK;
        }
        int d = sm_levenshtein(argv[0], scenario_ops[i].name, 3);
        if (d < bestd) {
            bestd = d;
            best = scenario_ops[i].name;
        }
    }
    if (best)
        return sm_error_set(err, SM_EINVAL, "unknown scenario op %s; did you mean %s?", argv[0],
                            best);
    return sm_error_set(err, SM_EINVAL, "unknown scenario op %s", argv[0]);
}

static bool
needs_quotes(const char *s)
{
    if (!*s)
        return true;
    for (; *s; s++)
        if (*s == ' ' || *s == '\t' || *s == '"' || *s == '\'' || *s == '\\' ||
            (unsigned char)*s < 0x20)
            return true;
    return false;
}

const char *
scenario_op_format(int argc, const char *const *argv, char *buf, size_t size)
{
    size_t at = 0;

    if (!size)
        return buf;
    buf[0] = '\0';
    for (int i = 0; i < argc && at + 1 < size; i++) {
        const char *s = argv[i] ? argv[i] : "";
        if (i)
            buf[at++] = ' ';
        if (!needs_quotes(s)) {
            at += sm_strlcpy(buf + at, s, size - at);
        } else {
            if (at + 1 < size)
                buf[at++] = '"';
            for (; *s && at + 2 < size; s++) {
                if (*s == '"' || *s == '\\')
                    buf[at++] = '\\';
                buf[at++] = *s;
            }
            if (at + 1 < size)
                buf[at++] = '"';
        }
        if (at >= size)
            at = size - 1;
        buf[at] = '\0';
    }
    return buf;
}

/* ---- the rule pack copy ------------------------------------------------------ */

/* A deep copy of rp that scenarios may change (adequacy, deny list): it
 * owns every string and array, so it outlives rp, and rules_free releases
 * it (the arrays rules_free frees are malloc'd, strings live in its arena). */
static int
strv_copy(struct sm_arena *a, struct sm_strv *dst, const struct sm_strv *src)
{
    dst->n = src->n;
    dst->v = NULL;
    if (!src->n)
        return SM_OK;
    if (!(dst->v = sm_arena_alloc(a, src->n * sizeof *dst->v)))
        return SM_ENOMEM;
    for (uint32_t i = 0; i < src->n; i++)
        if (src->v[i] && !(dst->v[i] = sm_arena_strdup(a, src->v[i])))
            return SM_ENOMEM;
    return SM_OK;
}

#define DUP(field) do { \
        if ((field) && !((field) = sm_arena_strdup(&c->arena, (field)))) \
            goto fail; \
    } while (0)

static void *
array_copy(const void *src, size_t n, size_t size)
{
    void *p;

    if (!n)
        return NULL;
    if ((p = malloc(n * size)))
        memcpy(p, src, n * size);
    return p;
}

static struct rulepack *
pack_clone(const struct rulepack *rp)
{
    struct rulepack *c = calloc(1, sizeof *c);

    if (!c)
        return NULL;
    *c = *rp;
    sm_arena_init(&c->arena);
    c->blocs = NULL;
    c->regimes = NULL;
    c->tiers = NULL;
    c->custom = NULL;
    c->nblocs = c->nregimes = c->ntiers = c->ncustom = 0;
    DUP(c->name);
    DUP(c->description);
    DUP(c->path);
    if (strv_copy(&c->arena, &c->personal_tags, &rp->personal_tags) ||
        strv_copy(&c->arena, &c->allow_regions, &rp->allow_regions) ||
        strv_copy(&c->arena, &c->deny_regions, &rp->deny_regions))
        goto fail;
    if (rp->nblocs && !(c->blocs = array_copy(rp->blocs, (size_t)rp->nblocs, sizeof *c->blocs)))
        goto fail;
    c->nblocs = rp->nblocs;
    for (int32_t b = 0; b < c->nblocs; b++)
        DUP(c->blocs[b].name);
    if (rp->ntiers && !(c->tiers = array_copy(rp->tiers, (size_t)rp->ntiers, sizeof *c->tiers)))
        goto fail;
    c->ntiers = rp->ntiers;
    for (int32_t t = 0; t < c->ntiers; t++) {
        DUP(c->tiers[t].name);
        DUP(c->tiers[t].description);
        if (strv_copy(&c->arena, &c->tiers[t].approved, &rp->tiers[t].approved))
            goto fail;
    }
    if (rp->ncustom && !(c->custom = array_copy(rp->custom, (size_t)rp->ncustom,
                                                sizeof *c->custom)))
        goto fail;
    c->ncustom = rp->ncustom;
    for (int32_t k = 0; k < c->ncustom; k++) {
        DUP(c->custom[k].id);
        DUP(c->custom[k].message);
        DUP(c->custom[k].sql);
    }
    if (rp->nregimes && !(c->regimes = calloc((size_t)rp->nregimes, sizeof *c->regimes)))
        goto fail;
    for (int32_t g = 0; g < rp->nregimes; g++) {
        struct regime *dst = &c->regimes[g];
        *dst = rp->regimes[g];
        dst->adequacy = NULL;
        c->nregimes = g + 1;
        DUP(dst->id);
        DUP(dst->name);
        DUP(dst->area);
        DUP(dst->localization_law);
        if (rp->regimes[g].nadequacy &&
            !(dst->adequacy = array_copy(rp->regimes[g].adequacy,
                                         (size_t)rp->regimes[g].nadequacy,
                                         sizeof *dst->adequacy)))
            goto fail;
        for (int32_t a = 0; a < dst->nadequacy; a++)
            DUP(dst->adequacy[a].instrument);
    }
    return c;
fail:
    rules_free(c);
    return NULL;
}

#undef DUP

static int
own_pack(struct scenario_eval *ev, struct sm_error *err)
{
    if (ev->rp_own)
        return SM_OK;
    if (!ev->rp)
        return sm_error_set(err, SM_EINVAL, "this scenario op needs a rule pack");
    if (!(ev->rp_own = pack_clone(ev->rp)))
        return oom(err);
    ev->rp = ev->rp_own;
    return SM_OK;
}

/* ---- evaluation state ---------------------------------------------------------- */

static int
touch(struct scenario_eval *ev, int32_t dataset)
{
    if (dataset < 0)
        return SM_OK;
    if (sm_grow((void **)&ev->ds, &ev->cap_ds, ev->nds + 1, sizeof *ev->ds))
        return SM_ENOMEM;
    ev->ds[ev->nds++] = dataset;
    return SM_OK;
}

static int
touch_placement(struct scenario_eval *ev, int32_t p)
{
    if (p < 0 || p >= ev->m->nplacements)
        return SM_OK;
    return touch(ev, ev->m->placements[p].dataset);
}

static int
touch_flow(struct scenario_eval *ev, int32_t f)
{
    int rc;

    if (f < 0 || f >= ev->m->nflows)
        return SM_OK;
    if ((rc = touch_placement(ev, ev->m->flows[f].from)))
        return rc;
    return touch_placement(ev, ev->m->flows[f].to);
}

static struct scenario_eval *
eval_new(const char *name)
{
    struct scenario_eval *ev = calloc(1, sizeof *ev);

    if (!ev)
        return NULL;
    sm_arena_init(&ev->arena);
    sm_strlcpy(ev->name, name ? name : "", sizeof ev->name);
    ev->ds_first = malloc(sizeof *ev->ds_first);
    if (!ev->ds_first) {
        free(ev);
        return NULL;
    }
    ev->ds_first[0] = 0;
    return ev;
}

int
scenario_begin(const struct model *base, const struct rulepack *rp, const char *name,
               struct scenario_eval **out, struct sm_error *err)
{
    struct scenario_eval *ev = eval_new(name);

    if (!ev)
        return oom(err);
    if (model_clone(base, &ev->m)) {
        scenario_eval_free(ev);
        return oom(err);
    }
    ev->rp = rp;
    *out = ev;
    return SM_OK;
}

int
scenario_begin_take(struct model *m, const struct rulepack *rp, const char *name,
                    struct scenario_eval **out, struct sm_error *err)
{
    struct scenario_eval *ev = eval_new(name);

    if (!ev) {
        model_free(m);
        return oom(err);
    }
    ev->m = m;
    ev->rp = rp;
    *out = ev;
    return SM_OK;
}

int
scenario_begin_base(const struct model *base, const struct rulepack *rp,
                    struct scenario_eval **out, struct sm_error *err)
{
    struct scenario_eval *ev = eval_new("");

    if (!ev)
        return oom(err);
    ev->m = (struct model *)base;   /* never written: borrowed refuses ops */
    ev->borrowed = true;
    ev->rp = rp;
    *out = ev;
    return SM_OK;
}

/* ---- a checked start: copies of a check result ---------------------------------- */

/* Copied strings by source address (a miss only copies again). */
#define SCOPY_SLOTS 4096

struct scopy {
    struct sm_arena *arena;
    const char *from[SCOPY_SLOTS];
    const char *to[SCOPY_SLOTS];
    bool oom;
};

static const char *
scopy(struct scopy *c, const char *s)
{
    uintptr_t h;
    char *d;

    if (!s)
        return NULL;
    h = ((uintptr_t)s >> 3) * 0x9E3779B97F4A7C15ull;
    h = (h >> 40) % SCOPY_SLOTS;
    if (c->from[h] == s)
        return c->to[h];
    if (!(d = sm_arena_strdup(c->arena, s))) {
        c->oom = true;
        return "";
    }
    c->from[h] = s;
    c->to[h] = d;
    return d;
}

static void *
dup_array(const void *src, size_t n, size_t size, bool *oom)
{
    void *p = malloc(n * size + size);     /* never NULL for n 0 */

    if (!p) {
        *oom = true;
        return NULL;
    }
    if (n)
        memcpy(p, src, n * size);
    return p;
}

int
scenario_result_clone(const struct check_result *r, const struct model *m,
                      struct check_result **out)
{
    struct check_result *c = calloc(1, sizeof *c);
    struct scopy *sc = calloc(1, sizeof *sc);
    bool oom = !c || !sc;

    if (oom)
        goto fail;
    sm_arena_init(&c->arena);
    sc->arena = &c->arena;
    c->nfindings = r->nfindings;
    c->cap_findings = r->nfindings;
    c->findings = dup_array(r->findings, (size_t)r->nfindings, sizeof *c->findings, &oom);
    for (int32_t i = 0; !oom && i < r->nfindings; i++) {
        struct finding *f = &c->findings[i];
        f->rule = scopy(sc, f->rule);
        f->selector = scopy(sc, f->selector);
        f->jurisdictions = scopy(sc, f->jurisdictions);
        f->message = scopy(sc, f->message);
        f->hint = scopy(sc, f->hint);
        if (f->why.n) {
            const char **v = sm_arena_alloc(&c->arena, sizeof *v * f->why.n);
            if (!v) {
                oom = true;
                break;
            }
            for (uint32_t k = 0; k < f->why.n; k++)
                v[k] = scopy(sc, f->why.v[k]);
            f->why.v = v;
        }
    }
    c->ntransfers = r->ntransfers;
    if (!oom)
        c->transfers = dup_array(r->transfers, (size_t)r->ntransfers, sizeof *c->transfers,
                                 &oom);
    for (int32_t i = 0; !oom && i < r->ntransfers; i++) {
        c->transfers[i].regime = scopy(sc, c->transfers[i].regime);
        c->transfers[i].basis = scopy(sc, c->transfers[i].basis);
    }
    c->nexpired = r->nexpired;
    if (!oom && r->nexpired)
        c->expired = dup_array(r->expired, (size_t)r->nexpired, sizeof *c->expired, &oom);
    if (!oom && r->by_object)
        c->by_object = dup_array(r->by_object, (size_t)r->nfindings, sizeof *c->by_object, &oom);
    c->stats = r->stats;
    c->ndatasets = r->ndatasets;
    c->nflows = r->nflows;
    c->today = r->today;
    c->rp = r->rp;
    c->custom = r->custom;
    if (!oom && r->lineage) {
        const struct lineage *L = r->lineage;
        struct lineage *K = calloc(1, sizeof *K);
        size_t nd = (size_t)L->ndatasets, nf = (size_t)L->nflows;
        if (!K) {
            oom = true;
        } else {
            *K = *L;
            K->eff_tier = NULL;
            K->eff_via = K->subj_via = NULL;
            K->personal = K->has_pfields = K->pfield = K->removes = K->flow_personal = NULL;
            K->subj = NULL;
            c->lineage = K;
#define DUPL(a, n) do { if (!oom && L->a) K->a = dup_array(L->a, (n), sizeof *L->a, &oom); } while (0)
            DUPL(eff_tier, nd);
            DUPL(eff_via, nd);
            DUPL(subj_via, nd);
            DUPL(personal, nd);
            DUPL(has_pfields, nd);
            DUPL(pfield, (size_t)L->nfields);
            DUPL(removes, nf);
            DUPL(flow_personal, nf);
            DUPL(subj, nd * (size_t)L->words);
#undef DUPL
            c->eff_tier = K->eff_tier;
            c->eff_via = K->eff_via;
            c->flow_personal = K->flow_personal;
        }
    }
    if (sc && sc->oom)
        oom = true;
    /* check_update's state, as check_run sets it up */
    if (!oom && r->extra && c->lineage && c->lineage->nslots <= 64) {
        uint64_t unknown = 0;
        for (int32_t s = 0; s < c->lineage->nslots; s++)
            if (!c->rp || rules_regime_of(c->rp, c->lineage->slot_cc[s]) == SM_NONE)
                unknown |= (uint64_t)1 << s;
        if (check_extra_init(c, m, unknown))
            oom = true;
    }
    if (oom)
        goto fail;
    free(sc);
    *out = c;
    return SM_OK;
fail:
    free(sc);
    check_result_free(c);
    return SM_ENOMEM;
}

static int
map_copy(struct sm_map *dst, const struct sm_map *src)
{
    *dst = *src;
    dst->slots = NULL;
    if (!src->cap)
        return SM_OK;
    if (!(dst->slots = malloc(sizeof *dst->slots * src->cap)))
        return SM_ENOMEM;
    memcpy(dst->slots, src->slots, sizeof *dst->slots * src->cap);
    return SM_OK;
}

#define COPY_ARRAY(a) do { \
        c->n##a = c->cap_##a = m->n##a; \
        if (m->n##a && !(c->a = malloc(sizeof *c->a * (size_t)m->n##a))) \
            goto fail; \
        if (m->n##a) \
            memcpy(c->a, m->a, sizeof *c->a * (size_t)m->n##a); \
    } while (0)

int
scenario_model_share(const struct model *m, struct model **out)
{
    struct model *c = model_new();

    if (!c)
        return SM_ENOMEM;
    COPY_ARRAY(regions);
    COPY_ARRAY(tiers);
    COPY_ARRAY(datasets);
    COPY_ARRAY(fields);
    COPY_ARRAY(tags);
    COPY_ARRAY(placements);
    COPY_ARRAY(flows);
    COPY_ARRAY(waivers);
    COPY_ARRAY(scenarios);
    if (map_copy(&c->region_ids, &m->region_ids) || map_copy(&c->tier_names, &m->tier_names) ||
        map_copy(&c->dataset_names, &m->dataset_names) ||
        map_copy(&c->flow_names, &m->flow_names) ||
        map_copy(&c->waiver_keys, &m->waiver_keys) ||
        map_copy(&c->scenario_names, &m->scenario_names))
        goto fail;
    c->rule_pack = m->rule_pack;
    c->generation = m->generation;
    *out = c;
    return SM_OK;
fail:
    model_free(c);
    return SM_ENOMEM;
}

#undef COPY_ARRAY

int
scenario_begin_checked(const struct model *base, const struct check_result *res,
                       const char *name, struct scenario_eval **out, struct sm_error *err)
{
    struct scenario_eval *ev = NULL;
    struct model *m = NULL;
    int rc;

    /* the base outlives the evaluation: its strings are shared */
    if (scenario_model_share(base, &m))
        return oom(err);
    if ((rc = scenario_begin_take(m, res->rp, name, &ev, err)))
        return rc;
    if (scenario_result_clone(res, ev->m, &ev->res)) {
        scenario_eval_free(ev);
        return oom(err);
    }
    ev->today = res->today;
    *out = ev;
    return SM_OK;
}

void
scenario_eval_free(struct scenario_eval *ev)
{
    if (!ev)
        return;
    if (!ev->res_borrowed)
        check_result_free(ev->res);
    if (!ev->borrowed)
        model_free(ev->m);
    rules_free(ev->rp_own);
    free(ev->ops);
    free(ev->ds_first);
    free(ev->ds);
    free(ev->op_global);
    free(ev->op_obj_kind);
    free(ev->op_obj);
    for (int32_t i = 0; ev->op_undo && i < ev->nops; i++)
        if (ev->op_undo[i]) {
            edit_result_fini(ev->op_undo[i]);
            free(ev->op_undo[i]);
        }
    free(ev->op_undo);
    free(ev->retired);
    free(ev->stranded);
    free(ev->stranded_keys);
    sm_arena_fini(&ev->arena);
    free(ev);
}

bool
scenario_retired(const struct scenario_eval *ev, int32_t region)
{
    for (int32_t i = 0; i < ev->nretired; i++)
        if (ev->retired[i] == region)
            return true;
    return false;
}

/* ---- the ops ------------------------------------------------------------------- */

/* Apply one edit for the op being applied, keeping its exact undo. false
 * (m unchanged): the op goes its own way, with its own messages. */
static bool
op_edit(struct scenario_eval *ev, enum edit_op op, enum obj_kind kind, const char *key,
        const char *attr, const char *value, int32_t *id)
{
    struct edit e;
    struct edit_result *res = calloc(1, sizeof *res);

    if (!res)
        return false;
    memset(&e, 0, sizeof e);
    e.op = op;
    e.kind = kind;
    e.key = key;
    if (attr) {
        e.nattrs = 1;
        e.attrs[0].name = attr;
        e.attrs[0].value = value;
    }
    if (edit_apply(ev->m, &e, res, NULL) != SM_OK) {
        free(res);
        return false;
    }
    *id = res->id;
    ev->op_undo[ev->nops] = res;
    return true;
}

typedef int (*op_fn)(struct scenario_eval *ev, const char *const *a, int n,
                     struct sm_error *err);

static int
find(const struct scenario_eval *ev, enum obj_kind kind, const char *sel, int32_t *id,
     struct sm_error *err)
{
    return model_find(ev->m, kind, sel, id, err);
}

static int
not_retired(const struct scenario_eval *ev, int32_t region, struct sm_error *err)
{
    if (scenario_retired(ev, region))
        return sm_error_set(err, SM_EINVAL, "%s is retired in this scenario",
                            ev->m->regions[region].id);
    return SM_OK;
}

/* "aws:eu-west-1" or "aws:eu-west-1/backup" into region and role. */
static int
region_role(const struct scenario_eval *ev, const char *s, int32_t *region, int *role,
            struct sm_error *err)
{
    char buf[512];
    char *slash;

    if (sm_strlcpy(buf, s, sizeof buf) >= sizeof buf)
        return sm_error_set(err, SM_EINVAL, "region name too long");
    *role = SM_NONE;
    slash = strrchr(buf, '/');
    if (slash) {
        *slash++ = '\0';
        *role = model_enum_parse(role_names, ROLE_COUNT, slash);
        if (*role == SM_NONE)
            return sm_error_set(err, SM_EINVAL, "unknown role %s", slash);
    }
    return find(ev, OBJ_REGION, buf, region, err);
}

static int
op_move(struct scenario_eval *ev, const char *const *a, int n, struct sm_error *err)
{
    struct model *m = ev->m;
    int32_t d, from, to, p = SM_NONE, ncopies = 0;
    int role, rc;
    struct placement *pl;

    (void)n;
    if ((rc = find(ev, OBJ_DATASET, a[0], &d, err)) ||
        (rc = region_role(ev, a[1], &from, &role, err)) ||
        (rc = find(ev, OBJ_REGION, a[2], &to, err)) ||
        (rc = not_retired(ev, to, err)))
        return rc;
    for (int32_t i = m->datasets[d].first_placement; i != SM_NONE; i = m->placements[i].next) {
        if (m->placements[i].deleted || m->placements[i].region != from)
            continue;
        if (role != SM_NONE && m->placements[i].role != role)
            continue;
        ncopies++;
        p = i;
    }
    if (ncopies == 0)
        return sm_error_set(err, SM_ENOTFOUND, "%s has no %scopy in %s", a[0],
                            role == SM_NONE ? "" : role == ROLE_PRIMARY ? "primary " : "such ",
                            m->regions[from].id);
    if (ncopies > 1)
        return sm_error_set(err, SM_EINVAL, "%s has %d copies in %s; name one as %s/ROLE",
                            a[0], (int)ncopies, m->regions[from].id, m->regions[from].id);
    if (to == from)
        return sm_error_set(err, SM_EINVAL, "%s is already in %s", a[0], m->regions[to].id);
    /* a region-local key follows its copy: the new copy gets a key in its
     * new region; a key held elsewhere (central KMS) stays where it is */
    if ((rc = model_set(m, OBJ_PLACEMENT, p, "region", m->regions[to].id, err)))
        return rc;
    pl = &m->placements[p];
    if (pl->key_region == from)
        pl->key_region = to;
    ev->op_obj_kind[ev->nops] = OBJ_PLACEMENT;
    ev->op_obj[ev->nops] = p;
    return touch(ev, d);
}

static int
op_add_placement(struct scenario_eval *ev, const char *const *a, int n, struct sm_error *err)
{
    struct model *m = ev->m;
    struct placement p;
    int32_t d, r, prim;
    int role = ROLE_REPLICA, rc;

    if ((rc = find(ev, OBJ_DATASET, a[0], &d, err)) ||
        (rc = find(ev, OBJ_REGION, a[1], &r, err)) ||
        (rc = not_retired(ev, r, err)))
        return rc;
    if (n > 2 && (role = model_enum_parse(role_names, ROLE_COUNT, a[2])) == SM_NONE)
        return sm_error_set(err, SM_EINVAL, "unknown role %s: use primary, replica, backup, "
                            "dr, cache, archive or edge", a[2]);
    model_placement_init(&p);
    p.dataset = d;
    p.region = r;
    p.role = (uint8_t)role;
    /* a new copy is set up like the primary: encrypted if it is, with a
     * key in its own region if the primary's key is region-local */
    prim = model_primary(m, d);
    if (prim != SM_NONE) {
        const struct placement *pp = &m->placements[prim];
        p.encrypted = pp->encrypted;
        if (pp->key_region == pp->region)
            p.key_region = r;
        else
            p.key_region = pp->key_region;
    }
    if ((rc = model_add_placement(m, &p, &ev->op_obj[ev->nops], err)))
        return rc;
    ev->op_obj_kind[ev->nops] = OBJ_PLACEMENT;
    return touch(ev, d);
}

static int
op_remove_placement(struct scenario_eval *ev, const char *const *a, int n,
                    struct sm_error *err)
{
    int32_t p;
    int rc;

    (void)n;
    if ((rc = find(ev, OBJ_PLACEMENT, a[0], &p, err)))
        return rc;
    ev->op_obj_kind[ev->nops] = OBJ_PLACEMENT;
    ev->op_obj[ev->nops] = p;
    if ((rc = touch_placement(ev, p)))
        return rc;
    /* flows out of or into the copy go with it; their other ends change */
    for (int32_t f = 0; f < ev->m->nflows; f++) {
        const struct flow *fl = &ev->m->flows[f];
        if (!fl->deleted && (fl->from == p || fl->to == p) && (rc = touch_flow(ev, f)))
            return rc;
    }
    /* as an edit (the same removal, with its exact undo) when it can be */
    if (op_edit(ev, EDIT_REMOVE, OBJ_PLACEMENT, a[0], NULL, NULL, &p))
        return SM_OK;
    return model_remove(ev->m, OBJ_PLACEMENT, p, err);
}

static int
op_set_dataset(struct scenario_eval *ev, const char *attr, const char *const *a,
               struct sm_error *err)
{
    int32_t d;
    int rc;

    if ((rc = find(ev, OBJ_DATASET, a[0], &d, err)) ||
        (rc = model_set(ev->m, OBJ_DATASET, d, attr, a[1], err)))
        return rc;
    ev->op_obj_kind[ev->nops] = OBJ_DATASET;
    ev->op_obj[ev->nops] = d;
    return touch(ev, d);
}

static int
op_set_tier(struct scenario_eval *ev, const char *const *a, int n, struct sm_error *err)
{
    (void)n;
    return op_set_dataset(ev, "tier", a, err);
}

static int
op_set_subjects(struct scenario_eval *ev, const char *const *a, int n, struct sm_error *err)
{
    (void)n;
    return op_set_dataset(ev, "subjects", a, err);
}

static int
op_add_flow(struct scenario_eval *ev, const char *const *a, int n, struct sm_error *err)
{
    struct flow f;
    int32_t id;
    int kind, rc;

    model_flow_init(&f);
    if ((rc = find(ev, OBJ_PLACEMENT, a[0], &f.from, err)))
        return rc;
    if (strchr(a[1], '@')) {
        if ((rc = find(ev, OBJ_PLACEMENT, a[1], &f.to, err)))
            return rc;
    } else {
        f.to = SM_NONE;
        if ((rc = find(ev, OBJ_REGION, a[1], &f.to_region, err)))
            return rc;
    }
    if ((kind = model_enum_parse(flow_kind_names, FLOW_KIND_COUNT, a[2])) == SM_NONE)
        return sm_error_set(err, SM_EINVAL, "unknown flow kind %s: use replication, backup, "
                            "etl, stream, query or export", a[2]);
    f.kind = (uint8_t)kind;
    f.name = n > 3 ? a[3] : NULL;
    if ((rc = model_add_flow(ev->m, &f, &id, err)))
        return rc;
    ev->op_obj_kind[ev->nops] = OBJ_FLOW;
    ev->op_obj[ev->nops] = id;
    return touch_flow(ev, id);
}

static int
op_remove_flow(struct scenario_eval *ev, const char *const *a, int n, struct sm_error *err)
{
    int32_t f;
    int rc;

    (void)n;
    if ((rc = find(ev, OBJ_FLOW, a[0], &f, err)) || (rc = touch_flow(ev, f)))
        return rc;
    ev->op_obj_kind[ev->nops] = OBJ_FLOW;
    ev->op_obj[ev->nops] = f;
    if (op_edit(ev, EDIT_REMOVE, OBJ_FLOW, a[0], NULL, NULL, &f))
        return SM_OK;
    return model_remove(ev->m, OBJ_FLOW, f, err);
}

static int
op_set_mechanism(struct scenario_eval *ev, const char *const *a, int n, struct sm_error *err)
{
    const char *mech = strcmp(a[1], "none") == 0 ? "" : a[1];
    const char *ref = n > 2 ? a[2] : "";
    enum obj_kind kind = OBJ_FLOW;
    int32_t id = model_flow(ev->m, a[0]);
    int rc;

    if (id == SM_NONE) {
        id = model_placement(ev->m, a[0]);
        kind = OBJ_PLACEMENT;
    }
    if (id == SM_NONE) {
        if (strchr(a[0], '@'))
            return find(ev, OBJ_PLACEMENT, a[0], &id, err);
        return find(ev, OBJ_FLOW, a[0], &id, err);
    }
    if (kind == OBJ_PLACEMENT && ev->m->placements[id].role == ROLE_PRIMARY)
        return sm_error_set(err, SM_EINVAL, "%s is the primary copy: no transfer into it to "
                            "declare a mechanism for", a[0]);
    if ((rc = model_set(ev->m, kind, id, "mechanism", mech, err)) ||
        (rc = model_set(ev->m, kind, id, "mechanism-ref", ref, err)))
        return rc;
    ev->op_obj_kind[ev->nops] = (uint8_t)kind;
    ev->op_obj[ev->nops] = id;
    return kind == OBJ_FLOW ? touch_flow(ev, id) : touch_placement(ev, id);
}

static int
op_add_transform(struct scenario_eval *ev, const char *const *a, int n, struct sm_error *err)
{
    char cur[4096], next[4096 + 512];
    int32_t f;
    int rc;

    (void)n;
    if ((rc = find(ev, OBJ_FLOW, a[0], &f, err)))
        return rc;
    model_get(ev->m, OBJ_FLOW, f, "transforms", cur, sizeof cur);
    if (*cur)
        snprintf(next, sizeof next, "%s; %s", cur, a[1]);
    else
        snprintf(next, sizeof next, "%s", a[1]);
    if ((rc = model_set(ev->m, OBJ_FLOW, f, "transforms", next, err)))
        return rc;
    ev->op_obj_kind[ev->nops] = OBJ_FLOW;
    ev->op_obj[ev->nops] = f;
    return touch_flow(ev, f);
}

static int
adequacy(struct scenario_eval *ev, const char *const *a, bool revoke, struct sm_error *err)
{
    struct regime *g;
    int32_t gi;
    int cc, rc;

    if ((rc = own_pack(ev, err)))
        return rc;
    gi = rules_regime(ev->rp_own, a[0]);
    if (gi == SM_NONE)
        gi = rules_regime_of(ev->rp_own, sm_cc(a[0]));
    if (gi == SM_NONE)
        return sm_error_set(err, SM_ENOTFOUND, "no regime for %s in rule pack %s (use a "
                            "regime id like GDPR or a subject code like EU)", a[0],
                            ev->rp_own->name);
    if ((cc = sm_cc(a[1])) == SM_NONE)
        return sm_error_set(err, SM_EINVAL, "%s is not a two-letter country code", a[1]);
    g = &ev->rp_own->regimes[gi];
    if (revoke)
        rc = rules_revoke(ev->rp_own, g->id, a[1], true, err);
    else if (sm_ccset_has(&g->free_flow, cc))
        rc = sm_error_set(err, SM_EINVAL, "%s is inside %s's free-flow area already", a[1],
                          g->id);
    else {
        /* a new, full decision: restores a revoked one, lifts a partial
         * one's condition and end date, or adds one */
        int32_t k;
        for (k = 0; k < g->nadequacy && g->adequacy[k].cc != cc; k++)
            ;
        if (k == g->nadequacy) {
            struct adequacy *v = realloc(g->adequacy, (g->nadequacy + 1) * sizeof *v);
            if (!v)
                return oom(err);
            g->adequacy = v;
            memset(&v[k], 0, sizeof v[k]);
            v[k].cc = cc;
            v[k].instrument = "granted in a scenario";
            g->nadequacy++;
        }
        g->adequacy[k].revoked = 0;
        g->adequacy[k].partial = 0;
        g->adequacy[k].condition = ADQ_NONE;
        g->adequacy[k].until = 0;
        rc = SM_OK;
    }
    if (rc)
        return rc;
    ev->op_global[ev->nops] = 1;
    return SM_OK;
}

static int
op_revoke_adequacy(struct scenario_eval *ev, const char *const *a, int n, struct sm_error *err)
{
    (void)n;
    return adequacy(ev, a, true, err);
}

static int
op_grant_adequacy(struct scenario_eval *ev, const char *const *a, int n, struct sm_error *err)
{
    (void)n;
    return adequacy(ev, a, false, err);
}

static int
op_add_region(struct scenario_eval *ev, const char *const *a, int n, struct sm_error *err)
{
    struct model *m = ev->m;
    struct region r;
    char provider[128];
    const char *colon = strchr(a[0], ':');
    int kind = REGION_CLOUD;

    if (!colon || colon == a[0] || !colon[1] || (size_t)(colon - a[0]) >= sizeof provider ||
        !model_region_id_ok(a[0]))
        return sm_error_set(err, SM_EINVAL, "region id %s: use PROVIDER:CODE without blanks, "
                            "control characters, commas, @ or /, e.g. onprem:fra-dc2", a[0]);
    memcpy(provider, a[0], (size_t)(colon - a[0]));
    provider[colon - a[0]] = '\0';
    model_region_init(&r);
    r.id = a[0];
    r.provider = provider;
    r.code = colon + 1;
    if ((r.country = sm_cc(a[1])) == SM_NONE)
        return sm_error_set(err, SM_EINVAL, "region %s: %s is not a two-letter country code",
                            a[0], a[1]);
    if (n > 2 && (kind = model_enum_parse(region_kind_names, REGION_KIND_COUNT, a[2])) == SM_NONE)
        return sm_error_set(err, SM_EINVAL, "region %s: unknown kind %s: use cloud, "
                            "sovereign-cloud, on-prem, edge or multi-region", a[0], a[2]);
    if (kind == REGION_MULTI)
        return sm_error_set(err, SM_EINVAL, "region %s: a multi-region needs its members; "
                            "add it to the catalog instead", a[0]);
    r.kind = (uint8_t)kind;
    /* the operator answers to the same law as the provider's other regions;
     * an unknown provider (on-prem, a local cloud) to the region's country */
    r.operator_home = r.country;
    for (int32_t i = 0; i < m->nregions; i++)
        if (!m->regions[i].deleted && m->regions[i].provider &&
            strcmp(m->regions[i].provider, provider) == 0) {
            r.operator_home = m->regions[i].operator_home;
            break;
        }
    return model_add_region(m, &r, NULL, err);
}

static int
op_retire_region(struct scenario_eval *ev, const char *const *a, int n, struct sm_error *err)
{
    struct model *m = ev->m;
    struct rulepack *rp;
    const char **v;
    int32_t r;
    int rc;

    (void)n;
    if ((rc = find(ev, OBJ_REGION, a[0], &r, err)))
        return rc;
    if (scenario_retired(ev, r))
        return sm_error_set(err, SM_EINVAL, "%s is retired already", a[0]);
    if (sm_grow((void **)&ev->retired, &ev->cap_retired, ev->nretired + 1, sizeof *ev->retired))
        return oom(err);
    /* the org no longer allows the region: every copy left there is a
     * RES004 error, and the diff lists it as a copy that must move */
    if ((rc = own_pack(ev, err)))
        return rc;
    rp = ev->rp_own;
    v = sm_arena_alloc(&rp->arena, (rp->deny_regions.n + 1) * sizeof *v);
    if (!v)
        return oom(err);
    if (rp->deny_regions.n)
        memcpy(v, rp->deny_regions.v, rp->deny_regions.n * sizeof *v);
    if (!(v[rp->deny_regions.n] = sm_arena_strdup(&rp->arena, m->regions[r].id)))
        return oom(err);
    rp->deny_regions.v = v;
    rp->deny_regions.n++;
    ev->retired[ev->nretired++] = r;
    ev->op_obj_kind[ev->nops] = OBJ_REGION;
    ev->op_obj[ev->nops] = r;
    for (int32_t p = 0; p < m->nplacements; p++)
        if (!m->placements[p].deleted && m->placements[p].region == r &&
            (rc = touch(ev, m->placements[p].dataset)))
            return oom(err);
    return SM_OK;
}

static int
op_set(struct scenario_eval *ev, const char *const *a, int n, struct sm_error *err)
{
    int kind = model_enum_parse(obj_kind_names, OBJ_KIND_COUNT, a[0]);
    int32_t id;
    int rc;

    (void)n;
    if (kind == SM_NONE || kind == OBJ_WAIVER || kind == OBJ_SCENARIO)
        return sm_error_set(err, SM_EINVAL, "set: unknown kind %s: use region, tier, "
                            "dataset, placement or flow", a[0]);
    /* as an edit (the same model_set, with its exact undo) when it can be */
    if (!op_edit(ev, EDIT_SET, (enum obj_kind)kind, a[1], a[2], a[3], &id) &&
        ((rc = find(ev, (enum obj_kind)kind, a[1], &id, err)) ||
         (rc = model_set(ev->m, (enum obj_kind)kind, id, a[2], a[3], err))))
        return rc;
    ev->op_obj_kind[ev->nops] = (uint8_t)kind;
    ev->op_obj[ev->nops] = id;
    switch (kind) {
    case OBJ_DATASET:   return touch(ev, id);
    case OBJ_PLACEMENT: return touch_placement(ev, id);
    case OBJ_FLOW:      return touch_flow(ev, id);
    default:            ev->op_global[ev->nops] = 1; return SM_OK;
    }
}

/* Role swap: the copy becomes the primary, the primary takes its role
 * (an in-country replica promoted for a localization law). */
static int
op_promote(struct scenario_eval *ev, const char *const *a, int n, struct sm_error *err)
{
    struct model *m = ev->m;
    int32_t p, prim;
    uint8_t role;
    int rc;

    (void)n;
    if ((rc = find(ev, OBJ_PLACEMENT, a[0], &p, err)))
        return rc;
    role = m->placements[p].role;
    if (role == ROLE_PRIMARY)
        return sm_error_set(err, SM_EINVAL, "%s is already the primary copy", a[0]);
    prim = model_primary(m, m->placements[p].dataset);
    if (prim != SM_NONE) {
        for (int32_t i = m->datasets[m->placements[p].dataset].first_placement; i != SM_NONE;
             i = m->placements[i].next)
            if (i != prim && i != p && !m->placements[i].deleted &&
                m->placements[i].region == m->placements[prim].region &&
                m->placements[i].role == role)
                return sm_error_set(err, SM_EEXIST, "%s already has a %s copy in %s",
                                    m->datasets[m->placements[p].dataset].name,
                                    role_names[role], m->regions[m->placements[prim].region].id);
        m->placements[prim].role = role;
    }
    m->placements[p].role = ROLE_PRIMARY;
    ev->op_obj_kind[ev->nops] = OBJ_PLACEMENT;
    ev->op_obj[ev->nops] = p;
    return touch_placement(ev, p);
}

const char *const scenario_tier_policy_attrs[] = {
    "scope", "backup-scope", "approved", "key-scope", "encryption-at-rest",
    "transit-encryption", "sovereign", "retention-min", "retention-max", NULL,
};

/* A stricter (or looser) mapping tried as one op: every ATTR=VALUE in one
 * edit of the tier, so the op is undone exactly and a bad pair changes
 * nothing. Every dataset may be judged anew: a global op. */
static int
op_set_tier_policy(struct scenario_eval *ev, const char *const *a, int n,
                   struct sm_error *err)
{
    struct edit e;
    struct edit_result *res;
    int32_t id;
    int rc;

    if ((rc = find(ev, OBJ_TIER, a[0], &id, err)))
        return rc;
    memset(&e, 0, sizeof e);
    e.op = EDIT_SET;
    e.kind = OBJ_TIER;
    e.key = ev->m->tiers[id].name;
    for (int i = 1; i < n; i++) {
        const char *eq = strchr(a[i], '=');
        char *name;
        int k;

        if (!eq || eq == a[i])
            return sm_error_set(err, SM_EINVAL, "set-tier-policy %s: %s is not ATTR=VALUE",
                                a[0], a[i]);
        if (!(name = sm_arena_alloc(&ev->arena, (size_t)(eq - a[i]) + 1)))
            return sm_error_set(err, SM_ENOMEM, "out of memory");
        memcpy(name, a[i], (size_t)(eq - a[i]));
        name[eq - a[i]] = '\0';
        for (k = 0; scenario_tier_policy_attrs[k]; k++)
            if (!strcmp(scenario_tier_policy_attrs[k], name))
                break;
        if (!scenario_tier_policy_attrs[k])
            return sm_error_set(err, SM_EINVAL, "set-tier-policy %s: %s is not a tier policy "
                                "attribute: use scope, backup-scope, approved, key-scope, "
                                "encryption-at-rest, transit-encryption, sovereign, "
                                "retention-min or retention-max", a[0], name);
        e.attrs[e.nattrs].name = name;
        e.attrs[e.nattrs++].value = eq + 1;
    }
    if (!(res = calloc(1, sizeof *res)))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    if ((rc = edit_apply(ev->m, &e, res, err))) {
        free(res);
        return rc;
    }
    ev->op_undo[ev->nops] = res;
    ev->op_obj_kind[ev->nops] = OBJ_TIER;
    ev->op_obj[ev->nops] = id;
    ev->op_global[ev->nops] = 1;
    return SM_OK;
}

static const op_fn op_fns[SOP_COUNT] = {
    [SOP_MOVE] = op_move,
    [SOP_ADD_PLACEMENT] = op_add_placement,
    [SOP_REMOVE_PLACEMENT] = op_remove_placement,
    [SOP_SET_TIER] = op_set_tier,
    [SOP_SET_SUBJECTS] = op_set_subjects,
    [SOP_ADD_FLOW] = op_add_flow,
    [SOP_REMOVE_FLOW] = op_remove_flow,
    [SOP_SET_MECHANISM] = op_set_mechanism,
    [SOP_ADD_TRANSFORM] = op_add_transform,
    [SOP_REVOKE_ADEQUACY] = op_revoke_adequacy,
    [SOP_GRANT_ADEQUACY] = op_grant_adequacy,
    [SOP_ADD_REGION] = op_add_region,
    [SOP_RETIRE_REGION] = op_retire_region,
    [SOP_SET] = op_set,
    [SOP_PROMOTE] = op_promote,
    [SOP_SET_TIER_POLICY] = op_set_tier_policy,
};

int
scenario_apply(struct scenario_eval *ev, int argc, const char *const *argv,
               struct sm_error *err)
{
    enum scenario_op op;
    struct sm_strv copy;
    int32_t ds0 = ev->nds;
    int rc;

    if (ev->borrowed)
        return sm_error_set(err, SM_EINVAL, "the base model cannot take scenario ops");
    if ((rc = scenario_op_parse(argc, argv, &op, err)))
        return rc;
    /* room for this op's bookkeeping before anything changes */
    if (ev->nops + 1 > ev->cap_ops) {
        int32_t cap = ev->cap_ops ? ev->cap_ops * 2 : 16;
        struct sm_strv *ops = realloc(ev->ops, cap * sizeof *ops);
        int32_t *first;
        uint8_t *glob;
        if (!ops)
            return oom(err);
        ev->ops = ops;
        if (!(first = realloc(ev->ds_first, (cap + 1) * sizeof *first)))
            return oom(err);
        ev->ds_first = first;
        if (!(glob = realloc(ev->op_global, cap * sizeof *glob)))
            return oom(err);
        ev->op_global = glob;
        if (!(glob = realloc(ev->op_obj_kind, cap * sizeof *glob)))
            return oom(err);
        ev->op_obj_kind = glob;
        if (!(first = realloc(ev->op_obj, cap * sizeof *first)))
            return oom(err);
        ev->op_obj = first;
        {
            struct edit_result **u = realloc(ev->op_undo, cap * sizeof *u);
            if (!u)
                return oom(err);
            ev->op_undo = u;
        }
        ev->cap_ops = cap;
    }
    copy.n = (uint32_t)argc;
    copy.v = sm_arena_alloc(&ev->arena, (size_t)argc * sizeof *copy.v);
    if (!copy.v)
        return oom(err);
    for (int i = 0; i < argc; i++)
        if (!(copy.v[i] = sm_arena_strdup(&ev->arena, argv[i] ? argv[i] : "")))
            return oom(err);
    ev->op_global[ev->nops] = 0;
    ev->op_obj_kind[ev->nops] = SCENARIO_OBJ_NONE;
    ev->op_obj[ev->nops] = SM_NONE;
    ev->op_undo[ev->nops] = NULL;
    rc = op_fns[op](ev, copy.v + 1, argc - 1, err);
    if (rc) {
        char line[512];
        if (ev->op_undo[ev->nops]) {
            edit_result_fini(ev->op_undo[ev->nops]);
            free(ev->op_undo[ev->nops]);
            ev->op_undo[ev->nops] = NULL;
        }
        ev->nds = ds0;
        scenario_op_format(argc, argv, line, sizeof line);
        return sm_error_prefix(err, "%s", line);
    }
    ev->ops[ev->nops] = copy;
    ev->nops++;
    ev->ds_first[ev->nops] = ev->nds;
    return SM_OK;
}

int32_t
scenario_chain(const struct model *m, const char *name, int32_t *ids, int32_t n,
               struct sm_error *err)
{
    int32_t chain[SCENARIO_MAX_CHAIN];
    int32_t len = 0, s;
    const char *cur = name;

    while (cur && *cur) {
        if ((s = model_scenario(m, cur)) == SM_NONE) {
            if (cur == name)
                model_find(m, OBJ_SCENARIO, cur, &s, err);
            else
                sm_error_set(err, SM_ENOTFOUND, "scenario %s: its base %s is gone", name, cur);
            return -1;
        }
        for (int32_t k = 0; k < len; k++) {
            if (chain[k] == s) {
                char path[512];
                size_t at = 0;
                path[0] = '\0';
                for (int32_t j = k; j < len && at < sizeof path; j++)
                    at += (size_t)snprintf(path + at, sizeof path - at, "%s -> ",
                                           m->scenarios[chain[j]].name);
                sm_error_set(err, SM_EINVAL, "scenario %s: its bases form a cycle %s%s", name,
                             path, m->scenarios[s].name);
                return -1;
            }
        }
        if (len == SCENARIO_MAX_CHAIN) {
            sm_error_set(err, SM_ELIMIT, "scenario %s: more than %d bases deep", name,
                         SCENARIO_MAX_CHAIN);
            return -1;
        }
        chain[len++] = s;
        cur = m->scenarios[s].base;
    }
    for (int32_t k = 0; k < len && k < n; k++)
        ids[k] = chain[len - 1 - k];
    return len;
}

int
scenario_apply_chain(struct scenario_eval *ev, const struct model *catalog, const char *name,
                     struct sm_error *err)
{
    int32_t ids[SCENARIO_MAX_CHAIN];
    int32_t len = scenario_chain(catalog, name, ids, SCENARIO_MAX_CHAIN, err);
    int rc;

    if (len < 0)
        return err ? err->code : SM_EINVAL;
    for (int32_t k = 0; k < len; k++) {
        const struct scenario *s = &catalog->scenarios[ids[k]];
        for (uint32_t i = 0; i < s->nops; i++) {
            if ((rc = scenario_apply(ev, (int)s->ops[i].n, s->ops[i].v, err)))
                return sm_error_prefix(err, "scenario %s, op %u", s->name, i + 1);
        }
    }
    return SM_OK;
}

int
scenario_check(struct scenario_eval *ev, int32_t today, struct sm_error *err)
{
    struct check_result *res;
    const struct model *m = ev->m;
    int rc;

    if ((rc = check_run(m, ev->rp, today, &res, err)))
        return rc;
    if (!ev->res_borrowed)
        check_result_free(ev->res);
    ev->res_borrowed = false;
    ev->res = res;
    ev->today = today;
    ev->stale = false;
    ev->nstranded = 0;
    ev->nstranded_keys = 0;
    if (ev->nretired) {
        int32_t cap = 0, capk = 0;
        free(ev->stranded);
        free(ev->stranded_keys);
        ev->stranded = NULL;
        ev->stranded_keys = NULL;
        for (int32_t p = 0; p < m->nplacements; p++) {
            const struct placement *pl = &m->placements[p];
            if (pl->deleted || m->datasets[pl->dataset].deleted)
                continue;
            if (scenario_retired(ev, pl->region)) {
                if (sm_grow((void **)&ev->stranded, &cap, ev->nstranded + 1,
                            sizeof *ev->stranded))
                    return oom(err);
                ev->stranded[ev->nstranded++] = p;
            } else if (pl->key_region != SM_NONE && scenario_retired(ev, pl->key_region)) {
                /* leaving a region takes its key service with it */
                if (sm_grow((void **)&ev->stranded_keys, &capk, ev->nstranded_keys + 1,
                            sizeof *ev->stranded_keys))
                    return oom(err);
                ev->stranded_keys[ev->nstranded_keys++] = p;
            }
        }
    }
    return SM_OK;
}

int
scenario_eval(const struct model *base, const struct rulepack *rp, const char *name,
              int32_t today, struct scenario_eval **out, struct sm_error *err)
{
    struct scenario_eval *ev = NULL;
    int rc;

    if (!name || !*name)
        rc = scenario_begin_base(base, rp, &ev, err);
    else
        rc = scenario_begin(base, rp, name, &ev, err);
    if (rc)
        return rc;
    if ((name && *name && (rc = scenario_apply_chain(ev, base, name, err))) ||
        (rc = scenario_check(ev, today, err))) {
        scenario_eval_free(ev);
        return rc;
    }
    *out = ev;
    return SM_OK;
}

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

static struct fref *
frefs(const struct check_result *r, const struct model *origin)
{
    struct fref *v = malloc(((size_t)r->nfindings + 1) * sizeof *v);

    if (!v)
        return NULL;
    for (int32_t i = 0; i < r->nfindings; i++) {
        const struct finding *f = &r->findings[i];
        v[i].f = f;
        v[i].idx = i;
        v[i].matched = 0;
        v[i].id = (f->object >= 0 && f->object < origin_count(origin, f->kind)) ? f->object : -1;
    }
    qsort(v, (size_t)r->nfindings, sizeof *v, cmp_ident);
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

static int
diff_findings(struct diff_ctx *x)
{
    const struct check_result *rb = x->before->res, *ra = x->after->res;
    struct fref *b = frefs(rb, x->origin), *a = frefs(ra, x->origin);
    int32_t i = 0, j = 0;
    int rc = SM_ENOMEM;

    if (!b || !a)
        goto out;
    while (i < rb->nfindings || j < ra->nfindings) {
        int c;
        if (i >= rb->nfindings)
            c = 1;
        else if (j >= ra->nfindings)
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
        while (ie < rb->nfindings && same_ident(&b[ie], &b[i]))
            ie++;
        while (je < ra->nfindings && same_ident(&a[je], &a[j]))
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
    /* the rest, in each result's own order (severity, rule, selector) */
    {
        uint8_t *seen_b = calloc((size_t)rb->nfindings + 1, 1);
        uint8_t *seen_a = calloc((size_t)ra->nfindings + 1, 1);
        if (!seen_b || !seen_a) {
            free(seen_b);
            free(seen_a);
            goto out;
        }
        for (int32_t k = 0; k < rb->nfindings; k++)
            seen_b[b[k].idx] = b[k].matched;
        for (int32_t k = 0; k < ra->nfindings; k++)
            seen_a[a[k].idx] = a[k].matched;
        rc = SM_OK;
        for (int32_t k = 0; k < ra->nfindings && !rc; k++)
            if (!seen_a[k])
                rc = add_item(x, SDIFF_NEW, SM_NONE, k);
        for (int32_t k = 0; k < rb->nfindings && !rc; k++)
            if (!seen_b[k])
                rc = add_item(x, SDIFF_RESOLVED, k, SM_NONE);
        free(seen_b);
        free(seen_a);
    }
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
    char buf[1024];

    model_selector(m, kind, id, buf, sizeof buf);
    return sm_arena_strdup(&x->d->arena, buf);
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

static bool
flow_eq(const struct model *mb, const struct flow *a, const struct model *ma,
        const struct flow *b)
{
    char sa[1024], sb[1024];

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
    model_selector(mb, OBJ_PLACEMENT, a->from, sa, sizeof sa);
    model_selector(ma, OBJ_PLACEMENT, b->from, sb, sizeof sb);
    if (strcmp(sa, sb))
        return false;
    if ((a->to == SM_NONE) != (b->to == SM_NONE))
        return false;
    if (a->to == SM_NONE)
        return sm_streq(mb->regions[a->to_region].id, ma->regions[b->to_region].id);
    model_selector(mb, OBJ_PLACEMENT, a->to, sa, sizeof sa);
    model_selector(ma, OBJ_PLACEMENT, b->to, sb, sizeof sb);
    return strcmp(sa, sb) == 0;
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

/* ---- groups of datasets linked by flows, and models of one group -------------------- */

static int32_t
flow_dataset(const struct model *m, int32_t placement)
{
    if (placement < 0 || placement >= m->nplacements)
        return SM_NONE;
    return m->placements[placement].dataset;
}

int
scenario_links_build(const struct model *m, struct scenario_links *l)
{
    int32_t nd = m->ndatasets;
    int32_t *deg = calloc((size_t)nd + 1, sizeof *deg);

    memset(l, 0, sizeof *l);
    l->first = calloc((size_t)nd + 1, sizeof *l->first);
    l->flows = malloc(((size_t)m->nflows * 2 + 1) * sizeof *l->flows);
    l->ndatasets = nd;
    if (!deg || !l->first || !l->flows) {
        free(deg);
        scenario_links_fini(l);
        return SM_ENOMEM;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (int32_t f = 0; f < m->nflows; f++) {
            int32_t a, b;
            if (m->flows[f].deleted)
                continue;
            a = flow_dataset(m, m->flows[f].from);
            b = flow_dataset(m, m->flows[f].to);
            if (pass == 0) {
                if (a >= 0)
                    deg[a]++;
                if (b >= 0 && b != a)
                    deg[b]++;
                continue;
            }
            if (a >= 0)
                l->flows[l->first[a] + deg[a]++] = f;
            if (b >= 0 && b != a)
                l->flows[l->first[b] + deg[b]++] = f;
        }
        if (pass == 0) {
            for (int32_t d = 0; d < nd; d++)
                l->first[d + 1] = l->first[d] + deg[d];
            memset(deg, 0, (size_t)nd * sizeof *deg);
        }
    }
    free(deg);
    return SM_OK;
}

void
scenario_links_fini(struct scenario_links *l)
{
    free(l->first);
    free(l->flows);
    memset(l, 0, sizeof *l);
}

int
scenario_group(const struct model *m, const struct scenario_links *l, uint8_t *mark,
               const int32_t *seeds, int32_t nseeds, int32_t **out, int32_t *n)
{
    int32_t *q = NULL, cap = 0, len = 0;

    for (int32_t i = 0; i < nseeds; i++) {
        int32_t d = seeds[i];
        if (d < 0 || d >= l->ndatasets || mark[d] || m->datasets[d].deleted)
            continue;
        if (sm_grow((void **)&q, &cap, len + 1, sizeof *q)) {
            free(q);
            return SM_ENOMEM;
        }
        mark[d] = 1;
        q[len++] = d;
    }
    for (int32_t i = 0; i < len; i++) {
        int32_t x = q[i];
        for (int32_t k = l->first[x]; k < l->first[x + 1]; k++) {
            const struct flow *f = &m->flows[l->flows[k]];
            int32_t ends[2] = { flow_dataset(m, f->from), flow_dataset(m, f->to) };
            for (int e = 0; e < 2; e++) {
                int32_t y = ends[e];
                if (y < 0 || y >= l->ndatasets || mark[y] || m->datasets[y].deleted)
                    continue;
                if (sm_grow((void **)&q, &cap, len + 1, sizeof *q)) {
                    free(q);
                    return SM_ENOMEM;
                }
                mark[y] = 1;
                q[len++] = y;
            }
        }
    }
    *out = q;
    *n = len;
    return SM_OK;
}

int
scenario_submodel(const struct model *m, const struct scenario_links *l, const int32_t *ds,
                  int32_t n, int32_t *pmap, struct model **out, struct sm_error *err)
{
    struct model *s = model_new();
    int rc = SM_OK;

    if (!s)
        return oom(err);
    for (int32_t r = 0; r < m->nregions && !rc; r++) {
        struct region c = m->regions[r];
        if (!c.deleted)
            rc = model_add_region(s, &c, NULL, err);
    }
    for (int32_t t = 0; t < m->ntiers && !rc; t++) {
        struct tier c = m->tiers[t];
        if (!c.deleted)
            rc = model_add_tier(s, &c, NULL, err);
    }
    for (int32_t i = 0; i < n && !rc; i++) {
        const struct dataset *d = &m->datasets[ds[i]];
        struct dataset c = *d;
        int32_t nd;
        c.tier = d->tier == SM_NONE ? SM_NONE : model_tier(s, m->tiers[d->tier].name);
        if ((rc = model_add_dataset(s, &c, &nd, err)))
            break;
        for (int32_t f = d->first_field; f != SM_NONE && !rc; f = m->fields[f].next)
            rc = model_add_field(s, nd, m->fields[f].name, NULL, err);
        for (int32_t t = d->first_tag; t != SM_NONE && !rc; t = m->tags[t].next) {
            const struct tag *g = &m->tags[t];
            int32_t fid = g->field == SM_NONE ? SM_NONE
                                              : model_field(s, nd, m->fields[g->field].name);
            rc = model_add_tag(s, nd, fid, g->tag, g->source, g->entity, g->time, NULL, err);
        }
        for (int32_t p = d->first_placement; p != SM_NONE && !rc; p = m->placements[p].next) {
            struct placement c2 = m->placements[p];
            if (c2.deleted)
                continue;
            c2.dataset = nd;
            c2.region = model_region(s, m->regions[c2.region].id);
            if (c2.key_region != SM_NONE)
                c2.key_region = model_region(s, m->regions[c2.key_region].id);
            rc = model_add_placement(s, &c2, &pmap[p], err);
        }
    }
    for (int32_t i = 0; i < n && !rc; i++) {
        int32_t d = ds[i];
        for (int32_t k = l->first[d]; k < l->first[d + 1] && !rc; k++) {
            const struct flow *f = &m->flows[l->flows[k]];
            struct flow c = *f;
            /* each flow once: from its source's dataset */
            if (f->deleted || flow_dataset(m, f->from) != d)
                continue;
            c.from = pmap[f->from];
            c.to = f->to == SM_NONE ? SM_NONE : pmap[f->to];
            c.to_region = f->to_region == SM_NONE ? SM_NONE
                                                  : model_region(s, m->regions[f->to_region].id);
            if (c.from == SM_NONE || (f->to != SM_NONE && c.to == SM_NONE))
                continue;   /* an end outside the group: not a closed group */
            rc = model_add_flow(s, &c, NULL, err);
        }
    }
    for (int32_t k = 0; k < m->nwaivers && !rc; k++) {
        static const enum obj_kind kinds[] = { OBJ_PLACEMENT, OBJ_DATASET, OBJ_FLOW };
        const struct waiver *w = &m->waivers[k];
        int32_t id;
        if (w->deleted)
            continue;
        for (size_t j = 0; j < sizeof kinds / sizeof *kinds; j++)
            if (model_find(s, kinds[j], w->object, &id, NULL) == SM_OK) {
                rc = model_add_waiver(s, w, NULL, err);
                break;
            }
    }
    for (int32_t i = 0; i < n; i++)
        for (int32_t p = m->datasets[ds[i]].first_placement; p != SM_NONE;
             p = m->placements[p].next)
            pmap[p] = SM_NONE;
    if (rc) {
        model_free(s);
        return rc;
    }
    *out = s;
    return SM_OK;
}

/* ---- incremental re-check --------------------------------------------------------------- */

static void
seed_placement(const struct model *m, const char *sel, int32_t *seeds, int32_t *n)
{
    int32_t p = model_placement(m, sel);

    if (p != SM_NONE)
        seeds[(*n)++] = m->placements[p].dataset;
}

static void
seed_flow(const struct model *m, const char *name, int32_t *seeds, int32_t *n)
{
    int32_t f = model_flow(m, name);

    if (f == SM_NONE) {
        seed_placement(m, name, seeds, n);
        return;
    }
    seeds[(*n)++] = m->placements[m->flows[f].from].dataset;
    if (m->flows[f].to != SM_NONE)
        seeds[(*n)++] = m->placements[m->flows[f].to].dataset;
}

/* The datasets an op can change, before it runs (a few ids in seeds[4]),
 * or -1 when it changes the rules for everyone. *region: for retire-region,
 * every dataset with a copy there (the caller scans). */
static int32_t
op_seeds(const struct model *m, enum scenario_op op, const char *const *a, int32_t *seeds,
         int32_t *region)
{
    int32_t n = 0, d;

    *region = SM_NONE;
    switch (op) {
    case SOP_MOVE:
    case SOP_ADD_PLACEMENT:
    case SOP_SET_TIER:
    case SOP_SET_SUBJECTS:
        if ((d = model_dataset(m, a[0])) != SM_NONE)
            seeds[n++] = d;
        return n;
    case SOP_REMOVE_PLACEMENT:
    case SOP_PROMOTE:
        seed_placement(m, a[0], seeds, &n);
        return n;
    case SOP_ADD_FLOW:
        seed_placement(m, a[0], seeds, &n);
        if (strchr(a[1], '@'))
            seed_placement(m, a[1], seeds, &n);
        return n;
    case SOP_REMOVE_FLOW:
    case SOP_SET_MECHANISM:
    case SOP_ADD_TRANSFORM:
        seed_flow(m, a[0], seeds, &n);
        return n;
    case SOP_ADD_REGION:
        return 0;       /* a new region holds nothing yet */
    case SOP_RETIRE_REGION:
        *region = model_region(m, a[0]);
        return 0;
    case SOP_SET: {
        int kind = model_enum_parse(obj_kind_names, OBJ_KIND_COUNT, a[0]);
        if (kind == OBJ_DATASET && (d = model_dataset(m, a[1])) != SM_NONE)
            seeds[n++] = d;
        else if (kind == OBJ_PLACEMENT)
            seed_placement(m, a[1], seeds, &n);
        else if (kind == OBJ_FLOW)
            seed_flow(m, a[1], seeds, &n);
        else
            return -1;
        return n;
    }
    default:
        return -1;      /* adequacy: everyone's transfers */
    }
}

/* Check the datasets ds[0..n) on a model of their own. With facts (a
 * check of ev->m before the op), ds[nfree..n) are partners whose effective
 * tier and subjects are frozen from it: lineage from beyond them counts. */
static int
check_group(const struct scenario_eval *ev, const struct scenario_links *l, const int32_t *ds,
            int32_t n, int32_t nfree, const struct check_result *facts, int32_t *pmap,
            int32_t today, int32_t counts[SEV_COUNT], struct sm_error *err)
{
    struct model *sub = NULL;
    struct check_result *r = NULL;
    int rc;

    if ((rc = scenario_submodel(ev->m, l, ds, n, pmap, &sub, err)))
        return rc;
    for (int32_t i = nfree; facts && i < n && !rc; i++) {
        const char *name = ev->m->datasets[ds[i]].name;
        int32_t si = model_dataset(sub, name), t;
        char subj[256];
        if (si == SM_NONE || ds[i] >= facts->ndatasets)
            continue;
        t = facts->eff_tier ? facts->eff_tier[ds[i]] : SM_NONE;
        if (t != SM_NONE && (rc = model_set(sub, OBJ_DATASET, si, "tier", ev->m->tiers[t].name,
                                            err)))
            break;
        check_eff_subjects(facts, ds[i], subj, sizeof subj);
        rc = model_set(sub, OBJ_DATASET, si, "subjects", subj, err);
    }
    if (!rc && (rc = check_run(sub, ev->rp, today, &r, err)) == SM_OK) {
        for (int s = 0; s < SEV_COUNT; s++)
            counts[s] = r->stats.count[s];
    }
    check_result_free(r);
    model_free(sub);
    return rc;
}

/* Does the op leave every dataset's effective tier and subjects as they
 * are (it moves, adds or configures copies, or a flow's mechanism)? Then
 * only the touched datasets and their direct flow partners can change. */
static bool
lineage_neutral(enum scenario_op op, const char *const *a)
{
    static const char *const flow_attrs[] = {
        "mechanism", "mechanism-ref", "transit-encrypted", "valid-from", "valid-to",
        "public-recipient", NULL,
    };

    switch (op) {
    case SOP_MOVE:
    case SOP_ADD_PLACEMENT:
    case SOP_SET_MECHANISM:
    case SOP_RETIRE_REGION:
    case SOP_PROMOTE:
        return true;
    case SOP_SET:
        if (strcmp(a[0], "placement") == 0)
            return true;
        if (strcmp(a[0], "flow") == 0)
            for (int i = 0; flow_attrs[i]; i++)
                if (strcmp(a[2], flow_attrs[i]) == 0)
                    return true;
        return false;
    default:
        return false;
    }
}

/* seeds and their direct flow partners, seeds first (marked in mark[]). */
static int
neighbourhood(const struct model *m, const struct scenario_links *l, uint8_t *mark,
              const int32_t *seeds, int32_t nseeds, int32_t **out, int32_t *n, int32_t *nfree)
{
    int32_t *v = NULL, cap = 0, len = 0;

    for (int pass = 0; pass < 2; pass++) {
        for (int32_t i = 0; i < nseeds; i++) {
            int32_t d = seeds[i];
            if (d < 0 || d >= l->ndatasets)
                continue;
            if (pass == 0) {
                if (mark[d] || m->datasets[d].deleted)
                    continue;
                if (sm_grow((void **)&v, &cap, len + 1, sizeof *v))
                    goto oom;
                mark[d] = 1;
                v[len++] = d;
                continue;
            }
            for (int32_t k = l->first[d]; k < l->first[d + 1]; k++) {
                const struct flow *f = &m->flows[l->flows[k]];
                int32_t ends[2] = { m->placements[f->from].dataset,
                                    f->to == SM_NONE ? SM_NONE : m->placements[f->to].dataset };
                for (int e = 0; e < 2; e++) {
                    int32_t y = ends[e];
                    if (y < 0 || mark[y] || m->datasets[y].deleted)
                        continue;
                    if (sm_grow((void **)&v, &cap, len + 1, sizeof *v))
                        goto oom;
                    mark[y] = 1;
                    v[len++] = y;
                }
            }
        }
        if (pass == 0)
            *nfree = len;
    }
    *out = v;
    *n = len;
    return SM_OK;
oom:
    free(v);
    return SM_ENOMEM;
}

int
scenario_apply_delta(struct scenario_eval *ev, int argc, const char *const *argv,
                     int32_t today, struct scenario_delta *d, struct sm_error *err)
{
    struct scenario_links l = { NULL, NULL, 0 };
    enum scenario_op op;
    int32_t seeds[4], nseeds, region, *group = NULL, ngroup = 0, *pmap = NULL, ncap, nfree = 0;
    const struct check_result *facts = NULL;
    int32_t before_total[SEV_COUNT];
    bool had = ev->res && !ev->stale;
    uint8_t *mark = NULL;
    int rc;

    memset(d, 0, sizeof *d);
    for (int s = 0; s < SEV_COUNT; s++) {
        before_total[s] = had ? ev->res->stats.count[s] : -1;
        d->total[s] = -1;
    }
    if (ev->borrowed)
        return sm_error_set(err, SM_EINVAL, "the base model cannot take scenario ops");
    if ((rc = scenario_op_parse(argc, argv, &op, err)))
        return rc;
    nseeds = op_seeds(ev->m, op, argv + 1, seeds, &region);
    if (nseeds < 0) {
        /* the law changed for every dataset: check it all */
        if ((rc = scenario_apply(ev, argc, argv, err)) || (rc = scenario_check(ev, today, err)))
            return rc;
        d->ndatasets = -1;
        for (int s = 0; s < SEV_COUNT; s++) {
            d->before[s] = before_total[s];
            d->after[s] = d->total[s] = ev->res->stats.count[s];
        }
        return SM_OK;
    }
    rc = SM_ENOMEM;
    /* room for copies the op may add: pmap covers the model after it too */
    ncap = ev->m->nplacements + 16;
    if (scenario_links_build(ev->m, &l) ||
        !(mark = calloc((size_t)ev->m->ndatasets + 1, 1)) ||
        !(pmap = malloc((size_t)ncap * sizeof *pmap)))
        goto fail;
    for (int32_t i = 0; i < ncap; i++)
        pmap[i] = SM_NONE;
    {
        int32_t *rs = seeds, nrs = nseeds, cap = 0;
        if (region != SM_NONE) {
            rs = NULL;
            nrs = 0;
            for (int32_t p = 0; p < ev->m->nplacements; p++) {
                if (ev->m->placements[p].deleted || ev->m->placements[p].region != region)
                    continue;
                if (sm_grow((void **)&rs, &cap, nrs + 1, sizeof *rs)) {
                    free(rs);
                    goto fail;
                }
                rs[nrs++] = ev->m->placements[p].dataset;
            }
        }
        /* with a current check to take the partners' facts from, an op
         * that changes no lineage needs only the neighbourhood */
        if (had && lineage_neutral(op, argv + 1)) {
            facts = ev->res;
            rc = neighbourhood(ev->m, &l, mark, rs, nrs, &group, &ngroup, &nfree);
        } else {
            rc = scenario_group(ev->m, &l, mark, rs, nrs, &group, &ngroup);
            nfree = ngroup;
        }
        if (rs != seeds)
            free(rs);
    }
    if (rc || (rc = check_group(ev, &l, group, ngroup, nfree, facts, pmap, today, d->before,
                                err)))
        goto fail;
    if ((rc = scenario_apply(ev, argc, argv, err)))
        goto fail;
    ev->stale = true;
    /* flows may have come or gone: the group is still closed (they link
     * datasets of it), but the lists of flows must be rebuilt */
    if (op == SOP_ADD_FLOW || op == SOP_REMOVE_FLOW || op == SOP_REMOVE_PLACEMENT ||
        op == SOP_ADD_PLACEMENT) {
        scenario_links_fini(&l);
        if (scenario_links_build(ev->m, &l)) {
            rc = SM_ENOMEM;
            goto fail;
        }
    }
    if (ev->m->nplacements > ncap) {
        int32_t *np = realloc(pmap, (size_t)ev->m->nplacements * sizeof *np);
        if (!np) {
            rc = SM_ENOMEM;
            goto fail;
        }
        pmap = np;
        for (int32_t i = ncap; i < ev->m->nplacements; i++)
            pmap[i] = SM_NONE;
    }
    if ((rc = check_group(ev, &l, group, ngroup, nfree, facts, pmap, today, d->after, err)))
        goto fail;
    d->ndatasets = ngroup;
    if (had)
        for (int s = 0; s < SEV_COUNT; s++)
            d->total[s] = before_total[s] + d->after[s] - d->before[s];
fail:
    if (rc == SM_ENOMEM && (!err || err->code != SM_ENOMEM))
        oom(err);
    scenario_links_fini(&l);
    free(mark);
    free(pmap);
    free(group);
    return rc;
}

/* What an op names, resolved in ev->m as it is now (before the op: old
 * ends; after it: new ones). */
static int
op_touch(const struct scenario_eval *ev, enum scenario_op op, const char *const *a,
         struct check_touch *t)
{
    const struct model *m = ev->m;
    int32_t seeds[4], region, n = op_seeds(m, op, a, seeds, &region);

    if (n < 0 || region != SM_NONE) {
        t->global = true;
        return SM_OK;
    }
    for (int32_t i = 0; i < n; i++)
        if (check_touch_object(t, m, OBJ_DATASET, seeds[i]))
            return SM_ENOMEM;
    if (op == SOP_SET) {
        int kind = model_enum_parse(obj_kind_names, OBJ_KIND_COUNT, a[0]);
        if (kind != SM_NONE && check_touch_selector(t, m, (enum obj_kind)kind, a[1]))
            return SM_ENOMEM;
    } else if ((op == SOP_REMOVE_FLOW || op == SOP_SET_MECHANISM || op == SOP_ADD_TRANSFORM) &&
               check_touch_selector(t, m, OBJ_FLOW, a[0])) {
        return SM_ENOMEM;
    }
    return SM_OK;
}

int
scenario_apply_update(struct scenario_eval *ev, int argc, const char *const *argv,
                      struct check_change *chg, struct sm_error *err)
{
    struct check_touch t = { 0 };
    enum scenario_op op;
    int rc;

    memset(chg, 0, sizeof *chg);
    chg->ngroup = -1;
    if (!ev->res || ev->stale)
        return scenario_apply(ev, argc, argv, err);
    if ((rc = scenario_op_parse(argc, argv, &op, err)))
        return rc;
    if ((rc = op_touch(ev, op, argv + 1, &t)))
        goto out;
    if ((rc = scenario_apply(ev, argc, argv, err)))
        goto out;
    /* after it: what it named, and what it recorded touching */
    if ((rc = op_touch(ev, op, argv + 1, &t)))
        goto out;
    {
        int32_t i = ev->nops - 1;
        if (ev->op_global[i])
            t.global = true;
        for (int32_t k = ev->ds_first[i]; k < ev->ds_first[i + 1] && !rc; k++)
            rc = check_touch_object(&t, ev->m, OBJ_DATASET, ev->ds[k]);
        if (!rc && ev->op_obj_kind[i] != SCENARIO_OBJ_NONE)
            rc = check_touch_object(&t, ev->m, (enum obj_kind)ev->op_obj_kind[i], ev->op_obj[i]);
        if (rc)
            goto out;
    }
    /* retired regions: the stranded copies are the full check's */
    if (!ev->nretired && (rc = check_update(ev->res, ev->m, &t, chg, err)))
        goto out;
    if (chg->ngroup < 0)
        ev->stale = true;
out:
    if (rc == SM_ENOMEM && (!err || err->code != SM_ENOMEM))
        oom(err);
    check_touch_fini(&t);
    return rc;
}

int
scenario_apply_check(struct scenario_eval *ev, int argc, const char *const *argv,
                     struct check_change *chg, struct sm_error *err)
{
    int rc;

    if (!ev->res || ev->stale) {
        memset(chg, 0, sizeof *chg);
        chg->ngroup = -1;
        return sm_error_set(err, SM_EINVAL, "scenario %s: not checked", ev->name);
    }
    if ((rc = scenario_apply_update(ev, argc, argv, chg, err)))
        return rc;
    if (chg->ngroup < 0)
        rc = scenario_check(ev, ev->today, err);
    return rc;
}

bool
scenario_can_undo(const struct scenario_eval *ev)
{
    return ev && ev->nops > 0 && ev->op_undo && ev->op_undo[ev->nops - 1];
}

/* What the undo of op i touches in ev->m as it is now. */
static int
undo_touch(const struct scenario_eval *ev, int32_t i, struct check_touch *t)
{
    const struct edit_result *res = ev->op_undo[i];

    if (ev->op_global[i] || res->overflow)
        t->global = true;
    if (check_touch_object(t, ev->m, res->kind, res->id))
        return SM_ENOMEM;
    for (int32_t k = 0; k < res->ntouched; k++)
        if (check_touch_object(t, ev->m, res->touched[k].kind, res->touched[k].id))
            return SM_ENOMEM;
    for (int32_t k = ev->ds_first[i]; k < ev->ds_first[i + 1]; k++)
        if (check_touch_object(t, ev->m, OBJ_DATASET, ev->ds[k]))
            return SM_ENOMEM;
    if (ev->op_obj_kind[i] != SCENARIO_OBJ_NONE &&
        check_touch_object(t, ev->m, (enum obj_kind)ev->op_obj_kind[i], ev->op_obj[i]))
        return SM_ENOMEM;
    return SM_OK;
}

int
scenario_undo_touch(const struct scenario_eval *ev, struct check_touch *t)
{
    if (!scenario_can_undo(ev))
        return SM_EINVAL;
    return undo_touch(ev, ev->nops - 1, t);
}

int
scenario_undo_last(struct scenario_eval *ev, struct check_touch *touched,
                   struct check_change *chg, struct sm_error *err)
{
    struct check_touch own = { 0 }, *tp = touched ? touched : &own;
#define t (*tp)
    int32_t i = ev->nops - 1;
    int rc;

    memset(chg, 0, sizeof *chg);
    chg->ngroup = -1;
    if (!scenario_can_undo(ev))
        return sm_error_set(err, SM_EINVAL, "scenario %s: the last op cannot be taken back",
                            ev->name);
    /* before the revert (a removed copy's flows), and after it */
    if ((rc = undo_touch(ev, i, &t)))
        goto out;
    if ((rc = edit_revert(ev->m, ev->op_undo[i], err)))
        goto out;
    rc = undo_touch(ev, i, &t);
    edit_result_fini(ev->op_undo[i]);
    free(ev->op_undo[i]);
    ev->op_undo[i] = NULL;
    ev->nops = i;
    ev->nds = ev->ds_first[i];
    if (rc || !ev->res || ev->stale) {
        ev->stale = true;
        goto out;
    }
    if (!ev->nretired && (rc = check_update(ev->res, ev->m, &t, chg, err)))
        goto out;
    if (chg->ngroup < 0)
        ev->stale = true;
out:
#undef t
    if (rc == SM_ENOMEM && (!err || err->code != SM_ENOMEM))
        oom(err);
    check_touch_fini(&own);
    return rc;
}

int
scenario_eval_from(const struct model *base, const struct check_result *res, const char *name,
                   struct scenario_eval **out, struct sm_error *err)
{
    int32_t ids[SCENARIO_MAX_CHAIN];
    struct scenario_eval *ev = NULL;
    int32_t len;
    int rc;

    if (!name || !*name)
        return sm_error_set(err, SM_EINVAL, "which scenario?");
    /* the chain first: its errors before any copy */
    if ((len = scenario_chain(base, name, ids, SCENARIO_MAX_CHAIN, err)) < 0)
        return err && err->code ? err->code : SM_EINVAL;
    if ((rc = scenario_begin_checked(base, res, name, &ev, err)))
        return rc;
    for (int32_t k = 0; k < len && !rc; k++) {
        const struct scenario *s = &base->scenarios[ids[k]];
        for (uint32_t i = 0; i < s->nops && !rc; i++) {
            struct check_change chg;
            rc = scenario_apply_update(ev, (int)s->ops[i].n, s->ops[i].v, &chg, err);
            check_change_fini(&chg);
            if (rc)
                rc = sm_error_prefix(err, "scenario %s, op %u", s->name, i + 1);
        }
    }
    if (!rc && ev->stale)
        rc = scenario_check(ev, res->today, err);
    if (rc) {
        scenario_eval_free(ev);
        return rc;
    }
    *out = ev;
    return SM_OK;
}

int
scenario_change_set(const struct model *catalog, const struct rulepack *rp, const char *name,
                    const char *other, int32_t today, struct scenario_change_set *out,
                    struct sm_error *err)
{
    struct scenario_change_set cs = { NULL, NULL, NULL };
    int rc;

    if (!name || !*name)
        return sm_error_set(err, SM_EINVAL, "which scenario?");
    if ((rc = scenario_eval(catalog, rp, other, today, &cs.before, err)) ||
        (rc = scenario_eval(catalog, rp, name, today, &cs.after, err)) ||
        (rc = scenario_diff(cs.before, cs.after, catalog, &cs.diff, err))) {
        scenario_change_set_fini(&cs);
        return rc;
    }
    *out = cs;
    return SM_OK;
}

void
scenario_change_set_fini(struct scenario_change_set *cs)
{
    scenario_diff_free(cs->diff);
    scenario_eval_free(cs->after);
    scenario_eval_free(cs->before);
    cs->diff = NULL;
    cs->after = cs->before = NULL;
}

int
scenario_change_set_from(const struct model *catalog, const struct check_result *res,
                         const char *name, struct scenario_change_set *out,
                         struct sm_error *err)
{
    struct scenario_change_set cs = { NULL, NULL, NULL };
    int rc;

    if (!name || !*name)
        return sm_error_set(err, SM_EINVAL, "which scenario?");
    if ((rc = scenario_begin_base(catalog, res->rp, &cs.before, err)))
        return rc;
    cs.before->res = (struct check_result *)res;    /* never written */
    cs.before->res_borrowed = true;
    cs.before->today = res->today;
    {
        /* a chain without ops changes nothing: its evaluation is the base's
         * own (borrowed too) until the caller gives it ops */
        int32_t ids[SCENARIO_MAX_CHAIN], len, total = 0;
        if ((len = scenario_chain(catalog, name, ids, SCENARIO_MAX_CHAIN, err)) < 0) {
            scenario_change_set_fini(&cs);
            return err && err->code ? err->code : SM_EINVAL;
        }
        for (int32_t k = 0; k < len; k++)
            total += (int32_t)catalog->scenarios[ids[k]].nops;
        if (total == 0) {
            if ((rc = scenario_begin_base(catalog, res->rp, &cs.after, err))) {
                scenario_change_set_fini(&cs);
                return rc;
            }
            sm_strlcpy(cs.after->name, name, sizeof cs.after->name);
            cs.after->res = (struct check_result *)res;
            cs.after->res_borrowed = true;
            cs.after->today = res->today;
        }
    }
    if ((!cs.after && (rc = scenario_eval_from(catalog, res, name, &cs.after, err))) ||
        (rc = scenario_diff(cs.before, cs.after, catalog, &cs.diff, err))) {
        scenario_change_set_fini(&cs);
        return rc;
    }
    *out = cs;
    return SM_OK;
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

/* An attribute's text form on the heap, whatever its length. */
static char *
attr_text(const struct model *m, int kind, int32_t id, const char *attr)
{
    size_t size = 128;

    for (;;) {
        char *buf = malloc(size);
        if (!buf)
            return NULL;
        model_get(m, (enum obj_kind)kind, id, attr, buf, size);
        if (strlen(buf) + 1 < size)
            return buf;
        free(buf);
        if (size > ((size_t)1 << 24))
            return NULL;
        size *= 2;
    }
}

static int
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
        char *v = attr_text(m, kind, id, attrs[i]);
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
        char *vb = attr_text(b, kind, bid, attrs[i].name);
        char *va = attr_text(a, kind, aid, attrs[i].name);
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

/* ---- review: the diff a reviewer reads, op by op ----------------------------------------- */

#define X(id, name) name,
const char *const review_status_names[REVIEW_STATUS_COUNT] = { REVIEW_STATUSES(X) };
#undef X

/* A finding's identity across two checks (a moved copy keeps its id; a
 * finding about another place or another regime is another finding). */
static char *
review_key(struct sm_arena *a, const struct finding *f)
{
    return check_finding_key(a, f);
}

static int
review_add_finding(struct scenario_review *rv, int32_t *cap, int status, int32_t op,
                   const struct finding *f)
{
    struct scenario_review_finding *x;

    if (sm_grow((void **)&rv->findings, cap, rv->nfindings + 1, sizeof *rv->findings))
        return SM_ENOMEM;
    x = &rv->findings[rv->nfindings];
    x->status = (uint8_t)status;
    x->op = op;
    x->severity = f->severity;
    x->waived = f->waived;
    x->kind = f->kind;
    x->rule = sm_arena_strdup(&rv->arena, f->rule);
    x->selector = sm_arena_strdup(&rv->arena, f->selector ? f->selector : "");
    x->jurisdictions = sm_arena_strdup(&rv->arena, f->jurisdictions ? f->jurisdictions : "");
    x->message = sm_arena_strdup(&rv->arena, f->message ? f->message : "");
    if (!x->rule || !x->selector || !x->jurisdictions || !x->message)
        return SM_ENOMEM;
    rv->nfindings++;
    return SM_OK;
}

/* Findings of b and a compared: new ones (in a only) and fixed ones (in b
 * only) for op; with kept, also those in both (as "still there"). Live
 * counts go to count when given. */
static int
review_findings(struct scenario_review *rv, int32_t *cap, const struct check_result *b,
                const struct check_result *a, int32_t op, bool kept,
                int32_t count[REVIEW_STATUS_COUNT][SEV_COUNT])
{
    struct sm_arena ar;
    struct sm_map mb, ma;
    int rc = SM_OK;

    sm_arena_init(&ar);
    sm_map_init(&mb);
    sm_map_init(&ma);
    for (int32_t i = 0; i < b->nfindings && !rc; i++) {
        char *k = review_key(&ar, &b->findings[i]);
        if (!k || sm_map_put(&mb, k, i))
            rc = SM_ENOMEM;
    }
    for (int32_t i = 0; i < a->nfindings && !rc; i++) {
        char *k = review_key(&ar, &a->findings[i]);
        if (!k || sm_map_put(&ma, k, i))
            rc = SM_ENOMEM;
    }
    for (int32_t i = 0; i < a->nfindings && !rc; i++) {
        const struct finding *f = &a->findings[i];
        char *k = review_key(&ar, f);
        bool had;
        if (!k) {
            rc = SM_ENOMEM;
            break;
        }
        had = sm_map_get(&mb, k) != SM_NONE;
        if (had && !kept)
            continue;
        rc = review_add_finding(rv, cap, had ? REVIEW_KEPT : REVIEW_NEW, op, f);
        if (count && !f->waived)
            count[had ? REVIEW_KEPT : REVIEW_NEW][f->severity]++;
    }
    for (int32_t i = 0; i < b->nfindings && !rc; i++) {
        const struct finding *f = &b->findings[i];
        char *k = review_key(&ar, f);
        if (!k) {
            rc = SM_ENOMEM;
            break;
        }
        if (sm_map_get(&ma, k) != SM_NONE)
            continue;
        rc = review_add_finding(rv, cap, REVIEW_FIXED, op, f);
        if (count && !f->waived)
            count[REVIEW_FIXED][f->severity]++;
    }
    sm_map_fini(&mb);
    sm_map_fini(&ma);
    sm_arena_fini(&ar);
    return rc;
}

static int
review_add_changes(struct scenario_review *rv, int32_t *cap, const struct scenario_attr_diff *d,
                   int32_t op)
{
    for (int32_t i = 0; i < d->n; i++) {
        const struct scenario_attr_change *c = &d->v[i];
        struct scenario_review_change *x;
        if (sm_grow((void **)&rv->changes, cap, rv->nchanges + 1, sizeof *rv->changes))
            return SM_ENOMEM;
        x = &rv->changes[rv->nchanges];
        x->op = op;
        x->c.sign = c->sign;
        x->c.obj = c->obj;
        x->c.selector = sm_arena_strdup(&rv->arena, c->selector);
        x->c.attr = c->attr ? sm_arena_strdup(&rv->arena, c->attr) : NULL;
        x->c.before = c->before ? sm_arena_strdup(&rv->arena, c->before) : NULL;
        x->c.after = c->after ? sm_arena_strdup(&rv->arena, c->after) : NULL;
        if (!x->c.selector || (c->attr && !x->c.attr) || (c->before && !x->c.before) ||
            (c->after && !x->c.after))
            return SM_ENOMEM;
        rv->nchanges++;
    }
    return SM_OK;
}

/* Copies (and keys) an op left in a region it retired. */
static int
review_stranded(struct scenario_review *rv, int32_t *cap, const struct scenario_eval *ev,
                int32_t op, int32_t region)
{
    for (int pass = 0; pass < 2; pass++) {
        const int32_t *v = pass ? ev->stranded_keys : ev->stranded;
        int32_t n = pass ? ev->nstranded_keys : ev->nstranded;
        for (int32_t i = 0; i < n; i++) {
            const struct placement *pl = &ev->m->placements[v[i]];
            struct scenario_review_change *x;
            char *sel;
            if ((pass ? pl->key_region : pl->region) != region)
                continue;
            if (sm_grow((void **)&rv->changes, cap, rv->nchanges + 1, sizeof *rv->changes))
                return SM_ENOMEM;
            if (!(sel = model_selector_dup(ev->m, OBJ_PLACEMENT, v[i])))
                return SM_ENOMEM;
            x = &rv->changes[rv->nchanges];
            memset(x, 0, sizeof *x);
            x->op = op;
            x->c.sign = '!';
            x->c.obj = OBJ_PLACEMENT;
            x->c.selector = sm_arena_strdup(&rv->arena, sel);
            x->c.attr = pass ? "key-region" : "region";
            x->c.before = sm_arena_strdup(&rv->arena, ev->m->regions[region].id);
            x->c.after = pass ? "its key is held in a retired region: move the key"
                              : "its region is retired: move it";
            free(sel);
            if (!x->c.selector || !x->c.before)
                return SM_ENOMEM;
            rv->nchanges++;
        }
    }
    return SM_OK;
}

static int
review_op(struct scenario_review *rv, int32_t *cap, const struct sm_strv *op)
{
    struct scenario_review_op *ro;
    char line[2048];

    if (sm_grow((void **)&rv->ops, cap, rv->nops + 1, sizeof *rv->ops))
        return SM_ENOMEM;
    ro = &rv->ops[rv->nops];
    scenario_op_format((int)op->n, op->v, line, sizeof line);
    ro->text = sm_arena_strdup(&rv->arena, line);
    ro->argv.n = op->n;
    ro->argv.v = sm_arena_alloc(&rv->arena, (op->n + 1) * sizeof *ro->argv.v);
    if (!ro->text || !ro->argv.v)
        return SM_ENOMEM;
    for (uint32_t i = 0; i < op->n; i++)
        if (!(ro->argv.v[i] = sm_arena_strdup(&rv->arena, op->v[i])))
            return SM_ENOMEM;
    rv->nops++;
    return SM_OK;
}

/* Apply op to ev (checked) and record what it changed: the attributes
 * (prev vs now), the findings it brought or cleared, copies it left in a
 * region it retired. */
static int
review_step(struct scenario_review *rv, struct scenario_eval *ev, const struct model *catalog,
            const struct sm_strv *op, int32_t caps[3], struct sm_error *err)
{
    struct model *prev = NULL;
    struct check_result *prev_res = ev->res;
    struct scenario_attr_diff *ad = NULL;
    int32_t idx = rv->nops;
    int rc;

    if ((rc = review_op(rv, &caps[0], op)) || model_clone(ev->m, &prev))
        return rc ? oom(err) : oom(err);
    ev->res_borrowed = true;        /* keep the result before the op */
    if ((rc = scenario_apply(ev, (int)op->n, op->v, err)) ||
        (rc = scenario_check(ev, ev->today, err)))
        goto out;
    if ((rc = scenario_attr_diff(prev, ev->m, catalog, &ad, err)))
        goto out;
    if (review_add_changes(rv, &caps[1], ad, idx) ||
        review_findings(rv, &caps[2], prev_res, ev->res, idx, false, NULL)) {
        rc = oom(err);
        goto out;
    }
    if (strcmp(op->v[0], "retire-region") == 0 && op->n > 1) {
        int32_t r = model_region(ev->m, op->v[1]);
        struct scenario_attr_diff note;
        memset(&note, 0, sizeof note);
        sm_arena_init(&note.arena);
        /* the region itself: the model keeps it, the scenario's pack denies it */
        if (r != SM_NONE &&
            (push_attr_change(&note, '!', OBJ_REGION, ev->m->regions[r].id, NULL, NULL,
                              "retired: every copy and key there must move") ||
             review_add_changes(rv, &caps[1], &note, idx) ||
             review_stranded(rv, &caps[1], ev, idx, r)))
            rc = oom(err);
        free(note.v);
        sm_arena_fini(&note.arena);
    }
out:
    if (ev->res != prev_res)
        check_result_free(prev_res);
    else
        ev->res_borrowed = false;
    scenario_attr_diff_free(ad);
    model_free(prev);
    return rc;
}

int
scenario_review(const struct model *catalog, const struct rulepack *rp, const char *name,
                const char *other, int32_t today, struct scenario_review **out,
                struct sm_error *err)
{
    struct scenario_review *rv = calloc(1, sizeof *rv);
    struct scenario_eval *b = NULL, *ev = NULL;
    struct scenario_attr_diff *ad = NULL;
    int32_t chain[SCENARIO_MAX_CHAIN], nchain, ochain[SCENARIO_MAX_CHAIN], nochain = 0;
    int32_t caps[3] = { 0, 0, 0 }, at = 0;
    bool has_other = other && *other;
    int rc;

    if (!rv)
        return oom(err);
    sm_arena_init(&rv->arena);
    if ((nchain = scenario_chain(catalog, name, chain, SCENARIO_MAX_CHAIN, err)) < 0 ||
        (has_other &&
         (nochain = scenario_chain(catalog, other, ochain, SCENARIO_MAX_CHAIN, err)) < 0)) {
        rc = err ? err->code : SM_EINVAL;
        goto fail;
    }
    /* other is a base of name (its chain is a prefix of name's): only the
     * ops after it are reported; another scenario: no per-op attribution */
    rv->other_is_base = has_other && nochain <= nchain;
    for (int32_t k = 0; rv->other_is_base && k < nochain; k++)
        if (ochain[k] != chain[k])
            rv->other_is_base = false;
    rv->whole_only = has_other && !rv->other_is_base;
    for (int32_t k = 0; rv->other_is_base && k < nochain; k++)
        rv->start += (int32_t)catalog->scenarios[chain[k]].nops;
    if ((rc = scenario_eval(catalog, rp, has_other ? other : NULL, today, &b, err)) ||
        (rc = scenario_begin(catalog, rp, name, &ev, err)))
        goto fail;
    ev->today = today;
    for (int32_t k = 0; k < nchain && !rc; k++) {
        const struct scenario *sc = &catalog->scenarios[chain[k]];
        for (uint32_t i = 0; i < sc->nops && !rc; i++, at++) {
            if (at < rv->start || rv->whole_only) {
                rc = scenario_apply(ev, (int)sc->ops[i].n, sc->ops[i].v, err);
                continue;
            }
            if (!ev->res && (rc = scenario_check(ev, today, err)))
                break;
            rc = review_step(rv, ev, catalog, &sc->ops[i], caps, err);
            if (!rc && (strcmp(sc->ops[i].v[0], "revoke-adequacy") == 0 ||
                        strcmp(sc->ops[i].v[0], "grant-adequacy") == 0 ||
                        strcmp(sc->ops[i].v[0], "retire-region") == 0))
                rv->changed = true;     /* the law changed, whatever it did */
        }
    }
    if (rc)
        goto fail;
    if (!ev->res && (rc = scenario_check(ev, today, err)))
        goto fail;
    /* copies (keys) an op left in a retired region that a later op moved */
    for (int32_t i = 0; i < rv->nchanges; i++) {
        struct scenario_review_change *x = &rv->changes[i];
        int32_t p = x->c.sign == '!' ? model_placement(ev->m, x->c.selector) : SM_NONE;
        bool key = x->c.attr && strcmp(x->c.attr, "key-region") == 0, still = false;
        const int32_t *v = key ? ev->stranded_keys : ev->stranded;
        int32_t n = key ? ev->nstranded_keys : ev->nstranded;
        if (x->c.sign != '!' || x->c.obj != OBJ_PLACEMENT)
            continue;
        for (int32_t k = 0; k < n && p != SM_NONE; k++)
            still = still || v[k] == p;
        x->resolved = !still;
    }
    /* the whole: attributes, and findings new / fixed / still there */
    if ((rc = scenario_attr_diff(b->m, ev->m, catalog, &ad, err)))
        goto fail;
    rv->whole_changes = ad->n;
    if ((rv->whole_only && review_add_changes(rv, &caps[1], ad, SM_NONE)) ||
        review_findings(rv, &caps[2], b->res, ev->res, SM_NONE, true, rv->count)) {
        rc = oom(err);
        goto fail;
    }
    if (!rv->whole_only) {
        /* per op lists new and fixed; keep only "still there" from the whole */
        int32_t w = 0;
        for (int32_t i = 0; i < rv->nfindings; i++)
            if (rv->findings[i].op != SM_NONE || rv->findings[i].status == REVIEW_KEPT)
                rv->findings[w++] = rv->findings[i];
        rv->nfindings = w;
    }
    for (int sv = 0; sv < SEV_COUNT; sv++) {
        rv->before[sv] = b->res->stats.count[sv];
        rv->after[sv] = ev->res->stats.count[sv];
        if (rv->count[REVIEW_NEW][sv] || rv->count[REVIEW_FIXED][sv])
            rv->changed = true;
    }
    for (int32_t i = 0; i < rv->nfindings; i++)
        if (rv->findings[i].status != REVIEW_KEPT)
            rv->changed = true;
    if (rv->whole_changes || rv->nchanges)
        rv->changed = true;
    scenario_attr_diff_free(ad);
    scenario_eval_free(b);
    scenario_eval_free(ev);
    *out = rv;
    return SM_OK;
fail:
    scenario_attr_diff_free(ad);
    scenario_eval_free(b);
    scenario_eval_free(ev);
    scenario_review_free(rv);
    return rc;
}

void
scenario_review_free(struct scenario_review *rv)
{
    if (!rv)
        return;
    free(rv->ops);
    free(rv->changes);
    free(rv->findings);
    sm_arena_fini(&rv->arena);
    free(rv);
}
