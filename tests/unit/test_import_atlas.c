/*
 * test_import_atlas.c - the Atlas importer on the Tidewater fixtures: entity
 * bulk, basic search, lineage; what each dataset ends up with (tier,
 * subjects, field tags, provenance, region, flows), idempotent re-import,
 * a changed export updating in place, and malformed input.
 */
#include "import_test.h"

#define CUSTOMERS_GUID "3a3a965d-e8f1-5569-af40-480582c7495c"
#define DB_GUID "e2b162a9-a621-5442-a2ad-fd0fea0ea335"
#define BACKUP_DIR "s3a://tidewater-vault-sa-east-1/crm/customer_exports/"

static const char *const bulk[] = { "atlas/entities-bulk.json", NULL };
static const char *const all[] = { "atlas/entities-bulk.json", "atlas/search-basic.json",
                                   "atlas/lineage.json", NULL };

static void
test_bulk(void **state)
{
    struct model *m = it_model();
    struct import_map *map = it_map(false);
    SM_ERROR(e);
    struct import_run *run;
    const struct import_stats *s;
    int32_t t;

    (void)state;
    run = it_import(m, map, "atlas", NULL, bulk, &e);
    if (!run)
        fail_msg("%s", e.msg);
    s = import_run_stats(run);

    /* rewards_eu.customers: tier1 + sovereignty EU, PII columns */
    assert_string_equal(it_tier_of(m, "rewards_eu.customers"), "restricted");
    assert_string_equal(it_subjects(m, "rewards_eu.customers"), "EU");
    assert_string_equal(it_primary(m, "rewards_eu.customers"), "aws:eu-west-1");
    assert_string_equal(m->datasets[it_ds(m, "rewards_eu.customers")].source_ref, CUSTOMERS_GUID);
    assert_int_equal(it_nfields(m, "rewards_eu.customers"), 6);
    assert_int_not_equal(it_tag(m, "rewards_eu.customers", "email", "pii.email"), SM_NONE);
    assert_int_not_equal(it_tag(m, "rewards_eu.customers", "full_name", "pii.name"), SM_NONE);
    assert_int_not_equal(it_tag(m, "rewards_eu.customers", "credit_card", "pii.credit_card"),
                         SM_NONE);
    assert_int_equal(it_ntags(m, "rewards_eu.customers", true), 3);
    t = it_tag(m, "rewards_eu.customers", NULL, "sovereignty=EU");
    assert_int_not_equal(t, SM_NONE);
    assert_string_equal(m->tags[t].entity, CUSTOMERS_GUID);  /* direct beats inherited */
    assert_string_equal(m->tags[t].source, "atlas/entities-bulk.json");
    assert_string_equal(m->tags[t].time, "2026-11-26T00:00:00Z");
    assert_int_equal(model_dataset_personal_fields(m, it_ds(m, "rewards_eu.customers")), 3);

    /* customer_rollup: propagated tier1, the db's sovereignty inherited */
    assert_string_equal(it_tier_of(m, "rewards_eu.customer_rollup"), "restricted");
    assert_string_equal(it_primary(m, "rewards_eu.customer_rollup"), "aws:eu-west-1");
    assert_int_equal(it_ntags(m, "rewards_eu.customer_rollup", true), 0);
    assert_int_equal(it_nfields(m, "rewards_eu.customer_rollup"), 3);
    t = it_tag(m, "rewards_eu.customer_rollup", NULL, "sovereignty=EU");
    assert_int_not_equal(t, SM_NONE);
    assert_string_equal(m->tags[t].entity, DB_GUID " (database, inherited)");
    assert_string_equal(it_subjects(m, "rewards_eu.customer_rollup"), "EU");

    assert_string_equal(it_tier_of(m, "rewards_us.customers"), "restricted");
    assert_string_equal(it_subjects(m, "rewards_us.customers"), "US");
    assert_string_equal(it_primary(m, "rewards_us.customers"), "aws:us-east-1");
    assert_int_not_equal(it_tag(m, "rewards_us.customers", "ssn", "pii.ssn"), SM_NONE);
    assert_int_equal(it_ntags(m, "rewards_us.customers", true), 3);

    assert_string_equal(it_tier_of(m, "logistics_eu.gps_raw"), "confidential");
    assert_string_equal(it_subjects(m, "logistics_eu.gps_raw"), "EU");
    assert_string_equal(it_primary(m, "logistics_eu.gps_raw"), "aws:eu-central-1");
    assert_int_not_equal(it_tag(m, "logistics_eu.gps_raw", "vehicle_vin", "pii.vehicle_vin"),
                         SM_NONE);
    assert_int_not_equal(it_tag(m, "logistics_eu.gps_raw", "driver_id", "pii.driver_id"),
                         SM_NONE);

    assert_string_equal(it_tier_of(m, "logistics_apac.riders"), "restricted");
    assert_string_equal(it_subjects(m, "logistics_apac.riders"), "");
    assert_string_equal(it_primary(m, "logistics_apac.riders"), "aws:ap-southeast-1");
    assert_int_not_equal(it_tag(m, "logistics_apac.riders", "licence_no", "pii.national_id"),
                         SM_NONE);

    /* the backup directory: tier1 propagated from the EU customers table,
     * region from its bucket through the container chain */
    assert_string_equal(it_tier_of(m, BACKUP_DIR), "restricted");
    assert_string_equal(it_primary(m, BACKUP_DIR), "aws:sa-east-1");
    assert_string_equal(it_tier_of(m, "s3a://tidewater-vault-sa-east-1"), "public");
    assert_string_equal(it_primary(m, "s3a://tidewater-vault-sa-east-1"), "aws:sa-east-1");
    assert_string_equal(it_primary(m, "s3a://tidewater-rewards-eu-west-1/inbound/customers/"),
                        "aws:eu-west-1");

    /* 5 tables, 5 buckets, 4 directories */
    assert_int_equal(it_ndatasets(m), 14);
    assert_int_equal(s->datasets_new, 14);
    assert_int_equal(s->no_region, 0);
    /* 1 hive_db + 5 storage descriptors */
    assert_int_equal(s->skipped, 6);
    assert_int_equal(it_nflows(m), 0);
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

static void
test_propagated_provenance(void **state)
{
    struct model *m = it_model();
    struct import_map *map = it_map(false);
    SM_ERROR(e);
    struct import_run *run;
    int32_t d;
    bool found = false;

    (void)state;
    run = it_import(m, map, "atlas", NULL, bulk, &e);
    assert_non_null(run);
    /* the backup dir's tier1 came from the customers table: its tier tag says so */
    d = it_ds(m, BACKUP_DIR);
    assert_int_equal(m->datasets[d].tier, model_tier(m, "restricted"));
    {
        int32_t t = it_tag(m, BACKUP_DIR, NULL, "tier=tier1");
        assert_int_not_equal(t, SM_NONE);
        assert_string_equal(m->tags[t].entity, "62334f53-49fe-5357-a165-09da2908d015 "
                            "(propagated from " CUSTOMERS_GUID ")");
        t = it_tag(m, "rewards_eu.customers", NULL, "tier=tier1");
        assert_string_equal(m->tags[t].entity, CUSTOMERS_GUID);
    }
    /* PII on columns never reaches the table as a dataset tag */
    for (int32_t t = m->datasets[it_ds(m, "rewards_eu.customers")].first_tag; t != SM_NONE;
         t = m->tags[t].next)
        found |= m->tags[t].field == SM_NONE && model_tag_under(m->tags[t].tag, "pii");
    assert_false(found);
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

static void
test_lineage_flows(void **state)
{
    struct model *m = it_model();
    struct import_map *map = it_map(false);
    SM_ERROR(e);
    struct import_run *run;

    (void)state;
    run = it_import(m, map, "atlas", NULL, all, &e);
    if (!run)
        fail_msg("%s", e.msg);
    assert_int_equal(it_nflows(m), 3);
    assert_true(it_flow(m, "s3a://tidewater-rewards-eu-west-1/inbound/customers/",
                        "rewards_eu.customers"));
    assert_true(it_flow(m, "rewards_eu.customers", "rewards_eu.customer_rollup"));
    /* the EU-sovereign table feeds a copy in sa-east-1: only lineage shows it */
    assert_true(it_flow(m, "rewards_eu.customers", BACKUP_DIR));
    assert_int_equal(import_run_stats(run)->flows_new, 3);
    /* search headers add nothing new to the bulk's columns */
    assert_int_equal(it_ntags(m, "rewards_eu.customers", true), 3);
    assert_int_equal(it_ndatasets(m), 14);
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

static void
test_search_alone(void **state)
{
    static const char *const files[] = { "atlas/search-basic.json", NULL };
    struct model *m = it_model();
    struct import_map *map = it_map(false);
    SM_ERROR(e);
    struct import_run *run;

    (void)state;
    run = it_import(m, map, "atlas", NULL, files, &e);
    if (!run)
        fail_msg("%s", e.msg);
    /* columns name their tables through qualifiedName db.table.column@ns */
    assert_int_equal(it_ndatasets(m), 4);
    assert_int_not_equal(it_tag(m, "rewards_eu.customers", "email", "pii.email"), SM_NONE);
    assert_int_not_equal(it_tag(m, "logistics_apac.riders", "licence_no", "pii.national_id"),
                         SM_NONE);
    assert_int_equal(it_ntags(m, "rewards_us.customers", true), 3);
    /* no location in a search result: no copy, reported, never guessed */
    assert_string_equal(it_primary(m, "rewards_eu.customers"), "");
    assert_int_equal(import_run_stats(run)->no_region, 4);
    import_run_free(run);

    /* with --region the catalog's region is used, weakly */
    struct import_opts o = { .region = "eu-west-1" };
    model_free(m);
    m = it_model();
    run = it_import(m, map, "atlas", &o, files, &e);
    assert_non_null(run);
    assert_string_equal(it_primary(m, "logistics_apac.riders"), "aws:eu-west-1");
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

static void
test_reimport_changes_nothing(void **state)
{
    struct model *m = it_model();
    struct import_map *map = it_map(false);
    SM_ERROR(e);
    struct import_run *run;
    struct import_opts later = { .now = "2027-01-01T00:00:00Z" };
    char *before, *after;

    (void)state;
    run = it_import(m, map, "atlas", NULL, all, &e);
    assert_non_null(run);
    assert_true(import_run_changed(run));
    import_run_free(run);
    before = it_dump(m);
    run = it_import(m, map, "atlas", &later, all, &e);
    assert_non_null(run);
    after = it_dump(m);
    assert_string_equal(before, after);     /* not even provenance times */
    assert_false(import_run_changed(run));
    assert_int_equal(import_run_stats(run)->datasets_new, 0);
    assert_int_equal(import_run_stats(run)->datasets_changed, 0);
    assert_int_equal(import_run_stats(run)->tags_added, 0);
    assert_int_equal(import_run_stats(run)->tags_removed, 0);
    {
        const struct import_touched *t;
        assert_int_equal(import_run_touched(run, &t), 0);
    }
    free(before);
    free(after);
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

/* Copy a fixture with edits applied (string replacements). */
static const char *
edited_copy(const char *rel, const char *name, const char *const *pairs)
{
    size_t len;
    char *text = tl_slurp(it_fixture(rel), &len);
    const char *path = tl_path(tl_tmpdir(), name);
    FILE *f;

    assert_non_null(text);
    for (int i = 0; pairs[i]; i += 2) {
        char *at = strstr(text, pairs[i]);
        assert_non_null(at);
        size_t a = strlen(pairs[i]), b = strlen(pairs[i + 1]);
        char *n = malloc(len - a + b + 1);
        memcpy(n, text, (size_t)(at - text));
        memcpy(n + (at - text), pairs[i + 1], b);
        memcpy(n + (at - text) + b, at + a, len - (size_t)(at - text) - a + 1);
        len = len - a + b;
        free(text);
        text = n;
    }
    f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(text, 1, len, f);
    fclose(f);
    free(text);
    return path;
}

static void
test_changed_export_updates_in_place(void **state)
{
    /* telemetry_raw goes tier2 -> tier1, and vehicle_vin loses its PII */
    static const char *const edits[] = {
        "\"typeName\": \"tier2\"", "\"typeName\": \"tier1\"",
        "\"type\": \"vehicle_vin\"", "\"type\": \"vin\"",
        NULL
    };
    struct model *m = it_model();
    struct import_map *map = it_map(false);
    SM_ERROR(e);
    struct import_run *run;
    const char *files[2] = { NULL, NULL };
    struct import_opts later = { .now = "2027-01-01T00:00:00Z" };
    int32_t t, nds;
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    (void)state;
    run = it_import(m, map, "atlas", NULL, bulk, &e);
    assert_non_null(run);
    import_run_free(run);
    nds = m->ndatasets;
    files[0] = edited_copy("atlas/entities-bulk.json", "bulk-edited.json", edits);
    run = it_import(m, map, "atlas", &later, files, &e);
    if (!run)
        fail_msg("%s", e.msg);
    assert_int_equal(m->ndatasets, nds);        /* upsert by guid, nothing new */
    assert_string_equal(it_tier_of(m, "logistics_eu.gps_raw"), "restricted");
    assert_int_equal(it_tag(m, "logistics_eu.gps_raw", "vehicle_vin", "pii.vehicle_vin"),
                     SM_NONE);
    t = it_tag(m, "logistics_eu.gps_raw", "vehicle_vin", "pii.vin");
    assert_int_not_equal(t, SM_NONE);
    assert_string_equal(m->tags[t].time, "2027-01-01T00:00:00Z");   /* changed: new time */
    t = it_tag(m, "logistics_eu.gps_raw", "driver_id", "pii.driver_id");
    assert_string_equal(m->tags[t].time, "2026-11-26T00:00:00Z");   /* kept */
    assert_int_equal(import_run_stats(run)->datasets_changed, 1);
    /* pii.vehicle_vin and tier=tier2 go, pii.vin and tier=tier1 come */
    assert_int_equal(import_run_stats(run)->tags_removed, 2);
    assert_int_equal(import_run_stats(run)->tags_added, 2);
    f = open_memstream(&buf, &len);
    import_run_print_diff(run, f);
    fclose(f);
    assert_non_null(strstr(buf, "~ dataset logistics_eu.gps_raw\n"));
    assert_non_null(strstr(buf, "  ~ tier confidential -> restricted\n"));
    assert_non_null(strstr(buf, "  - tag vehicle_vin: pii.vehicle_vin"));
    assert_non_null(strstr(buf, "  + tag vehicle_vin: pii.vin"));
    free(buf);
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

static void
test_malformed(void **state)
{
    struct model *m = it_model();
    struct import_map *map = it_map(false);
    SM_ERROR(e);
    struct import_run *run;
    size_t len;
    char *text = tl_slurp(it_fixture("atlas/lineage.json"), &len);
    const char *path = tl_path(tl_tmpdir(), "truncated.json");
    const char *files[] = { path, NULL };
    char *before = it_dump(m), *after;
    FILE *f = fopen(path, "wb");

    (void)state;
    assert_non_null(text);
    fwrite(text, 1, len / 2, f);
    fclose(f);
    run = it_import(m, map, "atlas", NULL, files, &e);
    assert_null(run);
    assert_int_equal(e.code, SM_EPARSE);
    /* file:line:column: message */
    assert_true(strncmp(e.msg, path, strlen(path)) == 0);
    {
        int line = 0, col = 0;
        assert_int_equal(sscanf(e.msg + strlen(path), ":%d:%d:", &line, &col), 2);
        assert_true(line > 1);
    }
    after = it_dump(m);
    assert_string_equal(before, after);

    /* a Glue file is not an Atlas export */
    files[0] = "glue/get-tables.json";
    run = it_import(m, map, "atlas", NULL, files, &e);
    assert_null(run);
    assert_non_null(strstr(e.msg, "not a atlas export"));
    free(before);
    free(after);
    free(text);
    import_map_free(map);
    model_free(m);
}

static void
test_deleted_and_contradictions(void **state)
{
    static const char *const del[] = {
        "\"guid\": \"6b7da4c2-307d-5437-8593-417db4ef7c8b\",\n      \"isIncomplete\": false,"
        "\n      \"provenanceType\": 0,\n      \"status\": \"ACTIVE\"",
        "\"guid\": \"6b7da4c2-307d-5437-8593-417db4ef7c8b\",\n      \"isIncomplete\": false,"
        "\n      \"provenanceType\": 0,\n      \"status\": \"DELETED\"",
        NULL
    };
    static const char *const tier3[] = {
        "\"typeName\": \"tier2\"", "\"typeName\": \"tier3\"", NULL
    };
    struct model *m = it_model();
    struct import_map *map = it_map(false);
    SM_ERROR(e);
    struct import_run *run;
    const char *files[3] = { NULL, NULL, NULL };
    char *text = tl_slurp(it_fixture("atlas/entities-bulk.json"), NULL);
    bool can_delete;

    (void)state;
    assert_non_null(text);
    can_delete = strstr(text, del[0]) != NULL;
    assert_true(can_delete);
    free(text);
    if (can_delete) {
        files[0] = edited_copy("atlas/entities-bulk.json", "bulk-deleted.json", del);
        run = it_import(m, map, "atlas", NULL, files, &e);
        assert_non_null(run);
        assert_int_equal(model_dataset(m, "logistics_apac.riders"), SM_NONE);
        /* its 3 columns are not orphaned into a dataset of their own */
        assert_int_equal(it_ndatasets(m), 13);
        import_run_free(run);
        model_free(m);
        m = it_model();
    }
    /* two files disagree on telemetry_raw's tier: reported, highest kept */
    files[0] = "atlas/entities-bulk.json";
    files[1] = edited_copy("atlas/entities-bulk.json", "bulk-tier3.json", tier3);
    run = it_import(m, map, "atlas", NULL, files, &e);
    if (!run)
        fail_msg("%s", e.msg);
    assert_int_equal(import_run_stats(run)->conflicts, 1);
    assert_string_equal(it_tier_of(m, "logistics_eu.gps_raw"), "confidential");
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

static void
test_hostile_names(void **state)
{
    /* quotes, markup, SQL, control bytes and 10 KB names import as data and
     * come out of the diff escaped */
    const char *path = tl_path(tl_tmpdir(), "hostile.json");
    const char *files[] = { path, NULL };
    struct model *m = it_model();
    struct import_map *map = it_map(false);
    SM_ERROR(e);
    struct import_run *run;
    char *longname = malloc(10001), *buf = NULL, *name;
    size_t len = 0;
    FILE *f;

    (void)state;
    memset(longname, 'x', 10000);
    longname[10000] = 0;
    f = fopen(path, "wb");
    fprintf(f, "{\"entities\": [{\"typeName\": \"kafka_topic\", \"guid\": \"h1\", "
            "\"status\": \"ACTIVE\", \"attributes\": {\"qualifiedName\": "
            "\"<script>\\\"; DROP TABLE dataset; --\\u001b[31m@ns\"}, "
            "\"classifications\": [{\"typeName\": \"%s\", \"entityGuid\": \"h1\"},"
            " {\"typeName\": \"%s2\", \"entityGuid\": \"h1\"}]}], "
            "\"referredEntities\": {}}", longname, longname);
    fclose(f);
    run = it_import(m, map, "atlas", NULL, files, &e);
    if (!run)
        fail_msg("%s", e.msg);
    name = "<script>\"; DROP TABLE dataset; --\x1b[31m";
    assert_int_not_equal(model_dataset(m, name), SM_NONE);
    /* two 10 KB tags that differ only at the end are two tags */
    assert_int_equal(it_ntags(m, name, false), 2);
    f = open_memstream(&buf, &len);
    import_run_print_diff(run, f);
    fclose(f);
    assert_null(strchr(buf, 0x1b));
    assert_non_null(strstr(buf, "--\\x1b[31m"));
    free(buf);
    free(longname);
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

static void
test_schemes_and_legacy_refs(void **state)
{
    /* s3:// vs s3a:// vs S3N:// name the same bucket; legacy references
     * inside "attributes" are followed; a bucket's "EU" is eu-west-1 */
    const char *path = tl_path(tl_tmpdir(), "legacy.json");
    const char *files[] = { path, NULL };
    struct model *m = it_model();
    struct import_map *map = it_map(false);
    SM_ERROR(e);
    struct import_run *run;
    FILE *f = fopen(path, "wb");

    (void)state;
    fputs("{\"entities\": ["
          " {\"typeName\": \"aws_s3_bucket\", \"guid\": \"b1\", \"status\": \"ACTIVE\","
          "  \"attributes\": {\"qualifiedName\": \"s3://old-bucket@cl\", \"name\": \"old-bucket\","
          "   \"region\": \"EU\"}},"
          " {\"typeName\": \"hive_table\", \"guid\": \"t1\", \"status\": \"ACTIVE\","
          "  \"attributes\": {\"qualifiedName\": \"db1.t@cl\", \"name\": \"t\","
          "   \"sd\": {\"guid\": \"sd1\", \"typeName\": \"hive_storagedesc\"}},"
          "  \"classifications\": [{\"typeName\": \"tier2\", \"entityGuid\": \"t1\"}]},"
          " {\"typeName\": \"hive_process\", \"guid\": \"p1\", \"status\": \"ACTIVE\","
          "  \"attributes\": {\"qualifiedName\": \"p1@cl\","
          "   \"inputs\": [{\"guid\": \"b1\", \"typeName\": \"aws_s3_bucket\"}],"
          "   \"outputs\": [{\"guid\": \"t1\", \"typeName\": \"hive_table\"}]}}],"
          " \"referredEntities\": {"
          "  \"sd1\": {\"typeName\": \"hive_storagedesc\", \"guid\": \"sd1\", \"status\": \"ACTIVE\","
          "   \"attributes\": {\"qualifiedName\": \"db1.t@cl_storage\","
          "    \"location\": \"S3N://Old-Bucket/warehouse/t\"}},"
          "  \"c1\": {\"typeName\": \"hive_column\", \"guid\": \"c1\", \"status\": \"ACTIVE\","
          "   \"attributes\": {\"qualifiedName\": \"db1.t.mail@cl\", \"name\": \"mail\","
          "    \"table\": {\"guid\": \"t1\", \"typeName\": \"hive_table\"}},"
          "   \"classifications\": [{\"typeName\": \"PII\", \"attributes\": {\"type\": \"Email\"},"
          "    \"entityGuid\": \"c1\"}]}}}", f);
    fclose(f);
    run = it_import(m, map, "atlas", NULL, files, &e);
    if (!run)
        fail_msg("%s", e.msg);
    assert_string_equal(it_primary(m, "s3://old-bucket"), "aws:eu-west-1");
    assert_string_equal(it_primary(m, "db1.t"), "aws:eu-west-1");
    assert_string_equal(it_tier_of(m, "db1.t"), "confidential");
    assert_int_not_equal(it_tag(m, "db1.t", "mail", "pii.email"), SM_NONE);
    assert_true(it_flow(m, "s3://old-bucket", "db1.t"));
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

/* A classification with more than 16 attributes: every one reaches the
 * mapping ("type" last, after 19 others of every kind, was dropped by a
 * fixed table of 16; issue #17). */
static void
test_many_attributes(void **state)
{
    const char *path = tl_path(tl_tmpdir(), "many.json");
    const char *files[] = { path, NULL };
    struct model *m = it_model();
    struct import_map *map = it_map(false);
    SM_ERROR(e);
    struct import_run *run;
    FILE *f = fopen(path, "wb");

    (void)state;
    assert_non_null(f);
    fputs("{\"entities\": ["
          " {\"typeName\": \"aws_s3_bucket\", \"guid\": \"b1\", \"status\": \"ACTIVE\","
          "  \"attributes\": {\"qualifiedName\": \"s3://b@cl\", \"name\": \"b\","
          "   \"region\": \"EU\"}},"
          " {\"typeName\": \"hive_table\", \"guid\": \"t1\", \"status\": \"ACTIVE\","
          "  \"attributes\": {\"qualifiedName\": \"db1.t@cl\", \"name\": \"t\","
          "   \"sd\": {\"guid\": \"sd1\", \"typeName\": \"hive_storagedesc\"}}}],"
          " \"referredEntities\": {"
          "  \"sd1\": {\"typeName\": \"hive_storagedesc\", \"guid\": \"sd1\", \"status\": \"ACTIVE\","
          "   \"attributes\": {\"qualifiedName\": \"db1.t@cl_storage\","
          "    \"location\": \"s3://b/warehouse/t\"}},"
          "  \"c1\": {\"typeName\": \"hive_column\", \"guid\": \"c1\", \"status\": \"ACTIVE\","
          "   \"attributes\": {\"qualifiedName\": \"db1.t.mail@cl\", \"name\": \"mail\","
          "    \"table\": {\"guid\": \"t1\", \"typeName\": \"hive_table\"}},"
          "   \"classifications\": [{\"typeName\": \"PII\", \"attributes\": {"
          "    \"a0\": \"x\", \"a1\": 1, \"a2\": 2.5, \"a3\": true, \"a4\": false, \"a5\": \"x\","
          "    \"a6\": \"x\", \"a7\": 7, \"a8\": \"x\", \"a9\": \"x\", \"a10\": \"x\", \"a11\": 11,"
          "    \"a12\": \"x\", \"a13\": \"x\", \"a14\": \"x\", \"a15\": \"x\", \"a16\": \"x\","
          "    \"a17\": \"x\", \"a18\": null, \"type\": \"Email\"},"
          "    \"entityGuid\": \"c1\"}]}}}", f);
    fclose(f);
    run = it_import(m, map, "atlas", NULL, files, &e);
    if (!run)
        fail_msg("%s", e.msg);
    assert_int_not_equal(it_tag(m, "db1.t", "mail", "pii.email"), SM_NONE);
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

static void
write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void
test_classifications_gone(void **state)
{
    /* a full entity without "classifications" has none: its old tags go,
     * tags typed by hand or from other sources stay, the tier stays; an
     * unknown tier in the mapping is a warning */
    const char *path = tl_path(tl_tmpdir(), "topic.json");
    const char *files[] = { path, NULL };
    struct model *m = it_model();
    struct import_map *map = it_map(false);
    SM_ERROR(e);
    struct import_run *run;
    int32_t d;

    (void)state;
    write_text(path, "{\"entity\": {\"typeName\": \"kafka_topic\", \"guid\": \"k1\","
               " \"status\": \"ACTIVE\", \"attributes\": {\"qualifiedName\": \"orders@k\"},"
               " \"classifications\": [{\"typeName\": \"tier1\", \"entityGuid\": \"k1\"},"
               " {\"typeName\": \"Finance\", \"entityGuid\": \"k1\"}]}}");
    run = it_import(m, map, "atlas", NULL, files, &e);
    assert_non_null(run);
    import_run_free(run);
    d = it_ds(m, "orders");
    assert_int_equal(model_add_tag(m, d, SM_NONE, "reviewed", "", "", "", NULL, NULL), SM_OK);
    write_text(path, "{\"entity\": {\"typeName\": \"kafka_topic\", \"guid\": \"k1\","
               " \"status\": \"ACTIVE\", \"attributes\": {\"qualifiedName\": \"orders@k\"}}}");
    run = it_import(m, map, "atlas", NULL, files, &e);
    assert_non_null(run);
    assert_int_equal(import_run_stats(run)->tags_removed, 2);
    assert_int_equal(it_tag(m, "orders", NULL, "Finance"), SM_NONE);
    assert_int_equal(it_tag(m, "orders", NULL, "tier=tier1"), SM_NONE);
    assert_int_not_equal(it_tag(m, "orders", NULL, "reviewed"), SM_NONE);
    assert_string_equal(it_tier_of(m, "orders"), "restricted");
    import_run_free(run);
    import_map_free(map);

    /* a mapping naming a tier the catalog lacks */
    {
        static const char text[] = "{\"rules\": [{\"name\": \"tier1\", \"tier\": \"secret\"}]}";
        map = NULL;
        assert_int_equal(import_map_load_text(NULL, text, sizeof text - 1, "m.json", &map, &e),
                         SM_OK);
    }
    write_text(path, "{\"entity\": {\"typeName\": \"kafka_topic\", \"guid\": \"k2\","
               " \"status\": \"ACTIVE\", \"attributes\": {\"qualifiedName\": \"pay@k\"},"
               " \"classifications\": [{\"typeName\": \"tier1\", \"entityGuid\": \"k2\"}]}}");
    run = it_import(m, map, "atlas", NULL, files, &e);
    assert_non_null(run);
    assert_string_equal(it_tier_of(m, "pay"), "");
    assert_int_equal(import_run_stats(run)->warnings, 2);   /* unknown tier, no region */
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bulk),
        cmocka_unit_test(test_propagated_provenance),
        cmocka_unit_test(test_lineage_flows),
        cmocka_unit_test(test_search_alone),
        cmocka_unit_test(test_reimport_changes_nothing),
        cmocka_unit_test(test_changed_export_updates_in_place),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_deleted_and_contradictions),
        cmocka_unit_test(test_hostile_names),
        cmocka_unit_test(test_schemes_and_legacy_refs),
        cmocka_unit_test(test_many_attributes),
        cmocka_unit_test(test_classifications_gone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
