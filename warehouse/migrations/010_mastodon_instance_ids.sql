-- 010: one creator, one row on Mastodon. A Mastodon creator_id was the answering instance's own
-- account id, which another instance may also use; it becomes "<host>:<account id>"
-- (scrapers/mastodon/ids.py), the host name lower-case, without a port.
-- The host of an old id, first found wins:
--   1. the URL of the newest raw response fetched for it (its request_key), the instance that answered;
--   2. the creator's profile URL (wrong for a remote account, so only a fallback);
--   3. the domain of its handle (user@host; for a tombstone, the tombstoned handle).
-- A run's refs take the run's own instance (runs.params.base_url) first: it answered them.
-- An id whose host none of these names is KEPT as it was, bare (no ':' in it): never dropped;
-- `SELECT * FROM creators WHERE platform = 'mastodon' AND NOT contains(creator_id, ':')` lists them.

CREATE OR REPLACE TEMP MACRO masto_url_host(u) AS
    nullif(regexp_extract(lower(u), '^https?://(?:[^/@?#]*@)?([^/:?#]*)', 1), '');
CREATE OR REPLACE TEMP MACRO masto_handle_host(h) AS nullif(lower(split_part(ltrim(h, '@'), '@', 2)), '');
CREATE OR REPLACE TEMP MACRO masto_key(id, host) AS
    CASE WHEN id IS NULL OR contains(id, ':') OR host IS NULL THEN id ELSE host || ':' || id END;

-- Every old id, and its host by the rules above.
CREATE OR REPLACE TEMP TABLE masto_old_ids AS
SELECT DISTINCT creator_id AS id FROM (
    SELECT platform, creator_id FROM creators UNION ALL SELECT platform, creator_id FROM posts
    UNION ALL SELECT platform, creator_id FROM creator_snapshots UNION ALL SELECT platform, creator_id FROM creator_scores
    UNION ALL SELECT platform, creator_id FROM audience_audits
) WHERE platform = 'mastodon' AND NOT contains(creator_id, ':');

CREATE OR REPLACE TEMP TABLE masto_hosts AS
SELECT o.id, coalesce(
    (SELECT masto_url_host(r.url) FROM raw_responses AS r
     WHERE r.platform = 'mastodon' AND r.request_key = o.id AND masto_url_host(r.url) IS NOT NULL
     ORDER BY r.fetched_at DESC NULLS LAST LIMIT 1),
    (SELECT max(masto_url_host(c.profile_url)) FROM creators AS c WHERE c.platform = 'mastodon' AND c.creator_id = o.id),
    (SELECT max(masto_handle_host(c.handle)) FROM creators AS c WHERE c.platform = 'mastodon' AND c.creator_id = o.id)
) AS host
FROM masto_old_ids AS o;

-- Keyed tables: insert the new key, then delete the old one (a key is never updated in place).
INSERT INTO creators SELECT c.* REPLACE (masto_key(c.creator_id, h.host) AS creator_id)
FROM creators AS c JOIN masto_hosts AS h ON c.creator_id = h.id WHERE c.platform = 'mastodon' AND h.host IS NOT NULL;
DELETE FROM creators WHERE platform = 'mastodon' AND creator_id IN (SELECT id FROM masto_hosts WHERE host IS NOT NULL);

INSERT INTO creator_snapshots SELECT c.* REPLACE (masto_key(c.creator_id, h.host) AS creator_id)
FROM creator_snapshots AS c JOIN masto_hosts AS h ON c.creator_id = h.id WHERE c.platform = 'mastodon' AND h.host IS NOT NULL;
DELETE FROM creator_snapshots WHERE platform = 'mastodon' AND creator_id IN (SELECT id FROM masto_hosts WHERE host IS NOT NULL);

INSERT INTO creator_scores SELECT c.* REPLACE (masto_key(c.creator_id, h.host) AS creator_id)
FROM creator_scores AS c JOIN masto_hosts AS h ON c.creator_id = h.id WHERE c.platform = 'mastodon' AND h.host IS NOT NULL;
DELETE FROM creator_scores WHERE platform = 'mastodon' AND creator_id IN (SELECT id FROM masto_hosts WHERE host IS NOT NULL);

INSERT INTO audience_audits SELECT c.* REPLACE (masto_key(c.creator_id, h.host) AS creator_id)
FROM audience_audits AS c JOIN masto_hosts AS h ON c.creator_id = h.id WHERE c.platform = 'mastodon' AND h.host IS NOT NULL;
DELETE FROM audience_audits WHERE platform = 'mastodon' AND creator_id IN (SELECT id FROM masto_hosts WHERE host IS NOT NULL);

UPDATE posts SET creator_id = masto_key(posts.creator_id, h.host)
FROM masto_hosts AS h WHERE posts.platform = 'mastodon' AND posts.creator_id = h.id;

-- A body fetched for an account was answered by its own URL's instance.
UPDATE raw_responses SET request_key = masto_key(request_key, masto_url_host(url))
WHERE platform = 'mastodon' AND request_key IN (SELECT id FROM masto_old_ids);

-- An error names its creator by the request key (scrapers/parsing.py): its body's URL, else the id's host.
UPDATE scrape_errors SET handle = masto_key(scrape_errors.handle, coalesce(
    (SELECT masto_url_host(r.url) FROM raw_responses AS r WHERE r.response_id = scrape_errors.raw_response_id),
    masto_url_host(scrape_errors.url),
    (SELECT h.host FROM masto_hosts AS h WHERE h.id = scrape_errors.handle)))
WHERE platform = 'mastodon' AND handle IN (SELECT id FROM masto_old_ids);

-- JSON ref lists, element by element, order kept; "[forgotten]" and handles stay as they are.
CREATE OR REPLACE TEMP TABLE masto_ref_items AS
SELECT b.run_id, b.batch_no, masto_url_host(r.params ->> 'base_url') AS run_host,
       unnest(from_json(b.refs, '["VARCHAR"]')) AS ref, unnest(range(json_array_length(b.refs)::BIGINT)) AS i
FROM (SELECT run_id, -1 AS batch_no, refs FROM runs
      UNION ALL SELECT run_id, batch_no, refs FROM run_batches) AS b
JOIN runs AS r USING (run_id)
WHERE r.platform = 'mastodon' AND json_type(b.refs) = 'ARRAY';

CREATE OR REPLACE TEMP TABLE masto_ref_lists AS
SELECT run_id, batch_no, to_json(list(
    CASE WHEN ref = '[forgotten]' OR contains(ref, '@') THEN ref ELSE masto_key(ref, coalesce(run_host, h.host)) END
    ORDER BY i)) AS refs
FROM masto_ref_items LEFT JOIN masto_hosts AS h ON h.id = ref
GROUP BY run_id, batch_no;

UPDATE runs SET refs = l.refs FROM masto_ref_lists AS l WHERE l.run_id = runs.run_id AND l.batch_no = -1;
UPDATE run_batches SET refs = l.refs FROM masto_ref_lists AS l
WHERE l.run_id = run_batches.run_id AND l.batch_no = run_batches.batch_no;

-- Tombstones: an erased creator's rows are gone, so the tombstoned handle's domain names the host.
UPDATE tombstones SET creator_ids = list_sort(list_transform(creator_ids,
    lambda id: masto_key(id, masto_handle_host(tombstones.handle))))
WHERE platform = 'mastodon';

DROP TABLE masto_ref_lists; DROP TABLE masto_ref_items; DROP TABLE masto_hosts; DROP TABLE masto_old_ids;
DROP MACRO masto_key; DROP MACRO masto_handle_host; DROP MACRO masto_url_host;
