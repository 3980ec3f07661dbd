/*
 * store.h - the SQLite catalog: one file holding one model, its audit log
 * and metadata. The only module that includes <sqlite3.h>.
 *
 * Schema with foreign keys, PRAGMA user_version migrations, WAL, a busy
 * timeout. Load reads the whole model; writes go one transaction per edit
 * (store_apply) or per import (store_begin ... store_put ... store_commit),
 * each with its audit entry in the same transaction.
 *
 * Errors come back as codes with one-line messages:
 *   SM_EBUSY      "catalog.db is locked by another sovmap; try again"
 *   SM_EREADONLY  "catalog.db is read-only"
 *   SM_EVERSION   "catalog.db was written by a newer sovmap (schema 7 > 3)"
 *   SM_EDB        "catalog.db is not a sovmap catalog" / corrupt
 */
#ifndef STORE_H
#define STORE_H

#include <stdbool.h>

#include "model.h"
#include "edit.h"

struct store;

enum store_flags {
    STORE_CREATE   = 1,         /* create the file (and its directory) if missing */
    STORE_READONLY = 2,
    /* write a new catalog whole: the file appears at path (replacing what
     * was there) only when the first transaction commits; until then, or
     * if the process dies, path holds what it held before. For a file no
     * other connection has open (bench/gen). Implies STORE_CREATE. */
    STORE_NEW      = 4,
};

int  store_open(const char *path, int flags, struct store **out, struct sm_error *err);
void store_close(struct store *st);     /* NULL is fine */
const char *store_path(const struct store *st);

/* Load every stored object into m, which should already hold the shipped
 * regions (refdata_load): stored regions are the user's own. */
int store_load(struct store *st, struct model *m, struct sm_error *err);

/* Report progress of long operations (store_load): cb gets rows done and
 * the rows expected (an estimate), every 65536 rows and once at the end.
 * NULL stops it. The callback must not use the store. */
void store_set_progress(struct store *st, void (*cb)(void *ctx, int64_t done, int64_t total),
                        void *ctx);

/* Many writers (doc/catalog.md): the store remembers the catalog's version
 * as of the last store_load. A write (store_begin, store_apply,
 * store_revert, store_lock) on a model that another process changed since
 * writes nothing and fails with SM_ESTALE: reload and apply the change
 * again. No write ever puts back a stale model.
 *
 * store_changed: has another process committed since the load? Cheap (one
 * PRAGMA); false inside a transaction.
 *
 * store_lock: take the write lock (BEGIN IMMEDIATE) for a whole piece of
 * work; a one-shot command takes it before store_load, so the model it
 * changes is the catalog as it is, and no other writer can come between.
 * Until store_unlock, store_begin/commit and store_apply nest inside it;
 * store_unlock commits (or rolls back) everything at once. store_close
 * rolls back a lock still held. */
int  store_changed(struct store *st, bool *changed, struct sm_error *err);
int  store_lock(struct store *st, struct sm_error *err);
int  store_unlock(struct store *st, bool commit, struct sm_error *err);
bool store_locked(const struct store *st);

/* Explicit transactions for bulk writes (imports). Nested begin is an error. */
int  store_begin(struct store *st, struct sm_error *err);
int  store_commit(struct store *st, struct sm_error *err);
void store_rollback(struct store *st);

/* Write one object as it now is in m (a dataset with its fields and tags;
 * a deleted object is removed). Inside store_begin/commit. Builtin regions
 * are never written. Any order works: a copy or flow whose dataset or copies
 * are not stored yet writes them first. Rows are matched to the model by the
 * rowids this store loaded or wrote, so write a model through the store
 * that loaded it (doc/catalog.md). */
int store_put(struct store *st, const struct model *m, enum obj_kind kind,
              int32_t id, struct sm_error *err);
/* Replace the whole stored model by m (import model). Inside begin/commit. */
int store_put_all(struct store *st, const struct model *m, struct sm_error *err);

/* Write only what differs between m and base, which this store loaded (or
 * wrote): m is base changed in memory, e.g. a clone of it with scenario ops
 * applied (model_clone), so objects with an id below base's counts are the
 * same objects and newer ones were added. Rows of objects gone from m are
 * deleted, changed and new objects are written (store_put), the others are
 * not touched: their rows and rowids stay. Inside begin/commit. When m is
 * not such a copy of base (fewer objects, a renamed object, a copy or
 * dataset the store has no row for) it writes all of m (store_put_all) and
 * says so in out->whole. out may be NULL. */
struct store_changes {
    int64_t written;            /* objects written (added or changed) */
    int64_t deleted;            /* rows of objects gone from m deleted */
    bool whole;                 /* fell back to store_put_all */
};
int store_put_changes(struct store *st, const struct model *base, const struct model *m,
                      struct store_changes *out, struct sm_error *err);

/* Append to the audit log (inside a transaction). data: the entry's
 * {"before": PART, "after": PART} snapshots (doc/catalog.md), or NULL.
 * Every audited write also bumps the catalog's persistent change counter
 * (meta "change"). */
int store_audit(struct store *st, const char *op, const char *object,
                const char *before, const char *after, struct sm_error *err);
int store_audit_data(struct store *st, const char *op, const char *object,
                     const char *before, const char *after, const char *data,
                     struct sm_error *err);

/* How store_apply and store_revert snapshot what an edit touched for the
 * audit entry's data (model_json_part: the store itself writes no JSON).
 * Unset, entries of edits get no data and no edit counts as unchanged. */
typedef int (*store_snapshot_fn)(const struct model *m, const struct obj_ref *refs,
                                 int32_t n, char **out, struct sm_error *err);
void store_set_snapshot(struct store *st, store_snapshot_fn fn);
/* The change counter: the number of audited writes since the counter was
 * introduced (0 on an older catalog that had none). Unlike PRAGMA
 * data_version it survives across processes: a saved scenario records it
 * (doc/scenarios.md, staleness). */
int store_change_counter(struct store *st, int64_t *out, struct sm_error *err);

/* Apply one edit to m and the catalog in one transaction with its audit
 * entry. On any failure both m and the catalog are as before. res may be
 * NULL; otherwise the caller finis it (it holds the inverse for undo).
 * With a snapshot hook, an edit that leaves every object it touched as it
 * was writes nothing, no audit entry either, and sets res->unchanged. */
int store_apply(struct store *st, struct model *m, const struct edit *e,
                struct edit_result *res, struct sm_error *err);

/* Undo an edit applied by store_apply (res from it), in one transaction
 * with an "undo: ..." audit entry; on failure m and the catalog are as
 * before. Calling it again redoes the edit. */
int store_revert(struct store *st, struct model *m, struct edit_result *res,
                 struct sm_error *err);

/* Catalog metadata: "rule_pack", "created" ... */
int store_meta_get(struct store *st, const char *key, char *buf, size_t size,
                   struct sm_error *err);     /* SM_ENOTFOUND when unset */
/* The same, whole: *out is a malloc'd copy (free it); NULL on any error. */
int store_meta_dup(struct store *st, const char *key, char **out, struct sm_error *err);
int store_meta_set(struct store *st, const char *key, const char *value,
                   struct sm_error *err);

struct audit_entry {
    int64_t id;
    const char *time;           /* ISO 8601 UTC */
    const char *actor;          /* $USER */
    const char *op;             /* edit_format line, "import atlas ..." */
    const char *object;
    const char *before;
    const char *after;
    const char *data;           /* {"before": PART, "after": PART} or NULL */
};

/* Newest first; limit 0 = all. The callback returns non-zero to stop. */
int store_log(struct store *st, int limit,
              int (*cb)(void *ctx, const struct audit_entry *e), void *ctx,
              struct sm_error *err);
/* The same from entry id `from` down (store_log_from(st, id, 1, ...): that
 * entry, or the newest one before it when it does not exist). */
int store_log_from(struct store *st, int64_t from, int limit,
                   int (*cb)(void *ctx, const struct audit_entry *e), void *ctx,
                   struct sm_error *err);

/* Whether the catalog was opened read-only from a directory nobody can
 * write while its -wal file held transactions it cannot read: what was
 * loaded may miss the last changes. */
bool store_stale(const struct store *st);

/* The advice after "PATH is damaged: ...". */
#define STORE_DAMAGED_HINT \
    "restore from a backup or `sovmap export model-json` what can be read"

/* PRAGMA quick_check, once per store: SM_OK, or SM_EDB "PATH is damaged:
 * FIRST PROBLEM; restore from a backup ...". store_begin, store_apply and
 * store_revert run it before their first write, so a damaged catalog is
 * never written to; cli_open runs it when a load fails, to tell damage
 * from a model error. */
int store_check_integrity(struct store *st, struct sm_error *err);

/* The memory limits of a custom rule's query: the longest value it may
 * make, and the SQLite heap it may take on top of what is in use. */
#define STORE_QUERY_MAX_VALUE (16 << 20)
#define STORE_QUERY_MAX_HEAP  ((long long)200 << 20)

/* Run a read-only SELECT over the documented views (doc/rules.md) with a
 * time limit; one callback per row with column names and text values.
 * A statement that writes, calls a function outside the allowed list or
 * is followed by another statement is refused (SM_EINVAL); one that runs
 * past limit_ms (a timer interrupts it, however long one step takes) or
 * past the memory limits above is stopped (SM_ELIMIT, err->msg "over 2 s"
 * or "over 16 MiB (one value)"). */
int store_query(struct store *st, const char *sql, int limit_ms,
                int (*row)(void *ctx, int ncols, const char *const *names,
                           const char *const *values),
                void *ctx, struct sm_error *err);

#endif
