/*
 * rules.c - the rule pack in memory: rule table, regime and bloc lookups,
 * revocation of adequacy, org policy patterns, personal field test.
 *
 * Core: no I/O, no globals beyond constant tables. Filled by io/rulepack.c.
 */
#include <stdlib.h>
#include <string.h>

#include "rules.h"

#define X(id, sev, fix, nofix, title) #id,
const char *const rule_names[RULE_COUNT] = { RULES(X) };
#undef X
#define X(id, sev, fix, nofix, title) title,
const char *const rule_titles[RULE_COUNT] = { RULES(X) };
#undef X
#define X(id, sev, fix, nofix, title) sev,
const uint8_t rule_default_severity[RULE_COUNT] = { RULES(X) };
#undef X
#define X(id, sev, fix, nofix, title) fix,
const uint8_t rule_fixes[RULE_COUNT] = { RULES(X) };
#undef X
#define X(id, sev, fix, nofix, title) nofix,
const char *const rule_no_fix[RULE_COUNT] = { RULES(X) };
#undef X
/* Kept next to the checker's emits (check*.c: the kind each RULE_ is raised
 * with); test_demo checks it against the demo's findings. */
#define ON_D (1u << OBJ_DATASET)
#define ON_P (1u << OBJ_PLACEMENT)
#define ON_F (1u << OBJ_FLOW)
const uint32_t rule_object_kinds[RULE_COUNT] = {
    [RULE_RES001] = ON_P, [RULE_RES002] = ON_P, [RULE_RES003] = ON_D,
    [RULE_RES004] = ON_P, [RULE_RES005] = ON_P,
    [RULE_XFR001] = ON_P | ON_F, [RULE_XFR002] = ON_P | ON_F,
    [RULE_XFR003] = ON_P | ON_F, [RULE_XFR004] = ON_P | ON_F,
    [RULE_ENC001] = ON_P, [RULE_ENC002] = ON_P, [RULE_ENC003] = ON_F,
    [RULE_LIN001] = ON_D, [RULE_CLS001] = ON_D, [RULE_CLS002] = ON_D,
    [RULE_CLS003] = ON_D,
    [RULE_RET001] = ON_D, [RULE_SUB001] = ON_D,
};
#undef ON_D
#undef ON_P
#undef ON_F

enum rule_id
rule_by_name(const char *name)
{
    for (int i = 0; i < RULE_COUNT; i++)
        if (name && strcmp(rule_names[i], name) == 0)
            return (enum rule_id)i;
    return RULE_COUNT;
}

#define X(id, name) name,
const char *const adq_condition_names[ADQ_COUNT] = { ADQ_CONDITIONS(X) };
const char *const regime_transfer_names[XFER_RULE_COUNT] = { REGIME_TRANSFERS(X) };
#undef X

static const char *const default_personal[] = { "pii", "personal", "phi" };

struct rulepack *
rules_new(void)
{
    struct rulepack *rp = calloc(1, sizeof *rp);

    if (!rp)
        return NULL;
    sm_arena_init(&rp->arena);
    rp->name = rp->description = rp->path = "";
    for (int c = 0; c < SM_CC_COUNT; c++)
        rp->regime_of[c] = SM_NONE;
    for (int r = 0; r < RULE_COUNT; r++) {
        rp->rules[r].severity = rule_default_severity[r];
        rp->rules[r].enabled = 1;
    }
    rp->personal_tags.n = sizeof default_personal / sizeof *default_personal;
    rp->personal_tags.v = sm_arena_alloc(&rp->arena, sizeof(char *) * rp->personal_tags.n);
    if (!rp->personal_tags.v) {
        rules_free(rp);
        return NULL;
    }
    for (uint32_t k = 0; k < rp->personal_tags.n; k++)
        rp->personal_tags.v[k] = default_personal[k];
    return rp;
}

void
rules_free(struct rulepack *rp)
{
    if (!rp)
        return;
    free(rp->blocs);
    for (int32_t g = 0; g < rp->nregimes; g++)
        free(rp->regimes[g].adequacy);
    free(rp->regimes);
    free(rp->tiers);
    free(rp->custom);
    sm_arena_fini(&rp->arena);
    free(rp);
}

int32_t
rules_regime(const struct rulepack *rp, const char *id)
{
    for (int32_t g = 0; g < rp->nregimes; g++)
        if (strcmp(rp->regimes[g].id, id) == 0)
            return g;
    return SM_NONE;
}

int32_t
rules_regime_of(const struct rulepack *rp, int cc)
{
    if (cc < 0 || cc >= SM_CC_COUNT)
        return SM_NONE;
    return rp->regime_of[cc];
}

int32_t
rules_bloc(const struct rulepack *rp, const char *name)
{
    for (int32_t b = 0; b < rp->nblocs; b++)
        if (strcmp(rp->blocs[b].name, name) == 0)
            return b;
    return SM_NONE;
}

int
rules_rule(const char *id)
{
    for (int r = 0; r < RULE_COUNT; r++)
        if (strcmp(rule_names[r], id) == 0)
            return r;
    return SM_NONE;
}

int
rules_fix(const char *id, const char **why)
{
    int r = id ? rules_rule(id) : SM_NONE;

    if (why)
        *why = r == SM_NONE ? NULL : rule_no_fix[r];
    return r == SM_NONE ? FIX_NONE : rule_fixes[r];
}

int
rules_severity(const struct rulepack *rp, int rule)
{
    if (rp->rules[rule].advisory)
        return SEV_INFO;
    return rp->rules[rule].severity;
}

int
rules_revoke(struct rulepack *rp, const char *from, const char *to, bool on,
             struct sm_error *err)
{
    int32_t g = rules_regime(rp, from);
    int cc = sm_cc(to);
    int found = 0;

    if (g == SM_NONE)
        g = rules_regime_of(rp, sm_cc(from));
    if (g == SM_NONE)
        return sm_error_set(err, SM_ENOTFOUND, "revoke %s %s: no regime for %s", from, to, from);
    if (cc == SM_NONE)
        return sm_error_set(err, SM_ENOTFOUND, "revoke %s %s: unknown country %s", from, to, to);
    for (int32_t a = 0; a < rp->regimes[g].nadequacy; a++)
        if (rp->regimes[g].adequacy[a].cc == cc) {
            rp->regimes[g].adequacy[a].revoked = on;
            found = 1;
        }
    if (!found)
        return sm_error_set(err, SM_ENOTFOUND, "revoke %s %s: %s has no adequacy decision for %s",
                            from, to, rp->regimes[g].id, to);
    return SM_OK;
}

bool
rules_operator_inside(const struct rulepack *rp, const struct regime *g, int op)
{
    static const char eu[3] = "EU";     /* bounded: a two-letter country code */
    int32_t b;

    if (op == sm_cc(eu)) {
        /* An EU operator answers to EU law: inside the area when the area
         * holds the EU, i.e. every EU member state. */
        if (g->country == op)
            return true;
        b = rules_bloc(rp, "EU");
        return b != SM_NONE && sm_ccset_subset(&rp->blocs[b].members, &g->free_flow);
    }
    return sm_ccset_has(&g->free_flow, op);
}

bool
rules_pattern_match(const char *pattern, const char *region_id)
{
    size_t n = strlen(pattern);

    if (n > 0 && pattern[n - 1] == '*')
        return strncmp(pattern, region_id, n - 1) == 0;
    return strcmp(pattern, region_id) == 0;
}

bool
rules_region_allowed(const struct rulepack *rp, const char *region_id, const char **why)
{
    for (uint32_t k = 0; k < rp->deny_regions.n; k++)
        if (rules_pattern_match(rp->deny_regions.v[k], region_id)) {
            if (why)
                *why = rp->deny_regions.v[k];
            return false;
        }
    if (rp->allow_regions.n == 0)
        return true;
    for (uint32_t k = 0; k < rp->allow_regions.n; k++)
        if (rules_pattern_match(rp->allow_regions.v[k], region_id)) {
            if (why)
                *why = rp->allow_regions.v[k];
            return true;
        }
    if (why)
        *why = NULL;
    return false;
}

bool
rules_field_personal(const struct rulepack *rp, const struct model *m, int32_t field)
{
    const struct dataset *d;

    if (field < 0 || field >= m->nfields)
        return false;
    d = &m->datasets[m->fields[field].dataset];
    for (int32_t t = d->first_tag; t != SM_NONE; t = m->tags[t].next) {
        if (m->tags[t].field != field)
            continue;
        for (uint32_t k = 0; k < rp->personal_tags.n; k++)
            if (model_tag_under(m->tags[t].tag, rp->personal_tags.v[k]))
                return true;
    }
    return false;
}
