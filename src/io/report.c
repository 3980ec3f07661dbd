/*
 * report.c - the report of one check run: findings from check_run and
 * custom SQL rules, waiver matching for custom rows, report order and
 * statistics; escaping hostile text; the format registry.
 *
 * The writers live in report_text.c, report_json.c (JSON and SARIF) and
 * report_junit.c. Nothing here opens files or the catalog.
 */
#include "report.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

extern const struct report_ops report_text_ops;
extern const struct report_ops report_json_ops;
extern const struct report_ops report_sarif_ops;
extern const struct report_ops report_junit_ops;

const struct report_ops *const report_formats[REPORT_FORMAT_COUNT] = {
    [REPORT_TEXT] = &report_text_ops,
    [REPORT_JSON] = &report_json_ops,
    [REPORT_SARIF] = &report_sarif_ops,
    [REPORT_JUNIT] = &report_junit_ops,
};

static const char *const fail_on_names[SEV_COUNT + 1] = {
    [SEV_INFO] = "info", [SEV_WARNING] = "warning", [SEV_ERROR] = "error",
    [SEV_COUNT] = "never",
};

int
report_fail_on_parse(const char *s)
{
    return s ? model_enum_parse(fail_on_names, SEV_COUNT + 1, s) : SM_NONE;
}

int
report_format_parse(const char *s)
{
    int i;

    for (i = 0; s && i < REPORT_FORMAT_COUNT; i++)
        if (strcmp(report_formats[i]->name, s) == 0)
            return i;
    return SM_NONE;
}

/* ---- building ------------------------------------------------------------ */

static int
oom(struct sm_error *err)
{
    return sm_error_set(err, SM_ENOMEM, "report: out of memory");
}

/* Expired by the rule in report.h: live through the expiry date. */
static bool
waiver_expired(const struct waiver *w, int32_t today)
{
    return w->expires != 0 && w->expires < today;
}

static int
cmp_expired(const void *a, const void *b, const struct model *m)
{
    return strcmp(m->waivers[*(const int32_t *)a].key,
                  m->waivers[*(const int32_t *)b].key);
}

/* qsort has no context argument in C11: sort the few expired waivers by
 * insertion instead. */
static void
sort_expired(int32_t *v, int32_t n, const struct model *m)
{
    int32_t i, j, t;

    for (i = 1; i < n; i++) {
        t = v[i];
        for (j = i; j > 0 && cmp_expired(&v[j - 1], &t, m) > 0; j--)
            v[j] = v[j - 1];
        v[j] = t;
    }
}

int
report_new(const struct model *m, const struct check_result *res, int32_t today,
           struct report **out, struct sm_error *err)
{
    struct report *r = calloc(1, sizeof *r);
    int32_t i, n = 0;

    if (!r)
        return oom(err);
    sm_arena_init(&r->arena);
    r->m = m;
    r->res = res;
    r->today = today;
    r->pack = "";
    if (res && res->nfindings > 0) {
        if (sm_grow((void **)&r->findings, &r->cap_findings, res->nfindings,
                    sizeof *r->findings))
            goto nomem;
        memcpy(r->findings, res->findings, (size_t)res->nfindings * sizeof *r->findings);
        r->nfindings = res->nfindings;
    }
    if (res)
        n = res->nexpired;
    else
        for (i = 0; i < m->nwaivers; i++)
            n += !m->waivers[i].deleted && waiver_expired(&m->waivers[i], today);
    if (n > 0) {
        r->expired = sm_arena_alloc(&r->arena, (size_t)n * sizeof *r->expired);
        if (!r->expired)
            goto nomem;
        if (res)
            memcpy(r->expired, res->expired, (size_t)n * sizeof *r->expired);
        else
            for (i = 0; i < m->nwaivers; i++)
                if (!m->waivers[i].deleted && waiver_expired(&m->waivers[i], today))
                    r->expired[r->nexpired++] = i;
        r->nexpired = n;
        sort_expired(r->expired, n, m);
    }
    *out = r;
    return SM_OK;
nomem:
    report_free(r);
    return oom(err);
}

void
report_free(struct report *r)
{
    if (!r)
        return;
    free(r->findings);
    free(r->rules);
    sm_arena_fini(&r->arena);
    free(r);
}

static const char *
sdup(struct report *r, const char *s, bool *failed)
{
    char *d;

    if (!s)
        return NULL;
    d = sm_arena_strdup(&r->arena, s);
    if (!d)
        *failed = true;
    return d;
}

int
report_set_source(struct report *r, const char *catalog, const char *pack,
                  const char *scenario, struct sm_error *err)
{
    bool failed = false;

    r->catalog = sdup(r, catalog, &failed);
    r->pack = sdup(r, pack ? pack : "", &failed);
    r->scenario = sdup(r, scenario, &failed);
    return failed ? oom(err) : SM_OK;
}

int
report_set_file(struct report *r, const char *path, const struct model_json_locs *locs,
                struct sm_error *err)
{
    bool failed = false;

    r->file = sdup(r, path, &failed);
    r->locs = locs;
    return failed ? oom(err) : SM_OK;
}

bool
report_locate(const struct report *r, const struct finding *f, int32_t *line, int32_t *col)
{
    const struct model_json_loc *l;
    int32_t id = f->object;
    SM_ERROR(e);

    if (!r->locs)
        return false;
    /* custom rows name their object by selector only */
    if (id == SM_NONE && f->selector && f->kind < OBJ_KIND_COUNT &&
        model_find(r->m, f->kind, f->selector, &id, &e) != SM_OK)
        id = SM_NONE;
    l = id == SM_NONE ? NULL : model_json_loc(r->locs, f->kind, id);
    if (!l && f->dataset != SM_NONE)
        l = model_json_loc(r->locs, OBJ_DATASET, f->dataset);
    if (!l)
        return false;
    *line = l->line;
    *col = l->col;
    return true;
}

const struct report_rule *
report_rule(const struct report *r, const char *id)
{
    int32_t i;

    for (i = 0; id && i < r->nrules; i++)
        if (strcmp(r->rules[i].id, id) == 0)
            return &r->rules[i];
    return NULL;
}

int
report_add_rule(struct report *r, const struct report_rule *rule, struct sm_error *err)
{
    struct report_rule nr = *rule;
    struct report_rule *old = (struct report_rule *)report_rule(r, rule->id);
    bool failed = false;

    nr.id = sdup(r, rule->id ? rule->id : "", &failed);
    nr.title = sdup(r, rule->title ? rule->title : "", &failed);
    nr.description = sdup(r, rule->description ? rule->description : "", &failed);
    nr.help = sdup(r, rule->help ? rule->help : "", &failed);
    if (nr.severity >= SEV_COUNT)
        nr.severity = SEV_ERROR;
    if (failed)
        return oom(err);
    if (old) {
        *old = nr;
        return SM_OK;
    }
    if (sm_grow((void **)&r->rules, &r->cap_rules, r->nrules + 1, sizeof *r->rules))
        return oom(err);
    r->rules[r->nrules++] = nr;
    return SM_OK;
}

static bool
is_expired_id(const struct report *r, int32_t w)
{
    int32_t i;

    for (i = 0; i < r->nexpired; i++)
        if (r->expired[i] == w)
            return true;
    return false;
}

/* The live waiver hiding rule:selector, or SM_NONE. */
static int32_t
live_waiver(const struct report *r, const char *rule, const char *selector)
{
    /* the stack for the usual key, the heap for a long name: a cut key
     * would miss the waiver */
    char small[256], *key = small, *heap = NULL; /* bounded: short keys; long ones on the heap */
    size_t n;
    int32_t w;

    if (!rule || !selector)
        return SM_NONE;
    n = strlen(rule) + strlen(selector) + 2;
    if (n > sizeof small && !(key = heap = malloc(n)))
        return SM_NONE;
    snprintf(key, n, "%s:%s", rule, selector);
    w = model_waiver(r->m, key);
    free(heap);
    if (w == SM_NONE || r->m->waivers[w].deleted)
        return SM_NONE;
    if (r->res ? is_expired_id(r, w) : waiver_expired(&r->m->waivers[w], r->today))
        return SM_NONE;
    return w;
}

int
report_add_finding(struct report *r, const struct finding *f, struct sm_error *err)
{
    struct finding nf = *f;
    bool failed = false;
    uint32_t i;

    nf.rule = sdup(r, f->rule ? f->rule : "", &failed);
    nf.selector = sdup(r, f->selector ? f->selector : "", &failed);
    nf.jurisdictions = sdup(r, f->jurisdictions ? f->jurisdictions : "", &failed);
    nf.message = sdup(r, f->message ? f->message : "", &failed);
    nf.hint = sdup(r, f->hint ? f->hint : "", &failed);
    nf.fix.mask = f->fix.mask ? sdup(r, f->fix.mask, &failed) : NULL;
    nf.why.n = 0;
    nf.why.v = NULL;
    if (f->why.n) {
        nf.why.v = sm_arena_alloc(&r->arena, f->why.n * sizeof *nf.why.v);
        if (!nf.why.v)
            return oom(err);
        for (i = 0; i < f->why.n; i++)
            nf.why.v[i] = sdup(r, f->why.v[i] ? f->why.v[i] : "", &failed);
        nf.why.n = f->why.n;
    }
    if (failed)
        return oom(err);
    if (nf.severity >= SEV_COUNT)
        nf.severity = SEV_ERROR;
    if (nf.waiver == SM_NONE && !nf.waived) {
        nf.waiver = live_waiver(r, nf.rule, nf.selector);
        nf.waived = nf.waiver != SM_NONE;
    }
    if (sm_grow((void **)&r->findings, &r->cap_findings, r->nfindings + 1,
                sizeof *r->findings))
        return oom(err);
    r->findings[r->nfindings++] = nf;
    return SM_OK;
}

/* ---- custom rule rows ------------------------------------------------------- */

/* Kinds a custom row may name, tried in this order when it names none. */
static const enum obj_kind row_kinds[] = {
    OBJ_DATASET, OBJ_PLACEMENT, OBJ_FLOW, OBJ_REGION, OBJ_TIER,
};

/* The dataset an object belongs to, or SM_NONE. */
static int32_t
dataset_of(const struct model *m, enum obj_kind kind, int32_t id)
{
    int32_t p;

    if (id == SM_NONE)
        return SM_NONE;
    switch (kind) {
    case OBJ_DATASET:
        return id;
    case OBJ_PLACEMENT:
        return m->placements[id].dataset;
    case OBJ_FLOW:
        p = m->flows[id].from;
        return p >= 0 ? m->placements[p].dataset : SM_NONE;
    default:
        return SM_NONE;
    }
}

/* Columns with a meaning; any other column is a fact for the why chain. */
enum row_col { COL_OBJECT, COL_KIND, COL_DATASET, COL_MESSAGE, COL_SEVERITY,
               COL_HINT, COL_JURISDICTIONS, COL_WHY, COL_COUNT };
static const char *const row_col_names[COL_COUNT] = {
    "object", "kind", "dataset", "message", "severity", "hint",
    "jurisdictions", "why",
};

int
report_add_row(struct report *r, const struct report_rule *rule, int ncols,
               const char *const *names, const char *const *values,
               struct sm_error *err)
{
    const char *col[COL_COUNT] = { 0 };
    const char *why[64];
    char *facts = NULL, *p, *q;
    struct finding f;
    size_t need = 1;
    int i, c, kind = SM_NONE, sev;
    uint32_t nwhy = 0;
    int32_t id = SM_NONE, ds = SM_NONE;
    char *selbuf = NULL;
    int rc;

    for (i = 0; i < ncols; i++) {
        c = model_enum_parse(row_col_names, COL_COUNT, names[i]);
        if (c != SM_NONE && values[i] && !col[c])
            col[c] = values[i];
        else if (c == SM_NONE && values[i] && *values[i])
            need += strlen(names[i]) + strlen(values[i]) + 3;
    }
    if (col[COL_WHY])
        need += strlen(col[COL_WHY]) + 1;
    if ((!col[COL_OBJECT] || !*col[COL_OBJECT])
        && (!col[COL_DATASET] || !*col[COL_DATASET]))
        return sm_error_set(err, SM_EINVAL,
                            "custom rule %s: a row needs an object or a dataset column",
                            rule->id);
    if (!col[COL_OBJECT] || !*col[COL_OBJECT]) {
        col[COL_OBJECT] = col[COL_DATASET];
        if (!col[COL_KIND])
            col[COL_KIND] = "dataset";
    }
    if (col[COL_KIND] && *col[COL_KIND]) {
        kind = model_enum_parse(obj_kind_names, OBJ_KIND_COUNT, col[COL_KIND]);
        if (kind == SM_NONE || kind == OBJ_WAIVER || kind == OBJ_SCENARIO)
            return sm_error_set(err, SM_EINVAL,
                                "custom rule %s: unknown kind %s (dataset, placement, "
                                "flow, region or tier)", rule->id, col[COL_KIND]);
        if (model_find(r->m, (enum obj_kind)kind, col[COL_OBJECT], &id, NULL) != SM_OK)
            id = SM_NONE;
    } else {
        kind = OBJ_DATASET;
        for (i = 0; i < (int)(sizeof row_kinds / sizeof row_kinds[0]); i++)
            if (model_find(r->m, row_kinds[i], col[COL_OBJECT], &id, NULL) == SM_OK) {
                kind = row_kinds[i];
                break;
            }
        if (i == (int)(sizeof row_kinds / sizeof row_kinds[0]))
            id = SM_NONE;
    }
    sev = rule->severity;
    if (col[COL_SEVERITY] && *col[COL_SEVERITY]) {
        sev = model_enum_parse(severity_names, SEV_COUNT, col[COL_SEVERITY]);
        if (sev == SM_NONE)
            return sm_error_set(err, SM_EINVAL,
                                "custom rule %s: unknown severity %s (error, warning "
                                "or info)", rule->id, col[COL_SEVERITY]);
    }
    if (col[COL_DATASET] && *col[COL_DATASET])
        ds = model_dataset(r->m, col[COL_DATASET]);
    else
        ds = dataset_of(r->m, (enum obj_kind)kind, id);

    /* The why chain: the why column split at newlines, then the other
     * columns as "name: value" facts, in column order. */
    facts = malloc(need);
    if (!facts)
        return oom(err);
    p = facts;
    if (col[COL_WHY]) {
        strcpy(p, col[COL_WHY]);
        while (p && nwhy < 64) {
            q = strchr(p, '\n');
            if (q)
                *q++ = '\0';
            if (*p)
                why[nwhy++] = p;
            p = q;
        }
        p = facts + strlen(col[COL_WHY]) + 1;
    }
    for (i = 0; i < ncols && nwhy < 64; i++) {
        if (model_enum_parse(row_col_names, COL_COUNT, names[i]) != SM_NONE || !values[i]
            || !*values[i])
            continue;
        why[nwhy++] = p;
        p += sprintf(p, "%s: %s", names[i], values[i]) + 1;
    }

    memset(&f, 0, sizeof f);
    f.rule = rule->id;
    f.severity = (uint8_t)sev;
    f.kind = (uint8_t)kind;
    f.object = id;
    f.dataset = ds;
    f.waiver = SM_NONE;
    /* A resolved object is named by its canonical selector, so that a
     * waiver written against it matches whatever spelling the SQL used. */
    if (id != SM_NONE && !(selbuf = model_selector_dup(r->m, (enum obj_kind)kind, id))) {
        free(facts);
        return oom(err);
    }
    f.selector = id != SM_NONE ? selbuf : col[COL_OBJECT];
    f.jurisdictions = col[COL_JURISDICTIONS] ? col[COL_JURISDICTIONS] : "";
    f.message = col[COL_MESSAGE] && *col[COL_MESSAGE] ? col[COL_MESSAGE]
              : rule->title && *rule->title ? rule->title : rule->id;
    f.hint = col[COL_HINT] ? col[COL_HINT] : "";
    f.why.n = nwhy;
    f.why.v = why;
    rc = report_add_finding(r, &f, err);
    free(selbuf);
    free(facts);
    return rc;
}

/* ---- order and statistics ------------------------------------------------------ */

static int
cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int
cmp_finding(const void *pa, const void *pb)
{
    const struct finding *a = pa, *b = pb;
    int c;

    if (a->waived != b->waived)
        return a->waived - b->waived;
    if (a->severity != b->severity)
        return b->severity - a->severity;
    if ((c = cmp_str(a->selector, b->selector)) != 0)
        return c;
    if (a->kind != b->kind)
        return a->kind - b->kind;
    if ((c = cmp_str(a->rule, b->rule)) != 0)
        return c;
    if ((c = cmp_str(a->message, b->message)) != 0)
        return c;
    return cmp_str(a->jurisdictions, b->jurisdictions);
}

static int
cmp_finding_ptr(const void *pa, const void *pb)
{
    return cmp_finding(*(const struct finding *const *)pa, *(const struct finding *const *)pb);
}

/* Sort pointers, then move the findings once: cheaper than letting qsort
 * copy 80-byte findings around a million times; plain qsort when there is
 * no memory for that. */
static void
sort_findings(struct report *r)
{
    size_t n = (size_t)r->nfindings, i;
    const struct finding **p = malloc(n * sizeof *p);
    struct finding *sorted = malloc(n * sizeof *sorted);

    if (!p || !sorted) {
        free(p);
        free(sorted);
        qsort(r->findings, n, sizeof *r->findings, cmp_finding);
        return;
    }
    for (i = 0; i < n; i++)
        p[i] = &r->findings[i];
    qsort(p, n, sizeof *p, cmp_finding_ptr);
    for (i = 0; i < n; i++)
        sorted[i] = *p[i];
    free(p);
    free(r->findings);
    r->findings = sorted;
    r->cap_findings = r->nfindings;
}

static int
cmp_rule(const void *pa, const void *pb)
{
    const struct report_rule *a = pa, *b = pb;

    return strcmp(a->id, b->id);
}

void
report_finish(struct report *r)
{
    int32_t i;

    if (r->nfindings > 1)
        sort_findings(r);
    if (r->nrules > 1)
        qsort(r->rules, (size_t)r->nrules, sizeof *r->rules, cmp_rule);
    memset(&r->stats, 0, sizeof r->stats);
    for (i = 0; i < r->nfindings; i++) {
        if (r->findings[i].waived)
            r->stats.waived++;
        else
            r->stats.count[r->findings[i].severity]++;
    }
    r->stats.expired_waivers = r->nexpired;
    if (r->res)
        r->stats.unknown_subjects = r->res->stats.unknown_subjects;
    r->ndatasets = 0;
    for (i = 0; i < r->m->ndatasets; i++)
        r->ndatasets += !r->m->datasets[i].deleted;
}

bool
report_fails(const struct report *r, int fail_on)
{
    int s;

    for (s = fail_on; s >= 0 && s < SEV_COUNT; s++)
        if (r->stats.count[s] > 0)
            return true;
    return false;
}

int
report_write(const struct report *r, const struct report_opts *o, FILE *f,
             struct sm_error *err)
{
    int rc;

    if (o->format < 0 || o->format >= REPORT_FORMAT_COUNT)
        return sm_error_set(err, SM_EINVAL, "unknown report format");
    rc = report_formats[o->format]->write(r, o, f, err);
    if (rc == SM_OK && (fflush(f) != 0 || ferror(f)))
        rc = sm_error_set(err, SM_EIO, "cannot write the report");
    return rc;
}

/* ---- escaping ------------------------------------------------------------------ */

/* Decode one UTF-8 sequence at s (n bytes available). Returns its length,
 * or 0 when the bytes are not valid UTF-8 (overlong, surrogate, > U+10FFFF). */
static int
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    uint32_t c;
    int len, i;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        len = 2;
        c = s[0] & 0x1f;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        len = 3;
        c = s[0] & 0x0f;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        len = 4;
        c = s[0] & 0x07;
    } else {
        return 0;
    }
    if ((size_t)len > n)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff))
        || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

int
report_utf8_next(const char *s, size_t n, uint32_t *cp)
{
    return n ? utf8_decode((const unsigned char *)s, n, cp) : 0;
}

/* Code points that move the cursor or reorder text: C1 controls, the
 * line and paragraph separators, bidi embeddings, overrides and isolates. */
static bool
dangerous_cp(uint32_t c)
{
    return (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029
        || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200e || c == 0x200f || c == 0x061c;
}

static size_t
put(char *buf, size_t size, size_t at, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (at + i + 1 < size)
            buf[at + i] = s[i];
    return at + n;
}

size_t
report_escape(const char *s, char *buf, size_t size)
{
    const unsigned char *u = (const unsigned char *)(s ? s : "");
    size_t at = 0, n = strlen((const char *)u);
    char tmp[16];    /* bounded: one \\xNN escape */
    uint32_t cp;
    int len;

    while (*u) {
        len = utf8_decode(u, n, &cp);
        if (len == 0) {
            snprintf(tmp, sizeof tmp, "\\x%02x", *u);
            at = put(buf, size, at, tmp, 4);
            u++;
            n--;
            continue;
        }
        if (cp == '\n')
            at = put(buf, size, at, "\\n", 2);
        else if (cp == '\t')
            at = put(buf, size, at, "\\t", 2);
        else if (cp == '\r')
            at = put(buf, size, at, "\\r", 2);
        else if (cp < 0x20 || cp == 0x7f)
            at = put(buf, size, at, tmp, (size_t)snprintf(tmp, sizeof tmp, "\\x%02x", cp));
        else if (dangerous_cp(cp))
            at = put(buf, size, at, tmp, (size_t)snprintf(tmp, sizeof tmp, "\\u%04x", cp));
        else
            at = put(buf, size, at, (const char *)u, (size_t)len);
        u += len;
        n -= (size_t)len;
    }
    if (size > 0)
        buf[at < size ? at : size - 1] = '\0';
    return at;
}

size_t
report_utf8_clean(const char *s, char *buf, size_t size)
{
    const unsigned char *u = (const unsigned char *)(s ? s : "");
    size_t at = 0, n = strlen((const char *)u);
    uint32_t cp;
    int len;

    while (*u) {
        len = utf8_decode(u, n, &cp);
        if (len == 0) {
            at = put(buf, size, at, "\xef\xbf\xbd", 3);
            len = 1;
        } else {
            at = put(buf, size, at, (const char *)u, (size_t)len);
        }
        u += len;
        n -= (size_t)len;
    }
    if (size > 0)
        buf[at < size ? at : size - 1] = '\0';
    return at;
}

int
report_width(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    uint32_t cp;
    int len, w, total = 0;

    while (*u) {
        len = utf8_decode(u, n, &cp);
        if (len == 0) {
            total++;
            u++;
            n--;
            continue;
        }
        w = cp < 0x80 ? (cp >= 0x20 && cp != 0x7f) : wcwidth((wchar_t)cp);
        total += w < 0 ? 1 : w;
        u += len;
        n -= (size_t)len;
    }
    return total;
}

static size_t
put_uri_path(char *buf, size_t size, size_t at, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p;
    char esc[3];    /* bounded: a %XX escape, not terminated */

    for (p = (const unsigned char *)path; *p; p++) {
        /* RFC 3986 unreserved characters and the path separator stay. */
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
            || (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
            at = put(buf, size, at, (const char *)p, 1);
        } else {
            esc[0] = '%';
            esc[1] = hex[*p >> 4];
            esc[2] = hex[*p & 15];
            at = put(buf, size, at, esc, 3);
        }
    }
    return at;
}

/* Has the path a ".." component (it may leave the current directory)? */
static bool
dotdot(const char *p)
{
    for (;;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return true;
        if (!p[n])
            return false;
        p += n + 1;
    }
}

size_t
report_rel_uri(const char *path, char *buf, size_t size, bool *relative)
{
    char *cwd = NULL, *real = NULL;     /* on the heap: a directory has no length limit */
    const char *rel = NULL;
    size_t at = 0, n;

    if (path[0] != '/' && !dotdot(path)) {
        rel = path;
    } else if ((cwd = getcwd(NULL, 0)) && (real = realpath(path, NULL)) != NULL) {
        n = strlen(cwd);
        if (strncmp(real, cwd, n) == 0 && real[n] == '/')
            rel = real + n + 1;
    }
    free(cwd);
    if (!rel) {
        free(real);
        *relative = false;
        return report_file_uri(path, buf, size);
    }
    while (rel[0] == '.' && rel[1] == '/')
        for (rel += 2; *rel == '/'; rel++)
            ;
    at = put_uri_path(buf, size, at, rel);
    free(real);
    if (size > 0)
        buf[at < size ? at : size - 1] = '\0';
    *relative = true;
    return at;
}

size_t
report_file_uri(const char *path, char *buf, size_t size)
{
    char *real = realpath(path, NULL), *cwd;
    size_t at;

    at = put(buf, size, 0, "file://", 7);
    if (real) {
        at = put_uri_path(buf, size, at, real);
        free(real);
    } else if (path[0] == '/') {
        at = put_uri_path(buf, size, at, path);
    } else {
        const char *dir = (cwd = getcwd(NULL, 0)) ? cwd : "/";
        at = put_uri_path(buf, size, at, dir);
        if (dir[strlen(dir) - 1] != '/')
            at = put(buf, size, at, "/", 1);
        free(cwd);
        at = put_uri_path(buf, size, at, path[0] == '.' && path[1] == '/' ? path + 2 : path);
    }
    if (size > 0)
        buf[at < size ? at : size - 1] = '\0';
    return at;
}
