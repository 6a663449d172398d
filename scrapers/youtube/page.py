"""A public channel page (``/@handle``) -> a Profile, from the ``ytInitialData`` it embeds.

Key-less mode reads what YouTube renders for everyone: a ``<script>`` holding
``var ytInitialData = {...};``. Two header layouts exist: ``pageHeaderRenderer`` (2024 on; the
counts are text parts such as "25M subscribers" and "337 videos") and the older
``c4TabbedHeaderRenderer``. Counts are abbreviated text, read by ``scrapers.counts``. The page
has no per-video likes or comments, so this mode gives profiles only.
"""

from __future__ import annotations

import json
import re
from typing import Any

from core.records import Profile
from scrapers.counts import parse_count
from scrapers.text import as_str, dig

PLATFORM = "youtube"
WEB = "https://www.youtube.com"
MARKER = "ytInitialData"
_ASSIGNMENT = re.compile(r"""ytInitialData["']?\]?\s*=\s*""")
# The words YouTube prints after counts, in the locales a page may come back in.
_SUBSCRIBER_WORDS = ("subscriber", "abonnent", "abonné", "suscriptor", "inscrito", "iscritt")
_VIDEO_WORDS = ("video", "vídeo", "vidéo")
_VERIFIED_BADGES = frozenset({"BADGE_STYLE_TYPE_VERIFIED", "BADGE_STYLE_TYPE_VERIFIED_ARTIST"})
_CONSENT = ("consent.youtube.com", "before you continue to youtube")
_SIGN_IN = ("accounts.google.com/servicelogin", "sign in to confirm", "not a bot")


def looks_like_html(body: str) -> bool:
    return body.lstrip()[:1] == "<"


def looks_like_channel_page(body: str) -> bool:
    """Whether a saved body is a YouTube page (with data, without, or a consent/sign-in wall)."""
    lowered = body.lower()
    return looks_like_html(body) and (
        MARKER in body or "youtube" in lowered or _wall(lowered) is not None)


def initial_data(html: str) -> tuple[dict[str, Any] | None, str | None]:
    """(ytInitialData, None), or (None, the reason in plain words)."""
    text = _data_script(html)
    if text is None:
        return None, _wall(html.lower()) or "channel page has no ytInitialData"
    match = _ASSIGNMENT.search(text)
    start = match.end() if match else -1
    if start < 0 or not text.startswith("{", start):
        return None, "invalid JSON in ytInitialData: no object after 'ytInitialData ='"
    try:
        data, _ = json.JSONDecoder().raw_decode(text, start)  # the ';' and anything after stay
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON in ytInitialData: {exc.msg} at char {exc.pos - start}"
    if not isinstance(data, dict):
        return None, "invalid JSON in ytInitialData: not an object"
    return data, None


def _data_script(html: str) -> str | None:
    """The page from the first ``ytInitialData = {`` on (the JSON decoder stops at its end);
    the first assignment of any kind when none is followed by an object, so the reason becomes
    'invalid JSON', not 'missing'. A scan, not an HTML parser: html.parser is quadratic on some
    hostile saved pages (an unclosed tag at the end), and script text is raw text anyway."""
    first = None
    for match in _ASSIGNMENT.finditer(html):
        if html.startswith("{", match.end()):
            return html[match.start():]
        first = first if first is not None else match.start()
    return None if first is None else html[first:]


def _wall(lowered: str) -> str | None:
    """Why a page without data is not a channel page: a cookie consent or sign-in wall."""
    if any(marker in lowered for marker in _CONSENT):
        return ("YouTube served a cookie consent page instead of the channel page "
                "(consent.youtube.com); no profile data in it")
    if any(marker in lowered for marker in _SIGN_IN):
        return ("YouTube served a sign-in / bot-check page instead of the channel page; "
                "no profile data in it")
    return None


def page_profile(data: dict[str, Any], requested: str = "") -> Profile | str:
    """A Profile from ytInitialData, or the reason it cannot be one."""
    meta = dig(data, "metadata", "channelMetadataRenderer") or {}
    header = data.get("header") if isinstance(data.get("header"), dict) else {}
    fields = (_page_header(header["pageHeaderRenderer"]) if "pageHeaderRenderer" in header
              else _c4_header(header.get("c4TabbedHeaderRenderer") or {}))
    channel_id = as_str(meta.get("externalId")) or fields.get("channel_id")
    if not channel_id:
        return "channel page has no channel id (metadata.channelMetadataRenderer.externalId)"
    handle = (fields.get("handle") or _handle_from_url(meta.get("vanityChannelUrl"))
              or _handle_from_owner_urls(meta.get("ownerUrls"))
              or (requested[1:] if requested.startswith("@") else None))
    avatar = fields.get("avatar") or _largest(dig(meta, "avatar", "thumbnails"))
    return Profile(
        platform=PLATFORM,
        creator_id=channel_id,
        handle=handle or channel_id,
        display_name=fields.get("title") or as_str(meta.get("title")),
        bio=as_str(meta.get("description")),
        followers=parse_count(fields.get("subscribers")),
        following=None,
        posts_count=parse_count(fields.get("videos")),
        verified=fields.get("verified"),
        avatar_url=avatar,
        external_url=None,
        profile_url=f"{WEB}/@{handle}" if handle else f"{WEB}/channel/{channel_id}",
    )


def _page_header(renderer: dict[str, Any]) -> dict[str, Any]:
    """Fields of the 2024 layout: metadata rows of text parts."""
    model = dig(renderer, "content", "pageHeaderViewModel") or {}
    rows = dig(model, "metadata", "contentMetadataViewModel", "metadataRows") or []
    out: dict[str, Any] = {"title": as_str(renderer.get("pageTitle"))}
    for row in rows if isinstance(rows, list) else []:
        for part in (row.get("metadataParts") or []) if isinstance(row, dict) else []:
            text = as_str(dig(part, "text", "content")) if isinstance(part, dict) else None
            if text:
                _classify(text, out)
    sources = dig(model, "image", "decoratedAvatarViewModel", "avatar", "avatarViewModel",
                   "image", "sources")
    out["avatar"] = _largest(sources)
    return out


def _c4_header(renderer: dict[str, Any]) -> dict[str, Any]:
    """Fields of the older layout: subscriberCountText, videosCountText, channelHandleText."""
    out: dict[str, Any] = {
        "title": as_str(renderer.get("title")),
        "channel_id": as_str(renderer.get("channelId")),
        "subscribers": _text(renderer.get("subscriberCountText")),
        "videos": _text(renderer.get("videosCountText")),
        "avatar": _largest(dig(renderer, "avatar", "thumbnails")),
    }
    handle = _text(renderer.get("channelHandleText")) or as_str(
        dig(renderer, "navigationEndpoint", "browseEndpoint", "canonicalBaseUrl"))
    if handle:
        out["handle"] = _handle_from_url(handle)
    badges = renderer.get("badges") if isinstance(renderer.get("badges"), list) else []
    styles = {dig(b, "metadataBadgeRenderer", "style") for b in badges if isinstance(b, dict)}
    out["verified"] = True if styles & _VERIFIED_BADGES else None
    return out


def _classify(text: str, out: dict[str, Any]) -> None:
    """Put one metadata part where it belongs: "@handle", "25M subscribers", "337 videos"."""
    lowered = text.strip().lower()
    if lowered.startswith("@") and "handle" not in out:
        out["handle"] = text.strip()[1:]
    elif any(word in lowered for word in _SUBSCRIBER_WORDS) and "subscribers" not in out:
        out["subscribers"] = text
    elif any(word in lowered for word in _VIDEO_WORDS) and "videos" not in out:
        out["videos"] = text


def _text(value: Any) -> str | None:
    """YouTube's text object: {"simpleText": ...} or {"runs": [{"text": ...}, ...]}."""
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("simpleText"), str):
        return value["simpleText"]
    runs = value.get("runs")
    if isinstance(runs, list):
        parts = [r.get("text") for r in runs if isinstance(r, dict)]
        return "".join(p for p in parts if isinstance(p, str)) or None
    return None


def _handle_from_url(value: Any) -> str | None:
    """"@name", "/@name" or "http://www.youtube.com/@name" -> "name"."""
    text = as_str(value)
    if not text or "@" not in text:
        return None
    handle = text.rsplit("@", 1)[1].split("/")[0].split("?")[0].strip()
    return handle or None


def _handle_from_owner_urls(urls: Any) -> str | None:
    if isinstance(urls, list):
        return next((h for u in urls if (h := _handle_from_url(u))), None)
    return None


def _largest(images: Any) -> str | None:
    """URL of the widest image in a thumbnails/sources list."""
    if not isinstance(images, list):
        return None
    best = [i for i in images if isinstance(i, dict) and isinstance(i.get("url"), str)]
    if not best:
        return None
    return max(best, key=lambda i: i.get("width") if isinstance(i.get("width"), int) else 0)["url"]
