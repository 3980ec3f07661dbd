/*
 * cli_scenario.h - `--scenario NAME` support for commands (check, export).
 * Only src/cli/ includes it.
 */
#ifndef CLI_SCENARIO_H
#define CLI_SCENARIO_H

#include "cli.h"

/* Open the catalog and rules if needed, evaluate scenario `name` (its
 * bases first) and replace c->m and c->rp by the scenario's model and
 * pack (the catalog's are freed, or kept for cli_end_scenario when
 * c->keep_base). name NULL or "" does nothing. Prints the error and returns
 * CLI_USAGE on an unknown scenario or an op that no longer applies. */
int cli_use_scenario(struct cli *c, const char *name);
/* After a command run for the TUI (c->keep_base): when it evaluated a
 * scenario, free the scenario's model and pack and put the catalog's back,
 * so the TUI goes on with the catalog and its law. Nothing otherwise. */
void cli_end_scenario(struct cli *c);

#endif
