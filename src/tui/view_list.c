/*
 * view_list.c - the list engine: the view registry, rows grouped and selected,
 * columns laid out, only the visible rows drawn.
 * Part of the list engine (src/tui/view_list.h); no curses here.
 */
#include "view_list.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers -------------------------------------------------------------- */

const char *
tier_name(const struct tui *t, int32_t tier)
{
    return tier >= 0 && tier < t->m->ntiers ? t->m->tiers[tier].name : "";
}

const char *
region_id(const struct tui *t, int32_t r)
{
    return r >= 0 && r < t->m->nregions ? t->m->regions[r].id : "";
}

int
sev_style(int sev, bool waived)
{
    static const int styles[SEV_COUNT] = {
        [SEV_INFO] = STYLE_INFO, [SEV_WARNING] = STYLE_WARNING, [SEV_ERROR] = STYLE_ERROR,
    };
    if (waived)
        return STYLE_WAIVED;
    return sev >= 0 && sev < SEV_COUNT ? styles[sev] : STYLE_DEFAULT;
}

void
placement_text(const struct tui *t, int32_t p, char *buf, size_t n)
{
    if (p < 0 || p >= t->m->nplacements) {
        snprintf(buf, n, "-");
        return;
    }
    model_selector(t->m, OBJ_PLACEMENT, p, buf, n);
}

const struct view_ops *const tui_views[TUI_NVIEWS] = {
    &datasets_view, &flows_view, &regions_view, &tiers_view,
    &findings_view, &map_view, &transfers_view, &scenarios_view,
};

int
view_index_of_kind(enum obj_kind kind)
{
    static const int index[OBJ_KIND_COUNT] = {
        [OBJ_REGION] = 2, [OBJ_TIER] = 3, [OBJ_DATASET] = 0, [OBJ_PLACEMENT] = 0,
        [OBJ_FLOW] = 1, [OBJ_WAIVER] = 4, [OBJ_SCENARIO] = 7,
    };
    return kind < OBJ_KIND_COUNT ? index[kind] : 4;
}

int
grow(int32_t **p, int32_t *cap, int32_t need)
{
    return sm_grow((void **)p, cap, need, sizeof **p);
}

/* Build disp from rows: a header before each group. */
static void
regroup(struct tui *t, struct view *v)
{
    int32_t need = v->nrows, k = 0;
    int last = -1;

    memset(v->gcount, 0, sizeof v->gcount);
    if (v->ops->group) {
        for (int32_t i = 0; i < v->nrows; i++) {
            int g = v->ops->group(t, v->rows[i]);
            if (g >= 0 && g < VIEW_NGROUPS) {
                if (v->gcount[g]++ == 0)
                    need++;
            }
        }
    }
    if (grow(&v->disp, &v->capdisp, need + 1) != SM_OK) {
        v->ndisp = 0;
        return;
    }
    for (int32_t i = 0; i < v->nrows; i++) {
        if (v->ops->group) {
            int g = v->ops->group(t, v->rows[i]);
            if (g != last)
                v->disp[k++] = -1 - g;
            last = g;
        }
        v->disp[k++] = v->rows[i];
    }
    v->ndisp = k;
}

int32_t
view_current(struct tui *t, struct view *v)
{
    (void)t;
    if (v->sel < 0 || v->sel >= v->ndisp || v->disp[v->sel] < 0)
        return SM_NONE;
    return v->disp[v->sel];
}

static void
fix_selection(struct view *v)
{
    if (v->sel >= v->ndisp)
        v->sel = v->ndisp - 1;
    if (v->sel < 0)
        v->sel = 0;
    while (v->sel < v->ndisp && v->disp[v->sel] < 0)
        v->sel++;
    if (v->sel >= v->ndisp) {
        v->sel = v->ndisp - 1;
        while (v->sel > 0 && v->disp[v->sel] < 0)
            v->sel--;
    }
    if (v->sel < 0)
        v->sel = 0;
}

/* The other views' orders, built after the first check's frame (the
 * first frame had only a page of the current view): their first visits
 * then cost a copy, not a sort of a million names. Not on a key. */
static void
prepare_others(struct tui *t, struct view *cur)
{
    for (int i = 0; i < TUI_NVIEWS; i++) {
        struct view *o = &t->views[i];
        /* the big name lists (not the map's copy): their filter texts */
        if (o->ops->filter_name && !o->ops->draw && o->ops->count(t) >= PARTIAL_MIN &&
            texts_rows(t, o, o->ops->count(t)) != o->ops->count(t))
            texts_build(t, o);
        /* and the ranks of a column of few strings (not the map's) */
        if (!o->ops->draw && o->ops->count(t) >= PARTIAL_MIN &&
            !colrank_current(t, o, o->colrank_col))
            colrank_build(t, o);
        if (o == cur || order_current(t, o, o->sort, o->desc))
            continue;
        if (build_order(t, o) != SM_OK)
            o->order_gen = 0;
    }
}

void
view_rebuild(struct tui *t, struct view *v)
{
    int32_t keep = view_current(t, v);
    bool fresh, narrow, was_partial = v->partial;

    forget_other_models(t);
    fresh = order_current(t, v, v->sort, v->desc);
    narrow = fresh && v->built_gen == t->gen && v->built_filter[0] &&
             strncmp(v->filter, v->built_filter, strlen(v->built_filter)) == 0;
    if (!fresh && !v->partial && v->order_sort == v->sort && v->order_desc == v->desc &&
        v->order_gen != 0 && order_by_name(v, v->sort) &&
        sig_unchanged(t, v, v->order_m, v->order_sig)) {
        fresh = true;               /* an edit that left the names be */
        v->order_mgen = t->m->generation;
        v->order_fp = model_fp(t);
    }
    if (!fresh && !v->partial && v->order_sort == v->sort && v->order_desc == v->desc &&
        v->order_gen != 0 && v->sort == 0 && order_by_name(v, 0) && repair_name_order(t, v)) {
        order_built(t, v);          /* rows added or hidden: repaired */
        fresh = true;
    }
    if (fresh && v->order_gen != t->gen) {
        v->order_gen = t->gen;      /* kept through a re-check */
    } else if (!fresh && v->sort >= 0 && !v->ops->group && !v->partial &&
               order_current(t, v, v->sort, !v->desc)) {
        /* Only the direction changed: a descending order is the exact
         * reverse of the ascending one (ties included). */
        for (int32_t i = 0, j = v->norder - 1; i < j; i++, j--) {
            int32_t x = v->order[i];
            v->order[i] = v->order[j];
            v->order[j] = x;
        }
        v->order_desc = v->desc;
        v->order_gen = t->gen;
        fresh = true;
    }
    if (!fresh && build_order(t, v) != SM_OK) {
        v->nrows = v->ndisp = v->norder = 0;
        v->order_gen = 0;
        tui_set_message(t, true, "out of memory listing %s", v->ops->name);
        return;
    }
    if (was_partial && !v->partial && !t->unchecked)
        prepare_others(t, v);
    apply_filter(t, v, narrow);
    regroup(t, v);
    v->built_gen = t->gen;
    snprintf(v->built_filter, sizeof v->built_filter, "%s", v->filter);
    v->sel = 0;
    if (keep >= 0)
        for (int32_t i = 0; i < v->ndisp; i++)
            if (v->disp[i] == keep) {
                v->sel = i;
                break;
            }
    fix_selection(v);
}

void
view_ensure(struct tui *t, struct view *v)
{
    forget_other_models(t);
    if (v->built_gen != t->gen || strcmp(v->filter, v->built_filter) != 0)
        view_rebuild(t, v);
}

void
view_select_row(struct tui *t, struct view *v, int32_t row)
{
    view_ensure(t, v);
    for (int32_t i = 0; i < v->ndisp; i++)
        if (v->disp[i] == row) {
            v->sel = i;
            return;
        }
    if (v->filter[0]) {
        /* Not in the filtered list: drop the filter to show it. */
        v->filter[0] = 0;
        view_rebuild(t, v);
        for (int32_t i = 0; i < v->ndisp; i++)
            if (v->disp[i] == row) {
                v->sel = i;
                return;
            }
    }
}

void
view_move(struct tui *t, struct view *v, int32_t delta)
{
    int32_t s = v->sel + delta;
    (void)t;
    if (v->ndisp == 0)
        return;
    if (s < 0)
        s = 0;
    if (s >= v->ndisp)
        s = v->ndisp - 1;
    /* Skip group headers in the direction of travel. */
    while (s >= 0 && s < v->ndisp && v->disp[s] < 0)
        s += delta < 0 ? -1 : 1;
    if (s < 0 || s >= v->ndisp) {
        s = v->sel;
    }
    v->sel = s;
    fix_selection(v);
}

/* Column widths for w columns: fixed ones first, the flexible one takes
 * the rest; when too narrow, columns from the right are dropped. */
static int
layout_cols(const struct view_ops *ops, int w, int *widths)
{
    int fixed = 0, flex = -1, n = ops->ncols;

    for (int i = 0; i < n; i++) {
        widths[i] = ops->cols[i].width;
        if (widths[i] == 0 && flex < 0)
            flex = i;
        fixed += widths[i] + 1;
    }
    while (n > 1 && fixed + 20 > w) {
        n--;
        if (n == flex) {
            flex = -1;
        }
        fixed -= widths[n] + 1;
    }
    if (flex >= 0 && flex < n)
        widths[flex] = w - fixed > 8 ? w - fixed : 8;
    else if (n > 0)
        widths[n - 1] += w - fixed > 0 ? w - fixed : 0;
    return n;
}

void
view_draw_list(struct tui *t, struct view *v, struct screen *s, int x, int y, int w, int h)
{
    const struct view_ops *ops = v->ops;
    int widths[16], ncols = layout_cols(ops, w, widths), cx;
    char buf[1024];
    int rows = h - 1;

    /* Header */
    screen_fill(s, x, y, w, STYLE_HEADER);
    cx = x;
    for (int c = 0; c < ncols; c++) {
        char title[64];
        snprintf(title, sizeof title, "%s%s", ops->cols[c].title,
                 v->sort == c ? (v->desc ? text_sym("▼", "v") : text_sym("▲", "^")) : "");
        screen_field(s, cx, y, widths[c], STYLE_HEADER, title, ops->cols[c].right);
        cx += widths[c] + 1;
    }
    v->page = rows > 0 ? rows : 1;
    v->list_y = y + 1;
    if (v->sel < v->top)
        v->top = v->sel;
    if (v->sel >= v->top + rows)
        v->top = v->sel - rows + 1;
    if (v->top > v->ndisp - rows)
        v->top = v->ndisp - rows;
    if (v->top < 0)
        v->top = 0;
    if (v->ndisp == 0) {
        const char *why = v->filter[0] ? "no match for the filter (Esc clears it)"
                        : (ops->count == NULL ? "" : "nothing here yet");
        if (!v->filter[0] && ops == tui_views[4] && t->res)
            why = "no findings: the model is compliant";
        else if (!v->filter[0] && !t->res && (ops == tui_views[4] || ops == tui_views[6]))
            why = "no check results (no rule pack loaded)";
        else if (!v->filter[0] && ops->kind < OBJ_KIND_COUNT)
            why = "nothing here yet: press a to add one";
        screen_put(s, x + 2, y + 2, w - 4, STYLE_DIM, why);
        return;
    }
    for (int i = 0; i < rows && v->top + i < v->ndisp; i++) {
        int32_t r = v->disp[v->top + i];
        int yy = y + 1 + i;
        bool sel = v->top + i == v->sel;
        int rowstyle = sel ? (t->focus == FOCUS_LIST ? STYLE_SELECTED : STYLE_SELECTED_IDLE)
                           : STYLE_DEFAULT;

        if (r < 0) {
            int g = -1 - r;
            ops->group_title(t, g, g < VIEW_NGROUPS ? v->gcount[g] : 0, buf, sizeof buf);
            screen_fill(s, x, yy, w, STYLE_DEFAULT);
            screen_put(s, x, yy, w, STYLE_GROUP, buf);
            continue;
        }
        screen_fill(s, x, yy, w, rowstyle);
        cx = x;
        for (int c = 0; c < ncols; c++) {
            int st = STYLE_DEFAULT;
            buf[0] = 0;
            ops->cols[c].text(t, r, buf, sizeof buf, &st);
            screen_field(s, cx, yy, widths[c], sel ? rowstyle : st, buf, ops->cols[c].right);
            cx += widths[c] + 1;
        }
    }
}
