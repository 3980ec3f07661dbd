/*
 * view_findings.c - findings: the check result grouped by severity, waived last.
 * Part of the list engine (src/tui/view_int.h); no curses here.
 */
#include "view_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int32_t fi_count(struct tui *t) { return t->res ? t->res->nfindings : 0; }

const struct finding *
finding(struct tui *t, int32_t r)
{
    return &t->res->findings[r];
}

static void
fi_sev_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    const struct finding *f = finding(t, r);
    snprintf(buf, n, "%s", f->waived ? "waived" : severity_names[f->severity]);
    *style = view_sev_style(f->severity, f->waived);
}

static int64_t fi_sev_key(struct tui *t, int32_t r) { return -finding(t, r)->severity; }

static void
fi_rule_text(struct tui *t, int32_t r, char *buf, size_t n, int *style)
{
    const struct finding *f = finding(t, r);
    snprintf(buf, n, "%s", f->rule);
    *style = view_sev_style(f->severity, f->waived);
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
    { .title = "Rule", .fit = COL_SHORT, .text = fi_rule_text, .str = fi_rule },
    { .title = "Object", .fit = COL_KEY, .prio = 1, .text = fi_object_text, .str = fi_sel },
    { .title = "Where", .fit = COL_SHORT, .prio = 3, .text = fi_jur_text },
    { .title = "Message", .fit = COL_FREE, .prio = 2, .text = fi_msg_text },
    { .title = "Severity", .fit = COL_SHORT, .prio = 4, .text = fi_sev_text, .num = fi_sev_key },
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

const struct view_ops findings_view = {
    .name = "findings", .title = "Findings", .keymap = KEYMAP_FINDINGS, .kind = OBJ_KIND_COUNT,
    .cols = fi_cols, .ncols = 5, .default_sort = -1,
    .result_rows = true, .count = fi_count, .group = fi_group, .group_title = fi_group_title,
    .filter_text = fi_filter, .detail = fi_detail, .object = fi_object,
};
