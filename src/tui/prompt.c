/*
 * prompt.c - the TUI's prompts (filter, `:` command line, export file
 * name), dialogs (confirmations, fix choices, menus, the pager) and the
 * mouse. Draws nothing; no curses.
 */
#include "app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- prompts: filter, command line, export file name ---------------------- */

static int
split_args(char *s, char **argv, int max)
{
    int n = 0;

    while (*s && n < max - 1) {
        char *out;
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        argv[n++] = out = s;
        while (*s && *s != ' ' && *s != '\t') {
            if (*s == '"' || *s == '\'') {
                char q = *s++;
                while (*s && *s != q)
                    *out++ = *s++;
                if (*s)
                    s++;
            } else {
                *out++ = *s++;
            }
        }
        if (*s)
            s++;
        *out = 0;
    }
    argv[n] = NULL;
    return n;
}

static void run_words(struct tui *t, const char *cmdline, int argc, char **argv);

void
run_command(struct tui *t, const char *cmdline)
{
    char *buf = strdup(cmdline), *argv[64];
    int argc;

    if (!buf) {
        tui_set_message(t, true, "out of memory");
        return;
    }
    argc = split_args(buf, argv, 64);
    run_words(t, cmdline, argc, argv);
    free(buf);
}

/* The words of a `:` command line (in a buffer the caller frees). */
static void
run_words(struct tui *t, const char *cmdline, int argc, char **argv)
{
    if (argc == 0)
        return;
    if (strcmp(argv[0], "q") == 0 || strcmp(argv[0], "quit") == 0) {
        t->quit = true;
        return;
    }
    if (strcmp(argv[0], "help") == 0 && argc == 1) {
        help_open(t);
        return;
    }
    if (strcmp(argv[0], "tui") == 0 || strcmp(argv[0], "demo") == 0) {
        tui_set_message(t, true, "%s cannot run inside the TUI; quit and run sovmap %s",
                        argv[0], argv[0]);
        return;
    }
    run_argv(t, cmdline, argc, argv);
}

/* Run a CLI verb given as arguments (names are passed as they are, never
 * re-parsed), re-check, and show its output in the pager. */
void
run_argv(struct tui *t, const char *label, int argc, char **argv)
{
    char *out = NULL, *what;
    int rc;

    sync_catalog(t, false);     /* the command runs on the catalog as it is */
    rc = t->ops.command(t->ops.ctx, argc, argv, &out);
    what = sm_strdupf(":%s (exit %d)", label, rc);
    if (t->scen.on) {
        /* On the catalog, not the scenario: re-evaluate the scenario now,
         * re-check the catalog when the mode is left. */
        t->scen.commands = true;
        scen_reeval(t, what ? what : ":");
    } else {
        if (t->ops.model && t->ops.model(t->ops.ctx) != t->m) {
            /* The command loaded another model (an import): the undo
             * records name objects of the old one. */
            t->m = t->ops.model(t->ops.ctx);
            clear_stack(t->undo, &t->nundo);
            clear_stack(t->redo, &t->nredo);
            t->nhist = 0;
        }
        /* The command may have changed the catalog: re-check quietly. */
        recheck(t, what ? what : ":");
        tui_settle(t);
    }
    free(what);
    t->msg_error = rc >= 2;
    if (out && *out)
        pager_open(t, label, out);
    else
        free(out);
}

/* A regular file is there (a device such as /dev/null is written in
 * place and never asked about). */
static bool
file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The export menu's default name (heap), made one that is not taken yet:
 * sovmap-diagram.svg, then sovmap-diagram-2.svg, -3 ... (QA #18). */
static void
unused_name(char **file)
{
    char *try, *dot;
    size_t stem;

    if (!file_exists(*file))
        return;
    dot = strrchr(*file, '.');
    stem = dot ? (size_t)(dot - *file) : strlen(*file);
    for (int n = 2; n < 1000; n++) {
        if (!(try = sm_strdupf("%.*s-%d%s", (int)stem, *file, n, dot ? dot : "")))
            return;
        if (!file_exists(try)) {
            free(*file);
            *file = try;
            return;
        }
        free(try);
    }
}

int
prompt_key(struct tui *t, const struct key *k)
{
    enum action a = keymap_lookup(&t->keys, KEYMAP_EDIT, k->code);
    struct view *v = cur_view(t);

    if (t->prompt == PROMPT_FILTER && (k->code == TK_DOWN || k->code == TK_UP)) {
        view_move(t, v, k->code == TK_DOWN ? 1 : -1);
        return TUI_REDRAW;
    }
    if (t->prompt == PROMPT_COMMAND && (k->code == TK_DOWN || k->code == TK_UP)) {
        cmdh_move(t, k->code == TK_DOWN ? 1 : -1);
        return TUI_REDRAW;
    }
    if (t->prompt == PROMPT_COMMAND && a == ACT_COMPLETE) {
        cmd_complete(t);
        return TUI_REDRAW;
    }
    if (a == ACT_SUBMIT) {
        enum prompt_mode p = t->prompt;
        t->prompt = PROMPT_NONE;
        if (p == PROMPT_COMMAND) {
            /* after the command: a history that cannot be saved says so */
            run_command(t, t->input.buf);
            cmdh_add(t, t->input.buf);
        } else if (p == PROMPT_PAGER_SEARCH)
            pager_search(t, t->input.buf);
        else if (p == PROMPT_FILE && file_exists(t->input.buf) &&
                 !(t->export_confirmed && strcmp(t->export_confirmed, t->input.buf) == 0)) {
            /* never overwrite silently (QA #18): Enter again on the same
             * name overwrites it, any other name is checked again */
            free(t->export_confirmed);
            t->export_confirmed = strdup(t->input.buf);
            t->prompt = PROMPT_FILE;
            snprintf(t->prompt_label, sizeof t->prompt_label,
                     "file exists: Enter overwrites, or edit: ");
            tui_set_message(t, true, "%s exists: Enter again overwrites it, Esc cancels",
                            t->input.buf);
        } else if (p == PROMPT_FILE) {
            free(t->export_confirmed);
            t->export_confirmed = NULL;
            export_write(t, atoi(t->export_format), t->input.buf);
        }
        else if (p == PROMPT_FILTER)
            tui_set_message(t, false, "%d match%s for \"%s\" (Esc clears)", (int)v->nrows,
                            v->nrows == 1 ? "" : "es", v->filter);
        return TUI_REDRAW | (t->quit ? TUI_QUIT : 0);
    }
    if (a == ACT_CANCEL) {
        free(t->export_confirmed);
        t->export_confirmed = NULL;
        if (t->prompt == PROMPT_FILTER) {
            tui_text_free(&v->filter);
            view_rebuild(t, v);
        }
        t->prompt = PROMPT_NONE;
        return TUI_REDRAW;
    }
    if (!line_key(&t->input, a, k->code))
        return 0;
    if (t->prompt == PROMPT_FILTER) {
        tui_text_set(&v->filter, "%s", t->input.buf);
        view_ensure(t, v);
    }
    return TUI_REDRAW;
}

/* ---- dialogs ---------------------------------------------------------------- */

void
dialog_close(struct tui *t)
{
    for (int i = 0; i < DIALOG_MAX_CHOICES; i++) {
        edit_free(t->dialog.edits[i]);
        t->dialog.edits[i] = NULL;
    }
    free(t->dialog.text);
    t->dialog.text = NULL;
    pager_free(&t->dialog);
    tui_text_free(&t->dialog.title);
    for (int i = 0; i < DIALOG_MAX_CHOICES; i++)
        tui_text_free(&t->dialog.choice_text[i]);
    t->dialog.mode = DIALOG_NONE;
    t->dialog.nchoices = t->dialog.choice = t->dialog.top = 0;
    t->dialog.destructive = false;
}

int
dialog_key(struct tui *t, const struct key *k)
{
    struct dialog *d = &t->dialog;
    enum action a = keymap_lookup(&t->keys, KEYMAP_LIST, k->code);

    if (d->mode == DIALOG_PAGER)
        return pager_key(t, k);
    if (a == ACT_MOVE_DOWN && d->choice + 1 < d->nchoices)
        d->choice++;
    else if (a == ACT_MOVE_UP && d->choice > 0)
        d->choice--;
    else if (k->code == TK_ESC || k->code == 'n' || k->code == 'q' || k->code == TK_CTRL('c') ||
             (k->code == TK_ENTER && d->destructive)) {
        /* a destructive question takes only y for yes */
        if (d->destructive)
            tui_set_message(t, false, "nothing deleted");
        dialog_close(t);
    }
    else if (k->code == TK_ENTER || k->code == 'y') {
        if (d->mode == DIALOG_MENU && strncmp(d->choice_arg[d->choice], "sort:", 5) == 0) {
            int c = atoi(d->choice_arg[d->choice] + 5);
            dialog_close(t);
            tui_sort_chosen(t, c);
        } else if (d->mode == DIALOG_MENU) {
            int item = atoi(d->choice_arg[d->choice]);
            int32_t ds = focus_dataset(t);
            char *file = sm_strdupf(export_items[item].file,
                                    ds >= 0 ? t->m->datasets[ds].name : "");
            for (char *p = file; p && *p; p++)
                if (*p == '/' || (unsigned char)*p < 32)
                    *p = '_';
            if (file)
                unused_name(&file);
            snprintf(t->export_format, sizeof t->export_format, "%d", item);
            dialog_close(t);
            t->prompt = PROMPT_FILE;
            snprintf(t->prompt_label, sizeof t->prompt_label, "write %s to: ",
                     export_items[item].format);
            line_set(&t->input, file);
            free(file);
        } else if (d->choice < d->nchoices && d->edits[d->choice]) {
            struct edit *e = d->edits[d->choice];
            char *what = strdup(d->choice_text[d->choice]);
            d->edits[d->choice] = NULL;
            dialog_close(t);
            tui_apply(t, e, what ? what : "");
            free(what);
            edit_free(e);
        }
    }
    return TUI_REDRAW;
}

/* ---- mouse ------------------------------------------------------------------ */

int
mouse_key(struct tui *t, const struct key *k)
{
    struct view *v = cur_view(t);

    if (k->code == TK_WHEEL_DOWN || k->code == TK_WHEEL_UP) {
        int d = k->code == TK_WHEEL_DOWN ? 3 : -3;
        if (t->focus == FOCUS_DETAIL || (k->x >= t->detail_x && k->y >= t->detail_y &&
                                         k->y < t->detail_y + t->detail_h && t->detail_w > 0)) {
            struct detail *dt = current_detail(t);
            dt->top += d;
            if (dt->top > dt->n - 1)
                dt->top = dt->n - 1;
            if (dt->top < 0)
                dt->top = 0;
        } else {
            view_move(t, v, d);
        }
        return TUI_REDRAW;
    }
    if (k->y == 0) {
        for (int i = 0; i < TUI_NVIEWS; i++)
            if (k->x >= t->tabs_x[i] && k->x < t->tabs_x[i + 1]) {
                switch_view(t, i);
                return TUI_REDRAW;
            }
        return 0;
    }
    if (t->detail_w > 0 && k->x >= t->detail_x && k->x < t->detail_x + t->detail_w &&
        k->y >= t->detail_y && k->y < t->detail_y + t->detail_h) {
        struct detail *dt = current_detail(t);
        int line = dt->top + (k->y - t->detail_y - 1);
        t->focus = FOCUS_DETAIL;
        if (line >= 0 && line < dt->n && dt->line[line].ref != REF_NONE) {
            dt->sel = line;
            if (k->code == TK_DCLICK)
                return act_follow(t, k);
        }
        return TUI_REDRAW;
    }
    if (k->y >= v->list_y && k->y < v->list_y + v->page) {
        int32_t i = v->top + (k->y - v->list_y);
        if (i < v->ndisp && v->disp[i] >= 0) {
            v->sel = i;
            t->focus = FOCUS_LIST;
            if (v->ops == &map_view && k->x >= 22)
                v->hcol = v->hleft + (k->x - 22) / (v->cellw > 0 ? v->cellw : 6);
            if (k->code == TK_DCLICK)
                return act_open(t, k);
        }
        return TUI_REDRAW;
    }
    return 0;
}

