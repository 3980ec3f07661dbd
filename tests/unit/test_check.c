/*
 * test_check.c - the residency checker, rule by rule: cases that fire and
 * cases that do not, each asserting the exact set of (rule, object)
 * findings, plus why chains, hints, waivers and the transfer register.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "check.h"
#include "lineage.h"
#include "rules.h"
#include "rulepack.h"

#define TODAY 20261126

struct fx {
    struct model *m;
    struct rulepack *rp;
    struct check_result *r;
};

static void
region(struct model *m, const char *id, const char *cc, const char *op, int global)
{
    struct region r;
    char prov[64];
    const char *colon = strchr(id, ':');

    model_region_init(&r);
    snprintf(prov, sizeof prov, "%.*s", colon ? (int)(colon - id) : (int)strlen(id), id);
    r.id = id;
    r.provider = prov;
    r.code = colon ? colon + 1 : id;
    r.country = cc ? sm_cc(cc) : SM_NONE;
    r.operator_home = op ? sm_cc(op) : SM_NONE;
    r.kind = global ? REGION_MULTI : REGION_CLOUD;
    assert_int_equal(model_add_region(m, &r, NULL, NULL), SM_OK);
    if (global) {
        int32_t id2 = model_region(m, id);
        assert_int_equal(model_set(m, OBJ_REGION, id2, "members", "*", NULL), SM_OK);
    }
}

static int
setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    SM_ERROR(e);

    fx->m = tl_small_model();
    /* tl_small_model has aws:eu-west-1 IE, aws:eu-central-1 DE, aws:us-east-1 US;
     * give them their provider for the hints. */
    for (int32_t r = 0; r < fx->m->nregions; r++)
        fx->m->regions[r].provider = "aws";
    region(fx->m, "onprem:osl-dc1", "NO", "NO", 0);
    region(fx->m, "azure:switzerlandnorth", "CH", "US", 0);
    region(fx->m, "aws:eu-west-2", "GB", "US", 0);
    region(fx->m, "aws:ap-southeast-1", "SG", "US", 0);
    region(fx->m, "aws:ca-central-1", "CA", "US", 0);
    region(fx->m, "yandex:ru-central1", "RU", "RU", 0);
    region(fx->m, "aws-cn:cn-north-1", "CN", "CN", 0);
    region(fx->m, "aws-eusc:eusc-de-east-1", "DE", "EU", 0);
    region(fx->m, "global", NULL, NULL, 1);
    if (rulepack_load(tl_datadir(), "default", &fx->rp, &e) != SM_OK)
        fail_msg("%s", e.msg);
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

static int32_t
dataset(struct model *m, const char *name, const char *tier, const char *subjects)
{
    struct dataset d;
    int32_t id;
    SM_ERROR(e);

    model_dataset_init(&d);
    d.name = name;
    d.tier = tier ? model_tier(m, tier) : SM_NONE;
    if (subjects)
        assert_int_equal(model_parse_subjects(subjects, d.subjects, &d.nsubjects, &e), SM_OK);
    if (model_add_dataset(m, &d, &id, &e))
        fail_msg("%s", e.msg);
    return id;
}

static void
field(struct model *m, int32_t d, const char *name, const char *tag)
{
    int32_t f;

    assert_int_equal(model_add_field(m, d, name, &f, NULL), SM_OK);
    if (tag)
        assert_int_equal(model_add_tag(m, d, f, tag, "", "", "", NULL, NULL), SM_OK);
}

static int32_t
place(struct model *m, int32_t d, const char *region, int role, int encrypted,
      const char *key_region, int mech)
{
    struct placement p;
    int32_t id;
    SM_ERROR(e);

    model_placement_init(&p);
    p.dataset = d;
    p.region = model_region(m, region);
    assert_int_not_equal(p.region, SM_NONE);
    p.role = (uint8_t)role;
    p.encrypted = (uint8_t)encrypted;
    p.key_region = key_region ? model_region(m, key_region) : SM_NONE;
    p.mechanism = (uint8_t)mech;
    p.mechanism_ref = mech ? "TIA-7" : "";
    if (model_add_placement(m, &p, &id, &e))
        fail_msg("%s", e.msg);
    return id;
}

static int32_t
flow(struct model *m, const char *name, int32_t from, int32_t to, const char *to_region,
     int kind, int mech, const char *xf, int transit, int32_t valid_to)
{
    struct flow f;
    int32_t id;
    SM_ERROR(e);

    model_flow_init(&f);
    f.name = name;
    f.from = from;
    f.to = to;
    f.to_region = to_region ? model_region(m, to_region) : SM_NONE;
    f.kind = (uint8_t)kind;
    f.mechanism = (uint8_t)mech;
    f.mechanism_ref = mech ? "TIA-7" : "";
    f.transit_encrypted = (uint8_t)transit;
    f.valid_to = valid_to;
    if (xf)
        assert_int_equal(model_parse_transforms(m, xf, &f.transforms, &f.ntransforms, &e), SM_OK);
    if (model_add_flow(m, &f, &id, &e))
        fail_msg("%s", e.msg);
    return id;
}

static void
run(struct fx *fx)
{
    SM_ERROR(e);

    check_result_free(fx->r);
    fx->r = NULL;
    if (check_run(fx->m, fx->rp, TODAY, &fx->r, &e) != SM_OK)
        fail_msg("%s", e.msg);
}

static int
strp_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The findings as sorted "RULE selector" lines joined by '\n' must equal
 * the expected lines (given in any order, NULL-terminated). */
static void
expect(struct fx *fx, ...)
{
    va_list ap;
    const char *want[64];
    char *got[256];
    int nw = 0, ng = 0;
    char a[4096] = "", b[4096] = "";

    va_start(ap, fx);
    for (const char *s; (s = va_arg(ap, const char *)); )
        want[nw++] = s;
    va_end(ap);
    for (int32_t k = 0; k < fx->r->nfindings && ng < 256; k++) {
        got[ng] = malloc(600);
        snprintf(got[ng], 600, "%s %s", fx->r->findings[k].rule, fx->r->findings[k].selector);
        ng++;
    }
    qsort(want, (size_t)nw, sizeof *want, strp_cmp);
    qsort(got, (size_t)ng, sizeof *got, strp_cmp);
    for (int k = 0; k < nw; k++)
        snprintf(a + strlen(a), sizeof a - strlen(a), "%s\n", want[k]);
    for (int k = 0; k < ng; k++) {
        snprintf(b + strlen(b), sizeof b - strlen(b), "%s\n", got[k]);
        free(got[k]);
    }
    if (strcmp(a, b)) {
        for (int32_t k = 0; k < fx->r->nfindings; k++) {
            const struct finding *f = &fx->r->findings[k];
            print_message("  %s %s: %s\n", f->rule, f->selector, f->message);
            for (uint32_t w = 0; w < f->why.n; w++)
                print_message("      - %s\n", f->why.v[w]);
        }
    }
    assert_string_equal(b, a);
}

static const struct finding *
find(struct fx *fx, const char *rule, const char *sel)
{
    for (int32_t k = 0; k < fx->r->nfindings; k++)
        if (strcmp(fx->r->findings[k].rule, rule) == 0 &&
            strcmp(fx->r->findings[k].selector, sel) == 0)
            return &fx->r->findings[k];
    fail_msg("no %s on %s", rule, sel);
    return NULL;
}

static bool
has_why(const struct finding *f, const char *text)
{
    for (uint32_t k = 0; k < f->why.n; k++)
        if (strstr(f->why.v[k], text))
            return true;
    return false;
}

/* A personal EU dataset with its primary in Ireland, encrypted, key in IE. */
static int32_t
eu_dataset(struct fx *fx, const char *name, const char *tier)
{
    int32_t d = dataset(fx->m, name, tier, "EU");

    field(fx->m, d, "email", "pii.email");
    field(fx->m, d, "name", "pii.name");
    field(fx->m, d, "sku", NULL);
    place(fx->m, d, "aws:eu-west-1", ROLE_PRIMARY, 1, "aws:eu-west-1", MECH_NONE);
    return d;
}

/* ---- scopes and transfers -------------------------------------------------- */

static void
test_clean_model(void **state)
{
    struct fx *fx = *state;

    run(fx);
    expect(fx, NULL);
    assert_int_equal(fx->r->ntransfers, 0);
}

static void
test_eu_in_norway_inside_eea(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "restricted");

    place(fx->m, d, "onprem:osl-dc1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
    run(fx);
    expect(fx, NULL);
    assert_int_equal(fx->r->ntransfers, 1);
    assert_int_equal(fx->r->transfers[0].from_cc, sm_cc("IE"));
    assert_int_equal(fx->r->transfers[0].to_cc, sm_cc("NO"));
    assert_string_equal(check_transfer_regime(fx->r, &fx->r->transfers[0]), "GDPR");
    assert_int_equal(fx->r->transfers[0].status, XFER_OK);
    assert_string_equal(check_transfer_basis(fx->r, &fx->r->transfers[0]), "inside the EEA");
}

/* A row's regime is a code: the regime's place among the pack's ids, so
 * the rows of one copy come in the order of their regimes' ids whatever
 * the pack's order (here GDPR and LGPD swapped in it), and each row reads
 * its own id back. Equal ids share a code; an empty id is no regime. */
static void
test_regime_codes(void **state)
{
    struct fx *fx = *state;
    int32_t g = rules_regime(fx->rp, "GDPR"), l = rules_regime(fx->rp, "LGPD"), d, us, n = 0;
    struct regime tmp, fake[4] = { { .id = "B" }, { .id = "A" }, { .id = "B" }, { .id = "" } };
    struct rulepack pack = { .regimes = fake, .nregimes = 4 };
    const char *ids[65], *seen[2] = { NULL, NULL };
    uint8_t code[64];

    check_regime_codes(&pack, ids, code);
    assert_string_equal(ids[0], "");
    assert_string_equal(ids[1], "A");
    assert_string_equal(ids[2], "B");
    assert_null(ids[3]);
    assert_int_equal(code[0], 2);
    assert_int_equal(code[1], 1);
    assert_int_equal(code[2], 2);
    assert_int_equal(code[3], 0);
    /* the shipped pack lists GDPR before LGPD: swapped, LGPD comes first */
    assert_true(g >= 0 && l > g);
    tmp = fx->rp->regimes[g];
    fx->rp->regimes[g] = fx->rp->regimes[l];
    fx->rp->regimes[l] = tmp;
    for (int cc = 0; cc < SM_CC_COUNT; cc++)
        if (fx->rp->regime_of[cc] == g || fx->rp->regime_of[cc] == l)
            fx->rp->regime_of[cc] = (int16_t)(fx->rp->regime_of[cc] == g ? l : g);
    check_regime_codes(fx->rp, ids, code);
    assert_string_equal(ids[code[g]], "LGPD");
    assert_string_equal(ids[code[l]], "GDPR");
    assert_true(code[l] < code[g]);
    d = dataset(fx->m, "orders", "restricted", "EU,BR");
    field(fx->m, d, "email", "pii.email");
    place(fx->m, d, "aws:eu-west-1", ROLE_PRIMARY, 1, "aws:eu-west-1", MECH_NONE);
    us = place(fx->m, d, "aws:us-east-1", ROLE_REPLICA, 1, "aws:us-east-1", MECH_SCC);
    run(fx);
    for (int32_t k = 0; k < fx->r->ntransfers; k++)
        if (fx->r->transfers[k].placement == us && n < 2)
            seen[n++] = check_transfer_regime(fx->r, &fx->r->transfers[k]);
    assert_int_equal(n, 2);
    assert_string_equal(seen[0], "GDPR");
    assert_string_equal(seen[1], "LGPD");
}

static void
test_eu_in_switzerland_and_uk_adequate(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "confidential");
    int32_t r = eu_dataset(fx, "profiles", "restricted");

    place(fx->m, d, "azure:switzerlandnorth", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
    place(fx->m, d, "aws:eu-west-2", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
    /* restricted = bloc: adequate is not enough for the tier, but lawful */
    place(fx->m, r, "aws:eu-west-2", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
    run(fx);
    expect(fx, "RES001 profiles@aws:eu-west-2", NULL);
    const struct finding *f = find(fx, "RES001", "profiles@aws:eu-west-2");
    assert_true(has_why(f, "GB is outside the EEA"));
    assert_int_equal(fx->r->ntransfers, 3);
    for (int32_t k = 0; k < fx->r->ntransfers; k++) {
        assert_int_equal(fx->r->transfers[k].status, XFER_OK);
        assert_int_equal(fx->r->transfers[k].mechanism, MECH_ADEQUACY);
    }
}

static void
test_eu_to_us_no_mechanism(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "confidential");

    place(fx->m, d, "aws:us-east-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
    run(fx);
    expect(fx, "RES001 orders@aws:us-east-1", "XFR002 orders@aws:us-east-1", NULL);
    const struct finding *f = find(fx, "XFR002", "orders@aws:us-east-1");
    assert_string_equal(f->jurisdictions, "EU -> US");
    assert_int_equal(f->severity, SEV_ERROR);
    assert_string_equal(f->why.v[0], "orders is confidential with EU subjects");
    assert_string_equal(f->why.v[1], "replica in aws:us-east-1 (US)");
    assert_string_equal(f->why.v[2], "US is outside the EEA");
    assert_true(has_why(f, "EU adequacy for US needs dpf"));
    assert_true(has_why(f, "declares no transfer mechanism"));
    assert_non_null(strstr(f->hint, "dpf"));
    f = find(fx, "RES001", "orders@aws:us-east-1");
    /* aws:eu-west-1 would rank first but holds the primary already */
    assert_string_equal(f->hint, "move the replica to aws:eu-central-1 or aws:ca-central-1");
    assert_int_equal(fx->r->ntransfers, 1);
    assert_int_equal(fx->r->transfers[0].status, XFER_VIOLATION);
    assert_true(fx->r->transfers[0].personal);
}

static void
test_eu_to_us_with_dpf_and_scc(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "confidential");
    int32_t e = eu_dataset(fx, "tickets", "confidential");

    place(fx->m, d, "aws:us-east-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_DPF);
    place(fx->m, e, "aws:us-east-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_SCC);
    run(fx);
    expect(fx, NULL);
    assert_int_equal(fx->r->ntransfers, 2);
    assert_int_equal(fx->r->transfers[0].mechanism, MECH_DPF);
    assert_int_equal(fx->r->transfers[1].mechanism, MECH_SCC);
}

static void
test_eu_to_singapore_no_adequacy(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "confidential");

    place(fx->m, d, "aws:ap-southeast-1", ROLE_CACHE, 1, "aws:eu-west-1", MECH_NONE);
    run(fx);
    expect(fx, "RES001 orders@aws:ap-southeast-1", "XFR001 orders@aws:ap-southeast-1", NULL);
    const struct finding *f = find(fx, "XFR001", "orders@aws:ap-southeast-1");
    assert_true(has_why(f, "no GDPR adequacy decision covers SG"));
    assert_string_equal(f->jurisdictions, "EU -> SG");
}

static void
test_expired_mechanism(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "confidential");
    int32_t p0 = model_primary(fx->m, d);
    int32_t p1 = place(fx->m, d, "aws:us-east-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);

    flow(fx->m, "orders-repl", p0, p1, NULL, FLOW_REPLICATION, MECH_SCC, NULL, 1, 20251231);
    run(fx);
    /* The explicit flow is the transfer: the finding is on it. */
    expect(fx, "RES001 orders@aws:us-east-1", "XFR002 orders-repl", NULL);
    const struct finding *f = find(fx, "XFR002", "orders-repl");
    assert_true(has_why(f, "expired on 2025-12-31: an expired mechanism counts as none"));
    /* Still valid: clean. */
    fx->m->flows[model_flow(fx->m, "orders-repl")].valid_to = 20271231;
    run(fx);
    expect(fx, NULL);
}

static void
test_flow_masks_some_fields(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "confidential");
    int32_t p0 = model_primary(fx->m, d);

    flow(fx->m, "partial", p0, SM_NONE, "aws:ap-southeast-1", FLOW_EXPORT, MECH_NONE,
         "mask email", 1, 0);
    flow(fx->m, "full", p0, SM_NONE, "aws:ap-southeast-1", FLOW_EXPORT, MECH_NONE,
         "mask email; drop name", 1, 0);
    flow(fx->m, "pseudo", p0, SM_NONE, "aws:ap-southeast-1", FLOW_EXPORT, MECH_NONE,
         "pseudonymize email name", 1, 0);
    flow(fx->m, "agg", p0, SM_NONE, "aws:ap-southeast-1", FLOW_EXPORT, MECH_NONE,
         "aggregate", 1, 0);
    run(fx);
    expect(fx, "XFR001 partial", "XFR001 pseudo", NULL);
    const struct finding *f = find(fx, "XFR001", "partial");
    assert_true(has_why(f, "still carries personal fields: name"));
    assert_non_null(strstr(f->hint, "mask or drop name"));
    f = find(fx, "XFR001", "pseudo");
    assert_true(has_why(f, "pseudonymized data is still personal data"));
    assert_false(fx->r->flow_personal[model_flow(fx->m, "full")]);
    assert_false(fx->r->flow_personal[model_flow(fx->m, "agg")]);
    assert_true(fx->r->flow_personal[model_flow(fx->m, "pseudo")]);
}

static void
test_personal_as_a_whole(void **state)
{
    struct fx *fx = *state;
    int32_t d = dataset(fx->m, "notes", "confidential", "EU");
    int32_t p0;

    field(fx->m, d, "text", NULL);
    p0 = place(fx->m, d, "aws:eu-west-1", ROLE_PRIMARY, 1, NULL, MECH_NONE);
    /* No tagged field: masking cannot remove the personal data. */
    flow(fx->m, "masked", p0, SM_NONE, "aws:ap-southeast-1", FLOW_EXPORT, MECH_NONE,
         "mask text", 1, 0);
    flow(fx->m, "anon", p0, SM_NONE, "aws:ap-southeast-1", FLOW_EXPORT, MECH_NONE,
         "anonymize", 1, 0);
    run(fx);
    expect(fx, "XFR001 masked", NULL);
}

static void
test_fields_carried(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "confidential");
    int32_t p0 = model_primary(fx->m, d);
    int32_t f = flow(fx->m, "skus", p0, SM_NONE, "aws:ap-southeast-1", FLOW_EXPORT, MECH_NONE,
                     NULL, 1, 0);
    SM_ERROR(e);

    /* Carrying only non-personal fields is not a personal transfer. */
    assert_int_equal(model_set(fx->m, OBJ_FLOW, f, "fields", "sku", &e), SM_OK);
    run(fx);
    expect(fx, NULL);
    assert_int_equal(model_set(fx->m, OBJ_FLOW, f, "fields", "sku,email", &e), SM_OK);
    run(fx);
    expect(fx, "XFR001 skus", NULL);
}

static void
test_key_outside_key_scope(void **state)
{
    struct fx *fx = *state;
    int32_t d = dataset(fx->m, "orders", "restricted", "EU");

    field(fx->m, d, "email", "pii.email");
    place(fx->m, d, "aws:eu-west-1", ROLE_PRIMARY, 1, "aws:us-east-1", MECH_NONE);
    place(fx->m, d, "aws:eu-central-1", ROLE_REPLICA, 1, "aws:eu-central-1", MECH_NONE);
    run(fx);
    expect(fx, "ENC002 orders@aws:eu-west-1", NULL);
    const struct finding *f = find(fx, "ENC002", "orders@aws:eu-west-1");
    assert_true(has_why(f, "held in aws:us-east-1 (US)"));
    assert_string_equal(f->hint, "hold the key in aws:eu-west-1 or aws:eu-central-1");
}

static void
test_encryption_at_rest(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "restricted");
    int32_t p = dataset(fx->m, "catalog", "public", NULL);

    place(fx->m, d, "aws:eu-central-1", ROLE_REPLICA, 0, NULL, MECH_NONE);
    place(fx->m, p, "aws:us-east-1", ROLE_PRIMARY, 0, NULL, MECH_NONE);
    run(fx);
    expect(fx, "ENC001 orders@aws:eu-central-1", NULL);
}

static void
test_transit_encryption(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "restricted");
    int32_t p0 = model_primary(fx->m, d);
    int32_t p1 = place(fx->m, d, "aws:eu-central-1", ROLE_REPLICA, 1, "aws:eu-central-1", MECH_NONE);
    int32_t pub = dataset(fx->m, "catalog", "public", NULL);
    int32_t q0 = place(fx->m, pub, "aws:eu-west-1", ROLE_PRIMARY, 0, NULL, MECH_NONE);
    int32_t q1 = place(fx->m, pub, "aws:us-east-1", ROLE_REPLICA, 0, NULL, MECH_NONE);

    flow(fx->m, "plain", p0, p1, NULL, FLOW_REPLICATION, MECH_NONE, NULL, 0, 0);
    flow(fx->m, "pub-plain", q0, q1, NULL, FLOW_REPLICATION, MECH_NONE, NULL, 0, 0);
    run(fx);
    expect(fx, "ENC003 plain", NULL);
    assert_int_equal(find(fx, "ENC003", "plain")->severity, SEV_WARNING);
    fx->m->flows[model_flow(fx->m, "plain")].transit_encrypted = 1;
    run(fx);
    expect(fx, NULL);
}

static void
test_backup_scope(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "restricted");

    place(fx->m, d, "aws:us-east-1", ROLE_BACKUP, 1, "aws:eu-west-1", MECH_SCC);
    place(fx->m, d, "aws:eu-central-1", ROLE_DR, 1, "aws:eu-west-1", MECH_NONE);
    run(fx);
    expect(fx, "RES002 orders@aws:us-east-1", NULL);
    assert_true(has_why(find(fx, "RES002", "orders@aws:us-east-1"), "US is outside the EEA"));
}

static void
test_hard_localization(void **state)
{
    struct fx *fx = *state;
    int32_t ru = dataset(fx->m, "ru_customers", "confidential", "RU");
    int32_t ok = dataset(fx->m, "ru_orders", "confidential", "RU");

    place(fx->m, ru, "aws:eu-central-1", ROLE_PRIMARY, 1, "yandex:ru-central1", MECH_NONE);
    place(fx->m, ok, "yandex:ru-central1", ROLE_PRIMARY, 1, "yandex:ru-central1", MECH_NONE);
    place(fx->m, ok, "aws:eu-central-1", ROLE_REPLICA, 1, "yandex:ru-central1", MECH_DEROGATION);
    run(fx);
    expect(fx, "RES003 ru_customers", "RES001 ru_customers@aws:eu-central-1",
           "XFR001 ru_customers@aws:eu-central-1", NULL);
    const struct finding *f = find(fx, "RES003", "ru_customers");
    assert_true(has_why(f, "RU_152FZ requires personal data of RU subjects to be stored in RU"));
    assert_string_equal(f->message, "ru_customers holds RU personal data but has no primary copy in RU");
}

static void
test_global_placement(void **state)
{
    struct fx *fx = *state;
    int32_t pub = dataset(fx->m, "catalog", "public", NULL);
    int32_t d = eu_dataset(fx, "orders", "restricted");

    place(fx->m, pub, "global", ROLE_PRIMARY, 0, NULL, MECH_NONE);
    place(fx->m, d, "global", ROLE_CACHE, 1, "aws:eu-west-1", MECH_NONE);
    run(fx);
    expect(fx, "RES001 orders@global", "XFR001 orders@global", NULL);
    const struct finding *f = find(fx, "XFR001", "orders@global");
    assert_string_equal(f->jurisdictions, "EU -> global");
    assert_true(has_why(f, "checked as the worst case"));
}

static void
test_org_policy(void **state)
{
    static const char *deny[] = { "aws-cn:*" };
    struct fx *fx = *state;
    int32_t pub = dataset(fx->m, "catalog", "public", NULL);

    place(fx->m, pub, "aws:eu-west-1", ROLE_PRIMARY, 0, NULL, MECH_NONE);
    place(fx->m, pub, "aws-cn:cn-north-1", ROLE_REPLICA, 0, NULL, MECH_NONE);
    /* the default pack denies nothing */
    run(fx);
    expect(fx, NULL);
    /* an org that denies the China partition */
    fx->rp->deny_regions = (struct sm_strv){ 1, deny };
    run(fx);
    expect(fx, "RES004 catalog@aws-cn:cn-north-1", NULL);
    assert_true(has_why(find(fx, "RES004", "catalog@aws-cn:cn-north-1"), "denies aws-cn:*"));
    fx->rp->deny_regions = (struct sm_strv){ 0, NULL };
}

/* PIPL: personal data of Chinese subjects must have its primary in China
 * (RES003); with the default pack a primary in aws-cn satisfies it and no
 * org policy contradicts the law. */
static void
test_china_localization(void **state)
{
    struct fx *fx = *state;
    int32_t a = dataset(fx->m, "cn_members", "confidential", "CN");
    int32_t b = dataset(fx->m, "cn_orders", "confidential", "CN");

    place(fx->m, a, "aws-cn:cn-north-1", ROLE_PRIMARY, 1, "aws-cn:cn-north-1", MECH_NONE);
    place(fx->m, b, "aws:ap-southeast-1", ROLE_PRIMARY, 1, "aws:ap-southeast-1", MECH_NONE);
    run(fx);
    for (int32_t k = 0; k < fx->r->nfindings; k++)
        assert_false(fx->r->findings[k].dataset == a);
    assert_non_null(find(fx, "RES003", "cn_orders"));
}

static void
test_sovereign_operator(void **state)
{
    struct fx *fx = *state;
    struct tier t;
    int32_t a, b;

    model_tier_init(&t);
    t.name = "sovereign";
    t.rank = 4;
    t.personal = 1;
    t.scope = t.backup_scope = t.key_scope = SCOPE_BLOC;
    t.sovereign = 1;
    assert_int_equal(model_add_tier(fx->m, &t, NULL, NULL), SM_OK);
    a = dataset(fx->m, "health", "sovereign", "EU");
    b = dataset(fx->m, "claims", "sovereign", "EU");
    place(fx->m, a, "aws:eu-west-1", ROLE_PRIMARY, 1, NULL, MECH_NONE);
    place(fx->m, b, "aws-eusc:eusc-de-east-1", ROLE_PRIMARY, 1, NULL, MECH_NONE);
    run(fx);
    expect(fx, "RES005 health@aws:eu-west-1", NULL);
    const struct finding *f = find(fx, "RES005", "health@aws:eu-west-1");
    assert_true(has_why(f, "run by an operator based in US"));
    /* Same country (DE) is not the primary's (IE): the EU operator ranks
     * by bloc, then the Norwegian on-prem site. */
    assert_string_equal(f->hint,
                        "move the primary to a sovereign region such as aws-eusc:eusc-de-east-1 or onprem:osl-dc1");
}

static void
test_partial_commercial_public_sector(void **state)
{
    struct fx *fx = *state;
    int32_t a = eu_dataset(fx, "orders", "confidential");
    int32_t b = eu_dataset(fx, "permits", "confidential");

    fx->m->datasets[b].public_sector = 1;
    place(fx->m, a, "aws:ca-central-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
    place(fx->m, b, "aws:ca-central-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
    run(fx);
    expect(fx, "RES001 permits@aws:ca-central-1", "XFR002 permits@aws:ca-central-1", NULL);
    assert_true(has_why(find(fx, "XFR002", "permits@aws:ca-central-1"),
                        "covers commercial recipients only"));
}

static void
test_revoked_adequacy(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "confidential");

    place(fx->m, d, "azure:switzerlandnorth", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
    assert_int_equal(rules_revoke(fx->rp, "EU", "CH", true, NULL), SM_OK);
    run(fx);
    expect(fx, "RES001 orders@azure:switzerlandnorth", "XFR002 orders@azure:switzerlandnorth", NULL);
    assert_true(has_why(find(fx, "XFR002", "orders@azure:switzerlandnorth"),
                        "EU adequacy for CH is revoked"));
    assert_int_equal(rules_revoke(fx->rp, "GDPR", "CH", false, NULL), SM_OK);
    run(fx);
    expect(fx, NULL);
    assert_int_equal(rules_revoke(fx->rp, "EU", "SG", true, NULL), SM_ENOTFOUND);
}

static void
test_classification(void **state)
{
    struct fx *fx = *state;
    int32_t a = dataset(fx->m, "raw_events", NULL, NULL);
    int32_t b = dataset(fx->m, "leads", "public", NULL);

    place(fx->m, a, "aws:eu-west-1", ROLE_PRIMARY, 0, NULL, MECH_NONE);
    field(fx->m, b, "phone", "pii.phone");
    place(fx->m, b, "aws:eu-west-1", ROLE_PRIMARY, 0, NULL, MECH_NONE);
    run(fx);
    expect(fx, "CLS001 raw_events", "CLS002 leads", NULL);
    assert_int_equal(find(fx, "CLS001", "raw_events")->severity, SEV_WARNING);
    assert_string_equal(find(fx, "CLS002", "leads")->message,
                        "leads has personal fields (phone) but tier public is not for personal data");
}

static int
count_findings(const struct fx *fx, const char *rule, const char *sel)
{
    int n = 0;

    for (int32_t k = 0; k < fx->r->nfindings; k++)
        n += strcmp(fx->r->findings[k].rule, rule) == 0 &&
             strcmp(fx->r->findings[k].selector, sel) == 0;
    return n;
}

/* CLS003: one info finding per tag resting on an expired classification,
 * naming the dataset or field, the tag, the day and the file; none for a
 * live tag; a waiver on the dataset hides them; the date is the tag's own
 * (the provenance text alone says nothing to the checker). */
static void
test_expired_classification(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "cards", "restricted");
    int32_t e = eu_dataset(fx, "cards_live", "restricted");
    int32_t f, t, n = 0;
    const struct finding *x;
    struct waiver w = { 0 };

    assert_int_equal(model_add_field(fx->m, d, "pan", &f, NULL), SM_OK);
    assert_int_equal(model_add_tag(fx->m, d, f, "financial.pci", "atlas/e.json",
                                   "g1 (expired 2025-06-30)", "2026-11-26T00:00:00Z", &t, NULL),
                     SM_OK);
    assert_int_equal(model_set_tag_expired(fx->m, t, "2025-06-30", NULL), SM_OK);
    assert_int_equal(model_add_tag(fx->m, d, SM_NONE, "tier=tier1", "atlas/e.json", "g1",
                                   "2026-11-26T00:00:00Z", &t, NULL), SM_OK);
    assert_int_equal(model_set_tag_expired(fx->m, t, "2024-12-31", NULL), SM_OK);
    /* the same provenance text without the date: live */
    assert_int_equal(model_add_tag(fx->m, e, SM_NONE, "financial.pci", "atlas/e.json",
                                   "g2 (expired 2025-06-30)", "2026-11-26T00:00:00Z", NULL, NULL),
                     SM_OK);
    run(fx);
    for (int32_t k = 0; k < fx->r->nfindings; k++)
        if (strcmp(fx->r->findings[k].rule, "CLS003") == 0) {
            assert_string_equal(fx->r->findings[k].selector, "cards");
            assert_int_equal(fx->r->findings[k].severity, SEV_INFO);
            n++;
        }
    assert_int_equal(n, 2);
    x = find(fx, "CLS003", "cards");
    assert_non_null(x);
    for (int32_t k = 0; k < fx->r->nfindings; k++)
        if (strcmp(fx->r->findings[k].rule, "CLS003") == 0 &&
            strstr(fx->r->findings[k].message, "field pan"))
            x = &fx->r->findings[k];
    assert_string_equal(x->message, "cards field pan: tag financial.pci rests on a "
                                    "classification that expired on 2025-06-30 (from "
                                    "atlas/e.json)");
    assert_true(x->why.n >= 2);
    assert_string_equal(x->why.v[0], "cards field pan has tag financial.pci, imported from "
                                     "atlas/e.json, entity g1 (expired 2025-06-30)");
    assert_int_equal(count_findings(fx, "CLS003", "cards_live"), 0);
    /* renewed: the date cleared, no finding */
    assert_int_equal(model_set_tag_expired(fx->m, t, "", NULL), SM_OK);
    run(fx);
    assert_int_equal(count_findings(fx, "CLS003", "cards"), 1);
    /* a waiver on the dataset */
    w.rule = "CLS003";
    w.object = "cards";
    w.owner = "dpo";
    w.reason = "PCI scope review";
    assert_int_equal(model_add_waiver(fx->m, &w, NULL, NULL), SM_OK);
    run(fx);
    assert_true(find(fx, "CLS003", "cards")->waived);
    /* disabled in the pack: nothing */
    fx->rp->rules[RULE_CLS003].enabled = 0;
    run(fx);
    assert_int_equal(count_findings(fx, "CLS003", "cards"), 0);
}

static void
test_unknown_subject_once(void **state)
{
    struct fx *fx = *state;
    int32_t a = dataset(fx->m, "mx_orders", "confidential", "MX");
    int32_t b = dataset(fx->m, "mx_returns", "confidential", "MX");

    place(fx->m, a, "aws:us-east-1", ROLE_PRIMARY, 1, NULL, MECH_NONE);
    place(fx->m, b, "aws:us-east-1", ROLE_PRIMARY, 1, NULL, MECH_NONE);
    run(fx);
    expect(fx, "SUB001 mx_orders", NULL);
    assert_int_equal(fx->r->stats.unknown_subjects, 1);
    assert_int_equal(find(fx, "SUB001", "mx_orders")->severity, SEV_INFO);
}

static void
test_waivers(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "confidential");
    struct waiver w = { 0 };
    int32_t wid;

    place(fx->m, d, "aws:ap-southeast-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
    w.rule = "RES001";
    w.object = "orders@aws:ap-southeast-1";
    w.owner = "dpo";
    w.reason = "migration";
    w.expires = 20270101;
    assert_int_equal(model_add_waiver(fx->m, &w, &wid, NULL), SM_OK);
    w.rule = "XFR001";
    w.expires = 20260101;       /* expired */
    assert_int_equal(model_add_waiver(fx->m, &w, NULL, NULL), SM_OK);
    run(fx);
    expect(fx, "RES001 orders@aws:ap-southeast-1", "XFR001 orders@aws:ap-southeast-1", NULL);
    assert_true(find(fx, "RES001", "orders@aws:ap-southeast-1")->waived);
    assert_int_equal(find(fx, "RES001", "orders@aws:ap-southeast-1")->waiver, wid);
    assert_false(find(fx, "XFR001", "orders@aws:ap-southeast-1")->waived);
    assert_int_equal(fx->r->stats.waived, 1);
    assert_int_equal(fx->r->stats.count[SEV_ERROR], 1);
    assert_int_equal(fx->r->nexpired, 1);
    assert_int_equal(fx->r->stats.expired_waivers, 1);
    assert_int_equal(check_worst(fx->r, OBJ_PLACEMENT,
                                 model_placement(fx->m, "orders@aws:ap-southeast-1")), SEV_ERROR);
}

static void
test_advisory_and_disabled(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "confidential");

    place(fx->m, d, "aws:ap-southeast-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
    fx->rp->rules[RULE_RES001].advisory = 1;
    fx->rp->rules[RULE_XFR001].enabled = 0;
    run(fx);
    expect(fx, "RES001 orders@aws:ap-southeast-1", NULL);
    assert_int_equal(fx->r->findings[0].severity, SEV_INFO);
    assert_int_equal(fx->r->stats.count[SEV_INFO], 1);
}

static void
test_lineage_derived_copy(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "restricted");
    int32_t s = dataset(fx->m, "sales_us", "public", NULL);
    int32_t p0 = model_primary(fx->m, d);
    int32_t q0 = place(fx->m, s, "aws:us-east-1", ROLE_PRIMARY, 1, "aws:eu-central-1", MECH_NONE);
    char buf[64];

    flow(fx->m, "to-sales", p0, q0, NULL, FLOW_ETL, MECH_NONE, "pseudonymize email name", 1, 0);
    run(fx);
    /* The derived copy holds EU personal data: every rule sees it. */
    /* The etl flow is the transfer into the derived copy: XFR on the flow,
     * not again on the copy. */
    expect(fx, "LIN001 sales_us", "XFR002 to-sales", "RES001 sales_us@aws:us-east-1", NULL);
    assert_string_equal(check_eff_subjects(fx->r, s, buf, sizeof buf), "EU");
    assert_int_equal(fx->r->eff_tier[s], model_tier(fx->m, "restricted"));
    assert_int_equal(fx->r->eff_via[s], model_flow(fx->m, "to-sales"));
    assert_true(has_why(find(fx, "LIN001", "sales_us"), "pseudonymized data is still personal"));
}

static void
test_derived_copy_under_scc(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "tickets", "confidential");
    int32_t v = dataset(fx->m, "tickets_vendor", "confidential", NULL);
    int32_t q0 = place(fx->m, v, "aws:ap-southeast-1", ROLE_PRIMARY, 1, "aws:ap-southeast-1", MECH_NONE);

    flow(fx->m, "to-vendor", model_primary(fx->m, d), q0, NULL, FLOW_ETL, MECH_SCC, NULL, 1, 20281231);
    run(fx);
    /* The scc on the feeding flow covers the copy, its key and the flow. */
    expect(fx, NULL);
    assert_int_equal(fx->r->ntransfers, 1);
    assert_int_equal(fx->r->transfers[0].flow, model_flow(fx->m, "to-vendor"));
    assert_string_equal(check_transfer_basis(fx->r, &fx->r->transfers[0]), "scc TIA-7");
    fx->m->flows[model_flow(fx->m, "to-vendor")].mechanism = MECH_NONE;
    run(fx);
    expect(fx, "XFR001 to-vendor", "RES001 tickets_vendor@aws:ap-southeast-1",
           "ENC002 tickets_vendor@aws:ap-southeast-1", NULL);
}

static void
test_several_subjects(void **state)
{
    struct fx *fx = *state;
    int32_t mixed = dataset(fx->m, "accounts", "restricted", "EU,US");
    int32_t us = dataset(fx->m, "us_accounts", "restricted", "US");
    int32_t eubr = dataset(fx->m, "eubr", "confidential", "EU,BR");

    field(fx->m, mixed, "email", "pii.email");
    /* US law restricts no transfer: beside GDPR, only the EEA bounds the bloc. */
    place(fx->m, mixed, "aws:eu-west-1", ROLE_PRIMARY, 1, "aws:eu-west-1", MECH_NONE);
    place(fx->m, mixed, "aws:us-east-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_SCC);
    /* Alone, US subjects keep restricted data in the US. */
    place(fx->m, us, "aws:us-east-1", ROLE_PRIMARY, 1, "aws:us-east-1", MECH_NONE);
    place(fx->m, us, "aws:eu-west-1", ROLE_REPLICA, 1, "aws:us-east-1", MECH_NONE);
    /* Every regime must be satisfied: SG is adequate for neither. */
    place(fx->m, eubr, "aws:eu-west-1", ROLE_PRIMARY, 1, "aws:eu-west-1", MECH_NONE);
    place(fx->m, eubr, "aws:ap-southeast-1", ROLE_CACHE, 1, "aws:eu-west-1", MECH_NONE);
    run(fx);
    expect(fx, "RES001 accounts@aws:us-east-1", "RES001 us_accounts@aws:eu-west-1",
           "RES001 eubr@aws:ap-southeast-1", "XFR001 eubr@aws:ap-southeast-1",
           "XFR001 eubr@aws:ap-southeast-1", NULL);
    /* one XFR001 per failing regime: GDPR and LGPD */
    int n = 0;
    for (int32_t k = 0; k < fx->r->nfindings; k++)
        n += strcmp(fx->r->findings[k].rule, "XFR001") == 0;
    assert_int_equal(n, 2);
    assert_true(has_why(find(fx, "RES001", "accounts@aws:us-east-1"), "US is outside the EEA"));
}

static void
test_findings_of_and_sorted(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "confidential");
    int32_t p = place(fx->m, d, "aws:ap-southeast-1", ROLE_REPLICA, 0, NULL, MECH_NONE);
    int32_t ids[8];
    int32_t n;

    dataset(fx->m, "loose", NULL, NULL);
    run(fx);
    n = check_findings_of(fx->r, OBJ_PLACEMENT, p, ids, 8);
    assert_int_equal(n, 3);    /* RES001, ENC001, XFR001 */
    for (int32_t k = 1; k < fx->r->nfindings; k++)
        assert_true(fx->r->findings[k - 1].severity >= fx->r->findings[k].severity);
    assert_int_equal(fx->r->findings[fx->r->nfindings - 1].severity, SEV_WARNING);
    assert_int_equal(check_worst(fx->r, OBJ_DATASET, model_dataset(fx->m, "loose")), SEV_WARNING);
    assert_int_equal(check_worst(fx->r, OBJ_DATASET, d), SM_NONE);
}

static void
test_add_custom_finding(void **state)
{
    struct fx *fx = *state;
    struct finding f = { 0 };
    const char *why[] = { "row 1" };
    struct waiver w = { 0 };

    dataset(fx->m, "x", "public", NULL);
    w.rule = "ORG001";
    w.object = "x";
    assert_int_equal(model_add_waiver(fx->m, &w, NULL, NULL), SM_OK);
    run(fx);
    f.rule = "ORG001";
    f.severity = SEV_ERROR;
    f.kind = OBJ_DATASET;
    f.object = model_dataset(fx->m, "x");
    f.dataset = f.object;
    f.selector = "x";
    f.message = "custom";
    f.why.n = 1;
    f.why.v = why;
    assert_int_equal(check_add_finding(fx->r, fx->m, &f), SM_OK);
    f.selector = "y";
    f.object = SM_NONE;
    assert_int_equal(check_add_finding(fx->r, fx->m, &f), SM_OK);
    assert_int_equal(fx->r->nfindings, 2);
    assert_true(fx->r->findings[0].waived);
    assert_string_equal(fx->r->findings[1].selector, "y");
    assert_int_equal(fx->r->stats.count[SEV_ERROR], 1);
    assert_int_equal(fx->r->stats.waived, 1);
    /* the object index follows the insertions */
    int32_t ids[4];
    assert_int_equal(check_findings_of(fx->r, OBJ_DATASET, model_dataset(fx->m, "x"), ids, 4), 1);
    assert_string_equal(fx->r->findings[ids[0]].selector, "x");
    assert_int_equal(check_worst(fx->r, OBJ_DATASET, model_dataset(fx->m, "x")), SM_NONE); /* waived */
    assert_int_equal(check_findings_of(fx->r, OBJ_DATASET, SM_NONE, ids, 4), 1);
    assert_string_equal(fx->r->findings[ids[0]].selector, "y");
}

/* ---- hints never name a region the dataset is in already ------------------ */

static void
test_hint_skips_occupied_regions(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "restricted");
    const struct finding *f;

    /* The two aws regions of the EEA (the best-ranked) hold copies; the key
     * of the copy abroad is held abroad too. */
    place(fx->m, d, "aws:eu-central-1", ROLE_REPLICA, 1, "aws:eu-central-1", MECH_NONE);
    place(fx->m, d, "aws:us-east-1", ROLE_REPLICA, 1, "aws:us-east-1", MECH_NONE);
    run(fx);
    expect(fx, "RES001 orders@aws:us-east-1", "XFR002 orders@aws:us-east-1",
           "ENC002 orders@aws:us-east-1", NULL);
    f = find(fx, "RES001", "orders@aws:us-east-1");
    /* before: "move the replica to aws:eu-west-1 or aws:eu-central-1" */
    assert_string_equal(f->hint, "move the replica to aws-eusc:eusc-de-east-1 or onprem:osl-dc1");
    f = find(fx, "XFR002", "orders@aws:us-east-1");
    /* a lawful transfer: adequate countries qualify, the occupied do not */
    assert_string_equal(f->hint, "declare mechanism dpf on the copy if the recipient is DPF-certified, "
                        "or scc with a TIA as a fallback; or move it to aws:ca-central-1 or aws:eu-west-2");
    /* a key may well be held where a copy is */
    f = find(fx, "ENC002", "orders@aws:us-east-1");
    assert_string_equal(f->hint, "hold the key in aws:eu-west-1 or aws:eu-central-1");
}

static void
test_hint_no_free_region(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "restricted");
    const struct finding *f;
    int32_t gone;

    /* Every compliant region holds a copy already: no move is a fix. */
    place(fx->m, d, "aws:eu-central-1", ROLE_REPLICA, 1, "aws:eu-central-1", MECH_NONE);
    place(fx->m, d, "aws-eusc:eusc-de-east-1", ROLE_REPLICA, 1, "aws-eusc:eusc-de-east-1",
          MECH_NONE);
    gone = place(fx->m, d, "onprem:osl-dc1", ROLE_BACKUP, 1, "onprem:osl-dc1", MECH_NONE);
    place(fx->m, d, "aws:us-east-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
    run(fx);
    expect(fx, "RES001 orders@aws:us-east-1", "XFR002 orders@aws:us-east-1", NULL);
    f = find(fx, "RES001", "orders@aws:us-east-1");
    assert_string_equal(f->hint,
                        "no known region satisfies the bloc scope; review the tier or the subjects");
    f = find(fx, "XFR002", "orders@aws:us-east-1");
    /* the transfer alone is lawful to an adequate country */
    assert_string_equal(f->hint, "declare mechanism dpf on the copy if the recipient is DPF-certified, "
                        "or scc with a TIA as a fallback; or move it to aws:ca-central-1 or aws:eu-west-2");
    /* A removed copy frees its region again. */
    assert_int_equal(model_remove(fx->m, OBJ_PLACEMENT, gone, NULL), SM_OK);
    run(fx);
    f = find(fx, "RES001", "orders@aws:us-east-1");
    assert_string_equal(f->hint, "move the replica to onprem:osl-dc1");
}

/* The register's order: dataset name as strcmp orders it (bytes unsigned,
 * a prefix first, names alike in their first 16 bytes or more), then from,
 * to; whatever the dataset ids' order. */
static void
register_sorted(struct fx *fx, int32_t least)
{
    run(fx);
    assert_true(fx->r->ntransfers >= least);
    for (int32_t k = 1; k < fx->r->ntransfers; k++) {
        const struct transfer *a = &fx->r->transfers[k - 1], *b = &fx->r->transfers[k];
        int c = strcmp(fx->m->datasets[a->dataset].name, fx->m->datasets[b->dataset].name);
        assert_true(c <= 0);
        if (c == 0)     /* then from, to, copy, flow, regime: rows are unique, so
                         * this order is the one order a stable sort can give */
            assert_true(a->from_cc != b->from_cc ? a->from_cc < b->from_cc
                        : a->to_cc != b->to_cc ? a->to_cc < b->to_cc
                        : a->placement != b->placement ? a->placement < b->placement
                        : a->flow != b->flow ? a->flow < b->flow
                        : strcmp(check_transfer_regime(fx->r, a),
                                 check_transfer_regime(fx->r, b)) < 0);
    }
    /* the first and last are as strcmp says */
    assert_string_equal(fx->m->datasets[fx->r->transfers[0].dataset].name, "Zeta");
    assert_string_equal(fx->m->datasets[fx->r->transfers[1].dataset].name, "aaaaaaaa");
    assert_string_equal(fx->m->datasets[fx->r->transfers[fx->r->ntransfers - 1].dataset].name,
                        "\xc3\xa9t\xc3\xa9");
}

static void
test_transfer_order(void **state)
{
    struct fx *fx = *state;
    static const char *const names[] = {
        "zeta", "aaaaaaaaaaaaaaaaB", "b", "aaaaaaaaaaaaaaaaA", "\xc3\xa9t\xc3\xa9", "aaaaaaaa",
        "aaaaaaaaaaaaaaaa", "aaaaaaaab", "ab", "aaaaaaaaaaaaaaaaAz", "Zeta", "aaaaaaaaaaaaaaa",
    };
    const size_t n = sizeof names / sizeof *names;
    char rev[200][16];

    for (size_t i = 0; i < n; i++) {
        int32_t d = eu_dataset(fx, names[i], "confidential");
        place(fx->m, d, i % 2 ? "aws:eu-central-1" : "azure:switzerlandnorth", ROLE_REPLICA, 1,
              "aws:eu-west-1", MECH_NONE);
        if (i % 3 == 0)
            place(fx->m, d, i % 2 ? "azure:switzerlandnorth" : "aws:eu-central-1", ROLE_BACKUP, 1,
                  "aws:eu-west-1", MECH_NONE);
    }
    /* a few runs out of order: merged */
    register_sorted(fx, (int32_t)n);
    /* 200 more in descending name order, each a run of its own: counted */
    for (int i = 0; i < 200; i++) {
        snprintf(rev[i], sizeof rev[i], "r%03d", 199 - i);
        int32_t d = eu_dataset(fx, rev[i], "confidential");
        place(fx->m, d, "aws:eu-central-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
    }
    register_sorted(fx, (int32_t)n + 200);
    /* datasets whose rows come from their copies and from flows (made in
     * two passes, so not in order): a few, and more than 16 */
    {
        static const char *const to[] = { "aws:us-east-1", "aws:ap-southeast-1",
            "aws:ca-central-1", "aws:eu-west-2", "azure:switzerlandnorth", "aws:eu-central-1" };
        static char fname[40][16];
        int32_t hub = eu_dataset(fx, "m-hub", "confidential");
        int32_t few = eu_dataset(fx, "m-few", "confidential");
        int32_t ph = model_primary(fx->m, hub), pf = model_primary(fx->m, few);
        place(fx->m, hub, "aws:eu-central-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
        place(fx->m, hub, "azure:switzerlandnorth", ROLE_BACKUP, 1, "aws:eu-west-1", MECH_NONE);
        place(fx->m, few, "aws:eu-central-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
        for (int i = 0; i < 40; i++) {
            snprintf(fname[i], sizeof fname[i], "x%02d", i);
            flow(fx->m, fname[i], i < 36 ? ph : pf, SM_NONE, to[(i * 5) % 6], FLOW_EXPORT,
                 i % 4 ? MECH_NONE : MECH_SCC, NULL, 1, 0);
        }
    }
    register_sorted(fx, (int32_t)n + 200 + 40);
}

/* ---- round 2: onward copies, the register, XFR003, XFR004, RET001 ---------- */

/* The register holds one row per transfer: no two rows with the same
 * dataset, copy, flow, regime and countries (equal rows sort together). */
static void
no_duplicate_rows(const struct check_result *r)
{
    for (int32_t k = 1; k < r->ntransfers; k++) {
        const struct transfer *a = &r->transfers[k - 1], *b = &r->transfers[k];
        if (a->dataset == b->dataset && a->placement == b->placement && a->flow == b->flow &&
            a->from_cc == b->from_cc && a->to_cc == b->to_cc &&
            strcmp(check_transfer_regime(r, a), check_transfer_regime(r, b)) == 0)
            fail_msg("transfer rows %d and %d are the same transfer", k - 1, k);
    }
}

static const struct transfer *
row_of(struct fx *fx, int32_t placement)
{
    for (int32_t k = 0; k < fx->r->ntransfers; k++)
        if (fx->r->transfers[k].placement == placement)
            return &fx->r->transfers[k];
    fail_msg("no transfer row for copy %d", placement);
    return NULL;
}

/* issue 16: crm in IE, replicas in us-east-1 (dpf DPF-123 from IE) and
 * us-west-2 (fed from us-east-1, no mechanism): the second is no new
 * transfer, it stands on the dpf by which the data entered the US. */
static void
test_onward_copy_same_country(void **state)
{
    struct fx *fx = *state;
    int32_t d, p0, p1, p2, f1, f2;

    region(fx->m, "aws:us-west-2", "US", "US", 0);
    d = eu_dataset(fx, "crm", "confidential");
    p0 = model_primary(fx->m, d);
    p1 = place(fx->m, d, "aws:us-east-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
    p2 = place(fx->m, d, "aws:us-west-2", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
    f1 = flow(fx->m, "crm-to-us", p0, p1, NULL, FLOW_REPLICATION, MECH_DPF, NULL, 1, 0);
    fx->m->flows[f1].mechanism_ref = "DPF-123";
    f2 = flow(fx->m, "crm-us-west", p1, p2, NULL, FLOW_REPLICATION, MECH_NONE, NULL, 1, 0);
    run(fx);
    expect(fx, NULL);
    no_duplicate_rows(fx->r);
    assert_int_equal(fx->r->ntransfers, 2);
    assert_int_equal(row_of(fx, p2)->status, XFER_OK);
    assert_int_equal(row_of(fx, p2)->flow, f2);
    assert_string_equal(check_transfer_basis(fx->r, row_of(fx, p2)), "dpf DPF-123");
    assert_string_equal(check_transfer_basis(fx->r, row_of(fx, p1)), "dpf DPF-123");

    /* the crossing declares nothing: both copies fail, and the onward
     * one's why chain names the crossing it stands on */
    fx->m->flows[f1].mechanism = MECH_NONE;
    run(fx);
    expect(fx, "RES001 crm@aws:us-east-1", "RES001 crm@aws:us-west-2", "XFR002 crm-to-us", NULL);
    const struct finding *f = find(fx, "RES001", "crm@aws:us-west-2");
    assert_true(has_why(f, "flow crm-us-west feeds it from aws:us-east-1 in the same country (US)"));
    assert_true(has_why(f, "entered US: flow crm-to-us from aws:eu-west-1 to aws:us-east-1"));
    assert_true(has_why(f, "the flow that brought the data into the country declares no transfer mechanism"));
    no_duplicate_rows(fx->r);
    assert_int_equal(row_of(fx, p2)->status, XFER_VIOLATION);

    /* the copy in us-east-1 declares dpf itself (no flow feeds it): the
     * onward copy stands on that declaration */
    assert_int_equal(model_remove(fx->m, OBJ_FLOW, f1, NULL), SM_OK);
    fx->m->placements[p1].mechanism = MECH_DPF;
    fx->m->placements[p1].mechanism_ref = "DPF-123";
    run(fx);
    expect(fx, NULL);
    assert_string_equal(check_transfer_basis(fx->r, row_of(fx, p2)), "dpf DPF-123");

    /* a flow on to another country is a transfer of its own */
    region(fx->m, "aws:ap-southeast-2", "AU", "US", 0);
    int32_t p3 = place(fx->m, d, "aws:ap-southeast-2", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
    flow(fx->m, "crm-us-au", p1, p3, NULL, FLOW_REPLICATION, MECH_NONE, NULL, 1, 0);
    run(fx);
    expect(fx, "RES001 crm@aws:ap-southeast-2", "XFR001 crm-us-au", NULL);
}

/* issue 16: a violating copy fed by a flow was listed twice */
static void
test_register_one_row_per_transfer(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "c", "confidential");
    int32_t p1 = place(fx->m, d, "aws:ap-southeast-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
    int32_t f1 = flow(fx->m, "c-sg", model_primary(fx->m, d), p1, NULL, FLOW_REPLICATION, MECH_NONE,
                      NULL, 1, 0);

    run(fx);
    expect(fx, "RES001 c@aws:ap-southeast-1", "XFR001 c-sg", NULL);
    assert_int_equal(fx->r->ntransfers, 1);
    assert_int_equal(fx->r->transfers[0].status, XFER_VIOLATION);
    assert_int_equal(fx->r->transfers[0].flow, f1);
    /* a second flow into the same copy, failing too: a transfer of its own */
    region(fx->m, "aws:eu-south-1", "IT", "US", 0);
    int32_t q = place(fx->m, d, "aws:eu-south-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
    int32_t f2 = flow(fx->m, "c-sg-2", q, p1, NULL, FLOW_REPLICATION, MECH_NONE, NULL, 1, 0);
    run(fx);
    no_duplicate_rows(fx->r);
    assert_int_equal(fx->r->ntransfers, 3);
    assert_int_equal(row_of(fx, p1)->flow, f1);
    bool seen = false;
    for (int32_t k = 0; k < fx->r->ntransfers; k++)
        seen |= fx->r->transfers[k].flow == f2 && fx->r->transfers[k].status == XFER_VIOLATION;
    assert_true(seen);
}

/* XFR003: scc, bcr or dpf relied on with no reference */
static void
test_mechanism_without_reference(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "confidential");
    int32_t e = eu_dataset(fx, "tickets", "confidential");
    int32_t p1 = place(fx->m, d, "aws:us-east-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_DPF);
    int32_t q1 = place(fx->m, e, "aws:ap-southeast-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
    int32_t f = flow(fx->m, "tickets-sg", model_primary(fx->m, e), q1, NULL, FLOW_REPLICATION,
                     MECH_SCC, NULL, 1, 0);

    /* with references: nothing */
    run(fx);
    expect(fx, NULL);
    /* without: a warning on what declares the mechanism */
    fx->m->placements[p1].mechanism_ref = "";
    fx->m->flows[f].mechanism_ref = "";
    run(fx);
    expect(fx, "XFR003 orders@aws:us-east-1", "XFR003 tickets-sg", NULL);
    const struct finding *w = find(fx, "XFR003", "tickets-sg");
    assert_int_equal(w->severity, SEV_WARNING);
    assert_string_equal(w->message, "flow tickets-sg (replication) relies on scc with no reference");
    assert_string_equal(w->jurisdictions, "EU -> SG");
    assert_non_null(strstr(w->hint, "signed contract and its transfer impact assessment"));
    w = find(fx, "XFR003", "orders@aws:us-east-1");
    assert_non_null(strstr(w->hint, "Data Privacy Framework list entry"));
    assert_true(has_why(w, "no flow feeds it, so it is an implicit replication"));
    /* the transfers stay lawful: ok rows */
    for (int32_t k = 0; k < fx->r->ntransfers; k++)
        assert_int_equal(fx->r->transfers[k].status, XFER_OK);
    /* bcr too; a mechanism nothing relies on (inside the EEA) is no finding */
    fx->m->flows[f].mechanism = MECH_BCR;
    place(fx->m, e, "aws:eu-central-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_SCC);
    fx->m->placements[model_placement(fx->m, "tickets@aws:eu-central-1")].mechanism_ref = "";
    run(fx);
    expect(fx, "XFR003 orders@aws:us-east-1", "XFR003 tickets-sg", NULL);
    assert_non_null(strstr(find(fx, "XFR003", "tickets-sg")->hint, "approved binding corporate rules"));
    /* the pack can turn it off */
    fx->rp->rules[RULE_XFR003].enabled = 0;
    run(fx);
    expect(fx, NULL);
}

/* XFR004: consent or derogation for a systematic transfer */
static void
test_derogation_systematic(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "confidential");
    int32_t p0 = model_primary(fx->m, d);
    int32_t p1 = place(fx->m, d, "aws:ap-southeast-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
    int32_t f = flow(fx->m, "orders-sg", p0, p1, NULL, FLOW_REPLICATION, MECH_CONSENT, NULL, 1, 0);

    run(fx);
    expect(fx, "XFR004 orders-sg", NULL);
    const struct finding *w = find(fx, "XFR004", "orders-sg");
    assert_int_equal(w->severity, SEV_WARNING);
    assert_true(has_why(w, "Recital 111"));
    assert_string_equal(w->jurisdictions, "EU -> SG");
    assert_int_equal(fx->r->transfers[0].status, XFER_OK);
    /* every systematic kind; export and query stay accepted */
    static const int kinds[] = { FLOW_BACKUP, FLOW_STREAM, FLOW_ETL };
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        fx->m->flows[f].kind = (uint8_t)kinds[k];
        fx->m->flows[f].mechanism = MECH_DEROGATION;
        run(fx);
        expect(fx, "XFR004 orders-sg", NULL);
    }
    fx->m->flows[f].kind = FLOW_EXPORT;
    run(fx);
    expect(fx, NULL);
    fx->m->flows[f].kind = FLOW_QUERY;
    fx->m->flows[f].mechanism = MECH_CONSENT;
    run(fx);
    expect(fx, NULL);
    /* an implicit replication under consent */
    assert_int_equal(model_remove(fx->m, OBJ_FLOW, f, NULL), SM_OK);
    fx->m->placements[p1].mechanism = MECH_CONSENT;
    run(fx);
    expect(fx, "XFR004 orders@aws:ap-southeast-1", NULL);
    /* a regime whose `derogation` is a standing ground (RU: notice to
     * Roskomnadzor) gets no XFR004 */
    int32_t ru = dataset(fx->m, "ru_orders", "confidential", "RU");
    place(fx->m, ru, "yandex:ru-central1", ROLE_PRIMARY, 1, "yandex:ru-central1", MECH_NONE);
    place(fx->m, ru, "aws:eu-central-1", ROLE_REPLICA, 1, "yandex:ru-central1", MECH_DEROGATION);
    run(fx);
    expect(fx, "XFR004 orders@aws:ap-southeast-1", NULL);
}

/* revFADP Art. 17(1)(a): express consent is accepted, and a systematic
 * transfer on it meets XFR004 like any derogation */
static void
test_fadp_consent(void **state)
{
    struct fx *fx = *state;
    int32_t d = dataset(fx->m, "ch_members", "confidential", "CH");
    int32_t p0 = place(fx->m, d, "azure:switzerlandnorth", ROLE_PRIMARY, 1, "azure:switzerlandnorth",
                       MECH_NONE);
    int32_t p1 = place(fx->m, d, "aws:ap-southeast-1", ROLE_REPLICA, 1, "azure:switzerlandnorth", MECH_NONE);
    int32_t f = flow(fx->m, "ch-sg", p0, p1, NULL, FLOW_REPLICATION, MECH_CONSENT, NULL, 1, 0);

    run(fx);
    expect(fx, "XFR004 ch-sg", NULL);
    const struct finding *w = find(fx, "XFR004", "ch-sg");
    assert_true(has_why(w, "revFADP Art. 17"));
    assert_string_equal(w->jurisdictions, "CH -> SG");
    for (int32_t k = 0; k < fx->r->nfindings; k++)
        for (uint32_t j = 0; j < fx->r->findings[k].why.n; j++)
            assert_null(strstr(fx->r->findings[k].why.v[j], "FADP does not accept"));
    fx->m->flows[f].kind = FLOW_EXPORT;
    run(fx);
    expect(fx, NULL);
    assert_int_equal(fx->r->transfers[0].status, XFER_OK);
    assert_string_equal(check_transfer_basis(fx->r, &fx->r->transfers[0]), "consent TIA-7");
}

/* RET001: retention over the effective tier's maximum, or none */
static void
test_retention(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "restricted");     /* max 3650 days */
    int32_t pub = dataset(fx->m, "stats", "public", NULL);   /* no maximum */
    int32_t q0 = place(fx->m, pub, "aws:eu-west-1", ROLE_PRIMARY, 1, "aws:eu-west-1", MECH_NONE);

    fx->m->tiers[model_tier(fx->m, "restricted")].retention_max_days = 3650;
    fx->m->datasets[d].retention_days = 3650;
    run(fx);
    expect(fx, NULL);
    fx->m->datasets[d].retention_days = 3651;
    place(fx->m, d, "aws:eu-central-1", ROLE_BACKUP, 1, "aws:eu-west-1", MECH_NONE);
    run(fx);
    expect(fx, "RET001 orders", NULL);
    const struct finding *w = find(fx, "RET001", "orders");
    assert_int_equal(w->severity, SEV_WARNING);
    assert_string_equal(w->message, "orders keeps data 3651 days, beyond the 3650 days tier restricted allows");
    assert_true(has_why(w, "its 1 backup and archive copy keep the data as long"));
    assert_string_equal(w->hint, "set the retention of orders to at most 3650 days");
    fx->m->datasets[d].retention_days = SM_NONE;
    run(fx);
    expect(fx, "RET001 orders", NULL);
    assert_true(has_why(find(fx, "RET001", "orders"), "declares no retention"));
    /* the effective tier counts: public stats fed with orders' personal data */
    fx->m->datasets[d].retention_days = 30;
    fx->m->datasets[pub].retention_days = 5000;
    run(fx);
    expect(fx, NULL);
    flow(fx->m, "to-stats", model_primary(fx->m, d), q0, NULL, FLOW_ETL, MECH_NONE, NULL, 1, 0);
    run(fx);
    expect(fx, "LIN001 stats", "RET001 stats", NULL);
    assert_true(has_why(find(fx, "RET001", "stats"), "stats inherits tier restricted from orders through flow to-stats"));
}

/* The why chain names the flow that brought subjects through lineage. */
static void
test_why_names_subject_flow(void **state)
{
    struct fx *fx = *state;
    int32_t eu = eu_dataset(fx, "loyalty_members_eu", "restricted");
    int32_t us = dataset(fx->m, "loyalty_members_us", "restricted", "US");
    int32_t q0;

    field(fx->m, us, "email", "pii.email");
    q0 = place(fx->m, us, "aws:us-east-1", ROLE_PRIMARY, 1, "aws:us-east-1", MECH_NONE);
    run(fx);
    expect(fx, NULL);
    flow(fx->m, "eu-to-us", model_primary(fx->m, eu), q0, NULL, FLOW_ETL, MECH_NONE, NULL, 1, 0);
    run(fx);
    expect(fx, "RES001 loyalty_members_us@aws:us-east-1", "ENC002 loyalty_members_us@aws:us-east-1",
           "XFR002 eu-to-us", NULL);
    const struct finding *f = find(fx, "RES001", "loyalty_members_us@aws:us-east-1");
    assert_string_equal(f->why.v[0], "loyalty_members_us is restricted with EU,US subjects");
    assert_string_equal(f->why.v[1], "loyalty_members_us receives personal data of EU subjects "
                        "from loyalty_members_eu through flow eu-to-us (etl)");
    assert_int_equal(fx->r->lineage->subj_via[us], model_flow(fx->m, "eu-to-us"));
    assert_int_equal(fx->r->lineage->subj_via[eu], SM_NONE);
}

/* RES001's why line: "the EEA", "CH", never "the the EEA" or "the CH". */
static void
test_adequate_scope_words(void **state)
{
    struct fx *fx = *state;
    int32_t d = eu_dataset(fx, "orders", "confidential");
    int32_t c = dataset(fx->m, "ch_orders", "confidential", "CH");

    place(fx->m, d, "aws:ap-southeast-1", ROLE_REPLICA, 1, "aws:eu-west-1", MECH_NONE);
    place(fx->m, c, "azure:switzerlandnorth", ROLE_PRIMARY, 1, "azure:switzerlandnorth", MECH_NONE);
    place(fx->m, c, "aws:ap-southeast-1", ROLE_REPLICA, 1, "azure:switzerlandnorth", MECH_NONE);
    run(fx);
    assert_true(has_why(find(fx, "RES001", "orders@aws:ap-southeast-1"),
                        "adequate scope (the EEA, adequate countries, or a valid mechanism)"));
    assert_true(has_why(find(fx, "RES001", "ch_orders@aws:ap-southeast-1"),
                        "adequate scope (CH, adequate countries, or a valid mechanism)"));
    for (int32_t k = 0; k < fx->r->nfindings; k++)
        for (uint32_t j = 0; j < fx->r->findings[k].why.n; j++) {
            assert_null(strstr(fx->r->findings[k].why.v[j], "the the "));
            assert_null(strstr(fx->r->findings[k].why.v[j], "the CH"));
        }
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_clean_model),
        T(test_eu_in_norway_inside_eea),
        T(test_regime_codes),
        T(test_eu_in_switzerland_and_uk_adequate),
        T(test_eu_to_us_no_mechanism),
        T(test_eu_to_us_with_dpf_and_scc),
        T(test_eu_to_singapore_no_adequacy),
        T(test_expired_mechanism),
        T(test_flow_masks_some_fields),
        T(test_personal_as_a_whole),
        T(test_fields_carried),
        T(test_key_outside_key_scope),
        T(test_encryption_at_rest),
        T(test_transit_encryption),
        T(test_backup_scope),
        T(test_hard_localization),
        T(test_global_placement),
        T(test_org_policy),
        T(test_china_localization),
        T(test_sovereign_operator),
        T(test_partial_commercial_public_sector),
        T(test_revoked_adequacy),
        T(test_classification),
        T(test_expired_classification),
        T(test_unknown_subject_once),
        T(test_waivers),
        T(test_advisory_and_disabled),
        T(test_lineage_derived_copy),
        T(test_derived_copy_under_scc),
        T(test_several_subjects),
        T(test_findings_of_and_sorted),
        T(test_add_custom_finding),
        T(test_hint_skips_occupied_regions),
        T(test_hint_no_free_region),
        T(test_transfer_order),
        T(test_onward_copy_same_country),
        T(test_register_one_row_per_transfer),
        T(test_mechanism_without_reference),
        T(test_derogation_systematic),
        T(test_fadp_consent),
        T(test_retention),
        T(test_why_names_subject_flow),
        T(test_adequate_scope_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
