/*
 * app.h - what the parts of the TUI application (app.c, derive.c, scen.c,
 * prompt.c, draw.c) share beyond views.h. Private to src/tui/.
 */
#ifndef TUI_APP_H
#define TUI_APP_H

#include "views.h"

/* The per-object facts an edit of a few datasets changes, taken out
 * before it (derive_begin) and put back after (derive_end). */
struct derive_pre {
    int32_t *ds;                /* datasets taken out, ascending, unique */
    int32_t n;
    bool on;
    int32_t nd, np, nf, nr, nt; /* the model's sizes before the edit */
};

/* The export menu's items (app.c). */
struct export_item {
    const char *format;
    const char *label;
    const char *file;
    int view;
    bool focus;
};
extern const struct export_item export_items[];

/* app.c: edits, undo, views, actions, keys */
void clear_stack(struct undo_entry *stack, int *n);
bool target_object(struct tui *t, enum obj_kind *kind, int32_t *id);
bool sync_catalog(struct tui *t, bool force);
void tui_settle(struct tui *t);
struct view *cur_view(struct tui *t);
void switch_view(struct tui *t, int i);
struct detail *current_detail(struct tui *t);
int act_open(struct tui *t, const struct key *k);
int act_follow(struct tui *t, const struct key *k);

/* app_export.c: the export menu, the diff and tier-matrix pagers */
int32_t focus_dataset(struct tui *t);
int export_write(struct tui *t, int item, const char *path);
int act_export(struct tui *t, const struct key *k);
int act_diff(struct tui *t, const struct key *k);
int act_tier_matrix(struct tui *t, const struct key *k);

/* derive.c: derived facts, the re-check and its message */
void derive_begin(struct tui *t, struct derive_pre *pre, const struct check_touch *touch);
void derive_cancel(struct tui *t, struct derive_pre *pre);
void derive_end(struct tui *t, struct derive_pre *pre, const struct check_touch *touch,
                const struct check_change *chg);
void recheck(struct tui *t, const char *what);
void recheck_touched(struct tui *t, const struct check_touch *touch,
                     struct derive_pre *pre, const char *what);
void touch_result(struct check_touch *touch, const struct model *m,
                  const struct edit_result *res);

/* scen.c: scenario mode */
int scen_apply_edit(struct tui *t, const struct edit *e, const char *what);
int scen_undo(struct tui *t, bool undo);
void scen_leave(struct tui *t);
int scen_diff_pager(struct tui *t);
void scen_reeval(struct tui *t, const char *what);
void scen_delta_text(const struct tui *t, char *buf, size_t size);
int act_scenario(struct tui *t, const struct key *k);

/* app.c: sort the current view by column c (-1: the catalog order; the
 * sorted column again: reversed), from the sort menu */
void tui_sort_chosen(struct tui *t, int c);

/* prompt.c: prompts, dialogs, mouse */
void run_command(struct tui *t, const char *cmdline);
void run_argv(struct tui *t, const char *label, int argc, char **argv);
int prompt_key(struct tui *t, const struct key *k);
int dialog_key(struct tui *t, const struct key *k);
int mouse_key(struct tui *t, const struct key *k);

/* draw.c */
void draw_box(struct screen *s, int x, int y, int w, int h, const char *title);

#endif
