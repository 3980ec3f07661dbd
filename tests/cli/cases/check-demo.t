# sovmap check on the demo catalog: the deliberate violations fail the
# check, every format is well formed, SARIF validates against the schema,
# waivers are listed apart and expire
$ sovmap demo
$ SOVMAP_TODAY=2026-11-26 sovmap check
? 1
~ ^[1-9][0-9]* errors?, [0-9]+ warnings? in [1-9][0-9]* datasets$
~ ^Errors \([1-9][0-9]*\)$
~ ^placement loyalty_members_eu@aws:us-east-1$
~ ^  RES001  loyalty_members_eu replica in aws:us-east-1 
~ ^          - US is outside the EEA$
~ ^          fix: 
# readable on an 80-column terminal
$ SOVMAP_TODAY=2026-11-26 sovmap check | awk 'length > 80' | wc -l
> 0
$ SOVMAP_TODAY=2026-11-26 sovmap check --width 60 | awk 'length > 60' | wc -l
> 0
# colour only on a terminal, and not with NO_COLOR
$ SOVMAP_TODAY=2026-11-26 sovmap check | tr -cd '\033' | wc -c
> 0
$ SOVMAP_TODAY=2026-11-26 script -qec "sovmap check" /dev/null | grep -c $'\033\\[1;31mErrors'
> 1
$ SOVMAP_TODAY=2026-11-26 NO_COLOR=1 script -qec "sovmap check" /dev/null | tr -cd '\033' | wc -c
> 0
# SARIF 2.1.0 of the demo validates against the OASIS schema
$ SOVMAP_TODAY=2026-11-26 sovmap check --format sarif > demo.sarif; echo "exit $?"; python3 "$SOVMAP_DATA/../tests/sarif/validate.py" "$SOVMAP_DATA/../tests/sarif/sarif-schema-2.1.0.json" demo.sarif | sed 's/: [1-9][0-9]* results$/: N results/'
> exit 1
> ok: N results
# JSON and SARIF agree with the text summary
$ SOVMAP_TODAY=2026-11-26 sovmap check --format json > demo.json; python3 -c 'import json; d = json.load(open("demo.json")); s = json.load(open("demo.sarif"))["runs"][0]; print(len(d["findings"]) == len(s["results"]), d["summary"]["errors"] == sum(1 for r in s["results"] if r["level"] == "error" and "suppressions" not in r), d["summary"]["failed"])'
> True True True
$ SOVMAP_TODAY=2026-11-26 sovmap check --format junit | python3 -c 'import sys, xml.dom.minidom as m; d = m.parseString(sys.stdin.buffer.read()); print(int(d.documentElement.getAttribute("failures")) == len(d.getElementsByTagName("failure")) > 0)'
> True
# waive one demo violation: listed apart, the rest still fails
$ SOVMAP_TODAY=2026-11-26 sovmap waive RES001 loyalty_members_eu@aws:us-east-1 --owner "dpo@example.com" --reason "replica removed in the Q1 migration" --expires 2026-12-31
> added waiver RES001:loyalty_members_eu@aws:us-east-1
$ SOVMAP_TODAY=2026-11-26 sovmap check
? 1
~ , 1 waived in [1-9][0-9]* datasets$
~ ^Waived \(1\)$
# JUnit with a waived (skipped) finding passes the strict Jenkins xUnit rules
$ SOVMAP_TODAY=2026-11-26 sovmap check --format junit | python3 "$SOVMAP_DATA/../tests/junit/junit10.py" -
> ok
~ ^          waived error, by dpo@example.com until 2026-12-31: replica removed in
$ SOVMAP_TODAY=2026-11-26 sovmap check --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print([(f["rule"], f["object"]["selector"], f["waiver"]["key"]) for f in d["findings"] if f["waived"]]); print(all(not f["waived"] for f in d["findings"][:-1]))'
> [('RES001', 'loyalty_members_eu@aws:us-east-1', 'RES001:loyalty_members_eu@aws:us-east-1')]
> True
# after its expiry day the waiver hides nothing and is reported
$ SOVMAP_TODAY=2027-01-01 sovmap check --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["summary"]["waived"], [w["key"] for w in d["expired_waivers"]])'
> 0 ['RES001:loyalty_members_eu@aws:us-east-1']
$ SOVMAP_TODAY=2027-01-01 sovmap check
? 1
~ expired waiver in [1-9][0-9]* datasets$
~ ^Expired waivers \(1\)$
~ ^  RES001:loyalty_members_eu@aws:us-east-1$
$ SOVMAP_TODAY=2027-01-01 sovmap check --format sarif | python3 "$SOVMAP_DATA/../tests/sarif/validate.py" "$SOVMAP_DATA/../tests/sarif/sarif-schema-2.1.0.json" - | sed 's/: [1-9][0-9]* results$/: N results/'
> ok: N results
