/*
 * tui_bench.c - the TUI's speed measured in-process through the screen
 * grid (no terminal): time to the first frame after the catalog is loaded,
 * and key-to-redraw times for navigation, view switches, sorting and
 * incremental filtering; then every sortable column of the datasets view
 * both ways, and after a re-check (tui_recheck, not timed: new findings,
 * every derived fact new) the first visit of each view and the filter,
 * then the same after an edit (a dataset's system set through the model,
 * then a re-check; not timed), when what was kept for the old model goes,
 * and after a dataset is added and another removed (not timed either).
 *
 *   tui_bench [--datasets N] [--keys] [CATALOG.db]
 *
 * --keys prints every key's CPU time to stderr.
 *
 * Without a catalog it builds a synthetic model in memory (N datasets,
 * default 1,000,000, two copies each, 1% of the replicas in us-east-1, an etl
 * flow from every third dataset).
 * Targets (DESIGN.md section 5): first frame < 200 ms, key to redraw < 16 ms.
 */
#include "check.h"
#include "refdata.h"
#include "rulepack.h"
#include "store.h"
#include "tui.h"
#include "bench_tui.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double
cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
die(const char *what, const struct sm_error *e)
{
    fprintf(stderr, "tui_bench: %s: %s\n", what, e ? e->msg : "failed");
    exit(2);
}


static void
synthetic(struct model *m, int32_t n)
{
    static const char *const regions[] = {
        "aws:eu-west-1", "aws:eu-central-1", "azure:westeurope", "gcp:europe-west3",
        "aws:eu-north-1", "aws:eu-west-3",
    };
    static const char *const tiers[] = { "restricted", "confidential", "public" };
    uint64_t x = 88172645463325252ull;
    char name[32];
    SM_ERROR(e);

    if (model_tier(m, "restricted") < 0 && rulepack_seed_tiers(rp, m, &e) != SM_OK)
        die("seed tiers", &e);
    for (int32_t i = 0; i < n; i++) {
        struct dataset d;
        struct placement p;
        int32_t id;

        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        /* Names in random order, so that sorting them is real work. */
        snprintf(name, sizeof name, "ds%08llu-%d", (unsigned long long)(x % 100000000ull), i);
        model_dataset_init(&d);
        d.name = name;
        d.tier = model_tier(m, tiers[x % 3]);
        d.subjects[0] = (uint16_t)sm_cc("EU");
        d.nsubjects = 1;
        d.system = (x >> 8) % 2 ? "loyalty" : "fleet";
        if (model_add_dataset(m, &d, &id, &e) != SM_OK)
            die("dataset", &e);
        model_placement_init(&p);
        p.dataset = id;
        p.region = model_region(m, regions[x % 6]);
        p.role = ROLE_PRIMARY;
        p.encrypted = 1;
        p.key_region = p.region;
        if (model_add_placement(m, &p, NULL, &e) != SM_OK)
            die("placement", &e);
        p.region = model_region(m, (x >> 16) % 100 == 0 ? "aws:us-east-1"
                                                        : regions[(x >> 3) % 6]);
        p.key_region = p.region;
        p.role = ROLE_REPLICA;
        if (p.region != m->placements[m->nplacements - 1].region &&
            model_add_placement(m, &p, NULL, &e) != SM_OK)
            die("replica", &e);
        /* Every third dataset feeds the previous one's primary (etl). */
        if (i % 3 == 2) {
            struct flow f;
            model_flow_init(&f);
            f.from = model_primary(m, id);
            f.to = model_primary(m, id - 1);
            f.kind = FLOW_ETL;
            f.transit_encrypted = 1;
            if (model_add_flow(m, &f, NULL, &e) != SM_OK)
                die("flow", &e);
        }
    }
}

struct stat {
    const char *what;
    double total, max;
    int n;
    double cpu_total, cpu_max;
};

static bool verbose;

static void
key(struct tui *t, struct screen *s, const char *script, struct stat *st)
{
    SM_ERROR(e);
    double t0 = now_ms(), c0 = cpu_ms(), d, c;

    if (tui_feed(t, script, &e) != SM_OK)
        die(script, &e);
    tui_draw(t, s);
    d = now_ms() - t0;
    c = cpu_ms() - c0;
    st->cpu_total += c;
    if (c > st->cpu_max)
        st->cpu_max = c;
    st->total += d;
    st->n++;
    if (d > st->max)
        st->max = d;
    if (verbose)
        fprintf(stderr, "  key %-8s %-36s cpu %7.2f ms\n", script, st->what, c);
}

static void
report(const struct stat *st)
{
    printf("  %-34s %4d keys  wall mean %7.2f max %7.2f ms | cpu mean %7.2f max %7.2f ms  %s\n",
           st->what, st->n, st->total / st->n, st->max, st->cpu_total / st->n, st->cpu_max,
           st->cpu_max < 16 ? "ok" : "OVER 16 ms");
}

int
main(int argc, char **argv)
{
    const char *catalog = NULL, *datadir = refdata_datadir(argv[0]);
    int32_t n = 1000000;
    SM_ERROR(e);
    struct model *m = model_new();
    struct store *st = NULL;
    struct tui_ops ops = { .apply = b_apply, .revert = b_revert, .check = b_check,
                           .check_free = b_free };
    struct tui_options o = { .catalog = "bench", .today = 20261126, .defer_check = true };
    struct screen *s = screen_new(120, 40);
    struct tui *t;
    double t0, c0, first, first_cpu, check;

    setlocale(LC_ALL, "");
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--datasets") == 0 && i + 1 < argc)
            n = atoi(argv[++i]);
        else if (strcmp(argv[i], "--keys") == 0)
            verbose = true;
        else
            catalog = argv[i];
    }
    if (!m || !s)
        die("memory", NULL);
    model_set_shareable(m, true);   /* as the TUI loads it (cmd_tui.c) */
    if (rulepack_load(datadir, "default", &rp, &e) != SM_OK)
        die("rule pack", &e);
    if (refdata_load_regions(datadir, m, &e) != SM_OK)
        die("regions", &e);
    t0 = now_ms();
    if (catalog) {
        if (store_open(catalog, STORE_READONLY, &st, &e) != SM_OK || store_load(st, m, &e) != SM_OK)
            die(catalog, &e);
        printf("loaded %s: %d datasets in %.0f ms\n", catalog, (int)m->ndatasets, now_ms() - t0);
    } else {
        synthetic(m, n);
        printf("built %d datasets, %d copies, %d flows in memory in %.0f ms\n",
               (int)m->ndatasets, (int)m->nplacements, (int)m->nflows, now_ms() - t0);
    }

    /* First frame: the tui is made (views indexed and sorted by name) and
     * drawn; the first check runs after it, as in `sovmap`. */
    t0 = now_ms();
    c0 = cpu_ms();
    if (!(t = tui_new(m, &ops, &o, &e)))
        die("tui_new", &e);
    tui_draw(t, s);
    first = now_ms() - t0;
    first_cpu = cpu_ms() - c0;
    t0 = now_ms();
    tui_recheck(t);
    tui_draw(t, s);
    check = now_ms() - t0;
    printf("first frame after load:   %7.1f ms wall, %7.1f ms cpu  (target < 200 ms) %s\n",
           first, first_cpu, first_cpu < 200 ? "ok" : "OVER");
    printf("first check + redraw:     %7.1f ms  (runs after the first frame)\n", check);
    {
        int errs, warns, waived;
        tui_counts(t, &errs, &warns, &waived);
        printf("findings: %d errors, %d warnings, %d waived\n", errs, warns, waived);
    }

    struct stat nav = { "move down / up (j k)", 0, 0, 0, 0, 0 };
    struct stat page = { "page down / up, bottom, top", 0, 0, 0, 0, 0 };
    struct stat views = { "switch view (2..7, 1)", 0, 0, 0, 0, 0 };
    struct stat filt = { "filter, per typed char (/ds0012)", 0, 0, 0, 0, 0 };
    struct stat clear = { "clear the filter (Esc)", 0, 0, 0, 0, 0 };
    struct stat detail = { "detail pane in and out (Enter Esc)", 0, 0, 0, 0, 0 };
    struct stat sort = { "re-sort 1M rows (s)", 0, 0, 0, 0, 0 };
    struct stat sortall = { "re-sort, every column both ways", 0, 0, 0, 0, 0 };
    struct stat revisit = { "after re-check: first visit 2..7 1", 0, 0, 0, 0, 0 };
    struct stat refilt = { "after re-check: filter, per char", 0, 0, 0, 0, 0 };
    struct stat edvisit = { "after an edit: first visit 2..7 1", 0, 0, 0, 0, 0 };
    struct stat edfilt = { "after an edit: filter, per char", 0, 0, 0, 0, 0 };
    struct stat addvisit = { "after add+remove: first visit", 0, 0, 0, 0, 0 };
    struct stat addfilt = { "after add+remove: filter, per char", 0, 0, 0, 0, 0 };

    for (int i = 0; i < 200; i++)
        key(t, s, i % 2 ? "k" : "j", &nav);
    for (int i = 0; i < 50; i++)
        key(t, s, i % 4 == 0 ? "<PgDn>" : i % 4 == 1 ? "<PgUp>" : i % 4 == 2 ? "G" : "g", &page);
    for (int r = 0; r < 3; r++)
        for (const char *v = "2345671"; *v; v++) {
            char k[2] = { *v, 0 };
            key(t, s, k, &views);
        }
    for (int r = 0; r < 5; r++) {
        key(t, s, "/", &detail);
        for (const char *c = "ds0012"; *c; c++) {
            char k[2] = { *c, 0 };
            key(t, s, k, &filt);
        }
        key(t, s, "<Enter>", &detail);
        key(t, s, "<Esc>", &clear);
    }
    for (int i = 0; i < 20; i++)
        key(t, s, i % 2 ? "<Esc>" : "<Enter>", &detail);
    for (int i = 0; i < 4; i++)
        key(t, s, "s", &sort);
    /* Every sortable column of the datasets view (six, and the catalog
     * order), each both ways: the 4 keys above reach only four. */
    for (int i = 0; i < 7; i++) {
        key(t, s, "s", &sortall);
        key(t, s, "S", &sortall);
    }
    /* After a re-check (not timed: the result and every derived fact are
     * new), the first visit of each view, then the filter again. */
    for (int r = 0; r < 2; r++) {
        tui_recheck(t);
        for (const char *v = "2345671"; *v; v++) {
            char k[2] = { *v, 0 };
            key(t, s, k, &revisit);
        }
        key(t, s, "/", &detail);
        for (const char *c = "ds0012"; *c; c++) {
            char k[2] = { *c, 0 };
            key(t, s, k, &refilt);
        }
        key(t, s, "<Esc>", &clear);
    }
    /* After an edit (one dataset's system changed through the model, as
     * an edit does, then a re-check; neither timed): orders and texts
     * kept for the old model go, the first visits and filter pay. */
    for (int r = 0; r < 2; r++) {
        int32_t d = m->ndatasets / 2 + r;
        if (model_set(m, OBJ_DATASET, d, "system", r ? "bench-b" : "bench-a", &e) != SM_OK)
            die("edit", &e);
        tui_recheck(t);
        for (const char *v = "2345671"; *v; v++) {
            char k[2] = { *v, 0 };
            key(t, s, k, &edvisit);
        }
        key(t, s, "/", &detail);
        for (const char *c = "ds0012"; *c; c++) {
            char k[2] = { *c, 0 };
            key(t, s, k, &edfilt);
        }
        key(t, s, "<Esc>", &clear);
    }
    /* After a dataset is added and another removed (a name list's rows
     * change; not timed, nor the re-check): its name order is repaired. */
    for (int r = 0; r < 2; r++) {
        struct dataset nd;
        char name[48];
        model_dataset_init(&nd);
        snprintf(name, sizeof name, "bench-added-%d", r);
        nd.name = name;
        if (model_add_dataset(m, &nd, NULL, &e) != SM_OK ||
            model_remove(m, OBJ_DATASET, m->ndatasets / 3 + r, &e) != SM_OK)
            die("add/remove", &e);
        tui_recheck(t);
        for (const char *v = "2345671"; *v; v++) {
            char k[2] = { *v, 0 };
            key(t, s, k, &addvisit);
        }
        key(t, s, "/", &detail);
        for (const char *c = "ds0012"; *c; c++) {
            char k[2] = { *c, 0 };
            key(t, s, k, &addfilt);
        }
        key(t, s, "<Esc>", &clear);
    }
    printf("key to redraw at 120x40, %d datasets:\n", (int)m->ndatasets);
    report(&nav);
    report(&page);
    report(&views);
    report(&filt);
    report(&clear);
    report(&detail);
    report(&sort);
    report(&sortall);
    report(&revisit);
    report(&refilt);
    report(&edvisit);
    report(&edfilt);
    report(&addvisit);
    report(&addfilt);
    tui_free(t);
    screen_free(s);
    store_close(st);
    rulepack_free(rp);
    model_free(m);
    return 0;
}
