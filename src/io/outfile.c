/*
 * outfile.c - writing an output file safely (see outfile.h).
 * Must not depend on: the model, SQLite, curses.
 */
#include "outfile.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether a and b (stat'ed, links followed) are the same file. */
static bool
same_file(const struct stat *a, const char *b)
{
    struct stat sb;

    return stat(b, &sb) == 0 && a->st_dev == sb.st_dev && a->st_ino == sb.st_ino;
}

/* Whether keep, or its -wal, -shm, -journal or -snapshot (the load
 * snapshot, doc/catalog.md) file, is the file st. */
static bool
is_kept(const struct stat *st, const char *keep)
{
    static const char *const suffix[] = { "", "-wal", "-shm", "-journal", "-snapshot" };
    size_t n = strlen(keep) + 16;
    char *name;
    bool hit = false;

    if (!(name = malloc(n)))
        return false;
    for (size_t i = 0; !hit && i < sizeof suffix / sizeof *suffix; i++) {
        snprintf(name, n, "%s%s", keep, suffix[i]);
        hit = same_file(st, name);
    }
    free(name);
    return hit;
}

/* Whether the regular file at path begins with SQLite's magic. */
static bool
is_sqlite(const char *path)
{
    static const char magic[16] = "SQLite format 3"; /* bounded: the SQLite header and its '\0' */
    char head[16];    /* bounded: the first 16 bytes of a file, compared with magic */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    ssize_t n;

    if (fd < 0)
        return false;
    n = read(fd, head, sizeof head);
    close(fd);
    return n == (ssize_t)sizeof head && memcmp(head, magic, sizeof magic) == 0;
}

int
outfile_open(struct outfile *o, const char *path, const char *mode, struct sm_error *err)
{
    return outfile_open_keep(o, path, mode, NULL, err);
}

int
outfile_open_keep(struct outfile *o, const char *path, const char *mode, const char *keep,
                  struct sm_error *err)
{
    struct stat st;
    mode_t mask, perm;
    size_t n = strlen(path) + 16;
    bool exists;
    int fd;

    memset(o, 0, sizeof *o);
    exists = stat(path, &st) == 0;
    if (exists && keep && *keep && is_kept(&st, keep))
        return sm_error_set(err, SM_EINVAL, "%s is the open catalog (%s); refusing to write "
                            "over it: choose another output file", path, keep);
    if (exists && S_ISREG(st.st_mode) && is_sqlite(path))
        return sm_error_set(err, SM_EINVAL, "%s is an SQLite database; refusing to write "
                            "over it: choose another output file", path);
    if (!(o->path = strdup(path)))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    if (exists && !S_ISREG(st.st_mode)) {
        /* a device or a pipe: write straight into it */
        if (!(o->f = fopen(path, mode))) {
            sm_error_set(err, SM_EIO, "%s: %s", path, strerror(errno));
            free(o->path);
            o->path = NULL;
            return SM_EIO;
        }
        return SM_OK;
    }
    if (!(o->tmp = malloc(n))) {
        free(o->path);
        o->path = NULL;
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    }
    snprintf(o->tmp, n, "%s.tmpXXXXXX", path);
    mask = umask(0);
    umask(mask);
    /* mkstemp makes the file 0600; an export is an ordinary file, and a
     * file replaced keeps its mode (a 0600 report stays 0600) */
    perm = exists ? st.st_mode & 07777 : 0666 & ~mask;
    if ((fd = mkstemp(o->tmp)) < 0 || fchmod(fd, perm) != 0 ||
        !(o->f = fdopen(fd, mode))) {
        int saved = errno;
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp);
        }
        sm_error_set(err, SM_EIO, "%s: %s", path, strerror(saved));
        free(o->tmp);
        free(o->path);
        memset(o, 0, sizeof *o);
        return SM_EIO;
    }
    return SM_OK;
}

int
outfile_close(struct outfile *o, bool ok, struct sm_error *err)
{
    int rc = SM_OK;

    if (!o->f)
        return SM_OK;
    if (!ok) {
        fclose(o->f);
        if (o->tmp)
            unlink(o->tmp);
    } else if (fflush(o->f) != 0 || (o->tmp && fsync(fileno(o->f)) != 0)) {
        rc = sm_error_set(err, SM_EIO, "%s: %s", o->path, strerror(errno));
        fclose(o->f);
        if (o->tmp)
            unlink(o->tmp);
    } else if (fclose(o->f) != 0 || (o->tmp && rename(o->tmp, o->path) != 0)) {
        rc = sm_error_set(err, SM_EIO, "%s: %s", o->path, strerror(errno));
        if (o->tmp)
            unlink(o->tmp);
    }
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
    return rc;
}
