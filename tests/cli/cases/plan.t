# the planner: moves to the closest allowed region, verified; saves a
# scenario whose check has no errors; says what it cannot fix and why
$ sovmap init
$ sovmap dataset add orders --tier restricted --subjects EU --retention 365
$ sovmap place orders aws:eu-west-1 --role primary --encrypted --key-region aws:eu-west-1
$ sovmap place orders aws:us-east-1 --role replica --encrypted --key-region aws:us-east-1
$ sovmap dataset add users --tier confidential --subjects EU
$ sovmap place users aws:eu-central-1 --encrypted --key-region aws:eu-central-1
$ sovmap place users aws:ap-southeast-1 --role replica --encrypted --key-region aws:ap-southeast-1
$ SOVMAP_TODAY=2026-11-26 sovmap plan --dry-run
~ ^2 ops: errors 6 -> 0 \(prefer same-provider\)$
~ ^dry run: no scenario saved$
$ sovmap scenario list
> NAME  BASE  OPS  DESCRIPTION
$ SOVMAP_TODAY=2026-11-26 sovmap plan
> plan-1
> 2 ops: errors 6 -> 0 (prefer same-provider)
>   1. move orders aws:us-east-1/replica aws:eu-central-1
>      fixes RES001 on orders@aws:us-east-1: orders replica in aws:us-east-1 is outside the bloc scope of tier restricted
>   2. move users aws:ap-southeast-1/replica aws:eu-north-1
>      fixes RES001 on users@aws:ap-southeast-1: users replica in aws:ap-southeast-1 is outside the adequate scope of tier confidential
> review: sovmap scenario diff plan-1; apply: sovmap scenario apply plan-1
$ sovmap scenario show plan-1
~ ^description          plan \(prefer same-provider\): 2 ops, errors 6 -> 0$
$ SOVMAP_TODAY=2026-11-26 sovmap scenario diff plan-1 --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["counts"]["error"]["after"], [(c["change"], c["was"], c["to"], c["op"]) for c in d["changes"]])'
> 0 [('moved', 'orders@aws:us-east-1', 'aws:eu-central-1', 1), ('moved', 'users@aws:ap-southeast-1', 'aws:eu-north-1', 2)]
# same country as the primary first: orders' primary is in IE, users' in DE
$ SOVMAP_TODAY=2026-11-26 sovmap plan --prefer same-country --name by-country
~ ^by-country$
~ ^  1\. move orders aws:us-east-1/replica azure:northeurope$
~ ^  2\. move users aws:ap-southeast-1/replica aws-eusc:eusc-de-east-1$
$ sovmap plan --prefer cheapest
! bad --prefer cheapest: use same-provider, same-country or fewest-regions
? 2
$ sovmap plan --only-regions aws:eu-wst-1
! unknown region aws:eu-wst-1; did you mean aws:eu-west-1?
? 2
# with only a US region allowed: restricted data cannot go anywhere, the
# confidential copy may stay abroad under SCCs
$ SOVMAP_TODAY=2026-11-26 sovmap plan --only-regions aws:us-east-1 --name us-only
? 1
> us-only
> 1 op: errors 6 -> 3 (prefer same-provider, only the regions listed)
>   1. set-mechanism users@aws:ap-southeast-1 scc
>      fixes RES001 on users@aws:ap-southeast-1: users replica in aws:ap-southeast-1 is outside the adequate scope of tier confidential; no allowed region to move to: sign SCCs and a TIA
> cannot fix 3 errors:
>   ENC002 orders@aws:us-east-1: no allowed region among --only-regions and declaring scc does not clear it (the tier's scope admits no mechanism, or the regime bars the destination)
>   RES001 orders@aws:us-east-1: no allowed region among --only-regions and declaring scc does not clear it (the tier's scope admits no mechanism, or the regime bars the destination)
>   XFR002 orders@aws:us-east-1: no allowed region among --only-regions and declaring scc does not clear it (the tier's scope admits no mechanism, or the regime bars the destination)
> review: sovmap scenario diff us-only; apply: sovmap scenario apply us-only
# the plan is verified: checking it as a scenario finds no errors
$ sovmap scenario apply plan-1
> applied scenario plan-1 (2 ops) to the catalog
$ SOVMAP_TODAY=2026-11-26 sovmap check
? 0
~ ^no findings in 2 datasets$
$ SOVMAP_TODAY=2026-11-26 sovmap plan
> nothing to plan: the catalog has no errors
