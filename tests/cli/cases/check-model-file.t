# sovmap check FILE: a model-json file checked with no catalog; SARIF
# results carry the file (relative, %SRCROOT%) and the line and column of
# each object's identifying member, on a hand-formatted file (keys in any
# order, several objects on a line, a name that spells JSON).
$ cp "$SOVMAP_DATA/../tests/fixtures/hand-edited/model.json" m.json
$ sovmap check m.json --format sarif -o r.sarif
? 1
# text: each object with its place in the file, as editors jump to it
$ sovmap check m.json --color never
~ ^placement orders@aws:us-east-1  m\.json:6:7$
~ ^flow to-us  m\.json:17:53$
? 1
$ test ! -e xdg-data/sovmap/catalog.db && echo no catalog
> no catalog
$ python3 -c 'import json; r = json.load(open("r.sarif"))["runs"][0]["results"]; print(sorted(set((x["locations"][0]["logicalLocations"][0]["name"], x["locations"][0]["physicalLocation"]["region"]["startLine"], x["locations"][0]["physicalLocation"]["region"]["startColumn"]) for x in r)))'
> [('orders@aws:us-east-1', 6, 7), ('to-us', 17, 53), ('x "placements": [{"region": "aws:us-east-1"@aws:ap-south-1', 10, 68)]
$ python3 -c 'import json; l = json.load(open("r.sarif"))["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]; print(l["uri"], l["uriBaseId"])'
> m.json %SRCROOT%
# every result of the demo model points at its object's line: a copy at
# its "region", a dataset or a flow at its "name"
$ cp "$SOVMAP_DATA/demo/demo.json" demo.json && mkdir sub && cp demo.json sub/
$ sovmap check demo.json --format sarif > d.sarif
? 1
$ python3 "$SOVMAP_DATA/../tests/fixtures/sarif-lines.py" demo.json d.sarif
> True 0
# a file in a subdirectory, named from the checkout root
$ sovmap check ./sub/demo.json --format sarif | python3 -c 'import json, sys; print(json.load(sys.stdin)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])'
> sub/demo.json
$ sovmap check "$PWD/sub/demo.json" --format sarif | python3 -c 'import json, sys; l = json.load(sys.stdin)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]; print(l["uri"], l["uriBaseId"])'
> sub/demo.json %SRCROOT%
# a file outside the current directory: its file:// URI, no base
$ cd sub && sovmap check ../demo.json --format sarif | python3 -c 'import json, sys; l = json.load(sys.stdin)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]; print(l["uri"].startswith("file:///"), l["uri"].endswith("/demo.json"), "uriBaseId" in l)'
> True True False
$ sovmap check "$PWD/sub/demo.json" --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); f = d["findings"][0]; print(d["catalog"], d["file"].endswith("/sub/demo.json"), type(f["object"]["line"]).__name__)'
> None True int
# the same findings as the catalog the file came from
$ sovmap import model demo.json >/dev/null && sovmap check --format json | python3 -c 'import json, sys; print(sorted((f["rule"], f["object"]["selector"]) for f in json.load(sys.stdin)["findings"]))' > a.txt
$ sovmap check demo.json --format json | python3 -c 'import json, sys; print(sorted((f["rule"], f["object"]["selector"]) for f in json.load(sys.stdin)["findings"]))' > b.txt
$ cmp a.txt b.txt && echo same
> same
# errors: file:line:col
$ printf '{"sovmap": 1,\n "datasets": [{"name": "a", "tier": "restrictd"}]}\n' > bad.json && sovmap check bad.json
! bad.json:2:37: datasets[0].tier: unknown tier restrictd
? 2
$ sovmap check nope.json
! nope.json: cannot read
? 2
$ sovmap check a.json b.json
! check takes one model file at most
? 2
# standard input: checked the same, no file to point into
$ sovmap check - --format sarif < demo.json | python3 -c 'import json, sys; r = json.load(sys.stdin)["runs"][0]["results"]; print(len(r) > 0, all("physicalLocation" not in x["locations"][0] for x in r))'
> True True
$ sovmap check - --format json < demo.json > a.json; sovmap check demo.json --format json > b.json; python3 -c 'import json; a, b = (sorted((f["rule"], f["object"]["selector"]) for f in json.load(open(n))["findings"]) for n in ("a.json", "b.json")); print(a == b, len(a) > 0)'
> True True
