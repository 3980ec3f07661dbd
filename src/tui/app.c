/*
 * app.c - the TUI application: state, the re-check after every edit and
 * the "what changed" message, undo/redo, jumps and history, key dispatch
 * through the key tables to one handler per action, the layout (tabs,
 * list, detail pane, status bar, prompt) and the overlays (help, dialogs,
 * forms). Draws only into struct screen; term.c is the terminal.
 */
#include "views.h"
#include "export.h"
#include "outfile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- messages ------------------------------------------------------------- */

void
tui_set_message(struct tui *t, bool error, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(t->msg, sizeof t->msg, fmt, ap);
    va_end(ap);
    t->msg_error = error;
}

const char *
tui_message(const struct tui *t)
{
    return t->msg;
}

bool
tui_quit(const struct tui *t)
{
    return t->quit;
}

void
tui_counts(const struct tui *t, int *errors, int *warnings, int *waived)
{
    *errors = t->res ? t->res->stats.count[SEV_ERROR] : 0;
    *warnings = t->res ? t->res->stats.count[SEV_WARNING] : 0;
    *waived = t->res ? t->res->stats.waived : 0;
}

/* ---- derived facts ---------------------------------------------------------- */

static const struct model *sort_model;

static int
cmp_regions(const void *pa, const void *pb)
{
    const struct region *a = &sort_model->regions[*(const int32_t *)pa];
    const struct region *b = &sort_model->regions[*(const int32_t *)pb];
    int ca = a->country < 0 ? SM_CC_COUNT : a->country;
    int cb = b->country < 0 ? SM_CC_COUNT : b->country;

    if (ca != cb)
        return ca < cb ? -1 : 1;
    return strcmp(a->id, b->id);
}

#define REALLOC(p, n) do {                                         \
        void *q_ = realloc((p), sizeof *(p) * (size_t)((n) + 1));     \
        if (!q_)                                                      \
            goto oom;                                                 \
        (p) = q_;                                                     \
    } while (0)

/* One finding into the derived per-object counts and worst severities. */
static void
finding_count(struct tui *t, const struct finding *f)
{
    if (f->waived) {
        if (f->kind == OBJ_PLACEMENT && f->object >= 0 && f->object < t->np)
            t->pl_waived[f->object] = 1;
        if (f->kind == OBJ_FLOW && f->object >= 0 && f->object < t->nf)
            t->fl_waived[f->object] = 1;
        return;
    }
    if (f->dataset >= 0 && f->dataset < t->nd) {
        t->ds_nfind[f->dataset]++;
        if (f->severity > t->ds_worst[f->dataset])
            t->ds_worst[f->dataset] = (int8_t)f->severity;
    }
    if (f->kind == OBJ_PLACEMENT && f->object >= 0 && f->object < t->np &&
        f->severity > t->pl_worst[f->object])
        t->pl_worst[f->object] = (int8_t)f->severity;
    if (f->kind == OBJ_FLOW && f->object >= 0 && f->object < t->nf &&
        f->severity > t->fl_worst[f->object])
        t->fl_worst[f->object] = (int8_t)f->severity;
}

void
tui_derive(struct tui *t)
{
    const struct model *m = t->m;

    REALLOC(t->ds_copies, m->ndatasets);
    REALLOC(t->ds_home, m->ndatasets);
    REALLOC(t->ds_nfind, m->ndatasets);
    REALLOC(t->ds_worst, m->ndatasets);
    REALLOC(t->pl_worst, m->nplacements);
    REALLOC(t->pl_waived, m->nplacements);
    REALLOC(t->fl_worst, m->nflows);
    REALLOC(t->fl_waived, m->nflows);
    REALLOC(t->rg_copies, m->nregions);
    REALLOC(t->tier_count, m->ntiers);
    REALLOC(t->map_regions, m->nregions);
    REALLOC(t->ds_out, m->ndatasets);
    REALLOC(t->ds_in, m->ndatasets);
    REALLOC(t->fl_next_out, m->nflows);
    REALLOC(t->fl_next_in, m->nflows);
    t->nd = m->ndatasets;
    t->np = m->nplacements;
    t->nf = m->nflows;
    t->nr = m->nregions;
    t->nt = m->ntiers;
    memset(t->ds_copies, 0, sizeof *t->ds_copies * (size_t)t->nd);
    memset(t->ds_nfind, 0, sizeof *t->ds_nfind * (size_t)t->nd);
    memset(t->ds_worst, -1, sizeof *t->ds_worst * (size_t)t->nd);
    memset(t->pl_worst, -1, sizeof *t->pl_worst * (size_t)t->np);
    memset(t->pl_waived, 0, sizeof *t->pl_waived * (size_t)t->np);
    memset(t->fl_worst, -1, sizeof *t->fl_worst * (size_t)t->nf);
    memset(t->fl_waived, 0, sizeof *t->fl_waived * (size_t)t->nf);
    memset(t->rg_copies, 0, sizeof *t->rg_copies * (size_t)t->nr);
    memset(t->tier_count, 0, sizeof *t->tier_count * (size_t)t->nt);
    for (int32_t d = 0; d < t->nd; d++)
        t->ds_out[d] = t->ds_in[d] = SM_NONE;
    /* Newest first is fine; built backwards so lists read in id order. */
    for (int32_t f = t->nf - 1; f >= 0; f--) {
        const struct flow *fl = &m->flows[f];
        int32_t a, b;
        t->fl_next_out[f] = t->fl_next_in[f] = SM_NONE;
        if (fl->deleted)
            continue;
        a = m->placements[fl->from].dataset;
        t->fl_next_out[f] = t->ds_out[a];
        t->ds_out[a] = f;
        if (fl->to >= 0 && (b = m->placements[fl->to].dataset) != a) {
            t->fl_next_in[f] = t->ds_in[b];
            t->ds_in[b] = f;
        }
    }
    for (int32_t d = 0; d < t->nd; d++) {
        t->ds_home[d] = SM_NONE;
        if (m->datasets[d].deleted)
            continue;
        if (m->datasets[d].tier >= 0 && m->datasets[d].tier < t->nt)
            t->tier_count[m->datasets[d].tier]++;
    }
    for (int32_t p = 0; p < t->np; p++) {
        const struct placement *pl = &m->placements[p];
        if (pl->deleted)
            continue;
        t->ds_copies[pl->dataset]++;
        if (pl->role == ROLE_PRIMARY && t->ds_home[pl->dataset] < 0)
            t->ds_home[pl->dataset] = pl->region;
        if (pl->region >= 0 && pl->region < t->nr)
            t->rg_copies[pl->region]++;
    }
    for (int32_t i = 0; t->res && i < t->res->nfindings; i++)
        finding_count(t, &t->res->findings[i]);
    t->nmap_regions = 0;
    for (int32_t r = 0; r < t->nr; r++)
        if (t->rg_copies[r] > 0)
            t->map_regions[t->nmap_regions++] = r;
    sort_model = m;
    qsort(t->map_regions, (size_t)t->nmap_regions, sizeof *t->map_regions, cmp_regions);
    t->gen++;
    return;
oom:
    t->nd = t->np = t->nf = t->nr = t->nt = 0;
    t->nmap_regions = 0;
    t->gen++;
    tui_set_message(t, true, "out of memory");
}

/* ---- derived facts after an edit of a few datasets --------------------------
 * The per-object arrays of tui_derive, brought up to date for what an edit
 * touched instead of rebuilt: the copy and tier counts of the datasets it
 * may change are taken out before it and put back after (derive_begin,
 * derive_end), the flow lists of the touched datasets are relinked, and
 * the finding facts of the objects whose findings check_update replaced
 * are recounted from the new ones (every finding of such an object is
 * among them). Anything else (scenario mode, a full check, regions or
 * tiers added) rebuilds everything. */

struct derive_pre {
    int32_t *ds;                /* datasets taken out, ascending, unique */
    int32_t n;
    bool on;
    int32_t nd, np, nf, nr, nt; /* the model's sizes before the edit */
};

static int
cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorted, duplicates dropped; returns the new count. */
static int32_t
uniq(int32_t *v, int32_t n)
{
    int32_t w = 0;

    if (n > 1)
        qsort(v, (size_t)n, sizeof *v, cmp_i32);
    for (int32_t k = 0; k < n; k++)
        if (k == 0 || v[k] != v[k - 1])
            v[w++] = v[k];
    return w;
}

/* Add (sign 1) or take out (-1) the copies and tier of datasets ds. */
static void
derive_count(struct tui *t, const int32_t *ds, int32_t n, int sign)
{
    const struct model *m = t->m;

    for (int32_t i = 0; i < n; i++) {
        const struct dataset *d;
        if (ds[i] < 0 || ds[i] >= m->ndatasets || ds[i] >= t->nd)
            continue;
        d = &m->datasets[ds[i]];
        if (!d->deleted && d->tier >= 0 && d->tier < t->nt)
            t->tier_count[d->tier] += sign;
        for (int32_t p = d->first_placement; p != SM_NONE; p = m->placements[p].next)
            if (!m->placements[p].deleted && m->placements[p].region >= 0 &&
                m->placements[p].region < t->nr)
                t->rg_copies[m->placements[p].region] += sign;
    }
}

static void
derive_begin(struct tui *t, struct derive_pre *pre, const struct check_touch *touch)
{
    const struct model *m = t->m;

    memset(pre, 0, sizeof *pre);
    if (!t->res || touch->global || t->nd != m->ndatasets ||
        t->np != m->nplacements || t->nf != m->nflows || t->nr != m->nregions ||
        t->nt != m->ntiers || !(pre->ds = malloc(sizeof *pre->ds * (size_t)(touch->ndatasets + 1))))
        return;
    if (touch->ndatasets)
        memcpy(pre->ds, touch->datasets, sizeof *pre->ds * (size_t)touch->ndatasets);
    pre->n = uniq(pre->ds, touch->ndatasets);
    pre->nd = m->ndatasets;
    pre->np = m->nplacements;
    pre->nf = m->nflows;
    pre->nr = m->nregions;
    pre->nt = m->ntiers;
    derive_count(t, pre->ds, pre->n, -1);
    pre->on = true;
}

/* The edit did not happen: the counts as they were. */
static void
derive_cancel(struct tui *t, struct derive_pre *pre)
{
    if (pre->on)
        derive_count(t, pre->ds, pre->n, 1);
    free(pre->ds);
    memset(pre, 0, sizeof *pre);
}

static int32_t
flow_ds(const struct model *m, int32_t p)
{
    return p >= 0 && p < m->nplacements ? m->placements[p].dataset : SM_NONE;
}

static bool
in_sorted(const int32_t *v, int32_t n, int32_t x)
{
    int32_t lo = 0, hi = n;

    while (lo < hi) {
        int32_t mid = (lo + hi) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == x;
}

/* The dataset whose out (pass 0) or in (pass 1) list holds live flow f. */
static int32_t
list_of(const struct model *m, int32_t f, int pass)
{
    const struct flow *fl = &m->flows[f];
    int32_t a, b;

    if (fl->deleted)
        return SM_NONE;
    a = flow_ds(m, fl->from);
    b = flow_ds(m, fl->to);
    return pass ? (fl->to >= 0 && b != a ? b : SM_NONE) : a;
}

/* Relink the flow lists of datasets ds (ascending, unique): cand are the
 * flows that may have joined them. */
static int
relink(struct tui *t, const int32_t *ds, int32_t n, const int32_t *cand, int32_t ncand)
{
    const struct model *m = t->m;
    int32_t *fl = NULL, nfl = 0, cap = 0;

    for (int pass = 0; pass < 2; pass++) {
        int32_t *head = pass ? t->ds_in : t->ds_out, *next = pass ? t->fl_next_in : t->fl_next_out;
        nfl = 0;
        for (int32_t i = 0; i < n; i++)
            for (int32_t f = head[ds[i]]; f != SM_NONE; f = next[f]) {
                if (sm_grow((void **)&fl, &cap, nfl + 1, sizeof *fl))
                    goto oom;
                fl[nfl++] = f;
            }
        for (int32_t k = 0; k < ncand; k++) {
            if (sm_grow((void **)&fl, &cap, nfl + 1, sizeof *fl))
                goto oom;
            fl[nfl++] = cand[k];
        }
        nfl = uniq(fl, nfl);
        /* a flow that belongs to a list not rebuilt here: rebuild all */
        for (int32_t k = 0; k < nfl; k++) {
            int32_t x;
            if (fl[k] < 0 || fl[k] >= t->nf) {
                free(fl);
                return SM_EINVAL;
            }
            x = list_of(m, fl[k], pass);
            if (x >= 0 && !in_sorted(ds, n, x)) {
                free(fl);
                return SM_EINVAL;
            }
        }
        for (int32_t k = 0; k < nfl; k++)
            next[fl[k]] = SM_NONE;
        for (int32_t i = 0; i < n; i++)
            head[ds[i]] = SM_NONE;
        /* backwards, so that each list reads in id order */
        for (int32_t k = nfl - 1; k >= 0; k--) {
            int32_t x = list_of(m, fl[k], pass);
            if (x < 0)
                continue;
            next[fl[k]] = head[x];
            head[x] = fl[k];
        }
    }
    free(fl);
    return SM_OK;
oom:
    free(fl);
    return SM_ENOMEM;
}

static void
finding_reset(struct tui *t, const struct finding *f)
{
    if (f->dataset >= 0 && f->dataset < t->nd) {
        t->ds_nfind[f->dataset] = 0;
        t->ds_worst[f->dataset] = -1;
    }
    if (f->kind == OBJ_PLACEMENT && f->object >= 0 && f->object < t->np) {
        t->pl_worst[f->object] = -1;
        t->pl_waived[f->object] = 0;
    }
    if (f->kind == OBJ_FLOW && f->object >= 0 && f->object < t->nf) {
        t->fl_worst[f->object] = -1;
        t->fl_waived[f->object] = 0;
    }
}

#define GROW_TO(p, old, n, fill) do {                              \
        REALLOC(p, n);                                                \
        for (int32_t i_ = (old); i_ < (n); i_++)                      \
            (p)[i_] = (fill);                                         \
    } while (0)

/* After the edit and check_update: the arrays for what changed. */
static void
derive_end(struct tui *t, struct derive_pre *pre, const struct check_touch *touch,
           const struct check_change *chg)
{
    const struct model *m = t->m;
    int32_t *ds = NULL, nds = 0, cap = 0, *cand = NULL, ncand = 0, capc = 0;

    if (!pre->on || touch->global || m->nregions != pre->nr || m->ntiers != pre->nt ||
        m->ndatasets < pre->nd || m->nplacements < pre->np || m->nflows < pre->nf) {
        derive_cancel(t, pre);
        tui_derive(t);
        return;
    }
    GROW_TO(t->ds_copies, pre->nd, m->ndatasets, 0);
    GROW_TO(t->ds_home, pre->nd, m->ndatasets, SM_NONE);
    GROW_TO(t->ds_nfind, pre->nd, m->ndatasets, 0);
    GROW_TO(t->ds_worst, pre->nd, m->ndatasets, -1);
    GROW_TO(t->ds_out, pre->nd, m->ndatasets, SM_NONE);
    GROW_TO(t->ds_in, pre->nd, m->ndatasets, SM_NONE);
    GROW_TO(t->pl_worst, pre->np, m->nplacements, -1);
    GROW_TO(t->pl_waived, pre->np, m->nplacements, 0);
    GROW_TO(t->fl_worst, pre->nf, m->nflows, -1);
    GROW_TO(t->fl_waived, pre->nf, m->nflows, 0);
    GROW_TO(t->fl_next_out, pre->nf, m->nflows, SM_NONE);
    GROW_TO(t->fl_next_in, pre->nf, m->nflows, SM_NONE);
    t->nd = m->ndatasets;
    t->np = m->nplacements;
    t->nf = m->nflows;
    /* copies and tiers back in: the datasets taken out, and new ones */
    for (int32_t d = pre->nd; d < m->ndatasets; d++)
        if (sm_grow((void **)&pre->ds, &cap, pre->n + 1, sizeof *pre->ds) == SM_OK)
            pre->ds[pre->n++] = d;
        else
            goto oom;
    cap = 0;
    derive_count(t, pre->ds, pre->n, 1);
    pre->on = false;
    /* per dataset: copies, home, flow lists (touched before or after) */
    for (int32_t k = 0; k < pre->n + touch->ndatasets; k++) {
        int32_t d = k < pre->n ? pre->ds[k] : touch->datasets[k - pre->n];
        if (d < 0 || d >= m->ndatasets)
            continue;
        if (sm_grow((void **)&ds, &cap, nds + 1, sizeof *ds))
            goto oom;
        ds[nds++] = d;
    }
    nds = uniq(ds, nds);
    for (int32_t i = 0; i < nds; i++) {
        const struct dataset *d = &m->datasets[ds[i]];
        int32_t home = SM_NONE, homep = INT32_MAX, n = 0;
        for (int32_t p = d->first_placement; p != SM_NONE; p = m->placements[p].next) {
            if (m->placements[p].deleted)
                continue;
            n++;
            if (m->placements[p].role == ROLE_PRIMARY && p < homep) {
                homep = p;
                home = m->placements[p].region;
            }
        }
        t->ds_copies[ds[i]] = n;
        t->ds_home[ds[i]] = d->deleted ? SM_NONE : home;
    }
    for (int32_t k = 0; k < touch->nflows + (m->nflows - pre->nf); k++) {
        int32_t f = k < touch->nflows ? touch->flows[k] : pre->nf + (k - touch->nflows);
        if (sm_grow((void **)&cand, &capc, ncand + 1, sizeof *cand))
            goto oom;
        cand[ncand++] = f;
    }
    if (relink(t, ds, nds, cand, ncand))
        goto oom;
    /* finding facts of the objects whose findings were replaced */
    for (int32_t k = 0; k < chg->nold; k++)
        finding_reset(t, &chg->old[k]);
    for (int32_t k = 0; k < chg->nnow; k++)
        finding_reset(t, &t->res->findings[chg->now[k]]);
    for (int32_t k = 0; k < chg->nnow; k++)
        finding_count(t, &t->res->findings[chg->now[k]]);
    t->nmap_regions = 0;
    for (int32_t r = 0; r < t->nr; r++)
        if (t->rg_copies[r] > 0)
            t->map_regions[t->nmap_regions++] = r;
    sort_model = m;
    qsort(t->map_regions, (size_t)t->nmap_regions, sizeof *t->map_regions, cmp_regions);
    t->gen++;
    free(ds);
    free(cand);
    derive_cancel(t, pre);
    return;
oom:
    free(ds);
    free(cand);
    pre->on = false;
    derive_cancel(t, pre);
    tui_derive(t);
}

/* ---- checking and the "what changed" message ---------------------------- */

static void
plural(char *buf, size_t size, size_t *k, int n, const char *sign, int sev)
{
    static const char *const one[SEV_COUNT] = { "info", "warning", "error" };
    static const char *const many[SEV_COUNT] = { "infos", "warnings", "errors" };
    if (n == 0 || *k >= size)
        return;
    *k += (size_t)snprintf(buf + *k, size - *k, "%s%s%d %s", *k ? ", " : "", sign, n,
                           n == 1 ? one[sev] : many[sev]);
}

/* Findings to compare: v[idx[i]] (idx NULL: v[i]), i < n. */
struct fset {
    const struct finding *v;
    const int32_t *idx;
    int32_t n;
};

static const struct finding *
fset_at(const struct fset *s, int32_t i)
{
    return &s->v[s->idx ? s->idx[i] : i];
}

/* Live findings added and removed between two sets, as one line. */
static void
diff_sets(const struct fset *a, const struct fset *b, char *buf, size_t size)
{
    struct sm_arena ar;
    struct sm_map ma, mb;
    int added[SEV_COUNT] = { 0 }, removed[SEV_COUNT] = { 0 }, nadd = 0, nrem = 0;
    const struct finding *first_add = NULL, *first_rem = NULL;
    size_t k = 0;

    buf[0] = 0;
    sm_arena_init(&ar);
    sm_map_init(&ma);
    sm_map_init(&mb);
    for (int pass = 0; pass < 2; pass++) {
        const struct fset *r = pass ? b : a;
        struct sm_map *mp = pass ? &mb : &ma;
        for (int32_t i = 0; i < r->n; i++) {
            const struct finding *f = fset_at(r, i);
            size_t n1 = strlen(f->rule), n2 = strlen(f->selector);
            char *key;
            if (f->waived)
                continue;
            if (!(key = sm_arena_alloc(&ar, n1 + n2 + 2)))
                goto out;
            memcpy(key, f->rule, n1);
            key[n1] = ' ';
            memcpy(key + n1 + 1, f->selector, n2 + 1);
            if (sm_map_put(mp, key, i) != SM_OK)
                goto out;
        }
    }
    for (int32_t i = 0; i < b->n; i++) {
        const struct finding *f = fset_at(b, i);
        char key[1024];
        if (f->waived)
            continue;
        snprintf(key, sizeof key, "%s %s", f->rule, f->selector);
        if (sm_map_get(&ma, key) == SM_NONE) {
            added[f->severity]++;
            if (!first_add)
                first_add = f;
            nadd++;
        }
    }
    for (int32_t i = 0; i < a->n; i++) {
        const struct finding *f = fset_at(a, i);
        char key[1024];
        if (f->waived)
            continue;
        snprintf(key, sizeof key, "%s %s", f->rule, f->selector);
        if (sm_map_get(&mb, key) == SM_NONE) {
            removed[f->severity]++;
            if (!first_rem)
                first_rem = f;
            nrem++;
        }
    }
    for (int s = SEV_COUNT - 1; s >= 0; s--)
        plural(buf, size, &k, added[s], "+", s);
    if (nadd >= 1 && k < size)
        k += (size_t)snprintf(buf + k, size - k, ": %s %s%s", first_add->rule,
                              first_add->selector, nadd > 1 ? " ..." : "");
    for (int s = SEV_COUNT - 1; s >= 0; s--)
        plural(buf, size, &k, removed[s], "-", s);
    if (nrem >= 1 && k < size)
        k += (size_t)snprintf(buf + k, size - k, ": %s %s%s", first_rem->rule,
                              first_rem->selector, nrem > 1 ? " ..." : "");
    if (nadd == 0 && nrem == 0)
        snprintf(buf, size, "findings unchanged");
out:
    sm_map_fini(&ma);
    sm_map_fini(&mb);
    sm_arena_fini(&ar);
}

/* Live findings added and removed between two results, as one line. */
static void
diff_results(const struct check_result *a, const struct check_result *b, char *buf,
             size_t size)
{
    struct fset sa = { a ? a->findings : NULL, NULL, a ? a->nfindings : 0 };
    struct fset sb = { b ? b->findings : NULL, NULL, b ? b->nfindings : 0 };

    diff_sets(&sa, &sb, buf, size);
}

/* Re-run the checker; what: the edit, for the message (NULL: no message). */
static void scen_reeval(struct tui *t, const char *what);

static void
recheck(struct tui *t, const char *what)
{
    struct check_result *r = NULL;
    struct sm_error err = { 0 };
    char diff[400];

    if (t->scen.on) {
        /* The scenario's model and findings come from its evaluation. */
        scen_reeval(t, what);
        return;
    }
    if (t->ops.check) {
        if (t->ops.check(t->ops.ctx, t->m, &r, &err) != SM_OK) {
            tui_set_message(t, true, "%s; check failed: %s", what ? what : "", err.msg);
            tui_derive(t);
            return;
        }
        if (what) {
            diff_results(t->res, r, diff, sizeof diff);
            tui_set_message(t, false, "%s %s %s", what, text_sym("—", "-"), diff);
        }
        if (t->res && t->ops.check_free)
            t->ops.check_free(t->ops.ctx, t->res);
        t->res = r;
    } else if (what) {
        tui_set_message(t, false, "%s", what);
    }
    tui_derive(t);
}

/* After an edit that touched what `touch` names: only the datasets flows
 * link it to are checked again (check_update), and the message's diff
 * compares their old and new findings alone (every other finding is the
 * same). Edits the update cannot take (the law for everyone, custom rules)
 * and scenario mode check everything. */
static void
recheck_touched(struct tui *t, const struct check_touch *touch, struct derive_pre *pre,
                const char *what)
{
    struct check_change chg;
    struct sm_error err = { 0 };
    char diff[400];

    if (t->scen.on || !t->ops.check || !t->res) {
        derive_cancel(t, pre);
        recheck(t, what);
        return;
    }
    if (check_update(t->res, t->m, touch, &chg, &err) != SM_OK) {
        derive_cancel(t, pre);
        /* out of memory midway: the result is unusable, check it all */
        if (t->ops.check_free)
            t->ops.check_free(t->ops.ctx, t->res);
        t->res = NULL;
        recheck(t, what);
        return;
    }
    if (chg.ngroup < 0) {
        derive_cancel(t, pre);
        recheck(t, what);
        return;
    }
    if (what) {
        struct fset a = { chg.old, NULL, chg.nold }, b = { t->res->findings, chg.now, chg.nnow };
        diff_sets(&a, &b, diff, sizeof diff);
        tui_set_message(t, false, "%s %s %s", what, text_sym("—", "-"), diff);
    }
    derive_end(t, pre, touch, &chg);
    check_change_fini(&chg);
}

/* What an applied (or reverted) edit touched, in the model as it is now. */
static void
touch_result(struct check_touch *touch, const struct model *m, const struct edit_result *res)
{
    if (check_touch_object(touch, m, res->kind, res->id))
        touch->global = true;   /* out of memory: check everything */
    for (int32_t k = 0; k < res->ntouched; k++)
        if (check_touch_object(touch, m, res->touched[k].kind, res->touched[k].id))
            touch->global = true;
    /* more objects than the list holds: which flows went is not known */
    if (res->overflow)
        touch->global = true;
}

void
tui_recheck(struct tui *t)
{
    t->unchecked = false;
    recheck(t, NULL);
}

bool
tui_unchecked(const struct tui *t)
{
    return t->unchecked;
}

/* ---- edits and undo ------------------------------------------------------- */

static void
entry_free(struct undo_entry *u)
{
    if (u->res) {
        edit_result_fini(u->res);
        free(u->res);
    }
    u->res = NULL;
}

static void
push(struct undo_entry *stack, int *n, struct edit_result *res, const char *what)
{
    if (*n == TUI_UNDO_MAX) {
        entry_free(&stack[0]);
        memmove(stack, stack + 1, sizeof *stack * (TUI_UNDO_MAX - 1));
        (*n)--;
    }
    stack[*n].res = res;
    snprintf(stack[*n].what, sizeof stack[*n].what, "%s", what);
    (*n)++;
}

static void
clear_stack(struct undo_entry *stack, int *n)
{
    while (*n > 0)
        entry_free(&stack[--*n]);
}

static void
select_object(struct tui *t, enum obj_kind kind, int32_t id)
{
    struct view *v = &t->views[t->cur];

    if (id < 0)
        return;
    if (v->ops->kind == kind && v->ops->object && v->ops != &map_view)
        view_select_row(t, v, id);
    else if (kind == OBJ_PLACEMENT && (v->ops == &datasets_view || v->ops == &map_view) &&
             id < t->m->nplacements)
        view_select_row(t, v, t->m->placements[id].dataset);
}

static bool target_object(struct tui *t, enum obj_kind *kind, int32_t *id);

/* ---- other writers ------------------------------------------------------- */

/* When another process changed the catalog (or always, with force: R),
 * take the model loaded again, re-check it, keep the cursor on the same
 * object where it still exists, and say what changed. The undo records
 * name objects of the old model: they go, so an undo never undoes another
 * writer's change. True when the catalog was reloaded. Not while a form,
 * prompt or dialog is open: the edit it makes is checked when it is saved. */
static bool
sync_catalog(struct tui *t, bool force)
{
    struct sm_error err = { 0 };
    char summary[256], what[400], *sel = NULL;
    enum obj_kind kind = OBJ_KIND_COUNT;
    int32_t id = SM_NONE;
    bool reloaded = false, dropped;

    if (!t->ops.sync || !t->ops.model)
        return false;
    if (t->ops.sync(t->ops.ctx, force, &reloaded, summary, sizeof summary, &err) != SM_OK) {
        tui_set_message(t, true, "cannot reload the catalog: %s", err.msg);
        return false;
    }
    if (!reloaded)
        return false;
    /* the object under the cursor, by name: ids change with the load */
    if (!t->scen.on && target_object(t, &kind, &id))
        sel = model_selector_dup(t->m, kind, id);
    t->nreloads++;
    dropped = t->nundo + t->nredo > 0;
    clear_stack(t->undo, &t->nundo);
    clear_stack(t->redo, &t->nredo);
    t->nhist = 0;
    snprintf(what, sizeof what, "%s%s%s; re-checked%s",
             force ? "catalog reloaded" : "catalog changed on disk", summary[0] ? ": " : "",
             summary, dropped ? "; undo history cleared" : "");
    if (t->scen.on) {
        /* the scenario is evaluated again on the new catalog; leaving the
         * mode checks the catalog */
        t->scen.commands = true;
        scen_reeval(t, what);
    } else {
        t->m = t->ops.model(t->ops.ctx);
        recheck(t, what);
        if (sel && model_find(t->m, kind, sel, &id, NULL) == SM_OK)
            select_object(t, kind, id);
    }
    free(sel);
    return true;
}

int
tui_idle(struct tui *t)
{
    if (t->prompt != PROMPT_NONE || t->dialog.mode != DIALOG_NONE || t->form.open)
        return 0;
    return sync_catalog(t, false) ? TUI_REDRAW : 0;
}

static int
act_reload(struct tui *t, const struct key *k)
{
    (void)k;
    if (!t->ops.sync) {
        tui_set_message(t, false, "nothing to reload: this model is not a catalog's");
        return TUI_REDRAW;
    }
    sync_catalog(t, true);
    return TUI_REDRAW;
}

/* An edit of an object that is gone from the catalog as it is now. */
static bool
edit_target_gone(const struct tui *t, const struct edit *e, char *msg, size_t size)
{
    enum obj_kind kind = e->kind;
    char *name = NULL;
    int32_t id;
    bool gone;

    if (e->op == EDIT_ADD) {
        /* a copy's dataset */
        if (kind != OBJ_PLACEMENT || !strchr(e->key, '@') || !(name = strdup(e->key)))
            return false;
        *strchr(name, '@') = '\0';
        kind = OBJ_DATASET;
    }
    gone = model_find(t->m, kind, name ? name : e->key, &id, NULL) != SM_OK;
    if (gone)
        snprintf(msg, size, "%s %s was removed by another writer; nothing was changed",
                 obj_kind_names[kind], name ? name : e->key);
    free(name);
    return gone;
}

static int scen_apply_edit(struct tui *t, const struct edit *e, const char *what);

static int
apply_once(struct tui *t, const struct edit *e, const char *what)
{
    struct edit_result *res = calloc(1, sizeof *res);
    struct check_touch touch = { 0 };
    struct derive_pre pre = { 0 };
    struct sm_error err = { 0 };
    char line[600];
    int rc;

    if (!res) {
        tui_set_message(t, true, "out of memory");
        return SM_ENOMEM;
    }
    edit_format(e, line, sizeof line);
    /* the object as it was (a flow's old ends; a new copy's dataset) */
    if (e->op != EDIT_ADD && check_touch_selector(&touch, t->m, e->kind, e->key))
        touch.global = true;
    if (e->op == EDIT_ADD && e->kind == OBJ_PLACEMENT && strchr(e->key, '@')) {
        char *name = strdup(e->key);
        if (!name)
            touch.global = true;
        else {
            *strchr(name, '@') = 0;
            if (check_touch_selector(&touch, t->m, OBJ_DATASET, name))
                touch.global = true;
            free(name);
        }
    }
    derive_begin(t, &pre, &touch);
    if ((rc = t->ops.apply(t->ops.ctx, t->m, e, res, &err)) != SM_OK) {
        derive_cancel(t, &pre);
        free(res);
        check_touch_fini(&touch);
        tui_set_message(t, true, "%s", err.msg[0] ? err.msg : "edit failed");
        return rc;
    }
    if (res->unchanged) {
        /* nothing changed, nothing logged: no undo step either */
        derive_cancel(t, &pre);
        check_touch_fini(&touch);
        edit_result_fini(res);
        free(res);
        tui_set_message(t, false, "unchanged: %s", line);
        return SM_OK;
    }
    touch_result(&touch, t->m, res);
    push(t->undo, &t->nundo, res, line);
    clear_stack(t->redo, &t->nredo);
    recheck_touched(t, &touch, &pre, what && *what ? what : line);
    check_touch_fini(&touch);
    if (e->op != EDIT_REMOVE)
        select_object(t, res->kind, res->id);
    return SM_OK;
}

/* Apply e to the catalog as it is now: another writer's changes are
 * loaded first, and when one comes in between (SM_ESTALE: the store wrote
 * nothing) they are loaded and the edit is applied again. */
int
tui_apply(struct tui *t, const struct edit *e, const char *what)
{
    char gone[700];
    int rc;

    if (t->scen.on)
        return scen_apply_edit(t, e, what);
    sync_catalog(t, false);
    for (int tries = 0;; tries++) {
        if (t->nreloads && edit_target_gone(t, e, gone, sizeof gone)) {
            tui_set_message(t, true, "%s", gone);
            return SM_ENOTFOUND;
        }
        if ((rc = apply_once(t, e, what)) != SM_ESTALE || tries == 2 || !t->ops.sync)
            return rc;
        sync_catalog(t, false);
    }
}

static int scen_undo(struct tui *t, bool undo);

/* Undo (from the undo stack to the redo stack) or redo (the other way):
 * the same exact revert, toggling. */
static int
undo_redo(struct tui *t, bool undo)
{
    struct undo_entry *from = undo ? t->undo : t->redo, *to = undo ? t->redo : t->undo;
    int *nfrom = undo ? &t->nundo : &t->nredo, *nto = undo ? &t->nredo : &t->nundo;
    struct check_touch touch = { 0 };
    struct derive_pre pre = { 0 };
    struct sm_error err = { 0 };
    struct undo_entry u;
    char what[260];

    if (t->scen.on)
        return scen_undo(t, undo);
    if (*nfrom == 0) {
        tui_set_message(t, false, "nothing to %s", undo ? "undo" : "redo");
        return TUI_REDRAW;
    }
    /* another writer's change: the history goes with the old model */
    if (sync_catalog(t, false))
        return TUI_REDRAW;
    u = from[*nfrom - 1];
    touch_result(&touch, t->m, u.res);
    derive_begin(t, &pre, &touch);
    if (t->ops.revert(t->ops.ctx, t->m, u.res, &err) != SM_OK) {
        derive_cancel(t, &pre);
        check_touch_fini(&touch);
        if (err.code == SM_ESTALE && sync_catalog(t, false))
            return TUI_REDRAW;
        tui_set_message(t, true, "cannot %s %s: %s", undo ? "undo" : "redo", u.what, err.msg);
        return TUI_REDRAW;
    }
    touch_result(&touch, t->m, u.res);
    (*nfrom)--;
    push(to, nto, u.res, u.what);
    snprintf(what, sizeof what, "%s: %s", undo ? "undone" : "redone", u.what);
    recheck_touched(t, &touch, &pre, what);
    check_touch_fini(&touch);
    if (!undo || u.res->kind != OBJ_KIND_COUNT)
        select_object(t, u.res->kind, u.res->id);
    return TUI_REDRAW;
}

static int act_undo(struct tui *t, const struct key *k) { (void)k; return undo_redo(t, true); }
static int act_redo(struct tui *t, const struct key *k) { (void)k; return undo_redo(t, false); }

/* ---- views, jumps and history ------------------------------------------- */

static struct view *
cur_view(struct tui *t)
{
    return &t->views[t->cur];
}

static void
switch_view(struct tui *t, int i)
{
    t->cur = (i + TUI_NVIEWS) % TUI_NVIEWS;
    t->focus = FOCUS_LIST;
    view_ensure(t, cur_view(t));
}

static void
show_view(struct tui *t, const struct view_ops *ops)
{
    switch_view(t, view_index(ops));
}

static bool
showing(struct tui *t, const struct view_ops *ops)
{
    return t->views[t->cur].ops == ops;
}

static void
history_push(struct tui *t)
{
    if (t->nhist == TUI_HISTORY) {
        memmove(t->history, t->history + 1, sizeof t->history[0] * (TUI_HISTORY - 1));
        t->nhist--;
    }
    t->history[t->nhist].view = cur_view(t)->ops;
    t->history[t->nhist].row = view_current(t, cur_view(t));
    t->nhist++;
}

void
tui_jump(struct tui *t, int kind, int32_t id)
{
    const struct view_ops *target;

    history_push(t);
    if (kind == REF_FINDING) {
        target = &findings_view;
    } else if (kind == OBJ_PLACEMENT) {
        target = &datasets_view;
        id = id >= 0 && id < t->m->nplacements ? t->m->placements[id].dataset : SM_NONE;
    } else {
        target = view_of_kind((enum obj_kind)kind);
    }
    show_view(t, target);
    if (id >= 0)
        view_select_row(t, cur_view(t), id);
}

static int
act_back(struct tui *t, const struct key *k)
{
    (void)k;
    if (t->nhist == 0) {
        if (t->focus == FOCUS_DETAIL) {
            t->focus = FOCUS_LIST;
            return TUI_REDRAW;
        }
        tui_set_message(t, false, "nowhere to go back to");
        return TUI_REDRAW;
    }
    t->nhist--;
    show_view(t, t->history[t->nhist].view);
    if (t->history[t->nhist].row >= 0)
        view_select_row(t, cur_view(t), t->history[t->nhist].row);
    return TUI_REDRAW;
}

/* The detail pane for the current row, rebuilt when it changed. */
static struct detail *
current_detail(struct tui *t)
{
    struct view *v = cur_view(t);
    struct detail *d = &t->detail;
    int32_t row = view_current(t, v);

    if (d->view == v->ops && d->row == row && d->gen == t->gen && d->gen)
        return d;
    detail_clear(d);
    d->sel = -1;
    d->top = 0;
    d->view = v->ops;
    d->row = row;
    d->gen = t->gen;
    if (row >= 0 && v->ops->detail)
        v->ops->detail(t, row, d);
    for (int i = 0; i < d->n; i++)
        if (d->line[i].ref != REF_NONE) {
            d->sel = i;
            break;
        }
    return d;
}

/* ---- action handlers ------------------------------------------------------ */

static int
act_quit(struct tui *t, const struct key *k)
{
    (void)k;
    t->quit = true;
    return TUI_QUIT;
}

static int
act_interrupt(struct tui *t, const struct key *k)
{
    if (t->focus == FOCUS_DETAIL) {
        t->focus = FOCUS_LIST;
        return TUI_REDRAW;
    }
    return act_quit(t, k);
}

static void
help_text(struct tui *t, char **out)
{
    size_t size = 16384, len = 0;
    char *buf = malloc(size), keys[128];

    if (!buf)
        return;
    buf[0] = 0;
    len += (size_t)snprintf(buf + len, size - len,
                            "sovmap: where each dataset may live. Edits are saved at once, one "
                            "transaction each, and re-checked; u undoes them.\n");
    for (int m = 0; m < KEYMAP_COUNT && len < size; m++) {
        len += (size_t)snprintf(buf + len, size - len, "\n%s\n", keymap_titles[m]);
        for (int a = 1; a < ACT_COUNT && len < size; a++) {
            keymap_keys(&t->keys, (enum keymap_id)m, (enum action)a, keys, sizeof keys);
            if (!keys[0])
                continue;
            len += (size_t)snprintf(buf + len, size - len, "  %-18s %s\n", keys,
                                    action_help[a]);
        }
    }
    if (len < size)
        len += (size_t)snprintf(buf + len, size - len,
                                "\nA finding's detail pane ends with its rule's text: when it "
                                "fires, when not, and the law (`sovmap explain RULE`).\n"
                                "Saving a tier's form first shows the impact: +N errors, -M "
                                "errors and the copies and flows that change (y saves).\n"
                                "\nMouse: click a tab or a row, double-click to open, wheel "
                                "scrolls.\nThemes: --theme NAME or `theme NAME` in "
                                "$XDG_CONFIG_HOME/sovmap/config.\n");
    *out = buf;
}

static int
count_lines(const char *s)
{
    int n = 0;
    for (; s && *s; s++)
        n += *s == '\n';
    return n + 1;
}

static void
pager_open(struct tui *t, const char *title, char *text_take)
{
    dialog_close(t);
    t->dialog.mode = DIALOG_PAGER;
    snprintf(t->dialog.title, sizeof t->dialog.title, "%s", title);
    t->dialog.text = text_take;
    t->dialog.top = 0;
    t->dialog.nlines = count_lines(text_take);
}

static int
act_help(struct tui *t, const struct key *k)
{
    char *text = NULL;
    (void)k;
    help_text(t, &text);
    if (text)
        pager_open(t, "Help (generated from the key tables; q or Esc closes)", text);
    return TUI_REDRAW;
}

static int act_next_view(struct tui *t, const struct key *k) { (void)k; switch_view(t, t->cur + 1); return TUI_REDRAW; }
static int act_prev_view(struct tui *t, const struct key *k) { (void)k; switch_view(t, t->cur - 1); return TUI_REDRAW; }

static int
act_view_n(struct tui *t, const struct key *k)
{
    switch_view(t, k->code - '1');
    return TUI_REDRAW;
}

static int
act_view(struct tui *t, enum action a)
{
    switch_view(t, (int)(a - ACT_VIEW_1));
    return TUI_REDRAW;
}

static int
act_move(struct tui *t, const struct key *k, int32_t delta)
{
    (void)k;
    if (t->focus == FOCUS_DETAIL) {
        struct detail *d = current_detail(t);
        for (int i = d->sel + (delta > 0 ? 1 : -1); i >= 0 && i < d->n; i += delta > 0 ? 1 : -1)
            if (d->line[i].ref != REF_NONE) {
                d->sel = i;
                break;
            }
        return TUI_REDRAW;
    }
    view_move(t, cur_view(t), delta);
    return TUI_REDRAW;
}

static int act_down(struct tui *t, const struct key *k) { return act_move(t, k, 1); }
static int act_up(struct tui *t, const struct key *k) { return act_move(t, k, -1); }
static int act_pgdn(struct tui *t, const struct key *k) { return act_move(t, k, cur_view(t)->page > 1 ? cur_view(t)->page - 1 : 1); }
static int act_pgup(struct tui *t, const struct key *k) { return act_move(t, k, -(cur_view(t)->page > 1 ? cur_view(t)->page - 1 : 1)); }
static int act_top(struct tui *t, const struct key *k) { return act_move(t, k, -cur_view(t)->ndisp); }
static int act_bottom(struct tui *t, const struct key *k) { return act_move(t, k, cur_view(t)->ndisp); }

static int
act_search(struct tui *t, const struct key *k)
{
    (void)k;
    t->prompt = PROMPT_FILTER;
    snprintf(t->prompt_label, sizeof t->prompt_label, "/");
    line_set(&t->input, cur_view(t)->filter);
    return TUI_REDRAW;
}

static void scen_leave(struct tui *t);

static int
act_clear(struct tui *t, const struct key *k)
{
    struct view *v = cur_view(t);
    (void)k;
    if (t->focus == FOCUS_DETAIL) {
        t->focus = FOCUS_LIST;
        return TUI_REDRAW;
    }
    if (v->filter[0]) {
        v->filter[0] = 0;
        view_rebuild(t, v);
        tui_set_message(t, false, "filter cleared");
    } else if (t->scen.on) {
        scen_leave(t);
    }
    return TUI_REDRAW;
}

static int
act_sort(struct tui *t, const struct key *k)
{
    struct view *v = cur_view(t);
    int n = v->ops->ncols, c = v->sort;
    (void)k;
    /* Only the columns on screen, then the catalog order. */
    do {
        c = c + 1 >= n ? -1 : c + 1;
    } while (c >= 0 && ((!v->ops->cols[c].num && !v->ops->cols[c].str) ||
                        (v->shown && c < 32 && !(v->shown & 1u << c))));
    v->sort = c;
    v->desc = false;
    view_rebuild(t, v);
    tui_set_message(t, false, "sorted by %s", c >= 0 ? v->ops->cols[c].title : "catalog order");
    return TUI_REDRAW;
}

/* The sort menu: every sortable column (the current one with its arrow;
 * choosing it again reverses it), then the catalog order. */
static int
act_sort_menu(struct tui *t, const struct key *k)
{
    struct view *v = cur_view(t);
    int n = 0;
    (void)k;
    dialog_close(t);
    t->dialog.mode = DIALOG_MENU;
    snprintf(t->dialog.title, sizeof t->dialog.title, "Sort %s by (Enter chooses, Esc cancels)",
             v->ops->title);
    t->dialog.choice = 0;
    for (int c = 0; c < v->ops->ncols && n < DIALOG_MAX_CHOICES - 1; c++) {
        if (!v->ops->cols[c].num && !v->ops->cols[c].str)
            continue;
        snprintf(t->dialog.choice_text[n], sizeof t->dialog.choice_text[n], "%s %s%s",
                 v->ops->cols[c].title, v->sort == c ? view_sort_arrow(v) : "",
                 v->sort == c ? " (again: reverse)" : "");
        snprintf(t->dialog.choice_arg[n], sizeof t->dialog.choice_arg[n], "sort:%d", c);
        if (v->sort == c)
            t->dialog.choice = n;
        n++;
    }
    snprintf(t->dialog.choice_text[n], sizeof t->dialog.choice_text[n], "catalog order%s",
             v->sort < 0 ? " (now)" : "");
    snprintf(t->dialog.choice_arg[n], sizeof t->dialog.choice_arg[n], "sort:-1");
    if (v->sort < 0)
        t->dialog.choice = n;
    t->dialog.nchoices = n + 1;
    return TUI_REDRAW;
}

static void
sort_chosen(struct tui *t, int c)
{
    struct view *v = cur_view(t);

    if (c >= 0 && c == v->sort)
        v->desc = !v->desc;
    else
        v->desc = false;
    v->sort = c;
    view_rebuild(t, v);
    tui_set_message(t, false, "sorted by %s%s", c >= 0 ? v->ops->cols[c].title : "catalog order",
                    c >= 0 ? view_sort_arrow(v) : "");
}

static int
act_reverse(struct tui *t, const struct key *k)
{
    struct view *v = cur_view(t);
    (void)k;
    if (v->sort < 0) {
        tui_set_message(t, false, "choose a sort column with s first");
        return TUI_REDRAW;
    }
    v->desc = !v->desc;
    view_rebuild(t, v);
    return TUI_REDRAW;
}

static int
act_open(struct tui *t, const struct key *k)
{
    struct detail *d;
    (void)k;
    if (view_current(t, cur_view(t)) < 0)
        return TUI_REDRAW;
    d = current_detail(t);
    if (d->sel < 0) {
        tui_set_message(t, false, "nothing to follow in %s", d->title ? d->title : "the pane");
        return TUI_REDRAW;
    }
    t->focus = FOCUS_DETAIL;
    return TUI_REDRAW;
}

static int
act_follow(struct tui *t, const struct key *k)
{
    struct detail *d = current_detail(t);
    (void)k;
    if (d->sel < 0 || d->sel >= d->n || d->line[d->sel].ref == REF_NONE)
        return TUI_REDRAW;
    tui_jump(t, d->line[d->sel].ref, d->line[d->sel].id);
    return TUI_REDRAW;
}

/* The object the user means: the detail line under the cursor when the
 * pane has focus, else the selected row's object. */
static bool
target_object(struct tui *t, enum obj_kind *kind, int32_t *id)
{
    struct view *v = cur_view(t);
    int32_t row = view_current(t, v);

    if (t->focus == FOCUS_DETAIL) {
        struct detail *d = current_detail(t);
        if (d->sel >= 0 && d->line[d->sel].ref < OBJ_KIND_COUNT) {
            *kind = (enum obj_kind)d->line[d->sel].ref;
            *id = d->line[d->sel].id;
            return true;
        }
    }
    if (row < 0 || !v->ops->object)
        return false;
    if (showing(t, &map_view) && v->hcol >= 0 && v->hcol < t->nmap_regions) {
        int32_t p = model_placement_of(t->m, row, t->map_regions[v->hcol], SM_NONE);
        if (p >= 0) {
            *kind = OBJ_PLACEMENT;
            *id = p;
            return true;
        }
    }
    return v->ops->object(t, row, kind, id);
}

static int32_t
target_finding(struct tui *t)
{
    struct view *v = cur_view(t);

    if (!t->res)
        return SM_NONE;
    if (t->focus == FOCUS_DETAIL) {
        struct detail *d = current_detail(t);
        if (d->sel >= 0 && d->line[d->sel].ref == REF_FINDING)
            return d->line[d->sel].id;
    }
    if (showing(t, &findings_view))
        return view_current(t, v);
    return SM_NONE;
}

static int
act_add(struct tui *t, const struct key *k)
{
    enum obj_kind kind = cur_view(t)->ops->kind;
    (void)k;
    if (showing(t, &map_view)) {
        kind = OBJ_PLACEMENT;
    }
    if (kind >= OBJ_KIND_COUNT) {
        tui_set_message(t, true, "nothing to add here: %s are derived by the checker",
                         cur_view(t)->ops->name);
        return TUI_REDRAW;
    }
    if (kind == OBJ_PLACEMENT) {
        int32_t row = view_current(t, cur_view(t));
        form_open_add(t, kind, row >= 0 ? t->m->datasets[row].name : NULL, NULL, NULL);
    } else {
        form_open_add(t, kind, NULL, NULL, NULL);
    }
    return TUI_REDRAW;
}

static int
act_add_copy(struct tui *t, const struct key *k)
{
    int32_t row = view_current(t, cur_view(t));
    (void)k;
    form_open_add(t, OBJ_PLACEMENT, row >= 0 ? t->m->datasets[row].name : NULL,
                  showing(t, &map_view) && cur_view(t)->hcol < t->nmap_regions ? "region" : NULL,
                  showing(t, &map_view) && cur_view(t)->hcol < t->nmap_regions && t->nmap_regions
                      ? t->m->regions[t->map_regions[cur_view(t)->hcol]].id : NULL);
    return TUI_REDRAW;
}

static int
act_add_flow(struct tui *t, const struct key *k)
{
    int32_t row = view_current(t, cur_view(t)), p;
    char sel[512];
    (void)k;
    if (row < 0 || (p = model_primary(t->m, row)) < 0) {
        form_open_add(t, OBJ_FLOW, NULL, NULL, NULL);
        return TUI_REDRAW;
    }
    form_open_add(t, OBJ_FLOW, NULL, "from", model_selector(t->m, OBJ_PLACEMENT, p, sel,
                                                            sizeof sel));
    return TUI_REDRAW;
}

static int
act_edit(struct tui *t, const struct key *k)
{
    enum obj_kind kind;
    int32_t id;
    (void)k;
    if (!target_object(t, &kind, &id)) {
        tui_set_message(t, true, "nothing selected to edit");
        return TUI_REDRAW;
    }
    if (kind == OBJ_REGION && t->m->regions[id].builtin) {
        tui_set_message(t, true, "%s is a shipped region (data/regions.json): add your own "
                        "region instead", t->m->regions[id].id);
        return TUI_REDRAW;
    }
    form_open_edit(t, kind, id);
    return TUI_REDRAW;
}

static void
count_dependents(struct tui *t, enum obj_kind kind, int32_t id, char *buf, size_t size)
{
    int copies = 0, flows = 0;

    buf[0] = 0;
    if (kind == OBJ_DATASET) {
        for (int32_t p = t->m->datasets[id].first_placement; p >= 0; p = t->m->placements[p].next)
            copies += !t->m->placements[p].deleted;
        for (int32_t f = id < t->nd ? t->ds_out[id] : SM_NONE; f >= 0; f = t->fl_next_out[f])
            flows++;
        for (int32_t f = id < t->nd ? t->ds_in[id] : SM_NONE; f >= 0; f = t->fl_next_in[f])
            flows++;
        snprintf(buf, size, " with its %d cop%s and %d flow%s", copies, copies == 1 ? "y" : "ies",
                 flows, flows == 1 ? "" : "s");
    } else if (kind == OBJ_PLACEMENT) {
        int32_t ds = t->m->placements[id].dataset;
        for (int32_t f = ds < t->nd ? t->ds_out[ds] : SM_NONE; f >= 0; f = t->fl_next_out[f])
            flows += t->m->flows[f].from == id || t->m->flows[f].to == id;
        for (int32_t f = ds < t->nd ? t->ds_in[ds] : SM_NONE; f >= 0; f = t->fl_next_in[f])
            flows += t->m->flows[f].to == id;
        if (flows)
            snprintf(buf, size, " with its %d flow%s", flows, flows == 1 ? "" : "s");
    }
}

static int
act_delete(struct tui *t, const struct key *k)
{
    enum obj_kind kind;
    int32_t id;
    char sel[512], dep[128];
    struct edit e;
    (void)k;
    if (!target_object(t, &kind, &id)) {
        tui_set_message(t, true, "nothing selected to delete");
        return TUI_REDRAW;
    }
    if (kind == OBJ_REGION && t->m->regions[id].builtin) {
        tui_set_message(t, true, "%s is a shipped region and cannot be deleted",
                        t->m->regions[id].id);
        return TUI_REDRAW;
    }
    model_selector(t->m, kind, id, sel, sizeof sel);
    count_dependents(t, kind, id, dep, sizeof dep);
    dialog_close(t);
    memset(&e, 0, sizeof e);
    e.op = EDIT_REMOVE;
    e.kind = kind;
    e.key = sel;
    t->dialog.mode = DIALOG_CONFIRM;
    snprintf(t->dialog.title, sizeof t->dialog.title, "Delete %s?", obj_kind_names[kind]);
    t->dialog.nchoices = 1;
    snprintf(t->dialog.choice_text[0], sizeof t->dialog.choice_text[0], "Delete %s %s%s?",
             obj_kind_names[kind], sel, dep);
    t->dialog.edits[0] = edit_dup(&e);
    if (!t->dialog.edits[0]) {
        dialog_close(t);
        tui_set_message(t, true, "out of memory");
    }
    return TUI_REDRAW;
}

static int
act_fix(struct tui *t, const struct key *k)
{
    int32_t f = target_finding(t);
    (void)k;
    if (f < 0) {
        tui_set_message(t, true, "select a finding first (view 5)");
        return TUI_REDRAW;
    }
    fix_open(t, f);
    return TUI_REDRAW;
}

static int
act_waive(struct tui *t, const struct key *k)
{
    int32_t f = target_finding(t);
    (void)k;
    if (f < 0) {
        tui_set_message(t, true, "select a finding first (view 5)");
        return TUI_REDRAW;
    }
    if (t->res->findings[f].waived) {
        tui_set_message(t, true, "already waived; edit or delete waiver %s:%s instead",
                        t->res->findings[f].rule, t->res->findings[f].selector);
        return TUI_REDRAW;
    }
    form_open_waive(t, f);
    return TUI_REDRAW;
}

static int
act_leftright(struct tui *t, int d)
{
    struct view *v = cur_view(t);
    if (showing(t, &map_view)) {
        v->hcol += d;
        if (v->hcol >= t->nmap_regions)
            v->hcol = t->nmap_regions - 1;
        if (v->hcol < 0)
            v->hcol = 0;
        return TUI_REDRAW;
    }
    /* A list wider than the screen scrolls its columns (the first one
     * stays); at either end h leaves the pane and l goes into it. */
    if (t->focus == FOCUS_LIST && !v->ops->draw &&
        ((d > 0 && v->hmore) || (d < 0 && v->hscroll > 0))) {
        v->hscroll += d;
        return TUI_REDRAW;
    }
    if (d < 0 && t->focus == FOCUS_DETAIL)
        t->focus = FOCUS_LIST;
    else if (d > 0 && t->focus == FOCUS_LIST && !t->pane_hidden)
        return act_open(t, NULL);
    return TUI_REDRAW;
}

static int
act_zoom(struct tui *t, const struct key *k)
{
    (void)k;
    t->zoom = !t->zoom;
    if (t->zoom && t->focus == FOCUS_DETAIL)
        t->pane_hidden = false;
    tui_set_message(t, false, t->zoom ? (t->focus == FOCUS_DETAIL ? "detail pane zoomed; z again shows both"
                                                                  : "list zoomed; z again shows both")
                                      : "both panes");
    return TUI_REDRAW;
}

static int
act_toggle_pane(struct tui *t, const struct key *k)
{
    (void)k;
    t->pane_hidden = !t->pane_hidden;
    t->zoom = false;
    if (t->pane_hidden)
        t->focus = FOCUS_LIST;
    tui_set_message(t, false, t->pane_hidden ? "detail pane hidden; | shows it" : "detail pane shown");
    return TUI_REDRAW;
}

static int act_left(struct tui *t, const struct key *k) { (void)k; return act_leftright(t, -1); }
static int act_right(struct tui *t, const struct key *k) { (void)k; return act_leftright(t, 1); }

static int
act_command(struct tui *t, const struct key *k)
{
    (void)k;
    if (!t->ops.command) {
        tui_set_message(t, true, "commands are not available here");
        return TUI_REDRAW;
    }
    t->prompt = PROMPT_COMMAND;
    snprintf(t->prompt_label, sizeof t->prompt_label, ":");
    line_set(&t->input, "");
    return TUI_REDRAW;
}

static const struct {
    const char *format;
    const char *label;
    const char *file;
    int view;
    bool focus;
} export_items[] = {
    { "svg",           "Data-flow diagram (SVG), whole model",   "sovmap-diagram.svg", EXPORT_VIEW_FULL, false },
    { "svg",           "Data-flow diagram (SVG) around %s",      "sovmap-%s.svg",      EXPORT_VIEW_FOCUS, true },
    { "svg",           "Region summary diagram (SVG)",           "sovmap-regions.svg", EXPORT_VIEW_REGIONS, false },
    { "map-html",      "Residency map (HTML)",                   "sovmap-map.html",    EXPORT_VIEW_FULL, false },
    { "map-md",        "Residency map (Markdown)",               "sovmap-map.md",      EXPORT_VIEW_FULL, false },
    { "tiers-md",      "Tier-to-region mapping (Markdown)",      "sovmap-tiers.md",    EXPORT_VIEW_FULL, false },
    { "transfers-csv", "Transfer register (CSV)",                "sovmap-transfers.csv", EXPORT_VIEW_FULL, false },
    { "lineage-csv",   "Lineage register (CSV)",                 "sovmap-lineage.csv", EXPORT_VIEW_FULL, false },
    { "model-json",    "Model (model-json, for git)",            "sovmap-model.json",  EXPORT_VIEW_FULL, false },
    /* scenario mode only: what the scenario changes (export --changed-only) */
    { "changes",       "Change diagram (SVG): what the scenario changes", "sovmap-changes.svg", EXPORT_VIEW_FULL, false },
};
#define NEXPORT ((int)(sizeof export_items / sizeof export_items[0]))

static int32_t
focus_dataset(struct tui *t)
{
    enum obj_kind kind;
    int32_t id;

    if (!target_object(t, &kind, &id))
        return SM_NONE;
    if (kind == OBJ_DATASET)
        return id;
    if (kind == OBJ_PLACEMENT)
        return t->m->placements[id].dataset;
    if (kind == OBJ_FLOW)
        return t->m->placements[t->m->flows[id].from].dataset;
    return SM_NONE;
}

static int
act_export(struct tui *t, const struct key *k)
{
    int32_t ds = focus_dataset(t);
    int n = 0;
    (void)k;
    dialog_close(t);
    t->dialog.mode = DIALOG_MENU;
    if (t->scen.on)
        snprintf(t->dialog.title, sizeof t->dialog.title,
                 "Export scenario %.60s (Enter chooses, Esc cancels)", t->scen.name);
    else
        snprintf(t->dialog.title, sizeof t->dialog.title, "Export (Enter chooses, Esc cancels)");
    for (int i = 0; i < NEXPORT && n < DIALOG_MAX_CHOICES; i++) {
        if ((export_items[i].focus && ds < 0) ||
            (strcmp(export_items[i].format, "changes") == 0 && !t->scen.on))
            continue;
        snprintf(t->dialog.choice_text[n], sizeof t->dialog.choice_text[n], export_items[i].label,
                 ds >= 0 ? t->m->datasets[ds].name : "");
        snprintf(t->dialog.choice_arg[n], sizeof t->dialog.choice_arg[n], "%d", i);
        n++;
    }
    t->dialog.nchoices = n;
    t->dialog.choice = 0;
    return TUI_REDRAW;
}

static void run_command(struct tui *t, const char *cmdline);
static void run_argv(struct tui *t, const char *label, int argc, char **argv);

static int scen_diff_pager(struct tui *t);

/* A scenario's effect, through `sovmap scenario diff NAME` (the scenario
 * engine evaluates it on a copy of the model). */
static int
act_diff(struct tui *t, const struct key *k)
{
    enum obj_kind kind;
    int32_t id;
    char label[600];
    char *argv[3];
    (void)k;
    if (t->scen.on)
        return scen_diff_pager(t);
    if (!target_object(t, &kind, &id) || kind != OBJ_SCENARIO) {
        tui_set_message(t, true, "select a scenario first (view 8)");
        return TUI_REDRAW;
    }
    if (!t->ops.command) {
        tui_set_message(t, true, "commands are not available here");
        return TUI_REDRAW;
    }
    snprintf(label, sizeof label, "scenario diff %s", t->m->scenarios[id].name);
    argv[0] = "scenario";
    argv[1] = "diff";
    argv[2] = (char *)t->m->scenarios[id].name;
    run_argv(t, label, 3, argv);
    return TUI_REDRAW;
}

/* The selected tier's tier x region matrix (export tiers in its text form):
 * for each set of subjects its datasets have, per jurisdiction, the regions
 * a copy may live in per role and the copies there now. */
static int
act_tier_matrix(struct tui *t, const struct key *k)
{
    enum obj_kind kind;
    int32_t id;
    struct export_opts o;
    struct sm_error err = { 0 };
    char *buf = NULL, title[300];
    size_t len = 0;
    FILE *f;
    int rc;
    (void)k;
    if (!target_object(t, &kind, &id) || kind != OBJ_TIER) {
        tui_set_message(t, true, "select a tier first (view 4)");
        return TUI_REDRAW;
    }
    if (!t->res || !t->res->rp) {
        tui_set_message(t, true, "not checked yet");
        return TUI_REDRAW;
    }
    export_opts_init(&o);
    o.tier = t->m->tiers[id].name;
    o.juris = t->juris;
    if (!(f = open_memstream(&buf, &len))) {
        tui_set_message(t, true, "out of memory");
        return TUI_REDRAW;
    }
    rc = export_tiers(t->m, t->res, &o, "text", f, &err);
    if (fclose(f) != 0 && rc == SM_OK)
        rc = sm_error_set(&err, SM_ENOMEM, "out of memory");
    if (rc != SM_OK) {
        free(buf);
        tui_set_message(t, true, "%s", err.msg);
        return TUI_REDRAW;
    }
    snprintf(title, sizeof title, "Tier %s x regions", t->m->tiers[id].name);
    pager_open(t, title, buf);
    return TUI_REDRAW;
}

/* ---- scenario mode ---------------------------------------------------------- */

/* "+2 errors −1" (new and resolved live errors against the base). */
static void
scen_delta_text(const struct tui *t, char *buf, size_t size)
{
    const struct scenario_diff *d = t->scen.cs.diff;
    int add = d ? d->count[SDIFF_NEW][SEV_ERROR] : 0;
    int rem = d ? d->count[SDIFF_RESOLVED][SEV_ERROR] : 0;

    snprintf(buf, size, "+%d error%s %s%d", add, add == 1 ? "" : "s", text_sym("−", "-"), rem);
}

/* A current check of the scenario's base that its evaluation can start
 * from (scenario_eval_from: a clone of it takes the ops one by one), or
 * NULL: evaluate through ops.scenario. In the mode it is the base's side of
 * the change set; entering, the catalog's own result. */
static const struct check_result *
scen_base_check(const struct tui *t)
{
    const struct check_result *r;

    if (t->scen.commands ||
        (t->ops.model && t->ops.model(t->ops.ctx) && t->ops.model(t->ops.ctx) != t->scen.base))
        return NULL;
    if (t->scen.on)
        r = t->scen.cs.before && t->scen.cs.before->m == t->scen.base ? t->scen.cs.before->res
                                                                      : NULL;
    else
        r = t->scen.base_res;
    return r && r->rp && !r->custom ? r : NULL;
}

/* Evaluate the scenario from the base and show it; what: the message. */
static int
scen_eval_now(struct tui *t, const char *what)
{
    struct scenario_change_set cs;
    const struct check_result *src = scen_base_check(t);
    struct sm_error err = { 0 };
    char delta[64];

    memset(&cs, 0, sizeof cs);
    if (!src || scenario_change_set_from(t->scen.base, src, t->scen.name, &cs, &err) != SM_OK) {
        /* evaluated in full (also for the message of an op that fails) */
        memset(&cs, 0, sizeof cs);
        memset(&err, 0, sizeof err);
        if (t->ops.scenario(t->ops.ctx, t->scen.base, t->scen.name, &cs, &err) != SM_OK) {
            tui_set_message(t, true, "scenario %s: %s", t->scen.name, err.msg);
            return err.code ? err.code : SM_EINVAL;
        }
    } else if (t->scen.on && t->scen.cs.before && t->scen.cs.before->res == src &&
               !t->scen.cs.before->res_borrowed) {
        /* the base's side borrows src: the old change set owned it, the new
         * one takes it over */
        t->scen.cs.before->res_borrowed = true;
        cs.before->res_borrowed = false;
    }
    if (t->scen.on)
        scenario_change_set_fini(&t->scen.cs);
    t->scen.cs = cs;
    t->scen.on = true;
    t->m = cs.after->m;
    t->res = cs.after->res;
    tui_derive(t);
    scen_delta_text(t, delta, sizeof delta);
    if (what)
        tui_set_message(t, false, "scenario %s: %s %s %s", t->scen.name, what,
                        text_sym("—", "-"), delta);
    return SM_OK;
}

static void
scen_reeval(struct tui *t, const char *what)
{
    if (t->ops.model && t->ops.model(t->ops.ctx))
        t->scen.base = t->ops.model(t->ops.ctx);
    scen_eval_now(t, what);
}

static void
scen_enter(struct tui *t, const char *name)
{
    snprintf(t->scen.name, sizeof t->scen.name, "%s", name);
    t->scen.base = t->m;
    t->scen.base_res = t->res;
    t->scen.added = 0;
    t->scen.commands = false;
    if (scen_eval_now(t, NULL) != SM_OK) {
        t->m = t->scen.base;
        t->res = t->scen.base_res;
        return;
    }
    {
        char delta[64], keys[32];
        scen_delta_text(t, delta, sizeof delta);
        keymap_keys(&t->keys, KEYMAP_GLOBAL, ACT_SCENARIO, keys, sizeof keys);
        tui_set_message(t, false, "scenario %s: %s; edits go into it, d diffs, Esc or %s leaves",
                        t->scen.name, delta, keys);
    }
}

/* Back to the base: the scenario's evaluation goes, the base was never
 * touched (its ops were stored with the scenario). */
static void
scen_leave(struct tui *t)
{
    char name[128];

    if (!t->scen.on)
        return;
    snprintf(name, sizeof name, "%s", t->scen.name);
    dialog_close(t);
    scenario_change_set_fini(&t->scen.cs);
    memset(&t->scen.cs, 0, sizeof t->scen.cs);
    t->scen.on = false;
    t->m = t->scen.base;
    t->res = t->scen.base_res;
    if (t->ops.model && t->ops.model(t->ops.ctx) && t->ops.model(t->ops.ctx) != t->m)
        t->m = t->ops.model(t->ops.ctx);
    if (t->scen.commands) {
        /* A `:` command in the mode ran on the catalog: check it again. */
        recheck(t, NULL);
    } else {
        tui_derive(t);
    }
    t->nhist = 0;
    tui_set_message(t, false, "left scenario %s; back to the catalog", name);
}

static int
act_scenario(struct tui *t, const struct key *k)
{
    enum obj_kind kind;
    int32_t id;
    (void)k;
    if (t->scen.on) {
        scen_leave(t);
        return TUI_REDRAW;
    }
    if (!t->ops.scenario || !t->ops.command) {
        tui_set_message(t, true, "scenario mode is not available here");
        return TUI_REDRAW;
    }
    if (!target_object(t, &kind, &id) || kind != OBJ_SCENARIO) {
        tui_set_message(t, true, "select a scenario first (view 8)");
        return TUI_REDRAW;
    }
    scen_enter(t, t->m->scenarios[id].name);
    return TUI_REDRAW;
}

/* Run `scenario VERB NAME ARGS...` (stored like the CLI's: one transaction
 * and audit entry). SM_OK, or a message and an error. */
static int
scen_store(struct tui *t, const char *verb, int argc, const char *const *args)
{
    char *argv[16], *out = NULL;
    int n = 0, rc;

    if (strcmp(verb, "add") == 0)
        scenario_op_format(argc, args, t->scen.last_op, sizeof t->scen.last_op);

    argv[n++] = "scenario";
    argv[n++] = (char *)verb;
    argv[n++] = t->scen.name;
    for (int i = 0; i < argc && n < 15; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    rc = t->ops.command(t->ops.ctx, n, argv, &out);
    if (rc != 0) {
        char *nl = out ? strchr(out, '\n') : NULL;
        if (nl)
            *nl = 0;
        tui_set_message(t, true, "%s", out && *out ? out : "scenario op refused");
    }
    free(out);
    return rc == 0 ? SM_OK : SM_EINVAL;
}

/* Can the scenario's evaluation take ops one by one (instead of being
 * evaluated again from the base)? */
static bool
scen_incremental(const struct tui *t)
{
    const struct scenario_eval *ev = t->scen.cs.after;

    return t->scen.on && ev && ev->res && ev->res->rp && !ev->stale && !ev->borrowed &&
           t->scen.cs.before &&
           (!t->ops.model || !t->ops.model(t->ops.ctx) ||
            t->ops.model(t->ops.ctx) == t->scen.base);
}

/* Apply a stored op to the scenario's evaluation too (scenario_apply_check:
 * only the datasets it touches are checked again). false: evaluate again. */
static bool
scen_push_op(struct tui *t, int argc, const char *const *argv, struct check_change *keep)
{
    struct check_change chg;
    struct sm_error err = { 0 };
    int rc;

    if (!scen_incremental(t))
        return false;
    rc = scenario_apply_check(t->scen.cs.after, argc, argv, &chg, &err);
    check_change_fini(keep);
    *keep = chg;
    if (rc != SM_OK) {
        /* the evaluation may be half changed: it goes at the re-evaluation */
        t->scen.cs.after->stale = true;
        return false;
    }
    return true;
}

/* What an edit in the mode touches in the scenario's model (before its op
 * runs, and again after): its object, and the datasets flows link that to
 * (a removed copy takes its flows). *obj: the object's id, or SM_NONE. */
static void
scen_touch(struct tui *t, const struct edit *e, struct check_touch *touch, int32_t *obj)
{
    const struct model *m = t->m;
    int32_t n0;

    if (e->op == EDIT_ADD && e->kind == OBJ_PLACEMENT) {
        char *name = strdup(e->key), *at = name ? strchr(name, '@') : NULL;
        if (at)
            *at = 0;
        if (!at || check_touch_selector(touch, m, OBJ_DATASET, name))
            touch->global = true;
        free(name);
    } else if (*obj != SM_NONE || model_find(m, e->kind, e->key, obj, NULL) == SM_OK) {
        if (check_touch_object(touch, m, e->kind, *obj))
            touch->global = true;
    }
    n0 = touch->ndatasets;
    for (int32_t i = 0; i < n0; i++) {
        int32_t d = touch->datasets[i];
        if (d < 0 || d >= t->nd)
            continue;
        for (int pass = 0; pass < 2; pass++)
            for (int32_t f = pass ? t->ds_in[d] : t->ds_out[d]; f != SM_NONE;
                 f = pass ? t->fl_next_in[f] : t->fl_next_out[f])
                if (check_touch_object(touch, m, OBJ_FLOW, f))
                    touch->global = true;
    }
}

/* The scenario's evaluation took the new ops: its diff against the base
 * again, and the message. pre, touch, chg: one op's update, for the
 * derived arrays (pre not on: derive them all). */
static void
scen_refresh(struct tui *t, const char *what, struct derive_pre *pre,
             const struct check_touch *touch, const struct check_change *chg)
{
    struct scenario_diff *d = NULL;
    struct sm_error err = { 0 };
    char delta[64];

    if (scenario_diff(t->scen.cs.before, t->scen.cs.after, t->scen.base, &d, &err) != SM_OK) {
        derive_cancel(t, pre);
        scen_reeval(t, what);
        return;
    }
    scenario_diff_free(t->scen.cs.diff);
    t->scen.cs.diff = d;
    t->m = t->scen.cs.after->m;
    t->res = t->scen.cs.after->res;
    if (pre->on && chg->ngroup >= 0) {
        derive_end(t, pre, touch, chg);
    } else {
        derive_cancel(t, pre);
        tui_derive(t);
    }
    scen_delta_text(t, delta, sizeof delta);
    if (what)
        tui_set_message(t, false, "scenario %s: %s %s %s", t->scen.name, what,
                        text_sym("—", "-"), delta);
}

/* The evaluation of a scenario without ops borrows the base and its check
 * (scenario_change_set_from): before its first op it gets its own copies. */
static void
scen_unshare(struct tui *t)
{
    struct scenario_eval *ev = t->scen.cs.after, *own = NULL;
    struct sm_error err = { 0 };

    if (!t->scen.on || !ev || !ev->borrowed || ev->nops || !ev->res_borrowed ||
        !scen_base_check(t) || ev->res != t->scen.cs.before->res)
        return;
    if (scenario_begin_checked(t->scen.base, ev->res, t->scen.name, &own, &err) != SM_OK)
        return;     /* evaluated again after the op */
    scenario_eval_free(ev);
    t->scen.cs.after = own;
    t->m = own->m;
    t->res = own->res;
    /* the same objects, ids and findings (and strings): the derived arrays
     * stand, the views rebuild their rows on the new model */
    t->gen++;
}

/* An edit as scenario ops: attributes become `set`, removed copies and
 * flows remove-placement / remove-flow, an added copy add-placement. */
static int
scen_apply_edit(struct tui *t, const struct edit *e, const char *what)
{
    const char *argv[5];
    char line[600], ds[512], *at;
    int stored = 0;
    bool pushed = true;
    struct check_touch touch = { 0 };
    struct derive_pre pre = { 0 };
    struct check_change chg = { 0 };
    int32_t obj = SM_NONE;
    bool one;

    scen_unshare(t);
    /* one op (the usual edit): the derived arrays follow it alone */
    one = (e->op != EDIT_SET || e->nattrs == 1) && scen_incremental(t);

    chg.ngroup = -1;
    if (one) {
        scen_touch(t, e, &touch, &obj);
        derive_begin(t, &pre, &touch);
    }
    edit_format(e, line, sizeof line);
    if (e->op == EDIT_SET) {
        for (int i = 0; i < e->nattrs; i++) {
            argv[0] = "set";
            argv[1] = obj_kind_names[e->kind];
            argv[2] = e->key;
            argv[3] = e->attrs[i].name;
            argv[4] = e->attrs[i].value;
            if (scen_store(t, "add", 5, argv) != SM_OK)
                break;
            stored++;
            pushed &= scen_push_op(t, 5, argv, &chg);
        }
    } else if (e->op == EDIT_REMOVE && (e->kind == OBJ_PLACEMENT || e->kind == OBJ_FLOW)) {
        argv[0] = e->kind == OBJ_PLACEMENT ? "remove-placement" : "remove-flow";
        argv[1] = e->key;
        if (scen_store(t, "add", 2, argv) == SM_OK) {
            stored++;
            pushed &= scen_push_op(t, 2, argv, &chg);
        }
    } else if (e->op == EDIT_ADD && e->kind == OBJ_PLACEMENT &&
               snprintf(ds, sizeof ds, "%s", e->key) > 0 && (at = strchr(ds, '@'))) {
        int n = 3;
        *at = 0;
        argv[0] = "add-placement";
        argv[1] = ds;
        argv[2] = at + 1;
        for (int i = 0; i < e->nattrs; i++)
            if (strcmp(e->attrs[i].name, "role") == 0)
                argv[n++] = e->attrs[i].value;
        if (scen_store(t, "add", n, argv) == SM_OK) {
            stored++;
            pushed &= scen_push_op(t, n, argv, &chg);
        }
    } else {
        tui_set_message(t, true, "%s cannot go into scenario %s: its ops set attributes, "
                        "add or remove copies and remove flows (leave with Esc to edit the catalog)",
                        line, t->scen.name);
        derive_cancel(t, &pre);
        check_touch_fini(&touch);
        return SM_EINVAL;
    }
    t->scen.added += stored;
    if (stored == 0) {
        derive_cancel(t, &pre);
        check_touch_fini(&touch);
        check_change_fini(&chg);
        return SM_EINVAL;
    }
    {
        bool failed = t->msg_error;
        char msg[512];
        snprintf(msg, sizeof msg, "%s", t->msg);
        char added[700];
        (void)what;
        if (stored == 1)
            snprintf(added, sizeof added, "+ %s", t->scen.last_op);
        else
            snprintf(added, sizeof added, "+ %d ops (%s)", stored, line);
        /* the ops went into the evaluation one by one; else evaluate anew */
        if (pushed) {
            if (pre.on && stored == 1)
                scen_touch(t, e, &touch, &obj);     /* and after its op */
            else
                derive_cancel(t, &pre);
            scen_refresh(t, added, &pre, &touch, &chg);
        } else {
            derive_cancel(t, &pre);
            scen_reeval(t, added);
        }
        check_touch_fini(&touch);
        check_change_fini(&chg);
        if (failed)
            tui_set_message(t, true, "%s", msg);
        return failed ? SM_EINVAL : SM_OK;
    }
}

/* Undo in the mode removes the scenario's last op (added in this visit). */
/* Does the scenario's evaluation hold exactly the stored ops of its chain
 * (each applied, the last one last)? */
static bool
scen_in_sync(const struct tui *t)
{
    const struct scenario_eval *ev = t->scen.cs.after;
    int32_t ids[64], n, total = 0;
    const struct scenario *last = NULL;

    if (!scen_incremental(t))
        return false;
    n = scenario_chain(t->scen.base, t->scen.name, ids, 64, NULL);
    if (n <= 0 || n > 64)
        return false;
    for (int32_t k = 0; k < n; k++)
        total += (int32_t)t->scen.base->scenarios[ids[k]].nops;
    last = &t->scen.base->scenarios[ids[n - 1]];
    if (total != ev->nops || !last->nops || ev->ops[ev->nops - 1].n != last->ops[last->nops - 1].n)
        return false;
    for (uint32_t i = 0; i < last->ops[last->nops - 1].n; i++)
        if (strcmp(ev->ops[ev->nops - 1].v[i], last->ops[last->nops - 1].v[i]) != 0)
            return false;
    return true;
}

static int
scen_undo(struct tui *t, bool undo)
{
    int32_t id = model_scenario(t->scen.base, t->scen.name);
    char idx[16];
    const char *argv[1];
    bool exact;

    if (!undo) {
        tui_set_message(t, false, "no redo in scenario mode (add the op again)");
        return TUI_REDRAW;
    }
    if (t->scen.added == 0 || id < 0 || t->scen.base->scenarios[id].nops == 0) {
        tui_set_message(t, false, "nothing to undo in scenario %s", t->scen.name);
        return TUI_REDRAW;
    }
    snprintf(idx, sizeof idx, "%u", (unsigned)t->scen.base->scenarios[id].nops);
    argv[0] = idx;
    exact = scen_in_sync(t) && scenario_can_undo(t->scen.cs.after);
    if (scen_store(t, "rm", 1, argv) != SM_OK)
        return TUI_REDRAW;
    t->scen.added--;
    if (exact) {
        /* the evaluation takes its last op back (an exact revert) and
         * re-checks what it touched */
        struct scenario_eval *ev = t->scen.cs.after;
        struct derive_pre pre = { 0 };
        struct check_touch touch = { 0 }, before = { 0 };
        struct check_change chg;
        struct sm_error err = { 0 };
        int rc;
        /* the derived arrays follow what the undo touches */
        if (scenario_undo_touch(ev, &before) == SM_OK)
            derive_begin(t, &pre, &before);
        check_touch_fini(&before);
        rc = scenario_undo_last(ev, &touch, &chg, &err);
        if (rc == SM_OK && ev->stale) {
            check_change_fini(&chg);
            rc = scenario_check(ev, ev->today, &err);
        }
        if (rc == SM_OK) {
            scen_refresh(t, "undone: its last op removed", &pre, &touch, &chg);
            check_touch_fini(&touch);
            check_change_fini(&chg);
            return TUI_REDRAW;
        }
        derive_cancel(t, &pre);
        check_touch_fini(&touch);
        check_change_fini(&chg);
        ev->stale = true;
    }
    /* the base's evaluation stands: only the scenario's is made again,
     * from a copy of the base's check taking the remaining ops one by one */
    if (scen_base_check(t)) {
        struct scenario_eval *ev = NULL;
        struct sm_error err = { 0 };
        if (scenario_eval_from(t->scen.base, t->scen.cs.before->res, t->scen.name, &ev,
                               &err) == SM_OK) {
            struct derive_pre pre = { 0 };
            struct check_touch touch = { 0 };
            struct check_change chg = { 0 };
            chg.ngroup = -1;
            scenario_eval_free(t->scen.cs.after);
            t->scen.cs.after = ev;
            scen_refresh(t, "undone: its last op removed", &pre, &touch, &chg);
            return TUI_REDRAW;
        }
    }
    scen_reeval(t, "undone: its last op removed");
    return TUI_REDRAW;
}

/* One finding as a cell: "E rule selector". */
static void
scen_cell(const struct check_result *r, int32_t i, char *buf, size_t size)
{
    static const char sev[SEV_COUNT] = { 'i', 'W', 'E' };
    const struct finding *f;

    if (!r || i < 0 || i >= r->nfindings) {
        buf[0] = 0;
        return;
    }
    f = &r->findings[i];
    snprintf(buf, size, "%c %s %s", sev[f->severity], f->rule, f->selector);
}

/* The Diff pane: resolved findings (base) beside new ones (scenario),
 * then the copies and flows the scenario changes. */
static int
scen_diff_pager(struct tui *t)
{
    const struct scenario_diff *d = t->scen.cs.diff;
    const struct check_result *rb = t->scen.cs.before ? t->scen.cs.before->res : NULL;
    const struct check_result *ra = t->scen.cs.after ? t->scen.cs.after->res : NULL;
    int col = ((t->w > 0 ? t->w : 80) - 8) / 2 - 2;
    int32_t *nw = NULL, *rs = NULL, nn = 0, nr = 0;
    char *text = NULL, title[200], delta[64];
    size_t len = 0;
    FILE *f;

    if (!d || !(f = open_memstream(&text, &len))) {
        tui_set_message(t, true, "no diff");
        return TUI_REDRAW;
    }
    if (col < 20)
        col = 20;
    nw = calloc((size_t)d->nfindings + 1, sizeof *nw);
    rs = calloc((size_t)d->nfindings + 1, sizeof *rs);
    for (int32_t i = 0; nw && rs && i < d->nfindings; i++) {
        if (d->findings[i].status == SDIFF_NEW)
            nw[nn++] = d->findings[i].after;
        else if (d->findings[i].status == SDIFF_RESOLVED)
            rs[nr++] = d->findings[i].before;
    }
    {
        char h1[64], h2[160];
        snprintf(h1, sizeof h1, "resolved (base, %d)", (int)nr);
        snprintf(h2, sizeof h2, "new (%s, %d)", t->scen.name, (int)nn);
        fprintf(f, "%-*.*s  %s\n", col, col, h1, h2);
    }
    for (int32_t i = 0; i < nn || i < nr; i++) {
        char a[300], b[300];
        size_t fa;
        scen_cell(rb, i < nr ? rs[i] : SM_NONE, a, sizeof a);
        scen_cell(ra, i < nn ? nw[i] : SM_NONE, b, sizeof b);
        fa = text_fit(a, col);
        a[fa] = 0;
        fprintf(f, "%s%*s  %s\n", a, col - text_width(a), "", b);
    }
    if (nn == 0 && nr == 0)
        fputs("(no finding changes)\n", f);
    if (d->nchanges) {
        fprintf(f, "\nchanged objects (%d):\n", (int)d->nchanges);
        for (int32_t i = 0; i < d->nchanges; i++) {
            const struct schange *c = &d->changes[i];
            fprintf(f, "  %-10s %-9s %s", schange_kind_names[c->kind], obj_kind_names[c->obj],
                    c->selector ? c->selector : "");
            if (c->old_selector)
                fprintf(f, " (was %s)", c->old_selector);
            fputc('\n', f);
        }
    }
    free(nw);
    free(rs);
    if (fclose(f) != 0) {
        free(text);
        tui_set_message(t, true, "out of memory");
        return TUI_REDRAW;
    }
    scen_delta_text(t, delta, sizeof delta);
    snprintf(title, sizeof title, "Diff: scenario %s against the catalog (%s)", t->scen.name,
             delta);
    pager_open(t, title, text);
    return TUI_REDRAW;
}

static int act_redraw(struct tui *t, const struct key *k) { (void)t; (void)k; return TUI_FULL_REDRAW; }
static int act_suspend(struct tui *t, const struct key *k) { (void)t; (void)k; return TUI_SUSPEND; }
static int act_none(struct tui *t, const struct key *k) { (void)t; (void)k; return 0; }

static int (*const handlers[ACT_COUNT])(struct tui *, const struct key *) = {
    [ACT_NONE] = act_none,          [ACT_QUIT] = act_quit,
    [ACT_HELP] = act_help,          [ACT_NEXT_VIEW] = act_next_view,
    [ACT_PREV_VIEW] = act_prev_view,
    [ACT_VIEW_1] = act_view_n, [ACT_VIEW_2] = act_view_n, [ACT_VIEW_3] = act_view_n,
    [ACT_VIEW_4] = act_view_n, [ACT_VIEW_5] = act_view_n, [ACT_VIEW_6] = act_view_n,
    [ACT_VIEW_7] = act_view_n, [ACT_VIEW_8] = act_view_n, [ACT_VIEW_9] = act_view_n, [ACT_DIFF] = act_diff,
    [ACT_TIER_MATRIX] = act_tier_matrix,
    [ACT_SCENARIO] = act_scenario,
    [ACT_COMMAND] = act_command,    [ACT_EXPORT] = act_export,
    [ACT_UNDO] = act_undo,          [ACT_REDO] = act_redo,
    [ACT_RELOAD] = act_reload,
    [ACT_BACK] = act_back,          [ACT_REDRAW] = act_redraw,
    [ACT_SUSPEND] = act_suspend,    [ACT_INTERRUPT] = act_interrupt,
    [ACT_MOVE_DOWN] = act_down,     [ACT_MOVE_UP] = act_up,
    [ACT_PAGE_DOWN] = act_pgdn,     [ACT_PAGE_UP] = act_pgup,
    [ACT_TOP] = act_top,            [ACT_BOTTOM] = act_bottom,
    [ACT_SEARCH] = act_search,      [ACT_CLEAR] = act_clear,
    [ACT_SORT] = act_sort,          [ACT_REVERSE] = act_reverse,
    [ACT_OPEN] = act_open,          [ACT_FOLLOW] = act_follow,
    [ACT_ADD] = act_add,            [ACT_ADD_COPY] = act_add_copy,
    [ACT_ADD_FLOW] = act_add_flow,  [ACT_EDIT] = act_edit,
    [ACT_DELETE] = act_delete,      [ACT_FIX] = act_fix,
    [ACT_WAIVE] = act_waive,        [ACT_LEFT] = act_left,
    [ACT_RIGHT] = act_right,        [ACT_SORT_MENU] = act_sort_menu,        [ACT_ZOOM] = act_zoom,
    [ACT_TOGGLE_PANE] = act_toggle_pane,
};

/* ---- prompts: filter, command line, export file name ---------------------- */

static int
split_args(char *s, char **argv, int max)
{
    int n = 0;

    while (*s && n < max - 1) {
        char *out;
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        argv[n++] = out = s;
        while (*s && *s != ' ' && *s != '\t') {
            if (*s == '"' || *s == '\'') {
                char q = *s++;
                while (*s && *s != q)
                    *out++ = *s++;
                if (*s)
                    s++;
            } else {
                *out++ = *s++;
            }
        }
        if (*s)
            s++;
        *out = 0;
    }
    argv[n] = NULL;
    return n;
}

static void
run_command(struct tui *t, const char *cmdline)
{
    char buf[512], *argv[64];
    int argc;

    snprintf(buf, sizeof buf, "%s", cmdline);
    argc = split_args(buf, argv, 64);
    if (argc == 0)
        return;
    if (strcmp(argv[0], "q") == 0 || strcmp(argv[0], "quit") == 0) {
        t->quit = true;
        return;
    }
    if (strcmp(argv[0], "tui") == 0 || strcmp(argv[0], "demo") == 0) {
        tui_set_message(t, true, "%s cannot run inside the TUI; quit and run sovmap %s",
                        argv[0], argv[0]);
        return;
    }
    run_argv(t, cmdline, argc, argv);
}

/* Run a CLI verb given as arguments (names are passed as they are, never
 * re-parsed), re-check, and show its output in the pager. */
static void
run_argv(struct tui *t, const char *label, int argc, char **argv)
{
    char *out = NULL;
    int rc;

    sync_catalog(t, false);     /* the command runs on the catalog as it is */
    rc = t->ops.command(t->ops.ctx, argc, argv, &out);
    if (t->scen.on) {
        /* On the catalog, not the scenario: re-evaluate the scenario now,
         * re-check the catalog when the mode is left. */
        char what[600];
        t->scen.commands = true;
        snprintf(what, sizeof what, ":%s (exit %d)", label, rc);
        scen_reeval(t, what);
        t->msg_error = rc >= 2;
        if (out && *out)
            pager_open(t, label, out);
        else
            free(out);
        return;
    }
    if (t->ops.model && t->ops.model(t->ops.ctx) != t->m) {
        /* The command loaded another model (an import): the undo records
         * name objects of the old one. */
        t->m = t->ops.model(t->ops.ctx);
        clear_stack(t->undo, &t->nundo);
        clear_stack(t->redo, &t->nredo);
        t->nhist = 0;
    }
    /* The command may have changed the catalog: re-check quietly. */
    {
        char what[600];
        snprintf(what, sizeof what, ":%s (exit %d)", label, rc);
        recheck(t, what);
        t->msg_error = rc >= 2;
    }
    if (out && *out)
        pager_open(t, label, out);
    else
        free(out);
}

static int
export_write(struct tui *t, int item, const char *path)
{
    bool changes = strcmp(export_items[item].format, "changes") == 0;
    const struct export_ops *ops = changes ? NULL : export_format(export_items[item].format);
    struct export_opts o;
    struct sm_error err = { 0 };
    struct outfile of;
    FILE *f;
    long size;
    int32_t ds = focus_dataset(t);

    if (changes && !t->scen.on) {
        tui_set_message(t, true, "the change diagram needs scenario mode");
        return SM_EINVAL;
    }
    if (!ops && !changes) {
        tui_set_message(t, true, "export %s is not available in this build",
                        export_items[item].format);
        return SM_ENOTFOUND;
    }
    export_opts_init(&o);
    o.view = export_items[item].view;
    o.today = t->today;
    o.juris = t->juris;
    if (export_items[item].focus) {
        if (ds < 0) {
            tui_set_message(t, true, "select a dataset to draw around");
            return SM_EINVAL;
        }
        o.focus = t->m->datasets[ds].name;
        o.hops = 2;
    }
    /* outfile.h: a regular file is replaced only once complete; a device
     * such as /dev/null is written in place, never replaced */
    if (outfile_open(&of, path, "wb", &err) != SM_OK) {
        tui_set_message(t, true, "%s", err.msg);
        return SM_EIO;
    }
    f = of.f;
    if (changes ? export_changes(&t->scen.cs, &o, "svg", f, NULL, &err) != SM_OK
                : ops->write(t->m, t->res, &o, ops->arg, f, &err) != SM_OK) {
        outfile_close(&of, false, NULL);
        tui_set_message(t, true, "%s", err.msg);
        return err.code ? err.code : SM_EIO;
    }
    size = ftell(f);
    if (outfile_close(&of, true, &err) != SM_OK) {
        tui_set_message(t, true, "%s", err.msg);
        return SM_EIO;
    }
    tui_set_message(t, false, "exported %s to %s (%ld bytes)", export_items[item].format, path,
                    size);
    return SM_OK;
}

static int
prompt_key(struct tui *t, const struct key *k)
{
    enum action a = keymap_lookup(&t->keys, KEYMAP_EDIT, k->code);
    struct view *v = cur_view(t);

    if (t->prompt == PROMPT_FILTER && (k->code == TK_DOWN || k->code == TK_UP)) {
        view_move(t, v, k->code == TK_DOWN ? 1 : -1);
        return TUI_REDRAW;
    }
    if (a == ACT_SUBMIT) {
        enum prompt_mode p = t->prompt;
        t->prompt = PROMPT_NONE;
        if (p == PROMPT_COMMAND)
            run_command(t, t->input.buf);
        else if (p == PROMPT_FILE)
            export_write(t, atoi(t->export_format), t->input.buf);
        else if (p == PROMPT_FILTER)
            tui_set_message(t, false, "%d match%s for \"%s\" (Esc clears)", (int)v->nrows,
                            v->nrows == 1 ? "" : "es", v->filter);
        return TUI_REDRAW | (t->quit ? TUI_QUIT : 0);
    }
    if (a == ACT_CANCEL) {
        if (t->prompt == PROMPT_FILTER) {
            v->filter[0] = 0;
            view_rebuild(t, v);
        }
        t->prompt = PROMPT_NONE;
        return TUI_REDRAW;
    }
    if (!line_key(&t->input, a, k->code))
        return 0;
    if (t->prompt == PROMPT_FILTER) {
        snprintf(v->filter, sizeof v->filter, "%s", t->input.buf);
        view_ensure(t, v);
    }
    return TUI_REDRAW;
}

/* ---- dialogs ---------------------------------------------------------------- */

void
dialog_close(struct tui *t)
{
    for (int i = 0; i < DIALOG_MAX_CHOICES; i++) {
        edit_free(t->dialog.edits[i]);
        t->dialog.edits[i] = NULL;
    }
    free(t->dialog.text);
    t->dialog.text = NULL;
    t->dialog.mode = DIALOG_NONE;
    t->dialog.nchoices = t->dialog.choice = t->dialog.top = 0;
}

static int
dialog_key(struct tui *t, const struct key *k)
{
    struct dialog *d = &t->dialog;
    enum action a = keymap_lookup(&t->keys, KEYMAP_LIST, k->code);

    if (d->mode == DIALOG_PAGER) {
        if (a == ACT_MOVE_DOWN || k->code == TK_WHEEL_DOWN)
            d->top += d->top + 1 < d->nlines ? 1 : 0;
        else if (a == ACT_MOVE_UP || k->code == TK_WHEEL_UP)
            d->top -= d->top > 0;
        else if (a == ACT_PAGE_DOWN)
            d->top = d->top + 10 < d->nlines ? d->top + 10 : d->top;
        else if (a == ACT_PAGE_UP)
            d->top = d->top > 10 ? d->top - 10 : 0;
        else if (k->code == 'q' || k->code == TK_ESC || k->code == TK_ENTER ||
                 k->code == '?' || k->code == TK_CTRL('c') || k->code == TK_BACKSPACE)
            dialog_close(t);
        return TUI_REDRAW;
    }
    if (a == ACT_MOVE_DOWN && d->choice + 1 < d->nchoices)
        d->choice++;
    else if (a == ACT_MOVE_UP && d->choice > 0)
        d->choice--;
    else if (k->code == TK_ESC || k->code == 'n' || k->code == 'q' || k->code == TK_CTRL('c'))
        dialog_close(t);
    else if (k->code == TK_ENTER || k->code == 'y') {
        if (d->mode == DIALOG_MENU && strncmp(d->choice_arg[d->choice], "sort:", 5) == 0) {
            int c = atoi(d->choice_arg[d->choice] + 5);
            dialog_close(t);
            sort_chosen(t, c);
        } else if (d->mode == DIALOG_MENU) {
            int item = atoi(d->choice_arg[d->choice]);
            int32_t ds = focus_dataset(t);
            char file[256];
            snprintf(file, sizeof file, export_items[item].file,
                     ds >= 0 ? t->m->datasets[ds].name : "");
            for (char *p = file; *p; p++)
                if (*p == '/' || (unsigned char)*p < 32)
                    *p = '_';
            snprintf(t->export_format, sizeof t->export_format, "%d", item);
            dialog_close(t);
            t->prompt = PROMPT_FILE;
            snprintf(t->prompt_label, sizeof t->prompt_label, "write %s to: ",
                     export_items[item].format);
            line_set(&t->input, file);
        } else if (d->choice < d->nchoices && d->edits[d->choice]) {
            struct edit *e = d->edits[d->choice];
            char what[300];
            snprintf(what, sizeof what, "%s", d->choice_text[d->choice]);
            d->edits[d->choice] = NULL;
            dialog_close(t);
            tui_apply(t, e, what);
            edit_free(e);
        }
    }
    return TUI_REDRAW;
}

/* ---- mouse ------------------------------------------------------------------ */

static int
mouse_key(struct tui *t, const struct key *k)
{
    struct view *v = cur_view(t);

    if (k->code == TK_WHEEL_DOWN || k->code == TK_WHEEL_UP) {
        int d = k->code == TK_WHEEL_DOWN ? 3 : -3;
        if (t->focus == FOCUS_DETAIL || (k->x >= t->detail_x && k->y >= t->detail_y &&
                                         k->y < t->detail_y + t->detail_h && t->detail_w > 0)) {
            struct detail *dt = current_detail(t);
            dt->top += d;
            if (dt->top > dt->n - 1)
                dt->top = dt->n - 1;
            if (dt->top < 0)
                dt->top = 0;
        } else {
            view_move(t, v, d);
        }
        return TUI_REDRAW;
    }
    if (k->y == 0) {
        for (int i = 0; i < TUI_NVIEWS; i++)
            if (k->x >= t->tabs_x[i] && k->x < t->tabs_x[i + 1]) {
                switch_view(t, i);
                return TUI_REDRAW;
            }
        return 0;
    }
    if (t->detail_w > 0 && k->x >= t->detail_x && k->x < t->detail_x + t->detail_w &&
        k->y >= t->detail_y && k->y < t->detail_y + t->detail_h) {
        struct detail *dt = current_detail(t);
        int line = dt->top + (k->y - t->detail_y - 1);
        t->focus = FOCUS_DETAIL;
        if (line >= 0 && line < dt->n && dt->line[line].ref != REF_NONE) {
            dt->sel = line;
            if (k->code == TK_DCLICK)
                return act_follow(t, k);
        }
        return TUI_REDRAW;
    }
    if (k->y >= v->list_y && k->y < v->list_y + v->page) {
        int32_t i = v->top + (k->y - v->list_y);
        if (i < v->ndisp && v->disp[i] >= 0) {
            v->sel = i;
            t->focus = FOCUS_LIST;
            if (showing(t, &map_view) && k->x >= 22)
                v->hcol = v->hleft + (k->x - 22) / (v->cellw > 0 ? v->cellw : 6);
            if (k->code == TK_DCLICK)
                return act_open(t, k);
        }
        return TUI_REDRAW;
    }
    return 0;
}

/* ---- keys --------------------------------------------------------------------- */

int
tui_key(struct tui *t, const struct key *k)
{
    enum action a = ACT_NONE;
    struct view *v = cur_view(t);
    int r;

    if (k->code == TK_RESIZE)
        return TUI_REDRAW;
    if (t->too_small && k->code != 'q' && k->code != TK_CTRL('c'))
        return 0;
    /* Suspend works from a form, prompt or dialog too (what was typed is
     * kept for `fg`), unless the user bound the key to something there. */
    if ((t->prompt != PROMPT_NONE || t->dialog.mode != DIALOG_NONE || t->form.open) &&
        keymap_lookup(&t->keys, KEYMAP_GLOBAL, k->code) == ACT_SUSPEND &&
        keymap_lookup(&t->keys, KEYMAP_FORM, k->code) == ACT_NONE &&
        keymap_lookup(&t->keys, KEYMAP_EDIT, k->code) == ACT_NONE)
        return TUI_SUSPEND;
    if (t->prompt != PROMPT_NONE)
        return prompt_key(t, k);
    if (t->dialog.mode != DIALOG_NONE)
        return dialog_key(t, k);
    if (t->form.open)
        return form_key(t, k);
    /* every key sees the catalog as it is now (one PRAGMA when unchanged) */
    sync_catalog(t, false);
    v = cur_view(t);
    if (k->code == TK_CLICK || k->code == TK_DCLICK || k->code == TK_WHEEL_UP ||
        k->code == TK_WHEEL_DOWN)
        return mouse_key(t, k);
    if (t->focus == FOCUS_DETAIL)
        a = keymap_lookup(&t->keys, KEYMAP_DETAIL, k->code);
    if (a == ACT_NONE && v->ops->keymap != KEYMAP_LIST)
        a = keymap_lookup(&t->keys, v->ops->keymap, k->code);
    if (a == ACT_NONE && t->focus == FOCUS_LIST)
        a = keymap_lookup(&t->keys, KEYMAP_LIST, k->code);
    if (a == ACT_NONE)
        a = keymap_lookup(&t->keys, KEYMAP_GLOBAL, k->code);
    if (a >= ACT_VIEW_1 && a <= ACT_VIEW_9)
        return act_view(t, a);
    r = handlers[a] ? handlers[a](t, k) : 0;
    if (t->quit)
        r |= TUI_QUIT;
    return r;
}

int
tui_feed(struct tui *t, const char *script, struct sm_error *err)
{
    struct key k = { 0, 0, 0 };
    int n;

    while (!t->quit && (n = key_next(script, &k.code)) != 0) {
        if (n < 0)
            return sm_error_set(err, SM_EINVAL, "unknown key in script at \"%.20s\"", script);
        tui_key(t, &k);
        script += n;
    }
    return SM_OK;
}

/* ---- drawing ------------------------------------------------------------------ */

static void
draw_tabs(struct tui *t, struct screen *s)
{
    int x = 0;
    char buf[64];

    screen_fill(s, 0, 0, s->w, STYLE_TAB);
    if (s->w >= 100)
        x += screen_put(s, 0, 0, s->w, STYLE_TITLE, " sovmap ");
    {
        /* Padded tabs when they fit, else compact ones, else the others
         * cut to their first three letters. */
        int need = x;
        bool cut;
        for (int i = 0; i < TUI_NVIEWS; i++)
            need += text_width(tui_views[i]->title) + 4;
        cut = need - TUI_NVIEWS > s->w;
        for (int i = 0; i < TUI_NVIEWS; i++) {
            if (need <= s->w)
                snprintf(buf, sizeof buf, " %d %s ", i + 1, tui_views[i]->title);
            else if (cut && i != t->cur)
                snprintf(buf, sizeof buf, "%d %.3s", i + 1, tui_views[i]->title);
            else
                snprintf(buf, sizeof buf, "%d %s", i + 1, tui_views[i]->title);
            t->tabs_x[i] = x;
            x += screen_put(s, x, 0, s->w - x, i == t->cur ? STYLE_TAB_ACTIVE : STYLE_TAB, buf);
            if (need > s->w)
                x++;
        }
    }
    t->tabs_x[TUI_NVIEWS] = x;
    if (t->catalog[0] && x + 4 < s->w) {
        int cw = text_width(t->catalog);
        int room = s->w - x - 2;
        if (cw > room)
            cw = room;
        screen_put(s, s->w - cw - 1, 0, cw, STYLE_TAB, t->catalog);
    }
}

/* Bytes of p on the first line when wrapped to avail columns: after the
 * last blank that fits, else after the last separator inside a token
 * (',' ';' '@' '/' "->"), never inside a word such as a region id
 * (aws:eu-central-1) unless the word alone is wider than the line. */
static size_t
wrap_len(const char *p, int avail)
{
    size_t n = text_fit(p, avail), b;

    if (n == 0 && *p)
        return 1;
    if (!p[n])
        return n;
    if (p[n] == ' ')
        return n + 1;           /* the blank ends the line (drawn as nothing) */
    for (b = n; b > 0 && p[b - 1] != ' '; b--)
        ;
    if (b > 0)
        return b;
    for (b = n; b > 0; b--)
        if (strchr(",;@/", p[b - 1]) || (p[b - 1] == '>' && b > 1 && p[b - 2] == '-'))
            return b;
    return n;
}

/* Lines a detail line takes when wrapped to w columns. */
static int
wrapped_rows(const struct detail_line *l, int w, int labelw)
{
    int avail = w - (l->label[0] ? labelw : 0), rows = 0;
    const char *p = l->text;

    if (avail < 8)
        avail = 8;
    do {
        p += wrap_len(p, avail);
        rows++;
    } while (*p);
    return rows;
}

static void
draw_detail(struct tui *t, struct screen *s, int x, int y, int w, int h)
{
    struct detail *d = current_detail(t);
    const int labelw = 15;
    int yy = y + 1, rows = 0;

    t->detail_x = x;
    t->detail_y = y;
    t->detail_w = w;
    t->detail_h = h;
    screen_fill(s, x, y, w, STYLE_BORDER);
    screen_put(s, x, y, w, STYLE_SECTION, d->title ? d->title : "(nothing selected)");
    /* Keep the selected reference in sight. */
    if (t->focus == FOCUS_DETAIL && d->sel >= 0) {
        if (d->sel < d->top)
            d->top = d->sel;
        for (;;) {
            rows = 0;
            for (int i = d->top; i <= d->sel && i < d->n; i++)
                rows += wrapped_rows(&d->line[i], w, labelw);
            if (rows <= h - 1 || d->top >= d->sel)
                break;
            d->top++;
        }
    }
    for (int i = d->top; i < d->n && yy < y + h; i++) {
        const struct detail_line *l = &d->line[i];
        bool sel = t->focus == FOCUS_DETAIL && i == d->sel;
        int tx = x, style = sel ? STYLE_SELECTED : l->style;
        const char *p = l->text;
        int avail;

        if (l->label[0]) {
            screen_field(s, x, yy, labelw - 1, STYLE_LABEL, l->label, false);
            tx = x + labelw;
        }
        avail = x + w - tx;
        if (avail < 8)
            avail = 8;
        do {
            size_t n = wrap_len(p, avail), m = n;
            if (sel)
                screen_fill(s, tx, yy, avail, STYLE_SELECTED);
            while (m > 0 && p[m - 1] == ' ' && p[m])
                m--;
            screen_putn(s, tx, yy, avail, style, p, m);
            p += n;
            yy++;
        } while (*p && yy < y + h);
    }
    if (d->n == 0 && view_current(t, cur_view(t)) < 0)
        screen_put(s, x, y + 1, w, STYLE_DIM, "select a row to see its details");
}

/* Scenario mode: one line under the tabs, "scenario NAME  +2 errors −1". */
static void
draw_banner(struct tui *t, struct screen *s, int y)
{
    char buf[300], delta[64], keys[32], dk[32];
    int x;

    scen_delta_text(t, delta, sizeof delta);
    screen_fill(s, 0, y, s->w, STYLE_STATUS);
    snprintf(buf, sizeof buf, " scenario %s ", t->scen.name);
    x = screen_put(s, 0, y, s->w / 2, STYLE_TAB_ACTIVE, buf);
    snprintf(buf, sizeof buf, " %s ", delta);
    x += screen_put(s, x, y, s->w - x, t->scen.cs.diff &&
                    t->scen.cs.diff->count[SDIFF_NEW][SEV_ERROR] ?
                    STYLE_STATUS_ERROR : STYLE_STATUS_OK, buf);
    keymap_keys(&t->keys, KEYMAP_GLOBAL, ACT_SCENARIO, keys, sizeof keys);
    keymap_keys(&t->keys, KEYMAP_GLOBAL, ACT_DIFF, dk, sizeof dk);
    snprintf(buf, sizeof buf, " edits go into the scenario, the catalog stays; %s diff, Esc or %s leaves",
             dk, keys);
    screen_put(s, x, y, s->w - x, STYLE_STATUS, buf);
}

static void
draw_status(struct tui *t, struct screen *s)
{
    int y = s->h - 2, x = 0, e, w, wv;
    struct view *v = cur_view(t);
    char buf[512];

    tui_counts(t, &e, &w, &wv);
    screen_fill(s, 0, y, s->w, STYLE_STATUS);
    if (t->res) {
        snprintf(buf, sizeof buf, " %d error%s, %d warning%s, %d waived ", e, e == 1 ? "" : "s",
                 w, w == 1 ? "" : "s", wv);
        x += screen_put(s, x, y, s->w - x, e ? STYLE_STATUS_ERROR : STYLE_STATUS_OK, buf);
        if (t->res->stats.expired_waivers) {
            snprintf(buf, sizeof buf, " %d expired waiver%s ", t->res->stats.expired_waivers,
                     t->res->stats.expired_waivers == 1 ? "" : "s");
            x += screen_put(s, x, y, s->w - x, STYLE_STATUS_ERROR, buf);
        }
    } else {
        x += screen_put(s, x, y, s->w, STYLE_STATUS, t->unchecked ? text_sym(" checking… ", " checking... ") : " not checked ");
    }
    {
        int32_t total = v->partial ? v->ops->count(t) : v->nrows, pos = v->sel + 1;
        /* Group headers are not rows; without groups this is O(1). */
        if (view_grouped(v, v->sort))
            for (int32_t i = 0; i <= v->sel && i < v->ndisp; i++)
                pos -= v->disp[i] < 0;
        if (total == 0)
            pos = 0;
        snprintf(buf, sizeof buf, " %s %d/%d%s%s%s%s ", v->ops->title, (int)pos, (int)total,
                 v->filter[0] ? ", filter \"" : "", v->filter, v->filter[0] ? "\"" : "",
                 t->nundo ? ", u undoes" : "");
    }
    {
        int bw = text_width(buf);
        if (bw > s->w - x)
            bw = s->w - x;
        screen_put(s, s->w - bw, y, bw, STYLE_STATUS, buf);
    }
}

static void
draw_bottom(struct tui *t, struct screen *s)
{
    int y = s->h - 1;
    static const enum action hints[] = {
        ACT_HELP, ACT_NEXT_VIEW, ACT_SEARCH, ACT_OPEN, ACT_ADD, ACT_EDIT, ACT_DELETE, ACT_UNDO,
        ACT_EXPORT, ACT_QUIT,
    };
    static const char *const hint_words[] = {
        "help", "views", "filter", "details", "add", "edit", "delete", "undo", "export", "quit",
    };

    screen_fill(s, 0, y, s->w, STYLE_DEFAULT);
    if (t->prompt != PROMPT_NONE) {
        int x = screen_put(s, 0, y, s->w, STYLE_PROMPT, t->prompt_label);
        char pre[512];
        screen_put(s, x, y, s->w - x - 1, STYLE_DEFAULT, t->input.buf);
        snprintf(pre, sizeof pre, "%.*s", t->input.cur, t->input.buf);
        s->cursor = true;
        s->cur_x = x + text_width(pre);
        if (s->cur_x >= s->w)
            s->cur_x = s->w - 1;
        s->cur_y = y;
        return;
    }
    if (t->msg[0]) {
        screen_put(s, 0, y, s->w, t->msg_error ? STYLE_MESSAGE_ERROR : STYLE_MESSAGE, t->msg);
        return;
    }
    {
        int x = 0;
        char keys[64];
        for (size_t i = 0; i < sizeof hints / sizeof hints[0] && x < s->w; i++) {
            enum keymap_id m = hints[i] == ACT_OPEN || hints[i] == ACT_ADD ||
                               hints[i] == ACT_EDIT || hints[i] == ACT_DELETE ||
                               hints[i] == ACT_SEARCH ? KEYMAP_LIST : KEYMAP_GLOBAL;
            keymap_keys(&t->keys, m, hints[i], keys, sizeof keys);
            if (strchr(keys, ' '))
                *strchr(keys, ' ') = 0;
            x += screen_put(s, x, y, s->w - x, STYLE_KEY, keys);
            x += screen_put(s, x + 1, y, s->w - x - 1, STYLE_DIM, hint_words[i]) + 3;
        }
    }
}

static void
draw_box(struct screen *s, int x, int y, int w, int h, const char *title)
{
    for (int i = 0; i < h; i++)
        screen_fill(s, x, y + i, w, STYLE_DIALOG);
    screen_fill(s, x, y, w, STYLE_DIALOG_TITLE);
    screen_put(s, x + 1, y, w - 2, STYLE_DIALOG_TITLE, title);
}

/* Draw text (lines split at blanks to fit w) from (x, y), at most maxrows
 * rows; with s NULL only count. Returns the rows used. */
static int
wrap_text(struct screen *s, int x, int y, int w, int maxrows, const char *text)
{
    int rows = 0;
    const char *p = text;

    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char line[1024];
        const char *q = line;

        snprintf(line, sizeof line, "%.*s", (int)len, p);
        do {
            size_t n = text_fit(q, w);
            if (n == 0 && *q)
                n = 1;
            if (q[n]) {
                size_t b = n;
                while (b > 0 && q[b - 1] != ' ')
                    b--;
                if (b > 0)
                    n = b;
            }
            if (s && rows < maxrows)
                screen_putn(s, x, y + rows, w, STYLE_DIALOG, q, n);
            rows++;
            q += n;
        } while (*q);
        p += len + (nl ? 1 : 0);
    }
    return rows;
}

static void
draw_dialog(struct tui *t, struct screen *s)
{
    struct dialog *d = &t->dialog;
    int w = s->w - 8 > 100 ? 100 : s->w - 8, h, x, y;

    if (d->mode == DIALOG_PAGER) {
        const char *p = d->text ? d->text : "";
        int line = 0, yy;
        w = s->w - 4;
        h = s->h - 4;
        x = 2;
        y = 2;
        draw_box(s, x, y, w, h, d->title);
        yy = y + 1;
        while (*p && yy < y + h - 1) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            if (line >= d->top)
                screen_putn(s, x + 2, yy++, w - 4, STYLE_DIALOG, p, n);
            line++;
            p += n + (nl ? 1 : 0);
        }
        {
            char buf[64];
            snprintf(buf, sizeof buf, " %d/%d  j/k scroll, q closes ",
                     d->top + 1, d->nlines);
            screen_put(s, x + w - text_width(buf) - 1, y + h - 1, w, STYLE_DIM, buf);
        }
        return;
    }
    h = d->nchoices + 4 + (d->text ? wrap_text(NULL, 0, 0, w - 4, 0, d->text) : 0);
    if (h > s->h)
        h = s->h;
    x = (s->w - w) / 2;
    y = (s->h - h) / 2;
    draw_box(s, x, y, w, h, d->title);
    {
        int yy = y + 2;
        if (d->text)
            yy += wrap_text(s, x + 2, yy, w - 4, y + h - 2 - d->nchoices - yy, d->text);
        for (int i = 0; i < d->nchoices; i++) {
            int st = d->mode != DIALOG_CONFIRM && i == d->choice ? STYLE_SELECTED : STYLE_DIALOG;
            char buf[220];
            snprintf(buf, sizeof buf, "%s%s", d->mode == DIALOG_CONFIRM ? "" :
                     (i == d->choice ? "> " : "  "), d->choice_text[i]);
            screen_fill(s, x + 1, yy, w - 2, st);
            screen_put(s, x + 2, yy++, w - 4, st, buf);
        }
        screen_put(s, x + 2, y + h - 1, w - 4, STYLE_DIM,
                   d->mode == DIALOG_CONFIRM ? "y or Enter: yes, n or Esc: no"
                   : d->mode == DIALOG_FIX ? "j/k choose, Enter applies (saved; u undoes), Esc cancels"
                   : "j/k choose, Enter picks, Esc cancels");
    }
}

void
tui_draw(struct tui *t, struct screen *s)
{
    struct view *v = cur_view(t);
    int body_y = 1, body_h = s->h - 3;

    t->w = s->w;
    t->h = s->h;
    screen_clear(s, STYLE_DEFAULT);
    t->too_small = s->w < TUI_MIN_W || s->h < TUI_MIN_H;
    if (t->too_small) {
        char buf[128];
        int y = s->h / 2 - 1;
        snprintf(buf, sizeof buf, "terminal too small: %dx%d", s->w, s->h);
        screen_put(s, (s->w - text_width(buf)) / 2 > 0 ? (s->w - text_width(buf)) / 2 : 0,
                   y, s->w, STYLE_MESSAGE_ERROR, buf);
        snprintf(buf, sizeof buf, "sovmap needs %dx%d; q quits", TUI_MIN_W, TUI_MIN_H);
        screen_put(s, (s->w - text_width(buf)) / 2 > 0 ? (s->w - text_width(buf)) / 2 : 0,
                   y + 1, s->w, STYLE_DEFAULT, buf);
        return;
    }
    view_ensure(t, v);
    draw_tabs(t, s);
    if (t->scen.on) {
        draw_banner(t, s, 1);
        body_y = 2;
        body_h = s->h - 4;
    }
    t->detail_w = 0;
    if ((t->zoom && t->focus == FOCUS_LIST) || t->pane_hidden) {
        if (v->ops->draw)
            v->ops->draw(t, v, s, 0, body_y, s->w, body_h);
        else
            view_draw_list(t, v, s, 0, body_y, s->w, body_h);
    } else if (t->zoom) {
        draw_detail(t, s, 0, body_y, s->w, body_h);
    } else if (s->w >= 120 && (s->w >= 180 ||
                                view_list_need(t, v, body_h - 1) <= s->w - s->w / 3 - 1)) {
        /* The pane on the right, unless the list then cuts what it
         * shows whole at full width (Flows at 120 columns): below. */
        int dw = s->w / 3;
        int lw = s->w - dw - 1;
        if (v->ops->draw)
            v->ops->draw(t, v, s, 0, body_y, lw, body_h);
        else
            view_draw_list(t, v, s, 0, body_y, lw, body_h);
        for (int i = 0; i < body_h; i++)
            screen_put(s, lw, body_y + i, 1, STYLE_BORDER, text_sym("│", "|"));
        draw_detail(t, s, lw + 1, body_y, dw, body_h);
    } else {
        int dh = body_h * 2 / 5;
        int lh = body_h - dh;
        if (v->ops->draw)
            v->ops->draw(t, v, s, 0, body_y, s->w, lh);
        else
            view_draw_list(t, v, s, 0, body_y, s->w, lh);
        draw_detail(t, s, 0, body_y + lh, s->w, dh);
        for (int x = text_width(t->detail.title ? t->detail.title : "(nothing selected)") + 1;
             x < s->w; x++)
            screen_put(s, x, body_y + lh, 1, STYLE_BORDER, text_sym("─", "-"));
    }
    draw_status(t, s);
    draw_bottom(t, s);
    if (t->form.open)
        form_draw(t, s);
    if (t->dialog.mode != DIALOG_NONE)
        draw_dialog(t, s);
}

/* ---- life cycle ----------------------------------------------------------------- */

struct tui *
tui_new(struct model *m, const struct tui_ops *ops, const struct tui_options *o,
        struct sm_error *err)
{
    struct tui *t = calloc(1, sizeof *t);

    if (!t) {
        sm_error_set(err, SM_ENOMEM, "out of memory");
        return NULL;
    }
    t->m = m;
    t->ops = *ops;
    if (o && o->keys)
        t->keys = *o->keys;
    else
        keymap_init(&t->keys);
    snprintf(t->catalog, sizeof t->catalog, "%s", o && o->catalog ? o->catalog : "");
    snprintf(t->user, sizeof t->user, "%s", o && o->user ? o->user : "");
    t->today = o ? o->today : 0;
    t->juris = o ? o->juris : NULL;
    t->rule_texts = o ? o->rule_texts : NULL;
    t->detail.view = NULL;
    for (int i = 0; i < TUI_NVIEWS; i++) {
        t->views[i].ops = tui_views[i];
        t->views[i].sort = tui_views[i]->default_sort;
    }
    if (o && o->defer_check && ops->check) {
        t->unchecked = true;
        tui_derive(t);
    } else {
        recheck(t, NULL);
    }
    if (t->msg_error && t->msg[0])
        sm_error_set(err, SM_OK, "%s", t->msg);
    else if (o && o->message)
        tui_set_message(t, false, "%s", o->message);
    switch_view(t, 0);
    return t;
}

void
tui_free(struct tui *t)
{
    if (!t)
        return;
    dialog_close(t);
    form_close(t);
    if (t->scen.on) {
        scenario_change_set_fini(&t->scen.cs);
        t->res = t->scen.base_res;
    }
    clear_stack(t->undo, &t->nundo);
    clear_stack(t->redo, &t->nredo);
    if (t->res && t->ops.check_free)
        t->ops.check_free(t->ops.ctx, t->res);
    detail_clear(&t->detail);
    for (int i = 0; i < TUI_NVIEWS; i++) {
        if (t->views[i].ops && t->views[i].ops->fini)
            t->views[i].ops->fini(&t->views[i]);
        free(t->views[i].rows);
        free(t->views[i].disp);
        free(t->views[i].order);
        free(t->views[i].pairs);
        free(t->views[i].match);
    }
    free(t->ds_out);
    free(t->ds_in);
    free(t->fl_next_out);
    free(t->fl_next_in);
    free(t->ds_copies);
    free(t->ds_home);
    free(t->ds_nfind);
    free(t->ds_worst);
    free(t->pl_worst);
    free(t->pl_waived);
    free(t->fl_worst);
    free(t->fl_waived);
    free(t->rg_copies);
    free(t->tier_count);
    free(t->map_regions);
    free(t);
}
