# A malformed or foreign file changes nothing and names file:line:column.
$ cp -r "$SOVMAP_DATA/../tests/fixtures/atlas" "$SOVMAP_DATA/../tests/fixtures/glue" . && head -c 2990 atlas/lineage.json > bad.json
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db init -q
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas atlas/entities-bulk.json bad.json
! sovmap: bad.json:85:64: premature end of input
? 2
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db dataset list
> NAME  TIER  SUBJECTS  SYSTEM  OWNER  COPIES
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas glue/get-tables.json
! glue/get-tables.json: not a atlas export
? 2
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas missing.json
! missing.json: cannot read
? 2
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import hive x.json
! unknown kind hive
? 2
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas
! no file given
? 2
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import atlas atlas/entities-bulk.json --map bad.json
! bad.json:85:64:
? 2
