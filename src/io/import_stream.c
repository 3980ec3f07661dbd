/*
 * import_stream.c - a big catalog response parsed one entity at a time.
 *
 * An Atlas entity-bulk of a million entities is a 1.3 GB text; jansson's
 * tree of all of it took 10 GiB. Here a small scanner walks the top-level
 * object: each element of "entities" and each member of "referredEntities"
 * is read alone into compact nodes trimmed to what the Atlas importer reads
 * (import_cj.c: a strict fast path, jansson for whatever it does not take)
 * and kept in the file's cj_store; the root holds an empty list and object
 * in their place. Any other top-level value is parsed whole (they are
 * small). A mapped text's pages are let go behind the scanner. So memory
 * is a few MB of the text, one entity and the compact entities.
 *
 * The scanner only finds where a value ends (strings, escapes, nesting);
 * json_loadb validates every piece. It accepts nothing the whole-document
 * parse would refuse: anything it does not expect (a missing comma, bytes
 * after the object, nesting near jansson's depth limit) sends the whole text
 * to json_loadb, whose error (file:line:col) is then the one reported, so
 * errors read the same either way. Depends on jansson and import_int.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jansson.h>

#include "import_cj.h"
#include "import_int.h"

/* jansson refuses nesting deeper than 2048; an entity sits two levels down. */
#define STREAM_MAX_DEPTH 2000

struct scan {
    const char *s;
    size_t len, at;
    bool mapped;                /* drop the pages behind */
    size_t dropped;             /* up to here */
};

static void
ws(struct scan *sc)
{
    while (sc->at < sc->len && (sc->s[sc->at] == ' ' || sc->s[sc->at] == '\t' ||
                                sc->s[sc->at] == '\n' || sc->s[sc->at] == '\r'))
        sc->at++;
}

/* Past the string starting at sc->at (a '"'). False if unterminated. */
static bool
skip_string(struct scan *sc)
{
    for (sc->at++; sc->at < sc->len; sc->at++) {
        if (sc->s[sc->at] == '\\')
            sc->at++;
        else if (sc->s[sc->at] == '"') {
            sc->at++;
            return true;
        }
    }
    return false;
}

/* Past one value starting at sc->at. False on anything unexpected. */
static bool
skip_value(struct scan *sc)
{
    int depth = 0;

    if (sc->at >= sc->len)
        return false;
    if (sc->s[sc->at] == '"')
        return skip_string(sc);
    if (sc->s[sc->at] != '{' && sc->s[sc->at] != '[') {
        size_t from = sc->at;
        while (sc->at < sc->len && !strchr(",}] \t\r\n", sc->s[sc->at]))
            sc->at++;
        return sc->at > from;
    }
    while (sc->at < sc->len) {
        char ch = sc->s[sc->at];

        if (ch == '"') {
            if (!skip_string(sc))
                return false;
            continue;
        }
        if (ch == '{' || ch == '[') {
            if (++depth > STREAM_MAX_DEPTH)
                return false;
        } else if (ch == '}' || ch == ']') {
            if (--depth == 0) {
                sc->at++;
                return true;
            }
        }
        sc->at++;
    }
    return false;
}

/* The value at sc->at as its own document, or NULL (the caller falls back). */
static json_t *
load_value(struct scan *sc)
{
    size_t from = sc->at;
    json_error_t je;

    if (!skip_value(sc))
        return NULL;
    return json_loadb(sc->s + from, sc->at - from, JSON_DECODE_ANY, &je);
}

/* A key: its text unescaped, heap, or NULL. */
static char *
load_key(struct scan *sc)
{
    json_t *k;
    char *out = NULL;

    if (sc->at >= sc->len || sc->s[sc->at] != '"')
        return NULL;
    if ((k = load_value(sc)) && json_is_string(k))
        out = strndup(json_string_value(k), json_string_length(k));
    json_decref(k);
    return out;
}

/* Expect ch after white space. */
static bool
expect(struct scan *sc, char ch)
{
    ws(sc);
    if (sc->at >= sc->len || sc->s[sc->at] != ch)
        return false;
    sc->at++;
    return true;
}

/* Drop the pages read so far of a mapped text, every DROP_STEP bytes. */
#define DROP_STEP ((size_t)8 << 20)

static void
drop_behind(struct scan *sc)
{
    if (sc->mapped && sc->at - sc->dropped >= DROP_STEP) {
        imp_text_drop(sc->s, sc->dropped, sc->at);
        sc->dropped = sc->at;
    }
}

/* The entity at sc->at into *out: the fast path (import_cj.c), or
 * jansson's parse of it trimmed. False: the caller falls back. */
static bool
entity_at(struct scan *sc, struct cj_store *st, struct cj *out)
{
    size_t from = sc->at;
    json_t *e;
    int rc = cj_parse_entity(st, sc->s, sc->len, &sc->at, out);

    if (rc == CJ_OK)
        return true;
    if (rc == CJ_NOMEM)
        return false;
    sc->at = from;
    if (!(e = load_value(sc)))
        return false;
    rc = cj_from_json(st, e, true, out);
    json_decref(e);
    return rc == CJ_OK;
}

/* "entities": [ ... ], each element alone into st. */
static json_t *
load_entities(struct scan *sc, struct cj_store *st)
{
    json_t *a = json_array();

    st->nents = 0;      /* a repeated "entities": the last one, as jansson */
    st->has_ents = true;
    if (!a || !expect(sc, '['))
        goto fail;
    ws(sc);
    if (sc->at < sc->len && sc->s[sc->at] == ']') {
        sc->at++;
        return a;
    }
    for (;;) {
        struct cj e;

        ws(sc);
        if (!entity_at(sc, st, &e) || cj_add_entity(st, &e))
            goto fail;
        drop_behind(sc);
        ws(sc);
        if (sc->at < sc->len && sc->s[sc->at] == ',') {
            sc->at++;
            continue;
        }
        if (expect(sc, ']'))
            return a;
        goto fail;
    }
fail:
    json_decref(a);
    return NULL;
}

/* A key without escapes nor bytes past ASCII: its text in place; else
 * jansson's reading of it (heap, *alloc). False on anything unexpected. */
static bool
key_at(struct scan *sc, const char **k, size_t *klen, char **alloc)
{
    size_t from = sc->at, i;

    *alloc = NULL;
    if (sc->at >= sc->len || sc->s[sc->at] != '"')
        return false;
    for (i = from + 1; i < sc->len; i++) {
        unsigned char c = (unsigned char)sc->s[i];
        if (c == '"') {
            *k = sc->s + from + 1;
            *klen = i - from - 1;
            sc->at = i + 1;
            return true;
        }
        if (c == '\\' || c < 0x20 || c >= 0x80)
            break;
    }
    if (!(*alloc = load_key(sc)))
        return false;
    *k = *alloc;
    *klen = strlen(*alloc);
    return true;
}

/* "referredEntities": { "guid": entity, ... }, each member alone into st. */
static json_t *
load_referred(struct scan *sc, struct cj_store *st)
{
    json_t *o = json_object();
    struct sm_map keys;

    sm_map_init(&keys);
    st->nrefd = 0;
    st->has_refd = true;
    if (!o || !expect(sc, '{'))
        goto fail;
    ws(sc);
    if (sc->at < sc->len && sc->s[sc->at] == '}') {
        sc->at++;
        goto done;
    }
    for (;;) {
        const char *k;
        char *alloc;
        size_t klen;
        struct cj e;
        bool ok;

        ws(sc);
        if (!key_at(sc, &k, &klen, &alloc))
            goto fail;
        ok = expect(sc, ':');
        ws(sc);
        ok = ok && entity_at(sc, st, &e) && !cj_add_referred(st, &keys, k, klen, &e);
        free(alloc);
        if (!ok)
            goto fail;
        drop_behind(sc);
        ws(sc);
        if (sc->at < sc->len && sc->s[sc->at] == ',') {
            sc->at++;
            continue;
        }
        if (expect(sc, '}'))
            goto done;
        goto fail;
    }
done:
    sm_map_fini(&keys);
    return o;
fail:
    sm_map_fini(&keys);
    json_decref(o);
    return NULL;
}

json_t *
imp_stream_load(const char *text, size_t len, bool mapped, struct cj_store **cj)
{
    struct scan sc = { .s = text, .len = len, .mapped = mapped };
    struct cj_store *st = cj_store_new();
    json_t *root = json_object();

    *cj = NULL;
    if (!st || !root || !expect(&sc, '{'))
        goto fail;
    ws(&sc);
    if (sc.at < sc.len && sc.s[sc.at] == '}') {
        sc.at++;
        goto end;
    }
    for (;;) {
        char *k;
        json_t *v;

        ws(&sc);
        if (!(k = load_key(&sc)))
            goto fail;
        if (!expect(&sc, ':')) {
            free(k);
            goto fail;
        }
        ws(&sc);
        if (strcmp(k, "entities") == 0 && sc.at < sc.len && sc.s[sc.at] == '[')
            v = load_entities(&sc, st);
        else if (strcmp(k, "referredEntities") == 0 && sc.at < sc.len && sc.s[sc.at] == '{')
            v = load_referred(&sc, st);
        else {
            /* a repeated key replaces: the last one, as jansson */
            if (strcmp(k, "entities") == 0)
                st->has_ents = false, st->nents = 0;
            else if (strcmp(k, "referredEntities") == 0)
                st->has_refd = false, st->nrefd = 0;
            v = load_value(&sc);
        }
        if (!v || json_object_set_new(root, k, v)) {
            free(k);
            goto fail;
        }
        free(k);
        ws(&sc);
        if (sc.at < sc.len && sc.s[sc.at] == ',') {
            sc.at++;
            continue;
        }
        if (expect(&sc, '}'))
            break;
        goto fail;
    }
end:
    ws(&sc);
    if (sc.at == sc.len) {
        if (mapped)
            imp_text_drop(text, sc.dropped, len);
        if (st->has_ents || st->has_refd)
            *cj = st;
        else
            cj_store_free(st);
        return root;
    }
fail:
    cj_store_free(st);
    json_decref(root);
    return NULL;
}

void
imp_text_drop(const char *text, size_t from, size_t to)
{
    long ps = sysconf(_SC_PAGESIZE);
    uintptr_t a, b;

    if (ps <= 0)
        return;
    /* whole pages inside [from, to) */
    a = ((uintptr_t)(text + from) + (uintptr_t)ps - 1) & ~((uintptr_t)ps - 1);
    b = (uintptr_t)(text + to) & ~((uintptr_t)ps - 1);
    if (b > a)
        madvise((void *)a, b - a, MADV_DONTNEED);
}
