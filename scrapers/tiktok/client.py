"""TikTok fetching through the Research API (approved researchers' client token only).

``POST /v2/research/user/info/`` gives a profile by username; ``POST /v2/research/video/query/``
gives videos by username within a date range of at most 30 days, paged with ``cursor`` and
``search_id``. The token travels in the ``Authorization`` header, never in a URL. Without a
token there is no fetching at all: saved profile pages come in through ``scout import``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from core.records import RawResponse, utcnow
from scrapers.errors import InvalidInput
from scrapers.paginators import cursor_paginator
from scrapers.platform import handles_only, no_follower_lists
from scrapers.settings import credential
from scrapers.text import decode_json
from scrapers.tiktok import parse as tt_parse
from scrapers.tiktok.handles import validate_handle
from scrapers.validate import validate_base_url

PLATFORM = "tiktok"
TOKEN_VAR = "SCOUT_TIKTOK_TOKEN"
USER_INFO = "/v2/research/user/info/"
VIDEO_QUERY = "/v2/research/video/query/"
USER_FIELDS = ("display_name,bio_description,avatar_url,is_verified,follower_count,"
               "following_count,likes_count,video_count,bio_url")
VIDEO_FIELDS = ("id,create_time,username,video_description,view_count,like_count,"
                "comment_count,share_count")
VIDEO_PAGE_MAX = 100  # max_count's documented ceiling
WINDOW_DAYS = 30  # the API refuses ranges longer than 30 days
MAX_WINDOWS = 6  # look back about half a year for recent videos
NO_TOKEN = ("TikTok needs a Research API client access token (approved researchers only); "
            "without one, save profile pages from a browser and run "
            "`scout import --platform tiktok FILE`")


def preflight(base_url: str, *, queries: list[str], hashtags: list[str], handles: list[str]) -> None:
    """Everything discover needs, checked before any flow starts: handles only, and a token."""
    if any(q and q.strip() for q in queries) or any(t and t.strip("# ") for t in hashtags):
        raise InvalidInput("TikTok discovery takes handles only; pass --handle.")
    validate_base_url(base_url)
    credential(TOKEN_VAR, NO_TOKEN)
    if not [validate_handle(h) for h in handles]:
        raise InvalidInput("TikTok discovery needs at least one --handle.")


discover = handles_only(preflight, validate_handle)
sample_followers = no_follower_lists(
    PLATFORM, "TikTok's Research API lists no followers of an account")


def fetch_creators(
    http: Any,
    base_url: str,
    refs: list[str],
    *,
    posts_per_creator: int,
    now: datetime | None = None,
) -> None:
    """User info for each username, then its videos from the newest 30-day window backwards
    until ``posts_per_creator`` (at most the account's video count) are in, or MAX_WINDOWS
    windows have been searched."""
    base = validate_base_url(base_url)
    headers = {"Authorization": f"Bearer {credential(TOKEN_VAR, NO_TOKEN)}"}
    today = (now or utcnow()).date()
    for username in dict.fromkeys(validate_handle(r) for r in refs if r):
        raw = http.post_json(base + USER_INFO, {"username": username},
                             params={"fields": USER_FIELDS}, headers=headers,
                             kind=tt_parse.KIND_USER, request_key=username)
        if raw.status >= 400 or _error_code(raw) is not None:
            continue
        profiles = tt_parse.parse(raw).profiles
        published = profiles[0].posts_count if profiles else None
        wanted = posts_per_creator if published is None else min(posts_per_creator, published)
        _fetch_videos(http, base, headers, username, wanted, today)


def _fetch_videos(http: Any, base: str, headers: dict[str, str], username: str, wanted: int,
                  today: date) -> None:
    """Newest 30-day window first, each paged by (cursor, search_id); an error page ends all."""
    got = 0
    start = end = today

    def request(token: tuple[int, str | None] | None) -> RawResponse:
        """A page of the current window (``start``..``end``), as many videos as still wanted."""
        body = video_query(username, start, end, min(VIDEO_PAGE_MAX, wanted - got),
                           *(token or (None, None)))
        return http.post_json(base + VIDEO_QUERY, body, params={"fields": VIDEO_FIELDS},
                              headers=headers, kind=tt_parse.KIND_VIDEOS, request_key=username)

    for _ in range(MAX_WINDOWS):
        if got >= wanted:
            return
        start = end - timedelta(days=WINDOW_DAYS - 1)
        for raw in VIDEO_PAGES.pages(request):
            if raw.status >= 400:
                return
            got += tt_parse.video_page(raw)[0]
            if got >= wanted:
                break
        end = start - timedelta(days=1)


def _next_videos(raw: RawResponse) -> tuple[int, str | None] | None:
    """The next page's (cursor, search_id), or None when the window has no more videos."""
    _, has_more, cursor, search_id = tt_parse.video_page(raw)
    return (cursor, search_id) if has_more and cursor is not None else None


VIDEO_PAGES = cursor_paginator(_next_videos)


def video_query(username: str, start: date, end: date, max_count: int,
                cursor: int | None = None, search_id: str | None = None) -> dict[str, Any]:
    """The documented query body: one EQ condition on username, dates as YYYYMMDD."""
    body: dict[str, Any] = {
        "query": {"and": [{"operation": "EQ", "field_name": "username",
                           "field_values": [username]}]},
        "start_date": start.strftime("%Y%m%d"),
        "end_date": end.strftime("%Y%m%d"),
        "max_count": max_count,
    }
    if cursor is not None:
        body["cursor"] = cursor
    if search_id:
        body["search_id"] = search_id
    return body


def _error_code(raw: RawResponse) -> str | None:
    data, _ = decode_json(raw.body)
    failure = tt_parse.api_error(data)
    return failure[0] if failure else None
