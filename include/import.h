/*
 * import.h - catalog importers: Apache Atlas v2, AWS Glue, Lake Formation
 * LF-tags. Each importer turns parsed JSON files into neutral records
 * (datasets with fields, tags with provenance, regions, lineage flows);
 * the shared part maps labels through the mapping file (data/import-map.json)
 * and upserts the records into a model, recording a review diff and a
 * summary. No SQLite here: the caller (cmd_import) writes the objects the
 * import touched with store_put in one transaction.
 *
 * Typical use:
 *   struct import_map *map;  import_map_load(NULL, datadir_map, &map, err);
 *   struct import_run *run = import_run_new(map, &opts);
 *   import_run_add_file(run, "a.json", text, len, err);    (each file)
 *   import_run_parse(run, importer_find("atlas"), err);     (all files)
 *   import_run_apply(run, model, err);                      (model updated)
 *   ... store_put every import_run_touched() object ...
 *   import_run_print_diff / import_run_print_summary
 *   import_run_free(run);
 */
#ifndef IMPORT_H
#define IMPORT_H

#include <stdio.h>

#include "model.h"

/* ---- mapping file ------------------------------------------------------------- */

struct import_map;

/* Load a mapping file (JSON, doc/import.md) on top of map (NULL: a new
 * map); rules of a later file are tried before those of earlier ones, its
 * region entries override. *out gets the map. SM_EIO, SM_EPARSE with
 * "file:line:col: message". */
int  import_map_load(struct import_map *map, const char *path, struct import_map **out,
                     struct sm_error *err);
/* Same from a text (tests, fuzzing). */
int  import_map_load_text(struct import_map *map, const char *text, size_t len,
                          const char *name, struct import_map **out, struct sm_error *err);
void import_map_free(struct import_map *map);

/* The source of a label a rule can match. */
enum import_from {
    IMPORT_FROM_ATLAS, IMPORT_FROM_GLUE, IMPORT_FROM_LF, IMPORT_FROM_TERRAFORM, IMPORT_FROM_COUNT
};

/* The outcome of mapping one label (a classification, a tag key=value). */
struct import_mapped {
    bool ignore;                /* a rule says drop it */
    bool matched;               /* some rule matched (else kept as a free tag) */
    const char *tier;           /* tier name or NULL */
    const char *system, *owner; /* or NULL */
    int ntags, nsubjects;
    char *tags[8];              /* heap, exact length: import_mapped_fini */
    char *subjects[8];          /* upper-cased, heap */
    bool oom;                   /* an expansion ran out of memory */
};

/* A label: name (classification type or tag key), value (tag value or NULL)
 * and attributes (classification attributes; NULL-terminated key/value
 * pairs, may be NULL). names_only: attributes are unknown (Atlas lineage
 * headers): only rules that need no attribute apply and unmatched labels
 * are dropped. */
void import_map_label(const struct import_map *map, enum import_from from,
                      const char *name, const char *value, const char *const *attrs,
                      bool names_only, struct import_mapped *out);
/* Free what import_map_label allocated in out. */
void import_mapped_fini(struct import_mapped *out);
/* Region id for an S3 bucket, an Atlas namespace (cluster), or NULL. */
const char *import_map_bucket_region(const struct import_map *map, const char *bucket);
const char *import_map_namespace_region(const struct import_map *map, const char *ns);
/* Terraform: the tag (label) key naming a resource's dataset, matched
 * case-insensitively ("sovmap-dataset" unless the file sets terraform.tag_key),
 * and the dataset an address is mapped to (terraform.addresses), or NULL. */
const char *import_map_tf_tag_key(const struct import_map *map);
const char *import_map_tf_dataset(const struct import_map *map, const char *address);

/* Suggested classification (sovmap classify): the tag the mapping file's
 * "suggest" patterns give a field called field, and the pattern that
 * matched (both owned by map), or *tag NULL when none matches. Patterns
 * match whole words of the name, case-insensitively ("dateOfBirth" and
 * "date-of-birth" are the words date, of, birth); '*' at either end of a
 * pattern lets that side run on ("birth*" matches "birthdate"). The first
 * match wins, a later file's patterns first. SM_OK or SM_ENOMEM. */
int import_map_suggest(const struct import_map *map, const char *field, const char **tag,
                       const char **pattern);

/* ---- a run: files in, records, apply ------------------------------------------ */

struct import_opts {
    const char *region;         /* --region: "eu-west-1" or "aws:eu-west-1", or NULL */
    const char *input;          /* --input FILE contents' name (for messages) */
    const char *input_text;     /* its text, or NULL */
    size_t input_len;
    const char *resource_arn;   /* --resource-arn, or NULL */
    const char *now;            /* provenance time "2026-11-26T00:00:00Z" */
    const char *command;        /* "import atlas", for the audit text */
    const char *datadir;        /* data/ (terraform: cloud-replication.json), or NULL */
    bool tf_before;             /* terraform plan: the before view (prior state) */
    bool whole_parse;           /* one json_loadb per file, entities untrimmed (tests
                                 * and benchmarks compare it with the streaming parse) */
};

struct import_run;

struct importer_ops {
    const char *name;           /* "atlas", "glue", "lf-tags" */
    const char *summary;        /* one line for --help */
    /* Does this parsed JSON document look like one of ours? */
    bool (*detect)(const void *json_root);
    /* Turn every file of the run into records (import_run_* builders,
     * internal to src/io). SM_EPARSE/SM_EUSAGE with a message naming the file. */
    int (*parse)(struct import_run *run, struct sm_error *err);
};

extern const struct importer_ops importer_atlas;
extern const struct importer_ops importer_glue;
extern const struct importer_ops importer_lf;
extern const struct importer_ops importer_terraform;
/* NULL-terminated registry. */
extern const struct importer_ops *const importers[];
const struct importer_ops *importer_find(const char *name);

/* opts is copied (its strings borrowed: keep them alive for the run). */
struct import_run *import_run_new(const struct import_map *map, const struct import_opts *opts);
void import_run_free(struct import_run *run);
/* Parse one file's JSON (name is used in "name:line:col: msg"). SM_EPARSE. */
int  import_run_add_file(struct import_run *run, const char *name, const char *text,
                         size_t len, struct sm_error *err);
/* The same for a text that is a read-only mmap of the file (readfile_map):
 * the pages already read are let go as the parse goes (MADV_DONTNEED), so
 * a big export is never resident whole. */
int  import_run_add_mapped(struct import_run *run, const char *name, const char *text,
                           size_t len, struct sm_error *err);
int  import_run_parse(struct import_run *run, const struct importer_ops *ops,
                      struct sm_error *err);
/* Upsert the records into m. On failure m may be partly changed: apply to a
 * clone and keep it only on success. */
int  import_run_apply(struct import_run *run, struct model *m, struct sm_error *err);

/* Objects whose stored rows must be written after apply. */
struct import_touched {
    enum obj_kind kind;
    int32_t id;
};
int32_t import_run_touched(const struct import_run *run, const struct import_touched **out);
/* Did the apply change anything? */
bool import_run_changed(const struct import_run *run);

/* A copy of a dataset an importer found (terraform): the dataset record,
 * region id, role, where its customer-managed key is (NULL: a provider
 * key or none), whether it is encrypted (-1 unknown) and the resource
 * addresses it came from. */
struct import_copy {
    int32_t ds;
    const char *dataset;
    const char *region;
    const char *key_region;
    uint8_t role;               /* enum role */
    int8_t encrypted;
    const char *entity;
    const char *file;
    int32_t next;               /* next copy of the same dataset record */
};
/* Every copy the parse found, in the order found. */
int32_t import_run_copies(const struct import_run *run, const struct import_copy **out);

/* Counts for the summary and tests. */
struct import_stats {
    int datasets_new, datasets_changed, datasets_same;
    int fields_new;
    int tags_added, tags_removed;
    int flows_new, flows_skipped;
    int skipped;                /* entities not imported, see the summary */
    int no_region;              /* datasets left without a placement */
    int conflicts;              /* contradictions between files */
    int warnings;
    int copies_new, copies_changed;
    int unknown;                /* values known only after apply (terraform) */
};
const struct import_stats *import_run_stats(const struct import_run *run);

/* The review diff ("+ dataset x", "  ~ tier a -> b", "  + tag t"). */
void import_run_print_diff(const struct import_run *run, FILE *f);
/* Counts, skipped entities and why, datasets without a region, conflicts
 * and warnings. */
void import_run_print_summary(const struct import_run *run, FILE *f);
/* Only the skipped entities, unknown values and warnings, each line after
 * prefix (check --terraform-plan prints them on stderr). */
void import_run_print_notes(const struct import_run *run, const char *prefix, FILE *f);
/* The audit text (diff, bounded). Heap string, caller frees. */
char *import_run_audit_text(const struct import_run *run);

#endif
