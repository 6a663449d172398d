"""The ad-network pass's reads and its one write: every creator's latest score with its recent
original posts in, the scores whose flags changed out. The pass runs once a run's records are
loaded, over the whole warehouse (every platform, every run), because an ad network's members
turn up in any batch, run or platform; its cost grows with the creators stored (``recent`` posts each).
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from warehouse.arrow_frames import arrow_frame
from warehouse.candidate_rows import refresh_candidates

CREATOR_BATCH = 50_000  # creators whose posts are read by one query (bounds DuckDB's window)

#: The scores the pass may update: the latest of each creator, where authenticity was scored.
_LATEST_SCORES = """
    SELECT platform, creator_id, run_id, sponsored_share, authenticity_flags FROM latest_scores
    WHERE authenticity_flags IS NOT NULL ORDER BY platform, creator_id"""

#: Every creator with a latest score, in order: the posts are read a range of them at a time.
_CREATOR_KEYS = "SELECT platform, creator_id FROM latest_scores ORDER BY platform, creator_id"

#: One range's creators' ``recent`` latest original posts; the latest scores are cut to the range
#: too (joined whole, they made each read a third slower at 1M creators). Only the creators with
#: more than ``recent`` such posts are ranked: numbering every post cost twice the read (for
#: 50,000 creators with 30 posts each, 1.1 s of CPU against 0.6 s). ``mine`` is read again where
#: it is used, not materialised: kept whole, it raised the read's peak memory (690 MiB against 543).
_RECENT_POSTS = """
    WITH mine AS NOT MATERIALIZED (
        SELECT p.platform, p.creator_id, p.text, p.is_sponsored, p.is_repost, p.published_at, p.post_id
        FROM posts p SEMI JOIN (SELECT platform, creator_id FROM latest_scores
                                WHERE platform = $platform AND creator_id BETWEEN $first AND $last) s
          ON p.platform = s.platform AND p.creator_id = s.creator_id
        WHERE NOT p.is_repost AND p.platform = $platform AND p.creator_id BETWEEN $first AND $last),
    ranked AS (SELECT platform, creator_id FROM mine GROUP BY ALL HAVING count(*) > $recent),
    latest AS (
        SELECT platform, creator_id, text, is_sponsored, is_repost FROM mine ANTI JOIN ranked USING (platform, creator_id)
        UNION ALL
        SELECT platform, creator_id, text, is_sponsored, is_repost FROM mine SEMI JOIN ranked USING (platform, creator_id)
        QUALIFY row_number() OVER (PARTITION BY platform, creator_id ORDER BY published_at DESC NULLS LAST, post_id)
                <= $recent)
    SELECT * FROM latest WHERE {texts}"""


def network_inputs(con: duckdb.DuckDBPyConnection, recent: int, texts: str = "true"
                   ) -> tuple[pd.DataFrame, Iterator[pd.DataFrame]]:
    """(latest scores with flags, each creator's ``recent`` latest original posts in frames of
    the posts of at most CREATOR_BATCH creators, strings Arrow-backed): read on ``con`` as they
    are consumed, so a million creators' tens of millions of posts are never in memory at once,
    in DuckDB or in pandas. ``texts``: a SQL condition on a post's ``text`` (the caller's own
    constant, never user input); only the recent posts meeting it are sent."""
    query = _RECENT_POSTS.format(texts=texts)
    scores = con.execute(_LATEST_SCORES).df()
    keys = con.sql(_CREATOR_KEYS).to_arrow_table()
    platforms, ids = keys["platform"].to_pylist(), keys["creator_id"]
    ranges = []
    start = 0
    while start < len(platforms):  # ranges of one platform's creators
        stop = min(start + CREATOR_BATCH, len(platforms))
        stop = start + platforms[start:stop].count(platforms[start])
        ranges.append({"platform": platforms[start], "first": ids[start].as_py(), "last": ids[stop - 1].as_py(),
                       "recent": recent})
        start = stop

    def read(params: dict[str, Any]) -> pa.Table:
        return con.sql(query, params=params).to_arrow_table()

    def frames() -> Iterator[pd.DataFrame]:
        """The next range is read on a second thread while the caller works on this one (DuckDB
        releases the GIL); ``con`` is only ever used by one thread at a time."""
        with ThreadPoolExecutor(1, thread_name_prefix="ad-network-read") as reader:
            ahead = reader.submit(read, ranges[0]) if ranges else None
            for following in ranges[1:]:
                table = ahead.result()
                ahead = reader.submit(read, following)
                yield arrow_frame(table)
            if ahead is not None:
                yield arrow_frame(ahead.result())

    return scores, frames()


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
