/*
 * cmd_util.h - private helpers of the object commands in src/cli: sub-
 * command dispatch, options generated from the model's attribute tables,
 * tables of text/tsv output, JSON objects from attributes, and saving
 * objects with their audit entry. Not a public contract: only src/cli/
 * includes it.
 */
#ifndef CMD_UTIL_H
#define CMD_UTIL_H

#include "cli.h"
#include "edit.h"

/* ---- subcommands ------------------------------------------------------------------ */

struct subcmd {
    const char *name;           /* "add" */
    const char *usage;          /* "usage: sovmap dataset add NAME [--ATTR VALUE]...\n..." */
    int (*run)(struct cli *c, const struct command *self, int argc, char **argv);
    int attrs;                  /* OBJ kind + 1 whose attributes --help lists, 0 none */
};

/* Run a command of cmd->subs (cli_run): argv[0] is the command, argv[1] the
 * subcommand. When argv[1] is not a subcommand and cmd->default_sub is set,
 * run that with all of argv[1..] as its arguments (`sovmap place DATASET
 * REGION`). `sovmap CMD --help` also lists the attributes of
 * cmd->kind_help - 1 (0: none). */
int cmd_dispatch(struct cli *c, const struct command *cmd, int argc, char **argv);

/* cli_parse for a command of a few arguments: they go to pos[0..maxpos) and
 * *npos counts all that were given, maybe more than maxpos (the rest are not
 * kept): no number of words writes past pos. */
int cmd_parse(struct cli *c, const struct command *cmd, int argc, char **argv,
              const struct cli_opt *opts, char **pos, int maxpos, int *npos, bool *help);

/* Print the settable attributes of kind as an option list (for --help). */
void cmd_attr_help(FILE *f, enum obj_kind kind, const char *const *skip);

/* ---- options from attribute tables ------------------------------------------------ */

struct attr_opts {
    int n;
    const struct attr *attr[EDIT_MAX_ATTRS];
    const char *val[EDIT_MAX_ATTRS];
    char optname[EDIT_MAX_ATTRS][48];   /* bounded: "--" and a fixed attribute name */
};

/* Most short spellings (--ref for --mechanism-ref) an object kind has. */
#define ATTR_MAX_ALIASES 4
/* One option --NAME per settable attribute of kind not listed in skip
 * (NULL-terminated, may be NULL), appended to opts at *nopts; opts stays
 * NULL-terminated (room for EDIT_MAX_ATTRS + ATTR_MAX_ALIASES + 1 more is
 * needed). Short spellings (flow --ref, --encrypted) come after them. */
void attr_opts_add(struct attr_opts *ao, enum obj_kind kind, const char *const *skip,
                   struct cli_opt *opts, int *nopts);
/* The value given for one attribute, or NULL. */
const char *attr_opts_get(const struct attr_opts *ao, const char *name);
/* Set (or override) an attribute's value. */
void attr_opts_set(struct attr_opts *ao, const char *name, const char *value);
/* Append the attributes given to e. Returns how many. */
int attr_opts_edit(const struct attr_opts *ao, struct edit *e);
/* cli_parse against the options of attr_opts_add (values into *ao) and then
 * extra (NULL-terminated, at most 7, may be NULL). The arguments go to
 * *pos, argc long: the caller frees it, also on failure (NULL when out of
 * memory). */
int attr_opts_parse(struct cli *c, const struct command *self, int argc, char **argv,
                    enum obj_kind kind, const char *const *skip, const struct cli_opt *extra,
                    struct attr_opts *ao, char ***pos, int *npos, bool *help);

/* The fields a flow's --transforms text names must be fields of its source
 * dataset ds: else "unknown field F on D (fields: ...)", CLI_USAGE. A
 * dataset with no fields modelled yet gets a warning only. */
int cmd_check_transforms(struct cli *c, int32_t ds, const char *text);

/* ---- output -------------------------------------------------------------------------- */

enum out_format { FMT_TEXT, FMT_TSV, FMT_JSON };
/* Parse --format (NULL means text) against text, tsv (if tsv) and json. */
int cmd_format(struct cli *c, const char *value, bool tsv, enum out_format *out);

/* Rows of a table. row() fills cols[0..ncols) for row i (strings valid until
 * the next call) and returns false to skip the row. Text output is aligned
 * (two passes), tsv has a header line; both escape control bytes. */
typedef bool (*table_row_fn)(void *ctx, int32_t i, const char **cols);
void cmd_table(struct cli *c, enum out_format fmt, int ncols, const char *const *heads,
               int32_t nrows, table_row_fn row, void *ctx);

/* The members of row i's JSON object, after its '{' ("\"name\":..."); cols
 * as row() filled them. */
typedef void (*json_obj_fn)(struct cli *c, void *ctx, int32_t i, const char **cols);
/* A list: cmd_table for text and tsv; for json an array of one object a
 * line, for the rows row() keeps, written by obj(). */
void cmd_list(struct cli *c, enum out_format fmt, int ncols, const char *const *heads,
              int32_t nrows, table_row_fn row, json_obj_fn obj, void *ctx);

/* The start of `KIND list`: at most maxargc words (16 at most; more is "too
 * many arguments"), options only, and *format (the value of --format in
 * opts) checked against text, tsv and json into *fmt. CLI_OK with *help set
 * when --help was shown. */
int cmd_list_parse(struct cli *c, const struct command *self, int argc, char **argv,
                   const struct cli_opt *opts, int maxargc, const char *const *format,
                   enum out_format *fmt, bool *help);

/* ,"attr":value for every attribute of an object (ATTR_FIELDS skipped). */
void cmd_json_attrs(struct cli *c, enum obj_kind kind, int32_t id);
/* "key":"value" (the object's name, id or selector), then cmd_json_attrs. */
void cmd_json_members(struct cli *c, const char *key, const char *value, enum obj_kind kind,
                      int32_t id);
/* "  attr   value" lines for every attribute of an object. */
void cmd_text_attrs(struct cli *c, enum obj_kind kind, int32_t id);
/* One labelled line of `show` output, value escaped. */
void cmd_text_line(struct cli *c, const char *label, const char *value);

/* Write object id of kind as it is in m (id SM_NONE: all of m) and an audit
 * entry (op on object, before and after text, either may be NULL) in one
 * transaction; for changes that are not edit.h edits (fields, tags,
 * scenarios, whole models). snap is the object's audit snapshot from
 * before the change (cmd_part; "{}" for a new object): when the object is
 * the same now, nothing is written and it returns CMD_UNCHANGED. For id
 * SM_NONE the entry's data is the difference from c->m (when m is another
 * model). Prints the error; CLI_OK, CLI_USAGE or CMD_UNCHANGED. */
int cmd_save(struct cli *c, const struct model *m, enum obj_kind kind, int32_t id,
             const char *object, const char *op, const char *before, const char *after,
             const char *snap);
#define CMD_UNCHANGED (-1)
/* The exit status of a command run on several files: a usage or input error
 * (2) outranks a finding (1: "would change", "invalid"), which outranks 0. */
int cmd_worst_exit(int worst, int rc);
/* Staleness of saved scenarios (doc/scenarios.md). The catalog's model
 * changes: the store's change counter less the writes that only edited a
 * scenario (cmd_save of a scenario counts them, meta "scenario_writes"),
 * so writing one scenario does not make the others stale. cmd_save of a
 * scenario records the model change it was saved on (meta
 * "scenario_made_on:NAME"). SM_OK or the store's error in err. */
int cmd_model_changes(struct cli *c, int64_t *out, struct sm_error *err);
/* The model change scenario `name` was saved on, or -1 when unknown (a
 * scenario saved before the counter existed). */
int64_t cmd_scenario_made_on(struct cli *c, const char *name);
/* The same for m, a changed clone of base (c->m, loaded through c->st):
 * only what differs is written (store_put_changes), and logged with the
 * snapshots of what differs (model_json_diff). */
int cmd_save_changes(struct cli *c, const struct model *base, const struct model *m,
                     const char *object, const char *op, const char *before, const char *after);
/* The audit snapshot of one object of m (model_json_part), heap; NULL when
 * out of memory. */
char *cmd_part(const struct model *m, enum obj_kind kind, int32_t id);
/* {"before": before, "after": after} for store_audit_data, heap or NULL. */
char *cmd_audit_data(const char *before, const char *after);
/* The data of a change from model a to model b (model_json_diff), heap;
 * NULL with the error printed. Past CMD_AUDIT_MAX_OBJECTS objects changed
 * (an import model of a big catalog) it is {"summary": counts} instead. */
#define CMD_AUDIT_MAX_OBJECTS 50000
char *cmd_diff_data(struct cli *c, const struct model *a, const struct model *b);
/* Now as ISO 8601 UTC, on the heap (the caller frees; NULL: out of memory);
 * $SOVMAP_NOW pins it to its value, whole; $SOVMAP_TODAY to that day at midnight. */
char *cmd_now(struct cli *c);
/* Resolve kind/sel, printing "unknown dataset x; did you mean y?". */
int cmd_find(struct cli *c, enum obj_kind kind, const char *sel, int32_t *id);

/* `KIND add NAME --ATTR V...` (EDIT_ADD) or `KIND edit SEL --ATTR V...`
 * (EDIT_SET), options from the attribute table minus skip. */
int cmd_obj_write(struct cli *c, const struct command *self, int argc, char **argv,
                  enum obj_kind kind, enum edit_op op, const char *const *skip);
/* `KIND rm SEL...`: each through store_apply. */
int cmd_obj_rm(struct cli *c, const struct command *self, int argc, char **argv,
               enum obj_kind kind);
/* `KIND show SEL [--format text|json]`: every attribute. */
int cmd_obj_show(struct cli *c, const struct command *self, int argc, char **argv,
                 enum obj_kind kind);
/* The same as subcommand handlers, for commands named after their object
 * kind (region, tier, flow; place and waive too). */
int cmd_sub_add(struct cli *c, const struct command *self, int argc, char **argv);
int cmd_sub_edit(struct cli *c, const struct command *self, int argc, char **argv);
int cmd_sub_show(struct cli *c, const struct command *self, int argc, char **argv);
int cmd_sub_rm(struct cli *c, const struct command *self, int argc, char **argv);

/* $XDG_DATA_HOME/sovmap/catalog.db, else ~/.local/share/sovmap/catalog.db
 * (a static string). */
const char *cli_default_catalog(void);
/* Shared with init (cli.c). */
int cli_seed_tiers(struct cli *c);
/* store_apply with the error printed; prints "VERB KIND SELECTOR" unless
 * --quiet (verb NULL: nothing). */
int cli_apply(struct cli *c, const struct edit *e, const char *verb);

/* Import inputs (cmd_import.c): a whole file ("-": standard input),
 * NUL-terminated, or NULL with errno set (EFBIG past the import limit);
 * the message for that failure (returns CLI_USAGE); data/import-map.json
 * with user_map (or NULL) on top. */
struct import_map;
char *cmd_read_file(const char *path, size_t *len);
int cmd_read_fail(struct cli *c, const char *path);
int cmd_load_map(struct cli *c, const char *user_map, struct import_map **out);

#endif
