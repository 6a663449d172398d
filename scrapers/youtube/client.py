"""YouTube fetching: the Data API v3 with a key, public channel pages without one.

With a key (``api_key=``, ``SCOUT_YOUTUBE_API_KEY`` or the Prefect Secret block
``scout-youtube-api-key``): channels.list (50 ids per call, or one
``forHandle`` per handle), then each channel's uploads playlist (playlistItems.list) and the
videos' statistics (videos.list, 50 ids per call, batched across channels). Every call is
booked on a QuotaMeter first, so a run stops with QuotaExhausted *before* the daily budget is
spent. The key travels in the ``X-goog-api-key`` header, never in a URL (HttpClient also redacts
it from stored URLs and messages); nothing here logs or stores it.

Without a key: ``{web}/@handle`` pages, robots.txt checked (``html=True``), profiles only:
channel pages carry no per-video likes or comments. ``/feeds/videos.xml`` is never fetched
(YouTube's robots.txt disallows it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from core.records import Found, RawResponse
from core.settings import Settings
from scrapers.errors import InvalidInput, QuotaExhausted
from scrapers.paginators import cursor_paginator
from scrapers.platform import no_follower_lists
from scrapers.settings import current, optional_credential, secret_block_name
from scrapers.text import decode_json
from scrapers.validate import validate_base_url
from scrapers.youtube.handles import validate_handle
from scrapers.youtube.parse import (
    CHANNEL_ID,
    api_error,
    channel_uploads,
    playlist_video_ids,
    search_channel_ids,
)
from scrapers.youtube.quota import QuotaMeter, default_meter

log = logging.getLogger(__name__)

PLATFORM = "youtube"
API_KEY_ENV = "SCOUT_YOUTUBE_API_KEY"
YOUTUBE_WEB_URL = "https://www.youtube.com"  # channel pages (key-less mode)
API_PATH = "/youtube/v3"  # where the Data API lives on its host (googleapis.com or a twin)
CHANNEL_PARTS = "snippet,statistics,contentDetails"
VIDEO_PARTS = "snippet,statistics"
BATCH = 50  # ids per channels.list / videos.list call; maxResults cap of every list call
# search.list stops near 500 results anyway, and a page costs 100 units: at most 10 pages.
# Subscriptions of a channel are private to its owner (subscriptions.list?mySubscribers needs OAuth).
sample_followers = no_follower_lists(PLATFORM, "YouTube's Data API lists no subscribers of a channel")
SEARCH_PAGES = cursor_paginator(lambda raw: search_channel_ids(raw)[1], max_pages=10)
UPLOAD_PAGES = cursor_paginator(lambda raw: playlist_video_ids(raw)[1])
# Reasons (errors[].reason, details[].reason) that every later call would repeat.
QUOTA_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded"})
KEY_REASONS = frozenset({"keyInvalid", "API_KEY_INVALID", "keyExpired", "API_KEY_EXPIRED",
                         "accessNotConfigured", "SERVICE_DISABLED", "ipRefererBlocked",
                         "API_KEY_SERVICE_BLOCKED"})
# A missing key is a plain 403 "forbidden"; only its message tells it apart.
KEY_MESSAGES = ("unregistered callers", "api key")
NO_SEARCH_WITHOUT_KEY = (
    f"YouTube search needs an API key; pass --handle, or set {API_KEY_ENV} or save a Prefect "
    f"Secret block named {secret_block_name(API_KEY_ENV)!r}"
)
NO_HASHTAGS = (
    "YouTube has no hashtag search for channels; use --query (with an API key) or --handle"
)
_warned_keyless = False


def api_key_from(api_key: str | None = None) -> str | None:
    """The key passed in, else ``SCOUT_YOUTUBE_API_KEY`` or its Secret block; None: key-less."""
    return (api_key or "").strip() or optional_credential(API_KEY_ENV)


def api_url(base_url: str) -> str:
    """The Data API root: ``base_url`` as given when it has a path, else ``<origin>/youtube/v3``
    (Google's layout), so ``--base-url http://127.0.0.1:PORT`` reaches a sandbox."""
    base = validate_base_url(base_url)
    return base if urlsplit(base).path else base + API_PATH


def web_url(base_url: str, web: str | None = None, config: Settings | None = None) -> str:
    """Where channel pages live: ``web``, else ``SCOUT_YOUTUBE_WEB_URL``, else youtube.com for
    Google's API host, else the API's own origin (a twin such as the sandbox serves both)."""
    chosen = web or current(config).youtube_web_url
    if chosen:
        return validate_base_url(chosen)
    parts = urlsplit(validate_base_url(base_url))
    if (parts.hostname or "").endswith("googleapis.com"):
        return YOUTUBE_WEB_URL
    return f"{parts.scheme}://{parts.netloc}"


def is_channel_id(ref: str) -> bool:
    return bool(CHANNEL_ID.match(ref))


@dataclass
class _Api:
    """One run's Data API access: every call is booked on the meter before it is made."""

    http: Any
    root: str
    key: str
    meter: QuotaMeter

    def call(self, method: str, params: dict[str, Any], *, kind: str, key: str) -> RawResponse:
        self.meter.charge(method)
        raw: RawResponse = self.http.get(
            f"{self.root}/{method}", params=params, headers={"X-goog-api-key": self.key}, kind=kind,
            request_key=key,
        )
        if raw.status in (400, 401, 403, 429):
            self._stop_on_fatal(raw)
        return raw

    def _stop_on_fatal(self, raw: RawResponse) -> None:
        """Errors every later call would repeat end the run with a clear message."""
        data, _ = decode_json(raw.body)
        message, reasons = api_error(data)
        message = message or f"HTTP {raw.status}"
        if QUOTA_REASONS & set(reasons):
            raise QuotaExhausted(
                f"YouTube answered {', '.join(reasons)}: {message} (this process had booked "
                f"{self.meter.used} of {self.meter.daily_units} units today); resume tomorrow",
                used=self.meter.used, budget=self.meter.daily_units,
            )
        if KEY_REASONS & set(reasons) or any(m in message.lower() for m in KEY_MESSAGES):
            raise InvalidInput(
                f"YouTube refused the API key: {message}; check {API_KEY_ENV} "
                "(a Data API v3 key of a project with the API enabled)"
            )


def discover(http: Any, base_url: str, *, queries: list[str], hashtags: list[str],
             handles: list[str], limit: int, api_key: str | None = None,
             quota: QuotaMeter | None = None) -> list[Found]:
    """Refs: handles as "@handle" (always included, even past ``limit``; a channel id given
    as a handle stays an id), then channel ids from search.list (needs a key; 100 units a page).

    Everything is checked before the first request: hashtags are refused (YouTube has no
    channel search by hashtag), and queries without a key too.
    """
    preflight(base_url, queries=queries, hashtags=hashtags, handles=handles, api_key=api_key)
    terms = [q.strip() for q in queries if q and q.strip()]
    key = api_key_from(api_key)
    root = api_url(base_url)
    refs: list[Found] = []
    seen: set[str] = set()
    for handle in handles:
        cleaned = validate_handle(handle)
        _add(refs, seen, Found(cleaned if is_channel_id(cleaned) else "@" + cleaned, "handle", cleaned))
    if not terms or key is None:
        return refs
    api = _Api(http, root, key, quota or default_meter())
    for index, term in enumerate(terms):
        left = limit - len(refs)
        if left <= 0:
            break
        share = -(-left // (len(terms) - index))  # ceil: a fair part of what is left
        for channel_id in _search(api, term, share, seen):
            _add(refs, seen, Found(channel_id, "query", term))
    return refs


def preflight(
    base_url: str, *, queries: list[str], hashtags: list[str], handles: list[str],
    api_key: str | None = None,
) -> None:
    """Checked before any flow starts: no hashtags, a well-formed key if one is set, and
    queries only with a key."""
    if any(t and t.strip().lstrip("#") for t in hashtags):
        raise InvalidInput(NO_HASHTAGS)
    key = api_key_from(api_key)
    if any(q and q.strip() for q in queries) and not key:
        raise InvalidInput(NO_SEARCH_WITHOUT_KEY)
    for handle in handles:
        validate_handle(handle)
    default_meter()  # SCOUT_YOUTUBE_DAILY_QUOTA / _SEARCH_QUOTA checked before any run


def _search(api: _Api, term: str, wanted: int, seen: set[str]) -> list[str]:
    found: list[str] = []

    def request(token: str | None) -> RawResponse:
        params: dict[str, Any] = {"part": "snippet", "type": "channel", "q": term,
                                  "maxResults": min(BATCH, max(wanted - len(found), 1))}
        if token:
            params["pageToken"] = token
        return api.call("search", params, kind="search", key=term)

    for raw in SEARCH_PAGES.pages(request):
        if raw.status >= 400:
            break
        ids, token = search_channel_ids(raw)
        for channel_id in ids:
            if channel_id.lower() not in seen and channel_id not in found:
                found.append(channel_id)
                if len(found) >= wanted:
                    return found
        if not ids or not token:
            break
    return found


def fetch_creators(
    http: Any,
    base_url: str,
    refs: list[str],
    *,
    posts_per_creator: int,
    api_key: str | None = None,
    quota: QuotaMeter | None = None,
    web: str | None = None,
) -> None:
    """Profiles (and, with a key, recent videos) for refs: "@handle"s and UC… channel ids."""
    wanted = list(dict.fromkeys(r.strip() for r in refs if r and r.strip()))
    key = api_key_from(api_key)
    if key is None:
        _fetch_pages(http, web_url(base_url, web), wanted, posts_per_creator)
        return
    api = _Api(http, api_url(base_url), key, quota or default_meter())
    channels: list[tuple[str, str | None, int | None]] = []
    ids = [r for r in wanted if is_channel_id(r)]
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        raw = api.call("channels", {"part": CHANNEL_PARTS, "id": ",".join(batch)},
                       kind="channels", key=",".join(batch))
        channels += channel_uploads(raw)
    for ref in (r for r in wanted if not is_channel_id(r)):
        handle = "@" + ref.lstrip("@")
        raw = api.call("channels", {"part": CHANNEL_PARTS, "forHandle": handle},
                       kind="channels", key=handle)
        channels += channel_uploads(raw)
    if posts_per_creator <= 0:
        return
    videos: list[str] = []
    for channel_id, uploads, count in dict.fromkeys(channels):
        if uploads and count != 0:
            videos += _recent_uploads(api, channel_id, uploads, posts_per_creator)
    videos = list(dict.fromkeys(videos))
    for start in range(0, len(videos), BATCH):
        batch = videos[start:start + BATCH]
        api.call("videos", {"part": VIDEO_PARTS, "id": ",".join(batch)},
                 kind="videos", key=",".join(batch))


def _recent_uploads(api: _Api, channel_id: str, uploads: str, wanted: int) -> list[str]:
    """The newest ``wanted`` video ids of an uploads playlist, following nextPageToken."""
    got: list[str] = []

    def request(token: str | None) -> RawResponse:
        params: dict[str, Any] = {"part": "contentDetails", "playlistId": uploads,
                                  "maxResults": min(BATCH, wanted - len(got))}
        if token:
            params["pageToken"] = token
        return api.call("playlistItems", params, kind="playlist_items", key=channel_id)

    for raw in UPLOAD_PAGES.pages(request):
        if raw.status >= 400:
            break
        ids, token = playlist_video_ids(raw)
        got += ids[: wanted - len(got)]
        if not ids or not token or len(got) >= wanted:
            break
    return got


def _fetch_pages(http: Any, web: str, refs: list[str], posts_per_creator: int) -> None:
    """Key-less mode: one public channel page per ref (robots.txt checked by HttpClient)."""
    global _warned_keyless
    if posts_per_creator > 0 and refs and not _warned_keyless:
        _warned_keyless = True
        log.warning("YouTube without an API key: channel pages give profiles only (no "
                    "per-video likes, comments or views); set %s for posts and engagement",
                    API_KEY_ENV)
    for ref in refs:
        if is_channel_id(ref):
            path = "/channel/" + ref
        else:
            path = "/@" + quote(ref.lstrip("@"), safe="._-")
        http.get(web + path, kind="channel_page", request_key=ref, html=True)


def _add(refs: list[Found], seen: set[str], ref: Found) -> None:
    if ref.lower() not in seen:
        seen.add(ref.lower())
        refs.append(ref)
