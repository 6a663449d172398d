"""What a report's creator cards show beyond the candidates view: bio and avatar, the latest
posts, the follower history and the runs they come from.

One query per kind for the whole report, never one per creator: the creators' keys travel as
two bound lists and are unnested into a join.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.settings import Settings
from warehouse.db import DbPath, connect

#: The creators of a report as a relation: two bound VARCHAR lists, unnested side by side.
_KEYS = "(SELECT unnest(?::VARCHAR[]) AS platform, unnest(?::VARCHAR[]) AS creator_id)"


@dataclass(frozen=True)
class CardDetails:
    """``profiles``: bio and avatar_url per creator; ``posts``: the latest original posts, newest
    first; ``snapshots``: followers per observation, oldest first; ``runs``: the newest run of
    each platform."""

    profiles: pd.DataFrame
    posts: pd.DataFrame
    snapshots: pd.DataFrame
    runs: pd.DataFrame


def card_details(
    db_path: DbPath, keys: pd.DataFrame, *, posts_per_creator: int = 3, config: Settings | None = None
) -> CardDetails:
    """The cards' extra columns for the creators in ``keys`` (columns platform, creator_id)."""
    params = [keys["platform"].astype(str).tolist(), keys["creator_id"].astype(str).tolist()]
    with connect(db_path, read_only=True, config=config) as con:
        profiles = con.execute(
            f"SELECT c.platform, c.creator_id, c.bio, c.avatar_url FROM creators c JOIN {_KEYS} k "
            "USING (platform, creator_id)", params).df()
        posts = con.execute(
            f"""
            SELECT p.platform, p.creator_id, p.published_at, p.text, p.likes, p.comments, p.shares, p.views
            FROM posts p JOIN {_KEYS} k USING (platform, creator_id)
            WHERE NOT p.is_repost
            QUALIFY row_number() OVER (PARTITION BY p.platform, p.creator_id
                                       ORDER BY p.published_at DESC NULLS LAST, p.post_id) <= ?
            ORDER BY p.platform, p.creator_id, p.published_at DESC NULLS LAST
            """, [*params, posts_per_creator]).df()
        snapshots = con.execute(
            f"SELECT s.platform, s.creator_id, s.observed_at, s.followers FROM creator_snapshots s "
            f"JOIN {_KEYS} k USING (platform, creator_id) WHERE s.followers IS NOT NULL "
            "ORDER BY s.platform, s.creator_id, s.observed_at", params).df()
        runs = con.execute(
            "SELECT run_id, flow, platform, status, started_at, finished_at FROM runs "
            "QUALIFY row_number() OVER (PARTITION BY platform ORDER BY started_at DESC NULLS LAST) = 1 "
            "ORDER BY platform").df()
    return CardDetails(profiles=profiles, posts=posts, snapshots=snapshots, runs=runs)
