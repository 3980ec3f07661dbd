/*
 * model_json.h - the canonical text form of a catalog (doc/formats.md):
 * user regions, tiers, datasets with fields and tags (with provenance),
 * placements, flows, waivers, scenarios. Deterministic: sorted, stable,
 * one fixed indentation, so it diffs well in git. Reading it back gives a
 * model whose export is byte-identical.
 */
#ifndef MODEL_JSON_H
#define MODEL_JSON_H

#include <stdio.h>

#include "model.h"

int model_json_write(const struct model *m, FILE *f, struct sm_error *err);
/* Read a model-json text (len bytes, name used in "name:line:col: msg"
 * errors: "m.json:12:19: datasets[3].tier: unknown tier restrictd") into m, which holds the builtin regions and nothing else.
 * On failure m may be partly filled: discard it. */
int model_json_read(const char *text, size_t len, const char *name, struct model *m,
                    struct sm_error *err);
/* model_json_read of a file whose names are to be new names of a catalog
 * (import model, validate): a name with a control character (C0, DEL, C1)
 * is refused at its file:line:col (QA #21; doc/cli.md, "Names"). */
int model_json_read_new(const char *text, size_t len, const char *name, struct model *m,
                        struct sm_error *err);

/* The audit snapshot of some objects of m (doc/catalog.md): one compact JSON
 * object holding the sections "regions" ... "scenarios" that have any of
 * them, each object exactly as model_json_write writes it (a copy stands
 * for its dataset; deleted objects, builtin regions and ids past m's arrays
 * are left out; "{}" when none is left). Heap text in *out. */
int model_json_part(const struct model *m, const struct obj_ref *refs, int32_t n,
                    char **out, struct sm_error *err);
/* The snapshots of what differs between a and b, matched by identity (region
 * id, tier/dataset/flow/scenario name, waiver rule and object): *before holds
 * a's side of each object that differs (missing from b: removed), *after b's
 * (missing from a: added). Heap texts. When more than limit objects differ
 * (limit > 0) it returns SM_ELIMIT with only the counts in *before,
 * {"datasets":{"added":N,"changed":N,"removed":N},...}, and *after NULL. */
int model_json_diff(const struct model *a, const struct model *b, char **before,
                    char **after, int64_t limit, struct sm_error *err);
/* Undo an audit entry on m: data is its {"before": PART, "after": PART}.
 * Every object the entry touched must be now exactly as "after" left it
 * (absent where "after" lacks it); otherwise SM_EEXIST with a message
 * naming the first that is not ("dataset orders changed"), its kind in
 * *kind ("dataset", static) and its identity in *ident (heap, caller frees;
 * both may be NULL). On success *out is the model-json text of m with those
 * objects as "before" had them (heap). */
int model_json_undo(const struct model *m, const char *data, char **out, const char **kind,
                    char **ident, struct sm_error *err);
/* Does the entry's data touch an object with this identity, of kind
 * ("dataset"; NULL: any kind)? */
bool model_json_touches(const char *data, const char *kind, const char *ident);
/* Where the objects of a model read from a file are: line and column
 * (1-based; columns count characters) of each object's identifying member
 * (a region's "id"; a tier's, dataset's or scenario's "name"; a copy's
 * "region"; a flow's "name" when it has one; otherwise the object's '{'),
 * indexed by object kind and id. line 0: not from the file (shipped
 * regions). SARIF results of `sovmap check FILE` point there. */
struct model_json_loc {
    int32_t line, col;
};
struct model_json_locs {
    struct model_json_loc *at[OBJ_KIND_COUNT];
    int32_t n[OBJ_KIND_COUNT];
};
/* model_json_read that also fills locs (zeroed by the caller; release it
 * with model_json_locs_fini, also after a failure). */
int model_json_read_locs(const char *text, size_t len, const char *name, struct model *m,
                         struct model_json_locs *locs, struct sm_error *err);
void model_json_locs_fini(struct model_json_locs *locs);
/* The place of an object, or NULL when unknown. */
const struct model_json_loc *model_json_loc(const struct model_json_locs *locs,
                                            enum obj_kind kind, int32_t id);

#endif
