/*
 * form_fix.c - the quick fixes offered for a finding: the kind of fix its
 * rule admits (rule_fixes[] in rules.h) aimed at the finding's structured
 * targets, each choice one struct edit previewed in the dialog. No curses.
 */
#include "views.h"
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- quick fixes ------------------------------------------------------------------ */

/* A choice labelled label (a heap text, taken: freed here); NULL (out of
 * memory) adds none. The edit is what the preview shows (fix_open). */
static bool
add_choice(struct tui *t, const struct edit *e, char *label)
{
    struct dialog *d = &t->dialog;
    bool added = false;

    if (label && d->nchoices < DIALOG_MAX_CHOICES) {
        added = true;
        for (int i = 0; i < d->nchoices; i++)
            if (strcmp(d->choice_text[i], label) == 0)
                added = false;
        if (added && !(d->edits[d->nchoices] = edit_dup(e)))
            added = false;
        if (added) {
            tui_text_set(&d->choice_text[d->nchoices], "%s", label);
            d->nchoices++;
        }
    }
    free(label);
    return added;
}

static void
set_edit(struct edit *e, enum obj_kind kind, const char *key, const char *attr, const char *value)
{
    memset(e, 0, sizeof *e);
    e->op = EDIT_SET;
    e->kind = kind;
    e->key = key;
    e->nattrs = 1;
    e->attrs[0].name = attr;
    e->attrs[0].value = value;
}

/* Move the copy to each target region (those without a copy of the
 * dataset first: moving a replica next to its primary fixes the finding
 * but not the need). */
static void
fix_moves(struct tui *t, const struct finding *fd, const char *sel)
{
    const struct model *m = t->m;
    const char *what = strcmp(fd->rule, rule_names[RULE_RES002]) == 0 ? "backup" : "copy";
    struct edit e;
    int32_t ds = m->placements[fd->object].dataset;

    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < 2; i++) {
            int32_t rg = fd->fix.region[i];
            bool has;
            if (rg < 0 || rg >= m->nregions || rg == m->placements[fd->object].region)
                continue;
            has = model_placement_of(m, ds, rg, SM_NONE) >= 0;
            if (has != (pass == 1))
                continue;
            set_edit(&e, OBJ_PLACEMENT, sel, "region", m->regions[rg].id);
            add_choice(t, &e, sm_strdupf("Move the %s to %s%s", what, m->regions[rg].id,
                                         has ? " (it already holds a copy)" : ""));
        }
}

/* Delete a copy that is not the dataset's home. */
static void
fix_drop(struct tui *t, const struct finding *fd, const char *sel)
{
    const struct model *m = t->m;
    const struct placement *pl = &m->placements[fd->object];
    struct edit e;
    int others = 0;

    if (pl->role == ROLE_PRIMARY)
        return;                 /* the dataset's home: move it instead */
    for (int32_t p = m->datasets[pl->dataset].first_placement; p >= 0; p = m->placements[p].next)
        others += !m->placements[p].deleted && p != fd->object;
    memset(&e, 0, sizeof e);
    e.op = EDIT_REMOVE;
    e.kind = OBJ_PLACEMENT;
    e.key = sel;
    add_choice(t, &e, sm_strdupf("Delete this copy (%d other %s)", others,
                                 others == 1 ? "copy stays" : "copies stay"));
}

/* Declare each target mechanism, then mask the target fields on a flow. */
static void
fix_mechs_masks(struct tui *t, const struct finding *fd, const char *sel)
{
    const struct model *m = t->m;
    char *cur, *value;
    struct edit e;

    for (size_t i = 0; i < sizeof fd->fix.mech && fd->fix.mech[i] != MECH_NONE; i++) {
        const char *mech = mechanism_names[fd->fix.mech[i]];
        set_edit(&e, (enum obj_kind)fd->kind, sel, "mechanism", mech);
        add_choice(t, &e, sm_strdupf("Declare %s for this transfer", mech));
    }
    if (fd->kind != OBJ_FLOW || !fd->fix.mask || !*fd->fix.mask)
        return;
    /* the flow's transforms whole, the mask added after them */
    if (!(cur = model_get_dup(m, OBJ_FLOW, fd->object, "transforms")))
        return;
    value = sm_strdupf("%s%smask %s", cur, cur[0] ? "; " : "", fd->fix.mask);
    if (value) {
        set_edit(&e, OBJ_FLOW, sel, "transforms", value);
        add_choice(t, &e, sm_strdupf("Mask %s on the flow", fd->fix.mask));
    }
    free(value);
    free(cur);
}

/* The choices for a finding: the kind of fix its rule admits (rule_fixes[]
 * in rules.h, as the planner reads it), aimed at the finding's targets. */
static void
fix_candidates(struct tui *t, const struct finding *fd, const char *sel)
{
    const struct model *m = t->m;
    bool copy = fd->kind == OBJ_PLACEMENT;
    struct edit e;

    switch ((enum rule_fix)rules_fix(fd->rule, NULL)) {
    case FIX_MOVE_OR_MECH:
    case FIX_MOVE:
        if (copy || fd->kind == OBJ_FLOW)
            fix_mechs_masks(t, fd, sel);
        if (!copy)
            break;
        fix_moves(t, fd, sel);
        /* a copy abroad is kept by declaring its basis, not deleted */
        if (fd->fix.mech[0] == MECH_NONE)
            fix_drop(t, fd, sel);
        break;
    case FIX_MOVE_PRIMARY:
        if (copy)
            fix_moves(t, fd, sel);
        break;
    case FIX_ENCRYPT:
    case FIX_TRANSIT: {
        enum obj_kind k = rules_fix(fd->rule, NULL) == FIX_ENCRYPT ? OBJ_PLACEMENT : OBJ_FLOW;
        if (fd->kind != k)
            break;
        set_edit(&e, k, sel, k == OBJ_PLACEMENT ? "encrypted" : "transit-encrypted", "true");
        add_choice(t, &e, strdup(k == OBJ_PLACEMENT ? "Encrypt the copy at rest"
                                 : "Encrypt the flow in transit"));
        break;
    }
    case FIX_KEY: {
        bool any = false;
        if (!copy)
            break;
        for (int i = 0; i < 2; i++) {
            int32_t rg = fd->fix.region[i];
            if (rg < 0 || rg >= m->nregions || rg == m->placements[fd->object].key_region)
                continue;
            set_edit(&e, OBJ_PLACEMENT, sel, "key-region", m->regions[rg].id);
            any |= add_choice(t, &e, sm_strdupf("Hold the key in %s", m->regions[rg].id));
        }
        if (!any) {
            const char *own = m->regions[m->placements[fd->object].region].id;
            set_edit(&e, OBJ_PLACEMENT, sel, "key-region", own);
            add_choice(t, &e, sm_strdupf("Hold the key in %s", own));
        }
        break;
    }
    case FIX_TIER:
    case FIX_PERSONAL_TIER: {
        int32_t ds = fd->kind == OBJ_DATASET ? fd->object : fd->dataset;
        int32_t want[2] = { SM_NONE, fd->fix.tier };
        char *dsel;
        if (ds < 0 || !(dsel = model_selector_dup(m, OBJ_DATASET, ds)))
            break;
        if (t->res && ds < t->res->ndatasets)
            want[0] = t->res->eff_tier[ds];
        for (int i = 0; i < 2; i++) {
            if (want[i] < 0 || want[i] >= m->ntiers || want[i] == m->datasets[ds].tier)
                continue;
            set_edit(&e, OBJ_DATASET, dsel, "tier", m->tiers[want[i]].name);
            add_choice(t, &e, sm_strdupf("Classify the dataset as %s", m->tiers[want[i]].name));
        }
        free(dsel);
        break;
    }
    case FIX_NONE:
        break;
    }
}

bool
fix_open(struct tui *t, int32_t fi)
{
    const struct finding *fd = &t->res->findings[fi];
    struct dialog *d = &t->dialog;
    char *sel, *text = NULL;

    dialog_close(t);
    if (fd->object < 0 || fd->kind >= OBJ_KIND_COUNT) {
        tui_set_message(t, true, "%s comes from a custom rule: fix the model by hand", fd->rule);
        return false;
    }
    if (!(sel = model_selector_dup(t->m, (enum obj_kind)fd->kind, fd->object))) {
        tui_set_message(t, true, "out of memory");
        return false;
    }
    fix_candidates(t, fd, sel);
    free(sel);          /* the edits hold their own copies (edit_dup) */
    if (d->nchoices == 0) {
        dialog_close(t);
        tui_set_message(t, true, "no automatic fix for %s %s: press e to edit it (hint: %s)",
                        fd->rule, fd->selector, fd->hint && *fd->hint ? fd->hint : "none");
        return false;
    }
    d->mode = DIALOG_FIX;
    tui_text_set(&d->title, "Fix %s %s", fd->rule, fd->selector);
    tui_text_add(&text, "%s\nHint: %s\n\n%s The edit:", fd->message,
             fd->hint && *fd->hint ? fd->hint : "none",
             t->scen.on ? "The fix goes into the scenario as its ops (stored and audited); "
                          "the catalog stays as it is; u takes it out."
                        : "Each fix is one audited edit; u undoes it.");
    /* The preview shows the exact edit of every choice. */
    for (int i = 0; i < d->nchoices; i++) {
        char *line = edit_format_dup(d->edits[i]);
        tui_text_add(&text, "\n  %d. %s", i + 1, line ? line : "?");
        free(line);
    }
    d->text = text;     /* whole (the dialog wraps it); freed with the dialog */
    d->choice = 0;
    return true;
}
