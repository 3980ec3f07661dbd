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
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lineage.h"
#include "rules.h"
#include "check_int.h"

#define X(id, name) name,
const char *const severity_names[SEV_COUNT] = { SEVERITIES(X) };
const char *const transfer_status_names[XFER_STATUS_COUNT] = { TRANSFER_STATUSES(X) };
#undef X

/* Where a country stands for a regime. */
/* ---- small helpers ------------------------------------------------------- */

const char *
ccs(int cc, char buf[3])                /* bounded: a two-letter country code */
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

int
fmtv(char *buf, size_t size, const char *fmt, va_list ap)
{
    size_t n = 0;
    const char *p = fmt;

    while (*p) {
        const char *q = strchr(p, '%');
        const char *s;
        char num[24];                   /* bounded: an int in decimal */
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

int __attribute__((format(printf, 3, 4)))
sfmt(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = fmtv(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

void
fmt_date(int32_t d, char out[11])       /* bounded: YYYY-MM-DD */
{
    sm_date_fmt(d, out);
}

bool
dates_ok(int32_t today, int32_t from, int32_t to)
{
    return (from == 0 || from <= today) && (to == 0 || today <= to);
}

/* "aws:us-east-1 (US)", "gcp:eu (27 countries)", "global (any country)" */

/* The regime's own code for "EU -> US". */
const char *
regime_cc(const struct regime *g, char buf[3]) /* bounded: a two-letter country code */
{
    return ccs(g->country, buf);
}

/* ---- entry points ------------------------------------------------------ */

void
check_result_free(struct check_result *r)
{
    if (!r)
        return;
    free(r->findings);
    sm_big_free(r->transfers);
    free(r->bases);
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

void
check_result_shed(struct check_result *r)
{
    if (!r)
        return;
    sm_big_free(r->transfers);
    r->transfers = NULL;
    r->ntransfers = 0;
    free(r->bases);
    r->bases = NULL;
    r->nbases = r->cap_bases = 0;
    free(r->by_object);
    r->by_object = NULL;
    check_extra_free(r->extra);
    r->extra = NULL;
    if (r->lineage) {
        lineage_fini(r->lineage);
        free(r->lineage);
        r->lineage = NULL;
    }
    r->eff_tier = r->eff_via = NULL;
    r->flow_personal = NULL;
}

/* ---- two threads: the rules over disjoint ranges ---------------------- */

/* Below this many datasets + flows one thread is faster than starting one. */
#define CHECK_PAR_MIN 20000

/* How many threads check_run uses: SOVMAP_THREADS=1 forces one, 2 (or
 * more) forces two at any size; unset, two on a large model (the core
 * asks the system nothing: on one processor the two interleave, at the
 * cost of one thread start and one copy of the second half's rows).
 * Results are the same either way. */
static int
check_threads(const struct model *m)
{
    const char *e = getenv("SOVMAP_THREADS");

    if (e && *e)
        return atoi(e) >= 2 ? 2 : 1;
    if ((int64_t)m->ndatasets + m->nflows < CHECK_PAR_MIN)
        return 1;
    return 2;
}

/* Whether check_run keeps its memos (judge_region's, copy_rules' with the
 * transfer's verdicts, dataset_ctx's) and takes the inline shortcuts that
 * read them (copy_transfer_fast, add_transfer_quick): yes, unless
 * SOVMAP_CHECK_MEMO=0, the plain path every shortcut must agree with,
 * which the tests compare against (test_check_update, test_memo_off). */
static bool
check_memos(void)
{
    const char *e = getenv("SOVMAP_CHECK_MEMO");

    return !(e && strcmp(e, "0") == 0);
}

/* A second checker over the same read-only tables: its own result,
 * caches and scratch texts. NULL when out of memory. */
static struct ck *
ck_worker(const struct ck *c)
{
    struct ck *w = calloc(1, sizeof *w);

    if (!w)
        return NULL;
    w->m = c->m;
    w->rp = c->rp;
    w->today = c->today;
    w->L = c->L;
    w->cs = c->cs;
    w->slot_regime = c->slot_regime;
    w->ri = c->ri;
    w->provider_first = c->provider_first;
    w->restricting = c->restricting;
    w->allowed = c->allowed;
    w->pool = c->pool;
    w->inflow = c->inflow;
    w->ends = c->ends;
    w->inmech = c->inmech;
    w->prow = c->prow;          /* written per placement of its own datasets */
    w->wv = c->wv;
    w->nwv = c->nwv;
    w->cc_eu = c->cc_eu;
    w->rows_hint = c->rows_hint;
    w->no_register = c->no_register;
    w->expired_tags = c->expired_tags;
    w->r = calloc(1, sizeof *w->r);
    w->hints = calloc(HINT_CACHE, sizeof *w->hints);
    if (c->memo) {              /* memos as the main thread has them */
        w->memo = calloc(JUDGE_MEMO, sizeof *w->memo);
        w->rmemo = calloc(RULES_MEMO, sizeof *w->rmemo);
        w->hmemo = calloc(HOME_MEMO, sizeof *w->hmemo);
    }
    w->basis_cache = calloc(((size_t)c->rp->nregimes + 1) * (SM_CC_COUNT + 1),
                            sizeof *w->basis_cache);
    if (w->r) {
        sm_arena_init(&w->r->arena);
        w->r->today = c->r->today;
        w->r->rp = c->r->rp;
        memcpy(w->r->regime_ids, c->r->regime_ids, sizeof w->r->regime_ids);
        memcpy(w->r->regime_code, c->r->regime_code, sizeof w->r->regime_code);
        w->r->ndatasets = c->r->ndatasets;
        w->r->nflows = c->r->nflows;
        w->r->eff_tier = c->r->eff_tier;
        w->r->eff_via = c->r->eff_via;
        w->r->flow_personal = c->r->flow_personal;
        w->r->lineage = c->r->lineage;
    }
    if (!w->r || !w->hints || (c->memo && (!w->memo || !w->rmemo || !w->hmemo)) ||
        !w->basis_cache || check_bases_init(w->r))
        w->oom = true;
    return w;
}

/* Frees what a checker owns (not the shared tables, not c->r). */
static void
ck_free_own(struct ck *c)
{
    free(c->basis_cache);
    if (c->hints)
        for (int i = 0; i < HINT_CACHE; i++)
            free(c->hints[i].cand);
    free(c->hints);
    free(c->memo);
    free(c->rmemo);
    free(c->hmemo);
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
    free(c->fixmask.s);
}

static void
ck_worker_free(struct ck *w)
{
    if (!w)
        return;
    ck_free_own(w);
    if (w->r) {
        /* shared with the main result: not the worker's to free */
        w->r->eff_tier = NULL;
        w->r->eff_via = NULL;
        w->r->flow_personal = NULL;
        w->r->lineage = NULL;
        check_result_free(w->r);
    }
    free(w);
}

/* Appends w's findings, counts and strings to c's, as if c had made them
 * next; w's result is left empty but for its transfer rows, which stay
 * apart (check_objects, join_rows). */
static int
ck_absorb(struct ck *c, struct ck *w)
{
    struct check_result *r = c->r, *s = w->r;

    if (s->nfindings) {
        if (r->nfindings + s->nfindings > r->cap_findings &&
            sm_grow((void **)&r->findings, &r->cap_findings, r->nfindings + s->nfindings,
                    sizeof *r->findings))
            return SM_ENOMEM;
        memcpy(r->findings + r->nfindings, s->findings, sizeof *s->findings * (size_t)s->nfindings);
        r->nfindings += s->nfindings;
        s->nfindings = 0;
    }
    for (int k = 0; k < SEV_COUNT; k++)
        r->stats.count[k] += s->stats.count[k];
    r->stats.waived += s->stats.waived;
    r->stats.unknown_subjects += s->stats.unknown_subjects;
    memset(&s->stats, 0, sizeof s->stats);
    sm_arena_absorb(&r->arena, &s->arena);
    return SM_OK;
}

/* The worker's bases after r's (their texts are in r's arena since
 * ck_absorb): its rows' bases past the fixed ones move by what r had. */
static int
absorb_bases(struct check_result *r, struct check_result *s)
{
    uint32_t n = s->nbases > BASIS_FIXED ? s->nbases - BASIS_FIXED : 0, shift;

    if (!n)
        return SM_OK;
    shift = r->nbases - BASIS_FIXED;
    if (r->nbases + n > r->cap_bases) {
        const char **b = realloc(r->bases, sizeof *b * (r->nbases + n));
        if (!b)
            return SM_ENOMEM;
        r->bases = b;
        r->cap_bases = r->nbases + n;
    }
    memcpy(r->bases + r->nbases, s->bases + BASIS_FIXED, sizeof *r->bases * n);
    r->nbases += n;
    for (int32_t k = 0; shift && k < s->ntransfers; k++)
        if (s->transfers[k].basis >= BASIS_FIXED)
            s->transfers[k].basis += shift;
    s->nbases = BASIS_FIXED;
    return SM_OK;
}

struct part {
    struct ck *c;
    int32_t from, to;
    bool flows;
};

static void *
run_part(void *arg)
{
    struct part *p = arg;
    const struct model *m = p->c->m;

    if (p->flows) {
        for (int32_t f = p->from; f < p->to && !p->c->oom; f++)
            if (!m->flows[f].deleted)
                check_flow(p->c, f);
    } else {
        for (int32_t d = p->from; d < p->to && !p->c->oom; d++)
            if (!m->datasets[d].deleted)
                check_dataset(p->c, d);
    }
    return NULL;
}

/* The rules of all datasets, then of all flows (flows read what the
 * datasets' pass marked). With two threads each pass is cut in two
 * ranges: the second range runs on a worker into its own result, which
 * is appended after the first's, so the rows come in the single-threaded
 * order and the sorted result is byte for byte the same. */
/* After the datasets' pass: the copies' inbound mechanisms (copy_mech's)
 * are read no more. The flows' pass grows the register to its largest, so
 * what goes here is off the check's peak (1M: 2.8 MB). */
static void
datasets_done(struct ck *c, struct ck *w)
{
    free(c->inmech);
    c->inmech = NULL;
    if (w)
        w->inmech = NULL;
}

static int
check_objects(struct ck *c)
{
    const struct model *m = c->m;
    struct part a = { c, 0, m->ndatasets, false };
    struct ck *w;
    int rc = SM_OK;

    if (check_threads(m) < 2) {
        run_part(&a);
        datasets_done(c, NULL);
        a.flows = true;
        a.to = m->nflows;
        run_part(&a);
        return c->oom ? SM_ENOMEM : SM_OK;
    }
    if (!(w = ck_worker(c)) || w->oom) {
        ck_worker_free(w);
        return SM_ENOMEM;
    }
    for (int pass = 0; pass < 2 && rc == SM_OK; pass++) {
        int32_t n = pass ? m->nflows : m->ndatasets;
        struct part b = { w, n / 2, n, pass == 1 };
        pthread_t t;
        bool started;
        a.from = 0;
        a.to = n / 2;
        a.flows = pass == 1;
        started = pthread_create(&t, NULL, run_part, &b) == 0;
        run_part(&a);
        if (started)
            pthread_join(t, NULL);
        else
            run_part(&b);   /* no thread: the same work, in order, here */
        if (c->oom || w->oom || ck_absorb(c, w))
            rc = SM_ENOMEM;
        if (pass == 0) {
            c->msplit = c->r->ntransfers;
            c->wsplit = w->r->ntransfers;
            datasets_done(c, w);
        }
    }
    if (rc == SM_OK && absorb_bases(c->r, w->r))
        rc = SM_ENOMEM;
    if (rc == SM_OK) {
        /* the worker's rows (its datasets', then its flows'), kept apart:
         * the register's sort reads them where they are */
        c->wrows = w->r->transfers;
        c->nwrows = w->r->ntransfers;
        w->r->transfers = NULL;
        w->r->ntransfers = 0;
    }
    ck_worker_free(w);
    return rc;
}

/* Two threads: the worker's rows into the register, in the one-thread
 * order: the main thread's datasets' rows, the worker's, the main thread's
 * flows' rows, the worker's. */
static int
join_rows(struct ck *c)
{
    struct check_result *r = c->r;
    int32_t nflow = r->ntransfers - c->msplit, n = r->ntransfers + c->nwrows;

    if (c->nwrows) {
        if (check_grow_rows(&r->transfers, &c->cap_transfers, n, c->m->shareable))
            return SM_ENOMEM;
        memmove(r->transfers + c->msplit + c->wsplit, r->transfers + c->msplit,
                sizeof *r->transfers * (size_t)nflow);
        memcpy(r->transfers + c->msplit, c->wrows, sizeof *r->transfers * (size_t)c->wsplit);
        memcpy(r->transfers + c->msplit + c->wsplit + nflow, c->wrows + c->wsplit,
               sizeof *r->transfers * (size_t)(c->nwrows - c->wsplit));
        r->ntransfers = n;
    }
    sm_big_free(c->wrows);
    c->wrows = NULL;
    c->nwrows = 0;
    return SM_OK;
}

static int
check_run_what(const struct model *m, const struct rulepack *rp, int32_t today, bool full,
               struct check_result **out, struct sm_error *err);

/* A region's one country, as build_tables' rinfo says it (not global, one
 * member or a country of its own), else SM_NONE. */
static int
region_one_cc(const struct region *rg)
{
    if (rg->global)
        return SM_NONE;
    if (rg->members && !sm_ccset_empty(rg->members))
        return sm_ccset_count(rg->members) == 1 ? sm_ccset_next(rg->members, 0) : SM_NONE;
    return rg->country;
}

int
check_run(const struct model *m, const struct rulepack *rp, int32_t today,
          struct check_result **out, struct sm_error *err)
{
    return check_run_what(m, rp, today, true, out, err);
}

int
check_run_findings(const struct model *m, const struct rulepack *rp, int32_t today,
                   struct check_result **out, struct sm_error *err)
{
    return check_run_what(m, rp, today, false, out, err);
}

/* full: also the transfer register and check_update's state. */
static int
check_run_what(const struct model *m, const struct rulepack *rp, int32_t today, bool full,
               struct check_result **out, struct sm_error *err)
{
    struct ck *c = calloc(1, sizeof *c);
    struct check_result *r = calloc(1, sizeof *r);
    uint16_t *ends = NULL;      /* the flows' destination regions, read with the lineage */
    int16_t *region_cc = NULL;  /* per region: its one country (region_one_cc) */
    bool sorted = false;        /* the register is in order */
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
    check_regime_codes(rp, r->regime_ids, r->regime_code);
    if (check_bases_init(r))
        goto fail;
    r->ndatasets = m->ndatasets;
    r->nflows = m->nflows;
    c->m = m;
    c->rp = rp;
    c->today = today;
    c->r = r;
    c->cc_eu = sm_cc("EU");
    c->no_register = !full;
    c->rows_hint = (int32_t)((int64_t)m->nplacements + m->nflows < INT32_MAX / 2
                             ? m->nplacements + m->nflows : INT32_MAX / 2);
    if (!(r->lineage = calloc(1, sizeof *r->lineage)))
        goto fail;
    /* The transfer into a copy: the first flow that feeds it (a replication
     * of the same dataset, or the etl/stream a derived dataset comes from),
     * filled by the lineage's pass over the flows (note_inflow). */
    c->inflow = malloc(sizeof *c->inflow * (size_t)(m->nplacements + 1));
    c->inmech = calloc((size_t)m->nplacements + 1, 1);
    region_cc = malloc(sizeof *region_cc * (size_t)(m->nregions + 1));
    if (!c->inflow || !c->inmech || !region_cc)
        goto fail;
    for (int32_t p = 0; p < m->nplacements; p++)
        c->inflow[p] = SM_NONE;
    for (int32_t k = 0; k < m->nregions; k++)
        region_cc[k] = (int16_t)region_one_cc(&m->regions[k]);
    {
        struct lineage_inflow in = { c->inflow, c->inmech, region_cc };
        if ((rc = lineage_run_inflow(m, rp, full, r->lineage, &ends, &in, err)))
            goto fail;
    }
    free(region_cc);
    region_cc = NULL;
    c->ends = ends;
    rc = SM_ENOMEM;
    c->L = r->lineage;
    c->expired_tags = c->L->expired_tags;       /* read with the tags */
    r->eff_tier = c->L->eff_tier;
    r->eff_via = c->L->eff_via;
    r->flow_personal = c->L->flow_personal;
    if (build_tables(c))
        goto fail;
    c->prow = calloc((size_t)m->nplacements + 1, 1);
    c->hints = calloc(HINT_CACHE, sizeof *c->hints);
    if (check_memos()) {
        c->memo = calloc(JUDGE_MEMO, sizeof *c->memo);
        c->rmemo = calloc(RULES_MEMO, sizeof *c->rmemo);
        c->hmemo = calloc(HOME_MEMO, sizeof *c->hmemo);
        if (!c->memo || !c->rmemo || !c->hmemo)
            goto fail;
    }
    c->wv = calloc((size_t)m->nwaivers + 1, sizeof *c->wv);
    if (!c->prow || !c->hints || !c->wv)
        goto fail;
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

    if (check_objects(c))
        goto fail;
    free(ends);                 /* the flows are done: before the sorts' arrays */
    ends = NULL;
    c->ends = NULL;
    check_subjects(c);
    if (c->oom)
        goto fail;
    if (r->nfindings > 1 && sort_findings(r))
        goto fail;
    if (c->nwrows && r->transfers && model_name_rank(m)) {
        /* two threads' rows: ordered from where they are when they are in
         * many runs (no copy into one register first) */
        struct rowspan sp[4] = {
            { r->transfers, c->msplit, r->transfers },
            { c->wrows, c->wsplit, c->wrows },
            { r->transfers + c->msplit, r->ntransfers - c->msplit, r->transfers },
            { c->wrows + c->wsplit, c->nwrows - c->wsplit, c->wrows },
        };
        if (sort_transfer_spans(r, model_name_rank(m), m->ndatasets, sp, 4, &sorted))
            goto fail;
        if (sorted) {
            sm_big_free(c->wrows);
            c->wrows = NULL;
            c->nwrows = 0;
        }
    }
    if (join_rows(c))
        goto fail;
    if (sorted) {
        /* done above */
    } else if (r->ntransfers > 1 && model_name_rank(m)) {
        /* the names' order is known (the load snapshot keeps it) */
        if (sort_transfers(r, model_name_rank(m), m->ndatasets))
            goto fail;
    } else if (r->ntransfers > 1) {
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
        if (bad || sort_transfers(r, rank, nn)) {
            free(rank);
            goto fail;
        }
        free(rank);
    }
    if (check_reindex(r))
        goto fail;
    if (full && c->L->nslots <= 64) {
        uint64_t unknown = 0;
        for (int32_t s = 0; s < c->L->nslots; s++)
            if (c->slot_regime[s] == SM_NONE)
                unknown |= (uint64_t)1 << s;
        if (check_extra_init(r, m, unknown))
            goto fail;
    }
    rc = SM_OK;
fail:
    free(ends);
    free(region_cc);
    if (c) {
        free(c->cs);
        free(c->slot_regime);
        free(c->ri);
        free(c->pool);
        free(c->provider_first);
        free(c->allowed);
        free(c->inflow);
        free(c->prow);
        free(c->inmech);
        free(c->wv);
        sm_big_free(c->wrows);
        ck_free_own(c);
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
    char cc[3];                         /* bounded: a two-letter country code */
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
where_detail(struct ck *c, const struct dctx *dc, int role, const struct where_cell *w,
             struct gbuf *out)
{
    const struct regime *rg = w->regime == SM_NONE ? NULL : &c->rp->regimes[w->regime];
    char a[3], b[3];             /* bounded: two-letter country codes */
    const char *dest = w->cc == SM_NONE ? "any country" : ccs(w->cc, b);

    if (rg)
        regime_cc(rg, a);
    if (w->status == WHERE_ST_MECHANISM && (role == WHERE_KEY || !rg)) {
        /* the scope (adequate) asks for it, not a regime of the dataset's */
        gfmt(c, out, false, "only with %s declared on the copy: the %s%s scope accepts it",
             mechanism_names[w->mechanism], role == WHERE_KEY ? "key " : "",
             !dc->T ? "tier" : scope_names[role == WHERE_KEY ? dc->T->key_scope :
                                           role == WHERE_BACKUP ? dc->T->backup_scope : dc->T->scope]);
        return gstr(out);
    }
    switch (w->status == WHERE_ST_FORBIDDEN ? WHERE_B_NONE : w->basis) {
    case WHERE_B_INSIDE:
        if (rg->transfer == XFER_RULE_CONDITIONAL)
            gfmt(c, out, false, "inside %s%s", rg->area_bloc ? "the " : "", rg->area);
        else
            gfmt(c, out, false, "%s has no transfer restriction there", rg->id);
        break;
    case WHERE_B_ADEQUACY:
        gfmt(c, out, false, "adequacy %s->%s", a, dest);
        break;
    case WHERE_B_CONDITION:
        gfmt(c, out, false, "adequacy %s->%s for commercial recipients (the holder is not public sector)",
             a, dest);
        break;
    case WHERE_B_DPF:
        gfmt(c, out, false, "only with dpf declared: %s adequacy for %s needs a DPF-certified recipient",
             a, dest);
        break;
    case WHERE_B_MECH:
        if (rg)
            gfmt(c, out, false, "only with %s declared: no %s adequacy covers %s",
                 mechanism_names[w->mechanism], rg->id, dest);
        else
            gfmt(c, out, false, "only with %s declared", mechanism_names[w->mechanism]);
        break;
    case WHERE_B_SCOPE:
        if (role == WHERE_KEY)
            gfmt(c, out, false, "within the key scope (%s)", dc->T ? scope_names[dc->T->key_scope] : "none");
        else if (!dc->personal)
            gfmt(c, out, false, "within the tier's scope; not personal data, so no transfer rule");
        else
            gfmt(c, out, false, "within the tier's scope; no regime applies");
        break;
    default:
        gfmt(c, out, false, "%s", "");
        for (int k = 0; k < RULE_COUNT; k++)
            if (w->rules & (1u << k))
                gfmt(c, out, true, "%s%s", gstr(out)[0] ? ", " : "", rule_names[k]);
    }
    return gstr(out);
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
                                                 where_detail(c, &at, role, cell, &c->tmp[0]))) ||
                c->oom)
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
    free(c->tmp[0].s);
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
