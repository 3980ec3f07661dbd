/*
 * test_model_json.c - the canonical text form: byte-identical round trips
 * (hostile strings, 10 KB names, UTF-8), through the catalog too, and
 * precise error messages.
 */
#include "testlib.h"
#include "model_json.h"
#include "refdata.h"
#include "store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
to_json(const struct model *m)
{
    char *buf = NULL;
    size_t len = 0;
    SM_ERROR(err);
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
    SM_ERROR(err);

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
    SM_ERROR(err);
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
    SM_ERROR(err);

    assert_int_equal(model_json_read(text, strlen(text), "m.json", m, &err), code);
    assert_string_equal(err.msg, msg);
    model_free(m);
}

/* A dataset's purpose and legal basis (Art. 30) survive model-json and the
 * catalog; a dataset without them writes neither key; a basis outside
 * Art. 6(1) is refused with the list. */
static void
test_purpose_legal_basis(void **state)
{
    struct model *m = tl_base_model(), *m2, *m3 = tl_base_model();
    struct store *st = NULL;
    SM_ERROR(err);
    char *a, *b, *c;
    int32_t d;
    (void)state;

    tl_edit(m, EDIT_ADD, OBJ_DATASET, "members", 2, "purpose",
            "loyalty programme, \"points\" <b>\n=1+1", "legal-basis", "legitimate_interests");
    tl_edit(m, EDIT_ADD, OBJ_DATASET, "plain", 0);
    d = model_dataset(m, "members");
    assert_int_equal(m->datasets[d].legal_basis, LB_LEGITIMATE_INTERESTS);
    a = to_json(m);
    assert_non_null(strstr(a, "\"purpose\": \"loyalty programme, \\\"points\\\" <b>\\n=1+1\",\n"
                              "      \"legal_basis\": \"legitimate_interests\""));
    assert_null(strstr(strstr(a, "\"purpose\"") + 1, "\"purpose\""));   /* plain has none */
    m2 = from_json(a);
    b = to_json(m2);
    assert_string_equal(a, b);
    d = model_dataset(m2, "members");
    assert_string_equal(m2->datasets[d].purpose, "loyalty programme, \"points\" <b>\n=1+1");
    assert_int_equal(m2->datasets[d].legal_basis, LB_LEGITIMATE_INTERESTS);
    assert_string_equal(m2->datasets[model_dataset(m2, "plain")].purpose, "");
    /* through the catalog (schema 3 columns) */
    assert_int_equal(store_open(tl_path(tl_tmpdir(), "lb.db"), STORE_CREATE, &st, &err), 0);
    assert_int_equal(store_begin(st, &err), SM_OK);
    assert_int_equal(store_put_all(st, m2, &err), SM_OK);
    assert_int_equal(store_commit(st, &err), SM_OK);
    assert_int_equal(store_load(st, m3, &err), SM_OK);
    store_close(st);
    c = to_json(m3);
    assert_string_equal(a, c);
    expect_error("{\"sovmap\": 1, \"datasets\": [{\"name\": \"a\", \"legal_basis\": \"because\"}]}",
                 SM_EPARSE, "m.json:1:57: datasets[0].legal_basis: unknown legal_basis because: use "
                 "consent, contract, legal_obligation, vital_interests, public_task, "
                 "legitimate_interests");
    free(a);
    free(b);
    free(c);
    model_free(m);
    model_free(m2);
    model_free(m3);
}

/* Attribute sources: written only for what an import set (a person's and
 * unknown ones are not: a catalog without imports writes what it wrote
 * before), read back whole, byte for byte; a misplaced one is refused. */
static void
test_attr_sources(void **state)
{
    struct model *m = tl_rich_model(), *m2, *m3;
    int32_t d = model_dataset(m, "orders"), f = model_field(m, d, "email"), x;
    SM_ERROR(err);
    char *a, *b;
    (void)state;

    /* tl_rich_model's typed tier and system write nothing */
    assert_int_not_equal(model_asrc(m, d, SM_NONE, ASRC_TIER), SM_NONE);
    a = to_json(m);
    assert_null(strstr(a, "\"sources\""));
    free(a);
    assert_int_equal(model_set_asrc(m, d, SM_NONE, ASRC_SYSTEM, "atlas/bulk.json", tl_hostile,
                                    "2026-01-02T03:04:05Z", NULL, &err), SM_OK);
    assert_int_equal(model_set_asrc(m, d, f, ASRC_COMMENT, "glue/t.json", "glue:1/sales/orders",
                                    "2026-01-02T03:04:05Z", NULL, &err), SM_OK);
    a = to_json(m);
    assert_non_null(strstr(a, "\"sources\": {\n"));
    assert_non_null(strstr(a, "\"comment\": {\n"));
    assert_non_null(strstr(a, "\"source\": \"glue/t.json\""));
    m2 = from_json(a);
    b = to_json(m2);
    assert_string_equal(a, b);
    d = model_dataset(m2, "orders");
    x = model_asrc(m2, d, SM_NONE, ASRC_SYSTEM);
    assert_int_not_equal(x, SM_NONE);
    assert_string_equal(m2->asrcs[x].entity, tl_hostile);
    /* the typed tier is not in the file: its source is unknown after a read */
    assert_int_equal(model_asrc(m2, d, SM_NONE, ASRC_TIER), SM_NONE);
    free(b);
    /* a field's attribute on a dataset is refused, with where */
    m3 = tl_base_model();
    assert_int_equal(model_json_read("{\"sovmap\": 1, \"datasets\": [{\"name\": \"a\", "
                                     "\"sources\": {\"type\": {\"source\": \"f\"}}}]}", 80,
                                     "m.json", m3, &err), SM_EPARSE);
    assert_non_null(strstr(err.msg, "datasets[0].sources: no attribute \"type\" has a source here"));
    free(a);
    model_free(m);
    model_free(m2);
    model_free(m3);
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
    SM_ERROR(err);
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

/* The audit snapshot of some objects: each exactly the compact form of its
 * element in the export; a copy stands for its dataset; deleted objects and
 * ids past the arrays left out. */
static void
test_part(void **state)
{
    struct model *m = tl_rich_model();
    SM_ERROR(err);
    int32_t d = model_dataset(m, "orders"), p = model_placement(m, "orders@aws:us-east-1");
    struct obj_ref refs[] = {
        { OBJ_PLACEMENT, p }, { OBJ_DATASET, d }, { OBJ_FLOW, model_flow(m, "repl") },
        { OBJ_WAIVER, 0 }, { OBJ_DATASET, 9999 }, { OBJ_REGION, model_region(m, "aws:eu-west-1") },
    };
    char *part = NULL, *text = to_json(m), *one;
    json_error_t je;
    json_t *all = json_loads(text, 0, &je), *pj, *ds, *o = NULL;
    size_t k;
    (void)state;

    assert_int_equal(model_json_part(m, refs, 6, &part, &err), SM_OK);
    pj = json_loads(part, 0, &je);
    assert_non_null(pj);
    /* sections in canonical order, only those touched; the builtin region is not */
    assert_true(strncmp(part, "{\"datasets\":[{\"name\":\"orders\"", 29) == 0);
    assert_non_null(strstr(part, "],\"flows\":[{\"name\":\"repl\""));
    assert_non_null(strstr(part, "],\"waivers\":["));
    assert_null(json_object_get(pj, "regions"));
    assert_int_equal(json_array_size(json_object_get(pj, "datasets")), 1);
    /* the same object as the export's, byte for byte in compact form */
    ds = json_object_get(all, "datasets");
    json_array_foreach(ds, k, o)
        if (strcmp(json_string_value(json_object_get(o, "name")), "orders") == 0)
            break;
    one = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_non_null(strstr(part, one));
    free(one);
    json_decref(pj);
    free(part);
    /* deleted: gone from the part; nothing left is "{}" */
    assert_int_equal(model_remove(m, OBJ_DATASET, d, &err), SM_OK);
    assert_int_equal(model_json_part(m, refs, 2, &part, &err), SM_OK);
    assert_string_equal(part, "{}");
    free(part);
    json_decref(all);
    free(text);
    model_free(m);
}

/* diff by identity, then undo from it: the export is back byte for byte;
 * once an object changed again, undo refuses and names it. */
static void
test_diff_and_undo(void **state)
{
    struct model *m0 = tl_rich_model(), *m1, *back;
    SM_ERROR(err);
    char *before = NULL, *after = NULL, *data, *t0 = to_json(m0), *t1, *out = NULL, *ident;
    const char *kind;
    size_t len;
    (void)state;

    assert_int_equal(model_clone(m0, &m1), SM_OK);
    tl_edit(m1, EDIT_REMOVE, OBJ_DATASET, "orders", 0);      /* and its copies, flows */
    tl_edit(m1, EDIT_SET, OBJ_TIER, "public", 1, "description", "open data");
    tl_edit(m1, EDIT_ADD, OBJ_REGION, "onprem:par-dc2", 1, "country", "FR");
    t1 = to_json(m1);
    /* orders, repl, orders_clicks, export, tier public, the region: 6, more
     * than a limit of 5: the counts only */
    assert_int_equal(model_json_diff(m0, m1, &before, &after, 5, &err), SM_ELIMIT);
    assert_null(after);
    assert_string_equal(before, "{\"regions\":{\"added\":1,\"changed\":0,\"removed\":0},"
                        "\"tiers\":{\"added\":0,\"changed\":1,\"removed\":0},"
                        "\"datasets\":{\"added\":0,\"changed\":0,\"removed\":1},"
                        "\"flows\":{\"added\":0,\"changed\":0,\"removed\":3}}");
    free(before);
    assert_int_equal(model_json_diff(m0, m1, &before, &after, 6, &err), SM_OK);
    assert_non_null(strstr(before, "\"name\":\"orders\""));
    assert_null(strstr(after, "\"name\":\"orders\""));
    assert_non_null(strstr(after, "onprem:par-dc2"));
    assert_null(strstr(before, "onprem:par-dc2"));
    assert_null(strstr(before, "clicks\",\"system\""));     /* unchanged: not in it */
    len = strlen(before) + strlen(after) + 32;
    data = malloc(len);
    snprintf(data, len, "{\"before\":%s,\"after\":%s}", before, after);
    assert_true(model_json_touches(data, "dataset", "orders"));
    assert_true(model_json_touches(data, NULL, "repl"));
    assert_false(model_json_touches(data, NULL, "clicks"));
    if (model_json_undo(m1, data, &out, &kind, &ident, &err))
        fail_msg("undo: %s", err.msg);
    back = from_json(out);
    free(out);
    out = to_json(back);
    assert_string_equal(out, t0);
    free(out);
    model_free(back);
    /* the tier changed again: refused, named */
    tl_edit(m1, EDIT_SET, OBJ_TIER, "public", 1, "description", "changed again");
    out = NULL;
    assert_int_equal(model_json_undo(m1, data, &out, &kind, &ident, &err), SM_EEXIST);
    assert_null(out);
    assert_string_equal(kind, "tier");
    assert_string_equal(ident, "public");
    assert_string_equal(err.msg, "tier public changed since");
    free(ident);
    tl_edit(m1, EDIT_SET, OBJ_TIER, "public", 1, "description", "open data");
    /* a removed object back under its name: refused too */
    tl_edit(m1, EDIT_ADD, OBJ_DATASET, "orders", 0);
    assert_int_equal(model_json_undo(m1, data, &out, &kind, &ident, &err), SM_EEXIST);
    assert_string_equal(err.msg, "dataset orders was added again since");
    free(ident);
    /* not JSON, no parts */
    assert_int_equal(model_json_undo(m1, "nope", &out, &kind, &ident, &err), SM_EPARSE);
    assert_int_equal(model_json_undo(m1, "{\"summary\":{}}", &out, &kind, &ident, &err),
                     SM_EPARSE);
    assert_string_equal(err.msg, "it records only the counts of a change too large to keep");
    assert_int_equal(model_json_undo(m1, "{\"before\":{}}", &out, &kind, &ident, &err),
                     SM_EPARSE);
    free(data);
    free(before);
    free(after);
    free(t0);
    free(t1);
    model_free(m0);
    model_free(m1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_bytes),
        cmocka_unit_test(test_attr_sources),
        cmocka_unit_test(test_sorted_and_stable),
        cmocka_unit_test(test_long_names_and_utf8),
        cmocka_unit_test(test_through_catalog),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_purpose_legal_basis),
        cmocka_unit_test(test_part),
        cmocka_unit_test(test_diff_and_undo),
        cmocka_unit_test(test_locations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
