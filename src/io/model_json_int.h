/*
 * model_json_int.h - private: the types, statements and helpers that model_json.c and
 * its parts (model_json_read.c, model_json_where.c) share. Nothing outside them includes
 * it.
 */
#ifndef SM_MODEL_JSON_INT_H
#define SM_MODEL_JSON_INT_H

#include "model_json.h"

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define MODEL_JSON_VERSION 1
#define JFLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)

struct src;
struct span;

struct rd {
    const char *name;
    struct model *m;
    struct sm_error *err;
    /* where errors and objects are found in the text: the element being
     * read (its path "datasets[3]" and its first byte) */
    const struct src *s;
    const struct span *spans;           /* the top-level sections */
    size_t elem_pos;
    struct model_json_locs *locs;       /* NULL: not wanted */
    bool new_names;                     /* refuse control characters in names */
    /* line and column at byte lc_pos, so that noting objects in file order
     * scans the text once */
    size_t lc_pos;
    int lc_line, lc_col;
};

enum section { SEC_SOVMAP, SEC_RULE_PACK, SEC_REGIONS, SEC_TIERS, SEC_DATASETS, SEC_FLOWS,
               SEC_WAIVERS, SEC_SCENARIOS, SEC_COUNT };

struct span {
    size_t start, end;          /* the value's bytes */
    bool seen;
};

struct src {
    const char *t;
    size_t len;
};

/* Defined in one part, used in another. */
int bad(struct rd *r, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *type_name(const json_t *v);
void sub(char *out, size_t size, const char *path, const char *key);
void idx(char *out, size_t size, const char *path, size_t i);
int get_str(struct rd *r, json_t *o, const char *path, const char *key, bool required,
            bool nullable, const char *def, const char **out);
int find(struct rd *r, enum obj_kind kind, const char *sel, const char *path, int32_t *out);
int read_region(struct rd *r, json_t *o, const char *path);
int read_tier(struct rd *r, json_t *o, const char *path);
int read_dataset(struct rd *r, json_t *o, const char *path);
int read_flow(struct rd *r, json_t *o, const char *path);
int read_waiver(struct rd *r, json_t *o, const char *path);
int read_scenario(struct rd *r, json_t *o, const char *path, int32_t *id);
extern const char *const section_names[SEC_COUNT];
void linecol(const struct src *s, size_t pos, int *line, int *col);
int syntax_at(struct rd *r, const struct src *s, size_t pos, const char *msg);
size_t skip_ws(const struct src *s, size_t p);
size_t skip_value(const struct src *s, size_t p);
json_t *load_at(struct rd *r, const struct src *s, size_t p, size_t end, size_t *next);
bool locate_path(const struct rd *r, const char *path, int *line, int *col);
int bad_key(struct rd *r, const char *path, const char *key, const char *msg);

#endif
