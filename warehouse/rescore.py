"""What ``scout rescore`` reads and writes: the stored creators of one platform, a chunk at a
time with their posts, and each chunk's new scores appended under the rescore's own run, then
published all at once.

The creators the run has not scored yet are cut once into creator_id ranges of ``size``, and a
chunk is one range, so memory is bounded by the chunk, not the warehouse, and a rescore that was
stopped continues where it was: the creators it scored already are skipped. Every function takes
the caller's connection.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from warehouse.candidate_rows import refresh_candidates
from warehouse.db import transaction
from warehouse.latest import mark_latest
from warehouse.load import load_batch
from warehouse.scoring_inputs import snapshot_history

_PROFILE_COLUMNS = """platform, creator_id, handle, display_name, bio, followers, following, posts_count,
    verified, avatar_url, external_url, profile_url, is_bot, account_created_at, id_is_alias,
    last_seen_at AS observed_at"""

_POST_COLUMNS = """p.platform, p.post_id, p.creator_id, p.published_at, p.text, p.likes, p.comments,
    p.shares, p.views, p.is_repost, p.is_sponsored, p.last_seen_at AS observed_at"""


def stored_platforms(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The platforms with stored creators, in name order."""
    return [p for (p,) in con.execute("SELECT DISTINCT platform FROM creators ORDER BY 1").fetchall()]


_NOT_SCORED = """NOT EXISTS (SELECT 1 FROM creator_scores s WHERE s.run_id = $run_id
    AND s.platform = c.platform AND s.creator_id = c.creator_id)"""


@dataclass(frozen=True, slots=True)
class ChunkRange:
    """A chunk's creators as a creator_id range (both ends included): every read of the chunk is
    a range filter. DuckDB skips a row group by its min/max only where the ids' first 8 bytes
    differ (all it keeps of a string); Bluesky's all start ``did:plc:``, so there every stored
    post's id is compared, whatever the range's width (see Chunk.pieces)."""

    first: str
    last: str
    creators: int

    def piece_sizes(self, size: int) -> list[int]:
        """The creators of each piece Chunk.pieces cuts this range's read into (while none of
        them is forgotten or scored meanwhile)."""
        return [min(size, self.creators - start) for start in range(0, self.creators, size)]


def chunk_ranges(con: duckdb.DuckDBPyConnection, platform: str, run_id: str, size: int) -> list[ChunkRange]:
    """The creators of ``platform`` the run has not scored yet, cut in creator_id order into
    ranges of ``size`` creators: one query, so later reads need no ordering or anti-join over
    the whole table (at 1M creators, reading a chunk took 0.9 s without it)."""
    rows = con.execute(
        f"""SELECT min(creator_id), max(creator_id), count(*) FROM (
                SELECT creator_id, (row_number() OVER (ORDER BY creator_id) - 1) // $size AS chunk
                FROM creators c WHERE platform = $platform AND {_NOT_SCORED})
            GROUP BY chunk ORDER BY chunk""",
        {"platform": platform, "run_id": run_id, "size": size},
    ).fetchall()
    return [ChunkRange(first, last, int(n)) for first, last, n in rows]


@dataclass(frozen=True, slots=True)
class Chunk:
    """The creators of one range to score, as read: profiles and posts as Arrow (turned into
    frames where they are scored, so only Arrow buffers cross to a scoring process), and those
    creators' own follower snapshots (the authenticity history; the whole platform's would be
    merged per chunk)."""

    profiles: pa.Table
    posts: pa.Table
    snapshots: pd.DataFrame

    def pieces(self, size: int) -> Iterator[Chunk]:
        """The chunk as chunks of at most ``size`` creators, in creator_id order: a read of
        several chunks' range costs about what a read of one does (every stored post's creator_id
        is compared either way: at 1M creators, 110 of a chunk's 135 ms of reading), and each
        piece is scored alone, so scoring memory stays bounded by ``size``."""
        if self.profiles.num_rows <= size:
            yield self
            return
        for start in range(0, self.profiles.num_rows, size):
            profiles = self.profiles.slice(start, size)
            ids = profiles.column("creator_id").combine_chunks()
            yield Chunk(profiles, self.posts.filter(pc.is_in(self.posts.column("creator_id"), value_set=ids)),
                        self.snapshots[self.snapshots["creator_id"].isin(ids.to_pylist())])


def read_chunk(
    con: duckdb.DuckDBPyConnection, platform: str, run_id: str, span: ChunkRange, now: datetime,
) -> Chunk | None:
    """The creators of ``span`` the run has not scored (None when none is left: all forgotten
    or scored since the ranges were cut), with their posts and snapshots. Posts carry no
    ``collab_kind``, so scoring derives it again with today's rules."""
    params = {"platform": platform, "run_id": run_id, "first": span.first, "last": span.last}
    profiles = con.sql(
        f"SELECT {_PROFILE_COLUMNS} FROM creators c WHERE platform = $platform "
        f"AND creator_id BETWEEN $first AND $last AND {_NOT_SCORED} ORDER BY creator_id",
        params=params,
    ).to_arrow_table()
    if profiles.num_rows == 0:
        return None
    con.register("rescore_chunk", profiles)
    try:
        posts = con.sql(
            f"SELECT {_POST_COLUMNS} FROM posts p SEMI JOIN rescore_chunk k "
            "ON p.platform = k.platform AND p.creator_id = k.creator_id "
            "WHERE p.platform = $platform AND p.creator_id BETWEEN $first AND $last",
            params={"platform": platform, "first": span.first, "last": span.last},
        ).to_arrow_table()
        snapshots = snapshot_history(con, platform, now, of_creators="rescore_chunk",
                                     between=(span.first, span.last))
    finally:
        con.unregister("rescore_chunk")
    return Chunk(profiles, posts, snapshots)


def next_batch_no(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """The number the run's next chunk gets (a continued rescore goes on counting)."""
    row = con.execute("SELECT coalesce(max(batch_no), 0) + 1 FROM run_batches WHERE run_id = ?", [run_id]).fetchone()
    return int(row[0]) if row else 1


def append_scores(
    con: duckdb.DuckDBPyConnection, run_id: str, batch_no: int, frames: dict[str, pd.DataFrame | pa.Table],
) -> dict[str, int]:
    """One chunk's scores (a frame, or score_stored's Arrow table), appended under the run as
    batch ``batch_no`` (recorded in the run manifest like a discover batch; creators forgotten
    meanwhile are dropped by the load), not yet published: ``latest_scores`` and the candidates
    show them once ``publish_scores`` runs."""
    return load_batch(con, run_id=run_id, batch_no=batch_no, profiles=frames["profiles"], posts=frames["posts"],
                      scores=frames["scores"], errors=frames["errors"], counts={"creators": len(frames["scores"])},
                      publish=False)


def publish_scores(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Every score the run appended becomes its creator's latest (where it is the newest) and
    the candidates follow, in one transaction: readers see the old verdicts or the new, never a
    warehouse half rescored, and one pass over the run costs a fraction of one per chunk."""
    touched = "(SELECT platform, creator_id FROM creator_scores WHERE run_id = $run_id)"
    with transaction(con, f"Publishing the scores of run {run_id}"):
        mark_latest(con, touched, {"run_id": run_id})
        refresh_candidates(con, touched, {"run_id": run_id})
