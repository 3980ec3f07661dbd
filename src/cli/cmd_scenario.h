/*
 * cmd_scenario.h - what cmd_scenario.c and cmd_scenario_diff.c share: the
 * helpers of `sovmap scenario` (prefix scmd_) and the diff and apply
 * subcommands. Only those two files include it.
 */
#ifndef CMD_SCENARIO_H
#define CMD_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"
#include "scenario.h"

/* Find scenario name: CLI_OK and *id, else the error printed (as cmd_find). */
int scmd_find(struct cli *c, const char *name, int32_t *id);
/* cmd_parse for a subcommand of at most two arguments: min to max of them
 * into pos, else the usage error msg. CLI_OK with *help set after --help. */
int scmd_args(struct cli *c, const struct command *self, int argc, char **argv,
              const struct cli_opt *opts, int min, int max, const char *msg, char *pos[2],
              int *npos, bool *help);
/* Open the catalog (and load its rules when rules) and find scenario name. */
int scmd_open(struct cli *c, bool rules, const char *name, int32_t *id);
/* The scenario's own ops as "opN=OP ARGS" lines; a new string the caller
 * frees, NULL when out of memory. */
char *scmd_ops_text(const struct scenario *s);
/* Staleness: the model change scenario name was saved on and the
 * catalog's now; *stale when both are known and differ. */
int scmd_freshness(struct cli *c, const char *name, int64_t *made, int64_t *now, bool *stale);

/* cmd_scenario_diff.c: the subcommands */
int scmd_diff(struct cli *c, const struct command *self, int argc, char **argv);
int scmd_apply(struct cli *c, const struct command *self, int argc, char **argv);

#endif
