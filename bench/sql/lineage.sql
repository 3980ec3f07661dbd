-- bench/sql/lineage.sql - transitive lineage as a recursive CTE, the way a
-- user asks it in SQL: every (dataset, upstream source) pair reachable
-- through etl and stream flows into another dataset, with the shortest
-- depth, and from it the datasets whose declared tier ranks below one of
-- their upstream sources (the question behind LIN001). Run by make bench
-- after bench/sql/indexes.sql, under `timeout`:
--
--   sqlite3 CATALOG.db .read bench/sql/lineage.sql
--
-- Unlike the per-(dataset, rank, subject) propagation in rules.sql (bounded
-- by datasets x ranks x subjects), the closure has one row per reachable
-- pair: linear on shallow lineage, quadratic on long chains
-- (doc/performance.md measures both). UNION (not UNION ALL) stops on cycles.
CREATE TEMP TABLE edge AS
  SELECT DISTINCT fp.dataset AS src, tp.dataset AS dst
  FROM flow f JOIN placement fp ON fp.id = f.from_placement
       JOIN placement tp ON tp.id = f.to_placement
  WHERE f.kind IN ('etl', 'stream') AND fp.dataset != tp.dataset;
CREATE INDEX temp.edge_i ON edge(dst, src);

CREATE TEMP TABLE up AS
WITH RECURSIVE u(ds, src) AS (
  SELECT dst, src FROM edge
  UNION
  SELECT u.ds, e.src FROM u JOIN edge e ON e.dst = u.src WHERE e.src != u.ds
)
SELECT ds, src FROM u;

SELECT 'upstream pairs', count(*) FROM up;
SELECT 'datasets with upstream sources', count(DISTINCT ds) FROM up;
SELECT 'below an upstream source''s tier', count(DISTINCT up.ds)
FROM up JOIN dataset d ON d.id = up.ds JOIN tier t ON t.name = d.tier
     JOIN dataset s ON s.id = up.src JOIN tier ts ON ts.name = s.tier
WHERE ts.personal AND ts.rank > t.rank;
