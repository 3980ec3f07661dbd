/*
 * lineage.h - effective tier and subjects through the flow graph.
 *
 * An etl/stream flow makes its target dataset derived from its source.
 * Personal data (and with it the source's effective tier when that tier is
 * personal, and its effective subjects) reaches the target unless the flow
 * removes it: anonymize, aggregate, or every personal field masked, dropped
 * or not carried. Pseudonymized data stays personal. Propagation is an
 * iterative worklist over a CSR adjacency (no recursion); every dataset's
 * state only grows, so cycles terminate and the work is linear in the
 * graph size times the (small) number of tier ranks and subject codes.
 *
 * Core: no I/O. The checker runs it first; its arrays move into the
 * check_result.
 */
#ifndef LINEAGE_H
#define LINEAGE_H

#include "model.h"

struct rulepack;

struct lineage {
    int32_t ndatasets, nflows, nfields;
    int32_t *eff_tier;          /* per dataset: effective tier id, SM_NONE */
    int32_t *eff_via;           /* per dataset: flow that raised it, SM_NONE */
    int32_t *subj_via;          /* per dataset: first flow that brought subject codes
                                 * it does not declare, SM_NONE */
    uint8_t *personal;          /* per dataset: holds personal data (effective) */
    uint8_t *has_pfields;       /* per dataset: has fields tagged personal */
    uint8_t *pfield;            /* per field: tagged personal under the pack */
    uint8_t *removes;           /* per flow: its transforms remove personal data */
    uint8_t *flow_personal;     /* per flow: personal data crosses it */
    /* Effective subjects: a bit per distinct subject code of the model. */
    int32_t nslots, words;
    int16_t slot_cc[SM_CC_COUNT];
    int16_t cc_slot[SM_CC_COUNT];
    uint64_t *subj;             /* ndatasets * words */
    /* Per dataset: the subject slots it declares (subj before propagation),
     * when there are at most 64 slots and every code has one; else NULL.
     * check_extra_init takes it (check_update's state) instead of reading
     * every dataset again. */
    uint64_t *decl;
    /* Some live dataset has a tag resting on an expired classification
     * (tag.expired not ""): read with the tags, so that the checker need
     * not walk every tag again for CLS003. */
    bool expired_tags;
};

int  lineage_run(const struct model *m, const struct rulepack *rp, struct lineage *L,
                 struct sm_error *err);
/* A flow's destination region as the lineage's pass over the flows read
 * it (the destination copy's, or the flow's to_region), FLOW_END_NONE for
 * none or a deleted flow. Only this end: the source copy's region shares
 * a cache line with its dataset, which the check reads anyway, and the
 * array is live while check_run's register grows, so 2 bytes a flow keep
 * `sovmap check` at 1M within its memory target (doc/performance.md). */
#define FLOW_END_NONE 0xffffu
/* A flow_end region as a region id (SM_NONE for none). */
static inline int32_t
flow_end_region(uint16_t r)
{
    return r == FLOW_END_NONE ? -1 : (int32_t)r;
}

/* The transfer into each copy, filled by the lineage's pass over the flows
 * (which reads every flow and its source copy anyway), for the checker:
 * inflow[p] the first live flow into copy p (SM_NONE on entry, every
 * copy), inmech[p] (0 on entry) that flow's mechanism | 0x20 when its
 * recipient is public | 0x40 when it comes from a copy in the same single
 * country. region_cc: per region, its one country (sm_cc), SM_NONE for a
 * global region or one of several countries. */
struct lineage_inflow {
    int32_t *inflow;
    uint8_t *inmech;
    const int16_t *region_cc;
};

/* lineage_run, for the checker: decl false, L->decl is not kept (nobody
 * will take it); *ends (when ends is not NULL) gets a new array of the
 * flows' destination regions (one uint16_t per flow), read in the same
 * pass, NULL when a region id does not fit 16 bits (more than 65,534
 * regions): the caller then reads the copies, and frees the array (free);
 * check_run reads them there instead of chasing the destination copy of
 * every flow again (a cache miss each). And the inflow table, when in is
 * not NULL. */
int  lineage_run_inflow(const struct model *m, const struct rulepack *rp, bool decl,
                        struct lineage *L, uint16_t **ends, const struct lineage_inflow *in,
                        struct sm_error *err);
void lineage_fini(struct lineage *L);

/* Does the flow carry field `name` personal data left after its
 * transforms? (false when masked, dropped, not carried) */
bool lineage_field_left(const struct model *m, int32_t flow, const char *name);

static inline bool
lineage_has_subject(const struct lineage *L, int32_t d, int slot)
{
    return (L->subj[(size_t)d * L->words + (slot >> 6)] >> (slot & 63)) & 1;
}

#endif
