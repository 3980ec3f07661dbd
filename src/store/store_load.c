/*
 * store_load.c - the SQLite catalog, loading the whole model (see store.h).
 */
#include "store.h"
#include "store_int.h"
#include "store_snapshot.h"

#include <errno.h>
#include <pthread.h>
#include <pwd.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <sqlite3.h>

/* ---- loading ------------------------------------------------------------------------ */

/* The read-only views for custom rules (doc/catalog.md). TEMP, because they
 * join the builtin regions, which live in the model, not in the catalog. */
static const char views_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS region_ref(\n"
    "  id TEXT PRIMARY KEY, provider TEXT, code TEXT, name TEXT, country TEXT,\n"
    "  city TEXT, operator TEXT, kind TEXT, builtin INTEGER, members TEXT);\n"
    "CREATE TEMP VIEW IF NOT EXISTS v_region AS\n"
    "  SELECT id, provider, code, name, country, city, operator, kind, builtin, members\n"
    "  FROM temp.region_ref;\n"
    "CREATE TEMP VIEW IF NOT EXISTS v_tier AS\n"
    "  SELECT name, rank, personal, scope, backup_scope, key_scope, approved,\n"
    "         encryption_at_rest, transit_encryption, sovereign, retention_min_days,\n"
    "         retention_max_days, description FROM main.tier;\n"
    "CREATE TEMP VIEW IF NOT EXISTS v_dataset AS\n"
    "  SELECT d.name, d.system, d.tier, t.rank AS tier_rank, t.personal AS tier_personal,\n"
    "         d.subjects, d.owner, d.retention_days, d.public_sector, d.source,\n"
    "         d.description, d.purpose, d.legal_basis,\n"
    "         (SELECT count(*) FROM main.field f WHERE f.dataset = d.id) AS fields,\n"
    "         (SELECT count(*) FROM main.placement p WHERE p.dataset = d.id) AS copies\n"
    "  FROM main.dataset d LEFT JOIN main.tier t ON t.name = d.tier;\n"
    "CREATE TEMP VIEW IF NOT EXISTS v_field AS\n"
    "  SELECT d.name AS dataset, f.pos, f.name AS field FROM main.field f\n"
    "  JOIN main.dataset d ON d.id = f.dataset;\n"
    "CREATE TEMP VIEW IF NOT EXISTS v_tag AS\n"
    "  SELECT d.name AS dataset, t.field, t.tag, t.source, t.entity, t.time, t.expired\n"
    "  FROM main.tag t JOIN main.dataset d ON d.id = t.dataset;\n"
    "CREATE TEMP VIEW IF NOT EXISTS v_placement AS\n"
    "  SELECT d.name AS dataset, p.region, r.country, r.operator, r.kind AS region_kind,\n"
    "         r.provider, p.role, p.encrypted, p.key_region, k.country AS key_country,\n"
    "         p.mechanism, p.mechanism_ref, d.tier, d.subjects, d.system\n"
    "  FROM main.placement p JOIN main.dataset d ON d.id = p.dataset\n"
    "  LEFT JOIN temp.region_ref r ON r.id = p.region\n"
    "  LEFT JOIN temp.region_ref k ON k.id = p.key_region;\n"
    "CREATE TEMP VIEW IF NOT EXISTS v_flow AS\n"
    "  SELECT f.name, fd.name AS from_dataset, fp.region AS from_region,\n"
    "         fp.role AS from_role, fr.country AS from_country,\n"
    "         td.name AS to_dataset, coalesce(tp.region, f.to_region) AS to_region,\n"
    "         tp.role AS to_role, tr.country AS to_country, f.kind, f.fields,\n"
    "         (SELECT group_concat(x, '; ') FROM (SELECT t.kind ||\n"
    "                 CASE WHEN t.fields <> '' THEN ' ' || t.fields ELSE '' END AS x\n"
    "                 FROM main.flow_transform t WHERE t.flow = f.id ORDER BY t.pos))\n"
    "           AS transforms,\n"
    "         f.mechanism, f.mechanism_ref, f.valid_from, f.valid_to,\n"
    "         f.transit_encrypted, f.public_recipient\n"
    "  FROM main.flow f\n"
    "  JOIN main.placement fp ON fp.id = f.from_placement\n"
    "  JOIN main.dataset fd ON fd.id = fp.dataset\n"
    "  LEFT JOIN main.placement tp ON tp.id = f.to_placement\n"
    "  LEFT JOIN main.dataset td ON td.id = tp.dataset\n"
    "  LEFT JOIN temp.region_ref fr ON fr.id = fp.region\n"
    "  LEFT JOIN temp.region_ref tr ON tr.id = coalesce(tp.region, f.to_region);\n"
    "CREATE TEMP VIEW IF NOT EXISTS v_waiver AS\n"
    "  SELECT rule, object, owner, reason, expires FROM main.waiver;\n";

/* rowid -> model id for the rows loaded in rowid order: the store's own
 * model id -> rowid map is ascending from `base` (the first id loaded). */
struct idx {
    const struct rowmap *map;
    int32_t base, n;
    int32_t hint;               /* last position found */
};

/* The rowid of the k-th object loaded. */
static int64_t
idx_row(const struct idx *x, int32_t k)
{
    return rowmap_get(x->map, x->base + k);
}

static int32_t
idx_find(struct idx *x, int64_t row)
{
    const struct rowmap *r = x->map;
    int32_t lo = 0, hi = x->n - 1;
    int64_t first;

    if (!x->n)
        return SM_NONE;
    /* all of them one run (no gaps): the position is the offset */
    if (!r->row && r->lin == x->base && r->nlin == x->n)
        return row >= r->lin_row && row - r->lin_row < x->n
               ? x->base + (int32_t)(row - r->lin_row) : SM_NONE;
    first = idx_row(x, 0);
    if (row >= first && row - first < x->n && idx_row(x, (int32_t)(row - first)) == row)
        return x->base + (int32_t)(row - first);
    /* rows mostly refer to recent ones: look near the last hit first */
    for (int32_t k = x->hint; k < x->hint + 4 && k < x->n; k++)
        if (idx_row(x, k) == row) {
            x->hint = k;
            return x->base + k;
        }

    while (lo <= hi) {
        int32_t mid = lo + (hi - lo) / 2;
        int64_t at = idx_row(x, mid);
        if (at == row) {
            x->hint = mid;
            return x->base + mid;
        }
        if (at < row)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return SM_NONE;
}

/* Most text columns of a big catalog repeat a few values (systems, owners,
 * field names, tags and their provenance, mechanisms, flow fields): the
 * loader copies each distinct short value into the model's arena once,
 * checks its UTF-8 once, and shares the copy between objects. That is safe
 * because model strings are const, never written in place and never freed
 * one by one (the arena goes as a whole; model_clone copies every string).
 * The table stops taking new values when full: later ones are copied. */
#define INTERN_LEN  64          /* longer values are copied */
#define INTERN_CAP  8192        /* slots, a power of two; filled to 3/4 */

enum { EN_ROLE, EN_MECH, EN_FLOW_KIND, EN_XFORM, EN_COUNT };

struct intern_slot {
    const char *s;              /* in the model's arena */
    uint32_t hash;
    uint16_t len;
    uint8_t valid;              /* valid UTF-8 */
    int8_t en[EN_COUNT];        /* the value as an enum of each kind, or UNSET */
    int32_t region;             /* the region of that id, or UNSET */
};

#define UNSET (-2)

struct intern {
    struct intern_slot *slots;
    uint32_t n;
};

static uint32_t
intern_hash(const char *t, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;

    for (; len >= 8; t += 8, len -= 8) {
        memcpy(&w, t, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    w = 0;
    for (size_t i = 0; i < len; i++)
        w |= (uint64_t)(unsigned char)t[i] << (8 * i);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
    return (uint32_t)(h ^ (h >> 29));
}

struct loader {
    struct store *st;
    struct model *m;
    struct sm_error *err;
    struct idx ds, pl;
    int64_t done, total;        /* rows, for the progress callback */
    struct intern in;
    int32_t named_ds, named_fl; /* objects up to these ids are in the name maps */
};

/* The model's copy of the len bytes at t in *out (NULL when out of memory);
 * *valid tells whether it is UTF-8 (model_add_* refuse it otherwise).
 * Returns its slot, where facts about the value are cached, or NULL for ""
 * and values the table does not keep. */
static struct intern_slot *
intern_slot(struct loader *L, const char *t, size_t len, const char **out, bool *valid)
{
    struct intern_slot *sl;
    uint32_t h, i;
    char *p;

    if (!len) {
        *valid = true;
        *out = model_str(L->m, "");
        return NULL;
    }
    if (len > INTERN_LEN || !L->in.slots) {
        p = sm_arena_strndup(&L->m->arena, t, len);
        *valid = p && sm_utf8_invalid(p) < 0;
        *out = p;
        return NULL;
    }
    h = intern_hash(t, len);
    for (i = h & (INTERN_CAP - 1); (sl = &L->in.slots[i])->s; i = (i + 1) & (INTERN_CAP - 1))
        if (sl->hash == h && sl->len == len && memcmp(sl->s, t, len) == 0) {
            *valid = sl->valid;
            *out = sl->s;
            return sl;
        }
    *out = p = sm_arena_strndup(&L->m->arena, t, len);
    if (!p)
        return NULL;
    *valid = sm_utf8_invalid(p) < 0;
    if (L->in.n >= INTERN_CAP / 4 * 3)
        return NULL;
    sl->s = p;
    sl->hash = h;
    sl->len = (uint16_t)len;
    sl->valid = *valid;
    memset(sl->en, UNSET, sizeof sl->en);
    sl->region = UNSET;
    L->in.n++;
    return sl;
}

static const char *
intern_n(struct loader *L, const char *t, size_t len, bool *valid)
{
    const char *out;

    intern_slot(L, t, len, &out, valid);
    return out;
}

/* model_enum_parse, remembered per distinct value. */
static int
enum_cached(struct loader *L, int which, const char *const *table, int n, const char *s)
{
    struct intern_slot *sl;
    const char *p;
    bool ok;

    sl = intern_slot(L, s, strlen(s), &p, &ok);
    if (sl && sl->en[which] != UNSET)
        return sl->en[which];
    n = model_enum_parse(table, n, s);
    if (sl)
        sl->en[which] = (int8_t)n;
    return n;
}

static const char *
intern(struct loader *L, const char *t, bool *valid)
{
    return intern_n(L, t, strlen(t), valid);
}

/* split_strv with shared copies of the items. */
static int
split_interned(struct loader *L, const char *text, char sep, struct sm_strv *out)
{
    uint32_t n = 0, k = 0;
    const char *p, *start;
    bool ok;

    out->n = 0;
    out->v = NULL;
    if (!*text)
        return SM_OK;
    for (p = text; *p; p++)
        n += *p == sep;
    out->v = sm_arena_alloc(&L->m->arena, (n + 1) * sizeof *out->v);
    if (!out->v)
        return SM_ENOMEM;
    for (p = start = text;; p++) {
        if (*p == sep || !*p) {
            if (p > start && !(out->v[k++] = intern_n(L, start, (size_t)(p - start), &ok)))
                return SM_ENOMEM;
            if (!*p)
                break;
            start = p + 1;
        }
    }
    out->n = k;
    return SM_OK;
}

/* Put the datasets and flows appended so far into the name maps (before
 * anything may look a name up). */
static int
index_names(struct loader *L)
{
    if (model_index_names(L->m, OBJ_DATASET, L->named_ds) ||
        model_index_names(L->m, OBJ_FLOW, L->named_fl))
        return sm_error_set(L->err, SM_ENOMEM, "out of memory");
    L->named_ds = L->m->ndatasets;
    L->named_fl = L->m->nflows;
    return SM_OK;
}

static void
tick(struct loader *L)
{
    if (L->st->progress && !(++L->done & 0xffff))
        L->st->progress(L->st->progress_ctx, L->done, L->total);
}

static int
bad_row(struct loader *L, const char *table, const char *what)
{
    return sm_error_set(L->err, SM_EDB, "%s: table %s: %s", L->st->path, table, what);
}

static int
count_rows(struct store *st, enum stmt_id id, int64_t *n, int64_t *max, struct sm_error *err)
{
    sqlite3_stmt *s = stmt(st, id, err);
    int rc;

    if (!s)
        return err ? err->code : SM_EDB;
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return db_error(st, rc, err);
    }
    *n = sqlite3_column_int64(s, 0);
    if (max)
        *max = sqlite3_column_int64(s, 1);
    sqlite3_reset(s);
    return SM_OK;
}

static int
region_lookup(struct loader *L, const char *id, const char *table, int32_t *out)
{
    if (!*id) {
        *out = SM_NONE;
        return SM_OK;
    }
    *out = model_region(L->m, id);
    if (*out == SM_NONE) {
        char *msg = sm_strdupf("unknown region %s (no longer shipped?)", id);
        int rc = msg ? bad_row(L, table, msg) : sm_error_set(L->err, SM_ENOMEM, "out of memory");
        free(msg);
        return rc;
    }
    return SM_OK;
}

/* region_lookup, remembered per distinct id (regions do not change while
 * copies and flows load). */
static int
region_cached(struct loader *L, const char *id, const char *table, int32_t *out)
{
    struct intern_slot *sl;
    const char *p;
    bool ok;
    int rc;

    if (!*id) {
        *out = SM_NONE;
        return SM_OK;
    }
    sl = intern_slot(L, id, strlen(id), &p, &ok);
    if (sl && sl->region != UNSET) {
        *out = sl->region;
        return SM_OK;
    }
    if ((rc = region_lookup(L, id, table, out)))
        return rc;
    if (sl)
        sl->region = *out;
    return SM_OK;
}

static int
load_regions(struct loader *L)
{
    sqlite3_stmt *s = stmt(L->st, S_REGION_LOAD, L->err);
    SM_ERROR(e2);
    int rc;

    if (!s)
        return L->err ? L->err->code : SM_EDB;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct region r;
        int32_t id;
        int kind;

        if (model_region(L->m, col_str(s, 0)) != SM_NONE)
            continue;   /* now shipped with sovmap: the shipped facts win */
        model_region_init(&r);
        r.id = col_str(s, 0);
        kind = model_enum_parse(region_kind_names, REGION_KIND_COUNT, col_str(s, 1));
        r.kind = (uint8_t)(kind == SM_NONE ? REGION_ONPREM : kind);
        r.name = col_str(s, 2);
        r.country = sm_cc(col_str(s, 3));
        r.city = col_str(s, 4);
        r.operator_home = sm_cc(col_str(s, 5));
        if (model_add_region(L->m, &r, &id, &e2) ||
            (*col_str(s, 6) && model_set(L->m, OBJ_REGION, id, "members", col_str(s, 6),
                                         &e2))) {
            sqlite3_reset(s);
            return bad_row(L, "region", e2.msg);
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SM_OK : db_error(L->st, rc, L->err);
}

static int
load_tiers(struct loader *L)
{
    sqlite3_stmt *s = stmt(L->st, S_TIER_LOAD, L->err);
    SM_ERROR(e2);
    int rc;

    if (!s)
        return L->err ? L->err->code : SM_EDB;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct tier t;
        int a, b, c;
        int32_t id;

        model_tier_init(&t);
        t.name = col_str(s, 0);
        t.rank = sqlite3_column_int(s, 1);
        t.personal = (uint8_t)sqlite3_column_int(s, 2);
        a = model_enum_parse(scope_names, SCOPE_COUNT, col_str(s, 3));
        b = model_enum_parse(scope_names, SCOPE_COUNT, col_str(s, 4));
        c = model_enum_parse(scope_names, SCOPE_COUNT, col_str(s, 5));
        if (a == SM_NONE || b == SM_NONE || c == SM_NONE) {
            sqlite3_reset(s);
            return bad_row(L, "tier", "bad scope");
        }
        t.scope = (uint8_t)a;
        t.backup_scope = (uint8_t)b;
        t.key_scope = (uint8_t)c;
        t.encryption_at_rest = (uint8_t)sqlite3_column_int(s, 7);
        t.transit_encryption = (uint8_t)sqlite3_column_int(s, 8);
        t.sovereign = (uint8_t)sqlite3_column_int(s, 9);
        t.retention_min_days = col_int_opt(s, 10);
        t.retention_max_days = col_int_opt(s, 11);
        t.description = col_str(s, 12);
        if (model_add_tier(L->m, &t, &id, &e2) ||
            (*col_str(s, 6) && split_strv(L->m, col_str(s, 6), ',', &L->m->tiers[id].approved))) {
            sqlite3_reset(s);
            return bad_row(L, "tier", e2.msg);
        }
        for (uint32_t i = 0; i < L->m->tiers[id].approved.n; i++)
            if (model_region(L->m, L->m->tiers[id].approved.v[i]) == SM_NONE) {
                sqlite3_reset(s);
                return bad_row(L, "tier", "approved region unknown");
            }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SM_OK : db_error(L->st, rc, L->err);
}

/* model_add_dataset and model_add_flow without their name lookups: the
 * schema already guarantees unique names and known references, and a
 * missed hash lookup per row is a tenth of a million-row load. The names go
 * into the maps in bulk (index_names) once the table is read. Repeated text
 * is shared (intern). Anything unusual goes through the model's own
 * functions, after the names so far are indexed. */
static int
fast_add_dataset(struct loader *L, const struct dataset *d, int32_t *id, struct sm_error *err)
{
    struct model *m = L->m;
    struct dataset *nd;
    bool ok;
    int rc;

    if (!*d->name || strchr(d->name, '@') || m->ndatasets >= m->cap_datasets ||
        (d->tier != SM_NONE && (d->tier < 0 || d->tier >= m->ntiers))) {
        if ((rc = index_names(L)) || (rc = model_add_dataset(m, d, id, err)))
            return rc;
        L->named_ds = m->ndatasets;
        return SM_OK;
    }
    nd = &m->datasets[m->ndatasets];
    *nd = *d;
    /* the dataset's own strings are not checked for UTF-8 here (as before) */
    if (!(nd->name = model_str(m, d->name)) || !(nd->system = intern(L, d->system, &ok)) ||
        !(nd->owner = intern(L, d->owner, &ok)) ||
        !(nd->description = intern(L, d->description, &ok)) ||
        !(nd->source_ref = intern(L, d->source_ref, &ok)) ||
        !(nd->purpose = intern(L, d->purpose, &ok)))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    nd->first_field = nd->first_tag = nd->first_placement = nd->first_prop = SM_NONE;
    nd->deleted = 0;
    *id = m->ndatasets++;
    m->generation++;
    return SM_OK;
}

/* f->fields and the transforms' fields are already in m's arena. */
static int
fast_add_flow(struct loader *L, const struct flow *f, int32_t *id, struct sm_error *err)
{
    struct model *m = L->m;
    struct flow *nf;
    bool ok;
    int rc;

    if (!*f->name || m->nflows >= m->cap_flows || f->from == f->to) {
        if ((rc = index_names(L)) || (rc = model_add_flow(m, f, id, err)))
            return rc;
        L->named_fl = m->nflows;
        return SM_OK;
    }
    nf = &m->flows[m->nflows];
    *nf = *f;
    if (!(nf->name = model_str(m, f->name)) ||
        !(nf->mechanism_ref = intern(L, f->mechanism_ref, &ok)))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    if (f->ntransforms) {
        nf->transforms = sm_arena_alloc(&m->arena, f->ntransforms * sizeof *nf->transforms);
        if (!nf->transforms)
            return sm_error_set(err, SM_ENOMEM, "out of memory");
        memcpy(nf->transforms, f->transforms, f->ntransforms * sizeof *nf->transforms);
    }
    if (f->to != SM_NONE)
        nf->to_region = SM_NONE;
    nf->deleted = 0;
    *id = m->nflows++;
    m->generation++;
    return SM_OK;
}

static int
load_datasets(struct loader *L)
{
    sqlite3_stmt *s = stmt(L->st, S_DATASET_LOAD, L->err);
    SM_ERROR(e2);
    int32_t tier = SM_NONE;     /* the last row's: rows of one tier come together */
    int rc;

    if (!s)
        return L->err ? L->err->code : SM_EDB;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        tick(L);
        struct dataset d;
        const char *tn = col_str(s, 3);
        int32_t id;
        int lb;

        model_dataset_init(&d);
        d.name = col_str(s, 1);
        d.system = col_str(s, 2);
        if (!*tn) {
            d.tier = SM_NONE;
        } else {
            if (tier == SM_NONE || strcmp(tn, L->m->tiers[tier].name) != 0)
                tier = model_tier(L->m, tn);
            if (tier == SM_NONE) {
                sqlite3_reset(s);
                return bad_row(L, "dataset", "unknown tier");
            }
            d.tier = tier;
        }
        if (model_parse_subjects(col_str(s, 4), d.subjects, &d.nsubjects, &e2)) {
            sqlite3_reset(s);
            return bad_row(L, "dataset", e2.msg);
        }
        d.owner = col_str(s, 5);
        d.retention_days = col_int_opt(s, 6);
        d.public_sector = (uint8_t)sqlite3_column_int(s, 7);
        d.source_ref = col_str(s, 8);
        d.description = col_str(s, 9);
        d.purpose = col_str(s, 10);
        if ((lb = model_enum_parse(legal_basis_names, LB_COUNT, col_str(s, 11))) == SM_NONE) {
            sqlite3_reset(s);
            return bad_row(L, "dataset", "unknown legal basis");
        }
        d.legal_basis = (uint8_t)lb;
        if (fast_add_dataset(L, &d, &id, &e2)) {
            sqlite3_reset(s);
            return bad_row(L, "dataset", e2.msg);
        }
        L->ds.n++;
        if (rowmap_load(&L->st->drow, id, sqlite3_column_int64(s, 0), L->m->cap_datasets)) {
            sqlite3_reset(s);
            return sm_error_set(L->err, SM_ENOMEM, "out of memory");
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SM_OK : db_error(L->st, rc, L->err);
}

/* Fields and tags come ordered by dataset rowid, as the datasets were
 * loaded: walk a cursor forward instead of searching. */
static int32_t
cursor_find(struct idx *x, int32_t *cur, int64_t row)
{
    const struct rowmap *r = x->map;

    if (!r->row && r->lin == x->base && r->nlin == x->n)
        return idx_find(x, row);
    while (*cur < x->n && idx_row(x, *cur) < row)
        (*cur)++;
    if (*cur < x->n && idx_row(x, *cur) == row)
        return x->base + *cur;
    return idx_find(x, row);
}

/* Fields and tags are appended directly while they come in dataset order
 * (the dataset they extend had none before, or got the previous row): the
 * schema makes field names unique per dataset. Anything else goes through
 * model_add_field/model_add_tag. */
static int
load_fields(struct loader *L)
{
    sqlite3_stmt *s = stmt(L->st, S_FIELD_LOAD, L->err);
    struct model *m = L->m;
    SM_ERROR(e2);
    int32_t cur = 0, td = SM_NONE, tail = SM_NONE;
    int rc;

    if (!s)
        return L->err ? L->err->code : SM_EDB;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        tick(L);
        int32_t d = cursor_find(&L->ds, &cur, sqlite3_column_int64(s, 0));
        const char *name = col_str(s, 1), *fname, *ftype, *fcomment;
        bool ok = false, ok2 = false, ok3 = false;

        if (d != SM_NONE && *name && m->nfields < m->cap_fields &&
            (d == td || m->datasets[d].first_field == SM_NONE) &&
            (fname = intern(L, name, &ok)) && ok &&
            (ftype = intern(L, col_str(s, 2), &ok2)) && ok2 &&
            (fcomment = intern(L, col_str(s, 3), &ok3)) && ok3) {
            struct field *f = &m->fields[m->nfields];
            f->name = fname;
            f->type = ftype;
            f->comment = fcomment;
            f->dataset = d;
            f->next = SM_NONE;
            if (d == td)
                m->fields[tail].next = m->nfields;
            else
                m->datasets[d].first_field = m->nfields;
            td = d;
            tail = m->nfields++;
            m->generation++;
            continue;
        }
        td = SM_NONE;
        int32_t fid = SM_NONE;
        if (d == SM_NONE || model_add_field(m, d, name, &fid, &e2) ||
            model_set_field_attrs(m, fid, col_str(s, 2), col_str(s, 3), &e2)) {
            sqlite3_reset(s);
            return bad_row(L, "field", d == SM_NONE ? "unknown dataset" : e2.msg);
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return db_error(L->st, rc, L->err);
    if (!(s = stmt(L->st, S_TAG_LOAD, L->err)))
        return L->err ? L->err->code : SM_EDB;
    cur = 0;
    td = tail = SM_NONE;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        tick(L);
        int32_t d = cursor_find(&L->ds, &cur, sqlite3_column_int64(s, 0)), f = SM_NONE;
        const char *tag, *src, *ent, *time, *exp;
        bool ok[5] = { false, false, false, false, false };
        int32_t day;

        if (d != SM_NONE && sqlite3_column_type(s, 1) != SQLITE_NULL) {
            const char *fn = col_str(s, 1);
            for (f = m->datasets[d].first_field; f != SM_NONE; f = m->fields[f].next)
                if (strcmp(m->fields[f].name, fn) == 0)
                    break;
            if (f == SM_NONE)
                d = SM_NONE;
        }
        if (d != SM_NONE && m->ntags < m->cap_tags &&
            (d == td || m->datasets[d].first_tag == SM_NONE) &&
            (tag = intern(L, col_str(s, 2), &ok[0])) && *tag &&
            (src = intern(L, col_str(s, 3), &ok[1])) &&
            (ent = intern(L, col_str(s, 4), &ok[2])) &&
            (time = intern(L, col_str(s, 5), &ok[3])) &&
            (exp = intern(L, col_str(s, 6), &ok[4])) && ok[0] && ok[1] && ok[2] && ok[3] &&
            ok[4] && (!*exp || sm_date_parse(exp, &day) == SM_OK)) {
            struct tag *t;
            int32_t i;
            /* an identical tag is not added twice (model_add_tag) */
            for (i = m->datasets[d].first_tag; i != SM_NONE; i = m->tags[i].next)
                if (m->tags[i].field == f &&
                    (m->tags[i].tag == tag || strcmp(m->tags[i].tag, tag) == 0))
                    break;
            if (i != SM_NONE)
                continue;
            t = &m->tags[m->ntags];
            t->tag = tag;
            t->source = src;
            t->entity = ent;
            t->time = time;
            t->expired = exp;
            t->dataset = d;
            t->field = f;
            t->next = SM_NONE;
            if (d == td)
                m->tags[tail].next = m->ntags;
            else
                m->datasets[d].first_tag = m->ntags;
            td = d;
            tail = m->ntags++;
            m->generation++;
            continue;
        }
        td = SM_NONE;
        int32_t before = m->ntags, tid;
        if (d == SM_NONE || model_add_tag(m, d, f, col_str(s, 2), col_str(s, 3),
                                          col_str(s, 4), col_str(s, 5), &tid, &e2) ||
            (m->ntags != before && model_set_tag_expired(m, tid, col_str(s, 6), &e2))) {
            sqlite3_reset(s);
            return bad_row(L, "tag", d == SM_NONE ? "unknown dataset or field" : e2.msg);
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return db_error(L->st, rc, L->err);
    /* properties come in key order: each one is appended */
    if (!(s = stmt(L->st, S_PROP_LOAD, L->err)))
        return L->err ? L->err->code : SM_EDB;
    cur = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        tick(L);
        int32_t d = cursor_find(&L->ds, &cur, sqlite3_column_int64(s, 0));
        if (d == SM_NONE || model_set_prop(m, d, col_str(s, 1), col_str(s, 2), col_str(s, 3),
                                           col_str(s, 4), col_str(s, 5), NULL, &e2)) {
            sqlite3_reset(s);
            return bad_row(L, "property", d == SM_NONE ? "unknown dataset" : e2.msg);
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SM_OK : db_error(L->st, rc, L->err);
}

/* model_add_placement for a row that needs nothing unusual: its dataset,
 * regions, role and mechanism are already resolved, its mechanism reference
 * is shared (intern). Anything the model would refuse goes through
 * model_add_placement for its message. */
static int
fast_add_placement(struct loader *L, const struct placement *p, const char *ref,
                   int32_t *id, struct sm_error *err)
{
    struct model *m = L->m;
    struct placement *np;
    const char *mref;
    int32_t last = SM_NONE;
    bool ok;

    if (m->nplacements >= m->cap_placements || p->dataset < 0 || p->dataset >= m->ndatasets ||
        m->datasets[p->dataset].deleted || p->region < 0 || p->role >= ROLE_COUNT ||
        p->mechanism >= MECH_COUNT || !(mref = intern(L, ref, &ok)) || !ok)
        goto slow;
    for (int32_t i = m->datasets[p->dataset].first_placement; i != SM_NONE;
         i = m->placements[i].next) {
        if ((m->placements[i].region == p->region && m->placements[i].role == p->role) ||
            (p->role == ROLE_PRIMARY && m->placements[i].role == ROLE_PRIMARY))
            goto slow;
        last = i;
    }
    np = &m->placements[m->nplacements];
    *np = *p;
    np->mechanism_ref = mref;
    np->next = SM_NONE;
    np->deleted = 0;
    if (last == SM_NONE)
        m->datasets[p->dataset].first_placement = m->nplacements;
    else
        m->placements[last].next = m->nplacements;
    *id = m->nplacements++;
    m->generation++;
    return SM_OK;
slow:
    {
        struct placement q = *p;
        q.mechanism_ref = ref;
        return model_add_placement(m, &q, id, err);
    }
}

static int
load_placements(struct loader *L)
{
    sqlite3_stmt *s = stmt(L->st, S_PLACEMENT_LOAD, L->err);
    SM_ERROR(e2);
    int rc;

    if (!s)
        return L->err ? L->err->code : SM_EDB;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        tick(L);
        struct placement p;
        const char *rid, *kid;
        int role, mech;
        int32_t id;

        model_placement_init(&p);
        p.dataset = idx_find(&L->ds, sqlite3_column_int64(s, 1));
        if (p.dataset == SM_NONE) {
            sqlite3_reset(s);
            return bad_row(L, "placement", "unknown dataset");
        }
        rid = col_str(s, 2);
        kid = col_str(s, 5);
        if ((rc = region_cached(L, rid, "placement", &p.region)) == SM_OK) {
            /* keys mostly sit with their copy */
            if (strcmp(kid, rid) == 0)
                p.key_region = p.region;
            else
                rc = region_cached(L, kid, "placement", &p.key_region);
        }
        if (rc) {
            sqlite3_reset(s);
            return rc;
        }
        role = enum_cached(L, EN_ROLE, role_names, ROLE_COUNT, col_str(s, 3));
        mech = enum_cached(L, EN_MECH, mechanism_names, MECH_COUNT, col_str(s, 6));
        if (role == SM_NONE || mech == SM_NONE) {
            sqlite3_reset(s);
            return bad_row(L, "placement", "bad role or mechanism");
        }
        p.role = (uint8_t)role;
        p.mechanism = (uint8_t)mech;
        p.encrypted = (uint8_t)sqlite3_column_int(s, 4);
        if (fast_add_placement(L, &p, col_str(s, 7), &id, &e2)) {
            sqlite3_reset(s);
            return bad_row(L, "placement", e2.msg);
        }
        L->pl.n++;
        if (rowmap_load(&L->st->prow, id, sqlite3_column_int64(s, 0), L->m->cap_placements)) {
            sqlite3_reset(s);
            return sm_error_set(L->err, SM_ENOMEM, "out of memory");
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SM_OK : db_error(L->st, rc, L->err);
}

static int
load_flows(struct loader *L)
{
    sqlite3_stmt *s = stmt(L->st, S_FLOW_LOAD, L->err);
    sqlite3_stmt *x = stmt(L->st, S_XFORM_LOAD, L->err);
    struct transform tx[64];
    SM_ERROR(e2);
    int xrc = SQLITE_ROW, rc;

    if (!s || !x)
        return L->err ? L->err->code : SM_EDB;
    xrc = sqlite3_step(x);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        tick(L);
        int64_t row = sqlite3_column_int64(s, 0);
        struct flow f;
        int kind, mech;
        int32_t id, d;
        uint32_t n = 0;

        model_flow_init(&f);
        f.name = col_str(s, 1);
        f.from = idx_find(&L->pl, sqlite3_column_int64(s, 2));
        f.to = sqlite3_column_type(s, 3) == SQLITE_NULL ? SM_NONE
               : idx_find(&L->pl, sqlite3_column_int64(s, 3));
        if (f.from == SM_NONE || (f.to == SM_NONE && sqlite3_column_type(s, 3) != SQLITE_NULL) ||
            region_cached(L, col_str(s, 4), "flow", &f.to_region))
            goto bad;
        kind = enum_cached(L, EN_FLOW_KIND, flow_kind_names, FLOW_KIND_COUNT, col_str(s, 5));
        mech = enum_cached(L, EN_MECH, mechanism_names, MECH_COUNT, col_str(s, 7));
        if (kind == SM_NONE || mech == SM_NONE)
            goto bad;
        f.kind = (uint8_t)kind;
        f.mechanism = (uint8_t)mech;
        if (split_interned(L, col_str(s, 6), ',', &f.fields))
            goto oom;
        f.mechanism_ref = col_str(s, 8);
        if ((*col_str(s, 9) && sm_date_parse(col_str(s, 9), &f.valid_from)) ||
            (*col_str(s, 10) && sm_date_parse(col_str(s, 10), &f.valid_to)))
            goto bad;
        f.transit_encrypted = (uint8_t)sqlite3_column_int(s, 11);
        f.public_recipient = (uint8_t)sqlite3_column_int(s, 12);
        while (xrc == SQLITE_ROW && sqlite3_column_int64(x, 0) < row)
            xrc = sqlite3_step(x);
        while (xrc == SQLITE_ROW && sqlite3_column_int64(x, 0) == row) {
            int k = enum_cached(L, EN_XFORM, xform_names, XF_COUNT, col_str(x, 1));
            if (k == SM_NONE || n == 64)
                goto bad;
            tx[n].kind = (uint8_t)k;
            if (split_interned(L, col_str(x, 2), ' ', &tx[n].fields))
                goto oom;
            n++;
            xrc = sqlite3_step(x);
        }
        f.ntransforms = n;
        f.transforms = n ? tx : NULL;
        if (fast_add_flow(L, &f, &id, &e2)) {
            sqlite3_reset(s);
            sqlite3_reset(x);
            return bad_row(L, "flow", e2.msg);
        }
        if (rowmap_load(&L->st->frow, id, row, L->m->cap_flows))
            goto oom;
        (void)d;
        continue;
    }
    sqlite3_reset(s);
    sqlite3_reset(x);
    if (rc != SQLITE_DONE)
        return db_error(L->st, rc, L->err);
    if (xrc != SQLITE_DONE && xrc != SQLITE_ROW)
        return db_error(L->st, xrc, L->err);
    return SM_OK;
bad:
    sqlite3_reset(s);
    sqlite3_reset(x);
    if (L->err && L->err->code && strstr(L->err->msg, "unknown region"))
        return L->err->code;
    return bad_row(L, "flow", "bad row");
oom:
    sqlite3_reset(s);
    sqlite3_reset(x);
    return sm_error_set(L->err, SM_ENOMEM, "out of memory");
}

static int
load_rest(struct loader *L)
{
    sqlite3_stmt *s = stmt(L->st, S_WAIVER_LOAD, L->err);
    SM_ERROR(e2);
    int rc;

    if (!s)
        return L->err ? L->err->code : SM_EDB;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct waiver w;
        memset(&w, 0, sizeof w);
        w.rule = col_str(s, 0);
        w.object = col_str(s, 1);
        w.owner = col_str(s, 2);
        w.reason = col_str(s, 3);
        if ((*col_str(s, 4) && sm_date_parse(col_str(s, 4), &w.expires)) ||
            model_add_waiver(L->m, &w, NULL, &e2)) {
            sqlite3_reset(s);
            return bad_row(L, "waiver", "bad row");
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return db_error(L->st, rc, L->err);
    /* scenarios first without their base (it may be loaded later) */
    if (!(s = stmt(L->st, S_SCENARIO_LOAD, L->err)))
        return L->err ? L->err->code : SM_EDB;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct scenario sc;
        memset(&sc, 0, sizeof sc);
        sc.name = col_str(s, 0);
        sc.base = "";
        sc.description = col_str(s, 2);
        int32_t id;
        if (model_add_scenario(L->m, &sc, &id, &e2) ||
            (*col_str(s, 1) && model_set(L->m, OBJ_SCENARIO, id, "base", col_str(s, 1), &e2))) {
            sqlite3_reset(s);
            return bad_row(L, "scenario", e2.msg);
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return db_error(L->st, rc, L->err);
    if (!(s = stmt(L->st, S_SCOP_LOAD, L->err)))
        return L->err ? L->err->code : SM_EDB;
    {
        const char *argv[64];
        char *hold[64];
        char *cur = NULL;       /* the scenario of the rows read, whole */
        int argc = 0, pos = -1;
        int32_t sid = SM_NONE;

        rc = sqlite3_step(s);
        for (;;) {
            bool row = rc == SQLITE_ROW;
            bool flush = argc && (!row || strcmp(col_str(s, 0), cur ? cur : "") != 0 ||
                                  sqlite3_column_int(s, 1) != pos);
            if (flush) {
                for (int i = 0; i < argc; i++)
                    argv[i] = hold[i];
                int r2 = sid == SM_NONE ? SM_ENOTFOUND
                         : model_scenario_append(L->m, sid, argc, argv, &e2);
                for (int i = 0; i < argc; i++)
                    free(hold[i]);
                argc = 0;
                if (r2) {
                    free(cur);
                    sqlite3_reset(s);
                    return bad_row(L, "scenario_op", "bad row");
                }
            }
            if (!row)
                break;
            if (!cur || strcmp(col_str(s, 0), cur) != 0) {
                free(cur);
                if (!(cur = strdup(col_str(s, 0)))) {
                    for (int i = 0; i < argc; i++)
                        free(hold[i]);
                    sqlite3_reset(s);
                    return sm_error_set(L->err, SM_ENOMEM, "out of memory");
                }
                sid = model_scenario(L->m, cur);
            }
            pos = sqlite3_column_int(s, 1);
            if (argc < 64 && !(hold[argc++] = strdup(col_str(s, 2)))) {
                for (int i = 0; i < argc - 1; i++)
                    free(hold[i]);
                free(cur);
                sqlite3_reset(s);
                return sm_error_set(L->err, SM_ENOMEM, "out of memory");
            }
            rc = sqlite3_step(s);
        }
        free(cur);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE)
            return db_error(L->st, rc, L->err);
    }
    return SM_OK;
}

/* Create the TEMP views and fill region_ref from the model's regions. */
int
make_views(struct store *st, const struct model *m, struct sm_error *err)
{
    int rc;

    if ((rc = exec(st, views_sql, err)) || (rc = exec(st, "DELETE FROM temp.region_ref", err)))
        return rc;
    st->views = true;
    for (int32_t i = 0; i < m->nregions; i++)
        if (!m->regions[i].deleted && (rc = ref_put(st, m, i, err)))
            return rc;
    return SM_OK;
}

/* After a load from the tables: write the snapshot when it pays
 * (snap_worth), in a write transaction of its own that finds the catalog as
 * it was loaded. It is a cache, so nothing here is an error: busy, read-only,
 * a full disk, and it is not written. A read-only store writes it through a
 * connection of its own. */
static void
snapshot_save(struct store *st, const struct model *m, const struct snap_key *key)
{
    const struct rowmap *const rows[3] = { &st->drow, &st->prow, &st->frow };
    sqlite3 *db = st->db;
    int64_t dv = 0;
    int rc;

    if (st->in_tx || st->held || st->stale || !snap_worth(m))
        return;
    if (st->flags & STORE_READONLY) {
        if (sqlite3_open_v2(st->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                            NULL) != SQLITE_OK) {
            sqlite3_close_v2(db);
            return;
        }
        sqlite3_busy_timeout(db, 100);
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
            pragma_int(st, "PRAGMA data_version", &dv, NULL) || dv != st->dv) {
            sqlite3_close_v2(db);   /* rolls back */
            return;
        }
    } else if (begin_fresh(st, NULL)) {
        return;
    }
    rc = snap_write(db, key, m, rows);
    if (rc || sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    if (db != st->db)
        sqlite3_close_v2(db);
}

/* Inside the load's transaction: the snapshot's key, and the snapshot when
 * the meta key "snapshot" names one of the current change counter. */
static int
snapshot_load(struct store *st, struct model *m, struct snap_key *key, bool *done,
              struct sm_error *err)
{
    char *mark = NULL;
    int rc;

    if ((rc = store_change_counter(st, &key->change, err)) ||
        (rc = pragma_int(st, "PRAGMA user_version", &key->schema, err)))
        return rc;
    if (store_meta_dup(st, "snapshot", &mark, NULL) != SM_OK)
        return SM_OK;
    *done = snap_read(st->db, key, mark, m, (struct rowmap *[3]){ &st->drow, &st->prow,
                                                                  &st->frow }) == SM_OK;
    free(mark);
    return SM_OK;
}
int
store_load(struct store *st, struct model *m, struct sm_error *err)
{
    struct loader L = { .st = st, .m = m, .err = err, .named_ds = m->ndatasets,
                        .named_fl = m->nflows };
    int64_t nd = 0, maxd = 0, nf = 0, nt = 0, np = 0, nfl = 0;
    struct snap_key key = { .base = snap_on() ? snap_base(m) : 0 };
    bool from_snap = false;
    char *pack = NULL;
    int rc;

    if ((rc = exec(st, st->in_tx || st->held ? "SAVEPOINT sm_load" : "BEGIN", err)))
        return rc;
    /* the rowids the store remembers are about to change: until this load
     * succeeds, no write may use them (check_fresh refuses, dv is never -1) */
    st->loaded = true;
    st->dv = -1;
    rowmap_fini(&st->drow);
    rowmap_fini(&st->prow);
    rowmap_fini(&st->frow);
    /* the load snapshot, when there is a valid one (store_snapshot.h) */
    if (key.base && (rc = snapshot_load(st, m, &key, &from_snap, err)))
        goto out;
    if (from_snap)
        goto pack;
    /* rowid tables: the largest rowid, an upper bound found in O(log n)
     * (trimmed at the end if rows were deleted); fields and tags are
     * counted exactly */
    if ((rc = count_rows(st, S_COUNT_DATASET, &nd, &maxd, err)) ||
        (rc = count_rows(st, S_COUNT_PLACEMENT, &np, NULL, err)) ||
        (rc = count_rows(st, S_COUNT_FLOW, &nfl, NULL, err)) ||
        (rc = count_rows(st, S_COUNT_FIELD, &nf, NULL, err)) ||
        (rc = count_rows(st, S_COUNT_TAG, &nt, NULL, err)))
        goto out;
    L.total = nd + np + nfl + nf + nt;
    if (nd + m->ndatasets > INT32_MAX / 2 || np > INT32_MAX / 2 || nfl > INT32_MAX / 2 ||
        nf > INT32_MAX / 2 || nt > INT32_MAX / 2) {
        rc = sm_error_set(err, SM_ELIMIT, "%s: too many objects", st->path);
        goto out;
    }
    /* size everything once, exactly: no reallocation while loading */
    L.ds = (struct idx){ &st->drow, m->ndatasets, 0, 0 };
    L.pl = (struct idx){ &st->prow, m->nplacements, 0, 0 };
    if (reserve_exact((void **)&m->datasets, &m->cap_datasets, m->ndatasets + (int32_t)nd,
                      sizeof *m->datasets, m->shareable) ||
        reserve_exact((void **)&m->fields, &m->cap_fields, m->nfields + (int32_t)nf,
                      sizeof *m->fields, m->shareable) ||
        reserve_exact((void **)&m->tags, &m->cap_tags, m->ntags + (int32_t)nt, sizeof *m->tags,
                      m->shareable) ||
        reserve_exact((void **)&m->placements, &m->cap_placements, m->nplacements + (int32_t)np,
                      sizeof *m->placements, m->shareable) ||
        reserve_exact((void **)&m->flows, &m->cap_flows, m->nflows + (int32_t)nfl,
                      sizeof *m->flows, m->shareable) ||
        sm_idmap_reserve(&m->dataset_names, (uint32_t)(m->ndatasets + nd)) ||
        sm_idmap_reserve(&m->flow_names, (uint32_t)(m->nflows + nfl))) {
        rc = sm_error_set(err, SM_ENOMEM, "%s: out of memory loading %lld datasets",
                          st->path, (long long)nd);
        goto out;
    }
pack:
    switch (store_meta_dup(st, "rule_pack", &pack, NULL)) {
    case SM_OK:
        m->rule_pack = model_str(m, pack);
        free(pack);
        if (!m->rule_pack) {
            rc = sm_error_set(err, SM_ENOMEM, "out of memory");
            goto out;
        }
        break;
    default:
        break;
    }
    if (from_snap)
        goto loaded;
    if (!(L.in.slots = calloc(INTERN_CAP, sizeof *L.in.slots))) {
        rc = sm_error_set(err, SM_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = load_regions(&L)) || (rc = load_tiers(&L)) || (rc = load_datasets(&L)) ||
        (rc = index_names(&L)) || (rc = load_fields(&L)) || (rc = load_asrcs(st, m, err)) ||
        (rc = load_placements(&L)) ||
        (rc = load_flows(&L)) || (rc = index_names(&L)) || (rc = load_rest(&L)))
        goto out;
    trim((void **)&m->datasets, &m->cap_datasets, m->ndatasets, sizeof *m->datasets);
    trim((void **)&m->fields, &m->cap_fields, m->nfields, sizeof *m->fields);
    trim((void **)&m->tags, &m->cap_tags, m->ntags, sizeof *m->tags);
    trim((void **)&m->placements, &m->cap_placements, m->nplacements, sizeof *m->placements);
    trim((void **)&m->flows, &m->cap_flows, m->nflows, sizeof *m->flows);
loaded:
    if (st->progress)
        st->progress(st->progress_ctx, L.total, L.total);
    /* read inside the load's transaction: the version of what was loaded */
    if ((rc = pragma_int(st, "PRAGMA data_version", &st->dv, err)))
        goto out;
out:
    if (rc) {
        /* what was loaded stays findable by name, as with model_add_* */
        model_index_names(m, OBJ_DATASET, L.named_ds);
        model_index_names(m, OBJ_FLOW, L.named_fl);
    }
    free(L.in.slots);
    if (st->in_tx || st->held) {
        exec(st, "RELEASE sm_load", NULL);
    } else if (exec(st, "COMMIT", rc ? NULL : err) && !rc) {
        rc = err ? err->code : SM_EDB;
    }
    if (!rc)
        rc = make_views(st, m, err);
    if (!rc && key.base && !from_snap)
        snapshot_save(st, m, &key);
    return rc;
}
