/*
 * test_scenario.c - scenario ops on a model built in C, stacked scenarios,
 * cycles, the pack copy (adequacy, retired regions) and the diff.
 * Uses the shipped default rule pack (data/rules/default.json).
 */
#include "testlib.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "edit.h"
#include "scenario.h"
#include "rules.h"
#include "rulepack.h"

struct fx {
    struct model *m;
    struct rulepack *rp;
};

#define TODAY 20261126

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

/* orders: restricted, EU subjects, primary in IE, replica in US (violates).
 * users: confidential, EU subjects, primary DE, replica US.
 * catalog: public, primary US. */
static int
setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    SM_ERROR(err);
    int32_t d;

    assert_non_null(fx);
    fx->m = tl_small_model();
    d = add_dataset(fx->m, "orders", "restricted", "EU");
    place(fx->m, d, "aws:eu-west-1", ROLE_PRIMARY);
    place(fx->m, d, "aws:us-east-1", ROLE_REPLICA);
    d = add_dataset(fx->m, "users", "confidential", "EU");
    place(fx->m, d, "aws:eu-central-1", ROLE_PRIMARY);
    place(fx->m, d, "aws:us-east-1", ROLE_REPLICA);
    d = add_dataset(fx->m, "catalog", "public", NULL);
    place(fx->m, d, "aws:us-east-1", ROLE_PRIMARY);
    if (rulepack_load(tl_datadir(), "default", &fx->rp, &err) != SM_OK)
        fail_msg("%s", err.msg);
    *state = fx;
    return 0;
}

/* The same model, shareable (model_set_shareable, as the TUI loads it),
 * with enough datasets after the three that its arrays are memory files
 * (past SM_BIG_MIN): copies share them page by page. */
static int
setup_shareable(void **state)
{
    struct fx *fx;
    char name[32];

    setup(state);
    fx = *state;
    model_set_shareable(fx->m, true);
    for (int i = 0; i < 5000; i++) {
        int32_t d;
        snprintf(name, sizeof name, "fill.t%04d", i);
        d = add_dataset(fx->m, name, i % 3 ? "confidential" : "public", i % 2 ? "EU" : NULL);
        place(fx->m, d, i % 4 ? "aws:eu-west-1" : "aws:eu-central-1", ROLE_PRIMARY);
        place(fx->m, d, "aws:eu-central-1", ROLE_BACKUP);
    }
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

static int32_t
add_scenario(struct model *m, const char *name, const char *base)
{
    struct scenario s;
    int32_t id;

    memset(&s, 0, sizeof s);
    s.name = name;
    s.base = base;
    assert_int_equal(model_add_scenario(m, &s, &id, NULL), SM_OK);
    return id;
}

/* The words of line (split at spaces, 8 at most) into argv, kept in buf. */
static int
words(const char *line, char *buf, size_t size, char *argv[8])
{
    char *save = NULL;
    int argc = 0;

    sm_strlcpy(buf, line, size);
    for (char *t = strtok_r(buf, " ", &save); t && argc < 8; t = strtok_r(NULL, " ", &save))
        argv[argc++] = t;
    return argc;
}

static void
add_op(struct model *m, int32_t s, const char *line)
{
    char buf[512], *argv[8];
    int argc = 0;
    SM_ERROR(err);

    argc = words(line, buf, sizeof buf, argv);
    if (model_scenario_append(m, s, argc, (const char *const *)argv, &err) != SM_OK)
        fail_msg("%s", err.msg);
}

/* Live findings of a rule on a selector. */
static int
count(const struct check_result *r, const char *rule, const char *sel)
{
    int n = 0;

    for (int32_t i = 0; i < r->nfindings; i++)
        if (!r->findings[i].waived && strcmp(r->findings[i].rule, rule) == 0 &&
            (!sel || strcmp(r->findings[i].selector, sel) == 0))
            n++;
    return n;
}

static struct scenario_eval *
eval_ok(struct fx *fx, const char *name)
{
    struct scenario_eval *ev = NULL;
    SM_ERROR(err);

    if (scenario_eval(fx->m, fx->rp, name, TODAY, &ev, &err) != SM_OK)
        fail_msg("%s", err.msg);
    return ev;
}

/* Apply one op line on a fresh scenario; returns the code, err filled. */
static int
try_op(struct fx *fx, const char *line, struct scenario_eval **out, struct sm_error *err)
{
    char buf[512], *argv[8];
    int argc = 0, rc;
    struct scenario_eval *ev;

    argc = words(line, buf, sizeof buf, argv);
    assert_int_equal(scenario_begin(fx->m, fx->rp, "t", &ev, NULL), SM_OK);
    rc = scenario_apply(ev, argc, (const char *const *)argv, err);
    if (rc == SM_OK)
        assert_int_equal(scenario_check(ev, TODAY, NULL), SM_OK);
    if (out && rc == SM_OK)
        *out = ev;
    else
        scenario_eval_free(ev);
    return rc;
}

static void
test_parse_and_format(void **state)
{
    const char *bad[] = { "mvoe", "orders" };
    const char *few[] = { "move", "orders" };
    const char *ok[] = { "add-transform", "f1", "mask email" };
    SM_ERROR(err);
    enum scenario_op op;
    char buf[128];

    (void)state;
    assert_int_equal(scenario_op_parse(2, bad, &op, &err), SM_EINVAL);
    assert_string_equal(err.msg, "unknown scenario op mvoe; did you mean move?");
    assert_int_equal(scenario_op_parse(2, few, &op, &err), SM_EINVAL);
    assert_string_equal(err.msg, "move needs DATASET FROM-REGION[/ROLE] TO-REGION");
    assert_int_equal(scenario_op_parse(3, ok, &op, &err), SM_OK);
    assert_int_equal(op, SOP_ADD_TRANSFORM);
    assert_string_equal(scenario_op_format(3, ok, buf, sizeof buf),
                        "add-transform f1 \"mask email\"");
}

/* Scenario ops and edits quote by one rule (sm_needs_quotes): a DEL byte
 * is quoted in both (the scenario ops used to leave it bare). */
static void
test_one_quoting_rule(void **state)
{
    const char *del[] = { "add-region", "onprem:a\x7f", "DE" };
    struct edit e = { 0 };
    char buf[128], line[256];

    (void)state;
    assert_true(sm_needs_quotes(""));
    assert_true(sm_needs_quotes("a b"));
    assert_true(sm_needs_quotes("a\tb"));
    assert_true(sm_needs_quotes("it's"));
    assert_true(sm_needs_quotes("a\"b"));
    assert_true(sm_needs_quotes("a\\b"));
    assert_true(sm_needs_quotes("a\x7f"));
    assert_true(sm_needs_quotes("a\x1b[31m"));
    assert_false(sm_needs_quotes("aws:eu-west-1"));
    assert_false(sm_needs_quotes("ñandú-名前"));
    assert_string_equal(scenario_op_format(3, del, buf, sizeof buf),
                        "add-region \"onprem:a\x7f\" DE");
    e.op = EDIT_REMOVE;
    e.kind = OBJ_REGION;
    e.key = "onprem:a\x7f";
    edit_format(&e, line, sizeof line);
    assert_non_null(strstr(line, "\"onprem:a\\x7f\""));
}

static void
test_base_has_errors(void **state)
{
    struct fx *fx = *state;
    struct scenario_eval *ev = eval_ok(fx, NULL);

    assert_true(ev->borrowed);
    assert_true(count(ev->res, "RES001", "orders@aws:us-east-1") == 1);
    /* confidential may go to adequate countries, but the US needs dpf */
    assert_int_equal(count(ev->res, "RES001", "users@aws:us-east-1"), 1);
    assert_int_equal(count(ev->res, "XFR002", "users@aws:us-east-1"), 1);
    assert_int_equal(count(ev->res, "RES001", "catalog@aws:us-east-1"), 0);
    assert_int_equal(scenario_apply(ev, 1, (const char *const[]){ "retire-region" }, NULL),
                     SM_EINVAL);
    scenario_eval_free(ev);
}

static void
test_move(void **state)
{
    struct fx *fx = *state;
    struct scenario_eval *ev = NULL;
    SM_ERROR(err);
    int32_t p;

    assert_int_equal(try_op(fx, "move orders aws:us-east-1 aws:eu-central-1", &ev, &err), SM_OK);
    p = model_placement(ev->m, "orders@aws:eu-central-1");
    assert_int_not_equal(p, SM_NONE);
    /* the region-local key followed the copy */
    assert_int_equal(ev->m->placements[p].key_region, model_region(ev->m, "aws:eu-central-1"));
    assert_int_equal(count(ev->res, "RES001", "orders@aws:eu-central-1") +
                     count(ev->res, "XFR002", "orders@aws:eu-central-1") +
                     count(ev->res, "ENC002", "orders@aws:eu-central-1"), 0);
    assert_int_equal(count(ev->res, "RES001", "users@aws:us-east-1"), 1);
    assert_int_equal(ev->nops, 1);
    assert_int_equal(ev->ds_first[1] - ev->ds_first[0], 1);
    assert_int_equal(ev->ds[0], model_dataset(ev->m, "orders"));
    scenario_eval_free(ev);
    /* the base is untouched */
    assert_int_not_equal(model_placement(fx->m, "orders@aws:us-east-1"), SM_NONE);

    assert_int_equal(try_op(fx, "move orders aws:eu-central-1 aws:eu-west-1", NULL, &err),
                     SM_ENOTFOUND);
    assert_string_equal(err.msg, "move orders aws:eu-central-1 aws:eu-west-1: orders has no "
                                 "copy in aws:eu-central-1");
    assert_int_equal(try_op(fx, "add-placement orders aws:eu-west-1 primary", NULL, &err),
                     SM_EEXIST);
    assert_int_equal(try_op(fx, "move orders aws:us-east-1 aws:us-east-1", NULL, &err),
                     SM_EINVAL);
    assert_int_equal(try_op(fx, "move ordrs aws:us-east-1 aws:eu-west-1", NULL, &err),
                     SM_ENOTFOUND);
    assert_non_null(strstr(err.msg, "did you mean orders?"));
    assert_int_equal(try_op(fx, "move orders aws:us-east-1/backup aws:eu-central-1", NULL, &err),
                     SM_ENOTFOUND);
    assert_int_equal(try_op(fx, "move orders aws:us-east-1/replica aws:eu-central-1", NULL, &err),
                     SM_OK);
}

static void
test_placements(void **state)
{
    struct fx *fx = *state;
    struct scenario_eval *ev = NULL;
    SM_ERROR(err);
    int32_t p;

    assert_int_equal(try_op(fx, "add-placement orders aws:eu-central-1 backup", &ev, &err), SM_OK);
    p = model_placement(ev->m, "orders@aws:eu-central-1");
    assert_int_not_equal(p, SM_NONE);
    assert_int_equal(ev->m->placements[p].role, ROLE_BACKUP);
    assert_int_equal(ev->m->placements[p].encrypted, 1);   /* like the primary */
    assert_int_equal(ev->m->placements[p].key_region, model_region(ev->m, "aws:eu-central-1"));
    scenario_eval_free(ev);
    assert_int_equal(try_op(fx, "add-placement orders aws:eu-central-1 spare", NULL, &err),
                     SM_EINVAL);
    assert_non_null(strstr(err.msg, "unknown role spare"));

    assert_int_equal(try_op(fx, "remove-placement orders@aws:us-east-1", &ev, &err), SM_OK);
    assert_int_equal(model_placement(ev->m, "orders@aws:us-east-1"), SM_NONE);
    assert_int_equal(count(ev->res, "RES001", "orders@aws:us-east-1"), 0);
    assert_int_equal(count(ev->res, "RES001", NULL), 1);
    scenario_eval_free(ev);
}

static void
test_tier_and_subjects(void **state)
{
    struct fx *fx = *state;
    struct scenario_eval *ev = NULL;
    SM_ERROR(err);

    /* public data may live anywhere */
    assert_int_equal(try_op(fx, "set-tier orders public", &ev, &err), SM_OK);
    assert_int_equal(count(ev->res, "RES001", "orders@aws:us-east-1"), 0);
    scenario_eval_free(ev);
    assert_int_equal(try_op(fx, "set-tier orders secret", NULL, &err), SM_ENOTFOUND);

    /* subjects with no EU data: the US replica of a US dataset is home */
    assert_int_equal(try_op(fx, "set-subjects orders US", &ev, &err), SM_OK);
    assert_int_equal(ev->m->datasets[model_dataset(ev->m, "orders")].nsubjects, 1);
    scenario_eval_free(ev);
    assert_int_equal(try_op(fx, "set-subjects orders E", NULL, &err), SM_EINVAL);
}

/* set-tier-policy: the tier's mapping changed in the scenario alone, with
 * the findings a full check of the same edit gives; a pair that is not a
 * policy attribute, or a bad value, changes nothing. */
static void
test_tier_policy(void **state)
{
    struct fx *fx = *state;
    struct scenario_eval *ev = NULL;
    struct model *m2 = NULL;
    struct check_result *r2 = NULL;
    SM_ERROR(err);
    int32_t t = model_tier(fx->m, "restricted");

    assert_true(t >= 0);
    assert_int_equal(try_op(fx, "set-tier-policy restricted scope=global key-scope=global "
                            "retention-max=30", &ev, &err), SM_OK);
    assert_int_equal(ev->m->tiers[t].scope, SCOPE_GLOBAL);
    assert_int_equal(ev->m->tiers[t].key_scope, SCOPE_GLOBAL);
    assert_int_equal(ev->m->tiers[t].retention_max_days, 30);
    assert_int_not_equal(fx->m->tiers[t].scope, SCOPE_GLOBAL);      /* the base stays */
    assert_int_equal(count(ev->res, "RES001", "orders@aws:us-east-1"), 0);
    /* the same change made to a copy of the model and checked whole */
    assert_int_equal(model_clone(fx->m, &m2), SM_OK);
    assert_int_equal(model_set(m2, OBJ_TIER, t, "scope", "global", NULL), SM_OK);
    assert_int_equal(model_set(m2, OBJ_TIER, t, "key-scope", "global", NULL), SM_OK);
    assert_int_equal(model_set(m2, OBJ_TIER, t, "retention-max", "30", NULL), SM_OK);
    assert_int_equal(check_run(m2, fx->rp, TODAY, &r2, NULL), SM_OK);
    for (int sv = 0; sv < SEV_COUNT; sv++)
        assert_int_equal(ev->res->stats.count[sv], r2->stats.count[sv]);
    check_result_free(r2);
    model_free(m2);
    scenario_eval_free(ev);
    assert_int_equal(try_op(fx, "set-tier-policy restricted rank=1", NULL, &err), SM_EINVAL);
    assert_non_null(strstr(err.msg, "rank is not a tier policy attribute"));
    assert_int_equal(try_op(fx, "set-tier-policy restricted scope=bloc key-scope=nowhere", &ev,
                            &err), SM_EINVAL);
    assert_int_equal(try_op(fx, "set-tier-policy restricted scope", NULL, &err), SM_EINVAL);
    assert_int_equal(try_op(fx, "set-tier-policy secret scope=bloc", NULL, &err), SM_ENOTFOUND);
}

static void
test_flows(void **state)
{
    struct fx *fx = *state;
    struct scenario_eval *ev = NULL;
    SM_ERROR(err);
    int32_t f;

    assert_int_equal(try_op(fx, "add-flow orders@aws:eu-west-1 catalog@aws:us-east-1 etl f1",
                            &ev, &err), SM_OK);
    f = model_flow(ev->m, "f1");
    assert_int_not_equal(f, SM_NONE);
    assert_int_equal(ev->m->flows[f].kind, FLOW_ETL);
    /* the op touched both ends */
    assert_int_equal(ev->ds_first[1], 2);
    scenario_eval_free(ev);

    assert_int_equal(try_op(fx, "add-flow orders@aws:eu-west-1 aws:us-east-1 export", &ev, &err),
                     SM_OK);
    f = ev->m->nflows - 1;
    assert_int_equal(ev->m->flows[f].to, SM_NONE);
    assert_int_equal(ev->m->flows[f].to_region, model_region(ev->m, "aws:us-east-1"));
    scenario_eval_free(ev);
    assert_int_equal(try_op(fx, "add-flow orders@aws:eu-west-1 aws:us-east-1 teleport", NULL,
                            &err), SM_EINVAL);
}

/* A scenario with a flow f1 (orders -> catalog in the US) and more ops. */
static void
test_flow_ops_stacked(void **state)
{
    struct fx *fx = *state;
    struct scenario_eval *ev;
    SM_ERROR(err);
    int32_t s1, s2, f;
    char buf[256];

    s1 = add_scenario(fx->m, "flowy", "");
    add_op(fx->m, s1, "add-flow orders@aws:eu-west-1 catalog@aws:us-east-1 etl f1");
    s2 = add_scenario(fx->m, "flowy2", "flowy");
    add_op(fx->m, s2, "set-mechanism f1 scc TIA-7");
    add_op(fx->m, s2, "add-transform f1 mask-none");
    ev = NULL;
    assert_int_not_equal(scenario_eval(fx->m, fx->rp, "flowy2", TODAY, &ev, &err), SM_OK);
    assert_non_null(strstr(err.msg, "scenario flowy2, op 2"));
    /* fix the bad op: a stacked scenario applies its base's ops first */
    fx->m->scenarios[s2].ops[1].v[2] = "mask email";
    ev = eval_ok(fx, "flowy2");
    assert_int_equal(ev->nops, 3);
    f = model_flow(ev->m, "f1");
    assert_int_equal(ev->m->flows[f].mechanism, MECH_SCC);
    assert_string_equal(model_get(ev->m, OBJ_FLOW, f, "mechanism-ref", buf, sizeof buf), "TIA-7");
    assert_string_equal(model_get(ev->m, OBJ_FLOW, f, "transforms", buf, sizeof buf),
                        "mask email");
    scenario_eval_free(ev);

    /* remove-flow and a mechanism on a copy */
    add_op(fx->m, s2, "remove-flow f1");
    add_op(fx->m, s2, "set-mechanism users@aws:us-east-1 scc");
    ev = eval_ok(fx, "flowy2");
    assert_int_equal(model_flow(ev->m, "f1"), SM_NONE);
    assert_int_equal(ev->m->placements[model_placement(ev->m, "users@aws:us-east-1")].mechanism,
                     MECH_SCC);
    scenario_eval_free(ev);
    assert_int_equal(try_op(fx, "set-mechanism orders@aws:eu-west-1 scc", NULL, &err), SM_EINVAL);
    assert_non_null(strstr(err.msg, "primary"));
    assert_int_equal(try_op(fx, "set-mechanism nosuch scc", NULL, &err), SM_ENOTFOUND);
}

static void
test_cycle(void **state)
{
    struct fx *fx = *state;
    struct scenario_eval *ev = NULL;
    SM_ERROR(err);
    int32_t a, ids[8];

    a = add_scenario(fx->m, "a", "");
    add_scenario(fx->m, "b", "a");
    add_scenario(fx->m, "c", "b");
    assert_int_equal(scenario_chain(fx->m, "c", ids, 8, &err), 3);
    assert_int_equal(ids[0], a);
    assert_int_equal(model_set(fx->m, OBJ_SCENARIO, a, "base", "c", NULL), SM_OK);
    assert_int_equal(scenario_chain(fx->m, "c", ids, 8, &err), -1);
    assert_string_equal(err.msg, "scenario c: its bases form a cycle c -> b -> a -> c");
    assert_int_not_equal(scenario_eval(fx->m, fx->rp, "b", TODAY, &ev, &err), SM_OK);
    assert_null(ev);
    assert_int_equal(scenario_chain(fx->m, "zz", ids, 8, &err), -1);
}

static void
test_adequacy(void **state)
{
    struct fx *fx = *state;
    struct scenario_eval *ev = NULL, *base;
    SM_ERROR(err);
    int32_t g;
    int before;

    base = eval_ok(fx, NULL);
    before = count(base->res, "XFR002", NULL);
    /* users is confidential (adequate scope); add a replica in GB-less model:
     * use CH via a new region, adequate for the EU */
    assert_int_equal(try_op(fx, "revoke-adequacy EU US", &ev, &err), SM_OK);
    assert_non_null(ev->rp_own);
    g = rules_regime(ev->rp, "GDPR");
    assert_true(g >= 0);
    for (int32_t k = 0; k < ev->rp->regimes[g].nadequacy; k++)
        if (ev->rp->regimes[g].adequacy[k].cc == sm_cc("US"))
            assert_int_equal(ev->rp->regimes[g].adequacy[k].revoked, 1);
    /* the base pack is untouched */
    for (int32_t k = 0; k < fx->rp->regimes[g].nadequacy; k++)
        if (fx->rp->regimes[g].adequacy[k].cc == sm_cc("US"))
            assert_int_equal(fx->rp->regimes[g].adequacy[k].revoked, 0);
    assert_true(ev->op_global[0]);
    scenario_eval_free(ev);
    assert_int_equal(try_op(fx, "revoke-adequacy EU IN", NULL, &err), SM_ENOTFOUND);
    assert_int_equal(try_op(fx, "revoke-adequacy XX US", NULL, &err), SM_ENOTFOUND);

    /* grant a full decision to the US: the confidential US replica is fine */
    assert_int_equal(try_op(fx, "grant-adequacy GDPR US", &ev, &err), SM_OK);
    assert_true(count(ev->res, "XFR002", NULL) + count(ev->res, "XFR001", NULL) <
                count(base->res, "XFR002", NULL) + count(base->res, "XFR001", NULL) ||
                before == 0);
    assert_int_equal(count(ev->res, "XFR001", "users@aws:us-east-1") +
                     count(ev->res, "XFR002", "users@aws:us-east-1"), 0);
    scenario_eval_free(ev);
    assert_int_equal(try_op(fx, "grant-adequacy EU DE", NULL, &err), SM_EINVAL);
    /* grant a brand-new decision */
    assert_int_equal(try_op(fx, "grant-adequacy EU IN", &ev, &err), SM_OK);
    g = rules_regime(ev->rp, "GDPR");
    assert_int_equal(ev->rp->regimes[g].nadequacy, fx->rp->regimes[g].nadequacy + 1);
    scenario_eval_free(ev);
    scenario_eval_free(base);
}

static void
test_regions(void **state)
{
    struct fx *fx = *state;
    struct scenario_eval *ev = NULL;
    SM_ERROR(err);
    int32_t r;

    assert_int_equal(try_op(fx, "add-region aws:eu-north-9 SE", &ev, &err), SM_OK);
    r = model_region(ev->m, "aws:eu-north-9");
    assert_int_not_equal(r, SM_NONE);
    assert_int_equal(ev->m->regions[r].operator_home, sm_cc("US"));   /* like aws's others */
    assert_int_equal(ev->m->regions[r].country, sm_cc("SE"));
    scenario_eval_free(ev);
    assert_int_equal(try_op(fx, "add-region onprem:fra-dc2 DE on-prem", &ev, &err), SM_OK);
    r = model_region(ev->m, "onprem:fra-dc2");
    assert_int_equal(ev->m->regions[r].operator_home, sm_cc("DE"));
    assert_int_equal(ev->m->regions[r].kind, REGION_ONPREM);
    scenario_eval_free(ev);
    assert_int_equal(try_op(fx, "add-region nocolon DE", NULL, &err), SM_EINVAL);
    assert_int_equal(try_op(fx, "add-region aws:eu-west-1 IE", NULL, &err), SM_EEXIST);

    /* retiring the US: every copy there is flagged and must move */
    assert_int_equal(try_op(fx, "retire-region aws:us-east-1", &ev, &err), SM_OK);
    assert_int_equal(ev->nstranded, 3);
    assert_true(scenario_retired(ev, model_region(ev->m, "aws:us-east-1")));
    assert_int_equal(count(ev->res, "RES004", "catalog@aws:us-east-1"), 1);
    assert_int_equal(count(ev->res, "RES004", "users@aws:us-east-1"), 1);
    assert_int_equal(scenario_apply(ev, 4, (const char *const[]){ "move", "orders",
                     "aws:eu-west-1", "aws:us-east-1" }, &err), SM_EINVAL);
    assert_non_null(strstr(err.msg, "retired"));
    assert_int_equal(scenario_apply(ev, 4, (const char *const[]){ "move", "catalog",
                     "aws:us-east-1", "aws:eu-west-1" }, &err), SM_OK);
    assert_int_equal(scenario_check(ev, TODAY, &err), SM_OK);
    assert_int_equal(ev->nstranded, 2);
    assert_int_equal(count(ev->res, "RES004", "catalog@aws:eu-west-1"), 0);
    scenario_eval_free(ev);
}

/* Leaving a region takes its key service: copies elsewhere whose key is
 * held there are listed, and the diff says their key must move. */
static void
test_retired_keys(void **state)
{
    struct fx *fx = *state;
    struct scenario_eval *base, *ev;
    struct scenario_diff *d;
    SM_ERROR(err);
    int32_t p = model_placement(fx->m, "orders@aws:eu-west-1"), keys = 0;

    fx->m->placements[p].key_region = model_region(fx->m, "aws:eu-central-1");
    base = eval_ok(fx, NULL);
    assert_int_equal(try_op(fx, "retire-region aws:eu-central-1", &ev, &err), SM_OK);
    assert_int_equal(ev->nstranded, 1);                 /* users' primary */
    assert_int_equal(ev->nstranded_keys, 1);            /* orders' primary key */
    assert_int_equal(ev->stranded_keys[0], p);
    assert_int_equal(scenario_diff(base, ev, fx->m, &d, &err), SM_OK);
    for (int32_t i = 0; i < d->nchanges; i++)
        if (d->changes[i].kind == SCHANGE_KEY_RETIRED) {
            keys++;
            assert_string_equal(d->changes[i].selector, "orders@aws:eu-west-1");
            assert_int_equal(d->changes[i].to_region, model_region(ev->m, "aws:eu-central-1"));
        }
    assert_int_equal(keys, 1);
    scenario_diff_free(d);
    scenario_eval_free(ev);
    scenario_eval_free(base);
}

static void
test_set(void **state)
{
    struct fx *fx = *state;
    struct scenario_eval *ev = NULL;
    SM_ERROR(err);

    assert_int_equal(try_op(fx, "set placement users@aws:us-east-1 encrypted false", &ev, &err),
                     SM_OK);
    assert_int_equal(count(ev->res, "ENC001", "users@aws:us-east-1"), 1);
    scenario_eval_free(ev);
    assert_int_equal(try_op(fx, "set waiver x y z", NULL, &err), SM_EINVAL);
    assert_int_equal(try_op(fx, "set dataset orders colour blue", NULL, &err), SM_EINVAL);
}

static void
test_diff(void **state)
{
    struct fx *fx = *state;
    struct scenario_eval *base, *ev, *ev2;
    struct scenario_diff *d;
    SM_ERROR(err);
    int32_t s, moved = 0, resolved = 0, nnew = 0;

    s = add_scenario(fx->m, "fix", "");
    add_op(fx->m, s, "move orders aws:us-east-1 aws:eu-central-1");
    add_op(fx->m, s, "set placement users@aws:us-east-1 encrypted false");
    base = eval_ok(fx, NULL);
    ev = eval_ok(fx, "fix");
    assert_int_equal(scenario_diff(base, ev, fx->m, &d, &err), SM_OK);
    for (int32_t i = 0; i < d->nchanges; i++) {
        const struct schange *c = &d->changes[i];
        if (c->kind == SCHANGE_MOVED) {
            moved++;
            assert_string_equal(c->selector, "orders@aws:eu-central-1");
            assert_string_equal(c->old_selector, "orders@aws:us-east-1");
            assert_int_equal(c->from_region, model_region(fx->m, "aws:us-east-1"));
            assert_int_equal(c->to_region, model_region(ev->m, "aws:eu-central-1"));
            assert_int_equal(c->op, 0);
        }
    }
    assert_int_equal(moved, 1);
    assert_int_equal(d->nchanges, 2);   /* the move and the encryption change */
    for (int32_t i = 0; i < d->nfindings; i++) {
        const struct sdiff_finding *it = &d->findings[i];
        const struct finding *f = it->after != SM_NONE ? &ev->res->findings[it->after]
                                                       : &base->res->findings[it->before];
        if (it->status == SDIFF_RESOLVED && strcmp(f->rule, "RES001") == 0) {
            resolved++;
            assert_int_equal(it->op, 0);
        }
        if (it->status == SDIFF_NEW) {
            nnew++;
            assert_string_equal(f->rule, "ENC001");
            assert_int_equal(it->op, 1);
        }
        /* new first, then resolved, then changed */
        if (i)
            assert_true(d->findings[i - 1].status <= it->status);
    }
    assert_int_equal(resolved, 1);
    assert_int_equal(nnew, 1);
    assert_int_equal(d->count[SDIFF_NEW][SEV_ERROR], 1);
    assert_int_equal(d->delta[SEV_ERROR],
                     ev->res->stats.count[SEV_ERROR] - base->res->stats.count[SEV_ERROR]);
    scenario_diff_free(d);

    /* the same through the change-set helper export uses */
    {
        struct scenario_change_set cs;
        int32_t moves = 0;
        assert_int_equal(scenario_change_set(fx->m, fx->rp, "fix", NULL, TODAY, &cs, &err), SM_OK);
        assert_true(cs.before->borrowed);
        for (int32_t i = 0; i < cs.diff->nchanges; i++)
            moves += cs.diff->changes[i].kind == SCHANGE_MOVED;
        assert_int_equal(moves, 1);
        /* orders: RES001, XFR002, ENC002; users: ENC002 (no key check unencrypted) */
        assert_int_equal(cs.diff->count[SDIFF_RESOLVED][SEV_ERROR], 4);
        scenario_change_set_fini(&cs);
        assert_int_equal(scenario_change_set(fx->m, fx->rp, "nosuch", NULL, TODAY, &cs, &err),
                         SM_ENOTFOUND);
    }

    /* against itself: nothing */
    assert_int_equal(scenario_diff(ev, ev, fx->m, &d, &err), SM_OK);
    assert_int_equal(d->nfindings, 0);
    assert_int_equal(d->nchanges, 0);
    scenario_diff_free(d);

    /* against another scenario: a copy both add is the same copy */
    s = add_scenario(fx->m, "other", "");
    add_op(fx->m, s, "add-placement catalog aws:eu-west-1");
    add_op(fx->m, s, "add-placement users aws:eu-west-1 backup");
    add_op(fx->m, s, "retire-region aws:eu-central-1");
    scenario_eval_free(ev);
    s = add_scenario(fx->m, "mine", "");
    add_op(fx->m, s, "add-placement users aws:eu-west-1 backup");
    add_op(fx->m, s, "add-placement catalog aws:eu-west-1");
    ev = eval_ok(fx, "other");
    ev2 = eval_ok(fx, "mine");
    assert_int_equal(scenario_diff(ev, ev2, fx->m, &d, &err), SM_OK);
    for (int32_t i = 0; i < d->nchanges; i++)
        assert_int_not_equal(d->changes[i].obj, OBJ_PLACEMENT);
    scenario_diff_free(d);
    assert_int_equal(scenario_diff(ev2, ev, fx->m, &d, &err), SM_OK);
    assert_true(d->nchanges >= 2);   /* the retired region and its stranded copy */
    assert_int_equal(d->changes[0].obj, OBJ_REGION);
    scenario_diff_free(d);
    scenario_eval_free(ev);
    scenario_eval_free(ev2);
    scenario_eval_free(base);
}

/* Two scenarios of fx's model: inc, checked (the incremental re-check
 * starts from a current check), and full. */
static void
delta_pair(struct fx *fx, struct scenario_eval **inc, struct scenario_eval **full)
{
    assert_int_equal(scenario_begin(fx->m, fx->rp, "inc", inc, NULL), SM_OK);
    assert_int_equal(scenario_begin(fx->m, fx->rp, "full", full, NULL), SM_OK);
    assert_int_equal(scenario_check(*inc, TODAY, NULL), SM_OK);
}

/* One op (a line of words): by the incremental re-check on inc, and
 * applied and checked in full on full; their totals agree. */
static void
delta_and_full(struct scenario_eval *inc, struct scenario_eval *full, const char *line,
               struct scenario_delta *d)
{
    char buf[256], *argv[8];
    int argc = 0;
    SM_ERROR(err);

    argc = words(line, buf, sizeof buf, argv);
    if (scenario_apply_delta(inc, argc, (const char *const *)argv, TODAY, d, &err))
        fail_msg("%s: %s", line, err.msg);
    assert_int_equal(scenario_apply(full, argc, (const char *const *)argv, NULL), SM_OK);
    assert_int_equal(scenario_check(full, TODAY, NULL), SM_OK);
    for (int s = 0; s < SEV_COUNT; s++)
        if (d->total[s] != full->res->stats.count[s])
            fail_msg("%s: %s %d incremental, %d full", line, severity_names[s],
                     (int)d->total[s], (int)full->res->stats.count[s]);
}

/* The incremental re-check agrees with a full check, op after op. */
static void
test_delta(void **state)
{
    struct fx *fx = *state;
    static const char *const lines[] = {
        "move orders aws:us-east-1 aws:eu-central-1",
        "add-flow orders@aws:eu-west-1 catalog@aws:us-east-1 etl f1",
        "set-mechanism f1 scc",
        "add-transform f1 anonymize",
        "set placement users@aws:us-east-1 encrypted false",
        "add-placement catalog aws:eu-west-1 backup",
        "retire-region aws:eu-west-1",
        "remove-flow f1",
        "revoke-adequacy EU CH",
        "set-tier catalog restricted",
        "remove-placement orders@aws:eu-central-1",
        "add-region onprem:fra-dc2 DE on-prem",
        "set-subjects users EU,BR",
        "set-tier-policy restricted scope=global key-scope=global",
    };
    struct scenario_eval *inc, *full;
    struct scenario_delta d;

    delta_pair(fx, &inc, &full);
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        delta_and_full(inc, full, lines[i], &d);
        /* keep the incremental side current for the next op */
        if (inc->stale)
            assert_int_equal(scenario_check(inc, TODAY, NULL), SM_OK);
        if (strncmp(lines[i], "revoke", 6) == 0 || strncmp(lines[i], "set-tier-policy", 15) == 0)
            assert_int_equal(d.ndatasets, -1);          /* every dataset may change */
        else
            assert_true(d.ndatasets >= 0 && d.ndatasets <= 3);
    }
    scenario_eval_free(inc);
    scenario_eval_free(full);
}

/* The incremental re-check keeps its flows by dataset from one op to the
 * next while no flow or copy is added, removed or re-pointed (an op then
 * costs its group, not the model), and makes them again when one is:
 * each step agrees with a full check, including a flow re-pointed by a
 * set of its source or target between two kept steps. */
static void
test_delta_kept_links(void **state)
{
    struct fx *fx = *state;
    static const struct {
        const char *line;
        bool kept;      /* the flows by dataset stay good through it */
    } steps[] = {
        { "move orders aws:us-east-1 aws:eu-central-1", true },
        { "add-flow orders@aws:eu-west-1 catalog@aws:us-east-1 etl f1", false },
        { "set-tier catalog confidential", true },
        { "move catalog aws:us-east-1 aws:eu-west-1", true },
        { "set flow f1 from users@aws:us-east-1", false },
        { "set-subjects catalog EU", true },
        { "set flow f1 to orders@aws:eu-west-1", false },
        { "set-mechanism f1 scc", true },
        { "move users aws:us-east-1 aws:eu-west-1", true },
        { "promote users@aws:eu-west-1", true },
        { "remove-flow f1", false },
        { "set placement orders@aws:eu-west-1 encrypted false", true },
    };
    struct scenario_eval *inc, *full;
    struct scenario_delta d;

    delta_pair(fx, &inc, &full);
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        uint32_t made = inc->links_made;
        uint64_t gen = inc->m->generation;
        delta_and_full(inc, full, steps[i].line, &d);
        /* every one of these ops changes the model: its generation moves
         * (the TUI's kept orders and filter texts are good for one) */
        if (inc->m->generation == gen)
            fail_msg("%s: the model's generation stayed %llu", steps[i].line,
                     (unsigned long long)gen);
        /* the links are good for the model after the op, kept or made again */
        assert_true(inc->links_ok);
        assert_true(inc->links_gen == inc->m->generation);
        /* made once for the first op, then only again after an op that
         * changed them (the next op finds them good) */
        assert_int_equal(inc->links_made - made,
                         (i == 0) + !steps[i].kept);
        /* the flows by dataset equal ones made from scratch */
        {
            struct scenario_links fresh;
            assert_int_equal(scenario_links_build(inc->m, &fresh), SM_OK);
            assert_int_equal(fresh.ndatasets, inc->links.ndatasets);
            assert_memory_equal(fresh.first, inc->links.first,
                                ((size_t)fresh.ndatasets + 1) * sizeof *fresh.first);
            assert_memory_equal(fresh.flows, inc->links.flows,
                                (size_t)fresh.first[fresh.ndatasets] * sizeof *fresh.flows);
            scenario_links_fini(&fresh);
        }
        /* between ops the marks and the copy map are clear */
        for (int32_t k = 0; k < inc->nmark; k++)
            assert_int_equal(inc->mark[k], 0);
        for (int32_t k = 0; k < inc->npmap; k++)
            assert_int_equal(inc->pmap[k], SM_NONE);
        if (inc->stale)
            assert_int_equal(scenario_check(inc, TODAY, NULL), SM_OK);
    }
    scenario_eval_free(inc);
    scenario_eval_free(full);
}

/* scenario_apply_check: every op kind, its result against a full check
 * of the same scenario (findings with every field, in order; transfers;
 * stats; lineage facts). */
static void
same_check(const struct check_result *a, const struct check_result *b, const char *line)
{
    char sa[256], sb[256];

    if (a->nfindings != b->nfindings)
        fail_msg("%s: %d findings incremental, %d full", line, (int)a->nfindings,
                 (int)b->nfindings);
    for (int32_t i = 0; i < a->nfindings; i++) {
        const struct finding *x = &a->findings[i], *y = &b->findings[i];
        assert_string_equal(x->rule, y->rule);
        assert_string_equal(x->selector, y->selector);
        assert_string_equal(x->message, y->message);
        assert_string_equal(x->hint, y->hint);
        assert_string_equal(x->jurisdictions, y->jurisdictions);
        assert_int_equal(x->why.n, y->why.n);
        for (uint32_t k = 0; k < x->why.n; k++)
            assert_string_equal(x->why.v[k], y->why.v[k]);
        assert_int_equal(x->object, y->object);
        assert_int_equal(x->dataset, y->dataset);
        assert_int_equal(x->waived, y->waived);
        assert_int_equal(x->severity, y->severity);
    }
    assert_int_equal(a->ntransfers, b->ntransfers);
    for (int32_t i = 0; i < a->ntransfers; i++) {
        assert_int_equal(a->transfers[i].dataset, b->transfers[i].dataset);
        assert_int_equal(a->transfers[i].placement, b->transfers[i].placement);
        assert_int_equal(a->transfers[i].flow, b->transfers[i].flow);
        assert_int_equal(a->transfers[i].status, b->transfers[i].status);
        assert_string_equal(check_transfer_basis(a, &a->transfers[i]),
                            check_transfer_basis(b, &b->transfers[i]));
    }
    assert_memory_equal(&a->stats, &b->stats, sizeof a->stats);
    assert_int_equal(a->ndatasets, b->ndatasets);
    for (int32_t d = 0; d < a->ndatasets; d++) {
        assert_int_equal(a->eff_tier[d], b->eff_tier[d]);
        assert_int_equal(a->eff_via[d], b->eff_via[d]);
        assert_string_equal(check_eff_subjects(a, d, sa, sizeof sa),
                            check_eff_subjects(b, d, sb, sizeof sb));
    }
}

/* The diff of two evaluations, narrowed to the datasets the ops touched,
 * equals the one that compares every object. */
static void
same_diff(struct scenario_eval *before, struct scenario_eval *after, const struct model *origin)
{
    struct scenario_diff *n = NULL, *f = NULL;

    assert_int_equal(scenario_diff(before, after, origin, &n, NULL), SM_OK);
    after->diff_all = true;
    assert_int_equal(scenario_diff(before, after, origin, &f, NULL), SM_OK);
    after->diff_all = false;
    assert_int_equal(n->nfindings, f->nfindings);
    assert_memory_equal(n->findings, f->findings, sizeof *n->findings * (size_t)n->nfindings);
    assert_memory_equal(n->count, f->count, sizeof n->count);
    assert_int_equal(n->nchanges, f->nchanges);
    for (int32_t i = 0; i < n->nchanges; i++) {
        const struct schange *a = &n->changes[i], *b = &f->changes[i];
        assert_int_equal(a->kind, b->kind);
        assert_int_equal(a->obj, b->obj);
        assert_int_equal(a->before, b->before);
        assert_int_equal(a->after, b->after);
        assert_int_equal(a->from_region, b->from_region);
        assert_int_equal(a->to_region, b->to_region);
        assert_int_equal(a->op, b->op);
        assert_string_equal(a->selector, b->selector);
    }
    scenario_diff_free(n);
    scenario_diff_free(f);
}

static void
test_apply_check(void **state)
{
    struct fx *fx = *state;
    static const char *const lines[] = {
        "move orders aws:us-east-1 aws:eu-central-1",
        "add-flow orders@aws:eu-west-1 catalog@aws:us-east-1 etl f1",
        "set-mechanism f1 scc",
        "add-transform f1 anonymize",
        "set placement users@aws:us-east-1 encrypted false",
        "set flow f1 transit-encrypted false",
        "add-placement catalog aws:eu-west-1 backup",
        "set dataset catalog tier restricted",
        "set placement catalog@aws:eu-west-1 region aws:us-east-1",
        "remove-flow f1",
        "set-tier catalog public",
        "remove-placement orders@aws:eu-central-1",
        "add-region onprem:fra-dc2 DE on-prem",
        "set-subjects users EU,BR",
        "revoke-adequacy EU CH",
        "add-flow users@aws:eu-central-1 aws:us-east-1 export f2",
        "retire-region aws:eu-west-1",
        "set placement users@aws:us-east-1 encrypted true",
    };
    struct scenario_eval *inc, *full, *base, *other;
    struct check_change chg;
    SM_ERROR(err);
    int updated = 0;
    const char *op[] = { "set", "placement", "users@aws:us-east-1", "encrypted", "false" };

    assert_int_equal(scenario_begin_base(fx->m, fx->rp, &base, NULL), SM_OK);
    assert_int_equal(scenario_check(base, TODAY, NULL), SM_OK);
    assert_int_equal(scenario_begin(fx->m, fx->rp, "other", &other, NULL), SM_OK);
    assert_int_equal(scenario_apply(other, 5, op, NULL), SM_OK);
    assert_int_equal(scenario_check(other, TODAY, NULL), SM_OK);
    delta_pair(fx, &inc, &full);
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        char buf[256], *argv[8];
        int argc = 0;
        argc = words(lines[i], buf, sizeof buf, argv);
        if (scenario_apply_check(inc, argc, (const char *const *)argv, &chg, &err))
            fail_msg("%s: %s", lines[i], err.msg);
        updated += chg.ngroup >= 0;
        if (strncmp(lines[i], "revoke", 6) == 0 || strncmp(lines[i], "retire", 6) == 0)
            assert_int_equal(chg.ngroup, -1);
        check_change_fini(&chg);
        assert_int_equal(scenario_apply(full, argc, (const char *const *)argv, NULL), SM_OK);
        assert_int_equal(scenario_check(full, TODAY, NULL), SM_OK);
        assert_false(inc->stale);
        same_check(inc->res, full->res, lines[i]);
        assert_int_equal(inc->nstranded, full->nstranded);
        same_diff(base, inc, fx->m);
        same_diff(other, inc, fx->m);
        same_diff(inc, other, fx->m);
    }
    assert_true(updated >= 10);
    scenario_eval_free(inc);
    scenario_eval_free(full);
    scenario_eval_free(base);
    scenario_eval_free(other);
}

/* ev's check against check_run of a copy of ev's model with no name
 * ranks (the register then ranks the names itself). */
static void
same_as_unranked(const struct scenario_eval *ev, const char *line)
{
    struct model *k = NULL;
    struct check_result *r = NULL;

    assert_int_equal(model_clone(ev->m, &k), SM_OK);
    model_drop_name_rank(k);
    assert_int_equal(check_run(k, ev->rp, TODAY, &r, NULL), SM_OK);
    same_check(ev->res, r, line);
    check_result_free(r);
    model_free(k);
}

/* The datasets' name ranks (the register's order) go with a copy of the
 * model (model_clone, scenario_model_share) and a scenario keeps its own
 * through edits that rename no dataset: a full check after each edit does
 * not rank the names again. An edit that adds or removes a dataset makes
 * them stale; the next check ranks anew. Each check's register is the one
 * a check of a model with no ranks gives. */
static void
test_name_rank_kept(void **state)
{
    struct fx *fx = *state;
    struct model *c = NULL, *k = NULL;
    struct scenario_eval *ev = NULL;
    struct edit_result res;
    struct edit add = { EDIT_ADD, OBJ_DATASET, "aaa.first", 1, { { "tier", "restricted" } } };
    struct edit rm = { EDIT_REMOVE, OBJ_DATASET, "orders", 0, { { NULL, NULL } } };
    const char *move[] = { "move", "orders", "aws:us-east-1", "aws:eu-central-1" };
    const int32_t *rank;
    int32_t *fresh = NULL;

    assert_null(model_name_rank(fx->m));
    assert_int_equal(check_keep_name_rank(fx->m), SM_OK);
    assert_non_null(rank = model_name_rank(fx->m));
    assert_int_equal(check_name_rank(fx->m, &fresh), SM_OK);
    assert_memory_equal(rank, fresh, sizeof *fresh * (size_t)fx->m->ndatasets);
    free(fresh);
    assert_int_equal(check_keep_name_rank(fx->m), SM_OK);
    assert_ptr_equal(model_name_rank(fx->m), rank);             /* kept, not made again */

    assert_int_equal(model_clone(fx->m, &k), SM_OK);
    assert_int_equal(scenario_model_share(fx->m, &c), SM_OK);
    assert_non_null(model_name_rank(k));
    assert_non_null(model_name_rank(c));
    assert_ptr_not_equal(model_name_rank(c), rank);             /* a copy of its own */
    assert_memory_equal(model_name_rank(k), rank, sizeof *rank * (size_t)fx->m->ndatasets);
    assert_memory_equal(model_name_rank(c), rank, sizeof *rank * (size_t)fx->m->ndatasets);
    model_free(c);
    model_free(k);

    assert_int_equal(scenario_begin(fx->m, fx->rp, "ranked", &ev, NULL), SM_OK);
    assert_non_null(rank = model_name_rank(ev->m));
    assert_int_equal(scenario_apply(ev, 4, move, NULL), SM_OK);
    assert_int_equal(scenario_check(ev, TODAY, NULL), SM_OK);
    assert_ptr_equal(model_name_rank(ev->m), rank);
    same_as_unranked(ev, "move");

    assert_int_equal(edit_apply(ev->m, &add, &res, NULL), SM_OK);
    edit_result_fini(&res);
    assert_null(model_name_rank(ev->m));
    assert_int_equal(scenario_check(ev, TODAY, NULL), SM_OK);
    assert_non_null(rank = model_name_rank(ev->m));
    assert_int_equal(rank[model_dataset(ev->m, "aaa.first")], 0);
    same_as_unranked(ev, "dataset add");

    assert_int_equal(edit_apply(ev->m, &rm, &res, NULL), SM_OK);
    edit_result_fini(&res);
    assert_null(model_name_rank(ev->m));
    assert_int_equal(scenario_check(ev, TODAY, NULL), SM_OK);
    assert_non_null(model_name_rank(ev->m));
    same_as_unranked(ev, "dataset remove");
    scenario_eval_free(ev);
}

/* The same op lines, stored as scenarios: scenario_eval_from (a copy of
 * the base's check taking the ops one by one) and scenario_change_set_from
 * give what scenario_eval / scenario_change_set give, for every prefix of
 * the list (global ops too), stacked on another scenario or not; and the
 * exact undo of an op (set, remove-placement, remove-flow) leaves what an
 * evaluation without it gives. */
static void
test_eval_from_undo(void **state)
{
    struct fx *fx = *state;
    static const char *const lines[] = {
        "set placement users@aws:us-east-1 encrypted false",
        "move orders aws:us-east-1 aws:eu-central-1",
        "add-flow orders@aws:eu-west-1 catalog@aws:us-east-1 etl f1",
        "set-mechanism f1 scc",
        "set flow f1 transit-encrypted false",
        "add-placement catalog aws:eu-west-1 backup",
        "set dataset catalog tier restricted",
        "remove-flow f1",
        "set placement catalog@aws:eu-west-1 region aws:us-east-1",
        "remove-placement orders@aws:eu-central-1",
        "set-subjects users EU,BR",
        "revoke-adequacy EU CH",
        "set placement users@aws:us-east-1 encrypted true",
        "retire-region aws:eu-west-1",
        "set-tier catalog public",
    };
    struct scenario lower = { "lower", "", "", 0, NULL, 0 };
    struct scenario upper = { "upper", "lower", "", 0, NULL, 0 };
    struct scenario_eval *base, *inc;
    struct check_change chg;
    SM_ERROR(err);
    int32_t lo, up;
    int undone = 0;

    assert_int_equal(model_add_scenario(fx->m, &lower, &lo, NULL), SM_OK);
    assert_int_equal(model_add_scenario(fx->m, &upper, &up, NULL), SM_OK);
    assert_int_equal(scenario_begin_base(fx->m, fx->rp, &base, NULL), SM_OK);
    assert_int_equal(scenario_check(base, TODAY, NULL), SM_OK);
    assert_int_equal(scenario_begin_checked(fx->m, base->res, "inc", &inc, NULL), SM_OK);
    /* the copy's findings are its own array, their strings the base's */
    assert_true(base->res->nfindings > 0);
    assert_int_equal(inc->res->nfindings, base->res->nfindings);
    assert_ptr_not_equal(inc->res->findings, base->res->findings);
    for (int32_t k = 0; k < base->res->nfindings; k++) {
        assert_ptr_equal(inc->res->findings[k].message, base->res->findings[k].message);
        assert_ptr_equal(inc->res->findings[k].why.v, base->res->findings[k].why.v);
    }
    /* scenario_diff narrows its findings to what check_update re-checked */
    assert_ptr_equal(inc->res_from, base->res);
    assert_false(inc->fkeys_all);
    for (size_t i = 0; i <= sizeof lines / sizeof *lines; i++) {
        struct scenario_eval *from = NULL, *full = NULL;
        struct scenario_change_set a, b;
        /* the first ops go into lower, the rest into upper (based on it) */
        const char *name = i % 2 || i > 7 ? "upper" : "lower";
        char buf[256], *argv[8];
        int argc = 0;

        /* the prefix so far, through the checked start and the fresh way */
        if (scenario_eval_from(fx->m, base->res, name, &from, &err) != SM_OK)
            fail_msg("%s: %s", name, err.msg);
        full = eval_ok(fx, name);
        assert_false(from->stale);
        same_check(from->res, full->res, name);
        assert_int_equal(from->nops, full->nops);
        assert_int_equal(from->nstranded, full->nstranded);
        assert_int_equal(from->nstranded_keys, full->nstranded_keys);
        same_diff(base, from, fx->m);
        assert_int_equal(scenario_change_set_from(fx->m, base->res, name, &a, NULL), SM_OK);
        assert_int_equal(scenario_change_set(fx->m, fx->rp, name, NULL, TODAY, &b, NULL), SM_OK);
        assert_ptr_equal(a.before->res, base->res);
        assert_int_equal(a.after->borrowed, i == 0);
        if (i == 0) {
            /* no ops: both sides are the base's model and check, the diff
             * is empty without comparing (scenario_diff's shortcut), as the
             * full comparison of b's separate evaluation finds */
            assert_ptr_equal(a.after->m, a.before->m);
            assert_ptr_equal(a.after->res, a.before->res);
            assert_int_equal(a.diff->nfindings, 0);
            assert_int_equal(a.diff->nchanges, 0);
            assert_ptr_not_equal(b.after->res, b.before->res);
            assert_int_equal(b.diff->nfindings, 0);
            assert_int_equal(b.diff->nchanges, 0);
        }
        same_check(a.after->res, b.after->res, name);
        assert_memory_equal(a.diff->count, b.diff->count, sizeof a.diff->count);
        assert_int_equal(a.diff->nfindings, b.diff->nfindings);
        assert_memory_equal(a.diff->findings, b.diff->findings,
                            sizeof *a.diff->findings * (size_t)a.diff->nfindings);
        assert_int_equal(a.diff->nchanges, b.diff->nchanges);
        scenario_change_set_fini(&a);
        scenario_change_set_fini(&b);
        scenario_eval_free(from);
        scenario_eval_free(full);
        if (i == sizeof lines / sizeof *lines)
            break;

        argc = words(lines[i], buf, sizeof buf, argv);
        /* the next op goes into a stored scenario and the incremental
         * evaluation, which also takes it back and again */
        assert_int_equal(model_scenario_append(fx->m, i < 7 ? lo : up, argc,
                                               (const char *const *)argv, NULL), SM_OK);
        if (scenario_apply_check(inc, argc, (const char *const *)argv, &chg, &err))
            fail_msg("%s: %s", lines[i], err.msg);
        check_change_fini(&chg);
        if (i == 0) {
            /* one copy re-checked: the diff is narrowed, and equals the whole one */
            assert_false(inc->fkeys_all);
            assert_true(inc->nfkeys > 0);
            same_diff(base, inc, fx->m);
        }
        if (strncmp(lines[i], "revoke", 6) == 0)
            assert_true(inc->fkeys_all);    /* a full check: every finding compared */
        assert_int_equal(scenario_can_undo(inc),
                         strncmp(lines[i], "set ", 4) == 0 || strncmp(lines[i], "remove-", 7) == 0);
        if (scenario_can_undo(inc)) {
            struct scenario_eval *prev;
            int32_t n = inc->nops;
            assert_int_equal(scenario_undo_last(inc, NULL, &chg, &err), SM_OK);
            check_change_fini(&chg);
            if (inc->stale)
                assert_int_equal(scenario_check(inc, TODAY, NULL), SM_OK);
            assert_int_equal(inc->nops, n - 1);
            assert_int_equal(scenario_begin(fx->m, fx->rp, "prev", &prev, NULL), SM_OK);
            for (int32_t k = 0; k < inc->nops; k++)
                assert_int_equal(scenario_apply(prev, (int)inc->ops[k].n, inc->ops[k].v, NULL),
                                 SM_OK);
            assert_int_equal(scenario_check(prev, TODAY, NULL), SM_OK);
            same_check(inc->res, prev->res, lines[i]);
            same_diff(base, inc, fx->m);
            scenario_eval_free(prev);
            undone++;
            if (scenario_apply_check(inc, argc, (const char *const *)argv, &chg, &err))
                fail_msg("%s again: %s", lines[i], err.msg);
            check_change_fini(&chg);
        }
        {
            struct scenario_eval *now;
            assert_int_equal(scenario_begin(fx->m, fx->rp, "now", &now, NULL), SM_OK);
            for (int32_t k = 0; k < inc->nops; k++)
                assert_int_equal(scenario_apply(now, (int)inc->ops[k].n, inc->ops[k].v, NULL),
                                 SM_OK);
            assert_int_equal(scenario_check(now, TODAY, NULL), SM_OK);
            same_check(inc->res, now->res, lines[i]);
            scenario_eval_free(now);
        }
    }
    assert_true(undone >= 7);
    {
        /* a copy of a check is a check: every field */
        struct check_result *c = NULL;
        assert_int_equal(scenario_result_clone(base->res, fx->m, &c), SM_OK);
        same_check(c, base->res, "clone");
        assert_int_equal(c->nexpired, base->res->nexpired);
        assert_int_equal(c->today, base->res->today);
        assert_ptr_equal(c->rp, base->res->rp);
        check_result_free(c);
    }
    scenario_eval_free(inc);
    scenario_eval_free(base);
}

/* A shared copy (scenario_model_share) is the model: same objects and
 * lookups, its strings the base's; edits of the copy (attributes, copies
 * and flows added and removed, a region) leave the base as it was, and the
 * copy and the base are freed apart. */
static void
test_model_share(void **state)
{
    struct fx *fx = *state;
    struct model *c = NULL, *k = NULL;
    struct edit_result res;
    int32_t d = model_dataset(fx->m, "orders");
    struct edit set = { EDIT_SET, OBJ_DATASET, "orders", 1, { { "tier", "public" } } };
    struct edit add = { EDIT_ADD, OBJ_PLACEMENT, "orders@aws:eu-central-1", 1,
                        { { "role", "backup" } } };
    struct edit rm = { EDIT_REMOVE, OBJ_PLACEMENT, "orders@aws:us-east-1", 0, { { NULL, NULL } } };
    char a[4096], b[4096];

    assert_int_equal(model_clone(fx->m, &k), SM_OK);
    assert_int_equal(scenario_model_share(fx->m, &c), SM_OK);
    assert_int_equal(c->ndatasets, fx->m->ndatasets);
    assert_int_equal(c->nplacements, fx->m->nplacements);
    assert_int_equal(c->nflows, fx->m->nflows);
    assert_int_equal(c->nregions, fx->m->nregions);
    assert_ptr_equal(c->datasets[d].name, fx->m->datasets[d].name);
    assert_ptr_not_equal(c->datasets, fx->m->datasets);
    assert_int_equal(model_dataset(c, "orders"), d);
    assert_int_equal(model_region(c, "aws:eu-west-1"), model_region(fx->m, "aws:eu-west-1"));
    for (int32_t i = 0; i < fx->m->ndatasets; i++) {
        tl_describe(c, OBJ_DATASET, i, a, sizeof a);
        tl_describe(k, OBJ_DATASET, i, b, sizeof b);
        assert_string_equal(a, b);
    }
    tl_describe(fx->m, OBJ_DATASET, d, b, sizeof b);
    assert_int_equal(edit_apply(c, &set, &res, NULL), SM_OK);
    edit_result_fini(&res);
    assert_int_equal(edit_apply(c, &add, &res, NULL), SM_OK);
    edit_result_fini(&res);
    assert_int_equal(edit_apply(c, &rm, &res, NULL), SM_OK);
    edit_result_fini(&res);
    tl_describe(fx->m, OBJ_DATASET, d, a, sizeof a);
    assert_string_equal(a, b);
    assert_int_equal(fx->m->nplacements, k->nplacements);
    assert_int_not_equal(c->nplacements, fx->m->nplacements);
    assert_int_not_equal(model_placement(fx->m, "orders@aws:us-east-1"), SM_NONE);
    assert_int_equal(model_placement(c, "orders@aws:us-east-1"), SM_NONE);
    model_free(c);
    tl_describe(fx->m, OBJ_DATASET, d, a, sizeof a);
    assert_string_equal(a, b);
    model_free(k);
}

/* A shared copy of a shareable model (its arrays memory files): the copy
 * maps them privately (sm_big_is_shared) and is the model; edits of the
 * copy, adds that outgrow the room it had, leave the base as it was, object
 * by object; the base's own arrays are not shared copies. */
static void
test_model_share_pages(void **state)
{
    struct fx *fx = *state;
    struct model *c = NULL, *k = NULL;
    struct edit_result res;
    struct edit set = { EDIT_SET, OBJ_PLACEMENT, "fill.t0007@aws:eu-central-1", 1,
                        { { "encrypted", "false" } } };
    struct edit tier = { EDIT_SET, OBJ_DATASET, "fill.t3999", 1, { { "tier", "restricted" } } };
    struct edit rm = { EDIT_REMOVE, OBJ_PLACEMENT, "orders@aws:us-east-1", 0, { { NULL, NULL } } };
    char a[4096], b[4096], name[32];
    int32_t room;

    assert_true(sm_big_room(fx->m->datasets) >= SM_BIG_MIN);
    assert_false(sm_big_is_shared(fx->m->datasets));
    assert_int_equal(model_clone(fx->m, &k), SM_OK);
    assert_int_equal(scenario_model_share(fx->m, &c), SM_OK);
#ifdef __linux__
    assert_true(sm_big_is_shared(c->datasets));
    assert_true(sm_big_is_shared(c->placements));
#endif
    assert_ptr_not_equal(c->datasets, fx->m->datasets);
    assert_int_equal(c->ndatasets, fx->m->ndatasets);
    assert_true(c->cap_datasets >= c->ndatasets);
    assert_int_equal(model_dataset(c, "fill.t1234"), model_dataset(fx->m, "fill.t1234"));
    assert_int_equal(edit_apply(c, &set, &res, NULL), SM_OK);
    edit_result_fini(&res);
    assert_int_equal(edit_apply(c, &tier, &res, NULL), SM_OK);
    edit_result_fini(&res);
    assert_int_equal(edit_apply(c, &rm, &res, NULL), SM_OK);
    edit_result_fini(&res);
    /* datasets and copies past the room the copy was given: it grows */
    room = c->cap_datasets;
    for (int i = 0; c->ndatasets <= room; i++) {
        int32_t d;
        snprintf(name, sizeof name, "new.t%05d", i);
        d = add_dataset(c, name, "public", NULL);
        place(c, d, "aws:us-east-1", ROLE_PRIMARY);
    }
    assert_int_not_equal(model_dataset(c, "new.t00000"), SM_NONE);
    assert_int_equal(model_dataset(fx->m, "new.t00000"), SM_NONE);
    assert_int_equal(fx->m->ndatasets, k->ndatasets);
    assert_int_equal(fx->m->nplacements, k->nplacements);
    for (int32_t i = 0; i < k->ndatasets; i++) {
        tl_describe(fx->m, OBJ_DATASET, i, a, sizeof a);
        tl_describe(k, OBJ_DATASET, i, b, sizeof b);
        assert_string_equal(a, b);
    }
    for (int32_t i = 0; i < k->nplacements; i++) {
        tl_describe(fx->m, OBJ_PLACEMENT, i, a, sizeof a);
        tl_describe(k, OBJ_PLACEMENT, i, b, sizeof b);
        assert_string_equal(a, b);
    }
    tl_describe(c, OBJ_DATASET, model_dataset(c, "fill.t3999"), a, sizeof a);
    tl_describe(k, OBJ_DATASET, model_dataset(k, "fill.t3999"), b, sizeof b);
    assert_string_not_equal(a, b);
    model_free(c);
    tl_describe(fx->m, OBJ_DATASET, model_dataset(fx->m, "fill.t3999"), a, sizeof a);
    assert_string_equal(a, b);
    model_free(k);
}

/* ---- review: what scenario diff prints ------------------------------------------------ */

static int32_t
count_review(const struct scenario_review *rv, int32_t op, int status, const char *rule)
{
    int32_t n = 0;

    for (int32_t i = 0; i < rv->nfindings; i++)
        if (rv->findings[i].op == op && rv->findings[i].status == status &&
            (!rule || strcmp(rv->findings[i].rule, rule) == 0))
            n++;
    return n;
}

static const struct scenario_attr_change *
review_change(const struct scenario_review *rv, int32_t op, const char *attr)
{
    for (int32_t i = 0; i < rv->nchanges; i++)
        if (rv->changes[i].op == op && rv->changes[i].c.attr &&
            strcmp(rv->changes[i].c.attr, attr) == 0)
            return &rv->changes[i].c;
    return NULL;
}

/* Each op is charged with exactly what it did on the model the ops before
 * it left: a move's fixes under the move, a retire's RES004 under the
 * retire (not the op before it), and attribute values before and after. */
static void
test_review_attribution(void **state)
{
    struct fx *fx = *state;
    struct scenario_review *rv;
    const struct scenario_attr_change *ch;
    SM_ERROR(err);
    int32_t s = add_scenario(fx->m, "s", "");

    add_op(fx->m, s, "move orders aws:us-east-1 aws:eu-central-1");
    add_op(fx->m, s, "set-tier catalog restricted");
    add_op(fx->m, s, "retire-region aws:eu-west-1");
    if (scenario_review(fx->m, fx->rp, "s", NULL, TODAY, &rv, &err) != SM_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(rv->nops, 3);
    assert_false(rv->whole_only);
    /* op 0, the move: the replica's RES001 fixed there, its region changed */
    assert_true(count_review(rv, 0, REVIEW_FIXED, "RES001") >= 1);
    assert_int_equal(count_review(rv, 0, REVIEW_NEW, NULL), 0);
    ch = review_change(rv, 0, "region");
    assert_non_null(ch);
    assert_string_equal(ch->before, "aws:us-east-1");
    assert_string_equal(ch->after, "aws:eu-central-1");
    /* op 1, set-tier: "~ tier: public -> restricted", no RES004 */
    ch = review_change(rv, 1, "tier");
    assert_non_null(ch);
    assert_string_equal(ch->before, "public");
    assert_string_equal(ch->after, "restricted");
    assert_int_equal(count_review(rv, 1, REVIEW_NEW, "RES004"), 0);
    /* op 2, retire: orders' primary must move, RES004 new under it */
    assert_true(count_review(rv, 2, REVIEW_NEW, "RES004") >= 1);
    {
        bool must_move = false;
        for (int32_t i = 0; i < rv->nchanges; i++)
            if (rv->changes[i].op == 2 && rv->changes[i].c.sign == '!' &&
                rv->changes[i].c.obj == OBJ_PLACEMENT &&
                strcmp(rv->changes[i].c.selector, "orders@aws:eu-west-1") == 0)
                must_move = !rv->changes[i].resolved;
        assert_true(must_move);
    }
    /* the header's counts are the whole's, and match the two checks */
    {
        struct scenario_eval *b, *a;
        assert_int_equal(scenario_eval(fx->m, fx->rp, NULL, TODAY, &b, NULL), SM_OK);
        assert_int_equal(scenario_eval(fx->m, fx->rp, "s", TODAY, &a, NULL), SM_OK);
        for (int sv = 0; sv < SEV_COUNT; sv++) {
            assert_int_equal(rv->before[sv], b->res->stats.count[sv]);
            assert_int_equal(rv->after[sv], a->res->stats.count[sv]);
            assert_int_equal(rv->count[REVIEW_NEW][sv] + rv->count[REVIEW_KEPT][sv],
                             rv->after[sv]);
            assert_int_equal(rv->count[REVIEW_FIXED][sv] + rv->count[REVIEW_KEPT][sv],
                             rv->before[sv]);
        }
        scenario_eval_free(b);
        scenario_eval_free(a);
    }
    assert_true(rv->changed);
    scenario_review_free(rv);
}

/* Against its base, only the scenario's own ops; another scenario is
 * compared whole; an empty scenario changes nothing. */
static void
test_review_base_and_empty(void **state)
{
    struct fx *fx = *state;
    struct scenario_review *rv;
    SM_ERROR(err);
    int32_t law = add_scenario(fx->m, "law", ""), fix = add_scenario(fx->m, "law-fix", "law");

    add_scenario(fx->m, "empty", "");
    add_op(fx->m, law, "revoke-adequacy EU US");
    add_op(fx->m, fix, "move users aws:us-east-1 aws:eu-west-1");
    if (scenario_review(fx->m, fx->rp, "law-fix", "law", TODAY, &rv, &err) != SM_OK)
        fail_msg("%s", err.msg);
    assert_true(rv->other_is_base);
    assert_int_equal(rv->start, 1);
    assert_int_equal(rv->nops, 1);
    assert_string_equal(rv->ops[0].argv.v[0], "move");
    scenario_review_free(rv);
    if (scenario_review(fx->m, fx->rp, "law", "law-fix", TODAY, &rv, &err) != SM_OK)
        fail_msg("%s", err.msg);
    assert_true(rv->whole_only);
    assert_int_equal(rv->nops, 0);
    assert_true(rv->changed);
    scenario_review_free(rv);
    if (scenario_review(fx->m, fx->rp, "empty", NULL, TODAY, &rv, &err) != SM_OK)
        fail_msg("%s", err.msg);
    assert_false(rv->changed);
    assert_int_equal(rv->nchanges, 0);
    for (int sv = 0; sv < SEV_COUNT; sv++) {
        assert_int_equal(rv->count[REVIEW_NEW][sv], 0);
        assert_int_equal(rv->count[REVIEW_FIXED][sv], 0);
    }
    scenario_review_free(rv);
}

/* Issue case: EU data moved to Russia to satisfy Russian law. The XFR001
 * on the moved copy is about EU -> RU, another finding than the copy's
 * RU -> DE one: it is new, never "changed". */
static void
test_review_new_not_changed(void **state)
{
    struct fx *fx = *state;
    struct region r;
    struct scenario_review *rv;
    SM_ERROR(err);
    int32_t d, s;

    model_region_init(&r);
    r.id = "yandex:ru-central1";
    r.provider = "yandex";
    r.code = "ru-central1";
    r.country = sm_cc("RU");
    r.operator_home = sm_cc("RU");
    r.kind = REGION_CLOUD;
    assert_int_equal(model_add_region(fx->m, &r, NULL, NULL), SM_OK);
    d = add_dataset(fx->m, "mixed", "restricted", "EU,RU");
    place(fx->m, d, "aws:eu-central-1", ROLE_PRIMARY);
    s = add_scenario(fx->m, "to-ru", "");
    add_op(fx->m, s, "move mixed aws:eu-central-1 yandex:ru-central1");
    if (scenario_review(fx->m, fx->rp, "to-ru", NULL, TODAY, &rv, &err) != SM_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(count_review(rv, 0, REVIEW_FIXED, "RES003"), 1);
    {
        bool eu_to_ru = false;
        for (int32_t i = 0; i < rv->nfindings; i++)
            if (rv->findings[i].op == 0 && rv->findings[i].status == REVIEW_NEW &&
                strcmp(rv->findings[i].rule, "XFR001") == 0 &&
                strstr(rv->findings[i].jurisdictions, "RU"))
                eu_to_ru = true;
        assert_true(eu_to_ru);
    }
    assert_true(rv->count[REVIEW_NEW][SEV_ERROR] >= 1);
    scenario_review_free(rv);
}

/* The attribute diff alone: + and - with what the object is, ~ per attribute. */
static void
test_attr_diff(void **state)
{
    struct fx *fx = *state;
    struct scenario_eval *ev;
    struct scenario_attr_diff *d;
    const char *add[] = { "add-placement", "orders", "aws:eu-central-1", "replica" };
    const char *rm[] = { "remove-placement", "users@aws:us-east-1" };
    const char *tier[] = { "set-tier", "catalog", "confidential" };
    bool plus = false, minus = false, tilde = false;

    assert_int_equal(scenario_begin(fx->m, fx->rp, "x", &ev, NULL), SM_OK);
    assert_int_equal(scenario_apply(ev, 4, add, NULL), SM_OK);
    assert_int_equal(scenario_apply(ev, 2, rm, NULL), SM_OK);
    assert_int_equal(scenario_apply(ev, 3, tier, NULL), SM_OK);
    assert_int_equal(scenario_attr_diff(fx->m, ev->m, fx->m, &d, NULL), SM_OK);
    assert_int_equal(d->n, 3);
    for (int32_t i = 0; i < d->n; i++) {
        const struct scenario_attr_change *c = &d->v[i];
        if (c->sign == '+') {
            plus = strcmp(c->selector, "orders@aws:eu-central-1") == 0 &&
                   strstr(c->after, "replica") && strstr(c->after, "encrypted");
        } else if (c->sign == '-') {
            minus = strcmp(c->selector, "users@aws:us-east-1") == 0 && c->before;
        } else if (c->sign == '~') {
            tilde = strcmp(c->attr, "tier") == 0 && strcmp(c->before, "public") == 0 &&
                    strcmp(c->after, "confidential") == 0;
        }
    }
    assert_true(plus);
    assert_true(minus);
    assert_true(tilde);
    scenario_attr_diff_free(d);
    /* a model against itself: nothing */
    assert_int_equal(scenario_attr_diff(fx->m, fx->m, fx->m, &d, NULL), SM_OK);
    assert_int_equal(d->n, 0);
    scenario_attr_diff_free(d);
    scenario_eval_free(ev);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_format),
        cmocka_unit_test(test_one_quoting_rule),
        cmocka_unit_test_setup_teardown(test_base_has_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move, setup, teardown),
        cmocka_unit_test_setup_teardown(test_placements, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tier_and_subjects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tier_policy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flow_ops_stacked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_adequacy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_regions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retired_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set, setup, teardown),
        cmocka_unit_test_setup_teardown(test_diff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delta_kept_links, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delta, setup, teardown),
        cmocka_unit_test_setup_teardown(test_apply_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eval_from_undo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_model_share, setup, teardown),
        cmocka_unit_test_setup_teardown(test_model_share, setup_shareable, teardown),
        cmocka_unit_test_setup_teardown(test_model_share_pages, setup_shareable, teardown),
        cmocka_unit_test_setup_teardown(test_apply_check, setup_shareable, teardown),
        cmocka_unit_test_setup_teardown(test_eval_from_undo, setup_shareable, teardown),
        cmocka_unit_test_setup_teardown(test_name_rank_kept, setup_shareable, teardown),
        cmocka_unit_test_setup_teardown(test_review_attribution, setup, teardown),
        cmocka_unit_test_setup_teardown(test_review_base_and_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_review_new_not_changed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attr_diff, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
