/*
 * readfile.h - reading a whole input file with a size cap that holds
 * before the memory is taken: a regular file's size is checked with fstat
 * before anything is read, and a pipe or device (standard input,
 * /dev/zero) is read only until it passes the cap.
 */
#ifndef READFILE_H
#define READFILE_H

#include <stdbool.h>
#include <stddef.h>

/* The whole of path ("-" standard input), NUL-terminated, its length in
 * *len. NULL on failure with errno set: EFBIG when larger than max bytes
 * (nothing past max + 1 bytes is ever read or held), ENOMEM, or open's
 * and read's. */
char *readfile_all(const char *path, size_t max, size_t *len);

/* A regular, non-empty file mapped read-only (private), its length in
 * *len: pages are read as they are touched and may be let go again
 * (madvise), so a big file is never resident whole. NULL with errno set:
 * ENODEV when path is not a regular non-empty file ("-", a pipe, a device,
 * an empty file: read those with readfile_all), or open's and mmap's. */
char *readfile_map(const char *path, size_t *len);
/* Unmaps; -1 when the file was cut short or changed in place while it was
 * mapped (what was read is not the file: the pages past a new end read as
 * zeros instead of ending the process with SIGBUS), else 0. One file is
 * mapped at a time (EBUSY). */
int   readfile_unmap(char *text, size_t len);

/* A json_load* that failed: did jansson run out of memory? (2.14 says so
 * with an empty text, and gives every other error a text.) */
struct json_error_t;
struct sm_error;
bool readfile_json_nomem(const struct json_error_t *je);
/* Its error, for the file name: SM_ENOMEM "name: out of memory", or
 * SM_EPARSE "name:line:col: jansson's text". Returns the code. */
int  readfile_json_error(const struct json_error_t *je, const char *name, struct sm_error *err);

#endif
