/*
 * test_refdata.c - the shipped regions and the data directory.
 */
#include "testlib.h"
#include "refdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct model *
load(void)
{
    struct model *m = model_new();
    SM_ERROR(err);

    assert_non_null(m);
    assert_int_equal(refdata_load_regions(tl_datadir(), m, &err), SM_OK);
    return m;
}

static void
test_regions_loaded(void **state)
{
    struct model *m = load();
    int32_t r;
    char cc[3];
    (void)state;

    /* 146 regions + gcp:eu, gcp:us, global + 6 GCP dual-regions (doc/data.md) */
    assert_int_equal(m->nregions, 155);
    r = model_region(m, "aws:eu-west-1");
    assert_int_not_equal(r, SM_NONE);
    sm_cc_str(m->regions[r].country, cc);
    assert_string_equal(cc, "IE");
    sm_cc_str(m->regions[r].operator_home, cc);
    assert_string_equal(cc, "US");
    assert_string_equal(m->regions[r].provider, "aws");
    assert_string_equal(m->regions[r].code, "eu-west-1");
    assert_string_equal(m->regions[r].city, "Dublin");
    assert_true(m->regions[r].builtin);
    assert_int_equal(m->regions[r].kind, REGION_CLOUD);

    r = model_region(m, "aws-eusc:eusc-de-east-1");
    assert_int_not_equal(r, SM_NONE);
    sm_cc_str(m->regions[r].operator_home, cc);
    assert_string_equal(cc, "EU");
    assert_int_equal(m->regions[r].kind, REGION_SOVEREIGN);

    r = model_region(m, "aws-cn:cn-north-1");
    sm_cc_str(m->regions[r].operator_home, cc);
    assert_string_equal(cc, "CN");
    model_free(m);
}

static void
test_multi_regions(void **state)
{
    struct model *m = load();
    int32_t r;
    (void)state;

    r = model_region(m, "gcp:eu");
    assert_int_not_equal(r, SM_NONE);
    assert_int_equal(m->regions[r].kind, REGION_MULTI);
    assert_int_equal(m->regions[r].country, SM_NONE);
    assert_non_null(m->regions[r].members);
    assert_int_equal(sm_ccset_count(m->regions[r].members), 27);
    assert_true(sm_ccset_has(m->regions[r].members, sm_cc("DE")));
    assert_false(sm_ccset_has(m->regions[r].members, sm_cc("NO")));
    assert_false(m->regions[r].global);

    /* a predefined dual-region: the countries of its two regions */
    r = model_region(m, "gcp:eur4");
    assert_int_not_equal(r, SM_NONE);
    assert_int_equal(m->regions[r].kind, REGION_MULTI);
    assert_int_equal(sm_ccset_count(m->regions[r].members), 2);
    assert_true(sm_ccset_has(m->regions[r].members, sm_cc("FI")));
    assert_true(sm_ccset_has(m->regions[r].members, sm_cc("NL")));
    r = model_region(m, "gcp:eur5");
    assert_true(sm_ccset_has(m->regions[r].members, sm_cc("GB")));
    assert_int_equal(model_region(m, "gcp:asia"), SM_NONE);

    r = model_region(m, "global");
    assert_int_not_equal(r, SM_NONE);
    assert_true(m->regions[r].global);
    assert_true(m->regions[r].builtin);
    /* builtin regions cannot be removed */
    assert_int_equal(model_remove(m, OBJ_REGION, r, NULL), SM_EINVAL);
    model_free(m);
}

static void
write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void
test_syntax_error_position(void **state)
{
    const char *dir = tl_path(tl_tmpdir(), "bad");
    char cmd[512];
    SM_ERROR(err);
    struct model *m = model_new();
    (void)state;

    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    assert_int_equal(system(cmd), 0);
    write_file(tl_path(dir, "regions.json"), "{\n  \"regions\": [\n    {\"id\": 1,,}\n");
    assert_int_equal(refdata_load_regions(dir, m, &err), SM_EPARSE);
    assert_non_null(strstr(err.msg, "regions.json:3:"));
    model_free(m);
}

static void
test_semantic_errors(void **state)
{
    const char *dir = tl_path(tl_tmpdir(), "bad2");
    char cmd[512];
    SM_ERROR(err);
    struct model *m;
    (void)state;

    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    assert_int_equal(system(cmd), 0);
    write_file(tl_path(dir, "regions.json"),
               "{\"providers\": {\"x\": {\"operator\": \"US\"}}, \"regions\": ["
               "{\"id\": \"x:a\", \"provider\": \"x\", \"country\": \"DE\"},"
               "{\"id\": \"x:b\", \"provider\": \"x\", \"country\": \"Germany\"}]}");
    m = model_new();
    assert_int_equal(refdata_load_regions(dir, m, &err), SM_EPARSE);
    assert_string_equal(err.msg, "regions.json: regions[1].country: bad country Germany");
    model_free(m);

    write_file(tl_path(dir, "regions.json"), "{\"regions\": [{\"country\": \"DE\"}]}");
    m = model_new();
    assert_int_equal(refdata_load_regions(dir, m, &err), SM_EPARSE);
    assert_string_equal(err.msg, "regions.json: regions[0].id is missing");
    model_free(m);

    m = model_new();
    assert_int_equal(refdata_load_regions(tl_path(tl_tmpdir(), "nowhere"), m, &err), SM_EIO);
    model_free(m);
}

static void
test_datadir(void **state)
{
    char *old = getenv("SOVMAP_DATA") ? strdup(getenv("SOVMAP_DATA")) : NULL;
    (void)state;

    setenv("SOVMAP_DATA", "/some/where", 1);
    assert_string_equal(refdata_datadir("sovmap"), "/some/where");
    unsetenv("SOVMAP_DATA");
    /* build-x/tests/test_refdata: data/ is two levels up from the binary dir */
    const char *d = refdata_datadir(NULL);
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/regions.json", d);
    FILE *f = fopen(probe, "r");
    assert_non_null(f);
    fclose(f);
    if (old) {
        setenv("SOVMAP_DATA", old, 1);
        free(old);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regions_loaded),
        cmocka_unit_test(test_multi_regions),
        cmocka_unit_test(test_syntax_error_position),
        cmocka_unit_test(test_semantic_errors),
        cmocka_unit_test(test_datadir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
