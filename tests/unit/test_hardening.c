/*
 * test_hardening.c - issue 14: custom rule limits (a timer, the value and
 * heap caps, the function list), the damaged-catalog check, -o refusing the
 * catalog and SQLite files, input size caps, plain rule pack names and
 * escaped error messages.
 */
#include "testlib.h"
#include "cli.h"
#include "outfile.h"
#include "readfile.h"
#include "rulepack.h"
#include "store.h"
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int
count_cb(void *ctx, int ncols, const char *const *names, const char *const *values)
{
    (void)ncols;
    (void)names;
    (void)values;
    (*(int *)ctx)++;
    return 0;
}

static double
now_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double
cpu_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The wall bound for a stopped rule: 3 s, or 8 s on a machine whose load is
 * above its CPU count (the step running at the deadline ends first, and its
 * CPU time stretches there); the CPU bound stays 3 s. */
static double
wall_bound(void)
{
    double load[1];
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

    if (getloadavg(load, 1) == 1 && ncpu > 0 && load[0] > (double)ncpu)
        return 8.0;
    return 3.0;
}

static struct store *
rich_store(const char *name)
{
    const char *path = tl_path(tl_tmpdir(), name);
    struct model *m = tl_rich_model();
    struct store *st = NULL;
    SM_ERROR(err);

    unlink(path);
    assert_int_equal(store_open(path, STORE_CREATE, &st, &err), SM_OK);
    assert_int_equal(store_begin(st, &err), SM_OK);
    assert_int_equal(store_put_all(st, m, &err), SM_OK);
    assert_int_equal(store_commit(st, &err), SM_OK);
    model_free(m);
    return st;
}

/* The two rules of the issue: one VM step of seconds (the progress handler
 * alone ran 32 s), and a value of gigabytes (82 s, 3 GB). */
static void
test_rule_limits(void **state)
{
    struct store *st = rich_store("limits.db");
    SM_ERROR(err);
    sqlite3_int64 heap = sqlite3_hard_heap_limit64(-1);
    double t0, c0;
    int n = 0, rc;
    (void)state;

    t0 = now_s();
    c0 = cpu_s();
    rc = store_query(st, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c "
                     "WHERE x < 40) SELECT x AS object FROM c WHERE length(printf('%.*c', "
                     "50000000 + x, 'x')) < 0", 2000, count_cb, &n, &err);
    assert_int_equal(rc, SM_ELIMIT);
    assert_string_equal(err.msg, "over 2 s");
    assert_true(now_s() - t0 < wall_bound());
    assert_true(cpu_s() - c0 < 3.0);
    t0 = now_s();
    c0 = cpu_s();
    rc = store_query(st, "SELECT replace(replace(replace(printf('%.*c',100000000,'x'),'x','yy'),"
                     "'y','zz'),'z','ww') AS object", 2000, count_cb, &n, &err);
    assert_true(rc == SM_OK || rc == SM_ELIMIT);
    assert_true(now_s() - t0 < wall_bound());
    assert_true(cpu_s() - c0 < 3.0);
    /* a value past STORE_QUERY_MAX_VALUE (the time limit out of its way: a
     * loaded machine under ASan must not reach 2 s first) */
    rc = store_query(st, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c "
                     "WHERE x < 100) SELECT group_concat(printf('%.*c', 4000000, 'x')) "
                     "AS object FROM c", 60000, count_cb, &n, &err);
    assert_int_equal(rc, SM_ELIMIT);
    assert_string_equal(err.msg, "over 16 MiB (one value)");
    /* the process-wide heap limit is back as it was */
    assert_true(sqlite3_hard_heap_limit64(-1) == heap);
    /* a quick query after them runs normally: no interrupt left behind */
    n = 0;
    assert_int_equal(store_query(st, "SELECT name AS object FROM v_dataset", 2000, count_cb,
                                 &n, &err), SM_OK);
    assert_int_equal(n, 3);
    store_close(st);
}

static void
test_rule_functions(void **state)
{
    struct store *st = rich_store("functions.db");
    SM_ERROR(err);
    int n = 0;
    (void)state;

    assert_int_equal(store_query(st, "SELECT hex(fts3_tokenizer('simple')) AS object", 1000,
                                 count_cb, &n, &err), SM_EINVAL);
    assert_string_equal(err.msg, "query may not call the function fts3_tokenizer");
    assert_int_equal(store_query(st, "SELECT sqlite_compileoption_get(0) AS object", 1000,
                                 count_cb, &n, &err), SM_EINVAL);
    assert_int_equal(store_query(st, "SELECT load_extension('x') AS object", 1000,
                                 count_cb, &n, &err), SM_EINVAL);
    assert_int_equal(n, 0);
    /* the usual ones are there */
    assert_int_equal(store_query(st, "SELECT upper(name) || printf('%d', length(name)) AS "
                                 "object, coalesce(owner, '') AS o, json_object('a', 1) ->> "
                                 "'a' AS j, date('now') AS d FROM v_dataset", 1000, count_cb,
                                 &n, &err), SM_OK);
    assert_int_equal(n, 3);
    /* one SELECT and a comment is one SELECT; two are not */
    n = 0;
    assert_int_equal(store_query(st, "SELECT name AS object FROM v_dataset; -- all of them",
                                 1000, count_cb, &n, &err), SM_OK);
    assert_int_equal(n, 3);
    assert_int_equal(store_query(st, "SELECT 1 AS object; /* c */ ;", 1000, count_cb, &n,
                                 &err), SM_OK);
    assert_int_equal(store_query(st, "SELECT 1 AS object; -- c\nSELECT 2", 1000, count_cb, &n,
                                 &err), SM_EINVAL);
    assert_string_equal(err.msg, "query: one SELECT only");
    store_close(st);
}

static void
test_damaged(void **state)
{
    const char *path = tl_path(tl_tmpdir(), "damaged.db");
    struct store *st = rich_store("damaged.db");
    SM_ERROR(err);
    sqlite3 *db;
    sqlite3_stmt *s;
    FILE *f;
    int root, psize;
    char want[4200];
    (void)state;

    store_close(st);
    st = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT rootpage, (SELECT page_size FROM "
                                        "pragma_page_size) FROM sqlite_master WHERE name = "
                                        "'sqlite_autoindex_region_1'", -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    root = sqlite3_column_int(s, 0);
    psize = sqlite3_column_int(s, 1);
    sqlite3_finalize(s);
    sqlite3_close(db);
    /* a b-tree page whose cell count is far past its size */
    assert_non_null(f = fopen(path, "r+b"));
    fseek(f, (long)(root - 1) * psize + 3, SEEK_SET);
    fputc(0x7f, f);
    fputc(0xff, f);
    fclose(f);
    assert_int_equal(store_open(path, 0, &st, &err), SM_OK);
    assert_int_equal(store_begin(st, &err), SM_EDB);
    snprintf(want, sizeof want, "%s is damaged: ", path);
    assert_int_equal(strncmp(err.msg, want, strlen(want)), 0);
    assert_non_null(strstr(err.msg, STORE_DAMAGED_HINT));
    assert_int_equal(store_check_integrity(st, &err), SM_EDB);
    store_close(st);
}

static void
test_outfile_keep(void **state)
{
    const char *cat = tl_path(tl_tmpdir(), "keep.db");
    const char *link = tl_path(tl_tmpdir(), "keep-link.db");
    const char *other = tl_path(tl_tmpdir(), "keep-other.db");
    const char *report = tl_path(tl_tmpdir(), "keep-report.txt");
    const char *snap = tl_path(tl_tmpdir(), "keep.db-snapshot");
    struct store *st = rich_store("keep.db");
    struct outfile o;
    SM_ERROR(err);
    struct stat sb;
    FILE *f;
    (void)state;

    store_close(st);
    unlink(link);
    assert_int_equal(symlink(cat, link), 0);
    assert_int_equal(outfile_open_keep(&o, cat, "w", cat, &err), SM_EINVAL);
    assert_non_null(strstr(err.msg, "is the open catalog"));
    assert_int_equal(outfile_open_keep(&o, link, "w", cat, &err), SM_EINVAL);
    assert_non_null(strstr(err.msg, "is the open catalog"));
    /* nor its load snapshot beside it */
    assert_non_null(f = fopen(snap, "w"));
    fclose(f);
    assert_int_equal(outfile_open_keep(&o, snap, "w", cat, &err), SM_EINVAL);
    assert_non_null(strstr(err.msg, "is the open catalog"));
    unlink(snap);
    /* any SQLite file, catalog or not */
    assert_non_null(f = fopen(other, "wb"));
    fwrite("SQLite format 3\0rest", 1, 20, f);
    fclose(f);
    assert_int_equal(outfile_open(&o, other, "w", &err), SM_EINVAL);
    assert_non_null(strstr(err.msg, "is an SQLite database"));
    /* a replaced file keeps its mode */
    assert_non_null(f = fopen(report, "w"));
    fclose(f);
    chmod(report, 0600);
    assert_int_equal(outfile_open_keep(&o, report, "w", cat, &err), SM_OK);
    fputs("report\n", o.f);
    assert_int_equal(outfile_close(&o, true, &err), SM_OK);
    assert_int_equal(stat(report, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0600);
    assert_int_equal(sb.st_size, 7);
}

static void
test_readfile_caps(void **state)
{
    const char *small = tl_path(tl_tmpdir(), "small.txt");
    const char *sparse = tl_path(tl_tmpdir(), "sparse.bin");
    size_t len = 0;
    char *t;
    FILE *f;
    (void)state;

    assert_non_null(f = fopen(small, "w"));
    fputs("hello", f);
    fclose(f);
    assert_non_null(t = readfile_all(small, 5, &len));
    assert_int_equal(len, 5);
    assert_string_equal(t, "hello");
    free(t);
    errno = 0;
    assert_null(readfile_all(small, 4, &len));
    assert_int_equal(errno, EFBIG);
    /* a sparse 2 GB file: refused by its size, nothing read */
    assert_non_null(f = fopen(sparse, "w"));
    assert_int_equal(ftruncate(fileno(f), (off_t)2 << 30), 0);
    fclose(f);
    errno = 0;
    assert_null(readfile_all(sparse, (size_t)1 << 20, &len));
    assert_int_equal(errno, EFBIG);
    unlink(sparse);
    /* a device without end: read only up to the cap */
    errno = 0;
    assert_null(readfile_all("/dev/zero", 100000, &len));
    assert_int_equal(errno, EFBIG);
}

static void
test_plain_pack_names(void **state)
{
    (void)state;
    assert_true(rulepack_plain_name("default"));
    assert_true(rulepack_plain_name("org-eu_2.v1"));
    assert_false(rulepack_plain_name(""));
    assert_false(rulepack_plain_name(NULL));
    assert_false(rulepack_plain_name("/etc/passwd"));
    assert_false(rulepack_plain_name("../../../etc/hostname"));
    assert_false(rulepack_plain_name(".hidden"));
    assert_false(rulepack_plain_name("a b"));
    assert_false(rulepack_plain_name("\x1b]0;PWNED\x07"));
    assert_false(rulepack_plain_name("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

/* Every message on stderr goes through the output escaping, however long. */
static void
test_messages_escaped(void **state)
{
    struct cli c;
    char *buf = NULL, big[1000];
    size_t len = 0;
    FILE *f;
    (void)state;

    memset(&c, 0, sizeof c);
    assert_non_null(f = open_memstream(&buf, &len));
    c.err = f;
    assert_int_equal(cli_fail(&c, "unknown tier %s", "\x1b]0;PWNED\x07\x1b[2J\xe2\x80\xae"),
                     CLI_USAGE);
    cli_note(&c, "near '%s'", "\xc2\x9b" "31m\x1b");
    memset(big, 'a', sizeof big - 2);
    big[sizeof big - 2] = '\x1b';
    big[sizeof big - 1] = '\0';
    cli_fail(&c, "%s", big);
    fclose(f);
    assert_non_null(strstr(buf, "sovmap: unknown tier \\x1b]0;PWNED\\x07\\x1b[2J\\u202e\n"));
    assert_non_null(strstr(buf, "sovmap: near '\\xc2\\x9b31m\\x1b'\n"));
    assert_non_null(strstr(buf, "aaaa\\x1b\n"));
    assert_null(strchr(buf, '\x1b'));
    assert_null(strchr(buf, '\x07'));
    assert_null(strstr(buf, "\xc2\x9b"));
    assert_null(strstr(buf, "\xe2\x80\xae"));
    free(buf);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_limits),
        cmocka_unit_test(test_rule_functions),
        cmocka_unit_test(test_damaged),
        cmocka_unit_test(test_outfile_keep),
        cmocka_unit_test(test_readfile_caps),
        cmocka_unit_test(test_plain_pack_names),
        cmocka_unit_test(test_messages_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
