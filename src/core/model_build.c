/*
 * model_build.c - the residency model in memory: building (adding objects,
 * the name indexes) and removal (see model.h).
 */
#include "model.h"
#include "model_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building -------------------------------------------------------------- */

static bool
valid_name(const char *s)
{
    return s && *s;
}

/* SM_EINVAL when one of the n strings (NULL allowed) is not valid UTF-8:
 * names travel to terminals, JSON, HTML and SQL, and every one of those
 * needs text. The message shows the offending byte, never the text. */
int
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
        return sm_error_set(err, SM_EINVAL, "bad region id \"%s\": write provider:code "
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
    model_changed(m, false);
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
            SM_ERROR(e2);
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
    model_changed(m, false);
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
    nd.first_field = nd.first_tag = nd.first_placement = nd.first_prop = SM_NONE;
    nd.deleted = 0;
    /* not in the map (checked above): no key of id ndatasets is asked for */
    if (sm_idmap_put(&m->dataset_names, nd.name, m->ndatasets, model_dataset_key, m))
        return oom(err);
    m->datasets[m->ndatasets] = nd;
    if (m->ndatasets < m->cap_asrc_first)   /* left by an undone add */
        m->asrc_first[m->ndatasets] = SM_NONE;
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
    f->type = f->comment = "";
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
    model_changed_kinds(m, false, 0);   /* fields, tags, props: no rows */
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
    t->expired = "";
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
    model_changed_kinds(m, false, 0);   /* fields, tags, props: no rows */
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
    model_changed_kinds(m, false, 0);   /* fields, tags, props: no rows */
    return SM_OK;
}

int
model_set_tag_expired(struct model *m, int32_t tag, const char *expired, struct sm_error *err)
{
    const char *e;

    if (tag < 0 || tag >= m->ntags)
        return sm_error_set(err, SM_EINVAL, "unknown tag");
    if (expired && *expired) {
        int32_t day;
        if (sm_date_parse(expired, &day))
            return sm_error_set(err, SM_EINVAL, "tag %s: expired \"%s\" is not a date YYYY-MM-DD",
                                m->tags[tag].tag, expired);
        if (!(e = model_str(m, expired)))
            return oom(err);
    } else {
        e = "";
    }
    m->tags[tag].expired = e;
    model_changed_kinds(m, false, 0);   /* fields, tags, props: no rows */
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
            model_changed_kinds(m, false, 0);   /* fields, tags, props: no rows */
            return SM_OK;
        }
    }
    return SM_EINVAL;
}

int
model_set_field_attrs(struct model *m, int32_t field, const char *type, const char *comment,
                      struct sm_error *err)
{
    const char *t = NULL, *c = NULL;

    if (field < 0 || field >= m->nfields)
        return sm_error_set(err, SM_EINVAL, "unknown field");
    if (check_utf8(err, "field", 2, type, comment))
        return SM_EINVAL;
    if ((type && !(t = model_str(m, type))) || (comment && !(c = model_str(m, comment))))
        return oom(err);
    if (t)
        m->fields[field].type = t;
    if (c)
        m->fields[field].comment = c;
    model_changed_kinds(m, false, 0);   /* fields, tags, props: no rows */
    return SM_OK;
}

int32_t
model_prop(const struct model *m, int32_t dataset, const char *key)
{
    if (dataset < 0 || dataset >= m->ndatasets)
        return SM_NONE;
    for (int32_t i = m->datasets[dataset].first_prop; i != SM_NONE; i = m->props[i].next)
        if (strcmp(m->props[i].key, key) == 0)
            return i;
    return SM_NONE;
}

int
model_set_prop(struct model *m, int32_t dataset, const char *key, const char *value,
               const char *source, const char *entity, const char *time, int32_t *id,
               struct sm_error *err)
{
    struct prop *p;
    int32_t *link;
    const char *v, *s, *e, *t;

    if (dataset < 0 || dataset >= m->ndatasets || m->datasets[dataset].deleted)
        return sm_error_set(err, SM_ENOTFOUND, "unknown dataset");
    if (!key || !*key)
        return sm_error_set(err, SM_EINVAL, "dataset %s: empty property name",
                            m->datasets[dataset].name);
    if (check_utf8(err, "property", 5, key, value, source, entity, time))
        return SM_EINVAL;
    link = &m->datasets[dataset].first_prop;
    while (*link != SM_NONE && strcmp(m->props[*link].key, key) < 0)
        link = &m->props[*link].next;
    if (*link == SM_NONE || strcmp(m->props[*link].key, key) != 0) {
        int32_t at = *link;
        if (GROW(m, props, m->nprops + 1))
            return oom(err);
        /* GROW may move the array: find the link again */
        link = &m->datasets[dataset].first_prop;
        while (*link != at)
            link = &m->props[*link].next;
        p = &m->props[m->nprops];
        if (!(p->key = model_str(m, key)))
            return oom(err);
        p->dataset = dataset;
        p->next = at;
        *link = m->nprops++;
    }
    p = &m->props[*link];
    v = model_str(m, value ? value : "");
    s = model_str(m, source ? source : "");
    e = model_str(m, entity ? entity : "");
    t = model_str(m, time ? time : "");
    if (!v || !s || !e || !t)
        return oom(err);
    p->value = v;
    p->source = s;
    p->entity = e;
    p->time = t;
    if (id)
        *id = *link;
    model_changed_kinds(m, false, 0);   /* fields, tags, props: no rows */
    return SM_OK;
}

int
model_remove_prop(struct model *m, int32_t prop)
{
    int32_t *link;

    if (prop < 0 || prop >= m->nprops)
        return SM_EINVAL;
    for (link = &m->datasets[m->props[prop].dataset].first_prop; *link != SM_NONE;
         link = &m->props[*link].next) {
        if (*link == prop) {
            *link = m->props[prop].next;
            m->props[prop].next = SM_NONE;
            model_changed_kinds(m, false, 0);   /* fields, tags, props: no rows */
            return SM_OK;
        }
    }
    return SM_EINVAL;
}

/* Merge two name-ordered lists of fields; a stays first on equal names. */
static int32_t
merge_fields(struct field *fl, int32_t a, int32_t b)
{
    int32_t head = SM_NONE, *tail = &head;

    while (a != SM_NONE && b != SM_NONE) {
        int32_t *pick = strcmp(fl[b].name, fl[a].name) < 0 ? &b : &a;
        *tail = *pick;
        tail = &fl[*pick].next;
        *pick = fl[*pick].next;
    }
    *tail = a != SM_NONE ? a : b;
    return head;
}

void
model_sort_fields(struct model *m, int32_t dataset)
{
    /* a bottom-up merge sort of the linked list: no memory, stable */
    struct field *fl = m->fields;
    int32_t *first = &m->datasets[dataset].first_field;
    int32_t n = 0, sorted = 1;

    for (int32_t f = *first; f != SM_NONE; f = fl[f].next, n++)
        if (fl[f].next != SM_NONE && strcmp(fl[fl[f].next].name, fl[f].name) < 0)
            sorted = 0;
    if (sorted)
        return;
    for (int32_t width = 1; width < n; width *= 2) {
        int32_t rest = *first, *tail = first;
        while (rest != SM_NONE) {
            int32_t a = rest, b, end, k;
            for (k = 1, end = a; k < width && fl[end].next != SM_NONE; k++)
                end = fl[end].next;
            b = fl[end].next;
            fl[end].next = SM_NONE;
            for (k = 1, end = b; b != SM_NONE && k < width && fl[end].next != SM_NONE; k++)
                end = fl[end].next;
            rest = b == SM_NONE ? SM_NONE : fl[end].next;
            if (b != SM_NONE)
                fl[end].next = SM_NONE;
            *tail = merge_fields(fl, a, b);
            while (fl[*tail].next != SM_NONE)
                tail = &fl[*tail].next;
            tail = &fl[*tail].next;
        }
    }
    model_changed_kinds(m, false, 0);   /* fields, tags, props: no rows */
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
    for (int a = ASRC_TYPE; a < ASRC_COUNT; a++)
        model_clear_asrc(m, m->fields[field].dataset, field, a);
    model_changed_kinds(m, false, 0);   /* fields, tags, props: no rows */
    return SM_OK;
}

int
model_check_placement(const struct model *m, const struct placement *p, int32_t self,
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

    if ((rc = model_check_placement(m, p, SM_NONE, err)))
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
    model_changed_kinds(m, false, MODEL_KIND_BIT(OBJ_PLACEMENT));
    return SM_OK;
}

static bool
live_placement(const struct model *m, int32_t p)
{
    return p >= 0 && p < m->nplacements && !m->placements[p].deleted;
}

int
model_check_flow(const struct model *m, const struct flow *f, struct sm_error *err)
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

    if ((rc = model_check_flow(m, f, err)))
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
    if (sm_idmap_put(&m->flow_names, nf.name, m->nflows, model_flow_key, m))
        return oom(err);
    m->flows[m->nflows] = nf;
    if (id)
        *id = m->nflows;
    m->nflows++;
    model_changed_kinds(m, false, MODEL_KIND_BIT(OBJ_FLOW));
    return SM_OK;
}

#define INDEX_AHEAD 64

int
model_index_names(struct model *m, enum obj_kind kind, int32_t from)
{
    struct sm_idmap *map;
    sm_idmap_key *kf;
    uint32_t ahead[INDEX_AHEAD];
    int32_t n;

    if (kind == OBJ_DATASET) {
        map = &m->dataset_names;
        kf = model_dataset_key;
        n = m->ndatasets;
    } else if (kind == OBJ_FLOW) {
        map = &m->flow_names;
        kf = model_flow_key;
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
    if (sm_idmap_reserve(map, map->len + (uint32_t)(n - from)))
        return SM_ENOMEM;
    if (map->tomb) {
        /* tombstones: let the map's own insert reuse them */
        for (int32_t i = from; i < n; i++)
            if (!DELETED(i) && sm_idmap_put(map, NAME_OF(i), i, kf, m))
                return SM_ENOMEM;
        return SM_OK;
    }
    /* hash INDEX_AHEAD names ahead and prefetch their home slots; insert in
     * id order, so the map is exactly the one sm_map_put would build */
    for (int32_t i = from; i < n + INDEX_AHEAD; i++) {
        int32_t j = i - INDEX_AHEAD;     /* j and i share a ring entry: j first */
        if (j >= from && ahead[j % INDEX_AHEAD])
            sm_idmap_put_hashed(map, NAME_OF(j), ahead[j % INDEX_AHEAD], j, kf, m);
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
    model_changed_kinds(m, false, MODEL_KIND_BIT(OBJ_WAIVER));
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
    model_changed(m, false);
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
    model_changed(m, false);
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
            sm_idmap_del(&m->flow_names, f->name, model_flow_key, m);
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
        d->first_placement = d->first_field = d->first_tag = d->first_prop = SM_NONE;
        if (id < m->cap_asrc_first)
            m->asrc_first[id] = SM_NONE;
        d->deleted = 1;
        sm_idmap_del(&m->dataset_names, d->name, model_dataset_key, m);
        break;
    }
    case OBJ_PLACEMENT:
        remove_flows_of_placement(m, id);
        unlink_placement(m, id);
        m->placements[id].deleted = 1;
        break;
    case OBJ_FLOW:
        m->flows[id].deleted = 1;
        sm_idmap_del(&m->flow_names, m->flows[id].name, model_flow_key, m);
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
    model_changed_kinds(m, kind == OBJ_DATASET, model_removal_kinds(kind));
    return SM_OK;
}
