/*
 * fuzz_model_json.c - libFuzzer target for model_json_read (import model):
 * any input is read or rejected without a crash, and an accepted one
 * writes back to a text that reads again into a byte-identical export.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_json.h"
#include "refdata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct model *regions;

static char *
write_text(const struct model *m, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    SM_ERROR(e);

    if (!f)
        abort();
    if (model_json_write(m, f, &e))
        abort();
    fclose(f);
    return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SM_ERROR(e);
    struct model *m, *m2;
    const char *dir = getenv("SOVMAP_DATA");

    if (!regions) {
        regions = model_new();
        if (!regions || refdata_load_regions(dir && *dir ? dir : "data", regions, &e))
            abort();
    }
    if (model_clone(regions, &m))
        abort();
    struct model_json_locs locs = { 0 };
    int rc = model_json_read_locs((const char *)data, size, "fuzz.json", m, &locs, &e);

    /* every object noted lies inside the text */
    for (int k = 0; rc == SM_OK && k < OBJ_KIND_COUNT; k++)
        for (int32_t i = 0; i < locs.n[k]; i++)
            if (locs.at[k][i].line < 0 || locs.at[k][i].line > (int32_t)size + 1)
                abort();
    model_json_locs_fini(&locs);
    if (rc == SM_OK) {
        size_t n1, n2;
        char *t1 = write_text(m, &n1), *t2;
        if (model_clone(regions, &m2) || model_json_read(t1, n1, "again.json", m2, &e))
            abort();
        t2 = write_text(m2, &n2);
        if (n1 != n2 || memcmp(t1, t2, n1))
            abort();        /* export -> import -> export must be stable */
        free(t1);
        free(t2);
        model_free(m2);
    }
    model_free(m);
    return 0;
}
