"""The one text cleaner: HTML to text, then what can spoof or break text removed.

Scrapers call it on every name, bio and caption they build (through the records), transforms
and ``scout classify`` call it on input columns, so one bio is cleaned one way wherever it enters.
"""

from __future__ import annotations

import re
import unicodedata
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")

# Characters that are not text: C0/C1 controls (but tab and newline), bidi embeddings, overrides
# and isolates (they reorder what follows, the "Trojan Source" trick), and invisible format
# characters (zero-width space, word joiner, BOM, invisible operators, interlinear annotations).
_NOT_TEXT_CHARS = ("\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u2060-\u2064"
                   "\u206a-\u206f\ufeff\u180e\ufff9-\ufffb")
_NOT_TEXT = re.compile(f"[{_NOT_TEXT_CHARS}]")
# ZWJ and ZWNJ are real text inside a word (emoji sequences, Persian, Indic scripts), noise elsewhere.
_STRAY_JOINERS = re.compile(r"(?<!\S)[\u200c\u200d]+|[\u200c\u200d]+(?!\S)")
# Tag characters spell subdivision flags after U+1F3F4 and hide text ("ASCII smuggling") elsewhere.
_TAGS = re.compile("(\U0001F3F4[\U000E0020-\U000E007F]+)|[\U000E0000-\U000E007F]+")
# Every character clean_text can remove or replace (\r is among the controls). A text without any
# (and without lone surrogates, which UTF-8 cannot hold) that is in NFC comes back unchanged, so
# a caller cleaning many texts can find the few to clean with one vectorised (RE2) search.
CLEANED_CHARS = f"[{_NOT_TEXT_CHARS}\u200c\u200d\U000E0000-\U000E007F]"
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


