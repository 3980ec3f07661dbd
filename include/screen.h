/*
 * screen.h - a terminal-independent grid of cells (code point, width,
 * style) that every view draws into. term.c copies it to ncursesw; tests
 * dump it as text plus a style layer and compare with snapshot files.
 *
 * Text is UTF-8 measured in columns (mbrtowc + wcwidth, never strlen):
 * wide characters take two cells, control bytes and invalid sequences are
 * shown escaped ("\n", "\x1b"), and text cut to a width ends with "…"
 * ("~" when the locale is not UTF-8). No curses, no I/O.
 */
#ifndef SCREEN_H
#define SCREEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct cell {
    uint32_t cp;        /* code point; 0 in the second cell of a wide char */
    uint8_t  width;     /* 1 or 2; 0 for the second cell of a wide char */
    uint8_t  style;     /* a theme role (enum style_role) */
};

struct screen {
    int w, h;
    struct cell *cells; /* h rows of w cells */
    int cap;            /* cells allocated */
    int cur_x, cur_y;   /* where the terminal cursor goes */
    bool cursor;        /* show it (text entry) */
};

/* NULL when out of memory. Sizes below 1 are taken as 1. */
struct screen *screen_new(int w, int h);
void screen_free(struct screen *s);
/* Resize (contents cleared). SM_OK or SM_ENOMEM (then unchanged). */
int  screen_resize(struct screen *s, int w, int h);
void screen_clear(struct screen *s, int style);
/* w spaces in style from (x, y), clipped. */
void screen_fill(struct screen *s, int x, int y, int w, int style);
/* Restyle w cells from (x, y), keeping their text. */
void screen_style(struct screen *s, int x, int y, int w, int style);
/* Draw text at (x, y) in at most maxw columns (clipped to the grid), cut
 * with the ellipsis when longer. Returns the columns used. */
int  screen_put(struct screen *s, int x, int y, int maxw, int style, const char *text);
/* The same for len bytes. */
int  screen_putn(struct screen *s, int x, int y, int maxw, int style,
                 const char *text, size_t len);
/* Like screen_put but padded with spaces to exactly w columns; right
 * aligned when right is true. */
void screen_field(struct screen *s, int x, int y, int w, int style,
                  const char *text, bool right);
const struct cell *screen_at(const struct screen *s, int x, int y);

/* Columns text takes when drawn (escapes included). */
int  text_width(const char *text);
/* Byte length of the longest prefix of text that fits in maxw columns. */
size_t text_fit(const char *text, int maxw);
/* The same two for the first n bytes of text (no NUL needed). */
int    text_widthn(const char *text, size_t n);
size_t text_fitn(const char *text, size_t n, int maxw);
/* True when the C library's locale is UTF-8 (decides the ellipsis). */
bool text_utf8(void);
/* utf8 in a UTF-8 locale, else the ASCII stand-in (box lines, arrows). */
const char *text_sym(const char *utf8, const char *ascii);

/* The text layer: h lines, trailing blanks removed, each ending in '\n'.
 * Returns the bytes needed (excluding NUL); writes at most size. */
size_t screen_text(const struct screen *s, char *buf, size_t size);
/* The style layer: one character per cell ('.' for style 0, then
 * a..z A..Z), trailing dots removed. */
size_t screen_styles(const struct screen *s, char *buf, size_t size);
/* A snapshot file's contents: "# WxH" line, the text, "--- style", the
 * styles. Heap string (caller frees), NULL when out of memory. */
char *screen_snapshot(const struct screen *s);

#endif
