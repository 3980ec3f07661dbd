# issue 16, as a privacy lawyer probed it: an onward copy inside one country
# stands on the crossing into it; the register has one row per transfer;
# XFR003 (no reference), XFR004 (derogation used systematically), RET001
$ sovmap init
$ sovmap dataset add crm --tier confidential --subjects EU --retention 365
$ sovmap field add crm email --tag pii.email
$ sovmap place crm aws:eu-west-1 --encrypted --key-region aws:eu-west-1
$ sovmap place crm aws:us-east-1 --role replica --encrypted --key-region aws:eu-west-1
$ sovmap place crm aws:us-west-2 --role replica --encrypted --key-region aws:eu-west-1
$ sovmap flow add crm@aws:eu-west-1 crm@aws:us-east-1 --name crm-to-us --kind replication --mechanism dpf --mechanism-ref DPF-123 --encrypted
$ sovmap flow add crm@aws:us-east-1 crm@aws:us-west-2 --name crm-us-west --kind replication --encrypted
$ SOVMAP_TODAY=2026-11-26 sovmap check
? 0
> no findings in 1 dataset
$ SOVMAP_TODAY=2026-11-26 sovmap export transfers-csv
> dataset,copy,flow,from_country,to_country,regime,mechanism,basis,personal,status
> crm,crm@aws:us-east-1,crm-to-us,IE,US,GDPR,dpf,dpf DPF-123,yes,ok
> crm,crm@aws:us-west-2,crm-us-west,IE,US,GDPR,dpf,dpf DPF-123,yes,ok
# the crossing declares nothing: both copies fail, each listed once, and the
# onward copy's why chain names the crossing
$ sovmap flow edit crm-to-us --mechanism '' --mechanism-ref ''
$ SOVMAP_TODAY=2026-11-26 sovmap check --format json | python3 -c 'import json, sys; print(sorted((f["rule"], f["object"]["selector"]) for f in json.load(sys.stdin)["findings"]))'
> [('RES001', 'crm@aws:us-east-1'), ('RES001', 'crm@aws:us-west-2'), ('XFR002', 'crm-to-us')]
$ SOVMAP_TODAY=2026-11-26 sovmap check --format json | python3 -c 'import json, sys; print([w for f in json.load(sys.stdin)["findings"] if f["object"]["selector"] == "crm@aws:us-west-2" for w in f["why"] if "feeds it" in w])'
> ['flow crm-us-west feeds it from aws:us-east-1 in the same country (US), so it stands on the basis by which the data entered US: flow crm-to-us from aws:eu-west-1 to aws:us-east-1']
$ SOVMAP_TODAY=2026-11-26 sovmap export transfers-csv | grep -c violation
> 2
# a violating copy fed by a flow: one row, not two
$ sovmap dataset add c --tier confidential --subjects EU --retention 30
$ sovmap place c aws:eu-west-1 --encrypted --key-region aws:eu-west-1
$ sovmap place c aws:ap-southeast-1 --role replica --encrypted --key-region aws:eu-west-1
$ sovmap flow add c@aws:eu-west-1 c@aws:ap-southeast-1 --name c-sg --kind replication --encrypted
$ SOVMAP_TODAY=2026-11-26 sovmap export transfers-csv | grep '^c,'
> c,c@aws:ap-southeast-1,c-sg,IE,SG,GDPR,,none,yes,violation
$ SOVMAP_TODAY=2026-11-26 sovmap export transfers-csv | sort | uniq -d | wc -l
> 0
# XFR004: consent for a replication; an export on consent stays accepted
$ sovmap flow edit crm-to-us --mechanism dpf --mechanism-ref DPF-123
$ sovmap flow edit c-sg --mechanism consent
$ SOVMAP_TODAY=2026-11-26 sovmap check
? 0
~ ^0 errors, 1 warning in 2 datasets$
~ ^  XFR004  flow c-sg \(replication\) relies on consent for a systematic transfer of$
~ Recital 111
$ sovmap flow edit c-sg --kind export
$ SOVMAP_TODAY=2026-11-26 sovmap check
? 0
> no findings in 2 datasets
# XFR003: scc with nothing signed is a warning until a reference is recorded
$ sovmap flow edit c-sg --kind replication --mechanism scc
$ SOVMAP_TODAY=2026-11-26 sovmap check
? 0
~ ^  XFR003  flow c-sg \(replication\) relies on scc with no reference$
~ fix: record the signed contract and its transfer impact assessment
$ SOVMAP_TODAY=2026-11-26 sovmap check --fail-on warning
? 1
$ sovmap flow edit c-sg --mechanism-ref SCC-2026-04/TIA-12
$ SOVMAP_TODAY=2026-11-26 sovmap check --fail-on warning
? 0
> no findings in 2 datasets
# RET001: restricted keeps data at most 3650 days
$ sovmap dataset edit c --tier restricted --retention 4000
$ SOVMAP_TODAY=2026-11-26 sovmap check --format json | python3 -c 'import json, sys; print([(f["rule"], f["severity"], f["message"]) for f in json.load(sys.stdin)["findings"] if f["rule"] == "RET001"])'
> [('RET001', 'warning', 'c keeps data 4000 days, beyond the 3650 days tier restricted allows')]
# the new rules are in SARIF's rule list
$ SOVMAP_TODAY=2026-11-26 sovmap check --format sarif | python3 -c 'import json, sys; r = json.load(sys.stdin)["runs"][0]["tool"]["driver"]["rules"]; print(sorted(x["id"] for x in r if x["id"] in ("XFR003", "XFR004", "RET001")))'
> ['RET001', 'XFR003', 'XFR004']
