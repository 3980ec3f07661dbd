/*
 * test_writers.c - the TUI and a CLI writer on one catalog at once
 * (doc/catalog.md "Many writers"). A child process runs `sovmap` commands
 * in a loop (fields and tags of a shared dataset, its description,
 * datasets and copies of its own) while the TUI, in this process, adds
 * datasets and copies, sets the shared dataset's owner and reloads, for
 * SOVMAP_WRITERS_SECONDS (30 by default). At the end every change that
 * either side reported as saved is in the catalog, the shared attributes
 * hold each side's last value, the audit log has one entry per saved
 * change, and the TUI's model is the catalog's. The load snapshot is on
 * for any size (SOVMAP_SNAPSHOT_MIN=1): both sides load from it whenever
 * it is good, and a stale one would lose a change.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "testlib.h"
#include "check.h"
#include "cli.h"
#include "model_json.h"
#include "store.h"
#include "tui.h"
#include "views.h"

static int
w_apply(void *ctx, struct model *m, const struct edit *e, struct edit_result *res,
        struct sm_error *err)
{
    return store_apply(((struct cli *)ctx)->st, m, e, res, err);
}

static int
w_revert(void *ctx, struct model *m, struct edit_result *res, struct sm_error *err)
{
    return store_revert(((struct cli *)ctx)->st, m, res, err);
}

static int
w_sync(void *ctx, bool force, bool *reloaded, char *summary, size_t size, struct sm_error *err)
{
    return cli_reload(ctx, force, reloaded, summary, size, err);
}

/* as the CLI's TUI does: the replaced model goes once the TUI settled, so
 * under ASan any later read of it is caught */
static void
w_settled(void *ctx)
{
    cli_release_retired(ctx);
}

static struct model *
w_model(void *ctx)
{
    return ((struct cli *)ctx)->m;
}

static char *
model_text(const struct model *m)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    SM_ERROR(err);

    assert_non_null(f);
    assert_int_equal(model_json_write(m, f, &err), SM_OK);
    fclose(f);
    return buf;
}

static int
seconds(void)
{
    const char *s = getenv("SOVMAP_WRITERS_SECONDS");
    int n = s && *s ? atoi(s) : 30;
    return n > 0 ? n : 30;
}

static void
sh(const char *bin, const char *cat, const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' --catalog '%s' %s >/dev/null", bin, cat, args);
    assert_int_equal(system(cmd), 0);
}

static int32_t
audit_count(const char *cat)
{
    char q[2048], buf[64] = "";
    FILE *p;

    snprintf(q, sizeof q, "sqlite3 -cmd '.timeout 10000' '%s' 'SELECT count(*) FROM audit'", cat);
    assert_non_null(p = popen(q, "r"));
    assert_non_null(fgets(buf, sizeof buf, p));
    pclose(p);
    return atoi(buf);
}

static void
test_tui_and_cli_writer(void **state)
{
    const char *bin = getenv("SOVMAP_BIN"), *dir = tl_tmpdir();
    char cat[1024], log[1024], script[4096], name[64], owner[64] = "";
    struct cli c;
    struct tui_ops ops = { 0 };
    struct tui_options o = { 0 };
    SM_ERROR(err);
    struct tui *t;
    int32_t nok = 0, naudit = 0, ncli = 0, nreload = 0, base;
    pid_t child;
    int status;
    time_t end;
    FILE *f;
    (void)state;

    if (!bin || access(bin, X_OK) != 0)
        skip();
    snprintf(cat, sizeof cat, "%s/writers.db", dir);
    snprintf(log, sizeof log, "%s/writers.log", dir);
    unlink(cat);
    sh(bin, cat, "init");
    sh(bin, cat, "dataset add shared --tier confidential --subjects EU");
    sh(bin, cat, "place shared aws:eu-west-1 --encrypted");
    base = audit_count(cat);

    memset(&c, 0, sizeof c);
    c.catalog = cat;
    c.datadir = tl_datadir();
    c.out = stdout;
    c.err = stderr;
    assert_int_equal(cli_open(&c, 0), CLI_OK);
    ops.ctx = &c;
    ops.apply = w_apply;
    ops.revert = w_revert;
    ops.sync = w_sync;
    ops.settled = w_settled;
    ops.model = w_model;
    o.catalog = cat;
    o.today = 20261126;
    assert_non_null(t = tui_new(c.m, &ops, &o, &err));

    /* the CLI writer: its successful commands' tokens go to the log */
    snprintf(script, sizeof script,
             "end=$(( $(date +%%s) + %d )); i=0; S() { '%s' --catalog '%s' \"$@\" "
             ">/dev/null 2>&1; }\n"
             "while [ \"$(date +%%s)\" -lt \"$end\" ]; do i=$((i+1))\n"
             "  S field add shared fc$i && echo field fc$i\n"
             "  S tag add shared.fc$i pii.c$i && echo tag pii.c$i\n"
             "  S dataset edit shared --description c$i && echo desc c$i\n"
             "  S dataset add dc$i --tier public && echo dataset dc$i\n"
             "  S place dc$i aws:eu-central-1 && echo copy dc$i@aws:eu-central-1\n"
             "done >'%s'\n", seconds(), bin, cat, log);
    if ((child = fork()) == 0) {
        execl("/bin/sh", "sh", "-c", script, (char *)NULL);
        _exit(127);
    }
    assert_true(child > 0);

    /* the TUI: edits through tui_apply, keys, reloads */
    end = time(NULL) + seconds();
    f = fopen(tl_path(dir, "tui.log"), "w");
    assert_non_null(f);
    for (int i = 1; time(NULL) < end; i++) {
        struct edit e = { .op = EDIT_ADD, .kind = OBJ_DATASET };
        struct key k = { 0, 0, 0 };

        snprintf(name, sizeof name, "dt%d", i);
        e.key = name;
        e.nattrs = 1;
        e.attrs[0].name = "tier";
        e.attrs[0].value = "public";
        if (tui_apply(t, &e, NULL) == SM_OK) {
            fprintf(f, "dataset %s\n", name);
            nok++;
            char sel[96];
            snprintf(sel, sizeof sel, "%s@aws:eu-north-1", name);
            struct edit p = { .op = EDIT_ADD, .kind = OBJ_PLACEMENT, .key = sel, .nattrs = 1,
                              .attrs = { { "role", "primary" } } };
            if (tui_apply(t, &p, NULL) == SM_OK) {
                fprintf(f, "copy %s\n", sel);
                nok++;
            }
        }
        char val[64];
        snprintf(val, sizeof val, "t%d", i);
        struct edit s = { .op = EDIT_SET, .kind = OBJ_DATASET, .key = "shared", .nattrs = 1,
                          .attrs = { { "owner", val } } };
        if (tui_apply(t, &s, NULL) == SM_OK) {
            snprintf(owner, sizeof owner, "%s", val);
            nok++;
        }
        k.code = i % 7 == 0 ? 'R' : 'j';
        tui_key(t, &k);
        tui_idle(t);
    }
    fclose(f);
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));

    /* what both sides saved is there */
    tui_idle(t);                /* the TUI takes the CLI's last changes */
    assert_ptr_equal(t->m, c.m);
    assert_null(c.retired);     /* settled: one model held, not two */
    {
        struct model *m = c.m;
        char line[256];
        const char *logs[] = { log, tl_path(dir, "tui.log") };
        for (int l = 0; l < 2; l++) {
            FILE *in = fopen(logs[l], "r");
            assert_non_null(in);
            while (fgets(line, sizeof line, in)) {
                char kind[32], what[200];
                int32_t id;
                if (sscanf(line, "%31s %199s", kind, what) != 2)
                    continue;
                if (l == 0)
                    ncli++;
                if (strcmp(kind, "field") == 0)
                    assert_int_not_equal(model_field(m, model_dataset(m, "shared"), what), SM_NONE);
                else if (strcmp(kind, "tag") == 0) {
                    bool found = false;
                    for (int32_t g = m->datasets[model_dataset(m, "shared")].first_tag;
                         g != SM_NONE; g = m->tags[g].next)
                        found |= strcmp(m->tags[g].tag, what) == 0;
                    if (!found)
                        fail_msg("lost tag %s", what);
                } else if (strcmp(kind, "dataset") == 0) {
                    if (model_dataset(m, what) == SM_NONE)
                        fail_msg("lost dataset %s", what);
                } else if (strcmp(kind, "copy") == 0) {
                    if (model_find(m, OBJ_PLACEMENT, what, &id, NULL) != SM_OK)
                        fail_msg("lost copy %s", what);
                } else if (strcmp(kind, "desc") == 0) {
                    /* the last one the CLI set */
                    snprintf(name, sizeof name, "%s", what);
                }
            }
            fclose(in);
        }
        int32_t d = model_dataset(m, "shared");
        if (ncli > 0 && strncmp(name, "c", 1) == 0)
            assert_string_equal(m->datasets[d].description, name);
        if (owner[0])
            assert_string_equal(m->datasets[d].owner, owner);
    }
    /* one audit entry per saved change: the TUI's, the CLI's */
    naudit = audit_count(cat);
    assert_int_equal(naudit - base, nok + ncli);
    /* the TUI shows the catalog as it is */
    {
        struct model *fresh = tl_base_model();
        struct store *st = NULL;
        char *a, *b;
        assert_int_equal(store_open(cat, STORE_READONLY, &st, &err), SM_OK);
        assert_int_equal(store_load(st, fresh, &err), SM_OK);
        store_close(st);
        a = model_text(fresh);
        b = model_text(t->m);
        if (strcmp(a, b) != 0) {
            FILE *fa = fopen(tl_path(dir, "catalog.json"), "w"), *fb = fopen(tl_path(dir, "tui.json"), "w");
            if (fa) fputs(a, fa), fclose(fa);
            if (fb) fputs(b, fb), fclose(fb);
            fail_msg("the TUI's model differs from the catalog: diff %s/catalog.json %s/tui.json", dir, dir);
        }
        free(a);
        free(b);
        model_free(fresh);
    }
    nreload = t->nreloads;
    printf("writers: TUI saved %d changes, CLI %d, TUI reloaded %d times\n", (int)nok,
           (int)ncli, (int)nreload);
    assert_true(nok > 10 && ncli > 10);
    tui_free(t);
    model_free(c.m);
    model_free(c.retired);
    store_close(c.st);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tui_and_cli_writer),
    };

    setenv("SOVMAP_SNAPSHOT_MIN", "1", 1);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
