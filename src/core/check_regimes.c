/*
 * check_regimes.c - the residency checker: regimes and places (transfer
 * status, scope, mechanisms) and the dataset context.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lineage.h"
#include "rules.h"
#include "check_int.h"

/* ---- regimes and places ------------------------------------------------ */

int
build_tables(struct ck *c)
{
    const struct rulepack *rp = c->rp;
    const struct model *m = c->m;
    int32_t npool = 0;

    c->cs = calloc((size_t)rp->nregimes + 1, sizeof *c->cs);
    if (!c->cs)
        return SM_ENOMEM;
    for (int32_t g = 0; g < rp->nregimes; g++) {
        const struct regime *rg = &rp->regimes[g];
        uint8_t *t = c->cs[g];
        if (rg->transfer == XFER_RULE_FREE) {
            memset(t, CS_FREE, SM_CC_COUNT);
            continue;
        }
        if (rg->transfer == XFER_RULE_BLACKLIST) {
            memset(t, CS_FREE, SM_CC_COUNT);
            for (int cc = sm_ccset_next(&rg->blacklist, 0); cc != SM_NONE;
                 cc = sm_ccset_next(&rg->blacklist, cc + 1))
                t[cc] = CS_BLACK;
            continue;
        }
        for (int32_t a = 0; a < rg->nadequacy; a++) {
            const struct adequacy *q = &rg->adequacy[a];
            uint8_t s;
            if (q->since && q->since > c->today)
                continue;       /* not yet in force: as if absent */
            if (q->revoked)
                s = CS_REVOKED;
            else if (q->until && q->until < c->today)
                s = CS_LAPSED;
            else if (!q->partial || q->condition == ADQ_AUTOMATED || q->condition == ADQ_NONE)
                s = CS_ADEQ;    /* cloud storage is automated processing */
            else if (q->condition == ADQ_DPF)
                s = CS_DPF;
            else
                s = CS_COMM;
            t[q->cc] = s;
        }
        for (int cc = sm_ccset_next(&rg->free_flow, 0); cc != SM_NONE;
             cc = sm_ccset_next(&rg->free_flow, cc + 1))
            t[cc] = CS_FREE;
    }
    c->slot_regime = malloc(sizeof(int16_t) * (size_t)(c->L->nslots + 1));
    c->ri = calloc((size_t)m->nregions + 1, sizeof *c->ri);
    for (int32_t r = 0; r < m->nregions; r++) {
        const struct region *rg = &m->regions[r];
        npool += rg->members ? sm_ccset_count(rg->members) : 1;
    }
    c->pool = malloc(sizeof(int16_t) * (size_t)(npool + 1));
    c->provider_first = malloc(sizeof(int32_t) * (size_t)(m->nregions + 1));
    if (!c->slot_regime || !c->ri || !c->pool || !c->provider_first)
        return SM_ENOMEM;
    c->allowed = malloc((size_t)m->nregions + 1);
    c->basis_cache = calloc(((size_t)rp->nregimes + 1) * (SM_CC_COUNT + 1),
                            sizeof *c->basis_cache);
    if (!c->allowed || !c->basis_cache)
        return SM_ENOMEM;
    for (int32_t r = 0; r < m->nregions; r++)
        c->allowed[r] = rules_region_allowed(rp, m->regions[r].id, NULL);
    for (int32_t r = 0; r < m->nregions; r++) {
        c->provider_first[r] = r;
        for (int32_t q = 0; q < r; q++)
            if (sm_streq(m->regions[q].provider, m->regions[r].provider)) {
                c->provider_first[r] = q;
                break;
            }
    }
    for (int32_t s = 0; s < c->L->nslots; s++)
        c->slot_regime[s] = (int16_t)rules_regime_of(rp, c->L->slot_cc[s]);
    for (int32_t g = 0; g < rp->nregimes; g++)
        if (rp->regimes[g].transfer != XFER_RULE_FREE)
            c->restricting |= (uint64_t)1 << g;
    npool = 0;
    for (int32_t r = 0; r < m->nregions; r++) {
        const struct region *rg = &m->regions[r];
        struct rinfo *ri = &c->ri[r];
        ri->first = npool;
        if (rg->global) {
            ri->any = 1;
        } else if (rg->members && !sm_ccset_empty(rg->members)) {
            for (int cc = sm_ccset_next(rg->members, 0); cc != SM_NONE;
                 cc = sm_ccset_next(rg->members, cc + 1))
                c->pool[npool++] = (int16_t)cc;
        } else if (rg->country != SM_NONE) {
            c->pool[npool++] = (int16_t)rg->country;
        } else {
            ri->any = 1;        /* unknown location: the worst case */
        }
        ri->n = npool - ri->first;
    }
    return SM_OK;
}

static uint8_t
status_of(const struct ck *c, int32_t g, int cc)
{
    const struct regime *rg = &c->rp->regimes[g];

    if (cc == SM_NONE) {        /* any country */
        if (rg->transfer == XFER_RULE_FREE)
            return CS_FREE;
        if (rg->transfer == XFER_RULE_BLACKLIST)
            return sm_ccset_empty(&rg->blacklist) ? CS_FREE : CS_BLACK;
        return CS_NONE;
    }
    return c->cs[g][cc];
}

static bool
standalone(const struct ck *c, int32_t g, const struct mech *mc)
{
    return (mc->mech == MECH_SCC || mc->mech == MECH_BCR || mc->mech == MECH_CONSENT ||
            mc->mech == MECH_DEROGATION) &&
        (c->rp->regimes[g].mechanisms & (1u << mc->mech)) && mc->dates_ok;
}

static int
judge_cc(const struct ck *c, int32_t g, int cc, const struct mech *mc, int *basis, uint8_t *stp)
{
    uint8_t st = status_of(c, g, cc);

    *stp = st;
    if (st == CS_FREE) {
        *basis = B_INSIDE;
        return V_OK;
    }
    if (st == CS_ADEQ) {
        *basis = B_ADEQ;
        return V_OK;
    }
    if (st == CS_DPF && mc->mech == MECH_DPF && mc->dates_ok &&
        (c->rp->regimes[g].mechanisms & (1u << MECH_DPF))) {
        *basis = B_DPF;
        return V_OK;
    }
    if (st == CS_COMM && !mc->public_recipient) {
        *basis = B_COMM;
        return V_OK;
    }
    if (st == CS_BLACK) {
        *basis = B_NONE;
        return V_XFR001;
    }
    if (standalone(c, g, mc)) {
        *basis = B_MECH;
        return V_OK;
    }
    *basis = B_NONE;
    return st == CS_NONE ? V_XFR001 : V_XFR002;
}

static int judge_members(const struct ck *c, int32_t g, int32_t r, const struct mech *mc,
                         int *badcc, int *basis, uint8_t *st);

/* Worst member of a region. *badcc gets the deciding country (SM_NONE for
 * "any"), *basis and *st its basis and status. The answer depends on the
 * regime, the region and three facts of the mechanism alone: a check asks
 * the same few questions for millions of copies, so they are kept in
 * c->memo (a slot per question, the last answer wins). */
int
judge_region(const struct ck *c, int32_t g, int32_t r, const struct mech *mc,
             int *badcc, int *basis, uint8_t *st)
{
    uint64_t key = (uint64_t)1 << 63 | (uint64_t)(uint32_t)g << 40 | (uint64_t)(uint32_t)r << 8 |
                   (uint64_t)mc->mech << 2 | (uint64_t)(mc->dates_ok != 0) << 1 |
                   (uint64_t)(mc->public_recipient != 0);
    struct judge_memo *j;
    int v;

    if (!c->memo || g < 0 || g >= 64 || r < 0 || mc->mech >= 64)
        return judge_members(c, g, r, mc, badcc, basis, st);
    j = &c->memo[(key * 0x9e3779b97f4a7c15ULL) >> 52 & (JUDGE_MEMO - 1)];
    if (j->key == key) {
        *badcc = j->badcc;
        *basis = j->basis;
        *st = j->st;
        return j->v;
    }
    v = judge_members(c, g, r, mc, badcc, basis, st);
    j->key = key;
    j->badcc = *badcc;
    j->basis = (int8_t)*basis;
    j->st = *st;
    j->v = (int8_t)v;
    return v;
}

static int
judge_members(const struct ck *c, int32_t g, int32_t r, const struct mech *mc,
              int *badcc, int *basis, uint8_t *st)
{
    const struct rinfo *ri = &c->ri[r];
    int worst = V_OK, b;
    uint8_t s;

    *badcc = SM_NONE;
    *basis = B_INSIDE;
    *st = CS_FREE;
    if (ri->any) {
        worst = judge_cc(c, g, SM_NONE, mc, basis, st);
        return worst;
    }
    for (int32_t k = 0; k < ri->n; k++) {
        int cc = c->pool[ri->first + k];
        int v = judge_cc(c, g, cc, mc, &b, &s);
        if (k == 0 || v > worst || (v == worst && b > *basis)) {
            if (k == 0 || v >= worst) {
                worst = v;
                *badcc = cc;
                *basis = b;
                *st = s;
            }
        }
    }
    return worst;
}

/* Are all members of region r inside the set? */
bool
region_within(const struct ck *c, int32_t r, const struct sm_ccset *set, int *badcc)
{
    const struct rinfo *ri = &c->ri[r];

    *badcc = SM_NONE;
    if (ri->any)
        return false;
    for (int32_t k = 0; k < ri->n; k++)
        if (!sm_ccset_has(set, c->pool[ri->first + k])) {
            *badcc = c->pool[ri->first + k];
            return false;
        }
    return true;
}

static bool
strv_has(const struct sm_strv *v, const char *s)
{
    for (uint32_t k = 0; k < v->n; k++)
        if (strcmp(v->v[k], s) == 0)
            return true;
    return false;
}

/* Is region r within `scope` for the dataset? */
bool
in_scope(const struct ck *c, const struct dctx *dc, int scope, int32_t r, const struct mech *mc)
{
    int bad, basis;
    uint8_t st;

    switch (scope) {
    case SCOPE_GLOBAL:
        return true;
    case SCOPE_APPROVED:
        return dc->T && strv_has(&dc->T->approved, c->m->regions[r].id);
    case SCOPE_REGION:
        return r == dc->home_region;
    case SCOPE_COUNTRY:
        return region_is_country(c, r, dc->home_cc);
    case SCOPE_BLOC:
        if (!dc->bmask)
            return region_is_country(c, r, dc->home_cc);
        FOR_REGIMES(g, dc->bmask)
            if (!region_within(c, r, &c->rp->regimes[g].free_flow, &bad))
                return false;
        return true;
    case SCOPE_ADEQUATE:
        if (!dc->gmask)
            return region_is_country(c, r, dc->home_cc);
        FOR_REGIMES(g, dc->gmask)
            if (judge_region(c, g, r, mc, &bad, &basis, &st) != V_OK)
                return false;
        return true;
    }
    return false;
}

/* Words for a scope, for the why chain. */
/* "bloc scope (the EEA and ...)", whole, into b (areas: scratch). */
const char *
scope_words(struct ck *c, const struct dctx *dc, int scope, struct gbuf *b, struct gbuf *areas)
{
    const char *ar = gfmt(c, areas, false, "%s", "");
    char cc[3];                         /* bounded: a two-letter country code */

    FOR_REGIMES(g, dc->bmask)
        ar = gfmt(c, areas, true, "%s%s%s", *ar ? " and " : "",
                  c->rp->regimes[g].area_bloc ? "the " : "", c->rp->regimes[g].area);
    switch (scope) {
    case SCOPE_REGION:
        if (dc->home_region == SM_NONE)
            return gfmt(c, b, false, "%s", "region scope (and the dataset has no primary copy)");
        return gfmt(c, b, false, "region scope (the primary's region %s)",
                    model_region_id(c->m, dc->home_region));
    case SCOPE_COUNTRY:
        return gfmt(c, b, false, "country scope (the home country %s)", ccs(dc->home_cc, cc));
    case SCOPE_BLOC:
        if (dc->bmask)
            return gfmt(c, b, false, "bloc scope (%s)", ar);
        return gfmt(c, b, false, "bloc scope (no regime applies, so the home country %s)",
                    ccs(dc->home_cc, cc));
    case SCOPE_ADEQUATE:
        return gfmt(c, b, false, "adequate scope (%s, adequate countries, or a valid mechanism)",
                    dc->gmask ? ar : "the home country");
    case SCOPE_APPROVED:
        return gfmt(c, b, false, "%s", "approved scope (the tier's approved regions)");
    default:
        return gfmt(c, b, false, "%s", "global scope");
    }
}

/* The transfer into copy p: its first explicit inbound flow, else the
 * placement's own mechanism (implicit replication from the primary). A
 * copy fed from a copy in the same country is no new transfer: follow the
 * first inbound flows back to the one that crossed into that country (or
 * to the copy there that no flow feeds, whose own declaration counts). */
void
copy_mech(const struct ck *c, const struct dctx *dc, int32_t p, struct mech *mc)
{
    const struct model *m = c->m;
    const struct placement *pl = &m->placements[p];
    int32_t q = p, f = c->inflow[p];

    memset(mc, 0, sizeof *mc);
    mc->src = mc->via = SM_NONE;
    if (f != SM_NONE && (c->inmech[p] & 0x40)) {
        const struct rinfo *ri = &c->ri[pl->region];
        int cc = c->pool[ri->first];
        int hops = 0;
        /* inmech 0x40: the first inbound flow comes from a copy in the
         * same single country; walk while that holds (a bounded walk: a
         * ring of copies in one country has no crossing, keep the flow) */
        while (f != SM_NONE && (c->inmech[q] & 0x40) && hops < 64) {
            q = m->flows[f].from;
            f = c->inflow[q];
            hops++;
        }
        if (hops < 64 && q != p && m->placements[q].region != SM_NONE &&
            region_is_country(c, m->placements[q].region, cc)) {
            mc->src = q;
            mc->via = f;
            if (f == SM_NONE) {
                const struct placement *qp = &m->placements[q];
                mc->mech = qp->mechanism;
                mc->dates_ok = true;
                mc->ref = qp->mechanism_ref;
                mc->public_recipient = dc->ds->public_sector;
                return;
            }
            /* f crossed into the country: judged as below */
        } else {
            f = c->inflow[p];
        }
    }
    if (f != SM_NONE && f == c->inflow[p] && (c->inmech[p] & 0x0f) == MECH_NONE) {
        /* The common case, without touching the flow (a cache miss). */
        mc->dates_ok = true;
        mc->ref = "";
        mc->public_recipient = (c->inmech[p] & 0x20) || dc->ds->public_sector;
        mc->explicit_flow = true;
    } else if (f != SM_NONE) {
        const struct flow *fl = &m->flows[f];
        mc->mech = fl->mechanism;
        mc->valid_from = fl->valid_from;
        mc->valid_to = fl->valid_to;
        mc->dates_ok = dates_ok(c->today, fl->valid_from, fl->valid_to);
        mc->ref = fl->mechanism_ref;
        mc->public_recipient = fl->public_recipient || dc->ds->public_sector;
        mc->explicit_flow = true;
    } else {
        mc->mech = pl->mechanism;
        mc->dates_ok = true;
        mc->ref = pl->mechanism_ref;
        mc->public_recipient = dc->ds->public_sector;
    }
}

/* The why line for a copy fed from a copy in its own country: the
 * crossing it stands on. Returns the words why_transfer names it by. */
const char *
why_entry(struct ck *c, int32_t p, const struct mech *mc)
{
    const struct model *m = c->m;
    const struct placement *pl = &m->placements[p];
    const struct flow *in = &m->flows[c->inflow[p]];
    const struct placement *sp = &m->placements[mc->src];
    const char *from = model_region_id(c->m, m->placements[in->from].region);
    char cc[3];                         /* bounded: a two-letter country code */

    ccs(c->pool[c->ri[pl->region].first], cc);
    if (mc->via != SM_NONE) {
        const struct flow *x = &m->flows[mc->via];
        int32_t xr = x->from == SM_NONE ? SM_NONE : m->placements[x->from].region;
        why(c, "flow %s feeds it from %s in the same country (%s), so it stands on the basis "
            "by which the data entered %s: flow %s from %s to %s", in->name, from, cc, cc,
            x->name, model_region_id(c->m, xr), model_region_id(c->m, sp->region));
        return "the flow that brought the data into the country";
    }
    if (sp->role == ROLE_PRIMARY) {
        why(c, "flow %s feeds it from %s in the same country (%s), so it stands on the basis "
            "of %s's primary copy in %s", in->name, from, cc, m->datasets[sp->dataset].name,
            model_region_id(c->m, sp->region));
        return "that primary copy";
    }
    why(c, "flow %s feeds it from %s in the same country (%s), so it stands on the basis by "
        "which the data entered %s: the copy in %s, an implicit replication", in->name, from,
        cc, cc, model_region_id(c->m, sp->region));
    return "that copy (an implicit replication)";
}

/* RES005: is the operator of region r at home for the dataset? false with
 * *badg the regime whose area it is outside (SM_NONE: not the home country). */
bool
operator_ok(const struct ck *c, const struct dctx *dc, int32_t r, int32_t *badg)
{
    const struct region *rg = &c->m->regions[r];
    int op = rg->operator_home != SM_NONE ? rg->operator_home : rg->country;
    bool ok = true;

    *badg = SM_NONE;
    if (dc->bmask) {
        FOR_REGIMES(g, dc->bmask)
            if (ok && !rules_operator_inside(c->rp, &c->rp->regimes[g], op)) {
                ok = false;
                *badg = g;
            }
    } else {
        ok = op == dc->home_cc;
    }
    return ok;
}

/* The placement rules a copy in `role` in region r fires, with its key in
 * region key (SM_NONE: no key to judge) and mechanism mc: bits 1u << RULE_x
 * of RES004, RES001 or RES002, RES005 and ENC002. check_placement fires
 * exactly these and check_where reports them, so the two cannot disagree.
 * Transfers (XFR001, XFR002) are judge_region's. */
static uint32_t copy_rules_of(const struct ck *c, const struct dctx *dc, int role, int32_t r,
                              int32_t key, const struct mech *mc);

/* What the key of a copy_rules answer decides about the copy's transfer
 * (copy_transfer reads it through copy_verdict): the region's country,
 * whether it is the home country, each regime's verdict (judge_region, in
 * gmask's order) and whether the basis masks can be set. */
static void
verdict_fill(const struct ck *c, const struct dctx *dc, int32_t r, const struct mech *mc,
             struct rules_memo *e)
{
    const struct rinfo *ri = &c->ri[r];
    struct mech noref = *mc;
    uint8_t k = 0;

    e->to_cc = (int16_t)(ri->any || ri->n != 1 ? SM_NONE : c->pool[ri->first]);
    e->flags = region_is_country(c, r, dc->home_cc) ? VF_HOME : 0;
    if (__builtin_popcountll(dc->gmask) > VERDICT_REGIMES) {
        e->n = VERDICT_REGIMES + 1;
        return;
    }
    noref.ref = "";             /* XFR003's mask as when the copy names no reference */
    FOR_REGIMES(g, dc->gmask) {
        int badcc, basis;
        uint8_t st;
        uint64_t m003 = 0, m004 = 0;
        int v = judge_region(c, g, r, mc, &badcc, &basis, &st);
        basis_masks(c, &noref, g, v, basis, &m003, &m004);
        e->flags |= (v != V_OK ? VF_BAD : 0) | (m003 ? VF_M003 : 0) | (m004 ? VF_M004 : 0);
        e->v[k] = (int8_t)v;
        e->basis[k] = (int8_t)basis;
        k++;
    }
    e->n = k;
}

/* The memo's entry e for key w1 (rules_key) and dc->gmask, on a miss. */
void
rules_fill(const struct ck *c, const struct dctx *dc, int role, int32_t r, int32_t key,
           const struct mech *mc, struct rules_memo *e, uint64_t w1)
{
    e->rules = copy_rules_of(c, dc, role, r, key, mc);
    verdict_fill(c, dc, r, mc, e);
    e->w0 = dc->gmask;
    e->w1 = w1;
}

/* The same answer for the same facts: copies of one kind in one region
 * are millions, their facts a few thousand (c->rmemo, last answer wins). */
uint32_t
copy_rules(const struct ck *c, const struct dctx *dc, int role, int32_t r, int32_t key,
           const struct mech *mc)
{
    const struct rules_memo *e = copy_verdict(c, dc, role, r, key, mc);

    return e ? e->rules : copy_rules_of(c, dc, role, r, key, mc);
}

static uint32_t
copy_rules_of(const struct ck *c, const struct dctx *dc, int role, int32_t r, int32_t key,
              const struct mech *mc)
{
    const struct tier *T = dc->T;
    uint32_t v = 0;
    int32_t badg;

    if (!c->allowed[r])
        v |= 1u << RULE_RES004;
    if (T) {
        bool backup = role == ROLE_BACKUP || role == ROLE_DR || role == ROLE_ARCHIVE;
        if (!in_scope(c, dc, backup ? T->backup_scope : T->scope, r, mc))
            v |= 1u << (backup ? RULE_RES002 : RULE_RES001);
        if (T->sovereign && !operator_ok(c, dc, r, &badg))
            v |= 1u << RULE_RES005;
        if (key != SM_NONE && !in_scope(c, dc, T->key_scope, key, mc))
            v |= 1u << RULE_ENC002;
    }
    return v;
}

/* ---- the dataset context ------------------------------------------------ */

/* The dataset's home: the primary's region r and its country, the home
 * country's regime when no subject names one, and the regimes that bound
 * the bloc. check_where calls it again to judge a primary elsewhere. */
void
dataset_home(const struct ck *c, struct dctx *dc, int32_t r)
{
    if (dc->fallback) {
        dc->gmask = 0;
        dc->fallback = false;
    }
    dc->home_region = r;
    dc->home_cc = SM_NONE;
    if (dc->home_region != SM_NONE && !c->ri[dc->home_region].any && c->ri[dc->home_region].n == 1)
        dc->home_cc = c->pool[c->ri[dc->home_region].first];
    if (!dc->gmask && dc->home_cc != SM_NONE) {
        int32_t g = rules_regime_of(c->rp, dc->home_cc);
        if (g != SM_NONE) {
            dc->gmask = (uint64_t)1 << g;
            dc->fallback = true;
        }
    }
    /* A regime with no transfer rule (US, CA, AU, AE) does not keep data
     * anywhere: with a restricting regime beside it, only the latter bounds
     * the bloc. Alone, its own country is the bloc. */
    dc->bmask = dc->gmask & c->restricting ? dc->gmask & c->restricting : dc->gmask;
    /* copy_rules' key: the dataset's part, once per dataset (rules_key) */
    {
        uint64_t t = (uint64_t)(dc->tier + 1), h = (uint64_t)(dc->home_cc + 1);
        dc->rkey = t >= 1u << 12 || h >= 1u << 10 ? 0 : (uint64_t)1 << 63 | t << 48 | h << 38;
        dc->rhash = dc->gmask * 0xff51afd7ed558ccdULL;
    }
}

/* The regimes of the dataset's effective subjects (slots s). */
static void
subject_regimes(const struct ck *c, struct dctx *dc, const uint64_t *s)
{
    dc->gmask = 0;
    dc->fallback = false;
    for (int32_t w = 0; w < c->L->words; w++)
        for (uint64_t b = s[w]; b; b &= b - 1) {
            int slot = w * 64 + __builtin_ctzll(b);
            if (c->slot_regime[slot] != SM_NONE)
                dc->gmask |= (uint64_t)1 << c->slot_regime[slot];
        }
}

void
dataset_ctx(struct ck *c, int32_t d, struct dctx *dc)
{
    const struct model *m = c->m;
    const struct lineage *L = c->L;
    const uint64_t *s = L->subj + (size_t)d * L->words;
    int32_t r;

    dc->d = d;
    dc->ds = &m->datasets[d];
    dc->tier = L->eff_tier[d];
    dc->T = dc->tier == SM_NONE ? NULL : &m->tiers[dc->tier];
    dc->personal = L->personal[d];
    dc->gmask = 0;
    dc->fallback = false;
    dc->subj[0] = '\0';
    dc->words = false;
    dc->primary = model_primary(m, d);
    if (dc->primary == SM_NONE)         /* no primary: the first copy is home */
        for (int32_t p = dc->ds->first_placement; p != SM_NONE; p = m->placements[p].next)
            if (!m->placements[p].deleted) {
                dc->primary = p;
                break;
            }
    r = dc->primary == SM_NONE ? SM_NONE : m->placements[dc->primary].region;
    /* The same subjects, home region and tier give the same regimes and
     * home: a million datasets have a few hundred of these (c->hmemo, the
     * last answer wins). */
    if (c->hmemo && L->words == 1 && r < 1 << 30 && dc->tier < 1 << 30) {
        uint64_t k0 = s[0];
        uint64_t k1 = (uint64_t)1 << 63 | (uint64_t)(uint32_t)(dc->tier + 1) << 31 |
                      (uint64_t)(uint32_t)(r + 1);
        struct home_memo *e = &c->hmemo[((k0 ^ k1 * 0xff51afd7ed558ccdULL) * 0x9e3779b97f4a7c15ULL)
                                        >> 40 & (HOME_MEMO - 1)];
        if (e->k1 != k1 || e->k0 != k0) {
            subject_regimes(c, dc, s);
            dataset_home(c, dc, r);
            e->k0 = k0;
            e->k1 = k1;
            e->gmask = dc->gmask;
            e->bmask = dc->bmask;
            e->rkey = dc->rkey;
            e->rhash = dc->rhash;
            e->home_cc = dc->home_cc;
            e->fallback = dc->fallback;
            return;
        }
        dc->gmask = e->gmask;
        dc->bmask = e->bmask;
        dc->rkey = e->rkey;
        dc->rhash = e->rhash;
        dc->home_cc = e->home_cc;
        dc->fallback = e->fallback;
        dc->home_region = r;
        return;
    }
    subject_regimes(c, dc, s);
    dataset_home(c, dc, r);
}

/* Lazily: "EU,BR". */
void
dataset_words(struct ck *c, struct dctx *dc)
{
    if (dc->words)
        return;
    check_eff_subjects(c->r, dc->d, dc->subj, sizeof dc->subj);
    dc->words = true;
}

/* "orders is restricted with EU subjects", as a reason, whole. */
static void
why_label(struct ck *c, struct dctx *dc)
{
    dataset_words(c, dc);
    if (dc->T && dc->subj[0])
        why(c, "%s is %s with %s subjects", dc->ds->name, dc->T->name, dc->subj);
    else if (dc->T)
        why(c, "%s is %s with no declared subjects%s%s", dc->ds->name, dc->T->name,
            dc->fallback ? "; the home country's regime applies: " : "",
            dc->fallback ? c->rp->regimes[__builtin_ctzll(dc->gmask)].id : "");
    else
        why(c, "%s has no tier and %s subjects", dc->ds->name,
            dc->subj[0] ? dc->subj : "no declared");
}

/* The subject codes dataset s holds (effective) that d does not declare,
 * "EU,ZZ", alphabetical. */
static const char *
subjects_brought(const struct ck *c, int32_t s, int32_t d, char *buf, size_t size)
{
    const struct lineage *L = c->L;
    const struct dataset *ds = &c->m->datasets[d];
    int codes[SM_CC_COUNT], nc = 0;
    size_t n = 0;
    char cc[3];                         /* bounded: a two-letter country code */

    buf[0] = '\0';
    for (int32_t k = 0; k < L->nslots; k++) {
        bool decl = false;
        if (!lineage_has_subject(L, s, k))
            continue;
        for (int j = 0; j < ds->nsubjects && !decl; j++)
            decl = ds->subjects[j] == L->slot_cc[k];
        if (!decl)
            codes[nc++] = L->slot_cc[k];
    }
    for (int i = 1; i < nc; i++)
        for (int j = i; j > 0 && codes[j - 1] > codes[j]; j--) {
            int t = codes[j];
            codes[j] = codes[j - 1];
            codes[j - 1] = t;
        }
    for (int i = 0; i < nc && n < size; i++)
        n += (size_t)sfmt(buf + n, size - n, "%s%s", i ? "," : "", ccs(codes[i], cc));
    return buf;
}

void
why_dataset(struct ck *c, struct dctx *dc)
{
    int32_t sv = c->L->subj_via[dc->d], ev = c->L->eff_via[dc->d];

    why_label(c, dc);
    if (ev != SM_NONE) {
        const struct flow *f = &c->m->flows[ev];
        const char *src = c->m->datasets[c->m->placements[f->from].dataset].name;
        if (dc->tier != dc->ds->tier && dc->T)
            why(c, "%s inherits tier %s from %s through flow %s", dc->ds->name, dc->T->name, src,
                f->name);
        else if (ev != sv)
            why(c, "%s receives personal data from %s through flow %s", dc->ds->name, src, f->name);
    }
    if (sv != SM_NONE) {
        const struct flow *f = &c->m->flows[sv];
        int32_t s = c->m->placements[f->from].dataset;
        char codes[CHECK_SUBJECTS_MAX]; /* bounded: country codes, each at most once */
        why(c, "%s receives personal data of %s subjects from %s through flow %s (%s)", dc->ds->name,
            subjects_brought(c, s, dc->d, codes, sizeof codes), c->m->datasets[s].name, f->name,
            flow_kind_names[f->kind]);
    }
}

void
jur_for(struct ck *c, uint64_t gmask, int to_cc, bool any)
{
    char a[3], b[3];                    /* bounded: two-letter country codes */
    size_t n = 0;

    c->jur[0] = '\0';
    FOR_REGIMES(g, gmask) {
        n += (size_t)sfmt(c->jur + n, sizeof c->jur - n, "%s%s", n ? "," : "",
                              regime_cc(&c->rp->regimes[g], a));
        if (n >= sizeof c->jur)
            return;
    }
    if (to_cc != SM_NONE || any)
        sfmt(c->jur + n, sizeof c->jur - n, " -> %s", any ? "global" : ccs(to_cc, b));
}
