# --dry-run prints the review diff and writes nothing.
$ cp -r "$SOVMAP_FIXTURES/atlas" . && SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db init -q
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas atlas/entities-bulk.json -q && sed 's/"typeName": "tier2"/"typeName": "tier1"/; s/"type": "vehicle_vin"/"type": "vin"/' atlas/entities-bulk.json > changed.json
$ cp c.db before.db && SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas changed.json --dry-run
> ~ dataset fleet_eu.telemetry_raw
>   ~ tier confidential -> restricted
>   + tag tier=tier1  [008c5f84-788c-414f-9f67-084d3f121cda]
>   + tag vehicle_vin: pii.vin  [73e7e2ed-5014-4fb9-902a-4dd3bc476060]
>   - tag tier=tier2  [008c5f84-788c-414f-9f67-084d3f121cda]
>   - tag vehicle_vin: pii.vehicle_vin  [73e7e2ed-5014-4fb9-902a-4dd3bc476060]
> datasets: 0 new, 1 changed, 13 unchanged
> fields: 0 new; tags: 2 added, 2 removed; flows: 0 new, 0 not imported
> skipped 6 entities:
>   1 hive_db (database: its classifications are inherited by its tables)
>   5 hive_storagedesc (storage descriptor: its location places its table)
> dry run: nothing written
$ cmp c.db before.db
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db dataset show fleet_eu.telemetry_raw
~ ^tier +confidential$
# and for real: the change lands, in one audit entry
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas changed.json --diff
~ ^  ~ tier confidential -> restricted$
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db dataset show fleet_eu.telemetry_raw
~ ^tier +restricted$
~ ^    pii.vin  from changed.json  entity 73e7e2ed-5014-4fb9-902a-4dd3bc476060  at 2026-11-26T00:00:00Z$
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db log
~ import atlas changed.json
# the vanished tag is gone from the catalog too
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db dataset show fleet_eu.telemetry_raw | grep -c -e pii.vehicle_vin -e tier=tier2
> 0
? 1
