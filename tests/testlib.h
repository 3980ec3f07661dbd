/*
 * testlib.h - shared helpers for the cmocka unit tests.
 * Tests run from the repository root (tests/run.sh does the cd).
 */
#ifndef TESTLIB_H
#define TESTLIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model.h"

/* data/ of the source tree ($SOVMAP_DATA or "data"). */
const char *tl_datadir(void);
/* ../shared/fixtures ($SOVMAP_FIXTURES). */
const char *tl_fixtures(void);
/* A fresh temporary directory, removed at exit. */
const char *tl_tmpdir(void);
/* path = dir "/" name into a static rotating buffer. */
const char *tl_path(const char *dir, const char *name);
/* Read a whole file (NUL-terminated, caller frees) or NULL. */
char *tl_slurp(const char *path, size_t *len);

/* A small model: regions aws:eu-west-1 (IE), aws:eu-central-1 (DE),
 * aws:us-east-1 (US), tiers restricted/confidential/public, no datasets. */
struct model *tl_small_model(void);

#endif
