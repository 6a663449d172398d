"""``creator_scores.is_latest``: true on exactly the newest score of each creator (by scored_at,
ties by run_id), so ``latest_scores`` is a filter. Every write that adds, moves or removes scores
calls ``mark_latest`` for the creators it touched, inside its own transaction."""

from __future__ import annotations

from typing import Any

import duckdb

_MARK = """
UPDATE creator_scores AS s SET is_latest = (s.run_id = newest.run_id)
FROM (
    SELECT platform, creator_id, run_id FROM creator_scores
    WHERE (platform, creator_id) IN (SELECT platform, creator_id FROM {touched})
    QUALIFY row_number() OVER (PARTITION BY platform, creator_id ORDER BY scored_at DESC, run_id DESC) = 1
) AS newest
WHERE s.platform = newest.platform AND s.creator_id = newest.creator_id
  AND s.is_latest <> (s.run_id = newest.run_id)
"""


def mark_latest(con: duckdb.DuckDBPyConnection, touched: str, params: dict[str, Any] | None = None) -> None:
    """Re-mark the newest score of every creator in ``touched`` (a table, or a parenthesised query
    with bound ``params``, giving platform and creator_id; SQL of ours, never user input). Only
    rows whose mark changes are written."""
    con.execute(_MARK.format(touched=touched), params or {})
