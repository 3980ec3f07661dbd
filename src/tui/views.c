/*
 * views.c - the list engine (build, filter, sort, group, draw only what is
 * visible) and the seven views as const struct view_ops. Rows are ids into
 * the model or the check result; the engine keeps index arrays only and
 * allocates nothing per frame. No curses here.
 */
#include "views.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers -------------------------------------------------------------- */

static int
sev_style(int sev, bool waived)
{
    static const int styles[SEV_COUNT] = {
        [SEV_INFO] = STYLE_INFO, [SEV_WARNING] = STYLE_WARNING, [SEV_ERROR] = STYLE_ERROR,
    };
    if (waived)
        return STYLE_WAIVED;
    return sev >= 0 && sev < SEV_COUNT ? styles[sev] : STYLE_DEFAULT;
}

static void
placement_text(const struct tui *t, int32_t p, char *buf, size_t n)
{
    if (p < 0 || p >= t->m->nplacements) {
        snprintf(buf, n, "-");
        return;
    }
    model_selector(t->m, OBJ_PLACEMENT, p, buf, n);
}

/* ---- datasets ------------------------------------------------------------- */

static int32_t ds_count(struct tui *t) { return t->m->ndatasets; }
static bool ds_visible(struct tui *t, int32_t r) { return !t->m->datasets[r].deleted; }
static const char *ds_name(struct tui *t, int32_t r) { return t->m->datasets[r].name; }

static void
ds_name_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", t->m->datasets[r].name);
}

static void
ds_tier_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    int32_t tier = t->m->datasets[r].tier;
    if (tier < 0) {
        snprintf(buf, n, "(none)");
        *style = STYLE_WARNING;
        return;
    }
    snprintf(buf, n, "%s", model_tier_name(t->m, tier));
}

static const char *
ds_tier_key(struct tui *t, int32_t r)
{
    return model_tier_name(t->m, t->m->datasets[r].tier);
}

static int32_t
ds_tier_dom(struct tui *t, int32_t r)
{
    int32_t tier = t->m->datasets[r].tier;
    return tier >= 0 && tier < t->m->ntiers ? tier : -1;
}

static int32_t ti_n(struct tui *t) { return t->m->ntiers; }
static const char *ti_str(struct tui *t, int32_t i) { return model_tier_name(t->m, i); }

static void
ds_subjects_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    model_get(t->m, OBJ_DATASET, r, "subjects", buf, n);
}

static void
ds_system_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", t->m->datasets[r].system ? t->m->datasets[r].system : "");
}

static const char *
ds_system_key(struct tui *t, int32_t r)
{
    return t->m->datasets[r].system ? t->m->datasets[r].system : "";
}

static void
ds_home_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    int32_t h = r < t->nd ? t->ds_home[r] : SM_NONE;
    if (h < 0) {
        snprintf(buf, n, "-");
        *style = STYLE_DIM;
        return;
    }
    snprintf(buf, n, "%s", model_region_id(t->m, h));
}

static const char *
ds_home_key(struct tui *t, int32_t r)
{
    return r < t->nd ? model_region_id(t->m, t->ds_home[r]) : "";
}

static int32_t
ds_home_dom(struct tui *t, int32_t r)
{
    int32_t h = r < t->nd ? t->ds_home[r] : SM_NONE;
    return h >= 0 && h < t->m->nregions ? h : -1;
}

static int32_t rg_n(struct tui *t) { return t->m->nregions; }
static const char *rg_str(struct tui *t, int32_t i) { return model_region_id(t->m, i); }

/* String columns whose strings are the names of a few objects (a
 * dataset's tier, its home region): the object of a row (-1: none, the
 * string ""), how many objects there are, and their names. Sorting ranks
 * the few names once and the rows by that rank: the order str gives. */
static const struct dom_col {
    const char *(*str)(struct tui *t, int32_t row);
    int32_t (*dom)(struct tui *t, int32_t row);
    int32_t (*n)(struct tui *t);
    const char *(*name)(struct tui *t, int32_t i);
} dom_cols[] = {
    { ds_tier_key, ds_tier_dom, ti_n, ti_str },
    { ds_home_key, ds_home_dom, rg_n, rg_str },
};

static void
ds_copies_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%d", r < t->nd ? (int)t->ds_copies[r] : 0);
}

static int64_t ds_copies_key(struct tui *t, int32_t r) { return r < t->nd ? t->ds_copies[r] : 0; }

static void
ds_find_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    int32_t c = r < t->nd ? t->ds_nfind[r] : 0;
    if (c == 0) {
        snprintf(buf, n, "-");
        *style = STYLE_DIM;
        return;
    }
    snprintf(buf, n, "%d", (int)c);
    *style = sev_style(t->ds_worst[r], false);
}

static int64_t
ds_find_key(struct tui *t, int32_t r)
{
    return r < t->nd ? (int64_t)t->ds_worst[r] * 1000000 + t->ds_nfind[r] : 0;
}

/* Columns to the right go first when the screen is narrow. */
static const struct column ds_cols[] = {
    { "Dataset",   0,  false, ds_name_text,     NULL,          ds_name },
    { "Tier",      12, false, ds_tier_text,     NULL,          ds_tier_key },
    { "Subjects",  8,  false, ds_subjects_text, NULL,          NULL },
    { "Home",      16, false, ds_home_text,     NULL,          ds_home_key },
    { "Copies",    6,  true,  ds_copies_text,   ds_copies_key, NULL },
    { "Find",      4,  true,  ds_find_text,     ds_find_key,   NULL },
    { "System",    9,  false, ds_system_text,   NULL,          ds_system_key },
};

static const char *
ds_filter(struct tui *t, int32_t r, char *buf, size_t n)
{
    (void)buf; (void)n;
    return t->m->datasets[r].name;
}

static bool
ds_object(struct tui *t, int32_t r, enum obj_kind *k, int32_t *id)
{
    (void)t;
    *k = OBJ_DATASET;
    *id = r;
    return true;
}

static void
ds_detail(struct tui *t, int32_t r, struct detail *d)
{
    detail_object(t, OBJ_DATASET, r, d);
}

static const struct view_ops datasets_view = {
    .name = "datasets", .title = "Datasets", .keymap = KEYMAP_DATASETS, .kind = OBJ_DATASET,
    .cols = ds_cols, .ncols = 7, .default_sort = 0,
    .count = ds_count, .visible = ds_visible, .filter_text = ds_filter, .filter_name = true,
    .detail = ds_detail, .object = ds_object,
};

/* ---- flows ---------------------------------------------------------------- */

static int32_t fl_count(struct tui *t) { return t->m->nflows; }
static bool fl_visible(struct tui *t, int32_t r) { return !t->m->flows[r].deleted; }
static const char *fl_name(struct tui *t, int32_t r) { return t->m->flows[r].name; }

static void
fl_name_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", t->m->flows[r].name);
}

static void
fl_from_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    placement_text(t, t->m->flows[r].from, buf, n);
}

static void
fl_to_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    const struct flow *f = &t->m->flows[r];
    (void)style;
    if (f->to >= 0)
        placement_text(t, f->to, buf, n);
    else
        snprintf(buf, n, "%s (export)", model_region_id(t->m, f->to_region));
}

static void
fl_kind_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", flow_kind_names[t->m->flows[r].kind]);
}

static int64_t fl_kind_key(struct tui *t, int32_t r) { return t->m->flows[r].kind; }

static void
fl_mech_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    uint8_t mech = t->m->flows[r].mechanism;
    if (mech == MECH_NONE) {
        snprintf(buf, n, "-");
        *style = STYLE_DIM;
        return;
    }
    snprintf(buf, n, "%s", mechanism_names[mech]);
}

static int64_t fl_mech_key(struct tui *t, int32_t r) { return t->m->flows[r].mechanism; }

static void
fl_status_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    int w = r < t->nf ? t->fl_worst[r] : -1;
    if (w < 0) {
        snprintf(buf, n, r < t->nf && t->fl_waived[r] ? "waived" : "ok");
        *style = r < t->nf && t->fl_waived[r] ? STYLE_WAIVED : STYLE_DIM;
        return;
    }
    snprintf(buf, n, "%s", severity_names[w]);
    *style = sev_style(w, false);
}

static int64_t fl_status_key(struct tui *t, int32_t r) { return r < t->nf ? t->fl_worst[r] : -1; }

static const struct column fl_cols[] = {
    { "Flow",      0,  false, fl_name_text,   NULL,          fl_name },
    { "From",      24, false, fl_from_text,   NULL,          NULL },
    { "To",        24, false, fl_to_text,     NULL,          NULL },
    { "Kind",      11, false, fl_kind_text,   fl_kind_key,   NULL },
    { "Mech",      10, false, fl_mech_text,   fl_mech_key,   NULL },
    { "Status",    7,  false, fl_status_text, fl_status_key, NULL },
};

static const char *
fl_filter(struct tui *t, int32_t r, char *buf, size_t n)
{
    (void)buf; (void)n;
    return t->m->flows[r].name;
}

static bool
fl_object(struct tui *t, int32_t r, enum obj_kind *k, int32_t *id)
{
    (void)t;
    *k = OBJ_FLOW;
    *id = r;
    return true;
}

static void
fl_detail(struct tui *t, int32_t r, struct detail *d)
{
    detail_object(t, OBJ_FLOW, r, d);
}

static const struct view_ops flows_view = {
    .name = "flows", .title = "Flows", .keymap = KEYMAP_LIST, .kind = OBJ_FLOW,
    .cols = fl_cols, .ncols = 6, .default_sort = 0,
    .count = fl_count, .visible = fl_visible, .filter_text = fl_filter, .filter_name = true,
    .detail = fl_detail, .object = fl_object,
};

/* ---- regions (grouped by country) ----------------------------------------- */

static int32_t rg_count(struct tui *t) { return t->m->nregions; }
static bool rg_visible(struct tui *t, int32_t r) { return !t->m->regions[r].deleted; }
static const char *rg_id(struct tui *t, int32_t r) { return t->m->regions[r].id; }

static void
rg_id_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", t->m->regions[r].id);
}

static void
rg_where_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    const struct region *g = &t->m->regions[r];
    (void)style;
    snprintf(buf, n, "%s", g->city && *g->city ? g->city : (g->name ? g->name : ""));
}

static void
rg_kind_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", region_kind_names[t->m->regions[r].kind]);
}

static int64_t rg_kind_key(struct tui *t, int32_t r) { return t->m->regions[r].kind; }

static void
rg_operator_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    const struct region *g = &t->m->regions[r];
    char cc[3];
    sm_cc_str(g->operator_home, cc);
    snprintf(buf, n, "%s", g->operator_home >= 0 ? cc : "-");
    if (g->operator_home >= 0 && g->country >= 0 && g->operator_home != g->country &&
        !(g->operator_home == sm_cc("EU")))
        *style = STYLE_WARNING;
}

static void
rg_copies_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    int32_t c = r < t->nr ? t->rg_copies[r] : 0;
    snprintf(buf, n, "%d", (int)c);
    if (c == 0)
        *style = STYLE_DIM;
}

static int64_t rg_copies_key(struct tui *t, int32_t r) { return r < t->nr ? t->rg_copies[r] : 0; }

static const struct column rg_cols[] = {
    { "Region",   0,  false, rg_id_text,       NULL,          rg_id },
    { "Where",    18, false, rg_where_text,    NULL,          NULL },
    { "Kind",     15, false, rg_kind_text,     rg_kind_key,   NULL },
    { "Operator", 8,  false, rg_operator_text, NULL,          NULL },
    { "Copies",   6,  true,  rg_copies_text,   rg_copies_key, NULL },
};

static int
rg_group(struct tui *t, int32_t r)
{
    int32_t cc = t->m->regions[r].country;
    return cc >= 0 && cc < SM_CC_COUNT ? cc : SM_CC_COUNT;
}

static void
rg_group_title(struct tui *t, int g, int32_t n, char *buf, size_t size)
{
    char cc[3];
    (void)t;
    if (g >= SM_CC_COUNT) {
        snprintf(buf, size, "Multi-region and global (%d)", (int)n);
        return;
    }
    sm_cc_str(g, cc);
    snprintf(buf, size, "%s (%d region%s)", cc, (int)n, n == 1 ? "" : "s");
}

static const char *
rg_filter(struct tui *t, int32_t r, char *buf, size_t n)
{
    const struct region *g = &t->m->regions[r];
    char cc[3];
    sm_cc_str(g->country, cc);
    snprintf(buf, n, "%s %s %s", g->id, g->city ? g->city : "", cc);
    return buf;
}

static bool
rg_object(struct tui *t, int32_t r, enum obj_kind *k, int32_t *id)
{
    (void)t;
    *k = OBJ_REGION;
    *id = r;
    return true;
}

static void
rg_detail(struct tui *t, int32_t r, struct detail *d)
{
    detail_object(t, OBJ_REGION, r, d);
}

static const struct view_ops regions_view = {
    .name = "regions", .title = "Regions", .keymap = KEYMAP_LIST, .kind = OBJ_REGION,
    .cols = rg_cols, .ncols = 5, .default_sort = 0,
    .count = rg_count, .visible = rg_visible, .group = rg_group,
    .group_title = rg_group_title, .filter_text = rg_filter,
    .detail = rg_detail, .object = rg_object,
};

/* ---- tiers ------------------------------------------------------------------ */

static int32_t ti_count(struct tui *t) { return t->m->ntiers; }
static bool ti_visible(struct tui *t, int32_t r) { return !t->m->tiers[r].deleted; }
static const char *ti_name(struct tui *t, int32_t r) { return t->m->tiers[r].name; }
static int64_t ti_rank(struct tui *t, int32_t r) { return t->m->tiers[r].rank; }

static void
ti_name_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", t->m->tiers[r].name);
}

static void
ti_rank_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%d", (int)t->m->tiers[r].rank);
}

static void
ti_attr_text(struct tui *t, int32_t r, const char *attr, char *buf, size_t n)
{
    model_get(t->m, OBJ_TIER, r, attr, buf, n);
}

#define TIER_TEXT(fn, attr) \
    static void fn(struct tui *t, int32_t r, char *buf, size_t n, int *style) \
    { (void)style; ti_attr_text(t, r, attr, buf, n); }
TIER_TEXT(ti_personal_text, "personal")
TIER_TEXT(ti_scope_text, "scope")
TIER_TEXT(ti_bscope_text, "backup-scope")
TIER_TEXT(ti_kscope_text, "key-scope")
TIER_TEXT(ti_enc_text, "encryption-at-rest")
TIER_TEXT(ti_sov_text, "sovereign")
#undef TIER_TEXT

static void
ti_count_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%d", r < t->nt ? (int)t->tier_count[r] : 0);
}

static int64_t ti_count_key(struct tui *t, int32_t r) { return r < t->nt ? t->tier_count[r] : 0; }

static const struct column ti_cols[] = {
    { "Tier",      0,  false, ti_name_text,     NULL,         ti_name },
    { "Rank",      4,  true,  ti_rank_text,     ti_rank,      NULL },
    { "Personal",  8,  false, ti_personal_text, NULL,         NULL },
    { "Scope",     9,  false, ti_scope_text,    NULL,         NULL },
    { "Backups",   9,  false, ti_bscope_text,   NULL,         NULL },
    { "Keys",      9,  false, ti_kscope_text,   NULL,         NULL },
    { "Encrypt",   7,  false, ti_enc_text,      NULL,         NULL },
    { "Sovereign", 9,  false, ti_sov_text,      NULL,         NULL },
    { "Datasets",  8,  true,  ti_count_text,    ti_count_key, NULL },
};

static const char *
ti_filter(struct tui *t, int32_t r, char *buf, size_t n)
{
    (void)buf; (void)n;
    return t->m->tiers[r].name;
}

static bool
ti_object(struct tui *t, int32_t r, enum obj_kind *k, int32_t *id)
{
    (void)t;
    *k = OBJ_TIER;
    *id = r;
    return true;
}

static void
ti_detail(struct tui *t, int32_t r, struct detail *d)
{
    detail_object(t, OBJ_TIER, r, d);
}

static const struct view_ops tiers_view = {
    .name = "tiers", .title = "Tiers", .keymap = KEYMAP_LIST, .kind = OBJ_TIER,
    .cols = ti_cols, .ncols = 9, .default_sort = -1,
    .count = ti_count, .visible = ti_visible, .filter_text = ti_filter, .filter_name = true,
    .detail = ti_detail, .object = ti_object,
};

/* ---- findings (grouped by severity, waived apart) ------------------------- */

static int32_t fi_count(struct tui *t) { return t->res ? t->res->nfindings : 0; }

static const struct finding *
finding(struct tui *t, int32_t r)
{
    return &t->res->findings[r];
}

static void
fi_sev_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    const struct finding *f = finding(t, r);
    snprintf(buf, n, "%s", f->waived ? "waived" : severity_names[f->severity]);
    *style = sev_style(f->severity, f->waived);
}

static int64_t fi_sev_key(struct tui *t, int32_t r) { return -finding(t, r)->severity; }

static void
fi_rule_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    const struct finding *f = finding(t, r);
    snprintf(buf, n, "%s", f->rule);
    *style = sev_style(f->severity, f->waived);
}

static const char *fi_rule(struct tui *t, int32_t r) { return finding(t, r)->rule; }
static const char *fi_sel(struct tui *t, int32_t r) { return finding(t, r)->selector; }

static void
fi_object_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", finding(t, r)->selector);
}

static void
fi_jur_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", finding(t, r)->jurisdictions);
}

static void
fi_msg_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", finding(t, r)->message);
}

/* Severity is the group (and the rule's colour); its column comes last
 * and is the first to go on narrow screens. */
static const struct column fi_cols[] = {
    { "Rule",    7,  false, fi_rule_text,   NULL,       fi_rule },
    { "Object",  32, false, fi_object_text, NULL,       fi_sel },
    { "Where",   8,  false, fi_jur_text,    NULL,       NULL },
    { "Message", 0,  false, fi_msg_text,    NULL,       NULL },
    { "Severity", 8, false, fi_sev_text,    fi_sev_key, NULL },
};

static int
fi_group(struct tui *t, int32_t r)
{
    const struct finding *f = finding(t, r);
    return f->waived ? SEV_COUNT : SEV_COUNT - 1 - f->severity;
}

static void
fi_group_title(struct tui *t, int g, int32_t n, char *buf, size_t size)
{
    static const char *const titles[] = { "Errors", "Warnings", "Info", "Waived" };
    (void)t;
    snprintf(buf, size, "%s (%d)", g >= 0 && g <= SEV_COUNT ? titles[g] : "?", (int)n);
}

static const char *
fi_filter(struct tui *t, int32_t r, char *buf, size_t n)
{
    const struct finding *f = finding(t, r);
    snprintf(buf, n, "%s %s %s %s", f->rule, f->selector, f->jurisdictions, f->message);
    return buf;
}

static bool
fi_object(struct tui *t, int32_t r, enum obj_kind *k, int32_t *id)
{
    const struct finding *f = finding(t, r);
    if (f->object < 0)
        return false;
    *k = (enum obj_kind)f->kind;
    *id = f->object;
    return true;
}

static void
fi_detail(struct tui *t, int32_t r, struct detail *d)
{
    detail_finding(t, r, d);
}

static const struct view_ops findings_view = {
    .name = "findings", .title = "Findings", .keymap = KEYMAP_FINDINGS, .kind = OBJ_KIND_COUNT,
    .cols = fi_cols, .ncols = 5, .default_sort = -1,
    .count = fi_count, .group = fi_group, .group_title = fi_group_title,
    .filter_text = fi_filter, .detail = fi_detail, .object = fi_object,
};

/* ---- map (datasets x regions) --------------------------------------------- */

static void map_draw(struct tui *t, struct view *v, struct screen *s, int x, int y,
                     int w, int h);

static const struct view_ops map_view = {
    .name = "map", .title = "Map", .keymap = KEYMAP_MAP, .kind = OBJ_PLACEMENT,
    .cols = ds_cols, .ncols = 1, .default_sort = 0,
    .count = ds_count, .visible = ds_visible, .filter_text = ds_filter, .filter_name = true,
    .detail = ds_detail, .object = ds_object, .draw = map_draw,
};

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
    char a[3], b[3];
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
    snprintf(buf, n, "%s", transfer(t, r)->regime ? transfer(t, r)->regime : "");
}

static void
tr_via_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    const struct transfer *x = transfer(t, r);
    (void)style;
    if (x->flow >= 0 && x->flow < t->m->nflows)
        snprintf(buf, n, "%s", t->m->flows[x->flow].name);
    else
        placement_text(t, x->placement, buf, n);
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
    snprintf(buf, n, "%s", transfer(t, r)->basis ? transfer(t, r)->basis : "");
}

static const struct column tr_cols[] = {
    { "Dataset",  18, false, tr_ds_text,     NULL,          tr_ds },
    { "Route",    9,  false, tr_route_text,  tr_route_key,  NULL },
    { "Regime",   7,  false, tr_regime_text, NULL,          NULL },
    { "Via",      0,  false, tr_via_text,    NULL,          NULL },
    { "Mech",     10, false, tr_mech_text,   NULL,          NULL },
    { "Status",   9,  false, tr_status_text, tr_status_key, NULL },
    { "Basis",    18, false, tr_basis_text,  NULL,          NULL },
};

static const char *
tr_filter(struct tui *t, int32_t r, char *buf, size_t n)
{
    char route[32], via[256];
    int st = 0;
    tr_route_text(t, r, route, sizeof route, &st);
    tr_via_text(t, r, via, sizeof via, &st);
    snprintf(buf, n, "%s %s %s %s", tr_ds(t, r), route, via,
             transfer(t, r)->regime ? transfer(t, r)->regime : "");
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

static const struct view_ops transfers_view = {
    .name = "transfers", .title = "Transfers", .keymap = KEYMAP_LIST, .kind = OBJ_KIND_COUNT,
    .cols = tr_cols, .ncols = 7, .default_sort = -1,
    .count = tr_count, .filter_text = tr_filter, .detail = tr_detail, .object = tr_object,
};

/* ---- scenarios (what-ifs) ------------------------------------------------ */

static int32_t sc_count(struct tui *t) { return t->m->nscenarios; }
static bool sc_visible(struct tui *t, int32_t r) { return !t->m->scenarios[r].deleted; }
static const char *sc_name(struct tui *t, int32_t r) { return t->m->scenarios[r].name; }
static int64_t sc_nops(struct tui *t, int32_t r) { return t->m->scenarios[r].nops; }

static void
sc_name_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", t->m->scenarios[r].name);
}

static void
sc_base_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    const char *b = t->m->scenarios[r].base;
    snprintf(buf, n, "%s", b && *b ? b : "(catalog)");
    if (!b || !*b)
        *style = STYLE_DIM;
}

static void
sc_ops_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%u", (unsigned)t->m->scenarios[r].nops);
}

static void
sc_desc_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    (void)style;
    snprintf(buf, n, "%s", t->m->scenarios[r].description ? t->m->scenarios[r].description : "");
}

static const struct column sc_cols[] = {
    { "Scenario",    24, false, sc_name_text, NULL,    sc_name },
    { "Base",        16, false, sc_base_text, NULL,    NULL },
    { "Ops",         4,  true,  sc_ops_text,  sc_nops, NULL },
    { "Description", 0,  false, sc_desc_text, NULL,    NULL },
};

static const char *
sc_filter(struct tui *t, int32_t r, char *buf, size_t n)
{
    (void)buf; (void)n;
    return t->m->scenarios[r].name;
}

static bool
sc_object(struct tui *t, int32_t r, enum obj_kind *k, int32_t *id)
{
    (void)t;
    *k = OBJ_SCENARIO;
    *id = r;
    return true;
}

static void
sc_detail(struct tui *t, int32_t r, struct detail *d)
{
    detail_object(t, OBJ_SCENARIO, r, d);
}

static const struct view_ops scenarios_view = {
    .name = "scenarios", .title = "Scenarios", .keymap = KEYMAP_SCENARIOS, .kind = OBJ_SCENARIO,
    .cols = sc_cols, .ncols = 4, .default_sort = 0,
    .count = sc_count, .visible = sc_visible, .filter_text = sc_filter, .filter_name = true,
    .detail = sc_detail, .object = sc_object,
};

const struct view_ops *const tui_views[TUI_NVIEWS] = {
    &datasets_view, &flows_view, &regions_view, &tiers_view,
    &findings_view, &map_view, &transfers_view, &scenarios_view,
};

int
view_index_of_kind(enum obj_kind kind)
{
    static const int index[OBJ_KIND_COUNT] = {
        [OBJ_REGION] = 2, [OBJ_TIER] = 3, [OBJ_DATASET] = 0, [OBJ_PLACEMENT] = 0,
        [OBJ_FLOW] = 1, [OBJ_WAIVER] = 4, [OBJ_SCENARIO] = 7,
    };
    return kind < OBJ_KIND_COUNT ? index[kind] : 4;
}

/* ---- the list engine ------------------------------------------------------ */

/* qsort has no context argument in C11: the TUI is single-threaded. */
static struct {
    struct tui *t;
    const struct view_ops *ops;
    const struct column *col;
    int dir;
} sort_ctx;

static int
cmp_rows(const void *pa, const void *pb)
{
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    struct tui *t = sort_ctx.t;
    const struct column *c = sort_ctx.col;
    int r = 0;

    if (sort_ctx.ops->group) {
        int ga = sort_ctx.ops->group(t, a), gb = sort_ctx.ops->group(t, b);
        if (ga != gb)
            return ga < gb ? -1 : 1;
    }
    if (c && c->num) {
        int64_t x = c->num(t, a), y = c->num(t, b);
        r = x < y ? -1 : x > y;
    } else if (c && c->str) {
        r = strcmp(c->str(t, a), c->str(t, b));
    }
    if (r == 0)
        r = a < b ? -1 : a > b;     /* stable: base order breaks ties */
    else
        r *= sort_ctx.dir;
    return r;
}

static int
grow(int32_t **p, int32_t *cap, int32_t need)
{
    return sm_grow((void **)p, cap, need, sizeof **p);
}

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* Case-insensitive (ASCII) substring: lo and up are the needle in lower
 * and upper case. No calls in the loop: it runs over a million names per
 * key press. */
static bool
icontains(const char *hay, const char *lo, const char *up, size_t n)
{
    if (!hay)
        return false;
    for (const char *p = hay; *p; p++) {
        size_t i;
        if (*p != lo[0] && *p != up[0])
            continue;
        for (i = 1; i < n && (p[i] == lo[i] || p[i] == up[i]); i++)
            ;
        if (i == n)
            return true;
    }
    return false;
}

/* The same when every byte of the needle is an ASCII letter (fold[i]
 * 0x20: a byte matches when it or'ed with 0x20 is the lower case letter)
 * or has no other case (fold[i] 0): one comparison a byte, not two. */
static bool
icontains_fold(const char *hay, const char *lo, const char *fold, size_t n)
{
    char c0 = lo[0], f0 = fold[0];

    if (!hay)
        return false;
    for (const char *p = hay; *p; p++) {
        size_t i;
        if ((char)(*p | f0) != c0)
            continue;
        for (i = 1; i < n && (char)(p[i] | fold[i]) == lo[i]; i++)
            ;
        if (i == n)
            return true;
    }
    return false;
}

static bool
filter_test(const char *hay, const char *lo, const char *up, const char *fold, size_t n)
{
    return fold ? icontains_fold(hay, lo, fold, n) : icontains(hay, lo, up, n);
}

/* ---- filter texts kept through re-checks ---------------------------------- */

/* One step of the hashes of names' addresses (struct view: sig, psig). */
static uint64_t
sig_step(uint64_t h, uint64_t x)
{
    h = (h ^ x) * 0x9e3779b97f4a7c15ull;
    return h ^ h >> 29;
}


/* Bytes for the flags of n rows and some to come (rows added by edits
 * then do not move the texts behind them), a multiple of 8. */
static size_t
flags_room(int32_t n)
{
    return ((size_t)n + 1 + (size_t)n / 64 + 64 + 7) / 8 * 8;
}

/* Room for n + 1 match flags at the head of the match block, the kept
 * texts (if any) moved behind them. False when out of memory. */
static bool
match_room(struct view *v, int32_t n)
{
    size_t head, tail, nhead;
    uint8_t *blk;

    if (n <= v->capmatch)
        return true;
    if (v->ntext <= 0) {
        if (!(blk = realloc(v->match, (size_t)n + 1)))
            return false;
        v->match = blk;
        v->capmatch = n;
        v->capblock = (size_t)n + 1;
        v->ntext = 0;
        return true;
    }
    head = (size_t)((const uint8_t *)(const void *)v->toff - v->match);
    tail = v->capblock - head;
    nhead = flags_room(n);
    if (!(blk = malloc(nhead + tail)))
        return false;
    memcpy(blk + nhead, v->match + head, tail);
    free(v->match);
    v->match = blk;
    v->capmatch = (int32_t)nhead - 1;
    v->capblock = nhead + tail;
    v->toff = (const uint32_t *)(const void *)(blk + nhead);
    v->text = (const char *)(v->toff + v->ntext + 1);
    return true;
}

static uint64_t model_fp(const struct tui *t);
static bool order_model_only(const struct view *v, int sort);
static uint64_t view_sig(struct tui *t, struct view *v);
static bool sig_unchanged(struct tui *t, struct view *v, const struct model *built_on,
                          uint64_t built_sig);

static bool
texts_current(struct tui *t, const struct view *v, int32_t n)
{
    return v->ntext == n && n > 0 && v->text_m == t->m && v->text_mgen == t->m->generation &&
           v->text_fp == model_fp(t);
}

/* How many rows (the first ones) the kept texts serve now: all of them
 * on the model they were made for; after an edit, as long as those
 * rows' names are where they were (one pass a generation); 0: none. */
static int32_t
texts_rows(struct tui *t, struct view *v, int32_t n)
{
    uint64_t ph;

    if (v->ntext <= 0 || v->ntext > n || v->text_m != t->m)
        return 0;
    if (texts_current(t, v, n) || v->text_okgen == t->m->generation)
        return v->ntext;
    ph = 1469598103934665603ull ^ (uint64_t)v->ntext;
    for (int32_t r = 0; r < v->ntext; r++)
        ph = sig_step(ph, (uint64_t)(uintptr_t)v->ops->filter_text(t, r, NULL, 0));
    if ((ph | 1) != v->text_psig) {
        v->ntext = 0;
        return 0;
    }
    v->text_okgen = t->m->generation;
    return v->ntext;
}

/* Copy every row's filter text (a name) into the match block, after the
 * flags, ASCII letters in lower case (the filter takes them in either). Off the key path: after the first check's frame. Nothing when
 * out of memory (the filter then reads the names where they are). */
static void
texts_build(struct tui *t, struct view *v)
{
    int32_t n = v->ops->count(t);
    size_t total = 0, head, need;
    uint64_t ph = 1469598103934665603ull ^ (uint64_t)n;
    uint8_t *blk;
    char *text;
    uint32_t *off;

    v->ntext = 0;
    if (!v->ops->filter_name || n <= 0)
        return;
    for (int32_t r = 0; r < n; r++)
        total += strlen(v->ops->filter_text(t, r, NULL, 0)) + 1;
    if (total > UINT32_MAX)
        return;
    head = flags_room(n);
    need = head + sizeof *off * ((size_t)n + 1) + total;
    if (need > v->capblock || n > v->capmatch) {
        if (!(blk = realloc(v->match, need)))
            return;
        v->match = blk;
        v->capblock = need;
    }
    v->capmatch = (int32_t)head - 1;    /* the flags end where the offsets begin */
    off = (uint32_t *)(void *)(v->match + head);
    text = (char *)(off + n + 1);
    total = 0;
    for (int32_t r = 0; r < n; r++) {
        const char *s = v->ops->filter_text(t, r, NULL, 0);
        size_t len = strlen(s) + 1;
        ph = sig_step(ph, (uint64_t)(uintptr_t)s);
        off[r] = (uint32_t)total;
        for (size_t i = 0; i < len; i++)
            text[total + i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] | 0x20) : s[i];
        total += len;
    }
    off[n] = (uint32_t)total;
    v->toff = off;
    v->text = text;
    v->ntext = n;
    v->text_m = t->m;
    v->text_mgen = t->m->generation;
    v->text_fp = model_fp(t);
    v->text_psig = ph | 1;
    v->text_okgen = t->m->generation;
}

/* Rows of order that match the filter, into rows, keeping the order.
 * Names are tested in id order (sequential in memory, which matters at a
 * million rows), marking v->match; the sorted rows are then picked by
 * their mark. When the filter only grew, only rows that matched before
 * are tested again. */
static void
apply_filter(struct tui *t, struct view *v, bool narrow)
{
    char lo[256], up[256], fold[256], buf[1024];
    const char *folded = fold, *text;
    size_t nlen = 0;
    int32_t n = v->ops->count(t), k = 0, nt;
    const int32_t *src = narrow ? v->rows : v->order;
    int32_t nsrc = narrow ? v->nrows : v->norder;

    for (const char *p = v->filter; *p && nlen + 1 < sizeof lo; p++, nlen++) {
        lo[nlen] = (char)tolower((unsigned char)*p);
        up[nlen] = (char)toupper((unsigned char)*p);
        fold[nlen] = lo[nlen] == up[nlen] ? 0 : 0x20;
        if (fold[nlen] ? !(lo[nlen] >= 'a' && lo[nlen] <= 'z' && up[nlen] == lo[nlen] - 0x20)
                       : lo[nlen] >= 'a' && lo[nlen] <= 'z')
            folded = NULL;      /* a case pair outside ASCII letters */
    }
    lo[nlen] = up[nlen] = fold[nlen] = 0;
    if (!nlen) {
        memcpy(v->rows, v->order, sizeof *v->rows * (size_t)v->norder);
        v->nrows = v->norder;
        return;
    }
    if (n > v->capmatch) {
        if (!match_room(v, n)) {
            v->nrows = 0;
            return;
        }
        narrow = false;
        src = v->order;
        nsrc = v->norder;
    }
    /* The kept texts have ASCII letters in lower case: good for a needle
     * whose only case pairs are ASCII letters (lo is then what to find).
     * They serve rows below nt; rows added since are read where they are. */
    nt = folded ? texts_rows(t, v, n) : 0;
    text = nt ? v->text : NULL;
    if (!narrow && nsrc > n / 2) {
        /* Most rows are listed: test them all (hidden ones too, never
         * picked below) rather than mark the listed ones one by one. */
        memset(v->match, 1, (size_t)n);
    } else if (!narrow) {
        memset(v->match, 0, (size_t)n);
        for (int32_t i = 0; i < nsrc; i++)
            v->match[src[i]] = 1;
    }
    if (text && nsrc > n / 2) {
        /* One search through all the texts (memchr for the first byte,
         * not a loop a byte per row), each hit marking its row; a needle
         * never spans the NUL between two texts. */
        const char *p = text, *end = text + v->toff[nt];
        int32_t r = 0;
        memset(v->match, 0, (size_t)n);
        while (p < end && (p = memchr(p, lo[0], (size_t)(end - p))) != NULL) {
            uint32_t at = (uint32_t)(p - text);
            if ((size_t)(end - p) < nlen || memcmp(p, lo, nlen) != 0) {
                p++;
                continue;
            }
            while (v->toff[r + 1] <= at)
                r++;
            v->match[r] = 1;
            p = text + v->toff[r + 1];
        }
        for (r = nt; r < n; r++)
            v->match[r] = filter_test(v->ops->filter_text(t, r, NULL, 0), lo, up, folded,
                                      nlen);
    } else if (text) {
        int32_t row[64];
        for (int32_t r = 0; r < n;) {
            int k2 = 0;
            for (; r < n && k2 < 64; r++)
                if (v->match[r])
                    row[k2++] = r;
            for (int i = 0; i < k2; i++)
                if (row[i] < nt)
                    PREFETCH(text + v->toff[row[i]]);
            for (int i = 0; i < k2; i++)
                v->match[row[i]] = row[i] < nt ? strstr(text + v->toff[row[i]], lo) != NULL
                                 : filter_test(v->ops->filter_text(t, row[i], NULL, 0), lo,
                                               up, folded, nlen);
        }
    } else if (!v->ops->filter_name) {
        for (int32_t r = 0; r < n; r++)
            if (v->match[r])
                v->match[r] = filter_test(v->ops->filter_text(t, r, buf, sizeof buf), lo, up,
                                          folded, nlen);
    } else {
        /* Names a chunk at a time: their objects are looked up, then the
         * names are fetched ahead, then tested, so that the cache misses
         * of a chunk overlap (narrowing tests rows scattered over a
         * million objects: one miss after the other was 30 ms). */
        const char *name[64];
        int32_t row[64];
        for (int32_t r = 0; r < n;) {
            int k2 = 0;
            for (; r < n && k2 < 64; r++)
                if (v->match[r])
                    row[k2++] = r;
            for (int i = 0; i < k2; i++) {
                name[i] = v->ops->filter_text(t, row[i], NULL, 0);
                PREFETCH(name[i]);
            }
            for (int i = 0; i < k2; i++)
                v->match[row[i]] = filter_test(name[i], lo, up, folded, nlen);
        }
    }
    for (int32_t i = 0; i < nsrc; i++)
        if (v->match[src[i]])
            v->rows[k++] = src[i];
    v->nrows = k;
}

/* The first 8 bytes of a string as a big-endian number: sorting by it
 * sorts by the prefix, byte-wise like strcmp. */
static uint64_t
prefix_key(const char *s)
{
    uint64_t k = 0;
    int i = 0;

    for (; i < 8 && s[i]; i++)
        k = k << 8 | (unsigned char)s[i];
    return i == 0 ? 0 : i == 8 ? k : k << (8 * (8 - i));
}

static int
cmp_str_pairs(const void *pa, const void *pb)
{
    const struct sort_pair *a = pa, *b = pb;
    int r = strcmp(sort_ctx.col->str(sort_ctx.t, a->row), sort_ctx.col->str(sort_ctx.t, b->row));
    return r ? r : (a->row > b->row) - (a->row < b->row);
}

/* LSD radix sort of (key, row) pairs, 16 bits a pass (8 for fewer than
 * 65536 pairs: the runs of ties refine_ties sorts again); stable, so
 * equal keys keep the base (catalog) order. tmp has room for n pairs.
 * Keys are taken relative to the smallest one, so only the digits that
 * span the keys' range cost a pass (a count, a flag, a shared name
 * prefix: one or two passes); the passes go back and forth between p
 * and tmp. Keys already in order (a catalog written in name order): no
 * pass at all. */
static void
radix_sort(struct sort_pair *p, struct sort_pair *tmp, int32_t n)
{
    static int32_t count[65536];
    struct sort_pair *src = p, *dst = tmp;
    uint64_t lo, hi, range;
    bool sorted = true;
    int bits = n >= 65536 ? 16 : 8;
    uint64_t mask = ((uint64_t)1 << bits) - 1;

    if (n < 2)
        return;
    lo = hi = p[0].key;
    for (int32_t i = 1; i < n; i++) {
        uint64_t k = p[i].key;
        if (k < p[i - 1].key)
            sorted = false;
        if (k < lo)
            lo = k;
        if (k > hi)
            hi = k;
    }
    if (sorted)
        return;
    range = hi - lo;
    for (int shift = 0; shift < 64 && (range >> shift) != 0; shift += bits) {
        int32_t sum = 0;
        memset(count, 0, sizeof *count << bits);
        for (int32_t i = 0; i < n; i++)
            count[((src[i].key - lo) >> shift) & mask]++;
        for (uint64_t d = 0; d <= mask; d++) {
            int32_t x = count[d];
            count[d] = sum;
            sum += x;
        }
        for (int32_t i = 0; i < n; i++)
            dst[count[((src[i].key - lo) >> shift) & mask]++] = src[i];
        {
            struct sort_pair *x = src;
            src = dst;
            dst = x;
        }
    }
    if (src != p)
        memcpy(p, src, sizeof *p * (size_t)n);
}

#define REFINE_QSORT 64

/* p[0..n) is sorted by the key (bytes off-8..off-1 of each string) and
 * stable in the base order. Runs that tie on those 8 bytes, none of them
 * a NUL, are sorted again by the next 8 bytes (a radix sort; strcmp for
 * short runs), so that a column of few distinct long strings (tiers,
 * regions) is not one big qsort. Equal strings keep the base order. */
static void
refine_ties(struct tui *t, const struct column *c, struct sort_pair *p,
            struct sort_pair *tmp, int32_t n, size_t off)
{
    for (int32_t i = 0; i < n;) {
        int32_t j = i + 1, m;
        while (j < n && p[j].key == p[i].key)
            j++;
        m = j - i;
        /* A tie on 8 bytes: only strings of 8+ bytes can still differ. */
        if (m > 1 && (p[i].key & 0xff) != 0) {
            if (m <= REFINE_QSORT) {
                qsort(p + i, (size_t)m, sizeof *p, cmp_str_pairs);
            } else {
                /* Already in order (all equal, or a catalog written in
                 * name order)? The run is in base order, so equal strings
                 * are too. */
                const char *prev = c->str(t, p[i].row);
                bool sorted = true;
                for (int32_t k = i + 1; k < j && sorted; k++) {
                    const char *s = c->str(t, p[k].row);
                    sorted = s == prev || strcmp(s + off, prev + off) >= 0;
                    prev = s;
                }
                if (!sorted) {
                    for (int32_t k = i; k < j; k++)
                        p[k].key = prefix_key(c->str(t, p[k].row) + off);
                    radix_sort(p + i, tmp, m);
                    refine_ties(t, c, p + i, tmp, m, off + 8);
                }
            }
        }
        i = j;
    }
}

static struct {
    struct tui *t;
    const struct dom_col *c;
} dom_ctx;

static int
cmp_dom(const void *pa, const void *pb)
{
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    const char *x = a < 0 ? "" : dom_ctx.c->name(dom_ctx.t, a);
    const char *y = b < 0 ? "" : dom_ctx.c->name(dom_ctx.t, b);
    return strcmp(x, y);
}

/* rank[i + 1] of object i (rank[0]: no object, the string ""), equal
 * names equal ranks, so that a stable sort of rows by rank is a sort by
 * str. Heap (the caller frees); NULL when out of memory. */
static int32_t *
dom_ranks(struct tui *t, const struct dom_col *c)
{
    int32_t m = c->n(t), k = 0;
    int32_t *ids = malloc(sizeof *ids * (size_t)(m + 1));
    int32_t *rank = malloc(sizeof *rank * (size_t)(m + 1));

    if (!ids || !rank) {
        free(ids);
        free(rank);
        return NULL;
    }
    for (int32_t i = 0; i <= m; i++)
        ids[i] = i - 1;
    dom_ctx.t = t;
    dom_ctx.c = c;
    qsort(ids, (size_t)m + 1, sizeof *ids, cmp_dom);
    for (int32_t i = 0; i <= m; i++) {
        if (i > 0 && cmp_dom(&ids[i - 1], &ids[i]) != 0)
            k++;
        rank[ids[i] + 1] = k;
    }
    free(ids);
    return rank;
}

/* A string column with few distinct values (systems, owners): rows get
 * the rank of their string among the distinct ones, found with one hash
 * table pass and one small sort, instead of prefix keys refined 8 bytes
 * at a time. False (nothing written) when there are more than
 * FEW_MAX distinct strings or no memory: the general sort then runs. */
#define FEW_MAX 4096
#define FEW_CAP 8192            /* hash slots, a power of 2 */

struct few {
    const char *s;
    int32_t id;                 /* index into the distinct list; -1 free */
};

/* A hash of a string from its length and first and last 8 bytes: no
 * loop a byte (equal hashes are compared with strcmp anyway). */
static uint32_t
few_hash(const char *s)
{
    size_t len = strlen(s);
    uint64_t h = prefix_key(s) ^ len;

    if (len > 8)
        h ^= prefix_key(s + len - 8) * 0x9e3779b97f4a7c15ull;
    h *= 0x9e3779b97f4a7c15ull;
    return (uint32_t)(h >> 32);
}

static int
cmp_few(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static bool
few_keys(struct tui *t, const struct column *c, struct sort_pair *p, const int32_t *rows,
         int32_t n, int32_t *nkeys)
{
    struct few *tab = malloc(sizeof *tab * FEW_CAP);
    const char **str = malloc(sizeof *str * FEW_MAX);
    int32_t *rank = malloc(sizeof *rank * FEW_MAX), nd = 0;
    bool ok = false;

    if (!tab || !str || !rank)
        goto out;
    for (int i = 0; i < FEW_CAP; i++)
        tab[i].id = -1;
    for (int32_t i0 = 0; i0 < n; i0 += 64) {
        /* a chunk's strings looked up first and fetched ahead, so that
         * their cache misses overlap */
        const char *chunk[64];
        int32_t m = n - i0 < 64 ? n - i0 : 64;
        for (int32_t j = 0; j < m; j++) {
            chunk[j] = c->str(t, rows[i0 + j]);
            PREFETCH(chunk[j]);
        }
        for (int32_t j = 0; j < m; j++) {
            const char *s = chunk[j];
            uint32_t slot;
            for (slot = few_hash(s) & (FEW_CAP - 1);;
                 slot = (slot + 1) & (FEW_CAP - 1)) {
                if (tab[slot].id < 0) {
                    if (nd == FEW_MAX)
                        goto out;
                    tab[slot].s = s;
                    tab[slot].id = nd;
                    str[nd++] = s;
                    break;
                }
                if (tab[slot].s == s || strcmp(tab[slot].s, s) == 0)
                    break;
            }
            p[i0 + j].row = rows[i0 + j];
            p[i0 + j].key = (uint64_t)tab[slot].id;
        }
    }
    /* rank of each distinct string: sort the strings, then map back */
    {
        const char **sorted = malloc(sizeof *sorted * (size_t)(nd + 1));
        if (!sorted)
            goto out;
        memcpy(sorted, str, sizeof *str * (size_t)nd);
        qsort(sorted, (size_t)nd, sizeof *sorted, cmp_few);
        for (int32_t i = 0; i < nd; i++) {
            /* the id of sorted[i]: look it up again */
            const char *s = sorted[i];
            uint32_t slot;
            for (slot = few_hash(s) & (FEW_CAP - 1); tab[slot].s != s;
                 slot = (slot + 1) & (FEW_CAP - 1))
                ;
            rank[tab[slot].id] = i;
        }
        free(sorted);
    }
    for (int32_t i = 0; i < n; i++)
        p[i].key = (uint64_t)rank[p[i].key];
    *nkeys = nd;
    ok = true;
out:
    free(tab);
    free(str);
    free(rank);
    return ok;
}

/* Numbers with few distinct values (copies, a finding count): a stable
 * counting sort of p straight into order (reversed when descending): one
 * pass finds each key's slot among the distinct ones and counts it, the
 * few distinct keys are sorted, one pass places the rows. False (order
 * untouched, p's keys maybe replaced) when there are more than FEW_MAX
 * distinct keys or no memory. */
static int
cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

static uint32_t
num_slot(uint64_t k)
{
    return (uint32_t)((k * 0x9e3779b97f4a7c15ull) >> 40) & (FEW_CAP - 1);
}

static bool
few_nums_into(struct view *v, struct sort_pair *p, int32_t n)
{
    struct { uint64_t key; int32_t id; } *tab = malloc(sizeof *tab * FEW_CAP);
    uint64_t *key = malloc(sizeof *key * FEW_MAX);
    int32_t *pos = calloc(FEW_MAX, sizeof *pos), nd = 0, sum = 0;
    bool ok = false;

    if (!tab || !key || !pos)
        goto out;
    for (int i = 0; i < FEW_CAP; i++)
        tab[i].id = -1;
    for (int32_t i = 0; i < n; i++) {
        uint64_t k = p[i].key;
        uint32_t slot = num_slot(k);
        while (tab[slot].id >= 0 && tab[slot].key != k)
            slot = (slot + 1) & (FEW_CAP - 1);
        if (tab[slot].id < 0) {
            if (nd == FEW_MAX)
                goto out;
            tab[slot].key = k;
            tab[slot].id = nd;
            key[nd++] = k;
        }
        pos[tab[slot].id]++;
        p[i].key = (uint64_t)tab[slot].id;
    }
    qsort(key, (size_t)nd, sizeof *key, cmp_u64);
    for (int32_t i = 0; i < nd; i++) {
        uint32_t slot = num_slot(key[i]);
        int32_t id, x;
        while (tab[slot].key != key[i])
            slot = (slot + 1) & (FEW_CAP - 1);
        id = tab[slot].id;
        x = pos[id];
        pos[id] = sum;
        sum += x;
    }
    for (int32_t i = 0; i < n; i++) {
        int32_t at = pos[p[i].key]++;
        v->order[v->desc ? n - 1 - at : at] = p[i].row;
    }
    ok = true;
out:
    free(tab);
    free(key);
    free(pos);
    return ok;
}

/* The column's strings' addresses over every row, hashed: the same on
 * the same model, the same strings (arena strings never change). */
static uint64_t
colrank_hash(struct tui *t, const struct column *c, int32_t n)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)n;

    for (int32_t r = 0; r < n; r++)
        h = sig_step(h, (uint64_t)(uintptr_t)c->str(t, r));
    return h | 1;
}

/* Are the kept ranks good for this column now: built on this model and
 * generation, or after an edit that left every row's string where it
 * was (one pass, then good for the generation)? */
static bool
colrank_current(struct tui *t, struct view *v, int col)
{
    int32_t n = v->ops->count(t);

    if (v->ncolrank <= 0 || v->colrank_col != col || v->ncolrank != n || v->colrank_m != t->m)
        return false;
    if (v->colrank_mgen == t->m->generation && v->colrank_fp == model_fp(t))
        return true;
    if (colrank_hash(t, &v->ops->cols[col], n) != v->colrank_psig) {
        v->ncolrank = 0;
        return false;
    }
    v->colrank_mgen = t->m->generation;
    v->colrank_fp = model_fp(t);
    return true;
}

/* The ranks of the first string column without a cheaper key whose rows
 * hold few distinct strings, into the pairs block after 2n + 2 pairs.
 * Off the key path (after the first check); nothing when no column
 * qualifies or out of memory. */
static void
colrank_build(struct tui *t, struct view *v)
{
    int32_t n = v->ops->count(t), nkeys = 0, *ids;
    struct sort_pair *blk;

    if (n <= 0 || v->ops->group)
        return;
    for (int col = 0; col < v->ops->ncols; col++) {
        const struct column *c = &v->ops->cols[col];
        bool dom = false;
        if (!c->str || c->num || col == v->ops->default_sort)
            continue;
        for (size_t i = 0; i < sizeof dom_cols / sizeof *dom_cols; i++)
            dom |= dom_cols[i].str == c->str;
        if (dom)
            continue;
        /* pairs for n rows, then n ranks */
        blk = realloc(v->pairs, sizeof *blk * (size_t)(2 * n + 2) +
                      sizeof(int32_t) * (size_t)n);
        if (!blk)
            return;
        v->pairs = blk;
        v->cappairs = 2 * n + 2;
        v->ncolrank = 0;
        ids = (int32_t *)(void *)(blk + 2 * n + 2);
        for (int32_t r = 0; r < n; r++)
            ids[r] = r;
        if (!few_keys(t, c, blk, ids, n, &nkeys))
            continue;
        for (int32_t r = 0; r < n; r++)
            ids[r] = (int32_t)blk[r].key;
        v->colrank = ids;
        v->ncolrank = n;
        v->colrank_keys = nkeys;
        v->colrank_col = col;
        v->colrank_m = t->m;
        v->colrank_mgen = t->m->generation;
        v->colrank_fp = model_fp(t);
        v->colrank_psig = colrank_hash(t, c, n);
        return;
    }
}

/* Small keys (ranks below nkeys): a stable counting sort of p straight
 * into order (reversed when descending, as sort_order does). False when
 * out of memory (nothing written). */
static bool
count_into(struct view *v, const struct sort_pair *p, int32_t n, int32_t nkeys)
{
    int32_t *pos = calloc((size_t)nkeys + 1, sizeof *pos), sum = 0;

    if (!pos)
        return false;
    for (int32_t i = 0; i < n; i++)
        pos[p[i].key]++;
    for (int32_t k = 0; k <= nkeys; k++) {
        int32_t x = pos[k];
        pos[k] = sum;
        sum += x;
    }
    for (int32_t i = 0; i < n; i++) {
        int32_t at = pos[p[i].key]++;
        v->order[v->desc ? n - 1 - at : at] = p[i].row;
    }
    free(pos);
    return true;
}

/* Sort order[] by the view's sort column (and group). Groups with a sort
 * column fall back to qsort; everything else is a radix sort on a 64-bit
 * key, strings refined (refine_ties) where their 8-byte prefixes tie. */
static int
sort_order(struct tui *t, struct view *v)
{
    const struct column *c = v->sort >= 0 ? &v->ops->cols[v->sort] : NULL;
    int32_t n = v->norder;
    struct sort_pair *p, *tmp;
    const struct dom_col *dc = NULL;
    int32_t nkeys = 0;

    sort_ctx.t = t;
    sort_ctx.ops = v->ops;
    sort_ctx.col = c;
    sort_ctx.dir = v->desc ? -1 : 1;
    if (v->ops->group && c) {
        qsort(v->order, (size_t)n, sizeof *v->order, cmp_rows);
        return SM_OK;
    }
    if (2 * n > v->cappairs) {
        struct sort_pair *np = realloc(v->pairs, sizeof *np * (size_t)(2 * n + 2));
        if (!np)
            return SM_ENOMEM;
        v->pairs = np;
        v->cappairs = 2 * n + 2;
        v->ncolrank = 0;        /* the block holds the pairs alone now */
    }
    p = v->pairs;
    tmp = v->pairs + n;
    for (size_t i = 0; c && !c->num && !v->ops->group && i < sizeof dom_cols / sizeof *dom_cols; i++)
        if (dom_cols[i].str == c->str)
            dc = &dom_cols[i];
    if (dc) {
        int32_t *rank = dom_ranks(t, dc);
        if (!rank)
            return SM_ENOMEM;
        for (int32_t i = 0; i < n; i++) {
            int32_t r = v->order[i];
            p[i].row = r;
            p[i].key = (uint64_t)rank[dc->dom(t, r) + 1];
        }
        free(rank);
        if (count_into(v, p, n, dc->n(t) + 1))
            return SM_OK;
        radix_sort(p, tmp, n);
    } else if (!v->ops->group && !c->num && colrank_current(t, v, v->sort)) {
        for (int32_t i = 0; i < n; i++) {
            p[i].row = v->order[i];
            p[i].key = (uint64_t)v->colrank[v->order[i]];
        }
        if (count_into(v, p, n, v->colrank_keys))
            return SM_OK;
        radix_sort(p, tmp, n);
    } else if (!v->ops->group && !c->num && few_keys(t, c, p, v->order, n, &nkeys)) {
        if (count_into(v, p, n, nkeys))
            return SM_OK;
        radix_sort(p, tmp, n);
    } else {
        for (int32_t i = 0; i < n; i++) {
            int32_t r = v->order[i];
            p[i].row = r;
            if (v->ops->group)
                p[i].key = (uint64_t)(int64_t)v->ops->group(t, r);
            else if (c->num)
                p[i].key = (uint64_t)c->num(t, r) ^ ((uint64_t)1 << 63);
            else
                p[i].key = prefix_key(c->str(t, r));
        }
        if (!v->ops->group && c->num && few_nums_into(v, p, n))
            return SM_OK;
        if (!v->ops->group && c->num) {
            /* more distinct keys than few_nums_into takes: gather again */
            for (int32_t i = 0; i < n; i++)
                p[i].key = (uint64_t)c->num(t, p[i].row) ^ ((uint64_t)1 << 63);
        }
        radix_sort(p, tmp, n);
        if (c && c->str && !c->num)
            refine_ties(t, c, p, tmp, n, 8);
    }
    for (int32_t i = 0; i < n; i++)
        v->order[i] = p[v->desc ? n - 1 - i : i].row;
    return SM_OK;
}

/* Before the first frame of a big catalog only its first page is needed:
 * keep the k smallest rows in a max-heap (one comparison per row), sort
 * them, and leave the full sort for after the frame (tui_recheck). */
#define PARTIAL_MIN 50000
#define PARTIAL_ROWS 160

static void
sift_down(int32_t *h, int32_t m, int32_t i)
{
    for (;;) {
        int32_t l = 2 * i + 1, r = l + 1, big = i, x;
        if (l < m && cmp_rows(&h[l], &h[big]) > 0)
            big = l;
        if (r < m && cmp_rows(&h[r], &h[big]) > 0)
            big = r;
        if (big == i)
            return;
        x = h[i];
        h[i] = h[big];
        h[big] = x;
        i = big;
    }
}

static void
partial_order(struct tui *t, struct view *v, int32_t n)
{
    int32_t *h = v->order, m = 0;

    sort_ctx.t = t;
    sort_ctx.ops = v->ops;
    sort_ctx.col = &v->ops->cols[v->sort];
    sort_ctx.dir = v->desc ? -1 : 1;
    for (int32_t r = 0; r < n; r++) {
        if (v->ops->visible && !v->ops->visible(t, r))
            continue;
        if (m < PARTIAL_ROWS) {
            int32_t i = m++;
            h[i] = r;
            while (i > 0 && cmp_rows(&h[(i - 1) / 2], &h[i]) < 0) {
                int32_t x = h[i];
                h[i] = h[(i - 1) / 2];
                h[(i - 1) / 2] = x;
                i = (i - 1) / 2;
            }
        } else if (cmp_rows(&r, &h[0]) < 0) {
            h[0] = r;
            sift_down(h, m, 0);
        }
    }
    qsort(h, (size_t)m, sizeof *h, cmp_rows);
    v->norder = m;
    v->partial = true;
}

/* ---- orders kept through re-checks ------------------------------------------ */

/* A hash of what, besides the model's address and generation, tells one
 * model from another: sizes, the derived facts' sizes, the scenario. */
static uint64_t
model_fp(const struct tui *t)
{
    const struct model *m = t->m;
    const uint64_t parts[] = {
        (uint64_t)m->ndatasets, (uint64_t)m->nplacements, (uint64_t)m->nflows,
        (uint64_t)m->nregions, (uint64_t)m->ntiers, (uint64_t)m->nscenarios,
        (uint64_t)m->nfields, (uint64_t)m->ntags, (uint64_t)m->nwaivers,
        (uint64_t)m->arena.total, (uint64_t)t->nd, (uint64_t)t->np, (uint64_t)t->nf,
        (uint64_t)t->nr, (uint64_t)t->nt, (uint64_t)t->scen.on,
    };
    uint64_t h = 1469598103934665603ull;

    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        h = (h ^ parts[i]) * 1099511628211ull;
    for (const char *p = t->scen.on ? t->scen.name : ""; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h | 1;
}

/* Does the view's order under this sort depend on the model alone (not
 * on the check result: findings, transfers, finding counts, status)? */
static bool
order_model_only(const struct view *v, int sort)
{
    const struct column *c = sort >= 0 ? &v->ops->cols[sort] : NULL;

    if (v->ops->count == fi_count || v->ops->count == tr_count || v->ops->group == fi_group)
        return false;
    return !c || (c->num != ds_find_key && c->num != fl_status_key);
}

/* Is o's order the one for (sort, desc) now: built in this generation,
 * or on this very model (through re-checks) when it depends on the model
 * alone? A partial order (first frame) is good for its generation only. */
static bool
order_current(struct tui *t, const struct view *o, int sort, bool desc)
{
    if (o->order_sort != sort || o->order_desc != desc || o->order_gen == 0)
        return false;
    if (o->order_gen == t->gen)
        return true;
    return !o->partial && o->order_fp != 0 && o->order_m == t->m &&
           o->order_mgen == t->m->generation && order_model_only(o, sort) &&
           o->order_fp == model_fp(t);
}

static uint64_t view_sig(struct tui *t, struct view *v);
static bool order_by_name(const struct view *v, int sort);

static void
order_built(struct tui *t, struct view *v)
{
    v->order_gen = t->gen;
    v->order_sort = v->sort;
    v->order_desc = v->desc;
    v->order_m = t->m;
    v->order_mgen = t->m->generation;
    v->order_fp = v->partial ? 0 : model_fp(t);
    v->order_sig = !v->partial && order_by_name(v, v->sort) &&
                   v->ops->count(t) >= PARTIAL_MIN ? view_sig(t, v) : 0;
    v->order_psig = v->order_sig ? v->psig : 0;
    v->order_n = v->ops->count(t);
}

/* A model freed and another allocated at its address must not pass for
 * it: orders built on a model that is no longer t->m are dropped as soon
 * as the change is seen (every draw and every rebuild looks). */
static void
forget_other_models(struct tui *t)
{
    for (int i = 0; i < TUI_NVIEWS; i++) {
        struct view *v = &t->views[i];
        if (v->order_m != t->m)
            v->order_fp = v->order_sig = 0;
        if (v->text_m != t->m)
            v->ntext = 0;
        if (v->colrank_m != t->m)
            v->ncolrank = 0;
        if (v->sig_m != t->m)
            v->sig_m = NULL;
    }
}

/* Is the order one that depends on the rows' names and hidden flags
 * alone: a name list in catalog order or sorted by its name (column 0)? */
static bool
order_by_name(const struct view *v, int sort)
{
    return v->ops->filter_name && !v->ops->group && (sort == -1 || sort == 0);
}

/* The signature of a name list's rows now (see struct view): one pass
 * over the objects, kept for the generation. */
static uint64_t
view_sig(struct tui *t, struct view *v)
{
    int32_t n = v->ops->count(t);
    uint64_t h = 1469598103934665603ull ^ (uint64_t)n;

    uint64_t ph = 1469598103934665603ull ^ (uint64_t)n;

    if (v->sig_m == t->m && v->sig_mgen == t->m->generation)
        return v->sig;
    for (int32_t r = 0; r < n; r++) {
        uint64_t x = (uint64_t)(uintptr_t)v->ops->filter_text(t, r, NULL, 0);
        ph = sig_step(ph, x);
        if (v->ops->visible && !v->ops->visible(t, r))
            x = ~x;
        h = sig_step(h, x);
    }
    v->psig = ph | 1;
    v->sig = h | 1;
    v->sig_m = t->m;
    v->sig_mgen = t->m->generation;
    return v->sig;
}

/* After an edit, an order or texts built on the same model object whose
 * names and hidden rows are as they were: good again for this model. */
static bool
sig_unchanged(struct tui *t, struct view *v, const struct model *built_on, uint64_t built_sig)
{
    return built_sig != 0 && built_on == t->m && view_sig(t, v) == built_sig;
}

static struct {
    struct tui *t;
    const struct view *v;
} name_ctx;

static int
cmp_name_rows(const void *pa, const void *pb)
{
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    int r = strcmp(name_ctx.v->ops->filter_text(name_ctx.t, a, NULL, 0),
                   name_ctx.v->ops->filter_text(name_ctx.t, b, NULL, 0));
    return r ? r : (a > b) - (a < b);
}

#define REPAIR_MAX 4096         /* rows shown or added that a repair takes */

/* A name list's name order after an edit that hid, showed or added rows
 * but left every other row's name where it was (the names of the
 * order_n rows it was built on hash to order_psig): the hidden rows
 * leave, the others go in where a binary search by name puts them. On
 * the same model only. False (order untouched) when that does not hold,
 * more than REPAIR_MAX rows came in, or out of memory. */
static bool
repair_name_order(struct tui *t, struct view *v)
{
    int32_t n = v->ops->count(t), on = v->order_n, nadd = 0, k = 0, *add, *pos;
    uint64_t ph = 1469598103934665603ull ^ (uint64_t)on;
    bool ok = false;

    if (!v->order_psig || v->order_m != t->m || on > n || v->sort != 0 || v->ops->group)
        return false;
    if (!match_room(v, n))
        return false;
    if (grow(&v->order, &v->caporder, n + 1) != SM_OK ||
        grow(&v->rows, &v->caprows, n + 1) != SM_OK)
        return false;
    /* names as they were, and who is shown now (bit 0) */
    for (int32_t r = 0; r < n; r++) {
        if (r < on)
            ph = sig_step(ph, (uint64_t)(uintptr_t)v->ops->filter_text(t, r, NULL, 0));
        v->match[r] = !v->ops->visible || v->ops->visible(t, r);
    }
    if ((ph | 1) != v->order_psig)
        return false;
    /* ascending, the hidden rows out; kept rows get bit 1 */
    if (v->desc)
        for (int32_t i = 0, j = v->norder - 1; i < j; i++, j--) {
            int32_t x = v->order[i];
            v->order[i] = v->order[j];
            v->order[j] = x;
        }
    for (int32_t i = 0; i < v->norder; i++)
        if (v->order[i] < n && (v->match[v->order[i]] & 1)) {
            v->match[v->order[i]] |= 2;
            v->order[k++] = v->order[i];
        }
    v->norder = k;
    for (int32_t r = 0; r < n; r++)
        if (v->match[r] == 1 && ++nadd > REPAIR_MAX)
            goto out;
    add = v->rows;              /* scratch: rebuilt by the filter after */
    pos = v->rows + nadd;
    if (nadd > n - nadd) {
        nadd = REPAIR_MAX + 1;
        goto out;
    }
    nadd = 0;
    for (int32_t r = 0; r < n; r++)
        if (v->match[r] == 1)
            add[nadd++] = r;
    name_ctx.t = t;
    name_ctx.v = v;
    qsort(add, (size_t)nadd, sizeof *add, cmp_name_rows);
    for (int32_t j = 0; j < nadd; j++) {
        int32_t lo = 0, hi = k;
        while (lo < hi) {
            int32_t mid = lo + (hi - lo) / 2;
            if (cmp_name_rows(&v->order[mid], &add[j]) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        pos[j] = lo;
    }
    /* merge from the back: kept rows move up by the added ones before them */
    for (int32_t i = k - 1, j = nadd - 1, w = k + nadd - 1; j >= 0; w--) {
        if (i >= pos[j]) {
            v->order[w] = v->order[i--];
        } else {
            v->order[w] = add[j--];
        }
    }
    v->norder = k + nadd;
    ok = true;
out:
    if (!ok) {
        /* order was cut down: make it again */
        v->order_gen = 0;
        v->order_psig = v->order_sig = 0;
        return false;
    }
    if (v->desc)
        for (int32_t i = 0, j = v->norder - 1; i < j; i++, j--) {
            int32_t x = v->order[i];
            v->order[i] = v->order[j];
            v->order[j] = x;
        }
    return true;
}

/* Are order's rows (whatever their order) the visible rows now: built
 * in this generation, or on this very model (a re-check since, even when
 * the sort was by findings), or a name list's name order whose names
 * and hidden rows are as they were (an edit elsewhere)? */
static bool
rows_current(struct tui *t, struct view *v)
{
    if (v->partial || v->order_gen == 0)
        return false;
    if (v->order_gen == t->gen)
        return true;
    if (v->order_fp && v->order_m == t->m && v->order_mgen == t->m->generation &&
        v->order_fp == model_fp(t))
        return true;
    return order_by_name(v, v->order_sort) && sig_unchanged(t, v, v->order_m, v->order_sig);
}

/* order's rows (any order) put back in id order, through the match
 * flags as scratch (the filter sets them again after the order is
 * built). False when out of memory (order untouched). */
static bool
rows_in_id_order(struct view *v, int32_t n)
{
    int32_t k = 0;

    if (!match_room(v, n))
        return false;
    memset(v->match, 0, (size_t)n);
    for (int32_t i = 0; i < v->norder; i++)
        v->match[v->order[i]] = 1;
    for (int32_t r = 0; r < n; r++)
        if (v->match[r])
            v->order[k++] = r;
    v->norder = k;
    return true;
}

static int
build_order(struct tui *t, struct view *v)
{
    int32_t n = v->ops->count(t);
    /* The order there is (another sort of the same rows, this generation
     * or this very model) says which rows are visible: no need to look
     * at every object again. */
    bool same_rows = !v->partial && v->ops->visible && n >= PARTIAL_MIN &&
                     v->norder <= n && rows_current(t, v);

    if (grow(&v->order, &v->caporder, n + 1) != SM_OK ||
        grow(&v->rows, &v->caprows, n + 1) != SM_OK)
        return SM_ENOMEM;
    v->partial = false;
    if (t->unchecked && n >= PARTIAL_MIN && v->sort >= 0 && !v->ops->group &&
        !v->filter[0]) {
        partial_order(t, v, n);
        order_built(t, v);
        return SM_OK;
    }
    /* The map lists the datasets view's rows: share a fresh sort. */
    for (int i = 0; i < TUI_NVIEWS; i++) {
        struct view *o = &t->views[i];
        if (o == v || o->ops->count != v->ops->count || o->ops->cols != v->ops->cols ||
            !order_current(t, o, v->sort, v->desc) ||
            o->ops->visible != v->ops->visible || o->ops->group || v->ops->group ||
            o->partial)
            continue;
        memcpy(v->order, o->order, sizeof *v->order * (size_t)o->norder);
        v->norder = o->norder;
        order_built(t, v);
        return SM_OK;
    }
    if (!same_rows || !rows_in_id_order(v, n)) {
        v->norder = 0;
        for (int32_t i = 0; i < n; i++)
            if (!v->ops->visible || v->ops->visible(t, i))
                v->order[v->norder++] = i;
    }
    if ((v->sort >= 0 || v->ops->group) && sort_order(t, v) != SM_OK)
        return SM_ENOMEM;
    order_built(t, v);
    return SM_OK;
}

/* Build disp from rows: a header before each group. */
static void
regroup(struct tui *t, struct view *v)
{
    int32_t need = v->nrows, k = 0;
    int last = -1;

    memset(v->gcount, 0, sizeof v->gcount);
    if (v->ops->group) {
        for (int32_t i = 0; i < v->nrows; i++) {
            int g = v->ops->group(t, v->rows[i]);
            if (g >= 0 && g < VIEW_NGROUPS) {
                if (v->gcount[g]++ == 0)
                    need++;
            }
        }
    }
    if (grow(&v->disp, &v->capdisp, need + 1) != SM_OK) {
        v->ndisp = 0;
        return;
    }
    for (int32_t i = 0; i < v->nrows; i++) {
        if (v->ops->group) {
            int g = v->ops->group(t, v->rows[i]);
            if (g != last)
                v->disp[k++] = -1 - g;
            last = g;
        }
        v->disp[k++] = v->rows[i];
    }
    v->ndisp = k;
}

int32_t
view_current(struct tui *t, struct view *v)
{
    (void)t;
    if (v->sel < 0 || v->sel >= v->ndisp || v->disp[v->sel] < 0)
        return SM_NONE;
    return v->disp[v->sel];
}

static void
fix_selection(struct view *v)
{
    if (v->sel >= v->ndisp)
        v->sel = v->ndisp - 1;
    if (v->sel < 0)
        v->sel = 0;
    while (v->sel < v->ndisp && v->disp[v->sel] < 0)
        v->sel++;
    if (v->sel >= v->ndisp) {
        v->sel = v->ndisp - 1;
        while (v->sel > 0 && v->disp[v->sel] < 0)
            v->sel--;
    }
    if (v->sel < 0)
        v->sel = 0;
}

/* The other views' orders, built after the first check's frame (the
 * first frame had only a page of the current view): their first visits
 * then cost a copy, not a sort of a million names. Not on a key. */
static void
prepare_others(struct tui *t, struct view *cur)
{
    for (int i = 0; i < TUI_NVIEWS; i++) {
        struct view *o = &t->views[i];
        /* the big name lists (not the map's copy): their filter texts */
        if (o->ops->filter_name && !o->ops->draw && o->ops->count(t) >= PARTIAL_MIN &&
            texts_rows(t, o, o->ops->count(t)) != o->ops->count(t))
            texts_build(t, o);
        /* and the ranks of a column of few strings (not the map's) */
        if (!o->ops->draw && o->ops->count(t) >= PARTIAL_MIN &&
            !colrank_current(t, o, o->colrank_col))
            colrank_build(t, o);
        if (o == cur || order_current(t, o, o->sort, o->desc))
            continue;
        if (build_order(t, o) != SM_OK)
            o->order_gen = 0;
    }
}

void
view_rebuild(struct tui *t, struct view *v)
{
    int32_t keep = view_current(t, v);
    bool fresh, narrow, was_partial = v->partial;

    forget_other_models(t);
    fresh = order_current(t, v, v->sort, v->desc);
    narrow = fresh && v->built_gen == t->gen && v->built_filter[0] &&
             strncmp(v->filter, v->built_filter, strlen(v->built_filter)) == 0;
    if (!fresh && !v->partial && v->order_sort == v->sort && v->order_desc == v->desc &&
        v->order_gen != 0 && order_by_name(v, v->sort) &&
        sig_unchanged(t, v, v->order_m, v->order_sig)) {
        fresh = true;               /* an edit that left the names be */
        v->order_mgen = t->m->generation;
        v->order_fp = model_fp(t);
    }
    if (!fresh && !v->partial && v->order_sort == v->sort && v->order_desc == v->desc &&
        v->order_gen != 0 && v->sort == 0 && order_by_name(v, 0) && repair_name_order(t, v)) {
        order_built(t, v);          /* rows added or hidden: repaired */
        fresh = true;
    }
    if (fresh && v->order_gen != t->gen) {
        v->order_gen = t->gen;      /* kept through a re-check */
    } else if (!fresh && v->sort >= 0 && !v->ops->group && !v->partial &&
               order_current(t, v, v->sort, !v->desc)) {
        /* Only the direction changed: a descending order is the exact
         * reverse of the ascending one (ties included). */
        for (int32_t i = 0, j = v->norder - 1; i < j; i++, j--) {
            int32_t x = v->order[i];
            v->order[i] = v->order[j];
            v->order[j] = x;
        }
        v->order_desc = v->desc;
        v->order_gen = t->gen;
        fresh = true;
    }
    if (!fresh && build_order(t, v) != SM_OK) {
        v->nrows = v->ndisp = v->norder = 0;
        v->order_gen = 0;
        tui_set_message(t, true, "out of memory listing %s", v->ops->name);
        return;
    }
    if (was_partial && !v->partial && !t->unchecked)
        prepare_others(t, v);
    apply_filter(t, v, narrow);
    regroup(t, v);
    v->built_gen = t->gen;
    snprintf(v->built_filter, sizeof v->built_filter, "%s", v->filter);
    v->sel = 0;
    if (keep >= 0)
        for (int32_t i = 0; i < v->ndisp; i++)
            if (v->disp[i] == keep) {
                v->sel = i;
                break;
            }
    fix_selection(v);
}

void
view_ensure(struct tui *t, struct view *v)
{
    forget_other_models(t);
    if (v->built_gen != t->gen || strcmp(v->filter, v->built_filter) != 0)
        view_rebuild(t, v);
}

void
view_select_row(struct tui *t, struct view *v, int32_t row)
{
    view_ensure(t, v);
    for (int32_t i = 0; i < v->ndisp; i++)
        if (v->disp[i] == row) {
            v->sel = i;
            return;
        }
    if (v->filter[0]) {
        /* Not in the filtered list: drop the filter to show it. */
        v->filter[0] = 0;
        view_rebuild(t, v);
        for (int32_t i = 0; i < v->ndisp; i++)
            if (v->disp[i] == row) {
                v->sel = i;
                return;
            }
    }
}

void
view_move(struct tui *t, struct view *v, int32_t delta)
{
    int32_t s = v->sel + delta;
    (void)t;
    if (v->ndisp == 0)
        return;
    if (s < 0)
        s = 0;
    if (s >= v->ndisp)
        s = v->ndisp - 1;
    /* Skip group headers in the direction of travel. */
    while (s >= 0 && s < v->ndisp && v->disp[s] < 0)
        s += delta < 0 ? -1 : 1;
    if (s < 0 || s >= v->ndisp) {
        s = v->sel;
    }
    v->sel = s;
    fix_selection(v);
}

/* Column widths for w columns: fixed ones first, the flexible one takes
 * the rest; when too narrow, columns from the right are dropped. */
static int
layout_cols(const struct view_ops *ops, int w, int *widths)
{
    int fixed = 0, flex = -1, n = ops->ncols;

    for (int i = 0; i < n; i++) {
        widths[i] = ops->cols[i].width;
        if (widths[i] == 0 && flex < 0)
            flex = i;
        fixed += widths[i] + 1;
    }
    while (n > 1 && fixed + 20 > w) {
        n--;
        if (n == flex) {
            flex = -1;
        }
        fixed -= widths[n] + 1;
    }
    if (flex >= 0 && flex < n)
        widths[flex] = w - fixed > 8 ? w - fixed : 8;
    else if (n > 0)
        widths[n - 1] += w - fixed > 0 ? w - fixed : 0;
    return n;
}

void
view_draw_list(struct tui *t, struct view *v, struct screen *s, int x, int y, int w, int h)
{
    const struct view_ops *ops = v->ops;
    int widths[16], ncols = layout_cols(ops, w, widths), cx;
    char buf[1024];
    int rows = h - 1;

    /* Header */
    screen_fill(s, x, y, w, STYLE_HEADER);
    cx = x;
    for (int c = 0; c < ncols; c++) {
        char title[64];
        snprintf(title, sizeof title, "%s%s", ops->cols[c].title,
                 v->sort == c ? (v->desc ? text_sym("▼", "v") : text_sym("▲", "^")) : "");
        screen_field(s, cx, y, widths[c], STYLE_HEADER, title, ops->cols[c].right);
        cx += widths[c] + 1;
    }
    v->page = rows > 0 ? rows : 1;
    v->list_y = y + 1;
    if (v->sel < v->top)
        v->top = v->sel;
    if (v->sel >= v->top + rows)
        v->top = v->sel - rows + 1;
    if (v->top > v->ndisp - rows)
        v->top = v->ndisp - rows;
    if (v->top < 0)
        v->top = 0;
    if (v->ndisp == 0) {
        const char *why = v->filter[0] ? "no match for the filter (Esc clears it)"
                        : (ops->count == NULL ? "" : "nothing here yet");
        if (!v->filter[0] && ops == tui_views[4] && t->res)
            why = "no findings: the model is compliant";
        else if (!v->filter[0] && !t->res && (ops == tui_views[4] || ops == tui_views[6]))
            why = "no check results (no rule pack loaded)";
        else if (!v->filter[0] && ops->kind < OBJ_KIND_COUNT)
            why = "nothing here yet: press a to add one";
        screen_put(s, x + 2, y + 2, w - 4, STYLE_DIM, why);
        return;
    }
    for (int i = 0; i < rows && v->top + i < v->ndisp; i++) {
        int32_t r = v->disp[v->top + i];
        int yy = y + 1 + i;
        bool sel = v->top + i == v->sel;
        int rowstyle = sel ? (t->focus == FOCUS_LIST ? STYLE_SELECTED : STYLE_SELECTED_IDLE)
                           : STYLE_DEFAULT;

        if (r < 0) {
            int g = -1 - r;
            ops->group_title(t, g, g < VIEW_NGROUPS ? v->gcount[g] : 0, buf, sizeof buf);
            screen_fill(s, x, yy, w, STYLE_DEFAULT);
            screen_put(s, x, yy, w, STYLE_GROUP, buf);
            continue;
        }
        screen_fill(s, x, yy, w, rowstyle);
        cx = x;
        for (int c = 0; c < ncols; c++) {
            int st = STYLE_DEFAULT;
            buf[0] = 0;
            ops->cols[c].text(t, r, buf, sizeof buf, &st);
            screen_field(s, cx, yy, widths[c], sel ? rowstyle : st, buf, ops->cols[c].right);
            cx += widths[c] + 1;
        }
    }
}

/* ---- the map ---------------------------------------------------------------- */

#define MAP_NAME_W 22
#define MAP_CELL_W 6

static void
map_cell(struct tui *t, int32_t ds, int32_t region, char *buf, size_t n, int *style)
{
    static const char letters[ROLE_COUNT] = {
        [ROLE_PRIMARY] = 'P', [ROLE_REPLICA] = 'R', [ROLE_BACKUP] = 'B', [ROLE_DR] = 'D',
        [ROLE_CACHE] = 'C', [ROLE_ARCHIVE] = 'A', [ROLE_EDGE] = 'E',
    };
    static const int sev_map[SEV_COUNT] = {
        [SEV_INFO] = STYLE_MAP_OK, [SEV_WARNING] = STYLE_MAP_WARNING, [SEV_ERROR] = STYLE_MAP_ERROR,
    };
    size_t k = 0;
    int worst = -1;
    bool waived = false;

    buf[0] = 0;
    *style = STYLE_DEFAULT;
    for (int32_t p = t->m->datasets[ds].first_placement; p >= 0; p = t->m->placements[p].next) {
        const struct placement *pl = &t->m->placements[p];
        if (pl->deleted || pl->region != region)
            continue;
        if (k + 2 < n) {
            buf[k++] = letters[pl->role];
            buf[k] = 0;
        }
        if (p < t->np) {
            if (t->pl_worst[p] > worst)
                worst = t->pl_worst[p];
            waived |= t->pl_waived[p];
        }
    }
    if (!k)
        return;
    if (worst >= 0)
        *style = sev_map[worst];
    else
        *style = waived ? STYLE_MAP_WAIVED : STYLE_MAP_OK;
}

static void
map_draw(struct tui *t, struct view *v, struct screen *s, int x, int y, int w, int h)
{
    int rows = h - 2, ncell = (w - MAP_NAME_W) / MAP_CELL_W;
    char buf[256], cc[3];
    int lastcc = -2;

    if (ncell < 1)
        ncell = 1;
    if (v->hcol >= t->nmap_regions)
        v->hcol = t->nmap_regions - 1;
    if (v->hcol < 0)
        v->hcol = 0;
    if (v->hcol < v->hleft)
        v->hleft = v->hcol;
    if (v->hcol >= v->hleft + ncell)
        v->hleft = v->hcol - ncell + 1;
    /* Two header lines: country, then region code. */
    screen_fill(s, x, y, w, STYLE_HEADER);
    screen_fill(s, x, y + 1, w, STYLE_HEADER);
    snprintf(buf, sizeof buf, "Dataset%s", v->sort == 0 ? (v->desc ? text_sym("▼", "v") : text_sym("▲", "^")) : "");
    screen_put(s, x, y + 1, MAP_NAME_W - 1, STYLE_HEADER, buf);
    if (t->nmap_regions > 0)
        snprintf(buf, sizeof buf, "%s %s", text_sym("▸", ">"),
                 t->m->regions[t->map_regions[v->hcol]].id);
    else
        snprintf(buf, sizeof buf, "no copies yet");
    screen_put(s, x, y, MAP_NAME_W - 1, STYLE_HEADER, buf);
    for (int c = 0; c < ncell && v->hleft + c < t->nmap_regions; c++) {
        const struct region *g = &t->m->regions[t->map_regions[v->hleft + c]];
        int cx = x + MAP_NAME_W + c * MAP_CELL_W;
        int st = v->hleft + c == v->hcol ? STYLE_MAP_CURSOR : STYLE_HEADER;
        if (g->country != lastcc || c == 0) {
            sm_cc_str(g->country, cc);
            screen_put(s, cx, y, MAP_CELL_W - 1, STYLE_HEADER, g->country >= 0 ? cc : "multi");
        }
        lastcc = g->country;
        screen_field(s, cx, y + 1, MAP_CELL_W - 1, st, g->code && *g->code ? g->code : g->id,
                     false);
    }
    v->page = rows > 0 ? rows : 1;
    v->list_y = y + 2;
    if (v->sel < v->top)
        v->top = v->sel;
    if (v->sel >= v->top + rows)
        v->top = v->sel - rows + 1;
    if (v->top < 0)
        v->top = 0;
    if (v->ndisp == 0) {
        screen_put(s, x + 2, y + 3, w - 4, STYLE_DIM,
                   v->filter[0] ? "no match for the filter (Esc clears it)"
                                : "no datasets yet");
        return;
    }
    for (int i = 0; i < rows && v->top + i < v->ndisp; i++) {
        int32_t r = v->disp[v->top + i];
        int yy = y + 2 + i;
        bool sel = v->top + i == v->sel;
        int st = sel ? (t->focus == FOCUS_LIST ? STYLE_SELECTED : STYLE_SELECTED_IDLE)
                     : STYLE_DEFAULT;

        screen_fill(s, x, yy, w, STYLE_DEFAULT);
        screen_field(s, x, yy, MAP_NAME_W - 1, st, t->m->datasets[r].name, false);
        for (int c = 0; c < ncell && v->hleft + c < t->nmap_regions; c++) {
            int cst;
            int cx = x + MAP_NAME_W + c * MAP_CELL_W;
            map_cell(t, r, t->map_regions[v->hleft + c], buf, sizeof buf, &cst);
            if (!buf[0])
                snprintf(buf, sizeof buf, "%s", text_sym("·", "."));
            if (sel && v->hleft + c == v->hcol)
                cst = STYLE_MAP_CURSOR;
            screen_field(s, cx + 1, yy, MAP_CELL_W - 2, buf[0] && cst != STYLE_DEFAULT ? cst :
                         STYLE_DIM, buf, false);
        }
    }
}
