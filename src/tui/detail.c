/*
 * detail.c - the detail pane's contents: every attribute of the selected
 * object (from model_attrs, so new attributes show up by themselves), its
 * copies, flows and findings, and for a finding the why chain and the
 * remediation hint. Lines that name another object carry a reference the
 * user can follow with Enter. No curses, no I/O.
 */
#include "views.h"
#include "rules.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define LIST_CAP 40     /* objects listed per section before "… and N more" */

static struct detail_line *
new_line(struct detail *d)
{
    struct detail_line *l;

    if (d->n >= DETAIL_MAX)
        return NULL;
    l = &d->line[d->n++];
    memset(l, 0, sizeof *l);
    l->ref = REF_NONE;
    l->id = SM_NONE;
    return l;
}

/* What a line holds when its text could not be allocated. */
static char no_text[1];                 /* bounded: the empty text */

/* fmt with ap on the heap, whole; no_text when out of memory. */
static char *
heap_vprintf(const char *fmt, va_list ap)
{
    char *s = sm_vstrdupf(fmt, ap);

    return s ? s : no_text;
}

static void
text_free(char *s)
{
    if (s != no_text)
        free(s);
}

/* A line's label on the heap, whole; no_text for none or out of memory. */
static char *
label_dup(const char *label)
{
    char *s = label && *label ? strdup(label) : NULL;

    return s ? s : no_text;
}

void
detail_clear(struct detail *d)
{
    for (int i = 0; i < d->n; i++) {
        text_free(d->line[i].text);
        text_free(d->line[i].label);
    }
    d->n = 0;
    free(d->title);
    d->title = NULL;
}

void
detail_title(struct detail *d, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = heap_vprintf(fmt, ap);
    va_end(ap);
    free(d->title);
    d->title = s != no_text ? s : NULL;
}

void
detail_add(struct detail *d, int style, const char *label, const char *fmt, ...)
{
    struct detail_line *l = new_line(d);
    va_list ap;

    if (!l)
        return;
    l->style = (uint8_t)style;
    l->label = label_dup(label);
    va_start(ap, fmt);
    l->text = heap_vprintf(fmt, ap);
    va_end(ap);
}

void
detail_ref(struct detail *d, int kind, int32_t id, const char *label, const char *fmt, ...)
{
    struct detail_line *l = new_line(d);
    va_list ap;

    if (!l)
        return;
    l->style = STYLE_REF;
    l->ref = (uint8_t)kind;
    l->id = id;
    l->label = label_dup(label);
    va_start(ap, fmt);
    l->text = heap_vprintf(fmt, ap);
    va_end(ap);
}

static void
section(struct detail *d, const char *title)
{
    detail_add(d, STYLE_DEFAULT, NULL, "%s", "");
    detail_add(d, STYLE_SECTION, NULL, "%s", title);
}

static int
sev_style(const struct finding *f)
{
    static const int styles[SEV_COUNT] = {
        [SEV_INFO] = STYLE_INFO, [SEV_WARNING] = STYLE_WARNING, [SEV_ERROR] = STYLE_ERROR,
    };
    return f->waived ? STYLE_WAIVED : styles[f->severity < SEV_COUNT ? f->severity : 0];
}

/* Attributes that name another object become references. */
static void
attributes(struct tui *t, enum obj_kind kind, int32_t id, struct detail *d)
{
    const struct attr *a = model_attrs(kind);

    for (; a && a->name; a++) {
        int32_t ref = SM_NONE;
        int rkind = REF_NONE;
        char *val;
        const char *buf;

        if (a->type == ATTR_FIELDS)
            continue;       /* listed in their own section */
        val = model_get_dup(t->m, kind, id, a->name);   /* whole: a description */
        buf = val ? val : "";
        if (a->type == ATTR_REGION && buf[0]) {
            ref = model_region(t->m, buf);
            rkind = OBJ_REGION;
        } else if (a->type == ATTR_TIER && buf[0]) {
            ref = model_tier(t->m, buf);
            rkind = OBJ_TIER;
        } else if (a->type == ATTR_PLACEMENT && buf[0]) {
            ref = model_placement(t->m, buf);
            rkind = OBJ_PLACEMENT;
        }
        if (ref >= 0)
            detail_ref(d, rkind, ref, a->name, "%s", buf);
        else
            detail_add(d, buf[0] ? STYLE_DEFAULT : STYLE_DIM, a->name, "%s",
                       buf[0] ? buf : "-");
        free(val);
    }
}

static void
findings_of(struct tui *t, enum obj_kind kind, int32_t id, bool dataset_wide,
            struct detail *d)
{
    int n = 0, shown = 0;

    if (!t->res)
        return;
    for (int32_t i = 0; i < t->res->nfindings; i++) {
        const struct finding *f = &t->res->findings[i];
        if (!((f->kind == kind && f->object == id) || (dataset_wide && f->dataset == id)))
            continue;
        if (n++ == 0)
            section(d, "Findings");
        if (shown < LIST_CAP) {
            struct detail_line *l;
            detail_ref(d, REF_FINDING, i, NULL, "%s%s %s: %s", f->waived ? "(waived) " : "",
                       f->rule, f->selector, f->message);
            l = &d->line[d->n - 1];
            l->style = (uint8_t)sev_style(f);
            shown++;
        }
    }
    if (n > shown)
        detail_add(d, STYLE_DIM, NULL, "%s and %d more", text_sym("…", "..."), n - shown);
    if (n == 0) {
        section(d, "Findings");
        detail_add(d, STYLE_DIM, NULL, "none");
    }
}

/* A waiver: the findings it hides now (none when it expired). */
static void
waiver_detail(struct tui *t, int32_t w, struct detail *d)
{
    int n = 0;

    section(d, "Hides");
    for (int32_t i = 0; t->res && i < t->res->nfindings; i++) {
        const struct finding *f = &t->res->findings[i];
        if (!f->waived || f->waiver != w)
            continue;
        if (n++ < LIST_CAP)
            detail_ref(d, REF_FINDING, i, NULL, "%s %s: %s", f->rule, f->selector, f->message);
    }
    if (n > LIST_CAP)
        detail_add(d, STYLE_DIM, NULL, "%s and %d more", text_sym("…", "..."), n - LIST_CAP);
    if (n == 0)
        detail_add(d, STYLE_DIM, NULL, "%s", t->m->waivers[w].expires &&
                   t->m->waivers[w].expires < t->today ? "nothing: it expired" : "no finding now");
}

static void
flow_line(struct tui *t, int32_t fl, struct detail *d)
{
    const struct flow *f = &t->m->flows[fl];
    char *a = model_selector_dup(t->m, OBJ_PLACEMENT, f->from);
    char *b = f->to >= 0 ? model_selector_dup(t->m, OBJ_PLACEMENT, f->to) : NULL;

    detail_ref(d, OBJ_FLOW, fl, flow_kind_names[f->kind], "%s: %s -> %s", f->name,
               a ? a : "?", f->to >= 0 ? (b ? b : "?") : model_region_id(t->m, f->to_region));
    free(a);
    free(b);
    if (fl < t->nf && t->fl_worst[fl] >= 0)
        d->line[d->n - 1].style = t->fl_worst[fl] == SEV_ERROR ? STYLE_ERROR : STYLE_WARNING;
}

static void
dataset_detail(struct tui *t, int32_t id, struct detail *d)
{
    const struct dataset *ds = &t->m->datasets[id];
    char *tags = NULL;
    int n = 0;

    if (t->res && id < t->res->ndatasets && t->res->eff_tier[id] != ds->tier &&
        t->res->eff_tier[id] >= 0) {
        detail_ref(d, OBJ_TIER, t->res->eff_tier[id], "effective tier", "%s (inherited%s%s)",
                   model_tier_name(t->m, t->res->eff_tier[id]),
                   t->res->eff_via[id] >= 0 ? " via " : "",
                   t->res->eff_via[id] >= 0 ? t->m->flows[t->res->eff_via[id]].name : "");
        d->line[d->n - 1].style = STYLE_WARNING;
    }
    if (t->res && id < t->res->ndatasets) {
        char eff[SM_CC_COUNT * 3 + 1];  /* bounded: every code at most once: "EU,BR" */
        char *own = model_get_dup(t->m, OBJ_DATASET, id, "subjects");
        check_eff_subjects(t->res, id, eff, sizeof eff);
        if (own && strcmp(eff, own) != 0)
            detail_add(d, STYLE_WARNING, "eff. subjects", "%s", eff);
        free(own);
    }
    section(d, "Fields");
    for (int32_t f = ds->first_field; f >= 0; f = t->m->fields[f].next) {
        tui_text_free(&tags);
        for (int32_t g = ds->first_tag; g >= 0; g = t->m->tags[g].next)
            if (t->m->tags[g].field == f)
                tui_text_add(&tags, "%s%s", tags[0] ? " " : "", t->m->tags[g].tag);
        detail_add(d, model_field_personal(t->m, f) ? STYLE_WARNING : STYLE_DEFAULT,
                   t->m->fields[f].name, "%s", tags);
        n++;
    }
    for (int32_t g = ds->first_tag; g >= 0; g = t->m->tags[g].next)
        if (t->m->tags[g].field < 0) {
            detail_add(d, STYLE_DEFAULT, "(tag)", "%s%s%s", t->m->tags[g].tag,
                       t->m->tags[g].source && *t->m->tags[g].source ? "  from " : "",
                       t->m->tags[g].source ? t->m->tags[g].source : "");
            n++;
        }
    tui_text_free(&tags);
    if (n == 0)
        detail_add(d, STYLE_DIM, NULL, "none");
    section(d, "Copies");
    n = 0;
    for (int32_t p = ds->first_placement; p >= 0; p = t->m->placements[p].next) {
        const struct placement *pl = &t->m->placements[p];
        if (pl->deleted)
            continue;
        detail_ref(d, OBJ_PLACEMENT, p, role_names[pl->role], "%s%s%s%s%s%s",
                   t->m->regions[pl->region].id, pl->encrypted ? ", encrypted" : "",
                   pl->key_region >= 0 ? ", key in " : "",
                   pl->key_region >= 0 ? t->m->regions[pl->key_region].id : "",
                   pl->mechanism ? ", " : "", mechanism_names[pl->mechanism]);
        if (p < t->np && t->pl_worst[p] >= 0)
            d->line[d->n - 1].style = t->pl_worst[p] == SEV_ERROR ? STYLE_ERROR : STYLE_WARNING;
        n++;
    }
    if (n == 0)
        detail_add(d, STYLE_DIM, NULL, "none (press c to add a copy)");
    section(d, "Flows");
    n = 0;
    /* Through the per-dataset flow lists: no scan of every flow. */
    for (int pass = 0; pass < 2 && id < t->nd; pass++)
        for (int32_t fl = pass ? t->ds_in[id] : t->ds_out[id]; fl >= 0 && n < LIST_CAP;
             fl = pass ? t->fl_next_in[fl] : t->fl_next_out[fl]) {
            flow_line(t, fl, d);
            n++;
        }
    if (n == 0)
        detail_add(d, STYLE_DIM, NULL, "none");
    findings_of(t, OBJ_DATASET, id, true, d);
}

static void
placement_detail(struct tui *t, int32_t id, struct detail *d)
{
    const struct placement *pl = &t->m->placements[id];
    int n = 0;

    detail_ref(d, OBJ_DATASET, pl->dataset, "dataset", "%s", t->m->datasets[pl->dataset].name);
    section(d, "Flows");
    for (int pass = 0; pass < 2 && pl->dataset < t->nd; pass++)
        for (int32_t fl = pass ? t->ds_in[pl->dataset] : t->ds_out[pl->dataset];
             fl >= 0 && n < LIST_CAP; fl = pass ? t->fl_next_in[fl] : t->fl_next_out[fl]) {
            const struct flow *f = &t->m->flows[fl];
            if (f->from == id || f->to == id) {
                flow_line(t, fl, d);
                n++;
            }
        }
    if (n == 0)
        detail_add(d, STYLE_DIM, NULL, "none (an implicit replication from the primary)");
    findings_of(t, OBJ_PLACEMENT, id, false, d);
}

static void
region_detail(struct tui *t, int32_t id, struct detail *d)
{
    int n = 0;
    /* The derived count (tui_derive) says how many there are: the scan
     * stops at the last one listed, not at the end of millions. */
    int32_t total = id < t->nr && t->nr == t->m->nregions && t->np == t->m->nplacements
                    ? t->rg_copies[id] : SM_NONE;

    section(d, "Copies here");
    for (int32_t p = 0; p < t->m->nplacements; p++) {
        const struct placement *pl = &t->m->placements[p];
        if (total >= 0 && n >= (total < LIST_CAP ? total : LIST_CAP)) {
            n = total;
            break;
        }
        if (pl->deleted || pl->region != id)
            continue;
        if (n++ < LIST_CAP)
            detail_ref(d, OBJ_PLACEMENT, p, role_names[pl->role], "%s",
                       t->m->datasets[pl->dataset].name);
    }
    if (n > LIST_CAP)
        detail_add(d, STYLE_DIM, NULL, "%s and %d more", text_sym("…", "..."), n - LIST_CAP);
    if (n == 0)
        detail_add(d, STYLE_DIM, NULL, "none");
}

static void
tier_detail(struct tui *t, int32_t id, struct detail *d)
{
    int n = 0;
    /* As for regions: the derived count ends the scan early. */
    int32_t total = id < t->nt && t->nt == t->m->ntiers && t->nd == t->m->ndatasets
                    ? t->tier_count[id] : SM_NONE;

    section(d, "Datasets");
    for (int32_t i = 0; i < t->m->ndatasets; i++) {
        if (total >= 0 && n >= (total < LIST_CAP ? total : LIST_CAP)) {
            n = total;
            break;
        }
        if (t->m->datasets[i].deleted || t->m->datasets[i].tier != id)
            continue;
        if (n++ < LIST_CAP)
            detail_ref(d, OBJ_DATASET, i, NULL, "%s", t->m->datasets[i].name);
    }
    if (n > LIST_CAP)
        detail_add(d, STYLE_DIM, NULL, "%s and %d more", text_sym("…", "..."), n - LIST_CAP);
    if (n == 0)
        detail_add(d, STYLE_DIM, NULL, "none");
}

static void
scenario_detail(struct tui *t, int32_t id, struct detail *d)
{
    const struct scenario *sc = &t->m->scenarios[id];
    int32_t base = sc->base && *sc->base ? model_scenario(t->m, sc->base) : SM_NONE;

    if (base >= 0)
        detail_ref(d, OBJ_SCENARIO, base, "builds on", "%s", sc->base);
    section(d, "Ops, in order");
    for (uint32_t i = 0; i < sc->nops; i++) {
        char *line = NULL;
        tui_text_free(&line);
        for (uint32_t j = 0; j < sc->ops[i].n; j++)
            tui_text_add(&line, "%s%s", j ? " " : "", sc->ops[i].v[j]);
        detail_add(d, STYLE_DEFAULT, NULL, "%u. %s", i + 1, line);
        tui_text_free(&line);
    }
    if (sc->nops == 0)
        detail_add(d, STYLE_DIM, NULL, "none yet: :scenario add %s OP ARGS...", sc->name);
    detail_add(d, STYLE_DEFAULT, NULL, "%s", "");
    detail_add(d, STYLE_DIM, NULL, "d shows what it changes; :scenario apply %s makes it real",
               sc->name);
}

void
detail_object(struct tui *t, enum obj_kind kind, int32_t id, struct detail *d)
{
    char *sel = model_selector_dup(t->m, kind, id);

    if (!sel)
        sel = no_text;
    detail_title(d, "%s %s", obj_kind_names[kind], sel);
    if (kind == OBJ_PLACEMENT || kind == OBJ_FLOW)
        detail_add(d, STYLE_DIM, NULL, "%s", "");
    attributes(t, kind, id, d);
    if (kind == OBJ_DATASET)
        dataset_detail(t, id, d);
    else if (kind == OBJ_PLACEMENT)
        placement_detail(t, id, d);
    else if (kind == OBJ_REGION)
        region_detail(t, id, d);
    else if (kind == OBJ_TIER)
        tier_detail(t, id, d);
    else if (kind == OBJ_FLOW)
        findings_of(t, OBJ_FLOW, id, false, d);
    else if (kind == OBJ_SCENARIO)
        scenario_detail(t, id, d);
    else if (kind == OBJ_WAIVER)
        waiver_detail(t, id, d);
    if (d->n > 0 && d->line[0].text[0] == 0 && d->line[0].ref == REF_NONE) {
        text_free(d->line[0].text);
        text_free(d->line[0].label);
        memmove(&d->line[0], &d->line[1], sizeof d->line[0] * (size_t)(d->n - 1));
        d->n--;
    }
    /* A name too long for the title line is given whole, first (the
     * pane wraps it). */
    if (text_width(sel) > 40 && d->n < DETAIL_MAX) {
        struct detail_line l;
        detail_add(d, STYLE_DEFAULT, "name", "%s", sel);
        l = d->line[d->n - 1];
        memmove(&d->line[1], &d->line[0], sizeof d->line[0] * (size_t)(d->n - 1));
        d->line[0] = l;
    }
    text_free(sel);
}

/* One item of a rule's text as detail lines of at most `max` bytes, cut
 * at spaces (the pane wraps each line to its width). */
static void
rule_item(struct detail *d, const char *s, size_t n)
{
    const size_t max = 224;     /* lines the size the rule texts were written for */

    while (n > 0) {
        size_t k = n;
        if (k > max) {
            k = max;
            while (k > max / 2 && s[k] != ' ')
                k--;
            if (s[k] != ' ')        /* no space: cut between characters */
                for (k = max; k > 1 && ((unsigned char)s[k] & 0xC0) == 0x80; k--)
                    ;
        }
        detail_add(d, STYLE_DEFAULT, NULL, "%.*s", (int)k, s);
        s += k;
        n -= k;
        while (n > 0 && *s == ' ') {
            s++;
            n--;
        }
    }
}

/* The rule's text (the shipped explanation, without its title line):
 * doc/rules.md's hard-wrapped lines joined into items, one per "- " line. */
static void
rule_section(struct tui *t, const char *id, struct detail *d)
{
    int rule = rules_rule(id);
    const char *s;
    char *item = NULL;

    if (!t->rule_texts || rule == SM_NONE || !t->rule_texts[rule])
        return;
    s = strchr(t->rule_texts[rule], '\n');
    if (!s)
        return;
    section(d, "Rule");
    tui_text_free(&item);
    for (s++; *s;) {
        size_t len = strcspn(s, "\n");
        if (item[0] && strncmp(s, "- ", 2) == 0) {
            rule_item(d, item, strlen(item));
            tui_text_free(&item);
        }
        if (item[0]) {
            while (len && *s == ' ') {      /* a continuation's indent */
                s++;
                len--;
            }
            tui_text_add(&item, " ");
        }
        tui_text_add(&item, "%.*s", (int)len, s);
        s += len;
        s += *s == '\n';
    }
    if (item[0])
        rule_item(d, item, strlen(item));
    tui_text_free(&item);
}

void
detail_finding(struct tui *t, int32_t i, struct detail *d)
{
    const struct finding *f = &t->res->findings[i];

    detail_title(d, "%s %s %s", f->rule,
             f->waived ? "waived" : severity_names[f->severity], f->selector);
    detail_add(d, sev_style(f), NULL, "%s", f->message);
    if (f->object >= 0 && f->kind < OBJ_KIND_COUNT)
        detail_ref(d, f->kind, f->object, obj_kind_names[f->kind], "%s", f->selector);
    else
        detail_add(d, STYLE_DEFAULT, "object", "%s", f->selector);
    if (f->dataset >= 0 && !(f->kind == OBJ_DATASET && f->object == f->dataset))
        detail_ref(d, OBJ_DATASET, f->dataset, "dataset", "%s", t->m->datasets[f->dataset].name);
    if (f->jurisdictions && *f->jurisdictions)
        detail_add(d, STYLE_DEFAULT, "where", "%s", f->jurisdictions);
    section(d, "Why");
    for (uint32_t k = 0; k < f->why.n; k++)
        detail_add(d, STYLE_DEFAULT, NULL, "%u. %s", k + 1, f->why.v[k]);
    if (f->why.n == 0)
        detail_add(d, STYLE_DIM, NULL, "(no facts recorded)");
    section(d, "Hint");
    detail_add(d, f->hint && *f->hint ? STYLE_DEFAULT : STYLE_DIM, NULL, "%s",
               f->hint && *f->hint ? f->hint : "none");
    rule_section(t, f->rule, d);
    if (f->waived && f->waiver >= 0 && f->waiver < t->m->nwaivers) {
        const struct waiver *w = &t->m->waivers[f->waiver];
        char date[11];                  /* bounded: YYYY-MM-DD */
        sm_date_fmt(w->expires, date);
        section(d, "Waiver");
        detail_ref(d, OBJ_WAIVER, f->waiver, "by", "%s until %s: %s", w->owner,
                   date[0] ? date : "never", w->reason);
    }
    detail_add(d, STYLE_DEFAULT, NULL, "%s", "");
    detail_add(d, STYLE_DIM, NULL, "f fix it (preview first), w waive, Enter jumps");
}

void
detail_transfer(struct tui *t, int32_t i, struct detail *d)
{
    const struct transfer *x = &t->res->transfers[i];
    char a[3], b[3];                    /* bounded: two-letter country codes */

    sm_cc_str(x->from_cc, a);
    sm_cc_str(x->to_cc, b);
    detail_title(d, "transfer %s -> %s", a, x->to_cc < 0 ? "any" : b);
    if (x->dataset >= 0)
        detail_ref(d, OBJ_DATASET, x->dataset, "dataset", "%s", t->m->datasets[x->dataset].name);
    detail_add(d, STYLE_DEFAULT, "regime", "%s", check_transfer_regime(t->res, x));
    detail_add(d, STYLE_DEFAULT, "mechanism", "%s",
               x->mechanism ? mechanism_names[x->mechanism] : "none");
    detail_add(d, x->status == XFER_VIOLATION ? STYLE_ERROR : STYLE_DEFAULT, "status", "%s",
               x->status < XFER_STATUS_COUNT ? transfer_status_names[x->status] : "?");
    detail_add(d, STYLE_DEFAULT, "basis", "%s", check_transfer_basis(t->res, x));
    detail_add(d, STYLE_DEFAULT, "personal", "%s", x->personal ? "yes" : "no");
    if (x->flow >= 0)
        detail_ref(d, OBJ_FLOW, x->flow, "flow", "%s", t->m->flows[x->flow].name);
    if (x->placement >= 0) {
        char *sel = model_selector_dup(t->m, OBJ_PLACEMENT, x->placement);
        detail_ref(d, OBJ_PLACEMENT, x->placement, "copy", "%s", sel ? sel : "?");
        free(sel);
    }
}
