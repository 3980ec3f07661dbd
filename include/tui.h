/*
 * tui.h - the interactive application: views over the model, a detail
 * pane, forms, undo, quick fixes and exports, driven by keys and drawn
 * into a struct screen. It does not include curses (term.h does the
 * terminal) and does not talk to the catalog or the checker directly:
 * the caller passes tui_ops (cmd_tui.c binds them to store_apply,
 * check_run and the CLI commands; tests bind them to edit_apply).
 */
#ifndef TUI_H
#define TUI_H

#include "model.h"
#include "edit.h"
#include "keymap.h"
#include "screen.h"
#include "theme.h"

struct check_result;
struct scenario_change_set;

struct tui_ops {
    void *ctx;
    /* Apply one edit to m and save it (one transaction with its audit
     * entry). On failure m is unchanged and err says why. Required. */
    int  (*apply)(void *ctx, struct model *m, const struct edit *e,
                  struct edit_result *res, struct sm_error *err);
    /* Undo an applied edit exactly (res from apply); called again it
     * redoes it (store_revert / edit_revert). Required. */
    int  (*revert)(void *ctx, struct model *m, struct edit_result *res,
                   struct sm_error *err);
    /* Check m; NULL when there is no checker (no findings shown). */
    int  (*check)(void *ctx, const struct model *m, struct check_result **out,
                  struct sm_error *err);
    void (*check_free)(void *ctx, struct check_result *r);
    /* Run a sovmap command (argv[0] is its name: "export", "log" ...);
     * its standard output goes to *out (heap, caller frees). Returns the
     * command's exit code; NULL disables ':' and exports. */
    int  (*command)(void *ctx, int argc, char **argv, char **out);
    /* The model after a command (a command may replace it); NULL: same. */
    struct model *(*model)(void *ctx);
    /* Evaluate scenario `name` of base against base itself (both checked,
     * and their diff: scenario_change_set). NULL: no scenario mode. The
     * mode stores its ops with command("scenario", "add"|"rm", ...). */
    int  (*scenario)(void *ctx, const struct model *base, const char *name,
                     struct scenario_change_set *out, struct sm_error *err);
    /* Another process may write the catalog: when it changed since the
     * model was loaded (or always, with force), load it again (model then
     * returns the new one; the old one stays valid until the next sync),
     * set *reloaded and describe the change in summary ("+1 dataset").
     * Also called after apply or revert failed with SM_ESTALE. NULL: the
     * model is the TUI's alone. */
    int  (*sync)(void *ctx, bool force, bool *reloaded, char *summary, size_t size,
                 struct sm_error *err);
    /* The TUI holds nothing of the model a sync replaced any more (it has
     * re-checked the new one, outside scenario mode): the old one may go,
     * so a TUI open through a nightly import holds one model, not two.
     * NULL: nothing to free. */
    void (*settled)(void *ctx);
};

struct export_juris;

struct tui_options {
    const char *catalog;        /* shown in the title bar */
    int32_t today;              /* yyyymmdd, for waiver expiry defaults */
    const struct keymap *keys;  /* NULL: the defaults */
    const char *message;        /* first status message, e.g. a hint */
    const char *user;           /* default waiver owner */
    const struct export_juris *juris;   /* jurisdiction groups for exports
                                         * (borrowed); NULL: by country */
    bool defer_check;           /* tui_new does not check: tui_run draws the
                                 * first frame, then checks (big catalogs) */
    const char *const *rule_texts;  /* per built-in rule (rules.h order): its
                                     * text as `sovmap explain` prints it, or
                                     * NULL (borrowed: must outlive the tui);
                                     * the finding pane shows it */
    const char *history;        /* file the `:` history is kept in, or NULL */
    const char *const *commands;    /* NULL-terminated "verb" and "verb sub"
                                     * names `:` completes (borrowed) */
    bool readonly;              /* the catalog cannot be written: browse */
};

enum { TUI_MIN_W = 80, TUI_MIN_H = 24 };

/* Reaction flags returned by tui_key. */
enum { TUI_REDRAW = 1, TUI_QUIT = 2, TUI_SUSPEND = 4, TUI_FULL_REDRAW = 8 };

struct tui;

/* m is borrowed (it must outlive the tui); ops and opts are copied.
 * Runs the first check. NULL and err on failure. */
struct tui *tui_new(struct model *m, const struct tui_ops *ops,
                    const struct tui_options *opts, struct sm_error *err);
void tui_free(struct tui *t);

/* Run the checker now (after a deferred start, or to refresh). */
void tui_recheck(struct tui *t);
/* True until the first check has run. */
bool tui_unchecked(const struct tui *t);

/* Nothing typed for a while: look for other writers' changes (ops.sync).
 * TUI_REDRAW when the catalog was reloaded, else 0. */
int  tui_idle(struct tui *t);
/* Handle one key (TK_RESIZE carries the new size in x, y). */
int  tui_key(struct tui *t, const struct key *k);
/* Draw the whole UI into s (its size is the terminal's). No allocation. */
void tui_draw(struct tui *t, struct screen *s);
/* Feed a key script ("/orders<Enter>j"): <Name> is a key, the rest is
 * typed. SM_EINVAL for an unknown <Name>. Stops after a quit. */
int  tui_feed(struct tui *t, const char *script, struct sm_error *err);
bool tui_quit(const struct tui *t);
/* The status message, for tests and scripts. */
const char *tui_message(const struct tui *t);
/* The finding counts shown in the status bar. */
void tui_counts(const struct tui *t, int *errors, int *warnings, int *waived);

/* The interactive loop on the terminal (term.h). Returns SM_OK when the
 * user quit, an error when no terminal could be used (err says why). */
int  tui_run(struct tui *t, const struct theme *th, struct sm_error *err);

#endif
