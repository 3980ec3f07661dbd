/*
 * store_int.h - private: the types, statements and helpers that store.c and its parts
 * (store_write.c, store_load.c, store_query.c) share. Nothing outside them includes it
 * but tests/unit/test_store.c (for bulk_sql).
 */
#ifndef SM_STORE_INT_H
#define SM_STORE_INT_H

#include "store.h"

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#define STORE_SCHEMA_VERSION 6
#define STORE_APP_ID 0x536f764d     /* "SovM" */
#define STORE_BUSY_MS 5000

#define STMTS(X) \
    X(META_GET, "SELECT value FROM meta WHERE key = ?1") \
    X(CHANGE_BUMP, "INSERT INTO meta(key, value) VALUES('change', '1') ON CONFLICT(key) " \
                   "DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)") \
    X(META_SET, "INSERT INTO meta(key, value) VALUES(?1, ?2) " \
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value") \
    X(AUDIT, "INSERT INTO audit(time, actor, op, object, before, after, data) " \
             "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)") \
    X(LOG, "SELECT id, time, actor, op, object, before, after, data FROM audit " \
           "WHERE id <= ?2 ORDER BY id DESC LIMIT ?1") \
    X(REGION_PUT, "INSERT INTO region(id, kind, name, country, city, operator, members) " \
                  "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(id) DO UPDATE SET " \
                  "kind = excluded.kind, name = excluded.name, country = excluded.country, " \
                  "city = excluded.city, operator = excluded.operator, " \
                  "members = excluded.members") \
    X(REGION_DEL, "DELETE FROM region WHERE id = ?1") \
    X(REGION_LOAD, "SELECT id, kind, name, country, city, operator, members FROM region " \
                   "ORDER BY rowid") \
    X(TIER_PUT, "INSERT INTO tier(name, rank, personal, scope, backup_scope, key_scope, " \
                "approved, encryption_at_rest, transit_encryption, sovereign, " \
                "retention_min_days, retention_max_days, description) " \
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) " \
                "ON CONFLICT(name) DO UPDATE SET rank = excluded.rank, " \
                "personal = excluded.personal, scope = excluded.scope, " \
                "backup_scope = excluded.backup_scope, key_scope = excluded.key_scope, " \
                "approved = excluded.approved, " \
                "encryption_at_rest = excluded.encryption_at_rest, " \
                "transit_encryption = excluded.transit_encryption, " \
                "sovereign = excluded.sovereign, " \
                "retention_min_days = excluded.retention_min_days, " \
                "retention_max_days = excluded.retention_max_days, " \
                "description = excluded.description") \
    X(TIER_DEL, "DELETE FROM tier WHERE name = ?1") \
    X(TIER_LOAD, "SELECT name, rank, personal, scope, backup_scope, key_scope, approved, " \
                 "encryption_at_rest, transit_encryption, sovereign, retention_min_days, " \
                 "retention_max_days, description FROM tier ORDER BY rowid") \
    X(DATASET_PUT, "INSERT INTO dataset(name, system, tier, subjects, owner, " \
                   "retention_days, public_sector, source, description, purpose, " \
                   "legal_basis) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) " \
                   "ON CONFLICT(name) DO UPDATE " \
                   "SET system = excluded.system, tier = excluded.tier, " \
                   "subjects = excluded.subjects, owner = excluded.owner, " \
                   "retention_days = excluded.retention_days, " \
                   "public_sector = excluded.public_sector, source = excluded.source, " \
                   "description = excluded.description, purpose = excluded.purpose, " \
                   "legal_basis = excluded.legal_basis RETURNING id") \
    X(DATASET_NEW, "INSERT INTO dataset(name, system, tier, subjects, owner, " \
                   "retention_days, public_sector, source, description, purpose, " \
                   "legal_basis) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)") \
    X(DATASET_DEL, "DELETE FROM dataset WHERE id = ?1") \
    X(DATASET_ID, "SELECT id FROM dataset WHERE name = ?1") \
    X(DATASET_LOAD, "SELECT id, name, system, tier, subjects, owner, retention_days, " \
                    "public_sector, source, description, purpose, legal_basis " \
                    "FROM dataset ORDER BY id") \
    X(FIELD_CLEAR, "DELETE FROM field WHERE dataset = ?1") \
    X(FIELD_PUT, "INSERT INTO field(dataset, pos, name, type, comment) " \
                 "VALUES(?1, ?2, ?3, ?4, ?5)") \
    X(FIELD_LOAD, "SELECT dataset, name, type, comment FROM field ORDER BY dataset, pos") \
    X(TAG_CLEAR, "DELETE FROM tag WHERE dataset = ?1") \
    X(TAG_PUT, "INSERT INTO tag(dataset, pos, field, tag, source, entity, time, expired) " \
               "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)") \
    X(TAG_LOAD, "SELECT dataset, field, tag, source, entity, time, expired FROM tag " \
                "ORDER BY dataset, pos") \
    X(PROP_CLEAR, "DELETE FROM prop WHERE dataset = ?1") \
    X(PROP_PUT, "INSERT INTO prop(dataset, key, value, source, entity, time) " \
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6)") \
    X(PROP_LOAD, "SELECT dataset, key, value, source, entity, time FROM prop " \
                 "ORDER BY dataset, key") \
    X(ASRC_CLEAR, "DELETE FROM attr_source WHERE dataset = ?1") \
    X(ASRC_PUT, "INSERT INTO attr_source(dataset, field, attr, source, entity, time) " \
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6)") \
    X(ASRC_LOAD, "SELECT d.name, a.field, a.attr, a.source, a.entity, a.time " \
                 "FROM attr_source a JOIN dataset d ON d.id = a.dataset " \
                 "ORDER BY a.dataset, a.field, a.attr") \
    X(PLACEMENT_INS, "INSERT INTO placement(dataset, region, role, encrypted, key_region, " \
                     "mechanism, mechanism_ref) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) " \
                     "ON CONFLICT(dataset, region, role) DO UPDATE SET " \
                     "encrypted = excluded.encrypted, key_region = excluded.key_region, " \
                     "mechanism = excluded.mechanism, " \
                     "mechanism_ref = excluded.mechanism_ref RETURNING id") \
    X(PLACEMENT_NEW, "INSERT INTO placement(dataset, region, role, encrypted, key_region, " \
                     "mechanism, mechanism_ref) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)") \
    X(PLACEMENT_UPD, "UPDATE placement SET dataset = ?1, region = ?2, role = ?3, " \
                     "encrypted = ?4, key_region = ?5, mechanism = ?6, mechanism_ref = ?7 " \
                     "WHERE id = ?8") \
    X(PLACEMENT_DEL, "DELETE FROM placement WHERE id = ?1") \
    X(PLACEMENT_PARK, "UPDATE placement SET role = ?2 WHERE id = ?1") \
    X(PLACEMENT_DEL_KEY, "DELETE FROM placement WHERE dataset = ?1 AND region = ?2 " \
                         "AND role = ?3") \
    X(PLACEMENT_LOAD, "SELECT id, dataset, region, role, encrypted, key_region, mechanism, " \
                      "mechanism_ref FROM placement ORDER BY id") \
    X(FLOW_PUT, "INSERT INTO flow(name, from_placement, to_placement, to_region, kind, " \
                "fields, mechanism, mechanism_ref, valid_from, valid_to, " \
                "transit_encrypted, public_recipient) " \
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) " \
                "ON CONFLICT(name) DO UPDATE SET from_placement = excluded.from_placement, " \
                "to_placement = excluded.to_placement, to_region = excluded.to_region, " \
                "kind = excluded.kind, fields = excluded.fields, " \
                "mechanism = excluded.mechanism, mechanism_ref = excluded.mechanism_ref, " \
                "valid_from = excluded.valid_from, valid_to = excluded.valid_to, " \
                "transit_encrypted = excluded.transit_encrypted, " \
                "public_recipient = excluded.public_recipient RETURNING id") \
    X(FLOW_NEW, "INSERT INTO flow(name, from_placement, to_placement, to_region, kind, " \
                "fields, mechanism, mechanism_ref, valid_from, valid_to, " \
                "transit_encrypted, public_recipient) " \
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)") \
    X(FLOW_DEL, "DELETE FROM flow WHERE name = ?1") \
    X(FLOW_LOAD, "SELECT id, name, from_placement, to_placement, to_region, kind, fields, " \
                 "mechanism, mechanism_ref, valid_from, valid_to, transit_encrypted, " \
                 "public_recipient FROM flow ORDER BY id") \
    X(XFORM_CLEAR, "DELETE FROM flow_transform WHERE flow = ?1") \
    X(XFORM_PUT, "INSERT INTO flow_transform(flow, pos, kind, fields) " \
                 "VALUES(?1, ?2, ?3, ?4)") \
    X(XFORM_LOAD, "SELECT flow, kind, fields FROM flow_transform ORDER BY flow, pos") \
    X(WAIVER_PUT, "INSERT INTO waiver(rule, object, owner, reason, expires) " \
                  "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(rule, object) DO UPDATE SET " \
                  "owner = excluded.owner, reason = excluded.reason, " \
                  "expires = excluded.expires") \
    X(WAIVER_DEL, "DELETE FROM waiver WHERE rule = ?1 AND object = ?2") \
    X(WAIVER_LOAD, "SELECT rule, object, owner, reason, expires FROM waiver " \
                   "ORDER BY rowid") \
    X(SCENARIO_PUT, "INSERT INTO scenario(name, base, description) VALUES(?1, ?2, ?3) " \
                    "ON CONFLICT(name) DO UPDATE SET base = excluded.base, " \
                    "description = excluded.description") \
    X(SCENARIO_DEL, "DELETE FROM scenario WHERE name = ?1") \
    X(SCENARIO_LOAD, "SELECT name, base, description FROM scenario ORDER BY rowid") \
    X(SCOP_CLEAR, "DELETE FROM scenario_op WHERE scenario = ?1") \
    X(SCOP_PUT, "INSERT INTO scenario_op(scenario, pos, arg, value) " \
                "VALUES(?1, ?2, ?3, ?4)") \
    X(SCOP_LOAD, "SELECT scenario, pos, value FROM scenario_op " \
                 "ORDER BY scenario, pos, arg") \
    X(COUNT_DATASET, "SELECT coalesce(max(id), 0), 0 FROM dataset") \
    X(COUNT_PLACEMENT, "SELECT coalesce(max(id), 0), 0 FROM placement") \
    X(COUNT_FLOW, "SELECT coalesce(max(id), 0), 0 FROM flow") \
    X(COUNT_FIELD, "SELECT count(*), 0 FROM field") \
    X(COUNT_TAG, "SELECT count(*), 0 FROM tag") \
    X(REF_PUT, "INSERT OR REPLACE INTO temp.region_ref(id, provider, code, name, country, " \
               "city, operator, kind, builtin, members) " \
               "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)") \
    X(REF_DEL, "DELETE FROM temp.region_ref WHERE id = ?1")

enum stmt_id {
#define X(id, sql) S_##id,
    STMTS(X)
#undef X
    S_COUNT
};

/* model id -> rowid, 0 unknown. A load whose rowids have no gaps (the
 * usual case) keeps them as one run instead of an array: ids [lin, lin +
 * nlin) have rowids lin_row, lin_row + 1 ... A row[] entry, once set, wins. */
struct rowmap {
    int64_t *row;
    int32_t cap;
    int32_t lin, nlin;
    int64_t lin_row;
};

struct store {
    sqlite3 *db;
    char *path;
    int flags;
    bool in_tx;
    bool held;                  /* store_lock: a write transaction spans the caller's work */
    bool loaded;                /* store_load ran: dv is the version it read */
    int64_t dv;                 /* PRAGMA data_version as of the last load */
    bool views;
    bool bulk;                  /* store_put_all: the tables were empty */
    bool bulk_modules;          /* store_bulk.c's virtual tables are registered */
    const struct model *bulk_model; /* what they read, during store_put_all only */
    char bulk_cache_sql[48];    /* bounded: "PRAGMA cache_size = " and an int64; the
                                 * cache store_put_all found, set back for the
                                 * index builds and after */
    bool integrity_checked;     /* store_check_integrity passed */
    bool stale;                 /* opened immutable with a non-empty -wal unread */
    char *tmp;                  /* STORE_NEW: the file written until the commit renames it */
    sqlite3_stmt *stmt[S_COUNT];
    struct rowmap drow, prow, frow;
    void (*progress)(void *ctx, int64_t done, int64_t total);
    void *progress_ctx;
    store_snapshot_fn snapshot; /* audit data of edits; NULL: none */
};

/* Defined in one part, used in another. */
void rowmap_fini(struct rowmap *r);
int64_t rowmap_get(const struct rowmap *r, int32_t id);
int rowmap_set(struct rowmap *r, int32_t id, int64_t row);
int rowmap_load(struct rowmap *r, int32_t id, int64_t row, int32_t size);
int reserve_exact(void **p, int32_t *cap, int32_t need, size_t elsize, bool shareable);
void trim(void **p, int32_t *cap, int32_t n, size_t elsize);
int db_error(struct store *st, int rc, struct sm_error *err);
sqlite3_stmt *stmt(struct store *st, enum stmt_id id, struct sm_error *err);
int step_done(struct store *st, sqlite3_stmt *s, struct sm_error *err);
int step_id(struct store *st, sqlite3_stmt *s, int64_t *out, struct sm_error *err);
int step_new(struct store *st, sqlite3_stmt *s, enum stmt_id put, int64_t *row,
             struct sm_error *err);
int exec(struct store *st, const char *sql, struct sm_error *err);
int pragma_int(struct store *st, const char *sql, int64_t *out, struct sm_error *err);
int begin_fresh(struct store *st, struct sm_error *err);
/* Inside an open transaction (the write lock's, or store_begin's): a
 * savepoint for one write, the load snapshot no longer valid within it
 * (and valid again when it is rolled back: nothing was written). */
int write_savepoint(struct store *st, const char *name, struct sm_error *err);
void bind_str(sqlite3_stmt *s, int i, const char *v);
void bind_opt(sqlite3_stmt *s, int i, const char *v);
int  bind_cc(sqlite3_stmt *s, int i, int32_t cc);      /* SQLITE_NOMEM: check it */
void bind_int_opt(sqlite3_stmt *s, int i, int32_t v);
int  bind_date(sqlite3_stmt *s, int i, int32_t d);    /* SQLITE_NOMEM: check it */
const char *col_str(sqlite3_stmt *s, int i);
int32_t col_int_opt(sqlite3_stmt *s, int i);
char *join_strv(const struct sm_strv *v, char sep);
int split_strv(struct model *m, const char *text, char sep, struct sm_strv *out);
int ref_put(struct store *st, const struct model *m, int32_t id, struct sm_error *err);
int make_views(struct store *st, const struct model *m, struct sm_error *err);

/* store_fresh.c: STORE_NEW's temporary file (st->tmp): named, removed
 * (done: its name freed too), renamed over st->path after the commit. */
int store_connect(struct store *st, const char *file, int oflags, struct sm_error *err);
int fresh_name(struct store *st, struct sm_error *err);
void fresh_discard(struct store *st, bool done);
int fresh_publish(struct store *st, struct sm_error *err);

/* store_attr.c: a dataset's fields, tags, properties and attribute sources
 * under its row (fresh: none are stored yet); every attribute source of
 * the model (after the bulk path); do two models' attribute sources of
 * dataset id differ; the attribute sources onto a loaded model. */
int put_children(struct store *st, const struct model *m, int32_t id, int64_t row,
                 bool fresh, struct sm_error *err);
int put_all_asrcs(struct store *st, const struct model *m, struct sm_error *err);
bool asrcs_ne(const struct model *a, const struct model *b, int32_t id);
int load_asrcs(struct store *st, struct model *m, struct sm_error *err);

/* store_bulk.c: store_put_all's fast path. bulk_rows writes the big tables
 * (emptied, rowmaps sized; the caller turns foreign keys off around it);
 * BULK_FALLBACK: a constraint failed: empty them again and write them row
 * by row, with the keys on, which reports it as before. */
#define BULK_FALLBACK (-1)
bool bulk_eligible(const struct model *m);
int bulk_fkeys(struct store *st, bool on);
int bulk_rows(struct store *st, const struct model *m, struct sm_error *err);

/* The tables bulk_rows fills, in the order it fills them. */
enum bulk_table { BT_DATASET, BT_FIELD, BT_TAG, BT_PROP, BT_PLACEMENT, BT_FLOW, BT_XFORM,
                  BT_COUNT };

/* The statement bulk_rows runs for table t on m: a column that every row of
 * m leaves at the catalog's declared default is not named, SQLite puts the
 * default in (the same value) without asking the virtual table. *sql is
 * NULL when m has no rows for t; free it with sqlite3_free. */
int bulk_sql(struct store *st, const struct model *m, enum bulk_table t, char **sql,
             struct sm_error *err);

#endif
