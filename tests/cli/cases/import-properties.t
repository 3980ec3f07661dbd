# What the catalog tools keep beyond tags, kept as dataset properties
# (doc/import.md, "Properties"): Glue table Parameters, Atlas
# customAttributes and labels, a Glue resource link's target; with the
# tags' provenance and merge rules.
$ cp -r "$SOVMAP_DATA/../tests/fixtures/glue" "$SOVMAP_DATA/../tests/fixtures/atlas" . && sovmap --catalog c.db init -q
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas atlas/entity-custom-attributes.json --diff
> + dataset rewards_eu.customers
>   + property steward = Ana Lindqvist  [3a3a965d-e8f1-5569-af40-480582c7495c]
>   + property retention_class = R7  [3a3a965d-e8f1-5569-af40-480582c7495c]
>   + property classification = parquet  [3a3a965d-e8f1-5569-af40-480582c7495c]
>   + property label:gdpr-art30 =   [3a3a965d-e8f1-5569-af40-480582c7495c]
>   + property label:loyalty =   [3a3a965d-e8f1-5569-af40-480582c7495c]
> datasets: 1 new, 0 changed, 0 unchanged
> fields: 0 new; tags: 0 added, 0 removed; flows: 0 new, 0 not imported
> 1 dataset without a region
> warning: rewards_eu.customers: no region (no storage location in the export); imported without a copy
# Glue adds its Parameters; the same key with the same value from Glue (a
# lower source for what Atlas knows) changes nothing: classification stays Atlas's
$ SOVMAP_TODAY=2026-11-27 sovmap --catalog c.db -q import glue --map "$SOVMAP_DATA/../tests/fixtures/buckets.map.json" --region eu-west-1 glue/get-databases.json glue/get-tables.json glue/get-table-link.json 2>/dev/null; sovmap --catalog c.db dataset show rewards_eu.customers | sed -n '/^properties/,/^sources/p'
> properties
>   CrawlerSchemaDeserializerVersion = 1.0  from glue/get-tables.json  entity glue:210987654321/rewards_eu/customers  at 2026-11-27T00:00:00Z
>   CrawlerSchemaSerializerVersion = 1.0  from glue/get-tables.json  entity glue:210987654321/rewards_eu/customers  at 2026-11-27T00:00:00Z
>   UPDATED_BY_CRAWLER = rewards-eu-crawler  from glue/get-tables.json  entity glue:210987654321/rewards_eu/customers  at 2026-11-27T00:00:00Z
>   averageRecordSize = 131  from glue/get-tables.json  entity glue:210987654321/rewards_eu/customers  at 2026-11-27T00:00:00Z
>   classification = parquet  from atlas/entity-custom-attributes.json  entity 3a3a965d-e8f1-5569-af40-480582c7495c  at 2026-11-26T00:00:00Z
>   compressionType = none  from glue/get-tables.json  entity glue:210987654321/rewards_eu/customers  at 2026-11-27T00:00:00Z
>   label:gdpr-art30 =   from atlas/entity-custom-attributes.json  entity 3a3a965d-e8f1-5569-af40-480582c7495c  at 2026-11-26T00:00:00Z
>   label:loyalty =   from atlas/entity-custom-attributes.json  entity 3a3a965d-e8f1-5569-af40-480582c7495c  at 2026-11-26T00:00:00Z
>   objectCount = 31  from glue/get-tables.json  entity glue:210987654321/rewards_eu/customers  at 2026-11-27T00:00:00Z
>   recordCount = 2406118  from glue/get-tables.json  entity glue:210987654321/rewards_eu/customers  at 2026-11-27T00:00:00Z
>   retention_class = R7  from atlas/entity-custom-attributes.json  entity 3a3a965d-e8f1-5569-af40-480582c7495c  at 2026-11-26T00:00:00Z
>   sizeKey = 316201442  from glue/get-tables.json  entity glue:210987654321/rewards_eu/customers  at 2026-11-27T00:00:00Z
>   steward = Ana Lindqvist  from atlas/entity-custom-attributes.json  entity 3a3a965d-e8f1-5569-af40-480582c7495c  at 2026-11-26T00:00:00Z
>   typeOfData = file  from glue/get-tables.json  entity glue:210987654321/rewards_eu/customers  at 2026-11-27T00:00:00Z
> sources
# a resource link keeps its own name; its target is a property, its copy is where the target is
$ sovmap --catalog c.db dataset show analytics_eu.customers_shared --format json | grep -E '"properties"|"selector"'
>  "properties":[{"key":"resource-link-target","value":"210987654321/rewards_eu/customers","source":"glue/get-table-link.json","entity":"glue:123456789012/analytics_eu/customers_shared","time":"2026-11-27T00:00:00Z"}],
>  "placements":[{"selector":"analytics_eu.customers_shared@aws:eu-west-1","region":"aws:eu-west-1","role":"primary","encrypted":false,"key-region":"","mechanism":"","mechanism-ref":""}],
# the same files again write nothing, in either order
$ SOVMAP_TODAY=2026-11-28 sovmap --catalog c.db import glue --map "$SOVMAP_DATA/../tests/fixtures/buckets.map.json" --region eu-west-1 glue/get-databases.json glue/get-tables.json glue/get-table-link.json 2>/dev/null | head -1; SOVMAP_TODAY=2026-11-28 sovmap --catalog c.db import atlas atlas/entity-custom-attributes.json 2>/dev/null | head -1; sovmap --catalog c.db log | grep -c import
> datasets: 0 new, 0 changed, 6 unchanged
> datasets: 0 new, 0 changed, 1 unchanged
> 2
# Atlas drops a label and changes a custom attribute: only what that entity
# set is removed or changed; Glue's Parameters stay
$ sed -e 's/, "loyalty"//' -e 's/"R7"/"R10"/' atlas/entity-custom-attributes.json > changed.json && SOVMAP_TODAY=2026-11-29 sovmap --catalog c.db import atlas changed.json --diff 2>/dev/null | head -4; sovmap --catalog c.db dataset show rewards_eu.customers | grep -c ' = .*entity glue:'
> ~ dataset rewards_eu.customers
>   ~ property retention_class "R7" -> "R10"  [3a3a965d-e8f1-5569-af40-480582c7495c]
>   - property label:loyalty  [3a3a965d-e8f1-5569-af40-480582c7495c]
> datasets: 0 new, 1 changed, 0 unchanged
> 9
# Glue disagreeing with what Atlas set is a conflict, once; Atlas's value stays
$ sed 's/"classification": "parquet"/"classification": "orc"/' glue/get-tables.json > t2.json && SOVMAP_TODAY=2026-11-30 sovmap --catalog c.db import glue --map "$SOVMAP_DATA/../tests/fixtures/buckets.map.json" --region eu-west-1 t2.json 2>/dev/null | grep -c 'property classification "orc"'; sovmap --catalog c.db dataset show rewards_eu.customers | grep '^  classification'
> 1
>   classification = parquet  from atlas/entity-custom-attributes.json  entity 3a3a965d-e8f1-5569-af40-480582c7495c  at 2026-11-26T00:00:00Z
# model-json carries them (key order) and reads them back: the round trip is byte-identical
$ sovmap --catalog c.db export model-json -o m.json && grep -c '"properties"' m.json && sovmap --catalog d.db import model m.json -q && sovmap --catalog d.db export model-json | cmp - m.json && echo same
> 6
> same
$ sovmap --catalog d.db dataset show rewards_eu.customers | grep -c ' = '
> 13
# a property given twice in model-json is refused
$ python3 -c "import json;m=json.load(open('m.json'));d=[x for x in m['datasets'] if x.get('properties')][0];d['properties'].append(d['properties'][0]);json.dump(m,open('bad.json','w'))" && sovmap --catalog e.db import model bad.json
! is given twice
? 2
# a schema 3 catalog gets the prop table (schema 4) and tag.expired (5) on its first open
$ sovmap --catalog v3.db init -q && sovmap --catalog v3.db -q dataset add orders && sqlite3 v3.db "DROP TABLE prop; ALTER TABLE field DROP COLUMN type; ALTER TABLE field DROP COLUMN comment; ALTER TABLE tag DROP COLUMN expired; DROP TABLE attr_source; PRAGMA user_version=3" && sovmap --catalog v3.db dataset show orders | grep -c '^dataset' ; sqlite3 v3.db "PRAGMA user_version; SELECT count(*) FROM prop"
> 1
> 6
> 0
