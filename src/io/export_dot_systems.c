/*
 * export_dot_systems.c - the systems view: per region one node per
 * (system, tier) with counts, edges aggregated per system pair, legible
 * from 1k to 1M datasets.
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

/* ---- the systems view -----------------------------------------------------------------------
 * Between the full view (a node per copy: unreadable past a few hundred
 * datasets) and the regions view (a node per region: who is involved is
 * lost): one node per (region, system, tier) with its copies counted,
 * edges summed per pair of such nodes, violations red with their counts and
 * rule ids. The node count is bounded by regions x systems x tiers, not by
 * datasets, so it stays legible from a thousand datasets to a million. */

struct snode {
    int32_t region;             /* SM_NONE: an export target outside the model */
    int32_t xregion;            /* for an export target: its region */
    const char *system;
    int32_t tier;
    int32_t roles[ROLE_COUNT];
    struct rcount c;
    const char *rules;          /* violating rule ids, arena */
    struct rcount fl;           /* flows from it to another row of its region */
    const char *fl_rules;
    struct dgn *n;
};

struct sedge {
    int32_t a, b;               /* regions */
    struct rcount c;
    const char *rules;
    const char *who;            /* violating system pairs, "crm -> billing, ..." */
    int32_t nwho;
};

struct sys {
    struct dg *d;
    struct snode *nodes;
    int32_t nnodes, cap_nodes;
    struct sedge *edges;
    int32_t nedges, cap_edges;
    struct sm_map nkeys, ekeys;
};

static const char *
add_rules(struct dg *d, const char *have, const char *rules)
{
    const char *out = have ? have : "";

    /* rules is "RES001 XFR002": add each id not there yet */
    for (const char *p = rules; p && *p;) {
        size_t n = strcspn(p, " ");
        char *id = sm_arena_strndup(&d->a, p, n);
        if (id && *id && !strstr(out, id))
            out = *out ? dstr(d, "%s %s", out, id) : id;
        p += n + (p[n] == ' ');
    }
    return out;
}

static void
count_state(struct dg *d, struct rcount *c, const char **rules, const struct xstatus *s)
{
    c->n++;
    if (s->state == XS_VIOLATION) {
        c->viol++;
        *rules = add_rules(d, *rules, s->rules);
    } else if (s->state == XS_WAIVED) {
        c->waived++;
    }
}

static int32_t
sys_node(struct sys *y, int32_t region, int32_t xregion, const char *system, int32_t tier)
{
    struct dg *d = y->d;
    const char *key = region != SM_NONE ? dstr(d, "%d|%d|%s", (int)region, (int)tier, system)
                                        : dstr(d, "x|%d", (int)xregion);
    int32_t k = sm_map_get(&y->nkeys, key);

    if (k != SM_NONE)
        return k;
    if (sm_grow((void **)&y->nodes, &y->cap_nodes, y->nnodes + 1, sizeof *y->nodes) ||
        sm_map_put(&y->nkeys, key, y->nnodes))
        return SM_NONE;
    memset(&y->nodes[y->nnodes], 0, sizeof *y->nodes);
    y->nodes[y->nnodes] = (struct snode){ .region = region, .xregion = xregion,
                                          .system = system, .tier = tier, .rules = "",
                                          .fl_rules = "" };
    return y->nnodes++;
}

/* Flows between regions are summed per region pair (one edge each, so the
 * layout stays as small as the regions view); the system pairs behind the
 * violating ones are named on the edge. */
static int
sys_edge(struct sys *y, int32_t a, int32_t b, const struct xstatus *s)
{
    struct dg *d = y->d;
    const struct snode *na = &y->nodes[a], *nb = &y->nodes[b];
    int32_t ra = na->region != SM_NONE ? na->region : na->xregion;
    int32_t rb = nb->region != SM_NONE ? nb->region : nb->xregion;
    const char *key = dstr(d, "%d>%d", (int)ra, (int)rb);
    int32_t k = sm_map_get(&y->ekeys, key);
    struct sedge *e;

    if (k == SM_NONE) {
        if (sm_grow((void **)&y->edges, &y->cap_edges, y->nedges + 1, sizeof *y->edges) ||
            sm_map_put(&y->ekeys, key, y->nedges))
            return SM_ENOMEM;
        y->edges[y->nedges] = (struct sedge){ ra, rb, { 0, 0, 0 }, "", "", 0 };
        k = y->nedges++;
    }
    e = &y->edges[k];
    count_state(d, &e->c, &e->rules, s);
    if (s->state == XS_VIOLATION) {
        const char *pair = dstr(d, "%s -> %s", *na->system ? na->system : "(no system)",
                                nb->region == SM_NONE ? "export"
                                : *nb->system ? nb->system : "(no system)");
        if (!strstr(e->who, pair)) {
            if (e->nwho < 3)
                e->who = *e->who ? dstr(d, "%s, %s", e->who, pair) : pair;
            else if (e->nwho == 3)
                e->who = dstr(d, "%s, ...", e->who);
            e->nwho++;
        }
    }
    return SM_OK;
}

static const struct model *snode_model;
static const char **snode_group;

static int
snode_cmp(const void *x, const void *y)
{
    const struct snode *a = x, *b = y;
    const struct model *m = snode_model;
    int ra = a->region != SM_NONE ? a->region : a->xregion;
    int rb = b->region != SM_NONE ? b->region : b->xregion;
    int c = strcmp(snode_group[ra], snode_group[rb]);

    if (c)
        return c;
    if ((c = strcmp(m->regions[ra].id, m->regions[rb].id)))
        return c;
    if ((a->region == SM_NONE) != (b->region == SM_NONE))
        return a->region == SM_NONE ? 1 : -1;
    if ((c = strcmp(a->system, b->system)))
        return c;
    {
        int32_t ka = a->tier != SM_NONE ? m->tiers[a->tier].rank : INT32_MIN;
        int32_t kb = b->tier != SM_NONE ? m->tiers[b->tier].rank : INT32_MIN;
        return ka != kb ? (ka > kb ? -1 : 1) : 0;
    }
}

static const int32_t *sedge_rank;

static int
sedge_cmp(const void *x, const void *y)
{
    const struct sedge *a = x, *b = y;
    int32_t pa = sedge_rank[a->a], pb = sedge_rank[b->a];

    if (pa != pb)
        return pa < pb ? -1 : 1;
    pa = sedge_rank[a->b];
    pb = sedge_rank[b->b];
    return pa < pb ? -1 : pa > pb;
}

static void
legend_systems(struct dg *d)
{
    struct dgs *lg = legend_cluster(d);
    struct dgn *row = NULL, *n;

    n = legend_node(d, lg, "region: a row per system and tier,\ncopies by role (P primary R replica "
                    "B backup\nD dr C cache A archive E edge)", "box", XS_OK);
    chain(d, lg, &row, n, n);
    n = legend_node(d, lg, "region with violations\n(the rows say which, with rule ids)", "box",
                    XS_VIOLATION);
    chain(d, lg, &row, n, n);
    row = NULL;
    legend_edge(d, lg, &row, "flows and replications", "count", C_EDGE, "solid", "1", "normal");
    legend_edge(d, lg, &row, "cross-border", "count", C_EDGE, "dashed", "1.4", "normal");
    legend_edge(d, lg, &row, "some violate", "count (violating: rules)", C_RED, "bold", "2.5",
                "normal");
}

int
build_systems(struct dg *d, struct sm_error *err)
{
    static const char role_letter[ROLE_COUNT + 1] = "PRBDCAE"; /* bounded: a letter per role */
    const struct model *m = d->m;
    const struct export_opts *o = d->o;
    struct sys y = { .d = d };
    uint8_t *keep_ds = calloc((size_t)m->ndatasets + 1, 1);
    int32_t *pnode = malloc(((size_t)m->nplacements + 1) * sizeof *pnode);
    int32_t *rank = NULL;
    int rc = SM_OK;

    sm_map_init(&y.nkeys);
    sm_map_init(&y.ekeys);
    if (!keep_ds || !pnode) {
        rc = sm_error_set(err, SM_ENOMEM, "diagram: out of memory");
        goto out;
    }
    if ((rc = kept_datasets(m, o, keep_ds, err)))
        goto out;
    for (int32_t i = 0; i < m->nplacements; i++) {
        const struct placement *p = &m->placements[i];
        const struct dataset *ds = &m->datasets[p->dataset];
        int32_t k;

        pnode[i] = SM_NONE;
        if (p->deleted || !keep_ds[p->dataset] || !region_passes(d, p->region))
            continue;
        region_group(d, p->region);
        if ((k = sys_node(&y, p->region, SM_NONE, ds->system ? ds->system : "", ds->tier)) ==
            SM_NONE)
            goto oom;
        pnode[i] = k;
        y.nodes[k].roles[p->role]++;
        count_state(d, &y.nodes[k].c, &y.nodes[k].rules, &d->x.placement[i]);
    }
    /* flows and implicit replications between the nodes of their ends */
    for (int32_t i = 0; i < m->nflows + m->nplacements; i++) {
        int32_t a, b, prim;
        const struct xstatus *s;

        if (i < m->nflows) {
            const struct flow *f = &m->flows[i];
            if (f->deleted || (a = pnode[f->from]) == SM_NONE)
                continue;
            if (f->to != SM_NONE) {
                b = pnode[f->to];
                if (b == SM_NONE)
                    continue;
            } else {
                if (f->to_region < 0 || !region_passes(d, f->to_region))
                    continue;
                region_group(d, f->to_region);
                if ((b = sys_node(&y, SM_NONE, f->to_region, "", SM_NONE)) == SM_NONE)
                    goto oom;
            }
            s = &d->x.flow[i];
        } else {
            int32_t pi = i - m->nflows;
            const struct placement *p = &m->placements[pi];
            if (p->deleted || p->role == ROLE_PRIMARY || d->x.has_inflow[pi] ||
                pnode[pi] == SM_NONE || (prim = model_primary(m, p->dataset)) == SM_NONE ||
                prim == pi || pnode[prim] == SM_NONE)
                continue;
            a = pnode[prim];
            b = pnode[pi];
            s = &d->x.implicit[pi];
        }
        if (a == b || (y.nodes[a].region != SM_NONE && y.nodes[a].region == y.nodes[b].region)) {
            /* within one region: counted on the source's row (Graphviz
             * cannot route an edge between two ports of one node) */
            count_state(d, &y.nodes[a].fl, &y.nodes[a].fl_rules, s);
            continue;
        }
        if (sys_edge(&y, a, b, s))
            goto oom;
    }
    /* deterministic order: nodes by jurisdiction, region, system, tier;
     * edges by the position of their regions' first rows */
    snode_model = m;
    snode_group = d->rgroup;
    if (y.nnodes > 1)
        qsort(y.nodes, (size_t)y.nnodes, sizeof *y.nodes, snode_cmp);
    if (!(rank = malloc(((size_t)m->nregions + 1) * sizeof *rank)))
        goto oom;
    for (int32_t k = y.nnodes - 1; k >= 0; k--)
        rank[y.nodes[k].region != SM_NONE ? y.nodes[k].region : y.nodes[k].xregion] = k;
    sedge_rank = rank;
    if (y.nedges > 1)     /* none: y.edges is NULL, which qsort may not take */
        qsort(y.edges, (size_t)y.nedges, sizeof *y.edges, sedge_cmp);
    /* one node per region: an HTML table with a row (and a port) per
     * (system, tier); the layout then has as many nodes as regions, so its
     * size does not grow with the datasets */
    {
        struct dgn **rnode = calloc((size_t)m->nregions + 1, sizeof *rnode);

        if (!rnode)
            goto oom;
        for (int32_t k = 0; k < y.nnodes;) {
            int32_t r = y.nodes[k].region != SM_NONE ? y.nodes[k].region : y.nodes[k].xregion;
            const struct region *rg = &m->regions[r];
            struct rcount tot = { 0, 0, 0 };
            char cc[3];         /* bounded: an ISO 3166 alpha-2 code (sm_cc_str) */
            const char *rows = "";
            int32_t j;
            int state;

            for (j = k; j < y.nnodes && (y.nodes[j].region != SM_NONE ? y.nodes[j].region
                                                                      : y.nodes[j].xregion) == r; j++) {
                struct snode *sn = &y.nodes[j];
                int st = sn->c.viol || sn->fl.viol ? XS_VIOLATION : sn->c.waived ? XS_WAIVED : XS_OK;
                const char *rl = "";    /* role letters and counts */

                tot.n += sn->c.n;
                tot.viol += sn->c.viol + sn->fl.viol;
                tot.waived += sn->c.waived;
                if (sn->region == SM_NONE) {
                    rows = dstr(d, "%s<TR><TD COLSPAN=\"3\" ALIGN=\"LEFT\"><I>recipients "
                                "(exports)</I></TD></TR>", rows);
                    continue;
                }
                for (int ro = 0; ro < ROLE_COUNT; ro++)
                    if (sn->roles[ro])
                        rl = dstr(d, "%s%s%c %s", rl, *rl ? " " : "", role_letter[ro],
                                  thousands(d, sn->roles[ro]));
                rows = dstr(d, "%s<TR><TD ALIGN=\"LEFT\"%s>%s%s%s</TD>"
                            "<TD ALIGN=\"LEFT\"%s>%s</TD><TD ALIGN=\"LEFT\"%s>%s%s%s%s</TD></TR>",
                            rows, st == XS_VIOLATION ? " BGCOLOR=\"" C_RED_FILL "\"" : "",
                            st == XS_VIOLATION ? "<FONT COLOR=\"" C_RED "\">" : "",
                            html_text(d, *sn->system ? sn->system : "(no system)"),
                            st == XS_VIOLATION ? "</FONT>" : "",
                            st == XS_VIOLATION ? " BGCOLOR=\"" C_RED_FILL "\"" : "",
                            html_text(d, sn->tier != SM_NONE ? m->tiers[sn->tier].name
                                                             : "unclassified"),
                            st == XS_VIOLATION ? " BGCOLOR=\"" C_RED_FILL "\"" : "", rl,
                            sn->c.viol ? "<BR/>" : "",
                            sn->c.viol ? dstr(d, "<FONT COLOR=\"" C_RED "\">%s violating: %s</FONT>",
                                              thousands(d, sn->c.viol), html_text(d, sn->rules))
                                       : "",
                            sn->fl.n ? dstr(d, "<BR/>%s in-region flow%s%s", thousands(d, sn->fl.n),
                                            sn->fl.n == 1 ? "" : "s",
                                            sn->fl.viol ? dstr(d, "<FONT COLOR=\"" C_RED "\"> (%s "
                                                               "violating: %s)</FONT>",
                                                               thousands(d, sn->fl.viol),
                                                               html_text(d, sn->fl_rules)) : "")
                                     : "");
            }
            state = tot.viol ? XS_VIOLATION : tot.waived ? XS_WAIVED : XS_OK;
            sm_cc_str(rg->country, cc);
            rnode[r] = dg_node(d, group_cluster(d, region_group(d, r)),
                               dstr(d, "region:%s", dclean(d, rg->id)));
            d->st.nodes++;
            nset_html(d, rnode[r], NA_LABEL,
                      dstr(d, "<TABLE BORDER=\"0\" CELLBORDER=\"1\" "
                           "CELLSPACING=\"0\" CELLPADDING=\"3\"><TR><TD COLSPAN=\"3\">"
                           "<B>%s</B> (%s)<BR/>%s %s</TD></TR>%s</TABLE>",
                           html_text(d, rg->id),
                           rg->global ? "any" : rg->country == SM_NONE ? "multi" : cc,
                           thousands(d, tot.n), tot.n == 1 ? "copy" : "copies", rows));
            nset(d, rnode[r], NA_SHAPE, "plaintext");
            nset(d, rnode[r], NA_COLOR, looks[state].color);
            /* the review pack's map has the region's column at #r-HEX */
            {
                const char *hex = "";
                for (const unsigned char *p = (const unsigned char *)rg->id; *p; p++)
                    hex = dstr(d, "%s%02x", hex, *p);
                dg_safeset(d, rnode[r], "URL", dstr(d, "#r-%s", hex), "");
            }
            k = j;
        }
        for (int32_t k = 0; k < y.nedges; k++) {
            const struct sedge *se = &y.edges[k];
            int32_t ra = se->a, rb = se->b;
            bool cross = cross_border(d, ra, rb);
            struct dge *e = dg_edge(d, d->g, rnode[ra], rnode[rb]);

            d->st.edges++;
            eset(d, e, EA_PENWIDTH, dstr(d, "%.1f", (se->c.viol ? 1.5 : 0.0) + 1.0 +
                                         log10((double)se->c.n)));
            eset(d, e, EA_STYLE, se->c.viol ? (cross ? "bold,dashed" : "bold")
                                            : cross ? "dashed" : "solid");
            if (se->c.viol) {
                eset(d, e, EA_COLOR, C_RED);
                eset(d, e, EA_FONTCOLOR, C_RED);
                eset(d, e, EA_XLABEL, dstr(d, "%s (%s violating: %s; %s)", thousands(d, se->c.n),
                                          thousands(d, se->c.viol), se->rules, dclean(d, se->who)));
                d->st.red_edges++;
            } else if (se->c.waived) {
                eset(d, e, EA_COLOR, C_MUTED);
                eset(d, e, EA_XLABEL, dstr(d, "%s (%s waived)", thousands(d, se->c.n),
                                          thousands(d, se->c.waived)));
            } else {
                eset(d, e, EA_XLABEL, thousands(d, se->c.n));
            }
        }
        free(rnode);
    }
    legend_systems(d);
    goto out;
oom:
    rc = sm_error_set(err, SM_ENOMEM, "diagram: out of memory");
out:
    free(keep_ds);
    free(pnode);
    free(rank);
    free(y.nodes);
    free(y.edges);
    sm_map_fini(&y.nkeys);
    sm_map_fini(&y.ekeys);
    return rc;
}
