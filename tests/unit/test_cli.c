/*
 * test_cli.c - the command line's shared parts: option parsing (every
 * spelling, errors with suggestions, --help), error lines, and the escaping
 * of names in text and JSON output.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store.h"
#include "rulepack.h"
#include "../../src/cli/cmd_util.h"

struct io {
    struct cli c;
    char *out, *err;
    size_t nout, nerr;
};

static int
setup(void **state)
{
    struct io *io = calloc(1, sizeof *io);

    assert_non_null(io);
    io->c.out = open_memstream(&io->out, &io->nout);
    io->c.err = open_memstream(&io->err, &io->nerr);
    assert_non_null(io->c.out);
    assert_non_null(io->c.err);
    *state = io;
    return 0;
}

static int
teardown(void **state)
{
    struct io *io = *state;

    fclose(io->c.out);
    fclose(io->c.err);
    free(io->out);
    free(io->err);
    free(io);
    return 0;
}

static const char *
out_of(struct io *io)
{
    fflush(io->c.out);
    return io->out;
}

static const char *
err_of(struct io *io)
{
    fflush(io->c.err);
    return io->err;
}

static const struct command test_cmd = {
    .name = "thing add",
    .summary = "test",
    .usage = "usage: sovmap thing add NAME [--tier T]\nmore text\n",
    .run = NULL,
};

struct vals {
    bool yes;
    const char *tier, *enc;
    int limit;
    struct cli_strs tags;
};

static int
parse(struct io *io, struct vals *v, char **pos, int *npos, bool *help, int argc, char **argv)
{
    const struct cli_opt opts[] = {
        { "--yes", OPT_FLAG, &v->yes, "do it" },
        { "--tier", OPT_STR, &v->tier, "a tier" },
        { "--encrypted", OPT_BOOL, &v->enc, "encrypted at rest" },
        { "--limit", OPT_INT, &v->limit, "N" },
        { "--tag", OPT_STRS, &v->tags, "a tag" },
        { "-o", OPT_STR, &v->tier, "short" },
        { NULL, 0, NULL, NULL },
    };
    memset(v, 0, sizeof *v);
    return cli_parse(&io->c, &test_cmd, argc, argv, opts, pos, npos, help);
}

static void
test_parse_spellings(void **state)
{
    struct io *io = *state;
    struct vals v;
    char *pos[16];
    int npos;
    bool help;
    char *argv[] = { "add", "orders", "--tier", "restricted", "--yes", "--limit=12",
                     "--tag", "pii", "--tag=pii.email", "--encrypted", "-", "--",
                     "--not-an-option", NULL };

    assert_int_equal(parse(io, &v, pos, &npos, &help, 13, argv), CLI_OK);
    assert_false(help);
    assert_string_equal(v.tier, "restricted");
    assert_true(v.yes);
    assert_int_equal(v.limit, 12);
    assert_int_equal(v.tags.n, 2);
    assert_string_equal(v.tags.v[0], "pii");
    assert_string_equal(v.tags.v[1], "pii.email");
    assert_string_equal(v.enc, "true");
    assert_int_equal(npos, 3);
    assert_string_equal(pos[0], "orders");
    assert_string_equal(pos[1], "-");
    assert_string_equal(pos[2], "--not-an-option");
    assert_string_equal(err_of(io), "");
}

static void
test_parse_booleans(void **state)
{
    struct io *io = *state;
    struct vals v;
    char *pos[8];
    int npos;
    bool help;
    char *a1[] = { "add", "--no-encrypted", "--yes=no", NULL };
    char *a2[] = { "add", "--encrypted=false", NULL };
    char *a3[] = { "add", "--encrypted=maybe", NULL };
    char *a4[] = { "add", NULL };

    assert_int_equal(parse(io, &v, pos, &npos, &help, 3, a1), CLI_OK);
    assert_string_equal(v.enc, "false");
    assert_false(v.yes);
    assert_int_equal(parse(io, &v, pos, &npos, &help, 2, a2), CLI_OK);
    assert_string_equal(v.enc, "false");
    assert_int_equal(parse(io, &v, pos, &npos, &help, 2, a3), CLI_USAGE);
    assert_non_null(strstr(err_of(io), "bad value maybe for --encrypted: use true or false"));
    /* not given stays NULL: "not given" is not "false" */
    assert_int_equal(parse(io, &v, pos, &npos, &help, 1, a4), CLI_OK);
    assert_null(v.enc);
    assert_int_equal(npos, 0);
}

static void
test_parse_unknown_option_suggests(void **state)
{
    struct io *io = *state;
    struct vals v;
    char *pos[8];
    int npos;
    bool help;
    char *argv[] = { "add", "x", "--teir", "restricted", NULL };

    assert_int_equal(parse(io, &v, pos, &npos, &help, 4, argv), CLI_USAGE);
    assert_string_equal(err_of(io),
                        "sovmap: unknown option --teir for thing add; did you mean --tier?\n");
}

static void
test_parse_unknown_option_far(void **state)
{
    struct io *io = *state;
    struct vals v;
    char *pos[8];
    int npos;
    bool help;
    char *argv[] = { "add", "--frobnicate", NULL };

    assert_int_equal(parse(io, &v, pos, &npos, &help, 2, argv), CLI_USAGE);
    assert_string_equal(err_of(io), "sovmap: unknown option --frobnicate for thing add; "
                        "see sovmap thing add --help\n");
}

static void
test_parse_global_after_command(void **state)
{
    struct io *io = *state;
    struct vals v;
    char *pos[8];
    int npos;
    bool help;
    char *a1[] = { "add", "--catalog", "x.db", NULL };
    char *a2[] = { "add", "--quiet", "--verbose", "n", NULL };

    assert_int_equal(parse(io, &v, pos, &npos, &help, 3, a1), CLI_USAGE);
    assert_non_null(strstr(err_of(io), "--catalog is a global option: put it before the command"));
    io->c.progress = true;
    assert_int_equal(parse(io, &v, pos, &npos, &help, 4, a2), CLI_OK);
    assert_int_equal(io->c.quiet, 1);
    assert_int_equal(io->c.verbose, 1);
    assert_false(io->c.progress);
    assert_int_equal(npos, 1);
}

static void
test_parse_missing_value_and_bad_int(void **state)
{
    struct io *io = *state;
    struct vals v;
    char *pos[8];
    int npos;
    bool help;
    char *a1[] = { "add", "x", "--tier", NULL };
    char *a2[] = { "add", "--limit", "12x", NULL };

    assert_int_equal(parse(io, &v, pos, &npos, &help, 3, a1), CLI_USAGE);
    assert_string_equal(err_of(io), "sovmap: option --tier needs a value (a tier)\n"
                        "usage: sovmap thing add NAME [--tier T]\n");
    assert_int_equal(parse(io, &v, pos, &npos, &help, 3, a2), CLI_USAGE);
    assert_non_null(strstr(err_of(io), "bad value 12x for --limit: not a whole number"));
}

static void
test_parse_help(void **state)
{
    struct io *io = *state;
    struct vals v;
    char *pos[8];
    int npos;
    bool help;
    char *argv[] = { "add", "x", "--help", "--bogus", NULL };

    assert_int_equal(parse(io, &v, pos, &npos, &help, 4, argv), CLI_OK);
    assert_true(help);
    assert_string_equal(out_of(io), test_cmd.usage);
}

static void
test_parse_short_option(void **state)
{
    struct io *io = *state;
    struct vals v;
    char *pos[8];
    int npos;
    bool help;
    char *argv[] = { "add", "-o", "file.svg", NULL };

    assert_int_equal(parse(io, &v, pos, &npos, &help, 3, argv), CLI_OK);
    assert_string_equal(v.tier, "file.svg");
    assert_int_equal(npos, 0);
}

static void
test_put_text_escapes(void **state)
{
    struct io *io = *state;

    cli_put_text(io->c.out, "\"; DROP TABLE dataset; --");
    fputc('|', io->c.out);
    cli_put_text(io->c.out, "<b>a\nb\tc\x1b[31m\x7f");
    fputc('|', io->c.out);
    cli_put_text(io->c.out, "caf\xc3\xa9 \xe2\x82\xac \xc2\x9b \xff\xc3");
    assert_string_equal(out_of(io), "\"; DROP TABLE dataset; --|<b>a\\nb\\tc\\x1b[31m\\x7f|"
                        "caf\xc3\xa9 \xe2\x82\xac \\xc2\\x9b \\xff\\xc3");
}

static void
test_put_json_escapes(void **state)
{
    struct io *io = *state;

    cli_put_json(io->c.out, "a\"b\\c\nd\x01<b>\xc3\xa9");
    fputc(' ', io->c.out);
    cli_put_json(io->c.out, "\xed\xa0\x80x");    /* a surrogate is not UTF-8 */
    fputc(' ', io->c.out);
    cli_put_json(io->c.out, NULL);
    assert_string_equal(out_of(io), "\"a\\\"b\\\\c\\nd\\u0001<b>\xc3\xa9\" "
                        "\"\\ufffd\\ufffd\\ufffdx\" \"\"");
}

static void
test_fail_lines(void **state)
{
    struct io *io = *state;
    struct sm_error e = { SM_ENOTFOUND, "unknown region aws:eu-west-9; did you mean aws:eu-west-1?", NULL };
    static const char *const fmts[] = { "text", "json", NULL };

    assert_int_equal(cli_error(&io->c, &e), CLI_USAGE);
    assert_int_equal(cli_usage_fail(&io->c, "usage: a\nb\n", "missing %s", "NAME"), CLI_USAGE);
    assert_int_equal(cli_check_format(&io->c, "json", fmts), CLI_OK);
    assert_int_equal(cli_check_format(&io->c, "xml", fmts), CLI_USAGE);
    assert_string_equal(err_of(io),
                        "sovmap: unknown region aws:eu-west-9; did you mean aws:eu-west-1?\n"
                        "sovmap: missing NAME\nusage: a\n"
                        "sovmap: bad --format xml: use text, json\n");
}

static void
test_progress_only_when_asked(void **state)
{
    struct io *io = *state;

    io->c.progress = false;
    cli_progress(&io->c, "importing", 5, 10);
    assert_string_equal(err_of(io), "");
    io->c.progress = true;
    cli_progress(&io->c, "importing", 5, 10);
    assert_non_null(strstr(err_of(io), "importing 5/10"));
    assert_string_equal(out_of(io), "");
}


/* ---- options and help from the attribute tables ---------------------------------- */

static void
test_attr_opts_follow_the_model(void **state)
{
    struct io *io = *state;
    static const char *const skip[] = { "region", NULL };
    struct attr_opts ao;
    struct cli_opt opts[EDIT_MAX_ATTRS + ATTR_MAX_ALIASES + 2];
    int nopts = 0, settable = 0;

    for (int k = 0; k < OBJ_KIND_COUNT; k++) {
        nopts = 0;
        settable = 0;
        attr_opts_add(&ao, (enum obj_kind)k, NULL, opts, &nopts);
        for (const struct attr *a = model_attrs((enum obj_kind)k); a && a->name; a++) {
            if (a->readonly)
                continue;
            char name[64];
            snprintf(name, sizeof name, "--%s", a->name);
            assert_string_equal(opts[settable].name, name);
            assert_int_equal(opts[settable].type, a->type == ATTR_BOOL ? OPT_BOOL : OPT_STR);
            assert_ptr_equal(opts[settable].help, a->help);
            settable++;
        }
        if (k == OBJ_FLOW) {
            /* the short spellings follow, on add and edit alike */
            assert_string_equal(opts[settable].name, "--ref");
            assert_string_equal(opts[settable + 1].name, "--encrypted");
            assert_int_equal(opts[settable + 1].type, OPT_BOOL);
            settable += 2;
        }
        assert_int_equal(nopts, settable);
        assert_null(opts[nopts].name);
    }
    nopts = 0;
    attr_opts_add(&ao, OBJ_PLACEMENT, skip, opts, &nopts);
    for (int i = 0; i < nopts; i++)
        assert_string_not_equal(opts[i].name, "--region");

    /* the help lists the same attributes, with their help text */
    cmd_attr_help(io->c.out, OBJ_DATASET, NULL);
    assert_non_null(strstr(out_of(io), "  --tier TIER"));
    assert_non_null(strstr(out_of(io), "--public-sector[=false]"));
    assert_non_null(strstr(out_of(io), model_attr(OBJ_DATASET, "subjects")->help));
    assert_null(strstr(out_of(io), "--fields"));        /* read-only */
}

static void
test_attr_opts_to_edit(void **state)
{
    struct io *io = *state;
    struct attr_opts ao;
    struct cli_opt opts[EDIT_MAX_ATTRS + 2];
    struct edit e;
    char *pos[8];
    int nopts = 0, npos;
    bool help;
    char *argv[] = { "add", "orders", "--tier", "restricted", "--no-public-sector",
                     "--subjects=EU,BR", NULL };

    attr_opts_add(&ao, OBJ_DATASET, NULL, opts, &nopts);
    assert_int_equal(cli_parse(&io->c, &test_cmd, 6, argv, opts, pos, &npos, &help), CLI_OK);
    memset(&e, 0, sizeof e);
    assert_int_equal(attr_opts_edit(&ao, &e), 3);
    /* table order, not command-line order */
    assert_string_equal(e.attrs[0].name, "tier");
    assert_string_equal(e.attrs[0].value, "restricted");
    assert_string_equal(e.attrs[1].name, "subjects");
    assert_string_equal(e.attrs[1].value, "EU,BR");
    assert_string_equal(e.attrs[2].name, "public-sector");
    assert_string_equal(e.attrs[2].value, "false");
    assert_string_equal(attr_opts_get(&ao, "tier"), "restricted");
    assert_null(attr_opts_get(&ao, "owner"));
}

/* ---- tables ------------------------------------------------------------------------- */

static const char *const rows[][3] = {
    { "orders", "", "2" },
    { "a\tb", "restricted", "" },
    { "skip", "x", "y" },
};

static bool
row_fn(void *ctx, int32_t i, const char **cols)
{
    (void)ctx;
    if (i == 2)
        return false;
    for (int k = 0; k < 3; k++)
        cols[k] = rows[i][k];
    return true;
}

static void
test_table_text_and_tsv(void **state)
{
    struct io *io = *state;
    static const char *const heads[] = { "NAME", "TIER", "N" };

    cmd_table(&io->c, FMT_TEXT, 3, heads, 3, row_fn, NULL);
    cmd_table(&io->c, FMT_TSV, 3, heads, 3, row_fn, NULL);
    assert_string_equal(out_of(io),
                        "NAME    TIER        N\n"
                        "orders              2\n"
                        "a\\tb    restricted\n"
                        "NAME\tTIER\tN\n"
                        "orders\t\t2\n"
                        "a\\tb\trestricted\t\n");
}

static void
json_row(struct cli *c, void *ctx, int32_t i, const char **cols)
{
    (void)ctx;
    fprintf(c->out, "\"i\":%d,\"name\":", (int)i);
    cli_put_json(c->out, cols[0]);
}

static void
test_list_json_and_table(void **state)
{
    struct io *io = *state;
    static const char *const heads[] = { "NAME", "TIER", "N" };

    cmd_list(&io->c, FMT_JSON, 3, heads, 3, row_fn, json_row, NULL);
    cmd_list(&io->c, FMT_JSON, 3, heads, 0, row_fn, json_row, NULL);
    cmd_list(&io->c, FMT_TSV, 3, heads, 1, row_fn, json_row, NULL);
    assert_string_equal(out_of(io),
                        "[\n  {\"i\":0,\"name\":\"orders\"},\n  {\"i\":1,\"name\":\"a\\tb\"}\n]\n"
                        "[]\n"
                        "NAME\tTIER\tN\norders\t\t2\n");
}

/* ---- arguments: a few kept, all counted ----------------------------------------------- */

static void
test_cmd_parse_keeps_a_few(void **state)
{
    struct io *io = *state;
    const char *tier = NULL;
    char *many[40] = { "add" }, *pos[2] = { NULL, NULL };
    int npos;
    bool help;
    const struct cli_opt opts[] = {
        { "--tier", OPT_STR, &tier, "a tier" },
        { NULL, 0, NULL, NULL },
    };

    for (int i = 1; i < 39; i++)
        many[i] = i == 20 ? "--tier" : "word";
    many[21] = "public";
    assert_int_equal(cmd_parse(&io->c, &test_cmd, 39, many, opts, pos, 2, &npos, &help), CLI_OK);
    assert_int_equal(npos, 36);
    assert_false(help);
    assert_string_equal(pos[0], "word");
    assert_string_equal(tier, "public");
    many[1] = "--help";
    assert_int_equal(cmd_parse(&io->c, &test_cmd, 39, many, opts, pos, 2, &npos, &help), CLI_OK);
    assert_true(help);
    many[1] = "--bogus";
    assert_int_equal(cmd_parse(&io->c, &test_cmd, 39, many, opts, pos, 2, &npos, &help),
                     CLI_USAGE);
}

/* ---- the catalog: open, apply, json attributes -------------------------------------- */

static void
test_open_apply_and_json(void **state)
{
    struct io *io = *state;
    struct edit e;
    int32_t id;

    io->c.catalog = tl_path(tl_tmpdir(), "cli.db");
    io->c.datadir = tl_datadir();
    /* an explicit path that does not exist is not created by a reader */
    assert_int_equal(cli_open(&io->c, STORE_READONLY), CLI_USAGE);
    assert_non_null(strstr(err_of(io), "no such catalog; create it with sovmap --catalog"));
    assert_int_equal(cli_open(&io->c, STORE_CREATE), CLI_OK);
    /* a new catalog gets the pack's default tiers */
    assert_int_not_equal(model_tier(io->c.m, "restricted"), SM_NONE);
    assert_int_not_equal(model_tier(io->c.m, "public"), SM_NONE);

    memset(&e, 0, sizeof e);
    e.op = EDIT_ADD;
    e.kind = OBJ_DATASET;
    e.key = "orders \"x\"";
    e.attrs[e.nattrs++] = (struct edit_attr){ "tier", "restricted" };
    e.attrs[e.nattrs++] = (struct edit_attr){ "retention", "30" };
    assert_int_equal(cli_apply(&io->c, &e, "added"), CLI_OK);
    assert_string_equal(out_of(io), "added dataset orders \"x\"\n");
    id = model_dataset(io->c.m, "orders \"x\"");
    assert_int_not_equal(id, SM_NONE);
    cmd_json_attrs(&io->c, OBJ_DATASET, id);
    assert_non_null(strstr(out_of(io), ",\"tier\":\"restricted\",\"subjects\":\"\""));
    assert_non_null(strstr(out_of(io), ",\"retention\":30,\"public-sector\":false,"));

    /* a failing edit prints the model's message and changes nothing */
    e.attrs[0].value = "restricte";
    e.key = "other";
    assert_int_equal(cli_apply(&io->c, &e, "added"), CLI_USAGE);
    assert_non_null(strstr(err_of(io), "did you mean restricted?"));
    assert_int_equal(model_dataset(io->c.m, "other"), SM_NONE);

    /* what was applied is in the catalog */
    store_close(io->c.st);
    model_free(io->c.m);
    io->c.st = NULL;
    io->c.m = NULL;
    assert_int_equal(cli_open(&io->c, STORE_READONLY), CLI_OK);
    assert_int_not_equal(model_dataset(io->c.m, "orders \"x\""), SM_NONE);
    store_close(io->c.st);
    model_free(io->c.m);
    rulepack_free(io->c.rp);
}

/* No SM_* error code is an exit status, and each one leaking out of a
 * command exits as an error (2), never as "findings" (1). */
static void
test_exit_status(void **state)
{
    (void)state;
    assert_int_equal(cli_exit_status(CLI_OK), CLI_OK);
    assert_int_equal(cli_exit_status(CLI_FINDINGS), CLI_FINDINGS);
    assert_int_equal(cli_exit_status(CLI_USAGE), CLI_USAGE);
    assert_true((int)SM_EFIRST > (int)CLI_USAGE);
    for (int code = SM_EFIRST; code < SM_ECODE_END; code++) {
        assert_int_not_equal(code, CLI_FINDINGS);
        assert_int_not_equal(code, CLI_USAGE);
        assert_true(code < 256);        /* it survives as an exit status */
        assert_int_equal(cli_exit_status(code), CLI_USAGE);
        assert_string_not_equal(sm_code_name(code), "error");
    }
    assert_string_equal(sm_code_name(SM_ENOMEM), "out of memory");
    assert_string_equal(sm_code_name(SM_OK), "ok");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_parse_spellings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_booleans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_unknown_option_suggests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_unknown_option_far, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_global_after_command, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_missing_value_and_bad_int, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_help, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_short_option, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_text_escapes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_json_escapes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fail_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_progress_only_when_asked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attr_opts_follow_the_model, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attr_opts_to_edit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_text_and_tsv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_json_and_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cmd_parse_keeps_a_few, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_apply_and_json, setup, teardown),
        cmocka_unit_test(test_exit_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
