/*
 * fuzz_atlas.c - libFuzzer target for the atlas importer: parse, map and
 * apply any input; re-importing an accepted input must change nothing.
 * Build and run: make fuzz; tests/fuzz/run.sh (seeds: the fixtures).
 */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_import("atlas", data, size);
}
