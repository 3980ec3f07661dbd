/*
 * view_map.c - the map: datasets x the regions that hold a copy, the cells coloured
 * by the worst finding of the copies there.
 * Part of the list engine (src/tui/view_int.h); no curses here.
 */
#include "view_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- map (datasets x regions) --------------------------------------------- */

static void map_draw(struct tui *t, struct view *v, struct screen *s, int x, int y,
                     int w, int h);

const struct view_ops map_view = {
    .name = "map", .title = "Map", .keymap = KEYMAP_MAP, .kind = OBJ_PLACEMENT,
    .cols = view_ds_cols, .ncols = 1, .default_sort = 0,
    .count = view_ds_count, .visible = view_ds_visible, .filter_text = view_ds_filter, .filter_name = true,
    .row_kind = OBJ_DATASET,
    .detail = view_ds_detail, .object = view_ds_object, .draw = map_draw,
};

/* ---- the map ---------------------------------------------------------------- */

#define MAP_NAME_W 22
#define MAP_CELL_MIN 6          /* a cell: role letters and the state mark */

static void
map_cell(struct tui *t, int32_t ds, int32_t region, char *buf, size_t n, int *style)
{
    static const char letters[ROLE_COUNT] = { /* bounded: a fixed table */
        [ROLE_PRIMARY] = 'P', [ROLE_REPLICA] = 'R', [ROLE_BACKUP] = 'B', [ROLE_DR] = 'D',
        [ROLE_CACHE] = 'C', [ROLE_ARCHIVE] = 'A', [ROLE_EDGE] = 'E',
    };
    static const int sev_map[SEV_COUNT] = {
        [SEV_INFO] = STYLE_MAP_OK, [SEV_WARNING] = STYLE_MAP_WARNING, [SEV_ERROR] = STYLE_MAP_ERROR,
    };
    size_t k = 0;
    int worst = -1;
    bool waived = false;

    buf[0] = 0;
    *style = STYLE_DEFAULT;
    for (int32_t p = t->m->datasets[ds].first_placement; p >= 0; p = t->m->placements[p].next) {
        const struct placement *pl = &t->m->placements[p];
        if (pl->deleted || pl->region != region)
            continue;
        if (k + 2 < n) {
            buf[k++] = letters[pl->role];
            buf[k] = 0;
        }
        if (p < t->np) {
            if (t->pl_worst[p] > worst)
                worst = t->pl_worst[p];
            waived |= t->pl_waived[p];
        }
    }
    if (!k)
        return;
    if (worst >= 0)
        *style = sev_map[worst];
    else
        *style = waived ? STYLE_MAP_WAIVED : STYLE_MAP_OK;
    /* The state as a mark too, so that it reads without colour (NO_COLOR,
     * mono): ! error, ? warning, ~ waived, nothing when ok. */
    if (k + 2 < n) {
        const char *mark = worst == SEV_ERROR ? "!" : worst == SEV_WARNING ? "?"
                         : worst < 0 && waived ? "~" : "";
        snprintf(buf + k, n - k, "%s", mark);
    }
}

/* The width of a cell: the widest region code among the columns from
 * hleft on (what can be on screen), so that every header reads whole. */
static int
map_cell_w(struct tui *t, const struct view *v)
{
    int cw = MAP_CELL_MIN;
    for (int c = v->hleft; c < t->nmap_regions && c < v->hleft + 64; c++) {
        const struct region *g = &t->m->regions[t->map_regions[c]];
        int w = text_width(g->code && *g->code ? g->code : g->id) + 1;
        if (w > cw)
            cw = w;
    }
    return cw;
}

/* The two header lines: over each run of regions of one country and
 * provider, "DE aws"; under it each region's code, whole. The first
 * column names the region under the cursor in full. */
static void
map_draw(struct tui *t, struct view *v, struct screen *s, int x, int y, int w, int h)
{
    int rows = h - 2, cw, ncell;
    char buf[64], cc[3];                /* bounded: a header word, a cell's role letters and mark */
    int lastcc = -2, lastplen = -1;
    const char *lastprov = NULL;

    if (v->hcol >= t->nmap_regions)
        v->hcol = t->nmap_regions - 1;
    if (v->hcol < 0)
        v->hcol = 0;
    if (v->hcol < v->hleft)
        v->hleft = v->hcol;
    for (;;) {
        cw = map_cell_w(t, v);
        ncell = (w - MAP_NAME_W) / cw;
        if (ncell < 1)
            ncell = 1;
        if (v->hcol < v->hleft + ncell)
            break;
        v->hleft = v->hcol - ncell + 1;
    }
    v->cellw = cw;
    screen_fill(s, x, y, w, STYLE_HEADER);
    screen_fill(s, x, y + 1, w, STYLE_HEADER);
    snprintf(buf, sizeof buf, "Dataset%s", v->sort == 0 ? view_sort_arrow(v) : "");
    screen_put(s, x, y + 1, MAP_NAME_W - 1, STYLE_HEADER, buf);
    if (t->nmap_regions > 0) {
        /* the region's id whole: screen_put cuts it to the column */
        char *cur = sm_strdupf("%s %s", text_sym("▸", ">"),
                               t->m->regions[t->map_regions[v->hcol]].id);
        screen_put(s, x, y, MAP_NAME_W - 1, STYLE_HEADER, cur ? cur : "");
        free(cur);
    } else {
        screen_put(s, x, y, MAP_NAME_W - 1, STYLE_HEADER, "no copies yet");
    }
    for (int c = 0; c < ncell && v->hleft + c < t->nmap_regions; c++) {
        const struct region *g = &t->m->regions[t->map_regions[v->hleft + c]];
        int cx = x + MAP_NAME_W + c * cw;
        int st = v->hleft + c == v->hcol ? STYLE_MAP_CURSOR : STYLE_HEADER;
        /* the provider as the region id names it (aws:eu-west-1) */
        const char *prov = g->id, *colon = strchr(g->id, ':');
        int plen = colon ? (int)(colon - g->id) : 0;
        if (g->country != lastcc || c == 0 || plen != lastplen ||
            strncmp(prov, lastprov, (size_t)plen) != 0) {
            char *run;
            sm_cc_str(g->country, cc);
            run = sm_strdupf("%s %.*s", g->country >= 0 ? cc : "multi", plen, prov);
            screen_put(s, cx, y, cw - 1, STYLE_HEADER, run ? run : "");
            free(run);
        }
        lastcc = g->country;
        lastprov = prov;
        lastplen = plen;
        screen_field(s, cx, y + 1, cw - 1, st, g->code && *g->code ? g->code : g->id, false);
    }
    if (v->hleft > 0)
        screen_put(s, x + MAP_NAME_W - 2, y + 1, 1, STYLE_HEADER, "<");
    if (v->hleft + ncell < t->nmap_regions)
        screen_put(s, x + w - 1, y + 1, 1, STYLE_HEADER, ">");
    v->page = rows > 0 ? rows : 1;
    v->list_y = y + 2;
    if (v->sel < v->top)
        v->top = v->sel;
    if (v->sel >= v->top + rows)
        v->top = v->sel - rows + 1;
    if (v->top < 0)
        v->top = 0;
    if (v->ndisp == 0) {
        screen_put(s, x + 2, y + 3, w - 4, STYLE_DIM,
                   v->filter[0] ? "no match for the filter (Esc clears it)"
                                : "no datasets yet");
        return;
    }
    for (int i = 0; i < rows && v->top + i < v->ndisp; i++) {
        int32_t r = v->disp[v->top + i];
        int yy = y + 2 + i;
        bool sel = v->top + i == v->sel;
        int st = sel ? (t->focus == FOCUS_LIST ? STYLE_SELECTED : STYLE_SELECTED_IDLE)
                     : STYLE_DEFAULT;

        screen_fill(s, x, yy, w, STYLE_DEFAULT);
        screen_field(s, x, yy, MAP_NAME_W - 1, st, t->m->datasets[r].name, false);
        for (int c = 0; c < ncell && v->hleft + c < t->nmap_regions; c++) {
            int cst;
            int cx = x + MAP_NAME_W + c * cw;
            map_cell(t, r, t->map_regions[v->hleft + c], buf, sizeof buf, &cst);
            if (!buf[0])
                snprintf(buf, sizeof buf, "%s", text_sym("·", "."));
            if (sel && v->hleft + c == v->hcol)
                cst = STYLE_MAP_CURSOR;
            screen_field(s, cx + 1, yy, cw - 2, buf[0] && cst != STYLE_DEFAULT ? cst :
                         STYLE_DIM, buf, false);
        }
    }
}
