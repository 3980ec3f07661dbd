/*
 * view_flows.c - flows: every flow, its ends, kind, mechanism and status.
 * Part of the list engine (src/tui/view_int.h); no curses here.
 */
#include "view_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int32_t fl_count(struct tui *t) { return t->m->nflows; }
static bool fl_visible(struct tui *t, int32_t r) { return !t->m->flows[r].deleted; }
static const char *fl_name(struct tui *t, int32_t r) { return t->m->flows[r].name; }

static void
fl_name_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", t->m->flows[r].name);
}

static void
fl_from_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    view_placement_text(t, t->m->flows[r].from, buf, n);
}

static void
fl_to_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    const struct flow *f = &t->m->flows[r];
    (void)style;
    if (f->to >= 0)
        view_placement_text(t, f->to, buf, n);
    else
        snprintf(buf, n, "%s (export)", model_region_id(t->m, f->to_region));
}

static void
fl_kind_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", flow_kind_names[t->m->flows[r].kind]);
}

static int64_t fl_kind_key(struct tui *t, int32_t r) { return t->m->flows[r].kind; }

static void
fl_mech_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    uint8_t mech = t->m->flows[r].mechanism;
    if (mech == MECH_NONE) {
        snprintf(buf, n, "-");
        *style = STYLE_DIM;
        return;
    }
    snprintf(buf, n, "%s", mechanism_names[mech]);
}

static int64_t fl_mech_key(struct tui *t, int32_t r) { return t->m->flows[r].mechanism; }

static void
fl_status_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    int w = r < t->nf ? t->fl_worst[r] : -1;
    if (w < 0) {
        snprintf(buf, n, r < t->nf && t->fl_waived[r] ? "waived" : "ok");
        *style = r < t->nf && t->fl_waived[r] ? STYLE_WAIVED : STYLE_DIM;
        return;
    }
    snprintf(buf, n, "%s", severity_names[w]);
    *style = view_sev_style(w, false);
}

static int64_t fl_status_key(struct tui *t, int32_t r) { return r < t->nf ? t->fl_worst[r] : -1; }

static const struct column fl_cols[] = {
    { .title = "Flow", .fit = COL_NAME, .text = fl_name_text, .str = fl_name },
    { .title = "From", .fit = COL_KEY, .prio = 1, .text = fl_from_text },
    { .title = "To", .fit = COL_KEY, .prio = 2, .text = fl_to_text },
    { .title = "Kind", .fit = COL_SHORT, .prio = 4, .text = fl_kind_text, .num = fl_kind_key },
    { .title = "Mech", .fit = COL_SHORT, .prio = 5, .text = fl_mech_text, .num = fl_mech_key },
    { .title = "Status", .fit = COL_SHORT, .prio = 3, .text = fl_status_text, .num = fl_status_key, .result = true },
};

static const char *
fl_filter(struct tui *t, int32_t r, char *buf, size_t n)
{
    (void)buf; (void)n;
    return t->m->flows[r].name;
}

static bool
fl_object(struct tui *t, int32_t r, enum obj_kind *k, int32_t *id)
{
    (void)t;
    *k = OBJ_FLOW;
    *id = r;
    return true;
}

static void
fl_detail(struct tui *t, int32_t r, struct detail *d)
{
    detail_object(t, OBJ_FLOW, r, d);
}

const struct view_ops flows_view = {
    .name = "flows", .title = "Flows", .keymap = KEYMAP_LIST, .kind = OBJ_FLOW,
    .cols = fl_cols, .ncols = 6, .default_sort = 0,
    .count = fl_count, .visible = fl_visible, .filter_text = fl_filter, .filter_name = true,
    .row_kind = OBJ_FLOW,
    .detail = fl_detail, .object = fl_object,
};

/* ---- regions (grouped by country) ----------------------------------------- */
