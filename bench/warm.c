/*
 * warm.c - touch most of the machine's free memory once, before the
 * benchmarks (not a benchmark; bench/run.sh runs it first).
 *
 *   build/bench/warm [MAX_GIB]     (default 16; 0: do nothing)
 *
 * Why: on a virtual machine whose host backs guest memory only when the
 * guest first writes a page (Firecracker, the machine doc/performance.md
 * reports from, does), a page the guest has never used costs about five
 * times what a page it has used before costs to fault in (measured there:
 * 3.1 s against 0.55 s a GiB). A process gets whichever free pages the
 * kernel hands out, so a row of `make bench` that reads a few hundred MB of
 * fresh memory ran 15-40 % slower when it happened to get never-used pages
 * (a 1M load from the tables: 1.9 s of system time instead of 0.7 s) than
 * the same binary right after on the same catalog. That is a property of
 * the machine's first hour, not of sovmap: a machine that has been up a
 * while, or bare metal, has no such pages. Touching the free memory once
 * first makes every row run on memory the host has backed, as it would on
 * a machine in use.
 *
 * Touches min(MAX_GIB, MemAvailable - 2 GiB) in 256 MiB blocks, one write
 * per page, holds them all until the end (so that each block is new
 * memory, not the last one given back), then exits. Prints one line: the
 * GiB touched, the time, and the rate of the first and the last GiB.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define BENCH_PROG "warm"
#include "bench.h"

#define BLOCK ((size_t)256 << 20)

/* MemAvailable, bytes (0 if /proc/meminfo cannot say). */
static size_t
available(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    unsigned long long kib = 0;

    if (!f)
        return 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
            break;
    fclose(f);
    return (size_t)kib * 1024;
}

int
main(int argc, char **argv)
{
    double max_gib = argc > 1 ? atof(argv[1]) : 16;
    size_t avail = available(), want, page = (size_t)sysconf(_SC_PAGESIZE);
    size_t reserve = (size_t)2 << 30, nblocks, done = 0;
    double t0, t, first = 0, last = 0;
    void **blocks;

    if (max_gib <= 0 || avail <= reserve) {
        printf("memory warm-up: none (%s)\n", max_gib <= 0 ? "turned off" : "little free memory");
        return 0;
    }
    want = avail - reserve;
    if ((double)want > max_gib * (double)((size_t)1 << 30))
        want = (size_t)(max_gib * (double)((size_t)1 << 30));
    nblocks = want / BLOCK;
    if (!(blocks = calloc(nblocks + 1, sizeof *blocks)))
        return 1;
    t0 = bench_wall();
    for (size_t b = 0; b < nblocks; b++) {
        double tb = bench_wall();
        char *p = mmap(NULL, BLOCK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            break;
        for (size_t k = 0; k < BLOCK; k += page)
            p[k] = 1;
        blocks[b] = p;
        done++;
        tb = bench_wall() - tb;
        if (b < 4)
            first += tb;
        if (b + 4 >= nblocks)
            last += tb;
    }
    t = bench_wall() - t0;
    for (size_t b = 0; b < done; b++)
        munmap(blocks[b], BLOCK);
    free(blocks);
    printf("memory warm-up: %.1f GiB touched in %.1f s (first GiB %.2f s, last GiB %.2f s)\n",
           (double)(done * BLOCK) / (double)((size_t)1 << 30), t, done >= 4 ? first : 0,
           done >= 4 ? last : 0);
    return 0;
}
