/*
 * keymap.h - keys, actions and the tables that bind them. The help screen,
 * doc/tui.md and the config file ("bind MAP KEY ACTION") all read these
 * tables; handlers never test raw keys except for typed text.
 *
 * Lookup: the user's bindings for the map, the default ones for the map,
 * then (done by the caller) the global map. No curses here: term.c turns
 * curses key codes into these.
 */
#ifndef KEYMAP_H
#define KEYMAP_H

#include <stddef.h>

#include "sm.h"

/* Special keys live above Unicode; C-a..C-z are 1..26 except the ones
 * named here (Tab, Enter, Backspace, Esc). */
#define KEY_NAMES(X) \
    X(UP,        "Up") \
    X(DOWN,      "Down") \
    X(LEFT,      "Left") \
    X(RIGHT,     "Right") \
    X(PGUP,      "PgUp") \
    X(PGDN,      "PgDn") \
    X(HOME,      "Home") \
    X(END,       "End") \
    X(ENTER,     "Enter") \
    X(TAB,       "Tab") \
    X(BTAB,      "S-Tab") \
    X(BACKSPACE, "Backspace") \
    X(DELETE,    "Del") \
    X(INSERT,    "Ins") \
    X(ESC,       "Esc") \
    X(F1,        "F1") \
    X(RESIZE,    "Resize") \
    X(CLICK,     "Click") \
    X(DCLICK,    "DoubleClick") \
    X(WHEEL_UP,  "WheelUp") \
    X(WHEEL_DOWN, "WheelDown") \
    X(SPACE,     "Space")

#define TK_BASE 0x110000
enum tui_keycode {
    TK_NONE_ = TK_BASE - 1,
#define X(id, name) TK_##id,
    KEY_NAMES(X)
#undef X
    TK_LAST
};
#define TK_CTRL(c) ((c) - 'a' + 1)

struct key {
    int code;       /* code point, TK_*, or TK_CTRL('x') */
    int x, y;       /* mouse position for TK_CLICK and the wheel */
};

#define ACTIONS(X) \
    X(NONE,         "none",          "Do nothing") \
    X(QUIT,         "quit",          "Quit (asks when a form is open)") \
    X(HELP,         "help",          "Show this help") \
    X(NEXT_VIEW,    "next-view",     "Next view") \
    X(PREV_VIEW,    "prev-view",     "Previous view") \
    X(VIEW_1,       "view-datasets", "Datasets view") \
    X(VIEW_2,       "view-flows",    "Flows view") \
    X(VIEW_3,       "view-regions",  "Regions view") \
    X(VIEW_4,       "view-tiers",    "Tiers view") \
    X(VIEW_5,       "view-findings", "Findings view") \
    X(VIEW_6,       "view-map",      "Map view (datasets x regions)") \
    X(VIEW_7,       "view-transfers","Transfers view (derived register)") \
    X(VIEW_8,       "view-scenarios","Scenarios view (what-ifs)") \
    X(VIEW_9,       "view-waivers",  "Waivers view (live and expired)") \
    X(COMMAND,      "command",       "Run a sovmap command (:check, :log ...)") \
    X(EXPORT,       "export",        "Export menu (diagram, map, registers)") \
    X(UNDO,         "undo",          "Undo the last edit") \
    X(REDO,         "redo",          "Redo the last undone edit") \
    X(RELOAD,       "reload",        "Reload the catalog from disk (other writers' changes)") \
    X(BACK,         "back",          "Go back to where you jumped from") \
    X(REDRAW,       "redraw",        "Redraw the screen") \
    X(SUSPEND,      "suspend",       "Suspend to the shell") \
    X(INTERRUPT,    "interrupt",     "Cancel, or quit from a list") \
    X(MOVE_DOWN,    "move-down",     "Next row") \
    X(MOVE_UP,      "move-up",       "Previous row") \
    X(PAGE_DOWN,    "page-down",     "Next page") \
    X(PAGE_UP,      "page-up",       "Previous page") \
    X(TOP,          "top",           "First row") \
    X(BOTTOM,       "bottom",        "Last row") \
    X(SEARCH,       "search",        "Filter this view as you type") \
    X(CLEAR,        "clear-filter",  "Clear the filter / leave the pane") \
    X(SORT,         "sort",          "Sort by the next column") \
    X(REVERSE,      "reverse",       "Reverse the sort order") \
    X(SORT_MENU,    "sort-menu",     "Sort by a column chosen from a menu") \
    X(OPEN,         "open",          "Go into the detail pane") \
    X(FOLLOW,       "follow",        "Jump to the object under the cursor") \
    X(ADD,          "add",           "Add an object of this view's kind") \
    X(ADD_COPY,     "add-copy",      "Add a copy (placement) of this dataset") \
    X(ADD_FLOW,     "add-flow",      "Add a flow from this dataset") \
    X(EDIT,         "edit",          "Edit the selected object") \
    X(DELETE,       "delete",        "Delete the selected object (asks first)") \
    X(FIX,          "fix",           "Apply the finding's remediation (preview first)") \
    X(WAIVE,        "waive",         "Waive the finding (owner, reason, expiry)") \
    X(DIFF,         "diff",          "What the scenario changes (findings, copies)") \
    X(TIER_MATRIX,  "tier-matrix",   "Tier x region matrix; Enter on a cell: its copies and why") \
    X(SCENARIO,     "scenario-mode", "Enter the selected scenario's what-if mode / leave it") \
    X(LEFT,         "left",          "Column left / scroll left") \
    X(RIGHT,        "right",         "Column right / scroll right") \
    X(ZOOM,         "zoom",          "Zoom the focused pane (again: both panes)") \
    X(TOGGLE_PANE,  "toggle-pane",   "Hide / show the detail pane") \
    X(NEXT_FIELD,   "next-field",    "Next field") \
    X(PREV_FIELD,   "prev-field",    "Previous field") \
    X(COMPLETE,     "complete",      "Complete region, tier or dataset names") \
    X(SUBMIT,       "submit",        "Save (one transaction, audited)") \
    X(CANCEL,       "cancel",        "Cancel") \
    X(CHAR_LEFT,    "char-left",     "Cursor left") \
    X(CHAR_RIGHT,   "char-right",    "Cursor right") \
    X(LINE_START,   "line-start",    "Start of line") \
    X(LINE_END,     "line-end",      "End of line") \
    X(DEL_BACK,     "delete-back",   "Delete before the cursor") \
    X(DEL_FWD,      "delete-forward","Delete under the cursor") \
    X(DEL_LINE,     "delete-line",   "Clear the line") \
    X(DEL_WORD,     "delete-word",   "Delete the word before the cursor") \
    X(WRAP,         "wrap",          "Wrap long lines / scroll them sideways") \
    X(SEARCH_NEXT,  "search-next",   "Next match") \
    X(SEARCH_PREV,  "search-prev",   "Previous match") \
    X(DETAIL_PAGER, "detail-pager",  "Read the whole detail pane in the pager")

enum action {
#define X(id, name, help) ACT_##id,
    ACTIONS(X)
#undef X
    ACT_COUNT
};

extern const char *const action_names[ACT_COUNT];
extern const char *const action_help[ACT_COUNT];

#define KEYMAPS(X) \
    X(GLOBAL,   "global",   "Everywhere") \
    X(LIST,     "list",     "Lists") \
    X(DETAIL,   "detail",   "Detail pane") \
    X(DATASETS, "datasets", "Datasets view") \
    X(FINDINGS, "findings", "Findings view") \
    X(MAP,      "map",      "Map view") \
    X(SCENARIOS, "scenarios", "Scenarios view") \
    X(FORM,     "form",     "Forms") \
    X(PAGER,    "pager",    "Pager (command output, help, diffs)") \
    X(EDIT,     "edit",     "Text entry (forms, filter, command line)")

enum keymap_id {
#define X(id, name, title) KEYMAP_##id,
    KEYMAPS(X)
#undef X
    KEYMAP_COUNT
};

extern const char *const keymap_names[KEYMAP_COUNT];
extern const char *const keymap_titles[KEYMAP_COUNT];

struct binding {
    enum keymap_id map;
    int key;
    enum action action;
};

/* The defaults (for the help screen and docs). */
extern const struct binding keymap_defaults[];
extern const int keymap_ndefaults;

/* A keymap: the defaults plus the user's own bindings. */
struct keymap {
    struct binding user[64];
    int nuser;
};

void keymap_init(struct keymap *km);
/* The action bound to key in map (user first, then defaults), or ACT_NONE. */
enum action keymap_lookup(const struct keymap *km, enum keymap_id map, int key);
/* "bind MAP KEY ACTION" from the config file; "none" unbinds. SM_EINVAL
 * with "unknown action movedown; did you mean move-down?". */
int  keymap_bind(struct keymap *km, const char *map, const char *key,
                 const char *action, struct sm_error *err);
/* Keys bound to an action in a map, as "j <Down>" into buf: whole key
 * names only, as many as fit in size. */
const char *keymap_keys(const struct keymap *km, enum keymap_id map, enum action a,
                        char *buf, size_t size);

enum action action_parse(const char *name);      /* ACT_COUNT if unknown */

/* "j", "<Enter>", "<C-r>", "é" -> key code; SM_NONE if unknown. */
int  key_parse(const char *name);
/* One key from a script: "<Name>" or one UTF-8 character. Returns bytes
 * consumed (0 at the end, -1 for an unknown <Name>). */
int  key_next(const char *script, int *code);
/* The key's name as key_parse reads it. Returns buf. */
const char *keyname_of(int code, char *buf, size_t size);

#endif
