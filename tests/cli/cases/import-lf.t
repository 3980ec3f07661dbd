# sovmap import lf-tags: effective tags, database -> table -> column,
# most specific wins, nothing counted twice.
$ cp -r "$SOVMAP_DATA/../tests/fixtures/lakeformation" . && SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db init -q
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import lf-tags lakeformation/get-resource-lf-tags.json
! get-resource-lf-tags output does not say which table it describes; give --input FILE
? 2
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import lf-tags --input lakeformation/get-resource-lf-tags.input.json lakeformation/get-resource-lf-tags.json lakeformation/search-tables-by-lf-tags.json --region eu-west-1
> datasets: 3 new, 0 changed, 0 unchanged
> fields: 18 new; tags: 20 added, 0 removed; flows: 0 new, 0 not imported
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db dataset show rewards_eu.customers
~ ^tier +restricted$
~ ^subjects +EU$
~ ^system +rewards$
~ ^  sovereignty=EU  from lakeformation/get-resource-lf-tags.json  entity lf:210987654321/rewards_eu \(database, inherited\)  at 2026-11-26T00:00:00Z$
~ ^  date_of_birth$
~ ^    pii  from lakeformation/get-resource-lf-tags.json  entity lf:210987654321/rewards_eu/customers  at 2026-11-26T00:00:00Z$
~ ^    financial.pci  from lakeformation/get-resource-lf-tags.json
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db dataset show rewards_archive.customers_2021
~ ^tier +public$
~ ^  pii  from lakeformation/search-tables-by-lf-tags.json  entity lf:210987654321/rewards_archive/customers_2021
$ SOVMAP_TODAY=2026-12-01 sovmap --catalog c.db import lf-tags --input lakeformation/get-resource-lf-tags.input.json lakeformation/get-resource-lf-tags.json lakeformation/search-tables-by-lf-tags.json --region eu-west-1
~ ^datasets: 0 new, 0 changed, 3 unchanged$
~ ^fields: 0 new; tags: 0 added, 0 removed; flows: 0 new, 0 not imported$
