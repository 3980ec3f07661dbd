/*
 * form.c - text entry, the add/edit/waive forms generated from
 * model_attrs() (labels, help, required flags, enum names), completion of
 * regions, tiers, datasets and copies, inline errors from model_set's
 * messages (the quick fixes are in form_fix.c). Every submit is one
 * struct edit through tui_apply. No curses.
 */
#include "views.h"
#include "rules.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- one line of text ------------------------------------------------------- */

void
line_set(struct line *l, const char *s)
{
    size_t n = strlen(s ? s : "");

    line_fini(l);
    if (n && (l->buf = malloc(n + 1)) != NULL) {
        memcpy(l->buf, s, n + 1);
        l->cap = (int)n + 1;
    } else {
        tui_text_free(&l->buf);         /* the empty text (or out of memory) */
    }
    l->len = (int)strlen(l->buf);
    l->cur = l->len;
}

void
line_fini(struct line *l)
{
    if (l->cap)
        free(l->buf);
    l->buf = NULL;
    l->cap = 0;
    tui_text_free(&l->buf);
    l->len = l->cur = 0;
}

/* Room for n more bytes and the NUL; false when out of memory (or past
 * INT_MAX: the line then takes no more). */
static bool
line_room(struct line *l, int n)
{
    size_t need = (size_t)l->len + (size_t)n + 1, cap;
    char *nb;

    if (need <= (size_t)l->cap)
        return true;
    if (need > (size_t)INT_MAX / 2)
        return false;
    cap = need < 64 ? 64 : need * 2;
    if (!(nb = l->cap ? realloc(l->buf, cap) : malloc(cap)))
        return false;
    if (!l->cap)
        memcpy(nb, l->buf ? l->buf : "", (size_t)l->len + 1);
    l->buf = nb;
    l->cap = (int)cap;
    return true;
}

static int
prev_char(const struct line *l, int i)
{
    if (i <= 0)
        return 0;
    i--;
    while (i > 0 && ((unsigned char)l->buf[i] & 0xc0) == 0x80)
        i--;
    return i;
}

static int
next_char(const struct line *l, int i)
{
    if (i >= l->len)
        return l->len;
    i++;
    while (i < l->len && ((unsigned char)l->buf[i] & 0xc0) == 0x80)
        i++;
    return i;
}

static void
delete_range(struct line *l, int from, int to)
{
    memmove(l->buf + from, l->buf + to, (size_t)(l->len - to + 1));
    l->len -= to - from;
    l->cur = from;
}

bool
line_key(struct line *l, enum action a, int code)
{
    char mb[MB_LEN_MAX];        /* bounded: one multibyte character */
    int n;

    switch (a) {        /* line editing is a small state machine: kept local */
    case ACT_CHAR_LEFT:  l->cur = prev_char(l, l->cur); return true;
    case ACT_CHAR_RIGHT: l->cur = next_char(l, l->cur); return true;
    case ACT_LINE_START: l->cur = 0; return true;
    case ACT_LINE_END:   l->cur = l->len; return true;
    case ACT_DEL_BACK:
        if (l->cur > 0)
            delete_range(l, prev_char(l, l->cur), l->cur);
        return true;
    case ACT_DEL_FWD:
        if (l->cur < l->len)
            delete_range(l, l->cur, next_char(l, l->cur));
        return true;
    case ACT_DEL_LINE:
        line_set(l, "");
        return true;
    case ACT_DEL_WORD: {
        int i = l->cur;
        while (i > 0 && l->buf[i - 1] == ' ')
            i--;
        while (i > 0 && l->buf[i - 1] != ' ')
            i--;
        delete_range(l, i, l->cur);
        return true;
    }
    default:
        break;
    }
    if (code == TK_SPACE)
        code = ' ';
    if (code < 32 || code >= TK_BASE - 1 || code == 127)
        return false;
    if (code < 0x80) {
        mb[0] = (char)code;
        n = 1;
    } else {
        /* UTF-8 by hand: the locale may not be UTF-8 in tests. */
        if (code < 0x800) {
            mb[0] = (char)(0xc0 | (code >> 6));
            mb[1] = (char)(0x80 | (code & 0x3f));
            n = 2;
        } else if (code < 0x10000) {
            mb[0] = (char)(0xe0 | (code >> 12));
            mb[1] = (char)(0x80 | ((code >> 6) & 0x3f));
            mb[2] = (char)(0x80 | (code & 0x3f));
            n = 3;
        } else {
            mb[0] = (char)(0xf0 | (code >> 18));
            mb[1] = (char)(0x80 | ((code >> 12) & 0x3f));
            mb[2] = (char)(0x80 | ((code >> 6) & 0x3f));
            mb[3] = (char)(0x80 | (code & 0x3f));
            n = 4;
        }
    }
    if (!line_room(l, n))
        return true;
    memmove(l->buf + l->cur + n, l->buf + l->cur, (size_t)(l->len - l->cur + 1));
    memcpy(l->buf + l->cur, mb, (size_t)n);
    l->len += n;
    l->cur += n;
    return true;
}

/* ---- forms ------------------------------------------------------------------ */

static const char *const key_labels[OBJ_KIND_COUNT] = {
    [OBJ_REGION] = "id", [OBJ_TIER] = "name", [OBJ_DATASET] = "name",
    [OBJ_PLACEMENT] = "dataset", [OBJ_FLOW] = "name", [OBJ_WAIVER] = "finding",
    [OBJ_SCENARIO] = "name",
};

static const char *const key_help[OBJ_KIND_COUNT] = {
    [OBJ_REGION] = "provider:code, e.g. onprem:fra-dc1",
    [OBJ_TIER] = "tier name, e.g. restricted",
    [OBJ_DATASET] = "dataset name, e.g. orders",
    [OBJ_PLACEMENT] = "the dataset this copy belongs to (Tab completes)",
    [OBJ_FLOW] = "flow name; empty for FROM->TO",
    [OBJ_WAIVER] = "the finding waived",
    [OBJ_SCENARIO] = "scenario name",
};

/* Free what the form holds and leave it closed and empty, its texts "". */
static void
form_reset(struct form *f)
{
    for (int i = 0; i < f->n; i++) {
        line_fini(&f->f[i].in);
        tui_text_free(&f->f[i].help);
        tui_text_free(&f->f[i].orig);
    }
    tui_text_free(&f->title);
    tui_text_free(&f->key_prefix);
    tui_text_free(&f->error);
    tui_text_free(&f->note);
    tui_text_free(&f->comp_prefix);
    memset(f, 0, sizeof *f);
    tui_text_free(&f->title);
    tui_text_free(&f->key_prefix);
    tui_text_free(&f->error);
    tui_text_free(&f->note);
    tui_text_free(&f->comp_prefix);
}

void
form_close(struct tui *t)
{
    form_reset(&t->form);
}

static struct form_field *
add_field(struct form *f, const struct attr *a, const char *label, const char *help,
          const char *value, bool readonly)
{
    struct form_field *x;

    if (f->n >= FORM_MAX)
        return NULL;
    x = &f->f[f->n++];
    memset(x, 0, sizeof *x);
    x->attr = a;
    x->type = a ? a->type : ATTR_STR;
    x->readonly = readonly;
    x->required = a ? a->required : false;
    snprintf(x->label, sizeof x->label, "%s", label);
    tui_text_set(&x->help, "%s", help ? help : "");
    line_set(&x->in, value);
    tui_text_set(&x->orig, "%s", value ? value : "");
    return x;
}

static void
first_editable(struct form *f)
{
    f->cur = 0;
    while (f->cur < f->n - 1 && f->f[f->cur].readonly)
        f->cur++;
}

void
form_open_add(struct tui *t, enum obj_kind kind, const char *preset_key,
              const char *preset_attr, const char *preset_value)
{
    struct form *f = &t->form;
    struct form_field *k;

    form_reset(f);
    f->open = true;
    f->mode = FORM_ADD;
    f->kind = kind;
    f->id = SM_NONE;
    f->error_field = -1;
    tui_text_set(&f->title, "Add %s", obj_kind_names[kind]);
    k = add_field(f, NULL, key_labels[kind], key_help[kind], preset_key, false);
    if (k) {
        k->required = kind != OBJ_FLOW;
        k->type = kind == OBJ_PLACEMENT ? ATTR_PLACEMENT : ATTR_STR;
    }
    for (const struct attr *a = model_attrs(kind); a && a->name; a++) {
        const char *v = preset_attr && strcmp(preset_attr, a->name) == 0 ? preset_value : "";
        /* the rows Edit shows; what cannot be typed here stays read-only */
        add_field(f, a, a->name, a->help, v, a->readonly || a->type == ATTR_FIELDS);
    }
    f->cur = preset_key && *preset_key && f->n > 1 ? 1 : 0;
    if (preset_attr && preset_value)
        for (int i = 1; i < f->n; i++)
            if (strcmp(f->f[i].label, preset_attr) == 0 && f->cur == i && i + 1 < f->n)
                f->cur = i + 1;
}

void
form_open_edit(struct tui *t, enum obj_kind kind, int32_t id)
{
    struct form *f = &t->form;
    char *sel, *buf;

    form_reset(f);
    f->open = true;
    f->mode = FORM_EDIT;
    f->kind = kind;
    f->id = id;
    f->error_field = -1;
    sel = model_selector_dup(t->m, kind, id);
    tui_text_set(&f->title, "Edit %s %s", obj_kind_names[kind], sel ? sel : "");
    add_field(f, NULL, key_labels[kind], "renaming is not supported; delete and add", sel, true);
    free(sel);
    for (const struct attr *a = model_attrs(kind); a && a->name; a++) {
        buf = model_get_dup(t->m, kind, id, a->name);
        add_field(f, a, a->name, a->help, buf, a->readonly || a->type == ATTR_FIELDS);
        free(buf);
    }
    first_editable(f);
}

static int32_t
add_days(int32_t date, int days)
{
    struct tm tm;
    time_t tt;

    memset(&tm, 0, sizeof tm);
    tm.tm_year = date / 10000 - 1900;
    tm.tm_mon = date / 100 % 100 - 1;
    tm.tm_mday = date % 100 + days;
    tm.tm_hour = 12;
    tt = timegm(&tm);
    gmtime_r(&tt, &tm);
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

void
form_open_waive(struct tui *t, int32_t fi)
{
    const struct finding *fd = &t->res->findings[fi];
    struct form *f = &t->form;
    char *key, date[11];        /* bounded: date is YYYY-MM-DD */

    form_reset(f);
    f->open = true;
    f->mode = FORM_WAIVE;
    f->kind = OBJ_WAIVER;
    f->id = SM_NONE;
    f->error_field = -1;
    tui_text_set(&f->key_prefix, "%s:%s", fd->rule, fd->selector);
    key = f->key_prefix;
    tui_text_set(&f->title, "Waive %s", key);
    add_field(f, NULL, "finding", fd->message, key, true);
    sm_date_fmt(t->today ? add_days(t->today, 90) : 0, date);
    for (const struct attr *a = model_attrs(OBJ_WAIVER); a && a->name; a++) {
        if (a->readonly)
            continue;
        add_field(f, a, a->name, a->help,
                  strcmp(a->name, "owner") == 0 ? t->user :
                  strcmp(a->name, "expires") == 0 ? date : "", false);
    }
    first_editable(f);
}

/* The field an error message is about: the longest label it names. */
static int
field_of_message(const struct form *f, const char *msg)
{
    int best = -1;
    size_t bl = 0;

    for (int i = 0; i < f->n; i++) {
        size_t l = strlen(f->f[i].label);
        const char *p = msg;
        while ((p = strstr(p, f->f[i].label)) != NULL) {
            bool start = p == msg || p[-1] == ' ' || p[-1] == '(' || p[-1] == '"';
            bool end = p[l] == 0 || p[l] == ' ' || p[l] == ':' || p[l] == '=' || p[l] == ';' ||
                       p[l] == ',' || p[l] == ')' || p[l] == '"';
            if (start && end && l > bl) {
                best = i;
                bl = l;
            }
            p += l;
        }
    }
    return best;
}

/* ---- a tier edit's impact, before it is saved ---------------------------------- */

struct fkey_ix {
    const struct finding *f;
};

static int
fkey_ix_cmp(const void *pa, const void *pb)
{
    const struct finding *a = ((const struct fkey_ix *)pa)->f, *b = ((const struct fkey_ix *)pb)->f;
    int d = strcmp(a->rule, b->rule);

    return d ? d : strcmp(a->selector, b->selector);
}

/* The live findings of r, sorted by (rule, selector). */
static struct fkey_ix *
live_sorted(const struct check_result *r, int32_t *n)
{
    struct fkey_ix *v = malloc(sizeof *v * (size_t)(r->nfindings + 1));

    *n = 0;
    if (!v)
        return NULL;
    for (int32_t k = 0; k < r->nfindings; k++)
        if (!r->findings[k].waived)
            v[(*n)++].f = &r->findings[k];
    qsort(v, (size_t)*n, sizeof *v, fkey_ix_cmp);
    return v;
}

/* Append "  new       error   RES001  sel" to buf (at most `max` lines). */
static void
impact_line(char **buf, size_t *len, size_t *cap, const char *what, const struct finding *f,
            int *lines, int max)
{
    int need;

    if (++*lines > max)
        return;
    need = snprintf(NULL, 0, "\n%-9s %-7s %-7s %s", what, severity_names[f->severity], f->rule,
                    f->selector);
    if (*len + (size_t)need + 1 > *cap) {
        size_t nc = (*cap + (size_t)need + 1) * 2;
        char *nb = realloc(*buf, nc);
        if (!nb)
            return;
        *buf = nb;
        *cap = nc;
    }
    *len += (size_t)snprintf(*buf + *len, *cap - *len, "\n%-9s %-7s %-7s %s", what,
                             severity_names[f->severity], f->rule, f->selector);
}

/* Check a clone of the model with e applied against the current check:
 * the findings that appear and go, as text for the confirm dialog (heap),
 * and the error counts. NULL when it cannot be computed (no checker, the
 * edit fails: then the save reports it). */
static char *
tier_impact(struct tui *t, const struct edit *e, int32_t count[2][SEV_COUNT])
{
    struct model *m = NULL;
    struct check_result *r = NULL;
    struct edit_result res;
    SM_ERROR(err);
    struct fkey_ix *a = NULL, *b = NULL;
    int32_t na = 0, nb = 0, i = 0, j = 0;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int lines = 0;
    const int max = 12;

    memset(count, 0, sizeof(int32_t) * 2 * SEV_COUNT);
    memset(&res, 0, sizeof res);
    if (!t->ops.check || !t->res || model_clone(t->m, &m))
        return NULL;
    if (edit_apply(m, e, &res, &err) || t->ops.check(t->ops.ctx, m, &r, &err))
        goto out;
    b = live_sorted(t->res, &nb);
    a = live_sorted(r, &na);
    if (!a || !b)
        goto out;
    /* new (in a only) and resolved (in b only), by a merge */
    while (i < na || j < nb) {
        int d = i >= na ? 1 : j >= nb ? -1 : fkey_ix_cmp(&a[i], &b[j]);
        if (d == 0) {
            i++;
            j++;
        } else if (d < 0) {
            count[0][a[i].f->severity]++;
            impact_line(&buf, &len, &cap, "new", a[i++].f, &lines, max);
        } else {
            count[1][b[j].f->severity]++;
            impact_line(&buf, &len, &cap, "resolved", b[j++].f, &lines, max);
        }
    }
    if (lines > max) {
        char more[64];                  /* bounded: a count */
        snprintf(more, sizeof more, "\n... and %d more", lines - max);
        if (len + strlen(more) + 1 <= cap)
            strcat(buf + len, more);
    }
    if (!buf)
        buf = strdup("\nno copy or flow changes status");
out:
    free(a);
    free(b);
    if (r)
        t->ops.check_free(t->ops.ctx, r);
    edit_result_fini(&res);
    model_free(m);
    return buf;
}

/* Before a tier's changes are saved: a confirm dialog with their impact,
 * "+N errors, -M errors" and the copies and flows that change status.
 * false when there is nothing to show (then save at once). */
static bool
tier_confirm(struct tui *t, const struct edit *e, const char *tier)
{
    struct dialog *d = &t->dialog;
    int32_t count[2][SEV_COUNT];
    char *list = tier_impact(t, e, count), *text;
    size_t n;

    if (!list)
        return false;
    dialog_close(t);
    d->mode = DIALOG_CONFIRM;
    tui_text_set(&d->title, "Save tier %s? Impact before saving", tier);
    n = strlen(list) + 256;
    text = malloc(n);
    if (!text) {
        free(list);
        return false;
    }
    snprintf(text, n, "+%d errors, -%d errors; +%d warnings, -%d warnings%s",
             (int)count[0][SEV_ERROR], (int)count[1][SEV_ERROR], (int)count[0][SEV_WARNING],
             (int)count[1][SEV_WARNING], list);
    free(list);
    d->text = text;
    d->nchoices = 1;
    tui_text_set(&d->choice_text[0], "Save tier %s: +%d errors, -%d errors",
             tier, (int)count[0][SEV_ERROR], (int)count[1][SEV_ERROR]);
    if (!(d->edits[0] = edit_dup(e))) {
        dialog_close(t);
        return false;
    }
    return true;
}

/* Both set *msg (a heap text) only when they return what they report. */
static bool field_ok(struct tui *t, const struct form_field *x, char **msg);

/* Leading and trailing spaces go: "  orders " is orders, "   " nothing. */
static void
trim(struct line *l)
{
    int a = 0, b = l->len;

    while (a < b && l->buf[a] == ' ')
        a++;
    while (b > a && l->buf[b - 1] == ' ')
        b--;
    if (a == 0 && b == l->len)
        return;
    memmove(l->buf, l->buf + a, (size_t)(b - a));
    l->buf[b - a] = 0;
    l->len = b - a;
    if (l->cur > l->len)
        l->cur = l->len;
}

/* A value the model takes but that is most likely a mistake, said once
 * before saving: a waiver's expiry before today (it then covers nothing).
 * (Subject codes that are no ISO 3166-1 code are the model's error.) */
static bool
past_date(struct tui *t, const struct form_field *x, char **msg)
{
    int32_t date;

    if (x->readonly || !x->attr || !x->in.buf[0])
        return false;
    if (x->type != ATTR_DATE || t->form.kind != OBJ_WAIVER ||
        strcmp(x->attr->name, "expires") != 0 || !t->today ||
        sm_date_parse(x->in.buf, &date) != SM_OK || date >= t->today)
        return false;
    tui_text_set(msg, "%s: %s is in the past: the waiver will not cover the finding",
             x->label, x->in.buf);
    return true;
}

/* Check field i as the cursor leaves it (or on Tab): its error is set,
 * or cleared once it is right. */
static void
check_field(struct tui *t, int i)
{
    struct form *f = &t->form;

    if (!field_ok(t, &f->f[i], &f->error) || past_date(t, &f->f[i], &f->error)) {
        f->error_field = i;
    } else if (f->error_field == i) {
        tui_text_free(&f->error);
        f->error_field = -1;
    }
}

/* Any field changed from what the form opened with. */
static bool
form_dirty(const struct form *f)
{
    for (int i = 0; i < f->n; i++)
        if (!f->f[i].readonly && strcmp(f->f[i].in.buf, f->f[i].orig) != 0)
            return true;
    return false;
}

static void
form_submit(struct tui *t)
{
    struct form *f = &t->form;
    struct edit e;
    char *key = NULL, *what = NULL;
    const char *region = NULL;

    memset(&e, 0, sizeof e);
    tui_text_free(&f->error);
    f->error_field = -1;
    for (int i = 0; i < f->n; i++)
        if (!f->f[i].readonly)
            trim(&f->f[i].in);
    for (int i = 0; i < f->n; i++)
        if (f->f[i].required && !f->f[i].readonly && !f->f[i].in.buf[0] &&
            f->mode != FORM_EDIT) {
            tui_text_set(&f->error, "%s is required (spaces alone are no %s)",
                         f->f[i].label, f->f[i].label);
            f->error_field = i;
            f->cur = i;
            return;
        }
    for (int i = 0; i < f->n; i++) {
        if (f->mode == FORM_EDIT && strcmp(f->f[i].in.buf, f->f[i].orig) == 0)
            continue;           /* what the object already has is not questioned */
        if (!field_ok(t, &f->f[i], &f->error)) {
            f->error_field = f->cur = i;
            return;
        }
        if (!f->past_ok && past_date(t, &f->f[i], &f->error)) {
            tui_text_set(&f->error, "%s; Enter again saves it anyway", f->error);
            f->error_field = f->cur = i;
            f->past_ok = true;
            return;
        }
    }
    e.kind = f->kind;
    e.op = f->mode == FORM_EDIT ? EDIT_SET : EDIT_ADD;
    for (int i = 1; i < f->n; i++) {
        struct form_field *x = &f->f[i];
        if (x->readonly || !x->attr)
            continue;
        if (f->kind == OBJ_PLACEMENT && f->mode == FORM_ADD && strcmp(x->label, "region") == 0) {
            region = x->in.buf;
            continue;
        }
        if (f->mode == FORM_EDIT ? strcmp(x->in.buf, x->orig) == 0 : !x->in.buf[0])
            continue;
        if (e.nattrs == EDIT_MAX_ATTRS)
            break;
        e.attrs[e.nattrs].name = x->attr->name;
        e.attrs[e.nattrs].value = x->in.buf;
        e.nattrs++;
    }
    if (f->kind == OBJ_PLACEMENT && f->mode == FORM_ADD)
        key = sm_strdupf("%s@%s", f->f[0].in.buf, region ? region : "");
    else
        key = strdup(f->mode == FORM_WAIVE ? f->key_prefix : f->f[0].in.buf);
    if (!key) {
        tui_text_set(&f->error, "out of memory");
        return;
    }
    e.key = key;
    if (f->mode == FORM_EDIT && e.nattrs == 0) {
        form_close(t);
        tui_set_message(t, false, "nothing changed");
        goto out;
    }
    /* the impact of a tier's edit first; y saves, Esc keeps the catalog as it is */
    if (f->kind == OBJ_TIER && f->mode == FORM_EDIT && tier_confirm(t, &e, key)) {
        form_close(t);
        goto out;
    }
    what = sm_strdupf("%s %s %s",
                      f->mode == FORM_EDIT ? "changed" : f->mode == FORM_WAIVE ? "waived" : "added",
                      f->mode == FORM_WAIVE ? "" : obj_kind_names[f->kind], key);
    if (tui_apply(t, &e, what ? what : key) != SM_OK) {
        tui_text_set(&f->error, "%s", t->msg);
        f->error_field = field_of_message(f, t->msg);
        if (f->error_field == 0 && f->kind == OBJ_PLACEMENT && strstr(t->msg, "region"))
            f->error_field = 1;
        if (f->error_field >= 0)
            f->cur = f->error_field;
        tui_text_free(&t->msg);
        goto out;
    }
    form_close(t);
out:
    free(what);
    free(key);
}

/* ---- completion ----------------------------------------------------------------- */

#define COMP_LISTED 8     /* matches the note lists */
#define COMP_COPIES 32    /* copies of one dataset offered */

struct comp {
    const char *prefix;
    size_t plen;
    int kind;                   /* name_match: 2 prefix matches, 1 any containing */
    int n;
    const char *lcp;            /* the common start: its first lcp_len bytes */
    size_t lcp_len;
    const char *listed[COMP_LISTED];
    const char *pick;           /* the k-th match */
    int want;
    char *sels[COMP_COPIES];    /* copies' selectors made for candidates (heap) */
    int nsels;
};

static void
comp_fini(struct comp *c)
{
    for (int i = 0; i < c->nsels; i++)
        free(c->sels[i]);
    c->nsels = 0;
}

static void
comp_add(struct comp *c, const char *cand)
{
    size_t i;

    if (!cand || name_match(cand, c->prefix) != c->kind)
        return;
    if (c->kind == 1) {
        /* one match is itself; several share no start to extend to */
        c->lcp = c->n == 0 ? cand : c->prefix;
        c->lcp_len = strlen(c->lcp);
    } else if (c->n == 0) {
        c->lcp = cand;
        c->lcp_len = strlen(cand);
    } else {
        for (i = 0; i < c->lcp_len && c->lcp[i] == cand[i]; i++)
            ;
        /* never into a character: back to the start of the one they differ in */
        while (i > 0 && i < c->lcp_len && ((unsigned char)c->lcp[i] & 0xc0) == 0x80)
            i--;
        c->lcp_len = i;
    }
    if (c->n == c->want)
        c->pick = cand;
    if (c->n < COMP_LISTED)
        c->listed[c->n] = cand;
    c->n++;
}

/* The first matches, "a  b  c", as a heap text (NULL out of memory). */
static char *
comp_list(const struct comp *c)
{
    char *list = strdup(""), *more;

    for (int i = 0; list && i < c->n && i < COMP_LISTED; i++) {
        more = sm_strdupf("%s%s%s", list, i ? "  " : "", c->listed[i]);
        free(list);
        list = more;
    }
    return list;
}

static void
candidates(struct tui *t, const struct form_field *x, const char *value, struct comp *c)
{
    const struct model *m = t->m;
    const char *at;

    switch (x->type) {  /* one source of names per attribute type */
    case ATTR_REGION:
        for (int32_t i = 0; i < m->nregions; i++)
            if (!m->regions[i].deleted)
                comp_add(c, m->regions[i].id);
        break;
    case ATTR_TIER:
        for (int32_t i = 0; i < m->ntiers; i++)
            if (!m->tiers[i].deleted)
                comp_add(c, m->tiers[i].name);
        break;
    case ATTR_ENUM:
        for (int i = 0; i < x->attr->nnames; i++)
            if (x->attr->names[i][0])
                comp_add(c, x->attr->names[i]);
        break;
    case ATTR_BOOL:
        comp_add(c, "false");
        comp_add(c, "true");
        break;
    case ATTR_PLACEMENT:
        if (x->attr && (at = strchr(value, '@')) != NULL) {
            char *name = strndup(value, (size_t)(at - value));
            int32_t d = name ? model_dataset(m, name) : SM_NONE;

            free(name);
            for (int32_t p = d >= 0 ? m->datasets[d].first_placement : -1;
                 p >= 0 && c->nsels < COMP_COPIES; p = m->placements[p].next)
                if (!m->placements[p].deleted &&
                    (c->sels[c->nsels] = model_selector_dup(m, OBJ_PLACEMENT, p)) != NULL)
                    comp_add(c, c->sels[c->nsels++]);
            break;
        }
        for (int32_t i = 0; i < m->ndatasets; i++)
            if (!m->datasets[i].deleted)
                comp_add(c, m->datasets[i].name);
        break;
    default:
        break;
    }
}

/* c is filled (comp_fini frees what it made). */
static int
count_matches(struct tui *t, const struct form_field *x, const char *prefix, int want,
              struct comp *c)
{
    /* names that start with it; else (no such name) names containing it */
    memset(c, 0, sizeof *c);
    for (int kind = 2; kind >= 1; kind--) {
        comp_fini(c);
        memset(c, 0, sizeof *c);
        c->prefix = prefix;
        c->plen = strlen(prefix);
        c->want = want;
        c->kind = kind;
        candidates(t, x, prefix, c);
        if (c->n || !*prefix)
            break;
    }
    return c->n;
}

/* First Tab: a unique match is filled in, several extend to their common
 * prefix and are listed; further Tabs cycle through them. */
static void
complete(struct tui *t)
{
    struct form *f = &t->form;
    struct form_field *x = &f->f[f->cur];
    struct comp c;
    char *list = NULL, *lcp = NULL;
    int n;

    if (x->readonly)
        return;
    if (f->ncomp == 0)
        tui_text_set(&f->comp_prefix, "%s", x->in.buf);
    n = count_matches(t, x, f->comp_prefix, -1, &c);
    if (n == 0) {
        if (x->type == ATTR_STR || x->type == ATTR_INT || x->type == ATTR_DATE)
            tui_text_set(&f->note, "no completion for %s", x->label);
        else
            tui_text_set(&f->note, "no name contains \"%s\"", f->comp_prefix);
        goto out;
    }
    if (f->ncomp == 0) {
        if ((lcp = strndup(c.lcp, c.lcp_len)) != NULL)
            line_set(&x->in, lcp);
        if (n == 1) {
            tui_text_set(&f->note, "%s", lcp ? lcp : "");
            goto out;
        }
        list = comp_list(&c);
        tui_text_set(&f->note, "%d matches: %s%s", n, list ? list : "",
                     n > COMP_LISTED ? text_sym(" …", " ...") : "");
        f->ncomp = 1;
        goto out;
    }
    comp_fini(&c);
    count_matches(t, x, f->comp_prefix, (f->ncomp - 1) % n, &c);
    if (c.pick)
        line_set(&x->in, c.pick);
    list = comp_list(&c);
    tui_text_set(&f->note, "%d/%d: %s", (f->ncomp - 1) % n + 1, n, list ? list : "");
    f->ncomp++;
out:
    free(list);
    free(lcp);
    comp_fini(&c);
}

/* Checks that need no change to the model, run when the cursor leaves a
 * field, so a mistyped region shows at once; the full check is the edit's
 * own (model_set's message) on Enter. */
static bool
field_ok(struct tui *t, const struct form_field *x, char **msg)
{
    const char *v = x->in.buf;
    SM_ERROR(err);
    uint16_t subj[MODEL_MAX_SUBJECTS];
    uint8_t nsubj;
    int32_t date;
    const char *near;

    if (!x->attr && !x->readonly && *v && strspn(v, " ") == strlen(v)) {
        tui_text_set(msg, "%s: spaces alone are no %s", x->label, x->label);
        return false;
    }
    if (!*v || x->readonly || !x->attr)
        return true;
    switch (x->type) {      /* one parser per attribute type, as model_set has */
    case ATTR_REGION:
        if (model_region(t->m, v) >= 0)
            return true;
        near = model_suggest(t->m, OBJ_REGION, v);
        tui_text_set(msg, "%s: unknown region %s%s%s%s", x->label, v, near ? "; did you mean " : "",
                 near ? near : "", near ? "?" : "");
        return false;
    case ATTR_TIER:
        if (model_tier(t->m, v) >= 0)
            return true;
        near = model_suggest(t->m, OBJ_TIER, v);
        tui_text_set(msg, "%s: unknown tier %s%s%s%s", x->label, v, near ? "; did you mean " : "",
                 near ? near : "", near ? "?" : "");
        return false;
    case ATTR_ENUM:
        if (model_enum_parse(x->attr->names, x->attr->nnames, v) >= 0)
            return true;
        tui_text_set(msg, "%s: %s is not one of the values (Tab lists them)", x->label, v);
        return false;
    case ATTR_BOOL:
        if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0 || strcmp(v, "yes") == 0 ||
            strcmp(v, "no") == 0)
            return true;
        tui_text_set(msg, "%s: say true or false", x->label);
        return false;
    case ATTR_DATE:
        if (sm_date_parse(v, &date) == SM_OK)
            return true;
        tui_text_set(msg, "%s: %s is not a date (YYYY-MM-DD)", x->label, v);
        return false;
    case ATTR_SUBJECTS:
        /* parsed, and every code a jurisdiction (the model's own rule) */
        if (model_parse_subjects(v, subj, &nsubj, &err) == SM_OK) {
            int i = 0;
            while (i < nsubj && model_check_cc(subj[i], &err) == SM_OK)
                i++;
            if (i == nsubj)
                return true;
        }
        tui_text_set(msg, "%s: %s", x->label, err.msg);
        return false;
    case ATTR_CC:
        if (sm_cc(v) < 0) {
            tui_text_set(msg, "%s: %s is not a two-letter country code", x->label, v);
            return false;
        }
        if (model_check_cc(sm_cc(v), &err) == SM_OK)
            return true;
        tui_text_set(msg, "%s: %s", x->label, err.msg);
        return false;
    default:
        return true;
    }
}

int
form_key(struct tui *t, const struct key *k)
{
    struct form *f = &t->form;
    enum action a = keymap_lookup(&t->keys, KEYMAP_FORM, k->code);

    if (a != ACT_COMPLETE)
        f->ncomp = 0;
    if (a == ACT_INTERRUPT) {
        /* Ctrl-C: the user means it, no question */
        form_close(t);
        tui_set_message(t, false, "cancelled");
        return TUI_REDRAW;
    }
    if (f->confirm_cancel) {
        /* "discard your changes?": y discards, any other key keeps them */
        f->confirm_cancel = false;
        if (k->code == 'y') {
            form_close(t);
            tui_set_message(t, false, "changes discarded");
        }
        return TUI_REDRAW;
    }
    if (a == ACT_CANCEL) {
        if (form_dirty(f)) {
            f->confirm_cancel = true;
            return TUI_REDRAW;
        }
        form_close(t);
        tui_set_message(t, false, "cancelled");
        return TUI_REDRAW;
    }
    if (a == ACT_SUBMIT) {
        form_submit(t);
        return TUI_REDRAW;
    }
    if (a == ACT_NEXT_FIELD || a == ACT_PREV_FIELD) {
        int d = a == ACT_NEXT_FIELD ? 1 : -1, i = f->cur + d;
        check_field(t, f->cur);
        while (i >= 0 && i < f->n && f->f[i].readonly)
            i += d;
        if (i >= 0 && i < f->n)
            f->cur = i;
        tui_text_free(&f->note);
        return TUI_REDRAW;
    }
    if (a == ACT_COMPLETE) {
        complete(t);
        check_field(t, f->cur);
        return TUI_REDRAW;
    }
    if (f->f[f->cur].readonly)
        return 0;
    a = keymap_lookup(&t->keys, KEYMAP_EDIT, k->code);
    if (line_key(&f->f[f->cur].in, a, k->code)) {
        /* the error goes as soon as the field is right */
        if (f->error_field == f->cur)
            check_field(t, f->cur);
        f->past_ok = false;
        tui_text_free(&f->note);
        return TUI_REDRAW;
    }
    return 0;
}

void
form_draw(struct tui *t, struct screen *s)
{
    struct form *f = &t->form;
    int w = s->w - 8 > 90 ? 90 : s->w - 8;
    int rows = f->n, h, x, y, lw = 20, vis, erows = 1;
    const struct form_field *cf = &f->f[f->cur];
    const char *err = f->confirm_cancel
        ? "Discard your changes? y discards; n, Esc or Enter keeps editing" : f->error;
    const char *ep[4];
    size_t en[4];

    /* the error whole, on up to 4 rows (broken at spaces) */
    {
        const char *p = err;
        int cw = w - 4;
        erows = 0;
        while (*p && erows < 4) {
            size_t n = text_fit(p, cw);
            if (p[n] && erows < 3) {
                size_t b = n;
                while (b > 0 && p[b - 1] != ' ')
                    b--;
                if (b > 0)
                    n = b;
            } else if (p[n]) {
                n = strlen(p);      /* the last row cuts what is left */
            }
            if (n == 0)
                n = strlen(p);
            ep[erows] = p;
            en[erows++] = n;
            p += n;
        }
        if (erows == 0)
            erows = 1, ep[0] = "", en[0] = 0;
    }
    h = rows + 5 + erows;
    if (h > s->h - 2)
        h = s->h - 2;
    vis = h - 5 - erows;
    if (vis < 1)
        vis = 1;
    x = (s->w - w) / 2;
    y = (s->h - h) / 2;
    if (f->cur < f->top)
        f->top = f->cur;
    if (f->cur >= f->top + vis)
        f->top = f->cur - vis + 1;
    for (int i = 0; i < h; i++)
        screen_fill(s, x, y + i, w, STYLE_DIALOG);
    screen_fill(s, x, y, w, STYLE_DIALOG_TITLE);
    screen_put(s, x + 1, y, w - 2, STYLE_DIALOG_TITLE, f->title);
    for (int i = 0; i < vis && f->top + i < f->n; i++) {
        const struct form_field *ff = &f->f[f->top + i];
        int yy = y + 1 + i, fx = x + 2 + lw, fw = w - lw - 4;
        bool cur = f->top + i == f->cur;
        char label[40];                 /* bounded: a fixed label and "*" */
        int st = ff->readonly ? STYLE_DIALOG : cur ? STYLE_FIELD_ACTIVE : STYLE_FIELD;

        snprintf(label, sizeof label, "%s%s", ff->label, ff->required && !ff->readonly ? "*" : "");
        screen_field(s, x + 2, yy, lw - 1, f->error_field == f->top + i ? STYLE_FIELD_ERROR
                     : STYLE_FORM_LABEL, label, false);
        screen_fill(s, fx, yy, fw, st);
        if (cur && !ff->readonly) {
            /* Keep the cursor in view in long values (QA #17): drop whole
             * characters from the left until the text before the cursor
             * fits, leaving a column for the cursor. */
            size_t cur = (size_t)ff->in.cur, off = 0;
            int pw = text_widthn(ff->in.buf, cur);
            while (pw > fw - 1 && off < cur) {
                off++;
                while (off < cur && ((unsigned char)ff->in.buf[off] & 0xC0) == 0x80)
                    off++;
                pw = text_widthn(ff->in.buf + off, cur - off);
            }
            screen_put(s, fx, yy, fw, st, ff->in.buf + off);
            s->cursor = true;
            s->cur_x = fx + pw;
            s->cur_y = yy;
        } else {
            screen_put(s, fx, yy, fw, ff->readonly ? STYLE_DIALOG_DIM : st, ff->in.buf);
        }
    }
    screen_put(s, x + 2, y + h - 3 - erows, w - 4, STYLE_DIALOG_DIM, cf->help);
    if (f->note[0])
        screen_put(s, x + 2, y + h - 2 - erows, w - 4, STYLE_DIALOG, f->note);
    for (int i = 0; i < erows; i++)
        screen_putn(s, x + 2, y + h - 1 - erows + i, w - 4, STYLE_FIELD_ERROR, ep[i], en[i]);
    screen_put(s, x + 2, y + h - 1, w - 4, STYLE_DIALOG_DIM,
               "Enter saves, Esc cancels, Up/Down move, Tab completes, * required");
}
