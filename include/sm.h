/*
 * sm.h - project-wide basics: error codes and messages, an arena for
 * strings, a string -> id hash map, ISO 3166 country codes as small
 * integers with bitsets over them, calendar dates as yyyymmdd integers.
 *
 * No I/O, no globals, no libraries beyond libc: every module may use it.
 */
#ifndef SM_H
#define SM_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdbool.h>

#define SM_NONE (-1)

/* Error codes start at SM_EFIRST so that none equals a CLI exit status
 * (0 ok, 1 findings, 2 usage: cli.h): a code that leaks out of main as an
 * exit status can never read as "findings". cli_exit_status maps them. */
enum sm_code {
    SM_OK = 0,
    SM_EFIRST = 64,
    SM_ENOMEM = SM_EFIRST,  /* out of memory */
    SM_EPARSE,      /* malformed input file */
    SM_EDB,         /* catalog error */
    SM_EIO,         /* file error */
    SM_EUSAGE,      /* bad command line */
    SM_ENOTFOUND,   /* unknown name */
    SM_EEXIST,      /* name already taken */
    SM_EINVAL,      /* bad value */
    SM_EBUSY,       /* catalog locked by another process */
    SM_EREADONLY,   /* catalog is read-only */
    SM_EVERSION,    /* catalog written by a newer sovmap */
    SM_ELIMIT,      /* a resource limit was reached */
    SM_ESTALE,      /* the catalog changed since the model was loaded */
    SM_ECODE_END    /* one past the last code */
};

/* An error: a code and a one-line message of any length. The message is
 * on the heap and freed with the error (sm_error_fini); when formatting it
 * runs out of memory it is a static text instead (sm_code_name of the
 * code), so msg always reads as a string. Declare a local one with
 * SM_ERROR(name): it starts empty (code 0, msg "") and frees its message
 * when it goes out of scope, after a return's value is worked out. An
 * error filled through a pointer belongs to whoever declared it. Never copy
 * the struct: the copy would share the message. */
struct sm_error {
    int         code;
    const char *msg;    /* "" until set; read it, never write it */
    char       *heap_;  /* private: the message when it is on the heap */
};

#define SM_ERROR_INIT { 0, "", NULL }
#define SM_ERROR(name) \
    struct sm_error name __attribute__((cleanup(sm_error_fini))) = SM_ERROR_INIT

/* Fill *err (may be NULL) and return code. The message is lower case,
 * without a full stop, and names the file or object; it replaces the old
 * one (which may be an argument: it is formatted first). */
int sm_error_set(struct sm_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int sm_error_vset(struct sm_error *err, int code, const char *fmt, va_list ap);
/* Prefix an existing message: "ctx: old message". Returns err->code. Out of
 * memory, the old message stays as it was. */
int sm_error_prefix(struct sm_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The message, "" for NULL or an error never set (a zeroed struct too). */
const char *sm_error_msg(const struct sm_error *err);
/* Free the message and empty the error (code 0, msg ""), ready to be
 * set again. NULL does nothing. */
void sm_error_fini(struct sm_error *err);
/* Move src's code and message into dst (its old message freed); src is
 * left empty. For passing a local error up through a caller's pointer. */
int sm_error_move(struct sm_error *dst, struct sm_error *src);
/* "out of memory" for SM_ENOMEM, "ok" for SM_OK, "error" for anything else. */
const char *sm_code_name(int code);

/* ---- arena: many small allocations freed at once ---------------------- */

struct sm_arena_block;
struct sm_arena {
    struct sm_arena_block *head;
    size_t used;    /* bytes used in head */
    size_t total;   /* bytes allocated over all blocks */
};

void  sm_arena_init(struct sm_arena *a);
void  sm_arena_fini(struct sm_arena *a);
/* 8-byte aligned, zeroed; NULL when out of memory. */
void *sm_arena_alloc(struct sm_arena *a, size_t n);
/* Copies s (NULL gives NULL; "" gives a shared ""); NULL when out of memory
 * and s was not NULL: check with sm_arena_failed semantics by caller. */
char *sm_arena_strdup(struct sm_arena *a, const char *s);
/* A block of n bytes (not zeroed) that sm_arena_adopt hands to an arena
 * (it is freed with it); sm_arena_raw_free frees one never adopted. */
void *sm_arena_raw(size_t n);
void  sm_arena_raw_free(void *p);
void  sm_arena_adopt(struct sm_arena *a, void *p);
char *sm_arena_strndup(struct sm_arena *a, const char *s, size_t n);
/* The arena's blocks one after the other (it NULL: the first): each one's
 * bytes in *data and *size; NULL after the last. */
const struct sm_arena_block *sm_arena_next(const struct sm_arena *a,
                                           const struct sm_arena_block *it,
                                           const char **data, size_t *size);
/* Moves all of src's blocks into a (strings in them stay valid); src is left empty. */
void  sm_arena_absorb(struct sm_arena *a, struct sm_arena *src);

/* ---- string -> int32 map (open addressing) ----------------------------- */
/* Keys are borrowed: they must outlive the map (arena strings). */

struct sm_map_slot {
    const char *key;
    uint32_t    hash;
    int32_t     val;
};

struct sm_map {
    struct sm_map_slot *slots;  /* an sm_big block */
    uint32_t cap;       /* power of two or 0 */
    uint32_t len;
    uint32_t tomb;      /* deleted slots */
    uint8_t shareable;  /* slots in a block sm_big_share can share */
};

void     sm_map_init(struct sm_map *m);
void     sm_map_fini(struct sm_map *m);
int      sm_map_reserve(struct sm_map *m, uint32_t n);
/* Insert or replace. SM_OK or SM_ENOMEM. */
int      sm_map_put(struct sm_map *m, const char *key, int32_t val);
/* SM_NONE when absent. */
int32_t  sm_map_get(const struct sm_map *m, const char *key);
bool     sm_map_del(struct sm_map *m, const char *key);
/* Deep copy of the slot table (keys stay borrowed). */
int      sm_map_copy(struct sm_map *dst, const struct sm_map *src);
uint32_t sm_hash(const char *s);
/* The slot count an open-addressing table of cap slots (0: none yet) needs
 * for n live keys and tomb deleted ones: a power of two, at least 16, kept
 * under three quarters full. sm_map and sm_idmap grow by it. */
uint32_t sm_table_cap(uint32_t cap, uint32_t n, uint32_t tomb);

/* ---- name -> id map that keeps no keys (sm_idmap.c) ---------------------- */
/* For objects that carry their own name and never change it (the model's
 * datasets and flows): a slot is the name's hash and the id, 8 bytes
 * instead of sm_map's 16, and a key is compared through key(ctx, id), the
 * name of the object the slot holds. Every call that looks a key up takes
 * the function and its context. hash 0 is a free slot (val 0) or a deleted
 * one (val 1); sm_hash never gives 0. */

struct sm_idmap_slot {
    uint32_t hash;
    int32_t  val;
};

struct sm_idmap {
    struct sm_idmap_slot *slots;  /* an sm_big block */
    uint32_t cap;       /* power of two or 0 */
    uint32_t len;
    uint32_t tomb;      /* deleted slots */
    uint8_t shareable;  /* slots in a block sm_big_share can share */
};

typedef const char *sm_idmap_key(const void *ctx, int32_t val);

void     sm_idmap_init(struct sm_idmap *m);
void     sm_idmap_fini(struct sm_idmap *m);
int      sm_idmap_reserve(struct sm_idmap *m, uint32_t n);
/* Insert or replace; key must be key(ctx, val) from now on. SM_OK or SM_ENOMEM. */
int      sm_idmap_put(struct sm_idmap *m, const char *key, int32_t val, sm_idmap_key *kf,
                      const void *ctx);
/* As sm_idmap_put with the key's sm_hash known and a map that has room and
 * no deleted slots (bulk loading). */
void     sm_idmap_put_hashed(struct sm_idmap *m, const char *key, uint32_t h, int32_t val,
                             sm_idmap_key *kf, const void *ctx);
/* SM_NONE when absent. */
int32_t  sm_idmap_get(const struct sm_idmap *m, const char *key, sm_idmap_key *kf,
                      const void *ctx);
/* The slot's object must still carry the key. */
bool     sm_idmap_del(struct sm_idmap *m, const char *key, sm_idmap_key *kf, const void *ctx);
/* Deep copy of the slot table. */
int      sm_idmap_copy(struct sm_idmap *dst, const struct sm_idmap *src);

/* ---- big arrays a copy can share (copy on write) ----------------------- */
/* Blocks with a header (sm_big.c): only these functions may allocate, grow
 * or free them. A shareable block of SM_BIG_MIN bytes or more lives in a
 * memory file, and sm_big_share maps it again privately: the copy costs a
 * few system calls, a page is copied when either side writes it. The
 * original must not change while a share of it is read (the share would
 * see the change on pages it has not written). Elsewhere a share is a copy.
 * New room is zeroed. */
#define SM_BIG_MIN ((size_t)256 << 10)
void  *sm_big_alloc(size_t size, bool shareable);
void  *sm_big_realloc(void *p, size_t size);    /* NULL: out of memory, p kept */
void  *sm_big_trim(void *p, size_t size);       /* give back room past size */
void   sm_big_free(void *p);
size_t sm_big_room(const void *p);              /* bytes usable */
/* A copy of p (its first size bytes at least); NULL when out of memory. */
void  *sm_big_share(const void *p, size_t size);
/* p was allocated shareable (its copies are shared when it is big). */
bool   sm_big_wants_share(const void *p);
/* p is a copy sharing pages with another block. */
bool   sm_big_is_shared(const void *p);
/* Give back the memory of the whole pages of block p inside [from, to)
 * (addresses within p) while p stays allocated: for a block read once, front
 * to back, into another. Their bytes are lost (read as zero or anything);
 * write them before reading them again. Nothing on a share or elsewhere. */
void   sm_big_release(void *p, const void *from, const void *to);
/* sm_grow for big blocks. */
int    sm_big_grow(void **p, int32_t *cap, int32_t need, size_t elsize, bool shareable);

/* ---- growable arrays ---------------------------------------------------- */
/* Make room for need elements of size elsize in *p (capacity *cap); the
 * new room is zeroed. The capacity doubles, and grows by an eighth once the
 * array is 8 MiB or more. SM_OK or SM_ENOMEM (then *p is unchanged). */
int sm_grow(void **p, int32_t *cap, int32_t need, size_t elsize);

/* ---- countries ----------------------------------------------------------- */
/* An ISO 3166-1 alpha-2 code "DE" is the integer (D-'A')*26 + (E-'A').
 * Pseudo-codes used by the reference facts fit too: "EU" (the GDPR area). */
#define SM_CC_COUNT 676
int  sm_cc(const char *s);                /* 0..675, or SM_NONE */
void sm_cc_str(int cc, char out[3]);      /* bounded: a code; "??" for SM_NONE */
/* cc is assigned by ISO 3166-1 to a country or territory (249 codes), or is
 * the pseudo-code EU. Two letters that are neither (UK, UE, ZZ) name no
 * jurisdiction: taking them would quietly switch the residency rules off. */
bool sm_cc_known(int cc);
/* The code meant by a common non-ISO spelling ("UK" -> "GB", "EL" -> "GR",
 * "UE" -> "EU"), or NULL. */
const char *sm_cc_alias(const char *s);

struct sm_ccset {
    uint64_t w[(SM_CC_COUNT + 63) / 64];
};

static inline void
sm_ccset_add(struct sm_ccset *s, int cc)
{
    if (cc >= 0 && cc < SM_CC_COUNT)
        s->w[cc >> 6] |= (uint64_t)1 << (cc & 63);
}

static inline bool
sm_ccset_has(const struct sm_ccset *s, int cc)
{
    return cc >= 0 && cc < SM_CC_COUNT && (s->w[cc >> 6] >> (cc & 63)) & 1;
}

void sm_ccset_union(struct sm_ccset *dst, const struct sm_ccset *src);
bool sm_ccset_empty(const struct sm_ccset *s);
bool sm_ccset_subset(const struct sm_ccset *a, const struct sm_ccset *b);
int  sm_ccset_count(const struct sm_ccset *s);
/* Next member >= from, or SM_NONE. */
int  sm_ccset_next(const struct sm_ccset *s, int from);

/* ---- dates ---------------------------------------------------------------- */
/* A date is yyyymmdd as an int32 (20261126); 0 means none. */
int  sm_date_parse(const char *s, int32_t *out);   /* "YYYY-MM-DD"; SM_EINVAL */
void sm_date_fmt(int32_t d, char out[11]);  /* bounded: YYYY-MM-DD; "" for 0 */

/* ---- strings ------------------------------------------------------------- */
size_t sm_strlcpy(char *dst, const char *src, size_t size);
/* Must s be quoted to read back as one word (edit and scenario op texts)?
 * Empty, or holds a blank, a quote, a backslash or a control byte (DEL too). */
bool   sm_needs_quotes(const char *s);
/* printf into a heap string of the length it needs (the caller frees);
 * NULL when out of memory. For anything holding a name, a path or a
 * message, where a fixed buffer would cut it. */
char  *sm_strdupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char  *sm_vstrdupf(const char *fmt, va_list ap);
/* The same into an arena (freed with it); NULL when out of memory. */
char  *sm_arena_printf(struct sm_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char  *sm_arena_vprintf(struct sm_arena *a, const char *fmt, va_list ap);
/* Edit distance, capped at cap+1 (for "did you mean"). */
int    sm_levenshtein(const char *a, const char *b, int cap);
bool   sm_streq(const char *a, const char *b);      /* NULL == NULL, NULL == "" */
/* Offset of the first byte that is not valid UTF-8 (overlong forms,
 * surrogates and code points past U+10FFFF are invalid), or -1 when s is
 * valid. NULL is valid. */
long   sm_utf8_invalid(const char *s);
/* Length (1..4) of the valid UTF-8 sequence at s, 0 if it is not one. */
int    sm_utf8_len(const char *s);
/* Offset of the first control character in s: C0 (0x00-0x1f), DEL (0x7f)
 * or C1 (U+0080-U+009F, bytes c2 80-c2 9f); -1 when none (NULL: none).
 * New names may not hold one (doc/cli.md, "Names"); old ones still load. */
long   sm_control_at(const char *s);
/* The code point of the control character at s (sm_control_at's). */
static inline unsigned
sm_control_code(const char *s)
{
    return (unsigned char)s[0] == 0xc2 ? (unsigned char)s[1] : (unsigned char)s[0];
}

/* A text that grows to fit (a why, a law, a basis list): s is NULL until
 * set; oom once a set or an add ran out of memory (s keeps what it had).
 * The owner frees s. */
struct sm_text {
    char *s;
    bool oom;
};
void sm_text_set(struct sm_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sm_text_add(struct sm_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *sm_text_str(const struct sm_text *t);    /* s, or "" */

#endif
