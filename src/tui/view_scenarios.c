/*
 * view_scenarios.c - scenarios: every what-if.
 * Part of the list engine (src/tui/view_list.h); no curses here.
 */
#include "view_list.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- scenarios (what-ifs) ------------------------------------------------ */

static int32_t sc_count(struct tui *t) { return t->m->nscenarios; }
static bool sc_visible(struct tui *t, int32_t r) { return !t->m->scenarios[r].deleted; }
static const char *sc_name(struct tui *t, int32_t r) { return t->m->scenarios[r].name; }
static int64_t sc_nops(struct tui *t, int32_t r) { return t->m->scenarios[r].nops; }

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
    detail_object(t, OBJ_SCENARIO, r, d);
}

const struct view_ops scenarios_view = {
    .name = "scenarios", .title = "Scenarios", .keymap = KEYMAP_SCENARIOS, .kind = OBJ_SCENARIO,
    .cols = sc_cols, .ncols = 4, .default_sort = 0,
    .count = sc_count, .visible = sc_visible, .filter_text = sc_filter, .filter_name = true,
    .detail = sc_detail, .object = sc_object,
};
