"""Platform name -> scraper package, so the flow and CLI pick a platform by a plain string."""

from __future__ import annotations

from types import ModuleType

from scrapers import bluesky, instagram, mastodon, tiktok, youtube
from scrapers.errors import InvalidInput

PLATFORMS: dict[str, ModuleType] = {
    "bluesky": bluesky,
    "mastodon": mastodon,
    "youtube": youtube,
    "instagram": instagram,
    "tiktok": tiktok,
}


def get_platform(name: str) -> ModuleType:
    """The package exposing discover, fetch_creators and parse; InvalidInput lists the choices."""
    key = (name or "").strip().lower()
    if key not in PLATFORMS:
        known = ", ".join(sorted(PLATFORMS))
        raise InvalidInput(f"Unknown platform {name!r}; known platforms: {known}.")
    return PLATFORMS[key]
