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
ways AS (
    SELECT platform, creator_id, found_by || ': ' || term AS way, min(found_at) AS since
    FROM creator_lineage
    GROUP BY ALL
),
listed AS (
    SELECT platform, creator_id, string_agg(way, '; ' ORDER BY since, way) AS found_by
    FROM ways
    GROUP BY platform, creator_id
)
SELECT e.*, l.found_by
FROM ends AS e
JOIN listed AS l USING (platform, creator_id);
