/*
 * test_snapshot.c - the load snapshot (doc/catalog.md): a load from it gives
 * the model the tables give, and a stale, truncated, damaged or foreign
 * snapshot file, or one the catalog's meta key does not name, is never
 * used (the load reads the tables instead). Small catalogs:
 * SOVMAP_SNAPSHOT_MIN=0 makes any catalog worth one.
 */
#include "testlib.h"
#include "store.h"
#include "model_json.h"
#include "check.h"
#include "rules.h"
#include "rulepack.h"
#include "../../src/store/store_snapshot.h"     /* snap_write, snap_read */

#include <sqlite3.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The model as model-json text. */
static char *
json_of(const struct model *m)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    SM_ERROR(err);

    assert_non_null(f);
    if (model_json_write(m, f, &err))
        fail_msg("model_json_write: %s", err.msg);
    fclose(f);
    return buf;
}

static struct model *
load(const char *path, bool snapshots)
{
    struct store *st = NULL;
    SM_ERROR(err);
    struct model *m = tl_base_model();

    setenv("SOVMAP_SNAPSHOT", snapshots ? "on" : "off", 1);
    if (store_open(path, STORE_READONLY, &st, &err) || store_load(st, m, &err))
        fail_msg("load: %s", err.msg);
    store_close(st);
    setenv("SOVMAP_SNAPSHOT", "on", 1);
    return m;
}

static void
sql(const char *path, const char *text)
{
    sqlite3 *db = NULL;
    char *msg = NULL;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", text, msg);
    sqlite3_close(db);
}

static int64_t
sql_int(const char *path, const char *text)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int64_t v = -1;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_prepare_v2(db, text, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* The catalog's snapshot file, PATH-snapshot (caller frees). */
static char *
side(const char *path)
{
    size_t n = strlen(path) + sizeof "-snapshot";
    char *p = malloc(n);

    assert_non_null(p);
    snprintf(p, n, "%s-snapshot", path);
    return p;
}

static off_t
side_size(const char *path)
{
    char *f = side(path);
    struct stat sb;
    off_t n = stat(f, &sb) == 0 ? sb.st_size : -1;

    free(f);
    return n;
}

/* The whole snapshot file (caller frees). */
static char *
file_of(const char *path, size_t *len)
{
    char *f = side(path), *data = tl_slurp(f, len);

    assert_non_null(data);
    free(f);
    return data;
}

static void
file_put(const char *path, const char *data, size_t len)
{
    char *f = side(path);
    FILE *out = fopen(f, "wb");

    assert_non_null(out);
    assert_int_equal(fwrite(data, 1, len, out), len);
    assert_int_equal(fclose(out), 0);
    free(f);
}

/* A catalog of tl_rich_model with a snapshot written by a first load. */
static const char *
catalog(const char *name)
{
    const char *path = tl_path(tl_tmpdir(), name);
    struct model *m = tl_rich_model();
    struct store *st = NULL;
    SM_ERROR(err);

    remove(path);
    if (store_open(path, STORE_CREATE, &st, &err) || store_begin(st, &err) ||
        store_put_all(st, m, &err) || store_audit(st, "test", "", NULL, NULL, &err) ||
        store_commit(st, &err))
        fail_msg("write: %s", err.msg);
    store_close(st);
    model_free(m);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM meta WHERE key = 'snapshot'"), 0);
    model_free(load(path, true));
    assert_int_equal(sql_int(path, "SELECT count(*) FROM meta WHERE key = 'snapshot'"), 1);
    assert_true(side_size(path) > 1000);
    return path;
}

/* The description of the first dataset, changed behind sovmap's back (no
 * audit, no change counter): only a load from the tables sees it. */
static void
sneak(const char *path)
{
    sql(path, "UPDATE dataset SET description = 'changed behind its back' "
              "WHERE id = (SELECT min(id) FROM dataset)");
}

static bool
sees_sneak(const struct model *m)
{
    char *j = json_of(m);
    bool yes = strstr(j, "changed behind its back") != NULL;

    free(j);
    return yes;
}

/* The load from the snapshot is the load from the tables, to the byte of
 * the model-json and the ids of every object. */
static void
test_same_model(void **state)
{
    const char *path = catalog("same.db");
    struct model *a = load(path, true), *b = load(path, false);
    char *ja = json_of(a), *jb = json_of(b);
    (void)state;

    assert_string_equal(ja, jb);
    assert_int_equal(a->ndatasets, b->ndatasets);
    assert_int_equal(a->nplacements, b->nplacements);
    assert_int_equal(a->nflows, b->nflows);
    assert_int_equal(a->nregions, b->nregions);
    for (int32_t i = 0; i < a->ndatasets; i++) {
        assert_string_equal(a->datasets[i].name, b->datasets[i].name);
        assert_int_equal(model_dataset(a, a->datasets[i].name), i);
    }
    for (int32_t i = 0; i < a->nflows; i++)
        assert_int_equal(model_flow(a, a->flows[i].name), model_flow(b, b->flows[i].name));
    for (int32_t i = 0; i < a->nregions; i++)
        assert_int_equal(model_region(a, a->regions[i].id), i);
    assert_string_equal(a->rule_pack, b->rule_pack);
    /* it was the snapshot: a change that bypassed sovmap is not in it */
    sneak(path);
    model_free(a);
    a = load(path, true);
    assert_false(sees_sneak(a));
    model_free(b);
    b = load(path, false);
    assert_true(sees_sneak(b));
    free(ja);
    free(jb);
    model_free(a);
    model_free(b);
}

/* The same load, after `mutate`, must read the tables (it sees the sneak). */
static void
falls_back(const char *name, const char *mutate)
{
    const char *path = catalog(name);
    struct model *a, *b;
    char *ja, *jb;

    sneak(path);
    sql(path, mutate);
    a = load(path, true);
    b = load(path, false);
    assert_true(sees_sneak(a));
    ja = json_of(a);
    jb = json_of(b);
    assert_string_equal(ja, jb);
    free(ja);
    free(jb);
    model_free(a);
    model_free(b);
}

static void
test_stale_counter(void **state)
{
    (void)state;
    /* another version's write bumps the counter and leaves the mark */
    falls_back("stale.db", "UPDATE meta SET value = value + 1 WHERE key = 'change'");
}

static void
test_no_mark(void **state)
{
    (void)state;
    falls_back("nomark.db", "DELETE FROM meta WHERE key = 'snapshot'");
}

/* Change the snapshot file with `edit` (it gets the file's bytes and
 * length), then the load must read the tables. */
static void
file_falls_back(const char *name, void (*edit)(char *data, size_t *len, const void *arg),
                const void *arg)
{
    const char *path = catalog(name);
    size_t len;
    char *data = file_of(path, &len);
    struct model *a;

    sneak(path);
    edit(data, &len, arg);
    file_put(path, data, len);
    free(data);
    a = load(path, true);
    assert_true(sees_sneak(a));
    model_free(a);
}

static void
cut_64(char *data, size_t *len, const void *arg)
{
    (void)data;
    (void)arg;
    *len -= 64;
}

static void
test_truncated(void **state)
{
    (void)state;
    file_falls_back("trunc.db", cut_64, NULL);
}

/* Overwrite n bytes of the snapshot at off (from the end when off < 0),
 * or xor them. */
struct poke {
    long off;
    const void *bytes;
    size_t n;
    bool xor;
};

static void
poke_edit(char *data, size_t *len, const void *arg)
{
    const struct poke *p = arg;
    size_t at = p->off < 0 ? *len - (size_t)-p->off : (size_t)p->off;

    assert_true(at + p->n <= *len);
    for (size_t i = 0; i < p->n; i++)
        data[at + i] = (char)(p->xor ? data[at + i] ^ ((const char *)p->bytes)[i]
                                     : ((const char *)p->bytes)[i]);
}

static void
poke_falls_back(const char *name, long off, const void *bytes, size_t n, bool xor)
{
    const struct poke p = { off, bytes, n, xor };

    file_falls_back(name, poke_edit, &p);
}

static void
test_flipped_byte(void **state)
{
    (void)state;
    /* one bit of the last byte, and of a byte in the middle: the checksum */
    poke_falls_back("flip1.db", -1, "\x10", 1, true);
    poke_falls_back("flip2.db", 600, "\x01", 1, true);
}

static void
test_version_mismatch(void **state)
{
    uint32_t other = 99;
    (void)state;
    /* the format number (bytes 8-11 of the header) is another one */
    poke_falls_back("version.db", 8, &other, 4, false);
    /* and the struct layout (bytes 12-15) */
    poke_falls_back("abi.db", 12, "\x01", 1, true);
    /* and the file's id (bytes 16-31), which the meta key names */
    poke_falls_back("id.db", 20, "\x01", 1, true);
}

/* sneak(path), then remove its snapshot file; the file's name (caller frees). */
static char *
sneak_no_file(const char *path)
{
    char *f = side(path);

    sneak(path);
    assert_int_equal(unlink(f), 0);
    return f;
}

/* The file is gone, or something else than a file is at its name: the
 * load reads the tables (and does not wait on a FIFO), and the next load
 * after a good one writes it again. */
static void
test_no_file(void **state)
{
    const char *path = catalog("nofile.db");
    char *f = sneak_no_file(path);
    struct model *a;
    (void)state;

    a = load(path, true);
    assert_true(sees_sneak(a));
    model_free(a);
    assert_int_equal(unlink(f), 0);     /* that load wrote one again */
    assert_int_equal(mkfifo(f, 0600), 0);
    a = load(path, true);
    assert_true(sees_sneak(a));
    model_free(a);
    unlink(f);
    assert_int_equal(mkdir(f, 0700), 0);
    a = load(path, true);               /* and cannot write one over it */
    assert_true(sees_sneak(a));
    model_free(a);
    assert_int_equal(rmdir(f), 0);
    free(f);
}

/* A snapshot file the meta key does not name: another catalog's of the
 * same model at the same change counter, or an earlier one of this
 * catalog made at the same counter (the key dropped without a write). */
static void
test_not_named(void **state)
{
    const char *a = strdup(catalog("named-a.db"));
    const char *b = catalog("named-b.db");
    size_t la, lb;
    char *fa = file_of(a, &la), *fb = file_of(b, &lb), *old;
    struct model *m;
    (void)state;

    assert_non_null(a);
    assert_int_equal(sql_int(a, "SELECT value FROM meta WHERE key = 'change'"),
                     sql_int(b, "SELECT value FROM meta WHERE key = 'change'"));
    assert_int_equal(la, lb);
    assert_memory_not_equal(fa, fb, la);
    sneak(b);
    file_put(b, fa, la);
    m = load(b, true);
    assert_true(sees_sneak(m));
    model_free(m);
    /* that load wrote b's own again; an earlier one of b's, same counter */
    old = file_of(b, &lb);
    sql(b, "DELETE FROM meta WHERE key = 'snapshot'");
    model_free(load(b, true));          /* a new one, a new id */
    file_put(b, old, lb);
    sql(b, "UPDATE dataset SET description = 'changed behind its back' "
           "WHERE id = (SELECT min(id) FROM dataset)");
    m = load(b, true);
    assert_true(sees_sneak(m));
    model_free(m);
    free(fa);
    free(fb);
    free(old);
    free((char *)a);
}

/* A catalog an older sovmap gave a format 4 snapshot (a blob in the table
 * `snapshot`, the meta key the bare change counter): not read; the next
 * snapshot is a file and the table goes. */
static void
test_format4_table(void **state)
{
    const char *path = catalog("old.db");
    char *f = sneak_no_file(path);
    struct model *m;
    (void)state;

    sql(path, "CREATE TABLE snapshot(id INTEGER PRIMARY KEY, data BLOB NOT NULL);"
              "INSERT INTO snapshot VALUES(1, zeroblob(5000));"
              "UPDATE meta SET value = (SELECT value FROM meta WHERE key = 'change') "
              "WHERE key = 'snapshot'");
    m = load(path, true);
    assert_true(sees_sneak(m));
    model_free(m);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'snapshot'"),
                     0);
    assert_true(side_size(path) > 1000);
    free(f);
}

/* A catalog written anew over one that had a snapshot (STORE_NEW, as
 * bench/gen does) leaves no file of the old one beside it. */
static void
test_new_catalog_drops_file(void **state)
{
    const char *path = catalog("anew.db");
    struct model *m = tl_rich_model();
    struct store *st = NULL;
    SM_ERROR(err);
    (void)state;

    assert_true(side_size(path) > 0);
    if (store_open(path, STORE_NEW, &st, &err) || store_begin(st, &err) ||
        store_put_all(st, m, &err) || store_commit(st, &err))
        fail_msg("write: %s", err.msg);
    store_close(st);
    model_free(m);
    assert_int_equal(side_size(path), -1);
}

/* Other shipped regions (another data/regions.json) than the snapshot was
 * made from: the ids it holds would be wrong, so the tables are read. */
static void
test_other_shipped_regions(void **state)
{
    const char *path = catalog("regions.db");
    struct store *st = NULL;
    SM_ERROR(err);
    struct model *m = tl_base_model();
    struct region r;
    (void)state;

    sneak(path);
    model_region_init(&r);
    r.id = "aws:zz-test-1";
    r.provider = "aws";
    r.code = "zz-test-1";
    r.country = sm_cc("DE");
    r.operator_home = sm_cc("US");
    r.builtin = 1;
    assert_int_equal(model_add_region(m, &r, NULL, NULL), SM_OK);
    if (store_open(path, STORE_READONLY, &st, &err) || store_load(st, m, &err))
        fail_msg("load: %s", err.msg);
    store_close(st);
    assert_true(sees_sneak(m));
    model_free(m);
}

/* A store loaded from the snapshot writes through the rowids it gave
 * back; the write drops the mark, and the next load reads the tables. */
static void
test_write_after_snapshot_load(void **state)
{
    const char *path = catalog("write.db");
    struct store *st = NULL;
    SM_ERROR(err);
    struct model *m = tl_base_model(), *b;
    char *jm, *jb;
    int32_t d, p;
    (void)state;

    assert_int_equal(store_open(path, 0, &st, &err), SM_OK);
    assert_int_equal(store_load(st, m, &err), SM_OK);
    d = m->ndatasets - 1;
    p = m->datasets[d].first_placement;
    assert_int_not_equal(p, SM_NONE);
    if (model_set(m, OBJ_DATASET, d, "owner", "new-owner", &err) ||
        model_set(m, OBJ_PLACEMENT, p, "encrypted", m->placements[p].encrypted ? "no" : "yes",
                  &err))
        fail_msg("set: %s", err.msg);
    if (store_begin(st, &err) || store_put(st, m, OBJ_DATASET, d, &err) ||
        store_put(st, m, OBJ_PLACEMENT, p, &err) ||
        store_audit(st, "test", "", NULL, NULL, &err) || store_commit(st, &err))
        fail_msg("write: %s", err.msg);
    store_close(st);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM meta WHERE key = 'snapshot'"), 0);
    b = load(path, false);
    jm = json_of(m);
    jb = json_of(b);
    assert_string_equal(jm, jb);
    free(jm);
    free(jb);
    model_free(b);
    model_free(m);
    /* the next load writes a new one, of the new model */
    b = load(path, true);
    model_free(b);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM meta WHERE key = 'snapshot'"), 1);
    b = load(path, true);
    assert_non_null(strstr(jb = json_of(b), "new-owner"));
    free(jb);
    model_free(b);
}

/* The writer finds every string wherever it lies: most in the model's
 * arena at an 8-byte boundary (a table per arena block), the rest (the
 * shared empty text, a snapshot heap's strings end to end, most of them
 * unaligned) in a hash table. A model loaded from a snapshot, with a few
 * strings set since (in the arena), written and read back directly, is
 * the same model. */
static void
test_strings_anywhere(void **state)
{
    const char *path = catalog("anywhere.db");
    struct model *m = load(path, true), *back = tl_base_model(), *base = tl_base_model();
    struct rowmap r0 = { 0 }, r1 = { 0 }, r2 = { 0 }, q0 = { 0 }, q1 = { 0 }, q2 = { 0 };
    const struct rowmap *const rows[3] = { &r0, &r1, &r2 };
    struct rowmap *const got[3] = { &q0, &q1, &q2 };
    struct snap_key key = { snap_base(base), 77, 0 };
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    SM_ERROR(err);
    char *ja, *jb, *mark;
    int32_t unaligned = 0;
    (void)state;

    for (int32_t d = 0; d < m->ndatasets; d++)
        unaligned += ((uintptr_t)m->datasets[d].name & 7) != 0;
    assert_true(unaligned > 0);         /* the heap's strings: the hash table */
    if (model_set(m, OBJ_DATASET, 0, "owner", "a new owner", &err) ||
        model_set(m, OBJ_DATASET, m->ndatasets - 1, "description", "a new text", &err))
        fail_msg("set: %s", err.msg);
    key.schema = sql_int(path, "PRAGMA user_version");
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(snap_write(db, &key, m, rows), SM_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'snapshot'", -1,
                                        &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    mark = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    assert_int_equal(snap_read(db, &key, mark, back, got), SM_OK);
    assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    back->rule_pack = model_str(back, m->rule_pack);    /* the catalog's meta, not the file */
    ja = json_of(m);
    jb = json_of(back);
    assert_non_null(strstr(jb, "a new owner"));
    assert_string_equal(ja, jb);
    free(ja);
    free(jb);
    free(mark);
    free(q0.row);
    free(q1.row);
    free(q2.row);
    model_free(m);
    model_free(back);
    model_free(base);
}

/* A command that takes the write lock (store_lock, before its load, as
 * every CLI writer does) loads from the snapshot, and only a write drops
 * it: a command that writes nothing (it failed, it found nothing to do),
 * or whose write was rolled back, leaves the snapshot good. */
static void
test_lock_keeps_until_write(void **state)
{
    const char *path = catalog("lock.db");
    struct store *st = NULL;
    SM_ERROR(err);
    struct model *m;
    (void)state;

    sneak(path);
    /* locked, loaded (from the snapshot: the sneak is not seen), nothing written */
    m = tl_base_model();
    assert_int_equal(store_open(path, 0, &st, &err), SM_OK);
    assert_int_equal(store_lock(st, &err), SM_OK);
    assert_int_equal(store_load(st, m, &err), SM_OK);
    assert_false(sees_sneak(m));
    assert_int_equal(store_unlock(st, true, &err), SM_OK);
    store_close(st);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM meta WHERE key = 'snapshot'"), 1);
    /* a write begun and rolled back inside the lock: still good */
    model_free(m);
    m = tl_base_model();
    assert_int_equal(store_open(path, 0, &st, &err), SM_OK);
    assert_int_equal(store_lock(st, &err), SM_OK);
    assert_int_equal(store_load(st, m, &err), SM_OK);
    assert_int_equal(store_begin(st, &err), SM_OK);
    assert_int_equal(store_put(st, m, OBJ_DATASET, 0, &err), SM_OK);
    store_rollback(st);
    assert_int_equal(store_unlock(st, true, &err), SM_OK);
    store_close(st);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM meta WHERE key = 'snapshot'"), 1);
    model_free(m);
    m = load(path, true);
    assert_false(sees_sneak(m));        /* still the snapshot */
    model_free(m);
    /* a write committed inside the lock: the next load reads the tables */
    m = tl_base_model();
    assert_int_equal(store_open(path, 0, &st, &err), SM_OK);
    assert_int_equal(store_lock(st, &err), SM_OK);
    assert_int_equal(store_load(st, m, &err), SM_OK);
    /* (the last dataset: the first one's row holds the sneak) */
    if (model_set(m, OBJ_DATASET, m->ndatasets - 1, "owner", "locked-writer", &err) ||
        store_begin(st, &err) || store_put(st, m, OBJ_DATASET, m->ndatasets - 1, &err) ||
        store_audit(st, "test", "", NULL, NULL, &err) || store_commit(st, &err))
        fail_msg("write: %s", err.msg);
    assert_int_equal(store_unlock(st, true, &err), SM_OK);
    store_close(st);
    model_free(m);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM meta WHERE key = 'snapshot'"), 0);
    m = load(path, false);
    assert_true(sees_sneak(m));
    model_free(m);
}

/* check_run of a (its name ranks kept) and of b (none: it ranks the names
 * itself) give the same register, row by row. */
static void
same_register(const struct model *a, const struct model *b, const struct rulepack *rp)
{
    struct check_result *ra = NULL, *rb = NULL;
    SM_ERROR(err);

    assert_int_equal(check_run(a, rp, 20260101, &ra, &err), SM_OK);
    assert_int_equal(check_run(b, rp, 20260101, &rb, &err), SM_OK);
    assert_true(rb->ntransfers > 1);
    assert_int_equal(ra->ntransfers, rb->ntransfers);
    for (int32_t i = 0; i < rb->ntransfers; i++) {
        const struct transfer *x = &ra->transfers[i], *y = &rb->transfers[i];
        assert_int_equal(x->dataset, y->dataset);
        assert_int_equal(x->placement, y->placement);
        assert_int_equal(x->flow, y->flow);
        assert_int_equal(x->from_cc, y->from_cc);
        assert_int_equal(x->to_cc, y->to_cc);
        assert_int_equal(x->mechanism, y->mechanism);
        assert_int_equal(x->status, y->status);
        assert_string_equal(check_transfer_regime(ra, x), check_transfer_regime(rb, y));
        assert_string_equal(check_transfer_basis(ra, x), check_transfer_basis(rb, y));
    }
    check_result_free(ra);
    check_result_free(rb);
}

/* The snapshot keeps the datasets' name order (check_name_rank): a model
 * loaded from it has it, one from the tables not; check_run orders the
 * transfer register by it to the same rows; a change that touches no
 * dataset's name keeps it (model_changed), a dataset removed does not. */
static void
test_name_rank(void **state)
{
    const char *path = catalog("rank.db");
    struct model *a = load(path, true), *b = load(path, false);
    struct rulepack *rp = NULL;
    SM_ERROR(err);
    int32_t *rank = NULL;
    (void)state;

    assert_non_null(model_name_rank(a));
    assert_null(model_name_rank(b));
    assert_int_equal(check_name_rank(b, &rank), SM_OK);
    assert_memory_equal(model_name_rank(a), rank, sizeof *rank * (size_t)b->ndatasets);
    for (int32_t i = 0; i < b->ndatasets; i++)
        for (int32_t j = 0; j < b->ndatasets; j++)
            if (strcmp(b->datasets[i].name, b->datasets[j].name) < 0)
                assert_true(rank[i] < rank[j]);
    free(rank);
    assert_int_equal(rulepack_load(tl_datadir(), "default", &rp, &err), SM_OK);
    same_register(a, b, rp);
    /* a change that touches no dataset's name keeps the ranks good (they
     * rank names alone: model_changed), and they still equal a fresh ranking */
    if (model_set(a, OBJ_DATASET, 0, "owner", "someone-else", &err))
        fail_msg("set: %s", err.msg);
    assert_non_null(model_name_rank(a));
    assert_int_equal(check_name_rank(a, &rank), SM_OK);
    assert_memory_equal(model_name_rank(a), rank, sizeof *rank * (size_t)a->ndatasets);
    free(rank);
    /* and the register a full check orders by them is the one b gets by
     * ranking the names itself, after the same edits (an attribute, a
     * copy's encryption, a waiver) */
    if (model_set(b, OBJ_DATASET, 0, "owner", "someone-else", &err))
        fail_msg("set: %s", err.msg);
    for (int32_t p = 0; p < a->nplacements && p < 40; p += 3) {
        if (a->placements[p].deleted)
            continue;
        if (model_set(a, OBJ_PLACEMENT, p, "encrypted", "false", &err) ||
            model_set(b, OBJ_PLACEMENT, p, "encrypted", "false", &err))
            fail_msg("set: %s", err.msg);
    }
    assert_non_null(model_name_rank(a));
    assert_null(model_name_rank(b));
    same_register(a, b, rp);
    /* a dataset removed (or added) makes them stale */
    if (model_remove(a, OBJ_DATASET, a->ndatasets - 1, &err))
        fail_msg("remove: %s", err.msg);
    assert_null(model_name_rank(a));
    rulepack_free(rp);
    model_free(a);
    model_free(b);
}

/* The dataset or flow name map m has, slot for slot, against one
 * sm_idmap_put per name in id order into a map of its size. */
static void
map_is_puts(const struct model *m, const struct sm_idmap *map, bool flows)
{
    struct sm_idmap ref;
    int32_t n = flows ? m->nflows : m->ndatasets;

    sm_idmap_init(&ref);
    assert_true(map->cap >= 16);
    assert_int_equal(sm_idmap_reserve(&ref, map->cap / 2), SM_OK);
    assert_int_equal(ref.cap, map->cap);
    for (int32_t i = 0; i < n; i++)
        assert_int_equal(sm_idmap_put(&ref, flows ? m->flows[i].name : m->datasets[i].name, i,
                                      flows ? model_flow_key : model_dataset_key, m), SM_OK);
    assert_int_equal(ref.len, map->len);
    assert_memory_equal(ref.slots, map->slots, (size_t)map->cap * sizeof *map->slots);
    sm_idmap_fini(&ref);
}

/* A catalog of n datasets and n / 2 flows, each with text of its own; with
 * long > 0, descriptions of about that many bytes. */
static const char *
bulk_catalog(const char *file, int n, size_t long_text)
{
    const char *path = tl_path(tl_tmpdir(), file);
    struct model *m = tl_base_model();
    struct store *st = NULL;
    int32_t region = model_region(m, "aws:eu-west-1"), prev = SM_NONE;
    char name[64], owner[64], purpose[64];
    char *desc = malloc(long_text + 64);
    SM_ERROR(err);

    assert_true(region != SM_NONE);
    assert_non_null(desc);
    for (int i = 0; i < n; i++) {
        struct dataset d;
        struct placement p;
        int32_t id, pid;
        model_dataset_init(&d);
        snprintf(name, sizeof name, "bulk.d%05d", i);
        int len = snprintf(desc, 64, "description %d", i);
        for (size_t k = (size_t)len; k < long_text; k++) {
            desc[k] = (char)('a' + (k + (size_t)i) % 26);
            desc[k + 1] = '\0';
        }
        snprintf(owner, sizeof owner, "owner%d", i);
        snprintf(purpose, sizeof purpose, "purpose %d", i);
        d.name = name;
        d.description = desc;
        d.owner = owner;
        d.purpose = purpose;
        if (model_add_dataset(m, &d, &id, &err))
            fail_msg("dataset: %s", err.msg);
        model_placement_init(&p);
        p.dataset = id;
        p.region = region;
        p.key_region = region;
        p.role = ROLE_PRIMARY;
        if (model_add_placement(m, &p, &pid, &err))
            fail_msg("placement: %s", err.msg);
        if (i % 2) {
            struct flow f;
            model_flow_init(&f);
            snprintf(name, sizeof name, "feed.%05d", i);
            f.name = name;
            f.from = prev;
            f.to = pid;
            if (model_add_flow(m, &f, NULL, &err))
                fail_msg("flow: %s", err.msg);
        }
        prev = pid;
    }
    free(desc);
    remove(path);
    if (store_open(path, STORE_CREATE, &st, &err) || store_begin(st, &err) ||
        store_put_all(st, m, &err) || store_commit(st, &err))
        fail_msg("write: %s", err.msg);
    store_close(st);
    model_free(m);
    return path;
}

/* The snapshot a load writes, read by the next: the model is the one
 * from the tables (a change made behind sovmap's back shows that it was the
 * snapshot, and is undone before the tables are read). Returns the model
 * from the snapshot (caller frees). */
static struct model *
snapshot_as_tables(const char *path)
{
    struct model *a, *b;
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    char *ja, *jb;

    model_free(load(path, true));       /* writes the snapshot */
    assert_int_equal(sql_int(path, "SELECT count(*) FROM meta WHERE key = 'snapshot'"), 1);
    sneak(path);
    a = load(path, true);
    assert_false(sees_sneak(a));        /* it was the snapshot */
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE dataset SET description = ? "
                                            "WHERE id = (SELECT min(id) FROM dataset)",
                                        -1, &s, NULL), SQLITE_OK);
    sqlite3_bind_text(s, 1, a->datasets[0].description, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
    sqlite3_close(db);
    b = load(path, false);
    ja = json_of(a);
    jb = json_of(b);
    assert_string_equal(ja, jb);
    free(ja);
    free(jb);
    model_free(b);
    return a;
}

/* A catalog of thousands of datasets and flows, each with text of its own:
 * the loader puts the names into the maps as the rows come (the maps are
 * the ones one put per name in id order makes); the model from the
 * snapshot is the one from the tables, maps included. */
static void
test_many_names(void **state)
{
    const char *path = bulk_catalog("many.db", 3000, 0);
    struct model *a, *b;
    (void)state;

    b = load(path, false);
    assert_int_equal(b->ndatasets, 3000);
    assert_int_equal(b->nflows, 1500);
    map_is_puts(b, &b->dataset_names, false);
    map_is_puts(b, &b->flow_names, true);
    assert_int_equal(model_dataset(b, "bulk.d02999"), 2999);
    assert_int_equal(model_flow(b, "feed.00001"), 0);
    model_free(b);
    a = snapshot_as_tables(path);
    map_is_puts(a, &a->dataset_names, false);
    map_is_puts(a, &a->flow_names, true);
    model_free(a);
}

/* Long descriptions: the snapshot writer's offset tables for the arena's
 * blocks would take half the arena's size; past their budget (what a hash
 * table of every pointer would take, at least 4 MiB: here ~8 MB of the
 * ~13 MB of text) the rest of the strings go into the hash table, which
 * grows from its first size. The model from the snapshot is the one from
 * the tables. */
static void
test_long_texts(void **state)
{
    const char *path = bulk_catalog("long.db", 3000, 4400);
    struct model *a = snapshot_as_tables(path);
    (void)state;

    assert_true(side_size(path) > 3000 * 4400);
    assert_int_equal(strlen(a->datasets[2999].description), 4400);
    model_free(a);
}

/* Below the size (SOVMAP_SNAPSHOT_MIN) or switched off, nothing is written. */
static void
test_small_catalog_writes_none(void **state)
{
    const char *path = tl_path(tl_tmpdir(), "small.db");
    struct model *m = tl_rich_model();
    struct store *st = NULL;
    SM_ERROR(err);
    (void)state;

    if (store_open(path, STORE_CREATE, &st, &err) || store_begin(st, &err) ||
        store_put_all(st, m, &err) || store_commit(st, &err))
        fail_msg("write: %s", err.msg);
    store_close(st);
    model_free(m);
    setenv("SOVMAP_SNAPSHOT_MIN", "1000000", 1);
    model_free(load(path, true));
    setenv("SOVMAP_SNAPSHOT_MIN", "0", 1);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM meta WHERE key = 'snapshot'"), 0);
    model_free(load(path, false));
    assert_int_equal(sql_int(path, "SELECT count(*) FROM meta WHERE key = 'snapshot'"), 0);
}

/* The snapshot's bytes are the model's, never what the heap held before:
 * two catalogs of the same model, their snapshots written while malloc
 * fills new blocks with two different bytes (glibc's M_PERTURB), hold the
 * same bytes (struct padding, the flows' transforms included) but for
 * each file's random id (bytes 16-31). */
static void
test_same_bytes(void **state)
{
    const char *a, *b;
    char *ba, *bb;
    size_t la, lb;
    (void)state;

#ifdef __GLIBC__
    mallopt(M_PERTURB, 0x5a);
#endif
    a = catalog("bytes-a.db");
#ifdef __GLIBC__
    mallopt(M_PERTURB, 0xa5);
#endif
    b = catalog("bytes-b.db");
#ifdef __GLIBC__
    mallopt(M_PERTURB, 0);
#endif
    ba = file_of(a, &la);
    bb = file_of(b, &lb);
    assert_int_equal(la, lb);
    assert_memory_not_equal(ba + 16, bb + 16, 16);
    memset(ba + 16, 0, 16);
    memset(bb + 16, 0, 16);
    assert_memory_equal(ba, bb, la);
    free(ba);
    free(bb);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_model),
        cmocka_unit_test(test_stale_counter),
        cmocka_unit_test(test_no_mark),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_flipped_byte),
        cmocka_unit_test(test_version_mismatch),
        cmocka_unit_test(test_no_file),
        cmocka_unit_test(test_not_named),
        cmocka_unit_test(test_format4_table),
        cmocka_unit_test(test_new_catalog_drops_file),
        cmocka_unit_test(test_other_shipped_regions),
        cmocka_unit_test(test_write_after_snapshot_load),
        cmocka_unit_test(test_strings_anywhere),
        cmocka_unit_test(test_lock_keeps_until_write),
        cmocka_unit_test(test_name_rank),
        cmocka_unit_test(test_small_catalog_writes_none),
        cmocka_unit_test(test_many_names),
        cmocka_unit_test(test_long_texts),
        cmocka_unit_test(test_same_bytes),
    };

    setenv("SOVMAP_SNAPSHOT_MIN", "0", 1);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
