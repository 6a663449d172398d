"""The one HTTP layer: a single owner of the ``requests.Session``.

Like instaloader's context object, it owns the session, the sleeps and the 429 handling, so
platform clients only say *what* to fetch. Every response body is kept as a ``RawResponse``
so parsing can be redone later without refetching.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib import robotparser
from urllib.parse import quote, urlsplit

import requests

from scrapers import settings
from scrapers.errors import FetchFailed, RobotsDisallowed, ScraperError
from scrapers.ratelimit import TokenBucket, bucket_for
from scrapers.records import RawResponse, utcnow
from scrapers.settings import MAX_RETRIES, OVERSIZED_KIND, USER_AGENT, known_secrets

log = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# Failures worth another attempt: no answer (refused, reset, read timeout), or an answer cut
# off mid-body (requests raises ChunkedEncodingError when fewer bytes than Content-Length come).
TRANSIENT_ERRORS = (requests.ConnectionError, requests.Timeout,
                    requests.exceptions.ChunkedEncodingError)
# Fraction of a published budget we allow ourselves: close to the limit, never over it.
BUDGET_SHARE = 0.9
_T = TypeVar("_T")


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
        when = when.replace(tzinfo=timezone.utc)
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
            when = when.replace(tzinfo=timezone.utc)
        return max(0.0, (when - now).total_seconds())
    return None


def remaining_requests(headers: Mapping[str, str]) -> int | None:
    for name in ("RateLimit-Remaining", "X-RateLimit-Remaining"):
        value = headers.get(name)
        if value is not None and value.strip().lstrip("-").isdigit():
            return int(value)
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


class ResponseTooLarge(ScraperError):
    """A body is bigger than the caller's limit; it was not read to the end."""


def _read_capped(resp: requests.Response, max_bytes: int | None) -> bytes:
    """The body, refusing (early) one longer than ``max_bytes``."""
    if max_bytes is None:
        return resp.content
    declared = resp.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise ResponseTooLarge(f"{redact(resp.url)}: {declared} bytes > limit {max_bytes}")
    chunks, size = [], 0
    for chunk in resp.iter_content(chunk_size=65536):
        size += len(chunk)
        if size > max_bytes:
            raise ResponseTooLarge(f"{redact(resp.url)}: more than {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _capped_or_none(resp: requests.Response, max_bytes: int) -> bytes | None:
    """The body, or None when it is over ``max_bytes`` (then it is not read further)."""
    try:
        return _read_capped(resp, max_bytes)
    except ResponseTooLarge as exc:
        log.warning("not reading an oversized body: %s", exc)
        return None


# Query parameters that carry credentials (YouTube `key`, Graph API `access_token`, ...).
_SECRET_PARAM = re.compile(
    r"(?i)\b(key|api_key|apikey|access_token|token|client_secret|password|sig)=([^&\s#'\"]+)"
)


def redact(text: str) -> str:
    """``text`` (a URL, an error message) with every credential hidden: the value of any
    credential parameter, and any token or key this process has read (``known_secrets``),
    wherever it appears (a path, a header echoed in an error, its URL-encoded form).

    Applied to every URL we store and every message we log or raise, so a key never reaches
    the warehouse, the logs or a Prefect artifact.
    """
    for secret in known_secrets():
        text = text.replace(secret, "REDACTED").replace(quote(secret, safe=""), "REDACTED")
    return _SECRET_PARAM.sub(r"\1=REDACTED", text)


class RedactingFilter(logging.Filter):
    """Log records with credentials hidden: urllib3 logs each request line, query string and
    all, at DEBUG, so a token in a URL would reach any log that runs at that level."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), ()
        return True


for _logger in (log, logging.getLogger("urllib3.connectionpool")):
    _logger.addFilter(RedactingFilter())


def decode_bytes(content: bytes, headers: Mapping[str, str]) -> str:
    """``content`` as text: the declared charset, else UTF-8 (JSON's only encoding, RFC 8259).

    Bytes invalid in the charset become U+FFFD and an unknown charset falls back to UTF-8, so
    no body fails to decode; requests' charset sniffing is avoided (slow, wrong on short bodies).
    """
    declared = requests.utils.get_encoding_from_headers(headers)
    if declared and "charset" in headers.get("Content-Type", "").lower():
        try:
            return content.decode(declared, errors="replace")
        except LookupError:
            pass
    return content.decode("utf-8", errors="replace")


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
    ) -> None:
        """``timeout`` and ``max_body_bytes`` default to the settings read at this call
        (``scrapers.settings.TIMEOUT``, ``max_body_bytes()``)."""
        self.platform = platform
        self.rate_per_second = rate_per_second
        self.burst = burst
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.timeout = timeout or settings.timeout()
        self.max_body_bytes = max_body_bytes or settings.max_body_bytes()
        self.user_agent = user_agent
        self._sleep = sleep
        self._jitter = random.Random()
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self.raw_responses: list[RawResponse] = []
        self.last_headers: Mapping[str, str] = {}
        self.stats = {"requests": 0, "retries": 0, "throttle_waits": 0, "robots_checks": 0,
                      "oversized": 0}
        self._robots: dict[str, robotparser.RobotFileParser] = {}

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "HttpClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _bucket(self, url: str) -> TokenBucket:
        return bucket_for(urlsplit(url).netloc, self.rate_per_second, self.burst)

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter (AWS architecture blog's recommendation)."""
        ceiling = min(self.backoff_cap, self.backoff_base * 2**attempt)
        return self._jitter.uniform(ceiling / 2, ceiling)

    def _observe_limits(self, bucket: TokenBucket, headers: Mapping[str, str]) -> None:
        """Adopt the server's published pace and pause when its window is spent."""
        rate = policy_rate(headers)
        if rate is not None:
            target = rate * BUDGET_SHARE
            if abs(target - bucket.rate) > 1e-9:
                bucket.configure(target, bucket.burst)
        remaining = remaining_requests(headers)
        if remaining is not None and remaining <= 0:
            wait = reset_in_seconds(headers)
            if wait:
                bucket.pause_until(time.monotonic() + wait)

    def allowed_by_robots(self, url: str) -> bool:
        """robots.txt verdict for our user agent; an unreachable robots.txt allows (RFC 9309)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        parser = self._robots.get(origin)
        if parser is None:
            parser = robotparser.RobotFileParser(origin + "/robots.txt")
            self._bucket(url).acquire()
            try:
                resp = self.session.get(origin + "/robots.txt", timeout=self.timeout)
                if resp.status_code in (401, 403):
                    parser.disallow_all = True
                elif resp.status_code >= 400:
                    parser.allow_all = True
                else:
                    parser.parse(resp.text.splitlines())
            except requests.RequestException:
                parser.allow_all = True
            self._robots[origin] = parser
        self.stats["robots_checks"] += 1
        allowed = parser.can_fetch(self.user_agent, url)
        log.info("robots.txt %s %s", "allows" if allowed else "disallows", redact(url))
        return allowed

    def get(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        *,
        kind: str,
        request_key: str = "",
        html: bool = False,
        headers: Mapping[str, str] | None = None,
    ) -> RawResponse:
        """GET with retries; returns the final response (any status), recorded as raw.

        4xx other than 429 are answers, not failures, so they are returned for the parser to
        explain. 429/5xx/network errors are retried; when retries run out, ``FetchFailed``.
        Credentials belong in ``headers`` (never stored), not in ``params`` (part of the URL).
        """
        if html and not self.allowed_by_robots(url):
            raise RobotsDisallowed(f"robots.txt disallows {redact(url)} for creator-scout")
        with _naming(request_key):
            resp, body = self._send(url, params, read=self._read, headers=headers)
        self.last_headers = resp.headers
        return self._record(resp, body, kind, request_key)

    def get_bytes(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        *,
        kind: str,
        request_key: str = "",
        max_bytes: int | None = None,
    ) -> tuple[int, bytes]:
        """GET a binary body (an image) with the same retries and pacing: (status, body).

        Not recorded in ``raw_responses``: images are not API data to re-parse later
        (``kind`` and ``request_key`` only label the request in the log). A body over
        ``max_bytes`` raises ``ResponseTooLarge`` as soon as it is seen to be (from
        Content-Length, or while streaming), so a huge file is never read whole.
        """
        log.debug("fetching %s %s (%s)", kind, request_key, redact(url))
        resp, body = self._send(url, params, read=lambda r: _read_capped(r, max_bytes))
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
        self.last_headers = resp.headers
        return self._record(resp, body, kind, request_key)

    def _read(self, resp: requests.Response) -> bytes | None:
        return _capped_or_none(resp, self.max_body_bytes)

    def _send(
        self,
        url: str,
        params: Mapping[str, Any] | None,
        *,
        read: Callable[[requests.Response], _T],
        method: str = "GET",
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[requests.Response, _T]:
        """The one retry loop: paced attempts until a non-retryable answer, else ``FetchFailed``.

        ``read`` consumes the body inside the attempt, so a connection dropped mid-body is
        retried like any other connection error.
        """
        bucket = self._bucket(url)
        last_problem = ""
        for attempt in range(self.max_retries + 1):
            if bucket.acquire():
                self.stats["throttle_waits"] += 1
            self.stats["requests"] += 1
            try:
                with self.session.request(method, url, params=params, json=json_body,
                                          headers=headers, timeout=self.timeout,
                                          stream=True) as resp:
                    self._observe_limits(bucket, resp.headers)
                    if resp.status_code not in RETRYABLE_STATUSES:
                        return resp, read(resp)
                    last_problem = f"HTTP {resp.status_code}"
                    delay = self._retry_delay(attempt, bucket, resp.headers)
            except TRANSIENT_ERRORS as exc:
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
            body="" if body is None else decode_bytes(body, resp.headers),
            content_type=resp.headers.get("Content-Type"),
        )
        self.raw_responses.append(raw)
        return raw
