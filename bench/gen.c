/*
 * gen.c - a synthetic catalog for benchmarks, written through the store.
 *
 *   gen --datasets N [--seed S] OUT.db    write a catalog (one transaction)
 *   gen --load CATALOG                    load it, print time and peak RSS
 *
 * Datasets spread over the three default tiers and several systems, 2-4
 * copies each over real shipped regions of their subjects' area, etl/stream
 * lineage inside one area that never lowers a tier (with transforms and
 * mechanisms), everything compliant except about 1% deliberate violations:
 * a replica or backup abroad, a key abroad, an unencrypted copy, EU data fed
 * unmasked into India, an under-classified derived table. Deterministic for
 * a seed. See bench/README.md for the model and the figures.
 */
#include "edit.h"
#include "model.h"
#include "refdata.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

static uint64_t rng_state;

static uint32_t
rnd(uint32_t n)
{
    uint64_t x = rng_state;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    rng_state = x;
    return (uint32_t)((x >> 11) % n);
}

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu_seconds(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* System CPU time alone (the writes to the WAL and the file). */
static double
sys_seconds(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static long
peak_rss_kib(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

struct area {
    const char *subject;
    const char *regions[8];
    int n;
};

static const struct area areas[] = {
    { "EU", { "aws:eu-west-1", "aws:eu-central-1", "aws:eu-west-3", "azure:westeurope",
              "azure:northeurope", "gcp:europe-west3", "gcp:europe-west1" }, 7 },
    { "US", { "aws:us-east-1", "aws:us-west-2", "azure:eastus", "gcp:us-central1" }, 4 },
    { "BR", { "aws:sa-east-1", "gcp:southamerica-east1" }, 2 },
    { "IN", { "aws:ap-south-1", "azure:centralindia" }, 2 },
    { "SG", { "aws:ap-southeast-1", "gcp:asia-southeast1" }, 2 },
};
/* weights: EU 60%, US 20%, BR 8%, IN 7%, SG 5% */
static const int area_weight[] = { 60, 20, 8, 7, 5 };

static const char *const systems[] = { "loyalty", "fleet", "backup", "billing", "crm",
                                       "telemetry", "hr", "marketing" };
static const char *const field_names[] = { "id", "email", "phone", "amount", "vin", "gps",
                                           "name", "iban", "device" };
static const char *const field_tags[] = { NULL, "pii.email", "pii.phone", "financial", NULL,
                                          "pii.location", "pii.name", "financial.iban", NULL };

static int
die(const char *what, const struct sm_error *err)
{
    fprintf(stderr, "gen: %s: %s\n", what, err->msg);
    return 2;
}

static int
add_tiers(struct model *m, struct sm_error *err)
{
    static const struct { const char *name; int rank, personal, scope, backup; } t[] = {
        { "restricted", 3, 1, SCOPE_BLOC, SCOPE_BLOC },
        { "confidential", 2, 1, SCOPE_ADEQUATE, SCOPE_ADEQUATE },
        { "public", 1, 0, SCOPE_GLOBAL, SCOPE_GLOBAL },
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        struct tier tr;
        int rc;
        model_tier_init(&tr);
        tr.name = t[i].name;
        tr.rank = t[i].rank;
        tr.personal = (uint8_t)t[i].personal;
        tr.scope = (uint8_t)t[i].scope;
        tr.backup_scope = (uint8_t)t[i].backup;
        tr.key_scope = (uint8_t)t[i].scope;
        tr.encryption_at_rest = (uint8_t)t[i].personal;
        tr.transit_encryption = (uint8_t)t[i].personal;
        if ((rc = model_add_tier(m, &tr, NULL, err)))
            return rc;
    }
    return SM_OK;
}

static int
pick_area(void)
{
    int r = (int)rnd(100), acc = 0;

    for (int i = 0; i < 5; i++) {
        acc += area_weight[i];
        if (r < acc)
            return i;
    }
    return 0;
}

/* deliberate violations, one per violating dataset */
enum { V_REPLICA, V_BACKUP, V_KEY, V_UNENCRYPTED, V_FLOW_ABROAD, V_UNDERCLASSIFIED, V_KINDS };

static int
generate(struct model *m, long n, struct sm_error *err)
{
    static const int roles[] = { ROLE_REPLICA, ROLE_BACKUP, ROLE_DR };
    int32_t tiers[3] = { model_tier(m, "restricted"), model_tier(m, "confidential"),
                         model_tier(m, "public") };
    int32_t us = model_region(m, "aws:us-east-1"), in = model_region(m, "aws:ap-south-1");
    /* the last compliant primary per area and tier (0 restricted, 1 confidential, 2
     * public) at a lineage depth below 2: lineage stays inside one area, never lowers
     * the tier, and is at most two flows deep (chains of three, as bench/sql expects) */
    int32_t prev[5][3];
    int depth[5][3];
    int last_area = 0;
    char name[64], fname[96];
    int rc;

    for (int a = 0; a < 5; a++)
        for (int t = 0; t < 3; t++)
            prev[a][t] = SM_NONE, depth[a][t] = 0;
    for (size_t a = 0; a < sizeof areas / sizeof *areas; a++)
        for (int i = 0; i < areas[a].n; i++)
            if (model_region(m, areas[a].regions[i]) == SM_NONE)
                return sm_error_set(err, SM_ENOTFOUND, "region %s is not shipped",
                                    areas[a].regions[i]);
    for (long i = 0; i < n; i++) {
        int a = pick_area();
        const char *sys = systems[rnd(8)];
        struct dataset d;
        struct placement p;
        int32_t id, pid, src = SM_NONE, used[4];
        int sa = 0, st = 0;             /* the source's area and tier */
        int ncopies = 2 + (int)rnd(3), nfields = 1 + (int)rnd(3);
        int t = rnd(10) < 3 ? 0 : rnd(10) < 7 ? 1 : 2;
        bool feed = i % 3 != 0;
        /* about 1 % of all datasets (never the first, never US subjects' ones) */
        int kind = i > 0 && a != 1 && rnd(80) == 0 ? (int)rnd(feed ? V_KINDS : V_FLOW_ABROAD)
                                                   : -1;
        const struct area *ar;

        if (kind >= 0 && t == 2)
            t = (int)rnd(2);            /* public data breaks no residency rule */
        if (kind == V_FLOW_ABROAD) {
            /* personal EU data, unmasked and without a mechanism, into India */
            int s = t + (int)rnd((uint32_t)(2 - t));
            if (prev[0][s] == SM_NONE)
                s = t;
            if ((src = prev[0][s]) != SM_NONE)
                a = 3, st = s;
            else
                kind = V_REPLICA;
        } else if (kind == V_UNDERCLASSIFIED) {
            /* derived from a restricted or confidential table, under a lower tier */
            if (prev[a][0] != SM_NONE) {
                src = prev[a][0];
                sa = a, st = 0;
                t = 1 + (int)rnd(2);
            } else if (prev[a][1] != SM_NONE) {
                src = prev[a][1];
                sa = a, st = 1;
                t = 2;
            } else {
                kind = V_REPLICA;
            }
        }
        if (feed && src == SM_NONE) {
            /* a source in the same area whose tier is at most this one's */
            bool any = false;
            for (int k = 0; k < 3; k++)
                any |= prev[a][k] != SM_NONE;
            if (!any)
                a = last_area;          /* the area's first dataset: join a chain */
            for (int tries = 0; src == SM_NONE && tries < 8; tries++) {
                st = t + (int)rnd((uint32_t)(3 - t));
                src = prev[a][st];
            }
            for (int s = t; src == SM_NONE && s < 3; s++)
                if ((src = prev[a][s]) != SM_NONE)
                    st = s;
            for (int s = t - 1; src == SM_NONE && s >= 0; s--)
                if ((src = prev[a][s]) != SM_NONE)
                    st = t = s;         /* raise the tier to the source's */
            sa = a;
        }
        ar = &areas[a];

        model_dataset_init(&d);
        snprintf(name, sizeof name, "%s.t%07ld", sys, i);
        d.name = name;
        d.system = sys;
        d.tier = tiers[t];
        d.subjects[0] = (uint16_t)sm_cc(ar->subject);
        d.nsubjects = 1;
        d.owner = rnd(2) ? "data-platform" : "analytics";
        d.retention_days = rnd(4) ? 365 * (1 + (int32_t)rnd(7)) : SM_NONE;
        /* restricted sets a maximum: a restricted table with no retention
         * would be a RET001 warning, and the model is compliant but for its
         * deliberate 1% (the same draws as before: the model is unchanged
         * otherwise) */
        if (d.retention_days == SM_NONE && t == 0)
            d.retention_days = 3650;
        if ((rc = model_add_dataset(m, &d, &id, err)))
            return rc;
        for (int f = 0; f < nfields; f++) {
            int k = (int)rnd(9);
            int32_t fid, before = m->nfields;
            if ((rc = model_add_field(m, id, field_names[k], &fid, err)))
                return rc;
            /* public tables carry no personal tags (CLS002) */
            if (m->nfields != before && field_tags[k] &&
                !(t == 2 && strncmp(field_tags[k], "pii.", 4) == 0) &&
                (rc = model_add_tag(m, id, fid, field_tags[k], "bench", "", "", NULL, err)))
                return rc;
        }
        if (a == 0 && rnd(4) == 0 &&
            (rc = model_add_tag(m, id, SM_NONE, "sovereignty=EU", "", "", "", NULL, err)))
            return rc;
        /* copies: all in the subjects' area, encrypted, keys beside them */
        for (int c = 0; c < ncopies; c++) {
            int32_t region;
            bool dup;
            int tries = 0;
            do {
                region = model_region(m, ar->regions[rnd((uint32_t)ar->n)]);
                dup = false;
                for (int k = 0; k < c; k++)
                    dup |= used[k] == region;
            } while (dup && ++tries < 10);
            if (dup && !(c > 0 && c == ncopies - 1 &&
                         (kind == V_REPLICA || kind == V_BACKUP)))
                break;
            model_placement_init(&p);
            p.dataset = id;
            p.region = region;
            p.role = (uint8_t)(c == 0 ? ROLE_PRIMARY : roles[rnd(3)]);
            p.encrypted = 1;
            p.key_region = region;
            if (c > 0 && c == ncopies - 1 && kind == V_REPLICA) {
                p.region = p.key_region = us;           /* a replica in us-east-1 */
                p.role = ROLE_REPLICA;
            } else if (c > 0 && c == ncopies - 1 && kind == V_BACKUP) {
                p.region = p.key_region = a == 3 ? us : in;     /* a backup abroad */
                p.role = ROLE_BACKUP;
            } else if (c == 0 && kind == V_KEY) {
                p.key_region = us;                      /* the primary's key abroad */
            } else if (c == 1 && kind == V_UNENCRYPTED) {
                p.encrypted = 0;
                p.key_region = SM_NONE;
            }
            used[c] = p.region;
            if ((rc = model_add_placement(m, &p, &pid, err))) {
                if (rc == SM_EEXIST)
                    continue;   /* same region and role drawn twice */
                return rc;
            }
        }
        pid = m->datasets[id].first_placement;
        if (feed && src != SM_NONE && pid != SM_NONE) {
            struct flow f;
            struct transform tx;
            const char *masked[1] = { "email" };
            model_flow_init(&f);
            snprintf(fname, sizeof fname, "%s.feed", name);
            f.name = fname;
            f.from = src;
            f.to = pid;
            f.kind = (uint8_t)(rnd(2) ? FLOW_ETL : FLOW_STREAM);
            f.transit_encrypted = 1;
            if (kind != V_FLOW_ABROAD && rnd(3) == 0) {
                tx.kind = XF_MASK;
                tx.fields.n = 1;
                tx.fields.v = masked;
                f.transforms = &tx;
                f.ntransforms = 1;
            }
            if (kind != V_FLOW_ABROAD &&
                m->placements[src].region != m->placements[pid].region && rnd(2)) {
                f.mechanism = MECH_SCC;
                f.mechanism_ref = "TIA-7";
                f.valid_from = 20250101;
            }
            if ((rc = model_add_flow(m, &f, NULL, err)))
                return rc;
        }
        if (kind < 0 && pid != SM_NONE) {
            /* only compliant datasets feed others, and only up to depth 2 */
            int dd = feed && src != SM_NONE ? depth[sa][st] + 1 : 0;
            if (dd < 2) {
                prev[a][t] = pid;
                depth[a][t] = dd;
                last_area = a;
            }
        }
    }
    return SM_OK;
}

static int
count_live(const struct model *m, int32_t *d, int32_t *p, int32_t *f)
{
    *d = *p = *f = 0;
    for (int32_t i = 0; i < m->ndatasets; i++)
        *d += !m->datasets[i].deleted;
    for (int32_t i = 0; i < m->nplacements; i++)
        *p += !m->placements[i].deleted;
    for (int32_t i = 0; i < m->nflows; i++)
        *f += !m->flows[i].deleted;
    return 0;
}

static int
usage(void)
{
    fputs("usage: gen --datasets N [--seed S] OUT.db\n"
          "       gen --load CATALOG\n", stderr);
    return 2;
}

int
main(int argc, char **argv)
{
    const char *out = NULL, *datadir = refdata_datadir(argv[0]);
    SM_ERROR(err);
    struct store *st = NULL;
    struct model *m;
    long n = -1;
    bool load = false;
    double t0, t1, t2, c1, s1;
    int32_t nd, np, nf;

    rng_state = 0x9e3779b97f4a7c15ULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--datasets") == 0 && i + 1 < argc)
            n = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            rng_state ^= (uint64_t)strtoull(argv[++i], NULL, 10) * 0x2545f4914f6cdd1dULL;
        else if (strcmp(argv[i], "--load") == 0)
            load = true;
        else if (argv[i][0] == '-')
            return usage();
        else
            out = argv[i];
    }
    if (!out || (!load && n < 0))
        return usage();
    if (!rng_state)
        rng_state = 1;
    if (!(m = model_new()))
        return 2;
    if (refdata_load_regions(datadir, m, &err)) {
        model_free(m);
        return die("regions", &err);
    }
    if (load) {
        double c0 = cpu_seconds();
        t0 = now();
        if (store_open(out, STORE_READONLY, &st, &err) || store_load(st, m, &err)) {
            store_close(st);
            model_free(m);
            return die(out, &err);
        }
        t1 = now();
        count_live(m, &nd, &np, &nf);
        printf("loaded %d datasets, %d placements, %d flows in %.2f s (cpu %.2f s); "
               "peak RSS %.0f MiB\n", (int)nd, (int)np, (int)nf, t1 - t0,
               cpu_seconds() - c0, (double)peak_rss_kib() / 1024.0);
        store_close(st);
        model_free(m);
        return 0;
    }
    t0 = now();
    if (add_tiers(m, &err) || generate(m, n, &err)) {
        model_free(m);
        return die("generate", &err);
    }
    t1 = now();
    c1 = cpu_seconds();
    s1 = sys_seconds();
    /* a new file, written beside out and renamed over it at the commit
     * (an old WAL of the same name goes then too) */
    if (store_open(out, STORE_NEW, &st, &err) || store_begin(st, &err) ||
        store_put_all(st, m, &err) ||
        store_audit(st, "bench gen", "", NULL, "synthetic catalog", &err) ||
        store_commit(st, &err)) {
        store_close(st);
        model_free(m);
        return die(out, &err);
    }
    t2 = now();
    count_live(m, &nd, &np, &nf);
    printf("wrote %d datasets, %d placements, %d flows to %s: model %.2f s, catalog %.2f s "
           "(cpu %.2f s, of it system %.2f s); peak RSS %.0f MiB\n", (int)nd, (int)np, (int)nf,
           out, t1 - t0, t2 - t1, cpu_seconds() - c1, sys_seconds() - s1,
           (double)peak_rss_kib() / 1024.0);
    store_close(st);
    model_free(m);
    return 0;
}
