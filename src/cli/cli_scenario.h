/*
 * cli_scenario.h - `--scenario NAME` support for commands (check, export).
 * Only src/cli/ includes it.
 */
#ifndef CLI_SCENARIO_H
#define CLI_SCENARIO_H

#include "cli.h"

/* Open the catalog and rules if needed, evaluate scenario `name` (its
 * bases first) and replace c->m and c->rp by the scenario's model and
 * pack. name NULL or "" does nothing. Prints the error and returns
 * CLI_USAGE on an unknown scenario or an op that no longer applies. */
int cli_use_scenario(struct cli *c, const char *name);

#endif
