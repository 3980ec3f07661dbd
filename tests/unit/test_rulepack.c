/*
 * test_rulepack.c - loading rule packs: the shipped default, user packs
 * with overrides and custom rules, and bad packs with file:line:column
 * messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "rulepack.h"
#include "rules.h"

static const char *
write_pack(const char *name, const char *text)
{
    const char *path = tl_path(tl_tmpdir(), name);
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void
load_fails(const char *name, const char *text, const char *want)
{
    struct rulepack *rp = NULL;
    SM_ERROR(e);
    const char *path = write_pack(name, text);
    char full[600];

    assert_int_not_equal(rulepack_load(tl_datadir(), path, &rp, &e), SM_OK);
    assert_null(rp);
    snprintf(full, sizeof full, "%s:%s", path, want);
    assert_string_equal(e.msg, full);
}

static void
test_default_pack(void **state)
{
    struct rulepack *rp;
    SM_ERROR(e);
    int32_t g, us = -1;

    (void)state;
    if (rulepack_load(tl_datadir(), "default", &rp, &e))
        fail_msg("%s", e.msg);
    assert_string_equal(rp->name, "default");
    assert_int_equal(rp->nregimes, 24);
    g = rules_regime(rp, "GDPR");
    assert_int_not_equal(g, SM_NONE);
    assert_int_equal(rules_regime_of(rp, sm_cc("EU")), g);
    assert_int_equal(rules_regime_of(rp, sm_cc("DE")), g);
    assert_int_equal(rules_regime_of(rp, sm_cc("NO")), g);
    assert_int_equal(rules_regime_of(rp, sm_cc("GB")), rules_regime(rp, "UK_GDPR"));
    assert_int_equal(rules_regime_of(rp, sm_cc("CH")), rules_regime(rp, "FADP"));
    assert_int_equal(rules_regime_of(rp, sm_cc("BR")), rules_regime(rp, "LGPD"));
    assert_int_equal(rules_regime_of(rp, sm_cc("MX")), SM_NONE);
    /* The EEA, not the EU 27: Norway in, Switzerland out. */
    assert_true(sm_ccset_has(&rp->regimes[g].free_flow, sm_cc("NO")));
    assert_false(sm_ccset_has(&rp->regimes[g].free_flow, sm_cc("CH")));
    /* 30 EEA states and the 7 EU territory codes (Reunion is EEA territory) */
    assert_int_equal(sm_ccset_count(&rp->regimes[g].free_flow), 37);
    assert_true(sm_ccset_has(&rp->regimes[g].free_flow, sm_cc("RE")));
    assert_false(sm_ccset_has(&rp->regimes[g].free_flow, sm_cc("GL")));
    assert_string_equal(rp->regimes[g].area, "EEA");
    for (int32_t k = 0; k < rp->regimes[g].nadequacy; k++)
        if (rp->regimes[g].adequacy[k].cc == sm_cc("US"))
            us = k;
    assert_int_not_equal(us, -1);
    assert_true(rp->regimes[g].adequacy[us].partial);
    assert_int_equal(rp->regimes[g].adequacy[us].condition, ADQ_DPF);
    assert_int_equal(rp->regimes[g].adequacy[us].since, 20230710);
    assert_true(rp->regimes[g].mechanisms & (1u << MECH_SCC));
    assert_true(rp->regimes[rules_regime(rp, "RU_152FZ")].hard_localization);
    /* revFADP Art 17(1)(a): express consent is one of the listed exceptions */
    assert_true(rp->regimes[rules_regime(rp, "FADP")].mechanisms & (1u << MECH_CONSENT));
    assert_int_equal(rp->regimes[rules_regime(rp, "DPDP")].transfer, XFER_RULE_BLACKLIST);
    assert_int_equal(rp->ntiers, 3);
    assert_string_equal(rp->tiers[0].name, "restricted");
    assert_int_equal(rp->tiers[0].scope, SCOPE_BLOC);
    assert_int_equal(rp->tiers[1].scope, SCOPE_ADEQUATE);
    assert_int_equal(rp->tiers[2].scope, SCOPE_GLOBAL);
    assert_false(rp->tiers[2].personal);
    assert_int_equal(rp->tiers[0].retention_max_days, 3650);
    assert_int_equal(rp->personal_tags.n, 3);
    assert_int_equal(rp->rules[RULE_ENC003].severity, SEV_WARNING);
    assert_int_equal(rp->rules[RULE_XFR001].severity, SEV_ERROR);
    /* no org policy by default: China data must be able to live in aws-cn
     * (PIPL localization) without the pack denying it */
    assert_int_equal(rp->deny_regions.n, 0);
    assert_int_equal(rp->allow_regions.n, 0);
    assert_true(rules_region_allowed(rp, "aws-cn:cn-north-1", NULL));
    assert_true(rules_region_allowed(rp, "aws:eu-west-1", NULL));
    rulepack_free(rp);
}

static void
test_user_pack(void **state)
{
    struct rulepack *rp;
    SM_ERROR(e);
    int32_t g;
    const char *path = write_pack("org.json",
        "{\n"
        "  \"name\": \"acme\",\n"
        "  \"personal_tags\": [\"gdpr\"],\n"
        "  \"tiers\": [{\"name\": \"secret\", \"rank\": 9, \"personal\": true, \"scope\": \"approved\",\n"
        "             \"approved_regions\": [\"aws:eu-west-1\"], \"sovereign\": true}],\n"
        "  \"policy\": {\"allow_regions\": [\"aws:eu-*\"], \"deny_regions\": [\"aws:eu-south-1\"],\n"
        "             \"advisory\": true},\n"
        "  \"rules\": {\"CLS001\": {\"severity\": \"error\", \"advisory\": false, \"enabled\": false}},\n"
        "  \"regimes\": {\"revoke\": [[\"EU\", \"US\"], [\"UK_GDPR\", \"KR\"]]},\n"
        "  \"custom\": [{\"id\": \"ORG001\", \"severity\": \"error\", \"message\": \"no owner\",\n"
        "              \"sql\": \"SELECT name FROM v_dataset WHERE owner = ''\"}]\n"
        "}\n");

    (void)state;
    if (rulepack_load(tl_datadir(), path, &rp, &e))
        fail_msg("%s", e.msg);
    assert_string_equal(rp->name, "acme");
    assert_string_equal(rp->personal_tags.v[0], "gdpr");
    assert_int_equal(rp->ntiers, 1);
    assert_int_equal(rp->tiers[0].scope, SCOPE_APPROVED);
    assert_int_equal(rp->tiers[0].backup_scope, SCOPE_APPROVED);    /* defaults to scope */
    assert_int_equal(rp->tiers[0].key_scope, SCOPE_GLOBAL);
    assert_true(rp->tiers[0].sovereign);
    assert_string_equal(rp->tiers[0].approved.v[0], "aws:eu-west-1");
    assert_true(rules_region_allowed(rp, "aws:eu-west-1", NULL));
    assert_false(rules_region_allowed(rp, "aws:eu-south-1", NULL));
    assert_false(rules_region_allowed(rp, "aws:us-east-1", NULL));
    assert_true(rp->rules[RULE_RES001].advisory);
    assert_int_equal(rules_severity(rp, RULE_RES001), SEV_INFO);
    /* policy.advisory wins over the rule's own "advisory": false */
    assert_true(rp->rules[RULE_CLS001].advisory);
    assert_false(rp->rules[RULE_CLS001].enabled);
    assert_int_equal(rp->rules[RULE_CLS001].severity, SEV_ERROR);
    assert_int_equal(rules_severity(rp, RULE_CLS001), SEV_INFO);
    g = rules_regime(rp, "GDPR");
    for (int32_t k = 0; k < rp->regimes[g].nadequacy; k++)
        assert_int_equal(rp->regimes[g].adequacy[k].revoked,
                         rp->regimes[g].adequacy[k].cc == sm_cc("US"));
    assert_int_equal(rp->ncustom, 1);
    assert_string_equal(rp->custom[0].id, "ORG001");
    assert_int_equal(rp->custom[0].severity, SEV_INFO);     /* advisory pack */
    assert_string_equal(rp->custom[0].message, "no owner");
    assert_string_equal(rp->custom[0].sql, "SELECT name FROM v_dataset WHERE owner = ''");
    rulepack_free(rp);
}

static void
test_bad_packs(void **state)
{
    (void)state;
    load_fails("syntax.json", "{\n  \"name\": \"x\",\n  \"tiers\": [\n}\n",
               "4:1: unexpected token near '}'");
    load_fails("scope.json",
               "{\n  \"tiers\": [\n    {\"name\": \"restricted\", \"rank\": 3,\n"
               "     \"scope\": \"blok\"}\n  ]\n}\n",
               "4:6: tiers[0].scope: unknown scope blok (use region, country, bloc, adequate, "
               "approved or global)");
    load_fails("rule.json", "{\n  \"rules\": {\n    \"RES999\": {}\n  }\n}\n",
               "3:5: unknown rule RES999");
    load_fails("sev.json", "{\"rules\": {\"ENC003\": {\"severity\": \"fatal\"}}}",
               "1:23: unknown severity fatal (use error, warning or info)");
    load_fails("custom.json", "{\"custom\": [{\"id\": \"RES001\", \"sql\": \"SELECT 1\"}]}",
               "1:20: custom rule RES001 reuses a built-in rule id");
    load_fails("revoke.json", "{\"regimes\": {\"revoke\": [[\"EU\", \"SG\"]]}}",
               "1:32: revoke EU SG: GDPR has no adequacy decision for SG");
    load_fails("array.json", "[1, 2]", "1:1: a rule pack is a JSON object");
    load_fails("tags.json", "{\"personal_tags\": []}",
               "1:2: personal_tags must name at least one tag prefix");
    {
        struct rulepack *rp = NULL;
        SM_ERROR(e);
        const char *path = write_pack("juris.json", "{\"jurisdictions\": \"nope.json\"}");
        assert_int_equal(rulepack_load(tl_datadir(), path, &rp, &e), SM_EIO);
        assert_non_null(strstr(e.msg, "/nope.json: No such file or directory"));
    }
    /* "jurisdictions" is a plain .json name in the data directory: no path
     * (a pack must not make sovmap read /dev/zero or /etc/passwd) */
    load_fails("jabs.json", "{\"jurisdictions\": \"/dev/zero\"}",
               "1:2: jurisdictions must be a file name ending in .json in the data "
               "directory (no '/' or '..')");
    load_fails("jrel.json", "{\n  \"jurisdictions\": \"../../../../etc/passwd\"\n}",
               "2:3: jurisdictions must be a file name ending in .json in the data "
               "directory (no '/' or '..')");
    load_fails("jdots.json", "{\"jurisdictions\": \"..json\"}",
               "1:2: jurisdictions must be a file name ending in .json in the data "
               "directory (no '/' or '..')");
    /* unknown top-level keys are errors, not ignored (an Atlas export is not a pack) */
    load_fails("atlas.json", "{\n  \"name\": \"x\",\n  \"entities\": []\n}\n",
               "3:3: unknown key \"entities\" (a rule pack has name, description, "
               "jurisdictions, personal_tags, tiers, policy, rules, regimes and custom)");
    load_fails("typo.json", "{\"tier\": []}",
               "1:2: unknown key \"tier\" (a rule pack has name, description, "
               "jurisdictions, personal_tags, tiers, policy, rules, regimes and custom)");
}

/* Only regular files are read, and only up to 64 MiB. */
static void
test_pack_files(void **state)
{
    struct rulepack *rp = NULL;
    SM_ERROR(e);
    const char *big = tl_path(tl_tmpdir(), "big.json");
    FILE *f;

    (void)state;
    assert_int_equal(rulepack_load(tl_datadir(), "/dev/zero", &rp, &e), SM_EIO);
    assert_string_equal(e.msg, "/dev/zero: not a regular file");
    assert_null(rp);
    assert_int_equal(rulepack_load(tl_datadir(), tl_tmpdir(), &rp, &e), SM_EIO);
    assert_non_null(strstr(e.msg, ": is a directory, not a file"));
    assert_non_null(f = fopen(big, "w"));
    assert_int_equal(fseek(f, (64L << 20) + 1, SEEK_SET), 0);
    fputc('}', f);
    fclose(f);
    assert_int_equal(rulepack_load(tl_datadir(), big, &rp, &e), SM_EIO);
    assert_non_null(strstr(e.msg, "big.json: larger than 64 MiB"));
    assert_null(rp);
    remove(big);
}

static void
test_unknown_pack(void **state)
{
    struct rulepack *rp = NULL;
    SM_ERROR(e);

    (void)state;
    assert_int_equal(rulepack_load(tl_datadir(), "nope", &rp, &e), SM_ENOTFOUND);
    assert_null(rp);
    assert_non_null(strstr(e.msg, "unknown rule pack nope"));
}

static void
test_seed_tiers(void **state)
{
    struct rulepack *rp;
    struct model *m = model_new(), *m2 = tl_small_model();
    SM_ERROR(e);

    (void)state;
    assert_int_equal(rulepack_load(tl_datadir(), "default", &rp, &e), SM_OK);
    assert_int_equal(rulepack_seed_tiers(rp, m, &e), SM_OK);
    assert_int_equal(m->ntiers, 3);
    assert_int_equal(m->tiers[model_tier(m, "restricted")].key_scope, SCOPE_BLOC);
    assert_true(m->tiers[model_tier(m, "confidential")].personal);
    assert_int_equal(rulepack_seed_tiers(rp, m, &e), SM_OK);   /* has tiers: unchanged */
    assert_int_equal(m->ntiers, 3);
    m2->tiers[0].scope = SCOPE_COUNTRY;
    assert_int_equal(rulepack_seed_tiers(rp, m2, &e), SM_OK);
    assert_int_equal(m2->tiers[0].scope, SCOPE_COUNTRY);
    model_free(m);
    model_free(m2);
    rulepack_free(rp);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_pack),
        cmocka_unit_test(test_user_pack),
        cmocka_unit_test(test_bad_packs),
        cmocka_unit_test(test_pack_files),
        cmocka_unit_test(test_unknown_pack),
        cmocka_unit_test(test_seed_tiers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
