/*
 * store_fresh.c - a catalog written whole into a new file (STORE_NEW,
 * doc/catalog.md "Writing a whole catalog"): the connection writes a
 * temporary file beside the catalog, with an in-memory rollback journal and
 * no syncs (nothing else can see that file), and the first commit renames
 * it over the catalog's name after one fsync. The write is still one
 * transaction (statement and transaction rollbacks work as usual); a crash
 * or a failure before the rename leaves the old file, or no file, at the
 * catalog's name, never a half-written catalog: only a stray temporary file
 * (`CATALOG.new-PID`), removed by store_close when the process lives on.
 *
 * What it saves against the WAL (doc/performance.md, "Round 2 (issue #21):
 * the whole-catalog write, part 2"): every page written once into the file
 * instead of into the WAL and then again by the checkpoint, and the WAL's
 * checksums.
 *
 * After the rename the store is connected to the catalog's name as
 * store_open would have it (WAL, foreign keys), so it can go on being used.
 */
#include "store.h"
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

/* The temporary file's name: path.new-PID (one writer per process and
 * path; a leftover of a process that died with the same id is removed). */
int
fresh_name(struct store *st, struct sm_error *err)
{
    size_t n = strlen(st->path) + 32;

    if (!(st->tmp = malloc(n)))
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", st->path);
    snprintf(st->tmp, n, "%s.new-%ld", st->path, (long)getpid());
    fresh_discard(st, false);
    return SM_OK;
}

/* Remove the temporary file and what SQLite may have put beside it; free
 * its name when done. */
void
fresh_discard(struct store *st, bool done)
{
    static const char *const side[] = { "", "-journal", "-wal", "-shm" };
    size_t n;
    char *p;

    if (!st->tmp)
        return;
    n = strlen(st->tmp) + 16;
    if ((p = malloc(n))) {
        for (size_t i = 0; i < sizeof side / sizeof *side; i++) {
            snprintf(p, n, "%s%s", st->tmp, side[i]);
            unlink(p);
        }
        free(p);
    }
    if (done) {
        free(st->tmp);
        st->tmp = NULL;
    }
}

static int
sync_path(const char *path, int flags)
{
    int fd = open(path, flags), rc;

    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

/* The directory holding path ("." for a bare name), in a new string. */
static char *
dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    char *d;

    if (!slash)
        return strdup(".");
    if (!(d = malloc(n + 2)))
        return NULL;
    memcpy(d, path, n ? n : 1);     /* "/x": the root */
    d[n ? n : 1] = '\0';
    return d;
}

/* After the commit into the temporary file: make it the catalog. */
int
fresh_publish(struct store *st, struct sm_error *err)
{
    static const char *const side[] = { "-wal", "-shm", "-snapshot" };
    size_t n = strlen(st->path) + sizeof "-snapshot";
    char *p, *dir;
    int rc;

    /* the statements and the virtual tables belong to the old connection;
     * the views are TEMP ones */
    for (int i = 0; i < S_COUNT; i++) {
        sqlite3_finalize(st->stmt[i]);
        st->stmt[i] = NULL;
    }
    sqlite3_close_v2(st->db);
    st->db = NULL;
    st->bulk_modules = false;
    st->views = false;
    if (sync_path(st->tmp, O_RDONLY) != 0)
        return sm_error_set(err, SM_EIO, "%s: cannot sync %s: %s", st->path, st->tmp,
                            strerror(errno));
    /* a -wal left by the file this one replaces must not be read into it;
     * its load snapshot (named by no key of the new file) is only space */
    if (!(p = malloc(n)))
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", st->path);
    for (size_t i = 0; i < sizeof side / sizeof *side; i++) {
        snprintf(p, n, "%s%s", st->path, side[i]);
        if (unlink(p) != 0 && errno != ENOENT) {
            rc = sm_error_set(err, SM_EIO, "%s: cannot remove %s: %s", st->path, p,
                              strerror(errno));
            free(p);
            return rc;
        }
    }
    free(p);
    if (rename(st->tmp, st->path) != 0)
        return sm_error_set(err, SM_EIO, "%s: cannot rename %s to it: %s", st->path, st->tmp,
                            strerror(errno));
    free(st->tmp);
    st->tmp = NULL;
    /* the rename itself lasts once the directory is on disk */
    if ((dir = dir_of(st->path))) {
        sync_path(dir, O_RDONLY | O_DIRECTORY);
        free(dir);
    }
    if ((rc = store_connect(st, st->path, SQLITE_OPEN_READWRITE, err)) ||
        (rc = exec(st, "PRAGMA foreign_keys = ON", err)) ||
        (rc = exec(st, "PRAGMA journal_mode = WAL", err)) ||
        (rc = exec(st, "PRAGMA synchronous = NORMAL", err)))
        return rc;
    /* a model loaded before is as fresh as the file it was written to */
    return st->loaded ? pragma_int(st, "PRAGMA data_version", &st->dv, err) : SM_OK;
}
