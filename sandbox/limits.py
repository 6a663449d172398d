"""The sandbox's rate limits and counters: fixed-window limiting per platform and client, each
platform's rate-limit headers, and the stats ``/_sandbox/stats`` reports."""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from datetime import datetime, timezone

from .seeded import iso_ms


class FixedWindowLimiter:
    """``limit`` requests per ``window`` seconds per key, in fixed windows (thread-safe)."""

    def __init__(self, limit: int, window: float):
        self.limit = int(limit)
        self.window = float(window)
        self._lock = threading.Lock()
        self._buckets: dict[tuple, list[float]] = {}  # key -> [window start, count]

    def hit(self, key: tuple, now: float | None = None) -> tuple[bool, int, float]:
        """Count one request. Returns (allowed, remaining, reset epoch seconds)."""
        now = time.time() if now is None else now
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None or now >= bucket[0] + self.window:
                bucket = [now, 0]
                self._buckets[key] = bucket
            if bucket[1] >= self.limit:
                return False, 0, bucket[0] + self.window
            bucket[1] += 1
            return True, self.limit - int(bucket[1]), bucket[0] + self.window


class Stats:
    """The server's request counters and arrival times (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0
        self.rate_limited = 0
        self.by_platform: Counter = Counter()
        self.by_path: Counter = Counter()
        self.by_status: Counter = Counter()
        self.started_at = datetime.now(timezone.utc)
        # arrival times per platform, so a test can check a client's pace against the budget
        self.arrivals: dict[str, list[float]] = {}

    def arrived(self, platform: str) -> None:
        with self._lock:
            self.arrivals.setdefault(platform, []).append(time.monotonic())

    def max_in_window(self, platform: str, window: float) -> int:
        """Most requests of ``platform`` that arrived within any ``window`` seconds."""
        with self._lock:
            stamps = sorted(self.arrivals.get(platform, []))
        best, start = 0, 0
        for end, stamp in enumerate(stamps):
            while stamp - stamps[start] >= window:
                start += 1
            best = max(best, end - start + 1)
        return best

    def record(self, platform: str, path_kind: str, status: int) -> None:
        with self._lock:
            self.requests += 1
            self.by_platform[platform] += 1
            self.by_path[path_kind] += 1
            self.by_status[str(status)] += 1
            if status == 429:
                self.rate_limited += 1

    def snapshot(self) -> dict:
        with self._lock:
            return {
                "requests": self.requests,
                "by_platform": dict(self.by_platform),
                "by_path": dict(self.by_path),
                "by_status": dict(self.by_status),
                "rate_limited": self.rate_limited,
                "started_at": iso_ms(self.started_at),
            }


def limit_headers(limiter: FixedWindowLimiter, platform: str, remaining: int,
                  reset: float) -> list[tuple[str, str]]:
    """A platform's rate-limit headers: Bluesky's ``RateLimit-*``, else Mastodon's
    ``X-RateLimit-*`` (Instagram's answers carry those too)."""
    window = f"{limiter.window:g}"
    if platform == "bluesky":
        headers = [("RateLimit-Limit", str(limiter.limit)),
                   ("RateLimit-Remaining", str(remaining)),
                   ("RateLimit-Reset", str(math.ceil(reset))),
                   ("RateLimit-Policy", f"{limiter.limit};w={window}")]
    else:
        reset_dt = datetime.fromtimestamp(reset, timezone.utc)
        headers = [("X-RateLimit-Limit", str(limiter.limit)),
                   ("X-RateLimit-Remaining", str(remaining)),
                   ("X-RateLimit-Reset", reset_dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))]
    return headers
