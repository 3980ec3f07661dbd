/*
 * store_snapshot.h - private to src/store: the loaded model as one binary
 * file beside the catalog (doc/catalog.md, "The load snapshot").
 *
 * SQLite stays the source of truth. The snapshot is a cache of what
 * store_load makes of the tables, kept in the file PATH-snapshot and valid
 * only while the meta key "snapshot" names the file (its random id) and
 * both name the catalog's current change counter, the schema version is
 * the same, the format and the struct layout are this binary's, the
 * shipped regions the load started from are the same, and the checksum of
 * every byte matches. Anything else and store_load reads the tables as
 * before.
 */
#ifndef STORE_SNAPSHOT_H
#define STORE_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "model.h"
#include "store_int.h"     /* struct rowmap */

/* What the snapshot is checked against, read inside the load's transaction. */
struct snap_key {
    uint64_t base;              /* snap_base of the model before the load */
    int64_t change;             /* store_change_counter */
    int64_t schema;             /* PRAGMA user_version */
};

/* The fingerprint of a model about to be loaded: only shipped regions (no
 * other object, no rule pack), or 0 when it holds anything else (then no
 * snapshot is read or written). */
uint64_t snap_base(const struct model *m);

/* SOVMAP_SNAPSHOT is not "0" or "off" (off: neither read nor written). */
bool snap_on(void);

/* Whether snapshots are on (SOVMAP_SNAPSHOT is not "0" or "off") and a model
 * of this size is worth one (SOVMAP_SNAPSHOT_MIN datasets, default 50000). */
bool snap_worth(const struct model *m);

/* Inside the load's read transaction, with the meta key "snapshot" (the
 * change counter it was written at and the file's id) in `mark`: replace
 * the model's content by the snapshot and fill rows[3] (datasets,
 * placements, flows). SM_OK, or SM_ENOTFOUND when there is none, it is
 * stale, another's or damaged (then m and rows are untouched), or
 * SM_ENOMEM. */
int snap_read(sqlite3 *db, const struct snap_key *key, const char *mark, struct model *m,
              struct rowmap *const rows[3]);

/* Inside a write transaction on db: write the snapshot file of m (as
 * loaded) with its key, and set the meta key that names it (dropping a
 * format 4 snapshot's table). SM_OK or an error (roll back; the file is
 * then named by no key). */
int snap_write(sqlite3 *db, const struct snap_key *key, const struct model *m,
               const struct rowmap *const rows[3]);

/* Inside every write transaction of the store, before it writes: the
 * snapshot is no longer valid (drops the meta key; the file stays until the
 * next snapshot replaces it). */
int snap_invalidate(sqlite3 *db);

#endif
