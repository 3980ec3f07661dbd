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
 * errors) into m, which holds the builtin regions and nothing else.
 * On failure m may be partly filled: discard it. */
int model_json_read(const char *text, size_t len, const char *name, struct model *m,
                    struct sm_error *err);

#endif
