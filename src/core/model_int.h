/*
 * model_int.h - private: the types, statements and helpers that model.c and its parts
 * (model_build.c, model_attr.c) share. Nothing outside them includes it.
 */
#ifndef SM_MODEL_INT_H
#define SM_MODEL_INT_H

#include "model.h"

#define GROW(m, arr, need) \
    sm_big_grow((void **)&(m)->arr, &(m)->cap_##arr, (need), sizeof *(m)->arr, (m)->shareable)

static inline int
oom(struct sm_error *err)
{
    return sm_error_set(err, SM_ENOMEM, "out of memory");
}

/* Defined in one part, used in another. */
int check_utf8(struct sm_error *err, const char *what, int n, ...);
int model_check_placement(const struct model *m, const struct placement *p, int32_t self,
                          struct sm_error *err);
int model_check_flow(const struct model *m, const struct flow *f, struct sm_error *err);

#endif
