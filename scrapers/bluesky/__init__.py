"""Bluesky via the public, unauthenticated AppView XRPC API (``<base>/xrpc/<NSID>``)."""

from scrapers.bluesky import client, handles
from scrapers.bluesky import parse as parsers
from scrapers.platform import Platform
from scrapers.settings import PlatformSettings

BLUESKY = Platform.assemble(
    "bluesky",
    # Public AppView: 3000 requests / 5 min per IP -> 10/s; we use 90%.
    PlatformSettings("https://public.api.bsky.app", 9.0, 10),
    handles=handles, client=client, parsers=parsers,
)

__all__ = ["BLUESKY"]
