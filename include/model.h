/*
 * model.h - the residency model in memory: regions, tiers, datasets with
 * fields and tags, placements, flows, waivers and scenarios.
 *
 * Flat arrays indexed by integer id, hash maps from names to ids, strings in
 * one arena. Built for a million datasets. No I/O, no globals: the store
 * (src/store) loads and saves it, the checker reads it.
 *
 * Ids are array indexes and stay valid for the model's life: removing an
 * object marks it `deleted` (and drops its name from the map) instead of
 * moving anything. Loops skip deleted objects.
 *
 * Objects are named by selectors (model_find):
 *   region     aws:eu-west-1
 *   tier       restricted
 *   dataset    orders
 *   placement  orders@aws:eu-west-1  or  orders@aws:eu-west-1/backup
 *              (the role is needed only when the dataset has two copies
 *              in that region)
 *   flow       its name (default "FROM->TO" of the placement selectors)
 *   waiver     RULE:OBJECT   e.g. RES001:orders@aws:us-east-1
 *   scenario   its name
 */
#ifndef MODEL_H
#define MODEL_H

#include "sm.h"

/* ---- vocabularies: X(ID, "name") -------------------------------------------- */

#define REGION_KINDS(X) \
    X(CLOUD,     "cloud") \
    X(SOVEREIGN, "sovereign-cloud") \
    X(ONPREM,    "on-prem") \
    X(EDGE,      "edge") \
    X(MULTI,     "multi-region")

#define ROLES(X) \
    X(PRIMARY, "primary") \
    X(REPLICA, "replica") \
    X(BACKUP,  "backup") \
    X(DR,      "dr") \
    X(CACHE,   "cache") \
    X(ARCHIVE, "archive") \
    X(EDGE,    "edge")

#define FLOW_KINDS(X) \
    X(REPLICATION, "replication") \
    X(BACKUP,      "backup") \
    X(ETL,         "etl") \
    X(STREAM,      "stream") \
    X(QUERY,       "query") \
    X(EXPORT,      "export")

/* MECH_NONE is "" in text forms. */
#define MECHANISMS(X) \
    X(NONE,       "") \
    X(ADEQUACY,   "adequacy") \
    X(DPF,        "dpf") \
    X(SCC,        "scc") \
    X(BCR,        "bcr") \
    X(CONSENT,    "consent") \
    X(DEROGATION, "derogation")

/* The lawful bases of GDPR Art. 6(1) (a) to (f); LB_NONE is "" (not given). */
#define LEGAL_BASES(X) \
    X(NONE,                 "") \
    X(CONSENT,              "consent") \
    X(CONTRACT,             "contract") \
    X(LEGAL_OBLIGATION,     "legal_obligation") \
    X(VITAL_INTERESTS,      "vital_interests") \
    X(PUBLIC_TASK,          "public_task") \
    X(LEGITIMATE_INTERESTS, "legitimate_interests")

/* Narrowest to widest. */
#define SCOPES(X) \
    X(REGION,   "region") \
    X(COUNTRY,  "country") \
    X(BLOC,     "bloc") \
    X(ADEQUATE, "adequate") \
    X(APPROVED, "approved") \
    X(GLOBAL,   "global")

#define XFORMS(X) \
    X(MASK,         "mask") \
    X(DROP,         "drop") \
    X(PSEUDONYMIZE, "pseudonymize") \
    X(ANONYMIZE,    "anonymize") \
    X(AGGREGATE,    "aggregate")

#define OBJ_KINDS(X) \
    X(REGION,    "region") \
    X(TIER,      "tier") \
    X(DATASET,   "dataset") \
    X(PLACEMENT, "placement") \
    X(FLOW,      "flow") \
    X(WAIVER,    "waiver") \
    X(SCENARIO,  "scenario")

#define X(id, name) REGION_##id,
enum region_kind { REGION_KINDS(X) REGION_KIND_COUNT };
#undef X
#define X(id, name) ROLE_##id,
enum role { ROLES(X) ROLE_COUNT };
#undef X
#define X(id, name) FLOW_##id,
enum flow_kind { FLOW_KINDS(X) FLOW_KIND_COUNT };
#undef X
#define X(id, name) MECH_##id,
enum mechanism { MECHANISMS(X) MECH_COUNT };
#undef X
#define X(id, name) LB_##id,
enum legal_basis { LEGAL_BASES(X) LB_COUNT };
#undef X
#define X(id, name) SCOPE_##id,
enum scope { SCOPES(X) SCOPE_COUNT };
#undef X
#define X(id, name) XF_##id,
enum xform { XFORMS(X) XF_COUNT };
#undef X
#define X(id, name) OBJ_##id,
enum obj_kind { OBJ_KINDS(X) OBJ_KIND_COUNT };
#undef X

/* Name tables, indexed by the enums above. */
extern const char *const region_kind_names[REGION_KIND_COUNT];
extern const char *const role_names[ROLE_COUNT];
extern const char *const flow_kind_names[FLOW_KIND_COUNT];
extern const char *const mechanism_names[MECH_COUNT];
extern const char *const scope_names[SCOPE_COUNT];
extern const char *const legal_basis_names[LB_COUNT];
extern const char *const xform_names[XF_COUNT];
extern const char *const obj_kind_names[OBJ_KIND_COUNT];

/* Index of name in table[0..n), or SM_NONE. */
int model_enum_parse(const char *const *table, int n, const char *name);

/* ---- objects ---------------------------------------------------------------- */
/* A pointer member added to an object struct must also be added to the load
 * snapshot's table of them (kinds[] in src/store/store_snapshot.c). */

/* The structs a million-row array is made of whose 8-byte members would
 * leave 4 bytes of padding at the end (dataset 96 -> 92, tag 56 -> 52,
 * placement 32 -> 28 bytes; 19 MiB at a million datasets): 4-byte aligned.
 * A pointer member of one may sit on a 4-byte boundary: read and write it
 * as a member (the compiler knows), never through its address (gcc and
 * clang warn, -Werror stops it). */
#define MODEL_PACKED __attribute__((packed, aligned(4)))

/* A list of strings in the model's arena. */
struct sm_strv {
    uint32_t     n;
    const char **v;
};

struct region {
    const char *id;             /* "aws:eu-west-1" */
    const char *provider;       /* "aws" */
    const char *code;           /* "eu-west-1" */
    const char *name;           /* display name, may be "" */
    const char *city;           /* may be "" */
    int32_t country;            /* sm_cc; SM_NONE for multi-regions */
    int32_t operator_home;      /* sm_cc of the operator's legal home ("EU" allowed) */
    uint8_t kind;               /* enum region_kind */
    uint8_t builtin;            /* shipped in data/regions.json, not saved */
    uint8_t global;             /* any country: checked as the worst case */
    uint8_t deleted;
    struct sm_ccset *members;   /* multi-region member countries, or NULL */
};

struct tier {
    const char *name;
    const char *description;
    int32_t rank;               /* higher = more sensitive */
    uint8_t personal;           /* holds personal data */
    uint8_t scope;              /* enum scope */
    uint8_t backup_scope;       /* enum scope, for backup/dr/archive copies */
    uint8_t key_scope;          /* enum scope, where keys may be held */
    uint8_t encryption_at_rest; /* copies must be encrypted */
    uint8_t transit_encryption; /* cross-region flows must be encrypted */
    uint8_t sovereign;          /* operator must not answer to a foreign law */
    uint8_t deleted;
    struct sm_strv approved;    /* region ids, for SCOPE_APPROVED */
    int32_t retention_min_days; /* SM_NONE: no bound */
    int32_t retention_max_days;
};

#define MODEL_MAX_SUBJECTS 8

struct MODEL_PACKED dataset {
    const char *name;
    const char *system;         /* "loyalty" */
    const char *owner;
    const char *description;
    const char *source_ref;     /* Atlas guid, Glue catalog/db/table ... */
    const char *purpose;        /* purpose of the processing (Art. 30(1)(b)) */
    int32_t tier;               /* tier id, SM_NONE: unclassified */
    int32_t retention_days;     /* SM_NONE: unknown */
    uint16_t subjects[MODEL_MAX_SUBJECTS];  /* sm_cc codes, "EU" allowed */
    uint8_t nsubjects;
    uint8_t public_sector;      /* the holder is a public body */
    uint8_t legal_basis;        /* enum legal_basis, Art. 6(1) */
    uint8_t deleted;
    int32_t first_field;        /* lists through field.next ... */
    int32_t first_tag;
    int32_t first_placement;
    int32_t first_prop;         /* properties, ordered by key */
};

struct field {
    const char *name;
    const char *type;           /* column type from the source ("string", "decimal(10,2)"), "" or NULL unknown */
    const char *comment;        /* column comment from the source, "" or NULL none */
    int32_t dataset;
    int32_t next;               /* next field of the dataset, SM_NONE ends */
};

/* A tag on a dataset (field SM_NONE) or on one of its fields, with where it
 * came from. `tag` is "pii.email" or "key=value". */
struct MODEL_PACKED tag {
    const char *tag;
    const char *source;         /* file it was imported from, "" if typed */
    const char *entity;         /* Atlas guid, ARN ... */
    const char *time;           /* ISO 8601 UTC, first seen or last changed */
    const char *expired;        /* "2025-06-30": the classification behind it ended
                                   that day (Atlas validityPeriods); "" live */
    int32_t dataset;
    int32_t field;
    int32_t next;               /* next tag of the dataset */
};

/* A property of a dataset kept from its source catalog (key -> value): a
 * Glue table's Parameters, Atlas customAttributes and labels, a resource
 * link's target. Provenance as for a tag (doc/import.md, Merge rules). */
struct prop {
    const char *key;
    const char *value;
    const char *source;         /* file it was imported from, "" if typed */
    const char *entity;         /* the entity that carries it */
    const char *time;
    int32_t dataset;
    int32_t next;               /* next property of the dataset, by key */
};

/* Which source set an attribute of a dataset (system, owner, description,
 * tier) or of one of its fields (type, comment): an import (source file,
 * entity, time, as for a tag) or a person (source "": typed). An attribute
 * without one has an unknown source (set before catalog schema 6).
 * doc/import.md, Merge rules. */
enum asrc_attr { ASRC_SYSTEM, ASRC_OWNER, ASRC_DESCRIPTION, ASRC_TIER, ASRC_TYPE,
                 ASRC_COMMENT, ASRC_COUNT };
extern const char *const asrc_names[ASRC_COUNT];

struct asrc {
    const char *source;         /* file it was imported from, "" typed by a person */
    const char *entity;         /* the entity that carries it (Atlas guid, glue: ...) */
    const char *time;
    int32_t dataset;
    int32_t field;              /* SM_NONE: the dataset's own attribute */
    uint8_t attr;               /* enum asrc_attr */
    int32_t next;               /* next source of the dataset */
};

struct MODEL_PACKED placement {
    int32_t dataset;
    int32_t region;
    int32_t key_region;         /* where the key lives, SM_NONE unknown/none */
    uint8_t role;               /* enum role */
    uint8_t encrypted;
    uint8_t mechanism;          /* for the implicit replication into it */
    uint8_t deleted;
    const char *mechanism_ref;  /* TIA id ... */
    int32_t next;               /* next placement of the dataset */
};

struct transform {
    uint8_t kind;               /* enum xform */
    struct sm_strv fields;      /* empty for anonymize/aggregate */
};

/* Pointers first, then 32-bit members, then bytes: 72 bytes, no holes but
 * the tail (80 in the order of the text). */
struct flow {
    const char *name;
    const char *mechanism_ref;
    struct sm_strv fields;      /* fields carried; empty = all */
    struct transform *transforms;
    int32_t from;               /* placement id */
    int32_t to;                 /* placement id, or SM_NONE for an export */
    int32_t to_region;          /* export target region when to == SM_NONE */
    int32_t valid_from;         /* yyyymmdd, 0 none */
    int32_t valid_to;
    uint32_t ntransforms;
    uint8_t kind;               /* enum flow_kind */
    uint8_t mechanism;          /* enum mechanism */
    uint8_t transit_encrypted;
    uint8_t public_recipient;   /* recipient is a public body */
    uint8_t deleted;
};

struct waiver {
    const char *key;            /* "RULE:OBJECT", the selector */
    const char *rule;           /* RES001 */
    const char *object;         /* selector of the object */
    const char *owner;
    const char *reason;
    int32_t expires;            /* yyyymmdd, 0 never */
    uint8_t deleted;
};

struct scenario {
    const char *name;
    const char *base;           /* another scenario's name, or "" */
    const char *description;
    uint32_t nops;
    struct sm_strv *ops;        /* each: op name then its arguments */
    uint8_t deleted;
};

#define MODEL_ARRAY(type, name) \
    struct type *name; int32_t n##name; int32_t cap_##name

struct model {
    struct sm_arena arena;
    MODEL_ARRAY(region, regions);
    MODEL_ARRAY(tier, tiers);
    MODEL_ARRAY(dataset, datasets);
    MODEL_ARRAY(field, fields);
    MODEL_ARRAY(tag, tags);
    MODEL_ARRAY(prop, props);
    MODEL_ARRAY(asrc, asrcs);
    /* each dataset's first attribute source (asrc.next goes on), apart from
     * struct dataset so that a catalog without any costs nothing: NULL until
     * the first source is set; a dataset past cap_asrc_first has none */
    int32_t *asrc_first;
    int32_t cap_asrc_first;
    MODEL_ARRAY(placement, placements);
    MODEL_ARRAY(flow, flows);
    MODEL_ARRAY(waiver, waivers);
    MODEL_ARRAY(scenario, scenarios);
    struct sm_map region_ids;
    struct sm_map tier_names;
    struct sm_idmap dataset_names;  /* keyed by the objects' own names: */
    struct sm_idmap flow_names;     /* model_dataset_key, model_flow_key */
    struct sm_map waiver_keys;
    struct sm_map scenario_names;
    const char *rule_pack;      /* rule pack chosen for this catalog, "" = default */
    uint64_t generation;        /* bumped by every change */
    /* Which objects' names and deleted flags a run of changes left alone
     * (model_rows_kept): for each kind, the generations rows_from[k] ..
     * rows_to[k] were reached by changes that added, removed, renamed no
     * object of kind k (model_changed_kinds); any other change moves the
     * generation past rows_to[k]. serial: this model among all made in
     * the process (model_new), so that a model allocated where a freed
     * one was is told from it. */
    uint64_t rows_from[OBJ_KIND_COUNT], rows_to[OBJ_KIND_COUNT];
    uint64_t serial;
    /* The datasets' names in order, when known: name_rank[d] is d's place
     * among all datasets by strcmp of their names (deleted ones included).
     * Good only while name_rank_gen == generation and name_rank_n ==
     * ndatasets (model_name_rank); a change made through model_changed
     * that touches no dataset's name keeps it (name_rank_gen follows),
     * any other makes it stale. The load
     * snapshot keeps it, so check_run need not rank a million names to
     * order the transfer register. Owned; model_clone and
     * scenario_model_share copy it (model_copy_name_rank), so that a
     * scenario checked after each edit does not rank them each time. */
    int32_t *name_rank;
    int32_t name_rank_n;
    uint64_t name_rank_gen;
    bool shareable;             /* arrays and maps in blocks sm_big_share can
                                 * share (model_set_shareable) */
};

struct model *model_new(void);
/* Keep m's object arrays and name maps in shareable blocks (sm.h, "big
 * arrays"), so that scenario_model_share copies them page by page on
 * write instead of whole. Before m is loaded or built: what is already
 * there moves when its array next grows. */
void model_set_shareable(struct model *m, bool on);
void model_free(struct model *m);
/* m->name_rank if it is good for m as it is now, else NULL. */
const int32_t *model_name_rank(const struct model *m);
/* After a change to m: its generation moves on. names: the change may
 * add, remove or rename a dataset (or bring one back); otherwise name
 * ranks that were good stay good (they rank the datasets' names alone:
 * a copy, flow, attribute, waiver ... changes none), so a full check
 * after such an edit need not rank a million names again. */
void model_changed(struct model *m, bool names);
/* The same for a change that adds, removes, renames (or brings back)
 * objects of the kinds in kinds (a bit per enum obj_kind, MODEL_KIND_BIT)
 * and of no other kind: an attribute set, a copy added. model_changed is
 * this with every kind. */
#define MODEL_KIND_BIT(k) (1u << (k))
#define MODEL_ALL_KINDS ((1u << OBJ_KIND_COUNT) - 1)
void model_changed_kinds(struct model *m, bool names, unsigned kinds);
/* The kinds whose objects' names or deleted flags removing (or bringing
 * back) an object of this kind changes: a dataset takes its copies and
 * their flows with it, a copy its flows. */
unsigned model_removal_kinds(enum obj_kind kind);
/* Have the names and deleted flags of m's objects of this kind (and
 * their number) stayed as they were at generation since? True when
 * since is m's generation, or every change since was made through
 * model_changed_kinds without this kind. Never true for a generation of
 * another model: the caller keeps m->serial with since. */
bool model_rows_kept(const struct model *m, enum obj_kind kind, uint64_t since);
/* Free m->name_rank (a full check_run then ranks the names itself). */
void model_drop_name_rank(struct model *m);
/* Keep rank (n entries, malloc'ed; ownership passes) as m's name ranks,
 * good for m's generation now. */
void model_set_name_rank(struct model *m, int32_t *rank, int32_t n);
/* Give dst (a copy of src at src's generation) src's name ranks when they
 * are good. SM_OK or SM_ENOMEM. */
int model_copy_name_rank(struct model *dst, const struct model *src);
/* A copy that shares nothing mutable with m. SM_OK or SM_ENOMEM. */
int model_clone(const struct model *m, struct model **out);

/* Fill an object with its defaults (no references: SM_NONE; scopes global). */
void model_region_init(struct region *r);
void model_tier_init(struct tier *t);
void model_dataset_init(struct dataset *d);
void model_placement_init(struct placement *p);
void model_flow_init(struct flow *f);

/* Arena copies (NULL stays NULL). */
const char *model_str(struct model *m, const char *s);

/* ---- lookup ------------------------------------------------------------------ */

/* Objects of a kind, deleted ones included (the length of its array). */
int32_t model_count(const struct model *m, enum obj_kind kind);
/* id is in range and not deleted. */
bool model_live(const struct model *m, enum obj_kind kind, int32_t id);
/* What an object is known by across models and in the name maps: a
 * region's id, a waiver's RULE:OBJECT key, the others' name; NULL for a
 * copy (it has a selector instead, model_selector). id must be in range. */
const char *model_key(const struct model *m, enum obj_kind kind, int32_t id);
/* The one way to show a region or a tier by id: its id or name, "" for
 * SM_NONE (no region, no tier). Any other id must be in range: a wrong one
 * is a bug to catch (sanitizers), not a "?" to print. */
const char *model_region_id(const struct model *m, int32_t r);
const char *model_tier_name(const struct model *m, int32_t t);
/* The key functions of the dataset and flow maps (sm_idmap): ctx is the
 * model, the name of object id. */
const char *model_dataset_key(const void *m, int32_t id);
const char *model_flow_key(const void *m, int32_t id);
/* Put object id of any named kind into its name map under model_key (SM_OK,
 * SM_ENOMEM), take it out (false: it was not there), or make room for n
 * names in all; a kind without a map does nothing. */
int  model_map_put(struct model *m, enum obj_kind kind, int32_t id);
bool model_map_del(struct model *m, enum obj_kind kind, int32_t id);
int  model_map_reserve(struct model *m, enum obj_kind kind, uint32_t n);
/* The number of names in kind's map (0 for a kind without one). */
uint32_t model_map_len(const struct model *m, enum obj_kind kind);
int32_t model_region(const struct model *m, const char *id);
int32_t model_tier(const struct model *m, const char *name);
int32_t model_dataset(const struct model *m, const char *name);
int32_t model_flow(const struct model *m, const char *name);
int32_t model_waiver(const struct model *m, const char *key);
int32_t model_scenario(const struct model *m, const char *name);
/* "ds@region" or "ds@region/role"; SM_NONE if unknown or ambiguous. */
int32_t model_placement(const struct model *m, const char *sel);
int32_t model_placement_of(const struct model *m, int32_t dataset,
                           int32_t region, int role /* SM_NONE: any */);
/* Resolve any selector; SM_ENOTFOUND with "unknown dataset orderz; did you
 * mean orders?" in err. */
int model_find(const struct model *m, enum obj_kind kind, const char *sel,
               int32_t *id, struct sm_error *err);
/* The selector of an object into buf (canonical form). Returns buf. */
const char *model_selector(const struct model *m, enum obj_kind kind,
                           int32_t id, char *buf, size_t size);
/* The selector on the heap, whatever its length (the caller frees);
 * NULL when out of memory. */
char *model_selector_dup(const struct model *m, enum obj_kind kind, int32_t id);
/* Nearest name of that kind to a mistyped one (edit distance <= 3), or NULL. */
const char *model_suggest(const struct model *m, enum obj_kind kind,
                          const char *name);

/* ---- building ----------------------------------------------------------------- */
/* Every function copies the strings it is given. The add functions fail with
 * SM_EEXIST when the name is taken, SM_ENOTFOUND for an unknown reference,
 * SM_EINVAL for a bad value; on failure the model is unchanged. */

/* A region id every path accepts: no blanks, controls, DEL, commas, @ or /. */
bool model_region_id_ok(const char *id);
int model_add_region(struct model *m, const struct region *r, int32_t *id,
                     struct sm_error *err);
int model_add_tier(struct model *m, const struct tier *t, int32_t *id,
                   struct sm_error *err);
/* d->first_* are ignored. */
int model_add_dataset(struct model *m, const struct dataset *d, int32_t *id,
                      struct sm_error *err);
int model_add_field(struct model *m, int32_t dataset, const char *name,
                    int32_t *id, struct sm_error *err);
int32_t model_field(const struct model *m, int32_t dataset, const char *name);
/* Order a dataset's fields by name (bytes): the order an import leaves
 * them in, whatever order the sources named them in (doc/import.md). */
void model_sort_fields(struct model *m, int32_t dataset);
/* Set a field's column type and comment (copied; NULL leaves one as it is). */
int model_set_field_attrs(struct model *m, int32_t field, const char *type,
                          const char *comment, struct sm_error *err);
/* field SM_NONE: a dataset tag. An identical tag (same field and text) is
 * not added twice: its provenance is kept and *id gets the existing one. */
int model_add_tag(struct model *m, int32_t dataset, int32_t field,
                  const char *tag, const char *source, const char *entity,
                  const char *time, int32_t *id, struct sm_error *err);
int model_remove_tag(struct model *m, int32_t tag);
/* Replace a tag's provenance (source, entity, time; copied). */
int model_set_tag_source(struct model *m, int32_t tag, const char *source,
                         const char *entity, const char *time, struct sm_error *err);
/* Set the day a tag's classification expired ("YYYY-MM-DD"; NULL or "" live). */
int model_set_tag_expired(struct model *m, int32_t tag, const char *expired,
                          struct sm_error *err);
/* Set a dataset's property key to value with its provenance (all copied):
 * added in key order, or changed in place. *id (may be NULL) gets it. */
int model_set_prop(struct model *m, int32_t dataset, const char *key, const char *value,
                   const char *source, const char *entity, const char *time, int32_t *id,
                   struct sm_error *err);
/* The property key of a dataset, or SM_NONE. */
int32_t model_prop(const struct model *m, int32_t dataset, const char *key);
int model_remove_prop(struct model *m, int32_t prop);
/* The source of attribute attr (enum asrc_attr) of dataset (field SM_NONE)
 * or of its field, or SM_NONE: unknown. */
int32_t model_asrc(const struct model *m, int32_t dataset, int32_t field, int attr);
/* The first attribute source of dataset (SM_NONE: none); the rest follow
 * through asrc.next. */
static inline int32_t
model_asrc_first(const struct model *m, int32_t dataset)
{
    return dataset >= 0 && dataset < m->cap_asrc_first ? m->asrc_first[dataset] : SM_NONE;
}
/* Set it (the table made or grown as needed); SM_ENOMEM. */
int model_set_asrc_first(struct model *m, int32_t dataset, int32_t first);
/* The lists' heads made again from the records (after a load snapshot): a
 * record no other record follows starts its dataset's list. SM_ENOMEM. */
int model_asrc_relink(struct model *m);
/* dst's heads a copy of src's (dst has none yet). SM_ENOMEM. */
int model_asrc_first_copy(struct model *dst, const struct model *src);
/* Record who set it (all copied; source "" and entity "": a person), in
 * place if there is one; *id (may be NULL) gets it. */
int model_set_asrc(struct model *m, int32_t dataset, int32_t field, int attr,
                   const char *source, const char *entity, const char *time, int32_t *id,
                   struct sm_error *err);
/* Forget it (the source becomes unknown). */
void model_clear_asrc(struct model *m, int32_t dataset, int32_t field, int attr);
/* Every attribute with a value and no known source becomes a person's
 * (`import model`: a model file is what people wrote). */
int model_asrc_typed(struct model *m, struct sm_error *err);
/* The attribute a name ("owner", "type" ...) is, or SM_NONE. */
int asrc_attr(const char *name);
/* Unlink a field (and its tags) from its dataset: it no longer shows in the
 * dataset's lists nor in model_field(). SM_EINVAL for a bad id. */
int model_remove_field(struct model *m, int32_t field, struct sm_error *err);
int model_add_placement(struct model *m, const struct placement *p,
                        int32_t *id, struct sm_error *err);
/* f->name may be NULL or "": the default name is made. */
int model_add_flow(struct model *m, const struct flow *f, int32_t *id,
                   struct sm_error *err);
int model_add_waiver(struct model *m, const struct waiver *w, int32_t *id,
                     struct sm_error *err);
int model_add_scenario(struct model *m, const struct scenario *s, int32_t *id,
                       struct sm_error *err);
/* Bulk loading (the store): put the names of datasets or flows [from, n)
 * into their name map in id order, as model_add_dataset/model_add_flow do
 * one at a time, for objects appended directly to the arrays (deleted ones
 * are skipped). The map is sized once for them, then filled exactly as by
 * one sm_map_put per name in id order; the slots are fetched ahead, so a
 * million names do not wait for a million cache misses one by one.
 * kind is OBJ_DATASET or OBJ_FLOW (SM_EINVAL otherwise); SM_ENOMEM. */
int model_index_names(struct model *m, enum obj_kind kind, int32_t from);
/* Append one op (argv[0] is the op name) to a scenario. */
int model_scenario_append(struct model *m, int32_t scenario, int argc,
                          const char *const *argv, struct sm_error *err);

/* Remove an object. A dataset takes its fields, tags, placements and their
 * flows with it; a placement its flows; a region or tier in use is refused
 * with SM_EINVAL ("region aws:x holds 3 copies"). */
int model_remove(struct model *m, enum obj_kind kind, int32_t id,
                 struct sm_error *err);

/* ---- attributes: one table drives edits, forms, audit text and the CLI ------ */

enum attr_type {
    ATTR_STR, ATTR_INT, ATTR_BOOL, ATTR_ENUM, ATTR_DATE, ATTR_TIER,
    ATTR_REGION, ATTR_CC, ATTR_SUBJECTS, ATTR_STRV, ATTR_CCSET,
    ATTR_TRANSFORMS, ATTR_PLACEMENT, ATTR_FIELDS
};

struct attr {
    const char *name;           /* "tier", "key-region" */
    enum attr_type type;
    const char *const *names;   /* ATTR_ENUM table */
    int nnames;
    const char *help;           /* one line, for --help and forms */
    bool required;              /* must be given when adding */
    bool readonly;              /* shown, not set through model_set */
    size_t offset;              /* of the member in the object struct */
};

/* The attributes of a kind, NULL-name terminated. */
const struct attr *model_attrs(enum obj_kind kind);
const struct attr *model_attr(enum obj_kind kind, const char *name);

/* Set an attribute from its text form ("EU,BR", "mask email; drop ssn",
 * "true", "2026-12-31", "" to clear). SM_EINVAL/SM_ENOTFOUND with a message
 * naming the object and the attribute; the model is unchanged then. */
int model_set(struct model *m, enum obj_kind kind, int32_t id,
              const char *attr, const char *value, struct sm_error *err);
/* The text form of an attribute into buf, cut to size - 1 bytes (possibly
 * mid-character): only for attributes of a bounded length (numbers, dates,
 * enums, booleans); names and free text go through model_get_dup. */
const char *model_get(const struct model *m, enum obj_kind kind, int32_t id,
                      const char *attr, char *buf, size_t size);
/* The text form of an attribute on the heap, whole whatever its length
 * (the caller frees); NULL when out of memory. */
char *model_get_dup(const struct model *m, enum obj_kind kind, int32_t id,
                    const char *attr);
/* Every non-empty attribute as "name=value" lines, whole, on the heap (the
 * caller frees), for the audit log and diffs; NULL when out of memory. */
char *model_describe_dup(const struct model *m, enum obj_kind kind, int32_t id);

/* One object of a model by kind and id (audit snapshots, store hooks). */
struct obj_ref {
    enum obj_kind kind;
    int32_t id;
};

/* ---- derived facts -------------------------------------------------------------- */

bool model_field_personal(const struct model *m, int32_t field);
/* Number of personal fields of a dataset. */
int  model_dataset_personal_fields(const struct model *m, int32_t dataset);
/* The primary placement of a dataset, or SM_NONE. */
int32_t model_primary(const struct model *m, int32_t dataset);
/* Parse "EU,BR" into codes; SM_EINVAL with the bad item named. Any two
 * letters parse (a catalog written before they were checked still loads);
 * what is typed or imported goes through model_check_cc too. */
int model_parse_subjects(const char *s, uint16_t *out, uint8_t *n,
                         struct sm_error *err);
/* SM_OK when cc names a jurisdiction (sm_cc_known); else SM_EINVAL with
 * "unknown country code UK; the United Kingdom is GB" or "ZZ is not an
 * ISO 3166-1 country code". */
int model_check_cc(int cc, struct sm_error *err);
/* Parse "mask email phone; drop ssn; anonymize". */
int model_parse_transforms(struct model *m, const char *s, struct transform **out,
                           uint32_t *n, struct sm_error *err);
/* "mask email; drop ssn" into buf; returns the whole length (as snprintf:
 * size 0 measures it). */
size_t model_format_transforms(const struct transform *t, uint32_t n, char *buf,
                               size_t size);

/* Tag helpers: does "pii.email" fall under prefix "pii"? */
bool model_tag_under(const char *tag, const char *prefix);

#endif
