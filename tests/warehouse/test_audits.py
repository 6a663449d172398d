"""The audience_audits table: stored by run, shown in candidates as the latest audit, erased by
``scout forget`` (found through information_schema like every table)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from core.records import FollowerSample
from scrapers.registry import get_platform
from tests.warehouse.test_warehouse import T0, load
from transforms.audience import audience_audits
from warehouse.audits import audit_targets, store_audits
from warehouse.forget import forget_creator


def _audit(db: Path, run_id: str, frame: pd.DataFrame) -> int:
    with duckdb.connect(str(db)) as con:
        return store_audits(con, run_id, frame)


def _row(platform: str, creator_id: str, real: float, at: pd.Timestamp) -> dict:
    return {"platform": platform, "creator_id": creator_id, "audited_at": at, "sample_size": 100,
            "real_share": real, "ci_low": real - 0.1, "ci_high": real + 0.1, "fake_share": 1 - real,
            "mass_share": 0.0, "model_version": "followers-logreg-v1", "reason": None}


def _credibility(db: Path) -> dict[str, float | None]:
    with duckdb.connect(str(db)) as con:
        return dict(con.execute("SELECT creator_id, audience_credibility FROM candidates").fetchall())


def test_candidates_show_the_latest_audit_and_none_without_one(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load(db, "run-1")
    audits = audience_audits([], now=T0)  # the frame the flow stores, with its dtypes
    older = pd.DataFrame([_row("bluesky", "did:plc:alice", 0.4, T0), _row("mastodon", "102", 0.9, T0)])
    newer = pd.DataFrame([_row("bluesky", "did:plc:alice", 0.8, T0 + pd.Timedelta(days=1))])
    assert _audit(db, "run-1", pd.concat([audits, older]).astype(audits.dtypes.to_dict())) == 2
    assert _audit(db, "run-2", newer.astype(audits.dtypes.to_dict())) == 1
    shown = _credibility(db)
    assert shown["did:plc:alice"] == 0.8 and shown["102"] == 0.9
    assert shown["q1"] is None  # never audited: unknown, not 0


def test_a_platform_without_follower_lists_is_stored_as_null_with_its_reason(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load(db, "run-1")
    sample = get_platform("youtube").sample_followers(None, "https://example.invalid", "did:plc:alice", size=100)
    frame = audience_audits([FollowerSample("bluesky", sample.creator_id, reason=sample.reason)], now=T0)
    assert _audit(db, "run-1", frame) == 1
    with duckdb.connect(str(db)) as con:
        stored = con.execute("SELECT sample_size, real_share, ci_low, model_version, reason "
                             "FROM audience_audits").fetchall()
    assert stored == [(0, None, None, None, "YouTube's Data API lists no subscribers of a channel")]
    assert _credibility(db)["did:plc:alice"] is None


def test_audit_targets_are_the_runs_candidates_or_everyone_it_scored(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load(db, "run-1")
    with duckdb.connect(str(db)) as con:
        assert audit_targets(con, "bluesky", "run-1", everyone=False) == ["did:plc:alice"]
        assert audit_targets(con, "bluesky", "run-1", everyone=True) == ["did:plc:alice", "did:plc:memes"]
        assert audit_targets(con, "bluesky", "run-other", everyone=True) == []


def test_forget_erases_the_creators_audits_and_keeps_the_others(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load(db, "run-1")
    frame = pd.DataFrame([_row("bluesky", "did:plc:alice", 0.4, T0), _row("mastodon", "102", 0.9, T0)])
    _audit(db, "run-1", frame.astype(audience_audits([], now=T0).dtypes.to_dict()))
    forgotten = forget_creator(db, platform="bluesky", handle="did:plc:alice")
    assert "audience_audits" in str(forgotten)
    with duckdb.connect(str(db)) as con:
        left = con.execute("SELECT platform, creator_id FROM audience_audits").fetchall()
    assert left == [("mastodon", "102")]
    _audit(db, "run-2", frame.astype(audience_audits([], now=T0).dtypes.to_dict()))  # a late audit
    with duckdb.connect(str(db)) as con:  # of a forgotten creator is not stored again
        assert con.execute("SELECT count(*) FROM audience_audits").fetchone() == (2 - 1,)
