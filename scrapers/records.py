"""Typed canonical records: the contract between scrapers and the rest of the pipeline.

Every platform parser returns these and nothing else, so transforms and the warehouse never
see a platform-specific shape. Unknown values are ``None``, never 0.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone

from scrapers.text import clean_handle, clean_text


def utcnow() -> datetime:
    """Timezone-aware now, so every timestamp in the pipeline is comparable."""
    return datetime.now(timezone.utc)


@dataclass(slots=True)
class Profile:
    platform: str
    creator_id: str
    handle: str
    display_name: str | None = None
    bio: str | None = None
    followers: int | None = None
    following: int | None = None
    posts_count: int | None = None
    verified: bool | None = None
    avatar_url: str | None = None
    external_url: str | None = None
    profile_url: str | None = None
    is_bot: bool | None = None

    def __post_init__(self) -> None:
        # Here rather than in each parser, so no platform can let spoofing characters through.
        if isinstance(self.handle, str):
            self.handle = clean_handle(self.handle)
        self.display_name = clean_text(self.display_name)
        self.bio = clean_text(self.bio)


@dataclass(slots=True)
class Post:
    platform: str
    post_id: str
    creator_id: str
    published_at: datetime | None
    text: str | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    views: int | None = None
    is_repost: bool = False
    is_sponsored: bool = False

    def __post_init__(self) -> None:
        self.text = clean_text(self.text)


@dataclass(slots=True)
class RawResponse:
    """One HTTP exchange, kept verbatim so parsing can be redone without refetching."""

    platform: str
    kind: str  # which parser applies, e.g. "profiles", "author_feed", "account", "statuses"
    request_key: str  # what was asked for: a handle, an account id, a query
    url: str
    status: int
    body: str
    fetched_at: datetime = field(default_factory=utcnow)
    content_type: str | None = None
    response_id: str = ""

    def __post_init__(self) -> None:
        if not self.response_id:
            digest = hashlib.sha1(
                f"{self.url}|{self.fetched_at.isoformat()}|{self.status}".encode()
            ).hexdigest()
            self.response_id = digest[:20]


@dataclass(slots=True)
class ScrapeError:
    """A record that could not be fetched or parsed, with the reason in plain words."""

    platform: str
    handle: str | None
    url: str | None
    status: int | None
    reason: str
    raw_response_id: str | None = None
    occurred_at: datetime = field(default_factory=utcnow)


@dataclass(slots=True)
class ParseResult:
    profiles: list[Profile] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    errors: list[ScrapeError] = field(default_factory=list)
    next_cursor: str | None = None

    def extend(self, other: "ParseResult") -> None:
        self.profiles.extend(other.profiles)
        self.posts.extend(other.posts)
        self.errors.extend(other.errors)

    def for_creators(self, refs: list[str]) -> "ParseResult":
        """The profiles and posts of the creators ``refs`` names (by id, handle or @handle, and
        ``user`` for ``user@host``), without errors: discovery listings carry whole profiles,
        and those belong with the creator's own batch, where its errors can hold them back."""
        wanted = {ref.strip().lstrip("@").lower() for ref in refs}

        def named(p: Profile) -> bool:
            handle = (p.handle or "").lower()
            return bool({p.creator_id.lower(), handle, handle.split("@")[0]} & wanted)

        profiles = [p for p in self.profiles if named(p)]
        ids = {p.creator_id for p in profiles} | {ref.strip() for ref in refs}
        return ParseResult(profiles=profiles, posts=[p for p in self.posts if p.creator_id in ids])
