/*
 * model.c - the residency model in memory (see model.h).
 *
 * Must not depend on: stdio for I/O (snprintf only formats), SQLite, jansson,
 * curses, the clock. Everything here is pure and deterministic.
 */
#include "model.h"
#include "model_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define X(id, name) name,
const char *const region_kind_names[REGION_KIND_COUNT] = { REGION_KINDS(X) };
const char *const role_names[ROLE_COUNT] = { ROLES(X) };
const char *const flow_kind_names[FLOW_KIND_COUNT] = { FLOW_KINDS(X) };
const char *const mechanism_names[MECH_COUNT] = { MECHANISMS(X) };
const char *const scope_names[SCOPE_COUNT] = { SCOPES(X) };
const char *const legal_basis_names[LB_COUNT] = { LEGAL_BASES(X) };
const char *const xform_names[XF_COUNT] = { XFORMS(X) };
const char *const obj_kind_names[OBJ_KIND_COUNT] = { OBJ_KINDS(X) };
#undef X

static int oom(struct sm_error *err);
/* Tags that mark a field as personal data. */
static const char *const personal_prefixes[] = { "pii", "personal", "phi" };

int
model_enum_parse(const char *const *table, int n, const char *name)
{
    if (!name)
        return SM_NONE;
    for (int i = 0; i < n; i++)
        if (strcmp(table[i], name) == 0)
            return i;
    return SM_NONE;
}

/* ---- life ------------------------------------------------------------------ */

struct model *
model_new(void)
{
    static _Atomic uint64_t serials;
    struct model *m = calloc(1, sizeof *m);

    if (!m)
        return NULL;
    m->serial = atomic_fetch_add(&serials, 1) + 1;
    sm_arena_init(&m->arena);
    sm_map_init(&m->region_ids);
    sm_map_init(&m->tier_names);
    sm_idmap_init(&m->dataset_names);
    sm_idmap_init(&m->flow_names);
    sm_map_init(&m->waiver_keys);
    sm_map_init(&m->scenario_names);
    m->rule_pack = "";
    return m;
}

void
model_set_shareable(struct model *m, bool on)
{
    m->shareable = on;
    m->region_ids.shareable = m->tier_names.shareable = m->dataset_names.shareable = on;
    m->flow_names.shareable = m->waiver_keys.shareable = m->scenario_names.shareable = on;
}

void
model_free(struct model *m)
{
    if (!m)
        return;
    sm_big_free(m->regions);
    sm_big_free(m->tiers);
    sm_big_free(m->datasets);
    sm_big_free(m->fields);
    sm_big_free(m->tags);
    sm_big_free(m->props);
    sm_big_free(m->asrcs);
    free(m->asrc_first);
    sm_big_free(m->placements);
    sm_big_free(m->flows);
    sm_big_free(m->waivers);
    sm_big_free(m->scenarios);
    sm_map_fini(&m->region_ids);
    sm_map_fini(&m->tier_names);
    sm_idmap_fini(&m->dataset_names);
    sm_idmap_fini(&m->flow_names);
    sm_map_fini(&m->waiver_keys);
    sm_map_fini(&m->scenario_names);
    sm_arena_fini(&m->arena);
    model_drop_name_rank(m);
    free(m);
}

void
model_drop_name_rank(struct model *m)
{
    free(m->name_rank);
    m->name_rank = NULL;
    m->name_rank_n = 0;
}

void
model_set_name_rank(struct model *m, int32_t *rank, int32_t n)
{
    model_drop_name_rank(m);
    m->name_rank = rank;
    m->name_rank_n = n;
    m->name_rank_gen = m->generation;
}

int
model_copy_name_rank(struct model *dst, const struct model *src)
{
    int32_t *rank;

    if (!model_name_rank(src))
        return SM_OK;
    if (!(rank = malloc(sizeof *rank * (size_t)src->name_rank_n)))
        return SM_ENOMEM;
    memcpy(rank, src->name_rank, sizeof *rank * (size_t)src->name_rank_n);
    model_set_name_rank(dst, rank, src->name_rank_n);
    return SM_OK;
}

void
model_changed(struct model *m, bool names)
{
    model_changed_kinds(m, names, MODEL_ALL_KINDS);
}

void
model_changed_kinds(struct model *m, bool names, unsigned kinds)
{
    bool keep = !names && model_name_rank(m);
    uint64_t g = m->generation;

    m->generation++;
    if (keep)
        m->name_rank_gen = m->generation;
    for (int k = 0; k < OBJ_KIND_COUNT; k++) {
        if (kinds & MODEL_KIND_BIT(k))
            continue;
        if (m->rows_to[k] != g)
            m->rows_from[k] = g;    /* a new run of changes that leave kind k */
        m->rows_to[k] = m->generation;
    }
}

unsigned
model_removal_kinds(enum obj_kind kind)
{
    unsigned k = MODEL_KIND_BIT(kind);

    if (kind == OBJ_DATASET)
        k |= MODEL_KIND_BIT(OBJ_PLACEMENT) | MODEL_KIND_BIT(OBJ_FLOW);
    else if (kind == OBJ_PLACEMENT)
        k |= MODEL_KIND_BIT(OBJ_FLOW);
    return k;
}

bool
model_rows_kept(const struct model *m, enum obj_kind kind, uint64_t since)
{
    if (since == m->generation)
        return true;
    return (int)kind >= 0 && kind < OBJ_KIND_COUNT && m->rows_to[kind] == m->generation &&
           m->rows_from[kind] <= since && since <= m->generation;
}

const int32_t *
model_name_rank(const struct model *m)
{
    if (m->name_rank && m->name_rank_gen == m->generation && m->name_rank_n == m->ndatasets)
        return m->name_rank;
    return NULL;
}

const char *
model_str(struct model *m, const char *s)
{
    return sm_arena_strdup(&m->arena, s);
}

static int
copy_array(void **dst, const void *src, int32_t n, size_t size, bool shareable)
{
    *dst = NULL;
    if (!n)
        return SM_OK;
    *dst = sm_big_alloc((size_t)n * size, shareable);
    if (!*dst)
        return SM_ENOMEM;
    memcpy(*dst, src, (size_t)n * size);
    return SM_OK;
}

/* Deep copy of everything mutable. Strings are copied into the clone's
 * arena lazily: the clone keeps pointers into m's arena, so m must outlive
 * the clone... which we avoid by copying the arena-held strings the clone
 * refers to. To stay simple and safe we copy every string. */
static const char *
cs(struct model *c, const char *s)
{
    return s ? sm_arena_strdup(&c->arena, s) : NULL;
}

static int
copy_strv(struct model *c, struct sm_strv *v)
{
    const char **nv;

    if (!v->n) {
        v->v = NULL;
        return SM_OK;
    }
    nv = sm_arena_alloc(&c->arena, v->n * sizeof *nv);
    if (!nv)
        return SM_ENOMEM;
    for (uint32_t i = 0; i < v->n; i++)
        if (!(nv[i] = cs(c, v->v[i])))
            return SM_ENOMEM;
    v->v = nv;
    return SM_OK;
}

#define CS(field) do { if ((field) && !((field) = cs(c, (field)))) goto oom; } while (0)

static int
rebuild_maps(struct model *c)
{
    for (int32_t i = 0; i < c->nregions; i++)
        if (!c->regions[i].deleted && sm_map_put(&c->region_ids, c->regions[i].id, i))
            return SM_ENOMEM;
    for (int32_t i = 0; i < c->ntiers; i++)
        if (!c->tiers[i].deleted && sm_map_put(&c->tier_names, c->tiers[i].name, i))
            return SM_ENOMEM;
    if (sm_idmap_reserve(&c->dataset_names, (uint32_t)c->ndatasets))
        return SM_ENOMEM;
    for (int32_t i = 0; i < c->ndatasets; i++)
        if (!c->datasets[i].deleted &&
            sm_idmap_put(&c->dataset_names, c->datasets[i].name, i, model_dataset_key, c))
            return SM_ENOMEM;
    if (sm_idmap_reserve(&c->flow_names, (uint32_t)c->nflows))
        return SM_ENOMEM;
    for (int32_t i = 0; i < c->nflows; i++)
        if (!c->flows[i].deleted &&
            sm_idmap_put(&c->flow_names, c->flows[i].name, i, model_flow_key, c))
            return SM_ENOMEM;
    for (int32_t i = 0; i < c->nwaivers; i++)
        if (!c->waivers[i].deleted && sm_map_put(&c->waiver_keys, c->waivers[i].key, i))
            return SM_ENOMEM;
    for (int32_t i = 0; i < c->nscenarios; i++)
        if (!c->scenarios[i].deleted && sm_map_put(&c->scenario_names, c->scenarios[i].name, i))
            return SM_ENOMEM;
    return SM_OK;
}

int
model_clone(const struct model *m, struct model **out)
{
    struct model *c = model_new();
    const bool sh = m->shareable;

    if (!c)
        return SM_ENOMEM;
    model_set_shareable(c, m->shareable);
    if (copy_array((void **)&c->regions, m->regions, m->nregions, sizeof *m->regions, sh) ||
        copy_array((void **)&c->tiers, m->tiers, m->ntiers, sizeof *m->tiers, sh) ||
        copy_array((void **)&c->datasets, m->datasets, m->ndatasets, sizeof *m->datasets, sh) ||
        copy_array((void **)&c->fields, m->fields, m->nfields, sizeof *m->fields, sh) ||
        copy_array((void **)&c->tags, m->tags, m->ntags, sizeof *m->tags, sh) ||
        copy_array((void **)&c->props, m->props, m->nprops, sizeof *m->props, sh) ||
        copy_array((void **)&c->asrcs, m->asrcs, m->nasrcs, sizeof *m->asrcs, sh) ||
        copy_array((void **)&c->placements, m->placements, m->nplacements, sizeof *m->placements, sh) ||
        copy_array((void **)&c->flows, m->flows, m->nflows, sizeof *m->flows, sh) ||
        copy_array((void **)&c->waivers, m->waivers, m->nwaivers, sizeof *m->waivers, sh) ||
        copy_array((void **)&c->scenarios, m->scenarios, m->nscenarios, sizeof *m->scenarios, sh))
        goto oom;
    c->nregions = c->cap_regions = m->nregions;
    c->ntiers = c->cap_tiers = m->ntiers;
    c->ndatasets = c->cap_datasets = m->ndatasets;
    c->nfields = c->cap_fields = m->nfields;
    c->ntags = c->cap_tags = m->ntags;
    c->nprops = c->cap_props = m->nprops;
    c->nasrcs = c->cap_asrcs = m->nasrcs;
    if (model_asrc_first_copy(c, m))
        goto oom;
    c->nplacements = c->cap_placements = m->nplacements;
    c->nflows = c->cap_flows = m->nflows;
    c->nwaivers = c->cap_waivers = m->nwaivers;
    c->nscenarios = c->cap_scenarios = m->nscenarios;
    c->generation = m->generation;
    c->rule_pack = cs(c, m->rule_pack);
    if (model_copy_name_rank(c, m))
        goto oom;

    for (int32_t i = 0; i < c->nregions; i++) {
        struct region *r = &c->regions[i];
        CS(r->id); CS(r->provider); CS(r->code); CS(r->name); CS(r->city);
        if (r->members) {
            struct sm_ccset *s = sm_arena_alloc(&c->arena, sizeof *s);
            if (!s)
                goto oom;
            *s = *r->members;
            r->members = s;
        }
    }
    for (int32_t i = 0; i < c->ntiers; i++) {
        struct tier *t = &c->tiers[i];
        CS(t->name); CS(t->description);
        if (copy_strv(c, &t->approved))
            goto oom;
    }
    for (int32_t i = 0; i < c->ndatasets; i++) {
        struct dataset *d = &c->datasets[i];
        CS(d->name); CS(d->system); CS(d->owner); CS(d->description); CS(d->source_ref);
        CS(d->purpose);
    }
    for (int32_t i = 0; i < c->nfields; i++) {
        CS(c->fields[i].name); CS(c->fields[i].type); CS(c->fields[i].comment);
    }
    for (int32_t i = 0; i < c->ntags; i++) {
        struct tag *t = &c->tags[i];
        CS(t->tag); CS(t->source); CS(t->entity); CS(t->time); CS(t->expired);
    }
    for (int32_t i = 0; i < c->nprops; i++) {
        struct prop *p = &c->props[i];
        CS(p->key); CS(p->value); CS(p->source); CS(p->entity); CS(p->time);
    }
    for (int32_t i = 0; i < c->nasrcs; i++) {
        struct asrc *a = &c->asrcs[i];
        CS(a->source); CS(a->entity); CS(a->time);
    }
    for (int32_t i = 0; i < c->nplacements; i++)
        CS(c->placements[i].mechanism_ref);
    for (int32_t i = 0; i < c->nflows; i++) {
        struct flow *f = &c->flows[i];
        struct transform *tx;
        CS(f->name); CS(f->mechanism_ref);
        if (copy_strv(c, &f->fields))
            goto oom;
        if (f->ntransforms) {
            tx = sm_arena_alloc(&c->arena, f->ntransforms * sizeof *tx);
            if (!tx)
                goto oom;
            memcpy(tx, f->transforms, f->ntransforms * sizeof *tx);
            for (uint32_t k = 0; k < f->ntransforms; k++)
                if (copy_strv(c, &tx[k].fields))
                    goto oom;
            f->transforms = tx;
        }
    }
    for (int32_t i = 0; i < c->nwaivers; i++) {
        struct waiver *w = &c->waivers[i];
        CS(w->key); CS(w->rule); CS(w->object); CS(w->owner); CS(w->reason);
    }
    for (int32_t i = 0; i < c->nscenarios; i++) {
        struct scenario *s = &c->scenarios[i];
        struct sm_strv *ops;
        CS(s->name); CS(s->base); CS(s->description);
        if (s->nops) {
            ops = sm_arena_alloc(&c->arena, s->nops * sizeof *ops);
            if (!ops)
                goto oom;
            memcpy(ops, s->ops, s->nops * sizeof *ops);
            for (uint32_t k = 0; k < s->nops; k++)
                if (copy_strv(c, &ops[k]))
                    goto oom;
            s->ops = ops;
        }
    }
    if (rebuild_maps(c))
        goto oom;
    *out = c;
    return SM_OK;
oom:
    model_free(c);
    return SM_ENOMEM;
}

void
model_region_init(struct region *r)
{
    memset(r, 0, sizeof *r);
    r->country = r->operator_home = SM_NONE;
}

void
model_tier_init(struct tier *t)
{
    memset(t, 0, sizeof *t);
    t->scope = t->backup_scope = t->key_scope = SCOPE_GLOBAL;
    t->retention_min_days = t->retention_max_days = SM_NONE;
}

void
model_dataset_init(struct dataset *d)
{
    memset(d, 0, sizeof *d);
    d->tier = d->retention_days = SM_NONE;
    d->first_field = d->first_tag = d->first_placement = d->first_prop = SM_NONE;
}

void
model_placement_init(struct placement *p)
{
    memset(p, 0, sizeof *p);
    p->dataset = p->region = p->key_region = p->next = SM_NONE;
}

void
model_flow_init(struct flow *f)
{
    memset(f, 0, sizeof *f);
    f->from = f->to = f->to_region = SM_NONE;
}

/* ---- lookup ---------------------------------------------------------------- */

int32_t
model_region(const struct model *m, const char *id)
{
    return sm_map_get(&m->region_ids, id);
}

int32_t
model_tier(const struct model *m, const char *name)
{
    return sm_map_get(&m->tier_names, name);
}

const char *
model_dataset_key(const void *m, int32_t id)
{
    return ((const struct model *)m)->datasets[id].name;
}

const char *
model_flow_key(const void *m, int32_t id)
{
    return ((const struct model *)m)->flows[id].name;
}

int32_t
model_dataset(const struct model *m, const char *name)
{
    return sm_idmap_get(&m->dataset_names, name, model_dataset_key, m);
}

int32_t
model_flow(const struct model *m, const char *name)
{
    return sm_idmap_get(&m->flow_names, name, model_flow_key, m);
}

static struct sm_map *
plain_map(struct model *m, enum obj_kind kind)
{
    switch (kind) {
    case OBJ_REGION:   return &m->region_ids;
    case OBJ_TIER:     return &m->tier_names;
    case OBJ_WAIVER:   return &m->waiver_keys;
    case OBJ_SCENARIO: return &m->scenario_names;
    default:           return NULL;
    }
}

int
model_map_put(struct model *m, enum obj_kind kind, int32_t id)
{
    struct sm_map *map = plain_map(m, kind);

    if (kind == OBJ_DATASET)
        return sm_idmap_put(&m->dataset_names, m->datasets[id].name, id, model_dataset_key, m);
    if (kind == OBJ_FLOW)
        return sm_idmap_put(&m->flow_names, m->flows[id].name, id, model_flow_key, m);
    return map ? sm_map_put(map, model_key(m, kind, id), id) : SM_OK;
}

bool
model_map_del(struct model *m, enum obj_kind kind, int32_t id)
{
    struct sm_map *map = plain_map(m, kind);

    if (kind == OBJ_DATASET)
        return sm_idmap_del(&m->dataset_names, m->datasets[id].name, model_dataset_key, m);
    if (kind == OBJ_FLOW)
        return sm_idmap_del(&m->flow_names, m->flows[id].name, model_flow_key, m);
    return map && sm_map_del(map, model_key(m, kind, id));
}

int
model_map_reserve(struct model *m, enum obj_kind kind, uint32_t n)
{
    struct sm_map *map = plain_map(m, kind);

    if (kind == OBJ_DATASET)
        return sm_idmap_reserve(&m->dataset_names, n);
    if (kind == OBJ_FLOW)
        return sm_idmap_reserve(&m->flow_names, n);
    return map ? sm_map_reserve(map, n) : SM_OK;
}

uint32_t
model_map_len(const struct model *m, enum obj_kind kind)
{
    switch (kind) {
    case OBJ_REGION:   return m->region_ids.len;
    case OBJ_TIER:     return m->tier_names.len;
    case OBJ_DATASET:  return m->dataset_names.len;
    case OBJ_FLOW:     return m->flow_names.len;
    case OBJ_WAIVER:   return m->waiver_keys.len;
    case OBJ_SCENARIO: return m->scenario_names.len;
    default:           return 0;
    }
}

int32_t
model_waiver(const struct model *m, const char *key)
{
    return sm_map_get(&m->waiver_keys, key);
}

int32_t
model_scenario(const struct model *m, const char *name)
{
    return sm_map_get(&m->scenario_names, name);
}

int32_t
model_placement_of(const struct model *m, int32_t dataset, int32_t region, int role)
{
    int32_t found = SM_NONE, n = 0;

    if (dataset < 0 || dataset >= m->ndatasets)
        return SM_NONE;
    for (int32_t p = m->datasets[dataset].first_placement; p != SM_NONE;
         p = m->placements[p].next) {
        const struct placement *pl = &m->placements[p];
        if (pl->region != region || (role != SM_NONE && pl->role != role))
            continue;
        found = p;
        n++;
    }
    return n == 1 ? found : SM_NONE;
}

int32_t
model_placement(const struct model *m, const char *sel)
{
    char stack[1024], *buf;             /* bounded: a fast path, the heap past it */
    char *at, *slash;
    int32_t d, r, found = SM_NONE;
    int role = SM_NONE;
    size_t len;

    if (!sel)
        return SM_NONE;
    /* selectors of very long dataset names do not fit the stack buffer */
    len = strlen(sel);
    buf = len < sizeof stack ? stack : malloc(len + 1);
    if (!buf)
        return SM_NONE;
    memcpy(buf, sel, len + 1);
    at = strrchr(buf, '@');
    if (!at)
        goto done;
    *at++ = '\0';
    slash = strrchr(at, '/');
    if (slash) {
        *slash++ = '\0';
        role = model_enum_parse(role_names, ROLE_COUNT, slash);
        if (role == SM_NONE)
            goto done;
    }
    d = model_dataset(m, buf);
    r = model_region(m, at);
    if (d != SM_NONE && r != SM_NONE)
        found = model_placement_of(m, d, r, role);
done:
    if (buf != stack)
        free(buf);
    return found;
}

int32_t
model_count(const struct model *m, enum obj_kind kind)
{
    switch (kind) {
    case OBJ_REGION:    return m->nregions;
    case OBJ_TIER:      return m->ntiers;
    case OBJ_DATASET:   return m->ndatasets;
    case OBJ_PLACEMENT: return m->nplacements;
    case OBJ_FLOW:      return m->nflows;
    case OBJ_WAIVER:    return m->nwaivers;
    case OBJ_SCENARIO:  return m->nscenarios;
    default:            return 0;
    }
}

bool
model_live(const struct model *m, enum obj_kind kind, int32_t id)
{
    if (id < 0 || id >= model_count(m, kind))
        return false;
    switch (kind) {
    case OBJ_REGION:    return !m->regions[id].deleted;
    case OBJ_TIER:      return !m->tiers[id].deleted;
    case OBJ_DATASET:   return !m->datasets[id].deleted;
    case OBJ_PLACEMENT: return !m->placements[id].deleted;
    case OBJ_FLOW:      return !m->flows[id].deleted;
    case OBJ_WAIVER:    return !m->waivers[id].deleted;
    case OBJ_SCENARIO:  return !m->scenarios[id].deleted;
    default:            return false;
    }
}

const char *
model_key(const struct model *m, enum obj_kind kind, int32_t id)
{
    switch (kind) {
    case OBJ_REGION:   return m->regions[id].id;
    case OBJ_TIER:     return m->tiers[id].name;
    case OBJ_DATASET:  return m->datasets[id].name;
    case OBJ_FLOW:     return m->flows[id].name;
    case OBJ_WAIVER:   return m->waivers[id].key;
    case OBJ_SCENARIO: return m->scenarios[id].name;
    default:           return NULL;
    }
}

const char *
model_region_id(const struct model *m, int32_t r)
{
    return r == SM_NONE ? "" : m->regions[r].id;
}

const char *
model_tier_name(const struct model *m, int32_t t)
{
    return t == SM_NONE ? "" : m->tiers[t].name;
}

/* A live object's key, NULL for a deleted one. */
static const char *
name_of(const struct model *m, enum obj_kind kind, int32_t id)
{
    return model_live(m, kind, id) ? model_key(m, kind, id) : NULL;
}

const char *
model_suggest(const struct model *m, enum obj_kind kind, const char *name)
{
    const char *best = NULL, *n;
    int bestd = 4, d;
    int32_t count = model_count(m, kind);

    if (!name || kind == OBJ_PLACEMENT || count > 200000)
        return NULL;
    for (int32_t i = 0; i < count; i++) {
        if (!(n = name_of(m, kind, i)))
            continue;
        d = sm_levenshtein(name, n, best ? bestd : 3);
        if (d < bestd || (d == bestd && best && strcmp(n, best) < 0)) {
            bestd = d;
            best = n;
        }
    }
    return best;
}

/* Why a copy selector does not resolve: the dataset, the region, or the
 * role is missing or ambiguous. */
static int
placement_not_found(const struct model *m, const char *sel, struct sm_error *err)
{
    char *buf = strdup(sel ? sel : ""), *at, *slash;
    int32_t d, r, n = 0, dummy;
    int rc;

    if (!buf)
        return oom(err);
    at = strrchr(buf, '@');
    if (!at) {
        rc = sm_error_set(err, SM_EINVAL, "bad copy %s: write DATASET@REGION[/ROLE]", buf);
        goto done;
    }
    *at++ = '\0';
    slash = strrchr(at, '/');
    if (slash)
        *slash = '\0';
    d = model_dataset(m, buf);
    r = model_region(m, at);
    if (d == SM_NONE) {
        rc = model_find(m, OBJ_DATASET, buf, &dummy, err);
        goto done;
    }
    if (r == SM_NONE) {
        rc = model_find(m, OBJ_REGION, at, &dummy, err);
        goto done;
    }
    for (int32_t p = m->datasets[d].first_placement; p != SM_NONE; p = m->placements[p].next)
        n += m->placements[p].region == r;
    if (n > 1 && !slash)
        rc = sm_error_set(err, SM_EINVAL, "%s has %d copies in %s: add the role, e.g. %s/backup",
                          buf, (int)n, at, sel);
    else
        rc = sm_error_set(err, SM_ENOTFOUND, "%s has no copy %sin %s", buf,
                          slash ? "with that role " : "", at);
done:
    free(buf);
    return rc;
}

int
model_find(const struct model *m, enum obj_kind kind, const char *sel,
           int32_t *id, struct sm_error *err)
{
    int32_t i = SM_NONE;
    const char *hint;

    switch (kind) {
    case OBJ_REGION:    i = model_region(m, sel); break;
    case OBJ_TIER:      i = model_tier(m, sel); break;
    case OBJ_DATASET:   i = model_dataset(m, sel); break;
    case OBJ_PLACEMENT: i = model_placement(m, sel); break;
    case OBJ_FLOW:      i = model_flow(m, sel); break;
    case OBJ_WAIVER:    i = model_waiver(m, sel); break;
    case OBJ_SCENARIO:  i = model_scenario(m, sel); break;
    default:            break;
    }
    if (i != SM_NONE) {
        *id = i;
        return SM_OK;
    }
    if (kind == OBJ_PLACEMENT)
        return placement_not_found(m, sel, err);
    hint = model_suggest(m, kind, sel);
    if (hint)
        return sm_error_set(err, SM_ENOTFOUND, "unknown %s %s; did you mean %s?",
                            obj_kind_names[kind], sel ? sel : "", hint);
    return sm_error_set(err, SM_ENOTFOUND, "unknown %s %s", obj_kind_names[kind],
                        sel ? sel : "");
}

const char *
model_selector(const struct model *m, enum obj_kind kind, int32_t id, char *buf,
               size_t size)
{
    const struct placement *p;
    const char *n;

    if (!size)
        return buf;
    buf[0] = '\0';
    if (id < 0 || id >= model_count(m, kind))
        return buf;
    if (kind != OBJ_PLACEMENT) {
        n = name_of(m, kind, id);
        sm_strlcpy(buf, n ? n : "", size);
        return buf;
    }
    p = &m->placements[id];
    if (model_placement_of(m, p->dataset, p->region, SM_NONE) == id)
        snprintf(buf, size, "%s@%s", m->datasets[p->dataset].name,
                 m->regions[p->region].id);
    else
        snprintf(buf, size, "%s@%s/%s", m->datasets[p->dataset].name,
                 m->regions[p->region].id, role_names[p->role]);
    return buf;
}

char *
model_selector_dup(const struct model *m, enum obj_kind kind, int32_t id)
{
    size_t n = 16;
    char *buf;

    if (id >= 0 && id < model_count(m, kind)) {
        if (kind == OBJ_PLACEMENT)
            n += strlen(m->datasets[m->placements[id].dataset].name) +
                 strlen(m->regions[m->placements[id].region].id);
        else if (name_of(m, kind, id))
            n += strlen(name_of(m, kind, id));
    }
    if ((buf = malloc(n)))
        model_selector(m, kind, id, buf, n);
    return buf;
}

/* ---- derived facts ------------------------------------------------------------- */

bool
model_tag_under(const char *tag, const char *prefix)
{
    size_t n = strlen(prefix);

    return strncmp(tag, prefix, n) == 0 && (tag[n] == '\0' || tag[n] == '.');
}

bool
model_field_personal(const struct model *m, int32_t field)
{
    const struct dataset *d;

    if (field < 0 || field >= m->nfields)
        return false;
    d = &m->datasets[m->fields[field].dataset];
    for (int32_t t = d->first_tag; t != SM_NONE; t = m->tags[t].next) {
        if (m->tags[t].field != field)
            continue;
        for (size_t k = 0; k < sizeof personal_prefixes / sizeof *personal_prefixes; k++)
            if (model_tag_under(m->tags[t].tag, personal_prefixes[k]))
                return true;
    }
    return false;
}

int
model_dataset_personal_fields(const struct model *m, int32_t dataset)
{
    int n = 0;

    for (int32_t f = m->datasets[dataset].first_field; f != SM_NONE; f = m->fields[f].next)
        n += model_field_personal(m, f);
    return n;
}

int32_t
model_primary(const struct model *m, int32_t dataset)
{
    for (int32_t p = m->datasets[dataset].first_placement; p != SM_NONE;
         p = m->placements[p].next)
        if (m->placements[p].role == ROLE_PRIMARY)
            return p;
    return SM_NONE;
}
