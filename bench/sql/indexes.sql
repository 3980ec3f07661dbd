-- bench/sql/indexes.sql - the indexes a user would add before running
-- bench/sql/rules.sql and bench/sql/lineage.sql on a sovmap catalog, and
-- ANALYZE. Run once per catalog (make bench times it apart).
--
-- The catalog already has what the schema needs (doc/catalog.md): the
-- dataset name, placement (dataset, region, role), placement(region),
-- flow(from_placement), flow(to_placement), and the primary keys of field,
-- tag and flow_transform, which lead with the dataset or the flow. A user
-- writing the rules as SQL adds:
--   - tag(tag, dataset, field): find personal fields by tag prefix without
--     scanning every tag of every dataset;
--   - flow(kind, from_placement, to_placement): the lineage edges (etl and
--     stream) without visiting replication and backup flows;
--   - placement(dataset, role, region, key_region): the primary (home) of a
--     dataset and its copies, covering.
-- then ANALYZE so that the planner knows the table sizes.
CREATE INDEX IF NOT EXISTS bench_tag_tag ON tag(tag, dataset, field);
CREATE INDEX IF NOT EXISTS bench_flow_kind ON flow(kind, from_placement, to_placement);
CREATE INDEX IF NOT EXISTS bench_placement_role ON placement(dataset, role, region, key_region);
ANALYZE;
