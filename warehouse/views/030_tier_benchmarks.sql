-- What "normal" is per platform and tier, from the warehouse's own latest scores: how many
-- creators, the median and MAD of their log median ER, and the median of their comments per
-- 100 likes (over each creator's stored posts that report comments). The authenticity checks
-- use a cell only with enough creators (transforms/authenticity/benchmarks.py).
CREATE VIEW tier_benchmarks AS
WITH scored AS (
    SELECT platform, creator_id, tier, ln(er_median) AS log_er
    FROM latest_scores
    WHERE er_median > 0 AND tier IS NOT NULL
),
centre AS (
    SELECT platform, tier, count(*) AS n_creators, median(log_er) AS log_er_median
    FROM scored
    GROUP BY platform, tier
),
spread AS (
    SELECT s.platform, s.tier, median(abs(s.log_er - c.log_er_median)) AS log_er_mad
    FROM scored AS s
    JOIN centre AS c USING (platform, tier)
    GROUP BY s.platform, s.tier
),
replies AS (
    SELECT p.platform, p.creator_id, 100.0 * sum(p.comments) / sum(p.likes) AS comments_per_100_likes
    FROM posts AS p
    WHERE p.comments IS NOT NULL AND p.likes IS NOT NULL AND NOT p.is_repost
    GROUP BY p.platform, p.creator_id
    HAVING sum(p.likes) > 0
)
SELECT
    c.platform,
    c.tier,
    c.n_creators,
    c.log_er_median,
    d.log_er_mad,
    median(r.comments_per_100_likes) AS comments_per_100_likes
FROM centre AS c
JOIN spread AS d USING (platform, tier)
LEFT JOIN scored AS s ON s.platform = c.platform AND s.tier = c.tier
LEFT JOIN replies AS r ON r.platform = s.platform AND r.creator_id = s.creator_id
GROUP BY c.platform, c.tier, c.n_creators, c.log_er_median, d.log_er_mad;
