# A 10 KB text (ASCII, CJK, emoji) goes whole through what the fixed
# buffers of cli/, core/ and store/ used to cut (#17): where's details (the
# area of a regime, 64 bytes), the table a custom rule may not read (128),
# an unknown global option (100), $SOVMAP_NOW in the audit and in typed tags
# (32 and 64), scenario apply's audit entry (600), demo --from's path
# (4096), git's complaint in diff (512), log --verbose's lines (escaped byte
# by byte: every multibyte character came out as \x escapes).
$ printf 'a%.0s' $(seq 3400) > n.txt && printf '数%.0s' $(seq 1134) >> n.txt && printf '🌍%.0s' $(seq 850) >> n.txt && wc -c < n.txt
> 10202
# where and check with a rule pack whose free-flow bloc has a 10 KB name
$ cp -r "$SOVMAP_DATA" d && python3 -c 'import json, os; N = open("n.txt").read(); d = json.load(open("d/rules/default.json")); j = json.load(open("d/jurisdictions.json")); j["blocs"][N] = j["blocs"].pop("EEA"); open("d/jur.json", "w").write(json.dumps(j, ensure_ascii=False).replace("\"EEA\"", json.dumps(N, ensure_ascii=False))); d["jurisdictions"] = "jur.json"; d["name"] = "long"; json.dump(d, open("long.json", "w"))'
$ s="sovmap --catalog c.db -q"; $s init && $s dataset add ds --subjects EU --tier restricted && $s place ds aws:eu-west-1 && $s place ds aws:us-east-1 --role replica
$ N=$(cat n.txt); SOVMAP_DATA=$PWD/d sovmap --catalog c.db --rules long.json where ds > w.txt; grep -c "inside the $N\$" w.txt; grep -cxF "  IE      aws:eu-west-1               inside the $N" w.txt
> 108
> 3
$ SOVMAP_TODAY=2026-11-26 SOVMAP_DATA=$PWD/d sovmap --catalog c.db --rules long.json check --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); N = open("n.txt").read(); print(sum(1 for f in d["findings"] for w in f["why"] if N in w))'
> 3
# normal names stay as they were
$ sovmap --catalog c.db where ds | grep -cxF "  IE      aws:eu-west-1               inside the EEA"
> 3
# a custom rule reading a table with a 10 KB name is refused, the table named whole
$ python3 -c 'import sqlite3, json, os; N = open("n.txt").read(); c = sqlite3.connect("c.db"); c.execute("CREATE TABLE \"%s\" (x)" % N); [c.execute("CREATE TABLE p%02d (x)" % i) for i in range(70)]; c.commit(); d = json.load(open(os.environ["SOVMAP_DATA"] + "/rules/default.json")); json.dump(dict(d, custom=[{"id": "LNG001", "message": "x", "sql": "SELECT x AS object FROM \"%s\"" % N}]), open("LNG001.json", "w"), ensure_ascii=False); json.dump(dict(d, custom=[{"id": "CNT001", "message": "x", "sql": "SELECT count(*) AS object FROM p69"}]), open("CNT001.json", "w"))'
$ N=$(cat n.txt); SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db --rules LNG001.json check > /dev/null 2> e.txt; echo $?; grep -cxF "sovmap: custom rule LNG001 refused: query may not read the table $N; read the views v_region, v_tier, v_dataset, v_field, v_tag, v_placement, v_flow and v_waiver (doc/catalog.md) (a custom rule is one read-only SELECT over the catalog views)" e.txt
> 2
> 1
# past 64 private tables, the 70th is still private (its row count was readable)
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db --rules CNT001.json check
! custom rule CNT001 refused: query may not read the table p69
? 2
# an unknown global option, named whole
$ N=$(cat n.txt); sovmap "--$N=1" 2> e.txt; echo $?; grep -cxF "sovmap: unknown option --$N; see sovmap --help (command options go after the command)" e.txt
> 2
> 1
# $SOVMAP_NOW whole in the audit log and in a typed tag's time
$ N=$(cat n.txt); SOVMAP_NOW="$N" sovmap --catalog t.db init -q && SOVMAP_NOW="$N" sovmap --catalog t.db dataset add x -q && SOVMAP_NOW="$N" sovmap --catalog t.db tag add x pii -q && sovmap --catalog t.db log --format json | python3 -c 'import json, sys; print(sum(1 for e in json.load(sys.stdin) if e["time"] == open("n.txt").read()))'; sovmap --catalog t.db dataset show x | grep -cxF "  pii  typed  at $N"
> 3
> 1
# log --verbose prints a description in CJK and emoji as text, not escapes
$ N=$(cat n.txt); sovmap --catalog t.db dataset edit x --description "$N" -q && sovmap --catalog t.db log --verbose | grep -cxF "      description=$N"
> 1
# scenario apply's audit entry names a 10 KB scenario whole
$ N=$(cat n.txt); s="sovmap --catalog s.db -q"; $s init && $s dataset add ds && $s scenario new "$N" && $s scenario apply "$N" && sovmap --catalog s.db log --format json | python3 -c 'import json, sys; N = open("n.txt").read(); print(sum(1 for e in json.load(sys.stdin) if e["op"] == "scenario apply " + N))'
> 1
# demo --from a path past 4096 bytes
$ N=$(cat n.txt); sovmap --catalog dm.db demo --from "/nonexistent/$N/m.json" 2> e.txt; echo $?; grep -cxF "sovmap: /nonexistent/$N/m.json: cannot read the demo model" e.txt
> 2
> 1
# diff git:REV:PATH: git's complaint about a 2.7 KB path, whole (no \x escapes
# of a character cut at 512 bytes)
$ P=$(python3 -c "print(('a' * 100 + '数' * 30 + '🌍' * 20 + '/') * 10 + 'm.json', end='')"); git init -q g && cd g && git -c user.email=t@example.com -c user.name=t commit -q --allow-empty -m x && sovmap --catalog ../c.db export model-json -o m.json && sovmap diff "git:HEAD:$P" m.json 2> e.txt; echo $?; grep -cF "$P'" e.txt; grep -c 'git show failed' e.txt; grep -q '\\x' e.txt || echo no escapes
> 2
> 1
> 1
> no escapes
