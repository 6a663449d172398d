"""``scout prune``: delete raw bodies older than an age that no unfinished run needs, and give
their space back.

A 'running' or 'failed' run is resumable: a rerun re-parses the bodies its fetched batches stored
instead of fetching them again, so every body of such a run is kept, whatever its age. DuckDB
reuses freed blocks but never shrinks its file, so a prune that deleted anything ends with the
rewrite ``scout forget`` uses (:func:`warehouse.forget.compact`); the freed bytes are the file's
size before and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from core.settings import Settings
from warehouse.db import DbPath, connect, transaction
from warehouse.forget import compact
from warehouse.manifest import RunStatus

#: Raw bodies fetched before $cutoff; ``$unfinished`` keeps those of resumable runs out.
_OLD = "FROM raw_responses WHERE fetched_at < $cutoff"
_NOT_NEEDED = (" AND (run_id IS NULL OR run_id NOT IN "
               "(SELECT run_id FROM runs WHERE status IN ($running, $failed)))")


@dataclass(frozen=True, slots=True)
class Pruned:
    """What a prune removed (or, dry, would remove) and what it kept for unfinished runs."""

    rows: int
    body_bytes: int
    kept_for_unfinished: int  # bodies old enough to go that a resumable run still needs
    file_before: int
    file_after: int


def file_bytes(path: Path) -> int:
    """The database's size on disk, its write-ahead log included."""
    wal = path.with_name(path.name + ".wal")
    return sum(p.stat().st_size for p in (path, wal) if p.exists())


def _measure(con: duckdb.DuckDBPyConnection, params: dict[str, object]) -> tuple[int, int, int]:
    row = con.execute(
        f"SELECT (SELECT count(*) {_OLD}{_NOT_NEEDED}), (SELECT coalesce(sum(strlen(body)), 0) {_OLD}{_NOT_NEEDED}), "
        f"(SELECT count(*) {_OLD}) - (SELECT count(*) {_OLD}{_NOT_NEEDED})", params).fetchone()
    assert row is not None
    rows, body_bytes, kept = (int(v) for v in row)
    return rows, body_bytes, kept


def prune_raw(db_path: DbPath, cutoff: datetime, *, dry_run: bool = False, config: Settings | None = None) -> Pruned:
    """Delete the raw bodies fetched before ``cutoff`` that no 'running' or 'failed' run needs,
    in one transaction under the write lock, then rewrite the file; ``dry_run`` only counts them
    (read-only)."""
    path = Path(db_path)
    params = {"cutoff": cutoff, "running": RunStatus.RUNNING, "failed": RunStatus.FAILED}
    before = file_bytes(path)
    with connect(path, read_only=dry_run, config=config) as con:
        rows, body_bytes, kept = _measure(con, params)
        if rows and not dry_run:
            with transaction(con, "Pruning raw bodies"):
                con.execute(f"DELETE {_OLD}{_NOT_NEEDED}", params)
    if rows and not dry_run:
        compact(path, config, retry="run scout prune again to free it")
    return Pruned(rows, body_bytes, kept, before, file_bytes(path))
