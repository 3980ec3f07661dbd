/*
 * check_int.h - private: the types, statements and helpers that check.c and its parts
 * (check_findings.c, check_regimes.c, check_transfers.c, check_rules.c) share. Nothing
 * outside them includes it.
 */
#ifndef SM_CHECK_INT_H
#define SM_CHECK_INT_H

#include "check.h"
#include "rules.h"

#include <stdbool.h>
#include <stdint.h>

enum cstat {
    CS_NONE,        /* no adequacy, not free: needs a mechanism */
    CS_FREE,        /* inside the free-flow area (or the regime bars nothing there) */
    CS_ADEQ,        /* full adequacy in force */
    CS_DPF,         /* partial adequacy, recipient must be DPF-certified */
    CS_COMM,        /* partial adequacy for commercial recipients */
    CS_REVOKED,     /* adequacy revoked by the pack or a scenario */
    CS_LAPSED,      /* adequacy ended (until < today) */
    CS_BLACK        /* barred destination */
};

enum verdict { V_OK, V_XFR001, V_XFR002 };

enum basis { B_INSIDE, B_ADEQ, B_DPF, B_COMM, B_MECH, B_NONE };

struct rinfo {
    int32_t first, n;           /* member countries in pool */
    uint8_t any;                /* global or unknown location: worst case */
};

struct wv {
    int32_t id;
    int32_t kind, obj;          /* resolved object, or SM_NONE */
};

#define WHY_MAX 12
#define HINT_CACHE 4096
#define JUDGE_MEMO 4096         /* slots of judge_region's memo (a power of 2) */

#define RULES_MEMO 8192         /* slots of copy_rules' memo (a power of 2) */

#define VERDICT_REGIMES 4   /* regimes a copy's memo entry judges (more: none) */

/* One copy_rules answer: the dataset's regimes (gmask) and the rest of what
 * it depends on (rules_key) as the key; w1 bit 63 set when used. With it,
 * what the same key decides about the copy's transfer (copy_verdict): the
 * destination country, whether the region is the home country, and each
 * regime's verdict in gmask order. 32 bytes. */
struct rules_memo {
    uint64_t w0, w1;
    uint32_t rules;
    int16_t to_cc;              /* the region's one country, SM_NONE */
    uint8_t n;                  /* regimes judged; VERDICT_REGIMES + 1: more,
                                 * none judged */
    uint8_t flags;              /* VF_* */
    int8_t v[VERDICT_REGIMES], basis[VERDICT_REGIMES];
};

#define VF_HOME   1u            /* the region lies in the home country */
#define VF_BAD    2u            /* some regime's verdict is not V_OK */
#define VF_M003   4u            /* XFR003's mask is not empty when the copy's
                                 * mechanism names no reference */
#define VF_M004   8u            /* XFR004's mask is not empty */

/* One judge_region answer: what it depends on (regime, region and the three
 * facts of the mechanism judge_cc reads) in key, bit 63 set when used. */
struct judge_memo {
    uint64_t key;
    int32_t badcc;
    int8_t v, basis;
    uint8_t st;
};

#define HOME_MEMO 1024         /* slots of dataset_ctx's memo (a power of 2) */

/* What dataset_ctx works out from a dataset's subject slots (one word),
 * its home region and its effective tier: the regimes and the home
 * (dataset_home). k1 bit 63 set when used. */
struct home_memo {
    uint64_t k0, k1;
    uint64_t gmask, bmask, rkey, rhash;
    int32_t home_cc;
    bool fallback;
};

struct hint_slot {
    uint64_t gmask;
    int32_t tier, home, provider_region, used;
    uint8_t scope, personal, what;
    int32_t *cand;              /* candidate regions, best first (heap) */
    int32_t ncand;
};

/* Recently stored finding strings, to share instead of copying again. */
#define SC_N 16
struct strcache {
    const char *s[SC_N];
    int next;
};

struct dctx {
    int32_t d;
    const struct dataset *ds;
    int32_t tier;               /* effective */
    const struct tier *T;
    uint64_t gmask;             /* regimes that apply */
    uint64_t bmask;             /* regimes whose area bounds bloc scope and operators:
                                 * those that restrict transfers, or all if none does */
    bool fallback;              /* regimes from the home country, no subjects */
    int32_t primary, home_region;
    int home_cc;
    bool personal;
    uint64_t rkey;              /* copy_rules' key bits of the dataset (tier, home
                                 * country, bit 63); 0: ids too large for the key */
    uint64_t rhash;             /* gmask's share of that key's hash */
    char subj[CHECK_SUBJECTS_MAX];      /* bounded: country codes, each at most once: "EU,BR" */
    bool words;                 /* subj is filled */
};

/* A text that grows to fit: finding texts hold names of any length, whole. */
struct gbuf {
    char *s;
    size_t cap;
};

struct ck {
    const struct model *m;
    const struct rulepack *rp;
    int32_t today;
    struct check_result *r;
    struct lineage *L;
    uint8_t (*cs)[SM_CC_COUNT];
    int16_t *slot_regime;
    struct rinfo *ri;
    int32_t *provider_first;    /* per region: first region of its provider */
    uint64_t restricting;       /* regimes with a transfer rule (not "free") */
    uint8_t *allowed;           /* per region: the org policy allows it */
    uint32_t *basis_cache;      /* per (regime, country): "adequacy EU->CH"'s basis */
    int16_t *pool;
    int32_t *inflow;
    const uint16_t *ends;       /* per flow: the destination region
                                 * (lineage_run_inflow), or NULL: read the copies */
    uint8_t *inmech;            /* per placement: inflow's mechanism | public << 5 */
    uint8_t *prow;
    struct wv *wv;
    int32_t nwv;
    int32_t cap_transfers;
    /* Two threads: the worker's rows, kept apart until the register is
     * ordered (the datasets' [0, wsplit), then the flows'); the main
     * thread's datasets' rows are its first msplit. */
    struct transfer *wrows;
    int32_t nwrows, wsplit, msplit;
    int32_t rows_hint;          /* the register's first room, in rows */
    bool oom;
    bool no_register;           /* check_run_findings: no transfer rows */
    bool expired_tags;          /* some tag rests on an expired classification (CLS003) */
    int cc_eu;
    struct hint_slot *hints;
    struct judge_memo *memo;    /* JUDGE_MEMO slots, or NULL: judge each time */
    struct rules_memo *rmemo;   /* RULES_MEMO slots, or NULL */
    struct home_memo *hmemo;    /* HOME_MEMO slots, or NULL */
    struct gbuf near;           /* nearest()'s text */
    struct strcache sc;         /* strings of recent findings, shared */
    /* the finding being built */
    int rule;
    int kind;
    int32_t obj, dataset;
    int nwhy;
    struct gbuf why[WHY_MAX];
    struct gbuf msg, hint;
    struct finding_fix fix;     /* the finding being built: its targets */
    struct gbuf fixmask;        /* fix.mask's text */
    char jur[3 * 64 + 16];              /* bounded: a code per regime (64) and " -> global" */
    struct gbuf tmp[4];         /* scratch texts of one finding (what, how, lists) */
    struct gbuf rl[3];          /* region_label()'s texts, one per region in a sentence */
    struct gbuf sw[2];          /* scope_words() and its areas */
    struct gbuf basis;          /* a transfer's basis ("scc REF"), before it is stored */
};

/* Each regime index g set in mask (a bit walk, not 64 tests). No `break`
 * inside: the body sits in a one-shot inner loop. */
#define FOR_REGIMES(g, mask) \
    for (uint64_t g##_m = (mask); g##_m; g##_m &= g##_m - 1) \
        for (int32_t g = __builtin_ctzll(g##_m), g##_1 = 1; g##_1; g##_1 = 0)

#define finding_cmp check_finding_cmp

struct mech {
    uint8_t mech;
    bool dates_ok;
    int32_t valid_from, valid_to;
    const char *ref;
    bool public_recipient;
    bool explicit_flow;         /* declared on a flow (not a placement) */
    /* A copy fed from a copy in its own country stands on the basis by
     * which the data entered that country: src is the first copy of the
     * chain in that country, via the flow that crossed into it (SM_NONE:
     * src's own declaration, an implicit replication). src SM_NONE: the
     * copy is fed across a border, or not by a flow. */
    int32_t src, via;
};

/* The first 16 bytes of a name as two big-endian words: comparing them
 * as integers compares the prefixes as strcmp does (unsigned bytes, the
 * end before any byte). */
struct nkey {
    uint64_t hi, lo;
    const char *name;
    int32_t id;
};

/* Defined in one part, used in another. */
const char *ccs(int cc, char buf[3]);   /* bounded: a two-letter country code */
int fmtv(char *buf, size_t size, const char *fmt, va_list ap);
int __attribute__((format(printf, 3, 4))) sfmt(char *buf, size_t size, const char *fmt, ...);
void fmt_date(int32_t d, char out[11]); /* bounded: YYYY-MM-DD */
bool dates_ok(int32_t today, int32_t from, int32_t to);
const char *regime_cc(const struct regime *g, char buf[3]); /* bounded: a two-letter country code */
const char * __attribute__((format(printf, 4, 5))) gfmt(struct ck *c, struct gbuf *b, bool append,
                           const char *fmt, ...);
const char *gstr(const struct gbuf *b);
void gclear(struct gbuf *b);
const char *transforms_text(struct ck *c, struct gbuf *b, const struct transform *t, uint32_t n);
const char *region_label(struct ck *c, int32_t r, struct gbuf *b);
const char *area_text(struct ck *c, struct gbuf *b, int32_t g);
bool begin(struct ck *c, int rule, int kind, int32_t obj, int32_t dataset);
void __attribute__((format(printf, 2, 3))) why(struct ck *c, const char *fmt, ...);
void __attribute__((format(printf, 2, 3))) msg(struct ck *c, const char *fmt, ...);
void __attribute__((format(printf, 2, 3))) hint(struct ck *c, const char *fmt, ...);
bool waiver_live(const struct waiver *w, int32_t today);
void waiver_resolve(const struct model *m, const struct waiver *w, int32_t *kind, int32_t *id);
int sort_findings(struct check_result *r);
int append(struct check_result *r, const struct model *m, const struct finding *f,
           const struct wv *wv, int32_t nwv, struct strcache *sc, struct finding **out);
bool end(struct ck *c);
int build_tables(struct ck *c);
int judge_region(const struct ck *c, int32_t g, int32_t r, const struct mech *mc,
                 int *badcc, int *basis, uint8_t *st);
bool region_within(const struct ck *c, int32_t r, const struct sm_ccset *set, int *badcc);
/* Is every member of region r in country cc? (inline: asked for every copy) */
static inline bool
region_is_country(const struct ck *c, int32_t r, int cc)
{
    const struct rinfo *ri = &c->ri[r];

    if (ri->any || cc == SM_NONE)
        return false;
    for (int32_t k = 0; k < ri->n; k++)
        if (c->pool[ri->first + k] != cc)
            return false;
    return ri->n > 0;
}
bool in_scope(const struct ck *c, const struct dctx *dc, int scope, int32_t r,
              const struct mech *mc);
const char *scope_words(struct ck *c, const struct dctx *dc, int scope, struct gbuf *b,
                        struct gbuf *areas);
void copy_mech(const struct ck *c, const struct dctx *dc, int32_t p, struct mech *mc);
const char *why_entry(struct ck *c, int32_t p, const struct mech *mc);
bool operator_ok(const struct ck *c, const struct dctx *dc, int32_t r, int32_t *badg);
uint32_t copy_rules(const struct ck *c, const struct dctx *dc, int role, int32_t r, int32_t key,
                    const struct mech *mc);
void rules_fill(const struct ck *c, const struct dctx *dc, int role, int32_t r, int32_t key,
                const struct mech *mc, struct rules_memo *e, uint64_t w1);

/* What copy_rules reads, but the regimes (gmask), in one word: the tier,
 * the home country, the two regions, whether each is the home region
 * (region scope), backup or not, and the mechanism's three facts
 * (adequate scope); bit 63 set. false when an id is too large for it.
 * (inline, with copy_verdict: asked for every copy) */
static inline bool
rules_key(const struct dctx *dc, int role, int32_t r, int32_t key, const struct mech *mc,
          uint64_t *w1)
{
    uint64_t a = (uint64_t)(r + 1), b = (uint64_t)(key + 1);
    bool backup = role == ROLE_BACKUP || role == ROLE_DR || role == ROLE_ARCHIVE;

    if (!dc->rkey || a >= 1u << 14 || b >= 1u << 14 || mc->mech >= 32)
        return false;
    *w1 = dc->rkey | a << 24 | b << 10 |
          (uint64_t)backup << 9 | (uint64_t)mc->mech << 4 | (uint64_t)(mc->dates_ok != 0) << 3 |
          (uint64_t)(mc->public_recipient != 0) << 2 | (uint64_t)(r == dc->home_region) << 1 |
          (uint64_t)(key != SM_NONE && key == dc->home_region);
    return true;
}

/* copy_rules' memo entry for a copy in `role` in region r, its key in
 * region key, mechanism mc (struct rules_memo: the rules with the
 * transfer's verdicts), filled on a miss: for check_placement, one probe
 * instead of one for the rules and one per regime. NULL: no memo, or the
 * facts do not fit its key (ask copy_rules and judge_region). The entry
 * holds until the next probe. */
static inline const struct rules_memo *
copy_verdict(const struct ck *c, const struct dctx *dc, int role, int32_t r, int32_t key,
             const struct mech *mc)
{
    struct rules_memo *e;
    uint64_t w1;

    if (!c->rmemo || !rules_key(dc, role, r, key, mc, &w1))
        return NULL;
    e = &c->rmemo[((w1 ^ dc->rhash) * 0x9e3779b97f4a7c15ULL) >> 40 & (RULES_MEMO - 1)];
    if (e->w1 != w1 || e->w0 != dc->gmask)
        rules_fill(c, dc, role, r, key, mc, e, w1);
    return e;
}
void dataset_home(const struct ck *c, struct dctx *dc, int32_t r);
void dataset_ctx(struct ck *c, int32_t d, struct dctx *dc);
void dataset_words(struct ck *c, struct dctx *dc);
void why_dataset(struct ck *c, struct dctx *dc);
void jur_for(struct ck *c, uint64_t gmask, int to_cc, bool any);
void why_transfer(struct ck *c, int32_t g, int cc, uint8_t st, const struct mech *mc,
                  const char *carrier);
const char *mech_list(const struct regime *rg, char *buf, size_t size);
void fix_mask(struct ck *c, const char *fields);
void fix_mechs(struct ck *c, const struct regime *rg, bool dpf);
void add_transfer(struct ck *c, int32_t d, int32_t p, int32_t f, int from_cc, int to_cc,
                  int32_t g, const struct mech *mc, int verdict, int basis, bool waived, bool personal);
/* A register row's fields but its basis (the two ways a row is made). */
static inline void
transfer_row(const struct ck *c, struct transfer *t, int32_t d, int32_t p, int32_t f, int from_cc,
             int to_cc, int32_t g, uint8_t mech, uint8_t status, bool personal)
{
    t->dataset = d;
    t->placement = p;
    t->flow = f;
    t->from_cc = from_cc;
    t->to_cc = to_cc;
    t->regime = g == SM_NONE || g >= 64 ? 0 : c->r->regime_code[g];
    t->personal = personal;
    t->mechanism = mech;
    t->status = status;
}
/* add_transfer's common case, inline (a row for most copies abroad): room
 * in the register, no waiver, and a basis that is a fixed text or a shared
 * one already made (inside the area, adequacy for one country). false:
 * nothing done, call add_transfer. */
static inline bool
add_transfer_quick(struct ck *c, int32_t d, int32_t p, int32_t f, int from_cc, int to_cc,
                   int32_t g, uint8_t mech, int verdict, int basis, bool personal)
{
    struct check_result *r = c->r;
    struct transfer *t;
    uint32_t b;

    if (c->no_register)
        return true;
    if (r->ntransfers >= c->cap_transfers || !c->rmemo)  /* no memos: the plain path */
        return false;
    if (!personal) {
        b = BASIS_NOT_PERSONAL;
    } else if (g == SM_NONE) {
        b = BASIS_NO_REGIME;
    } else if (basis == B_INSIDE || ((basis == B_ADEQ || basis == B_COMM) && to_cc != SM_NONE)) {
        b = c->basis_cache[(size_t)g * (SM_CC_COUNT + 1) +
                           (basis == B_INSIDE ? SM_CC_COUNT : to_cc)];
        if (!b)
            return false;
        if (basis != B_INSIDE)
            mech = MECH_ADEQUACY;
    } else {
        return false;
    }
    t = &r->transfers[r->ntransfers++];
    transfer_row(c, t, d, p, f, from_cc, to_cc, g, mech,
                 verdict == V_OK ? XFER_OK : XFER_VIOLATION, personal);
    t->basis = b;
    return true;
}
/* A register row: add_transfer_quick's when it can make it (never for a
 * waived one), else add_transfer's. */
static inline void
put_transfer(struct ck *c, int32_t d, int32_t p, int32_t f, int from_cc, int to_cc, int32_t g,
             const struct mech *mc, int verdict, int basis, bool waived, bool personal)
{
    if (waived ||
        !add_transfer_quick(c, d, p, f, from_cc, to_cc, g, mc->mech, verdict, basis, personal))
        add_transfer(c, d, p, f, from_cc, to_cc, g, mc, verdict, basis, waived, personal);
}
void basis_masks(const struct ck *c, const struct mech *mc, int32_t g, int verdict, int basis,
                 uint64_t *m003, uint64_t *m004);
void check_basis(struct ck *c, struct dctx *dc, int kind, int32_t obj, const char *what,
                 const char *setter, const struct mech *mc, uint64_t m003, uint64_t m004,
                 bool systematic, int to_cc, bool any, const char *how);
void check_dataset(struct ck *c, int32_t d);
void check_flow(struct ck *c, int32_t f);
void check_subjects(struct ck *c);
void sort_new_rows(struct ck *c, int32_t from);
int sort_transfers(struct check_result *r, const int32_t *rank, int32_t nrank);
/* Rows in pieces: the register is their concatenation, in this order.
 * blk: the sm_big block holding them, whose pages the sort gives back as it
 * has read them (sm_big_release; every span of a block is read once, in
 * this order), or NULL. */
struct rowspan {
    const struct transfer *t;
    int32_t n;
    void *blk;
};
int sort_transfer_spans(struct check_result *r, const int32_t *rank, int32_t nrank,
                        const struct rowspan *sp, int nsp, bool *done);
int check_grow_rows(struct transfer **t, int32_t *cap, int32_t need, bool shareable);
int rank_names(struct nkey *v, int32_t n, int32_t *rank);

#endif
