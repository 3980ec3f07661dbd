/*
 * import.c - what every importer shares: the run and the records it
 * collects from its files (import_map.c reads the mapping file,
 * import_apply.c applies the records to a model).
 *
 * No SQLite and no printing to the terminal of its own accord: cmd_import
 * writes the touched objects and chooses where the diff goes.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "import_cj.h"
#include "import_int.h"
#include "readfile.h"

/* ---- the run --------------------------------------------------------------------- */

#define VGROW(r, name) \
    sm_grow((void **)&(r)->name, &(r)->cap_##name, (r)->n##name + 1, sizeof *(r)->name)

const char *
imp_str(struct import_run *r, const char *s)
{
    return sm_arena_strdup(&r->arena, s ? s : "");
}

/* vsnprintf into the run's arena, exact length. NULL on out of memory. */
const char *
imp_vfmt(struct import_run *r, const char *fmt, va_list ap)
{
    return sm_arena_vprintf(&r->arena, fmt, ap);
}

const char *
imp_fmt(struct import_run *r, const char *fmt, ...)
{
    const char *s;
    va_list ap;

    va_start(ap, fmt);
    s = imp_vfmt(r, fmt, ap);
    va_end(ap);
    return s;
}

int
imp_bad(struct sm_error *err, const char *file, const char *fmt, ...)
{
    char *buf;
    int rc;
    va_list ap;

    va_start(ap, fmt);
    buf = sm_vstrdupf(fmt, ap);
    va_end(ap);
    if (!buf)
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", file);
    rc = sm_error_set(err, SM_EPARSE, "%s: %s", file, buf);
    free(buf);
    return rc;
}

const char *
imp_jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

struct import_run *
import_run_new(const struct import_map *map, const struct import_opts *opts)
{
    struct import_run *r = calloc(1, sizeof *r);

    if (!r)
        return NULL;
    r->map = map;
    if (opts)
        r->opts = *opts;
    if (!r->opts.now)
        r->opts.now = "";
    sm_arena_init(&r->arena);
    sm_map_init(&r->ds_by_name);
    sm_map_init(&r->ds_by_ref);
    sm_map_init(&r->keys);
    sm_arena_init(&r->key_arena);
    sm_map_init(&r->skip_keys);
    sm_map_init(&r->note_keys);
    if (r->opts.region && *r->opts.region)
        r->region = imp_region_id(r, "aws", r->opts.region);
    return r;
}

void
import_run_free(struct import_run *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->nfiles; i++) {
        json_decref(r->files[i].root);
        cj_store_free(r->files[i].cj);
    }
    free(r->files);
    json_decref(r->input);
    free(r->ds);
    free(r->fields);
    free(r->tags);
    free(r->props);
    free(r->refs);
    free(r->tiers);
    free(r->flows);
    free(r->copies);
    free(r->lines);
    free(r->skips);
    free(r->notes);
    free(r->touched);
    sm_map_fini(&r->ds_by_name);
    sm_map_fini(&r->ds_by_ref);
    sm_map_fini(&r->keys);
    sm_arena_fini(&r->key_arena);
    sm_map_fini(&r->skip_keys);
    sm_map_fini(&r->note_keys);
    sm_arena_fini(&r->arena);
    free(r);
}

/* What an editor or a Windows shell does to JSON, said plainly instead of
 * the parser's "near '\xef\xbb\xbf'" (the file's encoding, not its syntax). */
static int
text_encoding(const char *name, const char *text, size_t len, bool mapped,
              struct sm_error *err)
{
    const unsigned char *u = (const unsigned char *)text;
    const char *nul = NULL;

    if (len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff)))
        return sm_error_set(err, SM_EPARSE, "%s: UTF-16 text (byte order mark %02X %02X); "
                            "convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)", name, u[0], u[1]);
    if (len >= 2 && (u[0] == 0 || u[1] == 0))
        return sm_error_set(err, SM_EPARSE, "%s: UTF-16 or binary text (a NUL byte at the "
                            "start); convert it to UTF-8", name);
    if (len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
        return sm_error_set(err, SM_EPARSE, "%s: starts with a UTF-8 byte order mark "
                            "(EF BB BF); save it as UTF-8 without a BOM",
                            name);
    /* a mapped text is looked at a piece at a time, its pages let go after */
    for (size_t at = 0, step = mapped ? (size_t)8 << 20 : len; at < len && !nul; at += step) {
        size_t n = len - at < step ? len - at : step;
        nul = memchr(text + at, 0, n);
        if (mapped)
            imp_text_drop(text, at, at + n);
    }
    if (nul)
        return sm_error_set(err, SM_EPARSE, "%s: a NUL byte at offset %zu; JSON text has none",
                            name, (size_t)(nul - text));
    return SM_OK;
}

static int
add_file(struct import_run *r, const char *name, const char *text, size_t len, bool mapped,
         struct sm_error *err)
{
    json_error_t je;
    json_t *root;
    struct cj_store *cj = NULL;
    int rc;

    if ((rc = text_encoding(name, text, len, mapped, err)))
        return rc;
    root = r->opts.whole_parse ? NULL : imp_stream_load(text, len, mapped, &cj);
    if (!root)
        root = json_loadb(text, len, 0, &je);
    if (!root)
        return readfile_json_error(&je, name, err);
    if (sm_grow((void **)&r->files, &r->cap_files, r->nfiles + 1, sizeof *r->files) ||
        !(r->files[r->nfiles].name = imp_str(r, name))) {
        json_decref(root);
        cj_store_free(cj);
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", name);
    }
    r->files[r->nfiles].cj = cj;
    r->files[r->nfiles++].root = root;
    return SM_OK;
}

int
import_run_add_file(struct import_run *r, const char *name, const char *text, size_t len,
                    struct sm_error *err)
{
    return add_file(r, name, text, len, false, err);
}

int
import_run_add_mapped(struct import_run *r, const char *name, const char *text, size_t len,
                      struct sm_error *err)
{
    return add_file(r, name, text, len, true, err);
}

int
import_run_parse(struct import_run *r, const struct importer_ops *ops, struct sm_error *err)
{
    int rc;

    r->ops = ops;
    if (r->opts.input_text && !r->input) {
        json_error_t je;
        rc = text_encoding(r->opts.input ? r->opts.input : "input", r->opts.input_text,
                           r->opts.input_len, false, err);
        if (rc)
            return rc;
        r->input = json_loadb(r->opts.input_text, r->opts.input_len, 0, &je);
        if (!r->input)
            return readfile_json_error(&je, r->opts.input ? r->opts.input : "input", err);
    }
    for (int i = 0; i < r->nfiles; i++)
        if (!ops->detect(r->files[i].root))
            return sm_error_set(err, SM_EPARSE, "%s: not a %s export (%s)", r->files[i].name,
                                ops->name, ops->summary);
    if ((rc = ops->parse(r, err)))
        return rc;
    /* the records are built: their deduplication keys (a field, a tag, a
     * carrier, a flow each: a million Atlas entities, about 150 MB) go;
     * apply keys what it touches afresh */
    sm_map_fini(&r->keys);
    sm_map_init(&r->keys);
    sm_arena_fini(&r->key_arena);
    sm_arena_init(&r->key_arena);
    return SM_OK;
}

const struct importer_ops *const importers[] = {
    &importer_atlas, &importer_glue, &importer_lf, &importer_terraform, NULL
};

const struct importer_ops *
importer_find(const char *name)
{
    for (int i = 0; importers[i]; i++)
        if (strcmp(importers[i]->name, name) == 0)
            return importers[i];
    return NULL;
}

/* ---- record builders --------------------------------------------------------------- */

int32_t
imp_ds_find(const struct import_run *r, const char *name, const char *source_ref)
{
    int32_t i = SM_NONE;

    if (source_ref && *source_ref)
        i = sm_map_get(&r->ds_by_ref, source_ref);
    if (i == SM_NONE && name)
        i = sm_map_get(&r->ds_by_name, name);
    return i;
}

int32_t
imp_ds(struct import_run *r, const char *name, const char *source_ref, const char *file)
{
    int32_t i = imp_ds_find(r, name, source_ref);
    struct imp_ds *d;

    if (i != SM_NONE) {
        d = &r->ds[i];
        if (source_ref && *source_ref && !*d->source_ref) {
            if (!(d->source_ref = imp_str(r, source_ref)) ||
                sm_map_put(&r->ds_by_ref, d->source_ref, i))
                return SM_NONE;
        }
        return i;
    }
    if (VGROW(r, ds))
        return SM_NONE;
    i = r->nds;
    d = &r->ds[i];
    memset(d, 0, sizeof *d);
    d->name = imp_str(r, name);
    d->source_ref = imp_str(r, source_ref);
    d->file = imp_str(r, file);
    d->first_field = d->last_field = d->first_tag = d->last_tag = d->first_prop = SM_NONE;
    d->first_carrier = d->first_tier = d->first_diff = d->last_diff = SM_NONE;
    d->first_copy = d->last_copy = SM_NONE;
    d->id = SM_NONE;
    if (!d->name || !d->source_ref || !d->file || sm_map_put(&r->ds_by_name, d->name, i))
        return SM_NONE;
    if (*d->source_ref && sm_map_put(&r->ds_by_ref, d->source_ref, i))
        return SM_NONE;
    r->nds++;
    return i;
}

/* imp_key_once of "kind\x1fds\x1fa\x1fb", however long a and b are (hostile
 * names must not collide by truncation). */
static int
key_parts(struct import_run *r, char kind, int32_t ds, const char *a, const char *b,
          bool *fresh)
{
    char small[512], *key = small; /* bounded: short keys; long ones on the heap */
    size_t need = strlen(a) + strlen(b) + 32;
    int rc;

    if (need > sizeof small && !(key = malloc(need)))
        return SM_ENOMEM;
    snprintf(key, need > sizeof small ? need : sizeof small, "%c\x1f%d\x1f%s\x1f%s", kind,
             (int)ds, a, b);
    rc = imp_key_once(r, key, fresh);
    if (key != small)
        free(key);
    return rc;
}

int
imp_key_once(struct import_run *r, const char *key, bool *fresh)
{
    const char *k;

    *fresh = false;
    if (sm_map_get(&r->keys, key) != SM_NONE)
        return SM_OK;
    if (!(k = sm_arena_strdup(&r->key_arena, key)) || sm_map_put(&r->keys, k, 1))
        return SM_ENOMEM;
    *fresh = true;
    return SM_OK;
}

int
imp_field(struct import_run *r, int32_t ds, const char *field)
{
    bool fresh;
    int rc;

    if (!field || !*field)
        return SM_OK;
    if ((rc = key_parts(r, 'f', ds, field, "", &fresh)) || !fresh)
        return rc;
    if (VGROW(r, fields))
        return SM_ENOMEM;
    r->fields[r->nfields].name = imp_str(r, field);
    r->fields[r->nfields].type = r->fields[r->nfields].comment = NULL;
    r->fields[r->nfields].type_file = r->fields[r->nfields].type_entity = NULL;
    r->fields[r->nfields].comment_file = r->fields[r->nfields].comment_entity = NULL;
    r->fields[r->nfields].next = SM_NONE;
    if (r->ds[ds].last_field == SM_NONE)
        r->ds[ds].first_field = r->nfields;
    else
        r->fields[r->ds[ds].last_field].next = r->nfields;
    r->ds[ds].last_field = r->nfields++;
    return SM_OK;
}

int
imp_field_attrs(struct import_run *r, int32_t ds, const char *field, const char *type,
                const char *comment, const char *entity, const char *file)
{
    int rc;

    if (!field || !*field)
        return SM_OK;
    if ((rc = imp_field(r, ds, field)))
        return rc;
    for (int32_t f = r->ds[ds].first_field; f != SM_NONE; f = r->fields[f].next) {
        struct imp_field *x = &r->fields[f];
        if (strcmp(x->name, field))
            continue;
        /* the first file of the command that gives one keeps it, unless a
         * higher source gives it (imp_attr_over) */
        if (!entity)
            entity = "";
        if (type && *type && x->type && x->type_entity &&
            imp_attr_over(entity, x->type_entity, strcmp(type, x->type) == 0))
            x->type = NULL;
        if (comment && *comment && x->comment && x->comment_entity &&
            imp_attr_over(entity, x->comment_entity, strcmp(comment, x->comment) == 0))
            x->comment = NULL;
        if (type && *type && !x->type &&
            (!(x->type = imp_str(r, type)) || !(x->type_file = imp_str(r, file ? file : "")) ||
             !(x->type_entity = imp_str(r, entity ? entity : ""))))
            return SM_ENOMEM;
        if (comment && *comment && !x->comment &&
            (!(x->comment = imp_str(r, comment)) ||
             !(x->comment_file = imp_str(r, file ? file : "")) ||
             !(x->comment_entity = imp_str(r, entity ? entity : ""))))
            return SM_ENOMEM;
        break;
    }
    return SM_OK;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

#define PROPAGATED " (propagated from "

/* The same classification propagated to one entity from several sources:
 * "G (propagated from A)" and "G (propagated from B)" make
 * "G (propagated from A; B)", sources sorted (any order of files gives the
 * same text). NULL: not two propagations of one entity; keep the first. */
static const char *
merge_propagated(struct import_run *r, const char *old, const char *add)
{
    const char *p1 = strstr(old, PROPAGATED), *p2 = strstr(add, PROPAGATED);
    const char *e1, *e2, *out;
    size_t k = strlen(PROPAGATED);

    if (!p1 || !p2 || p1 - old != p2 - add || strncmp(old, add, (size_t)(p1 - old)))
        return NULL;
    e1 = strchr(p1 + k, ')');
    e2 = strchr(p2 + k, ')');
    if (!e1 || !e2 || strcmp(e1, e2))
        return NULL;    /* other marks differ (expired, search) */
    /* the sources: old's list and add's one, sorted, each once */
    const char **v = NULL;
    int32_t nv = 0, cap = 0;
    for (int pass = 0; pass < 2; pass++) {
        const char *q = pass ? p2 + k : p1 + k, *end = pass ? e2 : e1;
        while (q < end) {
            const char *sep = strstr(q, "; ");
            size_t n = (size_t)((sep && sep < end ? sep : end) - q);
            if (sm_grow((void **)&v, &cap, nv + 1, sizeof *v) ||
                !(v[nv++] = sm_arena_strndup(&r->arena, q, n))) {
                free(v);
                return NULL;
            }
            q += n + 2;
        }
    }
    qsort(v, (size_t)nv, sizeof *v, cmp_str);
    out = imp_fmt(r, "%.*s", (int)(p1 - old + (ptrdiff_t)k), old);
    for (int32_t i = 0; out && i < nv; i++)
        if (i == 0 || strcmp(v[i], v[i - 1]))
            out = imp_fmt(r, "%s%s%s", out, i ? "; " : "", v[i]);
    free(v);
    return out ? imp_fmt(r, "%s%s", out, e1) : NULL;
}

int
imp_prop(struct import_run *r, int32_t ds, const char *key, const char *value,
         const char *entity, const char *source)
{
    struct imp_prop *p;
    int32_t last = SM_NONE;

    if (!key || !*key || !value)
        return SM_OK;
    /* one key per dataset and carrier: the last file of the command wins */
    for (int32_t i = r->ds[ds].first_prop; i != SM_NONE; i = r->props[i].next) {
        p = &r->props[i];
        if (strcmp(p->key, key) == 0 && strcmp(p->entity, entity) == 0) {
            if (!(p->value = imp_str(r, value)) || !(p->source = imp_str(r, source)))
                return SM_ENOMEM;
            return SM_OK;
        }
        last = i;
    }
    /* the list is linked by index: growing the array moves it */
    if (VGROW(r, props))
        return SM_ENOMEM;
    p = &r->props[r->nprops];
    p->key = imp_str(r, key);
    p->value = imp_str(r, value);
    p->entity = imp_str(r, entity);
    p->source = imp_str(r, source);
    p->next = SM_NONE;
    if (!p->key || !p->value || !p->entity || !p->source)
        return SM_ENOMEM;
    if (last == SM_NONE)
        r->ds[ds].first_prop = r->nprops;
    else
        r->props[last].next = r->nprops;
    r->nprops++;
    return SM_OK;
}

int
imp_props_of(struct import_run *r, int32_t ds, json_t *obj, const char *prefix,
             const char *entity, const char *source)
{
    const char *k;
    json_t *v;
    int rc;

    json_object_foreach(obj, k, v) {
        const char *key = imp_fmt(r, "%s%s", prefix, k), *val;
        char *text = NULL;
        if (!key)
            return SM_ENOMEM;
        if (json_is_string(v))
            val = json_string_value(v);
        else if (json_is_number(v) || json_is_boolean(v))
            val = text = json_dumps(v, JSON_ENCODE_ANY);
        else
            continue;   /* null, lists and objects: not a key -> value */
        if (!val)
            return SM_ENOMEM;
        rc = imp_prop(r, ds, key, val, entity, source);
        free(text);
        if (rc)
            return rc;
    }
    return SM_OK;
}

int
imp_tag(struct import_run *r, int32_t ds, const char *field, const char *tag,
        const char *entity, const char *source, const char *expired)
{
    bool fresh;
    int rc;
    struct imp_tag *t;

    if (!tag || !*tag)
        return SM_OK;
    if (field && (rc = imp_field(r, ds, field)))
        return rc;
    if ((rc = key_parts(r, 't', ds, field ? field : "", tag, &fresh)))
        return rc;
    if (!fresh) {
        /* every propagation source is kept in the one tag's provenance */
        for (int32_t i = r->ds[ds].first_tag; entity && i != SM_NONE; i = r->tags[i].next) {
            struct imp_tag *o = &r->tags[i];
            if (strcmp(o->tag, tag) || !sm_streq(o->field, field))
                continue;
            const char *m = merge_propagated(r, o->entity, entity);
            if (m) {
                o->entity = m;
            } else if ((!expired && o->expired) ||
                       (!expired == !o->expired &&
                        imp_source_rank(entity) > imp_source_rank(o->entity))) {
                /* two files of one command: a live source's provenance over
                 * an expired one's, then the higher source's, whatever order
                 * the files were given in */
                if (!(o->entity = imp_str(r, entity)) || !(o->source = imp_str(r, source)) ||
                    (expired && !(o->expired = imp_str(r, expired))))
                    return SM_ENOMEM;
                if (!expired)
                    o->expired = NULL;
            }
            break;
        }
        return SM_OK;
    }
    if (VGROW(r, tags))
        return SM_ENOMEM;
    t = &r->tags[r->ntags];
    t->tag = imp_str(r, tag);
    t->field = field ? imp_str(r, field) : NULL;
    t->entity = imp_str(r, entity);
    t->source = imp_str(r, source);
    t->expired = expired ? imp_str(r, expired) : NULL;
    t->next = SM_NONE;
    if (!t->tag || !t->entity || !t->source || (field && !t->field) || (expired && !t->expired))
        return SM_ENOMEM;
    if (r->ds[ds].last_tag == SM_NONE)
        r->ds[ds].first_tag = r->ntags;
    else
        r->tags[r->ds[ds].last_tag].next = r->ntags;
    r->ds[ds].last_tag = r->ntags++;
    return SM_OK;
}

int
imp_carrier(struct import_run *r, int32_t ds, const char *ref)
{
    bool fresh;
    int rc;

    if ((rc = key_parts(r, 'c', ds, ref, "", &fresh)) || !fresh)
        return rc;
    if (VGROW(r, refs))
        return SM_ENOMEM;
    if (!(r->refs[r->nrefs].ref = imp_str(r, ref)))
        return SM_ENOMEM;
    r->refs[r->nrefs].next = r->ds[ds].first_carrier;
    r->ds[ds].first_carrier = r->nrefs++;
    return SM_OK;
}

static bool
weak_why(const char *why)
{
    return strncmp(why, "--region", 8) == 0 || strncmp(why, "the ARN", 7) == 0;
}

void
imp_region(struct import_run *r, int32_t ds, const char *region, const char *why,
           const char *file)
{
    struct imp_ds *d = &r->ds[ds];
    bool weak;

    if (!region)
        return;
    weak = weak_why(why);
    if (d->region && strcmp(d->region, region)) {
        if (weak)
            return;
        if (!d->region_weak) {
            imp_note(r, true, "%s: region %s (%s, %s) contradicts %s (%s, %s); kept %s",
                     d->name, region, why, file, d->region, d->region_why, d->region_file,
                     d->region);
            return;
        }
    } else if (d->region && (weak || !d->region_weak)) {
        return;
    }
    d->region = imp_str(r, region);
    d->region_why = imp_str(r, why);
    d->region_file = imp_str(r, file);
    d->region_weak = weak;
}

int
imp_copy(struct import_run *r, int32_t ds, const char *region, int role,
         const char *key_region, int encrypted, const char *entity, const char *file)
{
    struct import_copy *c;

    if (!region || !entity)
        return SM_ENOMEM;
    for (int32_t i = r->ds[ds].first_copy; i != SM_NONE; i = r->copies[i].next) {
        c = &r->copies[i];
        if (strcmp(c->region, region) || c->role != role)
            continue;
        if (key_region && (!c->key_region || (!strcmp(c->key_region, c->region) &&
                                              strcmp(key_region, region))))
            if (!(c->key_region = imp_str(r, key_region)))
                return SM_ENOMEM;
        if (encrypted == 0 || c->encrypted < 0)
            c->encrypted = (int8_t)encrypted;
        if (!strstr(c->entity, entity) &&
            !(c->entity = imp_fmt(r, "%s, %s", c->entity, entity)))
            return SM_ENOMEM;
        return SM_OK;
    }
    if (VGROW(r, copies))
        return SM_ENOMEM;
    c = &r->copies[r->ncopies];
    c->ds = ds;
    c->dataset = r->ds[ds].name;
    c->region = imp_str(r, region);
    c->key_region = key_region ? imp_str(r, key_region) : NULL;
    c->role = (uint8_t)role;
    c->encrypted = (int8_t)encrypted;
    c->entity = imp_str(r, entity);
    c->file = imp_str(r, file);
    c->next = SM_NONE;
    if (!c->region || !c->entity || !c->file || (key_region && !c->key_region))
        return SM_ENOMEM;
    if (r->ds[ds].last_copy == SM_NONE)
        r->ds[ds].first_copy = r->ncopies;
    else
        r->copies[r->ds[ds].last_copy].next = r->ncopies;
    r->ds[ds].last_copy = r->ncopies++;
    return SM_OK;
}

int32_t
import_run_copies(const struct import_run *r, const struct import_copy **out)
{
    *out = r->copies;
    return r->ncopies;
}

void
imp_describe(struct import_run *r, int32_t ds, const char *system, const char *owner,
             const char *description, const char *entity, const char *file)
{
    struct imp_ds *d = &r->ds[ds];
    const char *give[ASRC_TIER] = { system, owner, description };
    const char **have[ASRC_TIER] = { &d->system, &d->owner, &d->description };

    if (!entity)
        entity = "";
    for (int a = 0; a < ASRC_TIER; a++) {
        if (!give[a] || !*give[a] || (*have[a] && (!d->asrc_entity[a] ||
            !imp_attr_over(entity, d->asrc_entity[a], strcmp(*have[a], give[a]) == 0))))
            continue;
        *have[a] = imp_str(r, give[a]);
        d->asrc_file[a] = imp_str(r, file ? file : "");
        d->asrc_entity[a] = imp_str(r, entity ? entity : "");
    }
}

static int
add_subject(struct import_run *r, int32_t ds, const char *s, const char *entity)
{
    struct imp_ds *d = &r->ds[ds];
    int cc = sm_cc(s);

    if (cc == SM_NONE || !sm_cc_known(cc)) {
        const char *alias = sm_cc_alias(s);
        imp_note(r, false, "%s: \"%s\" (from %s) is not a country or bloc code; ignored%s%s%s",
                 d->name, s, entity, alias ? " (did you mean " : "", alias ? alias : "",
                 alias ? "?)" : "");
        return SM_OK;
    }
    for (int i = 0; i < d->nsubjects; i++)
        if (d->subjects[i] == cc)
            return SM_OK;
    if (d->nsubjects == MODEL_MAX_SUBJECTS) {
        imp_note(r, false, "%s: more than %d subject jurisdictions; %s ignored", d->name,
                 MODEL_MAX_SUBJECTS, s);
        return SM_OK;
    }
    d->subjects[d->nsubjects++] = (uint16_t)cc;
    return SM_OK;
}

static int label_apply(struct import_run *r, int32_t ds, const char *field,
                       const struct import_mapped *mp, const char *name, const char *value,
                       const char *const *attrs, bool names_only, const char *entity,
                       const char *file, const char *expired);

int
imp_label(struct import_run *r, int32_t ds, const char *field, enum import_from from,
          const char *name, const char *value, const char *const *attrs, bool names_only,
          const char *entity, const char *file, const char *expired)
{
    struct import_mapped mp;
    int rc;

    if (!name || !*name)
        return SM_OK;
    if (value && (isspace((unsigned char)value[0]) ||
                  (*value && isspace((unsigned char)value[strlen(value) - 1])))) {
        /* " Tier1 " is Tier1: surrounding blanks are not part of a label */
        size_t n;
        while (isspace((unsigned char)*value))
            value++;
        n = strlen(value);
        while (n && isspace((unsigned char)value[n - 1]))
            n--;
        if (!(value = sm_arena_strndup(&r->arena, value, n)))
            return SM_ENOMEM;
    }
    import_map_label(r->map, from, name, value, attrs, names_only, &mp);
    rc = mp.oom ? SM_ENOMEM : label_apply(r, ds, field, &mp, name, value, attrs, names_only,
                                          entity, file, expired);
    import_mapped_fini(&mp);
    return rc;
}

static int
label_apply(struct import_run *r, int32_t ds, const char *field, const struct import_mapped *mp,
            const char *name, const char *value, const char *const *attrs, bool names_only,
            const char *entity, const char *file, const char *expired)
{
    int rc;

    if (mp->ignore)
        return SM_OK;
    if (!mp->matched) {
        size_t n = strlen(name) + (value ? strlen(value) : 0) + 2;
        char *buf;
        if (names_only)
            return SM_OK;   /* a bare name says too little to keep */
        if (!(buf = malloc(n)))
            return SM_ENOMEM;
        snprintf(buf, n, value ? "%s=%s" : "%s", name, value);
        rc = imp_tag(r, ds, field, buf, entity, file, expired);
        free(buf);
        return rc;
    }
    if (mp->tier && !field) {
        if (VGROW(r, tiers))
            return SM_ENOMEM;
        r->tiers[r->ntiers].tier = imp_str(r, mp->tier);
        r->tiers[r->ntiers].file = imp_str(r, file);
        r->tiers[r->ntiers].entity = imp_str(r, entity);
        r->tiers[r->ntiers].next = r->ds[ds].first_tier;
        r->ds[ds].first_tier = r->ntiers++;
    }
    if (!field) {
        char *buf;
        if (mp->system) {
            if (imp_expand(mp->system, name, value, attrs, &buf))
                return SM_ENOMEM;
            if (buf)
                imp_describe(r, ds, buf, NULL, NULL, entity, file);
            free(buf);
        }
        if (mp->owner) {
            if (imp_expand(mp->owner, name, value, attrs, &buf))
                return SM_ENOMEM;
            if (buf)
                imp_describe(r, ds, NULL, buf, NULL, entity, file);
            free(buf);
        }
    }
    for (int i = 0; i < mp->nsubjects; i++)
        if ((rc = add_subject(r, ds, mp->subjects[i], entity)))
            return rc;
    for (int i = 0; i < mp->ntags; i++)
        if ((rc = imp_tag(r, ds, field, mp->tags[i], entity, file, expired)))
            return rc;
    return SM_OK;
}

int
imp_flow(struct import_run *r, int32_t from, int32_t to, const char *via, const char *file)
{
    char key[64];    /* bounded: two int32 in decimal */
    bool fresh;
    int rc;

    if (from == to)
        return SM_OK;
    snprintf(key, sizeof key, "l\x1f%d\x1f%d", (int)from, (int)to);
    if ((rc = imp_key_once(r, key, &fresh)) || !fresh)
        return rc;
    if (VGROW(r, flows))
        return SM_ENOMEM;
    r->flows[r->nflows].from = from;
    r->flows[r->nflows].to = to;
    r->flows[r->nflows].via = imp_str(r, via);
    r->flows[r->nflows++].file = imp_str(r, file);
    return SM_OK;
}

static void
note_add(struct import_run *r, struct sm_map *keys, struct imp_note **v, int32_t *n,
         int32_t *cap, const char *text)
{
    int32_t i = sm_map_get(keys, text);
    const char *t;

    if (i != SM_NONE) {
        (*v)[i].count++;
        return;
    }
    if (!(t = imp_str(r, text)) || sm_grow((void **)v, cap, *n + 1, sizeof **v))
        return;
    if (sm_map_put(keys, t, *n))
        return;
    (*v)[*n].text = t;
    (*v)[(*n)++].count = 1;
}

void
imp_skip(struct import_run *r, const char *what, const char *why)
{
    char *buf = sm_strdupf("%s (%s)", what, why);

    r->stats.skipped++;
    if (buf)
        note_add(r, &r->skip_keys, &r->skips, &r->nskips, &r->cap_skips, buf);
    free(buf);
}

void
imp_note(struct import_run *r, bool conflict, const char *fmt, ...)
{
    char *text, *buf;
    va_list ap;

    va_start(ap, fmt);
    text = sm_vstrdupf(fmt, ap);
    va_end(ap);
    buf = text ? sm_strdupf("%s%s", conflict ? "conflict: " : "warning: ", text) : NULL;
    free(text);
    if (!buf)
        return;
    if (sm_map_get(&r->note_keys, buf) == SM_NONE) {
        if (conflict)
            r->stats.conflicts++;
        else
            r->stats.warnings++;
    }
    note_add(r, &r->note_keys, &r->notes, &r->nnotes, &r->cap_notes, buf);
    free(buf);
}

const char *
imp_ds_name(struct import_run *r, const char *db, const char *table)
{
    char *s = (char *)imp_fmt(r, "%s.%s", db, table);
    char *at = s ? strchr(s, '@') : NULL;

    if (at)
        *at = '#';
    return s;
}

const char *
imp_region_id(struct import_run *r, const char *provider, const char *code)
{
    const char *lc;

    if (!code || !*code)
        return NULL;
    if (strchr(code, ':'))
        return imp_str(r, code);
    if (!(lc = imp_lower_dup(&r->arena, code)))
        return NULL;
    /* S3 GetBucketLocation quirk: "EU" is the old name of eu-west-1. */
    if (strcmp(provider, "aws") == 0 && strcmp(lc, "eu") == 0)
        lc = "eu-west-1";
    return imp_fmt(r, "%s:%s", provider, lc);
}

const char *
imp_s3_bucket(struct import_run *r, const char *uri)
{
    const char *p, *end;
    char *buf;

    if (!uri)
        return NULL;
    if (strncasecmp(uri, "s3://", 5) == 0)
        p = uri + 5;
    else if (strncasecmp(uri, "s3a://", 6) == 0 || strncasecmp(uri, "s3n://", 6) == 0)
        p = uri + 6;
    else
        return NULL;
    end = p + strcspn(p, "/@");
    if (end == p || !(buf = sm_arena_strndup(&r->arena, p, (size_t)(end - p))))
        return NULL;
    for (char *q = buf; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    return buf;
}

const char *
imp_location_region(struct import_run *r, const char *location, const char **why)
{
    const char *bucket = imp_s3_bucket(r, location);
    const char *reg;

    if (!bucket)
        return NULL;
    if ((reg = import_map_bucket_region(r->map, bucket))) {
        *why = imp_fmt(r, "bucket %s in the mapping file", bucket);
        return reg;
    }
    return NULL;
}

