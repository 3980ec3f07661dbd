/*
 * store_query.c - the SQLite catalog: the audit log, metadata and the
 * read-only queries over the documented views (see store.h).
 */
#include "store.h"
#include "store_int.h"

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

/* ---- audit and metadata ---------------------------------------------------------------- */

/* Now as ISO 8601 UTC on the heap (NULL: out of memory): $SOVMAP_NOW whole,
 * or $SOVMAP_TODAY's date (its first ten bytes when they are a date,
 * else all of it) at midnight. */
static char *
now_iso(void)
{
    const char *now = getenv("SOVMAP_NOW"), *today = getenv("SOVMAP_TODAY");
    time_t t;
    struct tm tm;
    char buf[32];               /* bounded: an ISO 8601 UTC time from strftime */

    if (now && *now)
        return sm_strdupf("%s", now);
    if (today && *today) {
        int32_t d;
        size_t n = strlen(today);
        char day[11];           /* bounded: ten bytes tried as YYYY-MM-DD */
        if (n >= 10) {
            memcpy(day, today, 10);
            day[10] = '\0';
            if (sm_date_parse(day, &d) == SM_OK)
                n = 10;
        }
        return sm_strdupf("%.*sT00:00:00Z", (int)n, today);
    }
    t = time(NULL);
    gmtime_r(&t, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return sm_strdupf("%s", buf);
}

int
store_audit(struct store *st, const char *op, const char *object, const char *before,
            const char *after, struct sm_error *err)
{
    return store_audit_data(st, op, object, before, after, NULL, err);
}

int
store_audit_data(struct store *st, const char *op, const char *object, const char *before,
                 const char *after, const char *data, struct sm_error *err)
{
    const char *actor = getenv("SOVMAP_ACTOR");
    sqlite3_stmt *s;
    char *when;
    int rc;

    if (!actor || !*actor)
        actor = getenv("USER");
    if (!actor || !*actor)
        actor = getenv("LOGNAME");
    if (!actor || !*actor) {
        struct passwd *pw = getpwuid(geteuid());
        actor = pw && pw->pw_name && *pw->pw_name ? pw->pw_name : "unknown";
    }
    if (!(s = stmt(st, S_AUDIT, err)))
        return err ? err->code : SM_EDB;
    if (!(when = now_iso()))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    bind_str(s, 1, when);
    bind_str(s, 2, actor);
    bind_str(s, 3, op);
    bind_str(s, 4, object);
    if (before)
        bind_str(s, 5, before);
    if (after)
        bind_str(s, 6, after);
    if (data)
        bind_str(s, 7, data);
    rc = step_done(st, s, err);
    free(when);
    if (rc)
        return rc;
    /* every audited write is a change: store_change_counter */
    return (s = stmt(st, S_CHANGE_BUMP, err)) ? step_done(st, s, err) : err ? err->code : SM_EDB;
}

int
store_change_counter(struct store *st, int64_t *out, struct sm_error *err)
{
    char buf[32];               /* bounded: a counter, an int64 in decimal */
    SM_ERROR(e2);
    int rc = store_meta_get(st, "change", buf, sizeof buf, &e2);

    if (rc == SM_ENOTFOUND) {
        *out = 0;
        return SM_OK;
    }
    if (rc)
        return sm_error_set(err, rc, "%s", e2.msg);
    *out = strtoll(buf, NULL, 10);
    return SM_OK;
}

int
store_meta_get(struct store *st, const char *key, char *buf, size_t size,
               struct sm_error *err)
{
    sqlite3_stmt *s = stmt(st, S_META_GET, err);
    int rc;

    if (!s)
        return err ? err->code : SM_EDB;
    bind_str(s, 1, key);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        if (size)
            sm_strlcpy(buf, col_str(s, 0), size);
        sqlite3_reset(s);
        return SM_OK;
    }
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return sm_error_set(err, SM_ENOTFOUND, "%s: no %s set", st->path, key);
    return db_error(st, rc, err);
}

int
store_meta_dup(struct store *st, const char *key, char **out, struct sm_error *err)
{
    sqlite3_stmt *s = stmt(st, S_META_GET, err);
    int rc;

    *out = NULL;
    if (!s)
        return err ? err->code : SM_EDB;
    bind_str(s, 1, key);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = strdup(col_str(s, 0));
        sqlite3_reset(s);
        return *out ? SM_OK : sm_error_set(err, SM_ENOMEM, "out of memory");
    }
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return sm_error_set(err, SM_ENOTFOUND, "%s: no %s set", st->path, key);
    return db_error(st, rc, err);
}

int
store_meta_set(struct store *st, const char *key, const char *value, struct sm_error *err)
{
    sqlite3_stmt *s;

    if (st->flags & STORE_READONLY)
        return sm_error_set(err, SM_EREADONLY, "%s is read-only", st->path);
    if (!(s = stmt(st, S_META_SET, err)))
        return err ? err->code : SM_EDB;
    bind_str(s, 1, key);
    bind_str(s, 2, value);
    return step_done(st, s, err);
}

int
store_log(struct store *st, int limit, int (*cb)(void *ctx, const struct audit_entry *e),
          void *ctx, struct sm_error *err)
{
    return store_log_from(st, INT64_MAX, limit, cb, ctx, err);
}

int
store_log_from(struct store *st, int64_t from, int limit,
               int (*cb)(void *ctx, const struct audit_entry *e), void *ctx,
               struct sm_error *err)
{
    sqlite3_stmt *s = stmt(st, S_LOG, err);
    int rc;

    if (!s)
        return err ? err->code : SM_EDB;
    sqlite3_bind_int(s, 1, limit > 0 ? limit : -1);
    sqlite3_bind_int64(s, 2, from);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct audit_entry e = {
            .id = sqlite3_column_int64(s, 0),
            .time = col_str(s, 1),
            .actor = col_str(s, 2),
            .op = col_str(s, 3),
            .object = col_str(s, 4),
            .before = sqlite3_column_type(s, 5) == SQLITE_NULL ? NULL : col_str(s, 5),
            .after = sqlite3_column_type(s, 6) == SQLITE_NULL ? NULL : col_str(s, 6),
            .data = sqlite3_column_type(s, 7) == SQLITE_NULL ? NULL : col_str(s, 7),
        };
        if (cb(ctx, &e))
            break;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(st, rc, err);
    return SM_OK;
}

/* ---- read-only queries ------------------------------------------------------------------- */

struct deadline {
    struct timespec end;
};

/* The wall-clock limit of a custom rule, kept by a thread that calls
 * sqlite3_interrupt at the deadline: the progress handler alone runs only
 * between VM steps, and one step (printf('%.*c', 50000000, 'x')) can take
 * seconds. */
struct watchdog {
    sqlite3 *db;
    struct timespec end;        /* CLOCK_REALTIME, for pthread_cond_timedwait */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    bool running, done, fired;
};

static void *
watchdog_run(void *arg)
{
    struct watchdog *w = arg;
    int rc = 0;

    pthread_mutex_lock(&w->mu);
    while (!w->done && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&w->cv, &w->mu, &w->end);
    if (!w->done) {
        w->fired = true;
        sqlite3_interrupt(w->db);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static bool
watchdog_start(struct watchdog *w, sqlite3 *db, int limit_ms)
{
    memset(w, 0, sizeof *w);
    w->db = db;
    clock_gettime(CLOCK_REALTIME, &w->end);
    w->end.tv_sec += limit_ms / 1000;
    w->end.tv_nsec += (long)(limit_ms % 1000) * 1000000L;
    if (w->end.tv_nsec >= 1000000000L) {
        w->end.tv_sec++;
        w->end.tv_nsec -= 1000000000L;
    }
    if (pthread_mutex_init(&w->mu, NULL))
        return false;
    if (pthread_cond_init(&w->cv, NULL)) {
        pthread_mutex_destroy(&w->mu);
        return false;
    }
    if (pthread_create(&w->thread, NULL, watchdog_run, w)) {
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        return false;
    }
    w->running = true;
    return true;
}

/* Stops the thread; true when it interrupted the query. */
static bool
watchdog_stop(struct watchdog *w)
{
    if (!w->running)
        return false;
    pthread_mutex_lock(&w->mu);
    w->done = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    w->running = false;
    return w->fired;
}

/* The memory limits of a custom rule: no value longer than
 * STORE_QUERY_MAX_VALUE, and no more than STORE_QUERY_MAX_HEAP of SQLite
 * heap on top of what the process holds when the rule starts. The heap
 * limit is process-wide, so it is set only for the rule's run and the
 * previous one put back. */
struct rule_limits {
    int length;
    sqlite3_int64 heap;
};

static void
rule_limits_set(sqlite3 *db, struct rule_limits *saved)
{
    sqlite3_int64 want = sqlite3_memory_used() + STORE_QUERY_MAX_HEAP;

    saved->length = sqlite3_limit(db, SQLITE_LIMIT_LENGTH, STORE_QUERY_MAX_VALUE);
    saved->heap = sqlite3_hard_heap_limit64(-1);
    if (saved->heap <= 0 || saved->heap > want)
        sqlite3_hard_heap_limit64(want);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, (int *)NULL);
}

static void
rule_limits_restore(sqlite3 *db, const struct rule_limits *saved)
{
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, saved->length);
    sqlite3_hard_heap_limit64(saved->heap);
}

/* The SQL functions a custom rule may call: SQLite's core scalar,
 * aggregate, window, date and JSON functions that only compute. Not
 * fts3_tokenizer (it hands out a library address), load_extension,
 * sqlite_compileoption_*, changes() and the like. */
static const char *const rule_functions[] = {
    "abs", "char", "coalesce", "concat", "concat_ws", "format", "glob", "hex", "ifnull",
    "iif", "instr", "length", "like", "likelihood", "likely", "lower", "ltrim", "max",
    "min", "nullif", "octet_length", "printf", "quote", "replace", "round", "rtrim",
    "sign", "soundex", "substr", "substring", "trim", "typeof", "unhex", "unicode",
    "unlikely", "upper", "zeroblob", "avg", "count", "group_concat", "string_agg", "sum",
    "total", "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff",
    "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag",
    "lead", "first_value", "last_value", "nth_value", "json", "json_array",
    "json_array_length", "json_extract", "json_insert", "json_object", "json_patch",
    "json_quote", "json_remove", "json_replace", "json_set", "json_type", "json_valid",
    "json_group_array", "json_group_object", "->", "->>", "acos", "asin", "atan", "atan2",
    "ceil", "ceiling", "cos", "exp", "floor", "ln", "log", "log10", "log2", "mod", "pi",
    "pow", "power", "sin", "sqrt", "tan", "trunc",
};

static bool
rule_function(const char *name)
{
    for (size_t i = 0; name && i < sizeof rule_functions / sizeof *rule_functions; i++)
        if (strcasecmp(name, rule_functions[i]) == 0)
            return true;
    return false;
}

static int
progress(void *ctx)
{
    struct deadline *d = ctx;
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > d->end.tv_sec ||
           (now.tv_sec == d->end.tv_sec && now.tv_nsec > d->end.tv_nsec);
}

/* The views custom rules read (doc/catalog.md), all TEMP, made by views_sql. */
static const char *const rule_views[] = {
    "v_region", "v_tier", "v_dataset", "v_field", "v_tag", "v_placement", "v_flow",
    "v_waiver",
};
/* The catalog tables those views read. */
static const char *const view_tables[] = {
    "tier", "dataset", "field", "tag", "placement", "flow", "flow_transform", "waiver",
};
#define RULE_VIEWS "v_region, v_tier, v_dataset, v_field, v_tag, v_placement, v_flow " \
                   "and v_waiver"

/* Names whole, on the heap: a private table is never missed for its length
 * or their number, and the error names what was refused in full. */
struct auth {
    char *denied;               /* the table a read was refused for, NULL none */
    char *function;             /* the function refused, NULL none */
    char **tables;              /* the catalog's tables not under the views */
    int32_t ntables, cap;
    bool oom;                   /* a name could not be kept: refuse the query */
};

static void
auth_fini(struct auth *au)
{
    free(au->denied);
    free(au->function);
    for (int32_t i = 0; i < au->ntables; i++)
        free(au->tables[i]);
    free(au->tables);
}

/* Keep the first refused name whole (*dst NULL until then). */
static void
auth_note(struct auth *au, char **dst, const char *name)
{
    if (!*dst && !(*dst = strdup(name ? name : "?")))
        au->oom = true;
}

/* Whether name is one of the catalog's tables that no view reads (audit,
 * meta ...) or SQLite's own. */
static bool
private_table(const struct auth *au, const char *name)
{
    if (strncasecmp(name, "sqlite_", 7) == 0)
        return true;
    for (int32_t i = 0; i < au->ntables; i++)
        if (strcasecmp(name, au->tables[i]) == 0)
            return true;
    return false;
}

/* Custom rules may read the documented views and compute; nothing else: no
 * direct read of a catalog table (audit, meta, dataset ...), no ATTACH,
 * PRAGMA or write. For SQLITE_READ, a is the table, c the database and d
 * the innermost view (or trigger) the read comes through. */
static int
authorize(void *ctx, int action, const char *a, const char *b, const char *c, const char *d)
{
    struct auth *au = ctx;

    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_FUNCTION:
        /* b is the function's name */
        if (rule_function(b))
            return SQLITE_OK;
        auth_note(au, &au->function, b);
        return SQLITE_DENY;
    case SQLITE_READ:
        if (!c) {
            /* A CTE or subquery -- or, for "SELECT count(*) FROM audit"
             * (no column used), a stored table named without its database. */
            if (a && private_table(au, a))
                goto deny;
            return SQLITE_OK;
        }
        if (strcmp(c, "temp") == 0 && a) {
            /* region_ref, or a view's own columns (a view not flattened
             * into the query is read like a table) */
            if (strcmp(a, "region_ref") == 0)
                return SQLITE_OK;
            for (size_t i = 0; i < sizeof rule_views / sizeof *rule_views; i++)
                if (strcmp(a, rule_views[i]) == 0)
                    return SQLITE_OK;
        }
        if (strcmp(c, "main") == 0 && a)
            for (size_t i = 0; i < sizeof view_tables / sizeof *view_tables; i++) {
                if (strcmp(a, view_tables[i]) != 0)
                    continue;
                /* A table the views are built on, read through one of them.
                 * d is the innermost view -- or CTE, which a query names
                 * itself: "WITH v_dataset AS (SELECT * FROM audit)" -- so
                 * only these tables qualify, never audit or meta. */
                for (size_t k = 0; d && k < sizeof rule_views / sizeof *rule_views; k++)
                    if (strcmp(d, rule_views[k]) == 0)
                        return SQLITE_OK;
                /* None of its columns used: authorized with column "" and,
                 * once a view is flattened, without the view's name. A
                 * row count at most, which the views show anyway. */
                if (b && !*b)
                    return SQLITE_OK;
            }
    deny:
        auth_note(au, &au->denied, a);
        return SQLITE_DENY;
    default:
        return SQLITE_DENY;
    }
}

/* Whether what follows a statement is only blanks, semicolons and comments. */
static bool
only_comments(sqlite3 *db, const char *tail)
{
    sqlite3_stmt *s = NULL;
    const char *next;

    while (tail && *tail) {
        while (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r' || *tail == ';')
            tail++;
        if (!*tail)
            return true;
        next = NULL;
        if (sqlite3_prepare_v2(db, tail, -1, &s, &next) != SQLITE_OK)
            return false;
        if (s) {
            sqlite3_finalize(s);
            return false;
        }
        if (!next || next == tail)
            return false;
        tail = next;
    }
    return true;
}

/* Why a rule's statement stopped, as "over 2 s" (SM_ELIMIT), or the error. */
static int
query_failed(struct store *st, int rc, bool timed_out, int limit_ms, struct sm_error *err)
{
    if (timed_out || (rc & 0xff) == SQLITE_INTERRUPT) {
        if (limit_ms % 1000)
            return sm_error_set(err, SM_ELIMIT, "over %d ms", limit_ms);
        return sm_error_set(err, SM_ELIMIT, "over %d s", limit_ms / 1000);
    }
    if ((rc & 0xff) == SQLITE_TOOBIG)
        return sm_error_set(err, SM_ELIMIT, "over %d MiB (one value)",
                            STORE_QUERY_MAX_VALUE >> 20);
    if ((rc & 0xff) == SQLITE_NOMEM)
        return sm_error_set(err, SM_ELIMIT, "over %d MiB (memory)",
                            (int)(STORE_QUERY_MAX_HEAP >> 20));
    if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
        return db_error(st, rc, err);
    return sm_error_set(err, SM_EINVAL, "query failed: %s", sqlite3_errmsg(st->db));
}

int
store_query(struct store *st, const char *sql, int limit_ms,
            int (*row)(void *ctx, int ncols, const char *const *names,
                       const char *const *values),
            void *ctx, struct sm_error *err)
{
    struct deadline dl;
    struct watchdog wd = { 0 };
    struct rule_limits saved;
    struct auth au = { .denied = NULL, .function = NULL, .ntables = 0 };
    sqlite3_stmt *s = NULL;
    const char **names = NULL, **values = NULL;
    const char *tail = NULL;
    int rc, ncols, ret = SM_OK;
    bool timed_out;

    if (!st->views) {
        struct model *empty = model_new();
        if (!empty)
            return sm_error_set(err, SM_ENOMEM, "out of memory");
        rc = make_views(st, empty, err);
        model_free(empty);
        if (rc)
            return rc;
    }
    {
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(st->db, "SELECT name FROM main.sqlite_master WHERE type = "
                               "'table'", -1, &q, NULL) == SQLITE_OK) {
            while (sqlite3_step(q) == SQLITE_ROW) {
                const char *t = (const char *)sqlite3_column_text(q, 0);
                bool under = false;
                for (size_t i = 0; t && i < sizeof view_tables / sizeof *view_tables; i++)
                    under |= strcmp(t, view_tables[i]) == 0;
                if (!t || under)
                    continue;
                if (sm_grow((void **)&au.tables, &au.cap, au.ntables + 1, sizeof *au.tables) ||
                    !(au.tables[au.ntables] = strdup(t))) {
                    au.oom = true;
                    break;
                }
                au.ntables++;
            }
            sqlite3_finalize(q);
        }
        if (au.oom) {
            ret = sm_error_set(err, SM_ENOMEM, "out of memory");
            goto out_auth;
        }
    }
    rule_limits_set(st->db, &saved);
    sqlite3_set_authorizer(st->db, authorize, &au);
    rc = sqlite3_prepare_v2(st->db, sql ? sql : "", -1, &s, &tail);
    if (rc == SQLITE_OK && s && !only_comments(st->db, tail)) {
        sqlite3_set_authorizer(st->db, NULL, NULL);
        ret = sm_error_set(err, SM_EINVAL, "query: one SELECT only");
        goto out;
    }
    sqlite3_set_authorizer(st->db, NULL, NULL);
    if (rc != SQLITE_OK) {
        if (au.oom)
            ret = sm_error_set(err, SM_ENOMEM, "out of memory");
        else if (au.function)
            ret = sm_error_set(err, SM_EINVAL, "query may not call the function %s",
                               au.function);
        else if ((rc & 0xff) == SQLITE_AUTH && au.denied)
            ret = sm_error_set(err, SM_EINVAL,
                               "query may not read the table %s; read the views "
                               RULE_VIEWS " (doc/catalog.md)", au.denied);
        else if ((rc & 0xff) == SQLITE_AUTH)
            ret = sm_error_set(err, SM_EINVAL, "query may only read: %s",
                               sqlite3_errmsg(st->db));
        else if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
            ret = db_error(st, rc, err);
        else
            ret = sm_error_set(err, SM_EINVAL, "bad query: %s", sqlite3_errmsg(st->db));
        goto out;
    }
    if (!s) {
        ret = sm_error_set(err, SM_EINVAL, "empty query");
        goto out;
    }
    if (!sqlite3_stmt_readonly(s)) {
        ret = sm_error_set(err, SM_EINVAL, "query may only read (a SELECT)");
        goto out;
    }
    ncols = sqlite3_column_count(s);
    names = calloc((size_t)ncols + 1, sizeof *names);
    values = calloc((size_t)ncols + 1, sizeof *values);
    if (!names || !values) {
        ret = sm_error_set(err, SM_ENOMEM, "out of memory");
        goto out;
    }
    for (int i = 0; i < ncols; i++)
        names[i] = sqlite3_column_name(s, i);
    clock_gettime(CLOCK_MONOTONIC, &dl.end);
    if (limit_ms > 0) {
        dl.end.tv_sec += limit_ms / 1000;
        dl.end.tv_nsec += (long)(limit_ms % 1000) * 1000000L;
        if (dl.end.tv_nsec >= 1000000000L) {
            dl.end.tv_sec++;
            dl.end.tv_nsec -= 1000000000L;
        }
        sqlite3_progress_handler(st->db, 1000, progress, &dl);
        if (!watchdog_start(&wd, st->db, limit_ms)) {
            ret = sm_error_set(err, SM_ENOMEM, "cannot start the query's timer");
            goto out;
        }
    }
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        for (int i = 0; i < ncols; i++) {
            const unsigned char *t = sqlite3_column_text(s, i);
            values[i] = t ? (const char *)t : NULL;
        }
        if (row && row(ctx, ncols, names, values))
            break;
    }
    timed_out = watchdog_stop(&wd);
    sqlite3_progress_handler(st->db, 0, NULL, NULL);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        ret = query_failed(st, rc, timed_out, limit_ms, err);
out:
    watchdog_stop(&wd);
    sqlite3_finalize(s);
    rule_limits_restore(st->db, &saved);
    free(names);
    free(values);
out_auth:
    auth_fini(&au);
    return ret;
}
