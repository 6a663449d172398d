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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from core.settings import Settings
from warehouse.aliases import merge_aliases
from warehouse.candidate_rows import refresh_candidates
from warehouse.db import DbPath, WarehouseError, connect, transaction
from warehouse.forget import erase, read_tombstones
from warehouse.latest import mark_latest
from warehouse.manifest import fault_point, record_fetched, record_loaded
from warehouse.staging import STAGES, require_columns, stage, stage_columns
from warehouse.tombstones import (
    FORGOTTEN_REF,
    drop_tombstoned,
    keep_raws,
    keep_refs,
    revealed_ids,
)

RUN_KEYS = ("flow", "platform", "params", "started_at", "finished_at", "status")

def _upsert(con: duckdb.DuckDBPyConnection, frame: str, *, last_run_id: bool) -> str:
    """The upsert of a staged frame into its table, its columns read from the table definition.

    The newer observation wins, and NULL (unknown) never erases a known value; a NOT NULL column
    (a flag with a default) simply takes the newer value. ``first_seen_at``/``last_seen_at`` span
    every observation; ``last_run_id`` (creators) follows the newer one.
    """
    spec = STAGES[frame]
    table = spec.table
    newer = f"excluded.last_seen_at >= {table}.last_seen_at"
    fields = [c for c in stage_columns(con, spec) if c.name not in spec.key and c.name != "observed_at"]
    updates = [
        f"{c.name} = CASE WHEN {newer} THEN excluded.{c.name} ELSE {table}.{c.name} END" if c.default else
        f"{c.name} = CASE WHEN {newer} THEN coalesce(excluded.{c.name}, {table}.{c.name}) "
        f"ELSE coalesce({table}.{c.name}, excluded.{c.name}) END"
        for c in fields
    ]
    run_ids = "$run_id AS first_run_id"
    if last_run_id:
        run_ids += ", $run_id AS last_run_id"
        updates.append(f"last_run_id = CASE WHEN {newer} THEN excluded.last_run_id ELSE {table}.last_run_id END")
    updates += [f"first_seen_at = least({table}.first_seen_at, excluded.first_seen_at)",
                f"last_seen_at = greatest({table}.last_seen_at, excluded.last_seen_at)"]
    return (
        f"INSERT INTO {table} BY NAME\n"
        f"SELECT * EXCLUDE (observed_at), observed_at AS first_seen_at, observed_at AS last_seen_at, {run_ids}\n"
        f"FROM {spec.name}\n"
        f"ON CONFLICT ({', '.join(spec.key)}) DO UPDATE SET\n    " + ",\n    ".join(updates)
    )


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
    config: Settings | None = None,
    lineage: pd.DataFrame | None = None,
) -> dict[str, int]:
    """Write one run's frames atomically and return what changed (also stored in ``runs.counts``);
    ``lineage``: how the run found its creators (table ``creator_lineage``)."""
    require_run_id(run_id)
    frames = _checked_frames(profiles, posts, scores, errors, raw_responses, lineage)
    row = run_row(run_id, run)
    with connect(db_path, config=config) as con, transaction(con, f"Loading run {run_id}"), \
            _registered(con, merge_aliases(con, _honour_tombstones(con, frames))):
        counts = _load_all(con, run_id, None)
        con.execute(
            "INSERT OR REPLACE INTO runs "
            "(run_id, flow, platform, params, started_at, finished_at, status, counts) "
            "VALUES (?, ?, ?, CAST(? AS JSON), ?, ?, ?, CAST(? AS JSON))",
            [*row, json.dumps(counts)],
        )
    return counts


# ---------------------------------------------------------------------------------------------
# Batched runs: two short transactions per batch on the caller's connection, recorded in the run
# manifest (warehouse/manifest.py), so a killed run resumes from what is stored.
# ---------------------------------------------------------------------------------------------


def store_batch(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    batch_no: int,
    refs: list[str],
    raw_responses: pd.DataFrame,
    counts: Mapping[str, Any],
    run_refs: list[str] | None = None,
    ref_sources: list[list[str] | None] | None = None,
) -> None:
    """Phase 1 of a batch: its raw bodies, and the batch marked 'fetched', in one transaction.

    ``run_refs`` (given with the discovery batch) is the run's ref list, stored with it so a resume
    works through the same creators, and ``ref_sources`` how each was found ([found_by, term]).
    """
    require_run_id(run_id)
    require_columns("raw", raw_responses)
    params = {"run_id": run_id, "batch_no": batch_no}
    with transaction(con, f"Storing batch {batch_no} of run {run_id}"):
        # Tombstones as of this transaction: a creator forgotten mid-run is not stored, by name.
        gone = read_tombstones(con)
        if not gone.empty:
            raw_responses = raw_responses[keep_raws(raw_responses, gone)]
            found = con.execute("SELECT platform FROM runs WHERE run_id = ?", [run_id]).fetchall()
            platform = found[0][0] if found else ""
            refs = _scrub_refs(platform, refs, gone)
            if run_refs is not None:
                scrubbed = _scrub_refs(platform, run_refs, gone)
                if ref_sources is not None:  # a forgotten seed's handle goes with its ref
                    ref_sources = [None if new != old else source
                                   for old, new, source in zip(run_refs, scrubbed, ref_sources, strict=True)]
                run_refs = scrubbed
        con.register("in_raw", raw_responses)
        stage(con, "raw")
        con.unregister("in_raw")
        con.execute(_INSERT_RAW, params)
        record_fetched(con, run_id, batch_no, refs, counts, run_refs, ref_sources)
        fault_point("store", batch_no)


def load_batch(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    batch_no: int,
    profiles: pd.DataFrame,
    posts: pd.DataFrame,
    scores: pd.DataFrame | pa.Table,
    errors: pd.DataFrame,
    counts: Mapping[str, Any],
    lineage: pd.DataFrame | None = None,
    publish: bool = True,
) -> dict[str, int]:
    """Phase 2 of a batch: its records loaded and the batch marked 'loaded', in one transaction.

    Reloading a batch replaces its snapshots, scores, lineage and errors (per run and creator, or
    per run and batch), so a resumed batch never duplicates. ``counts`` (the fetch side) are stored
    with the load counts in ``run_batches.counts``. ``publish`` False leaves the batch's scores out
    of ``latest_scores`` and the candidates until the run publishes them (``publish_scores``).
    """
    require_run_id(run_id)
    frames = _checked_frames(profiles, posts, scores, errors, lineage=lineage)
    with transaction(con, f"Loading batch {batch_no} of run {run_id}"), \
            _registered(con, merge_aliases(con, _honour_tombstones(con, frames))):
        loaded = _load_all(con, run_id, batch_no, publish)
        record_loaded(con, run_id, batch_no, {**counts, **loaded})
        fault_point("load", batch_no)
    return loaded


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
    gone = read_tombstones(con)
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
        gone = read_tombstones(con)
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


def _load_all(con: duckdb.DuckDBPyConnection, run_id: str, batch_no: int | None, publish: bool = True
              ) -> dict[str, int]:
    """Every write of a run (``batch_no`` None) or of one batch, in dependency order; ``publish``
    False: the scores' latest marks and candidate rows are left to ``publish_scores``.

    The caller owns the transaction and registered the frames; raw bodies are written only when
    an ``in_raw`` frame is given (a batch stored its bodies already, in phase 1).
    """
    params = {"run_id": run_id}
    batch = {"run_id": run_id, "batch_no": batch_no}
    with_raw = _is_registered(con, "in_raw")
    with_lineage = _is_registered(con, "in_lineage")
    for frame in ("profiles", "posts", "scores", "errors", *(("raw",) if with_raw else ()),
                  *(("lineage",) if with_lineage else ())):
        stage(con, frame)
    staged = {frame: _count(con, f"stg_{frame}") for frame in ("profiles", "posts", "scores", "errors")}
    # A whole run replaces its partitions; a batch replaces only its own creators and errors.
    mine = {
        table: f"{table}.run_id = $run_id" if batch_no is None else
        f"{table}.run_id = $run_id AND ({table}.platform, {table}.creator_id) IN "
        f"(SELECT platform, creator_id FROM {staged})"
        for table, staged in (("creator_snapshots", "stg_profiles"), ("creator_scores", "stg_scores"),
                              ("creator_lineage", "stg_lineage"))
    }

    # An empty frame (a rescore's chunk brings scores alone) upserts nothing: its statements are skipped.
    creators_new, creators_updated = (0, 0)
    if staged["profiles"]:
        creators_new, creators_updated = _new_and_existing(con, run_id, "stg_profiles", "creators", "creator_id")
        con.execute(_upsert(con, "profiles", last_run_id=True), params)
    con.execute(f"DELETE FROM creator_snapshots WHERE {mine['creator_snapshots']}", params)
    con.execute(
        """
        INSERT INTO creator_snapshots BY NAME
        SELECT platform, creator_id, observed_at, $run_id AS run_id, followers, following, posts_count
        FROM stg_profiles
        """,
        params,
    )

    posts_new, posts_updated = (0, 0)
    if staged["posts"]:
        posts_new, posts_updated = _new_and_existing(con, run_id, "stg_posts", "posts", "post_id")
        con.execute(_upsert(con, "posts", last_run_id=False), params)

    # Whose latest score may change: the creators whose scores of this run are replaced or added.
    if publish:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE touched_scores AS SELECT platform, creator_id FROM creator_scores "
            f"WHERE {mine['creator_scores']} UNION SELECT platform, creator_id FROM stg_scores", params)
    con.execute(f"DELETE FROM creator_scores WHERE {mine['creator_scores']}", params)
    con.execute("INSERT INTO creator_scores BY NAME SELECT *, $run_id AS run_id FROM stg_scores", params)
    if publish:
        mark_latest(con, "touched_scores")

    if with_lineage:
        con.execute(f"DELETE FROM creator_lineage WHERE {mine['creator_lineage']}", params)
        con.execute("INSERT INTO creator_lineage BY NAME SELECT *, $run_id AS run_id FROM stg_lineage", params)

    # What a candidate shows comes from its creator row, latest score and lineage: all three moved
    # (a rescore's chunk moves none: its scores wait for publish_scores, it brings no profiles).
    moved = [*(["touched_scores"] if publish else []), "stg_profiles", *(["stg_lineage"] if with_lineage else [])]
    refresh_candidates(con, "(" + " UNION ".join(f"SELECT platform, creator_id FROM {t}" for t in moved) + ")")

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
        "snapshots": staged["profiles"],
        "scores": staged["scores"],
        "raw_responses": _count(con, "stg_raw") if with_raw else 0,
        "errors": staged["errors"],
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


def require_run_id(run_id: Any) -> None:
    if not run_id or not isinstance(run_id, str):
        raise WarehouseError("A run needs a non-empty run_id string to be loaded.")


def _checked_frames(
    profiles: pd.DataFrame, posts: pd.DataFrame, scores: pd.DataFrame | pa.Table, errors: pd.DataFrame,
    raw_responses: pd.DataFrame | None = None, lineage: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """The input frames by staging name, each checked against its column contract."""
    frames = {"profiles": profiles, "posts": posts, "scores": scores, "errors": errors}
    if raw_responses is not None:
        frames["raw"] = raw_responses
    if lineage is not None:
        frames["lineage"] = lineage
    for name, frame in frames.items():
        require_columns(name, frame)
    return frames


def run_row(run_id: str, run: Mapping[str, Any]) -> list[Any]:
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
