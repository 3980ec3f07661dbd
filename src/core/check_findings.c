/*
 * check_findings.c - the residency checker: findings, their keys and order,
 * waivers (see check.c for the checker as a whole).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lineage.h"
#include "rules.h"
#include "check_int.h"

/* ---- findings ------------------------------------------------------------ */

/* Format into b (appending when append), growing it to fit. Out of memory
 * sets c->oom and leaves b empty. Returns b's text, never NULL. */
static const char *
gvfmt(struct ck *c, struct gbuf *b, bool append, const char *fmt, va_list ap)
{
    size_t at = append && b->s ? strlen(b->s) : 0, n;
    va_list ap2;

    va_copy(ap2, ap);
    n = at + (size_t)fmtv(b->s ? b->s + at : NULL, b->cap - at, fmt, ap2);
    va_end(ap2);
    if (n >= b->cap) {
        size_t cap = n + 1 < 256 ? 256 : n + 1;
        char *s = realloc(b->s, cap);
        if (!s) {
            c->oom = true;
            if (b->s)
                b->s[0] = '\0';
            return "";
        }
        b->s = s;
        b->cap = cap;
        fmtv(b->s + at, b->cap - at, fmt, ap);
    }
    return b->s;
}

const char * __attribute__((format(printf, 4, 5)))
gfmt(struct ck *c, struct gbuf *b, bool append, const char *fmt, ...)
{
    const char *s;
    va_list ap;

    va_start(ap, fmt);
    s = gvfmt(c, b, append, fmt, ap);
    va_end(ap);
    return s;
}

const char *
gstr(const struct gbuf *b)
{
    return b->s ? b->s : "";
}

void
gclear(struct gbuf *b)
{
    if (b->s)
        b->s[0] = '\0';
}

/* "mask email phone; drop ssn" into b, whole (model_format_transforms' text). */
const char *
transforms_text(struct ck *c, struct gbuf *b, const struct transform *t, uint32_t n)
{
    const char *s = gfmt(c, b, false, "%s", "");

    for (uint32_t i = 0; i < n; i++) {
        s = gfmt(c, b, true, "%s%s", i ? "; " : "", xform_names[t[i].kind]);
        for (uint32_t k = 0; k < t[i].fields.n; k++)
            s = gfmt(c, b, true, " %s", t[i].fields.v[k]);
    }
    return s;
}

/* "eu-west-1 (IE)", "global-x (any country)", whole. */
const char *
region_label(struct ck *c, int32_t r, struct gbuf *b)
{
    const struct rinfo *ri;
    char cc[3];                         /* bounded: a two-letter country code */

    if (r == SM_NONE)
        return gfmt(c, b, false, "%s", "an unknown region");
    ri = &c->ri[r];
    if (ri->any)
        return gfmt(c, b, false, "%s (any country)", c->m->regions[r].id);
    if (ri->n == 1)
        return gfmt(c, b, false, "%s (%s)", c->m->regions[r].id, ccs(c->pool[ri->first], cc));
    return gfmt(c, b, false, "%s (%d countries)", c->m->regions[r].id, ri->n);
}

/* "the EEA" or "RU", whole. */
const char *
area_text(struct ck *c, struct gbuf *b, int32_t g)
{
    return gfmt(c, b, false, "%s%s", c->rp->regimes[g].area_bloc ? "the " : "",
                c->rp->regimes[g].area);
}

bool
begin(struct ck *c, int rule, int kind, int32_t obj, int32_t dataset)
{
    if (!c->rp->rules[rule].enabled)
        return false;
    c->rule = rule;
    c->kind = kind;
    c->obj = obj;
    c->dataset = dataset;
    c->nwhy = 0;
    gclear(&c->msg);
    gclear(&c->hint);
    gclear(&c->fixmask);
    memset(&c->fix, 0, sizeof c->fix);
    c->fix.region[0] = c->fix.region[1] = c->fix.tier = SM_NONE;
    c->jur[0] = '\0';
    return true;
}

void __attribute__((format(printf, 2, 3)))
why(struct ck *c, const char *fmt, ...)
{
    va_list ap;

    if (c->nwhy >= WHY_MAX)
        return;
    va_start(ap, fmt);
    gvfmt(c, &c->why[c->nwhy++], false, fmt, ap);
    va_end(ap);
}

void __attribute__((format(printf, 2, 3)))
msg(struct ck *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    gvfmt(c, &c->msg, false, fmt, ap);
    va_end(ap);
}

void __attribute__((format(printf, 2, 3)))
hint(struct ck *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    gvfmt(c, &c->hint, false, fmt, ap);
    va_end(ap);
}

/* The fields to mask, as the finding's target: fields is the ", "-joined
 * list the why chain and the hint show; fix.mask gets it blank-separated
 * (field names hold neither blanks nor commas). */
void
fix_mask(struct ck *c, const char *fields)
{
    char *s = (char *)gfmt(c, &c->fixmask, false, "%s", fields), *d = s;

    if (!*s)
        return;                 /* none, or out of memory (a literal "") */
    for (; *s; s++)             /* "a, b" -> "a b": drop the commas */
        if (*s != ',')
            *d++ = *s;
    *d = '\0';
}

bool
waiver_live(const struct waiver *w, int32_t today)
{
    return !w->deleted && (w->expires == 0 || w->expires >= today);
}

/* Resolve a waiver's object selector to (kind, id). */
void
waiver_resolve(const struct model *m, const struct waiver *w, int32_t *kind, int32_t *id)
{
    static const int kinds[] = { OBJ_PLACEMENT, OBJ_FLOW, OBJ_DATASET, OBJ_REGION, OBJ_TIER };

    *kind = *id = SM_NONE;
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        int32_t i;
        if (kinds[k] == OBJ_PLACEMENT && !strchr(w->object, '@'))
            continue;
        if (model_find(m, kinds[k], w->object, &i, NULL) == SM_OK) {
            *kind = kinds[k];
            *id = i;
            return;
        }
    }
}

int
finding_cmp(const void *pa, const void *pb)
{
    const struct finding *a = pa, *b = pb;
    int c;

    if (a->severity != b->severity)
        return a->severity > b->severity ? -1 : 1;
    if (a->rule != b->rule && (c = strcmp(a->rule, b->rule)))
        return c;
    if ((c = strcmp(a->selector, b->selector)))
        return c;
    if ((c = strcmp(a->jurisdictions, b->jurisdictions)))
        return c;
    return strcmp(a->message, b->message);
}

/* Sorting findings: the order of finding_cmp, with the first 8 bytes of
 * the rule and 16 of the selector as big-endian integers so that most
 * comparisons never reach strcmp. */
struct fkey {
    uint64_t rule, s1, s2;
    int32_t idx;
    uint8_t sev;
};

static uint64_t
be8(const char *s, size_t off)
{
    uint64_t v = 0;
    size_t k = 0, len = strlen(s);

    for (; k < 8; k++)
        v = v << 8 | (off + k < len ? (uint8_t)s[off + k] : 0);
    return v;
}

static int
fkey_cmp(const void *pa, const void *pb)
{
    const struct fkey *a = pa, *b = pb;

    if (a->sev != b->sev)
        return a->sev > b->sev ? -1 : 1;
    if (a->rule != b->rule)
        return a->rule < b->rule ? -1 : 1;
    if (a->s1 != b->s1)
        return a->s1 < b->s1 ? -1 : 1;
    if (a->s2 != b->s2)
        return a->s2 < b->s2 ? -1 : 1;
    return 0;
}

int
sort_findings(struct check_result *r)
{
    struct fkey *k = malloc(sizeof *k * (size_t)r->nfindings);
    struct finding *out = malloc(sizeof *out * (size_t)r->nfindings);
    int32_t i = 0;

    if (!k || !out) {
        free(k);
        free(out);
        return SM_ENOMEM;
    }
    for (int32_t j = 0; j < r->nfindings; j++) {
        const struct finding *f = &r->findings[j];
        k[j].sev = f->severity;
        k[j].rule = be8(f->rule, 0);
        k[j].s1 = be8(f->selector, 0);
        k[j].s2 = be8(f->selector, 8);
        k[j].idx = j;
    }
    qsort(k, (size_t)r->nfindings, sizeof *k, fkey_cmp);
    /* Runs with equal keys: order them fully (long rule ids or selectors). */
    while (i < r->nfindings) {
        int32_t j = i + 1;
        while (j < r->nfindings && fkey_cmp(&k[i], &k[j]) == 0)
            j++;
        for (int32_t a = i; a < j; a++)
            out[a] = r->findings[k[a].idx];
        if (j - i > 1)
            qsort(out + i, (size_t)(j - i), sizeof *out, finding_cmp);
        i = j;
    }
    memcpy(r->findings, out, sizeof *out * (size_t)r->nfindings);
    free(k);
    free(out);
    return SM_OK;
}

static const char *
sc_find(const struct strcache *sc, const char *t)
{
    if (!sc || !*t)
        return NULL;
    for (int k = 0; k < SC_N; k++)
        if (sc->s[k] && sc->s[k][0] == t[0] && strcmp(sc->s[k], t) == 0)
            return sc->s[k];
    return NULL;
}

static void
sc_add(struct strcache *sc, const char *t)
{
    if (!sc || !*t)
        return;
    sc->s[sc->next] = t;
    sc->next = (sc->next + 1) % SC_N;
}

/* Copy f into r (strings into r's arena), apply waivers, update stats.
 * wv: pre-resolved live waivers (check_run) or NULL (resolve now). */
int
append(struct check_result *r, const struct model *m, const struct finding *f,
       const struct wv *wv, int32_t nwv, struct strcache *sc, struct finding **out)
{
    struct finding *n;
    struct sm_arena *a = &r->arena;

    if (r->nfindings == r->cap_findings &&
        sm_grow((void **)&r->findings, &r->cap_findings, r->nfindings + 1, sizeof *r->findings))
        return SM_ENOMEM;
    n = &r->findings[r->nfindings];
    *n = *f;
    /* One arena block per finding: the why pointers, then every string
     * not already held by a recent finding (sc: consecutive findings of a
     * dataset repeat its description, tier and scope lines, and hints). */
    {
        const char *src[5] = { f->selector, f->jurisdictions, f->message, f->hint, NULL };
        const char *reuse[WHY_MAX + 5] = { NULL };
        size_t len[5], total = sizeof(char *) * f->why.n;
        bool builtin = false;
        char *p;
        uint32_t nwhy = f->why.n < WHY_MAX ? f->why.n : WHY_MAX;
        for (int k = 0; k < RULE_COUNT; k++)
            builtin |= f->rule == rule_names[k];
        src[4] = builtin ? "" : f->rule;
        for (int k = 0; k < 5; k++) {
            if (!src[k])
                src[k] = "";
            len[k] = strlen(src[k]);
            if (k == 1 || k == 3)
                reuse[WHY_MAX + k] = sc_find(sc, src[k]);
            if (!reuse[WHY_MAX + k])
                total += len[k] + 1;
        }
        for (uint32_t k = 0; k < f->why.n; k++) {
            if (k < nwhy && (reuse[k] = sc_find(sc, f->why.v[k])))
                continue;
            total += strlen(f->why.v[k]) + 1;
        }
        if (!(p = sm_arena_alloc(a, total)))
            return SM_ENOMEM;
        n->why.n = f->why.n;
        n->why.v = f->why.n ? (const char **)(void *)p : NULL;
        p += sizeof(char *) * f->why.n;
        for (uint32_t k = 0; k < f->why.n; k++) {
            size_t l;
            if (k < nwhy && reuse[k]) {
                n->why.v[k] = reuse[k];
                continue;
            }
            l = strlen(f->why.v[k]) + 1;
            memcpy(p, f->why.v[k], l);
            n->why.v[k] = p;
            sc_add(sc, p);
            p += l;
        }
        const char **dst[5] = { &n->selector, &n->jurisdictions, &n->message, &n->hint, &n->rule };
        for (int k = 0; k < 5; k++) {
            if (reuse[WHY_MAX + k]) {
                *dst[k] = reuse[WHY_MAX + k];
                continue;
            }
            memcpy(p, src[k], len[k] + 1);
            *dst[k] = p;
            if (k == 1 || k == 3)
                sc_add(sc, p);
            p += len[k] + 1;
        }
        if (builtin)
            n->rule = f->rule;
    }
    n->fix.mask = NULL;
    if (f->fix.mask && *f->fix.mask && !(n->fix.mask = sm_arena_strdup(a, f->fix.mask)))
        return SM_ENOMEM;
    n->waived = 0;
    n->waiver = SM_NONE;
    if (wv) {
        for (int32_t k = 0; k < nwv && !n->waived; k++) {
            const struct waiver *w = &m->waivers[wv[k].id];
            if (strcmp(w->rule, n->rule) == 0 &&
                ((wv[k].kind == n->kind && wv[k].obj == n->object && n->object != SM_NONE) ||
                 strcmp(w->object, n->selector) == 0)) {
                n->waived = 1;
                n->waiver = wv[k].id;
            }
        }
    } else {
        for (int32_t w = 0; w < m->nwaivers && !n->waived; w++) {
            const struct waiver *wp = &m->waivers[w];
            int32_t k, i;
            if (!waiver_live(wp, r->today) || strcmp(wp->rule, n->rule))
                continue;
            waiver_resolve(m, wp, &k, &i);
            if ((k == n->kind && i == n->object && n->object != SM_NONE) ||
                strcmp(wp->object, n->selector) == 0) {
                n->waived = 1;
                n->waiver = w;
            }
        }
    }
    if (n->waived)
        r->stats.waived++;
    else if (n->severity < SEV_COUNT)
        r->stats.count[n->severity]++;
    r->nfindings++;
    if (out)
        *out = n;
    return SM_OK;
}

/* Commit the finding being built. Returns whether it was waived. */
bool
end(struct ck *c)
{
    struct finding f;
    const char *whyv[WHY_MAX];
    char sel[512], *longsel = NULL;     /* bounded: a fast path, the heap past it */
    struct finding *n = NULL;
    bool oom;

    memset(&f, 0, sizeof f);
    f.rule = rule_names[c->rule];
    f.severity = (uint8_t)rules_severity(c->rp, c->rule);
    f.kind = (uint8_t)c->kind;
    f.object = c->obj;
    f.dataset = c->dataset;
    f.selector = model_selector(c->m, c->kind, c->obj, sel, sizeof sel);
    if (strlen(sel) == sizeof sel - 1) {
        /* a long name: the selector must be whole, or waivers miss it */
        if (!(longsel = model_selector_dup(c->m, c->kind, c->obj))) {
            c->oom = true;
            return false;
        }
        f.selector = longsel;
    }
    f.jurisdictions = c->jur;
    f.message = gstr(&c->msg);
    f.hint = gstr(&c->hint);
    f.fix = c->fix;
    f.fix.mask = gstr(&c->fixmask);
    for (int k = 0; k < c->nwhy; k++)
        whyv[k] = gstr(&c->why[k]);
    f.why.n = (uint32_t)c->nwhy;
    f.why.v = whyv;
    oom = append(c->r, c->m, &f, c->wv, c->nwv, &c->sc, &n) != SM_OK;
    free(longsel);
    if (oom) {
        c->oom = true;
        return false;
    }
    return n->waived;
}
