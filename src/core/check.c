/*
 * check.c - the residency checker: every built-in rule over the model, the
 * transfer register, waivers, and the findings with their why chain and
 * remediation hint.
 *
 * Core: no I/O, no globals. One pass over datasets (with their placements)
 * and one over flows, on flat arrays; per-regime country tables are built
 * once so a transfer test is a table lookup. Strings are made only for
 * findings. Semantics are documented in doc/rules.md.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lineage.h"
#include "rules.h"

#define X(id, name) name,
const char *const severity_names[SEV_COUNT] = { SEVERITIES(X) };
const char *const transfer_status_names[XFER_STATUS_COUNT] = { TRANSFER_STATUSES(X) };
#undef X

/* Where a country stands for a regime. */
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
    char subj[96];              /* "EU,BR" */
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
    const char **basis_cache;   /* per (regime, country): "adequacy EU->CH" */
    int16_t *pool;
    int32_t *inflow;
    uint8_t *inmech;            /* per placement: inflow's mechanism | public << 5 */
    uint8_t *prow;
    struct wv *wv;
    int32_t nwv;
    int32_t cap_transfers;
    uint8_t *seg;               /* per transfer row: it starts a sorted segment */
    int32_t cap_seg;
    bool oom;
    int cc_eu;
    struct hint_slot *hints;
    struct gbuf near;           /* nearest()'s text */
    struct strcache sc;         /* strings of recent findings, shared */
    /* the finding being built */
    int rule;
    int kind;
    int32_t obj, dataset;
    int nwhy;
    struct gbuf why[WHY_MAX];
    struct gbuf msg, hint;
    char jur[96];
    struct gbuf tmp[4];         /* scratch texts of one finding (what, how, lists) */
    struct gbuf rl[3];          /* region_label()'s texts, one per region in a sentence */
    struct gbuf sw[2];          /* scope_words() and its areas */
    struct gbuf basis;          /* a transfer's basis ("scc REF"), before it is stored */
};

/* ---- small helpers ------------------------------------------------------- */

static const char *
ccs(int cc, char buf[3])
{
    sm_cc_str(cc, buf);
    return buf;
}

/* A small formatter for %s, %d and %% only: findings are built by the
 * hundred thousand and glibc's vsnprintf dominated the profile. Same
 * contract as vsnprintf: always terminated when size > 0, returns the
 * length the whole text would have. */
static void
put(char *buf, size_t size, size_t *n, const char *s, size_t len)
{
    if (*n + 1 < size) {
        size_t room = size - 1 - *n;
        memcpy(buf + *n, s, len < room ? len : room);
    }
    *n += len;
}

static int
fmtv(char *buf, size_t size, const char *fmt, va_list ap)
{
    size_t n = 0;
    const char *p = fmt;

    while (*p) {
        const char *q = strchr(p, '%');
        const char *s;
        char num[24];
        if (!q) {
            put(buf, size, &n, p, strlen(p));
            break;
        }
        put(buf, size, &n, p, (size_t)(q - p));
        p = q + 1;
        if (*p == 's') {
            s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
        } else if (*p == 'd') {
            int v = va_arg(ap, int);
            unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
            char *d = num + sizeof num;
            *--d = '\0';
            do
                *--d = (char)('0' + u % 10);
            while ((u /= 10));
            if (v < 0)
                *--d = '-';
            s = d;
        } else if (*p == '%') {
            s = "%";
        } else {
            s = "";
            if (!*p)
                break;
        }
        put(buf, size, &n, s, strlen(s));
        p++;
    }
    if (size)
        buf[n < size ? n : size - 1] = '\0';
    return (int)n;
}

static int __attribute__((format(printf, 3, 4)))
sfmt(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = fmtv(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static void
fmt_date(int32_t d, char out[11])
{
    sm_date_fmt(d, out);
}

static bool
dates_ok(int32_t today, int32_t from, int32_t to)
{
    return (from == 0 || from <= today) && (to == 0 || today <= to);
}

static const char *
region_id(const struct ck *c, int32_t r)
{
    return r == SM_NONE ? "?" : c->m->regions[r].id;
}

/* "aws:us-east-1 (US)", "gcp:eu (27 countries)", "global (any country)" */
static const char *region_label(struct ck *c, int32_t r, struct gbuf *b);


/* The regime's own code for "EU -> US". */
static const char *
regime_cc(const struct regime *g, char buf[3])
{
    return ccs(g->country, buf);
}

/* ---- findings ------------------------------------------------------------ */

/* Format into b (appending when append), growing it to fit. Out of memory
 * sets c->oom and leaves b empty. Returns b's text, never NULL. */
static const char *
gvfmt(struct ck *c, struct gbuf *b, bool append, const char *fmt, va_list ap)
{
    size_t at = append && b->s ? strlen(b->s) : 0, n;
    va_list ap2;

    va_copy(ap2, ap);
    n = at + (size_t)fmtv(b->s ? b->s + at : NULL, b->cap - at, fmt, ap2);
    va_end(ap2);
    if (n >= b->cap) {
        size_t cap = n + 1 < 256 ? 256 : n + 1;
        char *s = realloc(b->s, cap);
        if (!s) {
            c->oom = true;
            if (b->s)
                b->s[0] = '\0';
            return "";
        }
        b->s = s;
        b->cap = cap;
        fmtv(b->s + at, b->cap - at, fmt, ap);
    }
    return b->s;
}

static const char * __attribute__((format(printf, 4, 5)))
gfmt(struct ck *c, struct gbuf *b, bool append, const char *fmt, ...)
{
    const char *s;
    va_list ap;

    va_start(ap, fmt);
    s = gvfmt(c, b, append, fmt, ap);
    va_end(ap);
    return s;
}

static const char *
gstr(const struct gbuf *b)
{
    return b->s ? b->s : "";
}

static void
gclear(struct gbuf *b)
{
    if (b->s)
        b->s[0] = '\0';
}

/* "mask email phone; drop ssn" into b, whole (model_format_transforms' text). */
static const char *
transforms_text(struct ck *c, struct gbuf *b, const struct transform *t, uint32_t n)
{
    const char *s = gfmt(c, b, false, "%s", "");

    for (uint32_t i = 0; i < n; i++) {
        s = gfmt(c, b, true, "%s%s", i ? "; " : "", xform_names[t[i].kind]);
        for (uint32_t k = 0; k < t[i].fields.n; k++)
            s = gfmt(c, b, true, " %s", t[i].fields.v[k]);
    }
    return s;
}

/* "eu-west-1 (IE)", "global-x (any country)", whole. */
static const char *
region_label(struct ck *c, int32_t r, struct gbuf *b)
{
    const struct rinfo *ri;
    char cc[3];

    if (r == SM_NONE)
        return gfmt(c, b, false, "%s", "an unknown region");
    ri = &c->ri[r];
    if (ri->any)
        return gfmt(c, b, false, "%s (any country)", c->m->regions[r].id);
    if (ri->n == 1)
        return gfmt(c, b, false, "%s (%s)", c->m->regions[r].id, ccs(c->pool[ri->first], cc));
    return gfmt(c, b, false, "%s (%d countries)", c->m->regions[r].id, ri->n);
}

/* "the EEA" or "RU" into the caller's buffer (where's short reasons). */
static const char *
area_of(const struct regime *g, char *buf, size_t size)
{
    sfmt(buf, size, "%s%s", g->area_bloc ? "the " : "", g->area);
    return buf;
}

/* "the EEA" or "RU", whole. */
static const char *
area_text(struct ck *c, struct gbuf *b, int32_t g)
{
    return gfmt(c, b, false, "%s%s", c->rp->regimes[g].area_bloc ? "the " : "",
                c->rp->regimes[g].area);
}

static bool
begin(struct ck *c, int rule, int kind, int32_t obj, int32_t dataset)
{
    if (!c->rp->rules[rule].enabled)
        return false;
    c->rule = rule;
    c->kind = kind;
    c->obj = obj;
    c->dataset = dataset;
    c->nwhy = 0;
    gclear(&c->msg);
    gclear(&c->hint);
    c->jur[0] = '\0';
    return true;
}

static void __attribute__((format(printf, 2, 3)))
why(struct ck *c, const char *fmt, ...)
{
    va_list ap;

    if (c->nwhy >= WHY_MAX)
        return;
    va_start(ap, fmt);
    gvfmt(c, &c->why[c->nwhy++], false, fmt, ap);
    va_end(ap);
}

static void __attribute__((format(printf, 2, 3)))
msg(struct ck *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    gvfmt(c, &c->msg, false, fmt, ap);
    va_end(ap);
}

static void __attribute__((format(printf, 2, 3)))
hint(struct ck *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    gvfmt(c, &c->hint, false, fmt, ap);
    va_end(ap);
}

static bool
waiver_live(const struct waiver *w, int32_t today)
{
    return !w->deleted && (w->expires == 0 || w->expires >= today);
}

/* Resolve a waiver's object selector to (kind, id). */
static void
waiver_resolve(const struct model *m, const struct waiver *w, int32_t *kind, int32_t *id)
{
    static const int kinds[] = { OBJ_PLACEMENT, OBJ_FLOW, OBJ_DATASET, OBJ_REGION, OBJ_TIER };

    *kind = *id = SM_NONE;
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        int32_t i;
        if (kinds[k] == OBJ_PLACEMENT && !strchr(w->object, '@'))
            continue;
        if (model_find(m, kinds[k], w->object, &i, NULL) == SM_OK) {
            *kind = kinds[k];
            *id = i;
            return;
        }
    }
}

#define finding_cmp check_finding_cmp

int
finding_cmp(const void *pa, const void *pb)
{
    const struct finding *a = pa, *b = pb;
    int c;

    if (a->severity != b->severity)
        return a->severity > b->severity ? -1 : 1;
    if (a->rule != b->rule && (c = strcmp(a->rule, b->rule)))
        return c;
    if ((c = strcmp(a->selector, b->selector)))
        return c;
    if ((c = strcmp(a->jurisdictions, b->jurisdictions)))
        return c;
    return strcmp(a->message, b->message);
}

/* Sorting findings: the order of finding_cmp, with the first 8 bytes of
 * the rule and 16 of the selector as big-endian integers so that most
 * comparisons never reach strcmp. */
struct fkey {
    uint64_t rule, s1, s2;
    int32_t idx;
    uint8_t sev;
};

static uint64_t
be8(const char *s, size_t off)
{
    uint64_t v = 0;
    size_t k = 0, len = strlen(s);

    for (; k < 8; k++)
        v = v << 8 | (off + k < len ? (uint8_t)s[off + k] : 0);
    return v;
}

static int
fkey_cmp(const void *pa, const void *pb)
{
    const struct fkey *a = pa, *b = pb;

    if (a->sev != b->sev)
        return a->sev > b->sev ? -1 : 1;
    if (a->rule != b->rule)
        return a->rule < b->rule ? -1 : 1;
    if (a->s1 != b->s1)
        return a->s1 < b->s1 ? -1 : 1;
    if (a->s2 != b->s2)
        return a->s2 < b->s2 ? -1 : 1;
    return 0;
}

static int
sort_findings(struct check_result *r)
{
    struct fkey *k = malloc(sizeof *k * (size_t)r->nfindings);
    struct finding *out = malloc(sizeof *out * (size_t)r->nfindings);
    int32_t i = 0;

    if (!k || !out) {
        free(k);
        free(out);
        return SM_ENOMEM;
    }
    for (int32_t j = 0; j < r->nfindings; j++) {
        const struct finding *f = &r->findings[j];
        k[j].sev = f->severity;
        k[j].rule = be8(f->rule, 0);
        k[j].s1 = be8(f->selector, 0);
        k[j].s2 = be8(f->selector, 8);
        k[j].idx = j;
    }
    qsort(k, (size_t)r->nfindings, sizeof *k, fkey_cmp);
    /* Runs with equal keys: order them fully (long rule ids or selectors). */
    while (i < r->nfindings) {
        int32_t j = i + 1;
        while (j < r->nfindings && fkey_cmp(&k[i], &k[j]) == 0)
            j++;
        for (int32_t a = i; a < j; a++)
            out[a] = r->findings[k[a].idx];
        if (j - i > 1)
            qsort(out + i, (size_t)(j - i), sizeof *out, finding_cmp);
        i = j;
    }
    memcpy(r->findings, out, sizeof *out * (size_t)r->nfindings);
    free(k);
    free(out);
    return SM_OK;
}

static const char *
sc_find(const struct strcache *sc, const char *t)
{
    if (!sc || !*t)
        return NULL;
    for (int k = 0; k < SC_N; k++)
        if (sc->s[k] && sc->s[k][0] == t[0] && strcmp(sc->s[k], t) == 0)
            return sc->s[k];
    return NULL;
}

static void
sc_add(struct strcache *sc, const char *t)
{
    if (!sc || !*t)
        return;
    sc->s[sc->next] = t;
    sc->next = (sc->next + 1) % SC_N;
}

/* Copy f into r (strings into r's arena), apply waivers, update stats.
 * wv: pre-resolved live waivers (check_run) or NULL (resolve now). */
static int
append(struct check_result *r, const struct model *m, const struct finding *f,
       const struct wv *wv, int32_t nwv, struct strcache *sc, struct finding **out)
{
    struct finding *n;
    struct sm_arena *a = &r->arena;

    if (r->nfindings == r->cap_findings &&
        sm_grow((void **)&r->findings, &r->cap_findings, r->nfindings + 1, sizeof *r->findings))
        return SM_ENOMEM;
    n = &r->findings[r->nfindings];
    *n = *f;
    /* One arena block per finding: the why pointers, then every string
     * not already held by a recent finding (sc: consecutive findings of a
     * dataset repeat its description, tier and scope lines, and hints). */
    {
        const char *src[5] = { f->selector, f->jurisdictions, f->message, f->hint, NULL };
        const char *reuse[WHY_MAX + 5] = { NULL };
        size_t len[5], total = sizeof(char *) * f->why.n;
        bool builtin = false;
        char *p;
        uint32_t nwhy = f->why.n < WHY_MAX ? f->why.n : WHY_MAX;
        for (int k = 0; k < RULE_COUNT; k++)
            builtin |= f->rule == rule_names[k];
        src[4] = builtin ? "" : f->rule;
        for (int k = 0; k < 5; k++) {
            if (!src[k])
                src[k] = "";
            len[k] = strlen(src[k]);
            if (k == 1 || k == 3)
                reuse[WHY_MAX + k] = sc_find(sc, src[k]);
            if (!reuse[WHY_MAX + k])
                total += len[k] + 1;
        }
        for (uint32_t k = 0; k < f->why.n; k++) {
            if (k < nwhy && (reuse[k] = sc_find(sc, f->why.v[k])))
                continue;
            total += strlen(f->why.v[k]) + 1;
        }
        if (!(p = sm_arena_alloc(a, total)))
            return SM_ENOMEM;
        n->why.n = f->why.n;
        n->why.v = f->why.n ? (const char **)(void *)p : NULL;
        p += sizeof(char *) * f->why.n;
        for (uint32_t k = 0; k < f->why.n; k++) {
            size_t l;
            if (k < nwhy && reuse[k]) {
                n->why.v[k] = reuse[k];
                continue;
            }
            l = strlen(f->why.v[k]) + 1;
            memcpy(p, f->why.v[k], l);
            n->why.v[k] = p;
            sc_add(sc, p);
            p += l;
        }
        const char **dst[5] = { &n->selector, &n->jurisdictions, &n->message, &n->hint, &n->rule };
        for (int k = 0; k < 5; k++) {
            if (reuse[WHY_MAX + k]) {
                *dst[k] = reuse[WHY_MAX + k];
                continue;
            }
            memcpy(p, src[k], len[k] + 1);
            *dst[k] = p;
            if (k == 1 || k == 3)
                sc_add(sc, p);
            p += len[k] + 1;
        }
        if (builtin)
            n->rule = f->rule;
    }
    n->waived = 0;
    n->waiver = SM_NONE;
    if (wv) {
        for (int32_t k = 0; k < nwv && !n->waived; k++) {
            const struct waiver *w = &m->waivers[wv[k].id];
            if (strcmp(w->rule, n->rule) == 0 &&
                ((wv[k].kind == n->kind && wv[k].obj == n->object && n->object != SM_NONE) ||
                 strcmp(w->object, n->selector) == 0)) {
                n->waived = 1;
                n->waiver = wv[k].id;
            }
        }
    } else {
        for (int32_t w = 0; w < m->nwaivers && !n->waived; w++) {
            const struct waiver *wp = &m->waivers[w];
            int32_t k, i;
            if (!waiver_live(wp, r->today) || strcmp(wp->rule, n->rule))
                continue;
            waiver_resolve(m, wp, &k, &i);
            if ((k == n->kind && i == n->object && n->object != SM_NONE) ||
                strcmp(wp->object, n->selector) == 0) {
                n->waived = 1;
                n->waiver = w;
            }
        }
    }
    if (n->waived)
        r->stats.waived++;
    else if (n->severity < SEV_COUNT)
        r->stats.count[n->severity]++;
    r->nfindings++;
    if (out)
        *out = n;
    return SM_OK;
}

/* Commit the finding being built. Returns whether it was waived. */
static bool
end(struct ck *c)
{
    struct finding f;
    const char *whyv[WHY_MAX];
    char sel[512], *longsel = NULL;
    struct finding *n = NULL;
    bool oom;

    memset(&f, 0, sizeof f);
    f.rule = rule_names[c->rule];
    f.severity = (uint8_t)rules_severity(c->rp, c->rule);
    f.kind = (uint8_t)c->kind;
    f.object = c->obj;
    f.dataset = c->dataset;
    f.selector = model_selector(c->m, c->kind, c->obj, sel, sizeof sel);
    if (strlen(sel) == sizeof sel - 1) {
        /* a long name: the selector must be whole, or waivers miss it */
        if (!(longsel = model_selector_dup(c->m, c->kind, c->obj))) {
            c->oom = true;
            return false;
        }
        f.selector = longsel;
    }
    f.jurisdictions = c->jur;
    f.message = gstr(&c->msg);
    f.hint = gstr(&c->hint);
    for (int k = 0; k < c->nwhy; k++)
        whyv[k] = gstr(&c->why[k]);
    f.why.n = (uint32_t)c->nwhy;
    f.why.v = whyv;
    oom = append(c->r, c->m, &f, c->wv, c->nwv, &c->sc, &n) != SM_OK;
    free(longsel);
    if (oom) {
        c->oom = true;
        return false;
    }
    return n->waived;
}

/* ---- regimes and places ------------------------------------------------ */

static int
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
    c->basis_cache = calloc(((size_t)rp->nregimes + 1) * (SM_CC_COUNT + 1), sizeof(char *));
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

/* Worst member of a region. *badcc gets the deciding country (SM_NONE for
 * "any"), *basis and *st its basis and status. */
static int
judge_region(const struct ck *c, int32_t g, int32_t r, const struct mech *mc,
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
static bool
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

static bool
strv_has(const struct sm_strv *v, const char *s)
{
    for (uint32_t k = 0; k < v->n; k++)
        if (strcmp(v->v[k], s) == 0)
            return true;
    return false;
}

/* Each regime index g set in mask (a bit walk, not 64 tests). No `break`
 * inside: the body sits in a one-shot inner loop. */
#define FOR_REGIMES(g, mask) \
    for (uint64_t g##_m = (mask); g##_m; g##_m &= g##_m - 1) \
        for (int32_t g = __builtin_ctzll(g##_m), g##_1 = 1; g##_1; g##_1 = 0)

/* Is region r within `scope` for the dataset? */
static bool
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
static const char *
scope_words(struct ck *c, const struct dctx *dc, int scope, struct gbuf *b, struct gbuf *areas)
{
    const char *ar = gfmt(c, areas, false, "%s", "");
    char cc[3];

    FOR_REGIMES(g, dc->bmask)
        ar = gfmt(c, areas, true, "%s%s%s", *ar ? " and " : "",
                  c->rp->regimes[g].area_bloc ? "the " : "", c->rp->regimes[g].area);
    switch (scope) {
    case SCOPE_REGION:
        return gfmt(c, b, false, "region scope (the primary's region %s)",
                    region_id(c, dc->home_region));
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
static void
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
static const char *
why_entry(struct ck *c, int32_t p, const struct mech *mc)
{
    const struct model *m = c->m;
    const struct placement *pl = &m->placements[p];
    const struct flow *in = &m->flows[c->inflow[p]];
    const struct placement *sp = &m->placements[mc->src];
    const char *from = region_id(c, m->placements[in->from].region);
    char cc[3];

    ccs(c->pool[c->ri[pl->region].first], cc);
    if (mc->via != SM_NONE) {
        const struct flow *x = &m->flows[mc->via];
        int32_t xr = x->from == SM_NONE ? SM_NONE : m->placements[x->from].region;
        why(c, "flow %s feeds it from %s in the same country (%s), so it stands on the basis "
            "by which the data entered %s: flow %s from %s to %s", in->name, from, cc, cc,
            x->name, region_id(c, xr), region_id(c, sp->region));
        return "the flow that brought the data into the country";
    }
    if (sp->role == ROLE_PRIMARY) {
        why(c, "flow %s feeds it from %s in the same country (%s), so it stands on the basis "
            "of %s's primary copy in %s", in->name, from, cc, m->datasets[sp->dataset].name,
            region_id(c, sp->region));
        return "that primary copy";
    }
    why(c, "flow %s feeds it from %s in the same country (%s), so it stands on the basis by "
        "which the data entered %s: the copy in %s, an implicit replication", in->name, from,
        cc, cc, region_id(c, sp->region));
    return "that copy (an implicit replication)";
}

/* RES005: is the operator of region r at home for the dataset? false with
 * *badg the regime whose area it is outside (SM_NONE: not the home country). */
static bool
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
static uint32_t
copy_rules(const struct ck *c, const struct dctx *dc, int role, int32_t r, int32_t key,
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
    if (nb == 0)
        gclear(&c->near);
    else if (nb == 1)
        gfmt(c, &c->near, false, "%s", c->m->regions[best[0]].id);
    else
        gfmt(c, &c->near, false, "%s or %s", c->m->regions[best[0]].id,
             c->m->regions[best[1]].id);
    return gstr(&c->near);
}

/* ---- the dataset context ------------------------------------------------ */

/* The dataset's home: the primary's region r and its country, the home
 * country's regime when no subject names one, and the regimes that bound
 * the bloc. check_where calls it again to judge a primary elsewhere. */
static void
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
}

static void
dataset_ctx(struct ck *c, int32_t d, struct dctx *dc)
{
    const struct model *m = c->m;
    const struct lineage *L = c->L;
    const uint64_t *s = L->subj + (size_t)d * L->words;

    dc->d = d;
    dc->ds = &m->datasets[d];
    dc->tier = L->eff_tier[d];
    dc->T = dc->tier == SM_NONE ? NULL : &m->tiers[dc->tier];
    dc->personal = L->personal[d];
    dc->gmask = 0;
    dc->fallback = false;
    dc->subj[0] = '\0';
    dc->words = false;
    for (int32_t w = 0; w < L->words; w++)
        for (uint64_t b = s[w]; b; b &= b - 1) {
            int slot = w * 64 + __builtin_ctzll(b);
            if (c->slot_regime[slot] != SM_NONE)
                dc->gmask |= (uint64_t)1 << c->slot_regime[slot];
        }
    dc->primary = model_primary(m, d);
    if (dc->primary == SM_NONE)         /* no primary: the first copy is home */
        for (int32_t p = dc->ds->first_placement; p != SM_NONE; p = m->placements[p].next)
            if (!m->placements[p].deleted) {
                dc->primary = p;
                break;
            }
    dataset_home(c, dc, dc->primary == SM_NONE ? SM_NONE : m->placements[dc->primary].region);
}

/* Lazily: "EU,BR". */
static void
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
    char cc[3];

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

static void
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
        char codes[96];
        why(c, "%s receives personal data of %s subjects from %s through flow %s (%s)", dc->ds->name,
            subjects_brought(c, s, dc->d, codes, sizeof codes), c->m->datasets[s].name, f->name,
            flow_kind_names[f->kind]);
    }
}

static void
jur_for(struct ck *c, uint64_t gmask, int to_cc, bool any)
{
    char a[3], b[3];
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

/* ---- transfer facts for the why chain ---------------------------------- */

static void
why_transfer(struct ck *c, int32_t g, int cc, uint8_t st, const struct mech *mc,
             const char *carrier)
{
    const struct regime *rg = &c->rp->regimes[g];
    char a[3], b[3], d1[11];
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

static const char *
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

/* ---- transfer register --------------------------------------------------- */

static void
add_transfer(struct ck *c, int32_t d, int32_t p, int32_t f, int from_cc, int to_cc,
             int32_t g, const struct mech *mc, int verdict, int basis, bool waived, bool personal)
{
    struct check_result *r = c->r;
    struct transfer *t;
    char a[3], b[3];

    if (r->ntransfers == c->cap_transfers &&
        sm_grow((void **)&r->transfers, &c->cap_transfers, r->ntransfers + 1, sizeof *r->transfers)) {
        c->oom = true;
        return;
    }
    t = &r->transfers[r->ntransfers];
    t->dataset = d;
    t->placement = p;
    t->flow = f;
    t->from_cc = from_cc;
    t->to_cc = to_cc;
    t->regime = g == SM_NONE ? "" : c->rp->regimes[g].id;
    t->personal = personal;
    t->mechanism = mc->mech;
    t->status = verdict == V_OK ? XFER_OK : waived ? XFER_WAIVED : XFER_VIOLATION;
    if (!personal) {
        t->basis = "not personal data";
    } else if (g == SM_NONE) {
        t->basis = "no regime applies";
    } else {
        const struct regime *rg = &c->rp->regimes[g];
        const char **slot = NULL;
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
        t->basis = sm_arena_strdup(&r->arena, gstr(&c->basis));
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
static void
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
static void
check_basis(struct ck *c, struct dctx *dc, int kind, int32_t obj, const char *what,
            const char *setter, const struct mech *mc, uint64_t m003, uint64_t m004,
            bool systematic, int to_cc, bool any, const char *how)
{
    char a[3];
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

/* ---- the rules, per placement -------------------------------------------- */

static void
check_placement(struct ck *c, struct dctx *dc, int32_t p)
{
    const struct model *m = c->m;
    const struct placement *pl = &m->placements[p];
    const struct region *rg = &m->regions[pl->region];
    const struct tier *T = dc->T;
    const char *role = role_names[pl->role];
    const char *sw;
    char cc[3], cc2[3];
    const char *pat = NULL;
    struct mech mc;
    int bad;
    uint32_t fire;

    copy_mech(c, dc, p, &mc);
    fire = copy_rules(c, dc, pl->role, pl->region, pl->encrypted ? pl->key_region : SM_NONE, &mc);
    /* RES004: org policy. */
    if ((fire & (1u << RULE_RES004)) && !rules_region_allowed(c->rp, rg->id, &pat) &&
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
    if (T) {
        bool backup = pl->role == ROLE_BACKUP || pl->role == ROLE_DR || pl->role == ROLE_ARCHIVE;
        int scope = backup ? T->backup_scope : T->scope;
        int rule = backup ? RULE_RES002 : RULE_RES001;
        if ((fire & (1u << rule)) && begin(c, rule, OBJ_PLACEMENT, p, dc->d)) {
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
                why(c, "%s is not %s", rg->id, scope == SCOPE_REGION ? region_id(c, dc->home_region)
                    : ccs(dc->home_cc, cc2));
            } else if (scope == SCOPE_APPROVED) {
                why(c, "%s is not in the approved list of tier %s", rg->id, T->name);
            } else if (scope == SCOPE_ADEQUATE) {
                const char *carrier = mc.explicit_flow ? "the flow into the copy" : "the copy";
                if (mc.src != SM_NONE)
                    carrier = why_entry(c, p, &mc);
                FOR_REGIMES(g, dc->gmask) {
                    int basis;
                    uint8_t st;
                    if (judge_region(c, g, pl->region, &mc, &bad, &basis, &st) != V_OK)
                        why_transfer(c, g, bad, st, &mc, carrier);
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
        /* RES005: sovereign operator. */
        if (T->sovereign) {
            int op = rg->operator_home != SM_NONE ? rg->operator_home : rg->country;
            int32_t badg = SM_NONE;
            if ((fire & (1u << RULE_RES005)) && !operator_ok(c, dc, pl->region, &badg) &&
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
        /* ENC001, ENC002. */
        if (T->encryption_at_rest && !pl->encrypted && begin(c, RULE_ENC001, OBJ_PLACEMENT, p, dc->d)) {
            why_dataset(c, dc);
            why(c, "tier %s requires encryption at rest", T->name);
            why(c, "%s in %s is not encrypted", role, region_label(c, pl->region, &c->rl[0]));
            msg(c, "%s %s in %s is not encrypted at rest", dc->ds->name, role, rg->id);
            hint(c, "enable encryption at rest on the copy, with a key held within %s scope",
                 scope_names[T->key_scope]);
            end(c);
        }
        if (pl->encrypted && pl->key_region != SM_NONE) {
            /* The key travels under the same transfer as its copy: for the
             * adequate scope, the copy's mechanism covers it too. */
            if ((fire & (1u << RULE_ENC002)) &&
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
    }
    /* XFR on the copy when no explicit flow feeds it; the register. */
    {
        const struct rinfo *ri = &c->ri[pl->region];
        int to_cc = ri->any || ri->n != 1 ? SM_NONE : c->pool[ri->first];
        bool abroad = p != dc->primary && !region_is_country(c, pl->region, dc->home_cc);
        bool rowdone = false;
        uint64_t m003 = 0, m004 = 0;
        if (dc->personal && dc->gmask) {
            FOR_REGIMES(g, dc->gmask) {
                int badcc, basis;
                uint8_t st;
                int v = judge_region(c, g, pl->region, &mc, &badcc, &basis, &st);
                bool waived = false;
                if (c->inflow[p] == SM_NONE)
                    basis_masks(c, &mc, g, v, basis, &m003, &m004);
                if (v != V_OK && c->inflow[p] == SM_NONE &&
                    begin(c, v == V_XFR001 ? RULE_XFR001 : RULE_XFR002, OBJ_PLACEMENT, p, dc->d)) {
                    const struct regime *rgm = &c->rp->regimes[g];
                    char ml[64], a[3];
                    why_dataset(c, dc);
                    why(c, "%s in %s", role, region_label(c, pl->region, &c->rl[0]));
                    why_transfer(c, g, badcc, st, &mc, pl->role == ROLE_PRIMARY ? "the primary copy" :
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
                    if (st == CS_DPF)
                        hint(c, "declare mechanism dpf on the copy if the recipient is DPF-certified, "
                             "or scc with a TIA as a fallback%s%s", *n ? "; or move it to " : "", n);
                    else
                        hint(c, "declare a mechanism %s accepts (%s) with its reference%s%s", rgm->id,
                             mech_list(rgm, ml, sizeof ml), *n ? ", or move the copy to " : "", n);
                    waived = end(c);
                }
                if (abroad || v != V_OK) {
                    add_transfer(c, dc->d, p, c->inflow[p], dc->home_cc, to_cc, g, &mc, v, basis,
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
            check_basis(c, dc, OBJ_PLACEMENT, p, what, "copy", &mc, m003, m004, true, to_cc, ri->any,
                        how);
        }
        if (abroad && !rowdone)
            add_transfer(c, dc->d, p, c->inflow[p], dc->home_cc, to_cc, SM_NONE, &mc, V_OK, B_NONE,
                         false, dc->personal);
        if (abroad || rowdone)
            c->prow[p] = 1;
    }
}

static void
check_dataset_rules(struct ck *c, int32_t d)
{
    const struct model *m = c->m;
    struct dctx dc;
    const struct dataset *ds = &m->datasets[d];
    char cc[3];

    dataset_ctx(c, d, &dc);
    if (ds->tier == SM_NONE && begin(c, RULE_CLS001, OBJ_DATASET, d, d)) {
        why(c, "%s has no tier", ds->name);
        if (dc.T)
            why(c, "it receives %s data through lineage", dc.T->name);
        if (c->L->has_pfields[d])
            why(c, "it has fields tagged personal");
        msg(c, "dataset %s has no tier", ds->name);
        hint(c, "assign a tier%s%s", dc.T ? " of at least " : "", dc.T ? dc.T->name : "");
        end(c);
    }
    if (c->L->has_pfields[d] && dc.T && !dc.T->personal &&
        begin(c, RULE_CLS002, OBJ_DATASET, d, d)) {
        const char *fl = gfmt(c, &c->tmp[0], false, "%s", "");
        for (int32_t f = ds->first_field; f != SM_NONE; f = m->fields[f].next)
            if (c->L->pfield[f])
                fl = gfmt(c, &c->tmp[0], true, "%s%s", *fl ? ", " : "", m->fields[f].name);
        why(c, "%s has fields tagged personal: %s", ds->name, fl);
        why(c, "tier %s is not a personal-data tier", dc.T->name);
        msg(c, "%s has personal fields (%s) but tier %s is not for personal data", ds->name, fl,
            dc.T->name);
        hint(c, "assign a personal-data tier, or remove the personal tags if they are wrong");
        end(c);
    }
    if (ds->tier != SM_NONE && dc.T && dc.tier != ds->tier &&
        dc.T->rank > m->tiers[ds->tier].rank && begin(c, RULE_LIN001, OBJ_DATASET, d, d)) {
        const struct flow *f = &m->flows[c->L->eff_via[d]];
        const char *src = m->datasets[m->placements[f->from].dataset].name;
        dataset_words(c, &dc);
        why(c, "%s is declared %s", ds->name, m->tiers[ds->tier].name);
        why(c, "flow %s carries personal data from %s (%s) into it", f->name, src, dc.T->name);
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
            m->tiers[ds->tier].name, dc.T->name, src);
        jur_for(c, dc.gmask, SM_NONE, false);
        hint(c, "raise %s to tier %s, or anonymize, aggregate or mask the personal fields on flow %s",
             ds->name, dc.T->name, f->name);
        end(c);
    }
    /* RET001: retention within the effective tier's maximum. The catalog
     * records retention per dataset only: its backup and archive copies
     * keep the data as long as the dataset does. */
    if (dc.T && dc.T->retention_max_days != SM_NONE &&
        (ds->retention_days == SM_NONE || ds->retention_days > dc.T->retention_max_days) &&
        begin(c, RULE_RET001, OBJ_DATASET, d, d)) {
        int nb = 0;
        for (int32_t p = ds->first_placement; p != SM_NONE; p = m->placements[p].next)
            nb += !m->placements[p].deleted && (m->placements[p].role == ROLE_BACKUP ||
                                                m->placements[p].role == ROLE_ARCHIVE);
        why_dataset(c, &dc);
        why(c, "tier %s keeps data at most %d days", dc.T->name, dc.T->retention_max_days);
        if (ds->retention_days == SM_NONE)
            why(c, "%s declares no retention, so nothing bounds how long it is kept", ds->name);
        else
            why(c, "%s keeps data %d days", ds->name, ds->retention_days);
        if (nb)
            why(c, "its %d backup and archive cop%s keep the data as long (the catalog records no retention of their own)",
                nb, nb == 1 ? "y" : "ies");
        if (ds->retention_days == SM_NONE)
            msg(c, "%s has no retention; tier %s keeps data at most %d days", ds->name, dc.T->name,
                dc.T->retention_max_days);
        else
            msg(c, "%s keeps data %d days, beyond the %d days tier %s allows", ds->name,
                ds->retention_days, dc.T->retention_max_days, dc.T->name);
        jur_for(c, dc.gmask, SM_NONE, false);
        hint(c, "set the retention of %s to at most %d days", ds->name, dc.T->retention_max_days);
        end(c);
    }
    /* RES003: hard localization. */
    if (dc.personal) {
        uint64_t mask = dc.gmask;
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
                why_dataset(c, &dc);
                why(c, "%s requires personal data of %s subjects to be stored in %s (%s)", rg->id,
                    ccs(rg->country, cc), cc, rg->localization_law);
                if (dc.primary == SM_NONE)
                    why(c, "%s has no copy at all", ds->name);
                else
                    why(c, "the primary copy is in %s", region_label(c, dc.home_region, &c->rl[0]));
                msg(c, "%s holds %s personal data but has no primary copy in %s", ds->name, cc, cc);
                jur_for(c, (uint64_t)1 << g, SM_NONE, false);
                hint(c, "keep the primary copy in a region in %s; copies abroad may follow only as %s allows",
                     cc, rg->id);
                end(c);
            }
        }
    }
    for (int32_t p = ds->first_placement; p != SM_NONE; p = m->placements[p].next)
        if (!m->placements[p].deleted && m->placements[p].region != SM_NONE)
            check_placement(c, &dc, p);
}

static void sort_new_rows(struct ck *c, int32_t from);

/* Rows [t0, ntransfers) were made by one dataset's or flow's rules: sort
 * them, and mark where they start (sort_transfers trusts such a segment). */
static void
close_segment(struct ck *c, int32_t t0)
{
    int32_t n = c->r->ntransfers;

    if (n == t0 || c->oom)
        return;
    if (n - t0 > 1)
        sort_new_rows(c, t0);
    if (n > c->cap_seg && sm_grow((void **)&c->seg, &c->cap_seg, n, 1)) {
        c->oom = true;
        return;
    }
    c->seg[t0] = 1;
    if (n - t0 > 1)
        memset(c->seg + t0 + 1, 0, (size_t)(n - t0 - 1));
}

static void
check_dataset(struct ck *c, int32_t d)
{
    int32_t t0 = c->r->ntransfers;

    check_dataset_rules(c, d);
    close_segment(c, t0);
}

/* ---- the rules, per flow ----------------------------------------------- */

static void
check_flow_rules(struct ck *c, int32_t f)
{
    const struct model *m = c->m;
    const struct flow *fl = &m->flows[f];
    int32_t from_r, to_r, d;
    struct dctx dc;
    struct mech mc;
    int from_cc, to_cc;
    bool border, personal = c->L->flow_personal[f];

    if (fl->from == SM_NONE)
        return;
    d = m->placements[fl->from].dataset;
    from_r = m->placements[fl->from].region;
    to_r = fl->to != SM_NONE ? m->placements[fl->to].region : fl->to_region;
    if (from_r == SM_NONE || to_r == SM_NONE)
        return;
    dataset_ctx(c, d, &dc);
    from_cc = c->ri[from_r].any || c->ri[from_r].n != 1 ? SM_NONE : c->pool[c->ri[from_r].first];
    to_cc = c->ri[to_r].any || c->ri[to_r].n != 1 ? SM_NONE : c->pool[c->ri[to_r].first];
    border = from_cc == SM_NONE || to_cc == SM_NONE ? from_r != to_r : from_cc != to_cc;
    memset(&mc, 0, sizeof mc);
    mc.mech = fl->mechanism;
    mc.valid_from = fl->valid_from;
    mc.valid_to = fl->valid_to;
    mc.dates_ok = dates_ok(c->today, fl->valid_from, fl->valid_to);
    mc.ref = fl->mechanism_ref;
    mc.public_recipient = fl->public_recipient || dc.ds->public_sector;
    mc.explicit_flow = true;

    /* Personal fields still carried, for messages and hints. */
    const char *left = gfmt(c, &c->tmp[0], false, "%s", "");
    if (personal && c->L->has_pfields[d]) {
        for (int32_t fd = dc.ds->first_field; fd != SM_NONE; fd = m->fields[fd].next)
            if (c->L->pfield[fd] && lineage_field_left(m, f, m->fields[fd].name))
                left = gfmt(c, &c->tmp[0], true, "%s%s", *left ? ", " : "", m->fields[fd].name);
    }

    if (personal && from_r != to_r && !fl->transit_encrypted && dc.T && dc.T->transit_encryption &&
        begin(c, RULE_ENC003, OBJ_FLOW, f, d)) {
        why_dataset(c, &dc);
        why(c, "tier %s requires transit encryption for flows between regions", dc.T->name);
        why(c, "flow %s goes from %s to %s", fl->name, region_label(c, from_r, &c->rl[1]),
            region_label(c, to_r, &c->rl[2]));
        if (*left)
            why(c, "it carries personal fields: %s", left);
        else
            why(c, "it carries personal data");
        why(c, "it is not encrypted in transit");
        msg(c, "flow %s carries personal data from %s to %s unencrypted", fl->name,
            m->regions[from_r].id, m->regions[to_r].id);
        jur_for(c, dc.gmask, to_cc, c->ri[to_r].any);
        hint(c, "encrypt the flow in transit (TLS or a private encrypted link)");
        end(c);
    }
    if (!border)
        return;
    if (!personal || !dc.gmask) {
        if (fl->to == SM_NONE || m->placements[fl->to].dataset != d || !c->prow[fl->to])
            add_transfer(c, d, fl->to, f, from_cc, to_cc, SM_NONE, &mc, V_OK, B_NONE, false, personal);
        return;
    }
    uint64_t m003 = 0, m004 = 0;
    FOR_REGIMES(g, dc.gmask) {
        int badcc, basis;
        uint8_t st;
        int v = judge_region(c, g, to_r, &mc, &badcc, &basis, &st);
        bool waived = false;
        basis_masks(c, &mc, g, v, basis, &m003, &m004);
        if (v != V_OK && begin(c, v == V_XFR001 ? RULE_XFR001 : RULE_XFR002, OBJ_FLOW, f, d)) {
            const struct regime *rgm = &c->rp->regimes[g];
            char ml[64], a[3], b[3];
            const char *xf;
            why_dataset(c, &dc);
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
            why_transfer(c, g, badcc, st, &mc, "the flow");
            regime_cc(rgm, a);
            if (v == V_XFR001)
                msg(c, "flow %s sends %s personal data to %s with no adequacy and no transfer mechanism",
                    fl->name, a, badcc == SM_NONE ? "any country (global)" : ccs(badcc, b));
            else
                msg(c, "flow %s relies on %s adequacy for %s that does not hold", fl->name, a,
                    badcc == SM_NONE ? "any" : ccs(badcc, b));
            jur_for(c, (uint64_t)1 << g, badcc, badcc == SM_NONE);
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
            add_transfer(c, d, fl->to, f, from_cc, to_cc, g, &mc, v, basis, waived, true);
    }
    if (m003 || m004) {
        const char *what, *how;
        what = gfmt(c, &c->tmp[1], false, "flow %s (%s)", fl->name, flow_kind_names[fl->kind]);
        how = gfmt(c, &c->tmp[2], false, "flow %s (%s) goes from %s to %s", fl->name,
                   flow_kind_names[fl->kind], region_label(c, from_r, &c->rl[1]),
                   region_label(c, to_r, &c->rl[2]));
        check_basis(c, &dc, OBJ_FLOW, f, what, "flow", &mc, m003, m004,
                    fl->kind != FLOW_EXPORT && fl->kind != FLOW_QUERY, to_cc, c->ri[to_r].any, how);
    }
}

static void
check_flow(struct ck *c, int32_t f)
{
    int32_t t0 = c->r->ntransfers;

    check_flow_rules(c, f);
    close_segment(c, t0);
}

/* ---- unknown subjects --------------------------------------------------- */

static void
check_subjects(struct ck *c)
{
    const struct model *m = c->m;
    const struct lineage *L = c->L;

    for (int32_t s = 0; s < L->nslots; s++) {
        int32_t first = SM_NONE, count = 0;
        char cc[3];
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
    return strcmp(a->regime, b->regime);
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
static void
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

/* Insertion sort of a few row indexes of one dataset (stable). */
static void
isort_rows(const int32_t *rank, const struct transfer *t, int32_t *v, int32_t n)
{
    for (int32_t i = 1; i < n; i++) {
        int32_t x = v[i], j = i;
        while (j > 0 && transfer_cmp(rank, &t[v[j - 1]], &t[x]) > 0) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

/* Merge sort of row indexes (stable), for a dataset with many rows. */
static void
msort_rows(const int32_t *rank, const struct transfer *t, int32_t *v, int32_t *tmp, int32_t n)
{
    int32_t h, i, j, k;

    if (n <= 16) {
        isort_rows(rank, t, v, n);
        return;
    }
    h = n / 2;
    msort_rows(rank, t, v, tmp, h);
    msort_rows(rank, t, v + h, tmp, n - h);
    for (i = 0, j = h, k = 0; i < h && j < n;)
        tmp[k++] = transfer_cmp(rank, &t[v[i]], &t[v[j]]) <= 0 ? v[i++] : v[j++];
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
    struct transfer *a = r->transfers, *b = malloc(sizeof *b * (size_t)r->ntransfers);

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
    free(b);
    return SM_OK;
}

#define MERGE_RUNS_MAX 64

/* Sort the transfer register by transfer_cmp, stably. The rows come
 * sorted per dataset (sort_new_rows), datasets in id order, then the
 * flows' rows: when ids follow names, a few long runs, merged in a pass or
 * two. Otherwise the rows are counted into their dataset's rank (a stable
 * counting pass: no comparisons), each dataset's few rows sorted among
 * themselves, then gathered once into a register of exactly their number.
 * Either way the order a stable merge sort gives, without its 20 passes. */
static int
sort_transfers(struct check_result *r, const int32_t *rank, int32_t nrank, const uint8_t *seg)
{
    struct transfer *t = r->transfers;
    int32_t n = r->ntransfers, big = 0;
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
    int32_t *start = calloc((size_t)nrank + 1, sizeof *start);
    int32_t *order = malloc(sizeof *order * (size_t)n);
    int32_t *tmp = NULL;

    if (!start || !order) {
        free(start);
        free(order);
        return SM_ENOMEM;
    }
    for (int32_t k = 0; k < n; k++)
        start[rank[t[k].dataset] + 1]++;
    for (int32_t q = 0; q < nrank; q++) {
        if (start[q + 1] > big)
            big = start[q + 1];
        start[q + 1] += start[q];
    }
    for (int32_t k = 0; k < n; k++)
        order[start[rank[t[k].dataset]]++] = k;
    /* start[q] is now the end of rank q's rows */
    if (big > 16 && !(tmp = malloc(sizeof *tmp * (size_t)big))) {
        free(start);
        free(order);
        return SM_ENOMEM;
    }
    for (int32_t q = 0, lo = 0; q < nrank; lo = start[q++])
        if (start[q] - lo > 1) {
            /* rows of one sorted segment, in their order: nothing to do */
            bool one = seg != NULL;
            for (int32_t k = lo + 1; k < start[q] && one; k++)
                one = order[k] == order[k - 1] + 1 && !seg[order[k]];
            if (!one)
                msort_rows(rank, t, order + lo, tmp, start[q] - lo);
        }
    free(tmp);
    free(start);
    /* row i of the result is row order[i] of the register as built: one
     * gather, written in order, read from a few runs (each dataset's rows
     * were made together, and ids mostly follow names) */
    {
        struct transfer *u = malloc(sizeof *u * (size_t)n);
        if (!u) {
            free(order);
            return SM_ENOMEM;
        }
        for (int32_t i = 0; i < n; i++)
            u[i] = t[order[i]];
        free(r->transfers);
        r->transfers = u;
    }
    free(order);
    return SM_OK;
}

/* The first 16 bytes of a name as two big-endian words: comparing them
 * as integers compares the prefixes as strcmp does (unsigned bytes, the
 * end before any byte). */
struct nkey {
    uint64_t hi, lo;
    const char *name;
    int32_t id;
};

static int
nkey_cmp(const void *pa, const void *pb)
{
    return strcmp(((const struct nkey *)pa)->name, ((const struct nkey *)pb)->name);
}

/* Sort n names (ids to rank[]: rank[id] = its place; v has room for 2n,
 * the second half a buffer): an LSD radix sort
 * of the 16-byte prefixes by 16-bit digits (digits every key shares are
 * skipped), then strcmp among the few names that share a whole prefix. */
static int
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

/* ---- entry points ------------------------------------------------------ */

void
check_result_free(struct check_result *r)
{
    if (!r)
        return;
    free(r->findings);
    free(r->transfers);
    free(r->expired);
    free(r->by_object);
    check_extra_free(r->extra);
    if (r->lineage) {
        lineage_fini(r->lineage);
        free(r->lineage);
    }
    sm_arena_fini(&r->arena);
    free(r);
}

int
check_run(const struct model *m, const struct rulepack *rp, int32_t today,
          struct check_result **out, struct sm_error *err)
{
    struct ck *c = calloc(1, sizeof *c);
    struct check_result *r = calloc(1, sizeof *r);
    int rc = SM_ENOMEM;

    if (!c || !r)
        goto fail;
    if (rp->nregimes > 64) {
        rc = sm_error_set(err, SM_ELIMIT, "rule pack %s has %d regimes; at most 64 are supported",
                          rp->name, rp->nregimes);
        free(r);
        free(c);
        return rc;
    }
    sm_arena_init(&r->arena);
    r->today = today;
    r->rp = rp;
    r->ndatasets = m->ndatasets;
    r->nflows = m->nflows;
    c->m = m;
    c->rp = rp;
    c->today = today;
    c->r = r;
    c->cc_eu = sm_cc("EU");
    if (!(r->lineage = calloc(1, sizeof *r->lineage)))
        goto fail;
    if ((rc = lineage_run(m, rp, r->lineage, err)))
        goto fail;
    rc = SM_ENOMEM;
    c->L = r->lineage;
    r->eff_tier = c->L->eff_tier;
    r->eff_via = c->L->eff_via;
    r->flow_personal = c->L->flow_personal;
    if (build_tables(c))
        goto fail;
    c->inflow = malloc(sizeof *c->inflow * (size_t)(m->nplacements + 1));
    c->prow = calloc((size_t)m->nplacements + 1, 1);
    c->inmech = calloc((size_t)m->nplacements + 1, 1);
    c->hints = calloc(HINT_CACHE, sizeof *c->hints);
    c->wv = calloc((size_t)m->nwaivers + 1, sizeof *c->wv);
    if (!c->inflow || !c->prow || !c->inmech || !c->hints || !c->wv)
        goto fail;
    for (int32_t p = 0; p < m->nplacements; p++)
        c->inflow[p] = SM_NONE;
    /* The transfer into a copy: the first flow that feeds it (a replication
     * of the same dataset, or the etl/stream a derived dataset comes from). */
    for (int32_t f = 0; f < m->nflows; f++)
        if (!m->flows[f].deleted && m->flows[f].to != SM_NONE && m->flows[f].from != SM_NONE &&
            c->inflow[m->flows[f].to] == SM_NONE) {
            int32_t to = m->flows[f].to, fr = m->placements[m->flows[f].from].region;
            int32_t tr = m->placements[to].region;
            c->inflow[to] = f;
            c->inmech[to] = (uint8_t)(m->flows[f].mechanism |
                                      (m->flows[f].public_recipient ? 0x20 : 0));
            /* 0x40: fed from a copy in the same single country */
            if (fr != SM_NONE && tr != SM_NONE && !c->ri[tr].any && c->ri[tr].n == 1 &&
                region_is_country(c, fr, c->pool[c->ri[tr].first]))
                c->inmech[to] |= 0x40;
        }
    /* Waivers: live ones resolved once; expired ones reported. */
    for (int32_t w = 0; w < m->nwaivers; w++) {
        const struct waiver *wp = &m->waivers[w];
        if (wp->deleted)
            continue;
        if (waiver_live(wp, today)) {
            c->wv[c->nwv].id = w;
            waiver_resolve(m, wp, &c->wv[c->nwv].kind, &c->wv[c->nwv].obj);
            c->nwv++;
        } else {
            int32_t *nx = realloc(r->expired, sizeof *r->expired * (size_t)(r->nexpired + 1));
            if (!nx)
                goto fail;
            r->expired = nx;
            r->expired[r->nexpired++] = w;
        }
    }
    r->stats.expired_waivers = r->nexpired;

    for (int32_t d = 0; d < m->ndatasets && !c->oom; d++)
        if (!m->datasets[d].deleted)
            check_dataset(c, d);
    for (int32_t f = 0; f < m->nflows && !c->oom; f++)
        if (!m->flows[f].deleted)
            check_flow(c, f);
    check_subjects(c);
    if (c->oom)
        goto fail;
    if (r->nfindings > 1 && sort_findings(r))
        goto fail;
    if (r->ntransfers > 1) {
        int32_t *rank = calloc((size_t)m->ndatasets + 1, sizeof *rank);
        /* names and the radix sort's buffer in one block: at 1M one
         * mapping, given back whole when freed (two of 30 MiB stayed in the
         * heap across repeated checks) */
        struct nkey *nm = malloc(sizeof *nm * 2 * (size_t)(m->ndatasets + 1));
        int32_t nn = 0;
        if (!rank || !nm) {
            free(rank);
            free(nm);
            goto fail;
        }
        for (int32_t k = 0; k < r->ntransfers; k++) {
            int32_t d = r->transfers[k].dataset;
            if (!rank[d]) {
                rank[d] = 1;
                nm[nn].name = m->datasets[d].name;
                nm[nn++].id = d;
            }
        }
        int bad = rank_names(nm, nn, rank);
        free(nm);           /* before the sort's own arrays: a lower peak */
        if (bad || sort_transfers(r, rank, nn, c->seg)) {
            free(rank);
            goto fail;
        }
        free(rank);
    }
    if (check_reindex(r))
        goto fail;
    if (c->L->nslots <= 64) {
        uint64_t unknown = 0;
        for (int32_t s = 0; s < c->L->nslots; s++)
            if (c->slot_regime[s] == SM_NONE)
                unknown |= (uint64_t)1 << s;
        if (check_extra_init(r, m, unknown))
            goto fail;
    }
    rc = SM_OK;
fail:
    if (c) {
        free(c->cs);
        free(c->slot_regime);
        free(c->ri);
        free(c->pool);
        free(c->provider_first);
        free(c->allowed);
        free(c->basis_cache);
        free(c->inflow);
        free(c->prow);
        free(c->inmech);
        if (c->hints)
            for (int i = 0; i < HINT_CACHE; i++)
                free(c->hints[i].cand);
        free(c->hints);
        free(c->wv);
        free(c->seg);
        for (int i = 0; i < WHY_MAX; i++)
            free(c->why[i].s);
        for (int i = 0; i < 4; i++)
            free(c->tmp[i].s);
        for (int i = 0; i < 3; i++)
            free(c->rl[i].s);
        for (int i = 0; i < 2; i++)
            free(c->sw[i].s);
        free(c->near.s);
        free(c->basis.s);
        free(c->msg.s);
        free(c->hint.s);
        free(c);
    }
    if (rc) {
        check_result_free(r);
        if (rc == SM_ENOMEM)
            return sm_error_set(err, SM_ENOMEM, "check: out of memory");
        return rc;
    }
    *out = r;
    return SM_OK;
}

const char *
check_eff_subjects(const struct check_result *r, int32_t dataset, char *buf, size_t size)
{
    const struct lineage *L = r->lineage;
    size_t n = 0;
    char cc[3];
    int codes[SM_CC_COUNT];
    int nc = 0;

    if (size)
        buf[0] = '\0';
    if (!L || dataset < 0 || dataset >= L->ndatasets)
        return buf;
    for (int32_t s = 0; s < L->nslots; s++)
        if (lineage_has_subject(L, dataset, s))
            codes[nc++] = L->slot_cc[s];
    /* Alphabetical, so the text is stable whatever the model order. */
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

bool
check_dataset_personal(const struct check_result *r, int32_t dataset)
{
    return r->lineage && dataset >= 0 && dataset < r->lineage->ndatasets &&
        r->lineage->personal[dataset];
}

/* First index in by_object with (kind, id) >= key. */
static int32_t
lower_bound(const struct check_result *r, int kind, int32_t id)
{
    int32_t lo = 0, hi = r->nfindings;

    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        const struct finding *f = &r->findings[r->by_object[mid]];
        if (f->kind < kind || (f->kind == kind && f->object < id))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int32_t
check_findings_of(const struct check_result *r, enum obj_kind kind, int32_t id,
                  int32_t *ids, int32_t n)
{
    int32_t total = 0;

    if (!r->by_object)
        return 0;
    for (int32_t k = lower_bound(r, kind, id); k < r->nfindings; k++) {
        const struct finding *f = &r->findings[r->by_object[k]];
        if (f->kind != (int)kind || f->object != id)
            break;
        if (total < n)
            ids[total] = r->by_object[k];
        total++;
    }
    return total;
}

int
check_worst(const struct check_result *r, enum obj_kind kind, int32_t id)
{
    int worst = SM_NONE;

    if (!r->by_object)
        return SM_NONE;
    for (int32_t k = lower_bound(r, kind, id); k < r->nfindings; k++) {
        const struct finding *f = &r->findings[r->by_object[k]];
        if (f->kind != (int)kind || f->object != id)
            break;
        if (!f->waived && (int)f->severity > worst)
            worst = f->severity;
    }
    return worst;
}

int
check_add_finding(struct check_result *r, const struct model *m, const struct finding *f)
{
    struct finding *n, tmp;
    int32_t lo = 0, hi;

    if (append(r, m, f, NULL, 0, NULL, &n))
        return SM_ENOMEM;
    r->custom = true;
    /* Keep the order: move the new one into place. */
    tmp = *n;
    hi = r->nfindings - 1;
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (finding_cmp(&r->findings[mid], &tmp) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(&r->findings[lo + 1], &r->findings[lo],
            sizeof *r->findings * (size_t)(r->nfindings - 1 - lo));
    r->findings[lo] = tmp;
    /* Keep the object index: shift the indexes at or past lo, then insert
     * lo after every entry with a key <= (kind, object). O(findings). */
    {
        int32_t *ix = realloc(r->by_object, sizeof *ix * (size_t)(r->nfindings + 1));
        int32_t n = r->nfindings - 1, at = 0, a, b;
        if (!ix)
            return SM_ENOMEM;
        r->by_object = ix;
        for (int32_t k = 0; k < n; k++)
            if (ix[k] >= lo)
                ix[k]++;
        a = 0;
        b = n;
        while (a < b) {
            int32_t mid = a + (b - a) / 2;
            const struct finding *g = &r->findings[ix[mid]];
            if (g->kind < tmp.kind || (g->kind == tmp.kind && g->object <= tmp.object))
                a = mid + 1;
            else
                b = mid;
        }
        at = a;
        memmove(&ix[at + 1], &ix[at], sizeof *ix * (size_t)(n - at));
        ix[at] = lo;
    }
    return SM_OK;
}

/* ---- where may a copy live ---------------------------------------------- */

#define X(id, name) name,
const char *const where_role_names[WHERE_ROLE_COUNT] = { WHERE_ROLES(X) };
const char *const where_status_names[WHERE_ST_COUNT] = { WHERE_STATUSES(X) };
const char *const where_basis_names[WHERE_B_COUNT] = { WHERE_BASES(X) };
#undef X

uint32_t
check_where_rules(void)
{
    return 1u << RULE_RES001 | 1u << RULE_RES002 | 1u << RULE_RES003 | 1u << RULE_RES004 |
        1u << RULE_RES005 | 1u << RULE_XFR001 | 1u << RULE_XFR002 | 1u << RULE_ENC002;
}

/* The rules a new copy in role `role` in region r fires with mechanism mc,
 * by the same tests check_placement and check_dataset_rules fire them with
 * (copy_rules, judge_region, region_is_country). *basis, *bg and *bcc get
 * the weakest transfer basis over the regimes, its regime and country. */
static uint32_t
where_rules(const struct ck *c, const struct dctx *dc, int role, int32_t r, const struct mech *mc,
            int *basis, int32_t *bg, int *bcc)
{
    int prole = role == WHERE_PRIMARY ? ROLE_PRIMARY : role == WHERE_BACKUP ? ROLE_BACKUP : ROLE_REPLICA;
    uint32_t v;

    *basis = B_INSIDE;
    *bg = SM_NONE;
    *bcc = SM_NONE;
    if (role == WHERE_KEY)      /* the key of an encrypted copy at home */
        return copy_rules(c, dc, ROLE_REPLICA, dc->home_region, r, mc) & (1u << RULE_ENC002);
    v = copy_rules(c, dc, prole, r, SM_NONE, mc);
    if (dc->personal && dc->gmask) {
        FOR_REGIMES(g, dc->gmask) {
            int bad, b;
            uint8_t st;
            int x = judge_region(c, g, r, mc, &bad, &b, &st);
            if (x != V_OK)
                v |= 1u << (x == V_XFR001 ? RULE_XFR001 : RULE_XFR002);
            if (*bg == SM_NONE || b > *basis) {
                *basis = b;
                *bg = g;
                *bcc = bad;
            }
        }
        if (role == WHERE_PRIMARY)
            FOR_REGIMES(g, dc->gmask)
                if (c->rp->regimes[g].hard_localization &&
                    !region_is_country(c, r, c->rp->regimes[g].country))
                    v |= 1u << RULE_RES003;
    }
    return v;
}

static const char *
where_detail(const struct ck *c, const struct dctx *dc, int role, const struct where_cell *w,
             char *buf, size_t size)
{
    const struct regime *rg = w->regime == SM_NONE ? NULL : &c->rp->regimes[w->regime];
    char a[3], b[3], ab[64];
    const char *dest = w->cc == SM_NONE ? "any country" : ccs(w->cc, b);
    size_t n = 0;

    if (rg)
        regime_cc(rg, a);
    if (w->status == WHERE_ST_MECHANISM && (role == WHERE_KEY || !rg)) {
        /* the scope (adequate) asks for it, not a regime of the dataset's */
        sfmt(buf, size, "only with %s declared on the copy: the %s%s scope accepts it",
             mechanism_names[w->mechanism], role == WHERE_KEY ? "key " : "",
             !dc->T ? "tier" : scope_names[role == WHERE_KEY ? dc->T->key_scope :
                                           role == WHERE_BACKUP ? dc->T->backup_scope : dc->T->scope]);
        return buf;
    }
    switch (w->status == WHERE_ST_FORBIDDEN ? WHERE_B_NONE : w->basis) {
    case WHERE_B_INSIDE:
        if (rg->transfer == XFER_RULE_CONDITIONAL)
            sfmt(buf, size, "inside %s", area_of(rg, ab, sizeof ab));
        else
            sfmt(buf, size, "%s has no transfer restriction there", rg->id);
        break;
    case WHERE_B_ADEQUACY:
        sfmt(buf, size, "adequacy %s->%s", a, dest);
        break;
    case WHERE_B_CONDITION:
        sfmt(buf, size, "adequacy %s->%s for commercial recipients (the holder is not public sector)",
             a, dest);
        break;
    case WHERE_B_DPF:
        sfmt(buf, size, "only with dpf declared: %s adequacy for %s needs a DPF-certified recipient",
             a, dest);
        break;
    case WHERE_B_MECH:
        if (rg)
            sfmt(buf, size, "only with %s declared: no %s adequacy covers %s",
                 mechanism_names[w->mechanism], rg->id, dest);
        else
            sfmt(buf, size, "only with %s declared", mechanism_names[w->mechanism]);
        break;
    case WHERE_B_SCOPE:
        if (role == WHERE_KEY)
            sfmt(buf, size, "within the key scope (%s)", dc->T ? scope_names[dc->T->key_scope] : "none");
        else if (!dc->personal)
            sfmt(buf, size, "within the tier's scope; not personal data, so no transfer rule");
        else
            sfmt(buf, size, "within the tier's scope; no regime applies");
        break;
    default:
        buf[0] = '\0';
        for (int k = 0; k < RULE_COUNT; k++)
            if (w->rules & (1u << k))
                n += (size_t)sfmt(buf + n, n < size ? size - n : 0, "%s%s", n ? ", " : "",
                                  rule_names[k]);
    }
    return buf;
}

static void
where_cell(const struct ck *c, struct dctx *dc, int role, int32_t r, struct where_cell *w)
{
    static const uint8_t tries[] = { MECH_DPF, MECH_SCC, MECH_BCR };
    struct mech mc;
    int basis, bcc, b2, c2;
    int32_t bg, g2;

    memset(&mc, 0, sizeof mc);
    mc.dates_ok = true;
    mc.ref = "";
    mc.public_recipient = dc->ds->public_sector;
    w->rules = where_rules(c, dc, role, r, &mc, &basis, &bg, &bcc);
    w->regime = (int16_t)bg;
    w->cc = (int16_t)bcc;
    w->mechanism = MECH_NONE;
    if (!w->rules) {
        w->status = WHERE_ST_ALLOWED;
        if (role == WHERE_KEY || bg == SM_NONE)
            w->basis = WHERE_B_SCOPE;
        else
            w->basis = basis == B_ADEQ ? WHERE_B_ADEQUACY : basis == B_COMM ? WHERE_B_CONDITION
                : WHERE_B_INSIDE;
        return;
    }
    w->status = WHERE_ST_FORBIDDEN;
    w->basis = WHERE_B_NONE;
    for (size_t k = 0; k < sizeof tries; k++) {
        mc.mech = tries[k];
        if (!where_rules(c, dc, role, r, &mc, &b2, &g2, &c2)) {
            w->status = WHERE_ST_MECHANISM;
            w->mechanism = tries[k];
            w->basis = tries[k] == MECH_DPF ? WHERE_B_DPF : WHERE_B_MECH;
            return;
        }
    }
}

void
check_where_free(struct where_result *w)
{
    if (!w)
        return;
    free(w->cells);
    check_result_free(w->check);
    sm_arena_fini(&w->arena);
    free(w);
}

int
check_where(const struct model *m, const struct rulepack *rp, int32_t today, int32_t d,
            struct where_result **out, struct sm_error *err)
{
    struct where_result *w = calloc(1, sizeof *w);
    struct ck ck, *c = &ck;
    struct dctx dc, at;
    char buf[512];
    int rc = SM_ENOMEM;

    memset(c, 0, sizeof *c);
    if (!w)
        return sm_error_set(err, SM_ENOMEM, "where: out of memory");
    sm_arena_init(&w->arena);
    w->dataset = d;
    w->nregions = m->nregions;
    if ((rc = check_run(m, rp, today, &w->check, err)))
        goto out;
    rc = SM_ENOMEM;
    c->m = m;
    c->rp = rp;
    c->today = today;
    c->r = w->check;
    c->L = w->check->lineage;
    c->cc_eu = sm_cc("EU");
    w->cells = calloc((size_t)WHERE_ROLE_COUNT * (size_t)m->nregions + 1, sizeof *w->cells);
    if (!w->cells || build_tables(c))
        goto out;
    dataset_ctx(c, d, &dc);
    w->home_region = dc.home_region;
    for (int role = 0; role < WHERE_ROLE_COUNT; role++)
        for (int32_t r = 0; r < m->nregions; r++) {
            struct where_cell *cell = &w->cells[(size_t)role * (size_t)m->nregions + (size_t)r];
            cell->regime = cell->cc = SM_NONE;
            if (m->regions[r].deleted) {
                cell->status = WHERE_ST_FORBIDDEN;
                cell->basis = WHERE_B_NONE;
                cell->detail = "";
                continue;
            }
            /* A primary elsewhere moves the home; with no copy yet, the
             * first copy is the home (as dataset_ctx takes it). */
            at = dc;
            if (role == WHERE_PRIMARY || dc.home_region == SM_NONE)
                dataset_home(c, &at, r);
            where_cell(c, &at, role, r, cell);
            if (!(cell->detail = sm_arena_strdup(&w->arena,
                                                 where_detail(c, &at, role, cell, buf, sizeof buf))))
                goto out;
        }
    rc = SM_OK;
out:
    free(c->cs);
    free(c->slot_regime);
    free(c->ri);
    free(c->pool);
    free(c->provider_first);
    free(c->allowed);
    free(c->basis_cache);
    if (rc) {
        check_where_free(w);
        return rc == SM_ENOMEM ? sm_error_set(err, SM_ENOMEM, "where: out of memory") : rc;
    }
    *out = w;
    return SM_OK;
}

/* A finding's identity across checks of clones of one model (the planner's
 * proof, the scenario review): rule, object (a moved copy keeps its id) and,
 * for the rules about where data is (RES, XFR), the jurisdictions ("EU ->
 * RU" is another violation than "RU -> DE"); by selector where there is no
 * object. */
char *
check_finding_key(struct sm_arena *a, const struct finding *f)
{
    /* where the data is (RES, XFR): another country is another violation;
     * encryption, lineage, classification: the rule and the object decide */
    bool where = strncmp(f->rule, "RES", 3) == 0 || strncmp(f->rule, "XFR", 3) == 0;
    const char *j = where && f->jurisdictions ? f->jurisdictions : "";
    const char *sel = f->object >= 0 ? "" : (f->selector ? f->selector : "");
    int n = snprintf(NULL, 0, "%s|%d|%ld|%s|%s", f->rule, (int)f->kind, (long)f->object, j, sel);
    char *k = n >= 0 ? sm_arena_alloc(a, (size_t)n + 1) : NULL;

    if (k)
        snprintf(k, (size_t)n + 1, "%s|%d|%ld|%s|%s", f->rule, (int)f->kind, (long)f->object, j,
                 sel);
    return k;
}
