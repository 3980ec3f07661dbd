/*
 * import_atlas.c - Apache Atlas v2 responses: entity bulk / single entity
 * (AtlasEntity[s]WithExtInfo), basic and DSL search results
 * (AtlasSearchResult) and lineage (AtlasLineageInfo).
 *
 * All files of a run are indexed by guid first, so a column found by a
 * search, a table from the bulk file and a lineage node are the same
 * entity; the fullest copy of an entity wins (entity > search header with
 * classifications > lineage header). Depends on import.c only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_cj.h"
#include "import_int.h"

#define KINDS(X) \
    X(SKIP,    "") \
    X(DB,      "database: its classifications are inherited by its tables") \
    X(TABLE,   "") \
    X(COLUMN,  "") \
    X(BUCKET,  "") \
    X(DIR,     "") \
    X(OBJECT,  "") \
    X(TOPIC,   "") \
    X(PATH,    "") \
    X(PROCESS, "process: carries no data; its inputs and outputs become etl flows") \
    X(STORAGE, "storage descriptor: its location places its table")

enum akind {
#define X(id, why) AK_##id,
    KINDS(X)
#undef X
};

static const char *const kind_why[] = {
#define X(id, why) why,
    KINDS(X)
#undef X
};

static const struct atype {
    const char *name;
    enum akind kind;
} atypes[] = {
    { "hive_db", AK_DB },               { "rdbms_db", AK_DB },
    { "hbase_namespace", AK_DB },       { "aws_s3_v2_base", AK_SKIP },
    { "hive_table", AK_TABLE },         { "rdbms_table", AK_TABLE },
    { "hbase_table", AK_TABLE },        { "iceberg_table", AK_TABLE },
    { "hive_column", AK_COLUMN },       { "rdbms_column", AK_COLUMN },
    { "hbase_column_family", AK_COLUMN },
    { "aws_s3_bucket", AK_BUCKET },     { "aws_s3_v2_bucket", AK_BUCKET },
    { "aws_s3_pseudo_dir", AK_DIR },    { "aws_s3_v2_directory", AK_DIR },
    { "aws_s3_object", AK_OBJECT },     { "aws_s3_v2_object", AK_OBJECT },
    { "kafka_topic", AK_TOPIC },        { "hdfs_path", AK_PATH },
    { "fs_path", AK_PATH },             { "hive_storagedesc", AK_STORAGE },
    { "rdbms_instance", AK_SKIP },      { "hive_column_lineage", AK_PROCESS },
    { "Process", AK_PROCESS },          { "ddl", AK_SKIP },
    { "hive_table_ddl", AK_SKIP },      { "hive_db_ddl", AK_SKIP },
    { NULL, AK_SKIP }
};

static enum akind
kind_of(const char *type)
{
    size_t n;

    if (!type)
        return AK_SKIP;
    for (const struct atype *t = atypes; t->name; t++)
        if (strcmp(t->name, type) == 0)
            return t->kind;
    n = strlen(type);
    if ((n > 8 && strcmp(type + n - 8, "_process") == 0) ||
        (n > 15 && strcmp(type + n - 15, "_column_lineage") == 0))
        return AK_PROCESS;
    return AK_SKIP;
}

/* How much an entity copy tells. A lineage node (guidEntityMap) tells
 * least: lineage adds flows only, never tags, tiers, fields or datasets. */
enum level { LV_LINEAGE, LV_NAMES, LV_HEADER, LV_FULL };

struct aent {
    const struct cj *e;
    const char *file;
    const char *guid;
    uint8_t level, kind, done, extra;
    int32_t ds;                 /* record, or SM_NONE */
    int32_t copy;               /* another full copy from another file (extra), or SM_NONE */
    int32_t in, out;            /* lineage adjacency lists (edge index) */
};

struct edge { int32_t a, b, next_in, next_out; };

struct atlas {
    struct import_run *r;
    struct cj_store *cj;        /* entities of files parsed whole, trimmed */
    struct aent *ents;
    int32_t nents, cap_ents;
    struct sm_map by_guid;
    struct sm_map bucket_region;     /* bucket name -> index of region string */
    const char **bregions;
    int32_t nbr, cap_bregions;
    struct edge *edges;
    int32_t nedges, cap_edges;
};

/* What this file reads of an entity: keep these lists with the readers
 * (attr, ref_guid, process_edges, labels1, label_of ...). import_cj.c
 * trims each entity of a file to them as it reads it, so a million fit. */
const char *const atlas_entity_keys[] = {
    "guid", "typeName", "status", "isIncomplete", "attributes", "relationshipAttributes",
    "classifications", "classificationNames", "displayText", "entityStatus", "labels",
    "meanings", "meaningNames", "customAttributes", NULL
};
/* Of attributes and relationshipAttributes every scalar is kept, and of the
 * lists and objects only these references (a reference keeps its guid). */
const char *const atlas_ref_keys[] = {
    "table", "sd", "db", "container", "pseudoDirectory", "bucket", "inputs", "outputs", NULL
};

static bool
atlas_detect(const void *p)
{
    const json_t *root = p;

    if (!json_is_object(root))
        return false;
    return json_is_array(json_object_get(root, "entities")) ||
           json_is_object(json_object_get(root, "entity")) ||
           json_is_object(json_object_get(root, "guidEntityMap")) ||
           json_object_get(root, "queryType") || json_object_get(root, "approximateCount");
}

static int
add_ent(struct atlas *a, const struct cj *e, const char *file, enum level lv)
{
    const char *guid = cj_gstr(e, "guid");
    int32_t i;

    if (!cj_is(e, CJ_OBJ) || !guid || !*guid)
        return SM_OK;   /* nothing to key it by */
    i = sm_map_get(&a->by_guid, guid);
    if (i != SM_NONE && lv == LV_FULL && a->ents[i].level == LV_FULL &&
        strcmp(a->ents[i].file, file)) {
        /* the same entity in two files: read both, so contradictions show */
        int32_t k;
        if (sm_grow((void **)&a->ents, &a->cap_ents, a->nents + 1, sizeof *a->ents))
            return SM_ENOMEM;
        k = a->nents++;
        a->ents[k] = a->ents[i];
        a->ents[k].e = e;
        a->ents[k].file = file;
        a->ents[k].extra = 1;
        a->ents[k].copy = a->ents[i].copy;
        a->ents[i].copy = k;
        return SM_OK;
    }
    if (i != SM_NONE) {
        if (a->ents[i].level >= lv)
            return SM_OK;
        a->ents[i].e = e;
        a->ents[i].file = file;
        a->ents[i].level = (uint8_t)lv;
        return SM_OK;
    }
    if (sm_grow((void **)&a->ents, &a->cap_ents, a->nents + 1, sizeof *a->ents))
        return SM_ENOMEM;
    i = a->nents++;
    a->ents[i] = (struct aent){ .e = e, .file = file, .guid = guid, .level = (uint8_t)lv,
                                .kind = (uint8_t)kind_of(cj_gstr(e, "typeName")),
                                .ds = SM_NONE, .in = SM_NONE, .out = SM_NONE,
                                .copy = SM_NONE };
    return sm_map_put(&a->by_guid, guid, i) ? SM_ENOMEM : SM_OK;
}

static struct aent *
ent(struct atlas *a, const char *guid)
{
    int32_t i = guid ? sm_map_get(&a->by_guid, guid) : SM_NONE;

    return i == SM_NONE ? NULL : &a->ents[i];
}

/* A reference: relationshipAttributes.NAME, else the legacy attributes.NAME. */
static const char *
ref_guid(const struct cj *e, const char *name)
{
    const struct cj *v = cj_get(cj_get(e, "relationshipAttributes"), name);

    if (!cj_is(v, CJ_OBJ))
        v = cj_get(cj_get(e, "attributes"), name);
    return cj_is(v, CJ_OBJ) ? cj_gstr(v, "guid") : NULL;
}

static const char *
attr(const struct cj *e, const char *name)
{
    return cj_gstr(cj_get(e, "attributes"), name);
}

/* qualifiedName without "@namespace" into buf; *ns gets the namespace. */
static const char *
split_qn(const char *qn, char *buf, size_t size, const char **ns)
{
    const char *at = strrchr(qn, '@');

    *ns = at ? at + 1 : NULL;
    if (!at)
        at = qn + strlen(qn);
    if ((size_t)(at - qn) >= size)
        return NULL;
    memcpy(buf, qn, (size_t)(at - qn));
    buf[at - qn] = 0;
    return buf;
}

/* Classification attributes as key/value pairs (values as text), all of
 * them, NULL-terminated, in the run's arena; NULL when out of memory. */
static const char **
cl_attrs(struct import_run *r, const struct cj *cl)
{
    const struct cj *attrs = cj_get(cl, "attributes"), *v;
    const char *k, **kv;
    uint32_t i;
    size_t n = 0;

    if (!(kv = sm_arena_alloc(&r->arena, (2 * (size_t)(cj_is(attrs, CJ_OBJ) ? attrs->n : 0) + 1)
                                             * sizeof *kv)))
        return NULL;
    cj_foreach_member(attrs, i, k, v) {
        if (v->type == CJ_STR)
            kv[n + 1] = v->u.s;
        else if (v->type == CJ_INT)
            kv[n + 1] = imp_fmt(r, "%lld", v->u.i);
        else if (v->type == CJ_REAL)
            kv[n + 1] = imp_fmt(r, "%g", v->u.d);
        else if (v->type == CJ_TRUE || v->type == CJ_FALSE)
            kv[n + 1] = v->type == CJ_TRUE ? "true" : "false";
        else
            continue;
        if (!kv[n + 1])
            return NULL;
        kv[n] = k;
        n += 2;
    }
    kv[n] = NULL;
    return kv;
}

static int labels1(struct atlas *a, const struct aent *x, int32_t ds, const char *field,
                   const char *inherited_from);

/* The day every validity period of classification cl ended, if all ended
 * before today ("2026-01-31" into out), else false. Atlas keeps expired
 * classifications; so does sovmap (conservative), marked. */
static bool
expired(const struct cj *cl, const char *now, char out[11])    /* bounded: a yyyy-MM-dd date */
{
    const struct cj *vp = cj_get(cl, "validityPeriods"), *p;
    uint32_t i;
    char last[11] = "";    /* bounded: a yyyy-MM-dd date (the first 10 bytes of endTime) */

    if (!cj_len(vp) || !now || strlen(now) < 10)
        return false;
    cj_foreach(vp, i, p) {
        const char *end = cj_gstr(p, "endTime");
        char d[11];    /* bounded: a yyyy-MM-dd date (the first 10 bytes of endTime) */
        if (!end || strlen(end) < 10)
            return false;       /* open-ended: still valid */
        memcpy(d, end, 10);
        d[10] = 0;
        d[4] = d[7] = '-';      /* "yyyy/MM/dd" */
        if (strncmp(d, now, 10) >= 0)
            return false;       /* ends today or later */
        if (strcmp(d, last) > 0)
            memcpy(last, d, 11);
    }
    memcpy(out, last, 11);
    return true;
}

/* Apply the classifications of entity x (and of its copies in other files)
 * to record ds. */
static int
labels(struct atlas *a, const struct aent *x, int32_t ds, const char *field,
       const char *inherited_from)
{
    int rc = labels1(a, x, ds, field, inherited_from);

    for (int32_t c = x->copy; !rc && c != SM_NONE; c = a->ents[c].copy)
        rc = labels1(a, &a->ents[c], ds, field, inherited_from);
    return rc;
}

/* Glossary terms assigned to the entity (meanings[].displayText, or a
 * search header's meaningNames) as labels "term:NAME": only a mapping rule
 * that names one makes anything of it (an unmatched term is dropped), so
 * they are off until the mapping file says what a term means. */
static int
meanings(struct atlas *a, const struct aent *x, int32_t ds, const char *field)
{
    struct import_run *r = a->r;
    const struct cj *list = cj_get(x->e, "meanings"), *v;
    bool from_names = !cj_is(list, CJ_ARR);
    uint32_t i;
    int rc;

    if (from_names)
        list = cj_get(x->e, "meaningNames");
    if (!cj_len(list))
        return SM_OK;
    cj_foreach(list, i, v) {
        const char *term = from_names ? cj_str(v) : cj_gstr(v, "displayText");
        const char *tg = from_names ? NULL : cj_gstr(v, "termGuid");
        const char *name, *entity;

        if (!term || !*term)
            continue;
        entity = tg && *tg ? imp_fmt(r, "%s (term %s)", x->guid, tg) : x->guid;
        if (entity && x->level != LV_FULL)
            entity = imp_fmt(r, "%s" IMP_PARTIAL, entity);
        if (!entity || !(name = imp_fmt(r, "term:%s", term)))
            return SM_ENOMEM;
        if ((rc = imp_label(r, ds, field, IMPORT_FROM_ATLAS, name, NULL, NULL, true, entity,
                            x->file, NULL)))
            return rc;
    }
    return SM_OK;
}

static int
labels1(struct atlas *a, const struct aent *x, int32_t ds, const char *field,
        const char *inherited_from)
{
    struct import_run *r = a->r;
    const struct cj *cls = cj_get(x->e, "classifications"), *cl;
    uint32_t i;
    int rc;

    if (x->level == LV_LINEAGE)
        return SM_OK;   /* lineage is not a tag source */
    if (x->level == LV_NAMES || (x->level == LV_HEADER && !cj_is(cls, CJ_ARR))) {
        /* a search result's header: a partial listing, it never removes */
        const struct cj *names = cj_get(x->e, "classificationNames");
        const char *ent = imp_fmt(r, "%s" IMP_PARTIAL, x->guid);
        cj_foreach(names, i, cl)
            if (cj_is(cl, CJ_STR) &&
                (rc = imp_label(r, ds, field, IMPORT_FROM_ATLAS, cj_str(cl), NULL,
                                NULL, true, ent, x->file, NULL)))
                return rc;
        return meanings(a, x, ds, field);
    }
    if (x->level == LV_FULL && (rc = imp_carrier(r, ds, x->guid)))
        return rc;
    if ((rc = meanings(a, x, ds, field)))
        return rc;
    cj_foreach(cls, i, cl) {
        const char **kv;
        const char *name = cj_gstr(cl, "typeName");
        const char *src = cj_gstr(cl, "entityGuid");
        const char *entity, *ended = NULL;
        char day[11];    /* bounded: a yyyy-MM-dd date (expired) */
        if (!name)
            continue;
        if (!(kv = cl_attrs(r, cl)))
            return SM_ENOMEM;
        if (inherited_from)
            entity = imp_fmt(r, "%s (database, inherited)", x->guid);
        else if (src && *src && strcmp(src, x->guid))
            entity = imp_fmt(r, "%s (propagated from %s%s)", x->guid, src,
                             sm_streq(cj_gstr(cl, "entityStatus"), "DELETED")
                                 ? ", deleted" : "");
        else
            entity = x->guid;
        if (entity && expired(cl, r->opts.now, day)) {
            entity = imp_fmt(r, "%s (expired %s)", entity, day);
            ended = day;
            imp_note(r, false, "%s: classification %s on %s expired on %s (validityPeriods); "
                     "kept, the conservative reading (CLS003)", r->ds[ds].name, name, x->guid,
                     day);
        }
        if (entity && x->level != LV_FULL)
            entity = imp_fmt(r, "%s" IMP_PARTIAL, entity);
        if (!entity)
            return SM_ENOMEM;
        if ((rc = imp_label(r, ds, field, IMPORT_FROM_ATLAS, name, NULL, kv, false, entity,
                            x->file, ended)))
            return rc;
    }
    return SM_OK;
}

static const char *
bucket_region(struct atlas *a, const char *bucket)
{
    int32_t i = bucket ? sm_map_get(&a->bucket_region, bucket) : SM_NONE;

    return i == SM_NONE ? NULL : a->bregions[i];
}

/* Region of a storage location: a bucket entity's region, then the map. */
static const char *
location_region(struct atlas *a, const char *location, const char **why,
                const char **bucket_out)
{
    const char *bucket = imp_s3_bucket(a->r, location);
    const char *reg;

    *bucket_out = bucket;
    if (!bucket)
        return NULL;
    if ((reg = bucket_region(a, bucket))) {
        *why = imp_fmt(a->r, "region of bucket %s in the export", bucket);
        return reg;
    }
    return imp_location_region(a->r, location, why);
}

static void
fallback_region(struct atlas *a, int32_t ds, const char *ns, const char *file,
                const char *missing)
{
    struct import_run *r = a->r;
    const char *reg;

    if (ns && (reg = import_map_namespace_region(r->map, ns))) {
        imp_region(r, ds, reg, imp_fmt(r, "namespace %s in the mapping file", ns), file);
        return;
    }
    if (r->region) {
        imp_region(r, ds, r->region, "--region", file);
        return;
    }
    if (!r->ds[ds].no_region_why)
        r->ds[ds].no_region_why = imp_str(r, missing);
}

static void
place(struct atlas *a, struct aent *x, int32_t ds, const char *ns)
{
    struct import_run *r = a->r;
    const char *reg = NULL, *why = NULL, *bucket = NULL, *loc = NULL;

    switch (x->kind) {
    case AK_TABLE: {
        const char *tt = attr(x->e, "tableType");
        struct aent *sd = ent(a, ref_guid(x->e, "sd"));
        if (tt && strcasecmp(tt, "VIRTUAL_VIEW") == 0) {
            r->ds[ds].no_region_why = imp_str(r, "a view has no storage of its own");
            return;
        }
        if (sd)
            loc = attr(sd->e, "location");
        if (loc && (reg = location_region(a, loc, &why, &bucket)))
            break;
        fallback_region(a, ds, ns, x->file,
                        bucket ? imp_fmt(r, "bucket %s has no region in the export or the "
                                         "mapping file", bucket)
                               : "no storage location in the export");
        return;
    }
    case AK_BUCKET: {
        const char *name = attr(x->e, "name");
        const char *qb = imp_s3_bucket(r, attr(x->e, "qualifiedName"));
        reg = bucket_region(a, qb ? qb : name);
        why = "its region attribute";
        if (!reg && (reg = import_map_bucket_region(r->map, qb ? qb : name)))
            why = "the mapping file's bucket map";
        if (reg)
            break;
        fallback_region(a, ds, NULL, x->file, "the bucket has no region in the export or the "
                        "mapping file");
        return;
    }
    case AK_DIR:
    case AK_OBJECT: {
        const char *own = attr(x->e, "region");
        if (own && *own) {
            reg = imp_region_id(r, "aws", own);
            why = "its region attribute";
            break;
        }
        /* follow the containers up to the bucket */
        struct aent *c = x;
        for (int hop = 0; hop < 64 && c; hop++) {
            const char *g = ref_guid(c->e, "container");
            if (!g)
                g = ref_guid(c->e, "pseudoDirectory");
            if (!g)
                g = ref_guid(c->e, "bucket");
            c = ent(a, g);
            if (c && c->kind == AK_BUCKET) {
                const char *cr = attr(c->e, "region");
                if (cr && *cr) {
                    reg = imp_region_id(r, "aws", cr);
                    why = imp_fmt(r, "region of its bucket %s", attr(c->e, "name"));
                }
                break;
            }
        }
        if (reg)
            break;
        loc = attr(x->e, "qualifiedName");
        if ((reg = location_region(a, loc, &why, &bucket)))
            break;
        fallback_region(a, ds, NULL, x->file,
                        bucket ? imp_fmt(r, "bucket %s has no region in the export or the "
                                         "mapping file", bucket)
                               : "no bucket");
        return;
    }
    default:
        fallback_region(a, ds, ns, x->file, "no location in the export");
        return;
    }
    imp_region(r, ds, reg, why, x->file);
}

/* Every member of customAttributes with a scalar value as a property
 * (text as is, numbers and booleans as JSON), as imp_props_of. */
static int
props_of(struct import_run *r, int32_t ds, const struct cj *obj, const char *entity,
         const char *source)
{
    const struct cj *v;
    const char *k;
    uint32_t i;
    int rc;

    cj_foreach_member(obj, i, k, v) {
        const char *val;
        char *text = NULL;
        if (v->type == CJ_STR)
            val = v->u.s;
        else if (v->type == CJ_NULL || v->type == CJ_ARR || v->type == CJ_OBJ)
            continue;   /* null, lists and objects: not a key -> value */
        else if (!(val = text = cj_scalar_text(v)))
            return SM_ENOMEM;
        rc = imp_prop(r, ds, k, val, entity, source);
        free(text);
        if (rc)
            return rc;
    }
    return SM_OK;
}

static int
dataset_of(struct atlas *a, struct aent *x)
{
    struct import_run *r = a->r;
    char *name;
    size_t size;
    const char *qn = attr(x->e, "qualifiedName"), *ns = NULL;
    int32_t ds, other;
    int rc;

    if (!qn || !*qn)
        qn = cj_gstr(x->e, "displayText");
    /* names have no length limit: room for the name and "#namespace" */
    size = (qn ? strlen(qn) : 0) * 2 + 2;
    if (!(name = malloc(size)))
        return SM_ENOMEM;
    if (!qn || !*qn || !split_qn(qn, name, size, &ns) || !*name) {
        imp_skip(r, cj_gstr(x->e, "typeName") ? cj_gstr(x->e, "typeName") : "entity",
                 "no usable qualifiedName");
        free(name);
        return SM_OK;
    }
    if (strchr(name, '@'))
        *strchr(name, '@') = '#';
    other = imp_ds_find(r, name, NULL);
    if (other != SM_NONE && *r->ds[other].source_ref &&
        strcmp(r->ds[other].source_ref, x->guid) && ns) {
        /* the same db.table in two clusters: keep them apart */
        size_t n = strlen(name);
        snprintf(name + n, size - n, "#%s", ns);
    }
    other = r->nds;
    ds = imp_ds(r, name, x->guid, x->file);
    free(name);
    if (ds == SM_NONE)
        return SM_ENOMEM;
    x->ds = ds;
    /* a node only a lineage response names: a flow end, if the catalog
     * (or another file) defines it; never a dataset of its own */
    if (x->level == LV_LINEAGE) {
        if (ds == other)
            r->ds[ds].lineage_only = true;
        return SM_OK;
    }
    r->ds[ds].lineage_only = false;
    if (x->level >= LV_HEADER) {
        /* a search header's owner is a partial listing's (rank: doc/import.md) */
        const char *ent = x->level == LV_FULL ? x->guid : imp_fmt(r, "%s" IMP_PARTIAL, x->guid);
        if (!ent)
            return SM_ENOMEM;
        imp_describe(r, ds, NULL, attr(x->e, "owner"), attr(x->e, "description"), ent, x->file);
    }
    if (x->level == LV_FULL) {
        /* what Atlas keeps beyond classifications: customAttributes and
         * labels, properties the entity carries (the bulk describes them all) */
        const struct cj *labs = cj_get(x->e, "labels"), *l;
        uint32_t li;
        r->ds[ds].attrs_full = true;
        if ((rc = imp_carrier(r, ds, x->guid)) ||
            (rc = props_of(r, ds, cj_get(x->e, "customAttributes"), x->guid, x->file)))
            return rc;
        cj_foreach(labs, li, l)
            if (cj_is(l, CJ_STR) && *cj_str(l) &&
                (rc = imp_prop(r, ds, imp_fmt(r, "label:%s", cj_str(l)), "",
                               x->guid, x->file)))
                return rc;
    }
    if ((rc = labels(a, x, ds, NULL, NULL)))
        return rc;
    if (x->kind == AK_TABLE) {
        struct aent *db = ent(a, ref_guid(x->e, "db"));
        if (db && db->level == LV_FULL && (rc = labels(a, db, ds, NULL, db->guid)))
            return rc;
    }
    if (x->level == LV_FULL || !r->ds[ds].region)
        place(a, x, ds, ns);
    return SM_OK;
}

/* "db.table.col@ns" -> table record by name (db.table). */
static int32_t
table_by_qn(struct atlas *a, const char *qn, const char *file, const char **col)
{
    char *buf;
    const char *ns;
    char *dot;
    int32_t ds;

    if (!qn || !(buf = malloc(strlen(qn) + 1)))
        return SM_NONE;
    if (!split_qn(qn, buf, strlen(qn) + 1, &ns) || !(dot = strrchr(buf, '.'))) {
        free(buf);
        return SM_NONE;
    }
    *dot = 0;
    *col = imp_str(a->r, dot + 1);
    ds = imp_ds_find(a->r, buf, NULL);
    if (ds == SM_NONE) {
        ds = imp_ds(a->r, buf, "", file);
        if (ds != SM_NONE && !a->r->ds[ds].region)
            fallback_region(a, ds, ns, file, "only its columns are in the export");
    }
    free(buf);
    return ds;
}

static int
column_of(struct atlas *a, struct aent *x)
{
    struct aent *t = ent(a, ref_guid(x->e, "table"));
    const char *col = attr(x->e, "name");
    const char *qcol = NULL;
    int32_t ds = SM_NONE;
    int rc;

    if (x->level == LV_LINEAGE)
        return SM_OK;   /* lineage adds no fields, and no table through them */
    if (t && t->kind == AK_TABLE && t->ds != SM_NONE)
        ds = t->ds;
    else if (t && t->kind == AK_TABLE && t->done)
        return SM_OK;   /* its table was skipped (deleted) */
    else
        ds = table_by_qn(a, attr(x->e, "qualifiedName"), x->file, &qcol);
    if (!col || !*col)
        col = qcol;
    if (ds == SM_NONE || !col || !*col) {
        imp_skip(a->r, cj_gstr(x->e, "typeName"), "column whose table is unknown");
        return SM_OK;
    }
    /* the column's data type and comment (attributes.type, .comment) */
    {
        const char *ent = x->level == LV_FULL ? x->guid
                                              : imp_fmt(a->r, "%s" IMP_PARTIAL, x->guid);
        if (!ent)
            return SM_ENOMEM;
        if ((rc = imp_field_attrs(a->r, ds, col, attr(x->e, "type"), attr(x->e, "comment"),
                                  ent, x->file)))
            return rc;
    }
    return labels(a, x, ds, col, NULL);
}

static int
edge(struct atlas *a, int32_t from, int32_t to)
{
    if (sm_grow((void **)&a->edges, &a->cap_edges, a->nedges + 1, sizeof *a->edges))
        return SM_ENOMEM;
    a->edges[a->nedges] = (struct edge){ from, to, a->ents[to].in, a->ents[from].out };
    a->ents[to].in = a->nedges;
    a->ents[from].out = a->nedges++;
    return SM_OK;
}

/* A process entity's attributes.inputs / outputs (legacy and v2 both). */
static int
process_edges(struct atlas *a, int32_t pi)
{
    static const char *const dirs[] = { "inputs", "outputs" };

    for (int d = 0; d < 2; d++) {
        const struct cj *list = cj_get(cj_get(a->ents[pi].e, "relationshipAttributes"),
                                       dirs[d]);
        const struct cj *v;
        uint32_t i;
        if (!cj_is(list, CJ_ARR))
            list = cj_get(cj_get(a->ents[pi].e, "attributes"), dirs[d]);
        cj_foreach(list, i, v) {
            int32_t o = sm_map_get(&a->by_guid, cj_gstr(v, "guid") ? cj_gstr(v, "guid") : "");
            if (o == SM_NONE)
                continue;
            if (edge(a, d ? pi : o, d ? o : pi))
                return SM_ENOMEM;
        }
    }
    return SM_OK;
}

static bool
is_data(const struct aent *x)
{
    return x->kind == AK_TABLE || x->kind == AK_BUCKET || x->kind == AK_DIR ||
           x->kind == AK_OBJECT || x->kind == AK_TOPIC || x->kind == AK_PATH;
}

/* How a process is named in the diff: its qualifiedName (a hive_process's
 * name is its whole query text), cut at 80 bytes. */
static const char *
label_of(struct atlas *a, const struct aent *x)
{
    const char *s = attr(x->e, "qualifiedName");
    size_t n = 77;

    if (!s || !*s)
        s = attr(x->e, "name");
    if (!s || !*s)
        s = cj_gstr(x->e, "displayText");
    if (!s || !*s)
        return x->guid;
    if (strlen(s) <= 80)
        return s;
    /* never inside a UTF-8 character */
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    return imp_fmt(a->r, "%.*s...", (int)n, s);
}

static int
lineage_flows(struct atlas *a)
{
    for (int32_t p = 0; p < a->nents; p++) {
        struct aent *x = &a->ents[p];
        if (x->kind != AK_PROCESS && !(is_data(x) && x->out != SM_NONE))
            continue;
        for (int32_t ei = x->in; ei != SM_NONE; ei = a->edges[ei].next_in) {
            struct aent *src = &a->ents[a->edges[ei].a];
            if (x->kind != AK_PROCESS)
                break;
            for (int32_t eo = x->out; eo != SM_NONE; eo = a->edges[eo].next_out) {
                struct aent *dst = &a->ents[a->edges[eo].b];
                if (src->ds == SM_NONE || dst->ds == SM_NONE)
                    continue;
                if (imp_flow(a->r, src->ds, dst->ds, label_of(a, x), x->file))
                    return SM_ENOMEM;
            }
        }
        if (x->kind != AK_PROCESS) {
            /* a direct dataset -> dataset edge */
            for (int32_t eo = x->out; eo != SM_NONE; eo = a->edges[eo].next_out) {
                struct aent *dst = &a->ents[a->edges[eo].b];
                if (is_data(dst) && x->ds != SM_NONE && dst->ds != SM_NONE &&
                    imp_flow(a->r, x->ds, dst->ds, "lineage", x->file))
                    return SM_ENOMEM;
            }
        }
    }
    return SM_OK;
}

/* The level of entity e of a file (search: a search result's). */
static enum level
level_of(const struct cj *e, bool search)
{
    if (!search)
        return LV_FULL;
    return cj_is(cj_get(e, "classifications"), CJ_ARR) ? LV_HEADER : LV_NAMES;
}

/* A jansson entity (a file parsed whole, a single entity, a lineage
 * node) into the parse's store, trimmed unless the run parses whole (the
 * reference the streaming parse is compared with, test_import_stream). */
static int
add_json(struct atlas *a, const json_t *v, const char *file, enum level lv, bool search)
{
    struct cj *e;

    if (!json_is_object(v))
        return SM_OK;   /* add_ent would ignore it */
    if (!(e = sm_arena_alloc(&a->cj->arena, sizeof *e)) ||
        cj_from_json(a->cj, v, !a->r->opts.whole_parse, e))
        return SM_ENOMEM;
    return add_ent(a, e, file, search ? level_of(e, true) : lv);
}

static int
index_file(struct atlas *a, const struct imp_file *f, struct sm_error *err)
{
    json_t *root = f->root, *v, *list;
    const struct cj_store *st = f->cj;
    const char *k;
    size_t i;
    int rc = SM_OK;

    if ((v = json_object_get(root, "entity")) && (rc = add_json(a, v, f->name, LV_FULL, false)))
        return rc;
    list = json_object_get(root, "entities");
    if (list && !json_is_array(list))
        return imp_bad(err, f->name, "\"entities\" must be a list");
    bool search = json_object_get(root, "queryType") || json_object_get(root, "approximateCount");
    if (st && st->has_ents) {
        for (int32_t j = 0; j < st->nents; j++)
            if ((rc = add_ent(a, &st->ents[j], f->name, level_of(&st->ents[j], search))))
                return rc;
    } else {
        json_array_foreach(list, i, v)
            if ((rc = add_json(a, v, f->name, LV_FULL, search)))
                return rc;
    }
    if (st && st->has_refd) {
        for (int32_t j = 0; j < st->nrefd; j++)
            if ((rc = add_ent(a, &st->refd[j], f->name, search ? LV_HEADER : LV_FULL)))
                return rc;
    } else {
        json_object_foreach(json_object_get(root, "referredEntities"), k, v)
            if ((rc = add_json(a, v, f->name, search ? LV_HEADER : LV_FULL, false)))
                return rc;
    }
    json_object_foreach(json_object_get(root, "guidEntityMap"), k, v)
        if ((rc = add_json(a, v, f->name, LV_LINEAGE, false)))
            return rc;
    return SM_OK;
}

static int
relations(struct atlas *a, const struct imp_file *f)
{
    json_t *rel, *v;
    size_t i;

    rel = json_object_get(f->root, "relations");
    json_array_foreach(rel, i, v) {
        const char *fg = imp_jstr(v, "fromEntityId"), *tg = imp_jstr(v, "toEntityId");
        int32_t from = sm_map_get(&a->by_guid, fg ? fg : "");
        int32_t to = sm_map_get(&a->by_guid, tg ? tg : "");
        if (from == SM_NONE || to == SM_NONE)
            continue;
        if (edge(a, from, to))
            return SM_ENOMEM;
    }
    return SM_OK;
}

static int
atlas_parse(struct import_run *r, struct sm_error *err)
{
    struct atlas a = { .r = r, .cj = cj_store_new() };
    int rc = SM_OK;

    if (!a.cj)
        return sm_error_set(err, SM_ENOMEM, "atlas import: out of memory");
    sm_map_init(&a.by_guid);
    sm_map_init(&a.bucket_region);
    for (int i = 0; i < r->nfiles; i++)
        if ((rc = index_file(&a, &r->files[i], err)))
            goto done;
    /* bucket regions first: tables and directories find theirs through them */
    for (int32_t i = 0; i < a.nents; i++) {
        struct aent *x = &a.ents[i];
        const char *reg = attr(x->e, "region"), *name;
        if (x->kind != AK_BUCKET || !reg || !*reg)
            continue;
        name = imp_s3_bucket(r, attr(x->e, "qualifiedName"));
        if (!name)
            name = attr(x->e, "name");
        if (!name || sm_map_get(&a.bucket_region, name) != SM_NONE)
            continue;
        if (sm_grow((void **)&a.bregions, &a.cap_bregions, a.nbr + 1, sizeof *a.bregions) ||
            !(a.bregions[a.nbr] = imp_region_id(r, "aws", reg)) ||
            sm_map_put(&a.bucket_region, imp_str(r, name), a.nbr)) {
            rc = SM_ENOMEM;
            goto done;
        }
        a.nbr++;
    }
    /* datasets, then columns (they need their table), then lineage */
    for (int pass = 0; pass < 2; pass++) {
        for (int32_t i = 0; i < a.nents; i++) {
            struct aent *x = &a.ents[i];
            const char *st = cj_gstr(x->e, "status");
            const char *type = cj_gstr(x->e, "typeName");
            bool want = pass == 0 ? x->kind != AK_COLUMN : x->kind == AK_COLUMN;
            if (!want || x->extra)
                continue;
            x->done = 1;
            if (st && strcmp(st, "ACTIVE")) {
                imp_skip(r, type ? type : "entity",
                         imp_fmt(r, "status %s: not imported; remove it by hand if it was", st));
                continue;
            }
            if (cj_is(cj_get(x->e, "isIncomplete"), CJ_TRUE)) {
                imp_skip(r, type ? type : "entity", "shell entity: only its name is known");
                continue;
            }
            switch (x->kind) {
            case AK_COLUMN:
                rc = column_of(&a, x);
                break;
            case AK_SKIP:
                imp_skip(r, type ? type : "entity", "carries no data sovmap models");
                break;
            case AK_DB:
            case AK_PROCESS:
            case AK_STORAGE:
                imp_skip(r, type, kind_why[x->kind]);
                if (x->kind == AK_PROCESS && x->level == LV_FULL)
                    rc = process_edges(&a, i);
                break;
            default:
                rc = dataset_of(&a, x);
                break;
            }
            if (rc)
                goto done;
        }
    }
    for (int i = 0; i < r->nfiles; i++)
        if ((rc = relations(&a, &r->files[i])))
            goto done;
    rc = lineage_flows(&a);
done:
    if (rc == SM_ENOMEM)
        sm_error_set(err, SM_ENOMEM, "atlas import: out of memory");
    free(a.ents);
    free(a.edges);
    free(a.bregions);
    sm_map_fini(&a.by_guid);
    sm_map_fini(&a.bucket_region);
    /* the records hold copies of what they took: the entities can go */
    cj_store_free(a.cj);
    for (int i = 0; i < r->nfiles; i++) {
        cj_store_free(r->files[i].cj);
        r->files[i].cj = NULL;
    }
    return rc;
}

const struct importer_ops importer_atlas = {
    .name = "atlas",
    .summary = "Atlas v2 entity bulk, single entity, basic/DSL search or lineage response",
    .detect = atlas_detect,
    .parse = atlas_parse,
};
