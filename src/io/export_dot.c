/*
 * export_dot.c - the data-flow diagram (DOT and Mermaid written by sovmap,
 * laid out by Graphviz cgraph + gvc in process): clusters per jurisdiction
 * group holding clusters per region,
 * placements as nodes, flows and implicit replications as edges, a legend;
 * the region summary (counts on regions, counted edges); the focus view.
 * This file holds the builder, the legend helpers and the entry point; the
 * views and the rendering live in export_dot_*.c (export_dot_int.h).
 *
 * Designed around dot's limits (doc/exports.md): only violating and waived
 * edges carry labels (the rest carry tooltips), the full view refuses
 * graphs above a measured size instead of hanging, and every layout is
 * checked: an error from Graphviz or an edge without a spline fails the
 * export rather than shipping a diagram that lost an edge.
 *
 * Reads the model and the check result only. Output is deterministic:
 * objects are created in name order and no time is written unless asked.
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

/* Tier shapes, most sensitive (highest rank) first; unclassified: note. */
const char *const tier_shapes[NSHAPES] = {
    "box", "ellipse", "hexagon", "octagon", "house", "parallelogram", "trapezium",
};

const struct state_look looks[3] = {
    [XS_OK]        = { C_OK,    "white",       "black",  "1" },
    [XS_WAIVED]    = { C_MUTED, C_MUTED_FILL,  "#5f6b76", "1" },
    [XS_VIOLATION] = { C_RED,   C_RED_FILL,    C_RED,    "2.5" },
};

/* A formatted string in the diagram's arena, whole (labels hold 10 KB
 * names and tables of any length: nothing is cut). */
const char *
dstr(struct dg *d, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = sm_arena_vprintf(&d->a, fmt, ap);
    va_end(ap);
    return s ? s : "";
}

/* The texts up to a NULL, one after the other, in the diagram's arena:
 * what dstr("%s%s...") makes, without printf (the full view makes four
 * such texts per copy). */
const char *
dcat(struct dg *d, ...)
{
    va_list ap;
    size_t n = 0;
    const char *s;
    char *out, *o;

    va_start(ap, d);
    while ((s = va_arg(ap, const char *)))
        n += strlen(s);
    va_end(ap);
    if (!(o = out = sm_arena_alloc(&d->a, n + 1)))
        return "";
    va_start(ap, d);
    while ((s = va_arg(ap, const char *))) {
        size_t k = strlen(s);
        memcpy(o, s, k);
        o += k;
    }
    va_end(ap);
    *o = '\0';
    return out;
}

/* Clean text for a Graphviz escString (labels, tooltips, ids). */
const char *
dclean(struct dg *d, const char *s)
{
    return xclean(&d->a, s, true);
}

/* Where html_text breaks a line, by byte of the cleaned text: the blank
 * becomes the break, or (a word longer than a line) the break goes before
 * the character. */
enum { BR_NONE, BR_BLANK, BR_BEFORE };

/* Marks the breaks of c in mark (one byte per byte of c), the way
 * wrap_label breaks a plain label: at the line's last blank once a line
 * passes LABEL_COLUMNS characters, inside a word only if it has none.
 * Returns the number of breaks. */
static size_t
html_breaks(const char *c, size_t n, unsigned char *mark)
{
    size_t col = 0, col_blank = 0, blank = SIZE_MAX, nbr = 0;

    memset(mark, BR_NONE, n);
    for (size_t i = 0; i < n; i++) {
        if (((unsigned char)c[i] & 0xc0) == 0x80)
            continue;                       /* a continuation byte: no column */
        if (col >= LABEL_COLUMNS) {
            nbr++;
            if (c[i] == ' ') {
                mark[i] = BR_BLANK;
                col = 0;
                blank = SIZE_MAX;
                continue;
            }
            if (blank != SIZE_MAX) {
                mark[blank] = BR_BLANK;
                col -= col_blank;
            } else {
                mark[i] = BR_BEFORE;
                col = 0;
            }
            blank = SIZE_MAX;
        }
        col++;
        if (c[i] == ' ') {
            blank = i;
            col_blank = col;
        }
    }
    return nbr;
}

/* Text for an HTML-like Graphviz label: clean UTF-8, & < > " escaped, a
 * line break (<BR/>) where a line passes LABEL_COLUMNS characters, at a
 * blank where the line has one, so words stay whole. */
const char *
html_text(struct dg *d, const char *s)
{
    const char *c = dclean(d, s);
    size_t len = strlen(c), n = 0, nbr;
    unsigned char *mark;
    char *out, *o;

    if (!(mark = sm_arena_alloc(&d->a, len + 1)))
        return "";
    nbr = html_breaks(c, len, mark);
    for (const char *p = c; *p; p++)
        n += *p == '&' ? 5 : *p == '<' || *p == '>' ? 4 : *p == '"' ? 6 : 1;
    if (!(o = out = sm_arena_alloc(&d->a, n + 5 * nbr + 1)))
        return "";
    for (size_t i = 0; i < len; i++) {
        const char *e = c[i] == '&' ? "&amp;" : c[i] == '<' ? "&lt;" : c[i] == '>' ? "&gt;"
                      : c[i] == '"' ? "&quot;" : NULL;
        if (mark[i] != BR_NONE) {
            memcpy(o, "<BR/>", 5);
            o += 5;
            if (mark[i] == BR_BLANK)
                continue;                   /* the blank goes */
        }
        if (e) {
            memcpy(o, e, strlen(e));
            o += strlen(e);
        } else {
            *o++ = c[i];
        }
    }
    *o = '\0';
    return out;
}

static void
declare(struct dg *d)
{
    static const char *const gn[GA_COUNT] = {
        "label", "color", "style", "fillcolor", "fontcolor", "tooltip"
    };
    static const char *const nn[NA_COUNT] = {
        "label", "shape", "color", "fillcolor", "fontcolor", "penwidth", "tooltip",
        "style", "width", "height"
    };
    static const char *const nd[NA_COUNT] = {
        "\\N", "box", C_OK, "white", "black", "1", "", "filled", "0.75", "0.5"
    };
    static const char *const en[EA_COUNT] = {
        "label", "xlabel", "color", "fontcolor", "style", "penwidth", "tooltip",
        "arrowhead", "weight"
    };
    static const char *const ed[EA_COUNT] = {
        "", "", C_EDGE, C_OK, "solid", "1", "", "normal", "1"
    };

    for (int i = 0; i < GA_COUNT; i++)
        d->ga[i] = dg_attr(d, DK_GRAPH, gn[i], "");
    for (int i = 0; i < NA_COUNT; i++)
        d->na[i] = dg_attr(d, DK_NODE, nn[i], nd[i]);
    for (int i = 0; i < EA_COUNT; i++)
        d->ea[i] = dg_attr(d, DK_EDGE, en[i], ed[i]);
    dg_attr(d, DK_NODE, "fontname", C_FONT);
    dg_attr(d, DK_NODE, "fontsize", "10");
    dg_attr(d, DK_NODE, "margin", "0.08,0.04");
    dg_attr(d, DK_EDGE, "fontname", C_FONT);
    dg_attr(d, DK_EDGE, "fontsize", "9");
    dg_attr(d, DK_EDGE, "arrowsize", "0.7");
    dg_attr(d, DK_GRAPH, "fontname", C_FONT);
    dg_attr(d, DK_GRAPH, "fontsize", "11");
    dg_attr(d, DK_GRAPH, "labeljust", "l");
    dg_attr(d, DK_GRAPH, "labelloc", "t");
    dg_attr(d, DK_GRAPH, "rankdir", "LR");
    dg_attr(d, DK_GRAPH, "nodesep", "0.18");
    dg_attr(d, DK_GRAPH, "ranksep", "0.55");
    dg_attr(d, DK_GRAPH, "outputorder", "edgesfirst");
    dg_attr(d, DK_GRAPH, "forcelabels", "true");
    dg_attr(d, DK_GRAPH, "pad", "0.2");
}

static const char *wrap_label(struct dg *d, const char *v);

void
gset(struct dg *d, struct dgs *sg, int a, const char *v)
{
    if (a == GA_LABEL)
        v = wrap_label(d, v);
    dg_set(d, DK_GRAPH, sg, d->ga[a], v, false);
}

/* Labels wrap at LABEL_COLUMNS characters: a 10 KB name stays whole (the
 * label holds every byte) but makes a tall node, not a page 50 m wide that
 * the size check would refuse. Escapes (\\n, \\\\) are never split. */

static const char *
wrap_label(struct dg *d, const char *v)
{
    size_t n = strlen(v), col = 0, at = 0, longest = 0, blank = SIZE_MAX, col_blank = 0;
    char *out;

    for (size_t i = 0; i < n; i++) {
        if (v[i] == '\\' && i + 1 < n) {
            col = v[i + 1] == 'n' || v[i + 1] == 'l' || v[i + 1] == 'r' ? 0 : col + 1;
            i++;
        } else if (v[i] == '\n') {
            col = 0;                /* a line break of the label itself */
        } else if (((unsigned char)v[i] & 0xc0) != 0x80) {
            col++;
        }
        if (col > longest)
            longest = col;
    }
    if (longest <= LABEL_COLUMNS)
        return v;
    /* a break at a blank adds one byte, one inside a word two */
    if (!(out = sm_arena_alloc(&d->a, 2 * n + 8)))
        return v;
    col = 0;
    for (size_t i = 0; i < n; i++) {
        bool esc = v[i] == '\\' && i + 1 < n;
        bool lead = ((unsigned char)v[i] & 0xc0) != 0x80;

        if ((esc || lead) && col >= LABEL_COLUMNS && v[i] != '\n' &&
            !(esc && (v[i + 1] == 'n' || v[i + 1] == 'l' || v[i + 1] == 'r'))) {
            if (v[i] == ' ') {
                /* the break falls on a blank: the blank goes */
                out[at++] = '\\';
                out[at++] = 'n';
                col = 0;
                blank = SIZE_MAX;
                continue;
            }
            if (blank != SIZE_MAX) {
                /* words stay whole: the line's last blank becomes the break */
                memmove(out + blank + 2, out + blank + 1, at - (blank + 1));
                out[blank] = '\\';
                out[blank + 1] = 'n';
                at++;
                col -= col_blank;
            } else {
                /* a word longer than a line is cut */
                out[at++] = '\\';
                out[at++] = 'n';
                col = 0;
            }
            blank = SIZE_MAX;
        }
        out[at++] = v[i];
        if (esc) {
            out[at++] = v[++i];
            if (v[i] == 'n' || v[i] == 'l' || v[i] == 'r') {
                col = 0;
                blank = SIZE_MAX;
            } else {
                col++;
            }
        } else if (v[i] == '\n') {
            col = 0;
            blank = SIZE_MAX;
        } else if (lead) {
            col++;
        }
        if (v[i] == ' ') {
            blank = at - 1;
            col_blank = col;
        }
    }
    out[at] = '\0';
    return out;
}

/* HTML-like labels (the legend tables) are set with nset_html, never
 * through here: they are not wrapped, and they are written in < > (before
 * 2026-12-07, asking cgraph's aghtmlstr of an arena text read the bytes
 * before it, so a CJK name was taken for HTML and never wrapped). */
void
nset(struct dg *d, struct dgn *n, int a, const char *v)
{
    if (a == NA_LABEL)
        v = wrap_label(d, v);
    dg_set(d, DK_NODE, n, d->na[a], v, false);
}

void
nset_html(struct dg *d, struct dgn *n, int a, const char *v)
{
    dg_set(d, DK_NODE, n, d->na[a], v, true);
}

void
eset(struct dg *d, struct dge *e, int a, const char *v)
{
    if (a == EA_LABEL || a == EA_XLABEL)
        v = wrap_label(d, v);
    dg_set(d, DK_EDGE, e, d->ea[a], v, false);
}

int
dg_init(struct dg *d, const struct model *m, const struct check_result *r,
        const struct export_opts *o, const char *fmt, const char *title,
        struct sm_error *err)
{
    int32_t *order, n = 0;
    int rc;

    memset(d, 0, sizeof *d);
    d->m = m;
    d->o = o;
    d->r = r;
    sm_arena_init(&d->a);
    if ((rc = xindex_build(m, r, &d->x, err)))
        return rc;
    d->rcluster = calloc((size_t)m->nregions + 1, sizeof *d->rcluster);
    d->rgroup = calloc((size_t)m->nregions + 1, sizeof *d->rgroup);
    d->rcountry = calloc((size_t)m->nregions + 1, sizeof *d->rcountry);
    d->gcluster = calloc((size_t)m->nregions + 2, sizeof *d->gcluster);
    d->gnames = calloc((size_t)m->nregions + 2, sizeof *d->gnames);
    d->tier_shape = calloc((size_t)m->ntiers + 1, 1);
    order = calloc((size_t)m->ntiers + 1, sizeof *order);
    if (!d->rcluster || !d->rgroup || !d->rcountry || !d->gcluster || !d->gnames || !d->tier_shape || !order) {
        free(order);
        return sm_error_set(err, SM_ENOMEM, "diagram: out of memory");
    }
    /* Shapes by rank, highest first; ties by name. */
    for (int32_t i = 0; i < m->ntiers; i++)
        if (!m->tiers[i].deleted)
            order[n++] = i;
    for (int32_t i = 1; i < n; i++)
        for (int32_t k = i; k > 0; k--) {
            const struct tier *a = &m->tiers[order[k - 1]], *b = &m->tiers[order[k]];
            if (a->rank > b->rank || (a->rank == b->rank && strcmp(a->name, b->name) <= 0))
                break;
            int32_t t = order[k]; order[k] = order[k - 1]; order[k - 1] = t;
        }
    for (int32_t i = 0; i < n; i++)
        d->tier_shape[order[i]] = (int8_t)(i < NSHAPES ? i : NSHAPES - 1);
    free(order);
    /* the calls are kept for Graphviz only when it lays the graph out */
    if (dg_graph_init(d, strcmp(fmt, "dot") && strcmp(fmt, "mermaid")))
        return sm_error_set(err, SM_ENOMEM, "diagram: out of memory");
    declare(d);
    gset(d, d->g, GA_LABEL, title);
    return SM_OK;
}

void
dg_fini(struct dg *d)
{
    dg_graph_fini(d);
    free(d->rcluster);
    free(d->rgroup);
    free(d->rcountry);
    free(d->gcluster);
    free(d->gnames);
    free(d->tier_shape);
    free(d->ds_drawn);
    free(d->marks);
    xindex_fini(&d->x);
    sm_arena_fini(&d->a);
}

const char *
region_group(struct dg *d, int32_t region)
{
    if (!d->rgroup[region])
        d->rgroup[region] = export_region_group(d->o->juris, d->m, region);
    return d->rgroup[region];
}

struct dgs *
group_cluster(struct dg *d, const char *group)
{
    const char *label;
    struct dgs *sg;
    int32_t i;

    for (i = 0; i < d->ngroups; i++)
        if (!strcmp(d->gnames[i], group))
            return d->gcluster[i];
    label = export_group_label(d->o->juris, group);
    sg = dg_subg(d, d->g, dstr(d, "cluster_j:%s", dclean(d, group)), true);
    gset(d, sg, GA_LABEL, dclean(d, label));
    gset(d, sg, GA_STYLE, "rounded");
    gset(d, sg, GA_COLOR, "#6c7a89");
    gset(d, sg, GA_FONTCOLOR, "#2c3e50");
    d->gnames[d->ngroups] = group;
    d->gcluster[d->ngroups++] = sg;
    d->st.clusters++;
    return sg;
}

struct dgs *
region_cluster(struct dg *d, int32_t region)
{
    const struct region *rg = &d->m->regions[region];
    struct dgs *parent, *sg;
    char cc[3];    /* bounded: an ISO 3166 alpha-2 code (sm_cc_str) */

    if (d->rcluster[region])
        return d->rcluster[region];
    parent = group_cluster(d, region_group(d, region));
    sg = dg_subg(d, parent, dstr(d, "cluster_r:%s", dclean(d, rg->id)), true);
    sm_cc_str(rg->country, cc);
    if (rg->global)
        gset(d, sg, GA_LABEL, dstr(d, "%s\\nany country", dclean(d, rg->id)));
    else if (rg->country == SM_NONE)
        gset(d, sg, GA_LABEL, dstr(d, "%s\\nmulti-region", dclean(d, rg->id)));
    else
        gset(d, sg, GA_LABEL, dstr(d, "%s\\n%s%s%s", dclean(d, rg->id),
                                   *rg->city ? dclean(d, rg->city) : "",
                                   *rg->city ? ", " : "", cc));
    gset(d, sg, GA_STYLE, "filled");
    gset(d, sg, GA_FILL, "#f7f9fb");
    gset(d, sg, GA_COLOR, "#b8c2cc");
    d->rcluster[region] = sg;
    d->st.clusters++;
    return sg;
}

/* A region's one country, or SM_NONE for a global region or one over
 * several countries (or none); kept per region (xregion_countries walks a
 * 676-bit set: per edge it was a tenth of the full view's time). */
static int32_t
region_country(struct dg *d, int32_t r)
{
    struct sm_ccset s;
    bool global;

    if (!d->rcountry[r]) {
        xregion_countries(d->m, r, &s, &global);
        d->rcountry[r] = 2 + (!global && sm_ccset_count(&s) == 1 ? sm_ccset_next(&s, 0)
                                                                  : SM_NONE);
    }
    return d->rcountry[r] - 2;
}

/* Two regions in different countries (or a multi-region/global on either
 * side that is not the same single country). */
bool
cross_border(struct dg *d, int32_t ra, int32_t rb)
{
    int32_t ca;

    if (ra == rb)
        return false;
    ca = region_country(d, ra);
    return ca == SM_NONE || ca != region_country(d, rb);
}

/* ---- legend ------------------------------------------------------------------------------ */

struct dgn *
legend_node(struct dg *d, struct dgs *lg, const char *label, const char *shape, int state)
{
    struct dgn *n = dg_node(d, lg, dstr(d, "legend:%d", d->st.legend_nodes));

    nset(d, n, NA_LABEL, label);
    nset(d, n, NA_SHAPE, shape);
    nset(d, n, NA_COLOR, looks[state].color);
    nset(d, n, NA_FILL, looks[state].fill);
    nset(d, n, NA_FONTCOLOR, looks[state].font);
    nset(d, n, NA_PENWIDTH, looks[state].penwidth);
    d->st.legend_nodes++;
    return n;
}

/* Legend entries are chained by invisible edges so that, with rankdir=LR,
 * each row runs left to right instead of stacking down the page. */
void
chain(struct dg *d, struct dgs *lg, struct dgn **prev, struct dgn *first, struct dgn *last)
{
    if (*prev) {
        struct dge *e = dg_edge(d, lg, *prev, first);
        eset(d, e, EA_STYLE, "invis");
    }
    *prev = last;
}

void
legend_edge(struct dg *d, struct dgs *lg, struct dgn **prev, const char *what, const char *label,
            const char *color, const char *style, const char *pen, const char *arrow)
{
    struct dgn *a = legend_node(d, lg, what, "plaintext", XS_OK);
    struct dgn *b = legend_node(d, lg, "", "point", XS_OK);
    struct dge *e = dg_edge(d, lg, a, b);

    nset(d, a, NA_STYLE, "");
    nset(d, b, NA_WIDTH, "0.06");
    eset(d, e, EA_LABEL, label);
    eset(d, e, EA_COLOR, color);
    eset(d, e, EA_FONTCOLOR, color);
    eset(d, e, EA_STYLE, style);
    eset(d, e, EA_PENWIDTH, pen);
    eset(d, e, EA_ARROWHEAD, arrow);
    d->st.legend_edges++;
    chain(d, lg, prev, a, b);
}

struct dgs *
legend_cluster(struct dg *d)
{
    struct dgs *lg = dg_subg(d, d->g, "cluster_legend", true);

    gset(d, lg, GA_LABEL, "Legend");
    gset(d, lg, GA_STYLE, "rounded");
    gset(d, lg, GA_COLOR, "#6c7a89");
    return lg;
}

void
legend_full(struct dg *d)
{
    struct dgs *lg = legend_cluster(d);
    const struct model *m = d->m;
    struct dgn *row = NULL, *n;

    /* Row 1: tiers by shape, then what colour means. */
    for (int s = 0; s < NSHAPES; s++)
        for (int32_t t = 0; t < m->ntiers; t++)
            if (!m->tiers[t].deleted && d->tier_shape[t] == s) {
                n = legend_node(d, lg, dstr(d, "tier %s", dclean(d, m->tiers[t].name)),
                                tier_shapes[s], XS_OK);
                chain(d, lg, &row, n, n);
            }
    if (d->any_unclassified) {
        n = legend_node(d, lg, "no tier (unclassified)", SHAPE_UNCLASSIFIED, XS_OK);
        chain(d, lg, &row, n, n);
    }
    n = legend_node(d, lg, "copy: dataset\nrole", "box", XS_OK);
    chain(d, lg, &row, n, n);
    n = legend_node(d, lg, "violation\nrule ids", "box", XS_VIOLATION);
    chain(d, lg, &row, n, n);
    n = legend_node(d, lg, "waived\nrule ids", "box", XS_WAIVED);
    chain(d, lg, &row, n, n);
    n = legend_node(d, lg, "export target\n(region)", "cds", XS_OK);
    chain(d, lg, &row, n, n);
    /* Row 2: edges. */
    row = NULL;
    legend_edge(d, lg, &row, "flow, same country", "", C_EDGE, "solid", "1", "normal");
    legend_edge(d, lg, &row, "flow, cross-border", "", C_EDGE, "dashed", "1.4", "normal");
    legend_edge(d, lg, &row, "implicit replication\n(copy, no flow declared)", "", C_EDGE,
                "solid", "1", "empty");
    legend_edge(d, lg, &row, "violation", "kind: RULE", C_RED, "bold", "2.5", "normal");
    legend_edge(d, lg, &row, "waived finding", "kind: waived RULE", C_MUTED, "solid", "1",
                "normal");
}

/* ---- entry point ------------------------------------------------------------------------------ */

int
export_diagram(const struct model *m, const struct check_result *r,
               const struct export_opts *opts, const char *fmt, FILE *f,
               struct export_stats *stats, struct sm_error *err)
{
    struct export_opts defaults;
    const struct export_opts *o = opts;
    struct dg d;
    int32_t focus = SM_NONE, limit;
    int32_t nviol = 0;
    char title[512], day[11];    /* bounded: fixed words, a view name and a date */
    bool layout = strcmp(fmt, "dot") && strcmp(fmt, "mermaid") && strcmp(fmt, "agwrite");
    int rc;

    if (strcmp(fmt, "dot") && strcmp(fmt, "svg") && strcmp(fmt, "png") && strcmp(fmt, "pdf") &&
        strcmp(fmt, "mermaid") && strcmp(fmt, "agwrite"))
        return sm_error_set(err, SM_EINVAL, "unknown diagram format %s", fmt);
    if (!o) {
        export_opts_init(&defaults);
        o = &defaults;
    }
    if (o->view == EXPORT_VIEW_FOCUS) {
        if (!o->focus || !*o->focus)
            return sm_error_set(err, SM_EUSAGE, "--view focus needs --focus DATASET");
        if ((rc = model_find(m, OBJ_DATASET, o->focus, &focus, err)))
            return rc;
        if (o->hops < 0)
            return sm_error_set(err, SM_EUSAGE, "--hops must be 0 or more");
    }
    snprintf(title, sizeof title, "sovmap data flows \xe2\x80\x94 %s view%s%s",
             export_view_names[o->view], o->stamp ? ", generated " : "",
             o->stamp ? (sm_date_fmt(o->today, day), day) : "");
    if ((rc = dg_init(&d, m, r, o, fmt, title, err)))
        goto out;
    if (o->view == EXPORT_VIEW_REGIONS)
        rc = build_regions(&d, err);
    else if (o->view == EXPORT_VIEW_SYSTEMS)
        rc = build_systems(&d, err);
    else
        rc = build_full(&d, focus, err);
    if (rc)
        goto out;
    /* the live findings of what the diagram shows (a focus or filtered view
     * does not count the whole catalog's) */
    for (int32_t i = 0; r && i < r->nfindings; i++) {
        const struct finding *fd = &r->findings[i];
        if (!fd->waived && fd->severity >= SEV_WARNING &&
            (!d.ds_drawn || (fd->dataset >= 0 && fd->dataset < m->ndatasets &&
                             d.ds_drawn[fd->dataset])))
            nviol++;
    }
    {
        const char *t = d.summary_note
                      ? dstr(&d, "%s\\n%s; %d drawn red; %s live findings", title, d.summary_note,
                             (int)d.st.red_edges, thousands(&d, nviol))
                      : dstr(&d, o->view == EXPORT_VIEW_REGIONS
                             ? "%s\\n%d regions, %d counted edges, %d drawn red; %s live findings"
                             : o->view == EXPORT_VIEW_SYSTEMS
                             ? "%s\\n%d regions (a row per system and tier), %d counted edges, %d drawn red; %s live findings"
                             : "%s\\n%d copies, %d edges, %d drawn red; %s live findings",
                             title, (int)(o->view != EXPORT_VIEW_FULL && o->view != EXPORT_VIEW_FOCUS
                                          ? d.st.nodes : d.ncopies),
                             (int)d.st.edges, (int)d.st.red_edges, thousands(&d, nviol));
        gset(&d, d.g, GA_LABEL, t);
    }
    limit = o->layout_limit > 0 ? o->layout_limit : EXPORT_LAYOUT_LIMIT;
    if (layout && (o->view == EXPORT_VIEW_FULL || o->view == EXPORT_VIEW_FOCUS) &&
        d.st.nodes + d.st.edges > limit) {
        /* edges, not flows: implicit replications between a dataset's
         * copies are edges too (100,000 copies and no flow is not "100000
         * flows") */
        rc = sm_error_set(err, SM_ELIMIT, "%s: %d copies and %d edges are more than dot lays "
                          "out in reasonable time (limit %d); use --view systems, --view regions, --view focus "
                          "or a filter (--tier, --system, --jurisdiction)", fmt,
                          (int)d.st.nodes, (int)d.st.edges, (int)limit);
        goto out;
    }
    rc = render(&d, fmt, f, err);
out:
    if (stats)
        *stats = d.st;
    if (o->stats)
        *o->stats = d.st;
    dg_fini(&d);
    return rc;
}

/* Graphviz 2.43 leaks inside dot's cluster layout, its plugin and font
 * caches (no frame of ours on those stacks). Every binary that renders a
 * diagram links this file: keep LeakSanitizer (SANITIZE=1 builds) to our
 * own allocations. Read only by sanitizer runtimes; valgrind users have
 * tests/valgrind-graphviz.supp. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
    return "leak:libgvc.so\nleak:libgvplugin_\nleak:libcgraph.so\nleak:libfontconfig.so\n"
           "leak:libpango\nleak:libcairo.so\nleak:libglib\n";
}
