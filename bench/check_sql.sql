-- check_sql.sql - the built-in residency rules written as plain SQL over a
-- sovmap catalog, for the side-by-side benchmark (bench/check_vs_sql.sh).
-- Not used by sovmap. Run from the repository root:
--   sqlite3 CATALOG.db < bench/check_sql.sql
-- It covers RES001/RES002 (bloc, adequate, global scopes), XFR001/XFR002 on
-- copies (adequacy with the dpf condition, declared mechanisms), ENC001,
-- ENC002 (bloc key scope), CLS001, CLS002 and LIN001 (a recursive CTE over
-- the etl/stream graph), with today pinned to 2026-11-26. Counts per rule.

-- Reference data, read from the shipped JSON (sqlite3 shell readfile()).
CREATE TEMP TABLE rg AS
  SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.country') AS cc
  FROM json_each(readfile('data/regions.json'), '$.regions')
  UNION ALL SELECT id, country FROM region;
CREATE INDEX temp.rg_id ON rg(id);

CREATE TEMP TABLE juris AS SELECT readfile('data/jurisdictions.json') AS j;

-- (subject, country) inside the regime's free-flow area.
CREATE TEMP TABLE ff AS
  SELECT s.value AS subj, m.value AS cc
  FROM juris, json_each(juris.j, '$.regimes') AS g, json_each(g.value, '$.subjects') AS s,
       json_each(CASE WHEN json_type(g.value, '$.free_flow') = 'text'
                      THEN json_extract(juris.j, '$.blocs.' || json_extract(g.value, '$.free_flow') || '.members')
                      ELSE json_extract(g.value, '$.free_flow') END) AS m;
CREATE INDEX temp.ff_i ON ff(subj, cc);

-- (subject, country, condition) adequacy in force today.
CREATE TEMP TABLE adq AS
  SELECT s.value AS subj, json_extract(a.value, '$.country') AS cc,
         json_extract(a.value, '$.condition') AS cond
  FROM juris, json_each(juris.j, '$.regimes') AS g, json_each(g.value, '$.subjects') AS s,
       json_each(g.value, '$.adequacy') AS a
  WHERE coalesce(json_extract(a.value, '$.since'), '') <= '2026-11-26'
    AND coalesce(json_extract(a.value, '$.until'), '9999') >= '2026-11-26';
CREATE INDEX temp.adq_i ON adq(subj, cc);

-- Regimes with a transfer rule (others restrict nothing).
CREATE TEMP TABLE cond AS
  SELECT s.value AS subj
  FROM juris, json_each(juris.j, '$.regimes') AS g, json_each(g.value, '$.subjects') AS s
  WHERE json_extract(g.value, '$.transfer') = 'conditional';

-- Effective tier rank through lineage (etl/stream, not through anonymize/aggregate).
CREATE TEMP TABLE eff AS
WITH RECURSIVE lin(ds, rank) AS (
  SELECT d.id, t.rank FROM dataset d JOIN tier t ON t.name = d.tier WHERE t.personal
  UNION
  SELECT tp.dataset, lin.rank
  FROM lin JOIN placement fp ON fp.dataset = lin.ds
       JOIN flow f ON f.from_placement = fp.id AND f.kind IN ('etl', 'stream')
       JOIN placement tp ON tp.id = f.to_placement
  WHERE NOT EXISTS (SELECT 1 FROM flow_transform x
                    WHERE x.flow = f.id AND x.kind IN ('anonymize', 'aggregate'))
)
SELECT ds, max(rank) AS rank FROM lin GROUP BY ds;
CREATE INDEX temp.eff_i ON eff(ds);

-- One row per copy with what the rules need.
CREATE TEMP TABLE cp AS
  SELECT p.id, p.dataset, p.role, p.encrypted, p.mechanism, d.subjects AS subj, d.tier,
         coalesce((SELECT t2.name FROM tier t2 WHERE t2.rank = e.rank), d.tier) AS etier,
         r.cc, k.cc AS kcc, p.region
  FROM placement p JOIN dataset d ON d.id = p.dataset
       LEFT JOIN eff e ON e.ds = d.id
       LEFT JOIN rg r ON r.id = p.region
       LEFT JOIN rg k ON k.id = p.key_region;

SELECT 'RES001', count(*) FROM cp JOIN tier t ON t.name = cp.etier
WHERE cp.role NOT IN ('backup', 'dr', 'archive')
  AND ((t.scope = 'bloc' AND NOT EXISTS (SELECT 1 FROM ff WHERE ff.subj = cp.subj AND ff.cc = cp.cc))
    OR (t.scope = 'adequate' AND cp.subj IN (SELECT subj FROM cond)
        AND NOT EXISTS (SELECT 1 FROM ff WHERE ff.subj = cp.subj AND ff.cc = cp.cc)
        AND NOT EXISTS (SELECT 1 FROM adq WHERE adq.subj = cp.subj AND adq.cc = cp.cc
                        AND (adq.cond IS NULL OR adq.cond != 'dpf' OR cp.mechanism = 'dpf'))
        AND cp.mechanism NOT IN ('scc', 'bcr', 'consent', 'derogation')));

SELECT 'RES002', count(*) FROM cp JOIN tier t ON t.name = cp.etier
WHERE cp.role IN ('backup', 'dr', 'archive') AND t.backup_scope = 'bloc'
  AND NOT EXISTS (SELECT 1 FROM ff WHERE ff.subj = cp.subj AND ff.cc = cp.cc);

SELECT 'XFR001/XFR002', count(*) FROM cp JOIN tier t ON t.name = cp.etier
WHERE t.personal AND cp.subj IN (SELECT subj FROM cond)
  AND NOT EXISTS (SELECT 1 FROM flow f WHERE f.to_placement = cp.id)
  AND NOT EXISTS (SELECT 1 FROM ff WHERE ff.subj = cp.subj AND ff.cc = cp.cc)
  AND NOT EXISTS (SELECT 1 FROM adq WHERE adq.subj = cp.subj AND adq.cc = cp.cc
                  AND (adq.cond IS NULL OR adq.cond != 'dpf' OR cp.mechanism = 'dpf'))
  AND cp.mechanism NOT IN ('scc', 'bcr', 'consent', 'derogation');

SELECT 'ENC001', count(*) FROM cp JOIN tier t ON t.name = cp.etier
WHERE t.encryption_at_rest AND NOT cp.encrypted;

SELECT 'ENC002', count(*) FROM cp JOIN tier t ON t.name = cp.etier
WHERE cp.encrypted AND cp.kcc IS NOT NULL AND t.key_scope = 'bloc'
  AND NOT EXISTS (SELECT 1 FROM ff WHERE ff.subj = cp.subj AND ff.cc = cp.kcc);

SELECT 'LIN001', count(*) FROM dataset d JOIN tier t ON t.name = d.tier JOIN eff e ON e.ds = d.id
WHERE e.rank > t.rank;

SELECT 'CLS001', count(*) FROM dataset WHERE tier IS NULL;

SELECT 'CLS002', count(*) FROM dataset d JOIN tier t ON t.name = d.tier
WHERE NOT t.personal AND EXISTS (SELECT 1 FROM tag g WHERE g.dataset = d.id AND g.field IS NOT NULL
                                 AND (g.tag = 'pii' OR g.tag LIKE 'pii.%' OR g.tag LIKE 'personal%'
                                      OR g.tag LIKE 'phi%'));
