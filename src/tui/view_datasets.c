/*
 * view_datasets.c - datasets: every dataset, its tier, subjects, home region, copies,
 * findings and system.
 * Part of the list engine (src/tui/view_int.h); no curses here.
 */
#include "view_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- datasets ------------------------------------------------------------- */

int32_t view_ds_count(struct tui *t) { return t->m->ndatasets; }
bool view_ds_visible(struct tui *t, int32_t r) { return !t->m->datasets[r].deleted; }
static const char *ds_name(struct tui *t, int32_t r) { return t->m->datasets[r].name; }

static void
ds_name_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", t->m->datasets[r].name);
}

static void
ds_tier_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    int32_t tier = t->m->datasets[r].tier;
    if (tier < 0) {
        snprintf(buf, n, "(none)");
        *style = STYLE_WARNING;
        return;
    }
    snprintf(buf, n, "%s", model_tier_name(t->m, tier));
}

static const char *
ds_tier_key(struct tui *t, int32_t r)
{
    return model_tier_name(t->m, t->m->datasets[r].tier);
}

static int32_t
ds_tier_dom(struct tui *t, int32_t r)
{
    int32_t tier = t->m->datasets[r].tier;
    return tier >= 0 && tier < t->m->ntiers ? tier : -1;
}

static int32_t ti_n(struct tui *t) { return t->m->ntiers; }
static const char *ti_str(struct tui *t, int32_t i) { return model_tier_name(t->m, i); }

static void
ds_subjects_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    model_get(t->m, OBJ_DATASET, r, "subjects", buf, n);
}

static void
ds_system_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", t->m->datasets[r].system ? t->m->datasets[r].system : "");
}

static const char *
ds_system_key(struct tui *t, int32_t r)
{
    return t->m->datasets[r].system ? t->m->datasets[r].system : "";
}

static void
ds_home_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    int32_t h = r < t->nd ? t->ds_home[r] : SM_NONE;
    if (h < 0) {
        snprintf(buf, n, "-");
        *style = STYLE_DIM;
        return;
    }
    snprintf(buf, n, "%s", model_region_id(t->m, h));
}

static const char *
ds_home_key(struct tui *t, int32_t r)
{
    return r < t->nd ? model_region_id(t->m, t->ds_home[r]) : "";
}

static int32_t
ds_home_dom(struct tui *t, int32_t r)
{
    int32_t h = r < t->nd ? t->ds_home[r] : SM_NONE;
    return h >= 0 && h < t->m->nregions ? h : -1;
}

static int32_t rg_n(struct tui *t) { return t->m->nregions; }
static const char *rg_str(struct tui *t, int32_t i) { return model_region_id(t->m, i); }

/* Tiers and home regions are a few objects' names (struct dom_col). */
static const struct dom_col tier_dom = { ds_tier_dom, ti_n, ti_str };
static const struct dom_col home_dom = { ds_home_dom, rg_n, rg_str };

static void
ds_copies_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%d", r < t->nd ? (int)t->ds_copies[r] : 0);
}

static int64_t ds_copies_key(struct tui *t, int32_t r) { return r < t->nd ? t->ds_copies[r] : 0; }

static void
ds_find_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    int32_t c = r < t->nd ? t->ds_nfind[r] : 0;
    if (c == 0) {
        snprintf(buf, n, "-");
        *style = STYLE_DIM;
        return;
    }
    snprintf(buf, n, "%d", (int)c);
    *style = view_sev_style(t->ds_worst[r], false);
}

static int64_t
ds_find_key(struct tui *t, int32_t r)
{
    return r < t->nd ? (int64_t)t->ds_worst[r] * 1000000 + t->ds_nfind[r] : 0;
}

/* Columns to the right go first when the screen is narrow. */
const struct column view_ds_cols[] = {
    { .title = "Dataset", .fit = COL_NAME, .text = ds_name_text, .str = ds_name },
    { .title = "Tier", .fit = COL_SHORT, .prio = 3, .text = ds_tier_text, .str = ds_tier_key, .dom = &tier_dom },
    { .title = "Subjects", .fit = COL_SHORT, .prio = 5, .text = ds_subjects_text },
    { .title = "Home", .fit = COL_KEY, .prio = 2, .text = ds_home_text, .str = ds_home_key, .dom = &home_dom },
    { .title = "Copies", .fit = COL_SHORT, .prio = 4, .right = true, .text = ds_copies_text, .num = ds_copies_key },
    { .title = "Find", .fit = COL_SHORT, .prio = 1, .right = true, .text = ds_find_text, .num = ds_find_key, .result = true },
    { .title = "System", .fit = COL_SHORT, .prio = 6, .text = ds_system_text, .str = ds_system_key },
};

const char *
view_ds_filter(struct tui *t, int32_t r, char *buf, size_t n)
{
    (void)buf; (void)n;
    return t->m->datasets[r].name;
}

bool
view_ds_object(struct tui *t, int32_t r, enum obj_kind *k, int32_t *id)
{
    (void)t;
    *k = OBJ_DATASET;
    *id = r;
    return true;
}

void
view_ds_detail(struct tui *t, int32_t r, struct detail *d)
{
    detail_object(t, OBJ_DATASET, r, d);
}

const struct view_ops datasets_view = {
    .name = "datasets", .title = "Datasets", .keymap = KEYMAP_DATASETS, .kind = OBJ_DATASET,
    .cols = view_ds_cols, .ncols = 7, .default_sort = 0,
    .count = view_ds_count, .visible = view_ds_visible, .filter_text = view_ds_filter, .filter_name = true,
    .row_kind = OBJ_DATASET,
    .detail = view_ds_detail, .object = view_ds_object,
};

/* ---- flows ---------------------------------------------------------------- */
