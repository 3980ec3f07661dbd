#!/usr/bin/env python3
"""Check a review pack (export review-html): one self-contained file (no
script, no external asset or link), every internal link resolves, the
sections are there, and it lists every finding of the catalog's check JSON
given as the second argument. Prints "ok N findings, M links" or the
problems. Usage: check.py review.html check.json"""
import html.parser
import json
import sys


class Pack(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.external, self.rows, self.svgs = set(), [], [], 0, 0
        self.in_findings = False
        self.h2 = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if 'id' in a:
            self.ids.add(a['id'])
        if tag == 'h2':
            self.in_findings = a.get('id') == 'findings'
            self.h2.append(a.get('id'))
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
for sec in ('diagram', 'findings', 'map', 'allowed', 'transfers'):
    if sec not in p.h2:
        problems.append(f'no section #{sec}')
if p.svgs < 1:
    problems.append('no inline diagram')
if p.rows != len(want['findings']):
    problems.append(f'{p.rows} finding rows, the check has {len(want["findings"])}')
for f in want['findings']:
    if f['rule'] not in text:
        problems.append(f'rule {f["rule"]} missing')
print('\n'.join(problems) if problems else f'ok {p.rows} findings, {len(p.links)} links')
sys.exit(1 if problems else 0)
