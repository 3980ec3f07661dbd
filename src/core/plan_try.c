/*
 * plan_try.c - the planner: trying a fix on the group's model (moves,
 * tiers, mechanisms, encryption, keys), each verified by a check.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "plan.h"
#include "rules.h"
#include "plan_int.h"

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
    SM_ERROR(e2);
    struct snap sn, sn2;
    int rc;

    *ok = false;
    if (c->oom)
        return oom(err);
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
            int fx = rules_fix(f->rule, NULL);
            if (live_error(f) && f->kind == OBJ_PLACEMENT && f->object == pl->clean_copy &&
                fx >= FIX_MOVE_PRIMARY && fx <= FIX_MOVE_OR_MECH)
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
why_of(const struct finding *f, struct sm_text *why)
{
    sm_text_set(why, "%s on %s: %s", f->rule, f->selector ? f->selector : "",
              f->message ? f->message : "");
}

/* The copy a finding is about, in the group's model, or SM_NONE. */
static int32_t
target_copy(const struct model *s, const struct finding *f, enum rule_fix fix)
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
    char *sel, *from;
    struct ranked *v;
    int32_t n, wp;
    int rc;

    *ok = false;
    *tried = 0;
    /* the same copy in w->m, by selector */
    if (!(sel = model_selector_dup(s, OBJ_PLACEMENT, tp)))
        return oom(err);
    wp = model_placement(m, sel);
    free(sel);
    if (wp == SM_NONE)
        return SM_OK;
    if ((rc = rank_regions(pl, wp, &v, &n)))
        return oom(err);
    if (!(from = sm_strdupf("%s/%s", s->regions[s->placements[tp].region].id,
                            role_names[s->placements[tp].role]))) {
        free(v);
        return oom(err);
    }
    /* one move per copy: the place it goes to must suit it for good */
    pl->clean_copy = tp;
    for (int32_t i = 0; i < n && !*ok; i++) {
        cand_set(won, 4, "move", s->datasets[s->placements[tp].dataset].name, from,
                 m->regions[v[i].region].id);
        (*tried)++;
        if ((rc = try_fix_as(pl, g, won, f->rule, f->kind, f->object, OBJ_PLACEMENT, tp, true,
                             ok, err))) {
            pl->clean_copy = SM_NONE;
            free(from);
            free(v);
            return rc;
        }
    }
    pl->clean_copy = SM_NONE;
    free(from);
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
    char *sel;
    bool free_to = true;

    if (!o)
        return true;
    if (o->keep_primaries && s->placements[tp].role == ROLE_PRIMARY)
        return false;
    if (!o->npins)
        return true;
    if (!(sel = model_selector_dup(s, OBJ_PLACEMENT, tp)))
        return false;   /* out of memory: leave it where it is */
    for (int32_t i = 0; i < o->npins && free_to; i++)
        if (strcmp(o->pins[i], s->datasets[s->placements[tp].dataset].name) == 0 ||
            strcmp(o->pins[i], sel) == 0)
            free_to = false;
    free(sel);
    return free_to;
}

/* Declare scc where the data must cross (SCCs still need signing and a
 * transfer impact assessment: the op carries no reference, a to-do). */
static int
try_mechanism(struct planner *pl, struct group *g, const struct finding *f, const char *fsel,
              struct cand *c, bool *ok, struct sm_text *why, struct sm_error *err)
{
    const struct model *s = g->ev->m;
    int rc;

    *ok = false;
    if (f->kind == OBJ_PLACEMENT && f->object >= 0 &&
        s->placements[f->object].role == ROLE_PRIMARY) {
        /* a primary abroad (a SaaS vendor's): the flows that feed it carry
         * the transfer; a mechanism on one of them may clear it */
        for (int32_t k = 0; k < s->nflows && !*ok; k++) {
            char *fl;
            if (s->flows[k].deleted || s->flows[k].to != f->object)
                continue;
            if (!(fl = model_selector_dup(s, OBJ_FLOW, k)))
                return oom(err);
            cand_set(c, 3, "set-mechanism", fl, "scc");
            free(fl);
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
        sm_text_add(why, "; kept in place: sign SCCs and a TIA, then give their reference");
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
    char *sel;
    int rc;

    *ok = false;
    if (pl->opt && pl->opt->keep_primaries)
        return SM_OK;
    for (int32_t q = s->datasets[d].first_placement; q != SM_NONE && !*ok;
         q = s->placements[q].next) {
        if (s->placements[q].deleted || q == prim)
            continue;
        if (!(sel = model_selector_dup(s, OBJ_PLACEMENT, q)))
            return oom(err);
        cand_set(c, 2, "promote", sel);
        free(sel);
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
                 struct sm_text *reason)
{
    const struct dataset *d = &s->datasets[f->object];
    const char *loc = f->jurisdictions ? f->jurisdictions : "";
    char others[CHECK_SUBJECTS_MAX] = ""; /* bounded: country codes, each at most once */
    size_t at = 0;

    if (strcmp(f->rule, "RES003") != 0 || d->nsubjects < 2 || !pl->reject)
        return false;
    for (int i = 0; i < d->nsubjects; i++) {
        char cc[3];                     /* bounded: a two-letter country code */
        sm_cc_str(d->subjects[i], cc);
        if (strcmp(cc, loc) == 0 || at + 8 >= sizeof others)
            continue;
        at += (size_t)snprintf(others + at, sizeof others - at, "%s%s", at ? "+" : "", cc);
    }
    sm_text_set(reason, "%s and %s subjects in one dataset: %s needs a primary in %s, "
              "%s forbids one there without a mechanism (an in-country primary adds %s); "
              "split the dataset per regime, or declare a mechanism for the copy in %s",
              others, loc, loc, loc, others, pl->reject, loc);
    return true;
}

/* The texts of one fix_finding: copies of the finding's (g->res changes
 * under us), the op being tried, the step's why and the reason for giving up. */
struct fixing {
    char *rule, *fsel;
    struct cand c;
    struct sm_text why, reason;
};

/* Fix one finding of the group, or record why not. */
static int
fix_finding_in(struct planner *pl, struct group *g, const struct finding *f0, struct fixing *x,
               struct sm_error *err)
{
    const char *cannot;
    enum rule_fix fix = (enum rule_fix)rules_fix(f0->rule, &cannot);
    const struct model *s = g->ev->m;
    struct finding f = *f0;     /* g->res changes under us */
    const char *rule = x->rule, *fsel = x->fsel;
    struct cand *cp = &x->c;
    struct sm_text *why = &x->why, *reason = &x->reason;
    bool ok = false;
    int32_t tp, tried = 0;
    int rc;

    f.rule = rule;
    f.selector = fsel;
    why_of(f0, why);
    free(pl->reject);
    pl->reject = NULL;
    if (rules_rule(f0->rule) == SM_NONE)
        return give_up(pl, rule, fsel, "no automatic fix for this rule (custom rule?)");
    switch (fix) {
    case FIX_NONE:
        return give_up(pl, rule, fsel, cannot);
    case FIX_TIER:
    case FIX_PERSONAL_TIER: {
        int32_t d = f.dataset, t;
        if (d < 0)
            break;
        if (fix == FIX_TIER) {
            /* the dataset's effective tier, as the checker computed it */
            t = (g->res->eff_tier && d < g->res->ndatasets) ? g->res->eff_tier[d] : SM_NONE;
        } else {
            t = lowest_personal_tier(s, s->datasets[d].tier);
        }
        if (t == SM_NONE || t == s->datasets[d].tier) {
            sm_text_set(reason, "no tier to raise %s to", s->datasets[d].name);
            break;
        }
        cand_set(cp, 3, "set-tier", s->datasets[d].name, s->tiers[t].name);
        if ((rc = try_fix_as(pl, g, cp, rule, f.kind, f.object, OBJ_DATASET, d, true, &ok, err)))
            return rc;
        if (!ok)
            sm_text_set(reason, "setting %s to tier %s does not clear it",
                      s->datasets[d].name, s->tiers[t].name);
        break;
    }
    case FIX_ENCRYPT:
        if (f.kind != OBJ_PLACEMENT || f.object < 0)
            break;
        cand_set(cp, 5, "set", "placement", fsel, "encrypted", "true");
        if ((rc = try_fix(pl, g, cp, rule, f.kind, f.object, &ok, err)))
            return rc;
        break;
    case FIX_KEY: {
        const struct placement *pc;
        int32_t prim;
        if (f.kind != OBJ_PLACEMENT || f.object < 0)
            break;
        pc = &s->placements[f.object];
        cand_set(cp, 5, "set", "placement", fsel, "key-region", s->regions[pc->region].id);
        if ((rc = try_fix(pl, g, cp, rule, f.kind, f.object, &ok, err)))
            return rc;
        /* an accepted fix replaced the group's model: s and pc are gone */
        prim = ok ? SM_NONE : model_primary(s, pc->dataset);
        if (!ok && prim != SM_NONE && s->placements[prim].region != pc->region) {
            cand_set(cp, 5, "set", "placement", fsel, "key-region",
                     s->regions[s->placements[prim].region].id);
            if ((rc = try_fix(pl, g, cp, rule, f.kind, f.object, &ok, err)))
                return rc;
        }
        if (!ok)
            sm_text_set(reason, "no key region inside the tier's key scope found");
        break;
    }
    case FIX_TRANSIT:
        if (f.kind != OBJ_FLOW || f.object < 0)
            break;
        cand_set(cp, 5, "set", "flow", fsel, "transit-encrypted", "true");
        if ((rc = try_fix(pl, g, cp, rule, f.kind, f.object, &ok, err)))
            return rc;
        break;
    case FIX_MOVE:
    case FIX_MOVE_PRIMARY:
    case FIX_MOVE_OR_MECH: {
        bool moves_first = pl->opt && pl->opt->prefer_moves, stuck = false;
        tp = target_copy(s, &f, fix);
        if (tp == SM_NONE && fix != FIX_MOVE_OR_MECH) {
            sm_text_set(reason, "no copy to move (the dataset has no primary?)");
            break;
        }
        /* keep the copy where it is when a mechanism clears it */
        if (fix == FIX_MOVE_OR_MECH && !moves_first &&
            (rc = try_mechanism(pl, g, &f, fsel, cp, &ok, why, err)))
            return rc;
        /* a localization law: an in-country copy becomes the primary */
        if (!ok && fix == FIX_MOVE_PRIMARY && f.kind == OBJ_DATASET &&
            (rc = try_promote(pl, g, &f, cp, &ok, err)))
            return rc;
        if (!ok && tp != SM_NONE) {
            if (!may_move(pl, s, tp))
                stuck = true;
            else if ((rc = try_moves(pl, g, &f, tp, &ok, &tried, cp, err)))
                return rc;
        }
        if (!ok && fix == FIX_MOVE_OR_MECH && moves_first &&
            (rc = try_mechanism(pl, g, &f, fsel, cp, &ok, why, err)))
            return rc;
        if (!ok) {
            const char *only = pl->opt && pl->opt->only ? " among --only-regions" : "";
            if (stuck)
                sm_text_set(reason, "the copy may not move (%s)%s",
                          pl->opt && pl->opt->keep_primaries &&
                          s->placements[tp].role == ROLE_PRIMARY ? "--keep-primaries" : "--pin",
                          fix == FIX_MOVE_OR_MECH ? " and declaring scc does not clear it" : "");
            else if (f.kind == OBJ_DATASET && conflict_verdict(pl, s, &f, reason))
                ;
            else if (fix == FIX_MOVE_OR_MECH)
                sm_text_set(reason, "no allowed region%s and declaring scc does not "
                          "clear it (the tier's scope admits no mechanism, or the regime bars "
                          "the destination)%s%s", only, pl->reject ? "; the nearest adds " : "",
                          pl->reject ? pl->reject : "");
            else
                sm_text_set(reason, "no allowed region%s for this copy%s%s%s", only,
                          tried ? " (every candidate checked)" : "",
                          pl->reject ? "; the nearest adds " : "", pl->reject ? pl->reject : "");
            /* a copy that cannot stay and cannot move: patching its other
             * findings (a mechanism, a key) would only hide that */
            if (f.kind == OBJ_PLACEMENT) {
                for (int32_t i = 0; i < g->res->nfindings; i++) {
                    const struct finding *o = &g->res->findings[i];
                    if (live_error(o) && o->kind == f.kind && o->object == f.object &&
                        (rc = give_up(pl, o->rule, o->selector, reason->s ? reason->s : "")))
                        return rc;
                }
            }
        }
        break;
    }
    }
    if (why->oom || reason->oom)
        return oom(err);
    if (ok)
        return add_step(pl, cp, why->s, rule, fsel, err);
    return give_up(pl, rule, fsel, reason->s ? reason->s : "no verified fix found");
}

static int
fix_finding(struct planner *pl, struct group *g, const struct finding *f0, struct sm_error *err)
{
    struct fixing x = { .rule = strdup(f0->rule),
                        .fsel = strdup(f0->selector ? f0->selector : "") };
    int rc = x.rule && x.fsel ? fix_finding_in(pl, g, f0, &x, err) : oom(err);

    free(x.rule);
    free(x.fsel);
    cand_free(&x.c);
    free(x.why.s);
    free(x.reason.s);
    return rc;
}

/* Work order: classification first (it sets the scopes), then primaries,
 * then the other copies and flows, then encryption. */
static int
finding_order(const struct group *g, const struct finding *f)
{
    int base = rules_fix(f->rule, NULL);

    if (base >= FIX_MOVE_PRIMARY && base <= FIX_MOVE_OR_MECH && f->kind == OBJ_PLACEMENT &&
        f->object >= 0 && g->ev->m->placements[f->object].role == ROLE_PRIMARY)
        return FIX_MOVE_PRIMARY;
    return base;
}

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
        char subj[CHECK_SUBJECTS_MAX];  /* bounded: country codes, each at most once */
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

int
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
int
move_stranded_keys(struct planner *pl, struct sm_error *err)
{
    struct model *m = pl->w->m;
    int rc = SM_OK;

    for (int32_t p = 0; p < m->nplacements && !rc; p++) {
        const struct placement *pc = &m->placements[p];
        struct group g = { NULL, NULL, 0 };
        int32_t d = pc->dataset, *ds = NULL, n = 0, prim, targets[2];
        uint8_t *mark;
        char *sel, *why;
        bool ok = false;

        if (pc->deleted || m->datasets[d].deleted || pc->key_region == SM_NONE ||
            !scenario_retired(pl->w, pc->key_region) || scenario_retired(pl->w, pc->region))
            continue;
        prim = model_primary(m, d);
        targets[0] = pc->region;
        targets[1] = prim != SM_NONE ? m->placements[prim].region : SM_NONE;
        if (!(mark = calloc((size_t)m->ndatasets + 1, 1)))
            return oom(err);
        rc = scenario_group(m, &pl->links, mark, &d, 1, &ds, &n);
        free(mark);
        if (rc)
            return oom(err);
        if (!(sel = model_selector_dup(m, OBJ_PLACEMENT, p))) {
            free(ds);
            return oom(err);
        }
        struct model *sub = NULL;
        if (!(rc = scenario_submodel(m, &pl->links, ds, n, pl->pmap, &sub, err)) &&
            !(rc = scenario_begin_take(sub, pl->w->rp, "", &g.ev, err)) &&
            !(rc = check_run(g.ev->m, pl->w->rp, pl->start->today, &g.res, err))) {
            struct cand c = { 0 };
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
                why = sm_strdupf("key of %s held in retired %s", sel,
                                 m->regions[m->placements[p].key_region].id);
                rc = why ? add_step(pl, &c, why, "ENC002", sel, err) : oom(err);
                free(why);
            }
            cand_free(&c);
        }
        free(sel);
        check_result_free(g.res);
        scenario_eval_free(g.ev);
        free(ds);
    }
    return rc;
}
