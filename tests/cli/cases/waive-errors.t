# sovmap waive validates the rule, the object and the dates
$ sovmap init
$ sovmap dataset add orders --tier restricted --subjects EU
$ sovmap place orders aws:eu-west-1
$ SOVMAP_TODAY=2026-11-26 sovmap waive RES01 orders --owner a --reason r --expires 2027-01-01
? 2
! unknown rule RES01; did you mean RES001?
$ SOVMAP_TODAY=2026-11-26 sovmap waive RES001 ordrs --owner a --reason r --expires 2027-01-01
? 2
! unknown object ordrs; did you mean orders?
$ SOVMAP_TODAY=2026-11-26 sovmap waive RES001 orders@aws:us-east-1 --owner a --reason r --expires 2027-01-01
? 2
! unknown copy orders@aws:us-east-1
$ SOVMAP_TODAY=2026-11-26 sovmap waive RES001 orders --owner a --reason r --expires 2026-11-25
? 2
! --expires 2026-11-25 is in the past (today is 2026-11-26)
$ SOVMAP_TODAY=2026-11-26 sovmap waive RES001 orders --owner a --reason r --expires 2026-02-30
? 2
! bad --expires 2026-02-30: no such day in the calendar
$ SOVMAP_TODAY=2026-11-26 sovmap waive RES001 orders --reason r --expires 2027-01-01
? 2
! --owner is required
$ SOVMAP_TODAY=2026-11-26 sovmap waive RES001 orders --owner a --expires 2027-01-01
? 2
! --reason is required
$ SOVMAP_TODAY=2026-11-26 sovmap waive RES001 orders --owner a --reason r
? 2
! --expires is required
$ SOVMAP_TODAY=2026-11-26 sovmap waive RES001 --owner a --reason r --expires 2027-06-30
? 2
! waive needs a RULE and an OBJECT
# nothing to hide today: added, with a warning
$ SOVMAP_TODAY=2026-11-26 sovmap waive RES003 orders --owner a --reason "pre-approved" --expires 2027-06-30
> added waiver RES003:orders
! warning: no current RES003 finding on orders; the waiver will hide one if it appears
$ SOVMAP_TODAY=2026-11-26 sovmap waive RES003 orders --owner b --reason again --expires 2027-06-30
? 2
! waiver RES003:orders exists
$ sovmap waive rm RES004:nothing
? 2
$ sovmap waive frobnicate
? 2
$ sovmap log
~ RES003:orders
