/*
 * view_list.h - private to src/tui/view_*.c: what the list engine's files
 * (view_list.c, view_sort.c, view_filter.c) and the views' files share.
 * Not for use outside them.
 */
#ifndef VIEW_LIST_H
#define VIEW_LIST_H

#include "views.h"

/* Rows from which the first frame orders only its first page (view_sort.c). */
#define PARTIAL_MIN 50000

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* view_list.c: small helpers for the views' cells */
const char *region_id(const struct tui *t, int32_t r);
int sev_style(int sev, bool waived);
void placement_text(const struct tui *t, int32_t p, char *buf, size_t n);


/* view_datasets.c */
int32_t ds_count(struct tui *t);
void ds_detail(struct tui *t, int32_t r, struct detail *d);
const char *ds_filter(struct tui *t, int32_t r, char *buf, size_t n);
bool ds_object(struct tui *t, int32_t r, enum obj_kind *k, int32_t *id);
bool ds_visible(struct tui *t, int32_t r);

/* view_filter.c */
void apply_filter(struct tui *t, struct view *v, bool narrow);
bool match_room(struct view *v, int32_t n);
uint64_t sig_step(uint64_t h, uint64_t x);
void texts_build(struct tui *t, struct view *v);
int32_t texts_rows(struct tui *t, struct view *v, int32_t n);

/* view_list.c */
int grow(int32_t **p, int32_t *cap, int32_t need);

/* view_sort.c */
int build_order(struct tui *t, struct view *v);
void colrank_build(struct tui *t, struct view *v);
bool colrank_current(struct tui *t, struct view *v, int col);
void forget_other_models(struct tui *t);
uint64_t model_fp(const struct tui *t);
void order_built(struct tui *t, struct view *v);
bool order_by_name(const struct view *v, int sort);
bool order_current(struct tui *t, const struct view *o, int sort, bool desc);
bool repair_name_order(struct tui *t, struct view *v);
bool sig_unchanged(struct tui *t, struct view *v, const struct model *built_on, uint64_t built_sig);

extern const struct column ds_cols[];

#endif
