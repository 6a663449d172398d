-- 017: which content model made each score's `content_vector` (issue 14). Vectors of two models
-- do not compare: from this version on the vector is an LSA of the captions (transforms/
-- content_model.py, CONTENT_VERSION e.g. `lsa-v1`); the vectors stored before it were a signed
-- random projection of hashed n-grams, marked `projection-v0` here. A match treats a vector of
-- another version than its own as unknown (`scout rescore` makes new ones).

ALTER TABLE creator_scores ADD COLUMN content_version VARCHAR;

UPDATE creator_scores SET content_version = 'projection-v0' WHERE content_vector IS NOT NULL;
