/*
 * scen.c - the TUI's scenario mode: entering and leaving it, edits stored
 * as scenario ops, their undo, the re-evaluation against the catalog and
 * the scenario diff pager. No curses.
 */
#include "app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- scenario mode ---------------------------------------------------------- */

/* "+2 errors −1" (new and resolved live errors against the base). */
void
scen_delta_text(const struct tui *t, char *buf, size_t size)
{
    const struct scenario_diff *d = t->scen.cs.diff;
    int add = d ? d->count[SDIFF_NEW][SEV_ERROR] : 0;
    int rem = d ? d->count[SDIFF_RESOLVED][SEV_ERROR] : 0;

    snprintf(buf, size, "+%d error%s %s%d", add, add == 1 ? "" : "s", text_sym("−", "-"), rem);
}

/* A current check of the scenario's base that its evaluation can start
 * from (scenario_eval_from: a clone of it takes the ops one by one), or
 * NULL: evaluate through ops.scenario. In the mode it is the base's side of
 * the change set; entering, the catalog's own result. */
static const struct check_result *
scen_base_check(const struct tui *t)
{
    const struct check_result *r;

    if (t->scen.commands ||
        (t->ops.model && t->ops.model(t->ops.ctx) && t->ops.model(t->ops.ctx) != t->scen.base))
        return NULL;
    if (t->scen.on)
        r = t->scen.cs.before && t->scen.cs.before->m == t->scen.base ? t->scen.cs.before->res
                                                                      : NULL;
    else
        r = t->scen.base_res;
    return r && r->rp && !r->custom ? r : NULL;
}

/* Evaluate the scenario from the base and show it; what: the message. */
static int
scen_eval_now(struct tui *t, const char *what)
{
    struct scenario_change_set cs;
    const struct check_result *src = scen_base_check(t);
    SM_ERROR(err);
    char delta[64];                     /* bounded: two counts */
    bool same;

    memset(&cs, 0, sizeof cs);
    if (!src || scenario_change_set_from(t->scen.base, src, t->scen.name, &cs, &err) != SM_OK) {
        /* evaluated in full (also for the message of an op that fails) */
        memset(&cs, 0, sizeof cs);
        sm_error_fini(&err);
        if (t->ops.scenario(t->ops.ctx, t->scen.base, t->scen.name, &cs, &err) != SM_OK) {
            tui_set_message(t, true, "scenario %s: %s", t->scen.name, err.msg);
            return err.code ? err.code : SM_EINVAL;
        }
    } else if (t->scen.on && t->scen.cs.before && t->scen.cs.before->res == src &&
               !t->scen.cs.before->res_borrowed) {
        /* the base's side borrows src: the old change set owned it, the new
         * one takes it over */
        t->scen.cs.before->res_borrowed = true;
        cs.before->res_borrowed = false;
    }
    /* entering with a scenario that borrows the catalog's model and check
     * (no ops yet): the derived arrays are already those (nothing was freed
     * on the way, so equal pointers are the same objects) */
    same = !t->scen.on && cs.after->m == t->m && cs.after->res == t->res;
    if (t->scen.on)
        scenario_change_set_fini(&t->scen.cs);
    t->scen.cs = cs;
    t->scen.on = true;
    t->m = cs.after->m;
    t->res = cs.after->res;
    if (same)
        t->gen++;       /* the views look again (scenario mode) */
    else
        tui_derive(t);
    scen_delta_text(t, delta, sizeof delta);
    if (what)
        tui_set_message(t, false, "scenario %s: %s %s %s", t->scen.name, what,
                        text_sym("—", "-"), delta);
    return SM_OK;
}

void
scen_reeval(struct tui *t, const char *what)
{
    if (t->ops.model && t->ops.model(t->ops.ctx))
        t->scen.base = t->ops.model(t->ops.ctx);
    scen_eval_now(t, what);
}

static void
scen_enter(struct tui *t, const char *name)
{
    tui_text_set(&t->scen.name, "%s", name);
    t->scen.base = t->m;
    t->scen.base_res = t->res;
    t->scen.added = 0;
    t->scen.commands = false;
    if (scen_eval_now(t, NULL) != SM_OK) {
        t->m = t->scen.base;
        t->res = t->scen.base_res;
        return;
    }
    {
        char delta[64], keys[32];       /* bounded: counts; key names, whole names only */
        scen_delta_text(t, delta, sizeof delta);
        keymap_keys(&t->keys, KEYMAP_GLOBAL, ACT_SCENARIO, keys, sizeof keys);
        tui_set_message(t, false, "scenario %s: %s; edits go into it, d diffs, Esc or %s leaves",
                        t->scen.name, delta, keys);
    }
}

/* Back to the base: the scenario's evaluation goes, the base was never
 * touched (its ops were stored with the scenario). */
void
scen_leave(struct tui *t)
{
    if (!t->scen.on)
        return;
    dialog_close(t);
    scenario_change_set_fini(&t->scen.cs);
    memset(&t->scen.cs, 0, sizeof t->scen.cs);
    t->scen.on = false;
    t->m = t->scen.base;
    t->res = t->scen.base_res;
    if (t->ops.model && t->ops.model(t->ops.ctx) && t->ops.model(t->ops.ctx) != t->m)
        t->m = t->ops.model(t->ops.ctx);
    if (t->scen.commands) {
        /* A `:` command in the mode ran on the catalog: check it again. */
        recheck(t, NULL);
    } else {
        tui_derive(t);
    }
    tui_settle(t);
    t->nhist = 0;
    tui_set_message(t, false, "left scenario %s; back to the catalog", t->scen.name);
}

int
act_scenario(struct tui *t, const struct key *k)
{
    enum obj_kind kind;
    int32_t id;
    (void)k;
    if (t->scen.on) {
        scen_leave(t);
        return TUI_REDRAW;
    }
    if (!t->ops.scenario || !t->ops.command) {
        tui_set_message(t, true, "scenario mode is not available here");
        return TUI_REDRAW;
    }
    if (!target_object(t, &kind, &id) || kind != OBJ_SCENARIO) {
        tui_set_message(t, true, "select a scenario first (view 8)");
        return TUI_REDRAW;
    }
    scen_enter(t, t->m->scenarios[id].name);
    return TUI_REDRAW;
}

/* Run `scenario VERB NAME ARGS...` (stored like the CLI's: one transaction
 * and audit entry). SM_OK, or a message and an error. */
static int
scen_store(struct tui *t, const char *verb, int argc, const char *const *args)
{
    char *argv[16], *out = NULL;
    int n = 0, rc;

    if (strcmp(verb, "add") == 0) {
        char *op = scenario_op_dup(argc, args);
        tui_text_set(&t->scen.last_op, "%s", op ? op : "");
        free(op);
    }

    argv[n++] = "scenario";
    argv[n++] = (char *)verb;
    argv[n++] = t->scen.name;
    for (int i = 0; i < argc && n < 15; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    rc = t->ops.command(t->ops.ctx, n, argv, &out);
    if (rc != 0) {
        char *nl = out ? strchr(out, '\n') : NULL;
        if (nl)
            *nl = 0;
        tui_set_message(t, true, "%s", out && *out ? out : "scenario op refused");
    }
    free(out);
    return rc == 0 ? SM_OK : SM_EINVAL;
}

/* Can the scenario's evaluation take ops one by one (instead of being
 * evaluated again from the base)? */
static bool
scen_incremental(const struct tui *t)
{
    const struct scenario_eval *ev = t->scen.cs.after;

    return t->scen.on && ev && ev->res && ev->res->rp && !ev->stale && !ev->borrowed &&
           t->scen.cs.before &&
           (!t->ops.model || !t->ops.model(t->ops.ctx) ||
            t->ops.model(t->ops.ctx) == t->scen.base);
}

/* Apply a stored op to the scenario's evaluation too (scenario_apply_check:
 * only the datasets it touches are checked again). false: evaluate again. */
static bool
scen_push_op(struct tui *t, int argc, const char *const *argv, struct check_change *keep)
{
    struct check_change chg;
    SM_ERROR(err);
    int rc;

    if (!scen_incremental(t))
        return false;
    rc = scenario_apply_check(t->scen.cs.after, argc, argv, &chg, &err);
    check_change_fini(keep);
    *keep = chg;
    if (rc != SM_OK) {
        /* the evaluation may be half changed: it goes at the re-evaluation */
        t->scen.cs.after->stale = true;
        return false;
    }
    return true;
}

/* What an edit in the mode touches in the scenario's model (before its op
 * runs, and again after): its object, and the datasets flows link that to
 * (a removed copy takes its flows). *obj: the object's id, or SM_NONE. */
static void
scen_touch(struct tui *t, const struct edit *e, struct check_touch *touch, int32_t *obj)
{
    const struct model *m = t->m;
    int32_t n0;

    if (e->op == EDIT_ADD && e->kind == OBJ_PLACEMENT) {
        char *name = strdup(e->key), *at = name ? strchr(name, '@') : NULL;
        if (at)
            *at = 0;
        if (!at || check_touch_selector(touch, m, OBJ_DATASET, name))
            touch->global = true;
        free(name);
    } else if (*obj != SM_NONE || model_find(m, e->kind, e->key, obj, NULL) == SM_OK) {
        if (check_touch_object(touch, m, e->kind, *obj))
            touch->global = true;
    }
    n0 = touch->ndatasets;
    for (int32_t i = 0; i < n0; i++) {
        int32_t d = touch->datasets[i];
        if (d < 0 || d >= t->nd)
            continue;
        for (int pass = 0; pass < 2; pass++)
            for (int32_t f = pass ? t->ds_in[d] : t->ds_out[d]; f != SM_NONE;
                 f = pass ? t->fl_next_in[f] : t->fl_next_out[f])
                if (check_touch_object(touch, m, OBJ_FLOW, f))
                    touch->global = true;
    }
}

/* The scenario's evaluation took the new ops: its diff against the base
 * again, and the message. pre, touch, chg: one op's update, for the
 * derived arrays (pre not on: derive them all). */
static void
scen_refresh(struct tui *t, const char *what, struct derive_pre *pre,
             const struct check_touch *touch, const struct check_change *chg)
{
    struct scenario_diff *d = NULL;
    SM_ERROR(err);
    char delta[64];                     /* bounded: two counts */

    if (scenario_diff(t->scen.cs.before, t->scen.cs.after, t->scen.base, &d, &err) != SM_OK) {
        derive_cancel(t, pre);
        scen_reeval(t, what);
        return;
    }
    scenario_diff_free(t->scen.cs.diff);
    t->scen.cs.diff = d;
    t->m = t->scen.cs.after->m;
    t->res = t->scen.cs.after->res;
    if (pre->on && chg->ngroup >= 0) {
        derive_end(t, pre, touch, chg);
    } else {
        derive_cancel(t, pre);
        tui_derive(t);
    }
    scen_delta_text(t, delta, sizeof delta);
    if (what)
        tui_set_message(t, false, "scenario %s: %s %s %s", t->scen.name, what,
                        text_sym("—", "-"), delta);
}

/* The evaluation of a scenario without ops borrows the base and its check
 * (scenario_change_set_from): before its first op it gets its own copies. */
static void
scen_unshare(struct tui *t)
{
    struct scenario_eval *ev = t->scen.cs.after, *own = NULL;
    SM_ERROR(err);

    if (!t->scen.on || !ev || !ev->borrowed || ev->nops || !ev->res_borrowed ||
        !scen_base_check(t) || ev->res != t->scen.cs.before->res)
        return;
    if (scenario_begin_checked(t->scen.base, ev->res, t->scen.name, &own, &err) != SM_OK)
        return;     /* evaluated again after the op */
    scenario_eval_free(ev);
    t->scen.cs.after = own;
    t->m = own->m;
    t->res = own->res;
    /* the same objects, ids and findings (and strings): the derived arrays
     * stand, the views rebuild their rows on the new model */
    t->gen++;
}

/* Does the edit set only a tier's policy (what set-tier-policy takes)? */
static bool
tier_policy_edit(const struct edit *e)
{
    if (e->op != EDIT_SET || e->kind != OBJ_TIER || e->nattrs < 1 || e->nattrs > 8)
        return false;
    for (int i = 0; i < e->nattrs; i++) {
        int k = 0;
        while (scenario_tier_policy_attrs[k] && strcmp(scenario_tier_policy_attrs[k], e->attrs[i].name))
            k++;
        if (!scenario_tier_policy_attrs[k])
            return false;
    }
    return true;
}

/* An edit as scenario ops: a tier's policy becomes set-tier-policy, other
 * attributes `set`, removed copies and flows remove-placement /
 * remove-flow, an added copy add-placement. */
int
scen_apply_edit(struct tui *t, const struct edit *e, const char *what)
{
    const char *argv[5];
    char *line, *ds = NULL, *at;
    int stored = 0;
    bool pushed = true;
    struct check_touch touch = { 0 };
    struct derive_pre pre = { 0 };
    struct check_change chg = { 0 };
    int32_t obj = SM_NONE;
    bool one;
    /* the scenario's own counts before the edit: what this edit did */
    int e0 = t->res ? t->res->stats.count[SEV_ERROR] : 0;
    int w0 = t->res ? t->res->stats.count[SEV_WARNING] : 0;

    scen_unshare(t);
    /* one op (the usual edit): the derived arrays follow it alone */
    one = (e->op != EDIT_SET || e->nattrs == 1) && scen_incremental(t);

    chg.ngroup = -1;
    if (one) {
        scen_touch(t, e, &touch, &obj);
        derive_begin(t, &pre, &touch);
    }
    {
        /* the edit as one line, whole (its message names it) */
        size_t n = edit_format(e, NULL, 0) + 1;
        if ((line = malloc(n)) != NULL)
            edit_format(e, line, n);
    }
    if (!line) {
        derive_cancel(t, &pre);
        check_touch_fini(&touch);
        tui_set_message(t, true, "out of memory");
        return SM_ENOMEM;
    }
    if (tier_policy_edit(e)) {
        /* a tier edit is one set-tier-policy op: the mapping tried as a whole */
        const char *pv[10];
        char *kv[8] = { 0 };
        int n = 0;

        pv[n++] = "set-tier-policy";
        pv[n++] = e->key;
        for (int i = 0; i < e->nattrs; i++) {
            size_t len = strlen(e->attrs[i].name) + strlen(e->attrs[i].value) + 2;
            if (!(kv[i] = malloc(len)))
                break;
            snprintf(kv[i], len, "%s=%s", e->attrs[i].name, e->attrs[i].value);
            pv[n++] = kv[i];
        }
        if (n == e->nattrs + 2 && scen_store(t, "add", n, pv) == SM_OK) {
            stored++;
            pushed &= scen_push_op(t, n, pv, &chg);
        }
        for (int i = 0; i < e->nattrs; i++)
            free(kv[i]);
    } else if (e->op == EDIT_SET) {
        for (int i = 0; i < e->nattrs; i++) {
            argv[0] = "set";
            argv[1] = obj_kind_names[e->kind];
            argv[2] = e->key;
            argv[3] = e->attrs[i].name;
            argv[4] = e->attrs[i].value;
            if (scen_store(t, "add", 5, argv) != SM_OK)
                break;
            stored++;
            pushed &= scen_push_op(t, 5, argv, &chg);
        }
    } else if (e->op == EDIT_REMOVE && (e->kind == OBJ_PLACEMENT || e->kind == OBJ_FLOW)) {
        argv[0] = e->kind == OBJ_PLACEMENT ? "remove-placement" : "remove-flow";
        argv[1] = e->key;
        if (scen_store(t, "add", 2, argv) == SM_OK) {
            stored++;
            pushed &= scen_push_op(t, 2, argv, &chg);
        }
    } else if (e->op == EDIT_ADD && e->kind == OBJ_PLACEMENT &&
               (ds = strdup(e->key)) != NULL && (at = strchr(ds, '@')) != NULL) {
        int n = 3;
        *at = 0;
        argv[0] = "add-placement";
        argv[1] = ds;
        argv[2] = at + 1;
        for (int i = 0; i < e->nattrs; i++)
            if (strcmp(e->attrs[i].name, "role") == 0)
                argv[n++] = e->attrs[i].value;
        if (scen_store(t, "add", n, argv) == SM_OK) {
            stored++;
            pushed &= scen_push_op(t, n, argv, &chg);
        }
    } else {
        tui_set_message(t, true, "%s cannot go into scenario %s: its ops set attributes, "
                        "add or remove copies and remove flows (leave with Esc to edit the catalog)",
                        line, t->scen.name);
        derive_cancel(t, &pre);
        check_touch_fini(&touch);
        free(line);
        free(ds);
        return SM_EINVAL;
    }
    free(ds);
    t->scen.added += stored;
    if (stored == 0) {
        derive_cancel(t, &pre);
        check_touch_fini(&touch);
        check_change_fini(&chg);
        free(line);
        return SM_EINVAL;
    }
    {
        bool failed = t->msg_error;
        char *msg = strdup(t->msg), *added;
        (void)what;
        if (stored == 1)
            added = sm_strdupf("+ %s", t->scen.last_op);
        else
            added = sm_strdupf("+ %d ops (%s)", stored, line);
        if (!added)
            added = strdup("+");
        /* the ops went into the evaluation one by one; else evaluate anew */
        if (pushed) {
            if (pre.on && stored == 1)
                scen_touch(t, e, &touch, &obj);     /* and after its op */
            else
                derive_cancel(t, &pre);
            scen_refresh(t, added ? added : "", &pre, &touch, &chg);
        } else {
            derive_cancel(t, &pre);
            scen_reeval(t, added ? added : "");
        }
        check_touch_fini(&touch);
        check_change_fini(&chg);
        if (failed) {
            tui_set_message(t, true, "%s", msg ? msg : "out of memory");
        } else if (!t->msg_error && t->res) {
            int e1 = t->res->stats.count[SEV_ERROR], w1 = t->res->stats.count[SEV_WARNING];
            const char *arrow = text_sym("→", "->");
            char mine[128] = "", delta[64]; /* bounded: counts */
            size_t k = 0;
            if (e1 != e0)
                k += (size_t)snprintf(mine + k, sizeof mine - k, "errors %d %s %d", e0, arrow,
                                      e1);
            if (w1 != w0)
                snprintf(mine + k, sizeof mine - k, "%swarnings %d %s %d", k ? ", " : "", w0,
                         arrow, w1);
            scen_delta_text(t, delta, sizeof delta);
            tui_set_message(t, false, "scenario %s: %s %s %s; against the catalog %s",
                            t->scen.name, added, text_sym("—", "-"),
                            mine[0] ? mine : "no finding counts change", delta);
        }
        free(msg);
        free(added);
        free(line);
        return failed ? SM_EINVAL : SM_OK;
    }
}

/* Undo in the mode removes the scenario's last op (added in this visit). */
/* Does the scenario's evaluation hold exactly the stored ops of its chain
 * (each applied, the last one last)? */
static bool
scen_in_sync(const struct tui *t)
{
    const struct scenario_eval *ev = t->scen.cs.after;
    int32_t ids[64], n, total = 0;
    const struct scenario *last = NULL;

    if (!scen_incremental(t))
        return false;
    n = scenario_chain(t->scen.base, t->scen.name, ids, 64, NULL);
    if (n <= 0 || n > 64)
        return false;
    for (int32_t k = 0; k < n; k++)
        total += (int32_t)t->scen.base->scenarios[ids[k]].nops;
    last = &t->scen.base->scenarios[ids[n - 1]];
    if (total != ev->nops || !last->nops || ev->ops[ev->nops - 1].n != last->ops[last->nops - 1].n)
        return false;
    for (uint32_t i = 0; i < last->ops[last->nops - 1].n; i++)
        if (strcmp(ev->ops[ev->nops - 1].v[i], last->ops[last->nops - 1].v[i]) != 0)
            return false;
    return true;
}

int
scen_undo(struct tui *t, bool undo)
{
    int32_t id = model_scenario(t->scen.base, t->scen.name);
    char idx[16];                       /* bounded: an int */
    const char *argv[1];
    bool exact;

    if (!undo) {
        tui_set_message(t, false, "no redo in scenario mode (add the op again)");
        return TUI_REDRAW;
    }
    if (t->scen.added == 0 || id < 0 || t->scen.base->scenarios[id].nops == 0) {
        tui_set_message(t, false, "nothing to undo in scenario %s", t->scen.name);
        return TUI_REDRAW;
    }
    snprintf(idx, sizeof idx, "%u", (unsigned)t->scen.base->scenarios[id].nops);
    argv[0] = idx;
    exact = scen_in_sync(t) && scenario_can_undo(t->scen.cs.after);
    if (scen_store(t, "rm", 1, argv) != SM_OK)
        return TUI_REDRAW;
    t->scen.added--;
    if (exact) {
        /* the evaluation takes its last op back (an exact revert) and
         * re-checks what it touched */
        struct scenario_eval *ev = t->scen.cs.after;
        struct derive_pre pre = { 0 };
        struct check_touch touch = { 0 }, before = { 0 };
        struct check_change chg;
        SM_ERROR(err);
        int rc;
        /* the derived arrays follow what the undo touches */
        if (scenario_undo_touch(ev, &before) == SM_OK)
            derive_begin(t, &pre, &before);
        check_touch_fini(&before);
        rc = scenario_undo_last(ev, &touch, &chg, &err);
        if (rc == SM_OK && ev->stale) {
            check_change_fini(&chg);
            rc = scenario_check(ev, ev->today, &err);
        }
        if (rc == SM_OK) {
            scen_refresh(t, "undone: its last op removed", &pre, &touch, &chg);
            check_touch_fini(&touch);
            check_change_fini(&chg);
            return TUI_REDRAW;
        }
        derive_cancel(t, &pre);
        check_touch_fini(&touch);
        check_change_fini(&chg);
        ev->stale = true;
    }
    /* the base's evaluation stands: only the scenario's is made again,
     * from a copy of the base's check taking the remaining ops one by one */
    if (scen_base_check(t)) {
        struct scenario_eval *ev = NULL;
        SM_ERROR(err);
        if (scenario_eval_from(t->scen.base, t->scen.cs.before->res, t->scen.name, &ev,
                               &err) == SM_OK) {
            struct derive_pre pre = { 0 };
            struct check_touch touch = { 0 };
            struct check_change chg = { 0 };
            chg.ngroup = -1;
            scenario_eval_free(t->scen.cs.after);
            t->scen.cs.after = ev;
            scen_refresh(t, "undone: its last op removed", &pre, &touch, &chg);
            return TUI_REDRAW;
        }
    }
    scen_reeval(t, "undone: its last op removed");
    return TUI_REDRAW;
}

/* One finding as a cell: "E rule selector". */
static char *
scen_cell(const struct check_result *r, int32_t i)
{
    static const char sev[SEV_COUNT] = { 'i', 'W', 'E' }; /* bounded: a fixed table */
    const struct finding *f;

    if (!r || i < 0 || i >= r->nfindings)
        return strdup("");
    f = &r->findings[i];
    return sm_strdupf("%c %s %s", sev[f->severity], f->rule, f->selector);
}

/* The Diff pane: resolved findings (base) beside new ones (scenario),
 * then the copies and flows the scenario changes. */
int
scen_diff_pager(struct tui *t)
{
    const struct scenario_diff *d = t->scen.cs.diff;
    const struct check_result *rb = t->scen.cs.before ? t->scen.cs.before->res : NULL;
    const struct check_result *ra = t->scen.cs.after ? t->scen.cs.after->res : NULL;
    int col = ((t->w > 0 ? t->w : 80) - 8) / 2 - 2;
    int32_t *nw = NULL, *rs = NULL, nn = 0, nr = 0;
    char *text = NULL, *title, delta[64];  /* bounded: delta holds two counts */
    size_t len = 0;
    FILE *f;

    if (!d || !(f = open_memstream(&text, &len))) {
        tui_set_message(t, true, "no diff");
        return TUI_REDRAW;
    }
    if (col < 20)
        col = 20;
    nw = calloc((size_t)d->nfindings + 1, sizeof *nw);
    rs = calloc((size_t)d->nfindings + 1, sizeof *rs);
    for (int32_t i = 0; nw && rs && i < d->nfindings; i++) {
        if (d->findings[i].status == SDIFF_NEW)
            nw[nn++] = d->findings[i].after;
        else if (d->findings[i].status == SDIFF_RESOLVED)
            rs[nr++] = d->findings[i].before;
    }
    {
        char h1[64];                    /* bounded: a fixed word and a count */
        snprintf(h1, sizeof h1, "resolved (base, %d)", (int)nr);
        fprintf(f, "%-*.*s  new (", col, col, h1);
        fputs(t->scen.name, f);
        fprintf(f, ", %d)\n", (int)nn);
    }
    for (int32_t i = 0; i < nn || i < nr; i++) {
        /* whole cells: the left one cut to its column between characters
         * (text_fit), the right one whole (the pager wraps it) */
        char *a = scen_cell(rb, i < nr ? rs[i] : SM_NONE);
        char *b = scen_cell(ra, i < nn ? nw[i] : SM_NONE);
        if (a)
            a[text_fit(a, col)] = 0;
        fprintf(f, "%s%*s  %s\n", a ? a : "", col - (a ? text_width(a) : 0), "", b ? b : "");
        free(a);
        free(b);
    }
    if (nn == 0 && nr == 0)
        fputs("(no finding changes)\n", f);
    if (d->nchanges) {
        fprintf(f, "\nchanged objects (%d):\n", (int)d->nchanges);
        for (int32_t i = 0; i < d->nchanges; i++) {
            const struct schange *c = &d->changes[i];
            fprintf(f, "  %-10s %-9s %s", schange_kind_names[c->kind], obj_kind_names[c->obj],
                    c->selector ? c->selector : "");
            if (c->old_selector)
                fprintf(f, " (was %s)", c->old_selector);
            fputc('\n', f);
        }
    }
    free(nw);
    free(rs);
    if (fclose(f) != 0) {
        free(text);
        tui_set_message(t, true, "out of memory");
        return TUI_REDRAW;
    }
    scen_delta_text(t, delta, sizeof delta);
    title = sm_strdupf("Diff: scenario %s against the catalog (%s)", t->scen.name, delta);
    pager_open(t, title ? title : "Diff", text);
    free(title);
    return TUI_REDRAW;
}

