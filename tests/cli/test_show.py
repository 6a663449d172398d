"""`scout show HANDLE`: a creator's card from a real warehouse built the way a run builds it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from cli.app import app
from core.records import Post, Profile
from transforms.frames import (
    errors_frame,
    lineage_frame,
    posts_frame,
    profiles_frame,
    raw_frame,
)
from transforms.score import score_creators
from warehouse.load import load_run

NOW = datetime(2024, 5, 1, 12, tzinfo=UTC)
BIO = "I bake sourdough at home, mum of two. PR friendly! hello@maya.example [bold red]boo[/] [link=http://x]y[/link]"


def _load(db: Path, run_id: str, profiles: list[Profile], posts: list[Post], found: list[tuple[str, str, str, str]],
          now: datetime) -> None:
    profile_rows, post_rows = profiles_frame(profiles, now), posts_frame(posts, now)
    load_run(db, run_id=run_id, profiles=profile_rows, posts=post_rows,
             scores=score_creators(profile_rows, post_rows, now=now), raw_responses=raw_frame([]),
             errors=errors_frame([]), lineage=lineage_frame(found, now),
             run={"flow": "discover", "platform": "bluesky", "params": {}, "started_at": now,
                  "finished_at": now, "status": "completed"})


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Maya on Bluesky (two runs: found by a query, then as a seed), a namesake 'maya' on Mastodon,
    and two Bluesky 'sam's."""
    db = tmp_path / "scout.duckdb"
    maya = Profile(platform="bluesky", creator_id="did:plc:maya", handle="maya.bsky.social", display_name="Maya Stone",
                   bio=BIO, followers=4_000, following=300, posts_count=400,
                   profile_url="https://bsky.app/profile/maya.bsky.social")
    posts = [Post(platform="bluesky", post_id=f"did:plc:maya/p{k}", creator_id="did:plc:maya",
                  published_at=NOW - timedelta(days=k + 1), text=f"loaf number {k} [i]rose[/i]", likes=100 + k, comments=10)
             for k in range(8)]
    sams = [Profile(platform="bluesky", creator_id=f"did:plc:sam{i}", handle=f"sam.{domain}", display_name="Sam",
                    followers=2_000) for i, domain in enumerate(("bsky.social", "example.com"))]
    _load(db, "run-1", [maya, *sams], posts, [("bluesky", "did:plc:maya", "query", "sourdough")], NOW - timedelta(days=30))
    grown = Profile(**{**{f: getattr(maya, f) for f in maya.__slots__}, "followers": 4_600})
    _load(db, "run-2", [grown], posts, [("bluesky", "did:plc:maya", "handle", "maya.bsky.social")], NOW)
    masto = Profile(platform="mastodon", creator_id="mastodon.social:1", handle="maya@mastodon.social",
                    followers=1_500)
    _load(db, "run-3", [masto], [], [], NOW)
    return db


def show(db: Path, *args: str):
    return CliRunner().invoke(app, ["show", *args, "--db", str(db)])


def test_the_card_shows_profile_metrics_posts_and_where_the_creator_came_from(db: Path) -> None:
    result = show(db, "maya.bsky.social", "-p", "bluesky")
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())  # the panel wraps lines: compare words
    assert "Maya Stone" in out and "@maya.bsky.social" in out and "https://bsky.app/profile/maya.bsky.social" in out
    assert "[bold red]boo[/]" in out and "[link=http://x]y[/link]" in out  # the bio's markup is text
    assert "4,600 (+600 in 30 days)" in out and "snapshots 2, since 2024-04-01" in out
    assert "tier nano" in out and "median ER 2.47% over 8 posts" in out and "p(person) 0.97" in out
    assert 'collaboration open_to_gifting (bio says "pr friendly"' in out and "contact hello@maya.example" in out
    assert "authenticity 85/100" in out and "likes_uniform" in out
    with duckdb.connect(str(db), read_only=True) as con:  # the niche model's reading, as stored
        (niches,) = con.execute("SELECT niches FROM latest_scores WHERE creator_id = 'did:plc:maya'").fetchone()
    assert niches and f"niches {niches}" in out
    for k in range(5):  # the five newest posts, with their engagement
        assert f"loaf number {k} [i]rose[/i]" in out
    assert "loaf number 5" not in out and "2024-04-30" in out and "2.39%" in out
    lineage = out[out.index("where this creator came from"):]  # first, then latest
    assert lineage.index("2024-04-01 12:00") < lineage.index("query") < lineage.index("sourdough") \
        < lineage.index("discover run-1") < lineage.index("handle") < lineage.index("discover run-2")


def test_a_username_alone_resolves_or_lists_every_creator_it_could_mean(db: Path) -> None:
    assert "Maya Stone" in show(db, "maya", "-p", "bluesky").output
    both = show(db, "maya")  # on Bluesky and on Mastodon
    assert both.exit_code == 2 and "Traceback" not in both.output
    assert "maya.bsky.social (bluesky)" in both.output and "maya@mastodon.social (mastodon)" in both.output
    assert "-p PLATFORM" in both.output
    sams = show(db, "sam", "-p", "bluesky")
    assert sams.exit_code == 2 and "sam.bsky.social" in sams.output and "sam.example.com" in sams.output
    assert show(db, "maya@mastodon.social").exit_code == 0
    assert "sam.example.com" in show(db, "did:plc:sam1").output  # an id works too


@pytest.mark.parametrize(("args", "message"), [
    (["nobody.bsky.social", "-p", "bluesky"], "matched no stored bluesky creator"),
    (["nobody"], "matched no stored creator"),
    (["bad handle!", "-p", "mastodon"], "is invalid"),
    (["maya", "-p", "myspace"], "Unknown platform 'myspace'"),
    (["  "], "needs a handle"),
])
def test_a_handle_that_names_nobody_is_one_line_and_exit_2(db: Path, args: list[str], message: str) -> None:
    result = show(db, *args)
    assert result.exit_code == 2 and message in result.output, result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) <= 3
