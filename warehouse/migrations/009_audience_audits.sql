-- 009: audience credibility from a follower sample, one row per audit (a creator audited in two
-- runs has two rows; the candidates view shows the latest). real_share is the share of sampled
-- followers the follower model calls real, ci_low/ci_high its Wilson 95% interval. A platform that
-- lists no followers (YouTube, Instagram, TikTok) gets a row of nulls with the reason.
CREATE TABLE audience_audits (
    platform VARCHAR NOT NULL,
    creator_id VARCHAR NOT NULL,
    audited_at TIMESTAMP WITH TIME ZONE NOT NULL,
    run_id VARCHAR NOT NULL,
    sample_size INTEGER NOT NULL DEFAULT 0,
    real_share DOUBLE,
    ci_low DOUBLE,
    ci_high DOUBLE,
    fake_share DOUBLE,
    mass_share DOUBLE,
    model_version VARCHAR,
    reason VARCHAR,
    PRIMARY KEY (platform, creator_id, audited_at)
);
