"""Saved TikTok pages -> canonical records, from the JSON the page embeds for hydration.

Newer pages carry ``<script id="__UNIVERSAL_DATA_FOR_REHYDRATION__">`` with
``__DEFAULT_SCOPE__["webapp.user-detail"].userInfo{user, stats, statsV2}`` (profile pages) or
``["webapp.video-detail"].itemInfo.itemStruct`` (video pages); older ones ``<script
id="SIGI_STATE">`` with ``UserModule{users, stats}`` and ``ItemModule`` (videos). Only ever run
on pages a user saved: a page without either script is TikTok's bot check, not a profile.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from core.records import ParseResult, Post, Profile, RawResponse
from scrapers.counts import parse_count
from scrapers.parsing import error_for
from scrapers.text import as_str, decode_json, is_sponsored, parse_datetime

PLATFORM = "tiktok"
PROFILE_WEB = "https://www.tiktok.com/@{}"
UNIVERSAL = "__UNIVERSAL_DATA_FOR_REHYDRATION__"
SIGI = "SIGI_STATE"
STATUS_NOT_FOUND = 10221
STATUS_PRIVATE = 10222
PRIVATE_REASON = "private account: no posts"
CHALLENGE_REASON = "challenge page: TikTok served a bot check; save the page from a browser"
# Not BeautifulSoup: html.parser drops the text of an unclosed script, and a cut-off save must be
# reported as truncated JSON, not as a bot check. Without a closing tag the script runs to the end
# of the file. Not one regex either: a saved page is untrusted, and '<script\b[^>]*\bid=...' is
# quadratic on '<script ' repeated; the scan below finds the id with str.find and looks at each
# stretch of the page a bounded number of times, so any page is one linear pass.
_SCRIPT_OPEN = re.compile(r"<script\b", re.IGNORECASE)
_ID_ATTR = re.compile(r"\bid=[\"']", re.IGNORECASE)
_TAG_REST = re.compile(r"[^<>]*>")
_SCRIPT_CLOSE = re.compile(r"</script>", re.IGNORECASE)
_CHALLENGE_HINTS = ("captcha", "verify", "challenge", "tiktok")


def parse_page(raw: RawResponse) -> ParseResult:
    """A saved profile or video page; its embedded JSON decides which parser runs."""
    for name, parser in ((UNIVERSAL, from_universal), (SIGI, from_sigi)):
        text = script_text(raw.body, name)
        if text is None:
            continue
        data, reason = decode_json(text)
        if reason is not None:
            return ParseResult(errors=[error_for(raw, f"{name} script: {reason}")])
        return parser(raw, data)
    lowered = raw.body.lower()
    if any(hint in lowered for hint in _CHALLENGE_HINTS):
        return ParseResult(errors=[error_for(raw, CHALLENGE_REASON)])
    return ParseResult(errors=[error_for(
        raw, f"not a TikTok page: no {UNIVERSAL} or {SIGI} script")], unrecognised=True)


def script_text(html: str, script_id: str) -> str | None:
    """The text of the first ``<script ... id="script_id" ...>``: up to ``</script>``, or to the
    end of the page when a cut-off save lost the closing tag; None when there is no such tag."""
    tag = -1  # where the <script tag around the scan position opens (-1: not inside one)
    pos = 0   # html[tag:pos] holds no '<' or '>'
    while (at := html.find(script_id, pos)) >= 0:
        lt = html.rfind("<", pos, at)
        if lt >= 0:
            tag, pos = (lt if _SCRIPT_OPEN.match(html, lt) else -1), lt
        if tag >= 0 and html.find(">", pos, at) >= 0:
            tag = -1  # that tag closed before this occurrence: it is text, not an attribute
        after = at + len(script_id)
        if tag >= 0 and _ID_ATTR.match(html, at - 4) and html[after:after + 1] in ("\"", "'"):
            end = _TAG_REST.match(html, after + 1)
            if end is not None:
                close = _SCRIPT_CLOSE.search(html, end.end())
                return html[end.end():close.start() if close else len(html)]
            # This tag never closes. The next tag that can opens after the last '<' before
            # the next '>' (none: no later tag closes at all), so skip there in one step.
            gt = html.find(">", after)
            if gt < 0:
                return None
            tag, pos = -1, max(html.rfind("<", after, gt), after)
            continue
        pos = after
    return None


def from_universal(raw: RawResponse, data: Any) -> ParseResult:
    """``{"__DEFAULT_SCOPE__": {"webapp.user-detail": {"userInfo", "statusCode"}}}``."""
    scope = _dict(_dict(data).get("__DEFAULT_SCOPE__"))
    if "webapp.user-detail" in scope:
        return _user_detail(raw, _dict(scope["webapp.user-detail"]))
    if "webapp.video-detail" in scope:
        return _video_detail(raw, _dict(scope["webapp.video-detail"]))
    return ParseResult(errors=[error_for(
        raw, f"{UNIVERSAL} has no webapp.user-detail or webapp.video-detail (not a profile page)")])


def _user_detail(raw: RawResponse, detail: dict[str, Any]) -> ParseResult:
    status = detail.get("statusCode")
    info = _dict(detail.get("userInfo"))
    if status == STATUS_NOT_FOUND:
        return ParseResult(errors=[error_for(raw, "TikTok user not found")])
    user = info.get("user")
    if not isinstance(user, dict) or not as_str(user.get("uniqueId")):
        message = as_str(detail.get("statusMsg")) or "no userInfo.user.uniqueId"
        return ParseResult(errors=[error_for(raw, f"TikTok statusCode {status}: {message}")])
    stats = _merged_stats(info.get("stats"), info.get("statsV2"))
    profile = _profile(user, stats)
    result = ParseResult(profiles=[profile])
    if status == STATUS_PRIVATE or user.get("privateAccount") is True:
        result.errors.append(error_for(raw, PRIVATE_REASON, handle=profile.handle))
    elif status not in (0, None):
        message = as_str(detail.get("statusMsg")) or "unexpected status"
        result.errors.append(error_for(raw, f"TikTok statusCode {status}: {message}",
                                       handle=profile.handle))
    return result


def _video_detail(raw: RawResponse, detail: dict[str, Any]) -> ParseResult:
    """A saved video page: the video, and its author's profile when the page embeds one."""
    item = _dict(_dict(detail.get("itemInfo")).get("itemStruct"))
    author = item.get("author")
    if not isinstance(author, dict) or not as_str(author.get("uniqueId")):
        return ParseResult(errors=[error_for(raw, "video page has no itemStruct.author")])
    profile = _profile(author, _merged_stats(item.get("authorStats"), item.get("authorStatsV2")))
    result = ParseResult(profiles=[profile])
    post = _video(item, profile.creator_id)
    if isinstance(post, str):
        result.errors.append(error_for(raw, post, handle=profile.handle))
    else:
        result.posts.append(post)
    return result


def from_sigi(raw: RawResponse, data: Any) -> ParseResult:
    """``{"UserModule": {"users": {id: user}, "stats": {id: stats}}, "ItemModule": {id: item}}``."""
    root = _dict(data)
    page_status = _dict(root.get("UserPage")).get("statusCode")
    if page_status == STATUS_NOT_FOUND:
        return ParseResult(errors=[error_for(raw, "TikTok user not found")])
    users = _dict(_dict(root.get("UserModule")).get("users"))
    all_stats = _dict(_dict(root.get("UserModule")).get("stats"))
    if not users:
        return ParseResult(errors=[error_for(raw, f"{SIGI} has no UserModule.users")])
    result = ParseResult()
    private: list[Profile] = []
    for key, user in users.items():
        if not isinstance(user, dict) or not as_str(user.get("uniqueId")):
            result.errors.append(error_for(raw, f"UserModule.users[{key!r}] has no uniqueId"))
            continue
        profile = _profile(user, _merged_stats(all_stats.get(key), None))
        result.profiles.append(profile)
        if page_status == STATUS_PRIVATE or user.get("privateAccount") is True:
            private.append(profile)
    for key, item in _dict(root.get("ItemModule")).items():
        post = _video(item, None)
        if isinstance(post, str):
            result.errors.append(error_for(raw, f"ItemModule[{key!r}]: {post}"))
        else:
            result.posts.append(post)
    posted = {p.creator_id for p in result.posts}
    for profile in private:
        if profile.creator_id not in posted:
            result.errors.append(error_for(raw, PRIVATE_REASON, handle=profile.handle))
    return result


def _profile(user: dict[str, Any], stats: dict[str, Any]) -> Profile:
    """The canonical profile. creator_id is the lower-case username: the Research API never
    returns TikTok's numeric user id, so the username is the one key both routes share."""
    handle = as_str(user.get("uniqueId")) or ""
    verified = user.get("verified")
    return Profile(
        platform=PLATFORM,
        creator_id=handle.lower(),
        handle=handle,
        display_name=as_str(user.get("nickname")),
        bio=as_str(user.get("signature")),
        followers=parse_count(stats.get("followerCount")),
        following=parse_count(stats.get("followingCount")),
        posts_count=parse_count(stats.get("videoCount")),
        verified=verified if isinstance(verified, bool) else None,
        avatar_url=(as_str(user.get("avatarLarger")) or as_str(user.get("avatarMedium"))
                    or as_str(user.get("avatarThumb"))),
        external_url=with_scheme(as_str(_dict(user.get("bioLink")).get("link"))),
        profile_url=PROFILE_WEB.format(handle),
    )


def _video(item: Any, creator_id: str | None) -> Post | str:
    """One video (ItemModule entry or itemStruct), or the reason it cannot be one."""
    if not isinstance(item, dict):
        return "video is not an object"
    video_id = as_str(item.get("id")) or (str(item["id"]) if isinstance(item.get("id"), int)
                                          else None)
    if not video_id:
        return "video missing 'id'"
    author = item.get("author")
    owner = as_str(author.get("uniqueId")) if isinstance(author, dict) else as_str(author)
    owner = (owner or "").lower() or creator_id
    if not owner:
        return f"video {video_id} has no author"
    stats = _merged_stats(item.get("stats"), item.get("statsV2"))
    text = as_str(item.get("desc"))
    return Post(
        platform=PLATFORM,
        post_id=video_id,
        creator_id=owner,
        published_at=epoch(item.get("createTime")),
        text=text,
        likes=parse_count(stats.get("diggCount")),
        comments=parse_count(stats.get("commentCount")),
        shares=parse_count(stats.get("shareCount")),
        views=parse_count(stats.get("playCount")),
        is_repost=False,
        is_sponsored=is_sponsored(text),
    )


def _merged_stats(stats: Any, stats_v2: Any) -> dict[str, Any]:
    """statsV2 (exact counts as strings, newer pages) over stats (numbers)."""
    merged = dict(_dict(stats))
    merged.update({k: v for k, v in _dict(stats_v2).items() if v not in (None, "")})
    return merged


def epoch(value: Any) -> datetime | None:
    """Epoch seconds as TikTok writes them (a number, or digits in a string) -> datetime."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip()) if len(value.strip()) <= 19 else None  # 4,300+ digits raise
    return parse_datetime(value) if isinstance(value, (int, float)) else None


def with_scheme(link: str | None) -> str | None:
    """bioLink.link is often bare ("linktr.ee/x"); a stored link should be a URL."""
    if not link or not link.strip():
        return None
    link = link.strip()
    return link if re.match(r"^https?://", link, re.IGNORECASE) else "https://" + link


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
