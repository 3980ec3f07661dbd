/*
 * model_asrc.c - which source set an attribute (see struct asrc in model.h
 * and doc/import.md, Merge rules): the per-dataset list of attribute
 * sources, looked up and set in place.
 */
#include "model.h"
#include "model_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *const asrc_names[ASRC_COUNT] = {
    "system", "owner", "description", "tier", "type", "comment",
};

int
asrc_attr(const char *name)
{
    for (int a = 0; name && a < ASRC_COUNT; a++)
        if (strcmp(name, asrc_names[a]) == 0)
            return a;
    return SM_NONE;
}

int32_t
model_asrc(const struct model *m, int32_t dataset, int32_t field, int attr)
{
    if (dataset < 0 || dataset >= m->ndatasets)
        return SM_NONE;
    for (int32_t i = model_asrc_first(m, dataset); i != SM_NONE; i = m->asrcs[i].next)
        if (m->asrcs[i].field == field && m->asrcs[i].attr == attr)
            return i;
    return SM_NONE;
}

int
model_set_asrc(struct model *m, int32_t dataset, int32_t field, int attr, const char *source,
               const char *entity, const char *time, int32_t *id, struct sm_error *err)
{
    int32_t i;
    struct asrc *a;
    const char *s, *e, *t;

    if (dataset < 0 || dataset >= m->ndatasets || m->datasets[dataset].deleted)
        return sm_error_set(err, SM_ENOTFOUND, "unknown dataset");
    if (attr < 0 || attr >= ASRC_COUNT ||
        (field != SM_NONE && (field < 0 || field >= m->nfields ||
                              m->fields[field].dataset != dataset)) ||
        ((field == SM_NONE) != (attr < ASRC_TYPE)))
        return sm_error_set(err, SM_EINVAL, "dataset %s: bad attribute source",
                            m->datasets[dataset].name);
    if (check_utf8(err, "attribute source", 3, source, entity, time))
        return SM_EINVAL;
    i = model_asrc(m, dataset, field, attr);
    if (i == SM_NONE) {
        if (GROW(m, asrcs, m->nasrcs + 1) ||
            model_set_asrc_first(m, dataset, model_asrc_first(m, dataset)))
            return oom(err);
        i = m->nasrcs++;
        a = &m->asrcs[i];
        a->dataset = dataset;
        a->field = field;
        a->attr = (uint8_t)attr;
        a->source = a->entity = a->time = "";
        a->next = model_asrc_first(m, dataset);
        m->asrc_first[dataset] = i;
    }
    s = model_str(m, source ? source : "");
    e = model_str(m, entity ? entity : "");
    t = model_str(m, time ? time : "");
    if (!s || !e || !t)
        return oom(err);
    a = &m->asrcs[i];
    a->source = s;
    a->entity = e;
    a->time = t;
    if (id)
        *id = i;
    model_changed_kinds(m, false, 0);   /* attribute sources */
    return SM_OK;
}

void
model_clear_asrc(struct model *m, int32_t dataset, int32_t field, int attr)
{
    if (model_asrc_first(m, dataset) == SM_NONE)
        return;
    for (int32_t *link = &m->asrc_first[dataset]; *link != SM_NONE;
         link = &m->asrcs[*link].next) {
        struct asrc *a = &m->asrcs[*link];
        if (a->field == field && a->attr == attr) {
            *link = a->next;
            a->next = SM_NONE;
            a->dataset = SM_NONE;   /* no list's: model_asrc_relink skips it */
            model_changed_kinds(m, false, 0);   /* attribute sources */
            return;
        }
    }
}

int
model_set_asrc_first(struct model *m, int32_t dataset, int32_t first)
{
    if (dataset < 0)
        return SM_EINVAL;
    if (dataset >= m->cap_asrc_first) {
        int32_t old = m->cap_asrc_first;
        if (sm_grow((void **)&m->asrc_first, &m->cap_asrc_first,
                    dataset >= m->ndatasets ? dataset + 1 : m->ndatasets,
                    sizeof *m->asrc_first))
            return SM_ENOMEM;
        for (int32_t i = old; i < m->cap_asrc_first; i++)
            m->asrc_first[i] = SM_NONE;
    }
    m->asrc_first[dataset] = first;
    return SM_OK;
}

int
model_asrc_first_copy(struct model *dst, const struct model *src)
{
    size_t n = (size_t)src->cap_asrc_first;

    if (!src->asrc_first)
        return SM_OK;
    if (!(dst->asrc_first = malloc(sizeof *dst->asrc_first * n)))
        return SM_ENOMEM;
    memcpy(dst->asrc_first, src->asrc_first, sizeof *dst->asrc_first * n);
    dst->cap_asrc_first = src->cap_asrc_first;
    return SM_OK;
}

int
model_asrc_relink(struct model *m)
{
    uint8_t *follows;

    free(m->asrc_first);
    m->asrc_first = NULL;
    m->cap_asrc_first = 0;
    if (!m->nasrcs)
        return SM_OK;
    if (!(follows = calloc((size_t)m->nasrcs, 1)))
        return SM_ENOMEM;
    for (int32_t i = 0; i < m->nasrcs; i++)
        if (m->asrcs[i].next >= 0 && m->asrcs[i].next < m->nasrcs)
            follows[m->asrcs[i].next] = 1;
    for (int32_t i = 0; i < m->nasrcs; i++) {
        int32_t d = m->asrcs[i].dataset;
        if (follows[i] || d < 0 || d >= m->ndatasets || m->datasets[d].deleted)
            continue;
        if (model_set_asrc_first(m, d, i)) {
            free(follows);
            return SM_ENOMEM;
        }
    }
    free(follows);
    return SM_OK;
}

int
model_asrc_typed(struct model *m, struct sm_error *err)
{
    int rc;

    for (int32_t d = 0; d < m->ndatasets; d++) {
        const struct dataset *ds = &m->datasets[d];
        const char *v[ASRC_TIER] = { ds->system, ds->owner, ds->description };
        if (ds->deleted)
            continue;
        for (int a = 0; a < ASRC_TYPE; a++) {
            bool given = a == ASRC_TIER ? m->datasets[d].tier != SM_NONE : v[a] && *v[a];
            if (given && model_asrc(m, d, SM_NONE, a) == SM_NONE &&
                (rc = model_set_asrc(m, d, SM_NONE, a, "", "", "", NULL, err)))
                return rc;
        }
        for (int32_t f = m->datasets[d].first_field; f != SM_NONE; f = m->fields[f].next) {
            const char *fv[2] = { m->fields[f].type, m->fields[f].comment };
            for (int a = ASRC_TYPE; a < ASRC_COUNT; a++)
                if (fv[a - ASRC_TYPE] && *fv[a - ASRC_TYPE] &&
                    model_asrc(m, d, f, a) == SM_NONE &&
                    (rc = model_set_asrc(m, d, f, a, "", "", "", NULL, err)))
                    return rc;
        }
    }
    return SM_OK;
}
