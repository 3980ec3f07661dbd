# sovmap import glue: tables, databases, get-tags (needs --input or
# --resource-arn); regions from the bucket map, never from bucket names.
$ cp -r "$SOVMAP_DATA/../tests/fixtures/glue" . && SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db init -q
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import glue --map "$SOVMAP_DATA/../tests/fixtures/buckets.map.json" --region eu-west-1 glue/get-databases.json glue/get-tables.json glue/get-table.json
> datasets: 6 new, 0 changed, 0 unchanged
> fields: 29 new; tags: 0 added, 0 removed; flows: 0 new, 0 not imported
> skipped 5 entities:
>   5 glue database (no data of its own; resource links give their tables a region)
> 1 dataset without a region
> warning: rewards_eu.customer_rollup_v: no region (a view has no storage of its own); imported without a copy
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db dataset show rewards_eu.store_locations
~ aws:us-east-1 \(US\)  primary
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db dataset show logistics_apac.riders
~ aws:ap-southeast-1 \(SG\)  primary
# get-tags does not say which table it describes
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import glue glue/get-tags.json
! glue/get-tags.json: get-tags output does not say which resource it describes; give --input FILE (the call's --cli-input-json) or --resource-arn ARN
? 2
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import glue --input glue/get-tags.input.json glue/get-tags.json --diff
> ~ dataset rewards_eu.customers
>   ~ tier (none) -> restricted
>   + subjects EU
>   + tag sovereignty=EU  [arn:aws:glue:eu-west-1:210987654321:table/rewards_eu/customers]
>   + tag data-tier=tier1  [arn:aws:glue:eu-west-1:210987654321:table/rewards_eu/customers]
>   + tag pii  [arn:aws:glue:eu-west-1:210987654321:table/rewards_eu/customers]
>   + tag cost-center=CC-7720  [arn:aws:glue:eu-west-1:210987654321:table/rewards_eu/customers]
>   + tag owner-team=rewards-data  [arn:aws:glue:eu-west-1:210987654321:table/rewards_eu/customers]
> datasets: 0 new, 1 changed, 0 unchanged
> fields: 0 new; tags: 5 added, 0 removed; flows: 0 new, 0 not imported
$ SOVMAP_TODAY=2026-11-30 sovmap --catalog c.db import glue --resource-arn arn:aws:glue:eu-west-1:210987654321:table/rewards_eu/customers glue/get-tags.json
~ ^datasets: 0 new, 0 changed, 1 unchanged$
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import glue --resource-arn arn:aws:s3:::tidewater glue/get-tags.json
! is not a Glue table ARN
? 2
# without a bucket map or --region nothing is guessed
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db init -q && SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db import glue glue/get-tables.json
~ ^5 datasets without a region$
~ ^warning: rewards_eu.store_locations: no region \(bucket tidewater-store-directory is not in the mapping file and no --region was given\); imported without a copy$
# an unknown --region is a usage error, not a silent dataset without a copy
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import glue --region eu-west-9 glue/get-tables.json
! sovmap: --region eu-west-9: unknown region aws:eu-west-9; did you mean aws:eu-west-1?
? 2
