/*
 * export_review.c - the review pack: one self-contained HTML file an
 * architect attaches to a review (doc/exports.md). The summary counts, the
 * systems diagram as inline SVG (regions linking to their map columns), the
 * findings with why and hint, the residency map with the allowed-regions
 * table, the tier-to-region mapping, and the transfer register. No script,
 * no external asset; prints.
 *
 * Built from the other exporters (export_diagram, export_map, export_tiers) so the pack
 * says exactly what the separate files say.
 */
#include "export_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char review_css[] =
    "nav a{margin-right:12px}\n"
    ".counts span{display:inline-block;padding:4px 10px;margin:0 8px 8px 0;border:1px solid "
    "#cbd2d9}\n"
    ".counts .err{background:#ffe3e3;color:#8a041a;font-weight:bold}\n"
    ".counts .warn{background:#fff3c4;color:#8d2b0b}\n"
    "div.diagram{overflow:auto;border:1px solid #cbd2d9;margin-bottom:16px}\n"
    "div.diagram svg{max-width:none}\n"
    "td.sev-error{color:#8a041a;font-weight:bold}td.sev-warning{color:#8d2b0b}\n"
    "td ul{margin:0;padding-left:16px}\n"
    "table.tiers tr.forbidden td{background:#ffe3e3;color:#8a041a}\n"
    "@media print{div.diagram{overflow:visible}div.diagram svg{max-width:100%;height:auto}}\n";

/* Write the diagram of view as SVG from its <svg> element on (the XML
 * prologue cannot sit inside HTML); false when it could not be drawn. */
static bool
inline_svg(const struct model *m, const struct check_result *r, const struct export_opts *o,
           int view, FILE *f, struct sm_error *why)
{
    struct export_opts vo = *o;
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    const char *svg;
    int rc;

    if (!mem)
        return false;
    vo.view = view;
    rc = export_diagram(m, r, &vo, "svg", mem, NULL, why);
    fclose(mem);
    if (rc == SM_OK && buf && (svg = strstr(buf, "<svg"))) {
        fputs("<div class=\"diagram\">\n", f);
        fputs(svg, f);
        fputs("</div>\n", f);
    }
    free(buf);
    return rc == SM_OK;
}

static void
write_findings(const struct model *m, const struct check_result *r, FILE *f, bool waived)
{
    int32_t n = 0;

    (void)m;
    for (int32_t i = 0; i < r->nfindings; i++) {
        const struct finding *fd = &r->findings[i];

        if ((bool)fd->waived != waived)
            continue;
        if (!n++)
            fputs("<table>\n<thead><tr><th>severity</th><th>rule</th><th>object</th>"
                  "<th>finding</th><th>why</th><th>fix</th></tr></thead>\n<tbody>\n", f);
        fprintf(f, "<tr><td class=\"sev-%s\">%s</td><td>", severity_names[fd->severity],
                severity_names[fd->severity]);
        export_put_html(f, fd->rule);
        fputs("</td><td>", f);
        export_put_html(f, fd->selector);
        fputs("</td><td>", f);
        export_put_html(f, fd->message);
        fputs("</td><td>", f);
        if (fd->why.n) {
            fputs("<ul>", f);
            for (uint32_t k = 0; k < fd->why.n; k++) {
                fputs("<li>", f);
                export_put_html(f, fd->why.v[k]);
                fputs("</li>", f);
            }
            fputs("</ul>", f);
        }
        fputs("</td><td>", f);
        export_put_html(f, fd->hint);
        fputs("</td></tr>\n", f);
    }
    if (n)
        fputs("</tbody>\n</table>\n", f);
    else
        fprintf(f, "<p>No %s findings.</p>\n", waived ? "waived" : "live");
}

static void
write_transfers(const struct model *m, const struct check_result *r, FILE *f)
{
    static const char *const head[] = {
        "dataset", "copy", "flow", "from", "to", "regime", "mechanism", "basis", "personal",
        "status"
    };
    char a[3], b[3];    /* bounded: ISO 3166 alpha-2 codes or "*" */

    if (!r->ntransfers) {
        fputs("<p>No transfers: every copy and flow stays in its country.</p>\n", f);
        return;
    }
    fputs("<table>\n<thead><tr>", f);
    for (int k = 0; k < 10; k++)
        fprintf(f, "<th>%s</th>", head[k]);
    fputs("</tr></thead>\n<tbody>\n", f);
    for (int32_t i = 0; i < r->ntransfers; i++) {
        const struct transfer *t = &r->transfers[i];
        const char *cols[10];

        if (t->dataset < 0 || t->dataset >= m->ndatasets)
            continue;
        char *sel = export_transfer_cols(m, r, t, cols, a, b);
        fputs(t->status == XFER_VIOLATION ? "<tr class=\"bad\">" : "<tr>", f);
        for (int k = 0; k < 10; k++) {
            fputs(k == 9 && t->status == XFER_VIOLATION ? "<td class=\"c bad\">" : "<td>", f);
            export_put_html(f, cols[k]);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
        free(sel);
    }
    fputs("</tbody>\n</table>\n", f);
}

int
export_review_html(const struct model *m, const struct check_result *r,
                   const struct export_opts *opts, FILE *f, struct sm_error *err)
{
    struct export_opts defaults;
    const struct export_opts *o = opts;
    SM_ERROR(why);
    int32_t nd = 0, np = 0, nf = 0;
    char day[11];    /* bounded: a YYYY-MM-DD date */
    int rc;

    if (!r)
        return sm_error_set(err, SM_EINVAL, "review-html needs a check result");
    if (!o) {
        export_opts_init(&defaults);
        o = &defaults;
    }
    for (int32_t i = 0; i < m->ndatasets; i++)
        nd += !m->datasets[i].deleted;
    for (int32_t i = 0; i < m->nplacements; i++)
        np += !m->placements[i].deleted;
    for (int32_t i = 0; i < m->nflows; i++)
        nf += !m->flows[i].deleted;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<title>sovmap review pack</title>\n<style>\n", f);
    fputs(export_html_css, f);
    fputs(review_css, f);
    fputs("</style>\n</head>\n<body>\n<h1>Residency review</h1>\n<p class=\"meta\">", f);
    fprintf(f, "%d datasets, %d copies, %d flows", (int)nd, (int)np, (int)nf);
    if (o->stamp) {
        sm_date_fmt(o->today, day);
        fprintf(f, " &middot; generated by sovmap on %s", day);
    }
    fputs("</p>\n<nav><a href=\"#diagram\">Diagram</a><a href=\"#findings\">Findings</a>"
          "<a href=\"#map\">Residency map</a><a href=\"#allowed\">Allowed regions</a>"
          "<a href=\"#tiers\">Tier-to-region mapping</a>"
          "<a href=\"#transfers\">Transfers</a></nav>\n<p class=\"counts\">", f);
    fprintf(f, "<span class=\"%s\">%d errors</span><span class=\"%s\">%d warnings</span>"
            "<span>%d info</span><span>%d waived</span><span>%d expired waivers</span>",
            r->stats.count[SEV_ERROR] ? "err" : "", (int)r->stats.count[SEV_ERROR],
            r->stats.count[SEV_WARNING] ? "warn" : "", (int)r->stats.count[SEV_WARNING],
            (int)r->stats.count[SEV_INFO], (int)r->stats.waived,
            (int)r->stats.expired_waivers);
    fputs("</p>\n<h2 id=\"diagram\">Data flows by region and system</h2>\n", f);
    if (!inline_svg(m, r, o, EXPORT_VIEW_SYSTEMS, f, &why) &&
        !inline_svg(m, r, o, EXPORT_VIEW_REGIONS, f, &why)) {
        fputs("<p class=\"meta\">No diagram: ", f);
        export_put_html(f, why.msg);
        fputs("</p>\n", f);
    }
    fputs("<p class=\"meta\">A region in the diagram links to its column in the map.</p>\n"
          "<h2 id=\"findings\">Findings</h2>\n", f);
    write_findings(m, r, f, false);
    fputs("<h3>Waived</h3>\n", f);
    write_findings(m, r, f, true);
    if ((rc = export_map(m, r, o, "html-fragment", f, err)) ||
        (rc = export_tiers(m, r, o, "html-fragment", f, err)))
        return rc;
    fputs("<h2 id=\"transfers\">Transfer register</h2>\n", f);
    write_transfers(m, r, f);
    fputs("<p class=\"meta\">Not legal advice: the facts and the rules sovmap applies are in "
          "its documentation (doc/rules.md, doc/data.md).</p>\n</body>\n</html>\n", f);
    if (ferror(f))
        return sm_error_set(err, SM_EIO, "review-html: write error: %s", strerror(errno));
    return SM_OK;
}
