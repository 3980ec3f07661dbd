/*
 * scenario.h - what-if scenarios: a named, ordered list of edits (ops) over
 * the base model, evaluated on a clone of the model and a copy of the rule
 * pack, checked, and compared with the base (or another scenario).
 *
 * Core: no I/O, no globals. Scenarios themselves are stored in the model
 * (struct scenario: name, base, ops as string lists) and in the catalog by
 * the store; this module gives the ops their meaning.
 *
 * Ops (argv[0] is the op, the rest its arguments; doc/scenarios.md):
 *   move DATASET FROM-REGION[/ROLE] TO-REGION
 *   add-placement DATASET REGION [ROLE]
 *   remove-placement DATASET@REGION[/ROLE]
 *   set-tier DATASET TIER
 *   set-subjects DATASET EU,BR
 *   add-flow FROM-COPY TO-COPY|TO-REGION KIND [NAME]
 *   remove-flow FLOW
 *   set-mechanism FLOW|COPY MECHANISM [REF]
 *   add-transform FLOW "mask email"
 *   revoke-adequacy REGIME-OR-JURISDICTION COUNTRY
 *   grant-adequacy REGIME-OR-JURISDICTION COUNTRY
 *   add-region PROVIDER:CODE COUNTRY [KIND]
 *   retire-region REGION
 *   promote DATASET@REGION[/ROLE]          (that copy becomes the primary)
 *   set KIND SELECTOR ATTRIBUTE VALUE      (any attribute, e.g. encrypted)
 *   set-tier-policy TIER ATTR=VALUE...     (scope, backup-scope, approved,
 *                                           key-scope, encryption, retention)
 *
 * A scenario based on another applies the base's ops first; a cycle of
 * bases is refused (SM_EINVAL "scenario a: its bases form a cycle a -> b -> a").
 */
#ifndef SCENARIO_H
#define SCENARIO_H

#include "model.h"
#include "check.h"

struct rulepack;
struct edit_result;

/*            id                name                min max  arguments */
#define SCENARIO_OPS(X) \
    X(MOVE,             "move",             3, 3, "DATASET FROM-REGION[/ROLE] TO-REGION", \
      "move a copy to another region; its flows follow it") \
    X(ADD_PLACEMENT,    "add-placement",    2, 3, "DATASET REGION [ROLE]", \
      "add a copy (default role replica, encrypted like the primary)") \
    X(REMOVE_PLACEMENT, "remove-placement", 1, 1, "DATASET@REGION[/ROLE]", \
      "remove a copy and its flows") \
    X(SET_TIER,         "set-tier",         2, 2, "DATASET TIER", \
      "classify a dataset") \
    X(SET_SUBJECTS,     "set-subjects",     2, 2, "DATASET EU,BR", \
      "set the data subjects' jurisdictions") \
    X(ADD_FLOW,         "add-flow",         3, 4, "FROM-COPY TO-COPY|TO-REGION KIND [NAME]", \
      "add a flow (a region as target makes an export)") \
    X(REMOVE_FLOW,      "remove-flow",      1, 1, "FLOW", \
      "remove a flow") \
    X(SET_MECHANISM,    "set-mechanism",    2, 3, "FLOW|COPY MECHANISM [REF]", \
      "declare a transfer mechanism (none to clear)") \
    X(ADD_TRANSFORM,    "add-transform",    2, 2, "FLOW \"mask email\"", \
      "add transforms to a flow") \
    X(REVOKE_ADEQUACY,  "revoke-adequacy",  2, 2, "REGIME|JURISDICTION COUNTRY", \
      "the regime's adequacy decision for the country falls") \
    X(GRANT_ADEQUACY,   "grant-adequacy",   2, 2, "REGIME|JURISDICTION COUNTRY", \
      "the regime grants the country adequacy") \
    X(ADD_REGION,       "add-region",       2, 3, "PROVIDER:CODE COUNTRY [KIND]", \
      "add a region (operator as the provider's other regions)") \
    X(RETIRE_REGION,    "retire-region",    1, 1, "REGION", \
      "leave a region: every copy there must move") \
    X(SET,              "set",              4, 4, "KIND SELECTOR ATTRIBUTE VALUE", \
      "set any attribute, e.g. set placement orders@aws:eu-west-1 encrypted true") \
    X(PROMOTE,          "promote",          1, 1, "DATASET@REGION[/ROLE]", \
      "make a copy the primary; the old primary takes the copy's role") \
    X(SET_TIER_POLICY,  "set-tier-policy",  2, 9, "TIER ATTR=VALUE...", \
      "change a tier's policy, e.g. scope=bloc key-scope=region retention-max=365")

/* What set-tier-policy may set: the tier-to-region mapping and its
 * controls, not the tier's name, rank or description. NULL-terminated. */
extern const char *const scenario_tier_policy_attrs[];

#define X(id, name, min, max, args, help) SOP_##id,
enum scenario_op { SCENARIO_OPS(X) SOP_COUNT };
#undef X

#define SCENARIO_OBJ_NONE 255

struct scenario_op_info {
    const char *name;
    int min_args, max_args;     /* not counting the op name */
    const char *args;
    const char *help;
};
extern const struct scenario_op_info scenario_ops[SOP_COUNT];

/* Which op argv names and whether its argument count fits: SM_OK and *op,
 * or SM_EINVAL ("unknown scenario op mvoe; did you mean move?",
 * "move needs DATASET FROM-REGION[/ROLE] TO-REGION"). */
int scenario_op_parse(int argc, const char *const *argv, enum scenario_op *op,
                      struct sm_error *err);
/* "move orders aws:us-east-1 aws:eu-central-1" (arguments with blanks or
 * quotes are quoted) into buf; returns buf. */
const char *scenario_op_format(int argc, const char *const *argv, char *buf, size_t size);
/* The same text on the heap, whole (the caller frees); NULL when out of
 * memory. */
char *scenario_op_dup(int argc, const char *const *argv);

/* ---- evaluation ------------------------------------------------------------ */

/* A copy that moved (or was removed, to_region SM_NONE) in the scenario. */
struct scenario_move {
    int32_t placement;
    int32_t from_region, to_region;
};

/* Findings of a dataset depend only on the datasets flows link it to
 * (lineage, transfers), so a group closed under flows can be checked on a
 * small model of its own: the planner and the incremental re-check do. */
struct scenario_links {
    int32_t *first;             /* per dataset: range into flows, ndatasets + 1 */
    int32_t *flows;             /* flow ids touching each dataset */
    int32_t ndatasets;
};

struct scenario_eval {
    const char *name;           /* in arena; "" for the base itself */
    struct sm_arena arena;      /* copies of the ops' strings */
    struct model *m;            /* the scenario's model (owned unless borrowed) */
    bool borrowed;              /* m is the caller's base: no ops may be applied */
    struct rulepack *rp_own;    /* a changed deep copy of the pack (owns its strings), or NULL */
    const struct rulepack *rp;  /* the pack to check with: rp_own or the base's */
    struct check_result *res;   /* after scenario_check, else NULL */
    bool res_borrowed;          /* res is the caller's: not freed with ev */
    bool stale;                 /* res predates ops applied by scenario_apply_delta */
    int32_t today;
    /* the ops applied, the chain's bases first (copies) */
    int32_t nops;
    struct sm_strv *ops;
    /* per op: datasets it touched, ids ds[ds_first[i] .. ds_first[i+1]),
     * and whether it touched everything (adequacy) */
    int32_t *ds_first;
    int32_t *ds;
    int32_t nds, cap_ds;
    uint8_t *op_global;
    /* per op: the object it acted on (obj kind, id in m), or
     * SCENARIO_OBJ_NONE (adequacy, add-region) */
    uint8_t *op_obj_kind;
    int32_t *op_obj;
    /* per op: its exact undo (set, remove-placement, remove-flow applied
     * as edits), or NULL */
    struct edit_result **op_undo;
    /* regions retired, and the live copies still in them after every op */
    int32_t *retired;
    int32_t nretired;
    int32_t *stranded;
    int32_t nstranded;
    /* live copies outside retired regions whose key is held in one */
    int32_t *stranded_keys;
    int32_t nstranded_keys;
    int32_t cap_ops, cap_retired;
    /* scenario_diff compares every object, not only those of the datasets
     * the ops touched (tests compare the two) */
    bool diff_all;
    /* The findings check_update replaced or wrote in res since it was
     * copied from res_from (scenario_begin_checked), by object: kind << 32
     * | id. Every other finding of res is one of res_from's, unchanged, so
     * scenario_diff against an evaluation whose res is res_from compares
     * only the findings of these objects (scenario_diff.c). Good while res
     * is still res_at (a full check replaces it) and !fkeys_all. */
    const struct check_result *res_from, *res_at;
    const struct model *res_from_m;
    uint64_t *fkeys;
    int32_t nfkeys, cap_fkeys;
    bool fkeys_all;
    /* scenario_apply_delta's own, kept from one op to the next so that an
     * op costs its group, not the model: the flows by dataset, good for m
     * while m is model links_serial at generation links_gen (the delta
     * moves links_gen on over its own ops that keep every flow's ends);
     * a mark per dataset and the submodel's copy of each copy, all clear
     * (0, SM_NONE) between ops. */
    struct scenario_links links;
    uint64_t links_gen, links_serial;
    bool links_ok;
    uint32_t links_made;        /* how many times they were made (tests) */
    uint8_t *mark;
    int32_t nmark;
    int32_t *pmap;
    int32_t npmap;
};

/* Start a scenario: a clone of base and the base pack (borrowed: it must
 * outlive the result). name may be "" */
int  scenario_begin(const struct model *base, const struct rulepack *rp,
                    const char *name, struct scenario_eval **out, struct sm_error *err);
/* The same on a model the scenario takes (no clone; m is freed with the
 * evaluation, or here on failure). */
int  scenario_begin_take(struct model *m, const struct rulepack *rp, const char *name,
                         struct scenario_eval **out, struct sm_error *err);
/* The base itself as an evaluation (nothing cloned, no ops allowed). */
int  scenario_begin_base(const struct model *base, const struct rulepack *rp,
                         struct scenario_eval **out, struct sm_error *err);
/* Start a scenario already checked: a copy of base (scenario_model_share:
 * base must outlive the evaluation) and of res (scenario_result_clone: res
 * must outlive it too), a current check of base
 * (its pack res->rp, borrowed, as of res->today). Ops then go in with
 * scenario_apply_update / scenario_apply_check. */
int  scenario_begin_checked(const struct model *base, const struct check_result *res,
                            const char *name, struct scenario_eval **out,
                            struct sm_error *err);
/* A copy of m whose objects, maps and counts are its own but whose strings
 * and string lists are m's (model strings are never written in place:
 * edits replace the pointer), so m must outlive it; what model_clone
 * gives, without copying every string. When m is shareable
 * (model_set_shareable) its arrays and maps are shared page by page until
 * written (sm_big_share): m must then also stay unchanged while the copy
 * is used. SM_OK or SM_ENOMEM. */
int  scenario_model_share(const struct model *m, struct model **out);
/* A copy of r (a check of m, or of a model m is an exact clone of) that
 * check_update can bring up to date with m's clone: its own findings
 * array, lineage facts and state; its transfer register shared with r's
 * page by page when r's is shareable (sm_big, a check of a shareable
 * model); the findings' and the register's strings r's: r must outlive the
 * copy and stay unchanged while it is used. SM_OK or SM_ENOMEM. */
int  scenario_result_clone(const struct check_result *r, const struct model *m,
                           struct check_result **out);
/* Apply one op. On failure the scenario model may be partly changed only
 * for ops that fail midway (never for a bad argument): discard it. Errors
 * name the op: "move orders aws:x aws:y: unknown region aws:x". */
int  scenario_apply(struct scenario_eval *ev, int argc, const char *const *argv,
                    struct sm_error *err);
/* Apply the ops of scenario `name` of catalog (its bases' first). */
int  scenario_apply_chain(struct scenario_eval *ev, const struct model *catalog,
                          const char *name, struct sm_error *err);
/* Check the scenario model (replacing an earlier result) as of today, and
 * recompute the stranded copies. */
int  scenario_check(struct scenario_eval *ev, int32_t today, struct sm_error *err);
/* begin + apply_chain + check. name NULL or "" evaluates the base itself. */
int  scenario_eval(const struct model *base, const struct rulepack *rp, const char *name,
                   int32_t today, struct scenario_eval **out, struct sm_error *err);
/* The same evaluation as scenario_eval(base, res->rp, name, res->today)
 * from res, a current check of base: the clones of base and res take the
 * chain's ops one by one (check_update of what each touches) until one
 * needs a full check (the law for everyone, retired regions); then the
 * rest are applied and the scenario checked once. name must not be empty. */
int  scenario_eval_from(const struct model *base, const struct check_result *res,
                        const char *name, struct scenario_eval **out, struct sm_error *err);
void scenario_eval_free(struct scenario_eval *ev);
/* The chain of bases of a scenario, root first, into ids[] (at most n);
 * returns its length, or -1 with err set on a cycle or an unknown base. */
int32_t scenario_chain(const struct model *m, const char *name, int32_t *ids, int32_t n,
                       struct sm_error *err);

/* Region retired in the scenario? */
bool scenario_retired(const struct scenario_eval *ev, int32_t region);

/* ---- groups: datasets linked by flows, checked on their own -------------------- */

/* struct scenario_links: above struct scenario_eval */
int  scenario_links_build(const struct model *m, struct scenario_links *l);   /* SM_ENOMEM */
void scenario_links_fini(struct scenario_links *l);
/* The datasets reachable from seeds through flows (either way), not yet
 * marked; marks them in mark[] (per dataset, the caller's). Heap *out. */
int  scenario_group(const struct model *m, const struct scenario_links *l, uint8_t *mark,
                    const int32_t *seeds, int32_t nseeds, int32_t **out, int32_t *n);
/* A model with every region and tier of m and the datasets ds[0..n) (a
 * closed group) with their fields, tags, copies, flows and waivers.
 * pmap: scratch of m->nplacements entries, all SM_NONE (left so). */
int  scenario_submodel(const struct model *m, const struct scenario_links *l,
                       const int32_t *ds, int32_t n, int32_t *pmap, struct model **out,
                       struct sm_error *err);

/* ---- incremental re-check --------------------------------------------------------- */

/* How one op changes the live finding counts. */
struct scenario_delta {
    int32_t before[SEV_COUNT];  /* counts over the checked group, before the op */
    int32_t after[SEV_COUNT];   /* ... after it */
    int32_t ndatasets;          /* size of the group checked; -1: the whole model */
    int32_t total[SEV_COUNT];   /* the scenario's totals after the op (when ev->res
                                   was current before it), else -1 */
};

/* Apply one op and find how the finding counts change by checking only the
 * datasets it touches and those flows link them to (a small model each,
 * before and after). Ops that change the law or the pack for everyone
 * (adequacy, set region/tier) run a full check instead. Afterwards ev->res
 * is stale (ev->stale) unless the full check ran: call scenario_check when
 * the findings themselves are needed. */
int  scenario_apply_delta(struct scenario_eval *ev, int argc, const char *const *argv,
                          int32_t today, struct scenario_delta *d, struct sm_error *err);

/* Apply one op to a checked scenario and bring ev->res up to date:
 * check_update of the datasets the op touches and those flows link them
 * to, or a full check of ev->m when the update cannot (chg->ngroup -1;
 * ops that change the law for everyone, retired regions). The result is
 * the one scenario_check gives. On an error the scenario may be partly
 * changed (as for scenario_apply) or its result unusable: evaluate again. */
int  scenario_apply_check(struct scenario_eval *ev, int argc, const char *const *argv,
                          struct check_change *chg, struct sm_error *err);
/* The same, but when the update cannot (chg->ngroup -1) no full check runs:
 * ev->stale is set (scenario_check later). On a stale ev the op is only
 * applied. */
int  scenario_apply_update(struct scenario_eval *ev, int argc, const char *const *argv,
                           struct check_change *chg, struct sm_error *err);

/* Take the last op back exactly (ops with an undo record: set,
 * remove-placement, remove-flow) and bring ev->res up to date as
 * scenario_apply_update does (ev->stale when the update cannot). SM_EINVAL
 * when the last op has no undo (evaluate again); on an error of the revert
 * the model is unchanged. touched (or NULL) receives what the undo touched,
 * before the revert and after it; scenario_undo_touch gives the part before
 * (for a caller's own bookkeeping, e.g. the TUI's derived counts). */
bool scenario_can_undo(const struct scenario_eval *ev);
int  scenario_undo_touch(const struct scenario_eval *ev, struct check_touch *t);
int  scenario_undo_last(struct scenario_eval *ev, struct check_touch *touched,
                        struct check_change *chg, struct sm_error *err);

/* ---- diff --------------------------------------------------------------------- */

#define SDIFF_STATUSES(X) \
    X(NEW,      "new") \
    X(RESOLVED, "resolved") \
    X(CHANGED,  "changed")

#define X(id, name) SDIFF_##id,
enum sdiff_status { SDIFF_STATUSES(X) SDIFF_STATUS_COUNT };
#undef X
extern const char *const sdiff_status_names[SDIFF_STATUS_COUNT];

struct sdiff_finding {
    uint8_t status;             /* enum sdiff_status */
    int32_t before, after;      /* finding indexes into the two results, SM_NONE */
    int32_t op;                 /* index into after->ops of the op that caused it, SM_NONE */
};

#define SCHANGE_KINDS(X) \
    X(MOVED,    "moved") \
    X(ADDED,    "added") \
    X(REMOVED,  "removed") \
    X(CHANGED,  "changed") \
    X(RETIRED,  "must move")    /* a copy left in a retired region */ \
    X(KEY_RETIRED, "key must move") /* a copy whose key is in a retired region */

#define X(id, name) SCHANGE_##id,
enum schange_kind { SCHANGE_KINDS(X) SCHANGE_KIND_COUNT };
#undef X
extern const char *const schange_kind_names[SCHANGE_KIND_COUNT];

/* One changed model object: a copy, a flow, a dataset or a region. */
struct schange {
    uint8_t kind;               /* enum schange_kind */
    uint8_t obj;                /* enum obj_kind */
    int32_t before, after;      /* object ids in the two models, SM_NONE */
    int32_t from_region;        /* moved copies: id in before's model */
    int32_t to_region;          /* moved copies: id in after's model */
    int32_t op;                 /* index into after->ops of the op that made it, SM_NONE */
    const char *selector;       /* in after's model (before's for removed ones) */
    const char *old_selector;   /* in before's model for moved/changed ones, else NULL */
};

struct scenario_diff {
    struct sm_arena arena;
    struct sdiff_finding *findings;     /* new, then resolved, then changed;
                                           each by severity desc, rule, selector */
    int32_t nfindings;
    int32_t count[SDIFF_STATUS_COUNT][SEV_COUNT];   /* live findings only */
    int32_t delta[SEV_COUNT];           /* after - before, live findings */
    struct schange *changes;            /* sorted by object kind, then selector */
    int32_t nchanges;
};

/* Compare two evaluated scenarios (both checked). Objects with an id below
 * origin's counts are the same object in both (both models are clones of
 * origin); newer ones are matched by selector. origin is usually the
 * catalog model (which may be before->m). Waived findings are compared too
 * but not counted. */
int  scenario_diff(const struct scenario_eval *before, const struct scenario_eval *after,
                   const struct model *origin, struct scenario_diff **out,
                   struct sm_error *err);
void scenario_diff_free(struct scenario_diff *d);

/* ---- attribute diff -------------------------------------------------------------- */

/* One attribute-level change between two models: "~ dataset x tier:
 * public -> restricted", "+ placement orders@aws:eu-west-3 (replica,
 * encrypted, key-region aws:eu-west-3)", "- flow crm-sync". */
struct scenario_attr_change {
    char sign;                  /* '+' added, '-' removed, '~' changed */
    uint8_t obj;                /* enum obj_kind */
    const char *selector;       /* after's (before's for '-') */
    const char *attr;           /* '~': the attribute ("tier"), else NULL */
    const char *before;         /* '~': old text; '-': what it was; else NULL */
    const char *after;          /* '~': new text; '+': what it is; else NULL */
};

struct scenario_attr_diff {
    struct sm_arena arena;
    struct scenario_attr_change *v;
    int32_t n, cap;
};

/* Every region, tier, dataset, copy and flow that differs between before
 * and after, attribute by attribute (model_get text forms), in kind and
 * id order. Both models are clones of origin (ids below origin's counts
 * are the same object); newer objects are matched by selector. The one
 * place for an attribute diff of two models (a model_diff of `sovmap diff`
 * can fold into it). SM_OK or SM_ENOMEM. */
int  scenario_attr_diff(const struct model *before, const struct model *after,
                        const struct model *origin, struct scenario_attr_diff **out,
                        struct sm_error *err);
void scenario_attr_diff_free(struct scenario_attr_diff *d);

/* ---- review: what `scenario diff` prints ----------------------------------------- */

#define REVIEW_STATUSES(X) \
    X(NEW,   "new") \
    X(FIXED, "fixed") \
    X(KEPT,  "still there")

#define X(id, name) REVIEW_##id,
enum review_status { REVIEW_STATUSES(X) REVIEW_STATUS_COUNT };
#undef X
extern const char *const review_status_names[REVIEW_STATUS_COUNT];

struct scenario_review_finding {
    uint8_t status;             /* enum review_status */
    uint8_t severity, waived, kind;
    int32_t op;                 /* index into ops of the op that brought or cleared
                                   it; SM_NONE: "still there" (or whole_only) */
    const char *rule, *selector, *jurisdictions, *message;
};

/* An attribute change made by op (SM_NONE: whole_only); sign '!' marks a
 * copy (attr "region") or key ("key-region") left in the region a
 * retire-region op retired (before: the region, after: what to do). */
struct scenario_review_change {
    int32_t op;
    struct scenario_attr_change c;
    bool resolved;              /* '!': a later op moved the copy (or key) */
};

struct scenario_review_op {
    const char *text;           /* "move orders aws:us-east-1 aws:eu-central-1" */
    struct sm_strv argv;
};

struct scenario_review {
    struct sm_arena arena;
    int32_t start;              /* ops of `other` (a base of name) not reported */
    bool other_is_base;
    bool whole_only;            /* other is not a base of name: no per-op view */
    struct scenario_review_op *ops;     /* name's own ops (after other's) */
    int32_t nops;
    struct scenario_review_change *changes;
    int32_t nchanges;
    struct scenario_review_finding *findings;   /* per op new/fixed, then still there */
    int32_t nfindings;
    int32_t before[SEV_COUNT], after[SEV_COUNT];        /* live findings */
    int32_t count[REVIEW_STATUS_COUNT][SEV_COUNT];      /* whole: new, fixed, still */
    int32_t whole_changes;      /* attribute changes between the two models */
    bool changed;               /* anything differs (or an op changes the law) */
};

/* Scenario `name` against the catalog (or scenario `other`), as a reviewer
 * reads it: each op evaluated on the model the ops before it left (prefix
 * by prefix), with the attributes it changed (scenario_attr_diff) and the
 * findings it brought or cleared (same finding: rule and object, and for
 * RES/XFR rules the jurisdictions);
 * then the findings still there, and per severity the counts new / fixed /
 * still there of the whole. When other is a base of name only name's own
 * ops are shown; another scenario is compared whole (whole_only). */
int  scenario_review(const struct model *catalog, const struct rulepack *rp, const char *name,
                     const char *other, int32_t today, struct scenario_review **out,
                     struct sm_error *err);
void scenario_review_free(struct scenario_review *rv);

/* What a diagram of a change needs (export --scenario NAME --changed-only,
 * the TUI's Diff view): the catalog (or scenario `other`) and scenario
 * `name`, both evaluated as of today, and their diff. Findings: d->findings
 * with indexes into before->res / after->res; moved copies: d->changes of
 * kind SCHANGE_MOVED (from_region in before->m, to_region in after->m). */
struct scenario_change_set {
    struct scenario_eval *before;
    struct scenario_eval *after;
    struct scenario_diff *diff;
};
int  scenario_change_set(const struct model *catalog, const struct rulepack *rp,
                         const char *name, const char *other, int32_t today,
                         struct scenario_change_set *out, struct sm_error *err);
void scenario_change_set_fini(struct scenario_change_set *cs);
/* scenario_change_set(catalog, res->rp, name, NULL, res->today) from res, a
 * current check of catalog: the base's evaluation borrows catalog and res
 * (both must outlive the change set), the scenario's is scenario_eval_from;
 * when the scenario's chain has no ops at all, it borrows them too
 * (after->borrowed, after->res_borrowed: it takes no ops; start one with
 * scenario_begin_checked to add some). */
int  scenario_change_set_from(const struct model *catalog, const struct check_result *res,
                              const char *name, struct scenario_change_set *out,
                              struct sm_error *err);

#endif
