"""Bluesky via the public, unauthenticated AppView XRPC API (``<base>/xrpc/<NSID>``)."""

from scrapers.bluesky.client import discover, fetch_creators, preflight
from scrapers.bluesky.handles import validate_handle
from scrapers.bluesky.parse import parse, parse_saved
from scrapers.platform import Platform
from scrapers.settings import PlatformSettings

BLUESKY = Platform(
    name="bluesky",
    # Public AppView: 3000 requests / 5 min per IP -> 10/s; we use 90%.
    defaults=PlatformSettings("https://public.api.bsky.app", 9.0, 10),
    validate_handle=validate_handle,
    preflight=preflight,
    discover=discover,
    fetch_creators=fetch_creators,
    parse=parse,
    parse_saved=parse_saved,
)

__all__ = ["BLUESKY"]
