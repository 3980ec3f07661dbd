/*
 * bench.h - what every benchmark program needs: clocks, peak RSS, a seeded
 * random number generator, a growing text buffer for generated input files,
 * and dying with a message. Header-only: each bench program is one .c file.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "sm.h"

static inline double
bench_clock(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wall time, seconds. */
static inline double bench_wall(void) { return bench_clock(CLOCK_MONOTONIC); }

/* CPU time of this process, seconds: on a shared machine wall time also
 * measures the neighbours. */
static inline double bench_cpu(void) { return bench_clock(CLOCK_PROCESS_CPUTIME_ID); }

/* Peak resident set of this process so far, KiB. */
static inline long
bench_peak_kib(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* Deterministic pseudo-random number in [0, n) (xorshift64). */
static inline uint32_t
bench_rnd(uint64_t *state, uint32_t n)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return (uint32_t)(*state % n);
}

/* bench_die(what, err): the message, prefixed with the program's BENCH_PROG,
 * and exit status 2. */
#define bench_die(what, e) bench_die_(BENCH_PROG, (what), (e))

static inline void
bench_die_(const char *prog, const char *what, const struct sm_error *e)
{
    fprintf(stderr, "%s: %s: %s\n", prog, what, e && e->msg[0] ? e->msg : "failed");
    exit(2);
}

/* A text that grows as it is written: generated import files. */
struct bench_buf {
    char *p;
    size_t len, cap;
};

static inline void bench_put(struct bench_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline void
bench_put(struct bench_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < b->cap - b->len)
            break;
        b->cap = b->cap * 2 + 4096;
        if (!(b->p = realloc(b->p, b->cap))) {
            fputs("out of memory\n", stderr);
            exit(1);
        }
    }
    b->len += (size_t)n;
}

/* Write len bytes to path; 0, or 1 with a message. */
static inline int
bench_save(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(text, 1, len, f) == len;

    if (f && fclose(f))
        ok = 0;
    if (!ok)
        fprintf(stderr, "%s: cannot write\n", path);
    return !ok;
}

#endif
