"""The shared count-string parser: examples from real pages, then properties (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrapers.counts import parse_count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234", 1234), ("1.234", 1234), ("1 234", 1234), ("1\u202f234", 1234), ("1\u00a0234", 1234),
        ("12.5K", 12_500), ("24.6K", 24_600), ("30.3m", 30_300_000), ("1.2 M", 1_200_000),
        ("3,5 Mio.", 3_500_000), ("25m subscribers", 25_000_000), ("1.2M subscribers", 1_200_000),
        ("337 videos", 337), ("1.2B", 1_200_000_000), ("No subscribers", 0), ("no followers", 0),
        ("2,5 Tsd.", 2_500), ("1.234.567", 1_234_567), ("12,345,678 views", 12_345_678),
        ("1,2 mil", 1_200), ("4 Mrd.", 4_000_000_000), ("0", 0), (42, 42), (3.0, 3),
    ],
)
def test_real_count_strings(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", [None, "", "abc", "1.5", "1,5", "12,34", "-", "—", -3, True, float("nan")])
def test_not_a_count_is_none_never_zero(text):
    assert parse_count(text) is None


counts = st.integers(min_value=0, max_value=10**12)


@given(counts)
def test_plain_and_english_grouping(n):
    assert parse_count(str(n)) == n
    assert parse_count(f"{n:,}") == n
    assert parse_count(f"{n:,} followers") == n


@given(counts)
def test_german_and_french_grouping(n):
    assert parse_count(f"{n:,}".replace(",", ".")) == n
    assert parse_count(f"{n:,}".replace(",", "\u202f") + " abonnés") == n
    assert parse_count(f"{n:,}".replace(",", " ")) == n


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=9),
       st.sampled_from([("K", 10**3), ("k", 10**3), ("M", 10**6), ("m", 10**6), ("B", 10**9)]))
def test_abbreviations_with_a_decimal(whole, tenth, suffix):
    letter, multiplier = suffix
    expected = whole * multiplier + tenth * multiplier // 10
    assert parse_count(f"{whole}.{tenth}{letter}") == expected
    assert parse_count(f"{whole},{tenth} {letter}") == expected  # decimal comma, spaced suffix


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=9))
def test_german_millions(whole, tenth):
    assert parse_count(f"{whole},{tenth} Mio.") == whole * 10**6 + tenth * 10**5


@given(st.text())
def test_any_text_is_a_count_or_none(text):
    value = parse_count(text)
    assert value is None or (isinstance(value, int) and value >= 0)
