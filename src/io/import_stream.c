/*
 * import_stream.c - a big catalog response parsed one entity at a time.
 *
 * An Atlas entity-bulk of a million entities is a 1.3 GB text; jansson's
 * tree of all of it took 10 GiB. Here a small scanner walks the top-level
 * object: each element of "entities" and each member of "referredEntities"
 * is handed alone to json_loadb, trimmed to what the Atlas importer reads
 * (atlas_trim, import_atlas.c), and added to the root; any other top-level
 * value is parsed whole (they are small). So memory is the text, one
 * entity's full tree and the trimmed entities.
 *
 * The scanner only finds where a value ends (strings, escapes, nesting);
 * json_loadb validates every piece. It accepts nothing the whole-document
 * parse would refuse: anything it does not expect (a missing comma, bytes
 * after the object, nesting near jansson's depth limit) sends the whole text
 * to json_loadb, whose error (file:line:col) is then the one reported, so
 * errors read the same either way. Depends on jansson and import_int.h.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "import_int.h"

/* jansson refuses nesting deeper than 2048; an entity sits two levels down. */
#define STREAM_MAX_DEPTH 2000

struct scan {
    const char *s;
    size_t len, at;
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

/* "entities": [ ... ], each element alone. */
static json_t *
load_entities(struct scan *sc)
{
    json_t *a = json_array();

    if (!a || !expect(sc, '['))
        goto fail;
    ws(sc);
    if (sc->at < sc->len && sc->s[sc->at] == ']') {
        sc->at++;
        return a;
    }
    for (;;) {
        json_t *e;

        ws(sc);
        if (!(e = load_value(sc)))
            goto fail;
        atlas_trim(e);
        if (json_array_append_new(a, e))
            goto fail;
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

/* An object whose members are parsed one at a time; trim: each is an entity. */
static json_t *
load_members(struct scan *sc, bool trim)
{
    json_t *o = json_object();

    if (!o || !expect(sc, '{'))
        goto fail;
    ws(sc);
    if (sc->at < sc->len && sc->s[sc->at] == '}') {
        sc->at++;
        return o;
    }
    for (;;) {
        char *k;
        json_t *v;

        ws(sc);
        if (!(k = load_key(sc)))
            goto fail;
        if (!expect(sc, ':')) {
            free(k);
            goto fail;
        }
        ws(sc);
        v = load_value(sc);
        if (v && trim)
            atlas_trim(v);
        if (!v || json_object_set_new(o, k, v)) {
            free(k);
            goto fail;
        }
        free(k);
        ws(sc);
        if (sc->at < sc->len && sc->s[sc->at] == ',') {
            sc->at++;
            continue;
        }
        if (expect(sc, '}'))
            return o;
        goto fail;
    }
fail:
    json_decref(o);
    return NULL;
}

json_t *
imp_stream_load(const char *text, size_t len)
{
    struct scan sc = { .s = text, .len = len };
    json_t *root = json_object();

    if (!root || !expect(&sc, '{'))
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
            v = load_entities(&sc);
        else if (strcmp(k, "referredEntities") == 0 && sc.at < sc.len && sc.s[sc.at] == '{')
            v = load_members(&sc, true);
        else
            v = load_value(&sc);
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
    if (sc.at == sc.len)
        return root;
fail:
    json_decref(root);
    return NULL;
}
