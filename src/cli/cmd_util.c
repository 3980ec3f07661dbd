/*
 * cmd_util.c - helpers of the object commands (see cmd_util.h): subcommand
 * dispatch, options and help generated from model_attrs(), aligned tables,
 * JSON objects, saving objects with their audit entry.
 */
#include "cmd_util.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model_json.h"
#include "store.h"

/* ---- subcommands ------------------------------------------------------------------ */

/* Attributes that `add` takes as arguments, left out of its --help. */
static const char *const place_args[] = { "region", NULL };
static const char *const flow_args[] = { "from", "to", "to-region", NULL };
static const char *const *const add_skip[OBJ_KIND_COUNT] = {
    [OBJ_PLACEMENT] = place_args,
    [OBJ_FLOW] = flow_args,
};

static bool
is_help(const char *a)
{
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 || strcmp(a, "help") == 0;
}

int
cmd_dispatch(struct cli *c, const struct command *cmd, int argc, char **argv)
{
    const struct subcmd *subs = cmd->subs, *s, *best = NULL;
    const char *dflt = cmd->default_sub;
    int kind_help = cmd->kind_help;
    struct command self;
    char *name;                 /* "scenario diff": the command and subcommand, whole */
    int bestd = 3, d, rc;

    if (argc < 2 || is_help(argv[1])) {
        if (argc < 2) {
            return cli_usage_fail(c, cmd->usage, "%s: missing subcommand", cmd->name);
        }
        fputs(cmd->usage, c->out);
        if (kind_help) {
            fputs("\nattributes (--NAME VALUE on add and edit):\n", c->out);
            cmd_attr_help(c->out, (enum obj_kind)(kind_help - 1), NULL);
        }
        return CLI_OK;
    }
    for (s = subs; s->name; s++)
        if (strcmp(s->name, argv[1]) == 0)
            break;
    int skip_args = 1;          /* argv[1] is the subcommand's name */
    if (!s->name && dflt && argv[1][0] != '-') {
        /* `sovmap place DATASET REGION`: the default subcommand, argv[1] is data */
        for (s = subs; s->name; s++)
            if (strcmp(s->name, dflt) == 0)
                break;
        skip_args = 0;
    }
    if (!s->name) {
        for (s = subs; s->name; s++) {
            d = sm_levenshtein(argv[1], s->name, 2);
            if (d < bestd) {
                bestd = d;
                best = s;
            }
        }
        if (best)
            return cli_usage_fail(c, cmd->usage, "unknown %s subcommand %s; did you mean %s?",
                                  cmd->name, argv[1], best->name);
        return cli_usage_fail(c, cmd->usage, "unknown %s subcommand %s", cmd->name, argv[1]);
    }
    if (skip_args)
        name = sm_strdupf("%s %s", cmd->name, s->name);
    else
        name = sm_strdupf("%s", cmd->name);
    if (!name)
        return cli_fail(c, "out of memory");
    memset(&self, 0, sizeof self);
    self.name = name;
    self.summary = cmd->summary;
    self.usage = s->usage;
    /* --help on a subcommand: its usage, then the attributes it takes */
    for (int i = 1 + skip_args; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(s->usage, c->out);
            if (s->attrs) {
                fputs("\nattributes:\n", c->out);
                cmd_attr_help(c->out, (enum obj_kind)(s->attrs - 1),
                              strcmp(s->name, "add") == 0 ? add_skip[s->attrs - 1] : NULL);
            }
            free(name);
            return CLI_OK;
        }
    }
    rc = s->run(c, &self, argc - skip_args, argv + skip_args);
    free(name);
    return rc;
}

int
cmd_parse(struct cli *c, const struct command *cmd, int argc, char **argv,
          const struct cli_opt *opts, char **pos, int maxpos, int *npos, bool *help)
{
    char **all = calloc((size_t)argc + 1, sizeof *all);
    int rc;

    *npos = 0;
    *help = false;
    if (!all)
        return cli_fail(c, "out of memory");
    rc = cli_parse(c, cmd, argc, argv, opts, all, npos, help);
    memcpy(pos, all, (size_t)(*npos < maxpos ? *npos : maxpos) * sizeof *pos);
    free(all);
    return rc;
}

static bool
skipped(const char *name, const char *const *skip)
{
    for (; skip && *skip; skip++)
        if (strcmp(*skip, name) == 0)
            return true;
    return false;
}

static const char *const type_hint[] = {
    [ATTR_STR] = "TEXT", [ATTR_INT] = "N", [ATTR_BOOL] = "", [ATTR_ENUM] = "",
    [ATTR_DATE] = "YYYY-MM-DD", [ATTR_TIER] = "TIER", [ATTR_REGION] = "REGION",
    [ATTR_CC] = "CC", [ATTR_SUBJECTS] = "CC,CC", [ATTR_STRV] = "A,B",
    [ATTR_CCSET] = "CC,CC", [ATTR_TRANSFORMS] = "\"OP F..; OP\"",
    [ATTR_PLACEMENT] = "DATASET@REGION", [ATTR_FIELDS] = "",
};

void
cmd_attr_help(FILE *f, enum obj_kind kind, const char *const *skip)
{
    for (const struct attr *a = model_attrs(kind); a && a->name; a++) {
        char *left;             /* "--NAME VALUE", whole */
        if (a->readonly || skipped(a->name, skip))
            continue;
        if (a->type == ATTR_BOOL)
            left = sm_strdupf("--%s[=false]", a->name);
        else if (a->type == ATTR_ENUM)
            left = sm_strdupf("--%s NAME", a->name);
        else
            left = sm_strdupf("--%s %s", a->name, type_hint[a->type]);
        fprintf(f, "  %-28s %s%s\n", left ? left : "(out of memory)", a->help ? a->help : "",
                a->required ? " (required)" : "");
        free(left);
    }
}

/* ---- options from attribute tables ------------------------------------------------ */

/* Short spellings of attribute options (at most ATTR_MAX_ALIASES per kind). */
static const struct {
    enum obj_kind kind;
    const char *alias, *attr, *help;
} attr_aliases[] = {
    { OBJ_FLOW, "--ref", "mechanism-ref", "same as --mechanism-ref" },
    { OBJ_FLOW, "--encrypted", "transit-encrypted", "same as --transit-encrypted" },
    { 0, NULL, NULL, NULL },
};

void
attr_opts_add(struct attr_opts *ao, enum obj_kind kind, const char *const *skip,
              struct cli_opt *opts, int *nopts)
{
    memset(ao, 0, sizeof *ao);
    for (const struct attr *a = model_attrs(kind); a && a->name; a++) {
        if (a->readonly || skipped(a->name, skip) || ao->n == EDIT_MAX_ATTRS)
            continue;
        int k = ao->n++;
        ao->attr[k] = a;
        snprintf(ao->optname[k], sizeof ao->optname[k], "--%s", a->name);
        opts[*nopts].name = ao->optname[k];
        opts[*nopts].type = a->type == ATTR_BOOL ? OPT_BOOL : OPT_STR;
        opts[*nopts].dst = &ao->val[k];
        opts[*nopts].help = a->help;
        (*nopts)++;
    }
    /* short spellings, the same on add and edit: they write the attribute's slot */
    for (int i = 0; attr_aliases[i].alias; i++) {
        if (attr_aliases[i].kind != kind)
            continue;
        for (int k = 0; k < ao->n; k++) {
            if (strcmp(ao->attr[k]->name, attr_aliases[i].attr) != 0)
                continue;
            opts[*nopts].name = attr_aliases[i].alias;
            opts[*nopts].type = ao->attr[k]->type == ATTR_BOOL ? OPT_BOOL : OPT_STR;
            opts[*nopts].dst = &ao->val[k];
            opts[*nopts].help = attr_aliases[i].help;
            (*nopts)++;
        }
    }
    memset(&opts[*nopts], 0, sizeof opts[*nopts]);
}

const char *
attr_opts_get(const struct attr_opts *ao, const char *name)
{
    for (int k = 0; k < ao->n; k++)
        if (strcmp(ao->attr[k]->name, name) == 0)
            return ao->val[k];
    return NULL;
}

void
attr_opts_set(struct attr_opts *ao, const char *name, const char *value)
{
    for (int k = 0; k < ao->n; k++)
        if (strcmp(ao->attr[k]->name, name) == 0)
            ao->val[k] = value;
}

int
attr_opts_edit(const struct attr_opts *ao, struct edit *e)
{
    int n = 0;

    for (int k = 0; k < ao->n && e->nattrs < EDIT_MAX_ATTRS; k++) {
        if (!ao->val[k])
            continue;
        e->attrs[e->nattrs].name = ao->attr[k]->name;
        e->attrs[e->nattrs].value = ao->val[k];
        e->nattrs++;
        n++;
    }
    return n;
}

int
attr_opts_parse(struct cli *c, const struct command *self, int argc, char **argv,
                enum obj_kind kind, const char *const *skip, const struct cli_opt *extra,
                struct attr_opts *ao, char ***pos, int *npos, bool *help)
{
    struct cli_opt opts[EDIT_MAX_ATTRS + ATTR_MAX_ALIASES + 8];
    int nopts = 0;

    *npos = 0;
    *help = false;
    if (!(*pos = calloc((size_t)argc + 1, sizeof **pos)))
        return cli_fail(c, "out of memory");
    attr_opts_add(ao, kind, skip, opts, &nopts);
    for (; extra && extra->name; extra++) {
        assert(nopts < EDIT_MAX_ATTRS + ATTR_MAX_ALIASES + 7);
        opts[nopts++] = *extra;
    }
    memset(&opts[nopts], 0, sizeof opts[nopts]);
    return cli_parse(c, self, argc, argv, opts, *pos, npos, help);
}

/* ---- output -------------------------------------------------------------------------- */

int
cmd_format(struct cli *c, const char *value, bool tsv, enum out_format *out)
{
    static const char *const with_tsv[] = { "text", "tsv", "json", NULL };
    static const char *const without[] = { "text", "json", NULL };
    int rc;

    if (!value || strcmp(value, "text") == 0)
        return *out = FMT_TEXT, CLI_OK;
    if (strcmp(value, "json") == 0)
        return *out = FMT_JSON, CLI_OK;
    if (tsv && strcmp(value, "tsv") == 0)
        return *out = FMT_TSV, CLI_OK;
    rc = cli_check_format(c, value, tsv ? with_tsv : without);
    return rc ? rc : CLI_USAGE;
}

#define TABLE_MAX_COLS 12
#define TABLE_MAX_WIDTH 64

void
cmd_table(struct cli *c, enum out_format fmt, int ncols, const char *const *heads,
          int32_t nrows, table_row_fn row, void *ctx)
{
    size_t width[TABLE_MAX_COLS], w;
    const char *cols[TABLE_MAX_COLS];

    if (ncols > TABLE_MAX_COLS)
        ncols = TABLE_MAX_COLS;
    for (int k = 0; k < ncols; k++)
        width[k] = strlen(heads[k]);
    if (fmt == FMT_TEXT) {
        for (int32_t i = 0; i < nrows; i++) {
            if (!row(ctx, i, cols))
                continue;
            for (int k = 0; k < ncols; k++) {
                w = cli_text_width(cols[k] ? cols[k] : "");
                if (w > width[k])
                    width[k] = w > TABLE_MAX_WIDTH ? TABLE_MAX_WIDTH : w;
            }
        }
    }
    for (int k = 0; k < ncols; k++) {
        if (fmt == FMT_TSV) {
            fprintf(c->out, "%s%s", k ? "\t" : "", heads[k]);
        } else {
            fprintf(c->out, "%s%s", k ? "  " : "", heads[k]);
            if (k < ncols - 1)
                fprintf(c->out, "%*s", (int)(width[k] - strlen(heads[k])), "");
        }
    }
    fputc('\n', c->out);
    for (int32_t i = 0; i < nrows; i++) {
        size_t pad = 0;
        if (!row(ctx, i, cols))
            continue;
        for (int k = 0; k < ncols; k++) {
            const char *v = cols[k] ? cols[k] : "";
            if (fmt == FMT_TSV) {
                if (k)
                    fputc('\t', c->out);
                cli_put_text(c->out, v);
                continue;
            }
            /* padding is written only before a non-empty cell: no trailing blanks */
            if (k)
                pad += 2;
            if (!*v) {
                pad += width[k];
                continue;
            }
            if (pad)
                fprintf(c->out, "%*s", (int)pad, "");
            cli_put_text(c->out, v);
            w = cli_text_width(v);
            pad = w < width[k] ? width[k] - w : 0;
        }
        fputc('\n', c->out);
    }
}

void
cmd_list(struct cli *c, enum out_format fmt, int ncols, const char *const *heads,
         int32_t nrows, table_row_fn row, json_obj_fn obj, void *ctx)
{
    const char *cols[TABLE_MAX_COLS];
    bool first = true;

    if (fmt != FMT_JSON) {
        cmd_table(c, fmt, ncols, heads, nrows, row, ctx);
        return;
    }
    fputc('[', c->out);
    for (int32_t i = 0; i < nrows; i++) {
        if (!row(ctx, i, cols))
            continue;
        fputs(first ? "\n  {" : ",\n  {", c->out);
        obj(c, ctx, i, cols);
        fputc('}', c->out);
        first = false;
    }
    fputs(first ? "]\n" : "\n]\n", c->out);
}

int
cmd_list_parse(struct cli *c, const struct command *self, int argc, char **argv,
               const struct cli_opt *opts, int maxargc, const char *const *format,
               enum out_format *fmt, bool *help)
{
    char *pos[16];
    int npos, rc;

    assert(maxargc <= 16);
    if (argc > maxargc)
        return cli_usage_fail(c, self->usage, "%s: too many arguments", self->name);
    rc = cli_parse(c, self, argc, argv, opts, pos, &npos, help);
    if (rc || *help)
        return rc;
    if (npos)
        return cli_usage_fail(c, self->usage, "%s: unexpected argument %s", self->name, pos[0]);
    return cmd_format(c, *format, true, fmt);
}

/* An attribute's whole text on the heap; NULL, with "out of memory" on
 * stderr, when there is no memory (the caller shows "" and goes on). */
static char *
attr_text(struct cli *c, enum obj_kind kind, int32_t id, const char *attr)
{
    char *v = model_get_dup(c->m, kind, id, attr);

    if (!v)
        fprintf(c->err, "sovmap: out of memory\n");
    return v;
}

void
cmd_json_attrs(struct cli *c, enum obj_kind kind, int32_t id)
{
    for (const struct attr *a = model_attrs(kind); a && a->name; a++) {
        if (a->type == ATTR_FIELDS)
            continue;
        char *v = attr_text(c, kind, id, a->name);
        const char *text = v ? v : "";
        fputc(',', c->out);
        cli_put_json(c->out, a->name);
        fputc(':', c->out);
        if (a->type == ATTR_INT)
            fputs(*text ? text : "null", c->out);
        else if (a->type == ATTR_BOOL)
            fputs(text, c->out);
        else
            cli_put_json(c->out, text);
        free(v);
    }
}

void
cmd_json_members(struct cli *c, const char *key, const char *value, enum obj_kind kind,
                 int32_t id)
{
    cli_put_json(c->out, key);
    fputc(':', c->out);
    cli_put_json(c->out, value);
    cmd_json_attrs(c, kind, id);
}

void
cmd_text_line(struct cli *c, const char *label, const char *value)
{
    if (!value || !*value) {
        fprintf(c->out, "%s\n", label);
        return;
    }
    fprintf(c->out, "%-20s ", label);
    cli_put_text(c->out, value);
    fputc('\n', c->out);
}

void
cmd_text_attrs(struct cli *c, enum obj_kind kind, int32_t id)
{
    for (const struct attr *a = model_attrs(kind); a && a->name; a++) {
        if (a->type == ATTR_FIELDS)
            continue;
        char *v = attr_text(c, kind, id, a->name);
        cmd_text_line(c, a->name, v ? v : "");
        free(v);
    }
}

/* ---- saving ------------------------------------------------------------------------ */

static int64_t
meta_int(struct cli *c, const char *key)
{
    char buf[32];               /* bounded: a counter, an int64 in decimal */

    if (store_meta_get(c->st, key, buf, sizeof buf, NULL) != SM_OK)
        return -1;
    return strtoll(buf, NULL, 10);
}

static char *
made_on_key(const char *name)
{
    static const char prefix[] = "scenario_made_on:";
    size_t n = strlen(name);
    char *k = malloc(sizeof prefix + n);

    if (k) {
        memcpy(k, prefix, sizeof prefix - 1);
        memcpy(k + sizeof prefix - 1, name, n + 1);
    }
    return k;
}

int
cmd_model_changes(struct cli *c, int64_t *out, struct sm_error *err)
{
    int64_t all, scen;
    int rc;

    if ((rc = store_change_counter(c->st, &all, err)))
        return rc;
    scen = meta_int(c, "scenario_writes");
    *out = all - (scen > 0 ? scen : 0);
    return SM_OK;
}

int64_t
cmd_scenario_made_on(struct cli *c, const char *name)
{
    char *k = made_on_key(name);
    int64_t v = k ? meta_int(c, k) : -1;

    free(k);
    return v;
}

/* A scenario was written (inside the transaction, after its audit entry):
 * it is not a model change, and it is now made on the current model. */
static int
stamp_scenario(struct cli *c, const struct model *m, int32_t id, struct sm_error *e)
{
    char num[32], *k;           /* bounded: num is an int64 in decimal */
    int64_t w = meta_int(c, "scenario_writes"), now;
    int rc;

    snprintf(num, sizeof num, "%lld", (long long)(w > 0 ? w + 1 : 1));
    if ((rc = store_meta_set(c->st, "scenario_writes", num, e)) ||
        (rc = cmd_model_changes(c, &now, e)))
        return rc;
    if (id == SM_NONE || m->scenarios[id].deleted)
        return SM_OK;
    if (!(k = made_on_key(m->scenarios[id].name)))
        return sm_error_set(e, SM_ENOMEM, "out of memory");
    snprintf(num, sizeof num, "%lld", (long long)now);
    rc = store_meta_set(c->st, k, num, e);
    free(k);
    return rc;
}

char *
cmd_part(const struct model *m, enum obj_kind kind, int32_t id)
{
    struct obj_ref ref = { kind, id };
    char *out = NULL;

    if (model_json_part(m, &ref, 1, &out, NULL) != SM_OK)
        return NULL;
    return out;
}

char *
cmd_audit_data(const char *before, const char *after)
{
    size_t n;
    char *s;

    if (!before || !after)
        return NULL;
    n = strlen(before) + strlen(after) + 32;
    if ((s = malloc(n)))
        snprintf(s, n, "{\"before\":%s,\"after\":%s}", before, after);
    return s;
}

char *
cmd_diff_data(struct cli *c, const struct model *a, const struct model *b)
{
    SM_ERROR(e);
    char *before = NULL, *after = NULL, *data;

    switch (model_json_diff(a, b, &before, &after, CMD_AUDIT_MAX_OBJECTS, &e)) {
    case SM_OK:
        data = cmd_audit_data(before, after);
        break;
    case SM_ELIMIT:
        /* too big to keep whole: the counts per kind (not revertible) */
        if ((data = malloc(strlen(before) + 16)))
            sprintf(data, "{\"summary\":%s}", before);
        break;
    default:
        cli_error(c, &e);
        return NULL;
    }
    if (!data)
        cli_fail(c, "out of memory");
    free(before);
    free(after);
    return data;
}

int
cmd_save(struct cli *c, const struct model *m, enum obj_kind kind, int32_t id,
         const char *object, const char *op, const char *before, const char *after,
         const char *snap)
{
    SM_ERROR(e);
    char *now = NULL, *data = NULL;
    int rc;

    if (id == SM_NONE && c->m && c->m != m) {
        if (!(data = cmd_diff_data(c, c->m, m)))
            return CLI_USAGE;
    } else if (id != SM_NONE && snap) {
        if (!(now = cmd_part(m, kind, id)))
            return cli_fail(c, "out of memory");
        if (strcmp(now, snap) == 0) {
            free(now);
            if (!c->quiet) {
                fprintf(c->out, "unchanged %s ", obj_kind_names[kind]);
                cli_put_text(c->out, object);
                fputc('\n', c->out);
            }
            return CMD_UNCHANGED;
        }
        data = cmd_audit_data(snap, now);
        free(now);
        if (!data)
            return cli_fail(c, "out of memory");
    }
    if (store_begin(c->st, &e) != SM_OK) {
        free(data);
        return cli_error(c, &e);
    }
    rc = id == SM_NONE ? store_put_all(c->st, m, &e) : store_put(c->st, m, kind, id, &e);
    if (rc != SM_OK || store_audit_data(c->st, op, object, before, after, data, &e) != SM_OK ||
        (kind == OBJ_SCENARIO && id != SM_NONE && stamp_scenario(c, m, id, &e) != SM_OK) ||
        store_commit(c->st, &e) != SM_OK) {
        store_rollback(c->st);
        free(data);
        return cli_error(c, &e);
    }
    free(data);
    return CLI_OK;
}

int
cmd_save_changes(struct cli *c, const struct model *base, const struct model *m,
                 const char *object, const char *op, const char *before, const char *after)
{
    SM_ERROR(e);
    char *data = cmd_diff_data(c, base, m);

    if (!data)
        return CLI_USAGE;
    if (store_begin(c->st, &e) != SM_OK) {
        free(data);
        return cli_error(c, &e);
    }
    if (store_put_changes(c->st, base, m, NULL, &e) != SM_OK ||
        store_audit_data(c->st, op, object, before, after, data, &e) != SM_OK ||
        store_commit(c->st, &e) != SM_OK) {
        store_rollback(c->st);
        free(data);
        return cli_error(c, &e);
    }
    free(data);
    return CLI_OK;
}

char *
cmd_now(struct cli *c)
{
    time_t t;
    struct tm tm;
    char buf[32];               /* bounded: an ISO 8601 UTC time from strftime */

    const char *pinned = getenv("SOVMAP_NOW");

    /* the same clock as the store's audit times (doc/catalog.md) */
    if (pinned && *pinned)
        return sm_strdupf("%s", pinned);
    if (getenv("SOVMAP_TODAY") && c->today)
        return sm_strdupf("%04d-%02d-%02dT00:00:00Z", (int)(c->today / 10000),
                          (int)(c->today / 100 % 100), (int)(c->today % 100));
    t = time(NULL);
    gmtime_r(&t, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return sm_strdupf("%s", buf);
}

int
cmd_find(struct cli *c, enum obj_kind kind, const char *sel, int32_t *id)
{
    SM_ERROR(e);

    if (model_find(c->m, kind, sel, id, &e) != SM_OK)
        return cli_error(c, &e);
    return CLI_OK;
}

/* ---- generic add / edit / show / rm ------------------------------------------------ */

int
cmd_check_transforms(struct cli *c, int32_t ds, const char *text)
{
    const struct model *m = c->m;
    struct transform *tx = NULL;
    uint32_t n = 0;
    int32_t nfields = 0;

    if (!text || !*text || ds < 0)
        return CLI_OK;
    if (model_parse_transforms(c->m, text, &tx, &n, NULL) != SM_OK)
        return CLI_OK;          /* the edit itself reports the bad text */
    for (int32_t f = m->datasets[ds].first_field; f != SM_NONE; f = m->fields[f].next)
        nfields++;
    for (uint32_t k = 0; k < n; k++) {
        for (uint32_t j = 0; j < tx[k].fields.n; j++) {
            const char *name = tx[k].fields.v[j], *best = NULL;
            int bestd = 3, d;
            if (model_field(m, ds, name) != SM_NONE)
                continue;
            if (!nfields) {
                /* nothing to check against yet: fields often come later (import) */
                if (!c->quiet) {
                    fputs("sovmap: warning: ", c->err);
                    cli_put_text(c->err, m->datasets[ds].name);
                    fputs(" has no fields modelled yet; the transforms' fields are not "
                          "checked\n", c->err);
                }
                return CLI_OK;
            }
            fputs("sovmap: unknown field ", c->err);
            cli_put_text(c->err, name);
            fputs(" on ", c->err);
            cli_put_text(c->err, m->datasets[ds].name);
            fputs(" (fields: ", c->err);
            for (int32_t f = m->datasets[ds].first_field, i = 0; f != SM_NONE;
                 f = m->fields[f].next, i++) {
                if (i)
                    fputs(", ", c->err);
                cli_put_text(c->err, m->fields[f].name);
                if ((d = sm_levenshtein(name, m->fields[f].name, 2)) < bestd) {
                    bestd = d;
                    best = m->fields[f].name;
                }
            }
            fputc(')', c->err);
            if (best) {
                fputs("; did you mean ", c->err);
                cli_put_text(c->err, best);
                fputc('?', c->err);
            }
            fputc('\n', c->err);
            return CLI_USAGE;
        }
    }
    return CLI_OK;
}

int
cmd_obj_write(struct cli *c, const struct command *self, int argc, char **argv,
              enum obj_kind kind, enum edit_op op, const char *const *skip)
{
    struct attr_opts ao;
    char **pos;
    struct edit e;
    int npos, rc;
    int32_t id;
    bool help;

    rc = attr_opts_parse(c, self, argc, argv, kind, skip, NULL, &ao, &pos, &npos, &help);
    if (rc || help)
        goto out;
    if (npos != 1) {
        rc = cli_usage_fail(c, self->usage, npos ? "%s: unexpected argument %s"
                            : "%s: missing the %s", self->name,
                            npos ? pos[1] : obj_kind_names[kind]);
        goto out;
    }
    memset(&e, 0, sizeof e);
    e.op = op;
    e.kind = kind;
    e.key = pos[0];
    if (attr_opts_edit(&ao, &e) == 0 && op == EDIT_SET) {
        rc = cli_usage_fail(c, self->usage, "%s: nothing to change; give --ATTR VALUE",
                            self->name);
        goto out;
    }
    if ((rc = cli_open(c, CLI_WRITE | STORE_CREATE)) != CLI_OK)
        goto out;
    if (op == EDIT_SET && (rc = cmd_find(c, kind, pos[0], &id)) != CLI_OK)
        goto out;
    if (op == EDIT_SET && kind == OBJ_FLOW &&
        (rc = cmd_check_transforms(c, c->m->placements[c->m->flows[id].from].dataset,
                                   attr_opts_get(&ao, "transforms"))) != CLI_OK)
        goto out;
    if (op == EDIT_SET && kind == OBJ_REGION && c->m->regions[id].builtin) {
        /* shipped regions are never written to the catalog: the change would vanish */
        rc = cli_fail(c, "region %s is shipped with sovmap and cannot be changed; add a "
                      "region of your own, or retire it in a scenario", pos[0]);
        goto out;
    }
    rc = cli_apply(c, &e, op == EDIT_ADD ? "added" : "changed");
out:
    free(pos);
    return rc;
}

int
cmd_obj_rm(struct cli *c, const struct command *self, int argc, char **argv,
           enum obj_kind kind)
{
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    struct edit e;
    int npos, rc;
    int32_t id;
    bool help;

    if (!pos)
        return cli_fail(c, "out of memory");
    rc = cli_parse(c, self, argc, argv, NULL, pos, &npos, &help);
    if (rc || help)
        goto out;
    if (npos < 1) {
        rc = cli_usage_fail(c, self->usage, "%s: missing the %s", self->name,
                            obj_kind_names[kind]);
        goto out;
    }
    if ((rc = cli_open(c, CLI_WRITE)) != CLI_OK)
        goto out;
    for (int i = 0; i < npos; i++)
        if ((rc = cmd_find(c, kind, pos[i], &id)) != CLI_OK)
            goto out;
    for (int i = 0; i < npos && rc == CLI_OK; i++) {
        memset(&e, 0, sizeof e);
        e.op = EDIT_REMOVE;
        e.kind = kind;
        e.key = pos[i];
        rc = cli_apply(c, &e, "removed");
    }
out:
    free(pos);
    return rc;
}

int
cmd_obj_show(struct cli *c, const struct command *self, int argc, char **argv,
             enum obj_kind kind)
{
    const char *format = NULL;
    const struct cli_opt opts[] = {
        { "--format", OPT_STR, &format, "text|json" },
        { NULL, 0, NULL, NULL },
    };
    char **pos = calloc((size_t)argc + 1, sizeof *pos), *sel = NULL;
    enum out_format fmt;
    int npos, rc;
    int32_t id;
    bool help;

    if (!pos)
        return cli_fail(c, "out of memory");
    rc = cli_parse(c, self, argc, argv, opts, pos, &npos, &help);
    if (rc || help)
        goto out;
    if (npos != 1) {
        rc = cli_usage_fail(c, self->usage, npos ? "%s: one %s at a time" : "%s: missing the %s",
                            self->name, obj_kind_names[kind]);
        goto out;
    }
    if ((rc = cmd_format(c, format, false, &fmt)) != CLI_OK)
        goto out;
    if ((rc = cli_open(c, STORE_READONLY)) != CLI_OK)
        goto out;
    if ((rc = cmd_find(c, kind, pos[0], &id)) != CLI_OK)
        goto out;
    if (!(sel = model_selector_dup(c->m, kind, id))) {
        rc = cli_fail(c, "out of memory");
        goto out;
    }
    if (fmt == FMT_JSON) {
        fputc('{', c->out);
        cmd_json_members(c, kind == OBJ_REGION ? "id" : kind == OBJ_PLACEMENT ? "selector" : "name",
                         sel, kind, id);
        fputs("}\n", c->out);
    } else {
        cmd_text_line(c, obj_kind_names[kind], sel);
        cmd_text_attrs(c, kind, id);
    }
out:
    free(sel);
    free(pos);
    return rc;
}

/* The object kind a command is about: the first word of its name
 * ("region add" -> region), or place/waive. */
static enum obj_kind
command_kind(const struct command *self)
{
    static const struct { const char *word; enum obj_kind kind; } kinds[] = {
        { "region", OBJ_REGION }, { "tier", OBJ_TIER }, { "dataset", OBJ_DATASET },
        { "place", OBJ_PLACEMENT }, { "flow", OBJ_FLOW }, { "waive", OBJ_WAIVER },
        { "scenario", OBJ_SCENARIO },
    };
    size_t n = strcspn(self->name, " ");

    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strlen(kinds[i].word) == n && strncmp(self->name, kinds[i].word, n) == 0)
            return kinds[i].kind;
    assert(!"a command named after no object kind");
    return OBJ_DATASET;
}

int
cmd_sub_add(struct cli *c, const struct command *self, int argc, char **argv)
{
    return cmd_obj_write(c, self, argc, argv, command_kind(self), EDIT_ADD, NULL);
}

int
cmd_sub_edit(struct cli *c, const struct command *self, int argc, char **argv)
{
    return cmd_obj_write(c, self, argc, argv, command_kind(self), EDIT_SET, NULL);
}

int
cmd_sub_show(struct cli *c, const struct command *self, int argc, char **argv)
{
    return cmd_obj_show(c, self, argc, argv, command_kind(self));
}

int
cmd_sub_rm(struct cli *c, const struct command *self, int argc, char **argv)
{
    return cmd_obj_rm(c, self, argc, argv, command_kind(self));
}

int
cmd_worst_exit(int worst, int rc)
{
    if (rc == CLI_USAGE || (rc == CLI_FINDINGS && worst == CLI_OK))
        return rc;
    return worst;
}
