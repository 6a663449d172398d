-- 016: the latest score of each creator is marked where it is stored (issue 16). `is_latest` is
-- true on exactly one score per creator, the newest by scored_at (ties: the greater run_id), and
-- every write that adds, moves or removes scores keeps it so (warehouse/latest.py), so the
-- `latest_scores` view is a filter instead of numbering every historical row on each query.

ALTER TABLE creator_scores ADD COLUMN is_latest BOOLEAN NOT NULL DEFAULT false;

UPDATE creator_scores AS s SET is_latest = true
FROM (
    SELECT platform, creator_id, run_id FROM creator_scores
    QUALIFY row_number() OVER (PARTITION BY platform, creator_id ORDER BY scored_at DESC, run_id DESC) = 1
) AS newest
WHERE s.platform = newest.platform AND s.creator_id = newest.creator_id AND s.run_id = newest.run_id;
