"""Mastodon via any instance's public REST API (no token); account ids are the refs."""

from scrapers.mastodon import client, handles
from scrapers.mastodon import parse as parsers
from scrapers.platform import Platform
from scrapers.settings import PlatformSettings

MASTODON = Platform.assemble(
    "mastodon",
    # 300 requests / 5 min per IP -> 1/s; we use 90%.
    PlatformSettings("https://mastodon.social", 0.9, 5),
    handles=handles, client=client, parsers=parsers,
)

__all__ = ["MASTODON"]
