/*
 * draw.c - the TUI's layout: tabs, list, detail pane, banner, status bar,
 * prompt and the dialogs, drawn into struct screen only (term.c is the
 * terminal).
 */
#include "app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- drawing ------------------------------------------------------------------ */

static void
draw_tabs(struct tui *t, struct screen *s)
{
    int x = 0;
    char buf[64];                       /* bounded: a fixed view title */

    screen_fill(s, 0, 0, s->w, STYLE_TAB);
    if (s->w >= 100)
        x += screen_put(s, 0, 0, s->w, STYLE_TITLE, " sovmap ");
    {
        /* Padded tabs when they fit, else compact ones, else the others
         * cut to their first three letters. */
        int need = x;
        bool cut;
        for (int i = 0; i < TUI_NVIEWS; i++)
            need += text_width(tui_views[i]->title) + 4;
        cut = need - TUI_NVIEWS > s->w;
        for (int i = 0; i < TUI_NVIEWS; i++) {
            if (need <= s->w)
                snprintf(buf, sizeof buf, " %d %s ", i + 1, tui_views[i]->title);
            else if (cut && i != t->cur)
                snprintf(buf, sizeof buf, "%d %.3s", i + 1, tui_views[i]->title);
            else
                snprintf(buf, sizeof buf, "%d %s", i + 1, tui_views[i]->title);
            t->tabs_x[i] = x;
            x += screen_put(s, x, 0, s->w - x, i == t->cur ? STYLE_TAB_ACTIVE : STYLE_TAB, buf);
            if (need > s->w)
                x++;
        }
    }
    t->tabs_x[TUI_NVIEWS] = x;
    if (t->catalog[0] && x + 4 < s->w) {
        int cw = text_width(t->catalog);
        int room = s->w - x - 2;
        if (cw > room)
            cw = room;
        screen_put(s, s->w - cw - 1, 0, cw, STYLE_TAB, t->catalog);
    }
}

/* Bytes of p on the first line when wrapped to avail columns: after the
 * last blank that fits, else after the last separator inside a token
 * (',' ';' '@' '/' "->"), never inside a word such as a region id
 * (aws:eu-central-1) unless the word alone is wider than the line. */
static size_t
wrap_len(const char *p, int avail)
{
    size_t n = text_fit(p, avail), b;

    if (n == 0 && *p)
        return 1;
    if (!p[n])
        return n;
    if (p[n] == ' ')
        return n + 1;           /* the blank ends the line (drawn as nothing) */
    for (b = n; b > 0 && p[b - 1] != ' '; b--)
        ;
    if (b > 0)
        return b;
    for (b = n; b > 0; b--)
        if (strchr(",;@/", p[b - 1]) || (p[b - 1] == '>' && b > 1 && p[b - 2] == '-'))
            return b;
    return n;
}

/* Lines a detail line takes when wrapped to w columns. */
static int
wrapped_rows(const struct detail_line *l, int w, int labelw)
{
    int avail = w - (l->label[0] ? labelw : 0), rows = 0;
    const char *p = l->text;

    if (avail < 8)
        avail = 8;
    do {
        p += wrap_len(p, avail);
        rows++;
    } while (*p);
    return rows;
}

static void
draw_detail(struct tui *t, struct screen *s, int x, int y, int w, int h)
{
    struct detail *d = current_detail(t);
    const int labelw = 15;
    int yy = y + 1, rows = 0;

    t->detail_x = x;
    t->detail_y = y;
    t->detail_w = w;
    t->detail_h = h;
    screen_fill(s, x, y, w, STYLE_BORDER);
    screen_put(s, x, y, w, STYLE_SECTION, d->title ? d->title : "(nothing selected)");
    /* Keep the selected reference in sight. */
    if (t->focus == FOCUS_DETAIL && d->sel >= 0) {
        if (d->sel < d->top)
            d->top = d->sel;
        for (;;) {
            rows = 0;
            for (int i = d->top; i <= d->sel && i < d->n; i++)
                rows += wrapped_rows(&d->line[i], w, labelw);
            if (rows <= h - 1 || d->top >= d->sel)
                break;
            d->top++;
        }
    }
    for (int i = d->top; i < d->n && yy < y + h; i++) {
        const struct detail_line *l = &d->line[i];
        bool sel = t->focus == FOCUS_DETAIL && i == d->sel;
        int tx = x, style = sel ? STYLE_SELECTED : l->style;
        const char *p = l->text;
        int avail;

        if (l->label[0]) {
            screen_field(s, x, yy, labelw - 1, STYLE_LABEL, l->label, false);
            tx = x + labelw;
        }
        avail = x + w - tx;
        if (avail < 8)
            avail = 8;
        do {
            size_t n = wrap_len(p, avail), m = n;
            if (sel)
                screen_fill(s, tx, yy, avail, STYLE_SELECTED);
            while (m > 0 && p[m - 1] == ' ' && p[m])
                m--;
            screen_putn(s, tx, yy, avail, style, p, m);
            p += n;
            yy++;
        } while (*p && yy < y + h);
    }
    if (d->n == 0 && view_current(t, cur_view(t)) < 0)
        screen_put(s, x, y + 1, w, STYLE_DIM, "select a row to see its details");
}

/* Scenario mode: one line under the tabs, "scenario NAME  +2 errors −1". */
static void
draw_banner(struct tui *t, struct screen *s, int y)
{
    char buf[300], delta[64], keys[32], dk[32]; /* bounded: counts, words, whole key names */
    int x;

    scen_delta_text(t, delta, sizeof delta);
    screen_fill(s, 0, y, s->w, STYLE_STATUS);
    {
        char *name = sm_strdupf(" scenario %s ", t->scen.name);
        x = screen_put(s, 0, y, s->w / 2, STYLE_TAB_ACTIVE, name ? name : " scenario ");
        free(name);
    }
    snprintf(buf, sizeof buf, " %s ", delta);
    x += screen_put(s, x, y, s->w - x, t->scen.cs.diff &&
                    t->scen.cs.diff->count[SDIFF_NEW][SEV_ERROR] ?
                    STYLE_STATUS_ERROR : STYLE_STATUS_OK, buf);
    keymap_keys(&t->keys, KEYMAP_GLOBAL, ACT_SCENARIO, keys, sizeof keys);
    keymap_keys(&t->keys, KEYMAP_GLOBAL, ACT_DIFF, dk, sizeof dk);
    snprintf(buf, sizeof buf, " edits go into the scenario, the catalog stays; %s diff, Esc or %s leaves",
             dk, keys);
    screen_put(s, x, y, s->w - x, STYLE_STATUS, buf);
}

static void
draw_status(struct tui *t, struct screen *s)
{
    int y = s->h - 2, x = 0, e, w, wv;
    struct view *v = cur_view(t);
    char buf[128], *place = NULL;       /* bounded: counts */

    tui_counts(t, &e, &w, &wv);
    screen_fill(s, 0, y, s->w, STYLE_STATUS);
    if (t->res) {
        snprintf(buf, sizeof buf, " %d error%s, %d warning%s, %d waived ", e, e == 1 ? "" : "s",
                 w, w == 1 ? "" : "s", wv);
        x += screen_put(s, x, y, s->w - x, e ? STYLE_STATUS_ERROR : STYLE_STATUS_OK, buf);
        if (t->res->stats.expired_waivers) {
            snprintf(buf, sizeof buf, " %d expired waiver%s ", t->res->stats.expired_waivers,
                     t->res->stats.expired_waivers == 1 ? "" : "s");
            x += screen_put(s, x, y, s->w - x, STYLE_STATUS_ERROR, buf);
        }
    } else {
        x += screen_put(s, x, y, s->w, STYLE_STATUS, t->unchecked ? text_sym(" checking… ", " checking... ") : " not checked ");
    }
    {
        int32_t total = v->partial ? v->ops->count(t) : v->nrows, pos = v->sel + 1;
        /* Group headers are not rows; without groups this is O(1). */
        if (view_grouped(v, v->sort))
            for (int32_t i = 0; i <= v->sel && i < v->ndisp; i++)
                pos -= v->disp[i] < 0;
        if (total == 0)
            pos = 0;
        /* The filter whole (however long it was typed): screen_put cuts
         * it to the columns left, between characters. */
        place = sm_strdupf(" %s %d/%d%s%s%s%s ", v->ops->title, (int)pos, (int)total,
                         v->filter[0] ? ", filter \"" : "", v->filter,
                         v->filter[0] ? "\"" : "", t->nundo ? ", u undoes" : "");
    }
    if (place) {
        int bw = text_width(place);
        if (bw > s->w - x)
            bw = s->w - x;
        screen_put(s, s->w - bw, y, bw, STYLE_STATUS, place);
        free(place);
    }
}

static void
draw_bottom(struct tui *t, struct screen *s)
{
    int y = s->h - 1;
    static const enum action hints[] = {
        ACT_HELP, ACT_NEXT_VIEW, ACT_SEARCH, ACT_OPEN, ACT_ADD, ACT_EDIT, ACT_DELETE, ACT_UNDO,
        ACT_EXPORT, ACT_QUIT,
    };
    static const char *const hint_words[] = {
        "help", "views", "filter", "details", "add", "edit", "delete", "undo", "export", "quit",
    };

    screen_fill(s, 0, y, s->w, STYLE_DEFAULT);
    if (t->prompt != PROMPT_NONE) {
        int x = screen_put(s, 0, y, s->w, STYLE_PROMPT, t->prompt_label);
        if (t->msg[0]) {
            /* what Tab found, over the status bar while typing */
            screen_fill(s, 0, y - 1, s->w, STYLE_DEFAULT);
            screen_put(s, 0, y - 1, s->w, t->msg_error ? STYLE_MESSAGE_ERROR : STYLE_MESSAGE,
                       t->msg);
        }
        screen_put(s, x, y, s->w - x - 1, STYLE_DEFAULT, t->input.buf);
        s->cursor = true;
        s->cur_x = x + text_widthn(t->input.buf, (size_t)t->input.cur);
        if (s->cur_x >= s->w)
            s->cur_x = s->w - 1;
        s->cur_y = y;
        return;
    }
    if (t->msg[0]) {
        screen_put(s, 0, y, s->w, t->msg_error ? STYLE_MESSAGE_ERROR : STYLE_MESSAGE, t->msg);
        return;
    }
    {
        int x = 0;
        char keys[64];                  /* bounded: key names, whole names only (keymap_keys) */
        for (size_t i = 0; i < sizeof hints / sizeof hints[0] && x < s->w; i++) {
            if (t->readonly && (hints[i] == ACT_ADD || hints[i] == ACT_EDIT ||
                                hints[i] == ACT_DELETE || hints[i] == ACT_UNDO))
                continue;       /* browsing: no hints for what is off */
            enum keymap_id m = hints[i] == ACT_OPEN || hints[i] == ACT_ADD ||
                               hints[i] == ACT_EDIT || hints[i] == ACT_DELETE ||
                               hints[i] == ACT_SEARCH ? KEYMAP_LIST : KEYMAP_GLOBAL;
            keymap_keys(&t->keys, m, hints[i], keys, sizeof keys);
            if (strchr(keys, ' '))
                *strchr(keys, ' ') = 0;
            x += screen_put(s, x, y, s->w - x, STYLE_KEY, keys);
            x += screen_put(s, x + 1, y, s->w - x - 1, STYLE_DIM, hint_words[i]) + 3;
        }
    }
}

void
draw_box(struct screen *s, int x, int y, int w, int h, const char *title)
{
    for (int i = 0; i < h; i++)
        screen_fill(s, x, y + i, w, STYLE_DIALOG);
    screen_fill(s, x, y, w, STYLE_DIALOG_TITLE);
    screen_put(s, x + 1, y, w - 2, STYLE_DIALOG_TITLE, title);
}

/* Draw text (lines split at blanks to fit w) from (x, y), at most maxrows
 * rows; with s NULL only count. Returns the rows used. */
static int
wrap_text(struct screen *s, int x, int y, int w, int maxrows, const char *text)
{
    int rows = 0;
    const char *p = text;

    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        const char *q = p, *end = p + len;

        /* The line where it is, whole (no copy to cut it). */
        do {
            size_t n = text_fitn(q, (size_t)(end - q), w);
            if (n == 0 && q < end)      /* one character wider than w */
                for (n = 1; q + n < end && ((unsigned char)q[n] & 0xC0) == 0x80; n++)
                    ;
            if (q + n < end) {
                size_t b = n;
                while (b > 0 && q[b - 1] != ' ')
                    b--;
                if (b > 0)
                    n = b;
            }
            if (s && rows < maxrows)
                screen_putn(s, x, y + rows, w, STYLE_DIALOG, q, n);
            rows++;
            q += n;
        } while (q < end);
        p += len + (nl ? 1 : 0);
    }
    return rows;
}

static void
draw_dialog(struct tui *t, struct screen *s)
{
    struct dialog *d = &t->dialog;
    int w = s->w - 8 > 100 ? 100 : s->w - 8, h, x, y;

    if (d->mode == DIALOG_PAGER) {
        pager_draw(t, s);
        return;
    }
    h = d->nchoices + 4 + (d->text ? wrap_text(NULL, 0, 0, w - 4, 0, d->text) : 0);
    if (h > s->h)
        h = s->h;
    x = (s->w - w) / 2;
    y = (s->h - h) / 2;
    draw_box(s, x, y, w, h, d->title);
    {
        int yy = y + 2;
        if (d->text)
            yy += wrap_text(s, x + 2, yy, w - 4, y + h - 2 - d->nchoices - yy, d->text);
        for (int i = 0; i < d->nchoices; i++) {
            int st = d->mode != DIALOG_CONFIRM && i == d->choice ? STYLE_SELECTED : STYLE_DIALOG;
            const char *mark = d->mode == DIALOG_CONFIRM ? "" : i == d->choice ? "> " : "  ";
            int mw;
            screen_fill(s, x + 1, yy, w - 2, st);
            mw = screen_put(s, x + 2, yy, w - 4, st, mark);
            screen_put(s, x + 2 + mw, yy++, w - 4 - mw, st,
                       d->choice_text[i] ? d->choice_text[i] : "");
        }
        screen_put(s, x + 2, y + h - 1, w - 4, STYLE_DIALOG_DIM,
                   d->mode == DIALOG_CONFIRM ? (d->destructive ? "y: yes; n, Esc or Enter: no"
                                                : "y or Enter: yes, n or Esc: no")
                   : d->mode != DIALOG_FIX ? "j/k choose, Enter picks, Esc cancels"
                   : t->scen.on ? "j/k choose, Enter adds it to the scenario (u takes it out), "
                                  "Esc cancels"
                   : "j/k choose, Enter applies (saved; u undoes), Esc cancels");
    }
}

void
tui_draw(struct tui *t, struct screen *s)
{
    struct view *v = cur_view(t);
    int body_y = 1, body_h = s->h - 3;

    t->w = s->w;
    t->h = s->h;
    screen_clear(s, STYLE_DEFAULT);
    t->too_small = s->w < TUI_MIN_W || s->h < TUI_MIN_H;
    if (t->too_small) {
        char buf[128];                  /* bounded: sizes and fixed words */
        int y = s->h / 2 - 1;
        snprintf(buf, sizeof buf, "terminal too small: %dx%d", s->w, s->h);
        screen_put(s, (s->w - text_width(buf)) / 2 > 0 ? (s->w - text_width(buf)) / 2 : 0,
                   y, s->w, STYLE_MESSAGE_ERROR, buf);
        snprintf(buf, sizeof buf, "sovmap needs %dx%d; q quits", TUI_MIN_W, TUI_MIN_H);
        screen_put(s, (s->w - text_width(buf)) / 2 > 0 ? (s->w - text_width(buf)) / 2 : 0,
                   y + 1, s->w, STYLE_DEFAULT, buf);
        return;
    }
    view_ensure(t, v);
    draw_tabs(t, s);
    if (t->scen.on) {
        draw_banner(t, s, 1);
        body_y = 2;
        body_h = s->h - 4;
    } else if (t->readonly) {
        char *buf = sm_strdupf(" read-only catalog: browsing; edits, undo and the "
                               "scenario mode are off (%s cannot be written) ", t->catalog);
        screen_fill(s, 0, 1, s->w, STYLE_STATUS);
        screen_put(s, 0, 1, s->w, STYLE_STATUS_ERROR, buf ? buf : " read-only catalog ");
        free(buf);
        body_y = 2;
        body_h = s->h - 4;
    }
    t->detail_w = 0;
    if ((t->zoom && t->focus == FOCUS_LIST) || t->pane_hidden) {
        if (v->ops->draw)
            v->ops->draw(t, v, s, 0, body_y, s->w, body_h);
        else
            view_draw_list(t, v, s, 0, body_y, s->w, body_h);
    } else if (t->zoom) {
        draw_detail(t, s, 0, body_y, s->w, body_h);
    } else if (s->w >= 120 && (s->w >= 180 ||
                                view_list_need(t, v, body_h - 1) <= s->w - s->w / 3 - 1)) {
        /* The pane on the right, unless the list then cuts what it
         * shows whole at full width (Flows at 120 columns): below. */
        int dw = s->w / 3;
        int lw = s->w - dw - 1;
        if (v->ops->draw)
            v->ops->draw(t, v, s, 0, body_y, lw, body_h);
        else
            view_draw_list(t, v, s, 0, body_y, lw, body_h);
        for (int i = 0; i < body_h; i++)
            screen_put(s, lw, body_y + i, 1, STYLE_BORDER, text_sym("│", "|"));
        draw_detail(t, s, lw + 1, body_y, dw, body_h);
    } else {
        int dh = body_h * 2 / 5;
        int lh = body_h - dh;
        if (v->ops->draw)
            v->ops->draw(t, v, s, 0, body_y, s->w, lh);
        else
            view_draw_list(t, v, s, 0, body_y, s->w, lh);
        draw_detail(t, s, 0, body_y + lh, s->w, dh);
        for (int x = text_width(t->detail.title ? t->detail.title : "(nothing selected)") + 1;
             x < s->w; x++)
            screen_put(s, x, body_y + lh, 1, STYLE_BORDER, text_sym("─", "-"));
    }
    draw_status(t, s);
    draw_bottom(t, s);
    if (t->form.open)
        form_draw(t, s);
    if (t->matrix.mx)
        matrix_draw(t, s);
    if (t->dialog.mode != DIALOG_NONE)
        draw_dialog(t, s);
}

