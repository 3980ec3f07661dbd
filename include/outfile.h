/*
 * outfile.h - writing an output file safely. A regular file (or a new one)
 * is written beside its target and renamed over it only when complete, so a
 * failed report or export leaves the old file as it was. Anything else -
 * /dev/null, /dev/stdout, a FIFO, a terminal - is written in place: renaming
 * over a device would replace it with a plain file.
 */
#ifndef OUTFILE_H
#define OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "sm.h"

struct outfile {
    FILE *f;            /* write here */
    char *path;         /* the target (heap) */
    char *tmp;          /* the file being written, or NULL when in place */
};

/* Open path for writing (mode like fopen's "w" or "wb"; new files get
 * 0666 & ~umask, a replaced one its old mode). SM_EIO with "PATH: reason" on failure. */
int outfile_open(struct outfile *o, const char *path, const char *mode,
                 struct sm_error *err);
/* The same, refusing (SM_EINVAL, with a message saying why) to write over
 * keep (the open catalog, or its -wal, -shm or -journal file: same device
 * and inode, links followed) or over any SQLite database. outfile_open is
 * outfile_open_keep with keep NULL. An existing file keeps its mode. */
int outfile_open_keep(struct outfile *o, const char *path, const char *mode,
                      const char *keep, struct sm_error *err);
/* Finish: with ok, flush, sync and rename into place; without, discard
 * the temporary file. Always releases o. SM_EIO on a write error. */
int outfile_close(struct outfile *o, bool ok, struct sm_error *err);

#endif
