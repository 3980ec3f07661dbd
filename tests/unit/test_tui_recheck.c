/*
 * test_tui_recheck.c - the TUI's live re-check after an edit: the same
 * edits, undos, redos and scenario-mode edits on two TUIs, one whose
 * results can be updated in place (check_update, scenario_apply_check)
 * and one whose checker hides its pack so that every edit checks all.
 * After each step both show the same message and counts, and the
 * updated result equals a fresh check of the model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "check.h"
#include "rulepack.h"
#include "scenario.h"
#include "tui.h"
#include "views.h"

#define TODAY 20261126

struct side {
    struct model *m;
    struct tui *t;
    bool full;                  /* every edit checks all */
};

static struct rulepack *rp;
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t
rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)((rng >> 11) % n);
}

static int
s_apply(void *ctx, struct model *m, const struct edit *e, struct edit_result *res,
        struct sm_error *err)
{
    (void)ctx;
    return edit_apply(m, e, res, err);
}

static int
s_revert(void *ctx, struct model *m, struct edit_result *res, struct sm_error *err)
{
    (void)ctx;
    return edit_reverted(res) ? edit_reapply(m, res, err) : edit_revert(m, res, err);
}

static int
s_check(void *ctx, const struct model *m, struct check_result **out, struct sm_error *err)
{
    struct side *sd = ctx;
    int rc = check_run(m, rp, TODAY, out, err);
    if (rc == SM_OK && sd->full)
        (*out)->rp = NULL;      /* no pack to update with: check_update refuses */
    return rc;
}

static void
s_free(void *ctx, struct check_result *r)
{
    (void)ctx;
    check_result_free(r);
}

static int
s_command(void *ctx, int argc, char **argv, char **out)
{
    struct side *sd = ctx;

    *out = strdup("");
    if (argc >= 4 && strcmp(argv[0], "scenario") == 0) {
        int32_t sid = model_scenario(sd->m, argv[2]);
        if (sid < 0)
            return 1;
        if (strcmp(argv[1], "add") == 0)
            return model_scenario_append(sd->m, sid, argc - 3, (const char *const *)argv + 3,
                                         NULL) != SM_OK;
        if (strcmp(argv[1], "rm") == 0 && sd->m->scenarios[sid].nops > 0)
            sd->m->scenarios[sid].nops--;
        return 0;
    }
    return 1;
}

static int
s_scenario(void *ctx, const struct model *base, const char *name,
           struct scenario_change_set *out, struct sm_error *err)
{
    struct side *sd = ctx;
    int rc = scenario_change_set(base, rp, name, NULL, TODAY, out, err);
    if (rc == SM_OK && sd->full) {
        /* nothing to start from or update: every step evaluates anew */
        out->after->res->rp = NULL;
        out->before->res->rp = NULL;
    }
    return rc;
}

/* A model of a few dozen datasets, copies in and out of the EU, lineage
 * between neighbours. The same for both sides. */
static struct model *
build(void)
{
    static const char *const regions[] = { "aws:eu-west-1", "aws:eu-central-1", "aws:us-east-1",
                                           "aws:ap-south-1", "aws:sa-east-1" };
    static const char *const tiers[] = { "restricted", "confidential", "public" };
    static const char *const subj[] = { "EU", "EU,BR", "US", "IN", "" };
    struct model *m = tl_base_model();
    uint64_t saved = rng;
    char name[32], sel[64], sel2[64];
    struct edit_result res;
    struct scenario sc = { "what-if", "", "", 0, NULL, 0 };

    assert_int_equal(rulepack_seed_tiers(rp, m, NULL), SM_OK);
    rng = 12345;
    for (int i = 0; i < 40; i++) {
        struct edit e = { EDIT_ADD, OBJ_DATASET, name, 2,
                          { { "tier", tiers[rnd(3)] }, { "subjects", subj[rnd(5)] } } };
        int32_t d, fid;
        snprintf(name, sizeof name, "ds%02d", i);
        assert_int_equal(edit_apply(m, &e, &res, NULL), SM_OK);
        edit_result_fini(&res);
        d = model_dataset(m, name);
        assert_int_equal(model_add_field(m, d, "email", &fid, NULL), SM_OK);
        if (rnd(2))
            assert_int_equal(model_add_tag(m, d, fid, "pii.email", "", "", "", NULL, NULL), SM_OK);
        for (int c = 0; c < 2; c++) {
            struct edit p = { EDIT_ADD, OBJ_PLACEMENT, sel, 2,
                              { { "role", c ? "replica" : "primary" },
                                { "encrypted", rnd(4) ? "true" : "false" } } };
            snprintf(sel, sizeof sel, "%s@%s", name, regions[c ? rnd(5) : rnd(2)]);
            if (edit_apply(m, &p, &res, NULL) == SM_OK)
                edit_result_fini(&res);
        }
        if (i > 0 && rnd(2)) {
            struct edit f = { EDIT_ADD, OBJ_FLOW, "", 3,
                              { { "from", sel2 }, { "to", sel }, { "kind", rnd(2) ? "etl" : "stream" } } };
            model_selector(m, OBJ_PLACEMENT, m->datasets[d - 1].first_placement, sel2, sizeof sel2);
            model_selector(m, OBJ_PLACEMENT, m->datasets[d].first_placement, sel, sizeof sel);
            if (edit_apply(m, &f, &res, NULL) == SM_OK)
                edit_result_fini(&res);
        }
    }
    assert_int_equal(model_add_scenario(m, &sc, NULL, NULL), SM_OK);
    rng = saved;
    return m;
}

static void
side_init(struct side *sd, bool full)
{
    struct tui_ops ops = { 0 };
    struct tui_options o = { 0 };
    SM_ERROR(err);

    sd->m = build();
    sd->full = full;
    ops.ctx = sd;
    ops.apply = s_apply;
    ops.revert = s_revert;
    ops.check = s_check;
    ops.check_free = s_free;
    ops.command = s_command;
    ops.scenario = s_scenario;
    o.catalog = "test.db";
    o.today = TODAY;
    o.user = "alice";
    sd->t = tui_new(sd->m, &ops, &o, &err);
    assert_non_null(sd->t);
}

static void
same_as_fresh(const struct tui *t)
{
    struct check_result *f = NULL;
    /* in scenario mode, the scenario's pack (its ops may change it) */
    const struct rulepack *pack = t->scen.on ? t->scen.cs.after->rp : rp;
    /* a copy without the datasets' name ranks the TUI may keep: the
     * register is then ordered by names ranked afresh */
    struct model *k = NULL;

    assert_int_equal(model_clone(t->m, &k), SM_OK);
    model_drop_name_rank(k);
    assert_int_equal(check_run(k, pack, TODAY, &f, NULL), SM_OK);
    assert_int_equal(t->res->nfindings, f->nfindings);
    for (int32_t i = 0; i < f->nfindings; i++) {
        assert_string_equal(t->res->findings[i].rule, f->findings[i].rule);
        assert_string_equal(t->res->findings[i].selector, f->findings[i].selector);
        assert_string_equal(t->res->findings[i].message, f->findings[i].message);
        assert_int_equal(t->res->findings[i].waived, f->findings[i].waived);
        assert_int_equal(t->res->findings[i].object, f->findings[i].object);
    }
    assert_int_equal(t->res->ntransfers, f->ntransfers);
    for (int32_t i = 0; i < f->ntransfers; i++) {
        assert_int_equal(t->res->transfers[i].dataset, f->transfers[i].dataset);
        assert_int_equal(t->res->transfers[i].placement, f->transfers[i].placement);
        assert_int_equal(t->res->transfers[i].flow, f->transfers[i].flow);
        assert_int_equal(t->res->transfers[i].status, f->transfers[i].status);
        assert_string_equal(check_transfer_basis(t->res, &t->res->transfers[i]),
                            check_transfer_basis(f, &f->transfers[i]));
    }
    assert_memory_equal(&t->res->stats, &f->stats, sizeof f->stats);
    check_result_free(f);
    model_free(k);
}

/* One random edit as the forms would make it, on both sides. */
static void
random_edit(struct side *a, struct side *b, bool scen)
{
    static const char *const tiers[] = { "restricted", "confidential", "public" };
    const struct model *m = a->t->m;
    char key[128], val[128];
    struct edit e = { EDIT_SET, OBJ_DATASET, key, 1, { { NULL, NULL } } };
    int32_t d = (int32_t)rnd((uint32_t)m->ndatasets), p;

    if (m->datasets[d].deleted || (p = m->datasets[d].first_placement) < 0)
        return;
    switch (rnd(scen ? 4 : 9)) {
    case 7: case 8: {
        int32_t q = m->datasets[(d + 1) % m->ndatasets].first_placement;
        if (q < 0 || m->datasets[(d + 1) % m->ndatasets].deleted)
            return;
        model_selector(m, OBJ_PLACEMENT, p, val, sizeof val);
        model_selector(m, OBJ_PLACEMENT, q, key, sizeof key);
        e.op = EDIT_ADD;
        e.kind = OBJ_FLOW;
        e.nattrs = 3;
        e.attrs[0].name = "from";
        e.attrs[0].value = val;
        e.attrs[1].name = "to";
        e.attrs[1].value = key;
        e.attrs[2].name = "kind";
        e.attrs[2].value = "etl";
        e.key = "";
        break;
    }
    case 0:
        snprintf(key, sizeof key, "%s", m->datasets[d].name);
        e.attrs[0].name = "tier";
        e.attrs[0].value = tiers[rnd(3)];
        break;
    case 1:
        model_selector(m, OBJ_PLACEMENT, p, key, sizeof key);
        e.kind = OBJ_PLACEMENT;
        e.attrs[0].name = "encrypted";
        e.attrs[0].value = rnd(2) ? "true" : "false";
        break;
    case 2:
        snprintf(key, sizeof key, "%s@aws:ap-south-1", m->datasets[d].name);
        e.op = EDIT_ADD;
        e.kind = OBJ_PLACEMENT;
        e.attrs[0].name = "role";
        e.attrs[0].value = "cache";
        break;
    case 3:
        model_selector(m, OBJ_PLACEMENT, p, key, sizeof key);
        e.kind = OBJ_PLACEMENT;
        if (rnd(2)) {
            e.op = EDIT_REMOVE;
            e.nattrs = 0;
        } else {
            e.attrs[0].name = "region";
            e.attrs[0].value = rnd(2) ? "aws:us-east-1" : "aws:eu-central-1";
        }
        break;
    case 4:
        snprintf(key, sizeof key, "%s", m->datasets[d].name);
        e.attrs[0].name = "subjects";
        e.attrs[0].value = rnd(2) ? "EU" : "EU,US";
        break;
    case 5:
        model_selector(m, OBJ_PLACEMENT, p, val, sizeof val);
        snprintf(key, sizeof key, "RES001:%s", val);
        e.op = EDIT_ADD;
        e.kind = OBJ_WAIVER;
        e.nattrs = 3;
        e.attrs[0].name = "owner";
        e.attrs[0].value = "me";
        e.attrs[1].name = "reason";
        e.attrs[1].value = "test";
        e.attrs[2].name = "expires";
        e.attrs[2].value = "2027-01-01";
        break;
    default:
        snprintf(key, sizeof key, "%s", m->datasets[d].name);
        e.op = EDIT_REMOVE;
        e.kind = OBJ_DATASET;
        e.nattrs = 0;
        break;
    }
    tui_apply(a->t, &e, NULL);
    tui_apply(b->t, &e, NULL);
}

static int moved;               /* steps whose message names a finding change */

static void
compare(struct side *a, struct side *b, int step)
{
    int ea, wa, va, eb, wb, vb;

    if (strcmp(tui_message(a->t), tui_message(b->t)) != 0)
        fail_msg("step %d: \"%s\" vs \"%s\"", step, tui_message(a->t), tui_message(b->t));
    if (strstr(tui_message(a->t), " error") || strstr(tui_message(a->t), " warning"))
        moved++;
    tui_counts(a->t, &ea, &wa, &va);
    tui_counts(b->t, &eb, &wb, &vb);
    assert_int_equal(ea, eb);
    assert_int_equal(wa, wb);
    assert_int_equal(va, vb);
    same_as_fresh(a->t);
}

/* The derived arrays after an edit equal those tui_derive builds anew. */
static void
same_derive(struct tui *t)
{
#define SNAP(p, n) void *s_##p = malloc(sizeof *t->p * (size_t)(n) + 1); \
    assert_non_null(s_##p); memcpy(s_##p, t->p, sizeof *t->p * (size_t)(n))
#define SAME(p, n) assert_memory_equal(s_##p, t->p, sizeof *t->p * (size_t)(n)); free(s_##p)
    int32_t nd = t->nd, np = t->np, nf = t->nf, nr = t->nr, nt = t->nt, nmap = t->nmap_regions;
    SNAP(ds_copies, nd); SNAP(ds_home, nd); SNAP(ds_nfind, nd); SNAP(ds_worst, nd);
    SNAP(pl_worst, np); SNAP(pl_waived, np); SNAP(fl_worst, nf); SNAP(fl_waived, nf);
    SNAP(rg_copies, nr); SNAP(tier_count, nt); SNAP(map_regions, nmap);
    SNAP(ds_out, nd); SNAP(ds_in, nd); SNAP(fl_next_out, nf); SNAP(fl_next_in, nf);
    tui_derive(t);
    assert_int_equal(nd, t->nd);
    assert_int_equal(np, t->np);
    assert_int_equal(nf, t->nf);
    assert_int_equal(nmap, t->nmap_regions);
    SAME(ds_copies, nd); SAME(ds_home, nd); SAME(ds_nfind, nd); SAME(ds_worst, nd);
    SAME(pl_worst, np); SAME(pl_waived, np); SAME(fl_worst, nf); SAME(fl_waived, nf);
    SAME(rg_copies, nr); SAME(tier_count, nt); SAME(map_regions, nmap);
    SAME(ds_out, nd); SAME(ds_in, nd); SAME(fl_next_out, nf); SAME(fl_next_in, nf);
#undef SNAP
#undef SAME
}

static void
test_edits_undo_redo(void **state)
{
    struct side a, b;
    SM_ERROR(err);

    (void)state;
    moved = 0;
    side_init(&a, false);
    side_init(&b, true);
    for (int step = 0; step < 150; step++) {
        uint32_t k = rnd(6);
        if (k == 0 || k == 1) {
            const char *key = k ? "u" : "<C-r>";
            assert_int_equal(tui_feed(a.t, key, &err), SM_OK);
            assert_int_equal(tui_feed(b.t, key, &err), SM_OK);
        } else {
            random_edit(&a, &b, false);
        }
        compare(&a, &b, step);
        same_derive(a.t);
    }
    assert_true(moved > 20);
    tui_free(a.t);
    tui_free(b.t);
    model_free(a.m);
    model_free(b.m);
}

/* The scenario's evaluation in the mode equals a fresh evaluation of the
 * stored scenario: every finding, the diff's findings and changed objects.
 * false when the stored scenario cannot be evaluated. */
static bool
same_as_fresh_scenario(const struct side *sd)
{
    const struct tui *t = sd->t;
    const struct scenario_diff *d = t->scen.cs.diff;
    struct scenario_change_set cs;

    if (scenario_change_set(sd->m, rp, t->scen.name, NULL, TODAY, &cs, NULL) != SM_OK)
        return false;
    assert_ptr_equal(t->res, t->scen.cs.after->res);
    assert_int_equal(cs.after->res->nfindings, t->res->nfindings);
    for (int32_t i = 0; i < t->res->nfindings; i++) {
        const struct finding *x = &cs.after->res->findings[i], *y = &t->res->findings[i];
        assert_string_equal(x->rule, y->rule);
        assert_string_equal(x->selector, y->selector);
        assert_string_equal(x->message, y->message);
        assert_int_equal(x->severity, y->severity);
        assert_int_equal(x->waived, y->waived);
        assert_int_equal(x->object, y->object);
    }
    assert_int_equal(cs.after->res->ntransfers, t->res->ntransfers);
    assert_memory_equal(&cs.after->res->stats, &t->res->stats, sizeof t->res->stats);
    assert_int_equal(cs.before->res->nfindings, t->scen.cs.before->res->nfindings);
    assert_memory_equal(cs.diff->count, d->count, sizeof d->count);
    assert_memory_equal(cs.diff->delta, d->delta, sizeof d->delta);
    assert_int_equal(cs.diff->nfindings, d->nfindings);
    for (int32_t i = 0; i < d->nfindings; i++) {
        assert_int_equal(cs.diff->findings[i].status, d->findings[i].status);
        assert_int_equal(cs.diff->findings[i].before, d->findings[i].before);
        assert_int_equal(cs.diff->findings[i].after, d->findings[i].after);
        assert_int_equal(cs.diff->findings[i].op, d->findings[i].op);
    }
    assert_int_equal(cs.diff->nchanges, d->nchanges);
    for (int32_t i = 0; i < d->nchanges; i++) {
        assert_int_equal(cs.diff->changes[i].kind, d->changes[i].kind);
        assert_int_equal(cs.diff->changes[i].obj, d->changes[i].obj);
        assert_int_equal(cs.diff->changes[i].op, d->changes[i].op);
        assert_string_equal(cs.diff->changes[i].selector, d->changes[i].selector);
    }
    assert_int_equal(cs.after->nops, t->scen.cs.after->nops);
    scenario_change_set_fini(&cs);
    return true;
}

/* Both sides: the same key script. */
static void
feed2(struct side *a, struct side *b, const char *keys)
{
    SM_ERROR(err);

    assert_int_equal(tui_feed(a->t, keys, &err), SM_OK);
    assert_int_equal(tui_feed(b->t, keys, &err), SM_OK);
}

/* Both sides enter scenario `name` (view 8, W). */
static bool
enter2(struct side *a, struct side *b, const char *name)
{
    for (struct side *s = a; s; s = s == a ? b : NULL)
        tui_jump(s->t, OBJ_SCENARIO, model_scenario(s->m, name));
    feed2(a, b, "W");
    assert_int_equal(a->t->scen.on, b->t->scen.on);
    return a->t->scen.on;
}

/* Both models' stored scenario `name` takes one more op. */
static void
append2(struct side *a, struct side *b, const char *name, int argc, const char *const *argv)
{
    assert_int_equal(model_scenario_append(a->m, model_scenario(a->m, name), argc, argv, NULL),
                     SM_OK);
    assert_int_equal(model_scenario_append(b->m, model_scenario(b->m, name), argc, argv, NULL),
                     SM_OK);
}

/* Entering scenarios that have ops (stacked on another one, with ops that
 * change the law for everyone), edits, undos and redos in the mode, and
 * leaving: the same on both sides and the same as fresh evaluations. */
static void
test_scenario_enter_undo(void **state)
{
    static const char *const op1[] = { "set-tier", "ds03", "public" };
    static const char *const op2[] = { "add-placement", "ds05", "aws:us-east-1", "cache" };
    static const char *const op3[] = { "set-subjects", "ds12", "EU,US" };
    static const char *const op4[] = { "grant-adequacy", "GDPR", "IN" };
    static const char *const op5[] = { "set", "dataset", "ds20", "tier", "restricted" };
    static const char *const op6[] = { "retire-region", "aws:sa-east-1" };
    struct scenario st = { "stacked", "what-if", "", 0, NULL, 0 };
    struct side a, b;
    int fresh = 0, entered = 0, undone = 0;

    (void)state;
    side_init(&a, false);
    side_init(&b, true);
    assert_int_equal(model_add_scenario(a.m, &st, NULL, NULL), SM_OK);
    assert_int_equal(model_add_scenario(b.m, &st, NULL, NULL), SM_OK);
    tui_derive(a.t);
    tui_derive(b.t);
    moved = 0;
    for (int round = 0; round < 12; round++) {
        const char *name = round % 3 == 1 ? "stacked" : "what-if";
        /* stored ops between visits, as the CLI would add them */
        if (round == 1)
            append2(&a, &b, "what-if", 3, op1);
        if (round == 2)
            append2(&a, &b, "what-if", 4, op2);
        if (round == 4)
            append2(&a, &b, "stacked", 3, op3);
        if (round == 5)
            append2(&a, &b, "stacked", 3, op4);
        if (round == 7)
            append2(&a, &b, "stacked", 5, op5);
        if (round == 10)
            append2(&a, &b, "what-if", 2, op6);
        if (!enter2(&a, &b, name)) {
            compare(&a, &b, round * 100);
            continue;
        }
        entered++;
        compare(&a, &b, round * 100);
        assert_memory_equal(a.t->scen.cs.diff->count, b.t->scen.cs.diff->count,
                            sizeof a.t->scen.cs.diff->count);
        if (same_as_fresh_scenario(&a))
            fresh++;
        for (int step = 1; step <= 10; step++) {
            uint32_t k = rnd(6);
            if (k == 0) {
                feed2(&a, &b, "u");
                undone++;
            } else if (k == 1) {
                feed2(&a, &b, "uu");
                undone++;
            } else if (k == 2) {
                feed2(&a, &b, "<C-r>");
            } else {
                random_edit(&a, &b, true);
            }
            compare(&a, &b, round * 100 + step);
            same_derive(a.t);
            assert_memory_equal(a.t->scen.cs.diff->count, b.t->scen.cs.diff->count,
                                sizeof a.t->scen.cs.diff->count);
            assert_int_equal(a.t->scen.cs.diff->nfindings, b.t->scen.cs.diff->nfindings);
            assert_int_equal(a.t->scen.cs.diff->nchanges, b.t->scen.cs.diff->nchanges);
            if (same_as_fresh_scenario(&a))
                fresh++;
        }
        /* leave: the catalog as it was, checked */
        feed2(&a, &b, "W");
        assert_false(a.t->scen.on);
        assert_false(b.t->scen.on);
        compare(&a, &b, round * 100 + 99);
        same_derive(a.t);
    }
    assert_true(entered >= 8);
    assert_true(fresh > 60);
    assert_true(undone > 10);
    tui_free(a.t);
    tui_free(b.t);
    model_free(a.m);
    model_free(b.m);
}

static void
test_scenario_mode(void **state)
{
    struct side a, b;
    SM_ERROR(err);

    (void)state;
    side_init(&a, false);
    side_init(&b, true);
    moved = 0;
    int fresh = 0;
    for (struct side *s = &a; s; s = s == &a ? &b : NULL) {
        tui_jump(s->t, OBJ_SCENARIO, model_scenario(s->m, "what-if"));
        assert_int_equal(tui_feed(s->t, "W", &err), SM_OK);
        assert_true(s->t->scen.on);
    }
    for (int step = 0; step < 60; step++) {
        if (rnd(8) == 0) {
            assert_int_equal(tui_feed(a.t, "u", &err), SM_OK);
            assert_int_equal(tui_feed(b.t, "u", &err), SM_OK);
        } else {
            random_edit(&a, &b, true);
        }
        compare(&a, &b, step);
        same_derive(a.t);
        assert_memory_equal(a.t->scen.cs.diff->count, b.t->scen.cs.diff->count,
                            sizeof a.t->scen.cs.diff->count);
        assert_int_equal(a.t->scen.cs.diff->nfindings, b.t->scen.cs.diff->nfindings);
        assert_int_equal(a.t->scen.cs.diff->nchanges, b.t->scen.cs.diff->nchanges);
        {
            /* and the same as evaluating the stored scenario afresh (when
             * it can be: an op stored may not apply, as the message says) */
            struct scenario_change_set cs;
            if (scenario_change_set(a.m, rp, "what-if", NULL, TODAY, &cs, NULL) != SM_OK) {
                assert_non_null(strstr(tui_message(a.t), "what-if"));
                continue;
            }
            fresh++;
            assert_memory_equal(cs.diff->count, a.t->scen.cs.diff->count, sizeof cs.diff->count);
            assert_int_equal(cs.diff->nfindings, a.t->scen.cs.diff->nfindings);
            assert_int_equal(cs.diff->nchanges, a.t->scen.cs.diff->nchanges);
            assert_int_equal(cs.after->res->nfindings, a.t->res->nfindings);
            scenario_change_set_fini(&cs);
        }
    }
    assert_true(moved > 10);
    assert_true(fresh > 20);
    tui_free(a.t);
    tui_free(b.t);
    model_free(a.m);
    model_free(b.m);
}

static int
setup(void **state)
{
    (void)state;
    return rulepack_load(tl_datadir(), "default", &rp, NULL) == SM_OK ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    rulepack_free(rp);
    return 0;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edits_undo_redo),
        cmocka_unit_test(test_scenario_mode),
        cmocka_unit_test(test_scenario_enter_undo),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
