/*
 * pager.c - the TUI's pager for `:` output, help, diffs and matrices: the
 * text is cut into display rows for the pager's width (wrapped at spaces
 * by default; `w` turns wrap off and h/l scroll sideways), paged a full
 * page at a time, searched with `/` (n/N, matches highlighted). Draws
 * into struct screen only; no curses.
 */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The pager box is the screen less 2 columns and rows each side; its text
 * sits inside the border with a space either side (draw_dialog's box). */
static int
pager_width(const struct tui *t)
{
    int w = (t->w ? t->w : TUI_MIN_W) - 8;
    return w > 1 ? w : 1;
}

static int
pager_page(const struct tui *t)
{
    int h = (t->h ? t->h : TUI_MIN_H) - 6;
    return h > 1 ? h : 1;
}

static bool
add_row(struct dialog *d, size_t off, size_t len, int32_t line, int indent)
{
    if (d->nrows == d->caprows) {
        int32_t cap = d->caprows ? d->caprows * 2 : 256;
        struct pager_row *r = realloc(d->rows, (size_t)cap * sizeof *r);
        if (!r)
            return false;
        d->rows = r;
        d->caprows = cap;
    }
    d->rows[d->nrows++] = (struct pager_row){ (uint32_t)off, (uint32_t)len, line, indent };
    return true;
}

/* Cut the text into rows for the current width and wrap setting (kept
 * until either changes). A line too long for the width breaks after its
 * last space that fits, else where it fills the row. */
static void
layout(struct tui *t)
{
    struct dialog *d = &t->dialog;
    int w = pager_width(t), key = d->nowrap ? -1 : w;
    const char *text = d->text ? d->text : "", *p = text;
    int32_t line = 0;
    bool ok = true;

    if (d->rows_w == key && d->rows)
        return;
    d->nrows = 0;
    d->rows_w = key;
    for (;; line++) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);

        if (!nl && len == 0 && p != text)
            break;              /* the text's last newline ends it */
        if (d->nowrap || len == 0) {
            ok = ok && add_row(d, (size_t)(p - text), len, line, 0);
        } else {
            /* continuation rows hang under the line's own indent */
            size_t at = 0;
            int hang = 0;
            while ((size_t)hang < len && p[hang] == ' ')
                hang++;
            hang = hang + 2 < w / 2 ? hang + 2 : 0;
            while (at < len && ok) {
                int indent = at ? hang : 0;
                size_t n = text_fitn(p + at, len - at, w - indent);
                if (n == 0)
                    n = text_fitn(p + at, len - at, 2);     /* one wide glyph */
                if (n == 0)
                    n = len - at;
                if (at + n < len) {
                    size_t b = n;
                    while (b > 0 && p[at + b - 1] != ' ')
                        b--;
                    if (b > 0)
                        n = b;
                }
                ok = add_row(d, (size_t)(p - text) + at, n, line, indent);
                at += n;
            }
        }
        if (!nl || !ok)
            break;
        p = nl + 1;
    }
    if (!ok)
        tui_set_message(t, true, "out of memory: the pager shows the first %d rows",
                        (int)d->nrows);
}

static int32_t
max_top(const struct tui *t)
{
    int32_t m = t->dialog.nrows - pager_page(t);
    return m > 0 ? m : 0;
}

static int32_t
first_row_of_line(const struct dialog *d, int32_t line)
{
    for (int32_t r = 0; r < d->nrows; r++)
        if (d->rows[r].line >= line)
            return r;
    return d->nrows ? d->nrows - 1 : 0;
}

void
pager_free(struct dialog *d)
{
    free(d->rows);
    free(d->search);
    d->rows = NULL;
    d->search = NULL;
    d->nrows = d->caprows = 0;
    d->rows_w = 0;
    d->left = 0;
    d->match = -1;
}

void
pager_open(struct tui *t, const char *title, char *text_take)
{
    dialog_close(t);
    t->dialog.mode = DIALOG_PAGER;
    tui_text_set(&t->dialog.title, "%s", title);
    t->dialog.text = text_take;
    t->dialog.top = 0;
    t->dialog.nowrap = false;
    t->dialog.match = -1;
    t->dialog.rows_w = 0;
    layout(t);
    t->dialog.nlines = t->dialog.nrows ? t->dialog.rows[t->dialog.nrows - 1].line + 1 : 0;
}

/* ---- search ---------------------------------------------------------------- */

static int
lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* The first case-insensitive (ASCII) occurrence of needle in the n bytes
 * at hay, as an offset, or -1. */
static long
find_ci(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);

    if (k == 0 || k > n)
        return -1;
    for (size_t i = 0; i + k <= n; i++) {
        size_t j = 0;
        while (j < k && lower((unsigned char)hay[i + j]) == lower((unsigned char)needle[j]))
            j++;
        if (j == k)
            return (long)i;
    }
    return -1;
}

/* The bytes of row r's whole line (a match may cross a wrap). */
static void
line_span(const struct dialog *d, int32_t r, size_t *start, size_t *end)
{
    int32_t a = r, b = r;

    while (a > 0 && d->rows[a - 1].line == d->rows[r].line)
        a--;
    while (b + 1 < d->nrows && d->rows[b + 1].line == d->rows[r].line)
        b++;
    *start = d->rows[a].off;
    *end = d->rows[b].off + d->rows[b].len;
}

/* True when a match starts in row r. */
static bool
row_matches(const struct dialog *d, int32_t r)
{
    size_t ls, le, off = d->rows[r].off, end = off + d->rows[r].len, k = strlen(d->search);

    line_span(d, r, &ls, &le);
    for (size_t at = ls; at < end;) {
        long pos = find_ci(d->text + at, le - at, d->search);
        if (pos < 0 || at + (size_t)pos >= end)
            return false;
        if (at + (size_t)pos >= off)
            return true;
        at += (size_t)pos + (k ? k : 1);
    }
    return false;
}

/* Go to the next (dir 1) or previous (-1) row with a match, starting at
 * from and wrapping around; say where it went. */
static void
find_match(struct tui *t, int32_t from, int dir)
{
    struct dialog *d = &t->dialog;
    int32_t n = d->nrows, hits = 0, at = -1, page = pager_page(t);
    bool wrapped = false;

    if (!d->search || n == 0)
        return;
    for (int32_t r = 0; r < n; r++)
        hits += row_matches(d, r);
    for (int32_t i = 0; i < n && hits; i++) {
        int32_t r = ((from + dir * i) % n + n) % n;
        if (row_matches(d, r)) {
            at = r;
            wrapped = dir > 0 ? r < from : r > from;
            break;
        }
    }
    if (at < 0) {
        d->match = -1;
        tui_set_message(t, true, "no match for \"%s\"", d->search);
        return;
    }
    d->match = at;
    if (at < d->top || at >= d->top + page) {
        d->top = at - page / 3;
        if (d->top > max_top(t))
            d->top = max_top(t);
        if (d->top < 0)
            d->top = 0;
    }
    if (d->nowrap) {
        /* bring the match into view sideways */
        const char *seg = d->text + d->rows[at].off;
        long pos = find_ci(seg, d->rows[at].len, d->search);
        int col = text_widthn(seg, (size_t)pos), w = pager_width(t);
        if (col < d->left || col + text_width(d->search) > d->left + w)
            d->left = col > w / 2 ? col - w / 2 : 0;
    }
    tui_set_message(t, false, "\"%s\": %d row%s match%s%s", d->search, (int)hits,
                    hits == 1 ? "" : "s", hits == 1 ? "es" : "",
                    wrapped ? (dir > 0 ? " (from the top again)" : " (from the bottom again)")
                            : "");
}

void
pager_search(struct tui *t, const char *text)
{
    struct dialog *d = &t->dialog;

    if (!text || !*text) {
        /* an empty search repeats the last one */
        if (d->search)
            find_match(t, d->match >= 0 ? d->match + 1 : d->top, 1);
        return;
    }
    free(d->search);
    d->search = NULL;
    d->match = -1;
    if (!(d->search = strdup(text))) {
        tui_set_message(t, true, "out of memory");
        return;
    }
    layout(t);
    find_match(t, d->top, 1);
}

/* ---- keys ------------------------------------------------------------------ */

int
pager_key(struct tui *t, const struct key *k)
{
    struct dialog *d = &t->dialog;
    enum action a = keymap_lookup(&t->keys, KEYMAP_PAGER, k->code);
    int page = pager_page(t), w = pager_width(t);

    layout(t);
    if (k->code == TK_WHEEL_DOWN)
        a = ACT_MOVE_DOWN;
    else if (k->code == TK_WHEEL_UP)
        a = ACT_MOVE_UP;
    switch (a) {
    case ACT_MOVE_DOWN: d->top++; break;
    case ACT_MOVE_UP: d->top--; break;
    case ACT_PAGE_DOWN: d->top += page; break;
    case ACT_PAGE_UP: d->top -= page; break;
    case ACT_TOP: d->top = 0; d->left = 0; break;
    case ACT_BOTTOM: d->top = max_top(t); break;
    case ACT_LEFT:
    case ACT_RIGHT:
        if (!d->nowrap) {
            tui_set_message(t, false, "lines wrap here: w unwraps them, then h/l scroll");
            break;
        }
        d->left += a == ACT_RIGHT ? w / 2 : -(w / 2);
        if (d->left < 0)
            d->left = 0;
        {
            int widest = 0;
            for (int32_t r = 0; r < d->nrows; r++) {
                int cw = text_widthn(d->text + d->rows[r].off, d->rows[r].len);
                if (cw > widest)
                    widest = cw;
            }
            if (d->left > widest - w / 2)
                d->left = widest - w / 2 > 0 ? widest - w / 2 : 0;
        }
        break;
    case ACT_WRAP: {
        int32_t line = d->nrows && d->top < d->nrows ? d->rows[d->top].line : 0;
        d->nowrap = !d->nowrap;
        d->left = 0;
        d->rows_w = 0;
        d->match = -1;
        layout(t);
        d->top = first_row_of_line(d, line);
        tui_set_message(t, false, d->nowrap ? "long lines are cut: h/l scroll, w wraps them"
                                            : "long lines wrap (w cuts them)");
        break;
    }
    case ACT_SEARCH:
        t->prompt = PROMPT_PAGER_SEARCH;
        snprintf(t->prompt_label, sizeof t->prompt_label, "/");
        line_set(&t->input, "");
        break;
    case ACT_SEARCH_NEXT:
    case ACT_SEARCH_PREV:
        if (!d->search) {
            tui_set_message(t, false, "no search yet: / searches");
            break;
        }
        find_match(t, d->match >= 0 ? d->match + (a == ACT_SEARCH_NEXT ? 1 : -1) : d->top,
                   a == ACT_SEARCH_NEXT ? 1 : -1);
        break;
    case ACT_CANCEL:
        dialog_close(t);
        return TUI_REDRAW;
    default:
        return 0;
    }
    if (d->top > max_top(t))
        d->top = max_top(t);
    if (d->top < 0)
        d->top = 0;
    return TUI_REDRAW;
}

/* ---- drawing --------------------------------------------------------------- */

void
pager_draw(struct tui *t, struct screen *s)
{
    struct dialog *d = &t->dialog;
    int x = 2, y = 2, w = s->w - 4, h = s->h - 4, cw = w - 4, page;
    size_t nlen = d->search ? strlen(d->search) : 0;
    char buf[160];                      /* bounded: line counts and fixed words */

    t->w = s->w;
    t->h = s->h;
    layout(t);
    page = pager_page(t);
    if (d->top > max_top(t))
        d->top = max_top(t);
    draw_box(s, x, y, w, h, d->title);
    for (int i = 0; i < page && d->top + i < d->nrows; i++) {
        int32_t r = d->top + i;
        const char *seg = d->text + d->rows[r].off;
        size_t n = d->rows[r].len;
        int yy = y + 1 + i;
        int ind = d->rows[r].indent;

        if (d->nowrap && d->left) {
            size_t b = text_fitn(seg, n, d->left);
            seg += b;
            n -= b;
        }
        screen_putn(s, x + 2 + ind, yy, cw - ind, STYLE_DIALOG, seg, n);
        if (nlen) {
            /* matches in the whole line, highlighted where they cross this row */
            size_t ls, le, a0 = (size_t)(seg - d->text), a1 = a0 + n;
            line_span(d, r, &ls, &le);
            for (size_t at = ls; at < a1;) {
                long pos = find_ci(d->text + at, le - at, d->search);
                size_t m0, m1;
                int cx, mw;
                if (pos < 0)
                    break;
                m0 = at + (size_t)pos;
                m1 = m0 + nlen;
                at = m1;
                if (m1 <= a0 || m0 >= a1)
                    continue;
                if (m0 < a0)
                    m0 = a0;
                if (m1 > a1)
                    m1 = a1;
                cx = ind + text_widthn(seg, m0 - a0);
                mw = text_widthn(d->text + m0, m1 - m0);
                if (cx >= cw)
                    break;
                if (cx + mw > cw)
                    mw = cw - cx;
                screen_style(s, x + 2 + cx, yy, mw, STYLE_MATCH);
            }
        }
    }
    {
        int32_t last = d->top + page < d->nrows ? d->top + page : d->nrows;
        int len = snprintf(buf, sizeof buf, " %d-%d/%d%s ", d->nrows ? (int)d->top + 1 : 0,
                           (int)last, (int)d->nrows,
                           last >= d->nrows ? " (end)" : "");
        if (d->nowrap)
            len += snprintf(buf + len, sizeof buf - (size_t)len, " col %d, h/l ", d->left + 1);
        snprintf(buf + len, sizeof buf - (size_t)len, " w %s  / search  q closes ",
                 d->nowrap ? "wraps" : "unwraps");
        if (text_width(buf) > w - 2)
            buf[text_fit(buf, w - 2)] = 0;
        screen_put(s, x + w - text_width(buf) - 1, y + h - 1, w - 2, STYLE_DIALOG_DIM, buf);
    }
}

/* ---- the detail pane, whole ------------------------------------------------ */

/* The detail pane's lines as text ("label  text"), wrapped by the pager:
 * a long name or reason reads whole. */
void
detail_pager(struct tui *t)
{
    struct detail *d = current_detail(t);
    size_t cap = 256, len = 0;
    char *buf;

    if (!d->title) {
        tui_set_message(t, false, "nothing selected");
        return;
    }
    for (int i = 0; i < d->n; i++)
        cap += strlen(d->line[i].label) + strlen(d->line[i].text) + 20;
    if (!(buf = malloc(cap))) {
        tui_set_message(t, true, "out of memory");
        return;
    }
    buf[0] = 0;
    for (int i = 0; i < d->n; i++)
        len += (size_t)snprintf(buf + len, cap - len, d->line[i].label[0] ? "%-14s %s\n"
                                : "%s%s\n", d->line[i].label, d->line[i].text);
    pager_open(t, d->title, buf);
}

/* ---- help ------------------------------------------------------------------- */

#define HELP_KEYS_MAX 20     /* <PgDn> <C-f> <Space> */

/* Global keys listed under the section they belong to rather than under
 * "Everywhere": they work in any view but act on a scenario or a tier. */
static const struct {
    enum action act;
    const char *title;
} help_moved[] = {
    { ACT_SCENARIO,    "Scenario mode (any view)" },
    { ACT_DIFF,        "Scenario mode (any view)" },
    { ACT_TIER_MATRIX, "Tier x region matrix (any view)" },
};

static const char *
moved_title(enum action a)
{
    for (size_t i = 0; i < sizeof help_moved / sizeof *help_moved; i++)
        if (help_moved[i].act == a)
            return help_moved[i].title;
    return NULL;
}

/* One help line: a key list wider than the key column gets a line of its
 * own, its description below, in the column (QA #20). */
static size_t
help_line(char *buf, size_t size, size_t len, int kw, const char *keys, const char *help)
{
    if (len >= size)
        return len;
    if (text_width(keys) > kw)
        return len + (size_t)snprintf(buf + len, size - len, "  %s\n  %-*s %s\n", keys, kw, "",
                                      help);
    return len + (size_t)snprintf(buf + len, size - len, "  %-*s %s\n", kw, keys, help);
}

/* The help text, generated from the key tables; kw is the key column's
 * width: the widest key list up to HELP_KEYS_MAX columns. */
static void
help_text(struct tui *t, char **out)
{
    size_t size = 16384, len = 0;
    char *buf = malloc(size), keys[128];
    int kw = 0;

    if (!buf)
        return;
    buf[0] = 0;
    for (int m = 0; m < KEYMAP_COUNT; m++)
        for (int a = 1; a < ACT_COUNT; a++) {
            keymap_keys(&t->keys, (enum keymap_id)m, (enum action)a, keys, sizeof keys);
            if (text_width(keys) > kw && text_width(keys) <= HELP_KEYS_MAX)
                kw = text_width(keys);
        }
    len += (size_t)snprintf(buf + len, size - len,
                            "sovmap: where each dataset may live. Edits are saved at once, one "
                            "transaction each, and re-checked; u undoes them.\n");
    for (int m = 0; m < KEYMAP_COUNT && len < size; m++) {
        len += (size_t)snprintf(buf + len, size - len, "\n%s\n", keymap_titles[m]);
        for (int a = 1; a < ACT_COUNT && len < size; a++) {
            if (m == KEYMAP_GLOBAL && moved_title((enum action)a))
                continue;
            keymap_keys(&t->keys, (enum keymap_id)m, (enum action)a, keys, sizeof keys);
            if (!keys[0])
                continue;
            len = help_line(buf, size, len, kw, keys, action_help[a]);
        }
    }
    for (size_t i = 0; i < sizeof help_moved / sizeof *help_moved && len < size; i++) {
        keymap_keys(&t->keys, KEYMAP_GLOBAL, help_moved[i].act, keys, sizeof keys);
        if (!keys[0])
            continue;
        if (i == 0 || strcmp(help_moved[i - 1].title, help_moved[i].title) != 0)
            len += (size_t)snprintf(buf + len, size - len, "\n%s\n", help_moved[i].title);
        len = help_line(buf, size, len, kw, keys, action_help[help_moved[i].act]);
    }
    if (len < size)
        len += (size_t)snprintf(buf + len, size - len,
                                "\nA finding's detail pane ends with its rule's text: when it "
                                "fires, when not, and the law (`sovmap explain RULE`).\n"
                                "Saving a tier's form first shows the impact: +N errors, -M "
                                "errors and the copies and flows that change (y saves).\n"
                                "\nThe : line runs a sovmap command (:check, :log, :help "
                                "opens this help); Up/Down go through earlier commands "
                                "(kept in $XDG_STATE_HOME/sovmap/history), Tab completes "
                                "commands, objects and regions.\n"
                                "\nMouse: click a tab or a row, double-click to open, wheel "
                                "scrolls.\nThemes: --theme NAME or `theme NAME` in "
                                "$XDG_CONFIG_HOME/sovmap/config.\n");
    *out = buf;
}

void
help_open(struct tui *t)
{
    char *text = NULL;

    help_text(t, &text);
    if (text)
        pager_open(t, "Help (generated from the key tables; q or Esc closes)", text);
    else
        tui_set_message(t, true, "out of memory");
}
