"""Fault injection for the sandbox: the failures real platforms hand a scraper, on demand.

Two families, combinable:

* ``transient``: a share ``rate`` of requests fail once or twice and then succeed: 429 with
  ``Retry-After``, 500/502/503, a stall past the client's read timeout, a connection reset
  (RST) or a body cut off after half of its declared ``Content-Length``. Whether the n-th
  attempt of one exact request (method, path and query) fails, and how, is a pure function of
  (seed, method, target, n), so a run is reproducible. At most ``MAX_CONSECUTIVE`` attempts of
  one request fail in a row: any client that retries at least that often always gets through.
* ``drift``: a fixed share of creators (``stable_frac(seed, platform, handle) < drift_share``)
  is served, permanently, with one changed layout: required fields missing, keys renamed, an
  HTML page where JSON was expected, or values of the wrong type. Only per-creator answers
  drift (profiles, feeds, statuses, media, uploads, channel pages), and in a batched answer
  (Bluesky getProfiles, YouTube channels.list) only that creator's entry: search and listing
  endpoints stay clean, so a drift run discovers the same creators as a clean one.

Control routes (``/_sandbox/...``), robots.txt and images are never faulted.
"""

from __future__ import annotations

import hashlib
import html
import re
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol


if TYPE_CHECKING:
    from .model import SandboxCreator
    from .server import SandboxServer

FAULT_FAMILIES = ("transient", "drift")
TRANSIENT_KINDS = ("429", "500", "502", "503", "timeout", "reset", "truncate")
DRIFT_KINDS = ("missing", "renamed", "html", "types")
MAX_CONSECUTIVE = 2  # a client with >= 2 retries per request always gets an answer
HTML_TYPE = "text/html; charset=utf-8"

# The fields each drift touches, per kind of per-creator object (kept identity fields such as
# a DID or a channel id stay, so a parser can still say whose entry broke).
PROFILE_KEYS = {
    "bluesky": ("displayName", "followersCount", "followsCount", "postsCount"),
    "mastodon": ("acct", "username", "followers_count", "following_count", "statuses_count"),
    "instagram": ("id", "username", "followers_count", "media_count"),
    "youtube": ("snippet", "statistics", "contentDetails"),
}
FEED_KEYS = ("feed", "cursor")  # Bluesky getAuthorFeed
STATUS_KEYS = ("id", "account", "created_at")  # Mastodon statuses
PLAYLIST_KEYS = ("items", "pageInfo", "nextPageToken")  # YouTube playlistItems
VIDEO_KEYS = ("snippet", "statistics")
_PAGE_KEYS = ("metadata", "header", "microformat")  # YouTube ytInitialData
_ID_KEYS = ("did", "id", "handle", "username", "acct")


def stable_frac(*parts: object) -> float:
    """A deterministic number in [0, 1) (not Python's salted ``hash``)."""
    digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def parse_families(values: Iterable[str]) -> frozenset[str]:
    """``["transient", "drift"]`` or ``["transient,drift"]`` -> the set; ValueError names a
    kind that does not exist."""
    values = [values] if isinstance(values, str) else values
    found = {v.strip().lower() for value in values for v in value.split(",") if v.strip()}
    unknown = sorted(found - set(FAULT_FAMILIES))
    if unknown:
        raise ValueError(f"unknown fault kind {unknown[0]!r}: use "
                         f"{' or '.join(FAULT_FAMILIES)} (or both, comma-separated)")
    return frozenset(found)


def check_share(name: str, value: float) -> float:
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be at least 0 and below 1, not {value:g}")
    return float(value)


def transient_kind(seed: int, rate: float, method: str, target: str, attempt: int) -> str | None:
    """The fault of attempt ``attempt`` of one request, before the consecutive cap."""
    if rate <= 0 or stable_frac(seed, "fault", method, target, attempt) >= rate:
        return None
    pick = stable_frac(seed, "kind", method, target, attempt)
    return TRANSIENT_KINDS[int(pick * len(TRANSIENT_KINDS))]


@dataclass(frozen=True)
class FaultPlan:
    """What to inject. ``stall`` is how long a timeout fault holds the answer (longer than the
    client's read timeout); ``retry_after`` the seconds a 429 asks for (0 or 1)."""

    families: frozenset[str] = frozenset()
    rate: float = 0.0
    drift_share: float = 0.0
    seed: int = 0
    stall: float = 30.0
    retry_after: int = 1

    def __post_init__(self) -> None:
        parse_families(self.families)
        check_share("fault rate", self.rate)
        check_share("drift share", self.drift_share)
        if self.stall <= 0:
            raise ValueError("stall must be > 0 seconds")
        if self.retry_after not in (0, 1):
            raise ValueError("retry_after must be 0 or 1 second")


class HtmlPage(str):
    """An answer body that is an HTML page, not JSON (a drifted per-creator answer)."""


class DriftHooks(Protocol):
    """What a platform's routes module tells the injector about its drift (duck-typed: the
    modules in ``sandbox/routes/`` implement it, the server passes them in by platform)."""

    def drift_handle(self, sandbox: SandboxServer, c: SandboxCreator) -> str:
        """The handle creator ``c`` has on this platform (what drift verdicts are keyed on)."""

    def drift(self, f: Faults, path: str, first: dict, obj: Any) -> Any:
        """``obj`` (a 200 answer to ``path``) as its drifted subjects would be served."""


class Faults:
    """The running injector of one sandbox: attempt counters, drift verdicts, counts."""

    def __init__(self, plan: FaultPlan, sandbox: SandboxServer,
                 hooks: Mapping[str, DriftHooks] | None = None) -> None:
        self.plan = plan
        self.sandbox = sandbox
        self.hooks: dict[str, DriftHooks] = dict(hooks or {})
        self.injected: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._attempts: Counter[tuple[str, str]] = Counter()
        self._streak: Counter[tuple[str, str]] = Counter()

    # ---- transient --------------------------------------------------------------------------
    def next_transient(self, method: str, target: str) -> str | None:
        """Count one attempt of (method, target) and say which fault it gets, if any."""
        if "transient" not in self.plan.families:
            return None
        key = (method, target)
        with self._lock:
            attempt = self._attempts[key]
            self._attempts[key] += 1
            kind = transient_kind(self.plan.seed, self.plan.rate, method, target, attempt)
            if kind is None or self._streak[key] >= MAX_CONSECUTIVE:
                self._streak[key] = 0
                return None
            self._streak[key] += 1
        self._count(kind)
        return kind

    def _count(self, kind: str) -> None:
        with self._lock:
            self.injected[kind] += 1

    def inject(self, handler: Any, kind: str, platform: str) -> bool:
        """Answer with fault ``kind``; False for ``truncate``, which needs the real body
        (the handler then sends only half of it)."""
        if kind == "truncate":
            handler.truncate_body = True
            return False
        if kind == "timeout":
            time.sleep(self.plan.stall)
            handler.close_connection = True
            return True
        if kind == "reset":
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                          struct.pack("ii", 1, 0))
            handler.close_connection = True
            handler.connection.close()  # with linger 0: an RST, not a FIN
            return True
        status = int(kind)
        headers = [("Retry-After", str(self.plan.retry_after))] if status == 429 else []
        body = {"error": "RateLimitExceeded" if status == 429 else "InternalServerError",
                "message": f"injected fault: HTTP {status}", "platform": platform}
        handler._send_json(status, body, headers)
        return True

    # ---- drift ------------------------------------------------------------------------------
    def drift_kind(self, platform: str, handle: str | None) -> str | None:
        """The permanent drift of one creator, or None when it is served clean."""
        if "drift" not in self.plan.families or not handle:
            return None
        handle = handle.lower()
        if stable_frac(self.plan.seed, "drift", platform, handle) >= self.plan.drift_share:
            return None
        return DRIFT_KINDS[int(stable_frac(self.plan.seed, "how", platform, handle)
                               * len(DRIFT_KINDS))]

    def drifted(self) -> set[tuple[str, str]]:
        """Every (platform, handle) served with drift: each creator's handle on every platform
        whose routes module gives it one."""
        out: set[tuple[str, str]] = set()
        for c in self.sandbox.universe.creators:
            for platform, hooks in self.hooks.items():
                handle = hooks.drift_handle(self.sandbox, c)
                if self.drift_kind(platform, handle):
                    out.add((platform, handle))
        return out

    def drift(self, platform: str, path: str, params: dict, obj: Any) -> Any:
        """``obj`` as the drifted creators among its subjects would be served."""
        if "drift" not in self.plan.families:
            return obj
        changed = _drift_answer(self, platform, path, params, obj)
        if changed is not obj:
            self._count("drift")
        return changed

    def drift_page(self, handle: str, data: dict) -> dict | HtmlPage:
        """A YouTube channel page's ytInitialData as a drifted channel serves it, or an HTML
        page without any when its drift is "html"."""
        kind = self.drift_kind("youtube", handle)
        if kind is None:
            return data
        self._count("drift")
        return html_page(kind, handle) if kind == "html" else mutate(kind, data, _PAGE_KEYS)

    def stats(self) -> dict[str, int]:
        with self._lock:
            return dict(self.injected)


def _drift_answer(f: Faults, platform: str, path: str, params: dict, obj: Any) -> Any:
    hooks = f.hooks.get(platform)
    if hooks is None:
        return obj
    return hooks.drift(f, path, {k: v[0] for k, v in params.items() if v}, obj)


def entries(f: Faults, obj: dict, key: str, platform: str, handle_of: Any,
             fields: tuple[str, ...]) -> dict:
    """A batched answer with only the drifted creators' entries changed."""
    items = obj.get(key)
    if not isinstance(items, list):
        return obj
    out, changed = [], False
    for entry in items:
        kind = f.drift_kind(platform, handle_of(entry)) if isinstance(entry, dict) else None
        if kind is None:
            out.append(entry)
            continue
        changed = True
        out.append(_entry_html(entry) if kind == "html" else mutate(kind, entry, fields))
    return {**obj, key: out} if changed else obj


def whole(kind: str | None, obj: Any, fields: tuple[str, ...]) -> Any:
    """A per-creator answer, drifted as a whole. A list answer comes wrapped in an object
    (an API that grew an envelope), its items drifted too."""
    if kind is None:
        return obj
    if kind == "html":
        ident = obj.get("handle") or obj.get("username") if isinstance(obj, dict) else None
        return html_page(kind, ident or "")
    if isinstance(obj, list):
        return {"data": [mutate(kind, i, fields) if isinstance(i, dict) else i for i in obj]}
    return mutate(kind, obj, fields)


def mutate(kind: str, obj: dict, fields: tuple[str, ...]) -> dict:
    out = dict(obj)
    for name in fields:
        if name not in out:
            continue
        value = out.pop(name)
        if kind == "renamed":
            out[_renamed(name)] = value
        elif kind == "types":
            out[name] = _wrong_type(value)
    return out


def _renamed(name: str) -> str:
    """camelCase <-> snake_case, or a capital for a one-word key: a typical API rename."""
    if "_" in name:
        head, *rest = name.split("_")
        return head + "".join(part.title() for part in rest)
    snake = re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()
    return snake if snake != name else name.capitalize()


def _wrong_type(value: Any) -> Any:
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return {"items": value}
    return {"value": value}


def _entry_html(entry: dict) -> str:
    ident = " ".join(str(entry[k]) for k in _ID_KEYS if isinstance(entry.get(k), str))
    return f'<div class="profile-card">{html.escape(ident)}</div>'


def html_page(kind: str, ident: str) -> HtmlPage:
    return HtmlPage(
        "<!DOCTYPE html><html><head><title>Page moved</title></head><body>"
        f"<h1>{html.escape(ident)}</h1><p>This page has a new layout ({kind}).</p>"
        "</body></html>")
