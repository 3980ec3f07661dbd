# sovmap waive: a waived finding is listed apart and no longer fails the
# check; past its expiry day it hides nothing and is reported as expired
$ sovmap init
$ sovmap dataset add orders --tier restricted --subjects EU --retention 365
$ sovmap place orders aws:eu-west-1 --encrypted --key-region aws:eu-west-1
$ sovmap place orders aws:us-east-1 --role replica --encrypted --key-region aws:eu-west-1 --mechanism dpf --mechanism-ref DPF-123
$ sovmap dataset add logs
$ sovmap place logs aws:us-east-1
$ SOVMAP_TODAY=2026-11-26 sovmap check --format json | python3 -c 'import json, sys; print(sorted((f["rule"], f["object"]["selector"]) for f in json.load(sys.stdin)["findings"] if f["severity"] == "error"))'
> [('RES001', 'orders@aws:us-east-1')]
# the selector may name the role; the waiver stores the canonical selector
$ SOVMAP_TODAY=2026-11-26 sovmap waive RES001 orders@aws:us-east-1/replica --owner "Ana <ana@example.com>" --reason "migration to Frankfurt planned for Q1" --expires 2026-12-31
> added waiver RES001:orders@aws:us-east-1
$ SOVMAP_TODAY=2026-11-26 sovmap check
? 0
~ ^0 errors, 1 warning, 1 waived in 2 datasets$
~ ^Waived \(1\)$
~ ^  RES001  
~ ^          waived error, by Ana <ana@example.com> until 2026-12-31: migration to$
$ SOVMAP_TODAY=2026-11-26 sovmap check --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); w = [f for f in d["findings"] if f["waived"]]; print(d["summary"]["waived"], d["summary"]["failed"], w[0]["rule"], w[0]["waiver"]["owner"], w[0]["waiver"]["expires"])'
> 1 False RES001 Ana <ana@example.com> 2026-12-31
$ SOVMAP_TODAY=2026-11-26 sovmap check --format sarif | python3 -c 'import json, sys; r = json.load(sys.stdin)["runs"][0]["results"]; s = [x["suppressions"][0] for x in r if "suppressions" in x]; print(len(s), s[0]["kind"], s[0]["status"], s[0]["justification"])'
> 1 external accepted migration to Frankfurt planned for Q1
$ SOVMAP_TODAY=2026-11-26 sovmap check --format junit | grep -c '<skipped message="waived by Ana &lt;ana@example.com&gt; until 2026-12-31'
> 1
# still live on its expiry day
$ SOVMAP_TODAY=2026-12-31 sovmap check
? 0
~ 1 waived in 2 datasets$
# the day after: the finding is back, the waiver is reported
$ SOVMAP_TODAY=2027-01-01 sovmap check
? 1
~ ^1 error, 1 warning, 1 expired waiver in 2 datasets$
~ ^Expired waivers \(1\)$
~ ^  RES001:orders@aws:us-east-1$
~ ^          expired 2026-12-31, owner Ana <ana@example.com>: migration to
$ SOVMAP_TODAY=2027-01-01 sovmap check --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["summary"]["expired_waivers"], d["expired_waivers"][0]["key"], d["summary"]["waived"])'
> 1 RES001:orders@aws:us-east-1 0
$ SOVMAP_TODAY=2027-01-01 sovmap waive list
> WAIVER                       OWNER                  EXPIRES     STATUS   REASON
> RES001:orders@aws:us-east-1  Ana <ana@example.com>  2026-12-31  expired  migration to Frankfurt planned for Q1
$ SOVMAP_TODAY=2026-11-26 sovmap waive list --format json
> [
>   {"key":"RES001:orders@aws:us-east-1","rule":"RES001","object":"orders@aws:us-east-1","owner":"Ana <ana@example.com>","reason":"migration to Frankfurt planned for Q1","expires":"2026-12-31","expired":false}
> ]
$ SOVMAP_TODAY=2027-01-01 sovmap waive list --expired --format tsv
~ ^RES001:orders@aws:us-east-1	
$ sovmap waive rm RES001:orders@aws:us-east-1
> removed waiver RES001:orders@aws:us-east-1
$ SOVMAP_TODAY=2026-11-26 sovmap check
? 1
$ sovmap waive list
> WAIVER  OWNER  EXPIRES  STATUS  REASON
