/*
 * export_dot_full.c - the full and focus views (a node per copy, an edge
 * per flow and implicit replication, numbered violations) and the change
 * diagram of a scenario (export_changes).
 *
 * Moved out of export_dot.c; reads the model and the check result only.
 */
#include "export_dot_int.h"
#include "scenario.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- full and focus views ------------------------------------------------------------------ */

struct dedge {
    int32_t from, to;           /* placements; to SM_NONE: export to region to_region */
    int32_t to_region;
    int32_t flow;               /* SM_NONE: implicit replication */
    const char *tsel, *hsel;    /* sort keys */
};

static int
dedge_cmp(const void *a, const void *b)
{
    const struct dedge *x = a, *y = b;
    int c;

    if ((c = strcmp(x->tsel, y->tsel)) || (c = strcmp(x->hsel, y->hsel)))
        return c;
    if ((x->flow == SM_NONE) != (y->flow == SM_NONE))
        return x->flow == SM_NONE ? -1 : 1;
    return x->flow < y->flow ? -1 : x->flow > y->flow;
}

struct dnode {
    int32_t p;
    const char *group, *region, *sel;
};

static int
dnode_cmp(const void *a, const void *b)
{
    const struct dnode *x = a, *y = b;
    int c;

    /* copies of one region share its group and id texts: no need to compare */
    if ((x->group != y->group && (c = strcmp(x->group, y->group))) ||
        (x->region != y->region && (c = strcmp(x->region, y->region))))
        return c;
    return strcmp(x->sel, y->sel);
}

static bool
dataset_passes(const struct model *m, const struct export_opts *o, int32_t ds, int32_t tier)
{
    const struct dataset *d = &m->datasets[ds];

    if (d->deleted)
        return false;
    if (o->tier && d->tier != tier)
        return false;
    if (o->system && strcmp(d->system ? d->system : "", o->system))
        return false;
    return true;
}

/* The tier --tier names (SM_NONE when none is given), with a suggestion
 * when it is unknown. */
static int
filter_tier(const struct model *m, const struct export_opts *o, int32_t *tier,
            struct sm_error *err)
{
    const char *s;

    *tier = SM_NONE;
    if (!o->tier || (*tier = model_tier(m, o->tier)) != SM_NONE)
        return SM_OK;
    s = model_suggest(m, OBJ_TIER, o->tier);
    return sm_error_set(err, SM_ENOTFOUND, "unknown tier %s%s%s%s", o->tier,
                        s ? "; did you mean " : "", s ? s : "", s ? "?" : "");
}

/* keep[ds] for the datasets --tier and --system let through. */
int
kept_datasets(const struct model *m, const struct export_opts *o, uint8_t *keep,
              struct sm_error *err)
{
    int32_t tier;
    int rc;

    if ((rc = filter_tier(m, o, &tier, err)))
        return rc;
    for (int32_t i = 0; i < m->ndatasets; i++)
        keep[i] = dataset_passes(m, o, i, tier);
    return SM_OK;
}

bool
region_passes(struct dg *d, int32_t region)
{
    char cc[3];    /* bounded: an ISO 3166 alpha-2 code (sm_cc_str) */

    if (!d->o->jurisdiction)
        return true;
    if (!strcmp(region_group(d, region), d->o->jurisdiction))
        return true;
    sm_cc_str(d->m->regions[region].country, cc);
    return !strcmp(cc, d->o->jurisdiction) || !strcmp(d->m->regions[region].id, d->o->jurisdiction);
}

/* Datasets within o->hops lineage hops of the focus (flows either way). */
static int
focus_set(const struct model *m, int32_t focus, int hops, uint8_t *keep,
          struct sm_error *err)
{
    int32_t *start = calloc((size_t)m->ndatasets + 2, sizeof *start);
    int32_t *adj = malloc(((size_t)m->nflows * 2 + 1) * sizeof *adj);
    int32_t *fill = calloc((size_t)m->ndatasets + 1, sizeof *fill);
    int32_t *queue = malloc(((size_t)m->ndatasets + 1) * sizeof *queue);
    int32_t *dist = malloc(((size_t)m->ndatasets + 1) * sizeof *dist);
    int32_t qh = 0, qt = 0;

    if (!start || !adj || !fill || !queue || !dist) {
        free(start); free(adj); free(fill); free(queue); free(dist);
        return sm_error_set(err, SM_ENOMEM, "focus: out of memory");
    }
    for (int32_t i = 0; i < m->nflows; i++) {
        const struct flow *f = &m->flows[i];
        if (f->deleted || f->to == SM_NONE)
            continue;
        start[m->placements[f->from].dataset + 1]++;
        start[m->placements[f->to].dataset + 1]++;
    }
    for (int32_t i = 0; i < m->ndatasets; i++)
        start[i + 1] += start[i];
    for (int32_t i = 0; i < m->nflows; i++) {
        const struct flow *f = &m->flows[i];
        int32_t a, b;
        if (f->deleted || f->to == SM_NONE)
            continue;
        a = m->placements[f->from].dataset;
        b = m->placements[f->to].dataset;
        adj[start[a] + fill[a]++] = b;
        adj[start[b] + fill[b]++] = a;
    }
    for (int32_t i = 0; i < m->ndatasets; i++)
        dist[i] = -1;
    dist[focus] = 0;
    queue[qt++] = focus;
    while (qh < qt) {
        int32_t u = queue[qh++];
        keep[u] = 1;
        if (dist[u] >= hops)
            continue;
        for (int32_t k = start[u]; k < start[u + 1]; k++)
            if (dist[adj[k]] < 0 && !m->datasets[adj[k]].deleted) {
                dist[adj[k]] = dist[u] + 1;
                queue[qt++] = adj[k];
            }
    }
    free(start); free(adj); free(fill); free(queue); free(dist);
    return SM_OK;
}

/* Number a violation drawn in red: "[3] " goes before its label, and the
 * legend's table lists 3 -> rules, object, message, so nothing depends on
 * where Graphviz puts a label. "" when out of memory (then unnumbered). */
static const char *
mark(struct dg *d, enum obj_kind kind, int32_t id, int32_t ds)
{
    if (sm_grow((void **)&d->marks, &d->cap_marks, d->nmarks + 1, sizeof *d->marks))
        return "";
    d->marks[d->nmarks++] = (struct vmark){ kind, id, ds };
    return dstr(d, "[%d] ", (int)d->nmarks);
}

/* The table under the legend: number, rule, object, message of every
 * numbered violation (the first VMARK_TABLE; the rest are counted). */
#define VMARK_TABLE 60

static void
legend_marks(struct dg *d, struct dgs *lg)
{
    const struct check_result *r = d->r;
    const char *rows = "";
    struct dgn *n;

    if (!d->nmarks || !r)
        return;
    for (int32_t k = 0; k < d->nmarks && k < VMARK_TABLE; k++) {
        const struct vmark *v = &d->marks[k];
        for (int32_t i = 0; i < r->nfindings; i++) {
            const struct finding *f = &r->findings[i];
            bool same = f->kind == v->kind && f->object == v->id;

            /* a primary's number also stands for its dataset's findings */
            if (!same && v->kind == OBJ_PLACEMENT && f->kind == OBJ_DATASET &&
                f->dataset == v->ds && d->m->placements[v->id].role == ROLE_PRIMARY)
                same = true;
            if (!same || f->waived || f->severity < SEV_WARNING)
                continue;
            rows = dstr(d, "%s<TR><TD ALIGN=\"RIGHT\">%d</TD><TD ALIGN=\"LEFT\">%s</TD>"
                        "<TD ALIGN=\"LEFT\">%s</TD><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\">%s</TD></TR>", rows,
                        (int)k + 1, html_text(d, f->rule), html_text(d, f->selector),
                        html_text(d, f->message));
        }
    }
    if (d->nmarks > VMARK_TABLE)
        rows = dstr(d, "%s<TR><TD COLSPAN=\"4\" ALIGN=\"LEFT\">... and %d more: sovmap check "
                    "lists them all</TD></TR>", rows, (int)(d->nmarks - VMARK_TABLE));
    n = dg_node(d, lg, "legend:violations");
    d->st.legend_nodes++;
    nset_html(d, n, NA_LABEL, dstr(d, "<TABLE BORDER=\"0\" CELLBORDER=\"1\" "
                                   "CELLSPACING=\"0\" CELLPADDING=\"2\"><TR><TD>#</TD><TD>rule</TD>"
                                   "<TD>object</TD><TD>finding</TD></TR>%s</TABLE>", rows));
    nset(d, n, NA_SHAPE, "plaintext");
    nset(d, n, NA_COLOR, C_RED);
    nset(d, n, NA_FONTCOLOR, C_RED);
}

static const char *
edge_desc(struct dg *d, const struct flow *f)
{
    size_t n;
    char *xf;

    if (!f)
        return "implicit replication";
    /* the transforms whole, whatever the fields' names */
    n = model_format_transforms(f->transforms, f->ntransforms, NULL, 0) + 1;
    if (!(xf = sm_arena_alloc(&d->a, n)))
        return flow_kind_names[f->kind];
    model_format_transforms(f->transforms, f->ntransforms, xf, n);
    return dcat(d, flow_kind_names[f->kind], *xf ? " (" : "", *xf ? dclean(d, xf) : "",
                *xf ? ")" : "", (const char *)NULL);
}

static void
style_edge(struct dg *d, struct dge *e, const struct xstatus *s, bool cross,
           const struct flow *f, const char *tip, enum obj_kind kind, int32_t id)
{
    const char *style = cross ? "dashed" : "solid";
    const char *desc = edge_desc(d, f), *num = "";

    if (s->state == XS_VIOLATION) {
        eset(d, e, EA_COLOR, C_RED);
        eset(d, e, EA_FONTCOLOR, C_RED);
        eset(d, e, EA_PENWIDTH, "2.5");
        style = cross ? "bold,dashed" : "bold";
        d->st.red_edges++;
        num = mark(d, kind, id, SM_NONE);
    } else if (s->state == XS_WAIVED) {
        eset(d, e, EA_COLOR, C_MUTED);
        eset(d, e, EA_FONTCOLOR, "#5f6b76");
    } else if (cross) {
        eset(d, e, EA_PENWIDTH, "1.4");
    }
    eset(d, e, EA_STYLE, style);
    if (s->state != XS_OK)
        eset(d, e, d->labels_as_xlabels ? EA_XLABEL : EA_LABEL,
             dcat(d, num, desc, ":", s->state == XS_WAIVED ? " waived " : " ",
                  dclean(d, s->rules), (const char *)NULL));
    eset(d, e, EA_TOOLTIP, dcat(d, tip, "\\n", desc, (const char *)NULL));
    if (!f)
        eset(d, e, EA_ARROWHEAD, "empty");
}

int
build_full(struct dg *d, int32_t focus, struct sm_error *err)
{
    const struct model *m = d->m;
    const struct export_opts *o = d->o;
    uint8_t *keep_ds = calloc((size_t)m->ndatasets + 1, 1);
    uint8_t *keep_p = calloc((size_t)m->nplacements + 1, 1);
    struct dedge *edges = malloc(((size_t)m->nflows + m->nplacements + 1) * sizeof *edges);
    struct dnode *nodes = NULL;
    struct dgn **pnode = calloc((size_t)m->nplacements + 1, sizeof *pnode);
    struct dgn **xnode = calloc((size_t)m->nregions + 1, sizeof *xnode);
    const char **psel = calloc((size_t)m->nplacements + 1, sizeof *psel);
    int32_t tier = SM_NONE, nedges = 0, nnodes = 0, nviol = 0;
    int rc = SM_OK;
    char *buf;

    if (!keep_ds || !keep_p || !edges || !pnode || !xnode || !psel) {
        rc = sm_error_set(err, SM_ENOMEM, "diagram: out of memory");
        goto out;
    }
    if ((rc = filter_tier(m, o, &tier, err)))
        goto out;
    if (focus != SM_NONE) {
        if ((rc = focus_set(m, focus, o->hops, keep_ds, err)))
            goto out;
        for (int32_t i = 0; i < m->ndatasets; i++)
            if (keep_ds[i] && i != focus && !dataset_passes(m, o, i, tier))
                keep_ds[i] = 0;
    } else {
        for (int32_t i = 0; i < m->ndatasets; i++)
            keep_ds[i] = dataset_passes(m, o, i, tier);
    }
    for (int32_t i = 0; i < m->nplacements; i++) {
        const struct placement *p = &m->placements[i];
        keep_p[i] = !p->deleted && keep_ds[p->dataset] && region_passes(d, p->region);
    }
    /* Edges: explicit flows, then implicit replications primary -> copy. In
     * the focus view both ends must be kept; with filters one end is
     * enough and the other comes along as context. */
    for (int32_t i = 0; i < m->nflows; i++) {
        const struct flow *f = &m->flows[i];
        bool a, b;

        if (f->deleted)
            continue;
        a = keep_p[f->from];
        b = f->to != SM_NONE ? keep_p[f->to]
                             : keep_ds[m->placements[f->from].dataset] &&
                               f->to_region >= 0 && region_passes(d, f->to_region);
        if (focus != SM_NONE ? !(a && b) : !(a || b))
            continue;
        edges[nedges++] = (struct dedge){ f->from, f->to, f->to_region, i, NULL, NULL };
    }
    for (int32_t i = 0; i < m->nplacements; i++) {
        const struct placement *p = &m->placements[i];
        int32_t prim;

        if (p->deleted || p->role == ROLE_PRIMARY || d->x.has_inflow[i])
            continue;
        if ((prim = model_primary(m, p->dataset)) == SM_NONE || prim == i)
            continue;
        if (focus != SM_NONE ? !(keep_p[prim] && keep_p[i]) : !(keep_p[prim] || keep_p[i]))
            continue;
        edges[nedges++] = (struct dedge){ prim, i, SM_NONE, SM_NONE, NULL, NULL };
    }
    for (int32_t k = 0; k < nedges; k++) {
        keep_p[edges[k].from] = 1;
        if (edges[k].to != SM_NONE)
            keep_p[edges[k].to] = 1;
    }
    if (!(d->ds_drawn = calloc((size_t)m->ndatasets + 1, 1))) {
        rc = sm_error_set(err, SM_ENOMEM, "diagram: out of memory");
        goto out;
    }
    for (int32_t i = 0; i < m->nplacements; i++)
        if (keep_p[i]) {
            nnodes++;
            d->ds_drawn[m->placements[i].dataset] = 1;
        }
    d->st.nodes = d->ncopies = nnodes;
    d->st.edges = nedges;
    for (int32_t k = 0; k < nedges; k++) {
        const struct xstatus *s = edges[k].flow != SM_NONE ? &d->x.flow[edges[k].flow]
                                                            : &d->x.implicit[edges[k].to];
        if (s->state != XS_OK)
            nviol++;
    }
    /* Edge labels become virtual nodes in dot's ranking: slow on big graphs,
     * and with edges between nested clusters Graphviz 2.43 fails to route
     * ("triangulation failed") and then corrupts its heap in gvFreeLayout,
     * even at 100 flows. xlabels are placed after layout and avoid both. */
    d->labels_as_xlabels = true;
    (void)nviol;
    if (!(nodes = malloc(((size_t)nnodes + 1) * sizeof *nodes))) {
        rc = sm_error_set(err, SM_ENOMEM, "diagram: out of memory");
        goto out;
    }
    nnodes = 0;
    for (int32_t i = 0; i < m->nplacements; i++) {
        if (!keep_p[i])
            continue;
        if (!(buf = model_selector_dup(m, OBJ_PLACEMENT, i))) {
            rc = sm_error_set(err, SM_ENOMEM, "diagram: out of memory");
            goto out;
        }
        psel[i] = dclean(d, buf);
        free(buf);
        nodes[nnodes++] = (struct dnode){ i, region_group(d, m->placements[i].region),
                                          m->regions[m->placements[i].region].id, psel[i] };
    }
    qsort(nodes, (size_t)nnodes, sizeof *nodes, dnode_cmp);
    for (int32_t k = 0; k < nnodes; k++) {
        int32_t pi = nodes[k].p;
        const struct placement *p = &m->placements[pi];
        const struct dataset *ds = &m->datasets[p->dataset];
        struct xstatus s = d->x.placement[pi];
        const struct xstatus *dss = &d->x.dataset[p->dataset];
        struct dgn *n;
        const char *rules;

        /* Findings about the dataset itself show on its primary copy. */
        if (p->role == ROLE_PRIMARY && dss->state > XS_OK) {
            rules = s.rules && *s.rules ? dstr(d, "%s %s", s.rules, dss->rules) : dss->rules;
            if (dss->state > s.state)
                s.state = dss->state;
            s.rules = rules;
        }
        n = dg_node(d, region_cluster(d, p->region), nodes[k].sel);
        pnode[pi] = n;
        nset(d, n, NA_LABEL, dcat(d, dclean(d, ds->name), "\\n", role_names[p->role],
                                  s.state != XS_OK ? "\\n" : "",
                                  s.state == XS_VIOLATION ? mark(d, OBJ_PLACEMENT, pi, p->dataset)
                                                          : "",
                                  s.state == XS_WAIVED ? "waived " : "",
                                  s.state != XS_OK ? dclean(d, s.rules) : "", (const char *)NULL));
        if (ds->tier == SM_NONE) {
            nset(d, n, NA_SHAPE, SHAPE_UNCLASSIFIED);
            d->any_unclassified = true;
        } else {
            nset(d, n, NA_SHAPE, tier_shapes[d->tier_shape[ds->tier]]);
        }
        if (s.state != XS_OK) {
            nset(d, n, NA_COLOR, looks[s.state].color);
            nset(d, n, NA_FILL, looks[s.state].fill);
            nset(d, n, NA_FONTCOLOR, looks[s.state].font);
            nset(d, n, NA_PENWIDTH, looks[s.state].penwidth);
        }
        nset(d, n, NA_TOOLTIP, dcat(d, nodes[k].sel, "\\ntier ",
                                    ds->tier != SM_NONE ? dclean(d, m->tiers[ds->tier].name)
                                                        : "none",
                                    *ds->system ? ", system " : "",
                                    *ds->system ? dclean(d, ds->system) : "", (const char *)NULL));
    }
    for (int32_t k = 0; k < nedges; k++) {
        edges[k].tsel = psel[edges[k].from];
        edges[k].hsel = edges[k].to != SM_NONE ? psel[edges[k].to]
                                               : m->regions[edges[k].to_region].id;
    }
    qsort(edges, (size_t)nedges, sizeof *edges, dedge_cmp);
    for (int32_t k = 0; k < nedges; k++) {
        const struct dedge *de = &edges[k];
        const struct flow *f = de->flow != SM_NONE ? &m->flows[de->flow] : NULL;
        int32_t rto = de->to != SM_NONE ? m->placements[de->to].region : de->to_region;
        struct dgn *h;
        struct dge *e;

        if (de->to != SM_NONE) {
            h = pnode[de->to];
        } else if (!(h = xnode[rto])) {
            h = xnode[rto] = dg_node(d, region_cluster(d, rto),
                                     dstr(d, "export:%s", dclean(d, m->regions[rto].id)));
            nset(d, h, NA_LABEL, "export target");
            nset(d, h, NA_SHAPE, "cds");
            d->st.nodes++;
        }
        e = dg_edge(d, d->g, pnode[de->from], h);
        style_edge(d, e, f ? &d->x.flow[de->flow] : &d->x.implicit[de->to],
                   cross_border(d, m->placements[de->from].region, rto), f,
                   f ? dclean(d, f->name) : dcat(d, de->tsel, " -> ", de->hsel, (const char *)NULL),
                   f ? OBJ_FLOW : OBJ_PLACEMENT, f ? de->flow : de->to);
    }
    legend_full(d);
    legend_marks(d, legend_cluster(d));
out:
    free(keep_ds);
    free(keep_p);
    free(edges);
    free(nodes);
    free(pnode);
    free(xnode);
    free(psel);
    return rc;
}

/* ---- the change diagram of a scenario ------------------------------------------------------ */

#define C_GREEN      "#1a7f37"
#define C_GREEN_FILL "#e6f4ea"
#define C_BLUE       "#1f5fbf"

enum { CH_NEW = 1, CH_RESOLVED = 2, CH_ADDED = 4, CH_MOVED = 8 };

struct chmark {
    uint8_t flags;
    const char *newr, *resr;    /* rule ids, arena */
};

static const char *
append_rule(struct dg *d, const char *have, const char *rule)
{
    if (!have || !*have)
        return dstr(d, "%s", rule);
    if (strstr(have, rule))
        return have;
    return dstr(d, "%s %s", have, rule);
}

/* The after-model object a finding is about, as (placement, flow). */
static void
finding_target(const struct model *fm, const struct model *am, const struct finding *f,
               int32_t *pl, int32_t *fl)
{
    int32_t id = SM_NONE;

    *pl = *fl = SM_NONE;
    if (f->kind != OBJ_PLACEMENT && f->kind != OBJ_FLOW && f->kind != OBJ_DATASET)
        return;
    /* The scenario's model is a clone of the catalog: an object of the
     * catalog keeps its id (a moved copy keeps it under a new selector).
     * Objects the before side added itself are matched by selector. */
    if (fm == am || (f->object >= 0 && f->object < fm->nplacements && f->kind == OBJ_PLACEMENT &&
                     f->object < am->nplacements) ||
        (f->kind == OBJ_FLOW && f->object >= 0 && f->object < am->nflows && f->object < fm->nflows) ||
        (f->kind == OBJ_DATASET && f->object >= 0 && f->object < am->ndatasets &&
         f->object < fm->ndatasets))
        id = f->object;
    else if (model_find(am, (enum obj_kind)f->kind, f->selector, &id, NULL) != SM_OK)
        return;
    if (f->kind == OBJ_PLACEMENT)
        *pl = id;
    else if (f->kind == OBJ_FLOW)
        *fl = id;
    else
        *pl = model_primary(am, id);
}

static void
legend_changes(struct dg *d)
{
    struct dgs *lg = legend_cluster(d);
    struct dgn *row = NULL, *n;

    n = legend_node(d, lg, "new violation\\nrule ids", "box", XS_VIOLATION);
    chain(d, lg, &row, n, n);
    n = legend_node(d, lg, "resolved\\nrule ids", "box", XS_OK);
    nset(d, n, NA_COLOR, C_GREEN);
    nset(d, n, NA_FILL, C_GREEN_FILL);
    nset(d, n, NA_FONTCOLOR, C_GREEN);
    chain(d, lg, &row, n, n);
    n = legend_node(d, lg, "added copy", "box", XS_OK);
    nset(d, n, NA_COLOR, C_BLUE);
    chain(d, lg, &row, n, n);
    n = legend_node(d, lg, "where a moved copy was", "box", XS_WAIVED);
    nset(d, n, NA_STYLE, "dashed");
    chain(d, lg, &row, n, n);
    row = NULL;
    legend_edge(d, lg, &row, "moved copy", "moved", C_BLUE, "dashed", "1.6", "normal");
    legend_edge(d, lg, &row, "flow with a new violation", "kind: RULE", C_RED, "bold", "2.5",
                "normal");
    legend_edge(d, lg, &row, "flow with a resolved finding", "kind: resolved RULE", C_GREEN,
                "solid", "2", "normal");
}

static struct dgn *
change_node(struct dg *d, struct dgn **pnode, int32_t p, const struct chmark *mk)
{
    const struct model *m = d->m;
    const struct placement *pl = &m->placements[p];
    size_t size;
    char *sel;
    struct dgn *n;

    if (pnode[p])
        return pnode[p];
    /* the node's id is the copy's selector, whole (in the diagram's arena,
     * sized as model_selector_dup does): two long names never meet */
    size = strlen(m->datasets[pl->dataset].name) + strlen(m->regions[pl->region].id) + 16;
    if ((sel = sm_arena_alloc(&d->a, size)))
        model_selector(m, OBJ_PLACEMENT, p, sel, size);
    n = pnode[p] = dg_node(d, region_cluster(d, pl->region), dclean(d, sel ? sel : ""));
    d->st.nodes++;
    d->ncopies++;
    nset(d, n, NA_LABEL, dstr(d, "%s\\n%s%s%s%s%s%s", dclean(d, m->datasets[pl->dataset].name),
                              role_names[pl->role],
                              mk->flags & CH_ADDED ? " (added)" : "",
                              mk->newr ? "\\nnew " : "", mk->newr ? dclean(d, mk->newr) : "",
                              mk->resr ? "\\nresolved " : "", mk->resr ? dclean(d, mk->resr) : ""));
    if (m->datasets[pl->dataset].tier != SM_NONE)
        nset(d, n, NA_SHAPE, tier_shapes[d->tier_shape[m->datasets[pl->dataset].tier]]);
    else
        nset(d, n, NA_SHAPE, SHAPE_UNCLASSIFIED);
    if (mk->flags & CH_NEW) {
        nset(d, n, NA_COLOR, C_RED);
        nset(d, n, NA_FILL, C_RED_FILL);
        nset(d, n, NA_FONTCOLOR, C_RED);
        nset(d, n, NA_PENWIDTH, "2.5");
    } else if (mk->flags & CH_RESOLVED) {
        nset(d, n, NA_COLOR, C_GREEN);
        nset(d, n, NA_FILL, C_GREEN_FILL);
        nset(d, n, NA_FONTCOLOR, C_GREEN);
        nset(d, n, NA_PENWIDTH, "2");
    } else if (mk->flags & CH_ADDED) {
        nset(d, n, NA_COLOR, C_BLUE);
    }
    return n;
}

int
export_changes(const struct scenario_change_set *cs, const struct export_opts *opts,
               const char *fmt, FILE *f, struct export_stats *stats, struct sm_error *err)
{
    struct export_opts defaults;
    const struct export_opts *o = opts;
    const struct model *am = cs->after->m, *bm = cs->before->m;
    const struct check_result *ra = cs->after->res, *rb = cs->before->res;
    const struct scenario_diff *df = cs->diff;
    struct chmark *pm = NULL, *fmk = NULL;
    struct dgn **pnode = NULL;
    struct dg d;
    char *title = NULL;
    int32_t nnew = 0, nres = 0, nmoved = 0;
    int rc;

    if (strcmp(fmt, "dot") && strcmp(fmt, "svg") && strcmp(fmt, "png") && strcmp(fmt, "pdf") &&
        strcmp(fmt, "mermaid") && strcmp(fmt, "agwrite"))
        return sm_error_set(err, SM_EINVAL, "the change diagram is a diagram: use dot, svg, "
                            "png or pdf, not %s", fmt);
    if (!o) {
        export_opts_init(&defaults);
        o = &defaults;
    }
    if (!(title = sm_strdupf("sovmap \xe2\x80\x94 what scenario %s changes", cs->after->name)))
        return sm_error_set(err, SM_ENOMEM, "diagram: out of memory");
    if ((rc = dg_init(&d, am, ra, o, fmt, title, err)))
        goto out;
    pm = calloc((size_t)am->nplacements + 1, sizeof *pm);
    fmk = calloc((size_t)am->nflows + 1, sizeof *fmk);
    pnode = calloc((size_t)am->nplacements + 1, sizeof *pnode);
    if (!pm || !fmk || !pnode) {
        rc = sm_error_set(err, SM_ENOMEM, "diagram: out of memory");
        goto out;
    }
    for (int32_t i = 0; i < df->nfindings; i++) {
        const struct sdiff_finding *sf = &df->findings[i];
        const struct finding *fd;
        bool isnew = sf->status == SDIFF_NEW;
        int32_t pl, fl;

        if (sf->status != SDIFF_NEW && sf->status != SDIFF_RESOLVED)
            continue;
        fd = isnew ? &ra->findings[sf->after] : &rb->findings[sf->before];
        if (fd->waived || fd->severity < SEV_WARNING)
            continue;
        finding_target(isnew ? am : bm, am, fd, &pl, &fl);
        if (isnew)
            nnew++;
        else
            nres++;
        if (pl >= 0 && pl < am->nplacements && !am->placements[pl].deleted) {
            pm[pl].flags |= isnew ? CH_NEW : CH_RESOLVED;
            if (isnew)
                pm[pl].newr = append_rule(&d, pm[pl].newr, fd->rule);
            else
                pm[pl].resr = append_rule(&d, pm[pl].resr, fd->rule);
        } else if (fl >= 0 && fl < am->nflows && !am->flows[fl].deleted) {
            fmk[fl].flags |= isnew ? CH_NEW : CH_RESOLVED;
            if (isnew)
                fmk[fl].newr = append_rule(&d, fmk[fl].newr, fd->rule);
            else
                fmk[fl].resr = append_rule(&d, fmk[fl].resr, fd->rule);
        }
    }
    for (int32_t i = 0; i < df->nchanges; i++) {
        const struct schange *c = &df->changes[i];
        if (c->obj != OBJ_PLACEMENT || c->after < 0 || c->after >= am->nplacements)
            continue;
        if (c->kind == SCHANGE_MOVED)
            pm[c->after].flags |= CH_MOVED;
        else if (c->kind == SCHANGE_ADDED)
            pm[c->after].flags |= CH_ADDED;
    }
    /* Nodes in selector order (change_node is idempotent). */
    for (int32_t p = 0; p < am->nplacements; p++)
        if (pm[p].flags && !am->placements[p].deleted)
            change_node(&d, pnode, p, &pm[p]);
    for (int32_t i = 0; i < df->nchanges; i++) {
        const struct schange *c = &df->changes[i];
        int32_t from;
        struct dgn *ghost;
        struct dge *e;

        if (c->kind != SCHANGE_MOVED || c->obj != OBJ_PLACEMENT || c->after < 0 ||
            c->after >= am->nplacements || c->from_region < 0 || c->from_region >= bm->nregions ||
            (from = model_region(am, bm->regions[c->from_region].id)) == SM_NONE)
            continue;
        ghost = dg_node(&d, region_cluster(&d, from), dstr(&d, "was:%s",
                        dclean(&d, c->old_selector ? c->old_selector : c->selector)));
        d.st.nodes++;
        nset(&d, ghost, NA_LABEL, dstr(&d, "%s\\nwas here",
                                       dclean(&d, am->datasets[am->placements[c->after].dataset].name)));
        nset(&d, ghost, NA_STYLE, "dashed");
        nset(&d, ghost, NA_COLOR, C_MUTED);
        nset(&d, ghost, NA_FONTCOLOR, "#5f6b76");
        e = dg_edge(&d, d.g, ghost, pnode[c->after]);
        d.st.edges++;
        nmoved++;
        eset(&d, e, EA_COLOR, C_BLUE);
        eset(&d, e, EA_FONTCOLOR, C_BLUE);
        eset(&d, e, EA_STYLE, "dashed");
        eset(&d, e, EA_PENWIDTH, "1.6");
        eset(&d, e, EA_XLABEL, "moved");
    }
    for (int32_t i = 0; i < am->nflows; i++) {
        const struct flow *fl = &am->flows[i];
        struct chmark none = { 0, NULL, NULL };
        struct dgn *a, *b;
        struct dge *e;
        bool isnew;

        if (!fmk[i].flags || fl->deleted || fl->to == SM_NONE)
            continue;
        isnew = fmk[i].flags & CH_NEW;
        a = change_node(&d, pnode, fl->from, pm[fl->from].flags ? &pm[fl->from] : &none);
        b = change_node(&d, pnode, fl->to, pm[fl->to].flags ? &pm[fl->to] : &none);
        e = dg_edge(&d, d.g, a, b);
        d.st.edges++;
        eset(&d, e, EA_COLOR, isnew ? C_RED : C_GREEN);
        eset(&d, e, EA_FONTCOLOR, isnew ? C_RED : C_GREEN);
        eset(&d, e, EA_PENWIDTH, isnew ? "2.5" : "2");
        eset(&d, e, EA_STYLE, isnew ? "bold" : "solid");
        eset(&d, e, EA_XLABEL, dstr(&d, "%s: %s%s", flow_kind_names[fl->kind],
                                    isnew ? "" : "resolved ",
                                    dclean(&d, isnew ? fmk[i].newr : fmk[i].resr)));
        d.st.red_edges += isnew;
    }
    legend_changes(&d);
    gset(&d, d.g, GA_LABEL, dstr(&d, "%s\\n%d new finding%s (red), %d resolved (green), "
                                 "%d cop%s moved (dashed)", title, (int)nnew, nnew == 1 ? "" : "s",
                                 (int)nres, (int)nmoved, nmoved == 1 ? "y" : "ies"));
    rc = render(&d, fmt, f, err);
out:
    if (stats)
        *stats = d.st;
    free(pm);
    free(fmk);
    free(pnode);
    dg_fini(&d);
    free(title);
    return rc;
}
