/*
 * text.c - heap texts for the TUI's state: names, paths and messages are
 * held whole (never in a fixed buffer) and are never NULL once set, so a
 * reader needs no check. No curses.
 */
#include "views.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The empty text: what a cleared text, or one out of memory, points at. */
static char no_text[1];                 /* bounded: the empty text */

void
tui_text_vset(char **dst, const char *fmt, va_list ap)
{
    char *s = fmt[0] ? sm_vstrdupf(fmt, ap) : NULL;

    tui_text_free(dst);
    if (s)
        *dst = s;
}

void
tui_text_set(char **dst, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    tui_text_vset(dst, fmt, ap);
    va_end(ap);
}

void
tui_text_free(char **dst)
{
    if (*dst != no_text)
        free(*dst);
    *dst = no_text;
}

void
tui_text_add(char **dst, const char *fmt, ...)
{
    va_list ap;
    size_t have = *dst ? strlen(*dst) : 0, add;
    char *s, *grown;

    va_start(ap, fmt);
    s = sm_vstrdupf(fmt, ap);
    va_end(ap);
    if (!s)
        return;
    add = strlen(s);
    if (add == 0 || !(grown = realloc(*dst && *dst != no_text ? *dst : NULL, have + add + 1))) {
        free(s);
        return;
    }
    memcpy(grown + have, s, add + 1);
    free(s);
    *dst = grown;
}
