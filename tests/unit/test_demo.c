/*
 * test_demo.c - the shipped demo catalog (data/demo/demo.json, Halcyon
 * Retail Group): the checker finds exactly its deliberate violations and
 * nothing else, and the compliant transfers are recorded with their basis.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "check.h"
#include "model_json.h"
#include "refdata.h"
#include "rulepack.h"
#include "rules.h"

struct fx {
    struct model *m;
    struct rulepack *rp;
    struct check_result *r;
};

static int
setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    SM_ERROR(e);
    size_t len;
    char *text = tl_slurp(tl_path(tl_datadir(), "demo/demo.json"), &len);

    assert_non_null(text);
    fx->m = model_new();
    if (refdata_load_regions(tl_datadir(), fx->m, &e) ||
        model_json_read(text, len, "demo.json", fx->m, &e) ||
        rulepack_load(tl_datadir(), "default", &fx->rp, &e) ||
        check_run(fx->m, fx->rp, 20261126, &fx->r, &e))
        fail_msg("%s", e.msg);
    free(text);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *fx = *state;

    check_result_free(fx->r);
    rulepack_free(fx->rp);
    model_free(fx->m);
    free(fx);
    return 0;
}

static const struct finding *
find(const struct fx *fx, const char *rule, const char *sel)
{
    for (int32_t k = 0; k < fx->r->nfindings; k++)
        if (strcmp(fx->r->findings[k].rule, rule) == 0 &&
            strcmp(fx->r->findings[k].selector, sel) == 0)
            return &fx->r->findings[k];
    return NULL;
}

static void
test_exact_findings(void **state)
{
    struct fx *fx = *state;
    /* Sorted as the checker sorts: severity, rule, selector. */
    static const char *const want[][2] = {
        { "ENC002", "fleet_drivers_eu@aws:eu-central-1" },      /* key held in the US */
        { "LIN001", "loyalty_churn_scores" },                   /* masked email only */
        { "RES001", "loyalty_members_eu@aws:us-east-1" },       /* EU replica in the US */
        { "RES002", "backup_snapshots_eu@aws:sa-east-1" },      /* backup vault abroad */
        { "XFR001", "audience-export" },                        /* pseudonymized != anonymous */
        { "XFR002", "loyalty_members_eu@aws:us-east-1" },       /* US without dpf */
    };
    size_t n = sizeof want / sizeof *want;

    if (fx->r->nfindings != (int32_t)n)
        for (int32_t k = 0; k < fx->r->nfindings; k++)
            print_message("%s %s\n", fx->r->findings[k].rule, fx->r->findings[k].selector);
    assert_int_equal(fx->r->nfindings, (int32_t)n);
    for (size_t k = 0; k < n; k++) {
        assert_string_equal(fx->r->findings[k].rule, want[k][0]);
        assert_string_equal(fx->r->findings[k].selector, want[k][1]);
        assert_int_equal(fx->r->findings[k].severity, SEV_ERROR);
        assert_false(fx->r->findings[k].waived);
        assert_true(fx->r->findings[k].why.n >= 3);
        assert_true(*fx->r->findings[k].hint);
    }
    assert_int_equal(fx->r->stats.count[SEV_ERROR], 6);
    assert_int_equal(fx->r->stats.count[SEV_WARNING], 0);
    assert_int_equal(fx->r->stats.count[SEV_INFO], 0);
    assert_int_equal(fx->r->stats.unknown_subjects, 0);
    assert_int_equal(fx->r->nexpired, 0);
}

static void
test_explanations(void **state)
{
    struct fx *fx = *state;
    const struct finding *f = find(fx, "XFR002", "loyalty_members_eu@aws:us-east-1");

    assert_non_null(f);
    assert_string_equal(f->jurisdictions, "EU -> US");
    assert_string_equal(f->why.v[0], "loyalty_members_eu is restricted with EU subjects");
    assert_string_equal(f->why.v[1], "replica in aws:us-east-1 (US)");
    assert_string_equal(f->why.v[2], "US is outside the EEA");
    assert_non_null(strstr(f->why.v[3], "EU adequacy for US needs dpf"));
    f = find(fx, "RES001", "loyalty_members_eu@aws:us-east-1");
    /* the nearest EU regions that do not already hold one of its copies
     * (eu-west-1 and eu-central-1 do) */
    assert_string_equal(f->hint, "move the replica to aws:eu-south-1 or aws:eu-south-2");
    f = find(fx, "XFR001", "audience-export");
    assert_non_null(strstr(f->why.v[2], "pseudonymized data is still personal data"));
    f = find(fx, "LIN001", "loyalty_churn_scores");
    assert_non_null(strstr(f->why.v[2], "full_name, phone, birth_date"));
    f = find(fx, "RES002", "backup_snapshots_eu@aws:sa-east-1");
    assert_string_equal(f->hint, "move the backup to aws:eu-north-1 or aws:eu-south-1");
}

/* A compliant transfer is in the register with its basis. */
static void
expect_transfer(const struct fx *fx, const char *dataset, const char *from, const char *to,
                const char *regime, const char *basis)
{
    int32_t d = model_dataset(fx->m, dataset);

    for (int32_t k = 0; k < fx->r->ntransfers; k++) {
        const struct transfer *t = &fx->r->transfers[k];
        if (t->dataset == d && t->from_cc == sm_cc(from) && t->to_cc == sm_cc(to) &&
            strcmp(check_transfer_regime(fx->r, t), regime) == 0) {
            assert_string_equal(check_transfer_basis(fx->r, t), basis);
            assert_int_equal(t->status, XFER_OK);
            return;
        }
    }
    fail_msg("no transfer %s %s -> %s under %s", dataset, from, to, regime);
}

static void
test_compliant_transfers(void **state)
{
    struct fx *fx = *state;

    expect_transfer(fx, "loyalty_members_eu", "IE", "NO", "GDPR", "inside the EEA");
    expect_transfer(fx, "loyalty_transactions_eu", "DE", "GB", "GDPR", "adequacy EU->GB");
    expect_transfer(fx, "loyalty_crm_contacts_eu", "DE", "US", "GDPR",
                    "dpf DPF list entry, checked 2026-10-01");
    expect_transfer(fx, "loyalty_support_tickets_eu", "IE", "IN", "GDPR", "scc TIA-2026-014");
    expect_transfer(fx, "loyalty_members_br", "BR", "IE", "LGPD", "adequacy BR->IE");
    expect_transfer(fx, "fleet_vehicle_registry", "DE", "BR", "GDPR", "adequacy EU->BR");
    expect_transfer(fx, "fleet_vehicle_registry", "DE", "BR", "LGPD", "inside BR");
    expect_transfer(fx, "fleet_telemetry_apac", "SG", "IE", "SG_PDPA", "scc SG-TIA-2026-03");
    expect_transfer(fx, "backup_snapshots_eu", "IE", "BR", "GDPR", "adequacy EU->BR");
    /* Sorted by dataset name. */
    for (int32_t k = 1; k < fx->r->ntransfers; k++)
        assert_true(strcmp(fx->m->datasets[fx->r->transfers[k - 1].dataset].name,
                           fx->m->datasets[fx->r->transfers[k].dataset].name) <= 0);
}

static void
test_lineage_in_demo(void **state)
{
    struct fx *fx = *state;
    char buf[64];
    int32_t tickets = model_dataset(fx->m, "loyalty_support_tickets_in");
    int32_t saas = model_dataset(fx->m, "loyalty_crm_contacts_saas");
    int32_t stats = model_dataset(fx->m, "loyalty_campaign_stats");
    int32_t kpis = model_dataset(fx->m, "fleet_safety_kpis");

    assert_string_equal(check_eff_subjects(fx->r, tickets, buf, sizeof buf), "EU");
    assert_string_equal(check_eff_subjects(fx->r, saas, buf, sizeof buf), "EU");
    assert_true(check_dataset_personal(fx->r, tickets));
    /* aggregate and anonymize stop personal data */
    assert_false(check_dataset_personal(fx->r, stats));
    assert_false(check_dataset_personal(fx->r, kpis));
    assert_string_equal(check_eff_subjects(fx->r, stats, buf, sizeof buf), "");
    assert_int_equal(fx->r->eff_tier[model_dataset(fx->m, "loyalty_churn_scores")],
                     model_tier(fx->m, "restricted"));
}

static void
test_dpf_struck_down(void **state)
{
    struct fx *fx = *state;
    struct check_result *r2;

    /* The scenario "dpf-struck-down": revoking EU->US adequacy makes the
     * DPF-based CRM sync fail too. */
    assert_int_equal(rules_revoke(fx->rp, "EU", "US", true, NULL), SM_OK);
    assert_int_equal(check_run(fx->m, fx->rp, 20261126, &r2, NULL), SM_OK);
    assert_int_equal(r2->nfindings, 9);
    int found = 0;
    for (int32_t k = 0; k < r2->nfindings; k++)
        found += strcmp(r2->findings[k].rule, "XFR002") == 0 &&
                 strcmp(r2->findings[k].selector, "crm-sync") == 0;
    assert_int_equal(found, 1);
    check_result_free(r2);
    assert_int_equal(rules_revoke(fx->rp, "EU", "US", false, NULL), SM_OK);
}

/* The register holds one row per transfer (issue 16: a violating copy fed
 * by a flow was listed twice), also with DPF struck down (more rows fail). */
static void
test_register_no_duplicates(void **state)
{
    struct fx *fx = *state;
    struct check_result *r2 = NULL;

    for (int pass = 0; pass < 2; pass++) {
        const struct check_result *r = pass ? r2 : fx->r;
        int32_t fails = 0;
        for (int32_t k = 0; k < r->ntransfers; k++) {
            fails += r->transfers[k].status == XFER_VIOLATION;
            for (int32_t j = k + 1; j < r->ntransfers; j++) {
                const struct transfer *a = &r->transfers[k], *b = &r->transfers[j];
                if (a->dataset == b->dataset && a->placement == b->placement &&
                    a->flow == b->flow && a->from_cc == b->from_cc && a->to_cc == b->to_cc &&
                    strcmp(check_transfer_regime(r, a), check_transfer_regime(r, b)) == 0)
                    fail_msg("transfer rows %d and %d are the same transfer", k, j);
            }
        }
        assert_true(fails > 0);
        if (pass == 0) {
            assert_int_equal(rules_revoke(fx->rp, "EU", "US", true, NULL), SM_OK);
            assert_int_equal(check_run(fx->m, fx->rp, 20261126, &r2, NULL), SM_OK);
        }
    }
    check_result_free(r2);
    assert_int_equal(rules_revoke(fx->rp, "EU", "US", false, NULL), SM_OK);
}

/* rule_object_kinds (what `waive` refuses by) holds the kind of object every
 * finding of the demo is raised on: a dataset, copy or flow rule each. */
static void
test_rule_object_kinds(void **state)
{
    struct fx *fx = *state;
    uint32_t seen = 0;

    for (int32_t i = 0; i < fx->r->nfindings; i++) {
        const struct finding *f = &fx->r->findings[i];
        enum rule_id r = rule_by_name(f->rule);
        if (r == RULE_COUNT)
            continue;
        if (!(rule_object_kinds[r] & (1u << f->kind)))
            fail_msg("%s raised on a %s (%s)", f->rule, obj_kind_names[f->kind], f->selector);
        seen |= 1u << f->kind;
    }
    assert_true(seen & (1u << OBJ_DATASET));
    assert_true(seen & (1u << OBJ_PLACEMENT));
    assert_true(seen & (1u << OBJ_FLOW));
    assert_int_equal(rule_by_name("RES001"), RULE_RES001);
    assert_int_equal(rule_object_kinds[RULE_RES001], 1u << OBJ_PLACEMENT);
    assert_int_equal(rule_by_name("CUSTOM1"), RULE_COUNT);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_exact_findings),
        T(test_explanations),
        T(test_compliant_transfers),
        T(test_lineage_in_demo),
        T(test_dpf_struck_down),
        T(test_register_no_duplicates),
        T(test_rule_object_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
