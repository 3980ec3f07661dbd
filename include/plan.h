/*
 * plan.h - the planner: proposes scenario ops that remove every error
 * finding of a model (or of a scenario), each verified by re-checking, and
 * says plainly what it cannot fix and why.
 *
 * A plan is a proof: a candidate op is kept only when the checker clears
 * the finding it targets and no live finding at or above opt->fail_on
 * appears (a finding is the same when rule and object match, and for
 * RES/XFR rules the jurisdictions: a copy that moves keeps its id). The
 * whole plan is then checked against the start once more; a step that
 * still brings a new finding (the groups are planned apart) is dropped
 * and what it fixed is listed as unfixed, with the reason.
 *
 * Ranking (doc/scenarios.md): keep the copy where it is when a mechanism,
 * encryption or a key move fixes it (unless opt->prefer_moves); promote an
 * in-country copy for a localization law; else move to the nearest allowed
 * region to the copy's current region: same country, same bloc, the
 * dataset's home country, same provider, any. Ties: same provider, home
 * country, a region already in use, a single region before a multi-region,
 * then the region id. Allowed: not retired, not denied by the pack's org
 * policy, in opt->only, not in opt->avoid, the copy's provider with
 * opt->same_provider; pinned copies and (opt->keep_primaries) primaries
 * never move.
 *
 * Work is done per connected group of datasets (flows link them) on a
 * small model, so planning stays fast on big catalogs.
 *
 * Core: no I/O, no globals.
 */
#ifndef PLAN_H
#define PLAN_H

#include "scenario.h"

#define PLAN_PREFERS(X) \
    X(NEAREST,        "nearest") \
    X(SAME_PROVIDER,  "same-provider") \
    X(SAME_COUNTRY,   "same-country") \
    X(FEWEST_REGIONS, "fewest-regions")

#define X(id, name) PLAN_##id,
enum plan_prefer { PLAN_PREFERS(X) PLAN_PREFER_COUNT };
#undef X
extern const char *const plan_prefer_names[PLAN_PREFER_COUNT];

struct plan_options {
    int prefer;                     /* enum plan_prefer: the region order */
    const int32_t *only;            /* target regions allowed (ids in the start
                                       model), NULL: any */
    int32_t nonly;
    /* groups (datasets linked by flows) larger than this are planned one
     * dataset's neighbourhood at a time, with the effective tier and
     * subjects of its partners taken from a check of the group; 0: 2000 */
    int32_t big_group;
    int fail_on;                    /* enum severity: no new live finding at or
                                       above it; SEV_COUNT: only errors count */
    bool prefer_moves;              /* try moves before mechanisms */
    bool keep_primaries;            /* never move or demote a primary copy */
    bool same_provider;             /* moves stay with the copy's provider */
    const int32_t *avoid;           /* regions never targeted */
    int32_t navoid;
    const char *const *pins;        /* datasets or copy selectors never moved */
    int32_t npins;
};

/* Defaults: nearest region, mechanisms first, fail_on warning. */
void plan_options_init(struct plan_options *o);

struct plan_step {
    struct sm_strv op;              /* a scenario op: argv[0] is its name */
    const char *why;                /* "RES001 on orders@aws:us-east-1 (replica outside ...)" */
    const char *rule;               /* the finding it fixes: "RES001" */
    const char *selector;           /* ... on "orders@aws:us-east-1" */
};

struct plan_unfixed {
    const char *rule;
    const char *selector;
    uint8_t severity;
    const char *reason;             /* why the planner could not fix it */
};

/* A live finding the plan brings that was not there before (below
 * fail_on, or a step's to-do such as a mechanism's reference). */
struct plan_new {
    const char *rule;
    const char *selector;
    uint8_t severity;
    const char *message;
    bool todo;                      /* a step's to-do (XFR003: a mechanism's
                                       reference to give), not a regression */
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
    int32_t before[SEV_COUNT];      /* live findings per severity, start */
    int32_t after[SEV_COUNT];       /* ... after the plan */
    struct plan_new *news;          /* new live findings after the plan */
    int32_t nnews;
    int32_t dropped;                /* steps dropped by the final proof */
    int32_t lower_bound;            /* ops no plan can do without: objects
                                       with a fixed error, one op each at best */
    int fail_on;                    /* the options' fail_on */
};

/* Plan from a checked evaluation (the base, or a scenario: its retired
 * regions and pack changes hold). SM_OK (a plan, possibly with unfixed
 * findings), SM_ENOMEM, or SM_EINVAL when start is not checked. */
int  plan_make(const struct scenario_eval *start, const struct plan_options *opt,
               struct plan **out, struct sm_error *err);
void plan_free(struct plan *p);

#endif
