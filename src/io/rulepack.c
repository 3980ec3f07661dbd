/*
 * rulepack.c - read a rule pack (data/rules/NAME.json) and the jurisdiction
 * facts it names (data/jurisdictions.json) into a struct rulepack.
 *
 * Errors are "file:line:column: message". Syntax errors come from jansson;
 * for a bad value the message names its JSON path and points at the value
 * in the text (found by scanning for the key after its parent).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "readfile.h"
#include "rulepack.h"
#include "rules.h"

struct ctx {
    struct rulepack *rp;
    const char *file;           /* name for messages */
    const char *text;           /* its text, for positions */
    struct sm_error *err;
};

/* Largest file read (a pack or a facts file); the shipped ones are ~30 KB. */
#define RULEPACK_MAX_BYTES (64u << 20)

/* The whole of the regular file at path, NUL-terminated. On failure NULL,
 * with errno set and *why the reason for a message (never file content):
 * a FIFO, device or directory is refused before anything is read. */
static char *
slurp(const char *path, size_t *len, const char **why)
{
    struct stat st;
    char *buf;
    size_t n = 0;
    int fd, e;

    *why = NULL;
    if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
        goto sys;
    if (fstat(fd, &st) < 0)
        goto sys_close;
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        errno = EINVAL;
        *why = S_ISDIR(st.st_mode) ? "is a directory, not a file" : "not a regular file";
        return NULL;
    }
    if ((uintmax_t)st.st_size > RULEPACK_MAX_BYTES) {
        close(fd);
        errno = EFBIG;
        *why = "larger than 64 MiB; not a rule pack or jurisdictions file";
        return NULL;
    }
    if (!(buf = malloc((size_t)st.st_size + 1))) {
        close(fd);
        errno = ENOMEM;
        goto sys;
    }
    /* Read at most the size fstat gave (plus one byte to notice growth). */
    for (;;) {
        ssize_t got = read(fd, buf + n, (size_t)st.st_size + 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            e = errno;
            free(buf);
            close(fd);
            errno = e;
            goto sys;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (n > (size_t)st.st_size) {
            free(buf);
            close(fd);
            errno = EFBIG;
            *why = "changed size while being read";
            return NULL;
        }
    }
    close(fd);
    buf[n] = '\0';
    *len = n;
    return buf;
sys_close:
    e = errno;
    close(fd);
    errno = e;
sys:
    *why = strerror(errno);
    return NULL;
}

/* jansson's message without the "near '...'" part, which quotes the file. */
static const char *
syntax_msg(const json_error_t *je, char *buf, size_t size)
{
    const char *near = strstr(je->text, " near ");
    int n = near ? (int)(near - je->text) : (int)strlen(je->text);

    snprintf(buf, size, "%.*s", n, je->text);
    return buf;
}

/* Position of the first `"key"` followed by ':' (and, when key is NULL,
 * of the text `"value"`), searching from the path's components in order so
 * that "tiers" then "scope" finds the scope inside tiers. 1-based. */
static void
locate(const char *text, const char *const *keys, int nkeys, int *line, int *col)
{
    const char *p = text, *hit = text;

    for (int k = 0; k < nkeys && p; k++) {
        /* the key in quotes, found whole whatever its length */
        size_t n = strlen(keys[k]);
        const char *q = p;
        while ((q = strchr(q, '"')) && (strncmp(q + 1, keys[k], n) || q[n + 1] != '"'))
            q++;
        if (!q)
            break;
        hit = q;
        p = q + n + 2;
    }
    *line = 1;
    *col = 1;
    for (const char *s = text; s < hit; s++) {
        if (*s == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

/* A value error at keys[0..n) (the path) with message. */
static int
bad(struct ctx *c, const char *const *keys, int nkeys, const char *fmt, const char *arg)
{
    int line, col, rc;
    char *msg;

    locate(c->text, keys, nkeys, &line, &col);
    if (!(msg = sm_strdupf(fmt, arg ? arg : "")))
        return sm_error_set(c->err, SM_ENOMEM, "%s: out of memory", c->file);
    rc = sm_error_set(c->err, SM_EPARSE, "%s:%d:%d: %s", c->file, line, col, msg);
    free(msg);
    return rc;
}

static const char *
str_of(struct ctx *c, json_t *v)
{
    return sm_arena_strdup(&c->rp->arena, json_string_value(v));
}

static int
oom(struct ctx *c)
{
    return sm_error_set(c->err, SM_ENOMEM, "%s: out of memory", c->file);
}

/* A JSON array of strings into an arena strv. */
static int
strv_of(struct ctx *c, json_t *a, const char *key, struct sm_strv *out)
{
    size_t i;
    json_t *v;
    const char *path[1] = { key };

    out->n = 0;
    out->v = NULL;
    if (!a)
        return SM_OK;
    if (!json_is_array(a))
        return bad(c, path, 1, "%s must be an array of strings", key);
    out->v = sm_arena_alloc(&c->rp->arena, sizeof(char *) * (json_array_size(a) + 1));
    if (!out->v)
        return oom(c);
    json_array_foreach(a, i, v) {
        if (!json_is_string(v))
            return bad(c, path, 1, "%s must be an array of strings", key);
        if (!(out->v[out->n++] = str_of(c, v)))
            return oom(c);
    }
    return SM_OK;
}

static int
cc_set_of(struct ctx *c, json_t *a, const char *what, struct sm_ccset *s)
{
    size_t i;
    json_t *v;
    const char *path[1] = { what };

    if (!json_is_array(a))
        return bad(c, path, 1, "%s must be an array of country codes", what);
    json_array_foreach(a, i, v) {
        int cc = sm_cc(json_string_value(v));
        if (cc == SM_NONE)
            continue;       /* "EPO" and other non-country entries */
        sm_ccset_add(s, cc);
    }
    return SM_OK;
}

static int32_t
date_of(json_t *v)
{
    int32_t d = 0;

    if (json_is_string(v))
        sm_date_parse(json_string_value(v), &d);
    return d;
}

/* ---- jurisdictions.json -------------------------------------------------- */

static int
load_blocs(struct ctx *c, json_t *blocs)
{
    const char *name;
    json_t *b;
    const char *path[1] = { "blocs" };

    if (!json_is_object(blocs))
        return bad(c, path, 1, "blocs must be an object%s", NULL);
    c->rp->blocs = calloc(json_object_size(blocs) + 1, sizeof *c->rp->blocs);
    if (!c->rp->blocs)
        return oom(c);
    json_object_foreach(blocs, name, b) {
        struct bloc *bl = &c->rp->blocs[c->rp->nblocs];
        int rc;
        if (!(bl->name = sm_arena_strdup(&c->rp->arena, name)))
            return oom(c);
        if ((rc = cc_set_of(c, json_object_get(b, "members"), "members", &bl->members)))
            return rc;
        /* EU territories (AX, GF ...) are EU territory: they belong to it. */
        json_t *t = json_object_get(json_object_get(b, "territories"), "codes");
        if (t && (rc = cc_set_of(c, t, "codes", &bl->members)))
            return rc;
        c->rp->nblocs++;
    }
    /* The EEA holds the whole EU, its territories (AX, GF, ... listed only
     * under EU) included. */
    {
        int32_t eu = rules_bloc(c->rp, "EU"), eea = rules_bloc(c->rp, "EEA");
        if (eu != SM_NONE && eea != SM_NONE)
            sm_ccset_union(&c->rp->blocs[eea].members, &c->rp->blocs[eu].members);
    }
    return SM_OK;
}

static int
load_regime(struct ctx *c, json_t *j, struct regime *g)
{
    struct rulepack *rp = c->rp;
    json_t *v, *a;
    size_t i;
    int rc;
    const char *path[2] = { "regimes", "id" };

    if (!json_is_object(j) || !json_is_string(json_object_get(j, "id")))
        return bad(c, path, 1, "each regime needs an id%s", NULL);
    g->id = str_of(c, json_object_get(j, "id"));
    g->name = json_is_string(json_object_get(j, "name")) ?
        str_of(c, json_object_get(j, "name")) : g->id;
    g->country = sm_cc(json_string_value(json_object_get(j, "country")));
    g->localization_law = json_is_string(json_object_get(j, "localization_law")) ?
        str_of(c, json_object_get(j, "localization_law")) : "";
    if (!g->id || !g->name || !g->localization_law)
        return oom(c);
    if ((rc = cc_set_of(c, json_object_get(j, "subjects"), "subjects", &g->subjects)))
        return rc;
    v = json_object_get(j, "free_flow");
    if (json_is_string(v)) {
        int32_t b = rules_bloc(rp, json_string_value(v));
        if (b == SM_NONE)
            return bad(c, (const char *[]){ g->id, "free_flow" }, 2,
                       "unknown bloc %s", json_string_value(v));
        g->free_flow = rp->blocs[b].members;
        g->area = rp->blocs[b].name;
        g->area_bloc = 1;
    } else {
        char *buf = NULL;
        size_t size = 0;
        FILE *f;
        if ((rc = cc_set_of(c, v, "free_flow", &g->free_flow)))
            return rc;
        /* "DE,FR,...": every code, however many */
        if (!(f = open_memstream(&buf, &size)))
            return oom(c);
        json_array_foreach(v, i, a)
            fprintf(f, "%s%s", i ? "," : "", json_string_value(a) ? json_string_value(a) : "");
        if (fclose(f) != 0) {
            free(buf);
            return oom(c);
        }
        g->area = sm_arena_strdup(&rp->arena, buf);
        free(buf);
        if (!g->area)
            return oom(c);
    }
    /* The regime's own country always moves freely within itself. */
    if (g->country != SM_NONE && g->country != sm_cc("EU"))
        sm_ccset_add(&g->free_flow, g->country);
    v = json_object_get(j, "transfer");
    g->transfer = XFER_RULE_CONDITIONAL;
    for (int t = 0; t < XFER_RULE_COUNT; t++)
        if (json_is_string(v) && strcmp(json_string_value(v), regime_transfer_names[t]) == 0)
            g->transfer = (uint8_t)t;
    if ((a = json_object_get(j, "blacklist")) &&
        (rc = cc_set_of(c, a, "blacklist", &g->blacklist)))
        return rc;
    json_array_foreach(json_object_get(j, "mechanisms"), i, v) {
        int mech = model_enum_parse(mechanism_names, MECH_COUNT, json_string_value(v));
        if (mech <= 0)
            return bad(c, (const char *[]){ g->id, "mechanisms" }, 2,
                       "unknown mechanism %s", json_string_value(v));
        g->mechanisms |= 1u << mech;
    }
    v = json_object_get(j, "localization");
    g->hard_localization = json_is_string(v) && strcmp(json_string_value(v), "hard") == 0;
    a = json_object_get(j, "adequacy");
    g->adequacy = calloc(json_array_size(a) + 1, sizeof *g->adequacy);
    if (!g->adequacy)
        return oom(c);
    json_array_foreach(a, i, v) {
        struct adequacy *q = &g->adequacy[g->nadequacy];
        json_t *cond = json_object_get(v, "condition");
        q->cc = sm_cc(json_string_value(json_object_get(v, "country")));
        if (q->cc == SM_NONE)
            continue;       /* international organisations: no location */
        q->partial = json_is_string(json_object_get(v, "scope")) &&
            strcmp(json_string_value(json_object_get(v, "scope")), "partial") == 0;
        q->condition = ADQ_NONE;
        if (json_is_string(cond)) {
            int k = model_enum_parse(adq_condition_names, ADQ_COUNT, json_string_value(cond));
            if (k <= 0)
                return bad(c, (const char *[]){ g->id, "condition" }, 2,
                           "unknown adequacy condition %s", json_string_value(cond));
            q->condition = (uint8_t)k;
        }
        q->since = date_of(json_object_get(v, "since"));
        q->until = date_of(json_object_get(v, "until"));
        q->instrument = json_is_string(json_object_get(v, "instrument")) ?
            str_of(c, json_object_get(v, "instrument")) : "";
        if (!q->instrument)
            return oom(c);
        g->nadequacy++;
    }
    return SM_OK;
}

/* A pack's "jurisdictions" value: a plain file name ending in .json, read
 * from the data directory only (a pack passed around by mail must not make
 * sovmap read /dev/zero or ../../etc/passwd). */
static int
jurisdictions_name_ok(const char *name)
{
    size_t n = strlen(name);

    return n > 5 && n < 256 && !strchr(name, '/') && !strchr(name, '\\') &&
           !strstr(name, "..") && name[0] != '.' &&
           strcmp(name + n - 5, ".json") == 0;
}

static int load_jurisdictions_at(struct ctx *pc, const char *path);

static int
load_jurisdictions(struct ctx *pc, const char *datadir, const char *name)
{
    char *path;                 /* on the heap: a data directory of any length */
    int rc;

    if (!jurisdictions_name_ok(name))
        return bad(pc, (const char *[]){ "jurisdictions" }, 1,
                   "jurisdictions must be a file name ending in .json in the data "
                   "directory (no '/' or '..')%s", NULL);
    if (!(path = sm_strdupf("%s/%s", datadir, name)))
        return oom(pc);
    rc = load_jurisdictions_at(pc, path);
    free(path);
    return rc;
}

static int
load_jurisdictions_at(struct ctx *pc, const char *path)
{
    size_t len;
    char *text;
    const char *why;
    json_t *root, *regs, *r;
    json_error_t je;
    char msg[160];              /* bounded: jansson's message, at most 160 bytes (json_error_t) */
    size_t i;
    int rc = SM_OK;
    struct ctx c = *pc;

    if (!(text = slurp(path, &len, &why)))
        return sm_error_set(pc->err, SM_EIO, "%s: %s", path, why);
    c.file = path;
    c.text = text;
    root = json_loadb(text, len, 0, &je);
    if (!root) {
        if (readfile_json_nomem(&je))
            rc = sm_error_set(pc->err, SM_ENOMEM, "%s: out of memory", path);
        else
            rc = sm_error_set(pc->err, SM_EPARSE, "%s:%d:%d: %s", path, je.line, je.column,
                              syntax_msg(&je, msg, sizeof msg));
        free(text);
        return rc;
    }
    if ((rc = load_blocs(&c, json_object_get(root, "blocs"))))
        goto done;
    regs = json_object_get(root, "regimes");
    if (!json_is_array(regs)) {
        rc = bad(&c, (const char *[]){ "regimes" }, 1, "regimes must be an array%s", NULL);
        goto done;
    }
    c.rp->regimes = calloc(json_array_size(regs) + 1, sizeof *c.rp->regimes);
    if (!c.rp->regimes) {
        rc = oom(&c);
        goto done;
    }
    json_array_foreach(regs, i, r) {
        struct regime *g = &c.rp->regimes[c.rp->nregimes];
        if ((rc = load_regime(&c, r, g)))
            goto done;
        c.rp->nregimes++;
        for (int cc = sm_ccset_next(&g->subjects, 0); cc != SM_NONE;
             cc = sm_ccset_next(&g->subjects, cc + 1))
            if (c.rp->regime_of[cc] == SM_NONE)
                c.rp->regime_of[cc] = (int16_t)(c.rp->nregimes - 1);
    }
done:
    json_decref(root);
    free(text);
    return rc;
}

/* ---- the pack -------------------------------------------------------------- */

static int
scope_of(struct ctx *c, json_t *t, const char *key, int32_t idx, uint8_t *out, uint8_t dflt)
{
    json_t *v = json_object_get(t, key);
    char ixs[16];               /* bounded: an int32 in decimal */
    int s;

    snprintf(ixs, sizeof ixs, "%d", idx);
    if (!v) {
        *out = dflt;
        return SM_OK;
    }
    s = model_enum_parse(scope_names, SCOPE_COUNT, json_string_value(v));
    if (s == SM_NONE) {
        char *msg = sm_strdupf("tiers[%s].%s: unknown scope %%s (use region, country, bloc, "
                               "adequate, approved or global)", ixs, key);
        int rc;
        if (!msg)
            return oom(c);
        rc = bad(c, (const char *[]){ "tiers", json_string_value(json_object_get(t, "name")) ?
                                      json_string_value(json_object_get(t, "name")) : "name", key },
                 3, msg, json_is_string(v) ? json_string_value(v) : "(not a string)");
        free(msg);
        return rc;
    }
    *out = (uint8_t)s;
    return SM_OK;
}

static bool
flag_of(json_t *t, const char *key, bool dflt)
{
    json_t *v = json_object_get(t, key);

    return json_is_boolean(v) ? json_is_true(v) : dflt;
}

static int32_t
int_of(json_t *t, const char *key, int32_t dflt)
{
    json_t *v = json_object_get(t, key);

    return json_is_integer(v) ? (int32_t)json_integer_value(v) : dflt;
}

static int
load_tiers(struct ctx *c, json_t *a)
{
    size_t i;
    json_t *t;
    int rc;

    if (!a)
        return SM_OK;
    if (!json_is_array(a))
        return bad(c, (const char *[]){ "tiers" }, 1, "tiers must be an array%s", NULL);
    c->rp->tiers = calloc(json_array_size(a) + 1, sizeof *c->rp->tiers);
    if (!c->rp->tiers)
        return oom(c);
    json_array_foreach(a, i, t) {
        struct tier *tr = &c->rp->tiers[c->rp->ntiers];
        model_tier_init(tr);
        if (!json_is_object(t) || !json_is_string(json_object_get(t, "name")) ||
            !*json_string_value(json_object_get(t, "name")))
            return bad(c, (const char *[]){ "tiers" }, 1, "every tier needs a name%s", NULL);
        tr->name = str_of(c, json_object_get(t, "name"));
        tr->description = json_is_string(json_object_get(t, "description")) ?
            str_of(c, json_object_get(t, "description")) : "";
        if (!tr->name || !tr->description)
            return oom(c);
        tr->rank = int_of(t, "rank", (int32_t)i + 1);
        tr->personal = flag_of(t, "personal", false);
        if ((rc = scope_of(c, t, "scope", (int32_t)i, &tr->scope, SCOPE_GLOBAL)) ||
            (rc = scope_of(c, t, "backup_scope", (int32_t)i, &tr->backup_scope, tr->scope)) ||
            (rc = scope_of(c, t, "key_scope", (int32_t)i, &tr->key_scope, SCOPE_GLOBAL)))
            return rc;
        tr->encryption_at_rest = flag_of(t, "encryption_at_rest", false);
        tr->transit_encryption = flag_of(t, "transit_encryption", false);
        tr->sovereign = flag_of(t, "sovereign", false);
        tr->retention_min_days = int_of(t, "retention_min_days", SM_NONE);
        tr->retention_max_days = int_of(t, "retention_max_days", SM_NONE);
        if ((rc = strv_of(c, json_object_get(t, "approved_regions"), "approved_regions",
                          &tr->approved)))
            return rc;
        c->rp->ntiers++;
    }
    return SM_OK;
}

static int
load_rules(struct ctx *c, json_t *o)
{
    const char *id;
    json_t *v;

    if (!o)
        return SM_OK;
    if (!json_is_object(o))
        return bad(c, (const char *[]){ "rules" }, 1, "rules must be an object%s", NULL);
    json_object_foreach(o, id, v) {
        int r = rules_rule(id);
        json_t *s;
        if (r == SM_NONE)
            return bad(c, (const char *[]){ "rules", id }, 2, "unknown rule %s", id);
        if (!json_is_object(v))
            return bad(c, (const char *[]){ "rules", id }, 2, "rules.%s must be an object", id);
        if ((s = json_object_get(v, "severity"))) {
            int sev = model_enum_parse(severity_names, SEV_COUNT, json_string_value(s));
            if (sev == SM_NONE)
                return bad(c, (const char *[]){ "rules", id, "severity" }, 3,
                           "unknown severity %s (use error, warning or info)",
                           json_is_string(s) ? json_string_value(s) : "(not a string)");
            c->rp->rules[r].severity = (uint8_t)sev;
        }
        c->rp->rules[r].advisory = flag_of(v, "advisory", c->rp->rules[r].advisory);
        c->rp->rules[r].enabled = flag_of(v, "enabled", c->rp->rules[r].enabled);
    }
    return SM_OK;
}

static int
load_custom(struct ctx *c, json_t *a)
{
    size_t i;
    json_t *o;

    if (!a)
        return SM_OK;
    if (!json_is_array(a))
        return bad(c, (const char *[]){ "custom" }, 1, "custom must be an array%s", NULL);
    c->rp->custom = calloc(json_array_size(a) + 1, sizeof *c->rp->custom);
    if (!c->rp->custom)
        return oom(c);
    json_array_foreach(a, i, o) {
        struct custom_rule *cr = &c->rp->custom[c->rp->ncustom];
        json_t *id = json_object_get(o, "id"), *sql = json_object_get(o, "sql");
        json_t *sev = json_object_get(o, "severity");
        int s = SEV_WARNING;
        if (!json_is_string(id) || !json_is_string(sql))
            return bad(c, (const char *[]){ "custom" }, 1,
                       "every custom rule needs an id and an sql SELECT%s", NULL);
        if (rules_rule(json_string_value(id)) != SM_NONE)
            return bad(c, (const char *[]){ "custom", json_string_value(id) }, 2,
                       "custom rule %s reuses a built-in rule id", json_string_value(id));
        for (int32_t k = 0; k < c->rp->ncustom; k++)
            if (strcmp(c->rp->custom[k].id, json_string_value(id)) == 0)
                return bad(c, (const char *[]){ "custom", json_string_value(id) }, 2,
                           "custom rule %s is defined twice", json_string_value(id));
        if (sev && (s = model_enum_parse(severity_names, SEV_COUNT, json_string_value(sev))) == SM_NONE)
            return bad(c, (const char *[]){ "custom", json_string_value(id), "severity" }, 3,
                       "unknown severity %s (use error, warning or info)",
                       json_is_string(sev) ? json_string_value(sev) : "(not a string)");
        cr->id = str_of(c, id);
        cr->sql = str_of(c, sql);
        cr->message = json_is_string(json_object_get(o, "message")) ?
            str_of(c, json_object_get(o, "message")) : cr->id;
        cr->severity = (uint8_t)s;
        if (!cr->id || !cr->sql || !cr->message)
            return oom(c);
        c->rp->ncustom++;
    }
    return SM_OK;
}

static int
load_overrides(struct ctx *c, json_t *o)
{
    json_t *rev, *pair;
    size_t i;
    SM_ERROR(e);

    if (!o)
        return SM_OK;
    if (!json_is_object(o))
        return bad(c, (const char *[]){ "regimes" }, 1, "regimes must be an object%s", NULL);
    rev = json_object_get(o, "revoke");
    if (rev && !json_is_array(rev))
        return bad(c, (const char *[]){ "regimes", "revoke" }, 2,
                   "regimes.revoke must be an array of [FROM, TO] pairs%s", NULL);
    json_array_foreach(rev, i, pair) {
        const char *a = json_string_value(json_array_get(pair, 0));
        const char *b = json_string_value(json_array_get(pair, 1));
        if (!a || !b || json_array_size(pair) != 2)
            return bad(c, (const char *[]){ "regimes", "revoke" }, 2,
                       "regimes.revoke must be an array of [FROM, TO] pairs%s", NULL);
        if (rules_revoke(c->rp, a, b, true, &e))
            return bad(c, (const char *[]){ "regimes", "revoke", b }, 3, "%s", e.msg);
    }
    return SM_OK;
}

bool
rulepack_plain_name(const char *name)
{
    size_t n = 0;

    if (!name || !*name || *name == '.')
        return false;
    for (; name[n]; n++) {
        char ch = name[n];
        if (n >= 64 || !((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                         (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-'))
            return false;
    }
    return true;
}

static int load_pack(const char *datadir, const char *name, const char *path,
                     struct rulepack **out, struct sm_error *err);

int
rulepack_load(const char *datadir, const char *name, struct rulepack **out,
              struct sm_error *err)
{
    char *path;                 /* on the heap: a directory or a pack name of any length */
    int rc;

    if (!name || !*name)
        name = "default";
    if (strchr(name, '/') || (strlen(name) > 5 && strcmp(name + strlen(name) - 5, ".json") == 0))
        path = sm_strdupf("%s", name);
    else
        path = sm_strdupf("%s/rules/%s.json", datadir, name);
    if (!path)
        return sm_error_set(err, SM_ENOMEM, "rule pack %s: out of memory", name);
    rc = load_pack(datadir, name, path, out, err);
    free(path);
    return rc;
}

static int
load_pack(const char *datadir, const char *name, const char *path, struct rulepack **out,
          struct sm_error *err)
{
    struct ctx c = { .err = err };
    json_t *root = NULL, *v;
    json_error_t je;
    size_t len;
    char *text = NULL;
    const char *why;
    int rc;

    if (!(text = slurp(path, &len, &why))) {
        if (errno == ENOENT && !strchr(name, '/'))
            return sm_error_set(err, SM_ENOTFOUND, "unknown rule pack %s (no %s)", name, path);
        return sm_error_set(err, SM_EIO, "%s: %s", path, why);
    }
    if (!(c.rp = rules_new())) {
        free(text);
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", path);
    }
    c.file = path;
    c.text = text;
    root = json_loadb(text, len, 0, &je);
    if (!root) {
        rc = readfile_json_error(&je, path, err);
        goto fail;
    }
    if (!json_is_object(root)) {
        rc = sm_error_set(err, SM_EPARSE, "%s:1:1: a rule pack is a JSON object", path);
        goto fail;
    }
    {
        /* Every key is checked before anything is read: a typo, or a file
         * that is not a rule pack at all, must not load as an empty pack. */
        static const char *const known[] = {
            "name", "description", "jurisdictions", "personal_tags", "tiers",
            "policy", "rules", "regimes", "custom",
        };
        const char *key;
        json_t *kv;
        json_object_foreach(root, key, kv) {
            size_t k = 0;
            while (k < sizeof known / sizeof *known && strcmp(key, known[k]))
                k++;
            if (k == sizeof known / sizeof *known) {
                /* the key whole, as every unknown key (the CLI escapes
                 * what reaches the terminal) */
                rc = bad(&c, (const char *[]){ key }, 1,
                         "unknown key \"%s\" (a rule pack has name, description, "
                         "jurisdictions, personal_tags, tiers, policy, rules, regimes "
                         "and custom)", key);
                goto fail;
            }
        }
    }
    c.rp->path = sm_arena_strdup(&c.rp->arena, path);
    v = json_object_get(root, "name");
    c.rp->name = sm_arena_strdup(&c.rp->arena, json_is_string(v) ? json_string_value(v) : name);
    v = json_object_get(root, "description");
    c.rp->description = sm_arena_strdup(&c.rp->arena, json_is_string(v) ? json_string_value(v) : "");
    if (!c.rp->path || !c.rp->name || !c.rp->description) {
        rc = oom(&c);
        goto fail;
    }
    v = json_object_get(root, "jurisdictions");
    if (v && !json_is_string(v)) {
        rc = bad(&c, (const char *[]){ "jurisdictions" }, 1,
                 "jurisdictions must be a file name ending in .json in the data "
                 "directory (no '/' or '..')%s", NULL);
        goto fail;
    }
    if ((rc = load_jurisdictions(&c, datadir, v ? json_string_value(v) : "jurisdictions.json")))
        goto fail;
    if ((v = json_object_get(root, "personal_tags"))) {
        if ((rc = strv_of(&c, v, "personal_tags", &c.rp->personal_tags)))
            goto fail;
        if (c.rp->personal_tags.n == 0) {
            rc = bad(&c, (const char *[]){ "personal_tags" }, 1,
                     "personal_tags must name at least one tag prefix%s", NULL);
            goto fail;
        }
    }
    if ((rc = load_tiers(&c, json_object_get(root, "tiers"))))
        goto fail;
    v = json_object_get(root, "policy");
    if (v && !json_is_object(v)) {
        rc = bad(&c, (const char *[]){ "policy" }, 1, "policy must be an object%s", NULL);
        goto fail;
    }
    if ((rc = strv_of(&c, json_object_get(v, "allow_regions"), "allow_regions",
                      &c.rp->allow_regions)) ||
        (rc = strv_of(&c, json_object_get(v, "deny_regions"), "deny_regions",
                      &c.rp->deny_regions)))
        goto fail;
    if ((rc = load_rules(&c, json_object_get(root, "rules"))) ||
        (rc = load_overrides(&c, json_object_get(root, "regimes"))) ||
        (rc = load_custom(&c, json_object_get(root, "custom"))))
        goto fail;
    /* Advisory mode for the whole pack wins over each rule's own flag (a
     * copy of the default pack lists "advisory": false for every rule). */
    if (json_is_true(json_object_get(v, "advisory"))) {
        for (int r = 0; r < RULE_COUNT; r++)
            c.rp->rules[r].advisory = 1;
        for (int32_t k = 0; k < c.rp->ncustom; k++)
            c.rp->custom[k].severity = SEV_INFO;
    }
    json_decref(root);
    free(text);
    *out = c.rp;
    return SM_OK;
fail:
    json_decref(root);
    free(text);
    rules_free(c.rp);
    return rc;
}

void
rulepack_free(struct rulepack *rp)
{
    rules_free(rp);
}

int
rulepack_seed_tiers(const struct rulepack *rp, struct model *m, struct sm_error *err)
{
    int32_t live = 0;
    int rc;

    for (int32_t t = 0; t < m->ntiers; t++)
        live += !m->tiers[t].deleted;
    if (live)
        return SM_OK;
    for (int32_t t = 0; t < rp->ntiers; t++)
        if ((rc = model_add_tier(m, &rp->tiers[t], NULL, err)))
            return rc;
    return SM_OK;
}
