"""Pure Instagram parsers: Graph API Business Discovery answers and saved pages, never raising.

Three bodies carry Instagram data: the Graph API's Business Discovery JSON (what the client
fetches), the ``web_profile_info`` JSON a browser loads, and the profile page's HTML (the last
two only ever come from a user's saved files: instagram.com is never fetched). Each becomes
canonical records; a body that does not parse becomes a ScrapeError with the reason.
"""

from __future__ import annotations

from typing import Any

from core.records import ParseResult, Post, Profile, RawResponse
from scrapers.instagram.page import parse_profile_html
from scrapers.parsing import dispatch, error_for, parse_saved_json
from scrapers.text import as_count, as_str, decode_json, is_sponsored, parse_datetime
from scrapers.validate import layout_problem

PLATFORM = "instagram"
PROFILE_WEB = "https://www.instagram.com/{}/"
KIND_BUSINESS_DISCOVERY = "business_discovery"
KIND_WEB_PROFILE_INFO = "web_profile_info"
KIND_PROFILE_HTML = "profile_html"
_MESSAGE_KEYS = ("message",)  # web_profile_info's {"message": ..., "status": "fail"}
# Graph API error codes worth a hint a user can act on.
_GRAPH_HINTS = {
    190: "the access token is invalid or expired; renew SCOUT_INSTAGRAM_TOKEN",
    110: "Business Discovery only sees Business and Creator accounts, so this one is "
         "personal, private, age-gated or does not exist",
    4: "the app's Graph API rate limit is spent; try again in an hour",
    17: "the user's Graph API rate limit is spent; try again in an hour",
    32: "the Page's Graph API rate limit is spent; try again in an hour",
    613: "Graph API calls are being throttled; try again later",
    80002: "too many calls to this Instagram account; try again in an hour",
}
THROTTLE_CODES = frozenset({4, 17, 32, 613, 80002})

# Counts a Business Discovery profile always carries when its fields were asked for.
PROFILE_COUNTS = {"followers_count": int, "media_count": int}

def parse(raw: RawResponse) -> ParseResult:
    """Dispatch on ``raw.kind``; Graph errors keep their message; nothing is ever raised."""
    return dispatch(raw, _PARSERS, label="Instagram", message_keys=_MESSAGE_KEYS,
                    page_parsers={KIND_PROFILE_HTML: parse_profile_html},
                    api_error=lambda data: (found := graph_error(data)) and found[1])


def graph_error(data: Any) -> tuple[int | None, str] | None:
    """(code, reason) of a Graph API error body ``{"error": {"message", "type", "code"}}``."""
    if not isinstance(data, dict) or not isinstance(data.get("error"), dict):
        return None
    error = data["error"]
    code = error.get("code") if isinstance(error.get("code"), int) else None
    message = as_str(error.get("message")) or "Graph API error"
    reason = message + (f" (code {code})" if code is not None else "")
    if detail := as_str(error.get("error_user_msg")):
        reason += ": " + detail.rstrip(". ")
    if hint := _GRAPH_HINTS.get(code or 0):
        reason += "; " + hint
    return code, reason


def media_cursor(raw: RawResponse) -> tuple[int, str | None]:
    """How many media a Business Discovery page held and its ``after`` cursor (for paging)."""
    data, reason = decode_json(raw.body)
    if reason is not None or raw.status >= 400 or not isinstance(data, dict):
        return 0, None
    media = _dict(_dict(data.get("business_discovery")).get("media"))
    items = media.get("data")
    return (len(items) if isinstance(items, list) else 0), _after(media)


def profile_url(username: str) -> str:
    return PROFILE_WEB.format(username)


# ------------------------------------------------------------------ Graph Business Discovery


def _parse_business_discovery(raw: RawResponse, data: Any) -> ParseResult:
    """``{"business_discovery": {...profile, "media": {"data", "paging"}, "id"}, "id"}``.

    A later media page asks only for ``media``, so the Profile comes only with a username.
    """
    bd = data.get("business_discovery") if isinstance(data, dict) else None
    if not isinstance(bd, dict):
        return ParseResult(errors=[error_for(raw, "answer has no 'business_discovery' object")])
    creator_id = _id(bd.get("id"))
    if creator_id is None:
        return ParseResult(errors=[error_for(raw, "business_discovery missing 'id'")])
    result = ParseResult()
    username = as_str(bd.get("username"))
    problem = username and layout_problem(bd, PROFILE_COUNTS, f"business account {username}")
    if problem:
        return ParseResult(errors=[error_for(raw, problem)])
    if username:
        result.profiles.append(Profile(
            platform=PLATFORM,
            creator_id=creator_id,
            handle=username,
            display_name=as_str(bd.get("name")),
            bio=as_str(bd.get("biography")),
            followers=as_count(bd.get("followers_count")),
            following=as_count(bd.get("follows_count")),
            posts_count=as_count(bd.get("media_count")),
            verified=None,  # Business Discovery does not say
            avatar_url=as_str(bd.get("profile_picture_url")),
            external_url=as_str(bd.get("website")) or None,
            profile_url=profile_url(username),
        ))
    if "media" in bd:
        media = bd["media"]
        if not isinstance(media, dict) or not isinstance(media.get("data"), list):
            result.errors.append(error_for(raw, "business_discovery.media has no 'data' list"))
            return result
        for item in media["data"]:
            post = _graph_media(item, creator_id)
            if isinstance(post, str):
                result.errors.append(error_for(raw, post))
            else:
                result.posts.append(post)
        result.next_cursor = _after(media)
    return result


def _graph_media(item: Any, creator_id: str) -> Post | str:
    """One IG Media object; a hidden like count is absent, so it stays None."""
    if not isinstance(item, dict):
        return "media item is not an object"
    media_id = _id(item.get("id"))
    if media_id is None:
        return "media item missing 'id'"
    caption = as_str(item.get("caption"))
    return Post(
        platform=PLATFORM,
        post_id=media_id,
        creator_id=creator_id,
        published_at=parse_datetime(item.get("timestamp")),
        text=caption,
        likes=as_count(item.get("like_count")),
        comments=as_count(item.get("comments_count")),
        shares=None,
        views=as_count(item.get("view_count")),
        is_repost=False,
        is_sponsored=is_sponsored(caption),
    )


def _after(media: dict[str, Any]) -> str | None:
    after = _dict(_dict(media.get("paging")).get("cursors")).get("after")
    return after if isinstance(after, str) and after else None


# ------------------------------------------------------------------ web_profile_info (saved)


def _parse_web_profile_info(raw: RawResponse, data: Any) -> ParseResult:
    """``{"data": {"user": {...}}, "status": "ok"}`` (or the older ``{"graphql": {"user"}}``)."""
    if not isinstance(data, dict):
        return ParseResult(errors=[error_for(raw, "web_profile_info answer is not an object")])
    if data.get("status") == "fail":
        reason = as_str(data.get("message")) or "Instagram answered status 'fail'"
        return ParseResult(errors=[error_for(raw, reason)])
    holder = _dict(data.get("data")) or _dict(data.get("graphql"))
    if "user" not in holder:
        return ParseResult(errors=[error_for(raw, "web_profile_info answer has no 'data.user'")])
    user = holder["user"]
    if user is None:
        return ParseResult(errors=[error_for(raw, "Instagram user not found")])
    if not isinstance(user, dict):
        return ParseResult(errors=[error_for(raw, "'data.user' is not an object")])
    username = as_str(user.get("username"))
    creator_id = _id(user.get("id")) or username
    if not username or not creator_id:
        return ParseResult(errors=[error_for(raw, "user missing 'username'")])
    timeline = _dict(user.get("edge_owner_to_timeline_media"))
    result = ParseResult(profiles=[Profile(
        platform=PLATFORM,
        creator_id=creator_id,
        handle=username,
        display_name=as_str(user.get("full_name")),
        bio=as_str(user.get("biography")),
        followers=_edge_count(user, "edge_followed_by"),
        following=_edge_count(user, "edge_follow"),
        posts_count=as_count(timeline.get("count")),
        verified=user.get("is_verified") if isinstance(user.get("is_verified"), bool) else None,
        avatar_url=as_str(user.get("profile_pic_url_hd")) or as_str(user.get("profile_pic_url")),
        external_url=as_str(user.get("external_url")) or None,
        profile_url=profile_url(username),
        id_is_alias=True,  # the web's user id, not the Graph API's account id
    )])
    edges = timeline.get("edges", [])
    if not isinstance(edges, list):
        result.errors.append(error_for(raw, "edge_owner_to_timeline_media.edges is not a list"))
        return result
    for edge in edges:
        post = _timeline_post(edge, creator_id)
        if isinstance(post, str):
            result.errors.append(error_for(raw, post, handle=username))
        else:
            result.posts.append(post)
    return result


def _timeline_post(edge: Any, creator_id: str) -> Post | str:
    node = edge.get("node") if isinstance(edge, dict) else None
    if not isinstance(node, dict):
        return "timeline edge has no 'node' object"
    post_id = as_str(node.get("shortcode")) or _id(node.get("id"))
    if not post_id:
        return "timeline node missing 'shortcode' and 'id'"
    captions = _dict(node.get("edge_media_to_caption")).get("edges")
    caption = None
    if isinstance(captions, list) and captions and isinstance(captions[0], dict):
        caption = as_str(_dict(captions[0].get("node")).get("text"))
    hidden = node.get("like_and_view_counts_disabled") is True
    likes = _edge_count(node, "edge_liked_by", "edge_media_preview_like")
    views = as_count(node.get("video_view_count")) if node.get("is_video") is True else None
    return Post(
        platform=PLATFORM,
        post_id=post_id,
        creator_id=creator_id,
        published_at=parse_datetime(node.get("taken_at_timestamp")),
        text=caption,
        likes=None if hidden else likes,
        comments=_edge_count(node, "edge_media_to_comment", "edge_media_preview_comment"),
        shares=None,
        views=None if hidden else views,
        is_repost=False,
        is_sponsored=is_sponsored(caption),
    )


def _edge_count(obj: dict[str, Any], *names: str) -> int | None:
    """``obj[name].count`` for the first edge present: unknown (None) when none is."""
    for name in names:
        count = as_count(_dict(obj.get(name)).get("count"))
        if count is not None:
            return count
    return None


# ------------------------------------------------------------------ saved files


def _saved_kind(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    if "business_discovery" in data or graph_error(data) is not None:
        return KIND_BUSINESS_DISCOVERY
    if "user" in _dict(data.get("data")) or "user" in _dict(data.get("graphql")):
        return KIND_WEB_PROFILE_INFO
    if data.get("status") == "fail" and "message" in data:
        return KIND_WEB_PROFILE_INFO
    return None


def parse_saved(body: str, source: str = "saved file") -> ParseResult:
    """A saved Business Discovery JSON, web_profile_info JSON or profile page, told apart by
    content: a page starts with ``<``, the JSON kinds by their top-level keys."""
    if body.lstrip("\ufeff \t\r\n").startswith("<"):
        return parse(RawResponse(PLATFORM, KIND_PROFILE_HTML, "", source, 200, body))
    return parse_saved_json(
        body, platform=PLATFORM, detect=_saved_kind, parse=parse, source=source,
        expected=("Graph API Business Discovery JSON, web_profile_info JSON "
                  "({\"data\": {\"user\": ...}}) or a saved Instagram profile page (HTML)"),
    )


def _id(value: Any) -> str | None:
    """Graph ids are strings of digits; a saved file may hold them as numbers."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    return value if isinstance(value, str) and value.strip() else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


_PARSERS = {
    KIND_BUSINESS_DISCOVERY: _parse_business_discovery,
    KIND_WEB_PROFILE_INFO: _parse_web_profile_info,
}
