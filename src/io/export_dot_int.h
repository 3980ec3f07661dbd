/*
 * export_dot_int.h - what the diagram's files share (private to src/io): the
 * look, the builder state `struct dg`, the diagram's graph (`struct dgraph`)
 * and the helpers each view calls.
 * export_dot.c holds the builder, the legend helpers and the entry point;
 * export_dot_graph.c the graph in memory and its DOT text;
 * export_dot_render.c the layout (the graph handed to Graphviz), size
 * check, rendering and Mermaid;
 * export_dot_full.c the full and focus views and the scenario change view;
 * export_dot_regions.c the region summary; export_dot_systems.c the
 * systems view. Not a public contract.
 */
#ifndef EXPORT_DOT_INT_H
#define EXPORT_DOT_INT_H

#include "export_priv.h"


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

/* ---- the diagram's graph (export_dot_graph.c) -------------------------------------------
 * The views build the diagram here, not in a Graphviz graph: DOT and Mermaid
 * are written straight from these arrays, and only a layout (svg, png, pdf)
 * hands the graph to Graphviz, by replaying the calls the views made, in
 * their order (dg_cgraph). It keeps what cgraph keeps and in the same order,
 * so that the DOT text is byte for byte what agwrite wrote (doc/exports.md):
 * names interned in creation order (cgraph's ids: subgraphs are ordered by
 * them), nodes and edges numbered in creation order (AGSEQ), a node a member
 * of the subgraph it was made or used in and of that subgraph's ancestors,
 * an edge of the graph it was made in and its ancestors. */

enum { DK_GRAPH, DK_NODE, DK_EDGE, DK_COUNT };      /* AGRAPH, AGNODE, AGEDGE */

struct dgval {                  /* an attribute an object sets */
    struct dgval *next;
    const char *v;
    int32_t sym;
    bool html;                  /* an HTML-like label (agstrdup_html) */
};

struct dgs;

struct dgmem {                  /* a subgraph a node belongs to */
    struct dgmem *next;
    struct dgs *s;
};

struct dgs {                    /* the root graph or a subgraph */
    struct dgs *parent;         /* NULL: the root */
    struct dgval *vals;         /* a subgraph's own graph attributes */
    int32_t id;                 /* its name's index (cgraph's id / 2) */
    int32_t idx;                /* index in dgraph.subs; the root is 0 */
};

struct dgn {                    /* a node */
    struct dgval *vals;
    struct dgmem *in;           /* the subgraphs holding it, ancestors too (not the root) */
    int32_t id;
    int32_t seq;                /* creation order from 0 (cgraph's AGSEQ is seq + 1) */
};

struct dge {                    /* an edge */
    struct dgval *vals;
    struct dgs *g;              /* the graph it was made in */
    struct dgn *t, *h;
    int32_t seq;
};

struct dgsym {
    const char *name, *def;
};

/* One call of a view, as dg_cgraph replays it. */
enum { DGOP_ATTR, DGOP_SUBG, DGOP_NODE, DGOP_EDGE, DGOP_SET };

struct dgop {
    const char *s, *s2;         /* ATTR: name, default; SUBG, NODE: name; SET: value */
    int32_t a;                  /* the object made or set (ATTR: the symbol) */
    int32_t b;                  /* SUBG, NODE, EDGE: the graph it is made in; SET: symbol */
    int32_t t, h;               /* EDGE: tail and head */
    uint8_t op, kind, html;
};

struct dg;

struct dgraph {
    struct sm_map names;        /* name -> index */
    struct dgname { const char *s; int32_t node; } *nm;
    int32_t nnames, cap_names;
    struct dgs **subs;
    int32_t nsubs, cap_subs;
    struct dgn **nodes;
    int32_t nnodes, cap_nodes;
    struct dge **edges;
    int32_t nedges, cap_edges;
    struct dgsym *syms[DK_COUNT];
    int32_t nsyms[DK_COUNT], cap_syms[DK_COUNT];
    struct dgop *ops;           /* the calls, for dg_cgraph; kept only for a layout */
    int32_t nops, cap_ops;
    bool log;
    bool nomem;
};

/* Who holds what, for writing: children by id, members by creation
 * (export_dot_graph.c). */
struct dgindex {
    int32_t *child_start, *child;       /* per graph (dgs.idx): its subgraphs' idx */
    int32_t *node_start, *node;         /* per graph: its nodes' seq, ascending */
    int32_t *edge_start, *edge;         /* per graph: its edges' seq, ascending */
    int32_t *fill;
};

int32_t
dg_attr(struct dg *d, int kind, const char *name, const char *def);
struct dge *
dg_edge(struct dg *d, struct dgs *g, struct dgn *t, struct dgn *h);
const char *
dg_get(struct dg *d, int kind, const void *obj, int32_t sym, bool *html);
void
dg_graph_fini(struct dg *d);
int
dg_index_build(const struct dgraph *gr, struct dgindex *x);
void
dg_index_fini(struct dgindex *x);
bool
dg_node_in_child(const struct dgn *n, const struct dgs *g);
int
dg_sort_out(const struct dgraph *gr, int32_t *edges, int32_t n);
int
dg_graph_init(struct dg *d, bool log);
struct dgn *
dg_node(struct dg *d, struct dgs *g, const char *name);
bool
dg_node_in(const struct dgn *n, const struct dgs *s);
void
dg_safeset(struct dg *d, struct dgn *n, const char *name, const char *v, const char *def);
void
dg_set(struct dg *d, int kind, void *obj, int32_t sym, const char *v, bool html);
struct dgs *
dg_subg(struct dg *d, struct dgs *parent, const char *name, bool create);
int
dg_write_dot(struct dg *d, FILE *f, struct sm_error *err);

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
    struct dgraph gr;
    struct dgs *g;              /* the root graph */
    int32_t ga[GA_COUNT], na[NA_COUNT], ea[EA_COUNT];
    struct dgs **rcluster;      /* per region */
    struct dgs **gcluster;      /* per group index */
    const char **gnames;        /* group names seen, in order */
    int32_t ngroups;
    const char **rgroup;        /* per region: its group name (NULL: not computed) */
    int32_t *rcountry;          /* per region: 2 + its one country or SM_NONE (0: not computed) */
    int8_t *tier_shape;         /* per tier: index into tier_shapes */
    bool any_unclassified;
    bool labels_as_xlabels;
    struct export_stats st;
    int32_t ncopies;
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
chain(struct dg *d, struct dgs *lg, struct dgn **prev, struct dgn *first, struct dgn *last);
bool
cross_border(struct dg *d, int32_t ra, int32_t rb);
const char *
dcat(struct dg *d, ...) __attribute__((sentinel));
const char *
dclean(struct dg *d, const char *s);
void
dg_fini(struct dg *d);
int
dg_init(struct dg *d, const struct model *m, const struct check_result *r,
        const struct export_opts *o, const char *fmt, const char *title,
        struct sm_error *err);
const char *
dstr(struct dg *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void
eset(struct dg *d, struct dge *e, int a, const char *v);
struct dgs *
group_cluster(struct dg *d, const char *group);
void
gset(struct dg *d, struct dgs *sg, int a, const char *v);
const char *
html_text(struct dg *d, const char *s);
int
kept_datasets(const struct model *m, const struct export_opts *o, uint8_t *keep,
              struct sm_error *err);
struct dgs *
legend_cluster(struct dg *d);
void
legend_edge(struct dg *d, struct dgs *lg, struct dgn **prev, const char *what, const char *label,
            const char *color, const char *style, const char *pen, const char *arrow);
void
legend_full(struct dg *d);
struct dgn *
legend_node(struct dg *d, struct dgs *lg, const char *label, const char *shape, int state);
void
nset(struct dg *d, struct dgn *n, int a, const char *v);
void
nset_html(struct dg *d, struct dgn *n, int a, const char *v);
struct dgs *
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
