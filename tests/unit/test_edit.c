/*
 * test_edit.c - edits of every kind, what they touch, their inverses, exact
 * undo/redo, all-or-nothing SET, and the one-line text form.
 */
#include "testlib.h"
#include "edit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct edit
mk(enum edit_op op, enum obj_kind kind, const char *key, int n, ...)
{
    struct edit e = { .op = op, .kind = kind, .key = key, .nattrs = n };
    va_list ap;

    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        e.attrs[i].name = va_arg(ap, const char *);
        e.attrs[i].value = va_arg(ap, const char *);
    }
    va_end(ap);
    return e;
}

static void
ok(struct model *m, struct edit e)
{
    struct edit_result r;
    SM_ERROR(err);

    if (edit_apply(m, &e, &r, &err))
        fail_msg("edit failed: %s", err.msg);
    edit_result_fini(&r);
}

static char *
describe_all(const struct model *m, enum obj_kind kind, const char *sel)
{
    int32_t id;
    char *buf = malloc(65536);

    assert_int_equal(model_find(m, kind, sel, &id, NULL), SM_OK);
    tl_describe(m, kind, id, buf, 65536);
    return buf;
}

/* tl_small_model + orders with fields, tags, three copies and two flows. */
static struct model *
model_with_orders(void)
{
    struct model *m = tl_small_model();
    int32_t d, f;

    ok(m, mk(EDIT_ADD, OBJ_DATASET, "orders", 3, "tier", "restricted", "subjects", "EU",
             "system", "loyalty"));
    ok(m, mk(EDIT_ADD, OBJ_DATASET, "reports", 1, "tier", "public"));
    d = model_dataset(m, "orders");
    assert_int_equal(model_add_field(m, d, "email", &f, NULL), SM_OK);
    assert_int_equal(model_add_tag(m, d, f, "pii.email", "atlas.json", "g1", "2026-01-01T00:00:00Z",
                                   NULL, NULL), SM_OK);
    assert_int_equal(model_add_tag(m, d, SM_NONE, "sovereignty=EU", NULL, NULL, NULL, NULL, NULL),
                     SM_OK);
    ok(m, mk(EDIT_ADD, OBJ_PLACEMENT, "orders@aws:eu-west-1", 1, "encrypted", "true"));
    ok(m, mk(EDIT_ADD, OBJ_PLACEMENT, "orders@aws:us-east-1", 1, "mechanism", "scc"));
    ok(m, mk(EDIT_ADD, OBJ_PLACEMENT, "orders@aws:eu-central-1", 1, "role", "backup"));
    ok(m, mk(EDIT_ADD, OBJ_PLACEMENT, "reports@aws:us-east-1", 0));
    ok(m, mk(EDIT_ADD, OBJ_FLOW, "repl", 3, "from", "orders@aws:eu-west-1",
             "to", "orders@aws:us-east-1", "transforms", "mask email"));
    ok(m, mk(EDIT_ADD, OBJ_FLOW, "", 2, "from", "orders@aws:eu-west-1",
             "to", "reports@aws:us-east-1"));
    return m;
}

static void
test_add_every_kind(void **state)
{
    struct model *m = model_with_orders();
    struct edit_result r;
    SM_ERROR(err);
    struct edit e;
    int32_t id;
    char buf[256];
    (void)state;

    /* region: provider and code from the id, operator defaults to the country */
    e = mk(EDIT_ADD, OBJ_REGION, "onprem:fra-dc1", 2, "country", "DE", "city", "Frankfurt");
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_OK);
    id = r.id;
    assert_string_equal(m->regions[id].provider, "onprem");
    assert_string_equal(m->regions[id].code, "fra-dc1");
    assert_int_equal(m->regions[id].kind, REGION_ONPREM);
    assert_string_equal(model_get(m, OBJ_REGION, id, "operator", buf, sizeof buf), "DE");
    assert_string_equal(r.selector, "onprem:fra-dc1");
    assert_null(r.before);
    assert_non_null(strstr(r.after, "country=DE"));
    assert_int_equal(r.ntouched, 1);
    assert_int_equal(r.touched[0].kind, OBJ_REGION);
    assert_int_equal(r.ninverse, 1);
    assert_int_equal(r.inverse[0].op, EDIT_REMOVE);
    assert_string_equal(r.inverse[0].key, "onprem:fra-dc1");
    edit_result_fini(&r);

    e = mk(EDIT_ADD, OBJ_REGION, "edge:eu", 1, "members", "DE,FR");
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_OK);
    assert_int_equal(m->regions[r.id].kind, REGION_MULTI);
    edit_result_fini(&r);
    e = mk(EDIT_ADD, OBJ_REGION, "bad id", 0);
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_EINVAL);

    /* the first copy is the primary, the next a replica */
    ok(m, mk(EDIT_ADD, OBJ_DATASET, "clicks", 0));
    ok(m, mk(EDIT_ADD, OBJ_PLACEMENT, "clicks@onprem:fra-dc1", 0));
    ok(m, mk(EDIT_ADD, OBJ_PLACEMENT, "clicks@aws:eu-west-1", 0));
    assert_int_equal(m->placements[model_placement(m, "clicks@onprem:fra-dc1")].role, ROLE_PRIMARY);
    assert_int_equal(m->placements[model_placement(m, "clicks@aws:eu-west-1")].role, ROLE_REPLICA);
    /* the role may come in the key */
    ok(m, mk(EDIT_ADD, OBJ_PLACEMENT, "clicks@aws:eu-west-1/backup", 0));
    assert_int_not_equal(model_placement(m, "clicks@aws:eu-west-1/backup"), SM_NONE);

    ok(m, mk(EDIT_ADD, OBJ_TIER, "secret", 3, "rank", "4", "scope", "country", "personal", "yes"));
    assert_int_equal(m->tiers[model_tier(m, "secret")].scope, SCOPE_COUNTRY);

    ok(m, mk(EDIT_ADD, OBJ_FLOW, "out", 3, "from", "clicks@onprem:fra-dc1",
             "to-region", "aws:us-east-1", "kind", "export"));
    assert_int_equal(m->flows[model_flow(m, "out")].to, SM_NONE);

    e = mk(EDIT_ADD, OBJ_WAIVER, "RES001:orders@aws:us-east-1", 3, "owner", "dpo",
           "reason", "migration", "expires", "2026-12-31");
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_OK);
    assert_string_equal(m->waivers[r.id].rule, "RES001");
    assert_string_equal(m->waivers[r.id].object, "orders@aws:us-east-1");
    assert_int_equal(m->waivers[r.id].expires, 20261231);
    edit_result_fini(&r);
    e = mk(EDIT_ADD, OBJ_WAIVER, "RES002:x", 1, "owner", "dpo");
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_EINVAL);
    assert_string_equal(err.msg, "waiver RES002:x needs reason");

    ok(m, mk(EDIT_ADD, OBJ_SCENARIO, "s1", 1, "description", "what if"));
    ok(m, mk(EDIT_ADD, OBJ_SCENARIO, "s2", 1, "base", "s1"));
    assert_string_equal(m->scenarios[model_scenario(m, "s2")].base, "s1");
    model_free(m);
}

static void
test_add_failures_leave_model_unchanged(void **state)
{
    struct model *m = model_with_orders();
    struct edit_result r;
    SM_ERROR(err);
    struct edit e;
    int32_t nd = m->ndatasets, np = m->nplacements, nf = m->nflows;
    (void)state;

    e = mk(EDIT_ADD, OBJ_DATASET, "x", 2, "system", "s", "tier", "restrictd");
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_ENOTFOUND);
    assert_string_equal(err.msg, "dataset x: tier: unknown tier restrictd; did you mean restricted?");
    assert_int_equal(m->ndatasets, nd);
    assert_int_equal(model_dataset(m, "x"), SM_NONE);

    e = mk(EDIT_ADD, OBJ_PLACEMENT, "orders@aws:eu-west-9", 0);
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_ENOTFOUND);
    assert_string_equal(err.msg, "unknown region aws:eu-west-9; did you mean aws:eu-west-1?");
    e = mk(EDIT_ADD, OBJ_PLACEMENT, "reports@aws:eu-west-1", 1, "key-region", "aws:nowhere");
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_ENOTFOUND);
    assert_int_equal(m->nplacements, np);
    assert_int_equal(model_placement(m, "reports@aws:eu-west-1"), SM_NONE);
    assert_int_equal(model_placement(m, "reports@aws:us-east-1"),
                     m->datasets[model_dataset(m, "reports")].first_placement);

    e = mk(EDIT_ADD, OBJ_FLOW, "f", 2, "from", "orders@aws:eu-west-1", "kind", "teleport");
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_EINVAL);
    e = mk(EDIT_ADD, OBJ_FLOW, "f", 3, "from", "orders@aws:eu-west-1",
           "to", "reports@aws:us-east-1", "kind", "teleport");
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_EINVAL);
    assert_int_equal(m->nflows, nf);
    assert_int_equal(model_flow(m, "f"), SM_NONE);

    e = mk(EDIT_ADD, OBJ_DATASET, "y", 2, "owner", "a", "owner", "b");
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_EINVAL);
    e = mk(EDIT_ADD, OBJ_DATASET, "y", 1, "colour", "red");
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_EINVAL);
    assert_string_equal(err.msg, "dataset has no attribute colour");
    e = mk(EDIT_ADD, OBJ_DATASET, "orders", 0);
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_EEXIST);
    model_free(m);
}

static void
test_set_all_or_nothing(void **state)
{
    struct model *m = model_with_orders();
    struct edit_result r;
    SM_ERROR(err);
    struct edit e;
    char *before, *after;
    (void)state;

    before = describe_all(m, OBJ_DATASET, "orders");
    e = mk(EDIT_SET, OBJ_DATASET, "orders", 3, "owner", "alice", "subjects", "EU,BR",
           "retention", "soon");
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_EINVAL);
    assert_string_equal(err.msg, "dataset orders: bad retention soon: not a whole number");
    after = describe_all(m, OBJ_DATASET, "orders");
    assert_string_equal(before, after);
    free(after);

    e = mk(EDIT_SET, OBJ_DATASET, "orders", 2, "owner", "alice", "tier", "public");
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_OK);
    assert_string_equal(r.before, before);
    assert_non_null(strstr(r.after, "owner=alice"));
    assert_int_equal(r.ninverse, 1);
    assert_int_equal(r.inverse[0].op, EDIT_SET);
    assert_int_equal(r.inverse[0].nattrs, 2);
    assert_string_equal(r.inverse[0].attrs[0].name, "owner");
    assert_string_equal(r.inverse[0].attrs[0].value, "");
    assert_string_equal(r.inverse[0].attrs[1].value, "restricted");
    {
        struct edit inv = r.inverse[0];
        struct edit_result r2;
        assert_int_equal(edit_apply(m, &inv, &r2, &err), SM_OK);
        edit_result_fini(&r2);
    }
    after = describe_all(m, OBJ_DATASET, "orders");
    assert_string_equal(before, after);
    free(after);
    edit_result_fini(&r);

    /* moving a copy keeps its flows */
    e = mk(EDIT_SET, OBJ_PLACEMENT, "orders@aws:us-east-1", 1, "role", "backup");
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_OK);
    edit_result_fini(&r);
    e = mk(EDIT_SET, OBJ_PLACEMENT, "orders@aws:us-east-1", 1, "region", "aws:eu-central-1");
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_EEXIST);  /* a backup is there */
    assert_int_not_equal(model_placement(m, "orders@aws:us-east-1"), SM_NONE);
    e = mk(EDIT_SET, OBJ_PLACEMENT, "orders@aws:us-east-1", 2, "role", "dr",
           "region", "aws:eu-central-1");
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_OK);
    assert_string_equal(r.selector, "orders@aws:eu-central-1/dr");
    edit_result_fini(&r);
    {
        char buf[256];
        assert_string_equal(model_get(m, OBJ_FLOW, model_flow(m, "repl"), "to", buf, sizeof buf),
                            "orders@aws:eu-central-1/dr");
    }
    free(before);
    model_free(m);
}

static void
test_remove_dataset_and_back(void **state)
{
    struct model *m = model_with_orders();
    struct edit_result r;
    SM_ERROR(err);
    struct edit e = mk(EDIT_REMOVE, OBJ_DATASET, "orders", 0);
    char *before = describe_all(m, OBJ_DATASET, "orders"), *after;
    int32_t id = model_dataset(m, "orders");
    (void)state;

    assert_int_equal(edit_apply(m, &e, &r, &err), SM_OK);
    assert_int_equal(model_dataset(m, "orders"), SM_NONE);
    assert_int_equal(model_flow(m, "repl"), SM_NONE);
    assert_string_equal(r.before, before);
    assert_null(r.after);
    /* touched: the dataset, its 3 copies, its 2 flows */
    assert_int_equal(r.ntouched, 6);
    assert_int_equal(r.touched[0].kind, OBJ_DATASET);
    assert_int_equal(r.touched[1].kind, OBJ_PLACEMENT);
    assert_int_equal(r.touched[5].kind, OBJ_FLOW);
    /* inverse: add dataset, 3 copies, 2 flows */
    assert_int_equal(r.ninverse, 6);
    {
        char line[1024];
        edit_format(&r.inverse[0], line, sizeof line);
        assert_string_equal(line, "dataset add orders tier=restricted subjects=EU "
                            "system=loyalty public-sector=false");
        edit_format(&r.inverse[2], line, sizeof line);
        assert_string_equal(line, "placement add orders@aws:us-east-1 role=replica "
                            "encrypted=false mechanism=scc");
        edit_format(&r.inverse[4], line, sizeof line);
        assert_string_equal(line, "flow add repl from=orders@aws:eu-west-1 "
                            "to=orders@aws:us-east-1 kind=replication transforms=\"mask email\" "
                            "transit-encrypted=false public-recipient=false");
    }
    /* exact undo: same id, fields, tags with provenance, copies, flows */
    assert_false(edit_reverted(&r));
    assert_int_equal(edit_revert(m, &r, &err), SM_OK);
    assert_true(edit_reverted(&r));
    assert_int_equal(model_dataset(m, "orders"), id);
    after = describe_all(m, OBJ_DATASET, "orders");
    assert_string_equal(before, after);
    free(after);
    assert_string_equal(m->tags[m->datasets[id].first_tag].entity, "g1");
    assert_int_not_equal(model_flow(m, "repl"), SM_NONE);
    assert_int_not_equal(model_placement(m, "orders@aws:eu-central-1"), SM_NONE);
    /* redo, and undo again */
    assert_int_equal(edit_revert(m, &r, &err), SM_EINVAL);
    assert_int_equal(edit_reapply(m, &r, &err), SM_OK);
    assert_int_equal(model_dataset(m, "orders"), SM_NONE);
    assert_int_equal(edit_revert(m, &r, &err), SM_OK);
    assert_int_equal(model_dataset(m, "orders"), id);

    /* the inverse edits alone bring back the object, copies and flows */
    assert_int_equal(edit_reapply(m, &r, &err), SM_OK);
    for (int i = 0; i < r.ninverse; i++) {
        struct edit_result r2;
        if (edit_apply(m, &r.inverse[i], &r2, &err))
            fail_msg("inverse %d: %s", i, err.msg);
        edit_result_fini(&r2);
    }
    assert_int_not_equal(model_flow(m, "repl"), SM_NONE);
    assert_int_not_equal(model_flow(m, "orders@aws:eu-west-1->reports@aws:us-east-1"), SM_NONE);
    assert_int_not_equal(model_placement(m, "orders@aws:eu-central-1/backup"), SM_NONE);
    /* a name taken again blocks the exact undo, and changes nothing */
    assert_int_equal(edit_revert(m, &r, &err), SM_EEXIST);
    edit_result_fini(&r);
    free(before);
    model_free(m);
}

static void
test_remove_placement_and_others(void **state)
{
    struct model *m = model_with_orders();
    struct edit_result r;
    SM_ERROR(err);
    struct edit e;
    int32_t p = model_placement(m, "orders@aws:us-east-1");
    (void)state;

    e = mk(EDIT_REMOVE, OBJ_PLACEMENT, "orders@aws:us-east-1", 0);
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_OK);
    assert_int_equal(r.ntouched, 2);        /* the copy and the flow into it */
    assert_int_equal(r.ninverse, 2);
    assert_int_equal(model_flow(m, "repl"), SM_NONE);
    assert_int_equal(edit_revert(m, &r, &err), SM_OK);
    assert_int_equal(model_placement(m, "orders@aws:us-east-1"), p);
    assert_int_not_equal(model_flow(m, "repl"), SM_NONE);
    /* list order restored: primary, replica, backup */
    {
        int32_t first = m->datasets[model_dataset(m, "orders")].first_placement;
        assert_int_equal(m->placements[m->placements[first].next].region,
                         model_region(m, "aws:us-east-1"));
    }
    edit_result_fini(&r);

    e = mk(EDIT_REMOVE, OBJ_TIER, "restricted", 0);
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_EINVAL);    /* in use */
    e = mk(EDIT_REMOVE, OBJ_REGION, "aws:eu-west-1", 0);
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_EINVAL);    /* in use */
    e = mk(EDIT_REMOVE, OBJ_FLOW, "nope", 0);
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_ENOTFOUND);

    e = mk(EDIT_REMOVE, OBJ_FLOW, "repl", 0);
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_OK);
    assert_int_equal(edit_revert(m, &r, &err), SM_OK);
    assert_int_not_equal(model_flow(m, "repl"), SM_NONE);
    edit_result_fini(&r);

    /* ADD reverted and reapplied */
    e = mk(EDIT_ADD, OBJ_WAIVER, "RES001:x", 3, "owner", "o", "reason", "r", "expires", "2027-01-01");
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_OK);
    assert_int_equal(edit_revert(m, &r, &err), SM_OK);
    assert_int_equal(model_waiver(m, "RES001:x"), SM_NONE);
    assert_int_equal(edit_reapply(m, &r, &err), SM_OK);
    assert_int_not_equal(model_waiver(m, "RES001:x"), SM_NONE);
    edit_result_fini(&r);
    model_free(m);
}

static void
test_overflow(void **state)
{
    struct model *m = tl_small_model();
    struct edit_result r;
    SM_ERROR(err);
    struct edit e;
    char name[32];
    (void)state;

    ok(m, mk(EDIT_ADD, OBJ_DATASET, "hub", 0));
    ok(m, mk(EDIT_ADD, OBJ_PLACEMENT, "hub@aws:eu-west-1", 0));
    for (int i = 0; i < 70; i++) {
        snprintf(name, sizeof name, "d%d", i);
        ok(m, mk(EDIT_ADD, OBJ_DATASET, name, 0));
        snprintf(name, sizeof name, "d%d@aws:eu-west-1", i);
        ok(m, mk(EDIT_ADD, OBJ_PLACEMENT, name, 0));
        ok(m, mk(EDIT_ADD, OBJ_FLOW, "", 2, "from", "hub@aws:eu-west-1", "to", name));
    }
    e = mk(EDIT_REMOVE, OBJ_DATASET, "hub", 0);
    assert_int_equal(edit_apply(m, &e, &r, &err), SM_OK);
    assert_true(r.overflow);
    assert_int_equal(r.ntouched, 64);
    assert_int_equal(r.touched[0].kind, OBJ_DATASET);
    assert_int_equal(r.ninverse, 72);
    assert_int_equal(edit_revert(m, &r, &err), SM_OK);
    assert_int_not_equal(model_flow(m, "hub@aws:eu-west-1->d69@aws:eu-west-1"), SM_NONE);
    edit_result_fini(&r);
    model_free(m);
}

static void
test_long_names(void **state)
{
    struct model *m = tl_small_model();
    char *name = malloc(6000), *key = malloc(6100);
    (void)state;

    memset(name, 'n', 5999);
    name[5999] = '\0';
    snprintf(key, 6100, "%s@aws:eu-west-1", name);
    ok(m, mk(EDIT_ADD, OBJ_DATASET, name, 0));
    ok(m, mk(EDIT_ADD, OBJ_PLACEMENT, key, 1, "encrypted", "true"));
    /* (model_placement's selector buffer is 1 KB: look the copy up by ids) */
    assert_int_not_equal(model_placement_of(m, model_dataset(m, name),
                                            model_region(m, "aws:eu-west-1"), ROLE_PRIMARY),
                         SM_NONE);
    free(name);
    free(key);
    model_free(m);
}

static void
test_format_and_dup(void **state)
{
    struct edit e = mk(EDIT_SET, OBJ_DATASET, "orders", 3, "tier", "restricted",
                       "subjects", "EU", "description", "two words \"q\"\n\\");
    struct edit *d;
    char line[256];
    size_t n;
    (void)state;

    n = edit_format(&e, line, sizeof line);
    assert_string_equal(line, "dataset set orders tier=restricted subjects=EU "
                        "description=\"two words \\\"q\\\"\\n\\\\\"");
    assert_int_equal(n, strlen(line));
    assert_int_equal(edit_format(&e, line, 10), n);     /* truncated, length kept */
    assert_string_equal(line, "dataset s");
    e = mk(EDIT_ADD, OBJ_FLOW, "", 1, "owner", "");
    edit_format(&e, line, sizeof line);
    assert_string_equal(line, "flow add \"\" owner=\"\"");

    e = mk(EDIT_REMOVE, OBJ_WAIVER, "RES001:orders@aws:us-east-1", 0);
    d = edit_dup(&e);
    assert_non_null(d);
    assert_ptr_not_equal(d->key, e.key);
    assert_string_equal(d->key, e.key);
    edit_format(d, line, sizeof line);
    assert_string_equal(line, "waiver remove RES001:orders@aws:us-east-1");
    edit_free(d);
    edit_free(NULL);
    edit_result_fini(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_every_kind),
        cmocka_unit_test(test_add_failures_leave_model_unchanged),
        cmocka_unit_test(test_set_all_or_nothing),
        cmocka_unit_test(test_remove_dataset_and_back),
        cmocka_unit_test(test_remove_placement_and_others),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_long_names),
        cmocka_unit_test(test_format_and_dup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
