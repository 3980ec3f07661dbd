/*
 * cmd_tui.c - `sovmap [CATALOG] [tui]`: open the catalog in the terminal
 * UI. Binds the TUI's operations to the catalog (store_apply: one
 * transaction and audit entry per edit), the checker (check_run with the
 * catalog's rule pack) and the other commands (for ':' in the TUI).
 * Reads the theme (--theme, else `theme` in $XDG_CONFIG_HOME/sovmap/config)
 * and key bindings (`bind MAP KEY ACTION` in the same file).
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "cli_scenario.h"
#include "cmd_util.h"
#include "store.h"
#include "term.h"
#include "export.h"
#include "rule_text.h"
#include "rules.h"
#include "scenario.h"
#include "tui.h"

extern const struct command cmd_tui;

static int
apply(void *ctx, struct model *m, const struct edit *e, struct edit_result *res,
      struct sm_error *err)
{
    struct cli *c = ctx;
    return store_apply(c->st, m, e, res, err);
}

static int
revert(void *ctx, struct model *m, struct edit_result *res, struct sm_error *err)
{
    struct cli *c = ctx;
    return store_revert(c->st, m, res, err);
}

static int
check(void *ctx, const struct model *m, struct check_result **out, struct sm_error *err)
{
    struct cli *c = ctx;
    return check_run(m, c->rp, c->today, out, err);
}

static void
check_free(void *ctx, struct check_result *r)
{
    (void)ctx;
    check_result_free(r);
}

/* Run a command under the catalog's write lock, like a command of its own
 * (cli_open with CLI_WRITE): what it writes is applied to the catalog as it
 * is, all at once. Another writer's change since the TUI's last look is
 * loaded first (the TUI takes the new model after the command). */
static int
run_locked(struct cli *c, const struct command *cmd, int argc, char **argv)
{
    SM_ERROR(e);
    char summary[8];                    /* bounded: unused: cli_reload is given size 0 */
    bool locked = false, reloaded;
    int rc;

    for (int tries = 0; c->st && tries < 3 && !locked; tries++) {
        sm_error_fini(&e);
        if (store_lock(c->st, &e) == SM_OK)
            locked = true;
        else if (e.code != SM_ESTALE ||
                 cli_reload(c, true, &reloaded, summary, 0, &e) != SM_OK)
            break;
    }
    if (c->st && !locked && e.code != SM_EREADONLY)
        return cli_error(c, &e);
    rc = cli_run(c, cmd, argc, argv);
    if (locked && cli_finish(c, true) != CLI_OK)
        rc = CLI_USAGE;
    return rc;
}

static int
sync_catalog(void *ctx, bool force, bool *reloaded, char *summary, size_t size, struct sm_error *err)
{
    return cli_reload(ctx, force, reloaded, summary, size, err);
}

static void
settled(void *ctx)
{
    cli_release_retired(ctx);
}

/* Run another command with its output captured for the TUI's pager. */
static int
command(void *ctx, int argc, char **argv, char **out)
{
    struct cli *c = ctx;
    const struct command *cmd = cli_command(argv[0]);
    FILE *saved_out = c->out, *saved_err = c->err, *f;
    char *buf = NULL;
    size_t len = 0;
    bool progress = c->progress;
    int rc;

    *out = NULL;
    if (!(f = open_memstream(&buf, &len)))
        return CLI_USAGE;
    if (!cmd) {
        fprintf(f, "sovmap: unknown command %s; see :help\n", argv[0]);
        rc = CLI_USAGE;
    } else {
        /* Standard input is the terminal curses reads: a command must not
         * prompt on it (it sees no terminal and refuses instead). */
        int saved_in = dup(STDIN_FILENO), null = open("/dev/null", O_RDONLY);
        if (saved_in >= 0 && null >= 0)
            dup2(null, STDIN_FILENO);
        c->out = c->err = f;
        c->progress = false;
        rc = run_locked(c, cmd, argc, argv);
        /* `:check --scenario X` looked at the scenario: the TUI stays on
         * the catalog and its law */
        cli_end_scenario(c);
        c->out = saved_out;
        c->err = saved_err;
        c->progress = progress;
        if (saved_in >= 0 && null >= 0)
            dup2(saved_in, STDIN_FILENO);
        if (saved_in >= 0)
            close(saved_in);
        if (null >= 0)
            close(null);
    }
    if (fclose(f) != 0) {
        free(buf);
        return CLI_USAGE;
    }
    *out = buf;
    return rc;
}

/* Scenario mode: the scenario and the catalog, both checked, and their diff. */
static int
scenario(void *ctx, const struct model *base, const char *name,
         struct scenario_change_set *out, struct sm_error *err)
{
    struct cli *c = ctx;
    return scenario_change_set(base, c->rp, name, NULL, c->today, out, err);
}

static struct model *
model_of(void *ctx)
{
    return ((struct cli *)ctx)->m;
}

/* "theme NAME" and "bind MAP KEY ACTION" lines; errors are reported as
 * file:line: message and the line is skipped. *theme gets the theme named
 * last and *msg the first error (heap; the caller frees both). */
static void
read_config(struct cli *c, struct keymap *km, char **theme, char **msg)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    char *path, *line = NULL;
    size_t cap = 0;
    FILE *f;
    int lineno = 0;

    if (xdg && *xdg)
        path = sm_strdupf("%s/sovmap/config", xdg);
    else if (home && *home)
        path = sm_strdupf("%s/.config/sovmap/config", home);
    else
        return;
    if (!path || !(f = fopen(path, "r"))) {
        free(path);
        return;
    }
    while (getline(&line, &cap, f) != -1) {
        char *w[5], *save = NULL;
        int n = 0;
        SM_ERROR(e);

        lineno++;
        if (strchr(line, '#'))
            *strchr(line, '#') = 0;
        for (char *p = strtok_r(line, " \t\r\n=", &save); p && n < 5;
             p = strtok_r(NULL, " \t\r\n=", &save))
            w[n++] = p;
        if (n == 0)
            continue;
        if (strcmp(w[0], "theme") == 0 && n == 2) {
            free(*theme);
            *theme = strdup(w[1]);
        } else if (strcmp(w[0], "bind") == 0 && n == 4) {
            if (keymap_bind(km, w[1], w[2], w[3], &e) != SM_OK) {
                cli_note(c, "%s:%d: %s", path, lineno, e.msg);
                if (!*msg)
                    *msg = sm_strdupf("%s:%d: %s", path, lineno, e.msg);
            }
        } else {
            cli_note(c, "%s:%d: expected `theme NAME` or `bind MAP KEY ACTION`",
                    path, lineno);
            if (!*msg)
                *msg = sm_strdupf("%s:%d: expected `theme NAME` or `bind MAP KEY ACTION`",
                                  path, lineno);
        }
    }
    free(line);
    free(path);
    fclose(f);
}

/* Whether the catalog file and its directory (SQLite's -wal and -shm) can
 * be written: opening for writing (which changes nothing) is refused for
 * a read-only file, an immutable one (chattr +i, even to root) or a
 * read-only file system. */
static bool
catalog_writable(const char *path)
{
    char *dir = strdup(path), *slash;
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    bool ok = fd >= 0 || (errno != EACCES && errno != EPERM && errno != EROFS);

    if (fd >= 0)
        close(fd);
    if (ok && dir) {
        slash = strrchr(dir, '/');
        if (slash)
            *(slash == dir ? slash + 1 : slash) = 0;
        ok = access(slash ? dir : ".", W_OK) == 0;
    }
    free(dir);
    return ok;
}

/* $XDG_STATE_HOME/sovmap/history, else ~/.local/state/sovmap/history
 * (heap), or NULL without either. */
static char *
history_path(void)
{
    const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    const char *fmt = "%s/sovmap/history";
    size_t n;
    char *p;

    if (!state || state[0] != '/') {
        if (!home || !*home)
            return NULL;
        state = home;
        fmt = "%s/.local/state/sovmap/history";
    }
    n = strlen(state) + 40;
    if ((p = malloc(n)) != NULL)
        snprintf(p, n, fmt, state);
    return p;
}

/* The names `:` completes: every command, and "command sub" for each of
 * its subcommands (heap array of heap strings, NULL-terminated). */
static char **
command_names(void)
{
    size_t n = 0, k = 0;
    char **v;

    for (int i = 0; cli_commands[i]; i++) {
        n++;
        for (int j = 0; cli_commands[i]->subs && cli_commands[i]->subs[j].name; j++)
            n++;
    }
    if (!(v = calloc(n + 1, sizeof *v)))
        return NULL;
    for (int i = 0; cli_commands[i]; i++) {
        const struct command *cmd = cli_commands[i];
        if (!(v[k++] = strdup(cmd->name)))
            goto fail;
        for (int j = 0; cmd->subs && cmd->subs[j].name; j++) {
            size_t len = strlen(cmd->name) + strlen(cmd->subs[j].name) + 2;
            if (!(v[k] = malloc(len)))
                goto fail;
            snprintf(v[k++], len, "%s %s", cmd->name, cmd->subs[j].name);
        }
    }
    return v;
fail:
    for (size_t i = 0; i < k; i++)
        free(v[i]);
    free(v);
    return NULL;
}

static void
free_names(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

static int
run_tui(struct cli *c, int argc, char **argv)
{
    const char *theme_opt = NULL;
    bool help;
    const struct cli_opt opts[] = {
        { "--theme", OPT_STR, &theme_opt, "default, light, high-contrast, mono or a file" },
        { NULL, 0, NULL, NULL },
    };
    char *pos[4], *config_theme = NULL, *hint = NULL;
    const char *theme_name;
    SM_ERROR(e);
    struct keymap km;
    struct theme th;
    struct tui_ops ops = { .ctx = c, .apply = apply, .revert = revert, .check = check,
                           .sync = sync_catalog, .settled = settled,
                           .check_free = check_free, .command = command, .model = model_of,
                           .scenario = scenario };
    struct tui_options to;
    struct tui *t;
    struct export_juris *juris = NULL;
    char *rule_texts[RULE_COUNT] = { NULL };
    char *history = NULL, **names = NULL;
    bool existed, ro;
    int npos, rc;

    if (argc > 4)
        return cli_fail(c, "tui: too many arguments");
    rc = cli_parse(c, &cmd_tui, argc, argv, opts, pos, &npos, &help);
    if (rc || help)
        return rc;
    if (npos)
        return cli_fail(c, "tui: unexpected argument %s", pos[0]);
    if (term_check(&e) != SM_OK)
        return cli_error(c, &e);
    /* Column widths and UTF-8 names need the user's locale. */
    setlocale(LC_ALL, "");
    keymap_init(&km);
    /* Problems are printed and also shown in the UI (the screen hides
     * what was printed before it). */
    read_config(c, &km, &config_theme, &hint);
    theme_name = theme_opt ? theme_opt : c->theme ? c->theme : config_theme ? config_theme : "";
    if (theme_load(&th, theme_name, c->datadir, &e) != SM_OK) {
        /* A broken theme is not fatal: say where, use the default. */
        cli_note(c, "%s; using the default theme", e.msg);
        if (!hint)
            hint = sm_strdupf("%s; using the default theme", e.msg);
        theme_default(&th);
    }
    free(config_theme);
    existed = access(c->catalog, F_OK) == 0;
    /* A catalog that cannot be written is browsed, not refused. */
    ro = existed && !catalog_writable(c->catalog);
    /* scenario mode copies the model page by page (doc/scenarios.md) */
    c->shareable = true;
    c->keep_base = true;        /* a `:` command with --scenario: cli_end_scenario */
    if ((rc = cli_open(c, ro ? STORE_READONLY : STORE_CREATE)) != CLI_OK ||
        (rc = cli_load_rules(c)) != CLI_OK) {
        free(hint);
        return rc;
    }
    if (!existed && !hint)
        hint = sm_strdupf("new catalog %s: a adds a dataset; `sovmap demo` opens "
                          "a ready model", c->catalog);
    memset(&to, 0, sizeof to);
    to.catalog = c->catalog;
    to.today = c->today;
    to.keys = &km;
    to.message = hint ? hint : "? for help, Tab switches views, / filters, q quits";
    to.user = getenv("USER");
    to.defer_check = true;
    to.readonly = ro;
    /* Diagrams group regions by jurisdiction like `sovmap export`; without
     * the facts they fall back to countries, which is still correct. */
    if (export_juris_load(c->datadir, &juris, &e) == SM_OK)
        to.juris = juris;
    /* The finding pane shows each rule's text (`sovmap explain`); a
     * missing file leaves that rule's section out. */
    for (int i = 0; i < RULE_COUNT; i++)
        if (rule_text_load(c->datadir, rule_names[i], &rule_texts[i], NULL) != SM_OK)
            rule_texts[i] = NULL;
    to.rule_texts = (const char *const *)rule_texts;
    /* `:` remembers commands across sessions and completes their names */
    to.history = history = history_path();
    to.commands = (const char *const *)(names = command_names());
    if (!(t = tui_new(c->m, &ops, &to, &e))) {
        export_juris_free(juris);
        for (int i = 0; i < RULE_COUNT; i++)
            free(rule_texts[i]);
        free(history);
        free_names(names);
        free(hint);
        return cli_error(c, &e);
    }
    rc = tui_run(t, &th, &e);
    free(hint);
    tui_free(t);
    free(history);
    free_names(names);
    export_juris_free(juris);
    for (int i = 0; i < RULE_COUNT; i++)
        free(rule_texts[i]);
    if (rc != SM_OK)
        return cli_error(c, &e);
    return CLI_OK;
}

const struct command cmd_tui = {
    .name = "tui",
    .summary = "open the catalog in the terminal UI (the default without a command)",
    .usage =
        "usage: sovmap [--catalog PATH] [--theme NAME] [tui] [--theme NAME]\n"
        "\n"
        "Browse, edit and check the catalog from the keyboard; press ? inside for the keys.\n"
        "Every edit is saved at once (one transaction, in the audit log) and re-checked.\n"
        "\n"
        "options:\n"
        "  --theme NAME   default, light, high-contrast, mono, or a .theme file\n"
        "\n"
        "The theme and key bindings can also be set in $XDG_CONFIG_HOME/sovmap/config:\n"
        "  theme light\n"
        "  bind list J move-down\n"
        "NO_COLOR in the environment turns colours off (attributes stay).\n",
    .run = run_tui,
};
