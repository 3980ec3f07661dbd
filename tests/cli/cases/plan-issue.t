# issue 15: the planner an architect can trust
$ sovmap -q init
$ sovmap -q region add yandex:ru-central1 --country RU --city Moscow
# EU and RU subjects in one dataset: moving the primary to Russia would put
# EU data there (XFR001); the plan never trades one violation for another
# and says the regimes conflict
$ sovmap -q dataset add mixed --tier restricted --subjects EU,RU
$ sovmap -q place mixed aws:eu-central-1 --role primary --encrypted --key-region aws:eu-central-1
# RU subjects, primary abroad, a replica in Russia: promote it (role swap)
$ sovmap -q dataset add ru --tier confidential --subjects RU
$ sovmap -q place ru aws:eu-central-1 --role primary --encrypted --key-region aws:eu-central-1
$ sovmap -q place ru yandex:ru-central1 --role replica --encrypted --key-region yandex:ru-central1
$ SOVMAP_TODAY=2026-11-26 sovmap plan --name fix-ru
? 1
~ ^fix-ru$
~ ^  1\. promote ru@yandex:ru-central1$
~ ^no new finding \(verified: nothing at or above warning appears\)$
~ ^  RES003 mixed: EU and RU subjects in one dataset: RU needs a primary in RU, EU forbids one there without a mechanism \(an in-country primary adds XFR001 mixed@yandex:ru-central1 \(EU -> RU\)\); split the dataset per regime
$ SOVMAP_TODAY=2026-11-26 sovmap scenario show fix-ru
~ ^  1\. promote ru@yandex:ru-central1$
$ SOVMAP_TODAY=2026-11-26 sovmap scenario apply fix-ru
> applied scenario fix-ru (1 op) to the catalog
$ sovmap place list 2>/dev/null | grep '^ru ' | tr -s ' ' | cut -d' ' -f1-3
~ ^ru yandex:ru-central1 primary$
~ ^ru aws:eu-central-1 replica$
# --keep-primaries: no promotion either, and the plan says why
$ sovmap -q scenario new swap-back
$ sovmap -q scenario add swap-back promote ru@aws:eu-central-1
$ SOVMAP_TODAY=2026-11-26 sovmap plan --scenario swap-back --keep-primaries --dry-run
? 1
~ ^  RES003 ru: the copy may not move \(--keep-primaries\)$
$ sovmap plan --fail-on sometimes
! bad --fail-on sometimes: use error, warning, info or never
? 2
$ sovmap plan --format yaml
! bad --format yaml: use text or json
? 2
# the demo: with the DPF struck down, the US CRM vendor stays where it is and
# the flow feeding it gets SCCs (a to-do: sign them, give the reference)
$ sovmap --catalog d.db demo >/dev/null
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db plan --scenario dpf-struck-down --dry-run
~ ^  [0-9]+\. set-mechanism crm-sync scc$
~ kept in place: sign SCCs and a TIA, then give their reference$
# with moves first, the nearest allowed region agrees with check's hint
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db plan --scenario dpf-struck-down --dry-run --prefer moves
~ ^  [0-9]+\. move loyalty_crm_contacts_saas aws:us-east-1/primary aws:eu-central-1$
# leaving aws:us-east-1: US data stays in the US (us-east-2), not Frankfurt,
# and no copy is moved twice
$ sovmap -q --catalog d.db scenario new leave-us
$ sovmap -q --catalog d.db scenario add leave-us retire-region aws:us-east-1
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db plan --scenario leave-us --dry-run
~ ^  [0-9]+\. move fleet_safety_kpis aws:us-east-1/replica aws:us-east-2$
~ ^  [0-9]+\. move loyalty_members_eu aws:us-east-1/replica azure:northeurope$
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db plan --scenario leave-us --dry-run | grep -c 'move loyalty_members_eu'
> 1
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db plan --scenario leave-us --dry-run --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["saved"], d["counts"]["error"]["after"], len(d["steps"]) == d["ops"], d["lower_bound"] <= d["ops"], [n for n in d["new"] if not n["todo"]])'
> False 0 True True []
