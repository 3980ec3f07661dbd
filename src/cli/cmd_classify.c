/*
 * cmd_classify.c - `sovmap classify --suggest|--apply [DATASET...]`:
 * suggested classification, offline. Fields with no tag whose names look
 * personal (email, phone, dob, iban, ssn, passport, address and national
 * variants such as geburtsdatum, telefon, straße) get the tag the mapping
 * file's "suggest" patterns give (data/import-map.json, --map on top); the
 * patterns are data, never code (import_map_suggest). --apply tags them all
 * in one audited transaction with the provenance "suggested".
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_util.h"
#include "import.h"
#include "store.h"

/* The provenance source of a suggested tag (doc/import.md). */
#define SUGGESTED "suggested"

struct suggestion {
    int32_t ds, field;
    const char *tag, *pattern;  /* owned by the map */
};

struct sctx {
    const struct model *m;
    struct suggestion *v;
    int32_t n, cap;
};

static const struct model *sort_m;

static int
cmp_suggestion(const void *pa, const void *pb)
{
    const struct suggestion *a = pa, *b = pb;
    int c = strcmp(sort_m->datasets[a->ds].name, sort_m->datasets[b->ds].name);

    return c ? c : strcmp(sort_m->fields[a->field].name, sort_m->fields[b->field].name);
}

static bool
field_tagged(const struct model *m, int32_t ds, int32_t f)
{
    for (int32_t t = m->datasets[ds].first_tag; t != SM_NONE; t = m->tags[t].next)
        if (m->tags[t].field == f)
            return true;
    return false;
}

/* The untagged fields of dataset ds whose names match a pattern. */
static int
suggest_dataset(struct cli *c, const struct import_map *map, struct sctx *x, int32_t ds)
{
    const struct model *m = x->m;

    for (int32_t f = m->datasets[ds].first_field; f != SM_NONE; f = m->fields[f].next) {
        const char *tag, *pattern;

        if (field_tagged(m, ds, f))
            continue;
        if (import_map_suggest(map, m->fields[f].name, &tag, &pattern) != SM_OK)
            return cli_fail(c, "out of memory");
        if (!tag)
            continue;
        if (sm_grow((void **)&x->v, &x->cap, x->n + 1, sizeof *x->v))
            return cli_fail(c, "out of memory");
        x->v[x->n++] = (struct suggestion){ ds, f, tag, pattern };
    }
    return CLI_OK;
}

static bool
row(void *ctx, int32_t i, const char **cols)
{
    const struct sctx *x = ctx;
    const struct suggestion *s = &x->v[i];

    cols[0] = x->m->datasets[s->ds].name;
    cols[1] = x->m->fields[s->field].name;
    cols[2] = s->tag;
    cols[3] = s->pattern;
    return true;
}

static void
obj(struct cli *c, void *ctx, int32_t i, const char **cols)
{
    static const char *const keys[] = { "dataset", "field", "tag", "pattern" };

    (void)ctx;
    (void)i;
    for (int k = 0; k < 4; k++) {
        fprintf(c->out, "%s\"%s\":", k ? "," : "", keys[k]);
        cli_put_json(c->out, cols[k]);
    }
}

/* Tag every suggestion on a clone of the model, then write what differs
 * with one audit entry (cmd_save_changes: one transaction). */
static int
apply(struct cli *c, const struct sctx *x)
{
    struct model *work = NULL;
    SM_ERROR(e);
    char *now, op[64];          /* bounded: op is a fixed text and a count */
    int rc;

    if (!(now = cmd_now(c)))
        return cli_fail(c, "out of memory");
    if (model_clone(c->m, &work) != SM_OK) {
        free(now);
        return cli_fail(c, "out of memory");
    }
    for (int32_t i = 0; i < x->n; i++) {
        const struct suggestion *s = &x->v[i];
        char *entity = malloc(strlen(s->pattern) + sizeof "name matches ");

        if (!entity) {
            model_free(work);
            free(now);
            return cli_fail(c, "out of memory");
        }
        strcpy(entity, "name matches ");
        strcat(entity, s->pattern);
        rc = model_add_tag(work, s->ds, s->field, s->tag, SUGGESTED, entity, now, NULL, &e);
        free(entity);
        if (rc != SM_OK) {
            model_free(work);
            free(now);
            return cli_error(c, &e);
        }
    }
    free(now);
    snprintf(op, sizeof op, "classify --apply (%d field%s)", (int)x->n, x->n == 1 ? "" : "s");
    rc = cmd_save_changes(c, c->m, work, "", op, NULL, NULL);
    model_free(work);
    return rc;
}

static int
run_classify(struct cli *c, int argc, char **argv)
{
    extern const struct command cmd_classify;
    static const char *const heads[] = { "DATASET", "FIELD", "TAG", "PATTERN" };
    const char *format = NULL, *map_path = NULL;
    bool suggest = false, do_apply = false, help;
    const struct cli_opt opts[] = {
        { "--suggest", OPT_FLAG, &suggest, "list the suggestions (the default)" },
        { "--apply", OPT_FLAG, &do_apply, "tag the fields suggested" },
        { "--map", OPT_STR, &map_path, "FILE: mapping file on top of data/import-map.json" },
        { "--format", OPT_STR, &format, "text|tsv|json" },
        { NULL, 0, NULL, NULL },
    };
    struct import_map *map = NULL;
    struct sctx x = { 0 };
    enum out_format fmt;
    char **pos;
    int npos, rc;

    if (!(pos = calloc((size_t)argc + 1, sizeof *pos)))
        return cli_fail(c, "out of memory");
    rc = cli_parse(c, &cmd_classify, argc, argv, opts, pos, &npos, &help);
    if (rc || help)
        goto out;
    if ((rc = cmd_format(c, format, true, &fmt)) != CLI_OK)
        goto out;
    if (suggest && do_apply) {
        rc = cli_usage_fail(c, cmd_classify.usage, "classify: --suggest or --apply, not both");
        goto out;
    }
    if ((rc = cli_open(c, do_apply ? CLI_WRITE : STORE_READONLY)) != CLI_OK)
        goto out;
    if ((rc = cmd_load_map(c, map_path, &map)) != CLI_OK)
        goto out;
    x.m = c->m;
    if (npos) {
        for (int i = 0; i < npos && rc == CLI_OK; i++) {
            int32_t ds;

            if ((rc = cmd_find(c, OBJ_DATASET, pos[i], &ds)) == CLI_OK)
                rc = suggest_dataset(c, map, &x, ds);
        }
    } else {
        for (int32_t ds = 0; ds < c->m->ndatasets && rc == CLI_OK; ds++)
            if (model_live(c->m, OBJ_DATASET, ds))
                rc = suggest_dataset(c, map, &x, ds);
    }
    if (rc != CLI_OK)
        goto out;
    sort_m = c->m;
    if (x.n)
        qsort(x.v, (size_t)x.n, sizeof *x.v, cmp_suggestion);
    /* the same field named twice on the command line is suggested once */
    {
        int32_t k = 0;

        for (int32_t i = 0; i < x.n; i++)
            if (!k || x.v[i].field != x.v[k - 1].field)
                x.v[k++] = x.v[i];
        x.n = k;
    }
    if (do_apply) {
        if (x.n && (rc = apply(c, &x)) != CLI_OK)
            goto out;
        if (!c->quiet) {
            if (x.n || fmt != FMT_TEXT)
                cmd_list(c, fmt, 4, heads, x.n, row, obj, &x);
            if (fmt == FMT_TEXT)
                fprintf(c->out, "tagged %d field%s (provenance: %s)\n", (int)x.n,
                        x.n == 1 ? "" : "s", SUGGESTED);
        }
    } else {
        if (x.n || fmt != FMT_TEXT)
            cmd_list(c, fmt, 4, heads, x.n, row, obj, &x);
        if (fmt == FMT_TEXT && !c->quiet && x.n)
            fprintf(c->out, "%d untagged field%s look%s personal; sovmap classify --apply "
                    "tags %s\n", (int)x.n, x.n == 1 ? "" : "s", x.n == 1 ? "s" : "",
                    x.n == 1 ? "it" : "them");
        else if (fmt == FMT_TEXT && !c->quiet)
            fputs("no untagged field looks personal\n", c->out);
    }
out:
    free(x.v);
    import_map_free(map);
    free(pos);
    return rc;
}

const struct command cmd_classify = {
    .name = "classify",
    .summary = "suggest tags for untagged fields whose names look personal",
    .usage =
        "usage: sovmap classify [--suggest | --apply] [--map FILE] [--format FORMAT]\n"
        "                       [DATASET...]\n"
        "\n"
        "Lists the fields that have no tag and whose names look personal (email, e_mail,\n"
        "phone, dob, birth, iban, ssn, passport, address, and national variants such as\n"
        "geburtsdatum, telefon, straße), with the tag the mapping file gives each: the\n"
        "\"suggest\" patterns of data/import-map.json, with --map FILE on top (its\n"
        "patterns are tried first). A pattern matches whole words of the name, in any\n"
        "case (dateOfBirth, date-of-birth and DATE_OF_BIRTH are the words date, of,\n"
        "birth); '*' at either end lets that side run on (birth* matches birthdate).\n"
        "--apply tags them all in one audited transaction; each tag's provenance is\n"
        "\"suggested\", with the pattern that matched (sovmap dataset show). Nothing is\n"
        "written without --apply. DATASET limits it to those datasets.\n"
        "\n"
        "  --suggest        list the suggestions (the default)\n"
        "  --apply          tag the fields suggested\n"
        "  --map FILE       mapping file on top of data/import-map.json\n"
        "  --format FORMAT  text, tsv or json\n",
    .run = run_classify,
};
