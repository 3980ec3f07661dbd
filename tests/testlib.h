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
#include "edit.h"

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

/* The shipped regions and nothing else. */
struct model *tl_base_model(void);
/* Apply an edit of n (name, value) attribute pairs; fails the test on error. */
void tl_edit(struct model *m, enum edit_op op, enum obj_kind kind, const char *key, int n, ...);
/* A name with SQL, markup, a newline and UTF-8 in it. */
extern const char tl_hostile[];
/* tl_base_model plus every kind of object and attribute, tl_hostile among
 * the names, two scenarios, rule pack "default". */
struct model *tl_rich_model(void);

#endif
