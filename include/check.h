/*
 * check.h - the residency checker's results: findings with their why chain
 * and remediation hint, the derived transfer register, and the lineage
 * facts (effective tier and subjects) every rule uses.
 *
 * Core: no I/O. The rule pack (struct rulepack, rules.h) is loaded by
 * io/rulepack.c; the checker itself only reads the model and the pack.
 */
#ifndef CHECK_H
#define CHECK_H

#include "model.h"

struct rulepack;                /* rules.h */
struct lineage;                 /* lineage.h */

#define SEVERITIES(X) \
    X(INFO,    "info") \
    X(WARNING, "warning") \
    X(ERROR,   "error")

#define X(id, name) SEV_##id,
enum severity { SEVERITIES(X) SEV_COUNT };
#undef X
extern const char *const severity_names[SEV_COUNT];

/* What fixes a finding, as data: the hint says the same in words, and the
 * planner and the TUI's quick fix read this, never the hint. The kind of fix
 * is the rule's (rule_fixes[] in rules.h). */
struct finding_fix {
    int32_t region[2];          /* best regions first: where the copy may move or
                                 * the key be held; SM_NONE */
    int32_t tier;               /* the tier to assign (the effective one), SM_NONE */
    uint8_t mech[6];            /* mechanisms to declare, preferred first;
                                 * MECH_NONE ends the list */
    const char *mask;           /* fields to mask on the flow, blank-separated;
                                 * NULL or "" none */
};

struct finding {
    const char *rule;           /* "RES001", or a custom rule's id */
    uint8_t severity;           /* enum severity */
    uint8_t waived;             /* hidden by a live waiver (listed apart) */
    uint8_t kind;               /* enum obj_kind of the object */
    int32_t object;             /* its id in the model, SM_NONE for custom rows */
    int32_t dataset;            /* dataset concerned, SM_NONE if none */
    int32_t waiver;             /* the waiver hiding it, SM_NONE */
    const char *selector;       /* object selector: orders@aws:us-east-1 */
    const char *jurisdictions;  /* "EU -> US", "EU", "" */
    const char *message;        /* one line */
    struct sm_strv why;         /* the facts that made it fire, in order */
    const char *hint;           /* remediation, "" if none */
    struct finding_fix fix;     /* the remediation as data */
};

#define TRANSFER_STATUSES(X) \
    X(OK,        "ok")        /* inside the free-flow area, adequate, or a valid mechanism */ \
    X(VIOLATION, "violation") \
    X(WAIVED,    "waived")

#define X(id, name) XFER_##id,
enum transfer_status { TRANSFER_STATUSES(X) XFER_STATUS_COUNT };
#undef X
extern const char *const transfer_status_names[XFER_STATUS_COUNT];

/* One row of the transfer register: a copy outside the home country, or a
 * flow crossing a border (directly or through lineage). */
struct transfer {
    int32_t dataset;            /* whose data moves */
    int32_t placement;          /* the copy abroad, or SM_NONE */
    int32_t flow;               /* the flow, or SM_NONE (implicit replication) */
    int16_t from_cc, to_cc;     /* sm_cc codes; to_cc SM_NONE for "global" */
    uint8_t mechanism;          /* enum mechanism relied on (MECH_ADEQUACY when adequate) */
    uint8_t status;             /* enum transfer_status */
    uint8_t personal;           /* carries personal data */
    uint8_t regime;             /* its id is check_transfer_regime's ("GDPR"): 0 none,
                                 * else the regime's place among the pack's ids in
                                 * byte order, from 1, so rows order by it as by id */
    uint32_t basis;             /* its text is check_transfer_basis's: "inside EEA",
                                 * "adequacy EU->CH", "scc TIA-12", "none" */
};                              /* 24 bytes: a 1M register holds ~1.4 M rows */

/* The fixed bases (struct transfer's basis); the others follow them. */
enum { BASIS_EMPTY, BASIS_NOT_PERSONAL, BASIS_NO_REGIME, BASIS_FIXED };

struct check_stats {
    int32_t count[SEV_COUNT];   /* live (not waived) findings per severity */
    int32_t waived;
    int32_t expired_waivers;    /* waivers past their date (they hide nothing) */
    int32_t unknown_subjects;   /* subject codes with no regime in the pack */
};

struct check_result {
    struct sm_arena arena;
    struct finding *findings;   /* sorted: severity desc, rule, selector */
    int32_t nfindings;
    struct transfer *transfers; /* sorted: dataset name, from, to */
    int32_t ntransfers;
    int32_t *expired;           /* waiver ids past their date */
    int32_t nexpired;
    int32_t *eff_tier;          /* per dataset: effective tier id (lineage) */
    int32_t *eff_via;           /* per dataset: the flow that carried it in, or SM_NONE */
    uint8_t *flow_personal;     /* per flow: personal data crosses it */
    struct check_stats stats;
    int32_t ndatasets, nflows;  /* sizes of the per-object arrays */
    /* Lineage facts behind eff_tier/eff_via/flow_personal (lineage.h):
     * per-dataset personal flag and effective subject bits. */
    struct lineage *lineage;
    int32_t cap_findings;
    int32_t *by_object;         /* finding indexes sorted by (kind, object) */
    int32_t today;
    /* The pack it was checked with (borrowed: check_update uses it, so it
     * must outlive the result when check_update is called). */
    const struct rulepack *rp;
    /* the regimes' ids by a row's regime (check_transfer_regime): [0] "";
     * and a row's regime by the pack's regime index */
    const char *regime_ids[65];         /* bounded: a pack has at most 64 regimes */
    uint8_t regime_code[64];            /* bounded: the same */
    /* the rows' basis texts by struct transfer's basis (in the arena, or
     * a borrowed result's: scenario_result_clone) */
    const char **bases;
    uint32_t nbases, cap_bases;
    bool custom;                /* check_add_finding added rows: no check_update */
    struct check_extra *extra;  /* check_update's state (check_update.c) */
};

/* The id of the transfer's regime ("GDPR"), or "" when no regime applies. */
const char *check_transfer_regime(const struct check_result *r, const struct transfer *t);
/* The text of the basis the transfer rests on ("inside the EEA"). */
const char *check_transfer_basis(const struct check_result *r, const struct transfer *t);
/* The codes of rp's regimes in a register row (struct transfer's regime)
 * and their ids by code: check_result's regime_code and regime_ids. */
void check_regime_codes(const struct rulepack *rp, const char *ids[65], uint8_t code[64]);

/* Run every rule of the pack over m as of `today` (yyyymmdd; waivers and
 * mechanism validity are judged on that day). SM_OK or SM_ENOMEM. */
int  check_run(const struct model *m, const struct rulepack *rp, int32_t today,
               struct check_result **out, struct sm_error *err);
void check_result_free(struct check_result *r);
/* Give back all but the findings (their texts), the stats and the expired
 * waivers: the transfer register, by_object, the lineage facts and
 * check_update's state. What is left serves a diff of findings (the TUI's
 * message after a full re-check, made while the next check runs: the two
 * results are then not whole at once); check_update then refuses. */
void check_result_shed(struct check_result *r);
/* The same findings, stats and lineage facts without the transfer register
 * (ntransfers 0) and without check_update's state (check_update then
 * refuses: a full check): for callers that only report findings. */
int  check_run_findings(const struct model *m, const struct rulepack *rp, int32_t today,
                        struct check_result **out, struct sm_error *err);
/* The place of every dataset's name among all datasets' names (strcmp;
 * deleted datasets too, a missing name as ""), in a new array of
 * ndatasets: what model->name_rank holds. SM_OK or SM_ENOMEM. */
int  check_name_rank(const struct model *m, int32_t **out);
/* Rank m's datasets' names now and keep the ranks in m (model_name_rank),
 * unless it has good ones: for a model checked in full again and again
 * (a scenario's after each edit), which would otherwise rank a million
 * names in every check. SM_OK or SM_ENOMEM. */
int  check_keep_name_rank(struct model *m);
/* A finding's identity across checks of clones of one model: rule, object
 * and, for RES and XFR rules, the jurisdictions; the selector where there is
 * no object. In a; NULL when out of memory. */
char *check_finding_key(struct sm_arena *a, const struct finding *f);

/* Add one finding computed outside the checker (a custom SQL rule's row):
 * strings and the why list are copied, waivers of m applied (f->waived,
 * f->waiver are ignored and recomputed), stats updated, order kept.
 * SM_OK or SM_ENOMEM. */
int  check_add_finding(struct check_result *r, const struct model *m,
                       const struct finding *f);
/* ---- incremental re-check (check_update.c) ---------------------------------- */

/* What an edit of the model touched. datasets: every dataset whose own
 * facts changed (its attributes, fields, tags, copies), before or after
 * the edit: a flow's old and new end datasets, a removed copy's dataset,
 * a waiver's object's dataset. flows: flows added, removed or changed.
 * global: the edit changes the law for every dataset (a region, a tier,
 * the pack, a waiver naming a region or tier): no update, check all. */
struct check_touch {
    int32_t *datasets;
    int32_t ndatasets, cap_datasets;
    int32_t *flows;
    int32_t nflows, cap_flows;
    bool global;
};
/* Add what an object concerns: a dataset, a copy's dataset, a flow (and
 * its end datasets as they are now), a waiver's named objects; a region
 * or a tier sets global. Call it for the edited object before the edit
 * (old flow ends) and after. SM_OK or SM_ENOMEM. */
int  check_touch_object(struct check_touch *t, const struct model *m, enum obj_kind kind,
                        int32_t id);
/* The same by selector (before an edit; an unknown one adds nothing). */
int  check_touch_selector(struct check_touch *t, const struct model *m, enum obj_kind kind,
                          const char *sel);
void check_touch_fini(struct check_touch *t);

/* The findings an update replaced and those it put in their place. */
struct check_change {
    int32_t ngroup;             /* datasets re-checked; -1: not updated (check all) */
    struct finding *old;        /* the replaced findings (heap; strings stay
                                   valid as long as the result) */
    int32_t nold;
    int32_t *now;               /* indexes into r->findings of the new ones */
    int32_t nnow;
};

/* Bring r (a check of m before the edit, by check_run or an earlier
 * update) up to date with m after it: only the datasets flows link the
 * touched ones to are checked again, on a small model of their own, and
 * their findings, transfers and lineage facts replace the old ones. The
 * result is the one check_run(m, r->rp, r->today) gives. When the edit
 * cannot be handled so (global, a region added since the check: any
 * dataset's hints may now name it, custom rows, subject codes that appear,
 * vanish or have no regime), r is unchanged and chg->ngroup is -1: run
 * check_run. SM_OK, or SM_ENOMEM with r freed of nothing but unusable
 * (free it and check all). */
int  check_update(struct check_result *r, const struct model *m,
                  const struct check_touch *touch, struct check_change *chg,
                  struct sm_error *err);
void check_change_fini(struct check_change *chg);
/* Internal: set up / free the state check_update keeps (check_run calls). */
int  check_extra_init(struct check_result *r, const struct model *m, uint64_t unknown_slots);
void check_extra_free(struct check_extra *x);
/* Internal: r's state as a copy of src's, where r is a copy of src made for
 * a copy of src's model (scenario_result_clone): what check_extra_init
 * would work out, without the passes over the model. */
int  check_extra_copy(struct check_result *r, const struct check_result *src);
/* Internal: rebuild r->by_object after r->findings changed. */
int  check_reindex(struct check_result *r);
/* Internal: r's bases, the fixed ones (BASIS_FIXED) only (check_run and its
 * worker). SM_OK or SM_ENOMEM. */
int  check_bases_init(struct check_result *r);
/* Internal: a new basis of r, its text copied into r's arena (a row made
 * or spliced in by check_update); 0 when out of memory. */
uint32_t check_basis_add(struct check_result *r, const char *text);

/* The findings' order (qsort comparator over struct finding). */
int  check_finding_cmp(const void *a, const void *b);

/* Does the dataset hold personal data (effective, through lineage)? */
bool check_dataset_personal(const struct check_result *r, int32_t dataset);

/* The longest list of subject jurisdictions: every code (two letters) and
 * a comma after each but the last. A buffer this size never cuts one. */
#define CHECK_SUBJECTS_MAX (3 * SM_CC_COUNT)

/* Effective subjects of a dataset ("EU,BR") into buf (CHECK_SUBJECTS_MAX
 * bytes hold any). */
const char *check_eff_subjects(const struct check_result *r, int32_t dataset,
                               char *buf, size_t size);
/* Findings about one object (kind, id): index range into r->findings is not
 * contiguous, so this fills ids[] (at most n) and returns the total count. */
int32_t check_findings_of(const struct check_result *r, enum obj_kind kind,
                          int32_t id, int32_t *ids, int32_t n);
/* The most severe live finding's severity for an object, or SM_NONE. */
int check_worst(const struct check_result *r, enum obj_kind kind, int32_t id);

/* ---- where may a copy live (check.c) ---------------------------------------- */

/* The roles `sovmap where` answers for. BACKUP stands for backup, dr and
 * archive (the tier's backup scope); KEY is where the key of a copy in the
 * home region may be held (the key scope). */
#define WHERE_ROLES(X) \
    X(PRIMARY, "primary") \
    X(REPLICA, "replica") \
    X(BACKUP,  "backup")  \
    X(KEY,     "key")

#define X(id, name) WHERE_##id,
enum where_role { WHERE_ROLES(X) WHERE_ROLE_COUNT };
#undef X
extern const char *const where_role_names[WHERE_ROLE_COUNT];

#define WHERE_STATUSES(X) \
    X(ALLOWED,   "allowed")     /* a copy with no mechanism fires no rule */ \
    X(MECHANISM, "mechanism")   /* allowed once the copy or its flow declares one */ \
    X(FORBIDDEN, "forbidden")

#define X(id, name) WHERE_ST_##id,
enum where_status { WHERE_STATUSES(X) WHERE_ST_COUNT };
#undef X
extern const char *const where_status_names[WHERE_ST_COUNT];

#define WHERE_BASES(X) \
    X(INSIDE,    "inside")      /* inside the free-flow area of every regime */ \
    X(ADEQUACY,  "adequacy")    /* full adequacy in force */ \
    X(CONDITION, "adequacy-condition") /* partial adequacy, condition met by default */ \
    X(DPF,       "dpf")         /* partial adequacy: only with dpf declared */ \
    X(MECH,      "mechanism")   /* only with scc or bcr declared */ \
    X(SCOPE,     "scope")       /* no transfer rule applies: the tier's scope alone */ \
    X(NONE,      "none")

#define X(id, name) WHERE_B_##id,
enum where_basis { WHERE_BASES(X) WHERE_B_COUNT };
#undef X
extern const char *const where_basis_names[WHERE_B_COUNT];

struct where_cell {
    uint8_t status;             /* enum where_status */
    uint8_t basis;              /* enum where_basis */
    uint8_t mechanism;          /* WHERE_ST_MECHANISM: the mechanism that clears it */
    int16_t regime;             /* regime index deciding the basis, SM_NONE */
    int16_t cc;                 /* its deciding country (sm_cc), SM_NONE: any */
    uint32_t rules;             /* 1u << RULE_x for each rule a copy here with
                                   no mechanism fires (rules.h) */
    const char *detail;         /* "inside the EEA", "adequacy EU->CH" ... */
};

struct where_result {
    int32_t dataset;
    int32_t home_region;        /* the primary's region replicas and keys are
                                   judged against; SM_NONE: no copy yet, each
                                   region judged as the home itself */
    int32_t nregions;
    struct where_cell *cells;   /* [role * nregions + region]; deleted regions
                                   are FORBIDDEN with no rules */
    struct check_result *check; /* the check of the model: effective tier,
                                   subjects and lineage of the dataset */
    struct sm_arena arena;
};

/* Where may a copy of dataset d live, for each role and region? Every cell
 * comes from the checker's own tests (the ones check_run fires RES001,
 * RES002, RES003, RES004, RES005, XFR001, XFR002 and ENC002 with): a
 * cell is ALLOWED exactly when a new copy there with no mechanism and no
 * flow into it gets none of those findings (a primary: the dataset's only
 * primary; a key: of an encrypted replica in the home region). SM_OK,
 * SM_ENOMEM, or the check's error. */
int  check_where(const struct model *m, const struct rulepack *rp, int32_t today,
                 int32_t d, struct where_result **out, struct sm_error *err);
void check_where_free(struct where_result *w);
/* The rules a where cell counts (bits 1u << RULE_x). */
uint32_t check_where_rules(void);

#endif
