"""``scout forget``: erasure from every table, a tombstone, and later runs that skip the creator."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from flows.cli import app
from transforms.tombstones import drop_tombstoned, keep_raws, keep_refs
from warehouse.forget import tombstones

FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()


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
    # jonas.backt: two saved pages give him two ids (page id and username); both must go
    handle = "jonas.backt"
    ids = sorted(i for (i,) in rows(db, "SELECT creator_id FROM creators WHERE handle = ?", [handle]))
    others = rows(db, "SELECT creator_id FROM creators WHERE handle <> ?", [handle])
    assert len(ids) == 2 and others
    before = mentions(db, handle, ids)
    assert before["creators"] == 2 and before["raw_responses"] >= 2 and before["posts"] >= 1

    result = scout("forget", "-p", "instagram", "--handle", "@Jonas.Backt", "--db", str(db),
                   "--reason", "erasure request #7")
    assert result.exit_code == 0, result.output
    assert f"forgot instagram {handle}" in result.output
    for table in ("creators", "posts", "raw_responses", "creator_scores", "creator_snapshots"):
        assert f"{table} " in result.output
    assert mentions(db, handle, ids) == {t: 0 for t in before}
    assert rows(db, "SELECT count(*) FROM creators")[0][0] == len(others)  # nobody else went

    gone = tombstones(db)
    assert gone[["platform", "handle", "reason"]].values.tolist() == [["instagram", handle, "erasure request #7"]]
    assert list(gone["creator_ids"][0]) == ids
    listing = scout("forget", "--list-tombstones", "--db", str(db))
    assert listing.exit_code == 0 and handle in listing.output and ids[0] in listing.output

    again = scout("import", "-p", "instagram", str(saved), "--db", str(db))
    assert again.exit_code == 0, again.output
    assert f"skipped {len(ids)} forgotten creator(s)" in again.output  # one per id
    assert mentions(db, handle, ids) == {t: 0 for t in before}
    assert rows(db, "SELECT count(*) FROM creators")[0][0] == len(others)


def test_forgetting_an_unknown_handle_still_records_the_tombstone(tmp_path: Path) -> None:
    from warehouse.db import connect

    db = tmp_path / "w.duckdb"
    with connect(db):
        pass
    result = scout("forget", "-p", "tiktok", "--handle", "@Never.Seen", "--db", str(db))
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
    frames, dropped = drop_tombstoned({"profiles": profiles, "posts": posts, "note": "kept"}, GONE)
    # by handle (the renamed id did:plc:new), by the remembered id, and on mastodon by handle
    assert dropped == 3
    assert frames["profiles"]["creator_id"].tolist() == ["did:plc:carol"]
    assert frames["posts"]["post_id"].tolist() == ["p3"]
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
