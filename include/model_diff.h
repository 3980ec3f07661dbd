/*
 * model_diff.h - what changed between two models: objects added, removed
 * or moved, and attribute by attribute what changed on the others; and
 * which findings are new, fixed or still there. For `sovmap diff` (a pull
 * request on a model-json file, two catalogs, two revisions in git) and,
 * later, `scenario diff`.
 *
 * The two models are independent (two files, two catalogs): objects are
 * matched by name, never by id - regions by id string, tiers, datasets,
 * flows and scenarios by name, waivers by RULE:OBJECT, copies by dataset,
 * region and role. A copy removed and one added for the same dataset and
 * role is a move. Copies of a dataset added or removed as a whole are not
 * listed one by one (the dataset's line says it). Shipped regions are not
 * compared (both sides read the same data directory).
 *
 * Core: no I/O.
 */
#ifndef MODEL_DIFF_H
#define MODEL_DIFF_H

#include "check.h"
#include "model.h"

#define MDIFF_OPS(X) \
    X(ADDED,   "+", "added") \
    X(REMOVED, "-", "removed") \
    X(CHANGED, "~", "changed") \
    X(MOVED,   "~", "moved")

#define X(id, mark, name) MDIFF_##id,
enum mdiff_op { MDIFF_OPS(X) MDIFF_OP_COUNT };
#undef X
extern const char *const mdiff_op_marks[MDIFF_OP_COUNT];
extern const char *const mdiff_op_names[MDIFF_OP_COUNT];

/* One change. For CHANGED, one per attribute; for MOVED, attr is "region"
 * and the values are the two region ids (other attributes of a moved copy
 * that changed follow as CHANGED of the new selector). */
struct mdiff_change {
    uint8_t op;                 /* enum mdiff_op */
    uint8_t kind;               /* enum obj_kind */
    int16_t attr_index;         /* order of attr in model_attrs(kind), -1 none */
    int32_t before, after;      /* ids in the two models, SM_NONE */
    const char *selector;       /* after's; before's for a removed object */
    const char *old_selector;   /* MOVED: before's selector, else NULL */
    const char *attr;           /* CHANGED / MOVED: the attribute, else NULL */
    const char *old_value;      /* CHANGED / MOVED: text forms (model_get) */
    const char *new_value;
};

struct model_diff {
    struct sm_arena arena;
    struct mdiff_change *changes;       /* by kind (enum obj_kind order), selector,
                                           op, attribute order */
    int32_t nchanges, cap;
    int32_t count[MDIFF_OP_COUNT];      /* objects (CHANGED: objects with a change) */
};

/* Compare before and after. SM_OK or SM_ENOMEM. */
int  model_diff(const struct model *before, const struct model *after,
                struct model_diff **out, struct sm_error *err);
void model_diff_free(struct model_diff *d);

/* ---- findings: new, fixed, still there ----------------------------------------- */

#define FDIFF_STATUSES(X) \
    X(NEW,   "new") \
    X(FIXED, "fixed") \
    X(STILL, "still there")

#define X(id, name) FDIFF_##id,
enum fdiff_status { FDIFF_STATUSES(X) FDIFF_STATUS_COUNT };
#undef X
extern const char *const fdiff_status_names[FDIFF_STATUS_COUNT];

struct fdiff_item {
    uint8_t status;             /* enum fdiff_status */
    const struct finding *f;    /* after's (before's for fixed); borrowed */
};

/* Live (not waived) findings of two check results, matched by rule and
 * object selector (as many times as each side has them). A finding a
 * waiver now hides counts as fixed; one whose waiver expired, as new. */
struct finding_diff {
    struct fdiff_item *items;   /* new, fixed, still; each by severity desc, rule,
                                   selector, message */
    int32_t nitems;
    int32_t count[FDIFF_STATUS_COUNT][SEV_COUNT];
};

/* SM_OK or SM_ENOMEM. The items borrow the results' findings. */
int  finding_diff(const struct check_result *before, const struct check_result *after,
                  struct finding_diff *out, struct sm_error *err);
void finding_diff_fini(struct finding_diff *d);
/* Any new finding at severity fail_on or above (fail_on SEV_COUNT: never)? */
bool finding_diff_fails(const struct finding_diff *d, int fail_on);

#endif
