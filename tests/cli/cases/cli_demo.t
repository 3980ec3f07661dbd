# sovmap demo writes a model-json file into the catalog; in scripts a non-empty
# catalog needs --force; the demo is one audited transaction.
$ sovmap --catalog d.db demo --from "$SOVMAP_DATA/../tests/cli/demo-small.json"
> wrote the demo model to d.db: 2 datasets, 3 tiers, 3 copies, 1 flow; try: sovmap --catalog d.db check

$ sovmap --catalog d.db dataset list
> NAME    TIER          SUBJECTS  SYSTEM   OWNER  COPIES
> bi      confidential                            1
> orders  restricted    EU        loyalty         2

$ sovmap --catalog d.db demo --from "$SOVMAP_DATA/../tests/cli/demo-small.json"
! sovmap: d.db already holds 2 datasets; add --force to replace them with the demo model
? 2

$ sovmap --catalog d.db --quiet dataset add extra && sovmap --catalog d.db demo --force --from "$SOVMAP_DATA/../tests/cli/demo-small.json" >/dev/null && sovmap --catalog d.db dataset list --format tsv | cut -f1
> NAME
> bi
> orders

$ sovmap --catalog d.db log --limit 1 --format json | grep -c '"op":"demo"'
> 1

$ sovmap --catalog fresh.db init >/dev/null && sovmap --catalog fresh.db demo --from "$SOVMAP_DATA/../tests/cli/demo-small.json" </dev/null | cut -d: -f1
> wrote the demo model to fresh.db

$ printf '{"sovmap": 1, "datasets": [' > bad.json && sovmap --catalog e.db demo --from bad.json
! bad.json:1
? 2

$ sovmap --catalog e.db demo --from missing.json
! sovmap: missing.json: cannot read the demo model
? 2

# the shipped demo: written whole, checkable, and it round-trips through model-json
$ sovmap --catalog demo.db demo </dev/null
~ ^wrote the demo model to demo\.db: [0-9]+ datasets, 3 tiers, [0-9]+ copies, [0-9]+ flows; try: sovmap --catalog demo\.db check$

$ sovmap --catalog demo.db dataset list --format tsv | tail -n +2 | wc -l | awk '$1 >= 20 { print "enough datasets" }'
> enough datasets

$ sovmap --catalog demo.db export model-json > one.json && sovmap --catalog copy.db import model - < one.json >/dev/null && sovmap --catalog copy.db export model-json > two.json && cmp one.json two.json && echo same
> same

$ sovmap --catalog demo.db check >/dev/null
? 1
