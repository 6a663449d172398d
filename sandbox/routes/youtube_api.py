"""YouTube's Data API v3 in the sandbox: ``channels``, ``playlistItems``, ``videos`` and
``search`` list calls, offline.

A required ``key`` (any non-empty one), ``part`` checked against each method's parts,
``nextPageToken`` paging, Google's error bodies, and quota units (1, search 100) counted on
the sandbox's ``YouTubeState``; videos have comments off on a few of them.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from ..model import SandboxCreator, SandboxPost
from .common import first
from .youtube_channels import (
    Channel,
    YouTubeState,
    avatar_url,
    b64,
    digest,
    frac,
    iso,
    three_figures,
    title_and_description,
)

COSTS = {"channels": 1, "playlistItems": 1, "videos": 1, "search": 100}
COMMENTS_OFF_SHARE = 0.04
_PAGE_TOKEN = re.compile(r"^EAAa([A-Za-z0-9_-]+)$")


# --------------------------------------------------------------------------------------------
# The resources
# --------------------------------------------------------------------------------------------

class _Resources:
    """The Data API's resources (channel, video, playlist item, search result) as JSON."""

    def __init__(self, st: YouTubeState, base: str):
        self.st = st
        self.base = base

    def thumbnails(self, ch: Channel) -> dict:
        url = avatar_url(self.base, ch)
        return {"default": {"url": url, "width": 88, "height": 88},
                "medium": {"url": url, "width": 240, "height": 240},
                "high": {"url": url, "width": 800, "height": 800}}

    def channel(self, ch: Channel, parts: set[str]) -> dict:
        c = ch.creator
        out: dict[str, Any] = {"kind": "youtube#channel", "etag": b64(digest("etag", ch.channel_id))[:27],
                               "id": ch.channel_id}
        if "snippet" in parts:
            out["snippet"] = {
                "title": c.display_name, "description": c.bio, "customUrl": "@" + ch.handle,
                "publishedAt": iso(c.created_at), "thumbnails": self.thumbnails(ch),
                "localized": {"title": c.display_name, "description": c.bio},
            }
        if "contentDetails" in parts:
            out["contentDetails"] = {"relatedPlaylists": {"likes": "", "uploads": ch.uploads}}
        if "statistics" in parts:
            videos = self.st.videos(ch)
            views = sum(self.views(ch, i, p) for i, p in enumerate(videos))
            stats: dict[str, Any] = {"viewCount": str(views)}
            if not ch.hidden_subscribers:
                stats["subscriberCount"] = str(three_figures(ch.subscribers))
            stats["hiddenSubscriberCount"] = ch.hidden_subscribers
            stats["videoCount"] = str(c.posts_count)
            out["statistics"] = stats
        return out

    def views(self, ch: Channel, position: int, p: SandboxPost) -> int:
        ratio = 5 + 25 * frac(self.st.universe.seed, "views", ch.channel_id, position)
        return max(int(p.likes * ratio), p.likes + p.replies, 1)

    def video(self, ch: Channel, position: int, p: SandboxPost, parts: set[str]) -> dict:
        vid = self.st.video_id(ch, position)
        out: dict[str, Any] = {"kind": "youtube#video", "etag": b64(digest("etag", vid))[:27],
                               "id": vid}
        if "snippet" in parts:
            title, description = title_and_description(p.text)
            out["snippet"] = {
                "publishedAt": iso(p.created_at), "channelId": ch.channel_id, "title": title,
                "description": description,
                "thumbnails": {size: {"url": f"{self.base}/img/yt/vi/{p.creative or vid}/{size}.jpg",
                                      "width": w, "height": h}
                               for size, w, h in (("default", 120, 90), ("medium", 320, 180),
                                                  ("high", 480, 360))},
                "channelTitle": ch.creator.display_name, "tags": list(p.tags),
                "categoryId": "22", "liveBroadcastContent": "none",
                "defaultAudioLanguage": p.language,
                "localized": {"title": title, "description": description},
            }
        if "statistics" in parts:
            stats: dict[str, Any] = {"viewCount": str(self.views(ch, position, p))}
            if not ch.hidden_likes:
                stats["likeCount"] = str(p.likes)
            stats["favoriteCount"] = "0"
            if frac(self.st.universe.seed, "comments", vid) >= COMMENTS_OFF_SHARE:
                stats["commentCount"] = str(p.replies)
            out["statistics"] = stats
        if "paidProductPlacementDetails" in parts:
            out["paidProductPlacementDetails"] = {"hasPaidProductPlacement": p.is_sponsored}
        return out

    def playlist_item(self, ch: Channel, position: int, p: SandboxPost, parts: set[str]) -> dict:
        vid = self.st.video_id(ch, position)
        item_id = base64.b64encode(f"{ch.uploads}.{digest(vid, size=8).hex().upper()}"
                                   .encode()).decode()
        out: dict[str, Any] = {"kind": "youtube#playlistItem",
                               "etag": b64(digest("etag", item_id))[:27], "id": item_id}
        if "snippet" in parts:
            title, description = title_and_description(p.text)
            out["snippet"] = {
                "publishedAt": iso(p.created_at), "channelId": ch.channel_id, "title": title,
                "description": description, "channelTitle": ch.creator.display_name,
                "playlistId": ch.uploads, "position": position,
                "resourceId": {"kind": "youtube#video", "videoId": vid},
                "videoOwnerChannelTitle": ch.creator.display_name,
                "videoOwnerChannelId": ch.channel_id,
            }
        if "contentDetails" in parts:
            out["contentDetails"] = {"videoId": vid, "videoPublishedAt": iso(p.created_at)}
        if "status" in parts:
            out["status"] = {"privacyStatus": "public"}
        return out

    def search_result(self, ch: Channel) -> dict:
        c = ch.creator
        return {
            "kind": "youtube#searchResult", "etag": b64(digest("s", ch.channel_id))[:27],
            "id": {"kind": "youtube#channel", "channelId": ch.channel_id},
            "snippet": {"publishedAt": iso(c.created_at), "channelId": ch.channel_id,
                        "title": c.display_name, "description": c.bio[:160],
                        "thumbnails": {k: {"url": v["url"]} for k, v in self.thumbnails(ch).items()},
                        "channelTitle": c.display_name, "liveBroadcastContent": "none",
                        "publishTime": iso(c.created_at)},
        }


# --------------------------------------------------------------------------------------------
# Errors, parameters and paging
# --------------------------------------------------------------------------------------------

class YouTubeApiError(Exception):
    """An error answer: its HTTP code and Google's error body."""

    def __init__(self, code: int, message: str, reason: str, *, domain: str = "youtube.parameter",
                 status: str | None = None, details: list[dict] | None = None):
        super().__init__(message)
        error: dict[str, Any] = {"code": code, "message": message,
                                 "errors": [{"message": message, "domain": domain,
                                             "reason": reason}]}
        if status:
            error["status"] = status
        if details:
            error["details"] = details
        self.code = code
        self.body = {"error": error}


def _missing_key() -> YouTubeApiError:
    return YouTubeApiError(
        403, "Method doesn't allow unregistered callers (callers without established "
        "identity). Please use API Key or other form of API consumer identity to call this API.",
        "forbidden", domain="global", status="PERMISSION_DENIED")


def _invalid_key() -> YouTubeApiError:
    return YouTubeApiError(
        400, "API key not valid. Please pass a valid API key.", "badRequest", domain="global",
        status="INVALID_ARGUMENT",
        details=[{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                  "reason": "API_KEY_INVALID", "domain": "googleapis.com",
                  "metadata": {"service": "youtube.googleapis.com"}}])


def _quota_exceeded() -> YouTubeApiError:
    return YouTubeApiError(
        403, 'The request cannot be completed because you have exceeded your '
        '<a href="/youtube/v3/getting-started#quota">quota</a>.', "quotaExceeded",
        domain="youtube.quota")


def _parts(params: dict, allowed: set[str]) -> set[str]:
    raw = first(params, "part")
    if not raw:
        raise YouTubeApiError(400, "No filter selected. Expected one of: part",
                              "missingRequiredParameter")
    parts = {p.strip() for p in raw.split(",") if p.strip()}
    unknown = parts - allowed
    if unknown:
        raise YouTubeApiError(400, f"'{min(unknown)}'", "unknownPart")
    return parts


def _max_results(params: dict, default: int = 5) -> int:
    raw = first(params, "maxResults")
    if raw in (None, ""):
        return default
    if not raw.isdigit() or not 0 <= int(raw) <= 50:
        raise YouTubeApiError(400, f"Invalid value '{raw}'. Values must be within the range: "
                              "[0, 50]", "invalidParameter")
    return int(raw)


def _offset(params: dict) -> int:
    token = first(params, "pageToken")
    if not token:
        return 0
    match = _PAGE_TOKEN.match(token)
    try:
        decoded = base64.urlsafe_b64decode(match.group(1) + "==").decode() if match else ""
    except (ValueError, UnicodeDecodeError):
        decoded = ""
    if not decoded.startswith("PT:") or not decoded[3:].isdigit():
        raise YouTubeApiError(400, "The request specifies an invalid page token.",
                              "invalidPageToken")
    return int(decoded[3:])


def _page_token(offset: int) -> str:
    return "EAAa" + b64(f"PT:{offset}".encode())


def _list(kind: str, items: list[dict], total: int, per_page: int, next_offset: int | None,
          prev_offset: int | None = None, **extra: Any) -> dict:
    out: dict[str, Any] = {"kind": kind, "etag": b64(digest(kind, total, next_offset))[:27]}
    if next_offset is not None:
        out["nextPageToken"] = _page_token(next_offset)
    if prev_offset is not None:
        out["prevPageToken"] = _page_token(prev_offset)
    out.update(extra)
    out["pageInfo"] = {"totalResults": total, "resultsPerPage": per_page}
    if items:
        out["items"] = items
    return out


def _paged(items: list, params: dict) -> tuple[list, int, int | None, int | None, int]:
    per_page = _max_results(params)
    offset = _offset(params)
    page = items[offset:offset + per_page]
    nxt = offset + per_page if offset + per_page < len(items) else None
    prev = max(0, offset - per_page) if offset > 0 else None
    return page, offset, nxt, prev, per_page


def api(st: YouTubeState, base: str, method: str, params: dict) -> tuple[int, dict]:
    """(status, JSON body) for one Data API call; the key and the quota are checked first."""
    if method not in COSTS:
        raise YouTubeApiError(404, "Not Found", "notFound", domain="global")
    key = first(params, "key")
    if key is None:
        raise _missing_key()
    if not key.strip():
        raise _invalid_key()
    cost = COSTS[method]
    with st._lock:
        if st.daily_quota is not None and sum(st.units.values()) + cost > st.daily_quota:
            raise _quota_exceeded()
        st.units[method] += cost
    r = _Resources(st, base)
    return 200, _METHODS[method](st, r, params)


def _channels(st: YouTubeState, r: _Resources, params: dict) -> dict:
    parts = _parts(params, {"snippet", "statistics", "contentDetails", "id", "status",
                            "brandingSettings", "topicDetails", "localizations"})
    ids, handle = first(params, "id"), first(params, "forHandle")
    if ids is None and handle is None and first(params, "forUsername") is None:
        raise YouTubeApiError(400, "No filter selected. Expected one of: forUsername, "
                              "managedByMe, categoryId, mine, mySubscribers, forHandle, id, "
                              "idParam, hl", "missingRequiredParameter")
    if ids is not None:
        wanted = [i.strip() for i in ids.split(",") if i.strip()]
        if len(wanted) > 50:
            raise YouTubeApiError(400, "The request specifies an invalid filter parameter.",
                                  "invalidFilters")
        found = [ch for i in dict.fromkeys(wanted) if (ch := st.by_id(i))]
    else:
        ch = st.by_handle(handle or first(params, "forUsername") or "")
        found = [ch] if ch else []
    items = [r.channel(ch, parts) for ch in found]
    return _list("youtube#channelListResponse", items, len(items), 5, None)


def _playlist_items(st: YouTubeState, r: _Resources, params: dict) -> dict:
    parts = _parts(params, {"snippet", "contentDetails", "id", "status"})
    playlist = first(params, "playlistId") or ""
    if not playlist:
        raise YouTubeApiError(400, "No filter selected. Expected one of: playlistId, id",
                              "missingRequiredParameter")
    ch = st.by_uploads(playlist)
    if ch is None:
        raise YouTubeApiError(404, "The playlist identified with the request's <code>playlistId"
                              "</code> parameter cannot be found.", "playlistNotFound",
                              domain="youtube.playlistItem")
    videos = list(enumerate(st.videos(ch)))
    page, _, nxt, prev, per_page = _paged(videos, params)
    items = [r.playlist_item(ch, i, p, parts) for i, p in page]
    return _list("youtube#playlistItemListResponse", items, len(videos), per_page, nxt, prev)


def _videos(st: YouTubeState, r: _Resources, params: dict) -> dict:
    parts = _parts(params, {"snippet", "statistics", "contentDetails", "id", "status",
                            "paidProductPlacementDetails", "topicDetails", "player"})
    ids = first(params, "id")
    if not ids:
        raise YouTubeApiError(400, "No filter selected. Expected one of: chart, id, myRating",
                              "missingRequiredParameter")
    wanted = [i.strip() for i in ids.split(",") if i.strip()]
    if len(wanted) > 50:
        raise YouTubeApiError(400, "The request specifies an invalid filter parameter.",
                              "invalidFilters")
    items = []
    for vid in dict.fromkeys(wanted):
        hit = st.video(vid)
        if hit is not None:
            items.append(r.video(*hit, parts))
    return _list("youtube#videoListResponse", items, len(items), len(items), None)


def _search(st: YouTubeState, r: _Resources, params: dict) -> dict:
    _parts(params, {"snippet", "id"})
    kinds = {t.strip() for t in (first(params, "type") or "video,channel,playlist").split(",")}
    q = (first(params, "q") or "").strip()
    found: list[SandboxCreator] = []
    if "channel" in kinds:
        u = st.universe
        hits = (u.search("bluesky", q) + u.search("mastodon", q)) if q else list(u.creators)
        found = sorted(hits, key=lambda c: (-c.followers, c.index))
    page, _, nxt, prev, per_page = _paged(found, params)
    items = [r.search_result(st.of(c)) for c in page]
    return _list("youtube#searchListResponse", items, min(len(found), 1_000_000), per_page,
                 nxt, prev, regionCode="US")


_METHODS = {"channels": _channels, "playlistItems": _playlist_items, "videos": _videos,
            "search": _search}
