/*
 * import_cj.h - Atlas entities held compactly (import_cj.c): a read-only
 * JSON value of 16 bytes a node in an arena, keys and short strings
 * interned, trimmed to what the Atlas importer reads. Private to src/io.
 */
#ifndef IMPORT_CJ_H
#define IMPORT_CJ_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "sm.h"

enum cj_type { CJ_NULL, CJ_FALSE, CJ_TRUE, CJ_INT, CJ_REAL, CJ_STR, CJ_ARR, CJ_OBJ };

/* A value. CJ_STR: u.s NUL-terminated, n bytes; CJ_ARR: n elements in
 * u.kids; CJ_OBJ: n members, u.kids[2i] the key (CJ_STR), u.kids[2i+1]
 * the value, in the text's order. */
struct cj {
    uint8_t type;
    uint32_t n;
    union {
        const char *s;
        const struct cj *kids;
        long long i;
        double d;
    } u;
};

/* Where entities live: an arena, the interned strings, and the entities of
 * one file's "entities" and "referredEntities" (in the text's order, a
 * duplicate member key of referredEntities replacing the earlier value as
 * jansson does). */
struct cj_store {
    struct sm_arena arena;
    const char **intern;
    uint32_t ncap, nused;
    struct cj *stk;                 /* parse scratch: children being built */
    int32_t nstk, cap_stk;
    char *sbuf;                     /* an unescaped string */
    size_t cap_sbuf;
    struct cj *ents, *refd;
    int32_t nents, cap_ents, nrefd, cap_refd;
    bool has_ents, has_refd;        /* the file had "entities" / "referredEntities" */
};

struct cj_store *cj_store_new(void);
void cj_store_free(struct cj_store *st);

/* Outcome of cj_parse_entity. */
enum { CJ_OK = 0, CJ_UNSURE = 1, CJ_NOMEM = -1 };

/* One entity from text[*at..len) (white space before it allowed) into
 * *out, trimmed (atlas_trim's rules, import_atlas.c). CJ_OK with *at past
 * the value; CJ_UNSURE when the text holds anything the strict fast path
 * does not take (an escape \u, a real number, a big integer, a duplicate
 * key, deep nesting, and every error): the caller hands that entity to
 * jansson, whose result or error is then the one used. */
int cj_parse_entity(struct cj_store *st, const char *text, size_t len, size_t *at,
                    struct cj *out);
/* A jansson entity, trimmed the same way (trim false: whole, so that the
 * whole-document parse, import_opts.whole_parse, checks the trim), into
 * *out. CJ_OK or CJ_NOMEM. */
int cj_from_json(struct cj_store *st, const json_t *e, bool trim, struct cj *out);
/* Append to the store's entities or referred entities (key: the member's
 * key; a repeated key replaces). CJ_OK or CJ_NOMEM. */
int cj_add_entity(struct cj_store *st, const struct cj *e);
int cj_add_referred(struct cj_store *st, struct sm_map *keys, const char *key, size_t klen,
                    const struct cj *e);
/* The interned copy of s[0..n). NULL on out of memory. */
const char *cj_intern(struct cj_store *st, const char *s, size_t n);

/* Member key of o, or NULL (also when o is not an object). */
const struct cj *cj_get(const struct cj *o, const char *key);
/* Its text if v is a string, else NULL. */
static inline const char *
cj_str(const struct cj *v)
{
    return v && v->type == CJ_STR ? v->u.s : NULL;
}
static inline const char *
cj_gstr(const struct cj *o, const char *key)
{
    return cj_str(cj_get(o, key));
}
static inline bool
cj_is(const struct cj *v, enum cj_type t)
{
    return v && v->type == t;
}
/* Elements of an array (0 for anything else). */
static inline uint32_t
cj_len(const struct cj *v)
{
    return v && v->type == CJ_ARR ? v->n : 0;
}
/* A number or boolean as json_dumps writes it (heap), NULL otherwise or on
 * out of memory. */
char *cj_scalar_text(const struct cj *v);

#define cj_foreach(arr, i, v) \
    for ((i) = 0; (i) < cj_len(arr) && ((v) = &(arr)->u.kids[(i)], 1); (i)++)
#define cj_foreach_member(obj, i, k, v)                                                  \
    for ((i) = 0; cj_is((obj), CJ_OBJ) && (i) < (obj)->n &&                              \
                  ((k) = (obj)->u.kids[2 * (i)].u.s, (v) = &(obj)->u.kids[2 * (i) + 1], 1); \
         (i)++)

#endif
