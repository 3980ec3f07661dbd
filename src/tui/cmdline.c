/*
 * cmdline.c - the `:` line's memory and help: a bounded history browsed
 * with Up/Down and kept in a file (one command a line; a file that cannot
 * be written is said once and otherwise ignored), and Tab completion of
 * command names, subcommands, objects and regions (prefix matches first,
 * else any name containing what was typed). No curses.
 */
#include "app.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- history ----------------------------------------------------------------- */

static bool
push_item(struct cmd_history *h, const char *line)
{
    char *copy, **v;

    if (h->n == CMD_HISTORY_MAX) {
        free(h->item[0]);
        memmove(h->item, h->item + 1, (size_t)(h->n - 1) * sizeof *h->item);
        h->n--;
    }
    if (!(copy = strdup(line)))
        return false;
    if (!(v = realloc(h->item, (size_t)(h->n + 1) * sizeof *v))) {
        free(copy);
        return false;
    }
    h->item = v;
    h->item[h->n++] = copy;
    return true;
}

void
cmdh_load(struct tui *t, const char *path)
{
    struct cmd_history *h = &t->cmdh;
    FILE *f;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;

    if (!path || !*path || !(h->path = strdup(path)))
        return;
    if (!(f = fopen(path, "r")))
        return;                 /* none yet, or unreadable: start empty */
    while ((len = getline(&line, &cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        if (len > 0 && !push_item(h, line))
            break;
    }
    free(line);
    fclose(f);
    h->pos = h->n;
}

/* mkdir -p of path's directory. */
static int
make_parents(const char *path)
{
    char *dir = strdup(path), *p;
    int rc = 0;

    if (!dir)
        return -1;
    if ((p = strrchr(dir, '/')) != NULL && p != dir) {
        *p = 0;
        for (p = dir + 1; rc == 0 && *p; p++)
            if (*p == '/') {
                *p = 0;
                if (mkdir(dir, 0700) != 0 && errno != EEXIST)
                    rc = -1;
                *p = '/';
            }
        if (rc == 0 && mkdir(dir, 0700) != 0 && errno != EEXIST)
            rc = -1;
    }
    free(dir);
    return rc;
}

/* The whole history into path.tmp, then renamed over path: a crash never
 * leaves half a file. */
static void
save(struct tui *t)
{
    struct cmd_history *h = &t->cmdh;
    size_t n;
    char *tmp;
    FILE *f = NULL;
    bool ok = false;

    if (!h->path || h->failed)
        return;
    n = strlen(h->path) + 5;
    if (!(tmp = malloc(n)))
        return;
    snprintf(tmp, n, "%s.tmp", h->path);
    if (make_parents(h->path) == 0 && (f = fopen(tmp, "w")) != NULL) {
        ok = true;
        for (int i = 0; i < h->n && ok; i++)
            ok = fprintf(f, "%s\n", h->item[i]) >= 0;
        ok = fclose(f) == 0 && ok;
        ok = ok && rename(tmp, h->path) == 0;
        if (!ok)
            remove(tmp);
    }
    if (!ok) {
        h->failed = true;
        tui_set_message(t, false, "the : history is not saved: %s cannot be written",
                        h->path);
    }
    free(tmp);
}

void
cmdh_add(struct tui *t, const char *line)
{
    struct cmd_history *h = &t->cmdh;

    while (*line == ' ')
        line++;
    free(h->draft);
    h->draft = NULL;
    if (*line && !(h->n && strcmp(h->item[h->n - 1], line) == 0) && push_item(h, line))
        save(t);
    h->pos = h->n;
}

/* Up (-1) or Down (1): an older or newer command into the line; past the
 * newest, what was being typed comes back. */
void
cmdh_move(struct tui *t, int delta)
{
    struct cmd_history *h = &t->cmdh;
    int pos = h->pos + delta;

    if (pos < 0 || pos > h->n || h->n == 0)
        return;
    if (h->pos == h->n) {
        free(h->draft);
        h->draft = strdup(t->input.buf);
    }
    h->pos = pos;
    line_set(&t->input, pos == h->n ? (h->draft ? h->draft : "") : h->item[pos]);
}

void
cmdh_free(struct tui *t)
{
    struct cmd_history *h = &t->cmdh;

    for (int i = 0; i < h->n; i++)
        free(h->item[i]);
    free(h->item);
    free(h->draft);
    free(h->path);
    memset(h, 0, sizeof *h);
}

/* ---- completion -------------------------------------------------------------- */

static int
fold(char c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : (unsigned char)c;
}

int
name_match(const char *cand, const char *typed)
{
    size_t k = strlen(typed);

    if (!cand || !*cand)
        return 0;
    if (strncmp(cand, typed, k) == 0)
        return 2;
    for (const char *p = cand; *p; p++) {
        size_t j = 0;
        while (j < k && p[j] && fold(p[j]) == fold(typed[j]))
            j++;
        if (j == k)
            return 1;
    }
    return 0;
}

struct cands {
    const char *typed;
    const char *v[4096];        /* the first matches of the best kind */
    int n, kind;                /* kind: 2 prefix, 1 substring */
    int total;
};

static void
cand(struct cands *c, const char *name)
{
    int k = name_match(name, c->typed);

    if (k == 0 || k < c->kind)
        return;
    if (k > c->kind) {
        c->kind = k;
        c->n = c->total = 0;
    }
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->v[i], name) == 0)
            return;
    c->total++;
    if (c->n < (int)(sizeof c->v / sizeof c->v[0]))
        c->v[c->n++] = name;
}

static const char *const builtin[] = { "help", "quit", NULL };

/* Complete the word before the cursor: the command (word 1), its
 * subcommand (word 2 of a command that has them), else an object name or
 * region id. One match is filled in (quoted when it has a space); several
 * extend to what they share and are listed. */
void
cmd_complete(struct tui *t)
{
    struct line *l = &t->input;
    int start = l->cur, nword = 0;
    const char *word0 = l->buf + strspn(l->buf, " ");
    size_t w0 = strcspn(word0, " ");    /* the first word: word0[0..w0) */
    char *typed, *fill = NULL, *out = NULL, *list = NULL;
    struct cands *c = calloc(1, sizeof *c);
    const struct model *m = t->m;
    size_t k;

    while (start > 0 && l->buf[start - 1] != ' ')
        start--;
    typed = strndup(l->buf + start, (size_t)(l->cur - start));
    if (!c || !typed) {
        tui_set_message(t, true, "out of memory");
        goto out;
    }
    for (int i = 0; i < start; i++)
        if (l->buf[i] != ' ' && (i == 0 || l->buf[i - 1] == ' '))
            nword++;
    c->typed = typed;
    if (nword == 0) {
        for (int i = 0; builtin[i]; i++)
            cand(c, builtin[i]);
        for (int i = 0; t->commands && t->commands[i]; i++)
            if (!strchr(t->commands[i], ' '))
                cand(c, t->commands[i]);
    } else {
        bool subs = false;
        for (int i = 0; t->commands && t->commands[i]; i++)
            if (strncmp(t->commands[i], word0, w0) == 0 && t->commands[i][w0] == ' ') {
                subs = true;
                if (nword == 1)
                    cand(c, t->commands[i] + w0 + 1);
            }
        if (!subs || nword > 1) {
            for (int32_t i = 0; i < m->ndatasets; i++)
                if (!m->datasets[i].deleted)
                    cand(c, m->datasets[i].name);
            for (int32_t i = 0; i < m->nregions; i++)
                if (!m->regions[i].deleted)
                    cand(c, m->regions[i].id);
            for (int32_t i = 0; i < m->ntiers; i++)
                if (!m->tiers[i].deleted)
                    cand(c, m->tiers[i].name);
            for (int32_t i = 0; i < m->nflows; i++)
                if (!m->flows[i].deleted)
                    cand(c, m->flows[i].name);
            for (int32_t i = 0; i < m->nscenarios; i++)
                cand(c, m->scenarios[i].name);
        }
    }
    if (c->total == 0) {
        tui_set_message(t, false, "nothing matches \"%s\"", typed);
        goto out;
    }
    /* what every match shares (from the start for prefix matches) */
    if (c->total == 1) {
        fill = sm_strdupf(strchr(c->v[0], ' ') ? "\"%s\" " : "%s ", c->v[0]);
    } else if (c->kind == 2) {
        k = strlen(c->v[0]);
        for (int i = 1; i < c->n; i++) {
            size_t j = 0;
            while (j < k && c->v[0][j] == c->v[i][j])
                j++;
            k = j;
        }
        /* never into a character: back to the start of the one they differ in */
        while (k > 0 && ((unsigned char)c->v[0][k] & 0xc0) == 0x80)
            k--;
        fill = strndup(c->v[0], k);
    } else {
        fill = strdup(typed);
    }
    /* the line: what came before the word, the fill, the rest */
    if (!fill || !(out = sm_strdupf("%.*s%s%s", start, l->buf, fill, l->buf + l->cur))) {
        tui_set_message(t, true, "out of memory");
        goto out;
    }
    k = (size_t)start + strlen(fill);
    line_set(l, out);
    l->cur = k < (size_t)l->len ? (int)k : l->len;
    if (c->total > 1) {
        /* whole names, until the list passes a status line's worth */
        size_t len = 0;
        char *more;
        list = strdup("");
        for (int i = 0; list && i < c->n && len < 300; i++) {
            more = sm_strdupf("%s%s%s", list, i ? "  " : "", c->v[i]);
            free(list);
            list = more;
            len = list ? strlen(list) : 0;
        }
        tui_set_message(t, false, "%d match%s: %s%s", c->total, c->total == 1 ? "" : "es",
                        list ? list : "", len >= 300 ? text_sym(" …", " ...") : "");
    }
out:
    free(list);
    free(out);
    free(fill);
    free(typed);
    free(c);
}
