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

#include "store_snapshot.h"

#define STORE_SCHEMA_VERSION 2
#define STORE_APP_ID 0x536f764d     /* "SovM" */
#define STORE_BUSY_MS 5000

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

/* One step per schema version: the SQL takes version-1 to version. */
static const struct migration {
    int version;
    const char *sql;
} migrations[] = {
    { 1, schema_v1 },
    { 2, schema_v2 },
};

/* ---- prepared statements --------------------------------------------------- */

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
                   "retention_days, public_sector, source, description) " \
                   "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(name) DO UPDATE " \
                   "SET system = excluded.system, tier = excluded.tier, " \
                   "subjects = excluded.subjects, owner = excluded.owner, " \
                   "retention_days = excluded.retention_days, " \
                   "public_sector = excluded.public_sector, source = excluded.source, " \
                   "description = excluded.description RETURNING id") \
    X(DATASET_NEW, "INSERT INTO dataset(name, system, tier, subjects, owner, " \
                   "retention_days, public_sector, source, description) " \
                   "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)") \
    X(DATASET_DEL, "DELETE FROM dataset WHERE id = ?1") \
    X(DATASET_ID, "SELECT id FROM dataset WHERE name = ?1") \
    X(DATASET_LOAD, "SELECT id, name, system, tier, subjects, owner, retention_days, " \
                    "public_sector, source, description FROM dataset ORDER BY id") \
    X(FIELD_CLEAR, "DELETE FROM field WHERE dataset = ?1") \
    X(FIELD_PUT, "INSERT INTO field(dataset, pos, name) VALUES(?1, ?2, ?3)") \
    X(FIELD_LOAD, "SELECT dataset, name FROM field ORDER BY dataset, pos") \
    X(TAG_CLEAR, "DELETE FROM tag WHERE dataset = ?1") \
    X(TAG_PUT, "INSERT INTO tag(dataset, pos, field, tag, source, entity, time) " \
               "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)") \
    X(TAG_LOAD, "SELECT dataset, field, tag, source, entity, time FROM tag " \
                "ORDER BY dataset, pos") \
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

static const char *const stmt_sql[S_COUNT] = {
#define X(id, sql) sql,
    STMTS(X)
#undef X
};

/* The read-only views for custom rules (doc/catalog.md). TEMP, because they
 * join the builtin regions, which live in the model, not in the catalog. */
static const char views_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS region_ref(\n"
    "  id TEXT PRIMARY KEY, provider TEXT, code TEXT, name TEXT, country TEXT,\n"
    "  city TEXT, operator TEXT, kind TEXT, builtin INTEGER, members TEXT);\n"
    "CREATE TEMP VIEW IF NOT EXISTS v_region AS\n"
    "  SELECT id, provider, code, name, country, city, operator, kind, builtin, members\n"
    "  FROM temp.region_ref;\n"
    "CREATE TEMP VIEW IF NOT EXISTS v_tier AS\n"
    "  SELECT name, rank, personal, scope, backup_scope, key_scope, approved,\n"
    "         encryption_at_rest, transit_encryption, sovereign, retention_min_days,\n"
    "         retention_max_days, description FROM main.tier;\n"
    "CREATE TEMP VIEW IF NOT EXISTS v_dataset AS\n"
    "  SELECT d.name, d.system, d.tier, t.rank AS tier_rank, t.personal AS tier_personal,\n"
    "         d.subjects, d.owner, d.retention_days, d.public_sector, d.source,\n"
    "         d.description,\n"
    "         (SELECT count(*) FROM main.field f WHERE f.dataset = d.id) AS fields,\n"
    "         (SELECT count(*) FROM main.placement p WHERE p.dataset = d.id) AS copies\n"
    "  FROM main.dataset d LEFT JOIN main.tier t ON t.name = d.tier;\n"
    "CREATE TEMP VIEW IF NOT EXISTS v_field AS\n"
    "  SELECT d.name AS dataset, f.pos, f.name AS field FROM main.field f\n"
    "  JOIN main.dataset d ON d.id = f.dataset;\n"
    "CREATE TEMP VIEW IF NOT EXISTS v_tag AS\n"
    "  SELECT d.name AS dataset, t.field, t.tag, t.source, t.entity, t.time\n"
    "  FROM main.tag t JOIN main.dataset d ON d.id = t.dataset;\n"
    "CREATE TEMP VIEW IF NOT EXISTS v_placement AS\n"
    "  SELECT d.name AS dataset, p.region, r.country, r.operator, r.kind AS region_kind,\n"
    "         r.provider, p.role, p.encrypted, p.key_region, k.country AS key_country,\n"
    "         p.mechanism, p.mechanism_ref, d.tier, d.subjects, d.system\n"
    "  FROM main.placement p JOIN main.dataset d ON d.id = p.dataset\n"
    "  LEFT JOIN temp.region_ref r ON r.id = p.region\n"
    "  LEFT JOIN temp.region_ref k ON k.id = p.key_region;\n"
    "CREATE TEMP VIEW IF NOT EXISTS v_flow AS\n"
    "  SELECT f.name, fd.name AS from_dataset, fp.region AS from_region,\n"
    "         fp.role AS from_role, fr.country AS from_country,\n"
    "         td.name AS to_dataset, coalesce(tp.region, f.to_region) AS to_region,\n"
    "         tp.role AS to_role, tr.country AS to_country, f.kind, f.fields,\n"
    "         (SELECT group_concat(x, '; ') FROM (SELECT t.kind ||\n"
    "                 CASE WHEN t.fields <> '' THEN ' ' || t.fields ELSE '' END AS x\n"
    "                 FROM main.flow_transform t WHERE t.flow = f.id ORDER BY t.pos))\n"
    "           AS transforms,\n"
    "         f.mechanism, f.mechanism_ref, f.valid_from, f.valid_to,\n"
    "         f.transit_encrypted, f.public_recipient\n"
    "  FROM main.flow f\n"
    "  JOIN main.placement fp ON fp.id = f.from_placement\n"
    "  JOIN main.dataset fd ON fd.id = fp.dataset\n"
    "  LEFT JOIN main.placement tp ON tp.id = f.to_placement\n"
    "  LEFT JOIN main.dataset td ON td.id = tp.dataset\n"
    "  LEFT JOIN temp.region_ref fr ON fr.id = fp.region\n"
    "  LEFT JOIN temp.region_ref tr ON tr.id = coalesce(tp.region, f.to_region);\n"
    "CREATE TEMP VIEW IF NOT EXISTS v_waiver AS\n"
    "  SELECT rule, object, owner, reason, expires FROM main.waiver;\n";

/* ---- the store ------------------------------------------------------------- */

/* struct rowmap (model id -> rowid): store_snapshot.h */

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
    bool integrity_checked;     /* store_check_integrity passed */
    bool stale;                 /* opened immutable with a non-empty -wal unread */
    sqlite3_stmt *stmt[S_COUNT];
    struct rowmap drow, prow, frow;
    void (*progress)(void *ctx, int64_t done, int64_t total);
    void *progress_ctx;
    store_snapshot_fn snapshot; /* audit data of edits; NULL: none */
};

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

static void
rowmap_fini(struct rowmap *r)
{
    free(r->row);
    memset(r, 0, sizeof *r);
}

static int64_t
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

static int
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
static int
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

/* Ask for transparent huge pages on a big array: a million-row model is
 * touched at random (name maps) and page faults and TLB misses dominate.
 * A hint only; harmless where unsupported. */
static void
hugepages(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    uintptr_t lo = ((uintptr_t)p + ((uintptr_t)1 << 21) - 1) & ~(((uintptr_t)1 << 21) - 1);
    uintptr_t hi = ((uintptr_t)p + n) & ~(((uintptr_t)1 << 21) - 1);

    if (p && hi > lo)
        madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)p;
    (void)n;
#endif
}

/* Like sm_grow, but to exactly need elements (a million-row load must not
 * round up to the next power of two). */
static int
reserve_exact(void **p, int32_t *cap, int32_t need, size_t elsize)
{
    void *np;

    if (need <= *cap)
        return SM_OK;
    if (!*p) {
        /* fresh zero pages from the kernel: no memset touching them all
         * before the loader fills them */
        if (!(np = calloc((size_t)need, elsize)))
            return SM_ENOMEM;
        hugepages(np, (size_t)need * elsize);
        *p = np;
        *cap = need;
        return SM_OK;
    }
    np = realloc(*p, (size_t)need * elsize);
    if (!np)
        return SM_ENOMEM;
    hugepages(np, (size_t)need * elsize);
    memset((char *)np + (size_t)*cap * elsize, 0, (size_t)(need - *cap) * elsize);
    *p = np;
    *cap = need;
    return SM_OK;
}

/* Give back what a generous reservation did not use. */
static void
trim(void **p, int32_t *cap, int32_t n, size_t elsize)
{
    void *np;

    if (!n || *cap - n < 1024)
        return;
    np = realloc(*p, (size_t)n * elsize);
    if (np) {
        *p = np;
        *cap = n;
    }
}

static bool
dir_writable(const char *path)
{
    char dir[PATH_MAX], *slash;

    sm_strlcpy(dir, path, sizeof dir);
    slash = strrchr(dir, '/');
    if (!slash)
        return access(".", W_OK) == 0;
    if (slash == dir)
        slash[1] = '\0';
    else
        *slash = '\0';
    return access(dir, W_OK) == 0;
}

/* An SQLite result code as a sovmap error with a one-line message. */
static int
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
    default:
        return sm_error_set(err, SM_EDB, "%s: %s", path, msg);
    }
}

static sqlite3_stmt *
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
static int
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
static int
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
static int
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

static int
exec(struct store *st, const char *sql, struct sm_error *err)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

    return rc == SQLITE_OK ? SM_OK : db_error(st, rc, err);
}

static int
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
    char buf[PATH_MAX];

    if (sm_strlcpy(buf, path, sizeof buf) >= sizeof buf)
        return sm_error_set(err, SM_EIO, "%s: path too long", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return sm_error_set(err, errno == EACCES || errno == EROFS ? SM_EREADONLY : SM_EIO,
                                "%s: cannot create directory %s: %s", path, buf,
                                strerror(errno));
        *p = '/';
    }
    return SM_OK;
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
    st->flags = flags;
    if ((flags & STORE_CREATE) && !(flags & STORE_READONLY) &&
        (rc = mkdir_parents(path, err)))
        goto fail;
    if (flags & STORE_READONLY)
        oflags = SQLITE_OPEN_READONLY;
    else
        oflags = SQLITE_OPEN_READWRITE | ((flags & STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
    rc = sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        rc = db_error(st, rc, err);
        goto fail;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, busy_ms());
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
        if ((rc = exec(st, "PRAGMA journal_mode = WAL", err)) ||
            (rc = exec(st, "PRAGMA synchronous = NORMAL", err)) ||
            (rc = migrate(st, version, err)))
            goto fail;
    }
    *out = st;
    return SM_OK;
fail:
    store_close(st);
    return rc;
}

void
store_close(struct store *st)
{
    if (!st)
        return;
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(st->stmt[i]);
    if (st->in_tx || st->held)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close_v2(st->db);
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

/* BEGIN IMMEDIATE on the model as loaded; on a stale model nothing is begun. */
static int
begin_fresh(struct store *st, struct sm_error *err)
{
    int rc;

    if ((rc = exec(st, "BEGIN IMMEDIATE", err)))
        return rc;
    if ((rc = check_fresh(st, err)) ||
        /* whatever is written now, the load snapshot no longer says it */
        (snap_invalidate(st->db) && (rc = db_error(st, sqlite3_extended_errcode(st->db), err))))
        exec(st, "ROLLBACK", NULL);
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
    if ((rc = begin_fresh(st, err)))
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
    if ((rc = st->held ? exec(st, "SAVEPOINT sm_tx", err) : begin_fresh(st, err)))
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
    return SM_OK;
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

static void
bind_str(sqlite3_stmt *s, int i, const char *v)
{
    sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_STATIC);
}

static void
bind_opt(sqlite3_stmt *s, int i, const char *v)     /* "" or NULL -> NULL */
{
    if (v && *v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static void
bind_cc(sqlite3_stmt *s, int i, int32_t cc)
{
    char buf[3];

    if (cc == SM_NONE) {
        sqlite3_bind_null(s, i);
        return;
    }
    sm_cc_str(cc, buf);
    sqlite3_bind_text(s, i, buf, 2, SQLITE_TRANSIENT);
}

static void
bind_int_opt(sqlite3_stmt *s, int i, int32_t v)
{
    if (v == SM_NONE)
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_int(s, i, v);
}

static void
bind_date(sqlite3_stmt *s, int i, int32_t d)
{
    char buf[11];

    if (!d) {
        sqlite3_bind_null(s, i);
        return;
    }
    sm_date_fmt(d, buf);
    sqlite3_bind_text(s, i, buf, -1, SQLITE_TRANSIENT);
}

static const char *
col_str(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);

    return t ? (const char *)t : "";
}

static int32_t
col_int_opt(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? SM_NONE : sqlite3_column_int(s, i);
}

/* Join a string list with sep into a heap buffer. */
static char *
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
static int
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

/* ---- writing objects ------------------------------------------------------------- */

static int
ref_put(struct store *st, const struct model *m, int32_t id, struct sm_error *err)
{
    const struct region *r = &m->regions[id];
    sqlite3_stmt *s;
    char members[4096];

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
    model_get(m, OBJ_REGION, id, "members", members, sizeof members);
    bind_str(s, 1, r->id);
    bind_str(s, 2, r->provider);
    bind_str(s, 3, r->code);
    bind_str(s, 4, r->name);
    bind_cc(s, 5, r->country);
    bind_str(s, 6, r->city);
    bind_cc(s, 7, r->operator_home);
    bind_str(s, 8, region_kind_names[r->kind]);
    sqlite3_bind_int(s, 9, r->builtin);
    bind_str(s, 10, members);
    return step_done(st, s, err);
}

static int
put_region(struct store *st, const struct model *m, int32_t id, struct sm_error *err)
{
    const struct region *r = &m->regions[id];
    char members[4096];
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
        model_get(m, OBJ_REGION, id, "members", members, sizeof members);
        bind_str(s, 1, r->id);
        bind_str(s, 2, region_kind_names[r->kind]);
        bind_str(s, 3, r->name);
        bind_cc(s, 4, r->country);
        bind_str(s, 5, r->city);
        bind_cc(s, 6, r->operator_home);
        bind_str(s, 7, members);
    }
    if ((rc = step_done(st, s, err)))
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
put_fields_tags(struct store *st, const struct model *m, int32_t id, int64_t row,
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
    }
    for (int32_t f = d->first_field; f != SM_NONE; f = m->fields[f].next) {
        if (!(s = stmt(st, S_FIELD_PUT, err)))
            return err ? err->code : SM_EDB;
        sqlite3_bind_int64(s, 1, row);
        sqlite3_bind_int(s, 2, pos++);
        bind_str(s, 3, m->fields[f].name);
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
        if ((rc = step_done(st, s, err)))
            return rc;
    }
    return SM_OK;
}

static int
put_dataset(struct store *st, const struct model *m, int32_t id, bool fresh,
            struct sm_error *err)
{
    const struct dataset *d = &m->datasets[id];
    char subjects[MODEL_MAX_SUBJECTS * 3 + 1];
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
    if ((rc = st->bulk ? step_new(st, s, S_DATASET_PUT, &row, err) : step_id(st, s, &row, err)))
        return rc;
    if (rowmap_set(&st->drow, id, row))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    return put_fields_tags(st, m, id, row, fresh, err);
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
    bind_date(s, 9, f->valid_from);
    bind_date(s, 10, f->valid_to);
    sqlite3_bind_int(s, 11, f->transit_encrypted);
    sqlite3_bind_int(s, 12, f->public_recipient);
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
    bind_date(s, 5, w->expires);
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
    static const char clear_sql[] =
        "DELETE FROM flow_transform; DELETE FROM flow; DELETE FROM tag; DELETE FROM field;"
        "DELETE FROM placement; DELETE FROM dataset; DELETE FROM tier; DELETE FROM region;"
        "DELETE FROM waiver; DELETE FROM scenario_op; DELETE FROM scenario;";
    int rc;

    /* the tables are empty now: their plain indexes are built at the end */
    if ((rc = exec(st, clear_sql, err)) || (rc = exec(st, plain_index_drop, err)))
        return rc;
    rowmap_fini(&st->drow);
    rowmap_fini(&st->prow);
    rowmap_fini(&st->frow);
    if (sm_grow((void **)&st->drow.row, &st->drow.cap, m->ndatasets, sizeof (int64_t)) ||
        sm_grow((void **)&st->prow.row, &st->prow.cap, m->nplacements, sizeof (int64_t)) ||
        sm_grow((void **)&st->frow.row, &st->frow.cap, m->nflows, sizeof (int64_t)))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    for (int32_t i = 0; i < m->nregions; i++)
        if (!m->regions[i].deleted && (rc = put_region(st, m, i, err)))
            return rc;
    for (int32_t i = 0; i < m->ntiers; i++)
        if (!m->tiers[i].deleted && (rc = put_tier(st, m, i, err)))
            return rc;
    for (int32_t i = 0; i < m->ndatasets; i++)
        if (!m->datasets[i].deleted && (rc = put_dataset(st, m, i, true, err)))
            return rc;
    for (int32_t i = 0; i < m->nplacements; i++)
        if (!m->placements[i].deleted && (rc = put_placement(st, m, i, err)))
            return rc;
    for (int32_t i = 0; i < m->nflows; i++)
        if (!m->flows[i].deleted && (rc = put_flow(st, m, i, err)))
            return rc;
    for (int32_t i = 0; i < m->nwaivers; i++)
        if (!m->waivers[i].deleted && (rc = put_waiver(st, m, i, err)))
            return rc;
    for (int32_t i = 0; i < m->nscenarios; i++)
        if (!m->scenarios[i].deleted && (rc = put_scenario(st, m, i, err)))
            return rc;
    if ((rc = exec(st, plain_index_make, err)))
        return rc;
    return store_meta_set(st, "rule_pack", m->rule_pack ? m->rule_pack : "", err);
}

/* The page cache of a bulk write (KiB; default 2 MB): the pages being
 * filled stay in memory instead of going to the WAL again and again as the
 * cache fills (1M datasets: 6.5 -> 2.9 s system time). Set back afterwards;
 * the pages are written at commit, durability is the same. */
#define BULK_CACHE_KIB 65536

static int make_views(struct store *st, const struct model *m, struct sm_error *err);

int
store_put_all(struct store *st, const struct model *m, struct sm_error *err)
{
    char sql[64];
    int64_t cache = 0;
    int rc;

    if (st->flags & STORE_READONLY)
        return sm_error_set(err, SM_EREADONLY, "%s is read-only", st->path);
    if ((rc = pragma_int(st, "PRAGMA cache_size", &cache, err)))
        return rc;
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
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", (long long)cache);
    exec(st, sql, NULL);
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

/* A region id of model m ("" for SM_NONE). */
static const char *
region_name(const struct model *m, int32_t r)
{
    return r == SM_NONE ? "" : m->regions[r].id;
}

static const char *
tier_name(const struct model *m, int32_t t)
{
    return t == SM_NONE ? "" : m->tiers[t].name;
}

static bool
region_ne(const struct model *a, const struct model *b, int32_t id)
{
    const struct region *x = &a->regions[id], *y = &b->regions[id];
    char mx[4096], my[4096];

    if (x->kind != y->kind || x->country != y->country || x->operator_home != y->operator_home ||
        str_ne(x->name, y->name) || str_ne(x->city, y->city))
        return true;
    model_get(a, OBJ_REGION, id, "members", mx, sizeof mx);
    model_get(b, OBJ_REGION, id, "members", my, sizeof my);
    return strcmp(mx, my) != 0;
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
        str_ne(tier_name(a, x->tier), tier_name(b, y->tier)) || str_ne(x->system, y->system) ||
        str_ne(x->owner, y->owner) || str_ne(x->source_ref, y->source_ref) ||
        str_ne(x->description, y->description))
        return true;
    for (f = x->first_field, g = y->first_field; f != SM_NONE && g != SM_NONE;
         f = a->fields[f].next, g = b->fields[g].next)
        if (str_ne(a->fields[f].name, b->fields[g].name))
            return true;
    if (f != g)
        return true;
    for (f = x->first_tag, g = y->first_tag; f != SM_NONE && g != SM_NONE;
         f = a->tags[f].next, g = b->tags[g].next) {
        const struct tag *s = &a->tags[f], *t = &b->tags[g];
        if ((s->field == SM_NONE) != (t->field == SM_NONE) ||
            (s->field != SM_NONE && str_ne(a->fields[s->field].name, b->fields[t->field].name)) ||
            str_ne(s->tag, t->tag) || str_ne(s->source, t->source) ||
            str_ne(s->entity, t->entity) || str_ne(s->time, t->time))
            return true;
    }
    return f != g;
}

/* The stored key (dataset, region, role) of a copy changed? */
static bool
placement_key_ne(const struct model *a, const struct model *b, int32_t id)
{
    const struct placement *x = &a->placements[id], *y = &b->placements[id];

    return x->dataset != y->dataset || x->role != y->role ||
           str_ne(region_name(a, x->region), region_name(b, y->region));
}

static bool
placement_ne(const struct model *a, const struct model *b, int32_t id)
{
    const struct placement *x = &a->placements[id], *y = &b->placements[id];

    return placement_key_ne(a, b, id) || x->encrypted != y->encrypted ||
           x->mechanism != y->mechanism || str_ne(x->mechanism_ref, y->mechanism_ref) ||
           str_ne(region_name(a, x->key_region), region_name(b, y->key_region));
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
        (x->to == SM_NONE && str_ne(region_name(a, x->to_region), region_name(b, y->to_region))))
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
    char role[32];
    sqlite3_stmt *s;

    if (!(s = stmt(st, S_PLACEMENT_PARK, err)))
        return err ? err->code : SM_EDB;
    snprintf(role, sizeof role, "~%lld", (long long)row);
    sqlite3_bind_int64(s, 1, row);
    sqlite3_bind_text(s, 2, role, -1, SQLITE_TRANSIENT);
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

/* ---- loading ------------------------------------------------------------------------ */

/* rowid -> model id for the rows loaded in rowid order: the store's own
 * model id -> rowid map is ascending from `base` (the first id loaded). */
struct idx {
    const struct rowmap *map;
    int32_t base, n;
    int32_t hint;               /* last position found */
};

/* The rowid of the k-th object loaded. */
static int64_t
idx_row(const struct idx *x, int32_t k)
{
    return rowmap_get(x->map, x->base + k);
}

static int32_t
idx_find(struct idx *x, int64_t row)
{
    const struct rowmap *r = x->map;
    int32_t lo = 0, hi = x->n - 1;
    int64_t first;

    if (!x->n)
        return SM_NONE;
    /* all of them one run (no gaps): the position is the offset */
    if (!r->row && r->lin == x->base && r->nlin == x->n)
        return row >= r->lin_row && row - r->lin_row < x->n
               ? x->base + (int32_t)(row - r->lin_row) : SM_NONE;
    first = idx_row(x, 0);
    if (row >= first && row - first < x->n && idx_row(x, (int32_t)(row - first)) == row)
        return x->base + (int32_t)(row - first);
    /* rows mostly refer to recent ones: look near the last hit first */
    for (int32_t k = x->hint; k < x->hint + 4 && k < x->n; k++)
        if (idx_row(x, k) == row) {
            x->hint = k;
            return x->base + k;
        }

    while (lo <= hi) {
        int32_t mid = lo + (hi - lo) / 2;
        int64_t at = idx_row(x, mid);
        if (at == row) {
            x->hint = mid;
            return x->base + mid;
        }
        if (at < row)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return SM_NONE;
}

/* Most text columns of a big catalog repeat a few values (systems, owners,
 * field names, tags and their provenance, mechanisms, flow fields): the
 * loader copies each distinct short value into the model's arena once,
 * checks its UTF-8 once, and shares the copy between objects. That is safe
 * because model strings are const, never written in place and never freed
 * one by one (the arena goes as a whole; model_clone copies every string).
 * The table stops taking new values when full: later ones are copied. */
#define INTERN_LEN  64          /* longer values are copied */
#define INTERN_CAP  8192        /* slots, a power of two; filled to 3/4 */

enum { EN_ROLE, EN_MECH, EN_FLOW_KIND, EN_XFORM, EN_COUNT };

struct intern_slot {
    const char *s;              /* in the model's arena */
    uint32_t hash;
    uint16_t len;
    uint8_t valid;              /* valid UTF-8 */
    int8_t en[EN_COUNT];        /* the value as an enum of each kind, or UNSET */
    int32_t region;             /* the region of that id, or UNSET */
};

#define UNSET (-2)

struct intern {
    struct intern_slot *slots;
    uint32_t n;
};

static uint32_t
intern_hash(const char *t, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;

    for (; len >= 8; t += 8, len -= 8) {
        memcpy(&w, t, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    w = 0;
    for (size_t i = 0; i < len; i++)
        w |= (uint64_t)(unsigned char)t[i] << (8 * i);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
    return (uint32_t)(h ^ (h >> 29));
}

struct loader {
    struct store *st;
    struct model *m;
    struct sm_error *err;
    struct idx ds, pl;
    int64_t done, total;        /* rows, for the progress callback */
    struct intern in;
    int32_t named_ds, named_fl; /* objects up to these ids are in the name maps */
};

/* The model's copy of the len bytes at t in *out (NULL when out of memory);
 * *valid tells whether it is UTF-8 (model_add_* refuse it otherwise).
 * Returns its slot, where facts about the value are cached, or NULL for ""
 * and values the table does not keep. */
static struct intern_slot *
intern_slot(struct loader *L, const char *t, size_t len, const char **out, bool *valid)
{
    struct intern_slot *sl;
    uint32_t h, i;
    char *p;

    if (!len) {
        *valid = true;
        *out = model_str(L->m, "");
        return NULL;
    }
    if (len > INTERN_LEN || !L->in.slots) {
        p = sm_arena_strndup(&L->m->arena, t, len);
        *valid = p && sm_utf8_invalid(p) < 0;
        *out = p;
        return NULL;
    }
    h = intern_hash(t, len);
    for (i = h & (INTERN_CAP - 1); (sl = &L->in.slots[i])->s; i = (i + 1) & (INTERN_CAP - 1))
        if (sl->hash == h && sl->len == len && memcmp(sl->s, t, len) == 0) {
            *valid = sl->valid;
            *out = sl->s;
            return sl;
        }
    *out = p = sm_arena_strndup(&L->m->arena, t, len);
    if (!p)
        return NULL;
    *valid = sm_utf8_invalid(p) < 0;
    if (L->in.n >= INTERN_CAP / 4 * 3)
        return NULL;
    sl->s = p;
    sl->hash = h;
    sl->len = (uint16_t)len;
    sl->valid = *valid;
    memset(sl->en, UNSET, sizeof sl->en);
    sl->region = UNSET;
    L->in.n++;
    return sl;
}

static const char *
intern_n(struct loader *L, const char *t, size_t len, bool *valid)
{
    const char *out;

    intern_slot(L, t, len, &out, valid);
    return out;
}

/* model_enum_parse, remembered per distinct value. */
static int
enum_cached(struct loader *L, int which, const char *const *table, int n, const char *s)
{
    struct intern_slot *sl;
    const char *p;
    bool ok;

    sl = intern_slot(L, s, strlen(s), &p, &ok);
    if (sl && sl->en[which] != UNSET)
        return sl->en[which];
    n = model_enum_parse(table, n, s);
    if (sl)
        sl->en[which] = (int8_t)n;
    return n;
}

static const char *
intern(struct loader *L, const char *t, bool *valid)
{
    return intern_n(L, t, strlen(t), valid);
}

/* split_strv with shared copies of the items. */
static int
split_interned(struct loader *L, const char *text, char sep, struct sm_strv *out)
{
    uint32_t n = 0, k = 0;
    const char *p, *start;
    bool ok;

    out->n = 0;
    out->v = NULL;
    if (!*text)
        return SM_OK;
    for (p = text; *p; p++)
        n += *p == sep;
    out->v = sm_arena_alloc(&L->m->arena, (n + 1) * sizeof *out->v);
    if (!out->v)
        return SM_ENOMEM;
    for (p = start = text;; p++) {
        if (*p == sep || !*p) {
            if (p > start && !(out->v[k++] = intern_n(L, start, (size_t)(p - start), &ok)))
                return SM_ENOMEM;
            if (!*p)
                break;
            start = p + 1;
        }
    }
    out->n = k;
    return SM_OK;
}

/* Put the datasets and flows appended so far into the name maps (before
 * anything may look a name up). */
static int
index_names(struct loader *L)
{
    if (model_index_names(L->m, OBJ_DATASET, L->named_ds) ||
        model_index_names(L->m, OBJ_FLOW, L->named_fl))
        return sm_error_set(L->err, SM_ENOMEM, "out of memory");
    L->named_ds = L->m->ndatasets;
    L->named_fl = L->m->nflows;
    return SM_OK;
}

static void
tick(struct loader *L)
{
    if (L->st->progress && !(++L->done & 0xffff))
        L->st->progress(L->st->progress_ctx, L->done, L->total);
}

static int
bad_row(struct loader *L, const char *table, const char *what)
{
    return sm_error_set(L->err, SM_EDB, "%s: table %s: %s", L->st->path, table, what);
}

static int
count_rows(struct store *st, enum stmt_id id, int64_t *n, int64_t *max, struct sm_error *err)
{
    sqlite3_stmt *s = stmt(st, id, err);
    int rc;

    if (!s)
        return err ? err->code : SM_EDB;
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return db_error(st, rc, err);
    }
    *n = sqlite3_column_int64(s, 0);
    if (max)
        *max = sqlite3_column_int64(s, 1);
    sqlite3_reset(s);
    return SM_OK;
}

static int
region_lookup(struct loader *L, const char *id, const char *table, int32_t *out)
{
    if (!*id) {
        *out = SM_NONE;
        return SM_OK;
    }
    *out = model_region(L->m, id);
    if (*out == SM_NONE) {
        char msg[200];
        snprintf(msg, sizeof msg, "unknown region %.120s (no longer shipped?)", id);
        return bad_row(L, table, msg);
    }
    return SM_OK;
}

/* region_lookup, remembered per distinct id (regions do not change while
 * copies and flows load). */
static int
region_cached(struct loader *L, const char *id, const char *table, int32_t *out)
{
    struct intern_slot *sl;
    const char *p;
    bool ok;
    int rc;

    if (!*id) {
        *out = SM_NONE;
        return SM_OK;
    }
    sl = intern_slot(L, id, strlen(id), &p, &ok);
    if (sl && sl->region != UNSET) {
        *out = sl->region;
        return SM_OK;
    }
    if ((rc = region_lookup(L, id, table, out)))
        return rc;
    if (sl)
        sl->region = *out;
    return SM_OK;
}

static int
load_regions(struct loader *L)
{
    sqlite3_stmt *s = stmt(L->st, S_REGION_LOAD, L->err);
    struct sm_error e2;
    int rc;

    if (!s)
        return L->err ? L->err->code : SM_EDB;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct region r;
        int32_t id;
        int kind;

        if (model_region(L->m, col_str(s, 0)) != SM_NONE)
            continue;   /* now shipped with sovmap: the shipped facts win */
        model_region_init(&r);
        r.id = col_str(s, 0);
        kind = model_enum_parse(region_kind_names, REGION_KIND_COUNT, col_str(s, 1));
        r.kind = (uint8_t)(kind == SM_NONE ? REGION_ONPREM : kind);
        r.name = col_str(s, 2);
        r.country = sm_cc(col_str(s, 3));
        r.city = col_str(s, 4);
        r.operator_home = sm_cc(col_str(s, 5));
        if (model_add_region(L->m, &r, &id, &e2) ||
            (*col_str(s, 6) && model_set(L->m, OBJ_REGION, id, "members", col_str(s, 6),
                                         &e2))) {
            sqlite3_reset(s);
            return bad_row(L, "region", e2.msg);
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SM_OK : db_error(L->st, rc, L->err);
}

static int
load_tiers(struct loader *L)
{
    sqlite3_stmt *s = stmt(L->st, S_TIER_LOAD, L->err);
    struct sm_error e2;
    int rc;

    if (!s)
        return L->err ? L->err->code : SM_EDB;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct tier t;
        int a, b, c;
        int32_t id;

        model_tier_init(&t);
        t.name = col_str(s, 0);
        t.rank = sqlite3_column_int(s, 1);
        t.personal = (uint8_t)sqlite3_column_int(s, 2);
        a = model_enum_parse(scope_names, SCOPE_COUNT, col_str(s, 3));
        b = model_enum_parse(scope_names, SCOPE_COUNT, col_str(s, 4));
        c = model_enum_parse(scope_names, SCOPE_COUNT, col_str(s, 5));
        if (a == SM_NONE || b == SM_NONE || c == SM_NONE) {
            sqlite3_reset(s);
            return bad_row(L, "tier", "bad scope");
        }
        t.scope = (uint8_t)a;
        t.backup_scope = (uint8_t)b;
        t.key_scope = (uint8_t)c;
        t.encryption_at_rest = (uint8_t)sqlite3_column_int(s, 7);
        t.transit_encryption = (uint8_t)sqlite3_column_int(s, 8);
        t.sovereign = (uint8_t)sqlite3_column_int(s, 9);
        t.retention_min_days = col_int_opt(s, 10);
        t.retention_max_days = col_int_opt(s, 11);
        t.description = col_str(s, 12);
        if (model_add_tier(L->m, &t, &id, &e2) ||
            (*col_str(s, 6) && split_strv(L->m, col_str(s, 6), ',', &L->m->tiers[id].approved))) {
            sqlite3_reset(s);
            return bad_row(L, "tier", e2.msg);
        }
        for (uint32_t i = 0; i < L->m->tiers[id].approved.n; i++)
            if (model_region(L->m, L->m->tiers[id].approved.v[i]) == SM_NONE) {
                sqlite3_reset(s);
                return bad_row(L, "tier", "approved region unknown");
            }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SM_OK : db_error(L->st, rc, L->err);
}

/* model_add_dataset and model_add_flow without their name lookups: the
 * schema already guarantees unique names and known references, and a
 * missed hash lookup per row is a tenth of a million-row load. The names go
 * into the maps in bulk (index_names) once the table is read. Repeated text
 * is shared (intern). Anything unusual goes through the model's own
 * functions, after the names so far are indexed. */
static int
fast_add_dataset(struct loader *L, const struct dataset *d, int32_t *id, struct sm_error *err)
{
    struct model *m = L->m;
    struct dataset *nd;
    bool ok;
    int rc;

    if (!*d->name || strchr(d->name, '@') || m->ndatasets >= m->cap_datasets ||
        (d->tier != SM_NONE && (d->tier < 0 || d->tier >= m->ntiers))) {
        if ((rc = index_names(L)) || (rc = model_add_dataset(m, d, id, err)))
            return rc;
        L->named_ds = m->ndatasets;
        return SM_OK;
    }
    nd = &m->datasets[m->ndatasets];
    *nd = *d;
    /* the dataset's own strings are not checked for UTF-8 here (as before) */
    if (!(nd->name = model_str(m, d->name)) || !(nd->system = intern(L, d->system, &ok)) ||
        !(nd->owner = intern(L, d->owner, &ok)) ||
        !(nd->description = intern(L, d->description, &ok)) ||
        !(nd->source_ref = intern(L, d->source_ref, &ok)))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    nd->first_field = nd->first_tag = nd->first_placement = SM_NONE;
    nd->deleted = 0;
    *id = m->ndatasets++;
    m->generation++;
    return SM_OK;
}

/* f->fields and the transforms' fields are already in m's arena. */
static int
fast_add_flow(struct loader *L, const struct flow *f, int32_t *id, struct sm_error *err)
{
    struct model *m = L->m;
    struct flow *nf;
    bool ok;
    int rc;

    if (!*f->name || m->nflows >= m->cap_flows || f->from == f->to) {
        if ((rc = index_names(L)) || (rc = model_add_flow(m, f, id, err)))
            return rc;
        L->named_fl = m->nflows;
        return SM_OK;
    }
    nf = &m->flows[m->nflows];
    *nf = *f;
    if (!(nf->name = model_str(m, f->name)) ||
        !(nf->mechanism_ref = intern(L, f->mechanism_ref, &ok)))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    if (f->ntransforms) {
        nf->transforms = sm_arena_alloc(&m->arena, f->ntransforms * sizeof *nf->transforms);
        if (!nf->transforms)
            return sm_error_set(err, SM_ENOMEM, "out of memory");
        memcpy(nf->transforms, f->transforms, f->ntransforms * sizeof *nf->transforms);
    }
    if (f->to != SM_NONE)
        nf->to_region = SM_NONE;
    nf->deleted = 0;
    *id = m->nflows++;
    m->generation++;
    return SM_OK;
}

static int
load_datasets(struct loader *L)
{
    sqlite3_stmt *s = stmt(L->st, S_DATASET_LOAD, L->err);
    struct sm_error e2;
    const char *last_tier = NULL;
    char last_tier_buf[256] = "";
    int32_t tier = SM_NONE;
    int rc;

    if (!s)
        return L->err ? L->err->code : SM_EDB;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        tick(L);
        struct dataset d;
        const char *tn = col_str(s, 3);
        int32_t id;

        model_dataset_init(&d);
        d.name = col_str(s, 1);
        d.system = col_str(s, 2);
        if (!*tn) {
            d.tier = SM_NONE;
        } else {
            if (!last_tier || strcmp(tn, last_tier_buf) != 0) {
                tier = model_tier(L->m, tn);
                sm_strlcpy(last_tier_buf, tn, sizeof last_tier_buf);
                last_tier = last_tier_buf;
            }
            if (tier == SM_NONE) {
                sqlite3_reset(s);
                return bad_row(L, "dataset", "unknown tier");
            }
            d.tier = tier;
        }
        if (model_parse_subjects(col_str(s, 4), d.subjects, &d.nsubjects, &e2)) {
            sqlite3_reset(s);
            return bad_row(L, "dataset", e2.msg);
        }
        d.owner = col_str(s, 5);
        d.retention_days = col_int_opt(s, 6);
        d.public_sector = (uint8_t)sqlite3_column_int(s, 7);
        d.source_ref = col_str(s, 8);
        d.description = col_str(s, 9);
        if (fast_add_dataset(L, &d, &id, &e2)) {
            sqlite3_reset(s);
            return bad_row(L, "dataset", e2.msg);
        }
        L->ds.n++;
        if (rowmap_load(&L->st->drow, id, sqlite3_column_int64(s, 0), L->m->cap_datasets)) {
            sqlite3_reset(s);
            return sm_error_set(L->err, SM_ENOMEM, "out of memory");
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SM_OK : db_error(L->st, rc, L->err);
}

/* Fields and tags come ordered by dataset rowid, as the datasets were
 * loaded: walk a cursor forward instead of searching. */
static int32_t
cursor_find(struct idx *x, int32_t *cur, int64_t row)
{
    const struct rowmap *r = x->map;

    if (!r->row && r->lin == x->base && r->nlin == x->n)
        return idx_find(x, row);
    while (*cur < x->n && idx_row(x, *cur) < row)
        (*cur)++;
    if (*cur < x->n && idx_row(x, *cur) == row)
        return x->base + *cur;
    return idx_find(x, row);
}

/* Fields and tags are appended directly while they come in dataset order
 * (the dataset they extend had none before, or got the previous row): the
 * schema makes field names unique per dataset. Anything else goes through
 * model_add_field/model_add_tag. */
static int
load_fields(struct loader *L)
{
    sqlite3_stmt *s = stmt(L->st, S_FIELD_LOAD, L->err);
    struct model *m = L->m;
    struct sm_error e2;
    int32_t cur = 0, td = SM_NONE, tail = SM_NONE;
    int rc;

    if (!s)
        return L->err ? L->err->code : SM_EDB;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        tick(L);
        int32_t d = cursor_find(&L->ds, &cur, sqlite3_column_int64(s, 0));
        const char *name = col_str(s, 1), *fname;
        bool ok = false;

        if (d != SM_NONE && *name && m->nfields < m->cap_fields &&
            (d == td || m->datasets[d].first_field == SM_NONE) &&
            (fname = intern(L, name, &ok)) && ok) {
            struct field *f = &m->fields[m->nfields];
            f->name = fname;
            f->dataset = d;
            f->next = SM_NONE;
            if (d == td)
                m->fields[tail].next = m->nfields;
            else
                m->datasets[d].first_field = m->nfields;
            td = d;
            tail = m->nfields++;
            m->generation++;
            continue;
        }
        td = SM_NONE;
        if (d == SM_NONE || model_add_field(m, d, name, NULL, &e2)) {
            sqlite3_reset(s);
            return bad_row(L, "field", d == SM_NONE ? "unknown dataset" : e2.msg);
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return db_error(L->st, rc, L->err);
    if (!(s = stmt(L->st, S_TAG_LOAD, L->err)))
        return L->err ? L->err->code : SM_EDB;
    cur = 0;
    td = tail = SM_NONE;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        tick(L);
        int32_t d = cursor_find(&L->ds, &cur, sqlite3_column_int64(s, 0)), f = SM_NONE;
        const char *tag, *src, *ent, *time;
        bool ok[4] = { false, false, false, false };

        if (d != SM_NONE && sqlite3_column_type(s, 1) != SQLITE_NULL) {
            const char *fn = col_str(s, 1);
            for (f = m->datasets[d].first_field; f != SM_NONE; f = m->fields[f].next)
                if (strcmp(m->fields[f].name, fn) == 0)
                    break;
            if (f == SM_NONE)
                d = SM_NONE;
        }
        if (d != SM_NONE && m->ntags < m->cap_tags &&
            (d == td || m->datasets[d].first_tag == SM_NONE) &&
            (tag = intern(L, col_str(s, 2), &ok[0])) && *tag &&
            (src = intern(L, col_str(s, 3), &ok[1])) &&
            (ent = intern(L, col_str(s, 4), &ok[2])) &&
            (time = intern(L, col_str(s, 5), &ok[3])) && ok[0] && ok[1] && ok[2] && ok[3]) {
            struct tag *t;
            int32_t i;
            /* an identical tag is not added twice (model_add_tag) */
            for (i = m->datasets[d].first_tag; i != SM_NONE; i = m->tags[i].next)
                if (m->tags[i].field == f &&
                    (m->tags[i].tag == tag || strcmp(m->tags[i].tag, tag) == 0))
                    break;
            if (i != SM_NONE)
                continue;
            t = &m->tags[m->ntags];
            t->tag = tag;
            t->source = src;
            t->entity = ent;
            t->time = time;
            t->dataset = d;
            t->field = f;
            t->next = SM_NONE;
            if (d == td)
                m->tags[tail].next = m->ntags;
            else
                m->datasets[d].first_tag = m->ntags;
            td = d;
            tail = m->ntags++;
            m->generation++;
            continue;
        }
        td = SM_NONE;
        if (d == SM_NONE || model_add_tag(m, d, f, col_str(s, 2), col_str(s, 3),
                                          col_str(s, 4), col_str(s, 5), NULL, &e2)) {
            sqlite3_reset(s);
            return bad_row(L, "tag", d == SM_NONE ? "unknown dataset or field" : e2.msg);
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SM_OK : db_error(L->st, rc, L->err);
}

/* model_add_placement for a row that needs nothing unusual: its dataset,
 * regions, role and mechanism are already resolved, its mechanism reference
 * is shared (intern). Anything the model would refuse goes through
 * model_add_placement for its message. */
static int
fast_add_placement(struct loader *L, const struct placement *p, const char *ref,
                   int32_t *id, struct sm_error *err)
{
    struct model *m = L->m;
    struct placement *np;
    const char *mref;
    int32_t last = SM_NONE;
    bool ok;

    if (m->nplacements >= m->cap_placements || p->dataset < 0 || p->dataset >= m->ndatasets ||
        m->datasets[p->dataset].deleted || p->region < 0 || p->role >= ROLE_COUNT ||
        p->mechanism >= MECH_COUNT || !(mref = intern(L, ref, &ok)) || !ok)
        goto slow;
    for (int32_t i = m->datasets[p->dataset].first_placement; i != SM_NONE;
         i = m->placements[i].next) {
        if ((m->placements[i].region == p->region && m->placements[i].role == p->role) ||
            (p->role == ROLE_PRIMARY && m->placements[i].role == ROLE_PRIMARY))
            goto slow;
        last = i;
    }
    np = &m->placements[m->nplacements];
    *np = *p;
    np->mechanism_ref = mref;
    np->next = SM_NONE;
    np->deleted = 0;
    if (last == SM_NONE)
        m->datasets[p->dataset].first_placement = m->nplacements;
    else
        m->placements[last].next = m->nplacements;
    *id = m->nplacements++;
    m->generation++;
    return SM_OK;
slow:
    {
        struct placement q = *p;
        q.mechanism_ref = ref;
        return model_add_placement(m, &q, id, err);
    }
}

static int
load_placements(struct loader *L)
{
    sqlite3_stmt *s = stmt(L->st, S_PLACEMENT_LOAD, L->err);
    struct sm_error e2;
    int rc;

    if (!s)
        return L->err ? L->err->code : SM_EDB;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        tick(L);
        struct placement p;
        const char *rid, *kid;
        int role, mech;
        int32_t id;

        model_placement_init(&p);
        p.dataset = idx_find(&L->ds, sqlite3_column_int64(s, 1));
        if (p.dataset == SM_NONE) {
            sqlite3_reset(s);
            return bad_row(L, "placement", "unknown dataset");
        }
        rid = col_str(s, 2);
        kid = col_str(s, 5);
        if ((rc = region_cached(L, rid, "placement", &p.region)) == SM_OK) {
            /* keys mostly sit with their copy */
            if (strcmp(kid, rid) == 0)
                p.key_region = p.region;
            else
                rc = region_cached(L, kid, "placement", &p.key_region);
        }
        if (rc) {
            sqlite3_reset(s);
            return rc;
        }
        role = enum_cached(L, EN_ROLE, role_names, ROLE_COUNT, col_str(s, 3));
        mech = enum_cached(L, EN_MECH, mechanism_names, MECH_COUNT, col_str(s, 6));
        if (role == SM_NONE || mech == SM_NONE) {
            sqlite3_reset(s);
            return bad_row(L, "placement", "bad role or mechanism");
        }
        p.role = (uint8_t)role;
        p.mechanism = (uint8_t)mech;
        p.encrypted = (uint8_t)sqlite3_column_int(s, 4);
        if (fast_add_placement(L, &p, col_str(s, 7), &id, &e2)) {
            sqlite3_reset(s);
            return bad_row(L, "placement", e2.msg);
        }
        L->pl.n++;
        if (rowmap_load(&L->st->prow, id, sqlite3_column_int64(s, 0), L->m->cap_placements)) {
            sqlite3_reset(s);
            return sm_error_set(L->err, SM_ENOMEM, "out of memory");
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SM_OK : db_error(L->st, rc, L->err);
}

static int
load_flows(struct loader *L)
{
    sqlite3_stmt *s = stmt(L->st, S_FLOW_LOAD, L->err);
    sqlite3_stmt *x = stmt(L->st, S_XFORM_LOAD, L->err);
    struct transform tx[64];
    struct sm_error e2;
    int xrc = SQLITE_ROW, rc;

    if (!s || !x)
        return L->err ? L->err->code : SM_EDB;
    xrc = sqlite3_step(x);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        tick(L);
        int64_t row = sqlite3_column_int64(s, 0);
        struct flow f;
        int kind, mech;
        int32_t id, d;
        uint32_t n = 0;

        model_flow_init(&f);
        f.name = col_str(s, 1);
        f.from = idx_find(&L->pl, sqlite3_column_int64(s, 2));
        f.to = sqlite3_column_type(s, 3) == SQLITE_NULL ? SM_NONE
               : idx_find(&L->pl, sqlite3_column_int64(s, 3));
        if (f.from == SM_NONE || (f.to == SM_NONE && sqlite3_column_type(s, 3) != SQLITE_NULL) ||
            region_cached(L, col_str(s, 4), "flow", &f.to_region))
            goto bad;
        kind = enum_cached(L, EN_FLOW_KIND, flow_kind_names, FLOW_KIND_COUNT, col_str(s, 5));
        mech = enum_cached(L, EN_MECH, mechanism_names, MECH_COUNT, col_str(s, 7));
        if (kind == SM_NONE || mech == SM_NONE)
            goto bad;
        f.kind = (uint8_t)kind;
        f.mechanism = (uint8_t)mech;
        if (split_interned(L, col_str(s, 6), ',', &f.fields))
            goto oom;
        f.mechanism_ref = col_str(s, 8);
        if ((*col_str(s, 9) && sm_date_parse(col_str(s, 9), &f.valid_from)) ||
            (*col_str(s, 10) && sm_date_parse(col_str(s, 10), &f.valid_to)))
            goto bad;
        f.transit_encrypted = (uint8_t)sqlite3_column_int(s, 11);
        f.public_recipient = (uint8_t)sqlite3_column_int(s, 12);
        while (xrc == SQLITE_ROW && sqlite3_column_int64(x, 0) < row)
            xrc = sqlite3_step(x);
        while (xrc == SQLITE_ROW && sqlite3_column_int64(x, 0) == row) {
            int k = enum_cached(L, EN_XFORM, xform_names, XF_COUNT, col_str(x, 1));
            if (k == SM_NONE || n == 64)
                goto bad;
            tx[n].kind = (uint8_t)k;
            if (split_interned(L, col_str(x, 2), ' ', &tx[n].fields))
                goto oom;
            n++;
            xrc = sqlite3_step(x);
        }
        f.ntransforms = n;
        f.transforms = n ? tx : NULL;
        if (fast_add_flow(L, &f, &id, &e2)) {
            sqlite3_reset(s);
            sqlite3_reset(x);
            return bad_row(L, "flow", e2.msg);
        }
        if (rowmap_load(&L->st->frow, id, row, L->m->cap_flows))
            goto oom;
        (void)d;
        continue;
    }
    sqlite3_reset(s);
    sqlite3_reset(x);
    if (rc != SQLITE_DONE)
        return db_error(L->st, rc, L->err);
    if (xrc != SQLITE_DONE && xrc != SQLITE_ROW)
        return db_error(L->st, xrc, L->err);
    return SM_OK;
bad:
    sqlite3_reset(s);
    sqlite3_reset(x);
    if (L->err && L->err->code && strstr(L->err->msg, "unknown region"))
        return L->err->code;
    return bad_row(L, "flow", "bad row");
oom:
    sqlite3_reset(s);
    sqlite3_reset(x);
    return sm_error_set(L->err, SM_ENOMEM, "out of memory");
}

static int
load_rest(struct loader *L)
{
    sqlite3_stmt *s = stmt(L->st, S_WAIVER_LOAD, L->err);
    struct sm_error e2;
    int rc;

    if (!s)
        return L->err ? L->err->code : SM_EDB;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct waiver w;
        memset(&w, 0, sizeof w);
        w.rule = col_str(s, 0);
        w.object = col_str(s, 1);
        w.owner = col_str(s, 2);
        w.reason = col_str(s, 3);
        if ((*col_str(s, 4) && sm_date_parse(col_str(s, 4), &w.expires)) ||
            model_add_waiver(L->m, &w, NULL, &e2)) {
            sqlite3_reset(s);
            return bad_row(L, "waiver", "bad row");
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return db_error(L->st, rc, L->err);
    /* scenarios first without their base (it may be loaded later) */
    if (!(s = stmt(L->st, S_SCENARIO_LOAD, L->err)))
        return L->err ? L->err->code : SM_EDB;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct scenario sc;
        memset(&sc, 0, sizeof sc);
        sc.name = col_str(s, 0);
        sc.base = "";
        sc.description = col_str(s, 2);
        int32_t id;
        if (model_add_scenario(L->m, &sc, &id, &e2) ||
            (*col_str(s, 1) && model_set(L->m, OBJ_SCENARIO, id, "base", col_str(s, 1), &e2))) {
            sqlite3_reset(s);
            return bad_row(L, "scenario", e2.msg);
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return db_error(L->st, rc, L->err);
    if (!(s = stmt(L->st, S_SCOP_LOAD, L->err)))
        return L->err ? L->err->code : SM_EDB;
    {
        const char *argv[64];
        char *hold[64];
        char cur[1024] = "";
        int argc = 0, pos = -1;
        int32_t sid = SM_NONE;

        rc = sqlite3_step(s);
        for (;;) {
            bool row = rc == SQLITE_ROW;
            bool flush = argc && (!row || strcmp(col_str(s, 0), cur) != 0 ||
                                  sqlite3_column_int(s, 1) != pos);
            if (flush) {
                for (int i = 0; i < argc; i++)
                    argv[i] = hold[i];
                int r2 = sid == SM_NONE ? SM_ENOTFOUND
                         : model_scenario_append(L->m, sid, argc, argv, &e2);
                for (int i = 0; i < argc; i++)
                    free(hold[i]);
                argc = 0;
                if (r2) {
                    sqlite3_reset(s);
                    return bad_row(L, "scenario_op", "bad row");
                }
            }
            if (!row)
                break;
            if (strcmp(col_str(s, 0), cur) != 0) {
                sm_strlcpy(cur, col_str(s, 0), sizeof cur);
                sid = model_scenario(L->m, cur);
            }
            pos = sqlite3_column_int(s, 1);
            if (argc < 64 && !(hold[argc++] = strdup(col_str(s, 2)))) {
                for (int i = 0; i < argc - 1; i++)
                    free(hold[i]);
                sqlite3_reset(s);
                return sm_error_set(L->err, SM_ENOMEM, "out of memory");
            }
            rc = sqlite3_step(s);
        }
        sqlite3_reset(s);
        if (rc != SQLITE_DONE)
            return db_error(L->st, rc, L->err);
    }
    return SM_OK;
}

/* Create the TEMP views and fill region_ref from the model's regions. */
static int
make_views(struct store *st, const struct model *m, struct sm_error *err)
{
    int rc;

    if ((rc = exec(st, views_sql, err)) || (rc = exec(st, "DELETE FROM temp.region_ref", err)))
        return rc;
    st->views = true;
    for (int32_t i = 0; i < m->nregions; i++)
        if (!m->regions[i].deleted && (rc = ref_put(st, m, i, err)))
            return rc;
    return SM_OK;
}

/* After a load from the tables: write the snapshot when it pays
 * (snap_worth), in a write transaction of its own that finds the catalog as
 * it was loaded. It is a cache, so nothing here is an error: busy, read-only,
 * a full disk, and it is not written. A read-only store writes it through a
 * connection of its own. */
static void
snapshot_save(struct store *st, const struct model *m, const struct snap_key *key)
{
    const struct rowmap *const rows[3] = { &st->drow, &st->prow, &st->frow };
    sqlite3 *db = st->db;
    int64_t dv = 0;
    int rc;

    if (st->in_tx || st->held || st->stale || !snap_worth(m))
        return;
    if (st->flags & STORE_READONLY) {
        if (sqlite3_open_v2(st->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                            NULL) != SQLITE_OK) {
            sqlite3_close_v2(db);
            return;
        }
        sqlite3_busy_timeout(db, 100);
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
            pragma_int(st, "PRAGMA data_version", &dv, NULL) || dv != st->dv) {
            sqlite3_close_v2(db);   /* rolls back */
            return;
        }
    } else if (begin_fresh(st, NULL)) {
        return;
    }
    rc = snap_write(db, key, m, rows);
    if (rc || sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    if (db != st->db)
        sqlite3_close_v2(db);
}

/* Inside the load's transaction: the snapshot's key, and the snapshot when
 * the meta key "snapshot" names the current change counter. */
static int
snapshot_load(struct store *st, struct model *m, struct snap_key *key, bool *done,
              struct sm_error *err)
{
    char mark[32];
    int rc;

    if ((rc = store_change_counter(st, &key->change, err)) ||
        (rc = pragma_int(st, "PRAGMA user_version", &key->schema, err)))
        return rc;
    if (store_meta_get(st, "snapshot", mark, sizeof mark, NULL) != SM_OK ||
        strtoll(mark, NULL, 10) != key->change)
        return SM_OK;
    *done = snap_read(st->db, key, m, (struct rowmap *[3]){ &st->drow, &st->prow,
                                                            &st->frow }) == SM_OK;
    return SM_OK;
}
int
store_load(struct store *st, struct model *m, struct sm_error *err)
{
    struct loader L = { .st = st, .m = m, .err = err, .named_ds = m->ndatasets,
                        .named_fl = m->nflows };
    int64_t nd = 0, maxd = 0, nf = 0, nt = 0, np = 0, nfl = 0;
    struct snap_key key = { .base = snap_on() ? snap_base(m) : 0 };
    bool from_snap = false;
    char pack[256];
    int rc;

    if ((rc = exec(st, st->in_tx || st->held ? "SAVEPOINT sm_load" : "BEGIN", err)))
        return rc;
    /* the rowids the store remembers are about to change: until this load
     * succeeds, no write may use them (check_fresh refuses, dv is never -1) */
    st->loaded = true;
    st->dv = -1;
    rowmap_fini(&st->drow);
    rowmap_fini(&st->prow);
    rowmap_fini(&st->frow);
    /* the load snapshot, when there is a valid one (store_snapshot.h) */
    if (key.base && (rc = snapshot_load(st, m, &key, &from_snap, err)))
        goto out;
    if (from_snap)
        goto pack;
    /* rowid tables: the largest rowid, an upper bound found in O(log n)
     * (trimmed at the end if rows were deleted); fields and tags are
     * counted exactly */
    if ((rc = count_rows(st, S_COUNT_DATASET, &nd, &maxd, err)) ||
        (rc = count_rows(st, S_COUNT_PLACEMENT, &np, NULL, err)) ||
        (rc = count_rows(st, S_COUNT_FLOW, &nfl, NULL, err)) ||
        (rc = count_rows(st, S_COUNT_FIELD, &nf, NULL, err)) ||
        (rc = count_rows(st, S_COUNT_TAG, &nt, NULL, err)))
        goto out;
    L.total = nd + np + nfl + nf + nt;
    if (nd + m->ndatasets > INT32_MAX / 2 || np > INT32_MAX / 2 || nfl > INT32_MAX / 2 ||
        nf > INT32_MAX / 2 || nt > INT32_MAX / 2) {
        rc = sm_error_set(err, SM_ELIMIT, "%s: too many objects", st->path);
        goto out;
    }
    /* size everything once, exactly: no reallocation while loading */
    L.ds = (struct idx){ &st->drow, m->ndatasets, 0, 0 };
    L.pl = (struct idx){ &st->prow, m->nplacements, 0, 0 };
    if (reserve_exact((void **)&m->datasets, &m->cap_datasets, m->ndatasets + (int32_t)nd,
                      sizeof *m->datasets) ||
        reserve_exact((void **)&m->fields, &m->cap_fields, m->nfields + (int32_t)nf,
                      sizeof *m->fields) ||
        reserve_exact((void **)&m->tags, &m->cap_tags, m->ntags + (int32_t)nt, sizeof *m->tags) ||
        reserve_exact((void **)&m->placements, &m->cap_placements, m->nplacements + (int32_t)np,
                      sizeof *m->placements) ||
        reserve_exact((void **)&m->flows, &m->cap_flows, m->nflows + (int32_t)nfl,
                      sizeof *m->flows) ||
        sm_map_reserve(&m->dataset_names, (uint32_t)(m->ndatasets + nd)) ||
        sm_map_reserve(&m->flow_names, (uint32_t)(m->nflows + nfl))) {
        rc = sm_error_set(err, SM_ENOMEM, "%s: out of memory loading %lld datasets",
                          st->path, (long long)nd);
        goto out;
    }
    hugepages(m->dataset_names.slots, (size_t)m->dataset_names.cap * sizeof (struct sm_map_slot));
    hugepages(m->flow_names.slots, (size_t)m->flow_names.cap * sizeof (struct sm_map_slot));
pack:
    switch (store_meta_get(st, "rule_pack", pack, sizeof pack, NULL)) {
    case SM_OK:
        if (!(m->rule_pack = model_str(m, pack))) {
            rc = sm_error_set(err, SM_ENOMEM, "out of memory");
            goto out;
        }
        break;
    default:
        break;
    }
    if (from_snap)
        goto loaded;
    if (!(L.in.slots = calloc(INTERN_CAP, sizeof *L.in.slots))) {
        rc = sm_error_set(err, SM_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = load_regions(&L)) || (rc = load_tiers(&L)) || (rc = load_datasets(&L)) ||
        (rc = index_names(&L)) || (rc = load_fields(&L)) || (rc = load_placements(&L)) ||
        (rc = load_flows(&L)) || (rc = index_names(&L)) || (rc = load_rest(&L)))
        goto out;
    trim((void **)&m->datasets, &m->cap_datasets, m->ndatasets, sizeof *m->datasets);
    trim((void **)&m->fields, &m->cap_fields, m->nfields, sizeof *m->fields);
    trim((void **)&m->tags, &m->cap_tags, m->ntags, sizeof *m->tags);
    trim((void **)&m->placements, &m->cap_placements, m->nplacements, sizeof *m->placements);
    trim((void **)&m->flows, &m->cap_flows, m->nflows, sizeof *m->flows);
loaded:
    if (st->progress)
        st->progress(st->progress_ctx, L.total, L.total);
    /* read inside the load's transaction: the version of what was loaded */
    if ((rc = pragma_int(st, "PRAGMA data_version", &st->dv, err)))
        goto out;
out:
    if (rc) {
        /* what was loaded stays findable by name, as with model_add_* */
        model_index_names(m, OBJ_DATASET, L.named_ds);
        model_index_names(m, OBJ_FLOW, L.named_fl);
    }
    free(L.in.slots);
    if (st->in_tx || st->held) {
        exec(st, "RELEASE sm_load", NULL);
    } else if (exec(st, "COMMIT", rc ? NULL : err) && !rc) {
        rc = err ? err->code : SM_EDB;
    }
    if (!rc)
        rc = make_views(st, m, err);
    if (!rc && key.base && !from_snap)
        snapshot_save(st, m, &key);
    return rc;
}

/* ---- audit and metadata ---------------------------------------------------------------- */

static void
now_iso(char *buf, size_t size)
{
    const char *now = getenv("SOVMAP_NOW"), *today = getenv("SOVMAP_TODAY");
    time_t t;
    struct tm tm;

    if (now && *now) {
        sm_strlcpy(buf, now, size);
        return;
    }
    if (today && *today) {
        snprintf(buf, size, "%.10sT00:00:00Z", today);
        return;
    }
    t = time(NULL);
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int
store_audit(struct store *st, const char *op, const char *object, const char *before,
            const char *after, struct sm_error *err)
{
    return store_audit_data(st, op, object, before, after, NULL, err);
}

int
store_audit_data(struct store *st, const char *op, const char *object, const char *before,
                 const char *after, const char *data, struct sm_error *err)
{
    const char *actor = getenv("SOVMAP_ACTOR");
    sqlite3_stmt *s;
    char when[64];
    int rc;

    if (!actor || !*actor)
        actor = getenv("USER");
    if (!actor || !*actor)
        actor = getenv("LOGNAME");
    if (!actor || !*actor) {
        struct passwd *pw = getpwuid(geteuid());
        actor = pw && pw->pw_name && *pw->pw_name ? pw->pw_name : "unknown";
    }
    if (!(s = stmt(st, S_AUDIT, err)))
        return err ? err->code : SM_EDB;
    now_iso(when, sizeof when);
    bind_str(s, 1, when);
    bind_str(s, 2, actor);
    bind_str(s, 3, op);
    bind_str(s, 4, object);
    if (before)
        bind_str(s, 5, before);
    if (after)
        bind_str(s, 6, after);
    if (data)
        bind_str(s, 7, data);
    if ((rc = step_done(st, s, err)))
        return rc;
    /* every audited write is a change: store_change_counter */
    return (s = stmt(st, S_CHANGE_BUMP, err)) ? step_done(st, s, err) : err ? err->code : SM_EDB;
}

int
store_change_counter(struct store *st, int64_t *out, struct sm_error *err)
{
    char buf[32];
    struct sm_error e2 = { 0 };
    int rc = store_meta_get(st, "change", buf, sizeof buf, &e2);

    if (rc == SM_ENOTFOUND) {
        *out = 0;
        return SM_OK;
    }
    if (rc)
        return sm_error_set(err, rc, "%s", e2.msg);
    *out = strtoll(buf, NULL, 10);
    return SM_OK;
}

int
store_meta_get(struct store *st, const char *key, char *buf, size_t size,
               struct sm_error *err)
{
    sqlite3_stmt *s = stmt(st, S_META_GET, err);
    int rc;

    if (!s)
        return err ? err->code : SM_EDB;
    bind_str(s, 1, key);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        if (size)
            sm_strlcpy(buf, col_str(s, 0), size);
        sqlite3_reset(s);
        return SM_OK;
    }
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return sm_error_set(err, SM_ENOTFOUND, "%s: no %s set", st->path, key);
    return db_error(st, rc, err);
}

int
store_meta_set(struct store *st, const char *key, const char *value, struct sm_error *err)
{
    sqlite3_stmt *s;

    if (st->flags & STORE_READONLY)
        return sm_error_set(err, SM_EREADONLY, "%s is read-only", st->path);
    if (!(s = stmt(st, S_META_SET, err)))
        return err ? err->code : SM_EDB;
    bind_str(s, 1, key);
    bind_str(s, 2, value);
    return step_done(st, s, err);
}

int
store_log(struct store *st, int limit, int (*cb)(void *ctx, const struct audit_entry *e),
          void *ctx, struct sm_error *err)
{
    return store_log_from(st, INT64_MAX, limit, cb, ctx, err);
}

int
store_log_from(struct store *st, int64_t from, int limit,
               int (*cb)(void *ctx, const struct audit_entry *e), void *ctx,
               struct sm_error *err)
{
    sqlite3_stmt *s = stmt(st, S_LOG, err);
    int rc;

    if (!s)
        return err ? err->code : SM_EDB;
    sqlite3_bind_int(s, 1, limit > 0 ? limit : -1);
    sqlite3_bind_int64(s, 2, from);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct audit_entry e = {
            .id = sqlite3_column_int64(s, 0),
            .time = col_str(s, 1),
            .actor = col_str(s, 2),
            .op = col_str(s, 3),
            .object = col_str(s, 4),
            .before = sqlite3_column_type(s, 5) == SQLITE_NULL ? NULL : col_str(s, 5),
            .after = sqlite3_column_type(s, 6) == SQLITE_NULL ? NULL : col_str(s, 6),
            .data = sqlite3_column_type(s, 7) == SQLITE_NULL ? NULL : col_str(s, 7),
        };
        if (cb(ctx, &e))
            break;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(st, rc, err);
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
    char op[4096], *line = NULL, *data = NULL;
    const char *object;
    bool own = !st->in_tx && !st->held, same = false;
    size_t n;
    int rc;

    memset(&r, 0, sizeof r);
    if (st->flags & STORE_READONLY)
        return sm_error_set(err, SM_EREADONLY, "%s is read-only", st->path);
    if ((rc = store_check_integrity(st, err)))
        return rc;
    if ((rc = own ? begin_fresh(st, err) : exec(st, "SAVEPOINT sm_apply", err)))
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
    n = edit_format(e, op, sizeof op);
    if (n >= sizeof op && (line = malloc(n + 1)))
        edit_format(e, line, n + 1);
    object = r.selector;
    if (strlen(r.selector) + 1 >= sizeof r.selector && e->key && *e->key)
        object = e->key;
    rc = apply_tx(st, m, &r, line ? line : op, object, data, own, err);
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
    char op[4200], *data = NULL;
    bool own = !st->in_tx && !st->held, redo, same = false;
    int rc;

    if (st->flags & STORE_READONLY)
        return sm_error_set(err, SM_EREADONLY, "%s is read-only", st->path);
    if ((rc = store_check_integrity(st, err)))
        return rc;
    if ((rc = own ? begin_fresh(st, err) : exec(st, "SAVEPOINT sm_apply", err)))
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
    snprintf(op, sizeof op, "%s %s", redo ? "redo" : "undo", res->selector);
    if (res->inverse && res->ninverse > 0) {
        char line[4096];
        edit_format(&res->inverse[0], line, sizeof line);
        snprintf(op, sizeof op, "%s: %s", redo ? "redo" : "undo", line);
    }
    if ((rc = edit_data(st, m, res, &data, &same, err)) == SM_OK && same) {
        free(data);     /* nothing to write, nothing to log */
        exec(st, own ? "ROLLBACK" : "ROLLBACK TO sm_apply; RELEASE sm_apply", NULL);
        return SM_OK;
    }
    if (rc || (rc = apply_tx(st, m, &r, op, r.selector, data, own, err))) {
        free(data);
        exec(st, own ? "ROLLBACK" : "ROLLBACK TO sm_apply; RELEASE sm_apply", NULL);
        if (redo)
            edit_revert(m, res, NULL);
        else
            edit_reapply(m, res, NULL);
        return rc;
    }
    free(data);
    return SM_OK;
}

/* ---- read-only queries ------------------------------------------------------------------- */

struct deadline {
    struct timespec end;
};

/* The wall-clock limit of a custom rule, kept by a thread that calls
 * sqlite3_interrupt at the deadline: the progress handler alone runs only
 * between VM steps, and one step (printf('%.*c', 50000000, 'x')) can take
 * seconds. */
struct watchdog {
    sqlite3 *db;
    struct timespec end;        /* CLOCK_REALTIME, for pthread_cond_timedwait */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    bool running, done, fired;
};

static void *
watchdog_run(void *arg)
{
    struct watchdog *w = arg;
    int rc = 0;

    pthread_mutex_lock(&w->mu);
    while (!w->done && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&w->cv, &w->mu, &w->end);
    if (!w->done) {
        w->fired = true;
        sqlite3_interrupt(w->db);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static bool
watchdog_start(struct watchdog *w, sqlite3 *db, int limit_ms)
{
    memset(w, 0, sizeof *w);
    w->db = db;
    clock_gettime(CLOCK_REALTIME, &w->end);
    w->end.tv_sec += limit_ms / 1000;
    w->end.tv_nsec += (long)(limit_ms % 1000) * 1000000L;
    if (w->end.tv_nsec >= 1000000000L) {
        w->end.tv_sec++;
        w->end.tv_nsec -= 1000000000L;
    }
    if (pthread_mutex_init(&w->mu, NULL))
        return false;
    if (pthread_cond_init(&w->cv, NULL)) {
        pthread_mutex_destroy(&w->mu);
        return false;
    }
    if (pthread_create(&w->thread, NULL, watchdog_run, w)) {
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        return false;
    }
    w->running = true;
    return true;
}

/* Stops the thread; true when it interrupted the query. */
static bool
watchdog_stop(struct watchdog *w)
{
    if (!w->running)
        return false;
    pthread_mutex_lock(&w->mu);
    w->done = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    w->running = false;
    return w->fired;
}

/* The memory limits of a custom rule: no value longer than
 * STORE_QUERY_MAX_VALUE, and no more than STORE_QUERY_MAX_HEAP of SQLite
 * heap on top of what the process holds when the rule starts. The heap
 * limit is process-wide, so it is set only for the rule's run and the
 * previous one put back. */
struct rule_limits {
    int length;
    sqlite3_int64 heap;
};

static void
rule_limits_set(sqlite3 *db, struct rule_limits *saved)
{
    sqlite3_int64 want = sqlite3_memory_used() + STORE_QUERY_MAX_HEAP;

    saved->length = sqlite3_limit(db, SQLITE_LIMIT_LENGTH, STORE_QUERY_MAX_VALUE);
    saved->heap = sqlite3_hard_heap_limit64(-1);
    if (saved->heap <= 0 || saved->heap > want)
        sqlite3_hard_heap_limit64(want);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, (int *)NULL);
}

static void
rule_limits_restore(sqlite3 *db, const struct rule_limits *saved)
{
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, saved->length);
    sqlite3_hard_heap_limit64(saved->heap);
}

/* The SQL functions a custom rule may call: SQLite's core scalar,
 * aggregate, window, date and JSON functions that only compute. Not
 * fts3_tokenizer (it hands out a library address), load_extension,
 * sqlite_compileoption_*, changes() and the like. */
static const char *const rule_functions[] = {
    "abs", "char", "coalesce", "concat", "concat_ws", "format", "glob", "hex", "ifnull",
    "iif", "instr", "length", "like", "likelihood", "likely", "lower", "ltrim", "max",
    "min", "nullif", "octet_length", "printf", "quote", "replace", "round", "rtrim",
    "sign", "soundex", "substr", "substring", "trim", "typeof", "unhex", "unicode",
    "unlikely", "upper", "zeroblob", "avg", "count", "group_concat", "string_agg", "sum",
    "total", "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff",
    "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag",
    "lead", "first_value", "last_value", "nth_value", "json", "json_array",
    "json_array_length", "json_extract", "json_insert", "json_object", "json_patch",
    "json_quote", "json_remove", "json_replace", "json_set", "json_type", "json_valid",
    "json_group_array", "json_group_object", "->", "->>", "acos", "asin", "atan", "atan2",
    "ceil", "ceiling", "cos", "exp", "floor", "ln", "log", "log10", "log2", "mod", "pi",
    "pow", "power", "sin", "sqrt", "tan", "trunc",
};

static bool
rule_function(const char *name)
{
    for (size_t i = 0; name && i < sizeof rule_functions / sizeof *rule_functions; i++)
        if (strcasecmp(name, rule_functions[i]) == 0)
            return true;
    return false;
}

static int
progress(void *ctx)
{
    struct deadline *d = ctx;
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > d->end.tv_sec ||
           (now.tv_sec == d->end.tv_sec && now.tv_nsec > d->end.tv_nsec);
}

/* The views custom rules read (doc/catalog.md), all TEMP, made by views_sql. */
static const char *const rule_views[] = {
    "v_region", "v_tier", "v_dataset", "v_field", "v_tag", "v_placement", "v_flow",
    "v_waiver",
};
/* The catalog tables those views read. */
static const char *const view_tables[] = {
    "tier", "dataset", "field", "tag", "placement", "flow", "flow_transform", "waiver",
};
#define RULE_VIEWS "v_region, v_tier, v_dataset, v_field, v_tag, v_placement, v_flow " \
                   "and v_waiver"

struct auth {
    char denied[128];           /* the table a read was refused for, "" none */
    char function[64];          /* the function refused, "" none */
    char tables[64][64];        /* the catalog's tables not under the views */
    int ntables;
};

/* Whether name is one of the catalog's tables that no view reads (audit,
 * meta ...) or SQLite's own. */
static bool
private_table(const struct auth *au, const char *name)
{
    if (strncasecmp(name, "sqlite_", 7) == 0)
        return true;
    for (int i = 0; i < au->ntables; i++)
        if (strcasecmp(name, au->tables[i]) == 0)
            return true;
    return false;
}

/* Custom rules may read the documented views and compute; nothing else: no
 * direct read of a catalog table (audit, meta, dataset ...), no ATTACH,
 * PRAGMA or write. For SQLITE_READ, a is the table, c the database and d
 * the innermost view (or trigger) the read comes through. */
static int
authorize(void *ctx, int action, const char *a, const char *b, const char *c, const char *d)
{
    struct auth *au = ctx;

    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_FUNCTION:
        /* b is the function's name */
        if (rule_function(b))
            return SQLITE_OK;
        if (!au->function[0])
            snprintf(au->function, sizeof au->function, "%s", b ? b : "?");
        return SQLITE_DENY;
    case SQLITE_READ:
        if (!c) {
            /* A CTE or subquery -- or, for "SELECT count(*) FROM audit"
             * (no column used), a stored table named without its database. */
            if (a && private_table(au, a))
                goto deny;
            return SQLITE_OK;
        }
        if (strcmp(c, "temp") == 0 && a) {
            /* region_ref, or a view's own columns (a view not flattened
             * into the query is read like a table) */
            if (strcmp(a, "region_ref") == 0)
                return SQLITE_OK;
            for (size_t i = 0; i < sizeof rule_views / sizeof *rule_views; i++)
                if (strcmp(a, rule_views[i]) == 0)
                    return SQLITE_OK;
        }
        if (strcmp(c, "main") == 0 && a)
            for (size_t i = 0; i < sizeof view_tables / sizeof *view_tables; i++) {
                if (strcmp(a, view_tables[i]) != 0)
                    continue;
                /* A table the views are built on, read through one of them.
                 * d is the innermost view -- or CTE, which a query names
                 * itself: "WITH v_dataset AS (SELECT * FROM audit)" -- so
                 * only these tables qualify, never audit or meta. */
                for (size_t k = 0; d && k < sizeof rule_views / sizeof *rule_views; k++)
                    if (strcmp(d, rule_views[k]) == 0)
                        return SQLITE_OK;
                /* None of its columns used: authorized with column "" and,
                 * once a view is flattened, without the view's name. A
                 * row count at most, which the views show anyway. */
                if (b && !*b)
                    return SQLITE_OK;
            }
    deny:
        if (!au->denied[0])
            snprintf(au->denied, sizeof au->denied, "%s", a ? a : "?");
        return SQLITE_DENY;
    default:
        return SQLITE_DENY;
    }
}

/* Whether what follows a statement is only blanks, semicolons and comments. */
static bool
only_comments(sqlite3 *db, const char *tail)
{
    sqlite3_stmt *s = NULL;
    const char *next;

    while (tail && *tail) {
        while (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r' || *tail == ';')
            tail++;
        if (!*tail)
            return true;
        next = NULL;
        if (sqlite3_prepare_v2(db, tail, -1, &s, &next) != SQLITE_OK)
            return false;
        if (s) {
            sqlite3_finalize(s);
            return false;
        }
        if (!next || next == tail)
            return false;
        tail = next;
    }
    return true;
}

/* Why a rule's statement stopped, as "over 2 s" (SM_ELIMIT), or the error. */
static int
query_failed(struct store *st, int rc, bool timed_out, int limit_ms, struct sm_error *err)
{
    if (timed_out || (rc & 0xff) == SQLITE_INTERRUPT) {
        if (limit_ms % 1000)
            return sm_error_set(err, SM_ELIMIT, "over %d ms", limit_ms);
        return sm_error_set(err, SM_ELIMIT, "over %d s", limit_ms / 1000);
    }
    if ((rc & 0xff) == SQLITE_TOOBIG)
        return sm_error_set(err, SM_ELIMIT, "over %d MiB (one value)",
                            STORE_QUERY_MAX_VALUE >> 20);
    if ((rc & 0xff) == SQLITE_NOMEM)
        return sm_error_set(err, SM_ELIMIT, "over %d MiB (memory)",
                            (int)(STORE_QUERY_MAX_HEAP >> 20));
    if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
        return db_error(st, rc, err);
    return sm_error_set(err, SM_EINVAL, "query failed: %s", sqlite3_errmsg(st->db));
}

int
store_query(struct store *st, const char *sql, int limit_ms,
            int (*row)(void *ctx, int ncols, const char *const *names,
                       const char *const *values),
            void *ctx, struct sm_error *err)
{
    struct deadline dl;
    struct watchdog wd = { 0 };
    struct rule_limits saved;
    struct auth au = { .denied = "", .function = "", .ntables = 0 };
    sqlite3_stmt *s = NULL;
    const char **names = NULL, **values = NULL;
    const char *tail = NULL;
    int rc, ncols, ret = SM_OK;
    bool timed_out;

    if (!st->views) {
        struct model *empty = model_new();
        if (!empty)
            return sm_error_set(err, SM_ENOMEM, "out of memory");
        rc = make_views(st, empty, err);
        model_free(empty);
        if (rc)
            return rc;
    }
    {
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(st->db, "SELECT name FROM main.sqlite_master WHERE type = "
                               "'table'", -1, &q, NULL) == SQLITE_OK) {
            while (sqlite3_step(q) == SQLITE_ROW && au.ntables < 64) {
                const char *t = (const char *)sqlite3_column_text(q, 0);
                bool under = false;
                for (size_t i = 0; t && i < sizeof view_tables / sizeof *view_tables; i++)
                    under |= strcmp(t, view_tables[i]) == 0;
                if (t && !under)
                    snprintf(au.tables[au.ntables++], sizeof au.tables[0], "%s", t);
            }
            sqlite3_finalize(q);
        }
    }
    rule_limits_set(st->db, &saved);
    sqlite3_set_authorizer(st->db, authorize, &au);
    rc = sqlite3_prepare_v2(st->db, sql ? sql : "", -1, &s, &tail);
    if (rc == SQLITE_OK && s && !only_comments(st->db, tail)) {
        sqlite3_set_authorizer(st->db, NULL, NULL);
        ret = sm_error_set(err, SM_EINVAL, "query: one SELECT only");
        goto out;
    }
    sqlite3_set_authorizer(st->db, NULL, NULL);
    if (rc != SQLITE_OK) {
        if (au.function[0])
            ret = sm_error_set(err, SM_EINVAL, "query may not call the function %s",
                               au.function);
        else if ((rc & 0xff) == SQLITE_AUTH && au.denied[0])
            ret = sm_error_set(err, SM_EINVAL,
                               "query may not read the table %s; read the views "
                               RULE_VIEWS " (doc/catalog.md)", au.denied);
        else if ((rc & 0xff) == SQLITE_AUTH)
            ret = sm_error_set(err, SM_EINVAL, "query may only read: %s",
                               sqlite3_errmsg(st->db));
        else if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
            ret = db_error(st, rc, err);
        else
            ret = sm_error_set(err, SM_EINVAL, "bad query: %s", sqlite3_errmsg(st->db));
        goto out;
    }
    if (!s) {
        ret = sm_error_set(err, SM_EINVAL, "empty query");
        goto out;
    }
    if (!sqlite3_stmt_readonly(s)) {
        ret = sm_error_set(err, SM_EINVAL, "query may only read (a SELECT)");
        goto out;
    }
    ncols = sqlite3_column_count(s);
    names = calloc((size_t)ncols + 1, sizeof *names);
    values = calloc((size_t)ncols + 1, sizeof *values);
    if (!names || !values) {
        ret = sm_error_set(err, SM_ENOMEM, "out of memory");
        goto out;
    }
    for (int i = 0; i < ncols; i++)
        names[i] = sqlite3_column_name(s, i);
    clock_gettime(CLOCK_MONOTONIC, &dl.end);
    if (limit_ms > 0) {
        dl.end.tv_sec += limit_ms / 1000;
        dl.end.tv_nsec += (long)(limit_ms % 1000) * 1000000L;
        if (dl.end.tv_nsec >= 1000000000L) {
            dl.end.tv_sec++;
            dl.end.tv_nsec -= 1000000000L;
        }
        sqlite3_progress_handler(st->db, 1000, progress, &dl);
        if (!watchdog_start(&wd, st->db, limit_ms)) {
            ret = sm_error_set(err, SM_ENOMEM, "cannot start the query's timer");
            goto out;
        }
    }
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        for (int i = 0; i < ncols; i++) {
            const unsigned char *t = sqlite3_column_text(s, i);
            values[i] = t ? (const char *)t : NULL;
        }
        if (row && row(ctx, ncols, names, values))
            break;
    }
    timed_out = watchdog_stop(&wd);
    sqlite3_progress_handler(st->db, 0, NULL, NULL);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        ret = query_failed(st, rc, timed_out, limit_ms, err);
out:
    watchdog_stop(&wd);
    sqlite3_finalize(s);
    rule_limits_restore(st->db, &saved);
    free(names);
    free(values);
    return ret;
}
