/*
 * app.c - the TUI application: state, messages, edits and undo/redo, jumps
 * and history, key dispatch through the key tables to one handler per
 * action, and the life cycle. Its parts: derive.c (derived facts and the
 * re-check), scen.c (scenario mode), prompt.c (prompts, dialogs, mouse),
 * draw.c (the layout), app_export.c (the export menu and its pagers); app.h
 * is what they share. Draws only into struct screen; term.c is the terminal.
 */
#include "app.h"
#include "export.h"
#include "outfile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- messages ------------------------------------------------------------- */

void
tui_set_message(struct tui *t, bool error, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    tui_text_vset(&t->msg, fmt, ap);
    va_end(ap);
    t->msg_error = error;
    t->msg_sticky = false;
    t->msg_key = t->nkeys;
    t->msg_idle = 0;
}

void
tui_set_alert(struct tui *t, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    tui_text_vset(&t->msg, fmt, ap);
    va_end(ap);
    t->msg_error = true;
    t->msg_sticky = true;
    t->msg_key = t->nkeys;
    t->msg_idle = 0;
}

/* A message lasts until the next key (or, tui_idle, a few idle seconds);
 * an alert until Esc, which it then takes. True if the key was taken. */
static bool
age_message(struct tui *t, const struct key *k)
{
    t->nkeys++;
    if (!t->msg[0])
        return false;
    if (t->msg_sticky) {
        if (k->code != TK_ESC || t->prompt != PROMPT_NONE || t->form.open ||
            t->dialog.mode != DIALOG_NONE)
            return false;
        tui_text_free(&t->msg);
        t->msg_sticky = false;
        return true;
    }
    if (t->msg_key < t->nkeys)
        tui_text_free(&t->msg);
    return false;
}

const char *
tui_message(const struct tui *t)
{
    return t->msg;
}

bool
tui_quit(const struct tui *t)
{
    return t->quit;
}

void
tui_counts(const struct tui *t, int *errors, int *warnings, int *waived)
{
    *errors = t->res ? t->res->stats.count[SEV_ERROR] : 0;
    *warnings = t->res ? t->res->stats.count[SEV_WARNING] : 0;
    *waived = t->res ? t->res->stats.waived : 0;
}

/* ---- edits and undo ------------------------------------------------------- */

static void
entry_free(struct undo_entry *u)
{
    if (u->res) {
        edit_result_fini(u->res);
        free(u->res);
    }
    u->res = NULL;
    free(u->what);
    u->what = NULL;
}

/* Takes res and what (heap; NULL is shown as ""). */
static void
push(struct undo_entry *stack, int *n, struct edit_result *res, char *what)
{
    if (*n == TUI_UNDO_MAX) {
        entry_free(&stack[0]);
        memmove(stack, stack + 1, sizeof *stack * (TUI_UNDO_MAX - 1));
        (*n)--;
    }
    stack[*n].res = res;
    stack[*n].what = what;
    (*n)++;
}

void
clear_stack(struct undo_entry *stack, int *n)
{
    while (*n > 0)
        entry_free(&stack[--*n]);
}

static void
select_object(struct tui *t, enum obj_kind kind, int32_t id)
{
    struct view *v = &t->views[t->cur];

    if (id < 0)
        return;
    if (v->ops->kind == kind && v->ops->object && v->ops != &map_view)
        view_select_row(t, v, id);
    else if (kind == OBJ_PLACEMENT && (v->ops == &datasets_view || v->ops == &map_view) &&
             id < t->m->nplacements)
        view_select_row(t, v, t->m->placements[id].dataset);
}


/* ---- other writers ------------------------------------------------------- */

/* When another process changed the catalog (or always, with force: R),
 * take the model loaded again, re-check it, keep the cursor on the same
 * object where it still exists, and say what changed. The undo records
 * name objects of the old model: they go, so an undo never undoes another
 * writer's change. True when the catalog was reloaded. Not while a form,
 * prompt or dialog is open: the edit it makes is checked when it is saved. */
/* Outside scenario mode, once the model and its check are the current
 * ones, the model a sync or command replaced is no one's (in the mode the
 * base's old check may still be the one to go back to: scen_leave). */
void
tui_settle(struct tui *t)
{
    if (!t->scen.on && t->ops.settled)
        t->ops.settled(t->ops.ctx);
}

bool
sync_catalog(struct tui *t, bool force)
{
    SM_ERROR(err);
    char summary[256], *what, *sel = NULL; /* bounded: counts, "+1 dataset, -2 flows" */
    enum obj_kind kind = OBJ_KIND_COUNT;
    int32_t id = SM_NONE;
    bool reloaded = false, dropped;

    if (!t->ops.sync || !t->ops.model)
        return false;
    if (t->ops.sync(t->ops.ctx, force, &reloaded, summary, sizeof summary, &err) != SM_OK) {
        tui_set_alert(t, "cannot reload the catalog: %s", err.msg);
        return false;
    }
    if (!reloaded)
        return false;
    /* the object under the cursor, by name: ids change with the load */
    if (!t->scen.on && target_object(t, &kind, &id))
        sel = model_selector_dup(t->m, kind, id);
    t->nreloads++;
    dropped = t->nundo + t->nredo > 0;
    if (dropped)
        t->undo_lost = true;
    clear_stack(t->undo, &t->nundo);
    clear_stack(t->redo, &t->nredo);
    t->nhist = 0;
    what = sm_strdupf("%s%s%s; re-checked%s",
             force ? "catalog reloaded" : "catalog changed on disk", summary[0] ? ": " : "",
             summary, dropped ? "; undo history cleared: the catalog was changed by another "
             "writer" : "");
    if (t->scen.on) {
        /* the scenario is evaluated again on the new catalog; leaving the
         * mode checks the catalog */
        t->scen.commands = true;
        scen_reeval(t, what ? what : "catalog reloaded");
    } else {
        t->m = t->ops.model(t->ops.ctx);
        recheck(t, what ? what : "catalog reloaded");
        if (sel && model_find(t->m, kind, sel, &id, NULL) == SM_OK)
            select_object(t, kind, id);
        tui_settle(t);
    }
    free(sel);
    free(what);
    return true;
}

int
tui_idle(struct tui *t)
{
    /* about four seconds (run.c idles a second at a time) */
    if (t->msg[0] && !t->msg_sticky && ++t->msg_idle >= 4) {
        tui_text_free(&t->msg);
        return TUI_REDRAW;
    }
    /* the matrix names objects of the model it was built from: no reload
     * under it (it is closed first) */
    if (t->prompt != PROMPT_NONE || t->dialog.mode != DIALOG_NONE || t->form.open ||
        t->matrix.mx)
        return 0;
    return sync_catalog(t, false) ? TUI_REDRAW : 0;
}

static int
act_reload(struct tui *t, const struct key *k)
{
    (void)k;
    if (!t->ops.sync) {
        tui_set_message(t, false, "nothing to reload: this model is not a catalog's");
        return TUI_REDRAW;
    }
    sync_catalog(t, true);
    return TUI_REDRAW;
}

/* An edit of an object that is gone from the catalog as it is now: *msg
 * then says so, whole (a text, text.c). */
static bool
edit_target_gone(const struct tui *t, const struct edit *e, char **msg)
{
    enum obj_kind kind = e->kind;
    char *name = NULL;
    int32_t id;
    bool gone;

    if (e->op == EDIT_ADD) {
        /* a copy's dataset */
        if (kind != OBJ_PLACEMENT || !strchr(e->key, '@') || !(name = strdup(e->key)))
            return false;
        *strchr(name, '@') = '\0';
        kind = OBJ_DATASET;
    }
    gone = model_find(t->m, kind, name ? name : e->key, &id, NULL) != SM_OK;
    if (gone)
        tui_text_set(msg, "%s %s was removed by another writer; nothing was changed",
                     obj_kind_names[kind], name ? name : e->key);
    free(name);
    return gone;
}


static int
apply_once(struct tui *t, const struct edit *e, const char *what)
{
    struct edit_result *res = calloc(1, sizeof *res);
    struct check_touch touch = { 0 };
    struct derive_pre pre = { 0 };
    SM_ERROR(err);
    size_t n = edit_format(e, NULL, 0) + 1;
    char *line = malloc(n);
    int rc;

    if (!res || !line) {
        free(res);
        free(line);
        tui_set_message(t, true, "out of memory");
        return SM_ENOMEM;
    }
    edit_format(e, line, n);
    /* the object as it was (a flow's old ends; a new copy's dataset) */
    if (e->op != EDIT_ADD && check_touch_selector(&touch, t->m, e->kind, e->key))
        touch.global = true;
    if (e->op == EDIT_ADD && e->kind == OBJ_PLACEMENT && strchr(e->key, '@')) {
        char *name = strdup(e->key);
        if (!name)
            touch.global = true;
        else {
            *strchr(name, '@') = 0;
            if (check_touch_selector(&touch, t->m, OBJ_DATASET, name))
                touch.global = true;
            free(name);
        }
    }
    derive_begin(t, &pre, &touch);
    if ((rc = t->ops.apply(t->ops.ctx, t->m, e, res, &err)) != SM_OK) {
        derive_cancel(t, &pre);
        free(res);
        free(line);
        check_touch_fini(&touch);
        tui_set_alert(t, "%s", err.msg[0] ? err.msg : "edit failed");
        return rc;
    }
    if (res->unchanged) {
        /* nothing changed, nothing logged: no undo step either */
        derive_cancel(t, &pre);
        check_touch_fini(&touch);
        edit_result_fini(res);
        free(res);
        tui_set_message(t, false, "unchanged: %s", line);
        free(line);
        return SM_OK;
    }
    touch_result(&touch, t->m, res);
    push(t->undo, &t->nundo, res, line);        /* takes line */
    clear_stack(t->redo, &t->nredo);
    t->undo_lost = false;
    recheck_touched(t, &touch, &pre, what && *what ? what : t->undo[t->nundo - 1].what);
    check_touch_fini(&touch);
    if (e->op != EDIT_REMOVE)
        select_object(t, res->kind, res->id);
    return SM_OK;
}

/* Apply e to the catalog as it is now: another writer's changes are
 * loaded first, and when one comes in between (SM_ESTALE: the store wrote
 * nothing) they are loaded and the edit is applied again. */
int
tui_apply(struct tui *t, const struct edit *e, const char *what)
{
    char *gone = NULL;
    SM_ERROR(err);
    int rc;

    if (edit_check_name(e, &err) != SM_OK) {      /* QA #21 */
        tui_set_alert(t, "%s", err.msg);
        return err.code;
    }
    if (t->scen.on)
        return scen_apply_edit(t, e, what);
    sync_catalog(t, false);
    for (int tries = 0;; tries++) {
        if (t->nreloads && edit_target_gone(t, e, &gone)) {
            tui_set_alert(t, "%s", gone);
            tui_text_free(&gone);
            return SM_ENOTFOUND;
        }
        if ((rc = apply_once(t, e, what)) != SM_ESTALE || tries == 2 || !t->ops.sync)
            return rc;
        sync_catalog(t, false);
    }
}


/* Undo (from the undo stack to the redo stack) or redo (the other way):
 * the same exact revert, toggling. */
static int
undo_redo(struct tui *t, bool undo)
{
    struct undo_entry *from = undo ? t->undo : t->redo, *to = undo ? t->redo : t->undo;
    int *nfrom = undo ? &t->nundo : &t->nredo, *nto = undo ? &t->nredo : &t->nundo;
    struct check_touch touch = { 0 };
    struct derive_pre pre = { 0 };
    SM_ERROR(err);
    struct undo_entry u;
    char *what;

    if (t->scen.on)
        return scen_undo(t, undo);
    /* another writer's change: the history goes with the old model, and
     * the message says why there is nothing left to undo (QA #19) */
    if (*nfrom > 0 && sync_catalog(t, false)) {
        tui_set_message(t, false, "undo history cleared: the catalog was changed by another "
                        "writer");
        return TUI_REDRAW;
    }
    if (*nfrom == 0) {
        if (t->undo_lost)
            tui_set_message(t, false, "nothing to %s: undo history cleared: the catalog was "
                            "changed by another writer", undo ? "undo" : "redo");
        else
            tui_set_message(t, false, "nothing to %s", undo ? "undo" : "redo");
        return TUI_REDRAW;
    }
    u = from[*nfrom - 1];
    touch_result(&touch, t->m, u.res);
    derive_begin(t, &pre, &touch);
    if (t->ops.revert(t->ops.ctx, t->m, u.res, &err) != SM_OK) {
        derive_cancel(t, &pre);
        check_touch_fini(&touch);
        if (err.code == SM_ESTALE && sync_catalog(t, false))
            return TUI_REDRAW;
        tui_set_alert(t, "cannot %s %s: %s", undo ? "undo" : "redo", u.what ? u.what : "",
                      err.msg);
        return TUI_REDRAW;
    }
    touch_result(&touch, t->m, u.res);
    (*nfrom)--;
    push(to, nto, u.res, u.what);               /* the entry moves, its text too */
    what = sm_strdupf("%s: %s", undo ? "undone" : "redone", u.what ? u.what : "");
    recheck_touched(t, &touch, &pre, what ? what : (undo ? "undone" : "redone"));
    free(what);
    check_touch_fini(&touch);
    if (!undo || u.res->kind != OBJ_KIND_COUNT)
        select_object(t, u.res->kind, u.res->id);
    return TUI_REDRAW;
}

static int act_undo(struct tui *t, const struct key *k) { (void)k; return undo_redo(t, true); }
static int act_redo(struct tui *t, const struct key *k) { (void)k; return undo_redo(t, false); }

/* ---- views, jumps and history ------------------------------------------- */

struct view *
cur_view(struct tui *t)
{
    return &t->views[t->cur];
}

void
switch_view(struct tui *t, int i)
{
    t->cur = (i + TUI_NVIEWS) % TUI_NVIEWS;
    t->focus = FOCUS_LIST;
    view_ensure(t, cur_view(t));
}

static void
show_view(struct tui *t, const struct view_ops *ops)
{
    switch_view(t, view_index(ops));
}

static bool
showing(struct tui *t, const struct view_ops *ops)
{
    return t->views[t->cur].ops == ops;
}

static void
history_push(struct tui *t)
{
    if (t->nhist == TUI_HISTORY) {
        memmove(t->history, t->history + 1, sizeof t->history[0] * (TUI_HISTORY - 1));
        t->nhist--;
    }
    t->history[t->nhist].view = cur_view(t)->ops;
    t->history[t->nhist].row = view_current(t, cur_view(t));
    t->nhist++;
}

void
tui_jump(struct tui *t, int kind, int32_t id)
{
    const struct view_ops *target;

    history_push(t);
    if (kind == REF_FINDING) {
        target = &findings_view;
    } else if (kind == OBJ_PLACEMENT) {
        target = &datasets_view;
        id = id >= 0 && id < t->m->nplacements ? t->m->placements[id].dataset : SM_NONE;
    } else {
        target = view_of_kind((enum obj_kind)kind);
    }
    show_view(t, target);
    if (id >= 0)
        view_select_row(t, cur_view(t), id);
}

static int
act_back(struct tui *t, const struct key *k)
{
    (void)k;
    if (t->nhist == 0) {
        if (t->focus == FOCUS_DETAIL) {
            t->focus = FOCUS_LIST;
            return TUI_REDRAW;
        }
        tui_set_message(t, false, "nowhere to go back to");
        return TUI_REDRAW;
    }
    t->nhist--;
    show_view(t, t->history[t->nhist].view);
    if (t->history[t->nhist].row >= 0)
        view_select_row(t, cur_view(t), t->history[t->nhist].row);
    return TUI_REDRAW;
}

/* The detail pane for the current row, rebuilt when it changed. */
struct detail *
current_detail(struct tui *t)
{
    struct view *v = cur_view(t);
    struct detail *d = &t->detail;
    int32_t row = view_current(t, v);

    if (d->view == v->ops && d->row == row && d->gen == t->gen && d->gen)
        return d;
    detail_clear(d);
    d->sel = -1;
    d->top = 0;
    d->view = v->ops;
    d->row = row;
    d->gen = t->gen;
    if (row >= 0 && v->ops->detail)
        v->ops->detail(t, row, d);
    for (int i = 0; i < d->n; i++)
        if (d->line[i].ref != REF_NONE) {
            d->sel = i;
            break;
        }
    return d;
}

/* ---- action handlers ------------------------------------------------------ */

static int
act_quit(struct tui *t, const struct key *k)
{
    (void)k;
    t->quit = true;
    return TUI_QUIT;
}

static int
act_interrupt(struct tui *t, const struct key *k)
{
    if (t->focus == FOCUS_DETAIL) {
        t->focus = FOCUS_LIST;
        return TUI_REDRAW;
    }
    return act_quit(t, k);
}

static int
act_help(struct tui *t, const struct key *k)
{
    (void)k;
    help_open(t);
    return TUI_REDRAW;
}

static int act_next_view(struct tui *t, const struct key *k) { (void)k; switch_view(t, t->cur + 1); return TUI_REDRAW; }
static int act_prev_view(struct tui *t, const struct key *k) { (void)k; switch_view(t, t->cur - 1); return TUI_REDRAW; }

static int
act_view_n(struct tui *t, const struct key *k)
{
    switch_view(t, k->code - '1');
    return TUI_REDRAW;
}

static int
act_view(struct tui *t, enum action a)
{
    switch_view(t, (int)(a - ACT_VIEW_1));
    return TUI_REDRAW;
}

static int
act_move(struct tui *t, const struct key *k, int32_t delta)
{
    (void)k;
    if (t->focus == FOCUS_DETAIL) {
        struct detail *d = current_detail(t);
        for (int i = d->sel + (delta > 0 ? 1 : -1); i >= 0 && i < d->n; i += delta > 0 ? 1 : -1)
            if (d->line[i].ref != REF_NONE) {
                d->sel = i;
                break;
            }
        return TUI_REDRAW;
    }
    view_move(t, cur_view(t), delta);
    return TUI_REDRAW;
}

static int act_down(struct tui *t, const struct key *k) { return act_move(t, k, 1); }
static int act_up(struct tui *t, const struct key *k) { return act_move(t, k, -1); }
static int act_pgdn(struct tui *t, const struct key *k) { return act_move(t, k, cur_view(t)->page > 1 ? cur_view(t)->page - 1 : 1); }
static int act_pgup(struct tui *t, const struct key *k) { return act_move(t, k, -(cur_view(t)->page > 1 ? cur_view(t)->page - 1 : 1)); }
static int act_top(struct tui *t, const struct key *k) { return act_move(t, k, -cur_view(t)->ndisp); }
static int act_bottom(struct tui *t, const struct key *k) { return act_move(t, k, cur_view(t)->ndisp); }

static int
act_search(struct tui *t, const struct key *k)
{
    (void)k;
    t->prompt = PROMPT_FILTER;
    snprintf(t->prompt_label, sizeof t->prompt_label, "/");
    line_set(&t->input, cur_view(t)->filter);
    return TUI_REDRAW;
}


static int
act_clear(struct tui *t, const struct key *k)
{
    struct view *v = cur_view(t);
    (void)k;
    if (t->focus == FOCUS_DETAIL) {
        t->focus = FOCUS_LIST;
        return TUI_REDRAW;
    }
    if (v->filter[0]) {
        tui_text_free(&v->filter);
        view_rebuild(t, v);
        tui_set_message(t, false, "filter cleared");
    } else if (t->scen.on) {
        scen_leave(t);
    }
    return TUI_REDRAW;
}

static int
act_sort(struct tui *t, const struct key *k)
{
    struct view *v = cur_view(t);
    int n = v->ops->ncols, c = v->sort;
    (void)k;
    /* Only the columns on screen, then the catalog order. */
    do {
        c = c + 1 >= n ? -1 : c + 1;
    } while (c >= 0 && ((!v->ops->cols[c].num && !v->ops->cols[c].str) ||
                        (v->shown && c < 32 && !(v->shown & 1u << c))));
    v->sort = c;
    v->desc = false;
    view_rebuild(t, v);
    tui_set_message(t, false, "sorted by %s", c >= 0 ? v->ops->cols[c].title : "catalog order");
    return TUI_REDRAW;
}

/* The sort menu: every sortable column (the current one with its arrow;
 * choosing it again reverses it), then the catalog order. */
static int
act_sort_menu(struct tui *t, const struct key *k)
{
    struct view *v = cur_view(t);
    int n = 0;
    (void)k;
    dialog_close(t);
    t->dialog.mode = DIALOG_MENU;
    tui_text_set(&t->dialog.title, "Sort %s by (Enter chooses, Esc cancels)",
             v->ops->title);
    t->dialog.choice = 0;
    for (int c = 0; c < v->ops->ncols && n < DIALOG_MAX_CHOICES - 1; c++) {
        if (!v->ops->cols[c].num && !v->ops->cols[c].str)
            continue;
        tui_text_set(&t->dialog.choice_text[n], "%s %s%s",
                 v->ops->cols[c].title, v->sort == c ? view_sort_arrow(v) : "",
                 v->sort == c ? " (again: reverse)" : "");
        snprintf(t->dialog.choice_arg[n], sizeof t->dialog.choice_arg[n], "sort:%d", c);
        if (v->sort == c)
            t->dialog.choice = n;
        n++;
    }
    tui_text_set(&t->dialog.choice_text[n], "catalog order%s",
             v->sort < 0 ? " (now)" : "");
    snprintf(t->dialog.choice_arg[n], sizeof t->dialog.choice_arg[n], "sort:-1");
    if (v->sort < 0)
        t->dialog.choice = n;
    t->dialog.nchoices = n + 1;
    return TUI_REDRAW;
}

void
tui_sort_chosen(struct tui *t, int c)
{
    struct view *v = cur_view(t);

    if (c >= 0 && c == v->sort)
        v->desc = !v->desc;
    else
        v->desc = false;
    v->sort = c;
    view_rebuild(t, v);
    tui_set_message(t, false, "sorted by %s%s", c >= 0 ? v->ops->cols[c].title : "catalog order",
                    c >= 0 ? view_sort_arrow(v) : "");
}

static int
act_reverse(struct tui *t, const struct key *k)
{
    struct view *v = cur_view(t);
    (void)k;
    if (v->sort < 0) {
        tui_set_message(t, false, "choose a sort column with s first");
        return TUI_REDRAW;
    }
    v->desc = !v->desc;
    view_rebuild(t, v);
    return TUI_REDRAW;
}

int
act_open(struct tui *t, const struct key *k)
{
    struct detail *d;
    (void)k;
    if (view_current(t, cur_view(t)) < 0)
        return TUI_REDRAW;
    d = current_detail(t);
    if (d->sel < 0) {
        tui_set_message(t, false, "nothing to follow in %s", d->title ? d->title : "the pane");
        return TUI_REDRAW;
    }
    t->focus = FOCUS_DETAIL;
    return TUI_REDRAW;
}

int
act_follow(struct tui *t, const struct key *k)
{
    struct detail *d = current_detail(t);
    (void)k;
    if (d->sel < 0 || d->sel >= d->n || d->line[d->sel].ref == REF_NONE)
        return TUI_REDRAW;
    tui_jump(t, d->line[d->sel].ref, d->line[d->sel].id);
    return TUI_REDRAW;
}

/* The object the user means: the detail line under the cursor when the
 * pane has focus, else the selected row's object. */
bool
target_object(struct tui *t, enum obj_kind *kind, int32_t *id)
{
    struct view *v = cur_view(t);
    int32_t row = view_current(t, v);

    if (t->focus == FOCUS_DETAIL) {
        struct detail *d = current_detail(t);
        if (d->sel >= 0 && d->line[d->sel].ref < OBJ_KIND_COUNT) {
            *kind = (enum obj_kind)d->line[d->sel].ref;
            *id = d->line[d->sel].id;
            return true;
        }
    }
    if (row < 0 || !v->ops->object)
        return false;
    if (showing(t, &map_view) && v->hcol >= 0 && v->hcol < t->nmap_regions) {
        int32_t p = model_placement_of(t->m, row, t->map_regions[v->hcol], SM_NONE);
        if (p >= 0) {
            *kind = OBJ_PLACEMENT;
            *id = p;
            return true;
        }
    }
    return v->ops->object(t, row, kind, id);
}

static int32_t
target_finding(struct tui *t)
{
    struct view *v = cur_view(t);

    if (!t->res)
        return SM_NONE;
    if (t->focus == FOCUS_DETAIL) {
        struct detail *d = current_detail(t);
        if (d->sel >= 0 && d->line[d->sel].ref == REF_FINDING)
            return d->line[d->sel].id;
    }
    if (showing(t, &findings_view))
        return view_current(t, v);
    return SM_NONE;
}

static int
act_add(struct tui *t, const struct key *k)
{
    enum obj_kind kind = cur_view(t)->ops->kind;
    (void)k;
    if (showing(t, &map_view)) {
        kind = OBJ_PLACEMENT;
    }
    if (kind >= OBJ_KIND_COUNT) {
        tui_set_message(t, true, "nothing to add here: %s are derived by the checker",
                         cur_view(t)->ops->name);
        return TUI_REDRAW;
    }
    if (kind == OBJ_PLACEMENT) {
        int32_t row = view_current(t, cur_view(t));
        form_open_add(t, kind, row >= 0 ? t->m->datasets[row].name : NULL, NULL, NULL);
    } else {
        form_open_add(t, kind, NULL, NULL, NULL);
    }
    return TUI_REDRAW;
}

static int
act_add_copy(struct tui *t, const struct key *k)
{
    int32_t row = view_current(t, cur_view(t));
    (void)k;
    form_open_add(t, OBJ_PLACEMENT, row >= 0 ? t->m->datasets[row].name : NULL,
                  showing(t, &map_view) && cur_view(t)->hcol < t->nmap_regions ? "region" : NULL,
                  showing(t, &map_view) && cur_view(t)->hcol < t->nmap_regions && t->nmap_regions
                      ? t->m->regions[t->map_regions[cur_view(t)->hcol]].id : NULL);
    return TUI_REDRAW;
}

static int
act_add_flow(struct tui *t, const struct key *k)
{
    int32_t row = view_current(t, cur_view(t)), p;
    char *sel;
    (void)k;
    if (row < 0 || (p = model_primary(t->m, row)) < 0) {
        form_open_add(t, OBJ_FLOW, NULL, NULL, NULL);
        return TUI_REDRAW;
    }
    sel = model_selector_dup(t->m, OBJ_PLACEMENT, p);
    form_open_add(t, OBJ_FLOW, NULL, sel ? "from" : NULL, sel);
    free(sel);
    return TUI_REDRAW;
}

static int
act_edit(struct tui *t, const struct key *k)
{
    enum obj_kind kind;
    int32_t id;
    (void)k;
    if (!target_object(t, &kind, &id)) {
        tui_set_message(t, true, "nothing selected to edit");
        return TUI_REDRAW;
    }
    if (kind == OBJ_REGION && t->m->regions[id].builtin) {
        tui_set_message(t, true, "%s is a shipped region (data/regions.json): add your own "
                        "region instead", t->m->regions[id].id);
        return TUI_REDRAW;
    }
    form_open_edit(t, kind, id);
    return TUI_REDRAW;
}

static void
count_dependents(struct tui *t, enum obj_kind kind, int32_t id, char *buf, size_t size)
{
    int copies = 0, flows = 0;

    buf[0] = 0;
    if (kind == OBJ_DATASET) {
        for (int32_t p = t->m->datasets[id].first_placement; p >= 0; p = t->m->placements[p].next)
            copies += !t->m->placements[p].deleted;
        for (int32_t f = id < t->nd ? t->ds_out[id] : SM_NONE; f >= 0; f = t->fl_next_out[f])
            flows++;
        for (int32_t f = id < t->nd ? t->ds_in[id] : SM_NONE; f >= 0; f = t->fl_next_in[f])
            flows++;
        snprintf(buf, size, " with its %d cop%s and %d flow%s", copies, copies == 1 ? "y" : "ies",
                 flows, flows == 1 ? "" : "s");
    } else if (kind == OBJ_PLACEMENT) {
        int32_t ds = t->m->placements[id].dataset;
        for (int32_t f = ds < t->nd ? t->ds_out[ds] : SM_NONE; f >= 0; f = t->fl_next_out[f])
            flows += t->m->flows[f].from == id || t->m->flows[f].to == id;
        for (int32_t f = ds < t->nd ? t->ds_in[ds] : SM_NONE; f >= 0; f = t->fl_next_in[f])
            flows += t->m->flows[f].to == id;
        if (flows)
            snprintf(buf, size, " with its %d flow%s", flows, flows == 1 ? "" : "s");
    }
}

static int
act_delete(struct tui *t, const struct key *k)
{
    enum obj_kind kind;
    int32_t id;
    char *sel, dep[128];        /* bounded: dep holds counts, " with its 2 copies and 3 flows" */
    struct edit e;
    (void)k;
    if (!target_object(t, &kind, &id)) {
        tui_set_message(t, true, "nothing selected to delete");
        return TUI_REDRAW;
    }
    if (kind == OBJ_REGION && t->m->regions[id].builtin) {
        tui_set_message(t, true, "%s is a shipped region and cannot be deleted",
                        t->m->regions[id].id);
        return TUI_REDRAW;
    }
    if (!(sel = model_selector_dup(t->m, kind, id))) {
        tui_set_message(t, true, "out of memory");
        return TUI_REDRAW;
    }
    count_dependents(t, kind, id, dep, sizeof dep);
    dialog_close(t);
    memset(&e, 0, sizeof e);
    e.op = EDIT_REMOVE;
    e.kind = kind;
    e.key = sel;
    t->dialog.mode = DIALOG_CONFIRM;
    t->dialog.destructive = !t->scen.on;    /* in a scenario it is an op, u takes it out */
    tui_text_set(&t->dialog.title, "Delete %s?", obj_kind_names[kind]);
    t->dialog.nchoices = 1;
    tui_text_set(&t->dialog.choice_text[0], "Delete %s %s%s?",
             obj_kind_names[kind], sel, dep);
    t->dialog.edits[0] = edit_dup(&e);
    free(sel);
    if (!t->dialog.edits[0]) {
        dialog_close(t);
        tui_set_message(t, true, "out of memory");
    }
    return TUI_REDRAW;
}

static int
act_fix(struct tui *t, const struct key *k)
{
    int32_t f = target_finding(t);
    (void)k;
    if (f < 0) {
        tui_set_message(t, true, "select a finding first (view 5)");
        return TUI_REDRAW;
    }
    fix_open(t, f);
    return TUI_REDRAW;
}

static int
act_waive(struct tui *t, const struct key *k)
{
    int32_t f = target_finding(t);
    (void)k;
    if (f < 0) {
        tui_set_message(t, true, "select a finding first (view 5)");
        return TUI_REDRAW;
    }
    if (t->res->findings[f].waived) {
        tui_set_message(t, true, "already waived; edit or delete waiver %s:%s instead",
                        t->res->findings[f].rule, t->res->findings[f].selector);
        return TUI_REDRAW;
    }
    form_open_waive(t, f);
    return TUI_REDRAW;
}

static int
act_leftright(struct tui *t, int d)
{
    struct view *v = cur_view(t);
    if (showing(t, &map_view)) {
        v->hcol += d;
        if (v->hcol >= t->nmap_regions)
            v->hcol = t->nmap_regions - 1;
        if (v->hcol < 0)
            v->hcol = 0;
        return TUI_REDRAW;
    }
    /* A list wider than the screen scrolls its columns (the first one
     * stays); at either end h leaves the pane and l goes into it. */
    if (t->focus == FOCUS_LIST && !v->ops->draw &&
        ((d > 0 && v->hmore) || (d < 0 && v->hscroll > 0))) {
        v->hscroll += d;
        return TUI_REDRAW;
    }
    if (d < 0 && t->focus == FOCUS_DETAIL)
        t->focus = FOCUS_LIST;
    else if (d > 0 && t->focus == FOCUS_LIST && !t->pane_hidden)
        return act_open(t, NULL);
    return TUI_REDRAW;
}

static int
act_zoom(struct tui *t, const struct key *k)
{
    (void)k;
    t->zoom = !t->zoom;
    if (t->zoom && t->focus == FOCUS_DETAIL)
        t->pane_hidden = false;
    tui_set_message(t, false, t->zoom ? (t->focus == FOCUS_DETAIL ? "detail pane zoomed; z again shows both"
                                                                  : "list zoomed; z again shows both")
                                      : "both panes");
    return TUI_REDRAW;
}

static int
act_toggle_pane(struct tui *t, const struct key *k)
{
    (void)k;
    t->pane_hidden = !t->pane_hidden;
    t->zoom = false;
    if (t->pane_hidden)
        t->focus = FOCUS_LIST;
    tui_set_message(t, false, t->pane_hidden ? "detail pane hidden; | shows it" : "detail pane shown");
    return TUI_REDRAW;
}

static int act_left(struct tui *t, const struct key *k) { (void)k; return act_leftright(t, -1); }
static int act_right(struct tui *t, const struct key *k) { (void)k; return act_leftright(t, 1); }

static int
act_command(struct tui *t, const struct key *k)
{
    (void)k;
    if (!t->ops.command) {
        tui_set_message(t, true, "commands are not available here");
        return TUI_REDRAW;
    }
    t->prompt = PROMPT_COMMAND;
    snprintf(t->prompt_label, sizeof t->prompt_label, ":");
    line_set(&t->input, "");
    t->cmdh.pos = t->cmdh.n;
    return TUI_REDRAW;
}

static int act_detail_pager(struct tui *t, const struct key *k) { (void)k; detail_pager(t); return TUI_REDRAW; }
static int act_redraw(struct tui *t, const struct key *k) { (void)t; (void)k; return TUI_FULL_REDRAW; }
static int act_suspend(struct tui *t, const struct key *k) { (void)t; (void)k; return TUI_SUSPEND; }
static int act_none(struct tui *t, const struct key *k) { (void)t; (void)k; return 0; }

static int (*const handlers[ACT_COUNT])(struct tui *, const struct key *) = {
    [ACT_NONE] = act_none,          [ACT_QUIT] = act_quit,
    [ACT_HELP] = act_help,          [ACT_NEXT_VIEW] = act_next_view,
    [ACT_PREV_VIEW] = act_prev_view,
    [ACT_VIEW_1] = act_view_n, [ACT_VIEW_2] = act_view_n, [ACT_VIEW_3] = act_view_n,
    [ACT_VIEW_4] = act_view_n, [ACT_VIEW_5] = act_view_n, [ACT_VIEW_6] = act_view_n,
    [ACT_VIEW_7] = act_view_n, [ACT_VIEW_8] = act_view_n, [ACT_VIEW_9] = act_view_n, [ACT_DIFF] = act_diff,
    [ACT_TIER_MATRIX] = act_tier_matrix,
    [ACT_SCENARIO] = act_scenario,
    [ACT_COMMAND] = act_command,    [ACT_EXPORT] = act_export,
    [ACT_UNDO] = act_undo,          [ACT_REDO] = act_redo,
    [ACT_RELOAD] = act_reload,
    [ACT_BACK] = act_back,          [ACT_REDRAW] = act_redraw,
    [ACT_SUSPEND] = act_suspend,    [ACT_INTERRUPT] = act_interrupt,
    [ACT_MOVE_DOWN] = act_down,     [ACT_MOVE_UP] = act_up,
    [ACT_PAGE_DOWN] = act_pgdn,     [ACT_PAGE_UP] = act_pgup,
    [ACT_TOP] = act_top,            [ACT_BOTTOM] = act_bottom,
    [ACT_SEARCH] = act_search,      [ACT_CLEAR] = act_clear,
    [ACT_SORT] = act_sort,          [ACT_REVERSE] = act_reverse,
    [ACT_OPEN] = act_open,          [ACT_FOLLOW] = act_follow,
    [ACT_ADD] = act_add,            [ACT_ADD_COPY] = act_add_copy,
    [ACT_ADD_FLOW] = act_add_flow,  [ACT_EDIT] = act_edit,
    [ACT_DELETE] = act_delete,      [ACT_FIX] = act_fix,
    [ACT_WAIVE] = act_waive,        [ACT_LEFT] = act_left,
    [ACT_RIGHT] = act_right,        [ACT_DETAIL_PAGER] = act_detail_pager,
    [ACT_SORT_MENU] = act_sort_menu, [ACT_ZOOM] = act_zoom,
    [ACT_TOGGLE_PANE] = act_toggle_pane,
};

/* The actions that write the catalog (a scenario's ops are stored in it). */
static bool
writes(enum action a)
{
    switch (a) {
    case ACT_ADD: case ACT_ADD_COPY: case ACT_ADD_FLOW: case ACT_EDIT: case ACT_DELETE:
    case ACT_FIX: case ACT_WAIVE: case ACT_UNDO: case ACT_REDO: case ACT_SCENARIO:
        return true;
    default:
        return false;
    }
}

/* ---- keys --------------------------------------------------------------------- */

int
tui_key(struct tui *t, const struct key *k)
{
    enum action a = ACT_NONE;
    struct view *v = cur_view(t);
    int r;

    if (k->code == TK_RESIZE)
        return TUI_REDRAW;
    if (age_message(t, k))
        return TUI_REDRAW;
    if (t->too_small && k->code != 'q' && k->code != TK_CTRL('c'))
        return 0;
    /* Suspend works from a form, prompt or dialog too (what was typed is
     * kept for `fg`), unless the user bound the key to something there. */
    if ((t->prompt != PROMPT_NONE || t->dialog.mode != DIALOG_NONE || t->form.open) &&
        keymap_lookup(&t->keys, KEYMAP_GLOBAL, k->code) == ACT_SUSPEND &&
        keymap_lookup(&t->keys, KEYMAP_FORM, k->code) == ACT_NONE &&
        keymap_lookup(&t->keys, KEYMAP_EDIT, k->code) == ACT_NONE)
        return TUI_SUSPEND;
    if (t->prompt != PROMPT_NONE)
        return prompt_key(t, k);
    if (t->dialog.mode != DIALOG_NONE)
        return dialog_key(t, k);
    if (t->form.open)
        return form_key(t, k);
    if (t->matrix.mx)
        return matrix_key(t, k);
    /* every key sees the catalog as it is now (one PRAGMA when unchanged) */
    sync_catalog(t, false);
    v = cur_view(t);
    if (k->code == TK_CLICK || k->code == TK_DCLICK || k->code == TK_WHEEL_UP ||
        k->code == TK_WHEEL_DOWN)
        return mouse_key(t, k);
    if (t->focus == FOCUS_DETAIL)
        a = keymap_lookup(&t->keys, KEYMAP_DETAIL, k->code);
    if (a == ACT_NONE && v->ops->keymap != KEYMAP_LIST)
        a = keymap_lookup(&t->keys, v->ops->keymap, k->code);
    if (a == ACT_NONE && t->focus == FOCUS_LIST)
        a = keymap_lookup(&t->keys, KEYMAP_LIST, k->code);
    if (a == ACT_NONE)
        a = keymap_lookup(&t->keys, KEYMAP_GLOBAL, k->code);
    if (a >= ACT_VIEW_1 && a <= ACT_VIEW_9)
        return act_view(t, a);
    if (t->readonly && writes(a)) {
        tui_set_message(t, true, "%s is read-only: browsing only (%s needs a catalog that "
                        "can be written)", t->catalog, action_names[a]);
        return TUI_REDRAW;
    }
    r = handlers[a] ? handlers[a](t, k) : 0;
    if (t->quit)
        r |= TUI_QUIT;
    return r;
}

int
tui_feed(struct tui *t, const char *script, struct sm_error *err)
{
    struct key k = { 0, 0, 0 };
    int n;

    while (!t->quit && (n = key_next(script, &k.code)) != 0) {
        if (n < 0)
            return sm_error_set(err, SM_EINVAL, "unknown key in script at \"%s\"", script);
        tui_key(t, &k);
        script += n;
    }
    return SM_OK;
}

/* ---- life cycle ----------------------------------------------------------------- */

struct tui *
tui_new(struct model *m, const struct tui_ops *ops, const struct tui_options *o,
        struct sm_error *err)
{
    struct tui *t = calloc(1, sizeof *t);

    if (!t) {
        sm_error_set(err, SM_ENOMEM, "out of memory");
        return NULL;
    }
    t->m = m;
    t->ops = *ops;
    if (o && o->keys)
        t->keys = *o->keys;
    else
        keymap_init(&t->keys);
    tui_text_set(&t->catalog, "%s", o && o->catalog ? o->catalog : "");
    tui_text_set(&t->user, "%s", o && o->user ? o->user : "");
    tui_text_free(&t->scen.name);
    tui_text_free(&t->scen.last_op);
    tui_text_free(&t->msg);
    form_close(t);              /* the texts of both "" */
    dialog_close(t);
    t->today = o ? o->today : 0;
    t->juris = o ? o->juris : NULL;
    t->rule_texts = o ? o->rule_texts : NULL;
    t->commands = o ? o->commands : NULL;
    t->readonly = o && o->readonly;
    cmdh_load(t, o ? o->history : NULL);
    t->detail.view = NULL;
    for (int i = 0; i < TUI_NVIEWS; i++) {
        t->views[i].ops = tui_views[i];
        t->views[i].sort = tui_views[i]->default_sort;
        tui_text_free(&t->views[i].filter);
        tui_text_free(&t->views[i].built_filter);
    }
    if (o && o->defer_check && ops->check) {
        t->unchecked = true;
        tui_derive(t);
    } else {
        recheck(t, NULL);
    }
    if (t->msg_error && t->msg[0])
        sm_error_set(err, SM_OK, "%s", t->msg);
    else if (o && o->message)
        tui_set_message(t, false, "%s", o->message);
    switch_view(t, 0);
    return t;
}

void
tui_free(struct tui *t)
{
    if (!t)
        return;
    dialog_close(t);
    form_close(t);
    line_fini(&t->input);
    tui_text_free(&t->msg);
    tui_text_free(&t->catalog);
    tui_text_free(&t->user);
    tui_text_free(&t->scen.name);
    tui_text_free(&t->scen.last_op);
    cmdh_free(t);
    free(t->export_confirmed);
    matrix_close(t);
    if (t->scen.on) {
        scenario_change_set_fini(&t->scen.cs);
        t->res = t->scen.base_res;
    }
    clear_stack(t->undo, &t->nundo);
    clear_stack(t->redo, &t->nredo);
    if (t->res && t->ops.check_free)
        t->ops.check_free(t->ops.ctx, t->res);
    detail_clear(&t->detail);
    for (int i = 0; i < TUI_NVIEWS; i++) {
        if (t->views[i].ops && t->views[i].ops->fini)
            t->views[i].ops->fini(&t->views[i]);
        if (!t->views[i].rows_order)
            free(t->views[i].rows);
        if (!t->views[i].disp_rows)
            free(t->views[i].disp);
        free(t->views[i].order);
        free(t->views[i].pairs);
        free((void *)t->views[i].colrank);
        free(t->views[i].match);
        tui_text_free(&t->views[i].filter);
        tui_text_free(&t->views[i].built_filter);
    }
    free(t->ds_out);
    free(t->ds_in);
    free(t->fl_next_out);
    free(t->fl_next_in);
    free(t->ds_copies);
    free(t->ds_home);
    free(t->ds_nfind);
    free(t->ds_worst);
    free(t->pl_worst);
    free(t->pl_waived);
    free(t->fl_worst);
    free(t->fl_waived);
    free(t->rg_copies);
    free(t->tier_count);
    free(t->map_regions);
    free(t);
}
