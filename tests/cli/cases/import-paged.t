# A page of a paged listing (a response with NextToken) says nothing about the
# entities on other pages: importing one page removes nothing those set
# (doc/import.md, "Merge rules" 2 and 3). Glue get-tables: the tables not on the
# page keep their properties and fields; search-tables-by-lf-tags: the tags
# get-resource-lf-tags set stay.
$ cp -r "$SOVMAP_DATA/../tests/fixtures/." . && python3 -c "import json; t=json.load(open('glue/get-tables.json')); t['TableList']=[x for x in t['TableList'] if x['Name']=='transactions']; t['NextToken']='eyJsYXN0RXZhbHVhdGVkS2V5Ijp7fX0='; json.dump(t, open('page.json','w')); s=json.load(open('lakeformation/search-tables-by-lf-tags.json')); s['TableList']=s['TableList'][:1]; s['NextToken']='abc'; json.dump(s, open('lfpage.json','w'))" && SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db init -q && echo ok
> ok
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db -q import glue --map buckets.map.json --region eu-west-1 glue/get-tables.json && SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db -q import lf-tags --input lakeformation/get-resource-lf-tags.input.json lakeformation/get-resource-lf-tags.json && sovmap --catalog c.db export model-json -o before.json && grep -c '"key": ' before.json
> 33
$ SOVMAP_TODAY=2026-11-27 sovmap --catalog c.db import glue --diff --map buckets.map.json --region eu-west-1 page.json && SOVMAP_TODAY=2026-11-27 sovmap --catalog c.db import lf-tags --diff --region eu-west-1 lfpage.json && sovmap --catalog c.db export model-json | cmp - before.json && echo same
> datasets: 0 new, 0 changed, 1 unchanged
> fields: 0 new; tags: 0 added, 0 removed; flows: 0 new, 0 not imported
> datasets: 0 new, 0 changed, 1 unchanged
> fields: 0 new; tags: 0 added, 0 removed; flows: 0 new, 0 not imported
> same
