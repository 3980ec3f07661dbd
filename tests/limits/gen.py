#!/usr/bin/env python3
"""gen.py - inputs for tests/limits/run.sh, written to standard output.

  gen.py deep N           N nested JSON arrays
  gen.py bigstring MB     an Atlas entity-bulk carrying one MB-megabyte string
  gen.py cycle N BASE     model-json: N datasets in one etl cycle d0 -> d1 ->
                          ... -> d(N-1) -> d0, d0 restricted with EU subjects,
                          the rest public; tiers from BASE (a model-json)
  gen.py regions N BASE   model-json: N user regions (onprem:site-K in DE) and
                          one dataset with a copy in the last one
"""
import json
import sys

w = sys.stdout.write


def deep(n):
    w("[" * n + "]" * n)


def bigstring(mb):
    w('{"entities": [], "referredEntities": {}, "pad": "')
    chunk = "x" * (1 << 20)
    for _ in range(mb):
        w(chunk)
    w('"}')


def flow(name, a, b):
    return ('{"name": "%s", "from": "%s@aws:eu-west-1", "to": "%s@aws:eu-west-1", '
            '"to_region": null, "kind": "etl", "fields": [], "transforms": [], '
            '"mechanism": null, "mechanism_ref": null, "valid_from": null, "valid_to": null, '
            '"transit_encrypted": true, "public_recipient": false}' % (name, a, b))


def dataset(name, tier, subjects, region="aws:eu-west-1"):
    return ('{"name": "%s", "system": "", "tier": "%s", "subjects": %s, "owner": "", '
            '"retention_days": null, "public_sector": false, "source": "", "description": "", '
            '"fields": [], "tags": [], "placements": [{"region": "%s", "role": "primary", '
            '"encrypted": true}]}' % (name, tier, json.dumps(subjects), region))


def head(base, regions="[]"):
    w('{"sovmap": 1, "rule_pack": "", "regions": %s, "tiers": %s, "datasets": [\n'
      % (regions, json.dumps(base["tiers"])))


def cycle(n, base):
    head(base)
    w(",\n".join(dataset("d%07d" % i, "restricted" if i == 0 else "public",
                         ["EU"] if i == 0 else []) for i in range(n)))
    w('],\n"flows": [\n')
    w(",\n".join(flow("f%07d" % i, "d%07d" % i, "d%07d" % ((i + 1) % n)) for i in range(n)))
    w('],\n"waivers": [], "scenarios": []}\n')


def regions(n, base):
    w('{"sovmap": 1, "rule_pack": "", "regions": [\n')
    w(",\n".join('{"id": "onprem:site-%d", "kind": "on-prem", "country": "DE", "city": "", '
                 '"operator": "DE", "members": []}' % i for i in range(n)))
    w('], "tiers": %s, "datasets": [%s], "flows": [], "waivers": [], "scenarios": []}\n'
      % (json.dumps(base["tiers"]),
         dataset("far", "restricted", ["EU"], "onprem:site-%d" % (n - 1))))


if __name__ == "__main__":
    a = sys.argv[1:]
    if len(a) >= 2 and a[0] == "deep":
        deep(int(a[1]))
    elif len(a) >= 2 and a[0] == "bigstring":
        bigstring(int(a[1]))
    elif len(a) >= 3 and a[0] in ("cycle", "regions"):
        (cycle if a[0] == "cycle" else regions)(int(a[1]), json.load(open(a[2])))
    else:
        sys.exit(__doc__)
