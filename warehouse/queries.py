"""Read-only questions the CLI and flows ask of the warehouse.

User values only ever travel as bound parameters; the only SQL assembled from strings is a
fixed set of identifiers (``MAIN_TABLES``, and the candidates' ``ORDER_BY`` in
``warehouse/candidate_query.py``) chosen from whitelists.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb
import pandas as pd

from core.settings import Settings
from warehouse.candidate_query import candidate_sql
from warehouse.db import DbPath, WarehouseError, connect, fetch_records
from warehouse.manifest import BatchStatus
from warehouse.staging import input_columns

MAIN_TABLES = (
    "runs", "creators", "creator_snapshots", "posts", "creator_scores", "raw_responses", "scrape_errors",
)


def candidates(db_path: DbPath, *, config: Settings | None = None, **query: Any) -> pd.DataFrame:
    """Rows of the ``candidates`` view as a DataFrame, filtered and ordered by ``query`` (the
    keywords of :func:`warehouse.candidate_query.candidate_sql`: platforms, tiers, min_er, limit,
    order_by, include_flagged); an empty frame when none match."""
    sql, params = candidate_sql(**query)
    with connect(db_path, read_only=True, config=config) as con:
        return nullable(con.execute(sql, params).df())


#: The Posts sheet's columns: each creator's posts behind its latest score, newest first.
METRIC_POST_COLUMNS = ("handle", "platform", "published_at", "text", "likes", "comments", "shares", "views",
                       "is_repost", "counts_for_er", "is_sponsored", "collab_kind", "post_id", "creator_id")


def metric_posts(db_path: DbPath, creators: pd.DataFrame, *, config: Settings | None = None) -> pd.DataFrame:
    """The posts behind each creator's latest metrics, in ``creators``' order (its ``platform`` and
    ``creator_id``): its ``n_posts`` newest stored posts published by the time it was scored, the
    sample ER and cadence were computed over; ``counts_for_er`` marks the originals with likes
    (reposts carry someone else's engagement)."""
    keys = creators[["platform", "creator_id"]].astype(str).assign(position=range(len(creators)))
    with connect(db_path, read_only=True, config=config) as con:
        con.register("wanted_creators", keys)
        return nullable(con.execute(
            f"""
            SELECT {', '.join(METRIC_POST_COLUMNS)} FROM (
                SELECT c.handle, p.*, NOT p.is_repost AND p.likes IS NOT NULL AS counts_for_er, w.position,
                       row_number() OVER (PARTITION BY p.platform, p.creator_id
                                          ORDER BY p.published_at DESC NULLS LAST, p.post_id) AS newest,
                       s.n_posts
                FROM wanted_creators AS w
                JOIN latest_scores AS s USING (platform, creator_id)
                JOIN creators AS c USING (platform, creator_id)
                JOIN posts AS p USING (platform, creator_id)
                WHERE p.published_at IS NULL OR p.published_at <= s.scored_at
            )
            WHERE newest <= n_posts
            ORDER BY position, newest
            """
        ).df())


def table_counts(db_path: DbPath, config: Settings | None = None) -> dict[str, int]:
    """Row counts of the main tables, for `scout` status lines and tests."""
    with connect(db_path, read_only=True, config=config) as con:
        counts: dict[str, int] = {}
        for table in MAIN_TABLES:
            row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
            counts[table] = int(row[0]) if row else 0
        return counts


def run_summary(db_path: DbPath, run_id: str, *, top_reasons: int = 5, config: Settings | None = None) -> dict[str, Any]:
    """What one run produced: its record, score counts by tier and account type, and its errors."""
    with connect(db_path, read_only=True, config=config) as con:
        run = con.execute(
            "SELECT flow, platform, status, started_at, finished_at, counts FROM runs WHERE run_id = ?",
            [run_id],
        ).fetchone()
        if run is None:
            raise WarehouseError(f"No run with id {run_id!r} is in the warehouse.")
        by_tier = _grouped(con, "tier", run_id)
        by_type = _grouped(con, "account_type", run_id)
        n_errors = con.execute("SELECT count(*) FROM scrape_errors WHERE run_id = ?", [run_id]).fetchone()
        reasons = con.execute(
            """
            SELECT reason, count(*) AS n
            FROM scrape_errors
            WHERE run_id = ?
            GROUP BY reason
            ORDER BY n DESC, reason
            LIMIT ?
            """,
            [run_id, top_reasons],
        ).fetchall()
    flow, platform, status, started_at, finished_at, counts = run
    return {
        "run_id": run_id,
        "flow": flow,
        "platform": platform,
        "status": status,
        "started_at": started_at,
        "finished_at": finished_at,
        "counts": json.loads(counts) if counts else {},
        "scores": sum(by_tier.values()),
        "by_tier": by_tier,
        "by_account_type": by_type,
        "errors": int(n_errors[0]) if n_errors else 0,
        "top_error_reasons": [(reason, int(n)) for reason, n in reasons],
    }


def batch_raw_responses(con: duckdb.DuckDBPyConnection, run_id: str, batch_no: int) -> list[dict[str, Any]]:
    """The raw bodies one batch of a run stored, in fetch order, so a resume re-parses, not refetches."""
    cursor = con.execute(
        f"SELECT {', '.join(input_columns('raw'))} FROM raw_responses "
        "WHERE run_id = ? AND batch_no = ? ORDER BY fetched_at, response_id",
        [run_id, batch_no],
    )
    return fetch_records(cursor)


def run_counts(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, Any]:
    """A batched run's totals over all its loaded batches, including those loaded before a resume.

    ``fetched``: creator refs whose bodies were fetched and stored; ``loaded``: creators scored by
    the run; ``retried``: HTTP requests retried; ``quarantined``: creators with a record in
    ``scrape_errors``; ``errors``: rows in ``scrape_errors``.
    """
    batches = [json.loads(c or "{}") for (c,) in con.execute(
        "SELECT counts FROM run_batches WHERE run_id = ? AND status = ?", [run_id, BatchStatus.LOADED]).fetchall()]
    # Counted in the tables, not added up over batches: a creator seen by two batches
    # (a search result, then its profile) is still one creator.
    row = con.execute(
        """
        SELECT
            (SELECT count(*) FROM creator_scores WHERE run_id = $run_id),
            (SELECT count(*) FROM creator_snapshots WHERE run_id = $run_id),
            (SELECT count(*) FROM creators WHERE first_run_id = $run_id),
            (SELECT count(*) FROM posts WHERE first_run_id = $run_id),
            (SELECT count(*) FROM raw_responses WHERE run_id = $run_id),
            (SELECT count(*) FROM scrape_errors WHERE run_id = $run_id),
            (SELECT count(DISTINCT handle) FROM scrape_errors WHERE run_id = $run_id)
        """,
        {"run_id": run_id},
    ).fetchone()
    assert row is not None
    creators, snapshots, creators_new, posts_new, raw_responses, errors, quarantined = (int(v) for v in row)

    def total(key: str) -> int:
        return sum(int(b.get(key) or 0) for b in batches)

    return {
        "batches": len(batches),
        "creators": creators,
        "posts": total("posts"),
        "requests": total("requests"),
        "fetched": total("fetched"),
        "loaded": creators,
        "retried": total("retries"),
        "quarantined": quarantined,
        "errors": errors,
        "load": {
            "creators_new": creators_new, "creators_updated": snapshots - creators_new,
            "posts_new": posts_new, "posts_updated": total("posts_updated"), "snapshots": snapshots,
            "scores": creators, "raw_responses": raw_responses, "errors": errors,
        },
    }


def _grouped(con: Any, column: str, run_id: str) -> dict[str, int]:
    """Score counts of one run grouped by a whitelisted column; NULL shows as "unknown"."""
    assert column in ("tier", "account_type")
    rows = con.execute(
        f"""
        SELECT coalesce({column}, 'unknown') AS value, count(*) AS n
        FROM creator_scores
        WHERE run_id = ?
        GROUP BY value
        ORDER BY n DESC, value
        """,
        [run_id],
    ).fetchall()
    return {value: int(n) for value, n in rows}


def nullable(df: pd.DataFrame) -> pd.DataFrame:
    """Same dtypes whether or not a column has NULLs (DuckDB picks int64 only when it has none)."""
    for column in df.columns:
        if pd.api.types.is_integer_dtype(df[column].dtype):
            df[column] = df[column].astype("Int64")
        elif pd.api.types.is_bool_dtype(df[column].dtype):
            df[column] = df[column].astype("boolean")
    return df
