/*
 * export_map.c - the residency map: datasets (rows, grouped by tier) x
 * regions (columns, grouped by jurisdiction), each cell the roles of the
 * copies there and their status; and the table an architect signs off:
 * tiers x subject jurisdictions -> regions allowed. Markdown, CSV
 * (RFC 4180), self-contained HTML (inline CSS, no script, printable), JSON.
 *
 * Reads the model, the check result and the jurisdiction facts only.
 * Deterministic: rows and columns are sorted, no time unless --stamp.
 */
#include "export_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char role_letter[ROLE_COUNT + 1] = "PRBDCAE"; /* bounded: a letter per role */
/* A flow of this dataset's data that breaks a rule where it ends: the
 * destination region's cell shows it, so a reviewer signing off the map
 * sees every unlawful transfer, not only unlawful copies. */
#define FLOW_LETTER 'X'

/* ---- the map as data --------------------------------------------------------------- */

struct mcol {
    int32_t region;
    const char *group;
};

struct mrow {
    int32_t ds;
    int32_t rank;               /* tier rank, INT32_MIN for unclassified */
};

struct mcell {                  /* one dataset's copies in one column */
    char roles[ROLE_COUNT + 2];     /* bounded: role letters, then X for a flow's violation */
    uint8_t state;
    const char *rules;
};

struct rmap {
    const struct model *m;
    const struct check_result *r;
    const struct export_opts *o;
    struct xindex x;
    struct sm_arena a;
    struct mcol *cols;
    int32_t ncols;
    int32_t *col_of;            /* per region: column or SM_NONE */
    struct mrow *rows;
    int32_t nrows;
    struct mcell *cells;        /* scratch: one row */
    uint8_t row_state;          /* scratch: the row's worst status */
    bool *in_use;               /* per region: holds a copy or is approved */
    int32_t *flow_first;        /* per dataset: first violating or waived flow out */
    int32_t *flow_next;         /* per flow: the next one of the same dataset */
    bool fragment;              /* html without <html>/<head>/<body> (the review pack) */
    bool nomem;                 /* an allocation failed while writing: export_map fails */
};

static int
col_cmp(const void *a, const void *b, const struct model *m)
{
    const struct mcol *x = a, *y = b;
    int c = strcmp(x->group, y->group);

    return c ? c : strcmp(m->regions[x->region].id, m->regions[y->region].id);
}

static const struct model *sort_model;

static int
col_cmp_plain(const void *a, const void *b)
{
    return col_cmp(a, b, sort_model);
}

static int
row_cmp_plain(const void *a, const void *b)
{
    const struct mrow *x = a, *y = b;

    if (x->rank != y->rank)
        return x->rank > y->rank ? -1 : 1;
    return strcmp(sort_model->datasets[x->ds].name, sort_model->datasets[y->ds].name);
}

static bool
col_passes(const struct rmap *mp, int32_t region, const char *group)
{
    const char *j = mp->o ? mp->o->jurisdiction : NULL;
    char cc[3];    /* bounded: an ISO 3166 alpha-2 code (sm_cc_str) */

    if (!j)
        return true;
    sm_cc_str(mp->m->regions[region].country, cc);
    return !strcmp(group, j) || !strcmp(cc, j) || !strcmp(mp->m->regions[region].id, j);
}

static void
rmap_fini(struct rmap *mp)
{
    free(mp->cols);
    free(mp->col_of);
    free(mp->rows);
    free(mp->cells);
    free(mp->in_use);
    free(mp->flow_first);
    free(mp->flow_next);
    xindex_fini(&mp->x);
    sm_arena_fini(&mp->a);
}

static int
rmap_build(struct rmap *mp, const struct model *m, const struct check_result *r,
           const struct export_opts *o, struct sm_error *err)
{
    int32_t tier = SM_NONE;
    bool *has = NULL;
    int rc;

    memset(mp, 0, sizeof *mp);
    mp->m = m;
    mp->r = r;
    mp->o = o;
    sm_arena_init(&mp->a);
    if ((rc = xindex_build(m, r, &mp->x, err)))
        return rc;
    if (o && o->tier && (tier = model_tier(m, o->tier)) == SM_NONE) {
        rmap_fini(mp);
        return sm_error_set(err, SM_ENOTFOUND, "unknown tier %s", o->tier);
    }
    mp->cols = calloc((size_t)m->nregions + 1, sizeof *mp->cols);
    mp->col_of = malloc(((size_t)m->nregions + 1) * sizeof *mp->col_of);
    mp->rows = calloc((size_t)m->ndatasets + 1, sizeof *mp->rows);
    mp->cells = calloc((size_t)m->nregions + 1, sizeof *mp->cells);
    mp->in_use = calloc((size_t)m->nregions + 1, sizeof *mp->in_use);
    has = calloc((size_t)m->nregions + 1, sizeof *has);
    mp->flow_first = malloc(((size_t)m->ndatasets + 1) * sizeof *mp->flow_first);
    mp->flow_next = malloc(((size_t)m->nflows + 1) * sizeof *mp->flow_next);
    if (!mp->cols || !mp->col_of || !mp->rows || !mp->cells || !mp->in_use || !has ||
        !mp->flow_first || !mp->flow_next) {
        free(has);
        rmap_fini(mp);
        return sm_error_set(err, SM_ENOMEM, "map: out of memory");
    }
    for (int32_t i = 0; i < m->ndatasets; i++) {
        const struct dataset *d = &m->datasets[i];

        if (d->deleted || (o && o->tier && d->tier != tier) ||
            (o && o->system && strcmp(d->system ? d->system : "", o->system)))
            continue;
        mp->rows[mp->nrows].ds = i;
        mp->rows[mp->nrows++].rank = d->tier != SM_NONE ? m->tiers[d->tier].rank : INT32_MIN;
    }
    for (int32_t i = 0; i < m->nplacements; i++) {
        const struct placement *p = &m->placements[i];

        if (p->deleted)
            continue;
        mp->in_use[p->region] = true;
        has[p->region] = true;
    }
    /* flows with a live or waived finding, listed under their source's
     * dataset (in reverse id order: the cells do not depend on it); their
     * destination regions get a column */
    for (int32_t i = 0; i < m->ndatasets; i++)
        mp->flow_first[i] = SM_NONE;
    for (int32_t f = m->nflows - 1; f >= 0; f--) {
        const struct flow *fl = &m->flows[f];
        int32_t ds, to;

        mp->flow_next[f] = SM_NONE;
        if (fl->deleted || mp->x.flow[f].state == XS_OK || fl->from == SM_NONE)
            continue;
        to = fl->to != SM_NONE ? m->placements[fl->to].region : fl->to_region;
        if (to == SM_NONE)
            continue;
        ds = m->placements[fl->from].dataset;
        mp->flow_next[f] = mp->flow_first[ds];
        mp->flow_first[ds] = f;
        mp->in_use[to] = true;
        has[to] = true;
    }
    for (int32_t t = 0; t < m->ntiers; t++)
        for (uint32_t k = 0; !m->tiers[t].deleted && k < m->tiers[t].approved.n; k++) {
            int32_t rg = model_region(m, m->tiers[t].approved.v[k]);
            if (rg != SM_NONE)
                mp->in_use[rg] = true;
        }
    for (int32_t i = 0; i < m->nregions; i++) {
        const char *g;

        mp->col_of[i] = SM_NONE;
        if (!has[i] || m->regions[i].deleted)
            continue;
        g = export_region_group(o ? o->juris : NULL, m, i);
        if (!col_passes(mp, i, g))
            continue;
        mp->cols[mp->ncols].region = i;
        mp->cols[mp->ncols++].group = g;
    }
    free(has);
    sort_model = m;
    qsort(mp->cols, (size_t)mp->ncols, sizeof *mp->cols, col_cmp_plain);
    qsort(mp->rows, (size_t)mp->nrows, sizeof *mp->rows, row_cmp_plain);
    for (int32_t c = 0; c < mp->ncols; c++)
        mp->col_of[mp->cols[c].region] = c;
    return SM_OK;
}

/* Fold a status into a cell: the worse state wins; equal states join
 * their rule ids ("RES001 XFR001"). */
static void
cell_merge(struct rmap *mp, struct mcell *cell, const struct xstatus *s)
{
    if (!s || s->state == XS_OK)
        return;
    if (s->state > mp->row_state)
        mp->row_state = s->state;
    if (s->state > cell->state) {
        cell->state = s->state;
        cell->rules = s->rules;
    } else if (s->state == cell->state && strcmp(cell->rules, s->rules) &&
               !strstr(cell->rules, s->rules)) {
        size_t len = strlen(cell->rules) + strlen(s->rules) + 2;
        char *b = sm_arena_alloc(&mp->a, len);
        if (b) {
            snprintf(b, len, "%s %s", cell->rules, s->rules);
            cell->rules = b;
        } else {
            mp->nomem = true;
        }
    }
}

static void
cell_role(struct mcell *cell, char letter)
{
    size_t n = strlen(cell->roles);

    if (n + 1 < sizeof cell->roles && !strchr(cell->roles, letter)) {
        cell->roles[n] = letter;
        cell->roles[n + 1] = '\0';
    }
}

/* Fill mp->cells and mp->row_state for one dataset; returns false when it
 * has nothing in any column (with --jurisdiction such rows are left out). */
static bool
rmap_row(struct rmap *mp, int32_t ds)
{
    const struct model *m = mp->m;
    bool any = false;

    mp->row_state = mp->x.dataset[ds].state;
    for (int32_t c = 0; c < mp->ncols; c++) {
        mp->cells[c].roles[0] = '\0';
        mp->cells[c].state = XS_OK;
        mp->cells[c].rules = "";
    }
    for (int32_t p = m->datasets[ds].first_placement; p != SM_NONE; p = m->placements[p].next) {
        const struct placement *pl = &m->placements[p];
        struct mcell *cell;

        if (pl->deleted || mp->col_of[pl->region] == SM_NONE)
            continue;
        any = true;
        cell = &mp->cells[mp->col_of[pl->region]];
        if (strlen(cell->roles) < ROLE_COUNT)
            cell_role(cell, role_letter[pl->role]);
        cell_merge(mp, cell, &mp->x.placement[p]);
        cell_merge(mp, cell, &mp->x.implicit[p]);
        if (pl->role == ROLE_PRIMARY)
            cell_merge(mp, cell, &mp->x.dataset[ds]);
    }
    for (int32_t f = mp->flow_first[ds]; f != SM_NONE; f = mp->flow_next[f]) {
        const struct flow *fl = &m->flows[f];
        int32_t to = fl->to != SM_NONE ? m->placements[fl->to].region : fl->to_region;
        struct mcell *cell;

        if (mp->col_of[to] == SM_NONE) {
            if (mp->x.flow[f].state > mp->row_state)
                mp->row_state = mp->x.flow[f].state;
            continue;
        }
        any = true;
        cell = &mp->cells[mp->col_of[to]];
        cell_role(cell, FLOW_LETTER);
        cell_merge(mp, cell, &mp->x.flow[f]);
    }
    return any;
}

static const char *
state_name(uint8_t state)
{
    return state == XS_VIOLATION ? "violation" : state == XS_WAIVED ? "waived" : "ok";
}

/* Rows to write: with --violations-only, those whose worst status is a
 * violation; with --jurisdiction, those with something in its columns. */
static bool
row_shown(struct rmap *mp, int32_t ds)
{
    bool any = rmap_row(mp, ds);

    if (mp->o && mp->o->violations_only && mp->row_state != XS_VIOLATION)
        return false;
    return any || !(mp->o && mp->o->jurisdiction);
}

static const char *
row_tier(const struct rmap *mp, int32_t ds)
{
    return model_tier_name(mp->m, mp->m->datasets[ds].tier);
}

static const char *
row_eff_tier(const struct rmap *mp, int32_t ds)
{
    int32_t t = mp->r && ds < mp->r->ndatasets ? mp->r->eff_tier[ds] : mp->m->datasets[ds].tier;
    return model_tier_name(mp->m, t);
}

static const char *
row_subjects(const struct rmap *mp, int32_t ds, char *buf, size_t size)
{
    const struct dataset *d = &mp->m->datasets[ds];
    size_t len = 0;
    char cc[3];    /* bounded: an ISO 3166 alpha-2 code (sm_cc_str) */

    if (mp->r && ds < mp->r->ndatasets)
        return check_eff_subjects(mp->r, ds, buf, size);
    buf[0] = '\0';
    for (int i = 0; i < d->nsubjects && len + 4 < size; i++) {
        sm_cc_str(d->subjects[i], cc);
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? "," : "", cc);
    }
    return buf;
}

/* "R", "R! RES001 XFR001", "B~ RES002" */
static const char *
cell_text(struct rmap *mp, const struct mcell *c, char *buf, size_t size)
{
    int n;
    char *s;

    if (!c->roles[0])
        buf[0] = '\0';
    else if (c->state == XS_OK)
        snprintf(buf, size, "%s", c->roles);
    else if ((n = snprintf(buf, size, "%s%s %s", c->roles, c->state == XS_VIOLATION ? "!" : "~",
                           c->rules)) >= 0 && (size_t)n >= size) {
        /* more rules than buf holds: the whole text in the map's arena */
        if (!(s = sm_arena_printf(&mp->a, "%s%s %s", c->roles,
                                  c->state == XS_VIOLATION ? "!" : "~", c->rules)))
            mp->nomem = true;
        return s ? s : "";
    }
    return buf;
}

/* ---- tiers x jurisdictions -> allowed regions --------------------------------------- */

/* Regimes the model's datasets answer to, in id order; unknown subject codes
 * get no regime and are listed by code. */
struct subjcol {
    const char *name;           /* regime id or subject code */
    const struct xregime *rg;   /* NULL: no regime */
};

static int
subjcol_cmp(const void *a, const void *b)
{
    return strcmp(((const struct subjcol *)a)->name, ((const struct subjcol *)b)->name);
}

static int32_t
subject_columns(struct rmap *mp, struct subjcol *out, int32_t max)
{
    const struct export_juris *j = mp->o ? mp->o->juris : NULL;
    bool seen[SM_CC_COUNT] = { false };
    int32_t n = 0;

    for (int32_t i = 0; i < mp->m->ndatasets; i++) {
        const struct dataset *d = &mp->m->datasets[i];
        for (int k = 0; !d->deleted && k < d->nsubjects; k++)
            if (d->subjects[k] < SM_CC_COUNT)
                seen[d->subjects[k]] = true;
    }
    for (int cc = 0; cc < SM_CC_COUNT; cc++) {
        const struct xregime *rg;
        const char *name;
        bool dup = false;

        if (!seen[cc])
            continue;
        rg = xregime_of(j, cc);
        if (rg) {
            name = rg->id;
        } else {
            char code[3];    /* bounded: an ISO 3166 alpha-2 code (sm_cc_str) */
            sm_cc_str(cc, code);
            if (!(name = sm_arena_strdup(&mp->a, code))) {
                mp->nomem = true;
                continue;
            }
        }
        for (int32_t k = 0; k < n; k++)
            dup = dup || !strcmp(out[k].name, name);
        if (!dup && n < max) {
            out[n].name = name;
            out[n++].rg = rg;
        }
    }
    qsort(out, (size_t)n, sizeof *out, subjcol_cmp);
    return n;
}

/* Condition under which rg counts cc as adequate: NULL not adequate, "" full. */
static const char *
adequate(const struct xregime *rg, int cc, int32_t today)
{
    for (int32_t i = 0; i < rg->nadequacy; i++)
        if (rg->adequacy[i].cc == cc && (!rg->adequacy[i].until || !today ||
                                          today <= rg->adequacy[i].until))
            return rg->adequacy[i].condition;
    return NULL;
}

/* The regions one tier scope allows for one regime: a fixed note (region,
 * country, global, no regime) or a sorted list of regions in use, each
 * with the adequacy condition it depends on ("" when none). */
struct allowed {
    const char *note;           /* NULL when the list applies */
    int32_t n;
    const char **ids;           /* arena */
    const char **conds;         /* arena, "" or "dpf", "commercial" ... */
    bool mechanism_elsewhere;   /* adequate: other places need a mechanism */
};

/* The column shown when no dataset names its subjects. */
static const struct xregime no_subjects;

struct idcond {
    const char *id, *cond;
};

static int
idcond_cmp(const void *a, const void *b)
{
    return strcmp(((const struct idcond *)a)->id, ((const struct idcond *)b)->id);
}

static void
allowed_list(struct rmap *mp, const struct tier *t, int scope, const struct xregime *rg,
             struct allowed *out)
{
    const struct model *m = mp->m;
    struct idcond *v;
    int32_t n = 0;

    memset(out, 0, sizeof *out);
    switch (scope) {
    case SCOPE_REGION:
        out->note = "the primary copy's region only";
        return;
    case SCOPE_COUNTRY:
        out->note = "the primary copy's country only";
        return;
    case SCOPE_GLOBAL:
        out->note = "any region";
        return;
    case SCOPE_APPROVED:
        break;
    default:
        if (rg == &no_subjects) {
            out->note = scope == SCOPE_BLOC
                ? "inside the subjects' free-flow area"
                : "inside the subjects' free-flow area or adequate countries; elsewhere "
                  "only with a valid mechanism on the flow";
            return;
        }
        if (!rg) {
            out->note = "any region (no regime for these subjects)";
            return;
        }
    }
    if (!(v = sm_arena_alloc(&mp->a, ((size_t)m->nregions + t->approved.n + 1) * sizeof *v))) {
        mp->nomem = true;
        out->note = "";
        return;
    }
    if (scope == SCOPE_APPROVED) {
        for (uint32_t k = 0; k < t->approved.n; k++)
            v[n++] = (struct idcond){ t->approved.v[k], "" };
    } else {
        for (int32_t i = 0; i < m->nregions; i++) {
            struct sm_ccset cs;
            bool global, ok = true;
            const char *cond = "";

            if (!mp->in_use[i] || m->regions[i].deleted)
                continue;
            xregion_countries(m, i, &cs, &global);
            if (global || sm_ccset_empty(&cs))
                continue;
            for (int cc = sm_ccset_next(&cs, 0); ok && cc != SM_NONE;
                 cc = sm_ccset_next(&cs, cc + 1)) {
                const char *c;
                if (sm_ccset_has(&rg->free_flow, cc))
                    continue;
                if (scope == SCOPE_ADEQUATE && (c = adequate(rg, cc, mp->o ? mp->o->today : 0))) {
                    if (*c)
                        cond = c;
                    continue;
                }
                ok = false;
            }
            if (ok)
                v[n++] = (struct idcond){ m->regions[i].id, cond };
        }
        out->mechanism_elsewhere = scope == SCOPE_ADEQUATE;
    }
    qsort(v, (size_t)n, sizeof *v, idcond_cmp);
    out->ids = sm_arena_alloc(&mp->a, ((size_t)n + 1) * sizeof *out->ids);
    out->conds = sm_arena_alloc(&mp->a, ((size_t)n + 1) * sizeof *out->conds);
    if (!out->ids || !out->conds) {
        mp->nomem = true;
        out->note = "";
        return;
    }
    for (int32_t k = 0; k < n; k++) {
        out->ids[k] = v[k].id;
        out->conds[k] = v[k].cond;
    }
    out->n = n;
}

/* The allowed-regions text of one tier scope for one regime. */
static const char *
allowed_text(struct rmap *mp, const struct tier *t, int scope, const struct xregime *rg)
{
    struct allowed al;
    char *buf = NULL;
    size_t size = 0;
    const char *out = NULL;
    FILE *f;

    allowed_list(mp, t, scope, rg, &al);
    if (al.note)
        return al.note;
    /* every allowed region, however many */
    if ((f = open_memstream(&buf, &size))) {
        for (int32_t k = 0; k < al.n; k++)
            fprintf(f, "%s%s%s%s%s", k ? ", " : "", al.ids[k], *al.conds[k] ? " (" : "",
                    al.conds[k], *al.conds[k] ? ")" : "");
        if (!al.n)
            fputs("none of the regions in use", f);
        if (al.mechanism_elsewhere)
            fputs("; elsewhere only with a valid mechanism on the flow", f);
        if (fclose(f) == 0)
            out = sm_arena_strdup(&mp->a, buf);
        free(buf);
    }
    if (!out)
        mp->nomem = true;
    return out ? out : "";
}

static void
allowed_json(struct rmap *mp, FILE *f, const struct tier *t, int scope, const struct xregime *rg)
{
    struct allowed al;

    allowed_list(mp, t, scope, rg, &al);
    fputs("{\"note\": ", f);
    export_put_json(f, al.note ? al.note : al.mechanism_elsewhere
                    ? "elsewhere only with a valid mechanism on the flow" : "");
    fputs(", \"regions\": [", f);
    for (int32_t k = 0; k < al.n; k++) {
        fputs(k ? ", {\"id\": " : "{\"id\": ", f);
        export_put_json(f, al.ids[k]);
        fputs(", \"condition\": ", f);
        export_put_json(f, al.conds[k]);
        fputc('}', f);
    }
    fputs("]}", f);
}

static int32_t
tier_order(const struct model *m, int32_t *order)
{
    int32_t n = 0;

    for (int32_t i = 0; i < m->ntiers; i++)
        if (!m->tiers[i].deleted)
            order[n++] = i;
    for (int32_t i = 1; i < n; i++)
        for (int32_t k = i; k > 0; k--) {
            const struct tier *a = &m->tiers[order[k - 1]], *b = &m->tiers[order[k]];
            if (a->rank > b->rank || (a->rank == b->rank && strcmp(a->name, b->name) <= 0))
                break;
            int32_t t = order[k]; order[k] = order[k - 1]; order[k - 1] = t;
        }
    return n;
}

/* ---- writers ---------------------------------------------------------------------------- */

#define MAX_SUBJCOLS 64

static const char *
stamp(const struct export_opts *o, char *buf)
{
    if (!o || !o->stamp)
        return NULL;
    sm_date_fmt(o->today, buf);
    return buf;
}

static void
write_md(struct rmap *mp, FILE *f)
{
    const struct model *m = mp->m;
    struct subjcol sc[MAX_SUBJCOLS];
    int32_t nsc = subject_columns(mp, sc, MAX_SUBJCOLS);
    int32_t *order = malloc(((size_t)m->ntiers + 1) * sizeof *order), nt;
    char cell[4096], subj[CHECK_SUBJECTS_MAX], day[11]; /* bounded: see cell_text; codes; date */
    const char *last_tier = NULL;

    fputs("# Residency map\n\n", f);
    if (stamp(mp->o, day))
        fprintf(f, "Generated by sovmap on %s.\n\n", day);
    fputs("Cells: P primary, R replica, B backup, D dr, C cache, A archive, E edge; "
          "X a flow of the dataset's data into that region; "
          "`!` violation (rule ids follow), `~` waived.\n\n", f);
    for (int32_t k = 0; k < mp->nrows; k++) {
        int32_t ds = mp->rows[k].ds;
        const char *tn = row_tier(mp, ds);

        if (!row_shown(mp, ds))
            continue;
        if (!last_tier || strcmp(last_tier, tn)) {
            fprintf(f, "%s## Tier ", last_tier ? "\n" : "");
            export_put_md(f, *tn ? tn : "(unclassified)");
            fputs("\n\n| dataset | status | effective tier | subjects |", f);
            for (int32_t c = 0; c < mp->ncols; c++) {
                fputc(' ', f);
                export_put_md(f, mp->cols[c].group);
                fputs(": ", f);
                export_put_md(f, m->regions[mp->cols[c].region].id);
                fputs(" |", f);
            }
            fputs("\n|---|---|---|---|", f);
            for (int32_t c = 0; c < mp->ncols; c++)
                fputs(":-:|", f);
            fputc('\n', f);
            last_tier = tn;
        }
        fputs("| ", f);
        export_put_md(f, m->datasets[ds].name);
        fprintf(f, " | %s | ", state_name(mp->row_state));
        export_put_md(f, row_eff_tier(mp, ds));
        fputs(" | ", f);
        export_put_md(f, row_subjects(mp, ds, subj, sizeof subj));
        fputs(" |", f);
        for (int32_t c = 0; c < mp->ncols; c++) {
            fputc(' ', f);
            export_put_md(f, cell_text(mp, &mp->cells[c], cell, sizeof cell));
            fputs(" |", f);
        }
        fputc('\n', f);
    }
    if (!mp->nrows)
        fputs("No datasets.\n", f);
    fputs("\n# Allowed regions by tier and subjects' regime\n\n| tier | scope | backup scope |", f);
    for (int32_t s = 0; s < nsc; s++) {
        fputc(' ', f);
        export_put_md(f, sc[s].name);
        fputs(" |", f);
    }
    if (!nsc)
        fputs(" any subjects |", f);
    fputs("\n|---|---|---|", f);
    for (int32_t s = 0; s < (nsc ? nsc : 1); s++)
        fputs("---|", f);
    fputc('\n', f);
    mp->nomem |= !order;
    nt = order ? tier_order(m, order) : 0;
    for (int32_t i = 0; i < nt; i++) {
        const struct tier *t = &m->tiers[order[i]];
        fputs("| ", f);
        export_put_md(f, t->name);
        fprintf(f, " | %s | %s |", scope_names[t->scope], scope_names[t->backup_scope]);
        for (int32_t s = 0; s < (nsc ? nsc : 1); s++) {
            fputc(' ', f);
            export_put_md(f, allowed_text(mp, t, t->scope, nsc ? sc[s].rg : &no_subjects));
            if (t->backup_scope != t->scope) {
                fputs("<br>backups: ", f);
                export_put_md(f, allowed_text(mp, t, t->backup_scope, nsc ? sc[s].rg : &no_subjects));
            }
            fputs(" |", f);
        }
        fputc('\n', f);
    }
    free(order);
}

static void
csv_cell(FILE *f, const char *s, bool first)
{
    if (!first)
        fputc(',', f);
    export_put_csv(f, s);
}

static void
write_csv(struct rmap *mp, FILE *f)
{
    const struct model *m = mp->m;
    char cell[4096], subj[CHECK_SUBJECTS_MAX], day[11]; /* bounded: see cell_text; codes; date */

    if (stamp(mp->o, day))
        fprintf(f, "# generated by sovmap on %s\n", day);
    csv_cell(f, "dataset", true);
    csv_cell(f, "status", false);
    csv_cell(f, "tier", false);
    csv_cell(f, "effective_tier", false);
    csv_cell(f, "system", false);
    csv_cell(f, "subjects", false);
    for (int32_t c = 0; c < mp->ncols; c++) {
        const char *head = sm_arena_printf(&mp->a, "%s %s", mp->cols[c].group,
                                           m->regions[mp->cols[c].region].id);
        if (!head)
            mp->nomem = true;
        csv_cell(f, head ? head : "", false);
    }
    fputc('\n', f);
    for (int32_t k = 0; k < mp->nrows; k++) {
        int32_t ds = mp->rows[k].ds;

        if (!row_shown(mp, ds))
            continue;
        csv_cell(f, m->datasets[ds].name, true);
        csv_cell(f, state_name(mp->row_state), false);
        csv_cell(f, row_tier(mp, ds), false);
        csv_cell(f, row_eff_tier(mp, ds), false);
        csv_cell(f, m->datasets[ds].system, false);
        csv_cell(f, row_subjects(mp, ds, subj, sizeof subj), false);
        for (int32_t c = 0; c < mp->ncols; c++)
            csv_cell(f, cell_text(mp, &mp->cells[c], cell, sizeof cell), false);
        fputc('\n', f);
    }
}

const char export_html_css[] =
    "body{font:13px/1.4 -apple-system,\"Segoe UI\",Helvetica,Arial,sans-serif;color:#1f2933;margin:24px}\n"
    "h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}\n"
    "p.meta{color:#52606d;margin:0 0 12px}\n"
    "table{border-collapse:collapse;margin-bottom:16px}\n"
    "th,td{border:1px solid #cbd2d9;padding:3px 6px;vertical-align:top}\n"
    "thead th{background:#e4e7eb;position:sticky;top:0}\n"
    "tbody td:first-child{position:sticky;left:0;background:#fff;z-index:1}\n"
    "thead tr:first-child th:first-child{left:0;z-index:2}\n"
    "th.group{background:#d9e2ec;text-align:center}\n"
    "th.tier{background:#f0f4f8;text-align:left;font-size:14px}\n"
    "td.c{text-align:center;white-space:nowrap;font-family:ui-monospace,Menlo,Consolas,monospace}\n"
    "td.ok{background:#e3f9e5;color:#05400a}\n"
    "td.bad{background:#ffe3e3;color:#8a041a;font-weight:bold}\n"
    "td.waived{background:#f0f4f8;color:#616e7c;font-style:italic}\n"
    "td.allowed{max-width:28em}\n"
    ".legend span{display:inline-block;padding:1px 6px;margin-right:8px;border:1px solid #cbd2d9}\n"
    "@media print{body{margin:8mm;font-size:10px}thead{display:table-header-group}"
    "tr{page-break-inside:avoid}thead th{position:static}}\n";

/* An id attribute's value: the name's bytes as hex, so any name makes a
 * valid, unique id. */
void
export_html_anchor(FILE *f, const char *name)
{
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        fprintf(f, "%02x", *p);
}

/* Violations first: the datasets whose worst status is a violation, with
 * the rules and the regions where they break, each linking to its row. */
static void
write_html_violations(struct rmap *mp, FILE *f)
{
    const struct model *m = mp->m;
    int32_t n = 0;

    for (int32_t k = 0; k < mp->nrows; k++) {
        int32_t ds = mp->rows[k].ds;
        bool first = true;

        if (!row_shown(mp, ds) || mp->row_state != XS_VIOLATION)
            continue;
        if (!n++)
            fputs("<h2>Violations</h2>\n<table>\n<thead><tr><th>dataset</th><th>where</th>"
                  "</tr></thead>\n<tbody>\n", f);
        fputs("<tr><td><a href=\"#ds-", f);
        export_html_anchor(f, m->datasets[ds].name);
        fputs("\">", f);
        export_put_html(f, m->datasets[ds].name);
        fputs("</a></td><td>", f);
        for (int32_t c = 0; c < mp->ncols; c++) {
            const struct mcell *ce = &mp->cells[c];
            if (ce->state != XS_VIOLATION)
                continue;
            fputs(first ? "" : "; ", f);
            first = false;
            export_put_html(f, m->regions[mp->cols[c].region].id);
            fputs(": ", f);
            export_put_html(f, ce->rules);
        }
        if (first && mp->x.dataset[ds].state == XS_VIOLATION)
            export_put_html(f, mp->x.dataset[ds].rules);
        fputs("</td></tr>\n", f);
    }
    if (n)
        fputs("</tbody>\n</table>\n<h2>All datasets</h2>\n", f);
}

static void
write_html(struct rmap *mp, FILE *f)
{
    const struct model *m = mp->m;
    struct subjcol sc[MAX_SUBJCOLS];
    int32_t nsc = subject_columns(mp, sc, MAX_SUBJCOLS);
    int32_t *order = malloc(((size_t)m->ntiers + 1) * sizeof *order), nt;
    char cell[4096], subj[CHECK_SUBJECTS_MAX], day[11]; /* bounded: see cell_text; codes; date */
    const char *last_tier = NULL;

    if (!mp->fragment) {
        fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<title>Residency map</title>\n<style>\n", f);
        fputs(export_html_css, f);
        fputs("</style>\n</head>\n<body>\n", f);
    }
    fprintf(f, "<h%d id=\"map\">Residency map</h%d>\n<p class=\"meta\">", mp->fragment ? 2 : 1,
            mp->fragment ? 2 : 1);
    fprintf(f, "%d datasets, %d regions in use", (int)mp->nrows, (int)mp->ncols);
    if (stamp(mp->o, day))
        fprintf(f, " &middot; generated by sovmap on %s", day);
    fputs("</p>\n<p class=\"legend\"><span>P primary</span><span>R replica</span>"
          "<span>B backup</span><span>D dr</span><span>C cache</span><span>A archive</span>"
          "<span>E edge</span><span class=\"x\" style=\"background:#e3f9e5\">ok</span>"
          "<span>X a flow into the region</span>"
          "<span style=\"background:#ffe3e3\">! violation + rule ids</span>"
          "<span style=\"background:#f0f4f8\">~ waived</span></p>\n", f);
    write_html_violations(mp, f);
    fputs("<table>\n<thead>\n<tr><th rowspan=\"2\">dataset</th><th rowspan=\"2\">status</th>"
          "<th rowspan=\"2\">effective tier</th><th rowspan=\"2\">subjects</th>", f);
    for (int32_t c = 0; c < mp->ncols;) {
        int32_t span = 1;
        while (c + span < mp->ncols && !strcmp(mp->cols[c + span].group, mp->cols[c].group))
            span++;
        fprintf(f, "<th class=\"group\" colspan=\"%d\">", (int)span);
        export_put_html(f, export_group_label(mp->o ? mp->o->juris : NULL, mp->cols[c].group));
        fputs("</th>", f);
        c += span;
    }
    fputs("</tr>\n<tr>", f);
    for (int32_t c = 0; c < mp->ncols; c++) {
        fputs("<th id=\"r-", f);
        export_html_anchor(f, m->regions[mp->cols[c].region].id);
        fputs("\">", f);
        export_put_html(f, m->regions[mp->cols[c].region].id);
        fputs("</th>", f);
    }
    fputs("</tr>\n</thead>\n<tbody>\n", f);
    for (int32_t k = 0; k < mp->nrows; k++) {
        int32_t ds = mp->rows[k].ds;
        const char *tn = row_tier(mp, ds);

        if (!row_shown(mp, ds))
            continue;
        if (!last_tier || strcmp(last_tier, tn)) {
            fprintf(f, "<tr><th class=\"tier\" colspan=\"%d\">Tier ", (int)mp->ncols + 4);
            export_put_html(f, *tn ? tn : "(unclassified)");
            fputs("</th></tr>\n", f);
            last_tier = tn;
        }
        fputs("<tr id=\"ds-", f);
        export_html_anchor(f, m->datasets[ds].name);
        fputs("\"><td>", f);
        export_put_html(f, m->datasets[ds].name);
        fprintf(f, "</td><td class=\"c %s\">%s</td><td>",
                mp->row_state == XS_VIOLATION ? "bad" : mp->row_state == XS_WAIVED ? "waived" : "ok",
                state_name(mp->row_state));
        export_put_html(f, row_eff_tier(mp, ds));
        fputs("</td><td>", f);
        export_put_html(f, row_subjects(mp, ds, subj, sizeof subj));
        fputs("</td>", f);
        for (int32_t c = 0; c < mp->ncols; c++) {
            const struct mcell *ce = &mp->cells[c];
            fprintf(f, "<td class=\"c%s\">", !ce->roles[0] ? ""
                    : ce->state == XS_VIOLATION ? " bad" : ce->state == XS_WAIVED ? " waived" : " ok");
            export_put_html(f, cell_text(mp, ce, cell, sizeof cell));
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody>\n</table>\n", f);
    fputs("<h2 id=\"allowed\">Allowed regions by tier and subjects' regime</h2>\n<table>\n<thead><tr>"
          "<th>tier</th><th>scope</th><th>backup scope</th>", f);
    for (int32_t s = 0; s < nsc; s++) {
        fputs("<th>", f);
        export_put_html(f, sc[s].name);
        fputs("</th>", f);
    }
    if (!nsc)
        fputs("<th>any subjects</th>", f);
    fputs("</tr></thead>\n<tbody>\n", f);
    mp->nomem |= !order;
    nt = order ? tier_order(m, order) : 0;
    for (int32_t i = 0; i < nt; i++) {
        const struct tier *t = &m->tiers[order[i]];
        fputs("<tr><th>", f);
        export_put_html(f, t->name);
        fprintf(f, "</th><td>%s</td><td>%s</td>", scope_names[t->scope],
                scope_names[t->backup_scope]);
        for (int32_t s = 0; s < (nsc ? nsc : 1); s++) {
            fputs("<td class=\"allowed\">", f);
            export_put_html(f, allowed_text(mp, t, t->scope, nsc ? sc[s].rg : &no_subjects));
            if (t->backup_scope != t->scope) {
                fputs("<br><em>backups:</em> ", f);
                export_put_html(f, allowed_text(mp, t, t->backup_scope, nsc ? sc[s].rg : &no_subjects));
            }
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody>\n</table>\n<p class=\"meta\">Regions listed are those in use "
          "(holding a copy or on a tier's approved list). Not legal advice.</p>\n", f);
    if (!mp->fragment)
        fputs("</body>\n</html>\n", f);
    free(order);
}

/* "EU,BR" -> ["EU", "BR"] */
static void
json_words(struct rmap *mp, FILE *f, const char *s, char sep)
{
    bool first = true;

    fputc('[', f);
    while (*s) {
        size_t n = strcspn(s, (char[]){ sep, 0 });
        if (n) {
            char *w = strndup(s, n);
            if (!w) {
                mp->nomem = true;
                break;
            }
            fputs(first ? "" : ", ", f);
            first = false;
            export_put_json(f, w);
            free(w);
        }
        s += n + (s[n] == sep);
    }
    fputc(']', f);
}

static void
write_json(struct rmap *mp, FILE *f)
{
    const struct model *m = mp->m;
    struct subjcol sc[MAX_SUBJCOLS];
    int32_t nsc = subject_columns(mp, sc, MAX_SUBJCOLS);
    int32_t *order = malloc(((size_t)m->ntiers + 1) * sizeof *order), nt;
    char subj[CHECK_SUBJECTS_MAX], day[11], cc[3]; /* bounded: all codes, date, code */
    bool first = true;

    fputs("{\n  \"version\": 2,\n", f);
    if (stamp(mp->o, day))
        fprintf(f, "  \"generated\": \"%s\",\n", day);
    fputs("  \"regions\": [", f);
    for (int32_t c = 0; c < mp->ncols; c++) {
        const struct region *rg = &m->regions[mp->cols[c].region];
        fputs(c ? ",\n    {\"id\": " : "\n    {\"id\": ", f);
        export_put_json(f, rg->id);
        fputs(", \"jurisdiction\": ", f);
        export_put_json(f, mp->cols[c].group);
        sm_cc_str(rg->country, cc);
        fputs(", \"country\": ", f);
        export_put_json(f, rg->country == SM_NONE ? "" : cc);
        fputs("}", f);
    }
    fputs(mp->ncols ? "\n  ],\n  \"datasets\": [" : "],\n  \"datasets\": [", f);
    for (int32_t k = 0; k < mp->nrows; k++) {
        int32_t ds = mp->rows[k].ds;
        bool cfirst = true;

        if (!row_shown(mp, ds))
            continue;
        fputs(first ? "\n    {\"name\": " : ",\n    {\"name\": ", f);
        first = false;
        export_put_json(f, m->datasets[ds].name);
        fputs(", \"tier\": ", f);
        export_put_json(f, row_tier(mp, ds));
        fputs(", \"effective_tier\": ", f);
        export_put_json(f, row_eff_tier(mp, ds));
        fputs(", \"subjects\": ", f);
        json_words(mp, f, row_subjects(mp, ds, subj, sizeof subj), ',');
        fprintf(f, ", \"status\": \"%s\", \"cells\": {", state_name(mp->row_state));
        for (int32_t c = 0; c < mp->ncols; c++) {
            const struct mcell *ce = &mp->cells[c];
            if (!ce->roles[0])
                continue;
            fputs(cfirst ? "" : ", ", f);
            cfirst = false;
            export_put_json(f, m->regions[mp->cols[c].region].id);
            fputs(": {\"roles\": ", f);
            export_put_json(f, ce->roles);
            fprintf(f, ", \"status\": \"%s\", \"rules\": ", state_name(ce->state));
            json_words(mp, f, ce->rules, ' ');
            fputs("}", f);
        }
        fputs("}}", f);
    }
    fputs(first ? "],\n  \"allowed\": [" : "\n  ],\n  \"allowed\": [", f);
    mp->nomem |= !order;
    nt = order ? tier_order(m, order) : 0;
    for (int32_t i = 0; i < nt; i++) {
        const struct tier *t = &m->tiers[order[i]];
        fputs(i ? ",\n    {\"tier\": " : "\n    {\"tier\": ", f);
        export_put_json(f, t->name);
        fprintf(f, ", \"scope\": \"%s\", \"backup_scope\": \"%s\", \"by_regime\": {",
                scope_names[t->scope], scope_names[t->backup_scope]);
        for (int32_t s = 0; s < nsc; s++) {
            fputs(s ? ", " : "", f);
            export_put_json(f, sc[s].name);
            fputs(": {\"copies\": ", f);
            allowed_json(mp, f, t, t->scope, sc[s].rg);
            fputs(", \"backups\": ", f);
            allowed_json(mp, f, t, t->backup_scope, sc[s].rg);
            fputs("}", f);
        }
        fputs("}}", f);
    }
    fputs(nt ? "\n  ]\n}\n" : "]\n}\n", f);
    free(order);
}

int
export_map(const struct model *m, const struct check_result *r,
           const struct export_opts *o, const char *fmt, FILE *f, struct sm_error *err)
{
    static const struct {
        const char *name;
        void (*write)(struct rmap *, FILE *);
    } writers[] = {
        { "md", write_md }, { "csv", write_csv }, { "html", write_html }, { "json", write_json },
        { "html-fragment", write_html },
    };
    struct rmap mp;
    int rc;

    for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++) {
        if (strcmp(writers[i].name, fmt))
            continue;
        if ((rc = rmap_build(&mp, m, r, o, err)))
            return rc;
        mp.fragment = !strcmp(fmt, "html-fragment");
        writers[i].write(&mp, f);
        rmap_fini(&mp);
        /* the writers go on past a failed allocation (their output is then
         * short of something): the map as a whole fails */
        if (mp.nomem)
            return sm_error_set(err, SM_ENOMEM, "map-%s: out of memory", fmt);
        if (ferror(f))
            return sm_error_set(err, SM_EIO, "map-%s: write error: %s", fmt, strerror(errno));
        return SM_OK;
    }
    return sm_error_set(err, SM_EINVAL, "unknown map format %s", fmt);
}
