/*
 * cmd_import.c - `sovmap import atlas|glue|lf-tags|model FILE...`: read
 * catalog exports (src/io/import*.c) or a model-json text, and write what
 * changed in one transaction with one audit entry. A bad file changes
 * nothing; --dry-run prints the review diff and writes nothing.
 */
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_util.h"
#include "import.h"
#include "model_json.h"
#include "readfile.h"
#include "scenario.h"
#include "rulepack.h"
#include "refdata.h"
#include "store.h"

extern const struct command cmd_import;

/* Import files are read whole (jansson parses from memory, and the
 * importers take about three times the file in memory): past this size
 * the import is refused with a message instead of exhausting memory.
 * An Atlas export in a regular file is mapped instead and read entity by
 * entity (import_stream.c): no cap applies to it. */
#define IMPORT_MAX_BYTES ((size_t)1 << 30)

/* The whole file, NUL-terminated, or NULL with errno set (EFBIG: larger
 * than IMPORT_MAX_BYTES, found before reading a regular file, or once a
 * pipe passes it). */
char *
cmd_read_file(const char *path, size_t *len)
{
    return readfile_all(path, IMPORT_MAX_BYTES, len);
}

/* Why a file could not be read, as one line. */
int
cmd_read_fail(struct cli *c, const char *path)
{
    if (errno == EFBIG)
        return cli_fail(c, "%s: larger than %zu MiB; split the export into smaller files",
                        path, IMPORT_MAX_BYTES >> 20);
    return cli_fail(c, "%s: cannot read: %s", path, strerror(errno));
}

static void
count_model(const struct model *m, int *ds, int *pl, int *fl)
{
    *ds = *pl = *fl = 0;
    for (int32_t i = 0; i < m->ndatasets; i++)
        *ds += !m->datasets[i].deleted;
    for (int32_t i = 0; i < m->nplacements; i++)
        *pl += !m->placements[i].deleted;
    for (int32_t i = 0; i < m->nflows; i++)
        *fl += !m->flows[i].deleted;
}

/* cmd_audit_data's text, {"before":B,"after":A}, built in after's own
 * block (grown in place when it can be) rather than in a copy: after
 * holds every object an import wrote. NULL when out of memory (after is
 * then left as it was). */
static char *
audit_data_take(const char *before, char *after)
{
    static const char head[] = "{\"before\":", mid[] = ",\"after\":";
    size_t nb = strlen(before), na = strlen(after), hn = sizeof head - 1, mn = sizeof mid - 1;
    char *d = realloc(after, hn + nb + mn + na + 2);

    if (!d)
        return NULL;
    memmove(d + hn + nb + mn, d, na);
    memcpy(d, head, hn);
    memcpy(d + hn, before, nb);
    memcpy(d + hn + nb, mid, mn);
    d[hn + nb + mn + na] = '}';
    d[hn + nb + mn + na + 1] = '\0';
    return d;
}

/* The audit data of an import: the objects it touched as they were in c->m
 * (work is its clone: the same ids) and as they are in work. NULL with the
 * error printed. */
static char *
touched_data(struct cli *c, const struct model *work, const struct import_touched *t,
             int32_t nt)
{
    SM_ERROR(e);
    struct obj_ref *refs = malloc(((size_t)nt + 1) * sizeof *refs);
    char *before = NULL, *after = NULL, *data = NULL;

    if (!refs) {
        cli_fail(c, "out of memory");
        return NULL;
    }
    for (int32_t i = 0; i < nt; i++)
        refs[i] = (struct obj_ref){ t[i].kind, t[i].id };
    if (model_json_part(c->m, refs, nt, &before, &e) != SM_OK ||
        model_json_part(work, refs, nt, &after, &e) != SM_OK)
        cli_error(c, &e);
    else if (!(data = audit_data_take(before, after)))
        cli_fail(c, "out of memory");
    else
        after = NULL;   /* data is after, grown */
    free(refs);
    free(before);
    free(after);
    return data;
}


/* Whether every scenario of m applies to m: its ops name datasets,
 * copies and regions that exist. The error names the scenario and the op. */
static int
check_scenarios(struct cli *c, const struct model *m, const char *file)
{
    SM_ERROR(e);
    struct rulepack *rp = NULL;
    const char *pack = c->rules && *c->rules ? c->rules
                     : m->rule_pack && rulepack_plain_name(m->rule_pack) ? m->rule_pack
                     : "default";
    int rc = CLI_OK;

    if (!m->nscenarios)
        return CLI_OK;
    /* the ops that read the pack (grant-adequacy ...) need one: the file's,
     * else the shipped default */
    if (rulepack_load(c->datadir, pack, &rp, &e) != SM_OK &&
        rulepack_load(c->datadir, "default", &rp, &e) != SM_OK)
        return cli_error(c, &e);
    for (int32_t i = 0; i < m->nscenarios && rc == CLI_OK; i++) {
        const char *name = m->scenarios[i].name;
        struct scenario_eval *ev = NULL;

        if (m->scenarios[i].deleted)
            continue;
        if (scenario_begin(m, rp, name, &ev, &e) != SM_OK ||
            scenario_apply_chain(ev, m, name, &e) != SM_OK)
            rc = cli_fail(c, "%s: %s", file, e.msg);
        scenario_eval_free(ev);
    }
    rulepack_free(rp);
    return rc;
}

/* import model FILE|-: replace the whole catalog model in one transaction;
 * a catalog that holds anything is replaced only with --replace. */
static int
import_model(struct cli *c, char **files, int nfiles, bool dry_run, bool replace)
{
    SM_ERROR(e);
    struct model *dm = NULL;
    char *text = NULL, before[128], after[128];  /* bounded: before, after hold three counts */
    size_t len;
    int rc = CLI_OK, d0, p0, f0, d1, p1, f1;

    if (nfiles != 1)
        return cli_usage_fail(c, cmd_import.usage, "import model: give one model-json file "
                              "(or - for standard input)");
    if (!(text = cmd_read_file(files[0], &len)))
        return cmd_read_fail(c, files[0]);
    if (!(dm = model_new())) {
        free(text);
        return cli_fail(c, "out of memory");
    }
    if (refdata_load_regions(c->datadir, dm, &e) != SM_OK ||
        model_json_read_new(text, len, strcmp(files[0], "-") ? files[0] : "<stdin>", dm,
                            &e) != SM_OK) {
        rc = cli_error(c, &e);
        goto out;
    }
    if ((rc = check_scenarios(c, dm, strcmp(files[0], "-") ? files[0] : "<stdin>")) != CLI_OK)
        goto out;
    /* what the file gives without an import's source is a person's: an
     * import never overwrites it (doc/import.md, Merge rules) */
    if (model_asrc_typed(dm, &e) != SM_OK) {
        rc = cli_error(c, &e);
        goto out;
    }
    if ((rc = cli_open(c, dry_run ? STORE_READONLY : CLI_WRITE | STORE_CREATE)) != CLI_OK)
        goto out;
    count_model(c->m, &d0, &p0, &f0);
    count_model(dm, &d1, &p1, &f1);
    snprintf(before, sizeof before, "%d datasets, %d copies, %d flows", d0, p0, f0);
    snprintf(after, sizeof after, "%d datasets, %d copies, %d flows", d1, p1, f1);
    if (dry_run) {
        fprintf(c->out, "would replace %s with %s; dry run: nothing written\n", before, after);
        goto out;
    }
    if ((d0 || p0 || f0 || c->m->nwaivers || c->m->nscenarios) && !replace) {
        rc = cli_fail(c, "%s holds %s; import model replaces them all: add --replace "
                      "(--dry-run shows the counts)", c->catalog, before);
        goto out;
    }
    if ((rc = cmd_save(c, dm, OBJ_DATASET, SM_NONE, files[0], "import model", before,
                       after, NULL)) != CLI_OK)
        goto out;
    model_free(c->m);
    c->m = dm;
    dm = NULL;
    if (!c->quiet)
        fprintf(c->out, "imported %s (was %s)\n", after, before);
out:
    model_free(dm);
    free(text);
    return rc;
}

int
cmd_load_map(struct cli *c, const char *user_map, struct import_map **out)
{
    SM_ERROR(e);
    struct import_map *map = NULL;
    size_t n = strlen(c->datadir) + sizeof "/import-map.json";
    char *path = malloc(n);
    FILE *f;

    if (!path)
        return cli_fail(c, "out of memory");
    snprintf(path, n, "%s/import-map.json", c->datadir);
    if ((f = fopen(path, "rb"))) {
        fclose(f);
        if (import_map_load(NULL, path, &map, &e) != SM_OK) {
            free(path);
            return cli_error(c, &e);
        }
    }
    free(path);
    if (user_map && import_map_load(map, user_map, &map, &e) != SM_OK) {
        import_map_free(map);
        return cli_error(c, &e);
    }
    if (!map && import_map_load_text(NULL, "{}", 2, "empty", &map, &e) != SM_OK)
        return cli_error(c, &e);
    *out = map;
    return CLI_OK;
}

static int
import_catalog(struct cli *c, const struct importer_ops *ops, char **files, int nfiles,
               struct import_opts *o, const char *map_path, bool dry_run, bool show_diff)
{
    SM_ERROR(e);
    struct import_map *map = NULL;
    struct import_run *run = NULL;
    struct model *work = NULL;
    char *input_text = NULL, *now = NULL, *op = NULL;
    const struct import_touched *t;
    int32_t nt;
    size_t len, o_len;
    int rc;

    if ((rc = cmd_load_map(c, map_path, &map)) != CLI_OK)
        return rc;
    if (o->input && !(input_text = cmd_read_file(o->input, &o->input_len))) {
        rc = cmd_read_fail(c, o->input);
        goto out;
    }
    o->input_text = input_text;
    now = cmd_now(c);
    o->now = now;
    if (!now || !(run = import_run_new(map, o))) {
        rc = cli_fail(c, "out of memory");
        goto out;
    }
    /* the audit's operation names every file, whole */
    o_len = strlen("import ") + strlen(ops->name) + 1;
    for (int i = 0; i < nfiles; i++)
        o_len += 1 + strlen(files[i]);
    if (!(op = malloc(o_len))) {
        rc = cli_fail(c, "out of memory");
        goto out;
    }
    snprintf(op, o_len, "import %s", ops->name);
    for (int i = 0; i < nfiles; i++) {
        const char *name = strcmp(files[i], "-") ? files[i] : "<stdin>";
        /* an Atlas export is read entity by entity from a mapping of the
         * file, never held whole: no size cap (doc/import.md) */
        char *text = ops == &importer_atlas ? readfile_map(files[i], &len) : NULL;
        if (text) {
            rc = import_run_add_mapped(run, name, text, len, &e);
            if (readfile_unmap(text, len)) {
                /* whatever the parse made of it, it is not the file */
                rc = cli_fail(c, "%s: the file was cut short or rewritten while it was read; "
                              "nothing was written (write an export to a new file and rename it)",
                              name);
                goto out;
            }
        } else if (ops == &importer_atlas && errno != ENODEV) {
            rc = cmd_read_fail(c, files[i]);
            goto out;
        } else {
            if (!(text = cmd_read_file(files[i], &len))) {
                rc = cmd_read_fail(c, files[i]);
                goto out;
            }
            rc = import_run_add_file(run, name, text, len, &e);
            free(text);
        }
        if (rc != SM_OK) {
            rc = cli_error(c, &e);
            goto out;
        }
        strcat(strcat(op, " "), files[i]);
    }
    if (import_run_parse(run, ops, &e) != SM_OK) {
        rc = cli_error(c, &e);
        goto out;
    }
    /* a dry run writes nothing, not even a new catalog file */
    if ((rc = cli_open(c, dry_run ? STORE_READONLY : CLI_WRITE | STORE_CREATE)) != CLI_OK)
        goto out;
    if (o->region && *o->region) {
        size_t n = strlen(o->region) + sizeof "aws:";
        char *rid = malloc(n);
        const char *hint;
        if (!rid) {
            rc = cli_fail(c, "out of memory");
            goto out;
        }
        snprintf(rid, n, "%s%s", strchr(o->region, ':') ? "" : "aws:", o->region);
        if (model_region(c->m, rid) == SM_NONE) {
            hint = model_suggest(c->m, OBJ_REGION, rid);
            rc = cli_fail(c, "--region %s: unknown region %s%s%s%s", o->region, rid,
                          hint ? "; did you mean " : "", hint ? hint : "", hint ? "?" : "");
            free(rid);
            goto out;
        }
        free(rid);
    }
    if (model_clone(c->m, &work) != SM_OK) {
        rc = cli_fail(c, "out of memory");
        goto out;
    }
    if (import_run_apply(run, work, &e) != SM_OK) {
        rc = cli_error(c, &e);
        goto out;
    }
    if (dry_run) {
        import_run_print_diff(run, c->out);
        import_run_print_summary(run, c->out);
        fprintf(c->out, "dry run: nothing written\n");
        rc = CLI_OK;
        goto out;
    }
    if (import_run_changed(run)) {
        char *audit = import_run_audit_text(run), *data;
        nt = import_run_touched(run, &t);
        if (!(data = touched_data(c, work, t, nt))) {
            free(audit);
            rc = CLI_USAGE;
            goto out;
        }
        if (store_begin(c->st, &e) != SM_OK) {
            free(audit);
            free(data);
            rc = cli_error(c, &e);
            goto out;
        }
        for (int32_t i = 0; i < nt; i++) {
            if (c->progress && (i % 4096) == 0)
                cli_progress(c, "writing", i, nt);
            if (store_put(c->st, work, t[i].kind, t[i].id, &e) != SM_OK)
                break;
        }
        if (e.code || store_audit_data(c->st, op, "", NULL, audit ? audit : "", data,
                                       &e) != SM_OK ||
            store_commit(c->st, &e) != SM_OK) {
            store_rollback(c->st);
            free(audit);
            free(data);
            rc = cli_error(c, &e);
            goto out;
        }
        free(audit);
        free(data);
        model_free(c->m);
        c->m = work;
        work = NULL;
    }
    if (show_diff)
        import_run_print_diff(run, c->out);
    if (!c->quiet)
        import_run_print_summary(run, c->out);
    rc = CLI_OK;
out:
    free(op);
    model_free(work);
    import_run_free(run);
    import_map_free(map);
    free(input_text);
    free(now);
    return rc;
}

static int
run_import(struct cli *c, int argc, char **argv)
{
    struct import_opts o = { 0 };
    const char *map_path = NULL;
    bool dry_run = false, diff = false, help = false, replace = false, force = false;
    const struct cli_opt opts[] = {
        { "--map", OPT_STR, &map_path, "FILE: mapping file on top of data/import-map.json" },
        { "--region", OPT_STR, &o.region, "REGION: the catalog's region (eu-west-1)" },
        { "--input", OPT_STR, &o.input, "FILE: the call's --cli-input-json" },
        { "--resource-arn", OPT_STR, &o.resource_arn, "ARN: the resource get-tags described" },
        { "--dry-run", OPT_FLAG, &dry_run, "print the review diff, write nothing" },
        { "--diff", OPT_FLAG, &diff, "print the review diff after importing" },
        { "--replace", OPT_FLAG, &replace, "import model: replace a non-empty catalog" },
        { "--force", OPT_FLAG, &force, "the same as --replace" },
        { NULL, 0, NULL, NULL },
    };
    const struct importer_ops *ops;
    char **pos;
    int npos = 0, rc;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        if (argc >= 2) {
            fputs(cmd_import.usage, c->out);
            return CLI_OK;
        }
        return cli_usage_fail(c, cmd_import.usage, "import: say what to import: atlas, glue, "
                              "lf-tags, terraform or model");
    }
    ops = importer_find(argv[1]);
    if (!ops && strcmp(argv[1], "model"))
        return cli_usage_fail(c, cmd_import.usage, "import: unknown kind %s; use atlas, glue, "
                              "lf-tags, terraform or model", argv[1]);
    if (!(pos = calloc((size_t)argc + 1, sizeof *pos)))
        return cli_fail(c, "out of memory");
    rc = cli_parse(c, &cmd_import, argc - 1, argv + 1, opts, pos, &npos, &help);
    if (rc || help)
        goto out;
    if (!npos) {
        rc = cli_usage_fail(c, cmd_import.usage, "import %s: no file given", argv[1]);
        goto out;
    }
    o.command = argv[1];
    o.datadir = c->datadir;
    if (!ops) {
        rc = import_model(c, pos, npos, dry_run, replace || force);
        goto out;
    }
    rc = import_catalog(c, ops, pos, npos, &o, map_path, dry_run, diff || c->verbose);
out:
    free(pos);
    return rc;
}

const struct command cmd_import = {
    .name = "import",
    .summary = "import Atlas, Glue, Lake Formation or Terraform exports, or a model-json file",
    .usage =
        "usage: sovmap [--catalog PATH] import atlas|glue|lf-tags|terraform|model FILE...\n"
        "       [OPTIONS]\n"
        "\n"
        "  atlas FILE...    Atlas v2 entity bulk / entity, basic or DSL search, lineage\n"
        "  glue FILE...     aws glue get-tables, get-table, get-databases, get-tags\n"
        "  lf-tags FILE...  aws lakeformation get-resource-lf-tags, search-tables-by-lf-tags\n"
        "  terraform FILE...  terraform show -json output: state or a saved plan (its\n"
        "                   planned view); tagged storage becomes copies of datasets\n"
        "  model FILE|-     a model-json text (sovmap export model-json); replaces the\n"
        "                   catalog's model (a non-empty catalog needs --replace)\n"
        "\n"
        "Options:\n"
        "  --map FILE           mapping rules, buckets and namespaces on top of\n"
        "                       data/import-map.json (doc/import.md)\n"
        "  --region REGION      the region of the catalog that was exported (eu-west-1);\n"
        "                       used only when nothing better says where the data is\n"
        "  --input FILE         the JSON the AWS call was made with (--cli-input-json);\n"
        "                       get-tags and get-resource-lf-tags need it or --resource-arn\n"
        "  --resource-arn ARN   the resource get-tags / get-resource-lf-tags described\n"
        "  --dry-run            print the review diff and write nothing\n"
        "  --diff               print the review diff after importing\n"
        "  --replace, --force   import model: replace a catalog that holds datasets,\n"
        "                       copies, flows, waivers or scenarios\n"
        "\n"
        "One transaction per import: a malformed file changes nothing (file:line:column:\n"
        "message, exit 2). Importing the same files again changes nothing.\n",
    .run = run_import,
};
