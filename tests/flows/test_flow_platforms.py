"""discover against the sandbox for YouTube and Instagram, and import of saved pages."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from cli.app import app
from flows.discover import discover
from sandbox.routes import instagram as sandbox_instagram
from sandbox.routes import youtube_channels as sandbox_youtube

pytestmark = pytest.mark.usefixtures("prefect_harness")
FIXTURES = Path(__file__).parents[1] / "fixtures"
runner = CliRunner()


def rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_youtube_with_key_scores_video_engagement(tmp_path, sandbox, monkeypatch):
    monkeypatch.setenv("SCOUT_YOUTUBE_API_KEY", "sandbox-key-do-not-store")
    db = tmp_path / "yt.duckdb"
    summary = discover(platform="youtube", base_url=sandbox.base_url, queries=["baking", "travel"],
                       limit=20, posts_per_creator=10, db_path=str(db), rate_per_second=100)
    assert summary["creators"] > 0
    assert rows(db, "select count(*) from creators where platform = 'youtube'")[0][0] == summary["creators"]
    # views exist on YouTube, so the views-based ER is there beside the follower-based one
    assert rows(db, "select count(*) from creator_scores where er_views_median is not null")[0][0] > 0
    assert rows(db, "select count(*) from posts where views is not null")[0][0] > 0
    # the key went in a header: no stored URL or body holds it
    assert rows(db, "select count(*) from raw_responses where url like '%sandbox-key%' "
                    "or body like '%sandbox-key%'")[0][0] == 0


def test_youtube_without_key_reads_channel_pages(tmp_path, sandbox, monkeypatch):
    monkeypatch.delenv("SCOUT_YOUTUBE_API_KEY", raising=False)
    channels = sandbox_youtube.state(sandbox).channels()[:5]
    db = tmp_path / "yt.duckdb"
    summary = discover(platform="youtube", base_url=sandbox.base_url,
                       handles=["@" + ch.handle for ch in channels], limit=5, db_path=str(db))
    assert summary["creators"] == 5
    assert {k for (k,) in rows(db, "select distinct kind from raw_responses")} == {"channel_page"}


def test_instagram_business_discovery(tmp_path, sandbox, monkeypatch):
    monkeypatch.setenv("SCOUT_INSTAGRAM_TOKEN", "EAAG-sandbox-token")
    monkeypatch.setenv("SCOUT_INSTAGRAM_USER_ID", "17841400000000000")
    names = list(sandbox_instagram.accounts(sandbox.universe).by_username)[:6]
    db = tmp_path / "ig.duckdb"
    summary = discover(platform="instagram", base_url=sandbox.base_url + "/v21.0",
                       handles=[*names, "no_such_account_here"], limit=10, posts_per_creator=30,
                       db_path=str(db), rate_per_second=100)
    assert summary["creators"] == 6
    assert rows(db, "select count(*) from posts")[0][0] > 6
    assert rows(db, "select count(*) from scrape_errors where handle = 'no_such_account_here'")[0][0] == 1
    assert rows(db, "select count(*) from raw_responses where url like '%EAAG-sandbox-token%'")[0][0] == 0


def test_import_folder_of_saved_pages_into_candidates(tmp_path):
    saved = tmp_path / "saved"
    for platform in ("instagram", "tiktok"):
        shutil.copytree(FIXTURES / platform, saved / platform)
    db = tmp_path / "imp.duckdb"
    for platform in ("instagram", "tiktok"):
        result = runner.invoke(app, ["import", "-p", platform, str(saved / platform), "--db", str(db)],
                               catch_exceptions=False)
        assert result.exit_code == 0, result.output
    loaded = dict(rows(db, "select platform, count(*) from creators group by 1"))
    assert loaded["instagram"] > 0 and loaded["tiktok"] > 0
    assert rows(db, "select count(*) from raw_responses where kind = 'saved_file'")[0][0] > 0
    assert rows(db, "select count(*) from scrape_errors")[0][0] > 0  # login walls etc. explained
    assert rows(db, "select count(*) from candidates where platform in ('instagram', 'tiktok')")[0][0] > 0


def test_import_of_a_named_file_it_cannot_recognise_exits_2_and_writes_nothing(tmp_path):
    db = tmp_path / "none.duckdb"
    for body in (FIXTURES / "tiktok" / "profile_sigi.html", FIXTURES / "mastodon" / "account_lookup.json"):
        result = runner.invoke(app, ["import", "-p", "instagram", str(body), "--db", str(db)])
        assert result.exit_code == 2, result.output
        (line,) = result.output.strip().splitlines()
        assert str(body) in line and ("not an Instagram profile page" in line or "not a Graph API" in line), line
        assert not db.exists()  # checked before the flow: nothing written


def test_import_of_a_folder_skips_what_it_cannot_recognise_with_one_line_each(tmp_path):
    saved, db = tmp_path / "saved", tmp_path / "mixed.duckdb"
    saved.mkdir()
    shutil.copy(FIXTURES / "instagram" / "profile_en.html", saved)
    shutil.copy(FIXTURES / "instagram" / "login_wall.html", saved)  # recognised: nothing in it
    shutil.copy(FIXTURES / "tiktok" / "profile_sigi.html", saved / "someone_elses.html")
    result = runner.invoke(app, ["import", "-p", "instagram", str(saved), "--db", str(db)])
    assert result.exit_code == 0, result.output
    skipped = [line for line in result.output.splitlines() if line.startswith("warning: skipped")]
    assert len(skipped) == 1 and "someone_elses.html" in skipped[0], result.output
    assert rows(db, "select count(*) from raw_responses")[0][0] == 2
    assert rows(db, "select count(*) from creators where platform = 'instagram'")[0][0] == 1
    assert "login wall" in rows(db, "select string_agg(reason) from scrape_errors")[0][0]

    (tmp_path / "alien").mkdir()
    shutil.copy(FIXTURES / "tiktok" / "profile_sigi.html", tmp_path / "alien")
    result = runner.invoke(app, ["import", "-p", "instagram", str(tmp_path / "alien"), "--db", str(db)])
    assert result.exit_code == 2 and "no saved instagram body" in result.output, result.output


def scout_import(platform: str, folder: Path, db: Path) -> None:
    result = runner.invoke(app, ["import", "-p", platform, str(folder), "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("newest", "followers", "tier"), [
    ("profile_sigi.html", 18342, "micro"),
    ("profile_universal_statsv2.html", 1_234_567, "mega"),
])
def test_two_saved_tiktok_pages_store_and_score_the_newest_observation(tmp_path, newest, followers, tier):
    """Both pages show marisolgrows (18,342 and 1,234,567 followers): the newer file (by the time it was
    saved) is the profile stored and the one scored, whatever the files' name order."""
    saved = tmp_path / "saved"
    saved.mkdir()
    for name in ("profile_sigi.html", "profile_universal_statsv2.html"):
        shutil.copy(FIXTURES / "tiktok" / name, saved / name)
        age = 0 if name == newest else 3600
        os.utime(saved / name, (1_700_000_000 - age, 1_700_000_000 - age))
    db = tmp_path / "tt.duckdb"
    scout_import("tiktok", saved, db)
    assert rows(db, "select followers from creators where handle = 'marisolgrows'") == [(followers,)]
    assert rows(db, "select tier from latest_scores s join creators c using (platform, creator_id) "
                    "where c.handle = 'marisolgrows'") == [(tier,)]


def test_parse_prints_canonical_json_or_exit_2(tmp_path):
    html = next((FIXTURES / "instagram").glob("*.html"))
    result = runner.invoke(app, ["parse", "-p", "instagram", str(html)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert set(body) >= {"profile", "posts"}
    assert set(body["profile"]) == {"platform", "creator_id", "handle", "display_name", "bio", "followers",
                                    "following", "posts_count", "verified", "avatar_url", "external_url",
                                    "profile_url"}
    junk = tmp_path / "junk.json"
    junk.write_text('{"hello": "world"}')
    bad = runner.invoke(app, ["parse", "-p", "tiktok", str(junk)], catch_exceptions=False)
    assert bad.exit_code == 2
    assert "not a saved tiktok profile page" in bad.output.lower() and "traceback" not in bad.output.lower()


def test_youtube_quota_stops_cleanly_and_keeps_what_was_fetched(tmp_path, sandbox, monkeypatch):
    from scrapers.youtube import default_meter

    monkeypatch.setenv("SCOUT_YOUTUBE_API_KEY", "sandbox-key")
    used = default_meter().used
    monkeypatch.setenv("SCOUT_YOUTUBE_DAILY_QUOTA", str(used + 101))  # one search + one channels.list
    db = tmp_path / "q.duckdb"
    summary = discover(platform="youtube", base_url=sandbox.base_url, queries=["baking"], limit=30,
                       posts_per_creator=10, db_path=str(db), rate_per_second=100)
    assert default_meter().used <= used + 101  # never past the budget
    reasons = [r for (r,) in rows(db, "select reason from scrape_errors")]
    assert any("quota" in r.lower() for r in reasons), (reasons, summary)
    assert summary["creators"] > 0  # what came before the stop is loaded


# Each account as two import routes show it: a saved page (an alias id) and the Graph API or a second page.
TWO_ROUTES = {
    "marisolgrows": ("profile_en.html", "business_discovery.json"),  # page 6543210987, Graph 17841403925461781
    "jonas.backt": ("profile_de.html", "web_profile_info.json"),  # page without an id, web_profile_info 2871640533
}
MERGED_ID = {"marisolgrows": "17841403925461781", "jonas.backt": "2871640533"}


def import_files(db: Path, tmp_path: Path, *names: str) -> None:
    """``scout import`` of the named Instagram fixtures, one folder per call (the CLI code path)."""
    saved = tmp_path / f"saved-{len(list(tmp_path.glob('saved-*')))}"
    saved.mkdir()
    for name in names:
        shutil.copy(FIXTURES / "instagram" / name, saved / name)
    scout_import("instagram", saved, db)


def instagram_ids(db: Path, handle: str) -> dict[str, list[str]]:
    """The creator ids each table holds (each test warehouse holds that one account only)."""
    found = {table: sorted(i for (i,) in rows(db, f"select distinct creator_id from {table}"))
             for table in ("creators", "creator_snapshots", "creator_scores", "posts")}
    found["candidates"] = [i for (i,) in rows(db, f"select creator_id from candidates where handle = '{handle}'")]
    return found


@pytest.mark.parametrize("handle", TWO_ROUTES)
def test_instagram_account_imported_through_two_routes_is_one_creator(tmp_path, handle):
    """A, B, A again, and B then A, and both at once: one creator, one candidate row, the same id."""
    first, second = TWO_ROUTES[handle]
    for order in ((first, second, first), (second, first), ((first, second),)):
        db = tmp_path / f"{len(order)}-{order[0]}.duckdb"
        for step in order:
            import_files(db, tmp_path, *((step,) if isinstance(step, str) else step))
        found = instagram_ids(db, handle)
        assert found["creators"] == found["candidates"] == [MERGED_ID[handle]], (order, found)
        assert found["creator_snapshots"] == found["creator_scores"] == [MERGED_ID[handle]], (order, found)
        assert found["posts"] in ([], [MERGED_ID[handle]]), (order, found)


def test_instagram_duplicates_stored_before_the_merge_are_merged_on_the_next_import(tmp_path):
    """A warehouse holding marisolgrows twice (page id and Graph id, loaded before ids were merged):
    the next import re-keys the page id's snapshots and scores to the Graph id, nothing lost."""
    db, other = tmp_path / "old.duckdb", tmp_path / "graph.duckdb"
    import_files(db, tmp_path, "profile_en.html")
    import_files(other, tmp_path, "business_discovery.json")
    with duckdb.connect(str(db)) as con:  # both rows in one warehouse, as older versions left them
        con.execute(f"ATTACH '{other}' AS graph (READ_ONLY)")
        for table in ("creators", "creator_snapshots", "creator_scores", "posts", "runs", "candidate_rows"):
            con.execute(f"INSERT INTO {table} SELECT * FROM graph.{table}")
        con.execute("UPDATE creators SET id_is_alias = NULL")
    assert rows(db, "select count(*) from candidates where handle = 'marisolgrows'")[0][0] == 2
    posts_before = rows(db, "select count(*) from posts")[0][0]
    import_files(db, tmp_path, "business_discovery.json")
    found = instagram_ids(db, "marisolgrows")
    assert found["creators"] == found["candidates"] == ["17841403925461781"], found
    assert rows(db, "select count(*), count(distinct creator_id) from creator_snapshots") == [(3, 1)]
    assert rows(db, "select count(*), count(distinct creator_id) from creator_scores") == [(3, 1)]
    assert rows(db, "select count(*) from posts")[0][0] == posts_before
