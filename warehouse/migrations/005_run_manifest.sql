-- 005: a run manifest, so a killed or failed run resumes where it stopped instead of starting over.
-- runs.status is 'running' until the last batch is loaded, then 'completed' ('failed' on an error);
-- fingerprint identifies "the same run again" (flow + platform + params) and refs is the ref list
-- the run discovered, so a resume works through exactly the same creators.

ALTER TABLE runs ADD COLUMN fingerprint VARCHAR;
ALTER TABLE runs ADD COLUMN refs JSON;
ALTER TABLE runs ADD COLUMN owner VARCHAR;  -- "host:pid" running it, so a live run is never resumed twice

-- One row per batch of a run. Batch 0 is discovery (search bodies); batch k >= 1 holds creator
-- refs (k-1)*size ... k*size-1. 'fetched' = raw bodies stored; 'loaded' = parsed, scored and loaded
-- in the same transaction that set the status.
CREATE TABLE run_batches (
    run_id    VARCHAR NOT NULL,
    batch_no  INTEGER NOT NULL,
    refs      JSON,
    status    VARCHAR NOT NULL CHECK (status IN ('fetched', 'loaded')),
    counts    JSON,
    fetched_at TIMESTAMPTZ,
    loaded_at  TIMESTAMPTZ,
    PRIMARY KEY (run_id, batch_no)
);

-- Which batch stored a body or an error: a resume re-parses a batch's bodies, and reloading a
-- batch replaces only that batch's errors.
ALTER TABLE raw_responses ADD COLUMN batch_no INTEGER;
ALTER TABLE scrape_errors ADD COLUMN batch_no INTEGER;
