/*
 * export.h - what sovmap writes for review meetings: Graphviz data-flow
 * diagrams (dot, svg, png, pdf; laid out in-process with cgraph + gvc), the
 * residency map (markdown, CSV, HTML, JSON), the transfer and lineage
 * registers (CSV), and model-json (through model_json_write).
 *
 * Lives in io/: Graphviz and jansson are used here, the model and the
 * check result are only read. Output is deterministic: the same model and
 * check result give byte-identical files (everything is sorted by name;
 * no time stamps unless opts->stamp). Every name is escaped for the
 * target format (DOT, HTML, CSV RFC 4180, Markdown, JSON).
 *
 * Formats, views and design decisions: doc/exports.md.
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <stdio.h>

#include "model.h"

struct check_result;
struct export_stats;

#define EXPORT_VIEWS(X) \
    X(FULL,    "full")    /* every placement and flow */ \
    X(REGIONS, "regions") /* counts per region, counted edges between regions */ \
    X(FOCUS,   "focus")   /* K hops of lineage around one dataset */ \
    X(SYSTEMS, "systems") /* per region, one node per (system, tier), counted edges */

#define X(id, name) EXPORT_VIEW_##id,
enum export_view { EXPORT_VIEWS(X) EXPORT_VIEW_COUNT };
#undef X
extern const char *const export_view_names[EXPORT_VIEW_COUNT];

/* ---- jurisdiction groups ------------------------------------------------------
 * Diagrams and the map group regions by the free-flow area of the regime that
 * governs their country (data/jurisdictions.json): every EEA state is in
 * "EEA" (GDPR), GB in "GB" (UK GDPR), a country without a regime is its own
 * group, a multi-region whose members span several groups is "multi", and
 * `global` is "global". */
struct export_juris;

/* Read DATADIR/jurisdictions.json. SM_EIO / SM_EPARSE "file:line:col: msg". */
int  export_juris_load(const char *datadir, struct export_juris **out,
                       struct sm_error *err);
void export_juris_free(struct export_juris *j);     /* NULL is fine */
/* Group name of a region ("EEA", "US", "multi", "global"). With j NULL every
 * country is its own group. The result is valid while j lives or, for a
 * country code, until the next call (static buffer). */
const char *export_region_group(const struct export_juris *j,
                                const struct model *m, int32_t region);
/* Display label of a group: "EEA (GDPR)", "GB (UK GDPR)", "US"; whole, as
 * long as j and group live. */
const char *export_group_label(const struct export_juris *j, const char *group);

/* ---- options ------------------------------------------------------------------ */

struct export_opts {
    int view;                   /* enum export_view */
    const char *focus;          /* dataset name, for EXPORT_VIEW_FOCUS */
    int hops;                   /* lineage hops around the focus (>= 0) */
    const char *tier;           /* keep datasets of this declared tier, or NULL */
    const char *system;         /* keep datasets of this system, or NULL */
    const char *jurisdiction;   /* keep copies in this group or country, or NULL */
    bool stamp;                 /* add "generated on DATE" (today) */
    bool violations_only;       /* map: only datasets with a live violation */
    int32_t today;              /* yyyymmdd, for the stamp */
    const struct export_juris *juris;   /* grouping; NULL: by country */
    int32_t layout_limit;       /* full/focus svg/png/pdf: most edges+nodes laid
                                 * out before refusing (0: EXPORT_LAYOUT_LIMIT) */
    struct export_stats *stats; /* diagrams fill it when not NULL (the CLI's warnings) */
};

#define EXPORT_LAYOUT_LIMIT 6000

void export_opts_init(struct export_opts *o);

/* What a diagram export did, for tests and the CLI's messages. */
struct export_stats {
    int32_t clusters;           /* jurisdiction + region clusters (not the legend) */
    int32_t nodes;              /* model nodes (placements, regions, export targets) */
    int32_t edges;              /* model edges (flows, implicit replications, counted) */
    int32_t red_edges;          /* edges drawn as violations */
    int32_t legend_nodes, legend_edges;
    int32_t laid_out;           /* 1 when Graphviz laid the graph out */
    int32_t too_big;            /* 1 when the laid-out size was refused */
};

/* ---- the exporters -------------------------------------------------------------
 * Errors: SM_ENOTFOUND (unknown --focus dataset / --tier), SM_ELIMIT (the
 * full view is too big to lay out: "N nodes and M edges is more than dot
 * lays out in reasonable time; use --view regions"), SM_EIO (Graphviz
 * failed or lost an edge: its own message is given), SM_ENOMEM. Nothing
 * is written to f on failure, except by model_json_write. */

/* fmt: "dot" (the graph source, not laid out, written by sovmap), "svg",
 * "png", "pdf", "mermaid"; "agwrite" (no CLI format) is the same DOT written by
 * Graphviz's agwrite, the reference "dot" is tested against.
 * r may be NULL (nothing is red). stats may be NULL. */
int export_diagram(const struct model *m, const struct check_result *r,
                   const struct export_opts *o, const char *fmt, FILE *f,
                   struct export_stats *stats, struct sm_error *err);

/* The scenario graph: only what a what-if changes (scenario.h change set:
 * catalog or other scenario before, scenario after). Copies with a new
 * live finding red, with a resolved one green, added ones blue, moved ones
 * with a dashed edge from where they were; flows with new (red) or resolved
 * (green) findings. fmt: "dot", "svg", "png", "pdf". */
struct scenario_change_set;
int export_changes(const struct scenario_change_set *cs, const struct export_opts *o,
                   const char *fmt, FILE *f, struct export_stats *stats,
                   struct sm_error *err);

/* fmt: "md", "csv", "html", "json". */
int export_map(const struct model *m, const struct check_result *r,
               const struct export_opts *o, const char *fmt, FILE *f,
               struct sm_error *err);

/* The review pack: summary, systems diagram (inline SVG), findings with why
 * and hint, residency map, allowed regions, tier-to-region mapping
 * (export_tiers), transfer register; one
 * self-contained HTML file (export_review.c). */
int export_review_html(const struct model *m, const struct check_result *r,
                       const struct export_opts *o, FILE *f, struct sm_error *err);

/* The tier-to-region mapping (export_tiers.c): per tier and set of
 * effective subjects, the regions per role by jurisdiction with the basis
 * and the law (check_where), and the datasets. r must come from check_run
 * (its pack is used). fmt: "md", "csv", "text" (the TUI), "html-fragment" (a
 * section of the review pack: h2 id "tiers", a table per tier and subjects). */
int export_tiers(const struct model *m, const struct check_result *r,
                 const struct export_opts *o, const char *fmt, FILE *f, struct sm_error *err);

/* The tier x region matrix as data (tier_matrix_build, export_tiers.c),
 * for the TUI's matrix: rows are the combos of export_tiers (a tier and a
 * set of effective subjects), columns the jurisdiction groups, and each
 * cell says whether a new primary copy may live there (the best of its
 * regions) and lists the copies of the row's datasets in the group now,
 * each with its own status for its role and region, the basis and the law
 * or the rules that forbid it. Everything lives in the matrix's arena. */
struct tier_matrix_copy {
    int32_t placement, dataset, region;
    uint8_t status;             /* enum where_status for the copy's role */
    const char *role;           /* "primary", "replica" ... (the copy's role) */
    const char *basis;          /* check_where's detail: "inside the EEA" ... */
    const char *law;            /* the law behind an allowed copy, or the
                                   rules a copy there fires ("RES001") */
};

struct tier_matrix_cell {
    uint8_t status;             /* enum where_status: primary, best region */
    int32_t nregions, allowed, mechanism;   /* regions of the group, by status */
    int32_t first, ncopies;     /* copies[first .. first + ncopies) */
};

struct tier_matrix_row {
    int32_t tier;
    const char *subjects;       /* "EU,BR", "" (no subjects), + " public sector" */
    const int32_t *datasets;
    int32_t ndatasets;
};

struct tier_matrix {
    struct sm_arena arena;
    struct tier_matrix_row *rows;
    int32_t nrows;
    const char **cols;          /* the jurisdiction groups' labels */
    const char **col_ids;       /* their short names ("EEA", "BR") */
    int32_t ncols;
    struct tier_matrix_cell *cells;     /* [row * ncols + col] */
    struct tier_matrix_copy *copies;
    int32_t ncopies;
};

/* r must come from check_run. o->juris groups the regions (may be NULL). */
int tier_matrix_build(const struct model *m, const struct check_result *r,
                      const struct export_opts *o, struct tier_matrix **out,
                      struct sm_error *err);
void tier_matrix_free(struct tier_matrix *mx);
const struct tier_matrix_cell *tier_matrix_cell(const struct tier_matrix *mx, int32_t row,
                                                int32_t col);

/* The Art. 30 record of processing (export_ropa.c): per system and dataset
 * holding personal data (or declaring a purpose or legal basis), purpose,
 * legal basis, data subjects, personal data categories (field tags),
 * retention, recipients (flow targets), third-country transfers with their
 * safeguard (mechanism and reference). r must come from check_run.
 * fmt: "md", "csv". */
int export_ropa(const struct model *m, const struct check_result *r,
                const struct export_opts *o, const char *fmt, FILE *f, struct sm_error *err);

int export_transfers_csv(const struct model *m, const struct check_result *r,
                         const struct export_opts *o, FILE *f, struct sm_error *err);
int export_lineage_csv(const struct model *m, const struct check_result *r,
                       const struct export_opts *o, FILE *f, struct sm_error *err);

/* The registry `sovmap export FORMAT` (and the TUI's export menu) dispatch on;
 * model-json included (model_json_write; it ignores r and o). */
struct export_ops {
    const char *name;           /* "svg", "map-html" ... */
    const char *summary;        /* one line for --help */
    bool needs_check;           /* runs the checker first */
    bool binary;                /* png, pdf: not for a terminal */
    int (*write)(const struct model *m, const struct check_result *r,
                 const struct export_opts *o, const char *arg, FILE *f,
                 struct sm_error *err);
    const char *arg;            /* passed through: "svg", "html" ... */
};

extern const struct export_ops *const export_formats[];   /* NULL-terminated */
const struct export_ops *export_format(const char *name);

/* ---- escaping (shared by the exporters, tested on hostile names) ------------- */
/* Each writes s escaped to f. */
void export_put_html(FILE *f, const char *s);  /* & < > " ' ; control bytes as U+FFFD */
void export_put_csv(FILE *f, const char *s);   /* RFC 4180: quoted when needed */
void export_put_md(FILE *f, const char *s);    /* table cell: | ` \ * _ < > escaped, newlines as <br> */
void export_put_json(FILE *f, const char *s);  /* a JSON string with its quotes */

#endif
