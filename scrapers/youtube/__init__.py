"""YouTube: the Data API v3 with an API key, public channel pages (key-less) without one.

The flow calls exactly ``discover``, ``fetch_creators`` and ``parse``; ``scout parse`` and
``scout import`` call ``parse_saved``. Quota: ``scrapers.youtube.quota``.
"""

from scrapers.youtube.client import api_key_from, discover, fetch_creators, preflight
from scrapers.youtube.parse import parse, parse_saved
from scrapers.youtube.quota import QuotaMeter, default_meter

PLATFORM = "youtube"

__all__ = [
    "PLATFORM",
    "QuotaMeter",
    "api_key_from",
    "default_meter",
    "discover",
    "fetch_creators",
    "preflight",
    "parse",
    "parse_saved",
]
