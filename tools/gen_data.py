#!/usr/bin/env python3
"""Generate data/regions.json and data/jurisdictions.json from the reference facts.

Usage:
    tools/gen_data.py REFDIR [--out DIR] [--check]

REFDIR is the maintainers' directory of sourced reference facts (kept
outside the repository).  It must hold regions.csv, regions.md,
jurisdictions.json and jurisdictions.md.  --out defaults to <repo>/data.

Without --check the two files are (re)written and the self-test runs.
With --check nothing is written: the files are generated in memory, the
self-test runs and the result is compared byte for byte with the committed
files (exit 1 on any difference or failed assertion).

Python 3 standard library only.  The C build never runs this script; the
generated files are committed.  Output is deterministic: same reference in,
byte-identical files out (sorted keys, sorted lists where order carries no
meaning, UTF-8, LF, trailing newline).

Rule: facts come from the reference.  Where the shipped format needs
something the reference states only in prose (regime definitions, mechanism
mapping, instruments), it is written below as an explicit table with a
comment naming the section of jurisdictions.md / regions.md it comes from.
Nothing here is legal advice.
"""

import argparse
import csv
import hashlib
import io
import json
import os
import re
import sys

# --------------------------------------------------------------------------
# Fixed vocabularies (DESIGN.md section 1; not from the reference)
# --------------------------------------------------------------------------

MECHANISMS = ("adequacy", "dpf", "scc", "bcr", "consent", "derogation")
CONDITIONS = (None, "dpf", "commercial", "automated")
TRANSFERS = ("conditional", "blacklist", "free")
LOCALIZATIONS = ("hard", "none")
ISO2 = re.compile(r"^[A-Z]{2}$")

# Expected counts (brief + regions.md "Counts" + jurisdictions.md sections 1-4)
EXPECT = {
    "regions": 146,
    "EU": 27,
    "EEA": 30,
    "EFTA": 4,
    "adequacy_EU": 17,
    "adequacy_UK": 45,
    "adequacy_CH": 44,
    "localization": 41,
    "per_provider": {"aws": 34, "aws-us-gov": 2, "aws-cn": 2, "aws-eusc": 1,
                     "azure": 61, "gcp": 46},
}


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------

def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def md_section(text, heading_prefix):
    """Lines of the markdown section whose heading starts with heading_prefix."""
    out, inside = [], False
    for line in text.splitlines():
        if line.startswith("#"):
            if inside:
                break
            inside = line.lstrip("#").strip().startswith(heading_prefix)
            continue
        if inside:
            out.append(line)
    if not inside and not out:
        raise SystemExit("reference: section %r not found" % heading_prefix)
    return out


def md_table(lines):
    """Rows (lists of cells) of the first pipe table in lines, header skipped."""
    rows = [l for l in lines if l.startswith("|")]
    if len(rows) < 3:
        raise SystemExit("reference: expected a markdown table")
    cells = []
    for r in rows[2:]:                      # skip header and |---| rule
        cells.append([c.strip().replace("`", "") for c in r.strip().strip("|").split("|")])
    return cells


def dump(value):
    """JSON text: objects/lists of scalars on one line, others one item per line."""
    def flat(v):
        if isinstance(v, dict):
            return all(not isinstance(x, (dict, list)) for x in v.values())
        if isinstance(v, list):
            return all(not isinstance(x, (dict, list)) for x in v)
        return True

    def enc(v, level):
        if flat(v):
            return json.dumps(v, sort_keys=True, ensure_ascii=False,
                              separators=(", ", ": "))
        pad = " " * (level + 1)
        end = " " * level
        if isinstance(v, dict):
            items = ["%s%s: %s" % (pad, json.dumps(k, ensure_ascii=False), enc(v[k], level + 1))
                     for k in sorted(v)]
            return "{\n" + ",\n".join(items) + "\n" + end + "}"
        items = [pad + enc(x, level + 1) for x in v]
        return "[\n" + ",\n".join(items) + "\n" + end + "]"

    return enc(value, 0) + "\n"


# --------------------------------------------------------------------------
# regions.json
# --------------------------------------------------------------------------

# Region kind per provider.  DESIGN.md section 1 kinds; the brief assigns
# "sovereign-cloud" to the AWS European Sovereign Cloud partition (regions.md
# "What is included": aws-eusc "is aimed at EU residency").
KIND = {"aws-eusc": "sovereign-cloud"}

# Top-level note: GCP asia multi-region members are not in the reference.
REGIONS_NOTE = (
    "GCP multi-region 'asia' is not listed: the reference (regions.md, 'What is "
    "included / excluded') names the us, eu and asia multi-regions but gives member "
    "countries for none of them except eu ('documented as EU member states'). "
    "The predefined Cloud Storage dual-regions (asia1, eur4, eur5, eur7, eur8, nam4) are "
    "listed from cloud-replication.json. A placement in an unlisted location is unknown "
    "and should be denied by default.")


def parse_operator_table(md):
    """regions.md section 'Operator legal home': provider -> {operator, note}."""
    out = {}
    for prov, home, note in md_table(md_section(md, "Operator legal home")):
        if prov.startswith("on-prem"):
            continue                    # user regions: declared per region, not a provider
        m = re.match(r"^([A-Z]{2})(?: \(([A-Z]{2})\))?$", home)
        if not m:
            raise SystemExit("regions.md: cannot read operator home %r" % home)
        operator, seat = m.group(1), m.group(2)
        text = note
        if seat:
            # "EU (DE)": EU is a pseudo-code for an EU-based operator; keep the
            # named member state in the note.
            text = "%s (operator based in %s)" % (note, seat)
        for p in prov.split(","):
            out[p.strip()] = {"operator": operator, "note": text}
    return out


def parse_region_sources(md, csv_path):
    rows = md_table(md_section(md, "Sources"))
    out = [{"what": what, "source": src, "version": ver} for what, src, ver in rows]
    out.append({"what": "all rows (compiled reference, country codes assigned by the "
                        "compilers from provider descriptions; see regions.md)",
                "source": "sovmap reference regions.csv + regions.md",
                "version": "sha256:" + sha256_file(csv_path)})
    return out


def build_regions(ref, bloc_eu):
    csv_path = os.path.join(ref, "regions.csv")
    with open(os.path.join(ref, "regions.md"), encoding="utf-8") as f:
        md = f.read()
    with open(csv_path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))

    providers = parse_operator_table(md)
    regions = []
    for r in rows:
        prov = r["provider"]
        if prov not in providers:
            raise SystemExit("regions.csv: provider %r has no operator in regions.md" % prov)
        regions.append({
            "id": prov + ":" + r["region"],
            "provider": prov,
            "code": r["region"],
            "name": r["display_name"],
            "country": r["country_iso2"],
            "city": r["city"],
            "kind": KIND.get(prov, "cloud"),
        })
    regions.sort(key=lambda x: x["id"])

    multi = [
        {
            # regions.md "What is included": "GCP's eu multi-region is
            # documented as EU member states - verify per product".  Members are
            # the EU bloc of jurisdictions.json (27).
            "id": "gcp:eu", "provider": "gcp", "code": "eu",
            "name": "EU (multi-region)", "kind": "multi-region",
            "members": sorted(bloc_eu),
            "note": "documented as EU member states; verify per product (regions.md)",
            "source": "regions.md, 'What is included / excluded' (GCP)",
        },
        {
            # regions.md names the us multi-region without members; US is taken
            # from the name, the same way regions.md assigns US to us-central2,
            # us-east7 and us-west8 "by the us- prefix".
            "id": "gcp:us", "provider": "gcp", "code": "us",
            "name": "US (multi-region)", "kind": "multi-region",
            "members": ["US"],
            "note": "member country from the name (as regions.md does for the us- prefix); "
                    "the reference lists no members",
            "source": "regions.md, 'What is included / excluded' (GCP)",
        },
        {
            # DESIGN.md section 1: "global means any country, and is checked as
            # the worst case, never silently skipped".
            "id": "global", "provider": "any", "code": "global",
            "name": "Global (any country)", "kind": "multi-region",
            "members": ["*"],
            "note": "any country; checked as the worst case",
            "source": "DESIGN.md section 1",
        },
    ]
    # cloud-replication.json "gcp_dual_regions": the predefined Cloud Storage
    # dual-regions, members the countries of their two regions (a
    # Terraform bucket in EUR4 is a copy in FI and NL).
    for d in load_replication(ref)["gcp_dual_regions"]:
        code = d["location"].lower()
        multi.append({
            "id": "gcp:" + code, "provider": "gcp", "code": code,
            "name": "%s (dual-region, %s)" % (d["location"], d["description"]),
            "kind": "multi-region",
            "members": sorted(set(d["countries"])),
            "note": "regions " + ", ".join(d["regions"]),
            "source": "cloud-replication.json gcp_dual_regions (%s)" % d["source"],
        })
    multi.sort(key=lambda x: x["id"])

    return {
        "sources": parse_region_sources(md, csv_path),
        "note": REGIONS_NOTE,
        "providers": providers,
        "regions": regions,
        "multi_regions": multi,
    }


# --------------------------------------------------------------------------
# cloud-replication.json: what the Terraform importer needs to derive
# implicit copies (Azure region pairs, GCP dual-regions), with sources.
# --------------------------------------------------------------------------

def load_replication(ref):
    with open(os.path.join(ref, "cloud-replication.json"), encoding="utf-8") as f:
        return json.load(f)


def build_replication(ref):
    src = load_replication(ref)
    pairs = []
    for p in src["azure_pairs"]:
        e = {"region": p["region"], "pair": p["pair"], "source": p["source"]}
        if p.get("unverified"):
            e["unverified"] = True
        pairs.append(e)
    pairs.sort(key=lambda x: x["region"])
    duals = []
    for d in src["gcp_dual_regions"]:
        duals.append({"location": d["location"].lower(), "regions": d["regions"],
                      "countries": sorted(set(d["countries"])), "source": d["source"]})
    duals.sort(key=lambda x: x["location"])
    multis = []
    for d in src["gcp_multi_regions"]:
        code = d["location"].lower()
        multis.append({"location": code,
                       "region": ("gcp:" + code) if code in ("eu", "us") else None,
                       "source": d["source"]})
    multis.sort(key=lambda x: x["location"])
    custom = {k.lower(): v for k, v in
              src["gcp_configurable_dual_regions"]["codes"].items()}
    return {
        "note": "Generated by tools/gen_data.py from cloud-replication.json. azure_pairs: the "
                "secondary region of GRS/RA-GRS/GZRS/RA-GZRS storage (pair null: none). "
                "gcp_dual_regions: predefined dual-regions (also multi-regions in "
                "regions.json). gcp_multi_regions: region null means no member countries "
                "are known (a copy there stays without a region). "
                "gcp_custom_dual_regions: the regions a configurable dual-region may use.",
        # a source that is the reference directory itself is named in the
        # project's words (the directory is not part of the repository)
        "sources": [{"id": s["id"],
                     "title": s.get("title", "").replace("steering shared/reference/",
                                                         "the reference facts' "),
                     "url": s.get("url")}
                    for s in src["sources"]],
        "azure_pairs": pairs,
        "gcp_dual_regions": duals,
        "gcp_multi_regions": multis,
        "gcp_custom_dual_regions": custom,
    }


# --------------------------------------------------------------------------
# jurisdictions.json
# --------------------------------------------------------------------------

SRC_MD = "jurisdictions.md"

# Instruments the reference JSON leaves out but the markdown states.
# jurisdictions.md section 3 table, "Basis / note": EEA states, GI and the
# carried-over EU decisions are recognised under DPA 2018 Schedule 21.
UK_DEFAULT_INSTRUMENT = "Data Protection Act 2018 Schedule 21 (transitional recognition)"
# jurisdictions.md section 4: "Binding list since the revised FADP took effect
# on 2023-09-01 ... All 30 EEA states (listed individually)" in Annex 1 DPO.
CH_DEFAULT_INSTRUMENT = "Annex 1 Data Protection Ordinance (SR 235.11)"

# Partial-adequacy condition per (list, country), from the scope notes:
#  EU CA  - section 2: "Only recipients subject to PIPEDA (commercial activity)"
#  EU JP  - section 2: "Business operators under the APPI" (private sector)
#  EU IL  - section 2: "Covers automated international transfers"
#  EU US  - section 2: "Only organisations certified on the EU-US DPF list"
#  UK CA, JP - section 3: "Same limits as EU decisions"
#  UK US  - section 3: UK Extension to the EU-US DPF (certified organisations)
#  CH CA  - section 4: "private sector under PIPEDA or a substantially similar
#           provincial act" -> commercial
#  CH US  - section 4: "only organisations certified under the Swiss-US DPF"
CONDITION = {
    ("EU", "CA"): "commercial", ("EU", "JP"): "commercial",
    ("EU", "IL"): "automated", ("EU", "US"): "dpf",
    ("UK", "CA"): "commercial", ("UK", "JP"): "commercial", ("UK", "US"): "dpf",
    ("CH", "CA"): "commercial", ("CH", "US"): "dpf",
}

# Entries the reference lists as full but that deserve the uncertain flag.
# UK IL: jurisdictions.md section 3 lists IL among the EU decisions "carried
# over" as full, while section 2 says the EU decision 2011/61/EU covers
# automated transfers only.  The scope is kept as the reference gives it; the
# flag is raised and the reason appended to the note.
EXTRA_UNCERTAIN = {
    ("UK", "IL"): "sovmap: the carried-over EU decision 2011/61/EU covers automated "
                  "transfers only (jurisdictions.md section 2); the UK list gives full "
                  "scope; not verified.",
}

# LGPD adequacy: jurisdictions.md section 2 (BR row and notes) and section 8
# (BR row): "Brazil's ANPD recognised the EU as adequate (Resolution
# 32/2026)", "EU declared adequate by ANPD in Jan 2026 (mutual with EU
# decision)".  The reference says "the EU": the 27 EU member states are
# listed; IS, LI and NO are NOT added (the reference does not say the ANPD
# decision covers the EEA).  The day 2026-01-26 is the EU decision's date;
# the reference gives the ANPD resolution only as "Jan 2026", hence uncertain.
LGPD_ADEQUACY = {
    "since": "2026-01-26",
    "instrument": "ANPD Resolution 32/2026",
    "note": "EU member state; ANPD recognised the EU as adequate (mutual with "
            "Implementing Decision (EU) 2026/179). Day taken from the EU decision; "
            "the reference dates the ANPD resolution only as Jan 2026.",
    "source": "https://www.datenschutz-notizen.de/eu-brazil-adequacy-decisions-what-changes-in-practice-3758842/",
    "uncertain": True,
}

# APPI adequacy: jurisdictions.md section 8 (JP row): "unless the country is
# on the PPC list (EEA, UK)".  No date in the reference.
APPI_ADEQUACY = {
    "since": None,
    "instrument": "PPC list of countries with equivalent systems (APPI Art 28)",
    "note": "On the PPC list (EEA, UK) per jurisdictions.md section 8.",
    "source": "https://www.ppc.go.jp/en/legal/",
    "uncertain": False,
}

# Blacklist destinations written in the reference's notes (jurisdictions.md
# section 8).  Added to the localization rows as a structured "blacklist"
# field (the row text is kept unchanged).
#  IN DPDP s16: "negative list; none known notified"
#  US DOJ DSP: "countries of concern (CN incl. HK and Macau, CU, IR, KP, RU, VE)"
#  US PADFA: "foreign adversary countries (CN, IR, KP, RU)"
ROW_BLACKLIST = {
    ("IN", "Digital Personal Data Protection Act"): [],
    ("US", "DOJ Data Security Program"): ["CN", "CU", "HK", "IR", "KP", "MO", "RU", "VE"],
    ("US", "Protecting Americans' Data"): ["CN", "IR", "KP", "RU"],
}

# --------------------------------------------------------------------------
# Regimes.  One per country with a row in jurisdictions.md section 8, except:
#  - DE and FR: their rows are sectoral health rules inside the EU; their
#    data subjects are GDPR subjects (section 1: "Inside the EU there is no
#    general localisation ... Sectoral exceptions exist (see DE, FR rows)").
#    The rows stay in "localization".
#  - subdivision rows (CA-BC, CA-NS, CA-QC, US-FL): regions carry a country,
#    not a province/state, so a subdivision free-flow area cannot be checked.
#    The rows stay in "localization"; doc/data.md lists them as not placed.
#
# localization = "hard" iff the country has a national row (no subdivision)
# with kind "hard" and mechanism "hard_localization" (not "sectoral"):
#  RU 152-FZ Art 18(5)  - kind hard: personal data of Russian citizens -> hard
#  CN CSL/DSL/PIPL Art 40 - kind hard: CIIOs, important data and handlers
#       above CAC thresholds.  Narrower than "all personal data" but the
#       reference classifies it hard, not sectoral -> hard (a small handler
#       below the thresholds waives RES003 with a documented reason).
#  VN Cybersecurity Law Art 26(3) / Decree 53 - kind hard: user data of
#       domestic telecom/internet providers (foreign ones on MPS order) -> hard
#  RW Law 058/2021 Art 50 - kind hard: personal data, storage abroad only with
#       an NCSA certificate -> hard
#  KZ Law 94-V Art 12(2) - kind hard: personal data databases -> hard
#  everything else: only sectoral or no hard rows -> none
#       (IN RBI, ID PP 71/2019, KE reg 26, AE health, AU MHR, US DFARS/CJIS/
#        IRS/FL, FR HDS are kind "sectoral"; CA-NS is a subdivision).
# The checker derives this, see derive_localization(); the table below only
# names the row that the why chain should quote.
#
# transfer: "conditional" = needs free-flow, adequacy or a declared
# mechanism; "blacklist" = free except to listed countries; "free" = no
# transfer rule in the reference.
#
# mechanisms: the fixed words (DESIGN.md); mechanism_names keeps each
# regime's own names for the word.  Mapping used for non-GDPR regimes:
#   scc        contractual safeguards: standard/approved/ad hoc clauses,
#              standard contracts, written undertakings, agreements between
#              public bodies
#   bcr        organisation-level approved safeguards: BCRs / global corporate
#              rules, certifications and seals/codes binding the importer
#              (e.g. PIPL certification, APEC CBPR)
#   consent    data-subject consent as a stand-alone transfer ground
#   derogation any other listed ground, including per-transfer approval,
#              authorisation, licence or filing with an authority (e.g. CAC
#              security assessment, NCSA authorisation, Egyptian licence,
#              Vietnamese transfer-impact dossier, Roskomnadzor notice);
#              mechanism_names says which
#   adequacy   destination on the regime's own list (empty where the
#              reference gives no list: the word is kept so a flow can still
#              cite an adequacy finding the pack does not know)
# --------------------------------------------------------------------------

REGIMES = [
    {
        # jurisdictions.md sections 1, 2, 5; section 8 EU row.
        "id": "GDPR", "name": "EU GDPR", "country": "EU",
        "row_law": "GDPR Chapter V",
        "subjects": "GDPR",                 # filled in: EU, EEA, EEA states, EU territories
        "free_flow": "EEA",
        "adequacy": "EU",
        "transfer": "conditional",
        "mechanisms": ["adequacy", "dpf", "scc", "bcr", "consent", "derogation"],
        "mechanism_names": {
            "adequacy": "Art 45 adequacy decision",
            "dpf": "EU-US Data Privacy Framework (Art 45, Implementing Decision (EU) 2023/1795); recipient must be certified",
            "scc": "Art 46(2)(c)/(d) standard contractual clauses (Implementing Decision (EU) 2021/914); Art 46(3)(a) authorised ad hoc clauses; Art 46(2)(a) and 46(3)(b) instruments between public authorities",
            "bcr": "Art 46(2)(b)/47 binding corporate rules; Art 46(2)(e) approved code of conduct and 46(2)(f) approved certification with binding importer commitments",
            "consent": "Art 49(1)(a) explicit informed consent (occasional transfers only)",
            "derogation": "Art 49(1)(b)-(g) and second subparagraph (occasional, non-structural transfers only)",
        },
        "note": "EEA-wide free flow (Art 1(3)); no localisation inside the EU/EEA. "
                "Pseudonymised data stays personal data (Recital 26). Remote access "
                "from a third country is a transfer (EDPB Guidelines 05/2021).",
    },
    {
        # jurisdictions.md section 3; section 8 GB row.  UK GDPR is the GDPR
        # as retained: Chapter V Art 46/47/49 tools of section 5 apply; the GB
        # row names IDTA / EU SCCs + UK Addendum and "derogations".
        "id": "UK_GDPR", "name": "UK GDPR", "country": "GB",
        "row_law": "UK GDPR Chapter V",
        "subjects": ["GB"], "free_flow": ["GB"],
        "adequacy": "UK",
        "transfer": "conditional",
        "mechanisms": ["adequacy", "dpf", "scc", "bcr", "consent", "derogation"],
        "mechanism_names": {
            "adequacy": "transfers approved by regulations (ex-adequacy; Data (Use and Access) Act 2025 data protection test)",
            "dpf": "UK Extension to the EU-US Data Privacy Framework (Data Protection (Adequacy) (United States of America) Regulations 2023)",
            "scc": "IDTA, or EU SCCs with the UK Addendum, plus the data protection test",
            "bcr": "binding corporate rules (UK GDPR Art 47, retained Chapter V)",
            "consent": "UK GDPR Art 49(1)(a) explicit consent",
            "derogation": "UK GDPR Art 49 derogations",
        },
        "note": "EU decisions adopted after Brexit (EPO 2025, BR 2026) are not UK-approved; "
                "a UK-DIFC data bridge was announced but no regulations were found. "
                "Art 49A lets the UK restrict categories of transfers by regulation.",
    },
    {
        # jurisdictions.md section 4; section 8 CH row.  The reference says
        # "listed derogations"; the first of them is express consent
        # (revFADP Art 17(1)(a)), so consent is accepted as well (issue 16).
        "id": "FADP", "name": "Swiss revised FADP", "country": "CH",
        "row_law": "revised Federal Act on Data Protection",
        "subjects": ["CH"], "free_flow": ["CH"],
        "adequacy": "CH",
        "transfer": "conditional",
        "mechanisms": ["adequacy", "dpf", "scc", "bcr", "consent", "derogation"],
        "mechanism_names": {
            "adequacy": "state listed in Annex 1 of the Data Protection Ordinance",
            "consent": "FADP Art 17(1)(a) express consent (an exception, like the other derogations)",
            "dpf": "Swiss-US Data Privacy Framework (certified organisations, since 2024-09-15)",
            "scc": "FDPIC-recognised EU SCCs with Swiss adaptations",
            "bcr": "binding corporate rules",
            "derogation": "FADP Art 17(1)(b)-(e) listed derogations",
        },
        "note": "Annex 1 is not the EU list: JP, KR, BR and the EPO are not Swiss-adequate.",
    },
    {
        # jurisdictions.md section 2 (BR) and section 8 BR row: Art 33 bases.
        "id": "LGPD", "name": "Brazil LGPD", "country": "BR",
        "row_law": "LGPD",
        "subjects": ["BR"], "free_flow": ["BR"],
        "adequacy": "LGPD",
        "transfer": "conditional",
        "mechanisms": ["adequacy", "scc", "bcr", "consent", "derogation"],
        "mechanism_names": {
            "adequacy": "ANPD adequacy decision (LGPD Art 33; EU recognised by Resolution 32/2026)",
            "scc": "ANPD standard contractual clauses (adopted verbatim, Resolution CD/ANPD 19/2024) or specific clauses",
            "bcr": "global corporate rules; seals, certificates and codes of conduct",
            "consent": "specific and highlighted consent",
            "derogation": "legal obligation, contract performance, protection of life and other Art 33 bases",
        },
        "note": "No general localisation.",
    },
    {
        # jurisdictions.md section 8, both CN rows.  CAC standard contract ->
        # scc; CAC certification (organisation-level) -> bcr; CAC security
        # assessment (per-transfer approval by the authority) and the 2024
        # exemptions -> derogation.  Separate consent is cumulative (needed
        # in addition), so it is not a stand-alone mechanism here.
        "id": "PIPL", "name": "China PIPL", "country": "CN",
        "row_law": "Personal Information Protection Law",
        "subjects": ["CN"], "free_flow": ["CN"],
        "adequacy": None,
        "transfer": "conditional",
        "mechanisms": ["scc", "bcr", "derogation"],
        "mechanism_names": {
            "scc": "CAC standard contract, filed (Standard Contract Measures 2023)",
            "bcr": "personal information protection certification",
            "derogation": "CAC security assessment (required above volume thresholds, for CIIOs and important data); 2024 exemptions (below 100k people non-sensitive, contract performance, HR, emergencies, re-export, FTZ negative lists)",
        },
        "note": "Separate consent and a personal information impact assessment are needed in "
                "addition to the mechanism. Hard localisation applies to CIIOs, important data "
                "and handlers above CAC volume thresholds. HK and MO are outside PIPL.",
    },
    {
        # jurisdictions.md section 8 RU row: localisation + Art 12 notice.
        "id": "RU_152FZ", "name": "Russia Federal Law 152-FZ", "country": "RU",
        "row_law": "Federal Law 152-FZ",
        "subjects": ["RU"], "free_flow": ["RU"],
        "adequacy": None,
        "transfer": "conditional",
        "mechanisms": ["derogation"],
        "mechanism_names": {
            "derogation": "prior notification of Roskomnadzor (152-FZ Art 12, since 2023-03-01), which can restrict the transfer",
        },
        "note": "Primary database must be in Russia (Art 18(5)); onward transfer after notice. "
                "Lawfulness of foreign mirror copies after 2025-07-01 is disputed.",
    },
    {
        # jurisdictions.md section 8 IN rows: DPDP s16 negative list (none
        # notified) -> blacklist, empty.  RBI payment data is sectoral.
        "id": "DPDP", "name": "India DPDP Act", "country": "IN",
        "row_law": "Digital Personal Data Protection Act",
        "subjects": ["IN"], "free_flow": ["IN"],
        "adequacy": None,
        "transfer": "blacklist",
        "mechanisms": [],
        "mechanism_names": {},
        "note": "Negative list not yet notified. Stricter sectoral laws prevail (RBI payment "
                "data must stay in India). Significant Data Fiduciaries may be told to keep "
                "specified categories in India (not yet specified).",
    },
    {
        # jurisdictions.md section 8 ID rows.
        "id": "ID_PDP", "name": "Indonesia PDP Law", "country": "ID",
        "row_law": "Personal Data Protection Law (UU 27/2022)",
        "subjects": ["ID"], "free_flow": ["ID"],
        "adequacy": None,
        "transfer": "conditional",
        "mechanisms": ["adequacy", "scc", "bcr", "consent"],
        "mechanism_names": {
            "adequacy": "destination law with equal or higher protection (no list published)",
            "scc": "adequate and binding safeguards (contract)",
            "bcr": "adequate and binding safeguards (group rules)",
            "consent": "data-subject consent",
        },
        "note": "Public-scope electronic system operators must store in Indonesia (sectoral).",
    },
    {
        # jurisdictions.md section 8 VN rows.
        "id": "VN_PDP", "name": "Vietnam PDP Law 2025", "country": "VN",
        "row_law": "Personal Data Protection Law 91/2025",
        "subjects": ["VN"], "free_flow": ["VN"],
        "adequacy": None,
        "transfer": "conditional",
        "mechanisms": ["derogation"],
        "mechanism_names": {
            "derogation": "transfer impact assessment dossier filed with the Ministry of Public Security (A05) within 60 days of the first transfer; core/important data need a separate assessment under the Law on Data",
        },
        "note": "Localisation under the Cybersecurity Law / Decree 53 binds domestic telecom "
                "and internet providers, and foreign ones in 10 service fields after an MPS order.",
    },
    {
        # jurisdictions.md section 8 SA row.
        "id": "SA_PDPL", "name": "Saudi Arabia PDPL", "country": "SA",
        "row_law": "Personal Data Protection Law (Royal Decree M/19",
        "subjects": ["SA"], "free_flow": ["SA"],
        "adequacy": None,
        "transfer": "conditional",
        "mechanisms": ["adequacy", "scc", "bcr", "derogation"],
        "mechanism_names": {
            "adequacy": "jurisdiction found adequate by SDAIA (no list in the reference)",
            "scc": "SDAIA standard contractual clauses",
            "bcr": "binding common rules; accreditation certificate",
            "derogation": "narrow exemptions of the Transfer Regulation",
        },
        "note": "Risk assessment required when relying on safeguards or exemptions. Government "
                "data hosting controls not detailed.",
    },
    {
        # jurisdictions.md section 8 TR row.
        "id": "KVKK", "name": "Turkey KVKK (Law 6698)", "country": "TR",
        "row_law": "Law 6698 (KVKK)",
        "subjects": ["TR"], "free_flow": ["TR"],
        "adequacy": None,
        "transfer": "conditional",
        "mechanisms": ["adequacy", "scc", "bcr", "consent", "derogation"],
        "mechanism_names": {
            "adequacy": "Board adequacy decision (none listed in the reference)",
            "scc": "Board standard contract used unchanged and notified within 5 business days; approved written undertakings; agreements between public bodies",
            "bcr": "binding corporate rules",
            "consent": "explicit consent (occasional transfers only, since 2024-09-01)",
            "derogation": "occasional derogations",
        },
        "note": "Regular consent-based transfers ended 2024-09-01. Bank IT systems stay in "
                "Turkey (not detailed).",
    },
    {
        # jurisdictions.md section 8 ZA row.
        "id": "POPIA", "name": "South Africa POPIA", "country": "ZA",
        "row_law": "Protection of Personal Information Act",
        "subjects": ["ZA"], "free_flow": ["ZA"],
        "adequacy": None,
        "transfer": "conditional",
        "mechanisms": ["adequacy", "scc", "bcr", "consent", "derogation"],
        "mechanism_names": {
            "adequacy": "recipient bound by a law giving substantially similar protection (no list)",
            "scc": "agreement giving substantially similar protection",
            "bcr": "binding corporate rules",
            "consent": "data-subject consent",
            "derogation": "contract necessity or benefit to the data subject",
        },
        "note": "Special and children's personal information to a country without adequate "
                "protection needs prior authorisation by the Information Regulator (s57).",
    },
    {
        # jurisdictions.md section 8 NG row.
        "id": "NDPA", "name": "Nigeria Data Protection Act", "country": "NG",
        "row_law": "Nigeria Data Protection Act",
        "subjects": ["NG"], "free_flow": ["NG"],
        "adequacy": None,
        "transfer": "conditional",
        "mechanisms": ["adequacy", "scc", "bcr", "consent", "derogation"],
        "mechanism_names": {
            "adequacy": "NDPC adequacy finding (no list published)",
            "scc": "contract clauses",
            "bcr": "binding corporate rules; codes of conduct; certification",
            "consent": "informed consent",
            "derogation": "contract, vital interests and other listed bases",
        },
        "note": "The basis must be recorded. Public-sector hosting rules not detailed.",
    },
    {
        # jurisdictions.md section 8 KE row: s48 appropriate safeguards; s49
        # sensitive data needs consent plus safeguards (cumulative, so
        # consent is not a stand-alone mechanism).  Reg 26 is sectoral.
        "id": "KE_DPA", "name": "Kenya Data Protection Act 2019", "country": "KE",
        "row_law": "Data Protection Act 2019",
        "subjects": ["KE"], "free_flow": ["KE"],
        "adequacy": None,
        "transfer": "conditional",
        "mechanisms": ["scc", "bcr"],
        "mechanism_names": {
            "scc": "proof of appropriate safeguards (s48), contractual",
            "bcr": "proof of appropriate safeguards (s48), group rules",
        },
        "note": "Sensitive data also needs consent (s49). Strategic-interest processing "
                "(civil registration, elections, public finance, health ...) must run in Kenya "
                "(sectoral, reg 26).",
    },
    {
        # jurisdictions.md section 8 RW row.
        "id": "RW_DPP", "name": "Rwanda Law 058/2021", "country": "RW",
        "row_law": "Law 058/2021",
        "subjects": ["RW"], "free_flow": ["RW"],
        "adequacy": None,
        "transfer": "conditional",
        "mechanisms": ["scc", "bcr", "consent", "derogation"],
        "mechanism_names": {
            "scc": "NCSA authorisation with proof of safeguards (contract)",
            "bcr": "NCSA authorisation with proof of safeguards (group rules)",
            "consent": "data-subject consent (Art 48)",
            "derogation": "another listed ground (Art 48)",
        },
        "note": "Storage must be in Rwanda unless an NCSA registration certificate authorises "
                "storage abroad (Art 50).",
    },
    {
        # jurisdictions.md section 8 KZ row.
        "id": "KZ_PD", "name": "Kazakhstan Law 94-V on Personal Data", "country": "KZ",
        "row_law": "Law 94-V",
        "subjects": ["KZ"], "free_flow": ["KZ"],
        "adequacy": None,
        "transfer": "conditional",
        "mechanisms": ["adequacy", "consent", "derogation"],
        "mechanism_names": {
            "adequacy": "country with adequate protection (no list in the reference)",
            "consent": "data-subject consent",
            "derogation": "other listed grounds",
        },
        "note": "Databases must be kept in Kazakhstan; parallel copies abroad are reportedly "
                "not expressly barred.",
    },
    {
        # jurisdictions.md section 8 EG row: adequate protection AND a PDPC
        # licence (cumulative); consent-based exceptions.
        "id": "EG_PDPL", "name": "Egypt PDPL (Law 151/2020)", "country": "EG",
        "row_law": "Personal Data Protection Law 151/2020",
        "subjects": ["EG"], "free_flow": ["EG"],
        "adequacy": None,
        "transfer": "conditional",
        "mechanisms": ["consent", "derogation"],
        "mechanism_names": {
            "consent": "consent-based exceptions for listed cases",
            "derogation": "licence/permit from the Personal Data Protection Center, to a country with protection not lower than Egypt's",
        },
        "note": "Licensing grace period reported to run to 2026-10-31.",
    },
    {
        # jurisdictions.md section 8 JP row.
        "id": "APPI", "name": "Japan APPI", "country": "JP",
        "row_law": "Act on the Protection of Personal Information",
        "subjects": ["JP"], "free_flow": ["JP"],
        "adequacy": "APPI",
        "transfer": "conditional",
        "mechanisms": ["adequacy", "scc", "bcr", "consent"],
        "mechanism_names": {
            "adequacy": "country on the PPC list (EEA, UK)",
            "scc": "recipient maintains an equivalent system by contract",
            "bcr": "recipient maintains an equivalent system (e.g. APEC CBPR certification)",
            "consent": "prior consent after information on the destination's regime",
        },
        "note": "",
    },
    {
        # jurisdictions.md section 8 KR row.
        "id": "PIPA", "name": "Korea PIPA", "country": "KR",
        "row_law": "Personal Information Protection Act Art 28-8",
        "subjects": ["KR"], "free_flow": ["KR"],
        "adequacy": None,
        "transfer": "conditional",
        "mechanisms": ["adequacy", "bcr", "consent", "derogation"],
        "mechanism_names": {
            "adequacy": "PIPC-recognised equivalent country (no list in the reference)",
            "bcr": "PIPC-certified recipient",
            "consent": "data-subject consent",
            "derogation": "law or treaty; contract necessity with disclosure",
        },
        "note": "",
    },
    {
        # jurisdictions.md section 8 SG row.
        "id": "SG_PDPA", "name": "Singapore PDPA", "country": "SG",
        "row_law": "Personal Data Protection Act s26",
        "subjects": ["SG"], "free_flow": ["SG"],
        "adequacy": None,
        "transfer": "conditional",
        "mechanisms": ["adequacy", "scc", "bcr", "derogation"],
        "mechanism_names": {
            "adequacy": "recipient bound by law giving comparable protection (no list)",
            "scc": "contract with legally enforceable obligations",
            "bcr": "binding corporate rules; APEC CBPR/PRP certification",
            "derogation": "another listed condition (PDP Regulations 2021)",
        },
        "note": "",
    },
    {
        # jurisdictions.md section 8 AE row: only the health-data rule is in
        # force; "General federal PDPL (Decree-Law 45/2021) transfer rules
        # await executive regulations" -> no general transfer rule yet.
        "id": "AE_PDPL", "name": "UAE federal PDPL (Decree-Law 45/2021)", "country": "AE",
        "row_law": "Federal Law 2/2019",
        "subjects": ["AE"], "free_flow": ["AE"],
        "adequacy": None,
        "transfer": "free",
        "mechanisms": [],
        "mechanism_names": {},
        "uncertain": True,
        "note": "Transfer rules of the PDPL await executive regulations; health data must stay "
                "in the UAE (sectoral). Free zones (DIFC, ADGM) have their own laws, not in the "
                "reference.",
    },
    {
        # jurisdictions.md section 8 AU row note: "the Privacy Act (APP 8 +
        # s16C accountability) has no localisation"; no approval mechanism.
        "id": "AU_PRIVACY", "name": "Australia Privacy Act", "country": "AU",
        "row_law": "My Health Records Act",
        "subjects": ["AU"], "free_flow": ["AU"],
        "adequacy": None,
        "transfer": "free",
        "mechanisms": [],
        "mechanism_names": {},
        "note": "Accountability model (APP 8, s16C): the exporter stays accountable for the "
                "recipient; no localisation. My Health Record data must stay in Australia "
                "(sectoral).",
    },
    {
        # jurisdictions.md section 8 CA row (PIPEDA, kind none).
        "id": "PIPEDA", "name": "Canada PIPEDA", "country": "CA",
        "row_law": "PIPEDA",
        "subjects": ["CA"], "free_flow": ["CA"],
        "adequacy": None,
        "transfer": "free",
        "mechanisms": [],
        "mechanism_names": {},
        "note": "Accountability (contractual protection) and openness about foreign processing. "
                "Provincial rules (BC, NS, QC) are in the localization rows; they are not "
                "checked as regimes because regions carry no province.",
    },
    {
        # jurisdictions.md section 8 US rows: general rule none/none.  The
        # DOJ Data Security Program and PADFA blacklists apply to bulk
        # sensitive data / data brokers only and stay in the localization
        # rows (with a structured "blacklist" field), not on the regime.
        "id": "US_PRIVACY", "name": "United States (no general federal law)", "country": "US",
        "row_law": "No general federal localisation",
        "subjects": ["US"], "free_flow": ["US"],
        "adequacy": None,
        "transfer": "free",
        "mechanisms": [],
        "mechanism_names": {},
        "note": "No general transfer or residency rule. Category rules: DOJ Data Security "
                "Program and PADFA bar bulk sensitive data to countries of concern; DFARS, "
                "CJIS, IRS 1075 and Florida EHR rules require US (or listed) locations.",
    },
]


def not_fetched_urls(md):
    """URLs marked *(not fetched)* anywhere in jurisdictions.md."""
    return set(re.findall(r"(\S+) \*\(not fetched\)\*", md))


def derive_localization(country, rows):
    """'hard' iff a national row of this country is kind hard / hard_localization."""
    for r in rows:
        if (r["country"] == country and not r.get("subdivision")
                and r["kind"] == "hard" and r["mechanism"] == "hard_localization"):
            return "hard", r
    return "none", None


def find_row(rows, country, law_prefix):
    hits = [r for r in rows if r["country"] == country and r["law"].startswith(law_prefix)]
    if len(hits) != 1:
        raise SystemExit("jurisdictions.json: %d localization rows for %s %r"
                         % (len(hits), country, law_prefix))
    return hits[0]


def adequacy_entry(lst, e, unfetched):
    country = e["country"]
    cond = CONDITION.get((lst, country))
    if e["scope"] == "partial" and cond is None:
        raise SystemExit("adequacy %s %s: partial without a condition" % (lst, country))
    if e["scope"] == "full" and cond is not None:
        raise SystemExit("adequacy %s %s: full with a condition" % (lst, country))
    instrument = e.get("instrument")
    if instrument is None:
        instrument = {"UK": UK_DEFAULT_INSTRUMENT, "CH": CH_DEFAULT_INSTRUMENT}[lst]
    note = e.get("note", "")
    uncertain = bool(e["uncertain"])
    extra = EXTRA_UNCERTAIN.get((lst, country))
    if extra:
        note = (note + " " + extra).strip()
        uncertain = True
    retrieved = e.get("source_retrieved", True) and e["source"] not in unfetched
    return {
        "country": country,
        "kind": e.get("kind", "country"),
        "scope": e["scope"],
        "condition": cond,
        "since": e.get("since"),
        "until": e.get("until"),
        "instrument": instrument,
        "note": note,
        "source": e["source"],
        "source_retrieved": bool(retrieved),
        "uncertain": uncertain,
    }


def synth_adequacy(countries, base, unfetched):
    retrieved = base["source"] not in unfetched
    return [dict(country=c, kind="country", scope="full", condition=None,
                 until=None, source_retrieved=retrieved, **base) for c in sorted(countries)]


def build_jurisdictions(ref):
    with open(os.path.join(ref, "jurisdictions.json"), encoding="utf-8") as f:
        j = json.load(f)
    with open(os.path.join(ref, SRC_MD), encoding="utf-8") as f:
        md = f.read()
    unfetched = not_fetched_urls(md)
    src1 = SRC_MD + " section 1"

    b = j["blocs"]
    blocs = {
        "EU": {
            "members": sorted(b["EU"]),
            "source": src1,
            # jurisdictions.md section 1: separate ISO codes inside EU territory.
            "territories": {"codes": sorted(b["EU_TERRITORY_OTHER_CODES"]["codes"]),
                            "note": b["EU_TERRITORY_OTHER_CODES"]["note"],
                            "uncertain": b["EU_TERRITORY_OTHER_CODES"]["uncertain"]},
            # jurisdictions.md section 1: linked to a member state, outside the EU.
            "linked_not_members": {"codes": sorted(b["NOT_EU_DESPITE_LINK"]["codes"]),
                                   "note": b["NOT_EU_DESPITE_LINK"]["note"],
                                   "uncertain": b["NOT_EU_DESPITE_LINK"]["uncertain"]},
        },
        "EEA": {"members": sorted(b["EEA"]), "source": src1,
                "note": "EU + IS, LI, NO. GDPR and all EU adequacy decisions apply EEA-wide."},
        "EFTA": {"members": sorted(b["EFTA"]), "source": src1,
                 "note": "CH is in EFTA but not in the EEA."},
    }

    # Localization rows: every reference row, every field; missing optional
    # fields made explicit (null), source_retrieved made explicit from the
    # row or from the *(not fetched)* marks of jurisdictions.md.
    loc = []
    for r in j["localization"]:
        row = dict(r)
        row.setdefault("subdivision", None)
        row.setdefault("since", None)
        row["source_retrieved"] = bool(r.get("source_retrieved", True)
                                       and r["source"] not in unfetched)
        bl = [v for (c, p), v in ROW_BLACKLIST.items()
              if c == r["country"] and r["law"].startswith(p)]
        if r["mechanism"] == "blacklist":
            if len(bl) != 1:
                raise SystemExit("blacklist row without destinations: %s %s"
                                 % (r["country"], r["law"][:40]))
            row["blacklist"] = sorted(bl[0])
        elif bl:
            raise SystemExit("ROW_BLACKLIST names a non-blacklist row")
        loc.append(row)
    loc.sort(key=lambda r: (r["country"], r["subdivision"] or ""))  # stable

    eea = sorted(b["EEA"])
    adequacy_lists = {
        "EU": [adequacy_entry("EU", e, unfetched) for e in j["adequacy"]["EU"]],
        "UK": [adequacy_entry("UK", e, unfetched) for e in j["adequacy"]["UK"]],
        "CH": [adequacy_entry("CH", e, unfetched) for e in j["adequacy"]["CH"]],
        "LGPD": synth_adequacy(b["EU"], LGPD_ADEQUACY, unfetched),
        "APPI": synth_adequacy(eea + ["GB"], APPI_ADEQUACY, unfetched),
        None: [],
    }
    for k in adequacy_lists:
        adequacy_lists[k].sort(key=lambda e: e["country"])

    regimes = []
    for spec in REGIMES:
        row = find_row(loc, spec["country"] if spec["country"] != "EU" else "EU",
                       spec["row_law"])
        if spec["id"] == "AU_PRIVACY":
            row = find_row(loc, "AU", "My Health Records Act")
        localization, hard_row = derive_localization(spec["country"], loc)
        subjects = spec["subjects"]
        if subjects == "GDPR":
            # EU and EEA pseudo-codes, every EEA state, and the separate ISO
            # codes that are EU territory (jurisdictions.md section 1).
            subjects = ["EU", "EEA"] + eea + sorted(b["EU_TERRITORY_OTHER_CODES"]["codes"])
        blacklist = []
        if spec["transfer"] == "blacklist":
            blacklist = row["blacklist"]
        reg = {
            "id": spec["id"],
            "name": spec["name"],
            "country": spec["country"],
            "law": row["law"],
            "since": row["since"],
            "subjects": subjects,
            "free_flow": spec["free_flow"],
            "transfer": spec["transfer"],
            "blacklist": blacklist,
            "adequacy": adequacy_lists[spec["adequacy"]],
            "mechanisms": spec["mechanisms"],
            "mechanism_names": spec["mechanism_names"],
            "localization": localization,
            "localization_law": hard_row["law"] if hard_row else None,
            "note": spec["note"],
            "source": row["source"],
            "uncertain": bool(spec.get("uncertain", False) or row["uncertain"]
                              or (hard_row is not None and hard_row["uncertain"])),
        }
        if spec["id"] == "AU_PRIVACY":
            reg["law"] = "Privacy Act (APP 8, s16C accountability)"
            reg["since"] = None
        if spec["id"] == "AE_PDPL":
            reg["law"] = "Federal Decree-Law 45/2021 (PDPL)"
            reg["since"] = None
        regimes.append(reg)
    regimes.sort(key=lambda r: r["id"])

    return {
        "sources_as_of": "2026-08",
        "not_legal_advice": True,
        "generated_from": [
            {"file": name, "sha256": sha256_file(os.path.join(ref, name))}
            for name in ("jurisdictions.json", "jurisdictions.md", "regions.csv", "regions.md")
        ],
        "blocs": blocs,
        "regimes": regimes,
        "localization": loc,
        "kinds": j["meta"]["kinds"],
        "notes": {
            "adequacy_EU": j["adequacy_notes"]["EU"],
            "adequacy_UK": j["adequacy_notes"]["UK"],
            "adequacy_CH": j["adequacy_notes"]["CH"],
            "conventions": j["meta"]["conventions"],
            "condition": "null = full; dpf = recipient certified under the DPF, flow must "
                         "declare mechanism dpf; commercial = holds unless the recipient is "
                         "public sector; automated = automated transfers only (IL)",
            "mechanisms": "adequacy, dpf, scc, bcr, consent, derogation; each regime's "
                          "mechanism_names gives its own terms",
        },
    }


# --------------------------------------------------------------------------
# Self-test
# --------------------------------------------------------------------------

def self_test(reg, jur):
    problems = []

    def check(cond, msg):
        if not cond:
            problems.append(msg)

    rs = reg["regions"]
    check(len(rs) == EXPECT["regions"], "regions: %d, want %d" % (len(rs), EXPECT["regions"]))
    ids = [r["id"] for r in rs]
    check(ids == sorted(ids), "regions not sorted by id")
    check(len(set(ids)) == len(ids), "duplicate region ids")
    for p, n in EXPECT["per_provider"].items():
        got = sum(1 for r in rs if r["provider"] == p)
        check(got == n, "provider %s: %d rows, want %d" % (p, got, n))
    for r in rs:
        check(bool(ISO2.match(r["country"])), "region %s: bad country %r" % (r["id"], r["country"]))
        check(r["provider"] in reg["providers"], "region %s: unknown provider" % r["id"])
        check(r["kind"] in ("cloud", "sovereign-cloud"), "region %s: kind" % r["id"])
        check(r["id"] == r["provider"] + ":" + r["code"], "region %s: id" % r["id"])
    check(all(r["kind"] == "sovereign-cloud" for r in rs if r["provider"] == "aws-eusc")
          and any(r["provider"] == "aws-eusc" for r in rs), "aws-eusc kind")
    ops = {p: v["operator"] for p, v in reg["providers"].items()}
    check(ops == {"aws": "US", "aws-us-gov": "US", "aws-cn": "CN", "aws-eusc": "EU",
                  "azure": "US", "gcp": "US"}, "operators: %r" % ops)
    mr = {m["id"]: m for m in reg["multi_regions"]}
    check(sorted(mr) == ["gcp:asia1", "gcp:eu", "gcp:eur4", "gcp:eur5", "gcp:eur7", "gcp:eur8",
                         "gcp:nam4", "gcp:us", "global"], "multi_regions: %r" % sorted(mr))
    check(mr["gcp:eur4"]["members"] == ["FI", "NL"], "gcp:eur4 members")
    check(mr["gcp:eu"]["members"] == sorted(jur["blocs"]["EU"]["members"]), "gcp:eu members")
    check(mr["global"]["members"] == ["*"], "global members")
    for m in reg["multi_regions"]:
        check(all(c == "*" or ISO2.match(c) for c in m["members"]), "bad member in %s" % m["id"])

    bl = jur["blocs"]
    check(len(bl["EU"]["members"]) == EXPECT["EU"], "EU bloc size")
    check(len(bl["EEA"]["members"]) == EXPECT["EEA"], "EEA bloc size")
    check(len(bl["EFTA"]["members"]) == EXPECT["EFTA"], "EFTA bloc size")
    check(set(bl["EU"]["members"]) < set(bl["EEA"]["members"]), "EU not inside EEA")
    check(set(bl["EEA"]["members"]) - set(bl["EU"]["members"]) == {"IS", "LI", "NO"}, "EEA-EU")

    regs = {r["id"]: r for r in jur["regimes"]}
    check([r["id"] for r in jur["regimes"]] == sorted(regs), "regimes not sorted")
    check(len(regs["GDPR"]["adequacy"]) == EXPECT["adequacy_EU"], "EU adequacy count")
    check(len(regs["UK_GDPR"]["adequacy"]) == EXPECT["adequacy_UK"], "UK adequacy count")
    check(len(regs["FADP"]["adequacy"]) == EXPECT["adequacy_CH"], "CH adequacy count")
    check(len(regs["LGPD"]["adequacy"]) == EXPECT["EU"], "LGPD adequacy count")
    check(len(jur["localization"]) == EXPECT["localization"], "localization rows")
    check(regs["GDPR"]["free_flow"] == "EEA", "GDPR free_flow")
    check(set(bl["EEA"]["members"]) <= set(regs["GDPR"]["subjects"]), "GDPR subjects")
    check({"EU", "EEA"} <= set(regs["GDPR"]["subjects"]), "GDPR pseudo subjects")
    gb = [a for a in regs["GDPR"]["adequacy"] if a["country"] == "GB"]
    check(len(gb) == 1 and gb[0]["until"] == "2031-12-27", "GDPR GB until")
    want_cond = {"US": "dpf", "CA": "commercial", "JP": "commercial", "IL": "automated"}
    got_cond = {a["country"]: a["condition"] for a in regs["GDPR"]["adequacy"] if a["condition"]}
    check(got_cond == want_cond, "GDPR conditions %r" % got_cond)
    uk_eea = {a["country"] for a in regs["UK_GDPR"]["adequacy"]} & set(bl["EEA"]["members"])
    check(len(uk_eea) == 30, "UK list lacks EEA states")
    ch_eea = {a["country"] for a in regs["FADP"]["adequacy"]} & set(bl["EEA"]["members"])
    check(len(ch_eea) == 30, "CH list lacks EEA states")

    hard = sorted(r["country"] for r in jur["regimes"] if r["localization"] == "hard")
    check(hard == ["CN", "KZ", "RU", "RW", "VN"], "hard localization %r" % hard)
    seen_subjects = set()
    for r in jur["regimes"]:
        check(r["transfer"] in TRANSFERS, "%s transfer" % r["id"])
        check(r["localization"] in LOCALIZATIONS, "%s localization" % r["id"])
        check(isinstance(r["free_flow"], list) or r["free_flow"] in bl, "%s free_flow" % r["id"])
        check(all(m in MECHANISMS for m in r["mechanisms"]), "%s mechanisms" % r["id"])
        check(sorted(r["mechanism_names"]) == sorted(r["mechanisms"]), "%s mechanism_names" % r["id"])
        check(r["transfer"] != "conditional" or r["mechanisms"], "%s: conditional, no mechanism" % r["id"])
        check(r["transfer"] == "blacklist" or not r["blacklist"], "%s blacklist" % r["id"])
        dup = seen_subjects & set(r["subjects"])
        check(not dup, "%s: subjects %r in two regimes" % (r["id"], dup))
        seen_subjects |= set(r["subjects"])
        for a in r["adequacy"]:
            check(a["condition"] in CONDITIONS, "%s %s condition" % (r["id"], a["country"]))
            check(a["scope"] in ("full", "partial"), "%s %s scope" % (r["id"], a["country"]))
            check((a["scope"] == "partial") == (a["condition"] is not None),
                  "%s %s: partial <-> condition" % (r["id"], a["country"]))
            check(ISO2.match(a["country"]) or a["country"] == "EPO",
                  "%s adequacy country %r" % (r["id"], a["country"]))
        cs = [a["country"] for a in r["adequacy"]]
        check(len(cs) == len(set(cs)), "%s: duplicate adequacy" % r["id"])
    for row in jur["localization"]:
        check(ISO2.match(row["country"]) or row["country"] == "EU", "loc country %r" % row["country"])
        for k in ("country", "subdivision", "law", "kind", "mechanism", "categories",
                  "since", "note", "source", "uncertain", "source_retrieved"):
            check(k in row, "localization row %s lacks %s" % (row["country"], k))
    return problems


# --------------------------------------------------------------------------

def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("refdir", help="directory of the sourced reference facts")
    ap.add_argument("--out", default=os.path.join(repo, "data"))
    ap.add_argument("--check", action="store_true",
                    help="write nothing; self-test and compare with the committed files")
    args = ap.parse_args(argv)
    ref = os.path.normpath(args.refdir)

    jur = build_jurisdictions(ref)
    reg = build_regions(ref, jur["blocs"]["EU"]["members"])
    rep = build_replication(ref)
    texts = {"regions.json": dump(reg), "jurisdictions.json": dump(jur),
             "cloud-replication.json": dump(rep)}
    ap_ = {p["region"]: p["pair"] for p in rep["azure_pairs"]}
    if ap_.get("brazilsouth") != "southcentralus" or ap_.get("westeurope") != "northeurope":
        print("gen_data: FAIL: azure pairs", file=sys.stderr)
        return 1

    # Determinism: build again and compare.
    jur2 = build_jurisdictions(ref)
    reg2 = build_regions(ref, jur2["blocs"]["EU"]["members"])
    problems = self_test(reg, jur)
    if dump(reg2) != texts["regions.json"] or dump(jur2) != texts["jurisdictions.json"]:
        problems.append("output is not deterministic")
    for name, text in texts.items():
        if json.loads(text) != {"regions.json": reg, "jurisdictions.json": jur,
                                "cloud-replication.json": rep}[name]:
            problems.append("%s does not round-trip" % name)

    if args.check:
        for name, text in texts.items():
            path = os.path.join(args.out, name)
            try:
                with open(path, encoding="utf-8", newline="") as f:
                    if f.read() != text:
                        problems.append("%s differs from a fresh generation" % path)
            except OSError as e:
                problems.append("%s: %s" % (path, e.strerror))
    else:
        os.makedirs(args.out, exist_ok=True)
        for name, text in texts.items():
            with io.open(os.path.join(args.out, name), "w", encoding="utf-8", newline="\n") as f:
                f.write(text)

    for p in problems:
        print("gen_data: FAIL: " + p, file=sys.stderr)
    if problems:
        return 1
    regs = {r["id"]: r for r in jur["regimes"]}
    print("gen_data: ok: %d regions, %d multi-regions, %d providers; blocs EU %d EEA %d "
          "EFTA %d; %d regimes; adequacy EU %d UK %d CH %d; %d localization rows"
          % (len(reg["regions"]), len(reg["multi_regions"]), len(reg["providers"]),
             len(jur["blocs"]["EU"]["members"]), len(jur["blocs"]["EEA"]["members"]),
             len(jur["blocs"]["EFTA"]["members"]), len(jur["regimes"]),
             len(regs["GDPR"]["adequacy"]), len(regs["UK_GDPR"]["adequacy"]),
             len(regs["FADP"]["adequacy"]), len(jur["localization"])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
