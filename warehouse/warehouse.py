"""One warehouse file, as a flow uses it: one object, one connection for as long as it is worth it.

A flow builds one :class:`Warehouse` and calls it; it never threads a path through the layers
below. The object migrates the file on its first write connection only. Batches saved back to
back share one write connection (``keeping_open``; each batch its own transactions): it is
closed, which checkpoints DuckDB and lets readers and other writers in, when the flow is about to
wait for the network (``release``), once it has been held ``HOLD_SECONDS``, and when the block
ends. A discover whose flow thread is busy opens the file once per ``HOLD_SECONDS`` instead of
once per batch, and a reader still waits at most about ``HOLD_SECONDS`` and one batch.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from core.brief import Brief
from core.records import RawResponse
from core.settings import Settings
from warehouse.ad_network import network_inputs, update_authenticity
from warehouse.audits import audit_targets, store_audits
from warehouse.db import DbPath, connect, default_db_path, transaction
from warehouse.forget import read_tombstones
from warehouse.load import load_batch, require_run_id, run_row, store_batch
from warehouse.manifest import RunState, RunStatus, finish_run, open_run, unfinished
from warehouse.matching import MatchRead, seed_frame
from warehouse.queries import batch_raw_responses, run_counts
from warehouse.rescore import (
    Chunk,
    ChunkRange,
    append_scores,
    chunk_ranges,
    next_batch_no,
    publish_scores,
    read_chunk,
    stored_platforms,
)
from warehouse.scoring_inputs import scoring_inputs, tier_benchmarks

#: Longest a write connection is kept across batches before it is closed to let others in.
HOLD_SECONDS = 5.0

#: Checkpoint vacuum tasks on a batch writer: none. DuckDB's vacuum merges the small row group a
#: checkpoint appends into the ones before it (up to 122,880 rows), so with it every checkpoint of
#: a discover rewrites, and holds in memory, every raw body stored so far: a peak that grows with
#: the table. Batches only append (the few rows they delete are compacted by a later checkpoint).
BATCH_WRITER_VACUUM_TASKS = 0


class Warehouse:
    """The warehouse at ``path`` (``$SCOUT_DB`` or the default when None), opened with the entry
    point's ``config`` (the lock wait; read from the environment only when none is given)."""

    def __init__(self, path: DbPath | None = None, config: Settings | None = None) -> None:
        self.path = Path(path if path is not None else default_db_path(config))
        self.config = config
        self._migrated = False
        self._held: duckdb.DuckDBPyConnection | None = None  # kept across batches (``hold``)
        self._holding = ExitStack()
        self._held_since = 0.0
        self._keep_open = False

    @contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write connection (the held one, if any); the first one this object opens brings
        the schema up to date."""
        if self._held is not None:
            yield self._held
            return
        with connect(self.path, upgrade=not self._migrated, config=self.config) as con:
            self._migrated = True
            yield con

    @contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection, or the held write connection (this process cannot open the
        file a second time while it holds it)."""
        if self._held is not None:
            yield self._held
            return
        with connect(self.path, read_only=True, config=self.config) as con:
            yield con

    def _hold(self) -> duckdb.DuckDBPyConnection:
        """The write connection kept open for the next batches (set up by ``_appending`` once,
        when opened), until ``release``."""
        if self._held is None:
            self._held = _appending(self._holding.enter_context(
                connect(self.path, upgrade=not self._migrated, config=self.config)))
            self._migrated = True
            self._held_since = time.monotonic()
        return self._held

    @contextmanager
    def keeping_open(self) -> Iterator[None]:
        """Batches saved in the block share one write connection, closed by ``release``, after
        ``HOLD_SECONDS``, and when the block ends."""
        self._keep_open = True
        try:
            yield
        finally:
            self._keep_open = False
            self.release()

    def release(self) -> None:
        """Close the held write connection, if any: DuckDB checkpoints, and readers and other
        writers get the file. A flow calls it before it waits (for the network, say)."""
        self._held = None
        self._holding.close()

    def unfinished_run(self, fingerprint: str) -> str | None:
        """The run a rerun with this fingerprint would continue, if any (a read-only look)."""
        if not self.path.exists():
            return None
        with self.reader() as con:
            found = unfinished(con, fingerprint)
        return None if found is None else str(found[0])

    def open_run(
        self, run_id: str, run: Mapping[str, Any], fingerprint: str, *, resume_only: bool = False,
    ) -> tuple[RunState, pd.DataFrame]:
        """Claim the latest unfinished run with this fingerprint or start ``run_id``; with the
        run's platform's tombstones (creators erased by ``scout forget``) as of now."""
        require_run_id(run_id)
        row = run_row(run_id, run)
        with self.writer() as con:
            with transaction(con, f"Starting run {run_id}"):
                state = open_run(con, row, fingerprint, resume_only=resume_only)
            return state, read_tombstones(con, run["platform"])

    def scoring_inputs(self, platform: str, now: datetime) -> dict[str, pd.DataFrame]:
        """Tier benchmarks and snapshot history of one platform (empty frames for a
        warehouse not yet created), read before the run's first batch so every batch is scored alike."""
        with self.writer() as con:
            return scoring_inputs(con, platform, now)

    def tier_benchmarks(self, platform: str) -> pd.DataFrame:
        """The platform's tier benchmarks alone: a rescore reads each chunk's own snapshots, not
        the whole platform's (empty for a warehouse not yet created)."""
        with self.writer() as con:
            return tier_benchmarks(con, platform)

    def rescore_latest(self, rescore: Callable[[pd.DataFrame, Iterable[pd.DataFrame]], pd.DataFrame], *,
                       recent: int, texts: str = "true") -> int:
        """The ad-network pass in one transaction: ``rescore(latest scores, each creator's ``recent``
        original posts whose text meets the SQL condition ``texts``)`` gives the scores whose flags
        change, written back; how many changed."""
        with self.writer() as con, transaction(con, "Updating the ad-network flags"):
            return update_authenticity(con, rescore(*network_inputs(con, recent, texts)))

    @contextmanager
    def match_read(self, brief: Brief, products: Mapping[str, tuple[str, np.ndarray]], versions: Mapping[str, str]
                   ) -> Iterator[MatchRead]:
        """The stored creators the brief's filters keep, as ranking needs them (the dot
        ``products`` computed beside the stored vectors), and the full rows of those shown, read on
        one read-only connection held while the caller ranks."""
        with self.reader() as con:
            yield MatchRead(con, brief, products, versions)

    def seed_frame(self, likes: tuple[str, ...]) -> pd.DataFrame:
        """The ``--like`` seeds' stored rows; an unknown or ambiguous handle is bad input."""
        with self.reader() as con:
            return seed_frame(con, likes)

    def stored_raws(self, run_id: str, batch_no: int) -> list[RawResponse]:
        """The bodies a batch stored, in fetch order, so a resume re-parses instead of refetching."""
        with self.reader() as con:
            return [RawResponse(**row) for row in batch_raw_responses(con, run_id, batch_no)]

    def save_batch(
        self, *, run_id: str, batch_no: int, refs: list[str], raws: pd.DataFrame | None,
        frames: Mapping[str, pd.DataFrame], errors: pd.DataFrame, counts: Mapping[str, Any],
        run_refs: list[str] | None = None, ref_sources: list[list[str] | None] | None = None,
    ) -> dict[str, int]:
        """A batch's two transactions on one connection: store its bodies (skipped when ``raws``
        is None: an earlier attempt stored them), then load its records (and ``frames["lineage"]``,
        how the run found them, when given)."""
        with self._batch_writer() as con:
            if raws is not None:
                store_batch(con, run_id=run_id, batch_no=batch_no, refs=refs, raw_responses=raws,
                            counts=counts, run_refs=run_refs, ref_sources=ref_sources)
            return load_batch(con, run_id=run_id, batch_no=batch_no, profiles=frames["profiles"],
                              posts=frames["posts"], scores=frames["scores"], errors=errors,
                              counts={**counts, "posts": len(frames["posts"])}, lineage=frames.get("lineage"))

    @contextmanager
    def _batch_writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Inside ``keeping_open``, the held connection (left open for the next batch unless held
        ``HOLD_SECONDS`` already, closed at once after a failure); otherwise one of its own."""
        if not self._keep_open:
            with self.writer() as con:
                yield _appending(con)
            return
        try:
            yield self._hold()
        except BaseException:
            self.release()
            raise
        if time.monotonic() - self._held_since >= HOLD_SECONDS:
            self.release()

    def audit_targets(self, platform: str, run_id: str, *, everyone: bool) -> list[str]:
        """The creators a run audits: its candidates, or every creator it scored."""
        with self.reader() as con:
            return audit_targets(con, platform, run_id, everyone=everyone)

    def save_audits(self, run_id: str, audits: pd.DataFrame) -> int:
        """Store a run's audience audits in one transaction; how many rows were stored."""
        with self.writer() as con:
            return store_audits(con, run_id, audits)

    def finish_run(self, run_id: str, status: RunStatus) -> dict[str, Any]:
        """Close a run and return its totals over every loaded batch (none for a failed run)."""
        with self.writer() as con:
            totals = run_counts(con, run_id) if status is RunStatus.COMPLETED else {}
            finish_run(con, run_id, status, totals)
        return totals

    # ``scout rescore``: the stored creators re-scored a chunk at a time (warehouse/rescore.py).

    def stored_platforms(self) -> list[str]:
        """The platforms with stored creators (none for a warehouse not yet created)."""
        if not self.path.exists():
            return []
        with self.reader() as con:
            return stored_platforms(con)

    def chunk_ranges(self, platform: str, run_id: str, size: int) -> list[ChunkRange]:
        """The creators the run has still to score, as creator_id ranges of ``size`` creators."""
        with self.reader() as con:
            return chunk_ranges(con, platform, run_id, size)

    def read_chunk(self, platform: str, run_id: str, span: ChunkRange, now: datetime) -> Chunk | None:
        """The unscored creators of ``span`` with their posts and snapshots, or None."""
        with self.reader() as con:
            return read_chunk(con, platform, run_id, span, now)

    def append_scores(self, run_id: str, frames: dict[str, pd.DataFrame | pa.Table]) -> dict[str, int]:
        """A chunk's scores appended under the run, as its next batch (on the held connection
        inside ``keeping_open``)."""
        with self._batch_writer() as con:
            return append_scores(con, run_id, next_batch_no(con, run_id), frames)

    def publish_scores(self, run_id: str) -> None:
        """The run's appended scores made the latest, with the candidates, in one transaction."""
        with self.writer() as con:
            publish_scores(con, run_id)


def _appending(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """``con`` set up for batches that append: its checkpoints (every ``release`` and its close)
    write each batch's rows as they are instead of rewriting the table's earlier row groups with
    them (``BATCH_WRITER_VACUUM_TASKS``). The setting lasts as long as the connection."""
    con.execute(f"SET max_vacuum_tasks = {BATCH_WRITER_VACUUM_TASKS}")
    return con
