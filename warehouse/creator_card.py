"""Everything the warehouse knows about one creator, for ``scout show``: read-only, one connection.

The creator is named the way ``scout forget`` names one (:func:`warehouse.forget.resolve_handle`):
a full handle or id, or a username alone when exactly one stored creator has it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from core.identity import handle_key
from core.settings import Settings
from warehouse.db import DbPath, connect
from warehouse.forget import HandleNotResolved, resolve_handle

#: How many of the newest posts a card shows.
CARD_POSTS = 5


@dataclass(frozen=True)
class CreatorCard:
    """One creator: profile, latest score, follower history, newest posts and lineage."""

    profile: dict[str, Any]
    score: dict[str, Any] | None  # the latest score; None before any
    growth: pd.DataFrame  # creator_growth rows, oldest first
    posts: pd.DataFrame  # the newest CARD_POSTS posts
    lineage: pd.DataFrame  # creator_lineage rows with their run's flow, oldest first


def creator_card(db_path: DbPath, handle: str, platform: str | None = None, *,
                 config: Settings | None = None) -> CreatorCard:
    """The card of the one creator ``handle`` names (on ``platform``, or on any); a handle that
    names nobody, or several, raises :class:`HandleNotResolved` with the candidates."""
    with connect(db_path, read_only=True, config=config) as con:
        platform, creator_id = _resolve_anywhere(con, handle, platform)
        key = {"platform": platform, "creator_id": creator_id}
        where = "WHERE platform = $platform AND creator_id = $creator_id"
        profile = _records(con, f"SELECT * FROM creators {where}", key)[0]
        scores = _records(con, f"SELECT * FROM latest_scores {where}", key)
        return CreatorCard(
            profile=profile,
            score=scores[0] if scores else None,
            growth=con.execute(f"SELECT * FROM creator_growth {where} ORDER BY observed_at", key).df(),
            posts=con.execute(f"SELECT * FROM posts {where} ORDER BY published_at DESC NULLS LAST, post_id "
                              f"LIMIT {CARD_POSTS}", key).df(),
            lineage=con.execute(
                "SELECT l.found_at, l.found_by, l.term, l.run_id, r.flow FROM creator_lineage AS l "
                "LEFT JOIN runs AS r USING (run_id) WHERE l.platform = $platform AND l.creator_id = $creator_id "
                "ORDER BY l.found_at, l.run_id, l.found_by, l.term", key).df(),
        )


def _resolve_anywhere(con: duckdb.DuckDBPyConnection, handle: str, platform: str | None) -> tuple[str, str]:
    """(platform, creator_id): the one stored creator ``handle`` names, on ``platform`` or any."""
    key, raw = handle_key(handle), handle.strip().lstrip("@")
    platforms = [platform] if platform else [p for (p,) in con.execute(
        "SELECT DISTINCT platform FROM creators ORDER BY platform").fetchall()]
    found: list[tuple[str, str, list[str]]] = []
    candidates: list[str] = []
    for name in platforms:
        try:
            full, ids = resolve_handle(con, name, key, raw)
        except HandleNotResolved as exc:
            candidates += [f"{c} ({name})" for c in exc.candidates]
            continue
        found.append((name, full, ids))
    if len(found) == 1 and not candidates:
        name, _, ids = found[0]
        return name, _newest(con, name, ids)
    candidates += [f"{full} ({name})" for name, full, _ in found]
    where = f"{platform} " if platform else ""
    if not candidates:
        raise HandleNotResolved(f"{handle.strip()!r} matched no stored {where}creator; check the handle "
                                "(scout candidates lists them).")
    raise HandleNotResolved(f"{handle.strip()!r} matched {len(candidates)} {where}creators: "
                            f"{', '.join(candidates)}; give the full handle"
                            f"{'' if platform else ' and -p PLATFORM'}.", candidates)


def _newest(con: duckdb.DuckDBPyConnection, platform: str, ids: list[str]) -> str:
    """Of several ids stored under one handle (a renamed account), the one seen last."""
    row = con.execute("SELECT creator_id FROM creators WHERE platform = ? AND creator_id IN (SELECT unnest(?)) "
                      "ORDER BY last_seen_at DESC, creator_id LIMIT 1", [platform, ids]).fetchone()
    return str(row[0]) if row else ids[0]


def _records(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
