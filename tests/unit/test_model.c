/*
 * test_model.c - the in-memory model: building, lookup, selectors,
 * attributes, removal, clone; and the sm.h basics.
 */
#include "testlib.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>

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
    assert_int_equal(model_add_placement(m, &p, &id, NULL), SM_OK);
    return id;
}

/* The one accessor per concept: an id or name, "" for SM_NONE (never "?",
 * and a region's accessor gives its id, not its display name). */
static void
test_region_and_tier_accessors(void **state)
{
    struct model *m = tl_small_model();
    int32_t r = model_region(m, "aws:eu-west-1"), t = model_tier(m, "restricted");

    (void)state;
    assert_true(r >= 0 && t >= 0);
    assert_string_equal(model_region_id(m, r), "aws:eu-west-1");
    assert_string_equal(model_tier_name(m, t), "restricted");
    assert_string_equal(model_region_id(m, SM_NONE), "");
    assert_string_equal(model_tier_name(m, SM_NONE), "");
    model_free(m);
}

static void
test_cc_and_dates(void **state)
{
    char buf[11];
    int32_t d;

    (void)state;
    assert_int_equal(sm_cc("DE"), 3 * 26 + 4);
    assert_int_equal(sm_cc("de"), SM_NONE);
    assert_int_equal(sm_cc("DEU"), SM_NONE);
    sm_cc_str(sm_cc("BR"), buf);
    assert_string_equal(buf, "BR");
    assert_int_equal(sm_date_parse("2026-02-29", &d), SM_EINVAL);
    assert_int_equal(sm_date_parse("2028-02-29", &d), SM_OK);
    assert_int_equal(d, 20280229);
    sm_date_fmt(d, buf);
    assert_string_equal(buf, "2028-02-29");
    sm_date_fmt(0, buf);
    assert_string_equal(buf, "");
    /* the same text as the printf format it replaced, for any positive d */
    for (int32_t x = 1; x < 100000000; x = x < 100000 ? x + 1 : x * 3 + 7) {
        char want[32];
        snprintf(want, sizeof want, "%04d-%02d-%02d", (int)(x / 10000) % 10000,
                 (int)(x / 100 % 100), (int)(x % 100));
        sm_date_fmt(x, buf);
        assert_string_equal(buf, want);
    }
    for (int32_t x = 99999000; x < 100001000; x++) {
        char want[32];
        snprintf(want, sizeof want, "%04d-%02d-%02d", (int)(x / 10000) % 10000,
                 (int)(x / 100 % 100), (int)(x % 100));
        sm_date_fmt(x, buf);
        assert_string_equal(buf, want);
    }
    sm_date_fmt(INT32_MAX, buf);
    assert_string_equal(buf, "4748-36-47");
    assert_int_equal(sm_levenshtein("aws:eu-west-9", "aws:eu-west-1", 3), 1);
}

static void
test_map_grows_and_deletes(void **state)
{
    struct sm_map m;
    struct sm_arena a;
    char buf[32];
    const char *keys[5000];

    (void)state;
    sm_map_init(&m);
    sm_arena_init(&a);
    for (int i = 0; i < 5000; i++) {
        snprintf(buf, sizeof buf, "k%d", i);
        keys[i] = sm_arena_strdup(&a, buf);
        assert_int_equal(sm_map_put(&m, keys[i], i), SM_OK);
    }
    for (int i = 0; i < 5000; i += 2)
        assert_true(sm_map_del(&m, keys[i]));
    for (int i = 0; i < 5000; i++)
        assert_int_equal(sm_map_get(&m, keys[i]), i % 2 ? i : SM_NONE);
    assert_int_equal(m.len, 2500);
    sm_map_fini(&m);
    sm_arena_fini(&a);
}

/* sm_arena_next walks every block once, the big one-offs and an adopted
 * raw block included, and every allocation lies in one of them. */
static void
test_arena_blocks(void **state)
{
    struct sm_arena a;
    const struct sm_arena_block *it = NULL;
    const char *data, *p[3000];
    size_t size, total = 0;
    int nblk = 0, in[3000] = { 0 };
    char *raw = sm_arena_raw(100);

    (void)state;
    sm_arena_init(&a);
    assert_null(sm_arena_next(&a, NULL, &data, &size));
    for (int i = 0; i < 3000; i++)
        p[i] = sm_arena_alloc(&a, i % 1000 == 999 ? 200000 : 1 + (size_t)i % 300);
    assert_non_null(raw);
    sm_arena_adopt(&a, raw);
    while ((it = sm_arena_next(&a, it, &data, &size))) {
        nblk++;
        total += size;
        for (int i = 0; i < 3000; i++)
            in[i] += p[i] >= data && p[i] < data + size;
        assert_false(raw > data && raw < data + size);  /* each block whole */
    }
    assert_int_equal(total, a.total);
    assert_true(nblk > 3);
    for (int i = 0; i < 3000; i++)
        assert_int_equal(in[i], 1);
    sm_arena_fini(&a);
}

static void
test_selectors_and_suggestions(void **state)
{
    struct model *m = tl_small_model();
    SM_ERROR(err);
    int32_t ds, p1, p2, id;
    char sel[128];

    (void)state;
    ds = add_dataset(m, "orders", "restricted", "EU");
    p1 = place(m, ds, "aws:eu-west-1", ROLE_PRIMARY);
    p2 = place(m, ds, "aws:eu-west-1", ROLE_BACKUP);
    assert_int_equal(model_placement(m, "orders@aws:eu-west-1"), SM_NONE);
    assert_int_equal(model_placement(m, "orders@aws:eu-west-1/backup"), p2);
    assert_string_equal(model_selector(m, OBJ_PLACEMENT, p1, sel, sizeof sel),
                        "orders@aws:eu-west-1/primary");
    assert_int_equal(model_set(m, OBJ_REGION, model_region(m, "aws:us-east-1"), "country", "DE",
                               &err), SM_EINVAL);
    assert_non_null(strstr(err.msg, "shipped with sovmap"));
    assert_int_equal(model_find(m, OBJ_REGION, "aws:eu-west-9", &id, &err), SM_ENOTFOUND);
    assert_string_equal(err.msg, "unknown region aws:eu-west-9; did you mean aws:eu-west-1?");
    assert_int_equal(model_find(m, OBJ_PLACEMENT, "orders@aws:eu-west-1", &id, &err), SM_EINVAL);
    assert_non_null(strstr(err.msg, "add the role"));
    model_free(m);
}

static void
test_one_primary_per_dataset(void **state)
{
    struct model *m = tl_small_model();
    struct placement p;
    SM_ERROR(err);
    int32_t ds = add_dataset(m, "orders", NULL, NULL);

    (void)state;
    place(m, ds, "aws:eu-west-1", ROLE_PRIMARY);
    model_placement_init(&p);
    p.dataset = ds;
    p.region = model_region(m, "aws:us-east-1");
    p.role = ROLE_PRIMARY;
    assert_int_equal(model_add_placement(m, &p, NULL, &err), SM_EEXIST);
    assert_string_equal(err.msg, "orders already has its primary copy in aws:eu-west-1");
    model_free(m);
}

/* Texts of any length come back whole: model_get_dup, model_describe_dup,
 * model_selector_dup and sm_strdupf never cut (a 20 KB description, a
 * 5,000-byte name with multi-byte characters). */
static void
test_long_texts_whole(void **state)
{
    struct model *m = tl_small_model();
    SM_ERROR(err);
    size_t n = 20000;
    char *desc = malloc(n + 1), *name = malloc(5001), *got, *line;
    int32_t ds;

    (void)state;
    for (size_t i = 0; i < n; i += 2)
        memcpy(desc + i, "\xc3\xa9", 2);            /* é */
    desc[n] = '\0';
    for (size_t i = 0; i < 5000; i++)
        name[i] = (char)('a' + i % 26);
    name[5000] = '\0';
    ds = add_dataset(m, name, "restricted", "EU");
    assert_int_equal(model_set(m, OBJ_DATASET, ds, "description", desc, &err), SM_OK);
    got = model_get_dup(m, OBJ_DATASET, ds, "description");
    assert_string_equal(got, desc);
    free(got);
    got = model_describe_dup(m, OBJ_DATASET, ds);
    assert_non_null(line = strstr(got, "description="));
    assert_int_equal(strcspn(line, "\n"), strlen("description=") + n);
    free(got);
    got = model_selector_dup(m, OBJ_DATASET, ds);
    assert_string_equal(got, name);
    free(got);
    got = sm_strdupf("%s:%s", "RES001", name);
    assert_int_equal(strlen(got), 7 + 5000);
    free(got);
    free(desc);
    free(name);
    model_free(m);
}

static void
test_attributes_round_trip(void **state)
{
    struct model *m = tl_small_model();
    SM_ERROR(err);
    struct flow f;
    int32_t ds = add_dataset(m, "orders", "restricted", "eu, br");
    int32_t a = place(m, ds, "aws:eu-west-1", ROLE_PRIMARY);
    int32_t b = place(m, ds, "aws:us-east-1", ROLE_REPLICA);
    int32_t fl;
    char buf[256];

    (void)state;
    assert_string_equal(model_get(m, OBJ_DATASET, ds, "subjects", buf, sizeof buf), "EU,BR");
    assert_string_equal(model_get(m, OBJ_DATASET, ds, "tier", buf, sizeof buf), "restricted");
    assert_int_equal(model_set(m, OBJ_DATASET, ds, "tier", "secret", &err), SM_ENOTFOUND);
    assert_int_equal(model_set(m, OBJ_DATASET, ds, "tier", "", &err), SM_OK);
    assert_int_equal(m->datasets[ds].tier, SM_NONE);

    model_flow_init(&f);
    f.from = a;
    f.to = b;
    f.kind = FLOW_REPLICATION;
    assert_int_equal(model_add_flow(m, &f, &fl, &err), SM_OK);
    assert_string_equal(m->flows[fl].name, "orders@aws:eu-west-1->orders@aws:us-east-1");
    assert_int_equal(model_set(m, OBJ_FLOW, fl, "transforms", "mask email phone; anonymize", &err),
                     SM_OK);
    assert_string_equal(model_get(m, OBJ_FLOW, fl, "transforms", buf, sizeof buf),
                        "mask email phone; anonymize");
    assert_int_equal(model_set(m, OBJ_FLOW, fl, "transforms", "hash email", &err), SM_EINVAL);
    assert_non_null(strstr(err.msg, "unknown transform hash"));
    assert_int_equal(model_set(m, OBJ_FLOW, fl, "mechanism", "scc", &err), SM_OK);
    assert_int_equal(model_set(m, OBJ_FLOW, fl, "valid-to", "2026-13-01", &err), SM_EINVAL);
    assert_int_equal(model_set(m, OBJ_FLOW, fl, "mechanism", "smoke-signals", &err), SM_EINVAL);
    assert_int_equal(model_set(m, OBJ_PLACEMENT, b, "region", "aws:eu-central-1", &err), SM_OK);
    assert_string_equal(model_get(m, OBJ_FLOW, fl, "to", buf, sizeof buf),
                        "orders@aws:eu-central-1");
    model_free(m);
}

static void
test_remove_cascades_and_clone(void **state)
{
    struct model *m = tl_small_model(), *c;
    SM_ERROR(err);
    struct flow f;
    int32_t ds = add_dataset(m, "orders", "restricted", "EU");
    int32_t fid;

    (void)state;
    model_flow_init(&f);
    f.from = place(m, ds, "aws:eu-west-1", ROLE_PRIMARY);
    f.to = place(m, ds, "aws:us-east-1", ROLE_REPLICA);
    assert_int_equal(model_add_flow(m, &f, &fid, NULL), SM_OK);
    int32_t fld;
    assert_int_equal(model_add_field(m, ds, "email", &fld, NULL), SM_OK);
    assert_int_equal(model_add_tag(m, ds, fld, "pii.email", "a.json", "guid-1", "2026-01-01T00:00:00Z", NULL, NULL), SM_OK);
    assert_true(model_field_personal(m, fld));
    assert_int_equal(model_dataset_personal_fields(m, ds), 1);

    assert_int_equal(model_clone(m, &c), SM_OK);
    assert_int_equal(model_remove(m, OBJ_TIER, model_tier(m, "restricted"), &err), SM_EINVAL);
    assert_int_equal(model_remove(m, OBJ_PLACEMENT, f.to, &err), SM_OK);
    assert_true(m->flows[fid].deleted);
    assert_int_equal(model_flow(m, "orders@aws:eu-west-1->orders@aws:us-east-1"), SM_NONE);
    /* the clone is untouched */
    assert_int_equal(model_flow(c, "orders@aws:eu-west-1->orders@aws:us-east-1"), fid);
    assert_false(c->flows[fid].deleted);
    assert_int_equal(model_remove(m, OBJ_DATASET, ds, &err), SM_OK);
    assert_int_equal(model_dataset(m, "orders"), SM_NONE);
    assert_int_equal(model_dataset(c, "orders"), ds);
    model_free(m);
    assert_int_equal(model_dataset_personal_fields(c, ds), 1);
    model_free(c);
}

static void
test_invalid_utf8_is_refused(void **state)
{
    struct model *m = tl_small_model();
    SM_ERROR(err);
    struct dataset d;
    const char *bad[] = { "bad\xff\xfeutf8", "overlong\xc0\xafslash", "surrogate\xed\xa0\x80",
                          "cut\xe2\x82" };
    int32_t id;

    (void)state;
    assert_int_equal(sm_utf8_invalid("caf\xc3\xa9 \xe2\x80\xae \xf0\x9f\x98\x80"), -1);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        model_dataset_init(&d);
        d.name = bad[i];
        assert_int_equal(model_add_dataset(m, &d, NULL, &err), SM_EINVAL);
        assert_non_null(strstr(err.msg, "not valid UTF-8"));
        /* the message names the byte, never echoes the text */
        assert_null(strstr(err.msg, bad[i]));
    }
    model_dataset_init(&d);
    d.name = "ok";
    assert_int_equal(model_add_dataset(m, &d, &id, NULL), SM_OK);
    assert_int_equal(model_set(m, OBJ_DATASET, id, "owner", "x\xff", &err), SM_EINVAL);
    assert_string_equal(err.msg, "owner: text is not valid UTF-8 (byte 0xff at offset 1)");
    assert_int_equal(model_add_field(m, id, "\xc3", NULL, &err), SM_EINVAL);
    model_free(m);
}

static void
test_hostile_names_are_kept(void **state)
{
    struct model *m = tl_small_model();
    char *big = malloc(10241);
    const char *names[] = { "\"; DROP TABLE dataset; --", "<b>", "line\nbreak", NULL };

    (void)state;
    memset(big, 'x', 10240);
    big[10240] = '\0';
    names[3] = big;
    for (int i = 0; i < 4; i++) {
        int32_t id = add_dataset(m, names[i], NULL, NULL);
        assert_string_equal(m->datasets[id].name, names[i]);
        assert_int_equal(model_dataset(m, names[i]), id);
    }
    /* selectors of a 10 KB name resolve: copies, default flow names, waivers */
    int32_t ds = model_dataset(m, big), a, b, fl, wid;
    struct flow f;
    struct waiver w = { 0 };
    size_t len = strlen(big) + 64;
    char *sel = malloc(len);
    a = place(m, ds, "aws:eu-west-1", ROLE_PRIMARY);
    b = place(m, ds, "aws:us-east-1", ROLE_REPLICA);
    snprintf(sel, len, "%s@aws:us-east-1", big);
    assert_int_equal(model_placement(m, sel), b);
    model_flow_init(&f);
    f.from = a;
    f.to = b;
    assert_int_equal(model_add_flow(m, &f, &fl, NULL), SM_OK);
    assert_int_equal(strlen(m->flows[fl].name), 2 * strlen(big) + strlen("@aws:eu-west-1->@aws:us-east-1"));
    assert_int_equal(model_add_flow(m, &f, &fl, NULL), SM_OK);
    assert_string_equal(m->flows[fl].name + strlen(m->flows[fl].name) - 2, "#2");
    w.rule = "RES001";
    w.object = sel;
    assert_int_equal(model_add_waiver(m, &w, &wid, NULL), SM_OK);
    assert_int_equal(strlen(m->waivers[wid].key), strlen(sel) + 7);
    snprintf(sel, len, "%s@aws:eu-west-9", big);
    SM_ERROR(err);
    assert_int_equal(model_find(m, OBJ_PLACEMENT, sel, &a, &err), SM_ENOTFOUND);
    assert_string_equal(err.msg, "unknown region aws:eu-west-9; did you mean aws:eu-west-1?");
    free(sel);
    free(big);
    model_free(m);
}

/* model_index_names builds the map one sm_idmap_put per name would: the
 * same names and ids (a later id winning for a repeated name, deleted
 * objects left out, tombstones reused) and, in a map already sized for
 * them, the same slots. Keys through kf(m, id). */
static void
same_map(const struct sm_idmap *a, const struct sm_idmap *b, bool slots, sm_idmap_key *kf,
         const struct model *m)
{
    assert_int_equal(a->len, b->len);
    for (uint32_t i = 0; i < a->cap; i++)
        if (a->slots[i].hash)
            assert_int_equal(sm_idmap_get(b, kf(m, a->slots[i].val), kf, m), a->slots[i].val);
    if (!slots)
        return;
    assert_int_equal(a->cap, b->cap);
    for (uint32_t i = 0; i < a->cap; i++) {
        assert_int_equal(a->slots[i].hash, b->slots[i].hash);
        assert_int_equal(a->slots[i].val, b->slots[i].val);
    }
}

static void
test_index_names_in_bulk(void **state)
{
    struct model *m = tl_base_model(), *bulk = model_new();
    struct sm_idmap ref;
    char name[32];
    (void)state;

    /* 5000 datasets, a few names repeated (a later id replaces the earlier
     * one, as sm_map_put does) and two deleted */
    for (int i = 0; i < 5000; i++) {
        struct dataset d;
        model_dataset_init(&d);
        snprintf(name, sizeof name, "sys.t%07d", i % 4900);
        assert_int_equal(sm_big_grow((void **)&bulk->datasets, &bulk->cap_datasets, i + 1,
                                     sizeof *bulk->datasets, bulk->shareable), SM_OK);
        d.name = model_str(bulk, name);
        d.first_field = d.first_tag = d.first_placement = SM_NONE;
        d.deleted = i == 17 || i == 4000;
        bulk->datasets[bulk->ndatasets++] = d;
    }
    /* the reference: one put per name, in id order */
    sm_idmap_init(&ref);
    assert_int_equal(sm_idmap_reserve(&ref, 5000), SM_OK);
    for (int32_t i = 0; i < bulk->ndatasets; i++)
        if (!bulk->datasets[i].deleted)
            assert_int_equal(sm_idmap_put(&ref, bulk->datasets[i].name, i, model_dataset_key,
                                          bulk), SM_OK);
    /* in two steps, as the store does across the tables it reads */
    assert_int_equal(model_index_names(bulk, OBJ_DATASET, 0), SM_OK);
    same_map(&ref, &bulk->dataset_names, true, model_dataset_key, bulk);
    assert_int_equal(model_dataset(bulk, "sys.t0000005"), 4905);
    assert_int_equal(model_dataset(bulk, "sys.t0000017"), 4917);
    assert_int_equal(model_dataset(bulk, "sys.t0004000"), SM_NONE);
    assert_int_equal(model_dataset(bulk, "sys.t0004899"), 4899);
    /* appending more later indexes only the new ones; with tombstones */
    assert_true(sm_idmap_del(&bulk->dataset_names, "sys.t0000001", model_dataset_key, bulk));
    assert_true(sm_idmap_del(&ref, "sys.t0000001", model_dataset_key, bulk));
    assert_false(sm_idmap_del(&ref, "sys.t0000001", model_dataset_key, bulk));
    for (int i = 0; i < 3; i++) {
        struct dataset d;
        model_dataset_init(&d);
        snprintf(name, sizeof name, "late.%d", i);
        assert_int_equal(sm_big_grow((void **)&bulk->datasets, &bulk->cap_datasets,
                                     bulk->ndatasets + 1, sizeof *bulk->datasets,
                                     bulk->shareable), SM_OK);
        d.name = model_str(bulk, i == 2 ? "sys.t0000002" : name);
        d.first_field = d.first_tag = d.first_placement = SM_NONE;
        bulk->datasets[bulk->ndatasets] = d;
        assert_int_equal(sm_idmap_put(&ref, d.name, bulk->ndatasets, model_dataset_key, bulk),
                         SM_OK);
        bulk->ndatasets++;
    }
    assert_int_equal(model_index_names(bulk, OBJ_DATASET, 5000), SM_OK);
    same_map(&ref, &bulk->dataset_names, true, model_dataset_key, bulk);
    assert_int_equal(model_dataset(bulk, "sys.t0000002"), 5002);
    assert_int_equal(model_dataset(bulk, "late.1"), 5001);
    assert_int_equal(model_index_names(bulk, OBJ_DATASET, bulk->ndatasets), SM_OK);
    assert_int_equal(model_index_names(bulk, OBJ_TIER, 0), SM_EINVAL);
    sm_idmap_fini(&ref);

    /* flows: the same map as model_add_flow builds */
    int32_t a = add_dataset(m, "a", NULL, NULL), b = add_dataset(m, "b", NULL, NULL);
    int32_t pa = place(m, a, "aws:eu-west-1", ROLE_PRIMARY);
    int32_t pb = place(m, b, "aws:eu-west-1", ROLE_PRIMARY);
    for (int i = 0; i < 300; i++) {
        struct flow f;
        model_flow_init(&f);
        snprintf(name, sizeof name, "feed.%d", i);
        f.name = name;
        f.from = pa;
        f.to = pb;
        assert_int_equal(model_add_flow(m, &f, NULL, NULL), SM_OK);
    }
    struct sm_idmap built = m->flow_names;
    sm_idmap_init(&m->flow_names);
    assert_int_equal(model_index_names(m, OBJ_FLOW, 0), SM_OK);
    same_map(&built, &m->flow_names, false, model_flow_key, m);
    same_map(&m->flow_names, &built, false, model_flow_key, m);
    assert_int_equal(model_flow(m, "feed.299"), 299);
    sm_idmap_fini(&built);
    model_free(m);
    model_free(bulk);
}

/* Dataset properties: kept in key order, changed in place, removed,
 * copied by model_clone, gone with their dataset's list. */
static void
test_props(void **state)
{
    struct model *m = model_new(), *c = NULL;
    SM_ERROR(err);
    struct dataset d;
    int32_t ds, id, id2;
    const char *want[] = { "a", "label:x", "zeta" };
    int n = 0;
    (void)state;

    model_dataset_init(&d);
    d.name = "orders";
    assert_int_equal(model_add_dataset(m, &d, &ds, &err), SM_OK);
    assert_int_equal(model_set_prop(m, ds, "zeta", "1", "f.json", "g1", "t1", &id, &err), SM_OK);
    assert_int_equal(model_set_prop(m, ds, "a", "2", NULL, NULL, NULL, NULL, &err), SM_OK);
    assert_int_equal(model_set_prop(m, ds, "label:x", "", NULL, NULL, NULL, NULL, &err), SM_OK);
    for (int32_t p = m->datasets[ds].first_prop; p != SM_NONE; p = m->props[p].next)
        assert_string_equal(m->props[p].key, want[n++]);
    assert_int_equal(n, 3);
    /* the same key again: changed in place, not added */
    assert_int_equal(model_set_prop(m, ds, "zeta", "9", "h.json", "g2", "t2", &id2, &err), SM_OK);
    assert_int_equal(id2, id);
    assert_int_equal(m->nprops, 3);
    assert_string_equal(m->props[id].value, "9");
    assert_string_equal(m->props[id].entity, "g2");
    assert_int_equal(model_prop(m, ds, "zeta"), id);
    assert_int_equal(model_prop(m, ds, "nope"), SM_NONE);
    assert_int_equal(model_set_prop(m, ds, "", "v", NULL, NULL, NULL, NULL, &err), SM_EINVAL);
    assert_int_equal(model_set_prop(m, ds, "k", "\xff", NULL, NULL, NULL, NULL, &err), SM_EINVAL);
    /* a clone shares nothing: changing it leaves m as it was */
    assert_int_equal(model_clone(m, &c), SM_OK);
    assert_int_equal(model_set_prop(c, ds, "zeta", "other", NULL, NULL, NULL, NULL, &err), SM_OK);
    assert_string_equal(m->props[id].value, "9");
    assert_int_equal(model_remove_prop(m, model_prop(m, ds, "a")), SM_OK);
    assert_int_equal(model_prop(m, ds, "a"), SM_NONE);
    assert_int_equal(model_prop(c, ds, "a") != SM_NONE, 1);
    assert_string_equal(m->props[m->datasets[ds].first_prop].key, "label:x");
    assert_int_equal(model_remove_prop(m, 99), SM_EINVAL);
    model_free(c);
    model_free(m);
}

/* A field's column type and comment: "" until given, NULL leaves one as it
 * is, invalid UTF-8 is refused, a clone keeps them. */
static void
test_field_attrs(void **state)
{
    struct model *m = model_new(), *c = NULL;
    SM_ERROR(err);
    struct dataset d;
    int32_t ds, f;
    (void)state;

    model_dataset_init(&d);
    d.name = "orders";
    assert_int_equal(model_add_dataset(m, &d, &ds, &err), SM_OK);
    assert_int_equal(model_add_field(m, ds, "email", &f, &err), SM_OK);
    assert_string_equal(m->fields[f].type, "");
    assert_string_equal(m->fields[f].comment, "");
    assert_int_equal(model_set_field_attrs(m, f, "string", NULL, &err), SM_OK);
    assert_int_equal(model_set_field_attrs(m, f, NULL, "contact e-mail", &err), SM_OK);
    assert_string_equal(m->fields[f].type, "string");
    assert_string_equal(m->fields[f].comment, "contact e-mail");
    assert_int_equal(model_set_field_attrs(m, f, "\xc3", NULL, &err), SM_EINVAL);
    assert_string_equal(m->fields[f].type, "string");
    assert_int_equal(model_set_field_attrs(m, 42, "x", NULL, &err), SM_EINVAL);
    assert_int_equal(model_clone(m, &c), SM_OK);
    assert_int_equal(model_set_field_attrs(m, f, "text", NULL, &err), SM_OK);
    assert_string_equal(c->fields[f].type, "string");
    assert_string_equal(c->fields[f].comment, "contact e-mail");
    model_free(c);
    model_free(m);
}

/* The attribute sources' list heads live apart from struct dataset (none
 * made for a model without sources); model_asrc_relink (after a load
 * snapshot) makes the same heads again from the records, and a cleared
 * source or a removed dataset's does not come back; a clone has its own. */
static void
test_asrc_heads(void **state)
{
    struct model *m = model_new(), *c = NULL;
    SM_ERROR(err);
    int32_t a, b, f, before[3];
    (void)state;

    a = add_dataset(m, "a", NULL, NULL);
    b = add_dataset(m, "b", NULL, NULL);
    assert_null(m->asrc_first);
    assert_int_equal(model_asrc_first(m, a), SM_NONE);
    assert_int_equal(model_add_field(m, a, "email", &f, &err), SM_OK);
    assert_int_equal(model_set_asrc(m, a, SM_NONE, ASRC_OWNER, "x.json", "g1", "t", NULL, &err),
                     SM_OK);
    assert_int_equal(model_set_asrc(m, a, f, ASRC_TYPE, "x.json", "g1", "t", NULL, &err),
                     SM_OK);
    assert_int_equal(model_set_asrc(m, a, SM_NONE, ASRC_SYSTEM, "x.json", "g1", "t", NULL, &err),
                     SM_OK);
    assert_int_equal(model_set_asrc(m, b, SM_NONE, ASRC_TIER, "", "", "", NULL, &err), SM_OK);
    model_clear_asrc(m, a, SM_NONE, ASRC_SYSTEM);    /* a cleared record stays in the array */
    assert_int_equal(model_asrc(m, a, SM_NONE, ASRC_SYSTEM), SM_NONE);
    before[0] = model_asrc_first(m, a);
    before[1] = model_asrc_first(m, b);
    assert_true(before[0] != SM_NONE && before[1] != SM_NONE);
    assert_int_equal(model_asrc_relink(m), SM_OK);
    assert_int_equal(model_asrc_first(m, a), before[0]);
    assert_int_equal(model_asrc_first(m, b), before[1]);
    assert_int_equal(model_asrc(m, a, SM_NONE, ASRC_SYSTEM), SM_NONE);
    assert_true(model_asrc(m, a, f, ASRC_TYPE) != SM_NONE);
    assert_int_equal(model_clone(m, &c), SM_OK);
    assert_int_equal(model_remove(m, OBJ_DATASET, b, &err), SM_OK);
    assert_int_equal(model_asrc_first(m, b), SM_NONE);
    assert_int_equal(model_asrc_first(c, b), before[1]);    /* the clone's own */
    assert_int_equal(model_asrc_relink(m), SM_OK);
    assert_int_equal(model_asrc_first(m, b), SM_NONE);
    before[2] = add_dataset(m, "c", NULL, NULL);
    assert_int_equal(model_asrc_first(m, before[2]), SM_NONE);
    model_free(c);
    model_free(m);
}

/* model_sort_fields: a dataset's list in name order (bytes) whatever order the
 * fields were added in, every id kept, other datasets untouched; a tag's
 * expiry is set, checked and kept by a clone. */
static void
test_sort_fields_and_tag_expiry(void **state)
{
    static const char *const names[] = { "zip", "Email", "birth", "a", "\xc3\xa4rger", "b2",
                                          "b10", "email", "z" };
    static const char *const sorted[] = { "Email", "a", "b10", "b2", "birth", "email", "z", "zip",
                                          "\xc3\xa4rger" };
    const size_t n = sizeof names / sizeof *names;
    struct model *m = model_new(), *c = NULL;
    SM_ERROR(err);
    struct dataset d;
    int32_t ds, other, f, t, ids[16];
    size_t k = 0;
    (void)state;

    model_dataset_init(&d);
    d.name = "orders";
    assert_int_equal(model_add_dataset(m, &d, &ds, &err), SM_OK);
    d.name = "other";
    assert_int_equal(model_add_dataset(m, &d, &other, &err), SM_OK);
    assert_int_equal(model_add_field(m, other, "y", NULL, &err), SM_OK);
    assert_int_equal(model_add_field(m, other, "x", NULL, &err), SM_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(model_add_field(m, ds, names[i], &ids[i], &err), SM_OK);
    model_sort_fields(m, ds);
    for (f = m->datasets[ds].first_field; f != SM_NONE; f = m->fields[f].next, k++) {
        assert_true(k < n);
        assert_string_equal(m->fields[f].name, sorted[k]);
    }
    assert_int_equal(k, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(model_field(m, ds, names[i]), ids[i]);
    assert_string_equal(m->fields[m->datasets[other].first_field].name, "y");
    model_sort_fields(m, ds);           /* sorted already: the same */
    assert_string_equal(m->fields[m->datasets[ds].first_field].name, "Email");
    model_sort_fields(m, other);
    assert_string_equal(m->fields[m->datasets[other].first_field].name, "x");
    assert_int_equal(m->fields[m->fields[m->datasets[other].first_field].next].next, SM_NONE);

    assert_int_equal(model_add_tag(m, ds, ids[0], "pii", "f.json", "g (expired 2025-06-30)",
                                   "", &t, &err), SM_OK);
    assert_string_equal(m->tags[t].expired, "");
    assert_int_equal(model_set_tag_expired(m, t, "2025-06-30", &err), SM_OK);
    assert_int_equal(model_set_tag_expired(m, t, "2025-13-01", &err), SM_EINVAL);
    assert_int_equal(model_set_tag_expired(m, t, "\xc3", &err), SM_EINVAL);
    assert_string_equal(m->tags[t].expired, "2025-06-30");
    assert_int_equal(model_clone(m, &c), SM_OK);
    assert_int_equal(model_set_tag_expired(m, t, NULL, &err), SM_OK);
    assert_string_equal(m->tags[t].expired, "");
    assert_string_equal(c->tags[t].expired, "2025-06-30");
    model_free(c);
    model_free(m);
}

/* sm_big_release gives back the whole pages inside a range and keeps every
 * byte outside them: a memory file's pages read as zero again, a heap
 * block's bytes outside the range stay, and a share keeps all of its bytes
 * (its pages may be the original's). */
static void
test_big_release(void **state)
{
    size_t n = SM_BIG_MIN * 4;
    unsigned char *blk[2], *c;
    (void)state;

    blk[0] = sm_big_alloc(n, true);     /* a memory file on Linux */
    blk[1] = sm_big_alloc(n, false);    /* a heap block */
    for (int b = 0; b < 2; b++) {
        unsigned char *a = blk[b];
        size_t from = 4096 * 3 + 100, to = 4096 * 40 + 7;
        assert_non_null(a);
        for (size_t i = 0; i < n; i++)
            a[i] = (unsigned char)(i * 13 + 1);
        if (b == 0) {
            /* a share first: it keeps its bytes through a release of it */
            c = sm_big_share(a, n);
            assert_non_null(c);
            sm_big_release(c, c + from, c + to);
            for (size_t i = 0; i < n; i++)
                if (c[i] != (unsigned char)(i * 13 + 1))
                    fail_msg("share: byte %zu changed", i);
            sm_big_free(c);
        }
        /* the whole pages (at addresses a multiple of 4096) in the range */
        uintptr_t lo = ((uintptr_t)(a + from) + 4095) & ~(uintptr_t)4095;
        uintptr_t hi = (uintptr_t)(a + to) & ~(uintptr_t)4095;
        sm_big_release(a, a + from, a + to);
        /* the partial pages at both ends and everything outside: kept */
        for (size_t i = 0; i < n; i++) {
            bool inside = (uintptr_t)(a + i) >= lo && (uintptr_t)(a + i) < hi;
            if (!inside && a[i] != (unsigned char)(i * 13 + 1))
                fail_msg("block %d: byte %zu outside the pages given back changed", b, i);
#ifdef __linux__
            if (inside && b == 0 && a[i] != 0)
                fail_msg("memory file: byte %zu given back reads %d", i, a[i]);
#endif
        }
        /* the pages given back can be written again */
        assert_true(hi - lo >= 4096 * 35);
        memset((unsigned char *)lo, 'z', hi - lo);
        assert_int_equal(((unsigned char *)hi)[-1], 'z');
        assert_int_equal(a[from - 1], (unsigned char)((from - 1) * 13 + 1));
        /* ranges outside the block, empty or inside one page: nothing */
        sm_big_release(a, a + 10, a + 20);
        sm_big_release(a, a + 4096 * 50, a + 4096 * 50);
        sm_big_release(a, a - 4096, a + 100);
        assert_int_equal(a[10], (unsigned char)(10 * 13 + 1));
        assert_int_equal(a[0], 1);
        sm_big_free(a);
    }
    sm_big_release(NULL, NULL, NULL);
}

/* sm_big blocks: zeroed; a shareable big one is shared page by page (a
 * write to either side is not seen by the other), grows, and a copy
 * outgrowing its room keeps its bytes; small and unshareable ones are
 * plain copies; trim keeps the bytes asked for. */
static void
test_big_blocks(void **state)
{
    size_t n = SM_BIG_MIN * 2;
    unsigned char *a, *c, *h, *hc;
    int32_t *g = NULL, cap = 0;
    (void)state;

    a = sm_big_alloc(n, true);
    assert_non_null(a);
    assert_true(sm_big_room(a) >= n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(a[i], 0);
    for (size_t i = 0; i < n; i++)
        a[i] = (unsigned char)(i * 7);
    c = sm_big_share(a, n);
    assert_non_null(c);
    assert_ptr_not_equal(c, a);
#ifdef __linux__
    assert_true(sm_big_is_shared(c));
#endif
    assert_false(sm_big_is_shared(a));
    assert_memory_equal(a, c, n);
    c[5] = 1;
    c[n - 1] = 2;
    assert_int_equal(a[5], 35);
    assert_int_equal(a[n - 1], (unsigned char)((n - 1) * 7));
    a[4096 * 3] = 9;
    c[4096 * 3] = 8;
    assert_int_equal(a[4096 * 3], 9);
    /* the copy past its room: a block of its own with its bytes */
    c = sm_big_realloc(c, sm_big_room(c) * 3);
    assert_non_null(c);
    assert_int_equal(c[5], 1);
    assert_int_equal(c[n - 1], 2);
    assert_int_equal(c[4096 * 3], 8);
    assert_int_equal(c[n + 10], 0);
    assert_int_equal(a[5], 35);
    /* the original grows in place of its file */
    a = sm_big_realloc(a, sm_big_room(a) * 2);
    assert_non_null(a);
    assert_int_equal(a[4096 * 3], 9);
    assert_int_equal(a[n + 10], 0);
    sm_big_free(c);
    sm_big_free(a);

    /* small, and not shareable: heap blocks, copies */
    h = sm_big_alloc(100, false);
    assert_non_null(h);
    memset(h, 'x', 100);
    hc = sm_big_share(h, 100);
    assert_non_null(hc);
    assert_false(sm_big_is_shared(hc));
    hc[0] = 'y';
    assert_int_equal(h[0], 'x');
    h = sm_big_realloc(h, 5000);
    assert_int_equal(h[99], 'x');
    assert_int_equal(h[4999], 0);
    h = sm_big_trim(h, 50);
    assert_int_equal(sm_big_room(h), 50);
    assert_int_equal(h[49], 'x');
    sm_big_free(h);
    sm_big_free(hc);

    /* grown: a shareable small array becomes a memory file, its values kept */
    for (int32_t i = 0; i < 200000; i++) {
        assert_int_equal(sm_big_grow((void **)&g, &cap, i + 1, sizeof *g, true), SM_OK);
        g[i] = i;
    }
    assert_true(cap >= 200000);
    assert_true(sm_big_room(g) >= SM_BIG_MIN);
    for (int32_t i = 0; i < 200000; i += 997)
        assert_int_equal(g[i], i);
    c = sm_big_share(g, (size_t)cap * sizeof *g);
    assert_memory_equal(c, g, 200000 * sizeof *g);
    sm_big_free(c);
    sm_big_free(g);
    sm_big_free(NULL);
}

/* model_rows_kept: which kinds' names and deleted flags (and number) a run
 * of changes left alone; what the TUI keeps its name lists' signatures,
 * filter texts and rows on. */
static void
test_rows_kept(void **state)
{
    struct model *m = tl_small_model(), *c = NULL;
    int32_t a = add_dataset(m, "rk-a", "public", NULL), b = add_dataset(m, "rk-b", NULL, NULL);
    int32_t pa = place(m, a, "aws:eu-west-1", ROLE_PRIMARY), pb, id;
    uint64_t g0, g1;
    struct flow f;
    struct waiver w;

    (void)state;
    pb = place(m, b, "aws:eu-central-1", ROLE_PRIMARY);
    model_flow_init(&f);
    f.name = "rk-flow";
    f.from = pa;
    f.to = pb;
    assert_int_equal(model_add_flow(m, &f, NULL, NULL), SM_OK);
    g0 = m->generation;
    for (int k = 0; k < OBJ_KIND_COUNT; k++)
        assert_true(model_rows_kept(m, (enum obj_kind)k, g0));
    /* attributes (two in a row), a field, a tag: every kind kept since g0 */
    assert_int_equal(model_set(m, OBJ_DATASET, a, "tier", "confidential", NULL), SM_OK);
    assert_int_equal(model_set(m, OBJ_FLOW, 0, "mechanism", "scc", NULL), SM_OK);
    assert_int_equal(model_add_field(m, a, "email", &id, NULL), SM_OK);
    assert_int_equal(model_add_tag(m, a, id, "pii", NULL, NULL, NULL, NULL, NULL), SM_OK);
    assert_true(m->generation > g0);
    for (int k = 0; k < OBJ_KIND_COUNT; k++)
        assert_true(model_rows_kept(m, (enum obj_kind)k, g0));
    assert_false(model_rows_kept(m, OBJ_DATASET, m->generation + 1));
    /* a region's display name is the one attribute called a name */
    {
        struct region r;
        int32_t rid;
        model_region_init(&r);
        r.id = "onprem:rk";
        r.kind = REGION_ONPREM;
        assert_int_equal(model_add_region(m, &r, &rid, NULL), SM_OK);
        g1 = m->generation;
        assert_int_equal(model_set(m, OBJ_REGION, rid, "name", "RK", NULL), SM_OK);
        assert_false(model_rows_kept(m, OBJ_REGION, g1));
        assert_true(model_rows_kept(m, OBJ_DATASET, g1));
        assert_false(model_rows_kept(m, OBJ_DATASET, g0));  /* the region's add */
        g0 = m->generation;
    }
    /* a copy added: datasets and flows kept, copies not */
    g1 = m->generation;
    place(m, a, "aws:eu-central-1", ROLE_REPLICA);
    assert_true(model_rows_kept(m, OBJ_DATASET, g0));
    assert_true(model_rows_kept(m, OBJ_FLOW, g0));
    assert_false(model_rows_kept(m, OBJ_PLACEMENT, g1));
    assert_true(model_rows_kept(m, OBJ_PLACEMENT, m->generation));
    /* a waiver added: its kind only */
    g1 = m->generation;
    memset(&w, 0, sizeof w);
    w.rule = "RES001";
    w.object = "rk-a";
    w.reason = "test";
    w.expires = 20990101;
    assert_int_equal(model_add_waiver(m, &w, NULL, NULL), SM_OK);
    assert_false(model_rows_kept(m, OBJ_WAIVER, g1));
    assert_true(model_rows_kept(m, OBJ_DATASET, g0));
    /* a copy removed: its flows go with it; the datasets stay */
    g1 = m->generation;
    assert_int_equal(model_remove(m, OBJ_PLACEMENT, pb, NULL), SM_OK);
    assert_true(m->flows[0].deleted);
    assert_true(model_rows_kept(m, OBJ_DATASET, g0));
    assert_false(model_rows_kept(m, OBJ_FLOW, g1));
    assert_false(model_rows_kept(m, OBJ_PLACEMENT, g1));
    assert_true(model_rows_kept(m, OBJ_TIER, g0));
    /* a dataset removed: datasets, copies, flows */
    g1 = m->generation;
    assert_int_equal(model_remove(m, OBJ_DATASET, b, NULL), SM_OK);
    assert_false(model_rows_kept(m, OBJ_DATASET, g1));
    assert_true(model_rows_kept(m, OBJ_TIER, g0));
    assert_true(model_rows_kept(m, OBJ_WAIVER, g1));
    /* a change made any other way (a dataset added) keeps nothing, and a
     * new run starts after it */
    g1 = m->generation;
    add_dataset(m, "rk-c", NULL, NULL);
    for (int k = 0; k < OBJ_KIND_COUNT; k++)
        assert_false(model_rows_kept(m, (enum obj_kind)k, g1));
    g1 = m->generation;
    assert_int_equal(model_set(m, OBJ_DATASET, a, "tier", "public", NULL), SM_OK);
    assert_true(model_rows_kept(m, OBJ_DATASET, g1));
    assert_false(model_rows_kept(m, OBJ_DATASET, g1 - 1));
    assert_false(model_rows_kept(m, OBJ_DATASET, g0));
    /* every model its own serial, a clone too */
    assert_int_equal(model_clone(m, &c), SM_OK);
    assert_int_not_equal(c->serial, m->serial);
    assert_true(c->serial != 0 && m->serial != 0);
    model_free(c);
    model_free(m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_region_and_tier_accessors),
        cmocka_unit_test(test_rows_kept),
        cmocka_unit_test(test_arena_blocks),
        cmocka_unit_test(test_cc_and_dates),
        cmocka_unit_test(test_map_grows_and_deletes),
        cmocka_unit_test(test_selectors_and_suggestions),
        cmocka_unit_test(test_one_primary_per_dataset),
        cmocka_unit_test(test_long_texts_whole),
        cmocka_unit_test(test_attributes_round_trip),
        cmocka_unit_test(test_remove_cascades_and_clone),
        cmocka_unit_test(test_invalid_utf8_is_refused),
        cmocka_unit_test(test_hostile_names_are_kept),
        cmocka_unit_test(test_index_names_in_bulk),
        cmocka_unit_test(test_props),
        cmocka_unit_test(test_field_attrs),
        cmocka_unit_test(test_asrc_heads),
        cmocka_unit_test(test_sort_fields_and_tag_expiry),
        cmocka_unit_test(test_big_blocks),
        cmocka_unit_test(test_big_release),
    };
    return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
