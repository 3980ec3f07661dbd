/*
 * test_check_update.c - the incremental re-check against a fresh check:
 * random edits of every kind (attributes, copies, flows, fields, tags,
 * datasets, waivers, regions and tiers, undo and redo) on a generated
 * model; after each, check_update of the previous result must equal
 * check_run of the model exactly (every finding field and their order,
 * transfers, stats, expired waivers, lineage facts, the object index).
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

static uint64_t rng = 88172645463325252ull;

static uint32_t
rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)((rng >> 11) % n);
}

static const char *const subj_sets[] = { "EU", "US", "EU,US", "BR", "EU,BR", "IN", "GB", "CH", "" };
static const char *const tags[] = { "pii.email", "pii.name", "pii", "finance", "pii.phone" };
static const char *const fieldnames[] = { "email", "name", "phone", "id", "amount" };
static const char *const roles[] = { "replica", "backup", "dr", "cache", "archive" };
static const char *const kinds[] = { "replication", "etl", "stream", "backup", "query", "export" };
static const char *const mechs[] = { "none", "scc", "dpf", "bcr", "consent", "adequacy" };
static const char *const xforms[] = { "", "mask email", "anonymize", "pseudonymize name",
                                      "drop email phone", "aggregate" };
static const char *const rules_w[] = { "RES001", "RES002", "XFR001", "XFR002", "ENC001",
                                       "CLS001", "LIN001", "RES004" };

/* A few hundred regions: pick among the live ones. */
static const char *
any_region(const struct model *m)
{
    for (;;) {
        int32_t r = (int32_t)rnd((uint32_t)m->nregions);
        if (!m->regions[r].deleted && !m->regions[r].global)
            return m->regions[r].id;
    }
}

static int32_t
any_live(const struct model *m, enum obj_kind kind)
{
    int32_t n = kind == OBJ_DATASET ? m->ndatasets : kind == OBJ_PLACEMENT ? m->nplacements
              : kind == OBJ_FLOW ? m->nflows : m->nwaivers;
    for (int tries = 0; n > 0 && tries < 50; tries++) {
        int32_t i = (int32_t)rnd((uint32_t)n);
        bool dead = kind == OBJ_DATASET ? m->datasets[i].deleted
                  : kind == OBJ_PLACEMENT ? m->placements[i].deleted
                  : kind == OBJ_FLOW ? m->flows[i].deleted : m->waivers[i].deleted;
        if (!dead)
            return i;
    }
    return SM_NONE;
}

static void
sel(const struct model *m, enum obj_kind kind, int32_t id, char *buf, size_t size)
{
    model_selector(m, kind, id, buf, size);
}

static int
try_edit(struct model *m, struct edit *e, struct edit_result *res, struct check_touch *t)
{
    SM_ERROR(err);
    int rc;

    if (e->op != EDIT_ADD)
        assert_int_equal(check_touch_selector(t, m, e->kind, e->key), SM_OK);
    if ((rc = edit_apply(m, e, res, &err)) != SM_OK)
        return rc;
    assert_int_equal(check_touch_object(t, m, res->kind, res->id), SM_OK);
    for (int32_t k = 0; k < res->ntouched; k++)
        assert_int_equal(check_touch_object(t, m, res->touched[k].kind, res->touched[k].id), SM_OK);
    return SM_OK;
}

static void
attr(struct edit *e, const char *name, const char *value)
{
    e->attrs[e->nattrs].name = name;
    e->attrs[e->nattrs++].value = value;
}

static void
build(struct model *m, int n)
{
    char name[64], key[128], a[128], b[128];
    struct edit_result res;
    SM_ERROR(err);

    for (int i = 0; i < n; i++) {
        struct edit e = { EDIT_ADD, OBJ_DATASET, name, 0, { { 0 } } };
        int32_t d;
        snprintf(name, sizeof name, "ds%03d", i);
        if (rnd(20))
            attr(&e, "tier", rnd(3) == 0 ? "restricted" : rnd(2) ? "confidential" : "public");
        attr(&e, "subjects", subj_sets[rnd(sizeof subj_sets / sizeof *subj_sets)]);
        assert_int_equal(edit_apply(m, &e, &res, &err), SM_OK);
        edit_result_fini(&res);
        d = model_dataset(m, name);
        for (int f = 0, nf = (int)rnd(4); f < nf; f++) {
            int32_t fid;
            assert_int_equal(model_add_field(m, d, fieldnames[rnd(5)], &fid, NULL), SM_OK);
            if (rnd(2))
                assert_int_equal(model_add_tag(m, d, fid, tags[rnd(5)], "", "", "", NULL, NULL),
                                 SM_OK);
        }
        if (rnd(4) == 0)
            assert_int_equal(model_add_tag(m, d, SM_NONE, "owner=x", "", "", "", NULL, NULL),
                             SM_OK);
        for (int c = 0, nc = 1 + (int)rnd(3); c < nc; c++) {
            struct edit p = { EDIT_ADD, OBJ_PLACEMENT, key, 0, { { 0 } } };
            snprintf(key, sizeof key, "%s@%s", name, any_region(m));
            attr(&p, "role", c == 0 ? "primary" : roles[rnd(5)]);
            attr(&p, "encrypted", rnd(5) ? "true" : "false");
            if (rnd(6) == 0)
                attr(&p, "key-region", any_region(m));
            if (edit_apply(m, &p, &res, &err) == SM_OK)
                edit_result_fini(&res);
        }
    }
    /* flows: inside a dataset and between near datasets (groups of a few) */
    for (int i = 0; i < n * 2; i++) {
        int32_t p = any_live(m, OBJ_PLACEMENT), q;
        struct edit e = { EDIT_ADD, OBJ_FLOW, "", 0, { { 0 } } };
        int32_t d;
        if (p == SM_NONE)
            continue;
        d = m->placements[p].dataset;
        q = rnd(3) ? m->datasets[(d + 1 + (int32_t)rnd(3)) % m->ndatasets].first_placement
                   : m->datasets[d].first_placement;
        sel(m, OBJ_PLACEMENT, p, a, sizeof a);
        attr(&e, "from", a);
        if (rnd(8) == 0) {
            attr(&e, "to-region", any_region(m));
            attr(&e, "kind", "export");
        } else {
            if (q == SM_NONE || q == p)
                continue;
            sel(m, OBJ_PLACEMENT, q, b, sizeof b);
            attr(&e, "to", b);
            attr(&e, "kind", kinds[rnd(5)]);
        }
        attr(&e, "mechanism", mechs[rnd(6)]);
        attr(&e, "transforms", xforms[rnd(6)]);
        if (rnd(3) == 0)
            attr(&e, "fields", rnd(2) ? "email,id" : "amount");
        if (edit_apply(m, &e, &res, &err) == SM_OK)
            edit_result_fini(&res);
    }
}

/* ---- comparing two results -------------------------------------------------- */

static void
same_str(const char *a, const char *b, const char *what, int32_t i)
{
    if (strcmp(a ? a : "(null)", b ? b : "(null)") != 0)
        fail_msg("finding %d: %s differs: \"%s\" vs \"%s\"", i, what, a ? a : "(null)",
                 b ? b : "(null)");
}

static void
same_result(const struct check_result *u, const struct check_result *f, const struct model *m)
{
    char sa[512], sb[512];

    assert_int_equal(u->nfindings, f->nfindings);
    for (int32_t i = 0; i < f->nfindings; i++) {
        const struct finding *a = &u->findings[i], *b = &f->findings[i];
        same_str(a->rule, b->rule, "rule", i);
        same_str(a->selector, b->selector, "selector", i);
        same_str(a->jurisdictions, b->jurisdictions, "jurisdictions", i);
        same_str(a->message, b->message, "message", i);
        same_str(a->hint, b->hint, "hint", i);
        /* the fix targets too: ids of the whole model, not the group's */
        assert_int_equal(a->fix.region[0], b->fix.region[0]);
        assert_int_equal(a->fix.region[1], b->fix.region[1]);
        assert_int_equal(a->fix.tier, b->fix.tier);
        assert_memory_equal(a->fix.mech, b->fix.mech, sizeof a->fix.mech);
        same_str(a->fix.mask && *a->fix.mask ? a->fix.mask : NULL,
                 b->fix.mask && *b->fix.mask ? b->fix.mask : NULL, "fix.mask", i);
        assert_int_equal(a->severity, b->severity);
        assert_int_equal(a->waived, b->waived);
        assert_int_equal(a->kind, b->kind);
        assert_int_equal(a->object, b->object);
        assert_int_equal(a->dataset, b->dataset);
        assert_int_equal(a->waiver, b->waiver);
        assert_int_equal(a->why.n, b->why.n);
        for (uint32_t k = 0; k < a->why.n; k++)
            same_str(a->why.v[k], b->why.v[k], "why", i);
        assert_int_equal(u->by_object[i], f->by_object[i]);
    }
    assert_int_equal(u->ntransfers, f->ntransfers);
    for (int32_t i = 0; i < f->ntransfers; i++) {
        const struct transfer *a = &u->transfers[i], *b = &f->transfers[i];
        /* one row per transfer (equal rows would sort together) */
        if (i > 0) {
            const struct transfer *p = &f->transfers[i - 1];
            assert_false(p->dataset == b->dataset && p->placement == b->placement &&
                         p->flow == b->flow && p->from_cc == b->from_cc && p->to_cc == b->to_cc &&
                         strcmp(check_transfer_regime(f, p), check_transfer_regime(f, b)) == 0);
        }
        assert_int_equal(a->dataset, b->dataset);
        assert_int_equal(a->placement, b->placement);
        assert_int_equal(a->flow, b->flow);
        assert_int_equal(a->from_cc, b->from_cc);
        assert_int_equal(a->to_cc, b->to_cc);
        assert_string_equal(check_transfer_regime(u, a), check_transfer_regime(f, b));
        assert_int_equal(a->mechanism, b->mechanism);
        assert_int_equal(a->status, b->status);
        assert_int_equal(a->personal, b->personal);
        assert_string_equal(check_transfer_basis(u, a), check_transfer_basis(f, b));
    }
    assert_memory_equal(&u->stats, &f->stats, sizeof f->stats);
    assert_int_equal(u->nexpired, f->nexpired);
    for (int32_t i = 0; i < f->nexpired; i++)
        assert_int_equal(u->expired[i], f->expired[i]);
    assert_int_equal(u->ndatasets, f->ndatasets);
    assert_int_equal(u->nflows, f->nflows);
    for (int32_t d = 0; d < f->ndatasets; d++) {
        assert_int_equal(u->eff_tier[d], f->eff_tier[d]);
        assert_int_equal(u->eff_via[d], f->eff_via[d]);
        assert_int_equal(u->lineage->subj_via[d], f->lineage->subj_via[d]);
        assert_int_equal(check_dataset_personal(u, d), check_dataset_personal(f, d));
        assert_int_equal(u->lineage->has_pfields[d], f->lineage->has_pfields[d]);
        assert_string_equal(check_eff_subjects(u, d, sa, sizeof sa),
                            check_eff_subjects(f, d, sb, sizeof sb));
        if (m->datasets[d].deleted)
            continue;
        for (int32_t fd = m->datasets[d].first_field; fd != SM_NONE; fd = m->fields[fd].next)
            assert_int_equal(u->lineage->pfield[fd], f->lineage->pfield[fd]);
    }
    for (int32_t fl = 0; fl < f->nflows; fl++) {
        assert_int_equal(u->flow_personal[fl], f->flow_personal[fl]);
        assert_int_equal(u->lineage->removes[fl], f->lineage->removes[fl]);
    }
}

/* ---- random edits ------------------------------------------------------------- */

struct done {
    struct edit_result res;
    bool used;
};

/* One random edit; SM_OK when it applied. */
static int
random_edit(struct model *m, struct check_touch *t, struct edit_result *res, int *kindno)
{
    char key[512], v1[512], v2[512], name[64];
    struct edit e = { EDIT_SET, OBJ_DATASET, key, 0, { { 0 } } };
    int32_t id;
    int what = (int)rnd(22);

    *kindno = what;
    switch (what) {
    case 0: case 1:     /* dataset attributes */
        if ((id = any_live(m, OBJ_DATASET)) == SM_NONE)
            return SM_EINVAL;
        sel(m, OBJ_DATASET, id, key, sizeof key);
        switch (rnd(5)) {
        case 0: attr(&e, "tier", rnd(3) == 0 ? "restricted" : rnd(2) ? "confidential" : "public"); break;
        case 1: attr(&e, "subjects", subj_sets[rnd(sizeof subj_sets / sizeof *subj_sets)]); break;
        case 2: attr(&e, "retention", rnd(2) ? "30" : "3650"); break;
        case 3: attr(&e, "public-sector", rnd(2) ? "true" : "false"); break;
        default: attr(&e, "tier", ""); break;
        }
        return try_edit(m, &e, res, t);
    case 2:             /* a new dataset */
        snprintf(name, sizeof name, "new%u", rnd(100000));
        e.op = EDIT_ADD;
        e.key = name;
        attr(&e, "tier", rnd(2) ? "restricted" : "public");
        attr(&e, "subjects", subj_sets[rnd(sizeof subj_sets / sizeof *subj_sets)]);
        return try_edit(m, &e, res, t);
    case 3:             /* remove a dataset */
        if ((id = any_live(m, OBJ_DATASET)) == SM_NONE)
            return SM_EINVAL;
        sel(m, OBJ_DATASET, id, key, sizeof key);
        e.op = EDIT_REMOVE;
        return try_edit(m, &e, res, t);
    case 4: case 5:     /* a new copy */
        if ((id = any_live(m, OBJ_DATASET)) == SM_NONE)
            return SM_EINVAL;
        snprintf(key, sizeof key, "%s@%s", m->datasets[id].name, any_region(m));
        e.op = EDIT_ADD;
        e.kind = OBJ_PLACEMENT;
        attr(&e, "role", rnd(4) ? roles[rnd(5)] : "primary");
        attr(&e, "encrypted", rnd(2) ? "true" : "false");
        return try_edit(m, &e, res, t);
    case 6: case 7:     /* copy attributes */
        if ((id = any_live(m, OBJ_PLACEMENT)) == SM_NONE)
            return SM_EINVAL;
        sel(m, OBJ_PLACEMENT, id, key, sizeof key);
        e.kind = OBJ_PLACEMENT;
        switch (rnd(5)) {
        case 0: attr(&e, "region", any_region(m)); break;
        case 1: attr(&e, "encrypted", rnd(2) ? "true" : "false"); break;
        case 2: attr(&e, "key-region", rnd(3) ? any_region(m) : ""); break;
        case 3: attr(&e, "mechanism", mechs[rnd(6)]); break;
        default: attr(&e, "role", roles[rnd(5)]); break;
        }
        return try_edit(m, &e, res, t);
    case 8:             /* remove a copy */
        if ((id = any_live(m, OBJ_PLACEMENT)) == SM_NONE)
            return SM_EINVAL;
        sel(m, OBJ_PLACEMENT, id, key, sizeof key);
        e.op = EDIT_REMOVE;
        e.kind = OBJ_PLACEMENT;
        return try_edit(m, &e, res, t);
    case 9: case 10: {  /* a new flow */
        int32_t p = any_live(m, OBJ_PLACEMENT), q = any_live(m, OBJ_PLACEMENT);
        if (p == SM_NONE || q == SM_NONE || p == q)
            return SM_EINVAL;
        e.op = EDIT_ADD;
        e.kind = OBJ_FLOW;
        e.key = "";
        sel(m, OBJ_PLACEMENT, p, v1, sizeof v1);
        sel(m, OBJ_PLACEMENT, q, v2, sizeof v2);
        attr(&e, "from", v1);
        attr(&e, "to", v2);
        attr(&e, "kind", kinds[rnd(5)]);
        attr(&e, "transforms", xforms[rnd(6)]);
        attr(&e, "mechanism", mechs[rnd(6)]);
        return try_edit(m, &e, res, t);
    }
    case 11: case 12:   /* flow attributes */
        if ((id = any_live(m, OBJ_FLOW)) == SM_NONE)
            return SM_EINVAL;
        sel(m, OBJ_FLOW, id, key, sizeof key);
        e.kind = OBJ_FLOW;
        switch (rnd(8)) {
        case 0: attr(&e, "mechanism", mechs[rnd(6)]); break;
        case 1: attr(&e, "transforms", xforms[rnd(6)]); break;
        case 2: attr(&e, "kind", kinds[rnd(5)]); break;
        case 3: attr(&e, "transit-encrypted", rnd(2) ? "true" : "false"); break;
        case 4: attr(&e, "fields", rnd(2) ? "email" : ""); break;
        case 5: {
            int32_t p = any_live(m, OBJ_PLACEMENT);
            if (p == SM_NONE)
                return SM_EINVAL;
            sel(m, OBJ_PLACEMENT, p, v1, sizeof v1);
            attr(&e, rnd(2) ? "from" : "to", v1);
            break;
        }
        case 6: attr(&e, "valid-to", rnd(2) ? "2020-01-01" : "2030-01-01"); break;
        default: attr(&e, "public-recipient", rnd(2) ? "true" : "false"); break;
        }
        return try_edit(m, &e, res, t);
    case 13:            /* remove a flow */
        if ((id = any_live(m, OBJ_FLOW)) == SM_NONE)
            return SM_EINVAL;
        sel(m, OBJ_FLOW, id, key, sizeof key);
        e.op = EDIT_REMOVE;
        e.kind = OBJ_FLOW;
        return try_edit(m, &e, res, t);
    case 14: case 15: { /* a waiver on some object */
        enum obj_kind k = rnd(3) == 0 ? OBJ_DATASET : rnd(2) ? OBJ_PLACEMENT : OBJ_FLOW;
        if ((id = any_live(m, k)) == SM_NONE)
            return SM_EINVAL;
        sel(m, k, id, v1, sizeof v1);
        snprintf(key, sizeof key, "%s:%s", rules_w[rnd(8)], v1);
        e.op = EDIT_ADD;
        e.kind = OBJ_WAIVER;
        attr(&e, "owner", "me");
        attr(&e, "reason", "test");
        attr(&e, "expires", rnd(3) == 0 ? "2025-01-01" : "2027-12-31");
        return try_edit(m, &e, res, t);
    }
    case 16:            /* waiver expiry, or its removal */
        if ((id = any_live(m, OBJ_WAIVER)) == SM_NONE)
            return SM_EINVAL;
        sel(m, OBJ_WAIVER, id, key, sizeof key);
        e.kind = OBJ_WAIVER;
        if (rnd(2)) {
            e.op = EDIT_REMOVE;
        } else {
            attr(&e, "expires", rnd(2) ? "2025-01-01" : "2027-12-31");
        }
        return try_edit(m, &e, res, t);
    case 17: {          /* fields and tags (the CLI's field and tag commands) */
        int32_t fid;
        if ((id = any_live(m, OBJ_DATASET)) == SM_NONE)
            return SM_EINVAL;
        assert_int_equal(check_touch_object(t, m, OBJ_DATASET, id), SM_OK);
        memset(res, 0, sizeof *res);
        res->kind = OBJ_DATASET;
        res->id = id;
        switch (rnd(3)) {
        case 0:
            return model_add_field(m, id, fieldnames[rnd(5)], &fid, NULL) ||
                   model_add_tag(m, id, fid, tags[rnd(5)], "", "", "", NULL, NULL);
        case 1:
            if (m->datasets[id].first_tag == SM_NONE)
                return SM_EINVAL;
            return model_remove_tag(m, m->datasets[id].first_tag);
        default:
            if (m->datasets[id].first_field == SM_NONE)
                return SM_EINVAL;
            return model_remove_field(m, m->datasets[id].first_field, NULL);
        }
    }
    case 18:            /* the law for everyone: a tier or a region */
        if (rnd(4))
            return SM_EINVAL;
        e.kind = rnd(2) ? OBJ_TIER : OBJ_REGION;
        if (e.kind == OBJ_TIER) {
            snprintf(key, sizeof key, "%s", "confidential");
            attr(&e, "personal", rnd(2) ? "true" : "false");
        } else {
            snprintf(key, sizeof key, "%s", "aws:us-east-1");
            attr(&e, "name", rnd(2) ? "Virginia" : "N. Virginia");
        }
        return try_edit(m, &e, res, t);
    default:
        return SM_EINVAL;   /* 19-21: undo/redo, done by the caller */
    }
}

/* A random edit on m, its result and touch list let go: the next step's
 * model (the tests that compare whole checks of it). */
static void
scramble(struct model *m)
{
    struct check_touch t = { 0 };
    struct edit_result res;
    int kindno;

    memset(&res, 0, sizeof res);
    (void)random_edit(m, &t, &res, &kindno);
    edit_result_fini(&res);
    check_touch_fini(&t);
}

static void
test_random_edits(void **state)
{
    struct rulepack *rp = NULL;
    SM_ERROR(err);
    struct model *m = tl_base_model();
    struct check_result *r = NULL;
    struct done hist[16];
    int nhist = 0, applied = 0, updated = 0, refused = 0, changed = 0, steps;
    const char *env = getenv("SOVMAP_UPDATE_STEPS");
    int kinds_seen[22] = { 0 };

    (void)state;
    memset(hist, 0, sizeof hist);
    steps = env ? atoi(env) : 1500;
    if (getenv("SOVMAP_UPDATE_SEED"))
        rng = strtoull(getenv("SOVMAP_UPDATE_SEED"), NULL, 10) | 1;
    assert_int_equal(rulepack_load(tl_datadir(), "default", &rp, &err), SM_OK);
    assert_int_equal(rulepack_seed_tiers(rp, m, &err), SM_OK);
    build(m, 300);
    assert_int_equal(check_run(m, rp, TODAY, &r, &err), SM_OK);
    for (int step = 0; step < steps; step++) {
        struct check_touch t = { 0 };
        struct check_change chg;
        struct check_result *full = NULL;
        struct edit_result res;
        int kindno, rc;

        memset(&res, 0, sizeof res);
        rc = random_edit(m, &t, &res, &kindno);
        if (kindno >= 19 && nhist > 0) {
            /* undo or redo an earlier edit (the TUI's u / ^R) */
            struct done *h = &hist[rnd((uint32_t)nhist)];
            check_touch_fini(&t);
            assert_int_equal(check_touch_object(&t, m, h->res.kind, h->res.id), SM_OK);
            for (int32_t k = 0; k < h->res.ntouched; k++)
                assert_int_equal(check_touch_object(&t, m, h->res.touched[k].kind,
                                                    h->res.touched[k].id), SM_OK);
            rc = edit_reverted(&h->res) ? edit_reapply(m, &h->res, &err)
                                        : edit_revert(m, &h->res, &err);
            if (rc == SM_OK) {
                assert_int_equal(check_touch_object(&t, m, h->res.kind, h->res.id), SM_OK);
                for (int32_t k = 0; k < h->res.ntouched; k++)
                    assert_int_equal(check_touch_object(&t, m, h->res.touched[k].kind,
                                                        h->res.touched[k].id), SM_OK);
            }
        } else if (rc == SM_OK && res.undo) {
            if (nhist == 16) {
                edit_result_fini(&hist[0].res);
                memmove(hist, hist + 1, sizeof *hist * 15);
                nhist--;
            }
            hist[nhist].res = res;
            hist[nhist++].used = true;
            memset(&res, 0, sizeof res);
        }
        edit_result_fini(&res);
        if (rc != SM_OK) {
            check_touch_fini(&t);
            continue;
        }
        applied++;
        kinds_seen[kindno]++;
        assert_int_equal(check_update(r, m, &t, &chg, &err), SM_OK);
        if (chg.ngroup < 0) {
            refused++;
            check_result_free(r);
            assert_int_equal(check_run(m, rp, TODAY, &r, &err), SM_OK);
        } else {
            updated++;
            changed += chg.nold + chg.nnow > 0;
            for (int32_t k = 0; k < chg.nnow; k++)
                assert_true(chg.now[k] >= 0 && chg.now[k] < r->nfindings);
        }
        check_change_fini(&chg);
        check_touch_fini(&t);
        assert_int_equal(check_run(m, rp, TODAY, &full, &err), SM_OK);
        same_result(r, full, m);
        check_result_free(full);
    }
    if (getenv("SOVMAP_UPDATE_VERBOSE")) {
        fprintf(stderr, "applied %d, updated %d (%d changed findings), refused %d, findings %d\n",
                applied, updated, changed, refused, r->nfindings);
        for (int k = 0; k < 22; k++)
            fprintf(stderr, " kind %d: %d\n", k, kinds_seen[k]);
    }
    assert_true(updated > applied / 2);
    assert_true(changed > updated / 4);
    for (int i = 0; i < nhist; i++)
        edit_result_fini(&hist[i].res);
    check_result_free(r);
    model_free(m);
    rulepack_free(rp);
}

/* check_run on two threads (SOVMAP_THREADS=2: datasets and flows cut in
 * two ranges, merged in order) gives exactly the one-thread result, on
 * generated models of several sizes and after random edits (deleted
 * objects, waivers, new regions and tiers in the middle of the ranges). */
static void
run_threads(const struct model *m, const struct rulepack *rp, const char *n,
            struct check_result **out)
{
    SM_ERROR(err);

    assert_int_equal(setenv("SOVMAP_THREADS", n, 1), 0);
    assert_int_equal(check_run(m, rp, TODAY, out, &err), SM_OK);
    assert_int_equal(unsetenv("SOVMAP_THREADS"), 0);
}

/* check_run_findings (what `sovmap check` runs) gives check_run's
 * findings, stats and lineage facts, no register, and no state for
 * check_update, which then asks for a full check. */
static void
findings_only(const struct model *m, const struct rulepack *rp, const char *n,
              const struct check_result *full)
{
    struct check_result *r = NULL, like = *full;
    struct check_touch t = { 0 };
    struct check_change chg;
    SM_ERROR(err);

    assert_int_equal(setenv("SOVMAP_THREADS", n, 1), 0);
    assert_int_equal(check_run_findings(m, rp, TODAY, &r, &err), SM_OK);
    assert_int_equal(unsetenv("SOVMAP_THREADS"), 0);
    assert_int_equal(r->ntransfers, 0);
    assert_null(r->extra);
    like.ntransfers = 0;
    same_result(r, &like, m);
    if (m->ndatasets > 0 && !m->datasets[0].deleted) {
        assert_int_equal(check_touch_object(&t, m, OBJ_DATASET, 0), SM_OK);
        assert_int_equal(check_update(r, m, &t, &chg, &err), SM_OK);
        assert_int_equal(chg.ngroup, -1);
        check_change_fini(&chg);
        check_touch_fini(&t);
    }
    check_result_free(r);
}

/* check_result_shed (the TUI's full re-check: the old result's big parts
 * go before the next check runs) keeps the findings and stats as they
 * were, drops the register, lineage facts and update state, and
 * check_update then asks for a full check. */
static void
shed_keeps_findings(const struct model *m, const struct rulepack *rp,
                    const struct check_result *full)
{
    struct check_result *r = NULL;
    struct check_touch t = { 0 };
    struct check_change chg;
    SM_ERROR(err);

    assert_int_equal(check_run(m, rp, TODAY, &r, &err), SM_OK);
    check_result_shed(r);
    assert_null(r->transfers);
    assert_int_equal(r->ntransfers, 0);
    assert_null(r->lineage);
    assert_null(r->extra);
    assert_null(r->by_object);
    assert_null(r->eff_tier);
    assert_int_equal(r->nfindings, full->nfindings);
    assert_memory_equal(&r->stats, &full->stats, sizeof r->stats);
    for (int32_t i = 0; i < r->nfindings; i++) {
        const struct finding *a = &r->findings[i], *b = &full->findings[i];
        assert_string_equal(a->rule, b->rule);
        assert_int_equal(a->object, b->object);
        assert_int_equal(a->severity, b->severity);
        assert_string_equal(a->selector, b->selector);
        assert_string_equal(a->message, b->message);
    }
    if (m->ndatasets > 0 && !m->datasets[0].deleted) {
        assert_int_equal(check_touch_object(&t, m, OBJ_DATASET, 0), SM_OK);
        assert_int_equal(check_update(r, m, &t, &chg, &err), SM_OK);
        assert_int_equal(chg.ngroup, -1);
        check_change_fini(&chg);
        check_touch_fini(&t);
    }
    check_result_shed(r);       /* twice: nothing left to give back */
    check_result_free(r);
}

/* The same with the datasets' name order known, as a load snapshot gives
 * it: on two threads the register is then ordered from the two threads'
 * rows where they are (sort_transfer_spans) when they lie in many runs,
 * else put together first; either way the one-thread register. */
static void
with_rank(struct model *m, const struct rulepack *rp, const struct check_result *one)
{
    struct check_result *r = NULL;
    int32_t *rank = NULL;

    assert_int_equal(check_name_rank(m, &rank), SM_OK);
    model_set_name_rank(m, rank, m->ndatasets);
    assert_ptr_equal(model_name_rank(m), rank);
    run_threads(m, rp, "2", &r);
    same_result(r, one, m);
    check_result_free(r);
    run_threads(m, rp, "1", &r);
    same_result(r, one, m);
    check_result_free(r);
    model_drop_name_rank(m);
}

static void
test_two_threads(void **state)
{
    static const int sizes[] = { 1, 2, 3, 40, 300, 1500 };
    struct rulepack *rp = NULL;
    SM_ERROR(err);
    int compared = 0, nonempty = 0;

    (void)state;
    assert_int_equal(rulepack_load(tl_datadir(), "default", &rp, &err), SM_OK);
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        struct model *m = tl_base_model();
        assert_int_equal(rulepack_seed_tiers(rp, m, &err), SM_OK);
        build(m, sizes[k]);
        for (int step = 0; step < (sizes[k] >= 300 ? 60 : 5); step++) {
            struct check_result *one = NULL, *two = NULL;
            if (step > 0)
                scramble(m);
            run_threads(m, rp, "1", &one);
            run_threads(m, rp, "2", &two);
            same_result(two, one, m);
            with_rank(m, rp, one);
            findings_only(m, rp, step % 2 ? "2" : "1", one);
            if (step < 3)
                shed_keeps_findings(m, rp, one);
            compared++;
            nonempty += one->nfindings > 0 && one->ntransfers > 0;
            check_result_free(one);
            check_result_free(two);
        }
        model_free(m);
    }
    /* the comparisons saw real findings and transfers */
    assert_true(nonempty > compared / 2);
    rulepack_free(rp);
}

/* check_run with its memos and the shortcuts that read them (the default)
 * against the plain path (SOVMAP_CHECK_MEMO=0: every copy's rules and
 * verdicts judged afresh, every dataset's home worked out, every row
 * through add_transfer), on one thread and two: the same findings, texts,
 * register, stats and state, on random models after random edits; some
 * datasets with six regimes (more than a memo entry judges), some tags
 * resting on an expired classification. */
static void
test_memo_off(void **state)
{
    static const int sizes[] = { 1, 5, 60, 400 };
    struct rulepack *rp = NULL;
    SM_ERROR(err);
    int nonempty = 0, compared = 0;

    (void)state;
    assert_int_equal(rulepack_load(tl_datadir(), "default", &rp, &err), SM_OK);
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        struct model *m = tl_base_model();
        struct edit_result res;
        char name[64];
        assert_int_equal(rulepack_seed_tiers(rp, m, &err), SM_OK);
        build(m, sizes[k]);
        for (int32_t d = 0; d < m->ndatasets; d += 7) {
            struct edit e = { EDIT_SET, OBJ_DATASET, name, 0, { { 0 } } };
            snprintf(name, sizeof name, "%s", m->datasets[d].name);
            attr(&e, "subjects", "EU,US,BR,IN,GB,CH");
            assert_int_equal(edit_apply(m, &e, &res, &err), SM_OK);
            edit_result_fini(&res);
        }
        for (int32_t t = 0; t < m->ntags; t += 5)
            assert_int_equal(model_set_tag_expired(m, t, "2025-06-30", NULL), SM_OK);
        for (int step = 0; step < (sizes[k] >= 60 ? 25 : 4); step++) {
            struct check_result *plain = NULL, *memo = NULL;
            if (step > 0)
                scramble(m);
            assert_int_equal(setenv("SOVMAP_CHECK_MEMO", "0", 1), 0);
            run_threads(m, rp, step % 2 ? "2" : "1", &plain);
            assert_int_equal(unsetenv("SOVMAP_CHECK_MEMO"), 0);
            run_threads(m, rp, step % 3 ? "1" : "2", &memo);
            same_result(memo, plain, m);
            compared++;
            nonempty += plain->nfindings > 0 && plain->ntransfers > 0;
            check_result_free(plain);
            check_result_free(memo);
        }
        model_free(m);
    }
    assert_true(nonempty > compared / 2);
    rulepack_free(rp);
}

/* Copies fed from a copy in their own country stand on the transfer that
 * brought the data into the country, found by walking back along first
 * inbound flows (copy_mech: at most 64 steps; further, or in a ring, the
 * copy's own flow counts): a chain of 100 replicas in the US fed one from
 * the next, the first from Germany under SCCs, gives 64 copies on the SCCs
 * and 36 on their own flow; a ring of replicas and a tail fed from it
 * stand on their own flows; the same with the memos and without
 * (SOVMAP_CHECK_MEMO=0), on one thread and two. */
static void
test_chain_walks(void **state)
{
    struct model *m = tl_base_model();
    const struct rulepack *rp = tl_rules();
    struct check_result *plain = NULL, *memo = NULL;
    int32_t prev, ring[10], d;
    char name[64];
    int basis_cross = 0, basis_own = 0;
    (void)state;

    assert_int_equal(rulepack_seed_tiers(rp, m, NULL), SM_OK);
    /* datasets at home in Germany, each with a replica in the US; the
     * first replica fed from Germany under SCCs, each next one from the
     * replica before it (the same country) */
    d = tl_add_dataset(m, "src_de", "confidential", "EU", NULL);
    prev = tl_add_copy(m, d, "aws:eu-central-1", ROLE_PRIMARY, NULL);
    for (int i = 0; i < 100; i++) {
        int32_t p;
        snprintf(name, sizeof name, "chain_%03d", i);
        d = tl_add_dataset(m, name, "confidential", "EU", NULL);
        tl_add_copy(m, d, "aws:eu-central-1", ROLE_PRIMARY, NULL);
        p = tl_add_copy(m, d, "aws:us-east-1", ROLE_REPLICA, NULL);
        snprintf(name, sizeof name, "feed_%03d", i);
        tl_add_flow(m, name, prev, p, SM_NONE, FLOW_ETL, NULL, i == 0 ? "scc" : NULL);
        prev = p;
    }
    /* a ring of replicas in the US, and a tail fed from it */
    for (int i = 0; i < 10; i++) {
        snprintf(name, sizeof name, "ring_%d", i);
        d = tl_add_dataset(m, name, "confidential", "EU", NULL);
        tl_add_copy(m, d, "aws:eu-central-1", ROLE_PRIMARY, NULL);
        ring[i] = tl_add_copy(m, d, "aws:us-east-1", ROLE_REPLICA, NULL);
    }
    for (int i = 0; i < 10; i++) {
        snprintf(name, sizeof name, "ringflow_%d", i);
        tl_add_flow(m, name, ring[i], ring[(i + 1) % 10], SM_NONE, FLOW_ETL, NULL, NULL);
    }
    d = tl_add_dataset(m, "tail", "confidential", "EU", NULL);
    tl_add_copy(m, d, "aws:eu-central-1", ROLE_PRIMARY, NULL);
    prev = tl_add_copy(m, d, "aws:us-east-1", ROLE_REPLICA, NULL);
    tl_add_flow(m, "into_tail", ring[3], prev, SM_NONE, FLOW_ETL, NULL, NULL);
    for (int run = 0; run < 2; run++) {
        check_result_free(memo);
        assert_int_equal(setenv("SOVMAP_CHECK_MEMO", "0", 1), 0);
        run_threads(m, rp, run ? "2" : "1", &plain);
        assert_int_equal(unsetenv("SOVMAP_CHECK_MEMO"), 0);
        run_threads(m, rp, run ? "1" : "2", &memo);
        same_result(memo, plain, m);
        check_result_free(plain);
    }
    /* both answers were given: within 64 steps of the crossing the SCCs,
     * further on (and in the ring) the copy's own flow, which has none */
    for (int32_t i = 0; i < memo->ntransfers; i++) {
        const struct transfer *t = &memo->transfers[i];
        if (t->placement == SM_NONE || strncmp(m->datasets[t->dataset].name, "chain_", 6) != 0)
            continue;
        if (strstr(check_transfer_basis(memo, t), "scc"))
            basis_cross++;
        else
            basis_own++;
    }
    check_result_free(memo);
    if (basis_cross != 64 || basis_own != 36)
        fail_msg("chain: %d copies on the crossing's SCCs, %d on their own flow; want 64 and 36",
                 basis_cross, basis_own);
    model_free(m);
}

/* Does region r lie wholly in country cc? (the checker's rule, from the
 * region's own fields) */
static bool
region_in(const struct model *m, int32_t r, int cc)
{
    const struct region *rg = &m->regions[r];

    if (rg->global || cc == SM_NONE)
        return false;
    if (rg->members && !sm_ccset_empty(rg->members)) {
        for (int k = sm_ccset_next(rg->members, 0); k != SM_NONE;
             k = sm_ccset_next(rg->members, k + 1))
            if (k != cc)
                return false;
        return true;
    }
    return rg->country == cc;
}

/* The region's one country, or SM_NONE. */
static int
region_one(const struct model *m, int32_t r)
{
    const struct region *rg = &m->regions[r];

    if (rg->global)
        return SM_NONE;
    if (rg->members && !sm_ccset_empty(rg->members))
        return sm_ccset_count(rg->members) == 1 ? sm_ccset_next(rg->members, 0) : SM_NONE;
    return rg->country;
}

/* lineage_run_inflow's table (the first live flow into each copy, its
 * mechanism, public recipient and same-country bits) against the loop over
 * the flows check_run ran before the lineage filled it; and the lineage's
 * expired_tags against every live dataset's tags. Random models, random
 * edits (flows removed and added, copies moved), copies in a region of
 * three countries and in a multi-region of one. */
static void
test_lineage_inflow(void **state)
{
    struct rulepack *rp = NULL;
    struct model *m = tl_base_model();
    SM_ERROR(err);
    int32_t fed = 0, same = 0;

    (void)state;
    assert_int_equal(rulepack_load(tl_datadir(), "default", &rp, &err), SM_OK);
    assert_int_equal(rulepack_seed_tiers(rp, m, &err), SM_OK);
    for (int k = 0; k < 2; k++) {     /* a region of three countries, one of one */
        struct edit e = { EDIT_ADD, OBJ_REGION, k ? "lab:de1" : "lab:dach", 0, { { 0 } } };
        struct edit_result res;
        attr(&e, "members", k ? "DE" : "DE,AT,CH");
        assert_int_equal(edit_apply(m, &e, &res, &err), SM_OK);
        edit_result_fini(&res);
    }
    build(m, 300);
    {
        int32_t multi[2] = { 0, 0 };
        for (int32_t p = 0; p < m->nplacements; p++)
            if (!m->placements[p].deleted && m->placements[p].region != SM_NONE &&
                m->regions[m->placements[p].region].members)
                multi[sm_ccset_count(m->regions[m->placements[p].region].members) == 1]++;
        assert_true(multi[0] > 0 && multi[1] > 0);
    }
    for (int step = 0; step < 40; step++) {
        struct lineage L;
        struct lineage_inflow in;
        int32_t *want = malloc(sizeof *want * (size_t)(m->nplacements + 1));
        uint8_t *wmech = calloc((size_t)m->nplacements + 1, 1);
        int16_t *rcc = malloc(sizeof *rcc * (size_t)(m->nregions + 1));
        bool expired = false;
        if (step > 0)
            scramble(m);
        if (step == 20)         /* tags on the copies' datasets expire */
            for (int32_t k = 0; k < m->ntags; k += 9)
                assert_int_equal(model_set_tag_expired(m, k, "2025-06-30", NULL), SM_OK);
        in.inflow = malloc(sizeof *in.inflow * (size_t)(m->nplacements + 1));
        in.inmech = calloc((size_t)m->nplacements + 1, 1);
        assert_non_null(want);
        assert_non_null(wmech);
        assert_non_null(rcc);
        assert_non_null(in.inflow);
        assert_non_null(in.inmech);
        for (int32_t r = 0; r < m->nregions; r++)
            rcc[r] = (int16_t)region_one(m, r);
        in.region_cc = rcc;
        for (int32_t p = 0; p < m->nplacements; p++)
            want[p] = in.inflow[p] = SM_NONE;
        for (int32_t f = 0; f < m->nflows; f++) {
            const struct flow *fl = &m->flows[f];
            int32_t fr, tr;
            int cc;
            if (fl->deleted || fl->to == SM_NONE || fl->from == SM_NONE || want[fl->to] != SM_NONE)
                continue;
            want[fl->to] = f;
            wmech[fl->to] = (uint8_t)(fl->mechanism | (fl->public_recipient ? 0x20 : 0));
            fr = m->placements[fl->from].region;
            tr = m->placements[fl->to].region;
            if (fr != SM_NONE && tr != SM_NONE && (cc = region_one(m, tr)) != SM_NONE &&
                region_in(m, fr, cc))
                wmech[fl->to] |= 0x40;
        }
        for (int32_t d = 0; d < m->ndatasets; d++)
            if (!m->datasets[d].deleted)
                for (int32_t k = m->datasets[d].first_tag; k != SM_NONE; k = m->tags[k].next)
                    expired |= *m->tags[k].expired != '\0';
        assert_int_equal(lineage_run_inflow(m, rp, true, &L, NULL, &in, &err), SM_OK);
        for (int32_t p = 0; p < m->nplacements; p++) {
            assert_int_equal(in.inflow[p], want[p]);
            assert_int_equal(in.inmech[p], wmech[p]);
            fed += want[p] != SM_NONE;
            same += (wmech[p] & 0x40) != 0;
        }
        assert_int_equal(L.expired_tags, expired);
        lineage_fini(&L);
        free(want);
        free(wmech);
        free(rcc);
        free(in.inflow);
        free(in.inmech);
    }
    /* the table was not empty, and some copies are fed from their own country */
    assert_true(fed > 0);
    assert_true(same > 0);
    model_free(m);
    rulepack_free(rp);
}

/* One edit and its update against a full check. */
static void
edit_update(struct model *m, const struct rulepack *rp, struct check_result *r, struct edit *e)
{
    struct check_touch t = { 0 };
    struct check_change chg;
    struct edit_result res;
    struct check_result *full = NULL;
    SM_ERROR(err);

    memset(&res, 0, sizeof res);
    assert_int_equal(try_edit(m, e, &res, &t), SM_OK);
    edit_result_fini(&res);
    assert_int_equal(check_update(r, m, &t, &chg, &err), SM_OK);
    assert_true(chg.ngroup >= 1);
    check_change_fini(&chg);
    check_touch_fini(&t);
    assert_int_equal(check_run(m, rp, TODAY, &full, &err), SM_OK);
    same_result(r, full, m);
    check_result_free(full);
}

static int32_t
rows_of(const struct check_result *r, int32_t d)
{
    int32_t n = 0;

    for (int32_t q = 0; q < r->ntransfers; q++)
        n += r->transfers[q].dataset == d;
    return n;
}

/* The update finds a dataset's rows of the register by its name (the
 * register's order): a dataset with rows removed, added again under the
 * same name (a new id beside the removed one), given rows, then edited. */
static void
test_register_same_name(void **state)
{
    struct rulepack *rp = NULL;
    SM_ERROR(err);
    struct model *m = tl_base_model();
    struct check_result *r = NULL;
    char name[64], key[160];
    int32_t d = SM_NONE, d2;

    (void)state;
    assert_int_equal(rulepack_load(tl_datadir(), "default", &rp, &err), SM_OK);
    assert_int_equal(rulepack_seed_tiers(rp, m, &err), SM_OK);
    build(m, 80);
    assert_int_equal(check_run(m, rp, TODAY, &r, &err), SM_OK);
    assert_true(r->ntransfers > 2);
    /* a dataset with rows, neither the first nor the last name */
    for (int32_t q = 1; q < r->ntransfers - 1 && d == SM_NONE; q++)
        if (r->transfers[q].dataset != r->transfers[0].dataset &&
            r->transfers[q].dataset != r->transfers[r->ntransfers - 1].dataset)
            d = r->transfers[q].dataset;
    assert_int_not_equal(d, SM_NONE);
    snprintf(name, sizeof name, "%s", m->datasets[d].name);
    {
        struct edit e = { EDIT_REMOVE, OBJ_DATASET, name, 0, { { 0 } } };
        edit_update(m, rp, r, &e);
        assert_int_equal(rows_of(r, d), 0);
    }
    {
        struct edit e = { EDIT_ADD, OBJ_DATASET, name, 0, { { 0 } } };
        attr(&e, "tier", "restricted");
        attr(&e, "subjects", "EU");
        edit_update(m, rp, r, &e);
    }
    d2 = model_dataset(m, name);
    assert_true(d2 != d && d2 != SM_NONE);
    /* copies until the register has rows of it */
    for (int k = 0; k < 40 && rows_of(r, d2) == 0; k++) {
        struct edit e = { EDIT_ADD, OBJ_PLACEMENT, key, 0, { { 0 } } };
        snprintf(key, sizeof key, "%s@%s", name, any_region(m));
        if (model_find(m, OBJ_PLACEMENT, key, NULL, NULL) == SM_OK)
            continue;
        attr(&e, "role", k == 0 ? "primary" : "replica");
        attr(&e, "encrypted", "false");
        edit_update(m, rp, r, &e);
    }
    assert_true(rows_of(r, d2) > 0);
    /* an edit of the new one: its rows (after the removed one's name
     * twin) replaced */
    {
        struct edit e = { EDIT_SET, OBJ_PLACEMENT, key, 0, { { 0 } } };
        model_selector(m, OBJ_PLACEMENT, m->datasets[d2].first_placement, key, sizeof key);
        attr(&e, "encrypted", "true");
        edit_update(m, rp, r, &e);
    }
    {
        struct edit e = { EDIT_SET, OBJ_DATASET, name, 0, { { 0 } } };
        attr(&e, "subjects", "EU,US");
        edit_update(m, rp, r, &e);
    }
    check_result_free(r);
    model_free(m);
    rulepack_free(rp);
}

/* The update refuses what it cannot do alone, and says so. */
static void
test_refuses_global(void **state)
{
    struct rulepack *rp = NULL;
    SM_ERROR(err);
    struct model *m = tl_base_model();
    struct check_result *r = NULL;
    struct check_touch t = { 0 };
    struct check_change chg;

    (void)state;
    assert_int_equal(rulepack_load(tl_datadir(), "default", &rp, &err), SM_OK);
    assert_int_equal(rulepack_seed_tiers(rp, m, &err), SM_OK);
    build(m, 20);
    assert_int_equal(check_run(m, rp, TODAY, &r, &err), SM_OK);
    assert_int_equal(check_touch_selector(&t, m, OBJ_REGION, "aws:us-east-1"), SM_OK);
    assert_true(t.global);
    assert_int_equal(check_update(r, m, &t, &chg, &err), SM_OK);
    assert_int_equal(chg.ngroup, -1);
    check_change_fini(&chg);
    check_touch_fini(&t);
    /* nothing touched: nothing re-checked, nothing changed */
    assert_int_equal(check_update(r, m, &t, &chg, &err), SM_OK);
    assert_int_equal(chg.ngroup, 0);
    assert_int_equal(chg.nold, 0);
    assert_int_equal(chg.nnow, 0);
    check_change_fini(&chg);
    /* a region added, even with nothing touched: every dataset's fix hint
     * may now name it, so check all */
    {
        struct region rg;
        model_region_init(&rg);
        rg.id = "onprem:fra-dc9";
        rg.provider = "onprem";
        rg.code = "fra-dc9";
        rg.country = sm_cc("DE");
        rg.operator_home = sm_cc("DE");
        rg.kind = REGION_CLOUD;
        assert_int_equal(model_add_region(m, &rg, NULL, NULL), SM_OK);
    }
    assert_int_equal(check_update(r, m, &t, &chg, &err), SM_OK);
    assert_int_equal(chg.ngroup, -1);
    check_change_fini(&chg);
    check_result_free(r);
    model_free(m);
    rulepack_free(rp);
}

/* More regions than a 16-bit id holds: check_run reads every flow's
 * destination from its copy instead of the lineage's array (lineage.h,
 * lineage_run_inflow), on one thread and two, and decides the same: the
 * same findings on the same objects and the same register. (Messages may
 * differ: a fix hint may name one of the new regions.) */
static void
test_many_regions(void **state)
{
    struct rulepack *rp = NULL;
    struct model *m = tl_base_model();
    struct check_result *before = NULL, *after = NULL;
    SM_ERROR(err);
    char id[64], code[32];
    int32_t live = 0;

    (void)state;
    assert_int_equal(rulepack_load(tl_datadir(), "default", &rp, &err), SM_OK);
    assert_int_equal(rulepack_seed_tiers(rp, m, &err), SM_OK);
    build(m, 300);
    for (int32_t f = 0; f < m->nflows; f++)
        live += !m->flows[f].deleted;
    assert_true(live > 0);
    run_threads(m, rp, "1", &before);
    assert_true(before->nfindings > 0 && before->ntransfers > 0);
    while (m->nregions < (int32_t)FLOW_END_NONE) {
        struct region rg;
        model_region_init(&rg);
        snprintf(code, sizeof code, "x%d", (int)m->nregions);
        snprintf(id, sizeof id, "lab:%s", code);
        rg.id = id;
        rg.provider = "lab";
        rg.code = code;
        rg.country = sm_cc("AQ");
        rg.operator_home = sm_cc("AQ");
        rg.kind = REGION_CLOUD;
        assert_int_equal(model_add_region(m, &rg, NULL, NULL), SM_OK);
    }
    for (int k = 0; k < 2; k++) {
        run_threads(m, rp, k ? "2" : "1", &after);
        assert_int_equal(after->nfindings, before->nfindings);
        for (int32_t i = 0; i < after->nfindings; i++) {
            const struct finding *a = &after->findings[i], *b = &before->findings[i];
            assert_string_equal(a->rule, b->rule);
            assert_int_equal(a->kind, b->kind);
            assert_int_equal(a->object, b->object);
            assert_int_equal(a->severity, b->severity);
        }
        assert_int_equal(after->ntransfers, before->ntransfers);
        for (int32_t i = 0; i < after->ntransfers; i++) {
            const struct transfer *a = &after->transfers[i], *b = &before->transfers[i];
            assert_int_equal(a->dataset, b->dataset);
            assert_int_equal(a->placement, b->placement);
            assert_int_equal(a->flow, b->flow);
            assert_int_equal(a->to_cc, b->to_cc);
            assert_int_equal(a->status, b->status);
            assert_int_equal(a->mechanism, b->mechanism);
        }
        check_result_free(after);
    }
    check_result_free(before);
    model_free(m);
    rulepack_free(rp);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refuses_global),
        cmocka_unit_test(test_register_same_name),
        cmocka_unit_test(test_random_edits),
        cmocka_unit_test(test_two_threads),
        cmocka_unit_test(test_memo_off),
        cmocka_unit_test(test_chain_walks),
        cmocka_unit_test(test_lineage_inflow),
        cmocka_unit_test(test_many_regions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
