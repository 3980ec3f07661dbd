/*
 * view_sort.c - sorting a view's rows (LSD radix sort on 64-bit keys, ranks for
 * columns of few values) and the orders kept through re-checks.
 * Part of the list engine (src/tui/view_int.h); no curses here.
 */
#include "view_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t view_sig(struct tui *t, struct view *v);

/* ---- the list engine ------------------------------------------------------ */

/* qsort has no context argument in C11: the TUI is single-threaded. */
static struct {
    struct tui *t;
    const struct view_ops *ops;
    const struct column *col;
    int dir;
    bool grouped;
} sort_ctx;

static int
cmp_rows(const void *pa, const void *pb)
{
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    struct tui *t = sort_ctx.t;
    const struct column *c = sort_ctx.col;
    int r = 0;

    if (sort_ctx.grouped) {
        int ga = sort_ctx.ops->group(t, a), gb = sort_ctx.ops->group(t, b);
        if (ga != gb)
            return ga < gb ? -1 : 1;
    }
    if (c && c->num) {
        int64_t x = c->num(t, a), y = c->num(t, b);
        r = x < y ? -1 : x > y;
    } else if (c && c->str) {
        r = strcmp(c->str(t, a), c->str(t, b));
    }
    if (r == 0)
        r = a < b ? -1 : a > b;     /* stable: base order breaks ties */
    else
        r *= sort_ctx.dir;
    return r;
}

/* The first 8 bytes of a string as a big-endian number: sorting by it
 * sorts by the prefix, byte-wise like strcmp. */
static uint64_t
prefix_key(const char *s)
{
    uint64_t k = 0;
    int i = 0;

    for (; i < 8 && s[i]; i++)
        k = k << 8 | (unsigned char)s[i];
    return i == 0 ? 0 : i == 8 ? k : k << (8 * (8 - i));
}

static int
cmp_str_pairs(const void *pa, const void *pb)
{
    const struct sort_pair *a = pa, *b = pb;
    int r = strcmp(sort_ctx.col->str(sort_ctx.t, a->row), sort_ctx.col->str(sort_ctx.t, b->row));
    return r ? r : (a->row > b->row) - (a->row < b->row);
}

/* LSD radix sort of (key, row) pairs, 16 bits a pass (8 for fewer than
 * 65536 pairs: the runs of ties refine_ties sorts again); stable, so
 * equal keys keep the base (catalog) order. tmp has room for n pairs.
 * Keys are taken relative to the smallest one, so only the digits that
 * span the keys' range cost a pass (a count, a flag, a shared name
 * prefix: one or two passes); the passes go back and forth between p
 * and tmp. Keys already in order (a catalog written in name order): no
 * pass at all. */
static void
radix_sort(struct sort_pair *p, struct sort_pair *tmp, int32_t n)
{
    static int32_t count[65536];
    struct sort_pair *src = p, *dst = tmp;
    uint64_t lo, hi, range;
    bool sorted = true;
    int bits = n >= 65536 ? 16 : 8;
    uint64_t mask = ((uint64_t)1 << bits) - 1;

    if (n < 2)
        return;
    lo = hi = p[0].key;
    for (int32_t i = 1; i < n; i++) {
        uint64_t k = p[i].key;
        if (k < p[i - 1].key)
            sorted = false;
        if (k < lo)
            lo = k;
        if (k > hi)
            hi = k;
    }
    if (sorted)
        return;
    range = hi - lo;
    for (int shift = 0; shift < 64 && (range >> shift) != 0; shift += bits) {
        int32_t sum = 0;
        memset(count, 0, sizeof *count << bits);
        for (int32_t i = 0; i < n; i++)
            count[((src[i].key - lo) >> shift) & mask]++;
        for (uint64_t d = 0; d <= mask; d++) {
            int32_t x = count[d];
            count[d] = sum;
            sum += x;
        }
        for (int32_t i = 0; i < n; i++)
            dst[count[((src[i].key - lo) >> shift) & mask]++] = src[i];
        {
            struct sort_pair *x = src;
            src = dst;
            dst = x;
        }
    }
    if (src != p)
        memcpy(p, src, sizeof *p * (size_t)n);
}

#define REFINE_QSORT 64

/* p[0..n) is sorted by the key (bytes off-8..off-1 of each string) and
 * stable in the base order. Runs that tie on those 8 bytes, none of them
 * a NUL, are sorted again by the next 8 bytes (a radix sort; strcmp for
 * short runs), so that a column of few distinct long strings (tiers,
 * regions) is not one big qsort. Equal strings keep the base order. */
static void
refine_ties(struct tui *t, const struct column *c, struct sort_pair *p,
            struct sort_pair *tmp, int32_t n, size_t off)
{
    for (int32_t i = 0; i < n;) {
        int32_t j = i + 1, m;
        while (j < n && p[j].key == p[i].key)
            j++;
        m = j - i;
        /* A tie on 8 bytes: only strings of 8+ bytes can still differ. */
        if (m > 1 && (p[i].key & 0xff) != 0) {
            if (m <= REFINE_QSORT) {
                qsort(p + i, (size_t)m, sizeof *p, cmp_str_pairs);
            } else {
                /* Already in order (all equal, or a catalog written in
                 * name order)? The run is in base order, so equal strings
                 * are too. */
                const char *prev = c->str(t, p[i].row);
                bool sorted = true;
                for (int32_t k = i + 1; k < j && sorted; k++) {
                    const char *s = c->str(t, p[k].row);
                    sorted = s == prev || strcmp(s + off, prev + off) >= 0;
                    prev = s;
                }
                if (!sorted) {
                    for (int32_t k = i; k < j; k++)
                        p[k].key = prefix_key(c->str(t, p[k].row) + off);
                    radix_sort(p + i, tmp, m);
                    refine_ties(t, c, p + i, tmp, m, off + 8);
                }
            }
        }
        i = j;
    }
}

static struct {
    struct tui *t;
    const struct dom_col *c;
} dom_ctx;

static int
cmp_dom(const void *pa, const void *pb)
{
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    const char *x = a < 0 ? "" : dom_ctx.c->name(dom_ctx.t, a);
    const char *y = b < 0 ? "" : dom_ctx.c->name(dom_ctx.t, b);
    return strcmp(x, y);
}

/* rank[i + 1] of object i (rank[0]: no object, the string ""), equal
 * names equal ranks, so that a stable sort of rows by rank is a sort by
 * str. Heap (the caller frees); NULL when out of memory. */
static int32_t *
dom_ranks(struct tui *t, const struct dom_col *c)
{
    int32_t m = c->n(t), k = 0;
    int32_t *ids = malloc(sizeof *ids * (size_t)(m + 1));
    int32_t *rank = malloc(sizeof *rank * (size_t)(m + 1));

    if (!ids || !rank) {
        free(ids);
        free(rank);
        return NULL;
    }
    for (int32_t i = 0; i <= m; i++)
        ids[i] = i - 1;
    dom_ctx.t = t;
    dom_ctx.c = c;
    qsort(ids, (size_t)m + 1, sizeof *ids, cmp_dom);
    for (int32_t i = 0; i <= m; i++) {
        if (i > 0 && cmp_dom(&ids[i - 1], &ids[i]) != 0)
            k++;
        rank[ids[i] + 1] = k;
    }
    free(ids);
    return rank;
}

/* A string column with few distinct values (systems, owners): rows get
 * the rank of their string among the distinct ones, found with one hash
 * table pass and one small sort, instead of prefix keys refined 8 bytes
 * at a time. False (nothing written) when there are more than
 * FEW_MAX distinct strings or no memory: the general sort then runs. */
#define FEW_MAX 4096
#define FEW_CAP 8192            /* hash slots, a power of 2 */

struct few {
    const char *s;
    int32_t id;                 /* index into the distinct list; -1 free */
};

/* A hash of a string from its length and first and last 8 bytes: no
 * loop a byte (equal hashes are compared with strcmp anyway). */
static uint32_t
few_hash(const char *s)
{
    size_t len = strlen(s);
    uint64_t h = prefix_key(s) ^ len;

    if (len > 8)
        h ^= prefix_key(s + len - 8) * 0x9e3779b97f4a7c15ull;
    h *= 0x9e3779b97f4a7c15ull;
    return (uint32_t)(h >> 32);
}

static int
cmp_few(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static bool
few_keys(struct tui *t, const struct column *c, struct sort_pair *p, const int32_t *rows,
         int32_t n, int32_t *nkeys)
{
    struct few *tab = malloc(sizeof *tab * FEW_CAP);
    const char **str = malloc(sizeof *str * FEW_MAX);
    int32_t *rank = malloc(sizeof *rank * FEW_MAX), nd = 0;
    bool ok = false;

    if (!tab || !str || !rank)
        goto out;
    for (int i = 0; i < FEW_CAP; i++)
        tab[i].id = -1;
    for (int32_t i0 = 0; i0 < n; i0 += 64) {
        /* a chunk's strings looked up first and fetched ahead, so that
         * their cache misses overlap */
        const char *chunk[64];
        int32_t m = n - i0 < 64 ? n - i0 : 64;
        for (int32_t j = 0; j < m; j++) {
            chunk[j] = c->str(t, rows[i0 + j]);
            PREFETCH(chunk[j]);
        }
        for (int32_t j = 0; j < m; j++) {
            const char *s = chunk[j];
            uint32_t slot;
            for (slot = few_hash(s) & (FEW_CAP - 1);;
                 slot = (slot + 1) & (FEW_CAP - 1)) {
                if (tab[slot].id < 0) {
                    if (nd == FEW_MAX)
                        goto out;
                    tab[slot].s = s;
                    tab[slot].id = nd;
                    str[nd++] = s;
                    break;
                }
                if (tab[slot].s == s || strcmp(tab[slot].s, s) == 0)
                    break;
            }
            p[i0 + j].row = rows[i0 + j];
            p[i0 + j].key = (uint64_t)tab[slot].id;
        }
    }
    /* rank of each distinct string: sort the strings, then map back */
    {
        const char **sorted = malloc(sizeof *sorted * (size_t)(nd + 1));
        if (!sorted)
            goto out;
        memcpy(sorted, str, sizeof *str * (size_t)nd);
        qsort(sorted, (size_t)nd, sizeof *sorted, cmp_few);
        for (int32_t i = 0; i < nd; i++) {
            /* the id of sorted[i]: look it up again */
            const char *s = sorted[i];
            uint32_t slot;
            for (slot = few_hash(s) & (FEW_CAP - 1); tab[slot].s != s;
                 slot = (slot + 1) & (FEW_CAP - 1))
                ;
            rank[tab[slot].id] = i;
        }
        free(sorted);
    }
    for (int32_t i = 0; i < n; i++)
        p[i].key = (uint64_t)rank[p[i].key];
    *nkeys = nd;
    ok = true;
out:
    free(tab);
    free(str);
    free(rank);
    return ok;
}

/* Numbers with few distinct values (copies, a finding count): a stable
 * counting sort of p straight into order (reversed when descending): one
 * pass finds each key's slot among the distinct ones and counts it, the
 * few distinct keys are sorted, one pass places the rows. False (order
 * untouched, p's keys maybe replaced) when there are more than FEW_MAX
 * distinct keys or no memory. */
static int
cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

static uint32_t
num_slot(uint64_t k)
{
    return (uint32_t)((k * 0x9e3779b97f4a7c15ull) >> 40) & (FEW_CAP - 1);
}

/* A distinct number key and its id (its place in the keys' array). */
struct few_num {
    uint64_t key;
    int32_t id;
};

/* The nd distinct keys in rising order; pos[id], the count of each id,
 * becomes the place of its first row (a counting sort's starts). */
static void
few_num_starts(uint64_t *key, int32_t nd, const struct few_num *tab, int32_t *pos)
{
    int32_t sum = 0;

    qsort(key, (size_t)nd, sizeof *key, cmp_u64);
    for (int32_t i = 0; i < nd; i++) {
        uint32_t slot = num_slot(key[i]);
        int32_t id, x;
        while (tab[slot].key != key[i])
            slot = (slot + 1) & (FEW_CAP - 1);
        id = tab[slot].id;
        x = pos[id];
        pos[id] = sum;
        sum += x;
    }
}

static bool
few_nums_into(struct view *v, struct sort_pair *p, int32_t n)
{
    struct few_num *tab = malloc(sizeof *tab * FEW_CAP);
    uint64_t *key = malloc(sizeof *key * FEW_MAX);
    int32_t *pos = calloc(FEW_MAX, sizeof *pos), nd = 0;
    bool ok = false;

    if (!tab || !key || !pos)
        goto out;
    for (int i = 0; i < FEW_CAP; i++)
        tab[i].id = -1;
    for (int32_t i = 0; i < n; i++) {
        uint64_t k = p[i].key;
        uint32_t slot = num_slot(k);
        while (tab[slot].id >= 0 && tab[slot].key != k)
            slot = (slot + 1) & (FEW_CAP - 1);
        if (tab[slot].id < 0) {
            if (nd == FEW_MAX)
                goto out;
            tab[slot].key = k;
            tab[slot].id = nd;
            key[nd++] = k;
        }
        pos[tab[slot].id]++;
        p[i].key = (uint64_t)tab[slot].id;
    }
    few_num_starts(key, nd, tab, pos);
    for (int32_t i = 0; i < n; i++) {
        int32_t at = pos[p[i].key]++;
        v->order[v->desc ? n - 1 - at : at] = p[i].row;
    }
    ok = true;
out:
    free(tab);
    free(key);
    free(pos);
    return ok;
}

#define PACK_ROWS (1 << 24)      /* row ids below it, keys below PACK_KEYS: */
#define PACK_KEYS 128           /* both fit in one int32 of order */

/* few_nums_into for a number column of fewer than PACK_KEYS distinct
 * values (a finding count, copies), the keys read where they are, as
 * count_order does: into a new order (4 MB at 1M rows), without the
 * 16-byte sort pairs (16 MB written, and their page faults, on every
 * re-sort by findings after a check). One pass looks each row's key up
 * among the distinct ones (the last key's slot kept: most datasets have
 * no findings) and keeps its slot beside the row id in order; the
 * placing pass reads it there. Same keys, same stable pass, same
 * reversal: the order few_nums_into gives. False (order as it was) with
 * more distinct keys, more than PACK_ROWS rows or no memory. */
static bool
few_nums_order(struct tui *t, struct view *v, const struct column *c, int32_t n)
{
    struct few_num *tab = malloc(sizeof *tab * FEW_CAP);
    uint64_t *key = malloc(sizeof *key * FEW_MAX), last = 0;
    int32_t *pos = calloc(FEW_MAX, sizeof *pos), nd = 0, last_id = -1;
    int32_t *out = malloc(sizeof *out * (size_t)(n + 1));
    bool ok = false;

    if (!tab || !key || !pos || !out || v->ops->count(t) > PACK_ROWS)
        goto out;
    for (int i = 0; i < FEW_CAP; i++)
        tab[i].id = -1;
    for (int32_t i = 0; i < n; i++) {
        uint64_t k = (uint64_t)c->num(t, v->order[i]) ^ ((uint64_t)1 << 63);
        if (last_id < 0 || k != last) {
            uint32_t slot = num_slot(k);
            while (tab[slot].id >= 0 && tab[slot].key != k)
                slot = (slot + 1) & (FEW_CAP - 1);
            if (tab[slot].id < 0) {
                if (nd == PACK_KEYS) {
                    /* more keys than a row's place holds: the rows
                     * packed so far get their ids back, and the sort
                     * pairs take it (few_nums_into) */
                    for (int32_t j = 0; j < i; j++)
                        v->order[j] &= PACK_ROWS - 1;
                    goto out;
                }
                tab[slot].key = k;
                tab[slot].id = nd;
                key[nd++] = k;
            }
            last = k;
            last_id = tab[slot].id;
        }
        pos[last_id]++;
        v->order[i] = (int32_t)((uint32_t)last_id << 24 | (uint32_t)v->order[i]);
    }
    few_num_starts(key, nd, tab, pos);
    for (int32_t i = 0; i < n; i++) {
        uint32_t x = (uint32_t)v->order[i];
        int32_t at = pos[x >> 24]++;
        out[v->desc ? n - 1 - at : at] = (int32_t)(x & (PACK_ROWS - 1));
    }
    memcpy(v->order, out, sizeof *out * (size_t)n);
    ok = true;
out:
    free(tab);
    free(key);
    free(pos);
    free(out);
    return ok;
}

/* The column's strings' addresses over every row, hashed: the same on
 * the same model, the same strings (arena strings never change). */
static uint64_t
colrank_hash(struct tui *t, const struct column *c, int32_t n)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)n;

    for (int32_t r = 0; r < n; r++)
        h = view_sig_step(h, (uint64_t)(uintptr_t)c->str(t, r));
    return h | 1;
}

/* Are the kept ranks good for this column now: built on this model and
 * generation, or after an edit that left every row's string where it
 * was (one pass, then good for the generation)? */
bool
view_colrank_current(struct tui *t, struct view *v, int col)
{
    int32_t n = v->ops->count(t);

    if (v->ncolrank <= 0 || v->colrank_col != col || v->ncolrank != n || v->colrank_m != t->m)
        return false;
    if (v->colrank_mgen == t->m->generation && v->colrank_fp == view_model_fp(t))
        return true;
    if (colrank_hash(t, &v->ops->cols[col], n) != v->colrank_psig) {
        v->ncolrank = 0;
        return false;
    }
    v->colrank_mgen = t->m->generation;
    v->colrank_fp = view_model_fp(t);
    return true;
}

/* The ranks of the first string column without a cheaper key whose rows
 * hold few distinct strings, in an array of their own (n int32; the sort
 * scratch they are worked out in is given back).
 * Off the key path (after the first check); nothing when no column
 * qualifies or out of memory. */
void
view_colrank_build(struct tui *t, struct view *v)
{
    int32_t n = v->ops->count(t), nkeys = 0, *ids;
    struct sort_pair *blk;

    if (n <= 0 || v->ops->group)
        return;
    for (int col = 0; col < v->ops->ncols; col++) {
        const struct column *c = &v->ops->cols[col];
        if (!c->str || c->num || c->dom || col == v->ops->default_sort)
            continue;
        if (!(blk = malloc(sizeof *blk * (size_t)(2 * n + 2))))
            return;
        if (!(ids = malloc(sizeof *ids * (size_t)n + sizeof *ids))) {
            free(blk);
            return;
        }
        for (int32_t r = 0; r < n; r++)
            ids[r] = r;
        if (!few_keys(t, c, blk, ids, n, &nkeys)) {
            free(blk);
            free(ids);
            continue;
        }
        for (int32_t r = 0; r < n; r++)
            ids[r] = (int32_t)blk[r].key;
        free(blk);
        view_colrank_free(v);
        v->colrank = ids;
        v->ncolrank = n;
        v->colrank_keys = nkeys;
        v->colrank_col = col;
        v->colrank_m = t->m;
        v->colrank_mgen = t->m->generation;
        v->colrank_fp = view_model_fp(t);
        v->colrank_psig = colrank_hash(t, c, n);
        return;
    }
}

void
view_colrank_free(struct view *v)
{
    free((void *)v->colrank);
    v->colrank = NULL;
    v->ncolrank = 0;
}

/* Small keys (ranks below nkeys): a stable counting sort of p straight
 * into order (reversed when descending, as sort_order does). False when
 * out of memory (nothing written). */
static bool
count_into(struct view *v, const struct sort_pair *p, int32_t n, int32_t nkeys)
{
    int32_t *pos = calloc((size_t)nkeys + 1, sizeof *pos), sum = 0;

    if (!pos)
        return false;
    for (int32_t i = 0; i < n; i++)
        pos[p[i].key]++;
    for (int32_t k = 0; k <= nkeys; k++) {
        int32_t x = pos[k];
        pos[k] = sum;
        sum += x;
    }
    for (int32_t i = 0; i < n; i++) {
        int32_t at = pos[p[i].key]++;
        v->order[v->desc ? n - 1 - at : at] = p[i].row;
    }
    free(pos);
    return true;
}

/* count_into for keys that come from the row alone (a domain column's
 * ranks: rank and dc; else the view's column ranks), read where they are:
 * a stable counting sort of order into a new order, without the sort
 * pairs (at 1M rows 4 MB instead of 16 MB, at the peak of a re-sort after
 * a full re-check; issue #21). Same order as count_into. False when out of
 * memory (nothing written). */
static bool
count_order(struct tui *t, struct view *v, int32_t n, int32_t nkeys, const int32_t *rank,
            const struct dom_col *dc)
{
    int32_t *pos = calloc((size_t)nkeys + 1, sizeof *pos), sum = 0;
    int32_t *out = malloc(sizeof *out * (size_t)(n + 1));
    /* row ids (up to count) and keys (up to nkeys) fit in one int32 */
    bool pack = dc && v->ops->count(t) <= PACK_ROWS && nkeys < PACK_KEYS;

    if (!pos || !out) {
        free(pos);
        free(out);
        return false;
    }
#define ROW_KEY(r) (dc ? rank[dc->dom(t, (r)) + 1] : v->colrank[(r)])
    if (pack) {
        /* A domain read from the objects (a dataset's tier: one 92-byte
         * object a row, memory bound at 1M) is read once: each row's key
         * kept in the top bits of its place in order until it is placed. */
        for (int32_t i = 0; i < n; i++) {
            int32_t r = v->order[i], k = ROW_KEY(r);
            pos[k]++;
            v->order[i] = (int32_t)((uint32_t)k << 24 | (uint32_t)r);
        }
    } else {
        for (int32_t i = 0; i < n; i++)
            pos[ROW_KEY(v->order[i])]++;
    }
    for (int32_t k = 0; k <= nkeys; k++) {
        int32_t x = pos[k];
        pos[k] = sum;
        sum += x;
    }
    if (pack) {
        for (int32_t i = 0; i < n; i++) {
            uint32_t x = (uint32_t)v->order[i];
            int32_t at = pos[x >> 24]++;
            out[v->desc ? n - 1 - at : at] = (int32_t)(x & (PACK_ROWS - 1));
        }
    } else {
        for (int32_t i = 0; i < n; i++) {
            int32_t r = v->order[i], at = pos[ROW_KEY(r)]++;
            out[v->desc ? n - 1 - at : at] = r;
        }
    }
#undef ROW_KEY
    memcpy(v->order, out, sizeof *out * (size_t)n);
    free(out);
    free(pos);
    return true;
}

/* Sort order[] by the view's sort column (and group). Groups with a sort
 * column fall back to qsort; everything else is a radix sort on a 64-bit
 * key, strings refined (refine_ties) where their 8-byte prefixes tie. */
static int sort_order_in(struct tui *t, struct view *v);

/* The radix scratch (2n + 2 pairs, 32 bytes a row) is kept for views of
 * fewer rows than this and given back after a sort of more: at 1M rows
 * it would hold ~32 MiB per view between sorts (issue #21). */
#define PAIRS_KEEP_MAX 65536

static int
sort_order(struct tui *t, struct view *v)
{
    int rc = sort_order_in(t, v);

    if (v->cappairs > 2 * PAIRS_KEEP_MAX + 2) {
        free(v->pairs);
        v->pairs = NULL;
        v->cappairs = 0;
    }
    return rc;
}

static int
sort_order_in(struct tui *t, struct view *v)
{
    const struct column *c = v->sort >= 0 ? &v->ops->cols[v->sort] : NULL;
    int32_t n = v->norder;
    struct sort_pair *p, *tmp;
    const struct dom_col *dc = NULL;
    int32_t nkeys = 0;
    bool grouped = view_grouped(v, v->sort);

    sort_ctx.t = t;
    sort_ctx.ops = v->ops;
    sort_ctx.col = c;
    sort_ctx.dir = v->desc ? -1 : 1;
    sort_ctx.grouped = grouped;
    if (grouped && c) {
        qsort(v->order, (size_t)n, sizeof *v->order, cmp_rows);
        return SM_OK;
    }
    if (c && !c->num && !grouped && c->dom) {
        /* a domain's ranks: counted from the rows, no pairs */
        int32_t *rank = dom_ranks(t, c->dom);
        bool done = rank && count_order(t, v, n, c->dom->n(t) + 1, rank, c->dom);
        free(rank);
        if (done)
            return SM_OK;
    } else if (c && !c->num && !grouped && view_colrank_current(t, v, v->sort)) {
        if (count_order(t, v, n, v->colrank_keys, NULL, NULL))
            return SM_OK;
    } else if (c && c->num && !grouped && few_nums_order(t, v, c, n)) {
        return SM_OK;
    }
    if (2 * n > v->cappairs) {
        struct sort_pair *np = realloc(v->pairs, sizeof *np * (size_t)(2 * n + 2));
        if (!np)
            return SM_ENOMEM;
        v->pairs = np;
        v->cappairs = 2 * n + 2;
    }
    p = v->pairs;
    tmp = v->pairs + n;
    if (c && !c->num && !grouped)
        dc = c->dom;
    if (dc) {
        int32_t *rank = dom_ranks(t, dc);
        if (!rank)
            return SM_ENOMEM;
        for (int32_t i = 0; i < n; i++) {
            int32_t r = v->order[i];
            p[i].row = r;
            p[i].key = (uint64_t)rank[dc->dom(t, r) + 1];
        }
        free(rank);
        if (count_into(v, p, n, dc->n(t) + 1))
            return SM_OK;
        radix_sort(p, tmp, n);
    } else if (!grouped && !c->num && view_colrank_current(t, v, v->sort)) {
        for (int32_t i = 0; i < n; i++) {
            p[i].row = v->order[i];
            p[i].key = (uint64_t)v->colrank[v->order[i]];
        }
        if (count_into(v, p, n, v->colrank_keys))
            return SM_OK;
        radix_sort(p, tmp, n);
    } else if (!grouped && !c->num && few_keys(t, c, p, v->order, n, &nkeys)) {
        if (count_into(v, p, n, nkeys))
            return SM_OK;
        radix_sort(p, tmp, n);
    } else {
        for (int32_t i = 0; i < n; i++) {
            int32_t r = v->order[i];
            p[i].row = r;
            if (grouped)
                p[i].key = (uint64_t)(int64_t)v->ops->group(t, r);
            else if (c->num)
                p[i].key = (uint64_t)c->num(t, r) ^ ((uint64_t)1 << 63);
            else
                p[i].key = prefix_key(c->str(t, r));
        }
        if (!grouped && c->num && few_nums_into(v, p, n))
            return SM_OK;
        if (!grouped && c->num) {
            /* more distinct keys than few_nums_into takes: gather again */
            for (int32_t i = 0; i < n; i++)
                p[i].key = (uint64_t)c->num(t, p[i].row) ^ ((uint64_t)1 << 63);
        }
        radix_sort(p, tmp, n);
        if (c && c->str && !c->num)
            refine_ties(t, c, p, tmp, n, 8);
    }
    for (int32_t i = 0; i < n; i++)
        v->order[i] = p[v->desc ? n - 1 - i : i].row;
    return SM_OK;
}

/* Before the first frame of a big catalog only its first page is needed:
 * keep the k smallest rows in a max-heap (one comparison per row), sort
 * them, and leave the full sort for after the frame (tui_recheck). */
#define PARTIAL_ROWS 160

static void
sift_down(int32_t *h, int32_t m, int32_t i)
{
    for (;;) {
        int32_t l = 2 * i + 1, r = l + 1, big = i, x;
        if (l < m && cmp_rows(&h[l], &h[big]) > 0)
            big = l;
        if (r < m && cmp_rows(&h[r], &h[big]) > 0)
            big = r;
        if (big == i)
            return;
        x = h[i];
        h[i] = h[big];
        h[big] = x;
        i = big;
    }
}

static void
partial_order(struct tui *t, struct view *v, int32_t n)
{
    int32_t *h = v->order, m = 0;

    sort_ctx.t = t;
    sort_ctx.ops = v->ops;
    sort_ctx.col = &v->ops->cols[v->sort];
    sort_ctx.dir = v->desc ? -1 : 1;
    for (int32_t r = 0; r < n; r++) {
        if (v->ops->visible && !v->ops->visible(t, r))
            continue;
        if (m < PARTIAL_ROWS) {
            int32_t i = m++;
            h[i] = r;
            while (i > 0 && cmp_rows(&h[(i - 1) / 2], &h[i]) < 0) {
                int32_t x = h[i];
                h[i] = h[(i - 1) / 2];
                h[(i - 1) / 2] = x;
                i = (i - 1) / 2;
            }
        } else if (cmp_rows(&r, &h[0]) < 0) {
            h[0] = r;
            sift_down(h, m, 0);
        }
    }
    qsort(h, (size_t)m, sizeof *h, cmp_rows);
    v->norder = m;
    v->partial = true;
}

/* ---- orders kept through re-checks ------------------------------------------ */

/* A hash of what, besides the model's address and generation, tells one
 * model from another: sizes, the derived facts' sizes, the scenario. */
uint64_t
view_model_fp(const struct tui *t)
{
    const struct model *m = t->m;
    const uint64_t parts[] = {
        (uint64_t)m->ndatasets, (uint64_t)m->nplacements, (uint64_t)m->nflows,
        (uint64_t)m->nregions, (uint64_t)m->ntiers, (uint64_t)m->nscenarios,
        (uint64_t)m->nfields, (uint64_t)m->ntags, (uint64_t)m->nwaivers,
        (uint64_t)m->arena.total, (uint64_t)t->nd, (uint64_t)t->np, (uint64_t)t->nf,
        (uint64_t)t->nr, (uint64_t)t->nt, (uint64_t)t->scen.on,
    };
    uint64_t h = 1469598103934665603ull;

    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        h = (h ^ parts[i]) * 1099511628211ull;
    for (const char *p = t->scen.on ? t->scen.name : ""; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h | 1;
}

/* Does the view's order under this sort depend on the model alone (not
 * on the check result: findings, transfers, finding counts, status)? */
static bool
order_model_only(const struct view *v, int sort)
{
    const struct column *c = sort >= 0 ? &v->ops->cols[sort] : NULL;

    return !v->ops->result_rows && (!c || !c->result);
}

/* Is o's order the one for (sort, desc) now: built in this generation,
 * or on this very model (through re-checks) when it depends on the model
 * alone? A partial order (first frame) is good for its generation only. */
bool
view_order_current(struct tui *t, const struct view *o, int sort, bool desc)
{
    if (o->order_sort != sort || o->order_desc != desc || o->order_gen == 0)
        return false;
    if (o->order_gen == t->gen)
        return true;
    return !o->partial && o->order_fp != 0 && o->order_m == t->m &&
           o->order_mgen == t->m->generation && order_model_only(o, sort) &&
           o->order_fp == view_model_fp(t);
}

void
view_order_built(struct tui *t, struct view *v)
{
    v->order_gen = t->gen;
    v->order_sort = v->sort;
    v->order_desc = v->desc;
    v->order_m = t->m;
    v->order_mgen = t->m->generation;
    v->order_fp = v->partial ? 0 : view_model_fp(t);
    v->order_sig = !v->partial && view_order_by_name(v, v->sort) &&
                   v->ops->count(t) >= PARTIAL_MIN ? view_sig(t, v) : 0;
    v->order_psig = v->order_sig ? v->psig : 0;
    v->order_n = v->ops->count(t);
}

/* A model freed and another allocated at its address must not pass for
 * it: orders built on a model that is no longer t->m are dropped as soon
 * as the change is seen (every draw and every rebuild looks). */
void
view_forget_other_models(struct tui *t)
{
    if (t->m_serial != t->m->serial) {
        /* another model object, maybe at the address of a freed one:
         * nothing built before is its */
        for (int i = 0; i < TUI_NVIEWS; i++) {
            struct view *v = &t->views[i];
            v->order_m = v->text_m = v->colrank_m = v->sig_m = NULL;
        }
        t->m_serial = t->m->serial;
    }
    for (int i = 0; i < TUI_NVIEWS; i++) {
        struct view *v = &t->views[i];
        if (v->order_m != t->m)
            v->order_fp = v->order_sig = 0;
        if (v->text_m != t->m)
            v->ntext = 0;
        if (v->colrank_m != t->m)
            v->ncolrank = 0;
        if (v->sig_m != t->m)
            v->sig_m = NULL;
    }
}

/* Is the order one that depends on the rows' names and hidden flags
 * alone: a name list in catalog order or sorted by its name (column 0)? */
bool
view_order_by_name(const struct view *v, int sort)
{
    return v->ops->filter_name && !v->ops->group && (sort == -1 || sort == 0);
}

/* v's own signature is good now: made for this generation, or kept
 * through edits that left its rows be (view_rows_kept). */
static bool
sig_kept(struct tui *t, const struct view *v)
{
    return v->sig_m == t->m &&
           (v->sig_mgen == t->m->generation || view_rows_kept(t, v, v->sig_mgen));
}

/* Another view of the same rows (the map lists the datasets) whose
 * signature was made for this generation, or NULL. */
static const struct view *
sig_other(struct tui *t, const struct view *v)
{
    for (int i = 0; i < TUI_NVIEWS; i++) {
        const struct view *o = &t->views[i];
        if (o != v && o->sig_m == t->m && o->sig_mgen == t->m->generation &&
            o->ops->count == v->ops->count && o->ops->visible == v->ops->visible &&
            o->ops->filter_text == v->ops->filter_text)
            return o;
    }
    return NULL;
}

/* The signature of a name list's rows now (see struct view): one pass
 * over the objects, kept for the generation. */
static uint64_t
view_sig(struct tui *t, struct view *v)
{
    int32_t n = v->ops->count(t);
    uint64_t h = 1469598103934665603ull ^ (uint64_t)n, ph = h;
    const struct view *o;

    if (sig_kept(t, v)) {
        v->sig_mgen = t->m->generation;     /* an edit that left the rows be */
        return v->sig;
    }
    if ((o = sig_other(t, v))) {
        v->sig = o->sig;
        v->psig = o->psig;
        v->sig_m = t->m;
        v->sig_mgen = t->m->generation;
        return v->sig;
    }
    for (int32_t r = 0; r < n; r++) {
        uint64_t x = (uint64_t)(uintptr_t)v->ops->filter_text(t, r, NULL, 0);
        ph = view_sig_step(ph, x);
        if (v->ops->visible && !v->ops->visible(t, r))
            x = ~x;
        h = view_sig_step(h, x);
    }
    v->psig = ph | 1;
    v->sig = h | 1;
    v->sig_m = t->m;
    v->sig_mgen = t->m->generation;
    return v->sig;
}

/* Does view_sig know the signature now without a pass over the rows
 * (made or kept for this generation, or another view's)? */
bool
view_sig_known(struct tui *t, const struct view *v)
{
    return sig_kept(t, v) || sig_other(t, v);
}

bool
view_rows_kept(struct tui *t, const struct view *v, uint64_t since)
{
    return v->ops->filter_name && t->m_serial == t->m->serial &&
           model_rows_kept(t->m, v->ops->row_kind, since);
}

/* After an edit, an order or texts built on the same model object whose
 * names and hidden rows are as they were: good again for this model. */
bool
view_sig_unchanged(struct tui *t, struct view *v, const struct model *built_on, uint64_t built_sig)
{
    return built_sig != 0 && built_on == t->m && view_sig(t, v) == built_sig;
}

static struct {
    struct tui *t;
    const struct view *v;
} name_ctx;

static int
cmp_name_rows(const void *pa, const void *pb)
{
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    int r = strcmp(name_ctx.v->ops->filter_text(name_ctx.t, a, NULL, 0),
                   name_ctx.v->ops->filter_text(name_ctx.t, b, NULL, 0));
    return r ? r : (a > b) - (a < b);
}

#define REPAIR_MAX 4096         /* rows shown or added that a repair takes */

/* A name list's name order after an edit that hid, showed or added rows
 * but left every other row's name where it was (the names of the
 * order_n rows it was built on hash to order_psig): the hidden rows
 * leave, the others go in where a binary search by name puts them. On
 * the same model only. False (order untouched) when that does not hold,
 * more than REPAIR_MAX rows came in, or out of memory. */
bool
view_repair_name_order(struct tui *t, struct view *v)
{
    int32_t n = v->ops->count(t), on = v->order_n, nadd = 0, k = 0, *add, *pos;
    uint64_t ph = 1469598103934665603ull ^ (uint64_t)on;
    /* the signature of the rows now (view_sig), made in the same pass */
    uint64_t sh = 1469598103934665603ull ^ (uint64_t)n, sph = sh;
    bool ok = false;

    if (!v->order_psig || v->order_m != t->m || on > n || v->sort != 0 || v->ops->group)
        return false;
    if (!view_match_room(v, n))
        return false;
    if (view_grow_order(v, n + 1) != SM_OK || view_rows_own(v, n + 1) != SM_OK)
        return false;
    /* names as they were, and who is shown now (bit 0) */
    for (int32_t r = 0; r < n; r++) {
        uint64_t x = (uint64_t)(uintptr_t)v->ops->filter_text(t, r, NULL, 0);
        if (r < on)
            ph = view_sig_step(ph, x);
        v->match[r] = !v->ops->visible || v->ops->visible(t, r);
        sph = view_sig_step(sph, x);
        sh = view_sig_step(sh, v->match[r] ? x : ~x);
    }
    v->psig = sph | 1;
    v->sig = sh | 1;
    v->sig_m = t->m;
    v->sig_mgen = t->m->generation;
    if ((ph | 1) != v->order_psig)
        return false;
    /* ascending, the hidden rows out; kept rows get bit 1 */
    if (v->desc)
        for (int32_t i = 0, j = v->norder - 1; i < j; i++, j--) {
            int32_t x = v->order[i];
            v->order[i] = v->order[j];
            v->order[j] = x;
        }
    for (int32_t i = 0; i < v->norder; i++)
        if (v->order[i] < n && (v->match[v->order[i]] & 1)) {
            v->match[v->order[i]] |= 2;
            v->order[k++] = v->order[i];
        }
    v->norder = k;
    for (int32_t r = 0; r < n; r++)
        if (v->match[r] == 1 && ++nadd > REPAIR_MAX)
            goto out;
    add = v->rows;              /* scratch: rebuilt by the filter after */
    pos = v->rows + nadd;
    if (nadd > n - nadd) {
        nadd = REPAIR_MAX + 1;
        goto out;
    }
    nadd = 0;
    for (int32_t r = 0; r < n; r++)
        if (v->match[r] == 1)
            add[nadd++] = r;
    name_ctx.t = t;
    name_ctx.v = v;
    qsort(add, (size_t)nadd, sizeof *add, cmp_name_rows);
    for (int32_t j = 0; j < nadd; j++) {
        int32_t lo = 0, hi = k;
        while (lo < hi) {
            int32_t mid = lo + (hi - lo) / 2;
            if (cmp_name_rows(&v->order[mid], &add[j]) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        pos[j] = lo;
    }
    /* merge from the back: kept rows move up by the added ones before them */
    for (int32_t i = k - 1, j = nadd - 1, w = k + nadd - 1; j >= 0; w--) {
        if (i >= pos[j]) {
            v->order[w] = v->order[i--];
        } else {
            v->order[w] = add[j--];
        }
    }
    v->norder = k + nadd;
    ok = true;
out:
    if (!ok) {
        /* order was cut down: make it again */
        v->order_gen = 0;
        v->order_psig = v->order_sig = 0;
        return false;
    }
    if (v->desc)
        for (int32_t i = 0, j = v->norder - 1; i < j; i++, j--) {
            int32_t x = v->order[i];
            v->order[i] = v->order[j];
            v->order[j] = x;
        }
    return true;
}

/* Are order's rows (whatever their order) the visible rows now: built
 * in this generation, or on this very model (a re-check since, even when
 * the sort was by findings), or a name list's name order whose names
 * and hidden rows are as they were (an edit elsewhere)? */
static bool
rows_current(struct tui *t, struct view *v)
{
    if (v->partial || v->order_gen == 0)
        return false;
    if (v->order_gen == t->gen)
        return true;
    if (v->order_fp && v->order_m == t->m && v->order_mgen == t->m->generation &&
        v->order_fp == view_model_fp(t))
        return true;
    /* an edit since that left the names and hidden rows be (a copy, an
     * attribute): the rows are the same, in whatever order */
    if (v->order_fp && v->order_m == t->m && view_rows_kept(t, v, v->order_mgen))
        return true;
    return view_order_by_name(v, v->order_sort) && view_sig_unchanged(t, v, v->order_m, v->order_sig);
}

/* v's order becomes the rows src[0 .. nsrc) (any order; src may be
 * v->order) in id order, through the match flags as scratch (the filter
 * sets them again after the order is built): sequential, no comparisons.
 * False when out of memory (order untouched). */
static bool
order_ids_of(struct view *v, const int32_t *src, int32_t nsrc, int32_t n)
{
    int32_t k = 0;

    if (!view_match_room(v, n))
        return false;
    memset(v->match, 0, (size_t)n);
    for (int32_t i = 0; i < nsrc; i++)
        v->match[src[i]] = 1;
    for (int32_t r = 0; r < n; r++)
        if (v->match[r])
            v->order[k++] = r;
    v->norder = k;
    return true;
}

/* order's rows (any order) put back in id order. False when out of
 * memory (order untouched). */
static bool
rows_in_id_order(struct view *v, int32_t n)
{
    return order_ids_of(v, v->order, v->norder, n);
}

/* Another view of the same rows (the map's, the datasets') has an order
 * made in this generation, in whatever sort: its rows are the visible
 * rows now, put in id order through the match flags (sequential) instead
 * of asking every object whether it is hidden (a 92-byte dataset a row,
 * memory bound at 1M). False when there is none or out of memory. */
static bool
rows_of_other_view(struct tui *t, struct view *v, int32_t n)
{
    for (int i = 0; i < TUI_NVIEWS; i++) {
        const struct view *o = &t->views[i];
        if (o == v || o->partial || o->order_gen != t->gen || o->ops->count != v->ops->count ||
            o->ops->visible != v->ops->visible || o->norder > n)
            continue;
        return order_ids_of(v, o->order, o->norder, n);
    }
    return false;
}

int
view_build_order(struct tui *t, struct view *v)
{
    int32_t n = v->ops->count(t);
    /* The order there is (another sort of the same rows, this generation
     * or this very model) says which rows are visible: no need to look
     * at every object again. */
    bool same_rows = !v->partial && v->ops->visible && n >= PARTIAL_MIN &&
                     v->norder <= n && rows_current(t, v);

    if (view_grow_order(v, n + 1) != SM_OK || view_grow_rows(v, n + 1) != SM_OK)
        return SM_ENOMEM;
    v->partial = false;
    if (t->unchecked && n >= PARTIAL_MIN && v->sort >= 0 && !v->ops->group &&
        !v->filter[0]) {
        partial_order(t, v, n);
        view_order_built(t, v);
        return SM_OK;
    }
    /* The map lists the datasets view's rows: share a fresh sort. */
    for (int i = 0; i < TUI_NVIEWS; i++) {
        struct view *o = &t->views[i];
        if (o == v || o->ops->count != v->ops->count || o->ops->cols != v->ops->cols ||
            !view_order_current(t, o, v->sort, v->desc) ||
            o->ops->visible != v->ops->visible || o->ops->group || v->ops->group ||
            o->partial)
            continue;
        memcpy(v->order, o->order, sizeof *v->order * (size_t)o->norder);
        v->norder = o->norder;
        view_order_built(t, v);
        return SM_OK;
    }
    if ((!same_rows || !rows_in_id_order(v, n)) && !rows_of_other_view(t, v, n)) {
        v->norder = 0;
        for (int32_t i = 0; i < n; i++)
            if (!v->ops->visible || v->ops->visible(t, i))
                v->order[v->norder++] = i;
    }
    if ((v->sort >= 0 || view_grouped(v, v->sort)) && sort_order(t, v) != SM_OK)
        return SM_ENOMEM;
    view_order_built(t, v);
    return SM_OK;
}
