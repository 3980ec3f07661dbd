/*
 * test_import_glue.c - the Glue importer on the Tidewater fixtures:
 * get-tables, get-table, get-databases, get-tags (with --input or
 * --resource-arn, and without: a usage error); regions from the bucket map,
 * resource links, --region and ARNs; `classification` read as a format.
 */
#include "import_test.h"

#define TAGS_ARN "arn:aws:glue:eu-west-1:210987654321:table/rewards_eu/customers"

static void
test_get_tables(void **state)
{
    static const char *const files[] = { "glue/get-tables.json", NULL };
    struct import_opts o = { .region = "eu-west-1" };
    struct model *m = it_model();
    struct import_map *map = it_map(true);
    SM_ERROR(e);
    struct import_run *run;

    (void)state;
    run = it_import(m, map, "glue", &o, files, &e);
    if (!run)
        fail_msg("%s", e.msg);
    assert_int_equal(it_ndatasets(m), 5);
    assert_string_equal(it_primary(m, "rewards_eu.customers"), "aws:eu-west-1");
    assert_string_equal(m->datasets[it_ds(m, "rewards_eu.customers")].source_ref,
                        "glue:210987654321/rewards_eu/customers");
    /* 6 columns and the partition key */
    assert_int_equal(it_nfields(m, "rewards_eu.customers"), 7);
    assert_int_not_equal(model_field(m, it_ds(m, "rewards_eu.customers"), "joined_month"),
                         SM_NONE);
    assert_string_equal(it_primary(m, "rewards_eu.transactions"), "aws:eu-west-1");
    assert_string_equal(it_primary(m, "rewards_eu.customer_rollup"), "aws:eu-west-1");
    /* the bucket is in us-east-1 although the catalog is in eu-west-1 */
    assert_string_equal(it_primary(m, "rewards_eu.store_locations"), "aws:us-east-1");
    /* a view has no storage: no copy, reported */
    assert_string_equal(it_primary(m, "rewards_eu.customer_rollup_v"), "");
    assert_int_equal(import_run_stats(run)->no_region, 1);
    /* Parameters.classification is a file format, never a label */
    for (int32_t i = 0; i < m->ndatasets; i++) {
        assert_int_equal(m->datasets[i].tier, SM_NONE);
        assert_int_equal(m->datasets[i].first_tag, SM_NONE);
    }
    /* ... it is kept as a property the table carries, with the other
     * Parameters, and the columns keep their types */
    {
        int32_t d = it_ds(m, "rewards_eu.customers");
        int32_t p = model_prop(m, d, "classification");
        assert_int_not_equal(p, SM_NONE);
        assert_string_equal(m->props[p].value, "parquet");
        assert_string_equal(m->props[p].entity, "glue:210987654321/rewards_eu/customers");
        assert_int_not_equal(model_prop(m, d, "recordCount"), SM_NONE);
        p = model_prop(m, it_ds(m, "rewards_eu.transactions"), "table_type");
        assert_int_not_equal(p, SM_NONE);
        assert_string_equal(m->props[p].value, "ICEBERG");
        assert_string_equal(m->fields[model_field(m, d, "date_of_birth")].type, "date");
    }
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

static void
test_regions_without_map(void **state)
{
    static const char *const files[] = { "glue/get-tables.json", NULL };
    struct model *m = it_model();
    struct import_map *map = it_map(false);
    SM_ERROR(e);
    struct import_run *run;
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    (void)state;
    /* no bucket map, no --region: nothing is guessed from bucket names */
    run = it_import(m, map, "glue", NULL, files, &e);
    assert_non_null(run);
    for (int32_t i = 0; i < m->ndatasets; i++)
        assert_int_equal(m->datasets[i].first_placement, SM_NONE);
    assert_int_equal(import_run_stats(run)->no_region, 5);
    f = open_memstream(&buf, &len);
    import_run_print_summary(run, f);
    fclose(f);
    assert_non_null(strstr(buf, "rewards_eu.store_locations: no region (bucket "
                                "tidewater-store-directory is not in the mapping file and no "
                                "--region was given)"));
    assert_non_null(strstr(buf, "rewards_eu.customer_rollup_v: no region (a view has no "
                                "storage of its own)"));
    free(buf);
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

static void
test_get_table_and_databases(void **state)
{
    static const char *const files[] = { "glue/get-databases.json", "glue/get-table.json",
                                         NULL };
    struct model *m = it_model();
    struct import_map *map = it_map(true);
    SM_ERROR(e);
    struct import_run *run;

    (void)state;
    run = it_import(m, map, "glue", NULL, files, &e);
    if (!run)
        fail_msg("%s", e.msg);
    assert_int_equal(it_ndatasets(m), 1);
    assert_string_equal(it_primary(m, "logistics_apac.riders"), "aws:ap-southeast-1");
    assert_int_equal(it_nfields(m, "logistics_apac.riders"), 5);
    assert_string_equal(m->datasets[it_ds(m, "logistics_apac.riders")].description,
                        "Courier master data (APAC hubs)");
    /* databases are not datasets */
    assert_int_equal(import_run_stats(run)->skipped, 5);
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

static void
test_resource_link_region(void **state)
{
    /* a table of the logistics_eu resource link (eu-central-1): no bucket map */
    const char *tbl = tl_path(tl_tmpdir(), "logistics-table.json");
    FILE *f = fopen(tbl, "wb");
    const char *files[] = { "glue/get-databases.json", tbl, NULL };
    struct model *m = it_model();
    struct import_map *map = it_map(false);
    SM_ERROR(e);
    struct import_run *run;

    (void)state;
    fputs("{\"Table\": {\"Name\": \"gps_raw\", \"DatabaseName\": \"logistics_eu\", "
          "\"StorageDescriptor\": {\"Columns\": [{\"Name\": \"vin\"}], "
          "\"Location\": \"s3://tidewater-logistics-eu-central-1/raw/telemetry\"}}}", f);
    fclose(f);
    run = it_import(m, map, "glue", NULL, files, &e);
    if (!run)
        fail_msg("%s", e.msg);
    assert_string_equal(it_primary(m, "logistics_eu.gps_raw"), "aws:eu-central-1");
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

static void
test_get_tags(void **state)
{
    static const char *const files[] = { "glue/get-tags.json", NULL };
    char input[4096];
    size_t len;
    char *text;
    struct import_opts o = { 0 };
    struct model *m = it_model();
    struct import_map *map = it_map(true);
    SM_ERROR(e);
    struct import_run *run;
    int32_t t;

    (void)state;
    /* without --input or --resource-arn: a usage error naming both */
    run = it_import(m, map, "glue", NULL, files, &e);
    assert_null(run);
    assert_int_equal(e.code, SM_EUSAGE);
    assert_non_null(strstr(e.msg, "--input FILE"));
    assert_non_null(strstr(e.msg, "--resource-arn ARN"));
    assert_int_equal(it_ndatasets(m), 0);

    snprintf(input, sizeof input, "%s", it_fixture("glue/get-tags.input.json"));
    text = tl_slurp(input, &len);
    assert_non_null(text);
    o.input = input;
    o.input_text = text;
    o.input_len = len;
    run = it_import(m, map, "glue", &o, files, &e);
    if (!run)
        fail_msg("%s", e.msg);
    assert_string_equal(it_tier_of(m, "rewards_eu.customers"), "restricted");
    assert_string_equal(it_subjects(m, "rewards_eu.customers"), "EU");
    t = it_tag(m, "rewards_eu.customers", NULL, "sovereignty=EU");
    assert_int_not_equal(t, SM_NONE);
    assert_string_equal(m->tags[t].entity, TAGS_ARN);
    assert_int_not_equal(it_tag(m, "rewards_eu.customers", NULL, "pii"), SM_NONE);
    /* unmapped tags are kept as free tags */
    assert_int_not_equal(it_tag(m, "rewards_eu.customers", NULL, "cost-center=CC-7720"),
                         SM_NONE);
    assert_int_not_equal(it_tag(m, "rewards_eu.customers", NULL, "owner-team=rewards-data"),
                         SM_NONE);
    assert_int_not_equal(it_tag(m, "rewards_eu.customers", NULL, "data-tier=tier1"), SM_NONE);
    assert_int_equal(it_ntags(m, "rewards_eu.customers", false), 5);
    /* the ARN's region is the catalog's: used when nothing better is known */
    assert_string_equal(it_primary(m, "rewards_eu.customers"), "aws:eu-west-1");
    import_run_free(run);
    free(text);

    /* the same through --resource-arn: nothing changes */
    {
        char *before = it_dump(m), *after;
        struct import_opts o2 = { .resource_arn = TAGS_ARN, .now = "2027-01-01T00:00:00Z" };
        run = it_import(m, map, "glue", &o2, files, &e);
        assert_non_null(run);
        assert_false(import_run_changed(run));
        after = it_dump(m);
        assert_string_equal(before, after);
        free(before);
        free(after);
        import_run_free(run);
    }
    /* a bad ARN is a usage error */
    {
        struct import_opts o3 = { .resource_arn = "arn:aws:s3:::bucket" };
        run = it_import(m, map, "glue", &o3, files, &e);
        assert_null(run);
        assert_int_equal(e.code, SM_EUSAGE);
    }
    import_map_free(map);
    model_free(m);
}

static void
test_arn_region_never_moves_a_copy(void **state)
{
    /* store_locations lives in us-east-1 (bucket map); tags fetched from the
     * eu-west-1 catalog must not move it */
    static const char *const tables[] = { "glue/get-tables.json", NULL };
    static const char *const tags[] = { "glue/get-tags.json", NULL };
    struct import_opts o = { .resource_arn =
                                 "arn:aws:glue:eu-west-1:210987654321:table/rewards_eu/store_locations" };
    struct model *m = it_model();
    struct import_map *map = it_map(true);
    SM_ERROR(e);
    struct import_run *run;

    (void)state;
    run = it_import(m, map, "glue", NULL, tables, &e);
    assert_non_null(run);
    import_run_free(run);
    run = it_import(m, map, "glue", &o, tags, &e);
    assert_non_null(run);
    assert_string_equal(it_primary(m, "rewards_eu.store_locations"), "aws:us-east-1");
    assert_string_equal(it_tier_of(m, "rewards_eu.store_locations"), "restricted");
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

static void
test_reimport_and_malformed(void **state)
{
    static const char *const files[] = { "glue/get-tables.json", "glue/get-table.json",
                                         "glue/get-databases.json", NULL };
    struct import_opts o = { .region = "eu-west-1" };
    struct model *m = it_model();
    struct import_map *map = it_map(true);
    SM_ERROR(e);
    struct import_run *run;
    char *before, *after, *text;
    size_t len;
    const char *bad = tl_path(tl_tmpdir(), "tables-truncated.json");
    const char *badfiles[] = { bad, NULL };
    FILE *f;

    (void)state;
    run = it_import(m, map, "glue", &o, files, &e);
    assert_non_null(run);
    import_run_free(run);
    before = it_dump(m);
    run = it_import(m, map, "glue", &o, files, &e);
    assert_non_null(run);
    assert_false(import_run_changed(run));
    import_run_free(run);
    after = it_dump(m);
    assert_string_equal(before, after);
    free(after);

    text = tl_slurp(it_fixture("glue/get-tables.json"), &len);
    f = fopen(bad, "wb");
    fwrite(text, 1, len - 40, f);
    fclose(f);
    free(text);
    run = it_import(m, map, "glue", &o, badfiles, &e);
    assert_null(run);
    assert_int_equal(e.code, SM_EPARSE);
    assert_true(strncmp(e.msg, bad, strlen(bad)) == 0 && e.msg[strlen(bad)] == ':');
    after = it_dump(m);
    assert_string_equal(before, after);
    free(before);
    free(after);

    /* an LF search result is not a Glue export */
    badfiles[0] = "lakeformation/search-tables-by-lf-tags.json";
    run = it_import(m, map, "glue", &o, badfiles, &e);
    assert_null(run);
    assert_non_null(strstr(e.msg, "not a glue export"));
    import_map_free(map);
    model_free(m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_tables),
        cmocka_unit_test(test_regions_without_map),
        cmocka_unit_test(test_get_table_and_databases),
        cmocka_unit_test(test_resource_link_region),
        cmocka_unit_test(test_get_tags),
        cmocka_unit_test(test_arn_region_never_moves_a_copy),
        cmocka_unit_test(test_reimport_and_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
