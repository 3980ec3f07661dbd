/*
 * check_transfers.c - the residency checker: transfer facts for the why
 * chain, the transfer register and its order, the basis of XFR003/XFR004.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lineage.h"
#include "rules.h"
#include "check_int.h"

/* ---- transfer facts for the why chain ---------------------------------- */

void
why_transfer(struct ck *c, int32_t g, int cc, uint8_t st, const struct mech *mc,
             const char *carrier)
{
    const struct regime *rg = &c->rp->regimes[g];
    char a[3], b[3], d1[11];            /* bounded: country codes and a YYYY-MM-DD date */
    const char *dest = cc == SM_NONE ? "any country" : ccs(cc, b);

    regime_cc(rg, a);
    if (cc == SM_NONE)
        why(c, "a global location may be any country, so it is checked as the worst case");
    else
        why(c, "%s is outside %s%s", dest, rg->area_bloc ? "the " : "", rg->area);
    switch (st) {
    case CS_DPF:
        why(c, "%s adequacy for %s needs dpf (the recipient must be certified under the Data Privacy Framework)",
            a, dest);
        break;
    case CS_COMM:
        why(c, "%s adequacy for %s covers commercial recipients only, and the recipient is public sector",
            a, dest);
        break;
    case CS_REVOKED:
        why(c, "%s adequacy for %s is revoked", a, dest);
        break;
    case CS_LAPSED:
        for (int32_t k = 0; k < rg->nadequacy; k++)
            if (rg->adequacy[k].cc == cc) {
                fmt_date(rg->adequacy[k].until, d1);
                why(c, "%s adequacy for %s ended on %s", a, dest, d1);
            }
        break;
    case CS_BLACK:
        why(c, "%s bars transfers to %s", rg->id, dest);
        break;
    default:
        why(c, "no %s adequacy decision covers %s", rg->id, dest);
    }
    if (st == CS_BLACK)
        return;
    if (mc->mech == MECH_NONE) {
        why(c, "%s declares no transfer mechanism", carrier);
    } else if (!mc->dates_ok) {
        if (mc->valid_to && mc->valid_to < c->today) {
            fmt_date(mc->valid_to, d1);
            why(c, "%s declares %s%s%s, but it expired on %s: an expired mechanism counts as none",
                carrier, mechanism_names[mc->mech], mc->ref && *mc->ref ? " " : "",
                mc->ref ? mc->ref : "", d1);
        } else {
            fmt_date(mc->valid_from, d1);
            why(c, "%s declares %s%s%s, valid only from %s: a mechanism not yet valid counts as none",
                carrier, mechanism_names[mc->mech], mc->ref && *mc->ref ? " " : "",
                mc->ref ? mc->ref : "", d1);
        }
    } else if (mc->mech == MECH_DPF && st == CS_DPF) {
        why(c, "%s declares dpf, which %s does not accept", carrier, rg->id);
    } else if (mc->mech == MECH_DPF) {
        why(c, "%s declares dpf, which only meets the US partial adequacy condition", carrier);
    } else if (mc->mech == MECH_ADEQUACY) {
        why(c, "%s declares adequacy, but no %s adequacy decision in force covers %s", carrier,
            rg->id, dest);
    } else if (mc->public_recipient && st == CS_COMM) {
        why(c, "%s declares %s, which %s does not accept", carrier, mechanism_names[mc->mech], rg->id);
    } else {
        why(c, "%s declares %s, which %s does not accept", carrier, mechanism_names[mc->mech], rg->id);
    }
}

const char *
mech_list(const struct regime *rg, char *buf, size_t size)
{
    static const uint8_t order[] = { MECH_SCC, MECH_BCR, MECH_DEROGATION, MECH_CONSENT };
    size_t n = 0;

    buf[0] = '\0';
    for (size_t k = 0; k < sizeof order; k++)
        if (rg->mechanisms & (1u << order[k]))
            n += (size_t)sfmt(buf + n, n < size ? size - n : 0, "%s%s", n ? ", " : "",
                                  mechanism_names[order[k]]);
    return buf;
}

/* The mechanisms a transfer's hint names, in its order, as the finding's
 * targets: dpf first where the adequacy needs it (scc as the fallback),
 * else those the regime accepts in mech_list's order. */
void
fix_mechs(struct ck *c, const struct regime *rg, bool dpf)
{
    static const uint8_t order[] = { MECH_SCC, MECH_BCR, MECH_DEROGATION, MECH_CONSENT };
    size_t n = 0;

    memset(c->fix.mech, MECH_NONE, sizeof c->fix.mech);
    if (dpf) {
        c->fix.mech[n++] = MECH_DPF;
        c->fix.mech[n++] = MECH_SCC;
        return;
    }
    for (size_t k = 0; k < sizeof order && n + 1 < sizeof c->fix.mech; k++)
        if (rg->mechanisms & (1u << order[k]))
            c->fix.mech[n++] = order[k];
}

/* ---- transfer register --------------------------------------------------- */

void
check_regime_codes(const struct rulepack *rp, const char *ids[65], uint8_t code[64])
{
    int32_t n = rp ? rp->nregimes : 0, by[64];
    uint8_t next = 0;

    memset(ids, 0, 65 * sizeof *ids);
    memset(code, 0, 64);
    ids[0] = "";
    if (n > 64)
        n = 64;                 /* check_run refuses more */
    for (int32_t i = 0; i < n; i++) {
        int32_t j = i;
        for (; j > 0 && strcmp(rp->regimes[by[j - 1]].id, rp->regimes[i].id) > 0; j--)
            by[j] = by[j - 1];
        by[j] = i;
    }
    for (int32_t k = 0; k < n; k++) {
        const char *id = rp->regimes[by[k]].id;
        if (*id && (!next || strcmp(ids[next], id) != 0))
            ids[++next] = id;
        code[by[k]] = *id ? next : 0;   /* "" sorts with no regime */
    }
}

const char *
check_transfer_basis(const struct check_result *r, const struct transfer *t)
{
    const char *b = t->basis < r->nbases ? r->bases[t->basis] : NULL;

    return b ? b : "";
}

int
check_bases_init(struct check_result *r)
{
    static const char *const fixed[BASIS_FIXED] = {
        [BASIS_EMPTY] = "", [BASIS_NOT_PERSONAL] = "not personal data",
        [BASIS_NO_REGIME] = "no regime applies",
    };

    free(r->bases);
    r->nbases = r->cap_bases = 0;
    if (!(r->bases = malloc(sizeof *r->bases * 64)))
        return SM_ENOMEM;
    r->cap_bases = 64;
    memcpy(r->bases, fixed, sizeof fixed);
    r->nbases = BASIS_FIXED;
    return SM_OK;
}

uint32_t
check_basis_add(struct check_result *r, const char *text)
{
    const char *s;

    if (r->nbases == r->cap_bases) {
        uint32_t cap = r->cap_bases ? r->cap_bases * 2 : 64;
        const char **b = cap > r->cap_bases ? realloc(r->bases, sizeof *b * cap) : NULL;
        if (!b)
            return 0;
        r->bases = b;
        r->cap_bases = cap;
    }
    if (r->nbases < BASIS_FIXED || !(s = sm_arena_strdup(&r->arena, text)))
        return 0;
    r->bases[r->nbases] = s;
    return r->nbases++;
}

const char *
check_transfer_regime(const struct check_result *r, const struct transfer *t)
{
    const char *id = t->regime < 65 ? r->regime_ids[t->regime] : NULL;

    return id ? id : "";
}

void
add_transfer(struct ck *c, int32_t d, int32_t p, int32_t f, int from_cc, int to_cc,
             int32_t g, const struct mech *mc, int verdict, int basis, bool waived, bool personal)
{
    struct check_result *r = c->r;
    struct transfer *t;
    char a[3], b[3];                    /* bounded: two-letter country codes */

    if (c->no_register)
        return;
    if (r->ntransfers == c->cap_transfers) {
        /* the first row: room for one per copy and flow at once (a big
         * block is mapped fresh: its pages cost nothing until written), so
         * the register seldom grows again through sm_big_grow's zeroed
         * doublings; if that much is refused, room for this row alone */
        int32_t need = r->ntransfers + 1;
        if (!r->transfers && need < c->rows_hint &&
            check_grow_rows(&r->transfers, &c->cap_transfers, c->rows_hint, c->m->shareable) ==
                SM_OK)
            need = 0;
        if (need && check_grow_rows(&r->transfers, &c->cap_transfers, need, c->m->shareable)) {
            c->oom = true;
            return;
        }
    }
    t = &r->transfers[r->ntransfers];
    transfer_row(c, t, d, p, f, from_cc, to_cc, g, mc->mech,
                 verdict == V_OK ? XFER_OK : waived ? XFER_WAIVED : XFER_VIOLATION, personal);
    if (!personal) {
        t->basis = BASIS_NOT_PERSONAL;
    } else if (g == SM_NONE) {
        t->basis = BASIS_NO_REGIME;
    } else {
        const struct regime *rg = &c->rp->regimes[g];
        uint32_t *slot = NULL;
        gclear(&c->basis);
        if (basis == B_INSIDE || ((basis == B_ADEQ || basis == B_COMM) && to_cc != SM_NONE)) {
            /* Shared strings: one per (regime, destination country), and
             * one per regime for "inside the EEA" (the last slot). */
            slot = &c->basis_cache[(size_t)g * (SM_CC_COUNT + 1) +
                                   (basis == B_INSIDE ? SM_CC_COUNT : to_cc)];
            if (basis != B_INSIDE)
                t->mechanism = MECH_ADEQUACY;
            if (*slot) {
                t->basis = *slot;
                r->ntransfers++;
                return;
            }
        }
        switch (basis) {
        case B_INSIDE:
            if (rg->transfer == XFER_RULE_CONDITIONAL)
                gfmt(c, &c->basis, false, "inside %s%s", rg->area_bloc ? "the " : "", rg->area);
            else
                gfmt(c, &c->basis, false, "%s has no transfer restriction there", rg->id);
            break;
        case B_ADEQ:
        case B_COMM:
            gfmt(c, &c->basis, false, "adequacy %s->%s", regime_cc(rg, a),
                     to_cc == SM_NONE ? "any" : ccs(to_cc, b));
            t->mechanism = MECH_ADEQUACY;
            break;
        case B_DPF:
            gfmt(c, &c->basis, false, "dpf%s%s", mc->ref && *mc->ref ? " " : "", mc->ref ? mc->ref : "");
            break;
        case B_MECH:
            gfmt(c, &c->basis, false, "%s%s%s", mechanism_names[mc->mech],
                     mc->ref && *mc->ref ? " " : "", mc->ref ? mc->ref : "");
            break;
        default:
            gfmt(c, &c->basis, false, "%s", "none");
        }
        t->basis = check_basis_add(r, gstr(&c->basis));
        if (!t->basis) {
            c->oom = true;
            return;
        }
        if (slot)
            *slot = t->basis;
    }
    r->ntransfers++;
}

/* ---- the basis a transfer rests on: XFR003, XFR004 ------------------------ */

/* Regimes whose consent and derogations are exceptions for occasional
 * transfers: GDPR Art. 49 (Recital 111), UK GDPR Art. 49, revFADP Art. 17.
 * Elsewhere `derogation` names a standing ground (a filing with, or an
 * assessment by, an authority: RU, PIPL, VN) and consent is not limited
 * to occasional transfers (LGPD Art. 33 VIII): no XFR004 there. */
static bool
occasional_derogations(const struct regime *rg)
{
    static const char *const ids[] = { "GDPR", "UK_GDPR", "FADP" };

    for (size_t k = 0; k < sizeof ids / sizeof *ids; k++)
        if (strcmp(rg->id, ids[k]) == 0)
            return true;
    return false;
}

/* Regimes (bits) for which a transfer judged OK rests on a mechanism that
 * names no document (scc, bcr, dpf: XFR003) or on a derogation (consent,
 * derogation: XFR004, when the transfer is systematic). */
void
basis_masks(const struct ck *c, const struct mech *mc, int32_t g, int verdict, int basis,
            uint64_t *m003, uint64_t *m004)
{
    if (verdict != V_OK)
        return;
    if ((basis == B_DPF || (basis == B_MECH && (mc->mech == MECH_SCC || mc->mech == MECH_BCR))) &&
        (!mc->ref || !*mc->ref))
        *m003 |= (uint64_t)1 << g;
    if (basis == B_MECH && (mc->mech == MECH_CONSENT || mc->mech == MECH_DEROGATION) &&
        occasional_derogations(&c->rp->regimes[g]))
        *m004 |= (uint64_t)1 << g;
}

/* The object (a flow, or a copy's own declaration) declares the basis.
 * what: "flow crm-sync (stream)", "orders replica in aws:us-east-1".
 * systematic: the transfer is a standing one (every flow kind but export
 * and query; a copy: always). */
void
check_basis(struct ck *c, struct dctx *dc, int kind, int32_t obj, const char *what,
            const char *setter, const struct mech *mc, uint64_t m003, uint64_t m004,
            bool systematic, int to_cc, bool any, const char *how)
{
    char a[3];                          /* bounded: a two-letter country code */
    const char *mn = mechanism_names[mc->mech];

    if (m003 && begin(c, RULE_XFR003, kind, obj, dc->d)) {
        int32_t g = __builtin_ctzll(m003);
        why_dataset(c, dc);
        why(c, "%s", how);
        why(c, "the transfer rests on %s for %s, and no reference records it", mn,
            c->rp->regimes[g].id);
        if (mc->mech == MECH_DPF) {
            why(c, "dpf holds only while the recipient is on the Data Privacy Framework list; without the list entry nothing shows it is");
            hint(c, "record the recipient's Data Privacy Framework list entry as the mechanism reference of the %s",
                 setter);
        } else if (mc->mech == MECH_BCR) {
            why(c, "binding corporate rules need an approval (GDPR Art. 47); without its reference nothing shows they cover this transfer");
            hint(c, "record the approved binding corporate rules (the approving authority's decision) as the mechanism reference of the %s",
                 setter);
        } else {
            why(c, "standard clauses need a signed contract and a transfer impact assessment (Schrems II, EDPB Recommendations 01/2020); without a reference nothing shows they exist");
            hint(c, "record the signed contract and its transfer impact assessment (for example SCC-2026-04/TIA-12) as the mechanism reference of the %s",
                 setter);
        }
        msg(c, "%s relies on %s with no reference", what, mn);
        jur_for(c, m003, to_cc, any);
        end(c);
    }
    if (m004 && systematic && begin(c, RULE_XFR004, kind, obj, dc->d)) {
        int32_t g = __builtin_ctzll(m004);
        regime_cc(&c->rp->regimes[g], a);
        why_dataset(c, dc);
        why(c, "%s", how);
        why(c, "the transfer rests on %s, a derogation for specific situations", mn);
        if (strcmp(c->rp->regimes[g].id, "FADP") == 0)
            why(c, "revFADP Art. 17 lists consent and the other derogations as exceptions to adequacy and safeguards, read restrictively: they suit occasional transfers, not standing ones");
        else
            why(c, "derogations are for occasional transfers, not repeated or structural ones (%s Art. 49, Recital 111; EDPB Guidelines 2/2018 read them restrictively)",
                strcmp(c->rp->regimes[g].id, "UK_GDPR") == 0 ? "UK GDPR" : "GDPR");
        msg(c, "%s relies on %s for a systematic transfer of %s personal data", what, mn, a);
        jur_for(c, m004, to_cc, any);
        hint(c, "put the transfer on scc or bcr with its reference (or adequacy), or keep %s for occasional transfers",
             mn);
        end(c);
    }
}

/* Room for need rows in the register: an sm_big block (shareable: a
 * scenario's copy of the check maps it page by page). */
int
check_grow_rows(struct transfer **t, int32_t *cap, int32_t need, bool shareable)
{
    if (need <= *cap)
        return SM_OK;
    return sm_big_grow((void **)t, cap, need, sizeof **t, shareable);
}

/* ---- sorting the transfer register ------------------------------------- */

/* The order of one dataset's rows: from, to, copy, flow, regime. */
static int
transfer_cmp_in(const struct transfer *a, const struct transfer *b)
{
    if (a->from_cc != b->from_cc)
        return a->from_cc < b->from_cc ? -1 : 1;
    if (a->to_cc != b->to_cc)
        return a->to_cc < b->to_cc ? -1 : 1;
    if (a->placement != b->placement)
        return a->placement < b->placement ? -1 : 1;
    if (a->flow != b->flow)
        return a->flow < b->flow ? -1 : 1;
    return (a->regime > b->regime) - (a->regime < b->regime);  /* the ids' order */
}

/* rank[] orders datasets by name (computed once for the datasets that
 * appear, so the sort compares integers). */
static int
transfer_cmp(const int32_t *rank, const struct transfer *a, const struct transfer *b)
{
    if (rank[a->dataset] != rank[b->dataset])
        return rank[a->dataset] < rank[b->dataset] ? -1 : 1;
    return transfer_cmp_in(a, b);
}

/* Rows [from, ntransfers) just made for one dataset, sorted among
 * themselves (stable insertion: a handful, still in cache). The register
 * then holds long sorted runs, which sort_transfers merges. */
void
sort_new_rows(struct ck *c, int32_t from)
{
    struct transfer *t = c->r->transfers;

    for (int32_t i = from + 1; i < c->r->ntransfers; i++) {
        struct transfer x = t[i];
        int32_t j = i;
        while (j > from && transfer_cmp_in(&t[j - 1], &x) > 0) {
            t[j] = t[j - 1];
            j--;
        }
        t[j] = x;
    }
}

/* Sort the n rows of one dataset by transfer_cmp_in, stably, in place
 * (tmp: room for n rows when n > 16): as made they are a few sorted
 * segments (its own rows, then each flow's), usually one. */
static void
sort_group(struct transfer *v, struct transfer *tmp, int32_t n)
{
    int32_t h, i, j, k;

    for (i = 1; i < n && transfer_cmp_in(&v[i - 1], &v[i]) <= 0; i++)
        ;
    if (i == n)
        return;                 /* already in order */
    if (n <= 16) {
        for (i = 1; i < n; i++) {
            struct transfer x = v[i];
            for (j = i; j > 0 && transfer_cmp_in(&v[j - 1], &x) > 0; j--)
                v[j] = v[j - 1];
            v[j] = x;
        }
        return;
    }
    h = n / 2;
    sort_group(v, tmp, h);
    sort_group(v + h, tmp, n - h);
    for (i = 0, j = h, k = 0; i < h && j < n;)
        tmp[k++] = transfer_cmp_in(&v[i], &v[j]) <= 0 ? v[i++] : v[j++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, sizeof *v * (size_t)n);
}

/* Merge the sorted runs of t (bounds run[0..nrun]) into one, pairwise,
 * through a second buffer; stable (the left run first on ties). The
 * sorted register is left in r->transfers. */
static int
merge_runs(struct check_result *r, const int32_t *rank, int32_t *run, int32_t nrun)
{
    struct transfer *a = r->transfers;
    struct transfer *b = sm_big_alloc(sizeof *b * (size_t)r->ntransfers, sm_big_wants_share(a));

    if (!b)
        return SM_ENOMEM;
    while (nrun > 1) {
        int32_t w = 0;
        for (int32_t q = 0; q < nrun; q += 2) {
            int32_t lo = run[q], mid = run[q + 1], hi = q + 2 <= nrun ? run[q + 2] : mid;
            int32_t i = lo, j = mid, k = lo;
            if (q + 1 == nrun) {        /* odd one out: copied as is */
                memcpy(b + lo, a + lo, sizeof *a * (size_t)(mid - lo));
                run[w++] = lo;
                continue;
            }
            while (i < mid && j < hi)
                b[k++] = transfer_cmp(rank, &a[i], &a[j]) <= 0 ? a[i++] : a[j++];
            memcpy(b + k, a + i, sizeof *a * (size_t)(mid - i));
            k += mid - i;
            memcpy(b + k, a + j, sizeof *a * (size_t)(hi - j));
            run[w++] = lo;
        }
        run[w] = r->ntransfers;
        nrun = w;
        {
            struct transfer *x = a;
            a = b;
            b = x;
        }
    }
    r->transfers = a;
    sm_big_free(b);
    return SM_OK;
}

#define MERGE_RUNS_MAX 64
/* scatter gives back the rows it has read every this many rows (640 KB) */
#define SCATTER_CHUNK 16384

static int scatter(struct check_result *r, const int32_t *rank, int32_t nrank,
                   const struct rowspan *sp, int nsp);

/* Sort the transfer register by transfer_cmp, stably. The rows come
 * sorted per dataset (sort_new_rows), datasets in id order, then the
 * flows' rows: when ids follow names, a few long runs, merged in a pass or
 * two. Otherwise the rows are counted per dataset rank and moved once, in
 * a stable counting pass (no comparisons), into a register of exactly
 * their number; then each dataset's few rows that are not yet in order
 * (its own rows and a flow's) are sorted among themselves, stably. Either
 * way the order a stable merge sort gives, without its 20 passes. */
int
sort_transfers(struct check_result *r, const int32_t *rank, int32_t nrank)
{
    struct transfer *t = r->transfers;
    int32_t n = r->ntransfers;
    int32_t run[MERGE_RUNS_MAX + 1], nrun = 1;

    run[0] = 0;
    for (int32_t k = 1; k < n && nrun <= MERGE_RUNS_MAX; k++)
        if (transfer_cmp(rank, &t[k - 1], &t[k]) > 0) {
            if (nrun < MERGE_RUNS_MAX)
                run[nrun] = k;
            nrun++;
        }
    if (nrun == 1)
        return SM_OK;
    if (nrun <= MERGE_RUNS_MAX) {
        run[nrun] = n;
        return merge_runs(r, rank, run, nrun);
    }
    {
        struct rowspan one = { t, n, t };
        return scatter(r, rank, nrank, &one, 1);
    }
}

/* sort_transfers' counting path over rows in spans (their concatenation in
 * order is the register): one stable pass moves each row into its place in a
 * new register of exactly their number (r->transfers, r->ntransfers), the
 * old one freed; then each dataset's rows are put in order among themselves. */
static int
scatter(struct check_result *r, const int32_t *rank, int32_t nrank, const struct rowspan *sp,
        int nsp)
{
    int32_t n = 0, big = 0;
    int32_t *start = calloc((size_t)nrank + 1, sizeof *start);
    struct transfer *u = NULL, *tmp = NULL;

    if (!start)
        return SM_ENOMEM;
    for (int s = 0; s < nsp; s++) {
        for (int32_t k = 0; k < sp[s].n; k++)
            start[rank[sp[s].t[k].dataset] + 1]++;
        n += sp[s].n;
    }
    for (int32_t q = 0; q < nrank; q++) {
        if (start[q + 1] > big)
            big = start[q + 1];
        start[q + 1] += start[q];
    }
    if (!(u = sm_big_alloc(sizeof *u * (size_t)n, sm_big_wants_share(r->transfers))) ||
        (big > 16 && !(tmp = malloc(sizeof *tmp * (size_t)big)))) {
        free(start);
        sm_big_free(u);
        return SM_ENOMEM;
    }
    /* one stable counting pass straight into the register's final place:
     * each row after the rows of names before its dataset's and after the
     * earlier rows of its dataset (written in order; read in a few runs,
     * each dataset's rows were made together and ids mostly follow names).
     * The rows read are given back a chunk at a time, so that the new
     * register's pages, faulted in as they are written, mostly take the
     * place of the old one's instead of coming on top (nothing fails from
     * here on: the old rows are not needed again). */
    for (int s = 0; s < nsp; s++) {
        const struct transfer *t = sp[s].t;
        const char *given = (const char *)t;
        for (int32_t k0 = 0, k1; k0 < sp[s].n; k0 = k1) {
            k1 = sp[s].n - k0 > SCATTER_CHUNK ? k0 + SCATTER_CHUNK : sp[s].n;
            for (int32_t k = k0; k < k1; k++)
                u[start[rank[t[k].dataset]]++] = t[k];
            if (sp[s].blk) {
                sm_big_release(sp[s].blk, given, t + k1);
                /* the next chunk from the page this one ended in */
                given = (const char *)((uintptr_t)(t + k1) & ~(uintptr_t)4095);
                if (given < (const char *)t)
                    given = (const char *)t;
            }
        }
    }
    sm_big_free(r->transfers);
    r->transfers = u;
    r->ntransfers = n;
    /* start[q] is now the end of rank q's rows */
    for (int32_t q = 0, lo = 0; q < nrank; lo = start[q++])
        if (start[q] - lo > 1)
            sort_group(u + lo, tmp, start[q] - lo);
    free(tmp);
    free(start);
    return SM_OK;
}

/* The register as the concatenation of the spans sp (two threads: each
 * thread's rows of each pass), sorted as sort_transfers sorts it, without
 * first copying the pieces together when the rows are in many runs (the
 * counting pass reads them where they are): *done. Otherwise (a few sorted
 * runs) *done is false and nothing is changed: the caller puts the pieces
 * together and calls sort_transfers. */
int
sort_transfer_spans(struct check_result *r, const int32_t *rank, int32_t nrank,
                    const struct rowspan *sp, int nsp, bool *done)
{
    const struct transfer *prev = NULL;
    int32_t nrun = 1;
    int rc;

    *done = false;
    for (int s = 0; s < nsp && nrun <= MERGE_RUNS_MAX; s++)
        for (int32_t k = 0; k < sp[s].n && nrun <= MERGE_RUNS_MAX; k++) {
            if (prev && transfer_cmp(rank, prev, &sp[s].t[k]) > 0)
                nrun++;
            prev = &sp[s].t[k];
        }
    if (nrun <= MERGE_RUNS_MAX)
        return SM_OK;
    if ((rc = scatter(r, rank, nrank, sp, nsp)) == SM_OK)
        *done = true;
    return rc;
}

int
check_name_rank(const struct model *m, int32_t **out)
{
    int32_t n = m->ndatasets;
    int32_t *rank = malloc(sizeof *rank * (size_t)(n + 1));
    struct nkey *nm = malloc(sizeof *nm * 2 * (size_t)(n + 1));
    int rc = SM_ENOMEM;

    if (rank && nm) {
        for (int32_t d = 0; d < n; d++) {
            nm[d].name = m->datasets[d].name ? m->datasets[d].name : "";
            nm[d].id = d;
        }
        rc = rank_names(nm, n, rank);
    }
    free(nm);
    if (rc) {
        free(rank);
        return rc;
    }
    *out = rank;
    return SM_OK;
}

int
check_keep_name_rank(struct model *m)
{
    int32_t *rank;

    if (model_name_rank(m))
        return SM_OK;
    if (check_name_rank(m, &rank))
        return SM_ENOMEM;
    model_set_name_rank(m, rank, m->ndatasets);
    return SM_OK;
}

static int
nkey_cmp(const void *pa, const void *pb)
{
    return strcmp(((const struct nkey *)pa)->name, ((const struct nkey *)pb)->name);
}

/* Sort n names (ids to rank[]: rank[id] = its place; v has room for 2n,
 * the second half a buffer): an LSD radix sort
 * of the 16-byte prefixes by 16-bit digits (digits every key shares are
 * skipped), then strcmp among the few names that share a whole prefix. */
int
rank_names(struct nkey *v, int32_t n, int32_t *rank)
{
    struct nkey *w = v + n;
    uint32_t (*hist)[65536] = calloc(8, sizeof *hist);

    if (!hist)
        return SM_ENOMEM;
    for (int32_t k = 0; k < n; k++) {
        const unsigned char *c = (const unsigned char *)v[k].name;
        uint64_t h = 0, l = 0;
        int i = 0;
        for (; i < 8 && c[i]; i++)
            h |= (uint64_t)c[i] << (56 - 8 * i);
        if (i == 8)
            for (; i < 16 && c[i]; i++)
                l |= (uint64_t)c[i] << (56 - 8 * (i - 8));
        v[k].hi = h;
        v[k].lo = l;
        for (int d = 0; d < 4; d++) {
            hist[d][(l >> (16 * d)) & 0xffff]++;
            hist[4 + d][(h >> (16 * d)) & 0xffff]++;
        }
    }
    for (int d = 0; d < 8; d++) {
        uint32_t sum = 0;
        bool one = false;
        for (int b = 0; b < 65536; b++) {
            uint32_t c = hist[d][b];
            if (c == (uint32_t)n)
                one = true;
            hist[d][b] = sum;
            sum += c;
        }
        if (one)
            continue;
        for (int32_t k = 0; k < n; k++) {
            uint64_t x = d < 4 ? v[k].lo : v[k].hi;
            w[hist[d][(x >> (16 * (d & 3))) & 0xffff]++] = v[k];
        }
        {
            struct nkey *t = v;
            v = w;
            w = t;
        }
    }
    /* names that share their first 16 bytes: by the rest */
    for (int32_t i = 0; i < n;) {
        int32_t j = i + 1;
        while (j < n && v[j].hi == v[i].hi && v[j].lo == v[i].lo)
            j++;
        if (j - i > 1)
            qsort(v + i, (size_t)(j - i), sizeof *v, nkey_cmp);
        i = j;
    }
    for (int32_t k = 0; k < n; k++)
        rank[v[k].id] = k;
    free(hist);
    return SM_OK;
}

int
check_reindex(struct check_result *r)
{
    int32_t *ix;

    free(r->by_object);
    r->by_object = NULL;
    ix = malloc(sizeof *ix * (size_t)(r->nfindings + 1));
    if (!ix)
        return SM_ENOMEM;
    /* Counting sort by kind, then stable by object id within kind: an
     * insertion into runs would be quadratic, so sort pairs. */
    for (int32_t k = 0; k < r->nfindings; k++)
        ix[k] = k;
    /* Simple bottom-up merge sort on (kind, object, index). */
    int32_t *tmp = malloc(sizeof *tmp * (size_t)(r->nfindings + 1));
    if (!tmp) {
        free(ix);
        return SM_ENOMEM;
    }
    for (int32_t w = 1; w < r->nfindings; w *= 2) {
        for (int32_t lo = 0; lo < r->nfindings; lo += 2 * w) {
            int32_t mid = lo + w < r->nfindings ? lo + w : r->nfindings;
            int32_t hi = lo + 2 * w < r->nfindings ? lo + 2 * w : r->nfindings;
            int32_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                const struct finding *a = &r->findings[ix[i]], *b = &r->findings[ix[j]];
                bool le = a->kind < b->kind || (a->kind == b->kind && a->object <= b->object);
                tmp[k++] = le ? ix[i++] : ix[j++];
            }
            while (i < mid)
                tmp[k++] = ix[i++];
            while (j < hi)
                tmp[k++] = ix[j++];
        }
        memcpy(ix, tmp, sizeof *ix * (size_t)r->nfindings);
    }
    free(tmp);
    r->by_object = ix;
    return SM_OK;
}
