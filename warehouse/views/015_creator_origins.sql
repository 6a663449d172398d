-- found_by of the creators in the table named `keys` (platform, creator_id): every distinct way
-- each was found ("query: baking; handle: maya"), in the order first met. A macro so that a
-- refresh of a few candidates (warehouse/candidate_rows.py) reads only their lineage.
CREATE OR REPLACE MACRO lineage_found_by(keys) AS TABLE
WITH ways AS (
    SELECT platform, creator_id, found_by || ': ' || term AS way, min(found_at) AS since
    FROM creator_lineage
    WHERE (platform, creator_id) IN (SELECT platform, creator_id FROM query_table(keys))
    GROUP BY ALL
)
SELECT platform, creator_id, string_agg(way, '; ' ORDER BY since, way) AS found_by
FROM ways
GROUP BY platform, creator_id;

-- Where each creator came from (creator_lineage): the first and the latest run that found it, how
-- and by what term, and found_by, every distinct way it was found ("query: baking; handle: maya"),
-- in the order first met.
CREATE VIEW creator_origins AS
WITH ordered AS (
    SELECT *, (found_at, run_id, found_by, term) AS rank
    FROM creator_lineage
),
ends AS (
    SELECT
        platform,
        creator_id,
        arg_min(run_id, rank) AS first_run_id,
        min(found_at) AS first_found_at,
        arg_min(found_by, rank) AS first_found_by,
        arg_min(term, rank) AS first_term,
        arg_max(run_id, rank) AS last_run_id,
        max(found_at) AS last_found_at,
        arg_max(found_by, rank) AS last_found_by,
        arg_max(term, rank) AS last_term
    FROM ordered
    GROUP BY platform, creator_id
),
listed AS (
    SELECT * FROM lineage_found_by('creator_lineage')
)
SELECT e.*, l.found_by
FROM ends AS e
JOIN listed AS l USING (platform, creator_id);
