"""Typed canonical records: the contract between scrapers and the rest of the pipeline.

Every platform parser returns these and nothing else, so transforms and the warehouse never
see a platform-specific shape. Unknown values are ``None``, never 0.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone

from core.identity import handle_key
from core.text import clean_handle, clean_text, has_surrogate, utf8_safe


def utcnow() -> datetime:
    """Timezone-aware now, so every timestamp in the pipeline is comparable."""
    return datetime.now(timezone.utc)


class Found(str):
    """A ref a platform's discovery returns, still the plain string every step fetches and stores,
    carrying how it was found (``found_by``: query, hashtag, handle, directory) and by what
    ``term``, which the run records as the creator's lineage."""

    __slots__ = ("found_by", "term")

    def __new__(cls, ref: str, found_by: str, term: str) -> Found:
        found = super().__new__(cls, ref)
        found.found_by, found.term = found_by, term
        return found

    def __reduce__(self) -> tuple[type[Found], tuple[str, str, str]]:
        return Found, (str(self), self.found_by, self.term)


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
    # When the account was made, where the platform says (Mastodon, Bluesky): the age behind a
    # "new account with many followers" flag, never guessed.
    account_created_at: datetime | None = None
    # True when creator_id is not the platform's own account id but a stand-in from another id
    # space (an Instagram saved page's): the load merges it, by handle, into the platform's own id.
    id_is_alias: bool = False

    def __post_init__(self) -> None:
        # Here rather than in each parser, so no platform can let spoofing characters through.
        if isinstance(self.handle, str):
            self.handle = clean_handle(self.handle)
        self.display_name = clean_text(self.display_name)
        self.bio = clean_text(self.bio)


@dataclass(slots=True)
class Follower:
    """One sampled follower of a creator: its profile and, where the platform gives it, when the
    account was created (the follower model reads the account's age; a creator's Profile has no
    use for it, so it is not a Profile field)."""

    profile: Profile
    created_at: datetime | None = None


@dataclass(slots=True)
class FollowerSample:
    """A creator's sampled followers, or why the platform cannot give any (``reason``)."""

    platform: str
    creator_id: str
    followers: list[Follower] = field(default_factory=list)
    reason: str | None = None


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
    # Response headers, for paging (Link) while the run lasts; not a warehouse column.
    headers: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

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
    # A saved body that is not this platform's at all, as opposed to one of its bodies with
    # nothing in it (a login wall): `scout import` refuses the first before writing anything.
    unrecognised: bool = False

    def extend(self, other: "ParseResult") -> None:
        self.profiles.extend(other.profiles)
        self.posts.extend(other.posts)
        self.errors.extend(other.errors)

    def for_creators(self, refs: list[str]) -> "ParseResult":
        """The profiles and posts of the creators ``refs`` names (by id, handle or @handle, and
        ``user`` for ``user@host``), without errors: discovery listings carry whole profiles,
        and those belong with the creator's own batch, where its errors can hold them back."""
        wanted = {handle_key(ref) for ref in refs}

        def named(p: Profile) -> bool:
            handle = (p.handle or "").lower()
            return bool({p.creator_id.lower(), handle, handle.split("@")[0]} & wanted)

        profiles = [p for p in self.profiles if named(p)]
        ids = {p.creator_id for p in profiles} | {ref.strip() for ref in refs}
        return ParseResult(profiles=profiles, posts=[p for p in self.posts if p.creator_id in ids])


# What names a record: replacing a character here would make it name someone else.
IDENTITY_FIELDS = ("platform", "creator_id", "post_id")


def _escaped(text: str) -> str:
    """A string as UTF-8 can hold it, a lone surrogate shown as its escape (``\\ud800``)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _safe_strings(record: object) -> None:
    """Every string field of a dataclass record, in place, as UTF-8 can hold it."""
    for f in fields(record):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        if isinstance(value, str):
            setattr(record, f.name, utf8_safe(value))


def storable(result: ParseResult, raw: RawResponse | None = None) -> ParseResult:
    """``result`` with every string valid UTF-8, so no single record can fail a batch's save.

    A lone surrogate (what JSON's ``"\\ud800"`` decodes to) in free text becomes U+FFFD. In an
    id it cannot be replaced without naming another record, so that record is dropped and a
    ScrapeError (pointing at ``raw``) names its creator, which quarantines the creator whole.
    """
    out = ParseResult(next_cursor=result.next_cursor)
    dropped: dict[tuple[str, str], ScrapeError] = {}  # one error per creator and reason
    for record in (*result.profiles, *result.posts):
        bad = next((f for f in IDENTITY_FIELDS if has_surrogate(getattr(record, f, None))), None)
        if bad is None:
            _safe_strings(record)
            (out.profiles if isinstance(record, Profile) else out.posts).append(record)
            continue
        kind = type(record).__name__.lower()
        value = _escaped(getattr(record, bad))
        reason = f"{kind} {bad} '{value}' is not valid UTF-8 (a lone surrogate); not stored"
        creator = _escaped(record.creator_id)
        dropped.setdefault((creator, reason), ScrapeError(
            _escaped(record.platform), creator, raw.url if raw else None, raw.status if raw else None,
            reason, raw.response_id if raw else None))
    for error in result.errors:
        _safe_strings(error)
    out.errors = [*result.errors, *dropped.values()]
    return out


def storable_raw(raw: RawResponse) -> RawResponse:
    """``raw`` (changed in place) with every string valid UTF-8: a saved file's name can hold an
    undecodable byte as a surrogate; a body decoded with ``errors="replace"`` never does."""
    _safe_strings(raw)
    return raw
