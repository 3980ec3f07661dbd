# what-if scenarios: new, add, show, list, diff (text and json), stacked
# scenarios, rm, drop, apply; each change is audited
$ sovmap init
$ sovmap dataset add orders --tier restricted --subjects EU --retention 365
$ sovmap place orders aws:eu-west-1 --role primary --encrypted --key-region aws:eu-west-1
$ sovmap place orders aws:us-east-1 --role replica --encrypted --key-region aws:us-east-1
$ sovmap dataset add users --tier confidential --subjects EU
$ sovmap place users aws:eu-central-1 --encrypted --key-region aws:eu-central-1
$ sovmap place users aws:ap-southeast-1 --role replica --encrypted --key-region aws:ap-southeast-1
$ sovmap scenario new s1 --description "leave the US"
> created scenario s1
$ sovmap scenario add s1 move orders aws:us-east-1 aws:eu-central-1
> 1. move orders aws:us-east-1 aws:eu-central-1
$ sovmap scenario show s1
> name                 s1
> base                 -
> description          leave the US
> made on              catalog change 7 (current)
> ops:
>   1. move orders aws:us-east-1 aws:eu-central-1
# the diff a reviewer reads: per op, attribute by attribute, findings new /
# fixed, then still there; counts per severity in the header
$ SOVMAP_TODAY=2026-11-26 sovmap scenario diff s1
> scenario s1 against the catalog: 1 op
> errors 6 -> 3 (0 new, 3 fixed, 3 still there); warnings 0 -> 0 (0 new, 0 fixed, 0 still there)
>
> op 1: move orders aws:us-east-1 aws:eu-central-1
>   ~ placement orders@aws:eu-central-1  region: aws:us-east-1 -> aws:eu-central-1
>   ~ placement orders@aws:eu-central-1  key-region: aws:us-east-1 -> aws:eu-central-1
>   fixed       error   ENC002  orders@aws:us-east-1: the key for orders replica in aws:us-east-1 is held in aws:us-east-1, outside the bloc key scope
>   fixed       error   RES001  orders@aws:us-east-1: orders replica in aws:us-east-1 is outside the bloc scope of tier restricted
>   fixed       error   XFR002  orders@aws:us-east-1: orders replica in aws:us-east-1 relies on EU adequacy for US that does not hold
>
> still there:
>   still there error   ENC002  users@aws:ap-southeast-1: the key for users replica in aws:ap-southeast-1 is held in aws:ap-southeast-1, outside the adequate key scope
>   still there error   RES001  users@aws:ap-southeast-1: users replica in aws:ap-southeast-1 is outside the adequate scope of tier confidential
>   still there error   XFR001  users@aws:ap-southeast-1: EU personal data in users is stored in SG with no adequacy and no transfer mechanism
# JSON: before and after values, not the selector repeated
$ SOVMAP_TODAY=2026-11-26 sovmap scenario diff s1 --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["scenario"], d["against"], d["changed"], [o["op"] for o in d["ops"]], d["counts"]["error"]); print([(c["change"], c["selector"], c["attribute"], c["before"], c["after"], c["op"]) for c in d["changes"]]); print(sorted((f["status"], f["rule"], f["op"]) for f in d["findings"]))'
> s1 None True ['move orders aws:us-east-1 aws:eu-central-1'] {'before': 6, 'after': 3, 'new': 0, 'fixed': 3, 'still': 3}
> [('moved', 'orders@aws:eu-central-1', 'region', 'aws:us-east-1', 'aws:eu-central-1', 1), ('changed', 'orders@aws:eu-central-1', 'key-region', 'aws:us-east-1', 'aws:eu-central-1', 1)]
> [('fixed', 'ENC002', 1), ('fixed', 'RES001', 1), ('fixed', 'XFR002', 1), ('still', 'ENC002', None), ('still', 'RES001', None), ('still', 'XFR001', None)]
# --exit-code: 2 when the scenario changes something (terraform -detailed-exitcode)
$ SOVMAP_TODAY=2026-11-26 sovmap scenario diff s1 --exit-code >/dev/null
? 2
$ sovmap scenario diff nosuch --exit-code
? 1
! unknown scenario nosuch
$ sovmap scenario diff s1 --exit-code --format xml
? 1
$ sovmap -q scenario new empty
$ SOVMAP_TODAY=2026-11-26 sovmap scenario diff empty --exit-code
? 0
~ ^no difference$
$ sovmap -q scenario drop empty
# a scenario on top of another applies the base's ops first
$ sovmap scenario new s2 --base s1
> created scenario s2 on s1
$ sovmap scenario add s2 set placement users@aws:ap-southeast-1 encrypted false
> 1. set placement users@aws:ap-southeast-1 encrypted false
$ sovmap scenario show s2
> name                 s2
> base                 s1
> description
> made on              catalog change 7 (current)
> ops:
>   -  move orders aws:us-east-1 aws:eu-central-1   (from s1)
>   1. set placement users@aws:ap-southeast-1 encrypted false
# against its base: only its own ops, not the base's again
$ SOVMAP_TODAY=2026-11-26 sovmap scenario diff s2 s1
> scenario s2 against scenario s1: 1 op (after the 1 of s1)
> errors 3 -> 3 (1 new, 1 fixed, 2 still there); warnings 0 -> 0 (0 new, 0 fixed, 0 still there)
>
> op 1: set placement users@aws:ap-southeast-1 encrypted false
>   ~ placement users@aws:ap-southeast-1  encrypted: true -> false
>   new         error   ENC001  users@aws:ap-southeast-1: users replica in aws:ap-southeast-1 is not encrypted at rest
>   fixed       error   ENC002  users@aws:ap-southeast-1: the key for users replica in aws:ap-southeast-1 is held in aws:ap-southeast-1, outside the adequate key scope
>
> still there:
>   still there error   RES001  users@aws:ap-southeast-1: users replica in aws:ap-southeast-1 is outside the adequate scope of tier confidential
>   still there error   XFR001  users@aws:ap-southeast-1: EU personal data in users is stored in SG with no adequacy and no transfer mechanism
# against a scenario that is not its base: compared whole
$ sovmap -q scenario new s3
$ sovmap -q scenario add s3 set dataset users tier restricted
$ SOVMAP_TODAY=2026-11-26 sovmap scenario diff s3 s1
~ ^scenario s3 against scenario s1 \(not its base: compared whole\)$
~ ^  ~ dataset users  tier: confidential -> restricted$
~ ^  ~ placement orders@aws:us-east-1  region: aws:eu-central-1 -> aws:us-east-1$
$ sovmap -q scenario drop s3
$ sovmap scenario list
> NAME  BASE  OPS  DESCRIPTION
> s1    -     1    leave the US
> s2    s1    1
$ SOVMAP_TODAY=2026-11-26 sovmap scenario list --check
> NAME  BASE  OPS  ERRORS  DESCRIPTION
> s1    -     1    6 -> 3  leave the US
> s2    s1    1    6 -> 3
$ sovmap scenario drop s1
! scenario s1 is the base of s2
? 2
$ sovmap scenario rm s2 1
> removed set placement users@aws:ap-southeast-1 encrypted false
$ sovmap scenario rm s2 1
! scenario s2 has 0 ops: no op 1
? 2
$ sovmap scenario drop s2
> dropped scenario s2
# apply makes the scenario the catalog, in one audited transaction
$ sovmap scenario apply s1
> applied scenario s1 (1 op) to the catalog
$ sovmap scenario list
> NAME  BASE  OPS  DESCRIPTION
$ sovmap dataset show orders | grep -c eu-central-1
> 1
$ SOVMAP_TODAY=2026-11-26 sovmap check
? 1
~ ^3 errors, 0 warnings in 2 datasets$
$ sovmap log | grep -c 'scenario '
> 12
