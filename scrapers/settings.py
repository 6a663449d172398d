"""Scraper constants, and the overrides a :class:`core.settings.Settings` brings to them.

Each function takes the entry point's ``config``; a direct call without one (a test, a
notebook) reads the environment at that moment, as the entry point would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scrapers.errors import InvalidInput, MissingCredential

if TYPE_CHECKING:
    from core.settings import Settings

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


def current(config: Settings | None) -> Settings:
    """``config``, or (for a direct call) the settings the environment holds now (pydantic imported
    only then: ``flows`` imports this module, and ``scout --help`` imports ``flows``)."""
    if config is not None:
        return config
    from core.settings import Settings

    return Settings.from_env(InvalidInput)


def timeout(config: Settings | None = None) -> tuple[float, float]:
    """(connect, read) seconds: TIMEOUT, with the read part from SCOUT_READ_TIMEOUT when set
    (a short one makes the sandbox's stalled answers fail fast)."""
    return TIMEOUT[0], current(config).read_timeout or TIMEOUT[1]


def max_body_bytes(config: Settings | None = None) -> int:
    """The body size limit: SCOUT_MAX_BODY_BYTES when set to a positive integer, else 20 MB."""
    return current(config).max_body_bytes or MAX_BODY_BYTES


@dataclass(frozen=True)
class PlatformSettings:
    """Where a platform is and how fast to ask it; each platform's package holds its defaults."""

    base_url: str
    rate_per_second: float  # ~90% of the platform's published budget
    burst: int


def platform_settings(platform: str, defaults: PlatformSettings, base_url: str | None = None,
                      config: Settings | None = None) -> PlatformSettings:
    """``defaults`` (the platform's own), overridden by SCOUT_<PLATFORM>_URL / SCOUT_RATE_PER_SECOND /
    SCOUT_RATE_BURST through the settings object, then by ``base_url``."""
    config = current(config)
    url = base_url or config.platform_url(platform) or defaults.base_url
    rate = config.rate_per_second or defaults.rate_per_second
    burst = config.rate_burst or defaults.burst
    return PlatformSettings(url.rstrip("/"), rate, burst)


def secret_block_name(variable: str) -> str:
    """The Prefect Secret block read when ``variable`` is unset: SCOUT_YOUTUBE_API_KEY ->
    ``scout-youtube-api-key``."""
    return variable.lower().replace("_", "-")


def optional_credential(variable: str, *, secret: bool = True,
                        config: Settings | None = None) -> str | None:
    """The environment variable (from ``config``), else the secret store's value of that name
    (a Prefect Secret block once ``flows`` plugged it in), else None.

    Never cached, never logged. ``secret`` values are remembered so that
    :func:`scrapers.redaction.redact` hides them everywhere.
    """
    value = current(config).credential(variable)
    if value:
        _check_credential(value, f"The environment variable {variable}")
    else:
        value = _secret_store(secret_block_name(variable)).strip()
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


def credential(variable: str, why: str, *, secret: bool = True, config: Settings | None = None) -> str:
    """:func:`optional_credential`, or MissingCredential naming the variable and the block."""
    value = optional_credential(variable, secret=secret, config=config)
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


#: Reads a named secret ("" when there is none). The scraping layer knows no secret manager of its
#: own: ``flows`` plugs Prefect's Secret blocks in with :func:`use_secret_store`.
SecretStore = Callable[[str], str]


def _no_secret_store(name: str) -> str:
    return ""


_secret_store: SecretStore = _no_secret_store


def use_secret_store(read: SecretStore) -> None:
    """Where credentials missing from the environment are looked up next (by block name)."""
    global _secret_store
    _secret_store = read
