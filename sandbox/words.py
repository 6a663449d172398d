"""The sandbox's word lists (names, cities, niches, bios, posts), loaded from ``sandbox/data``.

The words are data, not code: they live as JSON beside this module so they can be read and
edited without touching the generator. JSON arrays come back as tuples, as the generator
picks from them by index and relies on them being immutable.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any, NamedTuple


class Culture(NamedTuple):
    """Common names and cities of one culture, and the language its people post in."""

    weight: int
    female: tuple[str, ...]
    male: tuple[str, ...]
    last: tuple[str, ...]
    cities: tuple[str, ...]
    language: tuple[str, float]  # (language code, share of people who post in it)


def _frozen(value: Any) -> Any:
    """JSON arrays as tuples, all the way down."""
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return {k: _frozen(v) for k, v in value.items()}
    return value


def load(name: str) -> Any:
    """One data file of ``sandbox/data``, arrays as tuples."""
    text = files("sandbox").joinpath("data", name).read_text(encoding="utf-8")
    return _frozen(json.loads(text))


CULTURES: dict[str, Culture] = {k: Culture(**v) for k, v in load("cultures.json").items()}
NICHE_DATA: dict[str, dict] = load("niches.json")
NICHES: tuple[str, ...] = tuple(NICHE_DATA)
_VOCABULARY: dict[str, Any] = load("vocabulary.json")
JOBS = _VOCABULARY["jobs"]
ROLES = _VOCABULARY["roles"]
PRONOUNS = _VOCABULARY["pronouns"]
HOBBIES = _VOCABULARY["hobbies"]
SEPS = _VOCABULARY["seps"]
EMOJI = _VOCABULARY["emoji"]
PAID_EN = _VOCABULARY["paid_en"]
GIFT_EN = _VOCABULARY["gift_en"]
EMAIL_PREFIX_EN = _VOCABULARY["email_prefix_en"]
EMAIL_DOMAINS = _VOCABULARY["email_domains"]
LANG_ROLES = _VOCABULARY["lang_roles"]
LANG_BIO = _VOCABULARY["lang_bio"]
LANG_PAID = _VOCABULARY["lang_paid"]
LANG_GIFT = _VOCABULARY["lang_gift"]
LANG_EMAIL = _VOCABULARY["lang_email"]
LANG_POSTS = _VOCABULARY["lang_posts"]
SPONSOR_MARKERS = _VOCABULARY["sponsor_markers"]
SPONSORED_EN = _VOCABULARY["sponsored_en"]
SPONSORED_LANG = _VOCABULARY["sponsored_lang"]
LIFE_POSTS = _VOCABULARY["life_posts"]
OPENERS = _VOCABULARY["openers"]
CLOSERS = _VOCABULARY["closers"]
MEME_POSTS = _VOCABULARY["meme_posts"]
FACT_POSTS = _VOCABULARY["fact_posts"]
GENERAL_FACTS = _VOCABULARY["general_facts"]
NEWS_POSTS = _VOCABULARY["news_posts"]
NEWS_GENERIC = _VOCABULARY["news_generic"]
BRAND_POSTS = _VOCABULARY["brand_posts"]
ANIMAL_POSTS = _VOCABULARY["animal_posts"]
PET_NAMES = _VOCABULARY["pet_names"]
BREEDS = _VOCABULARY["breeds"]
ANIMAL_ACTIONS = _VOCABULARY["animal_actions"]
REPOST_OWN_POSTS = _VOCABULARY["repost_own_posts"]
FAN_POSTS = _VOCABULARY["fan_posts"]
FAN_THINGS = _VOCABULARY["fan_things"]
BRAND_PREFIX = _VOCABULARY["brand_prefix"]
BRAND_BIOS = _VOCABULARY["brand_bios"]
BRAND_BIOS_VAGUE = _VOCABULARY["brand_bios_vague"]
TAGLINES = _VOCABULARY["taglines"]
NEWS_NAMES = _VOCABULARY["news_names"]
NEWS_BIOS = _VOCABULARY["news_bios"]
NEWS_BOT_BIOS = _VOCABULARY["news_bot_bios"]
MEME_NAMES = _VOCABULARY["meme_names"]
MEME_BIOS = _VOCABULARY["meme_bios"]
MEME_BIOS_VAGUE = _VOCABULARY["meme_bios_vague"]
FACT_NAMES = _VOCABULARY["fact_names"]
FACT_BIOS = _VOCABULARY["fact_bios"]
FACT_BIOS_VAGUE = _VOCABULARY["fact_bios_vague"]
ANIMAL_NAMES = _VOCABULARY["animal_names"]
ANIMAL_BIOS = _VOCABULARY["animal_bios"]
REPOST_NAMES = _VOCABULARY["repost_names"]
REPOST_BIOS = _VOCABULARY["repost_bios"]
REPOST_BOT_BIOS = _VOCABULARY["repost_bot_bios"]
FAN_BIOS = _VOCABULARY["fan_bios"]
FAN_NAMES = _VOCABULARY["fan_names"]
SEP_WEIGHTS = _VOCABULARY["sep_weights"]
