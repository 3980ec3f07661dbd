/*
 * view_scenarios.c - scenarios: every what-if.
 * Part of the list engine (src/tui/view_int.h); no curses here.
 */
#include "view_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- scenarios (what-ifs) ------------------------------------------------ */

static int32_t sc_count(struct tui *t) { return t->m->nscenarios; }
static bool sc_visible(struct tui *t, int32_t r) { return !t->m->scenarios[r].deleted; }
static const char *sc_name(struct tui *t, int32_t r) { return t->m->scenarios[r].name; }
static int64_t sc_nops(struct tui *t, int32_t r) { return t->m->scenarios[r].nops; }

/* ---- broken scenarios: ops that no longer apply to the catalog ---------- */

/* Per scenario, for the model generation `gen`: not judged yet, fine, or
 * broken with the scenario engine's reason. */
struct sc_health {
    uint64_t gen;
    const struct model *m;
    int32_t n;
    uint8_t *state;             /* 0 unknown, 1 ok, 2 broken */
    char **why;
};

static void
health_reset(struct sc_health *h)
{
    for (int32_t i = 0; i < h->n; i++)
        free(h->why[i]);
    free(h->state);
    free(h->why);
    h->state = NULL;
    h->why = NULL;
    h->n = 0;
}

static void
sc_fini(struct view *v)
{
    if (v->priv) {
        health_reset(v->priv);
        free(v->priv);
        v->priv = NULL;
    }
}

/* The catalog's model (in scenario mode t->m is the scenario's). */
static const struct model *
catalog_model(const struct tui *t)
{
    return t->scen.on && t->scen.base ? t->scen.base : t->m;
}

/* Why scenario r does not apply (its chain's ops on a copy of the
 * catalog that shares its strings, no check), or NULL when it does or
 * cannot be told (no rule pack, out of memory). Judged once per model
 * generation, for the rows drawn only. */
static const char *
sc_broken(struct tui *t, int32_t r)
{
    struct view *v = tui_view(t, &scenarios_view);
    const struct model *cm = catalog_model(t);
    struct sc_health *h = v->priv;
    struct scenario_eval *ev = NULL;
    struct model *copy = NULL;
    SM_ERROR(err);

    if (!t->res || !t->res->rp || r < 0 || r >= cm->nscenarios)
        return NULL;
    if (!h && !(h = v->priv = calloc(1, sizeof *h)))
        return NULL;
    if (h->gen != t->gen || h->m != cm || h->n != cm->nscenarios) {
        health_reset(h);
        h->state = calloc((size_t)cm->nscenarios + 1, 1);
        h->why = calloc((size_t)cm->nscenarios + 1, sizeof *h->why);
        if (!h->state || !h->why) {
            health_reset(h);
            return NULL;
        }
        h->n = cm->nscenarios;
        h->gen = t->gen;
        h->m = cm;
    }
    if (h->state[r] == 0) {
        h->state[r] = 1;
        if (scenario_model_share(cm, &copy) != SM_OK)
            return NULL;
        if (scenario_begin_take(copy, t->res->rp, cm->scenarios[r].name, &ev, &err) != SM_OK)
            return NULL;
        if (scenario_apply_chain(ev, cm, cm->scenarios[r].name, &err) != SM_OK) {
            h->state[r] = 2;
            h->why[r] = strdup(err.msg[0] ? err.msg : "its ops do not apply");
        }
        scenario_eval_free(ev);
    }
    return h->state[r] == 2 ? (h->why[r] ? h->why[r] : "its ops do not apply") : NULL;
}

static void
sc_state_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    if (sc_broken(t, r)) {
        snprintf(buf, n, "%s broken", text_sym("✗", "x"));
        *style = STYLE_ERROR;
    } else {
        snprintf(buf, n, "ok");
        *style = STYLE_DIM;
    }
}

static void
sc_name_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", t->m->scenarios[r].name);
}

static void
sc_base_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    const char *b = t->m->scenarios[r].base;
    snprintf(buf, n, "%s", b && *b ? b : "(catalog)");
    if (!b || !*b)
        *style = STYLE_DIM;
}

static void
sc_ops_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%u", (unsigned)t->m->scenarios[r].nops);
}

static void
sc_desc_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", t->m->scenarios[r].description ? t->m->scenarios[r].description : "");
}

static const struct column sc_cols[] = {
    { .title = "Scenario", .fit = COL_NAME, .text = sc_name_text, .str = sc_name },
    { .title = "Base", .fit = COL_KEY, .prio = 2, .text = sc_base_text },
    { .title = "Ops", .fit = COL_SHORT, .prio = 1, .right = true, .text = sc_ops_text, .num = sc_nops },
    { .title = "State", .fit = COL_SHORT, .prio = 2, .text = sc_state_text },
    { .title = "Description", .fit = COL_FREE, .prio = 3, .text = sc_desc_text },
};

static const char *
sc_filter(struct tui *t, int32_t r, char *buf, size_t n)
{
    (void)buf; (void)n;
    return t->m->scenarios[r].name;
}

static bool
sc_object(struct tui *t, int32_t r, enum obj_kind *k, int32_t *id)
{
    (void)t;
    *k = OBJ_SCENARIO;
    *id = r;
    return true;
}

static void
sc_detail(struct tui *t, int32_t r, struct detail *d)
{
    const char *why = t->m == catalog_model(t) ? sc_broken(t, r) : NULL;

    detail_object(t, OBJ_SCENARIO, r, d);
    if (why) {
        detail_add(d, STYLE_SECTION, NULL, "%s", "");
        detail_add(d, STYLE_ERROR, "broken", "%s", why);
    }
}

const struct view_ops scenarios_view = {
    .name = "scenarios", .title = "Scenarios", .keymap = KEYMAP_SCENARIOS, .kind = OBJ_SCENARIO,
    .cols = sc_cols, .ncols = 5, .default_sort = 0,
    .count = sc_count, .visible = sc_visible, .filter_text = sc_filter, .filter_name = true,
    .row_kind = OBJ_SCENARIO,
    .detail = sc_detail, .object = sc_object, .fini = sc_fini,
};
