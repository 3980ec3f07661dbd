# hostile names reach every report escaped: no control byte reaches the
# terminal, lines stay within 80 columns, JSON/SARIF/JUnit stay well formed
$ sovmap init
# a new name with control characters is refused, the name escaped (QA #21) ...
$ sovmap dataset add "$(printf 'evil\033[2J\033]0;pwned\007\nname')"
? 2
! sovmap: dataset evil\x1b[2J\x1b]0;pwned\x07\nname: a name may not hold a control character (U+001B at byte 4)
# ... and one an older catalog holds (put in with SQL) is escaped everywhere
$ sqlite3 "$XDG_DATA_HOME/sovmap/catalog.db" "INSERT INTO dataset(name) VALUES ('evil' || char(27) || '[2J' || char(27) || ']0;pwned' || char(7) || char(10) || 'name')"
$ sovmap dataset add '<script>alert(1)</script>' --tier restricted --subjects EU
$ sovmap place '<script>alert(1)</script>' aws:us-east-1
$ sovmap dataset add '"; DROP TABLE dataset; --'
$ sovmap dataset add "$(printf 'x%.0s' $(seq 1 10000))"
$ SOVMAP_TODAY=2026-11-26 sovmap check --fail-on never | tr -cd '\033\007\r' | wc -c
> 0
$ SOVMAP_TODAY=2026-11-26 sovmap check --fail-on never | awk 'length > 80' | wc -l
> 0
$ SOVMAP_TODAY=2026-11-26 sovmap check --fail-on never
~ ^dataset evil\\x1b\[2J\\x1b\]0;pwned\\x07\\nname$
~ ^placement <script>alert\(1\)</script>@aws:us-east-1$
~ ^dataset "; DROP TABLE dataset; --$
$ SOVMAP_TODAY=2026-11-26 sovmap check --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(sorted(repr(f["object"]["selector"][:30]) for f in d["findings"] if f["rule"] == "CLS001"))'
> ['\'"; DROP TABLE dataset; --\'', "'evil\\x1b[2J\\x1b]0;pwned\\x07\\nname'", "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'"]
$ SOVMAP_TODAY=2026-11-26 sovmap check --format sarif | python3 "$SOVMAP_DATA/../tests/sarif/validate.py" "$SOVMAP_DATA/../tests/sarif/sarif-schema-2.1.0.json" - | sed 's/: [1-9][0-9]* results$/: N results/'
> ok: N results
$ SOVMAP_TODAY=2026-11-26 sovmap check --format junit | python3 -c 'import sys, xml.dom.minidom as m; d = m.parseString(sys.stdin.buffer.read()); print(sorted(t.getAttribute("name")[:20] for t in d.getElementsByTagName("testcase") if t.getAttribute("classname") == "sovmap.CLS001"))'
> ['dataset "; DROP TABL', 'dataset evil\\x1b[2J\\', 'dataset xxxxxxxxxxxx']
