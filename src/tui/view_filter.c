/*
 * view_filter.c - filtering a view's rows as you type (case-insensitive substring)
 * and the filter texts kept through re-checks.
 * Part of the list engine (src/tui/view_int.h); no curses here.
 */
#include "view_int.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Case-insensitive (ASCII) substring: lo and up are the needle in lower
 * and upper case. No calls in the loop: it runs over a million names per
 * key press. */
static bool
icontains(const char *hay, const char *lo, const char *up, size_t n)
{
    if (!hay)
        return false;
    for (const char *p = hay; *p; p++) {
        size_t i;
        if (*p != lo[0] && *p != up[0])
            continue;
        for (i = 1; i < n && (p[i] == lo[i] || p[i] == up[i]); i++)
            ;
        if (i == n)
            return true;
    }
    return false;
}

/* The same when every byte of the needle is an ASCII letter (fold[i]
 * 0x20: a byte matches when it or'ed with 0x20 is the lower case letter)
 * or has no other case (fold[i] 0): one comparison a byte, not two. */
static bool
icontains_fold(const char *hay, const char *lo, const char *fold, size_t n)
{
    char c0 = lo[0], f0 = fold[0];

    if (!hay)
        return false;
    for (const char *p = hay; *p; p++) {
        size_t i;
        if ((char)(*p | f0) != c0)
            continue;
        for (i = 1; i < n && (char)(p[i] | fold[i]) == lo[i]; i++)
            ;
        if (i == n)
            return true;
    }
    return false;
}

static bool
filter_test(const char *hay, const char *lo, const char *up, const char *fold, size_t n)
{
    return fold ? icontains_fold(hay, lo, fold, n) : icontains(hay, lo, up, n);
}

/* ---- filter texts kept through re-checks ---------------------------------- */

/* One step of the hashes of names' addresses (struct view: sig, psig). */
uint64_t
view_sig_step(uint64_t h, uint64_t x)
{
    h = (h ^ x) * 0x9e3779b97f4a7c15ull;
    return h ^ h >> 29;
}

/* Bytes for the flags of n rows and some to come (rows added by edits
 * then do not move the texts behind them), a multiple of 8. */
static size_t
flags_room(int32_t n)
{
    return ((size_t)n + 1 + (size_t)n / 64 + 64 + 7) / 8 * 8;
}

/* Runs of the model's own names a view's texts may have: beyond that
 * (names scattered among other strings: a model not from the load
 * snapshot) the names are copied into one run. */
static int32_t
runs_max(int32_t n)
{
    return 64 + n / 1024;
}

/* Bytes of the offsets of n rows, 8-aligned (the runs follow them). */
static size_t
offsets_room(int32_t n)
{
    return (sizeof(uint32_t) * (size_t)n + 7) & ~(size_t)7;
}

/* toff and tseg (and a copy's run) where they are in the match block:
 * the offsets at head, then the runs and the sentinel, then a copy. */
static void
texts_place(struct view *v, size_t head)
{
    uint8_t *p = v->match + head;
    struct text_seg *g = (struct text_seg *)(void *)(p + offsets_room(v->ntext));

    v->toff = (const uint32_t *)(void *)p;
    v->tseg = g;
    if (v->text_own)
        g[0].base = (const char *)(g + v->ntseg + 1);
}

/* Room for n + 1 match flags at the head of the match block, the kept
 * texts (if any) moved behind them. False when out of memory. */
bool
view_match_room(struct view *v, int32_t n)
{
    size_t head, tail, nhead;
    uint8_t *blk;

    if (n <= v->capmatch)
        return true;
    if (v->ntext <= 0) {
        if (!(blk = realloc(v->match, (size_t)n + 1)))
            return false;
        v->match = blk;
        v->capmatch = n;
        v->capblock = (size_t)n + 1;
        v->ntext = 0;
        return true;
    }
    head = (size_t)((const uint8_t *)(const void *)v->toff - v->match);
    tail = v->capblock - head;
    nhead = flags_room(n);
    if (!(blk = malloc(nhead + tail)))
        return false;
    memcpy(blk + nhead, v->match + head, tail);
    free(v->match);
    v->match = blk;
    v->capmatch = (int32_t)nhead - 1;
    v->capblock = nhead + tail;
    texts_place(v, nhead);
    return true;
}

static bool
texts_current(struct tui *t, const struct view *v, int32_t n)
{
    return v->ntext == n && n > 0 && v->text_m == t->m && v->text_mgen == t->m->generation &&
           v->text_fp == view_model_fp(t);
}

/* Row r's kept text, in run *s (rows looked up in rising order: *s
 * starts at 0 and follows them). */
static const char *
kept_text(const struct view *v, int32_t r, int32_t *s)
{
    while (v->tseg[*s + 1].first <= r)
        ++*s;
    return v->tseg[*s].base + v->toff[r];
}

/* Are runs of the model's own names still where the rows' names are?
 * With every row (all): each name's address against its run's; else the
 * first row of each run (a model freed and another made at its address,
 * the same generation, must not pass: its names lie elsewhere). */
static bool
runs_in_place(struct tui *t, const struct view *v, bool all)
{
    for (int32_t s = 0; s < v->ntseg; s++) {
        const struct text_seg *g = &v->tseg[s];
        int32_t end = all ? g[1].first : g->first + 1;
        for (int32_t r = g->first; r < end; r++)
            if (v->ops->filter_text(t, r, NULL, 0) != g->base + v->toff[r])
                return false;
    }
    return true;
}

/* How many rows (the first ones) the kept texts serve now: all of them
 * on the model they were made for; after an edit, as long as those
 * rows' names are where they were (one pass a generation); 0: none. */
int32_t
view_texts_rows(struct tui *t, struct view *v, int32_t n)
{
    uint64_t ph;

    if (v->ntext <= 0 || v->ntext > n || v->text_m != t->m)
        return 0;
    if (texts_current(t, v, n) || v->text_okgen == t->m->generation) {
        if (!v->text_own && !runs_in_place(t, v, false))
            v->ntext = 0;
        return v->ntext;
    }
    if (v->text_okgen && view_rows_kept(t, v, v->text_okgen)) {
        /* an edit that left the names be (the runs' first rows still
         * looked at, as above) */
        if (!v->text_own && !runs_in_place(t, v, false)) {
            v->ntext = 0;
            return 0;
        }
        v->text_okgen = t->m->generation;
        return v->ntext;
    }
    if (v->text_own) {
        ph = 1469598103934665603ull ^ (uint64_t)v->ntext;
        for (int32_t r = 0; r < v->ntext; r++)
            ph = view_sig_step(ph, (uint64_t)(uintptr_t)v->ops->filter_text(t, r, NULL, 0));
        if ((ph | 1) != v->text_psig) {
            v->ntext = 0;
            return 0;
        }
    } else if (!runs_in_place(t, v, true)) {
        v->ntext = 0;
        return 0;
    }
    v->text_okgen = t->m->generation;
    return v->ntext;
}

/* Every row's filter text (a name), for the filter to search one after
 * the other. Where the names lie end to end in the model (runs_max runs
 * at most), their offsets in their runs alone (4 bytes a row); else a
 * copy of them in one run, ASCII letters in lower case (the filter takes
 * them in either), after the flags. Off the key path: after the first
 * check's frame. Nothing when out of memory (the filter then reads the
 * names where they are). */
void
view_texts_build(struct tui *t, struct view *v)
{
    int32_t n = v->ops->count(t), nseg = 0, s;
    size_t total = 0, run = 0, head, need;
    uint64_t ph = 1469598103934665603ull ^ (uint64_t)n;
    const char *end = NULL;
    bool upper = false, own;
    struct text_seg *g;
    uint8_t *blk;
    uint32_t *off;

    v->ntext = 0;
    if (!v->ops->filter_name || n <= 0)
        return;
    for (int32_t r = 0; r < n; r++) {
        const char *name = v->ops->filter_text(t, r, NULL, 0), *p;
        size_t len;
        for (p = name; *p; p++)
            upper |= *p >= 'A' && *p <= 'Z';
        len = (size_t)(p - name) + 1;
        if (name != end || run + len > UINT32_MAX) {
            nseg++;
            run = 0;
        }
        run += len;
        end = name + len;
        total += len;
    }
    own = nseg > runs_max(n);
    if (own && total > UINT32_MAX)
        return;
    if (own)
        nseg = 1;
    head = flags_room(n);
    need = head + offsets_room(n) + sizeof *g * ((size_t)nseg + 1) + (own ? total : 0);
    if (need > v->capblock || n > v->capmatch) {
        if (!(blk = realloc(v->match, need)))
            return;
        v->match = blk;
        v->capblock = need;
    }
    v->capmatch = (int32_t)head - 1;    /* the flags end where the offsets begin */
    v->ntext = n;
    v->ntseg = nseg;
    v->text_own = own;
    v->text_upper = !own && upper;
    texts_place(v, head);
    off = (uint32_t *)(void *)(v->match + head);
    g = (struct text_seg *)(void *)(v->match + head + offsets_room(n));
    s = -1;
    end = NULL;
    run = 0;
    for (int32_t r = 0; r < n; r++) {
        const char *name = v->ops->filter_text(t, r, NULL, 0);
        size_t len = strlen(name) + 1;
        ph = view_sig_step(ph, (uint64_t)(uintptr_t)name);
        if (s < 0 || (!own && (name != end || run + len > UINT32_MAX))) {
            s++;
            g[s].first = r;
            if (!own)
                g[s].base = name;
            run = 0;
        }
        off[r] = (uint32_t)run;
        if (own) {
            char *text = (char *)g[0].base + run;
            for (size_t i = 0; i < len; i++)
                text[i] = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] | 0x20) : name[i];
        }
        run += len;
        g[s].len = (uint32_t)run;
        end = name + len;
    }
    g[nseg].base = NULL;
    g[nseg].first = n;
    g[nseg].len = 0;
    v->text_m = t->m;
    v->text_mgen = t->m->generation;
    v->text_fp = view_model_fp(t);
    v->text_psig = ph | 1;
    v->text_okgen = t->m->generation;
}

bool
view_texts_drop(struct view *v)
{
    size_t head;
    uint8_t *blk;

    if (v->ntext <= 0 || !v->toff)
        return false;
    /* the flags stay: they end where the offsets began */
    head = (size_t)((const uint8_t *)(const void *)v->toff - v->match);
    if ((blk = realloc(v->match, head)) != NULL) {
        v->match = blk;
        v->capblock = head;
    }
    v->ntext = 0;
    v->toff = NULL;
    v->tseg = NULL;
    return true;
}

/* Row r's filter text whole, for a view whose texts are made (findings,
 * regions, transfers): written into *buf, grown until the text fits (a
 * text cut by snprintf would miss a match at its end, or be cut inside
 * a character). "" when out of memory. */
static const char *
row_text(struct tui *t, struct view *v, int32_t r, char **buf, size_t *size)
{
    for (;;) {
        const char *s;
        char *nb;
        if (*size) {
            (*buf)[0] = 0;
            s = v->ops->filter_text(t, r, *buf, *size);
            if (s != *buf || strlen(s) + 1 < *size)
                return s;
        }
        if (*size > SIZE_MAX / 4 || !(nb = realloc(*buf, *size ? *size * 4 : 1024)))
            return "";
        *buf = nb;
        *size = *size ? *size * 4 : 1024;
    }
}

/* Mark the rows of v's kept run s whose text holds the needle (lo, up;
 * fold: as icontains_fold, for texts with ASCII capitals; NULL: the
 * texts have none, lo is what to find): one search through the run's
 * bytes (memchr for the first byte, not a loop a byte per row; both its
 * cases with fold), each hit marking its row, the search going on at the
 * next row; a needle never spans the NUL between two texts. */
static void
mark_run(struct view *v, int32_t s, const char *lo, const char *up, const char *fold,
         size_t nlen)
{
    const struct text_seg *g = &v->tseg[s];
    const char *base = g->base, *end = base + g->len, *p = base, *pa, *pb;
    char b = fold ? up[0] : lo[0];
    int32_t r = g->first, last = g[1].first - 1;

    if (!(pa = memchr(p, lo[0], (size_t)(end - p))))
        pa = end;
    if (b == lo[0] || !(pb = memchr(p, b, (size_t)(end - p))))
        pb = b == lo[0] ? pa : end;
    for (;;) {
        const char *q = pa < pb ? pa : pb;
        uint32_t at;
        size_t i = nlen;
        if (q >= end)
            break;
        if ((size_t)(end - q) >= nlen) {
            if (!fold)
                i = memcmp(q, lo, nlen) == 0 ? nlen : 0;
            else
                for (i = 0; i < nlen && (char)(q[i] | fold[i]) == lo[i]; i++)
                    ;
        }
        if ((size_t)(end - q) < nlen || i < nlen) {
            p = q + 1;
        } else {
            at = (uint32_t)(q - base);
            while (r < last && v->toff[r + 1] <= at)
                r++;
            v->match[r] = 1;
            if (r == last)
                break;
            p = base + v->toff[r + 1];
        }
        if (pa < p && !(pa = memchr(p, lo[0], (size_t)(end - p))))
            pa = end;
        if (b == lo[0])
            pb = pa;
        else if (pb < p && !(pb = memchr(p, b, (size_t)(end - p))))
            pb = end;
    }
}

/* Rows of order that match the filter, into rows, keeping the order.
 * Names are tested in id order (sequential in memory, which matters at a
 * million rows), marking v->match; the sorted rows are then picked by
 * their mark. When the filter only grew, only rows that matched before
 * are tested again. */
void
view_apply_filter(struct tui *t, struct view *v, bool narrow)
{
    size_t flen = strlen(v->filter);
    char *lo, *up, *fold, *folded, *buf = NULL;
    const char *kfold;
    size_t nlen = 0, bufsize = 0;
    int32_t n = v->ops->count(t), k = 0, nt;
    const int32_t *src;
    int32_t nsrc;

    if (!flen) {
        /* every row of the order: rows are order itself (at a million
         * rows a copy was 4 MB a view) */
        view_rows_are_order(v);
        v->nrows = v->norder;
        return;
    }
    /* Rows of their own for the filter's; narrowing reads the rows the
     * shorter filter kept (never order's: that filter had rows of its own) */
    if (v->rows_order)
        narrow = false;
    if (view_rows_own(v, v->norder + 1) != SM_OK) {
        v->nrows = 0;
        return;
    }
    src = narrow ? v->rows : v->order;
    nsrc = narrow ? v->nrows : v->norder;
    /* The needle whole, however long it was typed: lo, up and fold in
     * one block. */
    if (!(lo = malloc(3 * (flen + 1)))) {
        v->nrows = 0;
        return;
    }
    up = lo + flen + 1;
    fold = up + flen + 1;
    folded = fold;
    for (const char *p = v->filter; *p; p++, nlen++) {
        lo[nlen] = (char)tolower((unsigned char)*p);
        up[nlen] = (char)toupper((unsigned char)*p);
        fold[nlen] = lo[nlen] == up[nlen] ? 0 : 0x20;
        if (fold[nlen] ? !(lo[nlen] >= 'a' && lo[nlen] <= 'z' && up[nlen] == lo[nlen] - 0x20)
                       : lo[nlen] >= 'a' && lo[nlen] <= 'z')
            folded = NULL;      /* a case pair outside ASCII letters */
    }
    lo[nlen] = up[nlen] = fold[nlen] = 0;
    if (n > v->capmatch) {
        if (!view_match_room(v, n)) {
            v->nrows = 0;
            free(lo);
            return;
        }
        narrow = false;
        src = v->order;
        nsrc = v->norder;
    }
    /* The kept texts: good for a needle whose only case pairs are ASCII
     * letters (lo is then what to find; in a copy, and in names without
     * ASCII capitals, the letters are in lower case: lo alone). They
     * serve rows below nt; rows added since are read where they are. */
    nt = folded ? view_texts_rows(t, v, n) : 0;
    kfold = nt && v->text_upper ? folded : NULL;
    if (!narrow && nsrc > n / 2) {
        /* Most rows are listed: test them all (hidden ones too, never
         * picked below) rather than mark the listed ones one by one. */
        memset(v->match, 1, (size_t)n);
    } else if (!narrow) {
        memset(v->match, 0, (size_t)n);
        for (int32_t i = 0; i < nsrc; i++)
            v->match[src[i]] = 1;
    }
    if (nt && nsrc > n / 2) {
        memset(v->match, 0, (size_t)n);
        for (int32_t s = 0; s < v->ntseg; s++)
            mark_run(v, s, lo, up, kfold, nlen);
        for (int32_t r = nt; r < n; r++)
            v->match[r] = filter_test(v->ops->filter_text(t, r, NULL, 0), lo, up, folded,
                                      nlen);
    } else if (nt) {
        const char *name[64];
        int32_t row[64], s = 0;
        for (int32_t r = 0; r < n;) {
            int k2 = 0;
            for (; r < n && k2 < 64; r++)
                if (v->match[r])
                    row[k2++] = r;
            for (int i = 0; i < k2; i++) {
                name[i] = row[i] < nt ? kept_text(v, row[i], &s)
                                      : v->ops->filter_text(t, row[i], NULL, 0);
                PREFETCH(name[i]);
            }
            for (int i = 0; i < k2; i++)
                v->match[row[i]] = row[i] < nt && !kfold ? strstr(name[i], lo) != NULL
                                 : filter_test(name[i], lo, up, folded, nlen);
        }
    } else if (!v->ops->filter_name) {
        for (int32_t r = 0; r < n; r++)
            if (v->match[r])
                v->match[r] = filter_test(row_text(t, v, r, &buf, &bufsize), lo, up, folded,
                                          nlen);
    } else {
        /* Names a chunk at a time: their objects are looked up, then the
         * names are fetched ahead, then tested, so that the cache misses
         * of a chunk overlap (narrowing tests rows scattered over a
         * million objects: one miss after the other was 30 ms). */
        const char *name[64];
        int32_t row[64];
        for (int32_t r = 0; r < n;) {
            int k2 = 0;
            for (; r < n && k2 < 64; r++)
                if (v->match[r])
                    row[k2++] = r;
            for (int i = 0; i < k2; i++) {
                name[i] = v->ops->filter_text(t, row[i], NULL, 0);
                PREFETCH(name[i]);
            }
            for (int i = 0; i < k2; i++)
                v->match[row[i]] = filter_test(name[i], lo, up, folded, nlen);
        }
    }
    for (int32_t i = 0; i < nsrc; i++)
        if (v->match[src[i]])
            v->rows[k++] = src[i];
    v->nrows = k;
    free(buf);
    free(lo);
}
