-- 011: niches (issue 14). Each score carries what the creator posts about: `niches`, the top three
-- with probabilities ("food:0.91|travel:0.05|family:0.02", transforms/niches.py), and `niche`, the
-- first of them. NULL for scores made before this migration and for creators with no text at all.

ALTER TABLE creator_scores ADD COLUMN niches VARCHAR;
ALTER TABLE creator_scores ADD COLUMN niche VARCHAR;
