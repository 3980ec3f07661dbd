/*
 * sm_big.c - big arrays that a copy can share page by page (sm.h, "big
 * arrays"): the model's object arrays and name maps.
 *
 * A shareable block of SM_BIG_MIN bytes or more lives in an anonymous
 * memory file (memfd, Linux) mapped shared; sm_big_share maps the same
 * file privately at another address, so the copy costs a few system calls
 * and the kernel copies a 4 KiB page only when one side writes it (copy on
 * write). The copy sees the pages the original writes later until it has
 * written them itself: the original must not change while a share of it
 * is in use (the scenario's copy of the catalog in the TUI, doc/scenarios.md).
 * Anywhere else (small blocks, no memfd, out of descriptors) a block is a
 * heap block and a share is a plain copy.
 *
 * Every block carries a 64-byte header just before the pointer returned:
 * what it is, its room in bytes, and for a memory file its descriptor.
 */
#define _GNU_SOURCE
#include "sm.h"

#include <stdlib.h>
#include <string.h>

#ifdef __linux__
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#define BIG_MAGIC 0x5342494742u     /* "SBIGB" */
#define BIG_HDR   64
#define BIG_PAGE  4096

enum { BIG_HEAP, BIG_SHARED, BIG_PRIVATE };

struct big_hdr {
    uint64_t magic;
    size_t room;            /* usable bytes from the pointer */
    int fd;                 /* BIG_SHARED: the memory file; else -1 */
    uint8_t kind;
    uint8_t want;           /* asked for shareable: grows into a memory file */
};

static struct big_hdr *
hdr(const void *p)
{
    return (struct big_hdr *)((char *)p - BIG_HDR);
}

static size_t
page_up(size_t n)
{
    return (n + BIG_PAGE - 1) & ~(size_t)(BIG_PAGE - 1);
}

static void *
heap_block(size_t size, bool want)
{
    char *b = calloc(1, BIG_HDR + (size ? size : 1));
    struct big_hdr *h;

    if (!b)
        return NULL;
    h = hdr(b + BIG_HDR);
    h->magic = BIG_MAGIC;
    h->room = size;
    h->fd = -1;
    h->kind = BIG_HEAP;
    h->want = want;
    return b + BIG_HDR;
}

#ifdef __linux__
/* A memory file of room bytes (rounded up, with an eighth more so that a
 * copy can grow a little without copying: untouched pages cost nothing). */
static void *
file_block(size_t size)
{
    size_t room = page_up(size + size / 8 + BIG_PAGE);
    int fd = (int)syscall(SYS_memfd_create, "sovmap", 1u /* MFD_CLOEXEC */);
    char *b;
    struct big_hdr *h;

    if (fd < 0)
        return NULL;
    if (ftruncate(fd, (off_t)(BIG_PAGE + room)) != 0 ||
        (b = mmap(NULL, BIG_PAGE + room, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) ==
            MAP_FAILED) {
        close(fd);
        return NULL;
    }
    h = hdr(b + BIG_PAGE);
    h->magic = BIG_MAGIC;
    h->room = room;
    h->fd = fd;
    h->kind = BIG_SHARED;
    h->want = 1;
    return b + BIG_PAGE;
}
#endif

void *
sm_big_alloc(size_t size, bool shareable)
{
#ifdef __linux__
    if (shareable && size >= SM_BIG_MIN) {
        void *p = file_block(size);
        if (p)
            return p;
    }
#endif
    return heap_block(size, shareable);
}

void
sm_big_free(void *p)
{
    struct big_hdr *h;

    if (!p)
        return;
    h = hdr(p);
    if (h->kind == BIG_HEAP) {
        free((char *)p - BIG_HDR);
        return;
    }
#ifdef __linux__
    if (h->fd >= 0)
        close(h->fd);
    munmap((char *)p - BIG_PAGE, BIG_PAGE + h->room);
#endif
}

size_t
sm_big_room(const void *p)
{
    return p ? hdr(p)->room : 0;
}

void *
sm_big_realloc(void *p, size_t size)
{
    struct big_hdr *h;
    void *np;

    if (!p)
        return sm_big_alloc(size, false);
    h = hdr(p);
    if (size <= h->room)
        return p;
    if (h->kind == BIG_HEAP && !(h->want && size >= SM_BIG_MIN)) {
        char *b = realloc((char *)p - BIG_HDR, BIG_HDR + size);
        if (!b)
            return NULL;
        memset(b + BIG_HDR + hdr(b + BIG_HDR)->room, 0, size - hdr(b + BIG_HDR)->room);
        hdr(b + BIG_HDR)->room = size;
        return b + BIG_HDR;
    }
#ifdef __linux__
    if (h->kind == BIG_SHARED) {
        /* the same file, longer: its pages stay where they are */
        size_t room = page_up(size + size / 8);
        char *b;
        if (ftruncate(h->fd, (off_t)(BIG_PAGE + room)) == 0 &&
            (b = mmap(NULL, BIG_PAGE + room, PROT_READ | PROT_WRITE, MAP_SHARED, h->fd, 0)) !=
                MAP_FAILED) {
            munmap((char *)p - BIG_PAGE, BIG_PAGE + h->room);
            hdr(b + BIG_PAGE)->room = room;
            return b + BIG_PAGE;
        }
    }
#endif
    /* a heap block becoming a memory file, a private copy outgrowing its
     * room, or a file that would not grow: a new block and one copy */
    if (!(np = sm_big_alloc(size, h->want)))
        return NULL;
    memcpy(np, p, h->room);
    sm_big_free(p);
    return np;
}

void *
sm_big_share(const void *p, size_t size)
{
    const struct big_hdr *h;
    void *np;

    if (!p)
        return NULL;
    h = hdr(p);
#ifdef __linux__
    if (h->kind == BIG_SHARED) {
        char *b = mmap(NULL, BIG_PAGE + h->room, PROT_READ | PROT_WRITE, MAP_PRIVATE, h->fd, 0);
        if (b != MAP_FAILED) {
            struct big_hdr *nh = hdr(b + BIG_PAGE);
            nh->fd = -1;            /* this page is the copy's own from here */
            nh->kind = BIG_PRIVATE;
            return b + BIG_PAGE;
        }
    }
#endif
    if (size > h->room)
        size = h->room;
    if (!(np = sm_big_alloc(size, h->want)))
        return NULL;
    memcpy(np, p, size);
    return np;
}

void *
sm_big_trim(void *p, size_t size)
{
    char *b;

    if (!p || hdr(p)->kind != BIG_HEAP || size >= hdr(p)->room)
        return p;           /* a memory file's untouched pages cost nothing */
    if (!(b = realloc((char *)p - BIG_HDR, BIG_HDR + (size ? size : 1))))
        return p;
    hdr(b + BIG_HDR)->room = size;
    return b + BIG_HDR;
}

bool
sm_big_wants_share(const void *p)
{
    return p && hdr(p)->want;
}

bool
sm_big_is_shared(const void *p)
{
    return p && hdr(p)->kind == BIG_PRIVATE;
}

void
sm_big_release(void *p, const void *from, const void *to)
{
#ifdef __linux__
    struct big_hdr *h;
    uintptr_t lo, hi, base;

    if (!p)
        return;
    h = hdr(p);
    base = (uintptr_t)p;
    lo = (uintptr_t)from < base ? base : (uintptr_t)from;
    hi = (uintptr_t)to > base + h->room ? base + h->room : (uintptr_t)to;
    lo = (lo + BIG_PAGE - 1) & ~(uintptr_t)(BIG_PAGE - 1);
    hi &= ~(uintptr_t)(BIG_PAGE - 1);
    if (hi <= lo)
        return;
    if (h->kind == BIG_SHARED)          /* the file's pages themselves */
        (void)madvise((void *)lo, hi - lo, MADV_REMOVE);
    else if (h->kind == BIG_HEAP)       /* anonymous private memory */
        (void)madvise((void *)lo, hi - lo, MADV_DONTNEED);
    /* a share's pages may be the original's: kept */
#else
    (void)p;
    (void)from;
    (void)to;
#endif
}

int
sm_big_grow(void **p, int32_t *cap, int32_t need, size_t elsize, bool shareable)
{
    int64_t ncap;
    void *np;

    if (need <= *cap && *p)
        return SM_OK;
    if (*p && shareable)
        hdr(*p)->want = 1;      /* made shareable since: a memory file when big */
    ncap = *cap ? *cap : 16;
    while (ncap < need)
        ncap += (size_t)ncap * elsize >= SM_BIG_MIN * 32 ? (ncap + 7) / 8 : ncap;
    if (ncap > INT32_MAX)
        return SM_ENOMEM;
    /* new room is zero: sm_big_realloc zeroes a heap block's, a memory
     * file's pages past what was ever written are zero */
    np = *p ? sm_big_realloc(*p, (size_t)ncap * elsize)
            : sm_big_alloc((size_t)ncap * elsize, shareable);
    if (!np)
        return SM_ENOMEM;
    *p = np;
    *cap = (int32_t)ncap;
    return SM_OK;
}
