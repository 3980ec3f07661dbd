/*
 * term.h - the terminal: the only module that includes <curses.h>. It
 * copies a struct screen to ncursesw (colour pairs from a theme, degraded
 * to the terminal's colours, attributes only under NO_COLOR), reads keys,
 * mouse and resize events as struct key, and restores the terminal on
 * exit, on Ctrl-C/Ctrl-Z and on SIGTERM/SIGHUP (handlers only set flags).
 */
#ifndef TERM_H
#define TERM_H

#include <stdbool.h>

#include "keymap.h"
#include "screen.h"
#include "theme.h"

struct term;

/* SM_EUSAGE with a clear message when there is no usable terminal (not a
 * tty, TERM unset or "dumb", terminfo missing). */
int  term_check(struct sm_error *err);
int  term_open(const struct theme *th, struct term **out, struct sm_error *err);
void term_close(struct term *t);        /* NULL is fine; restores the terminal */
void term_size(struct term *t, int *w, int *h);
void term_draw(struct term *t, const struct screen *s, bool full);
/* Wait up to timeout_ms for a key; 1 when *k was filled, 0 on timeout,
 * -1 when a terminating signal arrived. */
int  term_key(struct term *t, struct key *k, int timeout_ms);
/* Give the terminal back, stop (as Ctrl-Z would), and take it again. */
void term_suspend(struct term *t);
/* True when colours are in use (not NO_COLOR, terminal has them). */
bool term_color(const struct term *t);

#endif
