/*
 * tui_harness.h - the TUI without a terminal, shared by test_tui_views.c and
 * test_tui_pager.c: a fixed model (or the demo), the real checker and
 * edit_apply/edit_revert behind tui_ops, a fake command runner, keys fed
 * from scripts, screens compared with tests/tui/expected/NAME.screen (text
 * and style layers; UPDATE_SNAPSHOTS=1 rewrites them for review). Include
 * it once, after testlib.h, in a test file.
 */
#ifndef SOVMAP_TUI_HARNESS_H
#define SOVMAP_TUI_HARNESS_H

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "edit.h"
#include "rulepack.h"
#include "model_json.h"
#include "refdata.h"
#include "scenario.h"
#include "views.h"
#include "rule_text.h"
#include "rules.h"
#include "theme.h"

struct harness {
    struct model *m;
    struct rulepack *rp;
    struct tui *t;
    struct screen *s;
    int commands;               /* calls of the fake command runner */
    char *last_command;         /* argv joined by |, whole (heap) */
    char *rule_texts[RULE_COUNT];   /* data/rules/explain, as cmd_tui loads them */
    bool other_writer;          /* the next sync reports a change on disk */
};

static int
h_apply(void *ctx, struct model *m, const struct edit *e, struct edit_result *res,
        struct sm_error *err)
{
    (void)ctx;
    return edit_apply(m, e, res, err);
}

static int
h_revert(void *ctx, struct model *m, struct edit_result *res, struct sm_error *err)
{
    (void)ctx;
    /* What store_revert does, without the catalog: it toggles. */
    return edit_reverted(res) ? edit_reapply(m, res, err) : edit_revert(m, res, err);
}

/* Another writer, played by the test: the next sync after other_writer is
 * set reports the catalog changed (the model itself stays the same). */
static int
h_sync(void *ctx, bool force, bool *reloaded, char *summary, size_t size, struct sm_error *err)
{
    struct harness *h = ctx;
    (void)force;
    (void)err;
    *reloaded = h->other_writer;
    snprintf(summary, size, "%s", h->other_writer ? "1 change by another writer" : "");
    h->other_writer = false;
    return SM_OK;
}

static struct model *
h_model(void *ctx)
{
    return ((struct harness *)ctx)->m;
}

static int
h_check(void *ctx, const struct model *m, struct check_result **out, struct sm_error *err)
{
    struct harness *h = ctx;
    return check_run(m, h->rp, 20261126, out, err);
}

static void
h_check_free(void *ctx, struct check_result *r)
{
    (void)ctx;
    check_result_free(r);
}

/* A stand-in for the CLI: records what it was asked and answers in text. */
static int
h_command(void *ctx, int argc, char **argv, char **out)
{
    struct harness *h = ctx;
    size_t k = 0, size = 1;

    h->commands++;
    for (int i = 0; i < argc; i++)
        size += strlen(argv[i]) + 1;
    free(h->last_command);
    h->last_command = malloc(size);
    assert_non_null(h->last_command);
    h->last_command[0] = 0;
    for (int i = 0; i < argc; i++)
        k += (size_t)snprintf(h->last_command + k, size - k, "%s%s", i ? "|" : "", argv[i]);
    /* The scenario mode stores its ops through `scenario add|rm NAME ...`. */
    if (argc >= 4 && strcmp(argv[0], "scenario") == 0) {
        int32_t sid = model_scenario(h->m, argv[2]);
        SM_ERROR(err);
        if (sid < 0) {
            *out = strdup("sovmap: no such scenario\n");
            return 1;
        }
        if (strcmp(argv[1], "add") == 0) {
            if (model_scenario_append(h->m, sid, argc - 3, (const char *const *)argv + 3,
                                      &err) != SM_OK) {
                *out = strdup(err.msg);
                return 1;
            }
        } else if (strcmp(argv[1], "rm") == 0) {
            if ((uint32_t)atoi(argv[3]) != h->m->scenarios[sid].nops) {
                *out = strdup("sovmap: not the last op\n");
                return 1;
            }
            h->m->scenarios[sid].nops--;
        }
        *out = strdup("");
        return 0;
    }
    if (argc == 1 && strcmp(argv[0], "long") == 0) {
        /* 60 numbered lines; line 40 is a scenario's long reason */
        size_t cap = 16384, k2 = 0;
        char *buf = malloc(cap);
        if (!buf)
            return 2;
        for (int i = 1; i <= 60; i++)
            k2 += (size_t)snprintf(buf + k2, cap - k2, i == 40 ?
                                   "line %d: scenario relocate is broken: op 3 (move "
                                   "loyalty_members aws:us-east-1 aws:eu-west-1) cannot apply: "
                                   "loyalty_members has no copy in aws:us-east-1\n"
                                   : "line %d of the output\n", i);
        *out = buf;
        return 1;
    }
    *out = strdup("line one of the output\nline two\n");
    return 0;
}

static int
h_scenario(void *ctx, const struct model *base, const char *name,
           struct scenario_change_set *out, struct sm_error *err)
{
    struct harness *h = ctx;
    return scenario_change_set(base, h->rp, name, NULL, 20261126, out, err);
}

static void
region(struct model *m, const char *id, const char *cc, const char *op, int kind)
{
    struct region r;
    model_region_init(&r);
    r.id = id;
    r.provider = "x";
    r.code = strchr(id, ':') + 1;
    r.country = sm_cc(cc);
    r.operator_home = sm_cc(op);
    r.kind = (uint8_t)kind;
    assert_int_equal(model_add_region(m, &r, NULL, NULL), SM_OK);
}

static int32_t
dataset(struct model *m, const char *name, const char *tier, const char *subj, const char *sys)
{
    struct dataset d;
    int32_t id;

    model_dataset_init(&d);
    d.name = name;
    d.tier = tier ? model_tier(m, tier) : SM_NONE;
    d.system = sys;
    assert_int_equal(model_add_dataset(m, &d, &id, NULL), SM_OK);
    if (subj)
        assert_int_equal(model_set(m, OBJ_DATASET, id, "subjects", subj, NULL), SM_OK);
    return id;
}

static int32_t
place(struct model *m, int32_t ds, const char *rg, int role, bool enc)
{
    struct placement p;
    int32_t id;

    model_placement_init(&p);
    p.dataset = ds;
    p.region = model_region(m, rg);
    p.role = (uint8_t)role;
    p.encrypted = enc;
    p.key_region = enc ? p.region : SM_NONE;
    assert_int_equal(model_add_placement(m, &p, &id, NULL), SM_OK);
    return id;
}

static void
build(struct model *m)
{
    int32_t orders, members, tele, br, fid, p1, p2;
    struct flow f;

    region(m, "aws:sa-east-1", "BR", "US", REGION_CLOUD);
    region(m, "onprem:fra-dc1", "DE", "DE", REGION_ONPREM);
    orders = dataset(m, "orders", "restricted", "EU", "loyalty");
    assert_int_equal(model_add_field(m, orders, "email", &fid, NULL), SM_OK);
    assert_int_equal(model_add_tag(m, orders, fid, "pii.email", "", "", "", NULL, NULL), SM_OK);
    assert_int_equal(model_add_field(m, orders, "total", &fid, NULL), SM_OK);
    p1 = place(m, orders, "aws:eu-west-1", ROLE_PRIMARY, true);
    place(m, orders, "aws:eu-central-1", ROLE_REPLICA, true);
    members = dataset(m, "loyalty_members", "restricted", "EU", "loyalty");
    assert_int_equal(model_add_field(m, members, "email", &fid, NULL), SM_OK);
    assert_int_equal(model_add_tag(m, members, fid, "pii.email", "", "", "", NULL, NULL), SM_OK);
    p2 = place(m, members, "aws:eu-central-1", ROLE_PRIMARY, true);
    place(m, members, "aws:us-east-1", ROLE_REPLICA, true);
    tele = dataset(m, "telemetry", "confidential", "EU,BR", "fleet");
    place(m, tele, "onprem:fra-dc1", ROLE_PRIMARY, true);
    place(m, tele, "aws:sa-east-1", ROLE_BACKUP, false);
    br = dataset(m, "ñandú-名前-with-a-long-name-that-is-cut", "public", "BR", "fleet");
    place(m, br, "aws:sa-east-1", ROLE_PRIMARY, false);
    dataset(m, "unclassified\x1b[31m", NULL, "EU", "");
    model_flow_init(&f);
    f.from = p1;
    f.to = p2;
    f.kind = FLOW_ETL;
    f.transit_encrypted = 1;
    assert_int_equal(model_add_flow(m, &f, NULL, NULL), SM_OK);
    {
        struct scenario sc = { 0 };
        const char *op[] = { "move", "loyalty_members", "aws:us-east-1", "aws:eu-west-1" };
        int32_t sid;
        sc.name = "repatriate";
        sc.base = "";
        sc.description = "bring the US replica home";
        assert_int_equal(model_add_scenario(m, &sc, &sid, NULL), SM_OK);
        assert_int_equal(model_scenario_append(m, sid, 4, op, NULL), SM_OK);
    }
}

static const char *const test_commands[] = {
    "check", "dataset", "dataset add", "dataset list", "dataset rm", "log", "long",
    "scenario", "scenario check", "where", NULL,
};
static char history_path[512];     /* set by the history test */
static bool readonly_opt;           /* set by the read-only test */
static bool sync_opt;               /* set by the other-writer tests: ops.sync */

static struct harness *
harness_new_model(int w, int h, struct model *m)
{
    struct harness *hs = calloc(1, sizeof *hs);
    SM_ERROR(err);
    struct tui_ops ops = { 0 };
    struct tui_options o = { 0 };

    assert_non_null(hs);
    hs->m = m;
    assert_int_equal(rulepack_load(tl_datadir(), "default", &hs->rp, &err), SM_OK);
    ops.ctx = hs;
    ops.apply = h_apply;
    ops.revert = h_revert;
    ops.check = h_check;
    ops.check_free = h_check_free;
    ops.command = h_command;
    ops.scenario = h_scenario;
    if (sync_opt) {
        ops.sync = h_sync;
        ops.model = h_model;
    }
    o.catalog = "test.db";
    o.today = 20261126;
    o.user = "alice";
    for (int i = 0; i < RULE_COUNT; i++)
        assert_int_equal(rule_text_load(tl_datadir(), rule_names[i], &hs->rule_texts[i], &err), SM_OK);
    o.rule_texts = (const char *const *)hs->rule_texts;
    o.commands = test_commands;
    o.history = history_path[0] ? history_path : NULL;
    o.readonly = readonly_opt;
    hs->t = tui_new(hs->m, &ops, &o, &err);
    assert_non_null(hs->t);
    hs->s = screen_new(w, h);
    assert_non_null(hs->s);
    return hs;
}

static struct harness *
harness_new(int w, int h)
{
    struct model *m = tl_small_model();

    build(m);
    return harness_new_model(w, h, m);
}

/* The shipped demo catalog (data/demo/demo.json). */
static __attribute__((unused)) struct harness *
harness_demo(int w, int h)
{
    struct model *m = model_new();
    SM_ERROR(err);
    size_t len;
    char *text = tl_slurp(tl_path(tl_datadir(), "demo/demo.json"), &len);

    assert_non_null(text);
    if (refdata_load_regions(tl_datadir(), m, &err) ||
        model_json_read(text, len, "demo.json", m, &err))
        fail_msg("%s", err.msg);
    free(text);
    return harness_new_model(w, h, m);
}

static void
harness_free(struct harness *hs)
{
    tui_free(hs->t);
    screen_free(hs->s);
    rulepack_free(hs->rp);
    model_free(hs->m);
    free(hs->last_command);
    for (int i = 0; i < RULE_COUNT; i++)
        free(hs->rule_texts[i]);
    free(hs);
}

static __attribute__((unused)) int
setup80(void **state)
{
    *state = harness_new(80, 24);
    return 0;
}

static int
setup120(void **state)
{
    *state = harness_new(120, 40);
    return 0;
}

static __attribute__((unused)) int
setup200(void **state)
{
    *state = harness_new(200, 60);
    return 0;
}

static int
teardown(void **state)
{
    harness_free(*state);
    return 0;
}

static void
feed(struct harness *h, const char *script)
{
    SM_ERROR(err);
    assert_int_equal(tui_feed(h->t, script, &err), SM_OK);
}

/* Compare the drawn screen with its snapshot; print the first difference. */
static void
assert_screen(struct harness *h, const char *name)
{
    char path[512], *want, *got;
    const char *upd = getenv("UPDATE_SNAPSHOTS");

    tui_draw(h->t, h->s);
    got = screen_snapshot(h->s);
    assert_non_null(got);
    snprintf(path, sizeof path, "tests/tui/expected/%s.screen", name);
    if (upd && strcmp(upd, "1") == 0) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(got, f);
        fclose(f);
        free(got);
        return;
    }
    want = tl_slurp(path, NULL);
    if (!want)
        fail_msg("%s missing: run with UPDATE_SNAPSHOTS=1 and review it", path);
    if (strcmp(want, got) != 0) {
        const char *a = want, *b = got;
        int line = 1;
        while (*a && *a == *b) {
            line += *a == '\n';
            a++;
            b++;
        }
        fprintf(stderr, "%s differs at line %d:\n--- got\n%s\n", path, line, got);
        free(want);
        free(got);
        fail_msg("screen differs from %s (UPDATE_SNAPSHOTS=1 to accept)", path);
    }
    free(want);
    free(got);
}

/* Select the finding of rule on sel in the findings view (5); its row. */
static __attribute__((unused)) int32_t
select_finding(struct harness *h, const char *rule, const char *sel)
{
    struct view *v = &h->t->views[4];
    feed(h, "5");
    for (int32_t i = 0; i < v->ndisp; i++) {
        int32_t r = v->disp[i];
        if (r >= 0 && strcmp(h->t->res->findings[r].rule, rule) == 0 &&
            strcmp(h->t->res->findings[r].selector, sel) == 0) {
            v->sel = i;
            return r;
        }
    }
    fail_msg("no finding %s %s", rule, sel);
    return -1;
}

/* Move the form's cursor to the field labelled label. */
static __attribute__((unused)) void
to_field(struct harness *h, const char *label)
{
    struct form *f = &h->t->form;
    for (int i = 0; i < f->n + 1 && strcmp(f->f[f->cur].label, label) != 0; i++)
        feed(h, "<Up>");
    for (int i = 0; i < f->n + 1 && strcmp(f->f[f->cur].label, label) != 0; i++)
        feed(h, "<Down>");
    assert_string_equal(f->f[f->cur].label, label);
}

static __attribute__((unused)) void
snap(struct harness *h, const char *base)
{
    char name[128];
    snprintf(name, sizeof name, "%s-%dx%d", base, h->s->w, h->s->h);
    assert_screen(h, name);
}

#endif
