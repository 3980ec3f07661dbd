/*
 * cmd_dataset.c - `sovmap dataset add|list|show|edit|rm`, `sovmap field
 * add|rm` and `sovmap tag add|rm`: datasets with their fields and tags.
 *
 * Dataset edits go through store_apply (one transaction and audit entry
 * each); fields and tags are parts of a dataset, saved with it the same way
 * (cmd_save).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_util.h"
#include "store.h"

/* ---- dataset list ------------------------------------------------------------------- */

struct ds_list {
    struct cli *c;
    int32_t tier;               /* filter, SM_NONE all */
    const char *system;         /* filter or NULL */
    char subj[3 * 256], copies[16];     /* bounded: 255 codes at most; a count */
};

static bool
ds_match(const struct ds_list *L, int32_t i)
{
    const struct dataset *d = &L->c->m->datasets[i];

    if (d->deleted)
        return false;
    if (L->tier != SM_NONE && d->tier != L->tier)
        return false;
    if (L->system && strcmp(d->system ? d->system : "", L->system) != 0)
        return false;
    return true;
}

static int
count_copies(const struct model *m, int32_t ds)
{
    int n = 0;

    for (int32_t p = m->datasets[ds].first_placement; p != SM_NONE; p = m->placements[p].next)
        n += !m->placements[p].deleted;
    return n;
}

static bool
ds_row(void *ctx, int32_t i, const char **cols)
{
    struct ds_list *L = ctx;
    const struct model *m = L->c->m;
    const struct dataset *d = &m->datasets[i];

    if (!ds_match(L, i))
        return false;
    model_get(m, OBJ_DATASET, i, "subjects", L->subj, sizeof L->subj);
    snprintf(L->copies, sizeof L->copies, "%d", count_copies(m, i));
    cols[0] = d->name;
    cols[1] = d->tier == SM_NONE ? "" : m->tiers[d->tier].name;
    cols[2] = L->subj;
    cols[3] = d->system ? d->system : "";
    cols[4] = d->owner ? d->owner : "";
    cols[5] = L->copies;
    return true;
}

static void
ds_json(struct cli *c, void *ctx, int32_t i, const char **cols)
{
    (void)ctx;
    cmd_json_members(c, "name", c->m->datasets[i].name, OBJ_DATASET, i);
    fprintf(c->out, ",\"copies\":%s", cols[5]);
}

static int
ds_list(struct cli *c, const struct command *self, int argc, char **argv)
{
    static const char *const heads[] = { "NAME", "TIER", "SUBJECTS", "SYSTEM", "OWNER", "COPIES" };
    const char *tier = NULL, *system = NULL, *format = NULL;
    const struct cli_opt opts[] = {
        { "--tier", OPT_STR, &tier, "only datasets of this tier" },
        { "--system", OPT_STR, &system, "only datasets of this system" },
        { "--format", OPT_STR, &format, "text|tsv|json" },
        { NULL, 0, NULL, NULL },
    };
    struct ds_list L;
    enum out_format fmt;
    int rc;
    bool help;

    rc = cmd_list_parse(c, self, argc, argv, opts, 8, &format, &fmt, &help);
    if (rc || help || (rc = cli_open(c, STORE_READONLY)) != CLI_OK)
        return rc;
    memset(&L, 0, sizeof L);
    L.c = c;
    L.tier = SM_NONE;
    L.system = system;
    if (tier && (rc = cmd_find(c, OBJ_TIER, tier, &L.tier)) != CLI_OK)
        return rc;
    cmd_list(c, fmt, 6, heads, c->m->ndatasets, ds_row, ds_json, &L);
    return CLI_OK;
}

/* ---- dataset show ------------------------------------------------------------------ */

static void
json_tag(struct cli *c, const struct tag *t)
{
    fputs("{\"tag\":", c->out);
    cli_put_json(c->out, t->tag);
    fputs(",\"source\":", c->out);
    cli_put_json(c->out, t->source);
    fputs(",\"entity\":", c->out);
    cli_put_json(c->out, t->entity);
    fputs(",\"time\":", c->out);
    cli_put_json(c->out, t->time);
    if (t->expired && *t->expired) {
        fputs(",\"expired\":", c->out);
        cli_put_json(c->out, t->expired);
    }
    fputc('}', c->out);
}

static void
text_tag(struct cli *c, const char *indent, const struct tag *t)
{
    fputs(indent, c->out);
    cli_put_text(c->out, t->tag);
    if (t->source && *t->source) {
        fputs("  from ", c->out);
        cli_put_text(c->out, t->source);
    } else {
        fputs("  typed", c->out);
    }
    if (t->entity && *t->entity) {
        fputs("  entity ", c->out);
        cli_put_text(c->out, t->entity);
    }
    if (t->time && *t->time) {
        fputs("  at ", c->out);
        cli_put_text(c->out, t->time);
    }
    if (t->expired && *t->expired) {
        fputs("  expired ", c->out);
        cli_put_text(c->out, t->expired);
    }
    fputc('\n', c->out);
}

/* The tags of dataset d on field (SM_NONE: on the dataset itself). */
static void
json_tags(struct cli *c, const struct dataset *d, int32_t field)
{
    const struct model *m = c->m;
    bool first = true;

    for (int32_t t = d->first_tag; t != SM_NONE; t = m->tags[t].next) {
        if (m->tags[t].field != field)
            continue;
        if (!first)
            fputc(',', c->out);
        json_tag(c, &m->tags[t]);
        first = false;
    }
}

static void
text_tags(struct cli *c, const char *indent, const struct dataset *d, int32_t field)
{
    const struct model *m = c->m;

    for (int32_t t = d->first_tag; t != SM_NONE; t = m->tags[t].next)
        if (m->tags[t].field == field)
            text_tag(c, indent, &m->tags[t]);
}

/* A dataset's properties (key = value, provenance as for tags). */
static void
json_props(struct cli *c, const struct dataset *d)
{
    const struct model *m = c->m;

    for (int32_t p = d->first_prop; p != SM_NONE; p = m->props[p].next) {
        const struct prop *pr = &m->props[p];
        fputs(p == d->first_prop ? "{\"key\":" : ",{\"key\":", c->out);
        cli_put_json(c->out, pr->key);
        fputs(",\"value\":", c->out);
        cli_put_json(c->out, pr->value);
        fputs(",\"source\":", c->out);
        cli_put_json(c->out, pr->source);
        fputs(",\"entity\":", c->out);
        cli_put_json(c->out, pr->entity);
        fputs(",\"time\":", c->out);
        cli_put_json(c->out, pr->time);
        fputc('}', c->out);
    }
}

static void
text_props(struct cli *c, const struct dataset *d)
{
    const struct model *m = c->m;

    for (int32_t p = d->first_prop; p != SM_NONE; p = m->props[p].next) {
        const struct prop *pr = &m->props[p];
        fputs("  ", c->out);
        cli_put_text(c->out, pr->key);
        fputs(" = ", c->out);
        cli_put_text(c->out, pr->value);
        if (*pr->source) {
            fputs("  from ", c->out);
            cli_put_text(c->out, pr->source);
        } else {
            fputs("  typed", c->out);
        }
        if (*pr->entity) {
            fputs("  entity ", c->out);
            cli_put_text(c->out, pr->entity);
        }
        if (*pr->time) {
            fputs("  at ", c->out);
            cli_put_text(c->out, pr->time);
        }
        fputc('\n', c->out);
    }
}

/* Which source set each attribute of dataset id (field SM_NONE) or of its
 * field f, as {"owner":{"source":...,"entity":...,"time":...},...}; false
 * when none is known (nothing is written). */
static bool
json_sources(struct cli *c, int32_t id, int32_t f, const char *lead)
{
    const struct model *m = c->m;
    bool any = false;

    for (int a = f == SM_NONE ? 0 : ASRC_TYPE; a < (f == SM_NONE ? ASRC_TYPE : ASRC_COUNT);
         a++) {
        int32_t x = model_asrc(m, id, f, a);
        if (x == SM_NONE)
            continue;
        fputs(any ? "," : lead, c->out);
        fprintf(c->out, "\"%s\":{\"source\":", asrc_names[a]);
        cli_put_json(c->out, m->asrcs[x].source);
        fputs(",\"entity\":", c->out);
        cli_put_json(c->out, m->asrcs[x].entity);
        fputs(",\"time\":", c->out);
        cli_put_json(c->out, m->asrcs[x].time);
        fputc('}', c->out);
        any = true;
    }
    if (any)
        fputc('}', c->out);
    return any;
}

/* One line per known source of dataset id's (field SM_NONE) or its field
 * f's attributes: "owner  from FILE  entity E  at T", a person's "typed",
 * a field's "field NAME type ...". */
static void
text_sources_of(struct cli *c, int32_t id, int32_t f)
{
    const struct model *m = c->m;

    for (int a = f == SM_NONE ? 0 : ASRC_TYPE; a < (f == SM_NONE ? ASRC_TYPE : ASRC_COUNT);
         a++) {
        int32_t x = model_asrc(m, id, f, a);
        const struct asrc *s;
        if (x == SM_NONE)
            continue;
        s = &m->asrcs[x];
        fputs("  ", c->out);
        if (f != SM_NONE) {
            fputs("field ", c->out);
            cli_put_text(c->out, m->fields[f].name);
            fputc(' ', c->out);
        }
        fputs(asrc_names[a], c->out);
        if (*s->source) {
            fputs("  from ", c->out);
            cli_put_text(c->out, s->source);
        } else {
            fputs("  typed", c->out);
        }
        if (*s->entity) {
            fputs("  entity ", c->out);
            cli_put_text(c->out, s->entity);
        }
        if (*s->time) {
            fputs("  at ", c->out);
            cli_put_text(c->out, s->time);
        }
        fputc('\n', c->out);
    }
}

static void
text_sources(struct cli *c, int32_t id)
{
    const struct model *m = c->m;

    if (model_asrc_first(m, id) == SM_NONE)
        return;
    fputs("sources\n", c->out);
    text_sources_of(c, id, SM_NONE);
    for (int32_t f = m->datasets[id].first_field; f != SM_NONE; f = m->fields[f].next)
        text_sources_of(c, id, f);
}

static void
text_flow(struct cli *c, int32_t f)
{
    const struct flow *fl = &c->m->flows[f];
    fputs("  ", c->out);
    cli_put_text(c->out, fl->name);
    fputs(": ", c->out);
    cli_put_selector(c->out, c->m, OBJ_PLACEMENT, fl->from);
    fputs(" -> ", c->out);
    if (fl->to != SM_NONE)
        cli_put_selector(c->out, c->m, OBJ_PLACEMENT, fl->to);
    else if (fl->to_region != SM_NONE)
        cli_put_text(c->out, c->m->regions[fl->to_region].id);
    fprintf(c->out, "  %s", flow_kind_names[fl->kind]);
    if (fl->mechanism != MECH_NONE) {
        fprintf(c->out, "  %s", mechanism_names[fl->mechanism]);
        if (fl->mechanism_ref && *fl->mechanism_ref) {
            fputc(' ', c->out);
            cli_put_text(c->out, fl->mechanism_ref);
        }
    }
    fputc('\n', c->out);
}

static bool
flow_of(const struct model *m, int32_t f, int32_t ds, bool out)
{
    const struct flow *fl = &m->flows[f];

    if (fl->deleted)
        return false;
    if (out)
        return m->placements[fl->from].dataset == ds;
    return fl->to != SM_NONE && m->placements[fl->to].dataset == ds;
}

/* `dataset show|rm NAME`: at most eight words, one of them NAME. */
static int
parse_one_dataset(struct cli *c, const struct command *self, int argc, char **argv,
                  const struct cli_opt *opts, char *pos[8], bool *help)
{
    int npos, rc;

    if (argc > 8)
        return cli_usage_fail(c, self->usage, "%s: too many arguments", self->name);
    rc = cli_parse(c, self, argc, argv, opts, pos, &npos, help);
    if (rc || *help)
        return rc;
    if (npos != 1)
        return cli_usage_fail(c, self->usage, npos ? "%s: one dataset at a time"
                              : "%s: missing NAME", self->name);
    return CLI_OK;
}

static int
ds_show(struct cli *c, const struct command *self, int argc, char **argv)
{
    const char *format = NULL;
    const struct cli_opt opts[] = {
        { "--format", OPT_STR, &format, "text|json" },
        { NULL, 0, NULL, NULL },
    };
    char *pos[8];
    const struct model *m;
    const struct dataset *d;
    enum out_format fmt;
    int rc;
    int32_t id;
    bool help, first;

    if ((rc = parse_one_dataset(c, self, argc, argv, opts, pos, &help)) || help)
        return rc;
    if ((rc = cmd_format(c, format, false, &fmt)) != CLI_OK)
        return rc;
    if ((rc = cli_open(c, STORE_READONLY)) != CLI_OK)
        return rc;
    if ((rc = cmd_find(c, OBJ_DATASET, pos[0], &id)) != CLI_OK)
        return rc;
    m = c->m;
    d = &m->datasets[id];

    if (fmt == FMT_JSON) {
        fputc('{', c->out);
        cmd_json_members(c, "name", d->name, OBJ_DATASET, id);
        fputs(",\n \"fields\":[", c->out);
        first = true;
        for (int32_t f = d->first_field; f != SM_NONE; f = m->fields[f].next) {
            const struct field *fd = &m->fields[f];
            fputs(first ? "{\"name\":" : ",{\"name\":", c->out);
            cli_put_json(c->out, fd->name);
            /* only when given: outputs without them stay as they were */
            if (fd->type && *fd->type) {
                fputs(",\"type\":", c->out);
                cli_put_json(c->out, fd->type);
            }
            if (fd->comment && *fd->comment) {
                fputs(",\"comment\":", c->out);
                cli_put_json(c->out, fd->comment);
            }
            fputs(",\"tags\":[", c->out);
            json_tags(c, d, f);
            fputc(']', c->out);
            json_sources(c, id, f, ",\"sources\":{");
            fputc('}', c->out);
            first = false;
        }
        fputs("],\n \"tags\":[", c->out);
        json_tags(c, d, SM_NONE);
        /* only when there are some: outputs without them stay as they were */
        if (d->first_prop != SM_NONE) {
            fputs("],\n \"properties\":[", c->out);
            json_props(c, d);
        }
        fputc(']', c->out);
        /* only when some are known: outputs without them stay as they were */
        json_sources(c, id, SM_NONE, ",\n \"sources\":{");
        fputs(",\n \"placements\":[", c->out);
        first = true;
        for (int32_t p = d->first_placement; p != SM_NONE; p = m->placements[p].next) {
            if (m->placements[p].deleted)
                continue;
            fputs(first ? "{" : ",{", c->out);
            fputs("\"selector\":", c->out);
            cli_put_json_selector(c->out, m, OBJ_PLACEMENT, p);
            cmd_json_attrs(c, OBJ_PLACEMENT, p);
            fputc('}', c->out);
            first = false;
        }
        for (int dir = 1; dir >= 0; dir--) {
            fputs(dir ? "],\n \"flows_out\":[" : "],\n \"flows_in\":[", c->out);
            first = true;
            for (int32_t f = 0; f < m->nflows; f++) {
                if (!flow_of(m, f, id, dir))
                    continue;
                fputs(first ? "{" : ",{", c->out);
                cmd_json_members(c, "name", m->flows[f].name, OBJ_FLOW, f);
                fputc('}', c->out);
                first = false;
            }
        }
        fputs("]}\n", c->out);
        return CLI_OK;
    }

    cmd_text_line(c, "dataset", d->name);
    cmd_text_attrs(c, OBJ_DATASET, id);
    fputs("fields\n", c->out);
    for (int32_t f = d->first_field; f != SM_NONE; f = m->fields[f].next) {
        const struct field *fd = &m->fields[f];
        fputs("  ", c->out);
        cli_put_text(c->out, fd->name);
        if (fd->type && *fd->type) {
            fputs("  type ", c->out);
            cli_put_text(c->out, fd->type);
        }
        if (fd->comment && *fd->comment) {
            fputs("  comment ", c->out);
            cli_put_text(c->out, fd->comment);
        }
        fputc('\n', c->out);
        text_tags(c, "    ", d, f);
    }
    fputs("tags\n", c->out);
    text_tags(c, "  ", d, SM_NONE);
    if (d->first_prop != SM_NONE) {
        fputs("properties\n", c->out);
        text_props(c, d);
    }
    text_sources(c, id);
    fputs("copies\n", c->out);
    for (int32_t p = d->first_placement; p != SM_NONE; p = m->placements[p].next) {
        const struct placement *pl = &m->placements[p];
        char cc[3];                     /* bounded: a two-letter country code */
        if (pl->deleted)
            continue;
        fputs("  ", c->out);
        cli_put_text(c->out, m->regions[pl->region].id);
        sm_cc_str(m->regions[pl->region].country, cc);
        fprintf(c->out, " (%s)  %s  %s", m->regions[pl->region].country == SM_NONE ? "multi" : cc,
                role_names[pl->role], pl->encrypted ? "encrypted" : "unencrypted");
        if (pl->key_region != SM_NONE) {
            fputs("  key in ", c->out);
            cli_put_text(c->out, m->regions[pl->key_region].id);
        }
        if (pl->mechanism != MECH_NONE)
            fprintf(c->out, "  %s", mechanism_names[pl->mechanism]);
        if (pl->mechanism_ref && *pl->mechanism_ref) {
            fputc(' ', c->out);
            cli_put_text(c->out, pl->mechanism_ref);
        }
        fputc('\n', c->out);
    }
    fputs("flows out\n", c->out);
    for (int32_t f = 0; f < m->nflows; f++)
        if (flow_of(m, f, id, true))
            text_flow(c, f);
    fputs("flows in\n", c->out);
    for (int32_t f = 0; f < m->nflows; f++)
        if (flow_of(m, f, id, false))
            text_flow(c, f);
    return CLI_OK;
}

/* ---- dataset rm -------------------------------------------------------------------- */

static int
ds_rm(struct cli *c, const struct command *self, int argc, char **argv)
{
    bool yes = false, help;
    const struct cli_opt opts[] = {
        { "--yes", OPT_FLAG, &yes, "remove its copies and flows without asking" },
        { NULL, 0, NULL, NULL },
    };
    char *pos[8];
    struct edit e;
    int rc, copies, flows = 0, fields = 0;
    int32_t id;

    if ((rc = parse_one_dataset(c, self, argc, argv, opts, pos, &help)) || help)
        return rc;
    if ((rc = cli_open(c, CLI_WRITE)) != CLI_OK)
        return rc;
    if ((rc = cmd_find(c, OBJ_DATASET, pos[0], &id)) != CLI_OK)
        return rc;
    copies = count_copies(c->m, id);
    for (int32_t f = 0; f < c->m->nflows; f++)
        flows += flow_of(c->m, f, id, true) || flow_of(c->m, f, id, false);
    for (int32_t f = c->m->datasets[id].first_field; f != SM_NONE; f = c->m->fields[f].next)
        fields++;
    if (!yes && (copies || flows || fields)) {
        if (!cli_confirm(c, "remove dataset %s with %d fields, %d copies and %d flows?",
                         pos[0], fields, copies, flows)) {
            if (!isatty(STDIN_FILENO))
                return cli_fail(c, "dataset %s has %d fields, %d copies and %d flows; "
                                "add --yes to remove them too", pos[0], fields, copies, flows);
            return cli_fail(c, "nothing removed");
        }
    }
    memset(&e, 0, sizeof e);
    e.op = EDIT_REMOVE;
    e.kind = OBJ_DATASET;
    e.key = pos[0];
    return cli_apply(c, &e, "removed");
}

static const struct subcmd dataset_subs[] = {
    { "add", "usage: sovmap dataset add NAME [--ATTR VALUE]...\n"
      "Add a dataset. Attributes are listed below; --tier and --subjects matter most.\n",
      cmd_sub_add, OBJ_DATASET + 1 },
    { "edit", "usage: sovmap dataset edit NAME --ATTR VALUE...\n"
      "Change attributes of a dataset (\"\" clears one).\n", cmd_sub_edit, OBJ_DATASET + 1 },
    { "list", "usage: sovmap dataset list [--tier TIER] [--system SYSTEM] [--format text|tsv|json]\n"
      "List datasets: name, tier, subjects, system, owner and number of copies.\n",
      ds_list, 0 },
    { "rm", "usage: sovmap dataset rm NAME [--yes]\n"
      "Remove a dataset with its fields, tags, copies and their flows. Without --yes,\n"
      "asks first when it has any (and refuses when not on a terminal).\n", ds_rm, 0 },
    { "show", "usage: sovmap dataset show NAME [--format text|json]\n"
      "Every attribute, the fields with their tags and where each tag came from,\n"
      "the copies, and the flows out of and into the dataset.\n", ds_show, 0 },
    { NULL, NULL, NULL, 0 },
};

const struct command cmd_dataset = {
    .name = "dataset",
    .summary = "add, list, show, edit and remove datasets",
    .usage =
        "usage: sovmap dataset add NAME [--ATTR VALUE]...\n"
        "       sovmap dataset list [--tier TIER] [--system SYSTEM] [--format text|tsv|json]\n"
        "       sovmap dataset show NAME [--format text|json]\n"
        "       sovmap dataset edit NAME --ATTR VALUE...\n"
        "       sovmap dataset rm NAME [--yes]\n"
        "\n"
        "A dataset is a table, bucket, topic or index. Its fields and tags are edited\n"
        "with `sovmap field` and `sovmap tag`, its copies with `sovmap place`.\n",
    .subs = dataset_subs,
    .kind_help = OBJ_DATASET + 1,
};

/* ---- fields and tags ------------------------------------------------------------------ */

/* `field add|rm` and `tag add|rm` change parts of one dataset: pos[0] names
 * it, each of pos[1..] is a field or tag to add or remove. The dataset is
 * then saved whole with one audit entry (cmd_save). */
struct part_target;

struct part_change {
    const char *audit;          /* "field add": the audit entry's op */
    const char *target, *part;  /* "DATASET", "FIELD": for the usage error */
    bool add;                   /* adds (the catalog is created if missing) */
    bool field_target;          /* pos[0] may be DATASET.FIELD */
    const struct cli_strs *tags;        /* field add: --tag */
    /* Change the model for one argument. */
    int (*apply)(struct cli *c, const struct part_target *t, const char *arg);
    /* One line of output for an argument changed. */
    void (*print)(struct cli *c, const struct part_target *t, const char *arg);
};

/* What change_parts resolved pos[0] to. */
struct part_target {
    const struct part_change *pc;
    const char *name;           /* pos[0] */
    int32_t ds, field;          /* field SM_NONE: the dataset itself */
    char *now;                  /* the time typed tags record (heap) */
};

/* DATASET or DATASET.FIELD: the whole text as a dataset first (names may
 * hold dots), then split at the last dot. */
static int
resolve_target(struct cli *c, const char *target, int32_t *ds, int32_t *field)
{
    const char *dot = strrchr(target, '.');
    char *name;

    *field = SM_NONE;
    if ((*ds = model_dataset(c->m, target)) != SM_NONE)
        return CLI_OK;
    if (dot && dot > target) {
        if (!(name = strndup(target, (size_t)(dot - target))))
            return cli_fail(c, "out of memory");
        *ds = model_dataset(c->m, name);
        if (*ds != SM_NONE) {
            *field = model_field(c->m, *ds, dot + 1);
            if (*field == SM_NONE) {
                int rc = cli_fail(c, "dataset %s has no field %s; add it with "
                                  "sovmap field add %s %s", name, dot + 1, name, dot + 1);
                free(name);
                return rc;
            }
        }
        free(name);
        if (*ds != SM_NONE)
            return CLI_OK;
    }
    return cmd_find(c, OBJ_DATASET, target, ds);
}

static int
change_parts(struct cli *c, const struct part_change *pc, char **pos, int npos)
{
    struct part_target t = { .pc = pc, .name = pos[0], .field = SM_NONE };
    char *before, *after = NULL, *snap, *op;
    int rc;

    if ((rc = cli_open(c, CLI_WRITE | (pc->add ? STORE_CREATE : 0))) != CLI_OK)
        return rc;
    rc = pc->field_target ? resolve_target(c, pos[0], &t.ds, &t.field)
                          : cmd_find(c, OBJ_DATASET, pos[0], &t.ds);
    if (rc != CLI_OK)
        return rc;
    before = model_describe_dup(c->m, OBJ_DATASET, t.ds);
    snap = cmd_part(c->m, OBJ_DATASET, t.ds);
    if (!(t.now = cmd_now(c)))
        rc = cli_fail(c, "out of memory");
    for (int i = 1; i < npos && rc == CLI_OK; i++)
        rc = pc->apply(c, &t, pos[i]);
    if (rc == CLI_OK) {
        after = model_describe_dup(c->m, OBJ_DATASET, t.ds);
        /* the audit names the dataset and the first part whole */
        op = sm_strdupf("%s %s %s%s", pc->audit, pos[0], pos[1], npos > 2 ? " ..." : "");
        rc = op ? cmd_save(c, c->m, OBJ_DATASET, t.ds, c->m->datasets[t.ds].name, op, before,
                           after, snap)
                : cli_fail(c, "out of memory");
        free(op);
    }
    if (rc == CLI_OK && !c->quiet)
        for (int i = 1; i < npos; i++)
            pc->print(c, &t, pos[i]);
    if (rc == CMD_UNCHANGED)
        rc = CLI_OK;
    free(snap);
    free(before);
    free(after);
    free(t.now);
    return rc;
}

/* `field add` and `tag add|rm`: the target and any number of parts. */
static int
parse_and_change(struct cli *c, const struct command *self, int argc, char **argv,
                 const struct cli_opt *opts, const struct part_change *pc)
{
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    int npos, rc;
    bool help;

    if (!pos)
        return cli_fail(c, "out of memory");
    rc = cli_parse(c, self, argc, argv, opts, pos, &npos, &help);
    if (rc == CLI_OK && !help) {
        if (npos >= 2)
            rc = change_parts(c, pc, pos, npos);
        else if (npos)
            rc = cli_usage_fail(c, self->usage, "%s: missing %s", self->name, pc->part);
        else
            rc = cli_usage_fail(c, self->usage, "%s: missing %s and %s", self->name,
                                pc->target, pc->part);
    }
    free(pos);
    return rc;
}

/* ---- field -------------------------------------------------------------------------- */

static int
add_field(struct cli *c, const struct part_target *t, const char *arg)
{
    const struct cli_strs *tags = t->pc->tags;
    SM_ERROR(e);
    int32_t fid;
    long ctl = sm_control_at(arg);

    if (ctl >= 0)               /* QA #21, as edit_apply for objects */
        return cli_fail(c, "field %s: a name may not hold a control character (U+%04X at "
                        "byte %ld)", arg, sm_control_code(arg + ctl), ctl);
    if (model_add_field(c->m, t->ds, arg, &fid, &e) != SM_OK)
        return cli_error(c, &e);
    for (int k = 0; k < tags->n; k++)
        if (model_add_tag(c->m, t->ds, fid, tags->v[k], "", "", t->now, NULL, &e) != SM_OK)
            return cli_error(c, &e);
    return CLI_OK;
}

static int
rm_field(struct cli *c, const struct part_target *t, const char *arg)
{
    SM_ERROR(e);
    int32_t fid;

    if ((fid = model_field(c->m, t->ds, arg)) == SM_NONE)
        return cli_fail(c, "dataset %s has no field %s", t->name, arg);
    if (model_remove_field(c->m, fid, &e) != SM_OK)
        return cli_error(c, &e);
    return CLI_OK;
}

static void
print_field(struct cli *c, const struct part_target *t, const char *arg)
{
    fputs(t->pc->add ? "added field " : "removed field ", c->out);
    cli_put_text(c->out, t->name);
    fputc('.', c->out);
    cli_put_text(c->out, arg);
    fputc('\n', c->out);
}

static int
field_add(struct cli *c, const struct command *self, int argc, char **argv)
{
    struct cli_strs tags = { 0 };
    const struct cli_opt opts[] = {
        { "--tag", OPT_STRS, &tags, "a tag for the field, e.g. pii.email (repeatable)" },
        { NULL, 0, NULL, NULL },
    };
    const struct part_change pc = {
        .audit = "field add", .target = "DATASET", .part = "FIELD", .add = true, .tags = &tags,
        .apply = add_field, .print = print_field,
    };

    return parse_and_change(c, self, argc, argv, opts, &pc);
}

static int
field_rm(struct cli *c, const struct command *self, int argc, char **argv)
{
    const struct part_change pc = {
        .audit = "field rm", .apply = rm_field, .print = print_field,
    };
    char *pos[8];
    int npos, rc;
    bool help;

    if (argc > 8)
        return cli_usage_fail(c, self->usage, "%s: too many arguments", self->name);
    rc = cli_parse(c, self, argc, argv, NULL, pos, &npos, &help);
    if (rc || help)
        return rc;
    if (npos != 2)
        return cli_usage_fail(c, self->usage, "%s: give DATASET FIELD", self->name);
    return change_parts(c, &pc, pos, npos);
}

static const struct subcmd field_subs[] = {
    { "add", "usage: sovmap field add DATASET FIELD... [--tag TAG]...\n"
      "Add fields to a dataset, each with the tags given (pii, pii.email, financial ...).\n",
      field_add, 0 },
    { "rm", "usage: sovmap field rm DATASET FIELD\n"
      "Remove a field and its tags.\n", field_rm, 0 },
    { NULL, NULL, NULL, 0 },
};

const struct command cmd_field = {
    .name = "field",
    .summary = "add and remove fields of a dataset",
    .usage =
        "usage: sovmap field add DATASET FIELD... [--tag TAG]...\n"
        "       sovmap field rm DATASET FIELD\n"
        "\n"
        "Fields carry tags; a field tagged pii or pii.* holds personal data.\n"
        "`sovmap dataset show DATASET` lists fields, tags and their provenance.\n",
    .subs = field_subs,
};

/* ---- tag --------------------------------------------------------------------------- */

static int
add_tag(struct cli *c, const struct part_target *t, const char *arg)
{
    SM_ERROR(e);

    if (model_add_tag(c->m, t->ds, t->field, arg, "", "", t->now, NULL, &e) != SM_OK)
        return cli_error(c, &e);
    return CLI_OK;
}

static int
rm_tag(struct cli *c, const struct part_target *t, const char *arg)
{
    const struct model *m = c->m;
    int32_t k;

    for (k = m->datasets[t->ds].first_tag; k != SM_NONE; k = m->tags[k].next)
        if (m->tags[k].field == t->field && strcmp(m->tags[k].tag, arg) == 0)
            break;
    if (k == SM_NONE)
        return cli_fail(c, "%s has no tag %s", t->name, arg);
    model_remove_tag(c->m, k);
    return CLI_OK;
}

static void
print_tag(struct cli *c, const struct part_target *t, const char *arg)
{
    fprintf(c->out, "%s tag ", t->pc->add ? "added" : "removed");
    cli_put_text(c->out, arg);
    fputs(t->pc->add ? " to " : " from ", c->out);
    cli_put_text(c->out, t->name);
    fputc('\n', c->out);
}

static int
tag_add(struct cli *c, const struct command *self, int argc, char **argv)
{
    static const struct part_change pc = {
        .audit = "tag add", .target = "DATASET[.FIELD]", .part = "TAG", .add = true,
        .field_target = true, .apply = add_tag, .print = print_tag,
    };

    return parse_and_change(c, self, argc, argv, NULL, &pc);
}

static int
tag_rm(struct cli *c, const struct command *self, int argc, char **argv)
{
    static const struct part_change pc = {
        .audit = "tag rm", .target = "DATASET[.FIELD]", .part = "TAG", .field_target = true,
        .apply = rm_tag, .print = print_tag,
    };

    return parse_and_change(c, self, argc, argv, NULL, &pc);
}

static const struct subcmd tag_subs[] = {
    { "add", "usage: sovmap tag add DATASET[.FIELD] TAG...\n"
      "Tag a dataset (sovereignty=EU) or one of its fields (pii.email).\n", tag_add, 0 },
    { "rm", "usage: sovmap tag rm DATASET[.FIELD] TAG...\n"
      "Remove tags from a dataset or a field.\n", tag_rm, 0 },
    { NULL, NULL, NULL, 0 },
};

const struct command cmd_tag = {
    .name = "tag",
    .summary = "tag datasets and fields (pii, pii.email, financial, key=value)",
    .usage =
        "usage: sovmap tag add DATASET[.FIELD] TAG...\n"
        "       sovmap tag rm DATASET[.FIELD] TAG...\n"
        "\n"
        "DATASET.FIELD names a field; a dataset whose own name has a dot is matched first.\n"
        "Typed tags record the time; imported ones also their source file and entity.\n",
    .subs = tag_subs,
};
