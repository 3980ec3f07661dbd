/*
 * app_export.c - the TUI's export menu and what it writes (one file per
 * export format, through outfile so a failed write leaves no partial file),
 * the scenario diff pager and the tier matrix pager. Part of app.c; app.h is
 * what they share. No curses.
 */
#include "app.h"
#include "export.h"
#include "outfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- export menu ------------------------------------------------------------ */

const struct export_item export_items[] = {
    { "svg",           "Data-flow diagram (SVG), whole model",   "sovmap-diagram.svg", EXPORT_VIEW_FULL, false },
    { "svg",           "Data-flow diagram (SVG) around %s",      "sovmap-%s.svg",      EXPORT_VIEW_FOCUS, true },
    { "svg",           "Region summary diagram (SVG)",           "sovmap-regions.svg", EXPORT_VIEW_REGIONS, false },
    { "map-html",      "Residency map (HTML)",                   "sovmap-map.html",    EXPORT_VIEW_FULL, false },
    { "map-md",        "Residency map (Markdown)",               "sovmap-map.md",      EXPORT_VIEW_FULL, false },
    { "tiers-md",      "Tier-to-region mapping (Markdown)",      "sovmap-tiers.md",    EXPORT_VIEW_FULL, false },
    { "transfers-csv", "Transfer register (CSV)",                "sovmap-transfers.csv", EXPORT_VIEW_FULL, false },
    { "lineage-csv",   "Lineage register (CSV)",                 "sovmap-lineage.csv", EXPORT_VIEW_FULL, false },
    { "model-json",    "Model (model-json, for git)",            "sovmap-model.json",  EXPORT_VIEW_FULL, false },
    /* scenario mode only: what the scenario changes (export --changed-only) */
    { "changes",       "Change diagram (SVG): what the scenario changes", "sovmap-changes.svg", EXPORT_VIEW_FULL, false },
};
#define NEXPORT ((int)(sizeof export_items / sizeof export_items[0]))

int32_t
focus_dataset(struct tui *t)
{
    enum obj_kind kind;
    int32_t id;

    if (!target_object(t, &kind, &id))
        return SM_NONE;
    if (kind == OBJ_DATASET)
        return id;
    if (kind == OBJ_PLACEMENT)
        return t->m->placements[id].dataset;
    if (kind == OBJ_FLOW)
        return t->m->placements[t->m->flows[id].from].dataset;
    return SM_NONE;
}

int
act_export(struct tui *t, const struct key *k)
{
    int32_t ds = focus_dataset(t);
    int n = 0;
    (void)k;
    dialog_close(t);
    t->dialog.mode = DIALOG_MENU;
    if (t->scen.on)
        tui_text_set(&t->dialog.title, "Export scenario %s (Enter chooses, Esc cancels)",
                     t->scen.name);
    else
        tui_text_set(&t->dialog.title, "Export (Enter chooses, Esc cancels)");
    for (int i = 0; i < NEXPORT && n < DIALOG_MAX_CHOICES; i++) {
        if ((export_items[i].focus && ds < 0) ||
            (strcmp(export_items[i].format, "changes") == 0 && !t->scen.on))
            continue;
        tui_text_set(&t->dialog.choice_text[n], export_items[i].label,
                 ds >= 0 ? t->m->datasets[ds].name : "");
        snprintf(t->dialog.choice_arg[n], sizeof t->dialog.choice_arg[n], "%d", i);
        n++;
    }
    t->dialog.nchoices = n;
    t->dialog.choice = 0;
    return TUI_REDRAW;
}



/* A scenario's effect, through `sovmap scenario diff NAME` (the scenario
 * engine evaluates it on a copy of the model). */
int
act_diff(struct tui *t, const struct key *k)
{
    enum obj_kind kind;
    int32_t id;
    char *label, *argv[3];
    (void)k;
    if (t->scen.on)
        return scen_diff_pager(t);
    if (!target_object(t, &kind, &id) || kind != OBJ_SCENARIO) {
        tui_set_message(t, true, "select a scenario first (view 8)");
        return TUI_REDRAW;
    }
    if (!t->ops.command) {
        tui_set_message(t, true, "commands are not available here");
        return TUI_REDRAW;
    }
    if (!(label = sm_strdupf("scenario diff %s", t->m->scenarios[id].name))) {
        tui_set_message(t, true, "out of memory");
        return TUI_REDRAW;
    }
    argv[0] = "scenario";
    argv[1] = "diff";
    argv[2] = (char *)t->m->scenarios[id].name;
    run_argv(t, label, 3, argv);
    free(label);
    return TUI_REDRAW;
}

/* The tier x region matrix (matrix.c), on the selected tier's row. */
int
act_tier_matrix(struct tui *t, const struct key *k)
{
    enum obj_kind kind;
    int32_t id;
    (void)k;
    if (!target_object(t, &kind, &id) || kind != OBJ_TIER)
        id = SM_NONE;
    return matrix_open(t, id);
}

int
export_write(struct tui *t, int item, const char *path)
{
    bool changes = strcmp(export_items[item].format, "changes") == 0;
    const struct export_ops *ops = changes ? NULL : export_format(export_items[item].format);
    struct export_opts o;
    SM_ERROR(err);
    struct outfile of;
    FILE *f;
    long size;
    int32_t ds = focus_dataset(t);

    if (changes && !t->scen.on) {
        tui_set_message(t, true, "the change diagram needs scenario mode");
        return SM_EINVAL;
    }
    if (!ops && !changes) {
        tui_set_message(t, true, "export %s is not available in this build",
                        export_items[item].format);
        return SM_ENOTFOUND;
    }
    export_opts_init(&o);
    o.view = export_items[item].view;
    o.today = t->today;
    o.juris = t->juris;
    if (export_items[item].focus) {
        if (ds < 0) {
            tui_set_message(t, true, "select a dataset to draw around");
            return SM_EINVAL;
        }
        o.focus = t->m->datasets[ds].name;
        o.hops = 2;
    }
    /* outfile.h: a regular file is replaced only once complete; a device
     * such as /dev/null is written in place, never replaced */
    if (outfile_open(&of, path, "wb", &err) != SM_OK) {
        tui_set_message(t, true, "%s", err.msg);
        return SM_EIO;
    }
    f = of.f;
    if (changes ? export_changes(&t->scen.cs, &o, "svg", f, NULL, &err) != SM_OK
                : ops->write(t->m, t->res, &o, ops->arg, f, &err) != SM_OK) {
        outfile_close(&of, false, NULL);
        tui_set_message(t, true, "%s", err.msg);
        return err.code ? err.code : SM_EIO;
    }
    size = ftell(f);
    if (outfile_close(&of, true, &err) != SM_OK) {
        tui_set_message(t, true, "%s", err.msg);
        return SM_EIO;
    }
    tui_set_message(t, false, "exported %s to %s (%ld bytes)", export_items[item].format, path,
                    size);
    return SM_OK;
}
