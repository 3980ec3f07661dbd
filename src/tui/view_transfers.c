/*
 * view_transfers.c - transfers: the derived transfer register.
 * Part of the list engine (src/tui/view_int.h); no curses here.
 */
#include "view_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- transfers ------------------------------------------------------------ */

static int32_t tr_count(struct tui *t) { return t->res ? t->res->ntransfers : 0; }

static const struct transfer *
transfer(struct tui *t, int32_t r)
{
    return &t->res->transfers[r];
}

static void
tr_ds_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    int32_t d = transfer(t, r)->dataset;
    (void)style;
    snprintf(buf, n, "%s", d >= 0 && d < t->m->ndatasets ? t->m->datasets[d].name : "-");
}

static const char *
tr_ds(struct tui *t, int32_t r)
{
    int32_t d = transfer(t, r)->dataset;
    return d >= 0 && d < t->m->ndatasets ? t->m->datasets[d].name : "";
}

static void
tr_route_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    const struct transfer *x = transfer(t, r);
    char a[3], b[3];                    /* bounded: two-letter country codes */
    (void)style;
    sm_cc_str(x->from_cc, a);
    sm_cc_str(x->to_cc, b);
    snprintf(buf, n, "%s -> %s", a, x->to_cc < 0 ? "any" : b);
}

static int64_t
tr_route_key(struct tui *t, int32_t r)
{
    return (int64_t)transfer(t, r)->from_cc * 1000 + transfer(t, r)->to_cc;
}

static void
tr_regime_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", check_transfer_regime(t->res, transfer(t, r)));
}

static void
tr_via_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    const struct transfer *x = transfer(t, r);
    (void)style;
    if (x->flow >= 0 && x->flow < t->m->nflows)
        snprintf(buf, n, "%s", t->m->flows[x->flow].name);
    else
        view_placement_text(t, x->placement, buf, n);
}

static void
tr_mech_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    uint8_t mech = transfer(t, r)->mechanism;
    snprintf(buf, n, "%s", mech == MECH_NONE ? "-" : mechanism_names[mech]);
    if (mech == MECH_NONE)
        *style = STYLE_DIM;
}

static void
tr_status_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    static const int styles[XFER_STATUS_COUNT] = {
        [XFER_OK] = STYLE_DIM, [XFER_VIOLATION] = STYLE_ERROR, [XFER_WAIVED] = STYLE_WAIVED,
    };
    uint8_t st = transfer(t, r)->status;
    snprintf(buf, n, "%s", st < XFER_STATUS_COUNT ? transfer_status_names[st] : "?");
    *style = st < XFER_STATUS_COUNT ? styles[st] : STYLE_DEFAULT;
}

static int64_t tr_status_key(struct tui *t, int32_t r) { return -transfer(t, r)->status; }

static void
tr_basis_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", check_transfer_basis(t->res, transfer(t, r)));
}

static const struct column tr_cols[] = {
    { .title = "Dataset", .fit = COL_NAME, .text = tr_ds_text, .str = tr_ds },
    { .title = "Route", .fit = COL_KEY, .prio = 1, .text = tr_route_text, .num = tr_route_key },
    { .title = "Regime", .fit = COL_SHORT, .prio = 3, .text = tr_regime_text },
    { .title = "Via", .fit = COL_KEY, .prio = 4, .text = tr_via_text },
    { .title = "Mech", .fit = COL_SHORT, .prio = 5, .text = tr_mech_text },
    { .title = "Status", .fit = COL_SHORT, .prio = 2, .text = tr_status_text, .num = tr_status_key },
    { .title = "Basis", .fit = COL_FREE, .prio = 6, .text = tr_basis_text },
};

/* Written into buf whole or cut at its end (the filter grows buf until
 * the text fits): no fixed buffer for the via (a flow's name). */
static const char *
tr_filter(struct tui *t, int32_t r, char *buf, size_t n)
{
    char route[32];                     /* bounded: "DE -> US": two country codes */
    const char *regime = check_transfer_regime(t->res, transfer(t, r));
    int st = 0, k;
    size_t at;

    tr_route_text(t, r, route, sizeof route, &st);
    k = snprintf(buf, n, "%s %s ", tr_ds(t, r), route);
    at = k < 0 ? n : (size_t)k;
    if (at < n) {
        tr_via_text(t, r, buf + at, n - at, &st);
        at += strlen(buf + at);
    }
    if (at < n)
        snprintf(buf + at, n - at, " %s", regime ? regime : "");
    return buf;
}

static bool
tr_object(struct tui *t, int32_t r, enum obj_kind *k, int32_t *id)
{
    const struct transfer *x = transfer(t, r);
    if (x->flow >= 0) {
        *k = OBJ_FLOW;
        *id = x->flow;
    } else if (x->placement >= 0) {
        *k = OBJ_PLACEMENT;
        *id = x->placement;
    } else {
        return false;
    }
    return true;
}

static void
tr_detail(struct tui *t, int32_t r, struct detail *d)
{
    detail_transfer(t, r, d);
}

const struct view_ops transfers_view = {
    .name = "transfers", .title = "Transfers", .keymap = KEYMAP_LIST, .kind = OBJ_KIND_COUNT,
    .cols = tr_cols, .ncols = 7, .default_sort = -1,
    .result_rows = true, .count = tr_count, .filter_text = tr_filter, .detail = tr_detail, .object = tr_object,
};
