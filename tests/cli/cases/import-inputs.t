# Inputs the importers must not misread (issue 17): encodings, one --input for
# several get-tags files, non-S3 locations, resource links, "Tier1".
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db init -q && printf '\357\273\277{"TableList": []}' > bom.json && printf '\377\376{\000}\000' > u16.json && printf '{"TableList": []}\000' > nul.json
$ sovmap --catalog c.db import glue bom.json
! bom.json: starts with a UTF-8 byte order mark (EF BB BF); save it as UTF-8 without a BOM
? 2
$ sovmap --catalog c.db import glue u16.json
! u16.json: UTF-16 text (byte order mark FF FE); convert it to UTF-8
? 2
$ sovmap --catalog c.db import glue nul.json
! nul.json: a NUL byte at offset 17; JSON text has none
? 2
$ sovmap --catalog c.db import glue --input bom.json nul.json
! nul.json: a NUL byte at offset 17
? 2
# one --input (one resource) for two get-tags files: refused, not applied to both
$ printf '{"Tags": {"data-tier": " Tier1 "}}' > t1.json && printf '{"Tags": {"sovereignty": "eu"}}' > t2.json && printf '{"ResourceArn": "arn:aws:glue:eu-west-1:210987654321:table/shop/orders"}' > in.json
$ sovmap --catalog c.db import glue --input in.json t1.json t2.json
! --input names one resource but 2 get-tags files were given; import each with its own
? 2
# " Tier1 " maps like tier1, and its tag is normalised
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import glue --input in.json t1.json --diff
> + dataset shop.orders
>   + tier restricted
>   + tag data-tier=tier1  [arn:aws:glue:eu-west-1:210987654321:table/shop/orders]
>   + primary aws:eu-west-1 (the ARN's region (the catalog's))
> datasets: 1 new, 0 changed, 0 unchanged
> fields: 0 new; tags: 1 added, 0 removed; flows: 0 new, 0 not imported
? 0
# a location outside S3 gets no --region; a resource link keeps its own name
$ printf '{"TableList": [{"Name": "t1", "DatabaseName": "spark", "StorageDescriptor": {"Location": "file:/spark-warehouse/t1"}}, {"Name": "orders_link", "DatabaseName": "shop_link", "TargetTable": {"CatalogId": "509876543210", "DatabaseName": "shop", "Name": "orders", "Region": "sa-east-1"}}]}' > tables.json
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import glue --region eu-west-1 tables.json
~ ^datasets: 2 new, 0 changed, 0 unchanged$
~ ^warning: spark.t1: no region \(its location file:/spark-warehouse/t1 is not in S3, so the catalog's region does not place it\); imported without a copy$
$ sovmap --catalog c.db dataset show shop_link.orders_link
~ aws:sa-east-1
