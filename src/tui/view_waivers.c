/*
 * view_waivers.c - waivers: every waiver, live ones first, then the
 * expired (they hide nothing any more), with owner, expiry and reason;
 * sortable by owner and by expiry across the two groups' order.
 * Part of the list engine (src/tui/view_int.h); no curses here.
 */
#include "view_int.h"

#include <stdio.h>
#include <string.h>

static int32_t wv_count(struct tui *t) { return t->m->nwaivers; }
static bool wv_visible(struct tui *t, int32_t r) { return !t->m->waivers[r].deleted; }
static const char *wv_key(struct tui *t, int32_t r) { return t->m->waivers[r].key; }

static bool
wv_expired(const struct tui *t, int32_t r)
{
    int32_t e = t->m->waivers[r].expires;
    return e != 0 && e < t->today;
}

static const char *
str_or(const char *s, const char *none)
{
    return s && *s ? s : none;
}

static void
wv_key_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    snprintf(buf, n, "%s", t->m->waivers[r].key);
    if (wv_expired(t, r))
        *style = STYLE_DIM;
}

static void
wv_owner_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", str_or(t->m->waivers[r].owner, "-"));
}

static const char *wv_owner(struct tui *t, int32_t r) { return str_or(t->m->waivers[r].owner, ""); }

static void
wv_expires_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    char d[11];                         /* bounded: YYYY-MM-DD */
    int32_t e = t->m->waivers[r].expires;

    if (e == 0) {
        snprintf(buf, n, "never");
        *style = STYLE_DIM;
        return;
    }
    sm_date_fmt(e, d);
    snprintf(buf, n, "%s", d);
    if (e < t->today)
        *style = STYLE_WARNING;
}

/* Never expiring sorts last. */
static int64_t
wv_expires_key(struct tui *t, int32_t r)
{
    int32_t e = t->m->waivers[r].expires;
    return e ? e : INT32_MAX;
}

static void
wv_state_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    bool x = wv_expired(t, r);
    snprintf(buf, n, "%s", x ? "expired" : "live");
    *style = x ? STYLE_WARNING : STYLE_WAIVED;
}

static void
wv_reason_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", str_or(t->m->waivers[r].reason, ""));
}

static const struct column wv_cols[] = {
    { .title = "Waiver", .fit = COL_KEY, .text = wv_key_text, .str = wv_key },
    { .title = "Owner", .fit = COL_SHORT, .prio = 1, .text = wv_owner_text, .str = wv_owner },
    { .title = "Expires", .fit = COL_SHORT, .prio = 2, .text = wv_expires_text,
      .num = wv_expires_key },
    { .title = "State", .fit = COL_SHORT, .prio = 3, .text = wv_state_text },
    { .title = "Reason", .fit = COL_FREE, .prio = 4, .text = wv_reason_text },
};

/* Live waivers, then expired ones (the date moves with t->today). */
static int
wv_group(struct tui *t, int32_t r)
{
    return wv_expired(t, r) ? 1 : 0;
}

static void
wv_group_title(struct tui *t, int g, int32_t n, char *buf, size_t size)
{
    (void)t;
    snprintf(buf, size, "%s (%d)", g == 0 ? "Live" : "Expired: they hide nothing", (int)n);
}

static const char *
wv_filter(struct tui *t, int32_t r, char *buf, size_t n)
{
    const struct waiver *w = &t->m->waivers[r];
    snprintf(buf, n, "%s %s %s", w->key, str_or(w->owner, ""), str_or(w->reason, ""));
    return buf;
}

static bool
wv_object(struct tui *t, int32_t r, enum obj_kind *k, int32_t *id)
{
    (void)t;
    *k = OBJ_WAIVER;
    *id = r;
    return true;
}

static void
wv_detail(struct tui *t, int32_t r, struct detail *d)
{
    detail_object(t, OBJ_WAIVER, r, d);
}

const struct view_ops waivers_view = {
    .name = "waivers", .title = "Waivers", .keymap = KEYMAP_LIST, .kind = OBJ_KIND_COUNT,
    .cols = wv_cols, .ncols = 5, .default_sort = 0,
    .count = wv_count, .visible = wv_visible, .flat_sorts = true, .group = wv_group,
    .group_title = wv_group_title, .filter_text = wv_filter,
    .detail = wv_detail, .object = wv_object,
};
