/*
 * matrix.c - the tier x region matrix (M, issue #22): rows are the tiers
 * in use, one per set of effective subjects; columns the jurisdiction
 * groups; a cell says whether a new primary copy may live there (allowed,
 * with a mechanism, forbidden) and how many copies of the row's datasets
 * are there now ("!" where none may be). The data is tier_matrix_build's
 * (export_tiers.c), the same check_where answers `export tiers-md` prints.
 * Enter on a cell lists its copies and why in the pager (Esc comes back to
 * the matrix); Esc or q closes the matrix.
 */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "export.h"

#define MX_LABEL_W 30           /* the row labels' column */
#define MX_CELL_W  11           /* "mech 12!" and a gap */

static const char *const status_word[WHERE_ST_COUNT] = {
    [WHERE_ST_ALLOWED] = "ok",
    [WHERE_ST_MECHANISM] = "mech",
    [WHERE_ST_FORBIDDEN] = "no",
};

void
matrix_close(struct tui *t)
{
    tier_matrix_free(t->matrix.mx);
    memset(&t->matrix, 0, sizeof t->matrix);
}

/* Open the matrix of the model as checked now, on the first row of tier
 * (SM_NONE: the first row). */
int
matrix_open(struct tui *t, int32_t tier)
{
    struct export_opts o;
    SM_ERROR(err);
    struct tier_matrix *mx = NULL;

    if (!t->res || !t->res->rp) {
        tui_set_message(t, true, "not checked yet");
        return TUI_REDRAW;
    }
    export_opts_init(&o);
    o.juris = t->juris;
    if (tier_matrix_build(t->m, t->res, &o, &mx, &err) != SM_OK) {
        tui_set_message(t, true, "%s", err.msg);
        return TUI_REDRAW;
    }
    if (mx->nrows == 0 || mx->ncols == 0) {
        tier_matrix_free(mx);
        tui_set_message(t, false, "no dataset has a tier yet: the matrix has no rows");
        return TUI_REDRAW;
    }
    matrix_close(t);
    t->matrix.mx = mx;
    for (int32_t r = 0; tier != SM_NONE && r < mx->nrows; r++)
        if (mx->rows[r].tier == tier) {
            t->matrix.row = r;
            break;
        }
    if (tier != SM_NONE && mx->rows[t->matrix.row].tier != tier)
        tui_set_message(t, false, "tier %s: no dataset uses it, so it has no row "
                        "(sovmap where --tier %s --subjects S shows its regions)",
                        t->m->tiers[tier].name, t->m->tiers[tier].name);
    return TUI_REDRAW;
}

/* Heap strings (names have no length limit); drawing skips what cannot be
 * allocated. */
static char *
row_label(const struct tui *t, const struct tier_matrix_row *r)
{
    return sm_strdupf("%s  %s", t->m->tiers[r->tier].name,
                      *r->subjects ? r->subjects : "no subjects");
}

/* The cell's copies and why, for the pager (heap; NULL: out of memory). */
char *
matrix_cell_text(const struct tui *t, int32_t row, int32_t col)
{
    const struct tier_matrix *mx = t->matrix.mx;
    const struct tier_matrix_cell *c = tier_matrix_cell(mx, row, col);
    const struct tier_matrix_row *r;
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    if (!c || !(f = open_memstream(&buf, &len)))
        return NULL;
    r = &mx->rows[row];
    fprintf(f, "Tier %s, %s subjects, in %s\n\n", t->m->tiers[r->tier].name,
            *r->subjects ? r->subjects : "no", mx->cols[col]);
    fprintf(f, "A new primary copy: %s (%d of %d regions allowed, %d with a mechanism).\n",
            c->status == WHERE_ST_ALLOWED ? "allowed" :
            c->status == WHERE_ST_MECHANISM ? "allowed only with a mechanism" : "forbidden",
            (int)c->allowed, (int)c->nregions, (int)c->mechanism);
    fputs("Datasets of this row: ", f);
    for (int32_t k = 0; k < r->ndatasets; k++)
        fprintf(f, "%s%s", k ? ", " : "", t->m->datasets[r->datasets[k]].name);
    fputs(".\n\n", f);
    if (c->ncopies == 0)
        fputs("No copy of these datasets is here now.\n", f);
    else
        fprintf(f, "%d cop%s here now:\n", (int)c->ncopies, c->ncopies == 1 ? "y" : "ies");
    for (int32_t k = 0; k < c->ncopies; k++) {
        const struct tier_matrix_copy *cp = &mx->copies[c->first + k];
        fprintf(f, "\n  %s@%s (%s): ", t->m->datasets[cp->dataset].name,
                t->m->regions[cp->region].id, cp->role);
        if (cp->status == WHERE_ST_FORBIDDEN)
            fprintf(f, "forbidden%s%s%s%s\n", *cp->law ? " by " : "", cp->law,
                    *cp->basis && strcmp(cp->basis, cp->law) ? "; " : "",
                    strcmp(cp->basis, cp->law) ? cp->basis : "");
        else
            fprintf(f, "%s%s%s%s%s\n",
                    cp->status == WHERE_ST_ALLOWED ? "allowed" : "allowed with a mechanism",
                    *cp->basis ? ": " : "", cp->basis, *cp->law ? "; " : "", cp->law);
        /* what the check says of this copy now */
        for (int32_t i = 0; t->res && i < t->res->nfindings; i++) {
            const struct finding *fd = &t->res->findings[i];
            if (fd->kind == OBJ_PLACEMENT && fd->object == cp->placement)
                fprintf(f, "    %s %s%s: %s\n", fd->rule, severity_names[fd->severity],
                        fd->waived ? " (waived)" : "", fd->message);
        }
    }
    fputs("\nThe status is what a copy with no mechanism gets for its role and region "
          "(sovmap where --tier T --subjects S); under it, the findings the copy has now.\n", f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* t: the row's tier as text, per jurisdiction and role (export tiers in
 * its text form), in the pager. */
static int
tier_text(struct tui *t, int32_t tier)
{
    struct export_opts o;
    SM_ERROR(err);
    char *buf = NULL, *title;
    size_t len = 0;
    FILE *f;
    int rc;

    export_opts_init(&o);
    o.tier = t->m->tiers[tier].name;
    o.juris = t->juris;
    if (!(f = open_memstream(&buf, &len))) {
        tui_set_message(t, true, "out of memory");
        return TUI_REDRAW;
    }
    rc = export_tiers(t->m, t->res, &o, "text", f, &err);
    if (fclose(f) != 0 && rc == SM_OK)
        rc = sm_error_set(&err, SM_ENOMEM, "out of memory");
    if (rc != SM_OK) {
        free(buf);
        tui_set_message(t, true, "%s", err.msg);
        return TUI_REDRAW;
    }
    title = sm_strdupf("Tier %s x regions, per role", t->m->tiers[tier].name);
    pager_open(t, title ? title : "Tier x regions, per role", buf);
    free(title);
    return TUI_REDRAW;
}

int
matrix_key(struct tui *t, const struct key *k)
{
    const struct tier_matrix *mx = t->matrix.mx;
    enum action a = keymap_lookup(&t->keys, KEYMAP_LIST, k->code);
    int32_t *row = &t->matrix.row, *col = &t->matrix.col;

    if (k->code == TK_ESC || k->code == 'q' || k->code == 'M') {
        matrix_close(t);
        return TUI_REDRAW;
    }
    if (k->code == TK_ENTER) {
        char *text = matrix_cell_text(t, *row, *col), *title;
        if (!text) {
            tui_set_message(t, true, "out of memory");
            return TUI_REDRAW;
        }
        title = sm_strdupf("%s x %s: copies and why (Esc returns to the matrix)",
                           t->m->tiers[mx->rows[*row].tier].name, mx->col_ids[*col]);
        pager_open(t, title ? title : "copies and why", text);
        free(title);
        return TUI_REDRAW;
    }
    if (k->code == 't')
        return tier_text(t, mx->rows[*row].tier);
    switch (a) {
    case ACT_MOVE_DOWN: (*row)++; break;
    case ACT_MOVE_UP: (*row)--; break;
    case ACT_RIGHT: (*col)++; break;
    case ACT_LEFT: (*col)--; break;
    case ACT_TOP: *row = 0; break;
    case ACT_BOTTOM: *row = mx->nrows - 1; break;
    case ACT_PAGE_DOWN: *row += 10; break;
    case ACT_PAGE_UP: *row -= 10; break;
    default:
        if (keymap_lookup(&t->keys, KEYMAP_GLOBAL, k->code) == ACT_HELP) {
            help_open(t);
            return TUI_REDRAW;
        }
        return 0;
    }
    if (*row >= mx->nrows)
        *row = mx->nrows - 1;
    if (*row < 0)
        *row = 0;
    if (*col >= mx->ncols)
        *col = mx->ncols - 1;
    if (*col < 0)
        *col = 0;
    return TUI_REDRAW;
}

void
matrix_draw(struct tui *t, struct screen *s)
{
    const struct tier_matrix *mx = t->matrix.mx;
    int x = 1, y = 1, w = s->w - 2, h = s->h - 2;
    int lw = MX_LABEL_W, ncw, page;
    int32_t *top = &t->matrix.top, *left = &t->matrix.left;
    const struct tier_matrix_cell *cur;
    char buf[200], *label, *line;       /* bounded: a status word and counts */

    if (w < 30 || h < 8)
        return;
    if (lw > w / 3)
        lw = w / 3;
    ncw = (w - 2 - lw) / MX_CELL_W;
    if (ncw < 1)
        ncw = 1;
    page = h - 6;
    if (t->matrix.row < *top)
        *top = t->matrix.row;
    if (t->matrix.row >= *top + page)
        *top = t->matrix.row - page + 1;
    if (t->matrix.col < *left)
        *left = t->matrix.col;
    if (t->matrix.col >= *left + ncw)
        *left = t->matrix.col - ncw + 1;
    draw_box(s, x, y, w, h, "Tier x region matrix: a new primary copy ok / mech(anism) / no, "
             "and the copies there now (! where none may be)");
    screen_put(s, x + 1, y + 1, lw - 1, STYLE_HEADER, "tier  subjects");
    for (int32_t c = 0; c < ncw && *left + c < mx->ncols; c++)
        screen_field(s, x + 1 + lw + c * MX_CELL_W, y + 1, MX_CELL_W - 1,
                     *left + c == t->matrix.col ? STYLE_MAP_CURSOR : STYLE_HEADER,
                     mx->col_ids[*left + c], false);
    for (int32_t i = 0; i < page && *top + i < mx->nrows; i++) {
        int32_t r = *top + i;
        int yy = y + 2 + i;
        label = row_label(t, &mx->rows[r]);
        screen_field(s, x + 1, yy, lw - 1, r == t->matrix.row ? STYLE_SELECTED : STYLE_DIALOG,
                     label ? label : "", false);
        free(label);
        for (int32_t c = 0; c < ncw && *left + c < mx->ncols; c++) {
            const struct tier_matrix_cell *cl = tier_matrix_cell(mx, r, *left + c);
            int st = cl->status == WHERE_ST_ALLOWED ? STYLE_MAP_OK :
                     cl->status == WHERE_ST_MECHANISM ? STYLE_MAP_WARNING :
                     cl->ncopies ? STYLE_MAP_ERROR : STYLE_DIALOG_DIM;
            if (r == t->matrix.row && *left + c == t->matrix.col)
                st = STYLE_MAP_CURSOR;
            snprintf(buf, sizeof buf, "%s %d%s", status_word[cl->status], (int)cl->ncopies,
                     cl->status == WHERE_ST_FORBIDDEN && cl->ncopies ? "!" : "");
            screen_field(s, x + 1 + lw + c * MX_CELL_W, yy, MX_CELL_W - 1, st, buf, false);
        }
    }
    cur = tier_matrix_cell(mx, t->matrix.row, t->matrix.col);
    label = row_label(t, &mx->rows[t->matrix.row]);
    line = sm_strdupf("%s x %s: a primary allowed in %d of %d regions%s; %d cop%s now",
                      label ? label : "", mx->cols[t->matrix.col], (int)cur->allowed,
                      (int)cur->nregions, cur->mechanism ? " (more with a mechanism)" : "",
                      (int)cur->ncopies, cur->ncopies == 1 ? "y" : "ies");
    if (line)
        screen_put(s, x + 1, y + h - 3, w - 2, STYLE_DIALOG, line);
    free(line);
    free(label);
    snprintf(buf, sizeof buf, "row %d/%d, column %d/%d   arrows/hjkl move  Enter lists the "
             "copies and why  t the tier per role  Esc closes", (int)t->matrix.row + 1, (int)mx->nrows,
             (int)t->matrix.col + 1, (int)mx->ncols);
    screen_put(s, x + 1, y + h - 1, w - 2, STYLE_DIALOG_DIM, buf);
}
