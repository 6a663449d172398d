-- 001: the warehouse tables. Keys make every load an idempotent upsert.

-- One row per flow run: what was asked (params) and what was loaded (counts).
CREATE TABLE runs (
    run_id      VARCHAR PRIMARY KEY,
    flow        VARCHAR,
    platform    VARCHAR,
    params      JSON,
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    status      VARCHAR,
    counts      JSON
);

-- The current profile of each creator; history lives in creator_snapshots.
CREATE TABLE creators (
    platform      VARCHAR NOT NULL,
    creator_id    VARCHAR NOT NULL,
    handle        VARCHAR NOT NULL,
    display_name  VARCHAR,
    bio           VARCHAR,
    followers     BIGINT,
    following     BIGINT,
    posts_count   BIGINT,
    verified      BOOLEAN,
    is_bot        BOOLEAN,
    avatar_url    VARCHAR,
    external_url  VARCHAR,
    profile_url   VARCHAR,
    first_seen_at TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    first_run_id  VARCHAR,  -- the run that discovered the creator (provenance; makes reruns count alike)
    last_run_id   VARCHAR,
    PRIMARY KEY (platform, creator_id)
);

-- Counts per observation: one row per creator per run, never updated by a later run.
CREATE TABLE creator_snapshots (
    platform    VARCHAR NOT NULL,
    creator_id  VARCHAR NOT NULL,
    observed_at TIMESTAMPTZ NOT NULL,
    run_id      VARCHAR NOT NULL,
    followers   BIGINT,
    following   BIGINT,
    posts_count BIGINT,
    PRIMARY KEY (platform, creator_id, run_id)
);

CREATE TABLE posts (
    platform      VARCHAR NOT NULL,
    post_id       VARCHAR NOT NULL,
    creator_id    VARCHAR NOT NULL,
    published_at  TIMESTAMPTZ,
    text          VARCHAR,
    likes         BIGINT,
    comments      BIGINT,
    shares        BIGINT,
    views         BIGINT,
    is_repost     BOOLEAN NOT NULL DEFAULT false,
    is_sponsored  BOOLEAN NOT NULL DEFAULT false,
    first_seen_at TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    first_run_id  VARCHAR,  -- the run that first stored the post
    PRIMARY KEY (platform, post_id)
);

-- One score per creator per run, so a rescore never erases the previous verdict.
CREATE TABLE creator_scores (
    platform             VARCHAR NOT NULL,
    creator_id           VARCHAR NOT NULL,
    run_id               VARCHAR NOT NULL,
    scored_at            TIMESTAMPTZ NOT NULL,
    n_posts              BIGINT,
    er_median            DOUBLE,
    er_mean              DOUBLE,
    er_formula           VARCHAR,
    posts_per_week       DOUBLE,
    days_since_last_post DOUBLE,
    sponsored_share      DOUBLE,
    repost_share         DOUBLE,
    tier                 VARCHAR,
    tier_scheme          VARCHAR,
    account_type         VARCHAR,
    person_probability   DOUBLE,
    is_person            BOOLEAN,
    evidence             JSON,
    model_version        VARCHAR,
    metrics_version      VARCHAR,
    contact_email        VARCHAR,
    contact_link         VARCHAR,
    PRIMARY KEY (platform, creator_id, run_id)
);

-- Every HTTP exchange verbatim, so parsing can be redone without refetching.
CREATE TABLE raw_responses (
    response_id  VARCHAR PRIMARY KEY,
    run_id       VARCHAR,
    platform     VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    request_key  VARCHAR,
    url          VARCHAR,
    status       INTEGER,
    content_type VARCHAR,
    fetched_at   TIMESTAMPTZ,
    body         VARCHAR
);

-- No natural key: a rerun of a run deletes that run's errors and inserts them again.
CREATE TABLE scrape_errors (
    run_id          VARCHAR NOT NULL,
    platform        VARCHAR NOT NULL,
    handle          VARCHAR,
    url             VARCHAR,
    status          INTEGER,
    reason          VARCHAR NOT NULL,
    raw_response_id VARCHAR,
    occurred_at     TIMESTAMPTZ
);
