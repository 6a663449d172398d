"""Guard: every regex in transforms/ runs on pyarrow's RE2 kernel.

RE2 rejects look-arounds and back-references, and pandas would fall back to Python's ``re``
(about ten times slower) for ``\\b \\w \\s \\d`` on non-ASCII text. A pattern that slips in one
of those would not fail any functional test, only make a 30M-post rescore crawl.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from transforms import (
    _text,
    account_evidence,
    account_type,
    account_words,
    collab_words,
    contacts,
)
from transforms.account_features import (
    chars,
    count_signals,
    inputs,
    name_signals,
    signals,
    text_signals,
    values,
    words,
)
from transforms.account_features.values import byte_view, per_row

PYTHON_ONLY = re.compile(r"\\[bBwWsSdDuUNZ]|\(\?[=!]|\(\?<[=!]|\\[1-9]")


def _patterns() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for module in (_text, inputs, signals, values, name_signals, text_signals, count_signals, words,
                   chars, account_type, account_evidence, account_words, contacts, collab_words):
        for name, value in vars(module).items():
            if isinstance(value, str) and name.isupper() or (
                isinstance(value, str) and name.startswith("_") and name[1:].isupper()
            ):
                found.append((f"{module.__name__}.{name}", value))
    for family, patterns in (("page words", values.PAGE_PATTERNS),
                             ("handle words", name_signals._HANDLE_PATTERNS)):
        found += [(f"{family} {kind or 'page'}", pattern) for kind, pattern in patterns.items()]
    found += [(f"collab {name}", pattern) for name, _, pattern in (*collab_words.POST_SIGNALS,
                                                                   *collab_words.BIO_SIGNALS)]
    return [(n, p) for n, p in found if any(ch in p for ch in "[(|^$\\")]


PATTERNS = _patterns()


def test_patterns_were_collected():
    names = {n for n, _ in PATTERNS}
    assert "transforms.contacts.EMAIL" in names
    assert "transforms.account_words.CREDIT_PATTERN" in names
    assert len(PATTERNS) > 30


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[n for n, _ in PATTERNS])
def test_pattern_is_re2_and_fast_path(name, pattern):
    assert not PYTHON_ONLY.search(pattern), f"{name} uses a Python-only or slow construct"
    pc.match_substring_regex(pa.array(["x", "é ü 😂"]), pattern)  # raises if RE2 rejects it


def test_per_row_sums_each_rows_bytes_empty_rows_included() -> None:
    texts = pd.Series(["", "ab1", None, "", "x y", "é", ""], dtype="string")
    data, offsets = byte_view(texts)
    weights = np.frombuffer(b"".join(t.encode() for t in texts.fillna("")), dtype=np.uint8) >= ord("a")
    assert per_row(offsets, weights).tolist() == [0, 2, 0, 0, 2, 2, 0]
    assert per_row(offsets, weights.astype(np.uint8) * 3).tolist() == [0, 6, 0, 0, 6, 6, 0]
    assert per_row(np.zeros(1, dtype=np.int64), np.zeros(0, dtype=bool)).tolist() == []
