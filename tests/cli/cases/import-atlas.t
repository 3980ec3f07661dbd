# sovmap import atlas: the Tidewater fixtures (bulk, search, lineage),
# idempotent re-import, provenance in dataset show, dry run, bad files.
$ cp -r "$SOVMAP_DATA/../tests/fixtures/atlas" .
# a dry run needs a catalog to compare with, and never creates one
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas atlas/entities-bulk.json --dry-run
! no such catalog
? 2
$ test ! -e c.db
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db init
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas atlas/entities-bulk.json atlas/search-basic.json atlas/lineage.json
> datasets: 14 new, 0 changed, 0 unchanged
> fields: 22 new; tags: 22 added, 0 removed; flows: 3 new, 0 not imported
> skipped 9 entities:
>   1 hive_db (database: its classifications are inherited by its tables)
>   5 hive_storagedesc (storage descriptor: its location places its table)
>   2 hive_process (process: carries no data; its inputs and outputs become etl flows)
>   1 spark_process (process: carries no data; its inputs and outputs become etl flows)
# the same files again change nothing, not even provenance times
$ SOVMAP_TODAY=2027-03-01 sovmap --catalog c.db import atlas atlas/entities-bulk.json atlas/search-basic.json atlas/lineage.json
~ ^datasets: 0 new, 0 changed, 14 unchanged$
~ ^fields: 0 new; tags: 0 added, 0 removed; flows: 0 new, 0 not imported$
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db dataset show rewards_eu.customer_rollup
~ ^tier +restricted$
~ ^subjects +EU$
~ ^  tier=tier1  from atlas/entities-bulk.json  entity 43e52b35-e76c-5c30-ba84-3b1233e727dd \(propagated from 3a3a965d-e8f1-5569-af40-480582c7495c\)  at 2026-11-26T00:00:00Z$
~ ^  sovereignty=EU  from atlas/entities-bulk.json  entity e2b162a9-a621-5442-a2ad-fd0fea0ea335 \(database, inherited\)  at 2026-11-26T00:00:00Z$
~ aws:eu-west-1 \(IE\)  primary
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db dataset show rewards_eu.customers
~ ^    pii.email  from atlas/entities-bulk.json  entity 57c2cf60-28ea-5a77-a3b6-60968f5f8703  at 2026-11-26T00:00:00Z$
~ aws:eu-west-1 \(IE\)  primary
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db dataset show s3a://tidewater-vault-sa-east-1/crm/customer_exports/
~ ^tier +restricted$
~ aws:sa-east-1 \(BR\)  primary
~ rewards_eu.customers@aws:eu-west-1 -> s3a://tidewater-vault-sa-east-1/crm/customer_exports/@aws:sa-east-1  etl
# the EU-sovereign table feeds a copy in Brazil: the checker sees it
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db check
~ RES001  s3a://tidewater-vault-sa-east-1/crm/customer_exports/ primary in
? 1
