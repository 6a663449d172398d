"""The one door to DuckDB: path checks, lock handling and migrations on open.

Everything else in ``warehouse/`` goes through :func:`connect`, so a CLI user gets one clear
sentence (a :class:`WarehouseError`) instead of a DuckDB stack trace.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.errors import WarehouseError
from warehouse.migrate import check_current, migrate

__all__ = ["DEFAULT_DB_PATH", "DbPath", "WarehouseError", "connect", "default_db_path"]

DbPath = str | os.PathLike[str]

_FALLBACK_DB_PATH = "data/scout.duckdb"

#: Where the warehouse lives unless ``--db`` says otherwise (``$SCOUT_DB`` at import time).
DEFAULT_DB_PATH = Path(os.environ.get("SCOUT_DB") or _FALLBACK_DB_PATH)

#: Waits (seconds) between attempts when another process holds the write lock: short and bounded,
#: because DuckDB has no lock timeout of its own and a CLI should fail fast rather than hang.
LOCK_RETRY_DELAYS: tuple[float, ...] = (0.1, 0.25, 0.5, 1.0)


def default_db_path() -> Path:
    """``$SCOUT_DB`` read at call time (tests and flows may set it after import)."""
    return Path(os.environ.get("SCOUT_DB") or _FALLBACK_DB_PATH)


@contextmanager
def connect(db_path: DbPath | None = None, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse (migrating it when writable) and always close it afterwards."""
    path = Path(db_path if db_path is not None else default_db_path()).expanduser()
    _check_path(path, read_only)
    con = _open_with_retry(path, read_only)
    try:
        # Session time zone decides how TIMESTAMPTZ values come back; pin it so results are UTC.
        con.execute("SET TimeZone = 'UTC'")
        if read_only:
            check_current(con, path)
        else:
            migrate(con)
        yield con
    finally:
        con.close()


def _check_path(path: Path, read_only: bool) -> None:
    """Turn the predictable failures into clear sentences before DuckDB sees the path."""
    if path.is_dir():
        raise WarehouseError(
            f"{path} is a directory; pass a database file such as {path / 'scout.duckdb'}."
        )
    if read_only:
        if not path.exists():
            raise WarehouseError(f"No database at {path}; run `scout discover` or `scout demo` first.")
        return
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except PermissionError as exc:
        raise WarehouseError(
            f"Cannot create {parent} for the database: the location is read-only."
        ) from exc
    except OSError as exc:  # e.g. a file where a directory should be
        raise WarehouseError(
            f"Cannot create the directory {parent} for the database: {exc.strerror}."
        ) from exc
    # DuckDB writes a .wal file beside the database, so the directory must be writable too.
    if not os.access(parent, os.W_OK | os.X_OK):
        raise WarehouseError(f"Cannot write the database {path}: the directory {parent} is read-only.")
    if path.exists() and not os.access(path, os.W_OK):
        raise WarehouseError(f"Cannot write the database {path}: the file is read-only.")


def _open_with_retry(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Connect, waiting briefly if another process holds the lock (a finishing run, usually)."""
    for attempt in range(len(LOCK_RETRY_DELAYS) + 1):
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            message = str(exc)
            if "Could not set lock" in message:
                if attempt < len(LOCK_RETRY_DELAYS):
                    time.sleep(LOCK_RETRY_DELAYS[attempt])
                    continue
                raise WarehouseError(
                    f"The database {path} is locked by another process (a running flow or another "
                    "scout command); wait for it to finish or use a different --db."
                ) from exc
            raise _open_error(path, message) from exc
        except duckdb.Error as exc:
            raise _open_error(path, str(exc)) from exc
    raise AssertionError("unreachable")  # pragma: no cover


def _open_error(path: Path, message: str) -> WarehouseError:
    """Map DuckDB's open errors onto something a user can act on."""
    lowered = message.lower()
    if "not a valid duckdb database" in lowered:
        return WarehouseError(f"{path} is not a DuckDB database; pass another --db path.")
    if "is a directory" in lowered:
        return WarehouseError(f"{path} is a directory; pass a database file such as {path / 'scout.duckdb'}.")
    if "permission denied" in lowered or "read-only" in lowered:
        return WarehouseError(f"Cannot write the database {path}: the file or its directory is read-only.")
    return WarehouseError(f"Could not open the database {path}: {message.splitlines()[0]}")
