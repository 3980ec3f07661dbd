# a saved plan or scenario records the catalog change it was made on; apply
# refuses a stale one unless --force, naming the ops that no longer apply,
# and reports the other scenarios an apply makes stale
$ sovmap -q init
$ sovmap -q dataset add orders --tier restricted --subjects EU
$ sovmap -q place orders aws:eu-west-1 --role primary --encrypted --key-region aws:eu-west-1
$ sovmap -q place orders aws:us-east-1 --role replica --encrypted --key-region aws:us-east-1
$ SOVMAP_TODAY=2026-11-26 sovmap plan --name p1
~ ^p1$
# writing another scenario is not a catalog change: p1 stays current
$ SOVMAP_TODAY=2026-11-26 sovmap plan --name p2 --prefer moves,same-provider
~ ^p2$
$ sovmap scenario show p1 | grep 'made on'
~ ^made on +catalog change [0-9]+ \(current\)$
$ sovmap scenario show p1 --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["stale"], d["made_on_change"] == d["catalog_change"], [o["argv"][0] for o in d["ops"]])'
> False True ['move']
# the catalog changes: every op still applies, but the review is out of date
$ sovmap -q place orders aws:sa-east-1 --role backup --encrypted --key-region aws:sa-east-1
$ sovmap scenario show p1 | grep 'made on'
~ ^made on +catalog change [0-9]+; the catalog is at [0-9]+: stale, review before applying$
$ sovmap scenario apply p1
? 2
! sovmap: scenario p1 is stale: it was made on catalog change
! plan again, or apply it anyway with --force
! every op still applies; what they do may differ from the review
$ sovmap scenario apply p1 --force
> applied scenario p1 (1 op) to the catalog
! note: applying stale scenario p1 (--force)
# an op that no longer applies is named, and --force does not skip it
$ SOVMAP_TODAY=2026-11-26 sovmap plan --name p3
~ ^p3$
$ sovmap -q place rm orders@aws:sa-east-1
$ sovmap scenario apply p3
? 2
! op 1 no longer applies: move orders aws:sa-east-1/backup
$ sovmap scenario apply p3 --force
? 2
! scenario p3: 1 op no longer applies, even with --force
# applying one scenario makes the others made on the same catalog stale
$ sovmap -q scenario drop p3
$ sovmap -q place orders aws:sa-east-1 --role backup --encrypted --key-region aws:sa-east-1
$ SOVMAP_TODAY=2026-11-26 sovmap plan --name p5
~ ^p5$
$ SOVMAP_TODAY=2026-11-26 sovmap plan --name p6 --prefer moves,same-provider
~ ^p6$
$ sovmap -q scenario new other
$ sovmap -q scenario add other set placement orders@aws:eu-west-1 encrypted false
$ sovmap scenario apply p5
> applied scenario p5 (1 op) to the catalog
! note: this makes 2 other scenarios stale (review with sovmap scenario diff, or plan again):
!   p6: 1 op no longer applies
!   other
$ sovmap scenario apply other
? 2
! scenario other is stale
