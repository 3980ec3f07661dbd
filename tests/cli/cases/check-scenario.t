# sovmap check --scenario NAME checks a what-if without touching the catalog
$ sovmap demo
$ sovmap scenario new fix-replica
$ sovmap scenario add fix-replica move loyalty_members_eu aws:us-east-1 aws:eu-central-1
$ SOVMAP_TODAY=2026-11-26 sovmap check --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["scenario"], [f["rule"] for f in d["findings"] if f["object"]["selector"] == "loyalty_members_eu@aws:us-east-1"])'
> None ['RES001', 'XFR002']
$ SOVMAP_TODAY=2026-11-26 sovmap check --scenario fix-replica --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["scenario"], [f["rule"] for f in d["findings"] if f["dataset"] == "loyalty_members_eu" and f["rule"] in ("RES001", "XFR002")])'
> fix-replica []
$ SOVMAP_TODAY=2026-11-26 sovmap check --scenario fix-replica
? 1
~ in [1-9][0-9]* datasets \(scenario fix-replica\)$
$ SOVMAP_TODAY=2026-11-26 sovmap check --scenario fix-replica --format sarif | python3 "$SOVMAP_DATA/../tests/sarif/validate.py" "$SOVMAP_DATA/../tests/sarif/sarif-schema-2.1.0.json" - | sed 's/: [0-9]* results$/: N results/'
> ok: N results
# the catalog itself is unchanged
$ SOVMAP_TODAY=2026-11-26 sovmap check --format json | python3 -c 'import json, sys; print(sum(f["object"]["selector"] == "loyalty_members_eu@aws:us-east-1" for f in json.load(sys.stdin)["findings"]))'
> 2
$ sovmap check --scenario no-such
? 2
! unknown scenario no-such
