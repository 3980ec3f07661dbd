/*
 * report_text.c - the report for people: a summary line, findings grouped
 * by severity and object with the why chain and the fix, waived findings
 * and expired waivers apart. Wrapped to the width given (80 by default),
 * by display columns; every name is escaped so that control bytes cannot
 * reach the terminal. Colour (ANSI SGR) only when the caller asks for it.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#define TEXT_ROLES(X) \
    X(ERROR,   "1;31") \
    X(WARNING, "1;33") \
    X(INFO,    "1;36") \
    X(HEAD,    "1")    \
    X(OBJECT,  "1")    \
    X(RULE,    "1")    \
    X(FIX,     "32")   \
    X(DIM,     "2")

#define X(id, sgr) ROLE_T_##id,
enum text_role { TEXT_ROLES(X) ROLE_T_COUNT };
#undef X
#define X(id, sgr) sgr,
static const char *const role_sgr[ROLE_T_COUNT] = { TEXT_ROLES(X) };
#undef X

/* Severity -> its role and its heading. */
static const int sev_role[SEV_COUNT] = {
    [SEV_INFO] = ROLE_T_INFO, [SEV_WARNING] = ROLE_T_WARNING, [SEV_ERROR] = ROLE_T_ERROR,
};
static const char *const sev_heading[SEV_COUNT] = {
    [SEV_INFO] = "Info", [SEV_WARNING] = "Warnings", [SEV_ERROR] = "Errors",
};

struct out {
    FILE *f;
    bool color;
    int width;
    char *buf;                  /* escaped text, reused */
    size_t cap;
    bool failed;                /* out of memory */
    const struct report *r;
};

static void
on(struct out *o, int role)
{
    if (o->color)
        fprintf(o->f, "\033[%sm", role_sgr[role]);
}

static void
off(struct out *o)
{
    if (o->color)
        fputs("\033[0m", o->f);
}

/* s escaped into o->buf (s itself when it is plain printable ASCII, the
 * common case, which is worth a fast path at a million findings). */
static const char *
esc(struct out *o, const char *s)
{
    const unsigned char *p;
    size_t n;
    char *nb;

    for (p = (const unsigned char *)s; *p >= 0x20 && *p < 0x7f; p++)
        ;
    if (!*p)
        return s;
    n = report_escape(s, NULL, 0) + 1;

    if (n > o->cap) {
        nb = realloc(o->buf, n);
        if (!nb) {
            o->failed = true;
            return "";
        }
        o->buf = nb;
        o->cap = n;
    }
    report_escape(s, o->buf, o->cap);
    return o->buf;
}

static void
spaces(FILE *f, int n)
{
    static const char blanks[] = "                                ";

    while (n > 0) {
        int k = n < (int)sizeof blanks - 1 ? n : (int)sizeof blanks - 1;

        fwrite(blanks, 1, (size_t)k, f);
        n -= k;
    }
}

/* Bytes of the longest prefix of s (n bytes) that fits in cols columns;
 * at least one character. */
static size_t
fit(const char *s, size_t n, int cols)
{
    size_t at = 0, len;
    char ch[8];    /* bounded: one UTF-8 character (at most 4 bytes) */
    int w = 0, cw;

    while (at < n) {
        len = 1;
        while (at + len < n && ((unsigned char)s[at + len] & 0xc0) == 0x80 && len < 4)
            len++;
        memcpy(ch, s + at, len);
        ch[len] = '\0';
        cw = report_width(ch);
        if (at > 0 && w + cw > cols)
            break;
        w += cw;
        at += len;
    }
    return at;
}

/* Display columns of n bytes of s. */
static int
width_n(const char *s, size_t n)
{
    size_t at = 0, len;
    char ch[8];    /* bounded: one UTF-8 character (at most 4 bytes) */
    int w = 0;

    while (at < n) {
        if ((unsigned char)s[at] < 0x80) {
            /* escaped text holds no control bytes: one column each */
            w++;
            at++;
            continue;
        }
        len = 1;
        while (at + len < n && ((unsigned char)s[at + len] & 0xc0) == 0x80 && len < 4)
            len++;
        memcpy(ch, s + at, len);
        ch[len] = '\0';
        w += report_width(ch);
        at += len;
    }
    return w;
}

/* Print already escaped text starting at column col, breaking at blanks
 * before the width and continuing lines at column indent (wrap ends the
 * line, wrap_nonl does not). A word longer than a whole line is cut. */
static void
wrap_nonl(struct out *o, const char *text, int col, int indent)
{
    const char *p = text, *w;
    size_t n, cut;
    int ww, limit = o->width;
    bool first = true;

    if (limit - indent < 20)
        limit = indent + 20;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        w = p;
        while (*p && *p != ' ')
            p++;
        n = (size_t)(p - w);
        ww = width_n(w, n);
        if (!first && col + 1 + ww > limit) {
            fputc('\n', o->f);
            spaces(o->f, indent);
            col = indent;
            first = true;
        }
        if (!first) {
            fputc(' ', o->f);
            col++;
        }
        while (col + ww > limit) {
            cut = fit(w, n, limit - col);
            fwrite(w, 1, cut, o->f);
            if (cut == n) {
                col += ww;
                ww = 0;
                n = 0;
                break;
            }
            w += cut;
            n -= cut;
            ww = width_n(w, n);
            fputc('\n', o->f);
            spaces(o->f, indent);
            col = indent;
        }
        fwrite(w, 1, n, o->f);
        col += ww;
        first = false;
    }
}

static void
wrap(struct out *o, const char *text, int col, int indent)
{
    wrap_nonl(o, text, col, indent);
    fputc('\n', o->f);
}

static void
plural(char *buf, size_t size, size_t *at, int32_t n, const char *one, const char *many)
{
    int k = snprintf(buf + *at, size - *at, "%s%d %s", *at ? ", " : "", (int)n,
                     n == 1 ? one : many);

    if (k > 0 && (size_t)k < size - *at)
        *at += (size_t)k;
}

/* "5 errors, 2 warnings, 1 waived, 1 expired waiver in 31 datasets". */
static void
summary(const struct report *r, char *buf, size_t size)
{
    const struct check_stats *s = &r->stats;
    size_t at = 0;

    buf[0] = '\0';
    if (s->count[SEV_ERROR] + s->count[SEV_WARNING] + s->count[SEV_INFO] == 0) {
        at = (size_t)snprintf(buf, size, "no findings");
    } else {
        plural(buf, size, &at, s->count[SEV_ERROR], "error", "errors");
        plural(buf, size, &at, s->count[SEV_WARNING], "warning", "warnings");
        if (s->count[SEV_INFO])
            plural(buf, size, &at, s->count[SEV_INFO], "info", "info");
    }
    if (s->waived)
        plural(buf, size, &at, s->waived, "waived", "waived");
    if (s->expired_waivers)
        plural(buf, size, &at, s->expired_waivers, "expired waiver", "expired waivers");
    snprintf(buf + at, size - at, " in %d %s", (int)r->ndatasets,
             r->ndatasets == 1 ? "dataset" : "datasets");
}

static void
heading(struct out *o, int role, const char *title, int32_t n)
{
    fputc('\n', o->f);
    on(o, role);
    fprintf(o->f, "%s (%d)", title, (int)n);
    off(o);
    fputc('\n', o->f);
}

static void
object_line(struct out *o, const struct finding *f)
{
    const char *kind = obj_kind_names[f->kind < OBJ_KIND_COUNT ? f->kind : OBJ_DATASET];

    fputc('\n', o->f);
    fputs(kind, o->f);
    fputc(' ', o->f);
    on(o, ROLE_T_OBJECT);
    /* A 10 KB name is cut into lines like any other long word. */
    wrap_nonl(o, esc(o, f->selector), (int)strlen(kind) + 1, 2);
    off(o);
    /* a model file: where the object is, as editors jump to it */
    if (o->r && o->r->file) {
        int32_t line, col;
        if (report_locate(o->r, f, &line, &col)) {
            fputs("  ", o->f);
            on(o, ROLE_T_DIM);
            fputs(esc(o, o->r->file), o->f);
            fprintf(o->f, ":%d:%d", (int)line, (int)col);
            off(o);
        }
    }
    fputc('\n', o->f);
}

/* "  RULE  message": returns the column where the message starts and where
 * the lines under it are indented. */
static int
rule_line(struct out *o, const struct finding *f)
{
    const char *rule = esc(o, f->rule);
    int rw = report_width(rule), col;

    fputs("  ", o->f);
    on(o, ROLE_T_RULE);
    fputs(rule, o->f);
    off(o);
    if (rw <= 14) {
        col = 2 + (rw < 6 ? 6 : rw) + 2;
        spaces(o->f, col - 2 - rw);
    } else {
        col = 10;
        fputc('\n', o->f);
        spaces(o->f, col);
    }
    wrap(o, esc(o, f->message), col, col);
    return col;
}

/* A labelled block: "why: " then the lines under it. */
static void
label_line(struct out *o, int col, int role, const char *label, const char *text)
{
    spaces(o->f, col);
    on(o, role);
    fputs(label, o->f);
    off(o);
    wrap(o, esc(o, text), col + (int)strlen(label), col + (int)strlen(label));
}

static void
live_finding(struct out *o, const struct finding *f)
{
    int col = rule_line(o, f);
    uint32_t i;

    for (i = 0; i < f->why.n; i++)
        label_line(o, col, ROLE_T_DIM, "- ", f->why.v[i]);
    if (f->hint && *f->hint)
        label_line(o, col, ROLE_T_FIX, "fix: ", f->hint);
}

static void
waived_finding(struct out *o, const struct report *r, const struct finding *f)
{
    const struct waiver *w = f->waiver >= 0 && f->waiver < r->m->nwaivers
        ? &r->m->waivers[f->waiver] : NULL;
    int col = rule_line(o, f);
    char date[11], *t;    /* bounded: a YYYY-MM-DD date */

    sm_date_fmt(w ? w->expires : 0, date);
    spaces(o->f, col);
    on(o, ROLE_T_DIM);
    fputs("waived ", o->f);
    off(o);
    /* owner is escaped with the rest: build the text, whole, then wrap it all. */
    t = sm_strdupf("%s, by %s %s%s: %s", severity_names[f->severity],
                   w && *w->owner ? w->owner : "?", date[0] ? "until " : "no expiry", date,
                   w ? w->reason : "");
    if (!t) {
        o->failed = true;
        fputc('\n', o->f);
        return;
    }
    wrap(o, esc(o, t), col + 7, col + 7);
    free(t);
}

static void
expired_waiver(struct out *o, const struct waiver *w)
{
    char date[11];    /* bounded: a YYYY-MM-DD date */
    size_t n = strlen(w->owner) + strlen(w->reason) + 64;
    char *t = malloc(n);

    if (!t) {
        o->failed = true;
        return;
    }
    sm_date_fmt(w->expires, date);
    fputs("  ", o->f);
    on(o, ROLE_T_RULE);
    fputs(esc(o, w->key), o->f);
    off(o);
    fputc('\n', o->f);
    snprintf(t, n, "expired %s, owner %s: %s", date, *w->owner ? w->owner : "?",
             w->reason);
    spaces(o->f, 10);
    wrap(o, esc(o, t), 10, 10);
    free(t);
}

static int
write_text(const struct report *r, const struct report_opts *ro, FILE *f,
           struct sm_error *err)
{
    struct out o = { .f = f, .color = ro->color, .width = ro->width > 0 ? ro->width : 80,
                     .r = r };
    const struct finding *fd, *prev;
    char line[256];    /* bounded: the summary: counts and fixed words */
    int32_t i, start;
    int sev;

    summary(r, line, sizeof line);
    if (r->scenario) {
        fputs(line, f);
        fputs(" (scenario ", f);
        fputs(esc(&o, r->scenario), f);
        fputs(")\n", f);
    } else {
        fprintf(f, "%s\n", line);
    }
    /* Live findings come first in report order, by severity. */
    for (i = 0; i < r->nfindings && !r->findings[i].waived; i = start) {
        start = i;
        sev = r->findings[i].severity;
        heading(&o, sev_role[sev], sev_heading[sev], r->stats.count[sev]);
        prev = NULL;
        for (; start < r->nfindings && !r->findings[start].waived
               && r->findings[start].severity == sev; start++) {
            fd = &r->findings[start];
            if (!prev || prev->kind != fd->kind || strcmp(prev->selector, fd->selector))
                object_line(&o, fd);
            live_finding(&o, fd);
            prev = fd;
        }
    }
    if (r->stats.waived) {
        heading(&o, ROLE_T_HEAD, "Waived", r->stats.waived);
        prev = NULL;
        for (; i < r->nfindings; i++) {
            fd = &r->findings[i];
            if (!prev || prev->kind != fd->kind || strcmp(prev->selector, fd->selector))
                object_line(&o, fd);
            waived_finding(&o, r, fd);
            prev = fd;
        }
    }
    if (r->nexpired) {
        heading(&o, ROLE_T_WARNING, "Expired waivers", r->nexpired);
        fputc('\n', f);
        for (i = 0; i < r->nexpired; i++)
            expired_waiver(&o, &r->m->waivers[r->expired[i]]);
    }
    free(o.buf);
    if (o.failed)
        return sm_error_set(err, SM_ENOMEM, "report: out of memory");
    return SM_OK;
}

const struct report_ops report_text_ops = {
    .name = "text",
    .media = "text/plain",
    .write = write_text,
};
