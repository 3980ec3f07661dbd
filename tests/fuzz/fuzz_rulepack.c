/*
 * fuzz_rulepack.c - libFuzzer target for rule packs (rulepack_load, the
 * --rules PACK file): any input is loaded or rejected without a crash or
 * leak; an accepted pack runs the whole checker over the demo model, and
 * each of its custom SQL rules runs through store_query over a catalog
 * holding the demo: whatever the SQL, the catalog must not change (a
 * custom rule is one read-only SELECT; doc/security.md).
 * A pack naming another "jurisdictions" file is skipped: the loader takes
 * only a plain .json name from the data directory (anything else is an
 * error, tested in tests/unit/test_rulepack.c), so fuzzing it would only
 * probe which files exist there.
 * Build and run: make fuzz; tests/fuzz/run.sh 60 rulepack.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "check.h"
#include "model_json.h"
#include "refdata.h"
#include "rulepack.h"
#include "rules.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct model *demo;
static struct store *st;
static char packpath[64], dbpath[64];
static const char *datadir;
static long long ndatasets, naudit;

static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
        abort();
    if (!(buf = malloc((size_t)n + 1)) || fread(buf, 1, (size_t)n, f) != (size_t)n)
        abort();
    fclose(f);
    buf[n] = 0;
    *len = (size_t)n;
    return buf;
}

static int
count_row(void *ctx, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    if (ncols >= 1 && values[0])
        *(long long *)ctx = atoll(values[0]);
    return 0;
}

static int
any_row(void *ctx, int ncols, const char *const *names, const char *const *values)
{
    (void)ctx, (void)ncols, (void)names, (void)values;
    return 0;
}

static long long
count(const char *sql)
{
    long long n = -1;
    SM_ERROR(e);

    if (store_query(st, sql, 1000, count_row, &n, &e))
        abort();
    return n;
}

static void
cleanup(void)
{
    store_close(st);
    unlink(dbpath);
    unlink(packpath);
    char wal[80];
    snprintf(wal, sizeof wal, "%s-wal", dbpath);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", dbpath);
    unlink(wal);
}

static void
init(void)
{
    char path[4096], *text;
    size_t len;
    SM_ERROR(e);
    struct model *loaded;

    datadir = getenv("SOVMAP_DATA");
    if (!datadir || !*datadir)
        datadir = "data";
    demo = model_new();
    if (!demo || refdata_load_regions(datadir, demo, &e))
        abort();
    snprintf(path, sizeof path, "%s/demo/demo.json", datadir);
    text = slurp(path, &len);
    if (model_json_read(text, len, "demo.json", demo, &e))
        abort();
    free(text);
    snprintf(packpath, sizeof packpath, "/tmp/fuzz-rulepack-%d.json", (int)getpid());
    snprintf(dbpath, sizeof dbpath, "/tmp/fuzz-rulepack-%d.db", (int)getpid());
    unlink(dbpath);
    if (store_open(dbpath, STORE_CREATE, &st, &e) || store_begin(st, &e) ||
        store_put_all(st, demo, &e) || store_commit(st, &e))
        abort();
    /* the views for custom rules are made by store_load */
    loaded = model_new();
    if (!loaded || refdata_load_regions(datadir, loaded, &e) || store_load(st, loaded, &e))
        abort();
    model_free(loaded);
    ndatasets = count("SELECT count(*) FROM v_dataset");
    naudit = count("SELECT count(*) FROM v_waiver");
    atexit(cleanup);
}

/* Only the shipped jurisdictions file (see the top of the file). */
static int
names_other_file(const uint8_t *data, size_t size)
{
    json_t *root = json_loadb((const char *)data, size, 0, NULL), *j;
    int other;

    if (!root)
        return 0;
    j = json_is_object(root) ? json_object_get(root, "jurisdictions") : NULL;
    other = j && !(json_is_string(j) && strcmp(json_string_value(j), "jurisdictions.json") == 0);
    json_decref(root);
    return other;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rulepack *rp;
    SM_ERROR(e);
    FILE *f;

    if (!demo)
        init();
    if (names_other_file(data, size))
        return 0;
    if (!(f = fopen(packpath, "wb")) || fwrite(data, 1, size, f) != size || fclose(f))
        abort();
    if (rulepack_load(datadir, packpath, &rp, &e) != SM_OK)
        return 0;
    struct check_result *res = NULL;
    if (check_run(demo, rp, 20261126, &res, &e) != SM_OK)
        abort();
    check_result_free(res);
    for (int32_t k = 0; k < rp->ncustom; k++) {
        /* refused, stopped or run: all fine, as long as nothing changed */
        (void)store_query(st, rp->custom[k].sql, 20, any_row, NULL, &e);
    }
    if (rp->ncustom && (count("SELECT count(*) FROM v_dataset") != ndatasets ||
                        count("SELECT count(*) FROM v_waiver") != naudit))
        abort();    /* a custom rule wrote to the catalog */
    rulepack_free(rp);
    return 0;
}
