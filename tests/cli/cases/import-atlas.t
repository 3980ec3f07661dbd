# sovmap import atlas: the Halcyon fixtures (bulk, search, lineage),
# idempotent re-import, provenance in dataset show, dry run, bad files.
$ cp -r "$SOVMAP_FIXTURES/atlas" .
# a dry run needs a catalog to compare with, and never creates one
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas atlas/entities-bulk.json --dry-run
! no such catalog
? 2
$ test ! -e c.db
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db init
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas atlas/entities-bulk.json atlas/search-basic.json atlas/lineage.json
> datasets: 14 new, 0 changed, 0 unchanged
> fields: 20 new; tags: 22 added, 0 removed; flows: 3 new, 0 not imported
> skipped 9 entities:
>   1 hive_db (database: its classifications are inherited by its tables)
>   5 hive_storagedesc (storage descriptor: its location places its table)
>   2 hive_process (process: carries no data; its inputs and outputs become etl flows)
>   1 spark_process (process: carries no data; its inputs and outputs become etl flows)
# the same files again change nothing, not even provenance times
$ SOVMAP_TODAY=2027-03-01 sovmap --catalog c.db import atlas atlas/entities-bulk.json atlas/search-basic.json atlas/lineage.json
~ ^datasets: 0 new, 0 changed, 14 unchanged$
~ ^fields: 0 new; tags: 0 added, 0 removed; flows: 0 new, 0 not imported$
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db dataset show loyalty_eu.member_summary
~ ^tier +restricted$
~ ^subjects +EU$
~ ^  tier=tier1  from atlas/entities-bulk.json  entity 9b8c7a0e-8e50-4d53-a021-cb2342aac12b \(propagated from c3e3ba35-9c8f-4bed-9f1f-5995732358de\)  at 2026-11-26T00:00:00Z$
~ ^  sovereignty=EU  from atlas/entities-bulk.json  entity 0ec7e542-af7f-4ff7-b922-dd2b0497ce20 \(database, inherited\)  at 2026-11-26T00:00:00Z$
~ aws:eu-west-1 \(IE\)  primary
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db dataset show loyalty_eu.members
~ ^    pii.email  from atlas/entities-bulk.json  entity aafa06e9-b936-490b-9aa4-f7d0bd0e6e0d  at 2026-11-26T00:00:00Z$
~ aws:eu-west-1 \(IE\)  primary
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db dataset show s3a://halcyon-backups-sa-east-1/crm/member_exports/
~ ^tier +restricted$
~ aws:sa-east-1 \(BR\)  primary
~ loyalty_eu.members@aws:eu-west-1 -> s3a://halcyon-backups-sa-east-1/crm/member_exports/@aws:sa-east-1  etl
# the EU-sovereign table feeds a copy in Brazil: the checker sees it
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db check
~ RES001  s3a://halcyon-backups-sa-east-1/crm/member_exports/ primary in
? 1
