/*
 * edit.c - one change to the model as data (see edit.h): apply it, record
 * what it touched, its inverse edits and an exact undo record.
 *
 * Core: no I/O, no clock, no globals. Everything goes through the model's
 * own functions (model_add_*, model_set, model_remove); the undo record only
 * flips `deleted` flags and list links that model_remove itself changes.
 */
#include "edit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const op_names[] = { "add", "set", "remove" };

/* What edit_revert needs: the removal record (for REMOVE, and for ADD once
 * reverted) or the old and new attribute values (SET). */
struct edit_undo {
    struct sm_arena arena;
    enum edit_op op;
    enum obj_kind kind;
    int32_t id;
    bool reverted;
    /* removal record */
    bool removed;               /* the object is currently removed by us */
    int32_t first_field, first_tag, first_placement, first_prop, first_asrc;
    int32_t *list;              /* dataset's placement list before removal */
    int32_t nlist;
    int32_t *flows;             /* flows removed with it */
    int32_t nflows;
    /* SET */
    int nattrs;
    const char *names[EDIT_MAX_ATTRS];
    const char *old[EDIT_MAX_ATTRS];
    const char *new[EDIT_MAX_ATTRS];
    /* SET: the sources of the attributes before it (doc/import.md, Merge
     * rules): known, and who */
    bool src_known[EDIT_MAX_ATTRS];
    const char *src[EDIT_MAX_ATTRS][3];
    /* the edit as applied, keyed by the object's selector before it (what a
     * redo does again: its audit summary) */
    struct edit forward;
};

static int
oom(struct sm_error *err)
{
    return sm_error_set(err, SM_ENOMEM, "out of memory");
}

/* res->selector: the object's selector as it is now, in the undo arena. */
static int
note_selector(struct edit_result *res, const struct model *m, enum obj_kind kind, int32_t id,
              struct sm_error *err)
{
    char *sel = model_selector_dup(m, kind, id);

    res->selector = sel ? sm_arena_strdup(&res->undo->arena, sel) : NULL;
    free(sel);
    return res->selector ? SM_OK : oom(err);
}

/* An attribute's full text (model_get truncates to its buffer). */
static const char *
get_value(struct sm_arena *a, const struct model *m, enum obj_kind kind, int32_t id,
          const char *attr)
{
    size_t size = 4096;
    char *buf;

    for (;;) {
        buf = sm_arena_alloc(a, size);
        if (!buf)
            return NULL;
        model_get(m, kind, id, attr, buf, size);
        if (strlen(buf) < size - 1 || size >= ((size_t)1 << 24))
            return buf;
        size *= 4;
    }
}

static void
touch(struct edit_result *res, enum obj_kind kind, int32_t id)
{
    int32_t n = (int32_t)(sizeof res->touched / sizeof *res->touched);

    if (res->ntouched == n) {
        res->overflow = true;
        return;
    }
    res->touched[res->ntouched].kind = kind;
    res->touched[res->ntouched].id = id;
    res->ntouched++;
}

/* ---- removal with a record, and undeleting from it ------------------------- */

static bool
flow_touches(const struct flow *f, const int32_t *pl, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        if (f->from == pl[i] || f->to == pl[i])
            return true;
    return false;
}

static int
record_removal(struct model *m, struct edit_undo *u, enum obj_kind kind, int32_t id,
               struct sm_error *err)
{
    int32_t nflows = 0, k = 0;
    const int32_t *pl = NULL;
    int32_t npl = 0;

    u->nlist = u->nflows = 0;
    u->list = u->flows = NULL;
    if (kind == OBJ_DATASET || kind == OBJ_PLACEMENT) {
        int32_t d = kind == OBJ_DATASET ? id : m->placements[id].dataset;
        const struct dataset *ds = &m->datasets[d];
        for (int32_t p = ds->first_placement; p != SM_NONE; p = m->placements[p].next)
            npl++;
        u->list = sm_arena_alloc(&u->arena, (size_t)(npl + 1) * sizeof *u->list);
        if (!u->list)
            return oom(err);
        for (int32_t p = ds->first_placement; p != SM_NONE; p = m->placements[p].next)
            u->list[u->nlist++] = p;
        u->first_field = ds->first_field;
        u->first_tag = ds->first_tag;
        u->first_prop = ds->first_prop;
        u->first_asrc = model_asrc_first(m, d);
        u->first_placement = ds->first_placement;
        if (kind == OBJ_DATASET) {
            pl = u->list;
            npl = u->nlist;
        } else {
            pl = &id;
            npl = 1;
        }
        for (int32_t i = 0; i < m->nflows; i++)
            nflows += !m->flows[i].deleted && flow_touches(&m->flows[i], pl, npl);
        u->flows = sm_arena_alloc(&u->arena, (size_t)(nflows + 1) * sizeof *u->flows);
        if (!u->flows)
            return oom(err);
        for (int32_t i = 0; i < m->nflows && k < nflows; i++)
            if (!m->flows[i].deleted && flow_touches(&m->flows[i], pl, npl))
                u->flows[k++] = i;
        u->nflows = k;
    }
    return SM_OK;
}

static int
remove_recorded(struct model *m, struct edit_undo *u, enum obj_kind kind, int32_t id,
                struct sm_error *err)
{
    int rc;

    if ((rc = record_removal(m, u, kind, id, err)))
        return rc;
    if ((rc = model_remove(m, kind, id, err)))
        return rc;
    u->removed = true;
    return SM_OK;
}

/* The kind has a name map (model_map_put). */
static bool
has_map(enum obj_kind kind)
{
    return kind != OBJ_PLACEMENT;
}

/* The live object of that kind named key, or SM_NONE. */
static int32_t
map_get(const struct model *m, enum obj_kind kind, const char *key)
{
    switch (kind) {
    case OBJ_REGION:   return model_region(m, key);
    case OBJ_TIER:     return model_tier(m, key);
    case OBJ_DATASET:  return model_dataset(m, key);
    case OBJ_FLOW:     return model_flow(m, key);
    case OBJ_WAIVER:   return model_waiver(m, key);
    case OBJ_SCENARIO: return model_scenario(m, key);
    default:           return SM_NONE;
    }
}

static void
set_deleted(struct model *m, enum obj_kind kind, int32_t id, uint8_t v)
{
    switch (kind) {
    case OBJ_REGION:    m->regions[id].deleted = v; break;
    case OBJ_TIER:      m->tiers[id].deleted = v; break;
    case OBJ_DATASET:   m->datasets[id].deleted = v; break;
    case OBJ_PLACEMENT: m->placements[id].deleted = v; break;
    case OBJ_FLOW:      m->flows[id].deleted = v; break;
    case OBJ_WAIVER:    m->waivers[id].deleted = v; break;
    case OBJ_SCENARIO:  m->scenarios[id].deleted = v; break;
    default:            break;
    }
}

/* Would bringing placement p back clash with a live copy? */
static int
placement_clash(const struct model *m, int32_t p, struct sm_error *err)
{
    const struct placement *np = &m->placements[p];
    const struct dataset *d = &m->datasets[np->dataset];

    if (!model_live(m, OBJ_REGION, np->region) ||
        (np->key_region != SM_NONE && !model_live(m, OBJ_REGION, np->key_region)))
        return sm_error_set(err, SM_ENOTFOUND, "copy of %s: its region is gone", d->name);
    for (int32_t i = d->first_placement; i != SM_NONE; i = m->placements[i].next) {
        const struct placement *o = &m->placements[i];
        if (i == p || o->deleted)
            continue;
        if ((o->region == np->region && o->role == np->role) ||
            (o->role == ROLE_PRIMARY && np->role == ROLE_PRIMARY))
            return sm_error_set(err, SM_EEXIST, "%s already has a %s copy in %s", d->name,
                                role_names[o->role], m->regions[o->region].id);
    }
    return SM_OK;
}

static int
undelete(struct model *m, struct edit_undo *u, struct sm_error *err)
{
    enum obj_kind kind = u->kind;
    int32_t id = u->id;
    bool map = has_map(kind);
    const char *name;
    int rc;

    /* check everything first: on failure nothing changes */
    if (map && map_get(m, kind, (name = model_key(m, kind, id))) != SM_NONE)
        return sm_error_set(err, SM_EEXIST, "%s %s exists again", obj_kind_names[kind], name);
    if (kind == OBJ_PLACEMENT) {
        if (!model_live(m, OBJ_DATASET, m->placements[id].dataset))
            return sm_error_set(err, SM_ENOTFOUND, "its dataset is gone");
        if ((rc = placement_clash(m, id, err)))
            return rc;
    }
    if (kind == OBJ_FLOW) {
        const struct flow *f = &m->flows[id];
        if (!model_live(m, OBJ_PLACEMENT, f->from) ||
            (f->to != SM_NONE && !model_live(m, OBJ_PLACEMENT, f->to)) ||
            (f->to == SM_NONE && !model_live(m, OBJ_REGION, f->to_region)))
            return sm_error_set(err, SM_ENOTFOUND, "flow %s: a copy it joins is gone",
                                f->name);
    }
    if (kind == OBJ_DATASET && m->datasets[id].tier != SM_NONE &&
        !model_live(m, OBJ_TIER, m->datasets[id].tier))
        return sm_error_set(err, SM_ENOTFOUND, "dataset %s: its tier is gone",
                            m->datasets[id].name);
    for (int32_t i = 0; i < u->nflows; i++)
        if (model_flow(m, m->flows[u->flows[i]].name) != SM_NONE)
            return sm_error_set(err, SM_EEXIST, "flow %s exists again",
                                m->flows[u->flows[i]].name);
    if (map && model_map_reserve(m, kind, model_map_len(m, kind) + 1))
        return oom(err);
    if (model_map_reserve(m, OBJ_FLOW, m->flow_names.len + (uint32_t)u->nflows + 1))
        return oom(err);

    set_deleted(m, kind, id, 0);
    if (map)
        model_map_put(m, kind, id);
    if (kind == OBJ_DATASET) {
        struct dataset *d = &m->datasets[id];
        d->first_field = u->first_field;
        d->first_tag = u->first_tag;
        d->first_prop = u->first_prop;
        if (id < m->cap_asrc_first)   /* a head it had is still in the table */
            m->asrc_first[id] = u->first_asrc;
        d->first_placement = u->first_placement;
        for (int32_t i = 0; i < u->nlist; i++) {
            m->placements[u->list[i]].deleted = 0;
            m->placements[u->list[i]].next = i + 1 < u->nlist ? u->list[i + 1] : SM_NONE;
        }
    } else if (kind == OBJ_PLACEMENT) {
        /* the recorded order, then copies added since */
        struct dataset *d = &m->datasets[m->placements[id].dataset];
        int32_t last = SM_NONE, cur = d->first_placement;
        int32_t *link = &d->first_placement;
        int32_t later[256], nlater = 0;
        for (int32_t p = cur; p != SM_NONE; p = m->placements[p].next) {
            bool known = false;
            for (int32_t i = 0; i < u->nlist && !known; i++)
                known = u->list[i] == p;
            if (!known && nlater < 256)
                later[nlater++] = p;
        }
        for (int32_t i = 0; i < u->nlist; i++) {
            int32_t p = u->list[i];
            if (m->placements[p].deleted)
                continue;
            *link = p;
            link = &m->placements[p].next;
            last = p;
        }
        for (int32_t i = 0; i < nlater; i++) {
            *link = later[i];
            link = &m->placements[later[i]].next;
            last = later[i];
        }
        *link = SM_NONE;
        (void)last;
    }
    for (int32_t i = 0; i < u->nflows; i++) {
        struct flow *f = &m->flows[u->flows[i]];
        f->deleted = 0;
        model_map_put(m, OBJ_FLOW, u->flows[i]);
    }
    u->removed = false;
    model_changed_kinds(m, kind == OBJ_DATASET, model_removal_kinds(kind));
    return SM_OK;
}

/* ---- building edits ----------------------------------------------------------- */

static const char *
astr(struct sm_arena *a, const char *s)
{
    return sm_arena_strdup(a, s ? s : "");
}

/* The add edit that brings object (kind, id) back with every attribute. */
static int
add_edit_of(struct sm_arena *a, const struct model *m, enum obj_kind kind, int32_t id,
            struct edit *e)
{
    const struct attr *at;
    char *key;

    memset(e, 0, sizeof *e);
    e->op = EDIT_ADD;
    e->kind = kind;
    if (kind == OBJ_PLACEMENT) {
        const struct placement *p = &m->placements[id];
        size_t n = strlen(m->datasets[p->dataset].name) + strlen(m->regions[p->region].id) + 2;
        if (!(key = sm_arena_alloc(a, n)))
            return SM_ENOMEM;
        snprintf(key, n, "%s@%s", m->datasets[p->dataset].name, m->regions[p->region].id);
    } else {
        /* every other selector is the object's own name */
        if (!(key = (char *)astr(a, model_key(m, kind, id) ? model_key(m, kind, id) : "")))
            return SM_ENOMEM;
    }
    e->key = key;
    for (at = model_attrs(kind); at && at->name; at++) {
        const char *v;
        if (at->readonly || (kind == OBJ_PLACEMENT && strcmp(at->name, "region") == 0))
            continue;
        if (!(v = get_value(a, m, kind, id, at->name)))
            return SM_ENOMEM;
        if (!*v)
            continue;
        if (e->nattrs == EDIT_MAX_ATTRS)
            break;
        e->attrs[e->nattrs].name = at->name;
        e->attrs[e->nattrs++].value = v;
    }
    return SM_OK;
}

static int
build_inverse(struct edit_result *res, const struct model *m, const struct edit *e,
              struct sm_error *err)
{
    struct edit_undo *u = res->undo;
    int32_t n = 1;

    if (e->op == EDIT_REMOVE)
        n += (u->kind == OBJ_DATASET ? u->nlist : 0) + u->nflows;
    res->inverse = calloc((size_t)n, sizeof *res->inverse);
    if (!res->inverse)
        return oom(err);
    res->ninverse = (int)n;
    switch (e->op) {
    case EDIT_ADD:
        res->inverse[0].op = EDIT_REMOVE;
        res->inverse[0].kind = res->kind;
        if (!(res->inverse[0].key = astr(&u->arena, res->selector)))
            return oom(err);
        break;
    case EDIT_SET:
        res->inverse[0].op = EDIT_SET;
        res->inverse[0].kind = res->kind;
        if (!(res->inverse[0].key = astr(&u->arena, res->selector)))
            return oom(err);
        for (int i = 0; i < u->nattrs; i++) {
            res->inverse[0].attrs[i].name = u->names[i];
            res->inverse[0].attrs[i].value = u->old[i];
        }
        res->inverse[0].nattrs = u->nattrs;
        break;
    case EDIT_REMOVE: {
        int32_t k = 0;
        if (add_edit_of(&u->arena, m, res->kind, res->id, &res->inverse[k++]))
            return oom(err);
        if (u->kind == OBJ_DATASET)
            for (int32_t i = 0; i < u->nlist; i++)
                if (add_edit_of(&u->arena, m, OBJ_PLACEMENT, u->list[i], &res->inverse[k++]))
                    return oom(err);
        for (int32_t i = 0; i < u->nflows; i++)
            if (add_edit_of(&u->arena, m, OBJ_FLOW, u->flows[i], &res->inverse[k++]))
                return oom(err);
        break;
    }
    }
    return SM_OK;
}

/* ---- who set an attribute ------------------------------------------------------ */

/* A person set attribute name of dataset id: its source becomes "typed"
 * (source ""), which an import never overwrites (doc/import.md, Merge
 * rules); cleared, the source is unknown again. Other attributes and
 * kinds have none. */
static int
mark_typed(struct model *m, enum obj_kind kind, int32_t id, const char *name,
           struct sm_error *err)
{
    int a = kind == OBJ_DATASET ? asrc_attr(name) : SM_NONE;
    char v[2]; /* bounded: an empty text or one byte */

    if (a == SM_NONE || a >= ASRC_TYPE)
        return SM_OK;
    model_get(m, kind, id, name, v, sizeof v);     /* empty or not is all it needs */
    if (!*v) {
        model_clear_asrc(m, id, SM_NONE, a);
        return SM_OK;
    }
    return model_set_asrc(m, id, SM_NONE, a, "", "", "", NULL, err);
}

/* Keep the source of attribute i of a set (before it) in the undo. */
static int
keep_source(struct edit_undo *u, const struct model *m, int32_t id, int i)
{
    int a = u->kind == OBJ_DATASET ? asrc_attr(u->names[i]) : SM_NONE;
    int32_t x = a == SM_NONE || a >= ASRC_TYPE ? SM_NONE : model_asrc(m, id, SM_NONE, a);

    u->src_known[i] = x != SM_NONE;
    if (x == SM_NONE)
        return SM_OK;
    u->src[i][0] = astr(&u->arena, m->asrcs[x].source);
    u->src[i][1] = astr(&u->arena, m->asrcs[x].entity);
    u->src[i][2] = astr(&u->arena, m->asrcs[x].time);
    return u->src[i][0] && u->src[i][1] && u->src[i][2] ? SM_OK : SM_ENOMEM;
}

/* Put back the sources keep_source kept (an undone set). */
static void
restore_sources(struct model *m, const struct edit_undo *u)
{
    for (int i = 0; u->kind == OBJ_DATASET && i < u->nattrs; i++) {
        int a = asrc_attr(u->names[i]);
        if (a == SM_NONE || a >= ASRC_TYPE)
            continue;
        if (u->src_known[i])
            model_set_asrc(m, u->id, SM_NONE, a, u->src[i][0], u->src[i][1], u->src[i][2],
                           NULL, NULL);
        else
            model_clear_asrc(m, u->id, SM_NONE, a);
    }
}

/* ---- apply --------------------------------------------------------------------- */

static const char *
attr_value(const struct edit *e, const char *name)
{
    for (int i = 0; i < e->nattrs; i++)
        if (strcmp(e->attrs[i].name, name) == 0)
            return e->attrs[i].value ? e->attrs[i].value : "";
    return NULL;
}

static int
check_attrs(const struct edit *e, struct sm_error *err)
{
    if (e->nattrs < 0 || e->nattrs > EDIT_MAX_ATTRS)
        return sm_error_set(err, SM_EINVAL, "too many attributes");
    for (int i = 0; i < e->nattrs; i++) {
        const struct attr *a;
        if (!e->attrs[i].name || !(a = model_attr(e->kind, e->attrs[i].name)))
            return sm_error_set(err, SM_EINVAL, "%s has no attribute %s",
                                obj_kind_names[e->kind],
                                e->attrs[i].name ? e->attrs[i].name : "(null)");
        if (a->readonly)
            return sm_error_set(err, SM_EINVAL, "%s %s cannot be set", obj_kind_names[e->kind],
                                a->name);
        for (int k = 0; k < i; k++)
            if (strcmp(e->attrs[k].name, e->attrs[i].name) == 0)
                return sm_error_set(err, SM_EINVAL, "%s given twice", a->name);
    }
    return SM_OK;
}

/* Drop an object that edit_apply has just added (it is the last one). */
static void
pop_added(struct model *m, enum obj_kind kind, int32_t id)
{
    if (has_map(kind))
        model_map_del(m, kind, id);
    switch (kind) {
    case OBJ_REGION:   m->nregions--; break;
    case OBJ_TIER:     m->ntiers--; break;
    case OBJ_DATASET:  m->ndatasets--; break;
    case OBJ_FLOW:     m->nflows--; break;
    case OBJ_WAIVER:   m->nwaivers--; break;
    case OBJ_SCENARIO: m->nscenarios--; break;
    case OBJ_PLACEMENT: {
        struct dataset *d = &m->datasets[m->placements[id].dataset];
        for (int32_t *link = &d->first_placement; *link != SM_NONE;
             link = &m->placements[*link].next)
            if (*link == id) {
                *link = SM_NONE;
                break;
            }
        m->nplacements--;
        break;
    }
    default:
        break;
    }
    model_changed_kinds(m, kind == OBJ_DATASET, model_removal_kinds(kind));
}

static int
add_object(struct model *m, const struct edit *e, int32_t *out, const char **skip,
           int nskip_max, int *nskip, struct sm_error *err)
{
    const char *key = e->key ? e->key : "";
    const char *v;
    int rc;

    *nskip = 0;
#define SKIP(name) do { if (*nskip < nskip_max) skip[(*nskip)++] = (name); } while (0)
    switch (e->kind) {
    case OBJ_REGION: {
        struct region r;
        const char *colon = strchr(key, ':');
        if (!model_region_id_ok(key))
            return sm_error_set(err, SM_EINVAL, "bad region id \"%s\": write "
                                "provider:code without blanks, commas, @ or /", key);
        model_region_init(&r);
        r.id = key;
        r.kind = REGION_CLOUD;
        if (colon && (strncmp(key, "onprem:", 7) == 0 || strncmp(key, "on-prem:", 8) == 0))
            r.kind = REGION_ONPREM;
        else if (colon && strncmp(key, "edge:", 5) == 0)
            r.kind = REGION_EDGE;
        if (attr_value(e, "members"))
            r.kind = REGION_MULTI;
        return model_add_region(m, &r, out, err);
    }
    case OBJ_TIER: {
        struct tier t;
        model_tier_init(&t);
        t.name = key;
        return model_add_tier(m, &t, out, err);
    }
    case OBJ_DATASET: {
        struct dataset d;
        model_dataset_init(&d);
        d.name = key;
        return model_add_dataset(m, &d, out, err);
    }
    case OBJ_PLACEMENT: {
        char *buf = strdup(key), *at, *slash;
        struct placement p;
        int32_t rid;
        int role = SM_NONE;
        if (!buf)
            return oom(err);
        if (!(at = strrchr(buf, '@'))) {
            free(buf);
            return sm_error_set(err, SM_EINVAL, "bad copy %s: write DATASET@REGION", key);
        }
        *at++ = '\0';
        if ((slash = strrchr(at, '/'))) {
            *slash++ = '\0';
            if ((role = model_enum_parse(role_names, ROLE_COUNT, slash)) == SM_NONE) {
                rc = sm_error_set(err, SM_EINVAL, "bad role %s", slash);
                free(buf);
                return rc;
            }
        }
        model_placement_init(&p);
        rc = model_find(m, OBJ_DATASET, buf, &p.dataset, err);
        if (!rc)
            rc = model_find(m, OBJ_REGION, at, &p.region, err);
        free(buf);
        if (rc)
            return rc;
        if ((v = attr_value(e, "region")) && *v) {
            if ((rc = model_find(m, OBJ_REGION, v, &rid, err)))
                return rc;
            if (rid != p.region)
                return sm_error_set(err, SM_EINVAL, "copy %s: region %s differs from the key",
                                    key, v);
        }
        SKIP("region");
        if ((v = attr_value(e, "role"))) {
            int r2 = model_enum_parse(role_names, ROLE_COUNT, v);
            if (r2 == SM_NONE)
                return sm_error_set(err, SM_EINVAL, "copy %s: bad role %s: use primary, "
                                    "replica, backup, dr, cache, archive or edge", key, v);
            if (role != SM_NONE && r2 != role)
                return sm_error_set(err, SM_EINVAL, "copy %s: role %s differs from the key",
                                    key, v);
            role = r2;
        }
        SKIP("role");
        if (role == SM_NONE)    /* the first copy is the primary */
            role = model_primary(m, p.dataset) == SM_NONE ? ROLE_PRIMARY : ROLE_REPLICA;
        p.role = (uint8_t)role;
        return model_add_placement(m, &p, out, err);
    }
    case OBJ_FLOW: {
        struct flow f;
        model_flow_init(&f);
        f.name = key;
        if (!(v = attr_value(e, "from")) || !*v)
            return sm_error_set(err, SM_EINVAL, "flow %s needs from=DATASET@REGION", key);
        if ((rc = model_find(m, OBJ_PLACEMENT, v, &f.from, err)))
            return sm_error_prefix(err, "flow %s: from", key), rc;
        if ((v = attr_value(e, "to")) && *v &&
            (rc = model_find(m, OBJ_PLACEMENT, v, &f.to, err)))
            return sm_error_prefix(err, "flow %s: to", key), rc;
        if ((v = attr_value(e, "to-region")) && *v &&
            (rc = model_find(m, OBJ_REGION, v, &f.to_region, err)))
            return sm_error_prefix(err, "flow %s: to-region", key), rc;
        if (f.to == SM_NONE && f.to_region == SM_NONE)
            return sm_error_set(err, SM_EINVAL, "flow %s needs to=DATASET@REGION or "
                                "to-region=REGION", key);
        if (f.to != SM_NONE && f.to_region != SM_NONE)
            return sm_error_set(err, SM_EINVAL, "flow %s: give to or to-region, not both", key);
        SKIP("from");
        SKIP("to");
        SKIP("to-region");
        return model_add_flow(m, &f, out, err);
    }
    case OBJ_WAIVER: {
        struct waiver w;
        char *buf = strdup(key), *colon;
        if (!buf)
            return oom(err);
        if (!(colon = strchr(buf, ':')) || colon == buf || !colon[1]) {
            free(buf);
            return sm_error_set(err, SM_EINVAL, "bad waiver %s: write RULE:OBJECT", key);
        }
        *colon = '\0';
        memset(&w, 0, sizeof w);
        w.rule = buf;
        w.object = colon + 1;
        rc = model_add_waiver(m, &w, out, err);
        free(buf);
        return rc;
    }
    case OBJ_SCENARIO: {
        struct scenario s;
        memset(&s, 0, sizeof s);
        s.name = key;
        s.base = attr_value(e, "base");
        s.description = attr_value(e, "description");
        SKIP("base");
        SKIP("description");
        return model_add_scenario(m, &s, out, err);
    }
    default:
        return sm_error_set(err, SM_EINVAL, "bad object kind");
    }
#undef SKIP
}

static int
apply_add(struct model *m, const struct edit *e, struct edit_result *res,
          struct sm_error *err)
{
    const char *skip[8];
    int nskip, rc;
    int32_t id;

    for (const struct attr *a = model_attrs(e->kind); a && a->name; a++) {
        const char *v = attr_value(e, a->name);
        bool keyed = (e->kind == OBJ_PLACEMENT && strcmp(a->name, "region") == 0) ||
                     (e->kind == OBJ_WAIVER && a->readonly);
        if (a->required && !keyed && (!v || !*v))
            return sm_error_set(err, SM_EINVAL, "%s %s needs %s", obj_kind_names[e->kind],
                                e->key ? e->key : "", a->name);
    }
    if ((rc = add_object(m, e, &id, skip, 8, &nskip, err)))
        return rc;
    for (int i = 0; i < e->nattrs; i++) {
        bool skipped = false;
        for (int k = 0; k < nskip; k++)
            skipped |= strcmp(skip[k], e->attrs[i].name) == 0;
        if (skipped)
            continue;
        if ((rc = model_set(m, e->kind, id, e->attrs[i].name, e->attrs[i].value, err)) ||
            (rc = mark_typed(m, e->kind, id, e->attrs[i].name, err))) {
            pop_added(m, e->kind, id);
            return rc;
        }
    }
    /* a user region answers to its own country unless told otherwise */
    if (e->kind == OBJ_REGION && !attr_value(e, "operator"))
        m->regions[id].operator_home = m->regions[id].country;
    res->id = id;
    touch(res, e->kind, id);
    return SM_OK;
}

static int
apply_set(struct model *m, const struct edit *e, struct edit_result *res,
          struct sm_error *err)
{
    struct edit_undo *u = res->undo;
    int32_t id;
    int rc;

    if ((rc = model_find(m, e->kind, e->key, &id, err)))
        return rc;
    {
        char *sel = model_selector_dup(m, e->kind, id);
        u->forward.key = sel ? astr(&u->arena, sel) : NULL;
        free(sel);
        if (!u->forward.key)
            return oom(err);
    }
    for (int i = 0; i < e->nattrs; i++) {
        u->names[i] = astr(&u->arena, e->attrs[i].name);
        u->old[i] = get_value(&u->arena, m, e->kind, id, e->attrs[i].name);
        if (!u->names[i] || !u->old[i] || keep_source(u, m, id, i))
            return oom(err);
    }
    u->nattrs = e->nattrs;
    res->id = id;
    if (!(res->before = model_describe_dup(m, e->kind, id)))
        return oom(err);
    for (int i = 0; i < e->nattrs; i++) {
        if ((rc = model_set(m, e->kind, id, e->attrs[i].name, e->attrs[i].value, err))) {
            for (int k = i - 1; k >= 0; k--)
                model_set(m, e->kind, id, u->names[k], u->old[k], NULL);
            return rc;
        }
    }
    for (int i = 0; i < e->nattrs; i++)
        if (!(u->new[i] = get_value(&u->arena, m, e->kind, id, u->names[i])))
            return oom(err);
    for (int i = 0; i < e->nattrs; i++)
        if ((rc = mark_typed(m, e->kind, id, u->names[i], err)))
            return rc;
    touch(res, e->kind, id);
    return SM_OK;
}

static int
apply_remove(struct model *m, const struct edit *e, struct edit_result *res,
             struct sm_error *err)
{
    struct edit_undo *u = res->undo;
    int32_t id;
    int rc;

    if ((rc = model_find(m, e->kind, e->key, &id, err)))
        return rc;
    res->id = id;
    u->id = id;
    if ((rc = note_selector(res, m, e->kind, id, err)))
        return rc;
    if (!(res->before = model_describe_dup(m, e->kind, id)))
        return oom(err);
    /* the inverse is written while the copies can still be named */
    if ((rc = record_removal(m, u, e->kind, id, err)) ||
        (rc = build_inverse(res, m, e, err)) ||
        (rc = model_remove(m, e->kind, id, err)))
        return rc;
    u->removed = true;
    touch(res, e->kind, id);
    if (e->kind == OBJ_DATASET)
        for (int32_t i = 0; i < u->nlist; i++)
            touch(res, OBJ_PLACEMENT, u->list[i]);
    for (int32_t i = 0; i < u->nflows; i++)
        touch(res, OBJ_FLOW, u->flows[i]);
    return SM_OK;
}

/* Keep e (strings in the undo arena) for edit_format_redo. A set keeps the
 * selector apply_set noted before the change; an add or a remove is keyed
 * by the object's selector (a flow added without a name gets its generated
 * one). */
static int
keep_forward(struct edit_undo *u, const struct edit *e, const struct edit_result *res,
             struct sm_error *err)
{
    u->forward.op = e->op;
    u->forward.kind = e->kind;
    if (!u->forward.key)
        u->forward.key = astr(&u->arena, res->selector);
    if (!u->forward.key)
        return oom(err);
    if (e->op == EDIT_REMOVE)
        return SM_OK;
    for (int i = 0; i < e->nattrs; i++) {
        u->forward.attrs[i].name = astr(&u->arena, e->attrs[i].name);
        u->forward.attrs[i].value = astr(&u->arena, e->attrs[i].value);
        if (!u->forward.attrs[i].name || !u->forward.attrs[i].value)
            return oom(err);
    }
    u->forward.nattrs = e->nattrs;
    return SM_OK;
}

size_t
edit_format_redo(const struct edit_result *res, char *buf, size_t size)
{
    if (!res || !res->undo || !res->undo->forward.key) {
        if (size)
            buf[0] = '\0';
        return 0;
    }
    return edit_format(&res->undo->forward, buf, size);
}

int
edit_apply(struct model *m, const struct edit *e, struct edit_result *res,
           struct sm_error *err)
{
    struct edit_undo *u;
    int rc;

    memset(res, 0, sizeof *res);
    if (!e || e->kind >= OBJ_KIND_COUNT || (unsigned)e->op > EDIT_REMOVE)
        return sm_error_set(err, SM_EINVAL, "bad edit");
    if (e->op != EDIT_REMOVE && (rc = check_attrs(e, err)))
        return rc;
    if (e->op != EDIT_ADD && (!e->key || !*e->key))
        return sm_error_set(err, SM_EINVAL, "%s %s: which one?", obj_kind_names[e->kind],
                            op_names[e->op]);
    if (!(u = calloc(1, sizeof *u)))
        return oom(err);
    sm_arena_init(&u->arena);
    u->op = e->op;
    u->kind = e->kind;
    res->kind = e->kind;
    res->undo = u;
    switch (e->op) {
    case EDIT_ADD:    rc = apply_add(m, e, res, err); break;
    case EDIT_SET:    rc = apply_set(m, e, res, err); break;
    case EDIT_REMOVE: rc = apply_remove(m, e, res, err); break;
    default:          rc = SM_EINVAL; break;
    }
    if (rc)
        goto fail;
    u->id = res->id;
    if (e->op != EDIT_REMOVE) {
        if ((rc = note_selector(res, m, e->kind, res->id, err)))
            goto undo;
        if (!(res->after = model_describe_dup(m, e->kind, res->id))) {
            rc = oom(err);
            goto undo;
        }
    }
    if (e->op != EDIT_REMOVE && (rc = build_inverse(res, m, e, err)))
        goto undo;
    if ((rc = keep_forward(u, e, res, err)))
        goto undo;
    return SM_OK;
undo:
    edit_revert(m, res, NULL);
fail:
    edit_result_fini(res);
    return rc;
}

int
edit_revert(struct model *m, struct edit_result *res, struct sm_error *err)
{
    struct edit_undo *u = res ? res->undo : NULL;
    int rc;

    if (!u)
        return sm_error_set(err, SM_EINVAL, "nothing to undo");
    if (u->reverted)
        return sm_error_set(err, SM_EINVAL, "already undone");
    switch (u->op) {
    case EDIT_ADD:
        if ((rc = remove_recorded(m, u, u->kind, u->id, err)))
            return rc;
        break;
    case EDIT_SET:
        for (int i = u->nattrs - 1; i >= 0; i--)
            if ((rc = model_set(m, u->kind, u->id, u->names[i], u->old[i], err))) {
                for (int k = i + 1; k < u->nattrs; k++)
                    model_set(m, u->kind, u->id, u->names[k], u->new[k], NULL);
                return rc;
            }
        restore_sources(m, u);
        break;
    case EDIT_REMOVE:
        if ((rc = undelete(m, u, err)))
            return rc;
        break;
    }
    u->reverted = true;
    return SM_OK;
}

int
edit_reapply(struct model *m, struct edit_result *res, struct sm_error *err)
{
    struct edit_undo *u = res ? res->undo : NULL;
    int rc;

    if (!u || !u->reverted)
        return sm_error_set(err, SM_EINVAL, "nothing to redo");
    switch (u->op) {
    case EDIT_ADD:
        if ((rc = undelete(m, u, err)))
            return rc;
        break;
    case EDIT_SET:
        for (int i = 0; i < u->nattrs; i++)
            if ((rc = model_set(m, u->kind, u->id, u->names[i], u->new[i], err))) {
                for (int k = i - 1; k >= 0; k--)
                    model_set(m, u->kind, u->id, u->names[k], u->old[k], NULL);
                return rc;
            }
        for (int i = 0; i < u->nattrs; i++)
            if ((rc = mark_typed(m, u->kind, u->id, u->names[i], err)))
                return rc;
        break;
    case EDIT_REMOVE:
        if ((rc = remove_recorded(m, u, u->kind, u->id, err)))
            return rc;
        break;
    }
    u->reverted = false;
    return SM_OK;
}

bool
edit_reverted(const struct edit_result *res)
{
    return res && res->undo && res->undo->reverted;
}

int
edit_check_name(const struct edit *e, struct sm_error *err)
{
    long ctl;

    /* placements and waivers are keyed by names that exist already; a
     * region id has its own rule (model_region_id_ok: no blank or control) */
    if (e->op != EDIT_ADD || e->kind == OBJ_PLACEMENT || e->kind == OBJ_WAIVER ||
        e->kind == OBJ_REGION ||
        (ctl = sm_control_at(e->key)) < 0)
        return SM_OK;
    return sm_error_set(err, SM_EINVAL, "%s %s: a name may not hold a control character "
                        "(U+%04X at byte %ld)", obj_kind_names[e->kind], e->key,
                        sm_control_code(e->key + ctl), ctl);
}

void
edit_result_fini(struct edit_result *res)
{
    if (!res)
        return;
    if (res->undo) {
        sm_arena_fini(&res->undo->arena);
        free(res->undo);
    }
    free(res->inverse);
    free(res->before);
    free(res->after);
    memset(res, 0, sizeof *res);
}

/* ---- copies and text ---------------------------------------------------------- */

struct edit *
edit_dup(const struct edit *e)
{
    size_t size = sizeof *e, at;
    struct edit *d;
    char *p;

    if (!e || e->nattrs < 0 || e->nattrs > EDIT_MAX_ATTRS)
        return NULL;
    size += strlen(e->key ? e->key : "") + 1;
    for (int i = 0; i < e->nattrs; i++)
        size += strlen(e->attrs[i].name ? e->attrs[i].name : "") + 1 +
                strlen(e->attrs[i].value ? e->attrs[i].value : "") + 1;
    if (!(d = malloc(size)))
        return NULL;
    *d = *e;
    p = (char *)(d + 1);
    at = 0;
#define COPY(dst, src) do { const char *s_ = (src) ? (src) : ""; size_t n_ = strlen(s_) + 1; \
        memcpy(p + at, s_, n_); (dst) = p + at; at += n_; } while (0)
    COPY(d->key, e->key);
    for (int i = 0; i < e->nattrs; i++) {
        COPY(d->attrs[i].name, e->attrs[i].name);
        COPY(d->attrs[i].value, e->attrs[i].value);
    }
#undef COPY
    return d;
}

void
edit_free(struct edit *e)
{
    free(e);
}

static size_t
put(char *buf, size_t size, size_t at, const char *s, size_t n)
{
    if (at < size) {
        size_t k = size - at - 1 < n ? size - at - 1 : n;
        memcpy(buf + at, s, k);
        buf[at + k] = '\0';
    }
    return at + n;
}

static size_t
put_word(char *buf, size_t size, size_t at, const char *s)
{
    char esc[8];                        /* bounded: one escape, "\\u00XX" at most */

    if (!sm_needs_quotes(s))
        return put(buf, size, at, s, strlen(s));
    at = put(buf, size, at, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':  at = put(buf, size, at, "\\\"", 2); break;
        case '\\': at = put(buf, size, at, "\\\\", 2); break;
        case '\n': at = put(buf, size, at, "\\n", 2); break;
        case '\t': at = put(buf, size, at, "\\t", 2); break;
        case '\r': at = put(buf, size, at, "\\r", 2); break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                snprintf(esc, sizeof esc, "\\x%02x", *p);
                at = put(buf, size, at, esc, 4);
            } else {
                at = put(buf, size, at, (const char *)p, 1);
            }
        }
    }
    return put(buf, size, at, "\"", 1);
}

size_t
edit_format(const struct edit *e, char *buf, size_t size)
{
    size_t at = 0;
    const char *kind = e->kind < OBJ_KIND_COUNT ? obj_kind_names[e->kind] : "?";
    const char *op = (unsigned)e->op <= EDIT_REMOVE ? op_names[e->op] : "?";

    if (size)
        buf[0] = '\0';
    at = put(buf, size, at, kind, strlen(kind));
    at = put(buf, size, at, " ", 1);
    at = put(buf, size, at, op, strlen(op));
    at = put(buf, size, at, " ", 1);
    at = put_word(buf, size, at, e->key ? e->key : "");
    for (int i = 0; i < e->nattrs && i < EDIT_MAX_ATTRS; i++) {
        at = put(buf, size, at, " ", 1);
        at = put(buf, size, at, e->attrs[i].name, strlen(e->attrs[i].name));
        at = put(buf, size, at, "=", 1);
        at = put_word(buf, size, at, e->attrs[i].value ? e->attrs[i].value : "");
    }
    return at;
}

char *
edit_format_dup(const struct edit *e)
{
    size_t n = edit_format(e, NULL, 0) + 1;
    char *s = malloc(n);

    if (s)
        edit_format(e, s, n);
    return s;
}

char *
edit_format_redo_dup(const struct edit_result *res)
{
    size_t n = edit_format_redo(res, NULL, 0) + 1;
    char *s = malloc(n);

    if (s)
        edit_format_redo(res, s, n);
    return s;
}
