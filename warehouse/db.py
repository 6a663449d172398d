"""The one door to DuckDB: path checks, lock handling and migrations on open.

Everything else in ``warehouse/`` goes through :func:`connect`, so a CLI user gets one clear
sentence (a :class:`WarehouseError`) instead of a DuckDB stack trace.
"""

from __future__ import annotations

import fcntl
import os
import random
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from core.errors import WarehouseError, WarehouseInputError
from core.settings import FALLBACK_DB_PATH, Settings
from warehouse.migrate import check_current, migrate

__all__ = ["DbPath", "WarehouseError", "connect", "default_db_path", "transaction"]

DbPath = str | os.PathLike[str]

#: Seconds to keep retrying while another process holds the file (``$SCOUT_LOCK_TIMEOUT``).
#: DuckDB has no lock wait of its own; flows hold the lock only for one short batch write, so a
#: bounded wait lets writers and readers take turns, and a stuck holder still fails in time.
DEFAULT_LOCK_TIMEOUT = 30.0
_FIRST_WAIT, _MAX_WAIT = 0.05, 1.0
_HOLDER_RE = re.compile(r"\(PID (\d+)\)")
#: Polling for the turnstile (see :func:`_turnstile`): short, as it is held only for one write.
_TURN_FIRST_WAIT, _TURN_MAX_WAIT = 0.005, 0.05
#: Turnstiles this thread holds, so a connection opened inside another one does not wait on itself.
_held = threading.local()


def settings_now(config: Settings | None) -> Settings:
    """``config``, or (for a direct call) the settings the environment holds now."""
    return config if config is not None else Settings.from_env(WarehouseInputError)


def default_db_path(config: Settings | None = None) -> Path:
    """``SCOUT_DB``, else ``data/scout.duckdb``."""
    return Path(settings_now(config).db or FALLBACK_DB_PATH)


@contextmanager
def connect(
    db_path: DbPath | None = None, read_only: bool = False, config: Settings | None = None, *,
    upgrade: bool = True,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse (migrating it when writable, unless ``upgrade`` is off because this
    process did already) and always close it afterwards."""
    config = settings_now(config)  # a bad SCOUT_LOCK_TIMEOUT is refused before anything is created
    path = Path(db_path if db_path is not None else default_db_path(config)).expanduser()
    _check_path(path, read_only)
    timeout = lock_timeout(config)
    deadline = time.monotonic() + timeout
    with _turnstile(path, read_only, deadline, timeout):
        con = _open_with_retry(path, read_only, deadline, timeout)
        try:
            # Session time zone decides how TIMESTAMPTZ values come back; pin it so results are UTC.
            con.execute("SET TimeZone = 'UTC'")
            if read_only:
                check_current(con, path)
            elif upgrade:
                migrate(con)
            yield con
        finally:
            con.close()


def fetch_records(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """An executed query's rows as dicts by column name (plain Python values, no pandas)."""
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, what: str) -> Iterator[None]:
    """BEGIN ... COMMIT, or ROLLBACK and one clear sentence saying nothing was saved."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException as exc:
        con.execute("ROLLBACK")
        if isinstance(exc, duckdb.Error):
            first_line = str(exc).splitlines()[0]
            raise WarehouseError(f"{what} failed, so nothing was saved: {first_line}") from exc
        raise


def turnstile_path(path: Path) -> Path:
    """The lock file beside the database that writers queue on (see :func:`_turnstile`)."""
    return path.with_name(path.name + ".lock")


@contextmanager
def _turnstile(path: Path, read_only: bool, deadline: float, timeout: float) -> Iterator[None]:
    """Writer-first turns: readers cannot starve a writer of DuckDB's file lock.

    DuckDB grants its shared (reader) lock whenever no writer holds the file, so readers that poll
    back to back keep it shared forever and a writer's retries never find a gap. Here a writer
    takes ``<db>.lock`` exclusively before it asks DuckDB and keeps it until it closes; a reader
    only passes through it (shared, released at once). Once a writer is waiting, new readers
    wait behind it, readers already in finish their query, and the writer gets in; readers then
    resume. Without a lock file that can be opened (a read-only directory) there is nothing to
    wait for: no scout process can write there.
    """
    key = str(path.resolve())
    held: set[str] = _held.__dict__.setdefault("paths", set())
    fd = None if key in held else _open_turnstile(turnstile_path(path))
    if fd is None:
        yield
        return
    try:
        _flock(fd, fcntl.LOCK_SH if read_only else fcntl.LOCK_EX, path, deadline, timeout)
    except BaseException:
        os.close(fd)
        raise
    if read_only:
        os.close(fd)  # passed through at once: a reader holds no writer back
        yield
        return
    try:  # names the holder to those who wait (a lock file someone else owns stays as it is)
        os.ftruncate(fd, 0)
        os.write(fd, f"(PID {os.getpid()})\n".encode())
    except OSError:
        pass
    held.add(key)
    try:
        yield
    finally:
        held.discard(key)
        os.close(fd)  # closing releases the lock


def _open_turnstile(lock: Path) -> int | None:
    """The lock file's descriptor, or None where it can be neither created nor read."""
    for flags in (os.O_RDWR | os.O_CREAT, os.O_RDONLY):  # read-only: a reader in a read-only place
        try:
            return os.open(lock, flags, 0o644)
        except OSError:
            continue
    return None


def _flock(fd: int, mode: int, path: Path, deadline: float, timeout: float) -> None:
    """flock() with the same bounded, jittered wait as DuckDB's lock; the holder named on timeout."""
    wait = _TURN_FIRST_WAIT
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WarehouseError(
                    f"The database {path} is being written by {lock_holder(_read_holder(fd))}; gave up after "
                    f"{timeout:g}s (SCOUT_LOCK_TIMEOUT). Wait for it to finish or use a different --db."
                ) from None
            time.sleep(min(left, wait * random.uniform(0.5, 1.0)))
            wait = min(wait * 2, _TURN_MAX_WAIT)


@dataclass(frozen=True, slots=True)
class LockHolder:
    """The process holding a warehouse's write lock: its PID when it wrote one, and who it is."""

    pid: int | None
    description: str  # "process 1234 (scout discover ...)", as far as known


def write_lock_holder(path: Path) -> LockHolder | None:
    """Who holds the write lock on ``path`` at this moment (None: nobody), found without waiting
    for it or keeping any lock, so a look never holds up a writer."""
    try:
        fd = os.open(turnstile_path(path), os.O_RDONLY)
    except OSError:  # no lock file: no scout process has written here
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        text = _read_holder(fd)
        match = _HOLDER_RE.search(text)
        return LockHolder(int(match.group(1)) if match else None, lock_holder(text))
    finally:
        os.close(fd)  # also lets go of the shared lock taken when nobody held it
    return None


def _read_holder(fd: int) -> str:
    try:
        return os.pread(fd, 64, 0).decode(errors="replace")
    except OSError:
        return ""


def _check_path(path: Path, read_only: bool) -> None:
    """Turn the predictable failures into clear sentences before DuckDB sees the path."""
    check_name_lengths(path)
    if path.exists() and not path.is_file() and not path.is_dir():  # opening a FIFO would hang
        raise WarehouseInputError(f"{path} is not a regular file (a pipe or device?); pass a database file.")
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


#: Longest file or directory name most filesystems take (NAME_MAX), in bytes.
NAME_MAX = 255


def check_name_lengths(path: Path) -> None:
    """A name too long for the filesystem is one clear sentence, not an OSError from stat()."""
    for part in path.parts:
        if len(os.fsencode(part)) > NAME_MAX:
            raise WarehouseInputError(
                f"The name {part[:40]!r}... in {str(path)[:80]!r} is {len(os.fsencode(part))} bytes "
                f"long; a file or directory name may have at most {NAME_MAX}.")


def lock_timeout(config: Settings | None = None) -> float:
    """``SCOUT_LOCK_TIMEOUT`` in seconds (0 = do not wait), else the default."""
    value = settings_now(config).lock_timeout
    return DEFAULT_LOCK_TIMEOUT if value is None else value


def _open_with_retry(path: Path, read_only: bool, deadline: float, timeout: float) -> duckdb.DuckDBPyConnection:
    """Connect; while another process holds the file, retry with jittered backoff until the deadline."""
    wait = _FIRST_WAIT
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            message = str(exc)
            if "Could not set lock" not in message:
                raise _open_error(path, message) from exc
            left = deadline - time.monotonic()
            if left <= 0:
                raise WarehouseError(
                    f"The database {path} is locked by {lock_holder(message)}; gave up after "
                    f"{timeout:g}s (SCOUT_LOCK_TIMEOUT). Wait for it to finish or use a different --db."
                ) from exc
            # Jitter keeps two waiting writers from retrying in lockstep.
            time.sleep(min(left, wait * random.uniform(0.5, 1.0)))
            wait = min(wait * 2, _MAX_WAIT)
        except duckdb.Error as exc:
            raise _open_error(path, str(exc)) from exc



def pid_running(pid: int) -> bool:
    """Whether a process with this PID exists on this host (ours or another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, it is just not ours
        return True
    return True

def lock_holder(message: str) -> str:
    """"process 1234 (scout discover ...)" from DuckDB's lock error and /proc, as far as known."""
    match = _HOLDER_RE.search(message)
    if not match:
        return "another process"
    pid = match.group(1)
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # not Linux, gone already, or not ours to read
        return f"process {pid}"
    # one line whatever the arguments hold (a `python -c` script has line breaks)
    command = " ".join(" ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part).split())
    if len(command) > 200:
        command = command[:197] + "..."
    return f"process {pid} ({command})" if command else f"process {pid}"


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
