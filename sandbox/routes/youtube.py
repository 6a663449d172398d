"""YouTube in the sandbox: the Data API v3 list calls and public channel pages, offline.

Every universe creator (they live on Bluesky or Mastodon) is *also* a YouTube channel, derived
deterministically from it: a ``UC`` + 22-character id from a hash, ``customUrl`` ``@`` + the
first label of its handle (a number appended on a clash), ``subscriberCount`` = followers
rounded down to three significant figures as Google does (hidden for about 8% of channels),
an uploads playlist ``UU…`` of its own posts (no reposts on YouTube) as videos with views 5-30x
likes, likes hidden on some channels and comments off on some videos.

Paths (under the sandbox's base URL, which stands for both googleapis.com and youtube.com):
``/youtube/v3/{channels,playlistItems,videos,search}`` with a required ``key`` (any non-empty
one), ``nextPageToken`` paging, Google's error bodies and quota units (1, search 100) counted
in the server's stats; ``/@handle`` and ``/channel/UC…`` HTML pages embedding
``var ytInitialData = {...};`` (the 2024 ``pageHeaderRenderer`` layout for most channels, the
older ``c4TabbedHeaderRenderer`` for about a quarter); ``/feeds/videos.xml`` (robots.txt
disallows it, as on YouTube, so scrapers never ask).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .. import faults as faultlib
from ..model import SandboxCreator, SandboxPost
from ..universe import Universe

if TYPE_CHECKING:  # the handler lives in server.py, which imports this module
    from ..server import SandboxServer

API_PREFIX = "/youtube/v3/"
COSTS = {"channels": 1, "playlistItems": 1, "videos": 1, "search": 100}
HIDDEN_SUBSCRIBERS_SHARE = 0.08
HIDDEN_LIKES_SHARE = 0.06
COMMENTS_OFF_SHARE = 0.04
C4_LAYOUT_SHARE = 0.25
WEB = "https://www.youtube.com"  # what YouTube prints in its own metadata
JSON_TYPE = "application/json; charset=UTF-8"
HTML_TYPE = "text/html; charset=utf-8"
_PAGE_TOKEN = re.compile(r"^EAAa([A-Za-z0-9_-]+)$")


def handles(path: str) -> bool:
    """Whether a request path is YouTube's (the server's dispatch asks before the others)."""
    return path.startswith((API_PREFIX, "/@", "/channel/", "/feeds/"))


# --------------------------------------------------------------------------------------------
# The derived channels
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Channel:
    creator: SandboxCreator
    channel_id: str
    handle: str  # without the @
    hidden_subscribers: bool
    hidden_likes: bool
    c4_layout: bool

    @property
    def uploads(self) -> str:
        return "UU" + self.channel_id[2:]


def _digest(*parts: object, size: int = 16) -> bytes:
    return hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=size).digest()


def _frac(*parts: object) -> float:
    return int.from_bytes(_digest(*parts, size=4), "big") / 2**32


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


class YouTubeState:
    """The channels of one universe (built on first use), the units served, an optional
    daily quota (``daily_quota``: past it, 403 quotaExceeded as Google answers)."""

    def __init__(self, universe: Universe):
        self.universe = universe
        self.daily_quota: int | None = None
        self.units: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._channels: list[Channel] | None = None
        self._by_id: dict[str, Channel] = {}
        self._by_handle: dict[str, Channel] = {}

    def channels(self) -> list[Channel]:
        with self._lock:
            if self._channels is None:
                self._build()
            return self._channels  # type: ignore[return-value]

    def _build(self) -> None:
        seed = self.universe.seed
        taken: set[str] = set()
        out: list[Channel] = []
        for c in self.universe.creators:
            channel_id = "UC" + _b64(_digest(seed, "yt", c.platform, c.creator_id))[:22]
            base = re.sub(r"[^a-z0-9._-]", "", c.handle.split(".")[0].lower())[:27] or "channel"
            base = base if len(base) >= 3 else base + "tv"
            handle, n = base, 1
            while handle in taken:
                n += 1
                handle = f"{base}{n}"
            taken.add(handle)
            out.append(Channel(
                c, channel_id, handle,
                hidden_subscribers=_frac(seed, "hidden", channel_id) < HIDDEN_SUBSCRIBERS_SHARE,
                hidden_likes=_frac(seed, "likes", channel_id) < HIDDEN_LIKES_SHARE,
                c4_layout=_frac(seed, "layout", channel_id) < C4_LAYOUT_SHARE,
            ))
        self._channels = out
        self._by_id = {ch.channel_id: ch for ch in out}
        self._by_handle = {ch.handle: ch for ch in out}

    def by_id(self, channel_id: str) -> Channel | None:
        self.channels()
        return self._by_id.get(channel_id)

    def by_handle(self, handle: str) -> Channel | None:
        self.channels()
        return self._by_handle.get(handle.strip().lstrip("@").lower())

    def by_uploads(self, playlist_id: str) -> Channel | None:
        if not playlist_id.startswith("UU"):
            return None
        return self.by_id("UC" + playlist_id[2:])

    def of(self, creator: SandboxCreator) -> Channel:
        return self.channels()[creator.index]

    # ---- videos: ids encode (creator index, position), so any id resolves without a table
    def videos(self, ch: Channel) -> list[SandboxPost]:
        return self.universe.own_posts(ch.creator)

    def video_id(self, ch: Channel, position: int) -> str:
        seed, index = self.universe.seed, ch.creator.index
        check = _digest(seed, "v", index, position, size=4)
        mask = int.from_bytes(_digest(seed, "m", check.hex(), size=4), "big")
        payload = ((index << 8) | position) ^ mask
        return _b64(check + payload.to_bytes(4, "big"))

    def video(self, video_id: str) -> tuple[Channel, int, SandboxPost] | None:
        """(channel, position in its uploads, post) for a video id this universe issued."""
        if not re.fullmatch(r"[A-Za-z0-9_-]{11}", video_id):
            return None
        raw = base64.urlsafe_b64decode(video_id + "=")
        check, payload = raw[:4], int.from_bytes(raw[4:], "big")
        mask = int.from_bytes(_digest(self.universe.seed, "m", check.hex(), size=4), "big")
        index, position = (payload ^ mask) >> 8, (payload ^ mask) & 0xFF
        if index >= len(self.universe.creators):
            return None
        ch = self.channels()[index]
        posts = self.videos(ch)
        if position >= len(posts) or self.video_id(ch, position) != video_id:
            return None
        return ch, position, posts[position]


_STATE_LOCK = threading.Lock()


def state(sandbox: SandboxServer) -> YouTubeState:
    """The YouTube state of one sandbox, kept on it (created on first use)."""
    with _STATE_LOCK:
        st = getattr(sandbox, "_youtube_state", None)
        if st is None or st.universe is not sandbox.universe:
            st = YouTubeState(sandbox.universe)
            sandbox._youtube_state = st
        return st


def units_served(sandbox: SandboxServer) -> dict[str, int]:
    """Quota units this sandbox has charged, per method and in total (for its stats)."""
    units = dict(state(sandbox).units)
    units["total"] = sum(units.values())
    return units


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------

def _iso(dt: datetime) -> str:
    """Google's timestamps: seconds and a Z, no fraction."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def three_figures(n: int) -> int:
    """Rounded down to three significant figures, as the Data API reports subscribers."""
    if n < 1000:
        return n
    factor = 10 ** (len(str(n)) - 3)
    return n // factor * factor


def abbreviated(n: int) -> str:
    """YouTube's short count: 987, 1.23K, 12.3K, 123K, 1.23M (rounded down)."""
    for size, suffix in ((10**9, "B"), (10**6, "M"), (10**3, "K")):
        if n >= size:
            value = three_figures(n) / size
            text = f"{value:.2f}".rstrip("0").rstrip(".") if value < 100 else f"{int(value)}"
            return text + suffix
    return str(n)


def _count_text(n: int, singular: str) -> str:
    if n == 0:
        return f"No {singular}s"
    return f"{abbreviated(n)} {singular}" + ("" if n == 1 else "s")


class _Render:
    def __init__(self, st: YouTubeState, base: str):
        self.st = st
        self.base = base

    def avatar(self, ch: Channel) -> str:
        return self.base + (ch.creator.avatar or "/img/yt/default-avatar.jpg")

    def thumbnails(self, ch: Channel) -> dict:
        url = self.avatar(ch)
        return {"default": {"url": url, "width": 88, "height": 88},
                "medium": {"url": url, "width": 240, "height": 240},
                "high": {"url": url, "width": 800, "height": 800}}

    def channel(self, ch: Channel, parts: set[str]) -> dict:
        c = ch.creator
        out: dict[str, Any] = {"kind": "youtube#channel", "etag": _b64(_digest("etag", ch.channel_id))[:27],
                               "id": ch.channel_id}
        if "snippet" in parts:
            out["snippet"] = {
                "title": c.display_name, "description": c.bio, "customUrl": "@" + ch.handle,
                "publishedAt": _iso(c.created_at), "thumbnails": self.thumbnails(ch),
                "localized": {"title": c.display_name, "description": c.bio},
            }
        if "contentDetails" in parts:
            out["contentDetails"] = {"relatedPlaylists": {"likes": "", "uploads": ch.uploads}}
        if "statistics" in parts:
            videos = self.st.videos(ch)
            views = sum(self.views(ch, i, p) for i, p in enumerate(videos))
            stats: dict[str, Any] = {"viewCount": str(views)}
            if not ch.hidden_subscribers:
                stats["subscriberCount"] = str(three_figures(c.followers))
            stats["hiddenSubscriberCount"] = ch.hidden_subscribers
            stats["videoCount"] = str(c.posts_count)
            out["statistics"] = stats
        return out

    def views(self, ch: Channel, position: int, p: SandboxPost) -> int:
        ratio = 5 + 25 * _frac(self.st.universe.seed, "views", ch.channel_id, position)
        return max(int(p.likes * ratio), p.likes + p.replies, 1)

    def video(self, ch: Channel, position: int, p: SandboxPost, parts: set[str]) -> dict:
        vid = self.st.video_id(ch, position)
        out: dict[str, Any] = {"kind": "youtube#video", "etag": _b64(_digest("etag", vid))[:27],
                               "id": vid}
        if "snippet" in parts:
            title, description = _title_and_description(p.text)
            out["snippet"] = {
                "publishedAt": _iso(p.created_at), "channelId": ch.channel_id, "title": title,
                "description": description,
                "thumbnails": {size: {"url": f"{self.base}/img/yt/vi/{vid}/{size}.jpg",
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
            if _frac(self.st.universe.seed, "comments", vid) >= COMMENTS_OFF_SHARE:
                stats["commentCount"] = str(p.replies)
            out["statistics"] = stats
        if "paidProductPlacementDetails" in parts:
            out["paidProductPlacementDetails"] = {"hasPaidProductPlacement": p.is_sponsored}
        return out

    def playlist_item(self, ch: Channel, position: int, p: SandboxPost, parts: set[str]) -> dict:
        vid = self.st.video_id(ch, position)
        item_id = base64.b64encode(f"{ch.uploads}.{_digest(vid, size=8).hex().upper()}"
                                   .encode()).decode()
        out: dict[str, Any] = {"kind": "youtube#playlistItem",
                               "etag": _b64(_digest("etag", item_id))[:27], "id": item_id}
        if "snippet" in parts:
            title, description = _title_and_description(p.text)
            out["snippet"] = {
                "publishedAt": _iso(p.created_at), "channelId": ch.channel_id, "title": title,
                "description": description, "channelTitle": ch.creator.display_name,
                "playlistId": ch.uploads, "position": position,
                "resourceId": {"kind": "youtube#video", "videoId": vid},
                "videoOwnerChannelTitle": ch.creator.display_name,
                "videoOwnerChannelId": ch.channel_id,
            }
        if "contentDetails" in parts:
            out["contentDetails"] = {"videoId": vid, "videoPublishedAt": _iso(p.created_at)}
        if "status" in parts:
            out["status"] = {"privacyStatus": "public"}
        return out

    def search_result(self, ch: Channel) -> dict:
        c = ch.creator
        return {
            "kind": "youtube#searchResult", "etag": _b64(_digest("s", ch.channel_id))[:27],
            "id": {"kind": "youtube#channel", "channelId": ch.channel_id},
            "snippet": {"publishedAt": _iso(c.created_at), "channelId": ch.channel_id,
                        "title": c.display_name, "description": c.bio[:160],
                        "thumbnails": {k: {"url": v["url"]} for k, v in self.thumbnails(ch).items()},
                        "channelTitle": c.display_name, "liveBroadcastContent": "none",
                        "publishTime": _iso(c.created_at)},
        }


def _title_and_description(text: str) -> tuple[str, str]:
    """A title (first line, at most 100 characters, cut at a word) and the rest."""
    first, _, rest = text.strip().partition("\n")
    if len(first) <= 100:
        return first, rest.strip()
    cut = first[:100].rsplit(" ", 1)[0] or first[:100]
    return cut, (first[len(cut):].strip() + ("\n" + rest if rest else "")).strip()


# --------------------------------------------------------------------------------------------
# The Data API
# --------------------------------------------------------------------------------------------

class YouTubeApiError(Exception):
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


def _first(params: dict, name: str) -> str | None:
    values = params.get(name)
    return values[0] if values else None


def _parts(params: dict, allowed: set[str]) -> set[str]:
    raw = _first(params, "part")
    if not raw:
        raise YouTubeApiError(400, "No filter selected. Expected one of: part",
                              "missingRequiredParameter")
    parts = {p.strip() for p in raw.split(",") if p.strip()}
    unknown = parts - allowed
    if unknown:
        raise YouTubeApiError(400, f"'{min(unknown)}'", "unknownPart")
    return parts


def _max_results(params: dict, default: int = 5) -> int:
    raw = _first(params, "maxResults")
    if raw in (None, ""):
        return default
    if not raw.isdigit() or not 0 <= int(raw) <= 50:
        raise YouTubeApiError(400, f"Invalid value '{raw}'. Values must be within the range: "
                              "[0, 50]", "invalidParameter")
    return int(raw)


def _offset(params: dict) -> int:
    token = _first(params, "pageToken")
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
    return "EAAa" + _b64(f"PT:{offset}".encode())


def _list(kind: str, items: list[dict], total: int, per_page: int, next_offset: int | None,
          prev_offset: int | None = None, **extra: Any) -> dict:
    out: dict[str, Any] = {"kind": kind, "etag": _b64(_digest(kind, total, next_offset))[:27]}
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
    key = _first(params, "key")
    if key is None:
        raise _missing_key()
    if not key.strip():
        raise _invalid_key()
    cost = COSTS[method]
    with st._lock:
        if st.daily_quota is not None and sum(st.units.values()) + cost > st.daily_quota:
            raise _quota_exceeded()
        st.units[method] += cost
    r = _Render(st, base)
    return 200, _METHODS[method](st, r, params)


def _channels(st: YouTubeState, r: _Render, params: dict) -> dict:
    parts = _parts(params, {"snippet", "statistics", "contentDetails", "id", "status",
                            "brandingSettings", "topicDetails", "localizations"})
    ids, handle = _first(params, "id"), _first(params, "forHandle")
    if ids is None and handle is None and _first(params, "forUsername") is None:
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
        ch = st.by_handle(handle or _first(params, "forUsername") or "")
        found = [ch] if ch else []
    items = [r.channel(ch, parts) for ch in found]
    return _list("youtube#channelListResponse", items, len(items), 5, None)


def _playlist_items(st: YouTubeState, r: _Render, params: dict) -> dict:
    parts = _parts(params, {"snippet", "contentDetails", "id", "status"})
    playlist = _first(params, "playlistId") or ""
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


def _videos(st: YouTubeState, r: _Render, params: dict) -> dict:
    parts = _parts(params, {"snippet", "statistics", "contentDetails", "id", "status",
                            "paidProductPlacementDetails", "topicDetails", "player"})
    ids = _first(params, "id")
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


def _search(st: YouTubeState, r: _Render, params: dict) -> dict:
    _parts(params, {"snippet", "id"})
    kinds = {t.strip() for t in (_first(params, "type") or "video,channel,playlist").split(",")}
    q = (_first(params, "q") or "").strip()
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


# --------------------------------------------------------------------------------------------
# Channel pages and the feed
# --------------------------------------------------------------------------------------------

def initial_data(st: YouTubeState, r: _Render, ch: Channel) -> dict:
    c = ch.creator
    avatar = r.avatar(ch)
    meta = {
        "title": c.display_name, "description": c.bio,
        "rssUrl": f"{WEB}/feeds/videos.xml?channel_id={ch.channel_id}",
        "externalId": ch.channel_id, "keywords": " ".join(c.niche.split()),
        "ownerUrls": [f"http://www.youtube.com/@{ch.handle}"],
        "avatar": {"thumbnails": [{"url": avatar, "width": 900, "height": 900}]},
        "channelUrl": f"{WEB}/channel/{ch.channel_id}", "isFamilySafe": True,
        "vanityChannelUrl": f"http://www.youtube.com/@{ch.handle}",
    }
    subscribers = None if ch.hidden_subscribers else _count_text(c.followers, "subscriber")
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


def channel_page(st: YouTubeState, r: _Render, ch: Channel, faults: Any = None) -> str:
    """The channel's HTML page; ``faults`` (the sandbox's injector) may drift it."""
    found = initial_data(st, r, ch)
    found = faults.drift_page(ch.handle, found) if faults is not None else found
    if isinstance(found, str):  # drifted into a page without ytInitialData
        return found
    data = json.dumps(found, ensure_ascii=False, separators=(",", ":"))
    data = data.replace("<", "\\u003c").replace(">", "\\u003e")
    name = html.escape(ch.creator.display_name)
    nonce = _b64(_digest("nonce", ch.channel_id, size=12))
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
    entries = []
    for i, p in enumerate(st.videos(ch)[:15]):
        vid = st.video_id(ch, i)
        title, _ = _title_and_description(p.text)
        entries.append(f"<entry><id>yt:video:{vid}</id><yt:videoId>{vid}</yt:videoId>"
                       f"<title>{html.escape(title)}</title><published>{_iso(p.created_at)}"
                       "</published></entry>")
    return ('<?xml version="1.0" encoding="UTF-8"?><feed xmlns:yt="http://www.youtube.com/xml/'
            'schemas/2015" xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{html.escape(ch.creator.display_name)}</title>{''.join(entries)}</feed>")


# --------------------------------------------------------------------------------------------
# Routing (called by the server's dispatch)
# --------------------------------------------------------------------------------------------

def route(handler: Any, path: str, params: dict) -> None:
    """Answer one YouTube request on ``handler`` (the server's request handler)."""
    sb = handler.sandbox
    st = state(sb)
    base = handler._base()
    if path.startswith(API_PREFIX):
        method = path[len(API_PREFIX):].strip("/")
        kind = f"youtube/v3/{method}"
    elif path.startswith("/feeds/"):
        kind = "feeds/videos.xml"
    else:
        kind = "channel_page"
    _, retry_after = handler._rate_limit("youtube")  # Google sends no rate-limit headers
    if retry_after is not None:
        sb._stats.record("youtube", kind, 429)
        body = YouTubeApiError(429, "Resource has been exhausted (e.g. check quota).",
                               "rateLimitExceeded", domain="global",
                               status="RESOURCE_EXHAUSTED").body
        return handler._send_json(429, body, [("Retry-After", str(retry_after))])
    if path.startswith(API_PREFIX):
        try:
            header_key = handler.headers.get("X-goog-api-key")  # Google accepts either
            status, obj = api(st, base, method, {**params, "key": [header_key]} if header_key else params)
        except YouTubeApiError as e:
            status, obj = e.code, e.body
        sb._stats.record("youtube", kind, status)
        if status == 200 and sb.faults is not None:
            obj = sb.faults.drift("youtube", path, params, obj)
        if isinstance(obj, str):  # a drifted answer that became an HTML page
            return handler._send(status, obj.encode("utf-8"), HTML_TYPE)
        body = json.dumps(obj, ensure_ascii=False, indent=2).encode("utf-8")
        return handler._send(status, body, JSON_TYPE)
    if path.startswith("/feeds/"):
        ch = st.by_id(_first(params, "channel_id") or "")
        status, text, ctype = ((200, feed(st, ch), "text/xml; charset=UTF-8") if ch
                               else (404, not_found_page(), HTML_TYPE))
        sb._stats.record("youtube", kind, status)
        return handler._send(status, text.encode("utf-8"), ctype)
    segment = path.strip("/").split("/")
    if segment[0] == "channel" and len(segment) > 1:
        ch = st.by_id(segment[1])
    else:
        ch = st.by_handle(segment[0][1:]) if segment[0].startswith("@") else None
    r = _Render(st, base)
    status, text = (200, channel_page(st, r, ch, sb.faults)) if ch else (404, not_found_page())
    sb._stats.record("youtube", kind, status)
    return handler._send(status, text.encode("utf-8"), HTML_TYPE)


# --------------------------------------------------------------------------------------------
# Drift hooks (sandbox/faults.py asks; see faults.DriftHooks)
# --------------------------------------------------------------------------------------------

def drift_handle(sandbox: SandboxServer, c: SandboxCreator) -> str:
    """Every creator is also a YouTube channel."""
    return state(sandbox).of(c).handle


def drift(f: Any, path: str, first: dict, obj: Any) -> Any:
    """channels.list and videos.list entries drift one by one, playlistItems as a whole."""
    st = state(f.sandbox)
    method = path.removeprefix(API_PREFIX).strip("/")

    def handle_of(channel_id: Any) -> str | None:
        ch = st.by_id(channel_id) if isinstance(channel_id, str) else None
        return ch and ch.handle

    if method == "channels":
        return faultlib.entries(f, obj, "items", "youtube", lambda e: handle_of(e.get("id")),
                                faultlib.PROFILE_KEYS["youtube"])
    if method == "videos":
        def owner(e: dict) -> str | None:
            hit = st.video(e.get("id", ""))
            return hit[0].handle if hit else None
        return faultlib.entries(f, obj, "items", "youtube", owner, faultlib.VIDEO_KEYS)
    if method == "playlistItems":
        ch = st.by_uploads(first.get("playlistId", ""))
        return faultlib.whole(f.drift_kind("youtube", ch and ch.handle), obj,
                              faultlib.PLAYLIST_KEYS)
    return obj
