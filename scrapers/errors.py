"""Scraper exceptions: one base for the layer, each also in its family under ``core.errors``."""

from __future__ import annotations

from core.errors import FetchError, InputError, ScoutError


class ScraperError(ScoutError):
    """Base of every error the scraping layer raises on purpose."""


class FetchFailed(ScraperError, FetchError):
    """A request kept failing (429/5xx/network) after every retry; safe to retry later.

    ``request_key`` says what was asked for (a creator's id or handle, or a comma-joined batch
    of them), so a caller can hold back that one creator and go on with the others."""

    request_key: str = ""


class HostUnreachable(FetchFailed):
    """Nothing answers at the host (connection refused, name not resolved): no retry can help,
    so neither the HTTP client nor a Prefect task retries it."""


class RequestsStopped(ScraperError, FetchError):
    """The run was interrupted (Ctrl-C): no further request is sent, and nothing retries."""


class RobotsDisallowed(ScraperError, FetchError):
    """robots.txt forbids this URL for our user agent."""


class InvalidInput(ScraperError, InputError):
    """A handle, URL or parameter that cannot be valid; the message says why."""


class MissingCredential(ScraperError, InputError):
    """A platform needs a token the user has not configured; the message names the variable."""


class RefusedUrl(ScraperError, FetchError):
    """A URL this request may not reach (another origin while paging, a private address for an
    avatar); it was not requested. The message says why."""


class QuotaExhausted(ScraperError, FetchError):
    """The next call would spend more of a daily API quota than is allowed (YouTube units).

    Raised *before* the request, so the budget is never exceeded; ``used`` and ``budget``
    say where the meter stood, ``unit`` what was counted ("units" or "search calls").
    """

    def __init__(self, message: str, *, used: int = 0, budget: int = 0, unit: str = "units"):
        super().__init__(message)
        self.used = used
        self.budget = budget
        self.unit = unit
