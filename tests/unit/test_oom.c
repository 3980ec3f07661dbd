/*
 * test_oom.c - out-of-memory injection, as SQLite's fault simulation does:
 * run one scenario (write the demo catalog, load it, check it, export a
 * map-json, a JSON and a SARIF report and a model-json, read a model-json,
 * import an Atlas fixture) once counting the allocations of each step, then
 * again failing allocation k of that step, for each k in turn. Each run
 * must not crash, must end in SM_OK or a clean error (an SM_* code with a
 * message), and, when it ends in SM_OK, must have written exactly what the
 * run without a failure wrote (a swallowed failure may not change a result).
 * Leaks are for ASan (make check SANITIZE=1: LeakSanitizer is asked after
 * each step's walk) and valgrind (VALGRIND=1) to find.
 *
 * The Makefile links this binary with -Wl,--wrap=malloc,calloc,realloc,
 * strdup,strndup, open_memstream, realpath (and json_load*, json_dump*: see
 * below): every call from our objects comes here. Calls from shared libraries do not, so SQLite
 * gets our allocator through sqlite3_config(SQLITE_CONFIG_MALLOC) and
 * jansson through json_set_alloc_funcs: their failures reach our code as
 * SQLITE_NOMEM and a jansson error. libc's own allocations (stdio buffers,
 * a memstream's growth) are not failed. The test includes <sqlite3.h> only to
 * install the allocator; it makes no SQL.
 *
 * Speed: a step is walked on its own, what it needs made once before its
 * walk. Every allocation of a step is failed when it has at most OOM_WHOLE
 * (1000) of them; a bigger step (SQLite's own allocations make the store's steps
 * thousands long) is walked with a fixed stride so that it gets about
 * OOM_RUNS runs, its first and last allocation included. The stride is
 * deterministic, so a failure reproduces: OOM_STEP=name OOM_K=k runs that
 * one case, OOM_ALL=1 walks every k of every step (minutes, not for CI).
 * README.md ("Testing") describes it.
 */
#include "testlib.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "check.h"
#include "cli.h"
#include "export.h"
#include "import.h"
#include "model_json.h"
#include "refdata.h"
#include "report.h"
#include "rulepack.h"
#include "store.h"

/* ---- the failing allocator ------------------------------------------------- */

static int  armed_step = -1;    /* fail an allocation of this step, or none */
static int  cur_step = -1;      /* the step running now, -1 between steps */
static long step_count[8];      /* allocations of each step so far */
static long fail_at;            /* fail allocation number fail_at (1-based), 0 none */
static bool injected;           /* it was failed */
static int  in_json_load;       /* inside jansson's parser: never failed */
static int  in_json_dump;       /* inside jansson's printer */
static bool injected_in_jansson;    /* it was failed there */

static bool
fail_now(void)
{
    if (cur_step < 0 || in_json_load)
        return false;
    if (++step_count[cur_step] != fail_at || cur_step != armed_step)
        return false;
    injected = true;
    errno = ENOMEM;     /* as glibc's malloc does */
    injected_in_jansson = in_json_dump > 0;
    if (getenv("OOM_TRAP"))
        raise(SIGTRAP);     /* for a debugger: where the failed allocation is */
    return true;
}

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

void *
__wrap_malloc(size_t n)
{
    return fail_now() ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t size)
{
    return fail_now() ? NULL : __real_calloc(n, size);
}

void *
__wrap_realloc(void *p, size_t n)
{
    /* a failed realloc leaves p as it was, as the real one does */
    return fail_now() ? NULL : __real_realloc(p, n);
}

char *
__wrap_strdup(const char *s)
{
    return fail_now() ? NULL : __real_strdup(s);
}

char *
__wrap_strndup(const char *s, size_t n)
{
    return fail_now() ? NULL : __real_strndup(s, n);
}

/* Two libc calls that allocate inside libc, where --wrap=malloc cannot see:
 * failed as a whole instead. */
FILE *__real_open_memstream(char **buf, size_t *len);
char *__real_realpath(const char *path, char *resolved);
FILE *__wrap_open_memstream(char **buf, size_t *len);
char *__wrap_realpath(const char *path, char *resolved);

FILE *
__wrap_open_memstream(char **buf, size_t *len)
{
    return fail_now() ? NULL : __real_open_memstream(buf, len);
}

char *
__wrap_realpath(const char *path, char *resolved)
{
    return !resolved && fail_now() ? NULL : __real_realpath(path, resolved);
}

static void *
json_alloc(size_t n)
{
    return fail_now() ? NULL : __real_malloc(n);
}

/* jansson 2.14 does not survive a failed allocation of its own parser: its
 * lexer ignores a failure to grow its token buffer (lex_save drops
 * strbuffer_append_byte's error), so a string read comes out short with no
 * error, or lex_scan_string then asserts or reads past the buffer (seen as
 * "Assertion `0' failed" and heap corruption). That is jansson's to fix; the
 * walk fails no allocation inside json_load* (nor counts it). Its printer
 * can return a text with a key cut short (json_dumps): those failures are
 * made, and a run whose output differs only that way is counted apart
 * (it still fails for a crash, a leak or a wrong exit status). */
json_t *__real_json_loadb(const char *buf, size_t len, size_t flags, json_error_t *error);
json_t *__real_json_loads(const char *s, size_t flags, json_error_t *error);
json_t *__real_json_load_file(const char *path, size_t flags, json_error_t *error);
json_t *__wrap_json_loadb(const char *buf, size_t len, size_t flags, json_error_t *error);
json_t *__wrap_json_loads(const char *s, size_t flags, json_error_t *error);
json_t *__wrap_json_load_file(const char *path, size_t flags, json_error_t *error);

json_t *
__wrap_json_loadb(const char *buf, size_t len, size_t flags, json_error_t *error)
{
    json_t *j;

    in_json_load++;
    j = __real_json_loadb(buf, len, flags, error);
    in_json_load--;
    return j;
}

json_t *
__wrap_json_loads(const char *s, size_t flags, json_error_t *error)
{
    json_t *j;

    in_json_load++;
    j = __real_json_loads(s, flags, error);
    in_json_load--;
    return j;
}

json_t *
__wrap_json_load_file(const char *path, size_t flags, json_error_t *error)
{
    json_t *j;

    in_json_load++;
    j = __real_json_load_file(path, flags, error);
    in_json_load--;
    return j;
}

char *__real_json_dumps(const json_t *j, size_t flags);
size_t __real_json_dumpb(const json_t *j, char *buf, size_t size, size_t flags);
char *__wrap_json_dumps(const json_t *j, size_t flags);
size_t __wrap_json_dumpb(const json_t *j, char *buf, size_t size, size_t flags);

char *
__wrap_json_dumps(const json_t *j, size_t flags)
{
    char *s;

    in_json_dump++;
    s = __real_json_dumps(j, flags);
    in_json_dump--;
    return s;
}

size_t
__wrap_json_dumpb(const json_t *j, char *buf, size_t size, size_t flags)
{
    size_t n;

    in_json_dump++;
    n = __real_json_dumpb(j, buf, size, flags);
    in_json_dump--;
    return n;
}

static sqlite3_mem_methods sqlite_default;

static void *
sqlite_malloc(int n)
{
    return fail_now() ? NULL : sqlite_default.xMalloc(n);
}

static void *
sqlite_realloc(void *p, int n)
{
    return fail_now() ? NULL : sqlite_default.xRealloc(p, n);
}

static void
install_allocators(void)
{
    sqlite3_mem_methods mine;

    /* before SQLite initializes: it copies the methods once */
    if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_default) != SQLITE_OK)
        abort();
    mine = sqlite_default;
    mine.xMalloc = sqlite_malloc;
    mine.xRealloc = sqlite_realloc;
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mine) != SQLITE_OK)
        abort();
    json_set_alloc_funcs(json_alloc, free);
}

/* LeakSanitizer's recoverable check, when the binary has it (SANITIZE=1). */
int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

/* ---- the scenario ------------------------------------------------------------ */

static char *demo_text, *model_text, *atlas_text[2];
static size_t demo_len, model_len, atlas_len[2];
static const char *const atlas_files[2] = { "atlas/entities-bulk.json", "atlas/lineage.json" };
static char db_path[1100];

struct run {
    struct model *dm;           /* demo: the demo, from demo.json */
    struct store *st;           /* load: the catalog */
    struct model *m;            /* load: the catalog's model */
    struct rulepack *rp;        /* check */
    struct check_result *r;     /* check */
    struct report *rep;         /* export */
    struct model *mj;           /* model-json: the fixture read */
    struct import_map *map;     /* atlas */
    struct import_run *irun;    /* atlas */
    struct model *am;           /* atlas: the fixture with the import applied */
    FILE *out;                  /* what the step wrote, for the comparison */
};

static void
remove_db(void)
{
    static const char *const ext[] = { "", "-wal", "-shm", "-journal" };
    char p[1200];

    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
        snprintf(p, sizeof p, "%s%s", db_path, ext[i]);
        unlink(p);
    }
}

static int
step_demo(struct run *x, struct sm_error *e)
{
    struct store *st = NULL;
    int rc;

    remove_db();
    if (!(x->dm = model_new()))
        return sm_error_set(e, SM_ENOMEM, "out of memory");
    if ((rc = refdata_load_regions(tl_datadir(), x->dm, e)) ||
        (rc = model_json_read(demo_text, demo_len, "demo.json", x->dm, e)) ||
        (rc = store_open(db_path, STORE_CREATE, &st, e)))
        return rc;
    if ((rc = store_begin(st, e)) == SM_OK) {
        if ((rc = store_put_all(st, x->dm, e)) ||
            (rc = store_audit(st, "demo", "demo", NULL, NULL, e)) ||
            (rc = store_commit(st, e)))
            store_rollback(st);
    }
    store_close(st);
    return rc;
}

static int
step_load(struct run *x, struct sm_error *e)
{
    int rc;

    if (!(x->m = model_new()))
        return sm_error_set(e, SM_ENOMEM, "out of memory");
    if ((rc = refdata_load_regions(tl_datadir(), x->m, e)) ||
        (rc = store_open(db_path, 0, &x->st, e)))
        return rc;
    return store_load(x->st, x->m, e);
}

static int
step_check(struct run *x, struct sm_error *e)
{
    int rc;

    if ((rc = rulepack_load(tl_datadir(), "default", &x->rp, e)))
        return rc;
    return check_run(x->m, x->rp, 20261126, &x->r, e);
}

static int
step_export(struct run *x, struct sm_error *e)
{
    struct export_opts o;
    struct report_opts ro = { .format = REPORT_JSON, .fail_on = SEV_ERROR };
    int rc;

    export_opts_init(&o);
    o.today = 20261126;
    if ((rc = export_map(x->m, x->r, &o, "json", x->out, e)) ||
        (rc = report_new(x->m, x->r, 20261126, &x->rep, e)) ||
        (rc = report_set_source(x->rep, "demo.db", "default", NULL, e)))
        return rc;
    report_finish(x->rep);
    if ((rc = report_write(x->rep, &ro, x->out, e)))
        return rc;
    ro.format = REPORT_SARIF;
    if ((rc = report_write(x->rep, &ro, x->out, e)))
        return rc;
    return model_json_write(x->m, x->out, e);
}

static int
step_model_json(struct run *x, struct sm_error *e)
{
    int rc;

    if (!(x->mj = model_new()))
        return sm_error_set(e, SM_ENOMEM, "out of memory");
    if ((rc = refdata_load_regions(tl_datadir(), x->mj, e)) ||
        (rc = model_json_read(model_text, model_len, "model.json", x->mj, e)))
        return rc;
    return model_json_write(x->mj, x->out, e);
}

static int
step_atlas(struct run *x, struct sm_error *e)
{
    struct import_opts o = { .now = "2026-11-26T00:00:00Z", .command = "import atlas" };
    char path[1100];
    int rc;

    snprintf(path, sizeof path, "%s/import-map.json", tl_datadir());
    if ((rc = import_map_load(NULL, path, &x->map, e)))
        return rc;
    if (!(x->am = model_new()))
        return sm_error_set(e, SM_ENOMEM, "out of memory");
    if ((rc = refdata_load_regions(tl_datadir(), x->am, e)) ||
        (rc = model_json_read(model_text, model_len, "model.json", x->am, e)))
        return rc;
    if (!(x->irun = import_run_new(x->map, &o)))
        return sm_error_set(e, SM_ENOMEM, "out of memory");
    for (int i = 0; i < 2; i++)
        if ((rc = import_run_add_file(x->irun, atlas_files[i], atlas_text[i], atlas_len[i], e)))
            return rc;
    if ((rc = import_run_parse(x->irun, importer_find("atlas"), e)) ||
        (rc = import_run_apply(x->irun, x->am, e)))
        return rc;
    return model_json_write(x->am, x->out, e);
}

/* What a step made that its own output does not show, written after it
 * with no failure armed: a swallowed failure must not change it. */
static void
digest_demo(struct run *x)
{
    SM_ERROR(e);
    struct store *st = NULL;
    struct model *m = model_new();

    if (!m || refdata_load_regions(tl_datadir(), m, &e) || store_open(db_path, 0, &st, &e) ||
        store_load(st, m, &e) || model_json_write(m, x->out, &e))
        fail_msg("the demo catalog cannot be read back: %s", e.msg);
    store_close(st);
    model_free(m);
}

static void
digest_load(struct run *x)
{
    SM_ERROR(e);

    if (model_json_write(x->m, x->out, &e))
        fail_msg("the loaded catalog cannot be written: %s", e.msg);
}

static void
digest_check(struct run *x)
{
    fprintf(x->out, "%d findings, %d transfers\n", x->r->nfindings, x->r->ntransfers);
    for (int32_t i = 0; i < x->r->nfindings; i++) {
        const struct finding *f = &x->r->findings[i];
        fprintf(x->out, "%s %d %s %s %s | %s\n", f->rule, f->severity, f->selector,
                f->jurisdictions, f->message, f->hint);
        for (uint32_t j = 0; j < f->why.n; j++)
            fprintf(x->out, "  %s\n", f->why.v[j]);
    }
}

/* Free what the step made (a failed step may have made part of it). */
static void
undo_demo(struct run *x)
{
    model_free(x->dm);
    x->dm = NULL;
}

static void
undo_load(struct run *x)
{
    store_close(x->st);
    model_free(x->m);
    x->st = NULL;
    x->m = NULL;
}

static void
undo_check(struct run *x)
{
    check_result_free(x->r);
    rulepack_free(x->rp);
    x->r = NULL;
    x->rp = NULL;
}

static void
undo_export(struct run *x)
{
    report_free(x->rep);
    x->rep = NULL;
}

static void
undo_model_json(struct run *x)
{
    model_free(x->mj);
    x->mj = NULL;
}

static void
undo_atlas(struct run *x)
{
    import_run_free(x->irun);
    import_map_free(x->map);
    model_free(x->am);
    x->irun = NULL;
    x->map = NULL;
    x->am = NULL;
}

/* A step needs the products of the one before it (need), or nothing
 * (-1); the walk of a step makes those once and reruns only the step. */
static const struct step {
    const char *name;
    int need;
    int (*run)(struct run *x, struct sm_error *e);
    void (*digest)(struct run *x);
    void (*undo)(struct run *x);
} steps[] = {
    { "demo",       -1, step_demo,       digest_demo,  undo_demo },
    { "load",        0, step_load,       digest_load,  undo_load },
    { "check",       1, step_check,      digest_check, undo_check },
    { "export",      2, step_export,     NULL,         undo_export },
    { "model-json", -1, step_model_json, NULL,         undo_model_json },
    { "atlas",      -1, step_atlas,      NULL,         undo_atlas },
};
#define NSTEPS ((int)(sizeof steps / sizeof *steps))
_Static_assert(NSTEPS <= 6, "step_count has 8 slots, the last two for the CLI");

/* Make what step s needs, with no failure. */
static void
prepare(struct run *x, int s)
{
    SM_ERROR(e);

    if (s < 0)
        return;
    prepare(x, steps[s].need);
    if (steps[s].run(x, &e) != SM_OK)
        fail_msg("%s: %s", steps[s].name, e.msg);
}

static void
unprepare(struct run *x, int s)
{
    for (; s >= 0; s = steps[s].need)
        steps[s].undo(x);
}

/* Run step s once, failing its allocation k (0: none); *out and *len get
 * what it wrote and its digest (the caller frees it). Returns its code. */
static int
run_step(struct run *x, int s, long k, struct sm_error *e, char **out, size_t *len)
{
    int rc;

    sm_error_fini(e);
    /* between steps (cur_step -1): never failed, never counted */
    if (!(x->out = open_memstream(out, len)))
        fail_msg("open_memstream: %s", strerror(errno));
    memset(step_count, 0, sizeof step_count);
    armed_step = k ? s : -1;
    fail_at = k;
    injected = false;
    injected_in_jansson = false;
    cur_step = s;
    rc = steps[s].run(x, e);
    cur_step = -1;
    armed_step = -1;
    if (rc == SM_OK && steps[s].digest)
        steps[s].digest(x);
    fclose(x->out);
    x->out = NULL;
    steps[s].undo(x);
    return rc;
}

static long
env_long(const char *name, long dflt)
{
    const char *v = getenv(name);

    return v && *v ? strtol(v, NULL, 10) : dflt;
}

/* $var.base and $var.got: what the runs without and with the failure wrote. */
static void
dump(const char *var, const char *text, size_t len, const char *ext)
{
    const char *v = getenv(var);
    char p[1100];
    FILE *f;

    if (!v || !*v)
        return;
    snprintf(p, sizeof p, "%s%s", v, ext);
    if ((f = fopen(p, "wb"))) {
        fwrite(text, 1, len, f);
        fclose(f);
    }
}

/* Runs per step at most, unless OOM_ALL: about 4 s of CPU in the plain
 * build, 17 s under ASan. Under valgrind (tests/run.sh sets SOVMAP_WRAP for
 * VALGRIND=1), which is some 30 times slower, a tenth of them. */
static long
oom_runs(void)
{
    const char *vg = getenv("SOVMAP_WRAP");

    return vg && *vg ? 25 : 250;
}
#define OOM_RUNS oom_runs()
/* A step of at most this many allocations is walked whole. */
#define OOM_WHOLE (4 * OOM_RUNS)

static void
test_oom_walk(void **state)
{
    struct run x = { 0 };
    SM_ERROR(e);
    long only_k = env_long("OOM_K", 0), runs = 0, enomem = 0, other = 0, absorbed = 0;
    long jansson_short = 0;
    long total = 0;
    const char *only_step = getenv("OOM_STEP");
    bool all = env_long("OOM_ALL", 0) != 0;

    (void)state;
    for (int s = 0; s < NSTEPS; s++) {
        char *base, *got;
        size_t base_len, got_len;
        long count, stride = 1, n = 0;

        if (only_step && strcmp(only_step, steps[s].name) != 0)
            continue;
        prepare(&x, steps[s].need);
        /* the run without a failure: it must succeed, and counts; twice,
         * so that what is made once per process (SQLite's initialization)
         * is not counted */
        for (int i = 0; i < 2; i++) {
            if (i)
                free(base);
            if (run_step(&x, s, 0, &e, &base, &base_len) != SM_OK)
                fail_msg("%s: %s", steps[s].name, e.msg);
        }
        count = step_count[s];
        if (!all && !only_k && count > OOM_WHOLE)
            stride = (count + OOM_RUNS - 1) / OOM_RUNS;
        for (long k = 1; k <= count; k += stride) {
            /* with a stride, the last run fails the step's last allocation */
            long kk = k + stride > count ? count : k;
            int rc;

            if (only_k && kk != only_k)
                continue;
            if (getenv("OOM_TRACE"))
                fprintf(stderr, "oom: run %s %ld\n", steps[s].name, kk);
            rc = run_step(&x, s, kk, &e, &got, &got_len);
            n++;
            if (!injected)
                fail_msg("%s: allocation %ld of %ld was never made: the run is not "
                         "deterministic", steps[s].name, kk, count);
            if (rc == SM_OK) {
                /* absorbed: then nothing the step made may differ */
                absorbed++;
                if ((got_len != base_len || memcmp(got, base, base_len) != 0) &&
                    injected_in_jansson) {
                    jansson_short++;
                } else if (got_len != base_len || memcmp(got, base, base_len) != 0) {
                    dump("OOM_DUMP", base, base_len, ".base");
                    dump("OOM_DUMP", got, got_len, ".got");
                    fail_msg("%s: allocation %ld failed, the step succeeded but made "
                             "something else", steps[s].name, kk);
                }
            } else if (rc < SM_EFIRST || rc >= SM_ECODE_END || !e.msg[0]) {
                fail_msg("%s: allocation %ld failed: code %d, message \"%s\"",
                         steps[s].name, kk, rc, e.msg);
            } else if (rc == SM_ENOMEM) {
                enomem++;
            } else {
                other++;
                if (getenv("OOM_VERBOSE"))
                    fprintf(stderr, "oom: %s %ld: %s: %s\n", steps[s].name, kk,
                            sm_code_name(rc), e.msg);
            }
            free(got);
        }
        free(base);
        unprepare(&x, steps[s].need);
        /* once a step, not once a run (a check costs a heap scan): the
         * report's stacks name the leak, OOM_K reruns one case */
        if (__lsan_do_recoverable_leak_check && __lsan_do_recoverable_leak_check())
            fail_msg("%s: a failed allocation leaked (above)", steps[s].name);
        fprintf(stderr, "oom: %-10s %6ld allocations, %4ld failed (every %ld%s)\n",
                steps[s].name, count, n, stride, stride > 1 ? ", and the last" : "");
        runs += n;
        total += count;
    }
    remove_db();
    fprintf(stderr, "oom: %ld allocations, %ld runs: %ld SM_ENOMEM, %ld another error, "
            "%ld absorbed (%ld of them wrong inside json_dumps)\n", total, runs, enomem,
            other, absorbed, jansson_short);
}

/* ---- the command line: an error never reads as "findings" ---------------------- */

#define CLI_STEP 6      /* its slot in step_count */

/* `sovmap check` on the demo catalog, in process, as main runs it. */
static int
run_check(long k, char **out, size_t *nout, char **err, size_t *nerr)
{
    struct cli c = { 0 };
    char *argv[] = { "check", NULL };
    int rc;

    c.catalog = db_path;
    c.datadir = tl_datadir();
    c.today = 20261126;
    if (!(c.out = open_memstream(out, nout)) || !(c.err = open_memstream(err, nerr)))
        fail_msg("open_memstream: %s", strerror(errno));
    memset(step_count, 0, sizeof step_count);
    armed_step = k ? CLI_STEP : -1;
    fail_at = k;
    injected = false;
    injected_in_jansson = false;
    cur_step = CLI_STEP;
    rc = cli_exit_status(cli_run(&c, cli_command("check"), 1, argv));
    if (cli_finish(&c, true) != CLI_OK && rc == CLI_OK)
        rc = CLI_USAGE;
    cur_step = -1;
    armed_step = -1;
    rulepack_free(c.rp);
    model_free(c.m);
    model_free(c.retired);
    store_close(c.st);
    fclose(c.out);
    fclose(c.err);
    return rc;
}

static void
test_oom_cli_check(void **state)
{
    struct run x = { 0 };
    char *base, *out, *err;
    size_t nbase, nout, nerr;
    long count, stride = 1, runs = 0, errors = 0, absorbed = 0;
    bool all = env_long("OOM_ALL", 0) != 0;
    const char *only_step = getenv("OOM_STEP");
    long only_k = env_long("OOM_K", 0);

    (void)state;
    if (only_step && strcmp(only_step, "cli-check") != 0)
        skip();
    prepare(&x, 0);
    for (int i = 0; i < 2; i++) {
        if (i)
            free(base);
        if (run_check(0, &base, &nbase, &err, &nerr) != CLI_FINDINGS)
            fail_msg("check of the demo: not exit 1: %s", err);
        free(err);
    }
    count = step_count[CLI_STEP];
    if (!all && !only_k && count > OOM_WHOLE)
        stride = (count + OOM_RUNS - 1) / OOM_RUNS;
    for (long k = 1; k <= count; k += stride) {
        long kk = k + stride > count ? count : k;
        int rc;

        if (only_k && kk != only_k)
            continue;
        rc = run_check(kk, &out, &nout, &err, &nerr);
        runs++;
        if (rc == CLI_USAGE && strncmp(err, "sovmap: ", 8) == 0) {
            errors++;
        } else if (rc == CLI_FINDINGS && nout == nbase && memcmp(out, base, nbase) == 0) {
            absorbed++;     /* the failure was absorbed: the same report */
        } else if (rc == CLI_FINDINGS && injected_in_jansson) {
            absorbed++;     /* jansson's own (above) */
        } else {
            dump("OOM_DUMP", base, nbase, ".base");
            dump("OOM_DUMP", out, nout, ".got");
            fail_msg("check: allocation %ld failed: exit %d, stderr \"%s\"", kk, rc, err);
        }
        free(out);
        free(err);
    }
    free(base);
    undo_demo(&x);
    remove_db();
    if (__lsan_do_recoverable_leak_check && __lsan_do_recoverable_leak_check())
        fail_msg("check: a failed allocation leaked (above)");
    fprintf(stderr, "oom: cli check %6ld allocations, %4ld failed (every %ld): %ld exit 2, "
            "%ld the same report\n", count, runs, stride, errors, absorbed);
}

static char *
slurp_or_fail(const char *path, size_t *len)
{
    char *t = tl_slurp(path, len);

    if (!t)
        fail_msg("cannot read %s", path);
    return t;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oom_walk),
        cmocka_unit_test(test_oom_cli_check),
    };
    int rc;

    install_allocators();
    demo_text = slurp_or_fail(tl_path(tl_datadir(), "demo/demo.json"), &demo_len);
    model_text = slurp_or_fail(tl_path(tl_fixtures(), "hand-edited/model.json"), &model_len);
    for (int i = 0; i < 2; i++)
        atlas_text[i] = slurp_or_fail(tl_path(tl_fixtures(), atlas_files[i]), &atlas_len[i]);
    /* the catalog is rewritten on every run of the demo step: in memory
     * when /dev/shm is there (the disk's fsyncs would be most of the time) */
    if (access("/dev/shm", W_OK) == 0)
        snprintf(db_path, sizeof db_path, "/dev/shm/sovmap-oom-%ld.db", (long)getpid());
    else
        snprintf(db_path, sizeof db_path, "%s", tl_path(tl_tmpdir(), "oom.db"));
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(demo_text);
    free(model_text);
    for (int i = 0; i < 2; i++)
        free(atlas_text[i]);
    return rc;
}
