-- 004: engagement by views for video platforms (YouTube, TikTok, Instagram reels), kept beside
-- the follower-based ER so each can be compared with what the commercial tools publish.

ALTER TABLE creator_scores ADD COLUMN er_views_median DOUBLE;
ALTER TABLE creator_scores ADD COLUMN er_views_mean DOUBLE;
