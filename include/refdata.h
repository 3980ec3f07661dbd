/*
 * refdata.h - the shipped reference data in data/: cloud regions with their
 * countries and operators (regions.json). Loaded into every model before
 * the catalog, as builtin regions (never written to the catalog).
 */
#ifndef REFDATA_H
#define REFDATA_H

#include "model.h"

/* Add every region and multi-region of DATADIR/regions.json (and `global`)
 * to m as builtin. Errors: SM_EIO, SM_EPARSE "regions.json:12:7: ...". */
int refdata_load_regions(const char *datadir, struct model *m, struct sm_error *err);

/* The data directory: $SOVMAP_DATA, else data/ next to the executable or one
 * or two levels up (in-tree builds), else the install dir (SM_DATADIR).
 * argv0 is the program path; the result stays valid until the next call. */
const char *refdata_datadir(const char *argv0);

#endif
