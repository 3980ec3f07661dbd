/*
 * view_int.h - private to src/tui/view_*.c: what the list engine's files
 * (view_list.c, view_sort.c, view_filter.c) and the views' files share.
 * Not for use outside them.
 */
#ifndef VIEW_INT_H
#define VIEW_INT_H

#include "views.h"

/* Rows from which the first frame orders only its first page (view_sort.c). */
#define PARTIAL_MIN 50000

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* view_list.c: small helpers for the views' cells */
int view_sev_style(int sev, bool waived);
void view_placement_text(const struct tui *t, int32_t p, char *buf, size_t n);
/* Column col's cell of row r whole: written into *buf, grown (realloc)
 * until it fits; *size is its size (0 at first, *buf NULL). *style is
 * the column's. "" when out of memory. The caller frees *buf. */
const char *view_cell_text(struct tui *t, const struct column *col, int32_t r, char **buf,
                           size_t *size, int *style);


/* view_datasets.c */
int32_t view_ds_count(struct tui *t);
void view_ds_detail(struct tui *t, int32_t r, struct detail *d);
const char *view_ds_filter(struct tui *t, int32_t r, char *buf, size_t n);
bool view_ds_object(struct tui *t, int32_t r, enum obj_kind *k, int32_t *id);
bool view_ds_visible(struct tui *t, int32_t r);

/* view_filter.c */
void view_apply_filter(struct tui *t, struct view *v, bool narrow);
bool view_match_room(struct view *v, int32_t n);
uint64_t view_sig_step(uint64_t h, uint64_t x);
void view_texts_build(struct tui *t, struct view *v);
/* Give back v's filter texts (its match flags stay); true if it had any. */
bool view_texts_drop(struct view *v);
int32_t view_texts_rows(struct tui *t, struct view *v, int32_t n);

/* view_list.c */
int view_grow(int32_t **p, int32_t *cap, int32_t need);
/* view_grow of v->order; rows (and disp) follow it when they are order
 * itself */
int view_grow_order(struct view *v, int32_t need);
/* view_grow of v->rows (disp follows it when it is rows itself); rows
 * that are order itself stay so (room: order's) */
int view_grow_rows(struct view *v, int32_t need);
/* rows an array of their own (not order), room for need: what they
 * hold is the caller's to write when they were order's (nrows 0) */
int view_rows_own(struct view *v, int32_t need);
/* rows order itself again (no filter): their own array freed */
void view_rows_are_order(struct view *v);

/* view_sort.c */
int view_build_order(struct tui *t, struct view *v);
void view_colrank_build(struct tui *t, struct view *v);
void view_colrank_free(struct view *v);
bool view_colrank_current(struct tui *t, struct view *v, int col);
void view_forget_other_models(struct tui *t);
uint64_t view_model_fp(const struct tui *t);
void view_order_built(struct tui *t, struct view *v);
bool view_order_by_name(const struct view *v, int sort);
bool view_order_current(struct tui *t, const struct view *o, int sort, bool desc);
bool view_repair_name_order(struct tui *t, struct view *v);
/* Are a name list's rows (names, hidden flags, number) as they were at
 * generation since of this very model (model_rows_kept)? */
bool view_rows_kept(struct tui *t, const struct view *v, uint64_t since);
bool view_sig_known(struct tui *t, const struct view *v);
bool view_sig_unchanged(struct tui *t, struct view *v, const struct model *built_on, uint64_t built_sig);

extern const struct column view_ds_cols[];

#endif
