-- 003: the person threshold each score was decided with, and the review band around it.
-- Candidates now include rows within the band (needs_review), flagged, instead of silently
-- keeping or dropping them.

ALTER TABLE creator_scores ADD COLUMN person_threshold DOUBLE;
ALTER TABLE creator_scores ADD COLUMN needs_review BOOLEAN;
