"""The real discover flow against the sandbox, asserting on the rows it leaves in DuckDB."""

from __future__ import annotations

import duckdb
import pytest

from flows.discover import discover

pytestmark = pytest.mark.usefixtures("prefect_harness")
QUERIES = ["baking", "fitness", "travel", "music", "gardening", "gaming", "photography", "pets"]


def count(db, sql: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def test_bluesky_discover_loads_scores_and_is_idempotent(tmp_path, sandbox):
    db = tmp_path / "scout.duckdb"
    params = dict(platform="bluesky", base_url=sandbox.base_url, queries=QUERIES,
                  handles=["nobody-here.bsky.social"], limit=40, posts_per_creator=20,
                  db_path=str(db), rate_per_second=100)
    first = discover(**params)
    assert first["creators"] > 10
    creators = count(db, "select count(*) from creators where platform = 'bluesky'")
    posts = count(db, "select count(*) from posts")
    assert creators == first["creators"] and posts == first["posts"] > creators
    assert count(db, "select count(*) from creator_scores") == creators
    # every fetched body is kept; the audience audit's follower pages are not (followers are not creators)
    assert count(db, "select count(*) from raw_responses") == first["requests"] - first["audit_requests"]
    # every scored creator has an evidence list, a tier scheme and a model version
    assert count(db, "select count(*) from creator_scores where evidence is null or tier_scheme is null "
                     "or model_version is null") == 0
    # the missing seed handle is explained, not fatal
    assert count(db, "select count(*) from scrape_errors where handle = 'nobody-here.bsky.social'") == 1
    assert count(db, "select count(*) from posts where is_repost") > 0

    second = discover(**params)
    assert second["creators"] == first["creators"]
    assert count(db, "select count(*) from creators") == creators
    assert count(db, "select count(*) from posts") == posts
    assert count(db, "select count(*) from creator_snapshots") == 2 * creators
    assert count(db, "select count(*) from runs") == 2


def test_mastodon_discover_by_hashtag_and_directory(tmp_path, sandbox):
    db = tmp_path / "scout.duckdb"
    summary = discover(platform="mastodon", base_url=sandbox.base_url, hashtags=["baking"],
                       handles=["ghost_account_404"], limit=30, posts_per_creator=45,
                       db_path=str(db), rate_per_second=100)
    assert summary["creators"] > 0
    assert count(db, "select count(*) from creators where platform = 'mastodon'") == summary["creators"]
    # Link-header paging: 45 posts needs two pages of 40 for creators that have them
    assert count(db, "select max(n) from (select count(*) n from posts group by creator_id)") > 40
    assert count(db, "select count(*) from scrape_errors where handle like 'ghost_account_404%' "
                     "and status = 404") == 1
    assert count(db, "select count(*) from creators where bio like '%<p>%'") == 0  # HTML became text


def test_empty_discovery_loads_nothing_and_succeeds(tmp_path, sandbox):
    db = tmp_path / "scout.duckdb"
    summary = discover(platform="bluesky", base_url=sandbox.base_url,
                       queries=["zzzqqq-no-such-creator"], limit=10, db_path=str(db))
    assert summary["creators"] == 0
    assert count(db, "select count(*) from creators") == 0
    assert count(db, "select count(*) from runs") == 1


def test_flow_publishes_candidate_table_and_summary(tmp_path, sandbox):
    from uuid import UUID

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        ArtifactFilterKey,
    )

    summary = discover(platform="bluesky", base_url=sandbox.base_url, queries=QUERIES, limit=30,
                       posts_per_creator=5, db_path=str(tmp_path / "a.duckdb"), rate_per_second=100)
    this_run = ArtifactFilterFlowRunId(any_=[UUID(summary["run_id"])])
    with get_client(sync_client=True) as client:
        table = client.read_artifacts(artifact_filter=ArtifactFilter(
            key=ArtifactFilterKey(any_=["top-candidates-bluesky"]), flow_run_id=this_run))
        markdown = client.read_artifacts(artifact_filter=ArtifactFilter(
            key=ArtifactFilterKey(any_=["discover-summary-bluesky"]), flow_run_id=this_run))
    assert table and table[0].type == "table"
    assert markdown and f"creators scored: {summary['creators']}" in markdown[0].data
    assert "| tier | creators |" in markdown[0].data
