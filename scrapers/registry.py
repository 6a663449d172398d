"""Every platform plug-in, by name, so the flow and CLI pick a platform by a plain string.

A new platform is its own folder under ``scrapers/`` plus one line here.
"""

from __future__ import annotations

from scrapers.bluesky import BLUESKY
from scrapers.errors import InvalidInput
from scrapers.instagram import INSTAGRAM
from scrapers.mastodon import MASTODON
from scrapers.platform import Platform
from scrapers.tiktok import TIKTOK
from scrapers.youtube import YOUTUBE

PLATFORMS: dict[str, Platform] = {
    p.name: p for p in (BLUESKY, MASTODON, YOUTUBE, INSTAGRAM, TIKTOK)
}


def get_platform(name: str) -> Platform:
    """The platform plug-in called ``name`` (any case); InvalidInput lists the choices."""
    key = (name or "").strip().lower()
    if key not in PLATFORMS:
        known = ", ".join(sorted(PLATFORMS))
        raise InvalidInput(f"Unknown platform {name!r}; known platforms: {known}.")
    return PLATFORMS[key]


def validate_handle(platform: str, handle: str) -> str:
    """``handle`` normalised by ``platform``'s own rule, or InvalidInput saying what is wrong."""
    if platform not in PLATFORMS:
        raise InvalidInput(f"There are no handle rules for platform {platform!r}.")
    return PLATFORMS[platform].validate_handle(handle)
