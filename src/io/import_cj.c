/*
 * import_cj.c - Atlas entities held compactly (see import_cj.h).
 *
 * A million entities as jansson trees took 3.7 GB even trimmed (a hash
 * table, a key copy and a value object for every member); here a value is
 * a 16-byte node in an arena, keys and short strings are interned, and
 * every entity is trimmed while it is read to what the Atlas importer
 * reads (the lists in import_atlas.c next to the readers).
 *
 * cj_parse_entity reads an entity straight from the text, strictly: it
 * takes only what jansson takes and reads the same way (RFC 8259 JSON,
 * valid UTF-8 without overlongs or surrogates, no control character in a
 * string). Anything else, and whatever it would have to interpret the way
 * jansson does (\u escapes, reals, integers of 19 digits and more,
 * duplicate keys, nesting past FP_MAX_DEPTH), makes it answer CJ_UNSURE:
 * the caller then parses that entity with jansson (cj_from_json), so the
 * result, or the error of the whole text, is jansson's either way.
 * Depends on jansson and sm.h only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_cj.h"
#include "import_int.h"

/* deeper entities are jansson's (its own limit is 2048) */
#define FP_MAX_DEPTH 64
/* more members than this in one kept object: jansson's (the duplicate
 * check is quadratic) */
#define FP_MAX_MEMBERS 128
/* strings up to this length are interned (type names, statuses, owners,
 * column types and names repeat); longer ones (guids, qualified names)
 * are copied */
#define CJ_INTERN_MAX 24

/* How much of a value is kept: M_SKIP validated only; M_KEEP whole;
 * M_ENTITY an entity (its listed keys); M_NESTED its attributes or
 * relationshipAttributes (scalars and listed references); M_REF a
 * reference (its guid); M_REFLIST a list of references. */
enum mode { M_SKIP, M_KEEP, M_ENTITY, M_NESTED, M_REF, M_REFLIST };

struct cj_store *
cj_store_new(void)
{
    struct cj_store *st = calloc(1, sizeof *st);

    if (st)
        sm_arena_init(&st->arena);
    return st;
}

void
cj_store_free(struct cj_store *st)
{
    if (!st)
        return;
    sm_arena_fini(&st->arena);
    free(st->intern);
    free(st->stk);
    free(st->sbuf);
    free(st->ents);
    free(st->refd);
    free(st);
}

static uint32_t
hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

const char *
cj_intern(struct cj_store *st, const char *s, size_t n)
{
    uint32_t h, i;
    char *c;

    if ((st->nused + 1) * 2 > st->ncap) {
        uint32_t ncap = st->ncap ? st->ncap * 2 : 1024;
        const char **t = calloc(ncap, sizeof *t);
        if (!t)
            return NULL;
        for (uint32_t k = 0; k < st->ncap; k++) {
            const char *o = st->intern[k];
            if (!o)
                continue;
            for (i = hash(o, strlen(o)) & (ncap - 1); t[i]; i = (i + 1) & (ncap - 1))
                ;
            t[i] = o;
        }
        free(st->intern);
        st->intern = t;
        st->ncap = ncap;
    }
    h = hash(s, n);
    for (i = h & (st->ncap - 1); st->intern[i]; i = (i + 1) & (st->ncap - 1))
        if (strncmp(st->intern[i], s, n) == 0 && st->intern[i][n] == '\0')
            return st->intern[i];
    if (!(c = sm_arena_strndup(&st->arena, s, n)))
        return NULL;
    st->intern[i] = c;
    st->nused++;
    return c;
}

static const char *
str_copy(struct cj_store *st, const char *s, size_t n, bool intern)
{
    if (intern || n <= CJ_INTERN_MAX)
        return cj_intern(st, s, n);
    return sm_arena_strndup(&st->arena, s, n);
}

static int
push(struct cj_store *st, const struct cj *v)
{
    if (st->nstk == st->cap_stk &&
        sm_grow((void **)&st->stk, &st->cap_stk, st->nstk + 1, sizeof *st->stk))
        return CJ_NOMEM;
    st->stk[st->nstk++] = *v;
    return CJ_OK;
}

/* The children pushed since base, moved into the arena as v's. */
static int
close_kids(struct cj_store *st, int32_t base, enum cj_type type, struct cj *v)
{
    size_t n = (size_t)(st->nstk - base);
    struct cj *kids = NULL;

    if (n && !(kids = sm_arena_alloc(&st->arena, n * sizeof *kids)))
        return CJ_NOMEM;
    if (n)
        memcpy(kids, st->stk + base, n * sizeof *kids);
    st->nstk = base;
    v->type = (uint8_t)type;
    v->n = (uint32_t)(type == CJ_OBJ ? n / 2 : n);
    v->u.kids = kids;
    return CJ_OK;
}

static bool
listed(const char *const *list, const char *k)
{
    for (; *list; list++)
        if (strcmp(*list, k) == 0)
            return true;
    return false;
}

/* The mode of member key of an object read in mode m whose value starts
 * with ch; M_SKIP: not kept (atlas_trim's rules). */
static enum mode
member_mode(enum mode m, const char *key, char ch)
{
    switch (m) {
    case M_SKIP:
        return M_SKIP;
    case M_ENTITY:
        if (!listed(atlas_entity_keys, key))
            return M_SKIP;
        return strcmp(key, "attributes") == 0 || strcmp(key, "relationshipAttributes") == 0
                   ? M_NESTED : M_KEEP;
    case M_NESTED:
        if (ch != '{' && ch != '[')
            return M_KEEP;
        if (!listed(atlas_ref_keys, key))
            return M_SKIP;
        return ch == '{' ? M_REF : M_REFLIST;
    case M_REF:
        return strcmp(key, "guid") == 0 ? M_KEEP : M_SKIP;
    default:
        return M_KEEP;
    }
}

static enum mode
element_mode(enum mode m, char ch)
{
    if (m == M_SKIP)
        return M_SKIP;
    if (m == M_REFLIST && ch == '{')
        return M_REF;
    return M_KEEP;
}

/* ---- the strict fast path ------------------------------------------------------ */

struct fp {
    struct cj_store *st;
    const char *p, *end;
    int depth;
};

static void
fp_ws(struct fp *f)
{
    while (f->p < f->end && (*f->p == ' ' || *f->p == '\n' || *f->p == '\r' || *f->p == '\t'))
        f->p++;
}

/* Length of the valid UTF-8 sequence at s (a byte >= 0x80), 0 if invalid
 * (as jansson's utf8_check_full: no overlong, no surrogate, <= U+10FFFF). */
static size_t
utf8_len(const unsigned char *s, const unsigned char *end)
{
    unsigned c = s[0];
    uint32_t v;
    size_t n;

    if (c < 0xc2)
        return 0;
    if (c < 0xe0)
        n = 2, v = c & 0x1f;
    else if (c < 0xf0)
        n = 3, v = c & 0x0f;
    else if (c < 0xf5)
        n = 4, v = c & 0x07;
    else
        return 0;
    if ((size_t)(end - s) < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3f);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && v < 0x10000) || v > 0x10ffff ||
        (v >= 0xd800 && v <= 0xdfff))
        return 0;
    return n;
}

/* The string at f->p (a '"'); keep: into *out (intern: always interned). */
static int
fp_string(struct fp *f, bool keep, bool intern, struct cj *out)
{
    const unsigned char *s = (const unsigned char *)f->p + 1, *q = s;
    const unsigned char *end = (const unsigned char *)f->end;
    const char *text, *str;
    bool esc = false;
    size_t n;

    for (;;) {
        if (q >= end)
            return CJ_UNSURE;
        if (*q == '"')
            break;
        if (*q == '\\') {
            if (q + 1 >= end || !q[1] || !strchr("\"\\/bfnrt", q[1]))
                return CJ_UNSURE;   /* \u and errors: jansson's */
            esc = true;
            q += 2;
        } else if (*q < 0x20) {
            return CJ_UNSURE;
        } else if (*q >= 0x80) {
            size_t k = utf8_len(q, end);
            if (!k)
                return CJ_UNSURE;
            q += k;
        } else {
            q++;
        }
    }
    f->p = (const char *)q + 1;
    if (!keep)
        return CJ_OK;
    text = (const char *)s;
    n = (size_t)(q - s);
    if (esc) {
        struct cj_store *st = f->st;
        char *d;
        if (n + 1 > st->cap_sbuf) {
            char *b = realloc(st->sbuf, n + 1);
            if (!b)
                return CJ_NOMEM;
            st->sbuf = b;
            st->cap_sbuf = n + 1;
        }
        d = st->sbuf;
        for (const unsigned char *c = s; c < q; c++) {
            if (*c != '\\') {
                *d++ = (char)*c;
                continue;
            }
            switch (*++c) {
            case 'b': *d++ = '\b'; break;
            case 'f': *d++ = '\f'; break;
            case 'n': *d++ = '\n'; break;
            case 'r': *d++ = '\r'; break;
            case 't': *d++ = '\t'; break;
            default: *d++ = (char)*c; break;      /* " \ / */
            }
        }
        text = st->sbuf;
        n = (size_t)(d - st->sbuf);
    }
    if (!(str = str_copy(f->st, text, n, intern)))
        return CJ_NOMEM;
    out->type = CJ_STR;
    out->n = (uint32_t)n;
    out->u.s = str;
    return CJ_OK;
}

/* An integer of at most 18 digits; anything else is jansson's. */
static int
fp_number(struct fp *f, struct cj *out)
{
    const char *p = f->p;
    bool neg = false;
    long long v = 0;
    int nd = 0;

    if (*p == '-')
        neg = true, p++;
    if (p >= f->end || *p < '0' || *p > '9')
        return CJ_UNSURE;
    if (*p == '0') {
        p++;
    } else {
        while (p < f->end && *p >= '0' && *p <= '9') {
            if (++nd > 18)
                return CJ_UNSURE;
            v = v * 10 + (*p++ - '0');
        }
    }
    if (p < f->end && ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E'))
        return CJ_UNSURE;
    f->p = p;
    out->type = CJ_INT;
    out->n = 0;
    out->u.i = neg ? -v : v;
    return CJ_OK;
}

static int fp_value(struct fp *f, enum mode m, struct cj *out);

enum { FP_MORE = 0, FP_CLOSED = 2 };    /* beside CJ_OK/CJ_UNSURE/CJ_NOMEM */

/* After an element or a member: a comma (FP_MORE: another follows), the
 * closing bracket close (FP_CLOSED, consumed), or CJ_UNSURE. */
static int
fp_after(struct fp *f, char close)
{
    fp_ws(f);
    if (f->p >= f->end)
        return CJ_UNSURE;
    if (*f->p == ',') {
        f->p++;
        return FP_MORE;
    }
    if (*f->p != close)
        return CJ_UNSURE;
    f->p++;
    return FP_CLOSED;
}

static int
fp_array(struct fp *f, enum mode m, struct cj *out)
{
    struct cj_store *st = f->st;
    int32_t base = st->nstk;
    int rc;

    f->p++;
    fp_ws(f);
    if (f->p < f->end && *f->p == ']') {
        f->p++;
        return m == M_SKIP ? CJ_OK : close_kids(st, base, CJ_ARR, out);
    }
    for (;;) {
        struct cj v;
        enum mode em;

        fp_ws(f);
        if (f->p >= f->end)
            return CJ_UNSURE;
        em = element_mode(m, *f->p);
        if ((rc = fp_value(f, em, &v)))
            return rc;
        if (em != M_SKIP && (rc = push(st, &v)))
            return rc;
        if ((rc = fp_after(f, ']')) == FP_MORE)
            continue;
        if (rc != FP_CLOSED)
            return rc;
        return m == M_SKIP ? CJ_OK : close_kids(st, base, CJ_ARR, out);
    }
}

static int
fp_object(struct fp *f, enum mode m, struct cj *out)
{
    struct cj_store *st = f->st;
    int32_t base = st->nstk;
    const char *keys[FP_MAX_MEMBERS];
    int nkeys = 0, rc;

    f->p++;
    fp_ws(f);
    if (f->p < f->end && *f->p == '}') {
        f->p++;
        return m == M_SKIP ? CJ_OK : close_kids(st, base, CJ_OBJ, out);
    }
    for (;;) {
        struct cj k, v;
        enum mode vm;

        fp_ws(f);
        if (f->p >= f->end || *f->p != '"')
            return CJ_UNSURE;
        if ((rc = fp_string(f, m != M_SKIP, true, &k)))
            return rc;
        if (m != M_SKIP) {
            /* interned: the same key is the same pointer */
            for (int i = 0; i < nkeys; i++)
                if (keys[i] == k.u.s)
                    return CJ_UNSURE;   /* jansson keeps the last: its way */
            if (nkeys == FP_MAX_MEMBERS)
                return CJ_UNSURE;
            keys[nkeys++] = k.u.s;
        }
        fp_ws(f);
        if (f->p >= f->end || *f->p != ':')
            return CJ_UNSURE;
        f->p++;
        fp_ws(f);
        if (f->p >= f->end)
            return CJ_UNSURE;
        vm = member_mode(m, m == M_SKIP ? "" : k.u.s, *f->p);
        if ((rc = fp_value(f, vm, &v)))
            return rc;
        if (vm != M_SKIP && ((rc = push(st, &k)) || (rc = push(st, &v))))
            return rc;
        if ((rc = fp_after(f, '}')) == FP_MORE)
            continue;
        if (rc != FP_CLOSED)
            return rc;
        return m == M_SKIP ? CJ_OK : close_kids(st, base, CJ_OBJ, out);
    }
}

static int
fp_literal(struct fp *f, const char *word, enum cj_type type, struct cj *out)
{
    size_t n = strlen(word);

    if ((size_t)(f->end - f->p) < n || memcmp(f->p, word, n))
        return CJ_UNSURE;
    f->p += n;
    out->type = (uint8_t)type;
    out->n = 0;
    out->u.s = NULL;
    return CJ_OK;
}

static int
fp_value(struct fp *f, enum mode m, struct cj *out)
{
    int rc;

    if (f->p >= f->end)
        return CJ_UNSURE;
    switch (*f->p) {
    case '{':
    case '[':
        if (++f->depth > FP_MAX_DEPTH)
            return CJ_UNSURE;
        rc = *f->p == '{' ? fp_object(f, m, out) : fp_array(f, m, out);
        f->depth--;
        return rc;
    case '"':
        return fp_string(f, m != M_SKIP, false, out);
    case 't':
        return fp_literal(f, "true", CJ_TRUE, out);
    case 'f':
        return fp_literal(f, "false", CJ_FALSE, out);
    case 'n':
        return fp_literal(f, "null", CJ_NULL, out);
    default:
        return fp_number(f, out);
    }
}

int
cj_parse_entity(struct cj_store *st, const char *text, size_t len, size_t *at,
                struct cj *out)
{
    struct fp f = { .st = st, .p = text + *at, .end = text + len };
    int32_t base = st->nstk;
    int rc;

    fp_ws(&f);
    if ((rc = fp_value(&f, M_ENTITY, out))) {
        st->nstk = base;
        return rc;
    }
    *at = (size_t)(f.p - text);
    return CJ_OK;
}

/* ---- from jansson -------------------------------------------------------------- */

static int
conv(struct cj_store *st, const json_t *v, enum mode m, struct cj *out)
{
    int32_t base = st->nstk;
    int rc;

    memset(out, 0, sizeof *out);
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x) {
            char ch = json_is_object(x) ? '{' : json_is_array(x) ? '[' : ' ';
            enum mode vm = member_mode(m, k, ch);
            struct cj kc = { .type = CJ_STR, .n = (uint32_t)strlen(k) }, vc;
            if (vm == M_SKIP)
                continue;
            if (!(kc.u.s = cj_intern(st, k, kc.n)))
                return CJ_NOMEM;
            if ((rc = conv(st, x, vm, &vc)) || (rc = push(st, &kc)) || (rc = push(st, &vc)))
                return rc;
        }
        return close_kids(st, base, CJ_OBJ, out);
    }
    case JSON_ARRAY: {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            struct cj xc;
            if ((rc = conv(st, x, element_mode(m, json_is_object(x) ? '{' : ' '), &xc)) ||
                (rc = push(st, &xc)))
                return rc;
        }
        return close_kids(st, base, CJ_ARR, out);
    }
    case JSON_STRING:
        out->type = CJ_STR;
        out->n = (uint32_t)json_string_length(v);
        if (!(out->u.s = str_copy(st, json_string_value(v), out->n, false)))
            return CJ_NOMEM;
        return CJ_OK;
    case JSON_INTEGER:
        out->type = CJ_INT;
        out->u.i = (long long)json_integer_value(v);
        return CJ_OK;
    case JSON_REAL:
        out->type = CJ_REAL;
        out->u.d = json_real_value(v);
        return CJ_OK;
    case JSON_TRUE:
        out->type = CJ_TRUE;
        return CJ_OK;
    case JSON_FALSE:
        out->type = CJ_FALSE;
        return CJ_OK;
    default:
        out->type = CJ_NULL;
        return CJ_OK;
    }
}

int
cj_from_json(struct cj_store *st, const json_t *e, bool trim, struct cj *out)
{
    int32_t base = st->nstk;
    int rc = conv(st, e, trim ? M_ENTITY : M_KEEP, out);

    st->nstk = base;
    return rc;
}

/* ---- the store's entity lists -------------------------------------------------- */

int
cj_add_entity(struct cj_store *st, const struct cj *e)
{
    if (st->nents == st->cap_ents &&
        sm_grow((void **)&st->ents, &st->cap_ents, st->nents + 1, sizeof *st->ents))
        return CJ_NOMEM;
    st->ents[st->nents++] = *e;
    return CJ_OK;
}

int
cj_add_referred(struct cj_store *st, struct sm_map *keys, const char *key, size_t klen,
                const struct cj *e)
{
    const char *guid = cj_gstr(e, "guid"), *k;
    int32_t i;

    /* the key is the entity's guid as a rule: then that string keys the map */
    if (guid && strlen(guid) == klen && memcmp(guid, key, klen) == 0)
        k = guid;
    else if (!(k = sm_arena_strndup(&st->arena, key, klen)))
        return CJ_NOMEM;
    if ((i = sm_map_get(keys, k)) != SM_NONE) {
        st->refd[i] = *e;   /* jansson: the last value, at the first's place */
        return CJ_OK;
    }
    if (st->nrefd == st->cap_refd &&
        sm_grow((void **)&st->refd, &st->cap_refd, st->nrefd + 1, sizeof *st->refd))
        return CJ_NOMEM;
    if (sm_map_put(keys, k, st->nrefd))
        return CJ_NOMEM;
    st->refd[st->nrefd++] = *e;
    return CJ_OK;
}

/* ---- reading ------------------------------------------------------------------- */

const struct cj *
cj_get(const struct cj *o, const char *key)
{
    if (!cj_is(o, CJ_OBJ))
        return NULL;
    for (uint32_t i = 0; i < o->n; i++)
        if (strcmp(o->u.kids[2 * i].u.s, key) == 0)
            return &o->u.kids[2 * i + 1];
    return NULL;
}

char *
cj_scalar_text(const struct cj *v)
{
    char buf[32]; /* bounded: a long long in decimal */
    json_t *r;
    char *s;

    switch (v ? v->type : CJ_NULL) {
    case CJ_TRUE:
        return strdup("true");
    case CJ_FALSE:
        return strdup("false");
    case CJ_INT:
        snprintf(buf, sizeof buf, "%lld", v->u.i);
        return strdup(buf);
    case CJ_REAL:
        /* jansson's own formatting of a real */
        if (!(r = json_real(v->u.d)))
            return NULL;
        s = json_dumps(r, JSON_ENCODE_ANY);
        json_decref(r);
        return s;
    default:
        return NULL;
    }
}
