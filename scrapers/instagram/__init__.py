"""Instagram via the Graph API's Business Discovery (the user's token), plus parsers for pages
and JSON a user saved from a browser. instagram.com is never fetched (robots.txt).

The flow calls exactly ``discover``, ``fetch_creators`` and ``parse``; ``scout parse`` and
``scout import`` call ``parse_saved``.
"""

from scrapers.instagram.client import (
    discover,
    fetch_creators,
    fetch_profile_page,
    preflight,
)
from scrapers.instagram.parse import parse, parse_saved

PLATFORM = "instagram"

__all__ = ["PLATFORM", "discover", "fetch_creators", "preflight", "fetch_profile_page", "parse", "parse_saved"]
