/*
 * export_tiers.c - `export tiers-md|tiers-csv`: the tier-to-region mapping
 * an architect signs off. For each tier and each set of (effective)
 * subjects its datasets have, the regions a copy may live in per role,
 * grouped by jurisdiction, with the basis and the law behind it, and the
 * datasets concerned. Every cell is check_where's (check.c) for a dataset
 * not yet modelled of that tier and those subjects (where_scratch), so the
 * mapping says what `sovmap where --tier T --subjects S` says.
 *
 * Deterministic: tiers by rank (highest first) then name, subject sets
 * alphabetically, jurisdiction groups by name, regions by id.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "export.h"
#include "lineage.h"
#include "rules.h"
#include "where.h"

struct combo {
    int32_t tier;
    uint16_t subj[MODEL_MAX_SUBJECTS];
    uint8_t nsubj;
    bool pub;
    char *key;                  /* "EU,BR" (+ " public sector"), on the heap */
    int32_t *ds;                /* datasets with this tier and these subjects */
    int32_t nds, cap;
};

struct tx {
    const struct model *m;
    const struct check_result *r;
    const struct export_opts *o;
    struct combo *cb;
    int32_t ncb, cap;
    const char **groups;        /* distinct jurisdiction groups, sorted */
    int32_t ngroups;
    int32_t *order;             /* regions by (group, id) */
    int32_t norder;
};

static const struct model *cmp_m;
static const struct export_opts *cmp_o;

static const char *
group_of(const struct export_opts *o, const struct model *m, int32_t r)
{
    return export_region_group(o ? o->juris : NULL, m, r);
}

static int
region_cmp(const void *pa, const void *pb)
{
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    int d;

    if ((d = strcmp(group_of(cmp_o, cmp_m, a), group_of(cmp_o, cmp_m, b))))
        return d;
    return strcmp(cmp_m->regions[a].id, cmp_m->regions[b].id);
}

static int
combo_cmp(const void *pa, const void *pb)
{
    const struct combo *a = pa, *b = pb;
    const struct tier *ta = &cmp_m->tiers[a->tier], *tb = &cmp_m->tiers[b->tier];
    int d;

    if (ta->rank != tb->rank)
        return ta->rank > tb->rank ? -1 : 1;
    if ((d = strcmp(ta->name, tb->name)))
        return d;
    return strcmp(a->key, b->key);
}

/* The combos: one per (effective tier, effective subjects, public sector). */
static int
collect(struct tx *x)
{
    const struct lineage *L = x->r->lineage;

    for (int32_t d = 0; d < x->m->ndatasets; d++) {
        const struct dataset *ds = &x->m->datasets[d];
        struct combo c;
        char subj[CHECK_SUBJECTS_MAX];      /* bounded: every subject code once, "EU,BR" */
        int32_t k;

        if (ds->deleted || x->r->eff_tier[d] == SM_NONE)
            continue;
        memset(&c, 0, sizeof c);
        c.tier = x->r->eff_tier[d];
        c.pub = ds->public_sector;
        check_eff_subjects(x->r, d, subj, sizeof subj);
        for (int32_t s = 0; L && s < L->nslots && c.nsubj < MODEL_MAX_SUBJECTS; s++)
            if (lineage_has_subject(L, d, s))
                c.subj[c.nsubj++] = (uint16_t)L->slot_cc[s];
        if (!(c.key = sm_strdupf("%s%s", subj, c.pub ? " public sector" : "")))
            return SM_ENOMEM;
        for (k = 0; k < x->ncb; k++)
            if (x->cb[k].tier == c.tier && strcmp(x->cb[k].key, c.key) == 0)
                break;
        if (k == x->ncb) {
            if (x->ncb == x->cap && sm_grow((void **)&x->cb, &x->cap, x->ncb + 1, sizeof *x->cb)) {
                free(c.key);
                return SM_ENOMEM;
            }
            x->cb[x->ncb++] = c;
        } else {
            free(c.key);
        }
        if (x->cb[k].nds == x->cb[k].cap &&
            sm_grow((void **)&x->cb[k].ds, &x->cb[k].cap, x->cb[k].nds + 1, sizeof *x->cb[k].ds))
            return SM_ENOMEM;
        x->cb[k].ds[x->cb[k].nds++] = d;
    }
    cmp_m = x->m;
    qsort(x->cb, (size_t)x->ncb, sizeof *x->cb, combo_cmp);
    return SM_OK;
}

static int
regions(struct tx *x)
{
    const struct model *m = x->m;

    x->order = malloc(sizeof *x->order * (size_t)(m->nregions + 1));
    x->groups = malloc(sizeof *x->groups * (size_t)(m->nregions + 1));
    if (!x->order || !x->groups)
        return SM_ENOMEM;
    for (int32_t r = 0; r < m->nregions; r++)
        if (!m->regions[r].deleted)
            x->order[x->norder++] = r;
    cmp_m = m;
    cmp_o = x->o;
    qsort(x->order, (size_t)x->norder, sizeof *x->order, region_cmp);
    /* group names live in juris or in a static buffer: keep copies in the
     * model-independent arena of this export (strdup, freed at the end) */
    for (int32_t k = 0; k < x->norder; k++) {
        const char *g = group_of(x->o, m, x->order[k]);
        if (x->ngroups && strcmp(x->groups[x->ngroups - 1], g) == 0)
            continue;
        if (!(x->groups[x->ngroups] = strdup(g)))
            return SM_ENOMEM;
        x->ngroups++;
    }
    return SM_OK;
}

/* The law behind an allowed cell: the adequacy decision, the free-flow
 * area's regime, the mechanism's article, or the tier's own policy; whole,
 * in t (valid until t changes). */
static const char *
law_of(const struct rulepack *rp, const struct where_cell *c, struct sm_text *t)
{
    const struct regime *g = c->regime == SM_NONE ? NULL : &rp->regimes[c->regime];

    if (c->status == WHERE_ST_FORBIDDEN || !g || c->basis == WHERE_B_SCOPE)
        return c->status == WHERE_ST_FORBIDDEN ? "" : "the tier's policy";
    switch (c->basis) {
    case WHERE_B_ADEQUACY:
    case WHERE_B_CONDITION:
    case WHERE_B_DPF:
        for (int32_t k = 0; k < g->nadequacy; k++)
            if (g->adequacy[k].cc == c->cc && g->adequacy[k].instrument &&
                *g->adequacy[k].instrument) {
                sm_text_set(t, "%s: %s", g->id, g->adequacy[k].instrument);
                return sm_text_str(t);
            }
        sm_text_set(t, "%s adequacy", g->id);
        return sm_text_str(t);
    case WHERE_B_MECH:
        sm_text_set(t, "%s: appropriate safeguards (%s)", g->id, mechanism_names[c->mechanism]);
        return sm_text_str(t);
    default:
        if (g->transfer == XFER_RULE_CONDITIONAL)
            sm_text_set(t, "%s: free flow within %s%s", g->id, g->area_bloc ? "the " : "", g->area);
        else
            sm_text_set(t, "%s restricts no transfer there", g->id);
        return sm_text_str(t);
    }
}

static const struct where_cell *
cell_of(const struct where_result *w, int role, int32_t r)
{
    return &w->cells[(size_t)role * (size_t)w->nregions + (size_t)r];
}

/* ---- Markdown ------------------------------------------------------------ */

/* Add s to a "; "-separated list of distinct items (at most 3, then "…"),
 * each whole. */
static void
add_item(struct sm_text *t, int *n, const char *s)
{
    if (!*s || (t->s && strstr(t->s, s)) || *n > 3)
        return;
    if (*n == 3)
        sm_text_set(t, "%s; …", sm_text_str(t));
    else
        sm_text_set(t, "%s%s%s", sm_text_str(t), *n ? "; " : "", s);
    (*n)++;
}

/* A role's cell for the regions order[g0..g1) of one group, into out
 * (whole: the region ids of any length). */
static void
role_cell(const struct tx *x, const struct where_result *w, int role, int32_t g0, int32_t g1,
          const char *relative, struct sm_text *out)
{
    int32_t total = g1 - g0, allowed = 0, mech = 0;
    int mechanism = MECH_NONE;
    struct sm_text list = { 0 };

    for (int32_t i = g0; i < g1; i++) {
        const struct where_cell *c = cell_of(w, role, x->order[i]);
        if (c->status == WHERE_ST_ALLOWED) {
            allowed++;
            if (allowed <= 6)
                sm_text_add(&list, "%s%s", allowed > 1 ? ", " : "",
                            x->m->regions[x->order[i]].id);
        } else if (c->status == WHERE_ST_MECHANISM) {
            mech++;
            mechanism = c->mechanism;
        }
    }
    out->oom |= list.oom;
    if (relative && (allowed || mech))
        sm_text_set(out, "%s", relative);
    else if (!allowed && !mech)
        sm_text_set(out, "—");
    else if (allowed == total)
        sm_text_set(out, "all %d", (int)total);
    else if (allowed && allowed <= 6)
        sm_text_set(out, "%s", sm_text_str(&list));
    else if (allowed)
        sm_text_set(out, "%d of %d", (int)allowed, (int)total);
    else
        sm_text_set(out, "%s", "");
    if (mech && !relative)
        sm_text_add(out, "%swith %s: %d", allowed ? "; " : "", mechanism_names[mechanism],
                    (int)mech);
    free(list.s);
}

static const char *
relative_scope(int scope)
{
    return scope == SCOPE_REGION ? "the primary's region" :
        scope == SCOPE_COUNTRY ? "the primary's country" : NULL;
}

/* How the sections are written: text (the TUI), Markdown, or HTML (the
 * review pack's section, export_review.c). */
enum { TX_TEXT, TX_MD, TX_HTML };

/* Characters (not continuation bytes) in the first n bytes of s. */
static size_t
utf8_chars(const char *s, size_t n)
{
    size_t c = 0;

    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xc0) != 0x80;
    return c;
}

/* One table cell: Markdown- or HTML-escaped, or as is padded to width (text). */
static void
put_cell(FILE *f, int style, const char *s, int width)
{
    if (style == TX_HTML) {
        fputs("<td>", f);
        export_put_html(f, s);
        fputs("</td>", f);
        return;
    }
    if (style == TX_MD) {
        fputs(" | ", f);
        export_put_md(f, s);
        return;
    }
    fputs(s, f);
    if (width > 0) {
        int n = 0;
        for (const unsigned char *p = (const unsigned char *)s; *p; p++)
            n += (*p & 0xc0) != 0x80;     /* columns of plain text */
        fprintf(f, "%*s", n < width ? width - n : 1, "");
    }
}

static void
md_combo(FILE *f, const struct tx *x, const struct combo *cb, const struct where_result *w,
         int style)
{
    const struct tier *T = &x->m->tiers[cb->tier];
    bool md = style == TX_MD;

    if (style == TX_HTML) {
        fputs("<h4>", f);
        export_put_html(f, *cb->key ? cb->key : "no");
        fprintf(f, " subjects (%d dataset%s)</h4>\n<p>Datasets: ", (int)cb->nds,
                cb->nds == 1 ? "" : "s");
        for (int32_t k = 0; k < cb->nds; k++) {
            if (k)
                fputs(", ", f);
            export_put_html(f, x->m->datasets[cb->ds[k]].name);
        }
        fputs(".</p>\n<table class=\"tiers\"><tr><th>jurisdiction</th><th>primary</th>"
              "<th>replicas</th><th>backup, dr, archive</th><th>keys</th><th>copies now</th>"
              "<th>basis</th><th>law</th></tr>\n", f);
    }
    fputs(style == TX_HTML ? "" : md ? "\n### " : "\n  ", f);
    if (md)
        export_put_md(f, *cb->key ? cb->key : "no");
    else if (style == TX_TEXT)
        fputs(*cb->key ? cb->key : "no", f);
    if (style != TX_HTML) {
        fprintf(f, " subjects (%d dataset%s)\n%s", (int)cb->nds, cb->nds == 1 ? "" : "s",
                md ? "\n" : "");
        fputs(md ? "Datasets: " : "  datasets: ", f);
    }
    for (int32_t k = 0; style != TX_HTML && k < cb->nds; k++) {
        if (k)
            fputs(", ", f);
        if (md)
            export_put_md(f, x->m->datasets[cb->ds[k]].name);
        else
            fputs(x->m->datasets[cb->ds[k]].name, f);
    }
    if (md)
        fputs(".\n\n| jurisdiction | primary | replicas | backup, dr, archive | keys | copies now "
              "| basis | law |\n|---|---|---|---|---|---|---|---|\n", f);
    else if (style == TX_TEXT)
        fprintf(f, "\n  %-26s%-16s%-16s%-16s%-16s%-7s%s\n", "jurisdiction", "primary", "replicas",
                "backups", "keys", "copies", "basis");
    for (int32_t g = 0, k0 = 0; g < x->ngroups; g++) {
        int32_t k1 = k0, copies = 0;
        struct sm_text basis = { 0 }, law = { 0 }, lb = { 0 };
        struct sm_text cell = { 0 };
        char num[16];           /* bounded: an int32 in decimal and "!" */
        const char *glabel;
        uint32_t rules = 0;
        int nb = 0, nl = 0;
        bool any = false;
        while (k1 < x->norder && strcmp(group_of(x->o, x->m, x->order[k1]), x->groups[g]) == 0)
            k1++;
        for (int32_t k = k0; k < k1; k++)
            for (int role = 0; role < WHERE_ROLE_COUNT; role++) {
                const struct where_cell *c = cell_of(w, role, x->order[k]);
                if (role == WHERE_KEY)
                    continue;
                if (c->status == WHERE_ST_FORBIDDEN) {
                    rules |= c->rules;
                    continue;
                }
                any = true;
                add_item(&basis, &nb, c->detail);
                add_item(&law, &nl, law_of(x->r->rp, c, &lb));
            }
        if (!any) {
            int nr = 0;
            /* forbidden for every copy: the rules that exclude it, all of them */
            for (int i = 0; i < RULE_COUNT; i++)
                if (rules & (1u << i)) {
                    sm_text_set(&basis, "%s%s%s", nr ? sm_text_str(&basis) : "forbidden: ",
                           nr ? ", " : "", rule_names[i]);
                    nr++;
                }
        }
        /* the copies of these datasets in the group now */
        for (int32_t k = 0; k < cb->nds; k++)
            for (int32_t p = x->m->datasets[cb->ds[k]].first_placement; p != SM_NONE;
                 p = x->m->placements[p].next)
                if (!x->m->placements[p].deleted &&
                    strcmp(group_of(x->o, x->m, x->m->placements[p].region), x->groups[g]) == 0)
                    copies++;
        if (style == TX_TEXT && !any && !copies) {
            k0 = k1;            /* text: only where a copy may or does live */
            free(basis.s);
            free(law.s);
            free(lb.s);
            continue;
        }
        glabel = export_group_label(x->o ? x->o->juris : NULL, x->groups[g]);
        if (style == TX_HTML) {
            fprintf(f, "<tr%s>", !any && copies ? " class=\"forbidden\"" : "");
            put_cell(f, style, glabel, 0);
        } else if (md) {
            fputs("| ", f);
            export_put_md(f, glabel);
        } else {
            /* the text table's column: 25 bytes at most, cut between
             * characters (the html and markdown tables show it whole) */
            size_t n = strlen(glabel);
            if (n > 25)
                for (n = 25; n > 0 && ((unsigned char)glabel[n] & 0xc0) == 0x80; n--)
                    ;
            fputs("  ", f);
            fwrite(glabel, 1, n, f);
            fprintf(f, "%*s", 26 - (int)utf8_chars(glabel, n), "");
        }
        role_cell(x, w, WHERE_PRIMARY, k0, k1, NULL, &cell);
        put_cell(f, style, sm_text_str(&cell), 16);
        role_cell(x, w, WHERE_REPLICA, k0, k1, relative_scope(T->scope), &cell);
        put_cell(f, style, sm_text_str(&cell), 16);
        role_cell(x, w, WHERE_BACKUP, k0, k1, relative_scope(T->backup_scope), &cell);
        put_cell(f, style, sm_text_str(&cell), 16);
        role_cell(x, w, WHERE_KEY, k0, k1, relative_scope(T->key_scope), &cell);
        put_cell(f, style, sm_text_str(&cell), 16);
        snprintf(num, sizeof num, "%d%s", (int)copies, !any && copies ? "!" : "");
        put_cell(f, style, num, 7);
        put_cell(f, style, sm_text_str(&basis), 0);
        if (style != TX_TEXT)
            put_cell(f, style, sm_text_str(&law), 0);
        free(basis.s);
        free(law.s);
        free(lb.s);
        free(cell.s);
        fputs(style == TX_HTML ? "</tr>\n" : md ? " |\n" : "\n", f);
        k0 = k1;
    }
    if (style == TX_HTML)
        fputs("</table>\n", f);
}

/* ---- CSV ------------------------------------------------------------------ */

static void
csv_combo(FILE *f, const struct tx *x, const struct combo *cb, const struct where_result *w)
{
    const struct tier *T = &x->m->tiers[cb->tier];
    struct sm_text lb = { 0 };
    char nds[16];               /* bounded: an int32 in decimal */

    snprintf(nds, sizeof nds, "%d", (int)cb->nds);
    for (int role = 0; role < WHERE_ROLE_COUNT; role++)
        for (int32_t k = 0; k < x->norder; k++) {
            int32_t r = x->order[k];
            const struct where_cell *c = cell_of(w, role, r);
            export_put_csv(f, T->name);
            fputc(',', f);
            export_put_csv(f, cb->key);
            fprintf(f, ",%s,%s,", cb->pub ? "yes" : "no", where_role_names[role]);
            export_put_csv(f, group_of(x->o, x->m, r));
            fputc(',', f);
            export_put_csv(f, x->m->regions[r].id);
            fprintf(f, ",%s,%s,%s,", where_status_names[c->status], where_basis_names[c->basis],
                    c->status == WHERE_ST_MECHANISM ? mechanism_names[c->mechanism] : "");
            export_put_csv(f, c->detail);
            fputc(',', f);
            export_put_csv(f, law_of(x->r->rp, c, &lb));
            {
                int32_t copies = 0;
                for (int32_t d = 0; d < cb->nds; d++)
                    for (int32_t p = x->m->datasets[cb->ds[d]].first_placement; p != SM_NONE;
                         p = x->m->placements[p].next)
                        copies += !x->m->placements[p].deleted && x->m->placements[p].region == r;
                fprintf(f, ",%s,%d\n", nds, (int)copies);
            }
        }
    free(lb.s);
}

/* ---- entry ------------------------------------------------------------------ */

int
export_tiers(const struct model *m, const struct check_result *r, const struct export_opts *o,
             const char *fmt, FILE *f, struct sm_error *err)
{
    struct tx x;
    int rc = SM_ENOMEM;
    bool md = strcmp(fmt, "md") == 0, text = strcmp(fmt, "text") == 0;
    bool html = strcmp(fmt, "html-fragment") == 0;
    int style = html ? TX_HTML : md ? TX_MD : TX_TEXT;
    int32_t only = SM_NONE;

    memset(&x, 0, sizeof x);
    x.m = m;
    x.r = r;
    x.o = o;
    if (!r || !r->rp)
        return sm_error_set(err, SM_EINVAL, "export tiers: the model must be checked first");
    if (o && o->tier && (only = model_tier(m, o->tier)) == SM_NONE)
        return sm_error_set(err, SM_ENOTFOUND, "unknown tier %s", o->tier);
    if (collect(&x) || regions(&x))
        goto out;
    if (only != SM_NONE) {     /* --tier: that tier's combos only */
        int32_t n = 0;
        for (int32_t k = 0; k < x.ncb; k++) {
            if (x.cb[k].tier == only) {
                x.cb[n++] = x.cb[k];
            } else {
                free(x.cb[k].ds);
                free(x.cb[k].key);
            }
        }
        x.ncb = n;
    }
    if (text) {
        fputs("Where copies may live (sovmap where --tier T --subjects S): per jurisdiction, the\n"
              "regions allowed per role, \"with dpf: N\" only once a mechanism is declared,\n"
              "\"copies\" the copies there now (\"!\" where none may be).\n", f);
    } else if (html) {
        fputs("<h2 id=\"tiers\">Tier-to-region mapping</h2>\n<p class=\"meta\">Rule pack ", f);
        export_put_html(f, r->rp->name ? r->rp->name : "");
        fputs(". Per tier and set of subjects, the regions a copy may live in per role, by "
              "jurisdiction (what <code>sovmap where --tier T --subjects S</code> answers; "
              "<code>export tiers-md</code> has the same tables); &ldquo;with dpf: N&rdquo; "
              "counts regions allowed once that mechanism is declared; &ldquo;copies now&rdquo; "
              "the copies there today, &ldquo;!&rdquo; where none may be.</p>\n", f);
    } else if (md) {
        fprintf(f, "# Tier-to-region mapping\n\nRule pack ");
        export_put_md(f, r->rp->name ? r->rp->name : "");
        fputs(". Each cell is what `sovmap where --tier T --subjects S` answers: a region is "
              "allowed when a new copy there, with no mechanism, gets no RES001-RES005, XFR001, "
              "XFR002 or ENC002 finding; \"with dpf: N\" counts regions allowed once the copy "
              "or its flow declares that mechanism; \"copies now\" counts the copies of those datasets there "
              "today, with \"!\" where no copy may be. Replicas, backups and keys of tiers whose "
              "scope is the primary's region or country follow the primary.\n", f);
    } else {
        fputs("tier,subjects,public_sector,role,jurisdiction,region,status,basis,mechanism,"
              "detail,law,datasets,copies_now\n", f);
    }
    for (int32_t k = 0; k < x.ncb; k++) {
        const struct combo *cb = &x.cb[k];
        const struct tier *T = &m->tiers[cb->tier];
        struct model *scratch = NULL;
        struct where_result *w = NULL;
        int32_t nd;

        if ((rc = where_scratch(m, cb->tier, cb->subj, cb->nsubj, cb->pub, &scratch, &nd, err)) ||
            (rc = check_where(scratch, r->rp, r->today, nd, &w, err))) {
            model_free(scratch);
            goto out;
        }
        if (html && (k == 0 || x.cb[k - 1].tier != cb->tier)) {
            fputs("<h3>", f);
            export_put_html(f, T->name);
            fprintf(f, "</h3>\n<p>Rank %d; scope %s, backup scope %s, key scope %s; %s; %s.",
                    (int)T->rank, scope_names[T->scope], scope_names[T->backup_scope],
                    scope_names[T->key_scope],
                    T->encryption_at_rest ? "encrypted at rest" : "no encryption required",
                    T->personal ? "personal data" : "not personal data");
            for (uint32_t i = 0; T->scope == SCOPE_APPROVED && i < T->approved.n; i++) {
                fputs(i ? ", " : " Approved regions: ", f);
                export_put_html(f, T->approved.v[i]);
            }
            fputs("</p>\n", f);
        }
        if (html) {
            md_combo(f, &x, cb, w, style);
        } else if (md || text) {
            if (k == 0 || x.cb[k - 1].tier != cb->tier) {
                fputs(md ? "\n## " : "\ntier ", f);
                if (md)
                    export_put_md(f, T->name);
                else
                    fputs(T->name, f);
                fprintf(f, "\n\nRank %d; scope %s, backup scope %s, key scope %s; %s; %s.",
                        (int)T->rank, scope_names[T->scope], scope_names[T->backup_scope],
                        scope_names[T->key_scope],
                        T->encryption_at_rest ? "encrypted at rest" : "no encryption required",
                        T->personal ? "personal data" : "not personal data");
                if (T->scope == SCOPE_APPROVED) {
                    fputs(" Approved regions: ", f);
                    for (uint32_t i = 0; i < T->approved.n; i++) {
                        if (i)
                            fputs(", ", f);
                        if (md)
                            export_put_md(f, T->approved.v[i]);
                        else
                            fputs(T->approved.v[i], f);
                    }
                    fputc('.', f);
                }
                fputc('\n', f);
            }
            md_combo(f, &x, cb, w, style);
        } else {
            csv_combo(f, &x, cb, w);
        }
        check_where_free(w);
        model_free(scratch);
    }
    if (text && only != SM_NONE && x.ncb == 0) {
        fputs("\ntier ", f);
        fputs(m->tiers[only].name, f);
        fputs(": no dataset uses it; sovmap where --tier NAME --subjects S shows its regions\n", f);
    }
    if (md || html) {
        bool head = false;
        for (int32_t t = 0; t < m->ntiers; t++) {
            bool used = false;
            if (m->tiers[t].deleted || (only != SM_NONE && t != only))
                continue;
            for (int32_t k = 0; k < x.ncb && !used; k++)
                used = x.cb[k].tier == t;
            if (used)
                continue;
            if (!head)
                fputs(html ? "<h3>Tiers no dataset uses</h3>\n<ul>\n"
                           : "\n## Tiers no dataset uses\n\n", f);
            head = true;
            if (html) {
                fputs("<li>", f);
                export_put_html(f, m->tiers[t].name);
                fputs("</li>\n", f);
                continue;
            }
            fputs("- ", f);
            export_put_md(f, m->tiers[t].name);
            fputs(" (`sovmap where --tier ", f);
            export_put_md(f, m->tiers[t].name);
            fputs(" --subjects S` shows its regions)\n", f);
        }
        if (html && head)
            fputs("</ul>\n", f);
    }
    rc = SM_OK;
out:
    for (int32_t k = 0; k < x.ncb; k++) {
        free(x.cb[k].ds);
        free(x.cb[k].key);
    }
    free(x.cb);
    for (int32_t g = 0; g < x.ngroups; g++)
        free((void *)x.groups[g]);
    free(x.groups);
    free(x.order);
    if (rc == SM_ENOMEM)
        return sm_error_set(err, SM_ENOMEM, "export tiers: out of memory");
    return rc;
}

/* ---- the matrix as data (the TUI) --------------------------------------------- */

static int
where_role_of(int role)
{
    switch (role) {
    case ROLE_PRIMARY: return WHERE_PRIMARY;
    case ROLE_BACKUP: case ROLE_DR: case ROLE_ARCHIVE: return WHERE_BACKUP;
    default: return WHERE_REPLICA;
    }
}

/* The rules in bits, "RES001, XFR002", into the arena. */
static const char *
rules_text(struct sm_arena *a, uint32_t rules)
{
    struct sm_text t = { 0 };
    const char *s;

    for (int i = 0; i < RULE_COUNT; i++)
        if (rules & (1u << i))
            sm_text_add(&t, "%s%s", t.s ? ", " : "", rule_names[i]);
    s = t.oom ? NULL : sm_arena_strdup(a, sm_text_str(&t));
    free(t.s);
    return s;
}

/* One row's cells and copies: w is check_where's answer for the row. */
static int
matrix_row(struct tier_matrix *mx, const struct tx *x, const struct combo *cb,
           const struct where_result *w, int32_t row, int32_t *capc)
{
    const struct model *m = x->m;
    struct sm_text lb = { 0 };       /* law_of's text */

    for (int32_t g = 0, k0 = 0; g < x->ngroups; g++) {
        struct tier_matrix_cell *c = &mx->cells[(size_t)row * (size_t)mx->ncols + (size_t)g];
        int32_t k1 = k0;

        while (k1 < x->norder && strcmp(group_of(x->o, m, x->order[k1]), x->groups[g]) == 0)
            k1++;
        c->status = WHERE_ST_FORBIDDEN;
        c->nregions = k1 - k0;
        for (int32_t k = k0; k < k1; k++) {
            const struct where_cell *wc = cell_of(w, WHERE_PRIMARY, x->order[k]);
            c->allowed += wc->status == WHERE_ST_ALLOWED;
            c->mechanism += wc->status == WHERE_ST_MECHANISM;
            if (wc->status < c->status)
                c->status = wc->status;
        }
        c->first = mx->ncopies;
        for (int32_t d = 0; d < cb->nds; d++)
            for (int32_t p = m->datasets[cb->ds[d]].first_placement; p != SM_NONE;
                 p = m->placements[p].next) {
                const struct placement *pl = &m->placements[p];
                const struct where_cell *wc;
                struct tier_matrix_copy *cp;
                if (pl->deleted || pl->region == SM_NONE ||
                    strcmp(group_of(x->o, m, pl->region), x->groups[g]) != 0)
                    continue;
                if (mx->ncopies == *capc &&
                    sm_grow((void **)&mx->copies, capc, mx->ncopies + 1, sizeof *mx->copies)) {
                    free(lb.s);
                    return SM_ENOMEM;
                }
                wc = cell_of(w, where_role_of(pl->role), pl->region);
                cp = &mx->copies[mx->ncopies++];
                cp->placement = p;
                cp->dataset = pl->dataset;
                cp->region = pl->region;
                cp->status = wc->status;
                cp->role = role_names[pl->role];
                cp->basis = sm_arena_strdup(&mx->arena, wc->detail ? wc->detail : "");
                cp->law = wc->status == WHERE_ST_FORBIDDEN
                              ? rules_text(&mx->arena, wc->rules)
                              : sm_arena_strdup(&mx->arena, law_of(x->r->rp, wc, &lb));
                if (!cp->basis || !cp->law || lb.oom) {
                    free(lb.s);
                    return SM_ENOMEM;
                }
            }
        c->ncopies = mx->ncopies - c->first;
        k0 = k1;
    }
    free(lb.s);
    return SM_OK;
}

void
tier_matrix_free(struct tier_matrix *mx)
{
    if (!mx)
        return;
    free(mx->copies);
    free(mx->cells);
    sm_arena_fini(&mx->arena);
    free(mx);
}

const struct tier_matrix_cell *
tier_matrix_cell(const struct tier_matrix *mx, int32_t row, int32_t col)
{
    if (!mx || row < 0 || row >= mx->nrows || col < 0 || col >= mx->ncols)
        return NULL;
    return &mx->cells[(size_t)row * (size_t)mx->ncols + (size_t)col];
}

int
tier_matrix_build(const struct model *m, const struct check_result *r,
                  const struct export_opts *o, struct tier_matrix **out, struct sm_error *err)
{
    struct tx x;
    struct tier_matrix *mx;
    int rc = SM_ENOMEM;
    int32_t capc = 0;

    if (!r || !r->rp)
        return sm_error_set(err, SM_EINVAL, "tier matrix: the model must be checked first");
    if (!(mx = calloc(1, sizeof *mx)))
        return sm_error_set(err, SM_ENOMEM, "tier matrix: out of memory");
    sm_arena_init(&mx->arena);
    memset(&x, 0, sizeof x);
    x.m = m;
    x.r = r;
    x.o = o;
    if (collect(&x) || regions(&x))
        goto out;
    mx->nrows = x.ncb;
    mx->ncols = x.ngroups;
    mx->rows = sm_arena_alloc(&mx->arena, sizeof *mx->rows * (size_t)(x.ncb + 1));
    mx->cols = sm_arena_alloc(&mx->arena, sizeof *mx->cols * (size_t)(x.ngroups + 1));
    mx->col_ids = sm_arena_alloc(&mx->arena, sizeof *mx->col_ids * (size_t)(x.ngroups + 1));
    mx->cells = calloc((size_t)x.ncb * (size_t)x.ngroups + 1, sizeof *mx->cells);
    if (!mx->rows || !mx->cols || !mx->col_ids || !mx->cells)
        goto out;
    for (int32_t g = 0; g < x.ngroups; g++) {
        const char *label = export_group_label(o ? o->juris : NULL, x.groups[g]);
        if (!(mx->cols[g] = sm_arena_strdup(&mx->arena, label)) ||
            !(mx->col_ids[g] = sm_arena_strdup(&mx->arena, x.groups[g])))
            goto out;
    }
    for (int32_t k = 0; k < x.ncb; k++) {
        const struct combo *cb = &x.cb[k];
        struct tier_matrix_row *row = &mx->rows[k];
        struct model *scratch = NULL;
        struct where_result *w = NULL;
        int32_t nd, *ds;

        row->tier = cb->tier;
        row->subjects = sm_arena_strdup(&mx->arena, cb->key);
        ds = sm_arena_alloc(&mx->arena, sizeof *ds * (size_t)(cb->nds + 1));
        if (!row->subjects || !ds)
            goto out;
        memcpy(ds, cb->ds, sizeof *ds * (size_t)cb->nds);
        row->datasets = ds;
        row->ndatasets = cb->nds;
        if ((rc = where_scratch(m, cb->tier, cb->subj, cb->nsubj, cb->pub, &scratch, &nd, err)) ||
            (rc = check_where(scratch, r->rp, r->today, nd, &w, err))) {
            model_free(scratch);
            goto out;
        }
        rc = matrix_row(mx, &x, cb, w, k, &capc);
        check_where_free(w);
        model_free(scratch);
        if (rc)
            goto out;
        rc = SM_ENOMEM;
    }
    rc = SM_OK;
out:
    for (int32_t k = 0; k < x.ncb; k++) {
        free(x.cb[k].ds);
        free(x.cb[k].key);
    }
    free(x.cb);
    for (int32_t g = 0; g < x.ngroups; g++)
        free((void *)x.groups[g]);
    free(x.groups);
    free(x.order);
    if (rc != SM_OK) {
        tier_matrix_free(mx);
        if (rc == SM_ENOMEM)
            return sm_error_set(err, SM_ENOMEM, "tier matrix: out of memory");
        return rc;
    }
    *out = mx;
    return SM_OK;
}
