/*
 * cli_tfplan.h - `check --terraform-plan`: a saved Terraform plan as a
 * scenario over the catalog (cli_tfplan.c). Only src/cli/ includes it.
 */
#ifndef CLI_TFPLAN_H
#define CLI_TFPLAN_H

#include "cli.h"
#include "scenario.h"

/* Open the catalog (read-only) and rules, read the plan at path (mapping
 * file map_path, or NULL, on top of data/import-map.json), and evaluate it:
 * *base the catalog, *after the catalog with the plan's changes to copies
 * applied, both checked as of c->today, and *diff between them (its new
 * findings are what the plan introduces). The ops applied and the plan's
 * unknown values and skipped resources are printed on c->err. CLI_OK, or
 * the code of the error it printed; the caller frees the three on CLI_OK. */
int cli_terraform_plan(struct cli *c, const char *path, const char *map_path,
                       struct scenario_eval **base, struct scenario_eval **after,
                       struct scenario_diff **diff);

#endif
