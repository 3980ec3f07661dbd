/*
 * main.c - `sovmap [GLOBAL OPTIONS] [CATALOG] [COMMAND [ARGS]]`: reads the
 * global options, finds the command in the registry and runs it. Without a
 * command it runs the "tui" command when one is registered, else prints help.
 */
#include <ctype.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli.h"
#include "refdata.h"
#include "rulepack.h"
#include "store.h"
#include "cmd_util.h"

static const char global_usage[] =
    "usage: sovmap [--catalog PATH] [--quiet] [--verbose] [--rules PACK] [--theme NAME]\n"
    "              [CATALOG.db] [COMMAND [ARGS...]]\n"
    "       sovmap --version | --help | help COMMAND|RULE\n"
    "\n"
    "sovmap tells where each dataset may live: it checks datasets, tiers, regions and\n"
    "flows in a catalog against residency rules. Without a command it opens the catalog\n"
    "in the terminal UI.\n";

static const char global_options[] =
    "\n"
    "global options (before the command):\n"
    "  --catalog PATH   the catalog (default $XDG_DATA_HOME/sovmap/catalog.db)\n"
    "  --quiet, -q      no messages, no progress\n"
    "  --verbose, -v    more detail on standard error\n"
    "  --rules PACK     rule pack name or JSON file (default: the catalog's, else default)\n"
    "  --theme NAME     TUI theme from themes/NAME.theme\n"
    "  --version        print the version\n"
    "  --help, -h       this help\n"
    "\n"
    "Run `sovmap COMMAND --help` for a command's options; `man sovmap` for everything.\n";

static void
print_help(FILE *f)
{
    fputs(global_usage, f);
    fputs("\ncommands:\n", f);
    for (const struct command *const *c = cli_commands; *c; c++)
        fprintf(f, "  %-10s %s\n", (*c)->name, (*c)->summary);
    fputs(global_options, f);
}

static int32_t
today(struct cli *c)
{
    const char *s = getenv("SOVMAP_TODAY");
    time_t t = time(NULL);
    struct tm tm;
    int32_t d;

    if (s && *s) {
        if (sm_date_parse(s, &d) == SM_OK)
            return d;
        cli_fail(c, "bad SOVMAP_TODAY %s: use YYYY-MM-DD; using today", s);
    }
    gmtime_r(&t, &tm);
    return (int32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
}

/* A first word that names a catalog rather than a command. */
static bool
looks_like_catalog(const char *s)
{
    size_t n = strlen(s);
    struct stat st;

    if (cli_command(s))
        return false;
    if (n > 3 && strcmp(s + n - 3, ".db") == 0)
        return true;
    return stat(s, &st) == 0 && S_ISREG(st.st_mode);
}

static const char *const globals[] = {
    "--catalog", "--quiet", "--verbose", "--rules", "--theme", "--version", "--help", NULL
};

static int
unknown_global(struct cli *c, const char *arg)
{
    const char *best = NULL;
    int bestd = 4, d;
    size_t len = strcspn(arg, "=");
    char *name = strndup(arg, len);     /* the option whole, without its value */
    int rc;

    if (!name)
        return cli_fail(c, "out of memory");
    for (int i = 0; globals[i]; i++) {
        d = sm_levenshtein(name, globals[i], 3);
        if (d < bestd) {
            bestd = d;
            best = globals[i];
        }
    }
    if (best)
        rc = cli_fail(c, "unknown option %s; did you mean %s?", name, best);
    else
        rc = cli_fail(c, "unknown option %s; see sovmap --help (command options go after "
                      "the command)", name);
    free(name);
    return rc;
}

/* Three letters and three digits: a rule id ("RES001", "xfr002"). */
static bool
rule_like(const char *s)
{
    for (int k = 0; k < 6; k++)
        if (!s[k] || (k < 3 ? !isalpha((unsigned char)s[k]) : !isdigit((unsigned char)s[k])))
            return false;
    return s[6] == '\0';
}

static int
suggest_command(struct cli *c, const char *name)
{
    const char *best = NULL;
    int bestd = 3, d;

    for (const struct command *const *k = cli_commands; *k; k++) {
        d = sm_levenshtein(name, (*k)->name, 2);
        if (d < bestd) {
            bestd = d;
            best = (*k)->name;
        }
    }
    if (best)
        return cli_fail(c, "unknown command %s; did you mean %s?", name, best);
    return cli_fail(c, "unknown command %s; see sovmap --help", name);
}

/* Value of "--name=v" or "--name v"; advances *i. NULL when missing. */
static const char *
opt_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);

    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

static bool
is_opt(const char *arg, const char *name)
{
    size_t n = strlen(name);

    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

int
main(int argc, char **argv)
{
    struct cli c;
    const struct command *cmd;
    char *tui_argv[] = { "tui", NULL };
    int i, rc;

#ifdef __GLIBC__
    /* Blocks of 1 MiB or more always in their own mapping, given back to
     * the system when freed. glibc's default raises that bound to the size
     * of the last such block freed (up to 32 MiB), after which a check's
     * big scratch arrays come from the heap and their pages stay counted
     * after they are freed: ~3 MiB of `sovmap check`'s peak at a million
     * datasets (doc/performance.md, issue #21 memory). A fixed bound also
     * fixes the heap's trim bound at 128 KiB unless it is set too: then a
     * custom rule making and freeing many values of ~1 MB gives its pages
     * back and faults them in again each time (tests/hostile, BIGCAT: 0.13 s
     * of system time instead of none), so it is set as glibc's own rule
     * would (twice the mmap bound). The environment's MALLOC_*_THRESHOLD_
     * win. */
    if (!getenv("MALLOC_MMAP_THRESHOLD_"))
        mallopt(M_MMAP_THRESHOLD, 1 << 20);
    if (!getenv("MALLOC_TRIM_THRESHOLD_"))
        mallopt(M_TRIM_THRESHOLD, 2 << 20);
#endif
    /* character widths for tables (wcwidth); numbers and messages stay "C" */
    setlocale(LC_CTYPE, "");
    memset(&c, 0, sizeof c);
    c.out = stdout;
    c.err = stderr;
    c.datadir = refdata_datadir(argv[0]);
    for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i], *v;

        if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (is_opt(a, "--catalog") || is_opt(a, "--rules") || is_opt(a, "--theme")) {
            const char *name = is_opt(a, "--catalog") ? "--catalog"
                             : is_opt(a, "--rules") ? "--rules" : "--theme";
            if (!(v = opt_value(argc, argv, &i, name)) || !*v) {
                cli_fail(&c, "option %s needs a value", name);
                fputs(global_usage, stderr);
                return CLI_USAGE;
            }
            if (name[2] == 'c')
                c.catalog = v;
            else if (name[2] == 'r')
                c.rules = v;
            else
                c.theme = v;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            c.quiet = 1;
        } else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
            c.verbose++;
        } else if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
            printf("sovmap %s\n", SM_VERSION);
            return CLI_OK;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_help(stdout);
            return CLI_OK;
        } else {
            return unknown_global(&c, a);
        }
    }
    if (i < argc && looks_like_catalog(argv[i])) {
        if (c.catalog)
            return cli_fail(&c, "two catalogs given: %s and %s", c.catalog, argv[i]);
        c.catalog = argv[i++];
    }
    if (!c.catalog)
        c.catalog = cli_default_catalog();
    c.progress = !c.quiet && isatty(STDERR_FILENO);
    c.today = today(&c);

    if (i >= argc) {
        if ((cmd = cli_command("tui")) != NULL) {
            rc = cli_run(&c, cmd, 1, tui_argv);
            goto done;
        }
        print_help(stdout);
        return CLI_OK;
    }
    if (strcmp(argv[i], "help") == 0) {
        if (i + 1 >= argc) {
            print_help(stdout);
            return CLI_OK;
        }
        if (!(cmd = cli_command(argv[i + 1]))) {
            /* `help RES001`: a rule's text (cmd_explain) */
            const struct command *ex = cli_command("explain");
            if (ex && rule_like(argv[i + 1])) {
                char *ex_argv[] = { "explain", argv[i + 1], NULL };
                rc = cli_run(&c, ex, 2, ex_argv);
                goto done;
            }
            return suggest_command(&c, argv[i + 1]);
        }
        char *help_argv[] = { argv[i + 1], "--help", NULL };
        rc = cli_run(&c, cmd, 2, help_argv);
        goto done;
    }
    if (!(cmd = cli_command(argv[i])))
        return suggest_command(&c, argv[i]);
    rc = cli_run(&c, cmd, argc - i, argv + i);
done:
    if (rc != cli_exit_status(rc)) {
        /* an SM_* code returned as it was: say what it was, exit as an error */
        cli_fail(&c, "%s", sm_code_name(rc));
        rc = cli_exit_status(rc);
    }
    /* a command that wrote commits here: everything it did, or nothing */
    if (cli_finish(&c, true) != CLI_OK && rc == CLI_OK)
        rc = CLI_USAGE;
    rulepack_free(c.rp);
    model_free(c.m);
    model_free(c.retired);
    rulepack_free(c.base_rp);
    model_free(c.base_m);
    store_close(c.st);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "sovmap: cannot write the output\n");
        return CLI_USAGE;
    }
    return rc;
}
