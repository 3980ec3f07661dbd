/*
 * test_plan.c - the planner on models built so that a compliant plan
 * exists, where only a mechanism helps, and where nothing does; the
 * preferences and --only-regions. Uses the shipped default rule pack.
 */
#include "testlib.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "plan.h"
#include "rules.h"
#include "rulepack.h"

#define TODAY 20261126

struct fx {
    struct model *m;
    struct rulepack *rp;
};

static void
add_region(struct model *m, const char *id, const char *cc)
{
    struct region r;
    char prov[32];
    const char *colon = strchr(id, ':');

    memcpy(prov, id, (size_t)(colon - id));
    prov[colon - id] = '\0';
    model_region_init(&r);
    r.id = id;
    r.provider = prov;
    r.code = colon + 1;
    r.country = sm_cc(cc);
    r.operator_home = strcmp(prov, "ionos") == 0 ? sm_cc("DE") : sm_cc("US");
    r.kind = REGION_CLOUD;
    assert_int_equal(model_add_region(m, &r, NULL, NULL), SM_OK);
}

static int32_t
add_dataset(struct model *m, const char *name, const char *tier, const char *subj)
{
    struct dataset d;
    int32_t id;

    model_dataset_init(&d);
    d.name = name;
    d.tier = tier ? model_tier(m, tier) : SM_NONE;
    assert_int_equal(model_add_dataset(m, &d, &id, NULL), SM_OK);
    if (subj)
        assert_int_equal(model_set(m, OBJ_DATASET, id, "subjects", subj, NULL), SM_OK);
    return id;
}

static int32_t
place(struct model *m, int32_t ds, const char *region, int role)
{
    struct placement p;
    int32_t id;

    model_placement_init(&p);
    p.dataset = ds;
    p.region = model_region(m, region);
    p.role = (uint8_t)role;
    p.encrypted = 1;
    p.key_region = p.region;
    assert_int_equal(model_add_placement(m, &p, &id, NULL), SM_OK);
    return id;
}

/* Regions: aws IE, DE, US (tl_small_model) plus aws:eu-west-3 (FR),
 * azure:westeurope (NL), ionos:de-fra (DE, German operator). */
static int
setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    struct sm_error err;

    assert_non_null(fx);
    fx->m = tl_small_model();
    add_region(fx->m, "aws:eu-west-3", "FR");
    add_region(fx->m, "azure:westeurope", "NL");
    add_region(fx->m, "ionos:de-fra", "DE");
    if (rulepack_load(tl_datadir(), "default", &fx->rp, &err) != SM_OK)
        fail_msg("%s", err.msg);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *fx = *state;

    rulepack_free(fx->rp);
    model_free(fx->m);
    free(fx);
    return 0;
}

static struct plan *
plan_ok(struct fx *fx, const struct plan_options *opt, struct scenario_eval **evout)
{
    struct scenario_eval *ev;
    struct plan *p;
    struct sm_error err;

    if (scenario_eval(fx->m, fx->rp, NULL, TODAY, &ev, &err) != SM_OK)
        fail_msg("%s", err.msg);
    if (plan_make(ev, opt, &p, &err) != SM_OK)
        fail_msg("%s", err.msg);
    if (evout)
        *evout = ev;
    else
        scenario_eval_free(ev);
    return p;
}

static const char *
step(const struct plan *p, int32_t i, char *buf, size_t size)
{
    return scenario_op_format((int)p->steps[i].op.n, p->steps[i].op.v, buf, size);
}

/* The plan's ops as a scenario, evaluated from scratch: no errors left. */
static int
errors_after_replay(struct fx *fx, const struct plan *p)
{
    struct scenario_eval *ev;
    int n;

    assert_int_equal(scenario_begin(fx->m, fx->rp, "replay", &ev, NULL), SM_OK);
    for (int32_t i = 0; i < p->nsteps; i++)
        assert_int_equal(scenario_apply(ev, (int)p->steps[i].op.n, p->steps[i].op.v, NULL), SM_OK);
    assert_int_equal(scenario_check(ev, TODAY, NULL), SM_OK);
    n = ev->res->stats.count[SEV_ERROR];
    scenario_eval_free(ev);
    return n;
}

static void
test_compliant_plan(void **state)
{
    struct fx *fx = *state;
    struct plan *p;
    char buf[256];
    int32_t d;

    d = add_dataset(fx->m, "orders", "restricted", "EU");
    place(fx->m, d, "aws:eu-west-1", ROLE_PRIMARY);
    place(fx->m, d, "aws:us-east-1", ROLE_REPLICA);
    d = add_dataset(fx->m, "users", "restricted", "EU");
    place(fx->m, d, "aws:eu-central-1", ROLE_PRIMARY);
    place(fx->m, d, "aws:us-east-1", ROLE_BACKUP);
    place(fx->m, d, "aws:eu-west-3", ROLE_DR);
    d = add_dataset(fx->m, "catalog", "public", NULL);
    place(fx->m, d, "aws:us-east-1", ROLE_PRIMARY);

    p = plan_ok(fx, NULL, NULL);
    assert_true(p->errors_before >= 2);
    assert_int_equal(p->errors_after, 0);
    assert_int_equal(p->nunfixed, 0);
    assert_int_equal(p->nsteps, 2);
    /* same provider, then the primary's country, then its bloc; a region
     * already holding a copy of the dataset is skipped */
    assert_string_equal(step(p, 0, buf, sizeof buf),
                        "move orders aws:us-east-1/replica aws:eu-central-1");
    assert_non_null(strstr(p->steps[0].why, "orders@aws:us-east-1"));
    assert_string_equal(step(p, 1, buf, sizeof buf),
                        "move users aws:us-east-1/backup aws:eu-west-1");
    assert_int_equal(errors_after_replay(fx, p), 0);
    plan_free(p);
}

static void
test_preferences(void **state)
{
    struct fx *fx = *state;
    struct plan_options opt = { PLAN_SAME_COUNTRY, NULL, 0, 0 };
    struct plan *p;
    char buf[256];
    int32_t d, only[1];

    d = add_dataset(fx->m, "orders", "restricted", "EU");
    place(fx->m, d, "aws:eu-central-1", ROLE_PRIMARY);
    place(fx->m, d, "aws:us-east-1", ROLE_REPLICA);
    /* same country as the primary (DE) beats same provider */
    p = plan_ok(fx, &opt, NULL);
    assert_int_equal(p->nsteps, 1);
    assert_string_equal(step(p, 0, buf, sizeof buf),
                        "move orders aws:us-east-1/replica ionos:de-fra");
    plan_free(p);
    /* same provider: aws first, then DE is not free (primary), so aws in
     * the bloc: eu-west-1 before eu-west-3 by name */
    opt.prefer = PLAN_SAME_PROVIDER;
    p = plan_ok(fx, &opt, NULL);
    assert_string_equal(step(p, 0, buf, sizeof buf),
                        "move orders aws:us-east-1/replica aws:eu-west-1");
    plan_free(p);
    /* only the regions listed */
    only[0] = model_region(fx->m, "azure:westeurope");
    opt.only = only;
    opt.nonly = 1;
    p = plan_ok(fx, &opt, NULL);
    assert_string_equal(step(p, 0, buf, sizeof buf),
                        "move orders aws:us-east-1/replica azure:westeurope");
    assert_int_equal(p->errors_after, 0);
    plan_free(p);
}

static void
test_mechanism_when_no_region(void **state)
{
    struct fx *fx = *state;
    struct plan_options opt = { PLAN_SAME_PROVIDER, NULL, 0, 0 };
    struct plan *p;
    char buf[256];
    int32_t d, only[1];

    /* confidential data may cross under a mechanism; with only the US
     * allowed, the planner declares scc instead of moving */
    d = add_dataset(fx->m, "users", "confidential", "EU");
    place(fx->m, d, "aws:eu-central-1", ROLE_PRIMARY);
    place(fx->m, d, "aws:us-east-1", ROLE_REPLICA);
    only[0] = model_region(fx->m, "aws:us-east-1");
    opt.only = only;
    opt.nonly = 1;
    p = plan_ok(fx, &opt, NULL);
    assert_int_equal(p->nunfixed, 0);
    assert_int_equal(p->errors_after, 0);
    assert_true(p->nsteps >= 1);
    assert_string_equal(step(p, 0, buf, sizeof buf),
                        "set-mechanism users@aws:us-east-1 scc");
    assert_non_null(strstr(p->steps[0].why, "sign SCCs"));
    assert_int_equal(errors_after_replay(fx, p), 0);
    /* the scc it declares carries no reference: the replayed plan still
     * reports XFR003 on the copy until one is recorded (issue 16) */
    {
        struct scenario_eval *ev;
        int found = 0;
        assert_int_equal(scenario_begin(fx->m, fx->rp, "replay", &ev, NULL), SM_OK);
        for (int32_t i = 0; i < p->nsteps; i++)
            assert_int_equal(scenario_apply(ev, (int)p->steps[i].op.n, p->steps[i].op.v, NULL),
                             SM_OK);
        assert_int_equal(scenario_check(ev, TODAY, NULL), SM_OK);
        for (int32_t k = 0; k < ev->res->nfindings; k++)
            found += strcmp(ev->res->findings[k].rule, "XFR003") == 0 &&
                     strcmp(ev->res->findings[k].selector, "users@aws:us-east-1") == 0 &&
                     !ev->res->findings[k].waived;
        assert_int_equal(found, 1);
        assert_int_equal(ev->res->stats.count[SEV_WARNING] > 0, 1);
        scenario_eval_free(ev);
    }
    plan_free(p);
}

static void
test_no_plan(void **state)
{
    struct fx *fx = *state;
    struct plan_options opt = { PLAN_SAME_PROVIDER, NULL, 0, 0 };
    struct plan *p;
    int32_t d, only[1];

    /* restricted data must stay in the EEA: no mechanism helps, and the
     * only region allowed is in the US */
    d = add_dataset(fx->m, "orders", "restricted", "EU");
    place(fx->m, d, "aws:eu-west-1", ROLE_PRIMARY);
    place(fx->m, d, "aws:us-east-1", ROLE_REPLICA);
    d = add_dataset(fx->m, "unknown", NULL, "EU");
    place(fx->m, d, "aws:eu-west-1", ROLE_PRIMARY);
    only[0] = model_region(fx->m, "aws:us-east-1");
    opt.only = only;
    opt.nonly = 1;
    p = plan_ok(fx, &opt, NULL);
    assert_int_equal(p->nsteps, 0);
    assert_true(p->errors_after > 0);
    assert_int_equal(p->errors_after, p->errors_before);
    assert_int_equal(p->nunfixed, p->errors_after);
    for (int32_t i = 0; i < p->nunfixed; i++) {
        assert_string_equal(p->unfixed[i].selector, "orders@aws:us-east-1");
        assert_non_null(strstr(p->unfixed[i].reason, "no allowed region among --only-regions"));
    }
    plan_free(p);
}

static void
test_encryption_and_lineage(void **state)
{
    struct fx *fx = *state;
    struct plan *p;
    struct flow f;
    char buf[256];
    int32_t d, e, pd, pe;
    bool tier = false, enc = false;

    d = add_dataset(fx->m, "orders", "restricted", "EU");
    pd = place(fx->m, d, "aws:eu-west-1", ROLE_PRIMARY);
    assert_int_equal(model_add_field(fx->m, d, "email", NULL, NULL), SM_OK);
    assert_int_equal(model_add_tag(fx->m, d, model_field(fx->m, d, "email"), "pii.email", "", "",
                                   "", NULL, NULL), SM_OK);
    e = add_dataset(fx->m, "report", "confidential", NULL);
    pe = place(fx->m, e, "aws:eu-central-1", ROLE_PRIMARY);
    fx->m->placements[pe].encrypted = 0;
    model_flow_init(&f);
    f.from = pd;
    f.to = pe;
    f.kind = FLOW_ETL;
    f.transit_encrypted = 1;
    assert_int_equal(model_add_flow(fx->m, &f, NULL, NULL), SM_OK);

    p = plan_ok(fx, NULL, NULL);
    for (int32_t i = 0; i < p->nsteps; i++) {
        step(p, i, buf, sizeof buf);
        if (strcmp(buf, "set-tier report restricted") == 0)
            tier = true;
        if (strcmp(buf, "set placement report@aws:eu-central-1 encrypted true") == 0)
            enc = true;
    }
    assert_true(tier);
    assert_true(enc);
    assert_int_equal(p->errors_after, 0);
    assert_int_equal(errors_after_replay(fx, p), 0);
    plan_free(p);
}

/* An export of personal data to the US: the recipient cannot move, so
 * the planner declares SCCs on the flow (confidential admits mechanisms). */
static void
test_export_flow(void **state)
{
    struct fx *fx = *state;
    struct plan *p;
    struct flow f;
    char buf[256];
    int32_t d, pd;

    d = add_dataset(fx->m, "users", "confidential", "EU");
    pd = place(fx->m, d, "aws:eu-west-1", ROLE_PRIMARY);
    assert_int_equal(model_add_field(fx->m, d, "email", NULL, NULL), SM_OK);
    assert_int_equal(model_add_tag(fx->m, d, model_field(fx->m, d, "email"), "pii.email", "", "",
                                   "", NULL, NULL), SM_OK);
    model_flow_init(&f);
    f.name = "to-crm";
    f.from = pd;
    f.to = SM_NONE;
    f.to_region = model_region(fx->m, "aws:us-east-1");
    f.kind = FLOW_EXPORT;
    f.transit_encrypted = 1;
    assert_int_equal(model_add_flow(fx->m, &f, NULL, NULL), SM_OK);
    p = plan_ok(fx, NULL, NULL);
    assert_true(p->errors_before > 0);
    assert_int_equal(p->errors_after, 0);
    assert_int_equal(p->nsteps, 1);
    assert_string_equal(step(p, 0, buf, sizeof buf), "set-mechanism to-crm scc");
    assert_int_equal(errors_after_replay(fx, p), 0);
    plan_free(p);
}

/* A group bigger than big_group is planned one neighbourhood at a time,
 * with the partners' effective facts frozen: same plan as the whole group. */
static void
test_big_group_path(void **state)
{
    struct fx *fx = *state;
    struct plan_options whole = { PLAN_SAME_PROVIDER, NULL, 0, 0 };
    struct plan_options parts = { PLAN_SAME_PROVIDER, NULL, 0, 1 };
    struct plan *p1, *p2;
    char b1[256], b2[256];
    int32_t prev = SM_NONE;

    /* a chain a0 -> a1 -> ... -> a5 (etl); lineage raises a2 (public) to
     * restricted; odd ones have a replica in the US */
    for (int i = 0; i < 6; i++) {
        char name[8];
        int32_t d, pd;
        snprintf(name, sizeof name, "a%d", i);
        d = add_dataset(fx->m, name, i == 0 ? "restricted" : i == 2 ? "public" : "confidential",
                        "EU");
        pd = place(fx->m, d, i % 2 ? "aws:eu-central-1" : "aws:eu-west-1", ROLE_PRIMARY);
        if (i == 0) {
            assert_int_equal(model_add_field(fx->m, d, "email", NULL, NULL), SM_OK);
            assert_int_equal(model_add_tag(fx->m, d, model_field(fx->m, d, "email"), "pii.email",
                                           "", "", "", NULL, NULL), SM_OK);
        }
        if (i % 2)
            place(fx->m, d, "aws:us-east-1", ROLE_REPLICA);
        if (prev != SM_NONE) {
            struct flow f;
            model_flow_init(&f);
            f.from = prev;
            f.to = pd;
            f.kind = FLOW_ETL;
            f.transit_encrypted = 1;
            assert_int_equal(model_add_flow(fx->m, &f, NULL, NULL), SM_OK);
        }
        prev = pd;
    }
    p1 = plan_ok(fx, &whole, NULL);
    p2 = plan_ok(fx, &parts, NULL);
    assert_true(p1->errors_before > 3);
    assert_int_equal(p1->errors_after, 0);
    assert_int_equal(p2->errors_after, 0);
    assert_int_equal(p2->nunfixed, 0);
    /* the same ops, maybe in another order */
    assert_int_equal(p1->nsteps, p2->nsteps);
    for (int32_t i = 0; i < p1->nsteps; i++) {
        bool found = false;
        step(p1, i, b1, sizeof b1);
        for (int32_t k = 0; k < p2->nsteps && !found; k++)
            found = strcmp(b1, step(p2, k, b2, sizeof b2)) == 0;
        if (!found)
            fail_msg("%s is not in the neighbourhood plan", b1);
    }
    assert_int_equal(errors_after_replay(fx, p2), 0);
    plan_free(p1);
    plan_free(p2);
}

static void
test_retired_region(void **state)
{
    struct fx *fx = *state;
    struct scenario_eval *ev;
    struct plan *p;
    struct sm_error err;
    int32_t d, s;
    char buf[256];
    const char *op[] = { "retire-region", "aws:eu-west-1" };

    d = add_dataset(fx->m, "orders", "restricted", "EU");
    place(fx->m, d, "aws:eu-west-1", ROLE_PRIMARY);
    place(fx->m, d, "aws:eu-central-1", ROLE_REPLICA);
    {
        struct scenario sc;
        memset(&sc, 0, sizeof sc);
        sc.name = "leave-ireland";
        assert_int_equal(model_add_scenario(fx->m, &sc, &s, NULL), SM_OK);
        assert_int_equal(model_scenario_append(fx->m, s, 2, op, NULL), SM_OK);
    }
    if (scenario_eval(fx->m, fx->rp, "leave-ireland", TODAY, &ev, &err) != SM_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(ev->nstranded, 1);
    assert_int_equal(plan_make(ev, NULL, &p, &err), SM_OK);
    assert_int_equal(p->errors_after, 0);
    assert_int_equal(p->nsteps, 1);
    /* the primary leaves Ireland for the closest region still open */
    assert_string_equal(step(p, 0, buf, sizeof buf),
                        "move orders aws:eu-west-1/primary aws:eu-west-3");
    plan_free(p);
    scenario_eval_free(ev);

    /* a replica whose key is held in Ireland gets a key of its own region */
    fx->m->placements[model_placement(fx->m, "orders@aws:eu-central-1")].key_region =
        model_region(fx->m, "aws:eu-west-1");
    if (scenario_eval(fx->m, fx->rp, "leave-ireland", TODAY, &ev, &err) != SM_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(ev->nstranded_keys, 1);
    assert_int_equal(plan_make(ev, NULL, &p, &err), SM_OK);
    assert_int_equal(p->errors_after, 0);
    assert_int_equal(p->nsteps, 2);
    assert_string_equal(step(p, 1, buf, sizeof buf),
                        "set placement orders@aws:eu-central-1 key-region aws:eu-central-1");
    plan_free(p);
    scenario_eval_free(ev);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_compliant_plan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_preferences, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mechanism_when_no_region, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_plan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_encryption_and_lineage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_flow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_big_group_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retired_region, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
