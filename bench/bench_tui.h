/*
 * bench_tui.h - the TUI's operations for the benchmarks that drive it
 * in-process (tui_bench, edit_bench): edits and reverts on the model, and
 * the checker with the rule pack in `rp` (loaded by the program).
 */
#ifndef BENCH_TUI_H
#define BENCH_TUI_H

#include "check.h"
#include "edit.h"
#include "rulepack.h"

static struct rulepack *rp;

static inline int
b_apply(void *ctx, struct model *m, const struct edit *e, struct edit_result *res,
        struct sm_error *err)
{
    (void)ctx;
    return edit_apply(m, e, res, err);
}

static inline int
b_revert(void *ctx, struct model *m, struct edit_result *res, struct sm_error *err)
{
    (void)ctx;
    return edit_reverted(res) ? edit_reapply(m, res, err) : edit_revert(m, res, err);
}

static inline int
b_check(void *ctx, const struct model *m, struct check_result **out, struct sm_error *err)
{
    (void)ctx;
    return check_run(m, rp, 20261126, out, err);
}

static inline void
b_free(void *ctx, struct check_result *r)
{
    (void)ctx;
    check_result_free(r);
}

#endif
