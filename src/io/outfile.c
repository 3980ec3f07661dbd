/*
 * outfile.c - writing an output file safely (see outfile.h).
 * Must not depend on: the model, SQLite, curses.
 */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
outfile_open(struct outfile *o, const char *path, const char *mode, struct sm_error *err)
{
    struct stat st;
    mode_t mask;
    size_t n = strlen(path) + 16;
    int fd;

    memset(o, 0, sizeof *o);
    if (!(o->path = strdup(path)))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
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
    /* mkstemp makes the file 0600; an export is an ordinary file */
    if ((fd = mkstemp(o->tmp)) < 0 || fchmod(fd, 0666 & ~mask) != 0 ||
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
