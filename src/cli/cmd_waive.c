/*
 * cmd_waive.c - `sovmap waive RULE OBJECT --owner O --reason R --expires D`,
 * `waive list` and `waive rm RULE:OBJECT`: accepted exceptions. A waiver
 * hides the finding of RULE on OBJECT (listed apart by `check`) through its
 * expiry date; after that it hides nothing and `check` reports it.
 *
 * Adding validates the rule id (built-in or a custom rule of the pack) and
 * the object selector, stores the canonical selector (so it matches the
 * checker's), and warns when no current finding would be hidden.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmd_util.h"
#include "report.h"
#include "rules.h"
#include "store.h"

/* Kinds a waiver may name, in the order a bare selector is tried. */
static const enum obj_kind waivable[] = {
    OBJ_DATASET, OBJ_PLACEMENT, OBJ_FLOW, OBJ_REGION, OBJ_TIER,
};

/* Is id a rule of the pack? On no, *best gets the nearest id (or NULL). */
static bool
known_rule(const struct rulepack *rp, const char *id, const char **best)
{
    int i, d, bestd = 3;

    *best = NULL;
    if (rules_rule(id) != SM_NONE)
        return true;
    for (i = 0; i < rp->ncustom; i++)
        if (strcmp(rp->custom[i].id, id) == 0)
            return true;
    for (i = 0; i < RULE_COUNT + rp->ncustom; i++) {
        const char *name = i < RULE_COUNT ? rule_names[i] : rp->custom[i - RULE_COUNT].id;

        if ((d = sm_levenshtein(id, name, 2)) < bestd) {
            bestd = d;
            *best = name;
        }
    }
    return false;
}

/* Resolve OBJECT as any waivable kind. CLI_OK with the canonical selector
 * in *out (heap, the caller frees), or prints the error. */
static int
resolve_object(struct cli *c, const char *sel, char **out, enum obj_kind *kind)
{
    const char *s;
    int32_t id;
    size_t i;

    for (i = 0; i < sizeof waivable / sizeof waivable[0]; i++) {
        if (model_find(c->m, waivable[i], sel, &id, NULL) == SM_OK) {
            if (!(*out = model_selector_dup(c->m, waivable[i], id)))
                return cli_fail(c, "out of memory");
            *kind = waivable[i];
            return CLI_OK;
        }
    }
    s = strchr(sel, '@') ? NULL : model_suggest(c->m, OBJ_DATASET, sel);
    if (!s && strchr(sel, '@'))
        return cli_fail(c, "unknown copy %s (DATASET@REGION, or DATASET@REGION/ROLE when "
                        "the dataset has two copies there)", sel);
    if (s)
        return cli_fail(c, "unknown object %s; did you mean %s?", sel, s);
    return cli_fail(c, "unknown object %s: not a dataset, copy, flow, region or tier", sel);
}

static const char *
kind_plural(int kind)
{
    switch (kind) {
    case OBJ_DATASET:   return "datasets";
    case OBJ_PLACEMENT: return "copies";
    case OBJ_FLOW:      return "flows";
    case OBJ_REGION:    return "regions";
    case OBJ_TIER:      return "tiers";
    default:            return obj_kind_names[kind];
    }
}

/* A built-in rule is raised on some kinds of object only (rule_object_kinds):
 * a waiver on another kind could never match. Refuse it, naming the objects
 * it could mean: a dataset's copies, a copy's dataset. */
static int
check_kind(struct cli *c, const struct report *rep, const char *rule, const char *sel,
           enum obj_kind kind)
{
    enum rule_id r = rule_by_name(rule);
    uint32_t kinds;
    int32_t id;
    char *alt = NULL;

    if (r == RULE_COUNT || (rule_object_kinds[r] & (1u << kind)))
        return CLI_OK;      /* a custom rule, or the right kind */
    kinds = rule_object_kinds[r];
    if (model_find(c->m, kind, sel, &id, NULL) != SM_OK)
        return CLI_OK;
    if (kind == OBJ_DATASET && (kinds & (1u << OBJ_PLACEMENT))) {
        /* the copies with a finding of this rule, else every copy */
        size_t n = strlen(sel);
        bool any = false;
        for (int32_t i = 0; i < rep->nfindings; i++)
            any |= strcmp(rep->findings[i].rule, rule) == 0 &&
                   strncmp(rep->findings[i].selector, sel, n) == 0 &&
                   rep->findings[i].selector[n] == '@';
        for (int32_t p = c->m->datasets[id].first_placement; p != SM_NONE;
             p = c->m->placements[p].next) {
            char *one, *more;
            bool hit = false;
            if (c->m->placements[p].deleted || !(one = model_selector_dup(c->m,
                                                                          OBJ_PLACEMENT, p)))
                continue;
            for (int32_t i = 0; any && i < rep->nfindings && !hit; i++)
                hit = strcmp(rep->findings[i].rule, rule) == 0 &&
                      strcmp(rep->findings[i].selector, one) == 0;
            if (any && !hit) {
                free(one);
                continue;
            }
            more = sm_strdupf("%s%s%s", alt ? alt : "", alt ? " or " : "", one);
            free(one);
            free(alt);
            alt = more;
        }
    } else if (kind == OBJ_PLACEMENT && (kinds & (1u << OBJ_DATASET))) {
        alt = model_selector_dup(c->m, OBJ_DATASET, c->m->placements[id].dataset);
    }
    fputs("sovmap: ", c->err);
    cli_put_text(c->err, rule);
    fputs(" applies to ", c->err);
    for (int k = 0, n = 0; k < OBJ_KIND_COUNT; k++)
        if (kinds & (1u << k))
            fprintf(c->err, "%s%s", n++ ? " and " : "", kind_plural(k));
    fprintf(c->err, ", not to %s", kind_plural(kind));
    if (alt && *alt) {
        fputs(": did you mean ", c->err);
        cli_put_text(c->err, alt);
        fputc('?', c->err);
    }
    fputc('\n', c->err);
    free(alt);
    return CLI_USAGE;
}

static int
wv_add(struct cli *c, const struct command *self, int argc, char **argv)
{
    const char *owner = NULL, *reason = NULL, *expires = NULL;
    const struct cli_opt opts[] = {
        { "--owner", OPT_STR, &owner, "who accepts the risk" },
        { "--reason", OPT_STR, &reason, "why it is acceptable" },
        { "--expires", OPT_STR, &expires, "YYYY-MM-DD, the last day it holds" },
        { NULL, 0, NULL, NULL },
    };
    char *pos[3], *sel = NULL, *key = NULL, date[11];   /* bounded: date is YYYY-MM-DD */
    struct check_result *res = NULL;
    struct report *rep = NULL;
    enum obj_kind kind = OBJ_DATASET;
    const char *best;
    struct edit e;
    int32_t exp = 0, i;
    int npos, rc;
    bool help, match = false;

    if (argc > 16)
        return cli_usage_fail(c, self->usage, "waive: too many arguments");
    rc = cmd_parse(c, self, argc, argv, opts, pos, 3, &npos, &help);
    if (rc || help)
        return rc;
    if (npos != 2)
        return cli_usage_fail(c, self->usage, "waive needs a RULE and an OBJECT%s%s",
                              npos > 2 ? ", not " : "", npos > 2 ? pos[2] : "");
    if (!owner || !*owner)
        return cli_usage_fail(c, self->usage, "waive: --owner is required (who accepts "
                              "the risk)");
    if (!reason || !*reason)
        return cli_usage_fail(c, self->usage, "waive: --reason is required");
    if (!expires || !*expires)
        return cli_usage_fail(c, self->usage, "waive: --expires is required (YYYY-MM-DD, "
                              "the last day the waiver holds)");
    if (sm_date_parse(expires, &exp) != SM_OK) {
        /* the right shape but no such day (2027-02-30) is not a format error */
        bool shaped = strlen(expires) == 10 && expires[4] == '-' && expires[7] == '-';
        for (int k = 0; shaped && k < 10; k++)
            shaped = k == 4 || k == 7 || (expires[k] >= '0' && expires[k] <= '9');
        if (shaped)
            return cli_fail(c, "bad --expires %s: no such day in the calendar", expires);
        return cli_usage_fail(c, self->usage, "bad --expires %s: use YYYY-MM-DD", expires);
    }
    if (exp < c->today) {
        sm_date_fmt(c->today, date);
        return cli_fail(c, "--expires %s is in the past (today is %s)", expires, date);
    }
    if ((rc = cli_open(c, CLI_WRITE)) != CLI_OK || (rc = cli_load_rules(c)) != CLI_OK)
        return rc;
    if (!known_rule(c->rp, pos[0], &best)) {
        if (best)
            return cli_fail(c, "unknown rule %s; did you mean %s?", pos[0], best);
        return cli_fail(c, "unknown rule %s (see sovmap check --format json, \"rules\")",
                        pos[0]);
    }
    if ((rc = resolve_object(c, pos[1], &sel, &kind)) != CLI_OK)
        return rc;
    /* Is there something to hide? Check the model as it is now. */
    if ((rc = cli_check_collect(c, &rep, &res)) != CLI_OK)
        goto out;
    for (i = 0; i < rep->nfindings && !match; i++)
        match = strcmp(rep->findings[i].rule, pos[0]) == 0
             && strcmp(rep->findings[i].selector, sel) == 0;
    rc = check_kind(c, rep, pos[0], sel, kind);
    report_free(rep);
    check_result_free(res);
    if (rc != CLI_OK)
        goto out;
    if (!(key = sm_strdupf("%s:%s", pos[0], sel))) {
        rc = cli_fail(c, "out of memory");
        goto out;
    }
    if (model_waiver(c->m, key) != SM_NONE) {
        rc = cli_fail(c, "waiver %s exists; remove it first with sovmap waive rm %s", key, key);
        goto out;
    }


    memset(&e, 0, sizeof e);
    e.op = EDIT_ADD;
    e.kind = OBJ_WAIVER;
    e.key = key;
    e.attrs[e.nattrs++] = (struct edit_attr){ "owner", owner };
    e.attrs[e.nattrs++] = (struct edit_attr){ "reason", reason };
    e.attrs[e.nattrs++] = (struct edit_attr){ "expires", expires };
    if ((rc = cli_apply(c, &e, "added")) != CLI_OK)
        goto out;
    if (!match) {
        fputs("sovmap: warning: no current ", c->err);
        cli_put_text(c->err, pos[0]);
        fputs(" finding on ", c->err);
        cli_put_text(c->err, sel);
        fputs("; the waiver will hide one if it appears\n", c->err);
    }
out:
    free(key);
    free(sel);
    return rc;
}

struct wv_list {
    struct cli *c;
    bool only_expired;
    char date[11];                      /* bounded: YYYY-MM-DD */
};

static bool
wv_expired(const struct cli *c, const struct waiver *w)
{
    return w->expires != 0 && w->expires < c->today;
}

static bool
wv_row(void *ctx, int32_t i, const char **cols)
{
    struct wv_list *L = ctx;
    const struct waiver *w = &L->c->m->waivers[i];

    if (w->deleted || (L->only_expired && !wv_expired(L->c, w)))
        return false;
    sm_date_fmt(w->expires, L->date);
    cols[0] = w->key;
    cols[1] = w->owner;
    cols[2] = w->expires ? L->date : "never";
    cols[3] = wv_expired(L->c, w) ? "expired" : "live";
    cols[4] = w->reason;
    return true;
}

static void
wv_json(struct cli *c, void *ctx, int32_t i, const char **cols)
{
    const struct waiver *w = &c->m->waivers[i];

    (void)ctx;
    fputs("\"key\":", c->out);
    cli_put_json(c->out, w->key);
    fputs(",\"rule\":", c->out);
    cli_put_json(c->out, w->rule);
    fputs(",\"object\":", c->out);
    cli_put_json(c->out, w->object);
    fputs(",\"owner\":", c->out);
    cli_put_json(c->out, w->owner);
    fputs(",\"reason\":", c->out);
    cli_put_json(c->out, w->reason);
    fputs(",\"expires\":", c->out);
    if (w->expires)
        cli_put_json(c->out, cols[2]);
    else
        fputs("null", c->out);
    fprintf(c->out, ",\"expired\":%s", wv_expired(c, w) ? "true" : "false");
}

static int
wv_list(struct cli *c, const struct command *self, int argc, char **argv)
{
    static const char *const heads[] = { "WAIVER", "OWNER", "EXPIRES", "STATUS", "REASON" };
    const char *format = NULL;
    bool expired = false;
    const struct cli_opt opts[] = {
        { "--format", OPT_STR, &format, "text|tsv|json" },
        { "--expired", OPT_FLAG, &expired, "only waivers past their date" },
        { NULL, 0, NULL, NULL },
    };
    struct wv_list L;
    enum out_format fmt;
    int rc;
    bool help;

    rc = cmd_list_parse(c, self, argc, argv, opts, 8, &format, &fmt, &help);
    if (rc || help || (rc = cli_open(c, STORE_READONLY)) != CLI_OK)
        return rc;
    memset(&L, 0, sizeof L);
    L.c = c;
    L.only_expired = expired;
    cmd_list(c, fmt, 5, heads, c->m->nwaivers, wv_row, wv_json, &L);
    return CLI_OK;
}

static const struct subcmd waive_subs[] = {
    { "add", "usage: sovmap waive RULE OBJECT --owner WHO --reason WHY --expires YYYY-MM-DD\n"
      "Accept the finding of RULE on OBJECT (a dataset, DATASET@REGION copy, flow,\n"
      "region or tier) until the end of the expiry day. Every waiver expires.\n"
      "`sovmap check` lists waived findings apart and reports expired waivers.\n",
      wv_add, 0 },
    { "list", "usage: sovmap waive list [--expired] [--format text|tsv|json]\n"
      "List waivers with their owner, expiry and status (live or expired).\n", wv_list, 0 },
    { "rm", "usage: sovmap waive rm RULE:OBJECT...\n"
      "Remove waivers.\n", cmd_sub_rm, 0 },
    { NULL, NULL, NULL, 0 },
};

const struct command cmd_waive = {
    .name = "waive",
    .summary = "accept a finding until a date; list and remove waivers",
    .usage =
        "usage: sovmap waive RULE OBJECT --owner WHO --reason WHY --expires YYYY-MM-DD\n"
        "       sovmap waive list [--expired] [--format text|tsv|json]\n"
        "       sovmap waive rm RULE:OBJECT...\n"
        "\n"
        "A waiver hides the finding of RULE on OBJECT from check's verdict until the\n"
        "end of its expiry day; waived findings are still listed, apart, and an\n"
        "expired waiver hides nothing and is reported.\n",
    .subs = waive_subs,
    .default_sub = "add",
};
