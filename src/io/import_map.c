/*
 * import_map.c - the mapping file (data/import-map.json or --map): which
 * label becomes which tag, tier, subject, system or owner, and the bucket,
 * namespace and Terraform address tables. No SQLite, no printing.
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

/* One "suggest" pattern: a field name that looks personal gets tag. */
struct map_suggest {
    const char *pattern;        /* lower case, '*' only at either end */
    const char *tag;
};

struct import_map {
    struct sm_arena arena;
    struct map_rule *rules;
    int32_t nrules, cap_rules;
    struct map_suggest *suggest;
    int32_t nsuggest;
    struct sm_map buckets, namespaces, tf_addresses;
    const char *tf_tag_key;     /* "sovmap-dataset" unless the file says */
    const char **vals;
    int32_t nvals, cap_vals;
};

/* A lower-cased copy in the arena (ASCII letters only; UTF-8 passes). */
char *
imp_lower_dup(struct sm_arena *a, const char *s)
{
    char *d = sm_arena_strdup(a, s);

    for (char *p = d; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return d;
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
        if (!(buf = sm_strdupf("%s%s", strchr(s, ':') ? "" : "aws:", s)))
            return map_oom(err, name);
        key = imp_lower_dup(&map->arena, k);
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

/* "suggest": {"fields": [{"names": [PATTERN...], "tag": TAG}...]}. A later
 * file's patterns are tried first, like its rules. */
static int
map_suggest(struct import_map *map, json_t *obj, const char *name, struct sm_error *err)
{
    json_t *fields, *v, *names, *tag, *p;
    struct map_suggest *add;
    const char *k;
    size_t i, j, n = 0, at = 0;

    if (!obj)
        return SM_OK;
    if (!json_is_object(obj))
        return sm_error_set(err, SM_EPARSE, "%s: suggest must be an object", name);
    json_object_foreach(obj, k, v)
        if (k[0] != '_' && strcmp(k, "fields"))
            return sm_error_set(err, SM_EPARSE, "%s: suggest: unknown key \"%s\"", name, k);
    fields = json_object_get(obj, "fields");
    if (!fields)
        return SM_OK;
    if (!json_is_array(fields))
        return sm_error_set(err, SM_EPARSE, "%s: suggest.fields must be a list", name);
    json_array_foreach(fields, i, v) {
        if (!json_is_object(v))
            return sm_error_set(err, SM_EPARSE, "%s: suggest.fields[%zu] must be an object",
                                name, i);
        json_object_foreach(v, k, p)
            if (k[0] != '_' && strcmp(k, "names") && strcmp(k, "tag") && strcmp(k, "comment"))
                return sm_error_set(err, SM_EPARSE, "%s: suggest.fields[%zu]: unknown key "
                                    "\"%s\"", name, i, k);
        names = json_object_get(v, "names");
        tag = json_object_get(v, "tag");
        if (!json_is_string(tag) || !json_string_length(tag))
            return sm_error_set(err, SM_EPARSE, "%s: suggest.fields[%zu].tag must be a "
                                "non-empty string", name, i);
        if (!json_is_array(names) || !json_array_size(names))
            return sm_error_set(err, SM_EPARSE, "%s: suggest.fields[%zu].names must be a "
                                "non-empty list of strings", name, i);
        json_array_foreach(names, j, p) {
            const char *s = json_string_value(p);
            size_t len = s ? strlen(s) : 0;

            if (!s || !len || (len == 1 && s[0] == '*') ||
                (len > 2 && memchr(s + 1, '*', len - 2)))
                return sm_error_set(err, SM_EPARSE, "%s: suggest.fields[%zu].names[%zu]: a "
                                    "name, with '*' only at either end", name, i, j);
        }
        n += json_array_size(names);
    }
    if (!n)
        return SM_OK;
    if (!(add = calloc(n + (size_t)map->nsuggest, sizeof *add)))
        return map_oom(err, name);
    json_array_foreach(fields, i, v) {
        const char *tg = sm_arena_strdup(&map->arena, json_string_value(json_object_get(v, "tag")));

        json_array_foreach(json_object_get(v, "names"), j, p) {
            add[at].tag = tg;
            add[at].pattern = imp_lower_dup(&map->arena, json_string_value(p));
            if (!tg || !add[at].pattern) {
                free(add);
                return map_oom(err, name);
            }
            at++;
        }
    }
    if (map->nsuggest)
        memcpy(add + n, map->suggest, (size_t)map->nsuggest * sizeof *add);
    free(map->suggest);
    map->suggest = add;
    map->nsuggest += (int32_t)n;
    return SM_OK;
}

/* Field name words: an ASCII capital after a lower-case letter or digit
 * starts a word ("dateOfBirth" is "date_of_birth"), then ASCII lower case;
 * UTF-8 passes as it is. Heap; NULL on out of memory. */
static char *
suggest_words(const char *field)
{
    size_t n = strlen(field);
    char *s = malloc(2 * n + 1), *d = s;

    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)field[i];

        if (i && isupper(ch) && (islower((unsigned char)field[i - 1]) ||
                                 isdigit((unsigned char)field[i - 1])))
            *d++ = '_';
        *d++ = (char)tolower(ch);
    }
    *d = 0;
    return s;
}

static bool
word_sep(char ch)
{
    return ch == '_' || ch == '-' || ch == '.' || ch == ' ' || ch == '/' || ch == ':' ||
           (ch >= '0' && ch <= '9');
}

/* pattern (lower case) in words at a word boundary on each side that has no
 * '*': "phone" matches "home_phone" and "phone2" but not "phonetic";
 * "birth*" matches "birthdate"; "*mail" matches "usermail". */
static bool
suggest_match(const char *words, const char *pattern)
{
    size_t plen = strlen(pattern), wlen = strlen(words);
    bool any_left = pattern[0] == '*', any_right = plen > 1 && pattern[plen - 1] == '*';
    const char *core = pattern + any_left;
    size_t clen = plen - any_left - any_right;

    if (!clen || clen > wlen)
        return false;
    for (size_t at = 0; at + clen <= wlen; at++) {
        if (memcmp(words + at, core, clen))
            continue;
        if (!any_left && at && !word_sep(words[at - 1]))
            continue;
        if (!any_right && at + clen < wlen && !word_sep(words[at + clen]))
            continue;
        return true;
    }
    return false;
}

int
import_map_suggest(const struct import_map *map, const char *field, const char **tag,
                   const char **pattern)
{
    char *words;

    *tag = *pattern = NULL;
    if (!map || !map->nsuggest)
        return SM_OK;
    if (!(words = suggest_words(field)))
        return SM_ENOMEM;
    for (int32_t i = 0; i < map->nsuggest; i++)
        if (suggest_match(words, map->suggest[i].pattern)) {
            *tag = map->suggest[i].tag;
            *pattern = map->suggest[i].pattern;
            break;
        }
    free(words);
    return SM_OK;
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
        return readfile_json_error(&je, name, err);
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
            strcmp(k, "atlas_namespaces") && strcmp(k, "version") && strcmp(k, "terraform") &&
            strcmp(k, "suggest")) {
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
    if ((rc = map_suggest(m, json_object_get(root, "suggest"), name, err)))
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
    free(map->suggest);
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
    char small[256], *lk = small; /* bounded: short keys; long ones on the heap */
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

/* attr_get of the n bytes at k. */
static const char *
attr_getn(const char *const *attrs, const char *k, size_t n)
{
    for (int i = 0; attrs && attrs[i]; i += 2)
        if (strncasecmp(attrs[i], k, n) == 0 && !attrs[i][n])
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

int
imp_expand(const char *tpl, const char *name, const char *value, const char *const *attrs,
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
            /* ${var} or ${var|mode}, read in place: an attribute name of any length */
            const char *end = strchr(p + 2, '}'), *var = p + 2, *bar;
            const char *s;
            size_t vn;
            int mode = 0;
            if (!end)
                return false;
            vn = (size_t)(end - var);
            if ((bar = memchr(var, '|', vn))) {
                size_t bn = (size_t)(end - bar - 1);
                mode = bn == 5 && !memcmp(bar + 1, "upper", 5) ? 1
                     : bn == 5 && !memcmp(bar + 1, "lower", 5) ? 2 : 0;
                vn = (size_t)(bar - var);
            }
            s = vn == 5 && !memcmp(var, "value", 5) ? value
              : vn == 4 && !memcmp(var, "name", 4) ? name : attr_getn(attrs, var, vn);
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
            if (imp_expand(r->tags[k], name, value, attrs, &buf))
                out->oom = true;
            else if (buf)
                out->tags[out->ntags++] = buf;
        }
        for (int k = 0; k < r->nsubjects; k++) {
            if (imp_expand(r->subjects[k], name, value, attrs, &buf)) {
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

