-- 008: authenticity (issue 13). Each score carries its authenticity_score (0-100, NULL for scores
-- made before this migration), the flags behind it (a JSON list of {name, severity, value,
-- threshold, evidence}) and the version of the checks and formula (authenticity-v1).

ALTER TABLE creator_scores ADD COLUMN authenticity_score DOUBLE;
ALTER TABLE creator_scores ADD COLUMN authenticity_flags JSON;
ALTER TABLE creator_scores ADD COLUMN authenticity_version VARCHAR;

-- When the account was made, where the platform says (Mastodon, Bluesky); NULL elsewhere.
ALTER TABLE creators ADD COLUMN account_created_at TIMESTAMPTZ;
