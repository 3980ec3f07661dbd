/*
 * theme.c - the style roles' built-in values and the *.theme parser (see
 * theme.h). Errors read "file:line: message" and leave the default theme.
 * No curses: term.c maps the result to colour pairs.
 */
#include "theme.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const style_role_names[STYLE_COUNT] = {
#define X(id, name, fg, bg, at) [STYLE_##id] = name,
    STYLE_ROLES(X)
#undef X
};

static const struct theme_style builtin[STYLE_COUNT] = {
#define X(id, name, fg, bg, at) [STYLE_##id] = { fg, bg, at },
    STYLE_ROLES(X)
#undef X
};

static const struct { const char *name; int bit; } attr_names[] = {
#define X(id, name, bit) { name, bit },
    THEME_ATTRS(X)
#undef X
};

static const char *const color_names[8] = {
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

void
theme_default(struct theme *t)
{
    memcpy(t->role, builtin, sizeof builtin);
}

int
theme_role(const char *name)
{
    for (int i = 0; i < STYLE_COUNT; i++)
        if (strcmp(style_role_names[i], name) == 0)
            return i;
    return SM_NONE;
}

int
theme_color(const char *name)
{
    char *end;
    long v;

    if (strcmp(name, "default") == 0)
        return -1;
    for (int i = 0; i < 8; i++) {
        if (strcmp(name, color_names[i]) == 0)
            return i;
        if (strncmp(name, "bright-", 7) == 0 && strcmp(name + 7, color_names[i]) == 0)
            return i + 8;
    }
    if (strcmp(name, "gray") == 0 || strcmp(name, "grey") == 0)
        return 8;
    if (!isdigit((unsigned char)name[0]))
        return -2;
    v = strtol(name, &end, 10);
    if (*end || v < 0 || v > 255)
        return -2;
    return (int)v;
}

static int
parse_line(struct theme *t, char *line, const char *name, int lineno,
           struct sm_error *err)
{
    char *tok[16];
    int n = 0, role, fg, bg;
    unsigned attrs = 0;

    for (char *p = strtok(line, " \t\r"); p && n < 16; p = strtok(NULL, " \t\r"))
        tok[n++] = p;
    if (n == 0)
        return SM_OK;
    if (n < 3)
        return sm_error_set(err, SM_EPARSE, "%s:%d: expected ROLE FG BG [ATTRS], got %d word%s",
                            name, lineno, n, n == 1 ? "" : "s");
    if ((role = theme_role(tok[0])) == SM_NONE)
        return sm_error_set(err, SM_EPARSE, "%s:%d: unknown role %s", name, lineno, tok[0]);
    if ((fg = theme_color(tok[1])) == -2)
        return sm_error_set(err, SM_EPARSE, "%s:%d: unknown colour %s", name, lineno, tok[1]);
    if ((bg = theme_color(tok[2])) == -2)
        return sm_error_set(err, SM_EPARSE, "%s:%d: unknown colour %s", name, lineno, tok[2]);
    for (int i = 3; i < n; i++) {
        size_t k;
        for (k = 0; k < sizeof attr_names / sizeof attr_names[0]; k++)
            if (strcmp(tok[i], attr_names[k].name) == 0)
                break;
        if (k == sizeof attr_names / sizeof attr_names[0])
            return sm_error_set(err, SM_EPARSE, "%s:%d: unknown attribute %s", name, lineno,
                                tok[i]);
        attrs |= (unsigned)attr_names[k].bit;
    }
    t->role[role] = (struct theme_style){ (int16_t)fg, (int16_t)bg, (uint16_t)attrs };
    return SM_OK;
}

int
theme_parse(struct theme *t, const char *text, const char *name, struct sm_error *err)
{
    int lineno = 0, rc;

    theme_default(t);
    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) : strlen(text);
        char *hash, *line = strndup(text, len);     /* the line whole, however long */

        lineno++;
        if (!line) {
            theme_default(t);
            return sm_error_set(err, SM_ENOMEM, "%s:%d: out of memory", name, lineno);
        }
        if ((hash = strchr(line, '#')))
            *hash = 0;
        rc = parse_line(t, line, name, lineno, err);
        free(line);
        if (rc != SM_OK) {
            theme_default(t);
            return rc;
        }
        text += len + (nl ? 1 : 0);
    }
    return SM_OK;
}

int
theme_load_file(struct theme *t, const char *path, struct sm_error *err)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    int rc;

    theme_default(t);
    if (!f)
        return sm_error_set(err, SM_EIO, "%s: cannot open theme", path);
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || n > 1 << 20 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return sm_error_set(err, SM_EIO, "%s: cannot read theme", path);
    }
    if (!(buf = malloc((size_t)n + 1))) {
        fclose(f);
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", path);
    }
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return sm_error_set(err, SM_EIO, "%s: cannot read theme", path);
    }
    fclose(f);
    buf[n] = 0;
    if (memchr(buf, 0, (size_t)n))
        rc = sm_error_set(err, SM_EPARSE, "%s:1: not a text file", path);
    else
        rc = theme_parse(t, buf, path, err);
    free(buf);
    return rc;
}

static bool
readable(const char *p)
{
    FILE *f = fopen(p, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

/* Load the theme file at path (a heap text, freed here) when readable;
 * SM_ENOTFOUND (err untouched) when it is not there, SM_ENOMEM for a NULL
 * path. */
static int
try_file(struct theme *t, char *path, struct sm_error *err)
{
    int rc = SM_ENOTFOUND;

    if (!path)
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    if (readable(path))
        rc = theme_load_file(t, path, err);
    free(path);
    return rc;
}

int
theme_load(struct theme *t, const char *name, const char *datadir, struct sm_error *err)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    int rc;

    /* paths on the heap, whole: HOME or XDG_CONFIG_HOME of any length */
    theme_default(t);
    if (!name || !*name || strcmp(name, "default") == 0) {
        if (datadir &&
            (rc = try_file(t, sm_strdupf("%s/../themes/default.theme", datadir), err)) !=
                SM_ENOTFOUND)
            return rc;
        return SM_OK;
    }
    if (strchr(name, '/') || strstr(name, ".theme"))
        return theme_load_file(t, name, err);
    rc = try_file(t, xdg && *xdg ? sm_strdupf("%s/sovmap/themes/%s.theme", xdg, name)
                  : sm_strdupf("%s/.config/sovmap/themes/%s.theme", home ? home : "", name),
                  err);
    if (rc != SM_ENOTFOUND)
        return rc;
    if (datadir &&
        (rc = try_file(t, sm_strdupf("%s/../themes/%s.theme", datadir, name), err)) !=
            SM_ENOTFOUND)
        return rc;
    return sm_error_set(err, SM_ENOTFOUND,
                        "unknown theme %s (try default, light, high-contrast or mono)", name);
}
