"""Bluesky via the public, unauthenticated AppView XRPC API (``<base>/xrpc/<NSID>``).

The flow calls exactly ``discover``, ``fetch_creators`` and ``parse``.
"""

from scrapers.bluesky.client import discover, fetch_creators, preflight
from scrapers.bluesky.parse import parse, parse_saved

PLATFORM = "bluesky"

__all__ = ["PLATFORM", "discover", "fetch_creators", "preflight", "parse", "parse_saved"]
