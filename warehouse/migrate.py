"""Numbered SQL migrations, applied in order, each once and each in its own transaction.

The SQL lives in ``warehouse/migrations/NNN_name.sql`` (package data, read with
``importlib.resources``) so the schema is reviewable as SQL and never edited in place: a change
is a new file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb

from warehouse.errors import WarehouseError

_FILE_RE = re.compile(r"^(?P<version>\d{3})_(?P<name>[a-z0-9_]+)\.sql$")

_CREATE_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
)
"""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def available() -> list[Migration]:
    """All migration files shipped with the package, in version order."""
    folder = resources.files("warehouse").joinpath("migrations")
    found: dict[int, Migration] = {}
    for entry in folder.iterdir():
        match = _FILE_RE.match(entry.name)
        if not match:
            continue
        version = int(match["version"])
        if version in found:
            raise WarehouseError(f"Two migration files share version {version:03d}; renumber one of them.")
        found[version] = Migration(version, match["name"], entry.read_text(encoding="utf-8"))
    return [found[v] for v in sorted(found)]


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


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply every pending migration; returns the versions applied (empty when up to date)."""
    con.execute(_CREATE_LEDGER)
    done: list[int] = []
    for migration in pending(con):
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
