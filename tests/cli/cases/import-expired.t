# An Atlas classification whose validityPeriods have all ended is kept (the
# conservative reading), with its end date in the provenance text and, apart
# from it, as the tag's own `expired` date (catalog tag.expired, model-json
# "expired"), and `check` says so with an info finding, CLS003, once per tag
# (doc/import.md, "Merge rules" and "Provenance"; doc/rules.md, CLS003).
# The same tag from a live source (a Glue resource tag pci=in-scope) is the live
# source's, in either order, and rests on nothing expired; a re-import of the
# entity with a new open window clears the date; a waiver hides the finding.
$ cp -r "$SOVMAP_DATA/../tests/fixtures/atlas" "$SOVMAP_DATA/../tests/fixtures/glue" . && printf '%s\n' 'S="SOVMAP_TODAY=2026-11-26"' 'ARN=arn:aws:glue:eu-west-1:210987654321:table/rewards_eu/loyalty_points' 'cls() { sovmap --catalog $1 check --format json | python3 -c "import json,sys; [print(f[\"rule\"], f[\"severity\"], f[\"object\"][\"selector\"], \"waived\" if f[\"waived\"] else \"-\", f[\"message\"]) for f in json.load(sys.stdin)[\"findings\"] if f[\"rule\"] == \"CLS003\"]"; }' > lib.sh && SOVMAP_TODAY=2026-11-26 sovmap --catalog a.db init -q && SOVMAP_TODAY=2026-11-26 sovmap --catalog b.db init -q && echo ok
> ok
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog a.db import atlas --diff atlas/entity-expired-propagated.json
> + dataset rewards_eu.loyalty_points
>   + tier restricted
>   + tag tier=tier1  [7d1c2b9e-0c4a-5f3e-9b1d-2f8e6a4c1b07 (propagated from 3a3a965d-e8f1-5569-af40-480582c7495c; 5b0e9d3a-6f21-5c8e-8a47-9c3d1e2f4a60)]
>   + tag financial.pci  [7d1c2b9e-0c4a-5f3e-9b1d-2f8e6a4c1b07 (expired 2025-06-30)]
> datasets: 1 new, 0 changed, 0 unchanged
> fields: 0 new; tags: 2 added, 0 removed; flows: 0 new, 0 not imported
> 1 dataset without a region
> warning: rewards_eu.loyalty_points: classification PCI on 7d1c2b9e-0c4a-5f3e-9b1d-2f8e6a4c1b07 expired on 2025-06-30 (validityPeriods); kept, the conservative reading (CLS003)
> warning: rewards_eu.loyalty_points: no region (no storage location in the export); imported without a copy
# the date is the tag's own: dataset show, its JSON, model-json and the catalog row
$ sovmap --catalog a.db dataset show rewards_eu.loyalty_points | grep '^  financial.pci' | grep -o 'expired 2025-06-30$'; sovmap --catalog a.db dataset show rewards_eu.loyalty_points --format json | python3 -c "import json,sys; print([t.get('expired') for t in json.load(sys.stdin)['tags']])"; sovmap --catalog a.db export model-json | grep -c '"expired": "2025-06-30"'; sqlite3 a.db "SELECT tag, expired FROM tag ORDER BY pos"
> expired 2025-06-30
> [None, '2025-06-30']
> 1
> tier=tier1|
> financial.pci|2025-06-30
# check: one info finding for the tag, naming the dataset, the date and the file; info does not fail the check
$ . ./lib.sh && cls a.db; sovmap --catalog a.db check | grep -A2 '^  CLS003'
> CLS003 info rewards_eu.loyalty_points - rewards_eu.loyalty_points: tag financial.pci rests on a classification that expired on 2025-06-30 (from atlas/entity-expired-propagated.json)
>   CLS003  rewards_eu.loyalty_points: tag financial.pci rests on a classification
>           that expired on 2025-06-30 (from atlas/entity-expired-propagated.json)
>           - rewards_eu.loyalty_points has tag financial.pci, imported from
$ sovmap --catalog a.db check --fail-on info > /dev/null
? 1
$ sovmap explain CLS003 | head -1
> CLS003 — tag rests on an expired classification [info]
# SARIF lists the rule with its help text
$ sovmap --catalog a.db check --format sarif | python3 -c "import json,sys; r=json.load(sys.stdin)['runs'][0]; print([x['id'] for x in r['tool']['driver']['rules'] if x['id']=='CLS003'], [x['level'] for x in r['results'] if x['ruleId']=='CLS003'])"
> ['CLS003'] ['note']
# importing the same file again writes nothing
$ SOVMAP_TODAY=2026-11-27 sovmap --catalog a.db import atlas atlas/entity-expired-propagated.json 2>/dev/null; sovmap --catalog a.db log --format json --limit 0 | grep -c '"id":'
> datasets: 0 new, 0 changed, 1 unchanged
> fields: 0 new; tags: 0 added, 0 removed; flows: 0 new, 0 not imported
> 1 dataset without a region
> warning: rewards_eu.loyalty_points: classification PCI on 7d1c2b9e-0c4a-5f3e-9b1d-2f8e6a4c1b07 expired on 2025-06-30 (validityPeriods); kept, the conservative reading (CLS003)
> warning: rewards_eu.loyalty_points: no region (no storage location in the export); imported without a copy
> 2
# model-json keeps the date: a catalog imported from the file, and the file itself, give the finding
$ sovmap --catalog a.db export model-json -o a.json && sovmap --catalog c.db import model a.json > /dev/null && sovmap --catalog c.db export model-json | cmp - a.json && . ./lib.sh && cls c.db; sovmap check a.json --format json | grep -c '"rule": "CLS003"'
> CLS003 info rewards_eu.loyalty_points - rewards_eu.loyalty_points: tag financial.pci rests on a classification that expired on 2025-06-30 (from atlas/entity-expired-propagated.json)
> 1
$ sed 's/"expired": "2025-06-30"/"expired": "last june"/' a.json > bad.json && sovmap validate bad.json
! not a date YYYY-MM-DD
? 1
# a waiver on the dataset hides it
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db -q waive CLS003 rewards_eu.loyalty_points --owner ana --reason "PCI scope review Q1" --expires 2027-03-31 && . ./lib.sh && cls c.db
> CLS003 info rewards_eu.loyalty_points waived rewards_eu.loyalty_points: tag financial.pci rests on a classification that expired on 2025-06-30 (from atlas/entity-expired-propagated.json)
# a live source of the same tag (Glue pci=in-scope) takes it over: no finding
$ . ./lib.sh && SOVMAP_TODAY=2026-11-26 sovmap --catalog a.db import glue --diff --resource-arn $ARN glue/get-tags-pci.json && cls a.db && sovmap --catalog a.db export model-json | grep -c '"expired"'
> ~ dataset rewards_eu.loyalty_points
>   ~ tag financial.pci  [arn:aws:glue:eu-west-1:210987654321:table/rewards_eu/loyalty_points]
>   + primary aws:eu-west-1 (the ARN's region (the catalog's))
> datasets: 0 new, 1 changed, 0 unchanged
> fields: 0 new; tags: 0 added, 0 removed; flows: 0 new, 0 not imported
> 0
? 1
# the expired classification imported again yields to the live source: nothing written
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog a.db import atlas atlas/entity-expired-propagated.json 2>/dev/null | head -1; . ./lib.sh && cls a.db
> datasets: 0 new, 0 changed, 1 unchanged
# the other order gives the same catalog, byte for byte, and no finding
$ . ./lib.sh && SOVMAP_TODAY=2026-11-26 sovmap --catalog b.db -q import glue --resource-arn $ARN glue/get-tags-pci.json && SOVMAP_TODAY=2026-11-26 sovmap --catalog b.db -q import atlas atlas/entity-expired-propagated.json 2>/dev/null; cls b.db; sovmap --catalog b.db export model-json | cmp - <(sovmap --catalog a.db export model-json) && echo same
> same
# the classification renewed (a new open window): the import clears the date and the finding
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas --diff atlas/entity-renewed.json 2>/dev/null | head -2; . ./lib.sh && cls c.db; sovmap --catalog c.db export model-json | grep -c '"expired"'; sqlite3 c.db "SELECT count(*) FROM tag WHERE expired != ''"
> ~ dataset rewards_eu.loyalty_points
>   ~ tag financial.pci  [7d1c2b9e-0c4a-5f3e-9b1d-2f8e6a4c1b07]
> 0
> 0
# the classification removed from the entity: the entity file removes the tag, and the finding goes
$ python3 -c "import json; e=json.load(open('atlas/entity-expired-propagated.json')); e['entity']['classifications']=[c for c in e['entity']['classifications'] if c['typeName']!='PCI']; json.dump(e, open('nopci.json','w'))" && SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db init -q && SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db -q import atlas atlas/entity-expired-propagated.json 2>/dev/null; . ./lib.sh && cls d.db | cut -d' ' -f1-3; SOVMAP_TODAY=2026-11-27 sovmap --catalog d.db import atlas --diff nopci.json 2>/dev/null | head -2; cls d.db
> CLS003 info rewards_eu.loyalty_points
> ~ dataset rewards_eu.loyalty_points
>   - tag financial.pci  [7d1c2b9e-0c4a-5f3e-9b1d-2f8e6a4c1b07 (expired 2025-06-30)]
