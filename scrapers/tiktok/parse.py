"""Pure TikTok parsers: Research API answers and saved pages, never raising.

Research API bodies are ``{"data": {...}, "error": {"code", "message", "log_id"}}``, with
``error.code == "ok"`` on success. User info carries no username and no numeric id, so the
request's username (``raw.request_key``) names the creator; saved pages are in ``page.py``.
"""

from __future__ import annotations

from typing import Any

from core.records import ParseResult, Post, Profile, RawResponse
from scrapers.parsing import dispatch, error_for, parse_saved_json
from scrapers.text import as_count, as_str, decode_json, is_sponsored
from scrapers.tiktok.page import (
    PROFILE_WEB,
    epoch,
    from_sigi,
    from_universal,
    parse_page,
    with_scheme,
)

PLATFORM = "tiktok"
KIND_USER = "research_user"
KIND_VIDEOS = "research_videos"
KIND_PAGE = "profile_html"
KIND_UNIVERSAL = "universal_data"  # the script's JSON saved on its own
KIND_SIGI = "sigi_state"
_HINTS = {
    "access_token_invalid": "renew the client access token in SCOUT_TIKTOK_TOKEN",
    "scope_not_authorized": "the token lacks the research.data.basic scope",
    "rate_limit_exceeded": "the Research API's daily quota is spent; try again tomorrow",
}


def parse(raw: RawResponse) -> ParseResult:
    """Dispatch on ``raw.kind``; API errors keep their message; nothing is ever raised."""
    return dispatch(raw, _PARSERS, label="TikTok", message_keys=("message",),
                    page_parsers={KIND_PAGE: parse_page},
                    api_error=lambda data: (found := api_error(data)) and found[1])


def api_error(data: Any) -> tuple[str, str] | None:
    """(code, reason) when ``error.code`` is anything but "ok"."""
    error = data.get("error") if isinstance(data, dict) else None
    if not isinstance(error, dict):
        return None
    code = as_str(error.get("code")) or "unknown_error"
    if code == "ok":
        return None
    reason = f"{as_str(error.get('message')) or 'Research API error'} ({code})"
    if hint := _HINTS.get(code):
        reason += f"; {hint}"
    return code, reason


def video_page(raw: RawResponse) -> tuple[int, bool, int | None, str | None]:
    """(videos on the page, has_more, cursor, search_id): what the client pages with."""
    data, reason = decode_json(raw.body)
    if reason is not None or raw.status >= 400 or api_error(data) is not None:
        return 0, False, None, None
    page = _dict(_dict(data).get("data"))
    videos = page.get("videos")
    count = len(videos) if isinstance(videos, list) else 0
    cursor = page.get("cursor") if isinstance(page.get("cursor"), int) else None
    search_id = as_str(page.get("search_id")) or None
    return count, page.get("has_more") is True, cursor, search_id


def _parse_user(raw: RawResponse, data: Any) -> ParseResult:
    info = _dict(data).get("data")
    if not isinstance(info, dict) or not info:
        return ParseResult(errors=[error_for(raw, "user info answer has no 'data' object")])
    username = (raw.request_key or "").strip().lstrip("@")
    if not username:
        return ParseResult(errors=[error_for(
            raw, "a Research API user info answer does not name its user; fetch it with "
                 "`scout discover -p tiktok --handle NAME` instead of importing it")])
    verified = info.get("is_verified")
    return ParseResult(profiles=[Profile(
        platform=PLATFORM,
        creator_id=username.lower(),
        handle=username,
        display_name=as_str(info.get("display_name")),
        bio=as_str(info.get("bio_description")),
        followers=as_count(info.get("follower_count")),
        following=as_count(info.get("following_count")),
        posts_count=as_count(info.get("video_count")),
        verified=verified if isinstance(verified, bool) else None,
        avatar_url=as_str(info.get("avatar_url")) or None,
        external_url=with_scheme(as_str(info.get("bio_url"))),
        profile_url=PROFILE_WEB.format(username),
    )])


def _parse_videos(raw: RawResponse, data: Any) -> ParseResult:
    page = _dict(data).get("data")
    if not isinstance(page, dict) or not isinstance(page.get("videos"), list):
        return ParseResult(errors=[error_for(raw, "video query answer has no 'data.videos' list")])
    result = ParseResult()
    if page.get("has_more") is True and isinstance(page.get("cursor"), int):
        result.next_cursor = str(page["cursor"])
    for item in page["videos"]:
        post = _video(item, raw.request_key)
        if isinstance(post, str):
            result.errors.append(error_for(raw, post))
        else:
            result.posts.append(post)
    return result


def _video(item: Any, requested: str) -> Post | str:
    """One Research API video; ``id`` is a JSON number (int64), kept exact as a string."""
    if not isinstance(item, dict):
        return "video is not an object"
    raw_id = item.get("id")
    video_id = str(raw_id) if isinstance(raw_id, int) and not isinstance(raw_id, bool) else (
        as_str(raw_id))
    if not video_id:
        return "video missing 'id'"
    owner = (as_str(item.get("username")) or requested or "").strip().lstrip("@").lower()
    if not owner:
        return f"video {video_id} missing 'username'"
    text = as_str(item.get("video_description"))
    return Post(
        platform=PLATFORM,
        post_id=video_id,
        creator_id=owner,
        published_at=epoch(item.get("create_time")),
        text=text,
        likes=as_count(item.get("like_count")),
        comments=as_count(item.get("comment_count")),
        shares=as_count(item.get("share_count")),
        views=as_count(item.get("view_count")),
        is_repost=False,
        is_sponsored=is_sponsored(text),
    )


def _saved_kind(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    if "__DEFAULT_SCOPE__" in data:
        return KIND_UNIVERSAL
    if "UserModule" in data or "ItemModule" in data:
        return KIND_SIGI
    if "error" in data or "data" in data:
        page = _dict(data.get("data"))
        if "videos" in page:
            return KIND_VIDEOS
        if page or api_error(data) is not None:
            return KIND_USER
    return None


def parse_saved(body: str, source: str = "saved file") -> ParseResult:
    """A saved profile page (HTML), its embedded JSON alone, or a Research API answer."""
    if body.lstrip("\ufeff \t\r\n").startswith("<"):
        return parse(RawResponse(PLATFORM, KIND_PAGE, "", source, 200, body))
    return parse_saved_json(
        body, platform=PLATFORM, detect=_saved_kind, parse=parse, source=source,
        expected=("saved TikTok profile page (HTML with __UNIVERSAL_DATA_FOR_REHYDRATION__ or "
                  "SIGI_STATE), that script's JSON, or a Research API answer"),
    )


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


_PARSERS = {
    KIND_USER: _parse_user,
    KIND_VIDEOS: _parse_videos,
    KIND_UNIVERSAL: from_universal,
    KIND_SIGI: from_sigi,
}
