/*
 * export_dot_render.c - laying a diagram out and writing it: the built
 * graph handed to Graphviz (dg_cgraph: the views' calls replayed into a
 * cgraph graph), Graphviz's error hook, the size check after layout (refuse
 * a page no renderer or reader can use), svg/png/pdf output with PDF dates
 * pinned, DOT (export_dot_graph.c), and the same graph as a Mermaid
 * flowchart.
 *
 * Moved out of export_dot.c; reads only the built graph (struct dg).
 */
#include "export_dot_int.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

#define NAME_PAD 16

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
    /* cgraph asks aghtmlstr of a name it writes, which reads the refstr
     * header before the string: 16 zero bytes there, so that no name is
     * taken for HTML (with the arena's own bytes there, the first name of an
     * arena block was, by the heap address before it: `<name>` in agwrite) */
    if (sm_grow((void **)&st->names, &st->cap, st->nnames + 1, sizeof *st->names) ||
        !(key = sm_arena_alloc(&st->arena, NAME_PAD + strlen(str) + 1)))
        return 0;
    key += NAME_PAD;
    strcpy((char *)key, str);
    if (sm_map_put(&st->ids, key, st->nnames))
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

/* The built graph as cgraph would have it had the views called cgraph
 * themselves: the same calls in the same order (so the same ids, sequence
 * numbers, inherited graph attributes and interned strings), for the
 * layout. NULL when out of memory. */
static Agraph_t *
dg_cgraph(struct dg *d, struct idstate **ids)
{
    static Agdesc_t desc = { .directed = 1, .strict = 0, .no_loop = 0, .maingraph = 1 };
    static const int kinds[DK_COUNT] = { AGRAPH, AGNODE, AGEDGE };
    const struct dgraph *gr = &d->gr;
    Agraph_t **gs = calloc((size_t)gr->nsubs + 1, sizeof *gs), *g = NULL;
    Agnode_t **ns = calloc((size_t)gr->nnodes + 1, sizeof *ns);
    Agedge_t **es = calloc((size_t)gr->nedges + 1, sizeof *es);
    Agsym_t **sy[DK_COUNT] = { NULL, NULL, NULL };
    bool ok = gs && ns && es && !gr->nomem;

    for (int k = 0; k < DK_COUNT; k++)
        ok = ok && (sy[k] = calloc((size_t)gr->nsyms[k] + 1, sizeof *sy[k]));
    if (ok && (!(*ids = idstate_new()) || !(g = agopen("sovmap", desc, &(*ids)->disc))))
        ok = false;
    if (ok)
        gs[0] = g;
    for (int32_t i = 0; ok && i < gr->nops; i++) {
        const struct dgop *op = &gr->ops[i];
        void *obj;

        switch (op->op) {
        case DGOP_ATTR:
            ok = (sy[op->kind][op->a] = agattr(g, kinds[op->kind], (char *)op->s,
                                               (char *)op->s2)) != NULL;
            break;
        case DGOP_SUBG:
            ok = (gs[op->a] = agsubg(gs[op->b], (char *)op->s, 1)) != NULL;
            break;
        case DGOP_NODE:
            ok = (ns[op->a] = agnode(gs[op->b], (char *)op->s, 1)) != NULL;
            break;
        case DGOP_EDGE:
            ok = (es[op->a] = agedge(gs[op->b], ns[op->t], ns[op->h], NULL, 1)) != NULL;
            break;
        default:
            obj = op->kind == DK_GRAPH ? (void *)gs[op->a] : op->kind == DK_NODE
                ? (void *)ns[op->a] : (void *)es[op->a];
            ok = obj && sy[op->kind][op->b] &&
                 agxset(obj, sy[op->kind][op->b],
                        op->html ? agstrdup_html(g, (char *)op->s) : (char *)op->s) == 0;
            break;
        }
    }
    free(gs);
    free(ns);
    free(es);
    for (int k = 0; k < DK_COUNT; k++)
        free(sy[k]);
    if (!ok && g) {
        agclose(g);
        g = NULL;
    }
    return g;
}

/* ---- layout and rendering ------------------------------------------------------------- */

/* Graphviz reports errors through one process-wide hook; keep the first
 * (on the heap: it may quote a node's name whole). */
static char *gv_msg;
static int gv_nerr;

/* Keep msg as the first error, without a trailing blank or "Error: ". */
static void
gv_keep(const char *msg)
{
    size_t n;

    if (!strncmp(msg, "Error: ", 7))
        msg += 7;
    n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    free(gv_msg);
    if ((gv_msg = malloc(n + 1))) {
        memcpy(gv_msg, msg, n);
        gv_msg[n] = '\0';
    }
}

static int
gv_errf(char *msg)
{
    if (!gv_nerr++)
        gv_keep(msg);
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
    char digits[16];    /* bounded: a yyyymmdd date and six zeros */

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
    char *text;         /* the first line written, whole; NULL for none */
};

static void
stderr_grab(struct grab *g)
{
    g->text = NULL;
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
    size_t cap = 0;
    ssize_t n;

    if (!g->tmp)
        return;
    fflush(stderr);
    dup2(g->saved, 2);
    close(g->saved);
    rewind(g->tmp);
    if ((n = getline(&g->text, &cap, g->tmp)) < 0) {
        free(g->text);
        g->text = NULL;
    } else {
        g->text[strcspn(g->text, "\n")] = '\0';
    }
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
mm_label(FILE *f, const char *s, bool html)
{
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

static void
mm_value(struct dg *d, FILE *f, int kind, const void *obj, int32_t sym)
{
    bool html;
    const char *v = dg_get(d, kind, obj, sym, &html);

    mm_label(f, v, html);
}

static const char *
mm_attr(struct dg *d, int kind, const void *obj, int32_t sym)
{
    bool html;

    return dg_get(d, kind, obj, sym, &html);
}

static void
mm_cluster(struct dg *d, const struct dgindex *x, const struct dgs *g, FILE *f, int depth,
           int32_t *nsub)
{
    const struct dgraph *gr = &d->gr;

    for (int32_t k = x->child_start[g->idx]; k < x->child_start[g->idx + 1]; k++) {
        const struct dgs *sg = gr->subs[x->child[k]];
        const char *name = gr->nm[sg->id].s;

        if (strncmp(name, "cluster", 7) || !strcmp(name, "cluster_legend"))
            continue;
        fprintf(f, "%*ssubgraph c%d[", depth * 2, "", (int)(*nsub)++);
        mm_value(d, f, DK_GRAPH, sg, d->ga[GA_LABEL]);
        fputs("]\n", f);
        mm_cluster(d, x, sg, f, depth + 1, nsub);
        for (int32_t j = x->node_start[sg->idx]; j < x->node_start[sg->idx + 1]; j++) {
            const struct dgn *n = gr->nodes[x->node[j]];
            /* a node belongs to the innermost cluster holding it */
            if (dg_node_in_child(n, sg))
                continue;
            fprintf(f, "%*sn%lld[", depth * 2 + 2, "", (long long)n->seq + 1);
            mm_value(d, f, DK_NODE, n, d->na[NA_LABEL]);
            fputs("]\n", f);
        }
        fprintf(f, "%*send\n", depth * 2, "");
    }
}

static int
write_mermaid(struct dg *d, FILE *f, struct sm_error *err)
{
    const struct dgraph *gr = &d->gr;
    const struct dgs *lg = dg_subg(d, d->g, "cluster_legend", false);
    struct dgindex x;
    int32_t nsub = 0, nedge = 0, *out = NULL;
    bool any_bad = false;

    if (gr->nomem || dg_index_build(gr, &x))
        return sm_error_set(err, SM_ENOMEM, "mermaid: out of memory");
    if (!(out = malloc(((size_t)gr->nedges + 1) * sizeof *out))) {
        dg_index_fini(&x);
        return sm_error_set(err, SM_ENOMEM, "mermaid: out of memory");
    }
    fputs("%% ", f);
    for (const char *p = mm_attr(d, DK_GRAPH, d->g, d->ga[GA_LABEL]); *p; p++)
        if (p[0] == '\\' && p[1] == 'n') {
            fputs(" / ", f);
            p++;
        } else if (*p != '\n') {
            fputc(*p, f);
        }
    fputs("\nflowchart LR\n", f);
    mm_cluster(d, &x, d->g, f, 1, &nsub);
    /* nodes outside every cluster (none in sovmap's views, kept for safety) */
    for (int32_t i = 0; i < gr->nnodes; i++) {
        const struct dgn *n = gr->nodes[i];
        if (n->in)
            continue;
        fprintf(f, "  n%lld[", (long long)n->seq + 1);
        mm_value(d, f, DK_NODE, n, d->na[NA_LABEL]);
        fputs("]\n", f);
    }
    /* edges by tail, then head, then creation (cgraph's out-edge order) */
    for (int32_t i = 0; i < gr->nedges; i++)
        out[i] = i;
    if (dg_sort_out(gr, out, gr->nedges)) {
        free(out);
        dg_index_fini(&x);
        return sm_error_set(err, SM_ENOMEM, "mermaid: out of memory");
    }
    for (int32_t k = 0; k < gr->nedges; k++) {
        const struct dge *e = gr->edges[out[k]];
        const char *lab = mm_attr(d, DK_EDGE, e, d->ea[EA_XLABEL]);
        const char *style = mm_attr(d, DK_EDGE, e, d->ea[EA_STYLE]);
        bool dashed = strstr(style, "dashed") != NULL;
        int32_t la = d->ea[EA_XLABEL];

        if (lg && dg_node_in(e->t, lg))
            continue;
        if (!*lab) {
            lab = mm_attr(d, DK_EDGE, e, d->ea[EA_LABEL]);
            la = d->ea[EA_LABEL];
        }
        fprintf(f, "  n%lld %s", (long long)e->t->seq + 1, dashed ? "-.->" : "-->");
        if (*lab) {
            fputc('|', f);
            mm_value(d, f, DK_EDGE, e, la);
            fputc('|', f);
        }
        fprintf(f, " n%lld\n", (long long)e->h->seq + 1);
        if (!strcmp(mm_attr(d, DK_EDGE, e, d->ea[EA_COLOR]), C_RED)) {
            fprintf(f, "  linkStyle %d stroke:%s,stroke-width:2px,color:%s\n", (int)nedge,
                    C_RED, C_RED);
            any_bad = true;
        }
        nedge++;
    }
    for (int32_t i = 0; i < gr->nnodes; i++) {
        const struct dgn *n = gr->nodes[i];
        if (lg && dg_node_in(n, lg))
            continue;
        if (!strcmp(mm_attr(d, DK_NODE, n, d->na[NA_COLOR]), C_RED)) {
            fprintf(f, "  class n%lld bad\n", (long long)n->seq + 1);
            any_bad = true;
        }
    }
    if (any_bad)
        fprintf(f, "  classDef bad stroke:%s,stroke-width:2px,color:%s,fill:%s\n", C_RED, C_RED,
                C_RED_FILL);
    free(out);
    dg_index_fini(&x);
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
check_size(struct dg *d, Agraph_t *g, const char *fmt, struct sm_error *err)
{
    boxf bb = GD_bb(g);
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

int
render(struct dg *d, const char *fmt, FILE *f, struct sm_error *err)
{
    GVC_t *gvc;
    Agraph_t *g = NULL;
    struct idstate *ids = NULL;
    agusererrf old;
    agerrlevel_t oldlevel;
    char *data = NULL;
    unsigned int len = 0;
    int32_t lost = 0, total = 0;
    struct grab grab;
    int rc = SM_OK, lrc;

    if (!strcmp(fmt, "dot"))
        return dg_write_dot(d, f, err);
    if (!strcmp(fmt, "agwrite")) {
        /* the reference dg_write_dot is tested against */
        if (!(g = dg_cgraph(d, &ids)) || agwrite(g, f) != 0 || ferror(f))
            rc = sm_error_set(err, SM_EIO, "agwrite: could not write the graph");
        if (g)
            agclose(g);
        idstate_free(ids);
        return rc;
    }
    if (!strcmp(fmt, "mermaid"))
        return write_mermaid(d, f, err);
    /* One context for the process: Graphviz 2.43's pango plugin keeps a
     * pointer into the previous context's font cache, so freeing a context
     * and making another reads freed memory (seen with ASan). */
    if (!shared_gvc && !(shared_gvc = gvContext()))
        return sm_error_set(err, SM_ENOMEM, "%s: graphviz could not start", fmt);
    gvc = shared_gvc;
    if (!(g = dg_cgraph(d, &ids))) {
        idstate_free(ids);
        return sm_error_set(err, SM_ENOMEM, "%s: graphviz could not build the graph", fmt);
    }
    free(gv_msg);
    gv_msg = NULL;
    gv_nerr = 0;
    old = agseterrf(gv_errf);
    oldlevel = agseterr(AGERR);
    agreseterrors();
    stderr_grab(&grab);
    lrc = gvLayout(gvc, g, "dot");
    stderr_release(&grab);
    if (!gv_nerr && grab.text && grab.text[0]) {
        gv_nerr = 1;
        gv_keep(grab.text);
    }
    free(grab.text);
    if (lrc != 0) {
        rc = sm_error_set(err, SM_EIO, "%s: graphviz could not lay the diagram out%s%s",
                          fmt, gv_nerr ? ": " : "", gv_msg ? gv_msg : "");
        goto out;
    }
    d->st.laid_out = 1;
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n))
        for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e)) {
            total++;
            if (!ED_spl(e))
                lost++;
        }
    if (lost || gv_nerr) {
        rc = sm_error_set(err, SM_EIO, "%s: graphviz lost %d of %d edges laying out the "
                          "diagram%s%s; use --view regions or a filter (--tier, --system, "
                          "--jurisdiction)", fmt, (int)lost, (int)total,
                          gv_nerr ? ": " : "", gv_msg ? gv_msg : "");
        goto layout_out;
    }
    if ((rc = check_size(d, g, fmt, err)))
        goto layout_out;
    if (gvRenderData(gvc, g, fmt, &data, &len) != 0 || gv_nerr) {
        rc = sm_error_set(err, SM_EIO, "%s: graphviz could not render%s%s", fmt,
                          gv_nerr ? ": " : "", gv_msg ? gv_msg : "");
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
        gvFreeLayout(gvc, g);
out:
    free(gv_msg);
    gv_msg = NULL;
    agseterr(oldlevel);
    agseterrf(old);
    agclose(g);
    idstate_free(ids);
    return rc;
}
