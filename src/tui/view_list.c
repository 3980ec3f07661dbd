/*
 * view_list.c - the list engine: the view registry, rows grouped and selected,
 * columns laid out, only the visible rows drawn.
 * Part of the list engine (src/tui/view_int.h); no curses here.
 */
#include "view_int.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers -------------------------------------------------------------- */

int
view_sev_style(int sev, bool waived)
{
    static const int styles[SEV_COUNT] = {
        [SEV_INFO] = STYLE_INFO, [SEV_WARNING] = STYLE_WARNING, [SEV_ERROR] = STYLE_ERROR,
    };
    if (waived)
        return STYLE_WAIVED;
    return sev >= 0 && sev < SEV_COUNT ? styles[sev] : STYLE_DEFAULT;
}

void
view_placement_text(const struct tui *t, int32_t p, char *buf, size_t n)
{
    if (p < 0 || p >= t->m->nplacements) {
        snprintf(buf, n, "-");
        return;
    }
    model_selector(t->m, OBJ_PLACEMENT, p, buf, n);
}

const char *
view_cell_text(struct tui *t, const struct column *col, int32_t r, char **buf, size_t *size,
               int *style)
{
    int st0 = *style;

    for (;;) {
        char *nb;
        if (*size) {
            (*buf)[0] = 0;
            *style = st0;
            col->text(t, r, *buf, *size, style);
            if (strlen(*buf) + 1 < *size)
                return *buf;
        }
        if (*size > SIZE_MAX / 4 || !(nb = realloc(*buf, *size ? *size * 4 : 256)))
            return "";
        *buf = nb;
        *size = *size ? *size * 4 : 256;
    }
}

const struct view_ops *const tui_views[TUI_NVIEWS] = {
    &datasets_view, &flows_view, &regions_view, &tiers_view,
    &findings_view, &map_view, &transfers_view, &scenarios_view, &waivers_view,
};

const struct view_ops *
view_of_kind(enum obj_kind kind)
{
    static const struct view_ops *const of_kind[OBJ_KIND_COUNT] = {
        [OBJ_REGION] = &regions_view, [OBJ_TIER] = &tiers_view,
        [OBJ_DATASET] = &datasets_view, [OBJ_PLACEMENT] = &datasets_view,
        [OBJ_FLOW] = &flows_view, [OBJ_WAIVER] = &waivers_view,
        [OBJ_SCENARIO] = &scenarios_view,
    };
    return kind < OBJ_KIND_COUNT && of_kind[kind] ? of_kind[kind] : &findings_view;
}

int
view_index(const struct view_ops *ops)
{
    for (int i = 0; i < TUI_NVIEWS; i++)
        if (tui_views[i] == ops)
            return i;
    return 0;
}

struct view *
tui_view(struct tui *t, const struct view_ops *ops)
{
    return &t->views[view_index(ops)];
}

bool
view_grouped(const struct view *v, int sort)
{
    return v->ops->group &&
           (!v->ops->flat_sorts || sort < 0 || sort == v->ops->default_sort);
}

/* Room for need ids and an eighth more (rows added by edits then seldom
 * move the array): sm_grow's doublings left up to half a million-row
 * array's pages zeroed and unused (flows: 666,667 rows in room for
 * 1,048,576). The new room is zeroed. */
int
view_grow(int32_t **p, int32_t *cap, int32_t need)
{
    int64_t ncap;
    int32_t *np;

    if (need <= *cap)
        return SM_OK;
    ncap = (int64_t)need + need / 8 + 16;
    if (ncap > INT32_MAX)
        ncap = need;
    if (!(np = realloc(*p, sizeof *np * (size_t)ncap)))
        return SM_ENOMEM;
    memset(np + *cap, 0, sizeof *np * (size_t)(ncap - *cap));
    *p = np;
    *cap = (int32_t)ncap;
    return SM_OK;
}

/* rows and disp where order is, when they are order itself */
static void
rows_follow(struct view *v)
{
    if (v->rows_order) {
        v->rows = v->order;
        v->caprows = v->caporder;
    }
    if (v->disp_rows)
        v->disp = v->rows;      /* it may have moved */
}

int
view_grow_order(struct view *v, int32_t need)
{
    int rc = view_grow(&v->order, &v->caporder, need);

    rows_follow(v);
    return rc;
}

int
view_grow_rows(struct view *v, int32_t need)
{
    int rc;

    if (!v->rows)
        v->rows_order = true;   /* none yet: order's, unless a filter wants its own */
    rows_follow(v);
    if (v->rows_order && need <= v->caprows)
        return SM_OK;
    if (v->rows_order)
        return view_rows_own(v, need);
    rc = view_grow(&v->rows, &v->caprows, need);
    rows_follow(v);
    return rc;
}

int
view_rows_own(struct view *v, int32_t need)
{
    int32_t *own = NULL, cap = 0;
    int rc;

    if (!v->rows_order) {
        rc = view_grow(&v->rows, &v->caprows, need);
        rows_follow(v);
        return rc;
    }
    if (view_grow(&own, &cap, need) != SM_OK)
        return SM_ENOMEM;
    v->rows = own;
    v->caprows = cap;
    v->nrows = 0;
    v->rows_order = false;
    rows_follow(v);
    return SM_OK;
}

void
view_rows_are_order(struct view *v)
{
    if (!v->rows_order)
        free(v->rows);
    v->rows_order = true;
    rows_follow(v);
}

/* Build disp from rows: a header before each group; without groups disp
 * is rows itself. */
static void
regroup(struct tui *t, struct view *v)
{
    int32_t need = v->nrows, k = 0;
    int last = -1;

    memset(v->gcount, 0, sizeof v->gcount);
    if (!view_grouped(v, v->sort)) {
        /* no headers: the rows are what is shown (at a million rows a
         * copy was 4 MB a view) */
        if (!v->disp_rows)
            free(v->disp);
        v->disp = v->rows;
        v->capdisp = 0;
        v->disp_rows = true;
        v->ndisp = v->nrows;
        return;
    }
    if (v->disp_rows) {
        v->disp = NULL;
        v->disp_rows = false;
    }
    for (int32_t i = 0; i < v->nrows; i++) {
        int g = v->ops->group(t, v->rows[i]);
        if (g >= 0 && g < VIEW_NGROUPS && v->gcount[g]++ == 0)
            need++;
    }
    if (view_grow(&v->disp, &v->capdisp, need + 1) != SM_OK) {
        v->ndisp = 0;
        return;
    }
    for (int32_t i = 0; i < v->nrows; i++) {
        int g = v->ops->group(t, v->rows[i]);
        if (g != last)
            v->disp[k++] = -1 - g;
        last = g;
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
            view_texts_rows(t, o, o->ops->count(t)) != o->ops->count(t))
            view_texts_build(t, o);
        /* and the ranks of a column of few strings (not the map's) */
        if (!o->ops->draw && o->ops->count(t) >= PARTIAL_MIN &&
            !view_colrank_current(t, o, o->colrank_col))
            view_colrank_build(t, o);
        if (o == cur || view_order_current(t, o, o->sort, o->desc))
            continue;
        if (view_build_order(t, o) != SM_OK)
            o->order_gen = 0;
    }
}

void
view_rebuild(struct tui *t, struct view *v)
{
    int32_t keep = view_current(t, v);
    bool fresh, narrow, was_partial = v->partial, repaired = false;

    view_forget_other_models(t);
    fresh = view_order_current(t, v, v->sort, v->desc);
    narrow = fresh && v->built_gen == t->gen && v->built_filter[0] &&
             strncmp(v->filter, v->built_filter, strlen(v->built_filter)) == 0;
    /* A name order whose signature is not known yet: the repair below
     * makes it in its own pass over the rows, and gives the order the
     * check below would keep when nothing changed (the rows in order, no
     * row out, none in): one pass over a million objects instead of two. */
    if (!fresh && !v->partial && v->order_sort == v->sort && v->order_desc == v->desc &&
        v->order_gen != 0 && v->sort == 0 && view_order_by_name(v, 0) &&
        !view_sig_known(t, v)) {
        repaired = true;
        if (view_repair_name_order(t, v)) {
            view_order_built(t, v);
            fresh = true;
        }
    }
    if (!fresh && !v->partial && v->order_sort == v->sort && v->order_desc == v->desc &&
        v->order_gen != 0 && view_order_by_name(v, v->sort) &&
        view_sig_unchanged(t, v, v->order_m, v->order_sig)) {
        fresh = true;               /* an edit that left the names be */
        v->order_mgen = t->m->generation;
        v->order_fp = view_model_fp(t);
    }
    if (!fresh && !v->partial && v->order_sort == v->sort && v->order_desc == v->desc &&
        v->order_gen != 0 && v->sort == 0 && view_order_by_name(v, 0) && !repaired &&
        view_repair_name_order(t, v)) {
        view_order_built(t, v);          /* rows added or hidden: repaired */
        fresh = true;
    }
    if (fresh && v->order_gen != t->gen) {
        v->order_gen = t->gen;      /* kept through a re-check */
    } else if (!fresh && v->sort >= 0 && !view_grouped(v, v->sort) && !v->partial &&
               view_order_current(t, v, v->sort, !v->desc)) {
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
    if (!fresh && view_build_order(t, v) != SM_OK) {
        v->nrows = v->ndisp = v->norder = 0;
        v->order_gen = 0;
        tui_set_message(t, true, "out of memory listing %s", v->ops->name);
        return;
    }
    if (was_partial && !v->partial && !t->unchecked)
        prepare_others(t, v);
    view_apply_filter(t, v, narrow);
    regroup(t, v);
    v->built_gen = t->gen;
    tui_text_set(&v->built_filter, "%s", v->filter);
    v->sel = 0;
    if (keep >= 0)
        for (int32_t i = 0; i < v->ndisp; i++)
            if (v->disp[i] == keep) {
                v->sel = i;
                break;
            }
    fix_selection(v);
}

unsigned
views_texts_drop(struct tui *t)
{
    unsigned had = 0;

    for (int i = 0; i < TUI_NVIEWS; i++)
        if (view_texts_drop(&t->views[i]))
            had |= 1u << i;
    return had;
}

void
views_texts_build(struct tui *t, unsigned which)
{
    for (int i = 0; i < TUI_NVIEWS; i++)
        if (which & 1u << i)
            view_texts_build(t, &t->views[i]);
}

void
view_ensure(struct tui *t, struct view *v)
{
    view_forget_other_models(t);
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
        tui_text_free(&v->filter);
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

/* Column widths for w columns from the content of the rows on screen
 * (disp[top .. top + rows)): each column asks for its widest cell (and
 * its title with the sort arrow); columns 1 .. skip are scrolled off to
 * the left (h/l); when the rest do not fit, the highest prio goes until
 * the least each keeps fits (a key keeps its width, up to half of w).
 * Then free text gives way first, then names, then keys, the widest
 * first (enum col_fit). shown[] gets the columns
 * drawn, in order; returns how many. *more: columns right of them are
 * hidden (l scrolls to them). */
#define LAYOUT_MAXCOLS 16
#define LAYOUT_MINKEEP 10       /* the least a name, key or free text keeps */
#define LAYOUT_READABLE 16      /* a name or free text cut to this still reads */

/* What each column on[] asks for: its widest cell among the rows on
 * screen, or its title with the sort arrow. */
static void
measure(struct tui *t, const struct view *v, int rows, const bool *on, int *need)
{
    const struct view_ops *ops = v->ops;
    int n = ops->ncols < LAYOUT_MAXCOLS ? ops->ncols : LAYOUT_MAXCOLS;
    char *buf = NULL;
    size_t size = 0;

    for (int c = 0; c < n; c++)
        need[c] = text_width(ops->cols[c].title) + 1;
    for (int i = 0; i < rows && v->top + i < v->ndisp; i++) {
        int32_t r = v->disp[v->top + i];
        if (r < 0)
            continue;
        for (int c = 0; c < n; c++) {
            int st = STYLE_DEFAULT, cw;
            if (!on[c])
                continue;
            if ((cw = text_width(view_cell_text(t, &ops->cols[c], r, &buf, &size, &st))) >
                need[c])
                need[c] = cw;
        }
    }
    free(buf);
}

int
view_list_need(struct tui *t, struct view *v, int rows)
{
    int n = v->ops->ncols < LAYOUT_MAXCOLS ? v->ops->ncols : LAYOUT_MAXCOLS;
    int need[LAYOUT_MAXCOLS], total = -1;
    bool on[LAYOUT_MAXCOLS] = { false };

    if (v->ops->draw)
        return 0;
    for (int c = 0; c < n; c++)
        on[c] = true;
    measure(t, v, rows, on, need);
    for (int c = 0; c < n; c++) {
        /* names and free text may give way down to a readable width */
        if (v->ops->cols[c].fit >= COL_NAME && need[c] > LAYOUT_READABLE)
            need[c] = LAYOUT_READABLE;
        total += need[c] + 1;
    }
    return total;
}

static int
layout_cols(struct tui *t, struct view *v, int w, int rows, int *widths, int *shown,
            bool *more)
{
    const struct view_ops *ops = v->ops;
    int n = ops->ncols < LAYOUT_MAXCOLS ? ops->ncols : LAYOUT_MAXCOLS;
    int need[LAYOUT_MAXCOLS], keep[LAYOUT_MAXCOLS];
    bool on[LAYOUT_MAXCOLS] = { false };
    int nshown = 0, total = 0, skip = v->hscroll;

    if (skip > n - 2)
        skip = n - 2 > 0 ? n - 2 : 0;
    v->hscroll = skip;
    for (int c = 0; c < n; c++)
        on[c] = c == 0 || c > skip;
    measure(t, v, rows, on, need);
    for (int c = 0; c < n; c++) {
        /* A key keeps its whole width (up to half the list): columns are
         * dropped (l shows them) before two keys are cut to the same
         * prefix ("backup_access_log@aw…" twice). */
        keep[c] = need[c];
        if (ops->cols[c].fit == COL_KEY && keep[c] > (w / 2 > LAYOUT_MINKEEP ? w / 2 : LAYOUT_MINKEEP))
            keep[c] = w / 2 > LAYOUT_MINKEEP ? w / 2 : LAYOUT_MINKEEP;
        else if (ops->cols[c].fit > COL_KEY && keep[c] > LAYOUT_MINKEEP)
            keep[c] = LAYOUT_MINKEEP;
        if (on[c])
            total += keep[c] + 1;
    }
    *more = false;
    while (total - 1 > w) {
        int drop = -1;
        for (int c = 1; c < n; c++)
            if (on[c] && (drop < 0 || ops->cols[c].prio >= ops->cols[drop].prio))
                drop = c;
        if (drop < 0)
            break;
        on[drop] = false;
        total -= keep[drop] + 1;
        *more = true;
    }
    /* Widths: every column its need, then give back the excess. */
    total = -1;
    for (int c = 0; c < n; c++)
        if (on[c]) {
            widths[c] = need[c];
            total += need[c] + 1;
            shown[nshown++] = c;
        }
    for (int fit = COL_FREE; fit >= COL_KEY && total > w; fit--) {
        /* Take from the widest of this kind first, one column at a time. */
        while (total > w) {
            int widest = -1;
            for (int c = 0; c < n; c++)
                if (on[c] && (int)ops->cols[c].fit == fit && widths[c] > keep[c] &&
                    (widest < 0 || widths[c] > widths[widest]))
                    widest = c;
            if (widest < 0)
                break;
            widths[widest]--;
            total--;
        }
    }
    /* Room left: the free text column takes it (else the first name). */
    if (total < w) {
        int take = -1;
        for (int c = 0; c < n; c++)
            if (on[c] && ops->cols[c].fit == COL_FREE)
                take = c;
        for (int c = 0; c < n && take < 0; c++)
            if (on[c] && ops->cols[c].fit == COL_NAME)
                take = c;
        if (take < 0)
            take = shown[nshown - 1];
        widths[take] += w - total;
    }
    for (int c = n - 1; c > skip && !*more; c--)
        if (!on[c])
            *more = true;
    return nshown;
}

const char *
view_sort_arrow(const struct view *v)
{
    return v->desc ? text_sym("▼", "v") : text_sym("▲", "^");
}

void
view_draw_list(struct tui *t, struct view *v, struct screen *s, int x, int y, int w, int h)
{
    const struct view_ops *ops = v->ops;
    int widths[LAYOUT_MAXCOLS], shown[LAYOUT_MAXCOLS], ncols, cx;
    char *buf = NULL, group[128];     /* bounded: "DE (3 regions)" */
    size_t size = 0;
    int rows = h - 1;
    bool more;

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
    ncols = layout_cols(t, v, w, rows, widths, shown, &more);
    if (more)       /* room for the ">" that says so */
        ncols = layout_cols(t, v, w - 1, rows, widths, shown, &more);
    v->shown = 0;
    for (int i = 0; i < ncols; i++) {
        v->shown |= 1u << shown[i];
        v->colw[shown[i]] = (int16_t)widths[shown[i]];
    }
    v->hmore = more;

    /* Header: a title cut to leave room for the sort arrow, which always
     * shows; "<" / ">" where columns are scrolled off or hidden. */
    screen_fill(s, x, y, w, STYLE_HEADER);
    cx = x;
    for (int i = 0; i < ncols; i++) {
        int c = shown[i], tw = widths[c];
        const char *title = ops->cols[c].title;
        if (v->sort == c && tw >= 2) {
            int ttw = text_width(title) < tw - 1 ? text_width(title) : tw - 1;
            int tx = ops->cols[c].right ? cx + tw - 1 - ttw : cx;
            screen_put(s, tx, y, ttw, STYLE_HEADER, title);
            screen_put(s, tx + ttw, y, 1, STYLE_HEADER, view_sort_arrow(v));
        } else {
            screen_field(s, cx, y, tw, STYLE_HEADER, title, ops->cols[c].right);
        }
        cx += tw + 1;
    }
    if (v->hscroll > 0 && ncols > 1)
        screen_put(s, x + widths[shown[0]], y, 1, STYLE_HEADER, "<");
    if (more)
        screen_put(s, x + w - 1, y, 1, STYLE_HEADER, ">");
    /* No sort column: say so in the header where a title leaves room
     * (free text's first, else the rightmost with room); where none does,
     * the sort menu (o) and the message when chosen say it. */
    if (v->sort < 0) {
        const char *label = "catalog order";
        int lw = text_width(label), at = -1, hx = x;
        bool free_at = false;
        for (int i = 0; i < ncols; i++) {
            int c = shown[i];
            bool fr = ops->cols[c].fit == COL_FREE;
            if (widths[c] - text_width(ops->cols[c].title) - 2 >= lw && (!free_at || fr)) {
                at = hx + widths[c] - lw;
                free_at = fr;
            }
            hx += widths[c] + 1;
        }
        if (at >= 0)
            screen_put(s, at, y, lw, STYLE_HEADER, label);
    }
    if (v->ndisp == 0) {
        const char *why = v->filter[0] ? "no match for the filter (Esc clears it)"
                        : (ops->count == NULL ? "" : "nothing here yet");
        if (!v->filter[0] && ops == &findings_view && t->res)
            why = "no findings: the model is compliant";
        else if (!v->filter[0] && !t->res && ops->result_rows)
            why = "no check results (no rule pack loaded)";
        else if (!v->filter[0] && ops == &waivers_view)
            why = "no waivers: w on a finding (view 5) waives it";
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
            ops->group_title(t, g, g < VIEW_NGROUPS ? v->gcount[g] : 0, group, sizeof group);
            screen_fill(s, x, yy, w, STYLE_DEFAULT);
            screen_put(s, x, yy, w, STYLE_GROUP, group);
            continue;
        }
        screen_fill(s, x, yy, w, rowstyle);
        cx = x;
        for (int k = 0; k < ncols; k++) {
            int c = shown[k], st = STYLE_DEFAULT;
            const char *cell = view_cell_text(t, &ops->cols[c], r, &buf, &size, &st);
            screen_field(s, cx, yy, widths[c], sel ? rowstyle : st, cell, ops->cols[c].right);
            cx += widths[c] + 1;
        }
    }
    free(buf);
}
