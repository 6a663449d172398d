"""Erase one creator from every table (``scout forget``) and remember them as a tombstone.

Erasure and tombstone are one transaction: either the creator is gone *and* every later run
skips them, or nothing changed. Tables are found in ``information_schema`` rather than listed,
so a table added by a later migration is covered as soon as it has a ``platform`` column and one
of the identity columns below.

Raw responses are cached third-party data, so erasure errs on the side of deleting them: any
body that names the creator's id or handle (quoted, after an @, in a URL) goes, even if it also
lists others.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

from transforms.tombstones import FORGOTTEN_REF, mention_pattern
from warehouse.db import DbPath, WarehouseError, connect

#: Column -> how a row of any table names the creator being forgotten.
_IDENTITY_MATCHES: dict[str, str] = {
    "creator_id": "creator_id IN (SELECT id FROM forget_ids)",
    "handle": "lower(ltrim(handle, '@')) = $handle",
    "request_key": "(request_key IN (SELECT id FROM forget_ids) OR lower(ltrim(request_key, '@')) = $handle)",
    "response_id": "response_id IN (SELECT response_id FROM forget_raw)",
    "raw_response_id": "raw_response_id IN (SELECT response_id FROM forget_raw)",
}
#: Bookkeeping that names no creator (tombstones are the one place a forgotten handle stays).
_SKIPPED_TABLES = ("schema_migrations", "tombstones")
TOMBSTONE_COLUMNS = ["platform", "handle", "creator_ids", "forgotten_at", "reason"]


def normalise_handle(handle: str) -> str:
    """How tombstones store a handle: trimmed, no leading @, lower-case."""
    return handle.strip().lstrip("@").strip().lower()


def forget_creator(
    db_path: DbPath, *, platform: str, handle: str, reason: str | None = None
) -> dict[str, int]:
    """Delete everything held about ``handle`` on ``platform`` and record a tombstone.

    ``handle`` may also be a creator id (a DID, a channel id). Returns rows deleted per table
    (``runs``: run parameters that named the creator, rewritten). An unknown handle deletes
    nothing but is still tombstoned, so it is never collected later.
    """
    key = normalise_handle(handle)
    platform = platform.strip().lower()
    if not key or not platform:
        raise WarehouseError("Forgetting a creator needs both a platform and a handle.")
    params = {"platform": platform, "handle": key}
    deleted: dict[str, int] = {}
    with connect(db_path) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            ids = [row[0] for row in con.execute(
                "SELECT creator_id FROM creators WHERE platform = $platform "
                "AND (lower(ltrim(handle, '@')) = $handle OR creator_id = $raw)",
                {**params, "raw": handle.strip().lstrip("@")},
            ).fetchall()]
            con.execute("CREATE OR REPLACE TEMP TABLE forget_ids AS SELECT unnest($ids::VARCHAR[]) AS id",
                        {"ids": ids})
            con.execute(
                """
                CREATE OR REPLACE TEMP TABLE forget_raw AS
                SELECT response_id FROM raw_responses AS r
                WHERE r.platform = $platform
                  AND (r.request_key IN (SELECT id FROM forget_ids)
                       OR lower(ltrim(r.request_key, '@')) = $handle
                       OR regexp_matches(lower(r.body), $mentions))
                """,
                {**params, "mentions": mention_pattern([key, *ids])},
            )
            for table, columns in _creator_tables(con):
                matches = " OR ".join(_IDENTITY_MATCHES[c] for c in columns if c in _IDENTITY_MATCHES)
                used = {k: v for k, v in params.items() if f"${k}" in matches or k == "platform"}
                deleted[table] = _count(con, f'DELETE FROM "{table}" WHERE platform = $platform AND ({matches})',
                                        used)
            deleted["runs"] = _scrub_run_params(con, platform, [key, *ids])
            con.execute(
                """
                INSERT INTO tombstones (platform, handle, creator_ids, forgotten_at, reason)
                VALUES ($platform, $handle, $ids, current_timestamp, $reason)
                ON CONFLICT (platform, handle) DO UPDATE SET
                    creator_ids = list_sort(list_distinct(list_concat(tombstones.creator_ids, excluded.creator_ids))),
                    forgotten_at = excluded.forgotten_at,
                    reason = coalesce(excluded.reason, tombstones.reason)
                """,
                {**params, "ids": sorted(ids), "reason": reason},
            )
            con.execute("COMMIT")
        except BaseException as exc:
            con.execute("ROLLBACK")
            if isinstance(exc, duckdb.Error):
                raise WarehouseError(f"Forgetting {key} failed, so nothing was deleted: {exc}") from exc
            raise
    return deleted


def tombstones(db_path: DbPath, platform: str | None = None, *, read_only: bool = True) -> pd.DataFrame:
    """Forgotten creators (optionally of one platform), oldest first.

    Flows pass ``read_only=False``: they are about to write anyway, and it migrates an older
    warehouse (or creates a new one) instead of refusing it.
    """
    where, params = ("WHERE platform = ?", [platform.strip().lower()]) if platform else ("", [])
    with connect(Path(db_path), read_only=read_only) as con:
        return con.execute(
            f"SELECT {', '.join(TOMBSTONE_COLUMNS)} FROM tombstones {where} ORDER BY forgotten_at, platform, handle",
            params,
        ).df()


def _creator_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, list[str]]]:
    """Every base table with a platform column and at least one identity column."""
    rows = con.execute(
        """
        SELECT table_name, list(column_name ORDER BY ordinal_position)
        FROM information_schema.columns
        JOIN information_schema.tables USING (table_catalog, table_schema, table_name)
        WHERE table_schema = 'main' AND table_type = 'BASE TABLE'
          AND table_catalog = current_database()
        GROUP BY table_name
        ORDER BY table_name
        """
    ).fetchall()
    # raw_responses last: the other tables match on forget_raw, which is built from it.
    found = [(t, cols) for t, cols in rows
             if t not in _SKIPPED_TABLES and "platform" in cols and set(cols) & set(_IDENTITY_MATCHES)]
    return sorted(found, key=lambda tc: tc[0] == "raw_responses")


def _scrub_run_params(con: duckdb.DuckDBPyConnection, platform: str, keys: list[str]) -> int:
    """Run parameters (``--handle alice``) and run manifests (a run's ref list, its batches'
    refs) that name the creator keep the run and its shape, not the name: each mention becomes
    :data:`FORGOTTEN_REF`, which a resumed run skips."""
    pattern = '"@?(?i:' + "|".join(re.escape(k) for k in keys) + ')"'
    args = {"platform": platform, "pattern": pattern, "gone": f'"{FORGOTTEN_REF}"'}
    scrubbed = 0
    for table, column in (("runs", "params"), ("runs", "refs"), ("run_batches", "refs")):
        in_platform = ("platform = $platform" if table == "runs"
                       else "run_id IN (SELECT run_id FROM runs WHERE platform = $platform)")
        text = f"CAST({column} AS VARCHAR)"
        scrubbed += _count(
            con,
            f"UPDATE {table} SET {column} = CAST(regexp_replace({text}, $pattern, $gone, 'g') AS JSON) "
            f"WHERE {in_platform} AND regexp_matches({text}, $pattern)",
            args,
        )
    return scrubbed


def _count(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> int:
    """Run a DELETE or UPDATE and return how many rows it changed."""
    row = con.execute(sql, params).fetchone()
    return int(row[0]) if row else 0
