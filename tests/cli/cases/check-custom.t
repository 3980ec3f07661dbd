# custom SQL rules of a rule pack: each row is a finding; a rule that writes,
# is more than one statement, names no object or runs too long is refused (exit 2)
$ sovmap init
$ sovmap dataset add orders --tier restricted --subjects EU --retention 365 --owner ana
$ sovmap place orders aws:eu-west-1 --encrypted --key-region aws:eu-west-1
$ sovmap dataset add logs --tier public
$ sovmap place logs aws:us-east-1
$ python3 -c 'import json, os, sys; d = json.load(open(os.environ["SOVMAP_DATA"] + "/rules/default.json")); d["name"] = "org"; base = dict(d); d["custom"] = [{"id": "ORG001", "severity": "warning", "message": "dataset has no owner", "sql": "SELECT name AS object, system, '"'"'ask the data office'"'"' AS hint FROM v_dataset WHERE owner IS NULL OR owner = '"'"''"'"' ORDER BY name"}, {"id": "ORG002", "severity": "info", "message": "copy in the US", "sql": "SELECT dataset || '"'"'@'"'"' || region AS object, country FROM v_placement WHERE country = '"'"'US'"'"'"}]; json.dump(d, open("org.json", "w")); [json.dump(dict(base, custom=[{"id": n, "message": "x", "sql": q}]), open(n + ".json", "w")) for n, q in [("BAD001", "DELETE FROM main.dataset"), ("TWO001", "SELECT name AS object FROM v_dataset; SELECT 1"), ("OBJ001", "SELECT 1 AS foo"), ("SLOW01", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x AS object FROM c WHERE x < 0")]]'
$ SOVMAP_TODAY=2026-11-26 sovmap check --rules org.json
? 0
~ ^0 errors, 1 warning, 1 info in 2 datasets$
~ ^dataset logs$
~ ^  ORG001  dataset has no owner$
~ ^          fix: ask the data office$
~ ^placement logs@aws:us-east-1$
~ ^  ORG002  copy in the US$
~ ^          - country: US$
$ SOVMAP_TODAY=2026-11-26 sovmap check --rules org.json --fail-on warning
? 1
$ SOVMAP_TODAY=2026-11-26 sovmap check --rules org.json --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print([(r["id"], r["severity"]) for r in d["rules"] if r["custom"]]); print([(f["rule"], f["object"]["kind"], f["object"]["selector"], f["dataset"]) for f in d["findings"]])'
> [('ORG001', 'warning'), ('ORG002', 'info')]
> [('ORG001', 'dataset', 'logs', 'logs'), ('ORG002', 'placement', 'logs@aws:us-east-1', 'logs')]
$ SOVMAP_TODAY=2026-11-26 sovmap check --rules org.json --format sarif | python3 "$SOVMAP_DATA/../tests/sarif/validate.py" "$SOVMAP_DATA/../tests/sarif/sarif-schema-2.1.0.json"
> ok: 2 results
# waivers work for custom rules too
$ SOVMAP_TODAY=2026-11-26 sovmap --rules org.json waive ORG001 logs --owner ana --reason "logs belong to nobody" --expires 2027-06-30
> added waiver ORG001:logs
$ SOVMAP_TODAY=2026-11-26 sovmap check --rules org.json --fail-on warning
? 0
~ ^0 errors, 0 warnings, 1 info, 1 waived in 2 datasets$
# under --scenario the custom rules read the scenario's model, not the stored one
$ sovmap scenario new move-logs
$ sovmap scenario add move-logs move logs aws:us-east-1 aws:eu-west-1
$ SOVMAP_TODAY=2026-11-26 sovmap check --rules org.json --scenario move-logs
? 0
~ ^no findings, 1 waived in 2 datasets \(scenario move-logs\)$
$ SOVMAP_TODAY=2026-11-26 sovmap check --rules org.json --scenario move-logs --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print([(f["rule"], f["object"]["selector"], f["waived"]) for f in d["findings"]])'
> [('ORG001', 'logs', True)]
$ SOVMAP_TODAY=2026-11-26 sovmap check --rules org.json
? 0
~ ^  ORG002  copy in the US$
# refused rules
$ SOVMAP_TODAY=2026-11-26 sovmap check --rules BAD001.json
? 2
! custom rule BAD001 refused: 
$ SOVMAP_TODAY=2026-11-26 sovmap check --rules TWO001.json
? 2
! custom rule TWO001 refused: 
$ SOVMAP_TODAY=2026-11-26 sovmap check --rules OBJ001.json
? 2
! custom rule OBJ001: a row needs an object or a dataset column
$ SOVMAP_TODAY=2026-11-26 sovmap check --rules SLOW01.json
? 2
! custom rule SLOW01 stopped: over 2 s
# custom rules read the documented views, not the catalog's tables
$ python3 -c 'import json, os; d = json.load(open(os.environ["SOVMAP_DATA"] + "/rules/default.json")); d["custom"] = [{"id": "AUD001", "message": "x", "sql": "SELECT actor AS object FROM audit"}]; json.dump(d, open("AUD001.json", "w"))'
$ SOVMAP_TODAY=2026-11-26 sovmap check --rules AUD001.json
? 2
! custom rule AUD001 refused: query may not read the table audit; read the views v_region, v_tier, v_dataset, v_field, v_tag, v_placement, v_flow and v_waiver (doc/catalog.md)
# a model file has no catalog: custom rules read an in-memory one built
# from it, and their findings point at the file's lines
$ sovmap export model-json -o m.json && SOVMAP_TODAY=2026-11-26 sovmap check m.json --rules org.json --fail-on never --format sarif | python3 -c 'import json, sys; r = json.load(sys.stdin)["runs"][0]["results"]; lines = open("m.json").read().split("\n"); print(sorted((x["ruleId"], lines[x["locations"][0]["physicalLocation"]["region"]["startLine"] - 1].strip()) for x in r))'
> [('ORG001', '"name": "logs",'), ('ORG002', '"region": "aws:us-east-1",')]
# the same on a scenario's in-memory catalog: the shipped regions are there
$ sovmap scenario new s1 >/dev/null && SOVMAP_TODAY=2026-11-26 sovmap check --rules org.json --scenario s1 --format json | python3 -c 'import json, sys; print(sorted(f["rule"] for f in json.load(sys.stdin)["findings"]))'
> ['ORG001', 'ORG002']
