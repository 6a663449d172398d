"""The contract every platform plug-in keeps, checked once for all of them over the registry."""

from __future__ import annotations

import importlib
import math
from pathlib import Path

import pytest

from core.records import ParseResult, RawResponse, ScrapeError
from scrapers.errors import InvalidInput
from scrapers.platform import Platform
from scrapers.registry import PLATFORMS, get_platform
from scrapers.validate import validate_base_url

FIXTURES = Path(__file__).parents[1] / "fixtures"
NAMES = sorted(PLATFORMS)
GARBAGE = ["", "not json at all", "{", "[]", "null", '{"unexpected": true}', "<html></html>"]


def test_registry_holds_one_plugin_per_folder() -> None:
    assert NAMES == ["bluesky", "instagram", "mastodon", "tiktok", "youtube"]
    for name, platform in PLATFORMS.items():
        assert isinstance(platform, Platform) and platform.name == name


@pytest.mark.parametrize("name", NAMES)
def test_each_package_registers_its_plugin(name: str) -> None:
    """Moved from test_scrapers_youtube / test_scrapers_tiktok ``test_registered``."""
    package = importlib.import_module(f"scrapers.{name}")
    assert get_platform(name.title()) is getattr(package, name.upper())
    for member in ("validate_handle", "preflight", "discover", "fetch_creators", "parse",
                   "parse_saved"):
        assert callable(getattr(get_platform(name), member))


@pytest.mark.parametrize("name", NAMES)
def test_defaults_are_sane(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in (f"SCOUT_{name.upper()}_URL", "SCOUT_RATE_PER_SECOND", "SCOUT_RATE_BURST"):
        monkeypatch.delenv(var, raising=False)
    defaults = get_platform(name).defaults
    assert validate_base_url(defaults.base_url) == defaults.base_url
    assert defaults.base_url.startswith("https://")
    assert 0 < defaults.rate_per_second < math.inf and defaults.burst >= 1
    assert get_platform(name).settings() == defaults
    assert get_platform(name).settings("http://127.0.0.1:9/").base_url == "http://127.0.0.1:9"


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("bad", ["", "   ", "@", "a b/c d", "https://example.com/x y"])
def test_a_bad_handle_is_refused_in_one_line(name: str, bad: str) -> None:
    with pytest.raises(InvalidInput) as info:
        get_platform(name).validate_handle(bad)
    message = str(info.value)
    assert message and "\n" not in message and "handle" in message.lower()


@pytest.mark.parametrize("name", NAMES)
def test_preflight_rejects_a_bad_handle_in_one_line(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCOUT_INSTAGRAM_TOKEN", "token-for-the-contract")
    monkeypatch.setenv("SCOUT_INSTAGRAM_USER_ID", "17841400000000000")
    monkeypatch.setenv("SCOUT_TIKTOK_TOKEN", "token-for-the-contract")
    platform = get_platform(name)
    with pytest.raises(InvalidInput) as info:
        platform.preflight(platform.defaults.base_url, queries=[], hashtags=[], handles=["a b/c d"])
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("body", GARBAGE)
@pytest.mark.parametrize("status", [200, 404, 500])
def test_parse_never_raises_on_a_garbage_body(name: str, body: str, status: int) -> None:
    raw = RawResponse(name, "unknown-kind", "someone", "https://example.invalid/x", status, body)
    result = get_platform(name).parse(raw)
    assert isinstance(result, ParseResult)
    assert not result.profiles and not result.posts
    assert result.errors and all(isinstance(e, ScrapeError) for e in result.errors)
    assert all(e.platform == name for e in result.errors)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("body", [b for b in GARBAGE if b != "[]"])  # [] may be an empty export
def test_parse_saved_never_raises_on_garbage(name: str, body: str) -> None:
    result = get_platform(name).parse_saved(body, source="garbage.txt")
    assert isinstance(result, ParseResult) and not result.profiles and result.errors
    assert result.unrecognised  # not this platform's body: `scout import` refuses it up front


@pytest.mark.parametrize("fixture", ["instagram/login_wall.html", "instagram/page_not_found.html",
                                     "tiktok/challenge.html", "tiktok/not_found_10221.html"])
def test_a_recognised_page_with_nothing_in_it_is_not_unrecognised(fixture: str) -> None:
    platform = fixture.split("/")[0]
    result = get_platform(platform).parse_saved((FIXTURES / fixture).read_text(encoding="utf-8"))
    assert not result.profiles and result.errors and not result.unrecognised
    other = "tiktok" if platform == "instagram" else "instagram"
    assert get_platform(other).parse_saved((FIXTURES / fixture).read_text(encoding="utf-8")).unrecognised


@pytest.mark.parametrize("fixture", sorted(p for p in FIXTURES.glob("*/*") if p.is_file()),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_parse_saved_recognises_the_platforms_fixtures(fixture: Path) -> None:
    result = get_platform(fixture.parent.name).parse_saved(fixture.read_text(encoding="utf-8"))
    assert isinstance(result, ParseResult)
    assert result.profiles or result.posts or result.errors
