/*
 * test_where.c - `sovmap where`'s verdicts (check_where) against the
 * checker itself: on the shipped demo, for every dataset, every region and
 * every role, placing a copy there gives exactly the rules check_where
 * names, none for an allowed cell, none once the named mechanism is
 * declared for a cell allowed with a mechanism.
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
#include "where.h"

#define TODAY 20261126

struct fx {
    struct model *m;
    struct rulepack *rp;
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
        rulepack_load(tl_datadir(), "default", &fx->rp, &e))
        fail_msg("%s", e.msg);
    free(text);
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

static const struct where_cell *
cell(const struct where_result *w, int role, int32_t r)
{
    return &w->cells[(size_t)role * (size_t)w->nregions + (size_t)r];
}

static uint32_t
probe_rules(const struct fx *fx, const struct model *m, int32_t d, int role, int32_t r, int mech)
{
    struct where_probe p;
    SM_ERROR(e);
    uint32_t rules;

    if (where_probe(m, fx->rp, TODAY, d, role, r, mech, &p, &e))
        fail_msg("probe %s %s %s: %s", m->datasets[d].name, where_role_names[role],
                 m->regions[r].id, e.msg);
    rules = p.rules;
    where_probe_fini(&p);
    return rules;
}

/* The cells of every dataset (NULL for a deleted one). */
static struct where_result **
all_cells(const struct fx *fx)
{
    struct where_result **w = calloc((size_t)fx->m->ndatasets + 1, sizeof *w);
    SM_ERROR(e);

    assert_non_null(w);
    for (int32_t d = 0; d < fx->m->ndatasets; d++)
        if (!fx->m->datasets[d].deleted && check_where(fx->m, fx->rp, TODAY, d, &w[d], &e))
            fail_msg("%s", e.msg);
    return w;
}

static void
free_cells(const struct fx *fx, struct where_result **w)
{
    for (int32_t d = 0; d < fx->m->ndatasets; d++)
        check_where_free(w[d]);
    free(w);
}

static bool
has_copy(const struct model *m, int32_t d)
{
    for (int32_t p = m->datasets[d].first_placement; p != SM_NONE; p = m->placements[p].next)
        if (!m->placements[p].deleted)
            return true;
    return false;
}

/* A copy of d in `role` in region r, declaring mech, the copies in its way
 * made cache copies (as where_probe does); its id. */
static int32_t
add_copy(struct model *m, int32_t d, int role, int32_t r, int32_t key, int mech)
{
    struct placement pl;
    SM_ERROR(e);
    int32_t id;

    for (int32_t q = m->datasets[d].first_placement; q != SM_NONE; q = m->placements[q].next)
        if (m->placements[q].region == r && m->placements[q].role == role)
            m->placements[q].role = ROLE_CACHE;
    model_placement_init(&pl);
    pl.dataset = d;
    pl.region = r;
    pl.role = (uint8_t)role;
    pl.encrypted = 1;
    pl.key_region = key;
    pl.mechanism = (uint8_t)mech;
    if (model_add_placement(m, &pl, &id, &e))
        fail_msg("%s", e.msg);
    return id;
}

/* The where-rules of the findings about each placement of m. */
static uint32_t *
rules_by_placement(const struct fx *fx, const struct model *m, struct check_result **out)
{
    struct check_result *r = tl_check(m);
    uint32_t *v = calloc((size_t)m->nplacements + 1, sizeof *v);

    (void)fx;
    assert_non_null(r);
    assert_non_null(v);
    for (int32_t k = 0; k < r->nfindings; k++) {
        const struct finding *f = &r->findings[k];
        int rule = rules_rule(f->rule);
        if (f->kind == OBJ_PLACEMENT && rule != SM_NONE && (check_where_rules() & (1u << rule)))
            v[f->object] |= 1u << rule;
    }
    *out = r;
    return v;
}

static void
expect(const struct model *m, int32_t d, int role, int32_t r, uint32_t want, uint32_t got,
       int mech)
{
    if (want != got)
        fail_msg("%s %s in %s with mechanism %s: where says rules %#x, the checker %#x",
                 m->datasets[d].name, where_role_names[role], m->regions[r].id,
                 mech == MECH_NONE ? "none" : mechanism_names[mech], want, got);
}

/* Replicas, backups and keys: for every dataset with a copy, a replica
 * (its key held in the same region) and a backup in every region, all in one
 * model: copies of one dataset are judged one by one against its home. With
 * mech_of_cell, each copy declares the mechanism its cell names. */
static void
batch_copies(const struct fx *fx, struct where_result **w, bool mech_of_cell,
             int32_t count[WHERE_ST_COUNT])
{
    struct model *m;
    int32_t *rep, *bak;
    size_t n = (size_t)fx->m->ndatasets * (size_t)fx->m->nregions + 1;
    struct check_result *res;
    uint32_t *got;

    assert_int_equal(model_clone(fx->m, &m), SM_OK);
    rep = calloc(n, sizeof *rep);
    bak = calloc(n, sizeof *bak);
    assert_true(rep && bak);
    for (int32_t d = 0; d < fx->m->ndatasets; d++) {
        if (!w[d] || !has_copy(fx->m, d))
            continue;
        for (int32_t r = 0; r < fx->m->nregions; r++) {
            const struct where_cell *cr = cell(w[d], WHERE_REPLICA, r);
            const struct where_cell *cb = cell(w[d], WHERE_BACKUP, r);
            size_t i = (size_t)d * (size_t)fx->m->nregions + (size_t)r;
            if (fx->m->regions[r].deleted)
                continue;
            rep[i] = add_copy(m, d, ROLE_REPLICA, r, mech_of_cell ? SM_NONE : r,
                              mech_of_cell ? cr->mechanism : MECH_NONE);
            bak[i] = add_copy(m, d, ROLE_BACKUP, r, SM_NONE, mech_of_cell ? cb->mechanism : MECH_NONE);
        }
    }
    got = rules_by_placement(fx, m, &res);
    for (int32_t d = 0; d < fx->m->ndatasets; d++) {
        if (!w[d] || !has_copy(fx->m, d))
            continue;
        for (int32_t r = 0; r < fx->m->nregions; r++) {
            size_t i = (size_t)d * (size_t)fx->m->nregions + (size_t)r;
            const struct where_cell *cr = cell(w[d], WHERE_REPLICA, r);
            const struct where_cell *cb = cell(w[d], WHERE_BACKUP, r);
            const struct where_cell *ck = cell(w[d], WHERE_KEY, r);
            uint32_t enc = 1u << RULE_ENC002;
            if (fx->m->regions[r].deleted)
                continue;
            if (mech_of_cell) {
                /* allowed, or allowed with the mechanism it names */
                expect(m, d, WHERE_REPLICA, r, cr->status == WHERE_ST_FORBIDDEN ? cr->rules : 0,
                       cr->status == WHERE_ST_FORBIDDEN ? cr->rules : got[rep[i]], cr->mechanism);
                expect(m, d, WHERE_BACKUP, r, cb->status == WHERE_ST_FORBIDDEN ? cb->rules : 0,
                       cb->status == WHERE_ST_FORBIDDEN ? cb->rules : got[bak[i]], cb->mechanism);
                continue;
            }
            expect(m, d, WHERE_REPLICA, r, cr->rules, got[rep[i]] & ~enc, MECH_NONE);
            expect(m, d, WHERE_KEY, r, ck->rules, got[rep[i]] & enc, MECH_NONE);
            expect(m, d, WHERE_BACKUP, r, cb->rules, got[bak[i]], MECH_NONE);
            count[cr->status]++;
            count[cb->status]++;
            count[ck->status]++;
        }
    }
    free(got);
    check_result_free(res);
    free(rep);
    free(bak);
    model_free(m);
}

/* Primaries: per region, every dataset's only primary moved there, in one
 * model (a dataset's home is its own business); RES003 is the dataset's. */
static void
batch_primaries(const struct fx *fx, struct where_result **w, int32_t count[WHERE_ST_COUNT])
{
    for (int32_t r = 0; r < fx->m->nregions; r++) {
        struct model *m;
        int32_t *pri = calloc((size_t)fx->m->ndatasets + 1, sizeof *pri);
        struct check_result *res;
        uint32_t *got;

        if (fx->m->regions[r].deleted) {
            free(pri);
            continue;
        }
        assert_non_null(pri);
        assert_int_equal(model_clone(fx->m, &m), SM_OK);
        for (int32_t d = 0; d < fx->m->ndatasets; d++) {
            if (!w[d])
                continue;
            for (int32_t q = m->datasets[d].first_placement; q != SM_NONE; q = m->placements[q].next)
                if (m->placements[q].role == ROLE_PRIMARY)
                    m->placements[q].role = ROLE_CACHE;
            pri[d] = add_copy(m, d, ROLE_PRIMARY, r, SM_NONE, MECH_NONE);
        }
        got = rules_by_placement(fx, m, &res);
        for (int32_t k = 0; k < res->nfindings; k++)
            if (res->findings[k].kind == OBJ_DATASET && strcmp(res->findings[k].rule, "RES003") == 0)
                got[pri[res->findings[k].object]] |= 1u << RULE_RES003;
        for (int32_t d = 0; d < fx->m->ndatasets; d++) {
            const struct where_cell *c;
            if (!w[d])
                continue;
            c = cell(w[d], WHERE_PRIMARY, r);
            expect(m, d, WHERE_PRIMARY, r, c->rules, got[pri[d]], MECH_NONE);
            count[c->status]++;
        }
        free(got);
        check_result_free(res);
        model_free(m);
        free(pri);
    }
}

static void
test_every_dataset_region_role(void **state)
{
    struct fx *fx = *state;
    struct where_result **w = all_cells(fx);
    int32_t count[WHERE_ST_COUNT] = { 0 }, n = 0;

    for (int32_t d = 0; d < fx->m->ndatasets; d++) {
        if (!w[d])
            continue;
        n++;
        assert_true(has_copy(fx->m, d));        /* else the batch would skip it */
        for (int32_t r = 0; r < fx->m->nregions; r++)
            for (int role = 0; role < WHERE_ROLE_COUNT; role++) {
                const struct where_cell *c = cell(w[d], role, r);
                assert_int_equal(c->status == WHERE_ST_ALLOWED, c->rules == 0);
                /* every verdict says why, in text */
                assert_non_null(c->detail);
                assert_true(*c->detail);
                assert_int_equal(sm_utf8_invalid(c->detail), -1);
                for (const char *p = c->detail; *p; p++)
                    assert_true((unsigned char)*p >= 0x20);
            }
    }
    assert_true(n >= 20);
    batch_copies(fx, w, false, count);
    batch_copies(fx, w, true, count);
    batch_primaries(fx, w, count);
    /* a primary or key allowed with a mechanism: one probe each */
    for (int32_t d = 0; d < fx->m->ndatasets; d++)
        for (int32_t r = 0; w[d] && r < fx->m->nregions; r++)
            for (int role = WHERE_PRIMARY; role <= WHERE_KEY; role += WHERE_KEY - WHERE_PRIMARY) {
                const struct where_cell *c = cell(w[d], role, r);
                if (c->status == WHERE_ST_MECHANISM)
                    expect(fx->m, d, role, r, 0, probe_rules(fx, fx->m, d, role, r, c->mechanism),
                           c->mechanism);
            }
    /* the demo exercises each verdict */
    for (int s = 0; s < WHERE_ST_COUNT; s++)
        assert_true(count[s] > 0);
    free_cells(fx, w);
}

/* The probe --why-not uses: one copy, the checker's own findings. */
static void
test_probe_why_not(void **state)
{
    struct fx *fx = *state;
    int32_t d = model_dataset(fx->m, "loyalty_members_eu");
    int32_t us = model_region(fx->m, "aws:us-east-1"), de = model_region(fx->m, "aws:eu-central-1");
    struct where_probe p;
    struct where_result *w;
    SM_ERROR(e);

    assert_true(d != SM_NONE && us != SM_NONE && de != SM_NONE);
    assert_int_equal(where_probe(fx->m, fx->rp, TODAY, d, WHERE_REPLICA, us, MECH_NONE, &p, &e), SM_OK);
    assert_int_equal(p.rules, 1u << RULE_RES001 | 1u << RULE_XFR002);
    assert_int_equal(p.nfindings, 2);
    assert_string_equal(p.r->findings[p.findings[0]].rule, "RES001");
    assert_true(p.r->findings[p.findings[0]].why.n >= 3);
    where_probe_fini(&p);
    /* the primary's own mechanism does not move it out of the bloc */
    assert_int_equal(where_probe(fx->m, fx->rp, TODAY, d, WHERE_PRIMARY, us, MECH_DPF, &p, &e), SM_OK);
    assert_int_equal(p.rules, 1u << RULE_RES001);
    where_probe_fini(&p);
    assert_int_equal(check_where(fx->m, fx->rp, TODAY, d, &w, &e), SM_OK);
    assert_int_equal(cell(w, WHERE_REPLICA, us)->status, WHERE_ST_FORBIDDEN);
    assert_int_equal(cell(w, WHERE_REPLICA, de)->status, WHERE_ST_ALLOWED);
    assert_string_equal(cell(w, WHERE_REPLICA, de)->detail, "inside the EEA");
    assert_string_equal(cell(w, WHERE_REPLICA, us)->detail, "RES001, XFR002");
    check_where_free(w);
}

/* A dataset not yet modelled: restricted with EU subjects answers as the
 * demo's loyalty_members_eu does, region for region. */
static void
test_scratch_same_as_modelled(void **state)
{
    struct fx *fx = *state;
    int32_t d = model_dataset(fx->m, "loyalty_members_eu"), nd;
    uint16_t eu = (uint16_t)sm_cc("EU");
    struct model *m;
    struct where_result *a, *b;
    SM_ERROR(e);
    int32_t allowed = 0;

    assert_int_equal(where_scratch(fx->m, model_tier(fx->m, "restricted"), &eu, 1, false, &m, &nd, &e),
                     SM_OK);
    assert_int_equal(check_where(fx->m, fx->rp, TODAY, d, &a, &e), SM_OK);
    assert_int_equal(check_where(m, fx->rp, TODAY, nd, &b, &e), SM_OK);
    assert_int_equal(b->home_region, SM_NONE);
    for (int32_t r = 0; r < fx->m->nregions; r++) {
        assert_int_equal(cell(a, WHERE_PRIMARY, r)->status, cell(b, WHERE_PRIMARY, r)->status);
        assert_int_equal(cell(a, WHERE_REPLICA, r)->status, cell(b, WHERE_REPLICA, r)->status);
        assert_int_equal(cell(a, WHERE_BACKUP, r)->status, cell(b, WHERE_BACKUP, r)->status);
        allowed += cell(b, WHERE_REPLICA, r)->status == WHERE_ST_ALLOWED;
    }
    assert_true(allowed > 10);
    check_where_free(a);
    check_where_free(b);
    model_free(m);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_every_dataset_region_role),
        T(test_probe_why_not),
        T(test_scratch_same_as_modelled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
