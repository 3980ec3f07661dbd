/*
 * testlib.c - shared helpers for the unit tests (see testlib.h).
 */
#include "testlib.h"

#include "check.h"
#include "edit.h"
#include "refdata.h"
#include "rulepack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *
tl_datadir(void)
{
    const char *d = getenv("SOVMAP_DATA");
    return d && *d ? d : "data";
}

const char *
tl_fixtures(void)
{
    return "tests/fixtures";
}

static char tmpdir[256];

static void
cleanup(void)
{
    char cmd[300];

    if (tmpdir[0]) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmpdir);
    }
}

const char *
tl_tmpdir(void)
{
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/sovmap-test-XXXXXX");
        if (!mkdtemp(tmpdir))
            abort();
        atexit(cleanup);
    }
    return tmpdir;
}

const char *
tl_path(const char *dir, const char *name)
{
    static char bufs[8][1024];
    static int next;
    char *b = bufs[next++ % 8];

    snprintf(b, sizeof bufs[0], "%s/%s", dir, name);
    return b;
}

char *
tl_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        if (len)
            *len = (size_t)n;
    }
    return buf;
}

static void
add_region(struct model *m, const char *id, const char *cc, const char *op)
{
    struct region r;

    model_region_init(&r);
    r.id = id;
    r.country = sm_cc(cc);
    r.operator_home = sm_cc(op);
    r.kind = REGION_CLOUD;
    r.builtin = 1;
    assert_int_equal(model_add_region(m, &r, NULL, NULL), SM_OK);
}

static void
add_tier(struct model *m, const char *name, int rank, int personal, int scope)
{
    struct tier t;

    model_tier_init(&t);
    t.name = name;
    t.rank = rank;
    t.personal = (uint8_t)personal;
    t.scope = t.backup_scope = t.key_scope = (uint8_t)scope;
    t.encryption_at_rest = personal;
    t.transit_encryption = personal;
    assert_int_equal(model_add_tier(m, &t, NULL, NULL), SM_OK);
}

struct model *
tl_small_model(void)
{
    struct model *m = model_new();

    assert_non_null(m);
    add_region(m, "aws:eu-west-1", "IE", "US");
    add_region(m, "aws:eu-central-1", "DE", "US");
    add_region(m, "aws:us-east-1", "US", "US");
    add_tier(m, "restricted", 3, 1, SCOPE_BLOC);
    add_tier(m, "confidential", 2, 1, SCOPE_ADEQUATE);
    add_tier(m, "public", 1, 0, SCOPE_GLOBAL);
    return m;
}

int32_t
tl_add_dataset(struct model *m, const char *name, const char *tier, const char *subjects,
               const char *system)
{
    struct dataset d;
    int32_t id;

    model_dataset_init(&d);
    d.name = name;
    d.system = system;
    d.tier = tier ? model_tier(m, tier) : SM_NONE;
    assert_int_equal(model_add_dataset(m, &d, &id, NULL), SM_OK);
    if (subjects)
        assert_int_equal(model_set(m, OBJ_DATASET, id, "subjects", subjects, NULL), SM_OK);
    return id;
}

int32_t
tl_add_copy(struct model *m, int32_t ds, const char *region, int role, const char *key_region)
{
    struct placement p;
    int32_t id;

    model_placement_init(&p);
    p.dataset = ds;
    p.region = model_region(m, region);
    p.role = (uint8_t)role;
    p.encrypted = 1;
    p.key_region = model_region(m, key_region ? key_region : region);
    assert_int_equal(model_add_placement(m, &p, &id, NULL), SM_OK);
    return id;
}

int32_t
tl_add_flow(struct model *m, const char *name, int32_t from, int32_t to, int32_t to_region,
            int kind, const char *transforms, const char *mechanism)
{
    struct flow f;
    int32_t id;

    model_flow_init(&f);
    f.name = name;
    f.from = from;
    f.to = to;
    f.to_region = to_region;
    f.kind = (uint8_t)kind;
    f.transit_encrypted = 1;
    assert_int_equal(model_add_flow(m, &f, &id, NULL), SM_OK);
    if (transforms)
        assert_int_equal(model_set(m, OBJ_FLOW, id, "transforms", transforms, NULL), SM_OK);
    if (mechanism)
        assert_int_equal(model_set(m, OBJ_FLOW, id, "mechanism", mechanism, NULL), SM_OK);
    return id;
}

static struct rulepack *rules;

static void
free_rules(void)
{
    rulepack_free(rules);
}

const struct rulepack *
tl_rules(void)
{
    SM_ERROR(e);

    if (!rules) {
        if (rulepack_load(tl_datadir(), "default", &rules, &e) != SM_OK)
            fail_msg("rule pack default: %s", e.msg);
        atexit(free_rules);
    }
    return rules;
}

struct check_result *
tl_check(const struct model *m)
{
    struct check_result *r;
    SM_ERROR(e);

    if (check_run(m, tl_rules(), 20261126, &r, &e) != SM_OK)
        fail_msg("check: %s", e.msg);
    return r;
}

/* ---- models for the store and model-json tests ---------------------------------- */

struct model *
tl_base_model(void)
{
    struct model *m = model_new();

    assert_non_null(m);
    assert_int_equal(refdata_load_regions(tl_datadir(), m, NULL), SM_OK);
    return m;
}

void
tl_edit(struct model *m, enum edit_op op, enum obj_kind kind, const char *key, int n, ...)
{
    struct edit e = { .op = op, .kind = kind, .key = key, .nattrs = n };
    struct edit_result r;
    SM_ERROR(err);
    va_list ap;

    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        e.attrs[i].name = va_arg(ap, const char *);
        e.attrs[i].value = va_arg(ap, const char *);
    }
    va_end(ap);
    if (edit_apply(m, &e, &r, &err) != SM_OK)
        fail_msg("edit failed: %s", err.msg);
    edit_result_fini(&r);
}

const char tl_hostile[] = "\"; DROP TABLE dataset; --<b>\n\xc3\xa9t\xc3\xa9";

struct model *
tl_rich_model(void)
{
    struct model *m = tl_base_model();
    int32_t d, f;

    tl_edit(m, EDIT_ADD, OBJ_REGION, "onprem:fra-dc1", 3, "country", "DE", "city", "Frankfurt",
         "name", "Frankfurt DC 1");
    tl_edit(m, EDIT_ADD, OBJ_REGION, "edge:eu", 1, "members", "DE,FR");
    tl_edit(m, EDIT_ADD, OBJ_TIER, "restricted", 8, "rank", "3", "personal", "true", "scope", "bloc",
         "backup-scope", "bloc", "key-scope", "country", "encryption-at-rest", "true",
         "transit-encryption", "true", "retention-max", "3650");
    tl_edit(m, EDIT_ADD, OBJ_TIER, "public", 2, "rank", "1", "approved", "aws:eu-west-1,onprem:fra-dc1");
    tl_edit(m, EDIT_ADD, OBJ_DATASET, "orders", 6, "tier", "restricted", "subjects", "EU,BR",
         "system", "loyalty", "retention", "365", "purpose", "order fulfilment; \xe5\x90\x8d",
         "legal-basis", "contract");
    tl_edit(m, EDIT_ADD, OBJ_DATASET, tl_hostile, 2, "description", tl_hostile, "public-sector", "true");
    tl_edit(m, EDIT_ADD, OBJ_DATASET, "clicks", 0);
    d = model_dataset(m, "orders");
    assert_int_equal(model_add_field(m, d, "email", &f, NULL), SM_OK);
    assert_int_equal(model_set_field_attrs(m, f, "varchar(320)", tl_hostile, NULL), SM_OK);
    assert_int_equal(model_add_tag(m, d, f, "pii.email", "atlas/x.json", "guid-1",
                                   "2026-01-02T03:04:05Z", NULL, NULL), SM_OK);
    assert_int_equal(model_add_field(m, d, "amount", &f, NULL), SM_OK);
    assert_int_equal(model_add_tag(m, d, SM_NONE, "sovereignty=EU", NULL, NULL, NULL, NULL, NULL),
                     SM_OK);
    assert_int_equal(model_add_tag(m, d, f, "financial", NULL, NULL, NULL, NULL, NULL), SM_OK);
    {
        /* a tag resting on an Atlas classification that expired (CLS003) */
        int32_t t;
        assert_int_equal(model_add_tag(m, d, f, "financial.pci", "atlas/e.json",
                                       "guid-2 (expired 2025-06-30)", "2026-01-02T03:04:05Z", &t,
                                       NULL), SM_OK);
        assert_int_equal(model_set_tag_expired(m, t, "2025-06-30", NULL), SM_OK);
    }
    /* properties, added out of key order (the model keeps key order) */
    assert_int_equal(model_set_prop(m, d, "table_type", "ICEBERG", "glue/t.json",
                                    "glue:1/sales/orders", "2026-01-02T03:04:05Z", NULL, NULL),
                     SM_OK);
    assert_int_equal(model_set_prop(m, d, "label:gdpr", "", NULL, NULL, NULL, NULL, NULL), SM_OK);
    assert_int_equal(model_set_prop(m, d, "note", tl_hostile, NULL, NULL, NULL, NULL, NULL), SM_OK);
    tl_edit(m, EDIT_ADD, OBJ_PLACEMENT, "orders@aws:eu-west-1", 2, "encrypted", "true",
         "key-region", "aws:eu-west-1");
    tl_edit(m, EDIT_ADD, OBJ_PLACEMENT, "orders@aws:us-east-1", 3, "role", "replica",
         "mechanism", "scc", "mechanism-ref", "TIA-12");
    tl_edit(m, EDIT_ADD, OBJ_PLACEMENT, "orders@onprem:fra-dc1", 1, "role", "backup");
    tl_edit(m, EDIT_ADD, OBJ_PLACEMENT, "clicks@aws:eu-central-1", 0);
    tl_edit(m, EDIT_ADD, OBJ_FLOW, "repl", 8, "from", "orders@aws:eu-west-1",
         "to", "orders@aws:us-east-1", "kind", "replication",
         "transforms", "mask email amount; drop ssn", "mechanism", "scc",
         "valid-from", "2025-01-01", "transit-encrypted", "true", "fields", "email,amount");
    tl_edit(m, EDIT_ADD, OBJ_FLOW, "", 3, "from", "orders@aws:eu-west-1",
         "to", "clicks@aws:eu-central-1", "kind", "etl");
    tl_edit(m, EDIT_ADD, OBJ_FLOW, "export", 3, "from", "orders@aws:eu-west-1",
         "to-region", "aws:us-east-1", "kind", "export");
    tl_edit(m, EDIT_ADD, OBJ_WAIVER, "RES001:orders@aws:us-east-1", 3, "owner", "dpo",
         "reason", tl_hostile, "expires", "2026-12-31");
    tl_edit(m, EDIT_ADD, OBJ_SCENARIO, "s1", 1, "description", "what if");
    tl_edit(m, EDIT_ADD, OBJ_SCENARIO, "s2", 1, "base", "s1");
    {
        const char *op1[] = { "revoke-adequacy", "EU", "US" };
        const char *op2[] = { "move", "orders", "aws:us-east-1", "aws:eu-central-1" };
        assert_int_equal(model_scenario_append(m, model_scenario(m, "s1"), 3, op1, NULL), 0);
        assert_int_equal(model_scenario_append(m, model_scenario(m, "s1"), 4, op2, NULL), 0);
    }
    m->rule_pack = model_str(m, "default");
    return m;
}


void
tl_describe(const struct model *m, enum obj_kind kind, int32_t id, char *buf, size_t size)
{
    char *d = model_describe_dup(m, kind, id);

    assert_non_null(d);
    assert_true(strlen(d) < size);
    memcpy(buf, d, strlen(d) + 1);
    free(d);
}
