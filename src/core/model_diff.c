/*
 * model_diff.c - object and attribute differences between two independent
 * models, and new / fixed / still-there findings between two checks
 * (model_diff.h). Objects are matched by name; attributes are compared in
 * their text form (model_get), so the attribute table in model.c decides
 * what a change is and how it reads, for every reader.
 *
 * Must not depend on: I/O, the store, jansson.
 */
#include "model_diff.h"

#include <stdlib.h>
#include <string.h>

#define X(id, mark, name) mark,
const char *const mdiff_op_marks[MDIFF_OP_COUNT] = { MDIFF_OPS(X) };
#undef X
#define X(id, mark, name) name,
const char *const mdiff_op_names[MDIFF_OP_COUNT] = { MDIFF_OPS(X) };
#undef X
#define X(id, name) name,
const char *const fdiff_status_names[FDIFF_STATUS_COUNT] = { FDIFF_STATUSES(X) };
#undef X

struct dctx {
    const struct model *b, *a;
    struct model_diff *d;
    char *buf;                  /* model_get's buffer, grown on demand */
    size_t size;
};

static int
add(struct dctx *x, const struct mdiff_change *ch)
{
    struct model_diff *d = x->d;

    if (sm_grow((void **)&d->changes, &d->cap, d->nchanges + 1, sizeof *d->changes))
        return SM_ENOMEM;
    d->changes[d->nchanges++] = *ch;
    return SM_OK;
}

/* An attribute's text form in the diff's arena, whatever its length. */
static const char *
attr_text(struct dctx *x, const struct model *m, enum obj_kind kind, int32_t id,
          const char *attr)
{
    for (;;) {
        if (x->size == 0 || strlen(model_get(m, kind, id, attr, x->buf, x->size)) + 1 >= x->size) {
            /* maybe truncated: grow and read it again */
            size_t n = x->size ? x->size * 2 : 4096;
            char *nb;
            if (n > ((size_t)1 << 30) || !(nb = realloc(x->buf, n)))
                return x->size ? sm_arena_strdup(&x->d->arena, x->buf) : NULL;
            x->buf = nb;
            x->size = n;
            continue;
        }
        return sm_arena_strdup(&x->d->arena, x->buf);
    }
}

static const char *
selector(struct dctx *x, const struct model *m, enum obj_kind kind, int32_t id)
{
    char *s = model_selector_dup(m, kind, id);
    const char *r = s ? sm_arena_strdup(&x->d->arena, s) : NULL;

    free(s);
    return r;
}

static int
whole(struct dctx *x, enum mdiff_op op, enum obj_kind kind, int32_t id)
{
    const struct model *m = op == MDIFF_REMOVED ? x->b : x->a;
    struct mdiff_change ch = { .op = (uint8_t)op, .kind = (uint8_t)kind, .attr_index = -1,
                               .before = op == MDIFF_REMOVED ? id : SM_NONE,
                               .after = op == MDIFF_REMOVED ? SM_NONE : id };

    if (!(ch.selector = selector(x, m, kind, id)))
        return SM_ENOMEM;
    x->d->count[op]++;
    return add(x, &ch);
}

/* Copies: region and role are what matches them, not attributes. */
static bool
skip_attr(enum obj_kind kind, const char *name)
{
    return kind == OBJ_PLACEMENT && (!strcmp(name, "region") || !strcmp(name, "role"));
}

/* Every attribute of (kind, b) in before against (kind, a) in after.
 * counted: the object is already counted (a move). */
static int
attrs(struct dctx *x, enum obj_kind kind, int32_t b, int32_t a, bool counted)
{
    const struct attr *t = model_attrs(kind);
    const char *sel = NULL;
    bool any = false;

    for (int16_t i = 0; t && t[i].name; i++) {
        const char *ov, *nv;
        if (skip_attr(kind, t[i].name))
            continue;
        if (!(ov = attr_text(x, x->b, kind, b, t[i].name)) ||
            !(nv = attr_text(x, x->a, kind, a, t[i].name)))
            return SM_ENOMEM;
        if (!strcmp(ov, nv))
            continue;
        if (!sel && !(sel = selector(x, x->a, kind, a)))
            return SM_ENOMEM;
        struct mdiff_change ch = { .op = MDIFF_CHANGED, .kind = (uint8_t)kind, .attr_index = i,
                                   .before = b, .after = a, .selector = sel,
                                   .attr = t[i].name, .old_value = ov, .new_value = nv };
        if (add(x, &ch))
            return SM_ENOMEM;
        any = true;
    }
    if (any && !counted)
        x->d->count[MDIFF_CHANGED]++;
    return SM_OK;
}

/* A scenario's ops are not an attribute of the table: compared as text. */
static const char *
ops_text(struct dctx *x, const struct scenario *s)
{
    size_t n = 1;
    char *t, *p;

    for (uint32_t i = 0; i < s->nops; i++)
        for (uint32_t k = 0; k < s->ops[i].n; k++)
            n += strlen(s->ops[i].v[k]) + 2;
    if (!(t = sm_arena_alloc(&x->d->arena, n)))
        return NULL;
    p = t;
    for (uint32_t i = 0; i < s->nops; i++)
        for (uint32_t k = 0; k < s->ops[i].n; k++) {
            size_t l = strlen(s->ops[i].v[k]);
            if (p != t) {
                memcpy(p, k ? " " : "; ", k ? 1 : 2);
                p += k ? 1 : 2;
            }
            memcpy(p, s->ops[i].v[k], l);
            p += l;
        }
    *p = '\0';
    return t;
}

/* ---- one kind at a time -------------------------------------------------------- */

static bool
live(const struct model *m, enum obj_kind kind, int32_t id)
{
    /* shipped regions are not the model's own */
    return kind != OBJ_PLACEMENT && model_live(m, kind, id) &&
           !(kind == OBJ_REGION && m->regions[id].builtin);
}

static int32_t
find(const struct model *m, enum obj_kind kind, const char *name)
{
    int32_t id;

    switch (kind) {
    case OBJ_REGION:   id = model_region(m, name); break;
    case OBJ_TIER:     id = model_tier(m, name); break;
    case OBJ_DATASET:  id = model_dataset(m, name); break;
    case OBJ_FLOW:     id = model_flow(m, name); break;
    case OBJ_WAIVER:   id = model_waiver(m, name); break;
    case OBJ_SCENARIO: id = model_scenario(m, name); break;
    default:           return SM_NONE;
    }
    return id != SM_NONE && live(m, kind, id) ? id : SM_NONE;
}

static int diff_copies(struct dctx *x, int32_t db, int32_t da);

static int
diff_kind(struct dctx *x, enum obj_kind kind)
{
    int32_t nb = model_count(x->b, kind), na = model_count(x->a, kind), o;
    int rc;

    for (int32_t i = 0; i < nb; i++) {
        if (!live(x->b, kind, i))
            continue;
        if ((o = find(x->a, kind, model_key(x->b, kind, i))) == SM_NONE) {
            if ((rc = whole(x, MDIFF_REMOVED, kind, i)))
                return rc;
            continue;
        }
        if ((rc = attrs(x, kind, i, o, false)))
            return rc;
        if (kind == OBJ_SCENARIO) {
            const char *ov = ops_text(x, &x->b->scenarios[i]);
            const char *nv = ops_text(x, &x->a->scenarios[o]);
            if (!ov || !nv)
                return SM_ENOMEM;
            if (strcmp(ov, nv)) {
                struct mdiff_change ch = { .op = MDIFF_CHANGED, .kind = OBJ_SCENARIO,
                                           .attr_index = 99, .before = i, .after = o,
                                           .attr = "ops", .old_value = ov, .new_value = nv };
                if (!(ch.selector = selector(x, x->a, kind, o)) || add(x, &ch))
                    return SM_ENOMEM;
                x->d->count[MDIFF_CHANGED]++;
            }
        }
        if (kind == OBJ_DATASET && (rc = diff_copies(x, i, o)))
            return rc;
    }
    for (int32_t i = 0; i < na; i++)
        if (live(x->a, kind, i) && find(x->b, kind, model_key(x->a, kind, i)) == SM_NONE &&
            (rc = whole(x, MDIFF_ADDED, kind, i)))
            return rc;
    return SM_OK;
}

static int32_t
ncopies(const struct model *m, int32_t d)
{
    int32_t n = 0;

    for (int32_t p = m->datasets[d].first_placement; p != SM_NONE; p = m->placements[p].next)
        n += !m->placements[p].deleted;
    return n;
}

/* The copies of a dataset both models have. */
static int
diff_copies(struct dctx *x, int32_t db, int32_t da)
{
    const struct model *b = x->b, *a = x->a;
    int32_t nb = ncopies(b, db), na = ncopies(a, da), i = 0, k;
    int32_t *pb = calloc((size_t)nb + 1, sizeof *pb), *pa = calloc((size_t)na + 1, sizeof *pa);
    uint8_t *mb = calloc((size_t)nb + 1, 1), *ma = calloc((size_t)na + 1, 1);
    int rc = SM_ENOMEM;

    if (!pb || !pa || !mb || !ma)
        goto out;
    for (int32_t p = b->datasets[db].first_placement; p != SM_NONE; p = b->placements[p].next)
        if (!b->placements[p].deleted)
            pb[i++] = p;
    i = 0;
    for (int32_t p = a->datasets[da].first_placement; p != SM_NONE; p = a->placements[p].next)
        if (!a->placements[p].deleted)
            pa[i++] = p;
    rc = SM_OK;
    /* same region and role: the same copy */
    for (i = 0; i < nb && !rc; i++)
        for (k = 0; k < na; k++) {
            const struct placement *x1 = &b->placements[pb[i]], *y1 = &a->placements[pa[k]];
            if (ma[k] || x1->role != y1->role ||
                strcmp(b->regions[x1->region].id, a->regions[y1->region].id))
                continue;
            mb[i] = ma[k] = 1;
            rc = attrs(x, OBJ_PLACEMENT, pb[i], pa[k], false);
            break;
        }
    /* one gone and one new with the same role: moved */
    for (i = 0; i < nb && !rc; i++) {
        if (mb[i])
            continue;
        for (k = 0; k < na; k++)
            if (!ma[k] && b->placements[pb[i]].role == a->placements[pa[k]].role)
                break;
        if (k == na)
            continue;
        mb[i] = ma[k] = 1;
        struct mdiff_change ch = { .op = MDIFF_MOVED, .kind = OBJ_PLACEMENT, .attr_index = -1,
                                   .before = pb[i], .after = pa[k], .attr = "region",
                                   .old_value = b->regions[b->placements[pb[i]].region].id,
                                   .new_value = a->regions[a->placements[pa[k]].region].id };
        if (!(ch.selector = selector(x, a, OBJ_PLACEMENT, pa[k])) ||
            !(ch.old_selector = selector(x, b, OBJ_PLACEMENT, pb[i])) ||
            !(ch.old_value = sm_arena_strdup(&x->d->arena, ch.old_value)) ||
            !(ch.new_value = sm_arena_strdup(&x->d->arena, ch.new_value)) || add(x, &ch)) {
            rc = SM_ENOMEM;
            break;
        }
        x->d->count[MDIFF_MOVED]++;
        rc = attrs(x, OBJ_PLACEMENT, pb[i], pa[k], true);
    }
    for (i = 0; i < nb && !rc; i++)
        if (!mb[i])
            rc = whole(x, MDIFF_REMOVED, OBJ_PLACEMENT, pb[i]);
    for (k = 0; k < na && !rc; k++)
        if (!ma[k])
            rc = whole(x, MDIFF_ADDED, OBJ_PLACEMENT, pa[k]);
out:
    free(pb);
    free(pa);
    free(mb);
    free(ma);
    return rc;
}

static int
cmp_change(const void *pa, const void *pb)
{
    const struct mdiff_change *a = pa, *b = pb;
    int c;

    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if ((c = strcmp(a->selector, b->selector)))
        return c;
    /* a move before the attribute changes of the copy it moved */
    if (a->op != b->op)
        return a->op == MDIFF_MOVED ? -1 : b->op == MDIFF_MOVED ? 1 : a->op < b->op ? -1 : 1;
    return a->attr_index < b->attr_index ? -1 : a->attr_index > b->attr_index;
}

int
model_diff(const struct model *before, const struct model *after, struct model_diff **out,
           struct sm_error *err)
{
    static const enum obj_kind kinds[] = { OBJ_REGION, OBJ_TIER, OBJ_DATASET, OBJ_FLOW,
                                           OBJ_WAIVER, OBJ_SCENARIO };
    struct dctx x = { .b = before, .a = after };
    int rc = SM_OK;

    if (!(x.d = calloc(1, sizeof *x.d)))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    sm_arena_init(&x.d->arena);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0] && !rc; i++)
        rc = diff_kind(&x, kinds[i]);
    free(x.buf);
    if (rc) {
        model_diff_free(x.d);
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    }
    if (x.d->nchanges > 1)
        qsort(x.d->changes, (size_t)x.d->nchanges, sizeof *x.d->changes, cmp_change);
    *out = x.d;
    return SM_OK;
}

void
model_diff_free(struct model_diff *d)
{
    if (!d)
        return;
    free(d->changes);
    sm_arena_fini(&d->arena);
    free(d);
}

/* ---- findings ------------------------------------------------------------------ */

static int
cmp_key(const void *pa, const void *pb)
{
    const struct finding *a = *(const struct finding *const *)pa;
    const struct finding *b = *(const struct finding *const *)pb;
    int c;

    if ((c = strcmp(a->rule, b->rule)))
        return c;
    if ((c = strcmp(a->selector, b->selector)))
        return c;
    return strcmp(a->message ? a->message : "", b->message ? b->message : "");
}

static int
cmp_item(const void *pa, const void *pb)
{
    const struct fdiff_item *a = pa, *b = pb;

    if (a->status != b->status)
        return a->status < b->status ? -1 : 1;
    if (a->f->severity != b->f->severity)
        return a->f->severity > b->f->severity ? -1 : 1;
    return cmp_key(&a->f, &b->f);
}

static const struct finding **
live_sorted(const struct check_result *r, int32_t *n)
{
    const struct finding **v = malloc(((size_t)r->nfindings + 1) * sizeof *v);

    *n = 0;
    if (!v)
        return NULL;
    for (int32_t i = 0; i < r->nfindings; i++)
        if (!r->findings[i].waived)
            v[(*n)++] = &r->findings[i];
    if (*n > 1)
        qsort(v, (size_t)*n, sizeof *v, cmp_key);
    return v;
}

int
finding_diff(const struct check_result *before, const struct check_result *after,
             struct finding_diff *out, struct sm_error *err)
{
    int32_t nb, na, i = 0, k = 0;
    const struct finding **vb = live_sorted(before, &nb), **va = live_sorted(after, &na);
    struct fdiff_item *items = malloc(((size_t)nb + (size_t)na + 1) * sizeof *items);

    memset(out, 0, sizeof *out);
    if (!vb || !va || !items) {
        free(vb);
        free(va);
        free(items);
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    }
    /* merge on (rule, selector): the message may change with the model */
    while (i < nb || k < na) {
        int c;
        if (i == nb)
            c = 1;
        else if (k == na)
            c = -1;
        else if (!(c = strcmp(vb[i]->rule, va[k]->rule)))
            c = strcmp(vb[i]->selector, va[k]->selector);
        struct fdiff_item it;
        if (c < 0)
            it = (struct fdiff_item){ FDIFF_FIXED, vb[i++] };
        else if (c > 0)
            it = (struct fdiff_item){ FDIFF_NEW, va[k++] };
        else {
            it = (struct fdiff_item){ FDIFF_STILL, va[k++] };
            i++;
        }
        out->count[it.status][it.f->severity]++;
        items[out->nitems++] = it;
    }
    if (out->nitems > 1)
        qsort(items, (size_t)out->nitems, sizeof *items, cmp_item);
    out->items = items;
    free(vb);
    free(va);
    return SM_OK;
}

void
finding_diff_fini(struct finding_diff *d)
{
    if (!d)
        return;
    free(d->items);
    memset(d, 0, sizeof *d);
}

bool
finding_diff_fails(const struct finding_diff *d, int fail_on)
{
    for (int s = fail_on; s >= 0 && s < SEV_COUNT; s++)
        if (d->count[FDIFF_NEW][s] > 0)
            return true;
    return false;
}
