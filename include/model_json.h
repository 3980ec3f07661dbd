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
