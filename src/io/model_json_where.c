/*
 * model_json_where.c - the canonical text form of a catalog: where things
 * are, the line and column of a JSON path in the text.
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
    char key[64]; /* bounded: a schema key of a reader's path */

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

bool
locate_path(const struct rd *r, const char *path, int *line, int *col)
{
    size_t p = path_pos(r, path);

    if (p == SIZE_MAX)
        return false;
    linecol(r->s, p, line, col);
    return true;
}

/* An unknown key: reported at the key itself. */
int
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
            for (int i = 0; i < SEC_COUNT; i++) {
                int d = sm_levenshtein(k, section_names[i], 2);
                if (d < bestd) {
                    bestd = d;
                    best = section_names[i];
                }
            }
            if (best)
                sm_error_set(r->err, SM_EPARSE, "%s: unknown key \"%s\"; did you mean \"%s\"?",
                             r->name, k, best);
            else
                sm_error_set(r->err, SM_EPARSE, "%s: unknown key \"%s\"", r->name, k);
            json_decref(key);
            return SM_EPARSE;
        }
        json_decref(key);
        if (spans[sec].seen) {
            char msg[64];    /* bounded: a fixed message and a section name */
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
    char path[512];    /* bounded: a section name and a list index */
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
    char kp[512];    /* bounded: a JSON path of schema keys and list indexes, "scenarios[3].base" */
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
    char p[512], kp[512];    /* bounded: JSON paths of schema keys and list indexes */
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

static int read_model(const char *text, size_t len, const char *name, struct model *m,
                      struct model_json_locs *locs, bool new_names, struct sm_error *err);

int
model_json_read_locs(const char *text, size_t len, const char *name, struct model *m,
                     struct model_json_locs *locs, struct sm_error *err)
{
    return read_model(text, len, name, m, locs, false, err);
}

int
model_json_read_new(const char *text, size_t len, const char *name, struct model *m,
                    struct sm_error *err)
{
    return read_model(text, len, name, m, NULL, true, err);
}

static int
read_model(const char *text, size_t len, const char *name, struct model *m,
           struct model_json_locs *locs, bool new_names, struct sm_error *err)
{
    struct rd r = { .name = name ? name : "model.json", .m = m, .err = err, .locs = locs,
                    .new_names = new_names };
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
