/*
 * scenario_update.c - what-if scenarios: groups of datasets linked by flows and
 * the incremental re-check of an op on the models of its groups.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "scenario.h"
#include "edit.h"
#include "lineage.h"
#include "rules.h"
#include "scenario_int.h"

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
            int32_t tid;
            rc = model_add_tag(s, nd, fid, g->tag, g->source, g->entity, g->time, &tid, err);
            if (!rc && *g->expired)
                rc = model_set_tag_expired(s, tid, g->expired, err);
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
        /* a flow re-pointed: the copy it comes to link is changed too */
        if (kind == OBJ_FLOW && (strcmp(a[2], "from") == 0 || strcmp(a[2], "to") == 0))
            seed_placement(m, a[3], seeds, &n);
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
        char subj[CHECK_SUBJECTS_MAX];  /* bounded: country codes, each at most once */
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

/* Whether op leaves every flow's ends (the links scenario_links_build
 * makes) as they were: it adds, removes or re-points no flow and no copy. */
static bool
links_kept(enum scenario_op op, const char *const *a)
{
    switch (op) {
    case SOP_ADD_FLOW:
    case SOP_REMOVE_FLOW:
    case SOP_ADD_PLACEMENT:
    case SOP_REMOVE_PLACEMENT:
        return false;
    case SOP_SET:
        return strcmp(a[0], "flow") != 0 ||
               (strcmp(a[2], "from") != 0 && strcmp(a[2], "to") != 0 &&
                strcmp(a[2], "to-region") != 0);
    default:
        return true;
    }
}

/* ev->links for ev->m as it is now: the kept ones when m has not changed
 * since they were made (or only through the delta's own ops that keep
 * them), else made again. */
static int
delta_links(struct scenario_eval *ev)
{
    if (ev->links_ok && ev->links_serial == ev->m->serial &&
        ev->links_gen == ev->m->generation && ev->links.ndatasets == ev->m->ndatasets)
        return SM_OK;
    ev->links_ok = false;
    scenario_links_fini(&ev->links);
    if (scenario_links_build(ev->m, &ev->links))
        return SM_ENOMEM;
    ev->links_ok = true;
    ev->links_made++;
    ev->links_serial = ev->m->serial;
    ev->links_gen = ev->m->generation;
    return SM_OK;
}

/* ev->mark for nd datasets and ev->pmap for np copies, the new room clear. */
static int
delta_room(struct scenario_eval *ev, int32_t nd, int32_t np)
{
    if (nd + 1 > ev->nmark) {
        uint8_t *m = realloc(ev->mark, (size_t)nd + 1);
        if (!m)
            return SM_ENOMEM;
        memset(m + ev->nmark, 0, (size_t)(nd + 1 - ev->nmark));
        ev->mark = m;
        ev->nmark = nd + 1;
    }
    if (np > ev->npmap) {
        int32_t *p = realloc(ev->pmap, (size_t)np * sizeof *p);
        if (!p)
            return SM_ENOMEM;
        for (int32_t i = ev->npmap; i < np; i++)
            p[i] = SM_NONE;
        ev->pmap = p;
        ev->npmap = np;
    }
    return SM_OK;
}

int
scenario_apply_delta(struct scenario_eval *ev, int argc, const char *const *argv,
                     int32_t today, struct scenario_delta *d, struct sm_error *err)
{
    struct scenario_links *l = &ev->links;
    enum scenario_op op;
    int32_t seeds[4], nseeds, region, *group = NULL, ngroup = 0, nfree = 0;
    const struct check_result *facts = NULL;
    int32_t before_total[SEV_COUNT];
    bool had = ev->res && !ev->stale;
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
    /* room for copies the op may add: pmap covers the model after it too */
    if ((rc = delta_links(ev)) ||
        (rc = delta_room(ev, ev->m->ndatasets, ev->m->nplacements + 16)))
        goto fail;
    rc = SM_ENOMEM;
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
            rc = neighbourhood(ev->m, l, ev->mark, rs, nrs, &group, &ngroup, &nfree);
        } else {
            rc = scenario_group(ev->m, l, ev->mark, rs, nrs, &group, &ngroup);
            nfree = ngroup;
        }
        if (rs != seeds)
            free(rs);
    }
    /* the group is every dataset marked: clear for the next op */
    for (int32_t i = 0; i < ngroup; i++)
        ev->mark[group[i]] = 0;
    if (rc || (rc = check_group(ev, l, group, ngroup, nfree, facts, ev->pmap, today, d->before,
                                err)))
        goto fail;
    if ((rc = scenario_apply(ev, argc, argv, err)))
        goto fail;
    ev->stale = true;
    /* flows may have come or gone: the group is still closed (they link
     * datasets of it), but the lists of flows must be rebuilt; an op that
     * keeps every flow's ends keeps them good for the model after it */
    if (links_kept(op, argv + 1))
        ev->links_gen = ev->m->generation;
    if ((rc = delta_links(ev)) || (rc = delta_room(ev, ev->m->ndatasets, ev->m->nplacements)) ||
        (rc = check_group(ev, l, group, ngroup, nfree, facts, ev->pmap, today, d->after, err)))
        goto fail;
    d->ndatasets = ngroup;
    if (had)
        for (int s = 0; s < SEV_COUNT; s++)
            d->total[s] = before_total[s] + d->after[s] - d->before[s];
fail:
    if (rc == SM_ENOMEM && (!err || err->code != SM_ENOMEM))
        oom(err);
    if (rc) {
        /* a failure may leave marks or a copy map entry set: start clear */
        free(ev->mark);
        free(ev->pmap);
        ev->mark = NULL;
        ev->pmap = NULL;
        ev->nmark = ev->npmap = 0;
    }
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

/* Note the objects whose findings chg replaced and wrote (ev->fkeys):
 * what scenario_diff compares against ev->res_from. */
static void
note_findings(struct scenario_eval *ev, const struct check_change *chg)
{
    if (!ev->res_from || ev->fkeys_all)
        return;
    if (chg->ngroup < 0 || ev->res != ev->res_at) {
        ev->fkeys_all = true;
        return;
    }
    for (int32_t k = 0; k < chg->nold + chg->nnow; k++) {
        const struct finding *f = k < chg->nold ? &chg->old[k]
                                                : &ev->res->findings[chg->now[k - chg->nold]];
        if (f->object < 0)
            continue;       /* compared always (scenario_diff: no shared id) */
        if (sm_grow((void **)&ev->fkeys, &ev->cap_fkeys, ev->nfkeys + 1, sizeof *ev->fkeys)) {
            ev->fkeys_all = true;
            return;
        }
        ev->fkeys[ev->nfkeys++] = (uint64_t)f->kind << 32 | (uint32_t)f->object;
    }
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
    if (!ev->nretired && (rc = check_update(ev->res, ev->m, &t, chg, err))) {
        ev->fkeys_all = true;
        goto out;
    }
    note_findings(ev, chg);
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
        ev->fkeys_all = true;
        goto out;
    }
    if (!ev->nretired && (rc = check_update(ev->res, ev->m, &t, chg, err))) {
        ev->fkeys_all = true;
        goto out;
    }
    note_findings(ev, chg);
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
            if (!(cs.after->name = sm_arena_strdup(&cs.after->arena, name))) {
                scenario_change_set_fini(&cs);
                return sm_error_set(err, SM_ENOMEM, "out of memory");
            }
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
