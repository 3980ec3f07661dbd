/*
 * store_attr.c - a dataset's child rows (fields, tags, properties) and which
 * source set each of its attributes (table attr_source, schema 6; doc/catalog.md
 * and doc/import.md, Merge rules): writing, loading, comparing.
 */
#include "store.h"
#include "store_int.h"

#include <string.h>

#include <sqlite3.h>

/* The attribute sources of dataset id, under its row (fresh: the row's
 * were not cleared; a model naming a dataset twice ends as one row, the
 * later one's, so they are cleared here). */
static int
put_asrcs(struct store *st, const struct model *m, int32_t id, int64_t row, bool fresh,
          struct sm_error *err)
{
    sqlite3_stmt *s;
    int rc;

    if (fresh && model_asrc_first(m, id) != SM_NONE) {
        if (!(s = stmt(st, S_ASRC_CLEAR, err)))
            return err ? err->code : SM_EDB;
        sqlite3_bind_int64(s, 1, row);
        if ((rc = step_done(st, s, err)))
            return rc;
    }
    for (int32_t i = model_asrc_first(m, id); i != SM_NONE; i = m->asrcs[i].next) {
        const struct asrc *a = &m->asrcs[i];
        if (!(s = stmt(st, S_ASRC_PUT, err)))
            return err ? err->code : SM_EDB;
        sqlite3_bind_int64(s, 1, row);
        bind_str(s, 2, a->field == SM_NONE ? "" : m->fields[a->field].name);
        bind_str(s, 3, asrc_names[a->attr]);
        bind_str(s, 4, a->source);
        bind_str(s, 5, a->entity);
        bind_str(s, 6, a->time);
        if ((rc = step_done(st, s, err)))
            return rc;
    }
    return SM_OK;
}

int
put_children(struct store *st, const struct model *m, int32_t id, int64_t row,
                bool fresh, struct sm_error *err)
{
    const struct dataset *d = &m->datasets[id];
    sqlite3_stmt *s;
    int pos = 0, rc;

    if (!fresh) {
        if (!(s = stmt(st, S_TAG_CLEAR, err)))
            return err ? err->code : SM_EDB;
        sqlite3_bind_int64(s, 1, row);
        if ((rc = step_done(st, s, err)))
            return rc;
        if (!(s = stmt(st, S_FIELD_CLEAR, err)))
            return err ? err->code : SM_EDB;
        sqlite3_bind_int64(s, 1, row);
        if ((rc = step_done(st, s, err)))
            return rc;
        if (!(s = stmt(st, S_PROP_CLEAR, err)))
            return err ? err->code : SM_EDB;
        sqlite3_bind_int64(s, 1, row);
        if ((rc = step_done(st, s, err)))
            return rc;
        if (!(s = stmt(st, S_ASRC_CLEAR, err)))
            return err ? err->code : SM_EDB;
        sqlite3_bind_int64(s, 1, row);
        if ((rc = step_done(st, s, err)))
            return rc;
    }
    for (int32_t p = d->first_prop; p != SM_NONE; p = m->props[p].next) {
        const struct prop *pr = &m->props[p];
        if (!(s = stmt(st, S_PROP_PUT, err)))
            return err ? err->code : SM_EDB;
        sqlite3_bind_int64(s, 1, row);
        bind_str(s, 2, pr->key);
        bind_str(s, 3, pr->value);
        bind_str(s, 4, pr->source);
        bind_str(s, 5, pr->entity);
        bind_str(s, 6, pr->time);
        if ((rc = step_done(st, s, err)))
            return rc;
    }
    for (int32_t f = d->first_field; f != SM_NONE; f = m->fields[f].next) {
        if (!(s = stmt(st, S_FIELD_PUT, err)))
            return err ? err->code : SM_EDB;
        sqlite3_bind_int64(s, 1, row);
        sqlite3_bind_int(s, 2, pos++);
        bind_str(s, 3, m->fields[f].name);
        bind_str(s, 4, m->fields[f].type);
        bind_str(s, 5, m->fields[f].comment);
        if ((rc = step_done(st, s, err)))
            return rc;
    }
    pos = 0;
    for (int32_t t = d->first_tag; t != SM_NONE; t = m->tags[t].next) {
        const struct tag *tg = &m->tags[t];
        if (!(s = stmt(st, S_TAG_PUT, err)))
            return err ? err->code : SM_EDB;
        sqlite3_bind_int64(s, 1, row);
        sqlite3_bind_int(s, 2, pos++);
        if (tg->field == SM_NONE)
            sqlite3_bind_null(s, 3);
        else
            bind_str(s, 3, m->fields[tg->field].name);
        bind_str(s, 4, tg->tag);
        bind_str(s, 5, tg->source);
        bind_str(s, 6, tg->entity);
        bind_str(s, 7, tg->time);
        bind_str(s, 8, tg->expired);
        if ((rc = step_done(st, s, err)))
            return rc;
    }
    return put_asrcs(st, m, id, row, fresh, err);
}

int
put_all_asrcs(struct store *st, const struct model *m, struct sm_error *err)
{
    int rc;

    for (int32_t d = 0; d < m->ndatasets; d++) {
        int64_t row;
        if (m->datasets[d].deleted || model_asrc_first(m, d) == SM_NONE)
            continue;
        if (!(row = rowmap_get(&st->drow, d)))
            return sm_error_set(err, SM_EDB, "%s: dataset %s was not written", st->path,
                                m->datasets[d].name);
        if ((rc = put_asrcs(st, m, d, row, true, err)))
            return rc;
    }
    return SM_OK;
}

static const char *
field_name(const struct model *m, int32_t f)
{
    return f == SM_NONE ? "" : m->fields[f].name;
}

bool
asrcs_ne(const struct model *a, const struct model *b, int32_t id)
{
    int32_t na = 0, nb = 0;

    for (int32_t i = model_asrc_first(a, id); i != SM_NONE; i = a->asrcs[i].next)
        na++;
    for (int32_t j = model_asrc_first(b, id); j != SM_NONE; j = b->asrcs[j].next)
        nb++;
    if (na != nb)
        return true;
    for (int32_t i = model_asrc_first(a, id); i != SM_NONE; i = a->asrcs[i].next) {
        const struct asrc *x = &a->asrcs[i], *y = NULL;
        for (int32_t j = model_asrc_first(b, id); j != SM_NONE && !y; j = b->asrcs[j].next)
            if (b->asrcs[j].attr == x->attr && (b->asrcs[j].field == SM_NONE) ==
                (x->field == SM_NONE) &&
                strcmp(field_name(b, b->asrcs[j].field), field_name(a, x->field)) == 0)
                y = &b->asrcs[j];
        if (!y || strcmp(x->source, y->source) || strcmp(x->entity, y->entity) ||
            strcmp(x->time, y->time))
            return true;
    }
    return false;
}

int
load_asrcs(struct store *st, struct model *m, struct sm_error *err)
{
    struct sm_error e2 = { 0 };
    sqlite3_stmt *s;
    int rc;

    if (!(s = stmt(st, S_ASRC_LOAD, err)))
        return err ? err->code : SM_EDB;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int32_t d = model_dataset(m, col_str(s, 0)), f = SM_NONE;
        int attr = asrc_attr(col_str(s, 2));
        if (d != SM_NONE && *col_str(s, 1))
            f = model_field(m, d, col_str(s, 1));
        if (d == SM_NONE || attr == SM_NONE || (*col_str(s, 1) && f == SM_NONE) ||
            model_set_asrc(m, d, f, attr, col_str(s, 3), col_str(s, 4), col_str(s, 5), NULL,
                           &e2)) {
            rc = sm_error_set(err, SM_EDB, "%s: attr_source row (%s, %s, %s): %s", st->path,
                              col_str(s, 0), col_str(s, 1), col_str(s, 2),
                              d == SM_NONE ? "unknown dataset"
                              : attr == SM_NONE ? "unknown attribute"
                              : f == SM_NONE && *col_str(s, 1) ? "unknown field" : e2.msg);
            sqlite3_reset(s);
            return rc;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SM_OK : db_error(st, rc, err);
}
