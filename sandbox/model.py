"""The sandbox's vocabulary of record types and fixed constants (kinds, platforms, limits).

Every creator has a ground-truth ``kind`` (person or one of seven page kinds) so the
account-type classifier can be measured against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

REFERENCE_NOW = datetime(2026, 11, 1, 12, 0, 0, tzinfo=timezone.utc)
PLATFORMS = ("bluesky", "mastodon")
KINDS = ("person", "meme", "facts", "animal", "brand", "news", "repost", "fan")
PAGE_KINDS = KINDS[1:]
MIN_CREATORS = 50
MAX_CREATORS = 100_000
POST_WINDOW_DAYS = 120
MAX_POSTS = 200
ENGAGEMENT_KINDS = ("organic", "bought_likes", "comment_pods", "spiky_likes")

TAG_RE = re.compile(r"(?<![\w&/#])#(\w+)")  # a hashtag as both platforms link it


@dataclass(slots=True)
class SandboxCreator:
    index: int
    platform: str
    creator_id: str  # bluesky: did:plc:..., mastodon: numeric string
    handle: str  # bluesky: name.bsky.social, mastodon: username
    display_name: str
    bio: str
    followers: int
    following: int
    posts_count: int
    kind: str  # ground truth: person | meme | facts | animal | brand | news | repost | fan
    niche: str
    is_bot: bool  # Mastodon's `bot` flag (always False on Bluesky)
    engagement_anomaly: bool  # bot-like, wildly inflated likes
    avatar: str | None  # a path on the sandbox host, None when the account has no avatar
    banner: str | None
    created_at: datetime
    language: str = "en"
    verified: bool = False
    discoverable: bool = True
    website: str | None = None
    email: str | None = None
    pronouns: str | None = None
    location: str | None = None
    collab: str | None = None  # "paid_only" | "gifting" | None (what the bio says)
    posts_per_day: float = 0.5
    engagement_rate: float = 0.03  # base likes/followers per post
    repost_share: float = 0.0
    sponsored_share: float = 0.0
    last_post_at: datetime = REFERENCE_NOW
    fan_of: int | None = None  # index of the creator a fan page is about
    given_name: str | None = None
    culture: str | None = None
    # ground truth of authenticity (sandbox/fraud.py plants it from its own random stream)
    engagement: str = "organic"  # organic | bought_likes | comment_pods | spiky_likes
    growth_per_day: float = 0.0  # organic follower growth, a fraction per day
    bought_followers: int = 0  # the round jump of fake followers bought on spike_day
    spike_day: int | None = None  # days from REFERENCE_NOW (negative: already happened)
    mass_following: bool = False
    ad_network: int | None = None  # the group of creators posting the same creatives

    @property
    def is_person(self) -> bool:
        return self.kind == "person"

    @property
    def avatar_cid(self) -> str | None:
        return None if self.avatar is None else self.avatar.rsplit("/", 1)[-1].split("@")[0]


@dataclass(slots=True)
class SandboxPost:
    """One post. Instances are shared through caches: treat them as read-only."""

    id: str  # bluesky: record key (TID); mastodon: numeric status id
    creator_index: int  # who posted it (for a repost: the reposter)
    created_at: datetime  # for a repost: when it was reposted
    text: str
    likes: int
    reposts: int
    replies: int
    quotes: int
    is_repost: bool
    language: str
    tags: tuple[str, ...]
    is_sponsored: bool = False
    bookmarks: int = 0
    mentions: tuple[int, ...] = ()  # creator indices mentioned as @handle in the text
    original: "SandboxPost | None" = None  # for a repost: the original (another creator's)
    cid: str = ""
    creative: str = ""  # an ad network's creative key: the same image wherever it is posted

    @property
    def author_index(self) -> int:
        """The original author (the creator for own posts, someone else for reposts)."""
        return self.original.creator_index if self.original is not None else self.creator_index


def post_order(p: SandboxPost) -> tuple:
    """Newest-first sort key that agrees with id order (Mastodon paging compares ids)."""
    return (p.created_at, int(p.id) if p.id.isdigit() else p.id)

