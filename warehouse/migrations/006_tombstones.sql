-- 006: creators who asked to be forgotten. `scout forget` erases their rows and records them
-- here, in the same transaction; every later discover or import skips them by handle or id.
-- handle is normalised: lower-case, no leading @. creator_ids are the ids they had when erased.

CREATE TABLE tombstones (
    platform     VARCHAR NOT NULL,
    handle       VARCHAR NOT NULL,
    creator_ids  VARCHAR[] NOT NULL,
    forgotten_at TIMESTAMPTZ NOT NULL,
    reason       VARCHAR,
    PRIMARY KEY (platform, handle)
);
