/*
 * screen.c - the cell grid views draw into (see screen.h). Measures text
 * with mbrtowc + wcwidth in the current locale. Must not depend on curses
 * or on anything but libc and sm.h.
 */
#include "screen.h"
#include "sm.h"

#include <langinfo.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

bool
text_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

const char *
text_sym(const char *utf8, const char *ascii)
{
    return text_utf8() ? utf8 : ascii;
}

/* One glyph of text: either a printable code point of width 1 or 2, or
 * an escape (ASCII, width = its length) for a control byte, an invalid
 * sequence or a non-printable character. */
struct glyph {
    uint32_t cp;        /* 0 when esc is used */
    int width;
    char esc[12];                       /* bounded: one escape of a byte or code point */
    size_t len;         /* bytes consumed */
};

static const char *const ctrl_escapes[32] = {
    [7] = "\\a", [8] = "\\b", [9] = "\\t", [10] = "\\n", [11] = "\\v",
    [12] = "\\f", [13] = "\\r", [27] = "\\e",
};

static void
next_glyph(const char *s, size_t n, struct glyph *g)
{
    unsigned char c = (unsigned char)s[0];
    mbstate_t st;
    wchar_t wc;
    size_t r;
    int w;

    g->cp = 0;
    g->esc[0] = 0;
    if (c < 0x20 || c == 0x7f) {
        if (c < 32 && ctrl_escapes[c])
            snprintf(g->esc, sizeof g->esc, "%s", ctrl_escapes[c]);
        else
            snprintf(g->esc, sizeof g->esc, "\\x%02x", c);
        g->len = 1;
        g->width = (int)strlen(g->esc);
        return;
    }
    if (c < 0x80) {
        g->cp = c;
        g->width = 1;
        g->len = 1;
        return;
    }
    memset(&st, 0, sizeof st);
    r = mbrtowc(&wc, s, n, &st);
    if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
        snprintf(g->esc, sizeof g->esc, "\\x%02x", c);
        g->len = 1;
        g->width = 4;
        return;
    }
    g->len = r;
    w = wcwidth(wc);
    if (w < 0 || (wc >= 0x80 && wc < 0xa0)) {
        snprintf(g->esc, sizeof g->esc, "\\u%04x", (unsigned)wc);
        g->width = (int)strlen(g->esc);
        return;
    }
    if (w == 0) {
        /* Combining marks: drawn as their own cell would misalign the
         * grid; show them escaped so the columns stay right. */
        snprintf(g->esc, sizeof g->esc, "\\u%04x", (unsigned)wc);
        g->width = (int)strlen(g->esc);
        return;
    }
    g->cp = (uint32_t)wc;
    g->width = w > 2 ? 2 : w;
}

struct screen *
screen_new(int w, int h)
{
    struct screen *s = calloc(1, sizeof *s);

    if (!s)
        return NULL;
    if (screen_resize(s, w, h) != SM_OK) {
        free(s);
        return NULL;
    }
    return s;
}

void
screen_free(struct screen *s)
{
    if (!s)
        return;
    free(s->cells);
    free(s);
}

int
screen_resize(struct screen *s, int w, int h)
{
    if (w < 1)
        w = 1;
    if (h < 1)
        h = 1;
    if ((long)w * h > s->cap) {
        struct cell *c = malloc(sizeof *c * (size_t)w * (size_t)h);
        if (!c)
            return SM_ENOMEM;
        free(s->cells);
        s->cells = c;
        s->cap = w * h;
    }
    s->w = w;
    s->h = h;
    screen_clear(s, 0);
    return SM_OK;
}

void
screen_clear(struct screen *s, int style)
{
    for (int i = 0; i < s->w * s->h; i++)
        s->cells[i] = (struct cell){ ' ', 1, (uint8_t)style };
    s->cursor = false;
    s->cur_x = s->cur_y = 0;
}

const struct cell *
screen_at(const struct screen *s, int x, int y)
{
    if (x < 0 || y < 0 || x >= s->w || y >= s->h)
        return NULL;
    return &s->cells[y * s->w + x];
}

/* Write one cell, repairing wide characters cut in half by it. */
static void
set_cell(struct screen *s, int x, int y, uint32_t cp, int width, int style)
{
    struct cell *row = &s->cells[y * s->w];

    if (row[x].width == 0 && x > 0)
        row[x - 1] = (struct cell){ ' ', 1, row[x - 1].style };
    if (row[x].width == 2 && x + 1 < s->w)
        row[x + 1] = (struct cell){ ' ', 1, row[x + 1].style };
    if (width == 2 && x + 1 < s->w) {
        if (row[x + 1].width == 2 && x + 2 < s->w)
            row[x + 2] = (struct cell){ ' ', 1, row[x + 2].style };
        row[x] = (struct cell){ cp, 2, (uint8_t)style };
        row[x + 1] = (struct cell){ 0, 0, (uint8_t)style };
    } else if (width == 2) {
        row[x] = (struct cell){ ' ', 1, (uint8_t)style };   /* no room */
    } else {
        row[x] = (struct cell){ cp, 1, (uint8_t)style };
    }
}

void
screen_fill(struct screen *s, int x, int y, int w, int style)
{
    if (y < 0 || y >= s->h)
        return;
    for (int i = x < 0 ? 0 : x; i < x + w && i < s->w; i++)
        set_cell(s, i, y, ' ', 1, style);
}

void
screen_style(struct screen *s, int x, int y, int w, int style)
{
    if (y < 0 || y >= s->h)
        return;
    for (int i = x < 0 ? 0 : x; i < x + w && i < s->w; i++)
        s->cells[y * s->w + i].style = (uint8_t)style;
}

int
text_width(const char *text)
{
    return text_widthn(text, text ? strlen(text) : 0);
}

int
text_widthn(const char *text, size_t n)
{
    struct glyph g;
    int w = 0;

    for (size_t i = 0; i < n; i += g.len) {
        next_glyph(text + i, n - i, &g);
        w += g.width;
    }
    return w;
}

size_t
text_fit(const char *text, int maxw)
{
    return text_fitn(text, text ? strlen(text) : 0, maxw);
}

size_t
text_fitn(const char *text, size_t n, int maxw)
{
    size_t i;
    struct glyph g;
    int w = 0;

    for (i = 0; i < n; i += g.len) {
        next_glyph(text + i, n - i, &g);
        if (w + g.width > maxw)
            break;
        w += g.width;
    }
    return i;
}

int
screen_putn(struct screen *s, int x, int y, int maxw, int style,
            const char *text, size_t n)
{
    struct glyph g;
    int total = 0, limit, col = x;
    bool cut = false;

    if (!text || y < 0 || y >= s->h || maxw <= 0)
        return 0;
    if (x + maxw > s->w)
        maxw = s->w - x;
    if (maxw <= 0)
        return 0;
    /* Measure first: only text that does not fit is cut. */
    for (size_t i = 0; i < n; i += g.len) {
        next_glyph(text + i, n - i, &g);
        total += g.width;
        if (total > maxw) {
            cut = true;
            break;
        }
    }
    limit = cut ? maxw - 1 : maxw;
    for (size_t i = 0; i < n; i += g.len) {
        next_glyph(text + i, n - i, &g);
        if (col - x + g.width > limit)
            break;
        if (col >= 0) {
            if (g.cp) {
                set_cell(s, col, y, g.cp, g.width, style);
            } else {
                for (int k = 0; g.esc[k]; k++)
                    set_cell(s, col + k, y, (unsigned char)g.esc[k], 1, style);
            }
        }
        col += g.width;
    }
    if (cut) {
        /* A wide char that did not fit leaves a gap: pad it. */
        while (col - x < maxw - 1)
            set_cell(s, col++, y, ' ', 1, style);
        set_cell(s, col++, y, text_utf8() ? 0x2026 : '~', 1, style);
    }
    return col - x;
}

int
screen_put(struct screen *s, int x, int y, int maxw, int style, const char *text)
{
    return screen_putn(s, x, y, maxw, style, text, text ? strlen(text) : 0);
}

void
screen_field(struct screen *s, int x, int y, int w, int style,
             const char *text, bool right)
{
    int tw = text_width(text);

    screen_fill(s, x, y, w, style);
    if (right && tw < w)
        screen_put(s, x + w - tw, y, tw, style, text);
    else
        screen_put(s, x, y, w, style, text);
}

/* Append to a bounded buffer, counting what would be needed. */
struct out {
    char *buf;
    size_t size, len;
};

static void
out_bytes(struct out *o, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++, o->len++)
        if (o->len + 1 < o->size)
            o->buf[o->len] = p[i];
    if (o->size)
        o->buf[o->len < o->size ? o->len : o->size - 1] = 0;
}

static void
out_cp(struct out *o, uint32_t cp)
{
    char b[MB_LEN_MAX];                 /* bounded: one multibyte character */
    mbstate_t st;
    size_t n;

    memset(&st, 0, sizeof st);
    n = wcrtomb(b, (wchar_t)cp, &st);
    if (n == (size_t)-1) {
        b[0] = '?';
        n = 1;
    }
    out_bytes(o, b, n);
}

size_t
screen_text(const struct screen *s, char *buf, size_t size)
{
    struct out o = { buf, size, 0 };

    if (size)
        buf[0] = 0;
    for (int y = 0; y < s->h; y++) {
        const struct cell *row = &s->cells[y * s->w];
        int end = s->w;

        while (end > 0 && row[end - 1].width == 1 && row[end - 1].cp == ' ')
            end--;
        for (int x = 0; x < end; x++)
            if (row[x].width)
                out_cp(&o, row[x].cp);
        out_bytes(&o, "\n", 1);
    }
    return o.len;
}

static char
style_char(int st)
{
    static const char letters[] =
        ".abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    return st < (int)sizeof letters - 1 ? letters[st] : '#';
}

size_t
screen_styles(const struct screen *s, char *buf, size_t size)
{
    struct out o = { buf, size, 0 };

    if (size)
        buf[0] = 0;
    for (int y = 0; y < s->h; y++) {
        const struct cell *row = &s->cells[y * s->w];
        int end = s->w;

        while (end > 0 && row[end - 1].style == 0)
            end--;
        for (int x = 0; x < end; x++) {
            char c = style_char(row[x].style);
            out_bytes(&o, &c, 1);
        }
        out_bytes(&o, "\n", 1);
    }
    return o.len;
}

char *
screen_snapshot(const struct screen *s)
{
    size_t nt = screen_text(s, NULL, 0), ns = screen_styles(s, NULL, 0);
    size_t size = nt + ns + 64;
    char *buf = malloc(size);
    int k;

    if (!buf)
        return NULL;
    k = snprintf(buf, size, "# %dx%d\n", s->w, s->h);
    screen_text(s, buf + k, size - (size_t)k);
    k += (int)nt;
    k += snprintf(buf + k, size - (size_t)k, "--- style\n");
    screen_styles(s, buf + k, size - (size_t)k);
    return buf;
}
