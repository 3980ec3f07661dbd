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
    v->toff = (const uint32_t *)(const void *)(blk + nhead);
    v->text = (const char *)(v->toff + v->ntext + 1);
    return true;
}

static bool
texts_current(struct tui *t, const struct view *v, int32_t n)
{
    return v->ntext == n && n > 0 && v->text_m == t->m && v->text_mgen == t->m->generation &&
           v->text_fp == view_model_fp(t);
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
    if (texts_current(t, v, n) || v->text_okgen == t->m->generation)
        return v->ntext;
    if (v->text_okgen && view_rows_kept(t, v, v->text_okgen)) {
        v->text_okgen = t->m->generation;   /* an edit that left the names be */
        return v->ntext;
    }
    ph = 1469598103934665603ull ^ (uint64_t)v->ntext;
    for (int32_t r = 0; r < v->ntext; r++)
        ph = view_sig_step(ph, (uint64_t)(uintptr_t)v->ops->filter_text(t, r, NULL, 0));
    if ((ph | 1) != v->text_psig) {
        v->ntext = 0;
        return 0;
    }
    v->text_okgen = t->m->generation;
    return v->ntext;
}

/* Copy every row's filter text (a name) into the match block, after the
 * flags, ASCII letters in lower case (the filter takes them in either). Off the key path: after the first check's frame. Nothing when
 * out of memory (the filter then reads the names where they are). */
void
view_texts_build(struct tui *t, struct view *v)
{
    int32_t n = v->ops->count(t);
    size_t total = 0, head, need;
    uint64_t ph = 1469598103934665603ull ^ (uint64_t)n;
    uint8_t *blk;
    char *text;
    uint32_t *off;

    v->ntext = 0;
    if (!v->ops->filter_name || n <= 0)
        return;
    for (int32_t r = 0; r < n; r++)
        total += strlen(v->ops->filter_text(t, r, NULL, 0)) + 1;
    if (total > UINT32_MAX)
        return;
    head = flags_room(n);
    need = head + sizeof *off * ((size_t)n + 1) + total;
    if (need > v->capblock || n > v->capmatch) {
        if (!(blk = realloc(v->match, need)))
            return;
        v->match = blk;
        v->capblock = need;
    }
    v->capmatch = (int32_t)head - 1;    /* the flags end where the offsets begin */
    off = (uint32_t *)(void *)(v->match + head);
    text = (char *)(off + n + 1);
    total = 0;
    for (int32_t r = 0; r < n; r++) {
        const char *s = v->ops->filter_text(t, r, NULL, 0);
        size_t len = strlen(s) + 1;
        ph = view_sig_step(ph, (uint64_t)(uintptr_t)s);
        off[r] = (uint32_t)total;
        for (size_t i = 0; i < len; i++)
            text[total + i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] | 0x20) : s[i];
        total += len;
    }
    off[n] = (uint32_t)total;
    v->toff = off;
    v->text = text;
    v->ntext = n;
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
    v->text = NULL;
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
    const char *text;
    size_t nlen = 0, bufsize = 0;
    int32_t n = v->ops->count(t), k = 0, nt;
    const int32_t *src = narrow ? v->rows : v->order;
    int32_t nsrc = narrow ? v->nrows : v->norder;

    if (!flen) {
        memcpy(v->rows, v->order, sizeof *v->rows * (size_t)v->norder);
        v->nrows = v->norder;
        return;
    }
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
    /* The kept texts have ASCII letters in lower case: good for a needle
     * whose only case pairs are ASCII letters (lo is then what to find).
     * They serve rows below nt; rows added since are read where they are. */
    nt = folded ? view_texts_rows(t, v, n) : 0;
    text = nt ? v->text : NULL;
    if (!narrow && nsrc > n / 2) {
        /* Most rows are listed: test them all (hidden ones too, never
         * picked below) rather than mark the listed ones one by one. */
        memset(v->match, 1, (size_t)n);
    } else if (!narrow) {
        memset(v->match, 0, (size_t)n);
        for (int32_t i = 0; i < nsrc; i++)
            v->match[src[i]] = 1;
    }
    if (text && nsrc > n / 2) {
        /* One search through all the texts (memchr for the first byte,
         * not a loop a byte per row), each hit marking its row; a needle
         * never spans the NUL between two texts. */
        const char *p = text, *end = text + v->toff[nt];
        int32_t r = 0;
        memset(v->match, 0, (size_t)n);
        while (p < end && (p = memchr(p, lo[0], (size_t)(end - p))) != NULL) {
            uint32_t at = (uint32_t)(p - text);
            if ((size_t)(end - p) < nlen || memcmp(p, lo, nlen) != 0) {
                p++;
                continue;
            }
            while (v->toff[r + 1] <= at)
                r++;
            v->match[r] = 1;
            p = text + v->toff[r + 1];
        }
        for (r = nt; r < n; r++)
            v->match[r] = filter_test(v->ops->filter_text(t, r, NULL, 0), lo, up, folded,
                                      nlen);
    } else if (text) {
        int32_t row[64];
        for (int32_t r = 0; r < n;) {
            int k2 = 0;
            for (; r < n && k2 < 64; r++)
                if (v->match[r])
                    row[k2++] = r;
            for (int i = 0; i < k2; i++)
                if (row[i] < nt)
                    PREFETCH(text + v->toff[row[i]]);
            for (int i = 0; i < k2; i++)
                v->match[row[i]] = row[i] < nt ? strstr(text + v->toff[row[i]], lo) != NULL
                                 : filter_test(v->ops->filter_text(t, row[i], NULL, 0), lo,
                                               up, folded, nlen);
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
