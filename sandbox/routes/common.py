"""What the Bluesky and Mastodon routes share: the error exception, query-parameter helpers
and the rich-text tokenizer (URLs, mentions, hashtags) both platforms render from."""

from __future__ import annotations

import base64
import hashlib
import re
import zlib

from ..model import SandboxCreator
from ..universe import Universe

Answer = tuple[int, dict | list, list[tuple[str, str]]]


class ApiError(Exception):
    """An error answer: status plus the platform's JSON error body."""

    def __init__(self, status: int, body: dict):
        super().__init__(body)
        self.status = status
        self.body = body


def first(params: dict, name: str) -> str | None:
    values = params.get(name)
    return values[0] if values else None


def flag(params: dict, name: str) -> bool:
    return (first(params, name) or "").lower() in ("1", "true", "yes", "on")


_URL_RE = re.compile(r"https?://[^\s<>\"')]+")
_BSKY_MENTION_RE = re.compile(r"(?<![\w@.])@([a-zA-Z0-9][a-zA-Z0-9-]*(?:\.[a-zA-Z0-9-]+)+)")
_MASTO_MENTION_RE = re.compile(r"(?<![\w@.])@(\w+)")
_HASHTAG_RE = re.compile(r"(?<![\w&/#])#(\w+)")


def trim_url(url: str) -> str:
    return url.rstrip(".,!?:;")


def stable_frac(text: str) -> float:
    """A deterministic number in [0, 1) from a string (not Python's salted hash)."""
    return (zlib.crc32(text.encode()) & 0xFFFFFF) / float(0x1000000)


def cid_for(text: str) -> str:
    """A CID-shaped string (base32 of a sha256) for records the universe has no cid for."""
    digest = base64.b32encode(hashlib.sha256(text.encode()).digest()).decode().lower()
    return "bafyrei" + digest.rstrip("=")[:52]


def tokens(universe: Universe, text: str, platform: str):
    """(start, end, kind, value, creator|None) for URLs, mentions and hashtags, in order."""
    spans: list[tuple[int, int, str, str, SandboxCreator | None]] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for m in _URL_RE.finditer(text):
        url = trim_url(m.group(0))
        spans.append((m.start(), m.start() + len(url), "link", url, None))
        taken.append((m.start(), m.start() + len(url)))
    mention_re = _BSKY_MENTION_RE if platform == "bluesky" else _MASTO_MENTION_RE
    for m in mention_re.finditer(text):
        handle = m.group(1).rstrip(".")
        c = universe.by_handle(platform, handle)
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
