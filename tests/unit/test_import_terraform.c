/*
 * test_import_terraform.c - the Terraform importer on tests/fixtures/terraform
 * (a state of modules, AWS, Azure and GCP resources; a saved plan with and
 * without an S3 replication): the exact copies, regions, roles and keys;
 * the before and after views of a plan; unknown-until-apply values
 * reported; the mapping file's tag key and addresses; idempotence.
 */
#include "import_test.h"

#include <limits.h>

static const char *
fx(const char *name)
{
    static char buf[4][PATH_MAX + 64];
    static int k;
    char dir[PATH_MAX];

    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/../tests/fixtures/terraform", tl_datadir());
    if (!realpath(buf[k], dir))
        fail_msg("no fixture directory %s", buf[k]);
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static struct import_run *
tf_import(struct model *m, const struct import_map *map, const char *file, bool before,
          struct sm_error *e)
{
    struct import_opts o = { 0 };
    const char *files[] = { fx(file), NULL };

    o.datadir = tl_datadir();
    o.tf_before = before;
    return it_import(m, map, "terraform", &o, files, e);
}

/* The copies of a dataset, one "role region [key K] [unencrypted]" line
 * each, in the order of the regions' ids then roles. */
static const char *
copies(const struct model *m, const char *ds)
{
    static char buf[2048];
    const char *lines[32];
    char tmp[32][160];
    int n = 0;
    size_t o = 0;

    for (int32_t p = m->datasets[it_ds(m, ds)].first_placement; p != SM_NONE;
         p = m->placements[p].next) {
        const struct placement *pl = &m->placements[p];
        if (pl->deleted)
            continue;
        assert_true(n < 32);
        snprintf(tmp[n], sizeof tmp[n], "%s %s%s%s%s", m->regions[pl->region].id,
                 role_names[pl->role], pl->key_region != SM_NONE ? " key " : "",
                 pl->key_region != SM_NONE ? m->regions[pl->key_region].id : "",
                 pl->encrypted ? "" : " unencrypted");
        lines[n] = tmp[n];
        n++;
    }
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(lines[j - 1], lines[j]) > 0; j--) {
            const char *t = lines[j];
            lines[j] = lines[j - 1];
            lines[j - 1] = t;
        }
    buf[0] = 0;
    for (int i = 0; i < n; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? "; " : "", lines[i]);
    return buf;
}

static int
nplacements(const struct model *m)
{
    int n = 0;

    for (int32_t i = 0; i < m->nplacements; i++)
        n += !m->placements[i].deleted;
    return n;
}

static char *
summary(const struct import_run *run)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    import_run_print_summary(run, f);
    fclose(f);
    return buf;
}

static void
test_state(void **state)
{
    struct model *m = it_model();
    struct import_map *map = it_map(false);
    SM_ERROR(e);
    struct import_run *run;
    char *s;
    (void)state;

    run = tf_import(m, map, "state.json", false, &e);
    if (!run)
        fail_msg("%s", e.msg);
    assert_int_equal(it_ndatasets(m), 11);
    assert_int_equal(nplacements(m), 24);
    /* module child, KMS key resolved by ARN */
    assert_string_equal(copies(m, "shipments"), "aws:eu-central-1 primary key aws:eu-central-1");
    /* RDS: tag key matched case-insensitively; the untagged cross-region
     * read replica belongs to its source; Backup plan: the vault's region
     * and key, and the copy action's vault region from its ARN */
    assert_string_equal(copies(m, "invoices"),
                        "aws:eu-south-1 replica key aws:eu-south-1; "
                        "aws:eu-west-3 backup key aws:eu-west-3; "
                        "aws:eu-west-3 primary key aws:eu-west-3; "
                        "aws:us-west-2 backup");
    /* DynamoDB global table replica with its own key; the key is a
     * multi-Region key also held in us-east-1 (aws_kms_replica_key): that
     * is the key region both copies record */
    assert_string_equal(copies(m, "tracking"), "aws:eu-central-1 replica key aws:us-east-1; "
                        "aws:eu-west-1 primary key aws:us-east-1");
    /* an Aurora global database: the writer is the primary; the untagged
     * secondary cluster belongs to it by its global cluster identifier */
    assert_string_equal(copies(m, "quotes"), "aws:ca-central-1 replica; aws:eu-west-1 primary");
    /* an Azure SQL database: its server's location; a failover group's
     * partner server holds a replica */
    assert_string_equal(copies(m, "ledger"), "azure:switzerlandnorth replica; "
                        "azure:westeurope primary");
    /* S3 replication inside a module: the destination bucket is in the
     * input, untagged but not skipped */
    assert_string_equal(copies(m, "telemetry"), "aws:ap-southeast-2 replica; "
                        "aws:eu-north-1 primary");
    /* Cosmos DB geo locations: failover priority 0 is the write region;
     * geo-redundant periodic backups in the account location's pair */
    assert_string_equal(copies(m, "profiles"), "azure:eastus replica; azure:northeurope backup; "
                        "azure:westeurope primary");
    /* RA-GRS: the secondary location */
    assert_string_equal(copies(m, "customs_br"), "azure:brazilsouth primary; "
                        "azure:southcentralus replica");
    /* Cloud SQL: labels under settings, replica of its master, backups in
     * the multi-region EU */
    assert_string_equal(copies(m, "crm"), "gcp:eu backup; gcp:europe-west1 primary; "
                        "gcp:us-east1 replica");
    /* a predefined dual-region is one multi-region copy; the key ring's
     * location from the key name */
    assert_string_equal(copies(m, "documents"), "gcp:eur4 primary key gcp:europe-north1");
    /* a custom dual-region: its two data locations */
    assert_string_equal(copies(m, "scans"), "gcp:europe-west1 primary; gcp:europe-west4 replica");
    /* resource tags through the mapping file's terraform rules: a tier
     * and a mapped tag carried by the resource; Name, managed-by dropped */
    assert_string_equal(it_tier_of(m, "invoices"), "restricted");
    assert_int_not_equal(it_tag(m, "invoices", NULL, "data-tier=tier1"), SM_NONE);
    assert_string_equal(m->tags[it_tag(m, "invoices", NULL, "data-tier=tier1")].entity,
                        "aws_db_instance.invoices");
    assert_int_equal(it_ntags(m, "invoices", false), 1);
    /* provenance: the resource address */
    assert_string_equal(m->datasets[it_ds(m, "invoices")].source_ref,
                        "terraform:aws_db_instance.invoices");
    assert_int_equal(import_run_stats(run)->skipped, 1);
    assert_int_equal(import_run_stats(run)->unknown, 0);
    /* an unmapped Glue table is a catalogue entry: neither a copy nor skipped */
    assert_int_equal(model_dataset(m, "events"), SM_NONE);
    s = summary(run);
    assert_non_null(strstr(s, "1 aws_s3_bucket (no sovmap-dataset tag)"));
    assert_non_null(strstr(s, "1 data source ignored"));
    /* a destination outside the input: reported, never guessed */
    assert_non_null(strstr(s, "destination arn:aws:s3:::someone-elses-bucket is not in the "
                              "input; the replica's region is unknown, not guessed"));
    /* the sensitive password is nowhere in what is printed */
    assert_null(strstr(s, "correct-horse"));
    assert_null(strstr(s, "hunter2"));
    free(s);
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

static void
test_idempotent(void **state)
{
    struct model *m = it_model();
    struct import_map *map = it_map(false);
    SM_ERROR(e);
    const struct import_touched *t;
    struct import_run *run;
    uint64_t gen;
    (void)state;

    run = tf_import(m, map, "state.json", false, &e);
    assert_non_null(run);
    assert_true(import_run_changed(run));
    import_run_free(run);
    gen = m->generation;
    run = tf_import(m, map, "state.json", false, &e);
    assert_non_null(run);
    assert_false(import_run_changed(run));
    assert_int_equal(import_run_touched(run, &t), 0);
    assert_int_equal(import_run_stats(run)->copies_new, 0);
    assert_int_equal(import_run_stats(run)->copies_changed, 0);
    assert_int_equal(import_run_stats(run)->datasets_same, 11);
    assert_true(m->generation == gen);
    assert_int_equal(nplacements(m), 24);
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

static void
test_plan_views(void **state)
{
    struct model *m = it_model(), *b = it_model();
    struct import_map *map = it_map(false);
    SM_ERROR(e);
    struct import_run *run;
    char *s;
    (void)state;

    run = tf_import(m, map, "plan-replication.json", false, &e);
    if (!run)
        fail_msg("%s", e.msg);
    /* the replica: destination and source from the configuration's
     * references (both unknown until apply), the destination's region from
     * its provider alias aws.virginia, the replica key from its ARN */
    assert_string_equal(copies(m, "shipments"), "aws:eu-central-1 primary key aws:eu-central-1; "
                        "aws:us-east-1 replica key aws:us-east-1");
    /* GZRS in Brazil South, secondary unknown until apply: the pair */
    assert_string_equal(copies(m, "customs_archive"), "azure:brazilsouth primary; "
                        "azure:southcentralus replica");
    /* provider region from a module input: unknown, no copy */
    assert_string_equal(copies(m, "cold_archive"), "");
    assert_int_equal(import_run_stats(run)->unknown, 1);
    assert_int_equal(import_run_stats(run)->skipped, 0);
    s = summary(run);
    assert_non_null(strstr(s, "module.archive.aws_s3_bucket.cold (cold_archive): region known "
                              "only after apply"));
    assert_non_null(strstr(s, "1 value known only after apply (not guessed)"));
    free(s);
    import_run_free(run);

    /* the before view: what exists today */
    run = tf_import(b, map, "plan-replication.json", true, &e);
    if (!run)
        fail_msg("%s", e.msg);
    assert_int_equal(it_ndatasets(b), 1);
    assert_string_equal(copies(b, "shipments"), "aws:eu-central-1 primary key aws:eu-central-1");
    import_run_free(run);

    /* without the replication configuration the DR bucket is untagged
     * storage: skipped, no replica */
    model_free(m);
    m = it_model();
    run = tf_import(m, map, "plan-no-replication.json", false, &e);
    assert_non_null(run);
    assert_string_equal(copies(m, "shipments"), "aws:eu-central-1 primary key aws:eu-central-1");
    assert_int_equal(import_run_stats(run)->skipped, 1);
    import_run_free(run);
    import_map_free(map);
    model_free(b);
    model_free(m);
}

static void
test_mapping_file(void **state)
{
    static const char text[] =
        "{\"terraform\": {\"tag_key\": \"purpose\", \"addresses\": "
        "{\"aws_s3_bucket.scratch\": \"scratch\", "
        "\"module.fleet.aws_glue_catalog_table.events\": \"events\"}}}";
    struct model *m = it_model();
    struct import_map *map = it_map(false);
    SM_ERROR(e);
    struct import_run *run;
    const char *bad;
    (void)state;

    assert_int_equal(import_map_load_text(map, text, sizeof text - 1, "t.json", &map, &e),
                     SM_OK);
    assert_string_equal(import_map_tf_tag_key(map), "purpose");
    run = tf_import(m, map, "state.json", false, &e);
    if (!run)
        fail_msg("%s", e.msg);
    /* the bucket is called nimbus-scratch-eu-west-1 but lives in us-east-2:
     * the region comes from its attributes, never from its name */
    assert_string_equal(copies(m, "scratch"), "aws:us-east-2 primary");
    /* with the tag key "purpose", the telemetry copy bucket names a dataset */
    assert_string_equal(copies(m, "replica"), "aws:ap-southeast-2 primary");
    assert_int_equal(model_dataset(m, "shipments"), SM_NONE);
    /* a Glue table mapped by address: its data is where the bucket behind
     * its location is (ap-southeast-2), not where the catalogue is */
    assert_string_equal(copies(m, "events"), "aws:ap-southeast-2 primary");
    import_run_free(run);
    import_map_free(map);
    model_free(m);

    /* a bad terraform section */
    map = NULL;
    bad = "{\"terraform\": {\"tag\": 1}}";
    assert_int_equal(import_map_load_text(NULL, bad, strlen(bad), "b.json", &map, &e),
                     SM_EPARSE);
    assert_string_equal(e.msg, "b.json: terraform: unknown key \"tag\"");
    bad = "{\"terraform\": {\"tag_key\": \"\"}}";
    assert_int_equal(import_map_load_text(NULL, bad, strlen(bad), "b.json", &map, &e),
                     SM_EPARSE);
    assert_string_equal(e.msg, "b.json: terraform.tag_key must be a tag name");
}

static void
test_bad_input(void **state)
{
    static const char major2[] = "{\"format_version\": \"2.0\", \"values\": {}}";
    static const char notjson[] = "{\"format_version\": \"1.0\",\n  \"values\": [}";
    struct import_map *map = it_map(false);
    struct import_opts o = { 0 };
    SM_ERROR(e);
    struct import_run *run;
    struct model *m = it_model();
    const char *files[] = { fx("state.json"), NULL };
    (void)state;

    run = import_run_new(map, &o);
    assert_int_equal(import_run_add_file(run, "v2.json", major2, sizeof major2 - 1, &e), SM_OK);
    assert_int_equal(import_run_parse(run, &importer_terraform, &e), SM_EPARSE);
    assert_string_equal(e.msg, "v2.json: format_version 2.0 is not 1.x");
    import_run_free(run);

    run = import_run_new(map, &o);
    assert_int_equal(import_run_add_file(run, "bad.json", notjson, sizeof notjson - 1, &e),
                     SM_EPARSE);
    assert_non_null(strstr(e.msg, "bad.json:2:"));
    import_run_free(run);

    /* a state has no before view */
    o.tf_before = true;
    assert_null(it_import(m, map, "terraform", &o, files, &e));
    assert_non_null(strstr(e.msg, "a state, not a saved plan"));
    /* another importer's file */
    run = import_run_new(map, &o);
    assert_int_equal(import_run_add_file(run, "glue.json", "{\"TableList\": []}", 17, &e),
                     SM_OK);
    assert_int_equal(import_run_parse(run, &importer_terraform, &e), SM_EPARSE);
    assert_non_null(strstr(e.msg, "not a terraform export"));
    import_run_free(run);
    assert_int_equal(it_ndatasets(m), 0);
    import_map_free(map);
    model_free(m);
}

/* Inline states: zones in a custom dual-region, Azure display names, a
 * dataset name far longer than any buffer, a region for_each key that
 * says nothing, an Azure region without a pair. */
static void
test_inline(void **state)
{
    static const char head[] =
        "{\"format_version\": \"1.0\", \"values\": {\"root_module\": {\"resources\": [";
    static const char tail[] = "]}}}";
    struct import_map *map = it_map(false);
    struct model *m = it_model();
    struct import_opts o = { 0 };
    SM_ERROR(e);
    struct import_run *run;
    char *text, *longname, *s;
    size_t n = 6000;
    (void)state;

    longname = malloc(n + 1);
    assert_non_null(longname);
    memset(longname, 'x', n);
    longname[n] = 0;
    text = malloc(n + 4096);
    assert_non_null(text);
    snprintf(text, n + 4096, "%s"
             "{\"address\": \"google_storage_bucket.rapid\", \"mode\": \"managed\", "
             "\"type\": \"google_storage_bucket\", \"name\": \"rapid\", \"values\": {"
             "\"location\": \"US\", \"labels\": {\"SOVMAP-DATASET\": \"rapid\"}, "
             "\"custom_placement_config\": [{\"data_locations\": [\"US-CENTRAL1-B\", "
             "\"US-EAST1\"]}]}},"
             "{\"address\": \"azurerm_storage_account.zrh\", \"mode\": \"managed\", "
             "\"type\": \"azurerm_storage_account\", \"name\": \"zrh\", \"values\": {"
             "\"location\": \"Switzerland North\", \"account_replication_type\": \"LRS\", "
             "\"tags\": {\"sovmap-dataset\": \"%s\"}}},"
             "{\"address\": \"azurerm_storage_account.pl\", \"mode\": \"managed\", "
             "\"type\": \"azurerm_storage_account\", \"name\": \"pl\", \"values\": {"
             "\"location\": \"polandcentral\", \"account_replication_type\": \"GRS\", "
             "\"secondary_location\": \"\", \"tags\": {\"sovmap-dataset\": \"pl\"}}},"
             "{\"address\": \"aws_s3_bucket.at\", \"mode\": \"managed\", "
             "\"type\": \"aws_s3_bucket\", \"name\": \"at\", \"values\": {"
             "\"region\": \"eu-west-1\", \"tags\": {\"sovmap-dataset\": \"a@b\"}}},"
             "{\"address\": \"aws_s3_bucket_replication_configuration.r\", \"mode\": "
             "\"managed\", \"type\": \"aws_s3_bucket_replication_configuration\", "
             "\"name\": \"r\", \"values\": {\"bucket\": \"b-eu-north-1\", \"rule\": "
             "[{\"destination\": [{\"bucket\": \"no-colon\"}]}]}},"
             "{\"address\": \"aws_dynamodb_table.w\", \"mode\": \"managed\", "
             "\"type\": \"aws_dynamodb_table\", \"name\": \"w\", \"values\": {"
             "\"region\": \"us-east-1\", \"tags\": {\"sovmap-dataset\": \"w\"}, "
             "\"replica\": [{\"region_name\": \"us-east-2\"}], "
             "\"global_table_witness\": [{\"region_name\": \"us-west-2\"}]}},"
             "{\"address\": \"aws_s3_bucket.b[\\\"eu-north-1\\\"]\", \"mode\": \"managed\", "
             "\"type\": \"aws_s3_bucket\", \"name\": \"b\", \"index\": \"eu-north-1\", "
             "\"values\": {\"bucket\": \"b-eu-north-1\", \"tags\": {\"sovmap-dataset\": \"b\"}}}"
             "%s", head, longname, tail);
    o.datadir = tl_datadir();
    run = import_run_new(map, &o);
    assert_int_equal(import_run_add_file(run, "inline.json", text, strlen(text), &e), SM_OK);
    assert_int_equal(import_run_parse(run, &importer_terraform, &e), SM_OK);
    assert_int_equal(import_run_apply(run, m, &e), SM_OK);
    /* a strong-consistency witness region receives data */
    assert_string_equal(copies(m, "w"), "aws:us-east-1 primary; aws:us-east-2 replica; "
                        "aws:us-west-2 replica");
    assert_string_equal(copies(m, "rapid"), "gcp:us-central1 primary; gcp:us-east1 replica");
    assert_string_equal(copies(m, longname), "azure:switzerlandnorth primary");
    /* GRS in a region without a pair: reported, no guess */
    assert_string_equal(copies(m, "pl"), "azure:polandcentral primary");
    /* no region attribute, no provider configuration (a state): the
     * for_each key is not a region */
    assert_string_equal(copies(m, "b"), "");
    s = summary(run);
    /* a tag value that cannot be a dataset name skips that resource only */
    assert_non_null(strstr(s, "aws_s3_bucket.at: dataset name a@b: '@' is reserved for copies; "
                              "resource not imported"));
    assert_non_null(strstr(s, "1 aws_s3_bucket (its dataset name is not usable)"));
    assert_non_null(strstr(s, "destination no-colon is not in the input"));
    assert_non_null(strstr(s, "GRS keeps a secondary copy but azure:polandcentral has no paired "
                              "region; its region is unknown"));
    assert_non_null(strstr(s, "aws_s3_bucket.b[\"eu-north-1\"] (b): no region"));
    free(s);
    import_run_free(run);
    free(text);
    free(longname);
    import_map_free(map);
    model_free(m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state),
        cmocka_unit_test(test_idempotent),
        cmocka_unit_test(test_plan_views),
        cmocka_unit_test(test_mapping_file),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_inline),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
