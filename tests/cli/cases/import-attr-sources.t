# Every attribute remembers which source set it (doc/import.md, Merge rules 5):
# dataset show prints it, model-json carries it, the precedence reads it.
$ cp -r "$SOVMAP_DATA/../tests/fixtures/." . && printf '%s\n' 'A="import atlas atlas/entities-bulk.json"' 'G="import glue --map buckets.map.json --region eu-west-1 glue/get-tables.json glue/get-databases.json"' > lib.sh && for c in ag ga; do SOVMAP_TODAY=2026-11-26 sovmap --catalog $c.db init -q; done
# Atlas (the 26th) then Glue (the 27th): the entity-bulk's owner, tier and column
# types stay; Glue fills the description and the column Atlas does not name
$ . ./lib.sh && SOVMAP_TODAY=2026-11-26 sovmap --catalog ag.db -q $A && SOVMAP_TODAY=2026-11-27 sovmap --catalog ag.db $G | grep -c '^conflict: ' && sovmap --catalog ag.db dataset show rewards_eu.customers | sed -n '/^sources/,/^copies/p'
> 3
> sources
>   owner  from atlas/entities-bulk.json  entity 3a3a965d-e8f1-5569-af40-480582c7495c  at 2026-11-26T00:00:00Z
>   description  from glue/get-tables.json  entity glue:210987654321/rewards_eu/customers  at 2026-11-27T00:00:00Z
>   tier  from atlas/entities-bulk.json  entity 3a3a965d-e8f1-5569-af40-480582c7495c  at 2026-11-26T00:00:00Z
>   field country_code type  from atlas/entities-bulk.json  entity c086cf63-a20c-55a8-a5ee-97cce617a806  at 2026-11-26T00:00:00Z
>   field credit_card type  from atlas/entities-bulk.json  entity 105edec7-f146-5c16-af1b-f97ed7686bcf  at 2026-11-26T00:00:00Z
>   field credit_card comment  from atlas/entities-bulk.json  entity 105edec7-f146-5c16-af1b-f97ed7686bcf  at 2026-11-26T00:00:00Z
>   field customer_id type  from atlas/entities-bulk.json  entity 6858e78b-f140-5758-b756-ceb736b386ac  at 2026-11-26T00:00:00Z
>   field date_of_birth type  from glue/get-tables.json  entity glue:210987654321/rewards_eu/customers  at 2026-11-27T00:00:00Z
>   field email type  from atlas/entities-bulk.json  entity 57c2cf60-28ea-5a77-a3b6-60968f5f8703  at 2026-11-26T00:00:00Z
>   field email comment  from atlas/entities-bulk.json  entity 57c2cf60-28ea-5a77-a3b6-60968f5f8703  at 2026-11-26T00:00:00Z
>   field full_name type  from atlas/entities-bulk.json  entity 701ce936-501a-5fcd-9719-aa3f4b9f45cc  at 2026-11-26T00:00:00Z
>   field joined_month type  from atlas/entities-bulk.json  entity ba250f6b-a54d-54bf-86e8-b257bcd8911a  at 2026-11-26T00:00:00Z
> copies
# the reverse order: the entity-bulk takes over what Glue set (a higher source),
# and confirms the column types Glue gave with its own provenance
$ . ./lib.sh && SOVMAP_TODAY=2026-11-27 sovmap --catalog ga.db -q $G 2>/dev/null; SOVMAP_TODAY=2026-11-26 sovmap --catalog ga.db $A --diff | sed -n '/^~ dataset rewards_eu.customers$/,/^~ dataset rewards_eu.customer_rollup$/p' | grep -E '^~|owner|field (customer_id|email)'
> ~ dataset rewards_eu.customers
>   ~ owner "owner" -> "rewards_etl"
>   ~ field customer_id type  [6858e78b-f140-5758-b756-ceb736b386ac]
>   ~ field email type  [57c2cf60-28ea-5a77-a3b6-60968f5f8703]
>   ~ field email comment "" -> "customer contact e-mail"
> ~ dataset rewards_eu.customer_rollup
# ... and the same catalog, provenance included, byte for byte
$ sovmap --catalog ag.db export model-json -o ag.json && sovmap --catalog ga.db export model-json | cmp - ag.json && echo same && grep -c '"sources"' ag.json
> same
> 45
# the json of dataset show: "sources" on the dataset and on each field that has some
$ sovmap --catalog ga.db dataset show rewards_eu.customers --format json | grep -o '"sources":{"owner":{[^}]*}'
> "sources":{"owner":{"source":"atlas/entities-bulk.json","entity":"3a3a965d-e8f1-5569-af40-480582c7495c","time":"2026-11-26T00:00:00Z"}
# both again: nothing written, whatever the order
$ . ./lib.sh && n=$(sovmap --catalog ga.db log --format json --limit 0 | grep -c '"id":') && SOVMAP_TODAY=2026-11-28 sovmap --catalog ga.db $G 2>/dev/null | grep '^datasets' && SOVMAP_TODAY=2026-11-28 sovmap --catalog ga.db $A | grep '^datasets' && test "$(sovmap --catalog ga.db log --format json --limit 0 | grep -c '"id":')" = "$n" && echo none
> datasets: 0 new, 0 changed, 5 unchanged
> datasets: 0 new, 0 changed, 14 unchanged
> none
# model-json round trip keeps them; import model makes the rest a person's
$ sovmap --catalog rt.db import model ag.json > /dev/null && sovmap --catalog rt.db export model-json | cmp - ag.json && echo same
> same
# a person overrides the owner and the tier: the nightly import keeps them and says so
# once a run, and writes nothing
$ cp ag.db m.db && SOVMAP_TODAY=2026-11-28 sovmap --catalog m.db -q dataset edit rewards_eu.customers --owner "Ana Lima" --tier confidential && sovmap --catalog m.db dataset show rewards_eu.customers | sed -n '/^sources/,/^  tier/p'
> sources
>   owner  typed
>   description  from glue/get-tables.json  entity glue:210987654321/rewards_eu/customers  at 2026-11-27T00:00:00Z
>   tier  typed
$ . ./lib.sh && SOVMAP_TODAY=2026-11-29 sovmap --catalog m.db $A | grep -E '^(datasets|conflict)'
> datasets: 0 new, 0 changed, 14 unchanged
> conflict: rewards_eu.customers: owner "rewards_etl" (atlas, atlas/entities-bulk.json) differs from the catalog's "Ana Lima", which a person set; kept the catalog's
> conflict: rewards_eu.customers: tier restricted (atlas, atlas/entities-bulk.json) differs from the catalog's confidential, which a person set; kept the catalog's
$ sovmap --catalog m.db dataset show rewards_eu.customers | grep -E '^(tier|owner) '
> tier                 confidential
> owner                Ana Lima
# the owner cleared by hand: its source is unknown again, and the next import sets it
$ SOVMAP_TODAY=2026-11-29 sovmap --catalog m.db -q dataset edit rewards_eu.customers --owner "" && sovmap --catalog m.db dataset show rewards_eu.customers | sed -n '/^sources/,/^  tier/p' | head -2; . ./lib.sh && SOVMAP_TODAY=2026-11-30 sovmap --catalog m.db $A --diff | grep -E '^  ~ owner'
> sources
>   description  from glue/get-tables.json  entity glue:210987654321/rewards_eu/customers  at 2026-11-27T00:00:00Z
>   ~ owner "" -> "rewards_etl"
# a catalog of schema 5 (no attr_source) migrates with no sources (unknown): show
# has none, the dataset's authority still decides, and the first import records
# the sources of what it agrees with (once: the next run writes nothing)
$ cp ag.db old.db && sqlite3 old.db "DROP TABLE attr_source; DELETE FROM meta WHERE key = 'snapshot'; PRAGMA user_version = 5" && sovmap --catalog old.db dataset show rewards_eu.customers | grep -c '^sources'; sqlite3 old.db "PRAGMA user_version; SELECT count(*) FROM attr_source"
> 0
> 6
> 0
$ . ./lib.sh && SOVMAP_TODAY=2026-12-01 sovmap --catalog old.db $A --diff | sed -n '/^~ dataset rewards_eu.customers$/,/^  ~ field customer_id/p'; SOVMAP_TODAY=2026-12-02 sovmap --catalog old.db $A | grep '^datasets'; sovmap --catalog old.db dataset show rewards_eu.customers | grep -E '^  owner '
> ~ dataset rewards_eu.customers
>   ~ owner  [3a3a965d-e8f1-5569-af40-480582c7495c]
>   ~ tier  [3a3a965d-e8f1-5569-af40-480582c7495c]
>   ~ field customer_id type  [6858e78b-f140-5758-b756-ceb736b386ac]
> datasets: 0 new, 0 changed, 14 unchanged
>   owner  from atlas/entities-bulk.json  entity 3a3a965d-e8f1-5569-af40-480582c7495c  at 2026-12-01T00:00:00Z
# a catalog without imports writes no "sources" in model-json
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog h.db -q dataset add orders --owner ana --tier public && sovmap --catalog h.db export model-json | grep -c '"sources"'
> 0
? 1
