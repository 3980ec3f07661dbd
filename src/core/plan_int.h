/*
 * plan_int.h - private: the types, statements and helpers that plan.c and its parts
 * (plan_try.c) share. Nothing outside them includes it.
 */
#ifndef SM_PLAN_INT_H
#define SM_PLAN_INT_H

#include "plan.h"

struct planner {
    const struct scenario_eval *start;
    const struct plan_options *opt;
    struct plan *p;
    struct scenario_eval *w;        /* start + the plan so far (ops by name) */
    int32_t cap_steps, cap_unfixed;
    struct scenario_links links;    /* flows touching each dataset */
    uint8_t *done;                  /* per dataset: its group was planned */
    int32_t *used;                  /* per region: live copies */
    int32_t *pmap;                  /* scratch for scenario_submodel */
    struct sm_map gaveup;           /* "RULE selector" -> reason index */
    const char **reasons;
    int32_t nreasons, cap_reasons;
    int threshold;                  /* lowest severity a step may not add */
    char *reject;                   /* the new finding that made the last
                                       candidate fail, "" (heap) */
    int32_t clean_copy;             /* a move of this copy (group model id) must
                                       leave no error a move fixes on it, or
                                       SM_NONE: no second move of it later */
};

static inline int
oom(struct sm_error *err)
{
    return sm_error_set(err, SM_ENOMEM, "plan: out of memory");
}

/* An op being tried: argv[1..4] are copies on the heap (names and
 * selectors of any length), freed by the next cand_set or cand_free. */
struct cand {
    int argc;
    const char *argv[5];
    char *buf[4];
    bool oom;                   /* a copy failed: the op is not whole */
};

#define RANK_KEYS 8

struct ranked {
    int32_t region;
    const char *id;
    int key[RANK_KEYS];
};

/* Defined in one part, used in another. */
int count_errors(const struct check_result *r);
bool live_error(const struct finding *f);
int new_findings(const struct check_result *before, const struct check_result *after,
                 int threshold, bool all, bool todos, int32_t **out, int32_t *n);
int set_reject(struct planner *pl, const struct finding *f);
int give_up(struct planner *pl, const char *rule, const char *selector, const char *reason);
bool gave_up(const struct planner *pl, const struct finding *f);
void cand_set(struct cand *c, int argc, ...);
void cand_free(struct cand *c);
/* "RULE SELECTOR", the key of a finding given up on: small when it fits,
 * else on the heap (free it when it is not small); NULL out of memory. */
char *gaveup_key(char *small, size_t size, const char *rule, const char *selector);
int add_step(struct planner *pl, const struct cand *c, const char *why, const char *rule,
             const char *selector, struct sm_error *err);
int rank_regions(const struct planner *pl, int32_t p, struct ranked **out, int32_t *n);
int plan_group(struct planner *pl, const int32_t *ds, int32_t n, struct sm_error *err);
int move_stranded_keys(struct planner *pl, struct sm_error *err);
int32_t finding_dataset(const struct model *m, const struct finding *f);

#endif
