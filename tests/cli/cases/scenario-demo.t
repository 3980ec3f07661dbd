# the issue's done-when, on the demo: revoking EU->US adequacy shows the new
# XFR findings; retiring aws:ap-southeast-1 lists every copy that must move;
# plan produces a scenario with no errors, and diff explains each change
$ sovmap --catalog d.db demo
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db check
? 1
$ sovmap --catalog d.db scenario new revoke-us --description "the EU-US Data Privacy Framework falls"
$ sovmap --catalog d.db scenario add revoke-us revoke-adequacy EU US
> 1. revoke-adequacy EU US
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db scenario diff revoke-us
~ ^errors [0-9]+ -> [0-9]+ \([1-9][0-9]* new, 0 fixed, [0-9]+ still there\)
~ ^  new         error   XFR00[12]  [^ ]+: .*EU adequacy for US
$ sovmap --catalog d.db scenario new leave-sg
$ sovmap --catalog d.db scenario add leave-sg retire-region aws:ap-southeast-1
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db scenario diff leave-sg --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(sorted(c["selector"] for c in d["changes"] if c["change"] == "must-move"))'
> ['backup_snapshots_sg@aws:ap-southeast-1', 'fleet_telemetry_apac@aws:ap-southeast-1']
# keys held there must move too
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db scenario diff leave-sg
~ ^  ! placement fleet_telemetry_apac@azure:southeastasia  \(its key is held in a retired region: move the key\)$
~ ^  ! placement fleet_telemetry_apac@aws:ap-southeast-1  \(its region is retired: move it\)$
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db plan
~ ^plan-1$
~ ^[0-9]+ ops \(lower bound [0-9]+\): errors [0-9]+ -> 0, warnings [0-9]+ -> [0-9]+ \(prefer nearest, mechanisms first\)$
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db scenario diff plan-1 --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["counts"]["error"]["after"], all(f["op"] for f in d["findings"] if f["status"] != "still") and set(f["op"] for f in d["findings"] if f["status"] != "still") == set(range(1, len(d["ops"]) + 1)))'
> 0 True
# check --scenario sees the plan's model: no errors
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db check --scenario plan-1 --fail-on error
? 0
# planning on top of leaving Singapore moves what was there
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db plan --scenario leave-sg --name leave-sg-plan
~ ^leave-sg-plan$
~ ^  [0-9]+\. move backup_snapshots_sg aws:ap-southeast-1/primary 
~ ^  [0-9]+\. move fleet_telemetry_apac aws:ap-southeast-1/primary 
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db scenario diff leave-sg-plan --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["counts"]["error"]["after"], [c["selector"] for c in d["changes"] if c["change"] == "must-move"])'
> 0 []
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db scenario diff leave-sg-plan --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print([c["selector"] for c in d["changes"] if c["change"] == "key-must-move"])'
> []
# per op: the retire op says what must move, and that a later op moves it
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db scenario diff leave-sg-plan --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(sorted((c["selector"], c["resolved"]) for c in d["ops"][0]["changes"] if c["change"] == "must-move"))'
> [('backup_snapshots_sg@aws:ap-southeast-1', True), ('fleet_telemetry_apac@aws:ap-southeast-1', True)]
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db scenario diff leave-sg-plan
~ ^  ! placement backup_snapshots_sg@aws:ap-southeast-1  \(its region is retired: move it\) - a later op moves it$
$ sovmap --catalog d.db scenario apply plan-1
~ ^applied scenario plan-1 \([0-9]+ ops\) to the catalog$
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db check
? 0
