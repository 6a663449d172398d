"""YouTube: the Data API v3 with an API key, public channel pages (key-less) without one.

Quota: ``scrapers.youtube.quota``.
"""

from scrapers.platform import Platform
from scrapers.settings import PlatformSettings
from scrapers.youtube.client import api_key_from, discover, fetch_creators, preflight
from scrapers.youtube.handles import validate_handle
from scrapers.youtube.parse import parse, parse_saved
from scrapers.youtube.quota import QuotaMeter, default_meter

YOUTUBE = Platform(
    name="youtube",
    # The limit is a daily unit quota (quota.py), not a request rate; 5/s keeps a run polite
    # and well under Google's per-user QPS.
    defaults=PlatformSettings("https://www.googleapis.com/youtube/v3", 5.0, 5),
    validate_handle=validate_handle,
    preflight=preflight,
    discover=discover,
    fetch_creators=fetch_creators,
    parse=parse,
    parse_saved=parse_saved,
)

__all__ = ["YOUTUBE", "QuotaMeter", "api_key_from", "default_meter"]
