/*
 * store_snapshot.c - the load snapshot (store_snapshot.h, doc/catalog.md).
 *
 * The snapshot is a file beside the catalog, PATH-snapshot, named by the
 * catalog's meta key "snapshot" (the change counter and the file's random
 * id): written whole into PATH-snapshot-new and renamed, inside the write
 * transaction that sets the key, so a file the key does not name, or one
 * cut short, is never read.
 *
 * It is the model's arrays as they are in memory, pointers replaced
 * by offsets, after one block (the "heap") holding every string and
 * country set once (shared strings stay shared), the string lists' items,
 * the flows' transforms and the scenarios' ops. Reading it is a few big
 * reads, a checksum and one pass putting the pointers back; the name maps
 * are stored slot by slot, so nothing is hashed again.
 *
 *   header | heap: pool, ptrv, transforms, opsv | regions ... scenarios |
 *
 * The pool is the country sets (8-byte aligned, first) then the strings
 * end to end (no alignment: 5 MiB less at a million datasets), then zeros
 * to a multiple of 8.
 *
 *   map slots (6) | rowid maps (3) | the datasets' name ranks (check_name_rank)
 *
 * The layout is this binary's (struct sizes and member offsets are in the
 * header's `abi`): a snapshot written by another build is not read.
 */
#include "store_snapshot.h"
#include "check.h"          /* check_name_rank */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SNAP_FORMAT 5       /* 2: the name ranks; 3: keyless dataset and flow maps;
                               4: attribute sources; 5: a file beside the catalog */
#define SNAP_MAGIC "SovSnap\n"
#define CHUNK (1 << 20)
#define SNAP_ID 16

enum { MAP_REGION, MAP_TIER, MAP_DATASET, MAP_FLOW, MAP_WAIVER, MAP_SCENARIO, MAP_COUNT };
enum { A_REGION, A_TIER, A_DATASET, A_FIELD, A_TAG, A_PLACEMENT, A_FLOW, A_WAIVER,
       A_SCENARIO, A_PROP, A_ASRC, A_COUNT };

struct snap_head {
    char magic[8];                      /* bounded: a fixed 8-byte magic */
    uint32_t format;
    uint32_t abi;
    unsigned char id[SNAP_ID];          /* bounded: random, named by the meta key */
    uint64_t base;
    int64_t change;
    int64_t schema;
    uint64_t checksum;          /* of every byte after the header */
    uint64_t total;             /* bytes of the file */
    uint64_t generation;
    uint64_t pool;              /* bytes of strings and sets, 8-aligned */
    uint64_t nptrv, ntransforms, nopsv;
    int64_t n[A_COUNT];
    uint32_t mapcap[MAP_COUNT], maplen[MAP_COUNT], maptomb[MAP_COUNT];
    int32_t rowcap[3], lin[3], nlin[3];
    int64_t lin_row[3];
    int64_t nrank;              /* ndatasets, or 0: no name ranks stored */
};

/* ---- checksum: four lanes over 32-byte blocks, any split of the stream ---- */

struct hash {
    uint64_t lane[4];
    unsigned char carry[32];            /* bounded: a hash's carry block of 32 bytes */
    size_t ncarry;
    uint64_t len;
};

#define P1 0x9e3779b97f4a7c15ULL
#define P2 0xff51afd7ed558ccdULL

static void
hash_init(struct hash *h)
{
    memset(h, 0, sizeof *h);
    for (int i = 0; i < 4; i++)
        h->lane[i] = P1 * (uint64_t)(i + 1);
}

static inline void
hash_block(uint64_t lane[4], const unsigned char *p)
{
    uint64_t w[4];

    memcpy(w, p, 32);
    for (int i = 0; i < 4; i++) {
        lane[i] = (lane[i] ^ w[i]) * P2;
        lane[i] ^= lane[i] >> 29;
    }
}

static void
hash_update(struct hash *h, const void *data, size_t n)
{
    const unsigned char *p = data;

    h->len += n;
    if (h->ncarry) {
        size_t k = 32 - h->ncarry < n ? 32 - h->ncarry : n;
        memcpy(h->carry + h->ncarry, p, k);
        h->ncarry += k;
        p += k;
        n -= k;
        if (h->ncarry < 32)
            return;
        hash_block(h->lane, h->carry);
        h->ncarry = 0;
    }
    for (; n >= 32; p += 32, n -= 32)
        hash_block(h->lane, p);
    memcpy(h->carry, p, n);
    h->ncarry = n;
}

static uint64_t
hash_final(struct hash *h)
{
    uint64_t r = h->len * P1;

    memset(h->carry + h->ncarry, 0, 32 - h->ncarry);
    hash_block(h->lane, h->carry);
    for (int i = 0; i < 4; i++) {
        r = (r ^ h->lane[i]) * P2;
        r ^= r >> 31;
    }
    return r;
}

static uint64_t
mix(uint64_t h, uint64_t v)
{
    h = (h ^ v) * P2;
    return h ^ (h >> 29);
}

static uint64_t
mix_str(uint64_t h, const char *s)
{
    if (!s)
        return mix(h, 1);
    for (; *s; s++)
        h = mix(h, (unsigned char)*s + 2);
    return mix(h, 0);
}

/* The struct layout this binary reads and writes. */
static uint32_t
abi(void)
{
#define O(t, f) h = mix(h, offsetof(struct t, f))
    uint64_t h = mix(SNAP_FORMAT, sizeof (void *));

    h = mix(h, sizeof (struct region));
    O(region, id); O(region, provider); O(region, code); O(region, name); O(region, city);
    O(region, country); O(region, operator_home); O(region, kind); O(region, builtin);
    O(region, global); O(region, deleted); O(region, members);
    h = mix(h, sizeof (struct tier));
    O(tier, name); O(tier, description); O(tier, rank); O(tier, personal); O(tier, scope);
    O(tier, backup_scope); O(tier, key_scope); O(tier, encryption_at_rest);
    O(tier, transit_encryption); O(tier, sovereign); O(tier, deleted); O(tier, approved);
    O(tier, retention_min_days); O(tier, retention_max_days);
    h = mix(h, sizeof (struct dataset));
    O(dataset, name); O(dataset, system); O(dataset, owner); O(dataset, description);
    O(dataset, source_ref); O(dataset, purpose); O(dataset, legal_basis); O(dataset, tier);
    O(dataset, retention_days);
    O(dataset, subjects); O(dataset, nsubjects); O(dataset, public_sector);
    O(dataset, deleted); O(dataset, first_field); O(dataset, first_tag);
    O(dataset, first_placement); O(dataset, first_prop);
    h = mix(h, sizeof (struct asrc));
    O(asrc, source); O(asrc, entity); O(asrc, time); O(asrc, dataset); O(asrc, field);
    O(asrc, attr); O(asrc, next);
    h = mix(h, sizeof (struct prop));
    O(prop, key); O(prop, value); O(prop, source); O(prop, entity); O(prop, time);
    O(prop, dataset); O(prop, next);
    h = mix(h, sizeof (struct field));
    O(field, name); O(field, type); O(field, comment); O(field, dataset); O(field, next);
    h = mix(h, sizeof (struct tag));
    O(tag, tag); O(tag, source); O(tag, entity); O(tag, time); O(tag, expired); O(tag, dataset);
    O(tag, field); O(tag, next);
    h = mix(h, sizeof (struct placement));
    O(placement, dataset); O(placement, region); O(placement, key_region);
    O(placement, role); O(placement, encrypted); O(placement, mechanism);
    O(placement, deleted); O(placement, mechanism_ref); O(placement, next);
    h = mix(h, sizeof (struct transform));
    O(transform, kind); O(transform, fields);
    h = mix(h, sizeof (struct flow));
    O(flow, name); O(flow, from); O(flow, to); O(flow, to_region); O(flow, kind);
    O(flow, mechanism); O(flow, transit_encrypted); O(flow, public_recipient);
    O(flow, deleted); O(flow, mechanism_ref); O(flow, valid_from); O(flow, valid_to);
    O(flow, fields); O(flow, ntransforms); O(flow, transforms);
    h = mix(h, sizeof (struct waiver));
    O(waiver, key); O(waiver, rule); O(waiver, object); O(waiver, owner);
    O(waiver, reason); O(waiver, expires); O(waiver, deleted);
    h = mix(h, sizeof (struct scenario));
    O(scenario, name); O(scenario, base); O(scenario, description); O(scenario, nops);
    O(scenario, ops); O(scenario, deleted);
    h = mix(h, sizeof (struct sm_strv));
    O(sm_strv, n); O(sm_strv, v);
    h = mix(h, sizeof (struct sm_map_slot));
    O(sm_map_slot, key); O(sm_map_slot, hash); O(sm_map_slot, val);
    h = mix(h, sizeof (struct sm_idmap_slot));
    O(sm_idmap_slot, hash); O(sm_idmap_slot, val);
    h = mix(h, sizeof (struct sm_ccset));
    return (uint32_t)(h ^ (h >> 32));
#undef O
}

/* ---- what the arrays look like: their pointer members ---------------------- */

struct kind {
    size_t size;
    size_t str[6];              /* offsets of string members: every one (a member
                                 * left out keeps the writer's address) */
    int nstr;
    size_t strv;                /* offset of a string list, or 0 */
};

#define S(t, f) offsetof(struct t, f)
static const struct kind kinds[A_COUNT] = {
    [A_REGION] = { sizeof (struct region),
                   { S(region, id), S(region, provider), S(region, code), S(region, name),
                     S(region, city) }, 5, 0 },
    [A_TIER] = { sizeof (struct tier), { S(tier, name), S(tier, description) }, 2,
                 S(tier, approved) },
    [A_DATASET] = { sizeof (struct dataset),
                    { S(dataset, name), S(dataset, system), S(dataset, owner),
                      S(dataset, description), S(dataset, source_ref), S(dataset, purpose) },
                    6, 0 },
    [A_FIELD] = { sizeof (struct field), { S(field, name), S(field, type), S(field, comment) },
                  3, 0 },
    [A_TAG] = { sizeof (struct tag), { S(tag, tag), S(tag, source), S(tag, entity),
                                       S(tag, time), S(tag, expired) }, 5, 0 },
    [A_PLACEMENT] = { sizeof (struct placement), { S(placement, mechanism_ref) }, 1, 0 },
    [A_FLOW] = { sizeof (struct flow), { S(flow, name), S(flow, mechanism_ref) }, 2,
                 S(flow, fields) },
    [A_WAIVER] = { sizeof (struct waiver),
                   { S(waiver, key), S(waiver, rule), S(waiver, object), S(waiver, owner),
                     S(waiver, reason) }, 5, 0 },
    [A_SCENARIO] = { sizeof (struct scenario),
                     { S(scenario, name), S(scenario, base), S(scenario, description) }, 3,
                     0 },
    [A_PROP] = { sizeof (struct prop), { S(prop, key), S(prop, value), S(prop, source),
                                         S(prop, entity), S(prop, time) }, 5, 0 },
    [A_ASRC] = { sizeof (struct asrc), { S(asrc, source), S(asrc, entity), S(asrc, time) },
                 3, 0 },
};
#undef S

static void *
array_of(const struct model *m, int a, int64_t *n)
{
    switch (a) {
    case A_REGION:    *n = m->nregions;    return m->regions;
    case A_TIER:      *n = m->ntiers;      return m->tiers;
    case A_DATASET:   *n = m->ndatasets;   return m->datasets;
    case A_FIELD:     *n = m->nfields;     return m->fields;
    case A_TAG:       *n = m->ntags;       return m->tags;
    case A_PLACEMENT: *n = m->nplacements; return m->placements;
    case A_FLOW:      *n = m->nflows;      return m->flows;
    case A_WAIVER:    *n = m->nwaivers;    return m->waivers;
    case A_PROP:      *n = m->nprops;      return m->props;
    case A_ASRC:      *n = m->nasrcs;      return m->asrcs;
    default:          *n = m->nscenarios;  return m->scenarios;
    }
}

/* The dataset and flow maps keep no keys (sm_idmap): their slots are
 * stored as they are; the others' keys are strings of the heap. */
static bool
is_idmap(int k)
{
    return k == MAP_DATASET || k == MAP_FLOW;
}

static size_t
slot_size(int k)
{
    return is_idmap(k) ? sizeof (struct sm_idmap_slot) : sizeof (struct sm_map_slot);
}

/* A map with keys; NULL for an idmap. */
static const struct sm_map *
map_of(const struct model *m, int k)
{
    const struct sm_map *maps[MAP_COUNT] = {
        &m->region_ids, &m->tier_names, NULL, NULL, &m->waiver_keys, &m->scenario_names
    };
    return maps[k];
}

static const struct sm_idmap *
idmap_of(const struct model *m, int k)
{
    return k == MAP_DATASET ? &m->dataset_names : &m->flow_names;
}

#define TOMB ((const char *)1)

/* ---- the model before the load ---------------------------------------------- */

uint64_t
snap_base(const struct model *m)
{
    uint64_t h = mix(P1, (uint64_t)m->nregions);

    if (m->ntiers || m->ndatasets || m->nfields || m->ntags || m->nprops || m->nasrcs ||
        m->nplacements ||
        m->nflows || m->nwaivers || m->nscenarios || (m->rule_pack && *m->rule_pack))
        return 0;
    for (int32_t i = 0; i < m->nregions; i++) {
        const struct region *r = &m->regions[i];
        h = mix_str(h, r->id);
        h = mix_str(h, r->provider);
        h = mix_str(h, r->code);
        h = mix_str(h, r->name);
        h = mix_str(h, r->city);
        h = mix(h, (uint64_t)(uint32_t)r->country);
        h = mix(h, (uint64_t)(uint32_t)r->operator_home);
        h = mix(h, (uint64_t)r->kind << 24 | (uint64_t)r->builtin << 16 |
                   (uint64_t)r->global << 8 | r->deleted);
        if (r->members)
            for (size_t k = 0; k < sizeof r->members->w / sizeof r->members->w[0]; k++)
                h = mix(h, r->members->w[k]);
        else
            h = mix(h, 3);
    }
    return h | 1;
}

bool
snap_on(void)
{
    const char *on = getenv("SOVMAP_SNAPSHOT");

    return !on || (strcmp(on, "0") != 0 && strcmp(on, "off") != 0);
}

bool
snap_worth(const struct model *m)
{
    const char *min = getenv("SOVMAP_SNAPSHOT_MIN");
    long n = 50000;

    if (!snap_on())
        return false;
    if (min && *min)
        n = strtol(min, NULL, 10);
    return m->ndatasets >= n;
}

/* ---- writing --------------------------------------------------------------- */

/* pointer -> heap offset. Almost every string and set of a model loaded
 * from the tables lies in the model's arena, at an 8-byte boundary of one
 * of its blocks (sm_arena_alloc): each block that holds one gets a table
 * of offsets, a slot per 8 bytes, so a pointer is found by its block (the
 * one last found for the same 64 KiB of address, else a search of a few
 * hundred) and read where the arena put it, nearly in the order the load
 * made the strings; the last few hundred pointers found are kept aside
 * (most strings are shared: a system, an owner, a tag).
 * (A hash table of pointers cost 0.66 s of the 1M first load: two random
 * probes per distinct name into ~40 MB.) The rest (the shared empty text,
 * a snapshot heap's unaligned strings) go into a hash table, and so do the
 * strings of blocks past the tables' budget: what the hash table of every
 * pointer took, or 4 MiB (an arena of long texts would otherwise need
 * tables of half its size). */
#define PTR_NEAR 256
#define PTR_RECENT_BITS 9
#define PTR_BUDGET_MIN ((uint64_t)4 << 20)

struct blk {
    uintptr_t base, end;
    uint32_t *off;              /* per 8 bytes: offset + 1, 0 none; NULL: not made */
    bool none;                  /* past the budget: none is made */
};

struct ptrmap {
    struct blk *blk;            /* by address */
    size_t nblk;
    uint64_t budget;            /* bytes the tables may still take */
    uint32_t near[PTR_NEAR];    /* per 64 KiB of address (mod PTR_NEAR): a block */
    struct { const void *p; uint64_t off; } recent[1 << PTR_RECENT_BITS];  /* bounded:
                                 * a cache of pointers found (most are shared) */
    struct { const void *p; uint64_t off; } *slot;
    uint64_t cap, nslot;
    const void **order;         /* in offset order */
    uint64_t n, ocap;
    uint64_t pool;              /* bytes so far */
    uint64_t nsets;             /* the first nsets are country sets */
    bool strings;               /* the sets are in: what comes is unaligned */
};

#define PTR_CAP_MAX ((uint64_t)1 << 32)     /* the home slot scales a 32-bit hash */

static int
blk_cmp(const void *a, const void *b)
{
    uintptr_t x = ((const struct blk *)a)->base, y = ((const struct blk *)b)->base;

    return x < y ? -1 : x > y;
}

/* The blocks of m's arena, by address (out of memory: none, every pointer
 * goes to the hash table). */
static void
blk_init(struct ptrmap *pm, const struct model *m)
{
    const struct sm_arena_block *it = NULL;
    const char *data;
    size_t size, n = 0;

    while ((it = sm_arena_next(&m->arena, it, &data, &size)))
        n++;
    if (!n || !(pm->blk = calloc(n, sizeof *pm->blk)))
        return;
    while ((it = sm_arena_next(&m->arena, it, &data, &size)) && pm->nblk < n)
        pm->blk[pm->nblk++] = (struct blk){ (uintptr_t)data, (uintptr_t)data + size, NULL, false };
    qsort(pm->blk, pm->nblk, sizeof *pm->blk, blk_cmp);
}

static void
blk_free(struct ptrmap *pm)
{
    for (size_t i = 0; i < pm->nblk; i++)
        free(pm->blk[i].off);
    free(pm->blk);
}

/* p's slot in its block's table, or NULL: not at an 8-byte boundary of a
 * block, or (make false) no table made for the block; make: the table is
 * made (NULL if out of memory). */
static uint32_t *
blk_slot(struct ptrmap *pm, const void *p, bool make)
{
    uintptr_t a = (uintptr_t)p;
    struct blk *b;
    uint32_t *g;
    size_t lo = 0, hi = pm->nblk;

    if (a & 7 || !pm->nblk)
        return NULL;
    /* the block last found for a's 64 KiB, else a search without
     * branches to mispredict: the last block starting at or before a */
    g = &pm->near[(a >> 16) % PTR_NEAR];
    b = &pm->blk[*g];
    if (a < b->base || a >= b->end) {
        while (hi > 1) {
            size_t half = hi / 2;
            lo = pm->blk[lo + half].base <= a ? lo + half : lo;
            hi -= half;
        }
        b = &pm->blk[lo];
        if (a < b->base || a >= b->end)
            return NULL;
        *g = (uint32_t)lo;
    }
    if (!b->off) {
        size_t n = (b->end - b->base) / 8 + 1;
        if (!make || b->none || n * sizeof *b->off > pm->budget ||
            !(b->off = calloc(n, sizeof *b->off))) {
            b->none = b->none || make;
            return NULL;
        }
        pm->budget -= n * sizeof *b->off;
    }
    return &b->off[(a - b->base) / 8];
}

/* The home slot of p in a table of cap slots (cap <= PTR_CAP_MAX). */
static inline uint64_t
ptr_home(const void *p, uint64_t cap)
{
    uint64_t x = (uint64_t)(uintptr_t)p * P2;

    x ^= x >> 31;
    return ((x >> 32) * cap) >> 32;
}

static inline uint64_t
ptr_next(uint64_t i, uint64_t cap)
{
    return ++i == cap ? 0 : i;
}

/* Twice the slots. */
static bool
ptr_grow(struct ptrmap *pm)
{
    uint64_t cap = pm->cap * 2, i;
    __typeof__(pm->slot) slot;

    if (cap > PTR_CAP_MAX || !(slot = calloc(cap, sizeof *slot)))
        return false;
    for (uint64_t k = 0; k < pm->cap; k++)
        if (pm->slot[k].p) {
            for (i = ptr_home(pm->slot[k].p, cap); slot[i].p; i = ptr_next(i, cap))
                ;
            slot[i] = pm->slot[k];
        }
    free(pm->slot);
    pm->slot = slot;
    pm->cap = cap;
    return true;
}

/* p's offset in the hash table, or UINT64_MAX; *at: where it would go. */
static uint64_t
ptr_find(const struct ptrmap *pm, const void *p, uint64_t *at)
{
    uint64_t i;

    for (i = ptr_home(p, pm->cap); pm->slot[i].p; i = ptr_next(i, pm->cap))
        if (pm->slot[i].p == p)
            return pm->slot[i].off;
    if (at)
        *at = i;
    return UINT64_MAX;
}

/* The slot of recent[] for p. */
static inline size_t
ptr_recent(const void *p)
{
    return (size_t)(((uint64_t)(uintptr_t)p >> 3) * P1 >> (64 - PTR_RECENT_BITS));
}

/* p's offset, or UINT64_MAX: not added yet (*bs, *at: where it goes). */
static uint64_t
ptr_get(struct ptrmap *pm, const void *p, bool make, uint32_t **bs, uint64_t *at)
{
    size_t r = ptr_recent(p);
    uint64_t off;

    if (pm->recent[r].p == p)
        return pm->recent[r].off;
    *bs = blk_slot(pm, p, make);
    off = *bs && **bs ? **bs - 1 : ptr_find(pm, p, at);
    if (off != UINT64_MAX) {
        pm->recent[r].p = p;
        pm->recent[r].off = off;
    }
    return off;
}

/* Add p (a set of len bytes, or a string: len 0) once; false: out of
 * memory. A string's length is taken only the first time it is seen. */
static bool
ptr_add(struct ptrmap *pm, const void *p, size_t len)
{
    uint32_t *bs = NULL;
    uint64_t i = 0;

    if (!p || p == TOMB || ptr_get(pm, p, true, &bs, &i) != UINT64_MAX)
        return true;
    if (pm->n == pm->ocap) {
        uint64_t ocap = pm->ocap ? pm->ocap * 2 : 1024;
        const void **order = realloc(pm->order, ocap * sizeof *order);
        if (!order)
            return false;
        pm->order = order;
        pm->ocap = ocap;
    }
    if (bs && pm->pool < UINT32_MAX) {
        *bs = (uint32_t)(pm->pool + 1);
    } else {
        if (pm->nslot * 4 >= pm->cap * 3) {
            if (!ptr_grow(pm))
                return false;
            ptr_find(pm, p, &i);
        }
        pm->slot[i].p = p;
        pm->slot[i].off = pm->pool;
        pm->nslot++;
    }
    if (!len)
        len = strlen(p) + 1;
    pm->order[pm->n++] = p;
    /* sets (added first) stay 8-byte aligned; strings need no alignment */
    pm->pool += pm->strings ? len : (len + 7) & ~(size_t)7;
    return true;
}

/* The offset of p, added before. */
static uint64_t
ptr_off(struct ptrmap *pm, const void *p)
{
    uint32_t *bs = NULL;
    uint64_t i;

    return ptr_get(pm, p, false, &bs, &i);
}

/* 0 NULL, else offset + 1 */
static uint64_t
enc_str(struct ptrmap *pm, const void *p)
{
    return p ? ptr_off(pm, p) + 1 : 0;
}

#define STR_ADD(pm, s) ptr_add(pm, s, 0)

static bool
strv_add(struct ptrmap *pm, const struct sm_strv *v, uint64_t *nptrv)
{
    for (uint32_t k = 0; k < v->n; k++)
        if (v->v[k] && !STR_ADD(pm, v->v[k]))
            return false;
    *nptrv += v->n;
    return true;
}

/* Every string and set of m into pm; counts of the heap's lists. */
static bool
collect(struct ptrmap *pm, const struct model *m, struct snap_head *h)
{
    for (int32_t i = 0; i < m->nregions; i++)
        if (!ptr_add(pm, m->regions[i].members, sizeof (struct sm_ccset)))
            return false;
    pm->nsets = pm->n;
    pm->strings = true;
    for (int a = 0; a < A_COUNT; a++) {
        int64_t n;
        const char *base = array_of(m, a, &n);
        const struct kind *k = &kinds[a];
        for (int64_t i = 0; i < n; i++) {
            const char *obj = base + (size_t)i * k->size;
            for (int s = 0; s < k->nstr; s++) {
                const char *str;
                memcpy(&str, obj + k->str[s], sizeof str);
                if (str && !STR_ADD(pm, str))
                    return false;
            }
            if (a == A_TIER && !strv_add(pm, &m->tiers[i].approved, &h->nptrv))
                return false;
            if (a == A_FLOW) {
                const struct flow *f = &m->flows[i];
                if (!strv_add(pm, &f->fields, &h->nptrv))
                    return false;
                for (uint32_t t = 0; t < f->ntransforms; t++)
                    if (!strv_add(pm, &f->transforms[t].fields, &h->nptrv))
                        return false;
                h->ntransforms += f->ntransforms;
            }
            if (a == A_SCENARIO) {
                const struct scenario *sc = &m->scenarios[i];
                for (uint32_t o = 0; o < sc->nops; o++)
                    if (!strv_add(pm, &sc->ops[o], &h->nptrv))
                        return false;
                h->nopsv += sc->nops;
            }
        }
    }
    for (int k = 0; k < MAP_COUNT; k++) {
        const struct sm_map *map = map_of(m, k);
        for (uint32_t i = 0; map && i < map->cap; i++)
            if (map->slots[i].key && map->slots[i].key != TOMB &&
                !STR_ADD(pm, map->slots[i].key))
                return false;
    }
    pm->pool = (pm->pool + 7) & ~(uint64_t)7;
    return true;
}

/* ---- the file ------------------------------------------------------------- */

/* The catalog's snapshot file, PATH-snapshot followed by `suffix`, or NULL:
 * a temporary or in-memory catalog has none (or out of memory). */
static char *
snap_path(sqlite3 *db, const char *suffix)
{
    const char *cat = sqlite3_db_filename(db, "main");
    size_t n;
    char *p;

    if (!cat || !*cat)
        return NULL;
    n = strlen(cat) + sizeof "-snapshot" + strlen(suffix);
    if ((p = malloc(n)))
        snprintf(p, n, "%s-snapshot%s", cat, suffix);
    return p;
}

/* n bytes at off, whole: written from p, or read into it (`in`). False:
 * an error, or the file ends first. */
static bool
io_at(int fd, void *p, size_t n, int64_t off, bool in)
{
    char *b = p;

    while (n) {
        ssize_t k = in ? pread(fd, b, n, (off_t)off) : pwrite(fd, b, n, (off_t)off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        b += k;
        n -= (size_t)k;
        off += k;
    }
    return true;
}

/* A new file at tmp (one left by a writer that died is replaced), readable
 * by whoever may read the catalog `cat`: it holds the same data. */
static int
open_new(const char *tmp, const char *cat)
{
    struct stat sb;
    mode_t mode = stat(cat, &sb) == 0 ? sb.st_mode & 0666 : 0600;
    int fd;

    if (unlink(tmp) != 0 && errno != ENOENT)
        return -1;
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)) >= 0 &&
        fchmod(fd, mode) != 0) {
        close(fd);
        unlink(tmp);
        fd = -1;
    }
    return fd;
}

/* The meta key's value: the change counter, a space, the id in hex. */
#define MARK_MAX (21 + 1 + 2 * SNAP_ID + 1)

/* mark holds MARK_MAX bytes: a change counter (20 characters at most), a
 * space, 32 hex digits, the NUL */
static void
mark_of(char *mark, const struct snap_head *h)
{
    int n = snprintf(mark, MARK_MAX, "%" PRId64 " ", h->change);

    for (int i = 0; i < SNAP_ID && n > 0 && n + 2 < MARK_MAX; i++, n += 2)
        snprintf(mark + n, 3, "%02x", h->id[i]);
}

/* Whether the meta key names this snapshot: its change counter and id. */
static bool
mark_names(const char *mark, const struct snap_head *h)
{
    char want[MARK_MAX];                /* bounded: a change counter and an id */

    mark_of(want, h);
    return strcmp(mark, want) == 0;
}

struct out {
    int fd;
    int64_t off;
    struct hash h;
    unsigned char *buf;
    size_t n;
    bool bad;
};

static void
out_flush(struct out *o)
{
    if (o->n && !o->bad) {
        hash_update(&o->h, o->buf, o->n);
        o->bad = !io_at(o->fd, o->buf, o->n, o->off, false);
        o->off += (int64_t)o->n;
    }
    o->n = 0;
}

static void
out_put(struct out *o, const void *p, size_t n)
{
    const unsigned char *s = p;

    while (n) {
        size_t k = CHUNK - o->n < n ? CHUNK - o->n : n;
        memcpy(o->buf + o->n, s, k);
        o->n += k;
        s += k;
        n -= k;
        if (o->n == CHUNK)
            out_flush(o);
    }
}

static void
out_u64(struct out *o, uint64_t v)
{
    out_put(o, &v, sizeof v);
}

static void
put_ptr(char *obj, size_t at, uint64_t v)
{
    memcpy(obj + at, &v, sizeof v);
}

/* The string list's items into ptrv; its v as index + 1. */
static uint64_t
strv_enc(struct out *o, struct ptrmap *pm, const struct sm_strv *v, uint64_t *p)
{
    uint64_t at = *p;

    if (o)
        for (uint32_t k = 0; k < v->n; k++)
            out_u64(o, enc_str(pm, v->v[k]));
    *p += v->n;
    return v->v ? at + 1 : 0;
}

static void
write_body(struct out *o, struct ptrmap *pm, const struct model *m, const int32_t *rank,
           const struct rowmap *const rows[3])
{
    static const char zero[8];          /* bounded: padding of 8 zero bytes */
    uint64_t p = 0, tr = 0, op = 0;

    /* pool */
    uint64_t at = 0;
    for (uint64_t i = 0; i < pm->n; i++) {
        const char *s = pm->order[i];
        /* the sets come first (collect adds them before any string) */
        size_t len = i < pm->nsets ? sizeof (struct sm_ccset) : strlen(s) + 1;
        size_t pad = i < pm->nsets ? ((len + 7) & ~(size_t)7) - len : 0;
        out_put(o, s, len);
        out_put(o, zero, pad);
        at += len + pad;
    }
    out_put(o, zero, pm->pool - at);
    /* ptrv, in the order the arrays below number them */
    for (int32_t i = 0; i < m->ntiers; i++)
        strv_enc(o, pm, &m->tiers[i].approved, &p);
    for (int32_t i = 0; i < m->nflows; i++) {
        strv_enc(o, pm, &m->flows[i].fields, &p);
        for (uint32_t t = 0; t < m->flows[i].ntransforms; t++)
            strv_enc(o, pm, &m->flows[i].transforms[t].fields, &p);
    }
    for (int32_t i = 0; i < m->nscenarios; i++)
        for (uint32_t k = 0; k < m->scenarios[i].nops; k++)
            strv_enc(o, pm, &m->scenarios[i].ops[k], &p);
    /* transforms and opsv */
    p = 0;
    for (int32_t i = 0; i < m->ntiers; i++)
        p += m->tiers[i].approved.n;
    for (int32_t i = 0; i < m->nflows; i++) {
        p += m->flows[i].fields.n;
        for (uint32_t t = 0; t < m->flows[i].ntransforms; t++) {
            const struct transform *src = &m->flows[i].transforms[t];
            struct transform x;
            uint64_t v = strv_enc(NULL, pm, &src->fields, &p);

            /* member by member over zeros: the padding a copy of the
             * struct would carry is whatever the heap held, and the
             * file would differ from one write to the next */
            memset(&x, 0, sizeof x);
            x.kind = src->kind;
            x.fields.n = src->fields.n;
            memcpy(&x.fields.v, &v, sizeof v);
            out_put(o, &x, sizeof x);
        }
    }
    for (int32_t i = 0; i < m->nscenarios; i++)
        for (uint32_t k = 0; k < m->scenarios[i].nops; k++) {
            struct sm_strv x;
            uint64_t v = strv_enc(NULL, pm, &m->scenarios[i].ops[k], &p);

            memset(&x, 0, sizeof x);
            x.n = m->scenarios[i].ops[k].n;
            memcpy(&x.v, &v, sizeof v);
            out_put(o, &x, sizeof x);
        }
    /* the arrays */
    p = 0;
    for (int a = 0; a < A_COUNT; a++) {
        int64_t n;
        const char *base = array_of(m, a, &n);
        const struct kind *k = &kinds[a];
        /* bounded: one model struct's bytes, the largest three summed */
        char obj[sizeof (struct flow) + sizeof (struct region) + sizeof (struct dataset)];
        for (int64_t i = 0; i < n; i++) {
            const char *src = base + (size_t)i * k->size;
            memcpy(obj, src, k->size);
            for (int s = 0; s < k->nstr; s++) {
                const char *str;
                memcpy(&str, src + k->str[s], sizeof str);
                put_ptr(obj, k->str[s], enc_str(pm, str));
            }
            if (a == A_REGION)
                put_ptr(obj, offsetof(struct region, members),
                        enc_str(pm, m->regions[i].members));
            if (a == A_TIER)
                put_ptr(obj, k->strv + offsetof(struct sm_strv, v),
                        strv_enc(NULL, pm, &m->tiers[i].approved, &p));
            if (a == A_FLOW) {
                const struct flow *f = &m->flows[i];
                put_ptr(obj, k->strv + offsetof(struct sm_strv, v),
                        strv_enc(NULL, pm, &f->fields, &p));
                for (uint32_t t = 0; t < f->ntransforms; t++)
                    p += f->transforms[t].fields.n;
                put_ptr(obj, offsetof(struct flow, transforms), f->transforms ? tr + 1 : 0);
                tr += f->ntransforms;
            }
            if (a == A_SCENARIO) {
                const struct scenario *sc = &m->scenarios[i];
                put_ptr(obj, offsetof(struct scenario, ops), sc->ops ? op + 1 : 0);
                op += sc->nops;
            }
            out_put(o, obj, k->size);
        }
    }
    /* the name maps */
    for (int k = 0; k < MAP_COUNT; k++) {
        const struct sm_map *map = map_of(m, k);
        if (!map) {
            const struct sm_idmap *id = idmap_of(m, k);
            if (id->cap)
                out_put(o, id->slots, id->cap * sizeof *id->slots);
            continue;
        }
        for (uint32_t i = 0; i < map->cap; i++) {
            struct sm_map_slot s = map->slots[i];
            uint64_t v = !s.key ? 0 : s.key == TOMB ? 1 : ptr_off(pm, s.key) + 2;
            memcpy(&s.key, &v, sizeof v);
            out_put(o, &s, sizeof s);
        }
    }
    for (int r = 0; r < 3; r++)
        if (rows[r]->row)
            out_put(o, rows[r]->row, (size_t)rows[r]->cap * sizeof *rows[r]->row);
    if (rank)
        out_put(o, rank, (size_t)m->ndatasets * sizeof *rank);
    out_flush(o);
}

static int
exec_db(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? SM_OK : SM_EDB;
}

int
snap_write(sqlite3 *db, const struct snap_key *key, const struct model *m,
           const struct rowmap *const rows[3])
{
    struct snap_head h;
    struct ptrmap pm = { 0 };
    struct out o = { .fd = -1 };
    sqlite3_stmt *s = NULL;
    uint64_t body = 0, want;
    int rc = SM_ENOMEM;
    char mark[MARK_MAX];                /* bounded: a change counter and an id */
    const int32_t *rank = model_name_rank(m);
    int32_t *own = NULL;
    char *path = snap_path(db, ""), *tmp = snap_path(db, "-new");
    bool renamed = false;

    memset(&h, 0, sizeof h);
    memcpy(h.magic, SNAP_MAGIC, 8);
    h.format = SNAP_FORMAT;
    h.abi = abi();
    h.base = key->base;
    h.change = key->change;
    h.schema = key->schema;
    h.generation = m->generation;
    sqlite3_randomness(SNAP_ID, h.id);
    /* distinct pointers: the names, and a few shared strings per column;
     * the hash table for them all, or the arena's tables in its room and a
     * hash table for the rest, starting small */
    want = ((uint64_t)m->ndatasets + (uint64_t)m->nflows + (uint64_t)m->nregions + 4096) * 3 / 2;
    blk_init(&pm, m);
    pm.budget = want * sizeof *pm.slot > PTR_BUDGET_MIN ? want * sizeof *pm.slot : PTR_BUDGET_MIN;
    pm.cap = pm.nblk ? 64 : want;
    if (!path || !tmp || pm.cap > PTR_CAP_MAX ||
        !(pm.slot = calloc(pm.cap, sizeof *pm.slot)) ||
        !(o.buf = malloc(CHUNK)) || !collect(&pm, m, &h))
        goto out;
    h.pool = pm.pool;
    body = h.pool + h.nptrv * 8 + h.ntransforms * sizeof (struct transform) +
           h.nopsv * sizeof (struct sm_strv);
    for (int a = 0; a < A_COUNT; a++) {
        array_of(m, a, &h.n[a]);
        body += (uint64_t)h.n[a] * kinds[a].size;
    }
    for (int k = 0; k < MAP_COUNT; k++) {
        const struct sm_map *map = map_of(m, k);
        const struct sm_idmap *id = map ? NULL : idmap_of(m, k);
        h.mapcap[k] = map ? map->cap : id->cap;
        h.maplen[k] = map ? map->len : id->len;
        h.maptomb[k] = map ? map->tomb : id->tomb;
        body += (uint64_t)h.mapcap[k] * slot_size(k);
    }
    for (int r = 0; r < 3; r++) {
        h.rowcap[r] = rows[r]->row ? rows[r]->cap : 0;
        h.lin[r] = rows[r]->lin;
        h.nlin[r] = rows[r]->nlin;
        h.lin_row[r] = rows[r]->lin_row;
        body += (uint64_t)h.rowcap[r] * 8;
    }
    /* the names' order, for check_run (out of memory: none, not an error) */
    if (!rank && m->ndatasets > 0 && check_name_rank(m, &own) == SM_OK)
        rank = own;
    h.nrank = rank ? m->ndatasets : 0;
    body += (uint64_t)h.nrank * sizeof *rank;
    h.total = sizeof h + body;
    /* the file, whole, then its name: a reader finds the old file or this one */
    rc = SM_EIO;
    if ((o.fd = open_new(tmp, sqlite3_db_filename(db, "main"))) < 0)
        goto out;
    hash_init(&o.h);
    o.off = sizeof h;
    write_body(&o, &pm, m, h.nrank ? rank : NULL, rows);
    if (o.bad || (uint64_t)o.off != h.total)
        goto out;
    h.checksum = hash_final(&o.h);
    if (!io_at(o.fd, &h, sizeof h, 0, false))
        goto out;
    rc = close(o.fd);
    o.fd = -1;
    if (rc != 0 || rename(tmp, path) != 0) {
        rc = SM_EIO;
        goto out;
    }
    renamed = true;
    /* the key names it; a format 4 snapshot (a blob in the catalog) goes */
    rc = SM_EDB;
    mark_of(mark, &h);
    if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO main.meta(key, value) "
                               "VALUES('snapshot', ?)", -1, &s, NULL) != SQLITE_OK ||
        sqlite3_bind_text(s, 1, mark, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_DONE || exec_db(db, "DROP TABLE IF EXISTS main.snapshot"))
        goto out;
    rc = SM_OK;
out:
    if (o.fd >= 0)
        close(o.fd);
    if (tmp && !renamed)
        unlink(tmp);
    sqlite3_finalize(s);
    free(o.buf);
    blk_free(&pm);
    free(pm.slot);
    free(pm.order);
    free(own);
    free(path);
    free(tmp);
    return rc;
}

int
snap_invalidate(sqlite3 *db)
{
    return exec_db(db, "DELETE FROM main.meta WHERE key = 'snapshot'");
}

/* ---- reading --------------------------------------------------------------- */

struct in {
    int fd;
    int64_t off;
    struct hash h;
    bool bad;
};

static void
in_read(struct in *r, void *dst, uint64_t n)
{
    unsigned char *d = dst;

    while (n && !r->bad) {
        size_t k = n > CHUNK ? CHUNK : (size_t)n;
        if (!io_at(r->fd, d, k, r->off, true)) {
            r->bad = true;
            return;
        }
        hash_update(&r->h, d, k);
        r->off += (int64_t)k;
        d += k;
        n -= k;
    }
}

struct loaded {
    char *heap;
    void *arr[A_COUNT];
    void *slots[MAP_COUNT];        /* struct sm_map_slot, or sm_idmap_slot */
    int64_t *rows[3];
    int32_t *rank;
};

static void
loaded_free(struct loaded *l)
{
    sm_arena_raw_free(l->heap);
    for (int a = 0; a < A_COUNT; a++)
        sm_big_free(l->arr[a]);
    for (int k = 0; k < MAP_COUNT; k++)
        sm_big_free(l->slots[k]);
    for (int r = 0; r < 3; r++)
        free(l->rows[r]);
    free(l->rank);
}

/* Pointers back from offsets, each checked against the heap. */
struct fix {
    char *heap;
    uint64_t pool, nptrv, ntr, nopsv;
    const char **ptrv;
    struct transform *tr;
    struct sm_strv *opsv;
    bool bad;
};

static void *
fix_str(struct fix *f, char *at)
{
    uint64_t v;
    void *p;

    memcpy(&v, at, sizeof v);
    p = !v ? NULL : v - 1 < f->pool ? f->heap + v - 1 : (f->bad = true, NULL);
    memcpy(at, &p, sizeof p);
    return p;
}

static void
fix_strv(struct fix *f, struct sm_strv *sv)
{
    uint64_t v;

    memcpy(&v, &sv->v, sizeof v);
    if (!v) {
        sv->v = NULL;
        f->bad |= sv->n != 0;
    } else if (v - 1 + sv->n <= f->nptrv) {
        sv->v = f->ptrv + (v - 1);
    } else {
        sv->v = NULL;
        f->bad = true;
    }
}

static bool
check_head(const struct snap_head *h, const struct snap_key *key, int64_t size)
{
    uint64_t body;

    if (memcmp(h->magic, SNAP_MAGIC, 8) != 0 || h->format != SNAP_FORMAT ||
        h->abi != abi() || h->base != key->base || h->change != key->change ||
        h->schema != key->schema || h->total != (uint64_t)size || h->pool % 8 ||
        h->pool > h->total || h->nptrv > h->total || h->ntransforms > h->total ||
        h->nopsv > h->total)
        return false;
    body = h->pool + h->nptrv * 8 + h->ntransforms * sizeof (struct transform) +
           h->nopsv * sizeof (struct sm_strv);
    for (int a = 0; a < A_COUNT; a++) {
        if (h->n[a] < 0 || h->n[a] > INT32_MAX / 2)
            return false;
        body += (uint64_t)h->n[a] * kinds[a].size;
    }
    for (int k = 0; k < MAP_COUNT; k++) {
        if ((h->mapcap[k] & (h->mapcap[k] - 1)) || h->maplen[k] > h->mapcap[k] ||
            h->maptomb[k] > h->mapcap[k])
            return false;
        body += (uint64_t)h->mapcap[k] * slot_size(k);
    }
    for (int r = 0; r < 3; r++) {
        if (h->rowcap[r] < 0 || h->nlin[r] < 0 || h->lin[r] < 0)
            return false;
        body += (uint64_t)h->rowcap[r] * 8;
    }
    if (h->nrank != 0 && h->nrank != h->n[A_DATASET])
        return false;
    body += (uint64_t)h->nrank * sizeof (int32_t);
    return sizeof *h + body == h->total;
}

static void
fix_arrays(struct fix *f, struct loaded *l, const struct snap_head *h)
{
    for (int a = 0; a < A_COUNT; a++) {
        const struct kind *k = &kinds[a];
        for (int64_t i = 0; i < h->n[a] && !f->bad; i++) {
            char *obj = (char *)l->arr[a] + (size_t)i * k->size;
            for (int s = 0; s < k->nstr; s++)
                fix_str(f, obj + k->str[s]);
            if (a == A_REGION) {
                struct region *r = (void *)obj;
                uint64_t v;
                memcpy(&v, &r->members, sizeof v);
                if (v && ((v - 1) % 8 || v - 1 + sizeof (struct sm_ccset) > f->pool))
                    f->bad = true;
                else
                    r->members = v ? (void *)(f->heap + v - 1) : NULL;
            }
            if (a == A_TIER)
                fix_strv(f, &((struct tier *)(void *)obj)->approved);
            if (a == A_FLOW) {
                struct flow *fl = (void *)obj;
                uint64_t v;
                fix_strv(f, &fl->fields);
                memcpy(&v, &fl->transforms, sizeof v);
                if (!v)
                    fl->transforms = NULL, f->bad |= fl->ntransforms != 0;
                else if (v - 1 + fl->ntransforms <= f->ntr)
                    fl->transforms = f->tr + (v - 1);
                else
                    fl->transforms = NULL, f->bad = true;
            }
            if (a == A_SCENARIO) {
                struct scenario *sc = (void *)obj;
                uint64_t v;
                memcpy(&v, &sc->ops, sizeof v);
                if (!v)
                    sc->ops = NULL, f->bad |= sc->nops != 0;
                else if (v - 1 + sc->nops <= f->nopsv)
                    sc->ops = f->opsv + (v - 1);
                else
                    sc->ops = NULL, f->bad = true;
            }
        }
    }
}

int
snap_read(sqlite3 *db, const struct snap_key *key, const char *mark, struct model *m,
          struct rowmap *const rows[3])
{
    struct snap_head h;
    struct in r = { .fd = -1 };
    struct loaded l = { 0 };
    struct fix f = { 0 };
    struct stat sb;
    uint64_t heap;
    int rc = SM_ENOTFOUND;
    char *path = snap_path(db, "");

    /* O_NONBLOCK: whatever is at that name, opening it does not wait */
    r.fd = path ? open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK) : -1;
    free(path);
    if (r.fd < 0)
        return SM_ENOTFOUND;
    if (fstat(r.fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size < (off_t)sizeof h ||
        !io_at(r.fd, &h, sizeof h, 0, true) || !check_head(&h, key, sb.st_size) ||
        !mark_names(mark, &h))
        goto out;
    rc = SM_ENOMEM;
    heap = h.pool + h.nptrv * 8 + h.ntransforms * sizeof (struct transform) +
           h.nopsv * sizeof (struct sm_strv);
    if (!(l.heap = sm_arena_raw(heap ? heap : 8)))
        goto out;
    for (int a = 0; a < A_COUNT; a++)
        if (h.n[a] && !(l.arr[a] = sm_big_alloc((size_t)h.n[a] * kinds[a].size, m->shareable)))
            goto out;
    for (int k = 0; k < MAP_COUNT; k++)
        if (h.mapcap[k] &&
            !(l.slots[k] = sm_big_alloc(h.mapcap[k] * slot_size(k), m->shareable)))
            goto out;
    for (int i = 0; i < 3; i++)
        if (h.rowcap[i] && !(l.rows[i] = malloc((size_t)h.rowcap[i] * 8)))
            goto out;
    if (h.nrank && !(l.rank = malloc((size_t)h.nrank * sizeof *l.rank)))
        goto out;
    rc = SM_ENOTFOUND;
    hash_init(&r.h);
    r.off = sizeof h;
    in_read(&r, l.heap, heap);
    for (int a = 0; a < A_COUNT; a++)
        in_read(&r, l.arr[a], (uint64_t)h.n[a] * kinds[a].size);
    for (int k = 0; k < MAP_COUNT; k++)
        in_read(&r, l.slots[k], (uint64_t)h.mapcap[k] * slot_size(k));
    for (int i = 0; i < 3; i++)
        in_read(&r, l.rows[i], (uint64_t)h.rowcap[i] * 8);
    in_read(&r, l.rank, (uint64_t)h.nrank * sizeof *l.rank);
    if (r.bad || hash_final(&r.h) != h.checksum)
        goto out;
    for (int64_t i = 0; i < h.nrank; i++)
        if (l.rank[i] < 0 || l.rank[i] >= h.nrank)
            goto out;
    /* the pointers back; anything out of range and the snapshot is not used */
    f.heap = l.heap;
    f.pool = h.pool;
    f.nptrv = h.nptrv;
    f.ntr = h.ntransforms;
    f.nopsv = h.nopsv;
    f.ptrv = (const char **)(void *)(l.heap + h.pool);
    f.tr = (void *)(l.heap + h.pool + h.nptrv * 8);
    f.opsv = (void *)((char *)f.tr + h.ntransforms * sizeof (struct transform));
    if (h.pool && l.heap[h.pool - 1] != '\0')
        goto out;
    for (uint64_t i = 0; i < h.nptrv; i++)
        fix_str(&f, (char *)&f.ptrv[i]);
    for (uint64_t i = 0; i < h.ntransforms; i++)
        fix_strv(&f, &f.tr[i].fields);
    for (uint64_t i = 0; i < h.nopsv; i++)
        fix_strv(&f, &f.opsv[i]);
    fix_arrays(&f, &l, &h);
    for (int k = 0; k < MAP_COUNT && !f.bad; k++)
        for (uint32_t i = 0; i < h.mapcap[k] && !f.bad; i++) {
            struct sm_map_slot *s = (struct sm_map_slot *)l.slots[k] + i;
            uint64_t v;
            if (is_idmap(k)) {
                /* an id of a named object, or a free (0) or deleted (1) slot */
                const struct sm_idmap_slot *d = (struct sm_idmap_slot *)l.slots[k] + i;
                int a = k == MAP_DATASET ? A_DATASET : A_FLOW;
                const char *name = NULL;
                if (d->hash && d->val >= 0 && d->val < h.n[a])
                    name = a == A_DATASET ? ((struct dataset *)l.arr[a])[d->val].name
                                          : ((struct flow *)l.arr[a])[d->val].name;
                f.bad = d->hash ? !name : d->val != 0 && d->val != 1;
                continue;
            }
            memcpy(&v, &s->key, sizeof v);
            if (v < 2)
                s->key = v ? TOMB : NULL;
            else if (v - 2 < h.pool)
                s->key = l.heap + v - 2;
            else
                f.bad = true;
        }
    if (f.bad)
        goto out;
    /* the model takes it all */
    {
        void **dst[A_COUNT] = {
            (void **)&m->regions, (void **)&m->tiers, (void **)&m->datasets,
            (void **)&m->fields, (void **)&m->tags, (void **)&m->placements,
            (void **)&m->flows, (void **)&m->waivers, (void **)&m->scenarios,
            (void **)&m->props, (void **)&m->asrcs
        };
        int32_t *cnt[A_COUNT][2] = {
            { &m->nregions, &m->cap_regions }, { &m->ntiers, &m->cap_tiers },
            { &m->ndatasets, &m->cap_datasets }, { &m->nfields, &m->cap_fields },
            { &m->ntags, &m->cap_tags }, { &m->nplacements, &m->cap_placements },
            { &m->nflows, &m->cap_flows }, { &m->nwaivers, &m->cap_waivers },
            { &m->nscenarios, &m->cap_scenarios }, { &m->nprops, &m->cap_props },
            { &m->nasrcs, &m->cap_asrcs }
        };
        struct sm_map *maps[MAP_COUNT] = {
            &m->region_ids, &m->tier_names, NULL, NULL, &m->waiver_keys, &m->scenario_names
        };
        struct sm_idmap *idmaps[2] = { &m->dataset_names, &m->flow_names };
        for (int a = 0; a < A_COUNT; a++) {
            sm_big_free(*dst[a]);
            *dst[a] = l.arr[a];
            *cnt[a][0] = *cnt[a][1] = (int32_t)h.n[a];
            l.arr[a] = NULL;
        }
        for (int k = 0; k < MAP_COUNT; k++) {
            if (is_idmap(k)) {
                struct sm_idmap *id = idmaps[k == MAP_FLOW];
                sm_idmap_fini(id);
                id->slots = l.slots[k];
                id->cap = h.mapcap[k];
                id->len = h.maplen[k];
                id->tomb = h.maptomb[k];
                l.slots[k] = NULL;
                continue;
            }
            sm_map_fini(maps[k]);
            maps[k]->slots = l.slots[k];
            maps[k]->cap = h.mapcap[k];
            maps[k]->len = h.maplen[k];
            maps[k]->tomb = h.maptomb[k];
            l.slots[k] = NULL;
        }
        for (int i = 0; i < 3; i++) {
            free(rows[i]->row);
            rows[i]->row = l.rows[i];
            rows[i]->cap = h.rowcap[i];
            rows[i]->lin = h.lin[i];
            rows[i]->nlin = h.nlin[i];
            rows[i]->lin_row = h.lin_row[i];
            l.rows[i] = NULL;
        }
        sm_arena_adopt(&m->arena, l.heap);
        l.heap = NULL;
        m->generation = h.generation;
        model_set_name_rank(m, l.rank, (int32_t)h.nrank);
        l.rank = NULL;
    }
    /* the attribute sources' list heads are not in the file: made again */
    rc = model_asrc_relink(m) ? SM_ENOMEM : SM_OK;
out:
    close(r.fd);
    loaded_free(&l);
    return rc;
}
