-- Followers at each snapshot, with growth over the last 7, 30 and 90 days before it: the
-- change since the newest snapshot at least that old, and per day over the actual span.
-- NULL where there is no snapshot that old (a creator seen once has no growth).
CREATE VIEW creator_growth AS
WITH snaps AS (
    SELECT platform, creator_id, observed_at, run_id, followers
    FROM creator_snapshots
    WHERE followers IS NOT NULL
)
SELECT
    s.platform,
    s.creator_id,
    s.observed_at,
    s.run_id,
    s.followers,
    s.followers - w7.followers AS growth_7d,
    (s.followers - w7.followers) / (epoch(s.observed_at - w7.observed_at) / 86400.0) AS growth_per_day_7d,
    s.followers - w30.followers AS growth_30d,
    (s.followers - w30.followers) / (epoch(s.observed_at - w30.observed_at) / 86400.0) AS growth_per_day_30d,
    s.followers - w90.followers AS growth_90d,
    (s.followers - w90.followers) / (epoch(s.observed_at - w90.observed_at) / 86400.0) AS growth_per_day_90d
FROM snaps AS s
ASOF LEFT JOIN snaps AS w7
  ON w7.platform = s.platform AND w7.creator_id = s.creator_id
 AND s.observed_at - INTERVAL 7 DAY >= w7.observed_at
ASOF LEFT JOIN snaps AS w30
  ON w30.platform = s.platform AND w30.creator_id = s.creator_id
 AND s.observed_at - INTERVAL 30 DAY >= w30.observed_at
ASOF LEFT JOIN snaps AS w90
  ON w90.platform = s.platform AND w90.creator_id = s.creator_id
 AND s.observed_at - INTERVAL 90 DAY >= w90.observed_at;
