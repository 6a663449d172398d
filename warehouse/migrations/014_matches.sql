-- 014: saved shortlists (issue 14). A brief saved with `scout match --save NAME` is one row of
-- `briefs` (its words, its filters and seeds as JSON, the fit formula's version); its ranked
-- creators are rows of `matches`, with the fit score's components and evidence as they were when
-- matched. Saving the same name again replaces both in one transaction (warehouse/shortlists.py);
-- a name is unique among briefs by that rule, not by a constraint. `scored_at` names the score a
-- creator was matched on (with platform and creator_id, its row of creator_scores). `scout forget` deletes a
-- creator's matches (the table has platform and creator_id, warehouse/forget.py finds it).

CREATE TABLE briefs (
    brief_id    VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    text        VARCHAR NOT NULL,
    params      JSON NOT NULL,
    fit_version VARCHAR NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE matches (
    brief_id     VARCHAR NOT NULL,
    platform     VARCHAR NOT NULL,
    creator_id   VARCHAR NOT NULL,
    scored_at    TIMESTAMPTZ,
    fit_rank     INTEGER NOT NULL,
    fit_score    DOUBLE,
    fit_niche    DOUBLE,
    fit_text     DOUBLE,
    fit_language DOUBLE,
    fit_quality  DOUBLE,
    fit_like     DOUBLE,
    fit_evidence VARCHAR,
    matched_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (brief_id, platform, creator_id)
);
