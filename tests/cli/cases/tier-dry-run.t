# tier edit --dry-run: the impact of a tier change before it is saved
# (issue 22): the edited catalog checked against the current one
$ sovmap --catalog d.db demo
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db tier edit confidential --scope bloc --dry-run
~ ^tier confidential, dry run \(nothing saved\): scope adequate -> bloc$
~ ^\+[1-9][0-9]* errors, -0 errors \(6 -> [0-9]+\); \+0 warnings, -0 warnings \(0 -> 0\)$
~ ^  new       error   RES001  loyalty_transactions_eu@aws:eu-west-2: loyalty_transactions_eu replica in aws:eu-west-2 is outside the bloc scope of tier confidential$
# nothing was saved
$ sovmap --catalog d.db tier show confidential | grep '^scope '
> scope                adequate
$ sovmap --catalog d.db log --limit 1 | grep -c 'tier'
> 0
? 1
# the counts are those of a full check of the edited catalog, finding for finding
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db tier edit confidential --scope bloc --dry-run --format json > p.json; cp d.db e.db; sovmap --catalog e.db tier edit confidential --scope bloc >/dev/null; SOVMAP_TODAY=2026-11-26 sovmap --catalog e.db check --format json > after.json; SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db check --format json > before.json; python3 -c 'import json; p = json.load(open("p.json")); a = json.load(open("after.json")); b = json.load(open("before.json")); key = lambda f: (f["rule"], f["object"]["selector"]); fa = {key(f) for f in a["findings"] if f["severity"] == "error"}; fb = {key(f) for f in b["findings"] if f["severity"] == "error"}; new = {(f["rule"], f["selector"]) for f in p["findings"] if f["change"] == "new" and f["severity"] == "error"}; gone = {(f["rule"], f["selector"]) for f in p["findings"] if f["change"] == "resolved" and f["severity"] == "error"}; e = p["errors"]; ok = e["after"] == a["summary"]["errors"] and e["before"] == b["summary"]["errors"] and new == fa - fb and gone == fb - fa and e["new"] == len(new) and e["resolved"] == len(gone) and len(new) > 0; print("agree" if ok else ("differ", e, len(fa), len(fb), sorted(new ^ (fa - fb))[:3]))'
> agree
# loosening resolves findings: -N errors
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db tier edit restricted --scope global --backup-scope global --key-scope global --dry-run
~ ^\+0 errors, -[1-9][0-9]* errors \(6 -> [0-9]+\)
~ ^  resolved  error   RES001  loyalty_members_eu@aws:us-east-1: 
# a change that changes no finding says so
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db tier edit public --description "open data" --dry-run
~ ^\+0 errors, -0 errors \(6 -> 6\)
~ ^  no copy or flow changes status$
# errors
$ sovmap --catalog d.db tier edit confidential --dry-run
! nothing to change
? 2
$ sovmap --catalog d.db tier edit nosuch --scope bloc --dry-run
! unknown tier nosuch
? 2
$ sovmap --catalog d.db tier edit confidential --scope planet --dry-run
! bad scope
? 2
$ sovmap --catalog d.db tier edit confidential --scope bloc --format json
! --format goes with --dry-run
? 2
