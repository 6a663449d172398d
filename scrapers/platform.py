"""What a platform plug-in is: one typed record per platform, so nothing about a platform
lives outside its own package and a type checker catches a plug-in that misses a member.

Each ``scrapers/<name>/__init__.py`` builds one :class:`Platform`; ``scrapers/registry.py``
lists them. The flows only ever talk to a platform through these members.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any, Protocol

from core.records import FollowerSample, Found, ParseResult, RawResponse
from core.settings import Settings
from scrapers.settings import PlatformSettings, platform_settings


class Preflight(Protocol):
    """Everything checkable before a flow starts: credentials, unsupported inputs, handles."""

    def __call__(self, base_url: str, *, queries: list[str], hashtags: list[str],
                 handles: list[str]) -> None: ...


class Discover(Protocol):
    """Account refs to fetch (bluesky: DIDs/handles; mastodon: account ids; youtube: @handle/UC…),
    each a :class:`core.records.Found` saying how it was found."""

    def __call__(self, http: Any, base_url: str, *, queries: list[str], hashtags: list[str],
                 handles: list[str], limit: int) -> list[Found]: ...


class FetchCreators(Protocol):
    """Profiles and recent posts of ``refs``; every response lands in ``http.raw_responses``."""

    def __call__(self, http: Any, base_url: str, refs: list[str], *,
                 posts_per_creator: int) -> None: ...


class SampleFollowers(Protocol):
    """Up to ``size`` followers of one creator (by its platform id), with their counts; every
    response lands in ``http.raw_responses``. A platform without follower lists says why."""

    def __call__(self, http: Any, base_url: str, creator_id: str, *, size: int) -> FollowerSample: ...


class Parse(Protocol):
    """Pure: dispatch on ``raw.kind``; never raises on a bad body, returns a ScrapeError."""

    def __call__(self, raw: RawResponse) -> ParseResult: ...


class ParseSaved(Protocol):
    """A body a user saved: its kind is recognised from its content (scout parse / import)."""

    def __call__(self, body: str, source: str = ...) -> ParseResult: ...


class HandleRule(Protocol):
    """The normalised handle, or InvalidInput saying in one sentence what is wrong."""

    def __call__(self, handle: str) -> str: ...


def handles_only(preflight: Preflight, validate_handle: HandleRule) -> Discover:
    """``discover`` for a platform that cannot search (Instagram, TikTok): the handles, checked
    by its ``preflight``, validated and de-duplicated (all of them, even past ``limit``); no
    request is made."""

    def discover(http: Any, base_url: str, *, queries: list[str], hashtags: list[str],
                 handles: list[str], limit: int) -> list[Found]:
        preflight(base_url, queries=queries, hashtags=hashtags, handles=handles)
        return [Found(h, "handle", h) for h in dict.fromkeys(validate_handle(h) for h in handles)]

    return discover


def no_follower_lists(platform: str, reason: str) -> SampleFollowers:
    """``sample_followers`` for a platform whose API lists no followers: no request, only the
    reason, so an audit stores null with it instead of a guess."""

    def sample_followers(http: Any, base_url: str, creator_id: str, *, size: int) -> FollowerSample:
        return FollowerSample(platform, creator_id, reason=reason)

    return sample_followers


@dataclass(frozen=True)
class Platform:
    """One platform: its name, defaults, handle rule and the five pipeline steps."""

    name: str
    defaults: PlatformSettings  # public base URL, ~90% of the published rate, burst
    validate_handle: HandleRule
    preflight: Preflight
    discover: Discover
    fetch_creators: FetchCreators
    sample_followers: SampleFollowers
    parse: Parse
    parse_saved: ParseSaved

    def settings(self, base_url: str | None = None, config: Settings | None = None) -> PlatformSettings:
        """The defaults with the settings object's and the caller's overrides applied."""
        return platform_settings(self.name, self.defaults, base_url, config)

    @classmethod
    def assemble(cls, name: str, defaults: PlatformSettings, *, handles: ModuleType,
                 client: ModuleType, parsers: ModuleType) -> Platform:
        """The platform whose members are its package's functions of the standard names
        (``handles.validate_handle``; ``client.preflight``, ``discover``, ``fetch_creators``, ``sample_followers``;
        ``parsers.parse``, ``parse_saved``): a missing one fails at import, naming it."""
        return cls(name=name, defaults=defaults, validate_handle=handles.validate_handle,
                   preflight=client.preflight, discover=client.discover,
                   fetch_creators=client.fetch_creators, sample_followers=client.sample_followers,
                   parse=parsers.parse,
                   parse_saved=parsers.parse_saved)
