"""Mastodon via any instance's public REST API (no token); account ids are the refs.

The flow calls exactly ``discover``, ``fetch_creators`` and ``parse``.
"""

from scrapers.mastodon.client import discover, fetch_creators, preflight
from scrapers.mastodon.parse import parse, parse_saved

PLATFORM = "mastodon"

__all__ = ["PLATFORM", "discover", "fetch_creators", "preflight", "parse", "parse_saved"]
