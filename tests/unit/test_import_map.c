/*
 * test_import_map.c - the mapping file: rule matching (source, name,
 * value, attributes), first match wins, later files first, templates with
 * ${value} ${name} ${ATTR} and |upper |lower, ignore, region tables, and
 * errors that name the file and the rule; the "suggest" patterns of
 * sovmap classify (words, '*' at either end, later files first).
 */
#include "import_test.h"

#include <ctype.h>

static struct import_map *
load(const char *text, struct import_map *base, struct sm_error *e)
{
    struct import_map *map = NULL;

    if (import_map_load_text(base, text, strlen(text), "map.json", &map, e) != SM_OK)
        return NULL;
    return map;
}

/* import_map_label, freeing what the previous call left in out. */
static void
label(const struct import_map *map, enum import_from from, const char *name, const char *value,
      const char *const *attrs, bool names_only, struct import_mapped *out)
{
    import_mapped_fini(out);
    import_map_label(map, from, name, value, attrs, names_only, out);
}

static void
test_shipped_map(void **state)
{
    struct import_map *map = it_map(false);
    struct import_mapped mp = { 0 };
    const char *email[] = { "type", "email", NULL };
    const char *eu[] = { "jurisdiction", "EU", NULL };
    const char *empty[] = { "type", "", NULL };

    (void)state;
    label(map, IMPORT_FROM_ATLAS, "tier1", NULL, NULL, false, &mp);
    assert_true(mp.matched);
    assert_string_equal(mp.tier, "restricted");
    assert_int_equal(mp.ntags, 1);
    assert_string_equal(mp.tags[0], "tier=tier1");  /* the tier's provenance */

    label(map, IMPORT_FROM_ATLAS, "PII", NULL, email, false, &mp);
    assert_int_equal(mp.ntags, 1);
    assert_string_equal(mp.tags[0], "pii.email");
    /* no (or an empty) type: the next rule */
    label(map, IMPORT_FROM_ATLAS, "PII", NULL, empty, false, &mp);
    assert_int_equal(mp.ntags, 1);
    assert_string_equal(mp.tags[0], "pii");
    label(map, IMPORT_FROM_ATLAS, "pii", NULL, NULL, false, &mp);
    assert_string_equal(mp.tags[0], "pii");     /* names match case-insensitively */

    label(map, IMPORT_FROM_ATLAS, "sovereignty", NULL, eu, false, &mp);
    assert_int_equal(mp.nsubjects, 1);
    assert_string_equal(mp.subjects[0], "EU");
    assert_string_equal(mp.tags[0], "sovereignty=EU");
    /* a lineage header has no attributes: the attribute rule cannot match */
    label(map, IMPORT_FROM_ATLAS, "sovereignty", NULL, NULL, true, &mp);
    assert_true(mp.ignore);
    assert_int_equal(mp.nsubjects, 0);

    /* LF: lower-case values, normalised */
    label(map, IMPORT_FROM_LF, "sovereignty", "eu", NULL, false, &mp);
    assert_string_equal(mp.subjects[0], "EU");
    assert_string_equal(mp.tags[0], "sovereignty=EU");
    label(map, IMPORT_FROM_LF, "tier", "tier2", NULL, false, &mp);
    assert_string_equal(mp.tier, "confidential");
    label(map, IMPORT_FROM_LF, "domain", "fleet", NULL, false, &mp);
    assert_string_equal(mp.system, "${value}");     /* expanded when applied */
    /* Atlas rules do not apply to Glue tags and back */
    label(map, IMPORT_FROM_GLUE, "tier1", "x", NULL, false, &mp);
    assert_false(mp.matched);
    label(map, IMPORT_FROM_ATLAS, "sensitivity", "pii", NULL, false, &mp);
    assert_false(mp.matched);
    label(map, IMPORT_FROM_GLUE, "contains-pii", "false", NULL, false, &mp);
    assert_true(mp.ignore);
    import_mapped_fini(&mp);
    import_map_free(map);
}

static void
test_layering_and_templates(void **state)
{
    SM_ERROR(e);
    struct import_map *base, *map;
    struct import_mapped mp = { 0 };
    const char *attrs[] = { "jurisdiction", "br", "level", "3", NULL };

    (void)state;
    base = load("{\"rules\": [{\"name\": \"tier1\", \"tier\": \"restricted\"},"
                " {\"name\": \"geo\", \"attrs\": {\"jurisdiction\": \"*\"},"
                "  \"subjects\": [\"${jurisdiction}\"], \"tags\": [\"geo=${jurisdiction|upper}\","
                "  \"lvl.${level}\", \"x.${missing}\"]},"
                " {\"from\": \"glue\", \"name\": \"aws:*\", \"ignore\": true},"
                " {\"from\": [\"lf\"], \"name\": \"k\", \"value\": \"v\", \"owner\": \"team-${value}\"}],"
                " \"s3_buckets\": {\"My-Bucket\": \"eu-west-1\", \"b2\": \"gcp:europe-west3\"},"
                " \"atlas_namespaces\": {\"cl1\": \"aws:eu-central-1\"}}", NULL, &e);
    if (!base)
        fail_msg("%s", e.msg);
    label(base, IMPORT_FROM_ATLAS, "geo", NULL, attrs, false, &mp);
    assert_string_equal(mp.subjects[0], "BR");
    assert_int_equal(mp.ntags, 2);                  /* x.${missing} is dropped */
    assert_string_equal(mp.tags[0], "geo=BR");
    assert_string_equal(mp.tags[1], "lvl.3");
    label(base, IMPORT_FROM_GLUE, "aws:cloudformation:stack-name", "s", NULL, false,
                     &mp);
    assert_true(mp.ignore);
    label(base, IMPORT_FROM_ATLAS, "aws:x", NULL, NULL, false, &mp);
    assert_false(mp.matched);
    label(base, IMPORT_FROM_LF, "k", "V", NULL, false, &mp);
    assert_string_equal(mp.owner, "team-${value}");
    assert_string_equal(import_map_bucket_region(base, "my-bucket"), "aws:eu-west-1");
    assert_string_equal(import_map_bucket_region(base, "b2"), "gcp:europe-west3");
    assert_null(import_map_bucket_region(base, "other"));
    assert_string_equal(import_map_namespace_region(base, "CL1"), "aws:eu-central-1");

    /* a later file's rules come first; its regions override */
    map = load("{\"rules\": [{\"name\": \"tier1\", \"tier\": \"confidential\"}],"
               " \"s3_buckets\": {\"my-bucket\": \"aws:us-east-1\"}}", base, &e);
    assert_ptr_equal(map, base);
    label(map, IMPORT_FROM_ATLAS, "tier1", NULL, NULL, false, &mp);
    assert_string_equal(mp.tier, "confidential");
    label(map, IMPORT_FROM_ATLAS, "geo", NULL, attrs, false, &mp);
    assert_string_equal(mp.tags[0], "geo=BR");      /* earlier rules still there */
    assert_string_equal(import_map_bucket_region(map, "my-bucket"), "aws:us-east-1");
    import_mapped_fini(&mp);
    import_map_free(map);
}

/* A 10 KB attribute name (ASCII, CJK, emoji) in ${ATTR} and ${ATTR|upper}:
 * expanded whole, never cut nor refused for its length (issue #17). */
static char *
long_text(const char *tail)
{
    size_t n = 0, cap = 16 * 1024;
    char *s = malloc(cap);

    assert_non_null(s);
    for (int i = 0; i < 3400; i++)
        s[n++] = 'k';
    for (int i = 0; i < 1134; i++, n += 3)
        memcpy(s + n, "\xe6\x95\xb0", 3);            /* 数 */
    for (int i = 0; i < 850; i++, n += 4)
        memcpy(s + n, "\xf0\x9f\x8c\x8d", 4);       /* 🌍 */
    strcpy(s + n, tail);
    return s;
}

static void
test_long_attribute(void **state)
{
    SM_ERROR(e);
    struct import_map *map;
    struct import_mapped mp = { 0 };
    char *key = long_text(""), *value = long_text("v"), *text, *want;
    const char *attrs[] = { "short", "s", NULL, NULL, NULL };

    (void)state;
    assert_int_equal(strlen(key), 10202);
    attrs[2] = key;
    attrs[3] = value;
    text = sm_strdupf("{\"rules\": [{\"name\": \"geo\", \"attrs\": {\"%s\": \"*\"},"
                      " \"tags\": [\"t=${%s}\", \"u=${%s|upper}\", \"x=${%s}\"]}]}",
                      key, key, key, key + 1);
    assert_non_null(text);
    if (!(map = load(text, NULL, &e)))
        fail_msg("%s", e.msg);
    label(map, IMPORT_FROM_ATLAS, "geo", NULL, attrs, false, &mp);
    assert_true(mp.matched);
    assert_int_equal(mp.ntags, 2);                  /* x=: a name one byte short is missing */
    want = sm_strdupf("t=%s", value);
    assert_string_equal(mp.tags[0], want);
    free(want);
    for (char *p = value; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    want = sm_strdupf("u=%s", value);
    assert_string_equal(mp.tags[1], want);
    free(want);
    import_mapped_fini(&mp);
    import_map_free(map);
    free(text);
    free(key);
    free(value);
}

static const char *
suggest(const struct import_map *map, const char *field, const char **pattern)
{
    const char *tag, *p;

    assert_int_equal(import_map_suggest(map, field, &tag, &p), SM_OK);
    if (pattern)
        *pattern = p;
    return tag;
}

static void
test_suggest(void **state)
{
    static const struct { const char *field, *tag; } shipped[] = {
        { "email", "pii.email" }, { "E_Mail", "pii.email" }, { "contact-email", "pii.email" },
        { "emailAddress", "pii.email" }, { "work_email2", "pii.email" },
        { "phone", "pii.phone" }, { "home_phone", "pii.phone" }, { "telefon", "pii.phone" },
        { "telefonNummer", "pii.phone" }, { "dob", "pii.dob" }, { "date_of_birth", "pii.dob" },
        { "birthDate", "pii.dob" }, { "Geburtsdatum", "pii.dob" }, { "IBAN", "pii.financial" },
        { "ssn", "pii.national_id" }, { "passport_no", "pii.national_id" },
        { "address_line1", "pii.location" }, { "Straße", "pii.location" },
        { "strasse", "pii.location" },
        /* names that only contain a pattern inside a word stay untagged */
        { "phonetic", NULL }, { "dobby", NULL }, { "mailbox_size", NULL },
        { "order_id", NULL }, { "sessionid", NULL }, { "", NULL },
    };
    SM_ERROR(e);
    struct import_map *map = it_map(false), *top;
    const char *pattern;

    (void)state;
    for (size_t i = 0; i < sizeof shipped / sizeof *shipped; i++) {
        const char *tag = suggest(map, shipped[i].field, NULL);

        if (shipped[i].tag ? !tag || strcmp(tag, shipped[i].tag) : tag != NULL)
            fail_msg("%s: got %s, want %s", shipped[i].field, tag ? tag : "none",
                     shipped[i].tag ? shipped[i].tag : "none");
    }
    assert_string_equal(suggest(map, "Geburtsdatum", &pattern), "pii.dob");
    assert_string_equal(pattern, "geburtsdatum");
    /* a later file's patterns first; '*' at either end */
    top = load("{\"suggest\": {\"fields\": [{\"names\": [\"*mail\", \"kunden*\"], "
               "\"tag\": \"pii.contact\"}]}}", map, &e);
    assert_non_null(top);
    assert_string_equal(suggest(top, "email", NULL), "pii.contact");
    assert_string_equal(suggest(top, "usermail", &pattern), "pii.contact");
    assert_string_equal(pattern, "*mail");
    assert_string_equal(suggest(top, "KundenNr", NULL), "pii.contact");
    assert_string_equal(suggest(top, "phone", NULL), "pii.phone");     /* the shipped still */
    assert_null(suggest(top, "mailbox", NULL));
    import_map_free(top);
    /* a 10 KB name is matched whole */
    {
        size_t n = 10000;
        char *big = malloc(n + sizeof "_iban");

        assert_non_null(big);
        memset(big, 'x', n);
        strcpy(big + n, "_iban");
        map = it_map(false);
        assert_string_equal(suggest(map, big, NULL), "pii.financial");
        free(big);
        import_map_free(map);
    }
}

static void
test_errors(void **state)
{
    static const struct { const char *text, *msg; } cases[] = {
        { "{\"rules\": [{\"name\": \"a\", \"teir\": \"x\"}]}",
          "map.json: rules[0]: unknown key \"teir\"" },
        { "{\"rules\": [{\"tier\": \"x\"}]}", "map.json: rules[0] needs a \"name\"" },
        { "{\"rules\": [{\"name\": \"a\", \"from\": \"hive\"}]}",
          "map.json: rules[0].from: \"hive\" is not atlas, glue, lf or terraform" },
        { "{\"rules\": [{\"name\": \"a\", \"tags\": \"x\"}, {\"name\": \"b\", \"tags\": [1]}]}",
          "map.json: rules[1].tags must be a list of strings" },
        { "{\"s3_buckets\": {\"b\": 3}}", "map.json: s3_buckets.b must be a region id" },
        { "{\"bucket\": {}}", "map.json: unknown key \"bucket\"" },
        { "[]", "map.json: a mapping file is a JSON object" },
        { "{\"suggest\": []}", "map.json: suggest must be an object" },
        { "{\"suggest\": {\"field\": []}}", "map.json: suggest: unknown key \"field\"" },
        { "{\"suggest\": {\"fields\": [{\"names\": [\"a\"]}]}}",
          "map.json: suggest.fields[0].tag must be a non-empty string" },
        { "{\"suggest\": {\"fields\": [{\"names\": [], \"tag\": \"pii\"}]}}",
          "map.json: suggest.fields[0].names must be a non-empty list of strings" },
        { "{\"suggest\": {\"fields\": [{\"names\": [\"a*b\"], \"tag\": \"pii\"}]}}",
          "map.json: suggest.fields[0].names[0]: a name, with '*' only at either end" },
        { "{\"suggest\": {\"fields\": [{\"names\": [\"*\"], \"tag\": \"pii\"}]}}",
          "map.json: suggest.fields[0].names[0]: a name, with '*' only at either end" },
        { "{\n  \"rules\": [\n    {\"name\": }\n  ]\n}", "map.json:3:" },
    };
    SM_ERROR(e);

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sm_error_fini(&e);
        assert_null(load(cases[i].text, NULL, &e));
        assert_int_equal(e.code, SM_EPARSE);
        if (strncmp(e.msg, cases[i].msg, strlen(cases[i].msg)))
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, e.msg, cases[i].msg);
    }
    /* a missing file */
    sm_error_fini(&e);
    {
        struct import_map *map = NULL;
        assert_int_equal(import_map_load(NULL, "/nonexistent/map.json", &map, &e), SM_EIO);
        assert_null(map);
    }
}

static void
test_unmapped_labels_kept(void **state)
{
    /* unmatched classifications are kept as free tags, with provenance */
    SM_ERROR(e);
    struct import_map *map = load("{}", NULL, &e);
    struct model *m = it_model();
    const char *path = tl_path(tl_tmpdir(), "one.json");
    const char *files[] = { path, NULL };
    struct import_run *run;
    FILE *f = fopen(path, "wb");
    int32_t t;

    (void)state;
    fputs("{\"entity\": {\"typeName\": \"kafka_topic\", \"guid\": \"g1\", \"status\": \"ACTIVE\","
          " \"attributes\": {\"qualifiedName\": \"orders@kafka-eu\", \"name\": \"orders\"},"
          " \"classifications\": [{\"typeName\": \"Finance\", \"entityGuid\": \"g1\"}]},"
          " \"referredEntities\": {}}", f);
    fclose(f);
    run = it_import(m, map, "atlas", NULL, files, &e);
    if (!run)
        fail_msg("%s", e.msg);
    t = it_tag(m, "orders", NULL, "Finance");
    assert_int_not_equal(t, SM_NONE);
    assert_string_equal(m->tags[t].entity, "g1");
    assert_string_equal(m->tags[t].source, path);
    /* a topic has no region without a namespace map or --region */
    assert_string_equal(it_primary(m, "orders"), "");
    import_run_free(run);
    import_map_free(map);

    map = load("{\"atlas_namespaces\": {\"kafka-eu\": \"aws:eu-central-1\"}}", NULL, &e);
    run = it_import(m, map, "atlas", NULL, files, &e);
    assert_non_null(run);
    assert_string_equal(it_primary(m, "orders"), "aws:eu-central-1");
    import_run_free(run);
    import_map_free(map);
    model_free(m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_map),
        cmocka_unit_test(test_layering_and_templates),
        cmocka_unit_test(test_long_attribute),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_unmapped_labels_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
