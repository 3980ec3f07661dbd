/*
 * fuzz_import.h - what the importer fuzz targets share: one model with the
 * shipped regions and the default tiers, the shipped mapping file plus a
 * bucket map, and one import of the input into a clone of that model.
 * Any crash, leak or sanitizer report is a bug; rejected input is fine.
 */
#ifndef FUZZ_IMPORT_H
#define FUZZ_IMPORT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "model_json.h"
#include "refdata.h"

static struct model *base;
static struct import_map *map;

static void
fuzz_init(void)
{
    static const char extra[] =
        "{\"s3_buckets\": {\"halcyon-loyalty-eu-west-1\": \"eu-west-1\","
        " \"halcyon-reference-data\": \"us-east-1\"},"
        " \"atlas_namespaces\": {\"halcyon-eu\": \"aws:eu-west-1\"}}";
    static const char *const tiers[] = { "public", "confidential", "restricted" };
    const char *data = getenv("SOVMAP_DATA");
    char path[4096];
    SM_ERROR(e);

    if (base)
        return;
    if (!data || !*data)
        data = "data";
    base = model_new();
    if (!base || refdata_load_regions(data, base, &e))
        abort();
    for (int i = 0; i < 3; i++) {
        struct tier t;
        model_tier_init(&t);
        t.name = tiers[i];
        t.rank = i + 1;
        if (model_add_tier(base, &t, NULL, NULL))
            abort();
    }
    snprintf(path, sizeof path, "%s/import-map.json", data);
    if (import_map_load(NULL, path, &map, &e) ||
        import_map_load_text(map, extra, sizeof extra - 1, "extra", &map, &e))
        abort();
}

static int
fuzz_import(const char *importer, const uint8_t *data, size_t size)
{
    struct import_opts o = {
        .now = "2026-11-26T00:00:00Z", .region = "eu-west-1",
        .resource_arn = "arn:aws:glue:eu-west-1:111122223333:table/loyalty_eu/members",
    };
    SM_ERROR(e);
    struct model *m = NULL;
    struct import_run *run;
    const char *datadir = getenv("SOVMAP_DATA");

    o.datadir = datadir && *datadir ? datadir : "data";   /* terraform: cloud-replication.json */
    fuzz_init();
    {
        /* the streaming parse (import_stream.c) accepts exactly what the
         * whole-document parse accepts, with the same error */
        struct import_opts w = o;
        SM_ERROR(es);
        SM_ERROR(ew);
        struct import_run *rs = import_run_new(map, &o), *rw;
        int cs, cw;

        w.whole_parse = true;
        rw = import_run_new(map, &w);
        if (!rs || !rw)
            abort();
        cs = import_run_add_file(rs, "fuzz.json", (const char *)data, size, &es);
        cw = import_run_add_file(rw, "fuzz.json", (const char *)data, size, &ew);
        if (cs != cw || strcmp(es.msg, ew.msg))
            abort();
        if (cs == SM_OK) {
            /* and imports it the same (import_cj.c's fast path and trim) */
            struct model *ms = NULL, *mw = NULL;
            char *ts = NULL, *tw = NULL;
            size_t ls = 0, lw = 0;
            FILE *fs, *fw;
            if (model_clone(base, &ms) || model_clone(base, &mw))
                abort();
            cs = import_run_parse(rs, importer_find(importer), &es) ||
                 import_run_apply(rs, ms, &es);
            cw = import_run_parse(rw, importer_find(importer), &ew) ||
                 import_run_apply(rw, mw, &ew);
            if (cs != cw || strcmp(es.msg, ew.msg))
                abort();
            if (!(fs = open_memstream(&ts, &ls)) || !(fw = open_memstream(&tw, &lw)))
                abort();
            if (!cs && (model_json_write(ms, fs, &es) || model_json_write(mw, fw, &ew)))
                abort();
            fclose(fs);
            fclose(fw);
            if (ls != lw || memcmp(ts, tw, ls))
                abort();
            free(ts);
            free(tw);
            model_free(ms);
            model_free(mw);
        }
        import_run_free(rs);
        import_run_free(rw);
    }
    run = import_run_new(map, &o);
    if (!run || model_clone(base, &m))
        abort();
    if (!import_run_add_file(run, "fuzz.json", (const char *)data, size, &e) &&
        !import_run_parse(run, importer_find(importer), &e) &&
        !import_run_apply(run, m, &e)) {
        /* a second apply of the same records must change nothing */
        struct import_run *again = import_run_new(map, &o);
        if (!again || import_run_add_file(again, "fuzz.json", (const char *)data, size, &e) ||
            import_run_parse(again, importer_find(importer), &e) ||
            import_run_apply(again, m, &e))
            abort();
        if (import_run_changed(again))
            abort();
        import_run_free(again);
    }
    import_run_free(run);
    model_free(m);
    return 0;
}

#endif
