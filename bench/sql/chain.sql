-- bench/sql/chain.sql - turn a bench/gen catalog into a worst case for
-- lineage: bench/gen feeds two datasets in three from an earlier dataset of
-- the same area (short chains); this adds an etl flow from the previous
-- dataset's primary into every dataset's primary that it does not already
-- feed, so that the whole catalog becomes ONE lineage chain of N datasets
-- (depth N). Used by bench/run.sh on a copy.
INSERT INTO flow(name, from_placement, to_placement, kind, transit_encrypted)
  SELECT d.name || '.chain',
         (SELECT min(p.id) FROM placement p WHERE p.dataset = d.id - 1 AND p.role = 'primary'),
         (SELECT min(p.id) FROM placement p WHERE p.dataset = d.id AND p.role = 'primary'),
         'etl', 1
  FROM dataset d
  WHERE d.id > (SELECT min(id) FROM dataset)
    AND NOT EXISTS (SELECT 1 FROM placement p JOIN flow f ON f.to_placement = p.id
                    JOIN placement q ON q.id = f.from_placement
                    WHERE p.dataset = d.id AND q.dataset = d.id - 1
                      AND f.kind IN ('etl', 'stream'))
    AND EXISTS (SELECT 1 FROM placement p WHERE p.dataset = d.id - 1 AND p.role = 'primary')
    AND EXISTS (SELECT 1 FROM placement p WHERE p.dataset = d.id AND p.role = 'primary');
ANALYZE;
