#!/usr/bin/env python3
"""Rebuild a catalog's model from its audit log alone (issue 13).

usage: audit_rebuild.py LOG.json EXPORT.json
LOG.json is `sovmap log --format json` (newest first), EXPORT.json the
catalog's `sovmap export model-json`. Starting from an empty model, every
entry's snapshots are applied oldest first: each object of "before" or
"after" is dropped by identity, then "after"'s objects put in. Prints
"rebuilt N entries: same" when the result equals the export, section by
section (order aside), else what differs; exits 1 then.
"""
import json
import sys

SECTIONS = ["regions", "tiers", "datasets", "flows", "waivers", "scenarios"]


def ident(section, obj):
    if section == "regions":
        return obj["id"]
    if section == "waivers":
        return obj["rule"] + ":" + obj["object"]
    return obj["name"]


def main():
    log = json.load(open(sys.argv[1]))
    export = json.load(open(sys.argv[2]))
    model = {s: {} for s in SECTIONS}
    for e in reversed(log):
        d = e["data"]
        if d is None or "summary" in d:
            print("entry %d (%s) has no snapshots" % (e["id"], e["op"]))
            return 1
        for s in SECTIONS:
            for part in ("before", "after"):
                for o in d[part].get(s, []):
                    model[s].pop(ident(s, o), None)
            for o in d["after"].get(s, []):
                model[s][ident(s, o)] = o
    bad = 0
    for s in SECTIONS:
        want = {ident(s, o): o for o in export.get(s, [])}
        for k in sorted(set(want) | set(model[s])):
            if want.get(k) != model[s].get(k):
                print("%s %s: log %s, catalog %s" % (s, k, json.dumps(model[s].get(k)),
                                                     json.dumps(want.get(k))))
                bad = 1
    if not bad:
        print("rebuilt %d entries: same" % len(log))
    return bad


if __name__ == "__main__":
    sys.exit(main())
