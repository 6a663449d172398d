"""YouTube: the Data API v3 with an API key, public channel pages (key-less) without one.

Quota: ``scrapers.youtube.quota``.
"""

from scrapers.platform import Platform
from scrapers.settings import PlatformSettings
from scrapers.youtube import client, handles
from scrapers.youtube import parse as parsers
from scrapers.youtube.client import api_key_from
from scrapers.youtube.quota import QuotaMeter, default_meter

YOUTUBE = Platform.assemble(
    "youtube",
    # The limit is a daily unit quota (quota.py), not a request rate; 5/s keeps a run polite
    # and well under Google's per-user QPS.
    PlatformSettings("https://www.googleapis.com/youtube/v3", 5.0, 5),
    handles=handles, client=client, parsers=parsers,
)

__all__ = ["YOUTUBE", "QuotaMeter", "api_key_from", "default_meter"]
