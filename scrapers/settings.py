"""Scraper constants and their environment overrides, in one place."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass

from scrapers.errors import InvalidInput, MissingCredential

USER_AGENT = (
    "creator-scout/0.1 (+https://github.com/creator-scout/creator-scout; "
    "open-source creator discovery; respects robots.txt and rate limits)"
)
# (connect, read) seconds for every request.
TIMEOUT = (5.0, 20.0)
MAX_RETRIES = 5
# Largest response body read; a bigger one is recorded as an error, not read (SCOUT_MAX_BODY_BYTES).
MAX_BODY_BYTES = 20 * 1024 * 1024
# The kind of a recorded response whose body was over that limit and was not read: parsing it
# gives a ScrapeError saying so (scrapers/parsing.py), never a crash or a retry.
OVERSIZED_KIND = "oversized"
# The kind of a recorded request that was refused, not sent (a next-page link or a redirect
# to another origin); its body is the reason, which parsing turns into a ScrapeError.
REFUSED_KIND = "refused"


def timeout() -> tuple[float, float]:
    """(connect, read) seconds: TIMEOUT, with the read part from SCOUT_READ_TIMEOUT when set
    (a short one makes the sandbox's stalled answers fail fast)."""
    return TIMEOUT[0], positive_env("SCOUT_READ_TIMEOUT", TIMEOUT[1], float)


def max_body_bytes() -> int:
    """The body size limit: SCOUT_MAX_BODY_BYTES when set to a positive integer, else 20 MB."""
    return positive_env("SCOUT_MAX_BODY_BYTES", MAX_BODY_BYTES, int)


def positive_env(name: str, default: float, cast: Callable[[str], float]) -> float:
    """``name`` from the environment as a positive finite number (``cast``: int or float), or
    ``default`` when unset. Text, 0, negatives, nan and inf are InvalidInput naming the variable:
    a nan rate would switch pacing off and a zero one would fail deep inside a run."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = cast(raw)
    except ValueError:  # also int() of 4,300+ digits
        value = 0
    if not 0 < value < math.inf:
        kind = "whole number" if cast is int else "number"
        raise InvalidInput(f"{name} must be a positive {kind}, not {raw!r}.")
    return value


@dataclass(frozen=True)
class PlatformSettings:
    """Where a platform is and how fast to ask it; each platform's package holds its defaults."""

    base_url: str
    rate_per_second: float  # ~90% of the platform's published budget
    burst: int


def platform_settings(platform: str, defaults: PlatformSettings,
                      base_url: str | None = None) -> PlatformSettings:
    """``defaults``, overridden by SCOUT_<PLATFORM>_URL / SCOUT_RATE_PER_SECOND /
    SCOUT_RATE_BURST, then by ``base_url``."""
    url = base_url or os.environ.get(f"SCOUT_{platform.upper()}_URL") or defaults.base_url
    rate = positive_env("SCOUT_RATE_PER_SECOND", defaults.rate_per_second, float)
    burst = int(positive_env("SCOUT_RATE_BURST", defaults.burst, int))
    return PlatformSettings(url.rstrip("/"), rate, burst)


def secret_block_name(variable: str) -> str:
    """The Prefect Secret block read when ``variable`` is unset: SCOUT_YOUTUBE_API_KEY ->
    ``scout-youtube-api-key``."""
    return variable.lower().replace("_", "-")


def optional_credential(variable: str, *, secret: bool = True) -> str | None:
    """The environment variable, else the Prefect Secret block of that name, else None.

    Read at call time (never cached, never logged). Blocks are read only where a Prefect API is
    already there (``PREFECT_API_URL``, or inside a flow or task run): starting Prefect's
    temporary server just to find no block would cost seconds on every key-less call.
    ``secret`` values are remembered so that :func:`scrapers.http.redact` hides them everywhere.
    """
    value = os.environ.get(variable, "").strip()
    if value:
        _check_credential(value, f"The environment variable {variable}")
    else:
        value = _secret_block(secret_block_name(variable))
        _check_credential(value, f"The Prefect Secret block {secret_block_name(variable)!r}")
    if value and secret and len(value) >= MIN_REDACTED_SECRET:
        _SECRETS.add(value)
    return value or None


def _check_credential(value: str, source: str) -> None:
    """InvalidInput when ``value`` cannot be a credential: one line of printable ASCII.

    A line break or control character would be refused by the HTTP layer with the value's
    repr() in the message, so it is refused here, naming only where the value came from.
    """
    bad = next((ch for ch in value if not " " < ch < "\x7f"), None)
    if bad is not None:
        what = ("a line break" if bad in "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"
                else "a control character" if bad < " " or bad == "\x7f"
                else "a space" if bad.isspace() else "a non-ASCII character")
        raise InvalidInput(f"{source} holds {what}; a credential is one line of printable "
                           "ASCII: set it to the key or token alone.")


def credential(variable: str, why: str, *, secret: bool = True) -> str:
    """:func:`optional_credential`, or MissingCredential naming the variable and the block."""
    value = optional_credential(variable, secret=secret)
    if not value:
        raise MissingCredential(
            f"{why}: set the environment variable {variable} or save a Prefect Secret block "
            f"named {secret_block_name(variable)!r}."
        )
    return value


def known_secrets() -> frozenset[str]:
    """Every credential value read so far in this process (for redaction, never for display)."""
    return frozenset(_SECRETS)


_SECRETS: set[str] = set()

#: Shorter values (a placeholder like "token" in a test) are not searched for verbatim: doing so
#: would mangle ordinary words; credential parameters are still redacted by name.
MIN_REDACTED_SECRET = 8


def _secret_block(name: str) -> str:
    """The value of a Prefect Secret block, or "" when there is no reachable API or no block."""
    from prefect.context import FlowRunContext, TaskRunContext
    from prefect.settings import PREFECT_API_URL

    if not (PREFECT_API_URL.value() or FlowRunContext.get() or TaskRunContext.get()):
        return ""
    from prefect.blocks.system import Secret

    try:
        block = Secret.load(name, _sync=True)
    except ValueError:  # Prefect's "Unable to find block document named ..."
        return ""
    return str(block.get()).strip()
