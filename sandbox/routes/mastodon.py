"""The sandbox's Mastodon: the public REST API at ``/api/v1/...`` and ``/api/v2/...``.

Account lookup and fetch (creators and their followers), an account's followers (full
accounts, ``limit`` up to 80, Link paging), an account's statuses (``max_id``/``since_id``/``min_id`` paging
with ``Link`` headers), v2 search (accounts and hashtags; statuses need auth, so none), the tag
timeline, the profile directory and the instance document, in the real shapes (HTML notes and
content, fields, reblogs) and the real error bodies (``{"error"}``). The server's dispatch adds
rate limits, faults and stats.
"""

from __future__ import annotations

import html
import re
import threading
import weakref
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from .. import faults as faultlib
from ..model import SandboxCreator, SandboxPost
from ..seeded import iso_ms
from ..universe import Universe
from ..words import NICHE_DATA
from .common import Answer, ApiError, first, flag, stable_frac, tokens

PREFIXES = ("/api/v1/", "/api/v2/")
MISSING_AVATAR = "/avatars/original/missing.png"  # Mastodon's default avatar path


def handles(path: str) -> bool:
    """Whether a request path is Mastodon's (``/api/v1/...`` or ``/api/v2/...``)."""
    return path.startswith(PREFIXES)


def api_error(message: str, status: int) -> ApiError:
    return ApiError(status, {"error": message})



# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------

class Render:
    """Universe records as Mastodon JSON, for one base URL."""

    def __init__(self, universe: Universe, base: str):
        self.u = universe
        self.base = base

    def to_html(self, text: str, *, note: bool = False) -> tuple[str, list, list]:
        """Mastodon-style HTML for plain text: paragraphs, <br>, links, mentions, hashtags.
        Returns (html, mentioned creators, hashtags)."""
        mentions: list[SandboxCreator] = []
        tags: list[str] = []
        out: list[str] = []
        pos = 0
        for start, end, kind, value, c in tokens(self.u, text, "mastodon"):
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

    def fields(self, c: SandboxCreator) -> list[dict]:
        fields = []
        frac = stable_frac(c.creator_id + "fields")
        if c.website:
            value, _, _ = self.to_html(c.website, note=True)
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

    def media_url(self, path: str | None, missing: str) -> str:
        return self.base + (path or missing)

    def account(self, c: SandboxCreator) -> dict:
        note, _, _ = self.to_html(c.bio, note=True)
        avatar = self.media_url(c.avatar, MISSING_AVATAR)
        header = self.media_url(c.banner, "/headers/original/missing.png")
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
            "followers_count": self.u.followers_now(c),
            "following_count": c.following,
            "statuses_count": c.posts_count,
            "last_status_at": c.last_post_at.date().isoformat(),
            "hide_collections": False,
            "noindex": not c.discoverable,
            "emojis": [],
            "roles": [],
            "fields": self.fields(c),
        }

    def status(self, p: SandboxPost, accounts: dict | None = None) -> dict:
        accounts = {} if accounts is None else accounts

        def account(c: SandboxCreator) -> dict:
            if c.index not in accounts:
                accounts[c.index] = self.account(c)
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
                "reblog": self.status(p.original, accounts), "application": None,
                "account": account(c), "media_attachments": [], "mentions": [], "tags": [],
                "emojis": [], "card": None, "poll": None,
            }
        content, mentioned, tags = self.to_html(p.text)
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
# The profile directory (sorted once per universe)
# --------------------------------------------------------------------------------------------

_DIRECTORIES: "weakref.WeakKeyDictionary[Universe, dict[str, list[SandboxCreator]]]" = (
    weakref.WeakKeyDictionary())
_DIRECTORIES_LOCK = threading.Lock()


def directory(universe: Universe, order: str) -> list[SandboxCreator]:
    """The discoverable accounts, most recently active (or newest) first; built once."""
    order = "new" if order == "new" else "active"
    with _DIRECTORIES_LOCK:
        listings = _DIRECTORIES.setdefault(universe, {})
        listing = listings.get(order)
        if listing is None:
            accounts = [c for c in universe.creators
                        if c.platform == "mastodon" and c.discoverable]
            if order == "new":
                accounts.sort(key=lambda c: (c.created_at, int(c.creator_id)), reverse=True)
            else:
                accounts.sort(key=lambda c: (c.last_post_at, int(c.creator_id)), reverse=True)
            listing = listings[order] = accounts
        return listing


# --------------------------------------------------------------------------------------------
# Routes
# --------------------------------------------------------------------------------------------

def _int(params: dict, name: str, default: int, maximum: int | None = None) -> int:
    raw = first(params, name)
    try:
        value = int(raw) if raw not in (None, "") else default
    except ValueError:
        value = default
    value = max(value, 0 if name == "offset" else 1)
    return min(value, maximum) if maximum is not None else value


def _page(base: str, path: str, params: dict, items: list[SandboxPost], limit: int):
    """Mastodon id paging over newest-first statuses: max_id / since_id / min_id and the
    Link header (rel="next" with max_id while older ones exist, rel="prev" with min_id)."""
    max_id, since_id, min_id = (first(params, k) for k in ("max_id", "since_id", "min_id"))

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
    if not page:
        return page, []
    older_exist = page_idx[-1] + 1 < len(items)
    return page, _link(base + path, params, limit, page[-1].id if older_exist else None,
                       page[0].id)


def _link(url: str, params: dict, limit: int, next_max_id: str | None, prev_min_id: str) -> list:
    """The ``Link`` header of a page: rel="next" (older, by max_id) while there are older
    items, rel="prev" (newer, by min_id) always; other parameters are kept."""
    keep = [(k, v) for k, vs in params.items() if k not in
            ("max_id", "since_id", "min_id", "limit") for v in vs]
    links = []
    if next_max_id is not None:
        links.append(f'<{url}?{urlencode([("limit", limit)] + keep + [("max_id", next_max_id)])}>; '
                     'rel="next"')
    links.append(f'<{url}?{urlencode([("limit", limit)] + keep + [("min_id", prev_min_id)])}>; '
                 'rel="prev"')
    return [("Link", ", ".join(links))]


def _followers(universe: Universe, base: str, path: str, c: SandboxCreator, params: dict):
    """``/api/v1/accounts/:id/followers``: full accounts, newest follower first, ``limit`` up
    to 80, paged by ``max_id`` (older) and ``since_id``/``min_id`` (newer) in the Link header.
    The paging ids are the follows' positions (opaque to clients, as Mastodon's are)."""
    limit = _int(params, "limit", 40, 80)
    max_id, since_id, min_id = (first(params, k) for k in ("max_id", "since_id", "min_id"))
    after = next((int(v) for v in (since_id, min_id) if v and v.isdigit()), -1)
    before = int(max_id) if max_id and max_id.isdigit() else None
    if before is None and min_id and min_id.isdigit():
        before = after + 1 + limit  # min_id: the follows just after it
    page = [(k, f) for k, f in universe.followers_of(c, before, limit) if k > after]
    links = page and _link(base + path, params, limit, str(page[-1][0]) if page[-1][0] else None,
                           str(page[0][0]))
    return [Render(universe, base).account(f) for _, f in page], links or []


def _account(universe: Universe, account_id: str, followers_too: bool = False) -> SandboxCreator:
    c = universe.by_id("mastodon", account_id)
    if c is None and followers_too:
        c = universe.follower("mastodon", account_id)
    if c is None:
        raise api_error("Record not found", 404)
    return c


def answer(universe: Universe, base: str, path: str, params: dict[str, list[str]]) -> Answer:
    """(status, JSON, extra headers) for one API request; errors raise ``ApiError``."""
    u = universe
    r = Render(u, base)
    if path == "/api/v1/accounts/lookup":
        acct = (first(params, "acct") or "").strip()
        if not acct:
            raise api_error("Missing required parameter: acct", 400)
        username = acct.lstrip("@").split("@", 1)[0]
        c = u.by_handle("mastodon", username)
        if c is None:
            raise api_error("Record not found", 404)
        return 200, r.account(c), []
    m = re.fullmatch(r"/api/v1/accounts/([^/]+)", path)
    if m:
        return 200, r.account(_account(u, m.group(1), followers_too=True)), []
    m = re.fullmatch(r"/api/v1/accounts/([^/]+)/followers", path)
    if m:
        return (200, *_followers(u, base, path, _account(u, m.group(1)), params))
    m = re.fullmatch(r"/api/v1/accounts/([^/]+)/statuses", path)
    if m:
        c = _account(u, m.group(1))
        limit = _int(params, "limit", 20, 40)
        if flag(params, "pinned") or flag(params, "only_media"):
            return 200, [], []
        posts = u.posts_for(c)
        if flag(params, "exclude_reblogs"):
            posts = [p for p in posts if not p.is_repost]
        tagged = (first(params, "tagged") or "").lstrip("#").lower()
        if tagged:
            posts = [p for p in posts if not p.is_repost and tagged in p.tags]
        # replies are never generated, so exclude_replies needs no filtering
        page, headers = _page(base, path, params, posts, limit)
        accounts: dict = {}
        return 200, [r.status(p, accounts) for p in page], headers
    if path == "/api/v1/directory":
        limit = _int(params, "limit", 40, 80)
        offset = _int(params, "offset", 0)
        order = first(params, "order") or "active"
        accounts = directory(u, order)
        return 200, [r.account(c) for c in accounts[offset:offset + limit]], []
    if path == "/api/v2/search":
        q = (first(params, "q") or "").strip()
        if not q:
            raise api_error("param is missing or the value is empty: q", 400)
        kind = first(params, "type")
        if kind not in (None, "", "accounts", "hashtags", "statuses"):
            kind = None
        limit = _int(params, "limit", 20, 40)
        offset = _int(params, "offset", 0)
        out: dict = {"accounts": [], "statuses": [], "hashtags": []}
        if kind in (None, "", "accounts"):
            hits = u.search("mastodon", q)
            exact = u.by_handle("mastodon", q.lstrip("@").split("@", 1)[0])
            if exact is not None:
                hits = [exact] + [c for c in hits if c.index != exact.index]
            out["accounts"] = [r.account(c) for c in hits[offset:offset + limit]]
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
        limit = _int(params, "limit", 20, 40)
        posts = u.tag_timeline("mastodon", m.group(1))
        page, headers = _page(base, path, params, posts, limit)
        accounts = {}
        return 200, [r.status(p, accounts) for p in page], headers
    if path in ("/api/v1/instance", "/api/v2/instance"):
        host = r.base.split("://", 1)[1]
        return 200, {"domain": host, "uri": host, "title": "creator-scout sandbox",
                     "version": "4.3.0", "source_url": None,
                     "description": "An offline, generated Mastodon for testing.",
                     "languages": ["en"], "registrations": {"enabled": False}}, []
    raise api_error("Record not found", 404)


# --------------------------------------------------------------------------------------------
# Drift hooks (sandbox/faults.py asks; see faults.DriftHooks)
# --------------------------------------------------------------------------------------------

def drift_handle(sandbox: Any, c: SandboxCreator) -> str | None:
    return c.handle if c.platform == "mastodon" else None


def drift(f: Any, path: str, first: dict, obj: Any) -> Any:
    """Per-creator answers drift: an account's statuses, an account (lookup or by id)."""
    m = re.fullmatch(r"/api/v1/accounts/([^/]+)/statuses", path)
    if m:
        c = f.sandbox.universe.by_id("mastodon", m.group(1))
        return faultlib.whole(f.drift_kind("mastodon", c and c.handle), obj,
                              faultlib.STATUS_KEYS)
    if path == "/api/v1/accounts/lookup" or re.fullmatch(r"/api/v1/accounts/[^/]+", path):
        c = f.sandbox.universe.by_id("mastodon", str(obj.get("id", "")))  # followers never drift
        return faultlib.whole(f.drift_kind("mastodon", c and c.handle), obj,
                              faultlib.PROFILE_KEYS["mastodon"])
    return obj
