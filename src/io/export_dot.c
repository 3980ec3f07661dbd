/*
 * export_dot.c - the data-flow diagram through Graphviz cgraph + gvc, in
 * process: clusters per jurisdiction group holding clusters per region,
 * placements as nodes, flows and implicit replications as edges, a legend;
 * the region summary (counts on regions, counted edges); the focus view.
 *
 * Designed around dot's limits (doc/exports.md): only violating and waived
 * edges carry labels (the rest carry tooltips), the full view refuses
 * graphs above a measured size instead of hanging, and every layout is
 * checked: an error from Graphviz or an edge without a spline fails the
 * export rather than shipping a diagram that lost an edge.
 *
 * Reads the model and the check result only. Output is deterministic:
 * objects are created in name order and no time is written unless asked.
 */
#include "export_priv.h"
#include "scenario.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

/* ---- look ------------------------------------------------------------------------- */

#define LABEL_COLUMNS 60
#define C_RED       "#d00000"
#define C_RED_FILL  "#ffe4e4"
#define C_MUTED     "#9aa5b1"
#define C_MUTED_FILL "#f1f3f5"
#define C_OK        "#3b4754"
#define C_EDGE      "#8a939c"
#define C_FONT      "Helvetica"

/* Tier shapes, most sensitive (highest rank) first; unclassified: note. */
static const char *const tier_shapes[] = {
    "box", "ellipse", "hexagon", "octagon", "house", "parallelogram", "trapezium",
};
#define NSHAPES (int)(sizeof tier_shapes / sizeof tier_shapes[0])
#define SHAPE_UNCLASSIFIED "note"

struct state_look {
    const char *color, *fill, *font, *penwidth;
};

static const struct state_look looks[] = {
    [XS_OK]        = { C_OK,    "white",       "black",  "1" },
    [XS_WAIVED]    = { C_MUTED, C_MUTED_FILL,  "#5f6b76", "1" },
    [XS_VIOLATION] = { C_RED,   C_RED_FILL,    C_RED,    "2.5" },
};

/* ---- builder ------------------------------------------------------------------------ */

enum {
    GA_LABEL, GA_COLOR, GA_STYLE, GA_FILL, GA_FONTCOLOR, GA_TOOLTIP, GA_COUNT
};
enum {
    NA_LABEL, NA_SHAPE, NA_COLOR, NA_FILL, NA_FONTCOLOR, NA_PENWIDTH, NA_TOOLTIP,
    NA_STYLE, NA_WIDTH, NA_HEIGHT, NA_COUNT
};
enum {
    EA_LABEL, EA_XLABEL, EA_COLOR, EA_FONTCOLOR, EA_STYLE, EA_PENWIDTH, EA_TOOLTIP,
    EA_ARROWHEAD, EA_WEIGHT, EA_COUNT
};

struct dg {
    const struct model *m;
    const struct export_opts *o;
    struct xindex x;
    struct sm_arena a;
    Agraph_t *g;
    Agsym_t *ga[GA_COUNT], *na[NA_COUNT], *ea[EA_COUNT];
    Agraph_t **rcluster;        /* per region */
    Agraph_t **gcluster;        /* per group index */
    const char **gnames;        /* group names seen, in order */
    int32_t ngroups;
    const char **rgroup;        /* per region: its group name (NULL: not computed) */
    int8_t *tier_shape;         /* per tier: index into tier_shapes */
    bool any_unclassified;
    bool labels_as_xlabels;
    struct export_stats st;
    int32_t ncopies;
    struct idstate *ids;
    const char *summary_note;   /* the region view folded into jurisdictions */
    uint8_t *ds_drawn;          /* full/focus view: per dataset, a copy is drawn */
    const struct check_result *r;
    struct vmark { enum obj_kind kind; int32_t id; int32_t ds; } *marks;
    int32_t nmarks, cap_marks;  /* numbered violations, in drawing order */
};

/* ---- object ids ----------------------------------------------------------------------
 * cgraph's default discipline makes a named object's id the address of its
 * interned name, and keeps subgraphs ordered by id: cluster order (hence the
 * layout and the output) would follow the heap. Ids in creation order make
 * the output byte-identical from run to run. */

struct idstate {
    Agdisc_t disc;              /* first: open() gets &disc */
    Agiddisc_t iddisc;
    struct sm_arena arena;
    struct sm_map ids;          /* name -> index */
    const char **names;         /* index -> name */
    int32_t nnames, cap;
    IDTYPE anon;                /* next odd id */
};

static void *
id_open(Agraph_t *g, Agdisc_t *disc)
{
    (void)g;
    return disc;                /* the idstate begins with its disc */
}

static long
id_map(void *state, int objtype, char *str, IDTYPE *id, int createflag)
{
    struct idstate *st = state;
    int32_t k;
    const char *key;

    (void)objtype;
    if (!str) {
        *id = st->anon;
        st->anon += 2;
        return 1;
    }
    if ((k = sm_map_get(&st->ids, str)) != SM_NONE) {
        *id = (IDTYPE)k * 2;
        return 1;
    }
    if (!createflag)
        return 0;
    if (sm_grow((void **)&st->names, &st->cap, st->nnames + 1, sizeof *st->names) ||
        !(key = sm_arena_strdup(&st->arena, str)) ||
        sm_map_put(&st->ids, key, st->nnames))
        return 0;
    st->names[st->nnames] = key;
    *id = (IDTYPE)st->nnames++ * 2;
    return 1;
}

static long
id_alloc(void *state, int objtype, IDTYPE id)
{
    (void)state;
    (void)objtype;
    (void)id;
    return 0;
}

static void
id_free(void *state, int objtype, IDTYPE id)
{
    (void)state;
    (void)objtype;
    (void)id;
}

static char *
id_print(void *state, int objtype, IDTYPE id)
{
    struct idstate *st = state;

    (void)objtype;
    if (id % 2 == 0 && (int64_t)(id / 2) < st->nnames)
        return (char *)st->names[id / 2];
    return NULL;
}

static void
id_close(void *state)
{
    (void)state;
}

static void
id_register(void *state, int objtype, void *obj)
{
    (void)state;
    (void)objtype;
    (void)obj;
}

static struct idstate *
idstate_new(void)
{
    struct idstate *st = calloc(1, sizeof *st);

    if (!st)
        return NULL;
    st->iddisc = (Agiddisc_t){ id_open, id_map, id_alloc, id_free, id_print, id_close,
                               id_register };
    st->disc = (Agdisc_t){ &AgMemDisc, &st->iddisc, &AgIoDisc };
    sm_arena_init(&st->arena);
    sm_map_init(&st->ids);
    st->anon = 1;
    return st;
}

static void
idstate_free(struct idstate *st)
{
    if (!st)
        return;
    sm_map_fini(&st->ids);
    sm_arena_fini(&st->arena);
    free(st->names);
    free(st);
}

static const char *
dstr(struct dg *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A formatted string in the diagram's arena, whole (labels hold 10 KB
 * names and tables of any length: nothing is cut). */
static const char *
dstr(struct dg *d, const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !(s = sm_arena_alloc(&d->a, (size_t)n + 1)))
        return "";
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* Clean text for a Graphviz escString (labels, tooltips, ids). */
static const char *
dclean(struct dg *d, const char *s)
{
    return xclean(&d->a, s, true);
}

/* Text for an HTML-like Graphviz label: clean UTF-8, & < > " escaped, a
 * line break every LABEL_COLUMNS characters. */
static const char *
html_text(struct dg *d, const char *s)
{
    const char *c = dclean(d, s);
    size_t n = 0;
    char *out, *o;

    size_t col = 0;

    for (const char *p = c; *p; p++)
        n += *p == '&' ? 5 : *p == '<' || *p == '>' ? 4 : *p == '"' ? 6 : 1;
    /* room for a <BR/> every LABEL_COLUMNS characters (see wrap_label) */
    if (!(o = out = sm_arena_alloc(&d->a, n + 5 * (n / LABEL_COLUMNS + 1) + 1)))
        return "";
    for (const char *p = c; *p; p++) {
        const char *e = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;"
                      : *p == '"' ? "&quot;" : NULL;
        if (((unsigned char)*p & 0xc0) != 0x80 && col++ >= LABEL_COLUMNS) {
            memcpy(o, "<BR/>", 5);
            o += 5;
            col = 1;
        }
        if (e) {
            memcpy(o, e, strlen(e));
            o += strlen(e);
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

static void
declare(struct dg *d)
{
    static const char *const gn[GA_COUNT] = {
        "label", "color", "style", "fillcolor", "fontcolor", "tooltip"
    };
    static const char *const nn[NA_COUNT] = {
        "label", "shape", "color", "fillcolor", "fontcolor", "penwidth", "tooltip",
        "style", "width", "height"
    };
    static const char *const nd[NA_COUNT] = {
        "\\N", "box", C_OK, "white", "black", "1", "", "filled", "0.75", "0.5"
    };
    static const char *const en[EA_COUNT] = {
        "label", "xlabel", "color", "fontcolor", "style", "penwidth", "tooltip",
        "arrowhead", "weight"
    };
    static const char *const ed[EA_COUNT] = {
        "", "", C_EDGE, C_OK, "solid", "1", "", "normal", "1"
    };

    for (int i = 0; i < GA_COUNT; i++)
        d->ga[i] = agattr(d->g, AGRAPH, (char *)gn[i], "");
    for (int i = 0; i < NA_COUNT; i++)
        d->na[i] = agattr(d->g, AGNODE, (char *)nn[i], (char *)nd[i]);
    for (int i = 0; i < EA_COUNT; i++)
        d->ea[i] = agattr(d->g, AGEDGE, (char *)en[i], (char *)ed[i]);
    agattr(d->g, AGNODE, "fontname", C_FONT);
    agattr(d->g, AGNODE, "fontsize", "10");
    agattr(d->g, AGNODE, "margin", "0.08,0.04");
    agattr(d->g, AGEDGE, "fontname", C_FONT);
    agattr(d->g, AGEDGE, "fontsize", "9");
    agattr(d->g, AGEDGE, "arrowsize", "0.7");
    agattr(d->g, AGRAPH, "fontname", C_FONT);
    agattr(d->g, AGRAPH, "fontsize", "11");
    agattr(d->g, AGRAPH, "labeljust", "l");
    agattr(d->g, AGRAPH, "labelloc", "t");
    agattr(d->g, AGRAPH, "rankdir", "LR");
    agattr(d->g, AGRAPH, "nodesep", "0.18");
    agattr(d->g, AGRAPH, "ranksep", "0.55");
    agattr(d->g, AGRAPH, "outputorder", "edgesfirst");
    agattr(d->g, AGRAPH, "forcelabels", "true");
    agattr(d->g, AGRAPH, "pad", "0.2");
}

static const char *wrap_label(struct dg *d, const char *v);

static void
gset(struct dg *d, Agraph_t *sg, int a, const char *v)
{
    if (a == GA_LABEL)
        v = wrap_label(d, v);
    agxset(sg, d->ga[a], (char *)v);
}

/* Labels wrap at LABEL_COLUMNS characters: a 10 KB name stays whole (the
 * label holds every byte) but makes a tall node, not a page 50 m wide that
 * the size check would refuse. Escapes (\\n, \\\\) are never split. */

static const char *
wrap_label(struct dg *d, const char *v)
{
    size_t n = strlen(v), col = 0, at = 0, longest = 0;
    char *out;

    for (size_t i = 0; i < n; i++) {
        if (v[i] == '\\' && i + 1 < n) {
            col = v[i + 1] == 'n' || v[i + 1] == 'l' || v[i + 1] == 'r' ? 0 : col + 1;
            i++;
        } else if (((unsigned char)v[i] & 0xc0) != 0x80) {
            col++;
        }
        if (col > longest)
            longest = col;
    }
    if (longest <= LABEL_COLUMNS)
        return v;
    if (!(out = sm_arena_alloc(&d->a, n + 2 * (n / LABEL_COLUMNS + 1) + 1)))
        return v;
    col = 0;
    for (size_t i = 0; i < n; i++) {
        bool esc = v[i] == '\\' && i + 1 < n;
        bool lead = ((unsigned char)v[i] & 0xc0) != 0x80;

        if ((esc || lead) && col >= LABEL_COLUMNS &&
            !(esc && (v[i + 1] == 'n' || v[i + 1] == 'l' || v[i + 1] == 'r'))) {
            out[at++] = '\\';
            out[at++] = 'n';
            col = 0;
        }
        out[at++] = v[i];
        if (esc) {
            out[at++] = v[++i];
            col = v[i] == 'n' || v[i] == 'l' || v[i] == 'r' ? 0 : col + 1;
        } else if (lead) {
            col++;
        }
    }
    out[at] = '\0';
    return out;
}

static void
nset(struct dg *d, Agnode_t *n, int a, const char *v)
{
    if (a == NA_LABEL && !aghtmlstr((char *)v))
        v = wrap_label(d, v);
    agxset(n, d->na[a], (char *)v);
}

static void
eset(struct dg *d, Agedge_t *e, int a, const char *v)
{
    if (a == EA_LABEL || a == EA_XLABEL)
        v = wrap_label(d, v);
    agxset(e, d->ea[a], (char *)v);
}

static int
dg_init(struct dg *d, const struct model *m, const struct check_result *r,
        const struct export_opts *o, const char *title, struct sm_error *err)
{
    static Agdesc_t desc = { .directed = 1, .strict = 0, .no_loop = 0, .maingraph = 1 };
    int32_t *order, n = 0;
    int rc;

    memset(d, 0, sizeof *d);
    d->m = m;
    d->o = o;
    d->r = r;
    sm_arena_init(&d->a);
    if ((rc = xindex_build(m, r, &d->x, err)))
        return rc;
    d->rcluster = calloc((size_t)m->nregions + 1, sizeof *d->rcluster);
    d->rgroup = calloc((size_t)m->nregions + 1, sizeof *d->rgroup);
    d->gcluster = calloc((size_t)m->nregions + 2, sizeof *d->gcluster);
    d->gnames = calloc((size_t)m->nregions + 2, sizeof *d->gnames);
    d->tier_shape = calloc((size_t)m->ntiers + 1, 1);
    order = calloc((size_t)m->ntiers + 1, sizeof *order);
    if (!d->rcluster || !d->rgroup || !d->gcluster || !d->gnames || !d->tier_shape || !order) {
        free(order);
        return sm_error_set(err, SM_ENOMEM, "diagram: out of memory");
    }
    /* Shapes by rank, highest first; ties by name. */
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
    for (int32_t i = 0; i < n; i++)
        d->tier_shape[order[i]] = (int8_t)(i < NSHAPES ? i : NSHAPES - 1);
    free(order);
    if (!(d->ids = idstate_new()) || !(d->g = agopen("sovmap", desc, &d->ids->disc)))
        return sm_error_set(err, SM_ENOMEM, "diagram: graphviz could not open a graph");
    declare(d);
    gset(d, d->g, GA_LABEL, title);
    return SM_OK;
}

static void
dg_fini(struct dg *d)
{
    if (d->g)
        agclose(d->g);
    idstate_free(d->ids);
    free(d->rcluster);
    free(d->rgroup);
    free(d->gcluster);
    free(d->gnames);
    free(d->tier_shape);
    free(d->ds_drawn);
    free(d->marks);
    xindex_fini(&d->x);
    sm_arena_fini(&d->a);
}

static const char *
region_group(struct dg *d, int32_t region)
{
    if (!d->rgroup[region])
        d->rgroup[region] = export_region_group(d->o->juris, d->m, region);
    return d->rgroup[region];
}

static Agraph_t *
group_cluster(struct dg *d, const char *group)
{
    char label[300];
    Agraph_t *sg;
    int32_t i;

    for (i = 0; i < d->ngroups; i++)
        if (!strcmp(d->gnames[i], group))
            return d->gcluster[i];
    export_group_label(d->o->juris, group, label, sizeof label);
    sg = agsubg(d->g, (char *)dstr(d, "cluster_j:%s", dclean(d, group)), 1);
    gset(d, sg, GA_LABEL, dclean(d, label));
    gset(d, sg, GA_STYLE, "rounded");
    gset(d, sg, GA_COLOR, "#6c7a89");
    gset(d, sg, GA_FONTCOLOR, "#2c3e50");
    d->gnames[d->ngroups] = group;
    d->gcluster[d->ngroups++] = sg;
    d->st.clusters++;
    return sg;
}

static Agraph_t *
region_cluster(struct dg *d, int32_t region)
{
    const struct region *rg = &d->m->regions[region];
    Agraph_t *parent, *sg;
    char cc[3];

    if (d->rcluster[region])
        return d->rcluster[region];
    parent = group_cluster(d, region_group(d, region));
    sg = agsubg(parent, (char *)dstr(d, "cluster_r:%s", dclean(d, rg->id)), 1);
    sm_cc_str(rg->country, cc);
    if (rg->global)
        gset(d, sg, GA_LABEL, dstr(d, "%s\\nany country", dclean(d, rg->id)));
    else if (rg->country == SM_NONE)
        gset(d, sg, GA_LABEL, dstr(d, "%s\\nmulti-region", dclean(d, rg->id)));
    else
        gset(d, sg, GA_LABEL, dstr(d, "%s\\n%s%s%s", dclean(d, rg->id),
                                   *rg->city ? dclean(d, rg->city) : "",
                                   *rg->city ? ", " : "", cc));
    gset(d, sg, GA_STYLE, "filled");
    gset(d, sg, GA_FILL, "#f7f9fb");
    gset(d, sg, GA_COLOR, "#b8c2cc");
    d->rcluster[region] = sg;
    d->st.clusters++;
    return sg;
}

/* Two regions in different countries (or a multi-region/global on either
 * side that is not the same single country). */
static bool
cross_border(const struct model *m, int32_t ra, int32_t rb)
{
    struct sm_ccset a, b;
    bool ga, gb;

    if (ra == rb)
        return false;
    xregion_countries(m, ra, &a, &ga);
    xregion_countries(m, rb, &b, &gb);
    if (ga || gb)
        return true;
    return !(sm_ccset_count(&a) == 1 && sm_ccset_count(&b) == 1 &&
             sm_ccset_next(&a, 0) == sm_ccset_next(&b, 0));
}

/* ---- layout and rendering ------------------------------------------------------------- */

/* Graphviz reports errors through one process-wide hook; keep the first. */
static char gv_msg[256];
static int gv_nerr;

static int
gv_errf(char *msg)
{
    size_t n;

    if (!gv_nerr++) {
        sm_strlcpy(gv_msg, msg, sizeof gv_msg);
        n = strlen(gv_msg);
        while (n && (gv_msg[n - 1] == '\n' || gv_msg[n - 1] == ' '))
            gv_msg[--n] = '\0';
        if (!strncmp(gv_msg, "Error: ", 7))
            memmove(gv_msg, gv_msg + 7, strlen(gv_msg + 7) + 1);
    }
    return 0;
}

static GVC_t *shared_gvc;

/* Cairo writes the wall-clock time into the PDF's /CreationDate (and
 * ignores SOURCE_DATE_EPOCH here): overwrite its 14 digits in place, same
 * length so the xref offsets stay right, with the stamp date or 1970. */
static void
pdf_fix_dates(char *data, unsigned int len, int32_t day)
{
    static const char *const keys[] = { "/CreationDate (D:", "/ModDate (D:" };
    char digits[16];

    snprintf(digits, sizeof digits, "%08d000000", day > 0 ? (int)day : 19700101);
    for (size_t k = 0; k < 2; k++) {
        size_t kl = strlen(keys[k]);
        for (unsigned int i = 0; i + kl + 14 <= len; i++)
            if (data[i] == '/' && !memcmp(data + i, keys[k], kl)) {
                bool ok = true;
                for (int c = 0; c < 14; c++)
                    ok = ok && data[i + kl + c] >= '0' && data[i + kl + c] <= '9';
                if (ok)
                    memcpy(data + i + kl, digits, 14);
            }
    }
}

/* Graphviz's path router (libpath) prints "triangulation failed" straight
 * to stderr, bypassing agerr: point fd 2 at a temporary file while laying
 * out and read back the first line. */
struct grab {
    int saved;
    FILE *tmp;
    char text[200];
};

static void
stderr_grab(struct grab *g)
{
    g->text[0] = '\0';
    g->saved = -1;
    fflush(stderr);
    if (!(g->tmp = tmpfile()))
        return;
    if ((g->saved = dup(2)) < 0 || dup2(fileno(g->tmp), 2) < 0) {
        if (g->saved >= 0)
            close(g->saved);
        g->saved = -1;
        fclose(g->tmp);
        g->tmp = NULL;
    }
}

static void
stderr_release(struct grab *g)
{
    size_t n;

    if (!g->tmp)
        return;
    fflush(stderr);
    dup2(g->saved, 2);
    close(g->saved);
    rewind(g->tmp);
    n = fread(g->text, 1, sizeof g->text - 1, g->tmp);
    g->text[n] = '\0';
    g->text[strcspn(g->text, "\n")] = '\0';
    fclose(g->tmp);
}

/* ---- Mermaid -----------------------------------------------------------------------------------
 * The same graph, written as a Mermaid flowchart (GitHub and GitLab draw
 * it inline in a pull request): clusters become subgraphs, Graphviz labels
 * become quoted Mermaid labels, red nodes and edges get the `bad` class and
 * a red linkStyle. Mermaid lays it out itself, so no size limit applies
 * beyond the view's own. The legend is left out: the class colours say it. */

/* A Mermaid label: inside "...", with " < > # & and line breaks as entity
 * codes (Mermaid's #quot; form) and Graphviz's \n as <br/>. HTML-like
 * labels (the systems view) become text, a line per table row. */
static void
mm_label(FILE *f, const char *s)
{
    bool html = s && aghtmlstr((char *)s);

    fputc('"', f);
    for (const char *p = s ? s : ""; *p; p++) {
        if (html && *p == '<') {
            const char *end = strchr(p, '>');
            if (!end)
                break;
            if (!strncmp(p, "</TR>", 5) || !strncmp(p, "<BR/>", 5))
                fputs("<br/>", f);
            else if (!strncmp(p, "</TD>", 5))
                fputc(' ', f);
            p = end;
            continue;
        }
        if (html && *p == '&') {
            /* the HTML label's own entities are already escaped text */
            const char *end = strchr(p, ';');
            if (end && end - p < 8) {
                fputc('#', f);
                fwrite(p + 1, 1, (size_t)(end - p), f);
                p = end;
                continue;
            }
        }
        if (!html && p[0] == '\\' && (p[1] == 'n' || p[1] == 'l' || p[1] == 'r')) {
            fputs("<br/>", f);
            p++;
            continue;
        }
        switch (*p) {
        case '"': fputs("#quot;", f); break;
        case '<': fputs("#lt;", f); break;
        case '>': fputs("#gt;", f); break;
        case '#': fputs("#35;", f); break;
        case '&': fputs("#amp;", f); break;
        case '\n': fputs("<br/>", f); break;
        case '`': fputs("#96;", f); break;
        default: fputc(*p, f); break;
        }
    }
    fputc('"', f);
}

static const char *
mm_attr(void *obj, Agsym_t *sym)
{
    return sym ? agxget(obj, sym) : "";
}

static void
mm_cluster(struct dg *d, Agraph_t *g, FILE *f, int depth, int32_t *nsub)
{
    for (Agraph_t *sg = agfstsubg(g); sg; sg = agnxtsubg(sg)) {
        const char *name = agnameof(sg);
        if (!name || strncmp(name, "cluster", 7) || !strcmp(name, "cluster_legend"))
            continue;
        fprintf(f, "%*ssubgraph c%d[", depth * 2, "", (int)(*nsub)++);
        mm_label(f, mm_attr(sg, d->ga[GA_LABEL]));
        fputs("]\n", f);
        mm_cluster(d, sg, f, depth + 1, nsub);
        for (Agnode_t *n = agfstnode(sg); n; n = agnxtnode(sg, n)) {
            bool deeper = false;
            /* a node belongs to the innermost cluster holding it */
            for (Agraph_t *inner = agfstsubg(sg); inner && !deeper; inner = agnxtsubg(inner))
                deeper = agsubnode(inner, n, 0) != NULL;
            if (deeper)
                continue;
            fprintf(f, "%*sn%lld[", depth * 2 + 2, "", (long long)AGSEQ(n));
            mm_label(f, mm_attr(n, d->na[NA_LABEL]));
            fputs("]\n", f);
        }
        fprintf(f, "%*send\n", depth * 2, "");
    }
}

static int
write_mermaid(struct dg *d, FILE *f, struct sm_error *err)
{
    Agraph_t *lg = agsubg(d->g, "cluster_legend", 0);
    int32_t nsub = 0, nedge = 0;
    bool any_bad = false;

    fputs("%% ", f);
    for (const char *p = mm_attr(d->g, d->ga[GA_LABEL]); *p; p++)
        if (p[0] == '\\' && p[1] == 'n') {
            fputs(" / ", f);
            p++;
        } else if (*p != '\n') {
            fputc(*p, f);
        }
    fputs("\nflowchart LR\n", f);
    mm_cluster(d, d->g, f, 1, &nsub);
    /* nodes outside every cluster (none in sovmap's views, kept for safety) */
    for (Agnode_t *n = agfstnode(d->g); n; n = agnxtnode(d->g, n)) {
        bool inside = false;
        for (Agraph_t *sg = agfstsubg(d->g); sg && !inside; sg = agnxtsubg(sg))
            inside = agsubnode(sg, n, 0) != NULL;
        if (inside)
            continue;
        fprintf(f, "  n%lld[", (long long)AGSEQ(n));
        mm_label(f, mm_attr(n, d->na[NA_LABEL]));
        fputs("]\n", f);
    }
    for (Agnode_t *n = agfstnode(d->g); n; n = agnxtnode(d->g, n)) {
        if (lg && agsubnode(lg, n, 0))
            continue;
        for (Agedge_t *e = agfstout(d->g, n); e; e = agnxtout(d->g, e)) {
            const char *lab = mm_attr(e, d->ea[EA_XLABEL]);
            const char *style = mm_attr(e, d->ea[EA_STYLE]);
            bool dashed = strstr(style, "dashed") != NULL;

            if (!*lab)
                lab = mm_attr(e, d->ea[EA_LABEL]);
            fprintf(f, "  n%lld %s", (long long)AGSEQ(agtail(e)), dashed ? "-.->" : "-->");
            if (*lab) {
                fputc('|', f);
                mm_label(f, lab);
                fputc('|', f);
            }
            fprintf(f, " n%lld\n", (long long)AGSEQ(aghead(e)));
            if (!strcmp(mm_attr(e, d->ea[EA_COLOR]), C_RED)) {
                fprintf(f, "  linkStyle %d stroke:%s,stroke-width:2px,color:%s\n", (int)nedge,
                        C_RED, C_RED);
                any_bad = true;
            }
            nedge++;
        }
    }
    for (Agnode_t *n = agfstnode(d->g); n; n = agnxtnode(d->g, n)) {
        if (lg && agsubnode(lg, n, 0))
            continue;
        if (!strcmp(mm_attr(n, d->na[NA_COLOR]), C_RED)) {
            fprintf(f, "  class n%lld bad\n", (long long)AGSEQ(n));
            any_bad = true;
        }
    }
    if (any_bad)
        fprintf(f, "  classDef bad stroke:%s,stroke-width:2px,color:%s,fill:%s\n", C_RED, C_RED,
                C_RED_FILL);
    if (ferror(f))
        return sm_error_set(err, SM_EIO, "mermaid: write error: %s", strerror(errno));
    return SM_OK;
}

/* A diagram nobody can read is not written. After the layout the size is
 * known: a bitmap larger than cairo's 32767 pixels is scaled down by
 * Graphviz (its text with it), and PDF readers refuse pages over 200
 * inches; SVG gets the same printable bound. Scaled below 60 %, or over
 * the page bound, the export is refused with views that work. */
#define BITMAP_MAX_PX 32767.0
#define PAGE_MAX_PT 14400.0
#define MIN_SCALE 0.6

static int
check_size(struct dg *d, const char *fmt, struct sm_error *err)
{
    boxf bb = GD_bb(d->g);
    double w = bb.UR.x - bb.LL.x, h = bb.UR.y - bb.LL.y, scale = 1.0;
    bool bitmap = !strcmp(fmt, "png");

    if (w <= 0 || h <= 0)
        return SM_OK;
    if (bitmap) {
        double pw = w * 96.0 / 72.0, ph = h * 96.0 / 72.0;
        if (pw > BITMAP_MAX_PX)
            scale = BITMAP_MAX_PX / pw;
        if (ph > BITMAP_MAX_PX && BITMAP_MAX_PX / ph < scale)
            scale = BITMAP_MAX_PX / ph;
        if (scale >= MIN_SCALE)
            return SM_OK;
    } else if (w <= PAGE_MAX_PT && h <= PAGE_MAX_PT) {
        return SM_OK;
    }
    d->st.too_big = 1;
    if (bitmap)
        return sm_error_set(err, SM_ELIMIT, "png: the diagram is %.0f x %.0f pt; as a bitmap it "
                            "would be scaled to %d%% and its text unreadable, so nothing was "
                            "written. Use --view %s, --view focus --focus DATASET or a filter "
                            "(--tier, --system, --jurisdiction)", w, h, (int)(scale * 100),
                            d->o->view == EXPORT_VIEW_REGIONS ? "regions with a filter" :
                            "systems, --view regions");
    return sm_error_set(err, SM_ELIMIT, "%s: the diagram is %.0f x %.0f pt (%.1f x %.1f m), more "
                        "than a page can hold (%.0f pt), so nothing was written. Use --view %s, "
                        "--view focus --focus DATASET or a filter (--tier, --system, "
                        "--jurisdiction)", fmt, w, h, w / 72 * 0.0254, h / 72 * 0.0254,
                        PAGE_MAX_PT, d->o->view == EXPORT_VIEW_REGIONS ? "regions with a filter"
                        : "systems, --view regions");
}

static int
render(struct dg *d, const char *fmt, FILE *f, struct sm_error *err)
{
    GVC_t *gvc;
    agusererrf old;
    agerrlevel_t oldlevel;
    char *data = NULL;
    unsigned int len = 0;
    int32_t lost = 0, total = 0;
    struct grab grab;
    int rc = SM_OK, lrc;

    if (!strcmp(fmt, "dot")) {
        if (agwrite(d->g, f) != 0 || ferror(f))
            return sm_error_set(err, SM_EIO, "dot: write error: %s", strerror(errno));
        return SM_OK;
    }
    if (!strcmp(fmt, "mermaid"))
        return write_mermaid(d, f, err);
    /* One context for the process: Graphviz 2.43's pango plugin keeps a
     * pointer into the previous context's font cache, so freeing a context
     * and making another reads freed memory (seen with ASan). */
    if (!shared_gvc && !(shared_gvc = gvContext()))
        return sm_error_set(err, SM_ENOMEM, "%s: graphviz could not start", fmt);
    gvc = shared_gvc;
    gv_msg[0] = '\0';
    gv_nerr = 0;
    old = agseterrf(gv_errf);
    oldlevel = agseterr(AGERR);
    agreseterrors();
    stderr_grab(&grab);
    lrc = gvLayout(gvc, d->g, "dot");
    stderr_release(&grab);
    if (!gv_nerr && grab.text[0]) {
        gv_nerr = 1;
        sm_strlcpy(gv_msg, grab.text, sizeof gv_msg);
    }
    if (lrc != 0) {
        rc = sm_error_set(err, SM_EIO, "%s: graphviz could not lay the diagram out%s%s",
                          fmt, gv_nerr ? ": " : "", gv_msg);
        goto out;
    }
    d->st.laid_out = 1;
    for (Agnode_t *n = agfstnode(d->g); n; n = agnxtnode(d->g, n))
        for (Agedge_t *e = agfstout(d->g, n); e; e = agnxtout(d->g, e)) {
            total++;
            if (!ED_spl(e))
                lost++;
        }
    if (lost || gv_nerr) {
        rc = sm_error_set(err, SM_EIO, "%s: graphviz lost %d of %d edges laying out the "
                          "diagram%s%s; use --view regions or a filter (--tier, --system, "
                          "--jurisdiction)", fmt, (int)lost, (int)total,
                          gv_nerr ? ": " : "", gv_msg);
        goto layout_out;
    }
    if ((rc = check_size(d, fmt, err)))
        goto layout_out;
    if (gvRenderData(gvc, d->g, fmt, &data, &len) != 0 || gv_nerr) {
        rc = sm_error_set(err, SM_EIO, "%s: graphviz could not render%s%s", fmt,
                          gv_nerr ? ": " : "", gv_msg);
        goto layout_out;
    }
    if (!strcmp(fmt, "pdf"))
        pdf_fix_dates(data, len, d->o->stamp ? d->o->today : 0);
    if (fwrite(data, 1, len, f) != len || ferror(f))
        rc = sm_error_set(err, SM_EIO, "%s: write error: %s", fmt, strerror(errno));
layout_out:
    if (data)
        gvFreeRenderData(data);
    /* After a failed spline routing Graphviz 2.43 frees an edge's spline
     * twice in gvFreeLayout: leak the layout rather than corrupt the heap. */
    if (!lost && !gv_nerr)
        gvFreeLayout(gvc, d->g);
out:
    agseterr(oldlevel);
    agseterrf(old);
    return rc;
}

/* ---- legend ------------------------------------------------------------------------------ */

static Agnode_t *
legend_node(struct dg *d, Agraph_t *lg, const char *label, const char *shape, int state)
{
    Agnode_t *n = agnode(lg, (char *)dstr(d, "legend:%d", d->st.legend_nodes), 1);

    nset(d, n, NA_LABEL, label);
    nset(d, n, NA_SHAPE, shape);
    nset(d, n, NA_COLOR, looks[state].color);
    nset(d, n, NA_FILL, looks[state].fill);
    nset(d, n, NA_FONTCOLOR, looks[state].font);
    nset(d, n, NA_PENWIDTH, looks[state].penwidth);
    d->st.legend_nodes++;
    return n;
}

/* Legend entries are chained by invisible edges so that, with rankdir=LR,
 * each row runs left to right instead of stacking down the page. */
static void
chain(struct dg *d, Agraph_t *lg, Agnode_t **prev, Agnode_t *first, Agnode_t *last)
{
    if (*prev) {
        Agedge_t *e = agedge(lg, *prev, first, NULL, 1);
        eset(d, e, EA_STYLE, "invis");
    }
    *prev = last;
}

static void
legend_edge(struct dg *d, Agraph_t *lg, Agnode_t **prev, const char *what, const char *label,
            const char *color, const char *style, const char *pen, const char *arrow)
{
    Agnode_t *a = legend_node(d, lg, what, "plaintext", XS_OK);
    Agnode_t *b = legend_node(d, lg, "", "point", XS_OK);
    Agedge_t *e = agedge(lg, a, b, NULL, 1);

    nset(d, a, NA_STYLE, "");
    nset(d, b, NA_WIDTH, "0.06");
    eset(d, e, EA_LABEL, label);
    eset(d, e, EA_COLOR, color);
    eset(d, e, EA_FONTCOLOR, color);
    eset(d, e, EA_STYLE, style);
    eset(d, e, EA_PENWIDTH, pen);
    eset(d, e, EA_ARROWHEAD, arrow);
    d->st.legend_edges++;
    chain(d, lg, prev, a, b);
}

static Agraph_t *
legend_cluster(struct dg *d)
{
    Agraph_t *lg = agsubg(d->g, "cluster_legend", 1);

    gset(d, lg, GA_LABEL, "Legend");
    gset(d, lg, GA_STYLE, "rounded");
    gset(d, lg, GA_COLOR, "#6c7a89");
    return lg;
}

static void
legend_full(struct dg *d)
{
    Agraph_t *lg = legend_cluster(d);
    const struct model *m = d->m;
    Agnode_t *row = NULL, *n;

    /* Row 1: tiers by shape, then what colour means. */
    for (int s = 0; s < NSHAPES; s++)
        for (int32_t t = 0; t < m->ntiers; t++)
            if (!m->tiers[t].deleted && d->tier_shape[t] == s) {
                n = legend_node(d, lg, dstr(d, "tier %s", dclean(d, m->tiers[t].name)),
                                tier_shapes[s], XS_OK);
                chain(d, lg, &row, n, n);
            }
    if (d->any_unclassified) {
        n = legend_node(d, lg, "no tier (unclassified)", SHAPE_UNCLASSIFIED, XS_OK);
        chain(d, lg, &row, n, n);
    }
    n = legend_node(d, lg, "copy: dataset\nrole", "box", XS_OK);
    chain(d, lg, &row, n, n);
    n = legend_node(d, lg, "violation\nrule ids", "box", XS_VIOLATION);
    chain(d, lg, &row, n, n);
    n = legend_node(d, lg, "waived\nrule ids", "box", XS_WAIVED);
    chain(d, lg, &row, n, n);
    n = legend_node(d, lg, "export target\n(region)", "cds", XS_OK);
    chain(d, lg, &row, n, n);
    /* Row 2: edges. */
    row = NULL;
    legend_edge(d, lg, &row, "flow, same country", "", C_EDGE, "solid", "1", "normal");
    legend_edge(d, lg, &row, "flow, cross-border", "", C_EDGE, "dashed", "1.4", "normal");
    legend_edge(d, lg, &row, "implicit replication\n(copy, no flow declared)", "", C_EDGE,
                "solid", "1", "empty");
    legend_edge(d, lg, &row, "violation", "kind: RULE", C_RED, "bold", "2.5", "normal");
    legend_edge(d, lg, &row, "waived finding", "kind: waived RULE", C_MUTED, "solid", "1",
                "normal");
}

/* ---- full and focus views ------------------------------------------------------------------ */

struct dedge {
    int32_t from, to;           /* placements; to SM_NONE: export to region to_region */
    int32_t to_region;
    int32_t flow;               /* SM_NONE: implicit replication */
    const char *tsel, *hsel;    /* sort keys */
};

static int
dedge_cmp(const void *a, const void *b)
{
    const struct dedge *x = a, *y = b;
    int c;

    if ((c = strcmp(x->tsel, y->tsel)) || (c = strcmp(x->hsel, y->hsel)))
        return c;
    if ((x->flow == SM_NONE) != (y->flow == SM_NONE))
        return x->flow == SM_NONE ? -1 : 1;
    return x->flow < y->flow ? -1 : x->flow > y->flow;
}

struct dnode {
    int32_t p;
    const char *group, *region, *sel;
};

static int
dnode_cmp(const void *a, const void *b)
{
    const struct dnode *x = a, *y = b;
    int c;

    if ((c = strcmp(x->group, y->group)) || (c = strcmp(x->region, y->region)))
        return c;
    return strcmp(x->sel, y->sel);
}

static bool
dataset_passes(const struct model *m, const struct export_opts *o, int32_t ds, int32_t tier)
{
    const struct dataset *d = &m->datasets[ds];

    if (d->deleted)
        return false;
    if (o->tier && d->tier != tier)
        return false;
    if (o->system && strcmp(d->system ? d->system : "", o->system))
        return false;
    return true;
}

/* The tier --tier names (SM_NONE when none is given), with a suggestion
 * when it is unknown. */
static int
filter_tier(const struct model *m, const struct export_opts *o, int32_t *tier,
            struct sm_error *err)
{
    const char *s;

    *tier = SM_NONE;
    if (!o->tier || (*tier = model_tier(m, o->tier)) != SM_NONE)
        return SM_OK;
    s = model_suggest(m, OBJ_TIER, o->tier);
    return sm_error_set(err, SM_ENOTFOUND, "unknown tier %s%s%s%s", o->tier,
                        s ? "; did you mean " : "", s ? s : "", s ? "?" : "");
}

/* keep[ds] for the datasets --tier and --system let through. */
static int
kept_datasets(const struct model *m, const struct export_opts *o, uint8_t *keep,
              struct sm_error *err)
{
    int32_t tier;
    int rc;

    if ((rc = filter_tier(m, o, &tier, err)))
        return rc;
    for (int32_t i = 0; i < m->ndatasets; i++)
        keep[i] = dataset_passes(m, o, i, tier);
    return SM_OK;
}

static bool
region_passes(struct dg *d, int32_t region)
{
    char cc[3];

    if (!d->o->jurisdiction)
        return true;
    if (!strcmp(region_group(d, region), d->o->jurisdiction))
        return true;
    sm_cc_str(d->m->regions[region].country, cc);
    return !strcmp(cc, d->o->jurisdiction) || !strcmp(d->m->regions[region].id, d->o->jurisdiction);
}

/* Datasets within o->hops lineage hops of the focus (flows either way). */
static int
focus_set(const struct model *m, int32_t focus, int hops, uint8_t *keep,
          struct sm_error *err)
{
    int32_t *start = calloc((size_t)m->ndatasets + 2, sizeof *start);
    int32_t *adj = malloc(((size_t)m->nflows * 2 + 1) * sizeof *adj);
    int32_t *fill = calloc((size_t)m->ndatasets + 1, sizeof *fill);
    int32_t *queue = malloc(((size_t)m->ndatasets + 1) * sizeof *queue);
    int32_t *dist = malloc(((size_t)m->ndatasets + 1) * sizeof *dist);
    int32_t qh = 0, qt = 0;

    if (!start || !adj || !fill || !queue || !dist) {
        free(start); free(adj); free(fill); free(queue); free(dist);
        return sm_error_set(err, SM_ENOMEM, "focus: out of memory");
    }
    for (int32_t i = 0; i < m->nflows; i++) {
        const struct flow *f = &m->flows[i];
        if (f->deleted || f->to == SM_NONE)
            continue;
        start[m->placements[f->from].dataset + 1]++;
        start[m->placements[f->to].dataset + 1]++;
    }
    for (int32_t i = 0; i < m->ndatasets; i++)
        start[i + 1] += start[i];
    for (int32_t i = 0; i < m->nflows; i++) {
        const struct flow *f = &m->flows[i];
        int32_t a, b;
        if (f->deleted || f->to == SM_NONE)
            continue;
        a = m->placements[f->from].dataset;
        b = m->placements[f->to].dataset;
        adj[start[a] + fill[a]++] = b;
        adj[start[b] + fill[b]++] = a;
    }
    for (int32_t i = 0; i < m->ndatasets; i++)
        dist[i] = -1;
    dist[focus] = 0;
    queue[qt++] = focus;
    while (qh < qt) {
        int32_t u = queue[qh++];
        keep[u] = 1;
        if (dist[u] >= hops)
            continue;
        for (int32_t k = start[u]; k < start[u + 1]; k++)
            if (dist[adj[k]] < 0 && !m->datasets[adj[k]].deleted) {
                dist[adj[k]] = dist[u] + 1;
                queue[qt++] = adj[k];
            }
    }
    free(start); free(adj); free(fill); free(queue); free(dist);
    return SM_OK;
}

/* Number a violation drawn in red: "[3] " goes before its label, and the
 * legend's table lists 3 -> rules, object, message, so nothing depends on
 * where Graphviz puts a label. "" when out of memory (then unnumbered). */
static const char *
mark(struct dg *d, enum obj_kind kind, int32_t id, int32_t ds)
{
    if (sm_grow((void **)&d->marks, &d->cap_marks, d->nmarks + 1, sizeof *d->marks))
        return "";
    d->marks[d->nmarks++] = (struct vmark){ kind, id, ds };
    return dstr(d, "[%d] ", (int)d->nmarks);
}

/* The table under the legend: number, rule, object, message of every
 * numbered violation (the first VMARK_TABLE; the rest are counted). */
#define VMARK_TABLE 60

static void
legend_marks(struct dg *d, Agraph_t *lg)
{
    const struct check_result *r = d->r;
    const char *rows = "";
    Agnode_t *n;

    if (!d->nmarks || !r)
        return;
    for (int32_t k = 0; k < d->nmarks && k < VMARK_TABLE; k++) {
        const struct vmark *v = &d->marks[k];
        for (int32_t i = 0; i < r->nfindings; i++) {
            const struct finding *f = &r->findings[i];
            bool same = f->kind == v->kind && f->object == v->id;

            /* a primary's number also stands for its dataset's findings */
            if (!same && v->kind == OBJ_PLACEMENT && f->kind == OBJ_DATASET &&
                f->dataset == v->ds && d->m->placements[v->id].role == ROLE_PRIMARY)
                same = true;
            if (!same || f->waived || f->severity < SEV_WARNING)
                continue;
            rows = dstr(d, "%s<TR><TD ALIGN=\"RIGHT\">%d</TD><TD ALIGN=\"LEFT\">%s</TD>"
                        "<TD ALIGN=\"LEFT\">%s</TD><TD ALIGN=\"LEFT\">%s</TD></TR>", rows,
                        (int)k + 1, html_text(d, f->rule), html_text(d, f->selector),
                        html_text(d, f->message));
        }
    }
    if (d->nmarks > VMARK_TABLE)
        rows = dstr(d, "%s<TR><TD COLSPAN=\"4\" ALIGN=\"LEFT\">... and %d more: sovmap check "
                    "lists them all</TD></TR>", rows, (int)(d->nmarks - VMARK_TABLE));
    n = agnode(lg, "legend:violations", 1);
    d->st.legend_nodes++;
    agxset(n, d->na[NA_LABEL],
           agstrdup_html(d->g, (char *)dstr(d, "<TABLE BORDER=\"0\" CELLBORDER=\"1\" "
                         "CELLSPACING=\"0\" CELLPADDING=\"2\"><TR><TD>#</TD><TD>rule</TD>"
                         "<TD>object</TD><TD>finding</TD></TR>%s</TABLE>", rows)));
    nset(d, n, NA_SHAPE, "plaintext");
    nset(d, n, NA_COLOR, C_RED);
    nset(d, n, NA_FONTCOLOR, C_RED);
}

static const char *
edge_desc(struct dg *d, const struct flow *f)
{
    char xf[512];

    if (!f)
        return "implicit replication";
    model_format_transforms(f->transforms, f->ntransforms, xf, sizeof xf);
    return dstr(d, "%s%s%s", flow_kind_names[f->kind], *xf ? " (" : "",
                *xf ? dstr(d, "%s)", dclean(d, xf)) : "");
}

static void
style_edge(struct dg *d, Agedge_t *e, const struct xstatus *s, bool cross,
           const struct flow *f, const char *tip, enum obj_kind kind, int32_t id)
{
    const char *style = cross ? "dashed" : "solid";
    const char *desc = edge_desc(d, f), *num = "";

    if (s->state == XS_VIOLATION) {
        eset(d, e, EA_COLOR, C_RED);
        eset(d, e, EA_FONTCOLOR, C_RED);
        eset(d, e, EA_PENWIDTH, "2.5");
        style = cross ? "bold,dashed" : "bold";
        d->st.red_edges++;
        num = mark(d, kind, id, SM_NONE);
    } else if (s->state == XS_WAIVED) {
        eset(d, e, EA_COLOR, C_MUTED);
        eset(d, e, EA_FONTCOLOR, "#5f6b76");
    } else if (cross) {
        eset(d, e, EA_PENWIDTH, "1.4");
    }
    eset(d, e, EA_STYLE, style);
    if (s->state != XS_OK)
        eset(d, e, d->labels_as_xlabels ? EA_XLABEL : EA_LABEL,
             dstr(d, "%s%s:%s%s", num, desc, s->state == XS_WAIVED ? " waived " : " ",
                  dclean(d, s->rules)));
    eset(d, e, EA_TOOLTIP, dstr(d, "%s\\n%s", tip, desc));
    if (!f)
        eset(d, e, EA_ARROWHEAD, "empty");
}

static int
build_full(struct dg *d, int32_t focus, struct sm_error *err)
{
    const struct model *m = d->m;
    const struct export_opts *o = d->o;
    uint8_t *keep_ds = calloc((size_t)m->ndatasets + 1, 1);
    uint8_t *keep_p = calloc((size_t)m->nplacements + 1, 1);
    struct dedge *edges = malloc(((size_t)m->nflows + m->nplacements + 1) * sizeof *edges);
    struct dnode *nodes = NULL;
    Agnode_t **pnode = calloc((size_t)m->nplacements + 1, sizeof *pnode);
    Agnode_t **xnode = calloc((size_t)m->nregions + 1, sizeof *xnode);
    const char **psel = calloc((size_t)m->nplacements + 1, sizeof *psel);
    int32_t tier = SM_NONE, nedges = 0, nnodes = 0, nviol = 0;
    int rc = SM_OK;
    char buf[1100];

    if (!keep_ds || !keep_p || !edges || !pnode || !xnode || !psel) {
        rc = sm_error_set(err, SM_ENOMEM, "diagram: out of memory");
        goto out;
    }
    if ((rc = filter_tier(m, o, &tier, err)))
        goto out;
    if (focus != SM_NONE) {
        if ((rc = focus_set(m, focus, o->hops, keep_ds, err)))
            goto out;
        for (int32_t i = 0; i < m->ndatasets; i++)
            if (keep_ds[i] && i != focus && !dataset_passes(m, o, i, tier))
                keep_ds[i] = 0;
    } else {
        for (int32_t i = 0; i < m->ndatasets; i++)
            keep_ds[i] = dataset_passes(m, o, i, tier);
    }
    for (int32_t i = 0; i < m->nplacements; i++) {
        const struct placement *p = &m->placements[i];
        keep_p[i] = !p->deleted && keep_ds[p->dataset] && region_passes(d, p->region);
    }
    /* Edges: explicit flows, then implicit replications primary -> copy. In
     * the focus view both ends must be kept; with filters one end is
     * enough and the other comes along as context. */
    for (int32_t i = 0; i < m->nflows; i++) {
        const struct flow *f = &m->flows[i];
        bool a, b;

        if (f->deleted)
            continue;
        a = keep_p[f->from];
        b = f->to != SM_NONE ? keep_p[f->to]
                             : keep_ds[m->placements[f->from].dataset] &&
                               f->to_region >= 0 && region_passes(d, f->to_region);
        if (focus != SM_NONE ? !(a && b) : !(a || b))
            continue;
        edges[nedges++] = (struct dedge){ f->from, f->to, f->to_region, i, NULL, NULL };
    }
    for (int32_t i = 0; i < m->nplacements; i++) {
        const struct placement *p = &m->placements[i];
        int32_t prim;

        if (p->deleted || p->role == ROLE_PRIMARY || d->x.has_inflow[i])
            continue;
        if ((prim = model_primary(m, p->dataset)) == SM_NONE || prim == i)
            continue;
        if (focus != SM_NONE ? !(keep_p[prim] && keep_p[i]) : !(keep_p[prim] || keep_p[i]))
            continue;
        edges[nedges++] = (struct dedge){ prim, i, SM_NONE, SM_NONE, NULL, NULL };
    }
    for (int32_t k = 0; k < nedges; k++) {
        keep_p[edges[k].from] = 1;
        if (edges[k].to != SM_NONE)
            keep_p[edges[k].to] = 1;
    }
    if (!(d->ds_drawn = calloc((size_t)m->ndatasets + 1, 1))) {
        rc = sm_error_set(err, SM_ENOMEM, "diagram: out of memory");
        goto out;
    }
    for (int32_t i = 0; i < m->nplacements; i++)
        if (keep_p[i]) {
            nnodes++;
            d->ds_drawn[m->placements[i].dataset] = 1;
        }
    d->st.nodes = d->ncopies = nnodes;
    d->st.edges = nedges;
    for (int32_t k = 0; k < nedges; k++) {
        const struct xstatus *s = edges[k].flow != SM_NONE ? &d->x.flow[edges[k].flow]
                                                            : &d->x.implicit[edges[k].to];
        if (s->state != XS_OK)
            nviol++;
    }
    /* Edge labels become virtual nodes in dot's ranking: slow on big graphs,
     * and with edges between nested clusters Graphviz 2.43 fails to route
     * ("triangulation failed") and then corrupts its heap in gvFreeLayout,
     * even at 100 flows. xlabels are placed after layout and avoid both. */
    d->labels_as_xlabels = true;
    (void)nviol;
    if (!(nodes = malloc(((size_t)nnodes + 1) * sizeof *nodes))) {
        rc = sm_error_set(err, SM_ENOMEM, "diagram: out of memory");
        goto out;
    }
    nnodes = 0;
    for (int32_t i = 0; i < m->nplacements; i++) {
        if (!keep_p[i])
            continue;
        psel[i] = dclean(d, model_selector(m, OBJ_PLACEMENT, i, buf, sizeof buf));
        nodes[nnodes++] = (struct dnode){ i, region_group(d, m->placements[i].region),
                                          m->regions[m->placements[i].region].id, psel[i] };
    }
    qsort(nodes, (size_t)nnodes, sizeof *nodes, dnode_cmp);
    for (int32_t k = 0; k < nnodes; k++) {
        int32_t pi = nodes[k].p;
        const struct placement *p = &m->placements[pi];
        const struct dataset *ds = &m->datasets[p->dataset];
        struct xstatus s = d->x.placement[pi];
        const struct xstatus *dss = &d->x.dataset[p->dataset];
        Agnode_t *n;
        const char *rules;

        /* Findings about the dataset itself show on its primary copy. */
        if (p->role == ROLE_PRIMARY && dss->state > XS_OK) {
            rules = *s.rules ? dstr(d, "%s %s", s.rules, dss->rules) : dss->rules;
            if (dss->state > s.state)
                s.state = dss->state;
            s.rules = rules;
        }
        n = agnode(region_cluster(d, p->region), (char *)nodes[k].sel, 1);
        pnode[pi] = n;
        nset(d, n, NA_LABEL, dstr(d, "%s\\n%s%s%s%s%s", dclean(d, ds->name), role_names[p->role],
                                  s.state != XS_OK ? "\\n" : "",
                                  s.state == XS_VIOLATION ? mark(d, OBJ_PLACEMENT, pi, p->dataset)
                                                          : "",
                                  s.state == XS_WAIVED ? "waived " : "",
                                  s.state != XS_OK ? dclean(d, s.rules) : ""));
        if (ds->tier == SM_NONE) {
            nset(d, n, NA_SHAPE, SHAPE_UNCLASSIFIED);
            d->any_unclassified = true;
        } else {
            nset(d, n, NA_SHAPE, tier_shapes[d->tier_shape[ds->tier]]);
        }
        if (s.state != XS_OK) {
            nset(d, n, NA_COLOR, looks[s.state].color);
            nset(d, n, NA_FILL, looks[s.state].fill);
            nset(d, n, NA_FONTCOLOR, looks[s.state].font);
            nset(d, n, NA_PENWIDTH, looks[s.state].penwidth);
        }
        nset(d, n, NA_TOOLTIP, dstr(d, "%s\\ntier %s%s%s", nodes[k].sel,
                                    ds->tier != SM_NONE ? dclean(d, m->tiers[ds->tier].name)
                                                        : "none",
                                    *ds->system ? ", system " : "",
                                    *ds->system ? dclean(d, ds->system) : ""));
    }
    for (int32_t k = 0; k < nedges; k++) {
        edges[k].tsel = psel[edges[k].from];
        edges[k].hsel = edges[k].to != SM_NONE ? psel[edges[k].to]
                                               : m->regions[edges[k].to_region].id;
    }
    qsort(edges, (size_t)nedges, sizeof *edges, dedge_cmp);
    for (int32_t k = 0; k < nedges; k++) {
        const struct dedge *de = &edges[k];
        const struct flow *f = de->flow != SM_NONE ? &m->flows[de->flow] : NULL;
        int32_t rto = de->to != SM_NONE ? m->placements[de->to].region : de->to_region;
        Agnode_t *h;
        Agedge_t *e;

        if (de->to != SM_NONE) {
            h = pnode[de->to];
        } else if (!(h = xnode[rto])) {
            h = xnode[rto] = agnode(region_cluster(d, rto),
                                    (char *)dstr(d, "export:%s", dclean(d, m->regions[rto].id)), 1);
            nset(d, h, NA_LABEL, "export target");
            nset(d, h, NA_SHAPE, "cds");
            d->st.nodes++;
        }
        e = agedge(d->g, pnode[de->from], h, NULL, 1);
        style_edge(d, e, f ? &d->x.flow[de->flow] : &d->x.implicit[de->to],
                   cross_border(m, m->placements[de->from].region, rto), f,
                   f ? dclean(d, f->name) : dstr(d, "%s -> %s", de->tsel, de->hsel),
                   f ? OBJ_FLOW : OBJ_PLACEMENT, f ? de->flow : de->to);
    }
    legend_full(d);
    legend_marks(d, legend_cluster(d));
out:
    free(keep_ds);
    free(keep_p);
    free(edges);
    free(nodes);
    free(pnode);
    free(xnode);
    free(psel);
    return rc;
}

/* ---- region summary --------------------------------------------------------------------------- */

struct rcount {
    int32_t n, viol, waived;
};

static const char *
thousands(struct dg *d, int64_t v)
{
    char raw[32], out[48];
    int len, k = 0;

    len = snprintf(raw, sizeof raw, "%lld", (long long)v);
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = raw[i];
    }
    out[k] = '\0';
    return dstr(d, "%s", out);
}

static int
region_id_cmp(const void *a, const void *b, const struct model *m)
{
    return strcmp(m->regions[*(const int32_t *)a].id, m->regions[*(const int32_t *)b].id);
}

static const struct model *rsort_model;
static const char *const *rsort_group;
static int
region_order_cmp(const void *a, const void *b)
{
    int c = strcmp(rsort_group[*(const int32_t *)a], rsort_group[*(const int32_t *)b]);
    return c ? c : region_id_cmp(a, b, rsort_model);
}

static void
legend_regions(struct dg *d)
{
    Agraph_t *lg = legend_cluster(d);
    Agnode_t *row = NULL, *n;

    n = legend_node(d, lg, "region\ncopies by role\n(P primary R replica B backup\nD dr C cache "
                    "A archive E edge)", "box", XS_OK);
    chain(d, lg, &row, n, n);
    n = legend_node(d, lg, "region holding\nviolating copies", "box", XS_VIOLATION);
    chain(d, lg, &row, n, n);
    row = NULL;
    legend_edge(d, lg, &row, "flows, same country", "count", C_EDGE, "solid", "1", "normal");
    legend_edge(d, lg, &row, "flows, cross-border", "count", C_EDGE, "dashed", "1.4", "normal");
    legend_edge(d, lg, &row, "some flows violate", "count (violating)", C_RED, "bold", "2.5",
                "normal");
    legend_edge(d, lg, &row, "violations all waived", "count (waived)", C_MUTED, "solid", "1",
                "normal");
}

/* Region pairs drawn as edges before the summary folds regions into their
 * jurisdictions; and the most edges between jurisdictions drawn. Measured:
 * past ~40 counted edges the labels of a 30-region summary overlap. */
#define EXPORT_SUMMARY_EDGES 40

struct gedge {
    int32_t a, b;
    struct rcount c;
};

static int
gedge_cmp(const void *x, const void *y)
{
    const struct gedge *p = x, *q = y;

    if (p->c.viol != q->c.viol)
        return p->c.viol > q->c.viol ? -1 : 1;
    if (p->c.n != q->c.n)
        return p->c.n > q->c.n ? -1 : 1;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return p->b < q->b ? -1 : p->b > q->b;
}

static void
legend_groups(struct dg *d)
{
    Agraph_t *lg = legend_cluster(d);
    Agnode_t *row = NULL, *n;

    n = legend_node(d, lg, "jurisdiction\\lits regions: copies\\l", "box", XS_OK);
    chain(d, lg, &row, n, n);
    n = legend_node(d, lg, "jurisdiction holding\\lviolating copies\\l", "box", XS_VIOLATION);
    chain(d, lg, &row, n, n);
    row = NULL;
    legend_edge(d, lg, &row, "flows and copies\nbetween jurisdictions", "count", C_EDGE,
                "dashed", "1.4", "normal");
    legend_edge(d, lg, &row, "some violate", "count (violating)", C_RED, "bold,dashed", "2.5",
                "normal");
    legend_edge(d, lg, &row, "violations all waived", "count (waived)", C_MUTED, "dashed", "1",
                "normal");
}

/* The summary of a model with too many region pairs to draw: one node per
 * jurisdiction listing its regions, one counted edge per jurisdiction pair
 * (the heaviest EXPORT_SUMMARY_EDGES; the rest are totalled in the title). */
static int
build_groups(struct dg *d, const int32_t *order, int32_t norder, const struct rcount *pair,
             const struct rcount *copies, const int32_t *inregion, struct sm_error *err)
{
    const struct model *m = d->m;
    int32_t nr = m->nregions, ng = 0, ne = 0;
    int32_t *gof = malloc(((size_t)nr + 1) * sizeof *gof);
    const char **gname = calloc((size_t)norder + 1, sizeof *gname);
    struct rcount *gpair = NULL, *gcopies = calloc((size_t)norder + 1, sizeof *gcopies);
    int32_t *ginside = calloc((size_t)norder + 1, sizeof *ginside);
    struct gedge *edges = NULL;
    Agnode_t **gnode = calloc((size_t)norder + 1, sizeof *gnode);
    struct rcount rest = { 0, 0, 0 };
    int32_t nrest = 0;
    int rc = SM_OK;

    if (!gof || !gname || !gcopies || !ginside || !gnode)
        goto oom;
    /* order is sorted by group then region: groups come in runs. */
    for (int32_t k = 0; k < norder; k++) {
        const char *g = region_group(d, order[k]);
        if (!ng || strcmp(gname[ng - 1], g))
            gname[ng++] = g;
        gof[order[k]] = ng - 1;
    }
    if (!(gpair = calloc((size_t)ng * (size_t)ng + 1, sizeof *gpair)) ||
        !(edges = malloc(((size_t)ng * (size_t)ng + 1) * sizeof *edges)))
        goto oom;
    for (int32_t a = 0; a < norder; a++) {
        int32_t ra = order[a], ga = gof[ra];
        gcopies[ga].n += copies[ra].n;
        gcopies[ga].viol += copies[ra].viol;
        gcopies[ga].waived += copies[ra].waived;
        ginside[ga] += inregion[ra];
        for (int32_t b = 0; b < norder; b++) {
            const struct rcount *c = &pair[(size_t)ra * nr + order[b]];
            int32_t gb = gof[order[b]];
            if (!c->n)
                continue;
            if (ga == gb) {
                ginside[ga] += c->n;
                continue;
            }
            gpair[(size_t)ga * ng + gb].n += c->n;
            gpair[(size_t)ga * ng + gb].viol += c->viol;
            gpair[(size_t)ga * ng + gb].waived += c->waived;
        }
    }
    for (int32_t g = 0, k = 0; g < ng; g++) {
        char label[8192], glabel[300];
        size_t len;
        int state = gcopies[g].viol ? XS_VIOLATION : gcopies[g].waived ? XS_WAIVED : XS_OK;

        export_group_label(d->o->juris, gname[g], glabel, sizeof glabel);
        len = (size_t)snprintf(label, sizeof label, "%s\\l%s copies, %s violating\\l",
                               dclean(d, glabel), thousands(d, gcopies[g].n),
                               thousands(d, gcopies[g].viol));
        if (ginside[g])
            len += (size_t)snprintf(label + len, len < sizeof label ? sizeof label - len : 0,
                                    "%s flows and copies within\\l", thousands(d, ginside[g]));
        for (; k < norder && gof[order[k]] == g; k++) {
            int32_t r = order[k];
            if (len >= sizeof label)
                break;
            len += (size_t)snprintf(label + len, sizeof label - len, "  %s: %s%s%s\\l",
                                    dclean(d, m->regions[r].id), thousands(d, copies[r].n),
                                    copies[r].viol ? ", violating " : "",
                                    copies[r].viol ? thousands(d, copies[r].viol) : "");
        }
        gnode[g] = agnode(d->g, (char *)dstr(d, "jurisdiction:%s", dclean(d, gname[g])), 1);
        d->st.nodes++;
        nset(d, gnode[g], NA_LABEL, label);
        nset(d, gnode[g], NA_SHAPE, "box");
        nset(d, gnode[g], NA_COLOR, looks[state].color);
        nset(d, gnode[g], NA_FILL, looks[state].fill);
        nset(d, gnode[g], NA_FONTCOLOR, looks[state].font);
        nset(d, gnode[g], NA_PENWIDTH, looks[state].penwidth);
    }
    for (int32_t a = 0; a < ng; a++)
        for (int32_t b = 0; b < ng; b++)
            if (gpair[(size_t)a * ng + b].n)
                edges[ne++] = (struct gedge){ a, b, gpair[(size_t)a * ng + b] };
    qsort(edges, (size_t)ne, sizeof *edges, gedge_cmp);
    for (int32_t k = 0; k < ne; k++) {
        const struct rcount *c = &edges[k].c;
        Agedge_t *e;

        if (k >= EXPORT_SUMMARY_EDGES) {
            rest.n += c->n;
            rest.viol += c->viol;
            nrest++;
            continue;
        }
        e = agedge(d->g, gnode[edges[k].a], gnode[edges[k].b], NULL, 1);
        d->st.edges++;
        eset(d, e, EA_PENWIDTH, dstr(d, "%.1f", (c->viol ? 1.5 : 0.0) + 1.0 + log10((double)c->n)));
        eset(d, e, EA_STYLE, c->viol ? "bold,dashed" : "dashed");
        if (c->viol) {
            eset(d, e, EA_COLOR, C_RED);
            eset(d, e, EA_FONTCOLOR, C_RED);
            eset(d, e, EA_LABEL, dstr(d, "%s (%s violating)", thousands(d, c->n),
                                      thousands(d, c->viol)));
            d->st.red_edges++;
        } else if (c->waived) {
            eset(d, e, EA_COLOR, C_MUTED);
            eset(d, e, EA_LABEL, dstr(d, "%s (%s waived)", thousands(d, c->n),
                                      thousands(d, c->waived)));
        } else {
            eset(d, e, EA_LABEL, thousands(d, c->n));
        }
    }
    d->summary_note = dstr(d, "%d regions in %d jurisdictions (too many region pairs to draw)%s",
                           (int)norder, (int)ng, nrest ? dstr(d, "; %d lighter jurisdiction pairs "
                           "not drawn: %s flows and copies, %s violating (see transfers-csv)",
                           (int)nrest, thousands(d, rest.n), thousands(d, rest.viol)) : "");
    legend_groups(d);
    goto out;
oom:
    rc = sm_error_set(err, SM_ENOMEM, "diagram: out of memory");
out:
    free(gof);
    free(gname);
    free(gpair);
    free(gcopies);
    free(ginside);
    free(edges);
    free(gnode);
    return rc;
}

static int
build_regions(struct dg *d, struct sm_error *err)
{
    static const char role_letter[ROLE_COUNT] = { 'P', 'R', 'B', 'D', 'C', 'A', 'E' };
    const struct model *m = d->m;
    const struct export_opts *o = d->o;
    int32_t nr = m->nregions;
    size_t nn = (size_t)nr * (size_t)nr;
    struct rcount *pair = calloc(nn + 1, sizeof *pair);
    int32_t (*roles)[ROLE_COUNT] = calloc((size_t)nr + 1, sizeof *roles);
    struct rcount *copies = calloc((size_t)nr + 1, sizeof *copies);
    int32_t *inregion = calloc((size_t)nr + 1, sizeof *inregion);
    uint8_t *keep_ds = calloc((size_t)m->ndatasets + 1, 1);
    int32_t *order = calloc((size_t)nr + 1, sizeof *order);
    Agnode_t **rnode = calloc((size_t)nr + 1, sizeof *rnode);
    int32_t norder = 0;
    int rc = SM_OK;

    if (!pair || !roles || !copies || !inregion || !keep_ds || !order || !rnode) {
        rc = sm_error_set(err, SM_ENOMEM, "diagram: out of memory (%d regions)", (int)nr);
        goto out;
    }
    if ((rc = kept_datasets(m, o, keep_ds, err)))
        goto out;
    for (int32_t i = 0; i < m->nplacements; i++) {
        const struct placement *p = &m->placements[i];
        struct xstatus s = d->x.placement[i];
        if (p->deleted || !keep_ds[p->dataset] || !region_passes(d, p->region))
            continue;
        roles[p->region][p->role]++;
        copies[p->region].n++;
        if (s.state == XS_VIOLATION)
            copies[p->region].viol++;
        else if (s.state == XS_WAIVED)
            copies[p->region].waived++;
    }
    for (int32_t i = 0; i < m->nflows + m->nplacements; i++) {
        int32_t ra, rb, prim;
        const struct xstatus *s;

        if (i < m->nflows) {
            const struct flow *f = &m->flows[i];
            if (f->deleted || !keep_ds[m->placements[f->from].dataset])
                continue;
            ra = m->placements[f->from].region;
            rb = f->to != SM_NONE ? m->placements[f->to].region : f->to_region;
            s = &d->x.flow[i];
        } else {
            int32_t pi = i - m->nflows;
            const struct placement *p = &m->placements[pi];
            if (p->deleted || p->role == ROLE_PRIMARY || d->x.has_inflow[pi] ||
                !keep_ds[p->dataset] || (prim = model_primary(m, p->dataset)) == SM_NONE ||
                prim == pi)
                continue;
            ra = m->placements[prim].region;
            rb = p->region;
            s = &d->x.implicit[pi];
        }
        if (!region_passes(d, ra) && !region_passes(d, rb))
            continue;
        if (ra == rb) {
            inregion[ra]++;
            continue;
        }
        pair[(size_t)ra * nr + rb].n++;
        if (s->state == XS_VIOLATION)
            pair[(size_t)ra * nr + rb].viol++;
        else if (s->state == XS_WAIVED)
            pair[(size_t)ra * nr + rb].waived++;
    }
    /* Regions drawn: those holding a copy or at either end of a flow. */
    for (int32_t r = 0; r < nr; r++) {
        bool used = copies[r].n > 0 || inregion[r] > 0;
        for (int32_t k = 0; k < nr && !used; k++)
            used = pair[(size_t)r * nr + k].n || pair[(size_t)k * nr + r].n;
        if (used) {
            order[norder++] = r;
            region_group(d, r);
        }
    }
    rsort_model = m;
    rsort_group = d->rgroup;
    qsort(order, (size_t)norder, sizeof *order, region_order_cmp);
    {
        int32_t npairs = 0;
        for (size_t k = 0; k < nn; k++)
            npairs += pair[k].n > 0;
        if (npairs > EXPORT_SUMMARY_EDGES) {
            rc = build_groups(d, order, norder, pair, copies, inregion, err);
            goto out;
        }
    }
    for (int32_t k = 0; k < norder; k++) {
        int32_t r = order[k];
        const struct region *rg = &m->regions[r];
        char rl[160] = "", cc[3];
        size_t len = 0;
        int state = copies[r].viol ? XS_VIOLATION : copies[r].waived ? XS_WAIVED : XS_OK;
        Agnode_t *n;

        for (int ro = 0; ro < ROLE_COUNT; ro++)
            if (roles[r][ro])
                len += (size_t)snprintf(rl + len, sizeof rl - len, "%s%c %s", len ? "  " : "",
                                        role_letter[ro], thousands(d, roles[r][ro]));
        sm_cc_str(rg->country, cc);
        n = agnode(group_cluster(d, region_group(d, r)),
                   (char *)dstr(d, "region:%s", dclean(d, rg->id)), 1);
        rnode[r] = n;
        d->st.nodes++;
        nset(d, n, NA_LABEL, dstr(d, "%s (%s)\\n%s %s%s%s%s%s%s%s", dclean(d, rg->id),
                                  rg->global ? "any" : rg->country == SM_NONE ? "multi" : cc,
                                  thousands(d, copies[r].n), copies[r].n == 1 ? "copy" : "copies",
                                  *rl ? "\\n" : "", rl,
                                  copies[r].viol ? "\\n" : "",
                                  copies[r].viol ? dstr(d, "%s violating", thousands(d, copies[r].viol)) : "",
                                  inregion[r] ? "\\n" : "",
                                  inregion[r] ? dstr(d, "%s in-region flow%s", thousands(d, inregion[r]),
                                                     inregion[r] == 1 ? "" : "s") : ""));
        nset(d, n, NA_SHAPE, "box");
        nset(d, n, NA_COLOR, looks[state].color);
        nset(d, n, NA_FILL, looks[state].fill);
        nset(d, n, NA_FONTCOLOR, looks[state].font);
        nset(d, n, NA_PENWIDTH, looks[state].penwidth);
    }
    for (int32_t a = 0; a < norder; a++)
        for (int32_t b = 0; b < norder; b++) {
            int32_t ra = order[a], rb = order[b];
            const struct rcount *c = &pair[(size_t)ra * nr + rb];
            bool cross = cross_border(m, ra, rb);
            Agedge_t *e;

            if (!c->n)
                continue;
            e = agedge(d->g, rnode[ra], rnode[rb], NULL, 1);
            d->st.edges++;
            eset(d, e, EA_PENWIDTH, dstr(d, "%.1f", (c->viol ? 1.5 : 0.0) + 1.0 + log10((double)c->n)));
            eset(d, e, EA_STYLE, c->viol ? (cross ? "bold,dashed" : "bold") : cross ? "dashed" : "solid");
            if (c->viol) {
                eset(d, e, EA_COLOR, C_RED);
                eset(d, e, EA_FONTCOLOR, C_RED);
                eset(d, e, EA_XLABEL, dstr(d, "%s (%s violating)", thousands(d, c->n),
                                          thousands(d, c->viol)));
                d->st.red_edges++;
            } else if (c->waived) {
                eset(d, e, EA_COLOR, C_MUTED);
                eset(d, e, EA_XLABEL, dstr(d, "%s (%s waived)", thousands(d, c->n),
                                          thousands(d, c->waived)));
            } else {
                eset(d, e, EA_XLABEL, thousands(d, c->n));
            }
            eset(d, e, EA_TOOLTIP, dstr(d, "%s -> %s: %s flows and copies", dclean(d, m->regions[ra].id),
                                        dclean(d, m->regions[rb].id), thousands(d, c->n)));
        }
    legend_regions(d);
out:
    free(pair);
    free(roles);
    free(copies);
    free(inregion);
    free(keep_ds);
    free(order);
    free(rnode);
    return rc;
}

/* ---- the systems view -----------------------------------------------------------------------
 * Between the full view (a node per copy: unreadable past a few hundred
 * datasets) and the regions view (a node per region: who is involved is
 * lost): one node per (region, system, tier) with its copies counted,
 * edges summed per pair of such nodes, violations red with their counts and
 * rule ids. The node count is bounded by regions x systems x tiers, not by
 * datasets, so it stays legible from a thousand datasets to a million. */

struct snode {
    int32_t region;             /* SM_NONE: an export target outside the model */
    int32_t xregion;            /* for an export target: its region */
    const char *system;
    int32_t tier;
    int32_t roles[ROLE_COUNT];
    struct rcount c;
    const char *rules;          /* violating rule ids, arena */
    struct rcount fl;           /* flows from it to another row of its region */
    const char *fl_rules;
    Agnode_t *n;
};

struct sedge {
    int32_t a, b;               /* regions */
    struct rcount c;
    const char *rules;
    const char *who;            /* violating system pairs, "crm -> billing, ..." */
    int32_t nwho;
};

struct sys {
    struct dg *d;
    struct snode *nodes;
    int32_t nnodes, cap_nodes;
    struct sedge *edges;
    int32_t nedges, cap_edges;
    struct sm_map nkeys, ekeys;
};

static const char *
add_rules(struct dg *d, const char *have, const char *rules)
{
    const char *out = have ? have : "";

    /* rules is "RES001 XFR002": add each id not there yet */
    for (const char *p = rules; p && *p;) {
        size_t n = strcspn(p, " ");
        char *id = sm_arena_strndup(&d->a, p, n);
        if (id && *id && !strstr(out, id))
            out = *out ? dstr(d, "%s %s", out, id) : id;
        p += n + (p[n] == ' ');
    }
    return out;
}

static void
count_state(struct dg *d, struct rcount *c, const char **rules, const struct xstatus *s)
{
    c->n++;
    if (s->state == XS_VIOLATION) {
        c->viol++;
        *rules = add_rules(d, *rules, s->rules);
    } else if (s->state == XS_WAIVED) {
        c->waived++;
    }
}

static int32_t
sys_node(struct sys *y, int32_t region, int32_t xregion, const char *system, int32_t tier)
{
    struct dg *d = y->d;
    const char *key = region != SM_NONE ? dstr(d, "%d|%d|%s", (int)region, (int)tier, system)
                                        : dstr(d, "x|%d", (int)xregion);
    int32_t k = sm_map_get(&y->nkeys, key);

    if (k != SM_NONE)
        return k;
    if (sm_grow((void **)&y->nodes, &y->cap_nodes, y->nnodes + 1, sizeof *y->nodes) ||
        sm_map_put(&y->nkeys, key, y->nnodes))
        return SM_NONE;
    memset(&y->nodes[y->nnodes], 0, sizeof *y->nodes);
    y->nodes[y->nnodes] = (struct snode){ .region = region, .xregion = xregion,
                                          .system = system, .tier = tier, .rules = "",
                                          .fl_rules = "" };
    return y->nnodes++;
}

/* Flows between regions are summed per region pair (one edge each, so the
 * layout stays as small as the regions view); the system pairs behind the
 * violating ones are named on the edge. */
static int
sys_edge(struct sys *y, int32_t a, int32_t b, const struct xstatus *s)
{
    struct dg *d = y->d;
    const struct snode *na = &y->nodes[a], *nb = &y->nodes[b];
    int32_t ra = na->region != SM_NONE ? na->region : na->xregion;
    int32_t rb = nb->region != SM_NONE ? nb->region : nb->xregion;
    const char *key = dstr(d, "%d>%d", (int)ra, (int)rb);
    int32_t k = sm_map_get(&y->ekeys, key);
    struct sedge *e;

    if (k == SM_NONE) {
        if (sm_grow((void **)&y->edges, &y->cap_edges, y->nedges + 1, sizeof *y->edges) ||
            sm_map_put(&y->ekeys, key, y->nedges))
            return SM_ENOMEM;
        y->edges[y->nedges] = (struct sedge){ ra, rb, { 0, 0, 0 }, "", "", 0 };
        k = y->nedges++;
    }
    e = &y->edges[k];
    count_state(d, &e->c, &e->rules, s);
    if (s->state == XS_VIOLATION) {
        const char *pair = dstr(d, "%s -> %s", *na->system ? na->system : "?",
                                nb->region == SM_NONE ? "export" : *nb->system ? nb->system : "?");
        if (!strstr(e->who, pair)) {
            if (e->nwho < 3)
                e->who = *e->who ? dstr(d, "%s, %s", e->who, pair) : pair;
            else if (e->nwho == 3)
                e->who = dstr(d, "%s, ...", e->who);
            e->nwho++;
        }
    }
    return SM_OK;
}

static const struct model *snode_model;
static const char **snode_group;

static int
snode_cmp(const void *x, const void *y)
{
    const struct snode *a = x, *b = y;
    const struct model *m = snode_model;
    int ra = a->region != SM_NONE ? a->region : a->xregion;
    int rb = b->region != SM_NONE ? b->region : b->xregion;
    int c = strcmp(snode_group[ra], snode_group[rb]);

    if (c)
        return c;
    if ((c = strcmp(m->regions[ra].id, m->regions[rb].id)))
        return c;
    if ((a->region == SM_NONE) != (b->region == SM_NONE))
        return a->region == SM_NONE ? 1 : -1;
    if ((c = strcmp(a->system, b->system)))
        return c;
    {
        int32_t ka = a->tier != SM_NONE ? m->tiers[a->tier].rank : INT32_MIN;
        int32_t kb = b->tier != SM_NONE ? m->tiers[b->tier].rank : INT32_MIN;
        return ka != kb ? (ka > kb ? -1 : 1) : 0;
    }
}

static const int32_t *sedge_rank;

static int
sedge_cmp(const void *x, const void *y)
{
    const struct sedge *a = x, *b = y;
    int32_t pa = sedge_rank[a->a], pb = sedge_rank[b->a];

    if (pa != pb)
        return pa < pb ? -1 : 1;
    pa = sedge_rank[a->b];
    pb = sedge_rank[b->b];
    return pa < pb ? -1 : pa > pb;
}

static void
legend_systems(struct dg *d)
{
    Agraph_t *lg = legend_cluster(d);
    Agnode_t *row = NULL, *n;

    n = legend_node(d, lg, "region: a row per system and tier,\ncopies by role (P primary R replica "
                    "B backup\nD dr C cache A archive E edge)", "box", XS_OK);
    chain(d, lg, &row, n, n);
    n = legend_node(d, lg, "region with violations\n(the rows say which, with rule ids)", "box",
                    XS_VIOLATION);
    chain(d, lg, &row, n, n);
    row = NULL;
    legend_edge(d, lg, &row, "flows and replications", "count", C_EDGE, "solid", "1", "normal");
    legend_edge(d, lg, &row, "cross-border", "count", C_EDGE, "dashed", "1.4", "normal");
    legend_edge(d, lg, &row, "some violate", "count (violating: rules)", C_RED, "bold", "2.5",
                "normal");
}

static int
build_systems(struct dg *d, struct sm_error *err)
{
    static const char role_letter[ROLE_COUNT] = { 'P', 'R', 'B', 'D', 'C', 'A', 'E' };
    const struct model *m = d->m;
    const struct export_opts *o = d->o;
    struct sys y = { .d = d };
    uint8_t *keep_ds = calloc((size_t)m->ndatasets + 1, 1);
    int32_t *pnode = malloc(((size_t)m->nplacements + 1) * sizeof *pnode);
    int32_t *rank = NULL;
    int rc = SM_OK;

    sm_map_init(&y.nkeys);
    sm_map_init(&y.ekeys);
    if (!keep_ds || !pnode) {
        rc = sm_error_set(err, SM_ENOMEM, "diagram: out of memory");
        goto out;
    }
    if ((rc = kept_datasets(m, o, keep_ds, err)))
        goto out;
    for (int32_t i = 0; i < m->nplacements; i++) {
        const struct placement *p = &m->placements[i];
        const struct dataset *ds = &m->datasets[p->dataset];
        int32_t k;

        pnode[i] = SM_NONE;
        if (p->deleted || !keep_ds[p->dataset] || !region_passes(d, p->region))
            continue;
        region_group(d, p->region);
        if ((k = sys_node(&y, p->region, SM_NONE, ds->system ? ds->system : "", ds->tier)) ==
            SM_NONE)
            goto oom;
        pnode[i] = k;
        y.nodes[k].roles[p->role]++;
        count_state(d, &y.nodes[k].c, &y.nodes[k].rules, &d->x.placement[i]);
    }
    /* flows and implicit replications between the nodes of their ends */
    for (int32_t i = 0; i < m->nflows + m->nplacements; i++) {
        int32_t a, b, prim;
        const struct xstatus *s;

        if (i < m->nflows) {
            const struct flow *f = &m->flows[i];
            if (f->deleted || (a = pnode[f->from]) == SM_NONE)
                continue;
            if (f->to != SM_NONE) {
                b = pnode[f->to];
                if (b == SM_NONE)
                    continue;
            } else {
                if (f->to_region < 0 || !region_passes(d, f->to_region))
                    continue;
                region_group(d, f->to_region);
                if ((b = sys_node(&y, SM_NONE, f->to_region, "", SM_NONE)) == SM_NONE)
                    goto oom;
            }
            s = &d->x.flow[i];
        } else {
            int32_t pi = i - m->nflows;
            const struct placement *p = &m->placements[pi];
            if (p->deleted || p->role == ROLE_PRIMARY || d->x.has_inflow[pi] ||
                pnode[pi] == SM_NONE || (prim = model_primary(m, p->dataset)) == SM_NONE ||
                prim == pi || pnode[prim] == SM_NONE)
                continue;
            a = pnode[prim];
            b = pnode[pi];
            s = &d->x.implicit[pi];
        }
        if (a == b || (y.nodes[a].region != SM_NONE && y.nodes[a].region == y.nodes[b].region)) {
            /* within one region: counted on the source's row (Graphviz
             * cannot route an edge between two ports of one node) */
            count_state(d, &y.nodes[a].fl, &y.nodes[a].fl_rules, s);
            continue;
        }
        if (sys_edge(&y, a, b, s))
            goto oom;
    }
    /* deterministic order: nodes by jurisdiction, region, system, tier;
     * edges by the position of their regions' first rows */
    snode_model = m;
    snode_group = d->rgroup;
    qsort(y.nodes, (size_t)y.nnodes, sizeof *y.nodes, snode_cmp);
    if (!(rank = malloc(((size_t)m->nregions + 1) * sizeof *rank)))
        goto oom;
    for (int32_t k = y.nnodes - 1; k >= 0; k--)
        rank[y.nodes[k].region != SM_NONE ? y.nodes[k].region : y.nodes[k].xregion] = k;
    sedge_rank = rank;
    qsort(y.edges, (size_t)y.nedges, sizeof *y.edges, sedge_cmp);
    /* one node per region: an HTML table with a row (and a port) per
     * (system, tier); the layout then has as many nodes as regions, so its
     * size does not grow with the datasets */
    {
        Agnode_t **rnode = calloc((size_t)m->nregions + 1, sizeof *rnode);

        if (!rnode)
            goto oom;
        for (int32_t k = 0; k < y.nnodes;) {
            int32_t r = y.nodes[k].region != SM_NONE ? y.nodes[k].region : y.nodes[k].xregion;
            const struct region *rg = &m->regions[r];
            struct rcount tot = { 0, 0, 0 };
            char cc[3];
            const char *rows = "";
            int32_t j;
            int state;

            for (j = k; j < y.nnodes && (y.nodes[j].region != SM_NONE ? y.nodes[j].region
                                                                      : y.nodes[j].xregion) == r; j++) {
                struct snode *sn = &y.nodes[j];
                int st = sn->c.viol || sn->fl.viol ? XS_VIOLATION : sn->c.waived ? XS_WAIVED : XS_OK;
                char rl[160] = "";
                size_t len = 0;

                tot.n += sn->c.n;
                tot.viol += sn->c.viol + sn->fl.viol;
                tot.waived += sn->c.waived;
                if (sn->region == SM_NONE) {
                    rows = dstr(d, "%s<TR><TD COLSPAN=\"3\" ALIGN=\"LEFT\"><I>recipients "
                                "(exports)</I></TD></TR>", rows);
                    continue;
                }
                for (int ro = 0; ro < ROLE_COUNT; ro++)
                    if (sn->roles[ro])
                        len += (size_t)snprintf(rl + len, sizeof rl - len, "%s%c %s",
                                                len ? " " : "", role_letter[ro],
                                                thousands(d, sn->roles[ro]));
                rows = dstr(d, "%s<TR><TD ALIGN=\"LEFT\"%s>%s%s%s</TD>"
                            "<TD ALIGN=\"LEFT\"%s>%s</TD><TD ALIGN=\"LEFT\"%s>%s%s%s%s</TD></TR>",
                            rows, st == XS_VIOLATION ? " BGCOLOR=\"" C_RED_FILL "\"" : "",
                            st == XS_VIOLATION ? "<FONT COLOR=\"" C_RED "\">" : "",
                            html_text(d, *sn->system ? sn->system : "(no system)"),
                            st == XS_VIOLATION ? "</FONT>" : "",
                            st == XS_VIOLATION ? " BGCOLOR=\"" C_RED_FILL "\"" : "",
                            html_text(d, sn->tier != SM_NONE ? m->tiers[sn->tier].name
                                                             : "unclassified"),
                            st == XS_VIOLATION ? " BGCOLOR=\"" C_RED_FILL "\"" : "", rl,
                            sn->c.viol ? "<BR/>" : "",
                            sn->c.viol ? dstr(d, "<FONT COLOR=\"" C_RED "\">%s violating: %s</FONT>",
                                              thousands(d, sn->c.viol), html_text(d, sn->rules))
                                       : "",
                            sn->fl.n ? dstr(d, "<BR/>%s in-region flow%s%s", thousands(d, sn->fl.n),
                                            sn->fl.n == 1 ? "" : "s",
                                            sn->fl.viol ? dstr(d, "<FONT COLOR=\"" C_RED "\"> (%s "
                                                               "violating: %s)</FONT>",
                                                               thousands(d, sn->fl.viol),
                                                               html_text(d, sn->fl_rules)) : "")
                                     : "");
            }
            state = tot.viol ? XS_VIOLATION : tot.waived ? XS_WAIVED : XS_OK;
            sm_cc_str(rg->country, cc);
            rnode[r] = agnode(group_cluster(d, region_group(d, r)),
                              (char *)dstr(d, "region:%s", dclean(d, rg->id)), 1);
            d->st.nodes++;
            agxset(rnode[r], d->na[NA_LABEL],
                   agstrdup_html(d->g, (char *)dstr(d, "<TABLE BORDER=\"0\" CELLBORDER=\"1\" "
                                 "CELLSPACING=\"0\" CELLPADDING=\"3\"><TR><TD COLSPAN=\"3\">"
                                 "<B>%s</B> (%s)<BR/>%s %s</TD></TR>%s</TABLE>",
                                 html_text(d, rg->id),
                                 rg->global ? "any" : rg->country == SM_NONE ? "multi" : cc,
                                 thousands(d, tot.n), tot.n == 1 ? "copy" : "copies", rows)));
            nset(d, rnode[r], NA_SHAPE, "plaintext");
            nset(d, rnode[r], NA_COLOR, looks[state].color);
            /* the review pack's map has the region's column at #r-HEX */
            {
                const char *hex = "";
                for (const unsigned char *p = (const unsigned char *)rg->id; *p; p++)
                    hex = dstr(d, "%s%02x", hex, *p);
                agsafeset(rnode[r], "URL", (char *)dstr(d, "#r-%s", hex), "");
            }
            k = j;
        }
        for (int32_t k = 0; k < y.nedges; k++) {
            const struct sedge *se = &y.edges[k];
            int32_t ra = se->a, rb = se->b;
            bool cross = cross_border(m, ra, rb);
            Agedge_t *e = agedge(d->g, rnode[ra], rnode[rb], NULL, 1);

            d->st.edges++;
            eset(d, e, EA_PENWIDTH, dstr(d, "%.1f", (se->c.viol ? 1.5 : 0.0) + 1.0 +
                                         log10((double)se->c.n)));
            eset(d, e, EA_STYLE, se->c.viol ? (cross ? "bold,dashed" : "bold")
                                            : cross ? "dashed" : "solid");
            if (se->c.viol) {
                eset(d, e, EA_COLOR, C_RED);
                eset(d, e, EA_FONTCOLOR, C_RED);
                eset(d, e, EA_XLABEL, dstr(d, "%s (%s violating: %s; %s)", thousands(d, se->c.n),
                                          thousands(d, se->c.viol), se->rules, dclean(d, se->who)));
                d->st.red_edges++;
            } else if (se->c.waived) {
                eset(d, e, EA_COLOR, C_MUTED);
                eset(d, e, EA_XLABEL, dstr(d, "%s (%s waived)", thousands(d, se->c.n),
                                          thousands(d, se->c.waived)));
            } else {
                eset(d, e, EA_XLABEL, thousands(d, se->c.n));
            }
        }
        free(rnode);
    }
    legend_systems(d);
    goto out;
oom:
    rc = sm_error_set(err, SM_ENOMEM, "diagram: out of memory");
out:
    free(keep_ds);
    free(pnode);
    free(rank);
    free(y.nodes);
    free(y.edges);
    sm_map_fini(&y.nkeys);
    sm_map_fini(&y.ekeys);
    return rc;
}

/* ---- the change diagram of a scenario ------------------------------------------------------ */

#define C_GREEN      "#1a7f37"
#define C_GREEN_FILL "#e6f4ea"
#define C_BLUE       "#1f5fbf"

enum { CH_NEW = 1, CH_RESOLVED = 2, CH_ADDED = 4, CH_MOVED = 8 };

struct chmark {
    uint8_t flags;
    const char *newr, *resr;    /* rule ids, arena */
};

static const char *
append_rule(struct dg *d, const char *have, const char *rule)
{
    if (!have || !*have)
        return dstr(d, "%s", rule);
    if (strstr(have, rule))
        return have;
    return dstr(d, "%s %s", have, rule);
}

/* The after-model object a finding is about, as (placement, flow). */
static void
finding_target(const struct model *fm, const struct model *am, const struct finding *f,
               int32_t *pl, int32_t *fl)
{
    int32_t id = SM_NONE;

    *pl = *fl = SM_NONE;
    if (f->kind != OBJ_PLACEMENT && f->kind != OBJ_FLOW && f->kind != OBJ_DATASET)
        return;
    /* The scenario's model is a clone of the catalog: an object of the
     * catalog keeps its id (a moved copy keeps it under a new selector).
     * Objects the before side added itself are matched by selector. */
    if (fm == am || (f->object >= 0 && f->object < fm->nplacements && f->kind == OBJ_PLACEMENT &&
                     f->object < am->nplacements) ||
        (f->kind == OBJ_FLOW && f->object >= 0 && f->object < am->nflows && f->object < fm->nflows) ||
        (f->kind == OBJ_DATASET && f->object >= 0 && f->object < am->ndatasets &&
         f->object < fm->ndatasets))
        id = f->object;
    else if (model_find(am, (enum obj_kind)f->kind, f->selector, &id, NULL) != SM_OK)
        return;
    if (f->kind == OBJ_PLACEMENT)
        *pl = id;
    else if (f->kind == OBJ_FLOW)
        *fl = id;
    else
        *pl = model_primary(am, id);
}

static void
legend_changes(struct dg *d)
{
    Agraph_t *lg = legend_cluster(d);
    Agnode_t *row = NULL, *n;

    n = legend_node(d, lg, "new violation\\nrule ids", "box", XS_VIOLATION);
    chain(d, lg, &row, n, n);
    n = legend_node(d, lg, "resolved\\nrule ids", "box", XS_OK);
    nset(d, n, NA_COLOR, C_GREEN);
    nset(d, n, NA_FILL, C_GREEN_FILL);
    nset(d, n, NA_FONTCOLOR, C_GREEN);
    chain(d, lg, &row, n, n);
    n = legend_node(d, lg, "added copy", "box", XS_OK);
    nset(d, n, NA_COLOR, C_BLUE);
    chain(d, lg, &row, n, n);
    n = legend_node(d, lg, "where a moved copy was", "box", XS_WAIVED);
    nset(d, n, NA_STYLE, "dashed");
    chain(d, lg, &row, n, n);
    row = NULL;
    legend_edge(d, lg, &row, "moved copy", "moved", C_BLUE, "dashed", "1.6", "normal");
    legend_edge(d, lg, &row, "flow with a new violation", "kind: RULE", C_RED, "bold", "2.5",
                "normal");
    legend_edge(d, lg, &row, "flow with a resolved finding", "kind: resolved RULE", C_GREEN,
                "solid", "2", "normal");
}

static Agnode_t *
change_node(struct dg *d, Agnode_t **pnode, int32_t p, const struct chmark *mk)
{
    const struct model *m = d->m;
    const struct placement *pl = &m->placements[p];
    char sel[1100];
    Agnode_t *n;

    if (pnode[p])
        return pnode[p];
    model_selector(m, OBJ_PLACEMENT, p, sel, sizeof sel);
    n = pnode[p] = agnode(region_cluster(d, pl->region), (char *)dclean(d, sel), 1);
    d->st.nodes++;
    d->ncopies++;
    nset(d, n, NA_LABEL, dstr(d, "%s\\n%s%s%s%s%s%s", dclean(d, m->datasets[pl->dataset].name),
                              role_names[pl->role],
                              mk->flags & CH_ADDED ? " (added)" : "",
                              mk->newr ? "\\nnew " : "", mk->newr ? dclean(d, mk->newr) : "",
                              mk->resr ? "\\nresolved " : "", mk->resr ? dclean(d, mk->resr) : ""));
    if (m->datasets[pl->dataset].tier != SM_NONE)
        nset(d, n, NA_SHAPE, tier_shapes[d->tier_shape[m->datasets[pl->dataset].tier]]);
    else
        nset(d, n, NA_SHAPE, SHAPE_UNCLASSIFIED);
    if (mk->flags & CH_NEW) {
        nset(d, n, NA_COLOR, C_RED);
        nset(d, n, NA_FILL, C_RED_FILL);
        nset(d, n, NA_FONTCOLOR, C_RED);
        nset(d, n, NA_PENWIDTH, "2.5");
    } else if (mk->flags & CH_RESOLVED) {
        nset(d, n, NA_COLOR, C_GREEN);
        nset(d, n, NA_FILL, C_GREEN_FILL);
        nset(d, n, NA_FONTCOLOR, C_GREEN);
        nset(d, n, NA_PENWIDTH, "2");
    } else if (mk->flags & CH_ADDED) {
        nset(d, n, NA_COLOR, C_BLUE);
    }
    return n;
}

int
export_changes(const struct scenario_change_set *cs, const struct export_opts *opts,
               const char *fmt, FILE *f, struct export_stats *stats, struct sm_error *err)
{
    struct export_opts defaults;
    const struct export_opts *o = opts;
    const struct model *am = cs->after->m, *bm = cs->before->m;
    const struct check_result *ra = cs->after->res, *rb = cs->before->res;
    const struct scenario_diff *df = cs->diff;
    struct chmark *pm = NULL, *fmk = NULL;
    Agnode_t **pnode = NULL;
    struct dg d;
    char title[512];
    int32_t nnew = 0, nres = 0, nmoved = 0;
    int rc;

    if (strcmp(fmt, "dot") && strcmp(fmt, "svg") && strcmp(fmt, "png") && strcmp(fmt, "pdf") &&
        strcmp(fmt, "mermaid"))
        return sm_error_set(err, SM_EINVAL, "the change diagram is a diagram: use dot, svg, "
                            "png or pdf, not %s", fmt);
    if (!o) {
        export_opts_init(&defaults);
        o = &defaults;
    }
    snprintf(title, sizeof title, "sovmap \xe2\x80\x94 what scenario %s changes", cs->after->name);
    if ((rc = dg_init(&d, am, ra, o, title, err)))
        goto out;
    pm = calloc((size_t)am->nplacements + 1, sizeof *pm);
    fmk = calloc((size_t)am->nflows + 1, sizeof *fmk);
    pnode = calloc((size_t)am->nplacements + 1, sizeof *pnode);
    if (!pm || !fmk || !pnode) {
        rc = sm_error_set(err, SM_ENOMEM, "diagram: out of memory");
        goto out;
    }
    for (int32_t i = 0; i < df->nfindings; i++) {
        const struct sdiff_finding *sf = &df->findings[i];
        const struct finding *fd;
        bool isnew = sf->status == SDIFF_NEW;
        int32_t pl, fl;

        if (sf->status != SDIFF_NEW && sf->status != SDIFF_RESOLVED)
            continue;
        fd = isnew ? &ra->findings[sf->after] : &rb->findings[sf->before];
        if (fd->waived || fd->severity < SEV_WARNING)
            continue;
        finding_target(isnew ? am : bm, am, fd, &pl, &fl);
        if (isnew)
            nnew++;
        else
            nres++;
        if (pl >= 0 && pl < am->nplacements && !am->placements[pl].deleted) {
            pm[pl].flags |= isnew ? CH_NEW : CH_RESOLVED;
            if (isnew)
                pm[pl].newr = append_rule(&d, pm[pl].newr, fd->rule);
            else
                pm[pl].resr = append_rule(&d, pm[pl].resr, fd->rule);
        } else if (fl >= 0 && fl < am->nflows && !am->flows[fl].deleted) {
            fmk[fl].flags |= isnew ? CH_NEW : CH_RESOLVED;
            if (isnew)
                fmk[fl].newr = append_rule(&d, fmk[fl].newr, fd->rule);
            else
                fmk[fl].resr = append_rule(&d, fmk[fl].resr, fd->rule);
        }
    }
    for (int32_t i = 0; i < df->nchanges; i++) {
        const struct schange *c = &df->changes[i];
        if (c->obj != OBJ_PLACEMENT || c->after < 0 || c->after >= am->nplacements)
            continue;
        if (c->kind == SCHANGE_MOVED)
            pm[c->after].flags |= CH_MOVED;
        else if (c->kind == SCHANGE_ADDED)
            pm[c->after].flags |= CH_ADDED;
    }
    /* Nodes in selector order (change_node is idempotent). */
    for (int32_t p = 0; p < am->nplacements; p++)
        if (pm[p].flags && !am->placements[p].deleted)
            change_node(&d, pnode, p, &pm[p]);
    for (int32_t i = 0; i < df->nchanges; i++) {
        const struct schange *c = &df->changes[i];
        int32_t from;
        Agnode_t *ghost;
        Agedge_t *e;

        if (c->kind != SCHANGE_MOVED || c->obj != OBJ_PLACEMENT || c->after < 0 ||
            c->after >= am->nplacements || c->from_region < 0 || c->from_region >= bm->nregions ||
            (from = model_region(am, bm->regions[c->from_region].id)) == SM_NONE)
            continue;
        ghost = agnode(region_cluster(&d, from), (char *)dstr(&d, "was:%s",
                       dclean(&d, c->old_selector ? c->old_selector : c->selector)), 1);
        d.st.nodes++;
        nset(&d, ghost, NA_LABEL, dstr(&d, "%s\\nwas here",
                                       dclean(&d, am->datasets[am->placements[c->after].dataset].name)));
        nset(&d, ghost, NA_STYLE, "dashed");
        nset(&d, ghost, NA_COLOR, C_MUTED);
        nset(&d, ghost, NA_FONTCOLOR, "#5f6b76");
        e = agedge(d.g, ghost, pnode[c->after], NULL, 1);
        d.st.edges++;
        nmoved++;
        eset(&d, e, EA_COLOR, C_BLUE);
        eset(&d, e, EA_FONTCOLOR, C_BLUE);
        eset(&d, e, EA_STYLE, "dashed");
        eset(&d, e, EA_PENWIDTH, "1.6");
        eset(&d, e, EA_XLABEL, "moved");
    }
    for (int32_t i = 0; i < am->nflows; i++) {
        const struct flow *fl = &am->flows[i];
        struct chmark none = { 0, NULL, NULL };
        Agnode_t *a, *b;
        Agedge_t *e;
        bool isnew;

        if (!fmk[i].flags || fl->deleted || fl->to == SM_NONE)
            continue;
        isnew = fmk[i].flags & CH_NEW;
        a = change_node(&d, pnode, fl->from, pm[fl->from].flags ? &pm[fl->from] : &none);
        b = change_node(&d, pnode, fl->to, pm[fl->to].flags ? &pm[fl->to] : &none);
        e = agedge(d.g, a, b, NULL, 1);
        d.st.edges++;
        eset(&d, e, EA_COLOR, isnew ? C_RED : C_GREEN);
        eset(&d, e, EA_FONTCOLOR, isnew ? C_RED : C_GREEN);
        eset(&d, e, EA_PENWIDTH, isnew ? "2.5" : "2");
        eset(&d, e, EA_STYLE, isnew ? "bold" : "solid");
        eset(&d, e, EA_XLABEL, dstr(&d, "%s: %s%s", flow_kind_names[fl->kind],
                                    isnew ? "" : "resolved ",
                                    dclean(&d, isnew ? fmk[i].newr : fmk[i].resr)));
        d.st.red_edges += isnew;
    }
    legend_changes(&d);
    gset(&d, d.g, GA_LABEL, dstr(&d, "%s\\n%d new finding%s (red), %d resolved (green), "
                                 "%d cop%s moved (dashed)", title, (int)nnew, nnew == 1 ? "" : "s",
                                 (int)nres, (int)nmoved, nmoved == 1 ? "y" : "ies"));
    rc = render(&d, fmt, f, err);
out:
    if (stats)
        *stats = d.st;
    free(pm);
    free(fmk);
    free(pnode);
    dg_fini(&d);
    return rc;
}

/* ---- entry point ------------------------------------------------------------------------------ */

int
export_diagram(const struct model *m, const struct check_result *r,
               const struct export_opts *opts, const char *fmt, FILE *f,
               struct export_stats *stats, struct sm_error *err)
{
    struct export_opts defaults;
    const struct export_opts *o = opts;
    struct dg d;
    int32_t focus = SM_NONE, limit;
    int32_t nviol = 0;
    char title[512], day[11];
    bool layout = strcmp(fmt, "dot") != 0 && strcmp(fmt, "mermaid") != 0;
    int rc;

    if (strcmp(fmt, "dot") && strcmp(fmt, "svg") && strcmp(fmt, "png") && strcmp(fmt, "pdf") &&
        strcmp(fmt, "mermaid"))
        return sm_error_set(err, SM_EINVAL, "unknown diagram format %s", fmt);
    if (!o) {
        export_opts_init(&defaults);
        o = &defaults;
    }
    if (o->view == EXPORT_VIEW_FOCUS) {
        if (!o->focus || !*o->focus)
            return sm_error_set(err, SM_EUSAGE, "--view focus needs --focus DATASET");
        if ((rc = model_find(m, OBJ_DATASET, o->focus, &focus, err)))
            return rc;
        if (o->hops < 0)
            return sm_error_set(err, SM_EUSAGE, "--hops must be 0 or more");
    }
    snprintf(title, sizeof title, "sovmap data flows \xe2\x80\x94 %s view%s%s",
             export_view_names[o->view], o->stamp ? ", generated " : "",
             o->stamp ? (sm_date_fmt(o->today, day), day) : "");
    if ((rc = dg_init(&d, m, r, o, title, err)))
        goto out;
    if (o->view == EXPORT_VIEW_REGIONS)
        rc = build_regions(&d, err);
    else if (o->view == EXPORT_VIEW_SYSTEMS)
        rc = build_systems(&d, err);
    else
        rc = build_full(&d, focus, err);
    if (rc)
        goto out;
    /* the live findings of what the diagram shows (a focus or filtered view
     * does not count the whole catalog's) */
    for (int32_t i = 0; r && i < r->nfindings; i++) {
        const struct finding *fd = &r->findings[i];
        if (!fd->waived && fd->severity >= SEV_WARNING &&
            (!d.ds_drawn || (fd->dataset >= 0 && fd->dataset < m->ndatasets &&
                             d.ds_drawn[fd->dataset])))
            nviol++;
    }
    {
        const char *t = d.summary_note
                      ? dstr(&d, "%s\\n%s; %d drawn red; %s live findings", title, d.summary_note,
                             (int)d.st.red_edges, thousands(&d, nviol))
                      : dstr(&d, o->view == EXPORT_VIEW_REGIONS
                             ? "%s\\n%d regions, %d counted edges, %d drawn red; %s live findings"
                             : o->view == EXPORT_VIEW_SYSTEMS
                             ? "%s\\n%d regions (a row per system and tier), %d counted edges, %d drawn red; %s live findings"
                             : "%s\\n%d copies, %d edges, %d drawn red; %s live findings",
                             title, (int)(o->view != EXPORT_VIEW_FULL && o->view != EXPORT_VIEW_FOCUS
                                          ? d.st.nodes : d.ncopies),
                             (int)d.st.edges, (int)d.st.red_edges, thousands(&d, nviol));
        gset(&d, d.g, GA_LABEL, t);
    }
    limit = o->layout_limit > 0 ? o->layout_limit : EXPORT_LAYOUT_LIMIT;
    if (layout && (o->view == EXPORT_VIEW_FULL || o->view == EXPORT_VIEW_FOCUS) &&
        d.st.nodes + d.st.edges > limit) {
        /* edges, not flows: implicit replications between a dataset's
         * copies are edges too (100,000 copies and no flow is not "100000
         * flows") */
        rc = sm_error_set(err, SM_ELIMIT, "%s: %d copies and %d edges are more than dot lays "
                          "out in reasonable time (limit %d); use --view systems, --view regions, --view focus "
                          "or a filter (--tier, --system, --jurisdiction)", fmt,
                          (int)d.st.nodes, (int)d.st.edges, (int)limit);
        goto out;
    }
    rc = render(&d, fmt, f, err);
out:
    if (stats)
        *stats = d.st;
    if (o->stats)
        *o->stats = d.st;
    dg_fini(&d);
    return rc;
}

/* Graphviz 2.43 leaks inside dot's cluster layout, its plugin and font
 * caches (no frame of ours on those stacks). Every binary that renders a
 * diagram links this file: keep LeakSanitizer (SANITIZE=1 builds) to our
 * own allocations. Read only by sanitizer runtimes; valgrind users have
 * tests/valgrind-graphviz.supp. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
    return "leak:libgvc.so\nleak:libgvplugin_\nleak:libcgraph.so\nleak:libfontconfig.so\n"
           "leak:libpango\nleak:libcairo.so\nleak:libglib\n";
}
