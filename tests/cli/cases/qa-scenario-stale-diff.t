# QA #8: a stale scenario with a broken op: diff shows what the other ops
# do, marks the broken one (left out of the diff), lists the ops and the way
# out, and still exits 2 (1 with --exit-code); apply offers only the ways
# out that work (not --force)
$ sovmap demo
~ demo
$ sovmap plan | head -1
> plan-1
$ sovmap place rm loyalty_members_eu@aws:us-east-1
> removed placement loyalty_members_eu@aws:us-east-1
$ sovmap scenario apply plan-1
? 2
! 1 op no longer applies (--force cannot help): review it (sovmap scenario diff plan-1), remove it (sovmap scenario rm plan-1 INDEX), or plan again
! op 2 no longer applies
$ sovmap scenario diff plan-1
? 2
~ ^scenario plan-1 against the catalog: 5 ops$
~ ^errors 4 -> 0 \(0 new, 4 fixed, 0 still there\)
~ ^op 1: set-tier loyalty_churn_scores restricted$
~ ^! op 2: move loyalty_members_eu aws:us-east-1/replica azure:northeurope$
~ ^  no longer applies: .*no such copy in aws:us-east-1 \(left out of this diff\)$
~ ^  fixed       error   RES002  backup_snapshots_eu@aws:sa-east-1
~ ^ops of plan-1 on the catalog as it is now:$
~ ^  1\. set-tier loyalty_churn_scores restricted$
~ ^! 2\. move loyalty_members_eu aws:us-east-1/replica azure:northeurope  \(no longer applies: .*no such copy in aws:us-east-1\)$
~ ^  3\. move backup_snapshots_eu
~ ^1 op marked ! no longer applies: remove it \(sovmap scenario rm plan-1 2\) or plan again$
! no such copy in aws:us-east-1
$ sovmap scenario diff plan-1 --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print([o["n"] for o in d["ops"] if o["broken"]], len(d["findings"]))'
> [2] 5
$ sovmap scenario diff plan-1 --exit-code > /dev/null
? 1
# the way out offered works
$ sovmap scenario rm plan-1 2 >/dev/null && sovmap scenario apply plan-1 --force 2>&1 | tail -1
~ applied|plan-1
