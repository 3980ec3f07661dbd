/*
 * export_dot_regions.c - the region summary view: copies counted per
 * region, flows counted between regions, folded into jurisdictions when
 * there are too many region pairs.
 *
 * Moved out of export_dot.c; reads the model and the check result only.
 */
#include "export_dot_int.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- region summary --------------------------------------------------------------------------- */

const char *
thousands(struct dg *d, int64_t v)
{
    char raw[32], out[48];      /* bounded: an int64 in decimal, with a comma per 3 digits */
    int len, k = 0;

    len = snprintf(raw, sizeof raw, "%lld", (long long)v);
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = raw[i];
    }
    out[k] = '\0';
    return dstr(d, "%s", out);
}

static int
region_id_cmp(const void *a, const void *b, const struct model *m)
{
    return strcmp(m->regions[*(const int32_t *)a].id, m->regions[*(const int32_t *)b].id);
}

static const struct model *rsort_model;
static const char *const *rsort_group;
static int
region_order_cmp(const void *a, const void *b)
{
    int c = strcmp(rsort_group[*(const int32_t *)a], rsort_group[*(const int32_t *)b]);
    return c ? c : region_id_cmp(a, b, rsort_model);
}

static void
legend_regions(struct dg *d)
{
    struct dgs *lg = legend_cluster(d);
    struct dgn *row = NULL, *n;

    n = legend_node(d, lg, "region\ncopies by role\n(P primary R replica B backup\nD dr C cache "
                    "A archive E edge)", "box", XS_OK);
    chain(d, lg, &row, n, n);
    n = legend_node(d, lg, "region holding\nviolating copies", "box", XS_VIOLATION);
    chain(d, lg, &row, n, n);
    row = NULL;
    legend_edge(d, lg, &row, "flows, same country", "count", C_EDGE, "solid", "1", "normal");
    legend_edge(d, lg, &row, "flows, cross-border", "count", C_EDGE, "dashed", "1.4", "normal");
    legend_edge(d, lg, &row, "some flows violate", "count (violating)", C_RED, "bold", "2.5",
                "normal");
    legend_edge(d, lg, &row, "violations all waived", "count (waived)", C_MUTED, "solid", "1",
                "normal");
}

/* The most edges between jurisdictions drawn once the summary is folded. */
#define EXPORT_SUMMARY_EDGES 40
/* Region pairs drawn as edges before the summary folds regions into their
 * jurisdictions. Each edge's label is a numbered callout ("[12] 340") listed
 * in the legend's table, so labels that Graphviz places close together never
 * read as one ("1" and "1" as "11"); past a few hundred pairs the picture is
 * a hairball whatever the labels. */
#define EXPORT_REGION_PAIRS 300

struct gedge {
    int32_t a, b;
    struct rcount c;
};

static int
gedge_cmp(const void *x, const void *y)
{
    const struct gedge *p = x, *q = y;

    if (p->c.viol != q->c.viol)
        return p->c.viol > q->c.viol ? -1 : 1;
    if (p->c.n != q->c.n)
        return p->c.n > q->c.n ? -1 : 1;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return p->b < q->b ? -1 : p->b > q->b;
}

static void
legend_groups(struct dg *d)
{
    struct dgs *lg = legend_cluster(d);
    struct dgn *row = NULL, *n;

    n = legend_node(d, lg, "jurisdiction\\lits regions: copies\\l", "box", XS_OK);
    chain(d, lg, &row, n, n);
    n = legend_node(d, lg, "jurisdiction holding\\lviolating copies\\l", "box", XS_VIOLATION);
    chain(d, lg, &row, n, n);
    row = NULL;
    legend_edge(d, lg, &row, "flows and copies\nbetween jurisdictions", "count", C_EDGE,
                "dashed", "1.4", "normal");
    legend_edge(d, lg, &row, "some violate", "count (violating)", C_RED, "bold,dashed", "2.5",
                "normal");
    legend_edge(d, lg, &row, "violations all waived", "count (waived)", C_MUTED, "dashed", "1",
                "normal");
}

/* The summary of a model with too many region pairs to draw: one node per
 * jurisdiction listing its regions, one counted edge per jurisdiction pair
 * (the heaviest EXPORT_SUMMARY_EDGES; the rest are totalled in the title). */
static int
build_groups(struct dg *d, const int32_t *order, int32_t norder, const struct rcount *pair,
             const struct rcount *copies, const int32_t *inregion, struct sm_error *err)
{
    const struct model *m = d->m;
    int32_t nr = m->nregions, ng = 0, ne = 0;
    int32_t *gof = malloc(((size_t)nr + 1) * sizeof *gof);
    const char **gname = calloc((size_t)norder + 1, sizeof *gname);
    struct rcount *gpair = NULL, *gcopies = calloc((size_t)norder + 1, sizeof *gcopies);
    int32_t *ginside = calloc((size_t)norder + 1, sizeof *ginside);
    struct gedge *edges = NULL;
    struct dgn **gnode = calloc((size_t)norder + 1, sizeof *gnode);
    struct rcount rest = { 0, 0, 0 };
    int32_t nrest = 0;
    int rc = SM_OK;

    if (!gof || !gname || !gcopies || !ginside || !gnode)
        goto oom;
    /* order is sorted by group then region: groups come in runs. */
    for (int32_t k = 0; k < norder; k++) {
        const char *g = region_group(d, order[k]);
        if (!ng || strcmp(gname[ng - 1], g))
            gname[ng++] = g;
        gof[order[k]] = ng - 1;
    }
    if (!(gpair = calloc((size_t)ng * (size_t)ng + 1, sizeof *gpair)) ||
        !(edges = malloc(((size_t)ng * (size_t)ng + 1) * sizeof *edges)))
        goto oom;
    for (int32_t a = 0; a < norder; a++) {
        int32_t ra = order[a], ga = gof[ra];
        gcopies[ga].n += copies[ra].n;
        gcopies[ga].viol += copies[ra].viol;
        gcopies[ga].waived += copies[ra].waived;
        ginside[ga] += inregion[ra];
        for (int32_t b = 0; b < norder; b++) {
            const struct rcount *c = &pair[(size_t)ra * nr + order[b]];
            int32_t gb = gof[order[b]];
            if (!c->n)
                continue;
            if (ga == gb) {
                ginside[ga] += c->n;
                continue;
            }
            gpair[(size_t)ga * ng + gb].n += c->n;
            gpair[(size_t)ga * ng + gb].viol += c->viol;
            gpair[(size_t)ga * ng + gb].waived += c->waived;
        }
    }
    for (int32_t g = 0, k = 0; g < ng; g++) {
        struct sm_text label = { 0 };
        const char *glabel;
        int state = gcopies[g].viol ? XS_VIOLATION : gcopies[g].waived ? XS_WAIVED : XS_OK;

        glabel = export_group_label(d->o->juris, gname[g]);
        sm_text_set(&label, "%s\\l%s copies, %s violating\\l", dclean(d, glabel),
                    thousands(d, gcopies[g].n), thousands(d, gcopies[g].viol));
        if (ginside[g])
            sm_text_add(&label, "%s flows and copies within\\l", thousands(d, ginside[g]));
        for (; k < norder && gof[order[k]] == g; k++) {
            int32_t r = order[k];
            sm_text_add(&label, "  %s: %s%s%s\\l", dclean(d, m->regions[r].id),
                        thousands(d, copies[r].n), copies[r].viol ? ", violating " : "",
                        copies[r].viol ? thousands(d, copies[r].viol) : "");
        }
        if (label.oom) {
            free(label.s);
            rc = sm_error_set(err, SM_ENOMEM, "diagram: out of memory");
            goto out;
        }
        gnode[g] = dg_node(d, d->g, dstr(d, "jurisdiction:%s", dclean(d, gname[g])));
        d->st.nodes++;
        nset(d, gnode[g], NA_LABEL, sm_text_str(&label));
        free(label.s);
        nset(d, gnode[g], NA_SHAPE, "box");
        nset(d, gnode[g], NA_COLOR, looks[state].color);
        nset(d, gnode[g], NA_FILL, looks[state].fill);
        nset(d, gnode[g], NA_FONTCOLOR, looks[state].font);
        nset(d, gnode[g], NA_PENWIDTH, looks[state].penwidth);
    }
    for (int32_t a = 0; a < ng; a++)
        for (int32_t b = 0; b < ng; b++)
            if (gpair[(size_t)a * ng + b].n)
                edges[ne++] = (struct gedge){ a, b, gpair[(size_t)a * ng + b] };
    qsort(edges, (size_t)ne, sizeof *edges, gedge_cmp);
    for (int32_t k = 0; k < ne; k++) {
        const struct rcount *c = &edges[k].c;
        struct dge *e;

        if (k >= EXPORT_SUMMARY_EDGES) {
            rest.n += c->n;
            rest.viol += c->viol;
            nrest++;
            continue;
        }
        e = dg_edge(d, d->g, gnode[edges[k].a], gnode[edges[k].b]);
        d->st.edges++;
        eset(d, e, EA_PENWIDTH, dstr(d, "%.1f", (c->viol ? 1.5 : 0.0) + 1.0 + log10((double)c->n)));
        eset(d, e, EA_STYLE, c->viol ? "bold,dashed" : "dashed");
        if (c->viol) {
            eset(d, e, EA_COLOR, C_RED);
            eset(d, e, EA_FONTCOLOR, C_RED);
            eset(d, e, EA_LABEL, dstr(d, "%s (%s violating)", thousands(d, c->n),
                                      thousands(d, c->viol)));
            d->st.red_edges++;
        } else if (c->waived) {
            eset(d, e, EA_COLOR, C_MUTED);
            eset(d, e, EA_LABEL, dstr(d, "%s (%s waived)", thousands(d, c->n),
                                      thousands(d, c->waived)));
        } else {
            eset(d, e, EA_LABEL, thousands(d, c->n));
        }
    }
    d->summary_note = dstr(d, "%d regions in %d jurisdictions (too many region pairs to draw)%s",
                           (int)norder, (int)ng, nrest ? dstr(d, "; %d lighter jurisdiction pairs "
                           "not drawn: %s flows and copies, %s violating (see transfers-csv)",
                           (int)nrest, thousands(d, rest.n), thousands(d, rest.viol)) : "");
    legend_groups(d);
    goto out;
oom:
    rc = sm_error_set(err, SM_ENOMEM, "diagram: out of memory");
out:
    free(gof);
    free(gname);
    free(gpair);
    free(gcopies);
    free(ginside);
    free(edges);
    free(gnode);
    return rc;
}

int
build_regions(struct dg *d, struct sm_error *err)
{
    static const char role_letter[ROLE_COUNT + 1] = "PRBDCAE"; /* bounded: a letter per role */
    const struct model *m = d->m;
    const struct export_opts *o = d->o;
    int32_t nr = m->nregions;
    size_t nn = (size_t)nr * (size_t)nr;
    struct rcount *pair = calloc(nn + 1, sizeof *pair);
    int32_t (*roles)[ROLE_COUNT] = calloc((size_t)nr + 1, sizeof *roles);
    struct rcount *copies = calloc((size_t)nr + 1, sizeof *copies);
    int32_t *inregion = calloc((size_t)nr + 1, sizeof *inregion);
    uint8_t *keep_ds = calloc((size_t)m->ndatasets + 1, 1);
    int32_t *order = calloc((size_t)nr + 1, sizeof *order);
    struct dgn **rnode = calloc((size_t)nr + 1, sizeof *rnode);
    const char *rows = "";      /* the legend's callout table */
    int32_t norder = 0;
    int rc = SM_OK;

    if (!pair || !roles || !copies || !inregion || !keep_ds || !order || !rnode) {
        rc = sm_error_set(err, SM_ENOMEM, "diagram: out of memory (%d regions)", (int)nr);
        goto out;
    }
    if ((rc = kept_datasets(m, o, keep_ds, err)))
        goto out;
    for (int32_t i = 0; i < m->nplacements; i++) {
        const struct placement *p = &m->placements[i];
        struct xstatus s = d->x.placement[i];
        if (p->deleted || !keep_ds[p->dataset] || !region_passes(d, p->region))
            continue;
        roles[p->region][p->role]++;
        copies[p->region].n++;
        if (s.state == XS_VIOLATION)
            copies[p->region].viol++;
        else if (s.state == XS_WAIVED)
            copies[p->region].waived++;
    }
    for (int32_t i = 0; i < m->nflows + m->nplacements; i++) {
        int32_t ra, rb, prim;
        const struct xstatus *s;

        if (i < m->nflows) {
            const struct flow *f = &m->flows[i];
            if (f->deleted || !keep_ds[m->placements[f->from].dataset])
                continue;
            ra = m->placements[f->from].region;
            rb = f->to != SM_NONE ? m->placements[f->to].region : f->to_region;
            s = &d->x.flow[i];
        } else {
            int32_t pi = i - m->nflows;
            const struct placement *p = &m->placements[pi];
            if (p->deleted || p->role == ROLE_PRIMARY || d->x.has_inflow[pi] ||
                !keep_ds[p->dataset] || (prim = model_primary(m, p->dataset)) == SM_NONE ||
                prim == pi)
                continue;
            ra = m->placements[prim].region;
            rb = p->region;
            s = &d->x.implicit[pi];
        }
        if (!region_passes(d, ra) && !region_passes(d, rb))
            continue;
        if (ra == rb) {
            inregion[ra]++;
            continue;
        }
        pair[(size_t)ra * nr + rb].n++;
        if (s->state == XS_VIOLATION)
            pair[(size_t)ra * nr + rb].viol++;
        else if (s->state == XS_WAIVED)
            pair[(size_t)ra * nr + rb].waived++;
    }
    /* Regions drawn: those holding a copy or at either end of a flow. */
    for (int32_t r = 0; r < nr; r++) {
        bool used = copies[r].n > 0 || inregion[r] > 0;
        for (int32_t k = 0; k < nr && !used; k++)
            used = pair[(size_t)r * nr + k].n || pair[(size_t)k * nr + r].n;
        if (used) {
            order[norder++] = r;
            region_group(d, r);
        }
    }
    rsort_model = m;
    rsort_group = d->rgroup;
    qsort(order, (size_t)norder, sizeof *order, region_order_cmp);
    {
        int32_t npairs = 0;
        for (size_t k = 0; k < nn; k++)
            npairs += pair[k].n > 0;
        if (npairs > EXPORT_REGION_PAIRS) {
            rc = build_groups(d, order, norder, pair, copies, inregion, err);
            goto out;
        }
    }
    for (int32_t k = 0; k < norder; k++) {
        int32_t r = order[k];
        const struct region *rg = &m->regions[r];
        const char *rl = "";    /* role letters and counts */
        char cc[3];             /* bounded: an ISO 3166 alpha-2 code (sm_cc_str) */
        int state = copies[r].viol ? XS_VIOLATION : copies[r].waived ? XS_WAIVED : XS_OK;
        struct dgn *n;

        for (int ro = 0; ro < ROLE_COUNT; ro++)
            if (roles[r][ro])
                rl = dstr(d, "%s%s%c %s", rl, *rl ? "  " : "", role_letter[ro],
                          thousands(d, roles[r][ro]));
        sm_cc_str(rg->country, cc);
        n = dg_node(d, group_cluster(d, region_group(d, r)),
                    dstr(d, "region:%s", dclean(d, rg->id)));
        rnode[r] = n;
        d->st.nodes++;
        nset(d, n, NA_LABEL, dstr(d, "%s (%s)\\n%s %s%s%s%s%s%s%s", dclean(d, rg->id),
                                  rg->global ? "any" : rg->country == SM_NONE ? "multi" : cc,
                                  thousands(d, copies[r].n), copies[r].n == 1 ? "copy" : "copies",
                                  *rl ? "\\n" : "", rl,
                                  copies[r].viol ? "\\n" : "",
                                  copies[r].viol ? dstr(d, "%s violating", thousands(d, copies[r].viol)) : "",
                                  inregion[r] ? "\\n" : "",
                                  inregion[r] ? dstr(d, "%s in-region flow%s", thousands(d, inregion[r]),
                                                     inregion[r] == 1 ? "" : "s") : ""));
        nset(d, n, NA_SHAPE, "box");
        nset(d, n, NA_COLOR, looks[state].color);
        nset(d, n, NA_FILL, looks[state].fill);
        nset(d, n, NA_FONTCOLOR, looks[state].font);
        nset(d, n, NA_PENWIDTH, looks[state].penwidth);
    }
    for (int32_t a = 0; a < norder; a++)
        for (int32_t b = 0; b < norder; b++) {
            int32_t ra = order[a], rb = order[b];
            const struct rcount *c = &pair[(size_t)ra * nr + rb];
            bool cross = cross_border(d, ra, rb);
            const char *what;
            struct dge *e;

            if (!c->n)
                continue;
            e = dg_edge(d, d->g, rnode[ra], rnode[rb]);
            d->st.edges++;
            what = c->viol ? dstr(d, "%s (%s violating)", thousands(d, c->n), thousands(d, c->viol))
                 : c->waived ? dstr(d, "%s (%s waived)", thousands(d, c->n), thousands(d, c->waived))
                 : thousands(d, c->n);
            rows = dstr(d, "%s<TR><TD ALIGN=\"RIGHT\"><FONT COLOR=\"%s\">[%d]</FONT></TD>"
                        "<TD ALIGN=\"LEFT\">%s</TD><TD ALIGN=\"LEFT\">%s</TD>"
                        "<TD ALIGN=\"RIGHT\">%s</TD></TR>", rows,
                        c->viol ? C_RED : c->waived ? C_MUTED : "black", (int)d->st.edges,
                        html_text(d, m->regions[ra].id), html_text(d, m->regions[rb].id),
                        html_text(d, what));
            eset(d, e, EA_PENWIDTH, dstr(d, "%.1f", (c->viol ? 1.5 : 0.0) + 1.0 + log10((double)c->n)));
            eset(d, e, EA_STYLE, c->viol ? (cross ? "bold,dashed" : "bold") : cross ? "dashed" : "solid");
            /* one callout per edge: its number, then the counts */
            eset(d, e, EA_XLABEL, dstr(d, "[%d] %s", (int)d->st.edges, what));
            if (c->viol) {
                eset(d, e, EA_COLOR, C_RED);
                eset(d, e, EA_FONTCOLOR, C_RED);
                d->st.red_edges++;
            } else if (c->waived) {
                eset(d, e, EA_COLOR, C_MUTED);
            }
            eset(d, e, EA_TOOLTIP, dstr(d, "%s -> %s: %s flows and copies", dclean(d, m->regions[ra].id),
                                        dclean(d, m->regions[rb].id), thousands(d, c->n)));
        }
    legend_regions(d);
    if (*rows) {
        struct dgn *n = dg_node(d, legend_cluster(d), "legend:edges");

        d->st.legend_nodes++;
        nset_html(d, n, NA_LABEL, dstr(d, "<TABLE BORDER=\"0\" CELLBORDER=\"1\" "
                                       "CELLSPACING=\"0\" CELLPADDING=\"2\"><TR><TD>#</TD><TD>from</TD>"
                                       "<TD>to</TD><TD>flows and copies</TD></TR>%s</TABLE>", rows));
        nset(d, n, NA_SHAPE, "plaintext");
    }
out:
    free(pair);
    free(roles);
    free(copies);
    free(inregion);
    free(keep_ds);
    free(order);
    free(rnode);
    return rc;
}
