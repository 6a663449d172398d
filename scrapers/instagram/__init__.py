"""Instagram via the Graph API's Business Discovery (the user's token), plus parsers for pages
and JSON a user saved from a browser. instagram.com is never fetched (robots.txt)."""

from scrapers.instagram.client import discover, fetch_creators, fetch_profile_page, preflight
from scrapers.instagram.handles import validate_handle
from scrapers.instagram.parse import parse, parse_saved
from scrapers.platform import Platform
from scrapers.settings import PlatformSettings

INSTAGRAM = Platform(
    name="instagram",
    # Graph API (Business Discovery): ~200 calls / hour per user -> 0.055/s; 90%.
    defaults=PlatformSettings("https://graph.facebook.com/v21.0", 0.05, 2),
    validate_handle=validate_handle,
    preflight=preflight,
    discover=discover,
    fetch_creators=fetch_creators,
    parse=parse,
    parse_saved=parse_saved,
)

__all__ = ["INSTAGRAM", "fetch_profile_page"]
