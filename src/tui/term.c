/*
 * term.c - ncursesw behind term.h: the only file that includes <curses.h>.
 * Signal handlers only set a flag; the main loop notices it after wgetch
 * returns (a timeout keeps it responsive).
 */
#include "term.h"

#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct term {
    bool color;
    int ncolors;
    attr_t attrs[STYLE_COUNT];
    short pairs[STYLE_COUNT];
};

static volatile sig_atomic_t got_signal;
static bool curses_on;

static void
on_signal(int sig)
{
    got_signal = sig;
}

static void
restore(void)
{
    if (curses_on) {
        endwin();
        curses_on = false;
    }
}

/* xterm 256-colour index -> the nearest of the 16 (or 8) basic colours. */
static int
degrade(int c, int ncolors)
{
    static const unsigned char rgb16[16][3] = { /* bounded: a fixed colour table */
        { 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 }, { 0, 0, 238 },
        { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 }, { 127, 127, 127 },
        { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 }, { 92, 92, 255 }, { 255, 0, 255 },
        { 0, 255, 255 }, { 255, 255, 255 },
    };
    int r, g, b, best = 0;
    long bestd = -1;

    if (c < 0 || c < ncolors)
        return c;
    if (c < 16)
        return c - 8;          /* bright -> normal on 8-colour terminals */
    if (c >= 232) {
        r = g = b = 8 + (c - 232) * 10;
    } else {
        static const int steps[6] = { 0, 95, 135, 175, 215, 255 };
        r = steps[(c - 16) / 36];
        g = steps[(c - 16) / 6 % 6];
        b = steps[(c - 16) % 6];
    }
    for (int i = 0; i < (ncolors < 16 ? 8 : 16); i++) {
        long d = (long)(r - rgb16[i][0]) * (r - rgb16[i][0]) +
                 (long)(g - rgb16[i][1]) * (g - rgb16[i][1]) +
                 (long)(b - rgb16[i][2]) * (b - rgb16[i][2]);
        if (bestd < 0 || d < bestd) {
            bestd = d;
            best = i;
        }
    }
    return best;
}

static attr_t
to_attrs(unsigned a)
{
    static const struct { unsigned bit; attr_t attr; } map[] = {
        { THEME_BOLD, A_BOLD }, { THEME_DIM, A_DIM }, { THEME_UNDERLINE, A_UNDERLINE },
        { THEME_REVERSE, A_REVERSE }, { THEME_ITALIC, A_ITALIC }, { THEME_BLINK, A_BLINK },
    };
    attr_t r = A_NORMAL;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (a & map[i].bit)
            r |= map[i].attr;
    return r;
}

static void
setup_styles(struct term *t, const struct theme *th)
{
    for (int i = 0; i < STYLE_COUNT; i++) {
        const struct theme_style *st = &th->role[i];
        t->attrs[i] = to_attrs(st->attrs);
        t->pairs[i] = 0;
        if (t->color) {
            int fg = degrade(st->fg, t->ncolors), bg = degrade(st->bg, t->ncolors);
            /* A bright colour lost on an 8-colour terminal becomes bold. */
            if (t->ncolors < 16 && st->fg >= 8 && st->fg < 16)
                t->attrs[i] |= A_BOLD;
            if (init_pair((short)(i + 1), (short)fg, (short)bg) == OK)
                t->pairs[i] = (short)(i + 1);
        } else if (st->bg >= 0 && !(st->attrs & THEME_REVERSE)) {
            /* Without colour, a role that stands out by its background
             * (selection, status bar, dialogs) stands out in reverse. */
            t->attrs[i] |= A_REVERSE;
        }
    }
}

int
term_check(struct sm_error *err)
{
    const char *term = getenv("TERM");

    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return sm_error_set(err, SM_EUSAGE, "the TUI needs a terminal; use the commands "
                            "(sovmap --help) in scripts");
    if (!term || !*term || strcmp(term, "dumb") == 0)
        return sm_error_set(err, SM_EUSAGE, "TERM is %s: the TUI needs a real terminal "
                            "(e.g. TERM=xterm-256color); use the commands in scripts",
                            term && *term ? term : "not set");
    return SM_OK;
}

int
term_open(const struct theme *th, struct term **out, struct sm_error *err)
{
    const char *term = getenv("TERM"), *nc = getenv("NO_COLOR");
    struct term *t;
    SCREEN *scr;
    int rc;

    if ((rc = term_check(err)) != SM_OK)
        return rc;
    if (!(t = calloc(1, sizeof *t)))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    /* newterm, unlike initscr, returns an error instead of exiting. */
    if (!(scr = newterm(NULL, stdout, stdin))) {
        free(t);
        return sm_error_set(err, SM_EUSAGE, "unknown terminal type %s (no terminfo entry)",
                            term);
    }
    set_term(scr);
    curses_on = true;
    atexit(restore);
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    /* Home and End as tmux and screen send them, whatever TERM says (the
     * terminfo of an xterm inside tmux knows only \EOH and \EOF). */
    define_key("\033[1~", KEY_HOME);
    define_key("\033[4~", KEY_END);
    define_key("\033[7~", KEY_HOME);
    define_key("\033[8~", KEY_END);
    set_escdelay(25);
    curs_set(0);
    mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON1_PRESSED |
              BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    mouseinterval(200);
    t->color = has_colors() && !(nc && *nc);
    if (t->color) {
        start_color();
        use_default_colors();
        t->ncolors = COLORS;
    }
    setup_styles(t, th);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
    signal(SIGINT, on_signal);
    *out = t;
    return SM_OK;
}

void
term_close(struct term *t)
{
    if (!t)
        return;
    restore();
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    free(t);
}

bool
term_color(const struct term *t)
{
    return t->color;
}

void
term_size(struct term *t, int *w, int *h)
{
    (void)t;
    getmaxyx(stdscr, *h, *w);
}

void
term_draw(struct term *t, const struct screen *s, bool full)
{
    if (full)
        clearok(curscr, TRUE);
    /* Start from blank: the bottom-right cell is never written (it would
     * scroll), and must not keep what was there before a resize. curses
     * still sends only the differences. */
    erase();
    for (int y = 0; y < s->h; y++) {
        for (int x = 0; x < s->w; x++) {
            const struct cell *c = &s->cells[y * s->w + x];
            wchar_t wc[2] = { (wchar_t)c->cp, 0 };
            cchar_t cc;
            if (c->width == 0)
                continue;
            if (y == s->h - 1 && x == s->w - 1)
                continue;       /* writing there would scroll */
            setcchar(&cc, wc, t->attrs[c->style], t->pairs[c->style], NULL);
            mvadd_wch(y, x, &cc);
        }
    }
    if (s->cursor) {
        curs_set(1);
        move(s->cur_y, s->cur_x);
    } else {
        curs_set(0);
    }
    refresh();
}

static int
translate(int ch, bool fkey)
{
    static const struct { int curses; int ours; } keys[] = {
        { KEY_UP, TK_UP }, { KEY_DOWN, TK_DOWN }, { KEY_LEFT, TK_LEFT },
        { KEY_RIGHT, TK_RIGHT }, { KEY_PPAGE, TK_PGUP }, { KEY_NPAGE, TK_PGDN },
        { KEY_HOME, TK_HOME }, { KEY_END, TK_END }, { KEY_ENTER, TK_ENTER },
        { KEY_BTAB, TK_BTAB }, { KEY_BACKSPACE, TK_BACKSPACE }, { KEY_DC, TK_DELETE },
        { KEY_IC, TK_INSERT }, { KEY_F(1), TK_F1 }, { KEY_RESIZE, TK_RESIZE },
    };
    static const struct { int c; int ours; } plain[] = {
        { '\r', TK_ENTER }, { '\n', TK_ENTER }, { '\t', TK_TAB }, { 8, TK_BACKSPACE },
        { 127, TK_BACKSPACE }, { 27, TK_ESC }, { ' ', TK_SPACE },
    };

    if (fkey) {
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            if (keys[i].curses == ch)
                return keys[i].ours;
        return SM_NONE;
    }
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (plain[i].c == ch)
            return plain[i].ours;
    return ch;
}

int
term_key(struct term *t, struct key *k, int timeout_ms)
{
    wint_t wc;
    int r;

    (void)t;
    if (got_signal)
        return -1;
    timeout(timeout_ms);
    r = get_wch(&wc);
    if (got_signal)
        return -1;
    if (r == ERR)
        return 0;
    k->x = k->y = 0;
    if (r == KEY_CODE_YES && wc == KEY_MOUSE) {
        MEVENT ev;
        if (getmouse(&ev) != OK)
            return 0;
        k->x = ev.x;
        k->y = ev.y;
        if (ev.bstate & BUTTON4_PRESSED)
            k->code = TK_WHEEL_UP;
        else if (ev.bstate & BUTTON5_PRESSED)
            k->code = TK_WHEEL_DOWN;
        else if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
            k->code = TK_DCLICK;
        else if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))
            k->code = TK_CLICK;
        else
            return 0;
        return 1;
    }
    if (r == KEY_CODE_YES) {
        k->code = translate((int)wc, true);
        if (k->code == TK_RESIZE)
            getmaxyx(stdscr, k->y, k->x);
        return k->code == SM_NONE ? 0 : 1;
    }
    k->code = translate((int)wc, false);
    return 1;
}

void
term_suspend(struct term *t)
{
    (void)t;
    endwin();
    raise(SIGTSTP);
    /* Back from the shell: curses redraws on the next refresh. */
    refresh();
}
