"""Scraper constants and their environment overrides, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass

USER_AGENT = (
    "creator-scout/0.1 (+https://github.com/creator-scout/creator-scout; "
    "open-source creator discovery; respects robots.txt and rate limits)"
)
# (connect, read) seconds for every request.
TIMEOUT = (5.0, 20.0)
MAX_RETRIES = 5


@dataclass(frozen=True)
class PlatformSettings:
    base_url: str
    rate_per_second: float  # ~90% of the platform's published budget
    burst: int


# Bluesky public AppView: 3000 requests / 5 min per IP -> 10/s; we use 90%.
# Mastodon: 300 requests / 5 min per IP -> 1/s; we use 90%.
DEFAULTS: dict[str, PlatformSettings] = {
    "bluesky": PlatformSettings("https://public.api.bsky.app", 9.0, 10),
    "mastodon": PlatformSettings("https://mastodon.social", 0.9, 5),
}


def platform_settings(platform: str, base_url: str | None = None) -> PlatformSettings:
    """Defaults, overridden by SCOUT_<PLATFORM>_URL / SCOUT_RATE_PER_SECOND, then by arguments."""
    default = DEFAULTS[platform]
    url = base_url or os.environ.get(f"SCOUT_{platform.upper()}_URL") or default.base_url
    rate = float(os.environ.get("SCOUT_RATE_PER_SECOND", default.rate_per_second))
    burst = int(os.environ.get("SCOUT_RATE_BURST", default.burst))
    return PlatformSettings(url.rstrip("/"), rate, burst)
