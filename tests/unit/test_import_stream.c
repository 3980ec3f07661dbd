/*
 * test_import_stream.c - the streaming parse (import_stream.c: each Atlas
 * entity parsed alone and trimmed) gives the same import as one json_loadb
 * of the whole document: on every fixture file of every set (model-json,
 * review diff, summary and audit text byte for byte), and the same errors
 * (file:line:col and message) on broken and hostile texts (BOM, UTF-16, NUL,
 * a missing comma, bytes after the object, deep nesting, invalid UTF-8).
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import_test.h"
#include "model_json.h"
#include "readfile.h"

/* Everything an import shows, as one text: model-json, diff, summary, audit. */
static char *
outcome(const char *importer, const struct import_opts *opts, const char *const *files,
        bool buckets)
{
    SM_ERROR(e);
    struct import_map *map = it_map(buckets);
    struct model *m = it_model();
    struct import_run *run = it_import(m, map, importer, opts, files, &e);
    char *buf = NULL, *audit;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    if (!run)
        fprintf(f, "error: %s\n", e.msg);
    else {
        assert_int_equal(model_json_write(m, f, &e), SM_OK);
        import_run_print_diff(run, f);
        import_run_print_summary(run, f);
        import_run_print_notes(run, "", f);
        audit = import_run_audit_text(run);
        fputs(audit ? audit : "(no audit text)", f);
        free(audit);
        import_run_free(run);
    }
    fclose(f);
    model_free(m);
    import_map_free(map);
    return buf;
}

static void
same(const char *importer, struct import_opts o, const char *const *files, bool buckets)
{
    char *stream, *whole;

    o.whole_parse = false;
    stream = outcome(importer, &o, files, buckets);
    o.whole_parse = true;
    whole = outcome(importer, &o, files, buckets);
    if (strcmp(stream, whole))
        fail_msg("%s %s: the streaming parse differs from the whole-document parse",
                 importer, files[0]);
    assert_null(strstr(stream, "error: "));
    free(stream);
    free(whole);
}

static void
test_fixtures_same(void **state)
{
    static const char *const sets[] = { "", "halcyon/" };
    struct import_opts none = { 0 };

    (void)state;
    for (size_t s = 0; s < sizeof sets / sizeof *sets; s++) {
        char f[6][128];
        const char *atlas[] = { f[0], f[1], f[2], NULL };
        const char *glue[] = { f[3], f[4], f[5], NULL };
        struct import_opts eu = { .region = "eu-west-1" };

        snprintf(f[0], sizeof f[0], "%satlas/entities-bulk.json", sets[s]);
        snprintf(f[1], sizeof f[1], "%satlas/search-basic.json", sets[s]);
        snprintf(f[2], sizeof f[2], "%satlas/lineage.json", sets[s]);
        snprintf(f[3], sizeof f[3], "%sglue/get-tables.json", sets[s]);
        snprintf(f[4], sizeof f[4], "%sglue/get-databases.json", sets[s]);
        snprintf(f[5], sizeof f[5], "%sglue/get-table.json", sets[s]);
        for (int i = 0; i < 3; i++) {
            const char *one[] = { atlas[i], NULL };
            same("atlas", none, one, true);
        }
        same("atlas", none, atlas, true);
        same("glue", eu, glue, true);
    }
    {
        const char *one[] = { "atlas/entity-expired-propagated.json", NULL };
        const char *custom[] = { "atlas/entity-custom-attributes.json", NULL };
        const char *lf[] = { "lakeformation/search-tables-by-lf-tags.json", NULL };
        struct import_opts eu = { .region = "eu-west-1" };

        same("atlas", none, one, true);
        same("atlas", none, custom, true);
        same("lf-tags", eu, lf, true);
    }
}

/* The error of importing text as Atlas, streaming or whole. */
static char *
error_of(const char *text, size_t len, bool whole)
{
    SM_ERROR(e);
    struct import_map *map = it_map(false);
    struct import_opts o = { .now = "2026-11-26T00:00:00Z", .whole_parse = whole };
    struct import_run *run = import_run_new(map, &o);
    char *msg;

    assert_non_null(run);
    if (import_run_add_file(run, "bad.json", text, len, &e) == SM_OK)
        import_run_parse(run, importer_find("atlas"), &e);
    msg = strdup(e.code ? e.msg : "(accepted)");
    import_run_free(run);
    import_map_free(map);
    return msg;
}

static void
test_errors_same(void **state)
{
    static const struct { const char *text; size_t len; const char *want; } cases[] = {
#define T(s, want) { s, sizeof s - 1, want }
        T("{\"entities\": [\n  {\"guid\": \"a\"}\n  {\"guid\": \"b\"}\n]}",
          "bad.json:3:3: ']' expected near '{'"),
        T("{\"entities\": [{\"guid\": \"a\"},]}", "bad.json:1:29: unexpected token near ']'"),
        T("{\"entities\": [{\"guid\": \"a\"}]} x", "bad.json:1:31: end of file expected near 'x'"),
        T("{\"entities\": [{\"guid\": \"a\", \"n\": 1x}]}", "bad.json:1:35: '}' expected near 'x'"),
        T("{\"referredEntities\": {\"g\": {\"guid\": \"g\"} \"h\": {}}}",
          "bad.json:1:44: '}' expected near '\"h\"'"),
        T("{\"referredEntities\": {\"g\" {\"guid\": \"g\"}}}", "bad.json:1:27: ':' expected near '{'"),
        T("{\"entities\": [{\"guid\": \"\xff\"}]}", "bad.json:1:24: unable to decode byte 0xff"),
        T("{\"entities\": [{\"guid\": \"a\\u12\"}]}", "bad.json:1:30: invalid escape"),
        T("{\"entities\": [{\"guid\": \"a\"}", "bad.json:1:27: ']' expected near end of file"),
        T("{\"entities\": [{\"guid\": \"a\"}]", "bad.json:1:28: '}' expected near end of file"),
        T("\xef\xbb\xbf{\"entities\": []}", "bad.json: starts with a UTF-8 byte order mark"),
        T("\xff\xfe{\0\"\0", "bad.json: UTF-16 text (byte order mark FF FE)"),
        T("{\0\"\0e\0", "bad.json: UTF-16 or binary text"),
        T("{\"entities\": [{\"guid\": \"a\0\"}]}", "bad.json: a NUL byte at offset 25"),
        T("", "bad.json:1:0: '[' or '{' expected near end of file"),
        T("[]", "bad.json: not a atlas export"),
#undef T
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *s = error_of(cases[i].text, cases[i].len, false);
        char *w = error_of(cases[i].text, cases[i].len, true);

        if (strcmp(s, w))
            fail_msg("case %zu: stream \"%s\", whole \"%s\"", i, s, w);
        if (strncmp(s, cases[i].want, strlen(cases[i].want)))
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, s, cases[i].want);
        free(s);
        free(w);
    }
}

/* Everything an import of text as Atlas shows (as outcome), streaming or
 * whole; mapped: through a file mapped with readfile_map. */
static char *
text_outcome(const char *text, size_t len, bool whole, bool mapped)
{
    SM_ERROR(e);
    struct import_map *map = it_map(true);
    struct import_opts o = { .now = "2026-11-26T00:00:00Z", .whole_parse = whole };
    struct import_run *run = import_run_new(map, &o);
    struct model *m = it_model();
    char *buf = NULL, *audit, *mtext = NULL, path[] = "/tmp/sovmap-stream-XXXXXX";
    size_t blen = 0, mlen = 0;
    FILE *f = open_memstream(&buf, &blen);
    int rc;

    assert_non_null(run);
    assert_non_null(f);
    if (mapped) {
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, text, len), (ssize_t)len);
        close(fd);
        assert_non_null(mtext = readfile_map(path, &mlen));
        assert_int_equal(mlen, len);
        rc = import_run_add_mapped(run, "t.json", mtext, mlen, &e);
    } else {
        rc = import_run_add_file(run, "t.json", text, len, &e);
    }
    if (rc == SM_OK)
        rc = import_run_parse(run, importer_find("atlas"), &e);
    if (rc == SM_OK)
        rc = import_run_apply(run, m, &e);
    if (mapped) {
        readfile_unmap(mtext, mlen);
        unlink(path);
    }
    if (rc != SM_OK) {
        fprintf(f, "error: %s\n", e.msg);
    } else {
        assert_int_equal(model_json_write(m, f, &e), SM_OK);
        import_run_print_diff(run, f);
        import_run_print_summary(run, f);
        audit = import_run_audit_text(run);
        fputs(audit ? audit : "(no audit text)", f);
        free(audit);
    }
    fclose(f);
    import_run_free(run);
    model_free(m);
    import_map_free(map);
    return buf;
}

/* Texts the fast path (import_cj.c) hands to jansson, entity by entity:
 * \u escapes, reals, big integers, duplicate keys, control characters,
 * odd UTF-8, deep nesting, repeated top-level keys. Each must import as the
 * whole-document parse does (and, where it is valid, be accepted). */
static void
test_fast_path_same(void **state)
{
#define TABLE(g, attrs, rest)                                                              \
    "{\"guid\": \"" g "\", \"typeName\": \"hive_table\", \"status\": \"ACTIVE\", "           \
    "\"attributes\": {\"qualifiedName\": \"db.t" g "@cl\", \"name\": \"t" g "\"" attrs "}" rest "}"
#define COL(g, t, name)                                                                   \
    "{\"guid\": \"" g "\", \"typeName\": \"hive_column\", \"status\": \"ACTIVE\", "          \
    "\"attributes\": {\"qualifiedName\": \"db.t" t "." name "@cl\", \"name\": \"" name "\"}, " \
    "\"relationshipAttributes\": {\"table\": {\"guid\": \"" t "\", \"x\": [1, {\"y\": 2}]}}, " \
    "\"classifications\": [{\"typeName\": \"PII\", \"attributes\": {\"type\": \"email\"}}]}"
    static const char *const cases[] = {
        /* plain, through the fast path */
        "{\"entities\": [" TABLE("1", ", \"owner\": \"ana\"", "")
        "], \"referredEntities\": {\"2\": " COL("2", "1", "email") "}}",
        /* escapes: \u (jansson's), the simple ones (fast) */
        "{\"entities\": ["
        TABLE("1", ", \"owner\": \"J\\u00fcrgen\", \"description\": \"a\\tb\\\"c\\/\"", "") "]}",
        "{\"entities\": [" TABLE("1", ", \"description\": \"\\ud83d\\ude00 \\n\"", "") "]}",
        /* non-ASCII in place, keys included */
        "{\"entities\": ["
        TABLE("1", ", \"owner\": \"J\xc3\xbcrgen \xe2\x82\xac \xf0\x9f\x98\x80\"", "")
        "], \"referredEntities\": {\"\xc3\xa9\": " COL("2", "1", "e\xc3\xa9") "}}",
        /* numbers: reals, big and negative integers, in kept and dropped parts */
        "{\"entities\": [" TABLE("1", ", \"size\": 1.50, \"rows\": 1234567890123456789, \"n\": -0",
                                 ", \"customAttributes\": {\"r\": 2.5e3, \"i\": -42, \"b\": true, "
                                 "\"z\": null, \"big\": 123456789012345678}, \"createTime\": 1e2")
        "]}",
        /* duplicate keys: jansson keeps the last value at the first's place */
        "{\"entities\": [" TABLE("1", ", \"owner\": \"a\", \"owner\": \"b\"", "") "]}",
        "{\"entities\": ["
        TABLE("1", "", ", \"attributes\": {\"qualifiedName\": \"db.other@cl\"}") "]}",
        "{\"entities\": ["
        TABLE("1", ", \"db\": 1, \"db\": {\"guid\": \"9\", \"guid\": \"8\"}", "") "]}",
        "{\"entities\": [], \"referredEntities\": {\"1\": "
        TABLE("1", ", \"owner\": \"a\"", "") ", \"2\": " COL("2", "1", "c") ", \"1\": "
        TABLE("1", ", \"owner\": \"b\"", "") "}}",
        "{\"entities\": [" TABLE("1", ", \"owner\": \"a\"", "") "], \"entities\": ["
        TABLE("2", ", \"owner\": \"b\"", "") "]}",
        "{\"entities\": {\"a\": 1}, \"entities\": [" TABLE("1", "", "") "]}",
        "{\"referredEntities\": {\"1\": " TABLE("1", "", "") "}, \"referredEntities\": [], "
        "\"entities\": [" TABLE("2", "", "") "]}",
        /* references: lists, non-objects in them, guids of any type */
        "{\"entities\": ["
        TABLE("1", ", \"sd\": [{\"guid\": \"s\"}, 3, [\"x\"]], \"db\": {\"guid\": {\"a\": 1}, "
                   "\"q\": 1}, \"other\": {\"guid\": \"o\"}", "") "]}",
        /* entities that are not objects, empty ones, nesting */
        "{\"entities\": [1, \"x\", null, [], {}, "
        TABLE("1", ", \"deep\": "
                   "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                   "1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
                   "]", "") "]}",
        /* a control character, an overlong and a surrogate in UTF-8: errors */
        "{\"entities\": [" TABLE("1", ", \"owner\": \"a\x01\"", "") "]}",
        "{\"entities\": [" TABLE("1", ", \"owner\": \"\xc0\xaf\"", "") "]}",
        "{\"entities\": [" TABLE("1", ", \"owner\": \"\xed\xa0\x80\"", "") "]}",
        "{\"entities\": [" TABLE("1", ", \"owner\": \"\xf4\x90\x80\x80\"", "") "]}",
        "{\"entities\": [" TABLE("1", ", \"n\": 01", "") "]}",
        "{\"entities\": [" TABLE("1", ", \"n\": -", "") "]}",
        "{\"entities\": [" TABLE("1", ", \"n\": tru", "") "]}",
        "{\"entities\": [" TABLE("1", ", \"n\": 1.", "") "]}",
        "{\"entities\": [" TABLE("1", ", \"n\": \"\\x\"", "") "]}",
        "{\"entities\": [" TABLE("1", ", \"n\": 99999999999999999999999", "") "]}",
    };
#undef TABLE
#undef COL

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len = strlen(cases[i]);
        char *s = text_outcome(cases[i], len, false, false);
        char *w = text_outcome(cases[i], len, true, false);
        char *m = text_outcome(cases[i], len, false, true);

        if (strcmp(s, w))
            fail_msg("case %zu: stream and whole differ:\n%s\n---\n%s", i, s, w);
        if (strcmp(s, m))
            fail_msg("case %zu: mapped and in memory differ:\n%s\n---\n%s", i, m, s);
        if (i < 14 && strstr(s, "error: "))
            fail_msg("case %zu: refused: %s", i, s);
        if (i >= 14 && !strstr(s, "error: t.json:1:"))
            fail_msg("case %zu: accepted: %s", i, s);
        free(s);
        free(w);
        free(m);
    }
}

/* Nesting past jansson's limit inside one entity: the scanner hands the
 * whole text to jansson, whose error is the one reported. */
static void
test_deep_nesting(void **state)
{
    const int depth = 2100;
    size_t n = 64 + 2 * (size_t)depth;
    char *t = malloc(n), *p = t;
    char *s, *w;

    (void)state;
    assert_non_null(t);
    p += sprintf(p, "{\"entities\": [{\"guid\": \"a\", \"x\": ");
    for (int i = 0; i < depth; i++)
        *p++ = '[';
    for (int i = 0; i < depth; i++)
        *p++ = ']';
    p += sprintf(p, "}]}");
    s = error_of(t, (size_t)(p - t), false);
    w = error_of(t, (size_t)(p - t), true);
    assert_string_equal(s, w);
    assert_non_null(strstr(s, "bad.json:1:"));
    free(s);
    free(w);
    free(t);
}

/* A mapped export cut short (or rewritten in place) while it is read: the
 * pages past the new end read as zeros instead of ending the process with
 * SIGBUS, the parse fails on its own, and readfile_unmap says the file was
 * not the one read. A file left alone unmaps clean. */
static void
test_mapped_cut(void **state)
{
    SM_ERROR(e);
    char path[] = "/tmp/sovmap-cut-XXXXXX", *text;
    struct timespec t[2] = { { 0, UTIME_OMIT }, { 12345, 0 } };
    size_t len;
    int fd;

    (void)state;
    assert_true((fd = mkstemp(path)) >= 0);
    close(fd);
    for (int how = 0; how < 3; how++) { /* 0 left alone, 1 cut short, 2 touched */
        struct import_map *map = it_map(true);
        struct import_opts o = { .now = "2026-11-26T00:00:00Z" };
        struct import_run *run = import_run_new(map, &o);
        FILE *f = fopen(path, "w");
        size_t n = 0;

        assert_non_null(run);
        assert_non_null(f);
        fputs("{\"entities\": [", f);
        for (int i = 0; i < 4000; i++)
            n += (size_t)fprintf(f, "%s{\"guid\": \"g%d\", \"typeName\": \"hive_table\", "
                                "\"attributes\": {\"qualifiedName\": \"db.t%d@c\"}}",
                                i ? ", " : "", i, i);
        fputs("]}", f);
        assert_int_equal(fclose(f), 0);
        assert_true(n > 3 * 4096);
        assert_non_null(text = readfile_map(path, &len));
        if (how == 1)
            assert_int_equal(truncate(path, 100), 0);
        if (how == 2)
            assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
        /* cut short: the zeros past the new end are an error of the parse */
        assert_int_equal(import_run_add_mapped(run, "cut.json", text, len, &e) == SM_OK,
                         how != 1);
        assert_int_equal(readfile_unmap(text, len), how ? -1 : 0);
        import_run_free(run);
        import_map_free(map);
    }
    unlink(path);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixtures_same),
        cmocka_unit_test(test_errors_same),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_fast_path_same),
        cmocka_unit_test(test_mapped_cut),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
