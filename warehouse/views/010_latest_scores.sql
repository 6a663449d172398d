-- The newest verdict per creator: by scored_at, ties broken by run_id. Marked at write time
-- (creator_scores.is_latest, kept by warehouse/latest.py), so this is a filter, not a ranking.
CREATE VIEW latest_scores AS
SELECT * EXCLUDE (is_latest)
FROM creator_scores
WHERE is_latest;
