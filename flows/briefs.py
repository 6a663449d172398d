"""A brief from a TOML file and the command line, checked into one ``core.brief.Brief``.

``scout match``, ``scout discover --brief-file`` and ``scout demo`` all read briefs here, so a
typo in a key, a wrong type or an unknown tier is the same one line everywhere, naming the key
and where it came from (the file, or the option). Options given on the command line replace the
file's value of the same key.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from core.brief import COLLABORATIONS, Brief
from core.errors import InputError
from flows.params import validate_input_file
from scrapers.registry import PLATFORM_NAMES
from transforms.tiers import DEFAULT

#: TOML key -> Brief field (the file says ``brief = "..."``, the record calls it ``text``).
FILE_KEYS = {"name": "name", "brief": "text", "platforms": "platforms", "tiers": "tiers",
             "languages": "languages", "min_authenticity": "min_authenticity",
             "collaboration": "collaboration", "exclude": "exclude", "like": "like"}
LIST_KEYS = ("platforms", "tiers", "languages", "exclude", "like")
#: Brief field -> the command-line option that sets it (``--save NAME`` names the brief).
OPTIONS = {"text": "--brief", "name": "--save", "platforms": "--platform", "tiers": "--tier",
           "languages": "--language", "min_authenticity": "--min-authenticity",
           "collaboration": "--collaboration", "exclude": "--exclude", "like": "--like"}
TIERS = tuple(DEFAULT.tiers)
_LANGUAGE = re.compile(r"[a-z]{2,3}")
_NAME = re.compile(r"[\w][\w .-]{0,79}")


class BriefError(InputError):
    """A brief that cannot be used: one line naming the key and where it came from."""


@dataclass(frozen=True)
class BriefOptions:
    """What the command line said about a brief; None (or empty) means "not given"."""

    text: str | None = None
    name: str | None = None
    platforms: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    min_authenticity: float | None = None
    collaboration: str | None = None
    exclude: tuple[str, ...] = ()
    like: tuple[str, ...] = ()


def read_brief_file(path: Path) -> dict[str, Any]:
    """The file's keys as Brief field names, each checked for its type."""
    validate_input_file(path, "brief file")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise BriefError(f"{path} is not UTF-8 text; a brief file is TOML") from None
    except tomllib.TOMLDecodeError as exc:
        raise BriefError(f"{path} is not valid TOML: {exc}") from None
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in FILE_KEYS:
            raise BriefError(f"{path}: unknown key {key!r}; a brief takes {', '.join(FILE_KEYS)}")
        values[FILE_KEYS[key]] = _typed(key, value, f"{path}: key {key!r}")
    return values


def _typed(key: str, value: Any, source: str) -> Any:
    """``value`` as the key's type: a list of strings, a number or a string."""
    if key in LIST_KEYS:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise BriefError(f"{source} must be a list of strings, such as [\"a\", \"b\"]")
        return tuple(v.strip() for v in value if v.strip())
    if key == "min_authenticity":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise BriefError(f"{source} must be a number from 0 to 100, not {value!r}")
        return float(value)
    if not isinstance(value, str):
        raise BriefError(f"{source} must be a string, not {value!r}")
    return value.strip()


def build_brief(options: BriefOptions, brief_file: Path | None = None) -> Brief:
    """The brief of ``brief_file`` (if any) with every option the command line gave put over it,
    each value checked; a brief needs words or at least one ``like`` seed."""
    values = read_brief_file(brief_file) if brief_file is not None else {}
    given = {f.name: getattr(options, f.name) for f in fields(options)}
    overrides = {k: v for k, v in given.items() if v not in (None, ())}
    brief = replace(Brief(text=""), **{**values, **overrides})
    keys = {field: key for key, field in FILE_KEYS.items()}
    where = {k: OPTIONS[k] if k in overrides or brief_file is None else f"{brief_file}: key {keys[k]!r}" for k in given}
    return _checked(brief, where)


def _checked(brief: Brief, where: dict[str, str]) -> Brief:
    """The brief with names normalised, or BriefError naming the first bad key and its source."""
    text = " ".join(brief.text.split())
    if not text and not brief.like:
        raise BriefError(f"{where['text']}: the brief is empty; give its words (brief = \"...\" in the "
                         "file or --brief) or at least one --like handle")
    if brief.name is not None and not _NAME.fullmatch(brief.name):
        raise BriefError(f"{where['name']}: name {brief.name!r} must be 1 to 80 letters, digits, "
                         "spaces, '.', '-' or '_'")
    platforms = _known(brief.platforms, PLATFORM_NAMES, "platform", where["platforms"])
    tiers = _known(brief.tiers, TIERS, "tier", where["tiers"])
    languages = tuple(dict.fromkeys(v.lower() for v in brief.languages))
    bad = [v for v in languages if not _LANGUAGE.fullmatch(v)]
    if bad:
        raise BriefError(f"{where['languages']}: language {bad[0]!r} is not an ISO 639-1 code such as en or de")
    minimum = brief.min_authenticity
    if minimum is not None and not (math.isfinite(minimum) and 0 <= minimum <= 100):
        raise BriefError(f"{where['min_authenticity']}: must be a number from 0 to 100, not {minimum:g}")
    collaboration = brief.collaboration.strip().lower()
    if collaboration not in COLLABORATIONS:
        raise BriefError(f"{where['collaboration']}: collaboration {brief.collaboration!r} is not one of "
                         f"{', '.join(COLLABORATIONS)}")
    return replace(brief, text=text, platforms=platforms, tiers=tiers, languages=languages,
                   collaboration=collaboration, exclude=_distinct(brief.exclude), like=_distinct(brief.like))


def _known(values: Iterable[str], known: Iterable[str], what: str, source: str) -> tuple[str, ...]:
    names = _distinct(v.lower() for v in values)
    allowed = tuple(known)
    unknown = [v for v in names if v not in allowed]
    if unknown:
        raise BriefError(f"{source}: unknown {what} {unknown[0]!r}; use {', '.join(allowed)}")
    return names


def _distinct(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))


def brief_params(brief: Brief) -> dict[str, Any]:
    """Everything but the words, as stored beside a saved shortlist (``briefs.params``)."""
    return {f.name: list(v) if isinstance(v := getattr(brief, f.name), tuple) else v
            for f in fields(brief) if f.name not in ("text", "name")}


#: Words a brief is made of that find nobody: English function words and brief-speak.
STOPWORDS = frozenset("""
a about above after again all also am an and any are as at be because been being both but by can could
did do does doing down during each few for from further had has have having he her here hers him his
how i if in into is it its itself just me more most my no nor not now of off on once only or other our
ours out over own same she should so some such than that the their theirs them then there these they
this those through to too under until up very was we were what when where which while who whom why will
with would you your yours
brand brands creator creators influencer influencers people someone looking want wants need needs
small big local share shares sharing post posts posting content like love who our audience campaign
""".split())
MAX_QUERIES = 5
#: A niche of the brief becomes a hashtag when the niche model gives it at least this probability.
NICHE_TERM_PROBABILITY = 0.2


def brief_search_terms(brief: Brief) -> tuple[list[str], list[str]]:
    """(queries, hashtags) a discover derives from a brief: its first content words (stopwords
    and words under 3 letters left out) and the niches the niche model reads in it ("food")."""
    from transforms.content import text_profile
    from transforms.niches import NICHES

    words = [w for w in re.findall(r"[^\W\d_]{3,}", brief.text.lower()) if w not in STOPWORDS]
    probs, _ = text_profile(brief.text) if brief.text else (None, None)
    niches = [] if probs is None else [
        n for n, p in sorted(zip(NICHES, probs, strict=True), key=lambda np_: -np_[1])
        if n != "other" and p >= NICHE_TERM_PROBABILITY]
    return list(dict.fromkeys(words))[:MAX_QUERIES], niches
