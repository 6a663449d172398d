"""Mastodon via any instance's public REST API (no token); account ids are the refs."""

from scrapers.mastodon import client, handles
from scrapers.mastodon import parse as parsers
from scrapers.platform import Platform
from scrapers.settings import PlatformSettings

MASTODON = Platform.assemble(
    "mastodon",
    # mastodon.social's default, 300 requests / 5 min per IP -> 1/s at 90%, until the instance's
    # X-RateLimit-* headers publish its own budget (HttpClient then paces to 90% of that).
    PlatformSettings("https://mastodon.social", 0.9, 5),
    handles=handles, client=client, parsers=parsers,
)

__all__ = ["MASTODON"]
