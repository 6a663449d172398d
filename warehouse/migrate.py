"""Numbered SQL migrations for tables, then the views, re-created whenever their SQL changes.

Tables live in ``warehouse/migrations/NNN_name.sql`` (package data, read with
``importlib.resources``) so the schema is reviewable as SQL and never edited in place: a change
is a new file. Views are models, as in dbt: each is written once in ``warehouse/views/NNN_name.sql``
(in dependency order) and rebuilt from that file when the set of view files changes, so changing a
view is an edit of one file, not a migration that repeats it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb

from core.errors import WarehouseError
from warehouse.candidate_rows import rebuild_candidates

_FILE_RE = re.compile(r"^(?P<version>\d{3})_(?P<name>[a-z0-9_]+)\.sql$")

_CREATE_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
)
"""

# One row: the checksum of the view files the views were last built from.
_CREATE_VIEW_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_views (
    checksum VARCHAR NOT NULL,
    built_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
)
"""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def _numbered_sql(folder_name: str) -> list[Migration]:
    """The ``NNN_name.sql`` files of one package folder, in number order."""
    folder = resources.files("warehouse").joinpath(folder_name)
    found: dict[int, Migration] = {}
    for entry in folder.iterdir():
        match = _FILE_RE.match(entry.name)
        if not match:
            continue
        version = int(match["version"])
        if version in found:
            raise WarehouseError(f"Two files in warehouse/{folder_name} share number {version:03d}; renumber one.")
        found[version] = Migration(version, match["name"], entry.read_text(encoding="utf-8"))
    return [found[v] for v in sorted(found)]


def available() -> list[Migration]:
    """All table migrations shipped with the package, in version order."""
    return _numbered_sql("migrations")


def views() -> list[Migration]:
    """Every view model, in dependency order (a view's number is above those it reads)."""
    return _numbered_sql("views")


def views_checksum() -> str:
    return hashlib.sha256("\n".join(f"{v.name}\n{v.sql}" for v in views()).encode()).hexdigest()


def views_current(con: duckdb.DuckDBPyConnection) -> bool:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_name = 'schema_views'"
    ).fetchone()
    if not exists or not exists[0]:
        return False
    rows = con.execute("SELECT checksum FROM schema_views").fetchall()
    return rows == [(views_checksum(),)]


def rebuild_views(con: duckdb.DuckDBPyConnection) -> None:
    """Drop every view of ours and create each from its file, then refill the materialised
    candidates from the new derivation, in one transaction."""
    con.execute(_CREATE_VIEW_LEDGER)
    con.execute("BEGIN TRANSACTION")
    try:
        for (name,) in con.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'"
        ).fetchall():
            con.execute(f'DROP VIEW IF EXISTS "{name}" CASCADE')
        for view in views():
            con.execute(view.sql)
        rebuild_candidates(con)
        con.execute("DELETE FROM schema_views")
        con.execute("INSERT INTO schema_views (checksum) VALUES (?)", [views_checksum()])
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise WarehouseError(f"Rebuilding the views failed and was rolled back: {exc}") from exc


def applied(con: duckdb.DuckDBPyConnection) -> set[int]:
    """Versions already recorded; empty when the ledger does not exist yet."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_name = 'schema_migrations'"
    ).fetchone()
    if not exists or not exists[0]:
        return set()
    return {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}


def pending(con: duckdb.DuckDBPyConnection) -> list[Migration]:
    done = applied(con)
    return [m for m in available() if m.version not in done]


def migrate(con: duckdb.DuckDBPyConnection, up_to: int | None = None) -> list[int]:
    """Apply every pending migration, then rebuild the views if anything changed; returns the
    versions applied (empty when up to date). ``up_to`` stops after that version and builds no
    views: a test's warehouse as an older release left it, for the next migration to upgrade."""
    con.execute(_CREATE_LEDGER)
    done: list[int] = []
    for migration in pending(con):
        if up_to is not None and migration.version > up_to:
            break
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                [migration.version, migration.name],
            )
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise WarehouseError(
                f"Migration {migration.version:03d}_{migration.name}.sql failed and was rolled back: {exc}"
            ) from exc
        done.append(migration.version)
    if up_to is None and (done or not views_current(con)):
        rebuild_views(con)
    return done


def check_current(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """A read-only connection cannot migrate, so say plainly when the schema is behind."""
    if not applied(con):
        raise WarehouseError(
            f"{path} is not a creator-scout warehouse; run `scout discover` or `scout demo` first."
        )
    behind = pending(con)
    if behind:
        raise WarehouseError(
            f"{path} needs schema migration {behind[0].version:03d}_{behind[0].name}; "
            "run any writing command (e.g. `scout discover`) to upgrade it."
        )
    if not views_current(con):
        raise WarehouseError(
            f"{path} has views from another version of creator-scout; "
            "run any writing command (e.g. `scout discover`) to rebuild them."
        )
