/*
 * fuzz_importmap.c - libFuzzer target for the import mapping file
 * (import_map_load_text, doc/import.md): any input is loaded or rejected
 * without a crash or leak; an accepted map, layered on the shipped one,
 * then maps a fixed set of labels (templates such as ${type|lower} run on
 * attacker-chosen values) and drives one whole Atlas import whose result
 * must be stable (a second import of the same file changes nothing).
 * Build and run: make fuzz; tests/fuzz/run.sh 60 importmap.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "refdata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct model *base;

/* A small Atlas entity-bulk: a table in a bucket with a classified column. */
static const char atlas[] =
    "{\"entities\": [{\"typeName\": \"hive_table\", \"guid\": \"t1\", \"status\": \"ACTIVE\","
    " \"attributes\": {\"qualifiedName\": \"db.members@halcyon-eu\", \"name\": \"members\","
    " \"owner\": \"etl\"}, \"relationshipAttributes\": {\"columns\": [{\"guid\": \"c1\","
    " \"typeName\": \"hive_column\"}], \"sd\": {\"guid\": \"s1\", \"typeName\": \"hive_storagedesc\"}},"
    " \"classifications\": [{\"typeName\": \"tier1\", \"attributes\": {}},"
    " {\"typeName\": \"sovereignty\", \"attributes\": {\"jurisdiction\": \"eu\"}}]}],"
    " \"referredEntities\": {\"c1\": {\"typeName\": \"hive_column\", \"guid\": \"c1\","
    " \"status\": \"ACTIVE\", \"attributes\": {\"qualifiedName\": \"db.members.email@halcyon-eu\","
    " \"name\": \"email\"}, \"relationshipAttributes\": {\"table\": {\"guid\": \"t1\"}},"
    " \"classifications\": [{\"typeName\": \"PII\", \"attributes\": {\"type\": \"EMAIL\"}}]},"
    " \"s1\": {\"typeName\": \"hive_storagedesc\", \"guid\": \"s1\", \"status\": \"ACTIVE\","
    " \"attributes\": {\"location\": \"s3a://halcyon-loyalty-eu-west-1/members\"},"
    " \"relationshipAttributes\": {\"table\": {\"guid\": \"t1\"}}}}}";

static void
init(void)
{
    static const char *const tiers[] = { "public", "confidential", "restricted" };
    const char *dir = getenv("SOVMAP_DATA");
    SM_ERROR(e);

    base = model_new();
    if (!base || refdata_load_regions(dir && *dir ? dir : "data", base, &e))
        abort();
    for (int i = 0; i < 3; i++) {
        struct tier t;
        model_tier_init(&t);
        t.name = tiers[i];
        t.rank = i + 1;
        if (model_add_tier(base, &t, NULL, NULL))
            abort();
    }
}

static void
label_all(const struct import_map *map)
{
    static const char *const attrs[] = { "type", "Email%s${x}", "jurisdiction", "EU", NULL };
    static const char *const names[] = { "PII", "tier1", "sovereignty", "tier", "data-tier", "x" };
    struct import_mapped out;

    for (int f = 0; f < IMPORT_FROM_COUNT; f++)
        for (size_t n = 0; n < sizeof names / sizeof *names; n++) {
            import_map_label(map, (enum import_from)f, names[n], "tier1", attrs, false, &out);
            import_mapped_fini(&out);
            import_map_label(map, (enum import_from)f, names[n], NULL, NULL, true, &out);
            if (out.ntags < 0 || out.ntags > 8 || out.nsubjects < 0 || out.nsubjects > 8)
                abort();
            import_mapped_fini(&out);
        }
    (void)import_map_bucket_region(map, "halcyon-loyalty-eu-west-1");
    (void)import_map_namespace_region(map, "halcyon-eu");
}

static int
import_once(const struct import_map *map, struct model *m, bool *changed)
{
    struct import_opts o = { .now = "2026-11-26T00:00:00Z", .region = "eu-west-1" };
    struct import_run *run = import_run_new(map, &o);
    SM_ERROR(e);
    int rc;

    if (!run)
        abort();
    rc = import_run_add_file(run, "atlas.json", atlas, sizeof atlas - 1, &e);
    if (!rc)
        rc = import_run_parse(run, &importer_atlas, &e);
    if (!rc)
        rc = import_run_apply(run, m, &e);
    *changed = import_run_changed(run);
    import_run_free(run);
    return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *dir = getenv("SOVMAP_DATA");
    char path[4096];
    struct import_map *shipped = NULL, *map = NULL, *alone = NULL;
    SM_ERROR(e);
    struct model *m;
    bool changed;

    if (!base)
        init();
    /* the input alone, then on top of the shipped map (as --map does) */
    if (import_map_load_text(NULL, (const char *)data, size, "fuzz.json", &alone, &e) == SM_OK) {
        label_all(alone);
        import_map_free(alone);
    }
    snprintf(path, sizeof path, "%s/import-map.json", dir && *dir ? dir : "data");
    if (import_map_load(NULL, path, &shipped, &e))
        abort();
    if (import_map_load_text(shipped, (const char *)data, size, "fuzz.json", &map, &e) == SM_OK) {
        label_all(map);
        if (model_clone(base, &m))
            abort();
        if (import_once(map, m, &changed) == SM_OK) {
            if (import_once(map, m, &changed) != SM_OK || changed)
                abort();    /* importing the same file again must change nothing */
        }
        model_free(m);
    }
    /* on failure the map given is still the caller's (see import.h) */
    import_map_free(map ? map : shipped);
    return 0;
}
