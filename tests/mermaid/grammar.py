#!/usr/bin/env python3
"""Fallback when Node or the npm registry is not at hand: check that a file
uses only the Mermaid flowchart subset sovmap writes, with every label a
closed "..." string holding no raw quote. Usage: grammar.py FILE..."""
import re
import sys

LABEL = r'"[^"\n]*"'
LINES = [
    re.compile(r'^%%.*$'),
    re.compile(r'^flowchart LR$'),
    re.compile(r'^\s*subgraph c\d+\[' + LABEL + r'\]$'),
    re.compile(r'^\s*end$'),
    re.compile(r'^\s*n\d+\[' + LABEL + r'\]$'),
    re.compile(r'^\s*n\d+ (-->|-\.->)(\|' + LABEL + r'\|)? n\d+$'),
    re.compile(r'^\s*linkStyle \d+ [a-z-]+:[#0-9a-z]+(,[a-z-]+:[#0-9a-z]+)*$'),
    re.compile(r'^\s*class n\d+ bad$'),
    re.compile(r'^\s*classDef bad [a-z-]+:[#0-9a-z]+(,[a-z-]+:[#0-9a-z]+)*$'),
]
bad = 0
for name in sys.argv[1:]:
    depth = 0
    before = bad
    for no, line in enumerate(open(name, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not any(p.match(line) for p in LINES):
            print(f'FAIL {name}:{no}: {line[:120]}')
            bad += 1
        depth += line.strip().startswith('subgraph ') - (line.strip() == 'end')
    if depth:
        print(f'FAIL {name}: unbalanced subgraph/end')
        bad += 1
    elif bad == before:
        print(f'ok {name} subset')
sys.exit(1 if bad else 0)
