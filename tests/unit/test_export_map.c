/*
 * test_export_map.c - the residency map in Markdown, CSV, HTML and JSON:
 * cells (role letters, status, rule ids), grouping, the allowed-regions
 * table, filters, determinism, and escaping of hostile names.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "check.h"
#include "export.h"
#include "rulepack.h"

static int32_t
add_ds(struct model *m, const char *name, const char *tier, const char *subj)
{
    struct dataset d;
    int32_t id;

    model_dataset_init(&d);
    d.name = name;
    d.system = "sys";
    d.tier = tier ? model_tier(m, tier) : SM_NONE;
    assert_int_equal(model_add_dataset(m, &d, &id, NULL), SM_OK);
    if (subj)
        assert_int_equal(model_set(m, OBJ_DATASET, id, "subjects", subj, NULL), SM_OK);
    return id;
}

static int32_t
place(struct model *m, int32_t ds, const char *region, int role, const char *key)
{
    struct placement p;
    int32_t id;

    model_placement_init(&p);
    p.dataset = ds;
    p.region = model_region(m, region);
    p.role = (uint8_t)role;
    p.encrypted = 1;
    p.key_region = model_region(m, key ? key : region);
    assert_int_equal(model_add_placement(m, &p, &id, NULL), SM_OK);
    return id;
}

/* orders: P in IE, B in DE, R in the US (RES001 + XFR002: keys kept in IE);
 * logs: public, P in the US; secret: unclassified P in DE. */
static struct model *
known_model(void)
{
    struct model *m = tl_small_model();
    int32_t o = add_ds(m, "orders", "restricted", "EU");
    int32_t l = add_ds(m, "logs", "public", NULL);
    int32_t s = add_ds(m, "secret", NULL, NULL);

    place(m, o, "aws:eu-west-1", ROLE_PRIMARY, NULL);
    place(m, o, "aws:eu-central-1", ROLE_BACKUP, "aws:eu-west-1");
    place(m, o, "aws:us-east-1", ROLE_REPLICA, "aws:eu-west-1");
    place(m, l, "aws:us-east-1", ROLE_PRIMARY, NULL);
    place(m, s, "aws:eu-central-1", ROLE_PRIMARY, NULL);
    return m;
}

/* The check result borrows strings (regime names) from the pack: one pack
 * for the whole run. */
static struct rulepack *pack;

static struct check_result *
check(const struct model *m)
{
    struct check_result *r;
    SM_ERROR(e);

    if (!pack)
        assert_int_equal(rulepack_load(tl_datadir(), "default", &pack, &e), SM_OK);
    assert_int_equal(check_run(m, pack, 20261126, &r, &e), SM_OK);
    return r;
}

static char *
run(const struct model *m, const struct check_result *r, const struct export_opts *o,
    const char *fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    SM_ERROR(e);

    assert_non_null(f);
    if (export_map(m, r, o, fmt, f, &e) != SM_OK)
        fail_msg("export_map %s: %s", fmt, e.msg);
    fclose(f);
    return buf;
}

struct fixture {
    struct model *m;
    struct check_result *r;
    struct export_juris *j;
    struct export_opts o;
};

static int
setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    SM_ERROR(e);

    fx->m = known_model();
    fx->r = check(fx->m);
    assert_int_equal(export_juris_load(tl_datadir(), &fx->j, &e), SM_OK);
    export_opts_init(&fx->o);
    fx->o.juris = fx->j;
    fx->o.today = 20261126;
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;

    export_juris_free(fx->j);
    check_result_free(fx->r);
    model_free(fx->m);
    free(fx);
    return 0;
}

static void
test_csv_cells(void **state)
{
    struct fixture *fx = *state;
    char *csv = run(fx->m, fx->r, &fx->o, "csv");

    /* Columns by jurisdiction then region id; rows by tier rank, then name;
     * the unclassified dataset last. */
    assert_string_equal(csv,
        "dataset,status,tier,effective_tier,system,subjects,EEA aws:eu-central-1,"
        "EEA aws:eu-west-1,US aws:us-east-1\n"
        "orders,violation,restricted,restricted,sys,EU,B,P,R! RES001 XFR002\n"
        "logs,ok,public,public,sys,,,,P\n"
        "secret,violation,,,sys,,P! CLS001,,\n");
    free(csv);
}

static void
test_md_groups_and_allowed(void **state)
{
    struct fixture *fx = *state;
    char *md = run(fx->m, fx->r, &fx->o, "md");

    assert_non_null(strstr(md, "## Tier restricted\n"));
    assert_non_null(strstr(md, "## Tier public\n"));
    assert_non_null(strstr(md, "## Tier (unclassified)\n"));
    assert_true(strstr(md, "## Tier restricted") < strstr(md, "## Tier public"));
    assert_non_null(strstr(md, "| orders | violation | restricted | EU | B | P | R! RES001 XFR002 |\n"));
    /* Allowed regions for GDPR subjects: bloc = EEA regions in use; adequate
     * adds the US under its DPF condition. */
    assert_non_null(strstr(md, "| restricted | bloc | bloc | aws:eu-central-1, aws:eu-west-1 |"));
    assert_non_null(strstr(md, "| confidential | adequate | adequate | aws:eu-central-1, "
                               "aws:eu-west-1, aws:us-east-1 (dpf); elsewhere only with a "
                               "valid mechanism on the flow |"));
    assert_non_null(strstr(md, "| public | global | global | any region |"));
    free(md);
}

static void
test_html_self_contained(void **state)
{
    struct fixture *fx = *state;
    char *html = run(fx->m, fx->r, &fx->o, "html");

    assert_true(!strncmp(html, "<!DOCTYPE html>", 15));
    assert_non_null(strstr(html, "<style>"));
    assert_non_null(strstr(html, "@media print"));
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "src="));
    /* links only to its own rows (the violations table) */
    for (const char *h = strstr(html, "href="); h; h = strstr(h + 1, "href="))
        assert_true(!strncmp(h, "href=\"#ds-", 10));
    assert_non_null(strstr(html, "<h2>Violations</h2>"));
    assert_null(strstr(html, "http"));
    assert_non_null(strstr(html, "<th class=\"group\" colspan=\"2\">EEA \xe2\x80\x94 EU GDPR</th>"));
    assert_non_null(strstr(html, "<td class=\"c bad\">R! RES001 XFR002</td>"));
    assert_non_null(strstr(html, "<td class=\"c ok\">P</td>"));
    assert_non_null(strstr(html, "</html>\n"));
    free(html);
}

static void
test_json_parses(void **state)
{
    struct fixture *fx = *state;
    char *js = run(fx->m, fx->r, &fx->o, "json");
    json_error_t je;
    json_t *root = json_loads(js, 0, &je), *ds, *cell;

    if (!root)
        fail_msg("map-json does not parse: %s at %d:%d", je.text, je.line, je.column);
    assert_int_equal(json_array_size(json_object_get(root, "regions")), 3);
    ds = json_array_get(json_object_get(root, "datasets"), 0);
    assert_string_equal(json_string_value(json_object_get(ds, "name")), "orders");
    cell = json_object_get(json_object_get(ds, "cells"), "aws:us-east-1");
    assert_string_equal(json_string_value(json_object_get(cell, "status")), "violation");
    assert_string_equal(json_string_value(json_object_get(cell, "roles")), "R");
    assert_int_equal(json_integer_value(json_object_get(root, "version")), 2);
    assert_string_equal(json_string_value(json_object_get(ds, "status")), "violation");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ds, "subjects"), 0)),
                        "EU");
    assert_int_equal(json_array_size(json_object_get(cell, "rules")), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(cell, "rules"), 0)),
                        "RES001");
    assert_string_equal(json_string_value(json_array_get(json_object_get(cell, "rules"), 1)),
                        "XFR002");
    assert_int_equal(json_array_size(json_object_get(root, "allowed")), 3);
    {
        /* confidential (adequate) for GDPR subjects: the EEA regions, and the
         * US only under its DPF condition */
        json_t *conf = json_array_get(json_object_get(root, "allowed"), 1);
        json_t *gdpr = json_object_get(json_object_get(json_object_get(conf, "by_regime"), "GDPR"),
                                       "copies");
        json_t *regs = json_object_get(gdpr, "regions"), *last;

        assert_string_equal(json_string_value(json_object_get(conf, "tier")), "confidential");
        assert_int_equal(json_array_size(regs), 3);
        last = json_array_get(regs, 2);
        assert_string_equal(json_string_value(json_object_get(last, "id")), "aws:us-east-1");
        assert_string_equal(json_string_value(json_object_get(last, "condition")), "dpf");
        assert_string_equal(json_string_value(json_object_get(gdpr, "note")),
                            "elsewhere only with a valid mechanism on the flow");
    }
    json_decref(root);
    free(js);
}

static void
test_filters(void **state)
{
    struct fixture *fx = *state;
    struct export_opts o = fx->o;
    char *csv;

    o.jurisdiction = "US";
    csv = run(fx->m, fx->r, &o, "csv");
    assert_string_equal(csv,
        "dataset,status,tier,effective_tier,system,subjects,US aws:us-east-1\n"
        "orders,violation,restricted,restricted,sys,EU,R! RES001 XFR002\n"
        "logs,ok,public,public,sys,,P\n");
    free(csv);
    o = fx->o;
    o.tier = "public";
    csv = run(fx->m, fx->r, &o, "csv");
    assert_non_null(strstr(csv, "\nlogs,"));
    assert_null(strstr(csv, "orders"));
    free(csv);
}

static void
test_deterministic_and_stamp(void **state)
{
    struct fixture *fx = *state;
    struct export_opts o = fx->o;
    static const char *const fmts[] = { "md", "csv", "html", "json" };

    for (int i = 0; i < 4; i++) {
        char *a = run(fx->m, fx->r, &fx->o, fmts[i]);
        char *b = run(fx->m, fx->r, &fx->o, fmts[i]);
        assert_string_equal(a, b);
        assert_null(strstr(a, "2026-11-26"));
        free(a);
        free(b);
    }
    o.stamp = true;
    for (int i = 0; i < 4; i++) {
        char *a = run(fx->m, fx->r, &o, fmts[i]);
        assert_non_null(strstr(a, "2026-11-26"));
        free(a);
    }
}

static const char *const hostile[] = {
    "<script>alert(1)</script>", "a|b`c`", "q\"uote's", "new\nline", "back\\slash",
    /* invalid UTF-8 never reaches an export: the model refuses it
     * (test_model); the escapers' handling of it is in test_escapers */
    "=HYPERLINK(\"x\")", "ctl\x01\x1b[31m", "rtl\xe2\x80\xae utf8", "\xc3\xa9t\xc3\xa9 \xe6\x97\xa5",
    "<img src=x onerror=alert(1)>", "amp&amp;",
};
#define NHOSTILE (int)(sizeof hostile / sizeof hostile[0])

static struct model *
hostile_model(void)
{
    struct model *m = tl_small_model();

    for (int i = 0; i < NHOSTILE; i++) {
        int32_t d = add_ds(m, hostile[i], "public", NULL);
        place(m, d, "aws:eu-west-1", ROLE_PRIMARY, NULL);
    }
    return m;
}

static void
test_hostile_html(void **state)
{
    struct model *m = hostile_model();
    char *html = run(m, NULL, NULL, "html");

    (void)state;
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<img"));
    assert_null(strstr(html, "\x1b"));
    assert_null(strstr(html, "\xff"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(html, "q&quot;uote&#39;s"));
    assert_non_null(strstr(html, "amp&amp;amp;"));
    assert_non_null(strstr(html, "\xc3\xa9t\xc3\xa9 \xe6\x97\xa5"));
    free(html);
    model_free(m);
}

static void
test_hostile_md_and_json(void **state)
{
    struct model *m = hostile_model();
    char *md = run(m, NULL, NULL, "md");
    char *js = run(m, NULL, NULL, "json");
    json_t *root;
    json_error_t je;
    size_t i;
    json_t *d;
    int found = 0;

    (void)state;
    assert_non_null(strstr(md, "| a\\|b\\`c\\` |"));
    assert_non_null(strstr(md, "| new<br>line |"));
    assert_non_null(strstr(md, "| back\\\\slash |"));
    assert_null(strstr(md, "<script"));
    /* Every table row has the same number of unescaped cell separators. */
    for (char *line = md; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        int bars = 0;
        if (strncmp(line, "| ", 2) || strstr(line, "| tier |") == line)
            continue;
        for (char *p = line; *p && *p != '\n'; p++)
            if (*p == '|' && (p == line || p[-1] != '\\'))
                bars++;
        if (strstr(line, "| public |") == line || strstr(line, "| restricted |") == line ||
            strstr(line, "| confidential |") == line)
            continue;
        assert_int_equal(bars, 6);
    }
    root = json_loads(js, 0, &je);
    assert_non_null(root);
    json_array_foreach(json_object_get(root, "datasets"), i, d) {
        const char *n = json_string_value(json_object_get(d, "name"));
        if (!strcmp(n, "new\nline") || !strcmp(n, "<script>alert(1)</script>") ||
            !strcmp(n, "q\"uote's") || !strcmp(n, "\xc3\xa9t\xc3\xa9 \xe6\x97\xa5") ||
            !strcmp(n, "rtl\xe2\x80\xae utf8"))
            found++;
    }
    assert_int_equal(found, 5);
    assert_null(strstr(js, "<"));
    json_decref(root);
    free(md);
    free(js);
    model_free(m);
}

static void
test_escapers(void **state)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    (void)state;
    export_put_csv(f, "plain");
    fputc(';', f);
    export_put_csv(f, "a,b");
    fputc(';', f);
    export_put_csv(f, "say \"hi\"");
    fputc(';', f);
    export_put_csv(f, "=1+2");
    fputc(';', f);
    export_put_csv(f, "two\nlines");
    fputc(';', f);
    /* a leading TAB or CR, or blanks before =, still make a formula */
    export_put_csv(f, "\t=1+2");
    fputc(';', f);
    export_put_csv(f, "\r@SUM(A1)");
    fputc(';', f);
    export_put_csv(f, "  =cmd|' /C calc'!A0");
    fputc(';', f);
    export_put_csv(f, "a=b");
    fputc(';', f);
    export_put_html(f, "<a href='x'>&\"</a>");
    fputc(';', f);
    export_put_md(f, "x|y*z_`w`");
    fputc(';', f);
    export_put_json(f, "q\"\\\n\x01<\xff");
    fclose(f);
    assert_string_equal(buf, "plain;\"a,b\";\"say \"\"hi\"\"\";\"'=1+2\";\"two\nlines\";"
                             "\"'\t=1+2\";\"'\\x0d@SUM(A1)\";\"'  =cmd|' /C calc'!A0\";a=b;"
                             "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;;"
                             "x\\|y\\*z\\_\\`w\\`;"
                             "\"q\\\"\\\\\\n\\u0001\\u003c\xef\xbf\xbd\"");
    free(buf);
}

/* A flow's violation is on the map where the data ends: an export of EU
 * personal data to Singapore (XFR001) marks the SG column of the source
 * dataset's row with X, the row's status is violation, and
 * --violations-only keeps exactly the rows with a live violation. */
static void
test_flow_violation_at_destination(void **state)
{
    struct model *m = tl_small_model();
    int32_t crm = add_ds(m, "crm", "confidential", "EU");
    int32_t ok = add_ds(m, "ok", "public", NULL);
    int32_t p = place(m, crm, "aws:eu-west-1", ROLE_PRIMARY, NULL);
    struct flow fl;
    struct check_result *r;
    struct export_opts o;
    char *csv, *js;
    json_t *root, *cell;
    (void)state;

    place(m, ok, "aws:eu-west-1", ROLE_PRIMARY, NULL);
    {
        struct region sg;
        model_region_init(&sg);
        sg.id = "aws:ap-southeast-1";
        sg.country = sm_cc("SG");
        sg.operator_home = sm_cc("US");
        sg.kind = REGION_CLOUD;
        sg.builtin = 1;
        assert_int_equal(model_add_region(m, &sg, NULL, NULL), SM_OK);
    }
    model_flow_init(&fl);
    fl.name = "audience-export";
    fl.from = p;
    fl.to = SM_NONE;
    fl.to_region = model_region(m, "aws:ap-southeast-1");
    fl.kind = FLOW_EXPORT;
    fl.transit_encrypted = 1;
    assert_int_not_equal(fl.to_region, SM_NONE);
    assert_int_equal(model_add_flow(m, &fl, NULL, NULL), SM_OK);
    r = check(m);
    export_opts_init(&o);
    o.today = 20261126;
    csv = run(m, r, &o, "csv");
    assert_string_equal(csv,
        "dataset,status,tier,effective_tier,system,subjects,IE aws:eu-west-1,"
        "SG aws:ap-southeast-1\n"
        "crm,violation,confidential,confidential,sys,EU,P,X! XFR001\n"
        "ok,ok,public,public,sys,,P,\n");
    free(csv);
    js = run(m, r, &o, "json");
    assert_non_null(root = json_loads(js, 0, NULL));
    cell = json_object_get(json_object_get(json_array_get(json_object_get(root, "datasets"), 0),
                                           "cells"), "aws:ap-southeast-1");
    assert_string_equal(json_string_value(json_object_get(cell, "roles")), "X");
    assert_string_equal(json_string_value(json_object_get(cell, "status")), "violation");
    json_decref(root);
    free(js);
    o.violations_only = true;
    csv = run(m, r, &o, "csv");
    assert_non_null(strstr(csv, "\ncrm,violation,"));
    assert_null(strstr(csv, "\nok,"));
    free(csv);
    check_result_free(r);
    model_free(m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_csv_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(test_md_groups_and_allowed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_html_self_contained, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_parses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deterministic_and_stamp, setup, teardown),
        cmocka_unit_test(test_hostile_html),
        cmocka_unit_test(test_hostile_md_and_json),
        cmocka_unit_test(test_escapers),
        cmocka_unit_test(test_flow_violation_at_destination),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);

    rulepack_free(pack);
    return rc;
}
