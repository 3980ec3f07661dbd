/*
 * rulepack.h - loading rule packs (data/rules/NAME.json) and the
 * jurisdiction facts (data/jurisdictions.json) into a struct rulepack
 * (rules.h). Lives in io/ (jansson); the checker only reads the result.
 */
#ifndef RULEPACK_H
#define RULEPACK_H

#include "model.h"

struct rulepack;

/* name: a pack name ("default" -> DATADIR/rules/default.json) or a path to
 * a JSON file. Errors name the file: "my.json:12:7: unknown scope blok". */
int  rulepack_load(const char *datadir, const char *name, struct rulepack **out,
                   struct sm_error *err);
void rulepack_free(struct rulepack *rp);

/* Add the pack's default tiers to a model that has none (new catalogs). */
int  rulepack_seed_tiers(const struct rulepack *rp, struct model *m, struct sm_error *err);

#endif
