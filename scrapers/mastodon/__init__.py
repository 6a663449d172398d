"""Mastodon via any instance's public REST API (no token); account ids are the refs."""

from scrapers.mastodon.client import discover, fetch_creators, preflight
from scrapers.mastodon.handles import validate_handle
from scrapers.mastodon.parse import parse, parse_saved
from scrapers.platform import Platform
from scrapers.settings import PlatformSettings

MASTODON = Platform(
    name="mastodon",
    # 300 requests / 5 min per IP -> 1/s; we use 90%.
    defaults=PlatformSettings("https://mastodon.social", 0.9, 5),
    validate_handle=validate_handle,
    preflight=preflight,
    discover=discover,
    fetch_creators=fetch_creators,
    parse=parse,
    parse_saved=parse_saved,
)

__all__ = ["MASTODON"]
