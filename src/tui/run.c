/*
 * run.c - the interactive loop: terminal keys in, tui_key, tui_draw into
 * the screen grid, the grid out to the terminal. Resize is an event like
 * any key; signals only set a flag that term_key reports.
 */
#include "term.h"
#include "tui.h"

int
tui_run(struct tui *t, const struct theme *th, struct sm_error *err)
{
    struct term *tm = NULL;
    struct screen *s;
    int w, h, rc;
    bool full = false;

    if ((rc = term_open(th, &tm, err)) != SM_OK)
        return rc;
    term_size(tm, &w, &h);
    if (!(s = screen_new(w, h))) {
        term_close(tm);
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    }
    tui_draw(t, s);
    term_draw(tm, s, false);
    if (tui_unchecked(t)) {
        /* The first frame is up: now the (possibly long) first check. */
        tui_recheck(t);
        tui_draw(t, s);
        term_draw(tm, s, false);
    }
    while (!tui_quit(t)) {
        struct key k = { 0, 0, 0 };
        int r = term_key(tm, &k, 1000), flags;

        if (r < 0)
            break;              /* SIGTERM, SIGHUP, SIGINT: restore and leave */
        if (r == 0) {
            /* idle: another writer may have changed the catalog */
            if (tui_idle(t) & TUI_REDRAW) {
                tui_draw(t, s);
                term_draw(tm, s, false);
            }
            continue;
        }
        if (k.code == TK_RESIZE && screen_resize(s, k.x, k.y) != SM_OK)
            break;
        flags = tui_key(t, &k);
        if (flags & TUI_QUIT)
            break;
        if (flags & TUI_SUSPEND) {
            term_suspend(tm);
            term_size(tm, &w, &h);
            if (screen_resize(s, w, h) != SM_OK)
                break;
            full = true;
        }
        tui_draw(t, s);
        term_draw(tm, s, full || (flags & TUI_FULL_REDRAW));
        full = false;
    }
    screen_free(s);
    term_close(tm);
    return SM_OK;
}
