"""The ``rescore`` flow: every stored creator scored again from its stored profile and posts,
with today's models and rules, without fetching anything.

Per platform, one run (flow 'rescore') reads the creators in chunks (``chunk_size`` creators and
their posts, as Arrow), scores each chunk in one task and appends the scores under the run, so
memory is bounded by the chunk whatever the warehouse's size, and the previous verdicts stay.
Rerunning with the same options continues a stopped rescore: the creators it scored are skipped.
A platform's new scores become the latest together, once all its chunks are written (a stopped
rescore leaves the previous verdicts showing). Once every platform is done, the ad-network pass
runs over the whole warehouse, as after a discover.

Not re-derived: the avatar face signal (``discover --faces`` fetches avatars; a rescore does not)
and the stored posts' own ``collab_kind`` (scoring derives it again, the posts table keeps the
one from their load).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote
from threadpoolctl import threadpool_limits

from core.memory import keep_freed_memory
from core.processes import exit_with_parent
from core.records import utcnow
from core.settings import Settings
from flows.chunk_files import ChunkFiles, score_chunk_files
from flows.discover import fingerprint
from flows.interrupts import raise_if_interrupted, remembered_interrupts
from flows.progress import ProgressMeter
from scrapers.errors import InvalidInput
from transforms.authenticity import AuthenticityContext, rescore_ad_network
from transforms.authenticity.ad_network import NETWORK_POSTS
from transforms.frames import errors_frame, posts_frame, profiles_frame
from transforms.score import SCORE_VERSIONS, score_stored
from transforms.tiers import get_scheme
from warehouse.manifest import RunStatus
from warehouse.rescore import Chunk
from warehouse.warehouse import Warehouse

DEFAULT_CHUNK = 10_000  # creators per chunk: 1M of 30 posts peak at 3.1 GiB in all (20,000: 4.25 GiB)
MAX_CHUNK = 500_000
# Scoring is CPU-bound pandas: one process per core of the 2-core machine it is sized for, while
# the flow reads the next chunk and writes the last one's scores (the single writer).
SCORING_PROCESSES = 2
_AHEAD = SCORING_PROCESSES + 1  # chunks read and not yet written: one waits while each process scores
#: Chunks read from the warehouse at once (warehouse.rescore.Chunk.pieces): most of a read's
#: cost is comparing every stored post's creator_id with the range, whatever the range's width.
READ_CHUNKS = 2


@dataclass(frozen=True)
class ScoringProcesses:
    """Where chunks are scored: the pool, and the files that carry chunks to it."""

    pool: Executor
    files: ChunkFiles


@task(cache_policy=NO_CACHE)
def score_chunk(chunk: Chunk, now: datetime, tier_scheme: str, person_threshold: float,
                benchmarks: pd.DataFrame, processes: ScoringProcesses | None) -> pa.Table:
    """One chunk's scores as Arrow, in one of ``processes`` (None: in this process): the same
    pure transforms a discover batch goes through."""
    context = AuthenticityContext(benchmarks=benchmarks, snapshots=chunk.snapshots)
    kwargs = {"now": now, "tier_scheme": get_scheme(tier_scheme), "person_threshold": person_threshold,
              "authenticity": context}
    if processes is None:
        return score_stored(chunk.profiles, chunk.posts, **kwargs)
    paths = processes.files.write({"profiles": chunk.profiles, "posts": chunk.posts})
    if paths is None:  # no room for the files: through the pipe
        return processes.pool.submit(score_stored, chunk.profiles, chunk.posts, **kwargs).result()
    try:
        return processes.pool.submit(score_chunk_files, paths, **kwargs).result()
    finally:
        processes.files.remove(paths)


def _start_scoring_process(parent_pid: int) -> None:
    """A scoring process ends with the flow's, keeps the memory one chunk frees for the next, and
    computes in one thread: the other cores are busy with the other scoring process and the flow,
    so Arrow's and OpenBLAS's own thread pools only added switching (6% of a chunk's CPU)."""
    exit_with_parent(parent_pid)
    keep_freed_memory()
    pa.set_cpu_count(1)
    threadpool_limits(1)


@contextmanager
def _scoring_processes(chunks: int) -> Iterator[ScoringProcesses | None]:
    """Processes to score in when there is more than one chunk (spawned: the flow's threads are
    not forked); None for a single chunk, which is scored sooner than a process starts. On the
    way out, chunks not yet started are dropped (a stopped rescore waits only for those running)."""
    if chunks <= 1:
        yield None
        return
    pool = ProcessPoolExecutor(min(SCORING_PROCESSES, chunks), mp_context=get_context("spawn"),
                               initializer=_start_scoring_process, initargs=(os.getpid(),))
    files = ChunkFiles()
    try:
        yield ScoringProcesses(pool, files)
    finally:
        pool.shutdown(cancel_futures=True)
        files.close()


def _rescore_platform(warehouse: Warehouse, flow_run_id: str, platform: str, params: dict[str, Any],
                      chunk_size: int) -> dict[str, Any]:
    """One platform's run: open (or continue) it, score every unscored creator chunk by chunk.

    Chunks are read ahead in creator_id order, READ_CHUNKS per read, and scored in other
    processes, one task each; the flow writes each chunk's scores in order as they come back, so
    at most ``_AHEAD`` chunks (and the rest of a read) are held at once and the writer never waits
    for a chunk that is still being read. Reads and writes share one connection, closed every
    few seconds to let readers in."""
    started_at = utcnow()
    state, _ = warehouse.open_run(
        f"{flow_run_id}:{platform}",
        {"flow": "rescore", "platform": platform, "params": params, "started_at": started_at,
         "finished_at": None, "status": RunStatus.RUNNING},
        fingerprint("rescore", {"platform": platform, **params}),
    )
    benchmarks = warehouse.tier_benchmarks(platform)
    spans = warehouse.chunk_ranges(platform, state.run_id, chunk_size * READ_CHUNKS)
    meter = ProgressMeter(f"rescore {platform}", [n for span in spans for n in span.piece_sizes(chunk_size)],
                          get_run_logger().info)
    empty = {"profiles": profiles_frame([], state.started_at), "posts": posts_frame([], state.started_at),
             "errors": errors_frame([])}
    scoring: deque[PrefectFuture[pa.Table]] = deque()  # in chunk order

    def write_oldest() -> None:
        scores = scoring.popleft().result()
        warehouse.append_scores(state.run_id, {**empty, "scores": scores})
        meter.batch_done(len(scores))

    try:
        with _scoring_processes(len(meter.sizes)) as processes, warehouse.keeping_open():
            for span in spans:
                raise_if_interrupted()
                if (read := warehouse.read_chunk(platform, state.run_id, span, state.started_at)) is None:
                    continue  # forgotten since the ranges were cut
                for chunk in read.pieces(chunk_size):
                    scoring.append(score_chunk.submit(quote(chunk), state.started_at, params["tier_scheme"],
                                                      params["person_threshold"], quote(benchmarks), quote(processes)))
                    if len(scoring) >= _AHEAD:
                        write_oldest()
            while scoring:
                raise_if_interrupted()
                write_oldest()
        warehouse.publish_scores(state.run_id)
        warehouse.finish_run(state.run_id, RunStatus.COMPLETED)
    except BaseException:
        for pending in scoring:  # a chunk not started yet is dropped (Prefect's future has no cancel)
            pending.wrapped_future.cancel()
        warehouse.finish_run(state.run_id, RunStatus.FAILED)
        raise
    return {"platform": platform, "run_id": state.run_id, "resumed": state.resumed, "creators": meter.creators}


def check_rescore(warehouse: Warehouse, platforms: list[str] | None, tier_scheme: str,
                  person_threshold: float, chunk_size: int) -> list[str]:
    """The platforms to rescore (default: every stored one), or InvalidInput naming what is wrong;
    the CLI asks before starting the flow, the flow again for a deployment's parameters."""
    get_scheme(tier_scheme)
    if not 0.0 <= person_threshold <= 1.0:
        raise InvalidInput(f"--threshold must be between 0 and 1, got {person_threshold}.")
    if not 1 <= chunk_size <= MAX_CHUNK:
        raise InvalidInput(f"--chunk must be between 1 and {MAX_CHUNK:,}, got {chunk_size}.")
    stored = warehouse.stored_platforms()
    unknown = sorted(set(platforms or ()) - set(stored))
    if unknown:
        raise InvalidInput(f"no creators of {', '.join(unknown)} in {warehouse.path} "
                           f"(stored: {', '.join(stored) or 'none'}).")
    return list(platforms or stored)


@flow(name="rescore", task_runner=ThreadPoolTaskRunner(max_workers=_AHEAD))
def rescore(
    db_path: str = "data/scout.duckdb",
    platforms: list[str] | None = None,
    tier_scheme: str = "default",
    person_threshold: float = 0.5,
    chunk_size: int = DEFAULT_CHUNK,
) -> dict[str, Any]:
    """Score every stored creator again (``platforms``: only those), ``chunk_size`` at a time."""
    config = Settings.from_env(InvalidInput)
    warehouse = Warehouse(Path(db_path), config)
    platforms = check_rescore(warehouse, platforms, tier_scheme, person_threshold, chunk_size)
    params = {"tier_scheme": tier_scheme, "person_threshold": person_threshold, **SCORE_VERSIONS}
    flow_run_id = str(flow_run.get_id() or f"local-{utcnow().timestamp()}")
    with remembered_interrupts():
        runs = [_rescore_platform(warehouse, flow_run_id, platform, params, chunk_size)
                for platform in platforms]
        raise_if_interrupted()
        changed = warehouse.rescore_latest(rescore_ad_network, **NETWORK_POSTS) if runs else 0
    get_run_logger().info("ad-network pass changed %d scores", changed)
    return {"runs": runs, "creators": sum(r["creators"] for r in runs), "ad_network_changed": changed}
