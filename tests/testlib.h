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

struct check_result;
struct rulepack;

/* data/ of the source tree ($SOVMAP_DATA or "data"). */
const char *tl_datadir(void);
/* tests/fixtures of the source tree (the tests run from its root). */
const char *tl_fixtures(void);
/* A fresh temporary directory, removed at exit. */
const char *tl_tmpdir(void);
/* path = dir "/" name into a static rotating buffer. */
const char *tl_path(const char *dir, const char *name);
/* Read a whole file (NUL-terminated, caller frees) or NULL. */
char *tl_slurp(const char *path, size_t *len);
/* model_describe_dup copied into a test's buffer; fails the test when it
 * does not fit or memory runs out. */
void tl_describe(const struct model *m, enum obj_kind kind, int32_t id, char *buf,
                 size_t size);

/* A small model: regions aws:eu-west-1 (IE), aws:eu-central-1 (DE),
 * aws:us-east-1 (US), tiers restricted/confidential/public, no datasets. */
struct model *tl_small_model(void);

/* Objects for hand-built models; each fails the test on error and returns
 * the new id. A dataset (tier, subjects and system may be NULL); a copy,
 * encrypted with its key in key_region (NULL: its own region); a flow to
 * copy to or, with to SM_NONE, to region to_region (an export), encrypted
 * in transit (name, transforms and mechanism may be NULL). */
int32_t tl_add_dataset(struct model *m, const char *name, const char *tier,
                       const char *subjects, const char *system);
int32_t tl_add_copy(struct model *m, int32_t ds, const char *region, int role,
                    const char *key_region);
int32_t tl_add_flow(struct model *m, const char *name, int32_t from, int32_t to,
                    int32_t to_region, int kind, const char *transforms, const char *mechanism);

/* Rule pack "default" of tl_datadir(), loaded once, freed at exit (check
 * results borrow its strings). */
const struct rulepack *tl_rules(void);
/* check_run of m with tl_rules() on 2026-11-26; the caller frees it. */
struct check_result *tl_check(const struct model *m);

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
