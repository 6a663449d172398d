"""Count strings as platforms print them: "1,234", "1.234", "12.5K", "3,5 Mio.", "25m subscribers".

Every platform abbreviates differently and in the reader's locale, so this is the one place
that turns such text into an integer. Unknown stays None, never 0; "No subscribers" is 0.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from scrapers.text import MAX_COUNT

# Suffixes seen on YouTube, Instagram and TikTok pages across locales, lowercased, no dot.
MULTIPLIERS: dict[str, int] = {
    "k": 10**3, "tsd": 10**3, "mil": 10**3, "mille": 10**3, "тыс": 10**3,
    "m": 10**6, "mio": 10**6, "mn": 10**6, "mln": 10**6, "mi": 10**6, "million": 10**6,
    "millions": 10**6, "millionen": 10**6, "millones": 10**6, "milhões": 10**6, "млн": 10**6,
    "b": 10**9, "bn": 10**9, "mrd": 10**9, "billion": 10**9, "bi": 10**9, "млрд": 10**9,
}
_ZERO = re.compile(r"^\s*(?:no|none|zero|keine|kein|ningún|ninguna|sin|aucun|aucune|nenhum)\b", re.I)
_SPACES = "\u00a0\u202f\u2009 '’"  # NBSP, narrow NBSP, thin space, space, apostrophes (CH)
_NUMBER = re.compile(
    r"(?P<num>\d[\d" + _SPACES + r".,]*)\s*(?P<suffix>[^\W\d_]+\.?)?", re.UNICODE
)


def _plain_integer(digits: str) -> int | None:
    """A number with only grouping separators: "1,234", "1.234.567", "1 234"."""
    groups = re.split(r"[.,]|[" + _SPACES + "]+", digits)
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])):
        return None
    return int("".join(groups))


def _decimal(digits: str) -> Decimal | None:
    """A number that may carry a decimal mark before a suffix: "12.5", "3,5", "1 234,5"."""
    compact = re.sub("[" + _SPACES + "]", "", digits)
    if "," in compact and "." in compact:  # the last one is the decimal mark
        decimal_mark = "," if compact.rfind(",") > compact.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        compact = compact.replace(grouping, "").replace(decimal_mark, ".")
    else:
        compact = compact.replace(",", ".")
        if compact.count(".") > 1:
            return None
    try:
        return Decimal(compact)
    except InvalidOperation:
        return None


def parse_count(text: str | int | float | None) -> int | None:
    """The integer a count string stands for, or None when it is not a count (nor above
    MAX_COUNT: such a number is a corrupt or hostile page, and the warehouse could not hold it)."""
    try:
        value = _parse_count(text)
    except (ValueError, OverflowError):  # a 5,000-digit number, an infinite Decimal
        return None
    return value if value is None or value <= MAX_COUNT else None


def _parse_count(text: str | int | float | None) -> int | None:
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if text >= 0 else None
    if isinstance(text, float):
        return int(text) if text >= 0 and text == text and text != float("inf") else None
    if _ZERO.match(text):
        return 0
    match = _NUMBER.search(text)
    if not match:
        return None
    digits = match["num"].rstrip(_SPACES + ".,")
    suffix = (match["suffix"] or "").lower().rstrip(".")
    multiplier = MULTIPLIERS.get(suffix) or MULTIPLIERS.get(suffix + ".")
    if multiplier is None:
        return _plain_integer(digits)
    value = _decimal(digits)
    return None if value is None else int(value * multiplier)
