/*
 * import_test.h - helpers shared by the importer tests (test_import_*.c):
 * a model with the shipped regions and the default tiers, the shipped
 * mapping file plus the fixtures' bucket map (tests/fixtures/buckets.map.json),
 * running an import over fixture files (tests/fixtures), and asserting
 * datasets, tags and copies.
 */
#ifndef IMPORT_TEST_H
#define IMPORT_TEST_H

#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "refdata.h"

static __attribute__((unused)) void
it_tier(struct model *m, const char *name, int rank, int personal)
{
    struct tier t;

    model_tier_init(&t);
    t.name = name;
    t.rank = rank;
    t.personal = (uint8_t)personal;
    assert_int_equal(model_add_tier(m, &t, NULL, NULL), SM_OK);
}

static __attribute__((unused)) struct model *
it_model(void)
{
    SM_ERROR(e);
    struct model *m = model_new();

    assert_non_null(m);
    if (refdata_load_regions(tl_datadir(), m, &e) != SM_OK)
        fail_msg("%s", e.msg);
    it_tier(m, "restricted", 3, 1);
    it_tier(m, "confidential", 2, 1);
    it_tier(m, "public", 1, 0);
    return m;
}

static __attribute__((unused)) struct import_map *
it_map(bool buckets)
{
    SM_ERROR(e);
    struct import_map *map = NULL;
    char path[4096];

    snprintf(path, sizeof path, "%s/import-map.json", tl_datadir());
    if (import_map_load(NULL, path, &map, &e) != SM_OK)
        fail_msg("%s", e.msg);
    if (buckets && import_map_load(map, "tests/fixtures/buckets.map.json", &map,
                                   &e) != SM_OK)
        fail_msg("%s", e.msg);
    return map;
}

static __attribute__((unused)) const char *
it_fixture(const char *rel)
{
    static char buf[4][4096];
    static int k;

    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tl_fixtures(), rel);
    return buf[k];
}

/* Run one import of files (NULL-terminated, fixture-relative) into m.
 * Returns the run (caller frees) or NULL with err filled on failure. */
static __attribute__((unused)) struct import_run *
it_import(struct model *m, const struct import_map *map, const char *importer,
          const struct import_opts *opts, const char *const *files, struct sm_error *err)
{
    struct import_opts o = { .now = "2026-11-26T00:00:00Z" };
    struct import_run *run;

    if (opts)
        o = *opts;
    if (!o.now)
        o.now = "2026-11-26T00:00:00Z";
    run = import_run_new(map, &o);
    assert_non_null(run);
    for (int i = 0; files[i]; i++) {
        size_t len;
        const char *path = files[i][0] == '/' ? files[i] : it_fixture(files[i]);
        char *text = tl_slurp(path, &len);
        int rc;
        if (!text)
            fail_msg("cannot read %s", path);
        rc = import_run_add_file(run, files[i], text, len, err);
        free(text);
        if (rc) {
            import_run_free(run);
            return NULL;
        }
    }
    if (import_run_parse(run, importer_find(importer), err) ||
        import_run_apply(run, m, err)) {
        import_run_free(run);
        return NULL;
    }
    return run;
}

static __attribute__((unused)) int32_t
it_ds(const struct model *m, const char *name)
{
    int32_t id = model_dataset(m, name);

    if (id == SM_NONE)
        fail_msg("no dataset %s", name);
    return id;
}

/* The tag on dataset (field NULL) or one of its fields, or SM_NONE. */
static __attribute__((unused)) int32_t
it_tag(const struct model *m, const char *ds, const char *field, const char *tag)
{
    int32_t d = it_ds(m, ds);
    int32_t f = field ? model_field(m, d, field) : SM_NONE;

    if (field && f == SM_NONE)
        return SM_NONE;
    for (int32_t t = m->datasets[d].first_tag; t != SM_NONE; t = m->tags[t].next)
        if (m->tags[t].field == f && strcmp(m->tags[t].tag, tag) == 0)
            return t;
    return SM_NONE;
}

static __attribute__((unused)) int
it_ntags(const struct model *m, const char *ds, bool fields)
{
    int32_t d = it_ds(m, ds);
    int n = 0;

    for (int32_t t = m->datasets[d].first_tag; t != SM_NONE; t = m->tags[t].next)
        n += fields ? m->tags[t].field != SM_NONE : m->tags[t].field == SM_NONE;
    return n;
}

static __attribute__((unused)) int
it_nfields(const struct model *m, const char *ds)
{
    int n = 0;

    for (int32_t f = m->datasets[it_ds(m, ds)].first_field; f != SM_NONE; f = m->fields[f].next)
        n++;
    return n;
}

static __attribute__((unused)) const char *
it_tier_of(const struct model *m, const char *ds)
{
    int32_t t = m->datasets[it_ds(m, ds)].tier;

    return t == SM_NONE ? "" : m->tiers[t].name;
}

static __attribute__((unused)) const char *
it_subjects(const struct model *m, const char *ds)
{
    static char buf[64];

    return model_get(m, OBJ_DATASET, it_ds(m, ds), "subjects", buf, sizeof buf);
}

/* Region of the primary copy, "" if none. */
static __attribute__((unused)) const char *
it_primary(const struct model *m, const char *ds)
{
    int32_t p = model_primary(m, it_ds(m, ds));

    return p == SM_NONE ? "" : m->regions[m->placements[p].region].id;
}

static __attribute__((unused)) int
it_ndatasets(const struct model *m)
{
    int n = 0;

    for (int32_t i = 0; i < m->ndatasets; i++)
        n += !m->datasets[i].deleted;
    return n;
}

/* Is there a live etl flow from a's primary to b's? */
static __attribute__((unused)) bool
it_flow(const struct model *m, const char *a, const char *b)
{
    int32_t pa = model_primary(m, it_ds(m, a)), pb = model_primary(m, it_ds(m, b));

    for (int32_t f = 0; f < m->nflows; f++)
        if (!m->flows[f].deleted && m->flows[f].from == pa && m->flows[f].to == pb &&
            m->flows[f].kind == FLOW_ETL)
            return true;
    return false;
}

static __attribute__((unused)) int
it_nflows(const struct model *m)
{
    int n = 0;

    for (int32_t f = 0; f < m->nflows; f++)
        n += !m->flows[f].deleted;
    return n;
}

/* Everything an import can change, as text (for before/after comparisons). */
static __attribute__((unused)) char *
it_dump(const struct model *m)
{
    char *buf = NULL, line[2048];
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    for (int32_t i = 0; i < m->ndatasets; i++) {
        const struct dataset *d = &m->datasets[i];
        if (d->deleted)
            continue;
        tl_describe(m, OBJ_DATASET, i, line, sizeof line);
        fprintf(f, "dataset %s\n%s\n", d->name, line);
        for (int32_t t = d->first_tag; t != SM_NONE; t = m->tags[t].next)
            fprintf(f, "  tag %s|%s|%s|%s|%s\n",
                    m->tags[t].field == SM_NONE ? "" : m->fields[m->tags[t].field].name,
                    m->tags[t].tag, m->tags[t].source, m->tags[t].entity, m->tags[t].time);
        for (int32_t p = d->first_placement; p != SM_NONE; p = m->placements[p].next)
            fprintf(f, "  copy %s %s\n", m->regions[m->placements[p].region].id,
                    role_names[m->placements[p].role]);
    }
    for (int32_t i = 0; i < m->nflows; i++)
        if (!m->flows[i].deleted)
            fprintf(f, "flow %s\n", m->flows[i].name);
    fclose(f);
    return buf;
}

#endif
