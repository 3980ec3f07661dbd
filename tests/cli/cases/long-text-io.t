# Issue #17 in src/io: a 10 KB text (ASCII, CJK, emoji) and a data directory
# past 1 KB go whole through what io/ builds from them: model-json's
# transforms (cut at 8 KB), SARIF's helpUri (2 KB), a rule pack's unknown key
# (48 bytes, non-ASCII as '?'), a regime's name in the jurisdiction labels
# (256 bytes), the tiers export's subjects key (80 bytes) and the paths of
# jurisdictions.json (1 KB), regions.json and the rule pack (4 KB).
$ printf 'a%.0s' $(seq 3400) > n.txt && printf '数%.0s' $(seq 1134) >> n.txt && printf '🌍%.0s' $(seq 850) >> n.txt && wc -c < n.txt
> 10202
$ N=$(cat n.txt); sovmap init -q && sovmap dataset add orders --tier restricted --subjects EU -q && sovmap place orders aws:eu-west-1 -q && sovmap place orders aws:us-east-1 --role replica -q && sovmap dataset add rep --tier public -q && sovmap place rep aws:eu-west-1 -q && sovmap flow add orders@aws:eu-west-1 rep@aws:eu-west-1 --kind etl --transforms "mask $N; drop x" --name f1 -q
# model-json: a transform naming a 10 KB field
$ sovmap export model-json | python3 -c "import json,sys; d=json.load(sys.stdin); print(d['flows'][0]['transforms'] == ['mask ' + open('n.txt').read(), 'drop x'])"
> True
# SARIF: every built-in rule's helpUri under a 10 KB $SOVMAP_DOC_URI, whole
$ N=$(cat n.txt); SOVMAP_DOC_URI="https://example.org/$N/rules.md" sovmap check --format sarif --fail-on never | python3 -c "import json,sys; rs=json.load(sys.stdin)['runs'][0]['tool']['driver']['rules']; n=open('n.txt').read(); print(len(rs) > 10, all(r['helpUri'] == 'https://example.org/' + n + '/rules.md#' + r['id'].lower() for r in rs))"
> True True
# a rule pack's unknown 10 KB key, named whole
$ python3 -c "import json; json.dump({'name': 'p', open('n.txt').read(): 1}, open('p.json', 'w'), ensure_ascii=False)" && N=$(cat n.txt); sovmap check --rules p.json 2>err; echo $?; grep -cF "unknown key \"$N\" (a rule pack has" err
> 2
> 1
# a text that is not UTF-8: quoted up to a character near 60 bytes, never
# cut inside one, marked with an ellipsis
$ sqlite3 "$XDG_DATA_HOME/sovmap/catalog.db" "UPDATE dataset SET owner = 'x' || CAST(x'ff' AS TEXT) || '$(printf '数%.0s' $(seq 30))' WHERE name = 'rep'" && sovmap export model-json >/dev/null 2>err; echo $?; cat err
> 2
> sovmap: rep: text is not valid UTF-8: x\xff数数数数数数数数数数数数数数数数数数数数…
$ sqlite3 "$XDG_DATA_HOME/sovmap/catalog.db" "UPDATE dataset SET owner = 'o' WHERE name = 'rep'"
# a data directory past 1 KB: the same exports and check as from data/
$ D=$(python3 -c "print('/'.join(['目录' * 20] * 10))"); mkdir -p "$D" && cp -r "$SOVMAP_DATA" "$D/data" && printf '%s' "$D/data" | wc -c
> 1214
$ D=$(python3 -c "print('/'.join(['目录' * 20] * 10))"); for x in map-md tiers-md transfers-csv; do SOVMAP_TODAY=2026-11-26 sovmap export $x > a.txt && SOVMAP_DATA="$PWD/$D/data" SOVMAP_TODAY=2026-11-26 sovmap export $x > b.txt && cmp a.txt b.txt && echo $x same; done
> map-md same
> tiers-md same
> transfers-csv same
$ D=$(python3 -c "print('/'.join(['目录' * 20] * 10))"); SOVMAP_TODAY=2026-11-26 sovmap check --fail-on never > a.txt && SOVMAP_DATA="$PWD/$D/data" SOVMAP_TODAY=2026-11-26 sovmap check --fail-on never > b.txt && cmp a.txt b.txt && head -1 b.txt
> 6 errors, 2 warnings in 2 datasets
# a regime named with 10 KB: the jurisdiction's label whole in the tiers export
$ cp -r "$SOVMAP_DATA" d2 && python3 -c "import json; p = 'd2/jurisdictions.json'; d = json.load(open(p)); n = open('n.txt').read(); [r.update(name=n) for r in d['regimes'] if r.get('free_flow') == 'EEA']; json.dump(d, open(p, 'w'), ensure_ascii=False, indent=1)"
$ N=$(cat n.txt); SOVMAP_DATA=$PWD/d2 SOVMAP_TODAY=2026-11-26 sovmap export tiers-md | grep -cF "| EEA — $N |"
~ ^[1-9]
# effective subjects past 80 bytes (4 sources of 8 jurisdictions: 95 bytes)
# key the tiers export whole
$ C=(AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO CH GB); sovmap dataset add sink --tier restricted -q && sovmap place sink aws:eu-west-1 -q && for i in 0 1 2 3; do s=$(IFS=,; echo "${C[*]:$((i*8)):8}"); sovmap dataset add src$i --subjects "$s" --tier restricted -q && sovmap place src$i aws:eu-west-1 -q && sovmap flow add src$i@aws:eu-west-1 sink@aws:eu-west-1 --kind etl --name g$i -q || echo fail; done
$ S=$(sovmap where sink --format json | python3 -c "import json,sys; print(json.load(sys.stdin)['subjects'])"); echo ${#S}; SOVMAP_TODAY=2026-11-26 sovmap export tiers-md | grep -cxF "### $S subjects (1 dataset)"
> 95
> 1
