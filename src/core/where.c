/*
 * where.c - a dataset not yet modelled, and the probe that places one copy
 * on a clone of the model and runs the whole checker on it. The verdicts of
 * `sovmap where` come from check_where (check.c); the probe gives
 * --why-not the checker's own findings and why chains.
 *
 * Core: no I/O, no globals.
 */
#include <stdlib.h>
#include <string.h>

#include "where.h"
#include "rules.h"

int
where_scratch(const struct model *m, int32_t tier, const uint16_t *subjects, int nsubjects,
              bool public_sector, struct model **out, int32_t *dataset, struct sm_error *err)
{
    struct model *c = NULL;
    struct dataset ds;
    int32_t id;
    int rc;

    if (nsubjects > MODEL_MAX_SUBJECTS)
        return sm_error_set(err, SM_EINVAL, "at most %d subject jurisdictions", MODEL_MAX_SUBJECTS);
    if (model_clone(m, &c))
        return sm_error_set(err, SM_ENOMEM, "where: out of memory");
    model_dataset_init(&ds);
    ds.name = "(new dataset)";
    ds.tier = tier;
    ds.public_sector = public_sector;
    ds.nsubjects = (uint8_t)nsubjects;
    for (int k = 0; k < nsubjects; k++)
        ds.subjects[k] = subjects[k];
    if ((rc = model_add_dataset(c, &ds, &id, err))) {
        model_free(c);
        return rc;
    }
    *out = c;
    *dataset = id;
    return SM_OK;
}

void
where_probe_fini(struct where_probe *p)
{
    if (!p)
        return;
    free(p->findings);
    check_result_free(p->r);
    model_free(p->m);
    memset(p, 0, sizeof *p);
}

int
where_probe(const struct model *m, const struct rulepack *rp, int32_t today, int32_t d,
            int role, int32_t r, int mech, struct where_probe *out, struct sm_error *err)
{
    struct where_probe p;
    struct placement pl;
    int32_t home = model_primary(m, d);
    uint32_t want = check_where_rules();
    int rc;

    memset(&p, 0, sizeof p);
    if (model_clone(m, &p.m))
        return sm_error_set(err, SM_ENOMEM, "where: out of memory");
    if (home == SM_NONE)        /* the checker takes the first copy as home */
        for (int32_t q = m->datasets[d].first_placement; q != SM_NONE; q = m->placements[q].next)
            if (!m->placements[q].deleted) {
                home = q;
                break;
            }
    model_placement_init(&pl);
    pl.dataset = d;
    pl.region = r;
    pl.encrypted = 1;
    pl.key_region = SM_NONE;
    pl.mechanism = (uint8_t)mech;
    pl.role = role == WHERE_PRIMARY ? ROLE_PRIMARY : role == WHERE_BACKUP ? ROLE_BACKUP : ROLE_REPLICA;
    if (role == WHERE_KEY) {
        pl.region = home == SM_NONE ? r : m->placements[home].region;
        pl.key_region = r;
    }
    /* Make room: a copy in the same region and role, and for a primary the
     * old primary, become cache copies (findings about them are not ours). */
    for (int32_t q = p.m->datasets[d].first_placement; q != SM_NONE; q = p.m->placements[q].next) {
        struct placement *o = &p.m->placements[q];
        if (!o->deleted && ((o->region == pl.region && o->role == pl.role) ||
                            (pl.role == ROLE_PRIMARY && o->role == ROLE_PRIMARY)))
            o->role = ROLE_CACHE;
    }
    if ((rc = model_add_placement(p.m, &pl, &p.placement, err)) ||
        (rc = check_run(p.m, rp, today, &p.r, err)))
        goto fail;
    p.findings = malloc(sizeof *p.findings * (size_t)(p.r->nfindings + 1));
    if (!p.findings) {
        rc = sm_error_set(err, SM_ENOMEM, "where: out of memory");
        goto fail;
    }
    for (int32_t k = 0; k < p.r->nfindings; k++) {
        const struct finding *f = &p.r->findings[k];
        int rule = rules_rule(f->rule);
        bool ours = (f->kind == OBJ_PLACEMENT && f->object == p.placement) ||
            (role == WHERE_PRIMARY && f->kind == OBJ_DATASET && f->object == d &&
             rule == RULE_RES003);
        if (role == WHERE_KEY)
            ours = ours && rule == RULE_ENC002;
        if (ours && rule != SM_NONE && (want & (1u << rule))) {
            p.findings[p.nfindings++] = k;
            p.rules |= 1u << rule;
        }
    }
    *out = p;
    return SM_OK;
fail:
    where_probe_fini(&p);
    return rc;
}
