"""The run manifest (``runs`` + ``run_batches``): open or resume a run, record each batch's two
phases, finish it.

A batched run is recorded under a fingerprint of its params. Batch 0 is discovery, batch k the
k-th group of creators; each batch is first *fetched* (raw bodies stored) and then *loaded*
(records loaded), each in its own transaction, so a killed run resumes from what is stored.
Every function here takes the caller's open connection (see :class:`warehouse.warehouse.Warehouse`).
"""

from __future__ import annotations

import json
import os
import signal
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

import duckdb

from core.errors import WarehouseError
from core.settings import Settings
from warehouse.db import pid_running, settings_now


class RunStatus(StrEnum):
    """``runs.status``: 'running' until the last batch loads; a 'failed' run is resumed by the next
    identical one, a 'completed' one never."""

    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


class BatchStatus(StrEnum):
    """``run_batches.status``: bodies stored ('fetched'), then records loaded ('loaded')."""

    FETCHED = "fetched"
    LOADED = "loaded"


@dataclass(frozen=True, slots=True)
class StoredBatch:
    """A batch an earlier attempt of the run already stored."""

    status: BatchStatus
    refs: list[str]
    counts: dict[str, Any]


@dataclass(slots=True)
class RunState:
    """The run a flow works on: new, or an unfinished one it resumes with what that stored."""

    run_id: str
    started_at: datetime  # the run's one clock, kept across resumes
    refs: list[str] | None = None  # the refs discovery found, once stored
    ref_sources: list[list[str] | None] | None = None  # [found_by, term] of each ref, in refs' order
    resumed: bool = False
    batches: dict[int, StoredBatch] = field(default_factory=dict)


def fault_point(stage: str, batch_no: int, config: Settings | None = None, *,
                before_stop: Callable[[], None] | None = None) -> None:
    """Test-only fault injection: die like ``kill -9`` when ``SCOUT_FAULT_KILL_AT`` names this
    stage and batch (``load:3``: inside the transaction that loads batch 3; ``store:N``: the one
    storing its raw bodies; ``fetch:N``: after fetching, before storing), or SIGSTOP when
    ``SCOUT_FAULT_STOP_AT`` does, so a test can act between batches and then SIGCONT the run
    (``before_stop`` first: a flow holding the file open between batches lets it go, as it
    would before any wait). Unset, it does nothing."""
    here = f"{stage}:{batch_no}"
    config = settings_now(config)
    if config.fault_kill_at == here:
        os.kill(os.getpid(), signal.SIGKILL)
    if config.fault_stop_at == here:
        if before_stop is not None:
            before_stop()
        os.kill(os.getpid(), signal.SIGSTOP)


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def owner_alive(owner: str | None) -> bool:
    """Whether the process that owns a run is still running (only knowable on this host)."""
    host, _, pid = (owner or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return True
    return pid_running(int(pid))


def nothing_to_resume(flow_name: str, platform: str) -> WarehouseError:
    return WarehouseError(
        f"Nothing to resume: no unfinished {flow_name} run on {platform} with these parameters "
        "in the warehouse (rerun without --resume to start a new one)."
    )


def unfinished(con: duckdb.DuckDBPyConnection, fingerprint: str) -> tuple[Any, ...] | None:
    """(run_id, started_at, refs, owner, ref_sources) of the latest resumable run with this fingerprint."""
    rows = con.execute(
        "SELECT run_id, started_at, refs, owner, ref_sources FROM runs WHERE fingerprint = ? AND status IN (?, ?) "
        "ORDER BY started_at DESC",
        [fingerprint, RunStatus.RUNNING, RunStatus.FAILED],
    ).fetchall()
    return next((r for r in rows if r[3] == this_process() or not owner_alive(r[3])), None)


def open_run(
    con: duckdb.DuckDBPyConnection, run_row: list[Any], fingerprint: str, *, resume_only: bool = False,
) -> RunState:
    """Claim the latest unfinished run with this fingerprint, or start ``run_row`` as a new one.

    ``resume_only`` raises a :class:`WarehouseError` instead of starting a new run. A run whose
    owner process is still alive is someone else's work in progress and is never claimed.
    The caller owns the transaction.
    """
    run_id, flow_name, platform, _, started_at = run_row[:5]
    claimed = unfinished(con, fingerprint)
    if claimed is None and resume_only:
        raise nothing_to_resume(flow_name, platform)
    if claimed is None:
        con.execute(
            "INSERT INTO runs (run_id, flow, platform, params, started_at, finished_at, status, "
            "fingerprint, owner) VALUES (?, ?, ?, CAST(? AS JSON), ?, NULL, ?, ?, ?)",
            [*run_row[:5], RunStatus.RUNNING, fingerprint, this_process()],
        )
        return RunState(run_id, started_at)
    run_id, started_at, refs, _, sources = claimed
    con.execute(
        "UPDATE runs SET status = ?, finished_at = NULL, owner = ? WHERE run_id = ?",
        [RunStatus.RUNNING, this_process(), run_id],
    )
    batches = {
        batch_no: StoredBatch(BatchStatus(status), json.loads(b_refs or "[]"), json.loads(b_counts or "{}"))
        for batch_no, status, b_refs, b_counts in con.execute(
            "SELECT batch_no, status, refs, counts FROM run_batches WHERE run_id = ?", [run_id]
        ).fetchall()
    }
    return RunState(run_id, started_at, None if refs is None else json.loads(refs),
                    None if sources is None else json.loads(sources), True, batches)


def record_fetched(
    con: duckdb.DuckDBPyConnection, run_id: str, batch_no: int, refs: list[str], counts: Mapping[str, Any],
    run_refs: list[str] | None, ref_sources: list[list[str] | None] | None = None,
) -> None:
    """Mark a batch 'fetched' (its bodies are stored); ``run_refs`` (and how each was found,
    ``ref_sources``) with the discovery batch."""
    con.execute(
        "INSERT OR REPLACE INTO run_batches (run_id, batch_no, refs, status, counts, fetched_at) "
        "VALUES ($run_id, $batch_no, CAST($refs AS JSON), $status, CAST($counts AS JSON), now())",
        {"run_id": run_id, "batch_no": batch_no, "refs": json.dumps(refs), "status": BatchStatus.FETCHED,
         "counts": json.dumps(dict(counts))},
    )
    if run_refs is not None:
        con.execute("UPDATE runs SET refs = CAST(? AS JSON), ref_sources = CAST(? AS JSON) WHERE run_id = ?",
                    [json.dumps(run_refs), None if ref_sources is None else json.dumps(ref_sources), run_id])


def record_loaded(con: duckdb.DuckDBPyConnection, run_id: str, batch_no: int, counts: Mapping[str, Any]) -> None:
    """Mark a batch 'loaded', with its fetch and load counts; a batch that fetched nothing (a
    rescore's chunk) is recorded here, in its load's transaction, instead of in one of its own."""
    con.execute(
        "INSERT INTO run_batches (run_id, batch_no, refs, status, counts, fetched_at, loaded_at) "
        "VALUES ($run_id, $batch_no, CAST('[]' AS JSON), $status, CAST($counts AS JSON), now(), now()) "
        "ON CONFLICT (run_id, batch_no) DO UPDATE SET status = excluded.status, counts = excluded.counts, "
        "loaded_at = excluded.loaded_at",
        {"run_id": run_id, "batch_no": batch_no, "status": BatchStatus.LOADED, "counts": json.dumps(dict(counts))},
    )


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, status: RunStatus, counts: Mapping[str, Any]) -> None:
    """Close a run: 'completed' (never resumed again) or 'failed' (the next identical run resumes it)."""
    if status not in (RunStatus.COMPLETED, RunStatus.FAILED):
        raise WarehouseError(f"A run finishes as 'completed' or 'failed', not {status!r}.")
    con.execute(
        "UPDATE runs SET status = ?, finished_at = now(), counts = CAST(? AS JSON), owner = NULL "
        "WHERE run_id = ?",
        [status, json.dumps(dict(counts), default=str), run_id],
    )
