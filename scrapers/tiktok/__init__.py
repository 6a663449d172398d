"""TikTok via the Research API (a researcher's client token), plus parsers for profile pages
a user saved from a browser (``__UNIVERSAL_DATA_FOR_REHYDRATION__`` and ``SIGI_STATE``)."""

from scrapers.platform import Platform
from scrapers.settings import PlatformSettings
from scrapers.tiktok.client import discover, fetch_creators, preflight
from scrapers.tiktok.handles import validate_handle
from scrapers.tiktok.parse import parse, parse_saved

TIKTOK = Platform(
    name="tiktok",
    # Research API: a daily quota (1,000 requests), not a rate; pace gently anyway.
    defaults=PlatformSettings("https://open.tiktokapis.com", 0.25, 2),
    validate_handle=validate_handle,
    preflight=preflight,
    discover=discover,
    fetch_creators=fetch_creators,
    parse=parse,
    parse_saved=parse_saved,
)

__all__ = ["TIKTOK"]
