"""Erase one creator from every table (``scout forget``) and remember them as a tombstone.

Erasure and tombstone are one transaction: either the creator is gone *and* every later run
skips them, or nothing changed. Tables are found in ``information_schema`` rather than listed,
so a table added by a later migration is covered as soon as it has a ``platform`` column and one
of the identity columns below. Loads read the tombstones inside their own transaction
(:func:`warehouse.load.load_batch`), so a forget that lands while a discover runs holds too.

Raw responses are cached third-party data, so erasure errs on the side of deleting them: any
body that names the creator's id or handle (quoted, after an @, in a URL) goes, even if it also
lists others. Deleted rows still sit in the file's freed blocks until it is rewritten, so a
forget ends with :func:`compact`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from core.identity import body_ids, handle_key
from core.settings import Settings
from warehouse.db import DbPath, WarehouseError, connect
from warehouse.tombstones import FORGOTTEN_REF, mention_pattern

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
#: A handle given without the part that makes it unique: SQL matching the stored handles it may
#: stand for (Mastodon ``user`` for ``user@instance``, Bluesky ``name`` for ``name.bsky.social``).
PARTIAL_HANDLES: dict[str, tuple[str, str]] = {
    # ... and a bare account id for ``host:id`` (what the instance's own pages show).
    "mastodon": ("@", "(split_part(lower(ltrim(handle, '@')), '@', 1) = $handle OR ends_with(creator_id, ':' || $handle))"),
    "bluesky": (".", "split_part(lower(ltrim(handle, '@')), '.', 1) = $handle"),
}
_URL = r"https?://[^\s\"'<>\\]+"


class HandleNotResolved(WarehouseError):
    """A handle without its instance or domain that matched no stored creator, or several
    (``candidates``: their full handles, none when nobody matched)."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


@dataclass
class Forgotten:
    """What a forget did: the full identity it resolved to, rows deleted per table, run records
    scrubbed, and every URL the erased rows named (avatar cache entries to delete)."""

    platform: str
    handle: str
    ids: list[str]
    deleted: dict[str, int] = field(default_factory=dict)
    scrubbed: int = 0
    urls: list[str] = field(default_factory=list)


def forget_creator(
    db_path: DbPath, *, platform: str, handle: str, reason: str | None = None, rewrite: bool = True,
    force: bool = False, config: Settings | None = None,
) -> Forgotten:
    """Delete everything held about ``handle`` on ``platform``, record a tombstone, and rewrite
    the file (``rewrite``) so the deleted text is gone from its bytes.

    ``handle`` may also be a creator id (a DID, a channel id), or a handle without its instance or
    domain (``wenc23`` for ``wenc23@mastodon.social``) when exactly one stored creator has it;
    none or several raise :class:`HandleNotResolved` naming the candidates. A full handle nobody
    stored is most likely a typo and raises it too; with ``force`` it deletes nothing but is
    tombstoned, so a person who asks before being discovered is never collected later.
    """
    key = handle_key(handle)
    platform = platform.strip().lower()
    if not key or not platform:
        raise WarehouseError("Forgetting a creator needs both a platform and a handle.")
    with connect(db_path, config=config) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            key, ids = resolve_handle(con, platform, key, handle.strip().lstrip("@"), force=force)
            done = erase(con, platform, key, ids)
            con.execute(
                """
                INSERT INTO tombstones (platform, handle, creator_ids, forgotten_at, reason)
                VALUES ($platform, $handle, $ids, current_timestamp, $reason)
                ON CONFLICT (platform, handle) DO UPDATE SET
                    creator_ids = list_sort(list_distinct(list_concat(tombstones.creator_ids, excluded.creator_ids))),
                    forgotten_at = excluded.forgotten_at,
                    reason = coalesce(excluded.reason, tombstones.reason)
                """,
                {"platform": platform, "handle": key, "ids": sorted(ids), "reason": reason},
            )
            con.execute("COMMIT")
        except BaseException as exc:
            con.execute("ROLLBACK")
            if isinstance(exc, duckdb.Error):
                raise WarehouseError(f"Forgetting {key} failed, so nothing was deleted: {exc}") from exc
            raise
    if rewrite:
        compact(db_path, config)
    return done


def resolve_handle(con: duckdb.DuckDBPyConnection, platform: str, key: str, raw: str, *, force: bool = False
                   ) -> tuple[str, list[str]]:
    """(full handle, creator ids) that ``key`` (a :func:`handle_key`; ``raw``: as given, for ids)
    names; a partial handle must name exactly one, a full one at least one unless ``force``.
    ``scout forget``, ``scout show`` and lookalike seeds (warehouse/matching.py) resolve a creator
    this one way."""
    found = con.execute(
        "SELECT creator_id, lower(ltrim(handle, '@')) FROM creators WHERE platform = $platform "
        "AND (lower(ltrim(handle, '@')) = $handle OR creator_id = $raw)",
        {"platform": platform, "handle": key, "raw": raw},
    ).fetchall()
    if found:
        return key, sorted({row[0] for row in found})
    separator, partial = PARTIAL_HANDLES.get(platform, ("", ""))
    if not partial or separator in key or key.startswith("did:"):
        if force:
            return key, []
        raise HandleNotResolved(
            f"{key!r} matched no stored {platform} creator, so nothing was forgotten; check the handle, "
            "or pass --force to record a tombstone anyway (someone not collected yet)."
        )
    matches = con.execute(
        f"SELECT lower(ltrim(handle, '@')) AS h, list(DISTINCT creator_id ORDER BY creator_id) "
        f"FROM creators WHERE platform = $platform AND {partial} GROUP BY h ORDER BY h",
        {"platform": platform, "handle": key},
    ).fetchall()
    if len(matches) == 1:
        return matches[0][0], list(matches[0][1])
    example = "user@instance.social" if platform == "mastodon" else "name.bsky.social"
    if not matches:
        raise HandleNotResolved(
            f"{key!r} matched no stored {platform} creator; give the full handle (such as {example}) "
            "to forget them and block later runs from collecting them."
        )
    raise HandleNotResolved(
        f"{key!r} matched {len(matches)} {platform} creators: {', '.join(m[0] for m in matches)}; "
        "pass the one to forget as --handle.", [m[0] for m in matches]
    )


def erase(con: duckdb.DuckDBPyConnection, platform: str, handle: str, ids: list[str]) -> Forgotten:
    """Delete every row naming the creator and scrub run records, in the caller's transaction.

    Also used by a load that learns a tombstoned creator's ids (its bodies stored under an id
    the tombstone did not know yet are found that way).
    """
    params = {"platform": platform, "handle": handle}
    con.execute("CREATE OR REPLACE TEMP TABLE forget_ids AS SELECT unnest($ids::VARCHAR[]) AS id", {"ids": ids})
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE forget_raw AS
        SELECT response_id FROM raw_responses AS r
        WHERE r.platform = $platform
          AND (r.request_key IN (SELECT id FROM forget_ids)
               OR lower(ltrim(r.request_key, '@')) = $handle
               OR regexp_matches(lower(r.body), $mentions))
        """,
        {**params, "mentions": mention_pattern([handle, *body_ids(platform, ids)])},
    )
    urls = con.execute(
        "SELECT DISTINCT url FROM (SELECT unnest(regexp_extract_all(body, $url)) AS url FROM raw_responses "
        "WHERE response_id IN (SELECT response_id FROM forget_raw) UNION ALL SELECT avatar_url FROM creators "
        "WHERE platform = $platform AND (creator_id IN (SELECT id FROM forget_ids) "
        "OR lower(ltrim(handle, '@')) = $handle)) WHERE url IS NOT NULL ORDER BY url",
        {**params, "url": _URL},
    ).fetchall()
    deleted: dict[str, int] = {}
    for table, columns in _creator_tables(con):
        matches = " OR ".join(_IDENTITY_MATCHES[c] for c in columns if c in _IDENTITY_MATCHES)
        used = {k: v for k, v in params.items() if f"${k}" in matches or k == "platform"}
        deleted[table] = _count(con, f'DELETE FROM "{table}" WHERE platform = $platform AND ({matches})', used)
    # A run seeded with a Mastodon handle stores it as typed: the username alone, often.
    local = [handle.split("@")[0]] if platform == "mastodon" else []
    scrubbed = _scrub_run_params(con, platform, [handle, *local, *ids])
    return Forgotten(platform, handle, list(ids), deleted, scrubbed, [u for (u,) in urls])


def compact(db_path: DbPath, config: Settings | None = None, *, retry: str = "run scout forget again to retry") -> None:
    """Rewrite the warehouse into a fresh file and swap it in, so no freed block still holds
    erased text (DuckDB reuses freed blocks but never clears them; VACUUM does not either).

    The copy is made and renamed over the original while this connection holds the file's lock,
    so no other process writes to the old file meanwhile; readers that had it open finish on it.
    """
    path = Path(db_path)
    fresh = path.with_name(f".{path.name}.compact")
    fresh.unlink(missing_ok=True)
    with connect(path, config=config) as con:
        con.execute("CHECKPOINT")
        ((name,),) = con.execute("SELECT current_database()").fetchall()
        try:
            con.execute(f"ATTACH '{_sql_text(fresh)}' AS scout_compacted")
            con.execute(f'COPY FROM DATABASE "{name}" TO scout_compacted')
            con.execute("DETACH scout_compacted")
            os.chmod(fresh, path.stat().st_mode & 0o7777)
            os.replace(fresh, path)
        except (duckdb.Error, OSError) as exc:
            fresh.unlink(missing_ok=True)
            raise WarehouseError(
                f"The rows are deleted, but rewriting {path} to clear them from its free "
                f"space failed ({str(exc).splitlines()[0]}); {retry}."
            ) from exc
    _fsync_dir(path.parent)


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable (POSIX: the directory entry lives in the directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def tombstones(db_path: DbPath, platform: str | None = None, *, read_only: bool = True,
               config: Settings | None = None) -> pd.DataFrame:
    """Forgotten creators (optionally of one platform), oldest first.

    Flows pass ``read_only=False``: they are about to write anyway, and it migrates an older
    warehouse (or creates a new one) instead of refusing it.
    """
    with connect(Path(db_path), read_only=read_only, config=config) as con:
        return read_tombstones(con, platform)


def read_tombstones(con: duckdb.DuckDBPyConnection, platform: str | None = None) -> pd.DataFrame:
    """:func:`tombstones` on an open connection."""
    where, params = ("WHERE platform = ?", [platform.strip().lower()]) if platform else ("", [])
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
    """Run parameters (``--handle alice``), run manifests (a run's ref list and how each ref was
    found, its batches' refs) and saved briefs' seeds and exclusions that name the creator keep
    their shape, not the name: each mention becomes :data:`FORGOTTEN_REF`, which a resumed run skips."""
    names = "|".join(re.escape(k) for k in keys)
    pattern = '"@?(?i:' + names + ')"'
    args = {"platform": platform, "pattern": pattern, "gone": f'"{FORGOTTEN_REF}"'}
    scrubbed = 0
    for table, column in (("runs", "params"), ("runs", "refs"), ("runs", "ref_sources"), ("run_batches", "refs")):
        in_platform = ("platform = $platform" if table == "runs"
                       else "run_id IN (SELECT run_id FROM runs WHERE platform = $platform)")
        text = f"CAST({column} AS VARCHAR)"
        scrubbed += _count(
            con,
            f"UPDATE {table} SET {column} = CAST(regexp_replace({text}, $pattern, $gone, 'g') AS JSON) "
            f"WHERE {in_platform} AND regexp_matches({text}, $pattern)",
            args,
        )
    # a saved brief's seeds and exclusions (`--like @h`, `bluesky:h`), whatever its platforms
    args["pattern"] = f'"(?i:{re.escape(platform)}:)?@?(?i:{names})"'
    scrubbed += _count(con, "UPDATE briefs SET params = CAST(regexp_replace(CAST(params AS VARCHAR), $pattern, "
                            "$gone, 'g') AS JSON) WHERE regexp_matches(CAST(params AS VARCHAR), $pattern)",
                       {k: v for k, v in args.items() if k != "platform"})
    return scrubbed


def _count(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> int:
    """Run a DELETE or UPDATE and return how many rows it changed."""
    row = con.execute(sql, params).fetchone()
    return int(row[0]) if row else 0
