/*
 * test_report.c - the check reports (text, JSON, SARIF, JUnit) on hand-built
 * findings: exact text, wrapping, escaping of hostile names, JSON and SARIF
 * parsed back with jansson, XML well-formedness, custom rule rows, waivers
 * and thresholds.
 */
#include "testlib.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "report.h"

#define TODAY 20261126

struct fx {
    struct model *m;
    struct report *r;
};

static int32_t
add_dataset(struct model *m, const char *name, const char *tier)
{
    struct dataset d;
    int32_t id;

    model_dataset_init(&d);
    d.name = name;
    d.tier = model_tier(m, tier);
    assert_int_equal(model_add_dataset(m, &d, &id, NULL), SM_OK);
    return id;
}

static int32_t
place(struct model *m, int32_t ds, const char *region, int role)
{
    struct placement p;
    int32_t id;

    model_placement_init(&p);
    p.dataset = ds;
    p.region = model_region(m, region);
    p.role = (uint8_t)role;
    assert_int_equal(model_add_placement(m, &p, &id, NULL), SM_OK);
    return id;
}

static void
waive(struct model *m, const char *rule, const char *object, const char *owner,
      const char *reason, int32_t expires)
{
    struct waiver w = { 0 };

    w.rule = rule;
    w.object = object;
    w.owner = owner;
    w.reason = reason;
    w.expires = expires;
    assert_int_equal(model_add_waiver(m, &w, NULL, NULL), SM_OK);
}

static struct finding
mk(const char *rule, int sev, int kind, int32_t obj, int32_t ds, const char *sel,
   const char *jur, const char *msg, const char **why, uint32_t nwhy, const char *hint)
{
    struct finding f;

    memset(&f, 0, sizeof f);
    f.rule = rule;
    f.severity = (uint8_t)sev;
    f.kind = (uint8_t)kind;
    f.object = obj;
    f.dataset = ds;
    f.waiver = SM_NONE;
    f.selector = sel;
    f.jurisdictions = jur;
    f.message = msg;
    f.why.n = nwhy;
    f.why.v = why;
    f.hint = hint;
    return f;
}

static void
add_rules(struct report *r)
{
    static const struct report_rule rules[] = {
        { "RES001", "placement outside its tier's scope", "", SEV_ERROR, 0,
          "### RES001 \xe2\x80\x94 placement outside its tier's scope [error]" },
        { "XFR001", "personal data transfer with no mechanism", "", SEV_ERROR, 0, NULL },
        { "ENC003", "flow not encrypted in transit", "", SEV_WARNING, 0, NULL },
        { "CLS001", "dataset has no tier", "", SEV_WARNING, 0, NULL },
        { "ORG001", "owner missing", "every dataset names an owner", SEV_INFO, 1, NULL },
    };
    size_t i;

    for (i = 0; i < sizeof rules / sizeof rules[0]; i++)
        assert_int_equal(report_add_rule(r, &rules[i], NULL), SM_OK);
}

/* orders (restricted) with a replica in us-east-1, logs, and four findings:
 * two errors on the replica, a warning on logs, one waived error. */
static int
setup(void **state)
{
    static const char *why1[] = {
        "orders is restricted with EU subjects",
        "aws:us-east-1 is in US, outside the EEA",
    };
    static const char *why2[] = { "no flow declares a mechanism" };
    struct fx *fx = calloc(1, sizeof *fx);
    struct finding f;
    int32_t orders, logs, rep;

    assert_non_null(fx);
    fx->m = tl_small_model();
    orders = add_dataset(fx->m, "orders", "restricted");
    logs = add_dataset(fx->m, "logs", "public");
    place(fx->m, orders, "aws:eu-west-1", ROLE_PRIMARY);
    rep = place(fx->m, orders, "aws:us-east-1", ROLE_REPLICA);
    place(fx->m, logs, "aws:us-east-1", ROLE_PRIMARY);
    waive(fx->m, "ENC003", "logs", "alice", "logs are public", 20270131);
    waive(fx->m, "RES004", "orders@aws:eu-west-1", "bob", "temporary", 20261001);
    assert_int_equal(report_new(fx->m, NULL, TODAY, &fx->r, NULL), SM_OK);
    add_rules(fx->r);
    f = mk("RES001", SEV_ERROR, OBJ_PLACEMENT, rep, orders, "orders@aws:us-east-1",
           "EU -> US", "replica of orders in aws:us-east-1 (US) is outside the EEA",
           why1, 2, "move it to aws:eu-central-1");
    assert_int_equal(report_add_finding(fx->r, &f, NULL), SM_OK);
    f = mk("XFR001", SEV_ERROR, OBJ_PLACEMENT, rep, orders, "orders@aws:us-east-1",
           "EU -> US", "personal data of EU subjects goes to US with no mechanism",
           why2, 1, "declare scc with a transfer impact assessment");
    assert_int_equal(report_add_finding(fx->r, &f, NULL), SM_OK);
    f = mk("CLS001", SEV_WARNING, OBJ_DATASET, logs, logs, "logs", "",
           "logs has no tier", NULL, 0, "");
    assert_int_equal(report_add_finding(fx->r, &f, NULL), SM_OK);
    f = mk("ENC003", SEV_WARNING, OBJ_DATASET, logs, logs, "logs", "",
           "logs flows unencrypted", NULL, 0, "");
    assert_int_equal(report_add_finding(fx->r, &f, NULL), SM_OK);
    report_finish(fx->r);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *fx = *state;

    report_free(fx->r);
    model_free(fx->m);
    free(fx);
    return 0;
}

static char *
render(const struct report *r, int format, int fail_on, bool color, int width)
{
    struct report_opts o = { .format = format, .fail_on = fail_on, .color = color,
                             .width = width, .doc_uri = "file:///usr/share/doc/sovmap/rules.md" };
    SM_ERROR(e);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    assert_int_equal(report_write(r, &o, f, &e), SM_OK);
    fclose(f);
    if (getenv("TL_DUMP"))
        fputs(buf, stderr);
    return buf;
}

/* ---- helpers ------------------------------------------------------------------ */

static void
test_escape(void **state)
{
    char buf[128];
    size_t n;

    (void)state;
    report_escape("a\nb\x1b[2Jc\t", buf, sizeof buf);
    assert_string_equal(buf, "a\\nb\\x1b[2Jc\\t");
    report_escape("caf\xc3\xa9 \xe6\x97\xa5", buf, sizeof buf);
    assert_string_equal(buf, "caf\xc3\xa9 \xe6\x97\xa5");
    report_escape("bad\xff\xc3", buf, sizeof buf);
    assert_string_equal(buf, "bad\\xff\\xc3");
    /* U+202E RIGHT-TO-LEFT OVERRIDE and U+009B (C1 CSI) */
    report_escape("x\xe2\x80\xaey\xc2\x9b", buf, sizeof buf);
    assert_string_equal(buf, "x\\u202ey\\u009b");
    report_escape("\x7f", buf, sizeof buf);
    assert_string_equal(buf, "\\x7f");
    /* overlong encoding of '/' is not UTF-8 */
    report_escape("\xc0\xaf", buf, sizeof buf);
    assert_string_equal(buf, "\\xc0\\xaf");
    /* truncation reports the full length and stays terminated */
    n = report_escape("\n\n\n\n", buf, 5);
    assert_int_equal(n, 8);
    assert_string_equal(buf, "\\n\\n");
    assert_int_equal(report_escape("abc", NULL, 0), 3);
    report_utf8_clean("a\xff" "b", buf, sizeof buf);
    assert_string_equal(buf, "a\xef\xbf\xbd" "b");
}

static void
test_width_and_uri(void **state)
{
    char buf[256];

    (void)state;
    assert_int_equal(report_width("orders"), 6);
    assert_int_equal(report_width("caf\xc3\xa9"), 4);
    assert_int_equal(report_width("\xe6\x97\xa5\xe6\x9c\xac"), 4);   /* 日本: wide */
    report_file_uri("/tmp/no such dir/c\xc3\xa9.db", buf, sizeof buf);
    assert_string_equal(buf, "file:///tmp/no%20such%20dir/c%C3%A9.db");
    report_file_uri("rel.db", buf, sizeof buf);
    assert_true(strncmp(buf, "file:///", 8) == 0);
    assert_non_null(strstr(buf, "/rel.db"));
    assert_null(strstr(buf, "/./"));
}

static void
test_parse_names(void **state)
{
    (void)state;
    assert_int_equal(report_fail_on_parse("error"), SEV_ERROR);
    assert_int_equal(report_fail_on_parse("info"), SEV_INFO);
    assert_int_equal(report_fail_on_parse("never"), SEV_COUNT);
    assert_int_equal(report_fail_on_parse("fatal"), SM_NONE);
    assert_int_equal(report_format_parse("sarif"), REPORT_SARIF);
    assert_int_equal(report_format_parse("xml"), SM_NONE);
}

/* ---- order, stats, thresholds ------------------------------------------------------ */

static void
test_order_and_stats(void **state)
{
    struct fx *fx = *state;
    struct report *r = fx->r;

    assert_int_equal(r->nfindings, 4);
    /* live first by severity, then object, then rule; waived last */
    assert_string_equal(r->findings[0].rule, "RES001");
    assert_string_equal(r->findings[1].rule, "XFR001");
    assert_string_equal(r->findings[2].rule, "CLS001");
    assert_string_equal(r->findings[3].rule, "ENC003");
    assert_true(r->findings[3].waived);
    assert_int_equal(r->findings[3].waiver, model_waiver(fx->m, "ENC003:logs"));
    assert_int_equal(r->stats.count[SEV_ERROR], 2);
    assert_int_equal(r->stats.count[SEV_WARNING], 1);
    assert_int_equal(r->stats.count[SEV_INFO], 0);
    assert_int_equal(r->stats.waived, 1);
    assert_int_equal(r->nexpired, 1);
    assert_int_equal(r->expired[0], model_waiver(fx->m, "RES004:orders@aws:eu-west-1"));
    assert_int_equal(r->ndatasets, 2);
    assert_true(report_fails(r, SEV_ERROR));
    assert_true(report_fails(r, SEV_INFO));
    assert_false(report_fails(r, SEV_COUNT));
    /* rules sorted by id */
    assert_string_equal(r->rules[0].id, "CLS001");
    assert_string_equal(r->rules[r->nrules - 1].id, "XFR001");
}

static void
test_thresholds(void **state)
{
    struct model *m = tl_small_model();
    struct report *r;
    struct finding f;
    int32_t ds = add_dataset(m, "d", "public");

    (void)state;
    assert_int_equal(report_new(m, NULL, TODAY, &r, NULL), SM_OK);
    f = mk("CLS001", SEV_WARNING, OBJ_DATASET, ds, ds, "d", "", "w", NULL, 0, "");
    assert_int_equal(report_add_finding(r, &f, NULL), SM_OK);
    report_finish(r);
    assert_false(report_fails(r, SEV_ERROR));
    assert_true(report_fails(r, SEV_WARNING));
    assert_true(report_fails(r, SEV_INFO));
    assert_false(report_fails(r, SEV_COUNT));
    report_free(r);
    model_free(m);
}

/* A waiver is live through its expiry date and expired the day after. */
static void
test_waiver_expiry_day(void **state)
{
    struct model *m = tl_small_model();
    struct report *r;
    struct finding f;
    int32_t ds = add_dataset(m, "d", "public");
    int day;

    (void)state;
    waive(m, "CLS001", "d", "o", "r", TODAY);
    for (day = 0; day < 2; day++) {
        assert_int_equal(report_new(m, NULL, TODAY + day, &r, NULL), SM_OK);
        f = mk("CLS001", SEV_WARNING, OBJ_DATASET, ds, ds, "d", "", "w", NULL, 0, "");
        assert_int_equal(report_add_finding(r, &f, NULL), SM_OK);
        report_finish(r);
        assert_int_equal(r->stats.waived, day == 0 ? 1 : 0);
        assert_int_equal(r->nexpired, day == 0 ? 0 : 1);
        assert_int_equal(report_fails(r, SEV_WARNING), day == 1);
        report_free(r);
    }
    model_free(m);
}

/* ---- text ------------------------------------------------------------------------- */

static void
test_text_exact(void **state)
{
    struct fx *fx = *state;
    char *out = render(fx->r, REPORT_TEXT, SEV_ERROR, false, 80);

    assert_string_equal(out,
        "2 errors, 1 warning, 1 waived, 1 expired waiver in 2 datasets\n"
        "\n"
        "Errors (2)\n"
        "\n"
        "placement orders@aws:us-east-1\n"
        "  RES001  replica of orders in aws:us-east-1 (US) is outside the EEA\n"
        "          - orders is restricted with EU subjects\n"
        "          - aws:us-east-1 is in US, outside the EEA\n"
        "          fix: move it to aws:eu-central-1\n"
        "  XFR001  personal data of EU subjects goes to US with no mechanism\n"
        "          - no flow declares a mechanism\n"
        "          fix: declare scc with a transfer impact assessment\n"
        "\n"
        "Warnings (1)\n"
        "\n"
        "dataset logs\n"
        "  CLS001  logs has no tier\n"
        "\n"
        "Waived (1)\n"
        "\n"
        "dataset logs\n"
        "  ENC003  logs flows unencrypted\n"
        "          waived warning, by alice until 2027-01-31: logs are public\n"
        "\n"
        "Expired waivers (1)\n"
        "\n"
        "  RES004:orders@aws:eu-west-1\n"
        "          expired 2026-10-01, owner bob: temporary\n");
    free(out);
}

static void
test_text_color(void **state)
{
    struct fx *fx = *state;
    char *plain = render(fx->r, REPORT_TEXT, SEV_ERROR, false, 80);
    char *color = render(fx->r, REPORT_TEXT, SEV_ERROR, true, 80);

    assert_null(strchr(plain, '\033'));
    assert_non_null(strstr(color, "\033[1;31mErrors (2)\033[0m"));
    assert_non_null(strstr(color, "\033[1mRES001\033[0m"));
    free(plain);
    free(color);
}

static void
check_lines_fit(const char *out, int width)
{
    const char *p = out, *nl;
    char line[4096];

    while (*p) {
        nl = strchr(p, '\n');
        assert_non_null(nl);
        assert_true((size_t)(nl - p) < sizeof line);
        memcpy(line, p, (size_t)(nl - p));
        line[nl - p] = '\0';
        if (report_width(line) > width)
            fail_msg("line wider than %d: [%s]", width, line);
        assert_true(nl == p || nl[-1] != ' ');      /* no trailing blanks */
        p = nl + 1;
    }
}

static void
test_text_wraps(void **state)
{
    struct model *m = tl_small_model();
    struct report *r;
    struct finding f;
    char longword[301], msg[600];
    const char *why[] = { longword };
    int32_t ds = add_dataset(m, "d", "public");
    char *out;

    (void)state;
    memset(longword, 'x', 300);
    longword[300] = '\0';
    snprintf(msg, sizeof msg, "%s",
             "this message is long enough that it cannot fit on one line of an "
             "eighty column terminal and must wrap onto a second and maybe a third "
             "line with the continuation aligned under the start of the message");
    assert_int_equal(report_new(m, NULL, TODAY, &r, NULL), SM_OK);
    f = mk("RES001", SEV_ERROR, OBJ_DATASET, ds, ds, "d", "", msg, why, 1,
           "a hint that is also rather long, to see that the fix line wraps under its "
           "own label and not under the rule id");
    assert_int_equal(report_add_finding(r, &f, NULL), SM_OK);
    report_finish(r);
    out = render(r, REPORT_TEXT, SEV_ERROR, false, 80);
    check_lines_fit(out, 80);
    assert_non_null(strstr(out,
        "  RES001  this message is long enough that it cannot fit on one line of an\n"
        "          eighty column terminal"));
    assert_non_null(strstr(out, "\n          fix: a hint"));
    assert_non_null(strstr(out, "\n               under its own label"));
    free(out);
    out = render(r, REPORT_TEXT, SEV_ERROR, false, 50);
    check_lines_fit(out, 50);
    free(out);
    report_free(r);
    model_free(m);
}

static void
test_text_hostile(void **state)
{
    struct model *m = tl_small_model();
    struct report *r;
    struct finding f;
    const char *why[] = { "name is \"\x1b]0;pwned\x07\"" };
    char *out;

    (void)state;
    assert_int_equal(report_new(m, NULL, TODAY, &r, NULL), SM_OK);
    f = mk("CLS001", SEV_WARNING, OBJ_DATASET, SM_NONE, SM_NONE, "evil\n\x1b[2Jname\r",
           "", "dataset evil\x1b[31m has no tier \xe2\x80\xae", why, 1, "\x9b");
    assert_int_equal(report_add_finding(r, &f, NULL), SM_OK);
    report_finish(r);
    out = render(r, REPORT_TEXT, SEV_ERROR, false, 80);
    assert_null(strchr(out, '\033'));
    assert_null(strchr(out, '\r'));
    assert_null(strchr(out, '\a'));
    assert_non_null(strstr(out, "dataset evil\\n\\x1b[2Jname\\r\n"));
    assert_non_null(strstr(out, "has no tier \\u202e"));
    assert_non_null(strstr(out, "fix: \\x9b"));
    free(out);
    report_free(r);
    model_free(m);
}

static void
test_text_clean(void **state)
{
    struct model *m = tl_small_model();
    struct report *r;
    char *out;

    (void)state;
    add_dataset(m, "only", "public");
    assert_int_equal(report_new(m, NULL, TODAY, &r, NULL), SM_OK);
    assert_int_equal(report_set_source(r, NULL, "default", "s1", NULL), SM_OK);
    report_finish(r);
    out = render(r, REPORT_TEXT, SEV_ERROR, false, 80);
    assert_string_equal(out, "no findings in 1 dataset (scenario s1)\n");
    free(out);
    report_free(r);
    model_free(m);
}

/* ---- JSON ------------------------------------------------------------------------- */

static json_t *
parse(const char *text)
{
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);

    if (!j)
        fail_msg("not JSON: %d:%d: %s", je.line, je.column, je.text);
    return j;
}

static void
test_json(void **state)
{
    struct fx *fx = *state;
    char *out;
    json_t *j, *s, *f0, *f3, *x;

    assert_int_equal(report_set_source(fx->r, "/tmp/cat.db", "default", NULL, NULL), SM_OK);
    out = render(fx->r, REPORT_JSON, SEV_ERROR, false, 0);
    j = parse(out);
    /* stable key order at the top */
    {
        static const char head[] =
            "{\n  \"sovmap\": \"0.1.0\",\n  \"date\": \"2026-11-26\",\n"
            "  \"catalog\": \"/tmp/cat.db\",\n  \"rule_pack\": \"default\",\n"
            "  \"scenario\": null,\n  \"summary\": {\"errors\": 2, ";
        assert_true(strncmp(out, head, sizeof head - 1) == 0);
    }
    s = json_object_get(j, "summary");
    assert_int_equal(json_integer_value(json_object_get(s, "errors")), 2);
    assert_int_equal(json_integer_value(json_object_get(s, "warnings")), 1);
    assert_int_equal(json_integer_value(json_object_get(s, "info")), 0);
    assert_int_equal(json_integer_value(json_object_get(s, "waived")), 1);
    assert_int_equal(json_integer_value(json_object_get(s, "expired_waivers")), 1);
    assert_int_equal(json_integer_value(json_object_get(s, "datasets")), 2);
    assert_string_equal(json_string_value(json_object_get(s, "fail_on")), "error");
    assert_true(json_is_true(json_object_get(s, "failed")));
    assert_int_equal(json_array_size(json_object_get(j, "rules")), 5);
    assert_int_equal(json_array_size(json_object_get(j, "findings")), 4);
    f0 = json_array_get(json_object_get(j, "findings"), 0);
    assert_string_equal(json_string_value(json_object_get(f0, "rule")), "RES001");
    assert_string_equal(json_string_value(json_object_get(f0, "severity")), "error");
    x = json_object_get(f0, "object");
    assert_string_equal(json_string_value(json_object_get(x, "kind")), "placement");
    assert_string_equal(json_string_value(json_object_get(x, "selector")),
                        "orders@aws:us-east-1");
    assert_string_equal(json_string_value(json_object_get(f0, "dataset")), "orders");
    assert_string_equal(json_string_value(json_object_get(f0, "jurisdictions")), "EU -> US");
    assert_int_equal(json_array_size(json_object_get(f0, "why")), 2);
    assert_string_equal(json_string_value(json_object_get(f0, "hint")),
                        "move it to aws:eu-central-1");
    assert_true(json_is_false(json_object_get(f0, "waived")));
    assert_true(json_is_null(json_object_get(f0, "waiver")));
    f3 = json_array_get(json_object_get(j, "findings"), 3);
    assert_true(json_is_true(json_object_get(f3, "waived")));
    x = json_object_get(f3, "waiver");
    assert_string_equal(json_string_value(json_object_get(x, "key")), "ENC003:logs");
    assert_string_equal(json_string_value(json_object_get(x, "owner")), "alice");
    assert_string_equal(json_string_value(json_object_get(x, "expires")), "2027-01-31");
    x = json_array_get(json_object_get(j, "expired_waivers"), 0);
    assert_string_equal(json_string_value(json_object_get(x, "key")),
                        "RES004:orders@aws:eu-west-1");
    assert_string_equal(json_string_value(json_object_get(x, "expires")), "2026-10-01");
    json_decref(j);
    free(out);
    /* --fail-on never: not failed */
    out = render(fx->r, REPORT_JSON, SEV_COUNT, false, 0);
    j = parse(out);
    s = json_object_get(j, "summary");
    assert_string_equal(json_string_value(json_object_get(s, "fail_on")), "never");
    assert_true(json_is_false(json_object_get(s, "failed")));
    json_decref(j);
    free(out);
}

static void
test_json_hostile_and_empty(void **state)
{
    struct model *m = tl_small_model();
    struct report *r;
    struct finding f;
    const char *why[] = { "bad \xff byte" };
    json_t *j, *f0;
    char *out;

    (void)state;
    assert_int_equal(report_new(m, NULL, TODAY, &r, NULL), SM_OK);
    report_finish(r);
    out = render(r, REPORT_JSON, SEV_ERROR, false, 0);
    j = parse(out);
    assert_int_equal(json_array_size(json_object_get(j, "findings")), 0);
    assert_non_null(strstr(out, "\"findings\": [],\n"));
    json_decref(j);
    free(out);
    report_free(r);

    assert_int_equal(report_new(m, NULL, TODAY, &r, NULL), SM_OK);
    f = mk("CLS001", SEV_INFO, OBJ_DATASET, SM_NONE, SM_NONE,
           "\"; DROP TABLE x; --\n\x1b", "", "<script>alert(1)</script>", why, 1, "");
    assert_int_equal(report_add_finding(r, &f, NULL), SM_OK);
    report_finish(r);
    out = render(r, REPORT_JSON, SEV_ERROR, false, 0);
    assert_null(strchr(out, '\033'));
    j = parse(out);
    f0 = json_array_get(json_object_get(j, "findings"), 0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(f0, "object"),
                                                          "selector")),
                        "\"; DROP TABLE x; --\n\x1b");
    assert_string_equal(json_string_value(json_array_get(json_object_get(f0, "why"), 0)),
                        "bad \xef\xbf\xbd byte");
    assert_true(json_is_null(json_object_get(f0, "dataset")));
    json_decref(j);
    free(out);
    report_free(r);
    model_free(m);
}

/* ---- SARIF ------------------------------------------------------------------------ */

static void
test_sarif(void **state)
{
    struct fx *fx = *state;
    json_t *j, *run, *rules, *res, *r0, *x;
    char *out;
    size_t i;

    assert_int_equal(report_set_source(fx->r, "/tmp/my cat.db", "default", NULL, NULL),
                     SM_OK);
    out = render(fx->r, REPORT_SARIF, SEV_ERROR, false, 0);
    j = parse(out);
    assert_string_equal(json_string_value(json_object_get(j, "version")), "2.1.0");
    run = json_array_get(json_object_get(j, "runs"), 0);
    x = json_object_get(json_object_get(run, "tool"), "driver");
    assert_string_equal(json_string_value(json_object_get(x, "name")), "sovmap");
    rules = json_object_get(x, "rules");
    assert_int_equal(json_array_size(rules), 5);
    r0 = json_array_get(rules, 0);
    assert_string_equal(json_string_value(json_object_get(r0, "id")), "CLS001");
    assert_string_equal(json_string_value(json_object_get(r0, "helpUri")),
                        "file:///usr/share/doc/sovmap/rules.md#cls001");
    assert_string_equal(json_string_value(json_object_get(
        json_object_get(r0, "defaultConfiguration"), "level")), "warning");
    /* every rule has help (GitHub code scanning requires it): the rule's
     * text where it has one, else its description or title */
    for (i = 0; i < json_array_size(rules); i++) {
        json_t *h = json_object_get(json_array_get(rules, i), "help");
        assert_non_null(json_string_value(json_object_get(h, "text")));
        assert_non_null(json_string_value(json_object_get(h, "markdown")));
    }
    assert_string_equal(json_string_value(json_object_get(json_object_get(
        json_array_get(rules, 3), "help"), "markdown")),
        "### RES001 \xe2\x80\x94 placement outside its tier's scope [error]");
    assert_string_equal(json_string_value(json_object_get(json_object_get(
        r0, "help"), "text")), "dataset has no tier");
    assert_string_equal(json_string_value(json_object_get(run, "automationDetails") ?
        json_object_get(json_object_get(run, "automationDetails"), "id") : NULL),
        "sovmap/check/");
    /* custom rules: no help page, level note for info */
    x = json_array_get(rules, 2);
    assert_string_equal(json_string_value(json_object_get(x, "id")), "ORG001");
    assert_null(json_object_get(x, "helpUri"));
    assert_string_equal(json_string_value(json_object_get(
        json_object_get(x, "fullDescription"), "text")), "every dataset names an owner");
    res = json_object_get(run, "results");
    assert_int_equal(json_array_size(res), 4);
    for (i = 0; i < json_array_size(res); i++) {
        const char *id;
        size_t k;

        x = json_array_get(res, i);
        id = json_string_value(json_object_get(x, "ruleId"));
        k = (size_t)json_integer_value(json_object_get(x, "ruleIndex"));
        assert_string_equal(json_string_value(json_object_get(json_array_get(rules, k), "id")),
                            id);
    }
    r0 = json_array_get(res, 0);
    assert_string_equal(json_string_value(json_object_get(r0, "level")), "error");
    assert_string_equal(json_string_value(json_object_get(json_object_get(r0, "message"),
                                                          "text")),
        "replica of orders in aws:us-east-1 (US) is outside the EEA\n"
        "why: orders is restricted with EU subjects; aws:us-east-1 is in US, outside the EEA\n"
        "fix: move it to aws:eu-central-1");
    x = json_array_get(json_object_get(r0, "locations"), 0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(
        json_object_get(x, "physicalLocation"), "artifactLocation"), "uri")),
        "file:///tmp/my%20cat.db");
    x = json_array_get(json_object_get(x, "logicalLocations"), 0);
    assert_string_equal(json_string_value(json_object_get(x, "name")), "orders@aws:us-east-1");
    assert_string_equal(json_string_value(json_object_get(x, "kind")), "placement");
    assert_null(json_object_get(r0, "suppressions"));
    x = json_array_get(res, 3);
    assert_string_equal(json_string_value(json_object_get(x, "level")), "warning");
    x = json_array_get(json_object_get(x, "suppressions"), 0);
    assert_string_equal(json_string_value(json_object_get(x, "kind")), "external");
    assert_string_equal(json_string_value(json_object_get(x, "justification")),
                        "logs are public");
    /* the expired waiver is a notification of the run */
    x = json_array_get(json_object_get(run, "invocations"), 0);
    assert_true(json_is_true(json_object_get(x, "executionSuccessful")));
    x = json_array_get(json_object_get(x, "toolExecutionNotifications"), 0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(x, "message"),
                                                          "text")),
                        "waiver RES004:orders@aws:eu-west-1 expired on 2026-10-01 "
                        "(owner bob): temporary");
    json_decref(j);
    free(out);
}

/* ---- JUnit ------------------------------------------------------------------------ */

/* A small XML 1.0 well-formedness check: balanced, properly nested tags,
 * quoted attributes, known entities, no raw '<' or '&' in text, no
 * control characters but tab, newline and carriage return. */
static void
assert_well_formed(const char *x)
{
    char stack[64][64];
    int depth = 0, roots = 0;
    const char *p = x;

    if (strncmp(p, "<?xml", 5) == 0) {
        p = strstr(p, "?>");
        assert_non_null(p);
        p += 2;
    }
    while (*p) {
        unsigned char ch = (unsigned char)*p;

        if (ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r')
            fail_msg("control byte 0x%02x in XML", ch);
        if (ch == '&') {
            const char *ents[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#" };
            size_t i;

            for (i = 0; i < 6; i++)
                if (strncmp(p, ents[i], strlen(ents[i])) == 0)
                    break;
            if (i == 6)
                fail_msg("bad entity at %.20s", p);
            p++;
            continue;
        }
        if (ch == '>' && depth == 0 && roots == 0)
            fail_msg("stray > at %.20s", p);
        if (ch != '<') {
            if (depth == 0 && ch != '\n' && ch != ' ')
                fail_msg("text outside the root: %.20s", p);
            p++;
            continue;
        }
        if (p[1] == '/') {
            size_t n = strcspn(p + 2, ">");

            assert_true(depth > 0);
            depth--;
            if (strlen(stack[depth]) != n || strncmp(stack[depth], p + 2, n) != 0)
                fail_msg("</%.*s> closes <%s>", (int)n, p + 2, stack[depth]);
            p += 2 + n + 1;
            continue;
        }
        {
            const char *q = p + 1;
            size_t n = strcspn(q, " />\n");
            char quote = 0;

            assert_true(n > 0 && n < 64);
            memcpy(stack[depth], q, n);
            stack[depth][n] = '\0';
            q += n;
            /* attributes: name="value" with no '<' inside */
            while (*q && (quote || (*q != '>' && !(q[0] == '/' && q[1] == '>')))) {
                if (quote) {
                    if (*q == '<')
                        fail_msg("< in attribute of <%s>", stack[depth]);
                    if ((unsigned char)*q < 0x20)
                        fail_msg("raw control byte in attribute of <%s>", stack[depth]);
                    if (*q == quote)
                        quote = 0;
                } else if (*q == '"' || *q == '\'') {
                    quote = *q;
                } else if (*q == '=') {
                    assert_true(q[1] == '"' || q[1] == '\'');
                }
                q++;
            }
            assert_true(*q);
            if (*q == '/') {
                q += 2;
            } else {
                if (depth == 0)
                    roots++;
                depth++;
                assert_true(depth < 64);
                q++;
            }
            p = q;
        }
    }
    assert_int_equal(depth, 0);
    assert_int_equal(roots, 1);
}

static int
count_str(const char *s, const char *what)
{
    int n = 0;

    while ((s = strstr(s, what)) != NULL) {
        n++;
        s += strlen(what);
    }
    return n;
}

static void
test_junit(void **state)
{
    struct fx *fx = *state;
    char *out = render(fx->r, REPORT_JUNIT, SEV_ERROR, false, 0);

    assert_well_formed(out);
    assert_non_null(strstr(out, "<testsuites name=\"sovmap check\" tests=\"6\" failures=\"2\" "
                                "errors=\"0\">"));
    /* a suite per rule, findings or not, plus the expired waivers */
    assert_int_equal(count_str(out, "<testsuite "), 6);
    assert_non_null(strstr(out, "<testsuite name=\"RES001\" tests=\"1\" failures=\"1\""));
    assert_non_null(strstr(out, "<testcase classname=\"sovmap.RES001\" "
                                "name=\"placement orders@aws:us-east-1\">"));
    assert_non_null(strstr(out, "<failure type=\"error\" message=\"replica of orders"));
    assert_non_null(strstr(out, "<testcase classname=\"sovmap.ORG001\" name=\"no findings\"/>"));
    assert_non_null(strstr(out, "<skipped message=\"waived by alice until 2027-01-31: "
                                "logs are public\">"));
    /* the warning is below --fail-on error: reported, not failed */
    assert_non_null(strstr(out, "<system-out>warning (below --fail-on): logs has no tier"));
    assert_non_null(strstr(out, "name=\"expired RES004:orders@aws:eu-west-1\""));
    free(out);
    out = render(fx->r, REPORT_JUNIT, SEV_WARNING, false, 0);
    assert_non_null(strstr(out, "failures=\"3\""));
    free(out);
    out = render(fx->r, REPORT_JUNIT, SEV_COUNT, false, 0);
    assert_non_null(strstr(out, "<testsuites name=\"sovmap check\" tests=\"6\" failures=\"0\""));
    assert_null(strstr(out, "<failure"));
    free(out);
}

static void
test_junit_hostile(void **state)
{
    struct model *m = tl_small_model();
    struct report *r;
    struct finding f;
    const char *why[] = { "a & b < c > d \"q\" 'a' \x01\x1b" };
    char *out;

    (void)state;
    assert_int_equal(report_new(m, NULL, TODAY, &r, NULL), SM_OK);
    f = mk("CLS<1>", SEV_ERROR, OBJ_DATASET, SM_NONE, SM_NONE, "x\"/><evil a='1'>\n\xff",
           "", "]]> & <![CDATA[", why, 1, "&amp;");
    assert_int_equal(report_add_finding(r, &f, NULL), SM_OK);
    report_finish(r);
    out = render(r, REPORT_JUNIT, SEV_ERROR, false, 0);
    assert_well_formed(out);
    assert_null(strstr(out, "<evil"));
    assert_non_null(strstr(out, "name=\"dataset x&quot;/&gt;&lt;evil a=&apos;1&apos;&gt;&#10;"
                                "\xef\xbf\xbd\""));
    assert_non_null(strstr(out, "a &amp; b &lt; c &gt; d \"q\" 'a' \\x01\\x1b"));
    assert_non_null(strstr(out, "fix: &amp;amp;"));
    free(out);
    report_free(r);
    model_free(m);
}

/* ---- custom rule rows ---------------------------------------------------------------- */

static void
test_custom_rows(void **state)
{
    static const struct report_rule rule = { "ORG001", "owner missing", "", SEV_WARNING, 1,
                                             NULL };
    struct model *m = tl_small_model();
    struct report *r;
    SM_ERROR(e);
    int32_t orders = add_dataset(m, "orders", "restricted");
    int32_t rep;
    const struct finding *f;

    (void)state;
    place(m, orders, "aws:eu-west-1", ROLE_PRIMARY);
    rep = place(m, orders, "aws:us-east-1", ROLE_REPLICA);
    waive(m, "ORG001", "orders@aws:us-east-1", "carol", "known", 0);
    assert_int_equal(report_new(m, NULL, TODAY, &r, NULL), SM_OK);
    assert_int_equal(report_add_rule(r, &rule, NULL), SM_OK);
    {
        /* object resolved as a dataset, extra columns become facts */
        const char *n[] = { "object", "owner", "rows", "system" };
        const char *v[] = { "orders", NULL, "12", "" };
        assert_int_equal(report_add_row(r, &rule, 4, n, v, &e), SM_OK);
    }
    {
        /* a placement, spelled with its role: canonical selector, waived */
        const char *n[] = { "object", "message", "severity", "why", "hint" };
        const char *v[] = { "orders@aws:us-east-1", "replica has no owner", "error",
                            "first fact\nsecond fact\n", "name one" };
        assert_int_equal(report_add_row(r, &rule, 5, n, v, &e), SM_OK);
    }
    {
        /* dataset column only, unknown object kept as written */
        const char *n[] = { "dataset", "jurisdictions" };
        const char *v[] = { "ghost", "EU" };
        assert_int_equal(report_add_row(r, &rule, 2, n, v, &e), SM_OK);
    }
    {
        const char *n[] = { "message" };
        const char *v[] = { "x" };
        assert_int_equal(report_add_row(r, &rule, 1, n, v, &e), SM_EINVAL);
        assert_string_equal(e.msg,
                            "custom rule ORG001: a row needs an object or a dataset column");
    }
    {
        const char *n[] = { "object", "severity" };
        const char *v[] = { "orders", "fatal" };
        assert_int_equal(report_add_row(r, &rule, 2, n, v, &e), SM_EINVAL);
        assert_non_null(strstr(e.msg, "unknown severity fatal"));
    }
    {
        const char *n[] = { "object", "kind" };
        const char *v[] = { "orders", "waiver" };
        assert_int_equal(report_add_row(r, &rule, 2, n, v, &e), SM_EINVAL);
        assert_non_null(strstr(e.msg, "unknown kind waiver"));
    }
    report_finish(r);
    assert_int_equal(r->nfindings, 3);
    f = &r->findings[0];
    assert_string_equal(f->selector, "ghost");
    assert_int_equal(f->kind, OBJ_DATASET);
    assert_int_equal(f->object, SM_NONE);
    assert_string_equal(f->jurisdictions, "EU");
    assert_string_equal(f->message, "owner missing");
    f = &r->findings[1];
    assert_string_equal(f->selector, "orders");
    assert_int_equal(f->object, orders);
    assert_int_equal(f->dataset, orders);
    assert_int_equal(f->severity, SEV_WARNING);
    assert_int_equal(f->why.n, 1);
    assert_string_equal(f->why.v[0], "rows: 12");
    f = &r->findings[2];
    assert_true(f->waived);
    assert_int_equal(f->kind, OBJ_PLACEMENT);
    assert_int_equal(f->object, rep);
    assert_int_equal(f->dataset, orders);
    assert_int_equal(f->severity, SEV_ERROR);
    assert_string_equal(f->message, "replica has no owner");
    assert_int_equal(f->why.n, 2);
    assert_string_equal(f->why.v[1], "second fact");
    assert_string_equal(f->hint, "name one");
    report_free(r);
    model_free(m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_width_and_uri),
        cmocka_unit_test(test_parse_names),
        cmocka_unit_test_setup_teardown(test_order_and_stats, setup, teardown),
        cmocka_unit_test(test_thresholds),
        cmocka_unit_test(test_waiver_expiry_day),
        cmocka_unit_test_setup_teardown(test_text_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_color, setup, teardown),
        cmocka_unit_test(test_text_wraps),
        cmocka_unit_test(test_text_hostile),
        cmocka_unit_test(test_text_clean),
        cmocka_unit_test_setup_teardown(test_json, setup, teardown),
        cmocka_unit_test(test_json_hostile_and_empty),
        cmocka_unit_test_setup_teardown(test_sarif, setup, teardown),
        cmocka_unit_test_setup_teardown(test_junit, setup, teardown),
        cmocka_unit_test(test_junit_hostile),
        cmocka_unit_test(test_custom_rows),
    };

    setlocale(LC_ALL, "C.UTF-8");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
