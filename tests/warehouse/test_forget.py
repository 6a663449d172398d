"""``scout forget``: erasure from every table, a tombstone, and later runs that skip the creator."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from cli.app import app
from scrapers.mastodon.ids import account_id
from warehouse.forget import tombstones
from warehouse.tombstones import drop_tombstoned, keep_raws, keep_refs

FIXTURES = Path(__file__).parents[1] / "fixtures"
runner = CliRunner()
# `scout forget` also scrubs Prefect's records, so every test here talks to one Prefect API: the
# session's harness, not an ephemeral server per command (slow, and flaky on a loaded machine).
pytestmark = pytest.mark.usefixtures("prefect_harness")


def scout(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def mentions(db: Path, handle: str, ids: list[str]) -> dict[str, int]:
    """Rows naming the creator in any text column of any table (but the tombstones), per table.

    Tables come from information_schema, so a table added later cannot be missed: any text
    holding the handle, a value equal to an id, or a JSON body quoting an id, counts.
    """
    found: dict[str, int] = {}
    with duckdb.connect(str(db), read_only=True) as con:
        columns = con.execute(
            "SELECT table_name, list(column_name) FROM information_schema.columns "
            "WHERE table_schema = 'main' AND data_type IN ('VARCHAR', 'JSON') "
            "AND table_name NOT IN ('tombstones', 'schema_migrations') AND table_name IN "
            "(SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE') "
            "GROUP BY table_name"
        ).fetchall()
        for table, names in columns:
            values = [f'CAST("{c}" AS VARCHAR)' for c in names]
            names_creator = " OR ".join(
                f"contains(lower({v}), $h) OR list_contains($ids, {v}) "
                f"OR len(list_filter($ids, lambda i: contains({v}, '\"' || i || '\"'))) > 0"
                for v in values
            )
            (found[table],) = con.execute(
                f'SELECT count(*) FROM "{table}" WHERE {names_creator}', {"h": handle, "ids": ids}
            ).fetchone()
    return found


@pytest.fixture
def imported(tmp_path: Path) -> tuple[Path, Path]:
    """A warehouse holding every saved Instagram page of the fixtures, imported for real."""
    saved = tmp_path / "saved"
    shutil.copytree(FIXTURES / "instagram", saved)
    db = tmp_path / "scout.duckdb"
    result = scout("import", "-p", "instagram", str(saved), "--db", str(db))
    assert result.exit_code == 0, result.output
    return db, saved


@pytest.mark.usefixtures("prefect_harness")
def test_forget_leaves_zero_rows_and_a_later_import_skips_the_creator(imported) -> None:
    db, saved = imported
    # jonas.backt: two saved pages (page id and username) are one creator since the load merges
    # aliases (issue 12); every row and raw body naming either must go
    handle = "jonas.backt"
    ids = sorted(i for (i,) in rows(db, "SELECT creator_id FROM creators WHERE handle = ?", [handle]))
    others = rows(db, "SELECT creator_id FROM creators WHERE handle <> ?", [handle])
    assert len(ids) == 1 and others
    before = mentions(db, handle, ids)
    assert before["creators"] == 1 and before["raw_responses"] >= 2 and before["posts"] >= 1
    assert before["creator_lineage"] == 2  # found by both saved pages: "import FILE" each
    assert before["candidate_rows"] == 1  # the materialised candidates view (migration 018) too

    result = scout("forget", "-p", "instagram", "--handle", "@Jonas.Backt", "--db", str(db),
                   "--reason", "erasure request #7")
    assert result.exit_code == 0, result.output
    assert f"forgot instagram {handle}" in result.output
    for table in ("creators", "posts", "raw_responses", "creator_scores", "creator_snapshots", "creator_lineage",
                  "candidate_rows"):
        assert f"{table} " in result.output
    assert mentions(db, handle, ids) == {t: 0 for t in before}
    assert rows(db, "SELECT count(*) FROM creators")[0][0] == len(others)  # nobody else went
    assert rows(db, "SELECT count(*) FROM candidates WHERE handle = ?", [handle]) == [(0,)]

    gone = tombstones(db)
    assert gone[["platform", "handle", "reason"]].values.tolist() == [["instagram", handle, "erasure request #7"]]
    assert list(gone["creator_ids"][0]) == ids
    listing = scout("forget", "--list-tombstones", "--db", str(db))
    assert listing.exit_code == 0 and handle in listing.output and ids[0] in listing.output

    again = scout("import", "-p", "instagram", str(saved), "--db", str(db))
    assert again.exit_code == 0, again.output
    assert "skipped 2 forgotten creator(s)" in again.output  # one per incoming id: both saved pages' ids
    assert mentions(db, handle, ids) == {t: 0 for t in before}
    assert rows(db, "SELECT count(*) FROM creators")[0][0] == len(others)


def test_forgetting_an_unknown_handle_needs_force_then_records_the_tombstone(tmp_path: Path) -> None:
    """A typo must not tombstone nobody; --force does, for a person not yet collected."""
    from warehouse.db import connect

    db = tmp_path / "w.duckdb"
    with connect(db):
        pass
    typo = scout("forget", "-p", "tiktok", "--handle", "@Never.Seen", "--db", str(db))
    assert typo.exit_code == 2 and "Traceback" not in typo.output
    assert "'never.seen' matched no stored tiktok creator" in typo.output and "--force" in typo.output
    assert tombstones(db).empty
    result = scout("forget", "-p", "tiktok", "--handle", "@Never.Seen", "--force", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "never.seen: 0 rows deleted" in result.output
    assert tombstones(db, "tiktok")["handle"].tolist() == ["never.seen"]
    assert tombstones(db, "bluesky").empty


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-p", "myspace", "--handle", "a"], "Unknown platform 'myspace'"),
        (["-p", "instagram", "--handle", "  "], "The instagram handle is empty"),
        (["-p", "instagram", "--handle", "no spaces allowed"], "is invalid"),
        (["-p", "instagram"], "needs --platform and --handle"),
        (["-p", "instagram", "--handle", "real_one"], "No database at"),
        (["--list-tombstones"], "No database at"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = scout("forget", *args, "--db", str(tmp_path / "missing.duckdb"))
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "missing.duckdb").exists()


GONE = pd.DataFrame({"platform": ["bluesky", "mastodon"], "handle": ["alice.bsky.social", "bob@m.social"],
                     "creator_ids": [["did:plc:alice"], []]})


def test_refs_of_tombstoned_creators_are_not_fetched() -> None:
    refs = ["@Alice.bsky.social", "did:plc:alice", "carol.bsky.social", "bob@m.social"]
    assert keep_refs("bluesky", refs, GONE) == ["carol.bsky.social", "bob@m.social"]
    assert keep_refs("mastodon", refs, GONE) == ["@Alice.bsky.social", "did:plc:alice", "carol.bsky.social"]
    assert keep_refs("bluesky", refs, GONE.iloc[:0]) == refs


def test_rows_and_bodies_of_tombstoned_creators_are_dropped() -> None:
    profiles = pd.DataFrame({"platform": ["bluesky", "bluesky", "mastodon"],
                             "creator_id": ["did:plc:new", "did:plc:carol", "7"],
                             "handle": ["ALICE.bsky.social", "carol.bsky.social", "bob@m.social"]})
    posts = pd.DataFrame({"platform": ["bluesky", "bluesky", "bluesky", "mastodon"],
                          "creator_id": ["did:plc:new", "did:plc:alice", "did:plc:carol", "7"],
                          "post_id": ["p1", "p2", "p3", "p4"]})
    scores = pa.table({"platform": ["mastodon", "bluesky", "bluesky"],  # a rescore's scores are Arrow
                       "creator_id": ["7", "did:plc:carol", "did:plc:alice"], "er_median": [0.1, 0.2, 0.3]})
    frames, dropped = drop_tombstoned({"profiles": profiles, "posts": posts, "scores": scores, "note": "kept"}, GONE)
    # by handle (the renamed id did:plc:new), by the remembered id, and on mastodon by handle
    assert dropped == 3
    assert frames["profiles"]["creator_id"].tolist() == ["did:plc:carol"]
    assert frames["posts"]["post_id"].tolist() == ["p3"]
    assert frames["scores"].to_pylist() == [{"platform": "bluesky", "creator_id": "did:plc:carol", "er_median": 0.2}]
    assert frames["note"] == "kept"
    raws = pd.DataFrame({"platform": ["bluesky"] * 3 + ["mastodon"],
                         "request_key": ["search", "carol.bsky.social", "did:plc:alice", "x"],
                         "body": ['{"handle":"Alice.bsky.social"}', '{"did":"did:plc:carol"}', "{}",
                                  '{"acct":"bob@m.social"}']})
    assert keep_raws(raws, GONE).tolist() == [False, True, False, False]


@pytest.mark.usefixtures("prefect_harness")
def test_discover_skips_a_forgotten_creator(tmp_path: Path, sandbox) -> None:
    """Forget a creator the flow found, run discover again: nothing about them comes back."""
    from flows.discover import discover

    db = tmp_path / "scout.duckdb"
    run = dict(platform="bluesky", base_url=sandbox.base_url, queries=["baking"], limit=30,
               posts_per_creator=5, db_path=str(db))
    first = discover(**run)
    (handle, creator_id), *_ = rows(db, "SELECT handle, creator_id FROM creators ORDER BY handle")
    assert scout("forget", "-p", "bluesky", "--handle", handle, "--db", str(db)).exit_code == 0
    assert mentions(db, handle.lower(), [creator_id]) == dict.fromkeys(mentions(db, "", []), 0)

    second = discover(**run, hashtags=[])  # a new run (the first one completed)
    assert second["run_id"] != first["run_id"]
    assert second["creators"] == first["creators"] - 1
    assert sum(mentions(db, handle.lower(), [creator_id]).values()) == 0


# --------------------------------------------------------------------------- issue 10: erasure that holds

SCOUT = str(Path(sys.executable).parent / "scout")


def prefect_env() -> dict[str, str]:
    """The session's Prefect test API for a child process (it does not start its own)."""
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}


def wait_stopped(proc: subprocess.Popen, seconds: float = 180) -> None:
    """Until ``proc`` has stopped itself (SIGSTOP at a fault point); fails if it ends instead."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        if state == "T":
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.1)
    raise AssertionError("discover never reached its stop point")


@pytest.mark.usefixtures("prefect_harness")
def test_forget_while_discover_runs_holds_in_every_later_batch(tmp_path: Path, sandbox) -> None:
    """A real `scout discover` process, stopped between batches 1 and 2 (SCOUT_FAULT_STOP_AT),
    while `scout forget` erases a creator it already loaded (batch 1, by username alone), one it
    has fetched and holds in memory (batch 2) and one it has yet to fetch (batch 3)."""
    db = tmp_path / "scout.duckdb"
    proc = subprocess.Popen(
        [SCOUT, "discover", "-p", "mastodon", "--base-url", sandbox.base_url, "--limit", "60",
         "--posts", "5", "--rate", "200", "--db", str(db)],
        env={**prefect_env(), "SCOUT_FAULT_STOP_AT": "fetch:2"}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        wait_stopped(proc)
        (refs,) = rows(db, "SELECT refs FROM runs")[0]
        refs = json.loads(refs)
        assert len(refs) > 50  # batches of 25: 1, 2 and 3
        keys = [refs[i] for i in (0, 30, len(refs) - 1)]  # "<instance>:<account id>"
        picked = [sandbox.universe.by_id("mastodon", account_id(key)) for key in keys]
        host = urlsplit(sandbox.base_url).hostname
        full = [f"{c.handle.lower()}@{host}" for c in picked]
        assert rows(db, "SELECT handle FROM creators WHERE creator_id = ?", [keys[0]]) == [(full[0],)]
        for typed in (picked[0].handle, full[1], full[2]):
            # --force: the creators of batches 2 and 3 are not stored yet
            result = scout("forget", "-p", "mastodon", "--handle", typed, "--force", "--db", str(db))
            assert result.exit_code == 0, result.output
    finally:
        proc.send_signal(signal.SIGCONT)
        out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    for c, key, handle in zip(picked, keys, full, strict=True):
        assert sum(mentions(db, handle, [key, c.creator_id]).values()) == 0, handle
    gone = tombstones(db, "mastodon")
    assert sorted(gone["handle"]) == sorted(full)
    assert all(list(ids) == [key] for key, ids in
               zip(keys, gone.set_index("handle").loc[full, "creator_ids"], strict=True))  # ids learned mid-run
    assert rows(db, "SELECT count(*) FROM creators")[0][0] == len(refs) - 3  # everyone else was loaded


@pytest.mark.usefixtures("prefect_harness")
def test_forget_by_username_alone_resolves_the_full_identity(tmp_path: Path, sandbox) -> None:
    from flows.discover import discover

    db = tmp_path / "scout.duckdb"
    run = dict(platform="mastodon", base_url=sandbox.base_url, limit=12, posts_per_creator=5,
               db_path=str(db), rate_per_second=200)
    first = discover(**run)
    handle, creator_id = rows(db, "SELECT handle, creator_id FROM candidates ORDER BY handle LIMIT 1")[0]
    username = handle.split("@")[0]
    assert rows(db, "SELECT count(*) FROM posts WHERE creator_id = ?", [creator_id])[0][0] > 0

    nobody = scout("forget", "-p", "mastodon", "--handle", "no_such_user", "--db", str(db))
    assert nobody.exit_code == 2 and "matched no stored mastodon creator" in nobody.output
    with duckdb.connect(str(db)) as con:  # a namesake on another instance makes it ambiguous
        con.execute("INSERT INTO creators SELECT * REPLACE ('x1' AS creator_id, ? AS handle) "
                    "FROM creators WHERE creator_id = ?", [f"{username.upper()}@elsewhere.social", creator_id])
    several = scout("forget", "-p", "mastodon", "--handle", f"@{username}", "--db", str(db))
    assert several.exit_code == 2 and "matched 2 mastodon creators" in several.output
    assert handle in several.output and f"{username}@elsewhere.social" in several.output
    assert tombstones(db).empty and "Traceback" not in nobody.output + several.output
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM creators WHERE creator_id = 'x1'")

    result = scout("forget", "-p", "mastodon", "--handle", username.upper(), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert f"forgot mastodon {handle}" in result.output
    assert sum(mentions(db, handle, [creator_id, account_id(creator_id)]).values()) == 0
    assert rows(db, "SELECT count(*) FROM candidates WHERE creator_id = ?", [creator_id]) == [(0,)]
    second = discover(**run)
    assert second["creators"] == first["creators"] - 1
    assert sum(mentions(db, handle, [creator_id, account_id(creator_id)]).values()) == 0


def test_a_bare_bluesky_name_resolves_to_its_stored_handle(tmp_path: Path) -> None:
    from warehouse.db import connect

    db = tmp_path / "w.duckdb"
    with connect(db) as con:
        con.execute("INSERT INTO creators (platform, creator_id, handle, first_seen_at, last_seen_at) VALUES "
                    "('bluesky', 'did:plc:a', 'Maya.bsky.social', now(), now()), "
                    "('bluesky', 'did:plc:b', 'other.bsky.social', now(), now())")
    result = scout("forget", "-p", "bluesky", "--handle", "@maya", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "forgot bluesky maya.bsky.social: 1 rows deleted" in result.output
    assert list(tombstones(db)["creator_ids"][0]) == ["did:plc:a"]
    assert scout("forget", "-p", "bluesky", "--handle", "nobody", "--db", str(db)).exit_code == 2


def file_bytes(db: Path) -> bytes:
    """Every byte the warehouse keeps on disk: the file and any write-ahead log beside it."""
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*") if p.is_file())


@pytest.mark.usefixtures("prefect_harness")
def test_forget_leaves_no_trace_in_file_bytes_avatar_cache_or_prefect(tmp_path: Path, sandbox) -> None:
    from prefect.client.orchestration import get_client

    from flows.discover import discover
    from scrapers.avatars import cache_path

    db, cache = tmp_path / "scout.duckdb", tmp_path / "avatars"
    seeds = [c.handle for c in sandbox.universe.creators if c.platform == "bluesky"][:20]
    summary = discover(platform="bluesky", base_url=sandbox.base_url, handles=seeds, limit=20,
                       posts_per_creator=8, db_path=str(db), rate_per_second=200, faces=True,
                       avatar_cache=str(cache))
    # the top candidate: named by the artifact's table, the run's parameters and its avatar file
    handle, creator_id, bio, avatar = rows(
        db, "SELECT c.handle, c.creator_id, c.bio, c.avatar_url FROM candidates JOIN creators AS c "
            "USING (platform, creator_id) WHERE length(c.bio) > 30 AND c.avatar_url IS NOT NULL "
            "ORDER BY er_median DESC LIMIT 1")[0]
    texts = [t for (t,) in rows(db, "SELECT text FROM posts WHERE creator_id = ? AND length(text) > 30",
                                [creator_id])]
    unique = [t for t in [bio, *texts] if rows(
        db, "SELECT count(*) FROM posts WHERE text = ? AND creator_id <> ?", [t, creator_id])[0][0] == 0]
    assert len(unique) >= 3
    with duckdb.connect(str(db)) as con:
        con.execute("CHECKPOINT")
    assert all(t.encode() in file_bytes(db) for t in unique)  # the test can see them
    assert cache_path(cache, avatar).exists()

    result = scout("forget", "-p", "bluesky", "--handle", handle, "--db", str(db), "--avatar-cache", str(cache))
    assert result.exit_code == 0, result.output
    found = [t for t in unique if t.encode() in file_bytes(db)]  # (the handle stays: in the tombstone)
    print(f"after forget: {len(found)} of {len(unique)} unique texts left in {db.name}'s bytes")
    assert found == [] and rows(db, "SELECT count(*) FROM creators")[0][0] == summary["creators"] - 1
    assert not cache_path(cache, avatar).exists()
    assert "may still hold this creator" in result.output

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(limit=200)
        run = client.read_flow_run(summary["flow_run_id"])
    assert artifacts and not [a for a in artifacts if handle in json.dumps(a.data)]
    assert handle not in run.parameters["handles"] and "[forgotten]" in run.parameters["handles"]
    assert len(run.parameters["handles"]) == len(seeds)
