/*
 * export_dot_graph.c - the diagram's graph in the exporter's own arrays
 * (export_dot_int.h, "the diagram's graph") and its DOT text, written
 * straight from them.
 *
 * Until 2026-12-07 the views built a Graphviz cgraph graph and agwrite
 * wrote it: for 42,000 copies that was 90 % of `export dot`'s time (every
 * attribute value interned in cgraph's string tree, each node given a copy
 * of every default, agwrite's per-node scans of the subgraphs, agclose
 * taking it all apart; doc/performance.md, "DOT export of 10,000 flows").
 * The text is the same byte for byte: dg_write_dot follows Graphviz 2.42's
 * write.c rule for rule (which graph writes a node or an edge, attributes in
 * name order, only those that differ from their default, the quoting and
 * the line breaks of agstrcanon), and tests/unit/test_export_dot.c
 * compares it with agwrite on every view.
 *
 * Reads what the views built; writes only to the FILE it is given.
 */
#include "export_dot_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building ------------------------------------------------------------------------- */

static void *
dg_alloc(struct dg *d, size_t n)
{
    void *p = sm_arena_alloc(&d->a, n);

    if (!p)
        d->gr.nomem = true;
    return p;
}

static void
dg_log(struct dg *d, struct dgop op)
{
    struct dgraph *gr = &d->gr;

    if (!gr->log)
        return;
    if (sm_grow((void **)&gr->ops, &gr->cap_ops, gr->nops + 1, sizeof *gr->ops)) {
        gr->nomem = true;
        return;
    }
    gr->ops[gr->nops++] = op;
}

/* The index of a name, interned on first use: cgraph's id discipline
 * (export_dot_render.c) numbers names the same way. */
static int32_t
intern(struct dg *d, const char *name)
{
    struct dgraph *gr = &d->gr;
    int32_t id = sm_map_get(&gr->names, name);
    const char *key;

    if (id != SM_NONE)
        return id;
    if (sm_grow((void **)&gr->nm, &gr->cap_names, gr->nnames + 1, sizeof *gr->nm) ||
        !(key = sm_arena_strdup(&d->a, name)) || sm_map_put(&gr->names, key, gr->nnames)) {
        gr->nomem = true;
        return SM_NONE;
    }
    gr->nm[gr->nnames] = (struct dgname){ key, SM_NONE };
    return gr->nnames++;
}

int
dg_graph_init(struct dg *d, bool log)
{
    struct dgraph *gr = &d->gr;
    struct dgs *root;

    memset(gr, 0, sizeof *gr);
    sm_map_init(&gr->names);
    gr->log = log;
    /* agopen("sovmap") interns the root's name first */
    if (!(root = dg_alloc(d, sizeof *root)) || (root->id = intern(d, "sovmap")) == SM_NONE ||
        sm_grow((void **)&gr->subs, &gr->cap_subs, 1, sizeof *gr->subs))
        return SM_ENOMEM;
    gr->subs[gr->nsubs++] = root;
    d->g = root;
    return SM_OK;
}

void
dg_graph_fini(struct dg *d)
{
    struct dgraph *gr = &d->gr;

    sm_map_fini(&gr->names);
    free(gr->nm);
    free(gr->subs);
    free(gr->nodes);
    free(gr->edges);
    for (int k = 0; k < DK_COUNT; k++)
        free(gr->syms[k]);
    free(gr->ops);
    memset(gr, 0, sizeof *gr);
}

/* Declare an attribute with its default (agattr on the root). */
int32_t
dg_attr(struct dg *d, int kind, const char *name, const char *def)
{
    struct dgraph *gr = &d->gr;
    int32_t k;

    if (!(def = sm_arena_strdup(&d->a, def))) {
        gr->nomem = true;
        return SM_NONE;
    }
    for (k = 0; k < gr->nsyms[kind]; k++)
        if (!strcmp(gr->syms[kind][k].name, name))
            break;
    if (k == gr->nsyms[kind]) {
        if (!(name = sm_arena_strdup(&d->a, name))) {
            gr->nomem = true;
            return SM_NONE;
        }
        if (sm_grow((void **)&gr->syms[kind], &gr->cap_syms[kind], k + 1, sizeof **gr->syms)) {
            gr->nomem = true;
            return SM_NONE;
        }
        gr->syms[kind][gr->nsyms[kind]++].name = name;
    }
    gr->syms[kind][k].def = def;
    dg_log(d, (struct dgop){ .op = DGOP_ATTR, .kind = (uint8_t)kind, .a = k,
                             .s = gr->syms[kind][k].name, .s2 = def });
    return k;
}

bool
dg_node_in(const struct dgn *n, const struct dgs *s)
{
    if (!s || !s->parent)
        return s != NULL;
    for (const struct dgmem *m = n->in; m; m = m->next)
        if (m->s == s)
            return true;
    return false;
}

/* n into s and its ancestors (agsubnode): a node in a subgraph is in
 * every ancestor of it already. */
static void
node_into(struct dg *d, struct dgn *n, struct dgs *s)
{
    for (; s && s->parent && !dg_node_in(n, s); s = s->parent) {
        struct dgmem *m = dg_alloc(d, sizeof *m);
        if (!m)
            return;
        m->s = s;
        m->next = n->in;
        n->in = m;
    }
}

/* The subgraph of parent called name, made when create is set (agsubg). */
struct dgs *
dg_subg(struct dg *d, struct dgs *parent, const char *name, bool create)
{
    struct dgraph *gr = &d->gr;
    int32_t id = sm_map_get(&gr->names, name);
    struct dgs *s = NULL;

    if (!parent)
        return NULL;
    for (int32_t i = 1; id != SM_NONE && i < gr->nsubs && !s; i++)
        if (gr->subs[i]->parent == parent && gr->subs[i]->id == id)
            s = gr->subs[i];
    if (!s && create) {
        if ((id = intern(d, name)) == SM_NONE || !(s = dg_alloc(d, sizeof *s)) ||
            sm_grow((void **)&gr->subs, &gr->cap_subs, gr->nsubs + 1, sizeof *gr->subs)) {
            gr->nomem = true;
            return NULL;
        }
        s->parent = parent;
        s->id = id;
        s->idx = gr->nsubs;
        gr->subs[gr->nsubs++] = s;
    }
    if (s && create)
        dg_log(d, (struct dgop){ .op = DGOP_SUBG, .a = s->idx, .b = parent->idx,
                                 .s = gr->nm[s->id].s });
    return s;
}

/* The node called name, made if new, and a member of g (agnode). */
struct dgn *
dg_node(struct dg *d, struct dgs *g, const char *name)
{
    struct dgraph *gr = &d->gr;
    int32_t id;
    struct dgn *n;

    if (!g || (id = intern(d, name)) == SM_NONE)
        return NULL;
    if (gr->nm[id].node != SM_NONE) {
        n = gr->nodes[gr->nm[id].node];
    } else {
        if (!(n = dg_alloc(d, sizeof *n)) ||
            sm_grow((void **)&gr->nodes, &gr->cap_nodes, gr->nnodes + 1, sizeof *gr->nodes)) {
            gr->nomem = true;
            return NULL;
        }
        n->id = id;
        n->seq = gr->nnodes;
        gr->nodes[gr->nnodes++] = n;
        gr->nm[id].node = n->seq;
    }
    node_into(d, n, g);
    dg_log(d, (struct dgop){ .op = DGOP_NODE, .a = n->seq, .b = g->idx, .s = gr->nm[id].s });
    return n;
}

/* A new edge t -> h made in g (agedge with no name): both ends join g. */
struct dge *
dg_edge(struct dg *d, struct dgs *g, struct dgn *t, struct dgn *h)
{
    struct dgraph *gr = &d->gr;
    struct dge *e;

    if (!g || !t || !h || !(e = dg_alloc(d, sizeof *e)) ||
        sm_grow((void **)&gr->edges, &gr->cap_edges, gr->nedges + 1, sizeof *gr->edges)) {
        gr->nomem = true;
        return NULL;
    }
    node_into(d, t, g);
    node_into(d, h, g);
    e->g = g;
    e->t = t;
    e->h = h;
    e->seq = gr->nedges;
    gr->edges[gr->nedges++] = e;
    dg_log(d, (struct dgop){ .op = DGOP_EDGE, .a = e->seq, .b = g->idx, .t = t->seq,
                             .h = h->seq });
    return e;
}

static struct dgval **
vals_of(int kind, void *obj, int32_t *idx)
{
    if (kind == DK_GRAPH) {
        *idx = ((struct dgs *)obj)->idx;
        return &((struct dgs *)obj)->vals;
    }
    if (kind == DK_NODE) {
        *idx = ((struct dgn *)obj)->seq;
        return &((struct dgn *)obj)->vals;
    }
    *idx = ((struct dge *)obj)->seq;
    return &((struct dge *)obj)->vals;
}

/* agxset: v is copied (a caller's buffer may not outlive the graph); on
 * the root graph the value is the attribute's default (cgraph keeps the
 * two together). */
void
dg_set(struct dg *d, int kind, void *obj, int32_t sym, const char *v, bool html)
{
    struct dgraph *gr = &d->gr;
    struct dgval **head, *x;
    int32_t idx;

    if (!obj || sym < 0 || sym >= gr->nsyms[kind])
        return;
    if (!(v = sm_arena_strdup(&d->a, v))) {
        gr->nomem = true;
        return;
    }
    if (kind == DK_GRAPH && obj == d->g) {
        gr->syms[kind][sym].def = v;
        dg_log(d, (struct dgop){ .op = DGOP_SET, .kind = DK_GRAPH, .a = 0, .b = sym, .s = v });
        return;
    }
    head = vals_of(kind, obj, &idx);
    for (x = *head; x && x->sym != sym; x = x->next)
        ;
    if (!x) {
        if (!(x = dg_alloc(d, sizeof *x)))
            return;
        x->sym = sym;
        x->next = *head;
        *head = x;
    }
    x->v = v;
    x->html = html;
    dg_log(d, (struct dgop){ .op = DGOP_SET, .kind = (uint8_t)kind, .a = idx, .b = sym, .s = v,
                             .html = html });
}

/* agsafeset on a node: the attribute declared with def if it is new. */
void
dg_safeset(struct dg *d, struct dgn *n, const char *name, const char *v, const char *def)
{
    struct dgraph *gr = &d->gr;
    int32_t k;

    for (k = 0; k < gr->nsyms[DK_NODE]; k++)
        if (!strcmp(gr->syms[DK_NODE][k].name, name))
            break;
    if (k == gr->nsyms[DK_NODE] && (k = dg_attr(d, DK_NODE, name, def)) == SM_NONE)
        return;
    dg_set(d, DK_NODE, n, k, v, false);
}

/* agxget: the value set, else the default (a subgraph's nearest
 * ancestor's value). */
const char *
dg_get(struct dg *d, int kind, const void *obj, int32_t sym, bool *html)
{
    const struct dgval *x = NULL;
    const struct dgs *s = kind == DK_GRAPH ? obj : NULL;

    *html = false;
    if (!obj || sym < 0 || sym >= d->gr.nsyms[kind])
        return "";
    if (kind == DK_NODE)
        x = ((const struct dgn *)obj)->vals;
    else if (kind == DK_EDGE)
        x = ((const struct dge *)obj)->vals;
    for (; s && s->parent; s = s->parent) {
        for (x = s->vals; x && x->sym != sym; x = x->next)
            ;
        if (x)
            break;
    }
    for (; x && x->sym != sym; x = x->next)
        ;
    if (x) {
        *html = x->html;
        return x->v;
    }
    return d->gr.syms[kind][sym].def;
}

/* ---- the graph's index: children, members --------------------------------------------- */

static int
dg_index_build_impl(const struct dgraph *gr, struct dgindex *x)
{
    int32_t ns = gr->nsubs;
    int64_t nn = 0, ne = 0;

    memset(x, 0, sizeof *x);
    x->child_start = calloc((size_t)ns + 1, sizeof *x->child_start);
    x->node_start = calloc((size_t)ns + 1, sizeof *x->node_start);
    x->edge_start = calloc((size_t)ns + 1, sizeof *x->edge_start);
    x->child = malloc(((size_t)ns + 1) * sizeof *x->child);
    if (!x->child_start || !x->node_start || !x->edge_start || !x->child)
        return SM_ENOMEM;
    /* counts, then starts, then fills (in seq order: each list ascends) */
    for (int32_t i = 1; i < ns; i++)
        x->child_start[gr->subs[i]->parent->idx + 1]++;
    for (int32_t i = 0; i < gr->nnodes; i++) {
        x->node_start[1]++;
        for (const struct dgmem *m = gr->nodes[i]->in; m; m = m->next)
            x->node_start[m->s->idx + 1]++;
    }
    for (int32_t i = 0; i < gr->nedges; i++)
        for (const struct dgs *s = gr->edges[i]->g; s; s = s->parent)
            x->edge_start[s->idx + 1]++;
    for (int32_t i = 0; i < ns; i++) {
        x->child_start[i + 1] += x->child_start[i];
        x->node_start[i + 1] += x->node_start[i];
        x->edge_start[i + 1] += x->edge_start[i];
    }
    nn = x->node_start[ns];
    ne = x->edge_start[ns];
    x->node = malloc(((size_t)nn + 1) * sizeof *x->node);
    x->edge = malloc(((size_t)ne + 1) * sizeof *x->edge);
    x->fill = calloc((size_t)ns + 1, sizeof *x->fill);
    if (!x->node || !x->edge || !x->fill)
        return SM_ENOMEM;
    for (int32_t i = 1; i < ns; i++) {
        int32_t p = gr->subs[i]->parent->idx;
        x->child[x->child_start[p] + x->fill[p]++] = i;
    }
    /* children by id (cgraph's subgraph order): nearly sorted already */
    for (int32_t i = 0; i < ns; i++)
        for (int32_t k = x->child_start[i] + 1; k < x->child_start[i + 1]; k++)
            for (int32_t j = k; j > x->child_start[i] &&
                 gr->subs[x->child[j - 1]]->id > gr->subs[x->child[j]]->id; j--) {
                int32_t t = x->child[j];
                x->child[j] = x->child[j - 1];
                x->child[j - 1] = t;
            }
    memset(x->fill, 0, ((size_t)ns + 1) * sizeof *x->fill);
    for (int32_t i = 0; i < gr->nnodes; i++) {
        x->node[x->node_start[0] + x->fill[0]++] = i;
        for (const struct dgmem *m = gr->nodes[i]->in; m; m = m->next)
            x->node[x->node_start[m->s->idx] + x->fill[m->s->idx]++] = i;
    }
    memset(x->fill, 0, ((size_t)ns + 1) * sizeof *x->fill);
    for (int32_t i = 0; i < gr->nedges; i++)
        for (const struct dgs *s = gr->edges[i]->g; s; s = s->parent)
            x->edge[x->edge_start[s->idx] + x->fill[s->idx]++] = i;
    return SM_OK;
}

int
dg_index_build(const struct dgraph *gr, struct dgindex *x)
{
    int rc = dg_index_build_impl(gr, x);

    if (rc)
        dg_index_fini(x);
    return rc;
}

void
dg_index_fini(struct dgindex *x)
{
    free(x->child_start);
    free(x->child);
    free(x->node_start);
    free(x->node);
    free(x->edge_start);
    free(x->edge);
    free(x->fill);
    memset(x, 0, sizeof *x);
}

/* n in a child of g (write.c's node_in_subg: every subgraph here is named,
 * so none is "irrelevant"). */
bool
dg_node_in_child(const struct dgn *n, const struct dgs *g)
{
    for (const struct dgmem *m = n->in; m; m = m->next)
        if (m->s->parent == g)
            return true;
    return false;
}

/* Edges by tail, head, then creation: cgraph's out-edge order. */
struct okey {
    int32_t t, h, e;
};

static int
okey_cmp(const void *a, const void *b)
{
    const struct okey *x = a, *y = b;

    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->e < y->e ? -1 : x->e > y->e;
}

int
dg_sort_out(const struct dgraph *gr, int32_t *edges, int32_t n)
{
    struct okey *k = malloc(((size_t)n + 1) * sizeof *k);

    if (!k)
        return SM_ENOMEM;
    for (int32_t i = 0; i < n; i++) {
        const struct dge *e = gr->edges[edges[i]];
        k[i] = (struct okey){ e->t->seq, e->h->seq, edges[i] };
    }
    qsort(k, (size_t)n, sizeof *k, okey_cmp);
    for (int32_t i = 0; i < n; i++)
        edges[i] = k[i].e;
    free(k);
    return SM_OK;
}

/* ---- DOT ---------------------------------------------------------------------------------
 * Graphviz 2.42's agwrite, for the graphs above. */

#define OUT_FLUSH (64 * 1024)
#define OUT_LINE 128            /* write.c's MAX_OUTPUTLINE */

struct out {
    FILE *f;
    char *b;
    size_t n, cap;
    bool err;
    int level;
};

static bool
out_room(struct out *o, size_t need)
{
    if (o->n + need <= o->cap)
        return true;
    if (o->n && fwrite(o->b, 1, o->n, o->f) != o->n)
        o->err = true;
    o->n = 0;
    if (need > o->cap) {
        size_t cap = need > 2 * OUT_FLUSH ? need : 2 * OUT_FLUSH;
        char *b = realloc(o->b, cap);
        if (!b) {
            o->err = true;
            return false;
        }
        o->b = b;
        o->cap = cap;
    }
    return true;
}

static void
out_mem(struct out *o, const char *s, size_t n)
{
    if (!out_room(o, n))
        return;
    memcpy(o->b + o->n, s, n);
    o->n += n;
}

static void
out_str(struct out *o, const char *s)
{
    out_mem(o, s, strlen(s));
}

static void
out_indent(struct out *o)
{
    if (!out_room(o, (size_t)o->level))
        return;
    for (int i = 0; i < o->level; i++)
        o->b[o->n++] = '\t';
}

static bool
ascii_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* write.c's is_id_char: where a long string may break */
static bool
id_char(unsigned char c)
{
    return ascii_alnum(c) || c == '.' || c == '-' || c >= 0x80;
}

/* agstrcanon: an HTML string in < >; a string that is not a plain id, a
 * number or empty in quotes, with " escaped and a "\\\n" break after 128
 * characters where an id character follows another one; DOT's keywords
 * quoted. */
/* One of DOT's keywords, in any case (they are quoted). */
static bool
dot_token(const char *s, size_t len)
{
    static const char *const tokens[] = {
        "node", "edge", "strict", "graph", "digraph", "subgraph"
    };

    if (len < 4 || len > 8)
        return false;
    for (size_t k = 0; k < sizeof tokens / sizeof *tokens; k++)
        if (strlen(tokens[k]) == len && !strcasecmp(tokens[k], s))
            return true;
    return false;
}

static void
out_canon(struct out *o, const char *arg, bool html)
{
    size_t len = strlen(arg);
    const unsigned char *s = (const unsigned char *)arg;
    unsigned char uc, last;
    bool needs = false, pending = false, maybe_num;
    int cnt = 0, dots = 0;
    char *start, *p;

    if (html) {
        if (out_room(o, len + 2)) {
            o->b[o->n++] = '<';
            memcpy(o->b + o->n, arg, len);
            o->n += len;
            o->b[o->n++] = '>';
        }
        return;
    }
    if (!len) {
        out_mem(o, "\"\"", 2);
        return;
    }
    if (!out_room(o, 3 * len + 8))
        return;
    if (len <= OUT_LINE) {
        /* no line break fits: quoted when any character asks for it */
        uc = s[0];
        maybe_num = (uc >= '0' && uc <= '9') || uc == '.' || uc == '-';
        for (size_t i = 0; i < len && !needs; i++) {
            uc = s[i];
            if (uc == '"')
                needs = true;
            else if (!maybe_num)
                needs = !(ascii_alnum(uc) || uc == '_' || uc >= 0x80);
            else if (uc == '-')
                needs = i > 0;
            else if (uc == '.')
                needs = dots++ > 0;
            else
                needs = !(uc >= '0' && uc <= '9');
        }
        if (!needs && !(len == 1 && (arg[0] == '.' || arg[0] == '-')) && !dot_token(arg, len)) {
            memcpy(o->b + o->n, arg, len);
            o->n += len;
            return;
        }
        p = o->b + o->n;
        *p++ = '"';
        for (const char *q = arg, *end = arg + len; q < end; ) {
            const char *dq = memchr(q, '"', (size_t)(end - q));
            size_t n = dq ? (size_t)(dq - q) : (size_t)(end - q);
            memcpy(p, q, n);
            p += n;
            q += n;
            if (dq) {
                *p++ = '\\';
                *p++ = '"';
                q++;
            }
        }
        *p++ = '"';
        o->n = (size_t)(p - o->b);
        return;
    }
    start = p = o->b + o->n;
    *p++ = '"';
    uc = *s++;
    maybe_num = (uc >= '0' && uc <= '9') || uc == '.' || uc == '-';
    while (uc) {
        if (uc == '"') {
            *p++ = '\\';
            needs = true;
        } else if (maybe_num) {
            if (uc == '-') {
                if (cnt) {
                    maybe_num = false;
                    needs = true;
                }
            } else if (uc == '.') {
                if (dots++) {
                    maybe_num = false;
                    needs = true;
                }
            } else if (!(uc >= '0' && uc <= '9')) {
                maybe_num = false;
                needs = true;
            }
        } else if (!(ascii_alnum(uc) || uc == '_' || uc >= 0x80)) {
            needs = true;
        }
        *p++ = (char)uc;
        last = uc;
        uc = *s++;
        cnt++;
        if (uc && pending && !(id_char(last) || last == '\\') && id_char(uc)) {
            *p++ = '\\';
            *p++ = '\n';
            needs = true;
            pending = false;
            cnt = 0;
        } else if (uc && cnt >= OUT_LINE) {
            if (!(id_char(last) || last == '\\') && id_char(uc)) {
                *p++ = '\\';
                *p++ = '\n';
                needs = true;
                cnt = 0;
            } else {
                pending = true;
            }
        }
    }
    *p++ = '"';
    if (!needs && !(cnt == 1 && (arg[0] == '.' || arg[0] == '-')) && !dot_token(arg, len)) {
        memcpy(start, arg, len);
        p = start + len;
    }
    o->n = (size_t)(p - o->b);
}

struct dotw {
    struct dg *d;
    struct dgraph *gr;
    struct dgindex x;
    struct out o;
    int32_t *order[DK_COUNT];   /* symbols by name */
    const struct dgval **val;   /* scratch: an object's values by symbol */
    uint8_t *written;           /* per node: its attributes were written */
    int32_t *out_lo, *out_hi;   /* per node: its out-edges in sorted[] (this graph) */
    int32_t *in_n, *in_min;     /* per node: in-edges and their lowest tail (this graph) */
    int32_t *sorted;            /* this graph's edges by tail, head, creation */
    bool nomem;
};

/* "graph [a=1,\n\tb=2\n];" for one dictionary (write.c's write_dict) */
static void
write_dict(struct dotw *w, const char *what, int kind, const struct dgval *vals, bool top)
{
    const struct dgsym *sy = w->gr->syms[kind];
    int32_t n = w->gr->nsyms[kind], cnt = 0;
    struct out *o = &w->o;

    if (!top) {
        for (const struct dgval *x = vals; x; x = x->next)
            w->val[x->sym] = x;
    }
    for (int32_t k = 0; k < n; k++) {
        int32_t s = w->order[kind][k];
        const char *v;
        bool html = false;

        if (top) {
            v = sy[s].def;
            if (!*v)
                continue;       /* an empty default is not written */
        } else {
            if (!w->val[s])
                continue;       /* only the subgraph's own values */
            v = w->val[s]->v;
            html = w->val[s]->html;
        }
        if (cnt++ == 0) {
            out_indent(o);
            out_str(o, what);
            out_mem(o, " [", 2);
            o->level++;
        } else {
            out_mem(o, ",\n", 2);
            out_indent(o);
        }
        out_canon(o, sy[s].name, false);
        out_mem(o, "=", 1);
        out_canon(o, v, html);
    }
    if (cnt > 0) {
        o->level--;
        if (cnt > 1) {
            out_mem(o, "\n", 1);
            out_indent(o);
        }
        out_mem(o, "];\n", 3);
    }
    if (!top)
        for (const struct dgval *x = vals; x; x = x->next)
            w->val[x->sym] = NULL;
}

/* "\t[a=1,\n\t\tb=2]": the values that differ from their defaults */
static void
write_attrs(struct dotw *w, int kind, const struct dgval *vals)
{
    const struct dgsym *sy = w->gr->syms[kind];
    int32_t n = w->gr->nsyms[kind], cnt = 0;
    struct out *o = &w->o;

    if (!vals)
        return;
    for (const struct dgval *x = vals; x; x = x->next)
        w->val[x->sym] = x;
    for (int32_t k = 0; k < n; k++) {
        int32_t s = w->order[kind][k];
        const struct dgval *x = w->val[s];

        if (!x || !strcmp(x->v, sy[s].def))
            continue;
        if (cnt++ == 0) {
            out_mem(o, "\t[", 2);
            o->level++;
        } else {
            out_mem(o, ",\n", 2);
            out_indent(o);
        }
        out_canon(o, sy[s].name, false);
        out_mem(o, "=", 1);
        out_canon(o, x->v, x->html);
    }
    if (cnt > 0) {
        out_mem(o, "]", 1);
        o->level--;
    }
    for (const struct dgval *x = vals; x; x = x->next)
        w->val[x->sym] = NULL;
}

static bool
not_default(const struct dotw *w, const struct dgn *n)
{
    for (const struct dgval *x = n->vals; x; x = x->next)
        if (strcmp(x->v, w->gr->syms[DK_NODE][x->sym].def))
            return true;
    return false;
}

/* write.c's write_node_test: not written in a subgraph of g, no
 * predecessor in g numbered below pred, and alone or with attributes. */
static bool
node_test(const struct dotw *w, const struct dgs *g, const struct dgn *n, int32_t pred)
{
    int32_t i = n->seq;

    if ((g->parent ? dg_node_in_child(n, g) : n->in != NULL))
        return false;
    if (i < pred || w->in_min[i] < pred)
        return false;
    return (w->in_n[i] == 0 && w->out_lo[i] == w->out_hi[i]) || not_default(w, n);
}

static void
write_node(struct dotw *w, const struct dgn *n)
{
    struct out *o = &w->o;

    out_indent(o);
    out_canon(o, w->gr->nm[n->id].s, false);
    if (!w->written[n->seq]) {
        write_attrs(w, DK_NODE, n->vals);
        w->written[n->seq] = 1;
    }
    out_mem(o, ";\n", 2);
}

static void
write_edge(struct dotw *w, const struct dge *e)
{
    struct out *o = &w->o;

    out_indent(o);
    out_canon(o, w->gr->nm[e->t->id].s, false);
    out_mem(o, " -> ", 4);
    out_canon(o, w->gr->nm[e->h->id].s, false);
    write_attrs(w, DK_EDGE, e->vals);
    out_mem(o, ";\n", 2);
}

static void
write_graph(struct dotw *w, const struct dgs *g)
{
    const struct dgraph *gr = w->gr;
    const struct dgindex *x = &w->x;
    struct out *o = &w->o;
    bool top = !g->parent;
    int32_t nlo = x->node_start[g->idx], nhi = x->node_start[g->idx + 1];
    int32_t elo = x->edge_start[g->idx], ehi = x->edge_start[g->idx + 1];

    out_indent(o);
    out_str(o, top ? "digraph " : "subgraph ");
    out_canon(o, gr->nm[g->id].s, false);
    out_mem(o, " {\n", 3);
    o->level++;
    if (top) {
        write_dict(w, "graph", DK_GRAPH, NULL, true);
        write_dict(w, "node", DK_NODE, NULL, true);
        write_dict(w, "edge", DK_EDGE, NULL, true);
    } else {
        write_dict(w, "graph", DK_GRAPH, g->vals, false);
    }
    for (int32_t k = x->child_start[g->idx]; k < x->child_start[g->idx + 1]; k++)
        write_graph(w, gr->subs[x->child[k]]);
    /* this graph's edges, in and out of each node */
    for (int32_t k = nlo; k < nhi; k++) {
        int32_t i = x->node[k];
        w->out_lo[i] = w->out_hi[i] = 0;
        w->in_n[i] = 0;
        w->in_min[i] = INT32_MAX;
    }
    memcpy(w->sorted, x->edge + elo, (size_t)(ehi - elo) * sizeof *w->sorted);
    if (dg_sort_out(gr, w->sorted, ehi - elo)) {
        w->o.err = w->nomem = true;
        return;
    }
    for (int32_t k = 0; k < ehi - elo; k++) {
        const struct dge *e = gr->edges[w->sorted[k]];
        if (k == 0 || gr->edges[w->sorted[k - 1]]->t != e->t)
            w->out_lo[e->t->seq] = k;
        w->out_hi[e->t->seq] = k + 1;
        w->in_n[e->h->seq]++;
        if (e->t->seq < w->in_min[e->h->seq])
            w->in_min[e->h->seq] = e->t->seq;
    }
    for (int32_t k = nlo; k < nhi; k++) {
        const struct dgn *n = gr->nodes[x->node[k]], *prev = n;

        if (node_test(w, g, n, n->seq))
            write_node(w, n);
        for (int32_t j = w->out_lo[n->seq]; j < w->out_hi[n->seq]; j++) {
            const struct dge *e = gr->edges[w->sorted[j]];
            if (prev != e->h && node_test(w, g, e->h, n->seq)) {
                write_node(w, e->h);
                prev = e->h;
            }
            if (e->g == g)      /* not in a subgraph of g */
                write_edge(w, e);
        }
    }
    o->level--;
    out_indent(o);
    out_mem(o, "}\n", 2);
}

int
dg_write_dot(struct dg *d, FILE *f, struct sm_error *err)
{
    struct dgraph *gr = &d->gr;
    struct dotw w;
    int32_t most = 0;
    size_t nn = (size_t)gr->nnodes + 1;
    int rc = SM_OK;

    if (gr->nomem)
        return sm_error_set(err, SM_ENOMEM, "dot: out of memory");
    memset(&w, 0, sizeof w);
    w.d = d;
    w.gr = gr;
    w.o.f = f;
    for (int k = 0; k < DK_COUNT; k++)
        if (gr->nsyms[k] > most)
            most = gr->nsyms[k];
    for (int k = 0; k < DK_COUNT; k++)
        if (!(w.order[k] = malloc(((size_t)gr->nsyms[k] + 1) * sizeof *w.order[k])))
            goto nomem;
    if (dg_index_build(gr, &w.x) ||
        !(w.val = calloc((size_t)most + 1, sizeof *w.val)) ||
        !(w.written = calloc(nn, 1)) || !(w.out_lo = malloc(nn * sizeof *w.out_lo)) ||
        !(w.out_hi = malloc(nn * sizeof *w.out_hi)) || !(w.in_n = malloc(nn * sizeof *w.in_n)) ||
        !(w.in_min = malloc(nn * sizeof *w.in_min)) ||
        !(w.sorted = malloc(((size_t)gr->nedges + 1) * sizeof *w.sorted)))
        goto nomem;
    /* symbols by name (cgraph's dictionaries): a score of them */
    for (int k = 0; k < DK_COUNT; k++)
        for (int32_t i = 0; i < gr->nsyms[k]; i++) {
            int32_t j = i;
            for (; j > 0 && strcmp(gr->syms[k][w.order[k][j - 1]].name, gr->syms[k][i].name) > 0;
                 j--)
                w.order[k][j] = w.order[k][j - 1];
            w.order[k][j] = i;
        }
    write_graph(&w, d->g);
    if (w.nomem)
        goto nomem;
    if (!w.o.err && w.o.n && fwrite(w.o.b, 1, w.o.n, f) != w.o.n)
        w.o.err = true;
    if (w.o.err || ferror(f))
        rc = sm_error_set(err, SM_EIO, "dot: write error: %s", strerror(errno));
    goto out;
nomem:
    rc = sm_error_set(err, SM_ENOMEM, "dot: out of memory");
out:
    for (int k = 0; k < DK_COUNT; k++)
        free(w.order[k]);
    dg_index_fini(&w.x);
    free(w.val);
    free(w.written);
    free(w.out_lo);
    free(w.out_hi);
    free(w.in_n);
    free(w.in_min);
    free(w.sorted);
    free(w.o.b);
    return rc;
}
