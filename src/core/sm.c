/*
 * sm.c - project-wide basics (see sm.h). No I/O, no globals.
 */
#include "sm.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Take msg (heap, or NULL when formatting it ran out of memory) as err's
 * message, freeing the old one. */
static void
error_take(struct sm_error *err, char *msg)
{
    free(err->heap_);
    err->heap_ = msg;
    err->msg = msg ? msg : sm_code_name(err->code);
}

int
sm_error_vset(struct sm_error *err, int code, const char *fmt, va_list ap)
{
    if (!err)
        return code;
    err->code = code;
    error_take(err, sm_vstrdupf(fmt, ap));
    return code;
}

int
sm_error_set(struct sm_error *err, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    code = sm_error_vset(err, code, fmt, ap);
    va_end(ap);
    return code;
}

int
sm_error_prefix(struct sm_error *err, const char *fmt, ...)
{
    char *pre, *msg;
    va_list ap;

    if (!err)
        return SM_EINVAL;
    va_start(ap, fmt);
    pre = sm_vstrdupf(fmt, ap);
    va_end(ap);
    msg = pre ? sm_strdupf("%s: %s", pre, sm_error_msg(err)) : NULL;
    free(pre);
    if (msg)
        error_take(err, msg);
    return err->code;
}

const char *
sm_error_msg(const struct sm_error *err)
{
    return err && err->msg ? err->msg : "";
}

void
sm_error_fini(struct sm_error *err)
{
    if (!err)
        return;
    free(err->heap_);
    err->heap_ = NULL;
    err->msg = "";
    err->code = SM_OK;
}

int
sm_error_move(struct sm_error *dst, struct sm_error *src)
{
    int code = src->code;

    if (dst) {
        free(dst->heap_);
        dst->code = code;
        dst->heap_ = src->heap_;
        dst->msg = src->msg ? src->msg : "";
        src->heap_ = NULL;
    }
    sm_error_fini(src);
    return code;
}

const char *
sm_code_name(int code)
{
    static const char *const names[SM_ECODE_END - SM_EFIRST] = {
        "out of memory", "parse error", "catalog error", "i/o error",
        "usage error", "not found", "already exists", "invalid value",
        "catalog busy", "catalog read-only", "catalog version", "limit reached",
        "catalog changed",
    };
    if (code == SM_OK)
        return "ok";
    return code >= SM_EFIRST && code < SM_ECODE_END ? names[code - SM_EFIRST] : "error";
}

/* ---- arena ------------------------------------------------------------------ */

struct sm_arena_block {
    struct sm_arena_block *next;
    size_t size;
    max_align_t data[];
};

#define ARENA_BLOCK (256 * 1024)

void
sm_arena_init(struct sm_arena *a)
{
    a->head = NULL;
    a->used = 0;
    a->total = 0;
}

void
sm_arena_fini(struct sm_arena *a)
{
    struct sm_arena_block *b = a->head, *next;

    while (b) {
        next = b->next;
        free(b);
        b = next;
    }
    sm_arena_init(a);
}

void *
sm_arena_alloc(struct sm_arena *a, size_t n)
{
    struct sm_arena_block *b;
    size_t size;
    char *p;

    n = (n + 7) & ~(size_t)7;
    if (!a->head || a->head->size - a->used < n) {
        size = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
        b = malloc(sizeof *b + size);
        if (!b)
            return NULL;
        b->size = size;
        a->total += size;
        if (a->head && size != ARENA_BLOCK) {
            /* a big one-off: keep the current head for small allocations */
            b->next = a->head->next;
            a->head->next = b;
            memset(b->data, 0, n);
            return b->data;
        }
        b->next = a->head;
        a->head = b;
        a->used = 0;
    }
    p = (char *)a->head->data + a->used;
    a->used += n;
    memset(p, 0, n);
    return p;
}

/* A block for sm_arena_adopt: n bytes, not zeroed. */
void *
sm_arena_raw(size_t n)
{
    struct sm_arena_block *b = malloc(sizeof *b + n);

    if (!b)
        return NULL;
    b->size = n;
    return b->data;
}

void
sm_arena_raw_free(void *p)
{
    if (p)
        free((char *)p - offsetof(struct sm_arena_block, data));
}

void
sm_arena_adopt(struct sm_arena *a, void *p)
{
    struct sm_arena_block *b = (void *)((char *)p - offsetof(struct sm_arena_block, data));

    a->total += b->size;
    if (a->head) {
        /* like a big one-off: the head keeps taking small allocations */
        b->next = a->head->next;
        a->head->next = b;
    } else {
        /* a full head: the next allocation starts a new block */
        b->next = NULL;
        a->head = b;
        a->used = b->size;
    }
}

const struct sm_arena_block *
sm_arena_next(const struct sm_arena *a, const struct sm_arena_block *it, const char **data,
              size_t *size)
{
    it = it ? it->next : a->head;
    if (it) {
        *data = (const char *)it->data;
        *size = it->size;
    }
    return it;
}

/* Moves every block of src into a (src is left empty): a's head keeps
 * taking allocations, src's blocks only keep what they hold. */
void
sm_arena_absorb(struct sm_arena *a, struct sm_arena *src)
{
    struct sm_arena_block *b = src->head, *last;

    if (!b)
        return;
    a->total += src->total;
    if (!a->head) {
        *a = *src;
    } else {
        for (last = b; last->next; last = last->next)
            ;
        last->next = a->head->next;
        a->head->next = b;
    }
    sm_arena_init(src);
}

char *
sm_arena_strndup(struct sm_arena *a, const char *s, size_t n)
{
    char *p;

    if (!s)
        return NULL;
    p = sm_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
sm_arena_strdup(struct sm_arena *a, const char *s)
{
    static char empty[1];               /* bounded: the empty text */

    if (!s)
        return NULL;
    if (!*s)
        return empty;
    return sm_arena_strndup(a, s, strlen(s));
}

/* ---- map -------------------------------------------------------------------- */

#define TOMBSTONE ((const char *)1)

uint32_t
sm_hash(const char *s)
{
    uint32_t h = 2166136261u;   /* FNV-1a */

    while (*s) {
        h ^= (unsigned char)*s++;
        h *= 16777619u;
    }
    return h ? h : 1;
}

void
sm_map_init(struct sm_map *m)
{
    memset(m, 0, sizeof *m);
}

void
sm_map_fini(struct sm_map *m)
{
    uint8_t shareable = m->shareable;

    sm_big_free(m->slots);
    sm_map_init(m);
    m->shareable = shareable;
}

static int
rehash(struct sm_map *m, uint32_t cap)
{
    struct sm_map_slot *old = m->slots, *slots;
    uint32_t oldcap = m->cap, i, j;

    slots = sm_big_alloc((size_t)cap * sizeof *slots, m->shareable);
    if (!slots)
        return SM_ENOMEM;
    for (i = 0; i < oldcap; i++) {
        if (!old[i].key || old[i].key == TOMBSTONE)
            continue;
        for (j = old[i].hash & (cap - 1); slots[j].key; j = (j + 1) & (cap - 1))
            ;
        slots[j] = old[i];
    }
    sm_big_free(old);
    m->slots = slots;
    m->cap = cap;
    m->tomb = 0;
    return SM_OK;
}

uint32_t
sm_table_cap(uint32_t cap, uint32_t n, uint32_t tomb)
{
    if (!cap)
        cap = 16;
    while ((uint64_t)(n + tomb) * 4 >= (uint64_t)cap * 3)
        cap *= 2;
    return cap;
}

int
sm_map_reserve(struct sm_map *m, uint32_t n)
{
    uint32_t cap = sm_table_cap(m->cap, n, m->tomb);

    if (cap != m->cap || !m->slots)
        return rehash(m, cap);
    return SM_OK;
}

int
sm_map_put(struct sm_map *m, const char *key, int32_t val)
{
    uint32_t h = sm_hash(key), i;
    int64_t tomb = -1;

    if (sm_map_reserve(m, m->len + 1) != SM_OK)
        return SM_ENOMEM;
    for (i = h & (m->cap - 1); m->slots[i].key; i = (i + 1) & (m->cap - 1)) {
        if (m->slots[i].key == TOMBSTONE) {
            if (tomb < 0)
                tomb = i;
            continue;
        }
        if (m->slots[i].hash == h && strcmp(m->slots[i].key, key) == 0) {
            m->slots[i].key = key;
            m->slots[i].val = val;
            return SM_OK;
        }
    }
    if (tomb >= 0) {
        i = (uint32_t)tomb;
        m->tomb--;
    }
    m->slots[i].key = key;
    m->slots[i].hash = h;
    m->slots[i].val = val;
    m->len++;
    return SM_OK;
}

static int64_t
find(const struct sm_map *m, const char *key)
{
    uint32_t h, i;

    if (!m->cap || !key)
        return -1;
    h = sm_hash(key);
    for (i = h & (m->cap - 1); m->slots[i].key; i = (i + 1) & (m->cap - 1)) {
        if (m->slots[i].key != TOMBSTONE && m->slots[i].hash == h &&
            strcmp(m->slots[i].key, key) == 0)
            return i;
    }
    return -1;
}

int32_t
sm_map_get(const struct sm_map *m, const char *key)
{
    int64_t i = find(m, key);

    return i < 0 ? SM_NONE : m->slots[i].val;
}

bool
sm_map_del(struct sm_map *m, const char *key)
{
    int64_t i = find(m, key);

    if (i < 0)
        return false;
    m->slots[i].key = TOMBSTONE;
    m->len--;
    m->tomb++;
    return true;
}

int
sm_map_copy(struct sm_map *dst, const struct sm_map *src)
{
    sm_map_init(dst);
    dst->shareable = src->shareable;
    if (!src->cap)
        return SM_OK;
    dst->slots = sm_big_alloc((size_t)src->cap * sizeof *dst->slots, src->shareable);
    if (!dst->slots)
        return SM_ENOMEM;
    memcpy(dst->slots, src->slots, (size_t)src->cap * sizeof *dst->slots);
    dst->cap = src->cap;
    dst->len = src->len;
    dst->tomb = src->tomb;
    return SM_OK;
}

/* ---- arrays ------------------------------------------------------------------ */

#define SM_GROW_BIG ((size_t)8 << 20)

int
sm_grow(void **p, int32_t *cap, int32_t need, size_t elsize)
{
    int64_t ncap;
    void *np;

    if (need <= *cap)
        return SM_OK;
    /* doubling while small; past SM_GROW_BIG bytes by an eighth, so that one
     * more element in a million-row array (a copy added in the TUI) touches
     * an eighth of it, not a whole second array (the new tail is zeroed) */
    ncap = *cap ? *cap : 16;
    while (ncap < need)
        ncap += (size_t)ncap * elsize >= SM_GROW_BIG ? (ncap + 7) / 8 : ncap;
    if (ncap > INT32_MAX)
        return SM_ENOMEM;
    np = realloc(*p, (size_t)ncap * elsize);
    if (!np)
        return SM_ENOMEM;
    memset((char *)np + (size_t)*cap * elsize, 0, (size_t)(ncap - *cap) * elsize);
    *p = np;
    *cap = (int32_t)ncap;
    return SM_OK;
}

/* ---- countries --------------------------------------------------------------- */

int
sm_cc(const char *s)
{
    if (!s || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' || s[2])
        return SM_NONE;
    return (s[0] - 'A') * 26 + (s[1] - 'A');
}

/* ISO 3166-1 alpha-2, officially assigned codes (249), and EU. */
static const char known_codes[] =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN "
    "BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ "
    "DE DJ DK DM DO DZ EC EE EG EH ER ES ET EU FI FJ FK FM FO FR GA GB GD GE GF GG GH GI "
    "GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE "
    "JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD "
    "ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO "
    "NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC "
    "SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN "
    "TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

bool
sm_cc_known(int cc)
{
    if (cc < 0 || cc >= SM_CC_COUNT)
        return false;
    for (const char *p = known_codes; *p; p += p[2] ? 3 : 2)
        if ((p[0] - 'A') * 26 + (p[1] - 'A') == cc)
            return true;
    return false;
}

const char *
sm_cc_alias(const char *s)
{
    static const char *const alias[][2] = {
        { "UK", "GB" }, { "EL", "GR" }, { "UE", "EU" },
    };

    for (size_t i = 0; s && i < sizeof alias / sizeof *alias; i++)
        if ((s[0] & ~0x20) == alias[i][0][0] && (s[1] & ~0x20) == alias[i][0][1] && !s[2])
            return alias[i][1];
    return NULL;
}

void
sm_cc_str(int cc, char out[3])          /* bounded: a two-letter country code */
{
    if (cc < 0 || cc >= SM_CC_COUNT) {
        out[0] = out[1] = '?';
    } else {
        out[0] = (char)('A' + cc / 26);
        out[1] = (char)('A' + cc % 26);
    }
    out[2] = '\0';
}

void
sm_ccset_union(struct sm_ccset *dst, const struct sm_ccset *src)
{
    for (size_t i = 0; i < sizeof dst->w / sizeof dst->w[0]; i++)
        dst->w[i] |= src->w[i];
}

bool
sm_ccset_empty(const struct sm_ccset *s)
{
    for (size_t i = 0; i < sizeof s->w / sizeof s->w[0]; i++)
        if (s->w[i])
            return false;
    return true;
}

bool
sm_ccset_subset(const struct sm_ccset *a, const struct sm_ccset *b)
{
    for (size_t i = 0; i < sizeof a->w / sizeof a->w[0]; i++)
        if (a->w[i] & ~b->w[i])
            return false;
    return true;
}

int
sm_ccset_count(const struct sm_ccset *s)
{
    int n = 0;

    for (size_t i = 0; i < sizeof s->w / sizeof s->w[0]; i++)
        n += __builtin_popcountll(s->w[i]);
    return n;
}

int
sm_ccset_next(const struct sm_ccset *s, int from)
{
    for (int cc = from < 0 ? 0 : from; cc < SM_CC_COUNT; cc++)
        if (sm_ccset_has(s, cc))
            return cc;
    return SM_NONE;
}

/* ---- dates ------------------------------------------------------------------- */

static int
days_in_month(int y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : days[m - 1];
}

int
sm_date_parse(const char *s, int32_t *out)
{
    int y = 0, m = 0, d = 0, i;

    if (!s)
        return SM_EINVAL;
    for (i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return SM_EINVAL;
        } else if (s[i] < '0' || s[i] > '9') {
            return SM_EINVAL;
        }
    }
    if (s[10])
        return SM_EINVAL;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return SM_EINVAL;
    *out = y * 10000 + m * 100 + d;
    return SM_OK;
}

void
sm_date_fmt(int32_t d, char out[11])    /* bounded: YYYY-MM-DD */
{
    if (d <= 0) {
        out[0] = '\0';
        return;
    }
    /* what "%04d-%02d-%02d" of (d / 10000 % 10000, d / 100 % 100, d % 100)
     * prints, without snprintf's parsing (~1,800 instructions a date: the
     * whole-catalog write formats every flow's validity; doc/performance.md,
     * "the whole-catalog write, part 4") */
    int y = (int)(d / 10000 % 10000), mo = (int)(d / 100 % 100), da = (int)(d % 100);

    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + mo / 10);
    out[6] = (char)('0' + mo % 10);
    out[7] = '-';
    out[8] = (char)('0' + da / 10);
    out[9] = (char)('0' + da % 10);
    out[10] = '\0';
}

/* ---- strings ------------------------------------------------------------------ */

bool
sm_needs_quotes(const char *s)
{
    if (!*s)
        return true;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p == ' ' || *p == '"' || *p == '\\' || *p == '\'' || *p < 0x20 || *p == 0x7f)
            return true;
    return false;
}

size_t
sm_strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);

    if (size) {
        size_t k = n < size - 1 ? n : size - 1;
        memcpy(dst, src, k);
        dst[k] = '\0';
    }
    return n;
}

/* vsnprintf twice: once for the length, once into the exact allocation
 * (from the heap when a is NULL, else from the arena). */
/* One formatting pass when the text fits the stack buffer (most labels
 * and messages do), a second into the heap only past it. */
static char *
vprintf_alloc(struct sm_arena *a, const char *fmt, va_list ap)
{
    char small[256];    /* bounded: a fast path, the heap past it */
    va_list ap2;
    int n;
    char *s;

    va_copy(ap2, ap);
    n = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    if (n < 0 || !(s = a ? sm_arena_alloc(a, (size_t)n + 1) : malloc((size_t)n + 1)))
        return NULL;
    if ((size_t)n < sizeof small)
        memcpy(s, small, (size_t)n + 1);
    else
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *
sm_vstrdupf(const char *fmt, va_list ap)
{
    return vprintf_alloc(NULL, fmt, ap);
}

char *
sm_strdupf(const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = vprintf_alloc(NULL, fmt, ap);
    va_end(ap);
    return s;
}

char *
sm_arena_vprintf(struct sm_arena *a, const char *fmt, va_list ap)
{
    return vprintf_alloc(a, fmt, ap);
}

char *
sm_arena_printf(struct sm_arena *a, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = vprintf_alloc(a, fmt, ap);
    va_end(ap);
    return s;
}

int
sm_levenshtein(const char *a, const char *b, int cap)
{
    size_t la = strlen(a), lb = strlen(b);
    int row[65], i, j, prev, cur, best;

    if (la > 64 || lb > 64)
        return cap + 1;
    if ((int)la - (int)lb > cap || (int)lb - (int)la > cap)
        return cap + 1;
    for (j = 0; j <= (int)lb; j++)
        row[j] = j;
    for (i = 1; i <= (int)la; i++) {
        prev = row[0];
        row[0] = i;
        best = row[0];
        for (j = 1; j <= (int)lb; j++) {
            cur = row[j];
            int sub = prev + (a[i - 1] != b[j - 1]);
            int del = row[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            prev = cur;
            if (row[j] < best)
                best = row[j];
        }
        if (best > cap)
            return cap + 1;
    }
    return row[lb] > cap ? cap + 1 : row[lb];
}

bool
sm_streq(const char *a, const char *b)
{
    if (!a)
        a = "";
    if (!b)
        b = "";
    return strcmp(a, b) == 0;
}

int
sm_utf8_len(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = s[0];
    uint32_t cp;
    int n;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4, cp = c & 0x07;
    else
        return 0;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

long
sm_utf8_invalid(const char *s)
{
    const char *p = s;
    int n;

    if (!s)
        return -1;
    for (; *p; p += n)
        if ((n = sm_utf8_len(p)) == 0)
            return (long)(p - s);
    return -1;
}

long
sm_control_at(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
        if (*p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
            return (long)(p - (const unsigned char *)s);
    return -1;
}

/* ---- texts that grow to fit (sm.h) ---- */

void
sm_text_set(struct sm_text *t, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = sm_vstrdupf(fmt, ap);
    va_end(ap);
    free(t->s);
    t->s = s;
    t->oom |= !s;
}

void
sm_text_add(struct sm_text *t, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = sm_vstrdupf(fmt, ap);
    va_end(ap);
    if (s && t->s) {
        char *both = sm_strdupf("%s%s", t->s, s);
        free(s);
        s = both;
    }
    if (!s) {
        t->oom = true;
        return;
    }
    free(t->s);
    t->s = s;
}

const char *
sm_text_str(const struct sm_text *t)
{
    return t->s ? t->s : "";
}
