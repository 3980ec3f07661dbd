/*
 * scenario_int.h - private: the types, statements and helpers that scenario.c and its
 * parts (scenario_ops.c, scenario_diff.c, scenario_update.c) share. Nothing outside them
 * includes it.
 */
#ifndef SM_SCENARIO_INT_H
#define SM_SCENARIO_INT_H

#include "scenario.h"

#define SCENARIO_MAX_CHAIN 64

static inline int
oom(struct sm_error *err)
{
    return sm_error_set(err, SM_ENOMEM, "scenario: out of memory");
}

/* Defined in one part, used in another. */
int own_pack(struct scenario_eval *ev, struct sm_error *err);
int touch(struct scenario_eval *ev, int32_t dataset);
int touch_placement(struct scenario_eval *ev, int32_t p);
int touch_flow(struct scenario_eval *ev, int32_t f);
int push_attr_change(struct scenario_attr_diff *d, int sign, int kind, const char *sel,
                     const char *attr, const char *before, const char *after);

#endif
