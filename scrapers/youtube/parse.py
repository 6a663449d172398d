"""Pure YouTube parsers: a Data API v3 body or a channel page in, canonical records out.

Kinds: "channels" (channels.list -> profiles), "videos" (videos.list -> posts), "search" and
"playlist_items" (ids and page tokens only, for the client), "channel_page" (HTML -> profile).
Counts arrive as strings ("12345"); a hidden subscriber count or a hidden like count is
unknown (None), never 0. Never raises: a bad body becomes a ScrapeError.
"""

from __future__ import annotations

import re
from typing import Any

from core.records import ParseResult, Post, Profile, RawResponse
from scrapers.parsing import dispatch, error_for, parse_saved_json
from scrapers.text import (
    as_count,
    as_str,
    decode_json,
    dig,
    is_sponsored,
    parse_datetime,
)
from scrapers.validate import attribute, layout_problem
from scrapers.youtube import feed, page

PLATFORM = "youtube"
WEB = page.WEB
CHANNEL_ID = re.compile(r"^UC[A-Za-z0-9_-]{22}$")
_TAG = re.compile(r"<[^>]+>")
SAVED_EXPECTED = ("YouTube channels.list/videos.list JSON, a channel page with ytInitialData "
                  "(or that JSON alone), or a channel's Atom feed")

# What every channels.list item holds with part=snippet (statistics may be left out).
CHANNEL_LAYOUT = {"id": str, "snippet": dict, "snippet.title": str}

def parse(raw: RawResponse) -> ParseResult:
    """Dispatch on ``raw.kind``; an unexpected failure is reported, never raised."""
    if raw.kind == "channel_page":
        return _guarded(raw, _parse_channel_page)
    if raw.status >= 400 and raw.kind in _PARSERS:
        data, _ = decode_json(raw.body)
        message, reasons = api_error(data)
        text = message or f"HTTP {raw.status}"
        if reasons:
            text += f" ({', '.join(reasons)})"
        return ParseResult(errors=[error_for(raw, text)])
    return dispatch(raw, _PARSERS, label="YouTube", message_keys=("message",))


def api_error(data: Any) -> tuple[str | None, list[str]]:
    """(message, reasons) of a Google error body ``{"error": {"code", "message", "errors":
    [{"reason"}], "details": [{"reason"}]}}``; the message loses its HTML (quota links).

    Bodies from proxies and older APIs bend that shape (``errors`` an object or a bare
    string, ``error`` a string), so each part is read whatever its type, never trusted."""
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, str):
        error = {"message": error}
    if not isinstance(error, dict):
        return None, []
    message = as_str(error.get("message"))
    reasons: list[str] = []
    for entry in _entries(error.get("errors")) + _entries(error.get("details")):
        reason = as_str(entry.get("reason")) if isinstance(entry, dict) else None
        if reason and reason not in reasons:
            reasons.append(reason)
    return (_TAG.sub("", message).strip() if message else None), reasons


def _entries(value: Any) -> list[Any]:
    """Error entries from a list, one object or a bare reason string; nothing from the rest."""
    if isinstance(value, str):
        return [{"reason": value}]
    if isinstance(value, dict):
        return [value]
    return value if isinstance(value, list) else []


# ---------------------------------------------------------------- peeks the client pages with


def channel_uploads(raw: RawResponse) -> list[tuple[str, str | None, int | None]]:
    """(channel id, uploads playlist id, video count) of every channel in a channels.list page."""
    data = _ok_json(raw)
    items = data.get("items") if isinstance(data, dict) else None
    out = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(_channel_profile(item), str):  # a broken entry gets no requests
            uploads = as_str(dig(item, "contentDetails", "relatedPlaylists", "uploads"))
            out.append((item["id"], uploads or None, as_count(dig(item, "statistics",
                                                                   "videoCount"))))
    return out


def search_channel_ids(raw: RawResponse) -> tuple[list[str], str | None]:
    """Channel ids of a search.list page, and its nextPageToken."""
    data = _ok_json(raw)
    items = data.get("items") if isinstance(data, dict) else None
    ids = []
    for item in items if isinstance(items, list) else []:
        channel = as_str(dig(item, "id", "channelId")) or as_str(dig(item, "snippet",
                                                                       "channelId"))
        if channel and channel not in ids:
            ids.append(channel)
    return ids, _token(data)


def playlist_video_ids(raw: RawResponse) -> tuple[list[str], str | None]:
    """Video ids of a playlistItems.list page (part=contentDetails), and its nextPageToken."""
    data = _ok_json(raw)
    items = data.get("items") if isinstance(data, dict) else None
    ids = []
    for item in items if isinstance(items, list) else []:
        video = as_str(dig(item, "contentDetails", "videoId")) or as_str(
            dig(item, "snippet", "resourceId", "videoId"))
        if video:
            ids.append(video)
    return ids, _token(data)


def _ok_json(raw: RawResponse) -> Any:
    if raw.status >= 400:
        return None
    data, _ = decode_json(raw.body)
    return data


# ---------------------------------------------------------------------------- the parsers


def _parse_channels(raw: RawResponse, data: Any) -> ParseResult:
    """channels.list: one Profile per item; every requested id or handle that came back
    without an item is reported (a forHandle miss answers 200 with no ``items`` at all)."""
    result = ParseResult()
    items = _items(data)
    if items is None:
        return ParseResult(errors=[error_for(raw, "channels.list answer has no 'items' list")])
    requested = [r.strip() for r in (raw.request_key or "").split(",") if r.strip()]
    broken: set[str | None] = set()
    for item in items:
        profile = _channel_profile(item)
        if isinstance(profile, str):  # only this entry is quarantined; the others still parse
            owner = attribute(item, requested)
            broken.add(owner)
            result.errors.append(error_for(raw, profile, handle=owner))
        else:
            result.profiles.append(profile)
    if not requested and not items:
        result.errors.append(error_for(raw, "channels.list answer holds no channels"))
    found = {p.creator_id for p in result.profiles}
    for ref in requested:
        missing = not result.profiles if ref.startswith("@") else ref not in found
        if missing and ref not in broken:
            result.errors.append(error_for(raw, "channel not found", handle=ref))
    return result


def _channel_profile(item: Any) -> Profile | str:
    problem = layout_problem(item, CHANNEL_LAYOUT, "channel item")
    if problem:
        return problem
    channel_id, snippet = item["id"], item["snippet"]
    stats = item.get("statistics") if isinstance(item.get("statistics"), dict) else {}
    custom = as_str(snippet.get("customUrl")) or ""
    handle = custom.lstrip("@")
    hidden = stats.get("hiddenSubscriberCount") is True
    return Profile(
        platform=PLATFORM,
        creator_id=channel_id,
        handle=handle or channel_id,
        display_name=as_str(snippet.get("title")),
        bio=as_str(snippet.get("description")),
        followers=None if hidden else as_count(stats.get("subscriberCount")),
        following=None,
        posts_count=as_count(stats.get("videoCount")),
        verified=None,  # the Data API does not say
        avatar_url=_best_thumbnail(snippet.get("thumbnails")),
        external_url=None,
        profile_url=(f"{WEB}/{custom}" if custom.startswith("@")
                     else f"{WEB}/channel/{channel_id}"),
    )


def _best_thumbnail(thumbnails: Any) -> str | None:
    if not isinstance(thumbnails, dict):
        return None
    for size in ("maxres", "high", "medium", "default"):
        url = as_str(dig(thumbnails, size, "url"))
        if url:
            return url
    return None


def _parse_videos(raw: RawResponse, data: Any) -> ParseResult:
    result = ParseResult()
    items = _items(data)
    if items is None:
        return ParseResult(errors=[error_for(raw, "videos.list answer has no 'items' list")])
    for item in items:
        post = _video_post(item)
        if isinstance(post, str):
            result.errors.append(error_for(raw, post))
        else:
            result.posts.append(post)
    return result


def _video_post(item: Any) -> Post | str:
    """A Post from one video; hidden likes or disabled comments stay None."""
    if not isinstance(item, dict):
        return "video item is not an object"
    video_id = as_str(item.get("id"))
    if not video_id:
        return "video item missing 'id'"
    snippet = item.get("snippet") if isinstance(item.get("snippet"), dict) else {}
    stats = item.get("statistics") if isinstance(item.get("statistics"), dict) else {}
    channel_id = as_str(snippet.get("channelId"))
    if not channel_id:
        return f"video {video_id} missing 'snippet.channelId'"
    parts = [as_str(snippet.get("title")), as_str(snippet.get("description"))]
    text = "\n".join(p for p in parts if p) or None
    paid = dig(item, "paidProductPlacementDetails", "hasPaidProductPlacement") is True
    return Post(
        platform=PLATFORM,
        post_id=video_id,
        creator_id=channel_id,
        published_at=parse_datetime(snippet.get("publishedAt")),
        text=text,
        likes=as_count(stats.get("likeCount")),
        comments=as_count(stats.get("commentCount")),
        shares=None,
        views=as_count(stats.get("viewCount")),
        is_repost=False,
        is_sponsored=paid or is_sponsored(text),
    )


def _parse_search(raw: RawResponse, data: Any) -> ParseResult:
    """search.list snippets have no counts: profiles come later from channels.list."""
    if _items(data) is None:
        return ParseResult(errors=[error_for(raw, "search.list answer has no 'items' list")])
    return ParseResult(next_cursor=_token(data))


def _parse_playlist_items(raw: RawResponse, data: Any) -> ParseResult:
    """Video ids only (videos.list brings the counts)."""
    if _items(data) is None:
        return ParseResult(errors=[error_for(raw, "playlistItems.list answer has no 'items' list")])
    return ParseResult(next_cursor=_token(data))


def _parse_channel_page(raw: RawResponse) -> ParseResult:
    if raw.status == 404:
        return ParseResult(errors=[error_for(raw, "channel not found (HTTP 404)")])
    if raw.status >= 400:
        return ParseResult(errors=[error_for(raw, f"channel page answered HTTP {raw.status}")])
    data, reason = page.initial_data(raw.body or "")
    if data is None:
        return ParseResult(errors=[error_for(raw, reason or "channel page has no ytInitialData")])
    return _parse_initial_data(raw, data)


def _parse_initial_data(raw: RawResponse, data: Any) -> ParseResult:
    """ytInitialData, from a page or saved alone (a channel tab's browse response)."""
    profile = page.page_profile(data, raw.request_key or "")
    if isinstance(profile, str):
        return ParseResult(errors=[error_for(raw, profile)])
    return ParseResult(profiles=[profile])


def _guarded(raw: RawResponse, parser: Any) -> ParseResult:
    try:
        return parser(raw)
    except Exception as exc:  # noqa: BLE001 - the contract is "never raises"
        return ParseResult(errors=[error_for(raw, f"parser failed: {type(exc).__name__}: {exc}")])


def _items(data: Any) -> list[Any] | None:
    """The items of a list response; an empty result has no ``items`` key at all."""
    if not isinstance(data, dict):
        return None
    items = data.get("items", [])
    return items if isinstance(items, list) else None


def _token(data: Any) -> str | None:
    token = data.get("nextPageToken") if isinstance(data, dict) else None
    return token if isinstance(token, str) and token else None


_PARSERS = {
    "channels": _parse_channels,
    "videos": _parse_videos,
    "search": _parse_search,
    "playlist_items": _parse_playlist_items,
    "initial_data": _parse_initial_data,
}


# ---------------------------------------------------------------------------- saved bodies

_SAVED_KINDS = {
    "youtube#channelListResponse": "channels",
    "youtube#videoListResponse": "videos",
}
_NO_RECORDS = {
    "youtube#searchListResponse": "search.list",
    "youtube#playlistItemListResponse": "playlistItems.list",
}


def _saved_kind(data: Any) -> str | None:
    """channels.list or videos.list, by ``kind`` or, without it, by the items' fields; a
    Google error body goes to the channels parser, which reports its message."""
    if not isinstance(data, dict):
        return None
    kind = as_str(data.get("kind"))
    if kind in _SAVED_KINDS:
        return _SAVED_KINDS[kind]
    if dig(data, "metadata", "channelMetadataRenderer") or dig(data, "header", "pageHeaderRenderer") \
            or dig(data, "header", "c4TabbedHeaderRenderer"):
        return "initial_data"
    items = data.get("items")
    if isinstance(items, list) and items and isinstance(items[0], dict):
        first = items[0]
        if first.get("kind") == "youtube#channel":
            return "channels"
        if first.get("kind") == "youtube#video" or (
                dig(first, "snippet", "channelId") and "statistics" in first):
            return "videos"
        if isinstance(dig(first, "statistics", "subscriberCount"), str):
            return "channels"
    return None


def parse_saved(body: str, source: str = "saved file") -> ParseResult:
    """A saved body recognised by its content: channels.list or videos.list JSON, a channel
    page (HTML with ytInitialData, or the consent/sign-in wall served instead), ytInitialData
    saved alone, or a channel's Atom feed."""
    text = body or ""
    if feed.looks_like_feed(text):
        parsed = feed.parse_feed(text)
        if isinstance(parsed, str):
            return ParseResult(errors=[error_for(RawResponse(PLATFORM, "saved", "", source, 200, text), parsed)])
        return parsed
    if page.looks_like_channel_page(text):
        return parse(RawResponse(PLATFORM, "channel_page", "", source, 200, text))
    if page.looks_like_html(text):
        raw = RawResponse(PLATFORM, "saved", "", source, 200, text)
        why = f"not a {SAVED_EXPECTED} (an HTML page that is not YouTube's)"
        return ParseResult(errors=[error_for(raw, why)], unrecognised=True)
    data, reason = decode_json(text)
    if reason is None:
        message, reasons = api_error(data)
        if message or reasons:
            raw = RawResponse(PLATFORM, "saved", "", source, 200, text)
            why = f"a YouTube API error, not data: {message or ', '.join(reasons)}"
            return ParseResult(errors=[error_for(raw, why)])
        kind = as_str(data.get("kind")) if isinstance(data, dict) else None
        if kind in _NO_RECORDS:
            raw = RawResponse(PLATFORM, "saved", "", source, 200, text)
            why = (f"a YouTube {_NO_RECORDS[kind]} answer holds ids but no counts; not a "
                   f"{SAVED_EXPECTED}")
            return ParseResult(errors=[error_for(raw, why)])
    return parse_saved_json(text, platform=PLATFORM, detect=_saved_kind, parse=parse,
                            source=source, expected=SAVED_EXPECTED)
