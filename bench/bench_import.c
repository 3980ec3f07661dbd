/*
 * bench_import.c - the Atlas import target: importing N generated Atlas
 * entities must take under 2x jansson's bare parse of the same text.
 *
 *   bench_import [N] [--write FILE [--write-only]]
 *
 * Generates an entity-bulk response of N entities (tables with their
 * columns and storage descriptors in referredEntities, classifications on
 * tables and columns, buckets with regions), then times json_loadb alone
 * and the whole import (parse + records + apply into a model holding the
 * shipped regions), best of 3 each. --write also saves the text, for timing
 * `sovmap import atlas FILE` end to end (and atlas_stream_bench); with
 * --write-only nothing is timed (a 1M-entity file without 10 GiB of trees).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "import.h"
#include "refdata.h"
#define BENCH_PROG "bench_import"
#include "bench.h"

static const char *const buckets[][2] = {
    { "bench-eu-west-1", "eu-west-1" }, { "bench-us-east-1", "us-east-1" },
    { "bench-eu-central-1", "eu-central-1" }, { "bench-sa-east-1", "sa-east-1" },
};

static void
guid(char out[40], unsigned kind, unsigned i)
{
    snprintf(out, 40, "%08x-%04x-4000-8000-%012x", i, kind, i * 2654435761u);
}

static void
related(struct bench_buf *b, const char *g, const char *type, const char *qn, const char *rel)
{
    bench_put(b, "{\"guid\": \"%s\", \"typeName\": \"%s\", \"entityStatus\": \"ACTIVE\", "
        "\"displayText\": \"%s\", \"relationshipType\": \"%s\", \"relationshipGuid\": \"%s\", "
        "\"relationshipStatus\": \"ACTIVE\", \"relationshipAttributes\": {\"typeName\": \"%s\"}, "
        "\"qualifiedName\": \"%s\"}", g, type, qn, rel, g, rel, qn);
}

static void
header(struct bench_buf *b, const char *g, const char *type)
{
    bench_put(b, "\"guid\": \"%s\", \"isIncomplete\": false, \"provenanceType\": 0, \"status\": "
        "\"ACTIVE\", \"createdBy\": \"bench\", \"updatedBy\": \"bench\", \"createTime\": "
        "1709370853310, \"updateTime\": 1709478851570, \"version\": 0, \"typeName\": \"%s\"",
        g, type);
}

/* ncols columns per table: 1 table + ncols columns + 1 sd = ncols + 2 entities. */
static char *
generate(int n, size_t *len)
{
    const int ncols = 6;
    int ntables = n / (ncols + 2);
    struct bench_buf b = { 0 }, ref = { 0 };
    char g[40], cg[40], sg[40], db[40];

    guid(db, 0xdb, 1);
    bench_put(&b, "{\"entities\": [\n");
    bench_put(&ref, "\"referredEntities\": {\n");
    for (size_t k = 0; k < sizeof buckets / sizeof *buckets; k++) {
        guid(g, 0xb0, (unsigned)k);
        bench_put(&b, "{\"attributes\": {\"qualifiedName\": \"s3a://%s@bench\", \"name\": \"%s\", "
            "\"region\": \"%s\"}, ", buckets[k][0], buckets[k][0], buckets[k][1]);
        header(&b, g, "aws_s3_v2_bucket");
        bench_put(&b, ", \"relationshipAttributes\": {}},\n");
    }
    for (int t = 0; t < ntables; t++) {
        char qn[128];
        const char *bk = buckets[t % 4][0];
        guid(g, 0x7a, (unsigned)t);
        guid(sg, 0x5d, (unsigned)t);
        snprintf(qn, sizeof qn, "db%d.table%d", t % 97, t);
        bench_put(&b, "%s{\"attributes\": {\"qualifiedName\": \"%s@bench\", \"name\": \"table%d\", "
            "\"owner\": \"etl\", \"description\": null, \"createTime\": 1709370851000, "
            "\"tableType\": \"EXTERNAL_TABLE\", \"temporary\": false, \"parameters\": "
            "{\"EXTERNAL\": \"TRUE\"}}, ", t ? "," : "", qn, t);
        header(&b, g, "hive_table");
        bench_put(&b, ", \"relationshipAttributes\": {\"db\": ");
        related(&b, db, "hive_db", "db@bench", "hive_table_db");
        bench_put(&b, ", \"sd\": ");
        related(&b, sg, "hive_storagedesc", qn, "hive_table_storagedesc");
        bench_put(&b, ", \"columns\": [");
        for (int c = 0; c < ncols; c++) {
            char cq[160];
            guid(cg, 0xc0 + (unsigned)c, (unsigned)t);
            snprintf(cq, sizeof cq, "%s.col%d@bench", qn, c);
            if (c)
                bench_put(&b, ", ");
            related(&b, cg, "hive_column", cq, "hive_table_columns");
        }
        bench_put(&b, "], \"inputToProcesses\": [], \"outputFromProcesses\": [], \"meanings\": []}, "
            "\"classifications\": [{\"typeName\": \"tier%d\", \"attributes\": {}, "
            "\"entityGuid\": \"%s\", \"entityStatus\": \"ACTIVE\", \"propagate\": true}, "
            "{\"typeName\": \"sovereignty\", \"attributes\": {\"jurisdiction\": \"%s\"}, "
            "\"entityGuid\": \"%s\", \"entityStatus\": \"ACTIVE\", \"propagate\": false}], "
            "\"labels\": []}\n", 1 + t % 3, g, t % 2 ? "EU" : "US", g);
        /* columns and the storage descriptor */
        for (int c = 0; c < ncols; c++) {
            guid(cg, 0xc0 + (unsigned)c, (unsigned)t);
            bench_put(&ref, "%s\"%s\": {\"attributes\": {\"qualifiedName\": \"%s.col%d@bench\", "
                "\"name\": \"col%d\", \"type\": \"string\", \"comment\": null, \"position\": %d, "
                "\"owner\": \"etl\"}, ", t || c ? "," : "", cg, qn, c, c, c);
            header(&ref, cg, "hive_column");
            bench_put(&ref, ", \"relationshipAttributes\": {\"table\": ");
            related(&ref, g, "hive_table", qn, "hive_table_columns");
            bench_put(&ref, ", \"inputToProcesses\": [], \"outputFromProcesses\": []}");
            if (c < 2)
                bench_put(&ref, ", \"classifications\": [{\"typeName\": \"PII\", \"attributes\": "
                    "{\"type\": \"%s\"}, \"entityGuid\": \"%s\", \"entityStatus\": \"ACTIVE\"}]",
                    c ? "email" : "name", cg);
            bench_put(&ref, "}\n");
        }
        bench_put(&ref, ",\"%s\": {\"attributes\": {\"qualifiedName\": \"%s@bench_storage\", "
            "\"location\": \"s3a://%s/warehouse/%s\", \"inputFormat\": \"parquet\"}, ", sg, qn,
            bk, qn);
        header(&ref, sg, "hive_storagedesc");
        bench_put(&ref, ", \"relationshipAttributes\": {\"table\": ");
        related(&ref, g, "hive_table", qn, "hive_table_storagedesc");
        bench_put(&ref, "}}\n");
    }
    bench_put(&b, "],\n%.*s}}\n", (int)ref.len, ref.p);
    free(ref.p);
    *len = b.len;
    return b.p;
}

int
main(int argc, char **argv)
{
    int n = 100000;
    const char *out = NULL, *datadir = getenv("SOVMAP_DATA");
    bool write_only = false;
    SM_ERROR(e);
    struct import_map *map = NULL;
    double parse = 1e9, import = 1e9;
    size_t len;
    char *text;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--write") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--write-only") == 0)
            write_only = true;
        else
            n = atoi(argv[i]);
    }
    if (!datadir || !*datadir)
        datadir = "data";
    text = generate(n, &len);
    if (out && bench_save(out, text, len))
        return 1;
    if (out && write_only) {
        free(text);
        return 0;
    }
    {
        char path[4096];
        snprintf(path, sizeof path, "%s/import-map.json", datadir);
        if (import_map_load(NULL, path, &map, &e)) {
            fprintf(stderr, "%s\n", e.msg);
            return 1;
        }
    }
    for (int rep = 0; rep < 3; rep++) {
        json_error_t je;
        double t0 = bench_wall();
        json_t *root = json_loadb(text, len, 0, &je);
        double t1 = bench_wall();
        if (!root) {
            fprintf(stderr, "generated text does not parse: %s\n", je.text);
            return 1;
        }
        json_decref(root);
        if (t1 - t0 < parse)
            parse = t1 - t0;
    }
    for (int rep = 0; rep < 3; rep++) {
        struct import_opts o = { .now = "2026-11-26T00:00:00Z" };
        struct model *m = model_new();
        struct import_run *run;
        double t0, t1;
        int32_t tiers[3];
        static const char *const names[] = { "public", "confidential", "restricted" };
        if (!m || refdata_load_regions(datadir, m, &e)) {
            fprintf(stderr, "%s\n", e.msg);
            return 1;
        }
        for (int k = 0; k < 3; k++) {
            struct tier t;
            model_tier_init(&t);
            t.name = names[k];
            t.rank = k + 1;
            model_add_tier(m, &t, &tiers[k], NULL);
        }
        t0 = bench_wall();
        run = import_run_new(map, &o);
        if (!run || import_run_add_file(run, "bench.json", text, len, &e) ||
            import_run_parse(run, importer_find("atlas"), &e) || import_run_apply(run, m, &e)) {
            fprintf(stderr, "import failed: %s\n", e.msg);
            return 1;
        }
        t1 = bench_wall();
        if (rep == 0) {
            const struct import_stats *s = import_run_stats(run);
            printf("entities: %d (%zu bytes); datasets %d, fields %d, tags %d, skipped %d\n",
                   n, len, s->datasets_new, s->fields_new, s->tags_added, s->skipped);
        }
        import_run_free(run);
        model_free(m);
        if (t1 - t0 < import)
            import = t1 - t0;
    }
    printf("jansson parse: %.3f s\nimport (parse + map + apply): %.3f s\nratio: %.2fx "
           "(target < 2x)\n", parse, import, import / parse);
    import_map_free(map);
    free(text);
    return import < 2 * parse ? 0 : 1;
}
