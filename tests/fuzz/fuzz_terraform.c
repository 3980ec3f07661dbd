/*
 * fuzz_terraform.c - libFuzzer target for the terraform importer: parse, map and
 * apply any input; re-importing an accepted input must change nothing.
 * Build and run: make fuzz; tests/fuzz/run.sh (seeds: tests/fixtures/terraform).
 */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_import("terraform", data, size);
}
