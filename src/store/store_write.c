/*
 * store_write.c - the SQLite catalog, writing: objects, what changed since the
 * last write, and edits (see store.h). Statements and the store: store_int.h.
 */
#include "store.h"
#include "store_int.h"

#include <errno.h>
#include <pthread.h>
#include <pwd.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <sqlite3.h>

/* ---- writing objects ------------------------------------------------------------- */

int
ref_put(struct store *st, const struct model *m, int32_t id, struct sm_error *err)
{
    const struct region *r = &m->regions[id];
    sqlite3_stmt *s;
    char *members;
    int rc;

    if (!st->views)
        return SM_OK;
    if (r->deleted) {
        if (!(s = stmt(st, S_REF_DEL, err)))
            return err ? err->code : SM_EDB;
        bind_str(s, 1, r->id);
        return step_done(st, s, err);
    }
    if (!(s = stmt(st, S_REF_PUT, err)))
        return err ? err->code : SM_EDB;
    if (bind_cc(s, 5, r->country) || bind_cc(s, 7, r->operator_home) ||
        !(members = model_get_dup(m, OBJ_REGION, id, "members")))
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", st->path);
    bind_str(s, 1, r->id);
    bind_str(s, 2, r->provider);
    bind_str(s, 3, r->code);
    bind_str(s, 4, r->name);
    bind_str(s, 6, r->city);
    bind_str(s, 8, region_kind_names[r->kind]);
    sqlite3_bind_int(s, 9, r->builtin);
    bind_str(s, 10, members);
    rc = step_done(st, s, err);
    free(members);
    return rc;
}

static int
put_region(struct store *st, const struct model *m, int32_t id, struct sm_error *err)
{
    const struct region *r = &m->regions[id];
    char *members = NULL;
    sqlite3_stmt *s;
    int rc;

    if (r->builtin)
        return SM_OK;
    if (r->deleted) {
        if (model_region(m, r->id) != SM_NONE)
            return SM_OK;       /* re-added: the live one owns the row */
        if (!(s = stmt(st, S_REGION_DEL, err)))
            return err ? err->code : SM_EDB;
        bind_str(s, 1, r->id);
    } else {
        if (!(s = stmt(st, S_REGION_PUT, err)))
            return err ? err->code : SM_EDB;
        if (bind_cc(s, 4, r->country) || bind_cc(s, 6, r->operator_home) ||
            !(members = model_get_dup(m, OBJ_REGION, id, "members")))
            return sm_error_set(err, SM_ENOMEM, "%s: out of memory", st->path);
        bind_str(s, 1, r->id);
        bind_str(s, 2, region_kind_names[r->kind]);
        bind_str(s, 3, r->name);
        bind_str(s, 5, r->city);
        bind_str(s, 7, members);
    }
    rc = step_done(st, s, err);
    free(members);
    if (rc)
        return rc;
    return ref_put(st, m, id, err);
}

static int
put_tier(struct store *st, const struct model *m, int32_t id, struct sm_error *err)
{
    const struct tier *t = &m->tiers[id];
    sqlite3_stmt *s;
    char *approved;
    int rc;

    if (t->deleted) {
        if (model_tier(m, t->name) != SM_NONE)
            return SM_OK;
        if (!(s = stmt(st, S_TIER_DEL, err)))
            return err ? err->code : SM_EDB;
        bind_str(s, 1, t->name);
        return step_done(st, s, err);
    }
    if (!(s = stmt(st, S_TIER_PUT, err)))
        return err ? err->code : SM_EDB;
    if (!(approved = join_strv(&t->approved, ',')))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    bind_str(s, 1, t->name);
    sqlite3_bind_int(s, 2, t->rank);
    sqlite3_bind_int(s, 3, t->personal);
    bind_str(s, 4, scope_names[t->scope]);
    bind_str(s, 5, scope_names[t->backup_scope]);
    bind_str(s, 6, scope_names[t->key_scope]);
    bind_str(s, 7, approved);
    sqlite3_bind_int(s, 8, t->encryption_at_rest);
    sqlite3_bind_int(s, 9, t->transit_encryption);
    sqlite3_bind_int(s, 10, t->sovereign);
    bind_int_opt(s, 11, t->retention_min_days);
    bind_int_opt(s, 12, t->retention_max_days);
    bind_str(s, 13, t->description);
    rc = step_done(st, s, err);
    free(approved);
    return rc;
}

static int put_dataset(struct store *st, const struct model *m, int32_t id, bool fresh,
                       struct sm_error *err);

static int
dataset_rowid(struct store *st, const struct model *m, int32_t d, int64_t *out,
              struct sm_error *err)
{
    sqlite3_stmt *s;
    int rc;

    if ((*out = rowmap_get(&st->drow, d)))
        return SM_OK;
    if (!(s = stmt(st, S_DATASET_ID, err)))
        return err ? err->code : SM_EDB;
    bind_str(s, 1, m->datasets[d].name);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(st, rc, err);
    if (!*out) {
        /* not written yet (an importer putting a copy first): write it now */
        if (m->datasets[d].deleted)
            return sm_error_set(err, SM_EINVAL, "%s: dataset %s was removed", st->path,
                                m->datasets[d].name);
        if ((rc = put_dataset(st, m, d, false, err)))
            return rc;
        *out = rowmap_get(&st->drow, d);
        return *out ? SM_OK : sm_error_set(err, SM_EDB, "%s: dataset %s was not written",
                                           st->path, m->datasets[d].name);
    }
    return rowmap_set(&st->drow, d, *out) ? sm_error_set(err, SM_ENOMEM, "out of memory")
                                          : SM_OK;
}

static int
put_dataset(struct store *st, const struct model *m, int32_t id, bool fresh,
            struct sm_error *err)
{
    const struct dataset *d = &m->datasets[id];
    char subjects[MODEL_MAX_SUBJECTS * 3 + 1]; /* bounded: MODEL_MAX_SUBJECTS two-letter codes */
    sqlite3_stmt *s;
    int64_t row = 0;
    int rc;

    if (d->deleted) {
        if (model_dataset(m, d->name) != SM_NONE)
            return SM_OK;
        row = rowmap_get(&st->drow, id);
        if (!row) {
            if (!(s = stmt(st, S_DATASET_ID, err)))
                return err ? err->code : SM_EDB;
            bind_str(s, 1, d->name);
            if (sqlite3_step(s) == SQLITE_ROW)
                row = sqlite3_column_int64(s, 0);
            sqlite3_reset(s);
            if (!row)
                return SM_OK;
        }
        if (!(s = stmt(st, S_DATASET_DEL, err)))
            return err ? err->code : SM_EDB;
        sqlite3_bind_int64(s, 1, row);
        return step_done(st, s, err);
    }
    if (!(s = stmt(st, st->bulk ? S_DATASET_NEW : S_DATASET_PUT, err)))
        return err ? err->code : SM_EDB;
    model_get(m, OBJ_DATASET, id, "subjects", subjects, sizeof subjects);
    bind_str(s, 1, d->name);
    bind_str(s, 2, d->system);
    if (d->tier == SM_NONE)
        sqlite3_bind_null(s, 3);
    else
        bind_str(s, 3, m->tiers[d->tier].name);
    bind_str(s, 4, subjects);
    bind_str(s, 5, d->owner);
    bind_int_opt(s, 6, d->retention_days);
    sqlite3_bind_int(s, 7, d->public_sector);
    bind_str(s, 8, d->source_ref);
    bind_str(s, 9, d->description);
    bind_str(s, 10, d->purpose);
    bind_str(s, 11, legal_basis_names[d->legal_basis]);
    if ((rc = st->bulk ? step_new(st, s, S_DATASET_PUT, &row, err) : step_id(st, s, &row, err)))
        return rc;
    if (rowmap_set(&st->drow, id, row))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    return put_children(st, m, id, row, fresh, err);
}

static void
bind_placement(sqlite3_stmt *s, const struct model *m, const struct placement *p,
               int64_t drow)
{
    sqlite3_bind_int64(s, 1, drow);
    bind_str(s, 2, m->regions[p->region].id);
    bind_str(s, 3, role_names[p->role]);
    sqlite3_bind_int(s, 4, p->encrypted);
    bind_opt(s, 5, p->key_region == SM_NONE ? NULL : m->regions[p->key_region].id);
    bind_str(s, 6, mechanism_names[p->mechanism]);
    bind_str(s, 7, p->mechanism_ref);
}

/* Another live placement of the model already owns stored row `row`? */
static bool
placement_row_taken(const struct store *st, const struct model *m, int32_t self, int64_t row)
{
    const struct placement *p = &m->placements[self];
    int32_t live;

    if (p->dataset < 0 || m->datasets[p->dataset].deleted)
        return false;
    live = model_placement_of(m, p->dataset, p->region, p->role);
    return live != SM_NONE && live != self && !m->placements[live].deleted &&
           rowmap_get(&st->prow, live) == row;
}

static int
put_placement(struct store *st, const struct model *m, int32_t id, struct sm_error *err)
{
    const struct placement *p = &m->placements[id];
    int64_t row = rowmap_get(&st->prow, id), drow = 0;
    sqlite3_stmt *s;
    int rc;

    if (p->deleted) {
        if (row) {
            if (placement_row_taken(st, m, id, row))
                return SM_OK;
            if (!(s = stmt(st, S_PLACEMENT_DEL, err)))
                return err ? err->code : SM_EDB;
            sqlite3_bind_int64(s, 1, row);
            return step_done(st, s, err);
        }
        if (m->datasets[p->dataset].deleted && model_dataset(m, m->datasets[p->dataset].name)
            == SM_NONE)
            return SM_OK;       /* went with its dataset */
        if (model_placement_of(m, p->dataset, p->region, p->role) != SM_NONE)
            return SM_OK;
        if (dataset_rowid(st, m, p->dataset, &drow, NULL))
            return SM_OK;
        if (!(s = stmt(st, S_PLACEMENT_DEL_KEY, err)))
            return err ? err->code : SM_EDB;
        sqlite3_bind_int64(s, 1, drow);
        bind_str(s, 2, m->regions[p->region].id);
        bind_str(s, 3, role_names[p->role]);
        return step_done(st, s, err);
    }
    if ((rc = dataset_rowid(st, m, p->dataset, &drow, err)))
        return rc;
    if (row) {
        if (!(s = stmt(st, S_PLACEMENT_UPD, err)))
            return err ? err->code : SM_EDB;
        bind_placement(s, m, p, drow);
        sqlite3_bind_int64(s, 8, row);
        if ((rc = step_done(st, s, err)))
            return rc;
        if (sqlite3_changes(st->db) == 1)
            return SM_OK;
    }
    if (!(s = stmt(st, st->bulk ? S_PLACEMENT_NEW : S_PLACEMENT_INS, err)))
        return err ? err->code : SM_EDB;
    bind_placement(s, m, p, drow);
    if ((rc = st->bulk ? step_new(st, s, S_PLACEMENT_INS, &row, err)
                       : step_id(st, s, &row, err)))
        return rc;
    return rowmap_set(&st->prow, id, row) ? sm_error_set(err, SM_ENOMEM, "out of memory")
                                          : SM_OK;
}

static int
placement_rowid(struct store *st, const struct model *m, int32_t p, int64_t *out,
                struct sm_error *err)
{
    if ((*out = rowmap_get(&st->prow, p)))
        return SM_OK;
    /* written by someone else (an importer) in this process: put it now */
    return put_placement(st, m, p, err) ? (err ? err->code : SM_EDB)
                                        : (*out = rowmap_get(&st->prow, p), SM_OK);
}

static int
put_flow(struct store *st, const struct model *m, int32_t id, struct sm_error *err)
{
    const struct flow *f = &m->flows[id];
    int64_t from = 0, to = 0, row = 0;
    sqlite3_stmt *s;
    char *fields;
    int rc;

    if (f->deleted) {
        if (model_flow(m, f->name) != SM_NONE)
            return SM_OK;
        if (!(s = stmt(st, S_FLOW_DEL, err)))
            return err ? err->code : SM_EDB;
        bind_str(s, 1, f->name);
        return step_done(st, s, err);
    }
    if ((rc = placement_rowid(st, m, f->from, &from, err)))
        return rc;
    if (f->to != SM_NONE && (rc = placement_rowid(st, m, f->to, &to, err)))
        return rc;
    if (!(s = stmt(st, st->bulk ? S_FLOW_NEW : S_FLOW_PUT, err)))
        return err ? err->code : SM_EDB;
    if (!(fields = join_strv(&f->fields, ',')))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    bind_str(s, 1, f->name);
    sqlite3_bind_int64(s, 2, from);
    if (to)
        sqlite3_bind_int64(s, 3, to);
    else
        sqlite3_bind_null(s, 3);
    bind_opt(s, 4, f->to == SM_NONE && f->to_region != SM_NONE ?
             m->regions[f->to_region].id : NULL);
    bind_str(s, 5, flow_kind_names[f->kind]);
    bind_str(s, 6, fields);
    bind_str(s, 7, mechanism_names[f->mechanism]);
    bind_str(s, 8, f->mechanism_ref);
    sqlite3_bind_int(s, 11, f->transit_encrypted);
    sqlite3_bind_int(s, 12, f->public_recipient);
    if (bind_date(s, 9, f->valid_from) || bind_date(s, 10, f->valid_to))
        rc = sm_error_set(err, SM_ENOMEM, "%s: out of memory", st->path);
    else
        rc = st->bulk ? step_new(st, s, S_FLOW_PUT, &row, err) : step_id(st, s, &row, err);
    free(fields);
    if (rc)
        return rc;
    if (rowmap_set(&st->frow, id, row))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    if (!st->bulk) {
        if (!(s = stmt(st, S_XFORM_CLEAR, err)))
            return err ? err->code : SM_EDB;
        sqlite3_bind_int64(s, 1, row);
        if ((rc = step_done(st, s, err)))
            return rc;
    }
    for (uint32_t i = 0; i < f->ntransforms; i++) {
        if (!(s = stmt(st, S_XFORM_PUT, err)))
            return err ? err->code : SM_EDB;
        if (!(fields = join_strv(&f->transforms[i].fields, ' ')))
            return sm_error_set(err, SM_ENOMEM, "out of memory");
        sqlite3_bind_int64(s, 1, row);
        sqlite3_bind_int(s, 2, (int)i);
        bind_str(s, 3, xform_names[f->transforms[i].kind]);
        bind_str(s, 4, fields);
        rc = step_done(st, s, err);
        free(fields);
        if (rc)
            return rc;
    }
    return SM_OK;
}

static int
put_waiver(struct store *st, const struct model *m, int32_t id, struct sm_error *err)
{
    const struct waiver *w = &m->waivers[id];
    sqlite3_stmt *s;

    if (w->deleted) {
        if (model_waiver(m, w->key) != SM_NONE)
            return SM_OK;
        if (!(s = stmt(st, S_WAIVER_DEL, err)))
            return err ? err->code : SM_EDB;
        bind_str(s, 1, w->rule);
        bind_str(s, 2, w->object);
        return step_done(st, s, err);
    }
    if (!(s = stmt(st, S_WAIVER_PUT, err)))
        return err ? err->code : SM_EDB;
    bind_str(s, 1, w->rule);
    bind_str(s, 2, w->object);
    bind_str(s, 3, w->owner);
    bind_str(s, 4, w->reason);
    if (bind_date(s, 5, w->expires))
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", st->path);
    return step_done(st, s, err);
}

static int
put_scenario(struct store *st, const struct model *m, int32_t id, struct sm_error *err)
{
    const struct scenario *sc = &m->scenarios[id];
    sqlite3_stmt *s;
    int rc;

    if (sc->deleted) {
        if (model_scenario(m, sc->name) != SM_NONE)
            return SM_OK;
        if (!(s = stmt(st, S_SCENARIO_DEL, err)))
            return err ? err->code : SM_EDB;
        bind_str(s, 1, sc->name);
        return step_done(st, s, err);
    }
    if (!(s = stmt(st, S_SCENARIO_PUT, err)))
        return err ? err->code : SM_EDB;
    bind_str(s, 1, sc->name);
    bind_str(s, 2, sc->base);
    bind_str(s, 3, sc->description);
    if ((rc = step_done(st, s, err)))
        return rc;
    if (!(s = stmt(st, S_SCOP_CLEAR, err)))
        return err ? err->code : SM_EDB;
    bind_str(s, 1, sc->name);
    if ((rc = step_done(st, s, err)))
        return rc;
    for (uint32_t i = 0; i < sc->nops; i++)
        for (uint32_t k = 0; k < sc->ops[i].n; k++) {
            if (!(s = stmt(st, S_SCOP_PUT, err)))
                return err ? err->code : SM_EDB;
            bind_str(s, 1, sc->name);
            sqlite3_bind_int(s, 2, (int)i);
            sqlite3_bind_int(s, 3, (int)k);
            bind_str(s, 4, sc->ops[i].v[k]);
            if ((rc = step_done(st, s, err)))
                return rc;
        }
    return SM_OK;
}

int
store_put(struct store *st, const struct model *m, enum obj_kind kind, int32_t id,
          struct sm_error *err)
{
    if (st->flags & STORE_READONLY)
        return sm_error_set(err, SM_EREADONLY, "%s is read-only", st->path);
    if (id < 0 || id >= model_count(m, kind))
        return sm_error_set(err, SM_ENOTFOUND, "unknown %s",
                            kind < OBJ_KIND_COUNT ? obj_kind_names[kind] : "object");
    switch (kind) {
    case OBJ_REGION:    return put_region(st, m, id, err);
    case OBJ_TIER:      return put_tier(st, m, id, err);
    case OBJ_DATASET:   return put_dataset(st, m, id, false, err);
    case OBJ_PLACEMENT: return put_placement(st, m, id, err);
    case OBJ_FLOW:      return put_flow(st, m, id, err);
    case OBJ_WAIVER:    return put_waiver(st, m, id, err);
    case OBJ_SCENARIO:  return put_scenario(st, m, id, err);
    default:            return sm_error_set(err, SM_EINVAL, "bad object kind");
    }
}

/* The indexes that are not constraints (schema_v1, the same text): a bulk
 * write into empty tables drops them and builds them once at the end (one
 * sort each) instead of inserting every row into them at random places. */
static const char plain_index_drop[] =
    "DROP INDEX dataset_tier; DROP INDEX placement_region; DROP INDEX flow_from;"
    "DROP INDEX flow_to;";
static const char plain_index_make[] =
    "CREATE INDEX dataset_tier ON dataset(tier);\n"
    "CREATE INDEX placement_region ON placement(region);\n"
    "CREATE INDEX flow_from ON flow(from_placement);\n"
    "CREATE INDEX flow_to ON flow(to_placement);\n";

static int
put_all_rows(struct store *st, const struct model *m, struct sm_error *err)
{
    /* children first: with the foreign keys off nothing cascades */
    static const char clear_sql[] =
        "DELETE FROM flow_transform; DELETE FROM flow; DELETE FROM tag; DELETE FROM prop;"
        "DELETE FROM attr_source;"
        "DELETE FROM field; DELETE FROM placement; DELETE FROM dataset; DELETE FROM tier;"
        "DELETE FROM region; DELETE FROM waiver; DELETE FROM scenario_op; DELETE FROM scenario;";
    bool fast = bulk_eligible(m), dropped = false;
    int rc;

again:
    /* the fast path's rows refer only to rows it writes (store_bulk.c): the
     * clears (a truncation each then) and those rows go with the foreign
     * keys off, everything else with them on */
    if (fast && bulk_fkeys(st, false) != SQLITE_OK)
        fast = false;
    if ((rc = exec(st, clear_sql, err)) ||
        (!dropped && (rc = exec(st, plain_index_drop, err))))
        goto out;
    /* the tables are empty now: their plain indexes are built at the end */
    dropped = true;
    rowmap_fini(&st->drow);
    rowmap_fini(&st->prow);
    rowmap_fini(&st->frow);
    if (sm_grow((void **)&st->drow.row, &st->drow.cap, m->ndatasets, sizeof (int64_t)) ||
        sm_grow((void **)&st->prow.row, &st->prow.cap, m->nplacements, sizeof (int64_t)) ||
        sm_grow((void **)&st->frow.row, &st->frow.cap, m->nflows, sizeof (int64_t))) {
        rc = sm_error_set(err, SM_ENOMEM, "out of memory");
        goto out;
    }
    for (int32_t i = 0; i < m->nregions; i++)
        if (!m->regions[i].deleted && (rc = put_region(st, m, i, err)))
            goto out;
    for (int32_t i = 0; i < m->ntiers; i++)
        if (!m->tiers[i].deleted && (rc = put_tier(st, m, i, err)))
            goto out;
    if (fast) {
        rc = bulk_rows(st, m, err);
        bulk_fkeys(st, true);
        if (rc == BULK_FALLBACK) {
            fast = false;
            goto again;
        }
        if (rc || (rc = put_all_asrcs(st, m, err)))
            return rc;
    }
    for (int32_t i = 0; i < m->ndatasets && !fast; i++)
        if (!m->datasets[i].deleted && (rc = put_dataset(st, m, i, true, err)))
            return rc;
    for (int32_t i = 0; i < m->nplacements && !fast; i++)
        if (!m->placements[i].deleted && (rc = put_placement(st, m, i, err)))
            return rc;
    for (int32_t i = 0; i < m->nflows && !fast; i++)
        if (!m->flows[i].deleted && (rc = put_flow(st, m, i, err)))
            return rc;
    for (int32_t i = 0; i < m->nwaivers; i++)
        if (!m->waivers[i].deleted && (rc = put_waiver(st, m, i, err)))
            return rc;
    for (int32_t i = 0; i < m->nscenarios; i++)
        if (!m->scenarios[i].deleted && (rc = put_scenario(st, m, i, err)))
            return rc;
    /* the sorter behind CREATE INDEX keeps runs of up to the page cache's
     * size in memory; runs of the ordinary cache's size (2 MB) are sorted
     * within the CPU's caches and merged, where the bulk cache's 64 MiB runs
     * spend their time in cache misses (1M datasets: placement_region 2.3
     * -> 1.3 s CPU; doc/performance.md, "the whole-catalog write, part 3") */
    if ((rc = exec(st, st->bulk_cache_sql, err)) || (rc = exec(st, plain_index_make, err)))
        return rc;
    return store_meta_set(st, "rule_pack", m->rule_pack ? m->rule_pack : "", err);
out:
    if (fast)
        bulk_fkeys(st, true);
    return rc;
}

/* The page cache of a bulk write (KiB; default 2 MB): the pages being
 * filled stay in memory instead of going to the WAL again and again as the
 * cache fills (1M datasets: 6.5 -> 2.9 s system time). Set back before the
 * plain indexes are built (put_all_rows) and again at the end; the pages are
 * written at commit, durability is the same. */
#define BULK_CACHE_KIB 65536

int
store_put_all(struct store *st, const struct model *m, struct sm_error *err)
{
    char sql[64];                       /* bounded: a PRAGMA with a constant */
    int64_t cache = 0;
    int rc;

    if (st->flags & STORE_READONLY)
        return sm_error_set(err, SM_EREADONLY, "%s is read-only", st->path);
    if ((rc = pragma_int(st, "PRAGMA cache_size", &cache, err)))
        return rc;
    snprintf(st->bulk_cache_sql, sizeof st->bulk_cache_sql, "PRAGMA cache_size = %lld",
             (long long)cache);
    snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", BULK_CACHE_KIB);
    if ((rc = exec(st, sql, err)))
        return rc;
    st->bulk = true;
    rc = put_all_rows(st, m, err);
    st->bulk = false;
    /* the views custom rules read join the model's regions (shipped ones
     * included): a catalog written whole (a scenario's or a model file's,
     * in memory) must know them as a loaded one does */
    if (!rc)
        rc = make_views(st, m, err);
    exec(st, st->bulk_cache_sql, NULL);
    return rc;
}

/* ---- writing what changed ---------------------------------------------------------------- */

static bool
str_ne(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") != 0;
}

static bool
strv_ne(const struct sm_strv *a, const struct sm_strv *b)
{
    if (a->n != b->n)
        return true;
    for (uint32_t i = 0; i < a->n; i++)
        if (str_ne(a->v[i], b->v[i]))
            return true;
    return false;
}

static bool
region_ne(const struct model *a, const struct model *b, int32_t id)
{
    const struct region *x = &a->regions[id], *y = &b->regions[id];
    char *mx, *my;
    bool ne;

    if (x->kind != y->kind || x->country != y->country || x->operator_home != y->operator_home ||
        str_ne(x->name, y->name) || str_ne(x->city, y->city))
        return true;
    mx = model_get_dup(a, OBJ_REGION, id, "members");
    my = model_get_dup(b, OBJ_REGION, id, "members");
    ne = !mx || !my || strcmp(mx, my) != 0;     /* out of memory: write it again */
    free(mx);
    free(my);
    return ne;
}

static bool
tier_ne(const struct tier *x, const struct tier *y)
{
    return x->rank != y->rank || x->personal != y->personal || x->scope != y->scope ||
           x->backup_scope != y->backup_scope || x->key_scope != y->key_scope ||
           x->encryption_at_rest != y->encryption_at_rest ||
           x->transit_encryption != y->transit_encryption || x->sovereign != y->sovereign ||
           x->retention_min_days != y->retention_min_days ||
           x->retention_max_days != y->retention_max_days ||
           str_ne(x->description, y->description) || strv_ne(&x->approved, &y->approved);
}

/* A dataset's row, fields or tags differ between a and b (same id)? */
static bool
dataset_ne(const struct model *a, const struct model *b, int32_t id)
{
    const struct dataset *x = &a->datasets[id], *y = &b->datasets[id];
    int32_t f, g;

    if (x->retention_days != y->retention_days || x->public_sector != y->public_sector ||
        x->nsubjects != y->nsubjects ||
        memcmp(x->subjects, y->subjects, x->nsubjects * sizeof *x->subjects) ||
        str_ne(model_tier_name(a, x->tier), model_tier_name(b, y->tier)) || str_ne(x->system, y->system) ||
        str_ne(x->owner, y->owner) || str_ne(x->source_ref, y->source_ref) ||
        str_ne(x->description, y->description) || str_ne(x->purpose, y->purpose) ||
        x->legal_basis != y->legal_basis)
        return true;
    for (f = x->first_field, g = y->first_field; f != SM_NONE && g != SM_NONE;
         f = a->fields[f].next, g = b->fields[g].next)
        if (str_ne(a->fields[f].name, b->fields[g].name) ||
            str_ne(a->fields[f].type ? a->fields[f].type : "",
                   b->fields[g].type ? b->fields[g].type : "") ||
            str_ne(a->fields[f].comment ? a->fields[f].comment : "",
                   b->fields[g].comment ? b->fields[g].comment : ""))
            return true;
    if (f != g)
        return true;
    for (f = x->first_tag, g = y->first_tag; f != SM_NONE && g != SM_NONE;
         f = a->tags[f].next, g = b->tags[g].next) {
        const struct tag *s = &a->tags[f], *t = &b->tags[g];
        if ((s->field == SM_NONE) != (t->field == SM_NONE) ||
            (s->field != SM_NONE && str_ne(a->fields[s->field].name, b->fields[t->field].name)) ||
            str_ne(s->tag, t->tag) || str_ne(s->source, t->source) ||
            str_ne(s->entity, t->entity) || str_ne(s->time, t->time) ||
            str_ne(s->expired, t->expired))
            return true;
    }
    if (f != g)
        return true;
    for (f = x->first_prop, g = y->first_prop; f != SM_NONE && g != SM_NONE;
         f = a->props[f].next, g = b->props[g].next) {
        const struct prop *s = &a->props[f], *t = &b->props[g];
        if (str_ne(s->key, t->key) || str_ne(s->value, t->value) ||
            str_ne(s->source, t->source) || str_ne(s->entity, t->entity) ||
            str_ne(s->time, t->time))
            return true;
    }
    return f != g || asrcs_ne(a, b, id);
}

/* The stored key (dataset, region, role) of a copy changed? */
static bool
placement_key_ne(const struct model *a, const struct model *b, int32_t id)
{
    const struct placement *x = &a->placements[id], *y = &b->placements[id];

    return x->dataset != y->dataset || x->role != y->role ||
           str_ne(model_region_id(a, x->region), model_region_id(b, y->region));
}

static bool
placement_ne(const struct model *a, const struct model *b, int32_t id)
{
    const struct placement *x = &a->placements[id], *y = &b->placements[id];

    return placement_key_ne(a, b, id) || x->encrypted != y->encrypted ||
           x->mechanism != y->mechanism || str_ne(x->mechanism_ref, y->mechanism_ref) ||
           str_ne(model_region_id(a, x->key_region), model_region_id(b, y->key_region));
}

static bool
flow_ne(const struct model *a, const struct model *b, int32_t id)
{
    const struct flow *x = &a->flows[id], *y = &b->flows[id];

    if (x->from != y->from || x->to != y->to || x->kind != y->kind ||
        x->mechanism != y->mechanism || x->transit_encrypted != y->transit_encrypted ||
        x->public_recipient != y->public_recipient || x->valid_from != y->valid_from ||
        x->valid_to != y->valid_to || x->ntransforms != y->ntransforms ||
        str_ne(x->mechanism_ref, y->mechanism_ref) || strv_ne(&x->fields, &y->fields) ||
        (x->to == SM_NONE && str_ne(model_region_id(a, x->to_region), model_region_id(b, y->to_region))))
        return true;
    for (uint32_t i = 0; i < x->ntransforms; i++)
        if (x->transforms[i].kind != y->transforms[i].kind ||
            strv_ne(&x->transforms[i].fields, &y->transforms[i].fields))
            return true;
    return false;
}

static bool
waiver_ne(const struct waiver *x, const struct waiver *y)
{
    return x->expires != y->expires || str_ne(x->rule, y->rule) || str_ne(x->object, y->object) ||
           str_ne(x->owner, y->owner) || str_ne(x->reason, y->reason);
}

static bool
scenario_ne(const struct scenario *x, const struct scenario *y)
{
    if (x->nops != y->nops || str_ne(x->base, y->base) || str_ne(x->description, y->description))
        return true;
    for (uint32_t i = 0; i < x->nops; i++)
        if (strv_ne(&x->ops[i], &y->ops[i]))
            return true;
    return false;
}

/* The natural key of object id of kind in m (stored rows are found by it). */
static const char *
obj_key(const struct model *m, enum obj_kind kind, int32_t id)
{
    switch (kind) {
    case OBJ_REGION:    return m->regions[id].id;
    case OBJ_TIER:      return m->tiers[id].name;
    case OBJ_DATASET:   return m->datasets[id].name;
    case OBJ_FLOW:      return m->flows[id].name;
    case OBJ_WAIVER:    return m->waivers[id].key;
    case OBJ_SCENARIO:  return m->scenarios[id].name;
    default:            return "";
    }
}

/* Live in both and different in what the store keeps? */
static bool
obj_ne(const struct model *a, const struct model *b, enum obj_kind kind, int32_t id)
{
    switch (kind) {
    case OBJ_REGION:    return region_ne(a, b, id);
    case OBJ_TIER:      return tier_ne(&a->tiers[id], &b->tiers[id]);
    case OBJ_DATASET:   return dataset_ne(a, b, id);
    case OBJ_PLACEMENT: return placement_ne(a, b, id);
    case OBJ_FLOW:      return flow_ne(a, b, id);
    case OBJ_WAIVER:    return waiver_ne(&a->waivers[id], &b->waivers[id]);
    case OBJ_SCENARIO:  return scenario_ne(&a->scenarios[id], &b->scenarios[id]);
    default:            return false;
    }
}

/* What store_put_changes writes of one kind, and what makes it give up. */
enum change { CH_SAME, CH_GONE, CH_PUT };

static enum change
obj_change(const struct model *base, const struct model *m, enum obj_kind kind, int32_t id,
           bool *whole)
{
    bool was = id < model_count(base, kind) && !!model_live(base, kind, id);
    bool is = !!model_live(m, kind, id);

    if (kind == OBJ_REGION && m->regions[id].builtin)
        return CH_SAME;
    if (!was)
        return is ? CH_PUT : CH_SAME;
    if (!is)
        return CH_GONE;
    if (kind != OBJ_PLACEMENT && strcmp(obj_key(base, kind, id), obj_key(m, kind, id)) != 0) {
        *whole = true;          /* renamed: no edit does that */
        return CH_PUT;
    }
    return obj_ne(base, m, kind, id) ? CH_PUT : CH_SAME;
}

/* Delete the stored row of an object live in base and gone in m: by the
 * rowid the store keeps (copies, datasets) or by base's key, even when a
 * new object of m took the key (it is written later, after the old rows,
 * as store_put_all would). */
static int
delete_row(struct store *st, const struct model *base, const struct model *m,
           enum obj_kind kind, int32_t id, bool *whole, struct sm_error *err)
{
    enum stmt_id sid;
    int rc;
    sqlite3_stmt *s;
    int64_t row = 0;

    switch (kind) {
    case OBJ_DATASET:   sid = S_DATASET_DEL; row = rowmap_get(&st->drow, id); break;
    case OBJ_PLACEMENT: sid = S_PLACEMENT_DEL; row = rowmap_get(&st->prow, id); break;
    case OBJ_FLOW:      sid = S_FLOW_DEL; break;
    case OBJ_REGION:    sid = S_REGION_DEL; break;
    case OBJ_TIER:      sid = S_TIER_DEL; break;
    case OBJ_WAIVER:    sid = S_WAIVER_DEL; break;
    case OBJ_SCENARIO:  sid = S_SCENARIO_DEL; break;
    default:            return SM_OK;
    }
    if ((kind == OBJ_DATASET || kind == OBJ_PLACEMENT) && !row) {
        *whole = true;          /* not loaded through this store */
        return SM_OK;
    }
    if (!(s = stmt(st, sid, err)))
        return err ? err->code : SM_EDB;
    if (kind == OBJ_REGION && st->views && (rc = ref_put(st, m, id, err)))
        return rc;
    if (row)
        sqlite3_bind_int64(s, 1, row);
    else if (kind == OBJ_WAIVER) {
        bind_str(s, 1, base->waivers[id].rule);
        bind_str(s, 2, base->waivers[id].object);
    } else
        bind_str(s, 1, obj_key(base, kind, id));
    return step_done(st, s, err);
}

/* Move a copy whose key changes to a key of its own first (role "~ROWID"),
 * so that copies trading places never meet on UNIQUE(dataset, region, role). */
static int
park_placement(struct store *st, int64_t row, struct sm_error *err)
{
    char role[32];                      /* bounded: "~" and an int64 */
    sqlite3_stmt *s;

    if (!(s = stmt(st, S_PLACEMENT_PARK, err)))
        return err ? err->code : SM_EDB;
    snprintf(role, sizeof role, "~%lld", (long long)row);
    sqlite3_bind_int64(s, 1, row);
    if (sqlite3_bind_text(s, 2, role, -1, SQLITE_TRANSIENT))
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", st->path);
    return step_done(st, s, err);
}

int
store_put_changes(struct store *st, const struct model *base, const struct model *m,
                  struct store_changes *out, struct sm_error *err)
{
    /* live rows are written in this order (tiers before the datasets that
     * name them; copies and flows after theirs) */
    static const enum obj_kind order[] = {
        OBJ_REGION, OBJ_TIER, OBJ_DATASET, OBJ_PLACEMENT, OBJ_FLOW, OBJ_WAIVER, OBJ_SCENARIO,
    };
    struct store_changes n = { 0 };
    bool whole = false;
    int rc;

    if (st->flags & STORE_READONLY)
        return sm_error_set(err, SM_EREADONLY, "%s is read-only", st->path);
    for (size_t k = 0; k < sizeof order / sizeof *order; k++)
        if (model_count(m, order[k]) < model_count(base, order[k]))
            whole = true;       /* not a clone of base */
    if (whole)
        goto all;
    /* pass 0: rows gone (flows, then copies, then datasets: children first,
     * the rest cascades), tiers last of all (datasets may still name them);
     * pass 1: copies whose key changes step aside; pass 2: the live rows */
    for (int pass = 0; pass < 3; pass++) {
        for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
            enum obj_kind kind = order[pass == 0 ? sizeof order / sizeof *order - 1 - k : k];
            int32_t cnt = model_count(m, kind);
            if (pass == 0 && kind == OBJ_TIER)
                continue;
            if (pass == 1 && kind != OBJ_PLACEMENT)
                continue;
            for (int32_t id = 0; id < cnt; id++) {
                enum change ch = obj_change(base, m, kind, id, &whole);
                if (whole)
                    goto all;
                if (pass == 0 && ch == CH_GONE) {
                    if ((rc = delete_row(st, base, m, kind, id, &whole, err)))
                        return rc;
                    if (whole)
                        goto all;
                    n.deleted++;
                } else if (pass == 1 && ch == CH_PUT && id < base->nplacements &&
                           placement_key_ne(base, m, id)) {
                    int64_t row = rowmap_get(&st->prow, id);
                    if (!row) {
                        whole = true;
                        goto all;
                    }
                    if ((rc = park_placement(st, row, err)))
                        return rc;
                } else if (pass == 2 && ch == CH_PUT) {
                    if (kind == OBJ_PLACEMENT && id < base->nplacements &&
                        !rowmap_get(&st->prow, id)) {
                        whole = true;
                        goto all;
                    }
                    if ((rc = store_put(st, m, kind, id, err)))
                        return rc;
                    n.written++;
                }
            }
        }
    }
    /* tiers gone, now that no dataset names them */
    for (int32_t id = 0; id < m->ntiers; id++)
        if (obj_change(base, m, OBJ_TIER, id, &whole) == CH_GONE) {
            if ((rc = delete_row(st, base, m, OBJ_TIER, id, &whole, err)))
                return rc;
            n.deleted++;
        }
    if (str_ne(base->rule_pack, m->rule_pack) &&
        (rc = store_meta_set(st, "rule_pack", m->rule_pack ? m->rule_pack : "", err)))
        return rc;
    if (out)
        *out = n;
    return SM_OK;
all:
    /* what was written so far goes with the rest (same transaction) */
    if ((rc = store_put_all(st, m, err)))
        return rc;
    n.whole = true;
    if (out)
        *out = n;
    return SM_OK;
}

/* ---- edits ------------------------------------------------------------------------------ */

static int
put_touched(struct store *st, const struct model *m, const struct edit_result *r,
            struct sm_error *err)
{
    int rc;

    /* deleted rows first, so a re-used natural key is free for the live one */
    for (int pass = 0; pass < 2; pass++) {
        for (int32_t i = 0; i < r->ntouched; i++) {
            enum obj_kind k = r->touched[i].kind;
            int32_t id = r->touched[i].id;
            bool dead;
            switch (k) {
            case OBJ_REGION:    dead = m->regions[id].deleted; break;
            case OBJ_TIER:      dead = m->tiers[id].deleted; break;
            case OBJ_DATASET:   dead = m->datasets[id].deleted; break;
            case OBJ_PLACEMENT: dead = m->placements[id].deleted; break;
            case OBJ_FLOW:      dead = m->flows[id].deleted; break;
            case OBJ_WAIVER:    dead = m->waivers[id].deleted; break;
            case OBJ_SCENARIO:  dead = m->scenarios[id].deleted; break;
            default:            dead = false; break;
            }
            if (dead != (pass == 0))
                continue;
            if ((rc = store_put(st, m, k, id, err)))
                return rc;
        }
    }
    return SM_OK;
}

/* The objects an applied edit touched, for the snapshot hook: r's list, and
 * when it overflowed, every flow through a copy of a touched dataset. */
static struct obj_ref *
edit_refs(const struct model *m, const struct edit_result *r, int32_t *n)
{
    size_t cap = (size_t)r->ntouched + 1;
    struct obj_ref *refs;

    if (r->overflow)
        cap += (size_t)m->nflows;
    if (!(refs = malloc(cap * sizeof *refs)))
        return NULL;
    *n = 0;
    refs[(*n)++] = (struct obj_ref){ r->kind, r->id };
    for (int32_t i = 0; i < r->ntouched; i++)
        refs[(*n)++] = (struct obj_ref){ r->touched[i].kind, r->touched[i].id };
    if (r->overflow) {
        for (int32_t f = 0; f < m->nflows; f++) {
            const struct flow *fl = &m->flows[f];
            bool hit = false;
            for (int32_t i = 0; i < r->ntouched && !hit; i++) {
                int32_t d = r->touched[i].id;
                if (r->touched[i].kind != OBJ_DATASET)
                    continue;
                hit = (fl->from != SM_NONE && m->placements[fl->from].dataset == d) ||
                      (fl->to != SM_NONE && m->placements[fl->to].dataset == d);
            }
            if (hit)
                refs[(*n)++] = (struct obj_ref){ OBJ_FLOW, f };
        }
    }
    return refs;
}

/* {"before": PART, "after": PART} of the edit r just applied or reverted
 * (m shows its result): "after" from m, "before" from m stepped back
 * through r's undo record and forward again. *data is NULL without a
 * snapshot hook; *same says nothing changed. */
static int
edit_data(struct store *st, struct model *m, struct edit_result *r, char **data, bool *same,
          struct sm_error *err)
{
    char *before = NULL, *after = NULL;
    struct obj_ref *refs;
    int32_t n = 0;
    size_t len;
    int rc;

    *data = NULL;
    *same = false;
    if (!st->snapshot)
        return SM_OK;
    if (!(refs = edit_refs(m, r, &n)))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    if ((rc = st->snapshot(m, refs, n, &after, err)))
        goto out;
    rc = edit_reverted(r) ? edit_reapply(m, r, err) : edit_revert(m, r, err);
    if (rc)
        goto out;
    rc = st->snapshot(m, refs, n, &before, err);
    /* back to the edit's result, whatever the snapshot did */
    if (edit_reverted(r) ? edit_reapply(m, r, NULL) : edit_revert(m, r, NULL))
        rc = sm_error_set(err, SM_EINVAL, "cannot step the edit forward again");
    if (rc)
        goto out;
    *same = strcmp(before, after) == 0;
    len = strlen(before) + strlen(after) + 32;
    if (!(*data = malloc(len)))
        rc = sm_error_set(err, SM_ENOMEM, "out of memory");
    else
        snprintf(*data, len, "{\"before\":%s,\"after\":%s}", before, after);
out:
    free(refs);
    free(before);
    free(after);
    return rc;
}

static int
apply_tx(struct store *st, struct model *m, struct edit_result *r, const char *op,
         const char *object, const char *data, bool own, struct sm_error *err)
{
    int rc;

    if ((rc = put_touched(st, m, r, err)) ||
        (rc = store_audit_data(st, op, object, r->before, r->after, data, err)))
        return rc;
    if (own)
        return exec(st, "COMMIT", err);
    return exec(st, "RELEASE sm_apply", err);
}

/* store_apply of an edit that changed nothing (rc 0) or whose snapshot
 * failed (rc): nothing is written, no audit entry. */
static int
unchanged(struct store *st, struct model *m, struct edit_result *r, struct edit_result *res,
          bool own, int rc)
{
    exec(st, own ? "ROLLBACK" : "ROLLBACK TO sm_apply; RELEASE sm_apply", NULL);
    if (rc) {
        edit_revert(m, r, NULL);
        edit_result_fini(r);
        return rc;
    }
    r->unchanged = true;
    if (res)
        *res = *r;
    else
        edit_result_fini(r);
    return SM_OK;
}

int
store_apply(struct store *st, struct model *m, const struct edit *e,
            struct edit_result *res, struct sm_error *err)
{
    struct edit_result r;
    char *line, *data = NULL;
    const char *object;
    bool own = !st->in_tx && !st->held, same = false;
    int rc;

    memset(&r, 0, sizeof r);
    if (st->flags & STORE_READONLY)
        return sm_error_set(err, SM_EREADONLY, "%s is read-only", st->path);
    if ((rc = store_check_integrity(st, err)))
        return rc;
    if ((rc = own ? begin_fresh(st, err) : write_savepoint(st, "sm_apply", err)))
        return rc;
    if ((rc = edit_apply(m, e, &r, err))) {
        exec(st, own ? "ROLLBACK" : "ROLLBACK TO sm_apply; RELEASE sm_apply", NULL);
        return rc;
    }
    if ((rc = edit_data(st, m, &r, &data, &same, err)) || same) {
        free(data);
        return unchanged(st, m, &r, res, own, rc);
    }
    /* the audit entry keeps the whole line and the whole name (10 KB names) */
    line = edit_format_dup(e);
    object = r.selector;                /* whole (a heap text) */
    rc = line ? apply_tx(st, m, &r, line, object, data, own, err)
              : sm_error_set(err, SM_ENOMEM, "%s: out of memory", st->path);
    free(line);
    free(data);
    if (rc) {
        /* both back as before: the catalog by rollback, the model by the undo record */
        exec(st, own ? "ROLLBACK" : "ROLLBACK TO sm_apply; RELEASE sm_apply", NULL);
        edit_revert(m, &r, NULL);
        edit_result_fini(&r);
        return rc;
    }
    if (res)
        *res = r;
    else
        edit_result_fini(&r);
    return SM_OK;
}

int
store_revert(struct store *st, struct model *m, struct edit_result *res,
             struct sm_error *err)
{
    struct edit_result r;
    char *op = NULL, *data = NULL;
    bool own = !st->in_tx && !st->held, redo, same = false;
    int rc;

    if (st->flags & STORE_READONLY)
        return sm_error_set(err, SM_EREADONLY, "%s is read-only", st->path);
    if ((rc = store_check_integrity(st, err)))
        return rc;
    if ((rc = own ? begin_fresh(st, err) : write_savepoint(st, "sm_apply", err)))
        return rc;
    redo = edit_reverted(res);
    if ((rc = redo ? edit_reapply(m, res, err) : edit_revert(m, res, err))) {
        exec(st, own ? "ROLLBACK" : "ROLLBACK TO sm_apply; RELEASE sm_apply", NULL);
        return rc;
    }
    /* the objects to rewrite are the ones the edit touched; before/after swap */
    r = *res;
    r.before = res->after;
    r.after = res->before;
    if (redo) {
        r.before = res->before;
        r.after = res->after;
    }
    if (res->inverse && res->ninverse > 0) {
        /* an undo makes the inverse; a redo makes the edit again: whole */
        char *line = redo ? edit_format_redo_dup(res) : edit_format_dup(&res->inverse[0]);
        op = line ? sm_strdupf("%s: %s", redo ? "redo" : "undo", line) : NULL;
        free(line);
    } else {
        op = sm_strdupf("%s %s", redo ? "redo" : "undo", res->selector);
    }
    if (!op)
        rc = sm_error_set(err, SM_ENOMEM, "%s: out of memory", st->path);
    else if ((rc = edit_data(st, m, res, &data, &same, err)) == SM_OK && same) {
        free(op);
        free(data);     /* nothing to write, nothing to log */
        exec(st, own ? "ROLLBACK" : "ROLLBACK TO sm_apply; RELEASE sm_apply", NULL);
        return SM_OK;
    }
    if (rc || (rc = apply_tx(st, m, &r, op, r.selector, data, own, err))) {
        free(op);
        free(data);
        exec(st, own ? "ROLLBACK" : "ROLLBACK TO sm_apply; RELEASE sm_apply", NULL);
        if (redo)
            edit_revert(m, res, NULL);
        else
            edit_reapply(m, res, NULL);
        return rc;
    }
    free(op);
    free(data);
    return SM_OK;
}
