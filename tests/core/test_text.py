"""The pure helpers every parser leans on: HTML to text, sponsorship cues, dates, JSON."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from core.text import html_to_text
from scrapers.text import (
    as_count,
    decode_json,
    first_url,
    html_links,
    is_sponsored,
    parse_datetime,
)


def test_html_to_text_keeps_breaks_drops_tags_unescapes() -> None:
    html = (
        '<p>Hi &amp; welcome 👋<br>second line<br />third</p>'
        '<p>Follow <span class="h-card"><a href="https://m.example/@bob" class="u-url mention">'
        '@<span>bob</span></a></span> &lt;3 &quot;ok&quot; &#39;yes&#39;</p>'
    )
    assert html_to_text(html) == (
        "Hi & welcome 👋\nsecond line\nthird\n\nFollow @bob <3 \"ok\" 'yes'"
    )


def test_html_to_text_rejoins_mastodon_split_links() -> None:
    html = (
        '<p><a href="https://example.com/a/very/long/path" rel="nofollow noopener">'
        '<span class="invisible">https://</span><span class="ellipsis">example.com/a/very/lo</span>'
        '<span class="invisible">ng/path</span></a></p>'
    )
    assert html_to_text(html) == "https://example.com/a/very/long/path"


@pytest.mark.parametrize(("html", "text"), [(None, ""), ("", ""), ("plain  ", "plain"),
                                              ("https://x.example", "https://x.example")])
def test_html_to_text_plain_inputs(html: str | None, text: str) -> None:
    assert html_to_text(html) == text


def test_html_links_classifies_mentions_and_hashtags() -> None:
    html = (
        '<a href="https://m.example/@bob" class="u-url mention">@bob</a>'
        '<a href="https://m.example/tags/art" class="mention hashtag" rel="tag">#art</a>'
        '<a href="https://shop.example">shop</a>'
    )
    assert html_links(html) == [
        ("https://m.example/@bob", "mention"),
        ("https://m.example/tags/art", "hashtag"),
        ("https://shop.example", "link"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Loving this serum #ad",
        "#AD new drop",
        "thanks @brand #sponsored",
        "Neues Rezept #Anzeige",
        "Unbezahlte Werbung, weil Markennennung",
        "Nuevo vídeo #publi",
        "colaboración #publicidad",
        "In a paid partnership with Acme",
        "This video is sponsored by NordSomething",
        "PR package, gifted by the team",
        "#gifted",
        "contenu sponsorisé #sponsorisé",
    ],
)
def test_is_sponsored_finds_disclosures(text: str) -> None:
    assert is_sponsored(text)


@pytest.mark.parametrize(
    "text",
    [None, "", "#adventure time", "#adidas run club", "my address is here", "Read about ads",
     "sponsorship deals are hard to get", "#advent calendar day 3", "#publishing tips",
     "a gifted musician and teacher"],
)
def test_is_sponsored_ignores_lookalikes(text: str | None) -> None:
    assert not is_sponsored(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-01-07T08:15:30.512Z", datetime(2025, 1, 7, 8, 15, 30, 512000, tzinfo=timezone.utc)),
        ("2023-02-11T16:20:45.120+00:00", datetime(2023, 2, 11, 16, 20, 45, 120000, tzinfo=timezone.utc)),
        ("2025-01-07T10:15:30+02:00", datetime(2025, 1, 7, 8, 15, 30, tzinfo=timezone.utc)),
        ("2024-11-20T10:00:00.123456789Z", datetime(2024, 11, 20, 10, 0, 0, 123456, tzinfo=timezone.utc)),
        ("2025-01-09", datetime(2025, 1, 9, tzinfo=timezone.utc)),
        ("2025-01-09T12:00:00", datetime(2025, 1, 9, 12, tzinfo=timezone.utc)),
        (0, datetime(1970, 1, 1, tzinfo=timezone.utc)),
    ],
)
def test_parse_datetime_is_aware_utc(value: object, expected: datetime) -> None:
    parsed = parse_datetime(value)
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


@pytest.mark.parametrize("value", [None, "", "yesterday", "2025-13-01T00:00:00Z", True, [], {}])
def test_parse_datetime_unreadable_is_none(value: object) -> None:
    assert parse_datetime(value) is None


def test_first_url_strips_trailing_punctuation() -> None:
    assert first_url("Shop: https://x.example/shop. More") == "https://x.example/shop"
    assert first_url("(see www.x.example)") == "https://www.x.example"
    assert first_url("no links here") is None


@pytest.mark.parametrize(("value", "expected"), [(5, 5), (0, 0), ("12", 12), (-1, None),
                                                 (None, None), (True, None), ("1.2k", None)])
def test_as_count_unknown_is_none_not_zero(value: object, expected: int | None) -> None:
    assert as_count(value) == expected


def test_decode_json_reports_truncation() -> None:
    assert decode_json('{"a": [1, 2]}') == ({"a": [1, 2]}, None)
    data, reason = decode_json('{"a": [1, 2')
    assert data is None and reason is not None and reason.startswith("invalid JSON: ")
    assert "at char" in reason and "at at" not in reason
    assert decode_json("") == (None, "empty body")
