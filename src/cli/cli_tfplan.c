/*
 * cli_tfplan.c - `check --terraform-plan PLAN.json`: a saved Terraform plan
 * as a what-if scenario over the catalog. The plan is read twice by the
 * terraform importer, as its before view (prior_state) and its after view
 * (planned_values); copies only in the before view are removed first, then
 * copies only in the after view added, and the key and encryption of the others set as
 * the after view says. The ops go through the scenario engine (core), so
 * the findings the plan introduces are the scenario diff's new ones.
 */
#include <stdlib.h>
#include <string.h>

#include "cli_tfplan.h"
#include "cmd_util.h"
#include "import.h"
#include "store.h"

struct plan_ctx {
    struct cli *c;
    struct scenario_eval *ev;
    int nops;
};

/* Apply one op; print it on stderr ("terraform plan: add-placement ...").
 * An op that does not apply is reported and skipped. */
static int
op(struct plan_ctx *p, int argc, const char *const *argv)
{
    SM_ERROR(e);
    char *text;

    if (!(text = scenario_op_dup(argc, argv)))
        return SM_ENOMEM;
    if (scenario_apply(p->ev, argc, argv, &e) != SM_OK) {
        if (e.code == SM_ENOMEM) {
            free(text);
            return SM_ENOMEM;
        }
        fputs("sovmap: terraform plan: not applied: ", p->c->err);
        cli_put_text(p->c->err, e.msg);
        fputc('\n', p->c->err);
    } else {
        p->nops++;
        if (!p->c->quiet) {
            fputs("sovmap: terraform plan: ", p->c->err);
            cli_put_text(p->c->err, text);
            fputc('\n', p->c->err);
        }
    }
    free(text);
    return SM_OK;
}

/* The placement a plan copy stands for in the scenario model: dataset,
 * region, role (a second primary is a replica, as import does), or
 * SM_NONE. *role gets the role used. */
static int32_t
find_copy(const struct model *m, const struct import_copy *k, int *role, int32_t *ds,
          int32_t *rid)
{
    int32_t prim;

    *ds = model_dataset(m, k->dataset);
    *rid = model_region(m, k->region);
    *role = k->role;
    if (*ds == SM_NONE || *rid == SM_NONE)
        return SM_NONE;
    if (*role == ROLE_PRIMARY && (prim = model_primary(m, *ds)) != SM_NONE &&
        m->placements[prim].region != *rid)
        *role = ROLE_REPLICA;
    return model_placement_of(m, *ds, *rid, *role);
}

static bool
has_copy(const struct import_copy *v, int32_t n, const struct import_copy *k)
{
    for (int32_t i = 0; i < n; i++)
        if (!strcmp(v[i].dataset, k->dataset) && !strcmp(v[i].region, k->region) &&
            v[i].role == k->role)
            return true;
    return false;
}

static int
set_op(struct plan_ctx *p, int32_t pl, const char *attr, const char *value)
{
    char *sel = model_selector_dup(p->ev->m, OBJ_PLACEMENT, pl);
    int rc;

    if (!sel)
        return SM_ENOMEM;
    rc = op(p, 5, (const char *const[]){ "set", "placement", sel, attr, value });
    free(sel);
    return rc;
}

static int
plan_ops(struct plan_ctx *p, const struct import_copy *b, int32_t nb,
         const struct import_copy *a, int32_t na)
{
    struct model *m;
    int32_t ds, rid, pl, kid;
    int role, rc;

    for (int32_t i = 0; i < nb; i++) {
        const struct import_copy *k = &b[i];
        char *sel;
        if (has_copy(a, na, k))
            continue;
        m = p->ev->m;
        if ((pl = find_copy(m, k, &role, &ds, &rid)) == SM_NONE)
            continue;
        if (!(sel = model_selector_dup(m, OBJ_PLACEMENT, pl)))
            return SM_ENOMEM;
        rc = op(p, 2, (const char *const[]){ "remove-placement", sel });
        free(sel);
        if (rc)
            return rc;
    }
    for (int32_t i = 0; i < na; i++) {
        const struct import_copy *k = &a[i];
        m = p->ev->m;
        pl = find_copy(m, k, &role, &ds, &rid);
        if (ds == SM_NONE) {
            fputs("sovmap: terraform plan: dataset ", p->c->err);
            cli_put_text(p->c->err, k->dataset);
            fputs(" is not in the catalog (import the state first); its copy in ", p->c->err);
            cli_put_text(p->c->err, k->region);
            fputs(" is not checked\n", p->c->err);
            continue;
        }
        if (rid == SM_NONE)
            continue;           /* the importer's notes say why */
        if (pl == SM_NONE) {
            if ((rc = op(p, 4, (const char *const[]){ "add-placement", k->dataset, k->region,
                                                      role_names[role] })))
                return rc;
            m = p->ev->m;
            if ((pl = model_placement_of(m, ds, rid, role)) == SM_NONE)
                continue;
        }
        kid = k->key_region ? model_region(m, k->key_region) : SM_NONE;
        if (kid != SM_NONE && m->placements[pl].key_region != kid &&
            (rc = set_op(p, pl, "key-region", k->key_region)))
            return rc;
        m = p->ev->m;
        if (k->encrypted >= 0 && m->placements[pl].encrypted != (k->encrypted != 0) &&
            (rc = set_op(p, pl, "encrypted", k->encrypted ? "true" : "false")))
            return rc;
    }
    return SM_OK;
}

/* One view of the plan: a run of the terraform importer. */
static int
read_view(struct cli *c, const struct import_map *map, const char *path, const char *text,
          size_t len, bool before, struct import_run **out)
{
    struct import_opts o = { 0 };
    SM_ERROR(e);
    struct import_run *run;

    o.datadir = c->datadir;
    o.tf_before = before;
    o.command = "terraform";
    if (!(run = import_run_new(map, &o)))
        return cli_fail(c, "out of memory");
    if (import_run_add_file(run, path, text, len, &e) != SM_OK ||
        import_run_parse(run, &importer_terraform, &e) != SM_OK) {
        import_run_free(run);
        return cli_error(c, &e);
    }
    *out = run;
    return CLI_OK;
}

int
cli_terraform_plan(struct cli *c, const char *path, const char *map_path,
                   struct scenario_eval **base, struct scenario_eval **after,
                   struct scenario_diff **diff)
{
    struct import_map *map = NULL;
    struct import_run *rb = NULL, *ra = NULL;
    struct scenario_eval *b = NULL, *a = NULL;
    SM_ERROR(e);
    struct plan_ctx p = { c, NULL, 0 };
    const struct import_copy *cb, *ca;
    int32_t nb, na;
    char *text = NULL;
    size_t len;
    int rc;

    if ((rc = cli_open(c, STORE_READONLY)) != CLI_OK || (rc = cli_load_rules(c)) != CLI_OK)
        return rc;
    if (!(text = cmd_read_file(path, &len)))
        return cmd_read_fail(c, path);
    if ((rc = cmd_load_map(c, map_path, &map)) != CLI_OK)
        goto out;
    if ((rc = read_view(c, map, path, text, len, true, &rb)) != CLI_OK ||
        (rc = read_view(c, map, path, text, len, false, &ra)) != CLI_OK)
        goto out;
    if (!c->quiet)
        import_run_print_notes(ra, "sovmap: terraform plan: ", c->err);
    nb = import_run_copies(rb, &cb);
    na = import_run_copies(ra, &ca);
    if (scenario_begin_base(c->m, c->rp, &b, &e) != SM_OK ||
        scenario_begin(c->m, c->rp, "terraform plan", &a, &e) != SM_OK) {
        rc = cli_error(c, &e);
        goto out;
    }
    p.ev = a;
    if (plan_ops(&p, cb, nb, ca, na) != SM_OK) {
        rc = cli_fail(c, "out of memory");
        goto out;
    }
    if (!p.nops && !c->quiet)
        fputs("sovmap: terraform plan: no change to the catalog's copies\n", c->err);
    if (scenario_check(b, c->today, &e) != SM_OK || scenario_check(a, c->today, &e) != SM_OK ||
        scenario_diff(b, a, c->m, diff, &e) != SM_OK) {
        rc = cli_error(c, &e);
        goto out;
    }
    if (!c->quiet) {
        int32_t nnew = 0, nres = 0;
        for (int k = 0; k < SEV_COUNT; k++) {
            nnew += (*diff)->count[SDIFF_NEW][k];
            nres += (*diff)->count[SDIFF_RESOLVED][k];
        }
        fprintf(c->err, "sovmap: terraform plan: %d finding%s new, %d resolved\n", (int)nnew,
                nnew == 1 ? "" : "s", (int)nres);
    }
    *base = b;
    *after = a;
    b = a = NULL;
    rc = CLI_OK;
out:
    scenario_eval_free(a);
    scenario_eval_free(b);
    import_run_free(ra);
    import_run_free(rb);
    import_map_free(map);
    free(text);
    return rc;
}
