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
#include "plan_int.h"

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

int
count_errors(const struct check_result *r)
{
    return r->stats.count[SEV_ERROR];
}

bool
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
int
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
int
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

int
give_up(struct planner *pl, const char *rule, const char *selector, const char *reason)
{
    char small[256], *key = gaveup_key(small, sizeof small, rule, selector); /* bounded: a fast path, the heap past it */
    const char *k, *r;

    if (!key)
        return SM_ENOMEM;
    if (sm_map_get(&pl->gaveup, key) != SM_NONE) {
        if (key != small)
            free(key);
        return SM_OK;
    }
    k = sm_arena_strdup(&pl->p->arena, key);
    if (key != small)
        free(key);
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

bool
gave_up(const struct planner *pl, const struct finding *f)
{
    char small[256], *key = gaveup_key(small, sizeof small, f->rule, f->selector); /* bounded: a fast path, the heap past it */
    bool found;

    if (!key)
        return false;   /* out of memory: try it again, no harm */
    found = sm_map_get(&pl->gaveup, key) != SM_NONE;
    if (key != small)
        free(key);
    return found;
}

void
cand_set(struct cand *c, int argc, ...)
{
    va_list ap;

    va_start(ap, argc);
    c->argc = argc;
    for (int i = 0; i < argc; i++) {
        const char *s = va_arg(ap, const char *);
        if (i >= 1 && i <= 4) {
            /* s may be the text being replaced: copy before freeing */
            char *d = strdup(s);
            free(c->buf[i - 1]);
            c->buf[i - 1] = d;
            c->oom |= !d;
            c->argv[i] = d ? d : "";
        } else {
            c->argv[i] = s;
        }
    }
    va_end(ap);
}

void
cand_free(struct cand *c)
{
    for (int i = 0; i < 4; i++) {
        free(c->buf[i]);
        c->buf[i] = NULL;
    }
}

char *
gaveup_key(char *small, size_t size, const char *rule, const char *selector)
{
    int n = snprintf(small, size, "%s %s", rule, selector ? selector : "");

    if (n >= 0 && (size_t)n < size)
        return small;
    return sm_strdupf("%s %s", rule, selector ? selector : "");
}

int
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
int
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
        SM_ERROR(e2);
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
        char *what = NULL, *reason;
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
            reason = sm_strdupf("its fix (%s ...) adds %s", st->op.v[0],
                                what ? what : "a new finding");
            if (!reason || (rc = give_up(pl, st->rule, st->selector, reason))) {
                free(reason);
                free(what);
                return oom(err);
            }
            free(reason);
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
        char small[256], *key;          /* bounded: a fast path, the heap past it */
        int32_t k;
        if (!live_error(f))
            continue;
        if (sm_grow((void **)&p->unfixed, &pl->cap_unfixed, p->nunfixed + 1, sizeof *p->unfixed))
            return oom(err);
        u = &p->unfixed[p->nunfixed];
        if (!(key = gaveup_key(small, sizeof small, f->rule, f->selector)))
            return oom(err);
        k = sm_map_get(&pl->gaveup, key);
        if (key != small)
            free(key);
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

int32_t
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
