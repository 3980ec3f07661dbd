/*
 * import_int.h - what the importers (import_atlas.c, import_glue.c,
 * import_lf.c) share with import.c: the run, its files and the record
 * builders. Private to src/io.
 */
#ifndef IMPORT_INT_H
#define IMPORT_INT_H

#include <stdarg.h>

#include <jansson.h>

#include "import.h"

struct cj_store;

struct imp_file {
    const char *name;
    json_t *root;
    struct cj_store *cj;        /* its entities read by import_stream.c, or NULL */
};

/* A dataset as the sources describe it, before it meets the model. */
struct imp_ds {
    const char *name;
    const char *source_ref;     /* "" if unknown */
    const char *system, *owner, *description;
    const char *region;         /* region id, NULL unknown */
    const char *region_why;     /* "bucket map", "--region" ... */
    const char *region_file;
    bool region_weak;           /* the catalog's region (--region, an ARN): never moves a copy */
    const char *no_region_why;  /* why it has no region (view ...) */
    const char *file;           /* first file that named it */
    bool lineage_only;          /* named by a lineage response alone: a flow end */
    bool attrs_full;            /* owner/description from an authoritative file */
    bool authority;             /* set by apply: this run is the authority for its attributes */
    /* who gives system, owner, description (enum asrc_attr): file, entity */
    const char *asrc_file[ASRC_TIER], *asrc_entity[ASRC_TIER];
    uint16_t subjects[MODEL_MAX_SUBJECTS];
    uint8_t nsubjects;
    int32_t first_field, last_field;
    int32_t first_tag, last_tag;
    int32_t first_prop;         /* properties (dataset properties) */
    int32_t first_carrier;
    int32_t first_tier;
    int32_t first_copy, last_copy;
    /* filled by apply */
    int32_t id;
    int32_t first_diff, last_diff;
    uint8_t status;             /* 0 same, 1 new, 2 changed */
};

struct imp_field {
    const char *name;
    const char *type, *comment;     /* column type and comment; NULL not given */
    const char *type_file, *type_entity, *comment_file, *comment_entity;   /* who gives them */
    int32_t next;
};
struct imp_tag {
    const char *tag;
    const char *field;          /* NULL: dataset tag */
    const char *entity;
    const char *source;
    const char *expired;        /* "2025-06-30": its classification expired then; NULL live */
    int32_t next;
};
struct imp_prop {
    const char *key, *value, *entity, *source;
    int32_t next;
};
struct imp_ref { const char *ref; int32_t next; };
struct imp_tier { const char *tier; const char *file; const char *entity; int32_t next; };
struct imp_flow { int32_t from, to; const char *via; const char *file; };
struct imp_line { const char *text; int32_t next; };
struct imp_note { const char *text; int count; };

#define IMP_VEC(type, name) struct type *name; int32_t n##name, cap_##name

struct import_run {
    const struct import_map *map;
    const struct importer_ops *ops;     /* set by import_run_parse */
    struct import_opts opts;
    const char *region;         /* --region as a region id, or NULL */
    struct sm_arena arena;
    struct imp_file *files;
    int nfiles, cap_files;
    json_t *input;              /* --input JSON, or NULL */

    IMP_VEC(imp_ds, ds);
    IMP_VEC(imp_field, fields);
    IMP_VEC(imp_tag, tags);
    IMP_VEC(imp_prop, props);
    IMP_VEC(imp_ref, refs);
    IMP_VEC(imp_tier, tiers);
    IMP_VEC(imp_flow, flows);
    IMP_VEC(import_copy, copies);
    IMP_VEC(imp_line, lines);
    IMP_VEC(imp_note, skips);
    IMP_VEC(imp_note, notes);   /* warnings and conflicts */
    IMP_VEC(import_touched, touched);
    struct sm_map ds_by_name, ds_by_ref, keys, skip_keys, note_keys;
    struct sm_arena key_arena;  /* the strings of keys: let go after the parse */

    struct import_stats stats;
    bool changed;
};

/* A file's JSON with each element of "entities" and member of
 * "referredEntities" read alone and trimmed into *cj (import_stream.c,
 * import_cj.c; the root holds an empty list and object in their place),
 * or NULL when the text is not one well-formed object as the scanner
 * expects: the caller then parses it whole, for the result or for
 * jansson's error. mapped: text is a read-only file mapping whose pages
 * may be dropped once read (they are read again from the file if needed).
 * *cj is NULL when the file has neither. */
json_t *imp_stream_load(const char *text, size_t len, bool mapped, struct cj_store **cj);
/* Drop the pages of a mapped text in [from, to) (whole pages only). */
void imp_text_drop(const char *text, size_t from, size_t to);
/* What the Atlas importer reads of an entity (import_atlas.c, next to the
 * readers): the entity's keys, and of attributes and relationshipAttributes
 * every scalar and these references (each trimmed to its guid). */
extern const char *const atlas_entity_keys[];
extern const char *const atlas_ref_keys[];

/* The mark at the end of a tag's entity that a partial listing (a search
 * result, search-tables-by-lf-tags, a page with NextToken) set it: an
 * authoritative file's import never removes it and replaces its provenance
 * when it sets the same tag; a partial listing removes nothing. */
#define IMP_PARTIAL " (search)"
bool imp_entity_partial(const char *entity);

/* Strings in the run's arena. NULL on out of memory. */
const char *imp_str(struct import_run *r, const char *s);
const char *imp_vfmt(struct import_run *r, const char *fmt, va_list ap);
/* A lower-cased copy in the arena (ASCII letters only; UTF-8 passes). */
char *imp_lower_dup(struct sm_arena *a, const char *s);
/* Expand ${value} ${name} ${ATTR} with |upper |lower into *out (heap, exact
 * length); import_map.c. SM_OK with *out NULL when a variable is missing or
 * empty; SM_ENOMEM. */
int imp_expand(const char *tpl, const char *name, const char *value,
               const char *const *attrs, char **out);
/* A set of keys for deduplication, in the run's arena. True when new. */
int imp_key_once(struct import_run *r, const char *key, bool *fresh);
/* How authoritative the source of a tag's entity is (a partial listing
 * lowest); import_apply.c. */
int imp_source_rank(const char *entity);
const char *imp_fmt(struct import_run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The dataset record called name (created if new; source_ref "" when
 * unknown, looked up first). Returns its index or SM_NONE on ENOMEM. */
int32_t imp_ds(struct import_run *r, const char *name, const char *source_ref,
               const char *file);
/* Existing record by source reference or name, or SM_NONE. */
int32_t imp_ds_find(const struct import_run *r, const char *name, const char *source_ref);
int imp_field(struct import_run *r, int32_t ds, const char *field);
/* A field with its column type and comment (either may be NULL or ""), as
 * entity in file gives them. */
int imp_field_attrs(struct import_run *r, int32_t ds, const char *field, const char *type,
                    const char *comment, const char *entity, const char *file);
/* expired: the day the classification behind it expired ("2025-06-30"),
 * NULL while it holds. The same tag from a live source and an expired one
 * is the live one's (doc/import.md, Merge rules). */
int imp_tag(struct import_run *r, int32_t ds, const char *field, const char *tag,
            const char *entity, const char *source, const char *expired);
/* A dataset property key = value that entity carries (set by file source). */
int imp_prop(struct import_run *r, int32_t ds, const char *key, const char *value,
             const char *entity, const char *source);
/* Every member of a JSON object with a scalar value as a property (text as
 * is, numbers and booleans as JSON), keys prefixed by prefix. */
int imp_props_of(struct import_run *r, int32_t ds, json_t *obj, const char *prefix,
                 const char *entity, const char *source);
/* The record fully describes the tags of entity ref: tags from it that
 * are not imported again are removed. */
int imp_carrier(struct import_run *r, int32_t ds, const char *ref);
/* Set the region (id); a different one from another source is a conflict. */
void imp_region(struct import_run *r, int32_t ds, const char *region, const char *why,
                const char *file);
/* A copy of ds (region id; key_region NULL: provider key or none;
 * encrypted -1 unknown). The same (region, role) twice is one copy: a
 * foreign key wins over a local one, unencrypted over encrypted. SM_ENOMEM. */
int imp_copy(struct import_run *r, int32_t ds, const char *region, int role,
             const char *key_region, int encrypted, const char *entity, const char *file);
/* The dataset's system, owner, description (each NULL or "": not given) as
 * entity in file gives them; the first one given keeps each. */
/* Precedence of the source of a property or attribute (doc/import.md): a
 * partial listing 0, Lake Formation 1, Glue resource tags 2, a Glue table
 * 3, an Atlas entity 4. */
int imp_attr_rank(const char *entity);
/* Does a value from entity replace, in one command's record, the same
 * attribute from have (given: the values agree)? A higher source does;
 * between two of one rank the first file keeps a value, and of two that
 * agree the smaller entity is the source, whatever the order of the files. */
bool imp_attr_over(const char *entity, const char *have, bool agree);
void imp_describe(struct import_run *r, int32_t ds, const char *system, const char *owner,
                  const char *description, const char *entity, const char *file);
/* Map one label through the mapping file and apply it to ds (field NULL:
 * the dataset). attrs: NULL-terminated key/value list or NULL. expired: the
 * day the label's validity ended (its tags carry it), NULL while valid. */
int imp_label(struct import_run *r, int32_t ds, const char *field, enum import_from from,
              const char *name, const char *value, const char *const *attrs,
              bool names_only, const char *entity, const char *file, const char *expired);
int imp_flow(struct import_run *r, int32_t from, int32_t to, const char *via,
             const char *file);
/* Count a skipped entity: what ("hive_process") and why ("process"). */
void imp_skip(struct import_run *r, const char *what, const char *why);
/* A warning or conflict line for the summary (deduplicated). */
void imp_note(struct import_run *r, bool conflict, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "eu-west-1" -> "aws:eu-west-1"; an id with ':' is kept. NULL for "". */
const char *imp_region_id(struct import_run *r, const char *provider, const char *code);
/* Bucket of "s3://b/x", "s3a://b", "s3n://B/..." (lower-cased, in the run's
 * arena), or NULL. */
const char *imp_s3_bucket(struct import_run *r, const char *uri);
/* Region for a storage location: bucket map, else NULL. why gets the reason. */
const char *imp_location_region(struct import_run *r, const char *location,
                                const char **why);

/* arn:PARTITION:glue:REGION:ACCOUNT:table/DB/TABLE, database/DB or catalog. */
struct imp_arn {
    const char *region, *account, *kind, *db, *table;   /* in the run's arena */
};
/* SM_EINVAL if not one, SM_ENOMEM. */
int imp_parse_arn(struct import_run *r, const char *s, struct imp_arn *a);
/* "db.table" as a dataset name ('@' becomes '#'), in the arena; NULL ENOMEM. */
const char *imp_ds_name(struct import_run *r, const char *db, const char *table);

/* A JSON string member, or NULL (also for non-strings). */
const char *imp_jstr(const json_t *o, const char *key);
/* "name:line:col" is not available after parsing: messages name the file
 * and a JSON path instead. */
int imp_bad(struct sm_error *err, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
