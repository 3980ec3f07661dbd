/*
 * export_reg.c - the export registry, the escaping every exporter shares,
 * the per-object status drawn from a check result, the jurisdiction
 * grouping (data/jurisdictions.json), and the two registers:
 * transfers-csv and lineage-csv.
 *
 * Reads the model and the check result only; prints only to the FILE it
 * is given. Depends on jansson (jurisdictions.json), not on the store.
 */
#include "readfile.h"
#include "export_priv.h"
#include "model_json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

const char *const export_view_names[EXPORT_VIEW_COUNT] = {
#define X(id, name) name,
    EXPORT_VIEWS(X)
#undef X
};

void
export_opts_init(struct export_opts *o)
{
    memset(o, 0, sizeof *o);
    o->view = EXPORT_VIEW_FULL;
    o->hops = 1;
}

int
xstrcmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- UTF-8 clean-up and escaping ------------------------------------------------ */

/* Length of a valid UTF-8 sequence at s (1..4), 0 if invalid or a C1
 * control (U+0080..U+009F: control bytes too). */
static int
utf8_len(const unsigned char *s)
{
    int n = sm_utf8_len((const char *)s);

    return n == 2 && s[0] == 0xc2 && s[1] < 0xa0 ? 0 : n;
}

#define REPL "\xef\xbf\xbd"     /* U+FFFD */

/* Calls put(ctx, bytes, n) for each clean piece: valid characters pass;
 * a C0 or C1 control character becomes an escape, \u001b when json (exact:
 * the name can be joined back to the catalog) and else the visible \x1b
 * the CLI and the TUI show; an invalid sequence (not in a model, which
 * holds valid UTF-8 only) becomes U+FFFD. Tab and newline are passed when
 * keep_ws. put sees an escape as one piece of several bytes, which it
 * writes as they are. */
static void
walk_clean(const char *s, bool keep_ws, bool json, void (*put)(void *, const char *, size_t),
           void *ctx)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    char esc[16];    /* bounded: one \\u00XX or two \\xNN escapes */
    int n;

    while (*p) {
        if (*p < 0x20 || *p == 0x7f) {
            if (keep_ws && (*p == '\n' || *p == '\t')) {
                put(ctx, (const char *)p, 1);
            } else {
                snprintf(esc, sizeof esc, json ? "\\u%04x" : "\\x%02x", *p);
                put(ctx, esc, strlen(esc));
            }
            p++;
            continue;
        }
        if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0) {
            if (json)
                snprintf(esc, sizeof esc, "\\u%04x", p[1]);
            else
                snprintf(esc, sizeof esc, "\\x%02x\\x%02x", p[0], p[1]);
            put(ctx, esc, strlen(esc));
            p += 2;
            continue;
        }
        n = utf8_len(p);
        if (!n) {
            put(ctx, REPL, 3);
            p++;
            continue;
        }
        put(ctx, (const char *)p, (size_t)n);
        p += n;
    }
}

struct sbuf {
    char *b;
    size_t len, cap;
    bool dot;
    bool oom;
};

static void
sbuf_put(void *ctx, const char *s, size_t n)
{
    struct sbuf *sb = ctx;

    if (sb->oom)
        return;
    if (sb->len + 2 * n + 1 > sb->cap) {
        size_t cap = sb->cap ? sb->cap * 2 : 64;
        char *nb;

        while (cap < sb->len + 2 * n + 1)
            cap *= 2;
        if (!(nb = realloc(sb->b, cap))) {
            sb->oom = true;
            return;
        }
        sb->b = nb;
        sb->cap = cap;
    }
    for (size_t i = 0; i < n; i++) {
        if (sb->dot && s[i] == '\\')
            sb->b[sb->len++] = '\\';
        sb->b[sb->len++] = s[i];
    }
    sb->b[sb->len] = '\0';
}

const char *
xclean(struct sm_arena *a, const char *s, bool dot_escape)
{
    struct sbuf sb = { .dot = dot_escape };
    const char *out;
    const unsigned char *p;

    /* Fast path: plain printable ASCII without backslashes (still copied:
     * callers pass temporary buffers). */
    for (p = (const unsigned char *)(s ? s : ""); *p; p++)
        if (*p < 0x20 || *p >= 0x7f || *p == '\\')
            break;
    if (!*p) {
        out = sm_arena_strdup(a, s ? s : "");
        return out ? out : "";
    }
    walk_clean(s, false, false, sbuf_put, &sb);
    /* Graphviz 2.43 writes a quoted string without escaping backslashes, so
     * one that ends in a backslash would escape its closing quote. */
    if (dot_escape && sb.len && sb.b[sb.len - 1] == '\\')
        sbuf_put(&sb, " ", 1);
    if (sb.oom) {
        free(sb.b);
        return "";
    }
    out = sm_arena_strdup(a, sb.b ? sb.b : "");
    free(sb.b);
    return out ? out : "";
}

static void
put_html(void *ctx, const char *s, size_t n)
{
    FILE *f = ctx;

    if (n != 1) {
        fwrite(s, 1, n, f);
        return;
    }
    switch (*s) {
    case '&': fputs("&amp;", f); break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '"': fputs("&quot;", f); break;
    case '\'': fputs("&#39;", f); break;
    default: fputc(*s, f);
    }
}

void
export_put_html(FILE *f, const char *s)
{
    walk_clean(s, false, false, put_html, f);
}

static void
put_raw(void *ctx, const char *s, size_t n)
{
    FILE *f = ctx;

    for (size_t i = 0; i < n; i++) {
        fputc(s[i], f);
        if (s[i] == '"')
            fputc('"', f);
    }
}

/* Would a spreadsheet run this cell as a formula (OWASP "CSV injection")?
 * A leading = + - @, TAB or CR does; so does = + - @ after leading blanks,
 * which some spreadsheets skip. Such a cell is written quoted with a
 * leading ' so it is read as text. */
static bool
csv_formula(const char *s)
{
    if (*s == '\t' || *s == '\r')
        return true;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    return *s == '=' || *s == '+' || *s == '-' || *s == '@';
}

void
export_put_csv(FILE *f, const char *s)
{
    const char *p;
    bool quote = false, formula;

    s = s ? s : "";
    formula = csv_formula(s);
    /* Quote fields with separators, quotes, line breaks or a leading
     * character a spreadsheet would run as a formula. */
    for (p = s; *p; p++)
        if (*p == ',' || *p == '"' || *p == '\n' || *p == '\r')
            quote = true;
    if (formula)
        quote = true;
    if (quote)
        fputc('"', f);
    if (formula)
        fputc('\'', f);
    walk_clean(s, true, false, put_raw, f);
    if (quote)
        fputc('"', f);
}

static void
put_md(void *ctx, const char *s, size_t n)
{
    FILE *f = ctx;

    if (n != 1) {
        fwrite(s, 1, n, f);
        return;
    }
    switch (*s) {
    case '|': case '`': case '\\': case '*': case '_': case '[': case ']':
    case '#': case '~':
        fputc('\\', f);
        fputc(*s, f);
        break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '&': fputs("&amp;", f); break;
    case '\n': fputs("<br>", f); break;
    case '\t': fputc(' ', f); break;
    default: fputc(*s, f);
    }
}

void
export_put_md(FILE *f, const char *s)
{
    walk_clean(s, true, false, put_md, f);
}

static void
put_json(void *ctx, const char *s, size_t n)
{
    FILE *f = ctx;

    if (n != 1) {
        fwrite(s, 1, n, f);
        return;
    }
    switch (*s) {
    case '"': fputs("\\\"", f); break;
    case '\\': fputs("\\\\", f); break;
    case '\n': fputs("\\n", f); break;
    case '\t': fputs("\\t", f); break;
    case '<': fputs("\\u003c", f); break;   /* safe inside <script> too */
    case '>': fputs("\\u003e", f); break;
    case '&': fputs("\\u0026", f); break;
    default: fputc(*s, f);
    }
}

void
export_put_json(FILE *f, const char *s)
{
    fputc('"', f);
    walk_clean(s, true, true, put_json, f);
    fputc('"', f);
}

/* ---- regions --------------------------------------------------------------------- */

void
xregion_countries(const struct model *m, int32_t region, struct sm_ccset *out,
                  bool *global)
{
    const struct region *g = &m->regions[region];

    memset(out, 0, sizeof *out);
    *global = g->global;
    if (g->members)
        sm_ccset_union(out, g->members);
    if (g->country != SM_NONE)
        sm_ccset_add(out, g->country);
}

static int
cc_group(const struct export_juris *j, int cc, const char **name)
{
    static char own[SM_CC_COUNT][3];    /* bounded: an ISO 3166 alpha-2 code per code */

    if (cc < 0 || cc >= SM_CC_COUNT) {
        *name = "unknown";
        return -2;
    }
    if (j && j->cc_group[cc] >= 0) {
        *name = j->groups[j->cc_group[cc]].name;
        return j->cc_group[cc];
    }
    /* A string per code, built once and never changed: results stay valid. */
    if (!own[cc][0])
        sm_cc_str(cc, own[cc]);
    *name = own[cc];
    return -1;
}

const char *
export_region_group(const struct export_juris *j, const struct model *m,
                    int32_t region)
{
    const struct region *g = &m->regions[region];
    const char *name = "unknown", *first = NULL;
    int cc;

    if (g->global)
        return "global";
    if (g->members) {
        for (cc = sm_ccset_next(g->members, 0); cc != SM_NONE;
             cc = sm_ccset_next(g->members, cc + 1)) {
            cc_group(j, cc, &name);
            if (!first)
                first = name;
            else if (strcmp(first, name))
                return "multi";
        }
        if (first)
            return first;
    }
    if (g->country == SM_NONE)
        return "unknown";
    cc_group(j, g->country, &name);
    return name;
}

const char *
export_group_label(const struct export_juris *j, const char *group)
{
    if (j)
        for (int32_t i = 0; i < j->ngroups; i++)
            if (!strcmp(j->groups[i].name, group))
                return j->groups[i].label;
    if (!strcmp(group, "global"))
        return "global (any country)";
    if (!strcmp(group, "multi"))
        return "multi-jurisdiction multi-regions";
    return group;
}

/* ---- jurisdictions.json ------------------------------------------------------------ */

static int
json_fail(struct sm_error *err, const char *path, const char *what)
{
    return sm_error_set(err, SM_EPARSE, "%s: %s", path, what);
}

static void
add_codes(struct sm_ccset *set, json_t *arr)
{
    size_t i;
    json_t *v;

    json_array_foreach(arr, i, v)
        if (json_is_string(v))
            sm_ccset_add(set, sm_cc(json_string_value(v)));
}

static int
add_group(struct export_juris *j, const char *name, const char *label)
{
    for (int32_t i = 0; i < j->ngroups; i++)
        if (!strcmp(j->groups[i].name, name))
            return i;
    j->groups[j->ngroups].name = sm_arena_strdup(&j->arena, name);
    j->groups[j->ngroups].label = sm_arena_strdup(&j->arena, label);
    if (!j->groups[j->ngroups].name || !j->groups[j->ngroups].label)
        return -1;
    return j->ngroups++;
}

static int
load_regime(struct export_juris *j, json_t *blocs, json_t *r, const char *path,
            struct sm_error *err)
{
    struct xregime *x = &j->regimes[j->nregimes];
    json_t *ff = json_object_get(r, "free_flow"), *adq = json_object_get(r, "adequacy");
    const char *id = json_string_value(json_object_get(r, "id"));
    const char *name = json_string_value(json_object_get(r, "name"));
    const char *group, *label;  /* in j's arena: a bloc or regime id of any length */
    char code[3];               /* bounded: an ISO 3166 alpha-2 code (sm_cc_str) */
    int gi, cc;
    size_t i;
    json_t *a;

    if (!id || !name)
        return json_fail(err, path, "regime without id or name");
    memset(x, 0, sizeof *x);
    x->id = sm_arena_strdup(&j->arena, id);
    x->name = sm_arena_strdup(&j->arena, name);
    add_codes(&x->subjects, json_object_get(r, "subjects"));
    if (json_is_string(ff)) {
        json_t *bloc = json_object_get(json_object_get(blocs, json_string_value(ff)), "members");

        if (!json_is_array(bloc))
            return json_fail(err, path, "free_flow names an unknown bloc");
        add_codes(&x->free_flow, bloc);
        group = json_string_value(ff);
    } else if (json_is_array(ff)) {
        add_codes(&x->free_flow, ff);
        if (sm_ccset_count(&x->free_flow) == 1) {
            sm_cc_str(sm_ccset_next(&x->free_flow, 0), code);
            group = code;
        } else {
            group = id;
        }
    } else {
        return json_fail(err, path, "regime without free_flow");
    }
    if (!(label = sm_arena_printf(&j->arena, "%s \xe2\x80\x94 %s", group, name)) ||
        (gi = add_group(j, group, label)) < 0)
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", path);
    x->group = j->groups[gi].name;
    for (cc = sm_ccset_next(&x->free_flow, 0); cc != SM_NONE;
         cc = sm_ccset_next(&x->free_flow, cc + 1))
        if (j->cc_group[cc] < 0)
            j->cc_group[cc] = (int16_t)gi;
    x->adequacy = sm_arena_alloc(&j->arena, (json_array_size(adq) + 1) * sizeof *x->adequacy);
    if (!x->adequacy || !x->id || !x->name)
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", path);
    json_array_foreach(adq, i, a) {
        struct xadequacy *e = &x->adequacy[x->nadequacy];
        const char *c = json_string_value(json_object_get(a, "country"));
        const char *cond = json_string_value(json_object_get(a, "condition"));
        const char *until = json_string_value(json_object_get(a, "until"));

        if (!c || sm_cc(c) == SM_NONE)
            continue;
        e->cc = sm_cc(c);
        e->condition = sm_arena_strdup(&j->arena, cond ? cond : "");
        e->until = 0;
        if (until)
            sm_date_parse(until, &e->until);
        x->nadequacy++;
    }
    j->nregimes++;
    return SM_OK;
}

static int juris_load(const char *path, struct export_juris **out, struct sm_error *err);

int
export_juris_load(const char *datadir, struct export_juris **out, struct sm_error *err)
{
    char *path;                 /* on the heap: a data directory of any length */
    int rc;

    if (!(path = sm_strdupf("%s/jurisdictions.json", datadir ? datadir : "data")))
        return sm_error_set(err, SM_ENOMEM, "jurisdictions.json: out of memory");
    rc = juris_load(path, out, err);
    free(path);
    return rc;
}

static int
juris_load(const char *path, struct export_juris **out, struct sm_error *err)
{
    json_error_t je;
    json_t *root, *regimes, *blocs, *r;
    struct export_juris *j;
    size_t i;
    int rc = SM_OK;

    if (!(root = json_load_file(path, 0, &je))) {
        if (readfile_json_nomem(&je))
            return sm_error_set(err, SM_ENOMEM, "%s: out of memory", path);
        if (je.line < 0)
            return sm_error_set(err, SM_EIO, "%s: %s", path, je.text);
        return sm_error_set(err, SM_EPARSE, "%s:%d:%d: %s", path, je.line, je.column, je.text);
    }
    regimes = json_object_get(root, "regimes");
    blocs = json_object_get(root, "blocs");
    if (!json_is_array(regimes) || !json_is_object(blocs)) {
        json_decref(root);
        return json_fail(err, path, "no regimes or blocs");
    }
    if (!(j = calloc(1, sizeof *j))) {
        json_decref(root);
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", path);
    }
    sm_arena_init(&j->arena);
    for (i = 0; i < SM_CC_COUNT; i++)
        j->cc_group[i] = -1;
    j->regimes = calloc(json_array_size(regimes) + 1, sizeof *j->regimes);
    j->groups = calloc(json_array_size(regimes) + 1, sizeof *j->groups);
    if (!j->regimes || !j->groups)
        rc = sm_error_set(err, SM_ENOMEM, "%s: out of memory", path);
    json_array_foreach(regimes, i, r) {
        if (rc)
            break;
        rc = load_regime(j, blocs, r, path, err);
    }
    json_decref(root);
    if (rc) {
        export_juris_free(j);
        return rc;
    }
    *out = j;
    return SM_OK;
}

void
export_juris_free(struct export_juris *j)
{
    if (!j)
        return;
    free(j->regimes);
    free(j->groups);
    sm_arena_fini(&j->arena);
    free(j);
}

const struct xregime *
xregime_of(const struct export_juris *j, int cc)
{
    if (!j)
        return NULL;
    for (int32_t i = 0; i < j->nregimes; i++)
        if (sm_ccset_has(&j->regimes[i].subjects, cc))
            return &j->regimes[i];
    return NULL;
}

/* ---- per-object status from the findings -------------------------------------------- */

enum { T_DATASET, T_PLACEMENT, T_IMPLICIT, T_FLOW };

struct hit {
    uint8_t target;
    uint8_t waived;
    int32_t obj;
    const char *rule;
};

static int
hit_cmp(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;
    int c;

    if (x->target != y->target)
        return x->target < y->target ? -1 : 1;
    if (x->obj != y->obj)
        return x->obj < y->obj ? -1 : 1;
    if (x->waived != y->waived)
        return x->waived < y->waived ? -1 : 1;
    if ((c = strcmp(x->rule, y->rule)))
        return c;
    return 0;
}

static struct xstatus *
target_array(struct xindex *x, int t)
{
    switch (t) {
    case T_DATASET: return x->dataset;
    case T_PLACEMENT: return x->placement;
    case T_IMPLICIT: return x->implicit;
    default: return x->flow;
    }
}

static bool
transfer_rule(const char *rule)
{
    return !strncmp(rule, "XFR", 3) || !strcmp(rule, "ENC003");
}

int
xindex_build(const struct model *m, const struct check_result *r, struct xindex *x,
             struct sm_error *err)
{
    struct hit *hits = NULL;
    int32_t nhits = 0, cap, i, k;
    size_t np = (size_t)m->nplacements + 1;

    memset(x, 0, sizeof *x);
    sm_arena_init(&x->arena);
    x->dataset = calloc((size_t)m->ndatasets + 1, sizeof *x->dataset);
    x->placement = calloc(np, sizeof *x->placement);
    x->implicit = calloc(np, sizeof *x->implicit);
    x->flow = calloc((size_t)m->nflows + 1, sizeof *x->flow);
    x->has_inflow = calloc(np, 1);
    if (!x->dataset || !x->placement || !x->implicit || !x->flow || !x->has_inflow)
        goto oom;
    /* rules stay NULL (calloc) until a finding sets them */
    for (i = 0; i < m->nflows; i++)
        if (!m->flows[i].deleted && m->flows[i].to != SM_NONE)
            x->has_inflow[m->flows[i].to] = 1;
    if (!r)
        return SM_OK;
    cap = 2 * r->nfindings + 1;
    if (!(hits = malloc((size_t)cap * sizeof *hits)))
        goto oom;
    for (i = 0; i < r->nfindings; i++) {
        const struct finding *f = &r->findings[i];
        struct hit h = { .waived = f->waived, .obj = f->object, .rule = f->rule };

        if (f->severity < SEV_WARNING || f->object < 0 || !f->rule)
            continue;
        if (f->kind == OBJ_DATASET && f->object < m->ndatasets)
            h.target = T_DATASET;
        else if (f->kind == OBJ_PLACEMENT && f->object < m->nplacements)
            h.target = T_PLACEMENT;
        else if (f->kind == OBJ_FLOW && f->object < m->nflows)
            h.target = T_FLOW;
        else
            continue;
        hits[nhits++] = h;
        if (h.target == T_PLACEMENT && transfer_rule(f->rule) && !x->has_inflow[f->object]) {
            h.target = T_IMPLICIT;
            hits[nhits++] = h;
        }
    }
    qsort(hits, (size_t)nhits, sizeof *hits, hit_cmp);
    for (i = 0; i < nhits; i = k) {
        struct xstatus *st = &target_array(x, hits[i].target)[hits[i].obj];
        bool live = !hits[i].waived;
        size_t len = 0;
        char *s;

        /* Live rules sort first: list them; else the waived ones. */
        for (k = i; k < nhits && hits[k].target == hits[i].target && hits[k].obj == hits[i].obj; k++)
            if (hits[k].waived == hits[i].waived)
                len += strlen(hits[k].rule) + 1;
        if (!(s = sm_arena_alloc(&x->arena, len + 1)))
            goto oom;
        for (int32_t h = i; h < k; h++) {
            if (hits[h].waived != hits[i].waived)
                continue;
            if (h > i && !strcmp(hits[h].rule, hits[h - 1].rule))
                continue;
            if (*s)
                strcat(s, " ");
            strcat(s, hits[h].rule);
        }
        st->state = live ? XS_VIOLATION : XS_WAIVED;
        st->rules = s;
    }
    /* A violating or waived transfer record marks its edge even when the
     * finding names another object. */
    for (i = 0; i < r->ntransfers; i++) {
        const struct transfer *t = &r->transfers[i];
        struct xstatus *st = NULL;

        if (t->status == XFER_OK)
            continue;
        if (t->flow >= 0 && t->flow < m->nflows)
            st = &x->flow[t->flow];
        else if (t->placement >= 0 && t->placement < m->nplacements &&
                 !x->has_inflow[t->placement])
            st = &x->implicit[t->placement];
        if (!st)
            continue;
        if (t->status == XFER_VIOLATION && st->state != XS_VIOLATION) {
            st->state = XS_VIOLATION;
            if (!st->rules || !*st->rules)
                st->rules = "transfer";
        } else if (t->status == XFER_WAIVED && st->state == XS_OK) {
            st->state = XS_WAIVED;
            if (!st->rules || !*st->rules)
                st->rules = "transfer";
        }
    }
    free(hits);
    return SM_OK;
oom:
    free(hits);
    xindex_fini(x);
    return sm_error_set(err, SM_ENOMEM, "export: out of memory");
}

void
xindex_fini(struct xindex *x)
{
    free(x->dataset);
    free(x->placement);
    free(x->implicit);
    free(x->flow);
    free(x->has_inflow);
    sm_arena_fini(&x->arena);
    memset(x, 0, sizeof *x);
}

/* ---- registers ------------------------------------------------------------------------ */

static void
csv_row(FILE *f, int n, const char *const *cols)
{
    for (int i = 0; i < n; i++) {
        if (i)
            fputc(',', f);
        export_put_csv(f, cols[i]);
    }
    fputc('\n', f);
}

static const char *
cc_text(int32_t cc, char buf[3])    /* bounded: an ISO 3166 alpha-2 code or "*" */
{
    if (cc == SM_NONE) {
        buf[0] = '*';
        buf[1] = '\0';
        return buf;
    }
    sm_cc_str(cc, buf);
    return buf;
}

static void
stamp_line(FILE *f, const struct export_opts *o, const char *prefix)
{
    char d[11];    /* bounded: a YYYY-MM-DD date */

    if (!o || !o->stamp)
        return;
    sm_date_fmt(o->today, d);
    fprintf(f, "%sgenerated by sovmap on %s\n", prefix, d);
}

char *
export_transfer_cols(const struct model *m, const struct check_result *r,
                     const struct transfer *t, const char *cols[10],
                     char a[3], char b[3])    /* bounded: ISO 3166 alpha-2 codes or "*" */
{
    char *sel = NULL;

    if (t->placement >= 0 && t->placement < m->nplacements)
        sel = model_selector_dup(m, OBJ_PLACEMENT, t->placement);
    cols[0] = m->datasets[t->dataset].name;
    cols[1] = sel ? sel : "";
    cols[2] = t->flow >= 0 && t->flow < m->nflows ? m->flows[t->flow].name : "";
    cols[3] = cc_text(t->from_cc, a);
    cols[4] = cc_text(t->to_cc, b);
    cols[5] = check_transfer_regime(r, t);
    cols[6] = t->mechanism < MECH_COUNT ? mechanism_names[t->mechanism] : "";
    cols[7] = check_transfer_basis(r, t);
    cols[8] = t->personal ? "yes" : "no";
    cols[9] = t->status < XFER_STATUS_COUNT ? transfer_status_names[t->status] : "";
    return sel;
}

int
export_transfers_csv(const struct model *m, const struct check_result *r,
                     const struct export_opts *o, FILE *f, struct sm_error *err)
{
    static const char *const head[] = {
        "dataset", "copy", "flow", "from_country", "to_country", "regime",
        "mechanism", "basis", "personal", "status"
    };
    char a[3], b[3];    /* bounded: ISO 3166 alpha-2 codes or "*" */

    if (!r)
        return sm_error_set(err, SM_EINVAL, "transfers-csv needs a check result");
    stamp_line(f, o, "# ");
    csv_row(f, 10, head);
    /* r->transfers is sorted by the checker (dataset name, from, to). */
    for (int32_t i = 0; i < r->ntransfers; i++) {
        const struct transfer *t = &r->transfers[i];
        const char *cols[10];

        if (t->dataset < 0 || t->dataset >= m->ndatasets)
            continue;
        char *sel = export_transfer_cols(m, r, t, cols, a, b);
        csv_row(f, 10, cols);
        free(sel);
    }
    if (ferror(f))
        return sm_error_set(err, SM_EIO, "transfers-csv: write error: %s", strerror(errno));
    return SM_OK;
}

static int
flow_name_cmp(const void *a, const void *b, void *ctx)
{
    const struct model *m = ctx;

    return strcmp(m->flows[*(const int32_t *)a].name, m->flows[*(const int32_t *)b].name);
}

/* qsort with a context, portable. */
static const void *sort_ctx;
static int
flow_cmp_plain(const void *a, const void *b)
{
    return flow_name_cmp(a, b, (void *)sort_ctx);
}

int
export_lineage_csv(const struct model *m, const struct check_result *r,
                   const struct export_opts *o, FILE *f, struct sm_error *err)
{
    static const char *const head[] = {
        "flow", "kind", "from", "to", "from_dataset", "to_dataset",
        "crossing_tier", "personal", "transforms", "to_declared_tier",
        "to_effective_tier", "status", "rules"
    };
    struct xindex x;
    int32_t *ids, n = 0;
    int rc;

    if ((rc = xindex_build(m, r, &x, err)))
        return rc;
    if (!(ids = malloc(((size_t)m->nflows + 1) * sizeof *ids))) {
        xindex_fini(&x);
        return sm_error_set(err, SM_ENOMEM, "lineage-csv: out of memory");
    }
    for (int32_t i = 0; i < m->nflows; i++)
        if (!m->flows[i].deleted &&
            (m->flows[i].kind == FLOW_ETL || m->flows[i].kind == FLOW_STREAM))
            ids[n++] = i;
    sort_ctx = m;
    qsort(ids, (size_t)n, sizeof *ids, flow_cmp_plain);
    stamp_line(f, o, "# ");
    csv_row(f, 13, head);
    for (int32_t k = 0; k < n; k++) {
        const struct flow *fl = &m->flows[ids[k]];
        const struct placement *from = &m->placements[fl->from];
        int32_t sds = from->dataset, tds = SM_NONE;
        char *a = model_selector_dup(m, OBJ_PLACEMENT, fl->from), *b = NULL, *xf;
        const char *cols[13];

        if (fl->to != SM_NONE) {
            b = model_selector_dup(m, OBJ_PLACEMENT, fl->to);
            tds = m->placements[fl->to].dataset;
        }
        xf = model_get_dup(m, OBJ_FLOW, ids[k], "transforms");
        if (!a || (fl->to != SM_NONE && !b) || !xf) {
            free(a);
            free(b);
            free(xf);
            free(ids);
            xindex_fini(&x);
            return sm_error_set(err, SM_ENOMEM, "out of memory");
        }
        cols[0] = fl->name;
        cols[1] = flow_kind_names[fl->kind];
        cols[2] = a;
        cols[3] = b ? b : model_region_id(m, fl->to_region);
        cols[4] = m->datasets[sds].name;
        cols[5] = tds != SM_NONE ? m->datasets[tds].name : "";
        cols[6] = model_tier_name(m, r && sds < r->ndatasets ? r->eff_tier[sds]
                                                       : m->datasets[sds].tier);
        cols[7] = r && ids[k] < r->nflows ? (r->flow_personal[ids[k]] ? "yes" : "no") : "";
        cols[8] = xf;
        cols[9] = tds != SM_NONE ? model_tier_name(m, m->datasets[tds].tier) : "";
        cols[10] = tds != SM_NONE ? model_tier_name(m, r && tds < r->ndatasets ? r->eff_tier[tds]
                                                                         : m->datasets[tds].tier)
                                  : "";
        cols[11] = x.flow[ids[k]].state == XS_VIOLATION ? "violation"
                 : x.flow[ids[k]].state == XS_WAIVED ? "waived" : "ok";
        cols[12] = x.flow[ids[k]].rules ? x.flow[ids[k]].rules : "";
        csv_row(f, 13, cols);
        free(a);
        free(b);
        free(xf);
    }
    free(ids);
    xindex_fini(&x);
    if (ferror(f))
        return sm_error_set(err, SM_EIO, "lineage-csv: write error: %s", strerror(errno));
    return SM_OK;
}

/* ---- registry ----------------------------------------------------------------------------- */

static int
w_diagram(const struct model *m, const struct check_result *r, const struct export_opts *o,
          const char *arg, FILE *f, struct sm_error *err)
{
    return export_diagram(m, r, o, arg, f, NULL, err);
}

static int
w_map(const struct model *m, const struct check_result *r, const struct export_opts *o,
      const char *arg, FILE *f, struct sm_error *err)
{
    return export_map(m, r, o, arg, f, err);
}

static int
w_transfers(const struct model *m, const struct check_result *r, const struct export_opts *o,
            const char *arg, FILE *f, struct sm_error *err)
{
    (void)arg;
    return export_transfers_csv(m, r, o, f, err);
}

static int
w_lineage(const struct model *m, const struct check_result *r, const struct export_opts *o,
          const char *arg, FILE *f, struct sm_error *err)
{
    (void)arg;
    return export_lineage_csv(m, r, o, f, err);
}

#define DIAGRAM(n, s, bin) \
    static const struct export_ops exp_##n = { \
        .name = #n, .summary = s, .needs_check = true, .binary = bin, \
        .write = w_diagram, .arg = #n }
DIAGRAM(dot, "Graphviz source of the data-flow diagram", false);
DIAGRAM(svg, "data-flow diagram, SVG (laid out in-process)", false);
DIAGRAM(png, "data-flow diagram, PNG", true);
DIAGRAM(pdf, "data-flow diagram, PDF", true);
DIAGRAM(mermaid, "data-flow diagram, Mermaid flowchart (drawn inline in pull requests)", false);
#undef DIAGRAM

#define MAP(n, a, s) \
    static const struct export_ops exp_map_##n = { \
        .name = "map-" #n, .summary = s, .needs_check = true, .write = w_map, .arg = a }
MAP(md, "md", "residency map, Markdown tables");
MAP(csv, "csv", "residency map, CSV (one row per dataset)");
MAP(html, "html", "residency map, self-contained printable HTML");
MAP(json, "json", "residency map, JSON");
#undef MAP

static int
w_tiers(const struct model *m, const struct check_result *r, const struct export_opts *o,
        const char *arg, FILE *f, struct sm_error *err)
{
    return export_tiers(m, r, o, arg, f, err);
}

static const struct export_ops exp_tiers_md = {
    .name = "tiers-md", .summary = "tier-to-region mapping to sign off, Markdown",
    .needs_check = true, .write = w_tiers, .arg = "md",
};
static const struct export_ops exp_tiers_csv = {
    .name = "tiers-csv", .summary = "tier-to-region mapping, CSV (one row per tier, subjects, role, region)",
    .needs_check = true, .write = w_tiers, .arg = "csv",
};

static int
w_ropa(const struct model *m, const struct check_result *r, const struct export_opts *o,
       const char *arg, FILE *f, struct sm_error *err)
{
    return export_ropa(m, r, o, arg, f, err);
}

static const struct export_ops exp_ropa_md = {
    .name = "ropa-md", .summary = "Art. 30 record of processing per system and dataset, Markdown",
    .needs_check = true, .write = w_ropa, .arg = "md",
};
static const struct export_ops exp_ropa_csv = {
    .name = "ropa-csv", .summary = "Art. 30 record of processing, CSV (one row per dataset)",
    .needs_check = true, .write = w_ropa, .arg = "csv",
};

static const struct export_ops exp_transfers = {
    .name = "transfers-csv", .summary = "transfer register (derived transfers), CSV",
    .needs_check = true, .write = w_transfers,
};
static int
w_review(const struct model *m, const struct check_result *r, const struct export_opts *o,
         const char *arg, FILE *f, struct sm_error *err)
{
    (void)arg;
    return export_review_html(m, r, o, f, err);
}

static const struct export_ops exp_review = {
    .name = "review-html",
    .summary = "review pack: summary, diagram, findings, map, registers in one HTML file",
    .needs_check = true, .write = w_review,
};
static const struct export_ops exp_lineage = {
    .name = "lineage-csv", .summary = "lineage register (etl/stream edges), CSV",
    .needs_check = true, .write = w_lineage,
};

static int
w_model_json(const struct model *m, const struct check_result *r, const struct export_opts *o,
             const char *arg, FILE *f, struct sm_error *err)
{
    (void)r;
    (void)o;
    (void)arg;
    return model_json_write(m, f, err);
}

static const struct export_ops exp_model_json = {
    .name = "model-json",
    .summary = "the whole catalog as canonical, diffable JSON (import model reads it)",
    .write = w_model_json,
};

const struct export_ops *const export_formats[] = {
    &exp_dot, &exp_svg, &exp_png, &exp_pdf, &exp_mermaid,
    &exp_map_md, &exp_map_csv, &exp_map_html, &exp_map_json,
    &exp_tiers_md, &exp_tiers_csv, &exp_ropa_md, &exp_ropa_csv, &exp_transfers, &exp_lineage, &exp_review, &exp_model_json,
    NULL
};

const struct export_ops *
export_format(const char *name)
{
    for (int i = 0; export_formats[i]; i++)
        if (!strcmp(export_formats[i]->name, name))
            return export_formats[i];
    return NULL;
}
