/*
 * store.c - the SQLite catalog (see store.h and doc/catalog.md): open and
 * migrate, load the whole model, write objects, the audit log, metadata,
 * read-only queries over documented views.
 *
 * The only file that includes <sqlite3.h>. Every statement is prepared once
 * (lazily, from the table below) and reset; values are always bound.
 *
 * Stored rows are keyed by natural keys (dataset name, region id, flow name,
 * placement (dataset, region, role) ...). Placements and flows refer to each
 * other by rowid, and the store remembers the rowid of every dataset,
 * placement and flow of the model it loaded or wrote (model id -> rowid), so
 * an edit that moves a copy to another region updates its row in place and
 * the flows through it stay attached.
 */
#include "store.h"
#include "store_int.h"
#include "store_snapshot.h"

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
#include <sys/stat.h>

#include <sqlite3.h>

/* ---- schema and migrations ------------------------------------------------ */

static const char schema_v1[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;\n"
    "CREATE TABLE region(\n"
    "  id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL DEFAULT '',\n"
    "  country TEXT, city TEXT NOT NULL DEFAULT '', operator TEXT,\n"
    "  members TEXT NOT NULL DEFAULT '');\n"
    "CREATE TABLE tier(\n"
    "  name TEXT PRIMARY KEY, rank INTEGER NOT NULL, personal INTEGER NOT NULL,\n"
    "  scope TEXT NOT NULL, backup_scope TEXT NOT NULL, key_scope TEXT NOT NULL,\n"
    "  approved TEXT NOT NULL DEFAULT '', encryption_at_rest INTEGER NOT NULL,\n"
    "  transit_encryption INTEGER NOT NULL, sovereign INTEGER NOT NULL,\n"
    "  retention_min_days INTEGER, retention_max_days INTEGER,\n"
    "  description TEXT NOT NULL DEFAULT '');\n"
    "CREATE TABLE dataset(\n"
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, system TEXT NOT NULL DEFAULT '',\n"
    "  tier TEXT REFERENCES tier(name), subjects TEXT NOT NULL DEFAULT '',\n"
    "  owner TEXT NOT NULL DEFAULT '', retention_days INTEGER,\n"
    "  public_sector INTEGER NOT NULL DEFAULT 0, source TEXT NOT NULL DEFAULT '',\n"
    "  description TEXT NOT NULL DEFAULT '');\n"
    "CREATE INDEX dataset_tier ON dataset(tier);\n"
    "CREATE TABLE field(\n"
    "  dataset INTEGER NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,\n"
    "  pos INTEGER NOT NULL, name TEXT NOT NULL,\n"
    "  PRIMARY KEY(dataset, pos), UNIQUE(dataset, name)) WITHOUT ROWID;\n"
    "CREATE TABLE tag(\n"
    "  dataset INTEGER NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,\n"
    "  pos INTEGER NOT NULL, field TEXT, tag TEXT NOT NULL,\n"
    "  source TEXT NOT NULL DEFAULT '', entity TEXT NOT NULL DEFAULT '',\n"
    "  time TEXT NOT NULL DEFAULT '',\n"
    "  PRIMARY KEY(dataset, pos),\n"
    "  FOREIGN KEY(dataset, field) REFERENCES field(dataset, name) ON DELETE CASCADE\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE placement(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  dataset INTEGER NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,\n"
    "  region TEXT NOT NULL, role TEXT NOT NULL, encrypted INTEGER NOT NULL DEFAULT 0,\n"
    "  key_region TEXT, mechanism TEXT NOT NULL DEFAULT '',\n"
    "  mechanism_ref TEXT NOT NULL DEFAULT '',\n"
    "  UNIQUE(dataset, region, role));\n"
    "CREATE INDEX placement_region ON placement(region);\n"
    "CREATE TABLE flow(\n"
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,\n"
    "  from_placement INTEGER NOT NULL REFERENCES placement(id) ON DELETE CASCADE,\n"
    "  to_placement INTEGER REFERENCES placement(id) ON DELETE CASCADE,\n"
    "  to_region TEXT, kind TEXT NOT NULL, fields TEXT NOT NULL DEFAULT '',\n"
    "  mechanism TEXT NOT NULL DEFAULT '', mechanism_ref TEXT NOT NULL DEFAULT '',\n"
    "  valid_from TEXT, valid_to TEXT, transit_encrypted INTEGER NOT NULL DEFAULT 0,\n"
    "  public_recipient INTEGER NOT NULL DEFAULT 0,\n"
    "  CHECK (to_placement IS NOT NULL OR to_region IS NOT NULL));\n"
    "CREATE INDEX flow_from ON flow(from_placement);\n"
    "CREATE INDEX flow_to ON flow(to_placement);\n"
    "CREATE TABLE flow_transform(\n"
    "  flow INTEGER NOT NULL REFERENCES flow(id) ON DELETE CASCADE,\n"
    "  pos INTEGER NOT NULL, kind TEXT NOT NULL, fields TEXT NOT NULL DEFAULT '',\n"
    "  PRIMARY KEY(flow, pos)) WITHOUT ROWID;\n"
    "CREATE TABLE waiver(\n"
    "  rule TEXT NOT NULL, object TEXT NOT NULL, owner TEXT NOT NULL DEFAULT '',\n"
    "  reason TEXT NOT NULL DEFAULT '', expires TEXT,\n"
    "  PRIMARY KEY(rule, object));\n"
    "CREATE TABLE scenario(\n"
    "  name TEXT PRIMARY KEY, base TEXT NOT NULL DEFAULT '',\n"
    "  description TEXT NOT NULL DEFAULT '');\n"
    "CREATE TABLE scenario_op(\n"
    "  scenario TEXT NOT NULL REFERENCES scenario(name) ON DELETE CASCADE,\n"
    "  pos INTEGER NOT NULL, arg INTEGER NOT NULL, value TEXT NOT NULL,\n"
    "  PRIMARY KEY(scenario, pos, arg)) WITHOUT ROWID;\n"
    "CREATE TABLE audit(\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, actor TEXT NOT NULL,\n"
    "  op TEXT NOT NULL, object TEXT NOT NULL DEFAULT '', before TEXT, after TEXT);\n"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit\n"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;\n"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit\n"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;\n"
    "PRAGMA application_id = 1399813709;\n"
    "PRAGMA user_version = 1;\n";

/* Version 2: each audit entry may hold the snapshots of what it changed
 * (doc/catalog.md, "The audit log"); older entries keep NULL. */
static const char schema_v2[] =
    "ALTER TABLE audit ADD COLUMN data TEXT;\n"
    "PRAGMA user_version = 2;\n";

/* Version 3: a dataset's purpose and GDPR Art. 6(1) legal basis, for the
 * Art. 30 record of processing (export ropa-csv, ropa-md); '' = not given. */
static const char schema_v3[] =
    "ALTER TABLE dataset ADD COLUMN purpose TEXT NOT NULL DEFAULT '';\n"
    "ALTER TABLE dataset ADD COLUMN legal_basis TEXT NOT NULL DEFAULT '';\n"
    "PRAGMA user_version = 3;\n";

/* Version 4: what the catalog tools keep beyond tags: a dataset's
 * properties (Glue table Parameters, Atlas customAttributes and labels, a
 * resource link's target) with their provenance, as for tags; a field's
 * column type and comment ('' = not given). */
static const char schema_v4[] =
    "CREATE TABLE prop(\n"
    "  dataset INTEGER NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,\n"
    "  key TEXT NOT NULL, value TEXT NOT NULL DEFAULT '',\n"
    "  source TEXT NOT NULL DEFAULT '', entity TEXT NOT NULL DEFAULT '',\n"
    "  time TEXT NOT NULL DEFAULT '',\n"
    "  PRIMARY KEY(dataset, key)) WITHOUT ROWID;\n"
    "ALTER TABLE field ADD COLUMN type TEXT NOT NULL DEFAULT '';\n"
    "ALTER TABLE field ADD COLUMN comment TEXT NOT NULL DEFAULT '';\n"
    "PRAGMA user_version = 4;\n";

/* Version 5: the day the classification behind an imported tag expired
 * (Atlas validityPeriods, all ended; doc/import.md), '' = live. */
static const char schema_v5[] =
    "ALTER TABLE tag ADD COLUMN expired TEXT NOT NULL DEFAULT '';\n"
    "PRAGMA user_version = 5;\n";

/* Version 6: which source set each attribute of a dataset (system, owner,
 * description, tier; field '') and of its fields (type, comment): an import
 * (file, entity, time, as for tags) or a person (source ''). An attribute
 * with no row has an unknown source (doc/import.md, Merge rules). */
static const char schema_v6[] =
    "CREATE TABLE attr_source(\n"
    "  dataset INTEGER NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,\n"
    "  field TEXT NOT NULL DEFAULT '', attr TEXT NOT NULL,\n"
    "  source TEXT NOT NULL DEFAULT '', entity TEXT NOT NULL DEFAULT '',\n"
    "  time TEXT NOT NULL DEFAULT '',\n"
    "  PRIMARY KEY(dataset, field, attr)) WITHOUT ROWID;\n"
    "PRAGMA user_version = 6;\n";

/* One step per schema version: the SQL takes version-1 to version. */
static const struct migration {
    int version;
    const char *sql;
} migrations[] = {
    { 1, schema_v1 },
    { 2, schema_v2 },
    { 3, schema_v3 },
    { 4, schema_v4 },
    { 5, schema_v5 },
    { 6, schema_v6 },
};

/* ---- prepared statements --------------------------------------------------- */

static const char *const stmt_sql[S_COUNT] = {
#define X(id, sql) sql,
    STMTS(X)
#undef X
};

/* ---- the store ------------------------------------------------------------- */

void
store_set_snapshot(struct store *st, store_snapshot_fn fn)
{
    st->snapshot = fn;
}

void
store_set_progress(struct store *st, void (*cb)(void *ctx, int64_t done, int64_t total),
                   void *ctx)
{
    st->progress = cb;
    st->progress_ctx = ctx;
}

void
rowmap_fini(struct rowmap *r)
{
    free(r->row);
    memset(r, 0, sizeof *r);
}

int64_t
rowmap_get(const struct rowmap *r, int32_t id)
{
    if (id >= 0 && id < r->cap && r->row[id])
        return r->row[id];
    if (id >= r->lin && id - r->lin < r->nlin)
        return r->lin_row + (id - r->lin);
    return 0;
}

/* Room for ids below need; the first array comes from calloc (kernel zero
 * pages: only the entries set get touched) and covers the run. */
static int
rowmap_room(struct rowmap *r, int32_t need)
{
    if (need <= r->cap)
        return SM_OK;
    if (!r->row) {
        if (need < r->lin + r->nlin)
            need = r->lin + r->nlin;
        if (!(r->row = calloc((size_t)need, sizeof *r->row)))
            return SM_ENOMEM;
        r->cap = need;
        return SM_OK;
    }
    return sm_grow((void **)&r->row, &r->cap, need, sizeof *r->row);
}

int
rowmap_set(struct rowmap *r, int32_t id, int64_t row)
{
    if (id < 0 || rowmap_get(r, id) == row)
        return SM_OK;
    if (rowmap_room(r, id + 1))
        return SM_ENOMEM;
    r->row[id] = row;
    return SM_OK;
}

/* The loader's rowmap_set: ids come in order from an empty map; they stay a
 * run while their rowids do (size: the ids expected, for the array). */
int
rowmap_load(struct rowmap *r, int32_t id, int64_t row, int32_t size)
{
    if (!r->row) {
        if (!r->nlin) {
            r->lin = id;
            r->lin_row = row;
            r->nlin = 1;
            return SM_OK;
        }
        if (id == r->lin + r->nlin && row == r->lin_row + r->nlin) {
            r->nlin++;
            return SM_OK;
        }
        /* a gap: an array from here on */
        if (rowmap_room(r, size > id ? size : id + 1))
            return SM_ENOMEM;
        for (int32_t i = 0; i < r->nlin; i++)
            r->row[r->lin + i] = r->lin_row + i;
        r->nlin = 0;
    }
    if (rowmap_room(r, id + 1))
        return SM_ENOMEM;
    r->row[id] = row;
    return SM_OK;
}

/* Like sm_big_grow, but to exactly need elements (a million-row load must
 * not round up to the next power of two). */
int
reserve_exact(void **p, int32_t *cap, int32_t need, size_t elsize, bool shareable)
{
    void *np;

    if (need <= *cap)
        return SM_OK;
    if (!*p) {
        /* fresh zero pages from the kernel: no memset touching them all
         * before the loader fills them */
        if (!(np = sm_big_alloc((size_t)need * elsize, shareable)))
            return SM_ENOMEM;
        *p = np;
        *cap = need;
        return SM_OK;
    }
    np = sm_big_realloc(*p, (size_t)need * elsize);     /* zeroes the new room */
    if (!np)
        return SM_ENOMEM;
    *p = np;
    *cap = need;
    return SM_OK;
}

/* Give back what a generous reservation did not use. */
void
trim(void **p, int32_t *cap, int32_t n, size_t elsize)
{
    if (!n || *cap - n < 1024)
        return;
    *p = sm_big_trim(*p, (size_t)n * elsize);
    *cap = n;
}

static bool
dir_writable(const char *path)
{
    char *dir = strdup(path), *slash;   /* the path whole: a cut one names another directory */
    bool ok;

    if (!dir)
        return false;
    slash = strrchr(dir, '/');
    if (!slash) {
        free(dir);
        return access(".", W_OK) == 0;
    }
    if (slash == dir)
        slash[1] = '\0';
    else
        *slash = '\0';
    ok = access(dir, W_OK) == 0;
    free(dir);
    return ok;
}

/* An SQLite result code as a sovmap error with a one-line message. */
int
db_error(struct store *st, int rc, struct sm_error *err)
{
    const char *path = st->path ? st->path : "catalog";
    const char *msg = st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
    int sys = st->db ? sqlite3_system_errno(st->db) : 0;

    /* A full disk: SQLITE_FULL, or an I/O error whose system call failed
     * with ENOSPC (growing the -shm file of a WAL catalog gives
     * SQLITE_IOERR_SHMSIZE, "disk I/O error"). The transaction is rolled
     * back, so the catalog is as it was. */
    if ((rc & 0xff) == SQLITE_FULL ||
        (((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_CANTOPEN) &&
         (sys == ENOSPC || sys == EDQUOT)))
        return sm_error_set(err, SM_EIO, "%s: disk full; nothing was written", path);
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return sm_error_set(err, SM_EBUSY, "%s is locked by another sovmap; try again", path);
    case SQLITE_READONLY:
        return sm_error_set(err, SM_EREADONLY, "%s is read-only", path);
    case SQLITE_NOTADB:
        return sm_error_set(err, SM_EDB, "%s is not a sovmap catalog (file is not a database)",
                            path);
    case SQLITE_CORRUPT:
        return sm_error_set(err, SM_EDB, "%s is damaged: %s; " STORE_DAMAGED_HINT, path, msg);
    case SQLITE_CANTOPEN:
        if (access(path, F_OK) == 0 && (access(path, W_OK) || !dir_writable(path)))
            return sm_error_set(err, SM_EREADONLY, "%s is read-only", path);
        if (access(path, F_OK) != 0)
            return sm_error_set(err, SM_EIO, "%s: no such catalog", path);
        return sm_error_set(err, SM_EIO, "%s: cannot open (%s)", path, msg);
    case SQLITE_IOERR:
        if ((rc == SQLITE_IOERR_SHMOPEN || rc == SQLITE_IOERR_WRITE ||
             rc == SQLITE_IOERR_SHMSIZE) && !dir_writable(path))
            return sm_error_set(err, SM_EREADONLY, "%s is read-only", path);
        return sm_error_set(err, SM_EIO, "%s: %s", path, msg);
    case SQLITE_INTERRUPT:
        return sm_error_set(err, SM_ELIMIT, "%s: query interrupted", path);
    case SQLITE_NOMEM:
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", path);
    default:
        return sm_error_set(err, SM_EDB, "%s: %s", path, msg);
    }
}

sqlite3_stmt *
stmt(struct store *st, enum stmt_id id, struct sm_error *err)
{
    int rc;

    if (st->stmt[id]) {
        sqlite3_reset(st->stmt[id]);
        sqlite3_clear_bindings(st->stmt[id]);
        return st->stmt[id];
    }
    rc = sqlite3_prepare_v3(st->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                            &st->stmt[id], NULL);
    if (rc != SQLITE_OK) {
        db_error(st, rc, err);
        return NULL;
    }
    return st->stmt[id];
}

/* Step a statement that returns no rows, then reset it. */
int
step_done(struct store *st, sqlite3_stmt *s, struct sm_error *err)
{
    int rc = sqlite3_step(s);

    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        db_error(st, rc, err);
        sqlite3_reset(s);
        return err ? err->code : SM_EDB;
    }
    sqlite3_reset(s);
    return SM_OK;
}

/* Step a statement with RETURNING id. */
int
step_id(struct store *st, sqlite3_stmt *s, int64_t *out, struct sm_error *err)
{
    int rc = sqlite3_step(s);

    if (rc != SQLITE_ROW) {
        if (rc == SQLITE_DONE)
            rc = SQLITE_INTERNAL;
        db_error(st, rc, err);
        sqlite3_reset(s);
        return err ? err->code : SM_EDB;
    }
    *out = sqlite3_column_int64(s, 0);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        ;
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return db_error(st, rc, err);
    return SM_OK;
}

/* Step a plain INSERT of a bulk write (store_put_all: the tables were
 * empty; no upsert, no RETURNING). A row already there (a model naming an
 * object twice) goes through the upsert `put` with the same values, as a
 * single write would. */
int
step_new(struct store *st, sqlite3_stmt *s, enum stmt_id put, int64_t *row,
         struct sm_error *err)
{
    sqlite3_stmt *u;
    int rc = sqlite3_step(s);

    if (rc == SQLITE_DONE) {
        *row = sqlite3_last_insert_rowid(st->db);
        sqlite3_reset(s);
        return SM_OK;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_CONSTRAINT_UNIQUE)
        return db_error(st, rc, err);
    if (!(u = stmt(st, put, err)))
        return err ? err->code : SM_EDB;
    sqlite3_transfer_bindings(s, u);
    return step_id(st, u, row, err);
}

int
exec(struct store *st, const char *sql, struct sm_error *err)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

    return rc == SQLITE_OK ? SM_OK : db_error(st, rc, err);
}

int
pragma_int(struct store *st, const char *sql, int64_t *out, struct sm_error *err)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);

    if (rc != SQLITE_OK)
        return db_error(st, rc, err);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    else if (rc == SQLITE_DONE)
        *out = 0;
    else {
        db_error(st, rc, err);
        sqlite3_finalize(s);
        return err ? err->code : SM_EDB;
    }
    sqlite3_finalize(s);
    return SM_OK;
}

static int
mkdir_parents(const char *path, struct sm_error *err)
{
    char *buf = strdup(path);   /* the path whole; the system says if it is too long */
    int rc = SM_OK;

    if (!buf)
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
            rc = sm_error_set(err, errno == EACCES || errno == EROFS ? SM_EREADONLY : SM_EIO,
                              "%s: cannot create directory %s: %s", path, buf, strerror(errno));
            break;
        }
        *p = '/';
    }
    free(buf);
    return rc;
}

static int
migrate(struct store *st, int64_t version, struct sm_error *err)
{
    int rc;

    for (size_t i = 0; i < sizeof migrations / sizeof *migrations; i++) {
        if (migrations[i].version <= version)
            continue;
        if ((rc = exec(st, "BEGIN IMMEDIATE", err)))
            return rc;
        if ((rc = exec(st, migrations[i].sql, err))) {
            exec(st, "ROLLBACK", NULL);
            return sm_error_prefix(err, "migrating to schema %d", migrations[i].version);
        }
        if ((rc = exec(st, "COMMIT", err))) {
            exec(st, "ROLLBACK", NULL);
            return rc;
        }
    }
    return SM_OK;
}

static int
busy_ms(void)
{
    const char *env = getenv("SOVMAP_BUSY_TIMEOUT_MS");
    long v;
    char *end;

    if (env && *env) {
        v = strtol(env, &end, 10);
        if (!*end && v >= 0 && v < 600000)
            return (int)v;
    }
    return STORE_BUSY_MS;
}

/* Whether path's -wal file holds anything (committed transactions not yet
 * copied into the catalog file). */
static bool
wal_pending(const char *path)
{
    size_t n = strlen(path) + 8;
    char *wal = malloc(n);
    struct stat sb;
    bool pending;

    if (!wal)
        return true;    /* assume the worst */
    snprintf(wal, n, "%s-wal", path);
    pending = stat(wal, &sb) == 0 && sb.st_size > 0;
    free(wal);
    return pending;
}

/* A WAL catalog read from a directory nobody can write (a read-only CI
 * checkout) cannot get its -shm file. Nobody can be writing it then, so it
 * is opened as immutable -- which reads the catalog file alone: committed
 * transactions still in a non-empty -wal are not seen. Then st->stale says
 * so (store_stale), and the caller tells the user the view may be stale. */
static int
readonly_fallback(struct store *st, struct sm_error *err)
{
    static const char hex[] = "0123456789abcdef";
    int64_t probe = 0;
    char *uri;
    size_t at = 0, n = strlen(st->path);
    int rc;

    if (!pragma_int(st, "PRAGMA user_version", &probe, NULL) || dir_writable(st->path))
        return SM_OK;
    if (!(uri = malloc(3 * n + 32)))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    at += (size_t)sprintf(uri, "file:");
    for (const unsigned char *p = (const unsigned char *)st->path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#' || *p < 0x20) {
            uri[at++] = '%';
            uri[at++] = hex[*p >> 4];
            uri[at++] = hex[*p & 15];
        } else {
            uri[at++] = (char)*p;
        }
    }
    sprintf(uri + at, "?immutable=1");
    st->stale = wal_pending(st->path);
    sqlite3_close_v2(st->db);
    st->db = NULL;
    rc = sqlite3_open_v2(uri, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
                         SQLITE_OPEN_NOMUTEX, NULL);
    free(uri);
    if (rc != SQLITE_OK)
        return db_error(st, rc, err);
    sqlite3_extended_result_codes(st->db, 1);
    return SM_OK;
}

/* Open path read-write once, which migrates it, and close it. */
static int
upgrade(const char *path)
{
    struct store *rw = NULL;
    int rc = store_open(path, 0, &rw, NULL);

    store_close(rw);
    return rc;
}

int
store_check_integrity(struct store *st, struct sm_error *err)
{
    sqlite3_stmt *s = NULL;
    const char *first;
    int rc;

    if (st->integrity_checked)
        return SM_OK;
    rc = sqlite3_prepare_v2(st->db, "PRAGMA quick_check", -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        /* the check itself could not read the file */
        rc = (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB || rc == SQLITE_DONE
             ? sm_error_set(err, SM_EDB, "%s is damaged: %s; " STORE_DAMAGED_HINT, st->path,
                            sqlite3_errmsg(st->db))
             : db_error(st, rc, err);
        sqlite3_finalize(s);
        return rc;
    }
    first = (const char *)sqlite3_column_text(s, 0);
    if (first && strncmp(first, "*** in database ", 16) == 0 && strchr(first, '\n'))
        first = strchr(first, '\n') + 1;   /* "*** in database main ***\nPage 8: ..." */
    if (!first || strcmp(first, "ok") != 0) {
        rc = sm_error_set(err, SM_EDB, "%s is damaged: %s; " STORE_DAMAGED_HINT, st->path,
                          first ? first : "quick_check failed");
        sqlite3_finalize(s);
        return rc;
    }
    sqlite3_finalize(s);
    st->integrity_checked = true;
    return SM_OK;
}

int
store_open(const char *path, int flags, struct store **out, struct sm_error *err)
{
    struct store *st;
    int64_t version = 0, appid = 0, ntables = 0;
    int oflags, rc;

    if (!path || !*path)
        return sm_error_set(err, SM_EUSAGE, "no catalog path");
    st = calloc(1, sizeof *st);
    if (!st || !(st->path = strdup(path))) {
        free(st);
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", path);
    }
    if (flags & STORE_NEW)
        flags = (flags | STORE_CREATE) & ~STORE_READONLY;
    st->flags = flags;
    if ((flags & STORE_CREATE) && !(flags & STORE_READONLY) &&
        (rc = mkdir_parents(path, err)))
        goto fail;
    if ((flags & STORE_NEW) && (rc = fresh_name(st, err)))
        goto fail;
    if (flags & STORE_READONLY)
        oflags = SQLITE_OPEN_READONLY;
    else
        oflags = SQLITE_OPEN_READWRITE | ((flags & STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
    if ((rc = store_connect(st, st->tmp ? st->tmp : path, oflags, err)))
        goto fail;
    if (!(flags & STORE_READONLY) && sqlite3_db_readonly(st->db, "main") == 1) {
        rc = sm_error_set(err, SM_EREADONLY, "%s is read-only", path);
        goto fail;
    }
    if ((flags & STORE_READONLY) && (rc = readonly_fallback(st, err)))
        goto fail;
    if ((rc = exec(st, "PRAGMA foreign_keys = ON", err)) ||
        (rc = pragma_int(st, "PRAGMA user_version", &version, err)) ||
        (rc = pragma_int(st, "PRAGMA application_id", &appid, err)) ||
        (rc = pragma_int(st, "SELECT count(*) FROM sqlite_schema", &ntables, err)))
        goto fail;
    if ((appid && appid != STORE_APP_ID) || (version == 0 && ntables > 0) ||
        (version > 0 && appid != STORE_APP_ID)) {
        rc = sm_error_set(err, SM_EDB, "%s is not a sovmap catalog (it holds other data)",
                          path);
        goto fail;
    }
    if (version > STORE_SCHEMA_VERSION) {
        rc = sm_error_set(err, SM_EVERSION, "%s was written by a newer sovmap (schema %d > %d)",
                          path, (int)version, STORE_SCHEMA_VERSION);
        goto fail;
    }
    if (flags & STORE_READONLY) {
        /* an older catalog that can be written is upgraded first (a moment
         * of read-write), so reading commands keep working after an update */
        if (version > 0 && version < STORE_SCHEMA_VERSION && upgrade(path) == SM_OK)
            version = STORE_SCHEMA_VERSION;
        if (version < STORE_SCHEMA_VERSION) {
            rc = sm_error_set(err, version ? SM_EVERSION : SM_EDB, version ?
                              "%s needs an upgrade; open it once without read-only" :
                              "%s is not a sovmap catalog (empty)", path);
            goto fail;
        }
    } else {
        /* STORE_NEW: a file no one else sees until it is complete
         * (store_fresh.c) needs neither a journal on disk nor syncs */
        if ((rc = exec(st, st->tmp ? "PRAGMA journal_mode = MEMORY" :
                                     "PRAGMA journal_mode = WAL", err)) ||
            (rc = exec(st, st->tmp ? "PRAGMA synchronous = OFF" :
                                     "PRAGMA synchronous = NORMAL", err)) ||
            (rc = migrate(st, version, err)))
            goto fail;
    }
    *out = st;
    return SM_OK;
fail:
    store_close(st);
    return rc;
}

/* Open file for st (the catalog, or STORE_NEW's temporary file). */
int
store_connect(struct store *st, const char *file, int oflags, struct sm_error *err)
{
    int rc = sqlite3_open_v2(file, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);

    if (rc != SQLITE_OK)
        return db_error(st, rc, err);
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, busy_ms());
    return SM_OK;
}

void
store_close(struct store *st)
{
    if (!st)
        return;
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(st->stmt[i]);
    if ((st->in_tx || st->held) && st->db)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close_v2(st->db);
    fresh_discard(st, true);    /* STORE_NEW never committed: nothing was there */
    rowmap_fini(&st->drow);
    rowmap_fini(&st->prow);
    rowmap_fini(&st->frow);
    free(st->path);
    free(st);
}

bool
store_stale(const struct store *st)
{
    return st && st->stale;
}

const char *
store_path(const struct store *st)
{
    return st ? st->path : "";
}

/* ---- transactions and other writers ------------------------------------------ */

/* Another connection (a CLI in another terminal, a nightly import) may have
 * committed since the model was loaded: SQLite's data_version changes then,
 * and never for this connection's own commits. A write on a stale model
 * would put back what the other writer changed, so it is refused
 * (SM_ESTALE) and the caller reloads (doc/catalog.md, "Many writers"). */
static int
check_fresh(struct store *st, struct sm_error *err)
{
    int64_t dv = 0;
    int rc;

    if (!st->loaded)
        return SM_OK;
    if ((rc = pragma_int(st, "PRAGMA data_version", &dv, err)))
        return rc;
    if (dv != st->dv)
        return sm_error_set(err, SM_ESTALE, "%s changed on disk since it was loaded "
                            "(another writer); nothing was written", st->path);
    return SM_OK;
}

/* BEGIN IMMEDIATE on the model as loaded; on a stale model nothing is
 * begun. writes: the transaction is a write, so the load snapshot no
 * longer says the catalog within it; store_lock's is not one itself (its
 * writes come in savepoints, write_savepoint). */
static int
begin_checked(struct store *st, bool writes, struct sm_error *err)
{
    int rc;

    if ((rc = exec(st, "BEGIN IMMEDIATE", err)))
        return rc;
    if ((rc = check_fresh(st, err)) ||
        (writes && snap_invalidate(st->db) &&
         (rc = db_error(st, sqlite3_extended_errcode(st->db), err))))
        exec(st, "ROLLBACK", NULL);
    return rc;
}

int
begin_fresh(struct store *st, struct sm_error *err)
{
    return begin_checked(st, true, err);
}

int
write_savepoint(struct store *st, const char *name, struct sm_error *err)
{
    char sql[64];               /* bounded: a savepoint name of the store's own */
    int rc;

    snprintf(sql, sizeof sql, "SAVEPOINT %s", name);
    if ((rc = exec(st, sql, err)))
        return rc;
    if (snap_invalidate(st->db)) {
        rc = db_error(st, sqlite3_extended_errcode(st->db), err);
        snprintf(sql, sizeof sql, "ROLLBACK TO %s; RELEASE %s", name, name);
        exec(st, sql, NULL);
    }
    return rc;
}

int
store_changed(struct store *st, bool *changed, struct sm_error *err)
{
    int64_t dv = 0;
    int rc;

    *changed = false;
    if (!st->loaded || st->held || st->in_tx)
        return SM_OK;
    if ((rc = pragma_int(st, "PRAGMA data_version", &dv, err)))
        return rc;
    *changed = dv != st->dv;
    return SM_OK;
}

int
store_lock(struct store *st, struct sm_error *err)
{
    int rc;

    if (st->held || st->in_tx)
        return sm_error_set(err, SM_EINVAL, "%s: a transaction is already open", st->path);
    if (st->flags & STORE_READONLY)
        return sm_error_set(err, SM_EREADONLY, "%s is read-only", st->path);
    if (st->tmp)
        return sm_error_set(err, SM_EINVAL, "%s: a new catalog is written in one transaction",
                            st->path);
    if ((rc = begin_checked(st, false, err)))
        return rc;
    st->held = true;
    return SM_OK;
}

int
store_unlock(struct store *st, bool commit, struct sm_error *err)
{
    int rc = SM_OK;

    if (!st || !st->held)
        return SM_OK;
    if (st->in_tx)
        store_rollback(st);
    if (commit && (rc = exec(st, "COMMIT", err))) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        st->held = false;
        return rc;
    }
    if (!commit)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->held = false;
    return rc;
}

bool
store_locked(const struct store *st)
{
    return st && st->held;
}

int
store_begin(struct store *st, struct sm_error *err)
{
    int rc;

    if (st->in_tx)
        return sm_error_set(err, SM_EINVAL, "%s: a transaction is already open", st->path);
    if (st->flags & STORE_READONLY)
        return sm_error_set(err, SM_EREADONLY, "%s is read-only", st->path);
    if ((rc = store_check_integrity(st, err)))
        return rc;
    if ((rc = st->held ? write_savepoint(st, "sm_tx", err) : begin_fresh(st, err)))
        return rc;
    st->in_tx = true;
    return SM_OK;
}

int
store_commit(struct store *st, struct sm_error *err)
{
    int rc;

    if (!st->in_tx)
        return sm_error_set(err, SM_EINVAL, "%s: no transaction is open", st->path);
    if ((rc = exec(st, st->held ? "RELEASE sm_tx" : "COMMIT", err)))
        return rc;      /* still open: the caller rolls back */
    st->in_tx = false;
    /* STORE_NEW: the commit is the rename (a failed one leaves no catalog) */
    return st->tmp && !st->held ? fresh_publish(st, err) : SM_OK;
}

void
store_rollback(struct store *st)
{
    if (!st || !st->in_tx)
        return;
    sqlite3_exec(st->db, st->held ? "ROLLBACK TO sm_tx; RELEASE sm_tx" : "ROLLBACK", NULL,
                 NULL, NULL);
    st->in_tx = false;
}

/* ---- binding helpers ----------------------------------------------------------- */

void
bind_str(sqlite3_stmt *s, int i, const char *v)
{
    sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_STATIC);
}

void
bind_opt(sqlite3_stmt *s, int i, const char *v)     /* "" or NULL -> NULL */
{
    if (v && *v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

/* These two copy their text (SQLITE_TRANSIENT), which can fail: a failed
 * bind leaves the parameter NULL and the step succeeds, so the caller must
 * look at what they return (SQLITE_OK or SQLITE_NOMEM). */
int
bind_cc(sqlite3_stmt *s, int i, int32_t cc)
{
    char buf[3];                        /* bounded: a two-letter country code */

    if (cc == SM_NONE)
        return sqlite3_bind_null(s, i);
    sm_cc_str(cc, buf);
    return sqlite3_bind_text(s, i, buf, 2, SQLITE_TRANSIENT);
}

void
bind_int_opt(sqlite3_stmt *s, int i, int32_t v)
{
    if (v == SM_NONE)
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_int(s, i, v);
}

int
bind_date(sqlite3_stmt *s, int i, int32_t d)
{
    char buf[11];                       /* bounded: YYYY-MM-DD */

    if (!d)
        return sqlite3_bind_null(s, i);
    sm_date_fmt(d, buf);
    return sqlite3_bind_text(s, i, buf, -1, SQLITE_TRANSIENT);
}

const char *
col_str(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);

    return t ? (const char *)t : "";
}

int32_t
col_int_opt(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? SM_NONE : sqlite3_column_int(s, i);
}

/* Join a string list with sep into a heap buffer. */
char *
join_strv(const struct sm_strv *v, char sep)
{
    size_t n = 1, at = 0;
    char *out;

    for (uint32_t i = 0; i < v->n; i++)
        n += strlen(v->v[i]) + 1;
    if (!(out = malloc(n)))
        return NULL;
    for (uint32_t i = 0; i < v->n; i++) {
        size_t k = strlen(v->v[i]);
        if (i)
            out[at++] = sep;
        memcpy(out + at, v->v[i], k);
        at += k;
    }
    out[at] = '\0';
    return out;
}

/* Split text on sep into an arena list (empty items dropped). */
int
split_strv(struct model *m, const char *text, char sep, struct sm_strv *out)
{
    uint32_t n = 0, k = 0;
    const char *p, *start;

    out->n = 0;
    out->v = NULL;
    if (!*text)
        return SM_OK;
    for (p = text; *p; p++)
        n += *p == sep;
    out->v = sm_arena_alloc(&m->arena, (n + 1) * sizeof *out->v);
    if (!out->v)
        return SM_ENOMEM;
    for (p = start = text;; p++) {
        if (*p == sep || !*p) {
            if (p > start && !(out->v[k++] = sm_arena_strndup(&m->arena, start,
                                                              (size_t)(p - start))))
                return SM_ENOMEM;
            if (!*p)
                break;
            start = p + 1;
        }
    }
    out->n = k;
    return SM_OK;
}
