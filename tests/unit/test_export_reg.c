/*
 * test_export_reg.c - the registers: transfers-csv (one row per derived
 * transfer of the check result) and lineage-csv (every etl/stream edge
 * with the tier that crossed it); the Art. 30 record (ropa-csv, ropa-md);
 * the format registry; CSV read back field by field with hostile names.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "export.h"

/* users (restricted, EU, personal field) in IE; an etl that pseudonymizes
 * into stats in the US (still personal: a transfer that needs a
 * mechanism), a stream with scc into crm in the US, an anonymized etl into
 * report in DE, and a replication that is not lineage. Every key is kept
 * in IE. */
static struct model *
known_model(void)
{
    struct model *m = tl_small_model();
    int32_t u = tl_add_dataset(m, "users", "restricted", "EU", NULL);
    int32_t s = tl_add_dataset(m, "stats", "confidential", NULL, NULL);
    int32_t c = tl_add_dataset(m, "crm", "confidential", NULL, NULL);
    int32_t r = tl_add_dataset(m, "report", "public", NULL, NULL);
    int32_t up, sp, cp, rp, up2;

    assert_int_equal(model_add_field(m, u, "email", NULL, NULL), SM_OK);
    assert_int_equal(model_add_tag(m, u, model_field(m, u, "email"), "pii.email", "", "", "",
                                   NULL, NULL), SM_OK);
    up = tl_add_copy(m, u, "aws:eu-west-1", ROLE_PRIMARY, "aws:eu-west-1");
    up2 = tl_add_copy(m, u, "aws:eu-central-1", ROLE_REPLICA, "aws:eu-west-1");
    sp = tl_add_copy(m, s, "aws:us-east-1", ROLE_PRIMARY, "aws:eu-west-1");
    cp = tl_add_copy(m, c, "aws:us-east-1", ROLE_PRIMARY, "aws:eu-west-1");
    rp = tl_add_copy(m, r, "aws:eu-central-1", ROLE_PRIMARY, "aws:eu-west-1");
    tl_add_flow(m, "u-stats", up, sp, SM_NONE, FLOW_ETL, "pseudonymize email", NULL);
    tl_add_flow(m, "u-crm", up, cp, SM_NONE, FLOW_STREAM, NULL, "scc");
    tl_add_flow(m, "u-report", up, rp, SM_NONE, FLOW_ETL, "anonymize", NULL);
    tl_add_flow(m, "u-repl", up, up2, SM_NONE, FLOW_REPLICATION, NULL, NULL);
    return m;
}

typedef int (*reg_fn)(const struct model *, const struct check_result *,
                      const struct export_opts *, FILE *, struct sm_error *);

static char *
run(reg_fn fn, const struct model *m, const struct check_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    SM_ERROR(e);

    assert_non_null(f);
    if (fn(m, r, NULL, f, &e) != SM_OK)
        fail_msg("register: %s", e.msg);
    fclose(f);
    return buf;
}

/* Minimal RFC 4180 reader: fields of one record into out[], returns the
 * count and advances *p past the record. */
static int
csv_record(const char **p, char out[][512], int max)
{
    const char *s = *p;
    int n = 0;

    while (*s && n < max) {
        size_t k = 0;
        if (*s == '"') {
            s++;
            while (*s && !(*s == '"' && s[1] != '"')) {
                if (*s == '"')
                    s++;
                if (k < 511)
                    out[n][k++] = *s;
                s++;
            }
            s++;
        } else {
            while (*s && *s != ',' && *s != '\n') {
                if (k < 511)
                    out[n][k++] = *s;
                s++;
            }
        }
        out[n++][k] = '\0';
        if (*s == ',') {
            s++;
            continue;
        }
        if (*s == '\n')
            s++;
        break;
    }
    *p = s;
    return n;
}

static void
test_transfers(void **state)
{
    struct model *m = known_model();
    struct check_result *r = tl_check(m);
    char *csv = run(export_transfers_csv, m, r);
    const char *p = csv;
    char f[16][512];
    int rows = 0, bad = 0, stats_row = 0;

    (void)state;
    assert_int_equal(csv_record(&p, f, 16), 10);
    assert_string_equal(f[0], "dataset");
    assert_string_equal(f[9], "status");
    while (*p) {
        assert_int_equal(csv_record(&p, f, 16), 10);
        if (!strcmp(f[9], "violation"))
            bad++;
        if (!strcmp(f[0], "users") && !strcmp(f[2], "u-stats")) {
            /* pseudonymized data is still personal data */
            stats_row = 1;
            assert_string_equal(f[3], "IE");
            assert_string_equal(f[4], "US");
            assert_string_equal(f[8], "yes");
            assert_string_equal(f[9], "violation");
        }
        if (!strcmp(f[2], "u-crm")) {
            assert_string_equal(f[6], "scc");
            assert_string_equal(f[9], "ok");
        }
        rows++;
    }
    assert_true(stats_row);
    assert_int_equal(rows, r->ntransfers);
    for (int32_t i = 0; i < r->ntransfers; i++)
        bad -= r->transfers[i].status == XFER_VIOLATION;
    assert_int_equal(bad, 0);
    free(csv);
    check_result_free(r);
    model_free(m);
}

static void
test_lineage(void **state)
{
    struct model *m = known_model();
    struct check_result *r = tl_check(m);
    char *csv = run(export_lineage_csv, m, r);
    const char *p = csv;
    char f[16][512];
    int rows = 0;

    (void)state;
    assert_int_equal(csv_record(&p, f, 16), 13);
    assert_string_equal(f[6], "crossing_tier");
    /* Sorted by flow name; the replication is not lineage. */
    assert_int_equal(csv_record(&p, f, 16), 13);
    assert_string_equal(f[0], "u-crm");
    assert_string_equal(f[1], "stream");
    assert_string_equal(f[6], "restricted");
    assert_string_equal(f[7], "yes");
    assert_string_equal(f[10], "restricted");      /* crm inherits restricted */
    assert_int_equal(csv_record(&p, f, 16), 13);
    assert_string_equal(f[0], "u-report");
    assert_string_equal(f[7], "no");
    assert_string_equal(f[8], "anonymize");
    assert_string_equal(f[10], "public");
    assert_int_equal(csv_record(&p, f, 16), 13);
    assert_string_equal(f[0], "u-stats");
    assert_string_equal(f[7], "yes");
    assert_string_equal(f[8], "pseudonymize email");
    assert_string_equal(f[9], "confidential");
    assert_string_equal(f[10], "restricted");
    while (*p && csv_record(&p, f, 16))
        rows++;
    assert_int_equal(rows, 0);
    free(csv);
    check_result_free(r);
    model_free(m);
}

static void
test_hostile_roundtrip(void **state)
{
    static const char *const names[] = {
        "a,b", "q\"uote", "two\nlines", "=SUM(A1)", "\xc3\xa9t\xc3\xa9", "ctl\x02x",
    };
    static const char *const want[] = {
        "a,b", "q\"uote", "two\nlines", "'=SUM(A1)", "\xc3\xa9t\xc3\xa9", "ctl\\x02x",
    };
    struct model *m = tl_small_model();
    struct check_result *r;
    int32_t src = tl_add_dataset(m, "src", "public", NULL, NULL);
    int32_t sp = tl_add_copy(m, src, "aws:eu-west-1", ROLE_PRIMARY, "aws:eu-west-1");
    char *csv;
    const char *p;
    char f[16][512];

    (void)state;
    for (int i = 0; i < 6; i++) {
        int32_t d = tl_add_dataset(m, names[i], "public", NULL, NULL);
        int32_t dp = tl_add_copy(m, d, "aws:eu-west-1", ROLE_PRIMARY, "aws:eu-west-1");
        tl_add_flow(m, names[i], sp, dp, SM_NONE, FLOW_ETL, NULL, NULL);
    }
    r = tl_check(m);
    csv = run(export_lineage_csv, m, r);
    p = csv;
    csv_record(&p, f, 16);
    for (int seen = 0; *p; seen++) {
        bool ok = false;
        assert_int_equal(csv_record(&p, f, 16), 13);
        for (int i = 0; i < 6; i++)
            ok = ok || (!strcmp(f[0], want[i]) && !strcmp(f[5], want[i]));
        if (!ok)
            fail_msg("row %d: flow %s / dataset %s not a hostile name read back", seen, f[0], f[5]);
    }
    free(csv);
    check_result_free(r);
    model_free(m);
}

static char *
run_ropa(const struct model *m, const struct check_result *r, const char *fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    SM_ERROR(e);

    assert_non_null(f);
    if (export_ropa(m, r, NULL, fmt, f, &e) != SM_OK)
        fail_msg("ropa-%s: %s", fmt, e.msg);
    fclose(f);
    return buf;
}

/* One row per dataset holding personal data: users (declared), stats
 * (pseudonymized: still personal), crm (streamed in); report is anonymized
 * and declares nothing, so it is not a processing entry. The purpose is
 * hostile: a formula behind a TAB, a comma, a quote and a line break. */
static void
test_ropa(void **state)
{
    struct model *m = known_model();
    int32_t u = model_dataset(m, "users"), fl = model_flow(m, "u-crm");
    struct check_result *r;
    char *csv, *md;
    const char *p;
    char f[16][512];
    int rows = 0, seen = 0;

    (void)state;
    assert_int_equal(model_set(m, OBJ_DATASET, u, "purpose", "\t=cmd|' /C calc'!A0, \"x\"\nline 2",
                               NULL), SM_OK);
    assert_int_equal(model_set(m, OBJ_DATASET, u, "legal-basis", "contract", NULL), SM_OK);
    assert_int_equal(model_set(m, OBJ_DATASET, u, "legal-basis", "because", NULL), SM_EINVAL);
    assert_int_equal(model_set(m, OBJ_DATASET, u, "system", "crm-suite", NULL), SM_OK);
    assert_int_equal(model_set(m, OBJ_FLOW, fl, "mechanism-ref", "TIA-7", NULL), SM_OK);
    r = tl_check(m);
    csv = run_ropa(m, r, "csv");
    p = csv;
    assert_int_equal(csv_record(&p, f, 16), 13);
    assert_string_equal(f[0], "system");
    assert_string_equal(f[3], "legal_basis");
    assert_string_equal(f[12], "transfer_safeguards");
    while (*p) {
        assert_int_equal(csv_record(&p, f, 16), 13);
        rows++;
        assert_string_not_equal(f[1], "report");
        if (!strcmp(f[1], "users")) {
            seen++;
            assert_string_equal(f[0], "crm-suite");
            /* neutralised: a leading ' makes it text, the rest is kept */
            assert_string_equal(f[2], "'\t=cmd|' /C calc'!A0, \"x\"\nline 2");
            assert_string_equal(f[3], "contract");
            assert_string_equal(f[5], "restricted");
            assert_string_equal(f[6], "EU");
            assert_string_equal(f[7], "pii.email");
            assert_non_null(strstr(f[9], "aws:eu-west-1 (primary)"));
            assert_string_equal(f[10], "(no system)/crm; (no system)/report; (no system)/stats");
            assert_string_equal(f[11], "US");
            assert_string_equal(f[12], "US via u-crm: scc TIA-7 (ok); US via u-stats: none (violation)");
        }
        if (!strcmp(f[1], "stats")) {
            seen++;
            assert_string_equal(f[3], "");
            assert_string_equal(f[6], "EU");        /* carried in by lineage */
        }
    }
    assert_int_equal(rows, 3);
    assert_int_equal(seen, 2);
    /* the formula never starts a cell */
    assert_null(strstr(csv, ",\t="));
    md = run_ropa(m, r, "md");
    assert_non_null(strstr(md, "\n## System crm-suite\n"));
    assert_non_null(strstr(md, "| users |  =cmd\\|' /C calc'!A0, \"x\"<br>line 2 | contract |"));
    assert_non_null(strstr(md, "| crm-suite | users | IE | US | u-stats | GDPR | **none** |  | violation |"));
    assert_non_null(strstr(md, "| crm-suite | users | IE | US | u-crm | GDPR | scc | TIA-7 | ok |"));
    assert_null(strstr(md, "| report |"));
    free(md);
    free(csv);
    check_result_free(r);
    model_free(m);
}

/* A 5,000-character dataset name with a copy abroad: the safeguard cell
 * names the copy whole, in CSV and in Markdown. */
static void
test_ropa_long_name(void **state)
{
    struct model *m = tl_small_model();
    char *name = malloc(5001), *want = malloc(5100), *csv, *md;
    struct check_result *r;
    int32_t d;

    (void)state;
    memset(name, 'n', 5000);
    name[5000] = '\0';
    d = tl_add_dataset(m, name, "restricted", "EU", NULL);
    assert_int_equal(model_add_field(m, d, "email", NULL, NULL), SM_OK);
    assert_int_equal(model_add_tag(m, d, model_field(m, d, "email"), "pii.email", "", "", "",
                                   NULL, NULL), SM_OK);
    tl_add_copy(m, d, "aws:eu-west-1", ROLE_PRIMARY, "aws:eu-west-1");
    tl_add_copy(m, d, "aws:us-east-1", ROLE_REPLICA, "aws:eu-west-1");
    r = tl_check(m);
    csv = run_ropa(m, r, "csv");
    snprintf(want, 5100, "US via %s@aws:us-east-1: none (violation)", name);
    assert_non_null(strstr(csv, want));
    md = run_ropa(m, r, "md");
    assert_non_null(strstr(md, "@aws:us-east-1 | GDPR | **none** |"));
    assert_true(strlen(md) > 3 * 5000);     /* the name whole, escaped, in both tables */
    free(md);
    free(csv);
    free(want);
    free(name);
    check_result_free(r);
    model_free(m);
}

static void
test_registry(void **state)
{
    int n = 0;

    (void)state;
    for (int i = 0; export_formats[i]; i++, n++)
        assert_ptr_equal(export_format(export_formats[i]->name), export_formats[i]);
    assert_int_equal(n, 17);
    assert_true(export_format("ropa-csv")->needs_check);
    assert_true(export_format("ropa-md")->needs_check);
    assert_true(export_format("tiers-md")->needs_check);
    assert_true(export_format("tiers-csv")->needs_check);
    assert_false(export_format("model-json")->needs_check);
    assert_non_null(export_format("map-html"));
    assert_true(export_format("png")->binary);
    assert_false(export_format("svg")->binary);
    assert_null(export_format("map-xls"));
    assert_true(export_format("review-html")->needs_check);
    assert_false(export_format("mermaid")->binary);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transfers),
        cmocka_unit_test(test_lineage),
        cmocka_unit_test(test_hostile_roundtrip),
        cmocka_unit_test(test_ropa),
        cmocka_unit_test(test_ropa_long_name),
        cmocka_unit_test(test_registry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
