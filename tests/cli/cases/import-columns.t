# Column types and comments are kept as field attributes (Glue Columns
# Type/Comment, Atlas column attributes type/comment): the authority for
# the dataset sets them, another source only fills an empty one, and a
# disagreement is a conflict reported once (doc/import.md, "Fields").
$ cp -r "$SOVMAP_DATA/../tests/fixtures/glue" "$SOVMAP_DATA/../tests/fixtures/atlas" . && sovmap --catalog c.db init -q
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db -q import atlas atlas/entities-bulk.json 2>/dev/null; sovmap --catalog c.db dataset show rewards_eu.customers | grep -E '^  (customer_id|email|credit_card) '
# (an import leaves a dataset's fields in name order)
>   credit_card  type string  comment PAN, tokenised at rest
>   customer_id  type string
>   email  type string  comment customer contact e-mail
# Glue fills the fields Atlas does not know (date_of_birth) and keeps Atlas's where they disagree
$ SOVMAP_TODAY=2026-11-27 sovmap --catalog c.db import glue --map "$SOVMAP_DATA/../tests/fixtures/buckets.map.json" --region eu-west-1 glue/get-tables.json > first.out 2>&1; grep -c 'field customer_count: type "bigint"' first.out; sovmap --catalog c.db dataset show rewards_eu.customers | grep -E '^  date_of_birth '; sovmap --catalog c.db dataset show rewards_eu.customer_rollup | grep -E '^  customer_count '
> 1
>   date_of_birth  type date
>   customer_count  type string
# Glue alone types the same column bigint: Glue is the authority for a dataset Atlas does not know
$ SOVMAP_TODAY=2026-11-27 sovmap --catalog g.db init -q && SOVMAP_TODAY=2026-11-27 sovmap --catalog g.db -q import glue --map "$SOVMAP_DATA/../tests/fixtures/buckets.map.json" --region eu-west-1 glue/get-tables.json 2>/dev/null; sovmap --catalog g.db dataset show rewards_eu.customer_rollup --format json | grep -o '{"name":"customer_count","type":"bigint"[^}]*}'
> {"name":"customer_count","type":"bigint","tags":[],"sources":{"type":{"source":"glue/get-tables.json","entity":"glue:210987654321/rewards_eu/customer_rollup","time":"2026-11-27T00:00:00Z"}
# a changed comment in the authority's export updates the field in place, with a diff line
$ sed 's/"customer contact e-mail"/"contact address, verified"/' atlas/entities-bulk.json > b2.json && SOVMAP_TODAY=2026-11-28 sovmap --catalog c.db import atlas b2.json --diff 2>/dev/null | grep -E 'field email|^datasets'
>   ~ field email comment "customer contact e-mail" -> "contact address, verified"
> datasets: 0 new, 1 changed, 13 unchanged
# the same files again write nothing
$ SOVMAP_TODAY=2026-11-29 sovmap --catalog c.db import atlas b2.json 2>/dev/null | head -1; SOVMAP_TODAY=2026-11-29 sovmap --catalog c.db import glue --map "$SOVMAP_DATA/../tests/fixtures/buckets.map.json" --region eu-west-1 glue/get-tables.json 2>/dev/null | head -1
> datasets: 0 new, 0 changed, 14 unchanged
> datasets: 0 new, 0 changed, 5 unchanged
# model-json carries them (only when given) and reads them back byte for byte
$ sovmap --catalog c.db export model-json -o m.json && grep -c '"comment": "PAN, tokenised at rest"' m.json && sovmap --catalog d.db import model m.json -q && sovmap --catalog d.db export model-json | cmp - m.json && echo same
> 1
> same
$ printf '{"sovmap":1,"datasets":[{"name":"t","fields":[{"name":"a","type":7}]}]}' > bad.json && sovmap --catalog e.db import model bad.json
! type
? 2
