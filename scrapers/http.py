"""The one HTTP layer: a single owner of the ``requests.Session``.

Like instaloader's context object, it owns the session, the sleeps and the 429 handling, so
platform clients only say *what* to fetch. Every response body is kept as a ``RawResponse``
so parsing can be redone later without refetching. Its parts live beside it: the retry policy
(``retry``), the pacing (``ratelimit``), robots.txt (``robots``), the origin rules
(``origins``), body reading (``bodies``) and credential redaction (``redaction``).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests

from core.records import RawResponse
from core.settings import Settings
from scrapers import settings
from scrapers.bodies import capped_or_none, decode_bytes, read_capped
from scrapers.errors import (
    FetchFailed,
    HostUnreachable,
    RefusedUrl,
    RequestsStopped,
    RobotsDisallowed,
    ScraperError,
)
from scrapers.origins import CredentialSafeSession, Guard, guard_redirects, site
from scrapers.ratelimit import TokenBucket, bucket_for
from scrapers.redaction import RedactingFilter, redact, redact_secrets
from scrapers.retry import (
    BUDGET_SHARE,
    RETRYABLE_STATUSES,
    TRANSIENT_ERRORS,
    backoff_delay,
    policy_rate,
    remaining_requests,
    reset_in_seconds,
    retry_after_seconds,
    unreachable_reason,
    window_rate,
)
from scrapers.robots import RobotsCache
from scrapers.settings import MAX_RETRIES, OVERSIZED_KIND, REFUSED_KIND, USER_AGENT

log = logging.getLogger(__name__)
log.addFilter(RedactingFilter())
_T = TypeVar("_T")
# Set on Ctrl-C: fetch threads still running then stop at their next request instead of
# finishing their batch, which at a platform's pace kept an interrupted run alive for minutes.
_STOPPING = threading.Event()


def stop_requests(stopping: bool = True) -> None:
    """Make every client of this process refuse its next request (``False``: allow them again)."""
    if stopping:
        _STOPPING.set()
    else:
        _STOPPING.clear()


@contextmanager
def _naming(request_key: str) -> Iterator[None]:
    """A ``FetchFailed`` leaving the block says which request (creator) kept failing."""
    try:
        yield
    except FetchFailed as exc:
        exc.request_key = request_key
        raise


class HttpClient:
    """Rate-limited, retrying, robots-aware GETs that record every raw response."""

    def __init__(
        self,
        platform: str,
        *,
        rate_per_second: float,
        burst: int = 10,
        max_retries: int = MAX_RETRIES,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        timeout: tuple[float, float] | None = None,
        user_agent: str = USER_AGENT,
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
        max_body_bytes: int | None = None,
        config: Settings | None = None,
    ) -> None:
        """``timeout`` and ``max_body_bytes`` default to the entry point's ``config``
        (``SCOUT_READ_TIMEOUT``, ``SCOUT_MAX_BODY_BYTES``), else to the environment now."""
        self.platform = platform
        self.rate_per_second = rate_per_second
        self.burst = burst
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        config = settings.current(config)
        self.timeout = timeout or settings.timeout(config)
        self.max_body_bytes = max_body_bytes or settings.max_body_bytes(config)
        self.user_agent = user_agent
        self._sleep = sleep
        self._jitter = random.Random()
        self.session = session or CredentialSafeSession()
        self.session.headers["User-Agent"] = user_agent
        self.raw_responses: list[RawResponse] = []
        self.stats = {"requests": 0, "retries": 0, "throttle_waits": 0, "robots_checks": 0,
                      "oversized": 0}
        self._robots = RobotsCache(user_agent)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _bucket(self, url: str) -> TokenBucket:
        return bucket_for(urlsplit(url).netloc, self.rate_per_second, self.burst)

    def _backoff(self, attempt: int) -> float:
        return backoff_delay(attempt, self.backoff_base, self.backoff_cap, self._jitter)

    def _observe_limits(self, bucket: TokenBucket, headers: Mapping[str, str]) -> None:
        """Adopt the server's published pace (Bluesky's policy, or Mastodon's limit over its
        window) and pause when its window is spent."""
        until_reset = reset_in_seconds(headers)
        rate = policy_rate(headers)
        if rate is None and until_reset:
            bucket.window = max(bucket.window, until_reset)
            rate = window_rate(headers, bucket.window, until_reset)
        if rate is not None:
            target = rate * BUDGET_SHARE
            if abs(target - bucket.rate) > 1e-9:
                bucket.configure(target, bucket.burst)
        remaining = remaining_requests(headers)
        if remaining is not None and remaining <= 0 and until_reset:
            bucket.pause_until(time.monotonic() + until_reset)

    def allowed_by_robots(self, url: str) -> bool:
        """robots.txt verdict for our user agent; an unreachable robots.txt allows (RFC 9309)."""
        self.stats["robots_checks"] += 1
        return self._robots.allows(url, self.session, self._bucket(url), self.timeout)

    def get(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        *,
        kind: str,
        request_key: str = "",
        html: bool = False,
        headers: Mapping[str, str] | None = None,
        guard: Guard | None = None,
    ) -> RawResponse:
        """GET with retries; returns the final response (any status), recorded as raw.

        4xx other than 429 are answers, not failures, so they are returned for the parser to
        explain. 429/5xx/network errors are retried; when retries run out, ``FetchFailed``.
        Credentials belong in ``headers`` (never stored), not in ``params`` (part of the URL).
        A URL or redirect that ``guard`` refuses is not fetched: it is recorded as a
        ``REFUSED_KIND`` response (status 0) whose body says why, for the parser to report.
        """
        if html and not self.allowed_by_robots(url):
            raise RobotsDisallowed(f"robots.txt disallows {redact(url)} for creator-scout")
        try:
            with _naming(request_key):
                resp, body = self._send(url, params, read=self._read, headers=headers, guard=guard)
        except RefusedUrl as exc:
            raw = RawResponse(self.platform, REFUSED_KIND, request_key, redact(url), 0,
                              redact(str(exc)))
            self.raw_responses.append(raw)
            return raw
        return self._record(resp, body, kind, request_key)

    def get_bytes(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        *,
        kind: str,
        request_key: str = "",
        max_bytes: int | None = None,
        guard: Guard | None = None,
    ) -> tuple[int, bytes]:
        """GET a binary body (an image) with the same retries and pacing: (status, body).

        Not recorded in ``raw_responses``: images are not API data to re-parse later
        (``kind`` and ``request_key`` only label the request in the log). A body over
        ``max_bytes`` raises ``ResponseTooLarge`` as soon as it is seen to be (from
        Content-Length, or while streaming), so a huge file is never read whole. A URL or
        redirect that ``guard`` refuses raises ``RefusedUrl`` before it is fetched.
        """
        log.debug("fetching %s %s (%s)", kind, request_key, redact(url))
        resp, body = self._send(url, params, read=lambda r: read_capped(r, max_bytes), guard=guard)
        return resp.status_code, body

    def post_json(
        self,
        url: str,
        json_body: Any,
        *,
        kind: str,
        request_key: str = "",
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> RawResponse:
        """POST a JSON body (query APIs such as TikTok's Research API), recorded like ``get``.

        Only for read-only queries: they are safe to repeat, so the same retries apply.
        ``headers`` carry credentials (``Authorization``) so they stay out of stored URLs.
        """
        with _naming(request_key):
            resp, body = self._send(url, params, read=self._read, method="POST",
                                    json_body=json_body, headers=headers)
        return self._record(resp, body, kind, request_key)

    def _read(self, resp: requests.Response) -> bytes | None:
        return capped_or_none(resp, self.max_body_bytes)

    def _send(
        self,
        url: str,
        params: Mapping[str, Any] | None,
        *,
        read: Callable[[requests.Response], _T],
        method: str = "GET",
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        guard: Guard | None = None,
    ) -> tuple[requests.Response, _T]:
        """The one retry loop: paced attempts until a non-retryable answer, else ``FetchFailed``.

        ``read`` consumes the body inside the attempt, so a connection dropped mid-body is
        retried like any other connection error. ``guard`` vets ``url`` and every redirect
        target before it is requested (``RefusedUrl``, never retried).
        """
        hooks = None
        if guard is not None:
            reason = guard(url)
            if reason is not None:
                raise RefusedUrl(reason)
            hooks = {"response": [guard_redirects(guard)]}
        bucket = self._bucket(url)
        last_problem = ""
        for attempt in range(self.max_retries + 1):
            if bucket.acquire():
                self.stats["throttle_waits"] += 1
            if _STOPPING.is_set():
                raise RequestsStopped(f"not requested, the run was interrupted: {redact(url)}")
            self.stats["requests"] += 1
            try:
                with self.session.request(method, url, params=params, json=json_body,
                                          headers=headers, timeout=self.timeout,
                                          stream=True, hooks=hooks) as resp:
                    self._observe_limits(bucket, resp.headers)
                    if resp.status_code not in RETRYABLE_STATUSES:
                        return resp, read(resp)
                    last_problem = f"HTTP {resp.status_code}"
                    delay = self._retry_delay(attempt, bucket, resp.headers)
            except TRANSIENT_ERRORS as exc:
                unreachable = unreachable_reason(exc)
                if unreachable is not None:
                    raise HostUnreachable(redact(f"cannot reach {site(url)} ({unreachable})")) from None
                last_problem = f"{type(exc).__name__}: {exc}"
                delay = self._backoff(attempt)
            except requests.RequestException as exc:  # a bad URL, a redirect loop: no retry helps
                # requests puts the full URL, query string and all, into these messages.
                raise ScraperError(redact(f"{url}: {type(exc).__name__}: {exc}")) from None
            if attempt == self.max_retries:
                break
            self.stats["retries"] += 1
            log.info("retrying %s in %.2fs after %s", redact(url), delay, redact(last_problem))
            self._sleep(delay)
        raise FetchFailed(
            redact(f"{url}: gave up after {self.max_retries + 1} attempts ({last_problem})")
        )

    def _retry_delay(self, attempt: int, bucket: TokenBucket, headers: Mapping[str, str]) -> float:
        """Backoff, unless the server said when to come back: then that, for every thread."""
        hinted = retry_after_seconds(headers.get("Retry-After"))
        if hinted is None:
            return self._backoff(attempt)
        delay = max(hinted, 0.05)
        bucket.pause_until(time.monotonic() + delay)
        return delay

    def _record(self, resp: requests.Response, body: bytes | None, kind: str,
                request_key: str) -> RawResponse:
        """Keep the exchange; an oversized body is kept as an empty one of kind "oversized"."""
        if body is None:
            self.stats["oversized"] += 1
        raw = RawResponse(
            platform=self.platform,
            kind=OVERSIZED_KIND if body is None else kind,
            request_key=request_key,
            url=redact(resp.url),
            status=resp.status_code,
            # A server may echo the request, credentials included, in its answer.
            body="" if body is None else redact_secrets(decode_bytes(body, resp.headers)),
            content_type=resp.headers.get("Content-Type"),
            headers=dict(resp.headers),
        )
        self.raw_responses.append(raw)
        return raw
