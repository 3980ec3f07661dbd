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
    r.operator_home = strcmp(prov, "ionos") == 0 ? sm_cc("DE")
                      : strcmp(prov, "yandex") == 0 ? sm_cc("RU") : sm_cc("US");
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
    SM_ERROR(err);

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

static struct plan_options
popts(int prefer, int32_t big_group)
{
    struct plan_options o;

    plan_options_init(&o);
    o.prefer = prefer;
    o.big_group = big_group;
    return o;
}

static struct plan *
plan_ok(struct fx *fx, const struct plan_options *opt, struct scenario_eval **evout)
{
    struct scenario_eval *ev;
    struct plan *p;
    SM_ERROR(err);

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
    /* nothing in the copy's country (US) or bloc is allowed: the dataset's
     * home (the primary's country) comes next; a region already holding a
     * copy of the dataset is skipped. orders: home IE holds the primary,
     * so the same provider: aws:eu-central-1 (a region in use) before
     * aws:eu-west-3. users: home DE, ionos:de-fra before any aws region. */
    assert_string_equal(step(p, 0, buf, sizeof buf),
                        "move orders aws:us-east-1/replica aws:eu-central-1");
    assert_non_null(strstr(p->steps[0].why, "orders@aws:us-east-1"));
    assert_string_equal(step(p, 1, buf, sizeof buf),
                        "move users aws:us-east-1/backup ionos:de-fra");
    assert_int_equal(errors_after_replay(fx, p), 0);
    plan_free(p);
}

static void
test_preferences(void **state)
{
    struct fx *fx = *state;
    struct plan_options opt = popts(PLAN_SAME_COUNTRY, 0);
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
    struct plan_options opt = popts(PLAN_SAME_PROVIDER, 0);
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
    struct plan_options opt = popts(PLAN_SAME_PROVIDER, 0);
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
    struct plan_options whole = popts(PLAN_SAME_PROVIDER, 0);
    struct plan_options parts = popts(PLAN_SAME_PROVIDER, 1);
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
    SM_ERROR(err);
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


/* ---- the cases -------------------------------------------------------- */

/* "RULE|kind|object|jurisdictions" of every live finding at or above sev. */
static char **
finding_keys(const struct check_result *r, int sev, int32_t *n)
{
    char **v = calloc((size_t)r->nfindings + 1, sizeof *v);

    assert_non_null(v);
    *n = 0;
    for (int32_t i = 0; i < r->nfindings; i++) {
        const struct finding *f = &r->findings[i];
        char buf[2048];
        if (f->waived || f->severity < sev)
            continue;
        bool where = strncmp(f->rule, "RES", 3) == 0 || strncmp(f->rule, "XFR", 3) == 0;
        /* the same finding: rule, object, and for RES/XFR the jurisdictions
         * (doc/scenarios.md) */
        snprintf(buf, sizeof buf, "%s|%d|%ld|%s|%s", f->rule, (int)f->kind, (long)f->object,
                 where && f->jurisdictions ? f->jurisdictions : "",
                 f->object >= 0 ? "" : (f->selector ? f->selector : ""));
        v[(*n)++] = strdup(buf);
    }
    return v;
}

static void
free_keys(char **v, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Replay the plan on start's model (and its retired regions) from scratch:
 * the number of live findings at or above sev that start had not, and the
 * errors left in *errors. The first new one is printed. */
static int32_t
new_after_replay(const struct scenario_eval *start, const struct plan *p, int sev,
                 int32_t *errors)
{
    struct scenario_eval *ev;
    SM_ERROR(err);
    char **kb, **ka;
    int32_t nb, na, nnew = 0;

    assert_int_equal(scenario_begin(start->m, start->rp, "replay", &ev, NULL), SM_OK);
    for (int32_t k = 0; k < start->nretired; k++) {
        const char *op[] = { "retire-region", start->m->regions[start->retired[k]].id };
        assert_int_equal(scenario_apply(ev, 2, op, NULL), SM_OK);
    }
    for (int32_t i = 0; i < p->nsteps; i++)
        if (scenario_apply(ev, (int)p->steps[i].op.n, p->steps[i].op.v, &err) != SM_OK)
            fail_msg("step %d does not apply: %s", (int)i + 1, err.msg);
    assert_int_equal(scenario_check(ev, TODAY, NULL), SM_OK);
    kb = finding_keys(start->res, sev, &nb);
    ka = finding_keys(ev->res, sev, &na);
    for (int32_t i = 0; i < na; i++) {
        bool had = false;
        for (int32_t k = 0; k < nb && !had; k++)
            had = strcmp(ka[i], kb[k]) == 0;
        /* a to-do the plan lists (XFR003: a mechanism it relies on, declared
         * by a step or already there, needs its reference) is announced,
         * not hidden: the plan's own list of new findings must name it */
        for (int32_t s = 0; s < p->nnews && !had; s++)
            had = strncmp(ka[i], "XFR003|", 7) == 0 && p->news[s].todo &&
                  strcmp(p->news[s].rule, "XFR003") == 0;
        if (!had && nnew++ == 0)
            print_message("new after the plan: %s\n", ka[i]);
    }
    if (errors)
        *errors = ev->res->stats.count[SEV_ERROR];
    free_keys(kb, nb);
    free_keys(ka, na);
    scenario_eval_free(ev);
    return nnew;
}

static bool
has_unfixed(const struct plan *p, const char *rule, const char *sel, const char *reason_part)
{
    for (int32_t i = 0; i < p->nunfixed; i++)
        if (strcmp(p->unfixed[i].rule, rule) == 0 && strcmp(p->unfixed[i].selector, sel) == 0 &&
            (!reason_part || strstr(p->unfixed[i].reason, reason_part)))
            return true;
    return false;
}

/* Issue case 1: EU and RU subjects in one dataset. Moving the primary to
 * Russia fixes RES003 but puts EU data in Russia (XFR001): the plan must
 * not trade one violation for another, and says the regimes conflict. */
static void
test_conflicting_regimes(void **state)
{
    struct fx *fx = *state;
    struct scenario_eval *ev;
    struct plan *p;
    int32_t d;

    add_region(fx->m, "yandex:ru-central1", "RU");
    d = add_dataset(fx->m, "mixed", "restricted", "EU,RU");
    place(fx->m, d, "aws:eu-central-1", ROLE_PRIMARY);
    p = plan_ok(fx, NULL, &ev);
    for (int32_t i = 0; i < p->nsteps; i++)
        for (uint32_t k = 0; k < p->steps[i].op.n; k++)
            assert_null(strstr(p->steps[i].op.v[k], "yandex"));
    assert_true(has_unfixed(p, "RES003", "mixed", "EU and RU subjects in one dataset"));
    assert_true(has_unfixed(p, "RES003", "mixed", "split the dataset"));
    assert_int_equal(new_after_replay(ev, p, SEV_WARNING, NULL), 0);
    plan_free(p);
    scenario_eval_free(ev);
}

/* Issue case 3: the in-country replica becomes the primary (one op). */
static void
test_role_swap(void **state)
{
    struct fx *fx = *state;
    struct scenario_eval *ev;
    struct plan *p;
    char buf[256];
    int32_t d, errors;

    add_region(fx->m, "yandex:ru-central1", "RU");
    d = add_dataset(fx->m, "ru", "confidential", "RU");
    place(fx->m, d, "aws:eu-central-1", ROLE_PRIMARY);
    place(fx->m, d, "yandex:ru-central1", ROLE_REPLICA);
    p = plan_ok(fx, NULL, &ev);
    assert_true(p->nsteps >= 1);
    assert_string_equal(step(p, 0, buf, sizeof buf), "promote ru@yandex:ru-central1");
    assert_false(has_unfixed(p, "RES003", "ru", NULL));
    assert_int_equal(new_after_replay(ev, p, SEV_WARNING, &errors), 0);
    assert_int_equal(errors, p->errors_after);
    plan_free(p);
    scenario_eval_free(ev);

    /* --keep-primaries: no promotion, and the plan says why */
    {
        struct plan_options o = popts(PLAN_NEAREST, 0);
        o.keep_primaries = true;
        p = plan_ok(fx, &o, NULL);
        for (int32_t i = 0; i < p->nsteps; i++)
            assert_string_not_equal(p->steps[i].op.v[0], "promote");
        assert_true(has_unfixed(p, "RES003", "ru", "--keep-primaries"));
        plan_free(p);
    }
}

/* Issue case 4: the pack's org policy denies regions: the planner never
 * targets them, and no copy is moved twice (no op undone by a later one). */
static void
test_org_policy(void **state)
{
    struct fx *fx = *state;
    const char *deny[] = { "aws:eu-west-*", "ionos:*" };
    struct sm_strv saved = fx->rp->deny_regions;
    struct scenario_eval *ev;
    struct plan *p;
    char buf[256];
    int32_t d;

    fx->rp->deny_regions.v = deny;
    fx->rp->deny_regions.n = 2;
    d = add_dataset(fx->m, "orders", "restricted", "EU");
    place(fx->m, d, "aws:eu-central-1", ROLE_PRIMARY);
    place(fx->m, d, "aws:us-east-1", ROLE_REPLICA);
    p = plan_ok(fx, NULL, &ev);
    /* home DE holds the primary or is ionos (denied); aws:eu-west-* is
     * denied: azure:westeurope, in one op */
    assert_int_equal(p->nsteps, 1);
    assert_string_equal(step(p, 0, buf, sizeof buf),
                        "move orders aws:us-east-1/replica azure:westeurope");
    assert_int_equal(p->errors_after, 0);
    assert_int_equal(new_after_replay(ev, p, SEV_WARNING, NULL), 0);
    plan_free(p);
    scenario_eval_free(ev);
    fx->rp->deny_regions = saved;
}

/* Issue case 2: nearest to where the copy is, mechanisms before moves. */
static void
test_nearest_and_mechanisms(void **state)
{
    struct fx *fx = *state;
    struct plan_options o = popts(PLAN_NEAREST, 0);
    struct scenario_eval *ev;
    SM_ERROR(err);
    struct plan *p;
    char buf[256];
    int32_t d, s;
    const char *op[] = { "retire-region", "aws:us-east-1" };

    add_region(fx->m, "aws:us-east-2", "US");
    /* public data leaving a retired US region stays in the US */
    d = add_dataset(fx->m, "catalog", "public", NULL);
    place(fx->m, d, "aws:eu-west-1", ROLE_PRIMARY);
    place(fx->m, d, "aws:us-east-1", ROLE_REPLICA);
    {
        struct scenario sc;
        memset(&sc, 0, sizeof sc);
        sc.name = "leave-virginia";
        assert_int_equal(model_add_scenario(fx->m, &sc, &s, NULL), SM_OK);
        assert_int_equal(model_scenario_append(fx->m, s, 2, op, NULL), SM_OK);
    }
    if (scenario_eval(fx->m, fx->rp, "leave-virginia", TODAY, &ev, &err) != SM_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(plan_make(ev, &o, &p, &err), SM_OK);
    assert_int_equal(p->nsteps, 1);
    assert_string_equal(step(p, 0, buf, sizeof buf),
                        "move catalog aws:us-east-1/replica aws:us-east-2");
    plan_free(p);
    scenario_eval_free(ev);

    /* confidential data may stay abroad under SCCs: kept in place by
     * default, moved with prefer_moves (nearest: the home country DE) */
    d = add_dataset(fx->m, "users", "confidential", "EU");
    place(fx->m, d, "aws:eu-central-1", ROLE_PRIMARY);
    place(fx->m, d, "aws:us-east-2", ROLE_REPLICA);
    p = plan_ok(fx, &o, &ev);
    assert_int_equal(p->nsteps, 1);
    assert_string_equal(step(p, 0, buf, sizeof buf), "set-mechanism users@aws:us-east-2 scc");
    assert_non_null(strstr(p->steps[0].why, "kept in place"));
    assert_int_equal(new_after_replay(ev, p, SEV_WARNING, NULL), 0);
    plan_free(p);
    scenario_eval_free(ev);
    o.prefer_moves = true;
    p = plan_ok(fx, &o, NULL);
    assert_int_equal(p->nsteps, 1);
    assert_string_equal(step(p, 0, buf, sizeof buf),
                        "move users aws:us-east-2/replica ionos:de-fra");
    plan_free(p);
    /* --pin users: the copy stays, a mechanism is still fine */
    {
        const char *pins[] = { "users" };
        o.pins = pins;
        o.npins = 1;
        p = plan_ok(fx, &o, NULL);
        assert_int_equal(p->nsteps, 1);
        assert_string_equal(step(p, 0, buf, sizeof buf), "set-mechanism users@aws:us-east-2 scc");
        plan_free(p);
        o.pins = NULL;
        o.npins = 0;
    }
    /* --same-provider and --avoid-regions */
    {
        int32_t avoid[1] = { model_region(fx->m, "aws:eu-west-1") };
        o.same_provider = true;
        o.avoid = avoid;
        o.navoid = 1;
        p = plan_ok(fx, &o, NULL);
        assert_int_equal(p->nsteps, 1);
        assert_string_equal(step(p, 0, buf, sizeof buf),
                            "move users aws:us-east-2/replica aws:eu-west-3");
        plan_free(p);
    }
    /* a primary of EU data abroad goes home to the EEA, not to an adequate
     * country of the same provider already in use (Tokyo) */
    add_region(fx->m, "aws:ap-northeast-1", "JP");
    d = add_dataset(fx->m, "jp-cache", "public", NULL);
    place(fx->m, d, "aws:ap-northeast-1", ROLE_PRIMARY);
    d = add_dataset(fx->m, "crm", "confidential", "EU");
    place(fx->m, d, "aws:us-east-2", ROLE_PRIMARY);
    {
        struct plan_options m = popts(PLAN_NEAREST, 0);
        bool moved = false;
        m.prefer_moves = true;
        p = plan_ok(fx, &m, NULL);
        for (int32_t i = 0; i < p->nsteps; i++)
            if (strcmp(p->steps[i].op.v[0], "move") == 0 &&
                strcmp(p->steps[i].op.v[1], "crm") == 0) {
                moved = true;
                assert_string_not_equal(p->steps[i].op.v[3], "aws:ap-northeast-1");
                assert_non_null(strstr(p->steps[i].op.v[3], "aws:eu-"));
            }
        assert_true(moved);
        plan_free(p);
    }
}


/* Issue case 5: warnings count. A flow not encrypted in transit (ENC003, a
 * warning) into a copy in the wrong place: the copy still moves (the same
 * warning on the same flow is not new when its end moves), the summary's
 * warning counts are the checker's, and nothing new appears. */
static void
test_warnings_counted(void **state)
{
    struct fx *fx = *state;
    struct scenario_eval *ev, *after;
    struct plan *p;
    struct flow f;
    int32_t d, a, b;

    d = add_dataset(fx->m, "orders", "restricted", "EU");
    a = place(fx->m, d, "aws:eu-west-1", ROLE_PRIMARY);
    b = place(fx->m, d, "aws:us-east-1", ROLE_REPLICA);
    model_flow_init(&f);
    f.from = a;
    f.to = b;
    f.kind = FLOW_REPLICATION;
    f.transit_encrypted = 0;
    assert_int_equal(model_add_flow(fx->m, &f, NULL, NULL), SM_OK);
    p = plan_ok(fx, NULL, &ev);
    assert_true(p->before[SEV_WARNING] >= 1);
    assert_int_equal(p->errors_after, 0);
    assert_int_equal(new_after_replay(ev, p, SEV_WARNING, NULL), 0);
    assert_int_equal(p->nnews, 0);
    /* the counts printed are those of a check of the plan's model */
    assert_int_equal(scenario_begin(fx->m, fx->rp, "replay", &after, NULL), SM_OK);
    for (int32_t i = 0; i < p->nsteps; i++)
        assert_int_equal(scenario_apply(after, (int)p->steps[i].op.n, p->steps[i].op.v, NULL),
                         SM_OK);
    assert_int_equal(scenario_check(after, TODAY, NULL), SM_OK);
    for (int sv = 0; sv < SEV_COUNT; sv++) {
        assert_int_equal(p->before[sv], ev->res->stats.count[sv]);
        assert_int_equal(p->after[sv], after->res->stats.count[sv]);
    }
    scenario_eval_free(after);
    plan_free(p);
    scenario_eval_free(ev);
}

/* ---- the property: on generated models, every plan is a proof ------------------ */

static uint32_t
rnd(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fff;
}

static void
test_generated_models(void **state)
{
    struct fx *fx = *state;
    static const char *const regions[] = {
        "aws:eu-west-1", "aws:eu-central-1", "aws:us-east-1", "aws:eu-west-3",
        "azure:westeurope", "ionos:de-fra", "yandex:ru-central1", "aws:us-east-2",
        "aws:ap-northeast-1",
    };
    static const char *const tiers[] = { "restricted", "confidential", "public", NULL };
    static const char *const subjects[] = { "EU", "RU", "EU,RU", "BR", "EU,BR", NULL };
    static const char *const denies[] = { "aws:us-*", "ionos:*", "aws:eu-west-3", "azure:*" };
    static const int roles[] = { ROLE_REPLICA, ROLE_BACKUP, ROLE_DR };
    const int nreg = (int)(sizeof regions / sizeof *regions);
    uint32_t seed = 20261126u;
    long ops = 0, fixed = 0, models = 0, unfixed = 0, dropped = 0;
    struct model *base = fx->m;
    struct sm_strv saved = fx->rp->deny_regions;

    add_region(base, "yandex:ru-central1", "RU");
    add_region(base, "aws:us-east-2", "US");
    add_region(base, "aws:ap-northeast-1", "JP");
    for (int it = 0; it < 200; it++) {
        struct model *m = NULL;
        struct scenario_eval *ev;
        struct plan_options o = popts(PLAN_NEAREST, 0);
        const char *deny[2], *pins[1];
        char names[8][16];
        struct plan *p;
        SM_ERROR(err);
        int nd = 2 + (int)(rnd(&seed) % 5), ndeny = (int)(rnd(&seed) % 3);
        int32_t ids[8], errors;

        assert_int_equal(model_clone(base, &m), SM_OK);
        for (int k = 0; k < ndeny; k++)
            deny[k] = denies[rnd(&seed) % 4];
        fx->rp->deny_regions.v = deny;
        fx->rp->deny_regions.n = (uint32_t)ndeny;
        for (int i = 0; i < nd; i++) {
            int np = 1 + (int)(rnd(&seed) % 3);
            snprintf(names[i], sizeof names[i], "ds%d", i);
            ids[i] = add_dataset(m, names[i], tiers[rnd(&seed) % 4], subjects[rnd(&seed) % 6]);
            for (int k = 0; k < np; k++) {
                struct placement pl;
                model_placement_init(&pl);
                pl.dataset = ids[i];
                pl.region = model_region(m, regions[rnd(&seed) % (uint32_t)nreg]);
                pl.role = (uint8_t)(k == 0 ? ROLE_PRIMARY : roles[rnd(&seed) % 3]);
                pl.encrypted = rnd(&seed) % 4 != 0;
                pl.key_region = rnd(&seed) % 3 ? pl.region
                                : model_region(m, regions[rnd(&seed) % (uint32_t)nreg]);
                (void)model_add_placement(m, &pl, NULL, NULL);  /* a clash is skipped */
            }
        }
        /* flows between primaries: lineage and transfers */
        for (int k = 0; k < nd - 1; k++) {
            struct flow f;
            int32_t a = model_primary(m, ids[k]), b = model_primary(m, ids[k + 1]);
            if (a == SM_NONE || b == SM_NONE || rnd(&seed) % 2)
                continue;
            model_flow_init(&f);
            f.from = a;
            f.to = b;
            f.kind = rnd(&seed) % 2 ? FLOW_ETL : FLOW_REPLICATION;
            f.transit_encrypted = rnd(&seed) % 3 != 0;
            f.mechanism = (uint8_t)(rnd(&seed) % 4 == 0 ? MECH_SCC : MECH_NONE);
            (void)model_add_flow(m, &f, NULL, NULL);
        }
        o.npins = 0;
        if (rnd(&seed) % 3 == 0)
            pins[o.npins++] = names[rnd(&seed) % (uint32_t)nd];
        o.pins = pins;
        o.keep_primaries = rnd(&seed) % 5 == 0;
        /* one model in four is planned per neighbourhood (as a big group
         * is): the final whole-model proof must catch what that misses */
        o.big_group = it % 4 == 3 ? 1 : 0;
        if (scenario_eval(m, fx->rp, NULL, TODAY, &ev, &err) != SM_OK)
            fail_msg("%s", err.msg);
        if (plan_make(ev, &o, &p, &err) != SM_OK)
            fail_msg("%s", err.msg);
        /* the property: nothing new at or above warning, replayed from scratch */
        if (new_after_replay(ev, p, SEV_WARNING, &errors) != 0)
            fail_msg("model %d: the plan brings a new finding", it);
        assert_int_equal(errors, p->errors_after);
        assert_true(p->lower_bound <= p->nsteps);
        for (int32_t i = 0; i < p->nsteps; i++) {
            const struct plan_step *st = &p->steps[i];
            /* never into a denied region; pinned copies never move */
            if (strcmp(st->op.v[0], "move") == 0) {
                assert_true(rules_region_allowed(fx->rp, st->op.v[3], NULL));
                for (int32_t k = 0; k < o.npins; k++)
                    assert_string_not_equal(st->op.v[1], pins[k]);
                if (o.keep_primaries)
                    assert_null(strstr(st->op.v[2], "/primary"));
            }
            if (o.keep_primaries)
                assert_string_not_equal(st->op.v[0], "promote");
            /* minimal: no copy moved on again by a later op */
            for (int32_t k = i + 1; k < p->nsteps && strcmp(st->op.v[0], "move") == 0; k++) {
                const struct plan_step *sk = &p->steps[k];
                size_t len = strlen(st->op.v[3]);
                if (strcmp(sk->op.v[0], "move") == 0 && strcmp(sk->op.v[1], st->op.v[1]) == 0 &&
                    strncmp(sk->op.v[2], st->op.v[3], len) == 0 &&
                    (sk->op.v[2][len] == '\0' || sk->op.v[2][len] == '/'))
                    fail_msg("model %d: %s moved twice (ops %d and %d)", it, st->op.v[1],
                             (int)i + 1, (int)k + 1);
            }
        }
        /* every error left is listed, with a reason */
        assert_int_equal(p->nunfixed, p->errors_after);
        for (int32_t i = 0; i < p->nunfixed; i++)
            assert_true(p->unfixed[i].reason && *p->unfixed[i].reason);
        ops += p->nsteps;
        dropped += p->dropped;
        fixed += p->errors_before - p->errors_after;
        unfixed += p->errors_after;
        models++;
        plan_free(p);
        scenario_eval_free(ev);
        model_free(m);
    }
    fx->rp->deny_regions = saved;
    assert_int_equal(models, 200);
    assert_true(fixed > 0);
    print_message("planned %ld generated models: %ld ops fixed %ld errors (%.2f ops per fixed "
                  "error), %ld errors left with a reason, %ld steps dropped by the final "
                  "proof\n", models, ops, fixed, (double)ops / (double)fixed, unfixed, dropped);
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
        cmocka_unit_test_setup_teardown(test_conflicting_regimes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_role_swap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_org_policy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nearest_and_mechanisms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_warnings_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_generated_models, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
