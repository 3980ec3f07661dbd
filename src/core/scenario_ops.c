/*
 * scenario_ops.c - what-if scenarios: the ops applied on the scenario's model
 * and rule pack copy, chains of scenarios, and their evaluation.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "scenario.h"
#include "edit.h"
#include "lineage.h"
#include "rules.h"
#include "scenario_int.h"

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
    char *buf, *slash;
    int rc;

    *role = SM_NONE;
    *region = SM_NONE;
    if (!(buf = strdup(s)))
        return oom(err);
    slash = strrchr(buf, '/');
    if (slash) {
        *slash++ = '\0';
        *role = model_enum_parse(role_names, ROLE_COUNT, slash);
        if (*role == SM_NONE) {
            rc = sm_error_set(err, SM_EINVAL, "unknown role %s", slash);
            free(buf);
            return rc;
        }
    }
    rc = find(ev, OBJ_REGION, buf, region, err);
    free(buf);
    return rc;
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
    char *cur, *next;
    int32_t f;
    int rc;

    (void)n;
    if ((rc = find(ev, OBJ_FLOW, a[0], &f, err)))
        return rc;
    if (!(cur = model_get_dup(ev->m, OBJ_FLOW, f, "transforms")))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    next = *cur ? sm_strdupf("%s; %s", cur, a[1]) : strdup(a[1]);
    free(cur);
    if (!next)
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    rc = model_set(ev->m, OBJ_FLOW, f, "transforms", next, err);
    free(next);
    if (rc)
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
    const char *provider, *colon = strchr(a[0], ':');
    int kind = REGION_CLOUD;

    if (!colon || colon == a[0] || !colon[1] || !model_region_id_ok(a[0]))
        return sm_error_set(err, SM_EINVAL, "region id %s: use PROVIDER:CODE without blanks, "
                            "control characters, commas, @ or /, e.g. onprem:fra-dc2", a[0]);
    /* in the scenario's arena: the region keeps it */
    if (!(provider = sm_arena_strndup(&ev->arena, a[0], (size_t)(colon - a[0]))))
        return oom(err);
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
    /* an attribute of two copies: no object added, removed or renamed */
    model_changed_kinds(m, false, 0);
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
        char *line;
        if (ev->op_undo[ev->nops]) {
            edit_result_fini(ev->op_undo[ev->nops]);
            free(ev->op_undo[ev->nops]);
            ev->op_undo[ev->nops] = NULL;
        }
        ev->nds = ds0;
        if (!(line = scenario_op_dup(argc, argv)))
            return rc;  /* out of memory: the error without the op */
        rc = sm_error_prefix(err, "%s", line);
        free(line);
        return rc;
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
                char *path = NULL;
                size_t size = 0;
                FILE *f = open_memstream(&path, &size);
                for (int32_t j = k; f && j < len; j++)
                    fprintf(f, "%s -> ", m->scenarios[chain[j]].name);
                if (!f || fclose(f) != 0) {
                    free(path);
                    path = NULL;
                }
                sm_error_set(err, path ? SM_EINVAL : SM_ENOMEM,
                             "scenario %s: its bases form a cycle %s%s", name,
                             path ? path : "... -> ", m->scenarios[s].name);
                free(path);
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

    /* a scenario is checked in full after its edits again and again: its
     * names' order is kept, not ranked each time (a borrowed base is the
     * caller's, not written) */
    if (!ev->borrowed && check_keep_name_rank(ev->m))
        return oom(err);
    if ((rc = check_run(m, ev->rp, today, &res, err)))
        return rc;
    if (!ev->res_borrowed)
        check_result_free(ev->res);
    ev->res_borrowed = false;
    ev->res = res;
    ev->fkeys_all = true;       /* not res_from's copy any more */
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
