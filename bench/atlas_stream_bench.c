/*
 * atlas_stream_bench.c - memory and CPU of an Atlas import, streaming
 * (the file mapped, each entity read alone into compact trimmed nodes,
 * import_stream.c and import_cj.c, as `sovmap import atlas` does) or whole
 * (the file read into memory and parsed with one json_loadb, --whole), on
 * a file written by `bench_import N --write FILE`. One mode per process,
 * so that each has its own peak RSS:
 *
 *   atlas_stream_bench FILE [--whole]
 *
 * Prints the CPU time of add_file (the parse), of parse + apply into a
 * model, the peak RSS, and the peak less the RSS once the text was read or
 * mapped (what the parse and the model hold, and in streaming mode the
 * pages of the text resident at a time). Not a timed test: doc/performance.md
 * gives the figures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "readfile.h"
#include "refdata.h"
#define BENCH_PROG "atlas_stream_bench"
#include "bench.h"

int
main(int argc, char **argv)
{
    const char *path = NULL, *datadir = getenv("SOVMAP_DATA");
    bool whole = false;
    SM_ERROR(e);
    struct import_map *map = NULL;
    struct import_opts o = { .now = "2026-11-26T00:00:00Z" };
    struct import_run *run;
    struct model *m;
    char mpath[4096], *text;
    size_t len;
    long base;
    double c0, c1, c2;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--whole") == 0)
            whole = true;
        else
            path = argv[i];
    }
    if (!path) {
        fprintf(stderr, "usage: atlas_stream_bench FILE [--whole]\n");
        return 2;
    }
    if (!datadir || !*datadir)
        datadir = "data";
    snprintf(mpath, sizeof mpath, "%s/import-map.json", datadir);
    if (import_map_load(NULL, mpath, &map, &e) || !(m = model_new()) ||
        refdata_load_regions(datadir, m, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    if (!(text = whole ? readfile_all(path, (size_t)4 << 30, &len) : readfile_map(path, &len))) {
        perror(path);
        return 1;
    }
    base = bench_peak_kib();
    o.whole_parse = whole;
    c0 = bench_cpu();
    run = import_run_new(map, &o);
    if (!run || (whole ? import_run_add_file(run, path, text, len, &e)
                       : import_run_add_mapped(run, path, text, len, &e))) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    c1 = bench_cpu();
    if (whole)
        free(text);
    else
        readfile_unmap(text, len);
    if (import_run_parse(run, importer_find("atlas"), &e) || import_run_apply(run, m, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    c2 = bench_cpu();
    printf("%s: %zu bytes, datasets %d, fields %d, tags %d\n", whole ? "whole" : "stream", len,
           import_run_stats(run)->datasets_new, import_run_stats(run)->fields_new,
           import_run_stats(run)->tags_added);
    printf("cpu: parse %.2f s, parse + records + apply %.2f s\n", c1 - c0, c2 - c0);
    printf("peak RSS %ld MiB; after reading (or mapping) the text %ld MiB; "
           "held by parse and model %ld MiB\n",
           bench_peak_kib() / 1024, base / 1024, (bench_peak_kib() - base) / 1024);
    import_run_free(run);
    model_free(m);
    import_map_free(map);
    return 0;
}
