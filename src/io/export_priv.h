/*
 * export_priv.h - helpers shared by export_dot.c, export_map.c and
 * export_reg.c (defined in export_reg.c): the per-object status drawn from
 * a check result, UTF-8 clean-up, and the jurisdiction facts the map's
 * allowed-regions table needs. Not a public contract.
 */
#ifndef EXPORT_PRIV_H
#define EXPORT_PRIV_H

#include "export.h"
#include "check.h"

/* Status of an object as drawn: OK (no live warning/error finding), WAIVED
 * (every warning/error finding is waived), VIOLATION. */
enum xstate { XS_OK = 0, XS_WAIVED = 1, XS_VIOLATION = 2 };

struct xstatus {
    uint8_t state;              /* enum xstate */
    const char *rules;          /* "RES001 XFR001" (live ones; waived ones if
                                 * state is XS_WAIVED); NULL when state is
                                 * XS_OK (the arrays stay untouched zero pages:
                                 * ~120 MB at 1M), never NULL otherwise */
};

struct xindex {
    struct sm_arena arena;
    struct xstatus *dataset;    /* [m->ndatasets] */
    struct xstatus *placement;  /* [m->nplacements]: findings on the copy */
    struct xstatus *implicit;   /* [m->nplacements]: the implicit replication into it */
    struct xstatus *flow;       /* [m->nflows] */
    uint8_t *has_inflow;        /* [m->nplacements]: an explicit flow ends here */
};

/* r may be NULL: everything is XS_OK. */
int  xindex_build(const struct model *m, const struct check_result *r,
                  struct xindex *x, struct sm_error *err);
void xindex_fini(struct xindex *x);

/* Valid UTF-8 with control bytes and invalid sequences replaced by U+FFFD,
 * in a (caller's) arena. dot_escape doubles backslashes (Graphviz label
 * escapes). NULL gives "". */
const char *xclean(struct sm_arena *a, const char *s, bool dot_escape);

/* Country set covered by a region (its country, or a multi-region's
 * members); *global set for `global`. */
void xregion_countries(const struct model *m, int32_t region, struct sm_ccset *out,
                       bool *global);

/* ---- jurisdiction facts ------------------------------------------------------- */

struct xadequacy {
    int32_t cc;
    const char *condition;      /* "" full, "dpf", "commercial", "automated" */
    int32_t until;              /* yyyymmdd or 0 */
};

struct xregime {
    const char *id;             /* "GDPR" */
    const char *name;           /* "EU General Data Protection Regulation" */
    const char *group;          /* group of its free-flow area: "EEA", "GB" */
    struct sm_ccset subjects;
    struct sm_ccset free_flow;
    struct xadequacy *adequacy;
    int32_t nadequacy;
};

struct xgroup {
    const char *name;           /* "EEA" */
    const char *label;          /* "EEA (GDPR)" */
};

struct export_juris {
    struct sm_arena arena;
    struct xgroup *groups;
    int32_t ngroups;
    int16_t cc_group[SM_CC_COUNT];      /* index into groups, or -1: own country */
    struct xregime *regimes;
    int32_t nregimes;
};

/* The regime a subject code triggers, or NULL. */
const struct xregime *xregime_of(const struct export_juris *j, int cc);

/* qsort comparator for const char * arrays (strcmp). */
int xstrcmp(const void *a, const void *b);

/* A transfer register row, as transfers-csv writes it: dataset, copy, flow,
 * from_country, to_country, regime, mechanism, basis, personal, status
 * (export_reg.c). a and b hold text that cols points into; the copy's
 * selector is returned on the heap (cols[1] points into it; the caller
 * frees it after the row; NULL, with cols[1] "", when there is no copy or
 * no memory). */
char *export_transfer_cols(const struct model *m, const struct check_result *r,
                           const struct transfer *t, const char *cols[10],
                           char a[3], char b[3]);       /* bounded: country codes */

/* ---- HTML shared by the map and the review pack (export_map.c) ------------ */

/* The map's stylesheet (no <style> tags). */
extern const char export_html_css[];
/* An id attribute's value for a name: its bytes in hex, valid and unique. */
void export_html_anchor(FILE *f, const char *name);

#endif
