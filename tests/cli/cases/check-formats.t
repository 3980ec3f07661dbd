# sovmap check --format json|sarif|junit and -o FILE on a small catalog
$ sovmap init
$ sovmap dataset add orders --tier restricted --subjects EU --retention 365
$ sovmap place orders aws:eu-west-1 --encrypted --key-region aws:eu-west-1
$ sovmap place orders aws:us-east-1 --role replica --encrypted --key-region aws:eu-west-1
$ sovmap dataset add logs
$ sovmap place logs aws:us-east-1
# JSON: parses, documented frame, findings sorted, summary agrees with the exit code
$ SOVMAP_TODAY=2026-11-26 sovmap check --format json > r.json; echo "exit $?"; python3 -c 'import json; d = json.load(open("r.json")); print(list(d)); s = d["summary"]; print(s["warnings"], s["datasets"], s["fail_on"], s["failed"], d["date"], d["rule_pack"]); print(sorted(set(f["object"]["kind"] for f in d["findings"]))); print(any(f["rule"] == "RES001" and f["object"]["selector"] == "orders@aws:us-east-1" and f["dataset"] == "orders" and f["why"] and f["hint"] for f in d["findings"]))'
> exit 1
> ['sovmap', 'date', 'catalog', 'rule_pack', 'scenario', 'summary', 'rules', 'findings', 'expired_waivers']
> 1 2 error True 2026-11-26 default
> ['dataset', 'placement']
> True
$ SOVMAP_TODAY=2026-11-26 sovmap check --format json --fail-on never | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["summary"]["fail_on"], d["summary"]["failed"])'
> never False
# deterministic: two runs give the same bytes
$ SOVMAP_TODAY=2026-11-26 sovmap check --format json > a.json; SOVMAP_TODAY=2026-11-26 sovmap check --format json > b.json; cmp a.json b.json && echo same
> same
# SARIF 2.1.0 validates against the OASIS schema
$ SOVMAP_TODAY=2026-11-26 sovmap check --format sarif -o r.sarif; echo "exit $?"; python3 "$SOVMAP_DATA/../tests/sarif/validate.py" "$SOVMAP_DATA/../tests/sarif/sarif-schema-2.1.0.json" r.sarif | sed 's/: [1-9][0-9]* results$/: N results/'
> exit 1
> ok: N results
$ python3 -c 'import json; r = json.load(open("r.sarif"))["runs"][0]; print(r["tool"]["driver"]["name"], sorted(set(x["level"] for x in r["results"]))); l = r["results"][0]["locations"][0]; print(l["physicalLocation"]["artifactLocation"]["uri"], l["physicalLocation"]["artifactLocation"]["uriBaseId"])'
> sovmap ['error', 'warning']
> xdg-data/sovmap/catalog.db %SRCROOT%
# JUnit: well-formed XML, one failure per live error
$ SOVMAP_TODAY=2026-11-26 sovmap check --format junit -o r.xml; echo "exit $?"; python3 -c 'import xml.dom.minidom as m; d = m.parse("r.xml"); t = d.documentElement; print(t.tagName, t.getAttribute("errors"), int(t.getAttribute("failures")) == len(d.getElementsByTagName("failure")) > 0, len(d.getElementsByTagName("skipped")))'
> exit 1
> testsuites 0 True 0
# -o: nothing on stdout, no temporary file left behind
$ SOVMAP_TODAY=2026-11-26 sovmap check -o r.txt --fail-on never; ls
> a.json
> b.json
> r.json
> r.sarif
> r.txt
> r.xml
> xdg-data
$ head -n 1 r.txt
~ ^[1-9][0-9]* errors?, 1 warning in 2 datasets$
$ SOVMAP_TODAY=2026-11-26 sovmap check -o no-such-dir/r.txt
? 2
! no-such-dir/r.txt
