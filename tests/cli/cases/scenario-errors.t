# scenario ops are checked when added: unknown ops, wrong arguments, unknown
# names (with a suggestion), targets in retired regions; nothing is stored
$ sovmap init
$ sovmap dataset add orders --tier restricted --subjects EU
$ sovmap place orders aws:eu-west-1 --role primary --encrypted --key-region aws:eu-west-1
$ sovmap scenario new s1
$ sovmap scenario new s1
! scenario s1 exists
? 2
$ sovmap scenario new s9 --base nosuch
! unknown scenario nosuch
? 2
$ sovmap scenario add s1 mvoe orders aws:eu-west-1 aws:eu-central-1
! unknown scenario op mvoe; did you mean move?
? 2
$ sovmap scenario add s1 move orders aws:eu-west-1
! move needs DATASET FROM-REGION[/ROLE] TO-REGION
? 2
$ sovmap scenario add s1 move ordrs aws:eu-west-1 aws:eu-central-1
! move ordrs aws:eu-west-1 aws:eu-central-1: unknown dataset ordrs; did you mean orders?
? 2
$ sovmap scenario add s1 move orders aws:us-east-1 aws:eu-central-1
! orders has no copy in aws:us-east-1
? 2
$ sovmap scenario add s1 revoke-adequacy EU IN
! GDPR has no adequacy decision for IN
? 2
$ sovmap scenario add s1 retire-region aws:eu-central-1
> 1. retire-region aws:eu-central-1
$ sovmap scenario add s1 add-placement orders aws:eu-central-1 backup
! aws:eu-central-1 is retired in this scenario
? 2
$ sovmap scenario add s1 set-tier orders secret
! unknown tier secret
? 2
$ sovmap scenario show s1
> name                 s1
> base                 -
> description
> made on              catalog change 3 (current)
> ops:
>   1. retire-region aws:eu-central-1
$ sovmap scenario diff nosuch
! unknown scenario nosuch
? 2
$ sovmap scenario diff s1 --format xml
? 2
$ sovmap scenario frob
! unknown scenario subcommand frob
? 2
$ sovmap scenario rm s1 x
! scenario s1 has 1 op: no op x
? 2
# a scenario that leaves copies in a retired region cannot become the base
$ sovmap scenario new leave
$ sovmap scenario add leave retire-region aws:eu-west-1
$ SOVMAP_TODAY=2026-11-26 sovmap scenario diff leave
~ ^  ! placement orders@aws:eu-west-1  \(its region is retired: move it\)$
~ ^  new         error   RES004  orders@aws:eu-west-1: 
$ sovmap scenario apply leave
! scenario leave leaves 1 copy in retired regions (first: orders@aws:eu-west-1)
? 2
