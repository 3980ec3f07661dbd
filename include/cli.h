/*
 * cli.h - what every `sovmap COMMAND` shares: the context (catalog, data
 * directory, output streams, verbosity), opening the catalog and the model
 * lazily, the rule pack, option parsing, and the command registry.
 *
 * Commands live in src/cli/cmd_<name>.c, each exporting one
 * `const struct command cmd_<name>` listed in src/cli/commands.def.
 * Only cli/ and tui/ print.
 *
 * Exit codes: 0 ok, 1 findings at or above --fail-on (check), 2 usage or
 * input error (bad option, unknown name, malformed file, catalog locked...),
 * and any error, out of memory included. The SM_* codes (sm.h) start at
 * SM_EFIRST, so no exit status is an SM_* code; cli_exit_status maps them.
 */
#ifndef CLI_H
#define CLI_H

#include <stdarg.h>
#include <stdio.h>

#include "model.h"

struct store;
struct rulepack;
struct model_json_locs;
struct subcmd;

enum { CLI_OK = 0, CLI_FINDINGS = 1, CLI_USAGE = 2 };

/* The exit status of what a command returned: a CLI_* status unchanged, an
 * SM_* error code (which a command should have turned into CLI_USAGE with
 * cli_error) CLI_USAGE, never CLI_FINDINGS. The one place main maps them. */
int cli_exit_status(int rc);

#ifndef SM_VERSION
#define SM_VERSION "0.1.0"
#endif

struct cli {
    const char *catalog;        /* --catalog, else $XDG_DATA_HOME/sovmap/catalog.db */
    const char *datadir;        /* $SOVMAP_DATA, next to the binary, or the install dir */
    const char *rules;          /* --rules PACK (overrides the catalog's) */
    const char *theme;          /* --theme */
    int quiet, verbose;
    bool progress;              /* stderr is a terminal and not --quiet */
    FILE *out, *err;            /* stdout, stderr */
    int32_t today;              /* yyyymmdd; $SOVMAP_TODAY overrides (tests) */
    /* Filled on demand by cli_open / cli_rules: */
    struct store *st;
    struct model *m;
    struct rulepack *rp;
    bool scenario;              /* m is a scenario's model, not the stored one */
    /* The TUI's commands (cmd_tui.c): a --scenario command keeps the
     * catalog's model and pack here, for cli_end_scenario to put back. */
    bool keep_base;             /* set by the TUI: keep them, do not free them */
    struct model *base_m;       /* the catalog's model while m is a scenario's */
    struct rulepack *base_rp;   /* the catalog's pack, when the scenario brought its own */
    struct model *retired;      /* the model cli_reload replaced last */
    bool shareable;             /* load models shareable (model_set_shareable): the TUI */
    bool created;               /* cli_open created the catalog file */
    /* cli_use_model: c->m is a model-json file's, there is no catalog */
    const char *model_file;     /* its name ("<stdin>" for -), else NULL */
    const struct model_json_locs *locs;  /* where its objects are, or NULL */
};

struct command {
    const char *name;           /* "check" */
    const char *summary;        /* one line for `sovmap --help` */
    const char *usage;          /* full --help text, options one per line */
    int (*run)(struct cli *c, int argc, char **argv);   /* argv[0] = name */
    /* Or, with run NULL, a command made of subcommands (src/cli/cmd_util.h): */
    const struct subcmd *subs;  /* NULL-terminated */
    const char *default_sub;    /* run when argv[1] names no subcommand, or NULL */
    int kind_help;              /* obj kind + 1 whose attributes --help lists, 0 none */
};

/* Registry, from commands.def (NULL-terminated). */
extern const struct command *const cli_commands[];
const struct command *cli_command(const char *name);
/* Run cmd with argv[0] its name: its run, or the subcommand argv[1] names. */
int cli_run(struct cli *c, const struct command *cmd, int argc, char **argv);

/* Open the catalog (creating it when flags has STORE_CREATE) and load the
 * model with the shipped regions. Prints the one-line error itself and
 * returns CLI_USAGE on failure, CLI_OK otherwise. Idempotent.
 * CLI_WRITE: the command will write. The catalog's write lock is taken
 * before the load and held until cli_finish, so the command changes the
 * catalog as it is and no other writer comes between (doc/catalog.md). */
enum { CLI_WRITE = 0x100 };
int cli_open(struct cli *c, int flags);
/* Commit what the command wrote under CLI_WRITE (rolled back when commit
 * is false). CLI_OK, or CLI_USAGE with the error printed. */
int cli_finish(struct cli *c, bool commit);
/* When another process changed the catalog since the load (store_changed),
 * or always when force, load it again into a new model that replaces c->m
 * and describe the difference in summary ("+1 dataset, -2 flows"; "" when
 * only attributes changed). *reloaded says whether it did. The replaced
 * model stays valid until the next reload (c->retired): whoever holds it
 * can still compare against it. SM_OK, or an error in err (not printed). */
int cli_reload(struct cli *c, bool force, bool *reloaded, char *summary, size_t size,
               struct sm_error *err);
/* Free the model cli_reload replaced last (c->retired), once nobody holds
 * it any more. */
void cli_release_retired(struct cli *c);
/* ---- a model-json file instead of the catalog (cli_model.c) ------------------- */

/* The whole of a file ("-": standard input), NUL-terminated, *len bytes;
 * NULL with errno set. The caller frees it. */
char *cli_slurp(const char *path, size_t *len);
/* path, or "<stdin>" for "-". */
const char *cli_model_name(const char *path);
/* Read model-json file path (with the shipped regions) into a new *out;
 * locs (zeroed, may be NULL) gets where its objects are. Prints
 * "file:line:col: message" and returns CLI_USAGE on failure. */
int cli_read_model(struct cli *c, const char *path, struct model **out,
                   struct model_json_locs *locs);
/* The same from text already read (name for the errors). */
int cli_parse_model(struct cli *c, const char *text, size_t len, const char *name,
                    struct model **out, struct model_json_locs *locs);
/* The same into c->m, in place of the catalog: cli_open then keeps it and
 * nothing is ever written (c->st stays NULL). locs must outlive c. */
int cli_use_model(struct cli *c, const char *path, struct model_json_locs *locs);

/* Load the rule pack (--rules, else the catalog's, else "default"). */
int cli_load_rules(struct cli *c);

/* Print "sovmap: message" to c->err and return CLI_USAGE. Every message
 * (these, cli_note, cli_usage_fail, cli_confirm) is written through
 * cli_put_text: names, file names and arguments in it arrive escaped. */
int cli_fail(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, from an sm_error. */
int cli_error(struct cli *c, const struct sm_error *e);
/* "sovmap: message" on c->err, escaped, for notes that are not errors. */
void cli_note(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* fmt formatted, then written to f with cli_put_text. */
void cli_vput(FILE *f, const char *fmt, va_list ap);
/* Progress on stderr when c->progress: "importing 1200/50000". */
void cli_progress(struct cli *c, const char *what, int64_t done, int64_t total);

/* ---- option parsing ---------------------------------------------------------- */

/* OPT_FLAG: "--x" sets a bool, "--x=no" and "--no-x" clear it.
 * OPT_BOOL: the same spellings, into a const char* ("true"/"false",
 *           left NULL when absent: tells "not given" from false).
 * OPT_STRS: repeatable, into a struct cli_strs. */
enum cli_opt_type { OPT_FLAG, OPT_STR, OPT_INT, OPT_BOOL, OPT_STRS };

#define CLI_MAX_STRS 32
struct cli_strs {
    int n;
    const char *v[CLI_MAX_STRS];
};

struct cli_opt {
    const char *name;           /* "--format", or a short "-o" */
    enum cli_opt_type type;
    void *dst;                  /* bool*, const char**, int*, const char**, cli_strs* */
    const char *help;           /* "text|json|sarif|junit" */
};

/* Parse argv[1..] (argv[0] is the command) against opts (NULL-terminated),
 * accepting "--x v", "--x=v" and "--" ; "--help" prints cmd->usage and sets
 * *help_shown. Positional arguments are moved to pos[0..*npos). Unknown
 * options get "unknown option --x for CMD; did you mean --y?" and CLI_USAGE. */
int cli_parse(struct cli *c, const struct command *cmd, int argc, char **argv,
              const struct cli_opt *opts, char **pos, int *npos,
              bool *help_shown);

/* ---- helpers for commands ------------------------------------------------------ */

/* A name for text output: control bytes, C1 controls and bytes that are not
 * UTF-8 escaped (\n, \t, \x1b), everything else unchanged. */
void cli_put_text(FILE *f, const char *s);
/* Terminal columns cli_put_text(s) takes (wide CJK and emoji count 2). */
size_t cli_text_width(const char *s);
/* A JSON string literal, quotes included; exact for valid UTF-8. */
void cli_put_json(FILE *f, const char *s);
/* An object's selector (model_selector), whole whatever its length, through
 * cli_put_text or cli_put_json; "?" when out of memory. */
void cli_put_selector(FILE *f, const struct model *m, enum obj_kind kind, int32_t id);
void cli_put_json_selector(FILE *f, const struct model *m, enum obj_kind kind, int32_t id);
/* "sovmap: message" and "usage: LINE" (first line of usage) on c->err;
 * returns CLI_USAGE. */
int cli_usage_fail(struct cli *c, const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Ask "question [y/N] " when stdin and stderr are terminals; false otherwise
 * (and on anything but y/yes). */
bool cli_confirm(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Check a --format value against a NULL-terminated list ("text", "json").
 * CLI_OK or CLI_USAGE with "bad --format x: use text, json". */
int cli_check_format(struct cli *c, const char *value, const char *const *allowed);

#endif
