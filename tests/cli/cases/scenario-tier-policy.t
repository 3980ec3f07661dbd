# set-tier-policy (issue 22): a stricter tier-to-region mapping tried as a
# scenario op, diffed against the catalog and planned against
$ sovmap --catalog d.db demo
$ sovmap --catalog d.db scenario new strict && sovmap --catalog d.db scenario add strict set-tier-policy confidential scope=bloc backup-scope=bloc
> created scenario strict
> 1. set-tier-policy confidential scope=bloc backup-scope=bloc
# only policy attributes, each ATTR=VALUE, values checked as a tier edit checks them; nothing stored then
$ sovmap --catalog d.db scenario add strict set-tier-policy confidential rank=9
! set-tier-policy confidential: rank is not a tier policy attribute: use scope, backup-scope, approved, key-scope, encryption-at-rest, transit-encryption, sovereign, retention-min or retention-max
? 2
$ sovmap --catalog d.db scenario add strict set-tier-policy confidential scope=blocc
! tier confidential: bad scope blocc: region, country, bloc, adequate, approved, global
? 2
$ sovmap --catalog d.db scenario add strict set-tier-policy confidential scope
! set-tier-policy confidential: scope is not ATTR=VALUE
? 2
$ sovmap --catalog d.db scenario add strict set-tier-policy nosuch scope=bloc
! unknown tier nosuch
? 2
$ sovmap --catalog d.db scenario add strict set-tier-policy confidential
! set-tier-policy needs TIER ATTR=VALUE...
? 2
# the catalog's tier is untouched
$ sovmap --catalog d.db tier show confidential | grep -E '^(scope|backup-scope) '
> scope                adequate
> backup-scope         adequate
# the diff: the op's attribute changes, and the findings the same edit's --dry-run predicts
$ sovmap --catalog d.db scenario diff strict | sed -n '2,6p'
> errors 6 -> 13 (7 new, 0 fixed, 6 still there); warnings 0 -> 0 (0 new, 0 fixed, 0 still there)
> 
> op 1: set-tier-policy confidential scope=bloc backup-scope=bloc
>   ~ tier confidential  scope: adequate -> bloc
>   ~ tier confidential  backup-scope: adequate -> bloc
$ sovmap --catalog d.db scenario diff strict | grep -c '^  new  *error  *RES001'
> 7
$ sovmap --catalog d.db tier edit confidential --scope bloc --backup-scope bloc --dry-run | sed -n 2p
> +7 errors, -0 errors (6 -> 13); +0 warnings, -0 warnings (0 -> 0)
# JSON diff names the op
$ sovmap --catalog d.db scenario diff strict --format json | python3 -c 'import json,sys; d = json.load(sys.stdin); print(json.dumps(d, sort_keys=True))' | grep -o '"set-tier-policy confidential scope=bloc backup-scope=bloc"' | head -1
> "set-tier-policy confidential scope=bloc backup-scope=bloc"
# plan against the stricter mapping: it starts from the scenario's 13 errors (2 it cannot fix: exit 1)
$ sovmap --catalog d.db plan --scenario strict > plan.txt; echo $?; sed -n 2p plan.txt | cut -d: -f2 | cut -d, -f1
> 1
>  errors 13 -> 2
$ grep -c '^  [0-9]*\. move' plan.txt; grep -c 'outside the bloc scope of tier confidential' plan.txt
> 7
> 5
$ sovmap --catalog d.db scenario show plan-1 | grep -E '^base '
> base                 strict
# a looser mapping with a retention bound: several attributes in one op
$ sovmap --catalog d.db scenario new loose && sovmap --catalog d.db scenario add loose set-tier-policy restricted scope=global key-scope=global encryption-at-rest=false retention-max=90 && sovmap --catalog d.db scenario diff loose | sed -n 2p
> created scenario loose
> 1. set-tier-policy restricted scope=global key-scope=global encryption-at-rest=false retention-max=90
> errors 6 -> 4 (0 new, 2 fixed, 4 still there); warnings 0 -> 4 (4 new, 0 fixed, 0 still there)
