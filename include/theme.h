/*
 * theme.h - style roles and the themes that colour them. Views name roles
 * (STYLE_LIST_SELECTED), never colours; a theme file maps each role to a
 * foreground, a background and attributes:
 *
 *     # role            fg       bg       [attrs]
 *     list.selected     black    cyan     bold
 *
 * Colours: default, the 8 names (black red green yellow blue magenta cyan
 * white), bright-NAME (8..15), or 0..255. Attributes: bold dim underline
 * reverse italic blink. Roles a file leaves out keep the built-in default
 * theme's value. No curses here: term.c turns a theme into colour pairs
 * (256 colours degrade to 16 and 8; NO_COLOR keeps attributes only).
 */
#ifndef THEME_H
#define THEME_H

#include <stdint.h>

#include "sm.h"

/* X(ID, "name", fg, bg, attrs) - the built-in default theme. */
#define STYLE_ROLES(X) \
    X(DEFAULT,          "default",            -1, -1, 0) \
    X(TITLE,            "title",              15,  4, THEME_BOLD) \
    X(TAB,              "tab",                 7,  4, 0) \
    X(TAB_ACTIVE,       "tab.active",          0,  6, THEME_BOLD) \
    X(HEADER,           "list.header",         6, -1, THEME_BOLD | THEME_UNDERLINE) \
    X(SELECTED,         "list.selected",       0,  6, THEME_BOLD) \
    X(SELECTED_IDLE,    "list.selected.idle",  0,  7, 0) \
    X(GROUP,            "list.group",         11, -1, THEME_BOLD) \
    X(DIM,              "dim",                 8, -1, 0) \
    X(STATUS,           "status",             15,  8, 0) \
    X(STATUS_ERROR,     "status.error",       15,  1, THEME_BOLD) \
    X(STATUS_OK,        "status.ok",           0,  2, THEME_BOLD) \
    X(MESSAGE,          "message",            -1, -1, 0) \
    X(MESSAGE_ERROR,    "message.error",       9, -1, THEME_BOLD) \
    X(ERROR,            "finding.error",       9, -1, THEME_BOLD) \
    X(WARNING,          "finding.warning",    11, -1, 0) \
    X(INFO,             "finding.info",       14, -1, 0) \
    X(WAIVED,           "finding.waived",      8, -1, 0) \
    X(MAP_OK,           "map.ok",              0,  2, 0) \
    X(MAP_ERROR,        "map.error",          15,  1, THEME_BOLD) \
    X(MAP_WARNING,      "map.warning",         0,  3, 0) \
    X(MAP_WAIVED,       "map.waived",          0,  8, 0) \
    X(MAP_CURSOR,       "map.cursor",          0, 15, THEME_BOLD | THEME_UNDERLINE) \
    X(LABEL,            "detail.label",        6, -1, 0) \
    X(REF,              "detail.ref",         12, -1, THEME_UNDERLINE) \
    X(SECTION,          "detail.section",     15, -1, THEME_BOLD) \
    X(BORDER,           "border",              8, -1, 0) \
    X(DIALOG,           "dialog",             -1, 236, 0) \
    X(DIALOG_TITLE,     "dialog.title",       15,  4, THEME_BOLD) \
    X(FIELD,            "form.field",         -1, 238, 0) \
    X(FIELD_ACTIVE,     "form.field.active",   0,  6, 0) \
    X(FIELD_ERROR,      "form.error",          9, 236, THEME_BOLD) \
    X(KEY,              "help.key",           11, -1, THEME_BOLD) \
    X(PROMPT,           "prompt",             -1, -1, THEME_BOLD) \
    X(MATCH,            "match",               0, 11, 0) \
    X(FORM_LABEL,       "form.label",          6, 236, 0) \
    X(DIALOG_DIM,       "dialog.dim",        246, 236, 0)

#define X(id, name, fg, bg, at) STYLE_##id,
enum style_role { STYLE_ROLES(X) STYLE_COUNT };
#undef X

extern const char *const style_role_names[STYLE_COUNT];

#define THEME_ATTRS(X) \
    X(BOLD,      "bold",      1) \
    X(DIM,       "dim",       2) \
    X(UNDERLINE, "underline", 4) \
    X(REVERSE,   "reverse",   8) \
    X(ITALIC,    "italic",   16) \
    X(BLINK,     "blink",    32)

#define X(id, name, bit) THEME_##id = bit,
enum theme_attr { THEME_ATTRS(X) };
#undef X

struct theme_style {
    int16_t fg, bg;             /* -1 terminal default, 0..255 */
    uint16_t attrs;             /* THEME_* bits */
};

struct theme {
    struct theme_style role[STYLE_COUNT];
};

/* The built-in default theme. */
void theme_default(struct theme *t);
/* Parse theme text (name is used in "name:line: message"). On error *t is
 * the built-in default theme and the code is SM_EPARSE. */
int  theme_parse(struct theme *t, const char *text, const char *name,
                 struct sm_error *err);
/* Read a theme file; SM_EIO when unreadable. On error *t is the default. */
int  theme_load_file(struct theme *t, const char *path, struct sm_error *err);
/* Find a theme by name ("light") or path: a name with a '/' or ".theme" is
 * a path, else DATADIR/../themes/NAME.theme, $XDG_CONFIG_HOME/sovmap/themes
 * and the install dir are tried. */
int  theme_load(struct theme *t, const char *name, const char *datadir,
                struct sm_error *err);
/* Role by name, SM_NONE if unknown. */
int  theme_role(const char *name);
/* Colour name ("red", "bright-red", "208") -> -1..255, or -2 if invalid. */
int  theme_color(const char *name);

#endif
