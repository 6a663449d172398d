"""YouTube's channels in the sandbox: every universe creator derived as a channel, and how
YouTube writes its numbers and dates.

Every universe creator (they live on Bluesky or Mastodon) is *also* a YouTube channel, derived
deterministically from it: a ``UC`` + 22-character id from a hash, ``customUrl`` ``@`` + the
first label of its handle (a number appended on a clash), ``subscriberCount`` = followers
rounded down to three significant figures as Google does (hidden for about 8% of channels),
an uploads playlist ``UU…`` of its own posts (no reposts on YouTube) as videos with views 5-30x
likes, likes hidden on some channels. The Data API (``youtube_api.py``) and the channel pages
(``youtube_pages.py``) both render from this state.
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..model import SandboxCreator, SandboxPost
from ..universe import Universe

if TYPE_CHECKING:  # the handler lives in server.py, which imports the routes
    from ..server import SandboxServer

HIDDEN_SUBSCRIBERS_SHARE = 0.08
HIDDEN_LIKES_SHARE = 0.06
C4_LAYOUT_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class Channel:
    """One creator as a YouTube channel: its id, handle and what it hides."""

    creator: SandboxCreator
    channel_id: str
    handle: str  # without the @
    hidden_subscribers: bool
    hidden_likes: bool
    c4_layout: bool
    subscribers: int  # on the sandbox clock (the creator's follower growth curve)

    @property
    def uploads(self) -> str:
        return "UU" + self.channel_id[2:]


def digest(*parts: object, size: int = 16) -> bytes:
    """A stable hash of the parts: every derived id and share starts here."""
    return hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=size).digest()


def frac(*parts: object) -> float:
    """A stable fraction in [0, 1) for the parts."""
    return int.from_bytes(digest(*parts, size=4), "big") / 2**32


def b64(data: bytes) -> str:
    """URL-safe base64 without padding, as YouTube's ids and tokens are written."""
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


class YouTubeState:
    """The channels of one universe (built on first use), the units served, an optional
    daily quota (``daily_quota``: past it, 403 quotaExceeded as Google answers)."""

    def __init__(self, universe: Universe):
        self.universe = universe
        self.daily_quota: int | None = None
        self.units: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._channels: list[Channel] | None = None
        self._by_id: dict[str, Channel] = {}
        self._by_handle: dict[str, Channel] = {}

    def channels(self) -> list[Channel]:
        with self._lock:
            if self._channels is None:
                self._build()
            return self._channels  # type: ignore[return-value]

    def _build(self) -> None:
        seed = self.universe.seed
        taken: set[str] = set()
        out: list[Channel] = []
        for c in self.universe.creators:
            channel_id = "UC" + b64(digest(seed, "yt", c.platform, c.creator_id))[:22]
            base = re.sub(r"[^a-z0-9._-]", "", c.handle.split(".")[0].lower())[:27] or "channel"
            base = base if len(base) >= 3 else base + "tv"
            handle, n = base, 1
            while handle in taken:
                n += 1
                handle = f"{base}{n}"
            taken.add(handle)
            out.append(Channel(
                c, channel_id, handle,
                hidden_subscribers=frac(seed, "hidden", channel_id) < HIDDEN_SUBSCRIBERS_SHARE,
                hidden_likes=frac(seed, "likes", channel_id) < HIDDEN_LIKES_SHARE,
                c4_layout=frac(seed, "layout", channel_id) < C4_LAYOUT_SHARE,
                subscribers=self.universe.followers_now(c),
            ))
        self._channels = out
        self._by_id = {ch.channel_id: ch for ch in out}
        self._by_handle = {ch.handle: ch for ch in out}

    def by_id(self, channel_id: str) -> Channel | None:
        self.channels()
        return self._by_id.get(channel_id)

    def by_handle(self, handle: str) -> Channel | None:
        self.channels()
        return self._by_handle.get(handle.strip().lstrip("@").lower())

    def by_uploads(self, playlist_id: str) -> Channel | None:
        if not playlist_id.startswith("UU"):
            return None
        return self.by_id("UC" + playlist_id[2:])

    def of(self, creator: SandboxCreator) -> Channel:
        return self.channels()[creator.index]

    # ---- videos: ids encode (creator index, position), so any id resolves without a table
    def videos(self, ch: Channel) -> list[SandboxPost]:
        return self.universe.own_posts(ch.creator)

    def video_id(self, ch: Channel, position: int) -> str:
        seed, index = self.universe.seed, ch.creator.index
        check = digest(seed, "v", index, position, size=4)
        mask = int.from_bytes(digest(seed, "m", check.hex(), size=4), "big")
        payload = ((index << 8) | position) ^ mask
        return b64(check + payload.to_bytes(4, "big"))

    def video(self, video_id: str) -> tuple[Channel, int, SandboxPost] | None:
        """(channel, position in its uploads, post) for a video id this universe issued."""
        if not re.fullmatch(r"[A-Za-z0-9_-]{11}", video_id):
            return None
        raw = base64.urlsafe_b64decode(video_id + "=")
        check, payload = raw[:4], int.from_bytes(raw[4:], "big")
        mask = int.from_bytes(digest(self.universe.seed, "m", check.hex(), size=4), "big")
        index, position = (payload ^ mask) >> 8, (payload ^ mask) & 0xFF
        if index >= len(self.universe.creators):
            return None
        ch = self.channels()[index]
        posts = self.videos(ch)
        if position >= len(posts) or self.video_id(ch, position) != video_id:
            return None
        return ch, position, posts[position]


_STATE_LOCK = threading.Lock()


def state(sandbox: SandboxServer) -> YouTubeState:
    """The YouTube state of one sandbox, kept on it (created on first use)."""
    with _STATE_LOCK:
        st = getattr(sandbox, "_youtube_state", None)
        if st is None or st.universe is not sandbox.universe:
            st = YouTubeState(sandbox.universe)
            sandbox._youtube_state = st
        return st


def units_served(sandbox: SandboxServer) -> dict[str, int]:
    """Quota units this sandbox has charged, per method and in total (for its stats)."""
    units = dict(state(sandbox).units)
    units["total"] = sum(units.values())
    return units


# --------------------------------------------------------------------------------------------
# How YouTube writes numbers, dates and titles
# --------------------------------------------------------------------------------------------

def iso(dt: datetime) -> str:
    """Google's timestamps: seconds and a Z, no fraction."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def three_figures(n: int) -> int:
    """Rounded down to three significant figures, as the Data API reports subscribers."""
    if n < 1000:
        return n
    factor = 10 ** (len(str(n)) - 3)
    return n // factor * factor


def abbreviated(n: int) -> str:
    """YouTube's short count: 987, 1.23K, 12.3K, 123K, 1.23M (rounded down)."""
    for size, suffix in ((10**9, "B"), (10**6, "M"), (10**3, "K")):
        if n >= size:
            value = three_figures(n) / size
            text = f"{value:.2f}".rstrip("0").rstrip(".") if value < 100 else f"{int(value)}"
            return text + suffix
    return str(n)


def title_and_description(text: str) -> tuple[str, str]:
    """A title (first line, at most 100 characters, cut at a word) and the rest."""
    first, _, rest = text.strip().partition("\n")
    if len(first) <= 100:
        return first, rest.strip()
    cut = first[:100].rsplit(" ", 1)[0] or first[:100]
    return cut, (first[len(cut):].strip() + ("\n" + rest if rest else "")).strip()



def avatar_url(base: str, ch: Channel) -> str:
    """The channel's avatar on the sandbox host (its creator's, or YouTube's default)."""
    return base + (ch.creator.avatar or "/img/yt/default-avatar.jpg")
