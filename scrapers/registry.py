"""Every platform plug-in, by name, so the flow and CLI pick a platform by a plain string.

A new platform is its own folder under ``scrapers/`` plus one line here. The plug-ins are
imported when first used, not with this module: naming and checking a platform (the CLI's
options, ``scout --help``) must not import every scraper, and pandas with them.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

from scrapers.errors import InvalidInput

if TYPE_CHECKING:
    from scrapers.platform import Platform

#: name -> "module:attribute" of its ``Platform`` instance.
_PLUGINS: dict[str, str] = {
    "bluesky": "scrapers.bluesky:BLUESKY",
    "mastodon": "scrapers.mastodon:MASTODON",
    "youtube": "scrapers.youtube:YOUTUBE",
    "instagram": "scrapers.instagram:INSTAGRAM",
    "tiktok": "scrapers.tiktok:TIKTOK",
}

#: Every platform's name, in the registry's order, without importing a plug-in.
PLATFORM_NAMES: tuple[str, ...] = tuple(_PLUGINS)


@cache
def _plugin(name: str) -> Platform:
    module, attribute = _PLUGINS[name].split(":")
    return getattr(import_module(module), attribute)


def __getattr__(attribute: str) -> Any:
    """``PLATFORMS`` (name -> ``Platform``), every plug-in imported on first access."""
    if attribute == "PLATFORMS":
        return {name: _plugin(name) for name in PLATFORM_NAMES}
    raise AttributeError(f"module {__name__!r} has no attribute {attribute!r}")


def platform_name(name: str) -> str:
    """``name`` as the registry spells it (any case given), checked without importing its plug-in;
    InvalidInput lists the choices."""
    key = (name or "").strip().lower()
    if key not in _PLUGINS:
        known = ", ".join(sorted(PLATFORM_NAMES))
        raise InvalidInput(f"Unknown platform {name!r}; known platforms: {known}.")
    return key


def get_platform(name: str) -> Platform:
    """The platform plug-in called ``name`` (any case); InvalidInput lists the choices."""
    return _plugin(platform_name(name))


def validate_handle(platform: str, handle: str) -> str:
    """``handle`` normalised by ``platform``'s own rule, or InvalidInput saying what is wrong."""
    if platform not in _PLUGINS:
        raise InvalidInput(f"There are no handle rules for platform {platform!r}.")
    return _plugin(platform).validate_handle(handle)
