/*
 * glue_bench.c - the AWS Glue / Lake Formation import next to jansson's bare
 * parse of the same text (the Glue side of the "import < 2x parse" target).
 *
 *   glue_bench [N] [--write DIR]
 *
 * Generates the files an architect exports from AWS for the same estate as
 * bench_import's Atlas file of N entities: N / 8 tables of 6 columns
 * (bench_import counts a table, its 6 columns and its storage descriptor as
 * 8 Atlas entities), as
 *   - a Glue `get-tables` response (TableList: columns, a partition key,
 *     owner, description, S3 location), and
 *   - a Lake Formation `search-tables-by-lf-tags` response (TableList of
 *     Table, LFTagOnDatabase, LFTagsOnTable, LFTagsOnColumns: sovereignty,
 *     tier, domain on tables, sensitivity=pii on two columns).
 * Times json_loadb of both texts alone, and the whole import (Glue parse +
 * apply, then Lake Formation parse + apply, into a model holding the shipped
 * regions and three tiers), best of 3 each. --write DIR saves both files
 * (get-tables.json, search-tables-by-lf-tags.json) for `sovmap import`.
 * Output lines as bench_import's, for bench/run.sh.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "import.h"
#include "refdata.h"
#define BENCH_PROG "glue_bench"
#include "bench.h"

static const char *const cols[6][2] = {
    { "id", "bigint" }, { "email", "string" }, { "full_name", "string" },
    { "amount", "decimal(12,2)" }, { "country_code", "string" }, { "updated_at", "timestamp" },
};

static void
lftag(struct bench_buf *b, const char *key, const char *value, int first)
{
    bench_put(b, "%s{\"CatalogId\": \"111122223333\", \"TagKey\": \"%s\", \"TagValues\": [\"%s\"]}",
        first ? "" : ", ", key, value);
}

static void
generate(int ntables, struct bench_buf *glue, struct bench_buf *lf)
{
    static const char *const domains[] = { "loyalty", "billing", "crm", "telemetry" };

    bench_put(glue, "{\n    \"TableList\": [\n");
    bench_put(lf, "{\n    \"TableList\": [\n");
    for (int t = 0; t < ntables; t++) {
        int db = t % 97;
        const char *dom = domains[t % 4];
        bench_put(glue, "%s        {\"Name\": \"table%d\", \"DatabaseName\": \"db%d\", "
            "\"Description\": \"bench table %d\", \"Owner\": \"etl\", "
            "\"CreateTime\": \"2024-03-02T09:14:11+00:00\", "
            "\"UpdateTime\": \"2024-05-02T08:53:32+00:00\", \"Retention\": 0, "
            "\"StorageDescriptor\": {\"Columns\": [", t ? ",\n" : "", t, db, t);
        for (int c = 0; c < 6; c++)
            bench_put(glue, "%s{\"Name\": \"%s\", \"Type\": \"%s\"%s}", c ? ", " : "", cols[c][0],
                cols[c][1], c == 1 ? ", \"Comment\": \"contact e-mail\"" : "");
        bench_put(glue, "], \"Location\": \"s3://bench-eu-west-1/warehouse/db%d.db/table%d/\", "
            "\"InputFormat\": \"org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat\", "
            "\"OutputFormat\": \"org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat\", "
            "\"Compressed\": false, \"NumberOfBuckets\": -1, \"SerdeInfo\": "
            "{\"SerializationLibrary\": \"org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe\", "
            "\"Parameters\": {\"serialization.format\": \"1\"}}, \"BucketColumns\": [], "
            "\"SortColumns\": [], \"Parameters\": {}, \"StoredAsSubDirectories\": false}, "
            "\"PartitionKeys\": [{\"Name\": \"dt\", \"Type\": \"string\"}], "
            "\"TableType\": \"EXTERNAL_TABLE\", \"Parameters\": {\"classification\": \"parquet\", "
            "\"EXTERNAL\": \"TRUE\"}, \"CreatedBy\": \"arn:aws:sts::111122223333:assumed-role/etl\", "
            "\"IsRegisteredWithLakeFormation\": true, \"CatalogId\": \"111122223333\", "
            "\"VersionId\": \"1\"}", db, t);

        bench_put(lf, "%s        {\"Table\": {\"CatalogId\": \"111122223333\", \"DatabaseName\": \"db%d\", "
            "\"Name\": \"table%d\"}, \"LFTagOnDatabase\": [", t ? ",\n" : "", db, t);
        lftag(lf, "domain", dom, 1);
        bench_put(lf, "], \"LFTagsOnTable\": [");
        lftag(lf, "domain", dom, 1);
        lftag(lf, "sovereignty", t % 2 ? "eu" : "us", 0);
        lftag(lf, "tier", t % 3 == 0 ? "tier1" : t % 3 == 1 ? "tier2" : "tier3", 0);
        bench_put(lf, "], \"LFTagsOnColumns\": [");
        for (int c = 0; c < 6; c++) {
            bench_put(lf, "%s{\"Name\": \"%s\", \"LFTags\": [", c ? ", " : "", cols[c][0]);
            lftag(lf, "domain", dom, 1);
            if (c == 1 || c == 2)
                lftag(lf, "sensitivity", "pii", 0);
            bench_put(lf, "]}");
        }
        bench_put(lf, "]}");
    }
    bench_put(glue, "\n    ]\n}\n");
    bench_put(lf, "\n    ]\n}\n");
}

static int
save(const char *dir, const char *name, const struct bench_buf *b)
{
    char path[4096];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    return bench_save(path, b->p, b->len);
}

int
main(int argc, char **argv)
{
    int n = 100000;
    const char *out = NULL, *datadir = getenv("SOVMAP_DATA");
    SM_ERROR(e);
    struct import_map *map = NULL;
    struct bench_buf glue = { 0 }, lf = { 0 };
    double parse = 1e9, import = 1e9;
    int ntables;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--write") == 0 && i + 1 < argc)
            out = argv[++i];
        else
            n = atoi(argv[i]);
    }
    if (!datadir || !*datadir)
        datadir = "data";
    ntables = n / 8 > 0 ? n / 8 : 1;
    generate(ntables, &glue, &lf);
    if (out && (save(out, "get-tables.json", &glue) || save(out, "search-tables-by-lf-tags.json", &lf)))
        return 1;
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
        json_t *a = json_loadb(glue.p, glue.len, 0, &je);
        json_t *b = a ? json_loadb(lf.p, lf.len, 0, &je) : NULL;
        double t1 = bench_wall();
        if (!a || !b) {
            fprintf(stderr, "generated text does not parse: %s\n", je.text);
            return 1;
        }
        json_decref(a);
        json_decref(b);
        if (t1 - t0 < parse)
            parse = t1 - t0;
    }
    for (int rep = 0; rep < 3; rep++) {
        struct import_opts o = { .now = "2026-11-26T00:00:00Z", .region = "eu-west-1" };
        struct model *m = model_new();
        struct import_run *rg = NULL, *rl = NULL;
        static const char *const names[] = { "public", "confidential", "restricted" };
        double t0, t1;

        if (!m || refdata_load_regions(datadir, m, &e)) {
            fprintf(stderr, "%s\n", e.msg);
            return 1;
        }
        for (int k = 0; k < 3; k++) {
            struct tier t;
            model_tier_init(&t);
            t.name = names[k];
            t.rank = k + 1;
            model_add_tier(m, &t, NULL, NULL);
        }
        t0 = bench_wall();
        rg = import_run_new(map, &o);
        if (!rg || import_run_add_file(rg, "get-tables.json", glue.p, glue.len, &e) ||
            import_run_parse(rg, importer_find("glue"), &e) || import_run_apply(rg, m, &e)) {
            fprintf(stderr, "glue import failed: %s\n", e.msg);
            return 1;
        }
        rl = import_run_new(map, &o);
        if (!rl || import_run_add_file(rl, "search-tables-by-lf-tags.json", lf.p, lf.len, &e) ||
            import_run_parse(rl, importer_find("lf-tags") ? importer_find("lf-tags") : importer_find("lf"), &e) ||
            import_run_apply(rl, m, &e)) {
            fprintf(stderr, "lake formation import failed: %s\n", e.msg);
            return 1;
        }
        t1 = bench_wall();
        if (rep == 0) {
            const struct import_stats *sg = import_run_stats(rg), *sl = import_run_stats(rl);
            printf("tables: %d (%zu + %zu bytes); glue: datasets %d, fields %d, skipped %d; "
                   "lake formation: tags %d, skipped %d\n", ntables, glue.len, lf.len,
                   sg->datasets_new, sg->fields_new, sg->skipped, sl->tags_added, sl->skipped);
        }
        import_run_free(rg);
        import_run_free(rl);
        model_free(m);
        if (t1 - t0 < import)
            import = t1 - t0;
    }
    printf("jansson parse: %.3f s\nimport (parse + map + apply): %.3f s\nratio: %.2fx "
           "(target < 2x)\n", parse, import, import / parse);
    import_map_free(map);
    free(glue.p);
    free(lf.p);
    return import < 2 * parse ? 0 : 1;
}
