/*
 * plan.c - the planner (plan.h): greedy, verified fixes for every error
 * finding, computed per connected group of datasets on a small model that
 * holds only that group (plus every region and tier), then verified on the
 * whole model by one full check.
 *
 * Core: no I/O, no globals. Depends on model, check, rules and scenario.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "plan.h"
#include "rules.h"

#define X(id, name) name,
const char *const plan_prefer_names[PLAN_PREFER_COUNT] = { PLAN_PREFERS(X) };
#undef X

void
plan_options_init(struct plan_options *o)
{
    memset(o, 0, sizeof *o);
    o->prefer = PLAN_NEAREST;
    o->fail_on = SEV_WARNING;
}

/* Findings a plan step leaves as a to-do, not as a regression: a
 * mechanism declared without its reference (signed SCCs, a TIA id). */
static bool
todo_rule(const char *rule)
{
    return strcmp(rule, "XFR003") == 0;
}

/* How a rule's findings get fixed, in the order the planner works. */
enum fix_kind {
    FIX_TIER,           /* raise the declared tier to the effective one */
    FIX_PERSONAL_TIER,  /* a personal tier for personal fields */
    FIX_MOVE_PRIMARY,   /* move the primary copy (localization) */
    FIX_MOVE,           /* move the copy to the closest allowed region */
    FIX_MOVE_OR_MECH,   /* move; where no region works, declare scc */
    FIX_ENCRYPT,        /* set encrypted */
    FIX_KEY,            /* key into the copy's region (or the primary's) */
    FIX_TRANSIT,        /* set transit-encrypted on the flow */
    FIX_NONE,
};

static const struct fix_rule {
    const char *rule;
    enum fix_kind fix;
    const char *cannot;         /* reason when FIX_NONE */
} fix_rules[] = {
    { "LIN001", FIX_TIER, NULL },
    { "CLS002", FIX_PERSONAL_TIER, NULL },
    { "RES003", FIX_MOVE_PRIMARY, NULL },
    { "RES001", FIX_MOVE_OR_MECH, NULL },     /* adequate scope admits mechanisms */
    { "RES002", FIX_MOVE_OR_MECH, NULL },
    { "RES004", FIX_MOVE, NULL },
    { "RES005", FIX_MOVE, NULL },
    { "XFR001", FIX_MOVE_OR_MECH, NULL },
    { "XFR002", FIX_MOVE_OR_MECH, NULL },
    { "ENC001", FIX_ENCRYPT, NULL },
    { "ENC002", FIX_KEY, NULL },
    { "ENC003", FIX_TRANSIT, NULL },
    { "XFR003", FIX_NONE, "the mechanism's reference is a document a person must record" },
    { "XFR004", FIX_NONE, "replacing a derogation by safeguards is a legal decision" },
    { "RET001", FIX_NONE, "the retention is a decision of the dataset's owner" },
    { "CLS001", FIX_NONE, "the dataset has no tier: a person must classify it" },
    { "SUB001", FIX_NONE, "the pack has no regime for these subjects" },
};

static const struct fix_rule *
fix_of(const char *rule)
{
    for (size_t i = 0; i < sizeof fix_rules / sizeof *fix_rules; i++)
        if (strcmp(fix_rules[i].rule, rule) == 0)
            return &fix_rules[i];
    return NULL;
}

struct planner {
    const struct scenario_eval *start;
    const struct plan_options *opt;
    struct plan *p;
    struct scenario_eval *w;        /* start + the plan so far (ops by name) */
    int32_t cap_steps, cap_unfixed;
    struct scenario_links links;    /* flows touching each dataset */
    uint8_t *done;                  /* per dataset: its group was planned */
    int32_t *used;                  /* per region: live copies */
    int32_t *pmap;                  /* scratch for scenario_submodel */
    struct sm_map gaveup;           /* "RULE selector" -> reason index */
    const char **reasons;
    int32_t nreasons, cap_reasons;
    int threshold;                  /* lowest severity a step may not add */
    char *reject;                   /* the new finding that made the last
                                       candidate fail, "" (heap) */
    int32_t clean_copy;             /* a move of this copy (group model id) must
                                       leave no error a move fixes on it, or
                                       SM_NONE: no second move of it later */
};

static int
oom(struct sm_error *err)
{
    return sm_error_set(err, SM_ENOMEM, "plan: out of memory");
}

static int
count_errors(const struct check_result *r)
{
    return r->stats.count[SEV_ERROR];
}

static bool
live_error(const struct finding *f)
{
    return !f->waived && f->severity == SEV_ERROR;
}

/* A finding's identity across checks of clones of one model: rule, object
 * (a moved copy keeps its id) and jurisdictions ("EU -> RU" is not
 * "RU -> DE"); by selector where there is no object. In a. */
static char *
finding_key(struct sm_arena *a, const struct finding *f)
{
    return check_finding_key(a, f);
}

/* Does a plan regress on f: live, at or above the threshold, not a to-do? */
static bool
counts_as_new(const struct finding *f, int threshold, bool todos)
{
    return !f->waived && (int)f->severity >= threshold && (todos || !todo_rule(f->rule));
}

/* Live findings of `after` at or above threshold that `before` lacks:
 * their indexes into out (heap, may be NULL when none), their number in *n.
 * SM_OK or SM_ENOMEM. With all false, stops at the first. */
static int
new_findings(const struct check_result *before, const struct check_result *after,
             int threshold, bool all, bool todos, int32_t **out, int32_t *n)
{
    struct sm_arena a;
    struct sm_map seen;
    int32_t *v = NULL, cap = 0, len = 0;
    int rc = SM_OK;

    *out = NULL;
    *n = 0;
    sm_arena_init(&a);
    sm_map_init(&seen);
    for (int32_t i = 0; i < before->nfindings && !rc; i++) {
        char *k = finding_key(&a, &before->findings[i]);
        if (!k || sm_map_put(&seen, k, i))
            rc = SM_ENOMEM;
    }
    for (int32_t i = 0; i < after->nfindings && !rc; i++) {
        const struct finding *f = &after->findings[i];
        char *k;
        if (!counts_as_new(f, threshold, todos))
            continue;
        if (!(k = finding_key(&a, f))) {
            rc = SM_ENOMEM;
            break;
        }
        if (sm_map_get(&seen, k) != SM_NONE)
            continue;
        if (sm_grow((void **)&v, &cap, len + 1, sizeof *v)) {
            rc = SM_ENOMEM;
            break;
        }
        v[len++] = i;
        if (!all)
            break;
    }
    sm_map_fini(&seen);
    sm_arena_fini(&a);
    if (rc) {
        free(v);
        return rc;
    }
    *out = v;
    *n = len;
    return SM_OK;
}

/* Remember what made a candidate fail: "XFR001 mixed@yandex:ru-central1 (EU -> RU)". */
static int
set_reject(struct planner *pl, const struct finding *f)
{
    const char *sel = f->selector ? f->selector : "";
    const char *j = f->jurisdictions ? f->jurisdictions : "";
    int n = snprintf(NULL, 0, "%s %s%s%s%s", f->rule, sel, *j ? " (" : "", j, *j ? ")" : "");
    char *t = n >= 0 ? malloc((size_t)n + 1) : NULL;

    if (!t)
        return SM_ENOMEM;
    snprintf(t, (size_t)n + 1, "%s %s%s%s%s", f->rule, sel, *j ? " (" : "", j, *j ? ")" : "");
    free(pl->reject);
    pl->reject = t;
    return SM_OK;
}

/* ---- bookkeeping ------------------------------------------------------------------ */

static int
give_up(struct planner *pl, const char *rule, const char *selector, const char *reason)
{
    char key[1200];
    const char *k, *r;

    snprintf(key, sizeof key, "%s %s", rule, selector ? selector : "");
    if (sm_map_get(&pl->gaveup, key) != SM_NONE)
        return SM_OK;
    k = sm_arena_strdup(&pl->p->arena, key);
    r = sm_arena_strdup(&pl->p->arena, reason);
    if (!k || !r || sm_grow((void **)&pl->reasons, &pl->cap_reasons, pl->nreasons + 1,
                            sizeof *pl->reasons))
        return SM_ENOMEM;
    pl->reasons[pl->nreasons] = r;
    if (sm_map_put(&pl->gaveup, k, pl->nreasons))
        return SM_ENOMEM;
    pl->nreasons++;
    return SM_OK;
}

static bool
gave_up(const struct planner *pl, const struct finding *f)
{
    char key[1200];

    snprintf(key, sizeof key, "%s %s", f->rule, f->selector ? f->selector : "");
    return sm_map_get(&pl->gaveup, key) != SM_NONE;
}

struct cand {
    int argc;
    const char *argv[5];
    char buf[4][512];
};

static void
cand_set(struct cand *c, int argc, ...)
{
    va_list ap;

    va_start(ap, argc);
    c->argc = argc;
    for (int i = 0; i < argc; i++) {
        const char *s = va_arg(ap, const char *);
        if (i >= 1 && i <= 4) {
            sm_strlcpy(c->buf[i - 1], s, sizeof c->buf[0]);
            c->argv[i] = c->buf[i - 1];
        } else {
            c->argv[i] = s;
        }
    }
    va_end(ap);
}

static int
add_step(struct planner *pl, const struct cand *c, const char *why, const char *rule,
         const char *selector, struct sm_error *err)
{
    struct plan *p = pl->p;
    struct plan_step *s;
    int rc;

    /* the running scenario takes the op too: the final check sees it */
    if ((rc = scenario_apply(pl->w, c->argc, c->argv, err)))
        return rc;
    if (sm_grow((void **)&p->steps, &pl->cap_steps, p->nsteps + 1, sizeof *p->steps))
        return oom(err);
    s = &p->steps[p->nsteps];
    s->op.n = (uint32_t)c->argc;
    s->op.v = sm_arena_alloc(&p->arena, (size_t)c->argc * sizeof *s->op.v);
    s->why = sm_arena_strdup(&p->arena, why);
    s->rule = sm_arena_strdup(&p->arena, rule);
    s->selector = sm_arena_strdup(&p->arena, selector);
    if (!s->op.v || !s->why || !s->rule || !s->selector)
        return oom(err);
    for (int i = 0; i < c->argc; i++)
        if (!(s->op.v[i] = sm_arena_strdup(&p->arena, c->argv[i])))
            return oom(err);
    p->nsteps++;
    return SM_OK;
}

/* ---- candidate regions ----------------------------------------------------------------- */

#define RANK_KEYS 8

struct ranked {
    int32_t region;
    const char *id;
    int key[RANK_KEYS];
};

static bool
same_bloc(const struct rulepack *rp, int a, int b)
{
    if (a < 0 || b < 0)
        return false;
    if (a == b)
        return true;
    for (int32_t k = 0; rp && k < rp->nblocs; k++)
        if (sm_ccset_has(&rp->blocs[k].members, a) && sm_ccset_has(&rp->blocs[k].members, b))
            return true;
    return false;
}

static int
cmp_ranked(const void *pa, const void *pb)
{
    const struct ranked *a = pa, *b = pb;

    for (int i = 0; i < RANK_KEYS; i++)
        if (a->key[i] != b->key[i])
            return a->key[i] < b->key[i] ? -1 : 1;
    return strcmp(a->id, b->id);
}

static bool
in_list(const int32_t *v, int32_t n, int32_t r)
{
    for (int32_t i = 0; i < n; i++)
        if (v[i] == r)
            return true;
    return false;
}

/* May a copy now in region `cur` move to r? Not retired, not denied by
 * the pack's org policy, in --only-regions, not in --avoid-regions, the
 * same provider with --same-provider. */
static bool
allowed_target(const struct planner *pl, int32_t r, int32_t cur)
{
    const struct model *m = pl->w->m;
    const struct region *g = &m->regions[r];
    const struct plan_options *o = pl->opt;

    if (g->deleted || g->global || scenario_retired(pl->w, r))
        return false;
    if (!rules_region_allowed(pl->w->rp, g->id, NULL))
        return false;
    if (o && o->only && !in_list(o->only, o->nonly, r))
        return false;
    if (o && o->avoid && in_list(o->avoid, o->navoid, r))
        return false;
    if (o && o->same_provider && !sm_streq(g->provider, m->regions[cur].provider))
        return false;
    return true;
}

/* The dataset's home country: its primary's (for another copy), else the
 * first subject jurisdiction that is a country with a localization law
 * (RU for a Russian dataset), else SM_NONE (then the subjects' free-flow
 * area is the home: home_area). */
static int
home_country(const struct planner *pl, int32_t p)
{
    const struct model *m = pl->w->m;
    const struct placement *pc = &m->placements[p];
    const struct dataset *d = &m->datasets[pc->dataset];
    int32_t prim = model_primary(m, pc->dataset);

    if (prim != SM_NONE && prim != p)
        return m->regions[m->placements[prim].region].country;
    for (int i = 0; i < d->nsubjects; i++) {
        int32_t g = rules_regime_of(pl->w->rp, d->subjects[i]);
        if (g != SM_NONE && pl->w->rp->regimes[g].country == d->subjects[i] &&
            pl->w->rp->regimes[g].hard_localization)
            return d->subjects[i];
    }
    return SM_NONE;
}

/* Where the dataset's subjects' data moves freely (the EEA for EU
 * subjects): the first subject jurisdiction's regime's area, or NULL. */
static const struct sm_ccset *
home_area(const struct planner *pl, int32_t p)
{
    const struct model *m = pl->w->m;
    const struct dataset *d = &m->datasets[m->placements[p].dataset];

    for (int i = 0; i < d->nsubjects; i++) {
        int32_t g = rules_regime_of(pl->w->rp, d->subjects[i]);
        if (g != SM_NONE)
            return &pl->w->rp->regimes[g].free_flow;
    }
    return NULL;
}

/* Regions for copy p (in w->m), best first: the nearest to where the copy
 * is now (same country, same bloc, the dataset's home country, same
 * provider, any), ties by same provider, home country, a region already
 * in use, a single region before a multi-region, then id. --prefer puts
 * one criterion first. */
static int
rank_regions(const struct planner *pl, int32_t p, struct ranked **out, int32_t *n)
{
    const struct model *m = pl->w->m;
    const struct placement *pc = &m->placements[p];
    const struct region *cur = &m->regions[pc->region];
    int home = home_country(pl, p);
    const struct sm_ccset *area = home < 0 ? home_area(pl, p) : NULL;
    int prefer = pl->opt ? pl->opt->prefer : PLAN_NEAREST;
    struct ranked *v = malloc(((size_t)m->nregions + 1) * sizeof *v);
    int32_t len = 0;

    if (!v)
        return SM_ENOMEM;
    for (int32_t r = 0; r < m->nregions; r++) {
        const struct region *g = &m->regions[r];
        bool taken = false;
        int prov, ctry, bloc, homec, homeb, used, near, first = 0;
        if (r == pc->region || !allowed_target(pl, r, pc->region))
            continue;
        /* one copy of a dataset per region: a second one there adds no
         * resilience and would collide with the first */
        for (int32_t q = m->datasets[pc->dataset].first_placement; q != SM_NONE;
             q = m->placements[q].next)
            if (!m->placements[q].deleted && m->placements[q].region == r)
                taken = true;
        if (taken)
            continue;
        prov = !sm_streq(g->provider, cur->provider);
        ctry = !(g->country >= 0 && g->country == cur->country);
        bloc = !same_bloc(pl->w->rp, g->country, cur->country);
        /* home: the home country, else (a primary of EU data) the subjects'
         * free-flow area */
        homec = !(home >= 0 ? g->country == home
                            : area && g->country >= 0 && sm_ccset_has(area, g->country));
        homeb = !same_bloc(pl->w->rp, g->country, home);
        used = pl->used[r] ? 0 : 1;
        near = !ctry ? 0 : !bloc ? 1 : !homec ? 2 : !prov ? 3 : 4;
        switch (prefer) {
        case PLAN_SAME_PROVIDER: first = prov; break;
        case PLAN_SAME_COUNTRY:  first = homec; break;
        case PLAN_FEWEST_REGIONS: first = used; break;
        default: break;
        }
        v[len].region = r;
        v[len].id = g->id;
        v[len].key[0] = first;
        v[len].key[1] = near;
        v[len].key[2] = prov;
        v[len].key[3] = homec;
        v[len].key[4] = homeb;
        v[len].key[5] = used;
        /* a single region is easier to reason about than a multi-region */
        v[len].key[6] = g->members ? 1 : 0;
        v[len].key[7] = 0;
        len++;
    }
    qsort(v, (size_t)len, sizeof *v, cmp_ranked);
    *out = v;
    *n = len;
    return SM_OK;
}

/* ---- trying a fix on the group's model --------------------------------------------------- */

struct group {
    struct scenario_eval *ev;   /* the group's model, ops tried in place */
    struct check_result *res;   /* its findings as of the last accepted fix */
    int errors;
};

/* The object a candidate changes, saved to undo a rejected try. */
struct snap {
    int kind;                   /* OBJ_PLACEMENT, OBJ_FLOW, OBJ_DATASET */
    int32_t id;
    union {
        struct placement p;
        struct flow f;
        struct dataset d;
    } u;
};

static void
snap_take(struct snap *sn, const struct model *m, int kind, int32_t id)
{
    sn->kind = kind;
    sn->id = id;
    if (kind == OBJ_PLACEMENT && id >= 0)
        sn->u.p = m->placements[id];
    else if (kind == OBJ_FLOW && id >= 0)
        sn->u.f = m->flows[id];
    else if (kind == OBJ_DATASET && id >= 0)
        sn->u.d = m->datasets[id];
    else
        sn->kind = -1;
}

static void
snap_restore(const struct snap *sn, struct model *m)
{
    if (sn->kind == OBJ_PLACEMENT)
        m->placements[sn->id] = sn->u.p;
    else if (sn->kind == OBJ_FLOW)
        m->flows[sn->id] = sn->u.f;
    else if (sn->kind == OBJ_DATASET)
        m->datasets[sn->id] = sn->u.d;
}

/* Apply c to the group's model and check it. Accepted when there are fewer
 * errors (or, without need_drop, no more) and no error of `rule` is left on
 * the object (kind, id); a rejected op is undone (it changes one object,
 * (okind, oid), which is saved first). Returns SM_OK with *ok. */
static int
try_fix_snap(struct planner *pl, struct group *g, const struct cand *c, const char *rule,
             int kind, int32_t id, int okind, int32_t oid, int32_t oid2, bool need_drop,
             bool *ok, struct sm_error *err)
{
    struct check_result *r = NULL;
    struct sm_error e2;
    struct snap sn, sn2;
    int rc;

    *ok = false;
    pl->p->tries++;
    snap_take(&sn, g->ev->m, okind, oid);
    snap_take(&sn2, g->ev->m, OBJ_PLACEMENT, oid2);     /* kind -1 when none */
    if (sn.kind < 0)
        return SM_OK;   /* nothing to undo with: do not try */
    if (scenario_apply(g->ev, c->argc, c->argv, &e2) != SM_OK) {
        snap_restore(&sn, g->ev->m);
        snap_restore(&sn2, g->ev->m);
        return e2.code == SM_ENOMEM ? oom(err) : SM_OK;
    }
    if ((rc = check_run(g->ev->m, pl->w->rp, pl->start->today, &r, err))) {
        snap_restore(&sn, g->ev->m);
        snap_restore(&sn2, g->ev->m);
        return rc;
    }
    if (count_errors(r) < g->errors || (!need_drop && count_errors(r) == g->errors)) {
        int32_t *nv = NULL, nn = 0;
        *ok = true;
        for (int32_t i = 0; rule && i < r->nfindings; i++) {
            const struct finding *f = &r->findings[i];
            if (live_error(f) && f->kind == kind && f->object == id && strcmp(f->rule, rule) == 0)
                *ok = false;
        }
        /* a plan is a proof: no finding traded for another */
        if (*ok && (rc = new_findings(g->res, r, pl->threshold, true, false, &nv, &nn)) == SM_OK &&
            nn > 0) {
            /* name a transfer first: it says which regime objects */
            int32_t pick = nv[0];
            for (int32_t i = nn - 1; i >= 0; i--)
                if (strncmp(r->findings[nv[i]].rule, "XFR", 3) == 0)
                    pick = nv[i];
            *ok = false;
            rc = set_reject(pl, &r->findings[pick]);
        }
        for (int32_t i = 0; pl->clean_copy != SM_NONE && i < r->nfindings && *ok; i++) {
            const struct finding *f = &r->findings[i];
            const struct fix_rule *fr = fix_of(f->rule);
            if (live_error(f) && f->kind == OBJ_PLACEMENT && f->object == pl->clean_copy && fr &&
                fr->fix >= FIX_MOVE_PRIMARY && fr->fix <= FIX_MOVE_OR_MECH)
                *ok = false;
        }
        free(nv);
        if (rc) {
            snap_restore(&sn, g->ev->m);
            snap_restore(&sn2, g->ev->m);
            check_result_free(r);
            return oom(err);
        }
    }
    if (*ok) {
        check_result_free(g->res);
        g->res = r;
        g->errors = count_errors(r);
    } else {
        snap_restore(&sn, g->ev->m);
        snap_restore(&sn2, g->ev->m);
        check_result_free(r);
    }
    return SM_OK;
}

static int
try_fix_as(struct planner *pl, struct group *g, const struct cand *c, const char *rule,
           int kind, int32_t id, int okind, int32_t oid, bool need_drop, bool *ok,
           struct sm_error *err)
{
    return try_fix_snap(pl, g, c, rule, kind, id, okind, oid, SM_NONE, need_drop, ok, err);
}

/* A fix that changes the finding's own object. */
static int
try_fix(struct planner *pl, struct group *g, const struct cand *c, const char *rule,
        int kind, int32_t id, bool *ok, struct sm_error *err)
{
    return try_fix_as(pl, g, c, rule, kind, id, kind, id, true, ok, err);
}

static void
why_of(const struct finding *f, char *buf, size_t size)
{
    snprintf(buf, size, "%s on %s: %s", f->rule, f->selector ? f->selector : "",
             f->message ? f->message : "");
}

/* The copy a finding is about, in the group's model, or SM_NONE. */
static int32_t
target_copy(const struct model *s, const struct finding *f, enum fix_kind fix)
{
    if (f->kind == OBJ_PLACEMENT && f->object >= 0) {
        if (fix == FIX_MOVE_PRIMARY && s->placements[f->object].role != ROLE_PRIMARY)
            return model_primary(s, s->placements[f->object].dataset);
        return f->object;
    }
    if (f->kind == OBJ_DATASET && f->object >= 0)
        return model_primary(s, f->object);
    if (f->kind == OBJ_FLOW && f->object >= 0)
        return s->flows[f->object].to;   /* the receiving copy, SM_NONE for exports */
    return SM_NONE;
}

/* Try the ranked regions for copy `tp` (an id in the group's model). */
static int
try_moves(struct planner *pl, struct group *g, const struct finding *f, int32_t tp,
          bool *ok, int32_t *tried, struct cand *won, struct sm_error *err)
{
    const struct model *m = pl->w->m, *s = g->ev->m;
    char sel[1024], from[600];
    struct ranked *v;
    int32_t n, wp;
    int rc;

    *ok = false;
    *tried = 0;
    /* the same copy in w->m, by selector */
    model_selector(s, OBJ_PLACEMENT, tp, sel, sizeof sel);
    if ((wp = model_placement(m, sel)) == SM_NONE)
        return SM_OK;
    if ((rc = rank_regions(pl, wp, &v, &n)))
        return oom(err);
    snprintf(from, sizeof from, "%s/%s", s->regions[s->placements[tp].region].id,
             role_names[s->placements[tp].role]);
    /* one move per copy: the place it goes to must suit it for good */
    pl->clean_copy = tp;
    for (int32_t i = 0; i < n && !*ok; i++) {
        cand_set(won, 4, "move", s->datasets[s->placements[tp].dataset].name, from,
                 m->regions[v[i].region].id);
        (*tried)++;
        if ((rc = try_fix_as(pl, g, won, f->rule, f->kind, f->object, OBJ_PLACEMENT, tp, true,
                             ok, err))) {
            pl->clean_copy = SM_NONE;
            free(v);
            return rc;
        }
    }
    pl->clean_copy = SM_NONE;
    free(v);
    return SM_OK;
}

static int32_t
lowest_personal_tier(const struct model *s, int32_t above)
{
    int32_t best = SM_NONE;

    for (int32_t t = 0; t < s->ntiers; t++) {
        const struct tier *x = &s->tiers[t];
        if (x->deleted || !x->personal)
            continue;
        if (above != SM_NONE && x->rank < s->tiers[above].rank)
            continue;
        if (best == SM_NONE || x->rank < s->tiers[best].rank)
            best = t;
    }
    return best;
}

/* Pinned copies (--pin DATASET or a copy's selector) never move, nor do
 * primaries with --keep-primaries. */
static bool
may_move(const struct planner *pl, const struct model *s, int32_t tp)
{
    const struct plan_options *o = pl->opt;
    char sel[1024];

    if (!o)
        return true;
    if (o->keep_primaries && s->placements[tp].role == ROLE_PRIMARY)
        return false;
    if (!o->npins)
        return true;
    model_selector(s, OBJ_PLACEMENT, tp, sel, sizeof sel);
    for (int32_t i = 0; i < o->npins; i++)
        if (strcmp(o->pins[i], s->datasets[s->placements[tp].dataset].name) == 0 ||
            strcmp(o->pins[i], sel) == 0)
            return false;
    return true;
}

/* Declare scc where the data must cross (SCCs still need signing and a
 * transfer impact assessment: the op carries no reference, a to-do). */
static int
try_mechanism(struct planner *pl, struct group *g, const struct finding *f, const char *fsel,
              struct cand *c, bool *ok, char *why, size_t wsize, struct sm_error *err)
{
    const struct model *s = g->ev->m;
    int rc;

    *ok = false;
    if (f->kind == OBJ_PLACEMENT && f->object >= 0 &&
        s->placements[f->object].role == ROLE_PRIMARY) {
        /* a primary abroad (a SaaS vendor's): the flows that feed it carry
         * the transfer; a mechanism on one of them may clear it */
        for (int32_t k = 0; k < s->nflows && !*ok; k++) {
            char fl[1024];
            if (s->flows[k].deleted || s->flows[k].to != f->object)
                continue;
            model_selector(s, OBJ_FLOW, k, fl, sizeof fl);
            cand_set(c, 3, "set-mechanism", fl, "scc");
            if ((rc = try_fix_as(pl, g, c, f->rule, f->kind, f->object, OBJ_FLOW, k, true, ok,
                                 err)))
                return rc;
        }
    } else if (f->kind == OBJ_FLOW || f->kind == OBJ_PLACEMENT) {
        cand_set(c, 3, "set-mechanism", fsel, "scc");
        if ((rc = try_fix(pl, g, c, f->rule, f->kind, f->object, ok, err)))
            return rc;
    }
    if (*ok)
        snprintf(why + strlen(why), wsize - strlen(why),
                 "; kept in place: sign SCCs and a TIA, then give their reference");
    return SM_OK;
}

/* A localization law on dataset f->object: promote a copy to primary (the
 * checker decides which copy is in the right country). */
static int
try_promote(struct planner *pl, struct group *g, const struct finding *f, struct cand *c,
            bool *ok, struct sm_error *err)
{
    const struct model *s = g->ev->m;
    int32_t d = f->object, prim = model_primary(s, d);
    char sel[1024];
    int rc;

    *ok = false;
    if (pl->opt && pl->opt->keep_primaries)
        return SM_OK;
    for (int32_t q = s->datasets[d].first_placement; q != SM_NONE && !*ok;
         q = s->placements[q].next) {
        if (s->placements[q].deleted || q == prim)
            continue;
        model_selector(s, OBJ_PLACEMENT, q, sel, sizeof sel);
        cand_set(c, 2, "promote", sel);
        /* the op changes two copies: keep the primary's state to undo */
        if ((rc = try_fix_snap(pl, g, c, f->rule, f->kind, f->object, OBJ_PLACEMENT, q, prim,
                               true, ok, err)))
            return rc;
    }
    return SM_OK;
}

/* Regimes in conflict: a localization law (f: RES003 on a dataset with
 * several subject jurisdictions) whose in-country primary another regime
 * forbids. The verdict in reason; false when that is not the case. */
static bool
conflict_verdict(const struct planner *pl, const struct model *s, const struct finding *f,
                 char *reason, size_t size)
{
    const struct dataset *d = &s->datasets[f->object];
    const char *loc = f->jurisdictions ? f->jurisdictions : "";
    char others[128] = "";
    size_t at = 0;

    if (strcmp(f->rule, "RES003") != 0 || d->nsubjects < 2 || !pl->reject)
        return false;
    for (int i = 0; i < d->nsubjects; i++) {
        char cc[3];
        sm_cc_str(d->subjects[i], cc);
        if (strcmp(cc, loc) == 0 || at + 8 >= sizeof others)
            continue;
        at += (size_t)snprintf(others + at, sizeof others - at, "%s%s", at ? "+" : "", cc);
    }
    snprintf(reason, size, "%s and %s subjects in one dataset: %s needs a primary in %s, "
             "%s forbids one there without a mechanism (an in-country primary adds %s); "
             "split the dataset per regime, or declare a mechanism for the copy in %s",
             others, loc, loc, loc, others, pl->reject, loc);
    return true;
}

/* Fix one finding of the group, or record why not. */
static int
fix_finding(struct planner *pl, struct group *g, const struct finding *f0, struct sm_error *err)
{
    const struct fix_rule *fr = fix_of(f0->rule);
    const struct model *s = g->ev->m;
    struct finding f = *f0;     /* g->res changes under us */
    char why[1024], rule[32], fsel[1024], reason[1024];
    struct cand c;
    bool ok = false;
    int32_t tp, tried = 0;
    int rc;

    sm_strlcpy(rule, f0->rule, sizeof rule);
    sm_strlcpy(fsel, f0->selector ? f0->selector : "", sizeof fsel);
    f.rule = rule;
    f.selector = fsel;
    why_of(f0, why, sizeof why);
    free(pl->reject);
    pl->reject = NULL;
    if (!fr)
        return give_up(pl, rule, fsel, "no automatic fix for this rule (custom rule?)");
    reason[0] = '\0';
    switch (fr->fix) {
    case FIX_NONE:
        return give_up(pl, rule, fsel, fr->cannot);
    case FIX_TIER:
    case FIX_PERSONAL_TIER: {
        int32_t d = f.dataset, t;
        if (d < 0)
            break;
        if (fr->fix == FIX_TIER) {
            /* the dataset's effective tier, as the checker computed it */
            t = (g->res->eff_tier && d < g->res->ndatasets) ? g->res->eff_tier[d] : SM_NONE;
        } else {
            t = lowest_personal_tier(s, s->datasets[d].tier);
        }
        if (t == SM_NONE || t == s->datasets[d].tier) {
            snprintf(reason, sizeof reason, "no tier to raise %s to", s->datasets[d].name);
            break;
        }
        cand_set(&c, 3, "set-tier", s->datasets[d].name, s->tiers[t].name);
        if ((rc = try_fix_as(pl, g, &c, rule, f.kind, f.object, OBJ_DATASET, d, true, &ok, err)))
            return rc;
        if (!ok)
            snprintf(reason, sizeof reason, "setting %s to tier %s does not clear it",
                     s->datasets[d].name, s->tiers[t].name);
        break;
    }
    case FIX_ENCRYPT:
        if (f.kind != OBJ_PLACEMENT || f.object < 0)
            break;
        cand_set(&c, 5, "set", "placement", fsel, "encrypted", "true");
        if ((rc = try_fix(pl, g, &c, rule, f.kind, f.object, &ok, err)))
            return rc;
        break;
    case FIX_KEY: {
        const struct placement *pc;
        int32_t prim;
        if (f.kind != OBJ_PLACEMENT || f.object < 0)
            break;
        pc = &s->placements[f.object];
        cand_set(&c, 5, "set", "placement", fsel, "key-region", s->regions[pc->region].id);
        if ((rc = try_fix(pl, g, &c, rule, f.kind, f.object, &ok, err)))
            return rc;
        /* an accepted fix replaced the group's model: s and pc are gone */
        prim = ok ? SM_NONE : model_primary(s, pc->dataset);
        if (!ok && prim != SM_NONE && s->placements[prim].region != pc->region) {
            cand_set(&c, 5, "set", "placement", fsel, "key-region",
                     s->regions[s->placements[prim].region].id);
            if ((rc = try_fix(pl, g, &c, rule, f.kind, f.object, &ok, err)))
                return rc;
        }
        if (!ok)
            snprintf(reason, sizeof reason, "no key region inside the tier's key scope found");
        break;
    }
    case FIX_TRANSIT:
        if (f.kind != OBJ_FLOW || f.object < 0)
            break;
        cand_set(&c, 5, "set", "flow", fsel, "transit-encrypted", "true");
        if ((rc = try_fix(pl, g, &c, rule, f.kind, f.object, &ok, err)))
            return rc;
        break;
    case FIX_MOVE:
    case FIX_MOVE_PRIMARY:
    case FIX_MOVE_OR_MECH: {
        bool moves_first = pl->opt && pl->opt->prefer_moves, stuck = false;
        tp = target_copy(s, &f, fr->fix);
        if (tp == SM_NONE && fr->fix != FIX_MOVE_OR_MECH) {
            snprintf(reason, sizeof reason, "no copy to move (the dataset has no primary?)");
            break;
        }
        /* keep the copy where it is when a mechanism clears it */
        if (fr->fix == FIX_MOVE_OR_MECH && !moves_first &&
            (rc = try_mechanism(pl, g, &f, fsel, &c, &ok, why, sizeof why, err)))
            return rc;
        /* a localization law: an in-country copy becomes the primary */
        if (!ok && fr->fix == FIX_MOVE_PRIMARY && f.kind == OBJ_DATASET &&
            (rc = try_promote(pl, g, &f, &c, &ok, err)))
            return rc;
        if (!ok && tp != SM_NONE) {
            if (!may_move(pl, s, tp))
                stuck = true;
            else if ((rc = try_moves(pl, g, &f, tp, &ok, &tried, &c, err)))
                return rc;
        }
        if (!ok && fr->fix == FIX_MOVE_OR_MECH && moves_first &&
            (rc = try_mechanism(pl, g, &f, fsel, &c, &ok, why, sizeof why, err)))
            return rc;
        if (!ok) {
            const char *only = pl->opt && pl->opt->only ? " among --only-regions" : "";
            if (stuck)
                snprintf(reason, sizeof reason, "the copy may not move (%s)%s",
                         pl->opt && pl->opt->keep_primaries &&
                         s->placements[tp].role == ROLE_PRIMARY ? "--keep-primaries" : "--pin",
                         fr->fix == FIX_MOVE_OR_MECH ? " and declaring scc does not clear it" : "");
            else if (f.kind == OBJ_DATASET && conflict_verdict(pl, s, &f, reason, sizeof reason))
                ;
            else if (fr->fix == FIX_MOVE_OR_MECH)
                snprintf(reason, sizeof reason, "no allowed region%s and declaring scc does not "
                         "clear it (the tier's scope admits no mechanism, or the regime bars "
                         "the destination)%s%s", only, pl->reject ? "; the nearest adds " : "",
                         pl->reject ? pl->reject : "");
            else
                snprintf(reason, sizeof reason, "no allowed region%s for this copy%s%s%s", only,
                         tried ? " (every candidate checked)" : "",
                         pl->reject ? "; the nearest adds " : "", pl->reject ? pl->reject : "");
            /* a copy that cannot stay and cannot move: patching its other
             * findings (a mechanism, a key) would only hide that */
            if (f.kind == OBJ_PLACEMENT) {
                for (int32_t i = 0; i < g->res->nfindings; i++) {
                    const struct finding *o = &g->res->findings[i];
                    if (live_error(o) && o->kind == f.kind && o->object == f.object &&
                        (rc = give_up(pl, o->rule, o->selector, reason)))
                        return rc;
                }
            }
        }
        break;
    }
    }
    if (ok)
        return add_step(pl, &c, why, rule, fsel, err);
    return give_up(pl, rule, fsel, *reason ? reason : "no verified fix found");
}

/* Work order: classification first (it sets the scopes), then primaries,
 * then the other copies and flows, then encryption. */
static int
finding_order(const struct group *g, const struct finding *f)
{
    const struct fix_rule *fr = fix_of(f->rule);
    int base = fr ? (int)fr->fix : (int)FIX_NONE;

    if (base >= FIX_MOVE_PRIMARY && base <= FIX_MOVE_OR_MECH && f->kind == OBJ_PLACEMENT &&
        f->object >= 0 && g->ev->m->placements[f->object].role == ROLE_PRIMARY)
        return FIX_MOVE_PRIMARY;
    return base;
}

static int32_t finding_dataset(const struct model *m, const struct finding *f);

/* Fix the group's errors one at a time (only those of dataset only_ds when
 * it is not SM_NONE). */
static int
solve(struct planner *pl, struct group *g, int32_t only_ds, struct sm_error *err)
{
    /* each round fixes one finding (the error count drops) or gives up on
     * one: bounded by the findings at the start */
    int32_t max_rounds = 2 * g->res->nfindings + 64;
    int rc = SM_OK;

    for (int32_t round = 0; round < max_rounds && g->errors > 0; round++) {
        const struct finding *pick = NULL;
        int best = 1 << 30;
        for (int32_t i = 0; i < g->res->nfindings; i++) {
            const struct finding *f = &g->res->findings[i];
            int o;
            if (!live_error(f) || gave_up(pl, f))
                continue;
            if (only_ds != SM_NONE && finding_dataset(g->ev->m, f) != only_ds)
                continue;
            if ((o = finding_order(g, f)) < best) {
                best = o;
                pick = f;
            }
        }
        if (!pick)
            break;
        if ((rc = fix_finding(pl, g, pick, err)))
            break;
    }
    return rc;
}

/* A group's model, checked. */
static int
group_open(struct planner *pl, const int32_t *ds, int32_t n, struct group *g,
           struct sm_error *err)
{
    struct model *sub = NULL;
    int rc;

    memset(g, 0, sizeof *g);
    if ((rc = scenario_submodel(pl->w->m, &pl->links, ds, n, pl->pmap, &sub, err)) ||
        (rc = scenario_begin_take(sub, pl->w->rp, "", &g->ev, err)))
        return rc;
    if ((rc = check_run(g->ev->m, pl->w->rp, pl->start->today, &g->res, err))) {
        scenario_eval_free(g->ev);
        g->ev = NULL;
        return rc;
    }
    g->errors = count_errors(g->res);
    return SM_OK;
}

static void
group_close(struct group *g)
{
    check_result_free(g->res);
    scenario_eval_free(g->ev);
    memset(g, 0, sizeof *g);
}

/* Plan one dataset of a big group on a model of it and its direct flow
 * partners; the partners' effective tier and subjects come from the
 * group's check (gm, gres), so lineage from beyond them still counts. */
static int
plan_neighbourhood(struct planner *pl, int32_t wd, const struct model *gm,
                   const struct check_result *gres, struct sm_error *err)
{
    const struct model *m = pl->w->m;
    int32_t *nb = NULL, cap = 0, len = 0;
    struct model *sub = NULL;
    struct group g;
    int rc;

    memset(&g, 0, sizeof g);
    if (sm_grow((void **)&nb, &cap, 1, sizeof *nb))
        return oom(err);
    nb[len++] = wd;
    for (int32_t k = pl->links.first[wd]; k < pl->links.first[wd + 1]; k++) {
        const struct flow *f = &m->flows[pl->links.flows[k]];
        int32_t ends[2] = { m->placements[f->from].dataset,
                            f->to == SM_NONE ? SM_NONE : m->placements[f->to].dataset };
        for (int e = 0; e < 2; e++) {
            bool have = ends[e] == SM_NONE;
            for (int32_t i = 0; i < len && !have; i++)
                have = nb[i] == ends[e];
            if (have)
                continue;
            if (sm_grow((void **)&nb, &cap, len + 1, sizeof *nb)) {
                free(nb);
                return oom(err);
            }
            nb[len++] = ends[e];
        }
    }
    rc = scenario_submodel(m, &pl->links, nb, len, pl->pmap, &sub, err);
    for (int32_t i = 1; i < len && !rc; i++) {
        const char *name = m->datasets[nb[i]].name;
        int32_t gi = model_dataset(gm, name), si = model_dataset(sub, name), t;
        char subj[256];
        if (gi == SM_NONE || si == SM_NONE || gi >= gres->ndatasets)
            continue;
        t = gres->eff_tier ? gres->eff_tier[gi] : SM_NONE;
        if (t != SM_NONE && (rc = model_set(sub, OBJ_DATASET, si, "tier", gm->tiers[t].name, err)))
            break;
        check_eff_subjects(gres, gi, subj, sizeof subj);
        rc = model_set(sub, OBJ_DATASET, si, "subjects", subj, err);
    }
    free(nb);
    if (rc) {
        model_free(sub);
        return rc;
    }
    if ((rc = scenario_begin_take(sub, pl->w->rp, "", &g.ev, err)))
        return rc;
    if ((rc = check_run(g.ev->m, pl->w->rp, pl->start->today, &g.res, err)) == SM_OK) {
        g.errors = count_errors(g.res);
        rc = solve(pl, &g, model_dataset(g.ev->m, m->datasets[wd].name), err);
    }
    group_close(&g);
    return rc;
}

static int
plan_group(struct planner *pl, const int32_t *ds, int32_t n, struct sm_error *err)
{
    int32_t big = pl->opt && pl->opt->big_group > 0 ? pl->opt->big_group : 2000;
    struct group g;
    uint8_t *seen;
    int rc;

    if (n <= big) {
        if ((rc = group_open(pl, ds, n, &g, err)))
            return rc;
        rc = solve(pl, &g, SM_NONE, err);
        group_close(&g);
        return rc;
    }
    /* a big group: check it whole, then fix each dataset with errors on
     * its neighbourhood; a few rounds catch what the fixes interact on */
    if (!(seen = calloc((size_t)pl->w->m->ndatasets + 1, 1)))
        return oom(err);
    rc = SM_OK;
    for (int round = 0; round < 3 && !rc; round++) {
        int32_t steps0 = pl->p->nsteps;
        if ((rc = group_open(pl, ds, n, &g, err)))
            break;
        memset(seen, 0, (size_t)pl->w->m->ndatasets + 1);
        for (int order = 0; order <= FIX_NONE && !rc; order++)
            for (int32_t i = 0; i < g.res->nfindings && !rc; i++) {
                const struct finding *f = &g.res->findings[i];
                int32_t gd, wd;
                if (!live_error(f) || gave_up(pl, f) || finding_order(&g, f) != order)
                    continue;
                if ((gd = finding_dataset(g.ev->m, f)) < 0)
                    continue;
                wd = model_dataset(pl->w->m, g.ev->m->datasets[gd].name);
                if (wd == SM_NONE || seen[wd])
                    continue;
                seen[wd] = 1;
                rc = plan_neighbourhood(pl, wd, g.ev->m, g.res, err);
            }
        if (!rc && g.errors == 0)
            round = 3;
        group_close(&g);
        if (pl->p->nsteps == steps0)
            break;
    }
    free(seen);
    return rc;
}

/* Keys held in a retired region: into the copy's own region, else the
 * primary's, whichever adds no error on the copy's group. */
static int
move_stranded_keys(struct planner *pl, struct sm_error *err)
{
    struct model *m = pl->w->m;
    int rc = SM_OK;

    for (int32_t p = 0; p < m->nplacements && !rc; p++) {
        const struct placement *pc = &m->placements[p];
        struct group g = { NULL, NULL, 0 };
        int32_t d = pc->dataset, *ds = NULL, n = 0, prim, targets[2];
        uint8_t *mark;
        char sel[1024], why[1400];
        bool ok = false;

        if (pc->deleted || m->datasets[d].deleted || pc->key_region == SM_NONE ||
            !scenario_retired(pl->w, pc->key_region) || scenario_retired(pl->w, pc->region))
            continue;
        model_selector(m, OBJ_PLACEMENT, p, sel, sizeof sel);
        prim = model_primary(m, d);
        targets[0] = pc->region;
        targets[1] = prim != SM_NONE ? m->placements[prim].region : SM_NONE;
        if (!(mark = calloc((size_t)m->ndatasets + 1, 1)))
            return oom(err);
        rc = scenario_group(m, &pl->links, mark, &d, 1, &ds, &n);
        free(mark);
        if (rc)
            return oom(err);
        struct model *sub = NULL;
        if (!(rc = scenario_submodel(m, &pl->links, ds, n, pl->pmap, &sub, err)) &&
            !(rc = scenario_begin_take(sub, pl->w->rp, "", &g.ev, err)) &&
            !(rc = check_run(g.ev->m, pl->w->rp, pl->start->today, &g.res, err))) {
            struct cand c;
            int32_t sp = model_placement(g.ev->m, sel);
            g.errors = count_errors(g.res);
            for (int k = 0; k < 2 && !ok && !rc; k++) {
                if (targets[k] == SM_NONE || scenario_retired(pl->w, targets[k]) ||
                    (k == 1 && targets[1] == targets[0]))
                    continue;
                cand_set(&c, 5, "set", "placement", sel, "key-region", m->regions[targets[k]].id);
                rc = try_fix_as(pl, &g, &c, NULL, OBJ_PLACEMENT, SM_NONE, OBJ_PLACEMENT, sp, false,
                                &ok, err);
            }
            if (!rc && ok) {
                snprintf(why, sizeof why, "key of %s held in retired %s", sel,
                         m->regions[m->placements[p].key_region].id);
                rc = add_step(pl, &c, why, "ENC002", sel, err);
            }
        }
        check_result_free(g.res);
        scenario_eval_free(g.ev);
        free(ds);
    }
    return rc;
}

/* ---- the plan ------------------------------------------------------------------------------ */

/* A scenario on the start: its model and pack, its retired regions. */
static int
work_begin(const struct scenario_eval *start, struct scenario_eval **out, struct sm_error *err)
{
    struct scenario_eval *w;
    int rc;

    if ((rc = scenario_begin(start->m, start->rp, start->name, &w, err)))
        return rc;
    /* the start's retired regions stay retired (its pack denies them) */
    for (int32_t k = 0; k < start->nretired; k++) {
        if (sm_grow((void **)&w->retired, &w->cap_retired, w->nretired + 1,
                    sizeof *w->retired)) {
            scenario_eval_free(w);
            return oom(err);
        }
        w->retired[w->nretired++] = start->retired[k];
    }
    *out = w;
    return SM_OK;
}

static void
drop_step(struct plan *p, int32_t k)
{
    memmove(&p->steps[k], &p->steps[k + 1], (size_t)(p->nsteps - k - 1) * sizeof *p->steps);
    p->nsteps--;
    p->dropped++;
}

/* Apply the steps to a fresh start, prefix by prefix; stop at the first
 * step after which the model has a finding the start had not: *bad (or
 * SM_NONE), the finding in *what (heap). Steps that no longer apply are
 * dropped on the way. */
static int
first_bad_step(struct planner *pl, int32_t *bad, char **what, struct sm_error *err)
{
    struct scenario_eval *ev = NULL;
    int rc;

    *bad = SM_NONE;
    *what = NULL;
    if ((rc = work_begin(pl->start, &ev, err)))
        return rc;
    for (int32_t k = 0; k < pl->p->nsteps && !rc;) {
        const struct plan_step *st = &pl->p->steps[k];
        struct sm_error e2;
        int32_t *nv = NULL, nn = 0;
        if (scenario_apply(ev, (int)st->op.n, st->op.v, &e2) != SM_OK) {
            if (e2.code == SM_ENOMEM) {
                rc = oom(err);
                break;
            }
            /* cannot happen on a fresh start unless an earlier step was
             * dropped: this one then depended on it */
            scenario_eval_free(ev);
            ev = NULL;
            drop_step(pl->p, k);
            if ((rc = work_begin(pl->start, &ev, err)))
                break;
            for (int32_t i = 0; i < k && !rc; i++)
                rc = scenario_apply(ev, (int)pl->p->steps[i].op.n, pl->p->steps[i].op.v, err);
            continue;
        }
        if ((rc = scenario_check(ev, pl->start->today, err)))
            break;
        if ((rc = new_findings(pl->start->res, ev->res, pl->threshold, false, false, &nv, &nn)))
            rc = oom(err);
        else if (nn > 0) {
            *bad = k;
            if (set_reject(pl, &ev->res->findings[nv[0]]))
                rc = oom(err);
            else {
                *what = pl->reject;
                pl->reject = NULL;
            }
            free(nv);
            break;
        }
        free(nv);
        k++;
    }
    scenario_eval_free(ev);
    return rc;
}

/* The plan is a proof: the whole model after it has no live finding at or
 * above the threshold that the start had not. The groups are planned
 * apart, so a step may still bring one (a big group's neighbourhood, the
 * keys): such steps are dropped, the finding they fixed is listed as
 * unfixed with the reason, and pl->w is the start plus what is left. */
static int
prove(struct planner *pl, struct sm_error *err)
{
    int rc;

    for (;;) {
        int32_t *nv = NULL, nn = 0, bad;
        char *what = NULL, reason[1024];
        const struct plan_step *st;

        if ((rc = scenario_check(pl->w, pl->start->today, err)))
            return rc;
        if (new_findings(pl->start->res, pl->w->res, pl->threshold, false, false, &nv, &nn))
            return oom(err);
        free(nv);
        if (nn == 0 || pl->p->nsteps == 0)
            return SM_OK;   /* (no steps: the start itself, nothing is new) */
        if ((rc = first_bad_step(pl, &bad, &what, err)))
            return rc;
        if (bad == SM_NONE) {
            /* every prefix is clean but the whole is not: cannot be, as
             * the last prefix is the whole; be safe and drop the last */
            bad = pl->p->nsteps - 1;
        }
        if (bad >= 0) {
            st = &pl->p->steps[bad];
            snprintf(reason, sizeof reason, "its fix (%s ...) adds %s", st->op.v[0],
                     what ? what : "a new finding");
            if ((rc = give_up(pl, st->rule, st->selector, reason))) {
                free(what);
                return oom(err);
            }
            drop_step(pl->p, bad);
        }
        free(what);
        /* pl->w again: the start plus the steps left (then checked above) */
        scenario_eval_free(pl->w);
        pl->w = NULL;
        if ((rc = work_begin(pl->start, &pl->w, err)))
            return rc;
        for (int32_t i = 0; i < pl->p->nsteps; i++)
            if ((rc = scenario_apply(pl->w, (int)pl->p->steps[i].op.n, pl->p->steps[i].op.v,
                                     err)))
                return rc;
    }
}

/* New live findings after the plan, any severity (to announce). */
static int
collect_news(struct planner *pl, struct sm_error *err)
{
    struct plan *p = pl->p;
    int32_t *nv = NULL, nn = 0;

    if (new_findings(pl->start->res, pl->w->res, SEV_INFO, true, true, &nv, &nn))
        return oom(err);
    if (nn && !(p->news = calloc((size_t)nn, sizeof *p->news))) {
        free(nv);
        return oom(err);
    }
    for (int32_t i = 0; i < nn; i++) {
        const struct finding *f = &pl->w->res->findings[nv[i]];
        struct plan_new *n = &p->news[p->nnews++];
        n->rule = sm_arena_strdup(&p->arena, f->rule);
        n->selector = sm_arena_strdup(&p->arena, f->selector ? f->selector : "");
        n->message = sm_arena_strdup(&p->arena, f->message ? f->message : "");
        n->severity = f->severity;
        n->todo = todo_rule(f->rule);
        if (!n->rule || !n->selector || !n->message) {
            free(nv);
            return oom(err);
        }
    }
    free(nv);
    return SM_OK;
}

/* A cheap lower bound on the ops: every op the planner knows changes one
 * group of datasets linked by flows, so each group with a fixed error
 * needed one op at least. */
static int
lower_bound(struct planner *pl, struct sm_error *err)
{
    const struct model *m = pl->start->m;
    struct scenario_links l;
    int32_t *nv = NULL, nn = 0;
    uint8_t *mark;
    int rc = SM_OK;

    /* the start's errors the plan fixed: in start, not after */
    if (new_findings(pl->w->res, pl->start->res, SEV_ERROR, true, false, &nv, &nn))
        return oom(err);
    if (!(mark = calloc((size_t)m->ndatasets + 1, 1)) || scenario_links_build(m, &l)) {
        free(mark);
        free(nv);
        return oom(err);
    }
    for (int32_t i = 0; i < nn && !rc; i++) {
        int32_t d = finding_dataset(m, &pl->start->res->findings[nv[i]]), *ds = NULL, n = 0;
        if (d < 0 || d >= m->ndatasets || mark[d])
            continue;
        if (scenario_group(m, &l, mark, &d, 1, &ds, &n))
            rc = oom(err);
        else
            pl->p->lower_bound++;
        free(ds);
    }
    scenario_links_fini(&l);
    free(mark);
    free(nv);
    return rc;
}

static int
collect_unfixed(struct planner *pl, struct sm_error *err)
{
    const struct check_result *r = pl->w->res;
    struct plan *p = pl->p;

    for (int32_t i = 0; i < r->nfindings; i++) {
        const struct finding *f = &r->findings[i];
        struct plan_unfixed *u;
        char key[1200];
        int32_t k;
        if (!live_error(f))
            continue;
        if (sm_grow((void **)&p->unfixed, &pl->cap_unfixed, p->nunfixed + 1, sizeof *p->unfixed))
            return oom(err);
        u = &p->unfixed[p->nunfixed];
        snprintf(key, sizeof key, "%s %s", f->rule, f->selector ? f->selector : "");
        k = sm_map_get(&pl->gaveup, key);
        u->rule = sm_arena_strdup(&p->arena, f->rule);
        u->selector = sm_arena_strdup(&p->arena, f->selector ? f->selector : "");
        u->severity = f->severity;
        u->reason = k != SM_NONE ? pl->reasons[k]
                    : f->dataset == SM_NONE ? "no automatic fix for this rule (custom rule?)"
                                            : "still fails once the plan's other changes are in";
        if (!u->rule || !u->selector)
            return oom(err);
        p->nunfixed++;
    }
    return SM_OK;
}

static int32_t
finding_dataset(const struct model *m, const struct finding *f)
{
    if (f->dataset >= 0)
        return f->dataset;
    if (f->kind == OBJ_PLACEMENT && f->object >= 0)
        return m->placements[f->object].dataset;
    if (f->kind == OBJ_FLOW && f->object >= 0)
        return m->placements[m->flows[f->object].from].dataset;
    if (f->kind == OBJ_DATASET)
        return f->object;
    return SM_NONE;
}

int
plan_make(const struct scenario_eval *start, const struct plan_options *opt,
          struct plan **out, struct sm_error *err)
{
    struct planner pl;
    struct plan *p;
    int rc = SM_OK;

    if (!start->res)
        return sm_error_set(err, SM_EINVAL, "plan: the starting model is not checked");
    if (!(p = calloc(1, sizeof *p)))
        return oom(err);
    sm_arena_init(&p->arena);
    memset(&pl, 0, sizeof pl);
    pl.start = start;
    pl.opt = opt;
    pl.p = p;
    sm_map_init(&pl.gaveup);
    p->errors_before = count_errors(start->res);
    pl.threshold = opt ? opt->fail_on : SEV_WARNING;
    pl.clean_copy = SM_NONE;
    if (pl.threshold > SEV_ERROR)
        pl.threshold = SEV_ERROR;
    p->fail_on = opt ? opt->fail_on : SEV_WARNING;
    if ((rc = work_begin(start, &pl.w, err)))
        goto done;
    {
        const struct model *m = pl.w->m;
        pl.done = calloc((size_t)m->ndatasets + 1, 1);
        pl.used = calloc((size_t)m->nregions + 1, sizeof *pl.used);
        pl.pmap = malloc(((size_t)m->nplacements + 1) * sizeof *pl.pmap);
        if (!pl.done || !pl.used || !pl.pmap || scenario_links_build(m, &pl.links)) {
            rc = oom(err);
            goto done;
        }
        for (int32_t i = 0; i < m->nplacements; i++) {
            pl.pmap[i] = SM_NONE;
            if (!m->placements[i].deleted)
                pl.used[m->placements[i].region]++;
        }
    }
    if (p->errors_before > 0) {
        for (int32_t i = 0; i < start->res->nfindings && !rc; i++) {
            const struct finding *f = &start->res->findings[i];
            int32_t d = finding_dataset(start->m, f), *ds, n;
            if (!live_error(f) || d < 0 || d >= pl.w->m->ndatasets || pl.done[d])
                continue;
            if ((rc = scenario_group(pl.w->m, &pl.links, pl.done, &d, 1, &ds, &n))) {
                rc = oom(err);
                break;
            }
            rc = plan_group(&pl, ds, n, err);
            free(ds);
        }
    }
    if (!rc && start->nretired)
        rc = move_stranded_keys(&pl, err);
    if (!rc)
        rc = prove(&pl, err);
    if (!rc) {
        p->errors_after = count_errors(pl.w->res);
        for (int sv = 0; sv < SEV_COUNT; sv++) {
            p->before[sv] = start->res->stats.count[sv];
            p->after[sv] = pl.w->res->stats.count[sv];
        }
        rc = collect_unfixed(&pl, err);
    }
    if (!rc)
        rc = collect_news(&pl, err);
    if (!rc)
        rc = lower_bound(&pl, err);
done:
    free(pl.reject);
    scenario_eval_free(pl.w);
    free(pl.done);
    free(pl.used);
    free(pl.pmap);
    scenario_links_fini(&pl.links);
    free(pl.reasons);
    sm_map_fini(&pl.gaveup);
    if (rc) {
        plan_free(p);
        return rc;
    }
    *out = p;
    return SM_OK;
}

void
plan_free(struct plan *p)
{
    if (!p)
        return;
    free(p->steps);
    free(p->unfixed);
    free(p->news);
    sm_arena_fini(&p->arena);
    free(p);
}
