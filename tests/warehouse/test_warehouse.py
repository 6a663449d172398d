"""Warehouse tests against a throwaway DuckDB file: migrations, idempotent loads, views,
parameterised queries, exports and the errors a CLI user would see."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from core.records import Post, Profile, RawResponse, ScrapeError
from transforms.frames import (
    ERROR_COLUMNS,
    POST_COLUMNS,
    PROFILE_COLUMNS,
    RAW_COLUMNS,
    SCORE_COLUMNS,
)
from warehouse.db import WarehouseError, connect
from warehouse.export import export_candidates, marketer_frame
from warehouse.forget import forget_creator
from warehouse.load import load_run
from warehouse.migrate import available, migrate, views
from warehouse.queries import candidates, run_summary, table_counts
from warehouse.staging import stage

T0 = pd.Timestamp("2024-05-01T12:00:00Z")
T1 = pd.Timestamp("2024-05-08T12:00:00Z")

# Awkward on purpose: a quote in a platform name and in a handle must survive every filter.
QUOTED_PLATFORM = "it's"
QUOTED_HANDLE = "o'brien"


# --------------------------------------------------------------------------- frame builders


def _frame(
    rows: list[dict[str, Any]], columns: tuple[str, ...], *, ints=(), bools=(), times=()
) -> pd.DataFrame:
    """A frame with the pipeline's dtypes: nullable Int64, boolean and UTC microsecond timestamps."""
    df = pd.DataFrame(rows, columns=list(columns))
    for c in ints:
        df[c] = df[c].astype("Int64")
    for c in bools:
        df[c] = df[c].astype("boolean")
    for c in times:
        df[c] = pd.to_datetime(df[c], utc=True).astype("datetime64[us, UTC]")
    return df


def _creator(platform: str, cid: str, handle: str, followers: int | None, observed=T0) -> dict[str, Any]:
    return {
        "platform": platform, "creator_id": cid, "handle": handle, "display_name": handle.title(),
        "bio": f"bio of {handle}", "followers": followers, "following": 100, "posts_count": 50,
        "verified": False, "avatar_url": None, "external_url": None,
        "profile_url": f"https://example.test/{handle}", "is_bot": False, "observed_at": observed,
    }


def profiles_frame(observed=T0, followers_bump: int = 0) -> pd.DataFrame:
    rows = [
        _creator("bluesky", "did:plc:alice", "alice", 4_000 + followers_bump, observed),
        _creator("bluesky", "did:plc:memes", "dailymemes", 30_000 + followers_bump, observed),
        _creator("mastodon", "101", "bob", 120_000 + followers_bump, observed),
        _creator("mastodon", "102", QUOTED_HANDLE, 20_000 + followers_bump, observed),
        _creator(QUOTED_PLATFORM, "q1", "quinn", 2_000 + followers_bump, observed),
    ]
    return _frame(rows, PROFILE_COLUMNS, ints=("followers", "following", "posts_count"),
                  bools=("verified", "is_bot"), times=("observed_at",))


def posts_frame(observed=T0, likes_bump: int = 0) -> pd.DataFrame:
    rows = []
    for platform, cid in [("bluesky", "did:plc:alice"), ("mastodon", "102"), (QUOTED_PLATFORM, "q1")]:
        for n in range(2):
            rows.append({
                "platform": platform, "post_id": f"{cid}/p{n}", "creator_id": cid,
                "published_at": T0 - pd.Timedelta(days=n + 1), "text": f"post {n}",
                "likes": 100 + n + likes_bump, "comments": 5, "shares": None, "views": None,
                "is_repost": False, "is_sponsored": n == 1, "observed_at": observed,
            })
    return _frame(rows, POST_COLUMNS, ints=("likes", "comments", "shares", "views"),
                  bools=("is_repost", "is_sponsored"), times=("published_at", "observed_at"))


def _score(platform: str, cid: str, tier: str, account_type: str, is_person: bool, er: float,
           scored_at=T0) -> dict[str, Any]:
    return {
        "platform": platform, "creator_id": cid, "scored_at": scored_at, "n_posts": 2,
        "er_median": er, "er_mean": er * 1.1, "er_formula": "(likes+comments)/followers",
        "posts_per_week": 3.5, "days_since_last_post": 1.0, "sponsored_share": 0.5,
        "repost_share": 0.0, "tier": tier, "tier_scheme": "default-v1", "account_type": account_type,
        "person_probability": 0.9 if is_person else 0.1, "is_person": is_person,
        "person_threshold": 0.5, "needs_review": False,
        "evidence": json.dumps(["first-person bio", "replies to fans"]),
        "model_version": "m1", "metrics_version": "x1",
        "contact_email": f"{cid}@example.test" if is_person else None, "contact_link": None,
    }


def scores_frame(scored_at=T0) -> pd.DataFrame:
    rows = [
        _score("bluesky", "did:plc:alice", "nano", "person", True, 0.05, scored_at),
        _score("bluesky", "did:plc:memes", "micro", "meme_page", False, 0.08, scored_at),
        _score("mastodon", "101", "mid", "person", True, 0.04, scored_at),
        _score("mastodon", "102", "micro", "person", True, 0.02, scored_at),
        _score(QUOTED_PLATFORM, "q1", "nano", "person", True, 0.07, scored_at),
    ]
    return _frame(rows, SCORE_COLUMNS, ints=("n_posts",), bools=("is_person", "needs_review"),
                  times=("scored_at",))


def raw_frame() -> pd.DataFrame:
    rows = [
        {"platform": "bluesky", "kind": "profiles", "request_key": "alice", "url": "https://x.test/p",
         "status": 200, "body": '{"did":"did:plc:alice"}', "fetched_at": T0,
         "content_type": "application/json", "response_id": "r-alice"},
        {"platform": "mastodon", "kind": "account", "request_key": "ghost", "url": "https://m.test/a",
         "status": 404, "body": '{"error":"Record not found"}', "fetched_at": T0,
         "content_type": "application/json", "response_id": "r-ghost"},
    ]
    return _frame(rows, RAW_COLUMNS, ints=("status",), times=("fetched_at",))


def errors_frame() -> pd.DataFrame:
    rows = [{"platform": "mastodon", "handle": "ghost", "url": "https://m.test/a", "status": 404,
             "reason": "profile not found", "raw_response_id": "r-ghost", "occurred_at": T0}]
    return _frame(rows, ERROR_COLUMNS, ints=("status",), times=("occurred_at",))


def run_record(status: str = "ok") -> dict[str, Any]:
    return {"flow": "discover", "platform": "bluesky", "params": {"query": ["cats"], "limit": 10},
            "started_at": T0.to_pydatetime(), "finished_at": T0.to_pydatetime(), "status": status}


def load(db: Path, run_id: str, **overrides: Any) -> dict[str, int]:
    frames: dict[str, Any] = {
        "profiles": profiles_frame(), "posts": posts_frame(), "scores": scores_frame(),
        "raw_responses": raw_frame(), "errors": errors_frame(), "run": run_record(),
    }
    frames.update(overrides)
    return load_run(db, run_id=run_id, **frames)


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, to compare whole databases."""
    with connect(db, read_only=True) as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_type = 'BASE TABLE'").fetchall()]
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "nested" / "scout.duckdb"


# --------------------------------------------------------------------------- migrations


LEDGER = "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"


def test_migrations_applied_once_and_recorded(db: Path) -> None:
    with connect(db) as con:  # also creates the missing parent directory
        first = con.execute(LEDGER).fetchall()
    assert [v for v, _, _ in first] == [m.version for m in available()]
    assert first[0][:2] == (1, "initial")
    with connect(db) as con:
        assert migrate(con) == []
        again = con.execute(LEDGER).fetchall()
    assert again == first


def test_views_are_built_once_from_their_files_and_rebuilt_when_stale(db: Path) -> None:
    with connect(db) as con:
        built = {r[0] for r in con.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'").fetchall()}
        assert built == {v.name for v in views()} == {"latest_scores", "creator_origins", "candidates", "tier_benchmarks",
                                                     "creator_growth"}
        # A warehouse whose views were built from other files (an older release, or a view
        # dropped by hand) is refused read-only and rebuilt by the next writer.
        con.execute("DROP VIEW candidates")
        con.execute("UPDATE schema_views SET checksum = 'older'")
    with pytest.raises(WarehouseError, match="views from another version"):
        with connect(db, read_only=True):
            pass
    with connect(db) as con:
        assert con.execute("SELECT count(*) FROM candidates").fetchall() == [(0,)]
    with connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM latest_scores").fetchall() == [(0,)]


def test_input_columns_follow_the_record_types() -> None:
    names = lambda cls: {f.name for f in dataclasses.fields(cls)}  # noqa: E731
    assert set(PROFILE_COLUMNS) == names(Profile) | {"observed_at"}
    # collab_kind is read from the text (transforms.collab), not reported by a scraper
    assert set(POST_COLUMNS) == names(Post) | {"observed_at", "collab_kind"}
    assert set(RAW_COLUMNS) == names(RawResponse) - {"headers"}  # headers page, never stored
    assert set(ERROR_COLUMNS) == names(ScrapeError)


def test_the_load_contract_is_read_from_the_table_definitions() -> None:
    from warehouse.staging import input_columns

    assert set(input_columns("profiles")) == set(PROFILE_COLUMNS)
    assert set(input_columns("posts")) == set(POST_COLUMNS)
    assert set(input_columns("scores")) == set(SCORE_COLUMNS)
    assert set(input_columns("raw")) == set(RAW_COLUMNS)
    assert set(input_columns("errors")) == set(ERROR_COLUMNS)


# --------------------------------------------------------------------------- loads


def test_reload_with_new_run_id_grows_only_history(db: Path) -> None:
    first = load(db, "run-1")
    assert first == {"creators_new": 5, "creators_updated": 0, "posts_new": 6, "posts_updated": 0,
                     "snapshots": 5, "scores": 5, "raw_responses": 2, "errors": 1}
    before = table_counts(db)
    second = load(db, "run-2")
    after = table_counts(db)
    assert second["creators_new"] == 0 and second["creators_updated"] == 5
    assert second["posts_new"] == 0 and second["posts_updated"] == 6
    for table in ("creators", "posts", "raw_responses"):
        assert after[table] == before[table]
    for table in ("creator_snapshots", "creator_scores", "runs", "scrape_errors"):
        assert after[table] == 2 * before[table]


def test_rerun_of_same_run_id_changes_nothing(db: Path) -> None:
    first = load(db, "run-1")
    snapshot = dump(db)
    assert load(db, "run-1") == first  # a retried load reports what the first attempt did
    assert dump(db) == snapshot


def test_upsert_keeps_first_seen_updates_counts_and_null_never_erases(db: Path) -> None:
    load(db, "run-1")
    later = profiles_frame(observed=T1, followers_bump=10)
    later.loc[later["handle"] == "alice", "followers"] = pd.NA  # not observed this time
    load(db, "run-2", profiles=later, posts=posts_frame(observed=T1, likes_bump=7),
         scores=scores_frame(scored_at=T1))
    with connect(db, read_only=True) as con:
        alice = con.execute(
            "SELECT followers, first_seen_at, last_seen_at, last_run_id FROM creators WHERE handle = 'alice'"
        ).fetchone()
        bob = con.execute("SELECT followers FROM creators WHERE handle = 'bob'").fetchone()
        post = con.execute(
            "SELECT likes, first_seen_at, last_seen_at FROM posts WHERE post_id = 'did:plc:alice/p0'"
        ).fetchone()
        history = con.execute(
            "SELECT run_id, followers FROM creator_snapshots WHERE creator_id = '101' ORDER BY observed_at"
        ).fetchall()
    assert alice == (4_000, T0.to_pydatetime(), T1.to_pydatetime(), "run-2")
    assert bob == (120_010,)
    assert post == (107, T0.to_pydatetime(), T1.to_pydatetime())
    assert history == [("run-1", 120_000), ("run-2", 120_010)]


def test_an_older_observation_does_not_overwrite_a_newer_profile(db: Path) -> None:
    load(db, "run-new", profiles=profiles_frame(observed=T1, followers_bump=10))
    load(db, "run-old", profiles=profiles_frame(observed=T0))
    with connect(db, read_only=True) as con:
        row = con.execute(
            "SELECT followers, first_seen_at, last_seen_at, last_run_id FROM creators WHERE handle = 'bob'"
        ).fetchone()
    assert row == (120_010, T0.to_pydatetime(), T1.to_pydatetime(), "run-new")


def test_empty_frames_load(db: Path) -> None:
    counts = load(db, "empty", profiles=profiles_frame().iloc[0:0], posts=posts_frame().iloc[0:0],
                  scores=scores_frame().iloc[0:0], raw_responses=raw_frame().iloc[0:0],
                  errors=errors_frame().iloc[0:0])
    assert set(counts.values()) == {0}
    assert table_counts(db)["runs"] == 1
    with connect(db, read_only=True) as con:
        stored = con.execute("SELECT status, params, counts FROM runs").fetchone()
    assert stored[0] == "ok"
    assert json.loads(stored[1]) == {"limit": 10, "query": ["cats"]}
    assert json.loads(stored[2]) == counts


def test_staging_keeps_the_latest_row_of_a_repeated_key_and_every_row_otherwise() -> None:
    """Ranking runs only when a key repeats; either way the staged rows are one per key, the
    latest observation kept (a NULL key is one key, as the ranking's partitions have it)."""
    con = duckdb.connect(":memory:")
    migrate(con)
    unique = profiles_frame()
    con.register("in_profiles", unique)
    stage(con, "profiles")
    assert con.execute("SELECT count(*) FROM stg_profiles").fetchall() == [(len(unique),)]
    repeated = pd.concat([profiles_frame(observed=T1, followers_bump=10), unique,
                          profiles_frame().assign(creator_id=None).iloc[:2]], ignore_index=True)
    con.register("in_profiles", repeated)
    stage(con, "profiles")
    rows = con.execute("SELECT creator_id, followers FROM stg_profiles ORDER BY ALL").fetchall()
    latest = sorted(zip(unique["creator_id"], unique["followers"] + 10, strict=True))
    assert [r for r in rows if r[0] is not None] == latest and sum(r[0] is None for r in rows) == 1


def test_failed_load_midway_rolls_back_everything(db: Path) -> None:
    load(db, "run-1")
    snapshot = dump(db)
    broken_posts = posts_frame(observed=T1).astype({"likes": "object"})
    broken_posts.loc[0, "likes"] = "lots"  # fails after creators were already upserted
    with pytest.raises(WarehouseError, match="run-2.*nothing was saved"):
        load(db, "run-2", profiles=profiles_frame(observed=T1, followers_bump=5), posts=broken_posts)
    assert dump(db) == snapshot


def test_missing_column_is_refused_before_writing(db: Path) -> None:
    with pytest.raises(WarehouseError, match="posts frame is missing column\\(s\\) likes"):
        load(db, "run-1", posts=posts_frame().drop(columns=["likes"]))
    assert not db.exists()


# --------------------------------------------------------------------------- views and queries


def test_candidates_view_keeps_nano_and_micro_people_only(db: Path) -> None:
    load(db, "run-1")
    got = candidates(db)
    assert set(got["handle"]) == {"alice", QUOTED_HANDLE, "quinn"}  # no meme page, no mid-tier bob
    assert list(got.columns[:5]) == ["platform", "creator_id", "handle", "display_name", "profile_url"]
    assert list(got["er_median"]) == sorted(got["er_median"], reverse=True)
    # A later rescore moves alice to mid: the latest score wins and she drops out.
    rescored = scores_frame(scored_at=T1)
    rescored.loc[rescored["creator_id"] == "did:plc:alice", "tier"] = "mid"
    load(db, "run-2", scores=rescored)
    assert "alice" not in set(candidates(db)["handle"])


def test_review_band_is_flagged_not_dropped(db: Path) -> None:
    borderline = scores_frame()
    memes = borderline["creator_id"] == "did:plc:memes"
    borderline.loc[memes, "person_probability"] = 0.45
    borderline.loc[memes, "needs_review"] = True
    load(db, "run-1", scores=borderline)
    got = candidates(db).set_index("creator_id")
    assert bool(got.loc["did:plc:memes", "needs_review"]) is True  # below threshold, kept, flagged
    assert not got.drop(index="did:plc:memes")["needs_review"].any()


def test_latest_score_ties_are_broken_by_run_id(db: Path) -> None:
    load(db, "run-a")
    demoted = scores_frame()  # same scored_at as run-a
    demoted["tier"] = "mid"
    load(db, "run-b", scores=demoted)
    assert candidates(db).empty


def test_candidates_filters_are_parameters(db: Path) -> None:
    load(db, "run-1")
    assert list(candidates(db, platforms=[QUOTED_PLATFORM])["handle"]) == ["quinn"]
    assert list(candidates(db, platforms="mastodon")["handle"]) == [QUOTED_HANDLE]
    assert list(candidates(db, tiers=["micro"])["handle"]) == [QUOTED_HANDLE]
    assert list(candidates(db, min_er=0.05)["handle"]) == ["quinn", "alice"]
    assert list(candidates(db, limit=1)["handle"]) == ["quinn"]
    assert list(candidates(db, order_by="handle")["handle"]) == ["alice", QUOTED_HANDLE, "quinn"]
    assert candidates(db, platforms=["x') OR 1=1 --"]).empty
    assert candidates(db, platforms=[]).empty
    with pytest.raises(WarehouseError, match="Cannot order by"):
        candidates(db, order_by="er_median; DROP TABLE creators")
    with pytest.raises(WarehouseError, match="only in the tiers"):
        candidates(db, tiers=["mid"])
    assert table_counts(db)["creators"] == 5


def test_run_summary(db: Path) -> None:
    load(db, "run-1")
    summary = run_summary(db, "run-1")
    assert summary["by_tier"] == {"nano": 2, "micro": 2, "mid": 1}
    assert summary["by_account_type"] == {"person": 4, "meme_page": 1}
    assert summary["errors"] == 1
    assert summary["top_error_reasons"] == [("profile not found", 1)]
    assert summary["counts"]["creators_new"] == 5
    with pytest.raises(WarehouseError, match="No run"):
        run_summary(db, "nope")


def test_forget_creator_erases_everywhere(db: Path) -> None:
    load(db, "run-1")
    deleted = forget_creator(db, platform="bluesky", handle="@Alice").deleted
    assert deleted["creators"] == 1 and deleted["posts"] == 2 and deleted["raw_responses"] == 1
    with connect(db, read_only=True) as con:
        leftovers = con.execute(
            """
            SELECT (SELECT count(*) FROM creators WHERE creator_id = 'did:plc:alice')
                 + (SELECT count(*) FROM creator_snapshots WHERE creator_id = 'did:plc:alice')
                 + (SELECT count(*) FROM creator_scores WHERE creator_id = 'did:plc:alice')
                 + (SELECT count(*) FROM posts WHERE creator_id = 'did:plc:alice')
                 + (SELECT count(*) FROM raw_responses WHERE contains(body, 'did:plc:alice'))
            """
        ).fetchone()
    assert leftovers == (0,)
    assert table_counts(db)["creators"] == 4


# --------------------------------------------------------------------------- exports


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_export_round_trip(db: Path, tmp_path: Path, fmt: str) -> None:
    load(db, "run-1")
    df = candidates(db)
    path = export_candidates(df, tmp_path / "out" / f"candidates.{fmt}")  # format from the suffix
    expected = marketer_frame(df)
    assert list(expected.columns[:4]) == ["profile_url", "handle", "name", "platform"]
    assert expected["evidence"].iloc[0] == "first-person bio; replies to fans"
    back = {"csv": pd.read_csv, "xlsx": pd.read_excel, "parquet": pd.read_parquet}[fmt](path)
    assert list(back.columns) == list(expected.columns)
    if fmt == "parquet":
        pd.testing.assert_frame_equal(back, expected, check_dtype=False)
    else:  # text formats: compare what a spreadsheet shows
        for column in ["handle", "name", "platform", "tier", "evidence", "contact_email"]:
            assert list(back[column].astype(str)) == list(expected[column].astype(str))
        for column in ["followers", "er_median", "posts_per_week", "person_probability"]:
            assert list(back[column].astype(float)) == pytest.approx(list(expected[column].astype(float)))
        scored = pd.to_datetime(back["scored_at"], utc=True)
        assert list(scored) == list(expected["scored_at"])
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left behind


def test_export_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    df = pd.DataFrame({"handle": ["a"], "evidence": ['["x"]']})
    path = export_candidates(df, tmp_path / "c.csv", "csv")
    with pytest.raises(WarehouseError, match="exists; use --force to overwrite"):
        export_candidates(pd.DataFrame({"handle": ["b"]}), path, "csv")
    assert pd.read_csv(path)["handle"].tolist() == ["a"]
    export_candidates(pd.DataFrame({"handle": ["b"]}), path, "csv", force=True)
    assert pd.read_csv(path)["handle"].tolist() == ["b"]
    with pytest.raises(WarehouseError, match="Unknown export format"):
        export_candidates(df, tmp_path / "c.json", "json")
    with pytest.raises(WarehouseError, match="Cannot tell the export format"):
        export_candidates(df, tmp_path / "c.txt")


def test_export_defuses_spreadsheet_formulas(tmp_path: Path) -> None:
    df = pd.DataFrame({"handle": ["eve"], "display_name": ["=HYPERLINK(\"http://evil\")"]})
    path = export_candidates(df, tmp_path / "c.xlsx")
    assert pd.read_excel(path)["name"].iloc[0].startswith("'=")


# --------------------------------------------------------------------------- connection errors


def test_read_only_connect_needs_an_existing_database(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match="run `scout discover` or `scout demo` first"):
        candidates(tmp_path / "missing.duckdb")


def test_directory_and_foreign_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match="is a directory"):
        with connect(tmp_path):
            pass
    junk = tmp_path / "notes.duckdb"
    junk.write_text("not a database\n" * 100)
    with pytest.raises(WarehouseError, match="not a DuckDB database"):
        with connect(junk):
            pass


def test_read_only_directory_is_reported(read_only_dir: Path) -> None:
    with pytest.raises(WarehouseError, match="read-only"):
        with connect(read_only_dir / "scout.duckdb"):
            pass


def test_lock_released_during_backoff_is_waited_for(db: Path) -> None:
    with connect(db):
        pass
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent("""
            import sys, time, duckdb
            con = duckdb.connect(sys.argv[1])
            print("ready", flush=True)
            time.sleep(0.3)
            con.close()
        """), str(db)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        assert load(db, "run-1")["creators_new"] == 5
    finally:
        holder.wait(timeout=10)

