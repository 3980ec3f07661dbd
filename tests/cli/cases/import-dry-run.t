# --dry-run prints the review diff and writes nothing.
$ cp -r "$SOVMAP_DATA/../tests/fixtures/atlas" . && SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db init -q
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas atlas/entities-bulk.json -q && sed 's/"typeName": "tier2"/"typeName": "tier1"/; s/"type": "vehicle_vin"/"type": "vin"/' atlas/entities-bulk.json > changed.json
$ cp c.db before.db && SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas changed.json --dry-run
> ~ dataset logistics_eu.gps_raw
>   ~ tier confidential -> restricted
>   + tag tier=tier1  [a7b5e324-a333-5e24-a6c2-af8c7e221167]
>   + tag vehicle_vin: pii.vin  [9dd51570-246b-5601-bc3b-2588cabb3371]
>   - tag tier=tier2  [a7b5e324-a333-5e24-a6c2-af8c7e221167]
>   - tag vehicle_vin: pii.vehicle_vin  [9dd51570-246b-5601-bc3b-2588cabb3371]
> datasets: 0 new, 1 changed, 13 unchanged
> fields: 0 new; tags: 2 added, 2 removed; flows: 0 new, 0 not imported
> skipped 6 entities:
>   1 hive_db (database: its classifications are inherited by its tables)
>   5 hive_storagedesc (storage descriptor: its location places its table)
> dry run: nothing written
$ cmp c.db before.db
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db dataset show logistics_eu.gps_raw
~ ^tier +confidential$
# and for real: the change lands, in one audit entry
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas changed.json --diff
~ ^  ~ tier confidential -> restricted$
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db dataset show logistics_eu.gps_raw
~ ^tier +restricted$
~ ^    pii.vin  from changed.json  entity 9dd51570-246b-5601-bc3b-2588cabb3371  at 2026-11-26T00:00:00Z$
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db log
~ import atlas changed.json
# the vanished tag is gone from the catalog too
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db dataset show logistics_eu.gps_raw | grep -c -e pii.vehicle_vin -e tier=tier2
> 0
? 1
