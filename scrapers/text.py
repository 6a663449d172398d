"""Pure helpers every platform parser shares: HTML to text, sponsorship cues, dates, JSON, counts.

Kept free of IO so parsers stay pure and these can be tested on strings alone.
"""

from __future__ import annotations

import json
import re
import unicodedata
import warnings
from datetime import datetime, timezone
from typing import Any

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")

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

# Characters that are not text: C0/C1 controls (but tab and newline), bidi embeddings, overrides
# and isolates (they reorder what follows, the "Trojan Source" trick), and invisible format
# characters (zero-width space, word joiner, BOM, invisible operators, interlinear annotations).
_NOT_TEXT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u2060-\u2064"
    "\u206a-\u206f\ufeff\u180e\ufff9-\ufffb]"
)
# ZWJ and ZWNJ are real text inside a word (emoji sequences, Persian, Indic scripts), noise elsewhere.
_STRAY_JOINERS = re.compile(r"(?<!\S)[\u200c\u200d]+|[\u200c\u200d]+(?!\S)")
# Tag characters spell subdivision flags after U+1F3F4 and hide text ("ASCII smuggling") elsewhere.
_TAGS = re.compile("(\U0001F3F4[\U000E0020-\U000E007F]+)|[\U000E0000-\U000E007F]+")
_SURROGATES = re.compile("[\ud800-\udfff]")  # JSON "\\ud800" escapes that no encoder can write
_HANDLE_NOISE = re.compile("[\u200c\u200d\u200e\u200f\u061c]+")


def clean_text(text: str | None) -> str | None:
    """Names, bios and captions with the visible text kept and what can spoof or break it gone.

    Drops control, bidi-override and invisible characters (see _NOT_TEXT), stray joiners and
    smuggled tag characters; replaces lone surrogates with U+FFFD; normalises line breaks to
    ``\\n`` and the whole to NFC, so the same name is stored the same way whatever the source.
    """
    if not isinstance(text, str) or not text:
        return text
    if text.isascii():
        if text.isprintable():
            return text
        return _NOT_TEXT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _SURROGATES.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _TAGS.sub(lambda m: m.group(1) or "", _NOT_TEXT.sub("", text))
    return unicodedata.normalize("NFC", _STRAY_JOINERS.sub("", text))


def utf8_safe(text: str) -> str:
    """``text`` with every lone surrogate as U+FFFD: UTF-8 (so pyarrow and DuckDB) cannot hold one."""
    return _SURROGATES.sub("\ufffd", text) if not text.isascii() else text


def has_surrogate(value: object) -> bool:
    """Whether ``value`` is a string that UTF-8 cannot encode (it holds a lone surrogate)."""
    return isinstance(value, str) and not value.isascii() and _SURROGATES.search(value) is not None


def clean_handle(handle: str) -> str:
    """A handle as :func:`clean_text`, trimmed, and without joiners or direction marks at all:
    a handle is an identifier, and an invisible character in it would make a look-alike twin."""
    return _HANDLE_NOISE.sub("", clean_text(handle) or "").strip()


_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}>\"'…"


def html_to_text(html: str | None) -> str:
    """Plain text of an HTML fragment (Mastodon notes, statuses, fields).

    Line breaks survive for ``<br>`` and paragraph ends, tags go, entities are unescaped.
    Mastodon splits links into invisible/visible spans; dropping the tags rejoins the full URL.
    """
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        return html.strip()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, "html.parser")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for p in soup.find_all("p"):
        p.append("\n\n")
    text = soup.get_text()
    text = _TRAILING_SPACE.sub("\n", text.replace("\r\n", "\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


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
