# a subject or region country must be an ISO 3166-1 code (or EU): an unknown
# one would switch the residency rules off for the dataset (no regime)
$ sovmap init >/dev/null
$ sovmap dataset add ukc --tier restricted --subjects UK
? 2
! unknown country code UK; did you mean GB (the United Kingdom)?
$ sovmap dataset add c2 --tier restricted --subjects 'EU,,zz'
? 2
! ZZ is not an ISO 3166-1 country code
$ sovmap dataset add ok --tier restricted --subjects 'eu, gb'
> added dataset ok
$ sovmap dataset edit ok --subjects EL
? 2
! did you mean GR (Greece)?
$ sovmap region add onprem:x --country UK --kind on-prem
? 2
! bad country UK
# a model-json file with such a code is refused where it says it
$ sovmap export model-json -o m.json && python3 -c "import json; d=json.load(open('m.json')); d['datasets'][0]['subjects']=['UK']; json.dump(d, open('bad.json','w'))"
$ sovmap --catalog new.db import model bad.json
? 2
! unknown country code UK
# a country with no regime in the pack (Mexico) is a real code: accepted, SUB001 says so
$ sovmap dataset add mx --tier restricted --subjects MX >/dev/null
$ sovmap check --format json | python3 -c "import json,sys; print(sorted({f['rule'] for f in json.load(sys.stdin)['findings']}))"
> ['RET001', 'SUB001']
