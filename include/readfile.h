/*
 * readfile.h - reading a whole input file with a size cap that holds
 * before the memory is taken: a regular file's size is checked with fstat
 * before anything is read, and a pipe or device (standard input,
 * /dev/zero) is read only until it passes the cap.
 */
#ifndef READFILE_H
#define READFILE_H

#include <stddef.h>

/* The whole of path ("-" standard input), NUL-terminated, its length in
 * *len. NULL on failure with errno set: EFBIG when larger than max bytes
 * (nothing past max + 1 bytes is ever read or held), ENOMEM, or open's
 * and read's. */
char *readfile_all(const char *path, size_t max, size_t *len);

#endif
