/*
 * cmd_check.c - `sovmap check`: run the residency checker and the rule
 * pack's custom SQL rules over the catalog and report the findings as
 * text, JSON, SARIF or JUnit (report.h, doc/reports.md).
 *
 * Exit: 0 when no live finding is at or above --fail-on, 1 otherwise,
 * 2 for a usage or input error (bad option, missing catalog, bad pack, a
 * custom rule that writes or runs too long).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "model_json.h"
#include "cli.h"
#include "cli_scenario.h"
#include "rule_text.h"
#include "cli_tfplan.h"
#include "cmd_util.h"
#include "outfile.h"
#include "report.h"
#include "rules.h"
#include "store.h"

extern const struct command cmd_check;

/* A custom rule gets this long to run (the pack cannot override it: a
 * CI gate must not hang on one bad query). */
#define CUSTOM_LIMIT_MS 2000

/* What each built-in rule looks for, for SARIF's fullDescription (the
 * titles in rules.h are the short form). DESIGN section 2. */
static const struct {
    const char *id;
    const char *text;
} rule_texts[] = {
    { "RES001", "A copy of a dataset lies outside the storage scope of the dataset's "
                "effective tier (region, country, the subjects' free-flow area, adequate "
                "countries, the tier's approved regions)." },
    { "RES002", "A backup, dr or archive copy lies outside the tier's backup scope." },
    { "RES003", "The data subjects' country has a hard localization law and no primary "
                "copy of the dataset is in that country." },
    { "RES004", "A copy is in a region the organisation's policy denies, or does not "
                "allow." },
    { "RES005", "The tier requires a sovereign operator and a copy sits in a region "
                "whose operator answers to another jurisdiction's disclosure laws." },
    { "XFR001", "Personal data goes from a regime's area to a country that is neither "
                "inside its free-flow area nor adequate for it, and the flow or copy "
                "declares no transfer mechanism." },
    { "XFR002", "A transfer relies on adequacy that is partial (the US needs dpf) or "
                "revoked." },
    { "XFR003", "A transfer rests on standard clauses (scc), binding corporate rules "
                "(bcr) or the Data Privacy Framework (dpf) and no reference records the "
                "signed contract and transfer impact assessment, the approval or the "
                "recipient's certification." },
    { "XFR004", "A transfer rests on consent or another derogation, which are for "
                "occasional transfers (GDPR Art. 49, Recital 111), while the transfer is "
                "systematic: a replication, backup, stream or etl flow, or a copy kept "
                "abroad." },
    { "ENC001", "The tier requires encryption at rest and the copy is not encrypted." },
    { "ENC002", "The encryption key is held outside the tier's key scope: keys held "
                "abroad defeat the supplementary measure." },
    { "ENC003", "A cross-region flow of personal data is not encrypted in transit." },
    { "LIN001", "A derived dataset's declared tier is below its effective tier, "
                "inherited through lineage from the personal data that reaches it." },
    { "CLS001", "A dataset has no tier." },
    { "CLS002", "A dataset has personal fields but a tier that does not hold personal "
                "data." },
    { "CLS003", "A tag rests on a classification whose validity periods have all "
                "ended (Atlas validityPeriods): it is kept and counts, the conservative "
                "reading, until the source renews or removes it." },
    { "RET001", "A dataset keeps data longer than its effective tier's maximum "
                "retention, or declares no retention where the tier sets a maximum; its "
                "backup and archive copies are judged by the dataset's retention." },
    { "SUB001", "A data subject jurisdiction has no regime in the rule pack: it "
                "restricts nothing and is reported once." },
};

static const char *
rule_text(const char *id)
{
    size_t i;

    for (i = 0; i < sizeof rule_texts / sizeof rule_texts[0]; i++)
        if (strcmp(rule_texts[i].id, id) == 0)
            return rule_texts[i].text;
    return "";
}

struct custom_ctx {
    struct report *rep;
    const struct report_rule *rule;
    struct sm_error err;
    int64_t rows;
};

static int
custom_row(void *ctx, int ncols, const char *const *names, const char *const *values)
{
    struct custom_ctx *cc = ctx;

    cc->rows++;
    return report_add_row(cc->rep, cc->rule, ncols, names, values, &cc->err) != SM_OK;
}

/* Custom rules read the catalog views; under --scenario the stored catalog
 * is the base, so the scenario's model is written into a catalog in memory
 * and the rules read that. */
static int
scenario_catalog(struct cli *c, struct store **out)
{
    SM_ERROR(e);

    if (store_open(":memory:", STORE_CREATE, out, &e) != SM_OK ||
        store_begin(*out, &e) != SM_OK || store_put_all(*out, c->m, &e) != SM_OK ||
        store_commit(*out, &e) != SM_OK) {
        store_close(*out);
        *out = NULL;
        return cli_fail(c, "custom rules on the scenario: %s", e.msg);
    }
    return CLI_OK;
}

static int
custom_rules(struct cli *c, struct store *st, struct report *rep)
{
    const struct rulepack *rp = c->rp;
    struct custom_ctx cc;
    struct report_rule rule;
    SM_ERROR(e);
    char *desc;
    int32_t k;
    int rc;

    for (k = 0; k < rp->ncustom; k++) {
        const struct custom_rule *cr = &rp->custom[k];

        if (!(desc = sm_strdupf("%s (custom SQL rule of rule pack %s)", cr->message,
                                rp->name ? rp->name : "")))
            return cli_fail(c, "out of memory");
        rule = (struct report_rule){ cr->id, cr->message, desc, cr->severity, 1, desc };
        rc = report_add_rule(rep, &rule, &e);
        free(desc);
        if (rc != SM_OK)
            return cli_error(c, &e);
        memset(&cc, 0, sizeof cc);
        cc.err = (struct sm_error)SM_ERROR_INIT;
        cc.rep = rep;
        cc.rule = report_rule(rep, cr->id);
        sm_error_fini(&e);
        rc = store_query(st, cr->sql, CUSTOM_LIMIT_MS, custom_row, &cc, &e);
        if (cc.err.code != SM_OK) {
            rc = cli_error(c, &cc.err);
            sm_error_fini(&cc.err);
            return rc;
        }
        if (rc == SM_ELIMIT)
            return cli_fail(c, "custom rule %s stopped: %s; make its query cheaper or "
                               "remove it from the pack", cr->id, e.msg);
        if (rc == SM_EINVAL)
            return cli_fail(c, "custom rule %s refused: %s (a custom rule is one "
                               "read-only SELECT over the catalog views)", cr->id, e.msg);
        if (rc != SM_OK)
            return cli_fail(c, "custom rule %s: %s", cr->id, e.msg);
        if (c->verbose)
            cli_note(c, "custom rule %s: %lld findings", cr->id,
                    (long long)cc.rows);
    }
    return CLI_OK;
}

static int
run_custom(struct cli *c, struct report *rep)
{
    struct store *mem = NULL;
    int rc;

    /* a scenario, or a model file (no catalog at all) */
    if ((c->scenario || !c->st) && c->rp->ncustom > 0 && (rc = scenario_catalog(c, &mem)) != CLI_OK)
        return rc;
    rc = custom_rules(c, mem ? mem : c->st, rep);
    store_close(mem);
    return rc;
}

/* The pack's enabled built-in rules, for the report's rule list. */
static int
add_rules(struct cli *c, struct report *rep)
{
    struct report_rule rule;
    SM_ERROR(e);

    for (int i = 0; i < RULE_COUNT; i++) {
        char *help = NULL;
        int rc;

        if (!c->rp->rules[i].enabled)
            continue;
        /* the shipped text of `sovmap explain` is SARIF's help (code scanning
         * shows it beside the alert); without it the description stands in */
        if (rule_text_load(c->datadir, rule_names[i], &help, NULL) != SM_OK)
            help = NULL;
        rule = (struct report_rule){ rule_names[i], rule_titles[i], rule_text(rule_names[i]),
                                     (uint8_t)rules_severity(c->rp, i), 0, help };
        rc = report_add_rule(rep, &rule, &e);
        free(help);
        if (rc != SM_OK)
            return cli_error(c, &e);
    }
    return CLI_OK;
}

/* check --terraform-plan: a report of the findings the plan introduces
 * (the scenario diff's new ones, waived or not, over the plan's model). */
static int
plan_collect(struct cli *c, const char *plan, const char *map, struct report **out,
             struct scenario_eval **base, struct scenario_eval **after)
{
    struct scenario_diff *d = NULL;
    struct report *rep = NULL;
    SM_ERROR(e);
    char *src = NULL;
    int rc;

    if ((rc = cli_terraform_plan(c, plan, map, base, after, &d)) != CLI_OK)
        return rc;
    if (!(src = malloc(strlen(plan) + 32))) {
        rc = cli_fail(c, "out of memory");
        goto out;
    }
    sprintf(src, "terraform plan %s", plan);
    if (report_new((*after)->m, NULL, c->today, &rep, &e) != SM_OK ||
        report_set_source(rep, c->st ? store_path(c->st) : c->catalog,
                          c->rp->name ? c->rp->name : "", src, &e) != SM_OK) {
        rc = cli_error(c, &e);
        goto out;
    }
    if ((rc = add_rules(c, rep)) != CLI_OK)
        goto out;
    for (int32_t i = 0; i < d->nfindings; i++) {
        if (d->findings[i].status != SDIFF_NEW)
            continue;
        if (report_add_finding(rep, &(*after)->res->findings[d->findings[i].after],
                               &e) != SM_OK) {
            rc = cli_error(c, &e);
            goto out;
        }
    }
    report_finish(rep);
    *out = rep;
    rep = NULL;
    rc = CLI_OK;
out:
    report_free(rep);
    scenario_diff_free(d);
    free(src);
    return rc;
}

int
cli_check_collect(struct cli *c, struct report **out, struct check_result **res_out)
{
    struct check_result *res = NULL;
    struct report *rep = NULL;
    SM_ERROR(e);
    int rc;

    /* Checking only reads: a read-only catalog (a CI checkout, a colleague's
     * file) is checked as well. cli_open keeps an already open catalog. */
    if ((rc = cli_open(c, STORE_READONLY)) != CLI_OK || (rc = cli_load_rules(c)) != CLI_OK)
        return rc;
    /* Reports hold findings only: no transfer register is built, so the
     * datasets' name order the load may have brought (the register's) is
     * not needed either: 4 MiB at a million datasets. */
    model_drop_name_rank(c->m);
    if (check_run_findings(c->m, c->rp, c->today, &res, &e) != SM_OK)
        return cli_error(c, &e);
    if (report_new(c->m, res, c->today, &rep, &e) != SM_OK
        || report_set_source(rep, c->model_file ? NULL : c->st ? store_path(c->st) : c->catalog,
                             c->rp->name ? c->rp->name : "", NULL, &e) != SM_OK
        /* standard input has no file to point into */
        || (c->model_file && strcmp(c->model_file, cli_model_name("-")) &&
            report_set_file(rep, c->model_file, c->locs, &e) != SM_OK)) {
        rc = cli_error(c, &e);
        goto fail;
    }
    if ((rc = add_rules(c, rep)) != CLI_OK)
        goto fail;
    if ((rc = run_custom(c, rep)) != CLI_OK)
        goto fail;
    report_finish(rep);
    *out = rep;
    *res_out = res;
    return CLI_OK;
fail:
    report_free(rep);
    check_result_free(res);
    return rc;
}

/* Where SARIF's helpUri points: $SOVMAP_DOC_URI (the published rules page,
 * e.g. https://example.org/sovmap/rules.md), else nothing. A file:// URI of
 * this machine's doc/rules.md would mean nothing to the reader of an alert;
 * the rule's whole text is in its help instead. */
static char *
doc_uri(struct cli *c)
{
    const char *env = getenv("SOVMAP_DOC_URI");

    (void)c;
    return env && *env ? strdup(env) : NULL;
}

static int
term_width(FILE *f)
{
    struct winsize ws;

    if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
        return ws.ws_col > 160 ? 160 : ws.ws_col;
    return 80;
}

/* Write the report to path (outfile.h: a regular file is replaced only
 * once complete, so a failed check never leaves half a file; a device such
 * as /dev/null is written in place, never replaced). */
static int
write_file(struct cli *c, const struct report *rep, const struct report_opts *o,
           const char *path)
{
    SM_ERROR(e);
    struct outfile of;
    bool ok;

    if (outfile_open_keep(&of, path, "w", c->catalog, &e) != SM_OK)
        return cli_error(c, &e);
    ok = report_write(rep, o, of.f, &e) == SM_OK;
    if (!ok) {
        outfile_close(&of, false, NULL);
        return cli_fail(c, "%s: %s", path, e.msg);
    }
    if (outfile_close(&of, true, &e) != SM_OK)
        return cli_error(c, &e);
    return CLI_OK;
}

static int
run_check(struct cli *c, int argc, char **argv)
{
    const char *format = "text", *fail_on = "error", *rules = NULL, *output = NULL;
    const char *color = "auto", *scenario = NULL, *tfplan = NULL, *map = NULL;
    int width = 0;
    const struct cli_opt opts[] = {
        { "--format", OPT_STR, &format, "text|json|sarif|junit" },
        { "--fail-on", OPT_STR, &fail_on, "error|warning|info|never" },
        { "--rules", OPT_STR, &rules, "PACK" },
        { "--output", OPT_STR, &output, "FILE" },
        { "-o", OPT_STR, &output, "FILE" },
        { "--color", OPT_STR, &color, "auto|always|never" },
        { "--width", OPT_INT, &width, "N" },
        { "--scenario", OPT_STR, &scenario, "NAME" },
        { "--terraform-plan", OPT_STR, &tfplan, "PLAN.json" },
        { "--map", OPT_STR, &map, "FILE" },
        { NULL, 0, NULL, NULL },
    };
    struct report_opts o = { 0 };
    struct model_json_locs locs = { 0 };
    struct check_result *res = NULL;
    struct report *rep = NULL;
    struct scenario_eval *base = NULL, *after = NULL;
    SM_ERROR(e);
    char *pos[2];
    int npos = 0, rc;
    bool help = false;

    if ((rc = cmd_parse(c, &cmd_check, argc, argv, opts, pos, 2, &npos, &help)) != CLI_OK)
        return rc;
    if (help)
        return CLI_OK;
    if (npos > 1)
        return cli_usage_fail(c, cmd_check.usage, "check takes one model file at most, not %s",
                              pos[1]);
    if ((o.format = report_format_parse(format)) == SM_NONE)
        return cli_usage_fail(c, cmd_check.usage,
                              "bad --format %s: use text, json, sarif or junit", format);
    if ((o.fail_on = report_fail_on_parse(fail_on)) == SM_NONE)
        return cli_usage_fail(c, cmd_check.usage,
                              "bad --fail-on %s: use error, warning, info or never", fail_on);
    if (strcmp(color, "auto") && strcmp(color, "always") && strcmp(color, "never"))
        return cli_usage_fail(c, cmd_check.usage,
                              "bad --color %s: use auto, always or never", color);
    if (width < 0 || (width > 0 && width < 40))
        return cli_usage_fail(c, cmd_check.usage, "bad --width %d: use 40 or more", width);
    if (output && !*output)
        return cli_usage_fail(c, cmd_check.usage, "-o needs a file name");
    if (output && strcmp(output, "-") == 0)
        output = NULL;          /* -o -: standard output */
    if (rules)
        c->rules = rules;
    if (tfplan && scenario)
        return cli_usage_fail(c, cmd_check.usage, "--terraform-plan and --scenario cannot "
                              "be combined");
    if (tfplan && !*tfplan)
        return cli_usage_fail(c, cmd_check.usage, "--terraform-plan needs a file");
    if (map && !tfplan)
        return cli_usage_fail(c, cmd_check.usage, "--map goes with --terraform-plan");

    if (o.format == REPORT_TEXT) {
        const char *nc = getenv("NO_COLOR");

        if (strcmp(color, "auto") == 0)
            o.color = !output && isatty(fileno(c->out)) && !(nc && *nc);
        else
            o.color = strcmp(color, "always") == 0;
        o.width = width ? width : !output && isatty(fileno(c->out)) ? term_width(c->out) : 80;
    }
    /* A model file in place of the catalog (the team's model in git). */
    if (npos == 1 && (rc = cli_use_model(c, pos[0], &locs)) != CLI_OK)
        goto done;
    /* A what-if: the scenario's model and pack replace the catalog's. */
    if (scenario && (rc = cli_use_scenario(c, scenario)) != CLI_OK)
        goto done;
    if (tfplan)
        rc = plan_collect(c, tfplan, map, &rep, &base, &after);
    else
        rc = cli_check_collect(c, &rep, &res);
    if (rc != CLI_OK)
        goto done;
    if (scenario && report_set_source(rep, rep->catalog, rep->pack, scenario, &e) != SM_OK) {
        rc = cli_error(c, &e);
        goto done;
    }
    char *uri = o.format == REPORT_SARIF ? doc_uri(c) : NULL;
    o.doc_uri = uri;
    if (output) {
        rc = write_file(c, rep, &o, output);
    } else if (report_write(rep, &o, c->out, &e) != SM_OK) {
        rc = cli_error(c, &e);
    }
    if (rc == CLI_OK && report_fails(rep, o.fail_on))
        rc = CLI_FINDINGS;
    free(uri);
done:
    report_free(rep);
    check_result_free(res);
    /* c->m (the file's model) is freed with the context; where its objects
     * are goes now, so nothing may read c->locs after this */
    c->locs = NULL;
    model_json_locs_fini(&locs);
    scenario_eval_free(after);
    scenario_eval_free(base);
    return rc;
}

const struct command cmd_check = {
    .name = "check",
    .summary = "check the catalog (or a model-json file) and report the findings",
    .usage =
        "usage: sovmap check [MODEL.json] [--format text|json|sarif|junit] [--fail-on LEVEL] "
        "[--rules PACK] [-o FILE] [--scenario NAME] [--color auto|always|never] [--width N]\n"
        "       sovmap check --terraform-plan PLAN.json [--map FILE] [--format F] "
        "[--fail-on LEVEL] [-o FILE]\n"
        "\n"
        "Check every dataset, copy and flow against the rule pack (built-in rules and\n"
        "the pack's custom SQL rules) and report the findings. Waived findings are\n"
        "listed apart; expired waivers are reported and hide nothing.\n"
        "\n"
        "With MODEL.json (a model-json file, - for standard input) the file is checked\n"
        "instead of the catalog, which is neither needed nor opened; SARIF results\n"
        "point at the line and column of each object in the file (doc/ci.md).\n"
        "\n"
        "options:\n"
        "  --format F        text (default), json, sarif (SARIF 2.1.0) or junit\n"
        "  --fail-on LEVEL   exit 1 when a live finding is at or above LEVEL: error\n"
        "                    (default), warning, info, or never\n"
        "  --rules PACK      a pack in DATADIR/rules/ or a JSON file (default: the\n"
        "                    catalog's pack, else default)\n"
        "  -o, --output FILE write the report to FILE instead of standard output (-)\n"
        "  --color WHEN      auto (a terminal, NO_COLOR unset), always or never\n"
        "  --width N         wrap text at N columns (default: the terminal, else 80)\n"
        "  --scenario NAME   check what-if scenario NAME instead of the catalog (custom\n"
        "                    SQL rules still read the stored catalog)\n"
        "  --terraform-plan PLAN.json\n"
        "                    judge a saved plan (terraform show -json tfplan): its\n"
        "                    changes to copies as a scenario over the catalog; report\n"
        "                    only the findings the plan introduces (not custom rules)\n"
        "  --map FILE        mapping file for the plan (dataset tag key, addresses),\n"
        "                    on top of data/import-map.json\n"
        "\n"
        "exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or input error\n"
        "formats: doc/reports.md\n",
    .run = run_check,
};
