/*
 * scenario_bench.c - what-if and planner timings on a synthetic model (not
 * a test).
 *
 *   build/bench/scenario_bench [DATASETS] [DATADIR] [linked]
 *
 * With "linked", every dataset feeds the next one of the same subjects and
 * tier: lineage then joins most of the model into a few huge groups (the
 * worst case for the planner's and the incremental re-check's groups).
 *
 * Builds DATASETS datasets (default 100,000) in pipelines of 1 to 4
 * datasets linked by etl flows, each with a primary and a replica in its
 * subjects' area; 1% of the replicas sit in a region their tier does not
 * allow. Prints:
 *   - full check_run of the base (best of 3),
 *   - scenario_begin (clone of the model),
 *   - one-edit re-check: scenario_apply of one move + scenario_check on an
 *     evaluation that already exists (what the TUI does per edit), best of 5,
 *   - scenario_diff of base and one-edit scenario,
 *   - plan_make on the base (1% violations) and its verification.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "model.h"
#include "plan.h"
#include "refdata.h"
#include "rulepack.h"
#include "rules.h"
#include "scenario.h"
#define BENCH_PROG "scenario_bench"
#include "bench.h"

#define TODAY 20261126

static uint64_t seed = 0x2545F4914F6CDD1Dull;

int
main(int argc, char **argv)
{
    int32_t n = argc > 1 ? atoi(argv[1]) : 100000;
    const char *datadir = argc > 2 && strcmp(argv[2], "-") ? argv[2]
                        : getenv("SOVMAP_DATA") ? getenv("SOVMAP_DATA") : "data";
    bool linked = argc > 3 && strcmp(argv[3], "linked") == 0;
    int32_t last[2][3] = { { SM_NONE, SM_NONE, SM_NONE }, { SM_NONE, SM_NONE, SM_NONE } };
    static const char *const eu[] = { "aws:eu-west-1", "aws:eu-central-1", "azure:westeurope",
                                      "gcp:europe-west3", "aws:eu-north-1" };
    static const char *const us[] = { "aws:us-east-1", "aws:us-west-2", "azure:eastus" };
    struct model *m = model_new();
    struct rulepack *rp;
    struct scenario_eval *base = NULL, *ev = NULL;
    struct scenario_diff *d = NULL;
    struct plan *p = NULL;
    SM_ERROR(e);
    int32_t reu[5], rus[3], tiers[3], prev_primary = SM_NONE, bad = 0;
    double t0, best;
    char name[64], from[64];

    if (refdata_load_regions(datadir, m, &e))
        bench_die("regions", &e);
    if (rulepack_load(datadir, "default", &rp, &e))
        bench_die("rule pack", &e);
    if (rulepack_seed_tiers(rp, m, &e))
        bench_die("tiers", &e);
    for (int k = 0; k < 5; k++)
        reu[k] = model_region(m, eu[k]);
    for (int k = 0; k < 3; k++)
        rus[k] = model_region(m, us[k]);
    tiers[0] = model_tier(m, "restricted");
    tiers[1] = model_tier(m, "confidential");
    tiers[2] = model_tier(m, "public");

    t0 = bench_wall();
    for (int32_t i = 0; i < n; i++) {
        struct dataset ds;
        struct placement pl;
        int32_t id, fld, prim, *home = reu;
        bool us_subj = bench_rnd(&seed, 4) == 0;
        int nh = 5;
        if (us_subj) {
            home = rus;
            nh = 3;
        }
        model_dataset_init(&ds);
        snprintf(name, sizeof name, "ds%07d", i);
        ds.name = name;
        ds.tier = tiers[bench_rnd(&seed, 3)];
        ds.retention_days = 365;     /* within every tier's maximum (RET001) */
        ds.subjects[0] = (uint16_t)sm_cc(us_subj ? "US" : "EU");
        ds.nsubjects = 1;
        if (model_add_dataset(m, &ds, &id, &e) || model_add_field(m, id, "email", &fld, &e) ||
            (ds.tier != tiers[2] && model_add_tag(m, id, fld, "pii.email", "", "", "", NULL, &e)))
            bench_die("dataset", &e);
        model_placement_init(&pl);
        pl.dataset = id;
        pl.region = home[bench_rnd(&seed, (uint32_t)nh)];
        pl.role = ROLE_PRIMARY;
        pl.encrypted = 1;
        pl.key_region = pl.region;
        if (model_add_placement(m, &pl, &prim, &e))
            bench_die("placement", &e);
        do
            pl.region = home[bench_rnd(&seed, (uint32_t)nh)];
        while (pl.region == m->placements[prim].region);
        /* 1% of the EU restricted copies go to the US */
        if (!us_subj && ds.tier == tiers[0] && bench_rnd(&seed, 33) == 0) {
            pl.region = rus[bench_rnd(&seed, 3)];
            pl.key_region = pl.region;
            bad++;
        } else {
            pl.key_region = pl.region;
        }
        pl.role = ROLE_REPLICA;
        if (model_add_placement(m, &pl, NULL, &e))
            bench_die("placement", &e);
        if (linked) {
            int32_t *lp = &last[us_subj][ds.tier == tiers[0] ? 0 : ds.tier == tiers[1] ? 1 : 2];
            if (*lp != SM_NONE) {
                struct flow f;
                model_flow_init(&f);
                f.from = *lp;
                f.to = prim;
                f.kind = FLOW_ETL;
                f.transit_encrypted = 1;
                if (model_add_flow(m, &f, NULL, &e))
                    bench_die("flow", &e);
            }
            *lp = prim;
            continue;
        }
        /* pipelines: most datasets feed the next one of the same subjects */
        if (prev_primary != SM_NONE && bench_rnd(&seed, 4) != 0 &&
            m->datasets[m->placements[prev_primary].dataset].subjects[0] == ds.subjects[0] &&
            m->datasets[m->placements[prev_primary].dataset].tier == ds.tier) {
            struct flow f;
            model_flow_init(&f);
            f.from = prev_primary;
            f.to = prim;
            f.kind = FLOW_ETL;
            f.transit_encrypted = 1;
            if (model_add_flow(m, &f, NULL, &e))
                bench_die("flow", &e);
        } else {
            prim = bench_rnd(&seed, 3) == 0 ? SM_NONE : prim;
        }
        prev_primary = prim;
    }
    printf("model: %d datasets, %d placements, %d flows, %d misplaced copies, built in %.2f s\n",
           m->ndatasets, m->nplacements, m->nflows, (int)bad, bench_wall() - t0);

    best = 1e9;
    for (int run = 0; run < 3; run++) {
        scenario_eval_free(base);
        t0 = bench_wall();
        if (scenario_eval(m, rp, NULL, TODAY, &base, &e))
            bench_die("check", &e);
        if (bench_wall() - t0 < best)
            best = bench_wall() - t0;
    }
    printf("full check of the base: %.1f ms, %d errors\n", best * 1e3,
           (int)base->res->stats.count[SEV_ERROR]);

    t0 = bench_wall();
    if (scenario_begin(m, rp, "bench", &ev, &e))
        bench_die("begin", &e);
    printf("scenario_begin (clone): %.1f ms\n", (bench_wall() - t0) * 1e3);
    if (scenario_check(ev, TODAY, &e))
        bench_die("check", &e);

    best = 1e9;
    for (int run = 0; run < 5; run++) {
        /* move one copy back and forth */
        int32_t ds = (int32_t)bench_rnd(&seed, (uint32_t)n), pr, rep = SM_NONE;
        const char *argv4[4];
        pr = model_primary(ev->m, ds);
        for (int32_t q = ev->m->datasets[ds].first_placement; q != SM_NONE;
             q = ev->m->placements[q].next)
            if (q != pr)
                rep = q;
        snprintf(name, sizeof name, "ds%07d", ds);
        snprintf(from, sizeof from, "%s", ev->m->regions[ev->m->placements[rep].region].id);
        argv4[0] = "move";
        argv4[1] = name;
        argv4[2] = from;
        argv4[3] = "aws:eu-west-3";
        t0 = bench_wall();
        if (scenario_apply(ev, 4, argv4, &e) || scenario_check(ev, TODAY, &e))
            bench_die("one edit", &e);
        if (bench_wall() - t0 < best)
            best = bench_wall() - t0;
    }
    printf("one-edit re-check (apply + full check on the scenario): %.1f ms\n", best * 1e3);

    best = 1e9;
    for (int run = 0; run < 10; run++) {
        int32_t ds = (int32_t)bench_rnd(&seed, (uint32_t)n), pr, rep = SM_NONE;
        struct scenario_delta dl;
        const char *argv4[4];
        pr = model_primary(ev->m, ds);
        for (int32_t q = ev->m->datasets[ds].first_placement; q != SM_NONE;
             q = ev->m->placements[q].next)
            if (q != pr)
                rep = q;
        snprintf(name, sizeof name, "ds%07d", ds);
        snprintf(from, sizeof from, "%s", ev->m->regions[ev->m->placements[rep].region].id);
        argv4[0] = "move";
        argv4[1] = name;
        argv4[2] = from;
        argv4[3] = strcmp(from, "aws:us-east-2") ? "aws:us-east-2" : "aws:eu-west-3";
        /* the TUI re-checks in full when the list is shown: a current
         * result lets the delta check only the neighbourhood */
        if (ev->stale && scenario_check(ev, TODAY, &e))
            bench_die("check", &e);
        t0 = bench_wall();
        if (scenario_apply_delta(ev, 4, argv4, TODAY, &dl, &e))
            bench_die("one edit, incremental", &e);
        if (bench_wall() - t0 < best)
            best = bench_wall() - t0;
    }
    printf("one-edit re-check, incremental (scenario_apply_delta): %.2f ms\n", best * 1e3);
    if (scenario_check(ev, TODAY, &e))
        bench_die("check", &e);

    t0 = bench_wall();
    if (scenario_diff(base, ev, m, &d, &e))
        bench_die("diff", &e);
    printf("diff base vs %d-edit scenario: %.1f ms (%d findings, %d changes)\n", (int)ev->nops,
           (bench_wall() - t0) * 1e3, (int)d->nfindings, (int)d->nchanges);
    scenario_diff_free(d);

    t0 = bench_wall();
    if (plan_make(base, NULL, &p, &e))
        bench_die("plan", &e);
    printf("plan: %.2f s, %d ops, errors %d -> %d, %d unfixed, %d candidate checks\n",
           bench_wall() - t0, (int)p->nsteps, (int)p->errors_before, (int)p->errors_after,
           (int)p->nunfixed, (int)p->tries);
    for (int32_t i = 0; i < p->nunfixed && i < 3; i++)
        printf("  unfixed %s %s: %s\n", p->unfixed[i].rule, p->unfixed[i].selector,
               p->unfixed[i].reason);
    plan_free(p);
    scenario_eval_free(ev);
    scenario_eval_free(base);
    rulepack_free(rp);
    model_free(m);
    return 0;
}
