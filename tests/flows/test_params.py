"""Every CLI and flow parameter is refused up front with one sentence and exit code 2."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli.app import app
from flows.params import validate_discover_params
from scrapers.errors import InvalidInput

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["discover", "-p", "myspace", "-q", "x"], "unknown platform"),
        (["discover", "-p", "mastodon", "--instance", "not a url"], "url"),
        (["discover", "-p", "mastodon", "--instance", "ftp://x.org"], "http"),
        (["discover", "-p", "mastodon", "--instance", "https://"], "host"),
        (["discover", "-p", "mastodon", "--instance", "https://user:pw@mastodon.social"], "password"),
        (["discover", "-p", "bluesky", "--handle", "bad handle!"], "handle"),
        (["discover", "-p", "bluesky", "--handle", "x'); DROP TABLE creators; --"], "handle"),
        (["discover", "-p", "mastodon", "--handle", "a@b@c"], "handle"),
        (["discover", "-p", "instagram", "--handle", "https://instagram.com/x"], "url"),
        (["discover", "-p", "bluesky", "-q", "   "], "query is empty"),
        (["discover", "-p", "bluesky", "-q", "x" * 201], "most allowed is 200"),
        (["discover", "-p", "bluesky", "-q", "ab\u202ecd"], "invisible"),
        (["discover", "-p", "mastodon", "--hashtag", "#"], "hashtag is empty"),
        (["discover", "-p", "mastodon", "--hashtag", "two words"], "hashtag"),
        (["discover", "-p", "bluesky", "-q", "x", "--limit", "0"], "limit"),
        (["discover", "-p", "bluesky", "-q", "x", "--limit", "100001"], "limit"),
        (["discover", "-p", "bluesky", "-q", "x", "--posts", "-1"], "posts per creator"),
        (["discover", "-p", "bluesky", "-q", "x", "--threshold", "1.5"], "threshold"),
        (["discover", "-p", "bluesky", "-q", "x", "--threshold", "nan"], "threshold"),
        (["discover", "-p", "bluesky", "-q", "x", "--rate", "0"], "rate"),
        (["discover", "-p", "bluesky", "-q", "x", "--rate", "inf"], "rate"),
        (["discover", "-p", "bluesky", "-q", "x", "--tier-scheme", "gold"], "tier scheme"),
        (["discover", "-p", "tiktok", "-q", "baking"], "handles only"),
        (["candidates", "--platform", "friendster"], "unknown platform"),
        (["candidates", "--tier", "mega"], "tier"),
        (["candidates", "--min-er", "-0.1"], "min-er"),
        (["candidates", "--format", "xml"], "format"),
        (["export", "-o", "out.csv", "--format", "pdf"], "format"),
        (["classify", "-i", "missing.csv", "-o", "out.csv"], "does not exist"),
        (["classify", "-i", "missing.csv", "-o", "out.csv", "--threshold", "-1"], "threshold"),
        (["parse", "-p", "myspace", "x.json"], "unknown platform"),
        (["parse", "-p", "tiktok", "missing.html"], "does not exist"),
        (["import", "-p", "tiktok", "missing-folder"], "does not exist"),
        (["import", "-p", "tiktok", ".", "--tier-scheme", "gold"], "tier scheme"),
        (["import", "-p", "tiktok", ".", "--threshold", "2"], "threshold"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, [*args, "--db", str(tmp_path / "x.duckdb")]
                           if args[0] not in ("classify", "parse") else args, catch_exceptions=False)
    text = result.output.strip()
    assert result.exit_code == 2, text
    assert "Traceback" not in text and "\n" not in text and text.count("error:") == 1, text
    assert message in text.lower()
    assert not (tmp_path / "x.duckdb").exists()


def test_wrong_types_are_click_usage_errors_without_traceback(tmp_path):
    result = runner.invoke(app, ["discover", "-p", "bluesky", "--limit", "many", "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 2 and "Traceback" not in result.output and "--limit" in result.output


def test_good_parameters_come_back_normalised():
    params = validate_discover_params(
        " Mastodon ", "https://Mastodon.Social/", queries=[" baking ", "baking"], hashtags=["#Vegan"],
        handles=["@jonas@Mastodon.Social"], limit=5, posts_per_creator=0, tier_scheme="later_fohr",
        person_threshold=1, rate_per_second=2, db_path="ignored.duckdb", faces=True,
    )
    assert params.as_kwargs() == {
        "platform": "mastodon", "base_url": "https://mastodon.social", "queries": ["baking"],
        "hashtags": ["Vegan"], "handles": ["jonas@mastodon.social"], "limit": 5, "posts_per_creator": 0,
        "tier_scheme": "later_fohr", "person_threshold": 1.0, "rate_per_second": 2.0,
        "audit_audience": False, "audience_sample": 100,
    }


@pytest.mark.parametrize(
    "overrides",
    [
        {"limit": True},
        {"limit": 2.5},
        {"posts_per_creator": 1001},
        {"audience_sample": 1001},
        {"audience_sample": -1},
        {"person_threshold": "0.5"},
        {"queries": "x" * 300},
        {"handles": [f"h{i}.bsky.social" for i in range(101)]},
    ],
)
def test_flow_parameters_are_checked_too(overrides):
    with pytest.raises(InvalidInput) as info:
        validate_discover_params(**{"platform": "bluesky", **overrides})
    assert str(info.value).endswith(".") and "\n" not in str(info.value)


@pytest.mark.parametrize(("variable", "value"), [("SCOUT_READ_TIMEOUT", "soon"),
                                                 ("SCOUT_READ_TIMEOUT", "-1"),
                                                 ("SCOUT_MAX_BODY_BYTES", "big")])
def test_bad_environment_overrides_stop_a_run_before_it_starts(monkeypatch, variable, value) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(InvalidInput, match=variable):
        validate_discover_params("bluesky", queries=["baking"])


def test_read_timeout_override_reaches_the_client(monkeypatch) -> None:
    from scrapers.http import HttpClient

    monkeypatch.setenv("SCOUT_READ_TIMEOUT", "1.5")
    assert HttpClient("bluesky", rate_per_second=1.0).timeout == (5.0, 1.5)
