"""Signal values for a whole frame, how the evidence words them, and the column-wise
measures the signal groups share (regex matches and counts, byte-level counts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from transforms._text import (
    _arrow,
    extract,
    matches,
    words,
)
from transforms.account_words import (
    PAGE_WORDS,
)
from transforms.frames import to_string

PAGE_LABEL = {k: (k or "page") for k in PAGE_WORDS}
PAGE_PATTERNS = {k: words(v) for k, v in PAGE_WORDS.items()}
ANY_PAGE_WORD = words([w for ws in PAGE_WORDS.values() for w in ws])

Wording = Callable[[np.ndarray], np.ndarray]  # row positions -> object array of phrases


@dataclass
class Signals:
    """Values of the named signals for n rows, and how to word each for chosen rows.

    Phrases are produced only for the rows whose evidence shows them (a few per row), so
    the regexes run as cheap yes/no matches over the whole frame.
    """

    n: int
    values: dict[str, np.ndarray] = field(default_factory=dict)
    wording: dict[str, Wording] = field(default_factory=dict)

    def put(self, key: str, value: np.ndarray, wording: Wording | None = None) -> None:
        self.values[key] = np.nan_to_num(np.asarray(value, dtype=np.float64))
        if wording is not None:
            self.wording[key] = wording

    def phrase(self, key: str, pattern: str, text: pd.Series,
               within: np.ndarray | None = None) -> np.ndarray:
        """1 where the pattern matches; the evidence quotes its group "m".

        ``within``: the only rows that can match (a cheaper test already ruled out the
        rest), so the regex runs on those alone.
        """
        if within is None:
            hit = found(text, pattern)
        else:
            hit = np.zeros(self.n, dtype=bool)
            rows = np.flatnonzero(within)
            if len(rows):
                hit[rows] = found(text.iloc[rows], pattern)
        self.put(key, hit, extracting(text, pattern))
        return hit

    def matrix(self, keys: list[str]) -> np.ndarray:
        if not keys:
            return np.zeros((self.n, 0))
        out = np.empty((self.n, len(keys)))
        for j, k in enumerate(keys):
            out[:, j] = self.values[k]
        return out


def extracting(text: pd.Series, pattern: str) -> Wording:
    def wording(rows: np.ndarray) -> np.ndarray:
        found = extract(text.iloc[rows], pattern)
        return found.to_numpy(dtype=object, na_value="")
    return wording


def texts(series: pd.Series) -> Wording:
    values = series.to_numpy(dtype=object, na_value="")
    return lambda rows: values[rows]


def numbers(x: np.ndarray, fmt: str) -> Wording:
    return lambda rows: np.array([fmt % v for v in np.nan_to_num(x[rows]).tolist()],
                                 dtype=object)


def log10p(x: np.ndarray) -> np.ndarray:
    return np.log10(1.0 + np.maximum(np.nan_to_num(x), 0.0))


def found(text: pd.Series, pattern: str) -> np.ndarray:
    """Plain bool: does the pattern occur (RE2, stops at the first match)."""
    return matches(text, pattern).to_numpy()


def count(text: pd.Series, pattern: str) -> np.ndarray:
    if len(text) == 0:
        return np.zeros(0)
    c = pc.count_substring_regex(_arrow(text), pattern)
    return np.asarray(pc.fill_null(c, 0).to_numpy(), dtype=np.float64)


def byte_view(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of all rows back to back, and each row's start offset (n + 1)."""
    n = len(text)
    arr = pc.fill_null(_arrow(to_string(text)).combine_chunks(), "").cast(pa.large_string())
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset:arr.offset + n + 1]
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
    return data, offsets - offsets[0]


def per_row(offsets: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each row's sum of its bytes' ``weights`` (a mask counts the bytes it marks), one sum per
    non-empty row by ``np.add.reduceat``: no array as long as the bytes is made (a running sum
    was 8 bytes per byte of text), and it took a ninth of the time of one."""
    out = np.zeros(len(offsets) - 1, dtype=np.float64)
    filled = offsets[1:] > offsets[:-1]  # an empty row's sum is 0; reduceat would read its neighbour's byte
    if filled.any():
        out[filled] = np.add.reduceat(weights, offsets[:-1][filled], dtype=np.int64)
    return out


def count_bytes(text: pd.Series, *charsets: str) -> list[np.ndarray]:
    """Per row and per charset, how many of its characters the text has (ASCII charsets, so
    a byte is a character; 0 for NA). One pass over the bytes, no regex: fast."""
    if len(text) == 0:
        return [np.zeros(0) for _ in charsets]
    data, offsets = byte_view(text)
    out = []
    for chars in charsets:
        table = np.zeros(256, dtype=bool)
        table[np.frombuffer(chars.encode("ascii"), dtype=np.uint8)] = True
        out.append(per_row(offsets, table[data]))
    return out


def n_words(text: pd.Series) -> np.ndarray:
    """Words as spaces + 1 (text is whitespace-collapsed); 0 for NA. No regex: fast."""
    if len(text) == 0:
        return np.zeros(0)
    data, offsets = byte_view(text)
    return np.where(text.notna().to_numpy(), per_row(offsets, data == 32) + 1, 0.0)


def mostly_capitalised(cased: pd.Series, min_words: int) -> np.ndarray:
    """At least min_words words and >= 60% of them start with a capital ("Official Store Of").

    Counted on the bytes: an ASCII capital at the start of the text or after a space.
    """
    if len(cased) == 0:
        return np.zeros(0, dtype=bool)
    data, offsets = byte_view(cased)
    space = data == 32
    n_words = np.where(cased.notna().to_numpy(), per_row(offsets, space) + 1, 0)
    upper = (data >= 65) & (data <= 90)
    starts_word = np.zeros(len(data), dtype=bool)
    starts_word[1:] = space[:-1]
    starts_word[offsets[:-1][offsets[:-1] < offsets[1:]]] = True
    capitals = per_row(offsets, upper & starts_word)
    return (n_words >= min_words) & (capitals >= 0.6 * n_words)


def contains(haystack: pd.Series, needle: pd.Series, min_len: int) -> np.ndarray:
    """Row-wise "needle in haystack", only for needles of at least min_len characters."""
    ok = (needle.str.len().fillna(0).to_numpy() >= min_len) & haystack.notna().to_numpy()
    out = np.zeros(len(needle), dtype=bool)
    rows = np.flatnonzero(ok)
    if len(rows):
        sd = np.dtypes.StringDType()
        h = haystack.iloc[rows].to_numpy(dtype=object).astype(sd)
        nd = needle.iloc[rows].to_numpy(dtype=object).astype(sd)
        out[rows] = np.strings.find(h, nd) >= 0
    return out

