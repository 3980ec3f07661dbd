/*
 * plan.h - the planner: proposes scenario ops that remove every error
 * finding of a model (or of a scenario), each verified by re-checking, and
 * says plainly what it cannot fix and why.
 *
 * For each violating copy it tries the closest allowed region (ranked by
 * the preference: same provider, then same country as the dataset's
 * primary, then same bloc), keeps the first one the checker accepts, and
 * where no move helps declares a transfer mechanism (scc) if that clears
 * the finding. Encryption, key and classification findings get `set` /
 * `set-tier` ops. Work is done per connected group of datasets (flows
 * link them) on a small model, so planning stays fast on big catalogs; the
 * whole plan is then verified by one full check.
 *
 * Core: no I/O, no globals.
 */
#ifndef PLAN_H
#define PLAN_H

#include "scenario.h"

#define PLAN_PREFERS(X) \
    X(SAME_PROVIDER,  "same-provider") \
    X(SAME_COUNTRY,   "same-country") \
    X(FEWEST_REGIONS, "fewest-regions")

#define X(id, name) PLAN_##id,
enum plan_prefer { PLAN_PREFERS(X) PLAN_PREFER_COUNT };
#undef X
extern const char *const plan_prefer_names[PLAN_PREFER_COUNT];

struct plan_options {
    int prefer;                     /* enum plan_prefer */
    const int32_t *only;            /* target regions allowed (ids in the start
                                       model), NULL: any */
    int32_t nonly;
    /* groups (datasets linked by flows) larger than this are planned one
     * dataset's neighbourhood at a time, with the effective tier and
     * subjects of its partners taken from a check of the group; 0: 2000 */
    int32_t big_group;
};

struct plan_step {
    struct sm_strv op;              /* a scenario op: argv[0] is its name */
    const char *why;                /* "RES001 on orders@aws:us-east-1 (replica outside ...)" */
};

struct plan_unfixed {
    const char *rule;
    const char *selector;
    uint8_t severity;
    const char *reason;             /* why the planner could not fix it */
};

struct plan {
    struct sm_arena arena;
    struct plan_step *steps;
    int32_t nsteps;
    struct plan_unfixed *unfixed;   /* errors still there after the plan */
    int32_t nunfixed;
    int32_t errors_before;          /* live error findings of the start */
    int32_t errors_after;           /* ... after the plan, by a full re-check */
    int32_t tries;                  /* candidate fixes checked */
};

/* Plan from a checked evaluation (the base, or a scenario: its retired
 * regions and pack changes hold). SM_OK (a plan, possibly with unfixed
 * findings), SM_ENOMEM, or SM_EINVAL when start is not checked. */
int  plan_make(const struct scenario_eval *start, const struct plan_options *opt,
               struct plan **out, struct sm_error *err);
void plan_free(struct plan *p);

#endif
