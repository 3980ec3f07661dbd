/*
 * import_terraform.c - `terraform show -json` output: state (values) and
 * saved plans (planned_values, resource_changes, prior_state,
 * configuration) become copies of datasets (doc/import.md, "Terraform").
 *
 * A resource belongs to the dataset its tag (label) `sovmap-dataset` names
 * (key matched case-insensitively, configurable in the mapping file) or the
 * mapping file's terraform.addresses. Its region comes from its own
 * attributes (region, bucket_region, location, the ARN) or its provider
 * configuration, never from a name. Replication settings add copies;
 * values known only after apply are reported, never guessed. Data sources
 * are ignored. Depends on import.c and data/cloud-replication.json only.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_int.h"

struct tf_res {
    const char *addr;           /* absolute address, unique per instance */
    const char *module;         /* "" or "module.a.module.b[\"x\"]" */
    const char *type;
    const char *file;
    json_t *values;             /* this view's attribute values, or NULL */
    json_t *unknown;            /* after_unknown (after view of a plan), or NULL */
    json_t *cfg;                /* its config resource, or NULL */
    const char *region;         /* region id, or NULL */
    bool region_unknown;        /* an attribute that would say is unknown until apply */
    int32_t ds;                 /* dataset record, SM_NONE */
    bool destination;           /* a replication destination: not skipped untagged */
};

struct tf {
    struct import_run *r;
    struct tf_res *res;
    int32_t nres, cap_res;
    struct sm_map by_addr;
    json_t *repl;               /* data/cloud-replication.json or NULL */
    /* the current file */
    const char *file;
    json_t *config;             /* configuration.root_module or NULL */
    json_t *providers;          /* configuration.provider_config or NULL */
    json_t *vars;               /* plan variables or NULL */
    int ndata;
};

/* ---- detection ------------------------------------------------------------------- */

static bool
tf_detect(const void *p)
{
    const json_t *root = p;

    return json_is_object(root) && json_is_string(json_object_get(root, "format_version")) &&
           (json_object_get(root, "values") || json_object_get(root, "planned_values") ||
            json_object_get(root, "resource_changes") || json_object_get(root, "prior_state"));
}

/* ---- JSON paths: "rule.0.destination.0.bucket" ------------------------------------ */

static json_t *
jpath(json_t *v, const char *path)
{
    char part[128]; /* bounded: a key of a literal path, <= 39 bytes */

    while (v && *path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof part)
            return NULL;
        memcpy(part, path, n);
        part[n] = 0;
        path += n + (path[n] == '.');
        if (json_is_array(v) && isdigit((unsigned char)part[0]))
            v = json_array_get(v, (size_t)strtoul(part, NULL, 10));
        else if (json_is_object(v))
            v = json_object_get(v, part);
        else
            return NULL;
    }
    return v;
}

static const char *
jstr(json_t *v, const char *path)
{
    const char *s = json_string_value(jpath(v, path));

    return s && *s ? s : NULL;
}

static bool
unknown_at(const struct tf_res *t, const char *path)
{
    return t->unknown && json_is_true(jpath(t->unknown, path));
}

/* ---- resources and their configuration -------------------------------------------- */

static int
add_res(struct tf *tf, json_t *o, const char *module)
{
    struct import_run *r = tf->r;
    const char *addr = imp_jstr(o, "address"), *mode = imp_jstr(o, "mode");
    struct tf_res *t;

    if (!addr || !imp_jstr(o, "type"))
        return SM_OK;
    if (mode && strcmp(mode, "managed")) {
        tf->ndata++;
        return SM_OK;
    }
    if (json_is_string(json_object_get(o, "deposed_key")))
        imp_note(r, false, "%s: a deposed object (left by a replacement) still exists; counted "
                 "once with its current object", addr);
    if (sm_map_get(&tf->by_addr, addr) != SM_NONE)
        return SM_OK;
    if (sm_grow((void **)&tf->res, &tf->cap_res, tf->nres + 1, sizeof *tf->res))
        return SM_ENOMEM;
    t = &tf->res[tf->nres];
    memset(t, 0, sizeof *t);
    t->addr = imp_str(r, addr);
    t->module = imp_str(r, module);
    t->type = imp_str(r, imp_jstr(o, "type"));
    t->file = tf->file;
    t->values = json_object_get(o, "values");
    t->ds = SM_NONE;
    if (!t->addr || !t->module || !t->type || sm_map_put(&tf->by_addr, t->addr, tf->nres))
        return SM_ENOMEM;
    tf->nres++;
    return SM_OK;
}

static int
walk_module(struct tf *tf, json_t *mod, const char *module)
{
    json_t *v;
    size_t i;
    int rc;

    if (!json_is_object(mod))
        return SM_OK;
    json_array_foreach(json_object_get(mod, "resources"), i, v)
        if ((rc = add_res(tf, v, module)))
            return rc;
    json_array_foreach(json_object_get(mod, "child_modules"), i, v) {
        const char *a = imp_jstr(v, "address");
        if ((rc = walk_module(tf, v, a ? a : module)))
            return rc;
    }
    return SM_OK;
}

/* The config resource of t (terraform.md section 6): walk module_calls by
 * the module path without instance keys, then match the module-relative
 * address without its instance key. */
static json_t *
find_cfg(const struct tf *tf, const struct tf_res *t)
{
    json_t *mod = tf->config, *v;
    const char *p = t->module, *rel = t->addr, *name;
    size_t i, n;

    if (!mod)
        return NULL;
    while (*p) {
        if (strncmp(p, "module.", 7))
            return NULL;
        p += 7;
        n = strcspn(p, ".[");
        if (!(name = imp_fmt(tf->r, "%.*s", (int)n, p)))
            return NULL;
        p += n;
        if (*p == '[')
            p = strchr(p, ']') ? strchr(p, ']') + 1 : p + strlen(p);
        if (*p == '.')
            p++;
        mod = jpath(json_object_get(json_object_get(mod, "module_calls"), name), "module");
        if (!mod)
            return NULL;
    }
    if (*t->module)
        rel = t->addr + strlen(t->module) + 1;
    n = strcspn(rel, "[");
    json_array_foreach(json_object_get(mod, "resources"), i, v) {
        const char *a = imp_jstr(v, "address");
        if (a && strlen(a) == n && strncmp(a, rel, n) == 0)
            return v;
    }
    return NULL;
}

/* The resource a config expression refers to ("aws_s3_bucket.orders.id"),
 * in t's module; the first instance when it has several. */
static struct tf_res *
cfg_ref(struct tf *tf, const struct tf_res *t, const char *path)
{
    json_t *refs = jpath(t->cfg ? json_object_get(t->cfg, "expressions") : NULL, path);
    json_t *v;
    size_t i;

    json_array_foreach(json_object_get(refs, "references"), i, v) {
        const char *s = json_string_value(v), *dot;
        char *addr;
        int32_t k;
        if (!s || strncmp(s, "var.", 4) == 0 || strncmp(s, "module.", 7) == 0 ||
            strncmp(s, "data.", 5) == 0 || !(dot = strchr(s, '.')))
            continue;
        dot = dot + strcspn(dot + 1, ".[") + 1;
        addr = (char *)imp_fmt(tf->r, "%s%s%.*s", t->module, *t->module ? "." : "",
                               (int)(dot - s), s);
        if (!addr)
            return NULL;
        if ((k = sm_map_get(&tf->by_addr, addr)) != SM_NONE)
            return &tf->res[k];
        for (k = 0; k < tf->nres; k++)
            if (strncmp(tf->res[k].addr, addr, strlen(addr)) == 0 &&
                tf->res[k].addr[strlen(addr)] == '[')
                return &tf->res[k];
    }
    return NULL;
}

/* The region its provider configuration sets (section 7 step 3), or NULL. */
static const char *
provider_region(struct tf *tf, const struct tf_res *t)
{
    const char *key = t->cfg ? imp_jstr(t->cfg, "provider_config_key") : NULL;
    json_t *pc = key ? json_object_get(tf->providers, key) : NULL;
    json_t *e = jpath(pc, "expressions.region");
    const char *s;

    if (!e)
        return NULL;
    if ((s = json_string_value(json_object_get(e, "constant_value"))) && *s)
        return s;
    s = json_string_value(json_array_get(json_object_get(e, "references"), 0));
    if (s && strncmp(s, "var.", 4) == 0 && !json_object_get(pc, "module_address"))
        return jstr(tf->vars, imp_fmt(tf->r, "%s.value", s + 4));
    return NULL;
}

/* "azure:brazilsouth" from "Brazil South"; gcp codes lower-cased. In the
 * run's arena, whatever its length; NULL for none or out of memory. */
static const char *
region_of(struct import_run *r, const char *provider, const char *loc)
{
    char *id, *w;

    if (!loc || !*loc || !(id = (char *)imp_fmt(r, "%s:%s", provider, loc)))
        return NULL;
    w = id + strlen(provider) + 1;
    for (const char *p = w; *p; p++)
        if (*p != ' ')
            *w++ = (char)tolower((unsigned char)*p);
    *w = 0;
    return id;
}

/* arn:PARTITION:SERVICE:REGION:... -> "aws:REGION", or NULL (S3 ARNs). */
static const char *
arn_region(struct import_run *r, const char *arn)
{
    const char *p = arn;

    if (!arn || strncmp(arn, "arn:", 4))
        return NULL;
    for (int i = 0; i < 3; i++)
        if (!(p = strchr(p, ':')) || !*++p)
            return NULL;
    if (*p == ':')
        return NULL;
    return imp_fmt(r, "aws:%.*s", (int)strcspn(p, ":"), p);
}

static const char *
provider_of(const char *type)
{
    if (strncmp(type, "aws_", 4) == 0)
        return "aws";
    if (strncmp(type, "azurerm_", 8) == 0)
        return "azure";
    if (strncmp(type, "google_", 7) == 0)
        return "gcp";
    return NULL;
}

/* Section 7: own attributes, the ARN, the provider configuration. */
static void
resolve_region(struct tf *tf, struct tf_res *t)
{
    struct import_run *r = tf->r;
    const char *prov = provider_of(t->type), *s;

    if (!prov || !t->values)
        return;
    if (strcmp(prov, "aws") == 0) {
        if ((s = jstr(t->values, "bucket_region")) || (s = jstr(t->values, "region"))) {
            t->region = region_of(r, "aws", s);
            return;
        }
        t->region_unknown = unknown_at(t, "bucket_region") || unknown_at(t, "region");
        if ((t->region = arn_region(r, jstr(t->values, "arn"))))
            return;
    } else if (strcmp(prov, "azure") == 0) {
        if ((s = jstr(t->values, "location"))) {
            t->region = region_of(r, "azure", s);
            return;
        }
        t->region_unknown = unknown_at(t, "location");
        /* a database has no location of its own: its server's */
        if ((s = jstr(t->values, "server_id"))) {
            for (int32_t i = 0; i < tf->nres; i++)
                if (!strcmp(tf->res[i].type, "azurerm_mssql_server") &&
                    jstr(tf->res[i].values, "id") && !strcmp(jstr(tf->res[i].values, "id"), s))
                    t->region = region_of(r, "azure", jstr(tf->res[i].values, "location"));
        } else if (!strcmp(t->type, "azurerm_mssql_database")) {
            struct tf_res *srv = cfg_ref(tf, t, "server_id");
            if (srv)
                t->region = region_of(r, "azure", jstr(srv->values, "location"));
            t->region_unknown |= unknown_at(t, "server_id") && !t->region;
        }
        return;             /* azurerm has no provider-level region */
    } else {
        if ((s = jstr(t->values, "region")) || (s = jstr(t->values, "location"))) {
            t->region = region_of(r, "gcp", s);
            return;
        }
        t->region_unknown = unknown_at(t, "region") || unknown_at(t, "location");
    }
    if ((s = provider_region(tf, t)))
        t->region = region_of(r, prov, s);
}

/* ---- datasets -------------------------------------------------------------------- */

static const char *
tag_value(json_t *tags, const char *key)
{
    const char *k;
    json_t *v;

    json_object_foreach(tags, k, v)
        if (strcasecmp(k, key) == 0 && json_is_string(v) && *json_string_value(v))
            return json_string_value(v);
    return NULL;
}

/* The dataset a resource names: the mapping file's address entry (the
 * instance, then the resource), else its tag or label. */
static const char *
dataset_named(struct tf *tf, const struct tf_res *t)
{
    const struct import_map *map = tf->r->map;
    const char *key = import_map_tf_tag_key(map), *s;
    static const char *const where[] = {
        "tags_all", "tags", "terraform_labels", "effective_labels", "labels",
        "settings.0.user_labels", NULL
    };

    if ((s = import_map_tf_dataset(map, t->addr)))
        return s;
    if (strchr(t->addr, '[')) {
        const char *base = imp_fmt(tf->r, "%.*s", (int)strcspn(t->addr, "["), t->addr);
        if (base && (s = import_map_tf_dataset(map, base)))
            return s;
    }
    for (int i = 0; where[i]; i++)
        if ((s = tag_value(jpath(t->values, where[i]), key)))
            return s;
    return NULL;
}

/* The resource's tags (labels) through the mapping file's rules for
 * "terraform": a matched tag classifies the dataset (data-tier=tier1 ->
 * restricted) or adds a mapped tag; unmatched tags (Name, team, cost
 * centres) are infrastructure, not data labels, and are not kept. The
 * resource carries its tags: one no longer there is removed on re-import. */
static int
map_tags(struct tf *tf, struct tf_res *t)
{
    static const char *const where[] = {
        "tags_all", "tags", "terraform_labels", "effective_labels", "labels",
        "settings.0.user_labels", NULL
    };
    struct import_run *r = tf->r;
    const char *key = import_map_tf_tag_key(r->map), *k;
    json_t *tags = NULL, *v;
    int rc;

    for (int i = 0; where[i] && !json_object_size(tags); i++)
        tags = jpath(t->values, where[i]);
    if ((rc = imp_carrier(r, t->ds, t->addr)))
        return rc;
    json_object_foreach(tags, k, v) {
        struct import_mapped mp;
        if (!json_is_string(v) || strcasecmp(k, key) == 0)
            continue;
        import_map_label(r->map, IMPORT_FROM_TERRAFORM, k, json_string_value(v), NULL, false,
                         &mp);
        rc = mp.matched && !mp.ignore
           ? imp_label(r, t->ds, NULL, IMPORT_FROM_TERRAFORM, k, json_string_value(v), NULL,
                       false, t->addr, t->file, NULL)
           : SM_OK;
        import_mapped_fini(&mp);
        if (rc)
            return rc;
    }
    return SM_OK;
}

/* The dataset a resource names, if the name can be one: '@' is reserved
 * for copies (the model refuses it), which would fail the whole import. */
static const char *
dataset_of(struct tf *tf, const struct tf_res *t)
{
    const char *name = dataset_named(tf, t);

    if (name && strchr(name, '@')) {
        imp_note(tf->r, false, "%s: dataset name %s: '@' is reserved for copies; resource not "
                 "imported", t->addr, name);
        return NULL;
    }
    return name;
}

static int32_t
ds_for(struct tf *tf, struct tf_res *t, const char *name)
{
    struct import_run *r = tf->r;

    if (t->ds == SM_NONE) {
        t->ds = imp_ds(r, name, imp_fmt(r, "terraform:%s", t->addr), t->file);
        if (t->ds != SM_NONE && !r->ds[t->ds].no_region_why)
            r->ds[t->ds].no_region_why = "the resources naming it have no known region";
        if (t->ds != SM_NONE && map_tags(tf, t))
            return SM_NONE;
    }
    return t->ds;
}

/* ---- keys ------------------------------------------------------------------------- */

/* "aws:eu-north-1" and "aws:eu-west-1" share the geography prefix "eu". */
static bool
same_geo(const char *a, const char *b)
{
    size_t n = strcspn(a, "-");

    return n == strcspn(b, "-") && strncmp(a, b, n) == 0;
}

/* A multi-Region key (key id mrk-...): its material is in every region
 * of an aws_kms_key / aws_kms_replica_key with that key id in the input.
 * A placement holds one key region, so the copy gets the one the checker
 * must see: a region of another geography (us- for an eu- copy) before
 * another region of its own, before its own. */
static const char *
mrk_region(struct tf *tf, const char *key, const char *own, const char *near)
{
    const char *id = strstr(key, "key/mrk-"), *best = own;

    if (!id || !near)
        return own;
    id += 4;
    for (int32_t i = 0; i < tf->nres; i++) {
        struct tf_res *k = &tf->res[i];
        const char *kid = jstr(k->values, "key_id");
        if ((strcmp(k->type, "aws_kms_key") && strcmp(k->type, "aws_kms_replica_key")) ||
            !kid || strcmp(kid, id) || !k->region || !strcmp(k->region, near))
            continue;
        imp_note(tf->r, false, "multi-Region key %s: its material is also in %s (%s)", id,
                 k->region, k->addr);
        if (!best || !strcmp(best, near) || (same_geo(best, near) && !same_geo(k->region, near)))
            best = k->region;
    }
    return best;
}

/* Region of a key: an AWS key ARN, a key id / alias ARN of a key in the
 * input, a GCP key name. NULL and *unknown for a key whose place is not
 * written anywhere in the input. near: the region of the copy it encrypts
 * (a multi-Region key held elsewhere too answers that other region). */
static const char *
key_region(struct tf *tf, const char *key, const char *near, bool *unknown)
{
    struct import_run *r = tf->r;
    const char *s;

    *unknown = false;
    if (!key || !*key)
        return NULL;
    if (strncmp(key, "arn:", 4) == 0 && (s = arn_region(r, key)))
        return mrk_region(tf, key, s, near);
    if (strncmp(key, "projects/", 9) == 0 && (s = strstr(key, "/locations/"))) {
        s += 11;
        return imp_fmt(r, "gcp:%.*s", (int)strcspn(s, "/"), s);
    }
    for (int32_t i = 0; i < tf->nres; i++) {
        struct tf_res *k = &tf->res[i];
        const char *id = jstr(k->values, "key_id"), *arn = jstr(k->values, "arn");
        if (strcmp(k->type, "aws_kms_key") && strcmp(k->type, "aws_kms_replica_key"))
            continue;
        if ((id && strcmp(id, key) == 0) || (arn && strcmp(arn, key) == 0))
            return k->region;
    }
    *unknown = true;
    return NULL;
}

/* The key region of a resource attribute, the config reference when the
 * value is unknown until apply. */
static const char *
attr_key(struct tf *tf, struct tf_res *t, const char *path, const char *near)
{
    bool unknown;
    const char *s = key_region(tf, jstr(t->values, path), near, &unknown);
    struct tf_res *k;

    if (s)
        return s;
    if (unknown)
        imp_note(tf->r, false, "%s: key %s is not in the input; its region is unknown",
                 t->addr, jstr(t->values, path));
    if (!jstr(t->values, path) && unknown_at(t, path)) {
        if ((k = cfg_ref(tf, t, path)) && k->region)
            return k->region;
        tf->r->stats.unknown++;
        imp_note(tf->r, false, "%s: %s known only after apply; key region not guessed",
                 t->addr, path);
    }
    return NULL;
}

/* ---- copies ------------------------------------------------------------------------ */

static int
copy(struct tf *tf, struct tf_res *t, int32_t ds, const char *region, int role,
     const char *key, int encrypted, const char *via)
{
    const char *entity = via ? imp_fmt(tf->r, "%s via %s", t->addr, via) : t->addr;

    if (!entity)
        return SM_ENOMEM;
    return imp_copy(tf->r, ds, region, role, key, encrypted, entity, t->file);
}

static void
region_unknown(struct tf *tf, const struct tf_res *t, const char *name)
{
    if (t->region_unknown) {
        tf->r->stats.unknown++;
        imp_note(tf->r, false, "%s (%s): region known only after apply and not set by its "
                 "provider configuration; not guessed", t->addr, name);
    } else {
        imp_note(tf->r, false, "%s (%s): no region in its attributes, ARN or provider "
                 "configuration; not guessed", t->addr, name);
    }
}

/* A GCP location: a region, a dual- or multi-region from regions.json, a
 * custom dual-region (its data_locations are the copies). */
static int
gcp_location(struct tf *tf, struct tf_res *t, int32_t ds, const char *name, int role,
             const char *loc, const char *key)
{
    json_t *dl = jpath(t->values, "custom_placement_config.0.data_locations"), *v;
    size_t i;
    int rc;

    if (json_array_size(dl)) {
        json_array_foreach(dl, i, v) {
            const char *s = json_string_value(v);
            char *reg;
            size_t n;
            if (!s || !(reg = (char *)imp_str(tf->r, s)))
                continue;
            /* "US-CENTRAL1-B" (a zone) -> us-central1 */
            n = strlen(reg);
            if (n > 2 && reg[n - 2] == '-' && isalpha((unsigned char)reg[n - 1]) &&
                isdigit((unsigned char)reg[n - 3]))
                reg[n - 2] = 0;
            if ((rc = copy(tf, t, ds, region_of(tf->r, "gcp", reg), role, key, 1, NULL)))
                return rc;
        }
        return SM_OK;
    }
    if (!loc) {
        region_unknown(tf, t, name);
        return SM_OK;
    }
    if (strcasecmp(loc, "asia") == 0) {
        imp_note(tf->r, false, "%s (%s): multi-region ASIA has no published member "
                 "countries; not imported", t->addr, name);
        return SM_OK;
    }
    return copy(tf, t, ds, region_of(tf->r, "gcp", loc), role, key, 1, NULL);
}

static const char *
azure_pair(struct tf *tf, const char *code, bool *known)
{
    json_t *v;
    size_t i;

    *known = false;
    json_array_foreach(json_object_get(tf->repl, "azure_pairs"), i, v) {
        const char *reg = imp_jstr(v, "region");
        if (reg && strcmp(reg, code) == 0) {
            *known = true;
            return imp_jstr(v, "pair");
        }
    }
    return NULL;
}

/* Cosmos DB periodic backups: geo-redundant storage (the default) is
 * "replicated to a paired region" (cloud-replication.md,
 * ms-cosmos-backup-redundancy): a backup copy in the account location's
 * pair. Continuous backups and Local/Zone redundancy stay in the region. */
static int
cosmos_backup(struct tf *tf, struct tf_res *t, int32_t ds, const char *name)
{
    const char *type = jstr(t->values, "backup.0.type");
    const char *red = jstr(t->values, "backup.0.storage_redundancy");
    const char *loc = jstr(t->values, "location"), *pair;
    bool known;

    if (!type || strcasecmp(type, "Periodic") || (red && strcasecmp(red, "Geo")) || !loc)
        return SM_OK;
    loc = region_of(tf->r, "azure", loc);
    if (!loc)
        return SM_ENOMEM;
    if ((pair = azure_pair(tf, strchr(loc, ':') + 1, &known)))
        return copy(tf, t, ds, region_of(tf->r, "azure", pair), ROLE_BACKUP, NULL, 1,
                    "geo-redundant periodic backups");
    imp_note(tf->r, false, "%s (%s): geo-redundant periodic backups but %s has %s; their region "
             "is unknown", t->addr, name, loc, known ? "no paired region" : "no entry in "
             "cloud-replication.json");
    return SM_OK;
}

static int
storage_copies(struct tf *tf, struct tf_res *t, const char *name)
{
    struct import_run *r = tf->r;
    int32_t ds = ds_for(tf, t, name);
    const char *ty = t->type, *key = NULL, *s;
    json_t *v;
    size_t i;
    int rc, enc = 1;

    if (ds == SM_NONE)
        return SM_ENOMEM;
    if (strcmp(ty, "google_storage_bucket") == 0) {
        key = attr_key(tf, t, "encryption.0.default_kms_key_name", NULL);
        return gcp_location(tf, t, ds, name, ROLE_PRIMARY, jstr(t->values, "location"), key);
    }
    if (strcmp(ty, "google_bigquery_dataset") == 0) {
        key = attr_key(tf, t, "default_encryption_configuration.0.kms_key_name", NULL);
        return gcp_location(tf, t, ds, name, ROLE_PRIMARY, jstr(t->values, "location"), key);
    }
    if (strcmp(ty, "azurerm_cosmosdb_account") == 0) {
        if ((rc = cosmos_backup(tf, t, ds, name)))
            return rc;
        json_array_foreach(json_object_get(t->values, "geo_location"), i, v) {
            json_t *fp = json_object_get(v, "failover_priority");
            if (!(s = imp_jstr(v, "location")))
                continue;
            if ((rc = copy(tf, t, ds, region_of(r, "azure", s),
                           json_integer_value(fp) == 0 ? ROLE_PRIMARY : ROLE_REPLICA, NULL, 1,
                           NULL)))
                return rc;
        }
        if (json_array_size(json_object_get(t->values, "geo_location")))
            return SM_OK;
    }
    if (!t->region) {
        region_unknown(tf, t, name);
        return SM_OK;
    }
    if (strcmp(ty, "aws_s3_bucket") == 0) {
        key = attr_key(tf, t, "server_side_encryption_configuration.0.rule.0."
                       "apply_server_side_encryption_by_default.0.kms_master_key_id", t->region);
    } else if (strcmp(ty, "aws_db_instance") == 0 || strcmp(ty, "aws_rds_cluster") == 0) {
        key = attr_key(tf, t, "kms_key_id", t->region);
        if (json_is_false(json_object_get(t->values, "storage_encrypted")))
            enc = 0;
    } else if (strcmp(ty, "aws_dynamodb_table") == 0) {
        key = attr_key(tf, t, "server_side_encryption.0.kms_key_arn", t->region);
    } else if (strcmp(ty, "google_sql_database_instance") == 0) {
        key = attr_key(tf, t, "encryption_key_name", NULL);
    }
    if (!strcmp(ty, "aws_db_instance") && jstr(t->values, "replicate_source_db"))
        return copy(tf, t, ds, t->region, ROLE_REPLICA, key, enc, NULL);
    if (!strcmp(ty, "aws_rds_cluster") && (jstr(t->values, "replication_source_identifier") ||
                                           (jstr(t->values, "global_cluster_identifier") &&
                                            !dataset_of(tf, t))))
        return copy(tf, t, ds, t->region, ROLE_REPLICA, key, enc, NULL);
    if (!strcmp(ty, "google_sql_database_instance") && jstr(t->values, "master_instance_name"))
        return copy(tf, t, ds, t->region, ROLE_REPLICA, key, enc, NULL);
    if (!strcmp(ty, "azurerm_mssql_database") && (s = jstr(t->values, "create_mode")) &&
        (!strcmp(s, "Secondary") || !strcmp(s, "OnlineSecondary")))
        return copy(tf, t, ds, t->region, ROLE_REPLICA, key, enc, NULL);
    if ((rc = copy(tf, t, ds, t->region, ROLE_PRIMARY, key, enc, NULL)))
        return rc;
    if (strcmp(ty, "aws_dynamodb_table") == 0) {
        json_array_foreach(json_object_get(t->values, "replica"), i, v) {
            bool unk;
            const char *k;
            if (!(s = imp_jstr(v, "region_name")))
                continue;
            k = key_region(tf, imp_jstr(v, "kms_key_arn"), region_of(r, "aws", s), &unk);
            if ((rc = copy(tf, t, ds, region_of(r, "aws", s), ROLE_REPLICA, k, 1, NULL)))
                return rc;
        }
        /* a multi-Region strong-consistency witness: what it keeps is not
         * documented, so it counts as a location that receives data */
        if ((s = jstr(t->values, "global_table_witness.0.region_name")) &&
            (rc = copy(tf, t, ds, region_of(r, "aws", s), ROLE_REPLICA, NULL, 1,
                       "global_table_witness")))
            return rc;
    } else if (strcmp(ty, "azurerm_storage_account") == 0) {
        const char *rt = jstr(t->values, "account_replication_type"), *sec;
        if (rt && (!strcasecmp(rt, "GRS") || !strcasecmp(rt, "RAGRS") ||
                   !strcasecmp(rt, "GZRS") || !strcasecmp(rt, "RAGZRS"))) {
            bool known;
            const char *code = strchr(t->region, ':') + 1;
            if ((sec = jstr(t->values, "secondary_location")))
                return copy(tf, t, ds, region_of(r, "azure", sec), ROLE_REPLICA, NULL, 1,
                            "secondary_location");
            if ((sec = azure_pair(tf, code, &known)))
                return copy(tf, t, ds, region_of(r, "azure", sec), ROLE_REPLICA, NULL, 1,
                            "the region pair");
            imp_note(r, false, "%s (%s): %s keeps a secondary copy but %s has %s; its region "
                     "is unknown", t->addr, name, rt, t->region,
                     known ? "no paired region" : "no entry in cloud-replication.json");
        }
    } else if (strcmp(ty, "google_sql_database_instance") == 0 &&
               (s = jstr(t->values, "settings.0.backup_configuration.0.location"))) {
        return gcp_location(tf, t, ds, name, ROLE_BACKUP, s, key);
    }
    return SM_OK;
}

/* The bucket resource called name (its `bucket` attribute), or NULL. */
static struct tf_res *
bucket_named(struct tf *tf, const char *name)
{
    for (int32_t i = 0; name && i < tf->nres; i++)
        if (!strcmp(tf->res[i].type, "aws_s3_bucket")) {
            const char *b = jstr(tf->res[i].values, "bucket");
            if (b && !strcmp(b, name))
                return &tf->res[i];
        }
    return NULL;
}

/* aws_s3_bucket_replication_configuration: the source bucket's dataset
 * gets a replica in each destination bucket's region. */
static int
s3_replication(struct tf *tf, struct tf_res *t, bool mark_only)
{
    struct import_run *r = tf->r;
    struct tf_res *src = bucket_named(tf, jstr(t->values, "bucket")), *dst;
    json_t *rule;
    size_t i;
    int rc;

    if (!src && !jstr(t->values, "bucket"))
        src = cfg_ref(tf, t, "bucket");
    json_array_foreach(json_object_get(t->values, "rule"), i, rule) {
        const char *arn = jstr(rule, "destination.0.bucket"), *key;
        char path[64]; /* bounded: 28 bytes + a size_t */
        bool unk;
        snprintf(path, sizeof path, "rule.%zu.destination.0.bucket", i);
        dst = arn ? bucket_named(tf, strrchr(arn, ':') ? strrchr(arn, ':') + 1 : arn)
                  : cfg_ref(tf, t, path);
        if (dst)
            dst->destination = true;
        if (mark_only)
            continue;
        if (!src || src->ds == SM_NONE) {
            imp_note(r, false, "%s: its source bucket is %s; replication not imported", t->addr,
                     src ? "not tagged with a dataset" : "not in the input");
            continue;
        }
        if (!dst || !dst->region) {
            if (!arn && unknown_at(t, path) && !dst)
                r->stats.unknown++;
            imp_note(r, false, "%s: destination %s is %s; the replica's region is unknown, not "
                     "guessed", t->addr, arn ? arn : "(known only after apply)",
                     dst ? "a bucket without a known region" : "not in the input");
            continue;
        }
        key = key_region(tf, jstr(rule, "destination.0.encryption_configuration.0."
                                  "replica_kms_key_id"), dst->region, &unk);
        if ((rc = copy(tf, dst, src->ds, dst->region, ROLE_REPLICA, key, 1, t->addr)))
            return rc;
    }
    return SM_OK;
}

/* aws_s3_bucket_server_side_encryption_configuration: the bucket's key. */
static int
s3_encryption(struct tf *tf, struct tf_res *t)
{
    struct tf_res *b = bucket_named(tf, jstr(t->values, "bucket"));
    json_t *rule;
    size_t i;

    if (!b && !jstr(t->values, "bucket"))
        b = cfg_ref(tf, t, "bucket");
    if (!b || b->ds == SM_NONE || !b->region)
        return SM_OK;
    json_array_foreach(json_object_get(t->values, "rule"), i, rule) {
        char path[96]; /* bounded: 66 bytes + a size_t */
        const char *key;
        snprintf(path, sizeof path, "rule.%zu.apply_server_side_encryption_by_default.0."
                 "kms_master_key_id", i);
        if ((key = attr_key(tf, t, path, b->region)))
            return copy(tf, b, b->ds, b->region, ROLE_PRIMARY, key, 1, t->addr);
    }
    return SM_OK;
}

/* aws_glue_catalog_table: a catalogue entry, not storage. Only when the
 * mapping file maps its address to a dataset is it a copy, in the region
 * of the bucket behind storage_descriptor[0].location (that bucket in the
 * input, else the mapping file's bucket map); the table's own region is
 * where the catalogue is, not the data. */
static int
glue_table(struct tf *tf, struct tf_res *t)
{
    struct import_run *r = tf->r;
    const char *name = dataset_of(tf, t), *loc, *bucket, *reg = NULL, *why = NULL;
    struct tf_res *br;
    int32_t ds;

    if (!name)
        return SM_OK;
    if ((ds = ds_for(tf, t, name)) == SM_NONE)
        return SM_ENOMEM;
    loc = jstr(t->values, "storage_descriptor.0.location");
    if (loc) {
        if ((bucket = imp_s3_bucket(r, loc)) && (br = bucket_named(tf, bucket)) && br->region)
            reg = br->region;
        else
            reg = imp_location_region(r, loc, &why);
    }
    if (!reg) {
        imp_note(r, false, "%s (%s): the bucket behind %s has no known region; not guessed",
                 t->addr, name, loc ? loc : "(no storage location)");
        return SM_OK;
    }
    return copy(tf, t, ds, reg, ROLE_PRIMARY, NULL, 1, NULL);
}

/* RDS read replicas without a tag of their own: their source's dataset. */
static int32_t
source_ds(struct tf *tf, const struct tf_res *t)
{
    const char *src = NULL, *attr = NULL;

    if (!strcmp(t->type, "aws_db_instance"))
        src = jstr(t->values, "replicate_source_db"), attr = "identifier";
    else if (!strcmp(t->type, "google_sql_database_instance"))
        src = jstr(t->values, "master_instance_name"), attr = "name";
    else if (!strcmp(t->type, "azurerm_mssql_database"))
        src = jstr(t->values, "creation_source_database_id"), attr = "id";
    else if (!strcmp(t->type, "aws_rds_cluster") &&
             !(src = jstr(t->values, "replication_source_identifier")))
        src = jstr(t->values, "global_cluster_identifier"), attr = "global_cluster_identifier";
    else if (!strcmp(t->type, "aws_rds_cluster"))
        attr = "cluster_identifier";
    if (!src)
        return SM_NONE;
    for (int32_t i = 0; i < tf->nres; i++) {
        const struct tf_res *o = &tf->res[i];
        const char *a = jstr(o->values, "arn"), *id = jstr(o->values, attr);
        if (o != t && !strcmp(o->type, t->type) && o->ds != SM_NONE &&
            ((a && !strcmp(a, src)) || (id && !strcmp(id, src))))
            return o->ds;
    }
    return SM_NONE;
}

/* aws_backup_plan: its selections' resources get a backup copy in the
 * target vault's region and in each copy_action's vault region. */
static int
backup_plan(struct tf *tf, struct tf_res *plan)
{
    struct import_run *r = tf->r;
    const char *pid = jstr(plan->values, "id");
    json_t *rule, *v, *ca;
    size_t i, j, k;
    int rc;

    for (int32_t s = 0; s < tf->nres; s++) {
        struct tf_res *sel = &tf->res[s];
        const char *p = jstr(sel->values, "plan_id");
        if (strcmp(sel->type, "aws_backup_selection") ||
            !((p && pid && !strcmp(p, pid)) || (!p && cfg_ref(tf, sel, "plan_id") == plan)))
            continue;
        json_array_foreach(json_object_get(sel->values, "resources"), i, v) {
            const char *arn = json_string_value(v);
            struct tf_res *src = NULL;
            for (int32_t q = 0; arn && q < tf->nres && !src; q++) {
                const char *a = jstr(tf->res[q].values, "arn");
                if (a && !strcmp(a, arn) && tf->res[q].ds != SM_NONE)
                    src = &tf->res[q];
            }
            if (!src)
                continue;
            json_array_foreach(json_object_get(plan->values, "rule"), j, rule) {
                const char *vault = jstr(rule, "target_vault_name"), *reg = plan->region;
                const char *key = NULL;
                for (int32_t q = 0; vault && q < tf->nres; q++) {
                    const char *n = jstr(tf->res[q].values, "name");
                    bool unk;
                    if (!strcmp(tf->res[q].type, "aws_backup_vault") && n && !strcmp(n, vault)) {
                        reg = tf->res[q].region ? tf->res[q].region : reg;
                        key = key_region(tf, jstr(tf->res[q].values, "kms_key_arn"), reg,
                                         &unk);
                    }
                }
                if (reg && (rc = copy(tf, plan, src->ds, reg, ROLE_BACKUP, key, 1, NULL)))
                    return rc;
                json_array_foreach(json_object_get(rule, "copy_action"), k, ca) {
                    const char *d = jstr(ca, "destination_vault_arn");
                    const char *dreg = arn_region(r, d);
                    if (!dreg) {
                        imp_note(r, false, "%s: copy action to %s: region unknown", plan->addr,
                                 d ? d : "(known only after apply)");
                        continue;
                    }
                    if ((rc = copy(tf, plan, src->ds, dreg, ROLE_BACKUP, NULL, 1,
                                   "copy_action")))
                        return rc;
                }
            }
        }
    }
    return SM_OK;
}

/* The resource whose attribute attr equals value (and has a dataset when
 * with_ds), or NULL. */
static struct tf_res *
res_with(struct tf *tf, const char *type, const char *attr, const char *value, bool with_ds)
{
    for (int32_t i = 0; value && i < tf->nres; i++) {
        const char *v = jstr(tf->res[i].values, attr);
        if ((!type || !strcmp(tf->res[i].type, type)) && v && !strcmp(v, value) &&
            (!with_ds || tf->res[i].ds != SM_NONE))
            return &tf->res[i];
    }
    return NULL;
}

/* azurerm_mssql_failover_group: its databases are continuously replicated
 * to each partner server. */
static int
failover_group(struct tf *tf, struct tf_res *t)
{
    json_t *db, *ps;
    size_t i, j;
    int rc;

    json_array_foreach(json_object_get(t->values, "databases"), i, db) {
        struct tf_res *d = res_with(tf, "azurerm_mssql_database", "id", json_string_value(db),
                                    true);
        if (!d)
            continue;
        json_array_foreach(json_object_get(t->values, "partner_server"), j, ps) {
            const char *loc = imp_jstr(ps, "location");
            struct tf_res *srv;
            if (!loc && (srv = res_with(tf, "azurerm_mssql_server", "id", imp_jstr(ps, "id"),
                                        false)))
                loc = jstr(srv->values, "location");
            if (!loc) {
                imp_note(tf->r, false, "%s: partner server %s has no known location", t->addr,
                         imp_jstr(ps, "id") ? imp_jstr(ps, "id") : "(known only after apply)");
                continue;
            }
            if ((rc = copy(tf, d, d->ds, region_of(tf->r, "azure", loc), ROLE_REPLICA, NULL, 1,
                           t->addr)))
                return rc;
        }
    }
    return SM_OK;
}

/* aws_rds_global_cluster: a copy in each member cluster's region (the
 * writer primary), for its own tag or a member cluster's dataset. */
static int
global_cluster(struct tf *tf, struct tf_res *t)
{
    struct import_run *r = tf->r;
    const char *name = dataset_of(tf, t);
    int32_t ds = SM_NONE;
    json_t *m;
    size_t i;
    int rc;

    json_array_foreach(json_object_get(t->values, "global_cluster_members"), i, m) {
        struct tf_res *c = res_with(tf, "aws_rds_cluster", "arn",
                                    imp_jstr(m, "db_cluster_arn"), true);
        if (c && ds == SM_NONE)
            ds = c->ds;
    }
    if (name)
        ds = ds_for(tf, t, name);
    if (ds == SM_NONE) {
        if (json_array_size(json_object_get(t->values, "global_cluster_members")))
            imp_skip(r, t->type, "no member names a dataset");
        return SM_OK;
    }
    json_array_foreach(json_object_get(t->values, "global_cluster_members"), i, m) {
        const char *reg = arn_region(r, imp_jstr(m, "db_cluster_arn"));
        if (!reg)
            continue;
        if ((rc = copy(tf, t, ds, reg, json_is_true(json_object_get(m, "is_writer")) ?
                       ROLE_PRIMARY : ROLE_REPLICA, NULL, 1, NULL)))
            return rc;
    }
    return SM_OK;
}

static bool
is_storage(const char *type)
{
    static const char *const types[] = {
        "aws_s3_bucket", "aws_db_instance", "aws_rds_cluster", "aws_dynamodb_table",
        "azurerm_storage_account", "azurerm_cosmosdb_account", "google_storage_bucket",
        "google_bigquery_dataset", "google_sql_database_instance", "azurerm_mssql_database",
        NULL
    };

    for (int i = 0; types[i]; i++)
        if (!strcmp(type, types[i]))
            return true;
    return false;
}

/* ---- one view of the input --------------------------------------------------------- */

static int
load_file(struct tf *tf, const struct imp_file *f)
{
    struct import_run *r = tf->r;
    json_t *root = f->root, *rc_list, *v;
    const char *fv = imp_jstr(root, "format_version");
    bool plan = json_object_get(root, "planned_values") || json_object_get(root,
                                                                           "resource_changes");
    int32_t first = tf->nres;
    size_t i;
    int rc;

    if (fv && strncmp(fv, "1.", 2) && strcmp(fv, "1"))
        return SM_EINVAL;
    tf->file = f->name;
    tf->config = jpath(root, "configuration.root_module");
    tf->providers = jpath(root, "configuration.provider_config");
    tf->vars = json_object_get(root, "variables");
    if (json_is_true(json_object_get(root, "errored")))
        imp_note(r, false, "%s: the plan errored; its after view may be partial", f->name);
    if (!plan)
        rc = walk_module(tf, jpath(root, "values.root_module"), "");
    else if (r->opts.tf_before)
        rc = walk_module(tf, jpath(root, "prior_state.values.root_module"), "");
    else
        rc = walk_module(tf, jpath(root, "planned_values.root_module"), "");
    if (rc)
        return rc;
    rc_list = json_object_get(root, "resource_changes");
    json_array_foreach(rc_list, i, v) {
        const char *a = imp_jstr(v, "address");
        int32_t k = a ? sm_map_get(&tf->by_addr, a) : SM_NONE;
        if (k == SM_NONE || k < first)
            continue;
        if (r->opts.tf_before)
            continue;
        tf->res[k].unknown = jpath(v, "change.after_unknown");
    }
    for (int32_t k = first; k < tf->nres; k++) {
        tf->res[k].cfg = find_cfg(tf, &tf->res[k]);
        resolve_region(tf, &tf->res[k]);
    }
    return SM_OK;
}

static int
tf_parse(struct import_run *r, struct sm_error *err)
{
    struct tf tf;
    int rc = SM_OK;

    memset(&tf, 0, sizeof tf);
    tf.r = r;
    sm_map_init(&tf.by_addr);
    if (r->opts.datadir) {
        char *path = NULL;
        json_error_t je;
        if (!(path = (char *)imp_fmt(r, "%s/cloud-replication.json", r->opts.datadir)))
            return sm_error_set(err, SM_ENOMEM, "import: out of memory");
        if (!(tf.repl = json_load_file(path, 0, &je))) {
            rc = sm_error_set(err, SM_EPARSE, "%s:%d:%d: %s", path, je.line, je.column,
                              je.text);
            goto out;
        }
    }
    for (int i = 0; i < r->nfiles; i++) {
        json_t *root = r->files[i].root;
        if (r->opts.tf_before && !json_object_get(root, "resource_changes") &&
            !json_object_get(root, "planned_values")) {
            rc = imp_bad(err, r->files[i].name, "a state, not a saved plan (terraform show "
                         "-json PLANFILE)");
            goto out;
        }
        if ((rc = load_file(&tf, &r->files[i]))) {
            if (rc == SM_EINVAL)
                rc = imp_bad(err, r->files[i].name, "format_version %s is not 1.x",
                             imp_jstr(r->files[i].root, "format_version"));
            else
                rc = sm_error_set(err, SM_ENOMEM, "import: out of memory");
            goto out;
        }
    }
    /* datasets of tagged resources; replicas of their sources; replication
     * destinations are not skipped when untagged */
    for (int32_t i = 0; i < tf.nres; i++)
        if (!strcmp(tf.res[i].type, "aws_s3_bucket_replication_configuration") &&
            (rc = s3_replication(&tf, &tf.res[i], true)))
            goto oom;
    for (int32_t i = 0; i < tf.nres; i++) {
        struct tf_res *t = &tf.res[i];
        const char *name;
        if (!is_storage(t->type))
            continue;
        if ((name = dataset_of(&tf, t))) {
            if ((rc = storage_copies(&tf, t, name)))
                goto oom;
        }
    }
    for (int32_t i = 0; i < tf.nres; i++) {
        struct tf_res *t = &tf.res[i];
        int32_t ds;
        if (!is_storage(t->type) || t->ds != SM_NONE)
            continue;
        if ((ds = source_ds(&tf, t)) != SM_NONE) {
            t->ds = ds;
            if ((rc = storage_copies(&tf, t, r->ds[ds].name)))
                goto oom;
        } else if (!t->destination) {
            const char *why = dataset_named(&tf, t) ? "its dataset name is not usable"
                                                    : imp_fmt(r, "no %s tag",
                                                              import_map_tf_tag_key(r->map));
            imp_skip(r, t->type, why ? why : "untagged");
        }
    }
    for (int32_t i = 0; i < tf.nres; i++) {
        struct tf_res *t = &tf.res[i];
        if (!strcmp(t->type, "aws_s3_bucket_replication_configuration"))
            rc = s3_replication(&tf, t, false);
        else if (!strcmp(t->type, "aws_s3_bucket_server_side_encryption_configuration"))
            rc = s3_encryption(&tf, t);
        else if (!strcmp(t->type, "aws_backup_plan"))
            rc = backup_plan(&tf, t);
        else if (!strcmp(t->type, "azurerm_mssql_failover_group"))
            rc = failover_group(&tf, t);
        else if (!strcmp(t->type, "aws_rds_global_cluster"))
            rc = global_cluster(&tf, t);
        else if (!strcmp(t->type, "aws_glue_catalog_table"))
            rc = glue_table(&tf, t);
        if (rc)
            goto oom;
    }
    if (tf.ndata)
        imp_note(r, false, "%d data source%s ignored (never a placement)", tf.ndata,
                 tf.ndata == 1 ? "" : "s");
    goto out;
oom:
    rc = sm_error_set(err, SM_ENOMEM, "import: out of memory");
out:
    json_decref(tf.repl);
    free(tf.res);
    sm_map_fini(&tf.by_addr);
    return rc;
}

const struct importer_ops importer_terraform = {
    .name = "terraform",
    .summary = "terraform show -json: state or a saved plan",
    .detect = tf_detect,
    .parse = tf_parse,
};
