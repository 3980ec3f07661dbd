#!/usr/bin/env python3
"""check.py CATALOG OUTDIR - tests/hostile/run.sh's verdicts on what sovmap
wrote for the hostile names of corpus.py: stored exactly, escaped in every
output (see doc/security.md). Prints "ok WHAT" or "FAIL WHAT: why" per
check and "checked N inputs x M outputs = K pairs" last."""
import csv
import html.parser
import io
import json
import os
import re
import sqlite3
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import NAMES  # noqa: E402

db, out = sys.argv[1], sys.argv[2]
added = set(open(os.path.join(out, "added.txt"), "rb").read().split(b"\0")) - {b""}
names = [n for n in NAMES if n in added]
texts = {n: n.decode() for n in names}
pairs = 0
outputs = set()
fails = 0


def verdict(what, ok, why=""):
    global fails
    if ok:
        print("ok " + what)
    else:
        fails += 1
        print("FAIL %s: %s" % (what, why[:300]))


def short(n):
    return repr(n[:40])


def read(name, mode="r"):
    p = os.path.join(out, name)
    if not os.path.exists(p):
        return None
    return open(p, "rb").read() if mode == "rb" else open(p, encoding="utf-8", newline="").read()


def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)


def count(output, n):
    global pairs
    pairs += 1
    outputs.add(output)


# The CSV and HTML exports show a C0 control byte or DEL as the visible
# \x1b the CLI shows (doc/security.md); JSON escapes it exactly, so a name
# parsed from JSON is the name itself.
def fffd(s):
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", lambda m: "\\x%02x" % ord(m.group()), s)


def holds(hay, s):
    return s in hay or fffd(s) in hay


RAW_CTL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")

# ---- stored exactly: the catalog rows, byte for byte ------------------------------
con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
con.text_factory = bytes
rows = {r[0]: r for r in con.execute("SELECT name, system, owner, description FROM dataset")}
fields = {(r[0], r[1]) for r in con.execute(
    "SELECT d.name, f.name FROM field f JOIN dataset d ON d.id = f.dataset")}
for n in names:
    r = rows.get(n)
    verdict("stored %s" % short(n), r is not None and r[1] == r[2] == r[3] == n and (n, n) in fields,
            "row %r" % (r[:2] if r else None,))
    count("catalog", n)

# ---- model-json: exact, and it round-trips (run.sh compares the bytes) -------------
mj = read("model.json")
try:
    m = json.loads(mj)
    ds = {d["name"]: d for d in m["datasets"]}
    for n, t in texts.items():
        d = ds.get(t)
        verdict("model-json %s" % short(n),
                d is not None and d["system"] == d["owner"] == d["description"] == t and
                any(f["name"] == t for f in d["fields"]), "missing or changed")
        count("model-json", n)
    # the Atlas import: the table names arrive whole, after the database name
    for n, t in texts.items():
        verdict("atlas import %s" % short(n), any(k.endswith("." + t) for k in ds),
                "no imported dataset named db*.%s" % t[:40])
        count("import-atlas", n)
except Exception as e:  # noqa: BLE001
    verdict("model-json parses", False, str(e))

# ---- terminal text: no raw control bytes or bidi overrides reach the terminal -------
for f in ["check.text", "dataset-list.txt", "dataset-show.txt", "flow-list.txt", "log.txt",
          "import.txt"]:
    b = read(f, "rb")
    if b is None:
        verdict(f, False, "not written")
        continue
    bad = RAW_CTL.search(b)
    verdict("%s has no raw control bytes" % f, bad is None,
            "found %r near %r" % (bad.group(0), b[max(0, bad.start() - 30):bad.end() + 10]) if bad else "")
    for n in names:
        count(f, n)

# ---- JSON outputs parse and hold each name exactly -----------------------------------
for f in ["check.json", "check.sarif", "map.json", "dataset-list.json"]:
    t = read(f)
    try:
        v = json.loads(t)
    except Exception as e:  # noqa: BLE001
        verdict("%s parses" % f, False, str(e))
        continue
    all_s = "\x00".join(strings(v))
    for n, s in texts.items():
        verdict("%s holds %s" % (f, short(n)), holds(all_s, s), "not found")
        count(f, n)

# ---- JUnit XML: well-formed, only the JUnit elements -----------------------------------
t = read("check.junit", "rb")
try:
    root = ET.fromstring(t)
    tags = {e.tag for e in root.iter()}
    allowed = {"testsuites", "testsuite", "testcase", "failure", "error", "skipped",
               "properties", "property", "system-out", "system-err"}
    verdict("junit elements", tags <= allowed, "unexpected %s" % (tags - allowed))
    alltext = "\x00".join([x for e in root.iter() for x in [e.text or ""] + list(e.attrib.values())])
    for n, s in texts.items():
        xml_ok = not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", s)
        # XML 1.0 cannot hold C0 controls: those names may come out replaced
        verdict("junit holds %s" % short(n), (s in alltext) or not xml_ok, "not found")
        count("junit", n)
except Exception as e:  # noqa: BLE001
    verdict("junit parses", False, str(e))

# ---- SVG: XML, no script, no event handlers, no foreign content -------------------------
t = read("diagram.svg", "rb")
try:
    root = ET.fromstring(t)
    bad = [e.tag for e in root.iter() if e.tag.split("}")[-1] in ("script", "foreignObject", "iframe")]
    bad += [k for e in root.iter() for k in e.attrib if k.lower().startswith("on")]
    verdict("svg has no script or handlers", not bad, "found %s" % bad[:5])
    for n in names:
        count("svg", n)
except Exception as e:  # noqa: BLE001
    verdict("svg parses", False, str(e))


# ---- HTML: no element or attribute that sovmap does not write itself ---------------------
class Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.data = {}, set(), []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for k, v in attrs:
            self.attrs.add(k)
            self.data.append(v or "")

    def handle_data(self, d):
        self.data.append(d)


def parse_html(s):
    p = Tags()
    p.feed(s)
    p.close()
    return p


base, hos = parse_html(read("benign.html")), parse_html(read("map.html"))
extra = set(hos.tags) - set(base.tags)
verdict("html: no element beyond sovmap's own", not extra, "injected %s" % extra)
verdict("html: as many <script> as sovmap writes", hos.tags.get("script", 0) == base.tags.get("script", 0),
        "%d vs %d" % (hos.tags.get("script", 0), base.tags.get("script", 0)))
ev = {a for a in hos.attrs - base.attrs}
verdict("html: no attribute beyond sovmap's own", not ev, "injected %s" % ev)
alld = "\x00".join(hos.data)
for n, s in texts.items():
    # a control byte may be shown escaped; everything else must read back exactly
    plain = not re.search(r"[\x00-\x1f\x7f]", s)
    verdict("html holds %s" % short(n), s in alld or not plain, "not found in the text")
    count("map-html", n)

# ---- Markdown: no raw HTML from names, tables keep their columns ---------------------------
md = read("map.md")
verdict("md: no raw <script/<img", not re.search(r"<(script|img)", md, re.I), "raw tag")
cols, badrow = None, None
for line in md.split("\n"):
    if line.startswith("|"):
        k = len(re.findall(r"(?<!\\)\|", line))
        if cols is None:
            cols = k
        elif k != cols:
            badrow = line[:80]
            break
    else:
        cols = None
verdict("md: every table row has its header's columns", badrow is None, "row %r" % badrow)
for n in names:
    count("map-md", n)

# ---- CSV: RFC 4180, every row as wide as the header, names exact -------------------------
for f in ["map.csv", "transfers.csv", "lineage.csv"]:
    t = read(f)
    try:
        rs = list(csv.reader(io.StringIO(t, newline=""), strict=True))
        w = {len(r) for r in rs}
        verdict("%s rows as wide as the header" % f, len(w) == 1, "widths %s" % w)
        cells = {c for r in rs for c in r}
        for n, s in texts.items():
            if f == "map.csv" or f == "lineage.csv":
                verdict("%s holds %s" % (f, short(n)), s in cells or fffd(s) in cells, "no exact cell")
            count(f, n)
    except Exception as e:  # noqa: BLE001
        verdict("%s parses" % f, False, str(e))

for n in names:
    count("dot", n)      # dot -Tsvg parses it: run.sh
print("checked %d inputs x %d outputs = %d pairs" % (len(names), len(outputs), pairs))
sys.exit(1 if fails else 0)
