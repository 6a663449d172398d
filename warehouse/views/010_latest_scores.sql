-- The newest verdict per creator: by scored_at, ties broken by run_id.
CREATE VIEW latest_scores AS
SELECT *
FROM creator_scores
QUALIFY row_number() OVER (
    PARTITION BY platform, creator_id
    ORDER BY scored_at DESC, run_id DESC
) = 1;
