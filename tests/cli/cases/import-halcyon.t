# The Halcyon fixtures from Atlas, Glue and Lake Formation into one catalog,
# then the checker: the fixtures README's conclusions, with provenance.
$ cp -r "$SOVMAP_FIXTURES/atlas" "$SOVMAP_FIXTURES/glue" "$SOVMAP_FIXTURES/lakeformation" . && cp "$SOVMAP_DATA/../tests/cli/cases/import-halcyon.map.json" map.json && SOVMAP_TODAY=2026-11-26 sovmap -q --catalog h.db init
$ SOVMAP_TODAY=2026-11-26 sovmap -q --catalog h.db import atlas atlas/entities-bulk.json atlas/search-basic.json atlas/lineage.json
$ SOVMAP_TODAY=2026-11-26 sovmap -q --catalog h.db import glue --map map.json --region eu-west-1 glue/get-databases.json glue/get-tables.json
$ SOVMAP_TODAY=2026-11-26 sovmap -q --catalog h.db import glue --map map.json glue/get-table.json
$ SOVMAP_TODAY=2026-11-26 sovmap -q --catalog h.db import glue --input glue/get-tags.input.json glue/get-tags.json
$ SOVMAP_TODAY=2026-11-26 sovmap -q --catalog h.db import lf-tags --input lakeformation/get-resource-lf-tags.input.json lakeformation/get-resource-lf-tags.json
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog h.db dataset show loyalty_eu.members
~ ^tier +restricted$
~ ^subjects +EU$
~ ^    pii.email  from atlas/entities-bulk.json  entity aafa06e9-b936-490b-9aa4-f7d0bd0e6e0d  at 2026-11-26T00:00:00Z$
~ ^  date_of_birth$
~ ^    pii  from lakeformation/get-resource-lf-tags.json  entity lf:111122223333/loyalty_eu/members  at 2026-11-26T00:00:00Z$
~ ^  data-tier=tier1  from glue/get-tags.json  entity arn:aws:glue:eu-west-1:111122223333:table/loyalty_eu/members  at 2026-11-26T00:00:00Z$
~ ^  aws:eu-west-1 \(IE\)  primary
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog h.db dataset show loyalty_us.members
~ ^subjects +US$
~ ^  aws:us-east-1 \(US\)  primary
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog h.db dataset show fleet_eu.telemetry_raw
~ ^tier +confidential$
~ ^  aws:eu-central-1 \(DE\)  primary
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog h.db dataset show fleet_apac.drivers
~ ^    pii.national_id  from atlas/entities-bulk.json
~ ^  aws:ap-southeast-1 \(SG\)  primary
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog h.db dataset show loyalty_eu.stores_ref
~ ^  aws:us-east-1 \(US\)  primary
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog h.db dataset show s3a://halcyon-backups-sa-east-1
~ ^tier +public$
# the EU members table feeds a restricted copy in Brazil, seen only through lineage
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog h.db check
~ ^  RES001  s3a://halcyon-backups-sa-east-1/crm/member_exports/ primary in$
~ ^  ENC003  flow$
~ ^  CLS001  dataset loyalty_eu.member_summary_v has no tier$
? 1
