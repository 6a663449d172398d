"""Every parameter of a run, checked before any work starts.

One function per kind of value, and ``validate_discover_params`` for a whole discover run, so
the CLI and the flows give the same one-sentence InvalidInput for the same mistake and a run
never fails halfway on a value it could have refused at the start. Lives in flows/ because it
needs both the scrapers (platforms, handles, URLs) and the transforms (tier schemes); it does no
IO and imports no Prefect, so the CLI can call it cheaply.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapers.errors import InvalidInput
from scrapers.registry import get_platform, platform_name, validate_handle
from scrapers.validate import validate_base_url

if TYPE_CHECKING:
    from core.settings import Settings

MAX_QUERY_CHARS = 200
MAX_HASHTAG_CHARS = 100
MAX_TERMS = 100  # queries + hashtags + handles in one run
MAX_LIMIT = 100_000
MAX_LIST_ROWS = 1_000_000  # scout candidates --limit: more is for scout export
MAX_POSTS_PER_CREATOR = 1000
MAX_AUDIENCE_SAMPLE = 1000  # followers per audited creator; 0 audits nobody
# A hashtag as the platforms accept it: letters, marks and digits of any script, underscores,
# the middle dot and ZWNJ (Mastodon's rule); everything else would be cut off by the platform.
_HASHTAG = re.compile(r"^[\w\u00b7\u200c]+$")


@dataclass(frozen=True)
class DiscoverParams:
    """The normalised parameters of one discover run (keyword names as the flow takes them)."""

    platform: str
    base_url: str
    queries: list[str]
    hashtags: list[str]
    handles: list[str]
    limit: int
    posts_per_creator: int
    tier_scheme: str
    person_threshold: float
    rate_per_second: float | None
    audit_audience: bool = False  # audit every creator the run scores, not only its candidates
    audience_sample: int = 100

    def as_kwargs(self) -> dict[str, Any]:
        return asdict(self)


def validate_platform(platform: str) -> str:
    """The lower-case platform name, or InvalidInput listing the known ones (no plug-in imported)."""
    return platform_name(platform)


def _term(value: str, what: str, example: str, max_chars: int) -> str:
    """A search term that is not empty and not too long, or InvalidInput saying which."""
    if not value:
        raise InvalidInput(f"A {what} is empty; {example}.")
    if len(value) > max_chars:
        raise InvalidInput(
            f"The {what} {value[:30]!r}… is {len(value)} characters long; "
            f"the most allowed is {max_chars}."
        )
    return value


def validate_query(query: str) -> str:
    """Search words: stripped, non-empty, printable, at most MAX_QUERY_CHARS characters."""
    value = _term(query.strip() if isinstance(query, str) else "", "search query",
                  "give some words, as in --query baking", MAX_QUERY_CHARS)
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise InvalidInput(f"The search query {value!r} holds control or invisible characters.")
    return value


def validate_hashtag(hashtag: str) -> str:
    """A hashtag without its ``#``: letters, digits and underscores only, not too long."""
    value = _term(hashtag.strip().lstrip("#") if isinstance(hashtag, str) else "", "hashtag",
                  "give one without spaces, as in --hashtag baking", MAX_HASHTAG_CHARS)
    if not _HASHTAG.match(value):
        raise InvalidInput(
            f"The hashtag {hashtag!r} may hold only letters, digits and underscores, as in #baking."
        )
    return value


def validate_threshold(value: float, name: str = "person threshold") -> float:
    """A probability between 0 and 1 inclusive."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise InvalidInput(f"The {name} must be a number from 0 to 1, not {value!r}.")
    return float(value)


def validate_count(value: int, name: str, low: int, high: int) -> int:
    """A whole number in [low, high]; bools and floats are refused, not truncated."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"The {name} must be a whole number from {low:,} to {high:,}, not {value!r}.")
    return value


def validate_rate(value: float | None) -> float | None:
    """Requests per second: None (the platform default) or a positive finite number."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value <= 0:
        raise InvalidInput(f"The request rate must be a positive number per second, not {value!r}.")
    return float(value)


def validate_tier_scheme(name: str) -> str:
    """A known tier scheme name (or label such as "default@v1")."""
    from transforms.tiers import get_scheme

    if not isinstance(name, str):
        raise InvalidInput(f"The tier scheme must be a name such as 'default', not {name!r}.")
    try:
        get_scheme(name)
    except ValueError as exc:
        raise InvalidInput(f"{str(exc)[0].upper()}{str(exc)[1:]}.") from None
    return name.strip()


def validate_input_file(path: str | Path, what: str = "input file") -> Path:
    """An existing, readable regular file."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise InvalidInput(f"The {what} {target} is a directory; give a file.")
    if not target.is_file():
        raise InvalidInput(f"The {what} {target} does not exist.")
    try:
        with target.open("rb"):
            pass
    except OSError as exc:
        raise InvalidInput(f"The {what} {target} cannot be read: {exc.strerror or exc}.") from None
    return target


def _each(values: Iterable[str] | None, check: Any) -> list[str]:
    if isinstance(values, str):  # one value where a list was meant: treat it as one item
        values = [values]
    return list(dict.fromkeys(check(v) for v in values or []))


def validate_discover_params(
    platform: str,
    base_url: str | None = None,
    queries: Iterable[str] | None = None,
    hashtags: Iterable[str] | None = None,
    handles: Iterable[str] | None = None,
    limit: int = 100,
    posts_per_creator: int = 30,
    tier_scheme: str = "default",
    person_threshold: float = 0.5,
    rate_per_second: float | None = None,
    audit_audience: bool = False,
    audience_sample: int = 100,
    config: Settings | None = None,
    **_ignored: Any,
) -> DiscoverParams:
    """All parameters of a discover run, normalised, or InvalidInput naming the first bad one.

    Also runs the platform's own preflight (handles only for Instagram and TikTok, credentials
    present), so a run that cannot work never starts. Extra keyword arguments (db_path, faces,
    …) are accepted and ignored, so the flow can pass its whole signature.
    """
    from core.settings import Settings

    config = config or Settings.from_env(InvalidInput)  # every SCOUT_* override, checked before any fetch
    name = validate_platform(platform)
    url = validate_base_url(get_platform(name).settings(base_url, config).base_url)
    checked_queries = _each(queries, validate_query)
    checked_tags = _each(hashtags, validate_hashtag)
    checked_handles = _each(handles, lambda h: validate_handle(name, h))
    if len(checked_queries) + len(checked_tags) + len(checked_handles) > MAX_TERMS:
        raise InvalidInput(f"A run takes at most {MAX_TERMS} queries, hashtags and handles together.")
    params = DiscoverParams(
        platform=name,
        base_url=url,
        queries=checked_queries,
        hashtags=checked_tags,
        handles=checked_handles,
        limit=validate_count(limit, "limit", 1, MAX_LIMIT),
        posts_per_creator=validate_count(posts_per_creator, "number of posts per creator", 0,
                                         MAX_POSTS_PER_CREATOR),
        tier_scheme=validate_tier_scheme(tier_scheme),
        person_threshold=validate_threshold(person_threshold),
        rate_per_second=validate_rate(rate_per_second),
        audit_audience=bool(audit_audience),
        audience_sample=validate_count(audience_sample, "audience sample", 0, MAX_AUDIENCE_SAMPLE),
    )
    get_platform(name).preflight(url, queries=checked_queries, hashtags=checked_tags,
                                 handles=checked_handles)
    return params
