# Atlas glossary terms (meanings) are labels "term:NAME": off by default (the
# shipped mapping file names none, an unmatched term is dropped), mapped to tags
# and tiers by a rule that names them, removed when the term is unassigned.
$ printf '%s\n' '{"entities": [' ' {"typeName": "hive_table", "guid": "t1", "attributes": {"qualifiedName": "crm.kunden@cl", "name": "kunden"},' '  "meanings": [{"termGuid": "g-pii", "displayText": "Personal Data"}]},' ' {"typeName": "hive_column", "guid": "c1", "attributes": {"qualifiedName": "crm.kunden.mail@cl", "name": "mail"},' '  "relationshipAttributes": {"table": {"guid": "t1"}},' '  "meanings": [{"termGuid": "g-email", "displayText": "Customer Email"}, {"termGuid": "g-x", "displayText": "Other"}]}' ']}' > b1.json && sed 's/{"termGuid": "g-email", "displayText": "Customer Email"}, //' b1.json > b2.json && printf '%s\n' '{"rules": [{"from": "atlas", "name": "term:Customer Email", "tags": ["pii.email"]}, {"from": "atlas", "name": "term:Personal Data", "tier": "restricted", "tags": ["glossary=personal"]}]}' > m.json && SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db init -q && echo ok
> ok
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas --region eu-west-1 b1.json && sovmap --catalog c.db export model-json | grep -c '"tag":'
> datasets: 1 new, 0 changed, 0 unchanged
> fields: 1 new; tags: 0 added, 0 removed; flows: 0 new, 0 not imported
> 0
? 1
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas --region eu-west-1 --map m.json --diff b1.json
> ~ dataset crm.kunden
>   ~ tier (none) -> restricted
>   + tag glossary=personal  [t1 (term g-pii)]
>   + tag mail: pii.email  [c1 (term g-email)]
> datasets: 0 new, 1 changed, 0 unchanged
> fields: 0 new; tags: 2 added, 0 removed; flows: 0 new, 0 not imported
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas --region eu-west-1 --map m.json b1.json
> datasets: 0 new, 0 changed, 1 unchanged
> fields: 0 new; tags: 0 added, 0 removed; flows: 0 new, 0 not imported
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas --region eu-west-1 --map m.json --diff b2.json
> ~ dataset crm.kunden
>   - tag mail: pii.email  [c1 (term g-email)]
> datasets: 0 new, 1 changed, 0 unchanged
> fields: 0 new; tags: 0 added, 1 removed; flows: 0 new, 0 not imported
