/*
 * report_json.c - the report for programs: sovmap's own JSON (stable,
 * documented in doc/reports.md) and SARIF 2.1.0 for code-scanning tools.
 *
 * Both are streamed: the frame is written here, each finding is one small
 * jansson object dumped on its own line, so a million findings never sit
 * in memory as a tree. Text that is not valid UTF-8 is repaired (U+FFFD)
 * so the output always parses.
 */
#include "report.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define SARIF_SCHEMA \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

struct jw {
    FILE *f;
    bool failed;                /* out of memory or a write error */
    char *buf;                  /* output buffer, written out in large pieces */
    size_t len, cap;
};

#define JW_CHUNK (64 * 1024)

static void
jw_flush(struct jw *w)
{
    if (w->len && fwrite(w->buf, 1, w->len, w->f) != w->len)
        w->failed = true;
    w->len = 0;
}

/* Room for n more bytes at w->buf + w->len, or NULL (failed is set). */
static char *
jw_room(struct jw *w, size_t n)
{
    char *nb;
    size_t cap;

    if (w->len + n <= w->cap)
        return w->buf + w->len;
    jw_flush(w);
    if (n > w->cap) {
        cap = n > JW_CHUNK ? n : JW_CHUNK;
        nb = realloc(w->buf, cap);
        if (!nb) {
            w->failed = true;
            return NULL;
        }
        w->buf = nb;
        w->cap = cap;
    }
    return w->buf;
}

static void
raw(struct jw *w, const char *s, size_t n)
{
    char *o = jw_room(w, n);

    if (o) {
        memcpy(o, s, n);
        w->len += n;
    }
}

static void
lit(struct jw *w, const char *s)
{
    raw(w, s, strlen(s));
}

/* The body of a JSON string (no quotes), escaped as jansson does: quote,
 * backslash and control characters; invalid UTF-8 becomes U+FFFD. */
static void
jesc(struct jw *w, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s ? s : ""), i = 0;
    char *o = jw_room(w, n * 6), *start = o;
    uint32_t cp;
    int len;

    if (!o)
        return;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];

        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            *o++ = (char)c;
            i++;
            continue;
        }
        if (c >= 0x80) {
            len = report_utf8_next(s + i, n - i, &cp);
            if (len == 0) {
                memcpy(o, "\xef\xbf\xbd", 3);
                o += 3;
                i++;
            } else {
                memcpy(o, s + i, (size_t)len);
                o += len;
                i += (size_t)len;
            }
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"':  *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\b': *o++ = 'b'; break;
        case '\f': *o++ = 'f'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
        i++;
    }
    w->len += (size_t)(o - start);
}

/* A JSON string literal. */
static void
jq(struct jw *w, const char *s)
{
    lit(w, "\"");
    jesc(w, s);
    lit(w, "\"");
}

/* sep "key": */
static void
key(struct jw *w, const char *sep, const char *k)
{
    lit(w, sep);
    jq(w, k);
    lit(w, ": ");
}

/* sep "key": "value" (null for NULL). */
static void
kv(struct jw *w, const char *sep, const char *k, const char *value)
{
    key(w, sep, k);
    if (value)
        jq(w, value);
    else
        lit(w, "null");
}

static int
jw_end(struct jw *w, struct sm_error *err)
{
    jw_flush(w);
    free(w->buf);
    if (w->failed)
        return sm_error_set(err, SM_EIO, "report: out of memory or cannot write");
    return SM_OK;
}

static json_t *
jstr(struct jw *w, const char *s)
{
    json_t *j = json_string(s ? s : "");
    size_t n;
    char *b;

    if (j)
        return j;
    n = report_utf8_clean(s, NULL, 0) + 1;
    b = malloc(n);
    if (b) {
        report_utf8_clean(s, b, n);
        j = json_string(b);
        free(b);
    }
    if (!j)
        w->failed = true;
    return j;
}

static json_t *
jdate(struct jw *w, int32_t d)
{
    char buf[11];    /* bounded: a YYYY-MM-DD date */

    if (!d)
        return json_null();
    sm_date_fmt(d, buf);
    return jstr(w, buf);
}

/* o[k] = v, remembering a failure (v NULL from an allocation). v is taken
 * even then: json_object_set_new frees it on failure, and with no o we do. */
static void
set(struct jw *w, json_t *o, const char *k, json_t *v)
{
    if (!o || !v || json_object_set_new(o, k, v) != 0) {
        if (!o)
            json_decref(v);
        w->failed = true;
    }
}

static void
push(struct jw *w, json_t *a, json_t *v)
{
    if (!a || !v || json_array_append_new(a, v) != 0) {
        if (!a)
            json_decref(v);
        w->failed = true;
    }
}

static json_t *
obj(struct jw *w)
{
    json_t *o = json_object();

    if (!o)
        w->failed = true;
    return o;
}

static json_t *
arr(struct jw *w)
{
    json_t *a = json_array();

    if (!a)
        w->failed = true;
    return a;
}

/* Dump v on the current line and release it. */
static void
dump(struct jw *w, json_t *v)
{
    const size_t flags = JSON_PRESERVE_ORDER | JSON_ENCODE_ANY;
    size_t n;
    char *o;

    if (!v) {
        w->failed = true;
        return;
    }
    n = json_dumpb(v, NULL, 0, flags);
    if (n == 0 || !(o = jw_room(w, n)) || json_dumpb(v, o, n, flags) != n)
        w->failed = true;
    else
        w->len += n;
    json_decref(v);
}

/* "  "key": value" with a trailing comma unless last. */
static void
member(struct jw *w, int indent, const char *key, json_t *v, bool last)
{
    raw(w, "                ", (size_t)indent);
    jq(w, key);
    lit(w, ": ");
    dump(w, v);
    lit(w, last ? "\n" : ",\n");
}

static void
item(struct jw *w, int indent, json_t *v, bool last)
{
    raw(w, "                ", (size_t)indent);
    dump(w, v);
    lit(w, last ? "\n" : ",\n");
}

/* A hand-written item (findings, results: the many): indent before, the
 * separator after. */
static void
item_open(struct jw *w, int indent)
{
    raw(w, "                ", (size_t)indent);
}

static void
item_close(struct jw *w, bool last)
{
    lit(w, last ? "\n" : ",\n");
}

static void
why_raw(struct jw *w, const struct finding *f)
{
    uint32_t i;

    lit(w, "[");
    for (i = 0; i < f->why.n; i++) {
        if (i)
            lit(w, ", ");
        jq(w, f->why.v[i]);
    }
    lit(w, "]");
}

static const char *
kind_name(const struct finding *f)
{
    return obj_kind_names[f->kind < OBJ_KIND_COUNT ? f->kind : OBJ_DATASET];
}

static const char *
dataset_name(const struct report *r, const struct finding *f)
{
    if (f->dataset < 0 || f->dataset >= r->m->ndatasets)
        return NULL;
    return r->m->datasets[f->dataset].name;
}

static const struct waiver *
waiver_of(const struct report *r, const struct finding *f)
{
    if (!f->waived || f->waiver < 0 || f->waiver >= r->m->nwaivers)
        return NULL;
    return &r->m->waivers[f->waiver];
}

static json_t *
waiver_json(struct jw *w, const struct waiver *wv)
{
    json_t *o = obj(w);

    set(w, o, "key", jstr(w, wv->key));
    set(w, o, "rule", jstr(w, wv->rule));
    set(w, o, "object", jstr(w, wv->object));
    set(w, o, "owner", jstr(w, wv->owner));
    set(w, o, "reason", jstr(w, wv->reason));
    set(w, o, "expires", jdate(w, wv->expires));
    return o;
}

static json_t *
summary_json(struct jw *w, const struct report *r, const struct report_opts *o)
{
    static const char *const fail_on[SEV_COUNT + 1] = {
        [SEV_INFO] = "info", [SEV_WARNING] = "warning", [SEV_ERROR] = "error",
        [SEV_COUNT] = "never",
    };
    json_t *s = obj(w);
    int fo = o->fail_on >= 0 && o->fail_on <= SEV_COUNT ? o->fail_on : SEV_ERROR;

    set(w, s, "errors", json_integer(r->stats.count[SEV_ERROR]));
    set(w, s, "warnings", json_integer(r->stats.count[SEV_WARNING]));
    set(w, s, "info", json_integer(r->stats.count[SEV_INFO]));
    set(w, s, "waived", json_integer(r->stats.waived));
    set(w, s, "expired_waivers", json_integer(r->stats.expired_waivers));
    set(w, s, "unknown_subjects", json_integer(r->stats.unknown_subjects));
    set(w, s, "datasets", json_integer(r->ndatasets));
    set(w, s, "fail_on", jstr(w, fail_on[fo]));
    set(w, s, "failed", json_boolean(report_fails(r, fo)));
    return s;
}

/* ---- sovmap JSON --------------------------------------------------------------- */

static void
finding_raw(struct jw *w, const struct report *r, const struct finding *f)
{
    const struct waiver *wv = waiver_of(r, f);

    kv(w, "{", "rule", f->rule);
    kv(w, ", ", "severity", severity_names[f->severity]);
    key(w, ", ", "object");
    kv(w, "{", "kind", kind_name(f));
    kv(w, ", ", "selector", f->selector);
    /* checked from a model file: where the object is in it */
    if (r->file) {
        int32_t line, col;
        char num[64];    /* bounded: a line and a column number */
        if (report_locate(r, f, &line, &col)) {
            snprintf(num, sizeof num, ", \"line\": %d, \"column\": %d", (int)line, (int)col);
            lit(w, num);
        } else {
            lit(w, ", \"line\": null, \"column\": null");
        }
    }
    kv(w, "}, ", "dataset", dataset_name(r, f));
    kv(w, ", ", "jurisdictions", f->jurisdictions);
    kv(w, ", ", "message", f->message);
    lit(w, ", \"why\": ");
    why_raw(w, f);
    kv(w, ", ", "hint", f->hint);
    lit(w, f->waived ? ", \"waived\": true, \"waiver\": " : ", \"waived\": false, \"waiver\": ");
    if (wv)
        dump(w, waiver_json(w, wv));
    else
        lit(w, "null");
    lit(w, "}");
}

static json_t *
rule_json(struct jw *w, const struct report_rule *ru)
{
    json_t *o = obj(w);

    set(w, o, "id", jstr(w, ru->id));
    set(w, o, "title", jstr(w, ru->title));
    set(w, o, "severity", jstr(w, severity_names[ru->severity]));
    set(w, o, "custom", json_boolean(ru->custom));
    return o;
}

static int
write_json(const struct report *r, const struct report_opts *o, FILE *f,
           struct sm_error *err)
{
    struct jw w = { .f = f };
    int32_t i;

    lit(&w, "{\n");
    member(&w, 2, "sovmap", jstr(&w, REPORT_TOOL_VERSION), false);
    member(&w, 2, "date", jdate(&w, r->today), false);
    member(&w, 2, "catalog", r->catalog ? jstr(&w, r->catalog) : json_null(), false);
    if (r->file)
        member(&w, 2, "file", jstr(&w, r->file), false);
    member(&w, 2, "rule_pack", jstr(&w, r->pack), false);
    member(&w, 2, "scenario", r->scenario ? jstr(&w, r->scenario) : json_null(), false);
    member(&w, 2, "summary", summary_json(&w, r, o), false);
    lit(&w, "  \"rules\": [");
    for (i = 0; i < r->nrules && !w.failed; i++) {
        lit(&w, i ? "" : "\n");
        item(&w, 4, rule_json(&w, &r->rules[i]), i == r->nrules - 1);
    }
    lit(&w, r->nrules ? "  ],\n" : "],\n");
    lit(&w, "  \"findings\": [");
    for (i = 0; i < r->nfindings && !w.failed; i++) {
        lit(&w, i ? "" : "\n");
        item_open(&w, 4);
        finding_raw(&w, r, &r->findings[i]);
        item_close(&w, i == r->nfindings - 1);
    }
    lit(&w, r->nfindings ? "  ],\n" : "],\n");
    lit(&w, "  \"expired_waivers\": [");
    for (i = 0; i < r->nexpired && !w.failed; i++) {
        lit(&w, i ? "" : "\n");
        item(&w, 4, waiver_json(&w, &r->m->waivers[r->expired[i]]), i == r->nexpired - 1);
    }
    lit(&w, r->nexpired ? "  ]\n" : "]\n");
    lit(&w, "}\n");
    return jw_end(&w, err);
}

const struct report_ops report_json_ops = {
    .name = "json",
    .media = "application/json",
    .write = write_json,
};

/* ---- SARIF 2.1.0 ---------------------------------------------------------------- */

static const char *const sarif_level[SEV_COUNT] = {
    [SEV_INFO] = "note", [SEV_WARNING] = "warning", [SEV_ERROR] = "error",
};

static json_t *
text_msg(struct jw *w, const char *text)
{
    json_t *m = obj(w);

    set(w, m, "text", jstr(w, text));
    return m;
}

static json_t *
sarif_rule(struct jw *w, const struct report_rule *ru, const struct report_opts *o)
{
    json_t *d = obj(w), *cfg = obj(w), *props = obj(w);
    char *uri;                  /* on the heap: --doc-uri has any length */

    set(w, d, "id", jstr(w, ru->id));
    set(w, d, "shortDescription", text_msg(w, *ru->title ? ru->title : ru->id));
    set(w, d, "fullDescription",
        text_msg(w, *ru->description ? ru->description : *ru->title ? ru->title : ru->id));
    /* Built-in rules are documented in doc/rules.md under their id;
     * custom rules live in the pack and have no page. */
    /* what GitHub code scanning shows beside the alert (it requires it) */
    {
        json_t *help = obj(w);
        const char *t = ru->help && *ru->help ? ru->help
                      : *ru->description ? ru->description : *ru->title ? ru->title : ru->id;
        set(w, help, "text", jstr(w, t));
        set(w, help, "markdown", jstr(w, t));
        set(w, d, "help", help);
    }
    if (o->doc_uri && *o->doc_uri && !ru->custom) {
        if (!(uri = sm_strdupf("%s#%s", o->doc_uri, ru->id))) {
            w->failed = true;
        } else {
            for (char *p = uri + strlen(o->doc_uri) + 1; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            set(w, d, "helpUri", jstr(w, uri));
            free(uri);
        }
    }
    set(w, cfg, "level", jstr(w, sarif_level[ru->severity]));
    set(w, d, "defaultConfiguration", cfg);
    set(w, props, "custom", json_boolean(ru->custom));
    set(w, d, "properties", props);
    return d;
}

static int32_t
rule_index(const struct report *r, const char *id)
{
    int32_t lo = 0, hi = r->nrules - 1, mid;
    int c;

    /* Rules are sorted by id after report_finish. */
    while (lo <= hi) {
        mid = lo + (hi - lo) / 2;
        c = strcmp(r->rules[mid].id, id);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return SM_NONE;
}

/* The message people see first: the finding, then why, then the fix,
 * as one JSON string. */
static void
sarif_text(struct jw *w, const struct finding *f)
{
    uint32_t i;

    lit(w, "\"");
    jesc(w, f->message);
    for (i = 0; i < f->why.n; i++) {
        lit(w, i ? "; " : "\\nwhy: ");
        jesc(w, f->why.v[i]);
    }
    if (*f->hint) {
        lit(w, "\\nfix: ");
        jesc(w, f->hint);
    }
    lit(w, "\"");
}

static void
sarif_result(struct jw *w, const struct report *r, const struct finding *f,
             const char *catalog_uri, bool relative)
{
    int32_t line, col;
    const struct waiver *wv = waiver_of(r, f);
    const char *kind = kind_name(f);
    int32_t ri = rule_index(r, f->rule);
    char num[32];    /* bounded: an int32 rule index */

    kv(w, "{", "ruleId", f->rule);
    if (ri != SM_NONE) {
        snprintf(num, sizeof num, ", \"ruleIndex\": %d", (int)ri);
        lit(w, num);
    }
    kv(w, ", ", "level", sarif_level[f->severity]);
    lit(w, ", \"message\": {\"text\": ");
    sarif_text(w, f);
    lit(w, "}, \"locations\": [{");
    if (catalog_uri) {
        kv(w, "\"physicalLocation\": {\"artifactLocation\": {", "uri", catalog_uri);
        if (relative)
            lit(w, ", \"uriBaseId\": \"%SRCROOT%\"");
        lit(w, "}");
        /* a model file: the line of the object, which code scanning
         * annotates on the pull request's diff */
        if (r->file && report_locate(r, f, &line, &col)) {
            char num[64];    /* bounded: a line and a column number */
            snprintf(num, sizeof num, ", \"region\": {\"startLine\": %d, \"startColumn\": %d}",
                     (int)line, (int)col);
            lit(w, num);
        }
        lit(w, "}, ");
    }
    kv(w, "\"logicalLocations\": [{", "name", f->selector);
    key(w, ", ", "fullyQualifiedName");
    lit(w, "\"");
    jesc(w, kind);
    lit(w, ":");
    jesc(w, f->selector);
    lit(w, "\"");
    kv(w, ", ", "kind", kind);
    lit(w, "}]}], \"partialFingerprints\": {\"sovmapFinding/v1\": \"");
    jesc(w, f->rule);
    lit(w, ":");
    jesc(w, f->selector);
    lit(w, "\"}");
    if (wv) {
        json_t *sups = arr(w), *sup = obj(w), *sp = obj(w);

        set(w, sup, "kind", jstr(w, "external"));
        set(w, sup, "status", jstr(w, "accepted"));
        set(w, sup, "justification", jstr(w, wv->reason));
        set(w, sp, "waiver", jstr(w, wv->key));
        set(w, sp, "owner", jstr(w, wv->owner));
        set(w, sp, "expires", jdate(w, wv->expires));
        set(w, sup, "properties", sp);
        push(w, sups, sup);
        lit(w, ", \"suppressions\": ");
        dump(w, sups);
    }
    kv(w, ", \"properties\": {", "severity", severity_names[f->severity]);
    kv(w, ", ", "dataset", dataset_name(r, f));
    kv(w, ", ", "jurisdictions", f->jurisdictions);
    lit(w, ", \"why\": ");
    why_raw(w, f);
    kv(w, ", ", "hint", f->hint);
    lit(w, "}}");
}

static json_t *
expired_note(struct jw *w, const struct waiver *wv)
{
    json_t *n = obj(w), *props;
    char date[11];    /* bounded: a YYYY-MM-DD date */
    size_t len = strlen(wv->key) + strlen(wv->owner) + strlen(wv->reason) + 64;
    char *t = malloc(len);

    if (!t) {
        w->failed = true;
        return n;
    }
    sm_date_fmt(wv->expires, date);
    snprintf(t, len, "waiver %s expired on %s (owner %s): %s", wv->key, date,
             *wv->owner ? wv->owner : "?", wv->reason);
    set(w, n, "level", jstr(w, "warning"));
    set(w, n, "message", text_msg(w, t));
    free(t);
    props = waiver_json(w, wv);
    set(w, n, "properties", props);
    return n;
}

static int
write_sarif(const struct report *r, const struct report_opts *o, FILE *f,
            struct sm_error *err)
{
    struct jw w = { .f = f };
    char *uri = NULL;
    json_t *props;
    size_t n;
    int32_t i;

    bool relative = false;

    if (r->file) {
        n = report_rel_uri(r->file, NULL, 0, &relative) + 1;
        uri = malloc(n);
        if (!uri)
            return sm_error_set(err, SM_ENOMEM, "report: out of memory");
        report_rel_uri(r->file, uri, n, &relative);
    } else if (r->catalog) {
        /* the catalog as the file or a model: relative to the checkout */
        n = report_rel_uri(r->catalog, NULL, 0, &relative) + 1;
        uri = malloc(n);
        if (!uri)
            return sm_error_set(err, SM_ENOMEM, "report: out of memory");
        report_rel_uri(r->catalog, uri, n, &relative);
    }
    lit(&w, "{\n");
    member(&w, 2, "$schema", jstr(&w, SARIF_SCHEMA), false);
    member(&w, 2, "version", jstr(&w, "2.1.0"), false);
    lit(&w, "  \"runs\": [\n    {\n");
    /* one category per checked thing, as GitHub code scanning keys runs */
    lit(&w, "      \"automationDetails\": {\"id\": \"sovmap/check/\"},\n");
    lit(&w, "      \"tool\": {\n        \"driver\": {\n");
    member(&w, 10, "name", jstr(&w, "sovmap"), false);
    member(&w, 10, "version", jstr(&w, REPORT_TOOL_VERSION), false);
    member(&w, 10, "semanticVersion", jstr(&w, REPORT_TOOL_VERSION), false);
    lit(&w, "          \"rules\": [");
    for (i = 0; i < r->nrules && !w.failed; i++) {
        lit(&w, i ? "" : "\n");
        item(&w, 12, sarif_rule(&w, &r->rules[i], o), i == r->nrules - 1);
    }
    lit(&w, r->nrules ? "          ]\n" : "]\n");
    lit(&w, "        }\n      },\n");

    /* Expired waivers hide nothing; they are worth a warning in the run. */
    lit(&w, "      \"invocations\": [\n        {\n");
    member(&w, 10, "executionSuccessful", json_true(), false);
    lit(&w, "          \"toolExecutionNotifications\": [");
    for (i = 0; i < r->nexpired && !w.failed; i++) {
        lit(&w, i ? "" : "\n");
        item(&w, 12, expired_note(&w, &r->m->waivers[r->expired[i]]), i == r->nexpired - 1);
    }
    lit(&w, r->nexpired ? "          ]\n" : "]\n");
    lit(&w, "        }\n      ],\n");

    lit(&w, "      \"results\": [");
    for (i = 0; i < r->nfindings && !w.failed; i++) {
        lit(&w, i ? "" : "\n");
        item_open(&w, 8);
        sarif_result(&w, r, &r->findings[i], uri, relative);
        item_close(&w, i == r->nfindings - 1);
    }
    lit(&w, r->nfindings ? "      ],\n" : "],\n");
    props = obj(&w);
    set(&w, props, "date", jdate(&w, r->today));
    set(&w, props, "rulePack", jstr(&w, r->pack));
    set(&w, props, "scenario", r->scenario ? jstr(&w, r->scenario) : json_null());
    set(&w, props, "summary", summary_json(&w, r, o));
    member(&w, 6, "properties", props, true);
    lit(&w, "    }\n  ]\n}\n");
    free(uri);
    return jw_end(&w, err);
}

const struct report_ops report_sarif_ops = {
    .name = "sarif",
    .media = "application/sarif+json",
    .write = write_sarif,
};
