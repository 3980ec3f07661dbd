/*
 * test_fix.c - one list for fixes: the kind of fix each rule admits
 * (rule_fixes[] in rules.h) and the targets on each finding (struct
 * finding_fix), which the planner and the TUI's quick fix read instead of
 * the hint's English. The hint must name exactly what the targets hold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "check.h"
#include "model_json.h"
#include "plan.h"
#include "refdata.h"
#include "rulepack.h"
#include "rules.h"
#include "scenario.h"

#define TODAY 20261126

/* Every rule has a kind of fix; exactly those a person must fix say why. */
static void
test_rule_table(void **state)
{
    const char *why;

    (void)state;
    for (int r = 0; r < RULE_COUNT; r++) {
        assert_true(rule_fixes[r] <= FIX_NONE);
        assert_int_equal(rule_fixes[r] == FIX_NONE, rule_no_fix[r] != NULL);
        assert_int_equal(rules_fix(rule_names[r], &why), rule_fixes[r]);
        assert_ptr_equal(why, rule_no_fix[r]);
    }
    assert_int_equal(rules_fix("RES001", NULL), FIX_MOVE_OR_MECH);
    assert_int_equal(rules_fix("ENC002", NULL), FIX_KEY);
    assert_int_equal(rules_fix("LIN001", NULL), FIX_TIER);
    /* classifying a dataset is a person's decision (planner and TUI agree) */
    assert_int_equal(rules_fix("CLS001", &why), FIX_NONE);
    assert_non_null(strstr(why, "a person must classify it"));
    /* a custom rule: nothing known, no reason */
    assert_int_equal(rules_fix("ORG-CUSTOM-1", &why), FIX_NONE);
    assert_null(why);
    assert_int_equal(rules_fix(NULL, &why), FIX_NONE);
    assert_null(why);
}

/* Is word a whole word of text (bounded by start, end, blank or ,;()). */
static const char *
word_at(const char *text, const char *word, const char *from)
{
    size_t n = strlen(word);

    for (const char *p = strstr(from, word); p; p = strstr(p + 1, word)) {
        bool left = p == text || strchr(" ,;(", p[-1]);
        bool right = !p[n] || strchr(" ,;).", p[n]);
        if (left && right)
            return p;
    }
    return NULL;
}

static struct model *
demo_model(void)
{
    struct model *m = model_new();
    SM_ERROR(err);
    size_t len;
    char *text = tl_slurp(tl_path(tl_datadir(), "demo/demo.json"), &len);

    assert_non_null(m);
    assert_non_null(text);
    if (refdata_load_regions(tl_datadir(), m, &err) ||
        model_json_read(text, len, "demo.json", m, &err))
        fail_msg("%s", err.msg);
    free(text);
    return m;
}

static const struct finding *
find(const struct check_result *r, const char *rule, const char *sel)
{
    for (int32_t i = 0; i < r->nfindings; i++)
        if (strcmp(r->findings[i].rule, rule) == 0 && strcmp(r->findings[i].selector, sel) == 0)
            return &r->findings[i];
    fail_msg("no finding %s %s", rule, sel);
    return NULL;
}

/* On the demo, every target a finding carries is named by its hint, in the
 * hint's order; and each kind of target occurs. */
static void
test_targets_are_the_hints(void **state)
{
    struct model *m = demo_model();
    struct check_result *r = tl_check(m);
    int regions = 0, mechs = 0, masks = 0, tiers = 0;

    (void)state;
    assert_true(r->nfindings > 0);
    for (int32_t i = 0; i < r->nfindings; i++) {
        const struct finding *f = &r->findings[i];
        const char *at = f->hint;
        for (int k = 0; k < 2; k++) {
            if (f->fix.region[k] == SM_NONE)
                continue;
            assert_true(f->fix.region[k] >= 0 && f->fix.region[k] < m->nregions);
            at = word_at(f->hint, m->regions[f->fix.region[k]].id, at);
            if (!at)
                fail_msg("%s %s: region %s not in hint \"%s\"", f->rule, f->selector,
                         m->regions[f->fix.region[k]].id, f->hint);
            regions++;
        }
        at = f->hint;
        for (size_t k = 0; k < sizeof f->fix.mech && f->fix.mech[k] != MECH_NONE; k++) {
            at = word_at(f->hint, mechanism_names[f->fix.mech[k]], at);
            if (!at)
                fail_msg("%s %s: mechanism %s not in hint \"%s\"", f->rule, f->selector,
                         mechanism_names[f->fix.mech[k]], f->hint);
            mechs++;
        }
        if (f->fix.mask && *f->fix.mask) {
            char buf[512], *save = NULL;
            snprintf(buf, sizeof buf, "%s", f->fix.mask);
            assert_int_equal(f->kind, OBJ_FLOW);
            for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
                if (!word_at(f->hint, w, f->hint))
                    fail_msg("%s %s: field %s not in hint \"%s\"", f->rule, f->selector, w, f->hint);
            masks++;
        }
        if (f->fix.tier != SM_NONE) {
            assert_non_null(word_at(f->hint, m->tiers[f->fix.tier].name, f->hint));
            tiers++;
        }
    }
    assert_true(regions > 0);
    assert_true(mechs > 0);
    assert_true(masks > 0);
    assert_true(tiers > 0);

    /* Known cases of the demo (doc/rules.md). */
    const struct finding *f = find(r, "XFR001", "audience-export");
    assert_int_equal(f->fix.mech[0], MECH_SCC);
    assert_int_equal(f->fix.mech[1], MECH_BCR);
    assert_int_equal(f->fix.mech[2], MECH_DEROGATION);
    assert_int_equal(f->fix.mech[3], MECH_CONSENT);
    assert_int_equal(f->fix.mech[4], MECH_NONE);
    assert_string_equal(f->fix.mask, "email full_name phone birth_date");
    assert_int_equal(f->fix.region[0], SM_NONE);
    f = find(r, "RES002", "backup_snapshots_eu@aws:sa-east-1");
    assert_int_equal(f->fix.region[0], model_region(m, "aws:eu-north-1"));
    assert_int_equal(f->fix.region[1], model_region(m, "aws:eu-south-1"));
    assert_null(f->fix.mask);
    f = find(r, "ENC002", "fleet_drivers_eu@aws:eu-central-1");
    assert_int_equal(f->fix.region[0], model_region(m, "aws:eu-central-1"));
    assert_int_equal(f->fix.region[1], model_region(m, "aws:eu-north-1"));
    check_result_free(r);
    model_free(m);
}

/* An untiered dataset fed restricted personal data: CLS001 names the floor
 * ("at least restricted") as its target, yet the planner leaves it to a
 * person, with the table's reason, even when the pack makes it an error. */
static void
test_cls001_is_a_persons_decision(void **state)
{
    struct model *m = tl_small_model();
    struct rulepack *rp = NULL;
    SM_ERROR(err);
    struct scenario_eval *ev;
    struct plan *p;
    int32_t src, dst, ps, pd;
    bool listed = false;

    (void)state;
    src = tl_add_dataset(m, "orders", "restricted", "EU", NULL);
    {
        int32_t fid;
        assert_int_equal(model_add_field(m, src, "email", &fid, NULL), SM_OK);
        assert_int_equal(model_add_tag(m, src, fid, "pii.email", "", "", "", NULL, NULL), SM_OK);
    }
    dst = tl_add_dataset(m, "orders_copy", NULL, "EU", NULL);
    ps = tl_add_copy(m, src, "aws:eu-west-1", ROLE_PRIMARY, NULL);
    pd = tl_add_copy(m, dst, "aws:eu-west-1", ROLE_PRIMARY, NULL);
    tl_add_flow(m, "copy-orders", ps, pd, SM_NONE, FLOW_ETL, NULL, NULL);

    assert_int_equal(rulepack_load(tl_datadir(), "default", &rp, &err), SM_OK);
    rp->rules[RULE_CLS001].severity = SEV_ERROR;
    if (scenario_eval(m, rp, NULL, TODAY, &ev, &err) != SM_OK)
        fail_msg("%s", err.msg);
    const struct check_result *r = ev->res;
    const struct finding *f = find(r, "CLS001", "orders_copy");
    assert_int_equal(f->fix.tier, model_tier(m, "restricted"));
    assert_non_null(strstr(f->hint, "at least restricted"));
    if (plan_make(ev, NULL, &p, &err) != SM_OK)
        fail_msg("%s", err.msg);
    for (int32_t i = 0; i < p->nunfixed; i++)
        if (strcmp(p->unfixed[i].rule, "CLS001") == 0) {
            assert_string_equal(p->unfixed[i].selector, "orders_copy");
            assert_string_equal(p->unfixed[i].reason, rule_no_fix[RULE_CLS001]);
            listed = true;
        }
    assert_true(listed);
    plan_free(p);
    scenario_eval_free(ev);
    rulepack_free(rp);
    model_free(m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_table),
        cmocka_unit_test(test_targets_are_the_hints),
        cmocka_unit_test(test_cls001_is_a_persons_decision),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
