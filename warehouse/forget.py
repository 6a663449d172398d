"""Erase one creator from every table (``scout forget``), in one transaction.

Raw responses are cached third-party data, so erasure errs on the side of deleting them: any
body that quotes the creator's id or handle as a JSON string goes, even if it also lists others.
"""

from __future__ import annotations

import duckdb

from warehouse.db import DbPath, WarehouseError, connect

_KEYED_TABLES = ("creator_snapshots", "posts", "creator_scores", "creators")


def forget_creator(db_path: DbPath, *, platform: str, handle: str) -> dict[str, int]:
    """Delete everything held about ``handle`` on ``platform``; returns rows deleted per table."""
    handle = handle.strip().lstrip("@")
    platform = platform.strip().lower()
    if not handle or not platform:
        raise WarehouseError("Forgetting a creator needs both a platform and a handle.")
    deleted: dict[str, int] = {}
    with connect(db_path) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            ids = [
                row[0]
                for row in con.execute(
                    "SELECT creator_id FROM creators WHERE platform = ? AND lower(handle) = lower(?)",
                    [platform, handle],
                ).fetchall()
            ]
            # The creator's ids and handle, as a temp table the deletes below join against.
            con.execute(
                "CREATE OR REPLACE TEMP TABLE forget_keys AS "
                "SELECT unnest(?::VARCHAR[]) AS k, unnest(?::BOOLEAN[]) AS is_id",
                [[handle, *ids], [False] + [True] * len(ids)],
            )
            for table in _KEYED_TABLES:
                deleted[table] = _deleted(
                    con,
                    f"DELETE FROM {table} WHERE platform = ? "
                    "AND creator_id IN (SELECT k FROM forget_keys WHERE is_id)",
                    [platform],
                )
            deleted["scrape_errors"] = _deleted(
                con,
                "DELETE FROM scrape_errors WHERE platform = ? AND lower(handle) = lower(?)",
                [platform, handle],
            )
            deleted["raw_responses"] = _deleted(
                con,
                """
                DELETE FROM raw_responses AS r
                WHERE r.platform = ?
                  AND EXISTS (
                    SELECT 1
                    FROM forget_keys AS f
                    WHERE r.request_key = f.k
                       OR contains(r.body, '"' || f.k || '"')
                  )
                """,
                [platform],
            )
            con.execute("COMMIT")
        except BaseException as exc:
            con.execute("ROLLBACK")
            if isinstance(exc, duckdb.Error):
                raise WarehouseError(f"Forgetting {handle} failed, so nothing was deleted: {exc}") from exc
            raise
    return deleted


def _deleted(con: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> int:
    """Run a DELETE and return how many rows it removed."""
    row = con.execute(sql, params).fetchone()
    return int(row[0]) if row else 0
