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
    bool failed;                /* out of memory while building */
};

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
    char buf[11];

    if (!d)
        return json_null();
    sm_date_fmt(d, buf);
    return jstr(w, buf);
}

/* o[k] = v, remembering a failure (v NULL from an allocation). */
static void
set(struct jw *w, json_t *o, const char *k, json_t *v)
{
    if (!o || !v || json_object_set_new(o, k, v) != 0)
        w->failed = true;
}

static void
push(struct jw *w, json_t *a, json_t *v)
{
    if (!a || !v || json_array_append_new(a, v) != 0)
        w->failed = true;
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
    if (!v) {
        w->failed = true;
        return;
    }
    if (json_dumpf(v, w->f, JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) != 0)
        w->failed = true;
    json_decref(v);
}

/* "  "key": value" with a trailing comma unless last. */
static void
member(struct jw *w, int indent, const char *key, json_t *v, bool last)
{
    fprintf(w->f, "%*s\"%s\": ", indent, "", key);
    dump(w, v);
    fputs(last ? "\n" : ",\n", w->f);
}

static void
item(struct jw *w, int indent, json_t *v, bool last)
{
    fprintf(w->f, "%*s", indent, "");
    dump(w, v);
    fputs(last ? "\n" : ",\n", w->f);
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
why_json(struct jw *w, const struct finding *f)
{
    json_t *a = arr(w);
    uint32_t i;

    for (i = 0; i < f->why.n; i++)
        push(w, a, jstr(w, f->why.v[i]));
    return a;
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

static json_t *
finding_json(struct jw *w, const struct report *r, const struct finding *f)
{
    const struct waiver *wv = waiver_of(r, f);
    const char *ds = dataset_name(r, f);
    json_t *o = obj(w), *ob = obj(w);

    set(w, o, "rule", jstr(w, f->rule));
    set(w, o, "severity", jstr(w, severity_names[f->severity]));
    set(w, ob, "kind", jstr(w, kind_name(f)));
    set(w, ob, "selector", jstr(w, f->selector));
    set(w, o, "object", ob);
    set(w, o, "dataset", ds ? jstr(w, ds) : json_null());
    set(w, o, "jurisdictions", jstr(w, f->jurisdictions));
    set(w, o, "message", jstr(w, f->message));
    set(w, o, "why", why_json(w, f));
    set(w, o, "hint", jstr(w, f->hint));
    set(w, o, "waived", json_boolean(f->waived));
    set(w, o, "waiver", wv ? waiver_json(w, wv) : json_null());
    return o;
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

    fputs("{\n", f);
    member(&w, 2, "sovmap", jstr(&w, REPORT_TOOL_VERSION), false);
    member(&w, 2, "date", jdate(&w, r->today), false);
    member(&w, 2, "catalog", r->catalog ? jstr(&w, r->catalog) : json_null(), false);
    member(&w, 2, "rule_pack", jstr(&w, r->pack), false);
    member(&w, 2, "scenario", r->scenario ? jstr(&w, r->scenario) : json_null(), false);
    member(&w, 2, "summary", summary_json(&w, r, o), false);
    fputs("  \"rules\": [", f);
    for (i = 0; i < r->nrules && !w.failed; i++) {
        fputs(i ? "" : "\n", f);
        item(&w, 4, rule_json(&w, &r->rules[i]), i == r->nrules - 1);
    }
    fputs(r->nrules ? "  ],\n" : "],\n", f);
    fputs("  \"findings\": [", f);
    for (i = 0; i < r->nfindings && !w.failed; i++) {
        fputs(i ? "" : "\n", f);
        item(&w, 4, finding_json(&w, r, &r->findings[i]), i == r->nfindings - 1);
    }
    fputs(r->nfindings ? "  ],\n" : "],\n", f);
    fputs("  \"expired_waivers\": [", f);
    for (i = 0; i < r->nexpired && !w.failed; i++) {
        fputs(i ? "" : "\n", f);
        item(&w, 4, waiver_json(&w, &r->m->waivers[r->expired[i]]), i == r->nexpired - 1);
    }
    fputs(r->nexpired ? "  ]\n" : "]\n", f);
    fputs("}\n", f);
    if (w.failed)
        return sm_error_set(err, SM_ENOMEM, "report: out of memory");
    return SM_OK;
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
    char uri[2048], anchor[128];
    size_t i;

    set(w, d, "id", jstr(w, ru->id));
    set(w, d, "shortDescription", text_msg(w, *ru->title ? ru->title : ru->id));
    set(w, d, "fullDescription",
        text_msg(w, *ru->description ? ru->description : *ru->title ? ru->title : ru->id));
    /* Built-in rules are documented in doc/rules.md under their id;
     * custom rules live in the pack and have no page. */
    if (o->doc_uri && *o->doc_uri && !ru->custom) {
        for (i = 0; ru->id[i] && i + 1 < sizeof anchor; i++)
            anchor[i] = (char)tolower((unsigned char)ru->id[i]);
        anchor[i] = '\0';
        snprintf(uri, sizeof uri, "%s#%s", o->doc_uri, anchor);
        set(w, d, "helpUri", jstr(w, uri));
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

/* The message people see first: the finding, then why, then the fix. */
static char *
sarif_text(const struct finding *f)
{
    size_t n = strlen(f->message) + strlen(f->hint) + 32;
    char *t, *p;
    uint32_t i;

    for (i = 0; i < f->why.n; i++)
        n += strlen(f->why.v[i]) + 4;
    t = malloc(n);
    if (!t)
        return NULL;
    p = t + sprintf(t, "%s", f->message);
    for (i = 0; i < f->why.n; i++)
        p += sprintf(p, "%s%s", i ? "; " : "\nwhy: ", f->why.v[i]);
    if (*f->hint)
        sprintf(p, "\nfix: %s", f->hint);
    return t;
}

static json_t *
sarif_result(struct jw *w, const struct report *r, const struct finding *f,
             const char *catalog_uri)
{
    const struct waiver *wv = waiver_of(r, f);
    const char *ds = dataset_name(r, f);
    json_t *res = obj(w), *locs = arr(w), *loc = obj(w), *lls = arr(w), *ll = obj(w);
    json_t *fp = obj(w), *props = obj(w), *pl, *al;
    char *text = sarif_text(f), key[1100];
    int32_t ri = rule_index(r, f->rule);

    set(w, res, "ruleId", jstr(w, f->rule));
    if (ri != SM_NONE)
        set(w, res, "ruleIndex", json_integer(ri));
    set(w, res, "level", jstr(w, sarif_level[f->severity]));
    if (!text)
        w->failed = true;
    set(w, res, "message", text_msg(w, text ? text : f->message));
    free(text);
    if (catalog_uri) {
        pl = obj(w);
        al = obj(w);
        set(w, al, "uri", jstr(w, catalog_uri));
        set(w, pl, "artifactLocation", al);
        set(w, loc, "physicalLocation", pl);
    }
    set(w, ll, "name", jstr(w, f->selector));
    snprintf(key, sizeof key, "%s:%s", kind_name(f), f->selector);
    set(w, ll, "fullyQualifiedName", jstr(w, key));
    set(w, ll, "kind", jstr(w, kind_name(f)));
    push(w, lls, ll);
    set(w, loc, "logicalLocations", lls);
    push(w, locs, loc);
    set(w, res, "locations", locs);
    snprintf(key, sizeof key, "%s:%s", f->rule, f->selector);
    set(w, fp, "sovmapFinding/v1", jstr(w, key));
    set(w, res, "partialFingerprints", fp);
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
        set(w, res, "suppressions", sups);
    }
    set(w, props, "severity", jstr(w, severity_names[f->severity]));
    set(w, props, "dataset", ds ? jstr(w, ds) : json_null());
    set(w, props, "jurisdictions", jstr(w, f->jurisdictions));
    set(w, props, "why", why_json(w, f));
    set(w, props, "hint", jstr(w, f->hint));
    set(w, res, "properties", props);
    return res;
}

static json_t *
expired_note(struct jw *w, const struct waiver *wv)
{
    json_t *n = obj(w), *props;
    char date[11];
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

    if (r->catalog) {
        n = report_file_uri(r->catalog, NULL, 0) + 1;
        uri = malloc(n);
        if (!uri)
            return sm_error_set(err, SM_ENOMEM, "report: out of memory");
        report_file_uri(r->catalog, uri, n);
    }
    fputs("{\n", f);
    member(&w, 2, "$schema", jstr(&w, SARIF_SCHEMA), false);
    member(&w, 2, "version", jstr(&w, "2.1.0"), false);
    fputs("  \"runs\": [\n    {\n", f);
    fputs("      \"tool\": {\n        \"driver\": {\n", f);
    member(&w, 10, "name", jstr(&w, "sovmap"), false);
    member(&w, 10, "version", jstr(&w, REPORT_TOOL_VERSION), false);
    member(&w, 10, "semanticVersion", jstr(&w, REPORT_TOOL_VERSION), false);
    fputs("          \"rules\": [", f);
    for (i = 0; i < r->nrules && !w.failed; i++) {
        fputs(i ? "" : "\n", f);
        item(&w, 12, sarif_rule(&w, &r->rules[i], o), i == r->nrules - 1);
    }
    fputs(r->nrules ? "          ]\n" : "]\n", f);
    fputs("        }\n      },\n", f);

    /* Expired waivers hide nothing; they are worth a warning in the run. */
    fputs("      \"invocations\": [\n        {\n", f);
    member(&w, 10, "executionSuccessful", json_true(), false);
    fputs("          \"toolExecutionNotifications\": [", f);
    for (i = 0; i < r->nexpired && !w.failed; i++) {
        fputs(i ? "" : "\n", f);
        item(&w, 12, expired_note(&w, &r->m->waivers[r->expired[i]]), i == r->nexpired - 1);
    }
    fputs(r->nexpired ? "          ]\n" : "]\n", f);
    fputs("        }\n      ],\n", f);

    fputs("      \"results\": [", f);
    for (i = 0; i < r->nfindings && !w.failed; i++) {
        fputs(i ? "" : "\n", f);
        item(&w, 8, sarif_result(&w, r, &r->findings[i], uri), i == r->nfindings - 1);
    }
    fputs(r->nfindings ? "      ],\n" : "],\n", f);
    props = obj(&w);
    set(&w, props, "date", jdate(&w, r->today));
    set(&w, props, "rulePack", jstr(&w, r->pack));
    set(&w, props, "scenario", r->scenario ? jstr(&w, r->scenario) : json_null());
    set(&w, props, "summary", summary_json(&w, r, o));
    member(&w, 6, "properties", props, true);
    fputs("    }\n  ]\n}\n", f);
    free(uri);
    if (w.failed)
        return sm_error_set(err, SM_ENOMEM, "report: out of memory");
    return SM_OK;
}

const struct report_ops report_sarif_ops = {
    .name = "sarif",
    .media = "application/sarif+json",
    .write = write_sarif,
};
