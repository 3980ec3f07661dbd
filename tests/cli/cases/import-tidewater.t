# The Tidewater fixtures from Atlas, Glue and Lake Formation into one catalog,
# then the checker: the fixtures README's conclusions, with provenance.
$ cp -r "$SOVMAP_DATA/../tests/fixtures/atlas" "$SOVMAP_DATA/../tests/fixtures/glue" "$SOVMAP_DATA/../tests/fixtures/lakeformation" . && cp "$SOVMAP_DATA/../tests/fixtures/buckets.map.json" map.json && SOVMAP_TODAY=2026-11-26 sovmap -q --catalog h.db init
$ SOVMAP_TODAY=2026-11-26 sovmap -q --catalog h.db import atlas atlas/entities-bulk.json atlas/search-basic.json atlas/lineage.json
$ SOVMAP_TODAY=2026-11-26 sovmap -q --catalog h.db import glue --map map.json --region eu-west-1 glue/get-databases.json glue/get-tables.json
$ SOVMAP_TODAY=2026-11-26 sovmap -q --catalog h.db import glue --map map.json glue/get-table.json
$ SOVMAP_TODAY=2026-11-26 sovmap -q --catalog h.db import glue --input glue/get-tags.input.json glue/get-tags.json
$ SOVMAP_TODAY=2026-11-26 sovmap -q --catalog h.db import lf-tags --input lakeformation/get-resource-lf-tags.input.json lakeformation/get-resource-lf-tags.json
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog h.db dataset show rewards_eu.customers
~ ^tier +restricted$
~ ^subjects +EU$
~ ^    pii.email  from atlas/entities-bulk.json  entity 57c2cf60-28ea-5a77-a3b6-60968f5f8703  at 2026-11-26T00:00:00Z$
~ ^  date_of_birth  type date$
~ ^    pii  from lakeformation/get-resource-lf-tags.json  entity lf:210987654321/rewards_eu/customers  at 2026-11-26T00:00:00Z$
~ ^  data-tier=tier1  from glue/get-tags.json  entity arn:aws:glue:eu-west-1:210987654321:table/rewards_eu/customers  at 2026-11-26T00:00:00Z$
~ ^  aws:eu-west-1 \(IE\)  primary
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog h.db dataset show rewards_us.customers
~ ^subjects +US$
~ ^  aws:us-east-1 \(US\)  primary
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog h.db dataset show logistics_eu.gps_raw
~ ^tier +confidential$
~ ^  aws:eu-central-1 \(DE\)  primary
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog h.db dataset show logistics_apac.riders
~ ^    pii.national_id  from atlas/entities-bulk.json
~ ^  aws:ap-southeast-1 \(SG\)  primary
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog h.db dataset show rewards_eu.store_locations
~ ^  aws:us-east-1 \(US\)  primary
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog h.db dataset show s3a://tidewater-vault-sa-east-1
~ ^tier +public$
# the EU customers table feeds a restricted copy in Brazil, seen only through lineage
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog h.db check
~ ^  RES001  s3a://tidewater-vault-sa-east-1/crm/customer_exports/ primary in$
~ ^  ENC003  flow$
~ ^  CLS001  dataset rewards_eu.customer_rollup_v has no tier$
? 1
