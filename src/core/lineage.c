/*
 * lineage.c - effective tier and subjects propagated through etl/stream
 * flows (see lineage.h for the semantics).
 *
 * Core: no I/O. One pass over the tags marks personal fields, one over the
 * flows decides which ones remove personal data, then a worklist over a
 * CSR adjacency pushes state forward until nothing changes. State per
 * dataset only grows (personal flag, tier rank, subject bits), so every
 * dataset is re-queued at most ranks + subjects + 1 times, cycles included.
 */
#include <stdlib.h>
#include <string.h>

#include "lineage.h"
#include "rules.h"

void
lineage_fini(struct lineage *L)
{
    if (!L)
        return;
    sm_big_free(L->eff_tier);
    sm_big_free(L->eff_via);
    sm_big_free(L->subj_via);
    sm_big_free(L->personal);
    sm_big_free(L->has_pfields);
    sm_big_free(L->pfield);
    sm_big_free(L->removes);
    sm_big_free(L->flow_personal);
    sm_big_free(L->subj);
    sm_big_free(L->decl);
    memset(L, 0, sizeof *L);
}

static bool
strv_has(const struct sm_strv *v, const char *s)
{
    for (uint32_t k = 0; k < v->n; k++)
        if (strcmp(v->v[k], s) == 0)
            return true;
    return false;
}

bool
lineage_field_left(const struct model *m, int32_t flow, const char *name)
{
    const struct flow *f = &m->flows[flow];

    if (f->fields.n && !strv_has(&f->fields, name))
        return false;
    for (uint32_t t = 0; t < f->ntransforms; t++) {
        const struct transform *x = &f->transforms[t];
        if (x->kind == XF_ANONYMIZE || x->kind == XF_AGGREGATE)
            return false;
        if ((x->kind == XF_MASK || x->kind == XF_DROP) && strv_has(&x->fields, name))
            return false;
    }
    return true;
}

/* Does flow f remove the personal data of its source? */
static bool
flow_removes(const struct model *m, const struct lineage *L, int32_t f, int32_t src)
{
    const struct flow *fl = &m->flows[f];

    /* Most flows (replications) name no fields and transform nothing: such
     * a flow carries every field, so it removes nothing. (For a source with
     * tagged fields the walk below would find one left: a tag's field is a
     * live field of the tag's dataset, model_add_tag and model_remove_field
     * keep it so.) Skipping the walk saves a cache miss on the source
     * dataset and one per field. */
    if (fl->ntransforms == 0 && fl->fields.n == 0)
        return false;
    for (uint32_t t = 0; t < fl->ntransforms; t++)
        if (fl->transforms[t].kind == XF_ANONYMIZE || fl->transforms[t].kind == XF_AGGREGATE)
            return true;
    if (src == SM_NONE)
        return false;
    /* A dataset without tagged fields is personal as a whole: masking
     * cannot help, only anonymize/aggregate. */
    if (!L->has_pfields[src])
        return false;
    for (int32_t fd = m->datasets[src].first_field; fd != SM_NONE; fd = m->fields[fd].next)
        if (L->pfield[fd] && lineage_field_left(m, f, m->fields[fd].name))
            return false;
    return true;
}

static int32_t
rank_of(const struct model *m, int32_t tier)
{
    return tier == SM_NONE ? INT32_MIN : m->tiers[tier].rank;
}

int
lineage_run(const struct model *m, const struct rulepack *rp, struct lineage *L,
            struct sm_error *err)
{
    return lineage_run_inflow(m, rp, true, L, NULL, NULL, err);
}

/* The inflow table's entry for flow f (live, from a copy), whose source
 * copy lies in region fr: the first flow into its destination copy. */
static void
note_inflow(const struct lineage_inflow *in, const struct flow *fl, int32_t f, int32_t fr,
            int32_t tr)
{
    int32_t to = fl->to;
    int cc;

    if (to == SM_NONE || in->inflow[to] != SM_NONE)
        return;
    in->inflow[to] = f;
    in->inmech[to] = (uint8_t)(fl->mechanism | (fl->public_recipient ? 0x20 : 0));
    /* 0x40: fed from a copy in the same single country (a region of one
     * country lies in cc exactly when its one country is cc) */
    if (fr != SM_NONE && tr != SM_NONE && (cc = in->region_cc[tr]) != SM_NONE &&
        in->region_cc[fr] == cc)
        in->inmech[to] |= 0x40;
}

int
lineage_run_inflow(const struct model *m, const struct rulepack *rp, bool decl,
                   struct lineage *L, uint16_t **ends, const struct lineage_inflow *in,
                   struct sm_error *err)
{
    int32_t nd = m->ndatasets, nf = m->nflows;
    uint16_t *end = NULL;           /* *ends */
    int32_t *off = NULL, *adj = NULL, *adjt = NULL, *queue = NULL, *tgt_of = NULL;
    int32_t *from_ds = NULL;        /* per flow: its source dataset, SM_NONE */
    uint8_t *inq = NULL;
    int rc = SM_ENOMEM;
    /* sm_big blocks, shareable with the model: a scenario's copy of the
     * check shares them page by page (scenario_result_clone) */
    const bool sh = m->shareable;

    if (ends)
        *ends = NULL;
    memset(L, 0, sizeof *L);
    L->ndatasets = nd;
    L->nflows = nf;
    L->nfields = m->nfields;
    for (int c = 0; c < SM_CC_COUNT; c++)
        L->cc_slot[c] = SM_NONE;
    /* One pass over the datasets: subject slots (the distinct subject codes
     * in order of first use), personal fields under the pack's prefixes
     * (through each dataset's tag list: a removed tag or field is unlinked
     * from it, not marked), the starting state, and a dead flag per dataset
     * (in inq, cleared before the worklist) so the flow pass below need not
     * read the datasets again. Subject bits go in one word per dataset while
     * there are at most 64 slots, the usual case; past that, a second pass
     * fills the wider rows. */
    L->words = 1;
    L->eff_tier = sm_big_alloc(sizeof(int32_t) * (size_t)(nd + 1), sh);
    L->eff_via = sm_big_alloc(sizeof(int32_t) * (size_t)(nd + 1), sh);
    L->subj_via = sm_big_alloc(sizeof(int32_t) * (size_t)(nd + 1), sh);
    L->personal = sm_big_alloc((size_t)nd + 1, sh);
    L->has_pfields = sm_big_alloc((size_t)nd + 1, sh);
    L->pfield = sm_big_alloc((size_t)m->nfields + 1, sh);
    L->removes = sm_big_alloc((size_t)nf + 1, sh);
    L->flow_personal = sm_big_alloc((size_t)nf + 1, sh);
    L->subj = sm_big_alloc(((size_t)nd + 1) * sizeof(uint64_t), sh);
    off = calloc((size_t)nd + 2, sizeof *off);
    adj = malloc(sizeof *adj * (size_t)(nf + 1));
    adjt = malloc(sizeof *adjt * (size_t)(nf + 1));
    tgt_of = malloc(sizeof *tgt_of * (size_t)(nf + 1));
    from_ds = malloc(sizeof *from_ds * (size_t)(nf + 1));
    inq = calloc((size_t)nd + 1, 1);
    if (ends && m->nregions < (int32_t)FLOW_END_NONE &&
        !(end = malloc(sizeof *end * ((size_t)nf + 1))))
        goto fail;
    if (!L->eff_tier || !L->eff_via || !L->subj_via || !L->personal || !L->has_pfields || !L->pfield ||
        !L->removes || !L->flow_personal || !L->subj || !off || !adj || !adjt ||
        !tgt_of || !from_ds || !inq)
        goto fail;
    bool decl_ok = true;        /* every declared code has a slot */
    /* Tag texts are mostly shared (a load copies repeated text once): the
     * answer for the last few tag pointers, so that a million tags are not
     * compared with every prefix (same pointer, same text, same answer). */
    struct { const char *tag; bool personal; } seen[64] = { { NULL, false } };
    for (int32_t d = 0; d < nd; d++) {
        const struct dataset *ds = &m->datasets[d];
        L->eff_tier[d] = ds->tier;
        L->eff_via[d] = L->subj_via[d] = SM_NONE;
        if (ds->deleted) {
            inq[d] = 1;
            continue;
        }
        for (int k = 0; k < ds->nsubjects; k++) {
            int cc = ds->subjects[k];
            if (cc >= SM_CC_COUNT) {
                decl_ok = false;
                continue;
            }
            if (L->cc_slot[cc] == SM_NONE) {
                L->cc_slot[cc] = (int16_t)L->nslots;
                L->slot_cc[L->nslots++] = (int16_t)cc;
            }
            if (L->cc_slot[cc] < 64)
                L->subj[d] |= (uint64_t)1 << L->cc_slot[cc];
        }
        for (int32_t t = ds->first_tag; t != SM_NONE; t = m->tags[t].next) {
            const struct tag *tg = &m->tags[t];
            size_t h = ((uintptr_t)tg->tag >> 3) % 64;
            if (tg->expired && *tg->expired)
                L->expired_tags = true;
            if (tg->field == SM_NONE || L->pfield[tg->field])
                continue;
            if (seen[h].tag != tg->tag) {
                bool personal = false;
                for (uint32_t k = 0; k < rp->personal_tags.n && !personal; k++)
                    personal = model_tag_under(tg->tag, rp->personal_tags.v[k]);
                seen[h].tag = tg->tag;
                seen[h].personal = personal;
            }
            if (seen[h].personal) {
                L->pfield[tg->field] = 1;
                L->has_pfields[d] = 1;
            }
        }
        L->personal[d] = L->has_pfields[d] || (ds->tier != SM_NONE && m->tiers[ds->tier].personal);
    }
    /* the declared slots, kept for check_update's state (out of memory:
     * not kept, check_extra_init reads the datasets) */
    if (decl && L->nslots <= 64 && decl_ok &&
        (L->decl = sm_big_alloc(sizeof *L->decl * (size_t)(nd + 1), sh)))
        memcpy(L->decl, L->subj, sizeof *L->decl * (size_t)nd);
    if (L->nslots > 64) {
        L->words = (L->nslots + 63) / 64;
        sm_big_free(L->subj);
        if (!(L->subj = sm_big_alloc(((size_t)nd * (size_t)L->words + 1) * sizeof(uint64_t), sh)))
            goto fail;
        for (int32_t d = 0; d < nd; d++) {
            const struct dataset *ds = &m->datasets[d];
            uint64_t *sb = L->subj + (size_t)d * L->words;
            if (ds->deleted)
                continue;
            for (int k = 0; k < ds->nsubjects; k++) {
                int slot = ds->subjects[k] < SM_CC_COUNT ? L->cc_slot[ds->subjects[k]] : SM_NONE;
                if (slot != SM_NONE)
                    sb[slot >> 6] |= (uint64_t)1 << (slot & 63);
            }
        }
    }
    /* CSR adjacency of lineage flows by source dataset; adjt[] keeps each
     * edge's target dataset so the worklist never chases a placement (a
     * cache miss per edge). Flows that remove personal data carry nothing
     * and are left out. */
    for (int32_t f = 0; f < nf; f++) {
        const struct flow *fl = &m->flows[f];
        int32_t a;
        tgt_of[f] = from_ds[f] = SM_NONE;
        if (end)
            end[f] = FLOW_END_NONE;
        if (fl->deleted || fl->from == SM_NONE)
            continue;
        /* the source dataset, read once (a cache miss per flow) */
        a = fl->from >= 0 && fl->from < m->nplacements ? m->placements[fl->from].dataset : SM_NONE;
        from_ds[f] = a;
        if (end || in) {
            int32_t tr = fl->to != SM_NONE ? m->placements[fl->to].region : fl->to_region;
            if (end)
                end[f] = tr == SM_NONE ? FLOW_END_NONE : (uint16_t)tr;
            /* the source's region shares a cache line with its dataset */
            if (in)
                note_inflow(in, fl, f, a == SM_NONE ? SM_NONE : m->placements[fl->from].region,
                            tr);
        }
        L->removes[f] = flow_removes(m, L, f, a);
        if ((fl->kind == FLOW_ETL || fl->kind == FLOW_STREAM) && fl->to != SM_NONE) {
            int32_t b = m->placements[fl->to].dataset;
            if (a != SM_NONE && a != b && !inq[b] && !L->removes[f]) {
                tgt_of[f] = b;  /* an edge from from_ds[f] */
                off[a + 1]++;
            }
        }
    }
    /* CSR by a counting pass from the end: off[a + 1] counts a's edges,
     * summed it is the end of a's range; placing the flows last to first
     * at --off[a + 1] leaves the flows of a in flow order and off[a + 1]
     * at the start of a's range, so a's edges are [off[a + 1], off[a + 2])
     * (off[nd + 1] the total). No cursor array: the scratch arrays' peak
     * stays below what check_run holds later (the inflow table lives
     * through this pass; `sovmap check` at 1M within its memory target). */
    for (int32_t d = 0; d < nd; d++)
        off[d + 1] += off[d];
    off[nd + 1] = off[nd];
    for (int32_t f = nf - 1; f >= 0; f--)
        if (tgt_of[f] != SM_NONE) {
            int32_t k = --off[from_ds[f] + 1];
            adj[k] = f;
            adjt[k] = tgt_of[f];
        }
    free(tgt_of);
    tgt_of = NULL;
    if (!(queue = malloc(sizeof *queue * (size_t)(nd + 1))))
        goto fail;
    /* Worklist: a ring of at most nd entries (each dataset queued once at
     * a time). */
    memset(inq, 0, (size_t)nd + 1);
    {
        int32_t head = 0, count = 0;
        for (int32_t d = 0; d < nd; d++)
            if (L->personal[d] && off[d + 2] > off[d + 1]) {
                queue[(head + count++) % nd] = d;
                inq[d] = 1;
            }
        while (count > 0) {
            int32_t s = queue[head];
            head = (head + 1) % nd;
            count--;
            inq[s] = 0;
            int32_t st = L->eff_tier[s];
            bool stier = st != SM_NONE && m->tiers[st].personal;
            const uint64_t *ss = L->subj + (size_t)s * L->words;
            for (int32_t e = off[s + 1]; e < off[s + 2]; e++) {
                int32_t f = adj[e];
                int32_t t = adjt[e];
                uint64_t *ts = L->subj + (size_t)t * L->words;
                bool changed = false;
                if (!L->personal[t]) {
                    L->personal[t] = 1;
                    changed = true;
                    if (L->eff_via[t] == SM_NONE)
                        L->eff_via[t] = f;
                }
                if (stier && rank_of(m, st) > rank_of(m, L->eff_tier[t])) {
                    L->eff_tier[t] = st;
                    L->eff_via[t] = f;
                    changed = true;
                }
                for (int32_t w = 0; w < L->words; w++)
                    if (ss[w] & ~ts[w]) {
                        ts[w] |= ss[w];
                        changed = true;
                        if (L->subj_via[t] == SM_NONE)
                            L->subj_via[t] = f;
                    }
                if (changed && !inq[t] && off[t + 2] > off[t + 1]) {
                    queue[(head + count++) % nd] = t;
                    inq[t] = 1;
                }
            }
        }
    }
    for (int32_t f = 0; f < nf; f++)
        if (from_ds[f] != SM_NONE)       /* live, from a copy */
            L->flow_personal[f] = L->personal[from_ds[f]] && !L->removes[f];
    rc = SM_OK;
    if (ends) {
        *ends = end;
        end = NULL;
    }
fail:
    free(end);
    free(off);
    free(adj);
    free(adjt);
    free(tgt_of);
    free(from_ds);
    free(queue);
    free(inq);
    if (rc) {
        lineage_fini(L);
        return sm_error_set(err, rc, "lineage: out of memory");
    }
    return SM_OK;
}
