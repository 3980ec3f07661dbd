#!/usr/bin/env python3
"""gen.py - inputs for the reliability tests (tests/crash, tests/hostile,
tests/limits). Deterministic; writes to standard output.

  gen.py atlas N [NAMES.json]   Atlas entity-bulk of N tables, 4 columns each
                                (2 classified PII), buckets in 4 regions; table
                                names from NAMES.json (a list) when given
  gen.py model N OPS BASE.json  model-json of N datasets (2 copies each, a flow
                                chain), a scenario "big" of OPS ops, the tiers
                                of BASE.json (a model-json export)
"""
import json
import sys

BUCKETS = [("rel-eu-west-1", "eu-west-1"), ("rel-us-east-1", "us-east-1"),
           ("rel-eu-central-1", "eu-central-1"), ("rel-sa-east-1", "sa-east-1")]


def guid(kind, i):
    return "%08x-%04x-4000-8000-%012x" % (i, kind, (i * 2654435761) & 0xffffffffffff)


def header(g, typ):
    return {"guid": g, "typeName": typ, "status": "ACTIVE", "isIncomplete": False,
            "createdBy": "rel", "updatedBy": "rel", "createTime": 1709370853310,
            "updateTime": 1709478851570, "version": 0}


def related(g, typ, qn, rel):
    return {"guid": g, "typeName": typ, "entityStatus": "ACTIVE", "displayText": qn,
            "relationshipType": rel, "relationshipStatus": "ACTIVE", "qualifiedName": qn}


def atlas(n, names=None):
    ents, ref = [], {}
    db = guid(0xdb, 1)
    for k, (b, r) in enumerate(BUCKETS):
        e = header(guid(0xb0, k), "aws_s3_v2_bucket")
        e["attributes"] = {"qualifiedName": "s3a://%s@rel" % b, "name": b, "region": r}
        e["relationshipAttributes"] = {}
        ents.append(e)
    for t in range(n):
        name = names[t % len(names)] if names else "table%d" % t
        if names and t >= len(names):
            name = "%s_%d" % (name, t)
        qn = "db%d.%s" % (t % 7, name)
        g, sg = guid(0x7a, t), guid(0x5d, t)
        cols = [guid(0xc0 + c, t) for c in range(4)]
        e = header(g, "hive_table")
        e["attributes"] = {"qualifiedName": qn + "@rel", "name": name, "owner": "etl",
                           "description": None, "tableType": "EXTERNAL_TABLE"}
        e["relationshipAttributes"] = {
            "db": related(db, "hive_db", "db@rel", "hive_table_db"),
            "sd": related(sg, "hive_storagedesc", qn, "hive_table_storagedesc"),
            "columns": [related(cols[c], "hive_column", "%s.col%d@rel" % (qn, c),
                                "hive_table_columns") for c in range(4)]}
        e["classifications"] = [{"typeName": "tier%d" % (1 + t % 3), "attributes": {},
                                 "entityGuid": g, "entityStatus": "ACTIVE"}]
        ents.append(e)
        for c in range(4):
            ce = header(cols[c], "hive_column")
            ce["attributes"] = {"qualifiedName": "%s.col%d@rel" % (qn, c),
                                "name": "col%d" % c, "type": "string", "position": c}
            ce["relationshipAttributes"] = {"table": related(g, "hive_table", qn,
                                                             "hive_table_columns")}
            if c < 2:
                ce["classifications"] = [{"typeName": "PII", "attributes":
                                          {"type": "email" if c else "name"},
                                          "entityGuid": cols[c], "entityStatus": "ACTIVE"}]
            ref[cols[c]] = ce
        se = header(sg, "hive_storagedesc")
        se["attributes"] = {"qualifiedName": qn + "@rel_storage",
                            "location": "s3a://%s/warehouse/%s" % (BUCKETS[t % 4][0], qn)}
        se["relationshipAttributes"] = {"table": related(g, "hive_table", qn,
                                                         "hive_table_storagedesc")}
        ref[sg] = se
    return {"entities": ents, "referredEntities": ref}


REGIONS = ["aws:eu-west-1", "aws:eu-central-1", "azure:westeurope", "gcp:europe-west1"]
TIERS = ["restricted", "confidential", "public"]


def model(n, nops, tiers):
    ds, flows = [], []
    for i in range(n):
        a, b = REGIONS[i % 4], REGIONS[(i + 1) % 4]
        ds.append({"name": "ds%05d" % i, "system": "sys%d" % (i % 8),
                   "tier": TIERS[i % 3], "subjects": ["EU"], "owner": "rel@example.org",
                   "retention_days": 365, "public_sector": False, "source": "",
                   "description": "dataset %d" % i,
                   "fields": [{"name": "id", "tags": []},
                              {"name": "email", "tags": [{"tag": "pii.email"}]}],
                   "tags": [],
                   "placements": [
                       {"region": a, "role": "primary", "encrypted": True},
                       {"region": b, "role": "replica", "encrypted": True}]})
        if i % 3:
            flows.append({"name": "f%05d" % i, "from": "ds%05d@%s" % (i - 1, REGIONS[(i - 1) % 4]),
                          "to": "ds%05d@%s" % (i, a), "to_region": None, "kind": "etl",
                          "fields": [], "transforms": [], "mechanism": None,
                          "mechanism_ref": None, "valid_from": None, "valid_to": None,
                          "transit_encrypted": True, "public_recipient": False})
    ops = []
    for k in range(nops):
        i = (k * 7) % n
        if k % 2:
            ops.append(["set-tier", "ds%05d" % i, TIERS[(i + 1) % 3]])
        else:
            ops.append(["move", "ds%05d" % i, REGIONS[(i + 1) % 4], "aws:eu-north-1"])
    return {"sovmap": 1, "rule_pack": "", "regions": [], "tiers": tiers, "datasets": ds,
            "flows": flows, "waivers": [],
            "scenarios": [{"name": "big", "base": None, "description": "crash test",
                           "ops": ops}] if nops else []}


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "atlas":
        names = json.load(open(sys.argv[3])) if len(sys.argv) > 3 else None
        json.dump(atlas(int(sys.argv[2]), names), sys.stdout)
    elif len(sys.argv) >= 3 and sys.argv[1] == "model":
        base = json.load(open(sys.argv[4])) if len(sys.argv) > 4 else {"tiers": []}
        json.dump(model(int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 0,
                        base["tiers"]), sys.stdout, indent=1)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
