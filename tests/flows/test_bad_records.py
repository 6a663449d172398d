"""One bad record never blocks a run (issue 10, defects 4-7).

A lone surrogate in an id, posts that come without their profile, a YouTube error body of an
unexpected shape, a creator whose fetch keeps failing: each is explained in ``scrape_errors``
and held back alone, while the rest of the run loads. Real flows, a real DuckDB file, a real
loopback server.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from json_stub import JsonStub
from typer.testing import CliRunner

from cli.app import app
from core.records import RawResponse
from flows.discover import discover
from scrapers.errors import QuotaExhausted
from scrapers.http import HttpClient
from scrapers.mastodon.ids import instance_host
from scrapers.youtube import YOUTUBE
from scrapers.youtube import client as yt_client
from scrapers.youtube.parse import api_error
from scrapers.youtube.quota import QuotaMeter

FIXTURES = Path(__file__).parents[1] / "fixtures"
POISON = "\ud800"  # what JSON's "\ud800" decodes to: a lone surrogate, which UTF-8 cannot hold
runner = CliRunner()


def rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def scout(*args: str) -> Any:
    return runner.invoke(app, list(args))


def no_traceback(result: Any) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "traceback" not in result.output.lower(), result.output


# ----------------------------------------------------------------------------- a Mastodon stub


class Instance(JsonStub):
    """A Mastodon instance answering search and statuses: ``poisoned`` gets a status whose id
    is a lone surrogate, ``down`` answers 503 to every statuses request."""

    def __init__(self, n: int = 25, poisoned: str | None = None, down: str | None = None) -> None:
        super().__init__()
        self.accounts = [
            {"id": str(1000 + i), "username": f"baker{i}", "acct": f"baker{i}",
             "display_name": f"Baker {i}", "note": "<p>bread</p>", "bot": False, "group": False,
             "url": f"{self.base_url}/@baker{i}", "followers_count": 800 + i,
             "following_count": 10, "statuses_count": 3, "fields": [], "emojis": []}
            for i in range(n)
        ]
        self.poisoned, self.down = poisoned, down

    def route(self, path: str, q: dict[str, list[str]], headers: Any, body: Any) -> tuple[int, Any]:
        if path == "/api/v2/search":
            return 200, {"accounts": self.accounts[: int(q["limit"][0])], "statuses": [], "hashtags": []}
        account_id = path.split("/")[4]
        if account_id == self.down:
            return 503, {"error": "unavailable"}
        account = next(a for a in self.accounts if a["id"] == account_id)
        statuses = [
            {"id": POISON if account_id == self.poisoned and n == 1 else f"{account_id}{n}",
             "created_at": f"2025-01-0{n + 1}T10:00:00Z", "content": f"<p>loaf {n}</p>",
             "spoiler_text": "", "reblog": None, "replies_count": 1, "reblogs_count": 2,
             "favourites_count": 30, "account": account}
            for n in range(3)
        ]
        return 200, statuses

    def retries_made(self) -> int:
        """Requests that repeat an earlier one exactly (path and query): the retries seen here."""
        seen = [(path, json.dumps(query, sort_keys=True)) for path, query in self.requests]
        return len(seen) - len(set(seen))


def run_discover(stub: Instance, db: Path) -> dict[str, Any]:
    return discover(platform="mastodon", base_url=stub.base_url, queries=["bread"], limit=len(stub.accounts),
                    posts_per_creator=3, db_path=str(db), rate_per_second=200)


# ------------------------------------------------------------------ 4. a lone surrogate in an id


@pytest.mark.usefixtures("prefect_harness")
def test_poisoned_status_id_quarantines_its_creator_and_the_run_finishes(tmp_path: Path) -> None:
    db = tmp_path / "scout.duckdb"
    with Instance(n=6, poisoned="1003") as stub:
        summary = run_discover(stub, db)
        host = instance_host(stub.base_url)  # creator ids are "<instance>:<account id>"
    assert rows(db, "select status from runs")[0][0] == "completed"
    loaded = {c for (c,) in rows(db, "select creator_id from creators")}
    assert loaded == {f"{host}:{1000 + i}" for i in range(6)} - {f"{host}:1003"}
    assert summary["creators"] == 5
    reasons = rows(db, "select handle, reason from scrape_errors")
    assert [h for h, r in reasons if "UTF-8" in r] == [f"{host}:1003"], reasons
    # every string in the file is valid UTF-8: DuckDB reads every column back
    assert rows(db, f"select count(*) from posts where creator_id = '{host}:1003'")[0][0] == 0


@pytest.mark.usefixtures("prefect_harness")
def test_import_of_a_poisoned_status_id_is_one_error_not_a_traceback(tmp_path: Path) -> None:
    statuses = json.loads((FIXTURES / "mastodon" / "statuses.json").read_text(encoding="utf-8"))
    statuses[0]["id"] = POISON
    saved = tmp_path / "statuses.json"
    saved.write_text(json.dumps(statuses), encoding="utf-8")  # ASCII: the surrogate as "\ud800"
    assert "\\ud800" in saved.read_text()
    db = tmp_path / "scout.duckdb"
    result = scout("import", "-p", "mastodon", str(saved), "--db", str(db))
    no_traceback(result)
    assert result.exit_code == 0, result.output
    reasons = [r for (r,) in rows(db, "select reason from scrape_errors")]
    assert f"{len(reasons)} errors" in result.output  # the fixture's own bad item, and this one
    (reason,) = [r for r in reasons if "UTF-8" in r]
    assert "post_id '\\ud800' is not valid UTF-8" in reason
    assert rows(db, "select count(*) from creators")[0][0] == 0  # its creator is held back whole
    assert rows(db, "select count(*) from raw_responses")[0][0] == 1  # the body, kept as evidence


# -------------------------------------------------------------- 5. posts without their profile

POSTS_ONLY = ["bluesky/author_feed.json", "youtube/videos_list.json", "tiktok/research_videos.json",
              "instagram/business_discovery_page2.json"]


@pytest.mark.usefixtures("prefect_harness")
@pytest.mark.parametrize("fixture", POSTS_ONLY)
def test_import_of_posts_without_a_profile_holds_them_back_with_a_reason(tmp_path: Path, fixture: str) -> None:
    platform = fixture.split("/")[0]
    parsed = scout("parse", "-p", platform, str(FIXTURES / fixture))
    assert parsed.exit_code == 0 and json.loads(parsed.stdout)["profile"] is None  # posts only
    creators = {p["creator_id"] for p in json.loads(parsed.stdout)["posts"]}
    db = tmp_path / "scout.duckdb"
    result = scout("import", "-p", platform, str(FIXTURES / fixture), "--db", str(db))
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert "without a profile" in result.output
    held = rows(db, "select handle from scrape_errors where reason like 'posts without a profile%'")
    assert sorted(h for (h,) in held) == sorted(creators), held  # one row per creator
    assert rows(db, "select count(*) from posts")[0][0] == 0
    assert rows(db, "select count(*) from creator_scores")[0][0] == 0


def test_engagement_of_posts_whose_creators_have_no_profile_is_empty() -> None:
    from core.records import Post, utcnow
    from transforms.frames import posts_frame, profiles_frame
    from transforms.score import score_creators

    now = utcnow()
    posts = posts_frame([Post("bluesky", f"p{i}", "did:plc:x", now, likes=i) for i in range(3)], now)
    metrics = score_creators(profiles_frame([], now), posts, now=now)
    assert metrics.empty and list(metrics.columns)[:2] == ["platform", "creator_id"]


@pytest.mark.usefixtures("prefect_harness")
def test_posts_only_page_imported_with_its_profile_loads(tmp_path: Path) -> None:
    """Instagram's second media page imported together with the first (which has the profile)."""
    saved = tmp_path / "saved"
    saved.mkdir()
    for name in ("business_discovery.json", "business_discovery_page2.json"):
        shutil.copy(FIXTURES / "instagram" / name, saved / name)
    db = tmp_path / "scout.duckdb"
    result = scout("import", "-p", "instagram", str(saved), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert rows(db, "select count(*) from creators")[0][0] == 1
    assert rows(db, "select count(*) from scrape_errors")[0][0] == 0


# ------------------------------------------------------------------- 6. YouTube error shapes

SHAPES: dict[str, Any] = {
    "object": {"reason": "quotaExceeded", "message": "over"},
    "list": [{"reason": "quotaExceeded"}, "junk", None],
    "string": "quotaExceeded",
    "null": None,
    "number": 7,
}


def error_body(shape: str | None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": 403, "message": "The request cannot be <b>completed</b>."}
    if shape is not None:
        error["errors"] = SHAPES[shape]
        error["details"] = SHAPES[shape]
    return {"error": error}


@pytest.mark.parametrize("shape", [*SHAPES, None])
def test_youtube_error_body_of_any_shape_is_an_error_record(shape: str | None, tmp_path: Path) -> None:
    body = json.dumps(error_body(shape))
    message, reasons = api_error(json.loads(body))
    assert message == "The request cannot be completed."
    assert reasons == (["quotaExceeded"] if shape in ("object", "list", "string") else [])
    for kind in ("channels", "videos", "playlist_items", "search"):
        result = YOUTUBE.parse(RawResponse("youtube", kind, "UCx", "https://x/", 403, body))
        assert [e.reason.split(" (")[0] for e in result.errors] == [message]
    saved = YOUTUBE.parse_saved(body)
    assert len(saved.errors) == 1 and "a YouTube API error" in saved.errors[0].reason
    path = tmp_path / "error.json"
    path.write_text(body)
    result = scout("parse", "-p", "youtube", str(path))
    no_traceback(result)
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output


@pytest.mark.parametrize("shape", ["object", "string"])
def test_youtube_quota_error_of_another_shape_still_stops_the_fetch(shape: str) -> None:
    class Google(JsonStub):
        def route(self, path: str, q: Any, headers: Any, body: Any) -> tuple[int, Any]:
            return 403, error_body(shape)

    with Google() as stub, HttpClient("youtube", rate_per_second=200, max_retries=0) as http:
        with pytest.raises(QuotaExhausted, match="quotaExceeded"):
            yt_client.fetch_creators(http, stub.base_url, ["UC" + "a" * 22], posts_per_creator=3,
                                     api_key="k", quota=QuotaMeter(10_000))


# --------------------------------------------------------- 7. a creator whose fetch keeps failing


@pytest.mark.usefixtures("prefect_harness")
def test_a_creator_that_always_fails_is_quarantined_alone_and_retries_are_counted(tmp_path: Path) -> None:
    db = tmp_path / "scout.duckdb"
    with Instance(n=25, down="1007") as stub:
        summary = run_discover(stub, db)
        made = stub.retries_made()
        host = instance_host(stub.base_url)  # creator ids are "<instance>:<account id>"
    assert summary["batches"] == 2  # discovery, then one batch of 25 creators
    loaded = {c for (c,) in rows(db, "select creator_id from creators")}
    assert loaded == {f"{host}:{1000 + i}" for i in range(25)} - {f"{host}:1007"}
    errors = rows(db, "select handle, reason from scrape_errors")
    assert [h for h, _ in errors] == [f"{host}:1007"] and "fetch failed" in errors[0][1], errors
    assert made == 5  # the HTTP client's 5 retries of that one request, and nothing else
    assert summary["retries"] == summary["counts"]["retried"] == made
    assert summary["counts"]["fetched"] == 24 and summary["counts"]["quarantined"] == 1


@pytest.fixture()
def stub_for_unit() -> Iterator[Instance]:
    with Instance(n=3, down="1000") as stub:
        yield stub


def test_fetch_batch_keeps_the_others_and_the_counters_when_one_creator_fails(
        stub_for_unit: Instance, monkeypatch: pytest.MonkeyPatch) -> None:
    import flows.fetching as fetching
    from flows.fetching import fetch_batch

    real_client = fetching.platform_client

    def no_sleeping(*args: Any) -> HttpClient:  # every retry still made, without the backoff waits
        http = real_client(*args)
        http.backoff_base = 0.001
        return http

    monkeypatch.setattr(fetching, "platform_client", no_sleeping)
    host = instance_host(stub_for_unit.base_url)
    refs = [f"{host}:{i}" for i in ("1000", "1001", "1002")]
    fetched = fetch_batch.fn("mastodon", stub_for_unit.base_url, refs, 3, 200)
    assert list(fetched.failed) == [refs[0]]
    assert {r.request_key for r in fetched.raws} == set(refs[1:])
    assert fetched.stats["retries"] == stub_for_unit.retries_made() == 5


@pytest.mark.usefixtures("prefect_harness")
def test_a_batch_where_nothing_answers_fails_whole_and_its_retries_still_count(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every statuses request 503s: the host, not a creator. The batch fails as before (each
    creator explained) after the task's own retry, and every retry of every attempt counts."""
    import flows.discover as discover_flow
    import flows.fetching as fetching

    real_client = fetching.platform_client

    def quick(*args: Any) -> HttpClient:  # same code paths, no sleeping
        http = real_client(*args)
        http.max_retries, http.backoff_base = 2, 0.001
        return http

    monkeypatch.setattr(fetching, "platform_client", quick)
    monkeypatch.setattr(discover_flow, "fetch_batch",
                        discover_flow.fetch_batch.with_options(retries=1, retry_delay_seconds=0))

    class Down(Instance):
        def route(self, path: str, q: dict[str, list[str]], headers: Any, body: Any) -> tuple[int, Any]:
            return (503, {}) if path.endswith("/statuses") else super().route(path, q, headers, body)

    db = tmp_path / "scout.duckdb"
    with Down(n=5) as stub:
        summary = run_discover(stub, db)
        requests = len(stub.requests)
    assert summary["creators"] == 0 and summary["errors"] == 5
    # two task attempts, each giving up after two creators (3 attempts each): 4 x 2 retries
    assert summary["retries"] == 8 and summary["requests"] == requests == 1 + 4 * 3
