"""The ad-network pass's reads and its one write: every creator's latest score with its recent
original posts in, the scores whose flags changed out. The pass runs once a run's records are
loaded, over the whole warehouse (every platform, every run), because an ad network's members
turn up in any batch, run or platform; its cost grows with the creators stored (``recent`` posts each).
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

from warehouse.candidate_rows import refresh_candidates

#: The scores the pass may update: the latest of each creator, where authenticity was scored.
_LATEST_SCORES = """
    SELECT platform, creator_id, run_id, sponsored_share, authenticity_flags FROM latest_scores
    WHERE authenticity_flags IS NOT NULL ORDER BY platform, creator_id"""

_RECENT_POSTS = """
    SELECT p.platform, p.creator_id, p.text, p.is_sponsored, p.is_repost
    FROM posts p SEMI JOIN latest_scores s ON p.platform = s.platform AND p.creator_id = s.creator_id
    WHERE NOT p.is_repost
    QUALIFY row_number() OVER (PARTITION BY p.platform, p.creator_id ORDER BY p.published_at DESC NULLS LAST, p.post_id) <= ?"""


def network_inputs(con: duckdb.DuckDBPyConnection, recent: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(latest scores with flags, each creator's ``recent`` latest original posts); the posts'
    strings Arrow-backed, not a Python string each (a million creators' posts are tens of millions)."""
    posts = con.sql(_RECENT_POSTS, params=[recent]).to_arrow_table()
    return con.execute(_LATEST_SCORES).df(), posts.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)


def update_authenticity(con: duckdb.DuckDBPyConnection, changed: pd.DataFrame) -> int:
    """Write new authenticity_score and authenticity_flags onto the scores ``changed`` names
    (platform, creator_id, run_id); how many were updated."""
    if changed.empty:
        return 0
    con.register("changed_authenticity", changed)
    try:
        con.execute("""
            UPDATE creator_scores AS s
            SET authenticity_score = c.authenticity_score, authenticity_flags = c.authenticity_flags
            FROM changed_authenticity AS c
            WHERE s.platform = c.platform AND s.creator_id = c.creator_id AND s.run_id = c.run_id""")
        refresh_candidates(con, "changed_authenticity")
    finally:
        con.unregister("changed_authenticity")
    return len(changed)
