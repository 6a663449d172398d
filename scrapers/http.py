"""The one HTTP layer: a single owner of the ``requests.Session``.

Like instaloader's context object, it owns the session, the sleeps and the 429 handling, so
platform clients only say *what* to fetch. Every response body is kept as a ``RawResponse``
so parsing can be redone later without refetching.
"""

from __future__ import annotations

import functools
import json
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
from urllib.parse import quote, quote_plus, unquote, urljoin, urlsplit

import requests

from core.records import RawResponse, utcnow
from core.settings import Settings
from scrapers import settings
from scrapers.errors import FetchFailed, RefusedUrl, RobotsDisallowed, ScraperError
from scrapers.ratelimit import TokenBucket, bucket_for
from scrapers.settings import (
    MAX_RETRIES,
    OVERSIZED_KIND,
    REFUSED_KIND,
    USER_AGENT,
    known_secrets,
)

log = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# Failures worth another attempt: no answer (refused, reset, read timeout), or an answer cut
# off mid-body (requests raises ChunkedEncodingError when fewer bytes than Content-Length come).
TRANSIENT_ERRORS = (requests.ConnectionError, requests.Timeout,
                    requests.exceptions.ChunkedEncodingError)
# Fraction of a published budget we allow ourselves: close to the limit, never over it.
BUDGET_SHARE = 0.9
_T = TypeVar("_T")
# Decides whether a URL (the first one, or a redirect's target) may be fetched: None, or why not.
Guard = Callable[[str], "str | None"]


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
CREDENTIAL_PARAMS = ("key", "api_key", "apikey", "access_token", "token", "client_secret",
                     "password", "sig")
_SECRET_PARAM = re.compile(rf"(?i)\b({'|'.join(CREDENTIAL_PARAMS)})=([^&\s#'\"]+)")
# Headers that carry credentials; any other header holding a known secret counts too.
CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-goog-api-key",
                                "x-api-key"})


@functools.lru_cache(maxsize=64)
def _secret_forms(secret: str) -> tuple[str, ...]:
    """Every way ``secret`` gets written where it may turn up, longest first: as is, repr()
    (requests' InvalidHeader message), JSON-escaped (an echoed body), URL-encoded."""
    forms = {secret, repr(secret)[1:-1], ascii(secret)[1:-1], json.dumps(secret)[1:-1],
             quote(secret, safe=""), quote(secret), quote_plus(secret, safe="")}
    return tuple(sorted(forms, key=len, reverse=True))


def redact_secrets(text: str) -> str:
    """``text`` with every form of every token or key this process has read replaced.

    Applied to stored bodies: a server may echo the request (headers and all) in an error.
    Unlike :func:`redact` it leaves ``key=...`` text alone, which a post may legitimately hold.
    """
    for secret in known_secrets():
        for form in _secret_forms(secret):
            text = text.replace(form, "REDACTED")
    return text


def redact(text: str) -> str:
    """``text`` (a URL, an error message) with every credential hidden: the value of any
    credential parameter, and any token or key this process has read (``known_secrets``),
    wherever and however it appears (a path, a header echoed in an error, repr(), URL-encoded).

    Applied to every URL we store and every message we log or raise, so a key never reaches
    the warehouse, the logs or a Prefect artifact.
    """
    return _SECRET_PARAM.sub(r"\1=REDACTED", redact_secrets(text))


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the default port filled in: what "the same origin" compares."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:  # a malformed port matches no origin
        return scheme, url, -1
    return scheme, (parts.hostname or "").lower(), port or {"http": 80, "https": 443}.get(scheme)


def same_origin(base_url: str) -> Guard:
    """A guard keeping a request, its paging and its redirects on ``base_url``'s origin."""
    home = origin(base_url)

    def check(url: str) -> str | None:
        if origin(url) == home:
            return None
        return f"{redact(url)} is not on {redact(base_url)}'s origin; not followed"

    return check


def _strip_credentials(request: requests.PreparedRequest) -> None:
    """Drop every credential header and credential query parameter from ``request``."""
    secrets = known_secrets()
    for name in list(request.headers):
        value = str(request.headers[name])
        if name.lower() in CREDENTIAL_HEADERS or any(s in value for s in secrets):
            del request.headers[name]
    parts = urlsplit(request.url or "")
    kept = [p for p in parts.query.split("&") if p and not _credential_param(p, secrets)]
    request.url = parts._replace(query="&".join(kept)).geturl()


def _credential_param(pair: str, secrets: frozenset[str]) -> bool:
    name, _, value = pair.partition("=")
    value = unquote(value.replace("+", " "))
    return unquote(name).lower() in CREDENTIAL_PARAMS or any(s in value for s in secrets)


class CredentialSafeSession(requests.Session):
    """requests drops only ``Authorization`` when a redirect leaves the host (and keeps it on
    an http -> https upgrade); here every credential stays with its origin (scheme, host, port):
    an API key header or a token in the query string is never sent anywhere else."""

    def rebuild_auth(self, prepared_request: requests.PreparedRequest,
                     response: requests.Response) -> None:
        super().rebuild_auth(prepared_request, response)
        if origin(response.request.url or "") != origin(prepared_request.url or ""):
            _strip_credentials(prepared_request)


def _guard_redirects(guard: Guard) -> Callable[..., requests.Response]:
    """A response hook refusing a redirect whose target ``guard`` rejects, before it is sent."""

    def hook(resp: requests.Response, **_: Any) -> requests.Response:
        if resp.is_redirect:
            reason = guard(urljoin(resp.url, resp.headers["Location"]))
            if reason is not None:
                resp.close()
                raise RefusedUrl(f"redirect from {redact(resp.url)}: {reason}")
        return resp

    return hook


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
        resp, body = self._send(url, params, read=lambda r: _read_capped(r, max_bytes), guard=guard)
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
            hooks = {"response": [_guard_redirects(guard)]}
        bucket = self._bucket(url)
        last_problem = ""
        for attempt in range(self.max_retries + 1):
            if bucket.acquire():
                self.stats["throttle_waits"] += 1
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
