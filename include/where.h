/*
 * where.h - `sovmap where`'s helpers around check_where (check.h): a
 * dataset not yet modelled (a tier and subjects on a scratch copy of the
 * model), and the probe that places one copy and runs the checker, which
 * gives --why-not its facts and the tests their ground truth.
 *
 * Core: no I/O.
 */
#ifndef WHERE_H
#define WHERE_H

#include "check.h"

struct rulepack;

/* A clone of m with one more dataset, "(new dataset)", of tier `tier`
 * (SM_NONE: none), with the subjects (sm_cc codes) and public_sector flag,
 * and no copy. *out and *dataset are written on success. SM_OK, SM_ENOMEM
 * or SM_EINVAL (too many subjects). */
int where_scratch(const struct model *m, int32_t tier, const uint16_t *subjects, int nsubjects,
                  bool public_sector, struct model **out, int32_t *dataset, struct sm_error *err);

/* The checker's answer for one new copy: a clone of the model with a copy
 * of dataset d in `role` (enum where_role) in region r, declaring mechanism
 * mech, checked as of today. For WHERE_PRIMARY the copy is the dataset's
 * only primary (the old one becomes a cache copy); for WHERE_KEY it is an
 * encrypted replica in the home region (r itself when the dataset has no
 * copy) whose key is held in r. The copy has no flow into it. */
struct where_probe {
    struct model *m;            /* the clone */
    struct check_result *r;     /* its check */
    int32_t placement;          /* the new copy */
    int32_t *findings;          /* indexes into r->findings: the rules of
                                   check_where_rules() about the new copy
                                   (and RES003 about the dataset, primary) */
    int32_t nfindings;
    uint32_t rules;             /* their rules, 1u << RULE_x */
};
int  where_probe(const struct model *m, const struct rulepack *rp, int32_t today, int32_t d,
                 int role, int32_t r, int mech, struct where_probe *out, struct sm_error *err);
void where_probe_fini(struct where_probe *p);

#endif
