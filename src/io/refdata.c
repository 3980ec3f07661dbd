/*
 * refdata.c - the shipped regions (data/regions.json) as builtin regions of
 * a model, and where the data directory is.
 *
 * Depends on jansson and the model only; never on the catalog.
 */
#include "readfile.h"
#include "refdata.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#ifndef SM_DATADIR
#define SM_DATADIR "/usr/local/share/sovmap"
#endif

static const char *
base_name(const char *path)
{
    const char *s = strrchr(path, '/');

    return s ? s + 1 : path;
}

/* A string member, "" when absent; SM_EPARSE when present but not a string. */
static int
get_str(json_t *obj, const char *key, const char **out, bool required,
        const char *file, const char *where, size_t idx, struct sm_error *err)
{
    json_t *v = json_object_get(obj, key);

    if (!v) {
        if (required)
            return sm_error_set(err, SM_EPARSE, "%s: %s[%zu].%s is missing", file, where,
                                idx, key);
        *out = "";
        return SM_OK;
    }
    if (!json_is_string(v))
        return sm_error_set(err, SM_EPARSE, "%s: %s[%zu].%s must be a string", file, where,
                            idx, key);
    *out = json_string_value(v);
    return SM_OK;
}

static int
operator_of(json_t *providers, const char *provider, const char *file, int32_t *out,
            struct sm_error *err)
{
    json_t *p = json_object_get(providers, provider);
    json_t *op = p ? json_object_get(p, "operator") : NULL;

    *out = SM_NONE;
    if (!p)
        return SM_OK;
    if (!json_is_string(op) || sm_cc(json_string_value(op)) == SM_NONE)
        return sm_error_set(err, SM_EPARSE, "%s: providers.%s.operator must be a two-letter "
                            "code", file, provider);
    *out = sm_cc(json_string_value(op));
    return SM_OK;
}

static int
load_list(json_t *root, const char *key, bool multi, struct model *m, const char *file,
          struct sm_error *err)
{
    json_t *list = json_object_get(root, key), *providers = json_object_get(root, "providers");
    json_t *item, *members, *mv;
    size_t i, k;
    int rc;

    if (!list)
        return multi ? SM_OK : sm_error_set(err, SM_EPARSE, "%s: no \"%s\" list", file, key);
    if (!json_is_array(list))
        return sm_error_set(err, SM_EPARSE, "%s: \"%s\" must be a list", file, key);
    json_array_foreach(list, i, item) {
        const char *id, *provider, *code, *name, *city, *country, *kind;
        struct sm_ccset set;
        struct region r;
        int e;

        if (!json_is_object(item))
            return sm_error_set(err, SM_EPARSE, "%s: %s[%zu] must be an object", file, key, i);
        if ((rc = get_str(item, "id", &id, true, file, key, i, err)) ||
            (rc = get_str(item, "provider", &provider, false, file, key, i, err)) ||
            (rc = get_str(item, "code", &code, false, file, key, i, err)) ||
            (rc = get_str(item, "name", &name, false, file, key, i, err)) ||
            (rc = get_str(item, "city", &city, false, file, key, i, err)) ||
            (rc = get_str(item, "country", &country, !multi, file, key, i, err)) ||
            (rc = get_str(item, "kind", &kind, false, file, key, i, err)))
            return rc;
        model_region_init(&r);
        r.id = id;
        r.provider = *provider ? provider : NULL;
        r.code = *code ? code : NULL;
        r.name = name;
        r.city = city;
        r.builtin = 1;
        e = model_enum_parse(region_kind_names, REGION_KIND_COUNT,
                             *kind ? kind : multi ? "multi-region" : "cloud");
        if (e == SM_NONE)
            return sm_error_set(err, SM_EPARSE, "%s: %s[%zu].kind: unknown kind %s", file, key,
                                i, kind);
        r.kind = (uint8_t)e;
        if (*country && (r.country = sm_cc(country)) == SM_NONE)
            return sm_error_set(err, SM_EPARSE, "%s: %s[%zu].country: bad country %s", file,
                                key, i, country);
        if ((rc = operator_of(providers, provider, file, &r.operator_home, err)))
            return rc;
        if (r.operator_home == SM_NONE && r.country != SM_NONE)
            r.operator_home = r.country;
        members = json_object_get(item, "members");
        if (members) {
            if (!json_is_array(members))
                return sm_error_set(err, SM_EPARSE, "%s: %s[%zu].members must be a list",
                                    file, key, i);
            memset(&set, 0, sizeof set);
            json_array_foreach(members, k, mv) {
                const char *cc = json_string_value(mv);
                if (cc && strcmp(cc, "*") == 0) {
                    r.global = 1;
                    continue;
                }
                if (!cc || sm_cc(cc) == SM_NONE)
                    return sm_error_set(err, SM_EPARSE, "%s: %s[%zu].members[%zu]: bad "
                                        "country", file, key, i, k);
                sm_ccset_add(&set, sm_cc(cc));
            }
            if (!sm_ccset_empty(&set))
                r.members = &set;
        }
        if ((rc = model_add_region(m, &r, NULL, err)))
            return sm_error_prefix(err, "%s: %s[%zu]", file, key, i);
    }
    return SM_OK;
}

static int load_regions(const char *path, struct model *m, struct sm_error *err);

int
refdata_load_regions(const char *datadir, struct model *m, struct sm_error *err)
{
    char *path;                 /* on the heap: a data directory of any length */
    int rc;

    if (!(path = sm_strdupf("%s/regions.json", datadir ? datadir : ".")))
        return sm_error_set(err, SM_ENOMEM, "regions.json: out of memory");
    rc = load_regions(path, m, err);
    free(path);
    return rc;
}

static int
load_regions(const char *path, struct model *m, struct sm_error *err)
{
    const char *file;
    json_error_t jerr;
    json_t *root;
    int rc;

    file = base_name(path);
    root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        if (readfile_json_nomem(&jerr))
            return sm_error_set(err, SM_ENOMEM, "%s: out of memory", path);
        if (jerr.line <= 0 || json_error_code(&jerr) == json_error_cannot_open_file)
            return sm_error_set(err, SM_EIO, "%s: %s", path, jerr.text);
        return sm_error_set(err, SM_EPARSE, "%s:%d:%d: %s", file, jerr.line, jerr.column,
                            jerr.text);
    }
    if (!json_is_object(root)) {
        json_decref(root);
        return sm_error_set(err, SM_EPARSE, "%s:1:1: expected an object", file);
    }
    rc = load_list(root, "regions", false, m, file, err);
    if (!rc)
        rc = load_list(root, "multi_regions", true, m, file, err);
    json_decref(root);
    if (!rc && model_region(m, "global") == SM_NONE) {
        struct region g;
        model_region_init(&g);
        g.id = "global";
        g.provider = "any";
        g.code = "global";
        g.name = "Global (any country)";
        g.kind = REGION_MULTI;
        g.global = 1;
        g.builtin = 1;
        rc = model_add_region(m, &g, NULL, err);
    }
    return rc;
}

static bool
has_regions(const char *dir)
{
    char *p = sm_strdupf("%s/regions.json", dir);
    struct stat sb;
    bool ok = p && stat(p, &sb) == 0 && S_ISREG(sb.st_mode);

    free(p);
    return ok;
}

/* The path of the running program (argv0 when it names one, else
 * /proc/self/exe), on the heap; NULL when unknown. */
static char *
exe_path(const char *argv0)
{
    size_t cap = 256;

    if (argv0 && strchr(argv0, '/'))
        return strdup(argv0);
    for (;;) {
        char *b = malloc(cap);
        ssize_t n;
        if (!b)
            return NULL;
        if ((n = readlink("/proc/self/exe", b, cap)) <= 0) {
            free(b);
            return NULL;
        }
        if ((size_t)n < cap) {
            b[n] = '\0';
            return b;
        }
        free(b);        /* cut: try again with more room */
        cap *= 2;
    }
}

const char *
refdata_datadir(const char *argv0)
{
    static char *found;         /* the last answer, kept until the next call */
    static const char *const ups[] = { "data", "../data", "../../data", "../share/sovmap" };
    const char *env = getenv("SOVMAP_DATA");
    char *exe, *slash;

    if (env && *env)
        return env;
    free(found);
    found = NULL;
    if ((exe = exe_path(argv0)) && (slash = strrchr(exe, '/'))) {
        *slash = '\0';
        for (size_t i = 0; i < sizeof ups / sizeof *ups; i++) {
            if (!(found = sm_strdupf("%s/%s", *exe ? exe : "/", ups[i])))
                break;
            if (has_regions(found)) {
                free(exe);
                return found;
            }
            free(found);
            found = NULL;
        }
    }
    free(exe);
    return SM_DATADIR;
}
