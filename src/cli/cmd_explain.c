/*
 * cmd_explain.c - `sovmap explain [RULE]`: a rule's text (what fires, what
 * does not, the legal source) from data/rules/explain/ (cut from
 * doc/rules.md); with no RULE, the list of rules. `sovmap help RULE` comes
 * here too (main.c). It needs no catalog.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_util.h"
#include "rule_text.h"
#include "rules.h"

/* Each line through the terminal escaping. */
static void
put_lines(struct cli *c, const char *s, const char *indent)
{
    while (*s) {
        size_t n = strcspn(s, "\n");
        char *line = strndup(s, n);
        fputs(indent, c->out);
        if (line)
            cli_put_text(c->out, line);
        free(line);
        fputc('\n', c->out);
        s += n + (s[n] == '\n');
    }
}

static int
list_rules(struct cli *c, enum out_format fmt)
{
    if (fmt == FMT_JSON)
        fputc('[', c->out);
    for (int i = 0; i < RULE_COUNT; i++) {
        const char *sev = severity_names[c->rp ? rules_severity(c->rp, i) : rule_default_severity[i]];
        if (fmt == FMT_JSON)
            fprintf(c->out, "%s\n  {\"id\":\"%s\",\"severity\":\"%s\",\"title\":", i ? "," : "",
                    rule_names[i], sev);
        else
            fprintf(c->out, "%-7s %-8s ", rule_names[i], sev);
        if (fmt == FMT_JSON) {
            cli_put_json(c->out, rule_titles[i]);
            fputc('}', c->out);
        } else {
            cli_put_text(c->out, rule_titles[i]);
            fputc('\n', c->out);
        }
    }
    for (int32_t k = 0; c->rp && k < c->rp->ncustom; k++) {
        const struct custom_rule *r = &c->rp->custom[k];
        if (fmt == FMT_JSON) {
            fputs(",\n  {\"id\":", c->out);
            cli_put_json(c->out, r->id);
            fprintf(c->out, ",\"severity\":\"%s\",\"title\":", severity_names[r->severity]);
            cli_put_json(c->out, r->message);
            fputs(",\"custom\":true}", c->out);
        } else {
            cli_put_text(c->out, r->id);
            fprintf(c->out, "%*s%-8s ", strlen(r->id) < 7 ? (int)(8 - strlen(r->id)) : 1, "",
                    severity_names[r->severity]);
            cli_put_text(c->out, r->message);
            fputs(" (custom)\n", c->out);
        }
    }
    if (fmt == FMT_JSON)
        fputs("\n]\n", c->out);
    return CLI_OK;
}

static int
unknown_rule(struct cli *c, const char *id)
{
    const char *best = NULL;
    int bestd = 3;

    for (int i = 0; i < RULE_COUNT; i++) {
        int d = sm_levenshtein(id, rule_names[i], 2);
        if (d < bestd) {
            bestd = d;
            best = rule_names[i];
        }
    }
    for (int32_t k = 0; c->rp && k < c->rp->ncustom; k++) {
        int d = sm_levenshtein(id, c->rp->custom[k].id, 2);
        if (d < bestd) {
            bestd = d;
            best = c->rp->custom[k].id;
        }
    }
    if (best)
        return cli_fail(c, "unknown rule %s; did you mean %s?", id, best);
    return cli_fail(c, "unknown rule %s; `sovmap explain` lists them", id);
}

static int
run_explain(struct cli *c, int argc, char **argv)
{
    extern const struct command cmd_explain;
    const char *format = NULL;
    const struct cli_opt opts[] = {
        { "--format", OPT_STR, &format, "text|json" },
        { NULL, 0, NULL, NULL },
    };
    char *pos[4], *id = NULL, *text = NULL;
    SM_ERROR(e);
    enum out_format fmt;
    int npos, rc, rule;
    bool help;

    if (argc > 6)
        return cli_usage_fail(c, cmd_explain.usage, "explain: too many arguments");
    rc = cli_parse(c, &cmd_explain, argc, argv, opts, pos, &npos, &help);
    if (rc || help)
        return rc;
    if ((rc = cmd_format(c, format, false, &fmt)) != CLI_OK)
        return rc;
    if (npos > 1)
        return cli_usage_fail(c, cmd_explain.usage, "explain: unexpected argument %s", pos[1]);
    /* --rules PACK adds that pack's custom rules and severities */
    if (c->rules && (rc = cli_load_rules(c)) != CLI_OK)
        return rc;
    if (npos == 0)
        return list_rules(c, fmt);
    if (!(id = strdup(pos[0])))
        return cli_fail(c, "out of memory");
    for (char *p = id; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    rule = rules_rule(id);
    if (rule == SM_NONE) {
        for (int32_t k = 0; c->rp && k < c->rp->ncustom; k++) {
            const struct custom_rule *r = &c->rp->custom[k];
            if (strcmp(r->id, pos[0]) != 0 && strcmp(r->id, id) != 0)
                continue;
            if (fmt == FMT_JSON) {
                fputs("{\"id\":", c->out);
                cli_put_json(c->out, r->id);
                fprintf(c->out, ",\"severity\":\"%s\",\"title\":", severity_names[r->severity]);
                cli_put_json(c->out, r->message);
                fputs(",\"custom\":true,\"sql\":", c->out);
                cli_put_json(c->out, r->sql);
                fputs("}\n", c->out);
            } else {
                cli_put_text(c->out, r->id);
                fprintf(c->out, " — custom rule of pack ");
                cli_put_text(c->out, c->rp->name);
                fprintf(c->out, " [%s]\n", severity_names[r->severity]);
                put_lines(c, r->message, "");
                fputs("It reports each row of:\n", c->out);
                put_lines(c, r->sql, "  ");
            }
            free(id);
            return CLI_OK;
        }
        rc = unknown_rule(c, pos[0]);
        free(id);
        return rc;
    }
    if (rule_text_load(c->datadir, rule_names[rule], &text, &e) != SM_OK) {
        free(id);
        return cli_error(c, &e);
    }
    if (fmt == FMT_JSON) {
        const char *body = strchr(text, '\n');
        fprintf(c->out, "{\"id\":\"%s\",\"severity\":\"%s\",\"title\":", rule_names[rule],
                severity_names[c->rp ? rules_severity(c->rp, rule) : rule_default_severity[rule]]);
        cli_put_json(c->out, rule_titles[rule]);
        fputs(",\"text\":", c->out);
        cli_put_json(c->out, body ? body + 1 : "");
        fputs("}\n", c->out);
    } else {
        put_lines(c, text, "");
    }
    free(text);
    free(id);
    return CLI_OK;
}

const struct command cmd_explain = {
    .name = "explain",
    .summary = "what a rule checks, what fires and what does not, and the law behind it",
    .usage =
        "usage: sovmap explain [RULE] [--format text|json]\n"
        "\n"
        "The text of RULE (RES001, XFR002 ...): when it fires, an example that fires and\n"
        "one that does not, and its legal source, as in doc/rules.md (shipped in\n"
        "DATADIR/rules/explain/). With no RULE, every rule with its severity and title.\n"
        "`sovmap help RULE` does the same. With the global --rules PACK, the pack's\n"
        "severities and custom rules are included. An unknown id suggests the nearest.\n"
        "\n"
        "  --format FORMAT  text or json\n",
    .run = run_explain,
};
