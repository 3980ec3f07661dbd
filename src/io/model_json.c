/*
 * model_json.c - the canonical text form of a catalog (doc/formats.md).
 *
 * Writing: objects in a fixed key order, arrays sorted here, jansson with
 * JSON_INDENT(2) | JSON_PRESERVE_ORDER. The top-level arrays are streamed one
 * element at a time (a million datasets never exist as one JSON tree).
 * Reading: every value is checked, errors name the JSON path:
 *   "model.json: datasets[3].placements[0].region: unknown region aws:eu-west-9;
 *    did you mean aws:eu-west-1?"
 * Syntax errors carry jansson's line and column.
 *
 * Depends on jansson and the model only.
 */
#include "model_json.h"
#include "rulepack.h"
#include "scenario.h"

#include <jansson.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MODEL_JSON_VERSION 1
#define JFLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)

/* ---- writing ------------------------------------------------------------------ */

struct wr {
    const struct model *m;
    FILE *f;
    struct sm_error *err;
    int rc;
    const char *what;           /* object being written, for errors */
    json_t *skip;               /* model_json_undo: {section: {ident: true}} left out */
    json_t *extra;              /* ... and {section: [objects]} written instead */
};

static json_t *
jstr(struct wr *w, const char *s)
{
    json_t *j = json_string(s ? s : "");

    if (!j && !w->rc)
        w->rc = sm_error_set(w->err, SM_EINVAL, "%s: text is not valid UTF-8: %.60s",
                             w->what ? w->what : "model", s ? s : "");
    return j;
}

static json_t *
jstr_or_null(struct wr *w, const char *s)
{
    return s && *s ? jstr(w, s) : json_null();
}

static json_t *
jint_or_null(int32_t v)
{
    return v == SM_NONE ? json_null() : json_integer(v);
}

static json_t *
jdate(int32_t d)
{
    char buf[11];

    if (!d)
        return json_null();
    sm_date_fmt(d, buf);
    return json_string(buf);
}

static json_t *
jcc(int32_t cc)
{
    char buf[3];

    if (cc == SM_NONE)
        return json_null();
    sm_cc_str(cc, buf);
    return json_string(buf);
}

static json_t *
jstrv(struct wr *w, const struct sm_strv *v)
{
    json_t *a = json_array();

    for (uint32_t i = 0; a && i < v->n; i++)
        json_array_append_new(a, jstr(w, v->v[i]));
    return a;
}

/* json_object_set_new that remembers a NULL value as a failure. */
static void
put(struct wr *w, json_t *o, const char *key, json_t *v)
{
    if (!v) {
        if (!w->rc)
            w->rc = sm_error_set(w->err, SM_ENOMEM, "out of memory");
        return;
    }
    json_object_set_new(o, key, v);
}

static int
emit(struct wr *w, const char *s)
{
    if (fputs(s, w->f) == EOF) {
        if (!w->rc)
            w->rc = sm_error_set(w->err, SM_EIO, "cannot write the model: output error");
        return w->rc;
    }
    return SM_OK;
}

/* Write one element of a top-level array, indented by 4. */
static void
emit_elem(struct wr *w, json_t *o, bool first)
{
    char *s, *p, *nl;

    if (w->rc || !o) {
        if (!o && !w->rc)
            w->rc = sm_error_set(w->err, SM_ENOMEM, "out of memory");
        json_decref(o);
        return;
    }
    s = json_dumps(o, JFLAGS);
    json_decref(o);
    if (!s) {
        w->rc = sm_error_set(w->err, SM_ENOMEM, "out of memory");
        return;
    }
    emit(w, first ? "\n    " : ",\n    ");
    /* json strings never hold a raw newline: every newline is layout */
    for (p = s; (nl = strchr(p, '\n')) && !w->rc; p = nl + 1) {
        if (fwrite(p, 1, (size_t)(nl - p), w->f) != (size_t)(nl - p))
            w->rc = sm_error_set(w->err, SM_EIO, "cannot write the model: output error");
        emit(w, "\n    ");
    }
    emit(w, p);
    free(s);
}

static void
begin_array(struct wr *w, const char *key)
{
    emit(w, ",\n  \"");
    emit(w, key);
    emit(w, "\": [");
}

static void
end_array(struct wr *w, int32_t n)
{
    emit(w, n ? "\n  ]" : "]");
}

/* Sorting: ids with a comparison that reads the model. */
static const struct model *sort_m;

static int
cmp_region(const void *a, const void *b)
{
    return strcmp(sort_m->regions[*(const int32_t *)a].id,
                  sort_m->regions[*(const int32_t *)b].id);
}

static int
cmp_tier(const void *a, const void *b)
{
    const struct tier *x = &sort_m->tiers[*(const int32_t *)a];
    const struct tier *y = &sort_m->tiers[*(const int32_t *)b];

    if (x->rank != y->rank)
        return x->rank > y->rank ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int
cmp_dataset(const void *a, const void *b)
{
    return strcmp(sort_m->datasets[*(const int32_t *)a].name,
                  sort_m->datasets[*(const int32_t *)b].name);
}

static int
cmp_placement(const void *a, const void *b)
{
    const struct placement *x = &sort_m->placements[*(const int32_t *)a];
    const struct placement *y = &sort_m->placements[*(const int32_t *)b];

    if (x->role != y->role)
        return x->role < y->role ? -1 : 1;
    return strcmp(sort_m->regions[x->region].id, sort_m->regions[y->region].id);
}

static int
cmp_flow(const void *a, const void *b)
{
    return strcmp(sort_m->flows[*(const int32_t *)a].name,
                  sort_m->flows[*(const int32_t *)b].name);
}

static int
cmp_waiver(const void *a, const void *b)
{
    const struct waiver *x = &sort_m->waivers[*(const int32_t *)a];
    const struct waiver *y = &sort_m->waivers[*(const int32_t *)b];
    int c = strcmp(x->rule, y->rule);

    return c ? c : strcmp(x->object, y->object);
}

static int
cmp_scenario(const void *a, const void *b)
{
    return strcmp(sort_m->scenarios[*(const int32_t *)a].name,
                  sort_m->scenarios[*(const int32_t *)b].name);
}

/* The live ids of one kind, sorted. NULL with *n = 0 when there are none. */
static int32_t *
sorted_ids(struct wr *w, int32_t count, bool (*keep)(const struct model *, int32_t),
           int (*cmp)(const void *, const void *), int32_t *n)
{
    int32_t *ids = malloc(((size_t)count + 1) * sizeof *ids);

    *n = 0;
    if (!ids) {
        w->rc = sm_error_set(w->err, SM_ENOMEM, "out of memory");
        return NULL;
    }
    for (int32_t i = 0; i < count; i++)
        if (keep(w->m, i))
            ids[(*n)++] = i;
    sort_m = w->m;
    qsort(ids, (size_t)*n, sizeof *ids, cmp);
    return ids;
}

static bool keep_region(const struct model *m, int32_t i)
{ return !m->regions[i].deleted && !m->regions[i].builtin; }
static bool keep_tier(const struct model *m, int32_t i) { return !m->tiers[i].deleted; }
static bool keep_dataset(const struct model *m, int32_t i) { return !m->datasets[i].deleted; }
static bool keep_flow(const struct model *m, int32_t i) { return !m->flows[i].deleted; }
static bool keep_waiver(const struct model *m, int32_t i) { return !m->waivers[i].deleted; }
static bool keep_scenario(const struct model *m, int32_t i) { return !m->scenarios[i].deleted; }

static json_t *
region_json(struct wr *w, int32_t id)
{
    const struct region *r = &w->m->regions[id];
    json_t *o = json_object(), *mem;

    if (!o)
        return NULL;
    w->what = r->id;
    put(w, o, "id", jstr(w, r->id));
    put(w, o, "kind", json_string(region_kind_names[r->kind]));
    put(w, o, "country", jcc(r->country));
    put(w, o, "city", jstr(w, r->city));
    put(w, o, "operator", jcc(r->operator_home));
    put(w, o, "name", jstr(w, r->name));
    mem = json_array();
    if (mem && r->global)
        json_array_append_new(mem, json_string("*"));
    if (mem && r->members)
        for (int c = sm_ccset_next(r->members, 0); c != SM_NONE;
             c = sm_ccset_next(r->members, c + 1))
            json_array_append_new(mem, jcc(c));
    put(w, o, "members", mem);
    return o;
}

static json_t *
tier_json(struct wr *w, int32_t id)
{
    const struct tier *t = &w->m->tiers[id];
    json_t *o = json_object();

    if (!o)
        return NULL;
    w->what = t->name;
    put(w, o, "name", jstr(w, t->name));
    put(w, o, "rank", json_integer(t->rank));
    put(w, o, "personal", json_boolean(t->personal));
    put(w, o, "scope", json_string(scope_names[t->scope]));
    put(w, o, "backup_scope", json_string(scope_names[t->backup_scope]));
    put(w, o, "key_scope", json_string(scope_names[t->key_scope]));
    put(w, o, "approved", jstrv(w, &t->approved));
    put(w, o, "encryption_at_rest", json_boolean(t->encryption_at_rest));
    put(w, o, "transit_encryption", json_boolean(t->transit_encryption));
    put(w, o, "sovereign", json_boolean(t->sovereign));
    put(w, o, "retention_min_days", jint_or_null(t->retention_min_days));
    put(w, o, "retention_max_days", jint_or_null(t->retention_max_days));
    put(w, o, "description", jstr(w, t->description));
    return o;
}

static json_t *
tag_json(struct wr *w, const struct tag *t)
{
    json_t *o = json_object();

    if (!o)
        return NULL;
    put(w, o, "tag", jstr(w, t->tag));
    if (*t->source)
        put(w, o, "source", jstr(w, t->source));
    if (*t->entity)
        put(w, o, "entity", jstr(w, t->entity));
    if (*t->time)
        put(w, o, "time", jstr(w, t->time));
    return o;
}

static json_t *
placement_json(struct wr *w, int32_t id)
{
    const struct placement *p = &w->m->placements[id];
    json_t *o = json_object();

    if (!o)
        return NULL;
    put(w, o, "region", jstr(w, w->m->regions[p->region].id));
    put(w, o, "role", json_string(role_names[p->role]));
    put(w, o, "encrypted", json_boolean(p->encrypted));
    put(w, o, "key_region", p->key_region == SM_NONE ? json_null()
                            : jstr(w, w->m->regions[p->key_region].id));
    put(w, o, "mechanism", jstr_or_null(w, mechanism_names[p->mechanism]));
    put(w, o, "mechanism_ref", jstr_or_null(w, p->mechanism_ref));
    return o;
}

static json_t *
dataset_json(struct wr *w, int32_t id)
{
    const struct model *m = w->m;
    const struct dataset *d = &m->datasets[id];
    json_t *o = json_object(), *a, *fields, *tags, *pls;
    int32_t *ids, n = 0, np = 0;
    char cc[3];

    if (!o)
        return NULL;
    for (int32_t p = d->first_placement; p != SM_NONE; p = m->placements[p].next)
        np++;
    if (!(ids = malloc(((size_t)np + 1) * sizeof *ids))) {
        json_decref(o);
        return NULL;
    }
    w->what = d->name;
    put(w, o, "name", jstr(w, d->name));
    put(w, o, "system", jstr(w, d->system));
    put(w, o, "tier", d->tier == SM_NONE ? json_null() : jstr(w, m->tiers[d->tier].name));
    a = json_array();
    for (uint8_t i = 0; a && i < d->nsubjects; i++) {
        sm_cc_str(d->subjects[i], cc);
        json_array_append_new(a, json_string(cc));
    }
    put(w, o, "subjects", a);
    put(w, o, "owner", jstr(w, d->owner));
    put(w, o, "retention_days", jint_or_null(d->retention_days));
    put(w, o, "public_sector", json_boolean(d->public_sector));
    put(w, o, "source", jstr(w, d->source_ref));
    put(w, o, "description", jstr(w, d->description));
    /* written only when given, so catalogs without them read as before */
    if (d->purpose && *d->purpose)
        put(w, o, "purpose", jstr(w, d->purpose));
    if (d->legal_basis != LB_NONE)
        put(w, o, "legal_basis", json_string(legal_basis_names[d->legal_basis]));
    fields = json_array();
    for (int32_t f = d->first_field; fields && f != SM_NONE; f = m->fields[f].next) {
        json_t *fo = json_object(), *ft = json_array();
        if (!fo || !ft) {
            json_decref(fo);
            json_decref(ft);
            json_decref(fields);
            fields = NULL;
            break;
        }
        put(w, fo, "name", jstr(w, m->fields[f].name));
        for (int32_t t = d->first_tag; t != SM_NONE; t = m->tags[t].next)
            if (m->tags[t].field == f)
                json_array_append_new(ft, tag_json(w, &m->tags[t]));
        put(w, fo, "tags", ft);
        json_array_append_new(fields, fo);
    }
    put(w, o, "fields", fields);
    tags = json_array();
    for (int32_t t = d->first_tag; tags && t != SM_NONE; t = m->tags[t].next)
        if (m->tags[t].field == SM_NONE)
            json_array_append_new(tags, tag_json(w, &m->tags[t]));
    put(w, o, "tags", tags);
    for (int32_t p = d->first_placement; p != SM_NONE; p = m->placements[p].next)
        if (!m->placements[p].deleted)
            ids[n++] = p;
    sort_m = m;
    qsort(ids, (size_t)n, sizeof *ids, cmp_placement);
    pls = json_array();
    for (int32_t i = 0; pls && i < n; i++)
        json_array_append_new(pls, placement_json(w, ids[i]));
    put(w, o, "placements", pls);
    free(ids);
    return o;
}

static json_t *
flow_json(struct wr *w, int32_t id)
{
    const struct model *m = w->m;
    const struct flow *f = &m->flows[id];
    json_t *o = json_object(), *tx;
    char *sel, buf[8192];

    if (!o)
        return NULL;
    w->what = f->name;
    put(w, o, "name", jstr(w, f->name));
    /* selectors carry whole dataset names: never a fixed buffer here */
    sel = model_selector_dup(m, OBJ_PLACEMENT, f->from);
    put(w, o, "from", sel ? jstr(w, sel) : NULL);
    free(sel);
    sel = f->to == SM_NONE ? NULL : model_selector_dup(m, OBJ_PLACEMENT, f->to);
    put(w, o, "to", f->to == SM_NONE ? json_null() : sel ? jstr(w, sel) : NULL);
    free(sel);
    put(w, o, "to_region", f->to != SM_NONE || f->to_region == SM_NONE ? json_null()
                           : jstr(w, m->regions[f->to_region].id));
    put(w, o, "kind", json_string(flow_kind_names[f->kind]));
    put(w, o, "fields", jstrv(w, &f->fields));
    tx = json_array();
    for (uint32_t i = 0; tx && i < f->ntransforms; i++) {
        model_format_transforms(&f->transforms[i], 1, buf, sizeof buf);
        json_array_append_new(tx, jstr(w, buf));
    }
    put(w, o, "transforms", tx);
    put(w, o, "mechanism", jstr_or_null(w, mechanism_names[f->mechanism]));
    put(w, o, "mechanism_ref", jstr_or_null(w, f->mechanism_ref));
    put(w, o, "valid_from", jdate(f->valid_from));
    put(w, o, "valid_to", jdate(f->valid_to));
    put(w, o, "transit_encrypted", json_boolean(f->transit_encrypted));
    put(w, o, "public_recipient", json_boolean(f->public_recipient));
    return o;
}

static json_t *
waiver_json(struct wr *w, int32_t id)
{
    const struct waiver *v = &w->m->waivers[id];
    json_t *o = json_object();

    if (!o)
        return NULL;
    w->what = v->key;
    put(w, o, "rule", jstr(w, v->rule));
    put(w, o, "object", jstr(w, v->object));
    put(w, o, "owner", jstr(w, v->owner));
    put(w, o, "reason", jstr(w, v->reason));
    put(w, o, "expires", jdate(v->expires));
    return o;
}

static json_t *
scenario_json(struct wr *w, int32_t id)
{
    const struct scenario *s = &w->m->scenarios[id];
    json_t *o = json_object(), *ops;

    if (!o)
        return NULL;
    w->what = s->name;
    put(w, o, "name", jstr(w, s->name));
    put(w, o, "base", jstr_or_null(w, s->base));
    put(w, o, "description", jstr(w, s->description));
    ops = json_array();
    for (uint32_t i = 0; ops && i < s->nops; i++)
        json_array_append_new(ops, jstrv(w, &s->ops[i]));
    put(w, o, "ops", ops);
    return o;
}

/* The sections of a model-json document that hold objects, in order. */
static const struct part_sec {
    const char *key;
    enum obj_kind kind;
    bool (*keep)(const struct model *, int32_t);
    int (*cmp)(const void *, const void *);
    json_t *(*one)(struct wr *, int32_t);
} sections[] = {
    { "regions",   OBJ_REGION,   keep_region,   cmp_region,   region_json },
    { "tiers",     OBJ_TIER,     keep_tier,     cmp_tier,     tier_json },
    { "datasets",  OBJ_DATASET,  keep_dataset,  cmp_dataset,  dataset_json },
    { "flows",     OBJ_FLOW,     keep_flow,     cmp_flow,     flow_json },
    { "waivers",   OBJ_WAIVER,   keep_waiver,   cmp_waiver,   waiver_json },
    { "scenarios", OBJ_SCENARIO, keep_scenario, cmp_scenario, scenario_json },
};
#define NSECTIONS ((int)(sizeof sections / sizeof *sections))

static enum obj_kind
section_kind(const char *key)
{
    for (int i = 0; i < NSECTIONS; i++)
        if (strcmp(sections[i].key, key) == 0)
            return sections[i].kind;
    return OBJ_KIND_COUNT;
}

static void
write_list(struct wr *w, const char *key, int32_t count,
           bool (*keep)(const struct model *, int32_t), int (*cmp)(const void *, const void *),
           json_t *(*one)(struct wr *, int32_t))
{
    int32_t n = 0, *ids;

    json_t *skip = w->skip ? json_object_get(w->skip, key) : NULL;
    json_t *extra = w->extra ? json_object_get(w->extra, key) : NULL, *x;
    int32_t written = 0;
    size_t k;

    if (w->rc)
        return;
    ids = sorted_ids(w, count, keep, cmp, &n);
    begin_array(w, key);
    for (int32_t i = 0; i < n && !w->rc; i++) {
        if (skip && json_object_get(skip, model_key(w->m, section_kind(key), ids[i])))
            continue;
        emit_elem(w, one(w, ids[i]), written++ == 0);
    }
    if (json_is_array(extra))
        json_array_foreach(extra, k, x)
            emit_elem(w, json_incref(x), written++ == 0);
    end_array(w, written);
    free(ids);
}

static int
write_model(struct wr *w, FILE *f)
{
    const struct model *m = w->m;
    json_t *pack = json_string(m->rule_pack ? m->rule_pack : "");
    char *ps = pack ? json_dumps(pack, JSON_ENCODE_ANY) : NULL;

    w->f = f;
    json_decref(pack);
    if (!ps)
        return sm_error_set(w->err, SM_EINVAL, "rule pack name is not valid UTF-8");
    emit(w, "{\n  \"sovmap\": 1,\n  \"rule_pack\": ");
    emit(w, ps);
    free(ps);
    for (int s = 0; s < NSECTIONS; s++)
        write_list(w, sections[s].key, model_count(m, sections[s].kind), sections[s].keep,
                   sections[s].cmp, sections[s].one);
    emit(w, "\n}\n");
    if (!w->rc && fflush(f) == EOF)
        w->rc = sm_error_set(w->err, SM_EIO, "cannot write the model: output error");
    return w->rc;
}

int
model_json_write(const struct model *m, FILE *f, struct sm_error *err)
{
    struct wr w = { .m = m, .f = f, .err = err };

    return write_model(&w, f);
}

/* ---- audit snapshots ------------------------------------------------------------ */

#define PART_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER)

static int
part_dump(struct wr *w, json_t *part, char **out)
{
    char *s;

    if (w->rc) {
        json_decref(part);
        return w->rc;
    }
    s = part ? json_dumps(part, PART_FLAGS) : NULL;
    json_decref(part);
    if (!s)
        return sm_error_set(w->err, SM_ENOMEM, "out of memory");
    *out = s;
    return SM_OK;
}

/* Append the objects ids[0..n) of section sec to part, sorted, once each. */
static void
part_add(struct wr *w, json_t *part, const struct part_sec *sec, int32_t *ids, int32_t n)
{
    json_t *a;

    if (!n || w->rc)
        return;
    sort_m = w->m;
    qsort(ids, (size_t)n, sizeof *ids, sec->cmp);
    if (!(a = json_array())) {
        w->rc = sm_error_set(w->err, SM_ENOMEM, "out of memory");
        return;
    }
    for (int32_t i = 0; i < n && !w->rc; i++) {
        json_t *o;
        if (i && ids[i] == ids[i - 1])
            continue;
        if (!(o = sec->one(w, ids[i])) || json_array_append_new(a, o))
            if (!w->rc)
                w->rc = sm_error_set(w->err, SM_ENOMEM, "out of memory");
    }
    put(w, part, sec->key, a);
}

int
model_json_part(const struct model *m, const struct obj_ref *refs, int32_t n, char **out,
                struct sm_error *err)
{
    struct wr w = { .m = m, .err = err };
    json_t *part = json_object();
    int32_t *ids = malloc(((size_t)(n > 0 ? n : 0) + 1) * sizeof *ids);

    if (!part || !ids) {
        json_decref(part);
        free(ids);
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    }
    for (int s = 0; s < NSECTIONS && !w.rc; s++) {
        int32_t k = 0;
        for (int32_t i = 0; i < n; i++) {
            enum obj_kind kind = refs[i].kind;
            int32_t id = refs[i].id;
            if (kind == OBJ_PLACEMENT) {
                if (id < 0 || id >= m->nplacements)
                    continue;
                kind = OBJ_DATASET;
                id = m->placements[id].dataset;
            }
            if (kind != sections[s].kind || id < 0 || id >= model_count(m, kind) ||
                !sections[s].keep(m, id))
                continue;
            ids[k++] = id;
        }
        part_add(&w, part, &sections[s], ids, k);
    }
    free(ids);
    return part_dump(&w, part, out);
}

static const struct model *ident_m;
static enum obj_kind ident_kind;

static int
cmp_ident(const void *a, const void *b)
{
    return strcmp(model_key(ident_m, ident_kind, *(const int32_t *)a),
                  model_key(ident_m, ident_kind, *(const int32_t *)b));
}

/* The live ids of section sec in m, sorted by identity. */
static int32_t *
ident_ids(struct wr *w, const struct part_sec *sec, int32_t *n)
{
    const struct model *m = w->m;
    int32_t cnt = model_count(m, sec->kind), *ids = malloc(((size_t)cnt + 1) * sizeof *ids);

    *n = 0;
    if (!ids) {
        w->rc = sm_error_set(w->err, SM_ENOMEM, "out of memory");
        return NULL;
    }
    for (int32_t i = 0; i < cnt; i++)
        if (sec->keep(m, i))
            ids[(*n)++] = i;
    ident_m = m;
    ident_kind = sec->kind;
    qsort(ids, (size_t)*n, sizeof *ids, cmp_ident);
    return ids;
}

/* {"datasets":{"added":N,"changed":N,"removed":N}, ...} for the sections
 * with any. */
static int
diff_summary(struct wr *w, const int64_t (*n)[3], char **out)
{
    static const char *const what[3] = { "added", "changed", "removed" };
    json_t *sum = json_object();

    if (!sum)
        return sm_error_set(w->err, SM_ENOMEM, "out of memory");
    for (int s = 0; s < NSECTIONS; s++) {
        json_t *o;
        if (!n[s][0] && !n[s][1] && !n[s][2])
            continue;
        o = json_object();
        for (int k = 0; o && k < 3; k++)
            put(w, o, what[k], json_integer(n[s][k]));
        put(w, sum, sections[s].key, o);
    }
    return part_dump(w, sum, out);
}

int
model_json_diff(const struct model *a, const struct model *b, char **before, char **after,
                int64_t limit, struct sm_error *err)
{
    struct wr wa = { .m = a, .err = err }, wb = { .m = b, .err = err };
    int32_t *ra[NSECTIONS] = { 0 }, *rb[NSECTIONS] = { 0 }, ka[NSECTIONS] = { 0 },
            kb[NSECTIONS] = { 0 };
    int64_t n[NSECTIONS][3] = { { 0 } }, total = 0;
    json_t *pa = NULL, *pb = NULL;
    int rc = SM_OK;

    *before = *after = NULL;
    /* which objects differ, by identity: added, changed, removed */
    for (int s = 0; s < NSECTIONS && !wa.rc && !wb.rc; s++) {
        const struct part_sec *sec = &sections[s];
        int32_t na = 0, nb = 0, i = 0, j = 0;
        int32_t *ia = ident_ids(&wa, sec, &na), *ib = ident_ids(&wb, sec, &nb);

        ra[s] = malloc(((size_t)na + 1) * sizeof **ra);
        rb[s] = malloc(((size_t)nb + 1) * sizeof **rb);
        if (!ia || !ib || !ra[s] || !rb[s]) {
            if (!wa.rc)
                wa.rc = sm_error_set(err, SM_ENOMEM, "out of memory");
        } else {
            while (i < na || j < nb) {
                int c = i == na ? 1 : j == nb ? -1
                        : strcmp(model_key(a, sec->kind, ia[i]),
                                 model_key(b, sec->kind, ib[j]));
                if (c < 0) {
                    ra[s][ka[s]++] = ia[i++];
                    n[s][2]++;
                } else if (c > 0) {
                    rb[s][kb[s]++] = ib[j++];
                    n[s][0]++;
                } else {
                    json_t *oa = sec->one(&wa, ia[i]), *ob = sec->one(&wb, ib[j]);
                    if (!oa || !ob) {
                        if (!wa.rc)
                            wa.rc = sm_error_set(err, SM_ENOMEM, "out of memory");
                    } else if (!json_equal(oa, ob)) {
                        ra[s][ka[s]++] = ia[i];
                        rb[s][kb[s]++] = ib[j];
                        n[s][1]++;
                    }
                    json_decref(oa);
                    json_decref(ob);
                    i++;
                    j++;
                }
            }
            total += n[s][0] + n[s][1] + n[s][2];
        }
        free(ia);
        free(ib);
    }
    if (wb.rc && !wa.rc)
        wa.rc = wb.rc;
    if ((rc = wa.rc))
        goto out;
    if (limit > 0 && total > limit) {
        /* too many to keep: the counts only */
        if (!(rc = diff_summary(&wa, (const int64_t (*)[3])n, before)))
            rc = sm_error_set(err, SM_ELIMIT, "%lld objects changed (more than %lld): "
                              "counts only", (long long)total, (long long)limit);
        goto out;
    }
    pa = json_object();
    pb = json_object();
    if (!pa || !pb) {
        json_decref(pa);
        json_decref(pb);
        rc = sm_error_set(err, SM_ENOMEM, "out of memory");
        goto out;
    }
    for (int s = 0; s < NSECTIONS; s++) {
        part_add(&wa, pa, &sections[s], ra[s], ka[s]);
        part_add(&wb, pb, &sections[s], rb[s], kb[s]);
    }
    if (wb.rc && !wa.rc)
        wa.rc = wb.rc;
    if ((rc = part_dump(&wa, pa, before))) {
        json_decref(pb);
        goto out;
    }
    if ((rc = part_dump(&wb, pb, after))) {
        free(*before);
        *before = NULL;
    }
out:
    for (int s = 0; s < NSECTIONS; s++) {
        free(ra[s]);
        free(rb[s]);
    }
    return rc;
}

/* The identity of a snapshot object of section sec (heap), NULL if none. */
static char *
json_ident(const struct part_sec *sec, json_t *o)
{
    const char *rule, *obj;
    char *s;
    size_t n;

    if (sec->kind == OBJ_WAIVER) {
        rule = json_string_value(json_object_get(o, "rule"));
        obj = json_string_value(json_object_get(o, "object"));
        if (!rule || !obj)
            return NULL;
        n = strlen(rule) + strlen(obj) + 2;
        if ((s = malloc(n)))
            snprintf(s, n, "%s:%s", rule, obj);
        return s;
    }
    obj = json_string_value(json_object_get(o, sec->kind == OBJ_REGION ? "id" : "name"));
    return obj ? strdup(obj) : NULL;
}

static int32_t
ident_find(const struct model *m, enum obj_kind kind, const char *ident)
{
    int32_t id;

    switch (kind) {
    case OBJ_REGION:    id = model_region(m, ident); break;
    case OBJ_TIER:      id = model_tier(m, ident); break;
    case OBJ_DATASET:   id = model_dataset(m, ident); break;
    case OBJ_FLOW:      id = model_flow(m, ident); break;
    case OBJ_WAIVER:    id = model_waiver(m, ident); break;
    case OBJ_SCENARIO:  id = model_scenario(m, ident); break;
    default:            id = SM_NONE; break;
    }
    return id;
}

/* Parse an entry's data into its before and after parts (borrowed from *d). */
static int
load_data(const char *data, json_t **d, json_t **before, json_t **after, struct sm_error *err)
{
    json_error_t je;

    if (!data || !(*d = json_loads(data, 0, &je)))
        return sm_error_set(err, SM_EPARSE, "the entry's data is not JSON%s%s",
                            data ? ": " : "", data ? je.text : "");
    *before = json_object_get(*d, "before");
    *after = json_object_get(*d, "after");
    if (json_object_get(*d, "summary")) {
        json_decref(*d);
        *d = NULL;
        return sm_error_set(err, SM_EPARSE, "it records only the counts of a change too "
                            "large to keep");
    }
    if (!json_is_object(*before) || !json_is_object(*after)) {
        json_decref(*d);
        *d = NULL;
        return sm_error_set(err, SM_EPARSE, "the entry's data has no before and after "
                            "snapshots");
    }
    return SM_OK;
}

/* Is every object of "after" as m has it, and every object only in "before"
 * absent from m? */
static int
undo_check(struct wr *w, json_t *before, json_t *after, const char **kind, char **ident)
{
    for (int s = 0; s < NSECTIONS && !w->rc; s++) {
        const struct part_sec *sec = &sections[s];
        for (int pass = 0; pass < 2 && !w->rc; pass++) {
            json_t *list = json_object_get(pass ? before : after, sec->key), *o, *now;
            size_t k;
            if (!json_is_array(list))
                continue;
            json_array_foreach(list, k, o) {
                char *id = json_ident(sec, o);
                int32_t at;
                const char *why = NULL;
                if (!id) {
                    w->rc = sm_error_set(w->err, SM_EPARSE, "the entry's data has a %s "
                                         "with no identity", obj_kind_names[sec->kind]);
                    break;
                }
                at = ident_find(w->m, sec->kind, id);
                if (at != SM_NONE && !sec->keep(w->m, at))
                    at = SM_NONE;
                if (pass == 0) {
                    if (at == SM_NONE) {
                        why = "was removed";
                    } else {
                        now = sec->one(w, at);
                        if (!now && !w->rc)
                            w->rc = sm_error_set(w->err, SM_ENOMEM, "out of memory");
                        else if (now && !json_equal(now, o))
                            why = "changed";
                        json_decref(now);
                    }
                } else if (at != SM_NONE) {
                    /* only in before: the entry removed it */
                    bool in_after = false;
                    json_t *l2 = json_object_get(after, sec->key), *o2;
                    size_t k2;
                    if (json_is_array(l2))
                        json_array_foreach(l2, k2, o2) {
                            char *id2 = json_ident(sec, o2);
                            in_after |= id2 && strcmp(id2, id) == 0;
                            free(id2);
                        }
                    if (!in_after)
                        why = "was added again";
                }
                if (why && !w->rc) {
                    w->rc = sm_error_set(w->err, SM_EEXIST, "%s %s %s since", 
                                         obj_kind_names[sec->kind], id, why);
                    if (kind)
                        *kind = obj_kind_names[sec->kind];
                    if (ident)
                        *ident = id;
                    else
                        free(id);
                    break;
                }
                free(id);
            }
        }
    }
    return w->rc;
}

int
model_json_undo(const struct model *m, const char *data, char **out, const char **kind,
                char **ident, struct sm_error *err)
{
    struct wr w = { .m = m, .err = err };
    json_t *d = NULL, *before, *after, *skip = NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = NULL;
    int rc;

    if (kind)
        *kind = NULL;
    if (ident)
        *ident = NULL;
    if ((rc = load_data(data, &d, &before, &after, err)))
        return rc;
    if ((rc = undo_check(&w, before, after, kind, ident)))
        goto out;
    /* the objects of both parts are left out of m's text; before's go in */
    if (!(skip = json_object())) {
        rc = sm_error_set(err, SM_ENOMEM, "out of memory");
        goto out;
    }
    for (int s = 0; s < NSECTIONS; s++) {
        json_t *set = json_object(), *o;
        size_t k;
        if (!set || json_object_set_new(skip, sections[s].key, set)) {
            rc = sm_error_set(err, SM_ENOMEM, "out of memory");
            goto out;
        }
        for (int pass = 0; pass < 2; pass++) {
            json_t *list = json_object_get(pass ? before : after, sections[s].key);
            if (!json_is_array(list))
                continue;
            json_array_foreach(list, k, o) {
                char *id = json_ident(&sections[s], o);
                if (!id || json_object_set_new(set, id, json_true())) {
                    free(id);
                    rc = sm_error_set(err, SM_ENOMEM, "out of memory");
                    goto out;
                }
                free(id);
            }
        }
    }
    if (!(f = open_memstream(&buf, &len))) {
        rc = sm_error_set(err, SM_ENOMEM, "out of memory");
        goto out;
    }
    w.skip = skip;
    w.extra = before;
    rc = write_model(&w, f);
    if (fclose(f) && !rc)
        rc = sm_error_set(err, SM_ENOMEM, "out of memory");
    if (!rc) {
        *out = buf;
        buf = NULL;
    }
out:
    free(buf);
    json_decref(skip);
    json_decref(d);
    return rc;
}

bool
model_json_touches(const char *data, const char *kind, const char *ident)
{
    json_t *d = NULL, *before, *after;
    bool hit = false;

    if (load_data(data, &d, &before, &after, NULL))
        return false;
    for (int s = 0; s < NSECTIONS && !hit; s++) {
        if (kind && strcmp(kind, obj_kind_names[sections[s].kind]) != 0)
            continue;
        for (int pass = 0; pass < 2 && !hit; pass++) {
            json_t *list = json_object_get(pass ? before : after, sections[s].key), *o;
            size_t k;
            if (!json_is_array(list))
                continue;
            json_array_foreach(list, k, o) {
                char *id = json_ident(&sections[s], o);
                hit = id && strcmp(id, ident) == 0;
                free(id);
                if (hit)
                    break;
            }
        }
    }
    json_decref(d);
    return hit;
}

/* ---- reading ------------------------------------------------------------------- */

struct src;
struct span;

struct rd {
    const char *name;
    struct model *m;
    struct sm_error *err;
    /* where errors and objects are found in the text: the element being
     * read (its path "datasets[3]" and its first byte) */
    const struct src *s;
    const struct span *spans;           /* the top-level sections */
    size_t elem_pos;
    struct model_json_locs *locs;       /* NULL: not wanted */
    /* line and column at byte lc_pos, so that noting objects in file order
     * scans the text once */
    size_t lc_pos;
    int lc_line, lc_col;
};

static bool locate_path(const struct rd *r, const char *path, int *line, int *col);
static int bad_key(struct rd *r, const char *path, const char *key, const char *msg);

static int
bad(struct rd *r, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
bad(struct rd *r, const char *path, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    int line, col;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!*path)
        return sm_error_set(r->err, SM_EPARSE, "%s: %s", r->name, msg);
    /* file:line:col of the value the path names, as editors and CI
     * annotations want it; the path stays, it says which value */
    if (locate_path(r, path, &line, &col))
        return sm_error_set(r->err, SM_EPARSE, "%s:%d:%d: %s: %s", r->name, line, col, path,
                            msg);
    return sm_error_set(r->err, SM_EPARSE, "%s: %s: %s", r->name, path, msg);
}

static const char *
type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:  return "an object";
    case JSON_ARRAY:   return "a list";
    case JSON_STRING:  return "a string";
    case JSON_INTEGER: return "a whole number";
    case JSON_REAL:    return "a number";
    case JSON_TRUE:
    case JSON_FALSE:   return "true or false";
    default:           return "null";
    }
}

/* Only the known keys; keys[] is NULL-terminated. */
static int
known_keys(struct rd *r, json_t *o, const char *path, const char *const *keys)
{
    const char *k;
    json_t *v;

    json_object_foreach(o, k, v) {
        bool ok = false;
        const char *best = NULL;
        int bestd = 3;
        for (const char *const *p = keys; *p && !ok; p++) {
            int d = sm_levenshtein(k, *p, 2);
            ok = strcmp(k, *p) == 0;
            if (d < bestd) {
                bestd = d;
                best = *p;
            }
        }
        if (!ok) {
            char msg[200];
            if (best)
                snprintf(msg, sizeof msg, "unknown key \"%.60s\"; did you mean \"%s\"?", k, best);
            else
                snprintf(msg, sizeof msg, "unknown key \"%.60s\"", k);
            return bad_key(r, path, k, msg);
        }
    }
    return SM_OK;
}

static void
sub(char *out, size_t size, const char *path, const char *key)
{
    if (*path)
        snprintf(out, size, "%s.%s", path, key);
    else
        snprintf(out, size, "%s", key);
}

static void
idx(char *out, size_t size, const char *path, size_t i)
{
    snprintf(out, size, "%s[%zu]", path, i);
}

/* A string (null allowed when nullable: gives ""). Absent gives def. */
static int
get_str(struct rd *r, json_t *o, const char *path, const char *key, bool required,
        bool nullable, const char *def, const char **out)
{
    json_t *v = json_object_get(o, key);
    char p[512];

    sub(p, sizeof p, path, key);
    if (!v) {
        if (required)
            return bad(r, p, "missing");
        *out = def;
        return SM_OK;
    }
    if (json_is_null(v) && nullable) {
        *out = "";
        return SM_OK;
    }
    if (!json_is_string(v))
        return bad(r, p, "must be a string%s, not %s", nullable ? " or null" : "", type_name(v));
    *out = json_string_value(v);
    if (strlen(*out) != json_string_length(v))
        return bad(r, p, "must not contain NUL characters");
    return SM_OK;
}

static int
get_bool(struct rd *r, json_t *o, const char *path, const char *key, uint8_t *out)
{
    json_t *v = json_object_get(o, key);
    char p[512];

    if (!v) {
        *out = 0;
        return SM_OK;
    }
    if (!json_is_boolean(v)) {
        sub(p, sizeof p, path, key);
        return bad(r, p, "must be true or false, not %s", type_name(v));
    }
    *out = json_is_true(v);
    return SM_OK;
}

static int
get_int(struct rd *r, json_t *o, const char *path, const char *key, bool nullable,
        int32_t def, int32_t min, int32_t *out)
{
    json_t *v = json_object_get(o, key);
    char p[512];
    json_int_t x;

    sub(p, sizeof p, path, key);
    if (!v || (nullable && json_is_null(v))) {
        *out = v ? SM_NONE : def;
        return SM_OK;
    }
    if (!json_is_integer(v))
        return bad(r, p, "must be a whole number%s, not %s", nullable ? " or null" : "",
                   type_name(v));
    x = json_integer_value(v);
    if (x < min || x > INT32_MAX)
        return bad(r, p, "%lld is out of range", (long long)x);
    *out = (int32_t)x;
    return SM_OK;
}

static int
get_date(struct rd *r, json_t *o, const char *path, const char *key, int32_t *out)
{
    const char *s;
    char p[512];
    int rc;

    if ((rc = get_str(r, o, path, key, false, true, "", &s)))
        return rc;
    *out = 0;
    if (*s && sm_date_parse(s, out)) {
        sub(p, sizeof p, path, key);
        return bad(r, p, "bad date %.40s: use YYYY-MM-DD", s);
    }
    return SM_OK;
}

static int
get_enum(struct rd *r, json_t *o, const char *path, const char *key, const char *const *names,
         int n, const char *def, bool nullable, uint8_t *out)
{
    const char *s;
    char p[512], list[256];
    size_t at = 0;
    int e, rc;

    if ((rc = get_str(r, o, path, key, false, nullable, def, &s)))
        return rc;
    e = model_enum_parse(names, n, s);
    if (e == SM_NONE || (!*s && !nullable)) {
        list[0] = '\0';
        for (int i = 0; i < n; i++)
            if (*names[i])
                at += (size_t)snprintf(list + at, at < sizeof list ? sizeof list - at : 0,
                                       "%s%s", at ? ", " : "", names[i]);
        sub(p, sizeof p, path, key);
        return bad(r, p, "unknown %s %.60s: use %s", key, s, list);
    }
    *out = (uint8_t)e;
    return SM_OK;
}

static int
get_array(struct rd *r, json_t *o, const char *path, const char *key, json_t **out)
{
    json_t *v = json_object_get(o, key);
    char p[512];

    *out = NULL;
    if (!v || json_is_null(v))
        return SM_OK;
    if (!json_is_array(v)) {
        sub(p, sizeof p, path, key);
        return bad(r, p, "must be a list, not %s", type_name(v));
    }
    *out = v;
    return SM_OK;
}

static int
get_object(struct rd *r, json_t *v, const char *path)
{
    return json_is_object(v) ? SM_OK : bad(r, path, "must be an object, not %s", type_name(v));
}

/* Resolve a reference; the model's "unknown X; did you mean Y?" message. */
static int
find(struct rd *r, enum obj_kind kind, const char *sel, const char *path, int32_t *out)
{
    struct sm_error e2 = { 0 };

    if (model_find(r->m, kind, sel, out, &e2))
        return bad(r, path, "%s", e2.msg);
    return SM_OK;
}

static int
model_err(struct rd *r, const char *path, const struct sm_error *e2)
{
    return bad(r, path, "%s", e2->msg);
}

/* A list of strings into an arena strv. */
static int
get_strv(struct rd *r, json_t *o, const char *path, const char *key, struct sm_strv *out)
{
    json_t *a, *v;
    char p[512];
    size_t i;
    int rc;

    out->n = 0;
    out->v = NULL;
    if ((rc = get_array(r, o, path, key, &a)) || !a)
        return rc;
    out->v = sm_arena_alloc(&r->m->arena, (json_array_size(a) + 1) * sizeof *out->v);
    if (!out->v)
        return sm_error_set(r->err, SM_ENOMEM, "out of memory");
    json_array_foreach(a, i, v) {
        char kp[512];
        sub(kp, sizeof kp, path, key);
        idx(p, sizeof p, kp, i);
        if (!json_is_string(v))
            return bad(r, p, "must be a string, not %s", type_name(v));
        if (!json_string_length(v) || strlen(json_string_value(v)) != json_string_length(v))
            return bad(r, p, "must be a non-empty string");
        for (const char *c = json_string_value(v); *c; c++)
            if (*c == ',' || *c == ' ' || *c == '\t' || *c == '\n' || *c == ';')
                return bad(r, p, "\"%.60s\": names here cannot hold blanks, commas or ';'",
                           json_string_value(v));
        if (!(out->v[out->n++] = model_str(r->m, json_string_value(v))))
            return sm_error_set(r->err, SM_ENOMEM, "out of memory");
    }
    return SM_OK;
}

static int
read_region(struct rd *r, json_t *o, const char *path)
{
    static const char *const keys[] = { "id", "kind", "country", "city", "operator", "name",
                                        "members", NULL };
    const char *id, *country, *op, *city, *name;
    struct sm_ccset set;
    struct region reg;
    struct sm_error e2 = { 0 };
    json_t *mem, *v;
    char p[512];
    size_t i;
    int rc;

    if ((rc = get_object(r, o, path)) || (rc = known_keys(r, o, path, keys)) ||
        (rc = get_str(r, o, path, "id", true, false, "", &id)) ||
        (rc = get_str(r, o, path, "country", false, true, "", &country)) ||
        (rc = get_str(r, o, path, "operator", false, true, "", &op)) ||
        (rc = get_str(r, o, path, "city", false, false, "", &city)) ||
        (rc = get_str(r, o, path, "name", false, false, "", &name)))
        return rc;
    sub(p, sizeof p, path, "id");
    if (!model_region_id_ok(id))
        return bad(r, p, "bad region id \"%.60s\": write provider:code without blanks, "
                   "commas, @ or /", id);
    if (model_region(r->m, id) != SM_NONE)
        return bad(r, p, r->m->regions[model_region(r->m, id)].builtin ?
                   "region %.80s is shipped with sovmap; do not redefine it" :
                   "region %.80s is defined twice", id);
    model_region_init(&reg);
    reg.id = id;
    reg.city = city;
    reg.name = name;
    if ((rc = get_enum(r, o, path, "kind", region_kind_names, REGION_KIND_COUNT, "on-prem",
                       false, &reg.kind)))
        return rc;
    sub(p, sizeof p, path, "country");
    if (*country && (reg.country = sm_cc(country)) == SM_NONE)
        return bad(r, p, "bad country %.40s: use a two-letter ISO code", country);
    sub(p, sizeof p, path, "operator");
    if (*op && (reg.operator_home = sm_cc(op)) == SM_NONE)
        return bad(r, p, "bad operator %.40s: use a two-letter ISO code (EU allowed)", op);
    if ((rc = get_array(r, o, path, "members", &mem)))
        return rc;
    memset(&set, 0, sizeof set);
    if (mem)
        json_array_foreach(mem, i, v) {
            const char *cc = json_string_value(v);
            char kp[512];
            sub(kp, sizeof kp, path, "members");
            idx(p, sizeof p, kp, i);
            if (cc && strcmp(cc, "*") == 0)
                reg.global = 1;
            else if (!cc || sm_cc(cc) == SM_NONE)
                return bad(r, p, "bad country %.40s: use a two-letter ISO code or *",
                           cc ? cc : type_name(v));
            else
                sm_ccset_add(&set, sm_cc(cc));
        }
    if (!sm_ccset_empty(&set))
        reg.members = &set;
    if (model_add_region(r->m, &reg, NULL, &e2))
        return model_err(r, path, &e2);
    return SM_OK;
}

static int
read_tier(struct rd *r, json_t *o, const char *path)
{
    static const char *const keys[] = { "name", "rank", "personal", "scope", "backup_scope",
                                        "key_scope", "approved", "encryption_at_rest",
                                        "transit_encryption", "sovereign",
                                        "retention_min_days", "retention_max_days",
                                        "description", NULL };
    struct sm_error e2 = { 0 };
    struct tier t;
    char p[512], kp[512];
    int rc;

    model_tier_init(&t);
    if ((rc = get_object(r, o, path)) || (rc = known_keys(r, o, path, keys)) ||
        (rc = get_str(r, o, path, "name", true, false, "", &t.name)) ||
        (rc = get_int(r, o, path, "rank", false, 0, INT32_MIN + 1, &t.rank)) ||
        (rc = get_bool(r, o, path, "personal", &t.personal)) ||
        (rc = get_enum(r, o, path, "scope", scope_names, SCOPE_COUNT, "global", false,
                       &t.scope)) ||
        (rc = get_enum(r, o, path, "backup_scope", scope_names, SCOPE_COUNT, "global", false,
                       &t.backup_scope)) ||
        (rc = get_enum(r, o, path, "key_scope", scope_names, SCOPE_COUNT, "global", false,
                       &t.key_scope)) ||
        (rc = get_strv(r, o, path, "approved", &t.approved)) ||
        (rc = get_bool(r, o, path, "encryption_at_rest", &t.encryption_at_rest)) ||
        (rc = get_bool(r, o, path, "transit_encryption", &t.transit_encryption)) ||
        (rc = get_bool(r, o, path, "sovereign", &t.sovereign)) ||
        (rc = get_int(r, o, path, "retention_min_days", true, SM_NONE, 0,
                      &t.retention_min_days)) ||
        (rc = get_int(r, o, path, "retention_max_days", true, SM_NONE, 0,
                      &t.retention_max_days)) ||
        (rc = get_str(r, o, path, "description", false, false, "", &t.description)))
        return rc;
    sub(p, sizeof p, path, "name");
    if (!*t.name)
        return bad(r, p, "a tier needs a name");
    for (uint32_t i = 0; i < t.approved.n; i++) {
        int32_t dummy;
        sub(kp, sizeof kp, path, "approved");
        idx(p, sizeof p, kp, i);
        if ((rc = find(r, OBJ_REGION, t.approved.v[i], p, &dummy)))
            return rc;
    }
    if (model_add_tier(r->m, &t, NULL, &e2))
        return model_err(r, path, &e2);
    return SM_OK;
}

static int
read_tag(struct rd *r, json_t *o, const char *path, int32_t d, int32_t f)
{
    static const char *const keys[] = { "tag", "source", "entity", "time", NULL };
    const char *tag, *source, *entity, *time;
    struct sm_error e2 = { 0 };
    int32_t before = r->m->ntags, id;
    int rc;

    if ((rc = get_object(r, o, path)) || (rc = known_keys(r, o, path, keys)) ||
        (rc = get_str(r, o, path, "tag", true, false, "", &tag)) ||
        (rc = get_str(r, o, path, "source", false, false, "", &source)) ||
        (rc = get_str(r, o, path, "entity", false, false, "", &entity)) ||
        (rc = get_str(r, o, path, "time", false, false, "", &time)))
        return rc;
    if (model_add_tag(r->m, d, f, tag, source, entity, time, &id, &e2))
        return model_err(r, path, &e2);
    if (r->m->ntags == before)
        return bad(r, path, "tag %.80s is given twice", tag);
    return SM_OK;
}

static int
read_placement(struct rd *r, json_t *o, const char *path, int32_t d)
{
    static const char *const keys[] = { "region", "role", "encrypted", "key_region",
                                        "mechanism", "mechanism_ref", NULL };
    const char *region, *key, *ref;
    struct sm_error e2 = { 0 };
    struct placement p;
    char kp[512];
    int rc;

    model_placement_init(&p);
    p.dataset = d;
    if ((rc = get_object(r, o, path)) || (rc = known_keys(r, o, path, keys)) ||
        (rc = get_str(r, o, path, "region", true, false, "", &region)) ||
        (rc = get_enum(r, o, path, "role", role_names, ROLE_COUNT, "primary", false, &p.role)) ||
        (rc = get_bool(r, o, path, "encrypted", &p.encrypted)) ||
        (rc = get_str(r, o, path, "key_region", false, true, "", &key)) ||
        (rc = get_enum(r, o, path, "mechanism", mechanism_names, MECH_COUNT, "", true,
                       &p.mechanism)) ||
        (rc = get_str(r, o, path, "mechanism_ref", false, true, "", &ref)))
        return rc;
    sub(kp, sizeof kp, path, "region");
    if ((rc = find(r, OBJ_REGION, region, kp, &p.region)))
        return rc;
    sub(kp, sizeof kp, path, "key_region");
    if (*key && (rc = find(r, OBJ_REGION, key, kp, &p.key_region)))
        return rc;
    p.mechanism_ref = ref;
    if (model_add_placement(r->m, &p, NULL, &e2))
        return model_err(r, path, &e2);
    return SM_OK;
}

static int
read_dataset(struct rd *r, json_t *o, const char *path)
{
    static const char *const keys[] = { "name", "system", "tier", "subjects", "owner",
                                        "retention_days", "public_sector", "source",
                                        "description", "purpose", "legal_basis", "fields",
                                        "tags", "placements", NULL };
    static const char *const fkeys[] = { "name", "tags", NULL };
    struct sm_error e2 = { 0 };
    struct dataset d;
    const char *tier;
    json_t *subj, *fields, *tags, *pls, *v, *tv;
    char p[512], kp[512], tp[512];
    size_t i, k;
    int32_t id;
    int rc;

    model_dataset_init(&d);
    if ((rc = get_object(r, o, path)) || (rc = known_keys(r, o, path, keys)) ||
        (rc = get_str(r, o, path, "name", true, false, "", &d.name)) ||
        (rc = get_str(r, o, path, "system", false, false, "", &d.system)) ||
        (rc = get_str(r, o, path, "tier", false, true, "", &tier)) ||
        (rc = get_array(r, o, path, "subjects", &subj)) ||
        (rc = get_str(r, o, path, "owner", false, false, "", &d.owner)) ||
        (rc = get_int(r, o, path, "retention_days", true, SM_NONE, 0, &d.retention_days)) ||
        (rc = get_bool(r, o, path, "public_sector", &d.public_sector)) ||
        (rc = get_str(r, o, path, "source", false, false, "", &d.source_ref)) ||
        (rc = get_str(r, o, path, "description", false, false, "", &d.description)) ||
        (rc = get_str(r, o, path, "purpose", false, false, "", &d.purpose)) ||
        (rc = get_enum(r, o, path, "legal_basis", legal_basis_names, LB_COUNT, "", true,
                       &d.legal_basis)) ||
        (rc = get_array(r, o, path, "fields", &fields)) ||
        (rc = get_array(r, o, path, "tags", &tags)) ||
        (rc = get_array(r, o, path, "placements", &pls)))
        return rc;
    sub(p, sizeof p, path, "name");
    if (!*d.name)
        return bad(r, p, "a dataset needs a name");
    if (model_dataset(r->m, d.name) != SM_NONE)
        return bad(r, p, "dataset %.80s is defined twice", d.name);
    sub(p, sizeof p, path, "tier");
    if (*tier && (rc = find(r, OBJ_TIER, tier, p, &d.tier)))
        return rc;
    if (subj)
        json_array_foreach(subj, i, v) {
            const char *cc = json_string_value(v);
            int c;
            sub(kp, sizeof kp, path, "subjects");
            idx(p, sizeof p, kp, i);
            if (!cc || (c = sm_cc(cc)) == SM_NONE)
                return bad(r, p, "bad jurisdiction %.40s: use a two-letter code such as EU, "
                           "DE, BR", cc ? cc : type_name(v));
            for (uint8_t s = 0; s < d.nsubjects; s++)
                if (d.subjects[s] == c)
                    return bad(r, p, "%s is given twice", cc);
            if (d.nsubjects == MODEL_MAX_SUBJECTS)
                return bad(r, p, "at most %d subject jurisdictions", MODEL_MAX_SUBJECTS);
            d.subjects[d.nsubjects++] = (uint16_t)c;
        }
    if (model_add_dataset(r->m, &d, &id, &e2))
        return model_err(r, path, &e2);
    if (fields)
        json_array_foreach(fields, i, v) {
            const char *fname;
            json_t *ftags;
            int32_t f, nbefore = r->m->nfields;
            sub(kp, sizeof kp, path, "fields");
            idx(p, sizeof p, kp, i);
            if ((rc = get_object(r, v, p)) || (rc = known_keys(r, v, p, fkeys)) ||
                (rc = get_str(r, v, p, "name", true, false, "", &fname)) ||
                (rc = get_array(r, v, p, "tags", &ftags)))
                return rc;
            if (model_add_field(r->m, id, fname, &f, &e2))
                return model_err(r, p, &e2);
            if (r->m->nfields == nbefore)
                return bad(r, p, "field %.80s is given twice", fname);
            if (ftags)
                json_array_foreach(ftags, k, tv) {
                    sub(tp, sizeof tp, p, "tags");
                    idx(kp, sizeof kp, tp, k);
                    if ((rc = read_tag(r, tv, kp, id, f)))
                        return rc;
                }
        }
    if (tags)
        json_array_foreach(tags, i, v) {
            sub(kp, sizeof kp, path, "tags");
            idx(p, sizeof p, kp, i);
            if ((rc = read_tag(r, v, p, id, SM_NONE)))
                return rc;
        }
    if (pls)
        json_array_foreach(pls, i, v) {
            sub(kp, sizeof kp, path, "placements");
            idx(p, sizeof p, kp, i);
            if ((rc = read_placement(r, v, p, id)))
                return rc;
        }
    return SM_OK;
}

static int
read_flow(struct rd *r, json_t *o, const char *path)
{
    static const char *const keys[] = { "name", "from", "to", "to_region", "kind", "fields",
                                        "transforms", "mechanism", "mechanism_ref",
                                        "valid_from", "valid_to", "transit_encrypted",
                                        "public_recipient", NULL };
    struct transform *tx = NULL;
    struct sm_error e2 = { 0 };
    const char *from, *to, *to_region, *ref;
    json_t *xs, *v;
    struct flow f;
    char p[512], kp[512];
    size_t i;
    int rc;

    model_flow_init(&f);
    if ((rc = get_object(r, o, path)) || (rc = known_keys(r, o, path, keys)) ||
        (rc = get_str(r, o, path, "name", false, false, "", &f.name)) ||
        (rc = get_str(r, o, path, "from", true, false, "", &from)) ||
        (rc = get_str(r, o, path, "to", false, true, "", &to)) ||
        (rc = get_str(r, o, path, "to_region", false, true, "", &to_region)) ||
        (rc = get_enum(r, o, path, "kind", flow_kind_names, FLOW_KIND_COUNT, "replication",
                       false, &f.kind)) ||
        (rc = get_strv(r, o, path, "fields", &f.fields)) ||
        (rc = get_array(r, o, path, "transforms", &xs)) ||
        (rc = get_enum(r, o, path, "mechanism", mechanism_names, MECH_COUNT, "", true,
                       &f.mechanism)) ||
        (rc = get_str(r, o, path, "mechanism_ref", false, true, "", &ref)) ||
        (rc = get_date(r, o, path, "valid_from", &f.valid_from)) ||
        (rc = get_date(r, o, path, "valid_to", &f.valid_to)) ||
        (rc = get_bool(r, o, path, "transit_encrypted", &f.transit_encrypted)) ||
        (rc = get_bool(r, o, path, "public_recipient", &f.public_recipient)))
        return rc;
    f.mechanism_ref = ref;
    sub(p, sizeof p, path, "name");
    if (*f.name && model_flow(r->m, f.name) != SM_NONE)
        return bad(r, p, "flow %.80s is defined twice", f.name);
    sub(p, sizeof p, path, "from");
    if ((rc = find(r, OBJ_PLACEMENT, from, p, &f.from)))
        return rc;
    sub(p, sizeof p, path, "to");
    if (*to && (rc = find(r, OBJ_PLACEMENT, to, p, &f.to)))
        return rc;
    sub(p, sizeof p, path, "to_region");
    if (*to_region && (rc = find(r, OBJ_REGION, to_region, p, &f.to_region)))
        return rc;
    if (*to && *to_region)
        return bad(r, path, "give to or to_region, not both");
    if (!*to && !*to_region)
        return bad(r, path, "a flow needs to (a copy) or to_region (an export)");
    if (xs && json_array_size(xs)) {
        tx = sm_arena_alloc(&r->m->arena, json_array_size(xs) * sizeof *tx);
        if (!tx)
            return sm_error_set(r->err, SM_ENOMEM, "out of memory");
        json_array_foreach(xs, i, v) {
            struct transform *one;
            uint32_t n;
            sub(kp, sizeof kp, path, "transforms");
            idx(p, sizeof p, kp, i);
            if (!json_is_string(v))
                return bad(r, p, "must be a string such as \"mask email phone\", not %s",
                           type_name(v));
            if (strchr(json_string_value(v), ';'))
                return bad(r, p, "one transform per string (no ';')");
            if (model_parse_transforms(r->m, json_string_value(v), &one, &n, &e2))
                return model_err(r, p, &e2);
            if (n != 1)
                return bad(r, p, "one transform per string");
            tx[f.ntransforms++] = one[0];
        }
    }
    f.transforms = tx;
    if (model_add_flow(r->m, &f, NULL, &e2))
        return model_err(r, path, &e2);
    return SM_OK;
}

static int
read_waiver(struct rd *r, json_t *o, const char *path)
{
    static const char *const keys[] = { "rule", "object", "owner", "reason", "expires", NULL };
    struct sm_error e2 = { 0 };
    struct waiver w;
    int rc;

    memset(&w, 0, sizeof w);
    if ((rc = get_object(r, o, path)) || (rc = known_keys(r, o, path, keys)) ||
        (rc = get_str(r, o, path, "rule", true, false, "", &w.rule)) ||
        (rc = get_str(r, o, path, "object", true, false, "", &w.object)) ||
        (rc = get_str(r, o, path, "owner", false, false, "", &w.owner)) ||
        (rc = get_str(r, o, path, "reason", false, false, "", &w.reason)) ||
        (rc = get_date(r, o, path, "expires", &w.expires)))
        return rc;
    if (model_add_waiver(r->m, &w, NULL, &e2))
        return model_err(r, path, &e2);
    return SM_OK;
}

static int
read_scenario(struct rd *r, json_t *o, const char *path, int32_t *id)
{
    static const char *const keys[] = { "name", "base", "description", "ops", NULL };
    struct sm_error e2 = { 0 };
    struct scenario s;
    json_t *ops, *op, *v;
    char p[512], kp[512];
    size_t i, k;
    int rc;

    memset(&s, 0, sizeof s);
    if ((rc = get_object(r, o, path)) || (rc = known_keys(r, o, path, keys)) ||
        (rc = get_str(r, o, path, "name", true, false, "", &s.name)) ||
        (rc = get_str(r, o, path, "description", false, false, "", &s.description)) ||
        (rc = get_array(r, o, path, "ops", &ops)))
        return rc;
    s.base = "";        /* set once every scenario exists */
    if (model_add_scenario(r->m, &s, id, &e2))
        return model_err(r, path, &e2);
    if (ops)
        json_array_foreach(ops, i, op) {
            const char *argv[64];
            sub(kp, sizeof kp, path, "ops");
            idx(p, sizeof p, kp, i);
            if (!json_is_array(op) || !json_array_size(op) || json_array_size(op) > 64)
                return bad(r, p, "an op is a list of strings: [\"move\", \"orders\", ...]");
            json_array_foreach(op, k, v) {
                if (!json_is_string(v))
                    return bad(r, p, "an op is a list of strings, not %s", type_name(v));
                argv[k] = json_string_value(v);
            }
            {
                /* the op's name and argument count now, not at the first
                 * check --scenario (references: import model checks them) */
                enum scenario_op sop;
                if (scenario_op_parse((int)json_array_size(op), argv, &sop, &e2))
                    return bad(r, p, "%s", e2.msg);
            }
            if (model_scenario_append(r->m, *id, (int)json_array_size(op), argv, &e2))
                return model_err(r, p, &e2);
        }
    return SM_OK;
}

/* ---- streaming the top level --------------------------------------------------- */
/* A million-dataset model is a 1.5 GB text: its JSON tree would not fit. The
 * top-level object is scanned by hand (values skipped by bracket matching,
 * strings respected), then each section is read in the canonical order one
 * element at a time with json_loadb(JSON_DISABLE_EOF_CHECK). */

enum section { SEC_SOVMAP, SEC_RULE_PACK, SEC_REGIONS, SEC_TIERS, SEC_DATASETS, SEC_FLOWS,
               SEC_WAIVERS, SEC_SCENARIOS, SEC_COUNT };

static const char *const section_names[SEC_COUNT] = {
    "sovmap", "rule_pack", "regions", "tiers", "datasets", "flows", "waivers", "scenarios"
};

struct span {
    size_t start, end;          /* the value's bytes */
    bool seen;
};

struct src {
    const char *t;
    size_t len;
};

static void
linecol(const struct src *s, size_t pos, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < pos && i < s->len; i++) {
        if (s->t[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)s->t[i] & 0xc0) != 0x80) {
            (*col)++;
        }
    }
}

static int
syntax_at(struct rd *r, const struct src *s, size_t pos, const char *msg)
{
    int line, col;

    linecol(s, pos, &line, &col);
    return sm_error_set(r->err, SM_EPARSE, "%s:%d:%d: %s", r->name, line, col, msg);
}

static size_t
skip_ws(const struct src *s, size_t p)
{
    while (p < s->len && (s->t[p] == ' ' || s->t[p] == '\t' || s->t[p] == '\n' ||
                          s->t[p] == '\r'))
        p++;
    return p;
}

/* End of the JSON value at p (loosely: jansson checks it when it is read),
 * or SIZE_MAX when it runs off the end. */
static size_t
skip_value(const struct src *s, size_t p)
{
    int depth = 0;

    while (p < s->len) {
        char c = s->t[p];
        if (c == '"') {
            for (p++; p < s->len && s->t[p] != '"'; p++)
                if (s->t[p] == '\\')
                    p++;
            if (p >= s->len)
                return SIZE_MAX;
            p++;
        } else if (c == '[' || c == '{') {
            depth++;
            p++;
        } else if (c == ']' || c == '}') {
            if (!depth)
                return p;
            depth--;
            p++;
        } else if (!depth && (c == ',' || c == ' ' || c == '\n' || c == '\t' || c == '\r')) {
            return p;
        } else {
            p++;
        }
        if (!depth && (c == '"' || c == ']' || c == '}'))
            return p;
    }
    return depth ? SIZE_MAX : p;
}

/* Parse one JSON value at p (not beyond end); *next is where it stopped. */
static json_t *
load_at(struct rd *r, const struct src *s, size_t p, size_t end, size_t *next)
{
    json_error_t jerr;
    json_t *v = json_loadb(s->t + p, end - p,
                           JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES,
                           &jerr);
    int line, col;

    if (!v) {
        linecol(s, p, &line, &col);
        if (jerr.line <= 1)
            col += jerr.column > 0 ? jerr.column - 1 : 0;
        else {
            line += jerr.line - 1;
            col = jerr.column;
        }
        sm_error_set(r->err, SM_EPARSE, "%s:%d:%d: %s", r->name, line, col, jerr.text);
        return NULL;
    }
    *next = p + jerr.position;
    return v;
}

/* ---- where things are: line and column of a path ------------------------------- */
/* The text was parsed by jansson before any of this runs on it, so a light
 * walk suffices: members by key (decoded, so an escaped key or a hostile
 * name inside a string cannot mislead it), elements by index. */

/* Does the string literal at p (s->t[p] == '"') spell key? *end gets the
 * byte after it, SIZE_MAX when it runs off the end. */
static bool
key_is(const struct src *s, size_t p, const char *key, size_t *end)
{
    size_t q = p + 1, klen = strlen(key);
    bool esc = false, eq;
    json_t *v;

    while (q < s->len && s->t[q] != '"') {
        if (s->t[q] == '\\') {
            esc = true;
            q++;
        }
        q++;
    }
    if (q >= s->len) {
        *end = SIZE_MAX;
        return false;
    }
    *end = q + 1;
    if (!esc)
        return q - p - 1 == klen && memcmp(s->t + p + 1, key, klen) == 0;
    v = json_loadb(s->t + p, q + 1 - p, JSON_DECODE_ANY, NULL);
    eq = v && json_is_string(v) && json_string_length(v) == klen &&
         memcmp(json_string_value(v), key, klen) == 0;
    json_decref(v);
    return eq;
}

/* The value of member key of the object at p (*keypos: its key), or
 * SIZE_MAX. */
static size_t
member_at(const struct src *s, size_t p, const char *key, size_t *keypos)
{
    size_t end;
    bool hit;

    p = skip_ws(s, p);
    if (p >= s->len || s->t[p] != '{')
        return SIZE_MAX;
    p = skip_ws(s, p + 1);
    while (p < s->len && s->t[p] == '"') {
        if (keypos)
            *keypos = p;
        hit = key_is(s, p, key, &end);
        if (end == SIZE_MAX)
            return SIZE_MAX;
        p = skip_ws(s, end);
        if (p >= s->len || s->t[p] != ':')
            return SIZE_MAX;
        p = skip_ws(s, p + 1);
        if (hit)
            return p;
        if ((p = skip_value(s, p)) == SIZE_MAX)
            return SIZE_MAX;
        p = skip_ws(s, p);
        if (p >= s->len || s->t[p] != ',')
            return SIZE_MAX;
        p = skip_ws(s, p + 1);
    }
    return SIZE_MAX;
}

/* Element i of the list at p, or SIZE_MAX. */
static size_t
element_at(const struct src *s, size_t p, size_t i)
{
    p = skip_ws(s, p);
    if (p >= s->len || s->t[p] != '[')
        return SIZE_MAX;
    p = skip_ws(s, p + 1);
    for (size_t k = 0; k < i; k++) {
        if (p >= s->len || s->t[p] == ']' || (p = skip_value(s, p)) == SIZE_MAX)
            return SIZE_MAX;
        p = skip_ws(s, p);
        if (p >= s->len || s->t[p] != ',')
            return SIZE_MAX;
        p = skip_ws(s, p + 1);
    }
    return p < s->len && s->t[p] != ']' ? p : SIZE_MAX;
}

/* Follow ".key" and "[n]" steps from the value at p. */
static size_t
locate(const struct src *s, size_t p, const char *path)
{
    char key[64];

    while (*path && p != SIZE_MAX) {
        if (*path == '[') {
            char *e;
            unsigned long long n = strtoull(path + 1, &e, 10);
            if (*e != ']')
                return SIZE_MAX;
            p = element_at(s, p, (size_t)n);
            path = e + 1;
        } else if (*path == '.') {
            size_t n = strcspn(path + 1, ".[");
            if (n >= sizeof key)
                return SIZE_MAX;
            memcpy(key, path + 1, n);
            key[n] = '\0';
            p = member_at(s, p, key, NULL);
            path += 1 + n;
        } else {
            return SIZE_MAX;
        }
    }
    return p;
}

/* Where the value a reader's path ("datasets[3].tier") names starts, or
 * SIZE_MAX. */
static size_t
path_pos(const struct rd *r, const char *path)
{
    size_t n = strcspn(path, ".[");

    if (!r->s || !r->spans)
        return SIZE_MAX;
    for (int sec = 0; sec < SEC_COUNT; sec++)
        if (strlen(section_names[sec]) == n && !memcmp(section_names[sec], path, n) &&
            r->spans[sec].seen)
            return locate(r->s, r->spans[sec].start, path + n);
    return SIZE_MAX;
}

static bool
locate_path(const struct rd *r, const char *path, int *line, int *col)
{
    size_t p = path_pos(r, path);

    if (p == SIZE_MAX)
        return false;
    linecol(r->s, p, line, col);
    return true;
}

/* An unknown key: reported at the key itself. */
static int
bad_key(struct rd *r, const char *path, const char *key, const char *msg)
{
    size_t p = path_pos(r, path), kp = SIZE_MAX;
    int line, col;

    if (p != SIZE_MAX && member_at(r->s, p, key, &kp) != SIZE_MAX && kp != SIZE_MAX) {
        linecol(r->s, kp, &line, &col);
        return sm_error_set(r->err, SM_EPARSE, "%s:%d:%d: %s: %s", r->name, line, col, path,
                            msg);
    }
    return bad(r, path, "%s", msg);
}

/* Remember where object (kind, id) is: member key of the object at p (its
 * '{' when it has no such member). */
static int
note(struct rd *r, enum obj_kind kind, int32_t id, size_t p, const char *key)
{
    struct model_json_locs *l = r->locs;
    struct model_json_loc *at;
    size_t kp = SIZE_MAX;
    int32_t cap;

    if (!l || id < 0)
        return SM_OK;
    if (id >= l->n[kind]) {
        cap = l->n[kind];
        if (sm_grow((void **)&l->at[kind], &cap, id + 1, sizeof *l->at[kind]))
            return sm_error_set(r->err, SM_ENOMEM, "out of memory");
        memset(l->at[kind] + l->n[kind], 0, (size_t)(cap - l->n[kind]) * sizeof *l->at[kind]);
        l->n[kind] = cap;
    }
    if (member_at(r->s, p, key, &kp) == SIZE_MAX || kp == SIZE_MAX)
        kp = skip_ws(r->s, p);
    /* forward from the last place noted (objects come in file order) */
    if (kp < r->lc_pos || !r->lc_line) {
        r->lc_pos = 0;
        r->lc_line = r->lc_col = 1;
    }
    for (size_t i = r->lc_pos; i < kp && i < r->s->len; i++) {
        if (r->s->t[i] == '\n') {
            r->lc_line++;
            r->lc_col = 1;
        } else if (((unsigned char)r->s->t[i] & 0xc0) != 0x80) {
            r->lc_col++;
        }
    }
    r->lc_pos = kp;
    at = &l->at[kind][id];
    at->line = r->lc_line;
    at->col = r->lc_col;
    return SM_OK;
}

static int
note_all(struct rd *r, enum obj_kind kind, int32_t from, int32_t to, const char *key)
{
    int rc = SM_OK;

    for (int32_t id = from; id < to && !rc; id++)
        rc = note(r, kind, id, r->elem_pos, key);
    return rc;
}

/* The whole text through jansson, to report its own syntax error. */
static int
syntax_error(struct rd *r, const struct src *s, size_t pos, const char *fallback)
{
    json_error_t jerr;
    json_t *v = json_loadb(s->t, s->len, JSON_REJECT_DUPLICATES, &jerr);

    if (v) {
        json_decref(v);
        return syntax_at(r, s, pos, fallback);
    }
    return sm_error_set(r->err, SM_EPARSE, "%s:%d:%d: %s", r->name, jerr.line, jerr.column,
                        jerr.text);
}

static int
scan_top(struct rd *r, const struct src *s, struct span *spans)
{
    size_t p = skip_ws(s, 0), end, next;
    json_t *key;

    if (p >= s->len || s->t[p] != '{') {
        if (p < s->len && s->t[p] == '[')
            return sm_error_set(r->err, SM_EPARSE, "%s:1:1: expected an object "
                                "{\"sovmap\": 1, ...}", r->name);
        return syntax_error(r, s, p, "expected an object {\"sovmap\": 1, ...}");
    }
    p = skip_ws(s, p + 1);
    if (p < s->len && s->t[p] == '}')
        return skip_ws(s, p + 1) == s->len ? SM_OK : syntax_error(r, s, p + 1, "end of input expected");
    for (;;) {
        const char *k;
        int sec = SM_NONE;
        size_t kpos = p;

        if (p >= s->len || s->t[p] != '"')
            return syntax_error(r, s, p, "string or '}' expected");
        if (!(key = load_at(r, s, p, s->len, &next)))
            return SM_EPARSE;
        k = json_string_value(key);
        for (int i = 0; i < SEC_COUNT; i++)
            if (strcmp(k, section_names[i]) == 0)
                sec = i;
        if (sec == SM_NONE) {
            const char *best = NULL;
            int bestd = 3;
            char msg[200];
            for (int i = 0; i < SEC_COUNT; i++) {
                int d = sm_levenshtein(k, section_names[i], 2);
                if (d < bestd) {
                    bestd = d;
                    best = section_names[i];
                }
            }
            if (best)
                snprintf(msg, sizeof msg, "unknown key \"%.60s\"; did you mean \"%s\"?", k, best);
            else
                snprintf(msg, sizeof msg, "unknown key \"%.60s\"", k);
            json_decref(key);
            return sm_error_set(r->err, SM_EPARSE, "%s: %s", r->name, msg);
        }
        json_decref(key);
        if (spans[sec].seen) {
            char msg[64];
            snprintf(msg, sizeof msg, "duplicate key \"%s\"", section_names[sec]);
            return syntax_at(r, s, kpos, msg);
        }
        p = skip_ws(s, next);
        if (p >= s->len || s->t[p] != ':')
            return syntax_error(r, s, p, "':' expected");
        p = skip_ws(s, p + 1);
        end = skip_value(s, p);
        if (end == SIZE_MAX || end == p)
            return syntax_error(r, s, p, "unexpected end of input");
        spans[sec] = (struct span){ p, end, true };
        p = skip_ws(s, end);
        if (p < s->len && s->t[p] == ',') {
            p = skip_ws(s, p + 1);
            continue;
        }
        if (p < s->len && s->t[p] == '}')
            break;
        return syntax_error(r, s, p, "',' or '}' expected");
    }
    if (skip_ws(s, p + 1) != s->len)
        return syntax_error(r, s, p + 1, "end of input expected");
    return SM_OK;
}

/* Call one() for every element of a section's list, parsing one at a time. */
static int
each_element(struct rd *r, const struct src *s, const struct span *sp, const char *key,
             int (*one)(struct rd *, json_t *, const char *, void *), void *ctx)
{
    size_t p, next, i = 0;
    char path[512];
    json_t *v;
    int rc;

    if (!sp->seen)
        return SM_OK;
    p = sp->start;
    if (sp->end - p == 4 && memcmp(s->t + p, "null", 4) == 0)
        return SM_OK;
    if (s->t[p] != '[') {
        if (!(v = load_at(r, s, p, sp->end, &next)))
            return SM_EPARSE;
        rc = bad(r, key, "must be a list, not %s", type_name(v));
        json_decref(v);
        return rc;
    }
    p = skip_ws(s, p + 1);
    if (p < sp->end && s->t[p] == ']')
        return SM_OK;
    for (;; i++) {
        if (!(v = load_at(r, s, p, sp->end, &next)))
            return SM_EPARSE;
        idx(path, sizeof path, key, i);
        r->elem_pos = p;
        rc = one(r, v, path, ctx);
        json_decref(v);
        if (rc)
            return rc;
        p = skip_ws(s, next);
        if (p < sp->end && s->t[p] == ',') {
            p = skip_ws(s, p + 1);
            continue;
        }
        if (p < sp->end && s->t[p] == ']')
            return SM_OK;
        return syntax_error(r, s, p, "',' or ']' expected");
    }
}

static int
region_cb(struct rd *r, json_t *v, const char *path, void *c)
{
    int32_t n0 = r->m->nregions;
    int rc = read_region(r, v, path);

    (void)c;
    return rc ? rc : note_all(r, OBJ_REGION, n0, r->m->nregions, "id");
}

static int
tier_cb(struct rd *r, json_t *v, const char *path, void *c)
{
    int32_t n0 = r->m->ntiers;
    int rc = read_tier(r, v, path);

    (void)c;
    return rc ? rc : note_all(r, OBJ_TIER, n0, r->m->ntiers, "name");
}

static int
dataset_cb(struct rd *r, json_t *v, const char *path, void *c)
{
    int32_t d0 = r->m->ndatasets, p0 = r->m->nplacements;
    size_t list, at;
    int rc = read_dataset(r, v, path);

    (void)c;
    if (rc || !r->locs)
        return rc;
    if ((rc = note_all(r, OBJ_DATASET, d0, r->m->ndatasets, "name")))
        return rc;
    /* the copies, one per element of "placements", in order */
    list = member_at(r->s, r->elem_pos, "placements", NULL);
    for (int32_t k = 0; list != SIZE_MAX && p0 + k < r->m->nplacements; k++) {
        if ((at = element_at(r->s, list, (size_t)k)) == SIZE_MAX)
            break;
        if ((rc = note(r, OBJ_PLACEMENT, p0 + k, at, "region")))
            return rc;
    }
    return SM_OK;
}

static int
flow_cb(struct rd *r, json_t *v, const char *path, void *c)
{
    int32_t n0 = r->m->nflows;
    int rc = read_flow(r, v, path);

    (void)c;
    return rc ? rc : note_all(r, OBJ_FLOW, n0, r->m->nflows, "name");
}

static int
waiver_cb(struct rd *r, json_t *v, const char *path, void *c)
{
    int32_t n0 = r->m->nwaivers;
    int rc = read_waiver(r, v, path);

    (void)c;
    return rc ? rc : note_all(r, OBJ_WAIVER, n0, r->m->nwaivers, "rule");
}

struct scen {
    int32_t *ids;
    size_t n, cap;
    int pass;
};

static int
scenario_cb(struct rd *r, json_t *v, const char *path, void *ctx)
{
    struct scen *sc = ctx;
    const char *base;
    char kp[512];
    int32_t b, id;
    int rc;

    if (sc->pass == 0) {
        if (sc->n == sc->cap) {
            size_t cap = sc->cap ? sc->cap * 2 : 16;
            int32_t *ni = realloc(sc->ids, cap * sizeof *ni);
            if (!ni)
                return sm_error_set(r->err, SM_ENOMEM, "out of memory");
            sc->ids = ni;
            sc->cap = cap;
        }
        if ((rc = read_scenario(r, v, path, &id)) ||
            (rc = note(r, OBJ_SCENARIO, id, r->elem_pos, "name")))
            return rc;
        sc->ids[sc->n++] = id;
        return SM_OK;
    }
    id = sc->ids[sc->n++];
    if ((rc = get_str(r, v, path, "base", false, true, "", &base)) || !*base)
        return rc;
    sub(kp, sizeof kp, path, "base");
    if ((rc = find(r, OBJ_SCENARIO, base, kp, &b)))
        return rc;
    if (b == id)
        return bad(r, kp, "a scenario cannot build on itself");
    return model_set(r->m, OBJ_SCENARIO, id, "base", base, r->err);
}

static int
read_scenarios(struct rd *r, const struct src *s, const struct span *sp)
{
    struct scen sc = { 0 };
    char p[512], kp[512];
    int rc;

    if ((rc = each_element(r, s, sp, "scenarios", scenario_cb, &sc)))
        goto out;
    sc.pass = 1;
    sc.n = 0;
    if ((rc = each_element(r, s, sp, "scenarios", scenario_cb, &sc)))
        goto out;
    /* no cycles through base */
    for (size_t i = 0; i < sc.n; i++) {
        int32_t cur = sc.ids[i];
        for (size_t steps = 0; cur != SM_NONE && *r->m->scenarios[cur].base; steps++) {
            if (steps > sc.n) {
                idx(p, sizeof p, "scenarios", i);
                sub(kp, sizeof kp, p, "base");
                rc = bad(r, kp, "scenarios build on each other in a cycle");
                goto out;
            }
            cur = model_scenario(r->m, r->m->scenarios[cur].base);
        }
    }
out:
    free(sc.ids);
    return rc;
}

int
model_json_read(const char *text, size_t len, const char *name, struct model *m,
                struct sm_error *err)
{
    return model_json_read_locs(text, len, name, m, NULL, err);
}

void
model_json_locs_fini(struct model_json_locs *locs)
{
    if (!locs)
        return;
    for (int k = 0; k < OBJ_KIND_COUNT; k++)
        free(locs->at[k]);
    memset(locs, 0, sizeof *locs);
}

const struct model_json_loc *
model_json_loc(const struct model_json_locs *locs, enum obj_kind kind, int32_t id)
{
    if (!locs || (unsigned)kind >= OBJ_KIND_COUNT || id < 0 || id >= locs->n[kind] ||
        !locs->at[kind][id].line)
        return NULL;
    return &locs->at[kind][id];
}

int
model_json_read_locs(const char *text, size_t len, const char *name, struct model *m,
                     struct model_json_locs *locs, struct sm_error *err)
{
    struct rd r = { .name = name ? name : "model.json", .m = m, .err = err, .locs = locs };
    struct src s = { text, len };
    struct span spans[SEC_COUNT];
    size_t next;
    json_t *v;
    int rc;

    memset(spans, 0, sizeof spans);
    r.s = &s;
    r.spans = spans;
    if ((rc = scan_top(&r, &s, spans)))
        return rc;
    /* the version first: a newer format is refused before anything else */
    if (!spans[SEC_SOVMAP].seen || !(v = load_at(&r, &s, spans[SEC_SOVMAP].start,
                                                  spans[SEC_SOVMAP].end, &next)))
        return spans[SEC_SOVMAP].seen ? SM_EPARSE :
               sm_error_set(err, SM_EPARSE, "%s: sovmap: missing format version: this is "
                            "not a sovmap model (expected \"sovmap\": 1)", r.name);
    if (!json_is_integer(v)) {
        json_decref(v);
        return sm_error_set(err, SM_EPARSE, "%s: sovmap: missing format version: this is not "
                            "a sovmap model (expected \"sovmap\": 1)", r.name);
    }
    if (json_integer_value(v) != MODEL_JSON_VERSION) {
        rc = sm_error_set(err, json_integer_value(v) > MODEL_JSON_VERSION ? SM_EVERSION
                          : SM_EPARSE, "%s: sovmap: format %lld is not %d (written by a "
                          "newer sovmap?)", r.name, (long long)json_integer_value(v),
                          MODEL_JSON_VERSION);
        json_decref(v);
        return rc;
    }
    json_decref(v);
    if (spans[SEC_RULE_PACK].seen) {
        json_t *o;
        const char *pack;
        if (!(v = load_at(&r, &s, spans[SEC_RULE_PACK].start, spans[SEC_RULE_PACK].end,
                          &next)))
            return SM_EPARSE;
        o = json_object();
        json_object_set_new(o, "rule_pack", v);
        rc = get_str(&r, o, "", "rule_pack", false, false, "", &pack);
        /* a catalog names a shipped or installed pack, never a file: a path
         * (/etc/passwd) would be read and quoted by every check */
        if (!rc && *pack && !rulepack_plain_name(pack))
            rc = bad(&r, "rule_pack", "not a rule pack name (letters, digits, '.', '_' "
                     "and '-'); a pack file is given with --rules PATH");
        if (!rc && !(m->rule_pack = model_str(m, pack)))
            rc = sm_error_set(err, SM_ENOMEM, "out of memory");
        json_decref(o);
        if (rc)
            return rc;
    }
    if ((rc = each_element(&r, &s, &spans[SEC_REGIONS], "regions", region_cb, NULL)) ||
        (rc = each_element(&r, &s, &spans[SEC_TIERS], "tiers", tier_cb, NULL)) ||
        (rc = each_element(&r, &s, &spans[SEC_DATASETS], "datasets", dataset_cb, NULL)) ||
        (rc = each_element(&r, &s, &spans[SEC_FLOWS], "flows", flow_cb, NULL)) ||
        (rc = each_element(&r, &s, &spans[SEC_WAIVERS], "waivers", waiver_cb, NULL)) ||
        (rc = read_scenarios(&r, &s, &spans[SEC_SCENARIOS])))
        return rc;
    return SM_OK;
}
