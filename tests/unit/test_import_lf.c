/*
 * test_import_lf.c - the Lake Formation importer on the Tidewater fixtures:
 * get-resource-lf-tags (effective tags, needs --input or --resource-arn),
 * search-tables-by-lf-tags; database -> table -> column inheritance with
 * the most specific tag winning and no tag counted twice; Atlas + LF into
 * one model.
 */
#include "import_test.h"

#define DBENT "lf:210987654321/rewards_eu (database, inherited)"

static struct import_run *
with_input(struct model *m, const struct import_map *map, const char *const *files,
           struct sm_error *e)
{
    static char path[4096];
    struct import_opts o = { 0 };
    struct import_run *run;
    size_t len;
    char *text;

    snprintf(path, sizeof path, "%s", it_fixture("lakeformation/get-resource-lf-tags.input.json"));
    text = tl_slurp(path, &len);
    assert_non_null(text);
    o.input = path;
    o.input_text = text;
    o.input_len = len;
    run = it_import(m, map, "lf-tags", &o, files, e);
    free(text);
    return run;
}

static void
test_get_resource_lf_tags(void **state)
{
    static const char *const files[] = { "lakeformation/get-resource-lf-tags.json", NULL };
    struct model *m = it_model();
    struct import_map *map = it_map(true);
    SM_ERROR(e);
    struct import_run *run;
    int32_t t, d;

    (void)state;
    run = it_import(m, map, "lf-tags", NULL, files, &e);
    assert_null(run);
    assert_int_equal(e.code, SM_EUSAGE);
    assert_non_null(strstr(e.msg, "--input FILE"));

    run = with_input(m, map, files, &e);
    if (!run)
        fail_msg("%s", e.msg);
    d = it_ds(m, "rewards_eu.customers");
    assert_int_equal(it_ndatasets(m), 1);
    assert_string_equal(it_tier_of(m, "rewards_eu.customers"), "restricted");
    assert_string_equal(it_subjects(m, "rewards_eu.customers"), "EU");
    assert_string_equal(m->datasets[d].system, "rewards");
    /* LF stores "eu"; subjects and tag are normalised */
    t = it_tag(m, "rewards_eu.customers", NULL, "sovereignty=EU");
    assert_int_not_equal(t, SM_NONE);
    assert_string_equal(m->tags[t].entity, DBENT);      /* inherited from the database */
    t = it_tag(m, "rewards_eu.customers", NULL, "sensitivity=confidential");
    assert_int_not_equal(t, SM_NONE);
    assert_string_equal(m->tags[t].entity, "lf:210987654321/rewards_eu/customers");
    assert_int_not_equal(it_tag(m, "rewards_eu.customers", NULL, "domain=rewards"), SM_NONE);
    assert_int_not_equal(it_tag(m, "rewards_eu.customers", NULL, "tier=tier1"), SM_NONE);
    assert_int_equal(it_ntags(m, "rewards_eu.customers", false), 4);
    /* columns: only what differs from the table: sensitivity=pii and pci */
    assert_int_equal(it_nfields(m, "rewards_eu.customers"), 7);
    assert_int_not_equal(it_tag(m, "rewards_eu.customers", "email", "pii"), SM_NONE);
    assert_int_not_equal(it_tag(m, "rewards_eu.customers", "full_name", "pii"), SM_NONE);
    assert_int_not_equal(it_tag(m, "rewards_eu.customers", "date_of_birth", "pii"), SM_NONE);
    assert_int_not_equal(it_tag(m, "rewards_eu.customers", "credit_card", "pii"), SM_NONE);
    assert_int_not_equal(it_tag(m, "rewards_eu.customers", "credit_card", "financial.pci"),
                         SM_NONE);
    assert_int_equal(it_ntags(m, "rewards_eu.customers", true), 5);
    assert_int_equal(model_dataset_personal_fields(m, d), 4);
    /* LF knows no location: no --region, no copy */
    assert_string_equal(it_primary(m, "rewards_eu.customers"), "");
    import_run_free(run);

    /* --resource-arn instead: the same tags, nothing changes */
    {
        char *before = it_dump(m), *after;
        struct import_opts o = {
            .resource_arn = "arn:aws:glue:eu-west-1:210987654321:table/rewards_eu/customers",
            .now = "2027-01-01T00:00:00Z" };
        run = it_import(m, map, "lf-tags", &o, files, &e);
        if (!run)
            fail_msg("%s", e.msg);
        after = it_dump(m);
        /* the ARN gives a region: a copy appears, tags stay as they were */
        assert_string_equal(it_primary(m, "rewards_eu.customers"), "aws:eu-west-1");
        assert_int_equal(import_run_stats(run)->tags_added, 0);
        assert_int_equal(import_run_stats(run)->tags_removed, 0);
        free(before);
        free(after);
        import_run_free(run);
    }
    import_map_free(map);
    model_free(m);
}

static void
test_search_tables(void **state)
{
    static const char *const files[] = { "lakeformation/search-tables-by-lf-tags.json", NULL };
    struct import_opts o = { .region = "eu-west-1" };
    struct model *m = it_model();
    struct import_map *map = it_map(true);
    SM_ERROR(e);
    struct import_run *run;
    char *before, *after;

    (void)state;
    run = it_import(m, map, "lf-tags", &o, files, &e);
    if (!run)
        fail_msg("%s", e.msg);
    assert_int_equal(it_ndatasets(m), 3);
    assert_string_equal(it_tier_of(m, "rewards_eu.customers"), "restricted");
    assert_string_equal(it_tier_of(m, "rewards_eu.transactions"), "confidential");
    assert_int_not_equal(it_tag(m, "rewards_eu.transactions", "card_token", "pii"), SM_NONE);
    assert_int_not_equal(it_tag(m, "rewards_eu.transactions", "card_token", "financial.pci"),
                         SM_NONE);
    assert_int_equal(it_ntags(m, "rewards_eu.transactions", true), 2);
    /* customers_2021: pii at table level, so its columns repeat nothing */
    assert_string_equal(it_tier_of(m, "rewards_archive.customers_2021"), "public");
    assert_int_not_equal(it_tag(m, "rewards_archive.customers_2021", NULL, "pii"), SM_NONE);
    assert_int_not_equal(it_tag(m, "rewards_archive.customers_2021", NULL, "lifecycle=archive"),
                         SM_NONE);
    assert_int_equal(it_ntags(m, "rewards_archive.customers_2021", true), 0);
    assert_int_equal(it_nfields(m, "rewards_archive.customers_2021"), 4);
    assert_string_equal(it_primary(m, "rewards_archive.customers_2021"), "aws:eu-west-1");
    import_run_free(run);

    before = it_dump(m);
    run = it_import(m, map, "lf-tags", &o, files, &e);
    assert_non_null(run);
    assert_false(import_run_changed(run));
    after = it_dump(m);
    assert_string_equal(before, after);
    free(before);
    free(after);
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

static void
test_changed_tag_removed(void **state)
{
    /* the next export drops pci from credit_card: the tag goes, others stay */
    static const char *const files[] = { "lakeformation/get-resource-lf-tags.json", NULL };
    const char *edited = tl_path(tl_tmpdir(), "lf-edited.json");
    const char *efiles[] = { edited, NULL };
    struct model *m = it_model();
    struct import_map *map = it_map(true);
    SM_ERROR(e);
    struct import_run *run;
    size_t len;
    char *text = tl_slurp(it_fixture("lakeformation/get-resource-lf-tags.json"), &len);
    char *at;
    FILE *f;

    (void)state;
    run = with_input(m, map, files, &e);
    assert_non_null(run);
    import_run_free(run);
    assert_non_null(text);
    at = strstr(text, "\"in-scope\"");
    assert_non_null(at);
    memcpy(at, "\"no-scope\"", 10);
    f = fopen(edited, "wb");
    fwrite(text, 1, len, f);
    fclose(f);
    free(text);
    run = with_input(m, map, efiles, &e);
    if (!run)
        fail_msg("%s", e.msg);
    assert_int_equal(it_tag(m, "rewards_eu.customers", "credit_card", "financial.pci"), SM_NONE);
    assert_int_not_equal(it_tag(m, "rewards_eu.customers", "credit_card", "pci=no-scope"),
                         SM_NONE);
    assert_int_not_equal(it_tag(m, "rewards_eu.customers", "credit_card", "pii"), SM_NONE);
    assert_int_equal(import_run_stats(run)->tags_removed, 1);
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

static void
test_atlas_then_lf(void **state)
{
    /* the README's conclusion: PII columns from Atlas, date_of_birth from LF */
    static const char *const atlas[] = { "atlas/entities-bulk.json", NULL };
    static const char *const lf[] = { "lakeformation/get-resource-lf-tags.json", NULL };
    struct model *m = it_model();
    struct import_map *map = it_map(true);
    SM_ERROR(e);
    struct import_run *run;
    int32_t d;

    (void)state;
    run = it_import(m, map, "atlas", NULL, atlas, &e);
    assert_non_null(run);
    import_run_free(run);
    run = with_input(m, map, lf, &e);
    if (!run)
        fail_msg("%s", e.msg);
    d = it_ds(m, "rewards_eu.customers");
    assert_int_equal(it_ndatasets(m), 14);      /* matched by name, no new dataset */
    assert_string_equal(m->datasets[d].source_ref, "3a3a965d-e8f1-5569-af40-480582c7495c");
    assert_string_equal(it_tier_of(m, "rewards_eu.customers"), "restricted");
    assert_string_equal(it_primary(m, "rewards_eu.customers"), "aws:eu-west-1");
    assert_int_not_equal(it_tag(m, "rewards_eu.customers", "email", "pii.email"), SM_NONE);
    assert_int_not_equal(it_tag(m, "rewards_eu.customers", "date_of_birth", "pii"), SM_NONE);
    assert_int_equal(model_dataset_personal_fields(m, d), 4);
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

static void
test_malformed(void **state)
{
    const char *bad = tl_path(tl_tmpdir(), "lf-bad.json");
    const char *files[] = { bad, NULL };
    struct model *m = it_model();
    struct import_map *map = it_map(true);
    SM_ERROR(e);
    struct import_run *run;
    FILE *f = fopen(bad, "wb");

    (void)state;
    fputs("{\"TableList\": [{\"Table\": {\"DatabaseName\": \"d\", \"Name\": \"t\"},\n"
          "  \"LFTagsOnTable\": [{\"TagKey\": \"tier\", \"TagValues\": \"tier1\"}]}]}", f);
    fclose(f);
    run = it_import(m, map, "lf-tags", NULL, files, &e);
    assert_null(run);
    assert_int_equal(e.code, SM_EPARSE);
    assert_non_null(strstr(e.msg, "LFTagsOnTable[0] needs"));
    f = fopen(bad, "wb");
    fputs("{\"TableList\": [\n  {\"Table\": }\n]}", f);
    fclose(f);
    run = it_import(m, map, "lf-tags", NULL, files, &e);
    assert_null(run);
    assert_non_null(strstr(e.msg, "lf-bad.json:2:"));
    assert_int_equal(it_ndatasets(m), 0);
    import_map_free(map);
    model_free(m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_resource_lf_tags),
        cmocka_unit_test(test_search_tables),
        cmocka_unit_test(test_changed_tag_removed),
        cmocka_unit_test(test_atlas_then_lf),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
