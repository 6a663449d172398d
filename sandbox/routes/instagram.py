"""The sandbox's Instagram: Graph API Business Discovery over the same generated universe.

``GET /v21.0/<caller ig id>?fields=business_discovery.username(<name>){...}&access_token=``
answers in the real shape, honouring the field expansion (only requested fields come back,
an unknown field is Graph's error 100), ``media.limit(n)`` and ``.after(<cursor>)`` paging,
and the real error bodies (190 without a token, 110 for an unknown username).

Every universe creator, Bluesky or Mastodon, is *also* an Instagram business account derived
from it deterministically: a Graph-style numeric id from a hash, the username from the first
label of its handle, and its own (non-repost) posts as media. The Bluesky/Mastodon split the
demo depends on is untouched.
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
import weakref
from dataclasses import dataclass, field
from typing import Any

from .. import faults as faultlib
from ..model import SandboxCreator, SandboxPost
from ..universe import Universe

GRAPH_PATH = re.compile(r"^/v\d+\.\d+/(?P<node>[^/]+)/?$")
DEFAULT_MEDIA_LIMIT = 25
MAX_MEDIA_LIMIT = 100
USER_FIELDS = ("id", "ig_id", "username", "name", "biography", "website", "profile_picture_url",
               "followers_count", "follows_count", "media_count", "media")
MEDIA_FIELDS = ("id", "caption", "comments_count", "like_count", "media_type",
                "media_product_type", "media_url", "permalink", "thumbnail_url", "timestamp",
                "username", "is_comment_enabled")
_SHORTCODE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

Answer = tuple[int, dict, list[tuple[str, str]]]


def is_graph_path(path: str) -> bool:
    """True for ``/v<major>.<minor>/<node>``, the Graph API's versioned node paths."""
    return GRAPH_PATH.match(path) is not None


# ----------------------------------------------------------------------------- accounts


class Accounts:
    """Instagram usernames and ids for every creator of one universe (built once, cached)."""

    def __init__(self, universe: Universe) -> None:
        self.by_username: dict[str, int] = {}
        self.ig_id: dict[int, str] = {}
        self.username: dict[int, str] = {}
        ids: set[str] = set()
        for c in universe.creators:
            name = _free_name(_base_name(c), self.by_username)
            self.by_username[name] = c.index
            self.username[c.index] = name
            ig_id = _digits("1784", f"{c.platform}:{c.creator_id}", 17)
            while ig_id in ids:
                ig_id = str(int(ig_id) + 1)
            ids.add(ig_id)
            self.ig_id[c.index] = ig_id


_ACCOUNTS: "weakref.WeakKeyDictionary[Universe, Accounts]" = weakref.WeakKeyDictionary()
_ACCOUNTS_LOCK = threading.Lock()


def accounts(universe: Universe) -> Accounts:
    with _ACCOUNTS_LOCK:
        found = _ACCOUNTS.get(universe)
        if found is None:
            found = _ACCOUNTS[universe] = Accounts(universe)
        return found


def _base_name(c: SandboxCreator) -> str:
    """The handle's first label as an Instagram username (letters, digits, _ and .)."""
    label = c.handle.split(".", 1)[0].split("@", 1)[0].lower().replace("-", "_")
    label = re.sub(r"[^a-z0-9_]", "", label)[:30]
    return label or f"user{c.index}"


def _free_name(name: str, taken: dict[str, int]) -> str:
    if name not in taken:
        return name
    n = 2
    while True:
        candidate = f"{name[: 30 - len(str(n)) - 1]}_{n}"
        if candidate not in taken:
            return candidate
        n += 1


def _digits(prefix: str, text: str, length: int) -> str:
    """A deterministic Graph-style id: ``prefix`` then digits from a hash of ``text``."""
    number = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
    return (prefix + str(number).zfill(20))[:length]


# ----------------------------------------------------------------------------- fields


@dataclass
class Field:
    """One item of a Graph field expansion: ``name.mod(arg)...{children}``."""

    name: str
    mods: dict[str, str] = field(default_factory=dict)
    children: list["Field"] | None = None


class FieldSyntaxError(ValueError):
    pass


def parse_fields(expression: str) -> list[Field]:
    """Parse ``a,b.limit(5){c,d}`` into Fields; FieldSyntaxError on malformed input."""
    fields, end = _field_list(expression, 0)
    if end != len(expression):
        raise FieldSyntaxError(f"unexpected {expression[end]!r} at character {end}")
    return fields


def _field_list(text: str, i: int) -> tuple[list[Field], int]:
    out: list[Field] = []
    while True:
        item, i = _field(text, i)
        out.append(item)
        if i < len(text) and text[i] == ",":
            i += 1
            continue
        return out, i


def _field(text: str, i: int) -> tuple[Field, int]:
    match = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*").match(text, i)
    if not match:
        raise FieldSyntaxError(f"expected a field name at character {i}")
    item, i = Field(match.group(1)), match.end()
    while i < len(text) and text[i] == ".":
        mod = re.compile(r"\.([A-Za-z_]+)\(([^()]*)\)").match(text, i)
        if not mod:
            raise FieldSyntaxError(f"expected .modifier(value) at character {i}")
        item.mods[mod.group(1)] = mod.group(2).strip()
        i = mod.end()
    if i < len(text) and text[i] == "{":
        item.children, i = _field_list(text, i + 1)
        if i >= len(text) or text[i] != "}":
            raise FieldSyntaxError(f"expected '}}' at character {i}")
        i += 1
    while i < len(text) and text[i].isspace():
        i += 1
    return item, i


# ----------------------------------------------------------------------------- answers


def graph_error(message: str, code: int, status: int = 400, *, kind: str = "OAuthException",
                **extra: Any) -> Answer:
    """A Graph API error body: ``{"error": {"message", "type", "code", ..., "fbtrace_id"}}``."""
    trace = base64.b64encode(hashlib.sha1(f"{message}{code}".encode()).digest()).decode()[:23]
    error = {"message": message, "type": kind, "code": code, **extra, "fbtrace_id": trace}
    return status, {"error": error}, []


def answer(universe: Universe, base: str, path: str, params: dict[str, list[str]]) -> Answer:
    """(status, JSON, extra headers) for one Graph request."""
    token = (params.get("access_token") or [""])[0].strip()
    if not token:
        return graph_error("Invalid OAuth access token - Cannot parse access token", 190)
    node = GRAPH_PATH.match(path)
    caller = node.group("node") if node else ""
    if not caller.isdigit():
        return graph_error(
            f"Unsupported get request. Object with ID '{caller}' does not exist, cannot be "
            "loaded due to missing permissions, or does not support this operation. Please "
            "read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
            100, kind="GraphMethodException", error_subcode=33)
    expression = (params.get("fields") or [""])[0]
    try:
        requested = parse_fields(expression) if expression.strip() else [Field("id")]
    except FieldSyntaxError as exc:
        return graph_error(f"(#100) Syntax error {exc}", 100)
    out: dict[str, Any] = {}
    for item in requested:
        if item.name == "id":
            continue
        if item.name != "business_discovery":
            return _nonexisting(item.name, "User")
        username = item.mods.get("username", "").strip().lstrip("@").lower()
        if not username:
            return graph_error("(#100) The parameter username is required", 100)
        index = accounts(universe).by_username.get(username)
        if index is None:
            return graph_error(
                "Invalid user id", 110, error_subcode=2207013, is_transient=False,
                error_user_title="Cannot find User",
                error_user_msg=f"The user with username: {username} cannot be found.")
        found = _user(universe, base, universe.creators[index], item.children or [])
        if isinstance(found, tuple):
            return found
        out["business_discovery"] = found
    out["id"] = caller
    return 200, out, [("facebook-api-version", "v21.0")]


def _nonexisting(name: str, node_type: str) -> Answer:
    return graph_error(
        f"(#100) Tried accessing nonexisting field ({name}) on node type ({node_type})", 100)


def _user(universe: Universe, base: str, c: SandboxCreator, fields: list[Field]) -> dict | Answer:
    acc = accounts(universe)
    values: dict[str, Any] = {
        "ig_id": int(acc.ig_id[c.index][-10:]),
        "username": acc.username[c.index],
        "name": c.display_name or None,
        "biography": c.bio or None,
        "website": c.website,
        "profile_picture_url": base + c.avatar if c.avatar else None,
        "followers_count": universe.followers_now(c),
        "follows_count": c.following,
        "media_count": c.posts_count,
    }
    out: dict[str, Any] = {}
    for item in fields:
        if item.name not in USER_FIELDS:
            return _nonexisting(item.name, "User")
        if item.name == "media":
            media = _media(universe, c, item)
            if isinstance(media, tuple):
                return media
            out["media"] = media
        elif item.name != "id" and values.get(item.name) is not None:
            out[item.name] = values[item.name]
    out["id"] = acc.ig_id[c.index]
    return out


def _media(universe: Universe, c: SandboxCreator, item: Field) -> dict | Answer:
    """One page of the media edge: ``limit`` items after the ``after`` cursor, newest first."""
    wanted = [f.name for f in item.children or [Field("id")]]
    for name in wanted:
        if name not in MEDIA_FIELDS:
            return _nonexisting(name, "Media")
    try:
        limit = int(item.mods.get("limit", DEFAULT_MEDIA_LIMIT))
    except ValueError:
        return graph_error("(#100) Param limit must be an integer", 100)
    limit = max(1, min(limit, MAX_MEDIA_LIMIT))
    ig_id = accounts(universe).ig_id[c.index]
    start = 0
    if "after" in item.mods:
        start = _offset(item.mods["after"], ig_id)
        if start is None:
            return graph_error("(#100) Invalid cursor", 100)
    posts = [p for p in universe.posts_for(c) if not p.is_repost]
    page = posts[start : start + limit]
    out: dict[str, Any] = {"data": [_media_item(universe, c, p, wanted) for p in page]}
    if start + len(page) < len(posts):
        out["paging"] = {"cursors": {"after": _cursor(ig_id, start + len(page))}}
    return out


def _media_item(universe: Universe, c: SandboxCreator, p: SandboxPost, wanted: list[str]) -> dict:
    frac = int(hashlib.sha1(p.id.encode()).hexdigest()[:6], 16) / 0xFFFFFF
    media_type = "VIDEO" if frac < 0.22 else "CAROUSEL_ALBUM" if frac < 0.36 else "IMAGE"
    shortcode = "".join(_SHORTCODE[b % 64] for b in hashlib.sha256(p.id.encode()).digest()[:11])
    media_id = _digits("179", f"{c.platform}:{p.id}", 17)
    values: dict[str, Any] = {
        "id": media_id,
        "caption": p.text or None,
        "comments_count": p.replies,
        # about 1 post in 25 has its like count hidden by its owner: the field is then absent
        "like_count": None if frac > 0.96 else p.likes,
        "media_type": media_type,
        "media_product_type": "REELS" if media_type == "VIDEO" else "FEED",
        # an ad network's creative is the same image wherever it is posted
        "media_url": f"https://scontent.cdninstagram.example/{p.creative or media_id}.jpg",
        "permalink": f"https://www.instagram.com/{'reel' if media_type == 'VIDEO' else 'p'}/"
                     f"{shortcode}/",
        "thumbnail_url": (f"https://scontent.cdninstagram.example/{media_id}_thumb.jpg"
                          if media_type == "VIDEO" else None),
        "timestamp": p.created_at.strftime("%Y-%m-%dT%H:%M:%S+0000"),
        "username": accounts(universe).username[c.index],
        "is_comment_enabled": True,
    }
    out = {name: values[name] for name in wanted if values.get(name) is not None}
    out.setdefault("id", media_id)
    return out


def _cursor(ig_id: str, offset: int) -> str:
    raw = f"AQH{ig_id}:{offset}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _offset(cursor: str, ig_id: str) -> int | None:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    prefix, _, offset = text.rpartition(":")
    if prefix != f"AQH{ig_id}" or not offset.isdigit():
        return None
    return int(offset)


# ----------------------------------------------------------------------------- drift hooks


_IG_USERNAME = re.compile(r"business_discovery\.username\(([^)]*)\)")


def drift_handle(sandbox: Any, c: SandboxCreator) -> str:
    """Every creator is also an Instagram account (see the module docstring)."""
    return accounts(sandbox.universe).username[c.index]


def drift(f: Any, path: str, first: dict, obj: Any) -> Any:
    """The business_discovery answer drifts as a whole (an HTML page for "html")."""
    m = _IG_USERNAME.search(first.get("fields", ""))
    kind = f.drift_kind("instagram", m and m.group(1).strip().lstrip("@"))
    if kind == "html":
        return faultlib.html_page(kind, m.group(1))
    if kind and isinstance(obj.get("business_discovery"), dict):
        return {**obj, "business_discovery": faultlib.mutate(
            kind, obj["business_discovery"], faultlib.PROFILE_KEYS["instagram"])}
    return obj
