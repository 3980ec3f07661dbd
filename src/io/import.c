/*
 * import.c - what every importer shares: the mapping file, the records a
 * run collects from its files, and applying them to a model (upsert by
 * source reference, then name), with the review diff and the summary.
 *
 * No SQLite and no printing to the terminal of its own accord: cmd_import
 * writes the touched objects and chooses where the diff goes.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "import_int.h"
#include "readfile.h"

/* The audit text keeps whole diff lines up to this many bytes. */
#define IMPORT_AUDIT_MAX (4 << 20)

/* ---- mapping file --------------------------------------------------------------- */

#define RULE_MAX 8
/* Largest mapping file (--map); data/import-map.json is a few KB. */
#define IMPORT_MAP_MAX_BYTES (64 << 20)

struct map_rule {
    unsigned from;              /* bit per enum import_from */
    const char *name;
    bool name_prefix;           /* name ended in '*' */
    const char *value;          /* NULL any, "*" any non-empty */
    int nattrs;
    const char *attr_k[RULE_MAX], *attr_v[RULE_MAX];
    const char *tier, *system, *owner;
    int ntags, nsubjects;
    const char *tags[RULE_MAX], *subjects[RULE_MAX];
    bool ignore;
};

struct import_map {
    struct sm_arena arena;
    struct map_rule *rules;
    int32_t nrules, cap_rules;
    struct sm_map buckets, namespaces, tf_addresses;
    const char *tf_tag_key;     /* "sovmap-dataset" unless the file says */
    const char **vals;
    int32_t nvals, cap_vals;
};

/* A lower-cased copy in the arena (ASCII letters only; UTF-8 passes). */
static char *
lower_dup(struct sm_arena *a, const char *s)
{
    char *d = sm_arena_strdup(a, s);

    for (char *p = d; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return d;
}

/* vsnprintf into an exact heap allocation. NULL on out of memory. */
static char *
vfmt_dup(const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    char *s;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || !(s = malloc((size_t)n + 1)))
        return NULL;
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static char * __attribute__((format(printf, 1, 2)))
fmt_dup(const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = vfmt_dup(fmt, ap);
    va_end(ap);
    return s;
}

static const char *const from_names[IMPORT_FROM_COUNT] = { "atlas", "glue", "lf", "terraform" };


static const char *const rule_keys[] = {
    "from", "name", "value", "attrs", "tier", "tags", "subjects", "system", "owner",
    "ignore", "comment", NULL
};

static int
map_oom(struct sm_error *err, const char *name)
{
    return sm_error_set(err, SM_ENOMEM, "%s: out of memory", name);
}

static int
map_region_table(struct import_map *map, json_t *obj, struct sm_map *dst, const char *name,
                 const char *what, struct sm_error *err)
{
    const char *k;
    json_t *v;

    if (!obj)
        return SM_OK;
    if (!json_is_object(obj))
        return sm_error_set(err, SM_EPARSE, "%s: %s must be an object", name, what);
    json_object_foreach(obj, k, v) {
        const char *s = json_string_value(v);
        const char *key, *val;
        char *buf;
        if (k[0] == '_')
            continue;           /* "_comment" */
        if (!s || !*s)
            return sm_error_set(err, SM_EPARSE, "%s: %s.%s must be a region id", name, what, k);
        if (!(buf = fmt_dup("%s%s", strchr(s, ':') ? "" : "aws:", s)))
            return map_oom(err, name);
        key = lower_dup(&map->arena, k);
        val = sm_arena_strdup(&map->arena, buf);
        free(buf);
        if (!key || !val || sm_grow((void **)&map->vals, &map->cap_vals, map->nvals + 1,
                                    sizeof *map->vals))
            return map_oom(err, name);
        map->vals[map->nvals] = val;
        if (sm_map_put(dst, key, map->nvals++))
            return map_oom(err, name);
    }
    return SM_OK;
}

static int
strlist(struct import_map *map, json_t *a, const char **out, int *n, const char *name,
        int idx, const char *key, struct sm_error *err)
{
    size_t i;
    json_t *v;

    if (json_is_string(a)) {
        out[0] = sm_arena_strdup(&map->arena, json_string_value(a));
        *n = 1;
        return out[0] ? SM_OK : map_oom(err, name);
    }
    if (!json_is_array(a))
        return sm_error_set(err, SM_EPARSE, "%s: rules[%d].%s must be a list of strings", name,
                            idx, key);
    if (json_array_size(a) > RULE_MAX)
        return sm_error_set(err, SM_EPARSE, "%s: rules[%d].%s: at most %d items", name, idx,
                            key, RULE_MAX);
    *n = 0;
    json_array_foreach(a, i, v) {
        if (!json_is_string(v))
            return sm_error_set(err, SM_EPARSE, "%s: rules[%d].%s must be a list of strings",
                                name, idx, key);
        if (!(out[(*n)++] = sm_arena_strdup(&map->arena, json_string_value(v))))
            return map_oom(err, name);
    }
    return SM_OK;
}

static int
parse_rule(struct import_map *map, json_t *o, int idx, const char *name, struct map_rule *r,
           struct sm_error *err)
{
    const char *k;
    json_t *v;

    memset(r, 0, sizeof *r);
    r->from = (1u << IMPORT_FROM_COUNT) - 1;
    if (!json_is_object(o))
        return sm_error_set(err, SM_EPARSE, "%s: rules[%d] must be an object", name, idx);
    json_object_foreach(o, k, v) {
        int known = 0;
        for (int i = 0; rule_keys[i]; i++)
            known |= strcmp(rule_keys[i], k) == 0;
        if (!known)
            return sm_error_set(err, SM_EPARSE, "%s: rules[%d]: unknown key \"%s\"", name, idx,
                                k);
    }
    if ((v = json_object_get(o, "from"))) {
        const char *list[RULE_MAX];
        int n = 0, rc;
        if ((rc = strlist(map, v, list, &n, name, idx, "from", err)))
            return rc;
        r->from = 0;
        for (int i = 0; i < n; i++) {
            int f = model_enum_parse(from_names, IMPORT_FROM_COUNT, list[i]);
            if (strcmp(list[i], "*") == 0)
                r->from = (1u << IMPORT_FROM_COUNT) - 1;
            else if (strcmp(list[i], "lf-tags") == 0)
                r->from |= 1u << IMPORT_FROM_LF;
            else if (f == SM_NONE)
                return sm_error_set(err, SM_EPARSE,
                                    "%s: rules[%d].from: \"%s\" is not atlas, glue, lf or "
                                    "terraform", name,
                                    idx, list[i]);
            else
                r->from |= 1u << f;
        }
    }
    k = json_string_value(json_object_get(o, "name"));
    if (!k || !*k)
        return sm_error_set(err, SM_EPARSE, "%s: rules[%d] needs a \"name\"", name, idx);
    r->name_prefix = k[strlen(k) - 1] == '*';
    r->name = sm_arena_strndup(&map->arena, k, strlen(k) - r->name_prefix);
    if ((v = json_object_get(o, "value"))) {
        if (!json_is_string(v))
            return sm_error_set(err, SM_EPARSE, "%s: rules[%d].value must be a string", name,
                                idx);
        r->value = sm_arena_strdup(&map->arena, json_string_value(v));
    }
    if ((v = json_object_get(o, "attrs"))) {
        const char *ak;
        json_t *av;
        if (!json_is_object(v))
            return sm_error_set(err, SM_EPARSE, "%s: rules[%d].attrs must be an object", name,
                                idx);
        json_object_foreach(v, ak, av) {
            if (!json_is_string(av) || r->nattrs == RULE_MAX)
                return sm_error_set(err, SM_EPARSE,
                                    "%s: rules[%d].attrs.%s must be a string", name, idx, ak);
            r->attr_k[r->nattrs] = sm_arena_strdup(&map->arena, ak);
            r->attr_v[r->nattrs++] = sm_arena_strdup(&map->arena, json_string_value(av));
        }
    }
#define RSTR(field, key) \
    if ((v = json_object_get(o, key))) { \
        if (!json_is_string(v)) \
            return sm_error_set(err, SM_EPARSE, "%s: rules[%d].%s must be a string", name, \
                                idx, key); \
        r->field = sm_arena_strdup(&map->arena, json_string_value(v)); \
    }
    RSTR(tier, "tier")
    RSTR(system, "system")
    RSTR(owner, "owner")
#undef RSTR
    if ((v = json_object_get(o, "tags"))) {
        int rc = strlist(map, v, r->tags, &r->ntags, name, idx, "tags", err);
        if (rc)
            return rc;
    }
    if ((v = json_object_get(o, "subjects"))) {
        int rc = strlist(map, v, r->subjects, &r->nsubjects, name, idx, "subjects", err);
        if (rc)
            return rc;
    }
    if ((v = json_object_get(o, "ignore"))) {
        if (!json_is_boolean(v))
            return sm_error_set(err, SM_EPARSE, "%s: rules[%d].ignore must be true or false",
                                name, idx);
        r->ignore = json_is_true(v);
    }
    if (!r->name)
        return map_oom(err, name);
    return SM_OK;
}

/* "terraform": {"tag_key": "sovmap-dataset", "addresses": {ADDRESS: DATASET}} */
static int
map_terraform(struct import_map *map, json_t *obj, const char *name, struct sm_error *err)
{
    const char *k;
    json_t *v, *addrs;

    if (!obj)
        return SM_OK;
    if (!json_is_object(obj))
        return sm_error_set(err, SM_EPARSE, "%s: terraform must be an object", name);
    json_object_foreach(obj, k, v) {
        if (k[0] != '_' && strcmp(k, "tag_key") && strcmp(k, "addresses"))
            return sm_error_set(err, SM_EPARSE, "%s: terraform: unknown key \"%s\"", name, k);
    }
    if ((v = json_object_get(obj, "tag_key"))) {
        if (!json_is_string(v) || !*json_string_value(v))
            return sm_error_set(err, SM_EPARSE, "%s: terraform.tag_key must be a tag name",
                                name);
        if (!(map->tf_tag_key = sm_arena_strdup(&map->arena, json_string_value(v))))
            return map_oom(err, name);
    }
    addrs = json_object_get(obj, "addresses");
    if (!addrs)
        return SM_OK;
    if (!json_is_object(addrs))
        return sm_error_set(err, SM_EPARSE, "%s: terraform.addresses must be an object", name);
    json_object_foreach(addrs, k, v) {
        const char *key, *val;
        if (k[0] == '_')
            continue;
        if (!json_is_string(v) || !*json_string_value(v))
            return sm_error_set(err, SM_EPARSE, "%s: terraform.addresses.%s must be a dataset "
                                "name", name, k);
        key = sm_arena_strdup(&map->arena, k);
        val = sm_arena_strdup(&map->arena, json_string_value(v));
        if (!key || !val || sm_grow((void **)&map->vals, &map->cap_vals, map->nvals + 1,
                                    sizeof *map->vals))
            return map_oom(err, name);
        map->vals[map->nvals] = val;
        if (sm_map_put(&map->tf_addresses, key, map->nvals++))
            return map_oom(err, name);
    }
    return SM_OK;
}

const char *
import_map_tf_tag_key(const struct import_map *map)
{
    return map && map->tf_tag_key ? map->tf_tag_key : "sovmap-dataset";
}

const char *
import_map_tf_dataset(const struct import_map *map, const char *address)
{
    int32_t v;

    if (!map || !address)
        return NULL;
    v = sm_map_get(&map->tf_addresses, address);
    return v == SM_NONE ? NULL : map->vals[v];
}

int
import_map_load_text(struct import_map *map, const char *text, size_t len, const char *name,
                     struct import_map **out, struct sm_error *err)
{
    struct import_map *m = map;
    json_error_t je;
    json_t *root, *rules, *v;
    const char *k;
    int rc = SM_OK;
    struct map_rule *add = NULL;
    int32_t nadd = 0;

    root = json_loadb(text, len, 0, &je);
    if (!root)
        return sm_error_set(err, SM_EPARSE, "%s:%d:%d: %s", name, je.line, je.column, je.text);
    if (!m) {
        if (!(m = calloc(1, sizeof *m))) {
            json_decref(root);
            return map_oom(err, name);
        }
        sm_arena_init(&m->arena);
        sm_map_init(&m->buckets);
        sm_map_init(&m->namespaces);
        sm_map_init(&m->tf_addresses);
    }
    if (!json_is_object(root)) {
        rc = sm_error_set(err, SM_EPARSE, "%s: a mapping file is a JSON object", name);
        goto done;
    }
    json_object_foreach(root, k, v) {
        if (k[0] != '_' && strcmp(k, "rules") && strcmp(k, "s3_buckets") &&
            strcmp(k, "atlas_namespaces") && strcmp(k, "version") && strcmp(k, "terraform")) {
            rc = sm_error_set(err, SM_EPARSE, "%s: unknown key \"%s\"", name, k);
            goto done;
        }
    }
    rules = json_object_get(root, "rules");
    if (rules && !json_is_array(rules)) {
        rc = sm_error_set(err, SM_EPARSE, "%s: rules must be a list", name);
        goto done;
    }
    if (rules && json_array_size(rules)) {
        size_t i;
        nadd = (int32_t)json_array_size(rules);
        if (!(add = calloc((size_t)nadd + (size_t)m->nrules, sizeof *add))) {
            rc = map_oom(err, name);
            goto done;
        }
        json_array_foreach(rules, i, v) {
            if ((rc = parse_rule(m, v, (int)i, name, &add[i], err)))
                goto done;
        }
    }
    if ((rc = map_region_table(m, json_object_get(root, "s3_buckets"), &m->buckets, name,
                               "s3_buckets", err)))
        goto done;
    if ((rc = map_region_table(m, json_object_get(root, "atlas_namespaces"), &m->namespaces,
                               name, "atlas_namespaces", err)))
        goto done;
    if ((rc = map_terraform(m, json_object_get(root, "terraform"), name, err)))
        goto done;
    if (add) {
        /* A later file's rules are tried first. */
        if (m->nrules)
            memcpy(add + nadd, m->rules, (size_t)m->nrules * sizeof *add);
        free(m->rules);
        m->rules = add;
        m->nrules += nadd;
        m->cap_rules = m->nrules;
        add = NULL;
    }
done:
    free(add);
    json_decref(root);
    if (rc) {
        if (!map)
            import_map_free(m);
        return rc;
    }
    *out = m;
    return SM_OK;
}

int
import_map_load(struct import_map *map, const char *path, struct import_map **out,
                struct sm_error *err)
{
    char *buf;
    size_t len = 0;
    int rc;

    if (!(buf = readfile_all(path, IMPORT_MAP_MAX_BYTES, &len))) {
        if (errno == EFBIG)
            return sm_error_set(err, SM_EIO, "%s: larger than %d MiB; not a mapping file",
                                path, IMPORT_MAP_MAX_BYTES >> 20);
        if (errno == ENOMEM)
            return map_oom(err, path);
        return sm_error_set(err, SM_EIO, "%s: cannot open mapping file", path);
    }
    rc = import_map_load_text(map, buf, len, path, out, err);
    free(buf);
    return rc;
}

void
import_map_free(struct import_map *map)
{
    if (!map)
        return;
    free(map->rules);
    free(map->vals);
    sm_map_fini(&map->buckets);
    sm_map_fini(&map->namespaces);
    sm_map_fini(&map->tf_addresses);
    sm_arena_fini(&map->arena);
    free(map);
}

static const char *
lookup_region(const struct import_map *map, const struct sm_map *t, const char *key)
{
    char small[256], *lk = small;
    size_t i, n;
    int32_t v;

    if (!map || !key)
        return NULL;
    /* the whole key, however long: a cut key could match another bucket */
    n = strlen(key);
    if (n >= sizeof small && !(lk = malloc(n + 1)))
        return NULL;
    for (i = 0; i < n; i++)
        lk[i] = (char)tolower((unsigned char)key[i]);
    lk[n] = 0;
    v = sm_map_get(t, lk);
    if (lk != small)
        free(lk);
    return v == SM_NONE ? NULL : map->vals[v];
}

const char *
import_map_bucket_region(const struct import_map *map, const char *bucket)
{
    return map ? lookup_region(map, &map->buckets, bucket) : NULL;
}

const char *
import_map_namespace_region(const struct import_map *map, const char *ns)
{
    return map ? lookup_region(map, &map->namespaces, ns) : NULL;
}

static const char *
attr_get(const char *const *attrs, const char *k)
{
    for (int i = 0; attrs && attrs[i]; i += 2)
        if (strcasecmp(attrs[i], k) == 0)
            return attrs[i + 1];
    return NULL;
}

static bool
rule_matches(const struct map_rule *r, enum import_from from, const char *name,
             const char *value, const char *const *attrs, bool names_only)
{
    if (!(r->from & (1u << from)))
        return false;
    if (r->name_prefix ? strncasecmp(name, r->name, strlen(r->name)) != 0
                       : strcasecmp(name, r->name) != 0)
        return false;
    if (r->value) {
        /* " Tier1 " is tier1: case and surrounding blanks do not change a label */
        size_t n;
        if (!value)
            return false;
        while (isspace((unsigned char)*value))
            value++;
        n = strlen(value);
        while (n && isspace((unsigned char)value[n - 1]))
            n--;
        if (strcmp(r->value, "*") == 0 ? !n
                                       : strlen(r->value) != n ||
                                             strncasecmp(r->value, value, n) != 0)
            return false;
    }
    if (names_only && r->nattrs)
        return false;
    for (int i = 0; i < r->nattrs; i++) {
        const char *v = attr_get(attrs, r->attr_k[i]);
        if (!v || !*v)
            return false;
        if (strcmp(r->attr_v[i], "*") && strcasecmp(r->attr_v[i], v))
            return false;
    }
    return true;
}

/* Expand ${value} ${name} ${ATTR} with |upper |lower into *out (heap, exact
 * length). SM_OK with *out NULL when a variable is missing or empty (the
 * output is then dropped); SM_ENOMEM. Two passes: measure, then write. */
static bool expand_to(const char *tpl, const char *name, const char *value,
                      const char *const *attrs, char *out, size_t *len);

static int
expand(const char *tpl, const char *name, const char *value, const char *const *attrs,
       char **out)
{
    size_t n = 0;

    *out = NULL;
    if (!expand_to(tpl, name, value, attrs, NULL, &n) || n == 0)
        return SM_OK;
    if (!(*out = malloc(n + 1)))
        return SM_ENOMEM;
    expand_to(tpl, name, value, attrs, *out, &n);
    (*out)[n] = 0;
    return SM_OK;
}

static bool
expand_to(const char *tpl, const char *name, const char *value, const char *const *attrs,
          char *out, size_t *len)
{
    size_t o = 0;

    for (const char *p = tpl; *p; ) {
        if (p[0] == '$' && p[1] == '{') {
            const char *end = strchr(p + 2, '}');
            char var[64], *bar;
            const char *s;
            int mode = 0;
            if (!end || (size_t)(end - p - 2) >= sizeof var)
                return false;
            memcpy(var, p + 2, (size_t)(end - p - 2));
            var[end - p - 2] = 0;
            if ((bar = strchr(var, '|'))) {
                *bar++ = 0;
                mode = strcmp(bar, "upper") == 0 ? 1 : strcmp(bar, "lower") == 0 ? 2 : 0;
            }
            s = strcmp(var, "value") == 0 ? value : strcmp(var, "name") == 0 ? name
                                                    : attr_get(attrs, var);
            if (!s || !*s)
                return false;
            for (; *s; s++) {
                int c = (unsigned char)*s;
                if (out)
                    out[o] = (char)(mode == 1 ? toupper(c) : mode == 2 ? tolower(c) : c);
                o++;
            }
            p = end + 1;
        } else {
            if (out)
                out[o] = *p;
            o++;
            p++;
        }
    }
    *len = o;
    return o > 0;
}

void
import_map_label(const struct import_map *map, enum import_from from, const char *name,
                 const char *value, const char *const *attrs, bool names_only,
                 struct import_mapped *out)
{
    memset(out, 0, sizeof *out);
    for (int32_t i = 0; map && i < map->nrules; i++) {
        const struct map_rule *r = &map->rules[i];
        char *buf;
        if (!rule_matches(r, from, name, value, attrs, names_only))
            continue;
        out->matched = true;
        out->ignore = r->ignore;
        out->tier = r->tier;
        out->system = r->system;
        out->owner = r->owner;
        for (int k = 0; k < r->ntags; k++) {
            if (expand(r->tags[k], name, value, attrs, &buf))
                out->oom = true;
            else if (buf)
                out->tags[out->ntags++] = buf;
        }
        for (int k = 0; k < r->nsubjects; k++) {
            if (expand(r->subjects[k], name, value, attrs, &buf)) {
                out->oom = true;
                continue;
            }
            if (!buf)
                continue;
            for (char *q = buf; *q; q++)
                *q = (char)toupper((unsigned char)*q);
            out->subjects[out->nsubjects++] = buf;
        }
        return;
    }
}

void
import_mapped_fini(struct import_mapped *out)
{
    for (int k = 0; k < out->ntags; k++)
        free(out->tags[k]);
    for (int k = 0; k < out->nsubjects; k++)
        free(out->subjects[k]);
    out->ntags = out->nsubjects = 0;
}

/* ---- the run --------------------------------------------------------------------- */

#define VGROW(r, name) \
    sm_grow((void **)&(r)->name, &(r)->cap_##name, (r)->n##name + 1, sizeof *(r)->name)

const char *
imp_str(struct import_run *r, const char *s)
{
    return sm_arena_strdup(&r->arena, s ? s : "");
}

/* vsnprintf into the run's arena, exact length. NULL on out of memory. */
static const char *
imp_vfmt(struct import_run *r, const char *fmt, va_list ap)
{
    va_list ap2;
    char *s;
    int n;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || !(s = sm_arena_alloc(&r->arena, (size_t)n + 1)))
        return NULL;
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

const char *
imp_fmt(struct import_run *r, const char *fmt, ...)
{
    const char *s;
    va_list ap;

    va_start(ap, fmt);
    s = imp_vfmt(r, fmt, ap);
    va_end(ap);
    return s;
}

int
imp_bad(struct sm_error *err, const char *file, const char *fmt, ...)
{
    char *buf;
    int rc;
    va_list ap;

    va_start(ap, fmt);
    buf = vfmt_dup(fmt, ap);
    va_end(ap);
    if (!buf)
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", file);
    rc = sm_error_set(err, SM_EPARSE, "%s: %s", file, buf);
    free(buf);
    return rc;
}

const char *
imp_jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

struct import_run *
import_run_new(const struct import_map *map, const struct import_opts *opts)
{
    struct import_run *r = calloc(1, sizeof *r);

    if (!r)
        return NULL;
    r->map = map;
    if (opts)
        r->opts = *opts;
    if (!r->opts.now)
        r->opts.now = "";
    sm_arena_init(&r->arena);
    sm_map_init(&r->ds_by_name);
    sm_map_init(&r->ds_by_ref);
    sm_map_init(&r->keys);
    sm_map_init(&r->skip_keys);
    sm_map_init(&r->note_keys);
    if (r->opts.region && *r->opts.region)
        r->region = imp_region_id(r, "aws", r->opts.region);
    return r;
}

void
import_run_free(struct import_run *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->nfiles; i++)
        json_decref(r->files[i].root);
    free(r->files);
    json_decref(r->input);
    free(r->ds);
    free(r->fields);
    free(r->tags);
    free(r->refs);
    free(r->tiers);
    free(r->flows);
    free(r->copies);
    free(r->lines);
    free(r->skips);
    free(r->notes);
    free(r->touched);
    sm_map_fini(&r->ds_by_name);
    sm_map_fini(&r->ds_by_ref);
    sm_map_fini(&r->keys);
    sm_map_fini(&r->skip_keys);
    sm_map_fini(&r->note_keys);
    sm_arena_fini(&r->arena);
    free(r);
}

/* What an editor or a Windows shell does to JSON, said plainly instead of
 * the parser's "near '\xef\xbb\xbf'" (the file's encoding, not its syntax). */
static int
text_encoding(const char *name, const char *text, size_t len, struct sm_error *err)
{
    const unsigned char *u = (const unsigned char *)text;
    const char *nul;

    if (len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff)))
        return sm_error_set(err, SM_EPARSE, "%s: UTF-16 text (byte order mark %02X %02X); "
                            "convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)", name, u[0], u[1]);
    if (len >= 2 && (u[0] == 0 || u[1] == 0))
        return sm_error_set(err, SM_EPARSE, "%s: UTF-16 or binary text (a NUL byte at the "
                            "start); convert it to UTF-8", name);
    if (len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
        return sm_error_set(err, SM_EPARSE, "%s: starts with a UTF-8 byte order mark "
                            "(EF BB BF); save it as UTF-8 without a BOM",
                            name);
    if ((nul = memchr(text, 0, len)))
        return sm_error_set(err, SM_EPARSE, "%s: a NUL byte at offset %zu; JSON text has none",
                            name, (size_t)(nul - text));
    return SM_OK;
}

int
import_run_add_file(struct import_run *r, const char *name, const char *text, size_t len,
                    struct sm_error *err)
{
    json_error_t je;
    json_t *root;
    int rc;

    if ((rc = text_encoding(name, text, len, err)))
        return rc;
    root = json_loadb(text, len, 0, &je);
    if (!root)
        return sm_error_set(err, SM_EPARSE, "%s:%d:%d: %s", name, je.line, je.column, je.text);
    if (sm_grow((void **)&r->files, &r->cap_files, r->nfiles + 1, sizeof *r->files)) {
        json_decref(root);
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", name);
    }
    r->files[r->nfiles].name = imp_str(r, name);
    r->files[r->nfiles++].root = root;
    return SM_OK;
}

int
import_run_parse(struct import_run *r, const struct importer_ops *ops, struct sm_error *err)
{
    r->ops = ops;
    if (r->opts.input_text && !r->input) {
        json_error_t je;
        int rc = text_encoding(r->opts.input ? r->opts.input : "input", r->opts.input_text,
                               r->opts.input_len, err);
        if (rc)
            return rc;
        r->input = json_loadb(r->opts.input_text, r->opts.input_len, 0, &je);
        if (!r->input)
            return sm_error_set(err, SM_EPARSE, "%s:%d:%d: %s",
                                r->opts.input ? r->opts.input : "input", je.line, je.column,
                                je.text);
    }
    for (int i = 0; i < r->nfiles; i++)
        if (!ops->detect(r->files[i].root))
            return sm_error_set(err, SM_EPARSE, "%s: not a %s export (%s)", r->files[i].name,
                                ops->name, ops->summary);
    return ops->parse(r, err);
}

const struct importer_ops *const importers[] = {
    &importer_atlas, &importer_glue, &importer_lf, &importer_terraform, NULL
};

const struct importer_ops *
importer_find(const char *name)
{
    for (int i = 0; importers[i]; i++)
        if (strcmp(importers[i]->name, name) == 0)
            return importers[i];
    return NULL;
}

/* ---- record builders --------------------------------------------------------------- */

int32_t
imp_ds_find(const struct import_run *r, const char *name, const char *source_ref)
{
    int32_t i = SM_NONE;

    if (source_ref && *source_ref)
        i = sm_map_get(&r->ds_by_ref, source_ref);
    if (i == SM_NONE && name)
        i = sm_map_get(&r->ds_by_name, name);
    return i;
}

int32_t
imp_ds(struct import_run *r, const char *name, const char *source_ref, const char *file)
{
    int32_t i = imp_ds_find(r, name, source_ref);
    struct imp_ds *d;

    if (i != SM_NONE) {
        d = &r->ds[i];
        if (source_ref && *source_ref && !*d->source_ref) {
            if (!(d->source_ref = imp_str(r, source_ref)) ||
                sm_map_put(&r->ds_by_ref, d->source_ref, i))
                return SM_NONE;
        }
        return i;
    }
    if (VGROW(r, ds))
        return SM_NONE;
    i = r->nds;
    d = &r->ds[i];
    memset(d, 0, sizeof *d);
    d->name = imp_str(r, name);
    d->source_ref = imp_str(r, source_ref);
    d->file = imp_str(r, file);
    d->first_field = d->last_field = d->first_tag = d->last_tag = SM_NONE;
    d->first_carrier = d->first_tier = d->first_diff = d->last_diff = SM_NONE;
    d->first_copy = d->last_copy = SM_NONE;
    d->id = SM_NONE;
    if (!d->name || !d->source_ref || !d->file || sm_map_put(&r->ds_by_name, d->name, i))
        return SM_NONE;
    if (*d->source_ref && sm_map_put(&r->ds_by_ref, d->source_ref, i))
        return SM_NONE;
    r->nds++;
    return i;
}

/* A set of keys for deduplication, in the run's arena. True when new. */
static int
key_once(struct import_run *r, const char *key, bool *fresh);

/* key_once of "kind\x1fds\x1fa\x1fb", however long a and b are (hostile
 * names must not collide by truncation). */
static int
key_parts(struct import_run *r, char kind, int32_t ds, const char *a, const char *b,
          bool *fresh)
{
    char small[512], *key = small;
    size_t need = strlen(a) + strlen(b) + 32;
    int rc;

    if (need > sizeof small && !(key = malloc(need)))
        return SM_ENOMEM;
    snprintf(key, need > sizeof small ? need : sizeof small, "%c\x1f%d\x1f%s\x1f%s", kind,
             (int)ds, a, b);
    rc = key_once(r, key, fresh);
    if (key != small)
        free(key);
    return rc;
}

static int
key_once(struct import_run *r, const char *key, bool *fresh)
{
    const char *k;

    *fresh = false;
    if (sm_map_get(&r->keys, key) != SM_NONE)
        return SM_OK;
    if (!(k = imp_str(r, key)) || sm_map_put(&r->keys, k, 1))
        return SM_ENOMEM;
    *fresh = true;
    return SM_OK;
}

int
imp_field(struct import_run *r, int32_t ds, const char *field)
{
    bool fresh;
    int rc;

    if (!field || !*field)
        return SM_OK;
    if ((rc = key_parts(r, 'f', ds, field, "", &fresh)) || !fresh)
        return rc;
    if (VGROW(r, fields))
        return SM_ENOMEM;
    r->fields[r->nfields].name = imp_str(r, field);
    r->fields[r->nfields].next = SM_NONE;
    if (r->ds[ds].last_field == SM_NONE)
        r->ds[ds].first_field = r->nfields;
    else
        r->fields[r->ds[ds].last_field].next = r->nfields;
    r->ds[ds].last_field = r->nfields++;
    return SM_OK;
}

static int source_rank(const char *entity);

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

#define PROPAGATED " (propagated from "

/* The same classification propagated to one entity from several sources:
 * "G (propagated from A)" and "G (propagated from B)" make
 * "G (propagated from A; B)", sources sorted (any order of files gives the
 * same text). NULL: not two propagations of one entity; keep the first. */
static const char *
merge_propagated(struct import_run *r, const char *old, const char *add)
{
    const char *p1 = strstr(old, PROPAGATED), *p2 = strstr(add, PROPAGATED);
    const char *e1, *e2, *out;
    size_t k = strlen(PROPAGATED);

    if (!p1 || !p2 || p1 - old != p2 - add || strncmp(old, add, (size_t)(p1 - old)))
        return NULL;
    e1 = strchr(p1 + k, ')');
    e2 = strchr(p2 + k, ')');
    if (!e1 || !e2 || strcmp(e1, e2))
        return NULL;    /* other marks differ (expired, search) */
    /* the sources: old's list and add's one, sorted, each once */
    const char **v = NULL;
    int32_t nv = 0, cap = 0;
    for (int pass = 0; pass < 2; pass++) {
        const char *q = pass ? p2 + k : p1 + k, *end = pass ? e2 : e1;
        while (q < end) {
            const char *sep = strstr(q, "; ");
            size_t n = (size_t)((sep && sep < end ? sep : end) - q);
            if (sm_grow((void **)&v, &cap, nv + 1, sizeof *v) ||
                !(v[nv++] = sm_arena_strndup(&r->arena, q, n))) {
                free(v);
                return NULL;
            }
            q += n + 2;
        }
    }
    qsort(v, (size_t)nv, sizeof *v, cmp_str);
    out = imp_fmt(r, "%.*s", (int)(p1 - old + (ptrdiff_t)k), old);
    for (int32_t i = 0; out && i < nv; i++)
        if (i == 0 || strcmp(v[i], v[i - 1]))
            out = imp_fmt(r, "%s%s%s", out, i ? "; " : "", v[i]);
    free(v);
    return out ? imp_fmt(r, "%s%s", out, e1) : NULL;
}

int
imp_tag(struct import_run *r, int32_t ds, const char *field, const char *tag,
        const char *entity, const char *source)
{
    bool fresh;
    int rc;
    struct imp_tag *t;

    if (!tag || !*tag)
        return SM_OK;
    if (field && (rc = imp_field(r, ds, field)))
        return rc;
    if ((rc = key_parts(r, 't', ds, field ? field : "", tag, &fresh)))
        return rc;
    if (!fresh) {
        /* every propagation source is kept in the one tag's provenance */
        for (int32_t i = r->ds[ds].first_tag; entity && i != SM_NONE; i = r->tags[i].next) {
            struct imp_tag *o = &r->tags[i];
            if (strcmp(o->tag, tag) || !sm_streq(o->field, field))
                continue;
            const char *m = merge_propagated(r, o->entity, entity);
            if (m) {
                o->entity = m;
            } else if (source_rank(entity) > source_rank(o->entity)) {
                /* two files of one command: the higher source's provenance,
                 * whatever order the files were given in */
                if (!(o->entity = imp_str(r, entity)) || !(o->source = imp_str(r, source)))
                    return SM_ENOMEM;
            }
            break;
        }
        return SM_OK;
    }
    if (VGROW(r, tags))
        return SM_ENOMEM;
    t = &r->tags[r->ntags];
    t->tag = imp_str(r, tag);
    t->field = field ? imp_str(r, field) : NULL;
    t->entity = imp_str(r, entity);
    t->source = imp_str(r, source);
    t->next = SM_NONE;
    if (!t->tag || !t->entity || !t->source || (field && !t->field))
        return SM_ENOMEM;
    if (r->ds[ds].last_tag == SM_NONE)
        r->ds[ds].first_tag = r->ntags;
    else
        r->tags[r->ds[ds].last_tag].next = r->ntags;
    r->ds[ds].last_tag = r->ntags++;
    return SM_OK;
}

int
imp_carrier(struct import_run *r, int32_t ds, const char *ref)
{
    bool fresh;
    int rc;

    if ((rc = key_parts(r, 'c', ds, ref, "", &fresh)) || !fresh)
        return rc;
    if (VGROW(r, refs))
        return SM_ENOMEM;
    if (!(r->refs[r->nrefs].ref = imp_str(r, ref)))
        return SM_ENOMEM;
    r->refs[r->nrefs].next = r->ds[ds].first_carrier;
    r->ds[ds].first_carrier = r->nrefs++;
    return SM_OK;
}

static bool
weak_why(const char *why)
{
    return strncmp(why, "--region", 8) == 0 || strncmp(why, "the ARN", 7) == 0;
}

void
imp_region(struct import_run *r, int32_t ds, const char *region, const char *why,
           const char *file)
{
    struct imp_ds *d = &r->ds[ds];
    bool weak;

    if (!region)
        return;
    weak = weak_why(why);
    if (d->region && strcmp(d->region, region)) {
        if (weak)
            return;
        if (!d->region_weak) {
            imp_note(r, true, "%s: region %s (%s, %s) contradicts %s (%s, %s); kept %s",
                     d->name, region, why, file, d->region, d->region_why, d->region_file,
                     d->region);
            return;
        }
    } else if (d->region && (weak || !d->region_weak)) {
        return;
    }
    d->region = imp_str(r, region);
    d->region_why = imp_str(r, why);
    d->region_file = imp_str(r, file);
    d->region_weak = weak;
}

int
imp_copy(struct import_run *r, int32_t ds, const char *region, int role,
         const char *key_region, int encrypted, const char *entity, const char *file)
{
    struct import_copy *c;

    if (!region || !entity)
        return SM_ENOMEM;
    for (int32_t i = r->ds[ds].first_copy; i != SM_NONE; i = r->copies[i].next) {
        c = &r->copies[i];
        if (strcmp(c->region, region) || c->role != role)
            continue;
        if (key_region && (!c->key_region || (!strcmp(c->key_region, c->region) &&
                                              strcmp(key_region, region))))
            if (!(c->key_region = imp_str(r, key_region)))
                return SM_ENOMEM;
        if (encrypted == 0 || c->encrypted < 0)
            c->encrypted = (int8_t)encrypted;
        if (!strstr(c->entity, entity) &&
            !(c->entity = imp_fmt(r, "%s, %s", c->entity, entity)))
            return SM_ENOMEM;
        return SM_OK;
    }
    if (VGROW(r, copies))
        return SM_ENOMEM;
    c = &r->copies[r->ncopies];
    c->ds = ds;
    c->dataset = r->ds[ds].name;
    c->region = imp_str(r, region);
    c->key_region = key_region ? imp_str(r, key_region) : NULL;
    c->role = (uint8_t)role;
    c->encrypted = (int8_t)encrypted;
    c->entity = imp_str(r, entity);
    c->file = imp_str(r, file);
    c->next = SM_NONE;
    if (!c->region || !c->entity || !c->file || (key_region && !c->key_region))
        return SM_ENOMEM;
    if (r->ds[ds].last_copy == SM_NONE)
        r->ds[ds].first_copy = r->ncopies;
    else
        r->copies[r->ds[ds].last_copy].next = r->ncopies;
    r->ds[ds].last_copy = r->ncopies++;
    return SM_OK;
}

int32_t
import_run_copies(const struct import_run *r, const struct import_copy **out)
{
    *out = r->copies;
    return r->ncopies;
}

void
imp_describe(struct import_run *r, int32_t ds, const char *system, const char *owner,
             const char *description)
{
    struct imp_ds *d = &r->ds[ds];

    if (system && *system && !d->system)
        d->system = imp_str(r, system);
    if (owner && *owner && !d->owner)
        d->owner = imp_str(r, owner);
    if (description && *description && !d->description)
        d->description = imp_str(r, description);
}

static int
add_subject(struct import_run *r, int32_t ds, const char *s, const char *entity)
{
    struct imp_ds *d = &r->ds[ds];
    int cc = sm_cc(s);

    if (cc == SM_NONE || !sm_cc_known(cc)) {
        const char *alias = sm_cc_alias(s);
        imp_note(r, false, "%s: \"%s\" (from %s) is not a country or bloc code; ignored%s%s%s",
                 d->name, s, entity, alias ? " (did you mean " : "", alias ? alias : "",
                 alias ? "?)" : "");
        return SM_OK;
    }
    for (int i = 0; i < d->nsubjects; i++)
        if (d->subjects[i] == cc)
            return SM_OK;
    if (d->nsubjects == MODEL_MAX_SUBJECTS) {
        imp_note(r, false, "%s: more than %d subject jurisdictions; %s ignored", d->name,
                 MODEL_MAX_SUBJECTS, s);
        return SM_OK;
    }
    d->subjects[d->nsubjects++] = (uint16_t)cc;
    return SM_OK;
}

static int label_apply(struct import_run *r, int32_t ds, const char *field,
                       const struct import_mapped *mp, const char *name, const char *value,
                       const char *const *attrs, bool names_only, const char *entity,
                       const char *file);

int
imp_label(struct import_run *r, int32_t ds, const char *field, enum import_from from,
          const char *name, const char *value, const char *const *attrs, bool names_only,
          const char *entity, const char *file)
{
    struct import_mapped mp;
    int rc;

    if (!name || !*name)
        return SM_OK;
    if (value && (isspace((unsigned char)value[0]) ||
                  (*value && isspace((unsigned char)value[strlen(value) - 1])))) {
        /* " Tier1 " is Tier1: surrounding blanks are not part of a label */
        size_t n;
        while (isspace((unsigned char)*value))
            value++;
        n = strlen(value);
        while (n && isspace((unsigned char)value[n - 1]))
            n--;
        if (!(value = sm_arena_strndup(&r->arena, value, n)))
            return SM_ENOMEM;
    }
    import_map_label(r->map, from, name, value, attrs, names_only, &mp);
    rc = mp.oom ? SM_ENOMEM : label_apply(r, ds, field, &mp, name, value, attrs, names_only,
                                          entity, file);
    import_mapped_fini(&mp);
    return rc;
}

static int
label_apply(struct import_run *r, int32_t ds, const char *field, const struct import_mapped *mp,
            const char *name, const char *value, const char *const *attrs, bool names_only,
            const char *entity, const char *file)
{
    int rc;

    if (mp->ignore)
        return SM_OK;
    if (!mp->matched) {
        size_t n = strlen(name) + (value ? strlen(value) : 0) + 2;
        char *buf;
        if (names_only)
            return SM_OK;   /* a bare name says too little to keep */
        if (!(buf = malloc(n)))
            return SM_ENOMEM;
        snprintf(buf, n, value ? "%s=%s" : "%s", name, value);
        rc = imp_tag(r, ds, field, buf, entity, file);
        free(buf);
        return rc;
    }
    if (mp->tier && !field) {
        if (VGROW(r, tiers))
            return SM_ENOMEM;
        r->tiers[r->ntiers].tier = imp_str(r, mp->tier);
        r->tiers[r->ntiers].file = imp_str(r, file);
        r->tiers[r->ntiers].entity = imp_str(r, entity);
        r->tiers[r->ntiers].next = r->ds[ds].first_tier;
        r->ds[ds].first_tier = r->ntiers++;
    }
    if (!field) {
        char *buf;
        if (mp->system) {
            if (expand(mp->system, name, value, attrs, &buf))
                return SM_ENOMEM;
            if (buf)
                imp_describe(r, ds, buf, NULL, NULL);
            free(buf);
        }
        if (mp->owner) {
            if (expand(mp->owner, name, value, attrs, &buf))
                return SM_ENOMEM;
            if (buf)
                imp_describe(r, ds, NULL, buf, NULL);
            free(buf);
        }
    }
    for (int i = 0; i < mp->nsubjects; i++)
        if ((rc = add_subject(r, ds, mp->subjects[i], entity)))
            return rc;
    for (int i = 0; i < mp->ntags; i++)
        if ((rc = imp_tag(r, ds, field, mp->tags[i], entity, file)))
            return rc;
    return SM_OK;
}

int
imp_flow(struct import_run *r, int32_t from, int32_t to, const char *via, const char *file)
{
    char key[64];
    bool fresh;
    int rc;

    if (from == to)
        return SM_OK;
    snprintf(key, sizeof key, "l\x1f%d\x1f%d", (int)from, (int)to);
    if ((rc = key_once(r, key, &fresh)) || !fresh)
        return rc;
    if (VGROW(r, flows))
        return SM_ENOMEM;
    r->flows[r->nflows].from = from;
    r->flows[r->nflows].to = to;
    r->flows[r->nflows].via = imp_str(r, via);
    r->flows[r->nflows++].file = imp_str(r, file);
    return SM_OK;
}

static void
note_add(struct import_run *r, struct sm_map *keys, struct imp_note **v, int32_t *n,
         int32_t *cap, const char *text)
{
    int32_t i = sm_map_get(keys, text);
    const char *t;

    if (i != SM_NONE) {
        (*v)[i].count++;
        return;
    }
    if (!(t = imp_str(r, text)) || sm_grow((void **)v, cap, *n + 1, sizeof **v))
        return;
    if (sm_map_put(keys, t, *n))
        return;
    (*v)[*n].text = t;
    (*v)[(*n)++].count = 1;
}

void
imp_skip(struct import_run *r, const char *what, const char *why)
{
    char *buf = fmt_dup("%s (%s)", what, why);

    r->stats.skipped++;
    if (buf)
        note_add(r, &r->skip_keys, &r->skips, &r->nskips, &r->cap_skips, buf);
    free(buf);
}

void
imp_note(struct import_run *r, bool conflict, const char *fmt, ...)
{
    char *text, *buf;
    va_list ap;

    va_start(ap, fmt);
    text = vfmt_dup(fmt, ap);
    va_end(ap);
    buf = text ? fmt_dup("%s%s", conflict ? "conflict: " : "warning: ", text) : NULL;
    free(text);
    if (!buf)
        return;
    if (sm_map_get(&r->note_keys, buf) == SM_NONE) {
        if (conflict)
            r->stats.conflicts++;
        else
            r->stats.warnings++;
    }
    note_add(r, &r->note_keys, &r->notes, &r->nnotes, &r->cap_notes, buf);
    free(buf);
}

const char *
imp_ds_name(struct import_run *r, const char *db, const char *table)
{
    char *s = (char *)imp_fmt(r, "%s.%s", db, table);
    char *at = s ? strchr(s, '@') : NULL;

    if (at)
        *at = '#';
    return s;
}

const char *
imp_region_id(struct import_run *r, const char *provider, const char *code)
{
    const char *lc;

    if (!code || !*code)
        return NULL;
    if (strchr(code, ':'))
        return imp_str(r, code);
    if (!(lc = lower_dup(&r->arena, code)))
        return NULL;
    /* S3 GetBucketLocation quirk: "EU" is the old name of eu-west-1. */
    if (strcmp(provider, "aws") == 0 && strcmp(lc, "eu") == 0)
        lc = "eu-west-1";
    return imp_fmt(r, "%s:%s", provider, lc);
}

const char *
imp_s3_bucket(struct import_run *r, const char *uri)
{
    const char *p, *end;
    char *buf;

    if (!uri)
        return NULL;
    if (strncasecmp(uri, "s3://", 5) == 0)
        p = uri + 5;
    else if (strncasecmp(uri, "s3a://", 6) == 0 || strncasecmp(uri, "s3n://", 6) == 0)
        p = uri + 6;
    else
        return NULL;
    end = p + strcspn(p, "/@");
    if (end == p || !(buf = sm_arena_strndup(&r->arena, p, (size_t)(end - p))))
        return NULL;
    for (char *q = buf; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    return buf;
}

const char *
imp_location_region(struct import_run *r, const char *location, const char **why)
{
    const char *bucket = imp_s3_bucket(r, location);
    const char *reg;

    if (!bucket)
        return NULL;
    if ((reg = import_map_bucket_region(r->map, bucket))) {
        *why = imp_fmt(r, "bucket %s in the mapping file", bucket);
        return reg;
    }
    return NULL;
}

/* ---- apply ---------------------------------------------------------------------- */

static int
diff_line(struct import_run *r, int32_t ds, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
diff_line(struct import_run *r, int32_t ds, const char *fmt, ...)
{
    const char *text;
    va_list ap;

    va_start(ap, fmt);
    text = imp_vfmt(r, fmt, ap);
    va_end(ap);
    if (!text || VGROW(r, lines))
        return SM_ENOMEM;
    r->lines[r->nlines].text = text;
    r->lines[r->nlines].next = SM_NONE;
    if (r->ds[ds].last_diff == SM_NONE)
        r->ds[ds].first_diff = r->nlines;
    else
        r->lines[r->ds[ds].last_diff].next = r->nlines;
    r->ds[ds].last_diff = r->nlines++;
    if (r->ds[ds].status == 0)
        r->ds[ds].status = 2;
    r->changed = true;
    return SM_OK;
}

static int
touch(struct import_run *r, enum obj_kind kind, int32_t id)
{
    char key[48];
    bool fresh;
    int rc;

    snprintf(key, sizeof key, "o\x1f%d\x1f%d", (int)kind, (int)id);
    if ((rc = key_once(r, key, &fresh)) || !fresh)
        return rc;
    if (VGROW(r, touched))
        return SM_ENOMEM;
    r->touched[r->ntouched].kind = kind;
    r->touched[r->ntouched++].id = id;
    return SM_OK;
}

bool
imp_entity_partial(const char *entity)
{
    size_t n = entity ? strlen(entity) : 0, k = strlen(IMP_PARTIAL);

    return n >= k && strcmp(entity + n - k, IMP_PARTIAL) == 0;
}

/* Precedence of the source that set a tag, from its entity: a partial
 * listing, then Lake Formation ("lf:"), Glue resource tags (an ARN), and the
 * Atlas entity-bulk (a guid) first. Used only between sources that agree. */
static int
source_rank(const char *entity)
{
    if (imp_entity_partial(entity))
        return 0;
    if (strncmp(entity, "lf:", 3) == 0)
        return 1;
    if (strncmp(entity, "arn:", 4) == 0)
        return 2;
    return 3;
}

/* Does this run's file fully describe the tags entity set? Only for tags
 * an authoritative file set: a partial listing's tags stay. */
static bool
carrier_of(const struct import_run *r, const struct imp_ds *d, const char *entity)
{
    size_t n = strcspn(entity, " ");

    if (imp_entity_partial(entity))
        return false;

    for (int32_t c = d->first_carrier; c != SM_NONE; c = r->refs[c].next)
        if (strlen(r->refs[c].ref) == n && strncmp(r->refs[c].ref, entity, n) == 0)
            return true;
    return false;
}

static const char *
field_label(const struct model *m, int32_t f)
{
    return f == SM_NONE ? "" : m->fields[f].name;
}

static int
apply_tier(struct import_run *r, struct model *m, int32_t i, struct sm_error *err)
{
    struct imp_ds *d = &r->ds[i];
    int32_t best = SM_NONE, tid;
    const char *best_file = NULL;
    bool disagree = false;

    for (int32_t t = d->first_tier; t != SM_NONE; t = r->tiers[t].next) {
        tid = model_tier(m, r->tiers[t].tier);
        if (tid == SM_NONE) {
            imp_note(r, false, "mapping names tier %s, which is not in the catalog; %s left "
                     "unclassified by it", r->tiers[t].tier, d->name);
            continue;
        }
        if (best != SM_NONE && tid != best && strcmp(best_file, r->tiers[t].file))
            disagree = true;
        if (best == SM_NONE || m->tiers[tid].rank > m->tiers[best].rank) {
            best = tid;
            best_file = r->tiers[t].file;
        }
    }
    if (disagree) {
        const char *list = "";
        for (int32_t t = d->first_tier; t != SM_NONE && list; t = r->tiers[t].next)
            list = imp_fmt(r, "%s%s%s (%s)", list, *list ? ", " : "", r->tiers[t].tier,
                           r->tiers[t].file);
        if (!list)
            return sm_error_set(err, SM_ENOMEM, "import: out of memory");
        imp_note(r, true, "%s: the files disagree on its tier: %s; kept the highest, %s",
                 d->name, list, m->tiers[best].name);
    }
    if (best == SM_NONE || m->datasets[d->id].tier == best)
        return SM_OK;
    {
        int32_t old = m->datasets[d->id].tier;
        int rc = model_set(m, OBJ_DATASET, d->id, "tier", m->tiers[best].name, err);
        if (rc)
            return rc;
        if (d->status != 1)
            return diff_line(r, i, "  ~ tier %s -> %s", old == SM_NONE ? "(none)"
                                                         : m->tiers[old].name,
                             m->tiers[best].name);
        return diff_line(r, i, "  + tier %s", m->tiers[best].name);
    }
}

static int
apply_subjects(struct import_run *r, struct model *m, int32_t i, struct sm_error *err)
{
    struct imp_ds *d = &r->ds[i];
    struct dataset *md = &m->datasets[d->id];
    char before[64], buf[64];
    size_t o = 0;
    uint16_t s[MODEL_MAX_SUBJECTS];
    int n = md->nsubjects, rc;
    bool add = false;

    memcpy(s, md->subjects, sizeof s);
    for (int k = 0; k < d->nsubjects; k++) {
        bool have = false;
        for (int j = 0; j < n; j++)
            have |= s[j] == d->subjects[k];
        if (!have && n < MODEL_MAX_SUBJECTS) {
            s[n++] = d->subjects[k];
            add = true;
        }
    }
    if (!add)
        return SM_OK;
    model_get(m, OBJ_DATASET, d->id, "subjects", before, sizeof before);
    buf[0] = 0;
    for (int k = 0; k < n; k++) {
        char cc[3];
        sm_cc_str(s[k], cc);
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", k ? "," : "", cc);
    }
    if ((rc = model_set(m, OBJ_DATASET, d->id, "subjects", buf, err)))
        return rc;
    model_get(m, OBJ_DATASET, d->id, "subjects", buf, sizeof buf);
    if (*before)
        return diff_line(r, i, "  ~ subjects %s -> %s", before, buf);
    return diff_line(r, i, "  + subjects %s", buf);
}

/* A string attribute of a dataset, whole. */
static const char *
ds_attr(const struct model *m, int32_t id, const char *attr)
{
    const struct dataset *d = &m->datasets[id];
    const char *v = strcmp(attr, "source") == 0 ? d->source_ref
                  : strcmp(attr, "system") == 0 ? d->system
                  : strcmp(attr, "owner") == 0 ? d->owner
                  : strcmp(attr, "description") == 0 ? d->description : NULL;

    assert(strcmp(attr, "source") == 0 || strcmp(attr, "system") == 0 ||
           strcmp(attr, "owner") == 0 || strcmp(attr, "description") == 0);
    return v ? v : "";
}

static int
apply_attr(struct import_run *r, struct model *m, int32_t i, const char *attr,
           const char *val, struct sm_error *err)
{
    const char *before;
    int rc;

    if (!val || !*val)
        return SM_OK;
    /* the whole value: a cut copy would differ on every import */
    if (!(before = ds_attr(m, r->ds[i].id, attr)))
        return SM_ENOMEM;
    if (strcmp(before, val) == 0)
        return SM_OK;
    if (!(before = imp_str(r, before)))   /* model_set frees the old text */
        return SM_ENOMEM;
    if ((rc = model_set(m, OBJ_DATASET, r->ds[i].id, attr, val, err)))
        return rc;
    if (r->ds[i].status == 1)
        return SM_OK;
    return diff_line(r, i, "  ~ %s \"%s\" -> \"%s\"", attr, before, val);
}

/* An Atlas reference is a guid; Glue and Lake Formation write "glue:"/"lf:". */
static bool
atlas_ref(const char *ref)
{
    return ref && *ref && strncmp(ref, "glue:", 5) && strncmp(ref, "lf:", 3);
}

/* apply_attr for a source that is the authority for this dataset's
 * attributes; another source only fills an empty one, and a value it
 * disagrees on is a conflict in the summary, never a change. */
static int
apply_attr_from(struct import_run *r, struct model *m, int32_t i, const char *attr,
                const char *val, bool authority, struct sm_error *err)
{
    const char *have;

    if (authority || !val || !*val)
        return apply_attr(r, m, i, attr, val, err);
    if (!(have = ds_attr(m, r->ds[i].id, attr)))
        return SM_ENOMEM;
    if (!*have)
        return apply_attr(r, m, i, attr, val, err);
    if (strcmp(have, val))
        imp_note(r, true, "%s: %s \"%s\" (%s, %s) differs from the catalog's \"%s\", which "
                 "%s; kept the catalog's", r->ds[i].name, attr, val, r->ops->name, r->ds[i].file,
                 have, atlas_ref(m->datasets[r->ds[i].id].source_ref)
                           ? "the Atlas entity-bulk set (the authority for what Atlas knows)"
                           : "a fuller source set");
    return SM_OK;
}

static int
apply_placement(struct import_run *r, struct model *m, int32_t i, struct sm_error *err)
{
    struct imp_ds *d = &r->ds[i];
    int32_t rid, p, pid;
    struct placement np;
    int rc;

    p = model_primary(m, d->id);
    if (!d->region) {
        if (p == SM_NONE && m->datasets[d->id].first_placement == SM_NONE) {
            r->stats.no_region++;
            imp_note(r, false, "%s: no region (%s); imported without a copy", d->name,
                     d->no_region_why ? d->no_region_why
                                      : "no location, bucket map entry or --region");
        }
        return SM_OK;
    }
    rid = model_region(m, d->region);
    if (rid == SM_NONE) {
        imp_note(r, false, "%s: region %s (%s) is not a known region; imported without a copy",
                 d->name, d->region, d->region_why);
        if (p == SM_NONE)
            r->stats.no_region++;
        return SM_OK;
    }
    if (p != SM_NONE) {
        if (m->placements[p].region == rid || d->region_weak)
            return SM_OK;
        const char *old = m->regions[m->placements[p].region].id;
        if ((rc = model_set(m, OBJ_PLACEMENT, p, "region", d->region, err))) {
            imp_note(r, false, "%s: the source moved it from %s to %s but the copy could not "
                     "follow: %s", d->name, old, d->region, err ? err->msg : "");
            return SM_OK;
        }
        if ((rc = touch(r, OBJ_PLACEMENT, p)))
            return rc;
        return diff_line(r, i, "  ~ primary %s -> %s (%s)", old, d->region, d->region_why);
    }
    model_placement_init(&np);
    np.dataset = d->id;
    np.region = rid;
    np.role = ROLE_PRIMARY;
    if ((rc = model_add_placement(m, &np, &pid, err)))
        return rc;
    if ((rc = touch(r, OBJ_PLACEMENT, pid)))
        return rc;
    return diff_line(r, i, "  + primary %s (%s)", d->region, d->region_why);
}

/* The copies an importer found (terraform): added when the dataset has
 * none in that region with that role, their key region and encryption
 * brought up to date otherwise. Never removes a copy: a resource missing
 * from one file says nothing about the others. */
static int
apply_copies(struct import_run *r, struct model *m, int32_t i, struct sm_error *err)
{
    struct imp_ds *d = &r->ds[i];
    int rc;

    for (int32_t k = d->first_copy; k != SM_NONE; k = r->copies[k].next) {
        const struct import_copy *c = &r->copies[k];
        int32_t rid = model_region(m, c->region), kid = SM_NONE, p, prim;
        int rl = c->role;
        const char *role;
        if (rid != SM_NONE && rl == ROLE_PRIMARY &&
            (prim = model_primary(m, d->id)) != SM_NONE && m->placements[prim].region != rid) {
            /* one primary per dataset: another resource's copy is a replica */
            imp_note(r, false, "%s: a second primary copy in %s (%s); recorded as a replica of "
                     "the one in %s", d->name, c->region, c->entity,
                     m->regions[m->placements[prim].region].id);
            rl = ROLE_REPLICA;
        }
        role = role_names[rl];
        if (rid == SM_NONE) {
            imp_note(r, false, "%s: %s copy in %s (%s) is not in a known region; not imported",
                     d->name, role, c->region, c->entity);
            continue;
        }
        if (c->key_region && (kid = model_region(m, c->key_region)) == SM_NONE)
            imp_note(r, false, "%s: key region %s of the copy in %s (%s) is not a known region",
                     d->name, c->key_region, c->region, c->entity);
        p = model_placement_of(m, d->id, rid, rl);
        if (p == SM_NONE) {
            struct placement np;
            model_placement_init(&np);
            np.dataset = d->id;
            np.region = rid;
            np.role = (uint8_t)rl;
            np.key_region = kid;
            np.encrypted = c->encrypted != 0;
            if ((rc = model_add_placement(m, &np, &p, err)) || (rc = touch(r, OBJ_PLACEMENT, p)))
                return rc;
            r->stats.copies_new++;
            if ((rc = diff_line(r, i, "  + %s %s%s%s%s  [%s]", role, c->region,
                                kid != SM_NONE ? " key " : "",
                                kid != SM_NONE ? c->key_region : "",
                                c->encrypted == 0 ? " unencrypted" : "", c->entity)))
                return rc;
            continue;
        }
        if (kid != SM_NONE && m->placements[p].key_region != kid) {
            int32_t old = m->placements[p].key_region;
            if ((rc = model_set(m, OBJ_PLACEMENT, p, "key-region", c->key_region, err)) ||
                (rc = touch(r, OBJ_PLACEMENT, p)))
                return rc;
            r->stats.copies_changed++;
            if ((rc = diff_line(r, i, "  ~ %s %s key %s -> %s  [%s]", role, c->region,
                                old == SM_NONE ? "(none)" : m->regions[old].id, c->key_region,
                                c->entity)))
                return rc;
        }
        if (c->encrypted >= 0 && m->placements[p].encrypted != (c->encrypted != 0)) {
            if ((rc = model_set(m, OBJ_PLACEMENT, p, "encrypted",
                                c->encrypted ? "true" : "false", err)) ||
                (rc = touch(r, OBJ_PLACEMENT, p)))
                return rc;
            r->stats.copies_changed++;
            if ((rc = diff_line(r, i, "  ~ %s %s encrypted %s  [%s]", role, c->region,
                                c->encrypted ? "yes" : "no", c->entity)))
                return rc;
        }
    }
    return SM_OK;
}

static int
apply_tags(struct import_run *r, struct model *m, int32_t i, uint32_t *seen, int32_t cap_seen,
           struct sm_error *err)
{
    struct imp_ds *d = &r->ds[i];
    uint32_t stamp = (uint32_t)i + 1;
    int rc;

    for (int32_t f = d->first_field; f != SM_NONE; f = r->fields[f].next) {
        int32_t fid = model_field(m, d->id, r->fields[f].name);
        if (fid != SM_NONE)
            continue;
        if ((rc = model_add_field(m, d->id, r->fields[f].name, &fid, err)))
            return rc;
        r->stats.fields_new++;
        if (d->status != 1 && (rc = diff_line(r, i, "  + field %s", r->fields[f].name)))
            return rc;
        else if (d->status == 1)
            r->changed = true;
    }
    for (int32_t t = d->first_tag; t != SM_NONE; t = r->tags[t].next) {
        struct imp_tag *it = &r->tags[t];
        int32_t fid = it->field ? model_field(m, d->id, it->field) : SM_NONE;
        int32_t before = m->ntags, tid;
        if ((rc = model_add_tag(m, d->id, fid, it->tag, it->source, it->entity, r->opts.now,
                                &tid, err)))
            return rc;
        if (tid < cap_seen)
            seen[tid] = stamp;
        if (m->ntags == before &&
            (source_rank(it->entity) > source_rank(m->tags[tid].entity) ||
             (strcmp(it->entity, m->tags[tid].entity) && carrier_of(r, d, it->entity) &&
              carrier_of(r, d, m->tags[tid].entity) &&
              source_rank(it->entity) == source_rank(m->tags[tid].entity)))) {
            /* a higher source confirms what a lower one set: its provenance
             * wins, whatever the order of the imports; the file that fully
             * describes the tag's carrier updates how it got there
             * (propagation sources, expiry) */
            if ((rc = model_set_tag_source(m, tid, it->source, it->entity, r->opts.now, err)) ||
                (rc = diff_line(r, i, "  ~ tag %s%s%s  [%s]", it->field ? it->field : "",
                                it->field ? ": " : "", it->tag, it->entity)))
                return rc;
        }
        if (m->ntags != before) {
            r->stats.tags_added++;
            if ((rc = diff_line(r, i, "  + tag %s%s%s  [%s]", it->field ? it->field : "",
                                it->field ? ": " : "", it->tag, it->entity)))
                return rc;
        }
    }
    if (d->first_carrier == SM_NONE)
        return SM_OK;
    for (int32_t t = m->datasets[d->id].first_tag, next; t != SM_NONE; t = next) {
        next = m->tags[t].next;
        if (t < cap_seen && seen[t] == stamp)
            continue;
        if (t >= cap_seen)
            continue;       /* added by this apply */
        if (!carrier_of(r, d, m->tags[t].entity))
            continue;
        if ((rc = diff_line(r, i, "  - tag %s%s%s  [%s]", field_label(m, m->tags[t].field),
                            m->tags[t].field == SM_NONE ? "" : ": ", m->tags[t].tag,
                            m->tags[t].entity)))
            return rc;
        model_remove_tag(m, t);
        r->stats.tags_removed++;
    }
    return SM_OK;
}

static int
apply_ds(struct import_run *r, struct model *m, int32_t i, int32_t *by_ref_map_ok,
         struct sm_map *refs, uint32_t *seen, int32_t cap_seen, struct sm_error *err)
{
    struct imp_ds *d = &r->ds[i];
    int32_t id = SM_NONE;
    int rc;

    (void)by_ref_map_ok;
    if (*d->source_ref)
        id = sm_map_get(refs, d->source_ref);
    if (d->lineage_only) {
        /* a flow end only: the dataset some other file defined, or none */
        d->id = id != SM_NONE ? id : model_dataset(m, d->name);
        return SM_OK;
    }
    if (id != SM_NONE && strcmp(m->datasets[id].name, d->name))
        imp_note(r, false, "%s is now called %s in the source (%s); the catalog keeps the "
                 "name %s", m->datasets[id].name, d->name, d->source_ref, m->datasets[id].name);
    if (id == SM_NONE)
        id = model_dataset(m, d->name);
    if (id == SM_NONE) {
        struct dataset nd;
        model_dataset_init(&nd);
        nd.name = d->name;
        nd.source_ref = d->source_ref;
        nd.system = d->system;
        nd.owner = d->owner;
        nd.description = d->description;
        if ((rc = model_add_dataset(m, &nd, &id, err)))
            return rc;
        d->status = 1;
        r->changed = true;
        r->stats.datasets_new++;
        if (*d->source_ref && sm_map_put(refs, m->datasets[id].source_ref, id))
            return SM_ENOMEM;
    }
    d->id = id;
    if (d->status != 1) {
        const char *have = m->datasets[id].source_ref;
        bool atlas_full = r->ops == &importer_atlas && d->attrs_full;
        /* precedence: the Atlas entity-bulk is the authority for a dataset
         * Atlas knows; Glue (and Lake Formation) for one it does not */
        bool authority = r->ops == &importer_atlas ? atlas_full : !atlas_ref(have);
        if ((!*have || (atlas_full && !atlas_ref(have))) && *d->source_ref &&
            strcmp(have, d->source_ref)) {
            if ((rc = apply_attr(r, m, i, "source", d->source_ref, err)))
                return rc;
            if (sm_map_put(refs, m->datasets[id].source_ref, id))
                return SM_ENOMEM;
        }
        if ((rc = apply_attr_from(r, m, i, "system", d->system, authority, err)) ||
            (rc = apply_attr_from(r, m, i, "owner", d->owner, authority, err)) ||
            (rc = apply_attr_from(r, m, i, "description", d->description, authority, err)))
            return rc;
    }
    if ((rc = apply_tier(r, m, i, err)) || (rc = apply_subjects(r, m, i, err)) ||
        (rc = apply_tags(r, m, i, seen, cap_seen, err)) ||
        (rc = apply_copies(r, m, i, err)) ||
        (rc = apply_placement(r, m, i, err)))
        return rc;
    if (d->status == 1)
        r->changed = true;
    if (d->status == 0)
        r->stats.datasets_same++;
    else if (d->status == 2)
        r->stats.datasets_changed++;
    if (d->status)
        return touch(r, OBJ_DATASET, id);
    return SM_OK;
}

static int
apply_flows(struct import_run *r, struct model *m, struct sm_error *err)
{
    struct sm_map have;
    char key[64];
    int rc = SM_OK;

    if (!r->nflows)
        return SM_OK;
    sm_map_init(&have);
    for (int32_t f = 0; f < m->nflows; f++) {
        const char *k;
        if (m->flows[f].deleted || m->flows[f].to == SM_NONE)
            continue;
        snprintf(key, sizeof key, "%d>%d>%d", (int)m->flows[f].from, (int)m->flows[f].to,
                 (int)m->flows[f].kind);
        if (!(k = imp_str(r, key)) || sm_map_put(&have, k, f)) {
            rc = SM_ENOMEM;
            goto done;
        }
    }
    for (int32_t i = 0; i < r->nflows; i++) {
        struct imp_flow *fl = &r->flows[i];
        struct imp_ds *a = &r->ds[fl->from], *b = &r->ds[fl->to];
        int32_t pa = a->id == SM_NONE ? SM_NONE : model_primary(m, a->id);
        int32_t pb = b->id == SM_NONE ? SM_NONE : model_primary(m, b->id);
        struct flow nf;
        int32_t fid;
        const char *k;
        if ((a->lineage_only && a->id == SM_NONE) || (b->lineage_only && b->id == SM_NONE)) {
            const struct imp_ds *x = a->lineage_only && a->id == SM_NONE ? a : b;
            r->stats.flows_skipped++;
            imp_note(r, false, "lineage %s -> %s (via %s): %s is known only from lineage; "
                     "import the file that defines it", a->name, b->name, fl->via, x->name);
            continue;
        }
        if (pa == SM_NONE || pb == SM_NONE) {
            r->stats.flows_skipped++;
            imp_note(r, false, "lineage %s -> %s (via %s): %s has no copy to draw the flow "
                     "from; not imported", a->name, b->name, fl->via,
                     pa == SM_NONE ? a->name : b->name);
            continue;
        }
        snprintf(key, sizeof key, "%d>%d>%d", (int)pa, (int)pb, (int)FLOW_ETL);
        if (sm_map_get(&have, key) != SM_NONE)
            continue;
        model_flow_init(&nf);
        nf.from = pa;
        nf.to = pb;
        nf.kind = FLOW_ETL;
        if ((rc = model_add_flow(m, &nf, &fid, err))) {
            if (rc != SM_EEXIST)
                goto done;
            imp_note(r, false, "lineage %s -> %s: %s", a->name, b->name, err ? err->msg : "");
            rc = SM_OK;
            continue;
        }
        if (!(k = imp_str(r, key)) || sm_map_put(&have, k, fid) ||
            (rc = touch(r, OBJ_FLOW, fid))) {
            rc = rc ? rc : SM_ENOMEM;
            goto done;
        }
        r->stats.flows_new++;
        if ((rc = diff_line(r, fl->to, "  + flow etl from %s (via %s)", a->name, fl->via)))
            goto done;
    }
done:
    sm_map_fini(&have);
    return rc;
}

int
import_run_apply(struct import_run *r, struct model *m, struct sm_error *err)
{
    struct sm_map refs;
    uint32_t *seen = NULL;
    int32_t cap_seen = m->ntags;
    int rc = SM_OK;

    sm_map_init(&refs);
    if (sm_map_reserve(&refs, (uint32_t)m->ndatasets + (uint32_t)r->nds + 16))
        return sm_error_set(err, SM_ENOMEM, "import: out of memory");
    for (int32_t i = 0; i < m->ndatasets; i++)
        if (!m->datasets[i].deleted && *m->datasets[i].source_ref &&
            sm_map_put(&refs, m->datasets[i].source_ref, i)) {
            rc = sm_error_set(err, SM_ENOMEM, "import: out of memory");
            goto done;
        }
    if (cap_seen && !(seen = calloc((size_t)cap_seen, sizeof *seen))) {
        rc = sm_error_set(err, SM_ENOMEM, "import: out of memory");
        goto done;
    }
    for (int32_t i = 0; i < r->nds; i++) {
        if ((rc = apply_ds(r, m, i, NULL, &refs, seen, cap_seen, err))) {
            if (rc == SM_ENOMEM && err && !err->msg[0])
                sm_error_set(err, SM_ENOMEM, "import: out of memory");
            else
                sm_error_prefix(err, "import %s", r->ds[i].name);
            goto done;
        }
    }
    if ((rc = apply_flows(r, m, err))) {
        if (rc == SM_ENOMEM)
            sm_error_set(err, SM_ENOMEM, "import: out of memory");
        goto done;
    }
    /* flows may have changed datasets that were otherwise the same */
    for (int32_t i = 0; i < r->nds; i++)
        if (r->ds[i].status == 2 && r->ds[i].id != SM_NONE && (rc = touch(r, OBJ_DATASET,
                                                                           r->ds[i].id)))
            goto done;
    /* the store needs a dataset's row before its copies', copies before flows */
    if (r->ntouched > 1) {
        struct import_touched *sorted = malloc((size_t)r->ntouched * sizeof *sorted);
        int32_t n = 0;
        if (!sorted) {
            rc = sm_error_set(err, SM_ENOMEM, "import: out of memory");
            goto done;
        }
        for (int k = 0; k < OBJ_KIND_COUNT; k++)
            for (int32_t i = 0; i < r->ntouched; i++)
                if ((int)r->touched[i].kind == k)
                    sorted[n++] = r->touched[i];
        memcpy(r->touched, sorted, (size_t)n * sizeof *sorted);
        free(sorted);
    }
    r->stats.datasets_changed = r->stats.datasets_same = 0;
    for (int32_t i = 0; i < r->nds; i++) {
        if (r->ds[i].lineage_only)
            continue;
        if (r->ds[i].status == 2)
            r->stats.datasets_changed++;
        else if (r->ds[i].status == 0)
            r->stats.datasets_same++;
    }
done:
    free(seen);
    sm_map_fini(&refs);
    return rc;
}

int32_t
import_run_touched(const struct import_run *r, const struct import_touched **out)
{
    *out = r->touched;
    return r->ntouched;
}

bool
import_run_changed(const struct import_run *r)
{
    return r->changed;
}

const struct import_stats *
import_run_stats(const struct import_run *r)
{
    return &r->stats;
}

/* ---- output ----------------------------------------------------------------------- */

/* A line for the terminal: control bytes (names come from foreign files)
 * escaped as \xNN, everything else, UTF-8 included, as is. */
static void
put_line(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\x%02x", *p);
        else
            fputc(*p, f);
    }
    fputc('\n', f);
}

void
import_run_print_diff(const struct import_run *r, FILE *f)
{
    for (int32_t i = 0; i < r->nds; i++) {
        const struct imp_ds *d = &r->ds[i];
        if (d->status == 0)
            continue;
        fprintf(f, "%c dataset ", d->status == 1 ? '+' : '~');
        put_line(f, d->name);
        for (int32_t l = d->first_diff; l != SM_NONE; l = r->lines[l].next)
            put_line(f, r->lines[l].text);
    }
}

void
import_run_print_summary(const struct import_run *r, FILE *f)
{
    const struct import_stats *s = &r->stats;

    fprintf(f, "datasets: %d new, %d changed, %d unchanged\n", s->datasets_new,
            s->datasets_changed, s->datasets_same);
    fprintf(f, "fields: %d new; tags: %d added, %d removed; flows: %d new, %d not imported\n",
            s->fields_new, s->tags_added, s->tags_removed, s->flows_new, s->flows_skipped);
    if (r->ncopies)
        fprintf(f, "copies: %d found, %d new, %d changed\n", (int)r->ncopies, s->copies_new,
                s->copies_changed);
    if (s->unknown)
        fprintf(f, "%d value%s known only after apply (not guessed)\n", s->unknown,
                s->unknown == 1 ? "" : "s");
    if (s->skipped) {
        fprintf(f, "skipped %d entities:\n", s->skipped);
        for (int32_t i = 0; i < r->nskips; i++)
        {
            fprintf(f, "  %d ", r->skips[i].count);
            put_line(f, r->skips[i].text);
        }
    }
    if (s->no_region)
        fprintf(f, "%d dataset%s without a region\n", s->no_region, s->no_region == 1 ? "" : "s");
    for (int32_t i = 0; i < r->nnotes; i++)
        put_line(f, r->notes[i].text);
}

void
import_run_print_notes(const struct import_run *r, const char *prefix, FILE *f)
{
    for (int32_t i = 0; i < r->nskips; i++) {
        fprintf(f, "%sskipped %d ", prefix, r->skips[i].count);
        put_line(f, r->skips[i].text);
    }
    if (r->stats.unknown)
        fprintf(f, "%s%d value%s known only after apply (not guessed)\n", prefix,
                r->stats.unknown, r->stats.unknown == 1 ? "" : "s");
    for (int32_t i = 0; i < r->nnotes; i++) {
        fputs(prefix, f);
        put_line(f, r->notes[i].text);
    }
}

char *
import_run_audit_text(const struct import_run *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    if (!f)
        return NULL;
    import_run_print_diff(r, f);
    fclose(f);
    if (buf && len > IMPORT_AUDIT_MAX) {
        /* the audit log keeps the gist, the catalog the facts: whole lines
         * only, so no name is cut and the text stays valid UTF-8 */
        char *cut = buf + IMPORT_AUDIT_MAX - 32;
        while (cut > buf && cut[-1] != '\n')
            cut--;
        strcpy(cut, "... (diff truncated)\n");
    }
    return buf;
}
