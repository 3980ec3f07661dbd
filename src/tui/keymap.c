/*
 * keymap.c - action and key tables, default bindings, key names (see
 * keymap.h). Pure tables and lookups: no curses, no I/O.
 */
#include "keymap.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

const char *const action_names[ACT_COUNT] = {
#define X(id, name, help) [ACT_##id] = name,
    ACTIONS(X)
#undef X
};

const char *const action_help[ACT_COUNT] = {
#define X(id, name, help) [ACT_##id] = help,
    ACTIONS(X)
#undef X
};

const char *const keymap_names[KEYMAP_COUNT] = {
#define X(id, name, title) [KEYMAP_##id] = name,
    KEYMAPS(X)
#undef X
};

const char *const keymap_titles[KEYMAP_COUNT] = {
#define X(id, name, title) [KEYMAP_##id] = title,
    KEYMAPS(X)
#undef X
};

static const char *const special_names[] = {
#define X(id, name) [TK_##id - TK_BASE] = name,
    KEY_NAMES(X)
#undef X
};

const struct binding keymap_defaults[] = {
    { KEYMAP_GLOBAL, 'q',            ACT_QUIT },
    { KEYMAP_GLOBAL, '?',            ACT_HELP },
    { KEYMAP_GLOBAL, TK_F1,          ACT_HELP },
    { KEYMAP_GLOBAL, TK_TAB,         ACT_NEXT_VIEW },
    { KEYMAP_GLOBAL, TK_BTAB,        ACT_PREV_VIEW },
    { KEYMAP_GLOBAL, '1',            ACT_VIEW_1 },
    { KEYMAP_GLOBAL, '2',            ACT_VIEW_2 },
    { KEYMAP_GLOBAL, '3',            ACT_VIEW_3 },
    { KEYMAP_GLOBAL, '4',            ACT_VIEW_4 },
    { KEYMAP_GLOBAL, '5',            ACT_VIEW_5 },
    { KEYMAP_GLOBAL, '6',            ACT_VIEW_6 },
    { KEYMAP_GLOBAL, '7',            ACT_VIEW_7 },
    { KEYMAP_GLOBAL, '8',            ACT_VIEW_8 },
    { KEYMAP_GLOBAL, '9',            ACT_VIEW_9 },
    { KEYMAP_GLOBAL, ':',            ACT_COMMAND },
    { KEYMAP_GLOBAL, 'x',            ACT_EXPORT },
    { KEYMAP_GLOBAL, 'u',            ACT_UNDO },
    { KEYMAP_GLOBAL, TK_CTRL('r'),   ACT_REDO },
    { KEYMAP_GLOBAL, 'R',            ACT_RELOAD },
    { KEYMAP_GLOBAL, TK_BACKSPACE,   ACT_BACK },
    { KEYMAP_GLOBAL, TK_CTRL('l'),   ACT_REDRAW },
    { KEYMAP_GLOBAL, TK_CTRL('z'),   ACT_SUSPEND },
    { KEYMAP_GLOBAL, TK_CTRL('c'),   ACT_INTERRUPT },
    { KEYMAP_LIST,   'j',            ACT_MOVE_DOWN },
    { KEYMAP_LIST,   TK_DOWN,        ACT_MOVE_DOWN },
    { KEYMAP_LIST,   'k',            ACT_MOVE_UP },
    { KEYMAP_LIST,   TK_UP,          ACT_MOVE_UP },
    { KEYMAP_LIST,   TK_PGDN,        ACT_PAGE_DOWN },
    { KEYMAP_LIST,   TK_CTRL('f'),   ACT_PAGE_DOWN },
    { KEYMAP_LIST,   TK_SPACE,       ACT_PAGE_DOWN },
    { KEYMAP_LIST,   TK_PGUP,        ACT_PAGE_UP },
    { KEYMAP_LIST,   TK_CTRL('b'),   ACT_PAGE_UP },
    { KEYMAP_LIST,   'g',            ACT_TOP },
    { KEYMAP_LIST,   TK_HOME,        ACT_TOP },
    { KEYMAP_LIST,   'G',            ACT_BOTTOM },
    { KEYMAP_LIST,   TK_END,         ACT_BOTTOM },
    { KEYMAP_LIST,   '/',            ACT_SEARCH },
    { KEYMAP_LIST,   TK_ESC,         ACT_CLEAR },
    { KEYMAP_LIST,   's',            ACT_SORT },
    { KEYMAP_LIST,   'S',            ACT_REVERSE },
    { KEYMAP_LIST,   'o',            ACT_SORT_MENU },
    { KEYMAP_LIST,   TK_ENTER,       ACT_OPEN },
    { KEYMAP_LIST,   'a',            ACT_ADD },
    { KEYMAP_LIST,   'e',            ACT_EDIT },
    { KEYMAP_LIST,   'D',            ACT_DELETE },
    { KEYMAP_LIST,   TK_DELETE,      ACT_DELETE },
    { KEYMAP_LIST,   'h',            ACT_LEFT },
    { KEYMAP_LIST,   TK_LEFT,        ACT_LEFT },
    { KEYMAP_LIST,   'l',            ACT_RIGHT },
    { KEYMAP_LIST,   TK_RIGHT,       ACT_RIGHT },
    { KEYMAP_LIST,   'z',            ACT_ZOOM },
    { KEYMAP_LIST,   '|',            ACT_TOGGLE_PANE },
    { KEYMAP_DATASETS, 'c',          ACT_ADD_COPY },
    { KEYMAP_DATASETS, 'F',          ACT_ADD_FLOW },
    { KEYMAP_FINDINGS, 'f',          ACT_FIX },
    { KEYMAP_FINDINGS, 'w',          ACT_WAIVE },
    { KEYMAP_MAP,    'c',            ACT_ADD_COPY },
    { KEYMAP_SCENARIOS, 'd',         ACT_DIFF },
    { KEYMAP_SCENARIOS, 's',         ACT_SCENARIO },
    { KEYMAP_GLOBAL, 'W',            ACT_SCENARIO },
    { KEYMAP_GLOBAL, 'd',            ACT_DIFF },
    { KEYMAP_GLOBAL, 'M',            ACT_TIER_MATRIX },
    { KEYMAP_DETAIL, 'j',            ACT_MOVE_DOWN },
    { KEYMAP_DETAIL, TK_DOWN,        ACT_MOVE_DOWN },
    { KEYMAP_DETAIL, 'k',            ACT_MOVE_UP },
    { KEYMAP_DETAIL, TK_UP,          ACT_MOVE_UP },
    { KEYMAP_DETAIL, TK_ENTER,       ACT_FOLLOW },
    { KEYMAP_DETAIL, TK_ESC,         ACT_CLEAR },
    { KEYMAP_DETAIL, 'h',            ACT_CLEAR },
    { KEYMAP_DETAIL, TK_LEFT,        ACT_CLEAR },
    { KEYMAP_DETAIL, 'z',            ACT_ZOOM },
    { KEYMAP_DETAIL, '|',            ACT_TOGGLE_PANE },
    { KEYMAP_DETAIL, 'f',            ACT_FIX },
    { KEYMAP_DETAIL, 'w',            ACT_WAIVE },
    { KEYMAP_DETAIL, 'e',            ACT_EDIT },
    { KEYMAP_DETAIL, 'D',            ACT_DELETE },
    { KEYMAP_DETAIL, TK_DELETE,      ACT_DELETE },
    { KEYMAP_FORM,   TK_DOWN,        ACT_NEXT_FIELD },
    { KEYMAP_FORM,   TK_UP,          ACT_PREV_FIELD },
    { KEYMAP_FORM,   TK_BTAB,        ACT_PREV_FIELD },
    { KEYMAP_FORM,   TK_TAB,         ACT_COMPLETE },
    { KEYMAP_FORM,   TK_ENTER,       ACT_SUBMIT },
    { KEYMAP_FORM,   TK_ESC,         ACT_CANCEL },
    { KEYMAP_FORM,   TK_CTRL('c'),   ACT_INTERRUPT },
    { KEYMAP_EDIT,   TK_LEFT,        ACT_CHAR_LEFT },
    { KEYMAP_EDIT,   TK_RIGHT,       ACT_CHAR_RIGHT },
    { KEYMAP_EDIT,   TK_HOME,        ACT_LINE_START },
    { KEYMAP_EDIT,   TK_CTRL('a'),   ACT_LINE_START },
    { KEYMAP_EDIT,   TK_END,         ACT_LINE_END },
    { KEYMAP_EDIT,   TK_CTRL('e'),   ACT_LINE_END },
    { KEYMAP_EDIT,   TK_BACKSPACE,   ACT_DEL_BACK },
    { KEYMAP_EDIT,   TK_DELETE,      ACT_DEL_FWD },
    { KEYMAP_EDIT,   TK_CTRL('d'),   ACT_DEL_FWD },
    { KEYMAP_EDIT,   TK_CTRL('u'),   ACT_DEL_LINE },
    { KEYMAP_EDIT,   TK_CTRL('w'),   ACT_DEL_WORD },
    { KEYMAP_EDIT,   TK_ENTER,       ACT_SUBMIT },
    { KEYMAP_EDIT,   TK_ESC,         ACT_CANCEL },
    { KEYMAP_EDIT,   TK_CTRL('c'),   ACT_CANCEL },
    { KEYMAP_EDIT,   TK_TAB,         ACT_COMPLETE },
    { KEYMAP_LIST,   'v',            ACT_DETAIL_PAGER },
    { KEYMAP_DETAIL, 'v',            ACT_DETAIL_PAGER },
    { KEYMAP_PAGER,  'j',            ACT_MOVE_DOWN },
    { KEYMAP_PAGER,  TK_DOWN,        ACT_MOVE_DOWN },
    { KEYMAP_PAGER,  'k',            ACT_MOVE_UP },
    { KEYMAP_PAGER,  TK_UP,          ACT_MOVE_UP },
    { KEYMAP_PAGER,  TK_PGDN,        ACT_PAGE_DOWN },
    { KEYMAP_PAGER,  TK_SPACE,       ACT_PAGE_DOWN },
    { KEYMAP_PAGER,  TK_CTRL('f'),   ACT_PAGE_DOWN },
    { KEYMAP_PAGER,  TK_PGUP,        ACT_PAGE_UP },
    { KEYMAP_PAGER,  TK_CTRL('b'),   ACT_PAGE_UP },
    { KEYMAP_PAGER,  'g',            ACT_TOP },
    { KEYMAP_PAGER,  TK_HOME,        ACT_TOP },
    { KEYMAP_PAGER,  'G',            ACT_BOTTOM },
    { KEYMAP_PAGER,  TK_END,         ACT_BOTTOM },
    { KEYMAP_PAGER,  'h',            ACT_LEFT },
    { KEYMAP_PAGER,  TK_LEFT,        ACT_LEFT },
    { KEYMAP_PAGER,  'l',            ACT_RIGHT },
    { KEYMAP_PAGER,  TK_RIGHT,       ACT_RIGHT },
    { KEYMAP_PAGER,  'w',            ACT_WRAP },
    { KEYMAP_PAGER,  '/',            ACT_SEARCH },
    { KEYMAP_PAGER,  'n',            ACT_SEARCH_NEXT },
    { KEYMAP_PAGER,  'N',            ACT_SEARCH_PREV },
    { KEYMAP_PAGER,  'q',            ACT_CANCEL },
    { KEYMAP_PAGER,  TK_ESC,         ACT_CANCEL },
    { KEYMAP_PAGER,  TK_ENTER,       ACT_CANCEL },
    { KEYMAP_PAGER,  '?',            ACT_CANCEL },
    { KEYMAP_PAGER,  TK_BACKSPACE,   ACT_CANCEL },
    { KEYMAP_PAGER,  TK_CTRL('c'),   ACT_CANCEL },
};
const int keymap_ndefaults = (int)(sizeof keymap_defaults / sizeof keymap_defaults[0]);

void
keymap_init(struct keymap *km)
{
    km->nuser = 0;
}

enum action
keymap_lookup(const struct keymap *km, enum keymap_id map, int key)
{
    if (km)
        for (int i = km->nuser - 1; i >= 0; i--)
            if (km->user[i].map == map && km->user[i].key == key)
                return km->user[i].action;
    for (int i = 0; i < keymap_ndefaults; i++)
        if (keymap_defaults[i].map == map && keymap_defaults[i].key == key)
            return keymap_defaults[i].action;
    return ACT_NONE;
}

enum action
action_parse(const char *name)
{
    for (int i = 0; i < ACT_COUNT; i++)
        if (strcmp(action_names[i], name) == 0)
            return (enum action)i;
    return ACT_COUNT;
}

int
keymap_bind(struct keymap *km, const char *map, const char *key, const char *action,
            struct sm_error *err)
{
    int m, k;
    enum action a;

    for (m = 0; m < KEYMAP_COUNT; m++)
        if (strcmp(keymap_names[m], map) == 0)
            break;
    if (m == KEYMAP_COUNT)
        return sm_error_set(err, SM_EINVAL, "unknown key map %s (global, list, detail, "
                            "datasets, findings, map, scenarios, form, pager, edit)", map);
    if ((k = key_parse(key)) == SM_NONE)
        return sm_error_set(err, SM_EINVAL, "unknown key %s", key);
    if ((a = action_parse(action)) == ACT_COUNT) {
        const char *best = NULL;
        int bd = 4;
        for (int i = 0; i < ACT_COUNT; i++) {
            int d = sm_levenshtein(action, action_names[i], 3);
            if (d < bd) {
                bd = d;
                best = action_names[i];
            }
        }
        if (best)
            return sm_error_set(err, SM_EINVAL, "unknown action %s; did you mean %s?",
                                action, best);
        return sm_error_set(err, SM_EINVAL, "unknown action %s", action);
    }
    if (km->nuser == (int)(sizeof km->user / sizeof km->user[0]))
        return sm_error_set(err, SM_ELIMIT, "too many key bindings (at most %d)",
                            (int)(sizeof km->user / sizeof km->user[0]));
    km->user[km->nuser++] = (struct binding){ (enum keymap_id)m, k, a };
    return SM_OK;
}

const char *
keyname_of(int code, char *buf, size_t size)
{
    if (code > TK_BASE - 1 && code < TK_LAST) {
        snprintf(buf, size, "<%s>", special_names[code - TK_BASE]);
    } else if (code >= 1 && code <= 26) {
        snprintf(buf, size, "<C-%c>", 'a' + code - 1);
    } else if (code == '<') {
        snprintf(buf, size, "<lt>");
    } else if (code > 32 && code < 127) {
        snprintf(buf, size, "%c", code);
    } else {
        char mb[MB_LEN_MAX];    /* bounded: one multibyte character */
        mbstate_t st;
        size_t n;
        memset(&st, 0, sizeof st);
        n = wcrtomb(mb, (wchar_t)code, &st);
        if (n == (size_t)-1 || code < 32)
            snprintf(buf, size, "<U+%04X>", (unsigned)code);
        else
            snprintf(buf, size, "%.*s", (int)n, mb);
    }
    return buf;
}

static int
named_key(const char *name, size_t len)
{
    if (len == 3 && (strncmp(name, "C-", 2) == 0 || strncmp(name, "c-", 2) == 0) &&
        name[2] >= 'a' && name[2] <= 'z') {
        int c = TK_CTRL(name[2]);
        /* C-i, C-m, C-h and C-[ are Tab, Enter, Backspace and Esc. */
        if (c == 9) return TK_TAB;
        if (c == 13 || c == 10) return TK_ENTER;
        if (c == 8) return TK_BACKSPACE;
        return c;
    }
    if (len == 2 && strncmp(name, "lt", 2) == 0)
        return '<';
    for (int i = 0; i < TK_LAST - TK_BASE; i++)
        if (strlen(special_names[i]) == len && strncmp(special_names[i], name, len) == 0)
            return TK_BASE + i;
    if (len == 2 && strncmp(name, "CR", 2) == 0)
        return TK_ENTER;
    if (len == 2 && strncmp(name, "BS", 2) == 0)
        return TK_BACKSPACE;
    return SM_NONE;
}

int
key_next(const char *s, int *code)
{
    mbstate_t st;
    wchar_t wc;
    size_t n;

    if (!*s)
        return 0;
    if (s[0] == '<') {
        const char *end = strchr(s + 1, '>');
        if (end && end > s + 1) {
            int k = named_key(s + 1, (size_t)(end - s - 1));
            if (k == SM_NONE)
                return -1;
            *code = k;
            return (int)(end - s + 1);
        }
    }
    if (s[0] == '\n' || s[0] == '\r') {
        *code = TK_ENTER;
        return 1;
    }
    if (s[0] == '\t') {
        *code = TK_TAB;
        return 1;
    }
    if (s[0] == ' ') {
        *code = TK_SPACE;
        return 1;
    }
    memset(&st, 0, sizeof st);
    n = mbrtowc(&wc, s, strlen(s), &st);
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
        *code = (unsigned char)s[0];
        return 1;
    }
    *code = (int)wc;
    return (int)n;
}

int
key_parse(const char *name)
{
    int code, n = key_next(name, &code);

    if (n <= 0 || name[n])
        return SM_NONE;
    return code;
}

const char *
keymap_keys(const struct keymap *km, enum keymap_id map, enum action a, char *buf,
            size_t size)
{
    size_t len = 0;
    char k[32];                 /* bounded: one key name ("<C-x>", "<U+10FFFF>", a character) */

    buf[0] = 0;
    for (int pass = 0; pass < 2; pass++) {
        int n = pass == 0 ? (km ? km->nuser : 0) : keymap_ndefaults;
        const struct binding *b = pass == 0 ? (km ? km->user : NULL) : keymap_defaults;
        for (int i = 0; i < n; i++) {
            if (b[i].map != map || b[i].action != a)
                continue;
            /* A default key rebound by the user no longer does this. */
            if (pass == 1 && keymap_lookup(km, map, b[i].key) != a)
                continue;
            keyname_of(b[i].key, k, sizeof k);
            len = strlen(buf);
            if (pass == 1 && strstr(buf, k))
                continue;
            /* whole names only: one that does not fit ends the list
             * (never a key cut mid-character) */
            if (len + (len ? 1 : 0) + strlen(k) >= size)
                return buf;
            snprintf(buf + len, size - len, "%s%s", len ? " " : "", k);
        }
    }
    return buf;
}
