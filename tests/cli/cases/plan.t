# the planner: keeps a copy in place where a mechanism fixes it, else moves
# it to the nearest allowed region, verified; saves a scenario whose check
# has no errors and no new warning; says what it cannot fix and why
$ sovmap init
$ sovmap dataset add orders --tier restricted --subjects EU --retention 365
$ sovmap place orders aws:eu-west-1 --role primary --encrypted --key-region aws:eu-west-1
$ sovmap place orders aws:us-east-1 --role replica --encrypted --key-region aws:us-east-1
$ sovmap dataset add users --tier confidential --subjects EU
$ sovmap place users aws:eu-central-1 --encrypted --key-region aws:eu-central-1
$ sovmap place users aws:ap-southeast-1 --role replica --encrypted --key-region aws:ap-southeast-1
$ SOVMAP_TODAY=2026-11-26 sovmap plan --dry-run
~ ^2 ops \(lower bound 2\): errors 6 -> 0, warnings 0 -> 1 \(prefer nearest, mechanisms first\)$
~ ^no new finding except the 1 to-do below \(verified: nothing else at or above warning appears\)$
~ ^dry run: no scenario saved$
$ sovmap scenario list
> NAME  BASE  OPS  DESCRIPTION
$ SOVMAP_TODAY=2026-11-26 sovmap plan
# (a mechanism without its reference is a to-do the checker reports once the
# pack has XFR003; it is listed apart, so only the lines that matter are matched)
~ ^plan-1$
~ ^2 ops \(lower bound 2\): errors 6 -> 0, warnings 0 -> [0-9]+ \(prefer nearest, mechanisms first\)$
~ ^  1\. move orders aws:us-east-1/replica azure:northeurope$
~ ^     fixes RES001 on orders@aws:us-east-1: orders replica in aws:us-east-1 is outside the bloc scope of tier restricted$
~ ^  2\. set-mechanism users@aws:ap-southeast-1 scc$
~ ^     fixes RES001 on users@aws:ap-southeast-1: users replica in aws:ap-southeast-1 is outside the adequate scope of tier confidential; kept in place: sign SCCs and a TIA, then give their reference$
~ ^no new finding except the 1 to-do below \(verified: nothing else at or above warning appears\)$
~ ^review: sovmap scenario diff plan-1; apply: sovmap scenario apply plan-1$
$ sovmap scenario show plan-1
~ ^description          plan \(prefer nearest, mechanisms first\): 2 ops, errors 6 -> 0, warnings 0 -> 1$
$ SOVMAP_TODAY=2026-11-26 sovmap scenario diff plan-1 --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["counts"]["error"]["after"], [(c["change"], c["selector"], c["attribute"], c["before"], c["after"], c["op"]) for c in d["changes"]])'
> 0 [('moved', 'orders@azure:northeurope', 'region', 'aws:us-east-1', 'azure:northeurope', 1), ('changed', 'orders@azure:northeurope', 'key-region', 'aws:us-east-1', 'azure:northeurope', 1), ('changed', 'users@aws:ap-southeast-1', 'mechanism', '', 'scc', 2)]
# the plan as JSON: ops with their argv and the finding each fixes
$ SOVMAP_TODAY=2026-11-26 sovmap plan --dry-run --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["saved"], d["ops"], d["counts"]["error"], [(s["argv"][0], s["fixes"]["rule"], s["fixes"]["selector"]) for s in d["steps"]], [n for n in d["new"] if not n["todo"]], d["unfixed"])'
> False 2 {'before': 6, 'after': 0} [('move', 'RES001', 'orders@aws:us-east-1'), ('set-mechanism', 'RES001', 'users@aws:ap-southeast-1')] [] []
# moves first: the nearest region to the copy (the primary's country, IE /
# DE, comes before the provider's other regions)
$ SOVMAP_TODAY=2026-11-26 sovmap plan --dry-run --prefer moves
~ ^  1\. move orders aws:us-east-1/replica azure:northeurope$
~ ^  2\. move users aws:ap-southeast-1/replica aws-eusc:eusc-de-east-1$
# the provider first, as a list with moves
$ SOVMAP_TODAY=2026-11-26 sovmap plan --dry-run --prefer moves,same-provider
~ ^  1\. move orders aws:us-east-1/replica aws:eu-central-1$
~ ^  2\. move users aws:ap-southeast-1/replica aws:eu-west-1$
# --avoid-regions takes patterns; a pinned copy never moves (a mechanism is fine)
$ SOVMAP_TODAY=2026-11-26 sovmap plan --dry-run --prefer moves --avoid-regions 'azure:*' --pin users@aws:ap-southeast-1/replica
~ ^  1\. move orders aws:us-east-1/replica aws:eu-central-1$
~ ^  2\. set-mechanism users@aws:ap-southeast-1 scc$
$ sovmap plan --avoid-regions 'nosuch:*'
! --avoid-regions: no region matches nosuch:*
? 2
$ sovmap plan --pin nosuch
! --pin nosuch: no such dataset
? 2
# same country as the primary first: orders' primary is in IE, users' in DE
$ SOVMAP_TODAY=2026-11-26 sovmap plan --prefer same-country,moves --name by-country
~ ^by-country$
~ ^  1\. move orders aws:us-east-1/replica azure:northeurope$
~ ^  2\. move users aws:ap-southeast-1/replica aws-eusc:eusc-de-east-1$
$ sovmap plan --prefer cheapest
! bad --prefer cheapest: use mechanisms or moves, and nearest, same-provider, same-country or fewest-regions
? 2
$ sovmap plan --only-regions aws:eu-wst-1
! unknown region aws:eu-wst-1; did you mean aws:eu-west-1?
? 2
# with only a US region allowed: restricted data cannot go anywhere, the
# confidential copy may stay abroad under SCCs
$ SOVMAP_TODAY=2026-11-26 sovmap plan --only-regions aws:us-east-1 --name us-only
? 1
~ ^us-only$
~ ^1 op \(lower bound 1\): errors 6 -> 3, warnings 0 -> [0-9]+ \(prefer nearest, mechanisms first, only the regions listed\)$
~ ^  1\. set-mechanism users@aws:ap-southeast-1 scc$
~ ^no new finding except the 1 to-do below \(verified: nothing else at or above warning appears\)$
~ ^cannot fix 3 errors:$
~ ^  ENC002 orders@aws:us-east-1: no allowed region among --only-regions and declaring scc does not clear it \(the tier's scope admits no mechanism, or the regime bars the destination\)$
~ ^  RES001 orders@aws:us-east-1: no allowed region among --only-regions and declaring scc does not clear it
~ ^  XFR002 orders@aws:us-east-1: no allowed region among --only-regions and declaring scc does not clear it
~ ^review: sovmap scenario diff us-only; apply: sovmap scenario apply us-only$
# the plan is verified: checking it as a scenario finds no errors (a
# mechanism's missing reference is at most a warning: a to-do)
$ sovmap scenario apply plan-1
> applied scenario plan-1 (2 ops) to the catalog
$ SOVMAP_TODAY=2026-11-26 sovmap check --fail-on error
? 0
~ ^(no findings in 2 datasets|0 errors, [0-9]+ warnings? in 2 datasets)$
$ SOVMAP_TODAY=2026-11-26 sovmap plan
> nothing to plan: the catalog has no errors
