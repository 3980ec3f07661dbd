/*
 * test_import.c - the importers as a continuous sync (import.c's merge
 * rules, doc/import.md "Merge rules"), on the Tidewater fixtures run as a
 * nightly pipeline: Atlas bulk, search, lineage, Glue tables, get-tags,
 * get-resource-lf-tags, search-tables-by-lf-tags. A second run changes
 * nothing; three orders give the same model-json; lineage adds flows only;
 * a partial listing never removes what an authoritative file set.
 */
#include "import_test.h"

#include <jansson.h>

#include "model_json.h"

enum step { S_BULK, S_SEARCH, S_LINEAGE, S_TABLES, S_TAGS, S_LFRES, S_LFSEARCH, S_COUNT };

static const struct pipe_step {
    const char *importer;
    const char *files[4];
    const char *region;         /* --region */
    const char *input;          /* --input (fixture-relative) */
} steps[S_COUNT] = {
    [S_BULK] = { "atlas", { "atlas/entities-bulk.json" }, NULL, NULL },
    [S_SEARCH] = { "atlas", { "atlas/search-basic.json" }, NULL, NULL },
    [S_LINEAGE] = { "atlas", { "atlas/lineage.json" }, NULL, NULL },
    [S_TABLES] = { "glue", { "glue/get-tables.json", "glue/get-table.json",
                             "glue/get-databases.json" }, "eu-west-1", NULL },
    [S_TAGS] = { "glue", { "glue/get-tags.json" }, NULL, "glue/get-tags.input.json" },
    [S_LFRES] = { "lf-tags", { "lakeformation/get-resource-lf-tags.json" }, NULL,
                  "lakeformation/get-resource-lf-tags.input.json" },
    [S_LFSEARCH] = { "lf-tags", { "lakeformation/search-tables-by-lf-tags.json" }, "eu-west-1",
                     NULL },
};

/* One import of a step; returns the run (caller frees). */
static struct import_run *
run_step(struct model *m, const struct import_map *map, enum step s)
{
    SM_ERROR(e);
    struct import_opts o = { .region = steps[s].region };
    struct import_run *run;
    char *text = NULL;
    size_t len = 0;

    if (steps[s].input) {
        o.input = steps[s].input;
        text = tl_slurp(it_fixture(steps[s].input), &len);
        assert_non_null(text);
        o.input_text = text;
        o.input_len = len;
    }
    run = it_import(m, map, steps[s].importer, &o, steps[s].files, &e);
    free(text);
    if (!run)
        fail_msg("step %d: %s", (int)s, e.msg);
    return run;
}

/* Run the steps in order; count the steps that changed the model. */
static int
pipeline(struct model *m, const struct import_map *map, const enum step *order, int n)
{
    int changed = 0;

    for (int i = 0; i < n; i++) {
        struct import_run *run = run_step(m, map, order[i]);
        changed += import_run_changed(run);
        import_run_free(run);
    }
    return changed;
}

/* export model-json, byte for byte: the writer sorts a dataset's tags and
 * an import leaves its fields in name order, so the order the imports ran in
 * must not show (doc/import.md, Merge rules). */
static char *
model_json_text(const struct model *m)
{
    SM_ERROR(e);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    assert_int_equal(model_json_write(m, f, &e), SM_OK);
    fclose(f);
    assert_non_null(buf);
    return buf;
}

static const enum step nightly[] = { S_BULK, S_SEARCH, S_LINEAGE, S_TABLES, S_TAGS, S_LFRES,
                                     S_LFSEARCH };
#define NSTEPS ((int)(sizeof nightly / sizeof nightly[0]))

static void
test_second_run_writes_nothing(void **state)
{
    struct import_map *map = it_map(true);
    struct model *m = it_model();

    (void)state;
    assert_true(pipeline(m, map, nightly, NSTEPS) > 0);
    for (int i = 0; i < NSTEPS; i++) {
        struct import_run *run = run_step(m, map, nightly[i]);
        const struct import_stats *s = import_run_stats(run);
        const struct import_touched *t;
        if (import_run_changed(run))
            fail_msg("step %d of the second run changed the catalog", i);
        assert_int_equal(import_run_touched(run, &t), 0);
        assert_int_equal(s->datasets_new + s->datasets_changed + s->fields_new, 0);
        assert_int_equal(s->tags_added + s->tags_removed + s->flows_new, 0);
        import_run_free(run);
    }
    model_free(m);
    import_map_free(map);
}

/* Three orders of the same commands (lineage after the files that define
 * its nodes, doc/import.md), one model. */
static void
test_orders_converge(void **state)
{
    static const enum step orders[3][S_COUNT] = {
        { S_BULK, S_SEARCH, S_LINEAGE, S_TABLES, S_TAGS, S_LFRES, S_LFSEARCH },
        { S_LFSEARCH, S_LFRES, S_TAGS, S_TABLES, S_BULK, S_SEARCH, S_LINEAGE },
        { S_TABLES, S_LFSEARCH, S_BULK, S_LINEAGE, S_TAGS, S_SEARCH, S_LFRES },
    };
    struct import_map *map = it_map(true);
    char *want = NULL;

    (void)state;
    for (int k = 0; k < 3; k++) {
        struct model *m = it_model();
        char *got;
        pipeline(m, map, orders[k], S_COUNT);
        assert_int_equal(pipeline(m, map, orders[k], S_COUNT), 0);
        got = model_json_text(m);
        if (!want)
            want = got;
        else {
            assert_string_equal(got, want);
            free(got);
        }
        model_free(m);
    }
    free(want);
    import_map_free(map);
}

static int32_t
live_datasets(const struct model *m)
{
    int32_t n = 0;

    for (int32_t i = 0; i < m->ndatasets; i++)
        n += !m->datasets[i].deleted;
    return n;
}

static void
test_lineage_adds_flows_only(void **state)
{
    struct import_map *map = it_map(true);
    struct model *m = it_model();
    struct import_run *run;
    int32_t nds, ntags, tier_before[64];

    (void)state;
    /* alone: no dataset, tag or tier; its flows wait for the files that define the nodes */
    run = run_step(m, map, S_LINEAGE);
    assert_int_equal(live_datasets(m), 0);
    assert_int_equal(m->ntags, 0);
    assert_int_equal(import_run_stats(run)->flows_new, 0);
    assert_true(import_run_stats(run)->flows_skipped > 0);
    assert_false(import_run_changed(run));
    import_run_free(run);

    /* after the bulk: flows between the datasets it defined, nothing else */
    import_run_free(run_step(m, map, S_BULK));
    nds = live_datasets(m);
    ntags = m->ntags;
    assert_true(nds <= 64);
    for (int32_t i = 0; i < nds; i++)
        tier_before[i] = m->datasets[i].tier;
    run = run_step(m, map, S_LINEAGE);
    assert_true(import_run_stats(run)->flows_new > 0);
    assert_int_equal(import_run_stats(run)->tags_added, 0);
    assert_int_equal(import_run_stats(run)->datasets_new, 0);
    assert_int_equal(live_datasets(m), nds);
    assert_int_equal(m->ntags, ntags);
    for (int32_t i = 0; i < nds; i++)
        assert_int_equal(m->datasets[i].tier, tier_before[i]);
    import_run_free(run);
    model_free(m);
    import_map_free(map);
}

/* get-resource-lf-tags then search-tables-by-lf-tags, the reverse, and both
 * at once: the same tags on rewards_eu.customers.credit_card. */
static void
test_partial_listing_never_removes(void **state)
{
    static const enum step orders[2][2] = { { S_LFRES, S_LFSEARCH }, { S_LFSEARCH, S_LFRES } };
    struct import_map *map = it_map(true);

    (void)state;
    for (int k = 0; k < 2; k++) {
        struct model *m = it_model();
        struct import_run *run;
        pipeline(m, map, orders[k], 2);
        assert_int_not_equal(it_tag(m, "rewards_eu.customers", "credit_card", "pii"), SM_NONE);
        assert_int_not_equal(it_tag(m, "rewards_eu.customers", "credit_card", "financial.pci"),
                             SM_NONE);
        /* the listing again: it removes nothing */
        run = run_step(m, map, S_LFSEARCH);
        assert_int_equal(import_run_stats(run)->tags_removed, 0);
        assert_false(import_run_changed(run));
        import_run_free(run);
        model_free(m);
    }
    import_map_free(map);
}

/* Both Lake Formation files in one command, in either order: the tag
 * both set keeps get-resource-lf-tags' provenance (the authoritative one). */
static void
test_one_command_any_file_order(void **state)
{
    static const char *const files[2][3] = {
        { "lakeformation/get-resource-lf-tags.json",
          "lakeformation/search-tables-by-lf-tags.json", NULL },
        { "lakeformation/search-tables-by-lf-tags.json",
          "lakeformation/get-resource-lf-tags.json", NULL },
    };
    struct import_map *map = it_map(true);
    char *want = NULL;

    (void)state;
    for (int k = 0; k < 2; k++) {
        SM_ERROR(e);
        struct import_opts o = { .region = "eu-west-1",
                                 .input = "lakeformation/get-resource-lf-tags.input.json" };
        struct model *m = it_model();
        struct import_run *run;
        size_t len;
        char *text = tl_slurp(it_fixture(o.input), &len), *got;
        int32_t t;

        assert_non_null(text);
        o.input_text = text;
        o.input_len = len;
        run = it_import(m, map, "lf-tags", &o, files[k], &e);
        free(text);
        if (!run)
            fail_msg("%s", e.msg);
        import_run_free(run);
        t = it_tag(m, "rewards_eu.customers", "credit_card", "financial.pci");
        assert_int_not_equal(t, SM_NONE);
        assert_string_equal(m->tags[t].entity, "lf:210987654321/rewards_eu/customers");
        got = model_json_text(m);
        if (!want) {
            want = got;
        } else {
            assert_string_equal(got, want);
            free(got);
        }
        model_free(m);
    }
    free(want);
    import_map_free(map);
}

/* Atlas search after the bulk: the same tags, provenance of the bulk; the
 * bulk again removes nothing the search set and changes nothing. */
static void
test_search_then_bulk(void **state)
{
    static const enum step a[] = { S_BULK, S_SEARCH, S_BULK, S_SEARCH };
    struct import_map *map = it_map(true);
    struct model *m = it_model();

    (void)state;
    pipeline(m, map, a, 2);
    assert_int_equal(pipeline(m, map, a + 2, 2), 0);
    for (int32_t t = 0; t < m->ntags; t++)
        assert_null(strstr(m->tags[t].entity, "(lineage)"));
    model_free(m);
    import_map_free(map);
}

/* Atlas: a classification propagated from two sources keeps both (sorted);
 * an expired one is kept, marked with its end date, and said in the summary. */
static void
test_expired_and_propagated(void **state)
{
    static const char *const files[] = { "atlas/entity-expired-propagated.json", NULL };
    SM_ERROR(e);
    struct import_map *map = it_map(true);
    struct model *m = it_model();
    struct import_run *run = it_import(m, map, "atlas", NULL, files, &e);
    int32_t t;
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    (void)state;
    assert_non_null(run);
    t = it_tag(m, "rewards_eu.loyalty_points", NULL, "tier=tier1");
    assert_int_not_equal(t, SM_NONE);
    assert_string_equal(m->tags[t].entity,
                        "7d1c2b9e-0c4a-5f3e-9b1d-2f8e6a4c1b07 (propagated from "
                        "3a3a965d-e8f1-5569-af40-480582c7495c; "
                        "5b0e9d3a-6f21-5c8e-8a47-9c3d1e2f4a60)");
    t = it_tag(m, "rewards_eu.loyalty_points", NULL, "financial.pci");
    assert_int_not_equal(t, SM_NONE);
    assert_string_equal(m->tags[t].entity,
                        "7d1c2b9e-0c4a-5f3e-9b1d-2f8e6a4c1b07 (expired 2025-06-30)");
    /* the date is the tag's own, for the checker (CLS003) */
    assert_string_equal(m->tags[t].expired, "2025-06-30");
    assert_string_equal(m->tags[it_tag(m, "rewards_eu.loyalty_points", NULL, "tier=tier1")].expired,
                        "");
    f = open_memstream(&buf, &len);
    assert_non_null(f);
    import_run_print_summary(run, f);
    fclose(f);
    assert_non_null(strstr(buf, "warning: rewards_eu.loyalty_points: classification PCI on "
                                "7d1c2b9e-0c4a-5f3e-9b1d-2f8e6a4c1b07 expired on 2025-06-30"));
    free(buf);
    import_run_free(run);
    /* again: nothing changes */
    run = it_import(m, map, "atlas", NULL, files, &e);
    assert_non_null(run);
    assert_false(import_run_changed(run));
    import_run_free(run);
    model_free(m);
    import_map_free(map);
}

/* The same column classification, expired in one file and live in the
 * other (two Atlas entity files): in one command, in either order, the tag is
 * the live file's, with no date. (Two commands with files of the same entity
 * are two exports of it: the later one says how it is now, Merge rules 4.)
 * A live tag from another source (Glue) wins over an expired classification
 * in either order of two commands. An expired classification alone keeps its
 * date on a field tag. */
static void
test_expired_yields_to_live(void **state)
{
    static const char table[] =
        "{\"typeName\": \"hive_table\", \"guid\": \"t1\", \"status\": \"ACTIVE\", "
        "\"attributes\": {\"qualifiedName\": \"crm.kunden@cl\", \"name\": \"kunden\"}}";
    static const char column[] =
        "{\"typeName\": \"hive_column\", \"guid\": \"c1\", \"status\": \"ACTIVE\", "
        "\"attributes\": {\"qualifiedName\": \"crm.kunden.mail@cl\", \"name\": \"mail\"}, "
        "\"relationshipAttributes\": {\"table\": {\"guid\": \"t1\"}}, "
        "\"classifications\": [{\"typeName\": \"PII\", \"entityGuid\": \"c1\", "
        "\"attributes\": {\"type\": \"email\"}%s}]}";
    static const char ended[] =
        ", \"validityPeriods\": [{\"startTime\": \"2024/01/01 00:00:00\", "
        "\"endTime\": \"2025/06/30 23:59:59\", \"timeZone\": \"UTC\"}]";
    const char *dir = tl_tmpdir();
    char *old_path = strdup(tl_path(dir, "expired.json"));
    char *new_path = strdup(tl_path(dir, "live.json"));
    struct import_map *map = it_map(false);
    char *want = NULL;
    FILE *f;

    (void)state;
    assert_non_null(old_path);
    assert_non_null(new_path);
    f = fopen(old_path, "w");
    assert_non_null(f);
    fprintf(f, "{\"entities\": [%s, ", table);
    fprintf(f, column, ended);
    fputs("], \"referredEntities\": {}}\n", f);
    fclose(f);
    f = fopen(new_path, "w");
    assert_non_null(f);
    fprintf(f, "{\"entities\": [%s, ", table);
    fprintf(f, column, "");
    fputs("], \"referredEntities\": {}}\n", f);
    fclose(f);

    /* alone: the field tag carries the date */
    {
        const char *const one[] = { old_path, NULL };
        SM_ERROR(e);
        struct model *m = it_model();
        struct import_run *run = it_import(m, map, "atlas", NULL, one, &e);
        int32_t t;
        assert_non_null(run);
        import_run_free(run);
        t = it_tag(m, "crm.kunden", "mail", "pii.email");
        assert_int_not_equal(t, SM_NONE);
        assert_string_equal(m->tags[t].expired, "2025-06-30");
        assert_string_equal(m->tags[t].entity, "c1 (expired 2025-06-30)");
        model_free(m);
    }
    /* one command, either order: the live file's */
    for (int k = 0; k < 2; k++) {
        const char *const both[] = { k ? new_path : old_path, k ? old_path : new_path, NULL };
        struct model *m = it_model();
        SM_ERROR(e);
        struct import_run *run = it_import(m, map, "atlas", NULL, both, &e);
        char *got;
        int32_t t;
        assert_non_null(run);
        import_run_free(run);
        t = it_tag(m, "crm.kunden", "mail", "pii.email");
        assert_int_not_equal(t, SM_NONE);
        assert_string_equal(m->tags[t].expired, "");
        assert_string_equal(m->tags[t].entity, "c1");
        got = model_json_text(m);
        assert_null(strstr(got, "\"expired\""));
        if (!want) {
            want = got;
        } else {
            assert_string_equal(got, want);
            free(got);
        }
        model_free(m);
    }
    free(want);
    want = NULL;
    /* separate commands, another carrier (a Glue resource tag pci=in-scope on
     * the table whose Atlas PCI expired), either order, twice: the Glue tag,
     * live, the same bytes, nothing written the second time */
    for (int k = 0; k < 2; k++) {
        static const char *const atlas[] = { "atlas/entity-expired-propagated.json", NULL };
        static const char *const glue[] = { "glue/get-tags-pci.json", NULL };
        struct import_opts go = {
            .resource_arn = "arn:aws:glue:eu-west-1:210987654321:table/rewards_eu/loyalty_points"
        };
        struct model *m = it_model();
        char *got;
        int32_t t;
        for (int round = 0; round < 2; round++)
            for (int i = 0; i < 2; i++) {
                SM_ERROR(e);
                bool g = (i == 0) == (k == 0);
                struct import_run *run = it_import(m, map, g ? "glue" : "atlas", g ? &go : NULL,
                                                   g ? glue : atlas, &e);
                if (!run)
                    fail_msg("%s", e.msg);
                if (round)
                    assert_false(import_run_changed(run));
                import_run_free(run);
            }
        t = it_tag(m, "rewards_eu.loyalty_points", NULL, "financial.pci");
        assert_int_not_equal(t, SM_NONE);
        assert_string_equal(m->tags[t].expired, "");
        assert_string_equal(m->tags[t].entity,
                            "arn:aws:glue:eu-west-1:210987654321:table/rewards_eu/loyalty_points");
        got = model_json_text(m);
        if (!want) {
            want = got;
        } else {
            assert_string_equal(got, want);
            free(got);
        }
        model_free(m);
    }
    free(want);
    free(old_path);
    free(new_path);
    import_map_free(map);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_second_run_writes_nothing),
        cmocka_unit_test(test_orders_converge),
        cmocka_unit_test(test_lineage_adds_flows_only),
        cmocka_unit_test(test_partial_listing_never_removes),
        cmocka_unit_test(test_one_command_any_file_order),
        cmocka_unit_test(test_search_then_bulk),
        cmocka_unit_test(test_expired_and_propagated),
        cmocka_unit_test(test_expired_yields_to_live),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
