/*
 * view_regions.c - regions: every region, grouped by country.
 * Part of the list engine (src/tui/view_int.h); no curses here.
 */
#include "view_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int32_t rg_count(struct tui *t) { return t->m->nregions; }
static bool rg_visible(struct tui *t, int32_t r) { return !t->m->regions[r].deleted; }
static const char *rg_id(struct tui *t, int32_t r) { return t->m->regions[r].id; }

static void
rg_id_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", t->m->regions[r].id);
}

static void
rg_where_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    const struct region *g = &t->m->regions[r];
    (void)style;
    snprintf(buf, n, "%s", g->city && *g->city ? g->city : (g->name ? g->name : ""));
}

static void
rg_kind_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", region_kind_names[t->m->regions[r].kind]);
}

static int64_t rg_kind_key(struct tui *t, int32_t r) { return t->m->regions[r].kind; }

static void
rg_operator_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    const struct region *g = &t->m->regions[r];
    char cc[3];                         /* bounded: a two-letter country code */
    sm_cc_str(g->operator_home, cc);
    snprintf(buf, n, "%s", g->operator_home >= 0 ? cc : "-");
    if (g->operator_home >= 0 && g->country >= 0 && g->operator_home != g->country &&
        !(g->operator_home == sm_cc("EU")))
        *style = STYLE_WARNING;
}

static void
rg_copies_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    int32_t c = r < t->nr ? t->rg_copies[r] : 0;
    snprintf(buf, n, "%d", (int)c);
    if (c == 0)
        *style = STYLE_DIM;
}

static int64_t rg_copies_key(struct tui *t, int32_t r) { return r < t->nr ? t->rg_copies[r] : 0; }

static const struct column rg_cols[] = {
    { .title = "Region", .fit = COL_KEY, .text = rg_id_text, .str = rg_id },
    { .title = "Where", .fit = COL_FREE, .prio = 2, .text = rg_where_text },
    { .title = "Kind", .fit = COL_SHORT, .prio = 3, .text = rg_kind_text, .num = rg_kind_key },
    { .title = "Operator", .fit = COL_SHORT, .prio = 4, .text = rg_operator_text },
    { .title = "Copies", .fit = COL_SHORT, .prio = 1, .right = true, .text = rg_copies_text, .num = rg_copies_key },
};

static int
rg_group(struct tui *t, int32_t r)
{
    int32_t cc = t->m->regions[r].country;
    return cc >= 0 && cc < SM_CC_COUNT ? cc : SM_CC_COUNT;
}

static void
rg_group_title(struct tui *t, int g, int32_t n, char *buf, size_t size)
{
    char cc[3];                         /* bounded: a two-letter country code */
    (void)t;
    if (g >= SM_CC_COUNT) {
        snprintf(buf, size, "Multi-region and global (%d)", (int)n);
        return;
    }
    sm_cc_str(g, cc);
    snprintf(buf, size, "%s (%d region%s)", cc, (int)n, n == 1 ? "" : "s");
}

static const char *
rg_filter(struct tui *t, int32_t r, char *buf, size_t n)
{
    const struct region *g = &t->m->regions[r];
    char cc[3];                         /* bounded: a two-letter country code */
    sm_cc_str(g->country, cc);
    snprintf(buf, n, "%s %s %s", g->id, g->city ? g->city : "", cc);
    return buf;
}

static bool
rg_object(struct tui *t, int32_t r, enum obj_kind *k, int32_t *id)
{
    (void)t;
    *k = OBJ_REGION;
    *id = r;
    return true;
}

static void
rg_detail(struct tui *t, int32_t r, struct detail *d)
{
    detail_object(t, OBJ_REGION, r, d);
}

const struct view_ops regions_view = {
    .name = "regions", .title = "Regions", .keymap = KEYMAP_LIST, .kind = OBJ_REGION,
    .cols = rg_cols, .ncols = 5, .default_sort = 0,
    .count = rg_count, .visible = rg_visible, .flat_sorts = true, .group = rg_group,
    .group_title = rg_group_title, .filter_text = rg_filter,
    .detail = rg_detail, .object = rg_object,
};

/* ---- tiers ------------------------------------------------------------------ */
