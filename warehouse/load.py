"""Load one run's frames into the warehouse: all of it in one transaction, or none of it.

Each frame is registered with DuckDB and staged into a typed temp table (casts and in-frame
de-duplication in one readable CTE), then written in bulk with ``INSERT ... BY NAME``.
Idempotence comes from the keys:

* ``creators`` and ``posts`` are upserts: a new run updates them, never duplicates them, and
  ``first_seen_at`` survives. The newer observation wins; an unknown (NULL) value never erases a
  known one, because NULL means "not observed", not "zero" or "empty".
* ``creator_snapshots``, ``creator_scores`` and ``scrape_errors`` are partitioned by run: the run's
  rows are deleted and inserted again, so a rerun of a run_id replaces and a new run adds.
* ``raw_responses`` are kept once per response_id (the first run that stored a body owns it).
"""

from __future__ import annotations

import json
import os
import signal
import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from core.settings import Settings
from warehouse.db import DbPath, WarehouseError, connect, settings_now
from warehouse.forget import erase
from warehouse.tombstones import (
    FORGOTTEN_REF,
    drop_tombstoned,
    keep_raws,
    keep_refs,
    revealed_ids,
)

PROFILE_COLUMNS = (
    "platform", "creator_id", "handle", "display_name", "bio", "followers", "following",
    "posts_count", "verified", "avatar_url", "external_url", "profile_url", "is_bot", "observed_at",
)
POST_COLUMNS = (
    "platform", "post_id", "creator_id", "published_at", "text", "likes", "comments", "shares",
    "views", "is_repost", "is_sponsored", "observed_at",
)
SCORE_COLUMNS = (
    "platform", "creator_id", "scored_at", "n_posts", "er_median", "er_mean", "er_formula",
    "er_views_median", "er_views_mean", "posts_per_week", "days_since_last_post",
    "sponsored_share", "repost_share", "tier", "tier_scheme", "account_type", "person_probability", "is_person", "person_threshold",
    "needs_review", "evidence", "model_version", "metrics_version", "contact_email", "contact_link",
)
RAW_COLUMNS = (
    "platform", "kind", "request_key", "url", "status", "body", "fetched_at", "content_type",
    "response_id",
)
ERROR_COLUMNS = ("platform", "handle", "url", "status", "reason", "raw_response_id", "occurred_at")
RUN_KEYS = ("flow", "platform", "params", "started_at", "finished_at", "status")

# Profile columns that are upserted with "newer observation wins, NULL never erases".
_CREATOR_FIELDS = (
    "handle", "display_name", "bio", "followers", "following", "posts_count", "verified",
    "is_bot", "avatar_url", "external_url", "profile_url",
)
_POST_FIELDS = ("creator_id", "published_at", "text", "likes", "comments", "shares", "views")

# ---------------------------------------------------------------------------------------------
# Staging: one typed, de-duplicated temp table per input frame.
# ---------------------------------------------------------------------------------------------

_STAGE_PROFILES = """
CREATE OR REPLACE TEMP TABLE stg_profiles AS
WITH typed AS (
    SELECT
        CAST(platform AS VARCHAR)       AS platform,
        CAST(creator_id AS VARCHAR)     AS creator_id,
        CAST(handle AS VARCHAR)         AS handle,
        CAST(display_name AS VARCHAR)   AS display_name,
        CAST(bio AS VARCHAR)            AS bio,
        CAST(followers AS BIGINT)       AS followers,
        CAST(following AS BIGINT)       AS following,
        CAST(posts_count AS BIGINT)     AS posts_count,
        CAST(verified AS BOOLEAN)       AS verified,
        CAST(is_bot AS BOOLEAN)         AS is_bot,
        CAST(avatar_url AS VARCHAR)     AS avatar_url,
        CAST(external_url AS VARCHAR)   AS external_url,
        CAST(profile_url AS VARCHAR)    AS profile_url,
        CAST(observed_at AS TIMESTAMPTZ) AS observed_at
    FROM in_profiles
),
newest_per_creator AS (
    SELECT *
    FROM typed
    QUALIFY row_number() OVER (
        PARTITION BY platform, creator_id ORDER BY observed_at DESC NULLS LAST
    ) = 1
)
SELECT * FROM newest_per_creator
"""

_STAGE_POSTS = """
CREATE OR REPLACE TEMP TABLE stg_posts AS
WITH typed AS (
    SELECT
        CAST(platform AS VARCHAR)               AS platform,
        CAST(post_id AS VARCHAR)                AS post_id,
        CAST(creator_id AS VARCHAR)             AS creator_id,
        CAST(published_at AS TIMESTAMPTZ)       AS published_at,
        CAST(text AS VARCHAR)                   AS text,
        CAST(likes AS BIGINT)                   AS likes,
        CAST(comments AS BIGINT)                AS comments,
        CAST(shares AS BIGINT)                  AS shares,
        CAST(views AS BIGINT)                   AS views,
        coalesce(CAST(is_repost AS BOOLEAN), false)    AS is_repost,
        coalesce(CAST(is_sponsored AS BOOLEAN), false) AS is_sponsored,
        CAST(observed_at AS TIMESTAMPTZ)        AS observed_at
    FROM in_posts
),
newest_per_post AS (
    SELECT *
    FROM typed
    QUALIFY row_number() OVER (
        PARTITION BY platform, post_id ORDER BY observed_at DESC NULLS LAST
    ) = 1
)
SELECT * FROM newest_per_post
"""

_STAGE_SCORES = """
CREATE OR REPLACE TEMP TABLE stg_scores AS
WITH typed AS (
    SELECT
        CAST(platform AS VARCHAR)              AS platform,
        CAST(creator_id AS VARCHAR)            AS creator_id,
        CAST(scored_at AS TIMESTAMPTZ)         AS scored_at,
        CAST(n_posts AS BIGINT)                AS n_posts,
        CAST(er_median AS DOUBLE)              AS er_median,
        CAST(er_mean AS DOUBLE)                AS er_mean,
        CAST(er_formula AS VARCHAR)            AS er_formula,
        CAST(er_views_median AS DOUBLE)        AS er_views_median,
        CAST(er_views_mean AS DOUBLE)          AS er_views_mean,
        CAST(posts_per_week AS DOUBLE)         AS posts_per_week,
        CAST(days_since_last_post AS DOUBLE)   AS days_since_last_post,
        CAST(sponsored_share AS DOUBLE)        AS sponsored_share,
        CAST(repost_share AS DOUBLE)           AS repost_share,
        CAST(tier AS VARCHAR)                  AS tier,
        CAST(tier_scheme AS VARCHAR)           AS tier_scheme,
        CAST(account_type AS VARCHAR)          AS account_type,
        CAST(person_probability AS DOUBLE)     AS person_probability,
        CAST(is_person AS BOOLEAN)             AS is_person,
        CAST(person_threshold AS DOUBLE)       AS person_threshold,
        CAST(needs_review AS BOOLEAN)          AS needs_review,
        CAST(evidence AS JSON)                 AS evidence,
        CAST(model_version AS VARCHAR)         AS model_version,
        CAST(metrics_version AS VARCHAR)       AS metrics_version,
        CAST(contact_email AS VARCHAR)         AS contact_email,
        CAST(contact_link AS VARCHAR)          AS contact_link
    FROM in_scores
),
newest_per_creator AS (
    SELECT *
    FROM typed
    QUALIFY row_number() OVER (
        PARTITION BY platform, creator_id ORDER BY scored_at DESC NULLS LAST
    ) = 1
)
SELECT * FROM newest_per_creator
"""

_STAGE_RAW = """
CREATE OR REPLACE TEMP TABLE stg_raw AS
WITH typed AS (
    SELECT
        CAST(response_id AS VARCHAR)   AS response_id,
        CAST(platform AS VARCHAR)      AS platform,
        CAST(kind AS VARCHAR)          AS kind,
        CAST(request_key AS VARCHAR)   AS request_key,
        CAST(url AS VARCHAR)           AS url,
        CAST(status AS INTEGER)        AS status,
        CAST(content_type AS VARCHAR)  AS content_type,
        CAST(fetched_at AS TIMESTAMPTZ) AS fetched_at,
        CAST(body AS VARCHAR)          AS body
    FROM in_raw
),
one_per_response AS (
    SELECT *
    FROM typed
    QUALIFY row_number() OVER (PARTITION BY response_id ORDER BY fetched_at) = 1
)
SELECT * FROM one_per_response
"""

_STAGE_ERRORS = """
CREATE OR REPLACE TEMP TABLE stg_errors AS
SELECT
    CAST(platform AS VARCHAR)          AS platform,
    CAST(handle AS VARCHAR)            AS handle,
    CAST(url AS VARCHAR)               AS url,
    CAST(status AS INTEGER)            AS status,
    CAST(reason AS VARCHAR)            AS reason,
    CAST(raw_response_id AS VARCHAR)   AS raw_response_id,
    CAST(occurred_at AS TIMESTAMPTZ)   AS occurred_at
FROM in_errors
"""


def _prefer_newer(table: str, columns: tuple[str, ...]) -> str:
    """SET clauses: the newer observation wins, and NULL (unknown) never erases a known value."""
    newer = f"excluded.last_seen_at >= {table}.last_seen_at"
    return ",\n    ".join(
        f"{c} = CASE WHEN {newer} THEN coalesce(excluded.{c}, {table}.{c}) "
        f"ELSE coalesce({table}.{c}, excluded.{c}) END"
        for c in columns
    )


_UPSERT_CREATORS = f"""
INSERT INTO creators BY NAME
SELECT
    platform, creator_id, handle, display_name, bio, followers, following, posts_count,
    verified, is_bot, avatar_url, external_url, profile_url,
    observed_at AS first_seen_at,
    observed_at AS last_seen_at,
    $run_id     AS first_run_id,
    $run_id     AS last_run_id
FROM stg_profiles
ON CONFLICT (platform, creator_id) DO UPDATE SET
    {_prefer_newer("creators", _CREATOR_FIELDS)},
    last_run_id = CASE WHEN excluded.last_seen_at >= creators.last_seen_at
                       THEN excluded.last_run_id ELSE creators.last_run_id END,
    first_seen_at = least(creators.first_seen_at, excluded.first_seen_at),
    last_seen_at = greatest(creators.last_seen_at, excluded.last_seen_at)
"""

_UPSERT_POSTS = f"""
INSERT INTO posts BY NAME
SELECT
    platform, post_id, creator_id, published_at, text, likes, comments, shares, views,
    is_repost, is_sponsored,
    observed_at AS first_seen_at,
    observed_at AS last_seen_at,
    $run_id     AS first_run_id
FROM stg_posts
ON CONFLICT (platform, post_id) DO UPDATE SET
    {_prefer_newer("posts", _POST_FIELDS)},
    is_repost = CASE WHEN excluded.last_seen_at >= posts.last_seen_at
                     THEN excluded.is_repost ELSE posts.is_repost END,
    is_sponsored = CASE WHEN excluded.last_seen_at >= posts.last_seen_at
                        THEN excluded.is_sponsored ELSE posts.is_sponsored END,
    first_seen_at = least(posts.first_seen_at, excluded.first_seen_at),
    last_seen_at = greatest(posts.last_seen_at, excluded.last_seen_at)
"""

# "New" means first stored by this run, so a retried load of the same run reports the same counts.
_COUNT_NEW_AND_EXISTING = """
WITH matched AS (
    SELECT t.{key} IS NULL OR t.first_run_id = $run_id AS is_new
    FROM {staged} AS s
    LEFT JOIN {table} AS t
      ON t.platform = s.platform AND t.{key} = s.{key}
)
SELECT
    count(*) FILTER (WHERE is_new)     AS new_rows,
    count(*) FILTER (WHERE NOT is_new) AS existing_rows
FROM matched
"""


def load_run(
    db_path: DbPath,
    *,
    run_id: str,
    profiles: pd.DataFrame,
    posts: pd.DataFrame,
    scores: pd.DataFrame,
    raw_responses: pd.DataFrame,
    errors: pd.DataFrame,
    run: Mapping[str, Any],
) -> dict[str, int]:
    """Write one run's frames atomically and return what changed (also stored in ``runs.counts``)."""
    _require_run_id(run_id)
    frames = _checked_frames(profiles, posts, scores, errors, raw_responses)
    run_row = _run_row(run_id, run)
    with connect(db_path) as con, _transaction(con, f"Loading run {run_id}"), \
            _registered(con, _honour_tombstones(con, frames)):
        counts = _load_all(con, run_id, None)
        con.execute(
            "INSERT OR REPLACE INTO runs "
            "(run_id, flow, platform, params, started_at, finished_at, status, counts) "
            "VALUES (?, ?, ?, CAST(? AS JSON), ?, ?, ?, CAST(? AS JSON))",
            [*run_row, json.dumps(counts)],
        )
    return counts


# ---------------------------------------------------------------------------------------------
# Batched runs: a manifest (runs + run_batches) and two short transactions per batch, so a killed
# run resumes from what is stored and other processes get the file between batches.
# ---------------------------------------------------------------------------------------------

def fault_point(stage: str, batch_no: int, config: Settings | None = None) -> None:
    """Test-only fault injection: die like ``kill -9`` when ``SCOUT_FAULT_KILL_AT`` names this
    stage and batch (``load:3``: inside the transaction that loads batch 3; ``store:N``: the one
    storing its raw bodies; ``fetch:N``: after fetching, before storing), or SIGSTOP when
    ``SCOUT_FAULT_STOP_AT`` does, so a test can act between batches and then SIGCONT the run.
    Unset, it does nothing."""
    here = f"{stage}:{batch_no}"
    config = settings_now(config)
    if config.fault_kill_at == here:
        os.kill(os.getpid(), signal.SIGKILL)
    if config.fault_stop_at == here:
        os.kill(os.getpid(), signal.SIGSTOP)


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _alive(owner: str | None) -> bool:
    """Whether the process that owns a run is still running (only knowable on this host)."""
    host, _, pid = (owner or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return True
    return Path(f"/proc/{pid}").exists() if Path("/proc/self").exists() else _pid_exists(int(pid))


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def nothing_to_resume(flow_name: str, platform: str) -> WarehouseError:
    return WarehouseError(
        f"Nothing to resume: no unfinished {flow_name} run on {platform} with these parameters "
        "in the warehouse (rerun without --resume to start a new one)."
    )


def _unfinished(con: duckdb.DuckDBPyConnection, fingerprint: str) -> tuple[Any, ...] | None:
    """(run_id, started_at, refs, owner) of the latest resumable run with this fingerprint."""
    rows = con.execute(
        "SELECT run_id, started_at, refs, owner FROM runs "
        "WHERE fingerprint = ? AND status IN ('running', 'failed') ORDER BY started_at DESC",
        [fingerprint],
    ).fetchall()
    return next((r for r in rows if r[3] == this_process() or not _alive(r[3])), None)


def unfinished_run(db_path: DbPath, fingerprint: str) -> str | None:
    """The run a rerun with this fingerprint would continue, if any (a read-only look)."""
    if not Path(db_path).exists():
        return None
    with connect(db_path, read_only=True) as con:
        found = _unfinished(con, fingerprint)
    return None if found is None else str(found[0])


def open_run(
    db_path: DbPath, run_id: str, run: Mapping[str, Any], fingerprint: str, *, resume_only: bool = False,
) -> dict[str, Any]:
    """Claim the latest unfinished run with this fingerprint, or start ``run_id`` as a new one.

    ``resume_only`` raises a :class:`WarehouseError` instead of starting a new run.

    Returns ``{"run_id", "started_at", "refs", "resumed", "batches"}`` where ``batches`` maps
    batch_no -> {"status", "refs", "counts"} of what is already stored. A run whose owner process
    is still alive is someone else's work in progress and is never claimed.
    """
    _require_run_id(run_id)
    row = _run_row(run_id, run)
    with connect(db_path) as con, _transaction(con, f"Starting run {run_id}"):
        claimed = _unfinished(con, fingerprint)
        if claimed is None and resume_only:
            raise nothing_to_resume(run["flow"], run["platform"])
        if claimed is None:
            con.execute(
                "INSERT INTO runs (run_id, flow, platform, params, started_at, finished_at, status, "
                "fingerprint, owner) VALUES (?, ?, ?, CAST(? AS JSON), ?, NULL, 'running', ?, ?)",
                [*row[:5], fingerprint, this_process()],
            )
            return {"run_id": run_id, "started_at": row[4], "refs": None, "resumed": False, "batches": {}}
        run_id, started_at, refs, _ = claimed
        con.execute(
            "UPDATE runs SET status = 'running', finished_at = NULL, owner = ? WHERE run_id = ?",
            [this_process(), run_id],
        )
        batches = {
            batch_no: {"status": status, "refs": json.loads(b_refs or "[]"), "counts": json.loads(b_counts or "{}")}
            for batch_no, status, b_refs, b_counts in con.execute(
                "SELECT batch_no, status, refs, counts FROM run_batches WHERE run_id = ?", [run_id]
            ).fetchall()
        }
    return {"run_id": run_id, "started_at": started_at, "refs": None if refs is None else json.loads(refs),
            "resumed": True, "batches": batches}


def store_batch(
    db_path: DbPath,
    *,
    run_id: str,
    batch_no: int,
    refs: list[str],
    raw_responses: pd.DataFrame,
    counts: Mapping[str, Any],
    run_refs: list[str] | None = None,
) -> None:
    """Phase 1 of a batch: its raw bodies, and the batch marked 'fetched', in one transaction.

    ``run_refs`` (given with the discovery batch) is the run's ref list, stored with it so a resume
    works through the same creators.
    """
    _require_run_id(run_id)
    _require_columns("raw", raw_responses, RAW_COLUMNS)
    params = {"run_id": run_id, "batch_no": batch_no}
    with _uncheckpointed(db_path) as con, _transaction(con, f"Storing batch {batch_no} of run {run_id}"):
        # Tombstones as of this transaction: a creator forgotten mid-run is not stored, by name.
        gone = _tombstones(con)
        if not gone.empty:
            raw_responses = raw_responses[keep_raws(raw_responses, gone)]
            found = con.execute("SELECT platform FROM runs WHERE run_id = ?", [run_id]).fetchall()
            platform = found[0][0] if found else ""
            refs = _scrub_refs(platform, refs, gone)
            run_refs = None if run_refs is None else _scrub_refs(platform, run_refs, gone)
        con.register("in_raw", raw_responses)
        con.execute(_STAGE_RAW)
        con.unregister("in_raw")
        con.execute(_INSERT_RAW, params)
        con.execute(
            "INSERT OR REPLACE INTO run_batches (run_id, batch_no, refs, status, counts, fetched_at) "
            "VALUES ($run_id, $batch_no, CAST($refs AS JSON), 'fetched', CAST($counts AS JSON), now())",
            {**params, "refs": json.dumps(refs), "counts": json.dumps(dict(counts))},
        )
        if run_refs is not None:
            con.execute("UPDATE runs SET refs = CAST(? AS JSON) WHERE run_id = ?", [json.dumps(run_refs), run_id])
        fault_point("store", batch_no)


def load_batch(
    db_path: DbPath,
    *,
    run_id: str,
    batch_no: int,
    profiles: pd.DataFrame,
    posts: pd.DataFrame,
    scores: pd.DataFrame,
    errors: pd.DataFrame,
    counts: Mapping[str, Any],
) -> dict[str, int]:
    """Phase 2 of a batch: its records loaded and the batch marked 'loaded', in one transaction.

    Reloading a batch replaces its snapshots, scores and errors (per run and creator, or per run
    and batch), so a resumed batch never duplicates. ``counts`` (the fetch side) are stored with
    the load counts in ``run_batches.counts``.
    """
    _require_run_id(run_id)
    frames = _checked_frames(profiles, posts, scores, errors)
    with connect(db_path) as con, _transaction(con, f"Loading batch {batch_no} of run {run_id}"), \
            _registered(con, _honour_tombstones(con, frames)):
        loaded = _load_all(con, run_id, batch_no)
        con.execute(
            "UPDATE run_batches SET status = 'loaded', counts = CAST(? AS JSON), loaded_at = now() "
            "WHERE run_id = ? AND batch_no = ?",
            [json.dumps({**counts, **loaded}), run_id, batch_no],
        )
        fault_point("load", batch_no)
    return loaded


def _tombstones(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT platform, handle, creator_ids FROM tombstones").df()


def _scrub_refs(platform: str, refs: list[str], gone: pd.DataFrame) -> list[str]:
    """A run's refs with tombstoned creators replaced by FORGOTTEN_REF (the batches keep their shape)."""
    kept = set(keep_refs(platform, refs, gone))
    return [ref if ref in kept else FORGOTTEN_REF for ref in refs]


def _honour_tombstones(con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The frames without tombstoned creators, tombstones read inside the load's transaction, so
    a ``scout forget`` that committed at any moment before (even mid-run) holds.

    A tombstoned handle seen here with an id its tombstone did not know (forgotten before it was
    ever stored) gets that id added, and everything stored under it is erased: the bodies this
    run's store phase kept under the id, and the run's refs naming it.
    """
    gone = _tombstones(con)
    if gone.empty:
        return frames
    erased: set[str] = set()
    for (platform, handle), ids in revealed_ids(frames["profiles"], gone).items():
        known = con.execute(
            "UPDATE tombstones SET creator_ids = list_sort(list_distinct(list_concat(creator_ids, $ids))) "
            "WHERE platform = $platform AND handle = $handle RETURNING creator_ids",
            {"platform": platform, "handle": handle, "ids": ids},
        ).fetchall()
        erase(con, platform, handle, list(known[0][0]) if known else ids)
        erased |= {r for (r,) in con.execute("SELECT response_id FROM forget_raw").fetchall()}
    if erased:
        gone = _tombstones(con)
    out, _ = drop_tombstoned(frames, gone)
    if "raw" in out:
        keep = keep_raws(out["raw"], gone)
        erased |= set(out["raw"].loc[~keep, "response_id"].astype(str))
        out["raw"] = out["raw"][keep]
    errors = out["errors"]
    named = pd.Series(False, index=errors.index)
    for platform in errors["platform"].dropna().unique():
        mine = errors["platform"] == platform
        handles = errors.loc[mine, "handle"].fillna("").astype(str).tolist()
        allowed = set(keep_refs(platform, handles, gone))
        named |= mine & ~errors["handle"].fillna("").astype(str).isin(allowed)
    out["errors"] = errors[~(named | errors["raw_response_id"].isin(erased))]
    return out


def finish_run(db_path: DbPath, run_id: str, *, status: str, counts: Mapping[str, Any]) -> None:
    """Close a run: 'completed' (never resumed again) or 'failed' (the next identical run resumes it)."""
    if status not in ("completed", "failed"):
        raise WarehouseError(f"A run finishes as 'completed' or 'failed', not {status!r}.")
    with connect(db_path) as con:
        con.execute(
            "UPDATE runs SET status = ?, finished_at = now(), counts = CAST(? AS JSON), owner = NULL "
            "WHERE run_id = ?",
            [status, json.dumps(dict(counts), default=str), run_id],
        )


@contextmanager
def _uncheckpointed(db_path: DbPath) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection that leaves its commits in the WAL when it closes (durable all the same).

    Used for storing a batch's bodies: the batch's load, a moment later, checkpoints both on
    close, so the WAL never holds more than one batch and each batch pays one checkpoint
    (~0.1 s), not two.
    """
    with connect(db_path) as con:
        con.execute("PRAGMA disable_checkpoint_on_shutdown")
        yield con


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection, what: str) -> Iterator[None]:
    """BEGIN ... COMMIT, or ROLLBACK and one clear sentence saying nothing was saved."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException as exc:
        con.execute("ROLLBACK")
        if isinstance(exc, duckdb.Error):
            first_line = str(exc).splitlines()[0]
            raise WarehouseError(f"{what} failed, so nothing was saved: {first_line}") from exc
        raise


@contextmanager
def _registered(con: duckdb.DuckDBPyConnection, frames: Mapping[str, pd.DataFrame]) -> Iterator[None]:
    """The input frames as ``in_<name>`` views for the staging SQL, for the block only."""
    for name, frame in frames.items():
        con.register(f"in_{name}", frame)
    try:
        yield
    finally:
        for name in frames:
            con.unregister(f"in_{name}")


_INSERT_RAW = (
    "INSERT INTO raw_responses BY NAME "
    "SELECT *, $run_id AS run_id, CAST($batch_no AS INTEGER) AS batch_no FROM stg_raw "
    "ON CONFLICT (response_id) DO NOTHING"
)


def _load_all(con: duckdb.DuckDBPyConnection, run_id: str, batch_no: int | None) -> dict[str, int]:
    """Every write of a run (``batch_no`` None) or of one batch, in dependency order.

    The caller owns the transaction and registered the frames; raw bodies are written only when
    an ``in_raw`` frame is given (a batch stored its bodies already, in phase 1).
    """
    params = {"run_id": run_id}
    batch = {"run_id": run_id, "batch_no": batch_no}
    with_raw = _is_registered(con, "in_raw")
    for stage in (_STAGE_PROFILES, _STAGE_POSTS, _STAGE_SCORES, _STAGE_ERRORS):
        con.execute(stage)
    if with_raw:
        con.execute(_STAGE_RAW)
    # A whole run replaces its partitions; a batch replaces only its own creators and errors.
    mine = {
        table: f"{table}.run_id = $run_id" if batch_no is None else
        f"{table}.run_id = $run_id AND ({table}.platform, {table}.creator_id) IN "
        f"(SELECT platform, creator_id FROM {staged})"
        for table, staged in (("creator_snapshots", "stg_profiles"), ("creator_scores", "stg_scores"))
    }

    creators_new, creators_updated = _new_and_existing(con, run_id, "stg_profiles", "creators", "creator_id")
    con.execute(_UPSERT_CREATORS, params)
    con.execute(f"DELETE FROM creator_snapshots WHERE {mine['creator_snapshots']}", params)
    con.execute(
        """
        INSERT INTO creator_snapshots BY NAME
        SELECT platform, creator_id, observed_at, $run_id AS run_id, followers, following, posts_count
        FROM stg_profiles
        """,
        params,
    )

    posts_new, posts_updated = _new_and_existing(con, run_id, "stg_posts", "posts", "post_id")
    con.execute(_UPSERT_POSTS, params)

    con.execute(f"DELETE FROM creator_scores WHERE {mine['creator_scores']}", params)
    con.execute("INSERT INTO creator_scores BY NAME SELECT *, $run_id AS run_id FROM stg_scores", params)

    if with_raw:
        con.execute(_INSERT_RAW, batch)

    con.execute(
        "DELETE FROM scrape_errors WHERE run_id = $run_id AND ($batch_no IS NULL OR batch_no = $batch_no)",
        batch,
    )
    con.execute(
        "INSERT INTO scrape_errors BY NAME "
        "SELECT *, $run_id AS run_id, CAST($batch_no AS INTEGER) AS batch_no FROM stg_errors",
        batch,
    )

    return {
        "creators_new": creators_new,
        "creators_updated": creators_updated,
        "posts_new": posts_new,
        "posts_updated": posts_updated,
        "snapshots": _count(con, "stg_profiles"),
        "scores": _count(con, "stg_scores"),
        "raw_responses": _count(con, "stg_raw") if with_raw else 0,
        "errors": _count(con, "stg_errors"),
    }


def _is_registered(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM duckdb_views() WHERE temporary AND view_name = ?", [name]
    ).fetchone()
    return bool(row and row[0])


def _new_and_existing(
    con: duckdb.DuckDBPyConnection, run_id: str, staged: str, table: str, key: str
) -> tuple[int, int]:
    """How many staged rows this run added to the table and how many it updated."""
    sql = _COUNT_NEW_AND_EXISTING.format(staged=staged, table=table, key=key)
    row = con.execute(sql, {"run_id": run_id}).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def _require_run_id(run_id: Any) -> None:
    if not run_id or not isinstance(run_id, str):
        raise WarehouseError("A run needs a non-empty run_id string to be loaded.")


def _checked_frames(
    profiles: pd.DataFrame, posts: pd.DataFrame, scores: pd.DataFrame, errors: pd.DataFrame,
    raw_responses: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """The input frames by staging name, each checked against its column contract."""
    frames = {"profiles": profiles, "posts": posts, "scores": scores, "errors": errors}
    if raw_responses is not None:
        frames["raw"] = raw_responses
    columns = {"profiles": PROFILE_COLUMNS, "posts": POST_COLUMNS, "scores": SCORE_COLUMNS,
               "errors": ERROR_COLUMNS, "raw": RAW_COLUMNS}
    for name, frame in frames.items():
        _require_columns(name, frame, columns[name])
    return frames


def _require_columns(name: str, frame: pd.DataFrame, columns: tuple[str, ...]) -> None:
    """Fail before touching the database when a frame does not follow the contract."""
    if not isinstance(frame, pd.DataFrame):
        raise WarehouseError(f"The {name} input must be a pandas DataFrame, not {type(frame).__name__}.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise WarehouseError(f"The {name} frame is missing column(s) {', '.join(missing)}.")


def _run_row(run_id: str, run: Mapping[str, Any]) -> list[Any]:
    """The ``runs`` row (without counts); params are stored as JSON text."""
    missing = [k for k in RUN_KEYS if k not in run]
    if missing:
        raise WarehouseError(f"The run record is missing {', '.join(missing)}.")
    for key in ("started_at", "finished_at"):
        value = run[key]
        if value is not None and not isinstance(value, datetime):
            raise WarehouseError(f"The run's {key} must be a datetime, not {type(value).__name__}.")
    params = json.dumps(run["params"] or {}, default=str, sort_keys=True)
    return [
        run_id, run["flow"], run["platform"], params,
        run["started_at"], run["finished_at"], run["status"],
    ]
