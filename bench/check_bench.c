/*
 * check_bench.c - time check_run on a synthetic model (not a test).
 *
 *   build/bench/check_bench [DATASETS] [DATADIR]
 *   build/bench/check_bench --catalog FILE.db [DATADIR]   (e.g. from bench/gen)
 *
 * Builds, in memory, DATASETS datasets (default 1,000,000) with 3 fields
 * (one tagged pii), two copies each and one flow each (replication or etl),
 * so placements + flows = 3 x DATASETS; the shipped regions plus user
 * regions up to 200. About 1% of copies are misplaced so findings exist.
 * Prints the model build time, check_run time (best of 3), findings and
 * transfers, and the peak resident memory. BENCH_BAD_LINEAGE=1 makes every
 * etl into a public dataset leak personal data (a worst case for findings).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "check.h"
#include "lineage.h"
#include "model.h"
#include "refdata.h"
#include "rulepack.h"
#include "rules.h"
#include "store.h"
#define BENCH_PROG "check_bench"
#include "bench.h"

static uint64_t seed = 0x9E3779B97F4A7C15ull;

int
main(int argc, char **argv)
{
    int32_t n = argc > 1 ? atoi(argv[1]) : 1000000;
    /* BENCH_BAD_LINEAGE=1: every etl into a public dataset leaks personal
     * data (a worst case: about 14% of datasets get LIN001). */
    int bad_lineage = getenv("BENCH_BAD_LINEAGE") != NULL;
    const char *datadir = argc > 2 ? argv[2] : getenv("SOVMAP_DATA") ? getenv("SOVMAP_DATA") : "data";
    struct model *m = model_new();
    struct rulepack *rp;
    struct check_result *r = NULL;
    SM_ERROR(e);
    double t0, t1, w0, best = 1e9, bestw = 1e9;
    long base_kib;
    /* Home regions per subject group, and a misplacement target. */
    static const char *const eu[] = { "aws:eu-west-1", "aws:eu-central-1", "azure:westeurope",
                                      "gcp:europe-west3", "aws:eu-north-1" };
    static const char *const us[] = { "aws:us-east-1", "aws:us-west-2", "azure:eastus", "gcp:us-central1" };
    static const char *const br[] = { "aws:sa-east-1", "azure:brazilsouth" };
    static const char *const in[] = { "aws:ap-south-1", "azure:centralindia" };
    static const char *const sg[] = { "aws:ap-southeast-1", "azure:southeastasia" };
    struct group {
        const char *subject;
        const char *const *regions;
        int n;
        int32_t ids[8];
    } groups[] = {
        { "EU", eu, 5, { 0 } }, { "US", us, 4, { 0 } }, { "BR", br, 2, { 0 } },
        { "IN", in, 2, { 0 } }, { "SG", sg, 2, { 0 } },
    };
    int32_t tiers[3], misplace;
    uint8_t *grp = NULL;
    int32_t *bygrp[5], nby[5] = { 0 };
    char name[64];

    if (argc > 1 && strcmp(argv[1], "--catalog") == 0) {
        struct store *st;
        datadir = argc > 3 ? argv[3] : getenv("SOVMAP_DATA") ? getenv("SOVMAP_DATA") : "data";
        if (argc < 3)
            return 2;
        t0 = bench_cpu();
        if (refdata_load_regions(datadir, m, &e))
            bench_die("regions", &e);
        if (store_open(argv[2], STORE_READONLY, &st, &e) || store_load(st, m, &e))
            bench_die(argv[2], &e);
        store_close(st);
        t1 = bench_cpu();
        if (rulepack_load(datadir, "default", &rp, &e))
            bench_die("rule pack", &e);
        printf("catalog %s: %d datasets, %d placements, %d flows, loaded in %.2f s CPU\n", argv[2],
               m->ndatasets, m->nplacements, m->nflows, t1 - t0);
        base_kib = bench_peak_kib();
        goto run;
    }
    if (refdata_load_regions(datadir, m, &e))
        bench_die("regions", &e);
    for (int k = 0; m->nregions < 200; k++) {
        struct region rg;
        char id[32];
        model_region_init(&rg);
        snprintf(id, sizeof id, "onprem:dc%03d", k);
        rg.id = id;
        rg.provider = "onprem";
        rg.code = id + 7;
        rg.country = sm_cc(k % 2 ? "DE" : "US");
        rg.operator_home = rg.country;
        rg.kind = REGION_ONPREM;
        if (model_add_region(m, &rg, NULL, &e))
            bench_die("region", &e);
    }
    if (rulepack_load(datadir, "default", &rp, &e))
        bench_die("rule pack", &e);
    if (rulepack_seed_tiers(rp, m, &e))
        bench_die("tiers", &e);
    tiers[0] = model_tier(m, "restricted");
    tiers[1] = model_tier(m, "confidential");
    tiers[2] = model_tier(m, "public");
    for (size_t g = 0; g < sizeof groups / sizeof *groups; g++)
        for (int k = 0; k < groups[g].n; k++)
            if ((groups[g].ids[k] = model_region(m, groups[g].regions[k])) == SM_NONE) {
                fprintf(stderr, "check_bench: no region %s in %s\n", groups[g].regions[k], datadir);
                return 2;
            }
    misplace = model_region(m, "aws:ap-northeast-1");
    if (misplace == SM_NONE)
        misplace = groups[1].ids[0];

    grp = malloc((size_t)n + 1);
    for (int k = 0; k < 5; k++)
        if (!grp || !(bygrp[k] = malloc(sizeof(int32_t) * ((size_t)n + 1))))
            return 2;
    t0 = bench_cpu();
    for (int32_t d = 0; d < n; d++) {
        struct dataset ds;
        struct placement p;
        int32_t id, f, fld;
        uint32_t pick = bench_rnd(&seed, 100);
        int gi = pick < 55 ? 0 : pick < 80 ? 1 : pick < 90 ? 2 : pick < 95 ? 3 : 4;
        struct group *g = &groups[gi];
        grp[d] = (uint8_t)gi;
        bygrp[gi][nby[gi]++] = d;
        model_dataset_init(&ds);
        snprintf(name, sizeof name, "ds%07d", d);
        ds.name = name;
        ds.tier = tiers[bench_rnd(&seed, 3)];
        ds.retention_days = 365;     /* within every tier's maximum (RET001) */
        ds.subjects[0] = (uint16_t)sm_cc(g->subject);
        ds.nsubjects = 1;
        if (model_add_dataset(m, &ds, &id, &e))
            bench_die("dataset", &e);
        if (model_add_field(m, id, "id", NULL, &e) || model_add_field(m, id, "email", &fld, &e) ||
            model_add_field(m, id, "amount", NULL, &e) ||
            (ds.tier != tiers[2] && model_add_tag(m, id, fld, "pii.email", "", "", "", NULL, &e)))
            bench_die("field", &e);
        model_placement_init(&p);
        p.dataset = id;
        p.region = g->ids[bench_rnd(&seed, (uint32_t)g->n)];
        p.role = ROLE_PRIMARY;
        p.encrypted = 1;
        p.key_region = p.region;
        if (model_add_placement(m, &p, NULL, &e))
            bench_die("placement", &e);
        p.region = bench_rnd(&seed, 100) == 0 ? misplace : g->ids[bench_rnd(&seed, (uint32_t)g->n)];
        p.role = bench_rnd(&seed, 2) ? ROLE_REPLICA : ROLE_BACKUP;
        if (model_add_placement(m, &p, NULL, &e))
            bench_die("placement", &e);
        (void)f;
    }
    for (int32_t d = 0; d < n; d++) {
        struct flow fl;
        model_flow_init(&fl);
        snprintf(name, sizeof name, "fl%07d", d);
        fl.name = name;
        fl.transit_encrypted = 1;
        if (d % 2 == 0 || d + 1 >= n) {
            fl.from = 2 * d;
            fl.to = 2 * d + 1;
            fl.kind = FLOW_REPLICATION;
        } else {
            /* etl into a random dataset of the same subjects' primary: a
             * lineage graph with cycles, mostly within one jurisdiction
             * (1 in 1000 crosses, as a real estate would) */
            int gi = bench_rnd(&seed, 1000) == 0 ? (int)bench_rnd(&seed, 5) : grp[d];
            int32_t t = bygrp[gi][bench_rnd(&seed, (uint32_t)nby[gi])];
            fl.from = 2 * d;
            if (t == d)
                t = (d + 1) % n;
            fl.to = 2 * t;
            fl.kind = FLOW_ETL;
            /* Into a public dataset, the data is aggregated (except in 1 of
             * 100 flows: those derived tables are under-classified). */
            if (m->datasets[t].tier == tiers[2] && (!bad_lineage && bench_rnd(&seed, 100) != 0))
                model_parse_transforms(m, "aggregate", &fl.transforms, &fl.ntransforms, NULL);
            else if (bench_rnd(&seed, 4) == 0)
                model_parse_transforms(m, "mask email", &fl.transforms, &fl.ntransforms, NULL);
        }
        if (model_add_flow(m, &fl, NULL, &e))
            bench_die("flow", &e);
    }
    t1 = bench_cpu();
    base_kib = bench_peak_kib();
    printf("model: %d datasets, %d placements, %d flows, %d regions, built in %.2f s, peak %ld MiB\n",
           m->ndatasets, m->nplacements, m->nflows, m->nregions, t1 - t0, base_kib / 1024);
run:
    for (int run = 0; run < 3; run++) {
        check_result_free(r);
        r = NULL;
        w0 = bench_wall();
        t0 = bench_cpu();
        if (check_run(m, rp, 20261126, &r, &e))
            bench_die("check", &e);
        t1 = bench_cpu();
        if (t1 - t0 < best)
            best = t1 - t0;
        if (bench_wall() - w0 < bestw)
            bestw = bench_wall() - w0;
    }
    {
        struct lineage L;
        t0 = bench_cpu();
        if (lineage_run(m, rp, &L, &e))
            bench_die("lineage", &e);
        t1 = bench_cpu();
        printf("of which lineage_run: %.3f s\n", t1 - t0);
        lineage_fini(&L);
    }
    printf("check_run: %.3f s CPU (best of 3, all threads), %.3f s wall (best of 3; "
           "SOVMAP_THREADS=%s)\n", best, bestw, getenv("SOVMAP_THREADS") ? getenv("SOVMAP_THREADS") : "unset");
    printf("check_run: %.3f s CPU (best of 3), %d findings (%d errors, %d warnings, %d info), "
           "%d transfers\n", best, r->nfindings, r->stats.count[SEV_ERROR],
           r->stats.count[SEV_WARNING], r->stats.count[SEV_INFO], r->ntransfers);
    {
        int per[32] = { 0 };
        for (int32_t k = 0; k < r->nfindings; k++)
            per[rules_rule(r->findings[k].rule) & 31]++;
        for (int k = 0; k < RULE_COUNT; k++)
            if (per[k])
                printf("  %s %d\n", rule_names[k], per[k]);
    }
    printf("peak memory: %ld MiB total, %ld MiB above the model\n", bench_peak_kib() / 1024,
           (bench_peak_kib() - base_kib) / 1024);
    check_result_free(r);
    rulepack_free(rp);
    model_free(m);
    if (grp)
        for (int k = 0; k < 5; k++)
            free(bygrp[k]);
    free(grp);
    return 0;
}
