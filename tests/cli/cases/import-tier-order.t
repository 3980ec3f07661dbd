# Two sources that classify the same dataset at different tiers (Atlas tier1,
# a Glue resource tag data-tier=tier3): the higher tier wins whatever the order
# of the imports (doc/import.md, Merge rules 7), another source never lowers it
# (a conflict line, each run), and the nightly pipeline run again writes
# nothing: no tier ping-pong between the two files.
$ printf '%s' '{"entities":[{"guid":"g1","typeName":"hive_table","status":"ACTIVE","attributes":{"qualifiedName":"db.t@cl","name":"t"},"classifications":[{"typeName":"tier1","entityGuid":"g1"}]}]}' > a.json && printf '%s' '{"Tags":{"data-tier":"tier3"}}' > g.json && printf '%s\n' 'ARN=arn:aws:glue:eu-west-1:1:table/db/t' 'at() { sovmap --catalog $1 import atlas a.json; }' 'gl() { sovmap --catalog $1 import glue g.json --resource-arn $ARN --region eu-west-1; }' 'tier() { sovmap --catalog $1 dataset show db.t | grep "^tier"; }' > lib.sh && SOVMAP_NOW=2026-11-26T00:00:00Z sovmap --catalog ag.db init -q && SOVMAP_NOW=2026-11-26T00:00:00Z sovmap --catalog ga.db init -q && echo ok
> ok
# Atlas then Glue: Glue's lower tier is a conflict, the catalog keeps restricted
$ . ./lib.sh && export SOVMAP_NOW=2026-11-26T00:00:00Z && at ag.db > /dev/null && gl ag.db | grep -v '^warning'; tier ag.db
> datasets: 0 new, 1 changed, 0 unchanged
> fields: 0 new; tags: 1 added, 0 removed; flows: 0 new, 0 not imported
> conflict: db.t: tier public (glue, g.json) is below the catalog's restricted, which a.json set (g1); kept the higher
> tier                 restricted
# Glue then Atlas: Atlas raises it
$ . ./lib.sh && export SOVMAP_NOW=2026-11-26T00:00:00Z && gl ga.db > /dev/null; tier ga.db; at ga.db | grep -v '^warning' | head -1; tier ga.db
> tier                 public
> datasets: 0 new, 1 changed, 0 unchanged
> tier                 restricted
# the second night, either order: nothing written, the same tier and model
$ . ./lib.sh && export SOVMAP_NOW=2026-11-27T00:00:00Z && n0=$(sqlite3 ag.db "SELECT count(*) FROM audit") && at ag.db | grep changed; gl ag.db | grep changed; gl ga.db | grep changed; at ga.db | grep changed; echo $(( $(sqlite3 ag.db "SELECT count(*) FROM audit") - n0 )); tier ag.db; tier ga.db
> datasets: 0 new, 0 changed, 1 unchanged
> datasets: 0 new, 0 changed, 1 unchanged
> datasets: 0 new, 0 changed, 1 unchanged
> datasets: 0 new, 0 changed, 1 unchanged
> 0
> tier                 restricted
> tier                 restricted
$ sovmap --catalog ag.db export model-json > ag.json; sovmap --catalog ga.db export model-json > ga.json; cmp ag.json ga.json && echo same
> same
