/*
 * view_tiers.c - tiers: every tier, its rank, scopes and datasets.
 * Part of the list engine (src/tui/view_int.h); no curses here.
 */
#include "view_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int32_t ti_count(struct tui *t) { return t->m->ntiers; }
static bool ti_visible(struct tui *t, int32_t r) { return !t->m->tiers[r].deleted; }
static const char *ti_name(struct tui *t, int32_t r) { return t->m->tiers[r].name; }
static int64_t ti_rank(struct tui *t, int32_t r) { return t->m->tiers[r].rank; }

static void
ti_name_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", t->m->tiers[r].name);
}

static void
ti_rank_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%d", (int)t->m->tiers[r].rank);
}

static void
ti_attr_text(struct tui *t, int32_t r, const char *attr, char *buf, size_t n)
{
    model_get(t->m, OBJ_TIER, r, attr, buf, n);
}

#define TIER_TEXT(fn, attr) \
    static void fn(struct tui *t, int32_t r, char *buf, size_t n, int *style) \
    { (void)style; ti_attr_text(t, r, attr, buf, n); }
TIER_TEXT(ti_personal_text, "personal")
TIER_TEXT(ti_scope_text, "scope")
TIER_TEXT(ti_bscope_text, "backup-scope")
TIER_TEXT(ti_kscope_text, "key-scope")
TIER_TEXT(ti_enc_text, "encryption-at-rest")
TIER_TEXT(ti_sov_text, "sovereign")
#undef TIER_TEXT

static void
ti_count_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%d", r < t->nt ? (int)t->tier_count[r] : 0);
}

static int64_t ti_count_key(struct tui *t, int32_t r) { return r < t->nt ? t->tier_count[r] : 0; }

static const struct column ti_cols[] = {
    { .title = "Tier", .fit = COL_NAME, .text = ti_name_text, .str = ti_name },
    { .title = "Rank", .fit = COL_SHORT, .prio = 1, .right = true, .text = ti_rank_text, .num = ti_rank },
    { .title = "Personal", .fit = COL_SHORT, .prio = 2, .text = ti_personal_text },
    { .title = "Scope", .fit = COL_SHORT, .prio = 3, .text = ti_scope_text },
    { .title = "Backups", .fit = COL_SHORT, .prio = 5, .text = ti_bscope_text },
    { .title = "Keys", .fit = COL_SHORT, .prio = 6, .text = ti_kscope_text },
    { .title = "Encrypt", .fit = COL_SHORT, .prio = 7, .text = ti_enc_text },
    { .title = "Sovereign", .fit = COL_SHORT, .prio = 8, .text = ti_sov_text },
    { .title = "Datasets", .fit = COL_SHORT, .prio = 4, .right = true, .text = ti_count_text, .num = ti_count_key },
};

static const char *
ti_filter(struct tui *t, int32_t r, char *buf, size_t n)
{
    (void)buf; (void)n;
    return t->m->tiers[r].name;
}

static bool
ti_object(struct tui *t, int32_t r, enum obj_kind *k, int32_t *id)
{
    (void)t;
    *k = OBJ_TIER;
    *id = r;
    return true;
}

static void
ti_detail(struct tui *t, int32_t r, struct detail *d)
{
    detail_object(t, OBJ_TIER, r, d);
}

const struct view_ops tiers_view = {
    .name = "tiers", .title = "Tiers", .keymap = KEYMAP_LIST, .kind = OBJ_TIER,
    .cols = ti_cols, .ncols = 9, .default_sort = -1,
    .count = ti_count, .visible = ti_visible, .filter_text = ti_filter, .filter_name = true,
    .row_kind = OBJ_TIER,
    .detail = ti_detail, .object = ti_object,
};

/* ---- findings (grouped by severity, waived apart) ------------------------- */
