-- What the candidates are: people in the nano and micro tiers (and accounts in the review band
-- around the person threshold, flagged needs_review), with the columns a marketer reads.
-- candidate_source(keys) derives the rows of the creators in the table named `keys` (platform,
-- creator_id); they are materialised in the table candidate_rows (migration 018, kept by
-- warehouse/candidate_rows.py), which the `candidates` view reads.
-- adjusted_er = er_median * authenticity_score / 100 (the default order); has_high_flag marks a
-- creator with a high-severity authenticity flag (held back by `scout candidates` by default);
-- flag_evidence is the flags' evidence lines, worst first, joined by "; "; found_by every way the
-- creator was found (lineage_found_by).
CREATE OR REPLACE MACRO candidate_source(keys) AS TABLE
WITH wanted AS (
    SELECT DISTINCT platform, creator_id FROM query_table(keys)
),
latest_audits AS (
    SELECT platform, creator_id, real_share AS audience_credibility
    FROM audience_audits
    WHERE (platform, creator_id) IN (SELECT platform, creator_id FROM wanted)
    QUALIFY row_number() OVER (PARTITION BY platform, creator_id ORDER BY audited_at DESC, run_id DESC) = 1
),
eligible AS (
    SELECT *
    FROM latest_scores
    WHERE (is_person OR coalesce(needs_review, false))
      AND tier IN ('nano', 'micro')
      AND (platform, creator_id) IN (SELECT platform, creator_id FROM wanted)
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
    s.er_median * coalesce(s.authenticity_score, 100) / 100 AS adjusted_er,
    s.authenticity_score,
    coalesce(s.authenticity_flags, '[]') AS authenticity_flags,
    coalesce(list_contains(CAST(json_extract_string(s.authenticity_flags, '$[*].severity') AS VARCHAR[]), 'high'),
             false) AS has_high_flag,
    array_to_string(CAST(json_extract_string(s.authenticity_flags, '$[*].evidence') AS VARCHAR[]), '; ')
        AS flag_evidence,
    s.er_mean,
    s.er_views_median,
    s.er_formula,
    s.posts_per_week,
    s.days_since_last_post,
    s.account_type,
    s.person_probability,
    coalesce(s.needs_review, false) AS needs_review,
    s.evidence,
    s.sponsored_share,
    s.collab_stance,
    s.collab_evidence,
    s.paid_posts,
    s.gifted_posts,
    s.affiliate_posts,
    s.paid_share,
    s.past_partners,
    s.niches,
    s.niche,
    s.language,
    a.audience_credibility,
    s.contact_email,
    s.contact_link,
    o.found_by,
    s.tier_scheme,
    s.model_version,
    s.authenticity_version,
    s.person_threshold,
    s.scored_at
FROM eligible AS s
JOIN creators AS c
  ON c.platform = s.platform
 AND c.creator_id = s.creator_id
LEFT JOIN latest_audits AS a
  ON a.platform = s.platform
 AND a.creator_id = s.creator_id
LEFT JOIN lineage_found_by(keys) AS o
  ON o.platform = s.platform
 AND o.creator_id = s.creator_id;

CREATE VIEW candidates AS
SELECT * FROM candidate_rows;
