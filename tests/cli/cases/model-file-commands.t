# export --model FILE and plan --model FILE: the same as on the catalog the
# file came from, with no catalog opened; diff output escapes hostile names.
$ cp "$SOVMAP_DATA/demo/demo.json" demo.json && sovmap --catalog c.db init >/dev/null && sovmap --catalog c.db import model demo.json >/dev/null && echo ok
> ok
$ sovmap export map-md --model demo.json > a.md && sovmap --catalog c.db export map-md > b.md && cmp a.md b.md && echo same
> same
$ sovmap export model-json --model demo.json | cmp - demo.json && echo same
> same
$ SOVMAP_TODAY=2026-11-26 sovmap plan --model demo.json > a.txt; echo $?; SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db plan --dry-run > b.txt; cmp a.txt b.txt && echo same
> 0
> same
$ test ! -e xdg-data/sovmap/catalog.db && echo no catalog
> no catalog
$ sovmap export map-md --model missing.json
! missing.json: cannot read
? 2
# hostile names in diff: escaped on a terminal's stream, and for markdown
$ printf '{"sovmap": 1, "datasets": [{"name": "a", "placements": [{"region": "aws:eu-west-1"}]}]}\n' > old.json
$ printf '{"sovmap": 1, "datasets": [{"name": "a", "placements": [{"region": "aws:eu-west-1"}]}], "flows": [{"name": "@here *x* <script>|x\\u001b[2J", "from": "a@aws:eu-west-1", "to_region": "aws:us-east-1"}]}\n' > new.json
$ sovmap diff old.json new.json > d.txt && grep -c $'\x1b' d.txt
> 0
? 1
$ sovmap diff old.json new.json
~ ^  \+ flow @here \*x\* <script>\|x\\x1b\[2J \(replication, a@aws:eu-west-1 -> aws:us-east-1\)$
$ sovmap diff old.json new.json --format markdown > d.md && grep -c '<script>' d.md
> 0
? 1
$ sovmap diff old.json new.json --format markdown
~ \| \+ \| flow \| \\@here \\\*x\\\* &lt;script&gt;\\\|x\\\\x1b\\\[2J \| added
$ sovmap diff old.json new.json --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print([c["selector"] for c in d["changes"]] == ["@here *x* <script>|x\x1b[2J"])'
> True
# a 10 KB description changed: the markdown cell is cut, the JSON keeps it
$ python3 -c 'import json; [json.dump({"sovmap": 1, "datasets": [{"name": "a", "description": c * 10000}]}, open(n, "w")) for n, c in (("d1.json", "x"), ("d2.json", "é"))]'
$ sovmap diff d1.json d2.json --format markdown | grep '^| ~ | dataset | a | description' | python3 -c 'import sys; l = sys.stdin.read(); print(len(l) < 1000, l.count("…"))'
> True 2
$ sovmap diff d1.json d2.json --format json | python3 -c 'import json, sys; c = json.load(sys.stdin)["changes"][0]; print(c["attribute"], len(c["old"]), len(c["new"]))'
> description 10000 10000
