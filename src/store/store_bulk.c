/*
 * store_bulk.c - store_put_all's fast path: the big tables (dataset, field,
 * tag, prop, placement, flow, flow_transform) each filled by one
 * `INSERT ... SELECT` from a virtual table that reads the model, instead of
 * one prepared INSERT stepped per row (doc/catalog.md, "Writing a whole
 * catalog"; doc/performance.md has the figures).
 *
 * The rows are the ones the per-row writers in store_write.c produce, with
 * the same rowids (1, 2, 3 ... in model order, as SQLite numbers rows of an
 * emptied table), so the catalog reads back to the same model.
 *
 * Foreign keys: the rows written here refer only to rows written in the same
 * write, by the rowids assigned here, so their enforcement (a parent lookup
 * per row, a third of the cost) is switched off for these statements only
 * (sqlite3_db_config, which unlike the pragma works inside a transaction)
 * and on again before anything else is written. bulk_eligible checks first,
 * in memory, every reference the constraints would check; a model that fails
 * it, or an insert that hits a constraint (a name given twice, a copy's key
 * twice), goes the per-row way with the constraints on, which gives the
 * same rows and the same errors as before.
 *
 * Columns at their default: a column that every row of the model leaves at
 * the default the catalog's schema declares for it ('', 0 or NULL) is not
 * named in the INSERT (bulk_sql); SQLite fills the same default in without
 * asking the virtual table (doc/performance.md, "the whole-catalog write,
 * part 5").
 */
#include "store.h"
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

/* Each table's virtual table (an eponymous one: no CREATE needed) with the
 * table's columns it gives, in the order vt_column numbers them; the
 * virtual table's columns have the table's names. */
#define BULK_MAX_COLS 12
static const struct bulk_def {
    const char *module;
    const char *table;
    const char *cols[BULK_MAX_COLS + 1];        /* NULL-terminated */
} defs[BT_COUNT] = {
    [BT_DATASET] = { "sm_bulk_dataset", "dataset",
                     { "name", "system", "tier", "subjects", "owner", "retention_days",
                       "public_sector", "source", "description", "purpose", "legal_basis" } },
    [BT_FIELD] = { "sm_bulk_field", "field", { "dataset", "pos", "name", "type", "comment" } },
    [BT_TAG] = { "sm_bulk_tag", "tag",
                 { "dataset", "pos", "field", "tag", "source", "entity", "time", "expired" } },
    [BT_PROP] = { "sm_bulk_prop", "prop",
                  { "dataset", "key", "value", "source", "entity", "time" } },
    [BT_PLACEMENT] = { "sm_bulk_placement", "placement",
                       { "dataset", "region", "role", "encrypted", "key_region", "mechanism",
                         "mechanism_ref" } },
    [BT_FLOW] = { "sm_bulk_flow", "flow",
                  { "name", "from_placement", "to_placement", "to_region", "kind", "fields",
                    "mechanism", "mechanism_ref", "valid_from", "valid_to",
                    "transit_encrypted", "public_recipient" } },
    [BT_XFORM] = { "sm_bulk_flow_transform", "flow_transform",
                   { "flow", "pos", "kind", "fields" } },
};

/* What a column gives for the current row, in a probe (bulk_sql): the
 * three values a column of the schema can have as its default, or another. */
enum got { G_OTHER, G_NULL, G_EMPTY, G_ZERO };

struct bulk_vtab {
    sqlite3_vtab base;
    struct store *st;
    enum bulk_table t;
};

/* A scan: i is the dataset, copy or flow; for the lists of a dataset (field,
 * tag, prop) e is the element and pos its place; for a flow's transforms e
 * is the transform. */
struct bulk_cur {
    sqlite3_vtab_cursor base;
    const struct model *m;      /* NULL: no bulk write running, no rows */
    const struct store *st;
    enum bulk_table t;
    int32_t i, e, pos;
    int64_t n;                  /* rows so far (the virtual rowid) */
    char subjects[MODEL_MAX_SUBJECTS * 3 + 1]; /* bounded: MODEL_MAX_SUBJECTS two-letter codes */
    char from[11], to[11];              /* bounded: YYYY-MM-DD dates */
    char *text;                 /* a joined list (flow fields, transform fields) */
    size_t cap;
    enum got got;               /* a probe's column (no sqlite3_context): its value */
};

static int
vt_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
           char **errmsg)
{
    struct bulk_vtab *v;
    sqlite3_str *decl;
    char *sql;
    int t, rc;

    (void)argc;
    (void)errmsg;
    for (t = 0; t < BT_COUNT && strcmp(argv[0], defs[t].module) != 0; t++)
        ;
    if (t == BT_COUNT)
        return SQLITE_ERROR;
    decl = sqlite3_str_new(db);
    sqlite3_str_appendall(decl, "CREATE TABLE x(");
    for (int k = 0; defs[t].cols[k]; k++)
        sqlite3_str_appendf(decl, "%s%s", k ? ", " : "", defs[t].cols[k]);
    sqlite3_str_appendall(decl, ")");
    if (!(sql = sqlite3_str_finish(decl)))
        return SQLITE_NOMEM;
    rc = sqlite3_declare_vtab(db, sql);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
    if (!(v = sqlite3_malloc(sizeof *v)))
        return SQLITE_NOMEM;
    memset(v, 0, sizeof *v);
    v->st = aux;
    v->t = (enum bulk_table)t;
    *out = &v->base;
    return SQLITE_OK;
}

static int
vt_disconnect(sqlite3_vtab *v)
{
    sqlite3_free(v);
    return SQLITE_OK;
}

static int
vt_best_index(sqlite3_vtab *v, sqlite3_index_info *info)
{
    (void)v;
    info->estimatedCost = 1e6;
    return SQLITE_OK;
}

static int
vt_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
    struct bulk_vtab *v = (struct bulk_vtab *)vt;
    struct bulk_cur *c = sqlite3_malloc(sizeof *c);

    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    c->st = v->st;
    c->t = v->t;
    *out = &c->base;
    return SQLITE_OK;
}

static int
vt_close(sqlite3_vtab_cursor *cur)
{
    struct bulk_cur *c = (struct bulk_cur *)cur;

    free(c->text);
    sqlite3_free(c);
    return SQLITE_OK;
}

static int32_t
next_dataset(const struct model *m, int32_t d)
{
    while (++d < m->ndatasets && m->datasets[d].deleted)
        ;
    return d;
}

static int32_t
list_first(const struct model *m, enum bulk_table t, int32_t d)
{
    const struct dataset *ds = &m->datasets[d];

    return t == BT_FIELD ? ds->first_field : t == BT_TAG ? ds->first_tag : ds->first_prop;
}

static int32_t
list_next(const struct model *m, enum bulk_table t, int32_t e)
{
    return t == BT_FIELD ? m->fields[e].next : t == BT_TAG ? m->tags[e].next : m->props[e].next;
}

/* Step to the next row (c->i past the end: done). */
static void
advance(struct bulk_cur *c)
{
    const struct model *m = c->m;

    c->n++;
    switch (c->t) {
    case BT_DATASET:
        c->i = next_dataset(m, c->i);
        break;
    case BT_PLACEMENT:
        while (++c->i < m->nplacements && m->placements[c->i].deleted)
            ;
        break;
    case BT_FLOW:
        while (++c->i < m->nflows && m->flows[c->i].deleted)
            ;
        break;
    case BT_XFORM:
        if (c->i >= 0 && ++c->e < (int32_t)m->flows[c->i].ntransforms)
            break;
        c->e = 0;
        while (++c->i < m->nflows && (m->flows[c->i].deleted || !m->flows[c->i].ntransforms))
            ;
        break;
    default:        /* a list of each dataset */
        if (c->i >= 0 && (c->e = list_next(m, c->t, c->e)) != SM_NONE) {
            c->pos++;
            break;
        }
        c->pos = 0;
        while ((c->i = next_dataset(m, c->i)) < m->ndatasets &&
               (c->e = list_first(m, c->t, c->i)) == SM_NONE)
            ;
        break;
    }
}

/* Put c before its first row of m (NULL: no rows). */
static void
cur_start(struct bulk_cur *c, const struct model *m)
{
    c->m = m;
    c->i = -1;
    c->e = SM_NONE;
    c->pos = 0;
    c->n = 0;
    if (c->m)
        advance(c);
}

static bool
cur_eof(const struct bulk_cur *c)
{
    const struct model *m = c->m;

    if (!m)
        return true;
    switch (c->t) {
    case BT_PLACEMENT:  return c->i >= m->nplacements;
    case BT_FLOW:
    case BT_XFORM:      return c->i >= m->nflows;
    default:            return c->i >= m->ndatasets;
    }
}

static int
vt_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxstr, int argc, sqlite3_value **argv)
{
    struct bulk_cur *c = (struct bulk_cur *)cur;

    (void)idx;
    (void)idxstr;
    (void)argc;
    (void)argv;
    cur_start(c, c->st->bulk_model);
    return SQLITE_OK;
}

static int
vt_next(sqlite3_vtab_cursor *cur)
{
    advance((struct bulk_cur *)cur);
    return SQLITE_OK;
}

static int
vt_eof(sqlite3_vtab_cursor *cur)
{
    return cur_eof((const struct bulk_cur *)cur);
}

static int
vt_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *out)
{
    *out = ((struct bulk_cur *)cur)->n;
    return SQLITE_OK;
}

/* The column helpers give a value to SQLite (ctx) or, in a probe (ctx
 * NULL), say in c->got which kind of value it is. Model text goes as
 * bind_str / bind_opt bind it; the model outlives the write. */
static void
txt(sqlite3_context *ctx, struct bulk_cur *c, const char *s)
{
    if (!ctx)
        c->got = s && *s ? G_OTHER : G_EMPTY;
    else
        sqlite3_result_text(ctx, s ? s : "", -1, SQLITE_STATIC);
}

static void
nul(sqlite3_context *ctx, struct bulk_cur *c)
{
    if (!ctx)
        c->got = G_NULL;
    else
        sqlite3_result_null(ctx);
}

static void
opt(sqlite3_context *ctx, struct bulk_cur *c, const char *s)
{
    if (!s || !*s)
        nul(ctx, c);
    else if (!ctx)
        c->got = G_OTHER;
    else
        sqlite3_result_text(ctx, s, -1, SQLITE_STATIC);
}

static void
num(sqlite3_context *ctx, struct bulk_cur *c, int v)
{
    if (!ctx)
        c->got = v ? G_OTHER : G_ZERO;
    else
        sqlite3_result_int(ctx, v);
}

static void
int_opt(sqlite3_context *ctx, struct bulk_cur *c, int32_t v)
{
    if (v == SM_NONE)
        nul(ctx, c);
    else
        num(ctx, c, v);
}

/* The rowid bulk_rows gave object i (a probe reads no rowid: it may run
 * before they are given). */
static void
row(sqlite3_context *ctx, struct bulk_cur *c, const struct rowmap *rm, int32_t i)
{
    if (!ctx)
        c->got = G_OTHER;
    else
        sqlite3_result_int64(ctx, rm->row[i]);
}

/* A yyyymmdd date as bind_date gives it, in buf (one per column). */
static void
date(sqlite3_context *ctx, struct bulk_cur *c, int32_t d, char buf[11]) /* bounded: YYYY-MM-DD */
{
    if (!d) {
        nul(ctx, c);
    } else if (!ctx) {
        c->got = G_OTHER;
    } else {
        sm_date_fmt(d, buf);
        sqlite3_result_text(ctx, buf, -1, SQLITE_STATIC);
    }
}

/* A list joined with sep as join_strv joins it, in the cursor's buffer
 * (each row uses it for one column only). */
static void
joined(sqlite3_context *ctx, struct bulk_cur *c, const struct sm_strv *v, char sep)
{
    size_t n = 1, at = 0;

    if (!ctx) {
        c->got = v->n > 1 || (v->n == 1 && *v->v[0]) ? G_OTHER : G_EMPTY;
        return;
    }
    for (uint32_t i = 0; i < v->n; i++)
        n += strlen(v->v[i]) + 1;
    if (n > c->cap) {
        char *p = realloc(c->text, n);
        if (!p) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
        c->text = p;
        c->cap = n;
    }
    for (uint32_t i = 0; i < v->n; i++) {
        size_t k = strlen(v->v[i]);
        if (i)
            c->text[at++] = sep;
        memcpy(c->text + at, v->v[i], k);
        at += k;
    }
    c->text[at] = '\0';
    sqlite3_result_text(ctx, c->text, (int)at, SQLITE_STATIC);
}

/* A dataset's subjects as model_get(.., "subjects", ..) writes them. */
static void
subjects(sqlite3_context *ctx, struct bulk_cur *c, const struct dataset *d)
{
    size_t at = 0;

    if (!ctx) {
        c->got = d->nsubjects ? G_OTHER : G_EMPTY;
        return;
    }
    for (uint8_t k = 0; k < d->nsubjects; k++) {
        if (k)
            c->subjects[at++] = ',';
        sm_cc_str(d->subjects[k], c->subjects + at);
        at += strlen(c->subjects + at);
    }
    c->subjects[at] = '\0';
    sqlite3_result_text(ctx, c->subjects, (int)at, SQLITE_STATIC);
}

static void
col_dataset(sqlite3_context *ctx, struct bulk_cur *c, int col)
{
    const struct model *m = c->m;
    const struct dataset *d = &m->datasets[c->i];

    switch (col) {
    case 0:  txt(ctx, c, d->name); break;
    case 1:  txt(ctx, c, d->system); break;
    case 2:
        if (d->tier == SM_NONE)
            nul(ctx, c);
        else
            txt(ctx, c, m->tiers[d->tier].name);
        break;
    case 3:  subjects(ctx, c, d); break;
    case 4:  txt(ctx, c, d->owner); break;
    case 5:  int_opt(ctx, c, d->retention_days); break;
    case 6:  num(ctx, c, d->public_sector); break;
    case 7:  txt(ctx, c, d->source_ref); break;
    case 8:  txt(ctx, c, d->description); break;
    case 9:  txt(ctx, c, d->purpose); break;
    default: txt(ctx, c, legal_basis_names[d->legal_basis]); break;
    }
}

static void
col_list(sqlite3_context *ctx, struct bulk_cur *c, int col)
{
    const struct model *m = c->m;

    if (col == 0) {
        row(ctx, c, &c->st->drow, c->i);
        return;
    }
    if (c->t == BT_FIELD) {
        const struct field *f = &m->fields[c->e];
        switch (col) {
        case 1:  num(ctx, c, c->pos); break;
        case 2:  txt(ctx, c, f->name); break;
        case 3:  txt(ctx, c, f->type); break;
        default: txt(ctx, c, f->comment); break;
        }
    } else if (c->t == BT_TAG) {
        const struct tag *t = &m->tags[c->e];
        switch (col) {
        case 1:  num(ctx, c, c->pos); break;
        case 2:
            if (t->field == SM_NONE)
                nul(ctx, c);
            else
                txt(ctx, c, m->fields[t->field].name);
            break;
        case 3:  txt(ctx, c, t->tag); break;
        case 4:  txt(ctx, c, t->source); break;
        case 5:  txt(ctx, c, t->entity); break;
        case 6:  txt(ctx, c, t->time); break;
        default: txt(ctx, c, t->expired); break;
        }
    } else {
        const struct prop *p = &m->props[c->e];
        switch (col) {
        case 1:  txt(ctx, c, p->key); break;
        case 2:  txt(ctx, c, p->value); break;
        case 3:  txt(ctx, c, p->source); break;
        case 4:  txt(ctx, c, p->entity); break;
        default: txt(ctx, c, p->time); break;
        }
    }
}

static void
col_placement(sqlite3_context *ctx, struct bulk_cur *c, int col)
{
    const struct model *m = c->m;
    const struct placement *p = &m->placements[c->i];

    switch (col) {
    case 0:  row(ctx, c, &c->st->drow, p->dataset); break;
    case 1:  txt(ctx, c, m->regions[p->region].id); break;
    case 2:  txt(ctx, c, role_names[p->role]); break;
    case 3:  num(ctx, c, p->encrypted); break;
    case 4:  opt(ctx, c, p->key_region == SM_NONE ? NULL : m->regions[p->key_region].id); break;
    case 5:  txt(ctx, c, mechanism_names[p->mechanism]); break;
    default: txt(ctx, c, p->mechanism_ref); break;
    }
}

static void
col_flow(sqlite3_context *ctx, struct bulk_cur *c, int col)
{
    const struct model *m = c->m;
    const struct flow *f = &m->flows[c->i];

    switch (col) {
    case 0:  txt(ctx, c, f->name); break;
    case 1:  row(ctx, c, &c->st->prow, f->from); break;
    case 2:
        if (f->to == SM_NONE)
            nul(ctx, c);
        else
            row(ctx, c, &c->st->prow, f->to);
        break;
    case 3:
        opt(ctx, c, f->to == SM_NONE && f->to_region != SM_NONE ? m->regions[f->to_region].id
                                                                : NULL);
        break;
    case 4:  txt(ctx, c, flow_kind_names[f->kind]); break;
    case 5:  joined(ctx, c, &f->fields, ','); break;
    case 6:  txt(ctx, c, mechanism_names[f->mechanism]); break;
    case 7:  txt(ctx, c, f->mechanism_ref); break;
    case 8:  date(ctx, c, f->valid_from, c->from); break;
    case 9:  date(ctx, c, f->valid_to, c->to); break;
    case 10: num(ctx, c, f->transit_encrypted); break;
    default: num(ctx, c, f->public_recipient); break;
    }
}

static void
col_xform(sqlite3_context *ctx, struct bulk_cur *c, int col)
{
    const struct transform *x = &c->m->flows[c->i].transforms[c->e];

    switch (col) {
    case 0:  row(ctx, c, &c->st->frow, c->i); break;
    case 1:  num(ctx, c, c->e); break;
    case 2:  txt(ctx, c, xform_names[x->kind]); break;
    default: joined(ctx, c, &x->fields, ' '); break;
    }
}

/* Column col of the current row: to ctx, or into c->got when ctx is NULL. */
static void
column(sqlite3_context *ctx, struct bulk_cur *c, int col)
{
    switch (c->t) {
    case BT_DATASET:    col_dataset(ctx, c, col); break;
    case BT_PLACEMENT:  col_placement(ctx, c, col); break;
    case BT_FLOW:       col_flow(ctx, c, col); break;
    case BT_XFORM:      col_xform(ctx, c, col); break;
    default:            col_list(ctx, c, col); break;
    }
}

static int
vt_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    column(ctx, (struct bulk_cur *)cur, col);
    return SQLITE_OK;
}

static const sqlite3_module bulk_module = {
    .iVersion = 0,
    .xCreate = NULL,            /* eponymous only */
    .xConnect = vt_connect,
    .xBestIndex = vt_best_index,
    .xDisconnect = vt_disconnect,
    .xDestroy = vt_disconnect,
    .xOpen = vt_open,
    .xClose = vt_close,
    .xFilter = vt_filter,
    .xNext = vt_next,
    .xEof = vt_eof,
    .xColumn = vt_column,
    .xRowid = vt_rowid,
};

/* Every reference the foreign keys of the tables written here would check
 * holds in m: a dataset's tier is a live tier, a tag's field is in its
 * dataset's field list, a copy's dataset is live, a flow's ends are live
 * copies. */
bool
bulk_eligible(const struct model *m)
{
    int32_t *owner;             /* field -> 1 + the dataset whose list holds it */
    bool ok = true;

    for (int32_t i = 0; i < m->nplacements; i++) {
        const struct placement *p = &m->placements[i];
        if (!p->deleted && (p->dataset < 0 || p->dataset >= m->ndatasets ||
                            m->datasets[p->dataset].deleted))
            return false;
    }
    for (int32_t i = 0; i < m->nflows; i++) {
        const struct flow *f = &m->flows[i];
        if (f->deleted)
            continue;
        if (f->from < 0 || f->from >= m->nplacements || m->placements[f->from].deleted ||
            (f->to != SM_NONE && (f->to < 0 || f->to >= m->nplacements ||
                                  m->placements[f->to].deleted)))
            return false;
    }
    if (!(owner = calloc((size_t)m->nfields + 1, sizeof *owner)))
        return false;
    for (int32_t d = 0; d < m->ndatasets && ok; d++) {
        const struct dataset *ds = &m->datasets[d];
        if (ds->deleted)
            continue;
        if (ds->tier != SM_NONE && (ds->tier < 0 || ds->tier >= m->ntiers ||
                                    m->tiers[ds->tier].deleted))
            ok = false;
        for (int32_t f = ds->first_field; f != SM_NONE && ok; f = m->fields[f].next)
            owner[f] = d + 1;
        for (int32_t t = ds->first_tag; t != SM_NONE && ok; t = m->tags[t].next) {
            int32_t f = m->tags[t].field;
            ok = f == SM_NONE || (f >= 0 && f < m->nfields && owner[f] == d + 1);
        }
    }
    free(owner);
    return ok;
}

int
bulk_fkeys(struct store *st, bool on)
{
    int was = 0;

    return sqlite3_db_config(st->db, SQLITE_DBCONFIG_ENABLE_FKEY, on ? 1 : 0, &was);
}

/* What the catalog's schema puts into each of t's columns that an INSERT
 * leaves out (want[k] for defs[t].cols[k]): NULL, '' or 0, or G_OTHER for
 * a column that has to be given (a key, NOT NULL without a default, any
 * other default). Read from the catalog, so it follows the schema. */
static int
schema_defaults(struct store *st, enum bulk_table t, enum got *want, struct sm_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    for (int k = 0; k < BULK_MAX_COLS; k++)
        want[k] = G_OTHER;
    rc = sqlite3_prepare_v2(st->db, "SELECT name, \"notnull\", dflt_value, pk "
                            "FROM pragma_table_info(?1, 'main')", -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(s, 1, defs[t].table, -1, SQLITE_STATIC);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(s, 0);
        const char *dflt = (const char *)sqlite3_column_text(s, 2);
        bool notnull = sqlite3_column_int(s, 1), pk = sqlite3_column_int(s, 3);
        int k;

        rc = SQLITE_OK;
        for (k = 0; name && defs[t].cols[k] && strcmp(defs[t].cols[k], name) != 0; k++)
            ;
        if (!name || !defs[t].cols[k] || pk)
            continue;
        if (!dflt || !strcmp(dflt, "NULL"))
            want[k] = notnull ? G_OTHER : G_NULL;
        else if (!strcmp(dflt, "''"))
            want[k] = G_EMPTY;
        else if (!strcmp(dflt, "0"))
            want[k] = G_ZERO;
    }
    if (rc != SQLITE_DONE) {
        rc = db_error(st, rc, err);
        sqlite3_finalize(s);
        return rc;
    }
    sqlite3_finalize(s);
    return SM_OK;
}

int
bulk_sql(struct store *st, const struct model *m, enum bulk_table t, char **sql,
         struct sm_error *err)
{
    enum got want[BULK_MAX_COLS];
    bool keep[BULK_MAX_COLS];
    int cand[BULK_MAX_COLS];    /* the first left: columns at their default so far */
    struct bulk_cur c;
    sqlite3_str *q;
    int rc, left = 0;

    *sql = NULL;
    if ((rc = schema_defaults(st, t, want, err)))
        return rc;
    memset(&c, 0, sizeof c);
    c.st = st;
    c.t = t;
    cur_start(&c, m);
    if (cur_eof(&c))
        return SM_OK;
    for (int k = 0; defs[t].cols[k]; k++)
        if (!(keep[k] = want[k] == G_OTHER))
            cand[left++] = k;
    /* a column stays out while every row gives it its default; most
     * columns that do not are found at the first row */
    for (; left && !cur_eof(&c); advance(&c))
        for (int j = 0; j < left; j++) {
            int k = cand[j];
            column(NULL, &c, k);
            if (c.got != want[k]) {
                keep[k] = true;
                cand[j--] = cand[--left];
            }
        }
    for (int pass = 0; pass < 2; pass++) {
        bool first = true;
        if (!pass) {
            q = sqlite3_str_new(st->db);
            sqlite3_str_appendf(q, "INSERT INTO main.%s(", defs[t].table);
        } else {
            sqlite3_str_appendall(q, ") SELECT ");
        }
        for (int k = 0; defs[t].cols[k]; k++)
            if (keep[k]) {
                sqlite3_str_appendf(q, "%s%s", first ? "" : ", ", defs[t].cols[k]);
                first = false;
            }
    }
    sqlite3_str_appendf(q, " FROM %s", defs[t].module);
    if (!(*sql = sqlite3_str_finish(q)))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    return SM_OK;
}

int
bulk_rows(struct store *st, const struct model *m, struct sm_error *err)
{
    /* the rowids SQLite gives rows appended to an emptied table: 1, 2, 3 ...
     * in model order; checked after each insert */
    int64_t last[BT_COUNT] = { 0 };
    int rc = SQLITE_OK;

    if (!st->bulk_modules) {
        for (int t = 0; t < BT_COUNT && rc == SQLITE_OK; t++)
            rc = sqlite3_create_module(st->db, defs[t].module, &bulk_module, st);
        if (rc != SQLITE_OK)
            return db_error(st, rc, err);
        st->bulk_modules = true;
    }
    for (int32_t i = 0; i < m->ndatasets; i++)
        st->drow.row[i] = m->datasets[i].deleted ? 0 : ++last[BT_DATASET];
    for (int32_t i = 0; i < m->nplacements; i++)
        st->prow.row[i] = m->placements[i].deleted ? 0 : ++last[BT_PLACEMENT];
    for (int32_t i = 0; i < m->nflows; i++)
        st->frow.row[i] = m->flows[i].deleted ? 0 : ++last[BT_FLOW];
    st->bulk_model = m;
    for (int t = 0; t < BT_COUNT; t++) {
        sqlite3_stmt *s = NULL;
        char *sql = NULL;

        if ((rc = bulk_sql(st, m, (enum bulk_table)t, &sql, err)))
            break;
        if (!sql)
            continue;           /* no rows */
        rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
        sqlite3_free(sql);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(s);
        sqlite3_finalize(s);
        if (rc == SQLITE_DONE) {
            rc = SM_OK;
            if (last[t] && sqlite3_last_insert_rowid(st->db) != last[t]) {
                rc = sm_error_set(err, SM_EDB, "%s: %s: rows numbered unexpectedly",
                                  st->path, defs[t].module);
                break;
            }
            continue;
        }
        /* a key given twice or a constraint the per-row writers report */
        rc = (rc & 0xff) == SQLITE_CONSTRAINT ? BULK_FALLBACK : db_error(st, rc, err);
        break;
    }
    st->bulk_model = NULL;
    if (rc) {
        rowmap_fini(&st->drow);
        rowmap_fini(&st->prow);
        rowmap_fini(&st->frow);
    }
    return rc;
}
