"""Flow tasks called as plain functions (task.fn): no Prefect API needed."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from core.records import RawResponse
from flows.discover import score
from flows.fetching import in_batches, parse_batch, submitted_ahead

FIXTURES = Path(__file__).parents[1] / "fixtures"
NOW = datetime(2026, 11, 1, tzinfo=timezone.utc)


def raw(kind: str, name: str, status: int = 200, key: str = "") -> RawResponse:
    body = (FIXTURES / "bluesky" / name).read_text()
    return RawResponse("bluesky", kind, key, "https://public.api.bsky.app/xrpc/x", status, body)


def test_parse_batch_keeps_good_records_and_explains_bad_ones():
    parsed = parse_batch("bluesky", [
        raw("profiles", "get_profiles.json"),
        raw("author_feed", "author_feed.json"),
        raw("author_feed", "author_feed_truncated.json", key="did:plc:broken"),
    ])
    assert parsed.profiles and parsed.posts
    assert any("invalid JSON" in e.reason for e in parsed.errors)


def test_score_task_returns_frames_with_one_score_per_creator():
    parsed = parse_batch("bluesky", [raw("profiles", "get_profiles.json"),
                                        raw("author_feed", "author_feed.json")])
    frames = score.fn(parsed, NOW, "default")
    scores = frames["scores"]
    assert len(scores) == len(frames["profiles"]) == len({p.creator_id for p in parsed.profiles})
    assert set(scores["tier_scheme"]) == {"default@v1"}
    assert all(isinstance(json.loads(e), list) for e in scores["evidence"])


def test_batches_cover_every_ref_once():
    refs = [f"r{i}" for i in range(53)]
    batches = in_batches(refs, 25)
    assert [len(b) for b in batches] == [25, 25, 3]
    assert sum(batches, []) == refs


def test_fetches_are_submitted_a_bounded_number_of_batches_ahead_of_the_one_stored():
    """Bodies fetched but not stored yet stay bounded whatever --limit (all 80 batches of a
    2000-creator run were submitted at once, and fetched ahead of a busy flow, before)."""
    plan = {n: [f"ref{n}"] for n in range(1, 81)}
    submitted: list[int] = []

    def submit(n: int, refs: list[str]) -> str:
        submitted.append(n)
        return f"future of {refs[0]}"

    handed = []
    for n, refs, future in submitted_ahead(plan, submit, ahead=8):
        assert len(submitted) == min(80, n + 8)  # this batch and the 8 after it, no more
        assert future == f"future of {refs[0]}"
        handed.append(n)
    assert handed == submitted == list(range(1, 81))
