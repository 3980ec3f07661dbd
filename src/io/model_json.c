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
#include "model_json_int.h"
#include "rulepack.h"
#include "scenario.h"

#include <jansson.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

/* The error for a text that is not valid UTF-8, quoting its first 60 bytes
 * or so: never a character cut in two, a byte that is no character as
 * \xNN, and "…" when there is more. */
static int
bad_utf8(struct wr *w, const char *s)
{
    struct sm_text t = { 0 };
    size_t at = 0;
    int n;

    while (s[at] && at < 60) {
        if ((n = sm_utf8_len(s + at)) > 0 && sm_control_at(s + at) != 0) {
            sm_text_add(&t, "%.*s", n, s + at);
            at += (size_t)n;
        } else {
            n = (unsigned char)s[at] == 0xc2 && sm_control_at(s + at) == 0 ? 2 : 1;
            for (int k = 0; k < n; k++)
                sm_text_add(&t, "\\x%02x", (unsigned char)s[at + (size_t)k]);
            at += (size_t)n;
        }
    }
    if (s[at])
        sm_text_add(&t, "\xe2\x80\xa6");
    if (t.oom) {
        free(t.s);
        return sm_error_set(w->err, SM_ENOMEM, "out of memory");
    }
    n = sm_error_set(w->err, SM_EINVAL, "%s: text is not valid UTF-8: %s",
                     w->what ? w->what : "model", sm_text_str(&t));
    free(t.s);
    return n;
}

static json_t *
jstr(struct wr *w, const char *s)
{
    json_t *j = json_string(s ? s : "");

    /* json_string fails for bad UTF-8 and for want of memory alike */
    if (!j && !w->rc && sm_utf8_invalid(s) < 0)
        w->rc = sm_error_set(w->err, SM_ENOMEM, "out of memory");
    else if (!j && !w->rc)
        w->rc = bad_utf8(w, s ? s : "");
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
    char buf[11];    /* bounded: a YYYY-MM-DD date */

    if (!d)
        return json_null();
    sm_date_fmt(d, buf);
    return json_string(buf);
}

static json_t *
jcc(int32_t cc)
{
    char buf[3];    /* bounded: an ISO 3166 alpha-2 code (sm_cc_str) */

    if (cc == SM_NONE)
        return json_null();
    sm_cc_str(cc, buf);
    return json_string(buf);
}

static void append(struct wr *w, json_t *a, json_t *v);

static json_t *
jstrv(struct wr *w, const struct sm_strv *v)
{
    json_t *a = json_array();

    for (uint32_t i = 0; a && i < v->n; i++)
        append(w, a, jstr(w, v->v[i]));
    return a;
}

/* json_object_set_new that remembers a NULL value, or a failure to set
 * it, as a failure: a model written without one of its keys is wrong. */
static void
put(struct wr *w, json_t *o, const char *key, json_t *v)
{
    if (!v || json_object_set_new(o, key, v)) {
        if (!w->rc)
            w->rc = sm_error_set(w->err, SM_ENOMEM, "out of memory");
    }
}

/* The same for json_array_append_new. */
static void
append(struct wr *w, json_t *a, json_t *v)
{
    if (!v || json_array_append_new(a, v)) {
        if (!w->rc)
            w->rc = sm_error_set(w->err, SM_ENOMEM, "out of memory");
    }
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

/* Tags by text, source, entity and time: the order tags were added in
 * says nothing, and the same catalog reached through imports in any order
 * must write the same bytes. (Fields keep their declaration order.) */
static int
cmp_tag(const void *a, const void *b)
{
    const struct tag *x = &sort_m->tags[*(const int32_t *)a];
    const struct tag *y = &sort_m->tags[*(const int32_t *)b];
    int c = strcmp(x->tag, y->tag);

    if (!c)
        c = strcmp(x->source ? x->source : "", y->source ? y->source : "");
    if (!c)
        c = strcmp(x->entity ? x->entity : "", y->entity ? y->entity : "");
    if (!c)
        c = strcmp(x->time ? x->time : "", y->time ? y->time : "");
    if (!c)
        c = strcmp(x->expired ? x->expired : "", y->expired ? y->expired : "");
    return c;
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
        append(w, mem, json_string("*"));
    if (mem && r->members)
        for (int c = sm_ccset_next(r->members, 0); c != SM_NONE;
             c = sm_ccset_next(r->members, c + 1))
            append(w, mem, jcc(c));
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
    if (t->expired && *t->expired)
        put(w, o, "expired", jstr(w, t->expired));
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

/* Which import set the attributes of dataset d (field SM_NONE) or of its
 * field f: {"owner": {"source", "entity", "time"}, ...} in attribute order,
 * or NULL when none did (a person's or an unknown source is not written:
 * catalogs without imports read and write as before). */
static json_t *
sources_json(struct wr *w, int32_t d, int32_t f)
{
    const struct model *m = w->m;
    json_t *o = NULL;

    for (int a = f == SM_NONE ? 0 : ASRC_TYPE; a < (f == SM_NONE ? ASRC_TYPE : ASRC_COUNT);
         a++) {
        int32_t x = model_asrc(m, d, f, a);
        json_t *so;
        if (x == SM_NONE || !*m->asrcs[x].source)
            continue;
        if ((!o && !(o = json_object())) || !(so = json_object())) {
            if (!w->rc)
                w->rc = sm_error_set(w->err, SM_ENOMEM, "out of memory");
            return o;
        }
        put(w, so, "source", jstr(w, m->asrcs[x].source));
        put(w, so, "entity", jstr(w, m->asrcs[x].entity));
        put(w, so, "time", jstr(w, m->asrcs[x].time));
        put(w, o, asrc_names[a], so);
    }
    return o;
}

static json_t *
dataset_json(struct wr *w, int32_t id)
{
    const struct model *m = w->m;
    const struct dataset *d = &m->datasets[id];
    json_t *o = json_object(), *a, *fields, *tags, *pls;
    int32_t *ids, *tids, n = 0, np = 0, nt = 0;
    char cc[3];    /* bounded: an ISO 3166 alpha-2 code (sm_cc_str) */

    if (!o)
        return NULL;
    for (int32_t p = d->first_placement; p != SM_NONE; p = m->placements[p].next)
        np++;
    for (int32_t t = d->first_tag; t != SM_NONE; t = m->tags[t].next)
        nt++;
    ids = malloc(((size_t)np + 1) * sizeof *ids);
    tids = malloc(((size_t)nt + 1) * sizeof *tids);
    if (!ids || !tids) {
        free(ids);
        free(tids);
        json_decref(o);
        return NULL;
    }
    nt = 0;
    for (int32_t t = d->first_tag; t != SM_NONE; t = m->tags[t].next)
        tids[nt++] = t;
    sort_m = m;
    qsort(tids, (size_t)nt, sizeof *tids, cmp_tag);
    w->what = d->name;
    put(w, o, "name", jstr(w, d->name));
    put(w, o, "system", jstr(w, d->system));
    put(w, o, "tier", d->tier == SM_NONE ? json_null() : jstr(w, m->tiers[d->tier].name));
    a = json_array();
    for (uint8_t i = 0; a && i < d->nsubjects; i++) {
        sm_cc_str(d->subjects[i], cc);
        append(w, a, json_string(cc));
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
        /* written only when given, so catalogs without them read as before */
        if (m->fields[f].type && *m->fields[f].type)
            put(w, fo, "type", jstr(w, m->fields[f].type));
        if (m->fields[f].comment && *m->fields[f].comment)
            put(w, fo, "comment", jstr(w, m->fields[f].comment));
        if (model_asrc_first(m, id) != SM_NONE) {
            json_t *so = sources_json(w, id, f);
            if (so)
                put(w, fo, "sources", so);
        }
        for (int32_t k = 0; k < nt; k++)
            if (m->tags[tids[k]].field == f)
                append(w, ft, tag_json(w, &m->tags[tids[k]]));
        put(w, fo, "tags", ft);
        append(w, fields, fo);
    }
    put(w, o, "fields", fields);
    tags = json_array();
    for (int32_t k = 0; tags && k < nt; k++)
        if (m->tags[tids[k]].field == SM_NONE)
            append(w, tags, tag_json(w, &m->tags[tids[k]]));
    put(w, o, "tags", tags);
    /* written only when there are some, so catalogs without them read as
     * before; the model keeps them in key order */
    if (d->first_prop != SM_NONE) {
        json_t *props = json_array();
        for (int32_t p = d->first_prop; props && p != SM_NONE; p = m->props[p].next) {
            const struct prop *pr = &m->props[p];
            json_t *po = json_object();
            if (!po)
                break;
            put(w, po, "key", jstr(w, pr->key));
            put(w, po, "value", jstr(w, pr->value));
            if (*pr->source)
                put(w, po, "source", jstr(w, pr->source));
            if (*pr->entity)
                put(w, po, "entity", jstr(w, pr->entity));
            if (*pr->time)
                put(w, po, "time", jstr(w, pr->time));
            append(w, props, po);
        }
        put(w, o, "properties", props);
    }
    if (model_asrc_first(m, id) != SM_NONE) {
        json_t *so = sources_json(w, id, SM_NONE);
        if (so)
            put(w, o, "sources", so);
    }
    for (int32_t p = d->first_placement; p != SM_NONE; p = m->placements[p].next)
        if (!m->placements[p].deleted)
            ids[n++] = p;
    sort_m = m;
    qsort(ids, (size_t)n, sizeof *ids, cmp_placement);
    pls = json_array();
    for (int32_t i = 0; pls && i < n; i++)
        append(w, pls, placement_json(w, ids[i]));
    put(w, o, "placements", pls);
    free(ids);
    free(tids);
    return o;
}

static json_t *
flow_json(struct wr *w, int32_t id)
{
    const struct model *m = w->m;
    const struct flow *f = &m->flows[id];
    json_t *o = json_object(), *tx;
    char *sel, *buf;

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
        /* whole: the field names have any length */
        size_t n = model_format_transforms(&f->transforms[i], 1, NULL, 0) + 1;
        if (!(buf = malloc(n))) {
            if (!w->rc)
                w->rc = sm_error_set(w->err, SM_ENOMEM, "out of memory");
            append(w, tx, NULL);
            continue;
        }
        model_format_transforms(&f->transforms[i], 1, buf, n);
        append(w, tx, jstr(w, buf));
        free(buf);
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
        append(w, ops, jstrv(w, &s->ops[i]));
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
    if (!ps && sm_utf8_invalid(m->rule_pack) < 0)
        return sm_error_set(w->err, SM_ENOMEM, "out of memory");
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

/* model_json_part's text, one object at a time: part_add's tree of every
 * object an import touched took more memory than the model (a million
 * Atlas entities: about 1 GB); the bytes are part_dump's (compact, in
 * order). */
struct pbuf {
    char *s;
    size_t n, cap;
};

static void
pb_put(struct wr *w, struct pbuf *b, const char *s, size_t n)
{
    if (w->rc)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        char *ns;
        while (cap < b->n + n + 1)
            cap *= 2;
        if (!(ns = realloc(b->s, cap))) {
            w->rc = sm_error_set(w->err, SM_ENOMEM, "out of memory");
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void
part_stream(struct wr *w, struct pbuf *b, const struct part_sec *sec, int32_t *ids, int32_t n)
{
    bool any = false;

    if (!n || w->rc)
        return;
    sort_m = w->m;
    qsort(ids, (size_t)n, sizeof *ids, sec->cmp);
    pb_put(w, b, b->n > 1 ? ",\"" : "\"", b->n > 1 ? 2 : 1);
    pb_put(w, b, sec->key, strlen(sec->key));
    pb_put(w, b, "\":[", 3);
    for (int32_t i = 0; i < n && !w->rc; i++) {
        json_t *o;
        char *s;
        if (i && ids[i] == ids[i - 1])
            continue;
        s = (o = sec->one(w, ids[i])) ? json_dumps(o, PART_FLAGS) : NULL;
        json_decref(o);
        if (!s) {
            if (!w->rc)
                w->rc = sm_error_set(w->err, SM_ENOMEM, "out of memory");
            return;
        }
        if (any)
            pb_put(w, b, ",", 1);
        pb_put(w, b, s, strlen(s));
        free(s);
        any = true;
    }
    pb_put(w, b, "]", 1);
}

int
model_json_part(const struct model *m, const struct obj_ref *refs, int32_t n, char **out,
                struct sm_error *err)
{
    struct wr w = { .m = m, .err = err };
    struct pbuf b = { 0 };
    int32_t *ids = malloc(((size_t)(n > 0 ? n : 0) + 1) * sizeof *ids);

    if (!ids)
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    pb_put(&w, &b, "{", 1);
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
        part_stream(&w, &b, &sections[s], ids, k);
    }
    free(ids);
    pb_put(&w, &b, "}", 1);
    if (w.rc) {
        free(b.s);
        return w.rc;
    }
    *out = b.s;
    return SM_OK;
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
