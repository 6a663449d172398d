"""YouTube's public pages in the sandbox: channel pages and the channel feed, offline.

``/@handle`` and ``/channel/UC…`` are HTML pages embedding ``var ytInitialData = {...};``
(the 2024 ``pageHeaderRenderer`` layout for most channels, the older ``c4TabbedHeaderRenderer``
for about a quarter); ``/feeds/videos.xml`` is the channel's Atom feed (robots.txt disallows
it, as on YouTube, so scrapers never ask).
"""

from __future__ import annotations

import html
import json
from typing import Any

from .youtube_channels import (
    Channel,
    YouTubeState,
    abbreviated,
    avatar_url,
    b64,
    digest,
    iso,
    title_and_description,
)

WEB = "https://www.youtube.com"  # what YouTube prints in its own metadata


def _count_text(n: int, singular: str) -> str:
    if n == 0:
        return f"No {singular}s"
    return f"{abbreviated(n)} {singular}" + ("" if n == 1 else "s")


def initial_data(base: str, ch: Channel) -> dict:
    """The page's ``ytInitialData``: header (in the channel's layout), metadata, microformat."""
    c = ch.creator
    avatar = avatar_url(base, ch)
    meta = {
        "title": c.display_name, "description": c.bio,
        "rssUrl": f"{WEB}/feeds/videos.xml?channel_id={ch.channel_id}",
        "externalId": ch.channel_id, "keywords": " ".join(c.niche.split()),
        "ownerUrls": [f"http://www.youtube.com/@{ch.handle}"],
        "avatar": {"thumbnails": [{"url": avatar, "width": 900, "height": 900}]},
        "channelUrl": f"{WEB}/channel/{ch.channel_id}", "isFamilySafe": True,
        "vanityChannelUrl": f"http://www.youtube.com/@{ch.handle}",
    }
    subscribers = None if ch.hidden_subscribers else _count_text(ch.subscribers, "subscriber")
    videos = _count_text(c.posts_count, "video")
    header = _c4_header(ch, avatar, subscribers, videos) if ch.c4_layout else \
        _page_header(ch, avatar, subscribers, videos)
    return {
        "responseContext": {"serviceTrackingParams": [{"service": "GFEEDBACK", "params": [
            {"key": "route", "value": "channel."}]}], "maxAgeSeconds": 300},
        "contents": {"twoColumnBrowseResultsRenderer": {"tabs": [
            {"tabRenderer": {"title": "Home", "selected": True}},
            {"tabRenderer": {"title": "Videos", "selected": False}}]}},
        "header": header,
        "metadata": {"channelMetadataRenderer": meta},
        "microformat": {"microformatDataRenderer": {
            "urlCanonical": f"{WEB}/channel/{ch.channel_id}", "title": c.display_name,
            "description": c.bio, "thumbnail": {"thumbnails": [{"url": avatar, "width": 200,
                                                               "height": 200}]},
            "noindex": False, "unlisted": False, "familySafe": True}},
    }


def _page_header(ch: Channel, avatar: str, subscribers: str | None, videos: str) -> dict:
    counts = []
    if subscribers:
        counts.append({"text": {"content": subscribers},
                       "accessibilityLabel": subscribers.replace("K ", " thousand ")
                       .replace("M ", " million ")})
    counts.append({"text": {"content": videos}, "accessibilityLabel": videos})
    handle = "@" + ch.handle
    name = ch.creator.display_name
    return {"pageHeaderRenderer": {
        "pageTitle": name,
        "content": {"pageHeaderViewModel": {
            "title": {"dynamicTextViewModel": {"text": {"content": name}}},
            "image": {"decoratedAvatarViewModel": {"avatar": {"avatarViewModel": {
                "image": {"sources": [{"url": avatar, "width": w, "height": w}
                                      for w in (72, 120, 160)]},
                "avatarImageSize": "AVATAR_SIZE_XL"}}}},
            "metadata": {"contentMetadataViewModel": {"metadataRows": [
                {"metadataParts": [{"text": {"content": handle, "styleRuns": [
                    {"startIndex": 0, "length": len(handle),
                     "weightLabel": "FONT_WEIGHT_MEDIUM"}]}}]},
                {"metadataParts": counts}], "delimiter": "•"}},
            "description": {"descriptionPreviewViewModel": {
                "description": {"content": ch.creator.bio[:120]}}},
        }},
    }}


def _c4_header(ch: Channel, avatar: str, subscribers: str | None, videos: str) -> dict:
    number, _, word = videos.partition(" ")
    header: dict[str, Any] = {
        "channelId": ch.channel_id,
        "title": ch.creator.display_name,
        "navigationEndpoint": {
            "commandMetadata": {"webCommandMetadata": {"url": f"/@{ch.handle}",
                                                       "webPageType": "WEB_PAGE_TYPE_CHANNEL"}},
            "browseEndpoint": {"browseId": ch.channel_id,
                               "canonicalBaseUrl": f"/@{ch.handle}"}},
        "avatar": {"thumbnails": [{"url": avatar, "width": w, "height": w}
                                  for w in (48, 88, 176)]},
        "videosCountText": {"runs": [{"text": number}, {"text": " " + word}]},
        "channelHandleText": {"runs": [{"text": "@" + ch.handle}]},
        "tagline": {"channelTaglineRenderer": {"content": ch.creator.bio[:80], "maxLines": 1}},
    }
    if subscribers:
        header["subscriberCountText"] = {
            "accessibility": {"accessibilityData": {"label": subscribers}},
            "simpleText": subscribers}
    if ch.creator.verified:
        header["badges"] = [{"metadataBadgeRenderer": {
            "icon": {"iconType": "CHECK_CIRCLE_THICK"}, "style": "BADGE_STYLE_TYPE_VERIFIED",
            "tooltip": "Verified", "accessibilityData": {"label": "Verified"}}}]
    return {"c4TabbedHeaderRenderer": header}


def channel_page(base: str, ch: Channel, faults: Any = None) -> str:
    """The channel's HTML page; ``faults`` (the sandbox's injector) may drift it."""
    found = initial_data(base, ch)
    found = faults.drift_page(ch.handle, found) if faults is not None else found
    if isinstance(found, str):  # drifted into a page without ytInitialData
        return found
    data = json.dumps(found, ensure_ascii=False, separators=(",", ":"))
    data = data.replace("<", "\\u003c").replace(">", "\\u003e")
    name = html.escape(ch.creator.display_name)
    nonce = b64(digest("nonce", ch.channel_id, size=12))
    return (
        '<!DOCTYPE html><html style="font-size: 10px;font-family: Roboto, Arial, sans-serif;" '
        'lang="en" darker-dark-theme system-icons typography><head>'
        f'<meta charset="utf-8"><title>{name} - YouTube</title>'
        f'<meta name="description" content="{html.escape(ch.creator.bio[:160])}">'
        f'<link rel="canonical" href="{WEB}/channel/{ch.channel_id}">'
        f'<meta property="og:title" content="{name}">'
        f'<script nonce="{nonce}">var ytcfg={{}};ytcfg.set = function(o){{}};</script>'
        '</head><body dir="ltr"><ytd-app></ytd-app>'
        f'<script nonce="{nonce}">var ytInitialData = {data};</script>'
        f"<script nonce=\"{nonce}\">if (window.ytcsi) {{window.ytcsi.tick('pdr', null, '');}}"
        "</script></body></html>"
    )


def not_found_page() -> str:
    return ('<!DOCTYPE html><html lang="en"><head><title>404 Not Found</title></head><body>'
            "<p>This page isn't available. Sorry about that.</p></body></html>")


def feed(st: YouTubeState, ch: Channel) -> str:
    """The channel's Atom feed: its latest 15 videos."""
    entries = []
    for i, p in enumerate(st.videos(ch)[:15]):
        vid = st.video_id(ch, i)
        title, _ = title_and_description(p.text)
        entries.append(f"<entry><id>yt:video:{vid}</id><yt:videoId>{vid}</yt:videoId>"
                       f"<title>{html.escape(title)}</title><published>{iso(p.created_at)}"
                       "</published></entry>")
    return ('<?xml version="1.0" encoding="UTF-8"?><feed xmlns:yt="http://www.youtube.com/xml/'
            'schemas/2015" xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{html.escape(ch.creator.display_name)}</title>{''.join(entries)}</feed>")
