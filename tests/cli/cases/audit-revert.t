# The audit log reconstructs every change (doc/catalog.md, "The audit log"):
# each entry holds model-json snapshots of what it touched, `revert ID` undoes
# one entry from them, and reverting every entry newest-first gives back the
# initial model byte for byte. A no-op edit writes nothing.
$ export USER=root SOVMAP_TODAY=2026-11-26; s="sovmap --catalog a.db -q"; sovmap --catalog a.db init -q && $s dataset add orders --tier restricted --subjects EU && $s place orders aws:eu-west-1 --encrypted --key-region aws:eu-west-1 && $s place orders aws:eu-central-1 --role backup --encrypted --key-region aws:eu-central-1 && $s dataset add bi --tier confidential && $s place bi aws:eu-west-1 && $s dataset add logs --tier public && $s place logs aws:us-east-1 && $s field add logs ip --tag pii.ip && $s flow add orders@aws:eu-west-1 logs@aws:us-east-1 --kind stream --name ship && $s flow add logs@aws:us-east-1 bi@aws:eu-west-1 --kind etl --name agg && sovmap --catalog a.db export model-json > initial.json && sovmap --catalog a.db log --limit 1 | cut -c 1-2
> 11

# a varied series, one entry each (12 ... 28), a day later
$ export SOVMAP_TODAY=2026-11-27; s="sovmap --catalog a.db -q"; $s dataset add shop --tier public --owner ana && $s dataset edit orders --owner ana --description "web shop orders" --retention 365 && $s field add orders email phone --tag pii.email && $s field rm orders phone && $s tag add orders.email contact && $s place orders aws:us-east-1 --role replica --encrypted --key-region aws:eu-west-1
$ export SOVMAP_TODAY=2026-11-27; s="sovmap --catalog a.db -q"; $s place edit orders@aws:us-east-1 --mechanism scc --mechanism-ref TIA-9 && $s place rm orders@aws:eu-central-1 && $s flow add orders@aws:eu-west-1 bi@aws:eu-west-1 --kind etl --transforms "mask email" --name o2bi && $s flow rm ship && $s waive RES001 orders@aws:us-east-1/replica --owner dpo --reason "until the move" --expires 2026-12-31 && $s region add onprem:fra-dc1 --country DE --city Frankfurt
$ export SOVMAP_TODAY=2026-11-27; s="sovmap --catalog a.db -q"; $s tier edit confidential --retention-max 720 --description "internal business data" && $s scenario new leave-us --description "leave the US" && $s scenario add leave-us move orders aws:us-east-1 onprem:fra-dc1 && $s scenario apply leave-us && $s dataset rm logs --yes

# the log alone rebuilds the model from nothing (init's tiers included)
$ sovmap --catalog a.db log --format json > log.json && sovmap --catalog a.db export model-json > now.json && python3 "$SOVMAP_DATA/../tests/cli/audit_rebuild.py" log.json now.json
> rebuilt 28 entries: same

# no-ops: "unchanged", no entry
$ SOVMAP_TODAY=2026-11-27 sovmap --catalog a.db dataset edit orders --owner ana --retention 365
> unchanged dataset orders
$ SOVMAP_TODAY=2026-11-27 sovmap --catalog a.db place edit orders@onprem:fra-dc1 --mechanism scc
> unchanged placement orders@onprem:fra-dc1
$ sovmap --catalog a.db log --limit 2 | cut -c 30-
> root      dataset remove logs
> root      scenario apply leave-us

# dataset rm recorded its cascade: the dataset with fields, tags, copies, and the flow through it
$ sovmap --catalog a.db log --limit 1 --format json | python3 -c 'import json,sys; e=json.load(sys.stdin)[0]; b=e["data"]["before"]; d=b["datasets"][0]; print(e["id"], e["op"], d["name"], d["fields"][0]["name"], d["fields"][0]["tags"][0]["tag"], [p["region"] for p in d["placements"]], [f["name"] for f in b["flows"]], e["data"]["after"])'
> 28 dataset remove logs logs ip pii.ip ['aws:us-east-1'] ['agg'] {}

# scenario apply recorded every object it changed, before and after
$ sovmap --catalog a.db log show 27 --format json | python3 -c 'import json,sys; e=json.load(sys.stdin); d=e["data"]; print(e["op"], [(x["name"], [p["region"] for p in x["placements"]]) for x in d["before"]["datasets"]], [(x["name"], [p["region"] for p in x["placements"]]) for x in d["after"]["datasets"]], [s["name"] for s in d["before"]["scenarios"]], "scenarios" in d["after"])'
> scenario apply leave-us [('orders', ['aws:eu-west-1', 'aws:us-east-1'])] [('orders', ['aws:eu-west-1', 'onprem:fra-dc1'])] ['leave-us'] False

$ sovmap --catalog a.db log show 22
> entry 22
> time                 2026-11-27T00:00:00Z
> actor                root
> op                   waiver add RES001:orders@aws:us-east-1 owner=dpo reason="until the move" expires=2026-12-31
> object               RES001:orders@aws:us-east-1
>     after:
>       owner=dpo
>       reason=until the move
>       expires=2026-12-31
>       rule=RES001
>       object=orders@aws:us-east-1
>     snapshot:
>       {
>         "before": {},
>         "after": {
>           "waivers": [
>             {
>               "rule": "RES001",
>               "object": "orders@aws:us-east-1",
>               "owner": "dpo",
>               "reason": "until the move",
>               "expires": "2026-12-31"
>             }
>           ]
>         }
>       }

$ sovmap --catalog a.db log show 99
! sovmap: a.db has no audit entry 99
? 2
$ sovmap --catalog a.db log show x
! bad entry id x
? 2

# --object: its own entries and every entry whose snapshots hold it
$ sovmap --catalog a.db log --object logs | cut -c 30-
> root      dataset remove logs
> root      field add logs ip
> root      placement add logs@aws:us-east-1
> root      dataset add logs tier=public
$ sovmap --catalog a.db log --object agg --format json | python3 -c 'import json,sys; print([e["id"] for e in json.load(sys.stdin)])'
> [28, 11]
$ sovmap --catalog a.db log --object RES001:orders@aws:us-east-1 --limit 1 | cut -c 30-
> root      waiver add RES001:orders@aws:us-east-1 owner=dpo reason="until the move" expires=2026-12-31

# --since: a day or a time
$ sovmap --catalog a.db log --since 2026-11-27 | wc -l
> 17
$ sovmap --catalog a.db log --since 2026-11-27T00:00:01Z --format json
> []
$ sovmap --catalog a.db log --since 27/11/2026
! bad --since 27/11/2026
? 2

# refusals name the object and the entry that changed it
$ sovmap --catalog a.db revert 13
! sovmap: cannot revert entry 13: dataset orders changed since (by entry 27)
? 2
$ sovmap --catalog a.db revert 7
! sovmap: cannot revert entry 7: dataset logs was removed since (by entry 28)
? 2
$ sqlite3 a.db "INSERT INTO audit(time, actor, op) VALUES('2026-01-01T00:00:00Z', 'old', 'dataset add x')" && sovmap --catalog a.db revert 29
! cannot revert entry 29 (dataset add x): it holds no snapshots
? 2
$ sovmap --catalog a.db revert 99
! sovmap: a.db has no audit entry 99
? 2
$ sovmap --catalog a.db log --limit 2 | cut -c 30-
> old       dataset add x
> root      dataset remove logs

# every entry of the series, newest first: back to the initial model, byte for byte
$ for i in $(seq 28 -1 12); do sovmap --catalog a.db -q revert $i || exit 1; done; sovmap --catalog a.db export model-json | cmp - initial.json && echo identical
> identical
$ sovmap --catalog a.db log --limit 2 | cut -c 30-
> root      revert 12 (dataset add shop tier=public owner=ana)
> root      revert 13 (dataset set orders owner=ana retention=365 description="web shop orders")

# a revert is itself revertible
$ sovmap --catalog a.db revert 46 && sovmap --catalog a.db dataset list --format tsv | cut -f1 | grep -x shop
> reverted entry 46: revert 12 (dataset add shop tier=public owner=ana)
> shop

# ... and the log still rebuilds the model, reverts and all (less the entry without snapshots)
$ sovmap --catalog a.db log --format json | python3 -c 'import json,sys; print(json.dumps([e for e in json.load(sys.stdin) if e["id"] != 29]))' > log.json && sovmap --catalog a.db export model-json > now.json && python3 "$SOVMAP_DATA/../tests/cli/audit_rebuild.py" log.json now.json
> rebuilt 46 entries: same

# import model records its difference by identity: revertible too
$ sovmap --catalog a.db export model-json > now.json && sovmap --catalog c.db init -q && sovmap --catalog c.db -q dataset add old && sovmap --catalog c.db export model-json > c0.json && sovmap --catalog c.db -q import model now.json --replace && sovmap --catalog c.db log --limit 1 --format json | python3 -c 'import json,sys; e=json.load(sys.stdin)[0]; d=e["data"]; print(e["id"], e["op"], [x["name"] for x in d["before"]["datasets"]], [x["name"] for x in d["after"]["datasets"]], sorted(d["after"]))'
> 3 import model ['old'] ['bi', 'logs', 'orders', 'shop'] ['datasets', 'flows']
$ sovmap --catalog c.db -q revert 3 && sovmap --catalog c.db export model-json | cmp - c0.json && echo identical
> identical

# a schema 1 catalog: upgraded on first open, even by a reading command; its old entries have no snapshots
$ sovmap --catalog v1.db init -q && sovmap --catalog v1.db -q dataset add orders && sqlite3 v1.db "ALTER TABLE audit DROP COLUMN data; ALTER TABLE dataset DROP COLUMN purpose; ALTER TABLE dataset DROP COLUMN legal_basis; DROP TABLE prop; ALTER TABLE field DROP COLUMN type; ALTER TABLE field DROP COLUMN comment; ALTER TABLE tag DROP COLUMN expired; DROP TABLE attr_source; PRAGMA user_version=1" && sovmap --catalog v1.db log | cut -c 30- && sqlite3 v1.db "PRAGMA user_version" && sovmap --catalog v1.db log show 2 | tail -1
> root      dataset add orders
> root      init
> 6
> snapshot             none (written before catalog schema 2)
$ sovmap --catalog v1.db revert 2
! sovmap: cannot revert entry 2 (dataset add orders): it holds no snapshots (written before catalog schema 2)
? 2

# each entry names its object by its whole selector: a copy as dataset@region, a flow by name
$ export SOVMAP_TODAY=2026-11-28 USER=root; sovmap --catalog a.db -q place bi aws:eu-north-1 --role backup && sovmap --catalog a.db -q flow edit agg --mechanism scc --mechanism-ref TIA-1 ; sovmap --catalog a.db log --limit 2 --format json | python3 -c 'import json,sys; print([e["object"] for e in json.load(sys.stdin)])'
> ['agg', 'bi@aws:eu-north-1']
