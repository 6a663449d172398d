"""How far a batched flow has got: one line per batch in the flow's log, and to any listener.

A flow counts its batches with a :class:`ProgressMeter`; each finished batch becomes a
:class:`BatchProgress`, logged by the flow's own logger (what a Prefect worker's log and the UI
show) and handed to every listener registered with :func:`listening` (the CLI's progress bar).
So a flow reports progress without knowing who watches, and never imports ``cli``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class BatchProgress:
    """One finished batch: where the run is, how fast it goes and when it should end."""

    flow: str
    batch: int  # 1-based
    batches: int
    creators: int  # in every batch finished so far
    rate: float  # creators per second of the work done by this attempt
    eta: float | None  # seconds left at that pace; None before any work was timed

    @property
    def detail(self) -> str:
        eta = "?" if self.eta is None else str(timedelta(seconds=round(self.eta)))
        return f"{self.creators} creators, {self.rate:.1f} creators/s, ETA {eta}"

    @property
    def line(self) -> str:
        """``batch 3/12: 75 creators, 14.2 creators/s, ETA 0:00:40``"""
        return f"batch {self.batch}/{self.batches}: {self.detail}"


Listener = Callable[[BatchProgress], None]
_listeners: list[Listener] = []


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Hand every batch any flow of this process finishes to ``listener`` while the block runs."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


class ProgressMeter:
    """Counts one run's batches as they finish and tells the log and the listeners.

    ``sizes`` are the batches' amounts of work (creator refs, saved files), so the ETA follows the
    work left, not only the batches. A batch an earlier attempt already did (``reused``) counts as
    done but not toward the pace, which would otherwise promise a resumed run's end far too soon.
    """

    def __init__(self, flow: str, sizes: list[int], log: Callable[[str], object],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.flow, self.sizes, self.log, self.clock = flow, sizes, log, clock
        self.started = clock()
        self.finished = 0
        self.creators = self.fresh_creators = 0
        self.work_left, self.fresh_work = sum(sizes), 0

    def batch_done(self, creators: int, *, reused: bool = False) -> BatchProgress:
        """The next batch is finished with ``creators`` creators; log it and tell the listeners."""
        if self.finished == len(self.sizes):  # more work turned up than was planned (a rescore
            self.sizes.append(creators)       # meeting creators a concurrent discover stored)
            self.work_left += creators
        size = self.sizes[self.finished]
        self.finished += 1
        self.creators += creators
        self.work_left -= size
        if not reused:
            self.fresh_creators += creators
            self.fresh_work += size
        elapsed = max(self.clock() - self.started, 1e-9)
        eta = elapsed * self.work_left / self.fresh_work if self.fresh_work else (None if self.work_left else 0.0)
        progress = BatchProgress(self.flow, self.finished, len(self.sizes), self.creators,
                                 self.fresh_creators / elapsed, eta)
        self.log(progress.line)
        for listener in list(_listeners):
            listener(progress)
        return progress
