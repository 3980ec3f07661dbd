/*
 * rulepack.h - loading rule packs (data/rules/NAME.json) and the
 * jurisdiction facts (data/jurisdictions.json) into a struct rulepack
 * (rules.h). Lives in io/ (jansson); the checker only reads the result.
 */
#ifndef RULEPACK_H
#define RULEPACK_H

#include <stdbool.h>

#include "model.h"

struct rulepack;

/* Whether name is a plain pack name: 1 to 64 letters, digits, '.', '_' or
 * '-', not starting with '.'. A catalog may name only such a pack. */
bool rulepack_plain_name(const char *name);
/* name: a pack name ("default" -> DATADIR/rules/default.json) or a path to
 * a JSON file. Errors name the file: "my.json:12:7: unknown scope blok". */
int  rulepack_load(const char *datadir, const char *name, struct rulepack **out,
                   struct sm_error *err);
void rulepack_free(struct rulepack *rp);

/* Add the pack's default tiers to a model that has none (new catalogs). */
int  rulepack_seed_tiers(const struct rulepack *rp, struct model *m, struct sm_error *err);

#endif
