-- bench/sql/rules.sql - sovmap's built-in residency rules written as plain
-- SQL over a sovmap catalog: the baseline of `make bench` (bench/run.sh).
-- Not used by sovmap. From the repository root, after bench/sql/indexes.sql:
--
--   sqlite3 CATALOG.db .read bench/sql/rules.sql
--
-- Prints one count per rule. Today is pinned to 2026-11-26 (as the benchmarks
-- pin it for sovmap). Started from bench/check_sql.sql (the checker's sketch),
-- extended to what sovmap does: effective tier AND effective subjects through
-- lineage (a recursive CTE), personal fields and masking, per-regime
-- destination status (free flow, adequacy with its condition, accepted
-- mechanisms, blacklists), the home of a dataset, implicit replication vs a
-- feeding flow, transfers on flows. One row per (object, regime) as sovmap
-- reports one finding per failing regime. doc/performance.md lists what it
-- still leaves out (it does less work than sovmap, never more) and compares
-- its counts with `sovmap check`.

-- ---- reference data: the shipped JSON, read as sovmap reads it
CREATE TEMP TABLE rg AS
  SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.country') AS cc
  FROM json_each(readfile('data/regions.json'), '$.regions')
  UNION ALL SELECT id, country FROM region;
CREATE INDEX temp.rg_i ON rg(id);

CREATE TEMP TABLE juris AS SELECT readfile('data/jurisdictions.json') AS j;

-- subject code -> regime
CREATE TEMP TABLE reg AS
  SELECT s.value AS subj, json_extract(g.value, '$.id') AS regime,
         json_extract(g.value, '$.transfer') AS transfer,
         json_extract(g.value, '$.country') AS home, g.value AS g
  FROM juris, json_each(juris.j, '$.regimes') AS g, json_each(g.value, '$.subjects') AS s;
CREATE INDEX temp.reg_i ON reg(subj);

-- a dataset's own subjects ("EU,US" -> rows)
CREATE TEMP TABLE dsub AS
  SELECT d.id AS ds, s.value AS subj
  FROM dataset d, json_each('["' || replace(d.subjects, ',', '","') || '"]') AS s
  WHERE d.subjects != '';
CREATE INDEX temp.dsub_i ON dsub(ds);

-- (subject, country) inside the regime's free-flow area
CREATE TEMP TABLE ff AS
  SELECT r.subj, m.value AS cc
  FROM juris, reg AS r,
       json_each(CASE WHEN json_type(r.g, '$.free_flow') = 'text'
                      THEN json_extract(juris.j, '$.blocs.' || json_extract(r.g, '$.free_flow') || '.members')
                      ELSE json_extract(r.g, '$.free_flow') END) AS m
  UNION SELECT subj, home FROM reg;
CREATE INDEX temp.ff_i ON ff(subj, cc);

-- adequacy in force today, with its condition
CREATE TEMP TABLE adq AS
  SELECT r.subj, json_extract(a.value, '$.country') AS cc,
         coalesce(json_extract(a.value, '$.condition'), 'none') AS cond
  FROM reg AS r, json_each(r.g, '$.adequacy') AS a
  WHERE coalesce(json_extract(a.value, '$.since'), '') <= '2026-11-26'
    AND coalesce(json_extract(a.value, '$.until'), '9999') >= '2026-11-26';
CREATE INDEX temp.adq_i ON adq(subj, cc);

-- mechanisms each regime accepts
CREATE TEMP TABLE mech AS
  SELECT r.subj, m.value AS m FROM reg AS r, json_each(r.g, '$.mechanisms') AS m
  WHERE m.value IN ('scc', 'bcr', 'consent', 'derogation', 'dpf');
CREATE INDEX temp.mech_i ON mech(subj, m);

-- destination status per (subject, country), as sovmap's table per check
CREATE TEMP TABLE dest AS
  WITH c(cc) AS (SELECT DISTINCT cc FROM rg WHERE cc IS NOT NULL)
  SELECT r.subj, c.cc, r.transfer,
         EXISTS (SELECT 1 FROM ff WHERE ff.subj = r.subj AND ff.cc = c.cc) AS inff,
         CASE WHEN r.transfer = 'free' THEN 'inside'
              WHEN EXISTS (SELECT 1 FROM ff WHERE ff.subj = r.subj AND ff.cc = c.cc) THEN 'inside'
              WHEN r.transfer = 'blacklist' THEN
                   CASE WHEN EXISTS (SELECT 1 FROM json_each(r.g, '$.blacklist') b
                                     WHERE coalesce(json_extract(b.value, '$.country'), b.value) = c.cc)
                        THEN 'barred' ELSE 'inside' END
              WHEN EXISTS (SELECT 1 FROM adq WHERE adq.subj = r.subj AND adq.cc = c.cc
                           AND adq.cond IN ('none', 'automated')) THEN 'adequate'
              WHEN EXISTS (SELECT 1 FROM adq WHERE adq.subj = r.subj AND adq.cc = c.cc
                           AND adq.cond = 'dpf') THEN 'dpf'
              WHEN EXISTS (SELECT 1 FROM adq WHERE adq.subj = r.subj AND adq.cc = c.cc
                           AND adq.cond = 'commercial') THEN 'commercial'
              ELSE 'none' END AS status
  FROM reg AS r, c WHERE r.subj IN (SELECT DISTINCT subj FROM dsub);
CREATE INDEX temp.dest_i ON dest(subj, cc);

-- ---- personal data
CREATE TEMP TABLE pf AS
  SELECT DISTINCT dataset AS ds, field FROM tag
  WHERE field IS NOT NULL AND (tag = 'pii' OR tag LIKE 'pii.%' OR tag = 'personal'
        OR tag LIKE 'personal.%' OR tag = 'phi' OR tag LIKE 'phi.%');
CREATE INDEX temp.pf_i ON pf(ds, field);

-- flows that carry personal data of their source when it holds any:
-- no anonymize/aggregate, and some personal field neither masked, dropped
-- nor left out of the flow's field list (or none: personal as a whole)
CREATE TEMP TABLE carry AS
  SELECT f.id AS flow, fp.dataset AS src, tp.dataset AS dst, f.kind
  FROM flow f JOIN placement fp ON fp.id = f.from_placement
       LEFT JOIN placement tp ON tp.id = f.to_placement
  WHERE NOT EXISTS (SELECT 1 FROM flow_transform x
                    WHERE x.flow = f.id AND x.kind IN ('anonymize', 'aggregate'))
    AND (NOT EXISTS (SELECT 1 FROM pf WHERE pf.ds = fp.dataset)
         OR EXISTS (SELECT 1 FROM pf WHERE pf.ds = fp.dataset
                    AND (f.fields = '' OR (',' || f.fields || ',') LIKE '%,' || pf.field || ',%')
                    AND NOT EXISTS (SELECT 1 FROM flow_transform x
                                    WHERE x.flow = f.id AND x.kind IN ('mask', 'drop')
                                      AND (',' || x.fields || ',') LIKE '%,' || pf.field || ',%')));
CREATE INDEX temp.carry_i ON carry(src);

-- ---- lineage: effective tier rank and subjects, transitively (etl and
-- stream flows into another dataset that carry personal data), cycles
-- included (UNION stops on rows already seen)
CREATE TEMP TABLE lin AS
WITH RECURSIVE l(ds, rank, subj) AS (
  SELECT d.id, CASE WHEN t.personal THEN t.rank ELSE 0 END, coalesce(s.subj, '')
  FROM dataset d LEFT JOIN tier t ON t.name = d.tier LEFT JOIN dsub s ON s.ds = d.id
  WHERE t.personal OR EXISTS (SELECT 1 FROM pf WHERE pf.ds = d.id)
  UNION
  SELECT c.dst, l.rank, l.subj
  FROM l JOIN carry c ON c.src = l.ds
  WHERE c.kind IN ('etl', 'stream') AND c.dst IS NOT NULL AND c.dst != l.ds
)
SELECT ds, rank, subj FROM l;
CREATE TEMP TABLE eff AS SELECT ds, max(rank) AS rank FROM lin GROUP BY ds;
CREATE INDEX temp.eff_i ON eff(ds);
CREATE TEMP TABLE esub AS
  SELECT ds, subj FROM lin WHERE subj != '' UNION SELECT ds, subj FROM dsub;
CREATE INDEX temp.esub_i ON esub(ds, subj);

-- per dataset: effective tier, personal or not, whether a restricting
-- (non-free) regime applies, the home (primary, else first copy)
CREATE TEMP TABLE ed AS
  SELECT d.id AS ds, d.public_sector AS pub, d.tier AS own,
         coalesce(t2.name, d.tier) AS etier,
         (e.ds IS NOT NULL) AS personal,
         EXISTS (SELECT 1 FROM pf WHERE pf.ds = d.id) AS has_pf,
         EXISTS (SELECT 1 FROM esub s JOIN reg r ON r.subj = s.subj
                 WHERE s.ds = d.id AND r.transfer != 'free') AS restricted,
         (SELECT p.region FROM placement p WHERE p.dataset = d.id
          ORDER BY p.role != 'primary', p.id LIMIT 1) AS home
  FROM dataset d LEFT JOIN tier t ON t.name = d.tier LEFT JOIN eff e ON e.ds = d.id
       LEFT JOIN tier t2 ON t2.rank = e.rank AND t2.personal AND t2.rank > coalesce(t.rank, 0);
CREATE INDEX temp.ed_i ON ed(ds);

-- the first flow into each copy (lowest id, as sovmap loads them), its
-- source copy and its mechanism if valid today
CREATE TEMP TABLE fin AS
  SELECT f.to_placement AS tp, min(f.id) AS flow FROM flow f
  WHERE f.to_placement IS NOT NULL GROUP BY f.to_placement;
CREATE TEMP TABLE fin2 AS
  SELECT fin.tp, fin.flow, f.from_placement AS src,
         CASE WHEN coalesce(f.valid_from, '') <= '2026-11-26'
               AND coalesce(f.valid_to, '9999') >= '2026-11-26'
              THEN f.mechanism ELSE '' END AS mech,
         (ra.cc IS NOT NULL AND ra.cc = rb.cc) AS same_cc
  FROM fin JOIN flow f ON f.id = fin.flow
       JOIN placement a ON a.id = f.from_placement JOIN placement b ON b.id = fin.tp
       LEFT JOIN rg ra ON ra.id = a.region LEFT JOIN rg rb ON rb.id = b.region;
CREATE INDEX temp.fin2_i ON fin2(tp);

-- a copy fed from a copy in its own (single) country stands on the basis by
-- which the data entered that country (as sovmap's copy_mech): follow the
-- first inbound flows back while they come from the same country, to the
-- flow that crossed into it, or to the copy there that no flow feeds (its
-- own declaration); a ring of 64 hops keeps the copy's own flow
CREATE TEMP TABLE entry AS
WITH RECURSIVE w(p, q, hops) AS (
  SELECT tp, tp, 0 FROM fin2 WHERE same_cc
  UNION ALL
  SELECT w.p, x.src, w.hops + 1 FROM w JOIN fin2 x ON x.tp = w.q
  WHERE x.same_cc AND w.hops < 64
)
SELECT p, q, hops FROM w
WHERE hops = (SELECT max(hops) FROM w AS v WHERE v.p = w.p) AND hops > 0 AND hops < 64;
CREATE INDEX temp.entry_i ON entry(p);

-- one row per copy with what the rules need; the mechanism of the transfer
-- into it: the first feeding flow's (if valid today), else its own; for a
-- copy fed inside one country, the mechanism by which the data entered it
CREATE TEMP TABLE cp AS
  SELECT p.id, p.dataset AS ds, p.role, p.encrypted, p.region, r.cc, k.cc AS kcc,
         h.cc AS hcc, ed.home, ed.personal, ed.has_pf, ed.restricted, ed.pub, t.*,
         ff.flow AS fed,
         CASE WHEN en.q IS NOT NULL THEN
                   CASE WHEN qf.flow IS NULL THEN qp.mechanism ELSE qf.mech END
              WHEN ff.flow IS NULL THEN p.mechanism ELSE ff.mech END AS mech
  FROM placement p JOIN ed ON ed.ds = p.dataset
       LEFT JOIN tier t ON t.name = ed.etier
       LEFT JOIN rg r ON r.id = p.region
       LEFT JOIN rg k ON k.id = p.key_region
       LEFT JOIN rg h ON h.id = ed.home
       LEFT JOIN fin2 ff ON ff.tp = p.id
       LEFT JOIN entry en ON en.p = p.id
       LEFT JOIN placement qp ON qp.id = en.q
       LEFT JOIN fin2 qf ON qf.tp = en.q;

-- (copy, subject) pairs with the destination status of the copy and its key
CREATE TEMP TABLE cs AS
  SELECT cp.*, s.subj, d.transfer, d.inff, d.status,
         kd.inff AS kinff, kd.status AS kstatus,
         EXISTS (SELECT 1 FROM mech WHERE mech.subj = s.subj AND mech.m = cp.mech) AS mok
  FROM cp JOIN esub s ON s.ds = cp.ds
       LEFT JOIN dest d ON d.subj = s.subj AND d.cc = cp.cc
       LEFT JOIN dest kd ON kd.subj = s.subj AND kd.cc = cp.kcc;

-- a location passes a scope for one subject's regime
-- bloc: inside the free-flow area (free regimes bound it only alone)
-- adequate: inside, adequate (condition met) or a valid accepted mechanism
CREATE TEMP TABLE judged AS
  SELECT cs.*,
    CASE WHEN role IN ('backup', 'dr', 'archive') THEN backup_scope ELSE scope END AS sc,
    CASE WHEN inff IS NULL THEN 0
         WHEN transfer = 'free' AND restricted THEN 1 ELSE inff END AS bloc_ok,
    CASE WHEN status IS NULL THEN 0
         WHEN status IN ('inside', 'adequate') THEN 1
         WHEN status = 'dpf' THEN mok
         WHEN status = 'commercial' AND NOT pub THEN 1
         WHEN status = 'barred' THEN 0
         ELSE mok AND mech != 'dpf' END AS adq_ok,
    CASE WHEN kinff IS NULL THEN 0
         WHEN transfer = 'free' AND restricted THEN 1 ELSE kinff END AS kbloc_ok,
    CASE WHEN kstatus IS NULL THEN 0
         WHEN kstatus IN ('inside', 'adequate') THEN 1
         WHEN kstatus = 'dpf' THEN mok
         WHEN kstatus = 'commercial' AND NOT pub THEN 1
         WHEN kstatus = 'barred' THEN 0
         ELSE mok AND mech != 'dpf' END AS kadq_ok
  FROM cs;

-- bloc, region and country scopes: one finding per copy; adequate: one per
-- failing regime
SELECT 'RES001',
  (SELECT count(DISTINCT id) FROM judged
   WHERE role NOT IN ('backup', 'dr', 'archive')
     AND ((sc = 'bloc' AND NOT bloc_ok) OR (sc = 'region' AND region != home)
       OR (sc = 'country' AND cc IS NOT hcc))) +
  (SELECT count(*) FROM judged
   WHERE role NOT IN ('backup', 'dr', 'archive') AND sc = 'adequate' AND transfer != 'free'
     AND NOT adq_ok);

SELECT 'RES002',
  (SELECT count(DISTINCT id) FROM judged
   WHERE role IN ('backup', 'dr', 'archive')
     AND ((sc = 'bloc' AND NOT bloc_ok) OR (sc = 'region' AND region != home)
       OR (sc = 'country' AND cc IS NOT hcc))) +
  (SELECT count(*) FROM judged
   WHERE role IN ('backup', 'dr', 'archive') AND sc = 'adequate' AND transfer != 'free'
     AND NOT adq_ok);

-- transfers into copies that no flow feeds (implicit replication from the
-- primary): personal data outside the regime's area without a basis
SELECT 'XFR001', count(*) FROM judged
WHERE fed IS NULL AND (personal OR has_pf) AND transfer != 'free' AND status IN ('none', 'barred')
  AND NOT adq_ok;
SELECT 'XFR002', count(*) FROM judged
WHERE fed IS NULL AND (personal OR has_pf) AND transfer != 'free' AND status IN ('dpf', 'commercial')
  AND NOT adq_ok;

-- transfers on flows: personal data crossing a border, per regime of the
-- source's effective subjects
CREATE TEMP TABLE fx AS
  SELECT f.id, s.subj, d.transfer, d.status, ed.pub,
         CASE WHEN coalesce(f.valid_from, '') <= '2026-11-26'
               AND coalesce(f.valid_to, '9999') >= '2026-11-26' THEN f.mechanism ELSE '' END AS m
  FROM carry c JOIN flow f ON f.id = c.flow
       JOIN placement fp ON fp.id = f.from_placement JOIN rg a ON a.id = fp.region
       LEFT JOIN placement tp ON tp.id = f.to_placement
       JOIN rg b ON b.id = coalesce(tp.region, f.to_region)
       JOIN ed ON ed.ds = c.src
       JOIN esub s ON s.ds = c.src
       JOIN dest d ON d.subj = s.subj AND d.cc = b.cc
  WHERE (ed.personal OR ed.has_pf) AND a.cc != b.cc AND d.transfer != 'free';
SELECT 'XFR001 (flows)', count(*) FROM fx
WHERE status IN ('none', 'barred')
  AND NOT (status = 'none' AND m IN (SELECT m FROM mech WHERE mech.subj = fx.subj AND m != 'dpf'));
SELECT 'XFR002 (flows)', count(*) FROM fx
WHERE (status = 'dpf' AND NOT (m = 'dpf' AND m IN (SELECT m FROM mech WHERE mech.subj = fx.subj))
       AND m NOT IN (SELECT m FROM mech WHERE mech.subj = fx.subj AND m != 'dpf'))
   OR (status = 'commercial' AND pub AND m NOT IN (SELECT m FROM mech WHERE mech.subj = fx.subj));

SELECT 'ENC001', count(*) FROM cp WHERE encryption_at_rest AND NOT encrypted;

SELECT 'ENC002',
  (SELECT count(DISTINCT id) FROM judged
   WHERE encrypted AND kcc IS NOT NULL AND key_scope = 'bloc' AND NOT kbloc_ok) +
  (SELECT count(*) FROM judged
   WHERE encrypted AND kcc IS NOT NULL AND key_scope = 'adequate' AND transfer != 'free'
     AND NOT kadq_ok);

SELECT 'ENC003', count(*) FROM carry c JOIN flow f ON f.id = c.flow
       JOIN ed ON ed.ds = c.src JOIN tier t ON t.name = ed.etier
WHERE t.transit_encryption AND NOT f.transit_encrypted AND (ed.personal OR ed.has_pf);

SELECT 'LIN001', count(*) FROM ed WHERE etier IS NOT own;

SELECT 'CLS001', count(*) FROM dataset WHERE tier IS NULL;

SELECT 'CLS002', count(*) FROM ed JOIN tier t ON t.name = ed.etier WHERE NOT t.personal AND ed.has_pf;
