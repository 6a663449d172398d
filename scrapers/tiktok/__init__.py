"""TikTok via the Research API (a researcher's client token), plus parsers for profile pages
a user saved from a browser (``__UNIVERSAL_DATA_FOR_REHYDRATION__`` and ``SIGI_STATE``)."""

from scrapers.platform import Platform
from scrapers.settings import PlatformSettings
from scrapers.tiktok import client, handles
from scrapers.tiktok import parse as parsers

TIKTOK = Platform.assemble(
    "tiktok",
    # Research API: a daily quota (1,000 requests), not a rate; pace gently anyway.
    PlatformSettings("https://open.tiktokapis.com", 0.25, 2),
    handles=handles, client=client, parsers=parsers,
)

__all__ = ["TIKTOK"]
