"""Lineage: which query, hashtag, seed handle or saved file found each creator, through real
discover runs against the sandbox and a real import, read back from DuckDB."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from flows.discover import discover
from flows.saved import import_saved

pytestmark = pytest.mark.usefixtures("prefect_harness")
FIXTURES = Path(__file__).parents[1] / "fixtures"


def rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_discover_records_the_query_hashtag_or_seed_behind_each_creator_first_and_latest(tmp_path, sandbox):
    db = tmp_path / "scout.duckdb"
    seed = next(t["handle"] for t in sandbox.universe.ground_truth("bluesky"))
    run = dict(platform="bluesky", base_url=sandbox.base_url, limit=12, posts_per_creator=5,
               db_path=str(db), rate_per_second=100)
    first = discover(**run, queries=["baking", "fitness"], handles=[seed])
    lineage = rows(db, "SELECT creator_id, run_id, found_by, term FROM creator_lineage ORDER BY ALL")
    creators = rows(db, "SELECT creator_id FROM creators ORDER BY 1")
    assert [c for c, *_ in lineage] == [c for (c,) in creators]  # one row per creator the run loaded
    assert {(r, f) for _, r, f, _ in lineage} <= {(first["run_id"], "query"), (first["run_id"], "handle")}
    assert {t for *_, f, t in lineage if f == "query"} == {"baking", "fitness"}
    seeded = rows(db, f"SELECT c.handle FROM creator_lineage l JOIN creators c USING (platform, creator_id) "
                      f"WHERE l.found_by = 'handle' AND l.term = '{seed.lower()}'")
    assert [h.lower() for (h,) in seeded] == [seed.lower()]
    (sources, refs), = rows(db, "SELECT ref_sources, refs FROM runs")
    sources, refs = json.loads(sources), json.loads(refs)
    assert len(sources) == len(refs) and sources[0] == ["handle", seed.lower()]  # stored for a resume

    second = discover(**run, hashtags=["baking"])
    both = rows(db, f"""
        SELECT first_run_id, first_found_by, first_term, last_run_id, last_found_by, last_term, found_by
        FROM creator_origins WHERE first_run_id = '{first["run_id"]}' AND last_run_id = '{second["run_id"]}'""")
    assert both, "no creator found by both runs"
    for _, first_by, first_term, _, last_by, last_term, found_by in both:
        assert (last_by, last_term) == ("hashtag", "baking")
        assert found_by.split("; ")[0] == f"{first_by}: {first_term}" and found_by.endswith("hashtag: baking")
    candidates = rows(db, "SELECT found_by FROM candidates")
    assert candidates and all(f for (f,) in candidates)


def test_an_import_records_the_file_each_creator_came_from(tmp_path):
    saved = tmp_path / "saved"
    shutil.copytree(FIXTURES / "tiktok", saved)
    db = tmp_path / "scout.duckdb"
    summary = import_saved(platform="tiktok", paths=[str(saved)], db_path=str(db))
    lineage = rows(db, "SELECT c.handle, l.run_id, l.found_by, l.term FROM creator_lineage l "
                       "JOIN creators c USING (platform, creator_id) ORDER BY ALL")
    assert lineage and {(r, f) for _, r, f, _ in lineage} == {(summary["run_id"], "import")}
    assert all(Path(t).parent == saved.resolve() and Path(t).is_file() for *_, t in lineage)
    assert len({h for h, *_ in lineage}) == rows(db, "SELECT count(*) FROM creators")[0][0]


def test_forget_erases_the_lineage_and_the_seed_handle_in_the_run_record(tmp_path, sandbox):
    from typer.testing import CliRunner

    from cli.app import app

    db = tmp_path / "scout.duckdb"
    seed = next(t["handle"] for t in sandbox.universe.ground_truth("bluesky"))
    discover(platform="bluesky", base_url=sandbox.base_url, queries=["baking"], handles=[seed], limit=6,
             posts_per_creator=5, db_path=str(db), rate_per_second=100)
    (creator_id,), = rows(db, f"SELECT creator_id FROM creators WHERE lower(handle) = '{seed.lower()}'")
    assert rows(db, f"SELECT found_by FROM creator_lineage WHERE creator_id = '{creator_id}'") == [("handle",)]
    others = rows(db, f"SELECT count(*) FROM creator_lineage WHERE creator_id <> '{creator_id}'")[0][0]

    result = CliRunner().invoke(app, ["forget", "-p", "bluesky", "--handle", seed, "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "creator_lineage " in result.output
    assert rows(db, f"SELECT count(*) FROM creator_lineage WHERE creator_id = '{creator_id}'") == [(0,)]
    assert rows(db, "SELECT count(*) FROM creator_lineage")[0][0] == others > 0  # nobody else's
    (sources,), = rows(db, "SELECT CAST(ref_sources AS VARCHAR) FROM runs")
    assert seed.lower() not in sources.lower() and json.loads(sources)[0] == ["handle", "[forgotten]"]
