"""A channel's Atom feed (``feeds/videos.xml?channel_id=UC…``) saved by a user -> records.

robots.txt forbids fetching the feed, so the client never asks for it; a file the user saved
is theirs to read. The feed names the channel (no counts) and its latest 15 videos with views
(``media:statistics``) and likes (``media:starRating count``); it has no comment counts.
Parsed with the standard library's ElementTree after refusing any DTD, so no entity (internal
or external) is ever expanded.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from core.records import ParseResult, Post, Profile
from scrapers.text import as_count, is_sponsored, parse_datetime

PLATFORM = "youtube"
WEB = "https://www.youtube.com"
ATOM = "http://www.w3.org/2005/Atom"
NS = {"atom": ATOM, "yt": "http://www.youtube.com/xml/schemas/2015",
      "media": "http://search.yahoo.com/mrss/"}
_CHANNEL_URL = re.compile(r"/channel/(UC[A-Za-z0-9_-]{22})\b")
_DTD = re.compile(r"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def looks_like_feed(body: str) -> bool:
    """Whether a saved body is an Atom feed (by its namespace near the top)."""
    head = body.lstrip()[:2000]
    return head.startswith("<") and "<feed" in head and ATOM in head


def parse_feed(body: str) -> ParseResult | str:
    """The channel and its videos, or the reason the feed cannot be read."""
    if _DTD.search(body):
        return "feed has a DTD (<!DOCTYPE or <!ENTITY); refused, entities are never expanded"
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        return f"invalid XML in feed: {exc}"
    if root.tag != f"{{{ATOM}}}feed":
        return "not an Atom feed"
    channel_id = _channel_id(root)
    if channel_id is None:
        return "feed names no channel (no /channel/UC… link or yt:channelId)"
    profile = Profile(
        platform=PLATFORM,
        creator_id=channel_id,
        handle=channel_id,
        display_name=root.findtext("atom:title", namespaces=NS),
        profile_url=f"{WEB}/channel/{channel_id}",
    )
    result = ParseResult(profiles=[profile])
    for entry in root.findall("atom:entry", NS):
        post = _entry_post(entry, channel_id)
        if post is not None:
            result.posts.append(post)
    return result


def _channel_id(root: ET.Element) -> str | None:
    """From the channel link or author URI (the feed-level yt:channelId may lack its "UC")."""
    urls = [link.get("href") or "" for link in root.findall("atom:link", NS)]
    urls.append(root.findtext("atom:author/atom:uri", default="", namespaces=NS))
    for url in urls:
        if match := _CHANNEL_URL.search(url):
            return match.group(1)
    bare = (root.findtext("yt:channelId", default="", namespaces=NS) or "").strip()
    if re.fullmatch(r"UC[A-Za-z0-9_-]{22}", bare):
        return bare
    return "UC" + bare if re.fullmatch(r"[A-Za-z0-9_-]{22}", bare) else None


def _entry_post(entry: ET.Element, channel_id: str) -> Post | None:
    video_id = (entry.findtext("yt:videoId", default="", namespaces=NS) or "").strip()
    if not video_id:
        return None
    group = entry.find("media:group", NS)
    description = group.findtext("media:description", namespaces=NS) if group is not None else None
    parts = [entry.findtext("atom:title", namespaces=NS), description]
    text = "\n".join(p.strip() for p in parts if p and p.strip()) or None
    rating = entry.find("media:group/media:community/media:starRating", NS)
    stats = entry.find("media:group/media:community/media:statistics", NS)
    return Post(
        platform=PLATFORM,
        post_id=video_id,
        creator_id=channel_id,
        published_at=parse_datetime(entry.findtext("atom:published", namespaces=NS)),
        text=text,
        likes=as_count(rating.get("count")) if rating is not None else None,
        comments=None,
        shares=None,
        views=as_count(stats.get("views")) if stats is not None else None,
        is_repost=False,
        is_sponsored=is_sponsored(text),
    )
