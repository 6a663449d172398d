"""Handles, base URLs and platform names are checked before any request is made."""

from __future__ import annotations

import pytest

from scrapers import bluesky, mastodon
from scrapers.errors import InvalidInput
from scrapers.registry import PLATFORMS, get_platform
from scrapers.validate import validate_base_url, validate_handle


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("alice.bsky.social", "alice.bsky.social"),
        ("@Alice.BSKY.social", "alice.bsky.social"),
        ("  @marisol.bsky.social ", "marisol.bsky.social"),
        ("yuki-draws.bsky.social", "yuki-draws.bsky.social"),
        ("jay.example.com", "jay.example.com"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("did:plc:k4r7aqw2m3xzt5vbn6hyjdoq", "did:plc:k4r7aqw2m3xzt5vbn6hyjdoq"),
        ("did:web:blog.example.com", "did:web:blog.example.com"),
    ],
)
def test_good_bluesky_handles_are_normalised(given: str, expected: str) -> None:
    assert validate_handle("bluesky", given) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        "@",
        "alice",  # not domain-like
        "alice bsky.social",
        "alice_b.bsky.social",
        "alice.bsky.social/",
        "-alice.bsky.social",
        "alice-.bsky.social",
        "alice..bsky.social",
        "alice.bsky.123",  # the TLD may not start with a digit
        "alice.bsky.social;drop table",
        "handle.invalid",
        "did:plc:tooshort",
        "did:plc:K4R7AQW2M3XZT5VBN6HYJDO1",  # 1 is not base32
        "did:key:z6Mkabc",
        "a" * 64 + ".bsky.social",
    ],
)
def test_bad_bluesky_handles_raise_one_clear_sentence(bad: str) -> None:
    with pytest.raises(InvalidInput) as info:
        validate_handle("bluesky", bad)
    message = str(info.value)
    assert message.endswith((".", "?")) and message.count(". ") == 0
    if bad.strip().strip("@"):
        assert repr(bad) in message


def test_bare_bluesky_name_suggests_the_full_handle() -> None:
    with pytest.raises(InvalidInput, match=r"did you mean 'alice\.bsky\.social'"):
        validate_handle("bluesky", "@alice")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("jonas", "jonas"),
        ("@jonas", "jonas"),
        ("Gargron", "Gargron"),
        ("jonas_baecker", "jonas_baecker"),
        ("@jonas@Mastodon.Social", "jonas@mastodon.social"),
        ("amelie@boulangerie.example", "amelie@boulangerie.example"),
        ("kasia@bäckerei.example", "kasia@xn--bckerei-5wa.example"),
        ("first.last@pleroma.example", "first.last@pleroma.example"),
    ],
)
def test_good_mastodon_handles_are_normalised(given: str, expected: str) -> None:
    assert validate_handle("mastodon", given) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "@",
        "jo nas",
        "jonas!",
        "jonas@",
        "jonas@mastodon",  # no dot in the instance
        "jonas@mastodon..social",
        "jonas@mastodon.social/extra",
        "jonas@@mastodon.social",
        "<script>",
        "jonas@mastodon.social@other.social",
        "x" * 65,
    ],
)
def test_bad_mastodon_handles_raise(bad: str) -> None:
    with pytest.raises(InvalidInput) as info:
        validate_handle("mastodon", bad)
    assert "handle" in str(info.value).lower()


def test_unknown_platform_handle_rules() -> None:
    with pytest.raises(InvalidInput, match="no handle rules"):
        validate_handle("myspace", "tom")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://mastodon.social", "https://mastodon.social"),
        ("https://mastodon.social/", "https://mastodon.social"),
        ("HTTPS://Mastodon.Social/", "https://mastodon.social"),
        ("  https://public.api.bsky.app  ", "https://public.api.bsky.app"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://localhost:9000/", "http://localhost:9000"),
        ("https://example.com/sub/path/", "https://example.com/sub/path"),
    ],
)
def test_good_base_urls(given: str, expected: str) -> None:
    assert validate_base_url(given) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "mastodon.social",
        "ftp://mastodon.social",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "https://",
        "https://mastodon social",
        "https://mas todon.social",
        "https://mastodon.social:port",
        "https://user:secret@mastodon.social",
        "https://-bad-.example",
    ],
)
def test_bad_base_urls_raise(bad: str) -> None:
    with pytest.raises(InvalidInput) as info:
        validate_base_url(bad)
    assert "URL" in str(info.value)


def test_registry_maps_names_to_packages() -> None:
    assert set(PLATFORMS) == {"bluesky", "mastodon", "youtube", "instagram", "tiktok"}
    assert PLATFORMS["bluesky"] is bluesky and PLATFORMS["mastodon"] is mastodon
    assert get_platform("Bluesky ") is bluesky
    for module in PLATFORMS.values():
        assert callable(module.discover) and callable(module.fetch_creators)
        assert callable(module.parse) and callable(module.parse_saved)


def test_registry_unknown_platform_lists_the_known_ones() -> None:
    with pytest.raises(InvalidInput, match="known platforms: bluesky, instagram, mastodon, tiktok, youtube"):
        get_platform("myspace")
