"""Read-only questions the CLI and flows ask of the warehouse.

User values only ever travel as bound parameters; the only SQL assembled from strings is a
fixed set of identifiers (``ORDER_BY`` and ``MAIN_TABLES``) chosen from whitelists.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import duckdb
import pandas as pd

from core.settings import Settings
from warehouse.db import DbPath, WarehouseError, connect
from warehouse.manifest import BatchStatus
from warehouse.staging import input_columns

#: The tiers the ``candidates`` view can hold; a tier filter narrows within these.
CANDIDATE_TIERS = ("nano", "micro")

#: order_by name -> ORDER BY clause. Best first; the key columns make ties deterministic.
ORDER_BY: dict[str, str] = {
    "adjusted_er": "has_high_flag, adjusted_er DESC NULLS LAST",  # held-back creators, when shown, last
    "er_median": "er_median DESC NULLS LAST",
    "er_mean": "er_mean DESC NULLS LAST",
    "followers": "followers DESC NULLS LAST",
    "posts_per_week": "posts_per_week DESC NULLS LAST",
    "person_probability": "person_probability DESC NULLS LAST",
    "days_since_last_post": "days_since_last_post ASC NULLS LAST",
    "handle": "handle ASC",
    "scored_at": "scored_at DESC",
}

MAIN_TABLES = (
    "runs", "creators", "creator_snapshots", "posts", "creator_scores", "raw_responses", "scrape_errors",
)


def _candidate_filter(
    platforms: Iterable[str] | None, tiers: Iterable[str] | None, min_er: float | None,
    include_flagged: bool = True,
) -> tuple[str, list[Any]]:
    """The WHERE clause (empty or with a leading space) and its bound parameters; without
    ``include_flagged``, creators with a high-severity authenticity flag are left out."""
    where: list[str] = [] if include_flagged else ["NOT has_high_flag"]
    params: list[Any] = []
    if platforms is not None:
        wanted = _as_list(platforms)
        where.append(f"platform IN ({_placeholders(wanted)})")
        params.extend(wanted)
    if tiers is not None:
        wanted = _as_list(tiers)
        unknown = [t for t in wanted if t not in CANDIDATE_TIERS]
        if unknown:
            raise WarehouseError(
                f"Candidates are only in the tiers {', '.join(CANDIDATE_TIERS)}; "
                f"{', '.join(map(repr, unknown))} is not one of them."
            )
        where.append(f"tier IN ({_placeholders(wanted)})")
        params.extend(wanted)
    if min_er is not None:
        where.append("er_median >= ?")
        params.append(float(min_er))
    return (" WHERE " + " AND ".join(where) if where else ""), params


def candidates(
    db_path: DbPath,
    *,
    platforms: Iterable[str] | None = None,
    tiers: Iterable[str] | None = None,
    min_er: float | None = None,
    limit: int | None = None,
    order_by: str = "adjusted_er",
    include_flagged: bool = False,
    config: Settings | None = None,
) -> pd.DataFrame:
    """Rows of the ``candidates`` view, filtered and ordered (by default authenticity-adjusted ER,
    ``er_median * authenticity_score / 100``); an empty frame when none match."""
    if order_by not in ORDER_BY:
        raise WarehouseError(f"Cannot order by {order_by!r}; choose one of {', '.join(ORDER_BY)}.")
    where, params = _candidate_filter(platforms, tiers, min_er, include_flagged)
    order = f"ORDER BY {ORDER_BY[order_by]}, platform, creator_id"
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise WarehouseError(f"The limit must be a whole number of 0 or more, not {limit!r}.")
    tail = "" if limit is None else f" LIMIT {limit:d}"
    with connect(db_path, read_only=True, config=config) as con:
        # One table (candidate_rows, materialised at load time): its top rows in one scan.
        return nullable(con.execute(f"SELECT * FROM candidates{where} {order}{tail}", params).df())


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


def count_candidates(
    db_path: DbPath,
    *,
    platforms: Iterable[str] | None = None,
    tiers: Iterable[str] | None = None,
    min_er: float | None = None,
    include_flagged: bool = False,
    config: Settings | None = None,
) -> int:
    """How many rows ``candidates`` would return without a limit (to say what a cut left out)."""
    return _count(db_path, "count(*)", *_candidate_filter(platforms, tiers, min_er, include_flagged), config)


def count_held_back(
    db_path: DbPath,
    *,
    platforms: Iterable[str] | None = None,
    tiers: Iterable[str] | None = None,
    min_er: float | None = None,
    config: Settings | None = None,
) -> int:
    """How many candidates matching the filters have a high-severity authenticity flag."""
    return _count(db_path, "count(*) FILTER (WHERE has_high_flag)", *_candidate_filter(platforms, tiers, min_er),
                  config)


def _count(db_path: DbPath, expression: str, where: str, params: list[Any], config: Settings | None) -> int:
    with connect(db_path, read_only=True, config=config) as con:
        row = con.execute(f"SELECT {expression} FROM candidates{where}", params).fetchone()
        return int(row[0]) if row else 0


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
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


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


def _as_list(values: Iterable[str]) -> list[str]:
    """Accept one string or many, trimmed and lower-cased (platform and tier names are)."""
    items = [values] if isinstance(values, str) else list(values)
    return [str(v).strip().lower() for v in items]


def _placeholders(values: list[str]) -> str:
    # IN () is a syntax error; IN (NULL) matches nothing, which is what an empty filter means.
    return ", ".join("?" for _ in values) if values else "NULL"
