# leaving a region: every copy there must move; the planner moves them to
# the nearest region still open (same country first: Ireland stays Ireland)
$ sovmap init
$ sovmap dataset add orders --tier restricted --subjects EU --retention 365
$ sovmap place orders aws:eu-west-1 --role primary --encrypted --key-region aws:eu-west-1
$ sovmap place orders aws:eu-central-1 --role backup --encrypted --key-region aws:eu-central-1
$ sovmap dataset add logs --tier public
$ sovmap place logs aws:eu-west-1
$ sovmap scenario new leave-ireland
$ sovmap scenario add leave-ireland retire-region aws:eu-west-1
$ SOVMAP_TODAY=2026-11-26 sovmap scenario diff leave-ireland
> scenario leave-ireland against the catalog: 1 op
> errors 0 -> 2 (2 new, 0 fixed, 0 still there); warnings 0 -> 0 (0 new, 0 fixed, 0 still there)
>
> op 1: retire-region aws:eu-west-1
>   ! region aws:eu-west-1  (retired: every copy and key there must move)
>   ! placement orders@aws:eu-west-1  (its region is retired: move it)
>   ! placement logs@aws:eu-west-1  (its region is retired: move it)
>   new         error   RES004  logs@aws:eu-west-1: logs primary in aws:eu-west-1: the org policy does not allow this region
>   new         error   RES004  orders@aws:eu-west-1: orders primary in aws:eu-west-1: the org policy does not allow this region
$ SOVMAP_TODAY=2026-11-26 sovmap plan --scenario leave-ireland --name out
> out
> 2 ops (lower bound 2): errors 2 -> 0, warnings 0 -> 0 (prefer nearest, mechanisms first)
>   1. move logs aws:eu-west-1/primary azure:northeurope
>      fixes RES004 on logs@aws:eu-west-1: logs primary in aws:eu-west-1: the org policy does not allow this region
>   2. move orders aws:eu-west-1/primary azure:northeurope
>      fixes RES004 on orders@aws:eu-west-1: orders primary in aws:eu-west-1: the org policy does not allow this region
> no new finding (verified: nothing at or above warning appears)
> review: sovmap scenario diff out; apply: sovmap scenario apply out
$ sovmap scenario show out
~ ^base                 leave-ireland$
