#!/usr/bin/env python3
"""Check a review pack (export review-html): one self-contained file (no
script, no external asset or link), every internal link resolves, the
sections are there, and it lists every finding of the catalog's check JSON
given as the second argument. With a third argument (the catalog's
`export tiers-csv`), its tier-to-region section has a table per tier and
set of subjects with a row per jurisdiction and the same copies now.
Prints "ok N findings, M links" (", K tier tables") or the problems.
Usage: check.py review.html check.json [tiers.csv]"""
import csv
import html.parser
import json
import sys


class Pack(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.external, self.rows, self.svgs = set(), [], [], 0, 0
        self.in_findings = False
        self.h2 = []
        self.in_tiers = False
        self.tier, self.combo, self.cell, self.cells = None, None, None, []
        self.tables = {}        # (tier, subjects) -> [[cells of a row], ...]
        self.heading = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if 'id' in a:
            self.ids.add(a['id'])
        if tag == 'h2':
            self.in_findings = a.get('id') == 'findings'
            self.in_tiers = a.get('id') == 'tiers'
            self.h2.append(a.get('id'))
        if self.in_tiers and tag in ('h3', 'h4'):
            self.heading = [tag, '']
        if self.in_tiers and tag == 'tr':
            self.cells = []
        if self.in_tiers and tag == 'td':
            self.cell = ''
        if tag == 'svg':
            self.svgs += 1
        if tag in ('script', 'link', 'img', 'iframe', 'object', 'embed'):
            self.external.append(tag)
        for k in ('href', 'xlink:href', 'src'):
            v = a.get(k)
            if v:
                (self.links if v.startswith('#') else self.external).append(v)
        if tag == 'td' and self.in_findings and (a.get('class') or '').startswith('sev-'):
            self.rows += 1

    def handle_data(self, data):
        if self.heading is not None:
            self.heading[1] += data
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if self.heading is not None and tag == self.heading[0]:
            kind, text = self.heading
            self.heading = None
            if kind == 'h3':
                self.tier = text
            elif text.endswith(')') and ' subjects (' in text:
                self.combo = (self.tier, text.split(' subjects (')[0])
                self.tables[self.combo] = []
        if tag == 'td' and self.cell is not None:
            self.cells.append(self.cell)
            self.cell = None
        if tag == 'tr' and self.in_tiers and self.combo and len(self.cells) == 8:
            self.tables[self.combo].append(self.cells)


text = open(sys.argv[1], encoding='utf-8').read()
want = json.load(open(sys.argv[2]))
p = Pack()
p.feed(text)
problems = []
if p.external:
    problems.append(f'external assets or links: {p.external[:5]}')
broken = [h for h in p.links if h[1:] not in p.ids]
if broken:
    problems.append(f'broken links: {broken[:5]}')
for sec in ('diagram', 'findings', 'map', 'allowed', 'tiers', 'transfers'):
    if sec not in p.h2:
        problems.append(f'no section #{sec}')
if p.svgs < 1:
    problems.append('no inline diagram')
if p.rows != len(want['findings']):
    problems.append(f'{p.rows} finding rows, the check has {len(want["findings"])}')
for f in want['findings']:
    if f['rule'] not in text:
        problems.append(f'rule {f["rule"]} missing')
tables = ''
if len(sys.argv) > 3:
    want_t = {}
    for r in csv.DictReader(open(sys.argv[3], encoding='utf-8')):
        key = (r['tier'], r['subjects'] or 'no')
        groups = want_t.setdefault(key, {})
        if r['role'] == 'primary':
            groups[r['jurisdiction']] = groups.get(r['jurisdiction'], 0) + int(r['copies_now'])
    if set(want_t) != set(p.tables):
        problems.append(f'tier tables {sorted(p.tables)} != tiers-csv {sorted(want_t)}')
    for key, groups in want_t.items():
        rows = p.tables.get(key, [])
        got = sorted(int(c[5].rstrip('!')) for c in rows)
        if len(rows) != len(groups) or got != sorted(groups.values()):
            problems.append(f'{key}: {len(rows)} rows, copies {got}; tiers-csv has '
                            f'{len(groups)} jurisdictions, copies {sorted(groups.values())}')
    tables = f', {len(p.tables)} tier tables'
print('\n'.join(problems) if problems else f'ok {p.rows} findings, {len(p.links)} links{tables}')
sys.exit(1 if problems else 0)
