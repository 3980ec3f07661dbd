# names, descriptions, selectors and mechanism references of any length come
# back whole: in the audit log's before/after, `dataset show`, `flow list`
$ sovmap init >/dev/null
$ sovmap dataset add big --description "$(python3 -c "print('é'*5000)")" >/dev/null
$ sovmap dataset edit big --description "$(python3 -c "print('ü'*6000)")" >/dev/null
$ sovmap log --format json | python3 -c "import json,sys; print(*[(e['op'][:11], len(e['before'] or ''), len(e['after'] or '')) for e in json.load(sys.stdin)][:2])"
> ('dataset set', 5032, 6032) ('dataset add', 0, 5032)
$ sovmap dataset show big --format json | python3 -c "import json,sys; print(len(json.load(sys.stdin)['description']))"
> 6000
$ L=$(python3 -c "print('x'*3000)"); sovmap dataset add "$L" >/dev/null && sovmap place "$L" aws:eu-west-1 >/dev/null && sovmap flow add "$L@aws:eu-west-1" aws:us-east-1 --kind export --mechanism scc --ref "$(python3 -c "print('r'*2000)")" --name ex >/dev/null
$ sovmap flow list --format tsv | awk -F'\t' 'NR==2 {print length($2), length($5)}'
> 3014 2004
# a scenario op naming a long dataset: shown, listed and audited whole
$ sovmap scenario new s >/dev/null && sovmap scenario add s move "$(python3 -c "print('x'*3000)")" aws:eu-west-1 aws:eu-central-1 | wc -c
> 3040
$ sovmap scenario show s --format json | python3 -c "import json,sys; print(len(json.load(sys.stdin)['ops'][0]['op']))"
> 3036
$ sovmap log --format json | python3 -c "import json,sys; e=json.load(sys.stdin)[0]; print(e['op'][:14], len(e['op']))"
> scenario add s 3051
# the transfer register names the copy whole
$ L=$(python3 -c "print('y'*3000)"); sovmap dataset add "$L" --subjects EU --tier restricted >/dev/null && sovmap place "$L" aws:eu-west-1 >/dev/null && sovmap place "$L" aws:us-east-1 --role replica >/dev/null
$ sovmap export transfers-csv | awk -F, '$1 ~ /^yyy/ {print length($1), length($2)}'
> 3000 3014
# a transform naming a long field, added in a scenario, is kept whole
$ sovmap scenario new t >/dev/null && sovmap scenario add t add-transform ex "mask $(python3 -c "print('f'*5000)")" >/dev/null && sovmap scenario add t add-transform ex "drop g" >/dev/null && sovmap scenario diff t --format json >/dev/null; echo $?
> 0
$ sovmap scenario show t --format json | python3 -c "import json,sys; print([len(o['op']) for o in json.load(sys.stdin)['ops']])"
> [5024, 25]
$ sovmap scenario diff t --format json | python3 -c "import json,re,sys; s=json.dumps(json.load(sys.stdin)); print(max(len(m) for m in re.findall(r'f+', s)), 'drop g' in s)"
> 5000 True
