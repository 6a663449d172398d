"""The sandbox HTTP server: Bluesky's and Mastodon's public read APIs, offline, on 127.0.0.1.

One stdlib ``ThreadingHTTPServer`` answers both platforms from a generated ``Universe``:
Bluesky at ``/xrpc/<NSID>`` and Mastodon at ``/api/v1/...`` and ``/api/v2/...``, with the real
paths, parameters, field names, paging, rate-limit headers and error bodies. Scrapers reach it
only through their base-URL setting; nothing here is test-only.

    with SandboxServer(creators=300, seed=42) as sb:
        requests.get(sb.base_url + "/xrpc/app.bsky.actor.getProfile", params={"actor": h})
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
import socket
import struct
import sys
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from . import faults as faultlib
from .routes import instagram, youtube
from .avatars import avatar_image, default_avatar
from .generate import build_universe
from .model import SandboxCreator, SandboxPost
from .seeded import iso_ms
from .universe import Universe
from .words import NICHE_DATA

__all__ = ["SandboxServer"]

JSON_TYPE = "application/json; charset=utf-8"
ROBOTS_TXT = "User-agent: *\nDisallow: /private/\nDisallow: /feeds/\nAllow: /\n"
MISSING_AVATAR = "/avatars/original/missing.png"  # Mastodon's default avatar path

BSKY_FEED_FILTERS = ("posts_with_replies", "posts_no_replies", "posts_with_media",
                     "posts_and_author_threads", "posts_with_video")


def _tiny_png() -> bytes:
    """A valid 1x1 grey PNG, built by hand (served for banners and unknown image paths)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00\x99")) + chunk(b"IEND", b""))


PNG_1X1 = _tiny_png()


class ApiError(Exception):
    """An error answer: status plus the platform's JSON error body."""

    def __init__(self, status: int, body: dict):
        super().__init__(body)
        self.status = status
        self.body = body


def _bsky_error(message: str, status: int = 400, error: str = "InvalidRequest") -> ApiError:
    return ApiError(status, {"error": error, "message": message})


def _masto_error(message: str, status: int) -> ApiError:
    return ApiError(status, {"error": message})


# --------------------------------------------------------------------------------------------
# Rate limiting and stats
# --------------------------------------------------------------------------------------------

class FixedWindowLimiter:
    """``limit`` requests per ``window`` seconds per key, in fixed windows (thread-safe)."""

    def __init__(self, limit: int, window: float):
        self.limit = int(limit)
        self.window = float(window)
        self._lock = threading.Lock()
        self._buckets: dict[tuple, list[float]] = {}  # key -> [window start, count]

    def hit(self, key: tuple, now: float | None = None) -> tuple[bool, int, float]:
        """Count one request. Returns (allowed, remaining, reset epoch seconds)."""
        now = time.time() if now is None else now
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None or now >= bucket[0] + self.window:
                bucket = [now, 0]
                self._buckets[key] = bucket
            if bucket[1] >= self.limit:
                return False, 0, bucket[0] + self.window
            bucket[1] += 1
            return True, self.limit - int(bucket[1]), bucket[0] + self.window


class _Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0
        self.rate_limited = 0
        self.by_platform: Counter = Counter()
        self.by_path: Counter = Counter()
        self.by_status: Counter = Counter()
        self.started_at = datetime.now(timezone.utc)
        # arrival times per platform, so a test can check a client's pace against the budget
        self.arrivals: dict[str, list[float]] = {}

    def arrived(self, platform: str) -> None:
        with self._lock:
            self.arrivals.setdefault(platform, []).append(time.monotonic())

    def max_in_window(self, platform: str, window: float) -> int:
        """Most requests of ``platform`` that arrived within any ``window`` seconds."""
        with self._lock:
            stamps = sorted(self.arrivals.get(platform, []))
        best, start = 0, 0
        for end, stamp in enumerate(stamps):
            while stamp - stamps[start] >= window:
                start += 1
            best = max(best, end - start + 1)
        return best

    def record(self, platform: str, path_kind: str, status: int) -> None:
        with self._lock:
            self.requests += 1
            self.by_platform[platform] += 1
            self.by_path[path_kind] += 1
            self.by_status[str(status)] += 1
            if status == 429:
                self.rate_limited += 1

    def snapshot(self) -> dict:
        with self._lock:
            return {
                "requests": self.requests,
                "by_platform": dict(self.by_platform),
                "by_path": dict(self.by_path),
                "by_status": dict(self.by_status),
                "rate_limited": self.rate_limited,
                "started_at": iso_ms(self.started_at),
            }


# --------------------------------------------------------------------------------------------
# Rendering helpers
# --------------------------------------------------------------------------------------------

_URL_RE = re.compile(r"https?://[^\s<>\"')]+")
_BSKY_MENTION_RE = re.compile(r"(?<![\w@.])@([a-zA-Z0-9][a-zA-Z0-9-]*(?:\.[a-zA-Z0-9-]+)+)")
_MASTO_MENTION_RE = re.compile(r"(?<![\w@.])@(\w+)")
_HASHTAG_RE = re.compile(r"(?<![\w&/#])#(\w+)")


def _trim_url(url: str) -> str:
    return url.rstrip(".,!?:;")


def _stable_frac(text: str) -> float:
    """A deterministic number in [0, 1) from a string (not Python's salted hash)."""
    return (zlib.crc32(text.encode()) & 0xFFFFFF) / float(0x1000000)


def _cid_for(text: str) -> str:
    """A CID-shaped string (base32 of a sha256) for records the universe has no cid for."""
    digest = base64.b32encode(hashlib.sha256(text.encode()).digest()).decode().lower()
    return "bafyrei" + digest.rstrip("=")[:52]


class _Renderer:
    """Turns universe records into each platform's JSON, for one base URL."""

    def __init__(self, universe: Universe, base: str):
        self.u = universe
        self.base = base

    # ---- shared ---------------------------------------------------------------------------
    def _tokens(self, text: str, platform: str):
        """(start, end, kind, value, creator|None) for URLs, mentions and hashtags, in order."""
        spans: list[tuple[int, int, str, str, SandboxCreator | None]] = []
        taken: list[tuple[int, int]] = []

        def free(a: int, b: int) -> bool:
            return all(b <= x or a >= y for x, y in taken)

        for m in _URL_RE.finditer(text):
            url = _trim_url(m.group(0))
            spans.append((m.start(), m.start() + len(url), "link", url, None))
            taken.append((m.start(), m.start() + len(url)))
        mention_re = _BSKY_MENTION_RE if platform == "bluesky" else _MASTO_MENTION_RE
        for m in mention_re.finditer(text):
            handle = m.group(1).rstrip(".")
            c = self.u.by_handle(platform, handle)
            end = m.start() + 1 + len(handle)
            if c is not None and free(m.start(), end):
                spans.append((m.start(), end, "mention", handle, c))
                taken.append((m.start(), end))
        for m in _HASHTAG_RE.finditer(text):
            if free(m.start(), m.end()):
                spans.append((m.start(), m.end(), "tag", m.group(1), None))
                taken.append((m.start(), m.end()))
        spans.sort(key=lambda s: s[0])
        return spans

    # ---- Bluesky --------------------------------------------------------------------------
    def bsky_indexed_at(self, c: SandboxCreator) -> str:
        span = (self.u.now - c.created_at).total_seconds()
        return iso_ms(c.created_at + timedelta(seconds=span * _stable_frac(c.creator_id)))

    def bsky_basic(self, c: SandboxCreator) -> dict:
        out: dict = {"did": c.creator_id, "handle": c.handle, "displayName": c.display_name}
        if c.avatar:
            out["avatar"] = self.base + c.avatar
        out["associated"] = {"activitySubscription": {"allowSubscriptions": "followers"}}
        out["viewer"] = {"muted": False, "blockedBy": False}
        out["labels"] = []
        out["createdAt"] = iso_ms(c.created_at)
        if c.verified:
            out["verification"] = self.bsky_verification(c)
        return out

    def bsky_verification(self, c: SandboxCreator) -> dict:
        when = iso_ms(c.created_at + timedelta(days=30))
        return {
            "verifications": [{
                "issuer": "did:plc:z72i7hdynmk6r22z27h6tvur",
                "uri": f"at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.graph.verification/"
                       f"{c.creator_id[-13:]}",
                "isValid": True,
                "createdAt": when,
            }],
            "verifiedStatus": "valid",
            "trustedVerifierStatus": "none",
        }

    def bsky_profile_view(self, c: SandboxCreator) -> dict:
        out = self.bsky_basic(c)
        verification = out.pop("verification", None)
        out.pop("createdAt")
        out["description"] = c.bio
        out["indexedAt"] = self.bsky_indexed_at(c)
        out["createdAt"] = iso_ms(c.created_at)
        if verification:
            out["verification"] = verification
        return out

    def bsky_profile_detailed(self, c: SandboxCreator) -> dict:
        out: dict = {"did": c.creator_id, "handle": c.handle, "displayName": c.display_name,
                     "description": c.bio}
        if c.avatar:
            out["avatar"] = self.base + c.avatar
        if c.banner:
            out["banner"] = self.base + c.banner
        out.update({
            "followersCount": c.followers,
            "followsCount": c.following,
            "postsCount": c.posts_count,
            "associated": {"lists": 0, "feedgens": 0, "starterPacks": 0, "labeler": False,
                           "activitySubscription": {"allowSubscriptions": "followers"}},
            "indexedAt": self.bsky_indexed_at(c),
            "createdAt": iso_ms(c.created_at),
            "viewer": {"muted": False, "blockedBy": False},
            "labels": [],
        })
        if c.verified:
            out["verification"] = self.bsky_verification(c)
        return out

    def bsky_facets(self, text: str) -> list[dict]:
        facets = []
        for start, end, kind, value, c in self._tokens(text, "bluesky"):
            index = {"byteStart": len(text[:start].encode()), "byteEnd": len(text[:end].encode())}
            if kind == "link":
                feature = {"$type": "app.bsky.richtext.facet#link", "uri": value}
            elif kind == "mention":
                feature = {"$type": "app.bsky.richtext.facet#mention", "did": c.creator_id}
            else:
                feature = {"$type": "app.bsky.richtext.facet#tag", "tag": value}
            facets.append({"$type": "app.bsky.richtext.facet", "index": index,
                           "features": [feature]})
        return facets

    def bsky_post_view(self, p: SandboxPost) -> dict:
        author = self.u.creators[p.creator_index]
        record: dict = {"$type": "app.bsky.feed.post", "createdAt": iso_ms(p.created_at),
                        "langs": [p.language], "text": p.text}
        facets = self.bsky_facets(p.text)
        if facets:
            record["facets"] = facets
        indexed = p.created_at + timedelta(milliseconds=80 + int(_stable_frac(p.id) * 900))
        return {
            "uri": f"at://{author.creator_id}/app.bsky.feed.post/{p.id}",
            "cid": p.cid,
            "author": self.bsky_basic(author),
            "record": record,
            "bookmarkCount": p.bookmarks,
            "replyCount": p.replies,
            "repostCount": p.reposts,
            "likeCount": p.likes,
            "quoteCount": p.quotes,
            "indexedAt": iso_ms(indexed),
            "viewer": {"bookmarked": False, "threadMuted": False, "embeddingDisabled": False},
            "labels": [],
        }

    def bsky_feed_item(self, p: SandboxPost) -> dict:
        if not p.is_repost or p.original is None:
            return {"post": self.bsky_post_view(p)}
        by = self.u.creators[p.creator_index]
        return {
            "post": self.bsky_post_view(p.original),
            "reason": {
                "$type": "app.bsky.feed.defs#reasonRepost",
                "by": self.bsky_basic(by),
                "uri": f"at://{by.creator_id}/app.bsky.feed.repost/{p.id}",
                "cid": _cid_for(f"{by.creator_id}/repost/{p.id}"),
                "indexedAt": iso_ms(p.created_at),
            },
        }

    # ---- Mastodon -------------------------------------------------------------------------
    def masto_html(self, text: str, *, note: bool = False) -> tuple[str, list, list]:
        """Mastodon-style HTML for plain text: paragraphs, <br>, links, mentions, hashtags.
        Returns (html, mentioned creators, hashtags)."""
        mentions: list[SandboxCreator] = []
        tags: list[str] = []
        out: list[str] = []
        pos = 0
        for start, end, kind, value, c in self._tokens(text, "mastodon"):
            out.append(html.escape(text[pos:start], quote=False))
            if kind == "link":
                scheme, _, rest = value.partition("://")
                out.append(
                    f'<a href="{html.escape(value)}" target="_blank" rel="nofollow noopener" '
                    f'translate="no"><span class="invisible">{scheme}://</span>'
                    f'<span class="">{html.escape(rest)}</span><span class="invisible"></span></a>')
            elif kind == "mention":
                mentions.append(c)
                out.append(
                    f'<span class="h-card" translate="no"><a href="{self.base}/@{c.handle}" '
                    f'class="u-url mention">@<span>{html.escape(c.handle)}</span></a></span>')
            else:
                tags.append(value)
                out.append(
                    f'<a href="{self.base}/tags/{value.lower()}" class="mention hashtag" '
                    f'rel="tag">#<span>{html.escape(value)}</span></a>')
            pos = end
        out.append(html.escape(text[pos:], quote=False))
        body = "".join(out)
        if not body.strip():
            return ("", mentions, tags) if note else ("<p></p>", mentions, tags)
        paragraphs = [p for p in re.split(r"\n{2,}", body) if p.strip()]
        rendered = "".join("<p>" + p.replace("\n", "<br>") + "</p>" for p in paragraphs)
        return rendered, mentions, tags

    def masto_fields(self, c: SandboxCreator) -> list[dict]:
        fields = []
        frac = _stable_frac(c.creator_id + "fields")
        if c.website:
            value, _, _ = self.masto_html(c.website, note=True)
            value = value.removeprefix("<p>").removesuffix("</p>")
            verified = (iso_ms(c.created_at + timedelta(days=3)) if frac < 0.45 else None)
            name = "Shop" if c.kind == "brand" and frac < 0.3 else "Website"
            fields.append({"name": name, "value": value, "verified_at": verified})
        if c.pronouns:
            fields.append({"name": "Pronouns", "value": html.escape(c.pronouns),
                           "verified_at": None})
        if c.location and frac > 0.5:
            fields.append({"name": "Location", "value": html.escape(c.location),
                           "verified_at": None})
        if c.kind == "person" and c.email and frac > 0.75:
            fields.append({"name": "Contact", "value": html.escape(c.email),
                           "verified_at": None})
        return fields

    def masto_media_url(self, path: str | None, missing: str) -> str:
        return self.base + (path or missing)

    def masto_account(self, c: SandboxCreator) -> dict:
        note, _, _ = self.masto_html(c.bio, note=True)
        avatar = self.masto_media_url(c.avatar, MISSING_AVATAR)
        header = self.masto_media_url(c.banner, "/headers/original/missing.png")
        return {
            "id": c.creator_id,
            "username": c.handle,
            "acct": c.handle,
            "display_name": c.display_name,
            "locked": False,
            "bot": c.is_bot,
            "discoverable": c.discoverable,
            "indexable": c.discoverable,
            "group": False,
            "created_at": iso_ms(c.created_at),
            "note": note,
            "url": f"{self.base}/@{c.handle}",
            "uri": f"{self.base}/users/{c.handle}",
            "avatar": avatar,
            "avatar_static": avatar,
            "header": header,
            "header_static": header,
            "followers_count": c.followers,
            "following_count": c.following,
            "statuses_count": c.posts_count,
            "last_status_at": c.last_post_at.date().isoformat(),
            "hide_collections": False,
            "noindex": not c.discoverable,
            "emojis": [],
            "roles": [],
            "fields": self.masto_fields(c),
        }

    def masto_status(self, p: SandboxPost, accounts: dict | None = None) -> dict:
        accounts = {} if accounts is None else accounts

        def account(c: SandboxCreator) -> dict:
            if c.index not in accounts:
                accounts[c.index] = self.masto_account(c)
            return accounts[c.index]

        c = self.u.creators[p.creator_index]
        if p.is_repost and p.original is not None:
            activity = f"{self.base}/users/{c.handle}/statuses/{p.id}/activity"
            return {
                "id": p.id, "created_at": iso_ms(p.created_at), "in_reply_to_id": None,
                "in_reply_to_account_id": None, "sensitive": False, "spoiler_text": "",
                "visibility": "public", "language": None, "uri": activity, "url": activity,
                "replies_count": 0, "reblogs_count": 0, "favourites_count": 0,
                "quotes_count": 0, "edited_at": None, "content": "",
                "reblog": self.masto_status(p.original, accounts), "application": None,
                "account": account(c), "media_attachments": [], "mentions": [], "tags": [],
                "emojis": [], "card": None, "poll": None,
            }
        content, mentioned, tags = self.masto_html(p.text)
        return {
            "id": p.id,
            "created_at": iso_ms(p.created_at),
            "in_reply_to_id": None,
            "in_reply_to_account_id": None,
            "sensitive": False,
            "spoiler_text": "",
            "visibility": "public",
            "language": p.language,
            "uri": f"{self.base}/users/{c.handle}/statuses/{p.id}",
            "url": f"{self.base}/@{c.handle}/{p.id}",
            "replies_count": p.replies,
            "reblogs_count": p.reposts,
            "favourites_count": p.likes,
            "quotes_count": p.quotes,
            "edited_at": None,
            "content": content,
            "reblog": None,
            "application": None,
            "account": account(c),
            "media_attachments": [],
            "mentions": [{"id": m.creator_id, "username": m.handle,
                          "url": f"{self.base}/@{m.handle}", "acct": m.handle}
                         for m in {m.index: m for m in mentioned}.values()],
            "tags": [{"name": t.lower(), "url": f"{self.base}/tags/{t.lower()}"}
                     for t in dict.fromkeys(tags)],
            "emojis": [],
            "card": None,
            "poll": None,
        }


# --------------------------------------------------------------------------------------------
# The request handler
# --------------------------------------------------------------------------------------------

def _first(params: dict, name: str) -> str | None:
    values = params.get(name)
    return values[0] if values else None


def _flag(params: dict, name: str) -> bool:
    return (_first(params, name) or "").lower() in ("1", "true", "yes", "on")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "creator-scout-sandbox/0.1"
    sys_version = ""
    timeout = 60  # idle keep-alive connections are closed after this
    # Headers and body go out in two writes; with Nagle on, the second waits for the client's
    # delayed ACK (~40 ms per request on Linux). TCP_NODELAY makes a request take ~1 ms.
    disable_nagle_algorithm = True
    truncate_body = False  # set per request by an injected "truncate" fault

    server: "_HTTPServer"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet by design
        pass

    def version_string(self) -> str:
        return self.server_version

    # ---- plumbing -------------------------------------------------------------------------
    @property
    def sandbox(self) -> "SandboxServer":
        return self.server.sandbox

    def _base(self) -> str:
        host = self.headers.get("Host")
        if host and re.fullmatch(r"[A-Za-z0-9.\-:\[\]]+", host):
            return f"http://{host}"
        return self.sandbox.base_url

    def _send(self, status: int, body: bytes, content_type: str,
              headers: list[tuple[str, str]] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers or ():
            self.send_header(k, v)
        self.end_headers()
        if self.command == "HEAD":
            return
        if self.truncate_body:  # an injected fault: half the declared body, then hang up
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
            return
        self.wfile.write(body)

    def _send_answer(self, status: int, obj, headers=None) -> None:
        """JSON, or an HTML page where a drifted creator's answer became one."""
        if isinstance(obj, faultlib.HtmlPage):
            return self._send(status, obj.encode("utf-8"), faultlib.HTML_TYPE, headers)
        return self._send_json(status, obj, headers)

    def _send_json(self, status: int, obj, headers=None) -> None:
        body = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self._send(status, body, JSON_TYPE, headers)

    def _drain_body(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > 0:
            self.rfile.read(min(length, 1 << 20))

    def do_GET(self) -> None:  # noqa: N802
        try:
            self._dispatch()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def _not_allowed(self) -> None:
        self._drain_body()
        self.sandbox._stats.record("other", "method_not_allowed", 405)
        self._send_json(405, {"error": "MethodNotAllowed", "message": "Method Not Allowed"},
                        [("Allow", "GET, HEAD")])

    do_POST = do_PUT = do_DELETE = do_PATCH = _not_allowed  # noqa: N815

    # ---- routing --------------------------------------------------------------------------
    def _dispatch(self) -> None:
        self.truncate_body = False
        split = urlsplit(self.path)
        path = unquote(split.path)
        params = parse_qs(split.query, keep_blank_values=True)
        sb = self.sandbox

        if path.startswith("/_sandbox/"):
            return self._sandbox_route(path, params)
        if path == "/robots.txt":
            sb._stats.record("other", "robots.txt", 200)
            return self._send(200, ROBOTS_TXT.encode(), "text/plain; charset=utf-8")
        media = ("/img/", "/system/", "/avatars/", "/headers/")
        if path.startswith(media) and not path.endswith("/"):
            sb._stats.record("other", "media", 200)
            body, content_type = sb._media(path)
            return self._send(200, body, content_type,
                              [("Cache-Control", "public, max-age=31536000")])

        if youtube.handles(path):
            platform, handler = "youtube", None
        elif path.startswith("/xrpc/"):
            platform, handler = "bluesky", self._bluesky
        elif path.startswith(("/api/v1/", "/api/v2/")):
            platform, handler = "mastodon", self._mastodon
        elif instagram.is_graph_path(path):
            platform, handler = "instagram", self._instagram
        else:
            sb._stats.record("other", "not_found", 404)
            return self._send_json(404, {"error": "Not Found"})
        sb._stats.arrived(platform)
        if sb.faults is not None:
            fault = sb.faults.next_transient(self.command, self.path)
            if fault is not None and sb.faults.inject(self, fault, platform):
                return None
        if handler is None:  # Data API, channel pages (sandbox/routes/youtube.py)
            return youtube.route(self, path, params)

        rl_headers, retry_after = self._rate_limit(platform)
        path_kind = self._path_kind(platform, path)
        if retry_after is not None:
            sb._stats.record(platform, path_kind, 429)
            body = ({"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}
                    if platform == "bluesky" else {"error": "Too many requests"})
            return self._send_json(429, body, rl_headers + [("Retry-After", str(retry_after))])
        try:
            status, obj, extra = handler(path, params)
        except ApiError as e:
            status, obj, extra = e.status, e.body, []
        except Exception as e:  # never kill the connection thread on a bug: answer 500
            status, extra = 500, []
            obj = ({"error": "InternalServerError", "message": f"{type(e).__name__}: {e}"}
                   if platform == "bluesky" else {"error": f"{type(e).__name__}: {e}"})
        sb._stats.record(platform, path_kind, status)
        if status == 200 and sb.faults is not None:
            obj = sb.faults.drift(platform, path, params, obj)
        self._send_answer(status, obj, rl_headers + extra)

    @staticmethod
    def _path_kind(platform: str, path: str) -> str:
        if platform == "bluesky":
            return path[len("/xrpc/"):] or "xrpc"
        p = re.sub(r"/accounts/\d+", "/accounts/:id", path)
        p = re.sub(r"/timelines/tag/[^/]+", "/timelines/tag/:tag", p)
        return p

    def _rate_limit(self, platform: str) -> tuple[list[tuple[str, str]], int | None]:
        sb = self.sandbox
        limiter = sb._limiter
        if limiter is None:
            return [], None
        now = time.time()
        allowed, remaining, reset = limiter.hit((platform, self.client_address[0]), now)
        window = f"{limiter.window:g}"
        if platform == "bluesky":
            headers = [("RateLimit-Limit", str(limiter.limit)),
                       ("RateLimit-Remaining", str(remaining)),
                       ("RateLimit-Reset", str(math.ceil(reset))),
                       ("RateLimit-Policy", f"{limiter.limit};w={window}")]
        else:
            reset_dt = datetime.fromtimestamp(reset, timezone.utc)
            headers = [("X-RateLimit-Limit", str(limiter.limit)),
                       ("X-RateLimit-Remaining", str(remaining)),
                       ("X-RateLimit-Reset", reset_dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))]
        if allowed:
            return headers, None
        return headers, max(1, math.ceil(reset - now))

    # ---- /_sandbox ------------------------------------------------------------------------
    def _sandbox_route(self, path: str, params: dict) -> None:
        u = self.sandbox.universe
        if path == "/_sandbox/stats":
            return self._send_json(200, self.sandbox.stats)
        if path == "/_sandbox/truth":
            platform = _first(params, "platform")
            handle = _first(params, "handle") or _first(params, "id")
            if platform is not None and platform not in ("bluesky", "mastodon"):
                return self._send_json(400, {"error": "platform must be bluesky or mastodon"})
            if handle:
                if platform is None:
                    return self._send_json(400, {"error": "platform is required with handle"})
                truth = u.truth(platform, handle)
                if truth is None:
                    return self._send_json(404, {"error": "Record not found"})
                return self._send_json(200, truth)
            rows = [u.truth(c.platform, c.creator_id) for c in u.creators
                    if platform in (None, c.platform)]
            return self._send_json(200, {"creators": rows})
        if path == "/_sandbox/drift":
            drifted = self.sandbox.drifted()
            return self._send_json(200, {"drifted": [{"platform": p, "handle": h}
                                                     for p, h in sorted(drifted)]})
        if path == "/_sandbox/info":
            return self._send_json(200, {"creators": len(u), "seed": u.seed,
                                         "now": iso_ms(u.now),
                                         "kinds": dict(u.kind_counts())})
        return self._send_json(404, {"error": "Not Found"})

    # ---- Bluesky --------------------------------------------------------------------------
    def _bsky_limit(self, params: dict, default: int, maximum: int) -> int:
        raw = _first(params, "limit")
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            raise _bsky_error("limit must be an integer") from None
        if value < 1:
            raise _bsky_error("limit can not be less than 1")
        if value > maximum:
            raise _bsky_error(f"limit can not be greater than {maximum}")
        return value

    @staticmethod
    def _bsky_cursor(params: dict) -> int:
        raw = _first(params, "cursor")
        if not raw:
            return 0
        if not raw.isdigit():
            raise _bsky_error("Malformed cursor")
        return int(raw)

    def _bsky_actor(self, ref: str | None, name: str = "actor") -> SandboxCreator:
        if ref is None or ref == "":
            raise _bsky_error(f'Params must have the property "{name}"')
        ref = ref.strip()
        if not (ref.startswith("did:") or re.fullmatch(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", ref)):
            raise _bsky_error(f"{name} must be a valid did or a handle")
        c = self.sandbox.universe.lookup("bluesky", ref)
        if c is None:
            raise _bsky_error("Profile not found")
        return c

    def _bluesky(self, path: str, params: dict):
        nsid = path[len("/xrpc/"):]
        r = _Renderer(self.sandbox.universe, self._base())
        u = self.sandbox.universe
        if nsid == "app.bsky.actor.searchActors":
            limit = self._bsky_limit(params, 25, 100)
            offset = self._bsky_cursor(params)
            q = _first(params, "q") or _first(params, "term") or ""
            hits = u.search("bluesky", q)
            page = hits[offset:offset + limit]
            out: dict = {}
            if offset + limit < len(hits):
                out["cursor"] = str(offset + limit)
            out["actors"] = [r.bsky_profile_view(c) for c in page]
            return 200, out, []
        if nsid == "app.bsky.actor.getProfiles":
            actors = params.get("actors") or params.get("actors[]") or []
            if not actors:
                raise _bsky_error('Params must have the property "actors"')
            if len(actors) > 25:
                raise _bsky_error("Error: actors must not have more than 25 elements")
            profiles = []
            for ref in actors:
                try:
                    profiles.append(r.bsky_profile_detailed(self._bsky_actor(ref, "actors")))
                except ApiError as e:
                    if e.body.get("message") != "Profile not found":
                        raise
            return 200, {"profiles": profiles}, []
        if nsid == "app.bsky.actor.getProfile":
            c = self._bsky_actor(_first(params, "actor"))
            return 200, r.bsky_profile_detailed(c), []
        if nsid == "app.bsky.feed.getAuthorFeed":
            c = self._bsky_actor(_first(params, "actor"))
            limit = self._bsky_limit(params, 50, 100)
            offset = self._bsky_cursor(params)
            flt = _first(params, "filter") or "posts_with_replies"
            if flt not in BSKY_FEED_FILTERS:
                raise _bsky_error(f"filter must be one of ({', '.join(BSKY_FEED_FILTERS)})")
            posts = [] if flt in ("posts_with_media", "posts_with_video") else u.posts_for(c)
            page = posts[offset:offset + limit]
            out = {}
            if offset + limit < len(posts):
                out["cursor"] = str(offset + limit)
            out["feed"] = [r.bsky_feed_item(p) for p in page]
            return 200, out, []
        if nsid == "com.atproto.identity.resolveHandle":
            handle = _first(params, "handle")
            if not handle:
                raise _bsky_error('Params must have the property "handle"')
            c = u.by_handle("bluesky", handle)
            if c is None:
                raise _bsky_error("Unable to resolve handle")
            return 200, {"did": c.creator_id}, []
        if nsid == "app.bsky.feed.searchPosts":
            raise _bsky_error("Forbidden", 403, "Forbidden")
        raise _bsky_error("Method Not Implemented", 501, "MethodNotImplemented")

    # ---- Instagram (Graph API Business Discovery, in sandbox/routes/instagram.py) ---------------
    def _instagram(self, path: str, params: dict):
        return instagram.answer(self.sandbox.universe, self._base(), path, params)

    # ---- Mastodon -------------------------------------------------------------------------
    @staticmethod
    def _masto_int(params: dict, name: str, default: int, maximum: int | None = None) -> int:
        raw = _first(params, name)
        try:
            value = int(raw) if raw not in (None, "") else default
        except ValueError:
            value = default
        value = max(value, 0 if name == "offset" else 1)
        return min(value, maximum) if maximum is not None else value

    def _masto_page(self, path: str, params: dict, items: list[SandboxPost], limit: int):
        """Mastodon id paging over newest-first statuses: max_id / since_id / min_id and the
        Link header (rel="next" with max_id while older ones exist, rel="prev" with min_id)."""
        max_id, since_id, min_id = (_first(params, k) for k in ("max_id", "since_id", "min_id"))

        def as_int(v):
            return int(v) if v and v.isdigit() else None

        max_id, since_id, min_id = as_int(max_id), as_int(since_id), as_int(min_id)
        ids = [int(p.id) for p in items]
        sel = [i for i, pid in enumerate(ids)
               if (max_id is None or pid < max_id) and (since_id is None or pid > since_id)
               and (min_id is None or pid > min_id)]
        if min_id is not None and max_id is None and since_id is None:
            page_idx = sel[-limit:]  # the statuses just after min_id, still newest first
        else:
            page_idx = sel[:limit]
        page = [items[i] for i in page_idx]
        links = []
        if page:
            keep = [(k, v) for k, vs in params.items() if k not in
                    ("max_id", "since_id", "min_id", "limit") for v in vs]
            base = self._base() + path
            older_exist = page_idx[-1] + 1 < len(items)
            if older_exist:
                q = urlencode([("limit", limit)] + keep + [("max_id", page[-1].id)])
                links.append(f'<{base}?{q}>; rel="next"')
            q = urlencode([("limit", limit)] + keep + [("min_id", page[0].id)])
            links.append(f'<{base}?{q}>; rel="prev"')
        return page, ([("Link", ", ".join(links))] if links else [])

    def _masto_account(self, account_id: str) -> SandboxCreator:
        c = self.sandbox.universe.by_id("mastodon", account_id)
        if c is None:
            raise _masto_error("Record not found", 404)
        return c

    def _mastodon(self, path: str, params: dict):
        u = self.sandbox.universe
        r = _Renderer(u, self._base())
        if path == "/api/v1/accounts/lookup":
            acct = (_first(params, "acct") or "").strip()
            if not acct:
                raise _masto_error("Missing required parameter: acct", 400)
            username = acct.lstrip("@").split("@", 1)[0]
            c = u.by_handle("mastodon", username)
            if c is None:
                raise _masto_error("Record not found", 404)
            return 200, r.masto_account(c), []
        m = re.fullmatch(r"/api/v1/accounts/([^/]+)", path)
        if m:
            return 200, r.masto_account(self._masto_account(m.group(1))), []
        m = re.fullmatch(r"/api/v1/accounts/([^/]+)/statuses", path)
        if m:
            c = self._masto_account(m.group(1))
            limit = self._masto_int(params, "limit", 20, 40)
            if _flag(params, "pinned") or _flag(params, "only_media"):
                return 200, [], []
            posts = u.posts_for(c)
            if _flag(params, "exclude_reblogs"):
                posts = [p for p in posts if not p.is_repost]
            tagged = (_first(params, "tagged") or "").lstrip("#").lower()
            if tagged:
                posts = [p for p in posts if not p.is_repost and tagged in p.tags]
            # replies are never generated, so exclude_replies needs no filtering
            page, headers = self._masto_page(path, params, posts, limit)
            accounts: dict = {}
            return 200, [r.masto_status(p, accounts) for p in page], headers
        if path == "/api/v1/directory":
            limit = self._masto_int(params, "limit", 40, 80)
            offset = self._masto_int(params, "offset", 0)
            order = _first(params, "order") or "active"
            accounts = self.sandbox._directory(order)
            return 200, [r.masto_account(c) for c in accounts[offset:offset + limit]], []
        if path == "/api/v2/search":
            q = (_first(params, "q") or "").strip()
            if not q:
                raise _masto_error("param is missing or the value is empty: q", 400)
            kind = _first(params, "type")
            if kind not in (None, "", "accounts", "hashtags", "statuses"):
                kind = None
            limit = self._masto_int(params, "limit", 20, 40)
            offset = self._masto_int(params, "offset", 0)
            out: dict = {"accounts": [], "statuses": [], "hashtags": []}
            if kind in (None, "", "accounts"):
                hits = u.search("mastodon", q)
                exact = u.by_handle("mastodon", q.lstrip("@").split("@", 1)[0])
                if exact is not None:
                    hits = [exact] + [c for c in hits if c.index != exact.index]
                out["accounts"] = [r.masto_account(c) for c in hits[offset:offset + limit]]
            if kind in (None, "", "hashtags"):
                term = q.lstrip("#").lower()
                names = sorted({t for nd in NICHE_DATA.values() for t in nd["tags"]
                                if term in t})
                out["hashtags"] = [{"name": t, "url": f"{r.base}/tags/{t}", "history": []}
                                   for t in names[offset:offset + limit]]
            # statuses need authentication on real servers: always empty here
            return 200, out, []
        m = re.fullmatch(r"/api/v1/timelines/tag/([^/]+)", path)
        if m:
            limit = self._masto_int(params, "limit", 20, 40)
            posts = u.tag_timeline("mastodon", m.group(1))
            page, headers = self._masto_page(path, params, posts, limit)
            accounts = {}
            return 200, [r.masto_status(p, accounts) for p in page], headers
        if path in ("/api/v1/instance", "/api/v2/instance"):
            host = r.base.split("://", 1)[1]
            return 200, {"domain": host, "uri": host, "title": "creator-scout sandbox",
                         "version": "4.3.0", "source_url": None,
                         "description": "An offline, generated Mastodon for testing.",
                         "languages": ["en"], "registrations": {"enabled": False}}, []
        raise _masto_error("Record not found", 404)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    sandbox: "SandboxServer"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._conn_lock = threading.Lock()
        self._conns: set[socket.socket] = set()

    def process_request(self, request, client_address):
        with self._conn_lock:
            self._conns.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._conn_lock:
            self._conns.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        """A client hanging up mid-connection (e.g. it refused an oversized body) is normal."""
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)

    def close_connections(self) -> None:
        """End kept-alive connections too, so nothing is served after stop()."""
        with self._conn_lock:
            conns = list(self._conns)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------

class SandboxServer:
    """The offline Bluesky + Mastodon twin. A context manager that starts and stops it.

    ``rate_limit`` requests per ``rate_window`` seconds are allowed per platform per client
    address (fixed windows); ``rate_limit=None`` turns limiting and its headers off.

    ``faults`` ("transient", "drift" or both) injects failures (see ``sandbox/faults.py``):
    ``fault_rate`` of requests fail transiently, ``drift_share`` of creators drift for good,
    both decided from ``fault_seed`` (default: ``seed``). ``fault_stall`` is how long a
    timeout fault holds its answer; ``fault_retry_after`` the seconds a 429 asks for.
    """

    def __init__(self, universe: Universe | None = None, *, creators: int = 300, seed: int = 42,
                 port: int = 0, rate_limit: int | None = 600, rate_window: float = 10.0,
                 host: str = "127.0.0.1", faults: Iterable[str] = (), fault_rate: float = 0.0,
                 drift_share: float = 0.0, fault_seed: int | None = None,
                 fault_stall: float = 30.0, fault_retry_after: int = 1):
        if rate_limit is not None and rate_limit < 0:
            raise ValueError("rate_limit must be >= 0 (or None for no limit)")
        if rate_window <= 0:
            raise ValueError("rate_window must be > 0")
        families = faultlib.parse_families(faults)
        plan = faultlib.FaultPlan(families, fault_rate, drift_share,
                                  seed if fault_seed is None else fault_seed,
                                  fault_stall, fault_retry_after)
        self.universe = universe if universe is not None else build_universe(creators, seed)
        self.faults = faultlib.Faults(plan, self) if families else None
        self.rate_limit = rate_limit
        self.rate_window = float(rate_window)
        self._limiter = (FixedWindowLimiter(rate_limit, rate_window)
                         if rate_limit is not None else None)
        self._stats = _Stats()
        self._httpd = _HTTPServer((host, port), _Handler)
        self._httpd.sandbox = self
        self.host = host
        self.port = self._httpd.server_address[1]
        self.base_url = f"http://{host}:{self.port}"
        self._thread: threading.Thread | None = None
        self._serving = threading.Event()
        self._closed = False
        self._dir_lock = threading.Lock()
        self._directories: dict[str, list[SandboxCreator]] = {}

    # ---- lifecycle ------------------------------------------------------------------------
    def start(self) -> "SandboxServer":
        """Serve in a daemon thread; returns self (so ``SandboxServer().start()`` chains)."""
        if self._closed:
            raise RuntimeError("this SandboxServer was stopped; make a new one")
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, args=(0.1,),
                                            name=f"sandbox-{self.port}", daemon=True)
            self._serving.set()
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until stop() or Ctrl-C (for ``scout sandbox``)."""
        if self._closed:
            raise RuntimeError("this SandboxServer was stopped; make a new one")
        self._serving.set()
        try:
            self._serve(0.25)
        except KeyboardInterrupt:
            pass
        finally:
            self._close_socket()

    def _serve(self, poll_interval: float) -> None:
        try:
            self._httpd.serve_forever(poll_interval=poll_interval)
        finally:
            self._serving.clear()

    def stop(self) -> None:
        """Stop serving and free the port. Safe to call twice, or from another thread."""
        if self._closed:
            return
        if self._serving.is_set():
            self._httpd.shutdown()  # returns once the serve loop has exited
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._close_socket()

    def _close_socket(self) -> None:
        if not self._closed:
            self._closed = True
            self._httpd.server_close()
            self._httpd.close_connections()

    def __enter__(self) -> "SandboxServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ---- data -----------------------------------------------------------------------------
    @property
    def stats(self) -> dict:
        """A snapshot of the counters: requests, by_platform, by_path, by_status, rate_limited."""
        snap = self._stats.snapshot()
        snap["youtube_quota_units"] = youtube.units_served(self)
        snap["faults"] = self.faults.stats() if self.faults is not None else {}
        return snap

    def drifted(self) -> set[tuple[str, str]]:
        """(platform, handle) of every creator served with drift (empty without drift)."""
        return self.faults.drifted() if self.faults is not None else set()

    def max_in_window(self, platform: str, window: float) -> int:
        """Most requests of ``platform`` that reached the server within any ``window``
        seconds: the server's own count, to check a client's pace against a budget."""
        return self._stats.max_in_window(platform, window)

    def _media(self, path: str) -> tuple[bytes, str]:
        """(body, content type) for an image path: a creator's avatar, Mastodon's default
        avatar, or a 1x1 PNG for anything else (banners, unknown blobs)."""
        c = self.universe.by_avatar(path)
        if c is not None:
            fmt = "png" if path.endswith((".png", "@png")) else "jpeg"
            return avatar_image(path, c.kind, c.display_name, fmt), f"image/{fmt}"
        if path == MISSING_AVATAR:
            return default_avatar(), "image/png"
        return PNG_1X1, "image/png"

    def _directory(self, order: str) -> list[SandboxCreator]:
        order = "new" if order == "new" else "active"
        with self._dir_lock:
            listing = self._directories.get(order)
            if listing is None:
                accounts = [c for c in self.universe.creators
                            if c.platform == "mastodon" and c.discoverable]
                if order == "new":
                    accounts.sort(key=lambda c: (c.created_at, int(c.creator_id)), reverse=True)
                else:
                    accounts.sort(key=lambda c: (c.last_post_at, int(c.creator_id)), reverse=True)
                listing = self._directories[order] = accounts
            return listing

    def __repr__(self) -> str:
        return f"SandboxServer({self.base_url}, creators={len(self.universe)})"
