"""TikTok via the Research API (a researcher's client token), plus parsers for profile pages a
user saved from a browser (``__UNIVERSAL_DATA_FOR_REHYDRATION__`` and ``SIGI_STATE``).

The flow calls exactly ``discover``, ``fetch_creators`` and ``parse``; ``scout parse`` and
``scout import`` call ``parse_saved``.
"""

from scrapers.tiktok.client import discover, fetch_creators, preflight
from scrapers.tiktok.parse import parse, parse_saved

PLATFORM = "tiktok"

__all__ = ["PLATFORM", "discover", "fetch_creators", "preflight", "parse", "parse_saved"]
