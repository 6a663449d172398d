-- 002: the views marketers query. Kept apart from the tables because they change more often.

-- The newest verdict per creator: by scored_at, ties broken by run_id.
CREATE VIEW latest_scores AS
SELECT *
FROM creator_scores
QUALIFY row_number() OVER (
    PARTITION BY platform, creator_id
    ORDER BY scored_at DESC, run_id DESC
) = 1;

-- People in the nano and micro tiers, with the columns a marketer reads.
CREATE VIEW candidates AS
WITH eligible AS (
    SELECT *
    FROM latest_scores
    WHERE is_person
      AND tier IN ('nano', 'micro')
)
SELECT
    c.platform,
    c.creator_id,
    c.handle,
    c.display_name,
    c.profile_url,
    s.tier,
    c.followers,
    s.er_median,
    s.er_mean,
    s.posts_per_week,
    s.days_since_last_post,
    s.account_type,
    s.person_probability,
    s.evidence,
    s.sponsored_share,
    s.contact_email,
    s.contact_link,
    s.tier_scheme,
    s.model_version,
    s.scored_at
FROM eligible AS s
JOIN creators AS c
  ON c.platform = s.platform
 AND c.creator_id = s.creator_id;
