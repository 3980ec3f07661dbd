/*
 * model.c - the residency model in memory (see model.h).
 *
 * Must not depend on: stdio for I/O (snprintf only formats), SQLite, jansson,
 * curses, the clock. Everything here is pure and deterministic.
 */
#include "model.h"

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
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
    struct model *m = calloc(1, sizeof *m);

    if (!m)
        return NULL;
    sm_arena_init(&m->arena);
    sm_map_init(&m->region_ids);
    sm_map_init(&m->tier_names);
    sm_map_init(&m->dataset_names);
    sm_map_init(&m->flow_names);
    sm_map_init(&m->waiver_keys);
    sm_map_init(&m->scenario_names);
    m->rule_pack = "";
    return m;
}

void
model_free(struct model *m)
{
    if (!m)
        return;
    free(m->regions);
    free(m->tiers);
    free(m->datasets);
    free(m->fields);
    free(m->tags);
    free(m->placements);
    free(m->flows);
    free(m->waivers);
    free(m->scenarios);
    sm_map_fini(&m->region_ids);
    sm_map_fini(&m->tier_names);
    sm_map_fini(&m->dataset_names);
    sm_map_fini(&m->flow_names);
    sm_map_fini(&m->waiver_keys);
    sm_map_fini(&m->scenario_names);
    sm_arena_fini(&m->arena);
    free(m);
}

const char *
model_str(struct model *m, const char *s)
{
    return sm_arena_strdup(&m->arena, s);
}

static int
copy_array(void **dst, const void *src, int32_t n, size_t size)
{
    *dst = NULL;
    if (!n)
        return SM_OK;
    *dst = malloc((size_t)n * size);
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
    char buf[1024];

    for (int32_t i = 0; i < c->nregions; i++)
        if (!c->regions[i].deleted && sm_map_put(&c->region_ids, c->regions[i].id, i))
            return SM_ENOMEM;
    for (int32_t i = 0; i < c->ntiers; i++)
        if (!c->tiers[i].deleted && sm_map_put(&c->tier_names, c->tiers[i].name, i))
            return SM_ENOMEM;
    if (sm_map_reserve(&c->dataset_names, (uint32_t)c->ndatasets))
        return SM_ENOMEM;
    for (int32_t i = 0; i < c->ndatasets; i++)
        if (!c->datasets[i].deleted && sm_map_put(&c->dataset_names, c->datasets[i].name, i))
            return SM_ENOMEM;
    if (sm_map_reserve(&c->flow_names, (uint32_t)c->nflows))
        return SM_ENOMEM;
    for (int32_t i = 0; i < c->nflows; i++)
        if (!c->flows[i].deleted && sm_map_put(&c->flow_names, c->flows[i].name, i))
            return SM_ENOMEM;
    for (int32_t i = 0; i < c->nwaivers; i++)
        if (!c->waivers[i].deleted && sm_map_put(&c->waiver_keys, c->waivers[i].key, i))
            return SM_ENOMEM;
    for (int32_t i = 0; i < c->nscenarios; i++)
        if (!c->scenarios[i].deleted && sm_map_put(&c->scenario_names, c->scenarios[i].name, i))
            return SM_ENOMEM;
    (void)buf;
    return SM_OK;
}

int
model_clone(const struct model *m, struct model **out)
{
    struct model *c = model_new();

    if (!c)
        return SM_ENOMEM;
    if (copy_array((void **)&c->regions, m->regions, m->nregions, sizeof *m->regions) ||
        copy_array((void **)&c->tiers, m->tiers, m->ntiers, sizeof *m->tiers) ||
        copy_array((void **)&c->datasets, m->datasets, m->ndatasets, sizeof *m->datasets) ||
        copy_array((void **)&c->fields, m->fields, m->nfields, sizeof *m->fields) ||
        copy_array((void **)&c->tags, m->tags, m->ntags, sizeof *m->tags) ||
        copy_array((void **)&c->placements, m->placements, m->nplacements, sizeof *m->placements) ||
        copy_array((void **)&c->flows, m->flows, m->nflows, sizeof *m->flows) ||
        copy_array((void **)&c->waivers, m->waivers, m->nwaivers, sizeof *m->waivers) ||
        copy_array((void **)&c->scenarios, m->scenarios, m->nscenarios, sizeof *m->scenarios))
        goto oom;
    c->nregions = c->cap_regions = m->nregions;
    c->ntiers = c->cap_tiers = m->ntiers;
    c->ndatasets = c->cap_datasets = m->ndatasets;
    c->nfields = c->cap_fields = m->nfields;
    c->ntags = c->cap_tags = m->ntags;
    c->nplacements = c->cap_placements = m->nplacements;
    c->nflows = c->cap_flows = m->nflows;
    c->nwaivers = c->cap_waivers = m->nwaivers;
    c->nscenarios = c->cap_scenarios = m->nscenarios;
    c->generation = m->generation;
    c->rule_pack = cs(c, m->rule_pack);

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
    for (int32_t i = 0; i < c->nfields; i++)
        CS(c->fields[i].name);
    for (int32_t i = 0; i < c->ntags; i++) {
        struct tag *t = &c->tags[i];
        CS(t->tag); CS(t->source); CS(t->entity); CS(t->time);
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
    d->first_field = d->first_tag = d->first_placement = SM_NONE;
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

int32_t
model_dataset(const struct model *m, const char *name)
{
    return sm_map_get(&m->dataset_names, name);
}

int32_t
model_flow(const struct model *m, const char *name)
{
    return sm_map_get(&m->flow_names, name);
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
    char stack[1024], *buf;
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

/* ---- building -------------------------------------------------------------- */

#define GROW(m, arr, need) \
    sm_grow((void **)&(m)->arr, &(m)->cap_##arr, (need), sizeof *(m)->arr)

static int
oom(struct sm_error *err)
{
    return sm_error_set(err, SM_ENOMEM, "out of memory");
}

static bool
valid_name(const char *s)
{
    return s && *s;
}

/* SM_EINVAL when one of the n strings (NULL allowed) is not valid UTF-8:
 * names travel to terminals, JSON, HTML and SQL, and every one of those
 * needs text. The message shows the offending byte, never the text. */
static int
check_utf8(struct sm_error *err, const char *what, int n, ...)
{
    va_list ap;
    int rc = SM_OK;

    va_start(ap, n);
    for (int i = 0; i < n && rc == SM_OK; i++) {
        const char *s = va_arg(ap, const char *);
        long off = sm_utf8_invalid(s);
        if (off >= 0)
            rc = sm_error_set(err, SM_EINVAL,
                              "%s: text is not valid UTF-8 (byte 0x%02x at offset %ld)", what,
                              (unsigned char)s[off], off);
    }
    va_end(ap);
    return rc;
}

/* The one rule for region ids, for every way a region comes in (edits,
 * scenario ops, model-json, importers): a selector joins DATASET@REGION and
 * lists join with commas, so those and blanks, controls and / cannot occur;
 * what passes here round-trips through model-json. */
bool
model_region_id_ok(const char *id)
{
    if (!id || !*id)
        return false;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        if (*p <= ' ' || *p == 0x7f || *p == ',' || *p == '@' || *p == '/')
            return false;
    return true;
}

int
model_add_region(struct model *m, const struct region *r, int32_t *id,
                 struct sm_error *err)
{
    struct region nr;
    const char *colon;

    if (!valid_name(r->id))
        return sm_error_set(err, SM_EINVAL, "a region needs an id");
    if (check_utf8(err, "region", 5, r->id, r->provider, r->code, r->name, r->city))
        return SM_EINVAL;
    if (!model_region_id_ok(r->id))
        return sm_error_set(err, SM_EINVAL, "bad region id \"%.80s\": write provider:code "
                            "without blanks, control characters, commas, @ or /", r->id);
    if (model_region(m, r->id) != SM_NONE)
        return sm_error_set(err, SM_EEXIST, "region %s exists", r->id);
    if (r->kind >= REGION_KIND_COUNT)
        return sm_error_set(err, SM_EINVAL, "region %s: bad kind", r->id);
    if (GROW(m, regions, m->nregions + 1))
        return oom(err);
    nr = *r;
    colon = strchr(r->id, ':');
    nr.id = model_str(m, r->id);
    if (r->provider)
        nr.provider = model_str(m, r->provider);
    else
        nr.provider = colon ? sm_arena_strndup(&m->arena, r->id, (size_t)(colon - r->id))
                            : model_str(m, "");
    nr.code = model_str(m, r->code ? r->code : colon ? colon + 1 : r->id);
    nr.name = model_str(m, r->name ? r->name : "");
    nr.city = model_str(m, r->city ? r->city : "");
    if (r->members) {
        struct sm_ccset *s = sm_arena_alloc(&m->arena, sizeof *s);
        if (!s)
            return oom(err);
        *s = *r->members;
        nr.members = s;
    }
    if (!nr.id || !nr.provider || !nr.code || !nr.name || !nr.city)
        return oom(err);
    nr.deleted = 0;
    if (sm_map_put(&m->region_ids, nr.id, m->nregions))
        return oom(err);
    m->regions[m->nregions] = nr;
    if (id)
        *id = m->nregions;
    m->nregions++;
    m->generation++;
    return SM_OK;
}

static int
check_scope(int s, const char *what, const char *name, struct sm_error *err)
{
    if (s < 0 || s >= SCOPE_COUNT)
        return sm_error_set(err, SM_EINVAL, "tier %s: bad %s", name, what);
    return SM_OK;
}

static int
dup_strv(struct model *m, struct sm_strv *dst, const struct sm_strv *src)
{
    dst->n = 0;
    dst->v = NULL;
    if (!src || !src->n)
        return SM_OK;
    dst->v = sm_arena_alloc(&m->arena, src->n * sizeof *dst->v);
    if (!dst->v)
        return SM_ENOMEM;
    for (uint32_t i = 0; i < src->n; i++)
        if (!(dst->v[i] = model_str(m, src->v[i])))
            return SM_ENOMEM;
    dst->n = src->n;
    return SM_OK;
}

int
model_add_tier(struct model *m, const struct tier *t, int32_t *id,
               struct sm_error *err)
{
    struct tier nt;
    int rc;

    if (!valid_name(t->name))
        return sm_error_set(err, SM_EINVAL, "a tier needs a name");
    if (check_utf8(err, "tier", 2, t->name, t->description))
        return SM_EINVAL;
    if (model_tier(m, t->name) != SM_NONE)
        return sm_error_set(err, SM_EEXIST, "tier %s exists", t->name);
    if ((rc = check_scope(t->scope, "scope", t->name, err)) ||
        (rc = check_scope(t->backup_scope, "backup scope", t->name, err)) ||
        (rc = check_scope(t->key_scope, "key scope", t->name, err)))
        return rc;
    for (uint32_t i = 0; i < t->approved.n; i++)
        if (model_region(m, t->approved.v[i]) == SM_NONE) {
            struct sm_error e2;
            int32_t dummy;
            model_find(m, OBJ_REGION, t->approved.v[i], &dummy, &e2);
            return sm_error_set(err, SM_ENOTFOUND, "tier %s: %s", t->name, e2.msg);
        }
    if (GROW(m, tiers, m->ntiers + 1))
        return oom(err);
    nt = *t;
    nt.name = model_str(m, t->name);
    nt.description = model_str(m, t->description ? t->description : "");
    if (!nt.name || !nt.description || dup_strv(m, &nt.approved, &t->approved))
        return oom(err);
    nt.deleted = 0;
    if (sm_map_put(&m->tier_names, nt.name, m->ntiers))
        return oom(err);
    m->tiers[m->ntiers] = nt;
    if (id)
        *id = m->ntiers;
    m->ntiers++;
    m->generation++;
    return SM_OK;
}

int
model_add_dataset(struct model *m, const struct dataset *d, int32_t *id,
                  struct sm_error *err)
{
    struct dataset nd;

    if (!valid_name(d->name))
        return sm_error_set(err, SM_EINVAL, "a dataset needs a name");
    if (check_utf8(err, "dataset", 6, d->name, d->system, d->owner, d->description,
                   d->source_ref, d->purpose))
        return SM_EINVAL;
    if (strchr(d->name, '@'))
        return sm_error_set(err, SM_EINVAL, "dataset name %s: '@' is reserved for copies",
                            d->name);
    if (model_dataset(m, d->name) != SM_NONE)
        return sm_error_set(err, SM_EEXIST, "dataset %s exists", d->name);
    if (d->tier != SM_NONE && (d->tier < 0 || d->tier >= m->ntiers || m->tiers[d->tier].deleted))
        return sm_error_set(err, SM_ENOTFOUND, "dataset %s: unknown tier", d->name);
    if (d->nsubjects > MODEL_MAX_SUBJECTS)
        return sm_error_set(err, SM_EINVAL, "dataset %s: at most %d subject jurisdictions",
                            d->name, MODEL_MAX_SUBJECTS);
    if (GROW(m, datasets, m->ndatasets + 1))
        return oom(err);
    nd = *d;
    nd.name = model_str(m, d->name);
    nd.system = model_str(m, d->system ? d->system : "");
    nd.owner = model_str(m, d->owner ? d->owner : "");
    nd.description = model_str(m, d->description ? d->description : "");
    nd.source_ref = model_str(m, d->source_ref ? d->source_ref : "");
    nd.purpose = model_str(m, d->purpose ? d->purpose : "");
    if (!nd.name || !nd.system || !nd.owner || !nd.description || !nd.source_ref ||
        !nd.purpose)
        return oom(err);
    nd.first_field = nd.first_tag = nd.first_placement = SM_NONE;
    nd.deleted = 0;
    if (sm_map_put(&m->dataset_names, nd.name, m->ndatasets))
        return oom(err);
    m->datasets[m->ndatasets] = nd;
    if (id)
        *id = m->ndatasets;
    m->ndatasets++;
    m->generation++;
    return SM_OK;
}

int32_t
model_field(const struct model *m, int32_t dataset, const char *name)
{
    if (dataset < 0 || dataset >= m->ndatasets || !name)
        return SM_NONE;
    for (int32_t f = m->datasets[dataset].first_field; f != SM_NONE; f = m->fields[f].next)
        if (strcmp(m->fields[f].name, name) == 0)
            return f;
    return SM_NONE;
}

int
model_add_field(struct model *m, int32_t dataset, const char *name, int32_t *id,
                struct sm_error *err)
{
    struct dataset *d;
    struct field *f;
    int32_t last = SM_NONE, existing;

    if (dataset < 0 || dataset >= m->ndatasets || m->datasets[dataset].deleted)
        return sm_error_set(err, SM_ENOTFOUND, "unknown dataset");
    if (!valid_name(name))
        return sm_error_set(err, SM_EINVAL, "dataset %s: a field needs a name",
                            m->datasets[dataset].name);
    if (check_utf8(err, "field", 1, name))
        return SM_EINVAL;
    existing = model_field(m, dataset, name);
    if (existing != SM_NONE) {
        if (id)
            *id = existing;
        return SM_OK;
    }
    if (GROW(m, fields, m->nfields + 1))
        return oom(err);
    d = &m->datasets[dataset];
    f = &m->fields[m->nfields];
    f->name = model_str(m, name);
    if (!f->name)
        return oom(err);
    f->dataset = dataset;
    f->next = SM_NONE;
    /* keep declaration order: append */
    for (int32_t i = d->first_field; i != SM_NONE; i = m->fields[i].next)
        last = i;
    if (last == SM_NONE)
        d->first_field = m->nfields;
    else
        m->fields[last].next = m->nfields;
    if (id)
        *id = m->nfields;
    m->nfields++;
    m->generation++;
    return SM_OK;
}

int
model_add_tag(struct model *m, int32_t dataset, int32_t field, const char *tag,
              const char *source, const char *entity, const char *time,
              int32_t *id, struct sm_error *err)
{
    struct dataset *d;
    struct tag *t;
    int32_t last = SM_NONE;

    if (dataset < 0 || dataset >= m->ndatasets || m->datasets[dataset].deleted)
        return sm_error_set(err, SM_ENOTFOUND, "unknown dataset");
    if (!valid_name(tag))
        return sm_error_set(err, SM_EINVAL, "dataset %s: empty tag", m->datasets[dataset].name);
    if (check_utf8(err, "tag", 4, tag, source, entity, time))
        return SM_EINVAL;
    if (field != SM_NONE && (field < 0 || field >= m->nfields || m->fields[field].dataset != dataset))
        return sm_error_set(err, SM_EINVAL, "dataset %s: tag on a field of another dataset",
                            m->datasets[dataset].name);
    d = &m->datasets[dataset];
    for (int32_t i = d->first_tag; i != SM_NONE; i = m->tags[i].next) {
        if (m->tags[i].field == field && strcmp(m->tags[i].tag, tag) == 0) {
            if (id)
                *id = i;
            return SM_OK;
        }
        last = i;
    }
    if (GROW(m, tags, m->ntags + 1))
        return oom(err);
    t = &m->tags[m->ntags];
    t->tag = model_str(m, tag);
    t->source = model_str(m, source ? source : "");
    t->entity = model_str(m, entity ? entity : "");
    t->time = model_str(m, time ? time : "");
    if (!t->tag || !t->source || !t->entity || !t->time)
        return oom(err);
    t->dataset = dataset;
    t->field = field;
    t->next = SM_NONE;
    d = &m->datasets[dataset];
    if (last == SM_NONE)
        d->first_tag = m->ntags;
    else
        m->tags[last].next = m->ntags;
    if (id)
        *id = m->ntags;
    m->ntags++;
    m->generation++;
    return SM_OK;
}

int
model_set_tag_source(struct model *m, int32_t tag, const char *source, const char *entity,
                     const char *time, struct sm_error *err)
{
    const char *s, *e, *t;

    if (tag < 0 || tag >= m->ntags)
        return sm_error_set(err, SM_EINVAL, "unknown tag");
    if (check_utf8(err, "tag", 3, source, entity, time))
        return SM_EINVAL;
    s = model_str(m, source ? source : "");
    e = model_str(m, entity ? entity : "");
    t = model_str(m, time ? time : "");
    if (!s || !e || !t)
        return oom(err);
    m->tags[tag].source = s;
    m->tags[tag].entity = e;
    m->tags[tag].time = t;
    m->generation++;
    return SM_OK;
}

int
model_remove_tag(struct model *m, int32_t tag)
{
    struct dataset *d;
    int32_t *link;

    if (tag < 0 || tag >= m->ntags)
        return SM_EINVAL;
    d = &m->datasets[m->tags[tag].dataset];
    for (link = &d->first_tag; *link != SM_NONE; link = &m->tags[*link].next) {
        if (*link == tag) {
            *link = m->tags[tag].next;
            m->tags[tag].next = SM_NONE;
            m->generation++;
            return SM_OK;
        }
    }
    return SM_EINVAL;
}

int
model_remove_field(struct model *m, int32_t field, struct sm_error *err)
{
    struct dataset *d;
    int32_t *link, t, next;

    if (field < 0 || field >= m->nfields)
        return sm_error_set(err, SM_EINVAL, "unknown field");
    d = &m->datasets[m->fields[field].dataset];
    for (link = &d->first_field; *link != SM_NONE && *link != field;
         link = &m->fields[*link].next)
        ;
    if (*link != field)
        return sm_error_set(err, SM_EINVAL, "field %s is not in dataset %s",
                            m->fields[field].name, d->name);
    *link = m->fields[field].next;
    m->fields[field].next = SM_NONE;
    for (t = d->first_tag; t != SM_NONE; t = next) {
        next = m->tags[t].next;
        if (m->tags[t].field == field)
            model_remove_tag(m, t);
    }
    m->generation++;
    return SM_OK;
}

static int
check_placement(const struct model *m, const struct placement *p, int32_t self,
                struct sm_error *err)
{
    const char *dn;
    int32_t other;

    if (p->dataset < 0 || p->dataset >= m->ndatasets || m->datasets[p->dataset].deleted)
        return sm_error_set(err, SM_ENOTFOUND, "a copy needs a known dataset");
    dn = m->datasets[p->dataset].name;
    if (p->region < 0 || p->region >= m->nregions || m->regions[p->region].deleted)
        return sm_error_set(err, SM_ENOTFOUND, "copy of %s: unknown region", dn);
    if (p->key_region != SM_NONE &&
        (p->key_region < 0 || p->key_region >= m->nregions || m->regions[p->key_region].deleted))
        return sm_error_set(err, SM_ENOTFOUND, "copy of %s: unknown key region", dn);
    if (p->role >= ROLE_COUNT)
        return sm_error_set(err, SM_EINVAL, "copy of %s: bad role", dn);
    if (p->mechanism >= MECH_COUNT)
        return sm_error_set(err, SM_EINVAL, "copy of %s: bad mechanism", dn);
    for (int32_t i = m->datasets[p->dataset].first_placement; i != SM_NONE;
         i = m->placements[i].next) {
        if (i == self)
            continue;
        if (m->placements[i].region == p->region && m->placements[i].role == p->role)
            return sm_error_set(err, SM_EEXIST, "%s already has a %s copy in %s", dn,
                                role_names[p->role], m->regions[p->region].id);
        if (p->role == ROLE_PRIMARY && m->placements[i].role == ROLE_PRIMARY) {
            other = m->placements[i].region;
            return sm_error_set(err, SM_EEXIST, "%s already has its primary copy in %s",
                                dn, m->regions[other].id);
        }
    }
    return SM_OK;
}

int
model_add_placement(struct model *m, const struct placement *p, int32_t *id,
                    struct sm_error *err)
{
    struct placement np;
    struct dataset *d;
    int32_t last = SM_NONE;
    int rc;

    if ((rc = check_placement(m, p, SM_NONE, err)))
        return rc;
    if (check_utf8(err, "copy", 1, p->mechanism_ref))
        return SM_EINVAL;
    if (GROW(m, placements, m->nplacements + 1))
        return oom(err);
    np = *p;
    np.mechanism_ref = model_str(m, p->mechanism_ref ? p->mechanism_ref : "");
    if (!np.mechanism_ref)
        return oom(err);
    np.next = SM_NONE;
    np.deleted = 0;
    d = &m->datasets[p->dataset];
    for (int32_t i = d->first_placement; i != SM_NONE; i = m->placements[i].next)
        last = i;
    if (last == SM_NONE)
        d->first_placement = m->nplacements;
    else
        m->placements[last].next = m->nplacements;
    m->placements[m->nplacements] = np;
    if (id)
        *id = m->nplacements;
    m->nplacements++;
    m->generation++;
    return SM_OK;
}

static bool
live_placement(const struct model *m, int32_t p)
{
    return p >= 0 && p < m->nplacements && !m->placements[p].deleted;
}

static int
check_flow(const struct model *m, const struct flow *f, struct sm_error *err)
{
    if (!live_placement(m, f->from))
        return sm_error_set(err, SM_ENOTFOUND, "a flow needs a known source copy");
    if (f->to == SM_NONE) {
        if (f->to_region < 0 || f->to_region >= m->nregions || m->regions[f->to_region].deleted)
            return sm_error_set(err, SM_EINVAL, "a flow needs a target copy or region");
    } else if (!live_placement(m, f->to)) {
        return sm_error_set(err, SM_ENOTFOUND, "a flow needs a known target copy");
    } else if (f->to == f->from) {
        return sm_error_set(err, SM_EINVAL, "a flow cannot go from a copy to itself");
    }
    if (f->kind >= FLOW_KIND_COUNT || f->mechanism >= MECH_COUNT)
        return sm_error_set(err, SM_EINVAL, "flow: bad kind or mechanism");
    if (f->valid_from && f->valid_to && f->valid_to < f->valid_from)
        return sm_error_set(err, SM_EINVAL, "flow: valid-to is before valid-from");
    return SM_OK;
}

/* "FROM->TO" of the placement selectors, in the arena; NULL when out of
 * memory. */
static char *
default_flow_name(struct model *m, const struct flow *f)
{
    const struct placement *from = &m->placements[f->from];
    size_t size = strlen(m->datasets[from->dataset].name) + strlen(m->regions[from->region].id) + 40;
    char *buf;

    if (f->to != SM_NONE) {
        const struct placement *to = &m->placements[f->to];
        size += strlen(m->datasets[to->dataset].name) + strlen(m->regions[to->region].id);
    } else {
        size += strlen(m->regions[f->to_region].id);
    }
    buf = sm_arena_alloc(&m->arena, size);
    if (!buf)
        return NULL;
    model_selector(m, OBJ_PLACEMENT, f->from, buf, size);
    strcat(buf, "->");
    if (f->to != SM_NONE)
        model_selector(m, OBJ_PLACEMENT, f->to, buf + strlen(buf), size - strlen(buf));
    else
        strcat(buf, m->regions[f->to_region].id);
    return buf;
}

int
model_add_flow(struct model *m, const struct flow *f, int32_t *id,
               struct sm_error *err)
{
    struct flow nf;
    const char *name;
    int rc;

    if ((rc = check_flow(m, f, err)))
        return rc;
    if (check_utf8(err, "flow", 2, f->name, f->mechanism_ref))
        return SM_EINVAL;
    for (uint32_t i = 0; i < f->fields.n; i++)
        if (check_utf8(err, "flow field", 1, f->fields.v[i]))
            return SM_EINVAL;
    if (f->name && *f->name) {
        if (model_flow(m, f->name) != SM_NONE)
            return sm_error_set(err, SM_EEXIST, "flow %s exists", f->name);
        name = model_str(m, f->name);
    } else {
        char *base = default_flow_name(m, f), *numbered;
        size_t len = base ? strlen(base) : 0;
        name = base;
        for (int n = 2; base && model_flow(m, name) != SM_NONE; n++) {
            if (!(numbered = sm_arena_alloc(&m->arena, len + 16)))
                return oom(err);
            snprintf(numbered, len + 16, "%s#%d", base, n);
            name = numbered;
        }
    }
    if (!name || GROW(m, flows, m->nflows + 1))
        return oom(err);
    nf = *f;
    nf.name = name;
    nf.mechanism_ref = model_str(m, f->mechanism_ref ? f->mechanism_ref : "");
    if (!nf.name || !nf.mechanism_ref || dup_strv(m, &nf.fields, &f->fields))
        return oom(err);
    if (f->to != SM_NONE)
        nf.to_region = SM_NONE;
    if (f->ntransforms) {
        nf.transforms = sm_arena_alloc(&m->arena, f->ntransforms * sizeof *nf.transforms);
        if (!nf.transforms)
            return oom(err);
        for (uint32_t i = 0; i < f->ntransforms; i++) {
            nf.transforms[i].kind = f->transforms[i].kind;
            if (dup_strv(m, &nf.transforms[i].fields, &f->transforms[i].fields))
                return oom(err);
        }
    }
    nf.deleted = 0;
    if (sm_map_put(&m->flow_names, nf.name, m->nflows))
        return oom(err);
    m->flows[m->nflows] = nf;
    if (id)
        *id = m->nflows;
    m->nflows++;
    m->generation++;
    return SM_OK;
}

/* One sm_map_put with the hash already known; the map has no tombstones. */
static void
index_put(struct sm_map *map, const char *key, uint32_t h, int32_t val)
{
    uint32_t mask = map->cap - 1, i;

    for (i = h & mask; map->slots[i].key; i = (i + 1) & mask)
        if (map->slots[i].hash == h && strcmp(map->slots[i].key, key) == 0) {
            map->slots[i].key = key;
            map->slots[i].val = val;
            return;
        }
    map->slots[i].key = key;
    map->slots[i].hash = h;
    map->slots[i].val = val;
    map->len++;
}

#define INDEX_AHEAD 64

int
model_index_names(struct model *m, enum obj_kind kind, int32_t from)
{
    struct sm_map *map;
    uint32_t ahead[INDEX_AHEAD];
    int32_t n;

    if (kind == OBJ_DATASET) {
        map = &m->dataset_names;
        n = m->ndatasets;
    } else if (kind == OBJ_FLOW) {
        map = &m->flow_names;
        n = m->nflows;
    } else {
        return SM_EINVAL;
    }
#define NAME_OF(i) (kind == OBJ_DATASET ? m->datasets[i].name : m->flows[i].name)
#define DELETED(i) (kind == OBJ_DATASET ? m->datasets[i].deleted : m->flows[i].deleted)
    if (from < 0)
        from = 0;
    if (from >= n)
        return SM_OK;
    if (sm_map_reserve(map, map->len + (uint32_t)(n - from)))
        return SM_ENOMEM;
    if (map->tomb) {
        /* tombstones: let the map's own insert reuse them */
        for (int32_t i = from; i < n; i++)
            if (!DELETED(i) && sm_map_put(map, NAME_OF(i), i))
                return SM_ENOMEM;
        return SM_OK;
    }
    /* hash INDEX_AHEAD names ahead and prefetch their home slots; insert in
     * id order, so the map is exactly the one sm_map_put would build */
    for (int32_t i = from; i < n + INDEX_AHEAD; i++) {
        int32_t j = i - INDEX_AHEAD;     /* j and i share a ring entry: j first */
        if (j >= from && ahead[j % INDEX_AHEAD])
            index_put(map, NAME_OF(j), ahead[j % INDEX_AHEAD], j);
        if (i < n) {
            uint32_t h = DELETED(i) ? 0 : sm_hash(NAME_OF(i));
            ahead[i % INDEX_AHEAD] = h;
            if (h)
                __builtin_prefetch(&map->slots[h & (map->cap - 1)], 1);
        }
    }
#undef NAME_OF
#undef DELETED
    return SM_OK;
}

int
model_add_waiver(struct model *m, const struct waiver *w, int32_t *id,
                 struct sm_error *err)
{
    struct waiver nw;
    size_t size;
    char *key;

    if (!valid_name(w->rule) || !valid_name(w->object))
        return sm_error_set(err, SM_EINVAL, "a waiver needs a rule and an object");
    if (check_utf8(err, "waiver", 4, w->rule, w->object, w->owner, w->reason))
        return SM_EINVAL;
    size = strlen(w->rule) + strlen(w->object) + 2;
    if (!(key = sm_arena_alloc(&m->arena, size)))
        return oom(err);
    snprintf(key, size, "%s:%s", w->rule, w->object);
    if (model_waiver(m, key) != SM_NONE)
        return sm_error_set(err, SM_EEXIST, "waiver %s exists", key);
    if (GROW(m, waivers, m->nwaivers + 1))
        return oom(err);
    nw = *w;
    nw.key = key;
    nw.rule = model_str(m, w->rule);
    nw.object = model_str(m, w->object);
    nw.owner = model_str(m, w->owner ? w->owner : "");
    nw.reason = model_str(m, w->reason ? w->reason : "");
    if (!nw.key || !nw.rule || !nw.object || !nw.owner || !nw.reason)
        return oom(err);
    nw.deleted = 0;
    if (sm_map_put(&m->waiver_keys, nw.key, m->nwaivers))
        return oom(err);
    m->waivers[m->nwaivers] = nw;
    if (id)
        *id = m->nwaivers;
    m->nwaivers++;
    m->generation++;
    return SM_OK;
}

int
model_add_scenario(struct model *m, const struct scenario *s, int32_t *id,
                   struct sm_error *err)
{
    struct scenario ns;

    if (!valid_name(s->name))
        return sm_error_set(err, SM_EINVAL, "a scenario needs a name");
    if (check_utf8(err, "scenario", 3, s->name, s->base, s->description))
        return SM_EINVAL;
    for (uint32_t i = 0; i < s->nops; i++)
        for (uint32_t k = 0; k < s->ops[i].n; k++)
            if (check_utf8(err, "scenario edit", 1, s->ops[i].v[k]))
                return SM_EINVAL;
    if (model_scenario(m, s->name) != SM_NONE)
        return sm_error_set(err, SM_EEXIST, "scenario %s exists", s->name);
    if (s->base && *s->base && model_scenario(m, s->base) == SM_NONE) {
        int32_t dummy;
        return model_find(m, OBJ_SCENARIO, s->base, &dummy, err);
    }
    if (GROW(m, scenarios, m->nscenarios + 1))
        return oom(err);
    memset(&ns, 0, sizeof ns);
    ns.name = model_str(m, s->name);
    ns.base = model_str(m, s->base ? s->base : "");
    ns.description = model_str(m, s->description ? s->description : "");
    if (!ns.name || !ns.base || !ns.description)
        return oom(err);
    if (s->nops) {
        ns.ops = sm_arena_alloc(&m->arena, s->nops * sizeof *ns.ops);
        if (!ns.ops)
            return oom(err);
        for (uint32_t i = 0; i < s->nops; i++)
            if (dup_strv(m, &ns.ops[i], &s->ops[i]))
                return oom(err);
        ns.nops = s->nops;
    }
    if (sm_map_put(&m->scenario_names, ns.name, m->nscenarios))
        return oom(err);
    m->scenarios[m->nscenarios] = ns;
    if (id)
        *id = m->nscenarios;
    m->nscenarios++;
    m->generation++;
    return SM_OK;
}

int
model_scenario_append(struct model *m, int32_t scenario, int argc,
                      const char *const *argv, struct sm_error *err)
{
    struct scenario *s;
    struct sm_strv *ops, src;

    if (scenario < 0 || scenario >= m->nscenarios || m->scenarios[scenario].deleted)
        return sm_error_set(err, SM_ENOTFOUND, "unknown scenario");
    if (argc < 1)
        return sm_error_set(err, SM_EINVAL, "a scenario edit needs an operation");
    for (int i = 0; i < argc; i++)
        if (check_utf8(err, "scenario edit", 1, argv[i]))
            return SM_EINVAL;
    s = &m->scenarios[scenario];
    /* ops live in the arena: copy the array one longer (scenarios are short) */
    ops = sm_arena_alloc(&m->arena, (s->nops + 1) * sizeof *ops);
    if (!ops)
        return oom(err);
    if (s->nops)
        memcpy(ops, s->ops, s->nops * sizeof *ops);
    src.n = (uint32_t)argc;
    src.v = (const char **)argv;
    if (dup_strv(m, &ops[s->nops], &src))
        return oom(err);
    s->ops = ops;
    s->nops++;
    m->generation++;
    return SM_OK;
}

/* ---- removal ----------------------------------------------------------------- */

static void
unlink_placement(struct model *m, int32_t p)
{
    struct dataset *d = &m->datasets[m->placements[p].dataset];

    for (int32_t *link = &d->first_placement; *link != SM_NONE;
         link = &m->placements[*link].next) {
        if (*link == p) {
            *link = m->placements[p].next;
            break;
        }
    }
    m->placements[p].next = SM_NONE;
}

static void
remove_flows_of_placement(struct model *m, int32_t p)
{
    for (int32_t i = 0; i < m->nflows; i++) {
        struct flow *f = &m->flows[i];
        if (!f->deleted && (f->from == p || f->to == p)) {
            f->deleted = 1;
            sm_map_del(&m->flow_names, f->name);
        }
    }
}

static int
region_in_use(const struct model *m, int32_t r, struct sm_error *err)
{
    int32_t n = 0;

    for (int32_t i = 0; i < m->nplacements; i++)
        if (!m->placements[i].deleted &&
            (m->placements[i].region == r || m->placements[i].key_region == r))
            n++;
    for (int32_t i = 0; i < m->nflows; i++)
        if (!m->flows[i].deleted && m->flows[i].to_region == r)
            n++;
    if (n)
        return sm_error_set(err, SM_EINVAL, "region %s is used by %d copies, keys or flows",
                            m->regions[r].id, (int)n);
    return SM_OK;
}

int
model_remove(struct model *m, enum obj_kind kind, int32_t id, struct sm_error *err)
{
    int32_t n = 0;
    int rc;

    if (id < 0 || id >= model_count(m, kind))
        return sm_error_set(err, SM_ENOTFOUND, "unknown %s", obj_kind_names[kind]);
    switch (kind) {
    case OBJ_REGION:
        if (m->regions[id].builtin)
            return sm_error_set(err, SM_EINVAL, "region %s is shipped with sovmap; "
                                "retire it in a scenario instead", m->regions[id].id);
        if ((rc = region_in_use(m, id, err)))
            return rc;
        m->regions[id].deleted = 1;
        sm_map_del(&m->region_ids, m->regions[id].id);
        break;
    case OBJ_TIER:
        for (int32_t i = 0; i < m->ndatasets; i++)
            n += !m->datasets[i].deleted && m->datasets[i].tier == id;
        if (n)
            return sm_error_set(err, SM_EINVAL, "tier %s is used by %d datasets",
                                m->tiers[id].name, (int)n);
        m->tiers[id].deleted = 1;
        sm_map_del(&m->tier_names, m->tiers[id].name);
        break;
    case OBJ_DATASET: {
        struct dataset *d = &m->datasets[id];
        for (int32_t p = d->first_placement; p != SM_NONE; p = m->placements[p].next) {
            remove_flows_of_placement(m, p);
            m->placements[p].deleted = 1;
        }
        d->first_placement = d->first_field = d->first_tag = SM_NONE;
        d->deleted = 1;
        sm_map_del(&m->dataset_names, d->name);
        break;
    }
    case OBJ_PLACEMENT:
        remove_flows_of_placement(m, id);
        unlink_placement(m, id);
        m->placements[id].deleted = 1;
        break;
    case OBJ_FLOW:
        m->flows[id].deleted = 1;
        sm_map_del(&m->flow_names, m->flows[id].name);
        break;
    case OBJ_WAIVER:
        m->waivers[id].deleted = 1;
        sm_map_del(&m->waiver_keys, m->waivers[id].key);
        break;
    case OBJ_SCENARIO:
        for (int32_t i = 0; i < m->nscenarios; i++)
            if (!m->scenarios[i].deleted && strcmp(m->scenarios[i].base, m->scenarios[id].name) == 0)
                return sm_error_set(err, SM_EINVAL, "scenario %s is the base of %s",
                                    m->scenarios[id].name, m->scenarios[i].name);
        m->scenarios[id].deleted = 1;
        sm_map_del(&m->scenario_names, m->scenarios[id].name);
        break;
    default:
        return sm_error_set(err, SM_EINVAL, "bad object kind");
    }
    m->generation++;
    return SM_OK;
}

/* ---- attributes --------------------------------------------------------------- */

#define A(kind, type_, member, atype, tbl, n, req, ro, help) \
    { #member, atype, tbl, n, help, req, ro, offsetof(struct type_, member) }
#define NAMED(name_, type_, member, atype, tbl, n, req, ro, help) \
    { name_, atype, tbl, n, help, req, ro, offsetof(struct type_, member) }

static const struct attr region_attrs[] = {
    NAMED("name", region, name, ATTR_STR, NULL, 0, false, false, "display name"),
    NAMED("kind", region, kind, ATTR_ENUM, region_kind_names, REGION_KIND_COUNT, false, false,
          "cloud, sovereign-cloud, on-prem, edge or multi-region"),
    NAMED("country", region, country, ATTR_CC, NULL, 0, false, false,
          "ISO 3166-1 alpha-2 country where the data rests"),
    NAMED("city", region, city, ATTR_STR, NULL, 0, false, false, "city or area"),
    NAMED("operator", region, operator_home, ATTR_CC, NULL, 0, false, false,
          "legal home of the operator (who can be compelled to disclose)"),
    NAMED("members", region, members, ATTR_CCSET, NULL, 0, false, false,
          "member countries of a multi-region, * for any"),
    NAMED("provider", region, provider, ATTR_STR, NULL, 0, false, true, "provider"),
    { NULL, 0, NULL, 0, NULL, false, false, 0 }
};

static const struct attr tier_attrs[] = {
    NAMED("rank", tier, rank, ATTR_INT, NULL, 0, false, false, "higher is more sensitive"),
    NAMED("personal", tier, personal, ATTR_BOOL, NULL, 0, false, false, "holds personal data"),
    NAMED("scope", tier, scope, ATTR_ENUM, scope_names, SCOPE_COUNT, false, false,
          "where copies may live: region, country, bloc, adequate, approved, global"),
    NAMED("backup-scope", tier, backup_scope, ATTR_ENUM, scope_names, SCOPE_COUNT, false, false,
          "where backup, dr and archive copies may live"),
    NAMED("approved", tier, approved, ATTR_STRV, NULL, 0, false, false,
          "approved regions, for the approved scope"),
    NAMED("encryption-at-rest", tier, encryption_at_rest, ATTR_BOOL, NULL, 0, false, false,
          "copies must be encrypted at rest"),
    NAMED("key-scope", tier, key_scope, ATTR_ENUM, scope_names, SCOPE_COUNT, false, false,
          "where encryption keys may be held"),
    NAMED("transit-encryption", tier, transit_encryption, ATTR_BOOL, NULL, 0, false, false,
          "cross-region flows must be encrypted in transit"),
    NAMED("sovereign", tier, sovereign, ATTR_BOOL, NULL, 0, false, false,
          "operator must answer only to the subjects' jurisdiction"),
    NAMED("retention-min", tier, retention_min_days, ATTR_INT, NULL, 0, false, false,
          "minimum retention in days"),
    NAMED("retention-max", tier, retention_max_days, ATTR_INT, NULL, 0, false, false,
          "maximum retention in days"),
    NAMED("description", tier, description, ATTR_STR, NULL, 0, false, false, "what it is for"),
    { NULL, 0, NULL, 0, NULL, false, false, 0 }
};

static const struct attr dataset_attrs[] = {
    NAMED("tier", dataset, tier, ATTR_TIER, NULL, 0, false, false, "classification tier"),
    NAMED("subjects", dataset, subjects, ATTR_SUBJECTS, NULL, 0, false, false,
          "data subjects' jurisdictions, e.g. EU,BR"),
    NAMED("system", dataset, system, ATTR_STR, NULL, 0, false, false, "owning system"),
    NAMED("owner", dataset, owner, ATTR_STR, NULL, 0, false, false, "owner"),
    NAMED("retention", dataset, retention_days, ATTR_INT, NULL, 0, false, false,
          "retention in days"),
    NAMED("public-sector", dataset, public_sector, ATTR_BOOL, NULL, 0, false, false,
          "held by a public body"),
    NAMED("source", dataset, source_ref, ATTR_STR, NULL, 0, false, false,
          "source reference (Atlas guid, Glue ARN)"),
    NAMED("description", dataset, description, ATTR_STR, NULL, 0, false, false, "description"),
    NAMED("fields", dataset, first_field, ATTR_FIELDS, NULL, 0, false, true,
          "fields and their tags"),
    /* last: the Art. 30 facts come after what places and classifies it */
    NAMED("purpose", dataset, purpose, ATTR_STR, NULL, 0, false, false,
          "purpose of the processing (Art. 30 record)"),
    NAMED("legal-basis", dataset, legal_basis, ATTR_ENUM, legal_basis_names, LB_COUNT, false,
          false, "GDPR Art. 6(1) basis: consent, contract, legal_obligation, vital_interests, "
          "public_task or legitimate_interests"),
    { NULL, 0, NULL, 0, NULL, false, false, 0 }
};

static const struct attr placement_attrs[] = {
    NAMED("region", placement, region, ATTR_REGION, NULL, 0, true, false, "where the copy lives"),
    NAMED("role", placement, role, ATTR_ENUM, role_names, ROLE_COUNT, false, false,
          "primary, replica, backup, dr, cache, archive or edge"),
    NAMED("encrypted", placement, encrypted, ATTR_BOOL, NULL, 0, false, false,
          "encrypted at rest"),
    NAMED("key-region", placement, key_region, ATTR_REGION, NULL, 0, false, false,
          "region holding the encryption key"),
    NAMED("mechanism", placement, mechanism, ATTR_ENUM, mechanism_names, MECH_COUNT, false, false,
          "transfer mechanism of the implicit replication into this copy"),
    NAMED("mechanism-ref", placement, mechanism_ref, ATTR_STR, NULL, 0, false, false,
          "reference of the mechanism, e.g. a TIA id"),
    { NULL, 0, NULL, 0, NULL, false, false, 0 }
};

static const struct attr flow_attrs[] = {
    NAMED("from", flow, from, ATTR_PLACEMENT, NULL, 0, true, false, "source copy DATASET@REGION"),
    NAMED("to", flow, to, ATTR_PLACEMENT, NULL, 0, false, false, "target copy DATASET@REGION"),
    NAMED("to-region", flow, to_region, ATTR_REGION, NULL, 0, false, false,
          "target region of an export"),
    NAMED("kind", flow, kind, ATTR_ENUM, flow_kind_names, FLOW_KIND_COUNT, false, false,
          "replication, backup, etl, stream, query or export"),
    NAMED("fields", flow, fields, ATTR_STRV, NULL, 0, false, false,
          "fields carried, empty for all"),
    NAMED("transforms", flow, transforms, ATTR_TRANSFORMS, NULL, 0, false, false,
          "e.g. mask email; drop ssn; pseudonymize id; anonymize; aggregate"),
    NAMED("mechanism", flow, mechanism, ATTR_ENUM, mechanism_names, MECH_COUNT, false, false,
          "adequacy, dpf, scc, bcr, consent or derogation"),
    NAMED("mechanism-ref", flow, mechanism_ref, ATTR_STR, NULL, 0, false, false,
          "reference of the mechanism, e.g. a TIA id"),
    NAMED("valid-from", flow, valid_from, ATTR_DATE, NULL, 0, false, false, "mechanism valid from"),
    NAMED("valid-to", flow, valid_to, ATTR_DATE, NULL, 0, false, false, "mechanism valid until"),
    NAMED("transit-encrypted", flow, transit_encrypted, ATTR_BOOL, NULL, 0, false, false,
          "encrypted in transit"),
    NAMED("public-recipient", flow, public_recipient, ATTR_BOOL, NULL, 0, false, false,
          "the recipient is a public body"),
    { NULL, 0, NULL, 0, NULL, false, false, 0 }
};

static const struct attr waiver_attrs[] = {
    NAMED("owner", waiver, owner, ATTR_STR, NULL, 0, true, false, "who accepted the risk"),
    NAMED("reason", waiver, reason, ATTR_STR, NULL, 0, true, false, "why"),
    NAMED("expires", waiver, expires, ATTR_DATE, NULL, 0, true, false, "YYYY-MM-DD"),
    NAMED("rule", waiver, rule, ATTR_STR, NULL, 0, true, true, "rule id"),
    NAMED("object", waiver, object, ATTR_STR, NULL, 0, true, true, "object selector"),
    { NULL, 0, NULL, 0, NULL, false, false, 0 }
};

static const struct attr scenario_attrs[] = {
    NAMED("base", scenario, base, ATTR_STR, NULL, 0, false, false, "scenario it builds on"),
    NAMED("description", scenario, description, ATTR_STR, NULL, 0, false, false, "what it tries"),
    { NULL, 0, NULL, 0, NULL, false, false, 0 }
};

static const struct attr *const attr_tables[OBJ_KIND_COUNT] = {
    [OBJ_REGION] = region_attrs,
    [OBJ_TIER] = tier_attrs,
    [OBJ_DATASET] = dataset_attrs,
    [OBJ_PLACEMENT] = placement_attrs,
    [OBJ_FLOW] = flow_attrs,
    [OBJ_WAIVER] = waiver_attrs,
    [OBJ_SCENARIO] = scenario_attrs,
};

const struct attr *
model_attrs(enum obj_kind kind)
{
    return kind < OBJ_KIND_COUNT ? attr_tables[kind] : NULL;
}

const struct attr *
model_attr(enum obj_kind kind, const char *name)
{
    const struct attr *a = model_attrs(kind);

    for (; a && a->name; a++)
        if (strcmp(a->name, name) == 0)
            return a;
    return NULL;
}

static void *
object_ptr(const struct model *m, enum obj_kind kind, int32_t id)
{
    switch (kind) {
    case OBJ_REGION:    return &m->regions[id];
    case OBJ_TIER:      return &m->tiers[id];
    case OBJ_DATASET:   return &m->datasets[id];
    case OBJ_PLACEMENT: return &m->placements[id];
    case OBJ_FLOW:      return &m->flows[id];
    case OBJ_WAIVER:    return &m->waivers[id];
    case OBJ_SCENARIO:  return &m->scenarios[id];
    default:            return NULL;
    }
}

static int
parse_bool(const char *v, uint8_t *out)
{
    static const char *const yes[] = { "true", "yes", "on", "1", "y" };
    static const char *const no[] = { "false", "no", "off", "0", "n", "" };

    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (strcmp(v, yes[i]) == 0)
            return *out = 1, SM_OK;
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (strcmp(v, no[i]) == 0)
            return *out = 0, SM_OK;
    return SM_EINVAL;
}

static int
parse_int(const char *v, int32_t *out)
{
    char *end;
    long x;

    if (!*v) {
        *out = SM_NONE;
        return SM_OK;
    }
    x = strtol(v, &end, 10);
    if (*end || x < -1 || x > INT32_MAX)
        return SM_EINVAL;
    *out = (int32_t)x;
    return SM_OK;
}

/* Split on commas and blanks into an arena list. */
static int
parse_list(struct model *m, const char *v, struct sm_strv *out)
{
    const char *p = v, *start;
    uint32_t n = 0, cap = 0;
    const char **items = NULL;

    while (*p) {
        while (*p == ',' || isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        start = p;
        while (*p && *p != ',' && !isspace((unsigned char)*p))
            p++;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            const char **ni = sm_arena_alloc(&m->arena, cap * sizeof *ni);
            if (!ni)
                return SM_ENOMEM;
            if (n)
                memcpy(ni, items, n * sizeof *ni);
            items = ni;
        }
        if (!(items[n++] = sm_arena_strndup(&m->arena, start, (size_t)(p - start))))
            return SM_ENOMEM;
    }
    out->n = n;
    out->v = items;
    return SM_OK;
}

int
model_parse_subjects(const char *s, uint16_t *out, uint8_t *n, struct sm_error *err)
{
    char item[64];
    const char *p = s;
    size_t len;
    uint8_t k = 0;
    int cc;

    while (p && *p) {
        while (*p == ',' || isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        len = strcspn(p, ", \t");
        if (len >= sizeof item)
            len = sizeof item - 1;
        memcpy(item, p, len);
        item[len] = '\0';
        p += strcspn(p, ", \t");
        for (char *q = item; *q; q++)
            *q = (char)toupper((unsigned char)*q);
        cc = sm_cc(item);
        if (cc == SM_NONE)
            return sm_error_set(err, SM_EINVAL,
                                "bad jurisdiction %s: use a two-letter code such as EU, DE, BR",
                                item);
        bool dup = false;
        for (uint8_t i = 0; i < k; i++)
            dup |= out[i] == cc;
        if (dup)
            continue;
        if (k == MODEL_MAX_SUBJECTS)
            return sm_error_set(err, SM_EINVAL, "at most %d subject jurisdictions",
                                MODEL_MAX_SUBJECTS);
        out[k++] = (uint16_t)cc;
    }
    *n = k;
    return SM_OK;
}

int
model_parse_transforms(struct model *m, const char *s, struct transform **out,
                       uint32_t *n, struct sm_error *err)
{
    char buf[4096], *save = NULL, *part, *word;
    struct transform tx[64];
    uint32_t k = 0;
    int kind;

    if (sm_strlcpy(buf, s ? s : "", sizeof buf) >= sizeof buf)
        return sm_error_set(err, SM_ELIMIT, "transforms: text too long");
    for (part = strtok_r(buf, ";", &save); part; part = strtok_r(NULL, ";", &save)) {
        while (isspace((unsigned char)*part))
            part++;
        if (!*part)
            continue;
        word = part;
        part += strcspn(part, " \t");
        if (*part)
            *part++ = '\0';
        kind = model_enum_parse(xform_names, XF_COUNT, word);
        if (kind == SM_NONE)
            return sm_error_set(err, SM_EINVAL,
                                "unknown transform %s: use mask, drop, pseudonymize, "
                                "anonymize or aggregate", word);
        if (k == sizeof tx / sizeof *tx)
            return sm_error_set(err, SM_ELIMIT, "transforms: at most 64");
        tx[k].kind = (uint8_t)kind;
        if (parse_list(m, part, &tx[k].fields))
            return oom(err);
        if ((kind == XF_MASK || kind == XF_DROP || kind == XF_PSEUDONYMIZE) && !tx[k].fields.n)
            return sm_error_set(err, SM_EINVAL, "transform %s needs the fields it applies to",
                                word);
        k++;
    }
    *out = NULL;
    if (k) {
        *out = sm_arena_alloc(&m->arena, k * sizeof **out);
        if (!*out)
            return oom(err);
        memcpy(*out, tx, k * sizeof *tx);
    }
    *n = k;
    return SM_OK;
}

static size_t
append(char *buf, size_t size, size_t at, const char *s)
{
    size_t n = strlen(s);

    if (at < size) {
        size_t k = size - at - 1 < n ? size - at - 1 : n;
        memcpy(buf + at, s, k);
        buf[at + k] = '\0';
    }
    return at + n;
}

void
model_format_transforms(const struct transform *t, uint32_t n, char *buf, size_t size)
{
    size_t at = 0;

    if (size)
        buf[0] = '\0';
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            at = append(buf, size, at, "; ");
        at = append(buf, size, at, xform_names[t[i].kind]);
        for (uint32_t k = 0; k < t[i].fields.n; k++) {
            at = append(buf, size, at, " ");
            at = append(buf, size, at, t[i].fields.v[k]);
        }
    }
}

static void
format_strv(const struct sm_strv *v, char *buf, size_t size)
{
    size_t at = 0;

    if (size)
        buf[0] = '\0';
    for (uint32_t i = 0; i < v->n; i++) {
        if (i)
            at = append(buf, size, at, ",");
        at = append(buf, size, at, v->v[i]);
    }
}

static int
bad_value(struct sm_error *err, const struct model *m, enum obj_kind kind, int32_t id,
          const struct attr *a, const char *value, const char *why)
{
    char sel[256];

    model_selector(m, kind, id, sel, sizeof sel);
    return sm_error_set(err, SM_EINVAL, "%s %s: bad %s %.60s%s%s", obj_kind_names[kind], sel,
                        a->name, value, why ? ": " : "", why ? why : "");
}

static int
find_ref(const struct model *m, enum obj_kind kind, int32_t id, const struct attr *a,
         enum obj_kind refkind, const char *value, int32_t *out, struct sm_error *err)
{
    char sel[256];
    int rc;

    if (!*value) {
        *out = SM_NONE;
        return SM_OK;
    }
    if ((rc = model_find(m, refkind, value, out, err)) != SM_OK) {
        model_selector(m, kind, id, sel, sizeof sel);
        sm_error_prefix(err, "%s %s: %s", obj_kind_names[kind], sel, a->name);
    }
    return rc;
}

int
model_set(struct model *m, enum obj_kind kind, int32_t id, const char *name,
          const char *value, struct sm_error *err)
{
    const struct attr *a = model_attr(kind, name);
    char *obj, sel[256];
    void *slot;
    int32_t i32;
    uint8_t u8;
    int rc, e;

    if (id < 0 || id >= model_count(m, kind))
        return sm_error_set(err, SM_ENOTFOUND, "unknown %s", obj_kind_names[kind]);
    if (!a) {
        model_selector(m, kind, id, sel, sizeof sel);
        return sm_error_set(err, SM_EINVAL, "%s %s has no attribute %s", obj_kind_names[kind],
                            sel, name);
    }
    if (a->readonly)
        return sm_error_set(err, SM_EINVAL, "%s %s cannot be changed this way",
                            obj_kind_names[kind], a->name);
    if (kind == OBJ_REGION && m->regions[id].builtin)
        return sm_error_set(err, SM_EINVAL, "region %s is shipped with sovmap and cannot be "
                            "changed; add a region of your own instead", m->regions[id].id);
    if (!value)
        value = "";
    if (check_utf8(err, a->name, 1, value))
        return SM_EINVAL;
    obj = object_ptr(m, kind, id);
    slot = obj + a->offset;

    switch (a->type) {
    case ATTR_STR: {
        const char *s = model_str(m, value);
        if (!s)
            return oom(err);
        *(const char **)slot = s;
        break;
    }
    case ATTR_INT:
        if (parse_int(value, &i32))
            return bad_value(err, m, kind, id, a, value, "not a whole number");
        *(int32_t *)slot = i32;
        break;
    case ATTR_BOOL:
        if (parse_bool(value, &u8))
            return bad_value(err, m, kind, id, a, value, "use true or false");
        *(uint8_t *)slot = u8;
        break;
    case ATTR_ENUM:
        e = model_enum_parse(a->names, a->nnames, value);
        if (e == SM_NONE) {
            char list[256];
            size_t at = 0;
            list[0] = '\0';
            for (int k = 0; k < a->nnames; k++) {
                if (!*a->names[k])
                    continue;
                at = append(list, sizeof list, at, at ? ", " : "");
                at = append(list, sizeof list, at, a->names[k]);
            }
            return bad_value(err, m, kind, id, a, value, list);
        }
        if (kind == OBJ_PLACEMENT && strcmp(a->name, "role") == 0) {
            struct placement p = m->placements[id];
            p.role = (uint8_t)e;
            if ((rc = check_placement(m, &p, id, err)))
                return rc;
        }
        *(uint8_t *)slot = (uint8_t)e;
        break;
    case ATTR_DATE:
        if (!*value)
            i32 = 0;
        else if (sm_date_parse(value, &i32))
            return bad_value(err, m, kind, id, a, value, "use YYYY-MM-DD");
        *(int32_t *)slot = i32;
        break;
    case ATTR_TIER:
        if ((rc = find_ref(m, kind, id, a, OBJ_TIER, value, &i32, err)))
            return rc;
        *(int32_t *)slot = i32;
        break;
    case ATTR_REGION:
        if ((rc = find_ref(m, kind, id, a, OBJ_REGION, value, &i32, err)))
            return rc;
        if (kind == OBJ_PLACEMENT && strcmp(a->name, "region") == 0) {
            struct placement p = m->placements[id];
            if (i32 == SM_NONE)
                return bad_value(err, m, kind, id, a, value, "a copy needs a region");
            p.region = i32;
            if ((rc = check_placement(m, &p, id, err)))
                return rc;
        }
        if (kind == OBJ_FLOW && m->flows[id].to != SM_NONE && i32 != SM_NONE)
            return bad_value(err, m, kind, id, a, value, "the flow already targets a copy");
        *(int32_t *)slot = i32;
        break;
    case ATTR_PLACEMENT: {
        struct flow f = m->flows[id];
        if ((rc = find_ref(m, kind, id, a, OBJ_PLACEMENT, value, &i32, err)))
            return rc;
        if (strcmp(a->name, "from") == 0)
            f.from = i32;
        else {
            f.to = i32;
            if (i32 != SM_NONE)
                f.to_region = SM_NONE;
        }
        if ((rc = check_flow(m, &f, err)))
            return rc;
        m->flows[id].from = f.from;
        m->flows[id].to = f.to;
        m->flows[id].to_region = f.to_region;
        break;
    }
    case ATTR_CC:
        if (!*value)
            i32 = SM_NONE;
        else if ((i32 = sm_cc(value)) == SM_NONE)
            return bad_value(err, m, kind, id, a, value, "use a two-letter ISO code");
        *(int32_t *)slot = i32;
        break;
    case ATTR_SUBJECTS: {
        struct dataset *d = (struct dataset *)obj;
        uint16_t subj[MODEL_MAX_SUBJECTS];
        uint8_t n;
        if ((rc = model_parse_subjects(value, subj, &n, err))) {
            sm_error_prefix(err, "dataset %s", d->name);
            return rc;
        }
        memcpy(d->subjects, subj, sizeof subj);
        d->nsubjects = n;
        break;
    }
    case ATTR_STRV: {
        struct sm_strv v;
        if (parse_list(m, value, &v))
            return oom(err);
        if (kind == OBJ_TIER)
            for (uint32_t k = 0; k < v.n; k++)
                if ((rc = find_ref(m, kind, id, a, OBJ_REGION, v.v[k], &i32, err)))
                    return rc;
        *(struct sm_strv *)slot = v;
        break;
    }
    case ATTR_CCSET: {
        struct region *r = (struct region *)obj;
        struct sm_strv v;
        struct sm_ccset *s;
        if (!*value) {
            r->members = NULL;
            r->global = 0;
            break;
        }
        if (parse_list(m, value, &v) || !(s = sm_arena_alloc(&m->arena, sizeof *s)))
            return oom(err);
        r->global = 0;
        for (uint32_t k = 0; k < v.n; k++) {
            if (strcmp(v.v[k], "*") == 0) {
                r->global = 1;
                continue;
            }
            if ((i32 = sm_cc(v.v[k])) == SM_NONE)
                return bad_value(err, m, kind, id, a, v.v[k], "use two-letter ISO codes or *");
            sm_ccset_add(s, i32);
        }
        r->members = s;
        break;
    }
    case ATTR_TRANSFORMS: {
        struct flow *f = (struct flow *)obj;
        struct transform *tx;
        uint32_t n;
        if ((rc = model_parse_transforms(m, value, &tx, &n, err))) {
            sm_error_prefix(err, "flow %s", f->name);
            return rc;
        }
        f->transforms = tx;
        f->ntransforms = n;
        break;
    }
    case ATTR_FIELDS:
        return bad_value(err, m, kind, id, a, value, "use field add / tag add");
    }
    m->generation++;
    return SM_OK;
}

static void
format_fields(const struct model *m, int32_t dataset, char *buf, size_t size)
{
    const struct dataset *d = &m->datasets[dataset];
    size_t at = 0;
    bool first_tag;

    if (size)
        buf[0] = '\0';
    for (int32_t f = d->first_field; f != SM_NONE; f = m->fields[f].next) {
        if (at)
            at = append(buf, size, at, ", ");
        at = append(buf, size, at, m->fields[f].name);
        first_tag = true;
        for (int32_t t = d->first_tag; t != SM_NONE; t = m->tags[t].next) {
            if (m->tags[t].field != f)
                continue;
            at = append(buf, size, at, first_tag ? "[" : " ");
            at = append(buf, size, at, m->tags[t].tag);
            first_tag = false;
        }
        if (!first_tag)
            at = append(buf, size, at, "]");
    }
}

const char *
model_get(const struct model *m, enum obj_kind kind, int32_t id, const char *name,
          char *buf, size_t size)
{
    const struct attr *a = model_attr(kind, name);
    const char *obj;
    const void *slot;
    int32_t i32;

    if (!size)
        return buf;
    buf[0] = '\0';
    if (!a || id < 0 || id >= model_count(m, kind))
        return buf;
    obj = object_ptr(m, kind, id);
    slot = obj + a->offset;
    switch (a->type) {
    case ATTR_STR:
        sm_strlcpy(buf, *(const char *const *)slot ? *(const char *const *)slot : "", size);
        break;
    case ATTR_INT:
        i32 = *(const int32_t *)slot;
        if (i32 != SM_NONE)
            snprintf(buf, size, "%d", (int)i32);
        break;
    case ATTR_BOOL:
        sm_strlcpy(buf, *(const uint8_t *)slot ? "true" : "false", size);
        break;
    case ATTR_ENUM:
        sm_strlcpy(buf, a->names[*(const uint8_t *)slot], size);
        break;
    case ATTR_DATE: {
        char d[11];
        sm_date_fmt(*(const int32_t *)slot, d);
        sm_strlcpy(buf, d, size);
        break;
    }
    case ATTR_TIER:
        i32 = *(const int32_t *)slot;
        if (i32 != SM_NONE)
            sm_strlcpy(buf, m->tiers[i32].name, size);
        break;
    case ATTR_REGION:
        i32 = *(const int32_t *)slot;
        if (i32 != SM_NONE)
            sm_strlcpy(buf, m->regions[i32].id, size);
        break;
    case ATTR_PLACEMENT:
        i32 = *(const int32_t *)slot;
        if (i32 != SM_NONE)
            model_selector(m, OBJ_PLACEMENT, i32, buf, size);
        break;
    case ATTR_CC:
        i32 = *(const int32_t *)slot;
        if (i32 != SM_NONE)
            sm_cc_str(i32, buf), (void)0;
        if (i32 != SM_NONE && size < 3)
            buf[0] = '\0';
        break;
    case ATTR_SUBJECTS: {
        const struct dataset *d = (const struct dataset *)obj;
        size_t at = 0;
        char cc[3];
        for (uint8_t k = 0; k < d->nsubjects; k++) {
            sm_cc_str(d->subjects[k], cc);
            if (k)
                at = append(buf, size, at, ",");
            at = append(buf, size, at, cc);
        }
        break;
    }
    case ATTR_STRV:
        format_strv((const struct sm_strv *)slot, buf, size);
        break;
    case ATTR_CCSET: {
        const struct region *r = (const struct region *)obj;
        size_t at = 0;
        char cc[3];
        if (r->global)
            at = append(buf, size, at, "*");
        if (r->members)
            for (int c = sm_ccset_next(r->members, 0); c != SM_NONE;
                 c = sm_ccset_next(r->members, c + 1)) {
                sm_cc_str(c, cc);
                if (at)
                    at = append(buf, size, at, ",");
                at = append(buf, size, at, cc);
            }
        break;
    }
    case ATTR_TRANSFORMS: {
        const struct flow *f = (const struct flow *)obj;
        model_format_transforms(f->transforms, f->ntransforms, buf, size);
        break;
    }
    case ATTR_FIELDS:
        format_fields(m, id, buf, size);
        break;
    }
    return buf;
}

size_t
model_describe(const struct model *m, enum obj_kind kind, int32_t id, char *buf,
               size_t size)
{
    const struct attr *a = model_attrs(kind);
    char val[2048];
    size_t at = 0;

    if (size)
        buf[0] = '\0';
    for (; a && a->name; a++) {
        model_get(m, kind, id, a->name, val, sizeof val);
        if (!*val)
            continue;
        if (at)
            at = append(buf, size, at, "\n");
        at = append(buf, size, at, a->name);
        at = append(buf, size, at, "=");
        at = append(buf, size, at, val);
    }
    return at;
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
