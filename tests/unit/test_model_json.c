/*
 * test_model_json.c - the canonical text form: byte-identical round trips
 * (hostile strings, 10 KB names, UTF-8), through the catalog too, and
 * precise error messages.
 */
#include "testlib.h"
#include "model_json.h"
#include "refdata.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
to_json(const struct model *m)
{
    char *buf = NULL;
    size_t len = 0;
    struct sm_error err = { 0 };
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    if (model_json_write(m, f, &err))
        fail_msg("write: %s", err.msg);
    fclose(f);
    return buf;
}

static struct model *
from_json(const char *text)
{
    struct model *m = tl_base_model();
    struct sm_error err = { 0 };

    if (model_json_read(text, strlen(text), "model.json", m, &err))
        fail_msg("read: %s", err.msg);
    return m;
}

static void
test_round_trip_bytes(void **state)
{
    struct model *m = tl_rich_model(), *m2;
    char *a, *b;
    (void)state;

    a = to_json(m);
    m2 = from_json(a);
    b = to_json(m2);
    assert_string_equal(a, b);
    /* hostile text is escaped, never raw */
    assert_non_null(strstr(a, "\\\"; DROP TABLE dataset; --<b>\\n\xc3\xa9t\xc3\xa9\""));
    assert_non_null(strstr(a, "\"sovmap\": 1,\n  \"rule_pack\": \"default\",\n  \"regions\": [\n    {\n      \"id\": \"edge:eu\""));
    free(a);
    free(b);
    model_free(m);
    model_free(m2);
}

static void
test_sorted_and_stable(void **state)
{
    struct model *m = tl_rich_model();
    char *a = to_json(m), *p1, *p2;
    (void)state;

    /* datasets by name (bytes), tiers by rank desc, copies by role then region */
    p1 = strstr(a, "\"name\": \"\\\"; DROP");
    p2 = strstr(a, "\"name\": \"clicks\"");
    assert_true(p1 && p2 && p1 < p2);
    p1 = strstr(a, "\"name\": \"restricted\"");
    p2 = strstr(a, "\"name\": \"public\"");
    assert_true(p1 && p2 && p1 < p2);
    p1 = strstr(a, "\"region\": \"aws:eu-west-1\",\n          \"role\": \"primary\"");
    p2 = strstr(a, "\"role\": \"replica\"");
    assert_true(p1 && p2 && p1 < p2);
    /* provenance keys only when set */
    assert_non_null(strstr(a, "{\n              \"tag\": \"financial\"\n            }"));
    assert_non_null(strstr(a, "\"entity\": \"guid-1\""));
    free(a);
    model_free(m);
}

static void
test_long_names_and_utf8(void **state)
{
    struct model *m = tl_base_model(), *m2;
    char *big = malloc(10241), *a, *b;
    (void)state;

    memset(big, 'x', 10240);
    big[10240] = '\0';
    big[5000] = '\t';
    tl_edit(m, EDIT_ADD, OBJ_DATASET, big, 1, "owner", "\xe5\x8c\x97\xe4\xba\xac \xf0\x9f\x94\x92");
    {
        struct placement pl;
        model_placement_init(&pl);
        pl.dataset = model_dataset(m, big);
        pl.region = model_region(m, "aws:eu-west-1");
        assert_int_equal(model_add_placement(m, &pl, NULL, NULL), SM_OK);
    }
    a = to_json(m);
    m2 = from_json(a);
    b = to_json(m2);
    assert_string_equal(a, b);
    assert_int_not_equal(model_dataset(m2, big), SM_NONE);
    free(a);
    free(b);
    free(big);
    model_free(m);
    model_free(m2);
}

static void
test_through_catalog(void **state)
{
    struct model *m = tl_rich_model(), *m2 = tl_base_model();
    struct store *st = NULL;
    struct sm_error err = { 0 };
    char *a, *b;
    (void)state;

    assert_int_equal(store_open(tl_path(tl_tmpdir(), "mj.db"), STORE_CREATE, &st, &err), 0);
    assert_int_equal(store_begin(st, &err), SM_OK);
    assert_int_equal(store_put_all(st, m, &err), SM_OK);
    assert_int_equal(store_commit(st, &err), SM_OK);
    assert_int_equal(store_load(st, m2, &err), SM_OK);
    store_close(st);
    a = to_json(m);
    b = to_json(m2);
    assert_string_equal(a, b);
    free(a);
    free(b);
    model_free(m);
    model_free(m2);
}

static void
expect_error(const char *text, int code, const char *msg)
{
    struct model *m = tl_base_model();
    struct sm_error err = { 0 };

    assert_int_equal(model_json_read(text, strlen(text), "m.json", m, &err), code);
    assert_string_equal(err.msg, msg);
    model_free(m);
}

static void
test_errors(void **state)
{
    (void)state;
    expect_error("{\"sovmap\": 1,\n \"tiers\": [}", SM_EPARSE,
                 "m.json:2:12: unexpected token near '}'");
    expect_error("[1]", SM_EPARSE, "m.json:1:1: expected an object {\"sovmap\": 1, ...}");
    expect_error("{\"tiers\": []}", SM_EPARSE,
                 "m.json: sovmap: missing format version: this is not a sovmap model "
                 "(expected \"sovmap\": 1)");
    expect_error("{\"sovmap\": 2}", SM_EVERSION,
                 "m.json: sovmap: format 2 is not 1 (written by a newer sovmap?)");
    expect_error("{\"sovmap\": 1, \"dataset\": []}", SM_EPARSE,
                 "m.json: unknown key \"dataset\"; did you mean \"datasets\"?");
    expect_error("{\"sovmap\": 1, \"datasets\": [{\"name\": \"a\"}, {\"name\": \"b\", "
                 "\"placements\": [{\"region\": \"aws:eu-west-1\"}, "
                 "{\"region\": \"aws:eu-west-9\", \"role\": \"replica\"}]}]}", SM_EPARSE,
                 "m.json:1:112: datasets[1].placements[1].region: unknown region aws:eu-west-9; "
                 "did you mean aws:eu-west-1?");
    expect_error("{\"sovmap\": 1, \"datasets\": [{\"name\": \"a\", \"tier\": \"restrictd\"}]}",
                 SM_EPARSE, "m.json:1:50: datasets[0].tier: unknown tier restrictd");
    expect_error("{\"sovmap\": 1, \"datasets\": [{\"name\": \"a\", \"public_sector\": 1}]}",
                 SM_EPARSE, "m.json:1:59: datasets[0].public_sector: must be true or false, not a "
                 "whole number");
    expect_error("{\"sovmap\": 1, \"datasets\": [{\"name\": \"a\", \"subjects\": [\"EU\", "
                 "\"Europe\"]}]}", SM_EPARSE, "m.json:1:61: datasets[0].subjects[1]: bad jurisdiction "
                 "Europe: use a two-letter code such as EU, DE, BR");
    expect_error("{\"sovmap\": 1, \"datasets\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}",
                 SM_EPARSE, "m.json:1:52: datasets[1].name: dataset a is defined twice");
    expect_error("{\"sovmap\": 1, \"datasets\": [{\"name\": \"a\", \"placements\": "
                 "[{\"region\": \"aws:eu-west-1\", \"role\": \"mirror\"}]}]}", SM_EPARSE,
                 "m.json:1:93: datasets[0].placements[0].role: unknown role mirror: use primary, "
                 "replica, backup, dr, cache, archive, edge");
    expect_error("{\"sovmap\": 1, \"datasets\": [{\"name\": \"a\", \"placements\": "
                 "[{\"region\": \"aws:eu-west-1\"}]}], \"flows\": [{\"from\": \"a@aws:eu-west-1\", "
                 "\"to_region\": \"aws:us-east-1\", \"transforms\": [\"hide email\"]}]}",
                 SM_EPARSE, "m.json:1:172: flows[0].transforms[0]: unknown transform hide: use mask, "
                 "drop, pseudonymize, anonymize or aggregate");
    expect_error("{\"sovmap\": 1, \"flows\": [{\"from\": \"a@aws:eu-west-1\", "
                 "\"to_region\": \"aws:us-east-1\"}]}",
                 SM_EPARSE, "m.json:1:34: flows[0].from: unknown dataset a");
    expect_error("{\"sovmap\": 1, \"regions\": [{\"id\": \"aws:eu-west-1\"}]}", SM_EPARSE,
                 "m.json:1:34: regions[0].id: region aws:eu-west-1 is shipped with sovmap; do not "
                 "redefine it");
    expect_error("{\"sovmap\": 1, \"datasets\": [{\"name\": \"a\"},\n  {\"name\": \"b\",, }]}",
                 SM_EPARSE, "m.json:2:16: string or '}' expected near ','");
    expect_error("{\"sovmap\": 1, \"datasets\": [{\"name\": \"a\"}", SM_EPARSE,
                 "m.json:1:40: ']' expected near end of file");
    expect_error("{\"sovmap\": 1} x", SM_EPARSE, "m.json:1:15: end of file expected near 'x'");
    expect_error("{\"sovmap\": 1, \"sovmap\": 1}", SM_EPARSE,
                 "m.json:1:15: duplicate key \"sovmap\"");
    expect_error("{\"sovmap\": 1, \"tiers\": {\"name\": \"x\"}}", SM_EPARSE,
                 "m.json:1:24: tiers: must be a list, not an object");
    expect_error("{\"sovmap\": 1, \"waivers\": [{\"rule\": \"RES001\", \"object\": \"x\", "
                 "\"expires\": \"2026-13-01\"}]}", SM_EPARSE,
                 "m.json:1:72: waivers[0].expires: bad date 2026-13-01: use YYYY-MM-DD");
    expect_error("{\"sovmap\": 1, \"scenarios\": [{\"name\": \"a\", \"base\": \"b\"}, "
                 "{\"name\": \"b\", \"base\": \"a\"}]}", SM_EPARSE,
                 "m.json:1:51: scenarios[0].base: scenarios build on each other in a cycle");
}

/* Where each object is, for SARIF: the key of its identifying member,
 * found structurally (a name that spells JSON, an escaped key). */
static void
test_locations(void **state)
{
    const char *text =
        "{\n"
        "  \"sovmap\": 1,\n"
        "  \"datasets\": [\n"
        "    {\"name\": \"a \\\"placements\\\": [{\\\"region\\\"\", \"placements\": [\n"
        "      {\"region\": \"aws:eu-west-1\"},\n"
        "      {\"role\": \"replica\",\n"
        "       \"region\": \"aws:us-east-1\"}]},\n"
        "    {\"n\\u0061me\": \"b\"}\n"
        "  ],\n"
        "  \"flows\": [\n"
        "    {\"from\": \"a \\\"placements\\\": [{\\\"region\\\"@aws:eu-west-1\", \"to_region\": \"aws:us-east-1\"},\n"
        "    {\"name\": \"f\", \"from\": \"a \\\"placements\\\": [{\\\"region\\\"@aws:eu-west-1\",\n"
        "     \"to\": \"a \\\"placements\\\": [{\\\"region\\\"@aws:us-east-1\"}\n"
        "  ]\n"
        "}\n";
    struct model *m = tl_base_model();
    struct model_json_locs locs = { 0 };
    struct sm_error err = { 0 };
    const struct model_json_loc *l;
    int32_t a, b, p0, p1, f;

    (void)state;
    assert_int_equal(model_json_read_locs(text, strlen(text), "m.json", m, &locs, &err), SM_OK);
    a = model_dataset(m, "a \"placements\": [{\"region\"");
    b = model_dataset(m, "b");
    p0 = model_placement_of(m, a, model_region(m, "aws:eu-west-1"), SM_NONE);
    p1 = model_placement_of(m, a, model_region(m, "aws:us-east-1"), SM_NONE);
    f = model_flow(m, "f");
    assert_true(a >= 0 && b >= 0 && p0 >= 0 && p1 >= 0 && f >= 0);
    l = model_json_loc(&locs, OBJ_DATASET, a);
    assert_non_null(l);
    assert_int_equal(l->line, 4);
    assert_int_equal(l->col, 6);
    l = model_json_loc(&locs, OBJ_PLACEMENT, p0);
    assert_int_equal(l->line, 5);
    assert_int_equal(l->col, 8);
    l = model_json_loc(&locs, OBJ_PLACEMENT, p1);
    assert_int_equal(l->line, 7);
    assert_int_equal(l->col, 8);
    l = model_json_loc(&locs, OBJ_DATASET, b);
    assert_int_equal(l->line, 8);
    assert_int_equal(l->col, 6);
    for (int32_t i = 0; i < m->nflows; i++) {
        l = model_json_loc(&locs, OBJ_FLOW, i);
        assert_non_null(l);
        /* the unnamed flow: its '{'; the named one: its "name" */
        assert_int_equal(l->line, i == f ? 12 : 11);
        assert_int_equal(l->col, i == f ? 6 : 5);
    }
    /* a shipped region is not in the file */
    assert_null(model_json_loc(&locs, OBJ_REGION, model_region(m, "aws:eu-west-1")));
    model_json_locs_fini(&locs);
    model_free(m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_bytes),
        cmocka_unit_test(test_sorted_and_stable),
        cmocka_unit_test(test_long_names_and_utf8),
        cmocka_unit_test(test_through_catalog),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_locations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
