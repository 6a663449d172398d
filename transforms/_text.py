"""Vectorised text cleaning shared by normalize, contacts and the account-type scorer.

Every regex in transforms/ runs on pyarrow's RE2 kernels, roughly ten times faster than
Python's ``re`` on non-ASCII text (which every real bio is): ``matches`` and ``extract`` call
pyarrow directly, and the patterns given to pandas' ``.str.replace`` avoid what would make
pandas fall back to ``re`` (``\\b \\w \\s \\d \\u`` escapes, look-arounds, back-references).
Word boundaries are spelled out as ``(?:^|[^a-z0-9_])`` instead.
``tests/test_transforms_patterns.py`` guards this.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from transforms.frames import STRING, to_string

# Whitespace of any kind (tabs, newlines, no-break and typographic spaces) -> one space.
WHITESPACE = (
    r"[\t\n\r\x0b\x0c \x85\xa0]"
    "|[\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)
# C0/C1 control characters, zero-width and bidi formatting characters, BOM, soft hyphen.
INVISIBLE = (
    r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]"
    "|[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# Combining marks left behind by NFKD (accents): removing them ascii-folds Latin text.
COMBINING = "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"

_NAMED_GROUP = re.compile(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>")

WORD_START = "(?:^|[^a-z0-9_])"
WORD_END = "(?:$|[^a-z0-9_])"


def words(alternatives: list[str]) -> str:
    """A group matching any of the phrases as whole words, longest first (RE2-safe)."""
    alts = sorted(set(alternatives), key=lambda a: (-len(a), a))
    return WORD_START + "(?P<m>" + "|".join(alts) + ")" + WORD_END


def clean_text(s: pd.Series) -> pd.Series:
    """Invisible characters removed, whitespace collapsed and trimmed, "" -> NA."""
    s = to_string(s)
    s = s.str.replace(INVISIBLE, "", regex=True)
    s = s.str.replace(WHITESPACE, " ", regex=True)
    s = s.str.replace(" {2,}", " ", regex=True).str.strip(" ")
    return s.mask(s.str.len().eq(0))


def fold(s: pd.Series) -> pd.Series:
    """ASCII-folded text, case kept: 'José' -> 'Jose', '𝓜𝓪𝔂𝓪' -> 'Maya', ’ -> '."""
    s = to_string(s).str.normalize("NFKD").str.replace(COMBINING, "", regex=True)
    return s.str.replace("[’‘`´]", "'", regex=True)


def _arrow(s: pd.Series) -> pa.ChunkedArray:
    """The Arrow buffers behind an Arrow-backed string Series (no copy); any other Series
    converted, NaN read as null."""
    arr = pa.array(s.array, from_pandas=True)  # via __arrow_array__ when Arrow-backed
    return arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])


def from_arrow(arr: pa.Array | pa.ChunkedArray, index: pd.Index) -> pd.Series:
    """An Arrow string array as a STRING Series."""
    if arr.type != pa.large_string():
        arr = arr.cast(pa.large_string())
    return pd.Series(pd.arrays.ArrowStringArray(arr), index=index, dtype=STRING)


def empty_strings(n: int, index: pd.Index) -> pd.Series:
    """An all-NA string column of length n."""
    return from_arrow(pa.nulls(n, pa.large_string()), index)


def matches(s: pd.Series, pattern: str) -> pd.Series:
    """Plain-bool ``.str.contains`` (NA -> False), always on pyarrow's RE2 kernel.

    Called directly rather than through pandas, which silently switches the whole column
    to Python's ``re`` when, say, one of 30M posts contains a newline and the pattern a ``$``.
    """
    s = to_string(s)
    if len(s) == 0:
        return pd.Series(np.zeros(0, dtype=bool), index=s.index)
    pattern = _NAMED_GROUP.sub("(?:", pattern)
    hit = pc.fill_null(pc.match_substring_regex(_arrow(s), pattern), False)
    return pd.Series(np.asarray(hit.to_numpy(), dtype=bool), index=s.index)


def extract(s: pd.Series, pattern: str, group: str = "m") -> pd.Series:
    """The named group of the first match, NA where none.

    This is ``.str.extract`` done by pyarrow's RE2 kernel: pandas 3.1 runs ``.str.extract``
    on Arrow strings through Python's ``re`` one row at a time.
    """
    s = to_string(s)
    if len(s) == 0:
        return empty_strings(0, s.index)
    found = pc.extract_regex(_arrow(s), pattern)
    return from_arrow(pc.struct_field(found, [group]), s.index)
