"""Recent runs as ``scout runs`` lists them: status, parameters, counts, duration, and which one
holds the write lock now.

Read on a read-only connection (never migrating); the lock is looked at without waiting for it
(:func:`warehouse.db.write_lock_holder`), so listing runs never holds up a writer.
"""

from __future__ import annotations

import json
import socket
from datetime import datetime
from typing import Any

import duckdb

from core.records import utcnow
from warehouse.db import LockHolder
from warehouse.manifest import RunStatus, owner_alive
from warehouse.queries import run_counts

#: The counts a run listing shows, as ``runs.counts`` and :func:`run_counts` name them.
LISTED_COUNTS = ("fetched", "loaded", "retried", "quarantined")
#: What a run looked for, shown before its other parameters.
_FIRST_PARAMS = ("queries", "hashtags", "handles", "paths")


def recent_runs(con: duckdb.DuckDBPyConnection, limit: int, lock: LockHolder | None) -> list[dict[str, Any]]:
    """The ``limit`` latest runs, newest first. A run still open has no stored counts yet: its
    loaded batches are counted now. ``state`` says what a 'running' row really is: ``running``
    while its process lives, ``interrupted`` (resumable) once it is gone."""
    rows = con.execute(
        "SELECT run_id, flow, platform, params, started_at, finished_at, status, counts, owner FROM runs "
        "ORDER BY started_at DESC NULLS LAST, run_id DESC LIMIT ?", [limit]).fetchall()
    now = utcnow()
    return [_listed(con, row, lock, now) for row in rows]


def _listed(con: duckdb.DuckDBPyConnection, row: tuple[Any, ...], lock: LockHolder | None,
            now: datetime) -> dict[str, Any]:
    run_id, flow, platform, params, started_at, finished_at, status, counts, owner = row
    stored = json.loads(counts) if counts else {}
    if not all(key in stored for key in LISTED_COUNTS):  # still open, or an import's load counts
        stored = run_counts(con, run_id)
    alive = status == RunStatus.RUNNING and owner_alive(owner)
    state = "interrupted" if status == RunStatus.RUNNING and not alive else status
    end = finished_at if finished_at is not None else (now if alive else None)
    return {
        "run_id": run_id, "flow": flow, "platform": platform, "status": status, "state": state,
        "params": json.loads(params) if params else {},
        "counts": {key: int(stored.get(key) or 0) for key in LISTED_COUNTS},
        "started_at": started_at, "finished_at": finished_at,
        "seconds": None if started_at is None or end is None else (end - started_at).total_seconds(),
        "owner": owner, "holds_lock": _holds(owner, lock),
    }


def _holds(owner: str | None, lock: LockHolder | None) -> bool:
    """Whether the run's process (``host:pid``, this host only) is the one holding the lock."""
    host, _, pid = (owner or "").rpartition(":")
    return lock is not None and lock.pid is not None and host == socket.gethostname() and pid == str(lock.pid)


def short_params(params: dict[str, Any], width: int = 60) -> str:
    """``queries=baking,fitness limit=40``: the values a run was given, empty ones and its platform and URL left out,
    cut to ``width`` characters (the full parameters are in ``-f json``)."""
    parts = []
    for key, value in sorted(params.items(), key=lambda item: item[0] not in _FIRST_PARAMS):
        if value in (None, "", [], False) or key in ("platform", "base_url"):
            continue
        shown = ",".join(map(str, value)) if isinstance(value, list) else str(value)
        parts.append(f"{key}={shown}")
    text = " ".join(parts)
    return text if len(text) <= width else text[: width - 1] + "…"
