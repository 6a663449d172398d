"""Pure helpers every platform parser shares: HTML to text, sponsorship cues, dates, JSON, counts.

Kept free of IO so parsers stay pure and these can be tested on strings alone.
"""

from __future__ import annotations

import json
import re
import warnings
from datetime import datetime, timezone
from typing import Any

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

# Disclosure cues, as creators actually write them (EN, DE, ES, PT, FR, IT).
# "#ad" must not match "#adventure", hence the word boundaries.
_SPONSORED = re.compile(
    r"""
    (?:\#(?:ad|ads|advert|advertisement|adv|anzeige|werbung|sponsored|sponsor|spon|
           sponsoredpost|paidpartnership|paidpost|partner|publi|publicidad|publicidade|
           sponsorisé|sponsorise|sponsorizzato|gifted|prgift)\b)
    | \bpaid\ partnership\b
    | \bsponsored\ by\b
    | \bin\ partnership\ with\b
    | \b(?:pr\ )?gifted\ (?:by|from)\b
    | \bwerbung\b
    | \banzeige\b
    | \bpublicidad\b
    | \bpublicidade\b
    | \bpatrocinado\b
    | \bcollaboration\ commerciale\b
    | \bpartenariat\ rémunéré\b
    """,
    re.IGNORECASE | re.VERBOSE,
)

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}>\"'…"


def html_links(html: str | None) -> list[tuple[str, str]]:
    """(href, kind) of every link, kind being "mention", "hashtag" or "link"; why: a profile's
    external URL is its first plain link, never a mention or a hashtag."""
    if not html or "<a" not in html:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, "html.parser")
    links: list[tuple[str, str]] = []
    for a in soup.find_all("a", href=True):
        classes = set(a.get("class") or [])
        rel = set(a.get("rel") or [])
        if "hashtag" in classes or "tag" in rel:
            kind = "hashtag"
        elif "mention" in classes:
            kind = "mention"
        else:
            kind = "link"
        links.append((str(a["href"]), kind))
    return links


def first_url(text: str | None) -> str | None:
    """First http(s) or www. URL in free text, without trailing punctuation."""
    if not text:
        return None
    match = _URL.search(text)
    if not match:
        return None
    url = match.group(0).rstrip(_URL_TRAILING)
    if url.lower().startswith("www."):
        url = "https://" + url
    return url


def is_sponsored(text: str | None) -> bool:
    """True when the text carries a paid-partnership disclosure (#ad, Werbung, sponsored by…)."""
    if not text:
        return False
    return _SPONSORED.search(text) is not None


def parse_datetime(value: Any) -> datetime | None:
    """Aware UTC datetime from ISO-8601 text (``Z``, offsets, nanoseconds, date only) or epoch
    seconds; None when absent or unreadable, so one odd timestamp never fails a whole page."""
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, (int, float)):
            return datetime.fromtimestamp(value, tz=timezone.utc)
        if not isinstance(value, str) or not value.strip():
            return None
        parsed = datetime.fromisoformat(value.strip())
    except (ValueError, OverflowError, OSError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    try:
        return parsed.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        return None


# The warehouse stores counts as BIGINT; anything larger is a corrupt or hostile body, not a count.
MAX_COUNT = 2**63 - 1


def as_count(value: Any) -> int | None:
    """A non-negative integer count, or None: a missing or odd count is unknown, not zero."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip()) if len(value.strip()) <= 19 else None
    if isinstance(value, int):
        return value if 0 <= value <= MAX_COUNT else None
    return None


def dig(data: Any, *path: str) -> Any:
    """The value at ``path`` in nested JSON objects, or None where a step is not an object."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def as_str(value: Any) -> str | None:
    """The value if it is a string, else None (APIs sometimes send null or numbers)."""
    return value if isinstance(value, str) else None


def decode_json(body: str | bytes | None) -> tuple[Any, str | None]:
    """(data, None) or (None, reason): a truncated body must become a ScrapeError, not a crash."""
    if body is None or (isinstance(body, (str, bytes)) and not body.strip()):
        return None, "empty body"
    try:
        return json.loads(body, parse_constant=_no_constant), None
    except json.JSONDecodeError as exc:
        # json's message may end in "starting at"; the position finishes the sentence.
        message = re.sub(r"\s+at$", "", exc.msg)
        return None, f"invalid JSON: {message} at char {exc.pos}"
    except RecursionError:
        return None, "invalid JSON: nested too deeply to be a platform response"
    except (TypeError, ValueError) as exc:  # NaN/Infinity, invalid UTF-8, 4,300-digit numbers
        return None, f"invalid JSON: {exc}"


def _no_constant(name: str) -> Any:
    """NaN and Infinity are not JSON (RFC 8259); Python's json would accept them."""
    raise ValueError(f"{name} is not a JSON value")
