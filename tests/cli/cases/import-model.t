# sovmap import model: model-json round trip between two catalogs.
$ cp -r "$SOVMAP_DATA/../tests/fixtures/atlas" . && SOVMAP_TODAY=2026-11-26 sovmap --catalog a.db init -q
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog a.db import atlas atlas/entities-bulk.json atlas/lineage.json -q
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog a.db export model-json > a.json
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog a.db export model-json | SOVMAP_TODAY=2026-11-26 sovmap --catalog b.db import model -
> imported 14 datasets, 14 copies, 3 flows (was 0 datasets, 0 copies, 0 flows)
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog b.db export model-json > b.json && cmp a.json b.json
# importing it again changes nothing
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog b.db import model a.json --dry-run
> would replace 14 datasets, 14 copies, 3 flows with 14 datasets, 14 copies, 3 flows; dry run: nothing written
$ head -c 200 a.json > bad.json && SOVMAP_TODAY=2026-11-26 sovmap --catalog b.db import model bad.json
! bad.json:
? 2
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog b.db export model-json | cmp - a.json
