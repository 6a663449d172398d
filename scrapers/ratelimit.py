"""Per-host token buckets, shared by every client in the process.

One bucket per host (not per client) is what keeps many threads under one platform budget:
each Prefect fetch task builds its own ``HttpClient``, but they all draw from the same bucket.
Several processes pacing the same hosts (Dask workers) each take a share of every budget
(``share_budget``), so together they stay within it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

_share = 1.0  # this process's share of every host's budget


def share_budget(fraction: float) -> None:
    """Pace this process at ``fraction`` of every bucket's rate and burst (a burst of at least
    one): one of N processes fetching from the same hosts takes 1/N, learned paces included."""
    global _share
    if not 0 < fraction <= 1:
        raise ValueError("a budget share is in (0, 1]")
    _share = fraction


def budget_share() -> float:
    return _share


class TokenBucket:
    """Classic token bucket: ``rate`` tokens per second, at most ``burst`` saved up; of both,
    this process takes its share (``share_budget``)."""

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._tokens = max(1.0, burst * _share)
        self._stamp = clock()
        self._paused_until = 0.0
        self._lock = threading.Lock()
        self.waits = 0
        # The longest time to reset a server that publishes no window (Mastodon) has shown: its
        # window, or a little less (see ``retry.window_rate``).
        self.window = 0.0

    def configure(self, rate: float, burst: int) -> None:
        """Change the pace, e.g. after reading the server's published policy."""
        with self._lock:
            self.rate, self.burst = rate, burst
            self._tokens = min(self._tokens, float(burst))

    def pause_until(self, monotonic_deadline: float) -> None:
        """Block every taker until the deadline (server said Remaining=0 or Retry-After)."""
        with self._lock:
            self._paused_until = max(self._paused_until, monotonic_deadline)
            self._tokens = 0.0
            self._stamp = max(self._stamp, self._paused_until)

    def acquire(self) -> float:
        """Take one token, sleeping as needed; returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                if now < self._paused_until:
                    delay = self._paused_until - now
                else:
                    rate, burst = self.rate * _share, max(1.0, self.burst * _share)
                    elapsed = max(0.0, now - self._stamp)
                    self._tokens = min(burst, self._tokens + elapsed * rate)
                    self._stamp = max(self._stamp, now)
                    if self._tokens >= 1.0 - 1e-9:  # float slack, or sleeps shrink forever
                        self._tokens = max(0.0, self._tokens - 1.0)
                        if waited:
                            self.waits += 1
                        return waited
                    delay = (1.0 - self._tokens) / rate
            self._sleep(delay)
            waited += delay


_buckets: dict[str, tuple[tuple[float, int], TokenBucket]] = {}
_registry_lock = threading.Lock()


def bucket_for(host: str, rate: float, burst: int) -> TokenBucket:
    """The process-wide bucket of ``host``.

    A caller asking for a different pace reconfigures it; a pace learned from the server's
    headers (``TokenBucket.configure``) stays until a caller asks for something new.
    """
    with _registry_lock:
        entry = _buckets.get(host)
        if entry is None:
            bucket = TokenBucket(rate, burst)
        else:
            requested, bucket = entry
            if requested != (rate, burst):
                bucket.configure(rate, burst)
        _buckets[host] = ((rate, burst), bucket)
        return bucket
