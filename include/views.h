/*
 * views.h - the TUI's inside, shared by src/tui/app.c (and its parts),
 * views.c, detail.c and form.c: the application state, the view registry (one const
 * struct view_ops per view), the detail pane, forms and dialogs. Not for
 * use outside src/tui/ (and its tests).
 */
#ifndef VIEWS_H
#define VIEWS_H

#include "tui.h"
#include "check.h"
#include "scenario.h"

struct tui;
struct view;
struct detail;
struct tier_matrix;

/* ---- lists ------------------------------------------------------------------ */

/* A string column whose strings are the names of a few objects (a
 * dataset's tier, its home region): the object of a row (-1: none, the
 * string ""), how many objects there are, and their names. Sorting ranks
 * the few names once and the rows by that rank: the order str gives. */
struct dom_col {
    int32_t (*dom)(struct tui *t, int32_t row);
    int32_t (*n)(struct tui *t);
    const char *(*name)(struct tui *t, int32_t i);
};

/* How a column's width is chosen (view_list.c, layout_cols): every
 * column asks for its widest cell among the rows on screen; when they do
 * not all fit, free text gives way first, then names, then keys
 * (selectors, regions: the widest first), short columns never; when even
 * that is not enough, columns are dropped, the highest prio first. */
enum col_fit {
    COL_SHORT,                  /* enums, numbers: always whole, or dropped */
    COL_KEY,                    /* selectors, regions: cut last */
    COL_NAME,                   /* an object's name */
    COL_FREE,                   /* free text: cut first, takes what is left */
};

struct column {
    const char *title;
    enum col_fit fit;
    int prio;                   /* dropped first when high; 0 never */
    bool right;                 /* right aligned (numbers) */
    /* Cell text into buf; may set *style (a role) */
    void (*text)(struct tui *t, int32_t row, char *buf, size_t n, int *style);
    /* Sort key: a number, or a string (one of the two). */
    int64_t (*num)(struct tui *t, int32_t row);
    const char *(*str)(struct tui *t, int32_t row);
    /* The key reads the check result (finding counts, a status): an order
     * by it does not survive a re-check. */
    bool result;
    const struct dom_col *dom;  /* str names one of a few objects; NULL */
};

struct view_ops {
    const char *name;           /* "datasets" */
    const char *title;          /* "Datasets" */
    enum keymap_id keymap;      /* its own key map, before LIST and GLOBAL */
    enum obj_kind kind;         /* kind added with `a`; OBJ_KIND_COUNT: none */
    const struct column *cols;
    int ncols;
    int default_sort;           /* column, or -1 to keep the base order */
    int32_t (*count)(struct tui *t);                    /* base rows 0..n-1 */
    bool (*visible)(struct tui *t, int32_t row);        /* NULL: all */
    int  (*group)(struct tui *t, int32_t row);          /* NULL: no groups */
    /* Groups only in the default order: sorted by another column, the
     * rows are listed across the groups (Regions by copies). */
    bool flat_sorts;
    void (*group_title)(struct tui *t, int g, int32_t n, char *buf, size_t size);
    const char *(*filter_text)(struct tui *t, int32_t row, char *buf, size_t n);
    /* filter_text returns a string of the model and never writes buf (a
     * name): the filter can then look up many rows before reading any. */
    bool filter_name;
    /* With filter_name: the kind of object a row is (row r is object r;
     * its name is the filter text, its deleted flag hides it), so that a
     * change the model says left those objects' names and deleted flags
     * alone (model_rows_kept) keeps what was built on them. */
    enum obj_kind row_kind;
    /* Rows are the check result's (findings, transfers): no order of them
     * survives a re-check. */
    bool result_rows;
    void (*detail)(struct tui *t, int32_t row, struct detail *d);
    /* The model object of a row (for edit, delete, jump). */
    bool (*object)(struct tui *t, int32_t row, enum obj_kind *kind, int32_t *id);
    /* What the view keeps of its own (view->priv), freed with the TUI. */
    void (*fini)(struct view *v);
    /* Custom drawing (the map); NULL draws the list. */
    void (*draw)(struct tui *t, struct view *v, struct screen *s,
                 int x, int y, int w, int h);
};

#define VIEW_NGROUPS (SM_CC_COUNT + 8)

/* A run of filter texts lying end to end (struct view: tseg). */
struct text_seg {
    const char *base;           /* the first row's text */
    int32_t first;              /* its row */
    uint32_t len;               /* bytes of the run, every NUL included */
};

struct sort_pair {
    uint64_t key;
    int32_t row;
};

struct view {
    const struct view_ops *ops;
    int32_t *order;             /* every visible row, sorted (no filter) */
    int32_t norder, caporder;
    uint64_t order_gen;         /* t->gen when order was built; 0 never */
    int order_sort;
    bool order_desc;
    /* The model order was built on (its address, generation and a hash
     * of the sizes and the scenario): an order that depends on the model
     * only stays good through re-checks that leave the model as it was. */
    const struct model *order_m;
    uint64_t order_mgen, order_fp;  /* order_fp 0: not reusable */
    /* A name list (filter_name) in catalog or name order, and its filter
     * texts, depend on the rows' names and which rows are hidden alone:
     * sig hashes every row's name (its address) and hidden flag, for the
     * model and generation in sig_m and sig_mgen; order_sig and text_sig
     * are what they were built on (0: unknown). After an edit elsewhere
     * (another object, another attribute) they are still good. */
    uint64_t sig, sig_mgen, order_sig;
    const struct model *sig_m;
    /* psig: the same over the names alone; order_psig over the order_n
     * rows the name order was built on. An edit that only hid, showed or
     * added rows leaves it: the name order is then repaired, not made. */
    uint64_t psig, order_psig;
    int32_t order_n;
    struct sort_pair *pairs;    /* radix sort scratch, kept for small views */
    /* The rank of every row's string in one column of few distinct values
     * (a dataset's system), in its own array (view_colrank_free): built
     * after the first check, good while the model is (as order_m ...). */
    const int32_t *colrank;
    int32_t ncolrank, colrank_keys;
    int colrank_col;
    const struct model *colrank_m;
    uint64_t colrank_mgen, colrank_fp;
    uint64_t colrank_psig;      /* the rows' strings' addresses, hashed */
    bool partial;               /* order holds only the first page (first frame) */
    uint8_t *match;             /* per base row: matches the filter */
    int32_t capmatch;
    /* The filter texts of a name view (filter_name): the rows' names one
     * after the other in row order, in runs (tseg[0..ntseg-1]; tseg[ntseg]
     * a sentinel whose first is ntext): tseg[s].base + toff[r] is row r's
     * name, for the rows from tseg[s].first to tseg[s + 1].first. Where the
     * model's names already lie end to end (a model from the load
     * snapshot), the runs are the model's own bytes (text_own false; ASCII
     * capitals in them: text_upper); otherwise one run, a copy in the match
     * block with ASCII letters in lower case (text_own). toff and tseg are
     * kept in the match block after the flags. Built after the first
     * check, good while the model is the one it was built on (as order_m
     * ...); ntext 0: none. */
    size_t capblock;            /* bytes of the match block */
    const uint32_t *toff;
    const struct text_seg *tseg;
    int32_t ntext, ntseg;
    bool text_own, text_upper;
    const struct model *text_m;
    uint64_t text_mgen, text_fp;
    /* text_psig: the names' addresses hashed (as psig below) over the
     * ntext rows; while they hash the same in text_m a copy still serves
     * (rows added since are read where they are); runs of the model's
     * own bytes serve while every row's name is where its run has it
     * (each address compared). Checked once a generation: text_okgen. */
    uint64_t text_psig, text_okgen;
    int32_t cappairs;
    int32_t *rows;              /* filtered and sorted row ids; without a
                                 * filter order itself (rows_order: not a
                                 * copy of 4 bytes a row, not freed) */
    int32_t nrows, caprows;
    bool rows_order;
    int32_t *disp;              /* rows with group headers (-1 - group); in a
                                 * view without groups rows itself (disp_rows:
                                 * not a copy of 4 bytes a row, not freed) */
    int32_t ndisp, capdisp;
    bool disp_rows;
    int32_t sel, top;           /* index into disp */
    int sort;                   /* column or -1 */
    bool desc;
    char *filter;               /* heap text (text.c), whole; never NULL */
    char *built_filter;         /* the filter rows were built for */
    uint64_t built_gen;         /* t->gen when rows were built; 0 never */
    int32_t gcount[VIEW_NGROUPS];
    int hcol, hleft;            /* map: cursor column, first visible column */
    int cellw;                  /* map: a cell's width at the last draw */
    int hscroll;                /* lists: columns scrolled off after the first (h/l) */
    uint32_t shown;             /* columns drawn at the last draw (bit per column) */
    int16_t colw[16];           /* and their widths */
    bool hmore;                 /* columns right of them were hidden */
    int page;                   /* rows visible at the last draw */
    int list_y;                 /* screen row of the first list row */
    void *priv;                 /* the view's own (ops->fini frees it) */
};

/* ---- the detail pane ---------------------------------------------------------- */

#define DETAIL_MAX 160
#define REF_NONE    OBJ_KIND_COUNT
#define REF_FINDING (OBJ_KIND_COUNT + 1)

struct detail_line {
    char *label;                /* heap, whole (a field's name); never NULL */
    char *text;                 /* heap, whole (the pane wraps it); never NULL */
    uint8_t style;
    uint8_t ref;                /* enum obj_kind, REF_NONE or REF_FINDING */
    int32_t id;
};

struct detail {
    char *title;                /* heap, or NULL */
    struct detail_line line[DETAIL_MAX];
    int n;
    int sel;                    /* a line with a ref, or -1 */
    int top;
    const struct view_ops *view;    /* what it was built for */
    int32_t row;
    uint64_t gen;
};

/* Empty the pane's lines and title (freed). */
void detail_clear(struct detail *d);
void detail_title(struct detail *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void detail_add(struct detail *d, int style, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void detail_ref(struct detail *d, int kind, int32_t id, const char *label,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The object's attributes, copies, flows and findings. */
void detail_object(struct tui *t, enum obj_kind kind, int32_t id, struct detail *d);
void detail_finding(struct tui *t, int32_t f, struct detail *d);
void detail_transfer(struct tui *t, int32_t x, struct detail *d);

/* ---- heap texts (text.c) ----------------------------------------------------- */
/* *dst becomes fmt formatted on the heap, whole (its old text freed); ""
 * and out of memory leave the shared empty text. tui_text_free frees it
 * and leaves the empty text: a text once set or freed is never NULL. */
void tui_text_set(char **dst, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tui_text_vset(char **dst, const char *fmt, va_list ap);
void tui_text_free(char **dst);
/* fmt formatted appended to *dst (NULL or a text as above): grown on the
 * heap, whole; out of memory leaves *dst as it was. */
void tui_text_add(char **dst, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- text entry, forms and dialogs ------------------------------------------- */

struct line {
    char *buf;                  /* heap text (text.c), as long as typed */
    int len, cur;               /* bytes */
    int cap;                    /* bytes allocated at buf; 0: the empty text */
};

/* The line holds s (NULL: empty), the cursor at its end. */
void line_set(struct line *l, const char *s);
void line_fini(struct line *l);
/* Edit the line with an action or a typed character. True if handled. */
bool line_key(struct line *l, enum action a, int code);

enum form_mode { FORM_ADD, FORM_EDIT, FORM_WAIVE };

#define FORM_MAX (EDIT_MAX_ATTRS + 2)

struct form_field {
    const struct attr *attr;    /* NULL: the object's key (name, id) */
    char label[24];             /* bounded: an attribute's name, from a fixed table */
    char *help;                 /* heap texts (text.c) */
    struct line in;
    char *orig;
    bool readonly, required;
    enum attr_type type;        /* for completion */
};

struct form {
    bool open;
    enum form_mode mode;
    enum obj_kind kind;
    int32_t id;                 /* FORM_EDIT: the object */
    char *title;                /* heap texts (text.c), never NULL while open */
    char *key_prefix;           /* waiver "RULE:OBJ" */
    struct form_field f[FORM_MAX];
    int n, cur;
    char *error;
    int error_field;
    char *note;                 /* completions */
    int ncomp;                  /* Tab presses in a row */
    char *comp_prefix;          /* what the user typed before the first Tab */
    int top;
    bool confirm_cancel;        /* Esc on changed fields asked "discard?" */
    bool past_ok;               /* a past expiry date was shown once: saves */
};

enum dialog_mode { DIALOG_NONE, DIALOG_CONFIRM, DIALOG_FIX, DIALOG_MENU, DIALOG_PAGER };

#define DIALOG_MAX_CHOICES 10

struct dialog {
    enum dialog_mode mode;
    char *title;                /* heap texts (text.c), never NULL once closed */
    char *text;                 /* pager / preview text, heap */
    int top;
    int nlines;
    /* Choices (fix candidates, export menu items), one edit each for fixes. */
    int nchoices, choice;
    char *choice_text[DIALOG_MAX_CHOICES];
    struct edit *edits[DIALOG_MAX_CHOICES];
    char choice_arg[DIALOG_MAX_CHOICES][64]; /* bounded: fixed words of the dialogs */
    bool destructive;           /* a confirmation Enter answers no to */
    /* The pager (pager.c): text cut into display rows for a width (wrapped
     * unless nowrap); top and the match are rows; left is the columns
     * scrolled sideways when not wrapped. */
    struct pager_row { uint32_t off, len; int32_t line; int32_t indent; } *rows;
    int32_t nrows, caprows;
    int rows_w;                 /* width the rows were cut for; 0: stale */
    bool nowrap;
    int left, page;
    char *search;               /* heap, or NULL */
    int32_t match;              /* row of the current match, or -1 */
};

enum prompt_mode { PROMPT_NONE, PROMPT_FILTER, PROMPT_COMMAND, PROMPT_FILE,
                   PROMPT_PAGER_SEARCH };

/* The `:` history (cmdline.c): oldest first, at most CMD_HISTORY_MAX. */
#define CMD_HISTORY_MAX 500
struct cmd_history {
    char **item;
    int n, pos;                 /* pos: browsing, n when not */
    char *draft;                /* what was typed before Up, heap */
    char *path;                 /* the file it is saved to, or NULL */
    bool failed;                /* the file could not be written (said once) */
};

/* ---- the application ----------------------------------------------------------- */

#define TUI_NVIEWS 9
#define TUI_UNDO_MAX 200
#define TUI_HISTORY 64

enum focus { FOCUS_LIST, FOCUS_DETAIL };

struct tui {
    const struct export_juris *juris;  /* borrowed, for exports */
    const char *const *rule_texts;     /* borrowed (tui_options), or NULL */
    struct model *m;
    struct tui_ops ops;
    struct keymap keys;
    char *catalog;              /* heap texts (text.c) */
    char *user;
    int32_t today;
    struct check_result *res;
    uint64_t gen;               /* bumped on every model or result change */
    uint64_t m_serial;          /* m->serial at the views' last look (view_forget_other_models) */
    bool quit;
    bool unchecked;             /* deferred first check not run yet */
    bool readonly;              /* the catalog cannot be written: browse */

    /* Derived per-object facts, recomputed after each change. */
    int32_t *ds_copies, *ds_home, *ds_nfind;
    int8_t *ds_worst, *pl_worst, *fl_worst;
    uint8_t *pl_waived, *fl_waived;
    int32_t *rg_copies, *tier_count;
    int32_t *map_regions, nmap_regions;
    /* Flows by dataset: out of (from) and into (to), as linked lists. */
    int32_t *ds_out, *ds_in, *fl_next_out, *fl_next_in;
    int32_t nd, np, nf, nr, nt;             /* sizes the arrays were made for */

    struct view views[TUI_NVIEWS];
    int cur;                    /* current view */
    enum focus focus;
    struct detail detail;
    struct form form;
    struct dialog dialog;
    struct {                    /* the tier x region matrix (matrix.c), open
                                   while mx is set */
        struct tier_matrix *mx;
        int32_t row, col, top, left;
    } matrix;
    enum prompt_mode prompt;
    struct line input;
    char prompt_label[64];      /* bounded: a fixed label per prompt */
    char export_format[32];     /* bounded: an export format's name */
    char *export_confirmed;     /* an existing file the user chose to overwrite */

    struct undo_entry {
        struct edit_result *res;    /* heap; reverted to undo, again to redo */
        char *what;                 /* the edit as text, heap */
    } undo[TUI_UNDO_MAX], redo[TUI_UNDO_MAX];
    int nundo, nredo;
    bool undo_lost;             /* history cleared by another writer's change */
    struct { const struct view_ops *view; int32_t row; } history[TUI_HISTORY];
    int nhist;
    int nreloads;               /* times the catalog was reloaded from disk */

    char *msg;                  /* heap text (text.c), "" none */
    bool msg_error;
    bool msg_sticky;            /* an error that needs a decision: Esc clears */
    int msg_idle;               /* idle ticks it has been shown */
    uint64_t nkeys, msg_key;    /* keys so far; the key the message came with */
    struct cmd_history cmdh;
    const char *const *commands;    /* borrowed (tui_options), or NULL */
    bool help_open;
    int w, h;                   /* size at the last draw */
    int tabs_x[TUI_NVIEWS + 1]; /* tab positions, for the mouse */
    int detail_x, detail_y, detail_w, detail_h;
    bool too_small;
    /* Layout: the focused pane zoomed to the whole body (z); the detail
     * pane hidden (|). */
    bool zoom, pane_hidden;

    /* Scenario mode: t->m and t->res are the scenario's (cs.after); the
     * base model and its findings wait in base / base_res, untouched. */
    struct {
        bool on;
        char *name;             /* heap texts (text.c) */
        struct model *base;
        struct check_result *base_res;
        struct scenario_change_set cs;
        int added;              /* ops added in this visit (undo removes them) */
        char *last_op;          /* the last op stored, as text */
        bool commands;          /* a `:` command ran in the mode (on the catalog) */
    } scen;
};

extern const struct view_ops *const tui_views[TUI_NVIEWS];
/* The views, one file each (src/tui/view_NAME.c). */
extern const struct view_ops datasets_view, flows_view, regions_view, tiers_view,
    findings_view, map_view, transfers_view, scenarios_view, waivers_view;

/* view_list.c (the list engine: view_sort.c, view_filter.c) */
void view_rebuild(struct tui *t, struct view *v);
void view_ensure(struct tui *t, struct view *v);
/* The name views' filter texts given back before a full check (a bit per
 * view that had them) and made again after it, on the model then: they
 * are not held beside the check's peak (38 MB at a million datasets). */
unsigned views_texts_drop(struct tui *t);
void views_texts_build(struct tui *t, unsigned which);
void view_select_row(struct tui *t, struct view *v, int32_t row);
int32_t view_current(struct tui *t, struct view *v);    /* row id or SM_NONE */
void view_move(struct tui *t, struct view *v, int32_t delta);
void view_draw_list(struct tui *t, struct view *v, struct screen *s,
                    int x, int y, int w, int h);
/* The columns a list view's rows on screen ask for, keys and short ones
 * whole, names and free text up to a readable 16 (0 for a view that
 * draws itself): where the detail pane goes. */
int  view_list_need(struct tui *t, struct view *v, int rows);
/* Are the view's rows grouped under this sort (ops->group, flat_sorts)? */
bool view_grouped(const struct view *v, int sort);
/* "▲" or "▼" for the view's sort direction ("^", "v" outside UTF-8). */
const char *view_sort_arrow(const struct view *v);
/* The view that lists objects of a kind (a copy: Datasets; a waiver:
 * Waivers), the view state of a view, and its place in the tabs. */
const struct view_ops *view_of_kind(enum obj_kind kind);
struct view *tui_view(struct tui *t, const struct view_ops *ops);
int  view_index(const struct view_ops *ops);

/* app.c */
/* A message under the status bar: it goes with the next key or after a
 * few idle seconds. tui_set_alert's error stays until Esc (it needs a
 * decision: the edit was refused, the catalog could not be reloaded). */
void tui_set_message(struct tui *t, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void tui_set_alert(struct tui *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Apply an edit through ops->apply, push its inverse, re-check, report. */
int  tui_apply(struct tui *t, const struct edit *e, const char *what);
void tui_jump(struct tui *t, int kind, int32_t id);
void tui_derive(struct tui *t);

/* matrix.c: the tier x region matrix (M); Enter on a cell lists its
 * copies and why in the pager, Esc closes */
int  matrix_open(struct tui *t, int32_t tier);
int  matrix_key(struct tui *t, const struct key *k);
void matrix_draw(struct tui *t, struct screen *s);
void matrix_close(struct tui *t);
char *matrix_cell_text(const struct tui *t, int32_t row, int32_t col);

/* pager.c */
void pager_open(struct tui *t, const char *title, char *text_take);
int  pager_key(struct tui *t, const struct key *k);
void pager_draw(struct tui *t, struct screen *s);
void pager_search(struct tui *t, const char *text);
void pager_free(struct dialog *d);
void help_open(struct tui *t);
void detail_pager(struct tui *t);           /* the detail pane, whole */
/* cmdline.c: the `:` line's history (Up/Down) and completion (Tab). */
void cmdh_load(struct tui *t, const char *path);
void cmdh_add(struct tui *t, const char *line);
void cmdh_move(struct tui *t, int delta);
void cmdh_free(struct tui *t);
void cmd_complete(struct tui *t);
/* How a name matches what was typed: 2 it starts with it, 1 it contains
 * it (ASCII case ignored), 0 not at all. Forms complete with it too. */
int  name_match(const char *cand, const char *typed);

/* form.c */
void form_open_add(struct tui *t, enum obj_kind kind, const char *preset_key,
                   const char *preset_attr, const char *preset_value);
void form_open_edit(struct tui *t, enum obj_kind kind, int32_t id);
void form_open_waive(struct tui *t, int32_t finding);
int  form_key(struct tui *t, const struct key *k);
void form_draw(struct tui *t, struct screen *s);
void form_close(struct tui *t);
/* Fix candidates for a finding into the dialog; false when there are none. */
bool fix_open(struct tui *t, int32_t finding);
void dialog_close(struct tui *t);

#endif
