-- 015: lineage, where each creator came from. One row per creator per run (or import) that found
-- it: found_by is how (query, hashtag, handle: a seed, directory: an instance's profile
-- directory, import: a saved file), term what (the query, the tag without #, the handle as typed,
-- the instance URL, the file), found_at when (the run's start). The creator_origins view gives
-- each creator's first and latest. runs.ref_sources holds [found_by, term] for each of the run's
-- refs, in runs.refs order, so a resumed run still knows how each ref was found.
CREATE TABLE creator_lineage (
    platform VARCHAR NOT NULL,
    creator_id VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    found_at TIMESTAMP WITH TIME ZONE NOT NULL,
    found_by VARCHAR NOT NULL,
    term VARCHAR NOT NULL
);

ALTER TABLE runs ADD COLUMN ref_sources JSON;
