/*
 * test_store_new.c - STORE_NEW (src/store/store_fresh.c): a catalog written
 * whole into a temporary file beside its name and renamed over it at the
 * commit. Before the commit, after a failure and after a kill -9 the name
 * holds the old catalog (or nothing); after it the new one, complete, with
 * integrity and foreign keys checked on a connection of the test's own; the
 * store goes on working after the rename; the bulk write's fallback (a
 * constraint hit mid-insert) works inside it; the file has the schema of
 * a catalog written through the WAL.
 */
#include "testlib.h"
#include "store.h"

#include <sqlite3.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

/* The first column of the first row of sql on path (-1: none or an error). */
static int64_t
sql_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int64_t v = -1;

    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* PRAGMA integrity_check says "ok" and foreign_key_check finds nothing. */
static void
consistent(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "ok");
    sqlite3_finalize(s);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
    sqlite3_close(db);
}

/* The schema of path as one text: every object's type, name, table and SQL
 * in sqlite_schema's order (the order .schema and .dump show). */
static char *
schema_text(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);

    assert_non_null(f);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, coalesce(sql, '') "
                                            "FROM sqlite_schema ORDER BY rowid", -1, &s, NULL),
                     SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW)
        fprintf(f, "%s|%s|%s|%s\n", sqlite3_column_text(s, 0), sqlite3_column_text(s, 1),
                sqlite3_column_text(s, 2), sqlite3_column_text(s, 3));
    sqlite3_finalize(s);
    sqlite3_close(db);
    fclose(f);
    return out;
}

static bool
exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* path.new-PID, the temporary file of process pid. */
static char *
tmp_of(const char *path, long pid)
{
    char *t = malloc(strlen(path) + 32);

    assert_non_null(t);
    sprintf(t, "%s.new-%ld", path, pid);
    return t;
}

/* An old catalog at path: the rich model, committed the ordinary way. */
static void
write_old(const char *path)
{
    struct model *m = tl_rich_model();
    struct store *st = NULL;
    SM_ERROR(err);

    assert_int_equal(store_open(path, STORE_CREATE, &st, &err), SM_OK);
    assert_int_equal(store_begin(st, &err), SM_OK);
    assert_int_equal(store_put_all(st, m, &err), SM_OK);
    assert_int_equal(store_commit(st, &err), SM_OK);
    store_close(st);
    model_free(m);
}

/* The rich model with one more dataset, "only-new". */
static struct model *
new_model(void)
{
    struct model *m = tl_rich_model();

    tl_edit(m, EDIT_ADD, OBJ_DATASET, "only-new", 1, "owner", "new");
    return m;
}

static void
test_commit_renames(void **state)
{
    char *path = strdup(tl_path(tl_tmpdir(), "new.db"));
    char *tmp = tmp_of(path, (long)getpid());
    struct model *m = new_model(), *back;
    struct store *st = NULL;
    SM_ERROR(err);
    struct edit e = { .op = EDIT_SET, .kind = OBJ_DATASET, .key = "only-new", .nattrs = 1,
                      .attrs = { { "owner", "after" } } };
    int64_t before;
    (void)state;

    write_old(path);
    before = sql_int(path, "SELECT count(*) FROM dataset");
    assert_true(before > 0);
    assert_int_equal(store_open(path, STORE_NEW, &st, &err), SM_OK);
    assert_true(exists(tmp));
    assert_int_equal(store_lock(st, &err), SM_EINVAL);     /* one transaction only */
    assert_int_equal(store_begin(st, &err), SM_OK);
    assert_int_equal(store_put_all(st, m, &err), SM_OK);
    assert_int_equal(store_audit(st, "test", "", NULL, "whole", &err), SM_OK);
    /* not committed: the name still holds the old catalog */
    assert_int_equal(sql_int(path, "SELECT count(*) FROM dataset"), before);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM dataset WHERE name = 'only-new'"), 0);
    assert_int_equal(store_commit(st, &err), SM_OK);
    assert_false(exists(tmp));
    assert_int_equal(sql_int(path, "SELECT count(*) FROM dataset"), before + 1);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM audit"), 1);
    /* as store_open leaves a catalog: WAL, the current schema */
    assert_int_equal(sql_int(path, "SELECT count(*) FROM pragma_journal_mode "
                                   "WHERE journal_mode = 'wal'"), 1);
    assert_int_equal(sql_int(path, "PRAGMA user_version"), 6);     /* the current schema */
    consistent(path);
    /* the store goes on, on the renamed file */
    back = tl_base_model();
    assert_int_equal(store_load(st, back, &err), SM_OK);
    assert_int_equal(store_apply(st, back, &e, NULL, &err), SM_OK);
    store_close(st);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM dataset WHERE owner = 'after'"), 1);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM audit"), 2);
    consistent(path);
    model_free(back);
    model_free(m);
    free(tmp);
    free(path);
}

/* A write that fails or is given up: the old catalog stays, or nothing is
 * created; no temporary file is left. */
static void
test_failure_leaves_old(void **state)
{
    char *path = strdup(tl_path(tl_tmpdir(), "fail.db"));
    char *none = strdup(tl_path(tl_tmpdir(), "none/fail.db"));
    char *tmp = tmp_of(path, (long)getpid()), *tmp2 = tmp_of(none, (long)getpid());
    struct model *m = new_model();
    struct store *st = NULL;
    SM_ERROR(err);
    int64_t before;
    (void)state;

    write_old(path);
    before = sql_int(path, "SELECT count(*) FROM dataset");
    /* rolled back */
    assert_int_equal(store_open(path, STORE_NEW, &st, &err), SM_OK);
    assert_int_equal(store_begin(st, &err), SM_OK);
    assert_int_equal(store_put_all(st, m, &err), SM_OK);
    store_rollback(st);
    store_close(st);
    assert_false(exists(tmp));
    assert_int_equal(sql_int(path, "SELECT count(*) FROM dataset"), before);
    consistent(path);
    /* closed mid-transaction (an error on the way) */
    assert_int_equal(store_open(path, STORE_NEW, &st, &err), SM_OK);
    assert_int_equal(store_begin(st, &err), SM_OK);
    assert_int_equal(store_put_all(st, m, &err), SM_OK);
    store_close(st);
    assert_false(exists(tmp));
    assert_int_equal(sql_int(path, "SELECT count(*) FROM dataset"), before);
    /* nothing there before: nothing there after */
    assert_int_equal(store_open(none, STORE_NEW, &st, &err), SM_OK);
    assert_int_equal(store_begin(st, &err), SM_OK);
    assert_int_equal(store_put_all(st, m, &err), SM_OK);
    store_close(st);
    assert_false(exists(none));
    assert_false(exists(tmp2));
    model_free(m);
    free(tmp);
    free(tmp2);
    free(none);
    free(path);
}

/* kill -9 in the middle of the write: the old catalog, whole. */
static void
test_kill9_leaves_old(void **state)
{
    char *path = strdup(tl_path(tl_tmpdir(), "kill.db"));
    char *tmp;
    int64_t before;
    int status;
    pid_t pid;
    (void)state;

    write_old(path);
    before = sql_int(path, "SELECT count(*) FROM dataset");
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct model *cm = new_model();
        struct store *cs = NULL;
        if (store_open(path, STORE_NEW, &cs, NULL) || store_begin(cs, NULL) ||
            store_put_all(cs, cm, NULL))
            _exit(3);
        raise(SIGKILL);         /* written, not committed */
        _exit(4);
    }
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status));
    tmp = tmp_of(path, (long)pid);
    assert_true(exists(tmp));   /* the stray file: the name is untouched */
    assert_int_equal(sql_int(path, "SELECT count(*) FROM dataset"), before);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM dataset WHERE name = 'only-new'"), 0);
    consistent(path);
    unlink(tmp);
    free(tmp);
    free(path);
}

/* A constraint hit by the bulk insert (a dataset named twice) falls back to
 * the row-by-row write inside the same transaction: with the journal in
 * memory the failed statement is undone as with one on disk. */
static void
test_fallback_inside(void **state)
{
    char *path = strdup(tl_path(tl_tmpdir(), "twice.db"));
    struct model *m = tl_rich_model();
    struct store *st = NULL;
    SM_ERROR(err);
    int32_t a, b;
    (void)state;

    tl_edit(m, EDIT_ADD, OBJ_DATASET, "twin-a", 1, "owner", "first");
    tl_edit(m, EDIT_ADD, OBJ_DATASET, "twin-b", 1, "owner", "second");
    a = model_dataset(m, "twin-a");
    b = model_dataset(m, "twin-b");
    m->datasets[b].name = m->datasets[a].name;
    assert_int_equal(store_open(path, STORE_NEW, &st, &err), SM_OK);
    assert_int_equal(store_begin(st, &err), SM_OK);
    if (store_put_all(st, m, &err))
        fail_msg("put_all: %s", err.msg);
    assert_int_equal(store_commit(st, &err), SM_OK);
    store_close(st);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM dataset WHERE name = 'twin-a'"), 1);
    assert_int_equal(sql_int(path, "SELECT owner = 'second' FROM dataset WHERE name = 'twin-a'"),
                     1);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM dataset WHERE name = 'clicks'"), 1);
    consistent(path);
    model_free(m);
    free(path);
}

/* A catalog written whole into a new file has the schema of one written
 * through the WAL (the same objects, SQL and order: the plain indexes are
 * built at the end with the schema's text, under the ordinary page cache),
 * complete indexes (integrity_check compares each with its table), and its
 * unique keys still refuse a second row with the same key. */
static void
test_schema_same(void **state)
{
    char *wal = strdup(tl_path(tl_tmpdir(), "wal.db"));
    char *fresh = strdup(tl_path(tl_tmpdir(), "fresh.db"));
    struct model *m = tl_rich_model();
    struct store *st = NULL;
    SM_ERROR(err);
    char *a, *b;
    sqlite3 *db = NULL;
    (void)state;

    write_old(wal);
    assert_int_equal(store_open(fresh, STORE_NEW, &st, &err), SM_OK);
    assert_int_equal(store_begin(st, &err), SM_OK);
    assert_int_equal(store_put_all(st, m, &err), SM_OK);
    assert_int_equal(store_commit(st, &err), SM_OK);
    store_close(st);
    a = schema_text(wal);
    b = schema_text(fresh);
    assert_string_equal(a, b);
    for (const char *const *ix = (const char *const[]){ "dataset_tier", "placement_region",
                                                         "flow_from", "flow_to",
                                                         "sqlite_autoindex_dataset_1",
                                                         "sqlite_autoindex_field_2",
                                                         "sqlite_autoindex_placement_1",
                                                         "sqlite_autoindex_flow_1", NULL };
         *ix; ix++) {
        char *sql = sqlite3_mprintf("SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                                    "AND name = %Q", *ix);
        assert_int_equal(sql_int(fresh, sql), 1);
        sqlite3_free(sql);
    }
    assert_true(sql_int(fresh, "SELECT count(*) FROM placement INDEXED BY placement_region "
                               "WHERE region > ''") > 0);
    consistent(fresh);
    /* the keys hold: a dataset's name, a copy's (dataset, region, role) */
    assert_int_equal(sqlite3_open(fresh, &db), SQLITE_OK);
    sqlite3_extended_result_codes(db, 1);
    assert_int_equal(sqlite3_exec(db, "INSERT INTO dataset(name) SELECT name FROM dataset "
                                      "LIMIT 1", NULL, NULL, NULL),
                     SQLITE_CONSTRAINT_UNIQUE);
    assert_int_equal(sqlite3_exec(db, "INSERT INTO placement(dataset, region, role) "
                                      "SELECT dataset, region, role FROM placement LIMIT 1",
                                  NULL, NULL, NULL),
                     SQLITE_CONSTRAINT_UNIQUE);
    sqlite3_close(db);
    free(a);
    free(b);
    model_free(m);
    free(fresh);
    free(wal);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commit_renames),
        cmocka_unit_test(test_failure_leaves_old),
        cmocka_unit_test(test_kill9_leaves_old),
        cmocka_unit_test(test_fallback_inside),
        cmocka_unit_test(test_schema_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
