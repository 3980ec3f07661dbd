/*
 * check_rules.c - the residency checker: the rules per dataset, per copy and
 * per flow as tables of small functions (dataset_rules[], placement_rules[],
 * flow_rules[]), each reading a struct of facts worked out once per object;
 * unknown subjects, and the hints (nearest compliant regions).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lineage.h"
#include "rules.h"
#include "check_int.h"

/* ---- hints: nearest compliant regions ----------------------------------- */

enum hint_what { HW_SCOPE, HW_TRANSFER, HW_KEY };

static bool
candidate_ok(const struct ck *c, const struct dctx *dc, int what, int scope, int32_t r)
{
    const struct region *rg = &c->m->regions[r];
    struct mech none;
    int bad, basis;
    uint8_t st;

    if (rg->deleted || rg->global || c->ri[r].any || rg->kind == REGION_MULTI ||
        rg->kind == REGION_EDGE)
        return false;
    memset(&none, 0, sizeof none);
    none.dates_ok = true;
    none.public_recipient = dc->ds->public_sector;
    if (what != HW_KEY && !c->allowed[r])
        return false;
    if (what != HW_TRANSFER && !in_scope(c, dc, scope, r, &none))
        return false;
    if (what == HW_TRANSFER || (what == HW_SCOPE && dc->personal)) {
        FOR_REGIMES(g, dc->gmask)
            if (judge_region(c, g, r, &none, &bad, &basis, &st) != V_OK)
                return false;
    }
    if (what == HW_SCOPE && dc->T && dc->T->sovereign) {
        int op = rg->operator_home != SM_NONE ? rg->operator_home : rg->country;
        FOR_REGIMES(g, dc->bmask)
            if (!rules_operator_inside(c->rp, &c->rp->regimes[g], op))
                return false;
    }
    return true;
}

/* Is region r where the dataset already keeps a live copy? */
static bool
occupied(const struct ck *c, const struct dctx *dc, int32_t r)
{
    const struct model *m = c->m;

    for (int32_t p = dc->ds->first_placement; p != SM_NONE; p = m->placements[p].next)
        if (!m->placements[p].deleted && m->placements[p].region == r)
            return true;
    return false;
}

/* Is candidate a ranked before b: higher score, then smaller id? */
static bool
ranks_before(const struct ck *c, int sa, int32_t a, int sb, int32_t b)
{
    return sa > sb || (sa == sb && strcmp(c->m->regions[a].id, c->m->regions[b].id) < 0);
}

/* Up to two region ids, best first: same provider, same country as the
 * primary, same bloc, then by id. The ranking is cached per dataset shape;
 * a move of a copy (HW_SCOPE, HW_TRANSFER) skips the regions that already
 * hold a live copy of the dataset (two copies in one region is no fix), a
 * key (HW_KEY) may go to any of them. "" when no region is left. The text
 * lives until the next call. */
static const char *
nearest(struct ck *c, const struct dctx *dc, int what, int scope, int32_t from)
{
    uint64_t h = dc->gmask * 0x9E3779B97F4A7C15ull;
    struct hint_slot *slot;
    int32_t best[2] = { SM_NONE, SM_NONE };
    int nb = 0;
    const char *prov = c->m->regions[from].provider ? c->m->regions[from].provider : "";
    int32_t provkey;

    /* Regions of one provider share hints: key on the first region of it. */
    provkey = c->provider_first[from];
    h ^= (uint64_t)(dc->tier + 7) * 1000003u ^ (uint64_t)(dc->home_region + 3) * 7919u ^
        (uint64_t)provkey * 104729u ^ (uint64_t)scope * 31u ^ (uint64_t)what * 131u ^
        (uint64_t)dc->personal * 17u;
    slot = &c->hints[h % HINT_CACHE];
    if (!(slot->used && slot->gmask == dc->gmask && slot->tier == dc->tier &&
          slot->home == dc->home_region && slot->provider_region == provkey &&
          slot->scope == scope && slot->what == what && slot->personal == dc->personal)) {
        int32_t n = 0;
        int *score;
        free(slot->cand);
        slot->cand = NULL;
        slot->ncand = 0;
        slot->used = 0;
        slot->cand = malloc(((size_t)c->m->nregions + 1) * sizeof *slot->cand);
        score = malloc(((size_t)c->m->nregions + 1) * sizeof *score);
        if (!slot->cand || !score) {
            free(score);
            free(slot->cand);
            slot->cand = NULL;
            c->oom = true;
            return "";
        }
        /* Insertion into the ranking: few candidates, and only on a miss. */
        for (int32_t r = 0; r < c->m->nregions; r++) {
            const struct region *rg = &c->m->regions[r];
            int sc = 0, k;
            if (!candidate_ok(c, dc, what, scope, r))
                continue;
            if (sm_streq(rg->provider, prov))
                sc += 4;
            if (dc->home_cc != SM_NONE && rg->country == dc->home_cc)
                sc += 2;
            if (dc->bmask) {
                int32_t g0 = __builtin_ctzll(dc->bmask);
                if (sm_ccset_has(&c->rp->regimes[g0].free_flow, rg->country))
                    sc += 1;
            }
            for (k = n; k > 0 && ranks_before(c, sc, r, score[k - 1], slot->cand[k - 1]); k--) {
                slot->cand[k] = slot->cand[k - 1];
                score[k] = score[k - 1];
            }
            slot->cand[k] = r;
            score[k] = sc;
            n++;
        }
        free(score);
        slot->ncand = n;
        slot->used = 1;
        slot->gmask = dc->gmask;
        slot->tier = dc->tier;
        slot->home = dc->home_region;
        slot->provider_region = provkey;
        slot->scope = (uint8_t)scope;
        slot->what = (uint8_t)what;
        slot->personal = dc->personal;
    }
    for (int32_t i = 0; i < slot->ncand && nb < 2; i++)
        if (what == HW_KEY || !occupied(c, dc, slot->cand[i]))
            best[nb++] = slot->cand[i];
    /* the finding's targets are the regions its hint names */
    c->fix.region[0] = best[0];
    c->fix.region[1] = best[1];
    if (nb == 0)
        gclear(&c->near);
    else if (nb == 1)
        gfmt(c, &c->near, false, "%s", c->m->regions[best[0]].id);
    else
        gfmt(c, &c->near, false, "%s or %s", c->m->regions[best[0]].id,
             c->m->regions[best[1]].id);
    return gstr(&c->near);
}

/* ---- the rules, per placement -------------------------------------------- */

/* What every rule about one copy reads, worked out once per copy. */
struct copy_facts {
    struct dctx *dc;                    /* its dataset */
    int32_t p;
    const struct placement *pl;
    const struct region *rg;
    const struct tier *T;               /* the effective tier, NULL if none */
    const char *role;
    struct mech mc;                     /* the mechanism the copy arrives under */
    uint32_t fire;                      /* the rules copy_rules() says can fire */
    uint32_t may;                       /* fire, and the other rules that can */
};

/* Rule ids as bits of one word (fire, may). */
_Static_assert(RULE_COUNT <= 32, "rule bits need a wider mask");
#define BIT(rule) (1u << (rule))

/* RES004: the org policy of the rule pack allows the region. */
static void
copy_org_policy(struct ck *c, struct copy_facts *x)
{
    struct dctx *dc = x->dc;
    int32_t p = x->p;
    const struct placement *pl = x->pl;
    const struct region *rg = x->rg;
    const struct tier *T = x->T;
    const char *role = x->role;
    const char *pat = NULL;

    if ((x->fire & (1u << RULE_RES004)) && !rules_region_allowed(c->rp, rg->id, &pat) &&
        begin(c, RULE_RES004, OBJ_PLACEMENT, p, dc->d)) {
        why(c, "%s in %s", role, region_label(c, pl->region, &c->rl[0]));
        if (pat)
            why(c, "the org policy of rule pack %s denies %s", c->rp->name, pat);
        else
            why(c, "the org policy of rule pack %s allows only listed regions, and %s is not one",
                c->rp->name, rg->id);
        msg(c, "%s %s in %s: the org policy does not allow this region", dc->ds->name, role, rg->id);
        const char *n = nearest(c, dc, HW_SCOPE, T ? T->scope : SCOPE_GLOBAL, pl->region);
        if (*n)
            hint(c, "move the copy to %s", n);
        end(c);
    }
}

/* RES001, RES002: the copy is within its tier's scope (backup scope for
 * backup, dr and archive copies). */
static void
copy_scope(struct ck *c, struct copy_facts *x)
{
    struct dctx *dc = x->dc;
    int32_t p = x->p;
    const struct placement *pl = x->pl;
    const struct region *rg = x->rg;
    const struct tier *T = x->T;
    const char *role = x->role;
    const char *sw;
    char cc[3];                         /* bounded: a two-letter country code */
    char cc2[3];                        /* bounded: a two-letter country code */
    int bad;

    if (!T)
        return;

    bool backup = pl->role == ROLE_BACKUP || pl->role == ROLE_DR || pl->role == ROLE_ARCHIVE;
    int scope = backup ? T->backup_scope : T->scope;
    int rule = backup ? RULE_RES002 : RULE_RES001;
    if ((x->fire & (1u << rule)) && begin(c, rule, OBJ_PLACEMENT, p, dc->d)) {
        sw = scope_words(c, dc, scope, &c->sw[0], &c->sw[1]);
        why_dataset(c, dc);
        why(c, "tier %s keeps %s copies within %s", T->name, backup ? "backup, dr and archive" : "its",
            sw);
        why(c, "%s in %s", role, region_label(c, pl->region, &c->rl[0]));
        if (scope == SCOPE_BLOC && dc->bmask) {
            FOR_REGIMES(g, dc->bmask)
                if (!region_within(c, pl->region, &c->rp->regimes[g].free_flow, &bad))
                    why(c, "%s is outside %s", bad == SM_NONE ? "a global location" : ccs(bad, cc),
                        area_text(c, &c->sw[1], g));
        } else if (scope == SCOPE_COUNTRY || scope == SCOPE_REGION || scope == SCOPE_BLOC) {
            why(c, "%s is not %s", rg->id, scope != SCOPE_REGION ? ccs(dc->home_cc, cc2)
                : dc->home_region == SM_NONE ? "the region of a primary copy (there is none)"
                : model_region_id(c->m, dc->home_region));
        } else if (scope == SCOPE_APPROVED) {
            why(c, "%s is not in the approved list of tier %s", rg->id, T->name);
        } else if (scope == SCOPE_ADEQUATE) {
            const char *carrier = x->mc.explicit_flow ? "the flow into the copy" : "the copy";
            if (x->mc.src != SM_NONE)
                carrier = why_entry(c, p, &x->mc);
            FOR_REGIMES(g, dc->gmask) {
                int basis;
                uint8_t st;
                if (judge_region(c, g, pl->region, &x->mc, &bad, &basis, &st) != V_OK)
                    why_transfer(c, g, bad, st, &x->mc, carrier);
            }
        }
        msg(c, "%s %s in %s is outside the %s scope of tier %s", dc->ds->name, role, rg->id,
            scope_names[scope], T->name);
        jur_for(c, dc->gmask, c->ri[pl->region].n == 1 ? c->pool[c->ri[pl->region].first] : SM_NONE,
                c->ri[pl->region].any);
        const char *n = nearest(c, dc, HW_SCOPE, scope, pl->region);
        if (*n)
            hint(c, "move the %s to %s", role, n);
        else
            hint(c, "no known region satisfies the %s scope; review the tier or the subjects",
                 scope_names[scope]);
        end(c);
    }
}

/* RES005: a sovereign tier's copy is run by an operator inside its area. */
static void
copy_operator(struct ck *c, struct copy_facts *x)
{
    struct dctx *dc = x->dc;
    int32_t p = x->p;
    const struct placement *pl = x->pl;
    const struct region *rg = x->rg;
    const struct tier *T = x->T;
    const char *role = x->role;
    char cc[3];                         /* bounded: a two-letter country code */

    if (!T || !T->sovereign)
        return;

    int op = rg->operator_home != SM_NONE ? rg->operator_home : rg->country;
    int32_t badg = SM_NONE;
    if ((x->fire & (1u << RULE_RES005)) && !operator_ok(c, dc, pl->region, &badg) &&
        begin(c, RULE_RES005, OBJ_PLACEMENT, p, dc->d)) {
        why_dataset(c, dc);
        why(c, "tier %s requires a sovereign operator", T->name);
        why(c, "%s in %s is run by an operator based in %s", role,
            region_label(c, pl->region, &c->rl[0]), ccs(op, cc));
        if (badg != SM_NONE)
            why(c, "an operator in %s answers to disclosure laws outside %s", cc,
                area_text(c, &c->sw[1], badg));
        msg(c, "%s %s in %s is run by a %s operator; tier %s requires a sovereign one",
            dc->ds->name, role, rg->id, cc, T->name);
        jur_for(c, dc->gmask, op, false);
        const char *n = nearest(c, dc, HW_SCOPE, T->scope, pl->region);
        if (*n)
            hint(c, "move the %s to a sovereign region such as %s", role, n);
        end(c);
    }
}

/* ENC001: encryption at rest (run for an unencrypted copy of a tier that
 * requires it). */
static void
copy_encrypted(struct ck *c, struct copy_facts *x)
{
    struct dctx *dc = x->dc;
    int32_t p = x->p;
    const struct placement *pl = x->pl;
    const struct region *rg = x->rg;
    const struct tier *T = x->T;
    const char *role = x->role;

    if (begin(c, RULE_ENC001, OBJ_PLACEMENT, p, dc->d)) {
        why_dataset(c, dc);
        why(c, "tier %s requires encryption at rest", T->name);
        why(c, "%s in %s is not encrypted", role, region_label(c, pl->region, &c->rl[0]));
        msg(c, "%s %s in %s is not encrypted at rest", dc->ds->name, role, rg->id);
        hint(c, "enable encryption at rest on the copy, with a key held within %s scope",
             scope_names[T->key_scope]);
        end(c);
    }
}

/* ENC002: the key is held within the tier's key scope. */
static void
copy_key(struct ck *c, struct copy_facts *x)
{
    const struct model *m = c->m;
    struct dctx *dc = x->dc;
    int32_t p = x->p;
    const struct placement *pl = x->pl;
    const struct region *rg = x->rg;
    const struct tier *T = x->T;
    const char *role = x->role;
    const char *sw;

    if (!T || !pl->encrypted || pl->key_region == SM_NONE)
        return;
    /* The key travels under the same transfer as its copy: for the
     * adequate scope, the copy's mechanism covers it too. */
    if ((x->fire & (1u << RULE_ENC002)) &&
        begin(c, RULE_ENC002, OBJ_PLACEMENT, p, dc->d)) {
        sw = scope_words(c, dc, T->key_scope, &c->sw[0], &c->sw[1]);
        why_dataset(c, dc);
        why(c, "tier %s keeps encryption keys within %s", T->name, sw);
        why(c, "the key of the %s in %s is held in %s", role, rg->id,
            region_label(c, pl->key_region, &c->rl[0]));
        why(c, "a key held outside the scope can be disclosed there, which defeats encryption as a supplementary measure");
        msg(c, "the key for %s %s in %s is held in %s, outside the %s key scope",
            dc->ds->name, role, rg->id, m->regions[pl->key_region].id,
            scope_names[T->key_scope]);
        jur_for(c, dc->gmask, c->ri[pl->key_region].n == 1 ?
                c->pool[c->ri[pl->key_region].first] : SM_NONE, c->ri[pl->key_region].any);
        const char *n = nearest(c, dc, HW_KEY, T->key_scope, pl->key_region);
        if (*n)
            hint(c, "hold the key in %s", n);
        end(c);
    }
}

/* XFR001, XFR002 on the copy when no explicit flow feeds it, XFR003 and
 * XFR004 on its basis, and its row in the transfer register. */
static void
copy_transfer(struct ck *c, struct copy_facts *x)
{
    struct dctx *dc = x->dc;
    int32_t p = x->p;
    const struct placement *pl = x->pl;
    const struct region *rg = x->rg;
    const char *role = x->role;
    const struct rinfo *ri = &c->ri[pl->region];
    int to_cc = ri->any || ri->n != 1 ? SM_NONE : c->pool[ri->first];
    /* the primary defines home, so it is never abroad */
    bool abroad = p != dc->primary && !region_is_country(c, pl->region, dc->home_cc);
    bool rowdone = false;
    uint64_t m003 = 0, m004 = 0;
    char cc[3];                         /* bounded: a two-letter country code */

    if (dc->personal && dc->gmask) {
        FOR_REGIMES(g, dc->gmask) {
            int badcc, basis;
            uint8_t st;
            int v = judge_region(c, g, pl->region, &x->mc, &badcc, &basis, &st);
            bool waived = false;
            if (c->inflow[p] == SM_NONE)
                basis_masks(c, &x->mc, g, v, basis, &m003, &m004);
            if (v != V_OK && c->inflow[p] == SM_NONE &&
                begin(c, v == V_XFR001 ? RULE_XFR001 : RULE_XFR002, OBJ_PLACEMENT, p, dc->d)) {
                const struct regime *rgm = &c->rp->regimes[g];
                char ml[64], a[3];      /* bounded: four fixed mechanism names; a country code */
                why_dataset(c, dc);
                why(c, "%s in %s", role, region_label(c, pl->region, &c->rl[0]));
                why_transfer(c, g, badcc, st, &x->mc, pl->role == ROLE_PRIMARY ? "the primary copy" :
                             "the copy (no flow feeds it, so it is an implicit replication)");
                regime_cc(rgm, a);
                if (v == V_XFR001)
                    msg(c, "%s personal data in %s is stored in %s with no adequacy and no transfer mechanism",
                        a, dc->ds->name, badcc == SM_NONE ? "any country (global)" : ccs(badcc, cc));
                else
                    msg(c, "%s %s in %s relies on %s adequacy for %s that does not hold",
                        dc->ds->name, role, rg->id, a, badcc == SM_NONE ? "any" : ccs(badcc, cc));
                jur_for(c, (uint64_t)1 << g, badcc, badcc == SM_NONE);
                const char *n = nearest(c, dc, HW_TRANSFER, SCOPE_GLOBAL, pl->region);
                fix_mechs(c, rgm, st == CS_DPF);
                if (st == CS_DPF)
                    hint(c, "declare mechanism dpf on the copy if the recipient is DPF-certified, "
                         "or scc with a TIA as a fallback%s%s", *n ? "; or move it to " : "", n);
                else
                    hint(c, "declare a mechanism %s accepts (%s) with its reference%s%s", rgm->id,
                         mech_list(rgm, ml, sizeof ml), *n ? ", or move the copy to " : "", n);
                waived = end(c);
            }
            if (abroad || v != V_OK) {
                add_transfer(c, dc->d, p, c->inflow[p], dc->home_cc, to_cc, g, &x->mc, v, basis,
                             waived, true);
                rowdone = true;
            }
        }
    }
    if (m003 || m004) {
        const char *how, *what;
        how = gfmt(c, &c->tmp[2], false, "%s in %s declares it itself%s", role,
                   region_label(c, pl->region, &c->rl[0]),
                   p == dc->primary ? ""
                                    : " (no flow feeds it, so it is an implicit replication)");
        what = gfmt(c, &c->tmp[1], false, "%s %s in %s", dc->ds->name, role, rg->id);
        check_basis(c, dc, OBJ_PLACEMENT, p, what, "copy", &x->mc, m003, m004, true, to_cc, ri->any,
                    how);
    }
    if (abroad && !rowdone)
        add_transfer(c, dc->d, p, c->inflow[p], dc->home_cc, to_cc, SM_NONE, &x->mc, V_OK, B_NONE,
                     false, dc->personal);
    if (abroad || rowdone)
        c->prow[p] = 1;
}

/* copy_transfer for a copy none of whose rules can fire, from the verdicts
 * its memo entry e holds (copy_verdict): the same rows in the same order,
 * without judging the region again. false, with nothing done, when a
 * finding could come of it (a failed verdict or a basis the copy declares
 * itself) or e judged no regimes: then copy_transfer. */
static bool
copy_transfer_fast(struct ck *c, struct copy_facts *x, const struct rules_memo *e)
{
    struct dctx *dc = x->dc;
    int32_t p = x->p, in = c->inflow[p];
    bool abroad = p != dc->primary && !(e->flags & VF_HOME);
    bool rowdone = false;

    if (dc->personal && dc->gmask) {
        int k = 0;
        if (e->n > VERDICT_REGIMES)
            return false;
        /* what copy_transfer would report: the verdicts and the basis masks
         * count only for a copy that no flow feeds */
        if (in == SM_NONE &&
            ((e->flags & (VF_BAD | VF_M004)) ||
             ((e->flags & VF_M003) && (!x->mc.ref || !*x->mc.ref))))
            return false;
        FOR_REGIMES(g, dc->gmask) {
            if (abroad || e->v[k] != V_OK) {
                put_transfer(c, dc->d, p, in, dc->home_cc, e->to_cc, g, &x->mc, e->v[k],
                             e->basis[k], false, true);
                rowdone = true;
            }
            k++;
        }
    }
    if (abroad && !rowdone)
        put_transfer(c, dc->d, p, in, dc->home_cc, e->to_cc, SM_NONE, &x->mc, V_OK, B_NONE, false,
                     dc->personal);
    if (abroad || rowdone)
        c->prow[p] = 1;
    return true;
}
/* In this order: the rules once ran as one chain, and a copy's findings,
 * hint targets and transfer rows keep the order they had then. A rule runs
 * only when the copy's `may` holds one of its bits (0: always): most copies
 * break no rule, and the tests are cheaper here than a call each. */
static const struct {
    void (*run)(struct ck *, struct copy_facts *);
    uint32_t rules;
} placement_rules[] = {
    { copy_org_policy, BIT(RULE_RES004) },
    { copy_scope,      BIT(RULE_RES001) | BIT(RULE_RES002) },
    { copy_operator,   BIT(RULE_RES005) },
    { copy_encrypted,  BIT(RULE_ENC001) },
    { copy_key,        BIT(RULE_ENC002) },
    { copy_transfer,   0 },
};

/* copy_mech, with its two common cases here (inline: asked for every
 * copy): no flow feeds the copy (its own declaration), or its first flow
 * comes from another country and declares nothing. */
static inline void
copy_mech_of(const struct ck *c, const struct dctx *dc, int32_t p, const struct placement *pl,
             struct mech *mc)
{
    int32_t f = c->inflow[p];

    if (!c->rmemo ||            /* no memos: the plain path */
        (f != SM_NONE && ((c->inmech[p] & 0x40) || (c->inmech[p] & 0x0f) != MECH_NONE))) {
        copy_mech(c, dc, p, mc);
        return;
    }
    memset(mc, 0, sizeof *mc);
    mc->src = mc->via = SM_NONE;
    mc->dates_ok = true;
    if (f == SM_NONE) {
        mc->mech = pl->mechanism;
        mc->ref = pl->mechanism_ref;
        mc->public_recipient = dc->ds->public_sector;
    } else {
        mc->ref = "";
        mc->public_recipient = (c->inmech[p] & 0x20) || dc->ds->public_sector;
        mc->explicit_flow = true;
    }
}

static void
check_placement(struct ck *c, struct dctx *dc, int32_t p)
{
    struct copy_facts x;
    const struct rules_memo *e;

    x.dc = dc;
    x.p = p;
    x.pl = &c->m->placements[p];
    x.rg = &c->m->regions[x.pl->region];
    x.T = dc->T;
    x.role = role_names[x.pl->role];
    copy_mech_of(c, dc, p, x.pl, &x.mc);
    /* copy_rules() predicts the placement rules (check_where reads the same
     * bits, so the two cannot disagree); ENC001 needs no judgement. The
     * memo entry that answers it holds the transfer's verdicts too. */
    e = copy_verdict(c, dc, x.pl->role, x.pl->region,
                     x.pl->encrypted ? x.pl->key_region : SM_NONE, &x.mc);
    x.fire = e ? e->rules : copy_rules(c, dc, x.pl->role, x.pl->region,
                                       x.pl->encrypted ? x.pl->key_region : SM_NONE, &x.mc);
    x.may = x.fire;
    if (x.T && x.T->encryption_at_rest && !x.pl->encrypted)
        x.may |= BIT(RULE_ENC001);
    if (!x.may) {               /* most copies: the one rule that always runs */
        if (!e || !copy_transfer_fast(c, &x, e))
            copy_transfer(c, &x);
        return;
    }
    for (size_t i = 0; i < sizeof placement_rules / sizeof placement_rules[0]; i++)
        if (!placement_rules[i].rules || (x.may & placement_rules[i].rules))
            placement_rules[i].run(c, &x);
}

/* ---- the rules, per dataset ---------------------------------------------- */

/* What every rule about one dataset reads, worked out once per dataset. */
struct dataset_facts {
    int32_t d;
    const struct dataset *ds;
    struct dctx dc;                     /* its context, shared with its copies' rules */
    uint32_t may;                       /* the rules that can fire (BIT) */
};
/* CLS001: the dataset has a tier. */
static void
dataset_tier(struct ck *c, struct dataset_facts *x)
{
    int32_t d = x->d;
    const struct dataset *ds = x->ds;
    struct dctx *dc = &x->dc;

    if (begin(c, RULE_CLS001, OBJ_DATASET, d, d)) {
        why(c, "%s has no tier", ds->name);
        if (dc->T)
            why(c, "it receives %s data through lineage", dc->T->name);
        if (c->L->has_pfields[d])
            why(c, "it has fields tagged personal");
        msg(c, "dataset %s has no tier", ds->name);
        c->fix.tier = dc->T ? dc->tier : SM_NONE;
        hint(c, "assign a tier%s%s", dc->T ? " of at least " : "", dc->T ? dc->T->name : "");
        end(c);
    }
}

/* CLS002: personal fields call for a personal-data tier. */
static void
dataset_personal_tier(struct ck *c, struct dataset_facts *x)
{
    const struct model *m = c->m;
    int32_t d = x->d;
    const struct dataset *ds = x->ds;
    struct dctx *dc = &x->dc;

    if (begin(c, RULE_CLS002, OBJ_DATASET, d, d)) {
        const char *fl = gfmt(c, &c->tmp[0], false, "%s", "");
        for (int32_t f = ds->first_field; f != SM_NONE; f = m->fields[f].next)
            if (c->L->pfield[f])
                fl = gfmt(c, &c->tmp[0], true, "%s%s", *fl ? ", " : "", m->fields[f].name);
        why(c, "%s has fields tagged personal: %s", ds->name, fl);
        why(c, "tier %s is not a personal-data tier", dc->T->name);
        msg(c, "%s has personal fields (%s) but tier %s is not for personal data", ds->name, fl,
            dc->T->name);
        hint(c, "assign a personal-data tier, or remove the personal tags if they are wrong");
        end(c);
    }
}

/* CLS003: a tag rests on a classification that expired (Atlas
 * validityPeriods all ended, doc/import.md): kept and counted, the
 * conservative reading, and said once per tag. */
static void
dataset_expired_tags(struct ck *c, struct dataset_facts *x)
{
    const struct model *m = c->m;
    int32_t d = x->d;
    const struct dataset *ds = x->ds;

    for (int32_t t = ds->first_tag; t != SM_NONE; t = m->tags[t].next) {
        const struct tag *tg = &m->tags[t];
        const char *on;
        if (!*tg->expired || !begin(c, RULE_CLS003, OBJ_DATASET, d, d))
            continue;
        on = tg->field == SM_NONE
                 ? gfmt(c, &c->tmp[0], false, "%s", ds->name)
                 : gfmt(c, &c->tmp[0], false, "%s field %s", ds->name, m->fields[tg->field].name);
        why(c, "%s has tag %s, imported from %s%s%s", on, tg->tag,
            *tg->source ? tg->source : "a source", *tg->entity ? ", entity " : "", tg->entity);
        why(c, "every validity period of the classification behind it ended, the last on %s",
            tg->expired);
        why(c, "the tag is kept and counts, the conservative reading");
        msg(c, "%s: tag %s rests on a classification that expired on %s (from %s)", on, tg->tag,
            tg->expired, *tg->source ? tg->source : "an import");
        hint(c, "renew the classification in the source catalog and import it again, remove the "
             "tag if it no longer holds, or waive CLS003 on %s", ds->name);
        end(c);
    }
}

/* LIN001: the declared tier is not below what lineage brings in. */
static void
dataset_lineage(struct ck *c, struct dataset_facts *x)
{
    const struct model *m = c->m;
    int32_t d = x->d;
    const struct dataset *ds = x->ds;
    struct dctx *dc = &x->dc;

    if (dc->T->rank > m->tiers[ds->tier].rank && begin(c, RULE_LIN001, OBJ_DATASET, d, d)) {
        const struct flow *f = &m->flows[c->L->eff_via[d]];
        const char *src = m->datasets[m->placements[f->from].dataset].name;
        dataset_words(c, dc);
        why(c, "%s is declared %s", ds->name, m->tiers[ds->tier].name);
        why(c, "flow %s carries personal data from %s (%s) into it", f->name, src, dc->T->name);
        {
            const char *xf;
            const char *left = gfmt(c, &c->tmp[0], false, "%s", "");
            bool pseudo = false;
            int32_t sd = m->placements[f->from].dataset;
            for (uint32_t k = 0; k < f->ntransforms; k++)
                pseudo |= f->transforms[k].kind == XF_PSEUDONYMIZE;
            if (c->L->has_pfields[sd])
                for (int32_t fd = m->datasets[sd].first_field; fd != SM_NONE; fd = m->fields[fd].next)
                    if (c->L->pfield[fd] && lineage_field_left(m, c->L->eff_via[d], m->fields[fd].name))
                        left = gfmt(c, &c->tmp[0], true, "%s%s", *left ? ", " : "",
                                    m->fields[fd].name);
            if (f->ntransforms) {
                xf = transforms_text(c, &c->tmp[3], f->transforms, f->ntransforms);
                why(c, "its transforms (%s) leave personal data in it%s%s%s", xf, *left ? ": " : "", left,
                    pseudo ? " (pseudonymized data is still personal data)" : "");
            } else {
                why(c, "the flow has no transform that removes personal data%s%s", *left ? "; it carries " : "",
                    left);
            }
        }
        msg(c, "%s is tier %s but receives %s personal data from %s", ds->name,
            m->tiers[ds->tier].name, dc->T->name, src);
        jur_for(c, dc->gmask, SM_NONE, false);
        c->fix.tier = dc->tier;
        hint(c, "raise %s to tier %s, or anonymize, aggregate or mask the personal fields on flow %s",
             ds->name, dc->T->name, f->name);
        end(c);
    }
}

/* RET001: retention within the effective tier's maximum. The catalog
 * records retention per dataset only: its backup and archive copies
 * keep the data as long as the dataset does. */
static void
dataset_retention(struct ck *c, struct dataset_facts *x)
{
    const struct model *m = c->m;
    int32_t d = x->d;
    const struct dataset *ds = x->ds;
    struct dctx *dc = &x->dc;

    if ((ds->retention_days == SM_NONE || ds->retention_days > dc->T->retention_max_days) &&
        begin(c, RULE_RET001, OBJ_DATASET, d, d)) {
        int nb = 0;
        for (int32_t p = ds->first_placement; p != SM_NONE; p = m->placements[p].next)
            nb += !m->placements[p].deleted && (m->placements[p].role == ROLE_BACKUP ||
                                                m->placements[p].role == ROLE_ARCHIVE);
        why_dataset(c, dc);
        why(c, "tier %s keeps data at most %d days", dc->T->name, dc->T->retention_max_days);
        if (ds->retention_days == SM_NONE)
            why(c, "%s declares no retention, so nothing bounds how long it is kept", ds->name);
        else
            why(c, "%s keeps data %d days", ds->name, ds->retention_days);
        if (nb)
            why(c, "its %d backup and archive cop%s keep the data as long (the catalog records no retention of their own)",
                nb, nb == 1 ? "y" : "ies");
        if (ds->retention_days == SM_NONE)
            msg(c, "%s has no retention; tier %s keeps data at most %d days", ds->name, dc->T->name,
                dc->T->retention_max_days);
        else
            msg(c, "%s keeps data %d days, beyond the %d days tier %s allows", ds->name,
                ds->retention_days, dc->T->retention_max_days, dc->T->name);
        jur_for(c, dc->gmask, SM_NONE, false);
        hint(c, "set the retention of %s to at most %d days", ds->name, dc->T->retention_max_days);
        end(c);
    }
}

/* RES003: hard localization: a primary copy in the country that requires it. */
static void
dataset_localization(struct ck *c, struct dataset_facts *x)
{
    const struct model *m = c->m;
    int32_t d = x->d;
    const struct dataset *ds = x->ds;
    struct dctx *dc = &x->dc;
    char cc[3];                         /* bounded: a two-letter country code */

    uint64_t mask = dc->gmask;
    FOR_REGIMES(g, mask) {
        const struct regime *rg = &c->rp->regimes[g];
        bool ok = false;
        if (!rg->hard_localization)
            continue;
        for (int32_t p = ds->first_placement; p != SM_NONE; p = m->placements[p].next)
            if (!m->placements[p].deleted && m->placements[p].role == ROLE_PRIMARY &&
                region_is_country(c, m->placements[p].region, rg->country))
                ok = true;
        if (!ok && begin(c, RULE_RES003, OBJ_DATASET, d, d)) {
            why_dataset(c, dc);
            why(c, "%s requires personal data of %s subjects to be stored in %s (%s)", rg->id,
                ccs(rg->country, cc), cc, rg->localization_law);
            if (dc->primary == SM_NONE)
                why(c, "%s has no copy at all", ds->name);
            else
                why(c, "the primary copy is in %s", region_label(c, dc->home_region, &c->rl[0]));
            msg(c, "%s holds %s personal data but has no primary copy in %s", ds->name, cc, cc);
            jur_for(c, (uint64_t)1 << g, SM_NONE, false);
            hint(c, "keep the primary copy in a region in %s; copies abroad may follow only as %s allows",
                 cc, rg->id);
            end(c);
        }
    }
}
/* Run in this order, each when dataset_may() says it can fire. */
static const struct {
    void (*run)(struct ck *, struct dataset_facts *);
    uint32_t rules;
} dataset_rules[] = {
    { dataset_tier,          BIT(RULE_CLS001) },
    { dataset_personal_tier, BIT(RULE_CLS002) },
    { dataset_expired_tags,  BIT(RULE_CLS003) },
    { dataset_lineage,       BIT(RULE_LIN001) },
    { dataset_retention,     BIT(RULE_RET001) },
    { dataset_localization,  BIT(RULE_RES003) },
};

/* The dataset's rules that can fire at all: cheap tests on facts at hand,
 * so that a dataset that breaks nothing costs no call per rule. */
static uint32_t
dataset_may(const struct ck *c, const struct dataset_facts *x)
{
    const struct dataset *ds = x->ds;
    const struct tier *T = x->dc.T;
    uint32_t may = 0;

    if (ds->tier == SM_NONE)
        may |= BIT(RULE_CLS001);
    if (c->L->has_pfields[x->d] && T && !T->personal)
        may |= BIT(RULE_CLS002);
    if (c->expired_tags && ds->first_tag != SM_NONE)
        may |= BIT(RULE_CLS003);
    if (ds->tier != SM_NONE && T && x->dc.tier != ds->tier)
        may |= BIT(RULE_LIN001);
    if (T && T->retention_max_days != SM_NONE)
        may |= BIT(RULE_RET001);
    if (x->dc.personal)
        may |= BIT(RULE_RES003);
    return may;
}

/* The dataset's rules, then each live copy's: the order findings and
 * transfer rows were always made in. */
static void
check_dataset_rules(struct ck *c, int32_t d)
{
    const struct model *m = c->m;
    struct dataset_facts x;

    x.d = d;
    x.ds = &m->datasets[d];
    dataset_ctx(c, d, &x.dc);
    x.may = dataset_may(c, &x);
    for (size_t i = 0; i < sizeof dataset_rules / sizeof dataset_rules[0]; i++)
        if (x.may & dataset_rules[i].rules)
            dataset_rules[i].run(c, &x);
    for (int32_t p = x.ds->first_placement; p != SM_NONE; p = m->placements[p].next)
        if (!m->placements[p].deleted && m->placements[p].region != SM_NONE)
            check_placement(c, &x.dc, p);
}

/* Rows [t0, ntransfers) were made by one dataset's or flow's rules: sort
 * them (sort_transfers then finds most datasets' rows in order). */
static void
close_segment(struct ck *c, int32_t t0)
{
    int32_t n = c->r->ntransfers;

    if (n - t0 > 1 && !c->oom)
        sort_new_rows(c, t0);
}

void
check_dataset(struct ck *c, int32_t d)
{
    int32_t t0 = c->r->ntransfers;

    check_dataset_rules(c, d);
    close_segment(c, t0);
}

/* ---- the rules, per flow ----------------------------------------------- */
/* ---- the rules, per flow ----------------------------------------------- */

/* What every rule about one flow reads, worked out once per flow. */
struct flow_facts {
    int32_t f;
    const struct flow *fl;
    int32_t d;                          /* the dataset it reads */
    int32_t from_r, to_r;
    struct dctx dc;
    struct mech mc;                     /* the flow's own mechanism */
    int from_cc, to_cc;                 /* SM_NONE unless one country */
    bool border;                        /* it crosses a border */
    bool personal;                      /* it carries personal data */
    const char *left;                   /* personal fields still carried (c->tmp[0]);
                                         * NULL until flow_left() is asked */
    uint32_t may;                       /* the rules that can fire (BIT) */
};

/* false when the flow has no two ends in known regions, or no rule can
 * fire on it (most flows): nothing to do. */
static bool
get_flow_facts(struct ck *c, int32_t f, struct flow_facts *x)
{
    const struct model *m = c->m;
    const struct flow *fl = &m->flows[f];
    int32_t d;

    if (fl->from == SM_NONE)
        return false;
    x->f = f;
    x->fl = fl;
    /* the source's dataset and region share a cache line */
    x->d = d = m->placements[fl->from].dataset;
    x->from_r = m->placements[fl->from].region;
    if (c->ends)                /* read with the lineage: no copy to chase */
        x->to_r = flow_end_region(c->ends[f]);
    else
        x->to_r = fl->to != SM_NONE ? m->placements[fl->to].region : fl->to_region;
    if (x->from_r == SM_NONE || x->to_r == SM_NONE)
        return false;
    x->personal = c->L->flow_personal[f];
    x->from_cc = c->ri[x->from_r].any || c->ri[x->from_r].n != 1 ? SM_NONE
                 : c->pool[c->ri[x->from_r].first];
    x->to_cc = c->ri[x->to_r].any || c->ri[x->to_r].n != 1 ? SM_NONE : c->pool[c->ri[x->to_r].first];
    /* Two regions of one country are no border; unknown countries are one
     * unless the regions are the same. */
    x->border = x->from_cc == SM_NONE || x->to_cc == SM_NONE ? x->from_r != x->to_r
                : x->from_cc != x->to_cc;
    x->may = 0;
    if (x->personal && x->from_r != x->to_r && !fl->transit_encrypted)
        x->may |= BIT(RULE_ENC003);
    /* a flow across a border is a transfer: its row, and XFR001 to XFR004 */
    if (x->border)
        x->may |= BIT(RULE_XFR001);
    if (!x->may)
        return false;           /* no rule can fire: no context needed */
    dataset_ctx(c, d, &x->dc);
    memset(&x->mc, 0, sizeof x->mc);
    x->mc.mech = fl->mechanism;
    x->mc.valid_from = fl->valid_from;
    x->mc.valid_to = fl->valid_to;
    x->mc.dates_ok = dates_ok(c->today, fl->valid_from, fl->valid_to);
    x->mc.ref = fl->mechanism_ref;
    x->mc.public_recipient = fl->public_recipient || x->dc.ds->public_sector;
    x->mc.explicit_flow = true;
    x->left = NULL;
    return true;
}
/* Personal fields the flow still carries, for messages and hints: worked
 * out when a finding needs them (most flows fire nothing). */
static const char *
flow_left(struct ck *c, struct flow_facts *x)
{
    const struct model *m = c->m;

    if (x->left)
        return x->left;
    x->left = gfmt(c, &c->tmp[0], false, "%s", "");
    if (x->personal && c->L->has_pfields[x->d]) {
        for (int32_t fd = x->dc.ds->first_field; fd != SM_NONE; fd = m->fields[fd].next)
            if (c->L->pfield[fd] && lineage_field_left(m, x->f, m->fields[fd].name))
                x->left = gfmt(c, &c->tmp[0], true, "%s%s", *x->left ? ", " : "",
                               m->fields[fd].name);
    }
    return x->left;
}

/* ENC003: personal data between regions is encrypted in transit (run for a
 * personal flow between two regions that is not). */
static void
flow_transit(struct ck *c, struct flow_facts *x)
{
    const struct model *m = c->m;
    int32_t f = x->f;
    const struct flow *fl = x->fl;
    int32_t d = x->d;
    struct dctx *dc = &x->dc;
    int32_t from_r = x->from_r;
    int32_t to_r = x->to_r;
    int to_cc = x->to_cc;

    if (dc->T && dc->T->transit_encryption && begin(c, RULE_ENC003, OBJ_FLOW, f, d)) {
        const char *left = flow_left(c, x);
        why_dataset(c, dc);
        why(c, "tier %s requires transit encryption for flows between regions", dc->T->name);
        why(c, "flow %s goes from %s to %s", fl->name, region_label(c, from_r, &c->rl[1]),
            region_label(c, to_r, &c->rl[2]));
        if (*left)
            why(c, "it carries personal fields: %s", left);
        else
            why(c, "it carries personal data");
        why(c, "it is not encrypted in transit");
        msg(c, "flow %s carries personal data from %s to %s unencrypted", fl->name,
            m->regions[from_r].id, m->regions[to_r].id);
        jur_for(c, dc->gmask, to_cc, c->ri[to_r].any);
        hint(c, "encrypt the flow in transit (TLS or a private encrypted link)");
        end(c);
    }
}

/* XFR001, XFR002 on a flow across a border (run only for those), XFR003 and
 * XFR004 on its basis, and its rows in the transfer register. */
static void
flow_transfer(struct ck *c, struct flow_facts *x)
{
    const struct model *m = c->m;
    int32_t f = x->f;
    const struct flow *fl = x->fl;
    int32_t d = x->d;
    struct dctx *dc = &x->dc;
    int32_t from_r = x->from_r;
    int32_t to_r = x->to_r;
    int from_cc = x->from_cc;
    int to_cc = x->to_cc;
    bool personal = x->personal;

    if (!personal || !dc->gmask) {
        if (fl->to == SM_NONE || m->placements[fl->to].dataset != d || !c->prow[fl->to])
            put_transfer(c, d, fl->to, f, from_cc, to_cc, SM_NONE, &x->mc, V_OK, B_NONE, false,
                         personal);
        return;
    }
    uint64_t m003 = 0, m004 = 0;
    FOR_REGIMES(g, dc->gmask) {
        int badcc, basis;
        uint8_t st;
        int v = judge_region(c, g, to_r, &x->mc, &badcc, &basis, &st);
        bool waived = false;
        basis_masks(c, &x->mc, g, v, basis, &m003, &m004);
        if (v != V_OK && begin(c, v == V_XFR001 ? RULE_XFR001 : RULE_XFR002, OBJ_FLOW, f, d)) {
            const struct regime *rgm = &c->rp->regimes[g];
            char ml[64], a[3], b[3];    /* bounded: four fixed mechanism names; country codes */
            const char *xf;
            const char *left = flow_left(c, x);
            why_dataset(c, dc);
            why(c, "flow %s (%s) goes from %s to %s", fl->name, flow_kind_names[fl->kind],
                region_label(c, from_r, &c->rl[1]), region_label(c, to_r, &c->rl[2]));
            if (fl->ntransforms) {
                xf = transforms_text(c, &c->tmp[3], fl->transforms, fl->ntransforms);
                bool pseudo = false;
                for (uint32_t k = 0; k < fl->ntransforms; k++)
                    pseudo |= fl->transforms[k].kind == XF_PSEUDONYMIZE;
                if (*left)
                    why(c, "after its transforms (%s) it still carries personal fields: %s%s", xf, left,
                        pseudo ? " (pseudonymized data is still personal data)" : "");
                else
                    why(c, "its transforms (%s) leave personal data in it%s", xf,
                        pseudo ? " (pseudonymized data is still personal data)" : "");
            } else if (*left) {
                why(c, "it carries personal fields: %s", left);
            }
            why_transfer(c, g, badcc, st, &x->mc, "the flow");
            regime_cc(rgm, a);
            if (v == V_XFR001)
                msg(c, "flow %s sends %s personal data to %s with no adequacy and no transfer mechanism",
                    fl->name, a, badcc == SM_NONE ? "any country (global)" : ccs(badcc, b));
            else
                msg(c, "flow %s relies on %s adequacy for %s that does not hold", fl->name, a,
                    badcc == SM_NONE ? "any" : ccs(badcc, b));
            jur_for(c, (uint64_t)1 << g, badcc, badcc == SM_NONE);
            fix_mechs(c, rgm, st == CS_DPF);
            fix_mask(c, left);
            if (st == CS_DPF)
                hint(c, "declare mechanism dpf if the recipient is DPF-certified, or scc with a TIA as a fallback%s%s",
                     *left ? "; or mask or drop " : "", left);
            else
                hint(c, "declare a mechanism %s accepts (%s) with its reference%s%s", rgm->id,
                     mech_list(rgm, ml, sizeof ml), *left ? ", or mask or drop " : ", or anonymize or aggregate the data",
                     left);
            waived = end(c);
        }
        /* One row per transfer: a copy this flow feeds first already has
         * its row (check_placement judged it with this flow's mechanism);
         * another flow into it is a transfer of its own when it fails. */
        if (fl->to == SM_NONE || m->placements[fl->to].dataset != d || !c->prow[fl->to] ||
            (c->inflow[fl->to] != f && v != V_OK))
            put_transfer(c, d, fl->to, f, from_cc, to_cc, g, &x->mc, v, basis, waived, true);
    }
    if (m003 || m004) {
        const char *what, *how;
        what = gfmt(c, &c->tmp[1], false, "flow %s (%s)", fl->name, flow_kind_names[fl->kind]);
        how = gfmt(c, &c->tmp[2], false, "flow %s (%s) goes from %s to %s", fl->name,
                   flow_kind_names[fl->kind], region_label(c, from_r, &c->rl[1]),
                   region_label(c, to_r, &c->rl[2]));
        check_basis(c, dc, OBJ_FLOW, f, what, "flow", &x->mc, m003, m004,
                    fl->kind != FLOW_EXPORT && fl->kind != FLOW_QUERY, to_cc, c->ri[to_r].any, how);
    }
}
static const struct {
    void (*run)(struct ck *, struct flow_facts *);
    uint32_t rules;
} flow_rules[] = {
    { flow_transit,  BIT(RULE_ENC003) },
    { flow_transfer, BIT(RULE_XFR001) },
};

static void
check_flow_rules(struct ck *c, int32_t f)
{
    struct flow_facts x;

    if (!get_flow_facts(c, f, &x))
        return;
    for (size_t i = 0; i < sizeof flow_rules / sizeof flow_rules[0]; i++)
        if (x.may & flow_rules[i].rules)
            flow_rules[i].run(c, &x);
}

void
check_flow(struct ck *c, int32_t f)
{
    int32_t t0 = c->r->ntransfers;

    check_flow_rules(c, f);
    close_segment(c, t0);
}

/* ---- unknown subjects --------------------------------------------------- */

void
check_subjects(struct ck *c)
{
    const struct model *m = c->m;
    const struct lineage *L = c->L;

    for (int32_t s = 0; s < L->nslots; s++) {
        int32_t first = SM_NONE, count = 0;
        char cc[3];                     /* bounded: a two-letter country code */
        if (c->slot_regime[s] != SM_NONE)
            continue;
        c->r->stats.unknown_subjects++;
        for (int32_t d = 0; d < m->ndatasets; d++) {
            const struct dataset *ds = &m->datasets[d];
            if (ds->deleted)
                continue;
            for (int k = 0; k < ds->nsubjects; k++)
                if (ds->subjects[k] == L->slot_cc[s]) {
                    if (first == SM_NONE)
                        first = d;
                    count++;
                    break;
                }
        }
        if (first == SM_NONE || !begin(c, RULE_SUB001, OBJ_DATASET, first, first))
            continue;
        ccs(L->slot_cc[s], cc);
        why(c, "%d dataset%s declare%s %s subjects, first %s", count, count == 1 ? "" : "s",
            count == 1 ? "s" : "", cc, m->datasets[first].name);
        why(c, "rule pack %s has no regime for %s, so %s restricts nothing in this check",
            c->rp->name, cc, cc);
        msg(c, "subject jurisdiction %s has no regime in rule pack %s", cc, c->rp->name);
        sfmt(c->jur, sizeof c->jur, "%s", cc);
        hint(c, "check the code, or add a regime for %s to the rule pack", cc);
        end(c);
    }
}
