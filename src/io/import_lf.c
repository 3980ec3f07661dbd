/*
 * import_lf.c - AWS Lake Formation LF-tags: get-resource-lf-tags (which
 * needs --input or --resource-arn to know its table) and
 * search-tables-by-lf-tags.
 *
 * Inheritance database -> table -> column, most specific wins, a tag
 * counted once: a table tag equal to the database's is kept as inherited
 * from the database; a column tag equal to its table's effective one is
 * not repeated on the field. Depends on import.c only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_int.h"

static bool
lf_detect(const void *p)
{
    const json_t *root = p, *list, *first;

    if (!json_is_object(root))
        return false;
    if (json_object_get(root, "LFTagOnDatabase") || json_object_get(root, "LFTagsOnTable") ||
        json_object_get(root, "LFTagsOnColumns"))
        return true;
    if ((list = json_object_get(root, "TableList")) && json_is_array(list)) {
        first = json_array_get(list, 0);
        return first && json_is_object(json_object_get(first, "Table"));
    }
    if ((list = json_object_get(root, "DatabaseList")) && json_is_array(list)) {
        first = json_array_get(list, 0);
        return first && json_is_object(json_object_get(first, "Database"));
    }
    /* an empty result of either call */
    return json_object_size(root) == 0;
}

/* Does list hold key=value? (values compared case-insensitively: LF stores
 * them lower-cased) */
static bool
has_pair(const json_t *list, const char *key, const char *value)
{
    json_t *p, *v;
    size_t i, j;

    json_array_foreach(list, i, p) {
        if (!sm_streq(imp_jstr(p, "TagKey"), key))
            continue;
        json_array_foreach(json_object_get(p, "TagValues"), j, v)
            if (json_is_string(v) && strcasecmp(json_string_value(v), value) == 0)
                return true;
    }
    return false;
}

static bool
has_key(const json_t *list, const char *key)
{
    json_t *p;
    size_t i;

    json_array_foreach(list, i, p)
        if (sm_streq(imp_jstr(p, "TagKey"), key))
            return true;
    return false;
}

static int
check_pairs(const json_t *list, const char *file, const char *ctx, struct sm_error *err)
{
    json_t *p, *v;
    size_t i, j;

    if (!list || json_is_null(list))
        return SM_OK;
    if (!json_is_array(list))
        return imp_bad(err, file, "%s must be a list of LF-tags", ctx);
    json_array_foreach(list, i, p) {
        if (!imp_jstr(p, "TagKey") || !json_is_array(json_object_get(p, "TagValues")))
            return imp_bad(err, file, "%s[%zu] needs \"TagKey\" and \"TagValues\"", ctx, i);
        json_array_foreach(json_object_get(p, "TagValues"), j, v)
            if (!json_is_string(v))
                return imp_bad(err, file, "%s[%zu].TagValues must be strings", ctx, i);
    }
    return SM_OK;
}

struct lf_table {
    const char *catalog, *db, *name;
    json_t *dbtags, *ttags, *cols;
    bool partial;               /* search-tables-by-lf-tags: a listing, never removes */
};

static int
apply_pairs(struct import_run *r, int32_t ds, const char *field, const json_t *list,
            const json_t *skip_same, const json_t *inherit_from, const char *entity,
            const char *inherited_entity, const char *file)
{
    json_t *p, *v;
    size_t i, j;
    int rc;

    json_array_foreach(list, i, p) {
        const char *key = imp_jstr(p, "TagKey");
        json_array_foreach(json_object_get(p, "TagValues"), j, v) {
            const char *val = json_string_value(v);
            const char *ent = entity;
            if (skip_same && has_pair(skip_same, key, val))
                continue;
            if (inherit_from && has_pair(inherit_from, key, val))
                ent = inherited_entity;
            if ((rc = imp_label(r, ds, field, IMPORT_FROM_LF, key, val, NULL, false, ent,
                                file, NULL)))
                return rc;
        }
    }
    return SM_OK;
}

static int
lf_table(struct import_run *r, const struct lf_table *t, const char *file,
         struct sm_error *err)
{
    const char *dsname, *ref, *dbref, *dbent;
    int32_t ds;
    json_t *c, *eff;
    size_t i;
    int rc;

    if ((rc = check_pairs(t->dbtags, file, "LFTagOnDatabase", err)) ||
        (rc = check_pairs(t->ttags, file, "LFTagsOnTable", err)))
        return rc;
    if (t->cols && !json_is_null(t->cols) && !json_is_array(t->cols))
        return imp_bad(err, file, "LFTagsOnColumns must be a list");
    if (strcmp(t->name, "*") == 0) {
        imp_skip(r, "LF table wildcard", "names no single table");
        return SM_OK;
    }
    if (!(dsname = imp_ds_name(r, t->db, t->name)))
        return sm_error_set(err, SM_ENOMEM, "%s: out of memory", file);
    ref = imp_fmt(r, "lf:%s/%s/%s", t->catalog ? t->catalog : "", t->db, t->name);
    dbref = imp_fmt(r, "lf:%s/%s", t->catalog ? t->catalog : "", t->db);
    dbent = imp_fmt(r, "%s (database, inherited)%s", dbref, t->partial ? IMP_PARTIAL : "");
    ds = imp_ds(r, dsname, imp_fmt(r, "glue:%s/%s/%s", t->catalog ? t->catalog : "", t->db,
                                   t->name), file);
    if (ds == SM_NONE || !ref || !dbref || !dbent)
        return SM_ENOMEM;
    if (r->region)
        imp_region(r, ds, r->region, "--region (the catalog's region)", file);
    if (!t->partial &&
        ((rc = imp_carrier(r, ds, ref)) || (t->dbtags && (rc = imp_carrier(r, ds, dbref)))))
        return rc;
    if (t->partial && !(ref = imp_fmt(r, "%s" IMP_PARTIAL, ref)))
        return SM_ENOMEM;
    /* table level: its own tags, then database tags it does not override */
    if ((rc = apply_pairs(r, ds, NULL, t->ttags, NULL, t->dbtags, ref, dbent, file)))
        return rc;
    {
        json_t *p;
        json_array_foreach(t->dbtags, i, p) {
            const char *key = imp_jstr(p, "TagKey");
            json_t *one;
            if (has_key(t->ttags, key))
                continue;
            one = json_pack("[O]", p);
            if (!one)
                return SM_ENOMEM;
            rc = apply_pairs(r, ds, NULL, one, NULL, NULL, dbent, dbent, file);
            json_decref(one);
            if (rc)
                return rc;
        }
    }
    /* columns: only what differs from the table's effective tags */
    eff = json_array();
    if (!eff)
        return SM_ENOMEM;
    if (json_is_array(t->ttags))
        json_array_extend(eff, t->ttags);
    {
        json_t *p;
        json_array_foreach(t->dbtags, i, p)
            if (!has_key(t->ttags, imp_jstr(p, "TagKey")))
                json_array_append(eff, p);
    }
    json_array_foreach(t->cols, i, c) {
        const char *col = imp_jstr(c, "Name");
        const char *ctx = imp_fmt(r, "LFTagsOnColumns[%zu].LFTags", i);
        if (!ctx) {
            rc = sm_error_set(err, SM_ENOMEM, "%s: out of memory", file);
            break;
        }
        if (!col || !*col) {
            rc = imp_bad(err, file, "LFTagsOnColumns[%zu] has no \"Name\"", i);
            break;
        }
        if ((rc = check_pairs(json_object_get(c, "LFTags"), file, ctx, err)) ||
            (rc = imp_field(r, ds, col)) ||
            (rc = apply_pairs(r, ds, col, json_object_get(c, "LFTags"), eff, NULL, ref, ref,
                              file)))
            break;
    }
    json_decref(eff);
    return rc;
}

/* The table get-resource-lf-tags was called for: --input or --resource-arn. */
static int
resource(struct import_run *r, const char *file, struct lf_table *t, struct sm_error *err)
{
    json_t *res = r->input ? json_object_get(r->input, "Resource") : NULL;
    json_t *tab;

    if (r->opts.resource_arn) {
        struct imp_arn a;
        if (imp_parse_arn(r, r->opts.resource_arn, &a) || strcmp(a.kind, "table"))
            return sm_error_set(err, SM_EUSAGE, "%s: %s is not a Glue table ARN "
                                "(arn:aws:glue:REGION:ACCOUNT:table/DB/TABLE)", file,
                                r->opts.resource_arn);
        t->catalog = imp_str(r, a.account);
        t->db = imp_str(r, a.db);
        t->name = imp_str(r, a.table);
        if (!r->region)
            r->region = imp_region_id(r, "aws", a.region);
        return SM_OK;
    }
    if (!res)
        return sm_error_set(err, SM_EUSAGE,
                            "%s: get-resource-lf-tags output does not say which table it "
                            "describes; give --input FILE (the call's --cli-input-json) or "
                            "--resource-arn ARN", file);
    tab = json_object_get(res, "Table");
    if (!tab)
        tab = json_object_get(res, "TableWithColumns");
    if (!json_is_object(tab) || !imp_jstr(tab, "DatabaseName") ||
        (!imp_jstr(tab, "Name") && !json_object_get(tab, "TableWildcard")))
        return sm_error_set(err, SM_EUSAGE, "%s: the --input resource is not a table "
                            "(Resource.Table {DatabaseName, Name})", r->opts.input
                                ? r->opts.input : "input");
    t->catalog = imp_jstr(tab, "CatalogId");
    if (!t->catalog)
        t->catalog = imp_jstr(r->input, "CatalogId");
    t->db = imp_jstr(tab, "DatabaseName");
    t->name = imp_jstr(tab, "Name") ? imp_jstr(tab, "Name") : "*";
    return SM_OK;
}

static int
lf_parse(struct import_run *r, struct sm_error *err)
{
    int rc = SM_OK;

    for (int i = 0; i < r->nfiles && !rc; i++) {
        const struct imp_file *f = &r->files[i];
        json_t *list = json_object_get(f->root, "TableList"), *v;
        size_t k;
        if (json_object_get(f->root, "DatabaseList")) {
            json_array_foreach(json_object_get(f->root, "DatabaseList"), k, v)
                imp_skip(r, "LF database", "database tags reach tables through "
                         "search-tables-by-lf-tags or get-resource-lf-tags");
            continue;
        }
        if (list) {
            json_array_foreach(list, k, v) {
                json_t *tab = json_object_get(v, "Table");
                struct lf_table t = {
                    .catalog = imp_jstr(tab, "CatalogId"), .db = imp_jstr(tab, "DatabaseName"),
                    .name = imp_jstr(tab, "Name"),
                    .dbtags = json_object_get(v, "LFTagOnDatabase"),
                    .ttags = json_object_get(v, "LFTagsOnTable"),
                    .cols = json_object_get(v, "LFTagsOnColumns"),
                    .partial = true,
                };
                if (!t.db || !t.name) {
                    rc = imp_bad(err, f->name, "TableList[%zu].Table needs DatabaseName and "
                                 "Name", k);
                    break;
                }
                if ((rc = lf_table(r, &t, f->name, err)))
                    break;
            }
            continue;
        }
        if (json_object_size(f->root) == 0)
            continue;
        struct lf_table t = {
            .dbtags = json_object_get(f->root, "LFTagOnDatabase"),
            .ttags = json_object_get(f->root, "LFTagsOnTable"),
            .cols = json_object_get(f->root, "LFTagsOnColumns"),
        };
        if ((rc = resource(r, f->name, &t, err)))
            break;
        rc = lf_table(r, &t, f->name, err);
    }
    if (rc == SM_ENOMEM)
        sm_error_set(err, SM_ENOMEM, "lf-tags import: out of memory");
    return rc;
}

const struct importer_ops importer_lf = {
    .name = "lf-tags",
    .summary = "aws lakeformation get-resource-lf-tags or search-tables-by-lf-tags output",
    .detect = lf_detect,
    .parse = lf_parse,
};
