/*
 * rules.h - a rule pack in memory: the regimes (free-flow areas, adequacy
 * lists with their conditions and dates, accepted mechanisms, localization),
 * the default tiers, the org policy (allow/deny region patterns), per-rule
 * severity/advisory/enabled, the personal tag prefixes and the custom SQL
 * rules (kept here, run by the report code through store_query).
 *
 * Core: no I/O, no globals. io/rulepack.c fills it from JSON; the checker
 * (check.c) only reads it, except rules_revoke, which scenarios use to
 * try "what if adequacy A->B were revoked".
 */
#ifndef RULES_H
#define RULES_H

#include "model.h"
#include "check.h"

/* How a rule's findings get fixed, in the order the planner works. The
 * planner (plan.c), the TUI's quick fix (form.c) and the checker's hint read
 * this one list; where the fix goes (regions, tier, mechanisms, fields) is on
 * each finding (struct finding_fix in check.h). */
enum rule_fix {
    FIX_TIER,           /* raise the declared tier to the effective one */
    FIX_PERSONAL_TIER,  /* a personal tier for personal fields */
    FIX_MOVE_PRIMARY,   /* move the primary copy (localization) */
    FIX_MOVE,           /* move the copy to the closest allowed region */
    FIX_MOVE_OR_MECH,   /* move; where no region works, declare a mechanism (or mask) */
    FIX_ENCRYPT,        /* set encrypted */
    FIX_KEY,            /* key into the copy's region (or the primary's) */
    FIX_TRANSIT,        /* set transit-encrypted on the flow */
    FIX_NONE,           /* a person decides: the reason is in the table */
};

/* The built-in rules: X(ID, default severity, fix, why no automatic fix or
 * NULL, title). Stable ids. */
#define RULES(X) \
    X(RES001, SEV_ERROR,   FIX_MOVE_OR_MECH, NULL, \
      "placement outside its tier's scope") /* an adequate scope admits mechanisms */ \
    X(RES002, SEV_ERROR,   FIX_MOVE_OR_MECH, NULL, \
      "backup, dr or archive copy outside the tier's backup scope") \
    X(RES003, SEV_ERROR,   FIX_MOVE_PRIMARY, NULL, \
      "hard localization law and no primary copy in-country") \
    X(RES004, SEV_ERROR,   FIX_MOVE, NULL, \
      "placement in a region the org policy denies") \
    X(RES005, SEV_ERROR,   FIX_MOVE, NULL, \
      "sovereign tier in a region run by a foreign operator") \
    X(XFR001, SEV_ERROR,   FIX_MOVE_OR_MECH, NULL, \
      "personal data transfer with no adequacy and no mechanism") \
    X(XFR002, SEV_ERROR,   FIX_MOVE_OR_MECH, NULL, \
      "transfer relies on partial or revoked adequacy") \
    X(XFR003, SEV_WARNING, FIX_NONE, \
      "the mechanism's reference is a document a person must record", \
      "transfer mechanism (scc, bcr, dpf) with no reference") \
    X(XFR004, SEV_WARNING, FIX_NONE, \
      "replacing a derogation by safeguards is a legal decision", \
      "consent or derogation used for a systematic transfer") \
    X(ENC001, SEV_ERROR,   FIX_ENCRYPT, NULL, \
      "copy not encrypted at rest") \
    X(ENC002, SEV_ERROR,   FIX_KEY, NULL, \
      "encryption key held outside the tier's key scope") \
    X(ENC003, SEV_WARNING, FIX_TRANSIT, NULL, \
      "cross-region personal data flow not encrypted in transit") \
    X(LIN001, SEV_ERROR,   FIX_TIER, NULL, \
      "derived dataset classified below the data it receives") \
    X(CLS001, SEV_WARNING, FIX_NONE, \
      "the dataset has no tier: a person must classify it", \
      "dataset has no tier") \
    X(CLS002, SEV_WARNING, FIX_PERSONAL_TIER, NULL, \
      "personal fields in a non-personal tier") \
    X(CLS003, SEV_INFO,    FIX_NONE, \
      "whether an expired classification still holds is for its owner in the source catalog", \
      "tag rests on a classification that expired") \
    X(RET001, SEV_WARNING, FIX_NONE, \
      "the retention is a decision of the dataset's owner", \
      "retention beyond the tier's maximum, or none where it sets one") \
    X(SUB001, SEV_INFO,    FIX_NONE, \
      "the pack has no regime for these subjects", \
      "subject jurisdiction with no regime in the pack")

#define X(id, sev, fix, nofix, title) RULE_##id,
enum rule_id { RULES(X) RULE_COUNT };
#undef X

extern const char *const rule_names[RULE_COUNT];     /* "RES001" */
extern const char *const rule_titles[RULE_COUNT];
extern const uint8_t rule_default_severity[RULE_COUNT];
extern const uint8_t rule_fixes[RULE_COUNT];         /* enum rule_fix */
extern const char *const rule_no_fix[RULE_COUNT];    /* why FIX_NONE; NULL otherwise */
/* Which objects a built-in rule's findings are raised on: bits 1u << OBJ_...
 * (RES001 on copies, RES003 on datasets, XFR001 on copies and flows). A
 * waiver on another kind of object can never match. */
extern const uint32_t rule_object_kinds[RULE_COUNT];
/* The built-in rule named name (RULE_COUNT for none: a custom rule). */
enum rule_id rule_by_name(const char *name);

/* Adequacy conditions (jurisdictions.json "condition"). */
#define ADQ_CONDITIONS(X) \
    X(NONE,       "") \
    X(DPF,        "dpf") \
    X(COMMERCIAL, "commercial") \
    X(AUTOMATED,  "automated")

#define X(id, name) ADQ_##id,
enum adq_condition { ADQ_CONDITIONS(X) ADQ_COUNT };
#undef X
extern const char *const adq_condition_names[ADQ_COUNT];

#define REGIME_TRANSFERS(X) \
    X(CONDITIONAL, "conditional") \
    X(BLACKLIST,   "blacklist") \
    X(FREE,        "free")

#define X(id, name) XFER_RULE_##id,
enum regime_transfer { REGIME_TRANSFERS(X) XFER_RULE_COUNT };
#undef X
extern const char *const regime_transfer_names[XFER_RULE_COUNT];

struct adequacy {
    int32_t cc;                 /* destination (sm_cc) */
    uint8_t partial;            /* scope "partial" */
    uint8_t condition;          /* enum adq_condition */
    uint8_t revoked;            /* revoked by the pack or a scenario */
    int32_t since, until;       /* yyyymmdd, 0 = open */
    const char *instrument;     /* "Implementing Decision (EU) 2023/1795" */
};

struct regime {
    const char *id;             /* "GDPR" */
    const char *name;           /* "EU General Data Protection Regulation" */
    int32_t country;            /* sm_cc, "EU" for GDPR */
    const char *area;           /* free-flow area's name for messages: "EEA", "BR" */
    uint8_t area_bloc;          /* area names a bloc: say "the EEA" */
    struct sm_ccset subjects;   /* subject codes that trigger it */
    struct sm_ccset free_flow;  /* where data moves freely */
    uint8_t transfer;           /* enum regime_transfer */
    struct sm_ccset blacklist;  /* barred destinations (XFER_RULE_BLACKLIST) */
    uint32_t mechanisms;        /* bit (1u << MECH_x) per accepted mechanism */
    uint8_t hard_localization;
    const char *localization_law;   /* for the why chain, or "" */
    struct adequacy *adequacy;
    int32_t nadequacy;
};

struct rule_conf {
    uint8_t severity;           /* enum severity */
    uint8_t advisory;           /* report as info whatever the severity */
    uint8_t enabled;
};

struct custom_rule {
    const char *id;             /* "ORG001" */
    uint8_t severity;
    const char *message;
    const char *sql;            /* one read-only SELECT over the catalog views */
};

struct bloc {
    const char *name;           /* "EEA" */
    struct sm_ccset members;
};

struct rulepack {
    struct sm_arena arena;
    const char *name;           /* "default" */
    const char *description;
    const char *path;           /* the file it came from, "" if built in code */
    struct bloc *blocs;
    int32_t nblocs;
    struct regime *regimes;
    int32_t nregimes;
    int16_t regime_of[SM_CC_COUNT];    /* subject code -> regime index, SM_NONE */
    struct sm_strv personal_tags;      /* "pii", "personal", "phi" */
    struct tier *tiers;                /* default tiers (rulepack_seed_tiers) */
    int32_t ntiers;
    struct sm_strv allow_regions;      /* patterns: "aws:eu-*", "onprem:fra-dc1" */
    struct sm_strv deny_regions;
    struct rule_conf rules[RULE_COUNT];
    struct custom_rule *custom;
    int32_t ncustom;
};

/* An empty pack (no regimes, default rule settings, default personal
 * prefixes); rules_* functions below fill it. NULL when out of memory. */
struct rulepack *rules_new(void);
void rules_free(struct rulepack *rp);

/* Index of a regime by id ("GDPR"), or SM_NONE. */
int32_t rules_regime(const struct rulepack *rp, const char *id);
/* The regime whose subjects include cc, or SM_NONE. */
int32_t rules_regime_of(const struct rulepack *rp, int cc);
/* Index of a bloc by name, or SM_NONE. */
int32_t rules_bloc(const struct rulepack *rp, const char *name);
/* Rule by id ("RES001"), or SM_NONE. */
int rules_rule(const char *id);

/* The fix rule `id` admits (enum rule_fix): FIX_NONE for an unknown or custom
 * rule; *why (may be NULL) gets the reason a person must fix it, or NULL. */
int rules_fix(const char *id, const char **why);
/* Severity a finding of that rule gets (advisory -> info). */
int rules_severity(const struct rulepack *rp, int rule);

/* Revoke (on) or restore (!on) the adequacy of regime-or-subject `from`
 * ("EU", "GDPR", "GB") for destination `to` ("US"). SM_ENOTFOUND when
 * either is unknown or no such adequacy exists. Used by scenarios and by
 * the pack's "regimes": {"revoke": [["EU","US"]]}. */
int rules_revoke(struct rulepack *rp, const char *from, const char *to, bool on,
                 struct sm_error *err);

/* Is the operator home `op` (sm_cc, "EU" = an EU operator) inside the
 * regime's free-flow area? */
bool rules_operator_inside(const struct rulepack *rp, const struct regime *g, int op);

/* Does region id match a policy pattern ("aws-cn:*", "aws:eu-*", exact)? */
bool rules_pattern_match(const char *pattern, const char *region_id);
/* Org policy: true when the region is allowed (not denied, and in the
 * allow list if that list is not empty). *why gets the matching pattern. */
bool rules_region_allowed(const struct rulepack *rp, const char *region_id,
                          const char **why);

/* Is field personal under the pack's prefixes (model_field_personal uses
 * fixed defaults; the checker uses this). */
bool rules_field_personal(const struct rulepack *rp, const struct model *m,
                          int32_t field);

#endif
