"""YouTube Data API quota: count units before each call and stop before the budget is spent.

Google gives a project 10,000 units a day (reset at midnight Pacific time); a list call on
channels, playlistItems or videos costs 1 unit and search.list 100, and search has its own
small allowance (design.md: 100 calls a day). Google's own counter is authoritative; this meter
is a guard so that a run *stops cleanly before* it would exceed the budget, instead of
hammering 403 quotaExceeded.

The meter is in memory, per process and per Pacific day: every fetch task of one flow run (they
are threads of one process) shares the process-wide meter from ``default_meter()``; a new
process starts again from zero and knows nothing of units spent elsewhere today. Budgets come
from ``SCOUT_YOUTUBE_DAILY_QUOTA`` (units) and ``SCOUT_YOUTUBE_SEARCH_QUOTA`` (search calls).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

from core.records import utcnow
from core.settings import Settings
from scrapers.errors import QuotaExhausted
from scrapers.settings import current

DAILY_QUOTA_ENV = "SCOUT_YOUTUBE_DAILY_QUOTA"
SEARCH_QUOTA_ENV = "SCOUT_YOUTUBE_SEARCH_QUOTA"
DEFAULT_DAILY_UNITS = 10_000
DEFAULT_SEARCH_CALLS = 100
# Units per call (developers.google.com/youtube/v3/determine_quota_cost).
COSTS: dict[str, int] = {"channels": 1, "playlistItems": 1, "videos": 1, "search": 100}

try:  # Google resets quotas at midnight Pacific time
    from zoneinfo import ZoneInfo

    _PACIFIC: timezone | ZoneInfo = ZoneInfo("America/Los_Angeles")
except Exception:  # noqa: BLE001 - no tz database: standard time is close enough
    _PACIFIC = timezone(timedelta(hours=-8))


def quota_day(now: datetime) -> date:
    """The quota day ``now`` falls in (Pacific calendar date)."""
    return now.astimezone(_PACIFIC).date()


class QuotaMeter:
    """Units and search calls spent today; ``charge`` raises QuotaExhausted instead of
    letting a call exceed either budget. Thread-safe."""

    def __init__(
        self,
        daily_units: int = DEFAULT_DAILY_UNITS,
        search_calls: int = DEFAULT_SEARCH_CALLS,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.daily_units = daily_units
        self.search_calls = search_calls
        self._clock = clock
        self._lock = threading.Lock()
        self._day = quota_day(clock())
        self.used = 0
        self.searches = 0

    def _roll(self) -> None:
        today = quota_day(self._clock())
        if today != self._day:
            self._day, self.used, self.searches = today, 0, 0

    def charge(self, method: str) -> int:
        """Book one call of ``method`` (a key of COSTS) and return its cost, or raise
        QuotaExhausted, booking nothing, when it would go over a budget."""
        cost = COSTS[method]
        with self._lock:
            self._roll()
            if method == "search" and self.searches + 1 > self.search_calls:
                raise QuotaExhausted(
                    f"YouTube search quota would be exceeded (used {self.searches} of "
                    f"{self.search_calls} search calls today); resume tomorrow, pass --handle, "
                    f"or raise {SEARCH_QUOTA_ENV}",
                    used=self.searches, budget=self.search_calls, unit="search calls",
                )
            if self.used + cost > self.daily_units:
                raise QuotaExhausted(
                    f"YouTube daily quota would be exceeded (used {self.used} of "
                    f"{self.daily_units} units); resume tomorrow or raise {DAILY_QUOTA_ENV}",
                    used=self.used, budget=self.daily_units,
                )
            self.used += cost
            if method == "search":
                self.searches += 1
            return cost

    @property
    def remaining(self) -> int:
        with self._lock:
            self._roll()
            return self.daily_units - self.used

    def __repr__(self) -> str:
        return (f"QuotaMeter(used={self.used}/{self.daily_units} units, "
                f"searches={self.searches}/{self.search_calls}, day={self._day})")


_DEFAULT: QuotaMeter | None = None
_DEFAULT_LOCK = threading.Lock()


def default_meter(config: Settings | None = None) -> QuotaMeter:
    """The process-wide meter; its budgets are re-read from the settings on every call (so a
    changed SCOUT_YOUTUBE_DAILY_QUOTA applies), its usage is kept."""
    global _DEFAULT
    config = current(config)
    daily = DEFAULT_DAILY_UNITS if config.youtube_daily_quota is None else config.youtube_daily_quota
    search = DEFAULT_SEARCH_CALLS if config.youtube_search_quota is None else config.youtube_search_quota
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = QuotaMeter(daily, search)
        _DEFAULT.daily_units, _DEFAULT.search_calls = daily, search
        return _DEFAULT
