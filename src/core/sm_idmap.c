/*
 * sm_idmap.c - a name -> id map that keeps no keys (sm.h): the slots hold
 * the name's hash and the id, the name itself is the object's, asked for
 * through the caller's key function. At a million datasets that is 16 MiB
 * of slots instead of 32 MiB (doc/performance.md, issue #21 memory).
 */
#include "sm.h"

#include <string.h>

#define TOMB_VAL 1

static inline bool
live(const struct sm_idmap_slot *s)
{
    return s->hash != 0;
}

static inline bool
used(const struct sm_idmap_slot *s)
{
    return s->hash != 0 || s->val == TOMB_VAL;
}

void
sm_idmap_init(struct sm_idmap *m)
{
    memset(m, 0, sizeof *m);
}

void
sm_idmap_fini(struct sm_idmap *m)
{
    uint8_t shareable = m->shareable;

    sm_big_free(m->slots);
    sm_idmap_init(m);
    m->shareable = shareable;
}

static int
rehash(struct sm_idmap *m, uint32_t cap)
{
    struct sm_idmap_slot *old = m->slots, *slots;
    uint32_t oldcap = m->cap, i, j;

    slots = sm_big_alloc((size_t)cap * sizeof *slots, m->shareable);
    if (!slots)
        return SM_ENOMEM;
    for (i = 0; i < oldcap; i++) {
        if (!live(&old[i]))
            continue;
        for (j = old[i].hash & (cap - 1); used(&slots[j]); j = (j + 1) & (cap - 1))
            ;
        slots[j] = old[i];
    }
    sm_big_free(old);
    m->slots = slots;
    m->cap = cap;
    m->tomb = 0;
    return SM_OK;
}

int
sm_idmap_reserve(struct sm_idmap *m, uint32_t n)
{
    uint32_t cap = sm_table_cap(m->cap, n, m->tomb);

    if (cap != m->cap || !m->slots)
        return rehash(m, cap);
    return SM_OK;
}

static inline bool
same(const struct sm_idmap_slot *s, uint32_t h, const char *key, sm_idmap_key *kf,
     const void *ctx)
{
    return s->hash == h && strcmp(kf(ctx, s->val), key) == 0;
}

int
sm_idmap_put(struct sm_idmap *m, const char *key, int32_t val, sm_idmap_key *kf,
             const void *ctx)
{
    uint32_t h = sm_hash(key), i;
    int64_t tomb = -1;

    if (sm_idmap_reserve(m, m->len + 1) != SM_OK)
        return SM_ENOMEM;
    for (i = h & (m->cap - 1); used(&m->slots[i]); i = (i + 1) & (m->cap - 1)) {
        if (!live(&m->slots[i])) {
            if (tomb < 0)
                tomb = i;
            continue;
        }
        if (same(&m->slots[i], h, key, kf, ctx)) {
            m->slots[i].val = val;
            return SM_OK;
        }
    }
    if (tomb >= 0) {
        i = (uint32_t)tomb;
        m->tomb--;
    }
    m->slots[i].hash = h;
    m->slots[i].val = val;
    m->len++;
    return SM_OK;
}

void
sm_idmap_put_hashed(struct sm_idmap *m, const char *key, uint32_t h, int32_t val,
                    sm_idmap_key *kf, const void *ctx)
{
    uint32_t mask = m->cap - 1, i;

    for (i = h & mask; live(&m->slots[i]); i = (i + 1) & mask)
        if (same(&m->slots[i], h, key, kf, ctx)) {
            m->slots[i].val = val;
            return;
        }
    m->slots[i].hash = h;
    m->slots[i].val = val;
    m->len++;
}

static int64_t
find(const struct sm_idmap *m, const char *key, sm_idmap_key *kf, const void *ctx)
{
    uint32_t h, i;

    if (!m->cap || !key)
        return -1;
    h = sm_hash(key);
    for (i = h & (m->cap - 1); used(&m->slots[i]); i = (i + 1) & (m->cap - 1))
        if (same(&m->slots[i], h, key, kf, ctx))
            return i;
    return -1;
}

int32_t
sm_idmap_get(const struct sm_idmap *m, const char *key, sm_idmap_key *kf, const void *ctx)
{
    int64_t i = find(m, key, kf, ctx);

    return i < 0 ? SM_NONE : m->slots[i].val;
}

bool
sm_idmap_del(struct sm_idmap *m, const char *key, sm_idmap_key *kf, const void *ctx)
{
    int64_t i = find(m, key, kf, ctx);

    if (i < 0)
        return false;
    m->slots[i].hash = 0;
    m->slots[i].val = TOMB_VAL;
    m->len--;
    m->tomb++;
    return true;
}

int
sm_idmap_copy(struct sm_idmap *dst, const struct sm_idmap *src)
{
    sm_idmap_init(dst);
    dst->shareable = src->shareable;
    if (!src->cap)
        return SM_OK;
    dst->slots = sm_big_alloc((size_t)src->cap * sizeof *dst->slots, src->shareable);
    if (!dst->slots)
        return SM_ENOMEM;
    memcpy(dst->slots, src->slots, (size_t)src->cap * sizeof *dst->slots);
    dst->cap = src->cap;
    dst->len = src->len;
    dst->tomb = src->tomb;
    return SM_OK;
}
