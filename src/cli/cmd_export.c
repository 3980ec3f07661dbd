/*
 * cmd_export.c - `sovmap export FORMAT [-o FILE] [--view ...] [filters]`:
 * diagrams, the residency map, the registers and model-json. Runs the
 * checker first for every format but model-json, writes to a temporary
 * file next to FILE and renames it, so a failed export leaves no partial
 * file behind.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "check.h"
#include "cli.h"
#include "cli_scenario.h"
#include "export.h"
#include "outfile.h"
#include "scenario.h"
#include "store.h"

static const struct export_ops *
find_format(const char *name)
{
    return export_format(name);
}

static int
bad_format(struct cli *c, const char *name)
{
    const char *best = NULL;
    int bestd = 4;

    for (int i = 0; export_formats[i]; i++) {
        int d = sm_levenshtein(name, export_formats[i]->name, 3);
        if (d < bestd) {
            bestd = d;
            best = export_formats[i]->name;
        }
    }
    if (best)
        return cli_fail(c, "unknown export format %s; did you mean %s?", name, best);
    return cli_fail(c, "unknown export format %s; see sovmap export --help", name);
}

/* Open the output: standard output for no -o or "-", else the file
 * (outfile.h: atomic for regular files, in place for devices). */
static FILE *
open_out(struct cli *c, const char *out, struct outfile *of)
{
    SM_ERROR(e);

    memset(of, 0, sizeof *of);
    if (!out || !strcmp(out, "-"))
        return c->out;
    if (outfile_open_keep(of, out, "wb", c->catalog, &e) != SM_OK) {
        cli_error(c, &e);
        return NULL;
    }
    return of->f;
}

/* Finish the output; CLI_OK or the printed error. */
static int
close_out(struct cli *c, FILE *f, struct outfile *of, bool ok)
{
    SM_ERROR(e);

    if (f == c->out)
        return fflush(f) ? cli_fail(c, "write error: %s", strerror(errno)) : CLI_OK;
    if (outfile_close(of, ok, &e) != SM_OK)
        return cli_error(c, &e);
    return ok ? CLI_OK : CLI_USAGE;
}

/* --scenario NAME --changed-only: the diagram of what the scenario changes
 * against the catalog. */
static int
export_change_diagram(struct cli *c, const struct export_ops *ops, const char *scenario,
                      struct export_opts *o, const char *out)
{
    struct scenario_change_set cs;
    struct export_juris *j = NULL;
    SM_ERROR(e);
    struct outfile of;
    FILE *f;
    int rc;

    memset(&cs, 0, sizeof cs);
    if (!scenario)
        return cli_fail(c, "--changed-only needs --scenario NAME");
    if (ops->write != export_format("svg")->write)
        return cli_fail(c, "--changed-only draws a diagram: use dot, svg, png or pdf, not %s",
                        ops->name);
    if ((rc = cli_load_rules(c)) != CLI_OK)
        return rc;
    if (scenario_change_set(c->m, c->rp, scenario, NULL, c->today, &cs, &e) != SM_OK)
        return cli_error(c, &e);
    if (export_juris_load(c->datadir, &j, &e) != SM_OK) {
        rc = cli_error(c, &e);
        goto done;
    }
    o->juris = j;
    if (!(f = open_out(c, out, &of))) {
        rc = CLI_USAGE;
        goto done;
    }
    if (export_changes(&cs, o, ops->arg, f, NULL, &e) != SM_OK) {
        close_out(c, f, &of, false);
        rc = cli_error(c, &e);
        goto done;
    }
    rc = close_out(c, f, &of, true);
done:
    export_juris_free(j);
    scenario_change_set_fini(&cs);
    return rc;
}

static int
run_export(struct cli *c, int argc, char **argv)
{
    extern const struct command cmd_export;
    const char *out = NULL, *view = NULL, *focus = NULL, *tier = NULL, *system = NULL;
    const char *juris = NULL, *scenario = NULL, *model = NULL;
    int hops = 1, npos, rc;
    bool stamp = false, help = false, changed_only = false, violations_only = false;
    const struct cli_opt opts[] = {
        { "-o", OPT_STR, &out, "write to FILE instead of standard output" },
        { "--output", OPT_STR, &out, "same as -o" },
        { "--view", OPT_STR, &view, "full|regions|focus" },
        { "--focus", OPT_STR, &focus, "dataset at the centre of --view focus" },
        { "--hops", OPT_INT, &hops, "lineage hops around --focus (default 1)" },
        { "--tier", OPT_STR, &tier, "only datasets of this tier" },
        { "--system", OPT_STR, &system, "only datasets of this system" },
        { "--jurisdiction", OPT_STR, &juris, "only copies in this jurisdiction (EEA, US, DE...)" },
        { "--stamp", OPT_FLAG, &stamp, "write the date into the file" },
        { "--violations-only", OPT_FLAG, &violations_only, "map: only datasets with a violation" },
        { "--scenario", OPT_STR, &scenario, "export what-if scenario NAME instead of the catalog" },
        { "--changed-only", OPT_FLAG, &changed_only, "with --scenario: draw only what it changes" },
        { "--model", OPT_STR, &model, "export model-json FILE instead of the catalog" },
        { NULL, 0, NULL, NULL },
    };
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    const struct export_ops *ops;
    struct export_opts o;
    struct export_stats st = { 0 };
    struct export_juris *j = NULL;
    struct check_result *r = NULL;
    SM_ERROR(e);
    struct outfile of;
    FILE *f = NULL;

    if (!pos)
        return cli_fail(c, "out of memory");
    rc = cli_parse(c, &cmd_export, argc, argv, opts, pos, &npos, &help);
    if (rc || help)
        goto done;
    if (npos != 1) {
        if (npos)
            rc = cli_usage_fail(c, cmd_export.usage, "export: one FORMAT, got %d arguments", npos);
        else
            rc = cli_usage_fail(c, cmd_export.usage, "export: which FORMAT?");
        goto done;
    }
    if (!(ops = find_format(pos[0]))) {
        rc = bad_format(c, pos[0]);
        goto done;
    }
    export_opts_init(&o);
    if (view) {
        o.view = model_enum_parse(export_view_names, EXPORT_VIEW_COUNT, view);
        if (o.view == SM_NONE) {
            rc = cli_fail(c, "bad --view %s: use full, regions or focus", view);
            goto done;
        }
    } else if (focus) {
        o.view = EXPORT_VIEW_FOCUS;
    }
    if (o.view == EXPORT_VIEW_FOCUS && !focus) {
        rc = cli_fail(c, "--view focus needs --focus DATASET");
        goto done;
    }
    if (hops < 0) {
        rc = cli_fail(c, "bad --hops %d: use 0 or more", hops);
        goto done;
    }
    o.focus = focus;
    o.hops = hops;
    o.tier = tier;
    o.system = system;
    o.jurisdiction = juris;
    o.stamp = stamp;
    o.violations_only = violations_only;
    o.stats = &st;
    o.today = c->today;
    if (ops->binary && !out && isatty(fileno(c->out))) {
        rc = cli_fail(c, "%s is binary: write it to a file with -o FILE.%s", ops->name, ops->name);
        goto done;
    }
    /* a model file in place of the catalog (doc/ci.md) */
    if (model && (rc = cli_use_model(c, model, NULL)) != CLI_OK)
        goto done;
    if ((rc = cli_open(c, STORE_READONLY)) != CLI_OK)
        goto done;
    if (changed_only) {
        rc = export_change_diagram(c, ops, scenario, &o, out);
        goto done;
    }
    /* A what-if: the scenario's model (and pack) replace the catalog's. */
    if (scenario && (rc = cli_use_scenario(c, scenario)) != CLI_OK)
        goto done;
    if (ops->needs_check) {
        if ((rc = cli_load_rules(c)) != CLI_OK)
            goto done;
        if (check_run(c->m, c->rp, c->today, &r, &e) != SM_OK) {
            rc = cli_error(c, &e);
            goto done;
        }
        if (export_juris_load(c->datadir, &j, &e) != SM_OK) {
            rc = cli_error(c, &e);
            goto done;
        }
        o.juris = j;
    }
    if (!(f = open_out(c, out, &of))) {
        rc = CLI_USAGE;
        goto done;
    }
    if (ops->write(c->m, r, &o, ops->arg, f, &e) != SM_OK) {
        close_out(c, f, &of, false);
        rc = cli_error(c, &e);
        goto done;
    }
    rc = close_out(c, f, &of, true);
    if (rc == CLI_OK && f != c->out && !c->quiet && c->verbose)
        cli_note(c, "wrote %s", out);
    /* the source is never refused, but its reader should know */
    if (rc == CLI_OK && !c->quiet && !strcmp(ops->name, "dot") &&
        (o.view == EXPORT_VIEW_FULL || o.view == EXPORT_VIEW_FOCUS) &&
        st.nodes + st.edges > EXPORT_LAYOUT_LIMIT)
        cli_note(c, "warning: %d copies and %d edges: Graphviz's dot will not lay this out in "
                 "reasonable time; --view systems or --view regions will", (int)st.nodes,
                 (int)st.edges);
done:
    check_result_free(r);
    export_juris_free(j);
    free(pos);
    return rc;
}

const struct command cmd_export = {
    .name = "export",
    .summary = "diagrams, residency map, registers, model-json",
    .usage =
        "usage: sovmap export FORMAT [-o FILE] [--view full|regions|systems|focus] [--focus DATASET\n"
        "                     [--hops K]] [--tier T] [--system S] [--jurisdiction J] [--stamp]\n"
        "                     [--violations-only]\n"
        "                     [--scenario NAME [--changed-only]] [--model FILE]\n"
        "\n"
        "Formats:\n"
        "  dot              Graphviz source of the data-flow diagram (not laid out)\n"
        "  svg, png, pdf    the diagram laid out in-process; violations red with rule ids\n"
        "  mermaid          the diagram as a Mermaid flowchart (GitHub and GitLab draw it\n"
        "                   inline in a pull request); every view, violations red\n"
        "  map-md           residency map: datasets x regions, plus allowed regions per tier\n"
        "  map-csv          the residency map as CSV (RFC 4180)\n"
        "  map-html         the residency map as one self-contained, printable HTML file\n"
        "  map-json         the residency map as JSON\n"
        "  tiers-md         the tier-to-region mapping to sign off: per tier and subjects,\n"
        "                   regions per role by jurisdiction, basis, law, datasets\n"
        "  tiers-csv        the same mapping, one row per tier, subjects, role and region\n"
        "  transfers-csv    the derived transfer register\n"
        "  lineage-csv      every etl/stream edge with the tier that crossed it\n"
        "  review-html      the review pack: summary, systems diagram, findings with why and\n"
        "                   fix, residency map, allowed regions, transfers; one HTML file\n"
        "  model-json       the catalog as canonical JSON (sovmap import model reads it)\n"
        "\n"
        "Views (diagrams):\n"
        "  --view full      every copy and flow (refused, exit 2, when too big to lay out\n"
        "                   or too big to read: a page over 200 inches, a bitmap scaled\n"
        "                   below 60 %)\n"
        "  --view regions   copies counted per region, flows counted between regions\n"
        "  --view systems   per region a row per system and tier (copies, violations),\n"
        "                   flows counted between regions: legible at any size\n"
        "  --view focus     --focus DATASET and its lineage within --hops K (default 1)\n"
        "\n"
        "Filters (diagrams and maps):\n"
        "  --tier T         datasets of tier T\n"
        "  --system S       datasets of system S\n"
        "  --jurisdiction J copies in jurisdiction J (EEA, GB, US ...), a country or a region\n"
        "  --violations-only  (maps) only the datasets with a live violation\n"
        "\n"
        "  -o FILE          write FILE (atomically) instead of standard output\n"
        "  --stamp          put today's date in the output (otherwise none: the same\n"
        "                   model gives the same bytes)\n"
        "  --scenario NAME  export what-if scenario NAME (sovmap scenario) instead of\n"
        "                   the catalog\n"
        "  --changed-only   with --scenario: a diagram of what it changes only (new\n"
        "                   violations red, resolved green, moved copies dashed)\n"
        "  --model FILE     export model-json FILE (- for standard input) instead of the\n"
        "                   catalog, which is neither needed nor opened\n"
        "\n"
        "Exit 0 written, 2 usage error, unknown name or a diagram too big or lost by\n"
        "Graphviz (nothing is written then).\n",
    .run = run_export,
};
