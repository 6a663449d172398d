"""What scoring needs from the warehouse beyond a batch, read once per run: the tier benchmarks
and the follower snapshot history (for the authenticity checks), of one platform. Bounded so a
large warehouse stays cheap: snapshots of the last ``HISTORY_DAYS`` days.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

HISTORY_DAYS = 120


def tier_benchmarks(con: duckdb.DuckDBPyConnection, platform: str) -> pd.DataFrame:
    """The ``tier_benchmarks`` rows of one platform."""
    return con.execute("SELECT * FROM tier_benchmarks WHERE platform = ?", [platform]).df()


def snapshot_history(
    con: duckdb.DuckDBPyConnection, platform: str, now: datetime, days: int = HISTORY_DAYS,
    of_creators: str | None = None, between: tuple[str, str] | None = None,
) -> pd.DataFrame:
    """platform, creator_id, observed_at, followers of the platform's snapshots of the ``days`` before
    ``now``; with ``of_creators`` (a registered relation of ours with platform and creator_id, never
    user input), only those creators' snapshots; ``between`` (first, last creator_id) narrows the
    scan to that range first."""
    only = "" if of_creators is None else \
        f"SEMI JOIN {of_creators} k ON s.platform = k.platform AND s.creator_id = k.creator_id "
    span = "" if between is None else " AND s.creator_id BETWEEN ? AND ?"
    return con.execute(
        f"SELECT s.platform, s.creator_id, s.observed_at, s.followers FROM creator_snapshots s {only}"
        f"WHERE s.platform = ? AND s.observed_at >= ? - to_days(?){span} ORDER BY s.creator_id, s.observed_at",
        [platform, now, days, *(between or ())],
    ).df()


def scoring_inputs(con: duckdb.DuckDBPyConnection, platform: str, now: datetime) -> dict[str, pd.DataFrame]:
    """benchmarks and snapshots of one platform, as the authenticity checks take them."""
    return {"benchmarks": tier_benchmarks(con, platform), "snapshots": snapshot_history(con, platform, now)}
