/*
 * test_tui_views.c - the TUI without a terminal: a fixed model, the real
 * checker and edit_apply/edit_revert behind tui_ops, keys fed from scripts,
 * screens compared with tests/tui/expected/NAME.screen (text and style
 * layers; UPDATE_SNAPSHOTS=1 rewrites them for review).
 */
#include "testlib.h"
#include "tui_harness.h"
#include "export.h"

/* ---- every view at both sizes ---------------------------------------------- */

static void
test_views(void **state)
{
    struct harness *h = *state;
    static const char *const names[TUI_NVIEWS] = {
        "datasets", "flows", "regions", "tiers", "findings", "map", "transfers", "scenarios",
        "waivers",
    };

    for (int i = 0; i < TUI_NVIEWS; i++) {
        char key[2] = { (char)('1' + i), 0 };
        feed(h, key);
        assert_int_equal(h->t->cur, i);
        snap(h, names[i]);
    }
    feed(h, "<Tab>");
    assert_int_equal(h->t->cur, 0);
    feed(h, "<S-Tab>");
    assert_int_equal(h->t->cur, TUI_NVIEWS - 1);
}

static void
test_help(void **state)
{
    struct harness *h = *state;
    feed(h, "?");
    assert_int_equal(h->t->dialog.mode, DIALOG_PAGER);
    /* Generated from the tables: every bound action's help is there. */
    assert_non_null(strstr(h->t->dialog.text, action_help[ACT_WAIVE]));
    assert_non_null(strstr(h->t->dialog.text, "<C-r>"));
    /* the finding pane's rule text, and where it comes from */
    assert_non_null(strstr(h->t->dialog.text, "`sovmap explain RULE`"));
    snap(h, "help");
    feed(h, "q");
    assert_int_equal(h->t->dialog.mode, DIALOG_NONE);
    assert_false(tui_quit(h->t));
}

/* ---- lists: filter, sort, detail ---------------------------------------------- */

static void
test_filter_sort(void **state)
{
    struct harness *h = *state;
    struct view *v = &h->t->views[0];

    feed(h, "/LOY");
    assert_int_equal(v->nrows, 1);
    assert_string_equal(h->m->datasets[v->rows[0]].name, "loyalty_members");
    feed(h, "<BS><BS>");
    /* "L" matches every name with an l, whatever the case. */
    assert_int_equal(v->nrows, 4);
    feed(h, "<Enter>");
    snap(h, "datasets-filter");
    feed(h, "<Esc>");
    assert_int_equal(v->nrows, 5);
    /* Sort: by name ascending first; s moves to the next column. */
    assert_string_equal(h->m->datasets[v->rows[0]].name, "loyalty_members");
    feed(h, "sS");
    assert_int_equal(v->sort, 1);
    assert_true(v->desc);
    assert_string_equal(model_tier_name(h->m, h->m->datasets[v->rows[0]].tier), "restricted");
    assert_int_equal(h->m->datasets[v->rows[4]].tier, SM_NONE);
}

/* Sorting by every column of the datasets and flows views gives the
 * order of a plain comparison sort (key, then base order; reversed for
 * descending), on enough rows to go through every radix pass and the
 * ranked-name (tier, home) and tie-refining (shared prefixes) paths. */
static struct tui *ref_t;
static const struct column *ref_col;

static int
cmp_ref(const void *pa, const void *pb)
{
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    int r = 0;
    if (ref_col->num) {
        int64_t x = ref_col->num(ref_t, a), y = ref_col->num(ref_t, b);
        r = x < y ? -1 : x > y;
    } else {
        r = strcmp(ref_col->str(ref_t, a), ref_col->str(ref_t, b));
    }
    return r ? r : (a > b) - (a < b);
}

static void
check_view_order(struct harness *h, int vi)
{
    struct view *v = &h->t->views[vi];
    int32_t n = v->ops->count(h->t), k = 0, *want = malloc(sizeof *want * (size_t)(n + 1));

    assert_non_null(want);
    for (int32_t r = 0; r < n; r++)
        if (!v->ops->visible || v->ops->visible(h->t, r))
            want[k++] = r;
    if (v->sort >= 0) {
        ref_t = h->t;
        ref_col = &v->ops->cols[v->sort];
        qsort(want, (size_t)k, sizeof *want, cmp_ref);
    }
    assert_int_equal(v->nrows, k);
    for (int32_t i = 0; i < k; i++)
        if (v->rows[i] != want[v->desc ? k - 1 - i : i])
            fail_msg("view %d column %d%s: row %d is %d, want %d", vi, v->sort,
                     v->desc ? " desc" : "", (int)i, (int)v->rows[i],
                     (int)want[v->desc ? k - 1 - i : i]);
    free(want);
}

static void
test_sort_every_column(void **state)
{
    struct harness *h = *state;
    static const char *const tiers[] = { "restricted", "confidential", "public", NULL };
    static const char *const regions[] = {
        "aws:eu-west-1", "aws:eu-central-1", "aws:us-east-1", "aws:sa-east-1", "onprem:fra-dc1",
    };
    static const char *const prefixes[] = { "backup.t", "backup.table.", "mkt.", "Zeta-", "" };
    uint64_t x = 88172645463325252ull;
    int32_t prev = SM_NONE;

    for (int i = 0; i < 3000; i++) {
        char name[64], sys[16];
        int32_t id, pl = SM_NONE;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        snprintf(name, sizeof name, "%s%07u", prefixes[x % 5], (unsigned)(x >> 40) % 9000000u + (unsigned)i);
        snprintf(sys, sizeof sys, "sys%d", (int)(x >> 20) % 7);
        id = dataset(h->m, name, tiers[(x >> 8) % 4], "EU", (x >> 12) % 5 ? sys : NULL);
        if ((x >> 16) % 6)
            pl = place(h->m, id, regions[(x >> 24) % 5], ROLE_PRIMARY, true);
        if ((x >> 28) % 3 == 0)
            place(h->m, id, regions[(x >> 32) % 5], ROLE_REPLICA, true);
        if (pl >= 0 && prev >= 0 && i % 2 == 0) {
            struct flow f;
            char fname[64];
            model_flow_init(&f);
            snprintf(fname, sizeof fname, "%sflow%05u-%d", prefixes[(x >> 36) % 5],
                     (unsigned)(x >> 44) % 100000u, i);
            f.name = fname;
            f.from = pl;
            f.to = prev;
            f.kind = (uint8_t)((x >> 50) % FLOW_EXPORT);
            f.transit_encrypted = (x >> 55) & 1;
            assert_int_equal(model_add_flow(h->m, &f, NULL, NULL), SM_OK);
        }
        if (pl >= 0)
            prev = pl;
    }
    h->m->datasets[7].deleted = 1;
    for (int32_t i = 9; i < h->m->ndatasets; i++)
        if (h->m->datasets[i].first_placement >= 0) {
            h->m->placements[h->m->datasets[i].first_placement].deleted = 1;
            break;
        }
    tui_recheck(h->t);
    /* The region and tier details list the first 40 in id order and
     * count the rest, as a full scan would. */
    for (int k = 0; k < 2; k++) {
        struct detail *d = calloc(1, sizeof *d);
        int32_t id = k ? model_tier(h->m, "public") : model_region(h->m, "aws:us-east-1");
        int32_t n = 0, first = SM_NONE;
        char more[64];
        assert_non_null(d);
        if (k) {
            for (int32_t i = 0; i < h->m->ndatasets; i++)
                if (!h->m->datasets[i].deleted && h->m->datasets[i].tier == id && n++ == 0)
                    first = i;
        } else {
            for (int32_t p = 0; p < h->m->nplacements; p++)
                if (!h->m->placements[p].deleted && h->m->placements[p].region == id && n++ == 0)
                    first = p;
        }
        assert_true(n > 40);
        detail_object(h->t, k ? OBJ_TIER : OBJ_REGION, id, d);
        snprintf(more, sizeof more, "and %d more", (int)n - 40);
        assert_non_null(strstr(d->line[d->n - 1].text, more));
        for (int i = 0; i < d->n; i++)
            if (d->line[i].ref != REF_NONE) {
                assert_int_equal(d->line[i].id, first);
                break;
            }
        detail_clear(d);
        free(d);
    }
    for (int vi = 0; vi < 2; vi++) {
        char key[2] = { (char)('1' + vi), 0 };
        feed(h, key);
        for (int c = 0; c <= h->t->views[vi].ops->ncols; c++) {
            view_ensure(h->t, &h->t->views[vi]);
            check_view_order(h, vi);
            feed(h, "S");
            view_ensure(h->t, &h->t->views[vi]);
            check_view_order(h, vi);
            feed(h, "s");
        }
    }
    /* An order that depends on the model alone is kept through a
     * re-check; a change of the model (a tier, a home) sorts again, one
     * that depends on the findings too (Find) is rebuilt every time. */
    {
        struct view *v = &h->t->views[0];
        int32_t first;
        feed(h, "1");
        while (v->sort != 1)
            feed(h, "s");
        view_ensure(h->t, v);
        tui_recheck(h->t);
        view_ensure(h->t, v);
        check_view_order(h, 0);
        first = v->rows[0];
        assert_int_equal(h->m->datasets[first].tier, SM_NONE);
        assert_int_equal(model_set(h->m, OBJ_DATASET, first, "tier", "public", NULL), SM_OK);
        tui_recheck(h->t);
        view_ensure(h->t, v);
        check_view_order(h, 0);
        assert_int_not_equal(v->rows[0], first);
        feed(h, "S");
        view_ensure(h->t, v);
        check_view_order(h, 0);
        /* descending, sorted again from scratch (not reversed) */
        assert_int_equal(model_set(h->m, OBJ_DATASET, first, "tier", "restricted", NULL),
                         SM_OK);
        tui_recheck(h->t);
        view_ensure(h->t, v);
        check_view_order(h, 0);
        while (v->sort != 5)
            feed(h, "s");
        view_ensure(h->t, v);
        check_view_order(h, 0);
        tui_recheck(h->t);
        view_ensure(h->t, v);
        check_view_order(h, 0);
        feed(h, "S");
        tui_recheck(h->t);
        view_ensure(h->t, v);
        assert_true(v->desc);
        check_view_order(h, 0);
        while (v->sort != 6)
            feed(h, "s");
        feed(h, "S");
        assert_int_equal(model_set(h->m, OBJ_DATASET, first, "system", "sys3", NULL), SM_OK);
        tui_recheck(h->t);
        view_ensure(h->t, v);
        check_view_order(h, 0);
    }
}

/* A catalog big enough for the first frame to list one page and the
 * first check's frame to prepare the other views and the filter texts:
 * the filter finds what a plain case-insensitive search of every name
 * finds, typed a key at a time (narrowing), through a re-check and after
 * an edit (the kept texts then no longer serve). */
static bool
ref_contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && ((p[i] >= 'A' && p[i] <= 'Z' ? p[i] | 0x20 : p[i]) ==
                                 (needle[i] >= 'A' && needle[i] <= 'Z' ? needle[i] | 0x20
                                                                       : needle[i])))
            i++;
        if (i == n)
            return true;
    }
    return n == 0;
}

static void
check_filter(struct harness *h, struct view *v)
{
    int32_t k = 0;
    tui_draw(h->t, h->s);
    for (int32_t i = 0; i < v->norder; i++)
        if (ref_contains(v->ops->filter_text(h->t, v->order[i], NULL, 0), v->filter)) {
            if (k >= v->nrows || v->rows[k] != v->order[i])
                fail_msg("filter \"%s\": row %d is %d, want %d", v->filter, (int)k,
                         k < v->nrows ? (int)v->rows[k] : -1, (int)v->order[i]);
            k++;
        }
    assert_int_equal(v->nrows, k);
}

/* The TUI on hs->m (a big model the test built) through the harness's
 * ops, its check deferred as sovmap's is, and a 120x40 screen. */
static void
big_tui_open(struct harness *hs)
{
    SM_ERROR(err);
    struct tui_ops ops = { 0 };
    struct tui_options o = { 0 };

    ops.ctx = hs;
    ops.apply = h_apply;
    ops.revert = h_revert;
    ops.check = h_check;
    ops.check_free = h_check_free;
    o.catalog = "big.db";
    o.today = 20261126;
    o.defer_check = true;
    hs->t = tui_new(hs->m, &ops, &o, &err);
    assert_non_null(hs->t);
    hs->s = screen_new(120, 40);
    assert_non_null(hs->s);
}

static void
test_filter_big(void **state)
{
    struct harness *hs = calloc(1, sizeof *hs);
    SM_ERROR(err);
    static const char *const forms[] = {
        "Ds%06d-x", "d%d", "backup.T%07d", "\xc3\xb1" "and\xc3\xba-%d", "UPPER_%d.dS", "a%dB",
    };
    static const char *const filters[] = { "ds0", "T00", "\xc3\xb1" "A", "d", "S", "_1", "b" };
    struct view *v;
    (void)state;

    assert_non_null(hs);
    hs->m = tl_small_model();
    assert_int_equal(rulepack_load(tl_datadir(), "default", &hs->rp, &err), SM_OK);
    for (int i = 0; i < 60000; i++) {
        char name[64];
        snprintf(name, sizeof name, forms[i % 6], (i * 7919) % 60000);
        dataset(hs->m, name, i % 3 ? (i % 7 ? "public" : "confidential") : NULL, NULL,
                i % 5 ? (i % 2 ? "crm" : "erp") : NULL);
    }
    big_tui_open(hs);
    v = &hs->t->views[0];
    tui_draw(hs->t, hs->s);
    assert_true(v->partial);
    tui_recheck(hs->t);
    tui_draw(hs->t, hs->s);
    assert_false(v->partial);
    assert_int_equal(v->ntext, 60000);             /* kept texts */
    /* By system (ranks kept from the first check): still right after an
     * edit elsewhere (a tier), and after a system changes. */
    assert_int_equal(v->ncolrank, 60000);
    while (v->sort != 6)
        feed(hs, "s");
    view_ensure(hs->t, v);
    check_view_order(hs, 0);
    assert_int_equal(model_set(hs->m, OBJ_DATASET, 12, "tier", "confidential", NULL), SM_OK);
    tui_recheck(hs->t);
    view_ensure(hs->t, v);
    check_view_order(hs, 0);
    assert_int_equal(v->ncolrank, 60000);
    assert_int_equal(model_set(hs->m, OBJ_DATASET, 12, "system", "aaa-sys", NULL), SM_OK);
    tui_recheck(hs->t);
    view_ensure(hs->t, v);
    check_view_order(hs, 0);
    while (v->sort != 0)
        feed(hs, "s");
    /* Every column both ways, the visible rows taken from the order there
     * is; then after removing datasets (the rows change). */
    for (int pass = 0; pass < 2; pass++) {
        if (pass) {
            for (int32_t id = 3; id < 60000; id += 97)
                assert_int_equal(model_remove(hs->m, OBJ_DATASET, id, NULL), SM_OK);
            tui_recheck(hs->t);
        }
        for (int c = 0; c <= v->ops->ncols; c++) {
            view_ensure(hs->t, v);
            check_view_order(hs, 0);
            feed(hs, "S");
            view_ensure(hs->t, v);
            check_view_order(hs, 0);
            feed(hs, "s");
        }
    }
    /* Sorted by name: an edit that leaves the names be keeps the order
     * (checked against a sort from scratch); a new name sorts again. */
    while (v->sort != 0)
        feed(hs, "s");
    view_ensure(hs->t, v);
    check_view_order(hs, 0);
    assert_int_not_equal(v->order_sig, 0);
    assert_int_equal(model_set(hs->m, OBJ_DATASET, 11, "system", "zzz", NULL), SM_OK);
    tui_recheck(hs->t);
    view_ensure(hs->t, v);
    check_view_order(hs, 0);
    dataset(hs->m, "Ds000000-a-new-one", "public", NULL, NULL);
    tui_recheck(hs->t);
    view_ensure(hs->t, v);
    check_view_order(hs, 0);
    feed(hs, "/ds000000-A");
    check_filter(hs, v);
    assert_int_equal(v->nrows, 1);
    feed(hs, "<Esc>");
    /* rows removed and added, ascending then descending: the name order
     * is repaired, as a sort from scratch would have it */
    for (int k = 0; k < 2; k++) {
        if (k)
            feed(hs, "S");
        assert_int_equal(model_remove(hs->m, OBJ_DATASET, 100 + k, NULL), SM_OK);
        assert_int_equal(model_remove(hs->m, OBJ_DATASET, 30000 + k, NULL), SM_OK);
        dataset(hs->m, k ? "aaa-first" : "zzz-last", NULL, NULL, NULL);
        dataset(hs->m, k ? "Ds000100-x-again" : "d-middle", NULL, NULL, NULL);
        tui_recheck(hs->t);
        view_ensure(hs->t, v);
        check_view_order(hs, 0);
    }
    feed(hs, "S");
    /* more rows than the flags had room for (as edits add them, without a
     * full check): the kept texts move behind the new flags and still
     * serve the rows they were made for */
    for (int i = 0; i < 1100; i++) {
        char name[32];
        snprintf(name, sizeof name, "zz-Added-%d", i);
        dataset(hs->m, name, NULL, NULL, NULL);
    }
    tui_derive(hs->t);
    view_ensure(hs->t, v);
    check_view_order(hs, 0);
    assert_true(v->ntext > 0 && v->ntext < v->ops->count(hs->t));
    feed(hs, "/added-10");
    check_filter(hs, v);
    assert_int_equal(v->nrows, 111);   /* -10, -100..-109, -1000..-1099 */
    feed(hs, "<BS><BS><BS>d");
    check_filter(hs, v);
    feed(hs, "<Esc>");
    /* a full check gives the texts back while it runs and makes them
     * again after it, for every row, on the model as it is */
    tui_recheck(hs->t);
    assert_int_equal(v->ntext, v->ops->count(hs->t));
    view_ensure(hs->t, v);
    check_view_order(hs, 0);
    feed(hs, "/added-10");
    check_filter(hs, v);
    assert_int_equal(v->nrows, 111);
    feed(hs, "<Esc>");
    /* By findings (rebuilt on every check): the rows come from the order
     * there is while the model is the same, not after a removal. */
    while (v->sort != 5)
        feed(hs, "s");
    for (int k = 0; k < 2; k++) {
        if (k)
            assert_int_equal(model_remove(hs->m, OBJ_DATASET, 40001, NULL), SM_OK);
        tui_recheck(hs->t);
        view_ensure(hs->t, v);
        check_view_order(hs, 0);
    }
    tui_draw(hs->t, hs->s);
    for (int pass = 0; pass < 3; pass++) {
        if (pass == 1)
            tui_recheck(hs->t);                     /* the texts made again: good */
        if (pass == 2) {                            /* an edit that left the names be */
            assert_int_equal(model_set(hs->m, OBJ_DATASET, 5, "system", "x", NULL), SM_OK);
            tui_recheck(hs->t);
        }
        for (size_t f = 0; f < sizeof filters / sizeof *filters; f++) {
            feed(hs, "/");
            for (const char *c = filters[f]; *c; c++) {
                char key[2] = { *c, 0 };
                feed(hs, key);
                check_filter(hs, v);
            }
            feed(hs, "<BS>");
            check_filter(hs, v);
            feed(hs, "<Esc>");
            check_filter(hs, v);
        }
    }
    harness_free(hs);
}

/* The filter texts where the model's names lie end to end (a model from
 * the load snapshot): the names of test_filter_big's forms (ASCII
 * capitals, UTF-8) put one after the other in one block, every 9,973rd
 * elsewhere (a run ends there), so the views' texts are runs of the
 * model's own bytes, no copy. With capitals (the search takes both cases)
 * and without (lo alone), each filter typed a key at a time against a
 * plain search of every name; then names added (read where they are), a
 * name moved (the runs no longer serve: the names are read where they
 * are, through a full check too). */
static void
filter_runs(bool capitals)
{
    struct harness *hs = calloc(1, sizeof *hs);
    SM_ERROR(err);
    static const char *const forms[] = {
        "Ds%06d-x", "d%d", "backup.T%07d", "\xc3\xb1" "and\xc3\xba-%d", "UPPER_%d.dS", "a%dB",
    };
    static const char *const filters[] = {
        "ds0", "T00", "\xc3\xb1" "A", "d", "S", "_1", "b", "-x", "Upper_1", "9.ds", "zzz",
    };
    const int32_t n = 60000;
    char *block, *apart[8], moved[] = "Moved-Name-Q";
    size_t used = 0;
    int napart = 0;
    struct view *v;

    assert_non_null(hs);
    assert_non_null(block = malloc((size_t)n * 32));
    hs->m = tl_small_model();
    assert_int_equal(rulepack_load(tl_datadir(), "default", &hs->rp, &err), SM_OK);
    for (int32_t i = 0; i < n; i++) {
        char name[64];
        int32_t id;
        snprintf(name, sizeof name, forms[i % 6], (i * 7919) % 60000);
        if (!capitals)
            for (char *p = name; *p; p++)
                *p = *p >= 'A' && *p <= 'Z' ? (char)(*p | 0x20) : *p;
        id = dataset(hs->m, name, i % 3 ? "public" : NULL, NULL, i % 2 ? "crm" : "erp");
        if (id % 9973 == 5000) {
            assert_true(napart < 8);
            assert_non_null(apart[napart] = strdup(name));
            hs->m->datasets[id].name = apart[napart++];
        } else {
            memcpy(block + used, name, strlen(name) + 1);
            hs->m->datasets[id].name = block + used;
            used += strlen(name) + 1;
        }
    }
    big_tui_open(hs);
    v = &hs->t->views[0];
    tui_draw(hs->t, hs->s);
    tui_recheck(hs->t);
    tui_draw(hs->t, hs->s);
    /* the names' own bytes: a run before, at and after each name apart */
    assert_int_equal(v->ntext, n);
    assert_false(v->text_own);
    assert_int_equal(v->ntseg, 2 * napart + 1);
    assert_int_equal(v->text_upper, capitals);
    for (int32_t r = 0; r < n; r++) {
        int32_t s = 0;
        while (v->tseg[s + 1].first <= r)
            s++;
        assert_ptr_equal(v->tseg[s].base + v->toff[r], hs->m->datasets[r].name);
    }
    for (int pass = 0; pass < 4; pass++) {
        if (pass == 1) {
            /* rows added by edits (no full check): the runs serve the
             * rows they were made for, the new names are read */
            dataset(hs->m, capitals ? "zzz-Added-DS0" : "zzz-added-ds0", NULL, NULL, NULL);
            dataset(hs->m, "ZZZ_b", NULL, NULL, NULL);
            tui_derive(hs->t);
        }
        if (pass == 2) {
            /* a name moved (renamed): the runs no longer serve */
            hs->m->datasets[17].name = moved;
            model_changed(hs->m, true);
            tui_derive(hs->t);
        }
        if (pass == 3)
            tui_recheck(hs->t);     /* (texts that no longer served stay gone) */
        for (size_t f = 0; f < sizeof filters / sizeof *filters; f++) {
            feed(hs, "/");
            for (const char *c = filters[f]; *c; c++) {
                char key[2] = { *c, 0 };
                feed(hs, key);
                check_filter(hs, v);
                if (pass == 1 && f + 1 == sizeof filters / sizeof *filters)
                    assert_true(v->ntext > 0 && v->ntext < v->ops->count(hs->t));
                if (pass >= 2)
                    assert_int_equal(v->ntext, 0);
            }
            /* filtered rows: an array of their own, order left whole */
            assert_false(v->rows_order);
            assert_ptr_not_equal(v->rows, v->order);
            feed(hs, "<BS>");
            check_filter(hs, v);
            feed(hs, "<Esc>");
            check_filter(hs, v);
            /* no filter: the rows are the order itself, not a copy */
            assert_true(v->rows_order);
            assert_ptr_equal(v->rows, v->order);
            assert_ptr_equal(v->disp, v->order);
            assert_int_equal(v->nrows, v->norder);
        }
        feed(hs, "/q");
        check_filter(hs, v);
        assert_int_equal(v->nrows, pass >= 2 ? 1 : 0);     /* "Moved-Name-Q" */
        feed(hs, "<Esc>");
    }
    harness_free(hs);
    for (int i = 0; i < napart; i++)
        free(apart[i]);
    free(block);
}

static void
test_filter_runs(void **state)
{
    (void)state;
    filter_runs(true);
    filter_runs(false);
}

static void
test_detail_jump_back(void **state)
{
    struct harness *h = *state;

    feed(h, "5");
    assert_true(h->t->res->nfindings > 0);
    feed(h, "<Enter>");
    assert_int_equal(h->t->focus, FOCUS_DETAIL);
    snap(h, "finding-detail");
    /* the pane ends with the rule's text, as `sovmap explain` has it */
    {
        bool rule = false, law = false;
        for (int i = 0; i < h->t->detail.n; i++) {
            rule |= strcmp(h->t->detail.line[i].text, "Rule") == 0;
            law |= strncmp(h->t->detail.line[i].text, "- law: ", 7) == 0;
        }
        assert_true(rule && law);
    }
    /* The first reference is the finding's object: follow it, come back. */
    feed(h, "<Enter>");
    assert_int_not_equal(h->t->cur, 4);
    feed(h, "<BS>");
    assert_int_equal(h->t->cur, 4);
}

static void
test_map_scroll(void **state)
{
    struct harness *h = *state;
    struct view *v = &h->t->views[5];

    feed(h, "6");
    assert_int_equal(h->t->nmap_regions, 5);
    feed(h, "llll");
    assert_int_equal(v->hcol, 4);
    feed(h, "l");
    assert_int_equal(v->hcol, 4);
    feed(h, "hj");
    snap(h, "map-cursor");
}

/* ---- layout: widths from content, h/l, z, |, sorting -------------------------- */


/* Cells of key columns (selectors, regions) on screen that are cut while
 * a name or free text column of the same view is wider than the least it
 * keeps (10): the layout must take from those first. Also checks that
 * each shown cell is drawn whole when its column is as wide as it. */
static int
cut_keys_with_slack(struct harness *h)
{
    struct view *v = &h->t->views[h->t->cur];
    const struct view_ops *ops = v->ops;
    int bad = 0;
    bool slack = false;
    char line[1024], buf[1024];

    for (int c = 0; c < ops->ncols && c < 16; c++)
        if ((v->shown & 1u << c) && ops->cols[c].fit >= COL_NAME && v->colw[c] > 10)
            slack = true;
    for (int i = 0; i < v->page && v->top + i < v->ndisp; i++) {
        int32_t r = v->disp[v->top + i];
        if (r < 0)
            continue;
        for (int x = 0; x < h->s->w && x < (int)sizeof line - 4; x++)
            line[x] = 0;
        {
            char *all = screen_snapshot(h->s), *p = all;
            for (int y = 0; y < v->list_y + i && p; y++)
                p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
            p = p ? strchr(p, '\n') + 1 : NULL;    /* the "# WxH" line */
            snprintf(line, sizeof line, "%.*s", p ? (int)(strchr(p, '\n') - p) : 0, p ? p : "");
            free(all);
        }
        for (int c = 0; c < ops->ncols && c < 16; c++) {
            int st = 0;
            if (!(v->shown & 1u << c) || ops->cols[c].fit != COL_KEY)
                continue;
            buf[0] = 0;
            ops->cols[c].text(h->t, r, buf, sizeof buf, &st);
            if (!strstr(line, buf)) {
                if (slack)
                    print_message("cut with slack: \"%s\" in \"%s\"\n", buf, line);
                bad += slack;
            }
        }
    }
    return bad;
}

/* The demo at the three sizes: every view drawn, no key cut while a
 * name or free text has room to give; at 200 columns none cut at all;
 * the Flows view shows Kind, Mech and Status at 120 columns. */
static void
test_demo_layout(void **state)
{
    static const int sizes[][2] = { { 80, 24 }, { 120, 40 }, { 200, 60 } };
    static const char *const names[TUI_NVIEWS] = {
        "datasets", "flows", "regions", "tiers", "findings", "map", "transfers", "scenarios",
        "waivers",
    };
    (void)state;

    for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
        struct harness *h = harness_demo(sizes[z][0], sizes[z][1]);
        for (int i = 0; i < TUI_NVIEWS; i++) {
            char key[2] = { (char)('1' + i), 0 }, base[64];
            feed(h, key);
            tui_draw(h->t, h->s);
            if (!h->t->views[i].ops->draw)
                assert_int_equal(cut_keys_with_slack(h), 0);
            snprintf(base, sizeof base, "demo-%s", names[i]);
            snap(h, base);
        }
        if (sizes[z][0] >= 120) {
            struct view *v = tui_view(h->t, &flows_view);
            feed(h, "2");
            tui_draw(h->t, h->s);
            for (int c = 3; c < 6; c++)     /* Kind, Mech, Status */
                assert_true(v->shown & 1u << c);
        }
        if (sizes[z][0] >= 200) {
            /* Findings' Object whole on every row on screen */
            struct view *v = tui_view(h->t, &findings_view);
            feed(h, "5");
            tui_draw(h->t, h->s);
            assert_true(v->shown & 1u << 1);
            for (int i = 0; i < v->page && v->top + i < v->ndisp; i++)
                if (v->disp[v->top + i] >= 0)
                    assert_true(v->colw[1] >= text_width(
                        h->t->res->findings[v->disp[v->top + i]].selector));
        }
        harness_free(h);
    }
}

/* h/l scroll a list too wide for the screen, keeping the first column;
 * z zooms the focused pane; | hides the detail pane. */
static void
test_hscroll_zoom_pane(void **state)
{
    struct harness *h = *state;
    struct view *v = &h->t->views[3];      /* Tiers: nine columns */

    feed(h, "4");
    tui_draw(h->t, h->s);
    assert_true(v->hmore);
    assert_true(v->shown & 1u);
    assert_false(v->shown & 1u << 7);       /* Sovereign, dropped first */
    for (int i = 0; i < 8 && v->hmore; i++) {  /* each key redraws, as in the loop */
        feed(h, "l");
        tui_draw(h->t, h->s);
        assert_int_equal(h->t->focus, FOCUS_LIST);
    }
    assert_true(v->hscroll > 0);
    assert_false(v->hmore);
    assert_true(v->shown & 1u);             /* the name stays */
    assert_true(v->shown & 1u << 7);        /* Sovereign in sight */
    assert_false(v->shown & 1u << 1);       /* Rank scrolled off */
    assert_int_equal(h->t->focus, FOCUS_LIST);
    snap(h, "tiers-scrolled");
    /* at the right end l goes into the pane, h comes back */
    feed(h, "l");
    assert_int_equal(h->t->focus, FOCUS_DETAIL);
    feed(h, "h");
    assert_int_equal(h->t->focus, FOCUS_LIST);
    for (int i = 0; i < 9; i++) {
        feed(h, "h");
        tui_draw(h->t, h->s);
    }
    assert_int_equal(v->hscroll, 0);
    assert_int_equal(h->t->focus, FOCUS_LIST);

    /* z: the list alone; z again: both */
    feed(h, "1z");
    tui_draw(h->t, h->s);
    assert_true(h->t->zoom);
    assert_int_equal(h->t->detail_w, 0);
    snap(h, "datasets-zoomed");
    feed(h, "z");
    tui_draw(h->t, h->s);
    assert_false(h->t->zoom);
    assert_true(h->t->detail_w > 0);
    /* the detail pane zoomed: focus it, z */
    feed(h, "<Enter>z");
    tui_draw(h->t, h->s);
    assert_int_equal(h->t->focus, FOCUS_DETAIL);
    assert_int_equal(h->t->detail_w, h->s->w);
    snap(h, "detail-zoomed");
    feed(h, "z<Esc>");
    /* |: the pane hidden, the list takes the screen; again: back */
    feed(h, "|");
    tui_draw(h->t, h->s);
    assert_true(h->t->pane_hidden);
    assert_int_equal(h->t->detail_w, 0);
    assert_true(tui_view(h->t, &datasets_view)->page > 16);
    feed(h, "|");
    tui_draw(h->t, h->s);
    assert_false(h->t->pane_hidden);
    assert_true(h->t->detail_w > 0);
}

/* s cycles the columns on screen, then the catalog order (said in the
 * header); o lists the columns; Regions sorted by copies across groups. */
static void
test_sort_menu_and_cycle(void **state)
{
    struct harness *h = *state;
    struct view *v = &h->t->views[0];
    int seen = 0;

    feed(h, "1");
    tui_draw(h->t, h->s);
    for (int i = 0; i < 12; i++) {
        feed(h, "s");
        tui_draw(h->t, h->s);
        if (v->sort >= 0)
            assert_true(v->shown & 1u << v->sort);
        else
            seen++;
    }
    assert_true(seen >= 1);
    while (v->sort >= 0)
        feed(h, "s");
    tui_draw(h->t, h->s);
    {
        char *text = screen_snapshot(h->s);
        assert_non_null(strstr(text, "catalog order"));
        free(text);
    }
    /* Findings keep the checker's order: the header says so */
    feed(h, "5");
    tui_draw(h->t, h->s);
    {
        char *text = screen_snapshot(h->s), *line = text;
        for (int y = 0; y <= h->t->views[4].list_y - 1 && line; y++)
            line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL;
        assert_non_null(line);      /* "# WxH" is the snapshot's first line */
        *strchr(line, '\n') = 0;
        assert_non_null(strstr(line, "catalog order"));
        free(text);
    }
    feed(h, "1");
    /* the menu: every sortable column, then the catalog order */
    feed(h, "o");
    assert_int_equal(h->t->dialog.mode, DIALOG_MENU);
    assert_int_equal(h->t->dialog.nchoices, 7);     /* Subjects has no key */
    assert_string_equal(h->t->dialog.choice_text[6], "catalog order (now)");
    snap(h, "sort-menu");
    feed(h, "kkk<Enter>");                          /* from the catalog order up to Copies */
    assert_int_equal(h->t->dialog.mode, DIALOG_NONE);
    assert_int_equal(v->sort, 4);
    assert_false(v->desc);
    feed(h, "o<Enter>");                            /* the same again: reversed */
    assert_int_equal(v->sort, 4);
    assert_true(v->desc);

    /* Regions by copies: one list, no country headers, most copies first */
    v = &h->t->views[2];
    feed(h, "3");
    assert_true(v->ndisp > v->nrows);               /* grouped by country */
    feed(h, "o");
    for (int i = 0; i < h->t->dialog.nchoices; i++)
        if (strncmp(h->t->dialog.choice_text[i], "Copies", 6) == 0)
            h->t->dialog.choice = i;
    feed(h, "<Enter>o<Enter>");
    assert_true(v->desc);
    assert_int_equal(v->ndisp, v->nrows);           /* no group headers */
    for (int32_t i = 1; i < v->nrows; i++)
        assert_true(h->t->rg_copies[v->rows[i - 1]] >= h->t->rg_copies[v->rows[i]]);
    assert_int_equal(h->t->rg_copies[v->rows[0]], 2);
    snap(h, "regions-by-copies");
}

/* 9: waivers, live then expired, with owner and expiry. */
static void
test_waivers_view(void **state)
{
    struct harness *h = *state;
    struct view *v = &h->t->views[8];
    int32_t w;

    assert_ptr_equal(v->ops, &waivers_view);
    select_finding(h, "RES001", "loyalty_members@aws:us-east-1");
    feed(h, "w<Down>US analytics signed off<Enter>");
    w = model_waiver(h->m, "RES001:loyalty_members@aws:us-east-1");
    assert_true(w >= 0);
    feed(h, "9");
    assert_int_equal(v->nrows, 1);
    assert_int_equal(v->disp[0], -1);               /* the Live group */
    snap(h, "waivers-live");
    /* its detail lists the finding it hides */
    assert_non_null(strstr(h->t->detail.title, "RES001:loyalty_members@aws:us-east-1"));
    {
        bool hides = false;
        for (int i = 0; i < h->t->detail.n; i++)
            hides |= h->t->detail.line[i].ref == REF_FINDING;
        assert_true(hides);
    }
    /* a year later it has expired */
    h->t->today = h->m->waivers[w].expires + 10000;
    h->t->gen++;
    view_rebuild(h->t, v);
    assert_int_equal(v->disp[0], -2);               /* the Expired group */
    snap(h, "waivers-expired");
    /* sortable by owner and expiry */
    feed(h, "o");
    {
        bool owner = false, expires = false;
        for (int i = 0; i < h->t->dialog.nchoices; i++) {
            owner |= strncmp(h->t->dialog.choice_text[i], "Owner", 5) == 0;
            expires |= strncmp(h->t->dialog.choice_text[i], "Expires", 7) == 0;
        }
        assert_true(owner && expires);
    }
    feed(h, "<Esc>");
}

/* A number column of many distinct values (more than a row's place holds
 * beside its id: the sort pairs take it) and of few (counted in place),
 * both ways, against a sort from scratch: the waivers by expiry. */
static void
test_sort_numbers_many_few(void **state)
{
    struct harness *h = *state;
    struct view *v = &h->t->views[8];

    assert_ptr_equal(v->ops, &waivers_view);
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < 300; i++) {
            struct waiver w;
            char obj[32];
            memset(&w, 0, sizeof w);
            snprintf(obj, sizeof obj, "obj-%d-%d", pass, i);
            w.rule = "RES001";
            w.object = obj;
            w.owner = "me";
            w.reason = "test";
            /* pass 0: 3 dates and "never"; pass 1: 200 dates */
            w.expires = i % 7 == 0 ? 0 : pass ? 20270101 + (i * 37) % 200 : 20270101 + i % 3;
            assert_int_equal(model_add_waiver(h->m, &w, NULL, NULL), SM_OK);
        }
        tui_recheck(h->t);
        feed(h, "9");
        for (int desc = 0; desc < 2; desc++) {
            v->sort = 2;
            v->desc = desc;
            h->t->gen++;
            view_rebuild(h->t, v);
            check_view_order(h, 8);
        }
    }
}

/* A scenario whose ops no longer apply is marked broken, with the reason
 * in its detail; the others read ok. */
static void
test_scenarios_broken(void **state)
{
    struct harness *h = *state;
    struct view *v = &h->t->views[7];
    struct scenario sc = { 0 };
    const char *op[] = { "move", "orders", "aws:us-east-1", "aws:eu-central-1" };
    int32_t sid;
    char *text;

    sc.name = "stale";
    sc.base = "";
    sc.description = "orders has no copy in us-east-1";
    assert_int_equal(model_add_scenario(h->m, &sc, &sid, NULL), SM_OK);
    assert_int_equal(model_scenario_append(h->m, sid, 4, op, NULL), SM_OK);
    h->t->gen++;
    feed(h, "8");
    view_rebuild(h->t, v);
    view_select_row(h->t, v, sid);
    tui_draw(h->t, h->s);
    text = screen_snapshot(h->s);
    assert_non_null(strstr(text, "broken"));
    assert_non_null(strstr(text, "aws:us-east-1"));     /* the reason, in the pane */
    free(text);
    snap(h, "scenarios-broken");
    view_select_row(h->t, v, model_scenario(h->m, "repatriate"));
    tui_draw(h->t, h->s);
    {
        bool broken = false;
        for (int i = 0; i < h->t->detail.n; i++)
            broken |= strcmp(h->t->detail.line[i].label, "broken") == 0;
        assert_false(broken);
    }
}

/* A 322-character name: the pane gives it whole (wrapped), not cut. */
static void
test_detail_long_name(void **state)
{
    struct harness *h = *state;
    char name[323], *text, *flat;
    int32_t id;
    size_t k = 0;

    for (int i = 0; i < 322; i++)
        name[i] = (char)('a' + i % 26);
    name[322] = 0;
    id = dataset(h->m, name, "public", "EU", "long");
    h->t->gen++;
    feed(h, "1");
    view_rebuild(h->t, &h->t->views[0]);
    view_select_row(h->t, &h->t->views[0], id);
    tui_draw(h->t, h->s);
    assert_non_null(h->t->detail.title);
    assert_string_equal(h->t->detail.title + strlen("dataset "), name);
    assert_string_equal(h->t->detail.line[0].label, "name");
    assert_string_equal(h->t->detail.line[0].text, name);
    /* on screen: the pane's lines, joined, hold all of it */
    text = NULL;
    flat = calloc((size_t)h->s->w * (size_t)h->s->h + 1, 1);
    for (int y = h->t->detail_y + 1; y < h->t->detail_y + h->t->detail_h; y++)
        for (int x = h->t->detail_x; x < h->t->detail_x + h->t->detail_w; x++) {
            const struct cell *c = screen_at(h->s, x, y);
            if (c && c->cp >= 'a' && c->cp <= 'z')
                flat[k++] = (char)c->cp;
        }
    assert_non_null(strstr(flat, name));
    free(flat);
    free(text);
}

/* The pane breaks a long line between tokens, never inside a region id. */
static void
test_detail_wrap_tokens(void **state)
{
    struct harness *h = *state;
    char *text;

    feed(h, "2|");
    feed(h, "|");
    tui_draw(h->t, h->s);
    text = screen_snapshot(h->s);
    assert_null(strstr(text, "aws:eu-ce\n"));
    assert_null(strstr(text, "aws:eu-cen\n"));
    assert_non_null(strstr(text, "aws:eu-central-1"));
    free(text);
}

/* ---- editing ------------------------------------------------------------------- */

static void
test_add_replica_undo(void **state)
{
    struct harness *h = *state;
    int e0, w0, x0, e1, w1, x1;

    tui_counts(h->t, &e0, &w0, &x0);
    /* orders is the second row sorted by name; c adds a copy of it. */
    feed(h, "/orders<Enter>c");
    assert_true(h->t->form.open);
    snap(h, "form-add-copy");
    feed(h, "aws:us-e<Tab><Down>replica<Enter>");
    if (h->t->form.open)
        fail_msg("form still open: %s", h->t->form.error);
    assert_true(model_placement(h->m, "orders@aws:us-east-1") >= 0);
    tui_counts(h->t, &e1, &w1, &x1);
    assert_true(e1 > e0);
    assert_non_null(strstr(tui_message(h->t), "error"));
    assert_non_null(strstr(tui_message(h->t), "orders@aws:us-east-1"));
    snap(h, "after-add-replica");
    feed(h, "u");
    assert_true(model_placement(h->m, "orders@aws:us-east-1") < 0);
    tui_counts(h->t, &e1, &w1, &x1);
    assert_int_equal(e1, e0);
    assert_non_null(strstr(tui_message(h->t), "undone"));
    feed(h, "<C-r>");
    assert_true(model_placement(h->m, "orders@aws:us-east-1") >= 0);
}

static void
test_form_inline_error(void **state)
{
    struct harness *h = *state;
    int32_t n = h->m->nplacements;

    feed(h, "/orders<Enter>c");
    feed(h, "aws:eu-west-9<Enter>");
    assert_true(h->t->form.open);
    assert_int_equal(h->m->nplacements, n);
    assert_true(h->t->form.error[0] != 0);
    assert_int_equal(h->t->form.error_field, 1);
    snap(h, "form-error");
    feed(h, "<Esc>y");          /* changed fields: y discards them */
    assert_false(h->t->form.open);
    /* Leaving a field checks it at once. */
    feed(h, "c<C-u>aws:eu-wst-1<Down>");
    assert_int_equal(h->t->form.error_field, 1);
    assert_non_null(strstr(h->t->form.error, "did you mean aws:eu-west-1?"));
    feed(h, "<Up><C-u>aws:eu-west-1<Down>");
    assert_int_equal(h->t->form.error_field, -1);
    feed(h, "<Esc>");
}

static void
test_add_dataset_form(void **state)
{
    struct harness *h = *state;
    int32_t id;

    feed(h, "a");
    snap(h, "form-add-dataset");
    feed(h, "payments<Down>con<Tab><Down>EU,BR<Enter>");
    assert_false(h->t->form.open);
    id = model_dataset(h->m, "payments");
    assert_true(id >= 0);
    assert_string_equal(model_tier_name(h->m, h->m->datasets[id].tier), "confidential");
    /* Edit it: change the system; only changed attributes are sent. */
    feed(h, "e<Down><Down>billing<Enter>");
    assert_string_equal(h->m->datasets[id].system, "billing");
    /* The Art. 30 rows: purpose and legal basis, the last two of the form. */
    feed(h, "e<Down><Down><Down><Down><Down><Down><Down><Down>card payments<Down>contract<Enter>");
    assert_false(h->t->form.open);
    assert_string_equal(h->m->datasets[id].purpose, "card payments");
    assert_int_equal(h->m->datasets[id].legal_basis, LB_CONTRACT);
}

/* Ctrl-Z in a half-typed form suspends (regression: the form swallowed
 * it); the form and its text are still there after. */
static void
test_suspend_in_form(void **state)
{
    struct harness *h = *state;
    struct key z = { .code = TK_CTRL('z') };

    feed(h, "ahalf_typed");
    assert_true(h->t->form.open);
    assert_int_equal(tui_key(h->t, &z) & TUI_SUSPEND, TUI_SUSPEND);
    assert_true(h->t->form.open);
    assert_int_equal(model_dataset(h->m, "half_typed"), SM_NONE);
    feed(h, "/");
    assert_int_equal(tui_key(h->t, &z) & TUI_SUSPEND, TUI_SUSPEND);
    feed(h, "<Esc>y");          /* changed fields: y discards them */
    assert_false(h->t->form.open);
    assert_int_equal(model_dataset(h->m, "half_typed"), SM_NONE);
}

static void
test_delete_confirm(void **state)
{
    struct harness *h = *state;
    int32_t id = model_dataset(h->m, "telemetry");

    feed(h, "/tele<Enter>D");
    assert_int_equal(h->t->dialog.mode, DIALOG_CONFIRM);
    snap(h, "confirm-delete");
    feed(h, "n");
    assert_false(h->m->datasets[id].deleted);
    feed(h, "Dy");
    assert_true(h->m->datasets[id].deleted);
    feed(h, "u");
    assert_false(h->m->datasets[id].deleted);
    assert_true(model_placement(h->m, "telemetry@aws:sa-east-1") >= 0);
}

/* ---- quick actions from a finding ------------------------------------------------- */

static void
test_fix_from_finding(void **state)
{
    struct harness *h = *state;
    int e0, w0, x0, e1, w1, x1;

    tui_counts(h->t, &e0, &w0, &x0);
    select_finding(h, "RES001", "loyalty_members@aws:us-east-1");
    feed(h, "f");
    assert_int_equal(h->t->dialog.mode, DIALOG_FIX);
    assert_true(h->t->dialog.nchoices >= 1);
    snap(h, "fix-preview");
    feed(h, "<Enter>");
    tui_counts(h->t, &e1, &w1, &x1);
    assert_true(e1 < e0);
    assert_true(model_placement(h->m, "loyalty_members@aws:us-east-1") < 0);
    assert_non_null(strstr(tui_message(h->t), "-"));
}

/* CLS001 admits no automatic fix (rule_fixes[] in rules.h, as the planner
 * says): even when lineage names the floor tier, classifying is a person's
 * decision, so the quick fix offers nothing and points to e. */
static void
test_fix_cls001_none(void **state)
{
    struct model *m = tl_small_model();
    struct harness *h;
    int32_t un, fi;

    (void)state;
    build(m);
    un = model_dataset(m, "unclassified\x1b[31m");
    tl_add_flow(m, "feed", model_placement(m, "orders@aws:eu-west-1"),
                place(m, un, "aws:eu-west-1", ROLE_PRIMARY, true), SM_NONE, FLOW_ETL, NULL, NULL);
    h = harness_new_model(80, 24, m);
    fi = select_finding(h, "CLS001", "unclassified\x1b[31m");
    assert_int_equal(h->t->res->findings[fi].fix.tier, model_tier(m, "restricted"));
    feed(h, "f");
    assert_int_not_equal(h->t->dialog.mode, DIALOG_FIX);
    assert_non_null(strstr(tui_message(h->t), "no automatic fix for CLS001"));
    harness_free(h);
}

static void
test_waive(void **state)
{
    struct harness *h = *state;
    int e0, w0, x0, e1, w1, x1;

    tui_counts(h->t, &e0, &w0, &x0);
    select_finding(h, "RES001", "loyalty_members@aws:us-east-1");
    feed(h, "w");
    assert_true(h->t->form.open);
    snap(h, "form-waive");
    feed(h, "<Down>US analytics signed off<Enter>");
    assert_false(h->t->form.open);
    tui_counts(h->t, &e1, &w1, &x1);
    assert_int_equal(e1, e0 - 1);
    assert_int_equal(x1, x0 + 1);
    assert_true(model_waiver(h->m, "RES001:loyalty_members@aws:us-east-1") >= 0);
    /* The waived finding's detail names its waiver: delete it from there. */
    select_finding(h, "RES001", "loyalty_members@aws:us-east-1");
    feed(h, "<Enter>");
    while (h->t->detail.sel >= 0 && h->t->detail.line[h->t->detail.sel].ref != OBJ_WAIVER) {
        int before = h->t->detail.sel;
        feed(h, "j");
        if (h->t->detail.sel == before)
            fail_msg("no waiver line in the finding's detail");
    }
    feed(h, "Dy");
    assert_true(model_waiver(h->m, "RES001:loyalty_members@aws:us-east-1") < 0);
    tui_counts(h->t, &e1, &w1, &x1);
    assert_int_equal(e1, e0);
    assert_int_equal(x1, x0);
}

/* ---- command line, export, resize ----------------------------------------------- */

static void
test_scenario_diff(void **state)
{
    struct harness *h = *state;

    feed(h, "8<Enter>");
    snap(h, "scenario-detail");
    feed(h, "d");
    assert_string_equal(h->last_command, "scenario|diff|repatriate");
    assert_int_equal(h->t->dialog.mode, DIALOG_PAGER);
}

static void
test_command_line(void **state)
{
    struct harness *h = *state;

    feed(h, ":log --limit '3 4'<Enter>");
    assert_int_equal(h->commands, 1);
    assert_string_equal(h->last_command, "log|--limit|3 4");
    assert_int_equal(h->t->dialog.mode, DIALOG_PAGER);
    snap(h, "command-output");
}

static void
test_export(void **state)
{
    struct harness *h = *state;
    const char *path = tl_path(tl_tmpdir(), "map.md");
    char script[600];
    char *text;

    feed(h, "x");
    assert_int_equal(h->t->dialog.mode, DIALOG_MENU);
    snap(h, "export-menu");
    /* Residency map (Markdown) is the fifth item for a dataset row. */
    snprintf(script, sizeof script, "jjjj<Enter><C-u>%s<Enter>", path);
    feed(h, script);
    text = tl_slurp(path, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "orders"));
    free(text);
    assert_non_null(strstr(tui_message(h->t), path));
    /* the tier-to-region mapping is the sixth */
    path = tl_path(tl_tmpdir(), "tiers.md");
    snprintf(script, sizeof script, "xjjjjj<Enter><C-u>%s<Enter>", path);
    feed(h, script);
    text = tl_slurp(path, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "# Tier-to-region mapping"));
    assert_non_null(strstr(text, "## restricted"));
    free(text);
}

static void
test_resize_and_too_small(void **state)
{
    struct harness *h = *state;
    struct key k = { TK_RESIZE, 80, 24 };

    tui_draw(h->t, h->s);
    assert_int_equal(screen_resize(h->s, 80, 24), SM_OK);
    tui_key(h->t, &k);
    assert_screen(h, "resize-120-to-80x24");
    assert_int_equal(screen_resize(h->s, 60, 20), SM_OK);
    assert_screen(h, "too-small-60x20");
    assert_true(h->t->too_small);
    feed(h, "j");        /* ignored while too small */
    assert_int_equal(screen_resize(h->s, 120, 40), SM_OK);
    tui_draw(h->t, h->s);
    assert_false(h->t->too_small);
}

static void
test_mouse(void **state)
{
    struct harness *h = *state;
    struct key k = { TK_CLICK, 0, 0 };

    tui_draw(h->t, h->s);
    k.x = h->t->tabs_x[4] + 1;
    tui_key(h->t, &k);
    assert_int_equal(h->t->cur, 4);
    tui_draw(h->t, h->s);
    k.x = 2;
    k.y = h->t->views[4].list_y + 2;
    tui_key(h->t, &k);
    assert_int_equal(h->t->views[4].sel, 2);
    k.code = TK_WHEEL_DOWN;
    tui_key(h->t, &k);
    assert_true(h->t->views[4].sel > 2);
}

static void
test_hostile_names(void **state)
{
    struct harness *h = *state;
    char *big = malloc(12000), *text;
    size_t k = 0;
    int32_t id;

    /* 10 KB of wide characters, a newline, markup, an escape sequence. */
    while (k + 3 < 10000) {
        memcpy(big + k, "名", 3);
        k += 3;
    }
    snprintf(big + k, 12000 - k, "%s", "\n<script>\x1b[2J\"; DROP TABLE dataset; --");
    id = dataset(h->m, big, "restricted", "EU", big);
    place(h->m, id, "aws:us-east-1", ROLE_PRIMARY, false);
    tui_recheck(h->t);
    for (const char *v = "12345678"; *v; v++) {
        char keys[8] = { *v, 'G', 0 };
        feed(h, keys);
        feed(h, "<Enter>");
        tui_draw(h->t, h->s);
        text = malloc(screen_text(h->s, NULL, 0) + 1);
        screen_text(h->s, text, screen_text(h->s, NULL, 0) + 1);
        for (const char *p = text; *p; p++)
            if ((unsigned char)*p < 0x20 && *p != '\n')
                fail_msg("raw control byte 0x%02x on the screen of view %c", *p, *v);
        free(text);
        feed(h, "<Esc>");
    }
    free(big);
}

/* ---- scenario mode ------------------------------------------------------------ */

/* The base catalog as model-json, without the scenarios' ops (they are
 * where the mode's edits go). */
static char *
base_json(struct harness *h)
{
    int32_t sid = model_scenario(h->m, "repatriate");
    uint32_t nops = h->m->scenarios[sid].nops;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    h->m->scenarios[sid].nops = 1;
    assert_int_equal(model_json_write(h->m, f, NULL), SM_OK);
    h->m->scenarios[sid].nops = nops;
    fclose(f);
    return buf;
}

static void
enter_repatriate(struct harness *h)
{
    feed(h, "8s");
    assert_true(h->t->scen.on);
    assert_string_equal(h->t->scen.name, "repatriate");
    assert_ptr_not_equal(h->t->m, h->m);
    assert_ptr_equal(h->t->scen.base, h->m);
}

static void
test_scenario_mode(void **state)
{
    struct harness *h = *state;
    int e0, w0, wv0, e1, w1, wv1;

    tui_counts(h->t, &e0, &w0, &wv0);
    enter_repatriate(h);
    assert_non_null(strstr(tui_message(h->t), "scenario repatriate: +0 errors"));
    snap(h, "scenario-mode-enter");
    /* Every view shows the scenario: the replica moved to aws:eu-west-1. */
    feed(h, "6");
    snap(h, "scenario-mode-map");
    tui_counts(h->t, &e1, &w1, &wv1);
    assert_true(e1 < e0);
    /* Esc (no filter, list focused) leaves; the base is as it was. */
    feed(h, "<Esc>");
    assert_false(h->t->scen.on);
    assert_ptr_equal(h->t->m, h->m);
    tui_counts(h->t, &e1, &w1, &wv1);
    assert_int_equal(e1, e0);
    assert_int_equal(w1, w0);
    assert_non_null(strstr(tui_message(h->t), "left scenario repatriate"));
    snap(h, "scenario-mode-left");
    /* W enters from the Scenarios view and leaves from anywhere. */
    feed(h, "8W1W");
    assert_false(h->t->scen.on);
    /* A `:` command in the mode runs on the catalog; the mode stays. */
    feed(h, "8s:log<Enter>");
    assert_true(h->t->scen.on);
    assert_string_equal(h->last_command, "log");
    assert_int_equal(h->t->dialog.mode, DIALOG_PAGER);
    assert_ptr_not_equal(h->t->m, h->m);
    feed(h, "qW");
    assert_false(h->t->scen.on);
    assert_ptr_equal(h->t->m, h->m);
    tui_counts(h->t, &e1, &w1, &wv1);
    assert_int_equal(e1, e0);
}

static void
test_scenario_edit(void **state)
{
    struct harness *h = *state;
    int32_t sid = model_scenario(h->m, "repatriate");
    char *before = base_json(h), *after;
    int32_t nflows = 0;

    enter_repatriate(h);
    /* A copy added through the form: an add-placement op of the scenario. */
    feed(h, "1/orders<Enter>c");
    assert_true(h->t->form.open);
    feed(h, "aws:us-e<Tab><Down>replica<Enter>");
    if (h->t->form.open)
        fail_msg("form still open: %s", h->t->form.error);
    assert_int_equal(h->m->scenarios[sid].nops, 2);
    assert_string_equal(h->m->scenarios[sid].ops[1].v[0], "add-placement");
    assert_true(model_placement(h->m, "orders@aws:us-east-1") < 0);
    assert_true(model_placement(h->t->m, "orders@aws:us-east-1") >= 0);
    assert_true(h->t->scen.cs.diff->count[SDIFF_NEW][SEV_ERROR] > 0);
    assert_non_null(strstr(tui_message(h->t), "scenario repatriate:"));
    snap(h, "scenario-mode-add-copy");
    feed(h, "<Esc>");           /* clears the filter; still in the mode */
    assert_true(h->t->scen.on);
    /* Delete the flow: a remove-flow op of the scenario, not a deletion. */
    feed(h, "2D");
    assert_int_equal(h->t->dialog.mode, DIALOG_CONFIRM);
    feed(h, "y");
    assert_int_equal(h->m->scenarios[sid].nops, 3);
    assert_string_equal(h->m->scenarios[sid].ops[2].v[0], "remove-flow");
    for (int32_t f = 0; f < h->t->m->nflows; f++)
        nflows += !h->t->m->flows[f].deleted;
    assert_int_equal(nflows, 0);
    assert_int_equal(h->m->flows[0].deleted, 0);
    after = base_json(h);
    assert_string_equal(before, after);
    free(after);
    snap(h, "scenario-mode-edit");
    /* An edit the ops cannot say is refused, and nothing is stored. */
    feed(h, "1D");
    if (h->t->dialog.mode == DIALOG_CONFIRM)
        feed(h, "y");
    assert_true(strstr(tui_message(h->t), "cannot go into scenario repatriate") != NULL);
    assert_int_equal(h->m->scenarios[sid].nops, 3);
    /* Undo takes the ops back out, the ones added in this visit only. */
    feed(h, "u");
    assert_int_equal(h->m->scenarios[sid].nops, 2);
    feed(h, "u");
    assert_int_equal(h->m->scenarios[sid].nops, 1);
    feed(h, "u");
    assert_non_null(strstr(tui_message(h->t), "nothing to undo"));
    assert_int_equal(h->m->scenarios[sid].nops, 1);
    feed(h, "W");
    assert_false(h->t->scen.on);
    after = base_json(h);
    assert_string_equal(before, after);
    free(after);
    free(before);
}

/* In the mode a tier edit is one set-tier-policy op (issue 22): the
 * stricter mapping is tried in the scenario, the catalog's tier stays. */
static void
test_scenario_tier_policy(void **state)
{
    struct harness *h = *state;
    int32_t sid = model_scenario(h->m, "repatriate"), tier;
    char *before = base_json(h), *after;
    const struct sm_strv *op;

    enter_repatriate(h);
    feed(h, "4e<Down><Down><C-u>region<Enter>");
    /* the impact preview asks first (the same as outside the mode) */
    assert_int_equal(h->t->dialog.mode, DIALOG_CONFIRM);
    feed(h, "y");
    if (h->t->form.open)
        fail_msg("form still open: %s", h->t->form.error);
    assert_int_equal(h->m->scenarios[sid].nops, 2);
    op = &h->m->scenarios[sid].ops[1];
    assert_int_equal(op->n, 3);
    assert_string_equal(op->v[0], "set-tier-policy");
    assert_string_equal(op->v[2], "scope=region");
    tier = model_tier(h->t->m, op->v[1]);
    assert_true(tier >= 0);
    assert_int_equal(h->t->m->tiers[tier].scope, SCOPE_REGION);
    assert_int_not_equal(h->m->tiers[model_tier(h->m, op->v[1])].scope, SCOPE_REGION);
    assert_non_null(strstr(tui_message(h->t), "set-tier-policy"));
    feed(h, "u");
    assert_int_equal(h->m->scenarios[sid].nops, 1);
    feed(h, "W");
    after = base_json(h);
    assert_string_equal(before, after);
    free(after);
    free(before);
}

static void
test_scenario_diff_view(void **state)
{
    struct harness *h = *state;

    enter_repatriate(h);
    tui_draw(h->t, h->s);       /* the pane's columns follow the screen */
    feed(h, "d");
    assert_int_equal(h->t->dialog.mode, DIALOG_PAGER);
    assert_int_equal(h->commands, 0);
    assert_non_null(strstr(h->t->dialog.text, "resolved (base"));
    assert_non_null(strstr(h->t->dialog.text, "moved"));
    snap(h, "scenario-mode-diff");
    feed(h, "q");
    /* The export menu offers the change diagram in the mode. */
    feed(h, "1x");
    assert_int_equal(h->t->dialog.mode, DIALOG_MENU);
    assert_non_null(strstr(h->t->dialog.choice_text[h->t->dialog.nchoices - 1],
                           "Change diagram"));
    feed(h, "<Esc>");
}

#define BOTH(fn) cmocka_unit_test_setup_teardown(fn, setup80, teardown), \
                 cmocka_unit_test_setup_teardown(fn, setup120, teardown)
#define ALL3(fn) BOTH(fn), cmocka_unit_test_setup_teardown(fn, setup200, teardown)
#define AT80(fn) cmocka_unit_test_setup_teardown(fn, setup80, teardown)
#define AT120(fn) cmocka_unit_test_setup_teardown(fn, setup120, teardown)


/* ---- a tier edit's impact, before saving (issue 22) ------------------------------- */

/* Errors of `after` not in `before` (by rule and selector), live only. */
static int32_t
errors_only_in(const struct check_result *after, const struct check_result *before)
{
    int32_t n = 0;

    for (int32_t i = 0; i < after->nfindings; i++) {
        const struct finding *a = &after->findings[i];
        bool seen = false;
        if (a->waived || a->severity != SEV_ERROR)
            continue;
        for (int32_t j = 0; j < before->nfindings && !seen; j++)
            seen = !before->findings[j].waived && strcmp(before->findings[j].rule, a->rule) == 0 &&
                strcmp(before->findings[j].selector, a->selector) == 0;
        n += !seen;
    }
    return n;
}

/* Open tier `name`'s form on the Tiers view and set `attr` to value;
 * Enter then shows the impact. */
static void
edit_tier(struct harness *h, const char *name, const char *attr, const char *value)
{
    char script[256];

    feed(h, "4<Esc>");          /* the Tiers view, no filter left */
    snprintf(script, sizeof script, "/%s<Enter>e", name);
    feed(h, script);
    if (!h->t->form.open)
        fail_msg("no form: view %d, message %s", h->t->cur, tui_message(h->t));
    for (int i = 0; i < 30 && strcmp(h->t->form.f[h->t->form.cur].label, attr) != 0; i++)
        feed(h, "<Down>");
    assert_string_equal(h->t->form.f[h->t->form.cur].label, attr);
    snprintf(script, sizeof script, "<C-u>%s<Enter>", value);
    feed(h, script);
}

static void
test_tier_impact(void **state)
{
    struct harness *h = harness_demo(120, 40);
    struct model *m;
    struct check_result *before, *after;
    SM_ERROR(err);
    int32_t t = model_tier(h->m, "confidential"), nnew, ngone;
    char want[128];

    (void)state;
    assert_true(t != SM_NONE);
    /* what a full check of the demo with confidential at bloc says */
    assert_int_equal(model_clone(h->m, &m), SM_OK);
    assert_int_equal(model_set(m, OBJ_TIER, t, "scope", "bloc", &err), SM_OK);
    before = tl_check(h->m);
    after = tl_check(m);
    nnew = errors_only_in(after, before);
    ngone = errors_only_in(before, after);
    assert_true(nnew > 0);
    assert_int_equal(before->stats.count[SEV_ERROR] + nnew - ngone, after->stats.count[SEV_ERROR]);

    edit_tier(h, "confidential", "scope", "bloc");
    /* not saved yet: the impact is shown first */
    assert_int_equal(h->t->dialog.mode, DIALOG_CONFIRM);
    assert_int_equal(h->m->tiers[t].scope, SCOPE_ADEQUATE);
    snprintf(want, sizeof want, "+%d errors, -%d errors", (int)nnew, (int)ngone);
    assert_non_null(strstr(h->t->dialog.choice_text[0], want));
    assert_non_null(strstr(h->t->dialog.text, want));
    assert_non_null(strstr(h->t->dialog.text, "RES001  loyalty_transactions_eu@aws:eu-west-2"));
    snap(h, "tier-impact");
    /* y saves, and the live check agrees with the full one */
    feed(h, "y");
    assert_int_equal(h->t->dialog.mode, DIALOG_NONE);
    assert_int_equal(h->m->tiers[t].scope, SCOPE_BLOC);
    assert_int_equal(h->t->res->stats.count[SEV_ERROR], after->stats.count[SEV_ERROR]);
    /* loosening it again: the same findings go; Esc keeps the catalog */
    edit_tier(h, "confidential", "scope", "adequate");
    assert_int_equal(h->t->dialog.mode, DIALOG_CONFIRM);
    snprintf(want, sizeof want, "+%d errors, -%d errors", (int)ngone, (int)nnew);
    assert_non_null(strstr(h->t->dialog.choice_text[0], want));
    feed(h, "<Esc>");
    assert_int_equal(h->t->dialog.mode, DIALOG_NONE);
    assert_int_equal(h->m->tiers[t].scope, SCOPE_BLOC);
    check_result_free(before);
    check_result_free(after);
    model_free(m);
    harness_free(h);
}

/* The finding of rule (in a "RES001, XFR002" list) on placement p. */
static bool
placement_fires(const struct check_result *r, int32_t p, const char *rules)
{
    for (int32_t i = 0; i < r->nfindings; i++) {
        const struct finding *f = &r->findings[i];
        if (f->kind == OBJ_PLACEMENT && f->object == p && strstr(rules, f->rule))
            return true;
    }
    return false;
}

/* M: the tier x region matrix (issue #22) as data, drawn as a grid; the
 * rows cover every copy of their datasets once; Enter on a cell lists its
 * copies and why, Esc comes back to the matrix and closes it; t shows the
 * row's tier per role as text (export tiers --tier). */
static void
test_tier_matrix(void **state)
{
    struct harness *h = harness_demo(120, 40);
    const struct tier_matrix *mx;
    int32_t conf = model_tier(h->m, "confidential"), row, col = -1, moves;
    char keys[8];

    (void)state;
    feed(h, "1M");                      /* no tier selected: the first row */
    mx = h->t->matrix.mx;
    assert_non_null(mx);
    assert_int_equal(h->t->matrix.row, 0);
    assert_true(mx->nrows > 1 && mx->ncols > 1);
    /* every copy of a row's datasets is in exactly one of its cells */
    for (int32_t r = 0; r < mx->nrows; r++) {
        int32_t want = 0, got = 0;
        for (int32_t k = 0; k < mx->rows[r].ndatasets; k++)
            for (int32_t p = h->m->datasets[mx->rows[r].datasets[k]].first_placement;
                 p != SM_NONE; p = h->m->placements[p].next)
                want += !h->m->placements[p].deleted;
        for (int32_t c = 0; c < mx->ncols; c++)
            got += tier_matrix_cell(mx, r, c)->ncopies;
        assert_int_equal(got, want);
    }
    /* a copy where none may be fires one of the rules the matrix names */
    for (int32_t i = 0; i < mx->ncopies; i++)
        if (mx->copies[i].status == WHERE_ST_FORBIDDEN)
            assert_true(placement_fires(h->t->res, mx->copies[i].placement, mx->copies[i].law));
    feed(h, "<Esc>");
    assert_null(h->t->matrix.mx);
    /* on a tier: its first row */
    feed(h, "4<Esc>/confidential<Enter>M");
    mx = h->t->matrix.mx;
    assert_non_null(mx);
    row = h->t->matrix.row;
    assert_int_equal(mx->rows[row].tier, conf);
    /* a cell with a copy where none may be */
    for (int32_t r = 0; r < mx->nrows && col < 0; r++)
        for (int32_t c = 0; c < mx->ncols && col < 0; c++)
            if (tier_matrix_cell(mx, r, c)->ncopies > 0 &&
                tier_matrix_cell(mx, r, c)->status == WHERE_ST_FORBIDDEN) {
                row = r;
                col = c;
            }
    assert_true(col >= 0);
    feed(h, "g");
    for (moves = 0; moves < row; moves++)
        feed(h, "j");
    for (moves = 0; moves < col; moves++)
        feed(h, "l");
    assert_int_equal(h->t->matrix.row, row);
    assert_int_equal(h->t->matrix.col, col);
    snap(h, "tier-matrix");
    snprintf(keys, sizeof keys, "<Enter>");
    feed(h, keys);
    assert_int_equal(h->t->dialog.mode, DIALOG_PAGER);
    {
        const struct tier_matrix_cell *c = tier_matrix_cell(mx, row, col);
        for (int32_t k = 0; k < c->ncopies; k++) {
            const struct tier_matrix_copy *cp = &mx->copies[c->first + k];
            char want[300];
            snprintf(want, sizeof want, "%s@%s (%s): %s", h->m->datasets[cp->dataset].name,
                     h->m->regions[cp->region].id, cp->role,
                     cp->status == WHERE_ST_FORBIDDEN ? "forbidden by " : "allowed");
            assert_non_null(strstr(h->t->dialog.text, want));
            if (cp->status == WHERE_ST_FORBIDDEN)
                assert_non_null(strstr(h->t->dialog.text, cp->law));
        }
    }
    snap(h, "tier-matrix-cell");
    feed(h, "<Esc>");                   /* back to the matrix */
    assert_int_equal(h->t->dialog.mode, DIALOG_NONE);
    assert_non_null(h->t->matrix.mx);
    feed(h, "t");                       /* the tier per role, as text */
    assert_int_equal(h->t->dialog.mode, DIALOG_PAGER);
    {
        char want[200];
        const char *tn = h->m->tiers[mx->rows[row].tier].name;
        snprintf(want, sizeof want, "Tier %s x regions, per role", tn);
        assert_string_equal(h->t->dialog.title, want);
        snprintf(want, sizeof want, "\ntier %s\n", tn);
        assert_non_null(strstr(h->t->dialog.text, want));
        snprintf(want, sizeof want, "\n  %s subjects (%d datasets)\n", mx->rows[row].subjects,
                 (int)mx->rows[row].ndatasets);
        assert_non_null(strstr(h->t->dialog.text, want));
    }
    feed(h, "q<Esc>");
    assert_int_equal(h->t->dialog.mode, DIALOG_NONE);
    assert_null(h->t->matrix.mx);
    harness_free(h);
}

/* The matrix at 80x24: fewer columns, the cursor's column scrolls into
 * view (l past the last one on screen). */
/* Edits through tui_apply, undo and redo on name lists of more than
 * PARTIAL_MIN rows: what an edit leaves alone (model_rows_kept: an
 * attribute, a copy added, a waiver) keeps the lists' signatures, filter
 * texts and rows without a pass over them; what it changes (a copy
 * removed hides its flows, a dataset removed) does not. Every step
 * against orders and filters made from scratch. */
static void
apply_ok(struct harness *h, enum edit_op op, enum obj_kind kind, const char *key,
         const char *attr, const char *val)
{
    struct edit e = { .op = op, .kind = kind, .key = key, .nattrs = attr ? 1 : 0 };

    e.attrs[0].name = attr;
    e.attrs[0].value = val;
    if (tui_apply(h->t, &e, NULL) != SM_OK)
        fail_msg("%s %s: %s", key, attr ? attr : "", tui_message(h->t));
}

static void
check_lists(struct harness *h, const char *filter)
{
    /* the map first: the datasets view then takes its rows from it */
    static const int views[] = { 5, 0, 1 };
    for (int i = 0; i < 3; i++) {
        int vi = views[i];
        struct view *v = &h->t->views[vi];
        char key[2] = { (char)('1' + vi), 0 };
        feed(h, key);
        view_ensure(h->t, v);
        check_view_order(h, vi);
        if (filter && vi != 5) {
            feed(h, "/");
            for (const char *c = filter; *c; c++) {
                char k[2] = { *c, 0 };
                feed(h, k);
                check_filter(h, v);
            }
            feed(h, "<Esc>");
            check_filter(h, v);
        }
    }
    feed(h, "1");
}

static void
test_rows_kept_edits(void **state)
{
    struct harness *hs = calloc(1, sizeof *hs);
    SM_ERROR(err);
    struct view *v, *fv;
    int32_t prev = SM_NONE;
    uint64_t g, sig, fsig;
    char key[64];
    (void)state;

    assert_non_null(hs);
    hs->m = tl_small_model();
    assert_int_equal(rulepack_load(tl_datadir(), "default", &hs->rp, &err), SM_OK);
    for (int i = 0; i < 60000; i++) {
        char name[64];
        int32_t d, p;
        snprintf(name, sizeof name, i % 3 ? "Ds%06d" : "x.%06d", (i * 7919) % 60000);
        d = dataset(hs->m, name, i % 3 ? "public" : NULL, "EU", i % 5 ? "crm" : NULL);
        p = place(hs->m, d, i % 4 ? "aws:eu-west-1" : "aws:eu-central-1", ROLE_PRIMARY, true);
        if (prev >= 0) {
            struct flow f;
            model_flow_init(&f);
            snprintf(name, sizeof name, i % 2 ? "Fl%06d" : "f.%06d", (i * 7919 + 17) % 60000);
            f.name = name;
            f.from = p;
            f.to = prev;
            assert_int_equal(model_add_flow(hs->m, &f, NULL, NULL), SM_OK);
        }
        prev = p;
    }
    big_tui_open(hs);
    v = &hs->t->views[0];
    fv = &hs->t->views[1];
    tui_draw(hs->t, hs->s);
    tui_recheck(hs->t);
    tui_draw(hs->t, hs->s);
    check_lists(hs, "s0");
    assert_true(v->ntext > 0 && fv->ntext > 0);
    sig = v->sig;
    fsig = fv->sig;
    assert_int_not_equal(sig, 0);
    /* attributes of a dataset, a copy and a flow: every list kept */
    g = hs->m->generation;
    apply_ok(hs, EDIT_SET, OBJ_DATASET, hs->m->datasets[10].name, "tier", "confidential");
    apply_ok(hs, EDIT_SET, OBJ_FLOW, hs->m->flows[10].name, "mechanism", "scc");
    snprintf(key, sizeof key, "%s@aws:eu-west-1", hs->m->datasets[9].name);
    apply_ok(hs, EDIT_SET, OBJ_PLACEMENT, key, "encrypted", "false");
    assert_true(hs->m->generation > g);
    assert_true(model_rows_kept(hs->m, OBJ_DATASET, g));
    assert_true(model_rows_kept(hs->m, OBJ_FLOW, g));
    check_lists(hs, "s0");
    assert_int_equal(v->sig_mgen, hs->m->generation);
    assert_true(v->sig == sig && fv->sig == fsig);
    assert_true(v->ntext > 0 && fv->ntext > 0);
    /* undo and redo of those */
    feed(hs, "u");
    feed(hs, "u");
    check_lists(hs, "S0");
    feed(hs, "<C-r>");
    check_lists(hs, NULL);
    assert_true(model_rows_kept(hs->m, OBJ_DATASET, g));
    /* a copy added: the datasets kept; removed, its flows go */
    snprintf(key, sizeof key, "%s@aws:eu-west-1", hs->m->datasets[20].name);
    apply_ok(hs, EDIT_ADD, OBJ_PLACEMENT, key, "role", "replica");
    assert_true(model_rows_kept(hs->m, OBJ_DATASET, g));
    check_lists(hs, "1");
    g = hs->m->generation;
    snprintf(key, sizeof key, "%s@aws:eu-west-1", hs->m->datasets[21].name);
    apply_ok(hs, EDIT_REMOVE, OBJ_PLACEMENT, key, NULL, NULL);
    assert_true(model_rows_kept(hs->m, OBJ_DATASET, g));
    assert_false(model_rows_kept(hs->m, OBJ_FLOW, g));
    check_lists(hs, "0");
    feed(hs, "u");
    check_lists(hs, "0");
    /* sorted by findings (rows taken from the order there is) and by
     * system, then a dataset removed through the TUI and brought back */
    while (v->sort != 5)
        feed(hs, "s");
    apply_ok(hs, EDIT_SET, OBJ_DATASET, hs->m->datasets[30].name, "system", "aaa");
    check_lists(hs, "d");
    g = hs->m->generation;
    apply_ok(hs, EDIT_REMOVE, OBJ_DATASET, hs->m->datasets[40].name, NULL, NULL);
    assert_false(model_rows_kept(hs->m, OBJ_DATASET, g));
    check_lists(hs, "x.");
    feed(hs, "u");
    check_lists(hs, "x.");
    while (v->sort != 0)
        feed(hs, "s");
    check_lists(hs, "ds00");
    harness_free(hs);
}

static void
test_tier_matrix_80(void **state)
{
    struct harness *h = harness_demo(80, 24);

    (void)state;
    feed(h, "M");
    assert_non_null(h->t->matrix.mx);
    for (int i = 0; i < 8; i++)
        feed(h, "l");
    assert_int_equal(h->t->matrix.col, 8);
    tui_draw(h->t, h->s);
    assert_true(h->t->matrix.left > 0);
    assert_true(h->t->matrix.left <= 8);
    snap(h, "tier-matrix");
    feed(h, "<Esc>");
    assert_null(h->t->matrix.mx);
    harness_free(h);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        ALL3(test_views),
        cmocka_unit_test(test_demo_layout),
        AT80(test_hscroll_zoom_pane),
        AT120(test_sort_menu_and_cycle),
        AT80(test_waivers_view),
        AT80(test_sort_numbers_many_few),
        AT120(test_detail_wrap_tokens),
        AT120(test_scenarios_broken),
        AT120(test_detail_long_name),
        BOTH(test_help),
        cmocka_unit_test(test_tier_impact),
        cmocka_unit_test(test_tier_matrix),
        cmocka_unit_test(test_tier_matrix_80),
        AT80(test_filter_sort),
        AT80(test_sort_every_column),
        cmocka_unit_test(test_filter_big),
        cmocka_unit_test(test_filter_runs),
        cmocka_unit_test(test_rows_kept_edits),
        BOTH(test_detail_jump_back),
        AT120(test_map_scroll),
        BOTH(test_add_replica_undo),
        AT80(test_form_inline_error),
        BOTH(test_add_dataset_form),
        AT80(test_suspend_in_form),
        AT80(test_delete_confirm),
        BOTH(test_fix_from_finding),
        cmocka_unit_test(test_fix_cls001_none),
        AT80(test_waive),
        AT80(test_command_line),
        AT120(test_scenario_diff),
        AT120(test_export),
        AT120(test_resize_and_too_small),
        AT120(test_mouse),
        BOTH(test_hostile_names),
        BOTH(test_scenario_mode),
        BOTH(test_scenario_edit),
        AT80(test_scenario_tier_policy),
        BOTH(test_scenario_diff_view),
    };
    setlocale(LC_ALL, "");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
