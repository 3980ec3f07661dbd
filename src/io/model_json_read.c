/*
 * model_json_read.c - the canonical text form of a catalog, reading: every
 * value checked, errors naming the JSON path; the top level streamed.
 */
#include "model_json.h"
#include "model_json_int.h"
#include "readfile.h"
#include "rulepack.h"
#include "scenario.h"

#include <jansson.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading ------------------------------------------------------------------- */

int
bad(struct rd *r, const char *path, const char *fmt, ...)
{
    char *msg;
    va_list ap;
    int line, col, rc;

    va_start(ap, fmt);
    msg = sm_vstrdupf(fmt, ap);
    va_end(ap);
    if (!msg)
        return sm_error_set(r->err, SM_ENOMEM, "%s: out of memory", r->name);
    /* file:line:col of the value the path names, as editors and CI
     * annotations want it; the path stays, it says which value */
    if (!*path)
        rc = sm_error_set(r->err, SM_EPARSE, "%s: %s", r->name, msg);
    else if (locate_path(r, path, &line, &col))
        rc = sm_error_set(r->err, SM_EPARSE, "%s:%d:%d: %s: %s", r->name, line, col, path,
                          msg);
    else
        rc = sm_error_set(r->err, SM_EPARSE, "%s: %s: %s", r->name, path, msg);
    free(msg);
    return rc;
}

const char *
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
        for (const char *const *p = keys; *p && !ok; p++)
            ok = strcmp(k, *p) == 0;
        if (!ok) {
            /* the suggestion only for a key that is not known (every key
             * of a large model measured against every name cost 15 % of
             * `import model`) */
            for (const char *const *p = keys; *p; p++) {
                int d = sm_levenshtein(k, *p, 2);
                if (d < bestd) {
                    bestd = d;
                    best = *p;
                }
            }
            char *msg = best ? sm_strdupf("unknown key \"%s\"; did you mean \"%s\"?", k, best)
                             : sm_strdupf("unknown key \"%s\"", k);
            int rc;
            if (!msg)
                return sm_error_set(r->err, SM_ENOMEM, "%s: out of memory", r->name);
            rc = bad_key(r, path, k, msg);
            free(msg);
            return rc;
        }
    }
    return SM_OK;
}

void
sub(char *out, size_t size, const char *path, const char *key)
{
    if (*path)
        snprintf(out, size, "%s.%s", path, key);
    else
        snprintf(out, size, "%s", key);
}

void
idx(char *out, size_t size, const char *path, size_t i)
{
    snprintf(out, size, "%s[%zu]", path, i);
}

/* A string (null allowed when nullable: gives ""). Absent gives def. */
int
get_str(struct rd *r, json_t *o, const char *path, const char *key, bool required,
        bool nullable, const char *def, const char **out)
{
    json_t *v = json_object_get(o, key);
    char p[512]; /* bounded: a path of schema keys and indexes */

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

/* A name (get_str's); in a file of new names (import model, validate) no
 * control character in it (QA #21; doc/cli.md, "Names"). */
static int
get_name(struct rd *r, json_t *o, const char *path, const char *key, bool required,
         const char **out)
{
    char p[512]; /* bounded: a path of schema keys and indexes */
    long ctl;
    int rc;

    if ((rc = get_str(r, o, path, key, required, false, "", out)) != SM_OK)
        return rc;
    if (!r->new_names || (ctl = sm_control_at(*out)) < 0)
        return SM_OK;
    sub(p, sizeof p, path, key);
    return bad(r, p, "%s: a name may not hold a control character (U+%04X at byte %ld)", *out,
               sm_control_code(*out + ctl), ctl);
}

static int
get_bool(struct rd *r, json_t *o, const char *path, const char *key, uint8_t *out)
{
    json_t *v = json_object_get(o, key);
    char p[512]; /* bounded: a path of schema keys and indexes */

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
    char p[512]; /* bounded: a path of schema keys and indexes */
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
    char p[512]; /* bounded: a path of schema keys and indexes */
    int rc;

    if ((rc = get_str(r, o, path, key, false, true, "", &s)))
        return rc;
    *out = 0;
    if (*s && sm_date_parse(s, out)) {
        sub(p, sizeof p, path, key);
        return bad(r, p, "bad date %s: use YYYY-MM-DD", s);
    }
    return SM_OK;
}

static int
get_enum(struct rd *r, json_t *o, const char *path, const char *key, const char *const *names,
         int n, const char *def, bool nullable, uint8_t *out)
{
    const char *s;
    char p[512], *list = NULL; /* bounded: a path of schema keys and indexes */
    size_t size = 0;
    bool first = true;
    FILE *f;
    int e, rc;

    if ((rc = get_str(r, o, path, key, false, nullable, def, &s)))
        return rc;
    e = model_enum_parse(names, n, s);
    if (e == SM_NONE || (!*s && !nullable)) {
        if (!(f = open_memstream(&list, &size)))
            return sm_error_set(r->err, SM_ENOMEM, "%s: out of memory", r->name);
        for (int i = 0; i < n; i++)
            if (*names[i]) {
                fprintf(f, "%s%s", first ? "" : ", ", names[i]);
                first = false;
            }
        if (fclose(f) != 0) {
            free(list);
            return sm_error_set(r->err, SM_ENOMEM, "%s: out of memory", r->name);
        }
        sub(p, sizeof p, path, key);
        rc = bad(r, p, "unknown %s %s: use %s", key, s, list);
        free(list);
        return rc;
    }
    *out = (uint8_t)e;
    return SM_OK;
}

static int
get_array(struct rd *r, json_t *o, const char *path, const char *key, json_t **out)
{
    json_t *v = json_object_get(o, key);
    char p[512]; /* bounded: a path of schema keys and indexes */

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
int
find(struct rd *r, enum obj_kind kind, const char *sel, const char *path, int32_t *out)
{
    SM_ERROR(e2);

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
    char p[512]; /* bounded: a path of schema keys and indexes */
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
        char kp[512]; /* bounded: a path of schema keys and indexes */
        sub(kp, sizeof kp, path, key);
        idx(p, sizeof p, kp, i);
        if (!json_is_string(v))
            return bad(r, p, "must be a string, not %s", type_name(v));
        if (!json_string_length(v) || strlen(json_string_value(v)) != json_string_length(v))
            return bad(r, p, "must be a non-empty string");
        for (const char *c = json_string_value(v); *c; c++)
            if (*c == ',' || *c == ' ' || *c == '\t' || *c == '\n' || *c == ';')
                return bad(r, p, "\"%s\": names here cannot hold blanks, commas or ';'",
                           json_string_value(v));
        if (!(out->v[out->n++] = model_str(r->m, json_string_value(v))))
            return sm_error_set(r->err, SM_ENOMEM, "out of memory");
    }
    return SM_OK;
}

int
read_region(struct rd *r, json_t *o, const char *path)
{
    static const char *const keys[] = { "id", "kind", "country", "city", "operator", "name",
                                        "members", NULL };
    const char *id, *country, *op, *city, *name;
    struct sm_ccset set;
    struct region reg;
    SM_ERROR(e2);
    json_t *mem, *v;
    char p[512]; /* bounded: a path of schema keys and indexes */
    size_t i;
    int rc;

    if ((rc = get_object(r, o, path)) || (rc = known_keys(r, o, path, keys)) ||
        (rc = get_str(r, o, path, "id", true, false, "", &id)) ||
        (rc = get_str(r, o, path, "country", false, true, "", &country)) ||
        (rc = get_str(r, o, path, "operator", false, true, "", &op)) ||
        (rc = get_str(r, o, path, "city", false, false, "", &city)) ||
        (rc = get_name(r, o, path, "name", false, &name)))
        return rc;
    sub(p, sizeof p, path, "id");
    if (!model_region_id_ok(id))
        return bad(r, p, "bad region id \"%s\": write provider:code without blanks, "
                   "commas, @ or /", id);
    if (model_region(r->m, id) != SM_NONE)
        return bad(r, p, r->m->regions[model_region(r->m, id)].builtin ?
                   "region %s is shipped with sovmap; do not redefine it" :
                   "region %s is defined twice", id);
    model_region_init(&reg);
    reg.id = id;
    reg.city = city;
    reg.name = name;
    if ((rc = get_enum(r, o, path, "kind", region_kind_names, REGION_KIND_COUNT, "on-prem",
                       false, &reg.kind)))
        return rc;
    sub(p, sizeof p, path, "country");
    if (*country && (reg.country = sm_cc(country)) == SM_NONE)
        return bad(r, p, "bad country %s: use a two-letter ISO code", country);
    if (*country && model_check_cc(reg.country, &e2))
        return bad(r, p, "%s", e2.msg);
    sub(p, sizeof p, path, "operator");
    if (*op && (reg.operator_home = sm_cc(op)) == SM_NONE)
        return bad(r, p, "bad operator %s: use a two-letter ISO code (EU allowed)", op);
    if (*op && model_check_cc(reg.operator_home, &e2))
        return bad(r, p, "%s", e2.msg);
    if ((rc = get_array(r, o, path, "members", &mem)))
        return rc;
    memset(&set, 0, sizeof set);
    if (mem)
        json_array_foreach(mem, i, v) {
            const char *cc = json_string_value(v);
            char kp[512]; /* bounded: a path of schema keys and indexes */
            sub(kp, sizeof kp, path, "members");
            idx(p, sizeof p, kp, i);
            if (cc && strcmp(cc, "*") == 0)
                reg.global = 1;
            else if (!cc || sm_cc(cc) == SM_NONE)
                return bad(r, p, "bad country %s: use a two-letter ISO code or *",
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

int
read_tier(struct rd *r, json_t *o, const char *path)
{
    static const char *const keys[] = { "name", "rank", "personal", "scope", "backup_scope",
                                        "key_scope", "approved", "encryption_at_rest",
                                        "transit_encryption", "sovereign",
                                        "retention_min_days", "retention_max_days",
                                        "description", NULL };
    SM_ERROR(e2);
    struct tier t;
    char p[512], kp[512]; /* bounded: a path of schema keys and indexes */
    int rc;

    model_tier_init(&t);
    if ((rc = get_object(r, o, path)) || (rc = known_keys(r, o, path, keys)) ||
        (rc = get_name(r, o, path, "name", true, &t.name)) ||
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
    static const char *const keys[] = { "tag", "source", "entity", "time", "expired", NULL };
    const char *tag, *source, *entity, *time, *expired;
    SM_ERROR(e2);
    int32_t before = r->m->ntags, id;
    int rc;

    if ((rc = get_object(r, o, path)) || (rc = known_keys(r, o, path, keys)) ||
        (rc = get_str(r, o, path, "tag", true, false, "", &tag)) ||
        (rc = get_str(r, o, path, "source", false, false, "", &source)) ||
        (rc = get_str(r, o, path, "entity", false, false, "", &entity)) ||
        (rc = get_str(r, o, path, "time", false, false, "", &time)) ||
        (rc = get_str(r, o, path, "expired", false, false, "", &expired)))
        return rc;
    if (model_add_tag(r->m, d, f, tag, source, entity, time, &id, &e2))
        return model_err(r, path, &e2);
    if (r->m->ntags == before)
        return bad(r, path, "tag %s is given twice", tag);
    if (*expired && model_set_tag_expired(r->m, id, expired, &e2))
        return model_err(r, path, &e2);
    return SM_OK;
}

static int
read_prop(struct rd *r, json_t *o, const char *path, int32_t d)
{
    static const char *const keys[] = { "key", "value", "source", "entity", "time", NULL };
    const char *key, *value, *source, *entity, *time;
    SM_ERROR(e2);
    int rc;

    if ((rc = get_object(r, o, path)) || (rc = known_keys(r, o, path, keys)) ||
        (rc = get_str(r, o, path, "key", true, false, "", &key)) ||
        (rc = get_str(r, o, path, "value", false, false, "", &value)) ||
        (rc = get_str(r, o, path, "source", false, false, "", &source)) ||
        (rc = get_str(r, o, path, "entity", false, false, "", &entity)) ||
        (rc = get_str(r, o, path, "time", false, false, "", &time)))
        return rc;
    if (model_prop(r->m, d, key) != SM_NONE)
        return bad(r, path, "property %s is given twice", key);
    if (model_set_prop(r->m, d, key, value, source, entity, time, NULL, &e2))
        return model_err(r, path, &e2);
    return SM_OK;
}

/* "sources" of a dataset (f SM_NONE) or of its field f: which import set
 * each attribute, {"owner": {"source", "entity", "time"}, ...}. */
static int
read_sources(struct rd *r, json_t *o, const char *path, int32_t d, int32_t f)
{
    static const char *const keys[] = { "source", "entity", "time", NULL };
    json_t *src = json_object_get(o, "sources"), *v;
    const char *attr, *source, *entity, *time;
    char p[512], kp[512]; /* bounded: a path of schema keys and indexes */
    SM_ERROR(e2);
    int rc, a;

    if (!src)
        return SM_OK;
    sub(p, sizeof p, path, "sources");
    if ((rc = get_object(r, src, p)))
        return rc;
    json_object_foreach(src, attr, v) {
        a = asrc_attr(attr);
        if (a == SM_NONE || (f == SM_NONE) != (a < ASRC_TYPE))
            return bad(r, p, "no attribute \"%s\" has a source here: %s", attr,
                       f == SM_NONE ? "system, owner, description or tier"
                                    : "type or comment");
        sub(kp, sizeof kp, p, attr);
        if ((rc = get_object(r, v, kp)) || (rc = known_keys(r, v, kp, keys)) ||
            (rc = get_str(r, v, kp, "source", true, false, "", &source)) ||
            (rc = get_str(r, v, kp, "entity", false, false, "", &entity)) ||
            (rc = get_str(r, v, kp, "time", false, false, "", &time)))
            return rc;
        if (model_set_asrc(r->m, d, f, a, source, entity, time, NULL, &e2))
            return model_err(r, kp, &e2);
    }
    return SM_OK;
}

static int
read_placement(struct rd *r, json_t *o, const char *path, int32_t d)
{
    static const char *const keys[] = { "region", "role", "encrypted", "key_region",
                                        "mechanism", "mechanism_ref", NULL };
    const char *region, *key, *ref;
    SM_ERROR(e2);
    struct placement p;
    char kp[512]; /* bounded: a path of schema keys and indexes */
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

int
read_dataset(struct rd *r, json_t *o, const char *path)
{
    static const char *const keys[] = { "name", "system", "tier", "subjects", "owner",
                                        "retention_days", "public_sector", "source",
                                        "description", "purpose", "legal_basis", "fields",
                                        "tags", "properties", "sources", "placements", NULL };
    static const char *const fkeys[] = { "name", "type", "comment", "tags", "sources", NULL };
    SM_ERROR(e2);
    struct dataset d;
    const char *tier;
    json_t *subj, *fields, *tags, *props, *pls, *v, *tv;
    char p[512], kp[512], tp[512]; /* bounded: a path of schema keys and indexes */
    size_t i, k;
    int32_t id;
    int rc;

    /* the texts through locals: a dataset's pointers may be 4-byte aligned
     * (MODEL_PACKED), their addresses are not taken */
    const char *name = NULL, *system = NULL, *owner = NULL, *source = NULL, *desc = NULL,
               *purpose = NULL;

    model_dataset_init(&d);
    if ((rc = get_object(r, o, path)) || (rc = known_keys(r, o, path, keys)) ||
        (rc = get_name(r, o, path, "name", true, &name)) ||
        (rc = get_str(r, o, path, "system", false, false, "", &system)) ||
        (rc = get_str(r, o, path, "tier", false, true, "", &tier)) ||
        (rc = get_array(r, o, path, "subjects", &subj)) ||
        (rc = get_str(r, o, path, "owner", false, false, "", &owner)) ||
        (rc = get_int(r, o, path, "retention_days", true, SM_NONE, 0, &d.retention_days)) ||
        (rc = get_bool(r, o, path, "public_sector", &d.public_sector)) ||
        (rc = get_str(r, o, path, "source", false, false, "", &source)) ||
        (rc = get_str(r, o, path, "description", false, false, "", &desc)) ||
        (rc = get_str(r, o, path, "purpose", false, false, "", &purpose)) ||
        (rc = get_enum(r, o, path, "legal_basis", legal_basis_names, LB_COUNT, "", true,
                       &d.legal_basis)) ||
        (rc = get_array(r, o, path, "fields", &fields)) ||
        (rc = get_array(r, o, path, "tags", &tags)) ||
        (rc = get_array(r, o, path, "placements", &pls)))
        return rc;
    d.name = name;
    d.system = system;
    d.owner = owner;
    d.source_ref = source;
    d.description = desc;
    d.purpose = purpose;
    sub(p, sizeof p, path, "name");
    if (!*d.name)
        return bad(r, p, "a dataset needs a name");
    if (model_dataset(r->m, d.name) != SM_NONE)
        return bad(r, p, "dataset %s is defined twice", d.name);
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
                return bad(r, p, "bad jurisdiction %s: use a two-letter code such as EU, "
                           "DE, BR", cc ? cc : type_name(v));
            if (model_check_cc(c, &e2))
                return bad(r, p, "%s", e2.msg);
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
            const char *fname, *ftype, *fcomment;
            json_t *ftags;
            int32_t f, nbefore = r->m->nfields;
            sub(kp, sizeof kp, path, "fields");
            idx(p, sizeof p, kp, i);
            if ((rc = get_object(r, v, p)) || (rc = known_keys(r, v, p, fkeys)) ||
                (rc = get_name(r, v, p, "name", true, &fname)) ||
                (rc = get_str(r, v, p, "type", false, false, "", &ftype)) ||
                (rc = get_str(r, v, p, "comment", false, false, "", &fcomment)) ||
                (rc = get_array(r, v, p, "tags", &ftags)))
                return rc;
            if (model_add_field(r->m, id, fname, &f, &e2))
                return model_err(r, p, &e2);
            if (r->m->nfields == nbefore)
                return bad(r, p, "field %s is given twice", fname);
            if (model_set_field_attrs(r->m, f, ftype, fcomment, &e2))
                return model_err(r, p, &e2);
            if ((rc = read_sources(r, v, p, id, f)))
                return rc;
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
    if ((rc = get_array(r, o, path, "properties", &props)))
        return rc;
    if (props)
        json_array_foreach(props, i, v) {
            sub(kp, sizeof kp, path, "properties");
            idx(p, sizeof p, kp, i);
            if ((rc = read_prop(r, v, p, id)))
                return rc;
        }
    if ((rc = read_sources(r, o, path, id, SM_NONE)))
        return rc;
    if (pls)
        json_array_foreach(pls, i, v) {
            sub(kp, sizeof kp, path, "placements");
            idx(p, sizeof p, kp, i);
            if ((rc = read_placement(r, v, p, id)))
                return rc;
        }
    return SM_OK;
}

int
read_flow(struct rd *r, json_t *o, const char *path)
{
    static const char *const keys[] = { "name", "from", "to", "to_region", "kind", "fields",
                                        "transforms", "mechanism", "mechanism_ref",
                                        "valid_from", "valid_to", "transit_encrypted",
                                        "public_recipient", NULL };
    struct transform *tx = NULL;
    SM_ERROR(e2);
    const char *from, *to, *to_region, *ref;
    json_t *xs, *v;
    struct flow f;
    char p[512], kp[512]; /* bounded: a path of schema keys and indexes */
    size_t i;
    int rc;

    model_flow_init(&f);
    if ((rc = get_object(r, o, path)) || (rc = known_keys(r, o, path, keys)) ||
        (rc = get_name(r, o, path, "name", false, &f.name)) ||
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
        return bad(r, p, "flow %s is defined twice", f.name);
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

int
read_waiver(struct rd *r, json_t *o, const char *path)
{
    static const char *const keys[] = { "rule", "object", "owner", "reason", "expires", NULL };
    SM_ERROR(e2);
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

int
read_scenario(struct rd *r, json_t *o, const char *path, int32_t *id)
{
    static const char *const keys[] = { "name", "base", "description", "ops", NULL };
    SM_ERROR(e2);
    struct scenario s;
    json_t *ops, *op, *v;
    char p[512], kp[512]; /* bounded: a path of schema keys and indexes */
    size_t i, k;
    int rc;

    memset(&s, 0, sizeof s);
    if ((rc = get_object(r, o, path)) || (rc = known_keys(r, o, path, keys)) ||
        (rc = get_name(r, o, path, "name", true, &s.name)) ||
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

const char *const section_names[SEC_COUNT] = {
    "sovmap", "rule_pack", "regions", "tiers", "datasets", "flows", "waivers", "scenarios"
};

void
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

int
syntax_at(struct rd *r, const struct src *s, size_t pos, const char *msg)
{
    int line, col;

    linecol(s, pos, &line, &col);
    return sm_error_set(r->err, SM_EPARSE, "%s:%d:%d: %s", r->name, line, col, msg);
}

size_t
skip_ws(const struct src *s, size_t p)
{
    while (p < s->len && (s->t[p] == ' ' || s->t[p] == '\t' || s->t[p] == '\n' ||
                          s->t[p] == '\r'))
        p++;
    return p;
}

/* End of the JSON value at p (loosely: jansson checks it when it is read),
 * or SIZE_MAX when it runs off the end. */
size_t
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
json_t *
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
        /* the callers return SM_EPARSE: out of memory keeps it, says so */
        sm_error_set(r->err, SM_EPARSE, "%s:%d:%d: %s", r->name, line, col,
                     readfile_json_nomem(&jerr) ? "out of memory" : jerr.text);
        return NULL;
    }
    *next = p + jerr.position;
    return v;
}
