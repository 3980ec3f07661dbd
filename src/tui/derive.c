/*
 * derive.c - the TUI's derived per-object facts (copies, homes, worst
 * finding, flow lists), rebuilt after a check or brought up to date for
 * what an edit touched, and the re-check with its "what changed" message.
 * Draws nothing; no curses.
 */
#include "app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

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

/* The map's regions: those holding a copy, in the map's order; the
 * derived facts changed (gen). */
static void
map_regions(struct tui *t, const struct model *m)
{
    t->nmap_regions = 0;
    for (int32_t r = 0; r < t->nr; r++)
        if (t->rg_copies[r] > 0)
            t->map_regions[t->nmap_regions++] = r;
    sort_model = m;
    qsort(t->map_regions, (size_t)t->nmap_regions, sizeof *t->map_regions, cmp_regions);
    t->gen++;
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
    map_regions(t, m);
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

void
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
void
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
void
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
    map_regions(t, m);
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

/* Append fmt to the heap text *s (left as it was when out of memory). */
static void __attribute__((format(printf, 2, 3)))
append(char **s, const char *fmt, ...)
{
    va_list ap;
    char *more, *cat;

    va_start(ap, fmt);
    more = sm_vstrdupf(fmt, ap);
    va_end(ap);
    if (more && (cat = sm_strdupf("%s%s", *s ? *s : "", more)) != NULL) {
        free(*s);
        *s = cat;
    }
    free(more);
}

static void
plural(char **buf, int n, const char *sign, int sev)
{
    static const char *const one[SEV_COUNT] = { "info", "warning", "error" };
    static const char *const many[SEV_COUNT] = { "infos", "warnings", "errors" };
    if (n == 0)
        return;
    append(buf, "%s%s%d %s", *buf && **buf ? ", " : "", sign, n, n == 1 ? one[sev] : many[sev]);
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

/* f's key, "RULE SELECTOR", in the arena; NULL when out of memory. */
static char *
fkey(struct sm_arena *ar, const struct finding *f)
{
    size_t n1 = strlen(f->rule), n2 = strlen(f->selector);
    char *key = sm_arena_alloc(ar, n1 + n2 + 2);

    if (key) {
        memcpy(key, f->rule, n1);
        key[n1] = ' ';
        memcpy(key + n1 + 1, f->selector, n2 + 1);
    }
    return key;
}

/* The live findings of s whose key other lacks: counted by severity into
 * count, the first in *first; how many, or -1 when out of memory. Keys
 * are made in a scratch arena emptied as it goes. */
static int32_t
fset_missing(const struct fset *s, const struct sm_map *other, int count[SEV_COUNT],
             const struct finding **first)
{
    struct sm_arena ar;
    int32_t n = 0;
    char *key;

    sm_arena_init(&ar);
    for (int32_t i = 0; i < s->n; i++) {
        const struct finding *f = fset_at(s, i);
        if (f->waived)
            continue;
        if (ar.total > (1 << 20)) {
            sm_arena_fini(&ar);
            sm_arena_init(&ar);
        }
        if (!(key = fkey(&ar, f))) {
            n = -1;
            break;
        }
        if (sm_map_get(other, key) == SM_NONE) {
            count[f->severity]++;
            if (!*first)
                *first = f;
            n++;
        }
    }
    sm_arena_fini(&ar);
    return n;
}

/* Live findings added and removed between two sets, as one line (heap;
 * NULL when out of memory). */
static char *
diff_sets(const struct fset *a, const struct fset *b)
{
    struct sm_arena ar;
    struct sm_map ma, mb;
    int added[SEV_COUNT] = { 0 }, removed[SEV_COUNT] = { 0 };
    int32_t nadd = -1, nrem = -1;
    const struct finding *first_add = NULL, *first_rem = NULL;
    char *buf = NULL;

    sm_arena_init(&ar);
    sm_map_init(&ma);
    sm_map_init(&mb);
    for (int pass = 0; pass < 2; pass++) {
        const struct fset *r = pass ? b : a;
        struct sm_map *mp = pass ? &mb : &ma;
        for (int32_t i = 0; i < r->n; i++) {
            const struct finding *f = fset_at(r, i);
            char *key;
            if (f->waived)
                continue;
            if (!(key = fkey(&ar, f)) || sm_map_put(mp, key, i) != SM_OK)
                goto out;
        }
    }
    if ((nadd = fset_missing(b, &ma, added, &first_add)) < 0 ||
        (nrem = fset_missing(a, &mb, removed, &first_rem)) < 0)
        goto out;
    buf = strdup("");
    for (int s = SEV_COUNT - 1; s >= 0; s--)
        plural(&buf, added[s], "+", s);
    if (nadd >= 1)
        append(&buf, ": %s %s%s", first_add->rule, first_add->selector, nadd > 1 ? " ..." : "");
    for (int s = SEV_COUNT - 1; s >= 0; s--)
        plural(&buf, removed[s], "-", s);
    if (nrem >= 1)
        append(&buf, ": %s %s%s", first_rem->rule, first_rem->selector, nrem > 1 ? " ..." : "");
    if (buf && nadd == 0 && nrem == 0) {
        free(buf);
        buf = strdup("findings unchanged");
    }
out:
    sm_map_fini(&ma);
    sm_map_fini(&mb);
    sm_arena_fini(&ar);
    return buf;
}

/* Live findings added and removed between two results, as one line (heap). */
static char *
diff_results(const struct check_result *a, const struct check_result *b)
{
    struct fset sa = { a ? a->findings : NULL, NULL, a ? a->nfindings : 0 };
    struct fset sb = { b ? b->findings : NULL, NULL, b ? b->nfindings : 0 };

    return diff_sets(&sa, &sb);
}

/* Give back the per-object arrays tui_derive makes whole again (each is
 * set for every object there): before a full check, so that they and the
 * check's own peak are not held at once (~33 MB at a million datasets). */
static void
derive_release(struct tui *t)
{
    int32_t **i32[] = { &t->ds_copies, &t->ds_home, &t->ds_nfind, &t->ds_out, &t->ds_in,
                        &t->fl_next_out, &t->fl_next_in };
    int8_t **i8[] = { &t->ds_worst, &t->pl_worst, &t->fl_worst };
    uint8_t **u8[] = { &t->pl_waived, &t->fl_waived };

    for (size_t k = 0; k < sizeof i32 / sizeof *i32; k++) {
        free(*i32[k]);
        *i32[k] = NULL;
    }
    for (size_t k = 0; k < sizeof i8 / sizeof *i8; k++) {
        free(*i8[k]);
        *i8[k] = NULL;
    }
    for (size_t k = 0; k < sizeof u8 / sizeof *u8; k++) {
        free(*u8[k]);
        *u8[k] = NULL;
    }
    /* nothing is read through them until tui_derive sets these again */
    t->nd = t->np = t->nf = 0;
}

/* After a full check, the free pages inside the heaps go back to the
 * system before the derived arrays and filter texts are made again: the
 * check's scratch (its worker thread's above all) and the old result leave
 * ~10 MB of free chunks between blocks still in use at a million datasets,
 * which glibc keeps (it trims only a heap's top), and which the arrays made
 * next, of other sizes, would not all reuse (issue #21: the TUI at 1M held
 * 615 MiB after a full re-check, 605 with this). A few ms; elsewhere nothing. */
static void
heap_give_back(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

/* Re-run the checker; what: the edit, for the message (NULL: no message). */

void
recheck(struct tui *t, const char *what)
{
    struct check_result *r = NULL;
    SM_ERROR(err);
    char *diff;

    if (t->scen.on) {
        /* The scenario's model and findings come from its evaluation. */
        scen_reeval(t, what);
        return;
    }
    if (t->ops.check) {
        /* The message's diff reads the old findings alone: the old
         * result's register, lineage facts and update state go before
         * the check runs, so two whole results are never held at once
         * (at a million datasets ~110 MB; doc/performance.md), and so do
         * the derived arrays and the filter texts, made again after it. */
        unsigned texts;
        if (t->res)
            check_result_shed(t->res);
        derive_release(t);
        texts = views_texts_drop(t);
        /* after a dataset was added or removed the names' order is ranked
         * once and kept for the next full checks (out of memory: the check
         * ranks them itself, as before) */
        (void)check_keep_name_rank(t->m);
        if (t->ops.check(t->ops.ctx, t->m, &r, &err) != SM_OK) {
            tui_set_alert(t, "%s; check failed: %s", what ? what : "", err.msg);
            /* what is left of the old result is not one to show */
            if (t->res && t->ops.check_free)
                t->ops.check_free(t->ops.ctx, t->res);
            t->res = NULL;
            tui_derive(t);
            views_texts_build(t, texts);
            return;
        }
        if (what) {
            diff = diff_results(t->res, r);
            tui_set_message(t, false, "%s %s %s", what, text_sym("—", "-"), diff ? diff : "");
            free(diff);
        }
        if (t->res && t->ops.check_free)
            t->ops.check_free(t->ops.ctx, t->res);
        t->res = r;
        heap_give_back();
        tui_derive(t);
        views_texts_build(t, texts);
        return;
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
void
recheck_touched(struct tui *t, const struct check_touch *touch, struct derive_pre *pre,
                const char *what)
{
    struct check_change chg;
    SM_ERROR(err);
    char *diff;

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
        diff = diff_sets(&a, &b);
        tui_set_message(t, false, "%s %s %s", what, text_sym("—", "-"), diff ? diff : "");
        free(diff);
    }
    derive_end(t, pre, touch, &chg);
    check_change_fini(&chg);
}

/* What an applied (or reverted) edit touched, in the model as it is now. */
void
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

