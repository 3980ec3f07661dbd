/*
 * cli_parse.c - the parts of cli.h that need no catalog: option parsing,
 * error lines, progress, prompts and output escaping (kept apart so the
 * unit tests link them alone).
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <unistd.h>

/* ---- errors and progress ------------------------------------------------------------ */

/* Every message to the terminal goes through here: formatted, then written
 * with cli_put_text, the escaping the normal output uses, so a name, file
 * name, argument or library message in it cannot drive the terminal. */
void
cli_vput(FILE *f, const char *fmt, va_list ap)
{
    va_list aq;
    char small[256], *buf = small;      /* bounded: a fast path, the heap past it */
    int n;

    va_copy(aq, ap);
    n = vsnprintf(small, sizeof small, fmt, aq);
    va_end(aq);
    if (n < 0) {
        fputs("(bad message)", f);
        return;
    }
    if ((size_t)n >= sizeof small) {
        if (!(buf = malloc((size_t)n + 1))) {
            fputs("out of memory", f);
            return;
        }
        vsnprintf(buf, (size_t)n + 1, fmt, ap);
    }
    cli_put_text(f, buf);
    if (buf != small)
        free(buf);
}

void
cli_note(struct cli *c, const char *fmt, ...)
{
    va_list ap;

    fputs("sovmap: ", c->err);
    va_start(ap, fmt);
    cli_vput(c->err, fmt, ap);
    va_end(ap);
    fputc('\n', c->err);
}

int
cli_fail(struct cli *c, const char *fmt, ...)
{
    va_list ap;

    fputs("sovmap: ", c->err);
    va_start(ap, fmt);
    cli_vput(c->err, fmt, ap);
    va_end(ap);
    fputc('\n', c->err);
    return CLI_USAGE;
}

int
cli_error(struct cli *c, const struct sm_error *e)
{
    return cli_fail(c, "%s", sm_error_msg(e)[0] ? sm_error_msg(e) : e ? sm_code_name(e->code) : "error");
}

int
cli_exit_status(int rc)
{
    /* SM_* codes are disjoint from the exit statuses (sm.h): anything in
     * their range is an error that escaped its cli_error, exit 2 like one */
    if (rc >= SM_EFIRST && rc < SM_ECODE_END)
        return CLI_USAGE;
    return rc;
}

int
cli_usage_fail(struct cli *c, const char *usage, const char *fmt, ...)
{
    va_list ap;
    size_t n;

    fputs("sovmap: ", c->err);
    va_start(ap, fmt);
    cli_vput(c->err, fmt, ap);
    va_end(ap);
    fputc('\n', c->err);
    if (usage) {
        /* every usage line (a command may have several forms), up to the blank line */
        const char *end = strstr(usage, "\n\n");
        n = end ? (size_t)(end - usage) : strcspn(usage, "\n");
        fprintf(c->err, "%.*s\n", (int)n, usage);
    }
    return CLI_USAGE;
}

void
cli_progress(struct cli *c, const char *what, int64_t done, int64_t total)
{
    if (!c->progress)
        return;
    fputc('\r', c->err);
    cli_put_text(c->err, what);
    if (total > 0)
        fprintf(c->err, " %lld/%lld", (long long)done, (long long)total);
    else
        fprintf(c->err, " %lld", (long long)done);
    if (total > 0 && done >= total)
        fputs("\r\033[K", c->err);
    fflush(c->err);
}

bool
cli_confirm(struct cli *c, const char *fmt, ...)
{
    char line[64];                      /* bounded: a y/N answer; a longer line is a no */
    va_list ap;

    if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO))
        return false;
    va_start(ap, fmt);
    cli_vput(c->err, fmt, ap);
    va_end(ap);
    fputs(" [y/N] ", c->err);
    fflush(c->err);
    if (!fgets(line, sizeof line, stdin))
        return false;
    line[strcspn(line, "\r\n")] = '\0';
    return strcmp(line, "y") == 0 || strcmp(line, "Y") == 0 || strcmp(line, "yes") == 0;
}

int
cli_check_format(struct cli *c, const char *value, const char *const *allowed)
{
    char *list = NULL;
    size_t size = 0;
    FILE *f;
    int rc;

    for (const char *const *a = allowed; *a; a++)
        if (strcmp(*a, value) == 0)
            return CLI_OK;
    if (!(f = open_memstream(&list, &size)))
        return cli_fail(c, "out of memory");
    for (const char *const *a = allowed; *a; a++)
        fprintf(f, "%s%s", a == allowed ? "" : ", ", *a);
    if (fclose(f) != 0) {
        free(list);
        return cli_fail(c, "out of memory");
    }
    rc = cli_fail(c, "bad --format %s: use %s", value, list);
    free(list);
    return rc;
}

/* ---- option parsing ------------------------------------------------------------------ */

static const struct cli_opt *
find_opt(const struct cli_opt *opts, const char *name, size_t len)
{
    for (; opts && opts->name; opts++)
        if (strlen(opts->name) == len && strncmp(opts->name, name, len) == 0)
            return opts;
    return NULL;
}

static int
parse_bool_text(const char *v, bool *out)
{
    static const char *const yes[] = { "true", "yes", "on", "1", NULL };
    static const char *const no[] = { "false", "no", "off", "0", NULL };

    for (int i = 0; yes[i]; i++)
        if (strcmp(v, yes[i]) == 0)
            return *out = true, 0;
    for (int i = 0; no[i]; i++)
        if (strcmp(v, no[i]) == 0)
            return *out = false, 0;
    return -1;
}

/* Global options also accepted after the command. */
static const char *const late_globals[] = { "--quiet", "--verbose", "-q", "-v", NULL };
static const char *const early_globals[] = { "--catalog", "--rules", "--theme", "--version", NULL };

static int
unknown_option(struct cli *c, const struct command *cmd, const char *arg, size_t len,
               const struct cli_opt *opts)
{
    const char *best = NULL;
    int bestd = 4, d;
    char *name = sm_strdupf("%.*s", (int)len, arg);
    int rc;

    if (!name)
        return cli_fail(c, "out of memory");
    for (int i = 0; early_globals[i]; i++)
        if (strcmp(name, early_globals[i]) == 0) {
            rc = cli_fail(c, "%s is a global option: put it before the command, "
                          "as in sovmap %s ... %s", name, name, cmd->name);
            free(name);
            return rc;
        }
    for (const struct cli_opt *o = opts; o && o->name; o++) {
        d = sm_levenshtein(name, o->name, 3);
        if (d < bestd) {
            bestd = d;
            best = o->name;
        }
    }
    if (best)
        rc = cli_fail(c, "unknown option %s for %s; did you mean %s?", name, cmd->name, best);
    else
        rc = cli_fail(c, "unknown option %s for %s; see sovmap %s --help", name, cmd->name,
                      cmd->name);
    free(name);
    return rc;
}

int
cli_parse(struct cli *c, const struct command *cmd, int argc, char **argv,
          const struct cli_opt *opts, char **pos, int *npos, bool *help_shown)
{
    bool only_pos = false;

    *npos = 0;
    if (help_shown)
        *help_shown = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *eq, *value = NULL;
        const struct cli_opt *o;
        size_t len;
        bool neg = false, b;

        if (only_pos || arg[0] != '-' || arg[1] == '\0') {
            pos[(*npos)++] = argv[i];
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_pos = true;
            continue;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(cmd->usage, c->out);
            if (cmd->usage[0] && cmd->usage[strlen(cmd->usage) - 1] != '\n')
                fputc('\n', c->out);
            if (help_shown)
                *help_shown = true;
            return CLI_OK;
        }
        eq = strchr(arg, '=');
        len = eq ? (size_t)(eq - arg) : strlen(arg);
        o = find_opt(opts, arg, len);
        if (!o && len > 5 && strncmp(arg, "--no-", 5) == 0) {
            /* "--no-NAME" is NAME's flag: compare "--" and NAME in place */
            o = NULL;
            for (const struct cli_opt *x = opts; x && x->name && !o; x++)
                if (strlen(x->name) == len - 3 && strncmp(x->name, "--", 2) == 0 &&
                    strncmp(x->name + 2, arg + 5, len - 5) == 0)
                    o = x;
            if (o && (o->type == OPT_FLAG || o->type == OPT_BOOL) && !eq)
                neg = true;
            else
                o = NULL;
        }
        if (!o) {
            bool late = false;
            for (int k = 0; late_globals[k]; k++)
                late |= strlen(late_globals[k]) == len && strncmp(arg, late_globals[k], len) == 0;
            if (late && !eq) {
                if (arg[1] == 'q' || arg[2] == 'q')
                    c->quiet = 1, c->progress = false;
                else
                    c->verbose++;
                continue;
            }
            return unknown_option(c, cmd, arg, len, opts);
        }
        if (eq)
            value = eq + 1;
        switch (o->type) {
        case OPT_FLAG:
        case OPT_BOOL:
            b = !neg;
            /* an attribute's boolean also takes its value as the next argument
             * (--public-sector true), as `show` and `log` print it */
            if (!value && !neg && o->type == OPT_BOOL && i + 1 < argc &&
                (strcmp(argv[i + 1], "true") == 0 || strcmp(argv[i + 1], "false") == 0))
                value = argv[++i];
            if (value && parse_bool_text(value, &b))
                return cli_fail(c, "bad value %s for %s: use true or false", value, o->name);
            if (o->type == OPT_FLAG)
                *(bool *)o->dst = b;
            else
                *(const char **)o->dst = b ? "true" : "false";
            break;
        case OPT_STR:
        case OPT_INT:
        case OPT_STRS:
            if (!value) {
                if (i + 1 >= argc)
                    return cli_usage_fail(c, cmd->usage, "option %s needs a value (%s)",
                                          o->name, o->help ? o->help : "see --help");
                value = argv[++i];
            }
            if (o->type == OPT_STR) {
                *(const char **)o->dst = value;
            } else if (o->type == OPT_STRS) {
                struct cli_strs *s = o->dst;
                if (s->n == CLI_MAX_STRS)
                    return cli_fail(c, "too many %s options (at most %d)", o->name,
                                    CLI_MAX_STRS);
                s->v[s->n++] = value;
            } else {
                char *end;
                long x;
                errno = 0;
                x = strtol(value, &end, 10);
                if (!*value || *end || errno || x < -2147483647L || x > 2147483647L)
                    return cli_fail(c, "bad value %s for %s: not a whole number", value,
                                    o->name);
                *(int *)o->dst = (int)x;
            }
            break;
        }
    }
    return CLI_OK;
}

/* ---- output escaping ----------------------------------------------------------------- */

static int
utf8_len(const unsigned char *s)
{
    return sm_utf8_len((const char *)s);
}

static uint32_t
utf8_cp(const unsigned char *p, int n)
{
    static const unsigned char lead_mask[5] = { 0, 0x7f, 0x1f, 0x0f, 0x07 }; /* bounded: a fixed table */
    uint32_t cp = p[0] & lead_mask[n];

    for (int i = 1; i < n; i++)
        cp = (cp << 6) | (p[i] & 0x3f);
    return cp;
}

/* Unicode bidirectional formatting characters (UAX #9): ALM, LRM, RLM,
 * LRE..RLO, LRI..PDI. */
static bool
bidi_control(const unsigned char *p, int n)
{
    uint32_t cp;

    if (n < 2)
        return false;
    cp = utf8_cp(p, n);
    return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

/* The one rule for text on a terminal: each piece of s either as it is (a
 * printable UTF-8 character, given with its code point) or escaped (\n,
 * \x1b, \u202e ...). cli_put_text prints the pieces; cli_text_width counts
 * the columns the same pieces take, so tables line up with what is printed. */
static void
text_walk(const char *s, void (*piece)(void *ctx, const char *text, size_t n, uint32_t cp),
          void *ctx)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    char esc[16];                       /* bounded: one escape, "\\xNN" */
    int n;

    while (*p) {
        if (*p == '\n' || *p == '\t' || *p == '\r') {
            piece(ctx, *p == '\n' ? "\\n" : *p == '\t' ? "\\t" : "\\r", 2, 0);
            p++;
        } else if (*p < 0x20 || *p == 0x7f || (n = utf8_len(p)) == 0) {
            snprintf(esc, sizeof esc, "\\x%02x", *p++);
            piece(ctx, esc, 4, 0);
        } else if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
            /* C1 controls (U+0080..U+009F) drive terminals too */
            snprintf(esc, sizeof esc, "\\x%02x\\x%02x", p[0], p[1]);
            piece(ctx, esc, 8, 0);
            p += 2;
        } else if (bidi_control(p, n)) {
            /* direction overrides and marks reorder what follows on the
             * line: a name must not be able to disguise the next column */
            snprintf(esc, sizeof esc, "\\u%04x", (unsigned)utf8_cp(p, n));
            piece(ctx, esc, strlen(esc), 0);
            p += n;
        } else {
            piece(ctx, (const char *)p, (size_t)n, utf8_cp(p, n));
            p += n;
        }
    }
}

static void
put_piece(void *ctx, const char *text, size_t n, uint32_t cp)
{
    (void)cp;
    fwrite(text, 1, n, ctx);
}

void
cli_put_text(FILE *f, const char *s)
{
    text_walk(s, put_piece, f);
}

/* Columns a printed character takes: the locale's wcwidth when it knows
 * the character, else East Asian wide and emoji ranges count 2, combining
 * marks 0, the rest 1 (a C locale still shows UTF-8 in most terminals). */
static int
char_width(uint32_t cp)
{
    int w = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);

    if (w >= 0)
        return w > 2 ? 2 : w;
    if ((cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x200b && cp <= 0x200d))
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
        (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
        (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
        (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
        (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd))
        return 2;
    return 1;
}

static void
width_piece(void *ctx, const char *text, size_t n, uint32_t cp)
{
    (void)text;
    *(size_t *)ctx += cp ? (size_t)char_width(cp) : n;
}

size_t
cli_text_width(const char *s)
{
    size_t w = 0;

    text_walk(s, width_piece, &w);
    return w;
}

void
cli_put_json(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    int n;

    fputc('"', f);
    while (*p) {
        switch (*p) {
        case '"':  fputs("\\\"", f); p++; continue;
        case '\\': fputs("\\\\", f); p++; continue;
        case '\n': fputs("\\n", f); p++; continue;
        case '\t': fputs("\\t", f); p++; continue;
        case '\r': fputs("\\r", f); p++; continue;
        case '\b': fputs("\\b", f); p++; continue;
        case '\f': fputs("\\f", f); p++; continue;
        default: break;
        }
        if (*p < 0x20 || *p == 0x7f) {
            fprintf(f, "\\u%04x", *p++);
        } else if ((n = utf8_len(p)) == 0) {
            /* not UTF-8: JSON cannot carry the byte, show the replacement */
            fputs("\\ufffd", f);
            p++;
        } else {
            fwrite(p, 1, (size_t)n, f);
            p += n;
        }
    }
    fputc('"', f);
}

void
cli_put_selector(FILE *f, const struct model *m, enum obj_kind kind, int32_t id)
{
    char *sel = model_selector_dup(m, kind, id);

    cli_put_text(f, sel ? sel : "?");
    free(sel);
}

void
cli_put_json_selector(FILE *f, const struct model *m, enum obj_kind kind, int32_t id)
{
    char *sel = model_selector_dup(m, kind, id);

    cli_put_json(f, sel ? sel : "?");
    free(sel);
}
