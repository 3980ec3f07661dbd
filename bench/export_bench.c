/*
 * export_bench.c - time the exporters on synthetic models (not a test).
 *
 *   build/bench/export_bench [DATADIR] [OUTDIR]
 *
 * 1. DOT source of the full view with 10,000 flows (target < 1 s).
 * 2. Region summary (DOT and SVG) of 1,000,000 datasets (target < 2 s).
 * 3. Laid-out SVG of the full view at growing sizes, to place the
 *    EXPORT_LAYOUT_LIMIT (the size above which --view full refuses).
 * With OUTDIR, writes OUTDIR/summary-100k.svg and .png (the region summary
 * of 100,000 datasets) and OUTDIR/full-200.png for review.
 *
 * The synthetic model: the shipped regions, 30 of them used (EEA, GB, CH,
 * US, CA, JP, BR, IN, AU, SG ...); per dataset a primary, every 4th a
 * replica and every 10th a backup elsewhere; etl flows between random
 * primaries. Times are CPU time of this process, best of 3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "export.h"
#include "model.h"
#include "refdata.h"
#include "rulepack.h"
#define BENCH_PROG "export_bench"
#include "bench.h"

static uint64_t seed = 0x9E3779B97F4A7C15ull;

static const char *const used[] = {
    "aws:eu-west-1", "aws:eu-central-1", "aws:eu-west-3", "aws:eu-north-1", "aws:eu-south-1",
    "azure:westeurope", "azure:northeurope", "gcp:europe-west3", "gcp:europe-west1",
    "aws:eu-west-2", "azure:uksouth", "azure:switzerlandnorth", "aws:us-east-1",
    "aws:us-west-2", "azure:eastus", "gcp:us-central1", "aws:ca-central-1",
    "aws:ap-northeast-1", "aws:sa-east-1", "aws:ap-south-1", "aws:ap-southeast-2",
    "aws:ap-southeast-1", "gcp:asia-northeast3", "azure:southafricanorth", "aws:me-central-1",
    "gcp:eu", "aws:il-central-1", "azure:japaneast", "gcp:southamerica-east1", "azure:centralindia",
};
#define NUSED (int)(sizeof used / sizeof used[0])

static struct model *
synthetic(const char *datadir, const struct rulepack *rp, int32_t n, int32_t nflows, int nreg)
{
    static const char *const subj[] = { "EU", "EU", "EU", "US", "GB", "BR", "IN", "JP" };
    struct model *m = model_new();
    SM_ERROR(e);
    int32_t *prim = malloc((size_t)n * sizeof *prim), rid[NUSED];
    int32_t tiers[3];
    char name[64], sys[32];

    if (!m || !prim || refdata_load_regions(datadir, m, &e) || rulepack_seed_tiers(rp, m, &e))
        bench_die("model", &e);
    tiers[0] = model_tier(m, "restricted");
    tiers[1] = model_tier(m, "confidential");
    tiers[2] = model_tier(m, "public");
    for (int i = 0; i < nreg; i++)
        if ((rid[i] = model_region(m, used[i])) == SM_NONE) {
            fprintf(stderr, "export_bench: no region %s\n", used[i]);
            exit(1);
        }
    for (int32_t i = 0; i < n; i++) {
        struct dataset d;
        struct placement p;
        int32_t id;
        int home = (int)bench_rnd(&seed, (uint32_t)nreg);

        model_dataset_init(&d);
        snprintf(name, sizeof name, "ds%07d", (int)i);
        snprintf(sys, sizeof sys, "system%02d", (int)(i % 40));
        d.name = name;
        d.system = sys;
        d.tier = tiers[i % 3];
        if (model_add_dataset(m, &d, &id, &e) ||
            model_set(m, OBJ_DATASET, id, "subjects", subj[i % 8], &e))
            bench_die("dataset", &e);
        model_placement_init(&p);
        p.dataset = id;
        p.region = rid[home];
        p.encrypted = 1;
        p.key_region = p.region;
        if (model_add_placement(m, &p, &prim[i], &e))
            bench_die("placement", &e);
        if (i % 4 == 0) {
            p.role = ROLE_REPLICA;
            p.region = rid[(home + 1 + (int)bench_rnd(&seed, 3)) % nreg];
            if (p.region != rid[home] && model_add_placement(m, &p, NULL, &e))
                bench_die("replica", &e);
        }
        if (i % 10 == 0) {
            p.role = ROLE_BACKUP;
            p.region = rid[(home + 4 + (int)bench_rnd(&seed, (uint32_t)nreg - 5)) % nreg];
            if (p.region != rid[home] && model_add_placement(m, &p, NULL, &e))
                bench_die("backup", &e);
        }
    }
    for (int32_t k = 0; k < nflows; k++) {
        struct flow f;
        int32_t a = (int32_t)bench_rnd(&seed, (uint32_t)n), b = (int32_t)bench_rnd(&seed, (uint32_t)n);

        if (a == b)
            b = (b + 1) % n;
        model_flow_init(&f);
        f.from = prim[a];
        f.to = prim[b];
        f.kind = FLOW_ETL;
        f.transit_encrypted = 1;
        if (k % 7 == 0)
            f.mechanism = MECH_SCC;
        if (model_add_flow(m, &f, NULL, &e))
            bench_die("flow", &e);
    }
    free(prim);
    return m;
}

/* Best of 3 CPU seconds of one export into a file (or /dev/null). */
static double
timed(const struct model *m, const struct check_result *r, const struct export_opts *o,
      const char *fmt, const char *path, struct export_stats *st, int *rc)
{
    double best = 1e9;

    for (int i = 0; i < 3; i++) {
        FILE *f = fopen(path ? path : "/dev/null", "wb");
        SM_ERROR(e);
        double t0 = bench_cpu(), t;

        if (!f)
            bench_die(path, NULL);
        *rc = export_diagram(m, r, o, fmt, f, st, &e);
        t = bench_cpu() - t0;
        fclose(f);
        if (*rc && *rc != SM_ELIMIT && *rc != SM_EIO)
            bench_die(fmt, &e);
        if (*rc)
            printf("    (%s)\n", e.msg);
        if (t < best)
            best = t;
        if (t > 20)
            break;
    }
    return best;
}

int
main(int argc, char **argv)
{
    const char *datadir = argc > 1 ? argv[1] : "data";
    const char *outdir = argc > 2 ? argv[2] : NULL;
    struct rulepack *rp;
    struct export_juris *j;
    SM_ERROR(e);
    struct export_opts o;
    struct export_stats st;
    struct model *m;
    struct check_result *r;
    char path[1024];
    double t;
    int rc;

    if (rulepack_load(datadir, "default", &rp, &e) || export_juris_load(datadir, &j, &e))
        bench_die("data", &e);
    export_opts_init(&o);
    o.juris = j;

    /* 1. DOT of 10,000 flows. */
    m = synthetic(datadir, rp, 10000, 10000, 12);
    if (check_run(m, rp, 20261126, &r, &e))
        bench_die("check", &e);
    t = timed(m, r, &o, "dot", NULL, &st, &rc);
    printf("dot, full view, %d copies + %d edges (10,000 flows): %.3f s\n",
           (int)st.nodes, (int)st.edges, t);
    check_result_free(r);
    model_free(m);

    /* 2. Region summary of 1,000,000 datasets (and 100,000 for review). */
    for (int32_t n = 100000; n <= 1000000; n *= 10) {
        double tc;
        m = synthetic(datadir, rp, n, n, NUSED);
        tc = bench_cpu();
        if (check_run(m, rp, 20261126, &r, &e))
            bench_die("check", &e);
        tc = bench_cpu() - tc;
        o.view = EXPORT_VIEW_REGIONS;
        t = timed(m, r, &o, "dot", NULL, &st, &rc);
        printf("region summary dot, %d datasets, %d placements, %d flows: %.3f s "
               "(%d nodes, %d edges; check_run %.2f s)\n", (int)n, (int)m->nplacements,
               (int)m->nflows, t, (int)st.nodes, (int)st.edges, tc);
        if (outdir && n == 100000)
            snprintf(path, sizeof path, "%s/summary-100k.svg", outdir);
        t = timed(m, r, &o, "svg", outdir && n == 100000 ? path : NULL, &st, &rc);
        printf("region summary svg (laid out), %d datasets: %.3f s\n", (int)n, t);
        if (outdir && n == 100000) {
            snprintf(path, sizeof path, "%s/summary-100k.png", outdir);
            timed(m, r, &o, "png", path, &st, &rc);
        }
        o.view = EXPORT_VIEW_FULL;
        check_result_free(r);
        model_free(m);
    }

    /* 3. Full view laid out at growing sizes. */
    o.layout_limit = 1000000;
    for (int32_t n = 250; n <= 4000; n *= 2) {
        m = synthetic(datadir, rp, n, n, 12);
        if (check_run(m, rp, 20261126, &r, &e))
            bench_die("check", &e);
        if (outdir && n == 250)
            snprintf(path, sizeof path, "%s/full-250.png", outdir);
        t = timed(m, r, &o, outdir && n == 250 ? "png" : "svg",
                  outdir && n == 250 ? path : NULL, &st, &rc);
        printf("full view svg, %d copies + %d edges = %d: %.2f s%s\n", (int)st.nodes,
               (int)st.edges, (int)(st.nodes + st.edges), t, rc ? " (refused: see above)" : "");
        check_result_free(r);
        model_free(m);
        if (t > 30)
            break;
    }
    export_juris_free(j);
    rulepack_free(rp);
    return 0;
}
