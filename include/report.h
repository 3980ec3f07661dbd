/*
 * report.h - what `sovmap check` prints: the findings of one check run
 * (built-in rules from check_run and custom SQL rules of the pack) as text
 * for people, JSON for scripts, SARIF 2.1.0 for code-scanning tools and
 * JUnit XML for CI test views. Formats are documented in doc/reports.md.
 *
 * A report borrows the model and the check result (both must outlive it)
 * and owns copies of whatever is added to it (custom findings, rules).
 * io/: jansson lives here; writes only to the FILE it is given, never
 * opens the catalog.
 *
 * Waivers: a waiver is live on every day up to and including its expiry
 * date; from the day after it is expired, hides nothing and is reported.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

#include "check.h"
#include "model_json.h"

#define REPORT_TOOL_VERSION "0.1.0"

/* A rule the report knows: every rule of the pack, built-in or custom, so
 * that SARIF and JUnit list rules without findings too. */
struct report_rule {
    const char *id;             /* "RES001" */
    const char *title;          /* one line: "placement outside its tier's scope" */
    const char *description;    /* longer text, "" if none */
    uint8_t severity;           /* enum severity, the pack's default */
    uint8_t custom;             /* a custom SQL rule of the pack */
    const char *help;           /* the rule's documentation (markdown, sovmap explain's
                                 * text), NULL or "": the description stands in */
};

struct report {
    struct sm_arena arena;
    const struct model *m;              /* borrowed */
    const struct check_result *res;     /* borrowed, may be NULL */
    struct finding *findings;           /* report order after report_finish */
    int32_t nfindings, cap_findings;
    struct report_rule *rules;          /* sorted by id after report_finish */
    int32_t nrules, cap_rules;
    int32_t *expired;                   /* waiver ids past their date, by key */
    int32_t nexpired;
    struct check_stats stats;           /* over every finding, after report_finish */
    int32_t ndatasets;                  /* live datasets checked */
    int32_t today;                      /* yyyymmdd */
    const char *catalog;                /* catalog file path, NULL if none */
    const char *pack;                   /* rule pack name, "" if unknown */
    const char *scenario;               /* what-if checked, NULL for the base model */
    /* `sovmap check FILE`: the model-json file checked (no catalog) and
     * where its objects are; SARIF results point at those lines */
    const char *file;                   /* NULL: a catalog */
    const struct model_json_locs *locs; /* borrowed, may be NULL */
};

/* A report over m and res (res may be NULL: no built-in findings) as of
 * today. Copies res's findings (their strings stay borrowed) and expired
 * waivers; when res is NULL, expired waivers are computed from m.
 * SM_OK or SM_ENOMEM. */
int  report_new(const struct model *m, const struct check_result *res,
                int32_t today, struct report **out, struct sm_error *err);
void report_free(struct report *r);     /* NULL is fine */

/* Catalog path (NULL: not a file), pack name, scenario name (NULL: none).
 * Copied. SM_OK or SM_ENOMEM. */
int report_set_source(struct report *r, const char *catalog, const char *pack,
                      const char *scenario, struct sm_error *err);

/* The model came from a model-json file: its path (copied) and where its
 * objects are (borrowed: must outlive the report). SM_OK or SM_ENOMEM. */
int report_set_file(struct report *r, const char *path, const struct model_json_locs *locs,
                    struct sm_error *err);
/* The line and column of a finding's object in r->file (false: unknown). */
bool report_locate(const struct report *r, const struct finding *f, int32_t *line,
                   int32_t *col);

/* Add (or replace, by id) a rule. Copied. SM_OK or SM_ENOMEM. */
int report_add_rule(struct report *r, const struct report_rule *rule,
                    struct sm_error *err);
const struct report_rule *report_rule(const struct report *r, const char *id);

/* Add a finding (strings and why chain copied). When f->waiver is SM_NONE
 * the model's waiver "RULE:SELECTOR" is looked up and, when live, hides it
 * (waived = 1, waiver = its id). SM_OK or SM_ENOMEM. */
int report_add_finding(struct report *r, const struct finding *f,
                       struct sm_error *err);

/* One row of a custom SQL rule (doc/reports.md, "custom rules"): columns
 * object, kind, dataset, message, severity, hint, jurisdictions, why; any
 * other column becomes a "name: value" line of the why chain. values[i]
 * NULL is SQL NULL. SM_EINVAL "custom rule X: ..." when the row names no
 * object, or has an unknown kind or severity; SM_ENOMEM. */
int report_add_row(struct report *r, const struct report_rule *rule, int ncols,
                   const char *const *names, const char *const *values,
                   struct sm_error *err);

/* Sort findings (live before waived; severity, error first; object
 * selector; rule; message), sort rules, count the statistics. Call once
 * after the last add and before writing. */
void report_finish(struct report *r);

/* fail_on: an enum severity, or SEV_COUNT for "never". True when a live
 * finding is at or above it. */
bool report_fails(const struct report *r, int fail_on);

#define REPORT_FORMATS(X) \
    X(TEXT,  "text") \
    X(JSON,  "json") \
    X(SARIF, "sarif") \
    X(JUNIT, "junit")

#define X(id, name) REPORT_##id,
enum report_format { REPORT_FORMATS(X) REPORT_FORMAT_COUNT };
#undef X

/* "error", "warning", "info" -> enum severity, "never" -> SEV_COUNT;
 * SM_NONE when unknown. */
int report_fail_on_parse(const char *s);
/* "text" ... -> enum report_format, SM_NONE when unknown. */
int report_format_parse(const char *s);

struct report_opts {
    int format;                 /* enum report_format */
    int fail_on;                /* enum severity or SEV_COUNT (never) */
    bool color;                 /* text: ANSI colours and bold */
    int width;                  /* text: wrap column, 0 = 80 */
    const char *doc_uri;        /* SARIF helpUri base: ".../rules.md", NULL = none */
};

struct report_ops {
    const char *name;           /* "sarif" */
    const char *media;          /* "application/sarif+json" */
    int (*write)(const struct report *r, const struct report_opts *o, FILE *f,
                 struct sm_error *err);
};

/* Indexed by enum report_format. */
extern const struct report_ops *const report_formats[REPORT_FORMAT_COUNT];

/* Write r in o->format to f. SM_EIO on a write error, SM_ENOMEM. */
int report_write(const struct report *r, const struct report_opts *o, FILE *f,
                 struct sm_error *err);

/* ---- helpers shared by the writers (and tested on their own) ------------- */

/* Copy s into buf (size bytes, always NUL-terminated when size > 0) with
 * control bytes, C1 controls, bidi overrides and invalid UTF-8 escaped
 * (\n, \t, \r, \x1b, \u202e), so a hostile name cannot move the cursor.
 * Returns the length the full escaped text needs (like snprintf). */
size_t report_escape(const char *s, char *buf, size_t size);
/* Decode the UTF-8 sequence at s (n bytes available): its length, or 0
 * when the bytes are not valid UTF-8 (overlong, surrogate, truncated). */
int report_utf8_next(const char *s, size_t n, uint32_t *cp);
/* Copy s into buf with every invalid UTF-8 byte replaced by U+FFFD (so
 * JSON and XML writers get valid text). Returns the length needed. */
size_t report_utf8_clean(const char *s, char *buf, size_t size);
/* Display columns of UTF-8 text (wcwidth; invalid bytes count 1). */
int report_width(const char *s);
/* A SARIF artifact URI for a file: relative to the current directory
 * ("model/eu.json", percent-encoded) with *relative set, for uriBaseId
 * %SRCROOT% (the checkout a CI job runs in); a path outside it gives the
 * file:// URI and *relative false. Returns the length needed. */
size_t report_rel_uri(const char *path, char *buf, size_t size, bool *relative);
/* "file:///abs/path%20x" for a path (made absolute against the current
 * directory). Returns the length needed, like snprintf. */
size_t report_file_uri(const char *path, char *buf, size_t size);

/* ---- the check as `sovmap check` and `sovmap waive` run it (src/cli) ----- */

struct cli;
/* Open the catalog, load the pack, run check_run as of c->today and the
 * pack's custom rules (read-only, 2000 ms each), into a finished report.
 * The caller frees *res_out after report_free(*out). Prints its own error
 * and returns CLI_USAGE on failure; CLI_OK otherwise. */
int cli_check_collect(struct cli *c, struct report **out,
                      struct check_result **res_out);

#endif
