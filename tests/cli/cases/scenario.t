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
> ops:
>   1. move orders aws:us-east-1 aws:eu-central-1
$ SOVMAP_TODAY=2026-11-26 sovmap scenario diff s1
> scenario s1 against the catalog: 1 op
> errors 6 -> 3 (0 new, 3 resolved); warnings 0 -> 0 (0 new, 0 resolved)
>
> op 1: move orders aws:us-east-1 aws:eu-central-1
>   moved     placement orders@aws:us-east-1 -> aws:eu-central-1
>   resolved  error   ENC002  orders@aws:us-east-1: the key for orders replica in aws:us-east-1 is held in aws:us-east-1, outside the bloc key scope
>   resolved  error   RES001  orders@aws:us-east-1: orders replica in aws:us-east-1 is outside the bloc scope of tier restricted
>   resolved  error   XFR002  orders@aws:us-east-1: orders replica in aws:us-east-1 relies on EU adequacy for US that does not hold
$ SOVMAP_TODAY=2026-11-26 sovmap scenario diff s1 --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["scenario"], d["against"], d["ops"], d["counts"]["error"]); print([(c["change"], c["selector"], c["was"], c["from"], c["to"], c["op"]) for c in d["changes"]]); print(sorted((f["status"], f["finding"]["rule"], f["op"]) for f in d["findings"]))'
> s1 None ['move orders aws:us-east-1 aws:eu-central-1'] {'before': 6, 'after': 3, 'new': 0, 'resolved': 3, 'changed': 0}
> [('moved', 'orders@aws:eu-central-1', 'orders@aws:us-east-1', 'aws:us-east-1', 'aws:eu-central-1', 1)]
> [('resolved', 'ENC002', 1), ('resolved', 'RES001', 1), ('resolved', 'XFR002', 1)]
# a scenario on top of another applies the base's ops first
$ sovmap scenario new s2 --base s1
> created scenario s2 on s1
$ sovmap scenario add s2 set placement users@aws:ap-southeast-1 encrypted false
> 1. set placement users@aws:ap-southeast-1 encrypted false
$ sovmap scenario show s2
> name                 s2
> base                 s1
> description
> ops:
>   -  move orders aws:us-east-1 aws:eu-central-1   (from s1)
>   1. set placement users@aws:ap-southeast-1 encrypted false
$ SOVMAP_TODAY=2026-11-26 sovmap scenario diff s2 s1
> scenario s2 against scenario s1: 2 ops
> errors 3 -> 3 (1 new, 1 resolved); warnings 0 -> 0 (0 new, 0 resolved)
>
> op 1: move orders aws:us-east-1 aws:eu-central-1
>   (no effect on the model or its findings)
>
> op 2: set placement users@aws:ap-southeast-1 encrypted false
>   changed   placement users@aws:ap-southeast-1
>   new       error   ENC001  users@aws:ap-southeast-1: users replica in aws:ap-southeast-1 is not encrypted at rest
>   resolved  error   ENC002  users@aws:ap-southeast-1: the key for users replica in aws:ap-southeast-1 is held in aws:ap-southeast-1, outside the adequate key scope
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
> 7
