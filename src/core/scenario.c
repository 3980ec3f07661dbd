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
#include "scenario_int.h"

#define X(id, name, min, max, args, help) { name, min, max, args, help },
const struct scenario_op_info scenario_ops[SOP_COUNT] = { SCENARIO_OPS(X) };
#undef X
#define X(id, name) name,
const char *const sdiff_status_names[SDIFF_STATUS_COUNT] = { SDIFF_STATUSES(X) };
const char *const schange_kind_names[SCHANGE_KIND_COUNT] = { SCHANGE_KINDS(X) };
#undef X

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
        if (!sm_needs_quotes(s)) {
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

char *
scenario_op_dup(int argc, const char *const *argv)
{
    size_t need = 1;
    char *buf;

    /* each argument at worst doubled by escapes, two quotes and a blank */
    for (int i = 0; i < argc; i++)
        need += (argv[i] ? strlen(argv[i]) * 2 : 0) + 3;
    if ((buf = malloc(need)))
        scenario_op_format(argc, argv, buf, need);
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

int
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

int
touch(struct scenario_eval *ev, int32_t dataset)
{
    if (dataset < 0)
        return SM_OK;
    if (sm_grow((void **)&ev->ds, &ev->cap_ds, ev->nds + 1, sizeof *ev->ds))
        return SM_ENOMEM;
    ev->ds[ev->nds++] = dataset;
    return SM_OK;
}

int
touch_placement(struct scenario_eval *ev, int32_t p)
{
    if (p < 0 || p >= ev->m->nplacements)
        return SM_OK;
    return touch(ev, ev->m->placements[p].dataset);
}

int
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
    ev->name = sm_arena_strdup(&ev->arena, name ? name : "");
    ev->ds_first = malloc(sizeof *ev->ds_first);
    if (!ev->ds_first || !ev->name) {
        free(ev->ds_first);
        sm_arena_fini(&ev->arena);
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
    bool oom = !c;

    (void)m;    /* a copy of r's model: r's state fits it as it is */
    if (oom)
        goto fail;
    sm_arena_init(&c->arena);
    /* the findings: their strings and why lists r's (r outlives the copy;
     * check_update writes the new findings' own into c's arena and never
     * writes a string in place) */
    c->nfindings = r->nfindings;
    c->cap_findings = r->nfindings;
    c->findings = dup_array(r->findings, (size_t)r->nfindings, sizeof *c->findings, &oom);
    /* the register: shared page by page when r's is shareable (sm_big), its
     * strings r's (r outlives the copy), so that a row is copied only when
     * check_update rewrites its page (1.4 M rows at 1M: 56 MB otherwise) */
    c->ntransfers = r->ntransfers;
    if (!oom && !(c->transfers = r->transfers
                  ? sm_big_share(r->transfers, sizeof *c->transfers * (size_t)r->ntransfers)
                  : sm_big_alloc(sizeof *c->transfers, false)))
        oom = true;
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
    if (!oom && r->nbases) {
        c->bases = dup_array(r->bases, r->nbases, sizeof *c->bases, &oom);
        c->nbases = c->cap_bases = oom ? 0 : r->nbases;
    }
    memcpy(c->regime_ids, r->regime_ids, sizeof c->regime_ids);
    memcpy(c->regime_code, r->regime_code, sizeof c->regime_code);
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
            K->decl = NULL;             /* check_extra_init's to take, not copied */
            c->lineage = K;
            /* sm_big blocks: shared page by page when shareable */
#define DUPL(a, n) do { \
        if (!oom && L->a && !(K->a = sm_big_share(L->a, ((n) + 1) * sizeof *L->a))) \
            oom = true; \
    } while (0)
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
    /* check_update's state: a copy of r's (what check_run set up and
     * check_update kept current for r's model, which m copies) */
    if (!oom && r->extra && check_extra_copy(c, r))
        oom = true;
    if (oom)
        goto fail;
    *out = c;
    return SM_OK;
fail:
    check_result_free(c);
    return SM_ENOMEM;
}

/* A map's slots shared page by page when the base's are shareable (sm_big). */
static int
slots_share(void **dst, const void *src, size_t bytes)
{
    *dst = NULL;
    if (!bytes)
        return SM_OK;
    return (*dst = sm_big_share(src, bytes)) ? SM_OK : SM_ENOMEM;
}

static int
map_copy(struct sm_map *dst, const struct sm_map *src)
{
    *dst = *src;
    return slots_share((void **)&dst->slots, src->slots, sizeof *dst->slots * src->cap);
}

static int
idmap_copy(struct sm_idmap *dst, const struct sm_idmap *src)
{
    *dst = *src;
    return slots_share((void **)&dst->slots, src->slots, sizeof *dst->slots * src->cap);
}

/* The array shared page by page when the base's is shareable (sm_big): its
 * room (zero past n) is the copy's capacity. */
#define COPY_ARRAY(a) do { \
        c->n##a = m->n##a; \
        c->cap_##a = 0; \
        if (m->a) { \
            size_t room_; \
            if (!(c->a = sm_big_share(m->a, sizeof *c->a * (size_t)m->n##a))) \
                goto fail; \
            room_ = sm_big_room(c->a) / sizeof *c->a; \
            c->cap_##a = room_ > INT32_MAX ? INT32_MAX : (int32_t)room_; \
        } \
    } while (0)

int
scenario_model_share(const struct model *m, struct model **out)
{
    struct model *c = model_new();

    if (!c)
        return SM_ENOMEM;
    model_set_shareable(c, m->shareable);
    COPY_ARRAY(regions);
    COPY_ARRAY(tiers);
    COPY_ARRAY(datasets);
    COPY_ARRAY(fields);
    COPY_ARRAY(tags);
    COPY_ARRAY(props);
    COPY_ARRAY(asrcs);
    if (model_asrc_first_copy(c, m))    /* small: its own copy, not shared */
        goto fail;
    COPY_ARRAY(placements);
    COPY_ARRAY(flows);
    COPY_ARRAY(waivers);
    COPY_ARRAY(scenarios);
    if (map_copy(&c->region_ids, &m->region_ids) || map_copy(&c->tier_names, &m->tier_names) ||
        idmap_copy(&c->dataset_names, &m->dataset_names) ||
        idmap_copy(&c->flow_names, &m->flow_names) ||
        map_copy(&c->waiver_keys, &m->waiver_keys) ||
        map_copy(&c->scenario_names, &m->scenario_names))
        goto fail;
    c->rule_pack = m->rule_pack;
    c->generation = m->generation;
    if (model_copy_name_rank(c, m))
        goto fail;
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
    ev->res_from = res;
    ev->res_at = ev->res;
    ev->res_from_m = base;
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
    free(ev->fkeys);
    scenario_links_fini(&ev->links);
    free(ev->mark);
    free(ev->pmap);
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
    char *line;

    if (sm_grow((void **)&rv->ops, cap, rv->nops + 1, sizeof *rv->ops))
        return SM_ENOMEM;
    ro = &rv->ops[rv->nops];
    if (!(line = scenario_op_dup((int)op->n, (const char *const *)op->v)))
        return SM_ENOMEM;
    ro->text = sm_arena_strdup(&rv->arena, line);
    free(line);
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
