/*
 * import_apply.c - applying a run's records to a model (upsert by source
 * reference, then name; the merge rules of doc/import.md), with the review
 * diff, the summary and the audit text.
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

#include "import_int.h"
#include "readfile.h"

/* The audit text keeps whole diff lines up to this many bytes. */
#define IMPORT_AUDIT_MAX (4 << 20)

#define VGROW(r, name) \
    sm_grow((void **)&(r)->name, &(r)->cap_##name, (r)->n##name + 1, sizeof *(r)->name)

/* ---- apply ---------------------------------------------------------------------- */

static int
diff_line(struct import_run *r, int32_t ds, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
diff_line(struct import_run *r, int32_t ds, const char *fmt, ...)
{
    const char *text;
    va_list ap;

    va_start(ap, fmt);
    text = imp_vfmt(r, fmt, ap);
    va_end(ap);
    if (!text || VGROW(r, lines))
        return SM_ENOMEM;
    r->lines[r->nlines].text = text;
    r->lines[r->nlines].next = SM_NONE;
    if (r->ds[ds].last_diff == SM_NONE)
        r->ds[ds].first_diff = r->nlines;
    else
        r->lines[r->ds[ds].last_diff].next = r->nlines;
    r->ds[ds].last_diff = r->nlines++;
    if (r->ds[ds].status == 0)
        r->ds[ds].status = 2;
    r->changed = true;
    return SM_OK;
}

static int
touch(struct import_run *r, enum obj_kind kind, int32_t id)
{
    char key[48];    /* bounded: a kind and an int32 id in decimal */
    bool fresh;
    int rc;

    snprintf(key, sizeof key, "o\x1f%d\x1f%d", (int)kind, (int)id);
    if ((rc = imp_key_once(r, key, &fresh)) || !fresh)
        return rc;
    if (VGROW(r, touched))
        return SM_ENOMEM;
    r->touched[r->ntouched].kind = kind;
    r->touched[r->ntouched++].id = id;
    return SM_OK;
}

bool
imp_entity_partial(const char *entity)
{
    size_t n = entity ? strlen(entity) : 0, k = strlen(IMP_PARTIAL);

    return n >= k && strcmp(entity + n - k, IMP_PARTIAL) == 0;
}

/* Precedence of the source that set a tag, from its entity: a partial
 * listing, then Lake Formation ("lf:"), Glue resource tags (an ARN), and the
 * Atlas entity-bulk (a guid) first. Used only between sources that agree. */
int
imp_source_rank(const char *entity)
{
    if (imp_entity_partial(entity))
        return 0;
    if (strncmp(entity, "lf:", 3) == 0)
        return 1;
    if (strncmp(entity, "arn:", 4) == 0)
        return 2;
    return 3;
}

/* Does this run's file fully describe the tags entity set? Only for tags
 * an authoritative file set: a partial listing's tags stay. */
static bool
carrier_of(const struct import_run *r, const struct imp_ds *d, const char *entity)
{
    size_t n = strcspn(entity, " ");

    if (imp_entity_partial(entity))
        return false;

    for (int32_t c = d->first_carrier; c != SM_NONE; c = r->refs[c].next)
        if (strlen(r->refs[c].ref) == n && strncmp(r->refs[c].ref, entity, n) == 0)
            return true;
    return false;
}

/* Does the imported tag it replace the provenance of the catalog's same
 * tag old? The file that fully describes old's carrier says again how it
 * got there; otherwise a live classification wins over an expired one
 * (CLS003: a tag another source still holds rests on nothing expired), and
 * between two live or two expired ones the higher source. */
static bool
takes_over(const struct import_run *r, const struct imp_ds *d, const struct imp_tag *it,
           const struct tag *old)
{
    bool live = !it->expired, old_live = !*old->expired;
    int k = imp_source_rank(it->entity), ko = imp_source_rank(old->entity);

    if (strcmp(it->entity, old->entity) && k == ko && carrier_of(r, d, it->entity) &&
        carrier_of(r, d, old->entity))
        return true;
    if (live != old_live)
        return live;
    return k > ko;
}

static const char *
field_label(const struct model *m, int32_t f)
{
    return f == SM_NONE ? "" : m->fields[f].name;
}

/* Precedence between sources of one property key or attribute: the tags'
 * order (imp_source_rank), with a Glue table ("glue:") below an Atlas
 * entity. */
int
imp_attr_rank(const char *entity)
{
    int k = imp_source_rank(entity);

    return k < 3 ? k : strncmp(entity, "glue:", 5) == 0 ? 3 : 4;
}

bool
imp_attr_over(const char *entity, const char *have, bool agree)
{
    int k = imp_attr_rank(entity), ko = imp_attr_rank(have);

    return k > ko || (k == ko && agree && strcmp(entity, have) < 0);
}

/* What an import does with an attribute (doc/import.md, Merge rules 5). */
enum settle { KEEP, CONFLICT, TAKE, CONFIRM };

/* May this run's source (entity) set attribute attr of record i's dataset
 * (field SM_NONE: its own) from have to val (val not empty)? By the source
 * recorded for it: a person's value stays (a disagreement is a conflict);
 * an imported one yields to the same carrier, or to a higher source (the
 * same rank: the smaller entity), whatever the order of the imports; a
 * value whose source is unknown (set before catalog schema 6) follows the
 * dataset's authority, and a source that agrees with it records itself
 * (CONFIRM: the provenance only). *why gets the catalog's side of a
 * conflict. */
#define ATLAS_AUTHORITY "the Atlas entity-bulk set (the authority for what Atlas knows)"

/* An Atlas reference is a guid; Glue and Lake Formation write "glue:"/"lf:". */
static bool
atlas_ref(const char *ref)
{
    return ref && *ref && strncmp(ref, "glue:", 5) && strncmp(ref, "lf:", 3);
}

static enum settle
settle(struct import_run *r, const struct model *m, int32_t i, int32_t field, int attr,
       const char *have, const char *val, const char *entity, const char **why)
{
    int32_t a = model_asrc(m, r->ds[i].id, field, attr);
    const struct asrc *s = a == SM_NONE ? NULL : &m->asrcs[a];
    bool same = strcmp(have, val) == 0, carrier, higher;
    size_t n;

    *why = NULL;
    if (!*have)
        return TAKE;
    if (!s) {
        if (same)
            return CONFIRM;
        *why = atlas_ref(m->datasets[r->ds[i].id].source_ref) ? ATLAS_AUTHORITY
                                                               : "a fuller source set";
        return r->ds[i].authority ? TAKE : CONFLICT;
    }
    if (!*s->source) {
        *why = "a person set";
        return same ? KEEP : CONFLICT;
    }
    n = strcspn(s->entity, " ");
    carrier = strcspn(entity, " ") == n && strncmp(entity, s->entity, n) == 0 &&
              imp_entity_partial(entity) == imp_entity_partial(s->entity);
    higher = imp_attr_rank(entity) > imp_attr_rank(s->entity) ||
             (imp_attr_rank(entity) == imp_attr_rank(s->entity) && strcmp(entity, s->entity) < 0);
    if (same)
        return !carrier && higher ? CONFIRM : KEEP;
    if (carrier || higher)
        return TAKE;
    *why = imp_attr_rank(s->entity) == 4 ? ATLAS_AUTHORITY
         : imp_fmt(r, "%s set (%s)", s->source, s->entity);
    return *why ? CONFLICT : KEEP;
}

/* Record that this run's entity in file set attribute attr. */
static int
note_asrc(struct import_run *r, struct model *m, int32_t i, int32_t field, int attr,
          const char *file, const char *entity, struct sm_error *err)
{
    return model_set_asrc(m, r->ds[i].id, field, attr, file && *file ? file : r->ds[i].file,
                          entity && *entity ? entity : r->ds[i].source_ref, r->opts.now, NULL,
                          err);
}

/* The best tier onto the dataset: set (an import never lowers a person's
 * choice: a different tier a person set is a conflict), with the source of
 * the candidate that gives it (the highest source of those that do,
 * whatever the order of the imports), confirmed when the tier is already
 * that one. */
static int
apply_tier_to(struct import_run *r, struct model *m, int32_t i, int32_t best,
              struct sm_error *err)
{
    struct imp_ds *d = &r->ds[i];
    const struct imp_tier *from = NULL;
    int32_t old = m->datasets[d->id].tier, a;
    const char *have = old == SM_NONE ? "" : m->tiers[old].name, *why;
    int rc;

    for (int32_t t = d->first_tier; t != SM_NONE; t = r->tiers[t].next) {
        const struct imp_tier *c = &r->tiers[t];
        if (model_tier(m, c->tier) != best)
            continue;
        if (!from || imp_attr_rank(c->entity) > imp_attr_rank(from->entity) ||
            (imp_attr_rank(c->entity) == imp_attr_rank(from->entity) && strcmp(c->entity, from->entity) < 0))
            from = c;
    }
    a = model_asrc(m, d->id, SM_NONE, ASRC_TIER);
    if (old != best && a != SM_NONE && !*m->asrcs[a].source) {
        imp_note(r, true, "%s: tier %s (%s, %s) differs from the catalog's %s, which a person "
                 "set; kept the catalog's", d->name, m->tiers[best].name, r->ops->name,
                 from->file, have);
        return SM_OK;
    }
    /* Another source's higher tier is never lowered: the highest tier wins,
     * whatever the order of the imports (rule 7); the carrier that set it
     * may lower its own classification. */
    if (old != SM_NONE && old != best && m->tiers[old].rank > m->tiers[best].rank &&
        (a == SM_NONE || strcmp(m->asrcs[a].entity, from->entity))) {
        if (a == SM_NONE)
            imp_note(r, true, "%s: tier %s (%s, %s) is below the catalog's %s; kept the higher",
                     d->name, m->tiers[best].name, r->ops->name, from->file, have);
        else
            imp_note(r, true, "%s: tier %s (%s, %s) is below the catalog's %s, which %s set "
                     "(%s); kept the higher", d->name, m->tiers[best].name, r->ops->name,
                     from->file, have, m->asrcs[a].source, m->asrcs[a].entity);
        return SM_OK;
    }
    if (old == best) {
        if (settle(r, m, i, SM_NONE, ASRC_TIER, have, have, from->entity, &why) != CONFIRM)
            return SM_OK;
        if ((rc = note_asrc(r, m, i, SM_NONE, ASRC_TIER, from->file, from->entity, err)))
            return rc;
        return d->status == 1 ? SM_OK : diff_line(r, i, "  ~ tier  [%s]", from->entity);
    }
    if ((rc = model_set(m, OBJ_DATASET, d->id, "tier", m->tiers[best].name, err)) ||
        (rc = note_asrc(r, m, i, SM_NONE, ASRC_TIER, from->file, from->entity, err)))
        return rc;
    if (d->status != 1)
        return diff_line(r, i, "  ~ tier %s -> %s", old == SM_NONE ? "(none)" : have,
                         m->tiers[best].name);
    return diff_line(r, i, "  + tier %s", m->tiers[best].name);
}

static int
apply_tier(struct import_run *r, struct model *m, int32_t i, struct sm_error *err)
{
    struct imp_ds *d = &r->ds[i];
    int32_t best = SM_NONE, tid;
    const char *best_file = NULL;
    bool disagree = false;

    for (int32_t t = d->first_tier; t != SM_NONE; t = r->tiers[t].next) {
        tid = model_tier(m, r->tiers[t].tier);
        if (tid == SM_NONE) {
            imp_note(r, false, "mapping names tier %s, which is not in the catalog; %s left "
                     "unclassified by it", r->tiers[t].tier, d->name);
            continue;
        }
        if (best != SM_NONE && tid != best && strcmp(best_file, r->tiers[t].file))
            disagree = true;
        if (best == SM_NONE || m->tiers[tid].rank > m->tiers[best].rank) {
            best = tid;
            best_file = r->tiers[t].file;
        }
    }
    if (disagree) {
        const char *list = "";
        for (int32_t t = d->first_tier; t != SM_NONE && list; t = r->tiers[t].next)
            list = imp_fmt(r, "%s%s%s (%s)", list, *list ? ", " : "", r->tiers[t].tier,
                           r->tiers[t].file);
        if (!list)
            return sm_error_set(err, SM_ENOMEM, "import: out of memory");
        imp_note(r, true, "%s: the files disagree on its tier: %s; kept the highest, %s",
                 d->name, list, m->tiers[best].name);
    }
    if (best == SM_NONE)
        return SM_OK;
    return apply_tier_to(r, m, i, best, err);
}

static int
apply_subjects(struct import_run *r, struct model *m, int32_t i, struct sm_error *err)
{
    struct imp_ds *d = &r->ds[i];
    struct dataset *md = &m->datasets[d->id];
    char before[MODEL_MAX_SUBJECTS * 3 + 1];    /* bounded: codes and commas, "EU,BR" */
    char buf[MODEL_MAX_SUBJECTS * 3 + 1];       /* bounded: codes and commas, "EU,BR" */
    size_t o = 0;
    uint16_t s[MODEL_MAX_SUBJECTS];
    int n = md->nsubjects, rc;
    bool add = false;

    memcpy(s, md->subjects, sizeof s);
    for (int k = 0; k < d->nsubjects; k++) {
        bool have = false;
        for (int j = 0; j < n; j++)
            have |= s[j] == d->subjects[k];
        if (!have && n < MODEL_MAX_SUBJECTS) {
            s[n++] = d->subjects[k];
            add = true;
        }
    }
    if (!add)
        return SM_OK;
    model_get(m, OBJ_DATASET, d->id, "subjects", before, sizeof before);
    buf[0] = 0;
    for (int k = 0; k < n; k++) {
        char cc[3];    /* bounded: an ISO 3166 alpha-2 code (sm_cc_str) */
        sm_cc_str(s[k], cc);
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", k ? "," : "", cc);
    }
    if ((rc = model_set(m, OBJ_DATASET, d->id, "subjects", buf, err)))
        return rc;
    model_get(m, OBJ_DATASET, d->id, "subjects", buf, sizeof buf);
    if (*before)
        return diff_line(r, i, "  ~ subjects %s -> %s", before, buf);
    return diff_line(r, i, "  + subjects %s", buf);
}

/* The record's system, owner or description (enum asrc_attr). */
static const char *
rec_attr(const struct imp_ds *d, int attr)
{
    return attr == ASRC_SYSTEM ? d->system : attr == ASRC_OWNER ? d->owner : d->description;
}

/* A string attribute of a dataset, whole. */
static const char *
ds_attr(const struct model *m, int32_t id, const char *attr)
{
    const struct dataset *d = &m->datasets[id];
    const char *v = strcmp(attr, "source") == 0 ? d->source_ref
                  : strcmp(attr, "system") == 0 ? d->system
                  : strcmp(attr, "owner") == 0 ? d->owner
                  : strcmp(attr, "description") == 0 ? d->description : NULL;

    assert(strcmp(attr, "source") == 0 || strcmp(attr, "system") == 0 ||
           strcmp(attr, "owner") == 0 || strcmp(attr, "description") == 0);
    return v ? v : "";
}

static int
apply_attr(struct import_run *r, struct model *m, int32_t i, const char *attr,
           const char *val, struct sm_error *err)
{
    const char *before;
    int rc;

    if (!val || !*val)
        return SM_OK;
    /* the whole value: a cut copy would differ on every import */
    if (!(before = ds_attr(m, r->ds[i].id, attr)))
        return SM_ENOMEM;
    if (strcmp(before, val) == 0)
        return SM_OK;
    if (!(before = imp_str(r, before)))   /* model_set frees the old text */
        return SM_ENOMEM;
    if ((rc = model_set(m, OBJ_DATASET, r->ds[i].id, attr, val, err)))
        return rc;
    if (r->ds[i].status == 1)
        return SM_OK;
    return diff_line(r, i, "  ~ %s \"%s\" -> \"%s\"", attr, before, val);
}

/* apply_attr with the precedence of the sources (settle): the attribute's
 * source is recorded; one that may not change it only reports a
 * disagreement, once per run. */
static int
apply_attr_from(struct import_run *r, struct model *m, int32_t i, int attr,
                struct sm_error *err)
{
    const struct imp_ds *d = &r->ds[i];
    const char *name = asrc_names[attr];
    const char *val = rec_attr(d, attr);
    const char *entity = d->asrc_entity[attr] && *d->asrc_entity[attr] ? d->asrc_entity[attr]
                                                                       : d->source_ref;
    const char *file = d->asrc_file[attr];
    const char *have, *why;
    int rc;

    if (!val || !*val)
        return SM_OK;
    if (!(have = ds_attr(m, d->id, name)))
        return SM_ENOMEM;
    switch (settle(r, m, i, SM_NONE, attr, have, val, entity, &why)) {
    case KEEP:
        return SM_OK;
    case CONFLICT:
        imp_note(r, true, "%s: %s \"%s\" (%s, %s) differs from the catalog's \"%s\", which "
                 "%s; kept the catalog's", d->name, name, val, r->ops->name, d->file, have,
                 why);
        return SM_OK;
    case CONFIRM:
        if ((rc = note_asrc(r, m, i, SM_NONE, attr, file, entity, err)))
            return rc;
        return d->status == 1 ? SM_OK : diff_line(r, i, "  ~ %s  [%s]", name, entity);
    case TAKE:
        break;
    }
    if ((rc = apply_attr(r, m, i, name, val, err)))
        return rc;
    if ((rc = note_asrc(r, m, i, SM_NONE, attr, file, entity, err)))
        return rc;
    r->changed = true;
    return SM_OK;
}

static int
apply_placement(struct import_run *r, struct model *m, int32_t i, struct sm_error *err)
{
    struct imp_ds *d = &r->ds[i];
    int32_t rid, p, pid;
    struct placement np;
    int rc;

    p = model_primary(m, d->id);
    if (!d->region) {
        if (p == SM_NONE && m->datasets[d->id].first_placement == SM_NONE) {
            r->stats.no_region++;
            imp_note(r, false, "%s: no region (%s); imported without a copy", d->name,
                     d->no_region_why ? d->no_region_why
                                      : "no location, bucket map entry or --region");
        }
        return SM_OK;
    }
    rid = model_region(m, d->region);
    if (rid == SM_NONE) {
        imp_note(r, false, "%s: region %s (%s) is not a known region; imported without a copy",
                 d->name, d->region, d->region_why);
        if (p == SM_NONE)
            r->stats.no_region++;
        return SM_OK;
    }
    if (p != SM_NONE) {
        if (m->placements[p].region == rid || d->region_weak)
            return SM_OK;
        const char *old = m->regions[m->placements[p].region].id;
        if ((rc = model_set(m, OBJ_PLACEMENT, p, "region", d->region, err))) {
            imp_note(r, false, "%s: the source moved it from %s to %s but the copy could not "
                     "follow: %s", d->name, old, d->region, err ? err->msg : "");
            return SM_OK;
        }
        if ((rc = touch(r, OBJ_PLACEMENT, p)))
            return rc;
        return diff_line(r, i, "  ~ primary %s -> %s (%s)", old, d->region, d->region_why);
    }
    model_placement_init(&np);
    np.dataset = d->id;
    np.region = rid;
    np.role = ROLE_PRIMARY;
    if ((rc = model_add_placement(m, &np, &pid, err)))
        return rc;
    if ((rc = touch(r, OBJ_PLACEMENT, pid)))
        return rc;
    return diff_line(r, i, "  + primary %s (%s)", d->region, d->region_why);
}

/* The copies an importer found (terraform): added when the dataset has
 * none in that region with that role, their key region and encryption
 * brought up to date otherwise. Never removes a copy: a resource missing
 * from one file says nothing about the others. */
static int
apply_copies(struct import_run *r, struct model *m, int32_t i, struct sm_error *err)
{
    struct imp_ds *d = &r->ds[i];
    int rc;

    for (int32_t k = d->first_copy; k != SM_NONE; k = r->copies[k].next) {
        const struct import_copy *c = &r->copies[k];
        int32_t rid = model_region(m, c->region), kid = SM_NONE, p, prim;
        int rl = c->role;
        const char *role;
        if (rid != SM_NONE && rl == ROLE_PRIMARY &&
            (prim = model_primary(m, d->id)) != SM_NONE && m->placements[prim].region != rid) {
            /* one primary per dataset: another resource's copy is a replica */
            imp_note(r, false, "%s: a second primary copy in %s (%s); recorded as a replica of "
                     "the one in %s", d->name, c->region, c->entity,
                     m->regions[m->placements[prim].region].id);
            rl = ROLE_REPLICA;
        }
        role = role_names[rl];
        if (rid == SM_NONE) {
            imp_note(r, false, "%s: %s copy in %s (%s) is not in a known region; not imported",
                     d->name, role, c->region, c->entity);
            continue;
        }
        if (c->key_region && (kid = model_region(m, c->key_region)) == SM_NONE)
            imp_note(r, false, "%s: key region %s of the copy in %s (%s) is not a known region",
                     d->name, c->key_region, c->region, c->entity);
        p = model_placement_of(m, d->id, rid, rl);
        if (p == SM_NONE) {
            struct placement np;
            model_placement_init(&np);
            np.dataset = d->id;
            np.region = rid;
            np.role = (uint8_t)rl;
            np.key_region = kid;
            np.encrypted = c->encrypted != 0;
            if ((rc = model_add_placement(m, &np, &p, err)) || (rc = touch(r, OBJ_PLACEMENT, p)))
                return rc;
            r->stats.copies_new++;
            if ((rc = diff_line(r, i, "  + %s %s%s%s%s  [%s]", role, c->region,
                                kid != SM_NONE ? " key " : "",
                                kid != SM_NONE ? c->key_region : "",
                                c->encrypted == 0 ? " unencrypted" : "", c->entity)))
                return rc;
            continue;
        }
        if (kid != SM_NONE && m->placements[p].key_region != kid) {
            int32_t old = m->placements[p].key_region;
            if ((rc = model_set(m, OBJ_PLACEMENT, p, "key-region", c->key_region, err)) ||
                (rc = touch(r, OBJ_PLACEMENT, p)))
                return rc;
            r->stats.copies_changed++;
            if ((rc = diff_line(r, i, "  ~ %s %s key %s -> %s  [%s]", role, c->region,
                                old == SM_NONE ? "(none)" : m->regions[old].id, c->key_region,
                                c->entity)))
                return rc;
        }
        if (c->encrypted >= 0 && m->placements[p].encrypted != (c->encrypted != 0)) {
            if ((rc = model_set(m, OBJ_PLACEMENT, p, "encrypted",
                                c->encrypted ? "true" : "false", err)) ||
                (rc = touch(r, OBJ_PLACEMENT, p)))
                return rc;
            r->stats.copies_changed++;
            if ((rc = diff_line(r, i, "  ~ %s %s encrypted %s  [%s]", role, c->region,
                                c->encrypted ? "yes" : "no", c->entity)))
                return rc;
        }
    }
    return SM_OK;
}

/* A column's type or comment, with the dataset attributes' precedence
 * (settle): its source is recorded; a source that may not change it
 * reports a disagreement, once per run. */
static int
apply_field_attr(struct import_run *r, struct model *m, int32_t i, int32_t fid,
                 const struct imp_field *x, bool type, bool fresh, struct sm_error *err)
{
    const struct field *f = &m->fields[fid];
    const char *what = type ? "type" : "comment";
    const char *val = type ? x->type : x->comment;
    const char *have = type ? f->type : f->comment;
    const char *entity = type ? x->type_entity : x->comment_entity;
    const char *file = type ? x->type_file : x->comment_file;
    int attr = type ? ASRC_TYPE : ASRC_COMMENT;
    const char *why;
    int rc;

    if (!val || !*val)
        return SM_OK;
    if (!have)
        have = "";
    if (!entity || !*entity)
        entity = r->ds[i].source_ref;
    switch (settle(r, m, i, fid, attr, have, val, entity, &why)) {
    case KEEP:
        return SM_OK;
    case CONFLICT:
        imp_note(r, true, "%s: field %s: %s \"%s\" (%s, %s) differs from the catalog's \"%s\"%s; "
                 "kept the catalog's", r->ds[i].name, f->name, what, val, r->ops->name,
                 r->ds[i].file, have, why && strcmp(why, "a person set") == 0
                                      ? ", which a person set" : "");
        return SM_OK;
    case CONFIRM:
        if ((rc = note_asrc(r, m, i, fid, attr, file, entity, err)))
            return rc;
        if (r->ds[i].status == 1 || fresh) {
            r->changed = true;
            return SM_OK;
        }
        return diff_line(r, i, "  ~ field %s %s  [%s]", f->name, what, entity);
    case TAKE:
        break;
    }
    if (!fresh && r->ds[i].status != 1 &&
        (rc = diff_line(r, i, "  ~ field %s %s \"%s\" -> \"%s\"", f->name, what, have, val)))
        return rc;
    if (r->ds[i].status == 1 || fresh)
        r->changed = true;
    if ((rc = model_set_field_attrs(m, fid, type ? val : NULL, type ? NULL : val, err)))
        return rc;
    return note_asrc(r, m, i, fid, attr, file, entity, err);
}

static int
apply_tags(struct import_run *r, struct model *m, int32_t i, uint32_t *seen, int32_t cap_seen,
           struct sm_error *err)
{
    struct imp_ds *d = &r->ds[i];
    uint32_t stamp = (uint32_t)i + 1;
    bool added = false;
    int rc;

    for (int32_t f = d->first_field; f != SM_NONE; f = r->fields[f].next) {
        int32_t fid = model_field(m, d->id, r->fields[f].name);
        bool fresh = fid == SM_NONE;
        if (fresh) {
            added = true;
            if ((rc = model_add_field(m, d->id, r->fields[f].name, &fid, err)))
                return rc;
            r->stats.fields_new++;
            if (d->status != 1 && (rc = diff_line(r, i, "  + field %s", r->fields[f].name)))
                return rc;
            else if (d->status == 1)
                r->changed = true;
        }
        if ((rc = apply_field_attr(r, m, i, fid, &r->fields[f], true, fresh, err)) ||
            (rc = apply_field_attr(r, m, i, fid, &r->fields[f], false, fresh, err)))
            return rc;
    }
    /* fields in name order, so that any order of the imports lists them
     * alike (doc/import.md, Merge rules) */
    if (added)
        model_sort_fields(m, d->id);
    for (int32_t t = d->first_tag; t != SM_NONE; t = r->tags[t].next) {
        struct imp_tag *it = &r->tags[t];
        int32_t fid = it->field ? model_field(m, d->id, it->field) : SM_NONE;
        int32_t before = m->ntags, tid;
        if ((rc = model_add_tag(m, d->id, fid, it->tag, it->source, it->entity, r->opts.now,
                                &tid, err)))
            return rc;
        if (tid < cap_seen)
            seen[tid] = stamp;
        if (m->ntags != before && it->expired &&
            (rc = model_set_tag_expired(m, tid, it->expired, err)))
            return rc;
        if (m->ntags == before && takes_over(r, d, it, &m->tags[tid])) {
            /* a live source over an expired one, a higher source over a
             * lower one that agrees: its provenance wins, whatever the order
             * of the imports; the file that fully describes the tag's carrier
             * updates how it got there (propagation sources, expiry) */
            if ((rc = model_set_tag_source(m, tid, it->source, it->entity, r->opts.now, err)) ||
                (rc = model_set_tag_expired(m, tid, it->expired, err)) ||
                (rc = diff_line(r, i, "  ~ tag %s%s%s  [%s]", it->field ? it->field : "",
                                it->field ? ": " : "", it->tag, it->entity)))
                return rc;
        }
        if (m->ntags != before) {
            r->stats.tags_added++;
            if ((rc = diff_line(r, i, "  + tag %s%s%s  [%s]", it->field ? it->field : "",
                                it->field ? ": " : "", it->tag, it->entity)))
                return rc;
        }
    }
    if (d->first_carrier == SM_NONE)
        return SM_OK;
    for (int32_t t = m->datasets[d->id].first_tag, next; t != SM_NONE; t = next) {
        next = m->tags[t].next;
        if (t < cap_seen && seen[t] == stamp)
            continue;
        if (t >= cap_seen)
            continue;       /* added by this apply */
        if (!carrier_of(r, d, m->tags[t].entity))
            continue;
        if ((rc = diff_line(r, i, "  - tag %s%s%s  [%s]", field_label(m, m->tags[t].field),
                            m->tags[t].field == SM_NONE ? "" : ": ", m->tags[t].tag,
                            m->tags[t].entity)))
            return rc;
        model_remove_tag(m, t);
        r->stats.tags_removed++;
    }
    return SM_OK;
}

/* The record's properties onto the model, with the tags' merge rules: a
 * key set again by the same carrier takes the new value; one another
 * carrier set is replaced only by a higher source (the same rank: the
 * smaller entity, whatever the order of the imports), a lower source
 * that disagrees is a conflict, reported once. Then the properties a
 * carrier this file fully describes no longer has are removed. */
static int
apply_props(struct import_run *r, struct model *m, int32_t i, struct sm_error *err)
{
    struct imp_ds *d = &r->ds[i];
    int rc;

    for (int32_t p = d->first_prop; p != SM_NONE; p = r->props[p].next) {
        const struct imp_prop *ip = &r->props[p];
        int32_t have = model_prop(m, d->id, ip->key);
        const struct prop *hp = have == SM_NONE ? NULL : &m->props[have];
        bool same_carrier, wins;

        if (!hp) {
            if ((rc = model_set_prop(m, d->id, ip->key, ip->value, ip->source, ip->entity,
                                     r->opts.now, NULL, err)))
                return rc;
            if ((rc = diff_line(r, i, "  + property %s = %s  [%s]", ip->key, ip->value,
                                ip->entity)))
                return rc;
            continue;
        }
        if (strcmp(hp->value, ip->value) == 0 && strcmp(hp->entity, ip->entity) == 0)
            continue;
        same_carrier = strcspn(hp->entity, " ") == strcspn(ip->entity, " ") &&
                       strncmp(hp->entity, ip->entity, strcspn(ip->entity, " ")) == 0 &&
                       !imp_entity_partial(hp->entity);
        wins = same_carrier || imp_attr_rank(ip->entity) > imp_attr_rank(hp->entity) ||
               (imp_attr_rank(ip->entity) == imp_attr_rank(hp->entity) &&
                strcmp(ip->entity, hp->entity) < 0);
        if (!wins) {
            if (strcmp(hp->value, ip->value))
                imp_note(r, true, "%s: property %s \"%s\" (%s, %s) differs from the catalog's "
                         "\"%s\" (%s); kept the catalog's", d->name, ip->key, ip->value,
                         r->ops->name, ip->source, hp->value, hp->entity);
            continue;
        }
        if (strcmp(hp->value, ip->value))
            rc = diff_line(r, i, "  ~ property %s \"%s\" -> \"%s\"  [%s]", ip->key, hp->value,
                           ip->value, ip->entity);
        else
            rc = diff_line(r, i, "  ~ property %s  [%s]", ip->key, ip->entity);
        if (rc || (rc = model_set_prop(m, d->id, ip->key, ip->value, ip->source, ip->entity,
                                       r->opts.now, NULL, err)))
            return rc;
    }
    if (d->first_carrier == SM_NONE)
        return SM_OK;
    for (int32_t p = m->datasets[d->id].first_prop, next; p != SM_NONE; p = next) {
        const struct prop *hp = &m->props[p];
        bool kept = false;
        next = hp->next;
        if (!carrier_of(r, d, hp->entity))
            continue;
        for (int32_t q = d->first_prop; q != SM_NONE && !kept; q = r->props[q].next)
            kept = strcmp(r->props[q].key, hp->key) == 0 &&
                   strcspn(r->props[q].entity, " ") == strcspn(hp->entity, " ") &&
                   strncmp(r->props[q].entity, hp->entity, strcspn(hp->entity, " ")) == 0;
        if (kept)
            continue;
        if ((rc = diff_line(r, i, "  - property %s  [%s]", hp->key, hp->entity)))
            return rc;
        model_remove_prop(m, p);
    }
    return SM_OK;
}

static int
apply_ds(struct import_run *r, struct model *m, int32_t i, int32_t *by_ref_map_ok,
         struct sm_map *refs, uint32_t *seen, int32_t cap_seen, struct sm_error *err)
{
    struct imp_ds *d = &r->ds[i];
    int32_t id = SM_NONE;
    int rc;

    (void)by_ref_map_ok;
    if (*d->source_ref)
        id = sm_map_get(refs, d->source_ref);
    if (d->lineage_only) {
        /* a flow end only: the dataset some other file defined, or none */
        d->id = id != SM_NONE ? id : model_dataset(m, d->name);
        return SM_OK;
    }
    if (id != SM_NONE && strcmp(m->datasets[id].name, d->name))
        imp_note(r, false, "%s is now called %s in the source (%s); the catalog keeps the "
                 "name %s", m->datasets[id].name, d->name, d->source_ref, m->datasets[id].name);
    if (id == SM_NONE)
        id = model_dataset(m, d->name);
    if (id == SM_NONE) {
        struct dataset nd;
        model_dataset_init(&nd);
        nd.name = d->name;
        nd.source_ref = d->source_ref;
        nd.system = d->system;
        nd.owner = d->owner;
        nd.description = d->description;
        if ((rc = model_add_dataset(m, &nd, &id, err)))
            return rc;
        d->id = id;
        for (int a = 0; a < ASRC_TIER; a++)
            if (rec_attr(d, a) && *rec_attr(d, a) &&
                (rc = note_asrc(r, m, i, SM_NONE, a, d->asrc_file[a], d->asrc_entity[a], err)))
                return rc;
        d->status = 1;
        d->authority = true;
        r->changed = true;
        r->stats.datasets_new++;
        if (*d->source_ref && sm_map_put(refs, m->datasets[id].source_ref, id))
            return SM_ENOMEM;
    }
    d->id = id;
    if (d->status != 1) {
        const char *have = m->datasets[id].source_ref;
        bool atlas_full = r->ops == &importer_atlas && d->attrs_full;
        /* precedence: the Atlas entity-bulk is the authority for a dataset
         * Atlas knows; Glue (and Lake Formation) for one it does not */
        bool authority = r->ops == &importer_atlas ? atlas_full : !atlas_ref(have);
        d->authority = authority;
        if ((!*have || (atlas_full && !atlas_ref(have))) && *d->source_ref &&
            strcmp(have, d->source_ref)) {
            if ((rc = apply_attr(r, m, i, "source", d->source_ref, err)))
                return rc;
            if (sm_map_put(refs, m->datasets[id].source_ref, id))
                return SM_ENOMEM;
        }
        if ((rc = apply_attr_from(r, m, i, ASRC_SYSTEM, err)) ||
            (rc = apply_attr_from(r, m, i, ASRC_OWNER, err)) ||
            (rc = apply_attr_from(r, m, i, ASRC_DESCRIPTION, err)))
            return rc;
    }
    if ((rc = apply_tier(r, m, i, err)) || (rc = apply_subjects(r, m, i, err)) ||
        (rc = apply_tags(r, m, i, seen, cap_seen, err)) ||
        (rc = apply_props(r, m, i, err)) ||
        (rc = apply_copies(r, m, i, err)) ||
        (rc = apply_placement(r, m, i, err)))
        return rc;
    if (d->status == 1)
        r->changed = true;
    if (d->status == 0)
        r->stats.datasets_same++;
    else if (d->status == 2)
        r->stats.datasets_changed++;
    if (d->status)
        return touch(r, OBJ_DATASET, id);
    return SM_OK;
}

static int
apply_flows(struct import_run *r, struct model *m, struct sm_error *err)
{
    struct sm_map have;
    char key[64];    /* bounded: three int32 in decimal */
    int rc = SM_OK;

    if (!r->nflows)
        return SM_OK;
    sm_map_init(&have);
    for (int32_t f = 0; f < m->nflows; f++) {
        const char *k;
        if (m->flows[f].deleted || m->flows[f].to == SM_NONE)
            continue;
        snprintf(key, sizeof key, "%d>%d>%d", (int)m->flows[f].from, (int)m->flows[f].to,
                 (int)m->flows[f].kind);
        if (!(k = imp_str(r, key)) || sm_map_put(&have, k, f)) {
            rc = SM_ENOMEM;
            goto done;
        }
    }
    for (int32_t i = 0; i < r->nflows; i++) {
        struct imp_flow *fl = &r->flows[i];
        struct imp_ds *a = &r->ds[fl->from], *b = &r->ds[fl->to];
        int32_t pa = a->id == SM_NONE ? SM_NONE : model_primary(m, a->id);
        int32_t pb = b->id == SM_NONE ? SM_NONE : model_primary(m, b->id);
        struct flow nf;
        int32_t fid;
        const char *k;
        if ((a->lineage_only && a->id == SM_NONE) || (b->lineage_only && b->id == SM_NONE)) {
            const struct imp_ds *x = a->lineage_only && a->id == SM_NONE ? a : b;
            r->stats.flows_skipped++;
            imp_note(r, false, "lineage %s -> %s (via %s): %s is known only from lineage; "
                     "import the file that defines it", a->name, b->name, fl->via, x->name);
            continue;
        }
        if (pa == SM_NONE || pb == SM_NONE) {
            r->stats.flows_skipped++;
            imp_note(r, false, "lineage %s -> %s (via %s): %s has no copy to draw the flow "
                     "from; not imported", a->name, b->name, fl->via,
                     pa == SM_NONE ? a->name : b->name);
            continue;
        }
        snprintf(key, sizeof key, "%d>%d>%d", (int)pa, (int)pb, (int)FLOW_ETL);
        if (sm_map_get(&have, key) != SM_NONE)
            continue;
        model_flow_init(&nf);
        nf.from = pa;
        nf.to = pb;
        nf.kind = FLOW_ETL;
        if ((rc = model_add_flow(m, &nf, &fid, err))) {
            if (rc != SM_EEXIST)
                goto done;
            imp_note(r, false, "lineage %s -> %s: %s", a->name, b->name, err ? err->msg : "");
            rc = SM_OK;
            continue;
        }
        if (!(k = imp_str(r, key)) || sm_map_put(&have, k, fid) ||
            (rc = touch(r, OBJ_FLOW, fid))) {
            rc = rc ? rc : SM_ENOMEM;
            goto done;
        }
        r->stats.flows_new++;
        if ((rc = diff_line(r, fl->to, "  + flow etl from %s (via %s)", a->name, fl->via)))
            goto done;
    }
done:
    sm_map_fini(&have);
    return rc;
}

int
import_run_apply(struct import_run *r, struct model *m, struct sm_error *err)
{
    struct sm_map refs;
    uint32_t *seen = NULL;
    int32_t cap_seen = m->ntags;
    int rc = SM_OK;

    sm_map_init(&refs);
    if (sm_map_reserve(&refs, (uint32_t)m->ndatasets + (uint32_t)r->nds + 16))
        return sm_error_set(err, SM_ENOMEM, "import: out of memory");
    for (int32_t i = 0; i < m->ndatasets; i++)
        if (!m->datasets[i].deleted && *m->datasets[i].source_ref &&
            sm_map_put(&refs, m->datasets[i].source_ref, i)) {
            rc = sm_error_set(err, SM_ENOMEM, "import: out of memory");
            goto done;
        }
    if (cap_seen && !(seen = calloc((size_t)cap_seen, sizeof *seen))) {
        rc = sm_error_set(err, SM_ENOMEM, "import: out of memory");
        goto done;
    }
    for (int32_t i = 0; i < r->nds; i++) {
        if ((rc = apply_ds(r, m, i, NULL, &refs, seen, cap_seen, err))) {
            if (rc == SM_ENOMEM && err && !err->msg[0])
                sm_error_set(err, SM_ENOMEM, "import: out of memory");
            else
                sm_error_prefix(err, "import %s", r->ds[i].name);
            goto done;
        }
    }
    if ((rc = apply_flows(r, m, err))) {
        if (rc == SM_ENOMEM)
            sm_error_set(err, SM_ENOMEM, "import: out of memory");
        goto done;
    }
    /* flows may have changed datasets that were otherwise the same */
    for (int32_t i = 0; i < r->nds; i++)
        if (r->ds[i].status == 2 && r->ds[i].id != SM_NONE && (rc = touch(r, OBJ_DATASET,
                                                                           r->ds[i].id)))
            goto done;
    /* the store needs a dataset's row before its copies', copies before flows */
    if (r->ntouched > 1) {
        struct import_touched *sorted = malloc((size_t)r->ntouched * sizeof *sorted);
        int32_t n = 0;
        if (!sorted) {
            rc = sm_error_set(err, SM_ENOMEM, "import: out of memory");
            goto done;
        }
        for (int k = 0; k < OBJ_KIND_COUNT; k++)
            for (int32_t i = 0; i < r->ntouched; i++)
                if ((int)r->touched[i].kind == k)
                    sorted[n++] = r->touched[i];
        memcpy(r->touched, sorted, (size_t)n * sizeof *sorted);
        free(sorted);
    }
    r->stats.datasets_changed = r->stats.datasets_same = 0;
    for (int32_t i = 0; i < r->nds; i++) {
        if (r->ds[i].lineage_only)
            continue;
        if (r->ds[i].status == 2)
            r->stats.datasets_changed++;
        else if (r->ds[i].status == 0)
            r->stats.datasets_same++;
    }
done:
    free(seen);
    sm_map_fini(&refs);
    return rc;
}

int32_t
import_run_touched(const struct import_run *r, const struct import_touched **out)
{
    *out = r->touched;
    return r->ntouched;
}

bool
import_run_changed(const struct import_run *r)
{
    return r->changed;
}

const struct import_stats *
import_run_stats(const struct import_run *r)
{
    return &r->stats;
}

/* ---- output ----------------------------------------------------------------------- */

/* A line for the terminal: control bytes (names come from foreign files)
 * escaped as \xNN, everything else, UTF-8 included, as is. */
static void
put_line(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\x%02x", *p);
        else
            fputc(*p, f);
    }
    fputc('\n', f);
}

void
import_run_print_diff(const struct import_run *r, FILE *f)
{
    for (int32_t i = 0; i < r->nds; i++) {
        const struct imp_ds *d = &r->ds[i];
        if (d->status == 0)
            continue;
        fprintf(f, "%c dataset ", d->status == 1 ? '+' : '~');
        put_line(f, d->name);
        for (int32_t l = d->first_diff; l != SM_NONE; l = r->lines[l].next)
            put_line(f, r->lines[l].text);
    }
}

void
import_run_print_summary(const struct import_run *r, FILE *f)
{
    const struct import_stats *s = &r->stats;

    fprintf(f, "datasets: %d new, %d changed, %d unchanged\n", s->datasets_new,
            s->datasets_changed, s->datasets_same);
    fprintf(f, "fields: %d new; tags: %d added, %d removed; flows: %d new, %d not imported\n",
            s->fields_new, s->tags_added, s->tags_removed, s->flows_new, s->flows_skipped);
    if (r->ncopies)
        fprintf(f, "copies: %d found, %d new, %d changed\n", (int)r->ncopies, s->copies_new,
                s->copies_changed);
    if (s->unknown)
        fprintf(f, "%d value%s known only after apply (not guessed)\n", s->unknown,
                s->unknown == 1 ? "" : "s");
    if (s->skipped) {
        fprintf(f, "skipped %d entit%s:\n", s->skipped, s->skipped == 1 ? "y" : "ies");
        for (int32_t i = 0; i < r->nskips; i++)
        {
            fprintf(f, "  %d ", r->skips[i].count);
            put_line(f, r->skips[i].text);
        }
    }
    if (s->no_region)
        fprintf(f, "%d dataset%s without a region\n", s->no_region, s->no_region == 1 ? "" : "s");
    for (int32_t i = 0; i < r->nnotes; i++)
        put_line(f, r->notes[i].text);
}

void
import_run_print_notes(const struct import_run *r, const char *prefix, FILE *f)
{
    for (int32_t i = 0; i < r->nskips; i++) {
        fprintf(f, "%sskipped %d ", prefix, r->skips[i].count);
        put_line(f, r->skips[i].text);
    }
    if (r->stats.unknown)
        fprintf(f, "%s%d value%s known only after apply (not guessed)\n", prefix,
                r->stats.unknown, r->stats.unknown == 1 ? "" : "s");
    for (int32_t i = 0; i < r->nnotes; i++) {
        fputs(prefix, f);
        put_line(f, r->notes[i].text);
    }
}

char *
import_run_audit_text(const struct import_run *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    if (!f)
        return NULL;
    import_run_print_diff(r, f);
    fclose(f);
    if (buf && len > IMPORT_AUDIT_MAX) {
        /* the audit log keeps the gist, the catalog the facts: whole lines
         * only, so no name is cut and the text stays valid UTF-8 */
        char *cut = buf + IMPORT_AUDIT_MAX - 32;
        while (cut > buf && cut[-1] != '\n')
            cut--;
        strcpy(cut, "... (diff truncated)\n");
    }
    return buf;
}
