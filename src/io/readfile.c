/*
 * readfile.c - reading a whole input file with a size cap (see readfile.h).
 * Must not depend on: the model, SQLite, curses.
 */
#include "readfile.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "sm.h"

bool
readfile_json_nomem(const json_error_t *je)
{
    /* jansson 2.14 reports its failed allocations as a syntax error at line
     * -1 with no text (json_error_out_of_memory is never set) */
    return je->text[0] == '\0';
}

int
readfile_json_error(const json_error_t *je, const char *name, struct sm_error *err)
{
    if (readfile_json_nomem(je))
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", name);
    return sm_error_set(err, SM_EPARSE, "%s:%d:%d: %s", name, je->line, je->column, je->text);
}

char *
readfile_all(const char *path, size_t max, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    struct stat st;
    char *buf = NULL, *nb;
    size_t cap = 0, n, want;
    int e = 0;

    *len = 0;
    if (!f)
        return NULL;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
        if ((uintmax_t)st.st_size > max) {
            e = EFBIG;
            goto out;
        }
        cap = (size_t)st.st_size + 2;   /* one byte more notices growth */
        if (!(buf = malloc(cap))) {
            e = ENOMEM;
            goto out;
        }
    }
    for (;;) {
        if (*len + 1 >= cap) {
            /* grow, never past max + 2: a pipe is stopped at the cap */
            if (cap >= max + 2) {
                e = EFBIG;
                break;
            }
            want = cap ? cap * 2 : 65536;
            if (want > max + 2 || want < cap)
                want = max + 2;
            if (!(nb = realloc(buf, want))) {
                e = ENOMEM;
                break;
            }
            buf = nb;
            cap = want;
        }
        n = fread(buf + *len, 1, cap - *len - 1, f);
        *len += n;
        if (*len > max) {
            e = EFBIG;
            break;
        }
        if (n == 0)
            break;
    }
    if (!e && ferror(f))
        e = EIO;
out:
    if (f != stdin)
        fclose(f);
    if (e) {
        free(buf);
        *len = 0;
        errno = e;
        return NULL;
    }
    buf[*len] = '\0';
    return buf;
}

/* The file mapped now (a command reads one export at a time): a file cut
 * short while it is mapped raises SIGBUS on its pages past the new end.
 * The handler puts zero pages there instead, so the parse goes on to an
 * error of its own, and readfile_unmap says what happened. */
static struct {
    char *base;
    size_t len, page;
    int fd;
    struct stat st;
    volatile sig_atomic_t cut;
    struct sigaction old;
} mapped = { .fd = -1 };

static void
on_sigbus(int sig, siginfo_t *si, void *ctx)
{
    char *a = si->si_addr, *from;

    (void)sig;
    (void)ctx;
    if (mapped.base && a >= mapped.base && a < mapped.base + mapped.len) {
        from = mapped.base + (size_t)(a - mapped.base) / mapped.page * mapped.page;
        if (mmap(from, (size_t)(mapped.base + mapped.len - from), PROT_READ,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
            mapped.cut = 1;
            return;
        }
    }
    /* not ours (or no room): the next fault ends the process as before */
    sigaction(SIGBUS, &mapped.old, NULL);
}

char *
readfile_map(const char *path, size_t *len)
{
    struct sigaction sa;
    struct stat st;
    void *p;
    int fd, e;

    *len = 0;
    /* stat first: a pipe is never opened twice (its writer would see it closed) */
    if (strcmp(path, "-") == 0 || (stat(path, &st) == 0 && !S_ISREG(st.st_mode))) {
        errno = ENODEV;
        return NULL;
    }
    if (mapped.base) { /* one mapping at a time */
        errno = EBUSY;
        return NULL;
    }
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return NULL;
    if (fstat(fd, &st)) {
        e = errno;
        close(fd);
        errno = e;
        return NULL;
    }
    if (!S_ISREG(st.st_mode) || st.st_size <= 0 || (uintmax_t)st.st_size > SIZE_MAX) {
        close(fd);
        errno = ENODEV;
        return NULL;
    }
    p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
        e = errno;
        close(fd);
        errno = e;
        return NULL;
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    mapped.base = p;
    mapped.len = (size_t)st.st_size;
    mapped.page = (size_t)sysconf(_SC_PAGESIZE);
    mapped.fd = fd;
    mapped.st = st;
    mapped.cut = 0;
    sigaction(SIGBUS, &sa, &mapped.old);
    /* read front to back once */
    madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
    *len = (size_t)st.st_size;
    return p;
}

int
readfile_unmap(char *text, size_t len)
{
    struct stat now;
    int rc = 0;

    if (!text)
        return 0;
    if (text == mapped.base) {
        /* cut short (the handler saw it), or changed in place since it was
         * opened: what was read is not the file as it was (a file renamed
         * over it is another file, and leaves this one whole) */
        if (mapped.cut || fstat(mapped.fd, &now) || now.st_size != mapped.st.st_size ||
            now.st_mtim.tv_sec != mapped.st.st_mtim.tv_sec ||
            now.st_mtim.tv_nsec != mapped.st.st_mtim.tv_nsec)
            rc = -1;
        sigaction(SIGBUS, &mapped.old, NULL);
        close(mapped.fd);
        mapped.base = NULL;
        mapped.fd = -1;
    }
    munmap(text, len);
    return rc;
}
