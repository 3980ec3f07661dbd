/*
 * rule_text.h - the explanation of each built-in rule (what fires, what
 * does not, the legal source), shipped as data/rules/explain/ID.txt: cut
 * from doc/rules.md by tools/gen-explain.sh, printed by `sovmap explain`
 * and shown in the TUI's finding pane.
 */
#ifndef RULE_TEXT_H
#define RULE_TEXT_H

#include "sm.h"

/* The text of rule `id` ("RES001"; upper case letters and digits only) from
 * DATADIR/rules/explain/ID.txt: its first line is "ID — title [severity]",
 * the rest the rule's section. *out is heap (caller frees), NUL-terminated,
 * written only on success. SM_ENOTFOUND (no such file, or a bad id),
 * SM_EIO, SM_ENOMEM. */
int rule_text_load(const char *datadir, const char *id, char **out, struct sm_error *err);

#endif
