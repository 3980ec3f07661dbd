/*
 * test_lineage.c - effective tier and subjects through etl/stream flows:
 * chains, cycles, transforms that stop personal data and ones that do
 * not, subject unions, and a million-node chain (no recursion).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "lineage.h"
#include "rules.h"

static int32_t
ds(struct model *m, const char *name, const char *tier, const char *subjects, const char *pii)
{
    struct dataset d;
    struct placement p;
    int32_t id, f;

    model_dataset_init(&d);
    d.name = name;
    d.tier = tier ? model_tier(m, tier) : SM_NONE;
    if (subjects)
        assert_int_equal(model_parse_subjects(subjects, d.subjects, &d.nsubjects, NULL), SM_OK);
    assert_int_equal(model_add_dataset(m, &d, &id, NULL), SM_OK);
    if (pii) {
        assert_int_equal(model_add_field(m, id, pii, &f, NULL), SM_OK);
        assert_int_equal(model_add_tag(m, id, f, "pii", "", "", "", NULL, NULL), SM_OK);
        assert_int_equal(model_add_field(m, id, "amount", &f, NULL), SM_OK);
    }
    model_placement_init(&p);
    p.dataset = id;
    p.region = model_region(m, "aws:eu-west-1");
    p.role = ROLE_PRIMARY;
    assert_int_equal(model_add_placement(m, &p, NULL, NULL), SM_OK);
    return id;
}

static int32_t
etl(struct model *m, int32_t a, int32_t b, const char *xf, int kind)
{
    struct flow f;
    int32_t id;

    model_flow_init(&f);
    f.from = model_primary(m, a);
    f.to = model_primary(m, b);
    f.kind = (uint8_t)kind;
    if (xf)
        assert_int_equal(model_parse_transforms(m, xf, &f.transforms, &f.ntransforms, NULL), SM_OK);
    assert_int_equal(model_add_flow(m, &f, &id, NULL), SM_OK);
    return id;
}

static bool
has_subject(const struct lineage *L, int32_t d, const char *cc)
{
    int slot = L->cc_slot[sm_cc(cc)];

    return slot != SM_NONE && lineage_has_subject(L, d, slot);
}

static void
test_three_hop_chain(void **state)
{
    struct model *m = tl_small_model();
    struct rulepack *rp = rules_new();
    struct lineage L;
    int32_t a = ds(m, "a", "restricted", "EU", "email");
    int32_t b = ds(m, "b", "public", NULL, NULL);
    int32_t c = ds(m, "c", "public", NULL, NULL);
    int32_t d = ds(m, "d", "public", NULL, NULL);
    int32_t e = ds(m, "e", "public", NULL, NULL);
    int32_t f1 = etl(m, a, b, NULL, FLOW_ETL);
    int32_t f2 = etl(m, b, c, "pseudonymize email", FLOW_STREAM);
    int32_t f3 = etl(m, c, d, NULL, FLOW_ETL);
    int32_t f4 = etl(m, a, e, NULL, FLOW_QUERY);   /* not lineage */

    (void)state;
    assert_int_equal(lineage_run(m, rp, &L, NULL), SM_OK);
    int32_t restricted = model_tier(m, "restricted");
    assert_int_equal(L.eff_tier[b], restricted);
    assert_int_equal(L.eff_tier[c], restricted);
    assert_int_equal(L.eff_tier[d], restricted);
    assert_int_equal(L.eff_tier[e], model_tier(m, "public"));
    assert_int_equal(L.eff_via[a], SM_NONE);
    assert_int_equal(L.eff_via[b], f1);
    assert_int_equal(L.eff_via[c], f2);
    assert_int_equal(L.eff_via[d], f3);
    assert_true(has_subject(&L, d, "EU"));
    assert_false(has_subject(&L, e, "EU"));
    assert_true(L.personal[d]);
    assert_false(L.personal[e]);
    assert_true(L.flow_personal[f1] && L.flow_personal[f2] && L.flow_personal[f3]);
    assert_true(L.flow_personal[f4]);   /* a query still carries it, it just derives nothing */
    lineage_fini(&L);
    rules_free(rp);
    model_free(m);
}

static void
test_cycle(void **state)
{
    struct model *m = tl_small_model();
    struct rulepack *rp = rules_new();
    struct lineage L;
    int32_t a = ds(m, "a", "confidential", "EU", "email");
    int32_t b = ds(m, "b", "public", "BR", NULL);
    int32_t c = ds(m, "c", "public", NULL, NULL);

    (void)state;
    etl(m, a, b, NULL, FLOW_ETL);
    etl(m, b, a, NULL, FLOW_ETL);
    etl(m, b, c, NULL, FLOW_ETL);
    etl(m, c, b, NULL, FLOW_ETL);
    assert_int_equal(lineage_run(m, rp, &L, NULL), SM_OK);
    for (int32_t x = 0; x < 3; x++) {
        assert_true(has_subject(&L, x, "EU"));
        assert_true(L.personal[x]);
        assert_int_equal(L.eff_tier[x], model_tier(m, "confidential"));
    }
    /* BR subjects of b flow round the cycle into a and c: b is personal
     * (it received a's data), so its subjects travel with it. */
    assert_true(has_subject(&L, a, "BR"));
    assert_true(has_subject(&L, c, "BR"));
    lineage_fini(&L);
    rules_free(rp);
    model_free(m);
}

/* More than 64 distinct subject codes: the subject bits need two words
 * per dataset (the one-word first pass is redone). A chain of 70 datasets,
 * each with its own code and a deleted one in the middle, carries every
 * code downstream; slots follow the order of first use. */
static void
test_many_subjects(void **state)
{
    static const char codes[] =
        "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN "
        "BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ "
        "DE DJ DK DM DO DZ EC EE EG EH ER ES ET EU";
    struct model *m = tl_small_model();
    struct rulepack *rp = rules_new();
    struct lineage L;
    int32_t id[70];
    char cc[3] = { 0 }, name[8];

    (void)state;
    for (int i = 0; i < 70; i++) {
        memcpy(cc, codes + 3 * i, 2);
        snprintf(name, sizeof name, "d%02d", i);
        id[i] = ds(m, name, "public", cc, "email");
        if (i > 0)
            etl(m, id[i - 1], id[i], NULL, FLOW_ETL);
    }
    m->datasets[id[35]].deleted = 1;        /* the chain breaks there */
    assert_int_equal(lineage_run(m, rp, &L, NULL), SM_OK);
    assert_int_equal(L.nslots, 69);
    assert_int_equal(L.words, 2);
    for (int i = 0; i < 70; i++) {
        memcpy(cc, codes + 3 * i, 2);
        if (i == 35)
            continue;
        assert_int_equal(L.cc_slot[sm_cc(cc)], i < 35 ? i : i - 1);
        /* d69 holds the codes of d36..d69, not those before the break */
        assert_int_equal(has_subject(&L, id[69], cc), i > 35);
        assert_true(has_subject(&L, id[i], cc));
        if (i >= 1 && i != 36) {
            char prev[3] = { codes[3 * (i - 1)], codes[3 * (i - 1) + 1], 0 };
            assert_int_equal(has_subject(&L, id[i], prev), i - 1 != 35);
        }
    }
    lineage_fini(&L);
    rules_free(rp);
    model_free(m);
}

static void
test_transforms_that_stop(void **state)
{
    struct model *m = tl_small_model();
    struct rulepack *rp = rules_new();
    struct lineage L;
    int32_t a = ds(m, "a", "restricted", "EU", "email");
    int32_t masked = ds(m, "masked", "public", NULL, NULL);
    int32_t dropped = ds(m, "dropped", "public", NULL, NULL);
    int32_t agg = ds(m, "agg", "public", NULL, NULL);
    int32_t anon = ds(m, "anon", "public", NULL, NULL);
    int32_t proj = ds(m, "proj", "public", NULL, NULL);
    int32_t whole = ds(m, "whole", "restricted", "GB", NULL);   /* no tagged field */
    int32_t wm = ds(m, "whole_masked", "public", NULL, NULL);
    int32_t f;

    (void)state;
    etl(m, a, masked, "mask email", FLOW_ETL);
    etl(m, a, dropped, "drop email", FLOW_ETL);
    etl(m, a, agg, "aggregate", FLOW_ETL);
    etl(m, a, anon, "anonymize", FLOW_ETL);
    f = etl(m, a, proj, NULL, FLOW_ETL);
    assert_int_equal(model_set(m, OBJ_FLOW, f, "fields", "amount", NULL), SM_OK);
    etl(m, whole, wm, "mask email", FLOW_ETL);
    assert_int_equal(lineage_run(m, rp, &L, NULL), SM_OK);
    int32_t pub = model_tier(m, "public");
    assert_int_equal(L.eff_tier[masked], pub);
    assert_int_equal(L.eff_tier[dropped], pub);
    assert_int_equal(L.eff_tier[agg], pub);
    assert_int_equal(L.eff_tier[anon], pub);
    assert_int_equal(L.eff_tier[proj], pub);
    assert_false(L.personal[masked] || L.personal[dropped] || L.personal[agg] ||
                 L.personal[anon] || L.personal[proj]);
    assert_false(has_subject(&L, masked, "EU"));
    /* A dataset personal as a whole cannot be masked into anonymity. */
    assert_int_equal(L.eff_tier[wm], model_tier(m, "restricted"));
    assert_true(has_subject(&L, wm, "GB"));
    lineage_fini(&L);
    rules_free(rp);
    model_free(m);
}

static void
test_pack_prefixes(void **state)
{
    struct model *m = tl_small_model();
    struct rulepack *rp = rules_new();
    struct lineage L;
    int32_t a, f;
    const char *tags[] = { "gdpr" };

    (void)state;
    a = ds(m, "a", "public", NULL, NULL);
    assert_int_equal(model_add_field(m, a, "ip", &f, NULL), SM_OK);
    assert_int_equal(model_add_tag(m, a, f, "gdpr.ip", "", "", "", NULL, NULL), SM_OK);
    assert_int_equal(lineage_run(m, rp, &L, NULL), SM_OK);
    assert_false(L.has_pfields[a]);
    lineage_fini(&L);
    rp->personal_tags.n = 1;
    rp->personal_tags.v = tags;
    assert_int_equal(lineage_run(m, rp, &L, NULL), SM_OK);
    assert_true(L.has_pfields[a]);
    assert_true(L.pfield[f]);
    lineage_fini(&L);
    /* A removed tag no longer counts (tags are unlinked, not marked). */
    assert_int_equal(model_remove_tag(m, m->datasets[a].first_tag), SM_OK);
    assert_int_equal(lineage_run(m, rp, &L, NULL), SM_OK);
    assert_false(L.has_pfields[a]);
    lineage_fini(&L);
    rp->personal_tags.n = 0;    /* the pack's arena owns nothing here */
    rules_free(rp);
    model_free(m);
}

static void
test_million_chain(void **state)
{
    struct model *m = tl_small_model();
    struct rulepack *rp = rules_new();
    struct lineage L;
    const int32_t n = 1000000;
    int32_t pub = model_tier(m, "public"), reg = model_tier(m, "restricted");
    int32_t eu = model_region(m, "aws:eu-west-1");
    char name[32];

    (void)state;
    /* Built with the model API: names d0..d999999, one primary each, a
     * chain of etl flows d0 -> d1 -> ... and one edge back (a cycle). */
    for (int32_t k = 0; k < n; k++) {
        struct dataset d;
        struct placement p;
        int32_t id;
        model_dataset_init(&d);
        snprintf(name, sizeof name, "d%d", k);
        d.name = name;
        d.tier = k == 0 ? reg : pub;
        if (k == 0) {
            d.subjects[0] = (uint16_t)sm_cc("EU");
            d.nsubjects = 1;
        }
        assert_int_equal(model_add_dataset(m, &d, &id, NULL), SM_OK);
        model_placement_init(&p);
        p.dataset = id;
        p.region = eu;
        p.role = ROLE_PRIMARY;
        assert_int_equal(model_add_placement(m, &p, NULL, NULL), SM_OK);
    }
    /* Add the flows from the end, so the worklist sees them in the worst order. */
    for (int32_t k = n - 1; k >= 1; k--) {
        struct flow f;
        model_flow_init(&f);
        snprintf(name, sizeof name, "f%d", k);
        f.name = name;
        f.from = k - 1;
        f.to = k;
        f.kind = FLOW_ETL;
        assert_int_equal(model_add_flow(m, &f, NULL, NULL), SM_OK);
    }
    {
        struct flow f;
        model_flow_init(&f);
        f.name = "back";
        f.from = n - 1;
        f.to = 0;
        f.kind = FLOW_ETL;
        assert_int_equal(model_add_flow(m, &f, NULL, NULL), SM_OK);
    }
    assert_int_equal(lineage_run(m, rp, &L, NULL), SM_OK);
    assert_int_equal(L.eff_tier[n - 1], reg);
    assert_true(has_subject(&L, n - 1, "EU"));
    assert_true(L.personal[n / 2]);
    lineage_fini(&L);
    rules_free(rp);
    model_free(m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_hop_chain),
        cmocka_unit_test(test_cycle),
        cmocka_unit_test(test_many_subjects),
        cmocka_unit_test(test_transforms_that_stop),
        cmocka_unit_test(test_pack_prefixes),
        cmocka_unit_test(test_million_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
