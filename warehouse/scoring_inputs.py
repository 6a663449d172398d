"""What scoring needs from the warehouse beyond a batch, read once per run: the tier benchmarks,
the follower snapshot history and other creators' recent post texts (for the authenticity checks).
Bounded so a large warehouse stays cheap: snapshots of the last ``HISTORY_DAYS`` days and the
latest ``PEER_POSTS_PER_CREATOR`` original posts per creator, of one platform.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

HISTORY_DAYS = 120
PEER_POSTS_PER_CREATOR = 20


def tier_benchmarks(con: duckdb.DuckDBPyConnection, platform: str) -> pd.DataFrame:
    """The ``tier_benchmarks`` rows of one platform."""
    return con.execute("SELECT * FROM tier_benchmarks WHERE platform = ?", [platform]).df()


def snapshot_history(
    con: duckdb.DuckDBPyConnection, platform: str, now: datetime, days: int = HISTORY_DAYS,
) -> pd.DataFrame:
    """platform, creator_id, observed_at, followers of the platform's snapshots of the ``days`` before ``now``."""
    return con.execute(
        "SELECT platform, creator_id, observed_at, followers FROM creator_snapshots "
        "WHERE platform = ? AND observed_at >= ? - to_days(?) ORDER BY creator_id, observed_at",
        [platform, now, days],
    ).df()


def peer_posts(con: duckdb.DuckDBPyConnection, platform: str, per_creator: int = PEER_POSTS_PER_CREATOR) -> pd.DataFrame:
    """platform, creator_id, text of each creator's latest ``per_creator`` original posts with text."""
    return con.execute(
        """
        SELECT platform, creator_id, text
        FROM posts
        WHERE platform = ? AND text IS NOT NULL AND NOT is_repost
        QUALIFY row_number() OVER (PARTITION BY creator_id ORDER BY published_at DESC NULLS LAST, post_id) <= ?
        """,
        [platform, per_creator],
    ).df()


def scoring_inputs(con: duckdb.DuckDBPyConnection, platform: str, now: datetime) -> dict[str, pd.DataFrame]:
    """benchmarks, snapshots and peer_posts of one platform, as the authenticity checks take them."""
    return {"benchmarks": tier_benchmarks(con, platform), "snapshots": snapshot_history(con, platform, now),
            "peer_posts": peer_posts(con, platform)}
