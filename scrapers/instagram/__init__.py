"""Instagram via the Graph API's Business Discovery (the user's token), plus parsers for pages
and JSON a user saved from a browser. instagram.com is never fetched (robots.txt)."""

from scrapers.instagram import client, handles
from scrapers.instagram import parse as parsers
from scrapers.instagram.client import fetch_profile_page
from scrapers.platform import Platform
from scrapers.settings import PlatformSettings

INSTAGRAM = Platform.assemble(
    "instagram",
    # Graph API (Business Discovery): ~200 calls / hour per user -> 0.055/s; 90%.
    PlatformSettings("https://graph.facebook.com/v21.0", 0.05, 2),
    handles=handles, client=client, parsers=parsers,
)

__all__ = ["INSTAGRAM", "fetch_profile_page"]
