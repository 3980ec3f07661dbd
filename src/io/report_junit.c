/*
 * report_junit.c - the report for CI test views: JUnit XML with one
 * testsuite per rule and one testcase per finding, so a CI system lists
 * each violation as its own failure. Mapping (doc/reports.md):
 *   live finding at or above --fail-on  -> <failure>
 *   live finding below it                -> passed, text in <system-out>
 *   waived finding                       -> <skipped> with owner and expiry
 *   rule without findings                -> one passing testcase "no findings"
 *   expired waivers                      -> testsuite "waivers", <system-out>
 * Everything is XML-escaped; bytes XML 1.0 cannot carry are written as \xNN.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

struct xw {
    FILE *f;
    char *buf;                  /* UTF-8-clean copy, reused */
    size_t cap;
    bool failed;
};

/* Escaped text; attr: also quotes and line breaks. */
static void
xml(struct xw *x, const char *s, bool attr)
{
    const unsigned char *p;
    size_t n;
    char *nb;

    /* Fast path: printable ASCII with nothing to escape, written as is. */
    for (p = (const unsigned char *)s; *p >= 0x20 && *p < 0x7f && *p != '&' && *p != '<'
         && *p != '>' && *p != '"' && *p != '\''; p++)
        ;
    if (!*p) {
        fwrite(s, 1, (size_t)(p - (const unsigned char *)s), x->f);
        return;
    }
    n = report_utf8_clean(s, NULL, 0) + 1;

    if (n > x->cap) {
        nb = realloc(x->buf, n);
        if (!nb) {
            x->failed = true;
            return;
        }
        x->buf = nb;
        x->cap = n;
    }
    report_utf8_clean(s, x->buf, x->cap);
    for (p = (const unsigned char *)x->buf; *p; p++) {
        switch (*p) {
        case '&':  fputs("&amp;", x->f); break;
        case '<':  fputs("&lt;", x->f); break;
        case '>':  fputs("&gt;", x->f); break;
        case '"':  fputs(attr ? "&quot;" : "\"", x->f); break;
        case '\'': fputs(attr ? "&apos;" : "'", x->f); break;
        case '\n': fputs(attr ? "&#10;" : "\n", x->f); break;
        case '\t': fputs(attr ? "&#9;" : "\t", x->f); break;
        case '\r': fputs("&#13;", x->f); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fprintf(x->f, "\\x%02x", *p);
            else
                fputc(*p, x->f);
        }
    }
}

static void
attr(struct xw *x, const char *name, const char *value)
{
    fprintf(x->f, " %s=\"", name);
    xml(x, value, true);
    fputc('"', x->f);
}

static void
attr_int(struct xw *x, const char *name, long v)
{
    fprintf(x->f, " %s=\"%ld\"", name, v);
}

/* Findings ordered by rule, then report order (stable through the index). */
struct by_rule {
    const char *rule;
    int32_t i;
};

static int
cmp_by_rule(const void *pa, const void *pb)
{
    const struct by_rule *a = pa, *b = pb;
    int c = strcmp(a->rule, b->rule);

    return c ? c : (a->i > b->i) - (a->i < b->i);
}

/* The body of a finding: why lines and fix. */
static void
details(struct xw *x, const struct finding *f)
{
    uint32_t i;

    xml(x, f->message, false);
    fputc('\n', x->f);
    for (i = 0; i < f->why.n; i++) {
        fputs("- ", x->f);
        xml(x, f->why.v[i], false);
        fputc('\n', x->f);
    }
    if (*f->hint) {
        fputs("fix: ", x->f);
        xml(x, f->hint, false);
        fputc('\n', x->f);
    }
}

static void
testcase(struct xw *x, const struct report *r, const struct finding *f, int fail_on)
{
    const char *kind = obj_kind_names[f->kind < OBJ_KIND_COUNT ? f->kind : OBJ_DATASET];
    const struct waiver *w;
    size_t n = strlen(kind) + strlen(f->selector) + 2;
    char *name = malloc(n), date[11], *t;

    if (!name) {
        x->failed = true;
        return;
    }
    snprintf(name, n, "%s %s", kind, f->selector);
    fputs("    <testcase classname=\"sovmap.", x->f);
    xml(x, f->rule, true);
    fputc('"', x->f);
    attr(x, "name", name);
    free(name);
    fputs(">\n", x->f);
    if (f->waived) {
        w = f->waiver >= 0 && f->waiver < r->m->nwaivers ? &r->m->waivers[f->waiver] : NULL;
        sm_date_fmt(w ? w->expires : 0, date);
        n = (w ? strlen(w->owner) + strlen(w->reason) : 0) + 64;
        t = malloc(n);
        if (!t) {
            x->failed = true;
            return;
        }
        snprintf(t, n, "waived by %s %s%s: %s", w && *w->owner ? w->owner : "?",
                 date[0] ? "until " : "with no expiry", date, w ? w->reason : "");
        fputs("      <skipped", x->f);
        attr(x, "message", t);
        free(t);
        fputs(">", x->f);
        details(x, f);
        fputs("</skipped>\n", x->f);
    } else if (fail_on < SEV_COUNT && f->severity >= fail_on) {
        fputs("      <failure", x->f);
        attr(x, "type", severity_names[f->severity]);
        attr(x, "message", f->message);
        fputs(">", x->f);
        details(x, f);
        fputs("</failure>\n", x->f);
    } else {
        fprintf(x->f, "      <system-out>%s (below --fail-on): ", severity_names[f->severity]);
        details(x, f);
        fputs("</system-out>\n", x->f);
    }
    fputs("    </testcase>\n", x->f);
}

struct suite_count {
    long tests, failures, skipped;
};

static void
count(const struct finding *f, int fail_on, struct suite_count *c)
{
    c->tests++;
    if (f->waived)
        c->skipped++;
    else if (fail_on < SEV_COUNT && f->severity >= fail_on)
        c->failures++;
}

static void
suite_open(struct xw *x, const char *name, const struct suite_count *c,
           const struct report_rule *ru)
{
    fputs("  <testsuite", x->f);
    attr(x, "name", name);
    attr_int(x, "tests", c->tests);
    attr_int(x, "failures", c->failures);
    attr_int(x, "errors", 0);
    attr_int(x, "skipped", c->skipped);
    fputs(">\n", x->f);
    if (ru) {
        fputs("    <properties>\n      <property name=\"severity\"", x->f);
        attr(x, "value", severity_names[ru->severity]);
        fputs("/>\n      <property name=\"title\"", x->f);
        attr(x, "value", ru->title);
        fputs("/>\n    </properties>\n", x->f);
    }
}

static int
write_junit(const struct report *r, const struct report_opts *o, FILE *f,
            struct sm_error *err)
{
    struct xw x = { .f = f };
    struct suite_count total = { 0 }, c;
    struct by_rule *order;
    int32_t *idx = NULL, i, j, k, ri = 0;
    const char *rule;
    int fail_on = o->fail_on >= 0 && o->fail_on <= SEV_COUNT ? o->fail_on : SEV_ERROR;
    char date[11];    /* bounded: a YYYY-MM-DD date */
    int cmp;

    if (r->nfindings) {
        order = malloc((size_t)r->nfindings * sizeof *order);
        idx = malloc((size_t)r->nfindings * sizeof *idx);
        if (!order || !idx) {
            free(order);
            free(idx);
            return sm_error_set(err, SM_ENOMEM, "report: out of memory");
        }
        for (i = 0; i < r->nfindings; i++)
            order[i] = (struct by_rule){ r->findings[i].rule, i };
        qsort(order, (size_t)r->nfindings, sizeof *order, cmp_by_rule);
        for (i = 0; i < r->nfindings; i++)
            idx[i] = order[i].i;
        free(order);
    }
    for (i = 0; i < r->nfindings; i++)
        count(&r->findings[i], fail_on, &total);
    total.tests += r->nexpired > 0 ? r->nexpired : 0;
    /* Rules with no finding add one passing case each. */
    for (k = 0, j = 0; k < r->nrules; k++) {
        while (j < r->nfindings && strcmp(r->findings[idx[j]].rule, r->rules[k].id) < 0)
            j++;
        if (j >= r->nfindings || strcmp(r->findings[idx[j]].rule, r->rules[k].id) != 0)
            total.tests++;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", f);
    attr(&x, "name", "sovmap check");
    attr_int(&x, "tests", total.tests);
    attr_int(&x, "failures", total.failures);
    attr_int(&x, "errors", 0);
    /* no `skipped` here: the strict Jenkins xUnit schema (junit-10.xsd) allows
     * it on testsuite only; the suites carry it */
    fputs(">\n", f);

    /* Merge the sorted rule list with the findings sorted by rule. */
    i = 0;
    while (ri < r->nrules || i < r->nfindings) {
        if (ri >= r->nrules)
            cmp = 1;
        else if (i >= r->nfindings)
            cmp = -1;
        else
            cmp = strcmp(r->rules[ri].id, r->findings[idx[i]].rule);
        if (cmp < 0) {
            /* A rule with nothing to report. */
            c = (struct suite_count){ 1, 0, 0 };
            suite_open(&x, r->rules[ri].id, &c, &r->rules[ri]);
            fputs("    <testcase", f);
            fputs(" classname=\"sovmap.", f);
            xml(&x, r->rules[ri].id, true);
            fputs("\" name=\"no findings\"/>\n  </testsuite>\n", f);
            ri++;
            continue;
        }
        rule = r->findings[idx[i]].rule;
        memset(&c, 0, sizeof c);
        for (j = i; j < r->nfindings && strcmp(r->findings[idx[j]].rule, rule) == 0; j++)
            count(&r->findings[idx[j]], fail_on, &c);
        suite_open(&x, rule, &c, cmp == 0 ? &r->rules[ri] : NULL);
        for (; i < j; i++)
            testcase(&x, r, &r->findings[idx[i]], fail_on);
        fputs("  </testsuite>\n", f);
        if (cmp == 0)
            ri++;
    }
    if (r->nexpired) {
        c = (struct suite_count){ r->nexpired, 0, 0 };
        suite_open(&x, "waivers", &c, NULL);
        for (i = 0; i < r->nexpired; i++) {
            const struct waiver *w = &r->m->waivers[r->expired[i]];

            sm_date_fmt(w->expires, date);
            fputs("    <testcase classname=\"sovmap.waivers\" name=\"expired ", f);
            xml(&x, w->key, true);
            fputs("\">\n      <system-out>", f);
            fprintf(f, "expired %s, owner ", date);
            xml(&x, *w->owner ? w->owner : "?", false);
            fputs(": ", f);
            xml(&x, w->reason, false);
            fputs("</system-out>\n    </testcase>\n", f);
        }
        fputs("  </testsuite>\n", f);
    }
    fputs("</testsuites>\n", f);
    free(idx);
    free(x.buf);
    if (x.failed)
        return sm_error_set(err, SM_ENOMEM, "report: out of memory");
    return SM_OK;
}

const struct report_ops report_junit_ops = {
    .name = "junit",
    .media = "application/xml",
    .write = write_junit,
};
