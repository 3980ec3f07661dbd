/*
 * import_glue.c - AWS Glue CLI outputs: get-tables, get-table,
 * get-databases and get-tags.
 *
 * Glue carries no sensitivity of its own: tables give datasets, fields and
 * (through their S3 location and the mapping file's bucket map) regions;
 * get-tags gives resource tags, mapped like LF-tags. Parameters (among them
 * classification, the file format) are kept as dataset properties, never
 * read as labels; a resource link's target is its property
 * resource-link-target (CATALOG/DB/TABLE). Depends on import.c only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_int.h"

static bool
glue_detect(const void *p)
{
    const json_t *root = p, *list, *first;

    if (!json_is_object(root))
        return false;
    if (json_is_object(json_object_get(root, "Table")) ||
        json_is_object(json_object_get(root, "Tags")))
        return true;
    if ((list = json_object_get(root, "TableList")) || (list = json_object_get(root, "DatabaseList"))) {
        if (!json_is_array(list))
            return false;
        first = json_array_get(list, 0);
        /* LF search results wrap each item in "Table" / "Database" */
        return !first || json_object_get(first, "Name");
    }
    return false;
}

int
imp_parse_arn(struct import_run *r, const char *s, struct imp_arn *a)
{
    const char *p[6];
    const char *q = s, *res, *slash, *t;

    memset(a, 0, sizeof *a);
    if (!s || strncmp(s, "arn:", 4))
        return SM_EINVAL;
    for (int i = 0; i < 5; i++) {
        q = strchr(q, ':');
        if (!q)
            return SM_EINVAL;
        p[i] = ++q;
    }
    /* p[0] partition, p[1] service, p[2] region, p[3] account, p[4] resource */
    if (strncmp(p[1], "glue:", 5))
        return SM_EINVAL;
    res = p[4];
    slash = strchr(res, '/');
    if (!(a->region = sm_arena_strndup(&r->arena, p[2], (size_t)(p[3] - p[2] - 1))) ||
        !(a->account = sm_arena_strndup(&r->arena, p[3], (size_t)(p[4] - p[3] - 1))) ||
        !(a->kind = sm_arena_strndup(&r->arena, res, slash ? (size_t)(slash - res)
                                                           : strlen(res))))
        return SM_ENOMEM;
    if (slash)
        slash++;
    if (strcmp(a->kind, "table") == 0) {
        t = slash ? strchr(slash, '/') : NULL;
        if (!t || !t[1] || t == slash)
            return SM_EINVAL;
        if (!(a->db = sm_arena_strndup(&r->arena, slash, (size_t)(t - slash))) ||
            !(a->table = imp_str(r, t + 1)))
            return SM_ENOMEM;
    } else if (strcmp(a->kind, "database") == 0) {
        if (!slash || !*slash)
            return SM_EINVAL;
        if (!(a->db = imp_str(r, slash)))
            return SM_ENOMEM;
    } else if (strcmp(a->kind, "catalog")) {
        return SM_EINVAL;
    }
    return SM_OK;
}

struct glue {
    struct import_run *r;
    struct sm_map db_region;     /* database name -> index into regs */
    const char **regs;
    int32_t nregs, cap_regs;
};

static int
databases(struct glue *g, const struct imp_file *f, struct sm_error *err)
{
    json_t *list = json_object_get(f->root, "DatabaseList"), *d;
    size_t i;

    if (!json_is_array(list))
        return imp_bad(err, f->name, "\"DatabaseList\" must be a list");
    json_array_foreach(list, i, d) {
        const char *name = imp_jstr(d, "Name");
        json_t *target = json_object_get(d, "TargetDatabase");
        const char *reg = imp_jstr(target, "Region");
        if (!name)
            return imp_bad(err, f->name, "DatabaseList[%zu] has no \"Name\"", i);
        imp_skip(g->r, "glue database",
                 "no data of its own; resource links give their tables a region");
        if (!reg || !*reg)
            continue;
        if (sm_grow((void **)&g->regs, &g->cap_regs, g->nregs + 1, sizeof *g->regs) ||
            !(g->regs[g->nregs] = imp_region_id(g->r, "aws", reg)) ||
            sm_map_put(&g->db_region, imp_str(g->r, name), g->nregs))
            return SM_ENOMEM;
        g->nregs++;
    }
    return SM_OK;
}

static const char *
ref_of(struct import_run *r, const char *catalog, const char *db, const char *table)
{
    return imp_fmt(r, "glue:%s/%s/%s", catalog ? catalog : "", db, table);
}

static int
table(struct glue *g, json_t *t, const char *file, const char *ctx, struct sm_error *err)
{
    struct import_run *r = g->r;
    const char *name = imp_jstr(t, "Name"), *db = imp_jstr(t, "DatabaseName");
    const char *catalog = imp_jstr(t, "CatalogId");
    json_t *target = json_object_get(t, "TargetTable");
    json_t *sd = json_object_get(t, "StorageDescriptor");
    const char *type = imp_jstr(t, "TableType");
    const char *loc, *why = NULL, *reg;
    const char *dsname;
    int32_t ds;
    int rc;

    if (!json_is_object(t))
        return imp_bad(err, file, "%s must be an object", ctx);
    if (!name || !*name)
        return imp_bad(err, file, "%s has no \"Name\"", ctx);
    if (!db || !*db)
        db = r->input ? imp_jstr(r->input, "DatabaseName") : NULL;
    if (!db || !*db)
        return imp_bad(err, file, "%s (%s) has no \"DatabaseName\"", ctx, name);
    /* a resource link keeps its own name (it is what queries and
     * `dataset show` use); its copy is where the target's data is, below */
    if (!(dsname = imp_ds_name(r, db, name)))
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", file);
    ds = imp_ds(r, dsname, ref_of(r, catalog, db, name), file);
    if (ds == SM_NONE)
        return SM_ENOMEM;
    /* what Glue keeps beyond columns: the table's Parameters and a resource
     * link's target, as properties the table (its glue: reference) carries;
     * its owner, description and columns' types come from it too */
    const char *ent = ref_of(r, catalog, db, name);
    if (!ent)
        return SM_ENOMEM;
    imp_describe(r, ds, NULL, imp_jstr(t, "Owner"), imp_jstr(t, "Description"), ent, file);
    {
        if ((rc = imp_carrier(r, ds, ent)) ||
            (rc = imp_props_of(r, ds, json_object_get(t, "Parameters"), "", ent, file)))
            return rc;
        if (json_is_object(target)) {
            const char *tc = imp_jstr(target, "CatalogId"), *tdb = imp_jstr(target, "DatabaseName");
            const char *tn = imp_jstr(target, "Name");
            const char *v = imp_fmt(r, "%s/%s/%s", tc ? tc : "", tdb ? tdb : "", tn ? tn : "");
            if (!v || (rc = imp_prop(r, ds, "resource-link-target", v, ent, file)))
                return ent && v ? rc : SM_ENOMEM;
        }
    }
    for (int k = 0; k < 2; k++) {
        json_t *cols = k ? json_object_get(t, "PartitionKeys") : json_object_get(sd, "Columns");
        json_t *c;
        size_t i;
        json_array_foreach(cols, i, c)
            if (imp_jstr(c, "Name") &&
                (rc = imp_field_attrs(r, ds, imp_jstr(c, "Name"), imp_jstr(c, "Type"),
                                      imp_jstr(c, "Comment"), ent, file)))
                return rc;
    }
    /* where the data is */
    if (json_is_object(target) && (reg = imp_jstr(target, "Region")) && *reg) {
        imp_region(r, ds, imp_region_id(r, "aws", reg), "resource link TargetTable.Region",
                   file);
        return SM_OK;
    }
    if (json_is_object(target) && r->region) {
        /* a link without Region points into the same region's catalog */
        imp_region(r, ds, r->region, "--region (the catalog's region; resource link)", file);
        return SM_OK;
    }
    if (type && strcasecmp(type, "VIRTUAL_VIEW") == 0) {
        r->ds[ds].no_region_why = imp_str(r, "a view has no storage of its own");
        return SM_OK;
    }
    loc = imp_jstr(sd, "Location");
    if (!loc || !*loc) {
        r->ds[ds].no_region_why = imp_str(r, "no storage location");
        return SM_OK;
    }
    if ((reg = imp_location_region(r, loc, &why))) {
        imp_region(r, ds, reg, why, file);
        return SM_OK;
    }
    int32_t di = sm_map_get(&g->db_region, db);
    if (di != SM_NONE) {
        imp_region(r, ds, g->regs[di],
                   imp_fmt(r, "database %s is a resource link to %s", db, g->regs[di]), file);
        return SM_OK;
    }
    if (!imp_s3_bucket(r, loc)) {
        /* file:, hdfs:, abfss:, gs: ... the catalog's region says nothing about it */
        r->ds[ds].no_region_why = imp_fmt(r, "its location %s is not in S3, so the catalog's "
                                          "region does not place it", loc);
        return SM_OK;
    }
    if (r->region) {
        imp_region(r, ds, r->region, "--region (the catalog's region)", file);
        return SM_OK;
    }
    const char *bucket = imp_s3_bucket(r, loc);
    r->ds[ds].no_region_why = bucket
        ? imp_fmt(r, "bucket %s is not in the mapping file and no --region was given", bucket)
        : imp_str(r, "its location names no region and no --region was given");
    return SM_OK;
}

static int
tags(struct glue *g, const struct imp_file *f, struct sm_error *err)
{
    struct import_run *r = g->r;
    const char *arn = r->opts.resource_arn;
    struct imp_arn a;
    json_t *map = json_object_get(f->root, "Tags"), *v;
    const char *k, *entity;
    const char *dsname;
    int32_t ds;
    int rc;

    if (arn || r->input) {
        int n = 0;
        for (int i = 0; i < r->nfiles; i++)
            n += json_object_get(r->files[i].root, "Tags") != NULL;
        if (n > 1)
            return sm_error_set(err, SM_EUSAGE, "%s: %s names one resource but %d get-tags "
                                "files were given; import each with its own", f->name,
                                arn ? "--resource-arn" : "--input", n);
    }
    if (!arn && r->input)
        arn = imp_jstr(r->input, "ResourceArn");
    if (!arn)
        return sm_error_set(err, SM_EUSAGE,
                            "%s: get-tags output does not say which resource it describes; "
                            "give --input FILE (the call's --cli-input-json) or "
                            "--resource-arn ARN", f->name);
    if ((rc = imp_parse_arn(r, arn, &a)) == SM_ENOMEM)
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", f->name);
    if (rc)
        return sm_error_set(err, SM_EUSAGE, "%s: %s is not a Glue table ARN "
                            "(arn:aws:glue:REGION:ACCOUNT:table/DB/TABLE)", f->name, arn);
    if (strcmp(a.kind, "table")) {
        imp_skip(r, imp_fmt(r, "glue %s", a.kind),
                 "AWS resource tags are not inherited by tables; not imported");
        return SM_OK;
    }
    if (!(dsname = imp_ds_name(r, a.db, a.table)))
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", f->name);
    ds = imp_ds(r, dsname, ref_of(r, a.account, a.db, a.table), f->name);
    if (ds == SM_NONE || !(entity = imp_str(r, arn)))
        return SM_ENOMEM;
    imp_region(r, ds, imp_region_id(r, "aws", a.region), "the ARN's region (the catalog's)",
               f->name);
    if ((rc = imp_carrier(r, ds, entity)))
        return rc;
    json_object_foreach(map, k, v) {
        if (!json_is_string(v))
            return imp_bad(err, f->name, "Tags.%s must be a string", k);
        if (strncmp(k, "aws:", 4) == 0)
            continue;   /* system tags (CloudFormation ...) */
        if ((rc = imp_label(r, ds, NULL, IMPORT_FROM_GLUE, k, json_string_value(v), NULL,
                            false, entity, f->name, NULL)))
            return rc;
    }
    return SM_OK;
}

static int
glue_parse(struct import_run *r, struct sm_error *err)
{
    struct glue g = { .r = r };
    int rc = SM_OK;

    sm_map_init(&g.db_region);
    for (int i = 0; i < r->nfiles && !rc; i++)
        if (json_object_get(r->files[i].root, "DatabaseList"))
            rc = databases(&g, &r->files[i], err);
    for (int i = 0; i < r->nfiles && !rc; i++) {
        const struct imp_file *f = &r->files[i];
        json_t *list = json_object_get(f->root, "TableList"), *t;
        size_t k;
        if ((t = json_object_get(f->root, "Table")))
            rc = table(&g, t, f->name, "Table", err);
        if (list && !json_is_array(list))
            rc = imp_bad(err, f->name, "\"TableList\" must be a list");
        json_array_foreach(list, k, t) {
            const char *ctx = imp_fmt(r, "TableList[%zu]", k);
            if (!ctx)
                rc = sm_error_set(err, SM_ENOMEM, "%s: out of memory", f->name);
            else if ((rc = table(&g, t, f->name, ctx, err)))
                break;
        }
    }
    for (int i = 0; i < r->nfiles && !rc; i++) {
        json_t *tg = json_object_get(r->files[i].root, "Tags");
        if (tg && !json_is_object(tg))
            rc = imp_bad(err, r->files[i].name, "\"Tags\" must be an object");
        else if (tg)
            rc = tags(&g, &r->files[i], err);
    }
    if (rc == SM_ENOMEM)
        sm_error_set(err, SM_ENOMEM, "glue import: out of memory");
    free(g.regs);
    sm_map_fini(&g.db_region);
    return rc;
}

const struct importer_ops importer_glue = {
    .name = "glue",
    .summary = "aws glue get-tables, get-table, get-databases or get-tags output",
    .detect = glue_detect,
    .parse = glue_parse,
};
