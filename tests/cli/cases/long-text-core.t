# A 10 KB name (ASCII, CJK, emoji) and a scenario name past 128 bytes go
# whole through plan, where, scenario add/show/diff, check, the exports and
# model-json errors: no fixed buffer in cli/, core/, io/ or store/ cuts them
# (the planner tried ops cut at 512 bytes and fixed nothing; where cut the
# subjects at 255 bytes; model-json errors cut keys at 60 bytes).
$ printf 'a%.0s' $(seq 3400) > n.txt && printf '数%.0s' $(seq 1134) >> n.txt && printf '🌍%.0s' $(seq 850) >> n.txt && wc -c < n.txt
> 10202
$ printf 'scénario-%.0s' $(seq 15) > s.txt && wc -c < s.txt
> 150
$ N=$(cat n.txt); sovmap init -q && sovmap dataset add "$N" --subjects EU --tier restricted -q && sovmap place "$N" aws:eu-west-1 -q && sovmap place "$N" aws:us-east-1 --role replica -q
# plan: each op and each finding names the copy whole
$ N=$(cat n.txt); SOVMAP_TODAY=2026-11-26 sovmap plan --dry-run > p.txt; grep -cF "$N" p.txt; grep -cxF "  1. move $N aws:us-east-1/replica azure:northeurope" p.txt; grep -cxF "  2. set placement $N@aws:eu-west-1 encrypted true" p.txt; tail -1 p.txt
> 6
> 1
> 1
> dry run: no scenario saved
# saved under a long scenario name, shown and audited whole
$ N=$(cat n.txt); SC=$(cat s.txt); SOVMAP_TODAY=2026-11-26 sovmap plan --name "$SC" >/dev/null && sovmap scenario show "$SC" | grep -cxF "  1. move $N aws:us-east-1/replica azure:northeurope"; sovmap scenario show "$SC" | grep -c "^name  *$SC\$"
> 1
> 1
$ SC=$(cat s.txt); sovmap log --format json | python3 -c "import json,sys; e=json.load(sys.stdin)[0]; print(e['op'], e['after'].split(chr(10))[1])"
> plan description=plan (prefer nearest, mechanisms first): 3 ops, errors 4 -> 0, warnings 1 -> 1
# where
$ N=$(cat n.txt); sovmap where "$N" | grep -cxF "dataset   $N"
> 1
# scenario add, show and diff under a name past 128 bytes
$ N=$(cat n.txt); SC=$(cat s.txt)-2; sovmap scenario new "$SC" -q && sovmap scenario add "$SC" move "$N" aws:us-east-1/replica aws:eu-central-1 | grep -cF "move $N aws:us-east-1/replica aws:eu-central-1"
> 1
$ N=$(cat n.txt); SC=$(cat s.txt)-2; sovmap scenario show "$SC" | grep -c "^name  *$SC\$"; sovmap scenario show "$SC" | grep -cxF "  1. move $N aws:us-east-1/replica aws:eu-central-1"
> 1
> 1
$ N=$(cat n.txt); SC=$(cat s.txt)-2; SOVMAP_TODAY=2026-11-26 sovmap scenario diff "$SC" > d.txt; grep -c "^scenario $SC against the catalog: 1 op\$" d.txt; grep -cxF "op 1: move $N aws:us-east-1/replica aws:eu-central-1" d.txt
> 1
> 1
# check
$ N=$(cat n.txt); SOVMAP_TODAY=2026-11-26 sovmap check --format text --width 100000 --fail-on never | grep -cxF "placement $N@aws:us-east-1"
> 1
# the exports (dot wraps labels with \n and \l: the name is whole between them, in
# each node id, label and tooltip)
$ N=$(cat n.txt); for x in map-csv map-md map-html map-json transfers-csv tiers-md; do printf '%s %s\n' $x $(SOVMAP_TODAY=2026-11-26 sovmap export $x | grep -cF "$N"); done; SOVMAP_TODAY=2026-11-26 sovmap export dot | sed 's/\\[nl]//g' | grep -cF "$N"
> map-csv 1
> map-md 1
> map-html 2
> map-json 1
> transfers-csv 1
> tiers-md 1
> 10
# effective subjects past 256 bytes (12 sources of 8 jurisdictions each, 96
# codes: 287 bytes), and a 10 KB owner in dataset show
$ C=(AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO CH GB US CA BR AR CL MX JP KR CN IN AU NZ ZA NG KE EG MA TR IL AE SA QA SG MY TH VN ID PH RU UA BY KZ UZ GE AM AZ RS BA ME MK AL MD PE CO VE EC UY PY BO CR PA GT HN SV NI DO JM TT CU HT PK BD LK NP MM KH LA MN); sovmap dataset add sink --tier restricted -q && sovmap place sink aws:eu-west-1 -q && for i in $(seq 0 11); do s=$(IFS=,; echo "${C[*]:$((i*8)):8}"); sovmap dataset add src$i --subjects "$s" --tier restricted -q && sovmap place src$i aws:eu-west-1 -q && sovmap flow add src$i@aws:eu-west-1 sink@aws:eu-west-1 --kind etl --name f$i -q || echo fail; done
$ sovmap where sink --format json | python3 -c "import json,sys; s=json.load(sys.stdin)['subjects']; print(len(s), s[:8], s[-5:])"
> 287 AE,AL,AM VN,ZA
$ N=$(cat n.txt); sovmap dataset edit sink --owner "$N" -q && sovmap dataset show sink | grep -c "^owner  *$N\$"
> 1
# a model-json error in a file whose path is past 512 bytes, naming a 10 KB key
$ D=$(python3 -c "print('/'.join(['目录'*20]*6))"); mkdir -p "$D" && sovmap --catalog t.db init -q && sovmap --catalog t.db dataset add x -q && sovmap --catalog t.db export model-json -o "$D/m.json" && python3 -c "import json,sys; p=sys.argv[1]; d=json.load(open(p)); d['datasets'][0][open('n.txt').read()]=1; json.dump(d, open(p,'w'), indent=2, ensure_ascii=False)" "$D/m.json" && printf '%s' "$D/m.json" | wc -c
> 732
$ N=$(cat n.txt); D=$(python3 -c "print('/'.join(['目录'*20]*6))"); sovmap check "$D/m.json" 2>err >/dev/null; echo $?; grep -cxF "sovmap: $D/m.json:66:7: datasets[0]: unknown key \"$N\"" err
> 2
> 1
