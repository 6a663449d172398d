"""The retry policy: which failures are worth another attempt, how long to wait, and what the
server's rate-limit headers say about pace (Retry-After, RateLimit-*, X-RateLimit-*)."""

from __future__ import annotations

import random
import socket
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import requests
from urllib3.exceptions import NameResolutionError

from core.records import utcnow

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# Failures worth another attempt: no answer (refused, reset, read timeout), or an answer cut
# off mid-body (requests raises ChunkedEncodingError when fewer bytes than Content-Length come).
TRANSIENT_ERRORS = (requests.ConnectionError, requests.Timeout,
                    requests.exceptions.ChunkedEncodingError)
# Fraction of a published budget we allow ourselves: close to the limit, never over it.
BUDGET_SHARE = 0.9


def unreachable_reason(exc: BaseException) -> str | None:
    """Why nothing can answer ("connection refused", "name not resolved"), found anywhere in
    the chain requests wraps around the socket error; None for a timeout or a reset, which a
    later attempt may get past."""
    pending, seen = [exc], set()
    while pending:
        error = pending.pop()
        if id(error) in seen:
            continue
        seen.add(id(error))
        if isinstance(error, ConnectionRefusedError):
            return "connection refused"
        if isinstance(error, (socket.gaierror, NameResolutionError)):
            return "name not resolved"
        linked = (error.__cause__, error.__context__, getattr(error, "reason", None), *error.args)
        pending.extend(e for e in linked if isinstance(e, BaseException))
    return None


def backoff_delay(attempt: int, base: float, cap: float, jitter: random.Random) -> float:
    """Exponential backoff with full jitter (AWS architecture blog's recommendation)."""
    ceiling = min(cap, base * 2**attempt)
    return jitter.uniform(ceiling / 2, ceiling)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Parse ``Retry-After``: delta-seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or utcnow())).total_seconds())


def reset_in_seconds(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """Seconds until the window resets, from Bluesky's epoch or Mastodon's ISO-8601 header."""
    now = now or utcnow()
    epoch = headers.get("RateLimit-Reset")
    if epoch and epoch.strip().isdigit():
        return max(0.0, int(epoch) - now.timestamp())
    iso = headers.get("X-RateLimit-Reset")
    if iso:
        try:
            when = datetime.fromisoformat(iso.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - now).total_seconds())
    return None


def _whole_number(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    if value is not None and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def remaining_requests(headers: Mapping[str, str]) -> int | None:
    for name in ("RateLimit-Remaining", "X-RateLimit-Remaining"):
        value = _whole_number(headers, name)
        if value is not None:
            return value
    return None


def policy_rate(headers: Mapping[str, str]) -> float | None:
    """Requests per second from ``RateLimit-Policy: "<n>;w=<seconds>"`` (Bluesky)."""
    policy = headers.get("RateLimit-Policy")
    if not policy:
        return None
    first = policy.split(",")[0].strip().strip('"')
    parts = [p.strip() for p in first.split(";")]
    try:
        limit = float(parts[0])
        window = next(float(p[2:]) for p in parts[1:] if p.startswith("w="))
    except (ValueError, StopIteration):
        return None
    return limit / window if window > 0 else None


def window_rate(headers: Mapping[str, str], window: float, until_reset: float | None) -> float | None:
    """Requests per second ``X-RateLimit-Limit``/``-Remaining``/``-Reset`` allow (Mastodon), which
    publish no window: the limit over ``window``, the longest time to reset seen (the real window
    or a little less), and never more than what remains of this window over the time left in it,
    so a window another run already spent part of is not overrun."""
    limit = _whole_number(headers, "X-RateLimit-Limit")
    if limit is None or limit <= 0 or window <= 0:
        return None
    rate = limit / window
    remaining = remaining_requests(headers)
    if remaining is not None and until_reset:
        rate = min(rate, remaining / until_reset)
    return rate if rate > 0 else None
