/*
 * export_dot_int.h - what the diagram's files share (private to src/io): the
 * look, the builder state `struct dg`, and the helpers each view calls.
 * export_dot.c holds the builder, the legend helpers and the entry point;
 * export_dot_render.c the layout, size check, rendering and Mermaid;
 * export_dot_full.c the full and focus views and the scenario change view;
 * export_dot_regions.c the region summary; export_dot_systems.c the
 * systems view. Not a public contract.
 */
#ifndef EXPORT_DOT_INT_H
#define EXPORT_DOT_INT_H

#include "export_priv.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

/* ---- look ------------------------------------------------------------------------- */

#define LABEL_COLUMNS 60
#define C_RED       "#d00000"
#define C_RED_FILL  "#ffe4e4"
#define C_MUTED     "#9aa5b1"
#define C_MUTED_FILL "#f1f3f5"
#define C_OK        "#3b4754"
#define C_EDGE      "#8a939c"
#define C_FONT      "Helvetica"

/* Tier shapes, most sensitive (highest rank) first; unclassified: note. */
#define NSHAPES 7
extern const char *const tier_shapes[NSHAPES];
#define SHAPE_UNCLASSIFIED "note"

struct state_look {
    const char *color, *fill, *font, *penwidth;
};
extern const struct state_look looks[3];

/* ---- builder ------------------------------------------------------------------------ */

enum {
    GA_LABEL, GA_COLOR, GA_STYLE, GA_FILL, GA_FONTCOLOR, GA_TOOLTIP, GA_COUNT
};
enum {
    NA_LABEL, NA_SHAPE, NA_COLOR, NA_FILL, NA_FONTCOLOR, NA_PENWIDTH, NA_TOOLTIP,
    NA_STYLE, NA_WIDTH, NA_HEIGHT, NA_COUNT
};
enum {
    EA_LABEL, EA_XLABEL, EA_COLOR, EA_FONTCOLOR, EA_STYLE, EA_PENWIDTH, EA_TOOLTIP,
    EA_ARROWHEAD, EA_WEIGHT, EA_COUNT
};

struct dg {
    const struct model *m;
    const struct export_opts *o;
    struct xindex x;
    struct sm_arena a;
    Agraph_t *g;
    Agsym_t *ga[GA_COUNT], *na[NA_COUNT], *ea[EA_COUNT];
    Agraph_t **rcluster;        /* per region */
    Agraph_t **gcluster;        /* per group index */
    const char **gnames;        /* group names seen, in order */
    int32_t ngroups;
    const char **rgroup;        /* per region: its group name (NULL: not computed) */
    int8_t *tier_shape;         /* per tier: index into tier_shapes */
    bool any_unclassified;
    bool labels_as_xlabels;
    struct export_stats st;
    int32_t ncopies;
    struct idstate *ids;
    const char *summary_note;   /* the region view folded into jurisdictions */
    uint8_t *ds_drawn;          /* full/focus view: per dataset, a copy is drawn */
    const struct check_result *r;
    struct vmark { enum obj_kind kind; int32_t id; int32_t ds; } *marks;
    int32_t nmarks, cap_marks;  /* numbered violations, in drawing order */
};


/* Counts drawn on a region or an edge (regions and systems views). */
struct rcount {
    int32_t n, viol, waived;
};

/* ---- shared helpers (defined where their section lives) ---------------------------------- */

void
chain(struct dg *d, Agraph_t *lg, Agnode_t **prev, Agnode_t *first, Agnode_t *last);
bool
cross_border(const struct model *m, int32_t ra, int32_t rb);
const char *
dclean(struct dg *d, const char *s);
void
dg_fini(struct dg *d);
int
dg_init(struct dg *d, const struct model *m, const struct check_result *r,
        const struct export_opts *o, const char *title, struct sm_error *err);
const char *
dstr(struct dg *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void
eset(struct dg *d, Agedge_t *e, int a, const char *v);
Agraph_t *
group_cluster(struct dg *d, const char *group);
void
gset(struct dg *d, Agraph_t *sg, int a, const char *v);
const char *
html_text(struct dg *d, const char *s);
int
kept_datasets(const struct model *m, const struct export_opts *o, uint8_t *keep,
              struct sm_error *err);
Agraph_t *
legend_cluster(struct dg *d);
void
legend_edge(struct dg *d, Agraph_t *lg, Agnode_t **prev, const char *what, const char *label,
            const char *color, const char *style, const char *pen, const char *arrow);
void
legend_full(struct dg *d);
Agnode_t *
legend_node(struct dg *d, Agraph_t *lg, const char *label, const char *shape, int state);
void
nset(struct dg *d, Agnode_t *n, int a, const char *v);
Agraph_t *
region_cluster(struct dg *d, int32_t region);
const char *
region_group(struct dg *d, int32_t region);
bool
region_passes(struct dg *d, int32_t region);
int
render(struct dg *d, const char *fmt, FILE *f, struct sm_error *err);
const char *
thousands(struct dg *d, int64_t v);
int
build_full(struct dg *d, int32_t focus, struct sm_error *err);
int
build_regions(struct dg *d, struct sm_error *err);
int
build_systems(struct dg *d, struct sm_error *err);

#endif
