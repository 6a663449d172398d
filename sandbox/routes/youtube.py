"""YouTube in the sandbox: the server's entry (which paths, routing) and its drift hooks.

Every universe creator is also a YouTube channel (``youtube_channels.py``). Paths, under the
sandbox's base URL, which stands for both googleapis.com and youtube.com:
``/youtube/v3/{channels,playlistItems,videos,search}``, the Data API (``youtube_api.py``,
quota units counted in the server's stats); ``/@handle`` and ``/channel/UC…`` HTML pages
embedding ``ytInitialData`` and ``/feeds/videos.xml`` (``youtube_pages.py``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .. import faults as faultlib
from ..model import SandboxCreator
from .common import first
from .youtube_api import YouTubeApiError, api
from .youtube_channels import state
from .youtube_pages import channel_page, feed, not_found_page

if TYPE_CHECKING:  # the handler lives in server.py, which imports this module
    from ..server import SandboxServer

API_PREFIX = "/youtube/v3/"
JSON_TYPE = "application/json; charset=UTF-8"
HTML_TYPE = "text/html; charset=utf-8"


def handles(path: str) -> bool:
    """Whether a request path is YouTube's (the server's dispatch asks before the others)."""
    return path.startswith((API_PREFIX, "/@", "/channel/", "/feeds/"))


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
        ch = st.by_id(first(params, "channel_id") or "")
        status, text, ctype = ((200, feed(st, ch), "text/xml; charset=UTF-8") if ch
                               else (404, not_found_page(), HTML_TYPE))
        sb._stats.record("youtube", kind, status)
        return handler._send(status, text.encode("utf-8"), ctype)
    segment = path.strip("/").split("/")
    if segment[0] == "channel" and len(segment) > 1:
        ch = st.by_id(segment[1])
    else:
        ch = st.by_handle(segment[0][1:]) if segment[0].startswith("@") else None
    status, text = (200, channel_page(base, ch, sb.faults)) if ch else (404, not_found_page())
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
