/*
 * test_model_diff.c - model_diff (objects matched by name, attribute
 * changes, moves, whole datasets) and finding_diff (new, fixed, still
 * there, waivers) on hand-built models.
 */
#include <string.h>

#include "testlib.h"
#include "check.h"
#include "model_diff.h"

/* Two equal models: orders (restricted, EU) primary in eu-west-1 and a
 * replica in us-east-1 (RES001), crm (public) primary in eu-central-1, and
 * a flow orders -> crm. */
static struct model *
base(void)
{
    struct model *m = tl_small_model();
    int32_t o = tl_add_dataset(m, "orders", "restricted", "EU", "shop");
    int32_t c = tl_add_dataset(m, "crm", "public", NULL, NULL);
    int32_t op = tl_add_copy(m, o, "aws:eu-west-1", ROLE_PRIMARY, NULL);

    tl_add_copy(m, o, "aws:us-east-1", ROLE_REPLICA, NULL);
    int32_t cp = tl_add_copy(m, c, "aws:eu-central-1", ROLE_PRIMARY, NULL);
    tl_add_flow(m, "crm-sync", op, cp, SM_NONE, FLOW_ETL, "anonymize", NULL);
    return m;
}

static const struct mdiff_change *
find_change(const struct model_diff *d, int op, int kind, const char *sel, const char *attr)
{
    for (int32_t i = 0; i < d->nchanges; i++) {
        const struct mdiff_change *ch = &d->changes[i];
        if (ch->op == op && ch->kind == kind && !strcmp(ch->selector, sel) &&
            (!attr || (ch->attr && !strcmp(ch->attr, attr))))
            return ch;
    }
    return NULL;
}

static void
test_same(void **state)
{
    struct model *a = base(), *b = base();
    struct model_diff *d = NULL;
    SM_ERROR(e);

    (void)state;
    assert_int_equal(model_diff(a, b, &d, &e), SM_OK);
    assert_int_equal(d->nchanges, 0);
    for (int op = 0; op < MDIFF_OP_COUNT; op++)
        assert_int_equal(d->count[op], 0);
    model_diff_free(d);
    model_free(a);
    model_free(b);
}

static void
test_changes(void **state)
{
    struct model *a = base(), *b = base();
    struct model_diff *d = NULL;
    SM_ERROR(e);
    const struct mdiff_change *ch;
    int32_t o = model_dataset(b, "orders"), n, p;

    (void)state;
    /* tier raised, a replica moved (and its key region changed), a flow
     * removed, a dataset added with a copy, a copy added */
    assert_int_equal(model_set(b, OBJ_DATASET, model_dataset(b, "crm"), "tier", "confidential",
                               &e), SM_OK);
    p = model_placement(b, "orders@aws:us-east-1");
    assert_int_equal(model_set(b, OBJ_PLACEMENT, p, "region", "aws:eu-central-1", &e), SM_OK);
    assert_int_equal(model_set(b, OBJ_PLACEMENT, p, "key-region", "aws:eu-west-1", &e), SM_OK);
    assert_int_equal(model_remove(b, OBJ_FLOW, model_flow(b, "crm-sync"), &e), SM_OK);
    n = tl_add_dataset(b, "new <ds>", "public", NULL, NULL);
    tl_add_copy(b, n, "aws:us-east-1", ROLE_PRIMARY, NULL);
    tl_add_copy(b, o, "aws:us-east-1", ROLE_BACKUP, NULL);

    assert_int_equal(model_diff(a, b, &d, &e), SM_OK);
    ch = find_change(d, MDIFF_CHANGED, OBJ_DATASET, "crm", "tier");
    assert_non_null(ch);
    assert_string_equal(ch->old_value, "public");
    assert_string_equal(ch->new_value, "confidential");
    ch = find_change(d, MDIFF_MOVED, OBJ_PLACEMENT, "orders@aws:eu-central-1", "region");
    assert_non_null(ch);
    assert_string_equal(ch->old_selector, "orders@aws:us-east-1");
    assert_string_equal(ch->old_value, "aws:us-east-1");
    assert_string_equal(ch->new_value, "aws:eu-central-1");
    /* the moved copy's other change follows it, not as a change of its own */
    ch = find_change(d, MDIFF_CHANGED, OBJ_PLACEMENT, "orders@aws:eu-central-1", "key-region");
    assert_non_null(ch);
    assert_string_equal(ch->old_value, "aws:us-east-1");
    assert_string_equal(ch->new_value, "aws:eu-west-1");
    assert_non_null(find_change(d, MDIFF_REMOVED, OBJ_FLOW, "crm-sync", NULL));
    assert_non_null(find_change(d, MDIFF_ADDED, OBJ_DATASET, "new <ds>", NULL));
    /* a dataset added whole: its copies are not listed one by one */
    assert_null(find_change(d, MDIFF_ADDED, OBJ_PLACEMENT, "new <ds>@aws:us-east-1", NULL));
    assert_non_null(find_change(d, MDIFF_ADDED, OBJ_PLACEMENT, "orders@aws:us-east-1", NULL));
    assert_int_equal(d->count[MDIFF_CHANGED], 1);
    assert_int_equal(d->count[MDIFF_MOVED], 1);
    assert_int_equal(d->count[MDIFF_ADDED], 2);
    assert_int_equal(d->count[MDIFF_REMOVED], 1);
    assert_int_equal(d->nchanges, 6);
    /* sorted: kind order, then selector; the move before its attribute */
    for (int32_t i = 1; i < d->nchanges; i++)
        assert_true(d->changes[i - 1].kind <= d->changes[i].kind);
    model_diff_free(d);

    /* the other way round: the mirror image */
    assert_int_equal(model_diff(b, a, &d, &e), SM_OK);
    assert_non_null(find_change(d, MDIFF_ADDED, OBJ_FLOW, "crm-sync", NULL));
    assert_non_null(find_change(d, MDIFF_REMOVED, OBJ_DATASET, "new <ds>", NULL));
    ch = find_change(d, MDIFF_MOVED, OBJ_PLACEMENT, "orders@aws:us-east-1", "region");
    assert_non_null(ch);
    assert_string_equal(ch->old_selector, "orders@aws:eu-central-1");
    model_diff_free(d);
    model_free(a);
    model_free(b);
}

static const struct fdiff_item *
find_item(const struct finding_diff *fd, int status, const char *rule, const char *sel)
{
    for (int32_t i = 0; i < fd->nitems; i++)
        if (fd->items[i].status == status && (!rule || !strcmp(fd->items[i].f->rule, rule)) &&
            !strcmp(fd->items[i].f->selector, sel))
            return &fd->items[i];
    return NULL;
}

static void
test_findings(void **state)
{
    struct model *a = base(), *b = base(), *c;
    struct check_result *ra, *rb, *rc;
    struct finding_diff fd = { 0 };
    SM_ERROR(e);
    struct waiver w = { .rule = "RES001", .object = "orders@aws:us-east-1", .owner = "dpo",
                        .reason = "until the move", .expires = 20991231 };
    int32_t p, x;

    (void)state;
    /* b: the replica moves into the EU; a new copy of crm in the US is
     * unencrypted but public; orders gets an export to the US */
    p = model_placement(b, "orders@aws:us-east-1");
    assert_int_equal(model_set(b, OBJ_PLACEMENT, p, "region", "aws:eu-central-1", &e), SM_OK);
    x = tl_add_flow(b, "to-us", model_placement(b, "orders@aws:eu-west-1"), SM_NONE,
                    model_region(b, "aws:us-east-1"), FLOW_EXPORT, NULL, NULL);
    (void)x;
    ra = tl_check(a);
    rb = tl_check(b);
    assert_int_equal(finding_diff(ra, rb, &fd, &e), SM_OK);
    assert_non_null(find_item(&fd, FDIFF_FIXED, "RES001", "orders@aws:us-east-1"));
    assert_null(find_item(&fd, FDIFF_NEW, "RES001", "orders@aws:us-east-1"));
    /* EU personal data to the US with no mechanism (XFR001 or XFR002) */
    assert_non_null(find_item(&fd, FDIFF_NEW, NULL, "to-us"));
    assert_true(fd.count[FDIFF_NEW][SEV_ERROR] >= 1);
    assert_true(finding_diff_fails(&fd, SEV_ERROR));
    assert_false(finding_diff_fails(&fd, SEV_COUNT));
    /* counts add up to the two sides' live findings */
    for (int s = 0; s < SEV_COUNT; s++) {
        assert_int_equal(fd.count[FDIFF_FIXED][s] + fd.count[FDIFF_STILL][s], ra->stats.count[s]);
        assert_int_equal(fd.count[FDIFF_NEW][s] + fd.count[FDIFF_STILL][s], rb->stats.count[s]);
    }
    /* new first, then fixed, then still there */
    for (int32_t i = 1; i < fd.nitems; i++)
        assert_true(fd.items[i - 1].status <= fd.items[i].status);
    finding_diff_fini(&fd);

    /* nothing changed: everything is still there, nothing fails */
    assert_int_equal(finding_diff(ra, ra, &fd, &e), SM_OK);
    for (int s = 0; s < SEV_COUNT; s++) {
        assert_int_equal(fd.count[FDIFF_NEW][s], 0);
        assert_int_equal(fd.count[FDIFF_FIXED][s], 0);
    }
    assert_false(finding_diff_fails(&fd, SEV_INFO));
    finding_diff_fini(&fd);

    /* a waiver added: the finding it hides counts as fixed */
    assert_int_equal(model_clone(a, &c), SM_OK);
    assert_int_equal(model_add_waiver(c, &w, NULL, &e), SM_OK);
    rc = tl_check(c);
    assert_int_equal(finding_diff(ra, rc, &fd, &e), SM_OK);
    assert_non_null(find_item(&fd, FDIFF_FIXED, "RES001", "orders@aws:us-east-1"));
    finding_diff_fini(&fd);

    check_result_free(rc);
    check_result_free(rb);
    check_result_free(ra);
    model_free(c);
    model_free(a);
    model_free(b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same),
        cmocka_unit_test(test_changes),
        cmocka_unit_test(test_findings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
