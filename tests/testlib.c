/*
 * testlib.c - shared helpers for the unit tests (see testlib.h).
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *
tl_datadir(void)
{
    const char *d = getenv("SOVMAP_DATA");
    return d && *d ? d : "data";
}

const char *
tl_fixtures(void)
{
    const char *d = getenv("SOVMAP_FIXTURES");
    return d && *d ? d : "../shared/fixtures";
}

static char tmpdir[256];

static void
cleanup(void)
{
    char cmd[300];

    if (tmpdir[0]) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmpdir);
    }
}

const char *
tl_tmpdir(void)
{
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/sovmap-test-XXXXXX");
        if (!mkdtemp(tmpdir))
            abort();
        atexit(cleanup);
    }
    return tmpdir;
}

const char *
tl_path(const char *dir, const char *name)
{
    static char bufs[8][1024];
    static int next;
    char *b = bufs[next++ % 8];

    snprintf(b, sizeof bufs[0], "%s/%s", dir, name);
    return b;
}

char *
tl_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        if (len)
            *len = (size_t)n;
    }
    return buf;
}

static void
add_region(struct model *m, const char *id, const char *cc, const char *op)
{
    struct region r;

    model_region_init(&r);
    r.id = id;
    r.country = sm_cc(cc);
    r.operator_home = sm_cc(op);
    r.kind = REGION_CLOUD;
    r.builtin = 1;
    assert_int_equal(model_add_region(m, &r, NULL, NULL), SM_OK);
}

static void
add_tier(struct model *m, const char *name, int rank, int personal, int scope)
{
    struct tier t;

    model_tier_init(&t);
    t.name = name;
    t.rank = rank;
    t.personal = (uint8_t)personal;
    t.scope = t.backup_scope = t.key_scope = (uint8_t)scope;
    t.encryption_at_rest = personal;
    t.transit_encryption = personal;
    assert_int_equal(model_add_tier(m, &t, NULL, NULL), SM_OK);
}

struct model *
tl_small_model(void)
{
    struct model *m = model_new();

    assert_non_null(m);
    add_region(m, "aws:eu-west-1", "IE", "US");
    add_region(m, "aws:eu-central-1", "DE", "US");
    add_region(m, "aws:us-east-1", "US", "US");
    add_tier(m, "restricted", 3, 1, SCOPE_BLOC);
    add_tier(m, "confidential", 2, 1, SCOPE_ADEQUATE);
    add_tier(m, "public", 1, 0, SCOPE_GLOBAL);
    return m;
}
