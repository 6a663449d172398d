-- 018: the candidates view, materialised (issue 16). `candidates` numbered every latest score and
-- parsed every creator's flags JSON on each query (436 ms at 1M creators); `candidate_rows` holds
-- exactly its rows and columns, one row per candidate, so `scout candidates` is a scan of one table.
-- Its rows are the `candidate_source` view's (warehouse/views/020_candidate_source.sql, the
-- derivation): every write that changes a creator, a score, an audit or a lineage row refreshes
-- the creators it touched in its own transaction (warehouse/candidate_rows.py), and every rebuild
-- of the views refills it whole (also its backfill, right after this migration). A column the
-- derivation gains is added here by a later migration.

CREATE TABLE candidate_rows (
    platform             VARCHAR NOT NULL,
    creator_id           VARCHAR NOT NULL,
    handle               VARCHAR,
    display_name         VARCHAR,
    profile_url          VARCHAR,
    tier                 VARCHAR,
    followers            BIGINT,
    er_median            DOUBLE,
    adjusted_er          DOUBLE,
    authenticity_score   DOUBLE,
    authenticity_flags   JSON,
    has_high_flag        BOOLEAN,
    flag_evidence        VARCHAR,
    er_mean              DOUBLE,
    er_views_median      DOUBLE,
    er_formula           VARCHAR,
    posts_per_week       DOUBLE,
    days_since_last_post DOUBLE,
    account_type         VARCHAR,
    person_probability   DOUBLE,
    needs_review         BOOLEAN,
    evidence             JSON,
    sponsored_share      DOUBLE,
    collab_stance        VARCHAR,
    collab_evidence      VARCHAR,
    paid_posts           INTEGER,
    gifted_posts         INTEGER,
    affiliate_posts      INTEGER,
    paid_share           DOUBLE,
    past_partners        VARCHAR,
    niches               VARCHAR,
    niche                VARCHAR,
    language             VARCHAR,
    audience_credibility DOUBLE,
    contact_email        VARCHAR,
    contact_link         VARCHAR,
    found_by             VARCHAR,
    tier_scheme          VARCHAR,
    model_version        VARCHAR,
    authenticity_version VARCHAR,
    person_threshold     DOUBLE,
    scored_at            TIMESTAMPTZ,
    PRIMARY KEY (platform, creator_id)
);
