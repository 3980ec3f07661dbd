/*
 * test_export_dot.c - the data-flow diagram: DOT parsed back with cgraph
 * (clusters, nodes, edges, exactly which edges are red), `dot` accepts
 * every file, SVGs of synthetic models of 100, 1,000 and 10,000 flows keep
 * every edge (or the export says plainly it cannot and points to the
 * region view), region and focus views, filters, determinism, hostile
 * names.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <graphviz/cgraph.h>

#include "check.h"
#include "export.h"
#include "model_json.h"
#include "refdata.h"
#include "scenario.h"

/* ---- fixtures ------------------------------------------------------------------- */

/* orders (restricted, EU) in IE with an undeclared replica in the US and an
 * export to the US; an in-EEA etl to analytics (DE); an anonymized etl to
 * a public report in the US. Red: the implicit replication into the US
 * replica and the export; grey: the two etl flows. */
static struct model *
known_model(void)
{
    struct model *m = tl_small_model();
    int32_t orders = tl_add_dataset(m, "orders", "restricted", "EU", "shop");
    int32_t an = tl_add_dataset(m, "analytics", "restricted", "EU", "bi");
    int32_t rep = tl_add_dataset(m, "report", "public", NULL, "bi");
    int32_t op, ap, rp;

    assert_int_equal(model_add_field(m, orders, "email", NULL, NULL), SM_OK);
    assert_int_equal(model_add_tag(m, orders, model_field(m, orders, "email"), "pii.email",
                                   "", "", "", NULL, NULL), SM_OK);
    op = tl_add_copy(m, orders, "aws:eu-west-1", ROLE_PRIMARY, NULL);
    tl_add_copy(m, orders, "aws:us-east-1", ROLE_REPLICA, NULL);
    ap = tl_add_copy(m, an, "aws:eu-central-1", ROLE_PRIMARY, NULL);
    rp = tl_add_copy(m, rep, "aws:us-east-1", ROLE_PRIMARY, NULL);
    tl_add_flow(m, "orders-to-analytics", op, ap, SM_NONE, FLOW_ETL, NULL, NULL);
    tl_add_flow(m, "analytics-to-report", ap, rp, SM_NONE, FLOW_ETL, "anonymize", NULL);
    tl_add_flow(m, "orders-export", op, SM_NONE, model_region(m, "aws:us-east-1"), FLOW_EXPORT,
                NULL, NULL);
    return m;
}

static struct export_juris *
juris(void)
{
    struct export_juris *j;
    SM_ERROR(e);

    assert_int_equal(export_juris_load(tl_datadir(), &j, &e), SM_OK);
    return j;
}

/* A model, its check result and the diagram options with the jurisdictions:
 * what most tests export. */
struct fixture {
    struct model *m;
    struct check_result *r;
    struct export_juris *j;
    struct export_opts o;
    struct export_stats st;
    struct sm_error e;
};

/* Takes m. */
static void
fixture_init(struct fixture *fx, struct model *m)
{
    memset(fx, 0, sizeof *fx);
    fx->m = m;
    fx->r = tl_check(m);
    fx->j = juris();
    export_opts_init(&fx->o);
    fx->o.juris = fx->j;
}

static void
fixture_fini(struct fixture *fx)
{
    export_juris_free(fx->j);
    check_result_free(fx->r);
    model_free(fx->m);
    sm_error_fini(&fx->e);
}

/* Run the exporter into a memory buffer. */
static char *
run(const struct model *m, const struct check_result *r, const struct export_opts *o,
    const char *fmt, int want, struct export_stats *st, struct sm_error *e)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int rc;

    assert_non_null(f);
    rc = export_diagram(m, r, o, fmt, f, st, e);
    fclose(f);
    if (rc != want)
        fail_msg("export_diagram %s: rc %d want %d: %s", fmt, rc, want, e->msg);
    return buf;
}

/* The fixture's model exported in fmt with its options: must succeed. */
static char *
fixture_run(struct fixture *fx, const char *fmt)
{
    return run(fx->m, fx->r, &fx->o, fmt, SM_OK, &fx->st, &fx->e);
}

static int
count(const char *hay, const char *needle)
{
    int n = 0;

    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* `dot -Tsvg` must accept the file. */
static void
dot_accepts(const char *text)
{
    const char *path = tl_path(tl_tmpdir(), "g.dot");
    char cmd[512];
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "dot -Tsvg '%s' >/dev/null 2>&1", path);
    assert_int_equal(system(cmd), 0);
}

struct parsed {
    int clusters, nodes, edges, red;
    char red_names[16][256];
};

static void
walk_clusters(Agraph_t *g, int *n)
{
    for (Agraph_t *s = agfstsubg(g); s; s = agnxtsubg(s)) {
        if (!strncmp(agnameof(s), "cluster_j:", 10) || !strncmp(agnameof(s), "cluster_r:", 10))
            (*n)++;
        walk_clusters(s, n);
    }
}

static struct parsed
parse(const char *dot)
{
    struct parsed p;
    Agraph_t *g = agmemread(dot);

    memset(&p, 0, sizeof p);
    assert_non_null(g);
    walk_clusters(g, &p.clusters);
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n)) {
        if (!strncmp(agnameof(n), "legend:", 7))
            continue;
        p.nodes++;
        for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e)) {
            const char *c = agget(e, "color");
            p.edges++;
            if (c && !strcmp(c, "#d00000")) {
                if (p.red < 16)
                    snprintf(p.red_names[p.red], sizeof p.red_names[0], "%s -> %s",
                             agnameof(agtail(e)), agnameof(aghead(e)));
                p.red++;
            }
        }
    }
    agclose(g);
    qsort(p.red_names, (size_t)(p.red < 16 ? p.red : 16), sizeof p.red_names[0],
          (int (*)(const void *, const void *))strcmp);
    return p;
}

/* ---- tests ---------------------------------------------------------------------- */

static void
test_known_model_dot(void **state)
{
    struct fixture fx;
    struct parsed p;
    char *dot;

    (void)state;
    fixture_init(&fx, known_model());
    dot = fixture_run(&fx, "dot");
    dot_accepts(dot);
    p = parse(dot);
    /* EEA and US groups; regions eu-west-1, eu-central-1, us-east-1. */
    assert_int_equal(p.clusters, 5);
    assert_int_equal(fx.st.clusters, 5);
    /* 4 copies + 1 export target; 3 flows + 1 implicit replication. */
    assert_int_equal(p.nodes, 5);
    assert_int_equal(p.edges, 4);
    assert_int_equal(fx.st.edges, 4);
    assert_int_equal(p.red, 2);
    assert_int_equal(fx.st.red_edges, 2);
    assert_string_equal(p.red_names[0], "orders@aws:eu-west-1 -> export:aws:us-east-1");
    assert_string_equal(p.red_names[1], "orders@aws:eu-west-1 -> orders@aws:us-east-1");
    /* Clusters named for the jurisdiction, labels with the rule ids. */
    assert_non_null(strstr(dot, "cluster_j:EEA"));
    assert_non_null(strstr(dot, "EEA \xe2\x80\x94 EU GDPR"));
    assert_non_null(strstr(dot, "XFR002"));
    assert_non_null(strstr(dot, "cluster_legend"));
    free(dot);
    fixture_fini(&fx);
}

/* The red edges of the diagram are exactly the flows and copies the checker
 * reports transfers or findings on. */
static void
test_red_edges_match_check(void **state)
{
    struct model *m = known_model();
    struct check_result *r = tl_check(m);
    struct export_stats st;
    SM_ERROR(e);
    char *dot;
    int32_t flows_bad = 0, implicit_bad = 0;

    (void)state;
    for (int32_t i = 0; i < r->nfindings; i++) {
        const struct finding *f = &r->findings[i];
        if (f->waived || f->severity < SEV_WARNING)
            continue;
        if (f->kind == OBJ_FLOW)
            flows_bad |= 1 << f->object;
    }
    for (int32_t i = 0; i < r->ntransfers; i++) {
        if (r->transfers[i].status != XFER_VIOLATION)
            continue;
        if (r->transfers[i].flow != SM_NONE)
            flows_bad |= 1 << r->transfers[i].flow;
        else
            implicit_bad |= 1 << r->transfers[i].placement;
    }
    dot = run(m, r, NULL, "dot", SM_OK, &st, &e);
    assert_int_equal(st.red_edges, __builtin_popcount((unsigned)flows_bad) +
                                   __builtin_popcount((unsigned)implicit_bad));
    free(dot);
    check_result_free(r);
    model_free(m);
}

static void
test_known_model_svg(void **state)
{
    struct model *m = known_model();
    struct check_result *r = tl_check(m);
    struct export_stats st;
    SM_ERROR(e);
    char *svg;

    (void)state;
    svg = run(m, r, NULL, "svg", SM_OK, &st, &e);
    assert_int_equal(st.laid_out, 1);
    assert_int_equal(count(svg, "<g id=\"edge"), st.edges + st.legend_edges);
    assert_int_equal(count(svg, "<g id=\"node"), st.nodes + st.legend_nodes);
    assert_true(count(svg, "stroke=\"#d00000\"") >= 2);
    assert_null(strstr(svg, "Error"));
    free(svg);
    check_result_free(r);
    model_free(m);
}

static void
test_deterministic(void **state)
{
    struct model *m = known_model(), *m2;
    struct check_result *r = tl_check(m), *r2;
    SM_ERROR(e);
    char *a, *b;

    (void)state;
    a = run(m, r, NULL, "dot", SM_OK, NULL, &e);
    b = run(m, r, NULL, "dot", SM_OK, NULL, &e);
    assert_string_equal(a, b);
    free(b);
    /* A clone (same objects) gives the same bytes. */
    assert_int_equal(model_clone(m, &m2), SM_OK);
    r2 = tl_check(m2);
    b = run(m2, r2, NULL, "dot", SM_OK, NULL, &e);
    assert_string_equal(a, b);
    free(a);
    free(b);
    a = run(m, r, NULL, "svg", SM_OK, NULL, &e);
    b = run(m, r, NULL, "svg", SM_OK, NULL, &e);
    assert_string_equal(a, b);
    assert_null(strstr(a, "generated"));
    free(a);
    free(b);
    check_result_free(r2);
    model_free(m2);
    check_result_free(r);
    model_free(m);
}

/* ---- synthetic models ---------------------------------------------------------------- */

static const char *const regions12[] = {
    "aws:eu-west-1", "aws:eu-central-1", "aws:us-east-1", "aws:eu-west-3", "aws:eu-north-1",
    "aws:us-west-2", "aws:ap-northeast-1", "aws:eu-west-2", "aws:ca-central-1",
    "aws:sa-east-1", "aws:ap-southeast-2", "aws:eu-south-1",
};

static uint32_t
lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

/* n datasets spread over 12 regions (3 tiers, 5 systems), nflows etl flows
 * between random pairs, every 10th dataset with a replica abroad. */
static struct model *
synthetic(int32_t n, int32_t nflows)
{
    static const char *const tiers[] = { "restricted", "confidential", "public" };
    struct model *m = tl_small_model();
    SM_ERROR(e);
    int32_t *prim = malloc((size_t)n * sizeof *prim);
    static const char *const cc[] = { "FR", "SE", "US", "JP", "GB", "CA", "BR", "AU", "IT" };
    uint32_t s = 42;
    char name[64], sys[16];

    for (size_t k = 3; k < sizeof regions12 / sizeof regions12[0]; k++) {
        struct region r;
        model_region_init(&r);
        r.id = regions12[k];
        r.country = sm_cc(cc[k - 3]);
        r.operator_home = sm_cc("US");
        r.builtin = 1;
        assert_int_equal(model_add_region(m, &r, NULL, NULL), SM_OK);
    }
    for (int32_t i = 0; i < n; i++) {
        uint32_t at = lcg(&s) % 12;
        int32_t d;
        snprintf(name, sizeof name, "ds%06d", (int)i);
        snprintf(sys, sizeof sys, "sys%d", (int)(i % 5));
        d = tl_add_dataset(m, name, tiers[i % 3], i % 2 ? "EU" : "US", sys);
        prim[i] = tl_add_copy(m, d, regions12[at], ROLE_PRIMARY, NULL);
        if (i % 10 == 0)
            tl_add_copy(m, d, regions12[(at + 1 + lcg(&s) % 11) % 12], ROLE_BACKUP, NULL);
    }
    for (int32_t k = 0; k < nflows; k++) {
        int32_t a = (int32_t)(lcg(&s) % (uint32_t)n), b = (int32_t)(lcg(&s) % (uint32_t)n);
        struct flow f;
        model_flow_init(&f);
        if (a == b)
            b = (b + 1) % n;
        f.from = prim[a];
        f.to = prim[b];
        f.kind = FLOW_ETL;
        f.transit_encrypted = 1;
        assert_int_equal(model_add_flow(m, &f, NULL, &e), SM_OK);
    }
    free(prim);
    return m;
}

/* Every flow is in the SVG, or the export refused plainly and the region
 * view (which always lays out) shows them counted. */
static void
render_synthetic(int32_t n, int32_t nflows)
{
    struct fixture fx;
    char *buf = NULL;
    size_t len = 0;
    FILE *f;
    int rc;

    fixture_init(&fx, synthetic(n, nflows));
    f = open_memstream(&buf, &len);
    rc = export_diagram(fx.m, fx.r, &fx.o, "svg", f, &fx.st, &fx.e);
    fclose(f);
    if (rc == SM_OK) {
        assert_true(fx.st.edges >= nflows);
        assert_int_equal(count(buf, "<g id=\"edge"), fx.st.edges + fx.st.legend_edges);
    } else {
        assert_true(rc == SM_ELIMIT || rc == SM_EIO);
        assert_non_null(strstr(fx.e.msg, "--view regions"));
        assert_int_equal(len, 0);
        free(buf);
        fx.o.view = EXPORT_VIEW_REGIONS;
        buf = fixture_run(&fx, "svg");
        assert_int_equal(count(buf, "<g id=\"edge"), fx.st.edges + fx.st.legend_edges);
        assert_true(fx.st.edges > 0 && fx.st.edges <= 300);
    }
    free(buf);
    /* The DOT source always holds every flow. */
    fx.o.view = EXPORT_VIEW_FULL;
    buf = fixture_run(&fx, "dot");
    assert_true(fx.st.edges >= nflows);
    if (nflows <= 1000)
        dot_accepts(buf);
    free(buf);
    fixture_fini(&fx);
}

static void test_synthetic_100(void **s) { (void)s; render_synthetic(100, 100); }
static void test_synthetic_1000(void **s) { (void)s; render_synthetic(1000, 1000); }
static void test_synthetic_10000(void **s) { (void)s; render_synthetic(5000, 10000); }

/* The regions view of fx as DOT, which dot accepts, parsed into *p (its
 * counted edges those of the export); its SVG draws every counted edge. */
static char *
regions_view(struct fixture *fx, struct parsed *p)
{
    char *dot, *svg;

    fx->o.view = EXPORT_VIEW_REGIONS;
    dot = fixture_run(fx, "dot");
    dot_accepts(dot);
    *p = parse(dot);
    assert_int_equal(p->edges, fx->st.edges);
    svg = fixture_run(fx, "svg");
    assert_int_equal(count(svg, "<g id=\"edge"), fx->st.edges + fx->st.legend_edges);
    free(svg);
    return dot;
}

/* Few region pairs: regions inside their jurisdiction clusters, one
 * counted edge per region pair. */
static void
test_regions_view_small(void **state)
{
    struct fixture fx;
    struct parsed p;
    char *dot;

    (void)state;
    fixture_init(&fx, known_model());
    dot = regions_view(&fx, &p);
    assert_int_equal(p.nodes, 3);
    assert_int_equal(p.clusters, 2);        /* EEA, US: no region clusters */
    /* eu-west-1 -> eu-central-1 (etl), eu-west-1 -> us-east-1 (replica +
     * export, red), eu-central-1 -> us-east-1 (anonymized etl) */
    assert_int_equal(p.edges, 3);
    assert_int_equal(p.red, 1);
    assert_string_equal(p.red_names[0], "region:aws:eu-west-1 -> region:aws:us-east-1");
    /* one numbered callout per edge, listed in the legend's table */
    assert_non_null(strstr(dot, "xlabel=\"[3] 2 (2 violating)\""));
    assert_int_equal(count(dot, "xlabel=\"["), 3);
    /* the legend's own line breaks count: no word cut at 60 columns */
    assert_non_null(strstr(dot, "\nD dr C cache A archive E edge)"));
    assert_non_null(strstr(dot, "<FONT COLOR=\"#d00000\">[3]</FONT></TD><TD ALIGN=\"LEFT\">aws:eu-west-1"
                                "</TD><TD ALIGN=\"LEFT\">aws:us-east-1</TD><TD ALIGN=\"RIGHT\">2 (2 "
                                "violating)</TD>"));
    assert_int_equal(fx.st.edges, 3);
    free(dot);
    fixture_fini(&fx);
}

/* 12 regions and 1,000 datasets (up to 132 region pairs): the summary
 * keeps every region, each edge with its own callout. */
static void
test_regions_view_keeps_regions(void **state)
{
    struct fixture fx;
    struct parsed p;
    char *dot, key[32];

    (void)state;
    fixture_init(&fx, synthetic(1000, 1000));
    dot = regions_view(&fx, &p);
    assert_int_equal(p.nodes, 12);
    assert_true(p.edges > 40 && p.edges <= 132);
    assert_null(strstr(dot, "jurisdictions (too many region pairs"));
    for (int k = 1; k <= p.edges; k++) {
        snprintf(key, sizeof key, "xlabel=\"[%d] ", k);
        assert_int_equal(count(dot, key), 1);
        snprintf(key, sizeof key, ">[%d]</FONT>", k);
        assert_int_equal(count(dot, key), 1);
    }
    free(dot);
    fixture_fini(&fx);
}

/* n regions in n countries, nflows etl flows between random datasets;
 * each region id "site:rNN" followed by tail. */
static struct model *
wide_tail(int32_t nregions, int32_t nflows, const char *tail)
{
    static const char *const cc[] = { "FR", "DE", "US", "JP", "GB", "CA", "BR", "AU", "IT", "IN" };
    struct model *m = tl_small_model();
    int32_t *prim = malloc((size_t)nregions * 4 * sizeof *prim);
    uint32_t s = 7;
    char name[32], *id;

    for (int32_t k = 0; k < nregions; k++) {
        struct region r;
        model_region_init(&r);
        assert_non_null(id = sm_strdupf("site:r%02d%s", (int)k, tail));
        r.id = id;
        r.country = sm_cc(cc[k % 10]);
        r.kind = REGION_ONPREM;
        assert_int_equal(model_add_region(m, &r, NULL, NULL), SM_OK);
        free(id);
    }
    for (int32_t i = 0; i < nregions * 4; i++) {
        snprintf(name, sizeof name, "w%04d", (int)i);
        assert_non_null(id = sm_strdupf("site:r%02d%s", (int)(i % nregions), tail));
        prim[i] = tl_add_copy(m, tl_add_dataset(m, name, "public", NULL, "s"), id, ROLE_PRIMARY,
                              NULL);
        free(id);
    }
    for (int32_t k = 0; k < nflows; k++) {
        int32_t a = (int32_t)(lcg(&s) % (uint32_t)(nregions * 4));
        int32_t b = (int32_t)(lcg(&s) % (uint32_t)(nregions * 4));
        struct flow f;
        model_flow_init(&f);
        f.from = prim[a];
        f.to = prim[a == b ? (b + 1) % (nregions * 4) : b];
        f.kind = FLOW_ETL;
        assert_int_equal(model_add_flow(m, &f, NULL, NULL), SM_OK);
    }
    free(prim);
    return m;
}

static struct model *
wide(int32_t nregions, int32_t nflows)
{
    return wide_tail(nregions, nflows, "");
}

/* More than 300 region pairs: folded into one node per jurisdiction, at
 * most 40 counted edges, the rest totalled in the title. */
static void
test_regions_view_folds(void **state)
{
    struct fixture fx;
    struct parsed p;
    char *dot;

    (void)state;
    fixture_init(&fx, wide(30, 3000));
    dot = regions_view(&fx, &p);
    /* EEA (FR DE IT), US, JP, GB, CA, BR, AU, IN */
    assert_int_equal(p.nodes, 8);
    assert_true(p.edges > 0 && p.edges <= 40);
    assert_non_null(strstr(dot, "30 regions in 8 jurisdictions"));
    assert_non_null(strstr(dot, "site:r00: "));
    free(dot);
    fixture_fini(&fx);
}

/* Folded, a jurisdiction's node lists each of its regions whole: nine
 * regions of 1.2 KB ids (CJK and emoji) make an EEA label past the 8 KB
 * buffer that cut it (issue #17). */
static void
test_regions_view_folds_long_ids(void **state)
{
    struct fixture fx;
    struct parsed p;
    struct sm_text tail = { 0 };
    char *dot, *want;

    (void)state;
    sm_text_set(&tail, "-");
    for (int i = 0; i < 100; i++)
        sm_text_add(&tail, "%s", "ab\xe6\x95\xb0\xf0\x9f\x8c\x8d");   /* ab数🌍 */
    assert_false(tail.oom);
    fixture_init(&fx, wide_tail(30, 3000, tail.s));
    dot = regions_view(&fx, &p);
    assert_int_equal(p.nodes, 8);
    assert_non_null(strstr(dot, "30 regions in 8 jurisdictions"));
    /* agwrite folds long strings with a backslash-newline, and labels
     * break long words with \n: unfold both */
    for (char *r = dot, *w = dot; ; r++) {
        if (r[0] == '\\' && (r[1] == '\n' || r[1] == 'n')) {
            r++;
            continue;
        }
        if (!(*w++ = *r))
            break;
    }
    for (int k = 0; k < 30; k++) {
        assert_non_null(want = sm_strdupf("site:r%02d%s: ", k, tail.s));
        assert_int_equal(count(dot, want), 1);
        free(want);
    }
    free(dot);
    free(tail.s);
    fixture_fini(&fx);
}

static void
test_focus_and_filters(void **state)
{
    struct model *m = known_model();
    struct check_result *r = tl_check(m);
    struct export_opts o;
    struct export_stats st;
    SM_ERROR(e);
    struct parsed p;
    char *dot;

    (void)state;
    export_opts_init(&o);
    o.view = EXPORT_VIEW_FOCUS;
    o.focus = "report";
    o.hops = 0;
    dot = run(m, r, &o, "dot", SM_OK, &st, &e);
    p = parse(dot);
    assert_int_equal(p.nodes, 1);
    assert_int_equal(p.edges, 0);
    free(dot);
    o.hops = 1;     /* report <- analytics */
    dot = run(m, r, &o, "dot", SM_OK, &st, &e);
    p = parse(dot);
    assert_int_equal(p.nodes, 2);
    assert_int_equal(p.edges, 1);
    free(dot);
    o.hops = 2;     /* ... <- orders, its replica and export */
    dot = run(m, r, &o, "dot", SM_OK, &st, &e);
    p = parse(dot);
    assert_int_equal(p.nodes, 5);
    assert_int_equal(p.edges, 4);
    free(dot);
    o.focus = "orderz";
    free(run(m, r, &o, "dot", SM_ENOTFOUND, &st, &e));
    assert_non_null(strstr(e.msg, "did you mean orders"));
    /* --system bi: analytics and report, plus orders@eu-west-1 as context. */
    export_opts_init(&o);
    o.system = "bi";
    dot = run(m, r, &o, "dot", SM_OK, &st, &e);
    p = parse(dot);
    assert_int_equal(p.nodes, 3);
    assert_int_equal(p.edges, 2);
    free(dot);
    /* --jurisdiction US: the US copies and what flows into them. */
    export_opts_init(&o);
    o.jurisdiction = "US";
    dot = run(m, r, &o, "dot", SM_OK, &st, &e);
    p = parse(dot);
    assert_int_equal(p.edges, 3);
    assert_int_equal(p.nodes, 5);
    free(dot);
    export_opts_init(&o);
    o.tier = "secret";
    free(run(m, r, &o, "dot", SM_ENOTFOUND, &st, &e));
    check_result_free(r);
    model_free(m);
}

static void
test_layout_limit(void **state)
{
    struct model *m = synthetic(200, 300);
    struct export_opts o;
    SM_ERROR(e);
    char *buf;

    (void)state;
    export_opts_init(&o);
    o.layout_limit = 100;
    buf = run(m, NULL, &o, "svg", SM_ELIMIT, NULL, &e);
    assert_non_null(strstr(e.msg, "use --view systems, --view regions"));
    assert_int_equal(strlen(buf), 0);
    free(buf);
    buf = run(m, NULL, &o, "dot", SM_OK, NULL, &e);     /* the source is never refused */
    free(buf);
    model_free(m);
}

static void
test_hostile_names(void **state)
{
    static const char *const names[] = {
        "a\"b", "<script>alert(1)</script>", "back\\slash\\", "new\nline", "\xc3\xa9t\xc3\xa9",
        "rtl\xe2\x80\xae utf8", "\\N\\G\\E", "semi;colon -> x", "tab\tcr\r",
    };
    struct model *m = tl_small_model();
    SM_ERROR(e);
    struct export_stats st;
    struct parsed p;
    int32_t prev = SM_NONE;
    char *dot, *svg;

    (void)state;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int32_t d = tl_add_dataset(m, names[i], "public", NULL, names[i]);
        int32_t pl = tl_add_copy(m, d, i % 2 ? "aws:us-east-1" : "aws:eu-west-1", ROLE_PRIMARY,
                                 NULL);
        if (prev != SM_NONE)
            tl_add_flow(m, NULL, prev, pl, SM_NONE, FLOW_STREAM, NULL, NULL);
        prev = pl;
    }
    dot = run(m, NULL, NULL, "dot", SM_OK, &st, &e);
    dot_accepts(dot);
    p = parse(dot);
    assert_int_equal(p.nodes, 9);
    assert_int_equal(p.edges, 8);
    svg = run(m, NULL, NULL, "svg", SM_OK, &st, &e);
    assert_null(strstr(svg, "<script"));
    assert_non_null(strstr(svg, "&lt;script&gt;"));
    assert_non_null(strstr(svg, "\xc3\xa9t\xc3\xa9"));
    assert_int_equal(count(svg, "<g id=\"edge"), 8 + st.legend_edges);
    free(dot);
    free(svg);
    model_free(m);
}

/* sovmap writes DOT itself (export_dot_graph.c); the same graph replayed
 * into cgraph and written by Graphviz's agwrite (the "agwrite" format, kept
 * for this) must give the same bytes: every view, filters, awkward names
 * (quotes, DOT keywords, numbers, strings past agwrite's 128-column fold,
 * CJK), a wide catalog and the demo. */
static void
same_as_agwrite(const struct model *m, const struct check_result *r, struct export_opts *o)
{
    static const enum export_view views[] = {
        EXPORT_VIEW_FULL, EXPORT_VIEW_REGIONS, EXPORT_VIEW_SYSTEMS
    };
    struct export_stats st;
    SM_ERROR(e);

    for (size_t v = 0; v < sizeof views / sizeof *views; v++) {
        char *ours, *ref;

        o->view = views[v];
        ours = run(m, r, o, "dot", SM_OK, &st, &e);
        ref = run(m, r, o, "agwrite", SM_OK, &st, &e);
        if (strcmp(ours, ref)) {
            size_t k = 0;
            while (ours[k] == ref[k])
                k++;
            fail_msg("view %d: DOT differs from agwrite at byte %zu: ...%.60s... against "
                     "...%.60s...", (int)views[v], k, ours + (k > 20 ? k - 20 : 0),
                     ref + (k > 20 ? k - 20 : 0));
        }
        free(ours);
        free(ref);
    }
}

static void
test_dot_matches_agwrite(void **state)
{
    static const char *const names[] = {
        "a\"b", "node", "Graph", "1.5", "-7", ".", "-", "1.2.3", "x-y", "_under", "\xe6\x95\xb0",
        "ends with \\", "q\"\"q",
    };
    struct model *m = tl_small_model();
    struct fixture fx;
    struct export_opts o;
    char longname[400];
    int32_t prev = SM_NONE;

    (void)state;
    /* a name past 128 columns, with breakable and unbreakable stretches */
    for (size_t i = 0; i < sizeof longname - 1; i++)
        longname[i] = i % 37 == 36 ? ' ' : i % 53 == 52 ? '\\' : i % 61 == 60 ? '"' :
                      (char)('a' + i % 26);
    longname[sizeof longname - 1] = '\0';
    for (size_t i = 0; i <= sizeof names / sizeof names[0]; i++) {
        const char *name = i < sizeof names / sizeof names[0] ? names[i] : longname;
        int32_t d = tl_add_dataset(m, name, i % 3 ? "public" : "restricted", i % 2 ? "EU" : NULL,
                                   name);
        int32_t pl = tl_add_copy(m, d, i % 2 ? "aws:us-east-1" : "aws:eu-west-1", ROLE_PRIMARY,
                                 NULL);
        tl_add_copy(m, d, "aws:eu-central-1", ROLE_REPLICA, NULL);
        if (prev != SM_NONE)
            tl_add_flow(m, NULL, prev, pl, SM_NONE, FLOW_STREAM, NULL, NULL);
        prev = pl;
    }
    fixture_init(&fx, m);
    same_as_agwrite(fx.m, fx.r, &fx.o);
    fx.o.jurisdiction = "EEA";
    same_as_agwrite(fx.m, fx.r, &fx.o);
    fixture_fini(&fx);

    fixture_init(&fx, known_model());
    same_as_agwrite(fx.m, fx.r, &fx.o);
    fixture_fini(&fx);

    fixture_init(&fx, wide(30, 3000));
    same_as_agwrite(fx.m, fx.r, &fx.o);
    fixture_fini(&fx);

    fixture_init(&fx, synthetic(3000, 2000));
    same_as_agwrite(fx.m, fx.r, &fx.o);
    export_opts_init(&o);
    o.juris = fx.j;
    o.tier = "restricted";
    same_as_agwrite(fx.m, fx.r, &o);
    fixture_fini(&fx);
}

/* The demo (data/demo/demo.json): the red edges of the DOT are exactly the
 * flows and undeclared copies the checker reports violating transfers or
 * live findings on; dot accepts the file; the SVG keeps every edge. */
/* The legend's finding cells wrap at blanks: with each <BR/> read back as
 * a blank, a cell is a finding's message whole (a break inside a word
 * would leave "b loc"), and no line passes 60 characters unless it is one
 * word. */
static void
legend_words_whole(const char *dot, const struct check_result *r)
{
    static const char open[] = "BALIGN=\"LEFT\">";
    int cells = 0, wrapped = 0;

    for (const char *p = strstr(dot, open); p; p = strstr(p, open)) {
        const char *end;
        char *text;
        size_t n = 0, col = 0;
        bool found = false, blank = false;

        p += sizeof open - 1;
        end = strstr(p, "</TD>");
        assert_non_null(end);
        text = malloc((size_t)(end - p) + 1);
        assert_non_null(text);
        while (p < end) {
            if (!strncmp(p, "<BR/>", 5)) {
                assert_true(col <= 60 || !blank);
                text[n++] = ' ';
                p += 5;
                wrapped++;
                col = 0;
                blank = false;
                continue;
            }
            blank = blank || *p == ' ';
            col += ((unsigned char)*p & 0xc0) != 0x80;
            text[n++] = *p++;
        }
        text[n] = '\0';
        for (int32_t i = 0; i < r->nfindings && !found; i++)
            found = !strcmp(r->findings[i].message, text);
        if (!found)
            fail_msg("legend cell is no finding's message: %s", text);
        free(text);
        cells++;
    }
    assert_true(cells > 0);
    assert_true(wrapped > 0);
}

static void
test_demo(void **state)
{
    struct model *m = model_new();
    const struct check_result *r;
    struct fixture fx;
    SM_ERROR(e);
    const char *path = tl_path(tl_datadir(), "demo/demo.json");
    size_t len;
    char *text = tl_slurp(path, &len), *dot, *svg;
    char want[64][256], sel[1100], to[1100];
    int nwant = 0;
    struct parsed p;

    (void)state;
    if (!text)
        skip();
    assert_int_equal(refdata_load_regions(tl_datadir(), m, &e), SM_OK);
    if (model_json_read(text, len, path, m, &e) != SM_OK)
        fail_msg("%s", e.msg);
    free(text);
    fixture_init(&fx, m);
    r = fx.r;
    /* Expected red edges, from the check result alone. */
    for (int32_t i = 0; i < m->nflows; i++) {
        const struct flow *f = &m->flows[i];
        bool bad = false;
        if (f->deleted)
            continue;
        for (int32_t k = 0; k < r->nfindings; k++)
            bad = bad || (r->findings[k].kind == OBJ_FLOW && r->findings[k].object == i &&
                          !r->findings[k].waived && r->findings[k].severity >= SEV_WARNING);
        for (int32_t k = 0; k < r->ntransfers; k++)
            bad = bad || (r->transfers[k].flow == i && r->transfers[k].status == XFER_VIOLATION);
        if (!bad)
            continue;
        model_selector(m, OBJ_PLACEMENT, f->from, sel, sizeof sel);
        if (f->to != SM_NONE)
            model_selector(m, OBJ_PLACEMENT, f->to, to, sizeof to);
        else
            snprintf(to, sizeof to, "export:%s", m->regions[f->to_region].id);
        snprintf(want[nwant++], sizeof want[0], "%s -> %s", sel, to);
    }
    for (int32_t k = 0; k < r->ntransfers; k++) {
        const struct transfer *t = &r->transfers[k];
        bool dup = false;
        if (t->flow != SM_NONE || t->placement == SM_NONE || t->status != XFER_VIOLATION)
            continue;
        model_selector(m, OBJ_PLACEMENT, model_primary(m, t->dataset), sel, sizeof sel);
        model_selector(m, OBJ_PLACEMENT, t->placement, to, sizeof to);
        snprintf(want[nwant], sizeof want[0], "%s -> %s", sel, to);
        for (int i = 0; i < nwant; i++)
            dup = dup || !strcmp(want[i], want[nwant]);
        nwant += !dup;
    }
    qsort(want, (size_t)nwant, sizeof want[0], (int (*)(const void *, const void *))strcmp);
    dot = fixture_run(&fx, "dot");
    dot_accepts(dot);
    p = parse(dot);
    assert_true(nwant > 0);
    assert_int_equal(p.red, nwant);
    for (int i = 0; i < nwant; i++)
        assert_string_equal(p.red_names[i], want[i]);
    assert_int_equal(p.edges, fx.st.edges);
    assert_int_equal(fx.st.red_edges, nwant);
    legend_words_whole(dot, r);
    svg = fixture_run(&fx, "svg");
    assert_int_equal(count(svg, "<g id=\"edge"), fx.st.edges + fx.st.legend_edges);
    assert_int_equal(count(svg, "<g id=\"node"), fx.st.nodes + fx.st.legend_nodes);
    free(svg);
    free(dot);
    fixture_fini(&fx);
}

/* The scenario graph: moving the US replica home resolves its findings
 * (green) and draws a dashed edge from where it was; nothing else. */
static void
test_change_diagram(void **state)
{
    struct model *m = known_model();
    struct scenario sc;
    struct scenario_change_set cs;
    struct export_stats st;
    SM_ERROR(e);
    const char *op[] = { "move", "orders", "aws:us-east-1", "aws:eu-central-1" };
    int32_t sid;
    char *dot, *svg;
    struct parsed p;
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    (void)state;
    memset(&sc, 0, sizeof sc);
    sc.name = "home";
    sc.base = "";
    sc.description = "";
    assert_int_equal(model_add_scenario(m, &sc, &sid, &e), SM_OK);
    assert_int_equal(model_scenario_append(m, sid, 4, op, &e), SM_OK);
    assert_int_equal(scenario_change_set(m, tl_rules(), "home", NULL, 20261126, &cs, &e), SM_OK);
    f = open_memstream(&buf, &len);
    assert_int_equal(export_changes(&cs, NULL, "dot", f, &st, &e), SM_OK);
    fclose(f);
    dot = buf;
    dot_accepts(dot);
    p = parse(dot);
    /* the moved copy and its ghost; one moved edge; nothing red */
    assert_int_equal(p.nodes, 2);
    assert_int_equal(p.edges, 1);
    assert_int_equal(p.red, 0);
    assert_non_null(strstr(dot, "\"was:orders@aws:us-east-1\" -> \"orders@aws:eu-central-1\""));
    assert_non_null(strstr(dot, "resolved ENC002 RES001 XFR002"));
    assert_non_null(strstr(dot, "fillcolor=\"#e6f4ea\""));
    assert_non_null(strstr(dot, "0 new findings (red), 3 resolved (green), 1 copy moved"));
    buf = NULL;
    f = open_memstream(&buf, &len);
    assert_int_equal(export_changes(&cs, NULL, "svg", f, &st, &e), SM_OK);
    fclose(f);
    svg = buf;
    assert_int_equal(count(svg, "<g id=\"edge"), st.edges + st.legend_edges);
    free(svg);
    f = open_memstream(&buf, &len);
    assert_int_equal(export_changes(&cs, NULL, "map-md", f, &st, &e), SM_EINVAL);
    fclose(f);
    free(buf);
    free(dot);
    scenario_change_set_fini(&cs);
    model_free(m);
}

/* A number at p with thousands separators ("12,345"). */
static long
num_at(const char *p)
{
    long v = 0;

    for (; (*p >= '0' && *p <= '9') || *p == ','; p++)
        if (*p != ',')
            v = v * 10 + (*p - '0');
    return v;
}

/* The systems view: one node per region with a row per (system, tier),
 * edges summed per region pair. Every flow and implicit replication is
 * accounted for (edge counts plus the in-region counts on the rows), the
 * SVG draws every edge, and its size does not grow with the datasets. */
static void
systems_view(int32_t n, int32_t nflows)
{
    struct fixture fx;
    char *dot, *svg;
    long counted = 0;

    fixture_init(&fx, synthetic(n, nflows));
    fx.o.view = EXPORT_VIEW_SYSTEMS;
    dot = fixture_run(&fx, "dot");
    for (const char *p = strstr(dot, "xlabel="); p; p = strstr(p + 1, "xlabel="))
        counted += num_at(p + 7 + (p[7] == '"'));
    for (const char *p = strstr(dot, "in-region flow"); p; p = strstr(p + 1, "in-region flow")) {
        const char *q = p - 1;
        while (q > dot && ((q[-1] >= '0' && q[-1] <= '9') || q[-1] == ','))
            q--;
        counted += num_at(q);
    }
    /* every 10th dataset has a backup abroad, replicated from its primary */
    assert_int_equal(counted, nflows + (n + 9) / 10);
    assert_true(fx.st.nodes <= 12);             /* the regions, whatever n */
    dot_accepts(dot);
    free(dot);
    svg = fixture_run(&fx, "svg");
    assert_int_equal(count(svg, "<g id=\"edge"), fx.st.edges + fx.st.legend_edges);
    free(svg);
    fixture_fini(&fx);
}

static void test_systems_view_1000(void **s) { (void)s; systems_view(1000, 1000); }
static void test_systems_view_15000(void **s) { (void)s; systems_view(15000, 15000); }

/* Violations are numbered: every red edge and red copy carries "[k] ", k
 * from 1 without gaps, and the legend's table has a row for each with its
 * rule and object, so nothing depends on where Graphviz puts a label. */
static void
test_numbered_violations(void **state)
{
    struct model *m = known_model();
    struct check_result *r = tl_check(m);
    struct export_stats st;
    SM_ERROR(e);
    char *dot, key[32];
    int n = 0;

    (void)state;
    dot = run(m, r, NULL, "dot", SM_OK, &st, &e);
    for (;;) {
        snprintf(key, sizeof key, "[%d] ", n + 1);
        if (!strstr(dot, key))
            break;
        assert_int_equal(count(dot, key), 1);
        n++;
    }
    assert_true(n >= st.red_edges && st.red_edges > 0);
    assert_non_null(strstr(dot, "legend:violations"));
    assert_true(count(dot, "<TD ALIGN=\"RIGHT\">") >= n);
    for (int32_t i = 0; i < r->nfindings; i++)
        if (!r->findings[i].waived && r->findings[i].severity >= SEV_WARNING)
            assert_non_null(strstr(dot, r->findings[i].rule));
    free(dot);
    check_result_free(r);
    model_free(m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_model_dot),
        cmocka_unit_test(test_numbered_violations),
        cmocka_unit_test(test_systems_view_1000),
        cmocka_unit_test(test_systems_view_15000),
        cmocka_unit_test(test_demo),
        cmocka_unit_test(test_change_diagram),
        cmocka_unit_test(test_red_edges_match_check),
        cmocka_unit_test(test_known_model_svg),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_focus_and_filters),
        cmocka_unit_test(test_layout_limit),
        cmocka_unit_test(test_hostile_names),
        cmocka_unit_test(test_dot_matches_agwrite),
        cmocka_unit_test(test_regions_view_small),
        cmocka_unit_test(test_regions_view_keeps_regions),
        cmocka_unit_test(test_regions_view_folds),
        cmocka_unit_test(test_regions_view_folds_long_ids),
        cmocka_unit_test(test_synthetic_100),
        cmocka_unit_test(test_synthetic_1000),
        cmocka_unit_test(test_synthetic_10000),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

