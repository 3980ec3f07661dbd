/*
 * model_attr.c - the residency model in memory: the attribute tables and
 * getting, setting and formatting attributes by name (see model.h).
 */
#include "model.h"
#include "model_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- attributes --------------------------------------------------------------- */

#define A(kind, type_, member, atype, tbl, n, req, ro, help) \
    { #member, atype, tbl, n, help, req, ro, offsetof(struct type_, member) }
#define NAMED(name_, type_, member, atype, tbl, n, req, ro, help) \
    { name_, atype, tbl, n, help, req, ro, offsetof(struct type_, member) }

static const struct attr region_attrs[] = {
    NAMED("name", region, name, ATTR_STR, NULL, 0, false, false, "display name"),
    NAMED("kind", region, kind, ATTR_ENUM, region_kind_names, REGION_KIND_COUNT, false, false,
          "cloud, sovereign-cloud, on-prem, edge or multi-region"),
    NAMED("country", region, country, ATTR_CC, NULL, 0, false, false,
          "ISO 3166-1 alpha-2 country where the data rests"),
    NAMED("city", region, city, ATTR_STR, NULL, 0, false, false, "city or area"),
    NAMED("operator", region, operator_home, ATTR_CC, NULL, 0, false, false,
          "legal home of the operator (who can be compelled to disclose)"),
    NAMED("members", region, members, ATTR_CCSET, NULL, 0, false, false,
          "member countries of a multi-region, * for any"),
    NAMED("provider", region, provider, ATTR_STR, NULL, 0, false, true, "provider"),
    { NULL, 0, NULL, 0, NULL, false, false, 0 }
};

static const struct attr tier_attrs[] = {
    NAMED("rank", tier, rank, ATTR_INT, NULL, 0, false, false, "higher is more sensitive"),
    NAMED("personal", tier, personal, ATTR_BOOL, NULL, 0, false, false, "holds personal data"),
    NAMED("scope", tier, scope, ATTR_ENUM, scope_names, SCOPE_COUNT, false, false,
          "where copies may live: region, country, bloc, adequate, approved, global"),
    NAMED("backup-scope", tier, backup_scope, ATTR_ENUM, scope_names, SCOPE_COUNT, false, false,
          "where backup, dr and archive copies may live"),
    NAMED("approved", tier, approved, ATTR_STRV, NULL, 0, false, false,
          "approved regions, for the approved scope"),
    NAMED("encryption-at-rest", tier, encryption_at_rest, ATTR_BOOL, NULL, 0, false, false,
          "copies must be encrypted at rest"),
    NAMED("key-scope", tier, key_scope, ATTR_ENUM, scope_names, SCOPE_COUNT, false, false,
          "where encryption keys may be held"),
    NAMED("transit-encryption", tier, transit_encryption, ATTR_BOOL, NULL, 0, false, false,
          "cross-region flows must be encrypted in transit"),
    NAMED("sovereign", tier, sovereign, ATTR_BOOL, NULL, 0, false, false,
          "operator must answer only to the subjects' jurisdiction"),
    NAMED("retention-min", tier, retention_min_days, ATTR_INT, NULL, 0, false, false,
          "minimum retention in days"),
    NAMED("retention-max", tier, retention_max_days, ATTR_INT, NULL, 0, false, false,
          "maximum retention in days"),
    NAMED("description", tier, description, ATTR_STR, NULL, 0, false, false, "what it is for"),
    { NULL, 0, NULL, 0, NULL, false, false, 0 }
};

static const struct attr dataset_attrs[] = {
    NAMED("tier", dataset, tier, ATTR_TIER, NULL, 0, false, false, "classification tier"),
    NAMED("subjects", dataset, subjects, ATTR_SUBJECTS, NULL, 0, false, false,
          "data subjects' jurisdictions, e.g. EU,BR"),
    NAMED("system", dataset, system, ATTR_STR, NULL, 0, false, false, "owning system"),
    NAMED("owner", dataset, owner, ATTR_STR, NULL, 0, false, false, "owner"),
    NAMED("retention", dataset, retention_days, ATTR_INT, NULL, 0, false, false,
          "retention in days"),
    NAMED("public-sector", dataset, public_sector, ATTR_BOOL, NULL, 0, false, false,
          "held by a public body"),
    NAMED("source", dataset, source_ref, ATTR_STR, NULL, 0, false, false,
          "source reference (Atlas guid, Glue ARN)"),
    NAMED("description", dataset, description, ATTR_STR, NULL, 0, false, false, "description"),
    NAMED("fields", dataset, first_field, ATTR_FIELDS, NULL, 0, false, true,
          "fields and their tags"),
    /* last: the Art. 30 facts come after what places and classifies it */
    NAMED("purpose", dataset, purpose, ATTR_STR, NULL, 0, false, false,
          "purpose of the processing (Art. 30 record)"),
    NAMED("legal-basis", dataset, legal_basis, ATTR_ENUM, legal_basis_names, LB_COUNT, false,
          false, "GDPR Art. 6(1) basis: consent, contract, legal_obligation, vital_interests, "
          "public_task or legitimate_interests"),
    { NULL, 0, NULL, 0, NULL, false, false, 0 }
};

static const struct attr placement_attrs[] = {
    NAMED("region", placement, region, ATTR_REGION, NULL, 0, true, false, "where the copy lives"),
    NAMED("role", placement, role, ATTR_ENUM, role_names, ROLE_COUNT, false, false,
          "primary, replica, backup, dr, cache, archive or edge"),
    NAMED("encrypted", placement, encrypted, ATTR_BOOL, NULL, 0, false, false,
          "encrypted at rest"),
    NAMED("key-region", placement, key_region, ATTR_REGION, NULL, 0, false, false,
          "region holding the encryption key"),
    NAMED("mechanism", placement, mechanism, ATTR_ENUM, mechanism_names, MECH_COUNT, false, false,
          "transfer mechanism of the implicit replication into this copy"),
    NAMED("mechanism-ref", placement, mechanism_ref, ATTR_STR, NULL, 0, false, false,
          "reference of the mechanism, e.g. a TIA id"),
    { NULL, 0, NULL, 0, NULL, false, false, 0 }
};

static const struct attr flow_attrs[] = {
    NAMED("from", flow, from, ATTR_PLACEMENT, NULL, 0, true, false, "source copy DATASET@REGION"),
    NAMED("to", flow, to, ATTR_PLACEMENT, NULL, 0, false, false, "target copy DATASET@REGION"),
    NAMED("to-region", flow, to_region, ATTR_REGION, NULL, 0, false, false,
          "target region of an export"),
    NAMED("kind", flow, kind, ATTR_ENUM, flow_kind_names, FLOW_KIND_COUNT, false, false,
          "replication, backup, etl, stream, query or export"),
    NAMED("fields", flow, fields, ATTR_STRV, NULL, 0, false, false,
          "fields carried, empty for all"),
    NAMED("transforms", flow, transforms, ATTR_TRANSFORMS, NULL, 0, false, false,
          "e.g. mask email; drop ssn; pseudonymize id; anonymize; aggregate"),
    NAMED("mechanism", flow, mechanism, ATTR_ENUM, mechanism_names, MECH_COUNT, false, false,
          "adequacy, dpf, scc, bcr, consent or derogation"),
    NAMED("mechanism-ref", flow, mechanism_ref, ATTR_STR, NULL, 0, false, false,
          "reference of the mechanism, e.g. a TIA id"),
    NAMED("valid-from", flow, valid_from, ATTR_DATE, NULL, 0, false, false, "mechanism valid from"),
    NAMED("valid-to", flow, valid_to, ATTR_DATE, NULL, 0, false, false, "mechanism valid until"),
    NAMED("transit-encrypted", flow, transit_encrypted, ATTR_BOOL, NULL, 0, false, false,
          "encrypted in transit"),
    NAMED("public-recipient", flow, public_recipient, ATTR_BOOL, NULL, 0, false, false,
          "the recipient is a public body"),
    { NULL, 0, NULL, 0, NULL, false, false, 0 }
};

static const struct attr waiver_attrs[] = {
    NAMED("owner", waiver, owner, ATTR_STR, NULL, 0, true, false, "who accepted the risk"),
    NAMED("reason", waiver, reason, ATTR_STR, NULL, 0, true, false, "why"),
    NAMED("expires", waiver, expires, ATTR_DATE, NULL, 0, true, false, "YYYY-MM-DD"),
    NAMED("rule", waiver, rule, ATTR_STR, NULL, 0, true, true, "rule id"),
    NAMED("object", waiver, object, ATTR_STR, NULL, 0, true, true, "object selector"),
    { NULL, 0, NULL, 0, NULL, false, false, 0 }
};

static const struct attr scenario_attrs[] = {
    NAMED("base", scenario, base, ATTR_STR, NULL, 0, false, false, "scenario it builds on"),
    NAMED("description", scenario, description, ATTR_STR, NULL, 0, false, false, "what it tries"),
    { NULL, 0, NULL, 0, NULL, false, false, 0 }
};

static const struct attr *const attr_tables[OBJ_KIND_COUNT] = {
    [OBJ_REGION] = region_attrs,
    [OBJ_TIER] = tier_attrs,
    [OBJ_DATASET] = dataset_attrs,
    [OBJ_PLACEMENT] = placement_attrs,
    [OBJ_FLOW] = flow_attrs,
    [OBJ_WAIVER] = waiver_attrs,
    [OBJ_SCENARIO] = scenario_attrs,
};

const struct attr *
model_attrs(enum obj_kind kind)
{
    return kind < OBJ_KIND_COUNT ? attr_tables[kind] : NULL;
}

const struct attr *
model_attr(enum obj_kind kind, const char *name)
{
    const struct attr *a = model_attrs(kind);

    for (; a && a->name; a++)
        if (strcmp(a->name, name) == 0)
            return a;
    return NULL;
}

static void *
object_ptr(const struct model *m, enum obj_kind kind, int32_t id)
{
    switch (kind) {
    case OBJ_REGION:    return &m->regions[id];
    case OBJ_TIER:      return &m->tiers[id];
    case OBJ_DATASET:   return &m->datasets[id];
    case OBJ_PLACEMENT: return &m->placements[id];
    case OBJ_FLOW:      return &m->flows[id];
    case OBJ_WAIVER:    return &m->waivers[id];
    case OBJ_SCENARIO:  return &m->scenarios[id];
    default:            return NULL;
    }
}

static int
parse_bool(const char *v, uint8_t *out)
{
    static const char *const yes[] = { "true", "yes", "on", "1", "y" };
    static const char *const no[] = { "false", "no", "off", "0", "n", "" };

    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (strcmp(v, yes[i]) == 0)
            return *out = 1, SM_OK;
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (strcmp(v, no[i]) == 0)
            return *out = 0, SM_OK;
    return SM_EINVAL;
}

static int
parse_int(const char *v, int32_t *out)
{
    char *end;
    long x;

    if (!*v) {
        *out = SM_NONE;
        return SM_OK;
    }
    x = strtol(v, &end, 10);
    if (!*end && x < -1)
        return 1;               /* a whole number, but negative */
    if (*end || x < -1 || x > INT32_MAX)
        return SM_EINVAL;
    *out = (int32_t)x;
    return SM_OK;
}

/* Split on commas and blanks into an arena list. */
static int
parse_list(struct model *m, const char *v, struct sm_strv *out)
{
    const char *p = v, *start;
    uint32_t n = 0, cap = 0;
    const char **items = NULL;

    while (*p) {
        while (*p == ',' || isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        start = p;
        while (*p && *p != ',' && !isspace((unsigned char)*p))
            p++;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            const char **ni = sm_arena_alloc(&m->arena, cap * sizeof *ni);
            if (!ni)
                return SM_ENOMEM;
            if (n)
                memcpy(ni, items, n * sizeof *ni);
            items = ni;
        }
        if (!(items[n++] = sm_arena_strndup(&m->arena, start, (size_t)(p - start))))
            return SM_ENOMEM;
    }
    out->n = n;
    out->v = items;
    return SM_OK;
}

int
model_check_cc(int cc, struct sm_error *err)
{
    char code[3];                       /* bounded: a two-letter country code */
    const char *alias;

    if (sm_cc_known(cc))
        return SM_OK;
    sm_cc_str(cc, code);
    if ((alias = sm_cc_alias(code)))
        return sm_error_set(err, SM_EINVAL, "unknown country code %s; did you mean %s (%s)?",
                            code, alias, strcmp(alias, "EU") == 0 ? "the European Union"
                            : strcmp(alias, "GB") == 0 ? "the United Kingdom" : "Greece");
    return sm_error_set(err, SM_EINVAL, "%s is not an ISO 3166-1 country code (or EU, the GDPR "
                        "area); with an unknown code no residency rule would apply", code);
}

int
model_parse_subjects(const char *s, uint16_t *out, uint8_t *n, struct sm_error *err)
{
    char item[64];                      /* bounded: a code; a longer item errs whole */
    const char *p = s;
    size_t len;
    uint8_t k = 0;
    int cc;

    while (p && *p) {
        while (*p == ',' || isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        len = strcspn(p, ", \t");
        if (len >= sizeof item) {
            /* no code is this long: name it whole in the error */
            char *big = strndup(p, len);
            if (!big)
                return oom(err);
            for (char *q = big; *q; q++)
                *q = (char)toupper((unsigned char)*q);
            sm_error_set(err, SM_EINVAL,
                         "bad jurisdiction %s: use a two-letter code such as EU, DE, BR", big);
            free(big);
            return SM_EINVAL;
        }
        memcpy(item, p, len);
        item[len] = '\0';
        p += strcspn(p, ", \t");
        for (char *q = item; *q; q++)
            *q = (char)toupper((unsigned char)*q);
        cc = sm_cc(item);
        if (cc == SM_NONE)
            return sm_error_set(err, SM_EINVAL,
                                "bad jurisdiction %s: use a two-letter code such as EU, DE, BR",
                                item);
        bool dup = false;
        for (uint8_t i = 0; i < k; i++)
            dup |= out[i] == cc;
        if (dup)
            continue;
        if (k == MODEL_MAX_SUBJECTS)
            return sm_error_set(err, SM_EINVAL, "at most %d subject jurisdictions",
                                MODEL_MAX_SUBJECTS);
        out[k++] = (uint16_t)cc;
    }
    *n = k;
    return SM_OK;
}

int
model_parse_transforms(struct model *m, const char *s, struct transform **out,
                       uint32_t *n, struct sm_error *err)
{
    char *buf, *save = NULL, *part, *word;
    struct transform tx[64];
    uint32_t k = 0;
    int kind, rc = SM_OK;

    /* a copy to cut into words: field names of any length */
    if (!(buf = strdup(s ? s : "")))
        return oom(err);
    for (part = strtok_r(buf, ";", &save); part; part = strtok_r(NULL, ";", &save)) {
        while (isspace((unsigned char)*part))
            part++;
        if (!*part)
            continue;
        word = part;
        part += strcspn(part, " \t");
        if (*part)
            *part++ = '\0';
        kind = model_enum_parse(xform_names, XF_COUNT, word);
        if (kind == SM_NONE) {
            rc = sm_error_set(err, SM_EINVAL, "unknown transform %s: use mask, drop, "
                              "pseudonymize, anonymize or aggregate", word);
            goto out;
        }
        if (k == sizeof tx / sizeof *tx) {
            rc = sm_error_set(err, SM_ELIMIT, "transforms: at most 64");
            goto out;
        }
        tx[k].kind = (uint8_t)kind;
        if (parse_list(m, part, &tx[k].fields)) {
            rc = oom(err);
            goto out;
        }
        if ((kind == XF_MASK || kind == XF_DROP || kind == XF_PSEUDONYMIZE) && !tx[k].fields.n) {
            rc = sm_error_set(err, SM_EINVAL, "transform %s needs the fields it applies to",
                              word);
            goto out;
        }
        k++;
    }
    *out = NULL;
    if (k) {
        *out = sm_arena_alloc(&m->arena, k * sizeof **out);
        if (!*out) {
            rc = oom(err);
            goto out;
        }
        memcpy(*out, tx, k * sizeof *tx);
    }
    *n = k;
out:
    free(buf);
    return rc;
}

static size_t
append(char *buf, size_t size, size_t at, const char *s)
{
    size_t n = strlen(s);

    if (at < size) {
        size_t k = size - at - 1 < n ? size - at - 1 : n;
        memcpy(buf + at, s, k);
        buf[at + k] = '\0';
    }
    return at + n;
}

size_t
model_format_transforms(const struct transform *t, uint32_t n, char *buf, size_t size)
{
    size_t at = 0;

    if (size)
        buf[0] = '\0';
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            at = append(buf, size, at, "; ");
        at = append(buf, size, at, xform_names[t[i].kind]);
        for (uint32_t k = 0; k < t[i].fields.n; k++) {
            at = append(buf, size, at, " ");
            at = append(buf, size, at, t[i].fields.v[k]);
        }
    }
    return at;
}

static void
format_strv(const struct sm_strv *v, char *buf, size_t size)
{
    size_t at = 0;

    if (size)
        buf[0] = '\0';
    for (uint32_t i = 0; i < v->n; i++) {
        if (i)
            at = append(buf, size, at, ",");
        at = append(buf, size, at, v->v[i]);
    }
}

static int
bad_value(struct sm_error *err, const struct model *m, enum obj_kind kind, int32_t id,
          const struct attr *a, const char *value, const char *why)
{
    char *sel = model_selector_dup(m, kind, id);

    sm_error_set(err, SM_EINVAL, "%s %s: bad %s %s%s%s", obj_kind_names[kind], sel ? sel : "",
                 a->name, value, why ? ": " : "", why ? why : "");
    free(sel);
    return SM_EINVAL;
}

static int
find_ref(const struct model *m, enum obj_kind kind, int32_t id, const struct attr *a,
         enum obj_kind refkind, const char *value, int32_t *out, struct sm_error *err)
{
    char *sel;
    int rc;

    if (!*value) {
        *out = SM_NONE;
        return SM_OK;
    }
    if ((rc = model_find(m, refkind, value, out, err)) != SM_OK) {
        sel = model_selector_dup(m, kind, id);
        sm_error_prefix(err, "%s %s: %s", obj_kind_names[kind], sel ? sel : "", a->name);
        free(sel);
    }
    return rc;
}

int
model_set(struct model *m, enum obj_kind kind, int32_t id, const char *name,
          const char *value, struct sm_error *err)
{
    const struct attr *a = model_attr(kind, name);
    char *obj;
    void *slot;
    int32_t i32;
    uint8_t u8;
    int rc, e;

    if (id < 0 || id >= model_count(m, kind))
        return sm_error_set(err, SM_ENOTFOUND, "unknown %s", obj_kind_names[kind]);
    if (!a) {
        char *sel = model_selector_dup(m, kind, id);
        if (!sel)
            return oom(err);
        rc = sm_error_set(err, SM_EINVAL, "%s %s has no attribute %s", obj_kind_names[kind],
                          sel, name);
        free(sel);
        return rc;
    }
    if (a->readonly)
        return sm_error_set(err, SM_EINVAL, "%s %s cannot be changed this way",
                            obj_kind_names[kind], a->name);
    if (kind == OBJ_REGION && m->regions[id].builtin)
        return sm_error_set(err, SM_EINVAL, "region %s is shipped with sovmap and cannot be "
                            "changed; add a region of your own instead", m->regions[id].id);
    if (!value)
        value = "";
    if (check_utf8(err, a->name, 1, value))
        return SM_EINVAL;
    obj = object_ptr(m, kind, id);
    slot = obj + a->offset;

    switch (a->type) {
    case ATTR_STR: {
        const char *s = model_str(m, value);
        if (!s)
            return oom(err);
        memcpy(slot, &s, sizeof s);    /* may be 4-byte aligned (MODEL_PACKED) */
        break;
    }
    case ATTR_INT:
        if ((rc = parse_int(value, &i32)) != SM_OK)
            return bad_value(err, m, kind, id, a, value, rc == 1
                             ? "a negative number: use 0 or more (an empty value unsets it)"
                             : "not a whole number");
        *(int32_t *)slot = i32;
        break;
    case ATTR_BOOL:
        if (parse_bool(value, &u8))
            return bad_value(err, m, kind, id, a, value, "use true or false");
        *(uint8_t *)slot = u8;
        break;
    case ATTR_ENUM:
        e = model_enum_parse(a->names, a->nnames, value);
        if (e == SM_NONE) {
            size_t at = 0, size = 1;
            char *list;
            for (int k = 0; k < a->nnames; k++)
                size += strlen(a->names[k]) + 2;
            if (!(list = malloc(size)))
                return oom(err);
            list[0] = '\0';
            for (int k = 0; k < a->nnames; k++) {
                if (!*a->names[k])
                    continue;
                at = append(list, size, at, at ? ", " : "");
                at = append(list, size, at, a->names[k]);
            }
            rc = bad_value(err, m, kind, id, a, value, list);
            free(list);
            return rc;
        }
        if (kind == OBJ_PLACEMENT && strcmp(a->name, "role") == 0) {
            struct placement p = m->placements[id];
            p.role = (uint8_t)e;
            if ((rc = model_check_placement(m, &p, id, err)))
                return rc;
        }
        *(uint8_t *)slot = (uint8_t)e;
        break;
    case ATTR_DATE:
        if (!*value)
            i32 = 0;
        else if (sm_date_parse(value, &i32))
            return bad_value(err, m, kind, id, a, value, "use YYYY-MM-DD");
        *(int32_t *)slot = i32;
        break;
    case ATTR_TIER:
        if ((rc = find_ref(m, kind, id, a, OBJ_TIER, value, &i32, err)))
            return rc;
        *(int32_t *)slot = i32;
        break;
    case ATTR_REGION:
        if ((rc = find_ref(m, kind, id, a, OBJ_REGION, value, &i32, err)))
            return rc;
        if (kind == OBJ_PLACEMENT && strcmp(a->name, "region") == 0) {
            struct placement p = m->placements[id];
            if (i32 == SM_NONE)
                return bad_value(err, m, kind, id, a, value, "a copy needs a region");
            p.region = i32;
            if ((rc = model_check_placement(m, &p, id, err)))
                return rc;
        }
        if (kind == OBJ_FLOW && m->flows[id].to != SM_NONE && i32 != SM_NONE)
            return bad_value(err, m, kind, id, a, value, "the flow already targets a copy");
        *(int32_t *)slot = i32;
        break;
    case ATTR_PLACEMENT: {
        struct flow f = m->flows[id];
        if ((rc = find_ref(m, kind, id, a, OBJ_PLACEMENT, value, &i32, err)))
            return rc;
        if (strcmp(a->name, "from") == 0)
            f.from = i32;
        else {
            f.to = i32;
            if (i32 != SM_NONE)
                f.to_region = SM_NONE;
        }
        if ((rc = model_check_flow(m, &f, err)))
            return rc;
        m->flows[id].from = f.from;
        m->flows[id].to = f.to;
        m->flows[id].to_region = f.to_region;
        break;
    }
    case ATTR_CC:
        if (!*value)
            i32 = SM_NONE;
        else if ((i32 = sm_cc(value)) == SM_NONE)
            return bad_value(err, m, kind, id, a, value, "use a two-letter ISO code");
        else if (!sm_cc_known(i32)) {
            SM_ERROR(why);
            model_check_cc(i32, &why);
            return bad_value(err, m, kind, id, a, value, why.msg);
        }
        *(int32_t *)slot = i32;
        break;
    case ATTR_SUBJECTS: {
        struct dataset *d = (struct dataset *)obj;
        uint16_t subj[MODEL_MAX_SUBJECTS];
        uint8_t n;
        if ((rc = model_parse_subjects(value, subj, &n, err))) {
            sm_error_prefix(err, "dataset %s", d->name);
            return rc;
        }
        for (uint8_t k = 0; k < n; k++)
            if ((rc = model_check_cc(subj[k], err))) {
                sm_error_prefix(err, "dataset %s: subjects", d->name);
                return rc;
            }
        memcpy(d->subjects, subj, sizeof subj);
        d->nsubjects = n;
        break;
    }
    case ATTR_STRV: {
        struct sm_strv v;
        if (parse_list(m, value, &v))
            return oom(err);
        if (kind == OBJ_TIER)
            for (uint32_t k = 0; k < v.n; k++)
                if ((rc = find_ref(m, kind, id, a, OBJ_REGION, v.v[k], &i32, err)))
                    return rc;
        *(struct sm_strv *)slot = v;
        break;
    }
    case ATTR_CCSET: {
        struct region *r = (struct region *)obj;
        struct sm_strv v;
        struct sm_ccset *s;
        if (!*value) {
            r->members = NULL;
            r->global = 0;
            break;
        }
        if (parse_list(m, value, &v) || !(s = sm_arena_alloc(&m->arena, sizeof *s)))
            return oom(err);
        r->global = 0;
        for (uint32_t k = 0; k < v.n; k++) {
            if (strcmp(v.v[k], "*") == 0) {
                r->global = 1;
                continue;
            }
            if ((i32 = sm_cc(v.v[k])) == SM_NONE)
                return bad_value(err, m, kind, id, a, v.v[k], "use two-letter ISO codes or *");
            sm_ccset_add(s, i32);
        }
        r->members = s;
        break;
    }
    case ATTR_TRANSFORMS: {
        struct flow *f = (struct flow *)obj;
        struct transform *tx;
        uint32_t n;
        if ((rc = model_parse_transforms(m, value, &tx, &n, err))) {
            sm_error_prefix(err, "flow %s", f->name);
            return rc;
        }
        f->transforms = tx;
        f->ntransforms = n;
        break;
    }
    case ATTR_FIELDS:
        return bad_value(err, m, kind, id, a, value, "use field add / tag add");
    }
    /* no attribute is a dataset's name; only a region's display name is
     * called one (model_rows_kept) */
    model_changed_kinds(m, false, strcmp(a->name, "name") == 0 ? MODEL_KIND_BIT(kind) : 0);
    return SM_OK;
}

static void
format_fields(const struct model *m, int32_t dataset, char *buf, size_t size)
{
    const struct dataset *d = &m->datasets[dataset];
    size_t at = 0;
    bool first_tag;

    if (size)
        buf[0] = '\0';
    for (int32_t f = d->first_field; f != SM_NONE; f = m->fields[f].next) {
        if (at)
            at = append(buf, size, at, ", ");
        at = append(buf, size, at, m->fields[f].name);
        first_tag = true;
        for (int32_t t = d->first_tag; t != SM_NONE; t = m->tags[t].next) {
            if (m->tags[t].field != f)
                continue;
            at = append(buf, size, at, first_tag ? "[" : " ");
            at = append(buf, size, at, m->tags[t].tag);
            first_tag = false;
        }
        if (!first_tag)
            at = append(buf, size, at, "]");
    }
}

const char *
model_get(const struct model *m, enum obj_kind kind, int32_t id, const char *name,
          char *buf, size_t size)
{
    const struct attr *a = model_attr(kind, name);
    const char *obj;
    const void *slot;
    int32_t i32;

    if (!size)
        return buf;
    buf[0] = '\0';
    if (!a || id < 0 || id >= model_count(m, kind))
        return buf;
    obj = object_ptr(m, kind, id);
    slot = obj + a->offset;
    switch (a->type) {
    case ATTR_STR: {
        const char *s;
        memcpy(&s, slot, sizeof s);    /* may be 4-byte aligned (MODEL_PACKED) */
        sm_strlcpy(buf, s ? s : "", size);
        break;
    }
    case ATTR_INT:
        i32 = *(const int32_t *)slot;
        if (i32 != SM_NONE)
            snprintf(buf, size, "%d", (int)i32);
        break;
    case ATTR_BOOL:
        sm_strlcpy(buf, *(const uint8_t *)slot ? "true" : "false", size);
        break;
    case ATTR_ENUM:
        sm_strlcpy(buf, a->names[*(const uint8_t *)slot], size);
        break;
    case ATTR_DATE: {
        char d[11];                     /* bounded: YYYY-MM-DD */
        sm_date_fmt(*(const int32_t *)slot, d);
        sm_strlcpy(buf, d, size);
        break;
    }
    case ATTR_TIER:
        i32 = *(const int32_t *)slot;
        if (i32 != SM_NONE)
            sm_strlcpy(buf, m->tiers[i32].name, size);
        break;
    case ATTR_REGION:
        i32 = *(const int32_t *)slot;
        if (i32 != SM_NONE)
            sm_strlcpy(buf, m->regions[i32].id, size);
        break;
    case ATTR_PLACEMENT:
        i32 = *(const int32_t *)slot;
        if (i32 != SM_NONE)
            model_selector(m, OBJ_PLACEMENT, i32, buf, size);
        break;
    case ATTR_CC:
        i32 = *(const int32_t *)slot;
        if (i32 != SM_NONE)
            sm_cc_str(i32, buf), (void)0;
        if (i32 != SM_NONE && size < 3)
            buf[0] = '\0';
        break;
    case ATTR_SUBJECTS: {
        const struct dataset *d = (const struct dataset *)obj;
        size_t at = 0;
        char cc[3];                     /* bounded: a two-letter country code */
        for (uint8_t k = 0; k < d->nsubjects; k++) {
            sm_cc_str(d->subjects[k], cc);
            if (k)
                at = append(buf, size, at, ",");
            at = append(buf, size, at, cc);
        }
        break;
    }
    case ATTR_STRV:
        format_strv((const struct sm_strv *)slot, buf, size);
        break;
    case ATTR_CCSET: {
        const struct region *r = (const struct region *)obj;
        size_t at = 0;
        char cc[3];                     /* bounded: a two-letter country code */
        if (r->global)
            at = append(buf, size, at, "*");
        if (r->members)
            for (int c = sm_ccset_next(r->members, 0); c != SM_NONE;
                 c = sm_ccset_next(r->members, c + 1)) {
                sm_cc_str(c, cc);
                if (at)
                    at = append(buf, size, at, ",");
                at = append(buf, size, at, cc);
            }
        break;
    }
    case ATTR_TRANSFORMS: {
        const struct flow *f = (const struct flow *)obj;
        model_format_transforms(f->transforms, f->ntransforms, buf, size);
        break;
    }
    case ATTR_FIELDS:
        format_fields(m, id, buf, size);
        break;
    }
    return buf;
}

char *
model_get_dup(const struct model *m, enum obj_kind kind, int32_t id, const char *attr)
{
    size_t size = 256;
    char *buf = NULL, *grown;

    /* model_get cuts at size - 1 bytes, so a shorter text is whole; texts
     * are rarely long, so the first try nearly always fits */
    for (;;) {
        if (!(grown = realloc(buf, size))) {
            free(buf);
            return NULL;
        }
        buf = grown;
        model_get(m, kind, id, attr, buf, size);
        if (strlen(buf) + 1 < size)
            return buf;
        size *= 4;
    }
}

char *
model_describe_dup(const struct model *m, enum obj_kind kind, int32_t id)
{
    char *out = NULL, *val, *grown;
    size_t at = 0, cap = 0, need;

    for (const struct attr *a = model_attrs(kind); a && a->name; a++) {
        if (!(val = model_get_dup(m, kind, id, a->name)))
            goto oom;
        if (*val) {
            need = at + strlen(a->name) + strlen(val) + 3;
            if (need > cap) {
                cap = need * 2;
                if (!(grown = realloc(out, cap))) {
                    free(val);
                    goto oom;
                }
                out = grown;
            }
            at += (size_t)sprintf(out + at, "%s%s=%s", at ? "\n" : "", a->name, val);
        }
        free(val);
    }
    return out ? out : strdup("");
oom:
    free(out);
    return NULL;
}
