"""`scout rescore`: every stored creator scored again from the warehouse alone, chunk by chunk,
under a new run; a stopped rescore continues; bad input is one line and exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from cli.app import app
from flows.rescore import rescore
from transforms.niches import NICHE_VERSION, NICHES

STABLE = "tier, er_median, account_type, round(person_probability, 9), niche, collab_stance"


def _latest(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"SELECT creator_id, {STABLE} FROM latest_scores ORDER BY creator_id").fetchall()


def _scores_per_run(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("SELECT run_id, count(*) FROM creator_scores GROUP BY 1").fetchall())


def test_rescore_appends_a_new_run_with_the_same_verdicts_in_chunks(prefect_harness, bakers_db):
    db = bakers_db(30, bought=3)
    before = _latest(db)
    summary = rescore(db_path=str(db), chunk_size=7)
    run = summary["runs"][0]
    assert (run["platform"], run["creators"], summary["creators"]) == ("bluesky", 33, 33)
    assert _scores_per_run(db) == {"bakers": 33, run["run_id"]: 33}  # the old verdicts stay
    assert _latest(db) == before  # the same inputs and models give the same verdicts
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*), min(status), max(status) FROM run_batches WHERE run_id = ?",
                           [run["run_id"]]).fetchone() == (5, "loaded", "loaded")  # ceil(33 / 7) chunks
        assert con.execute("SELECT DISTINCT run_id FROM latest_scores").fetchall() == [(run["run_id"],)]


def test_a_killed_rescore_continues_where_it_stopped(prefect_harness, bakers_db, tmp_path):
    db = bakers_db(20)
    scout = [str(Path(sys.executable).parent / "scout"), "rescore", "--db", str(db), "--chunk", "6"]
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")}
    env.pop("PREFECT_API_URL", None)
    killed = subprocess.run(scout, env={**env, "SCOUT_FAULT_KILL_AT": "load:2"}, capture_output=True, text=True,
                            timeout=300)
    assert killed.returncode == -9, killed.stderr
    rerun = subprocess.run(scout, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "continued a stopped rescore" in rerun.stdout
    per_run = _scores_per_run(db)
    assert sorted(per_run.values()) == [20, 20], per_run  # the stopped run finished, nobody twice


def test_bad_input_is_one_line_and_exit_2(tmp_path, bakers_db):
    runner = CliRunner()
    missing = runner.invoke(app, ["rescore", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 2 and "no warehouse at" in missing.output
    assert not (tmp_path / "none.duckdb").exists()
    db = bakers_db(3)
    for args, words in ((["--chunk", "0"], "--chunk must be between"),
                        (["-p", "tiktok"], "no creators of tiktok"),
                        (["-p", "myspace"], "myspace")):
        result = runner.invoke(app, ["rescore", "--db", str(db), *args])
        assert result.exit_code == 2, result.output
        assert words in result.output and "Traceback" not in result.output


def test_rescore_gives_scores_of_another_niche_model_this_ones_niches(prefect_harness, bakers_db):
    """What migration 019 leaves of a nine-niche score (probabilities cleared, niche_version
    nine-niches) reads as unknown until a rescore writes this niche model's reading."""
    db = bakers_db(6)
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE creator_scores SET niche_probs = NULL, niche_version = 'nine-niches'")
    rescore(db_path=str(db), chunk_size=4)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT niche_version, len(niche_probs), niche FROM latest_scores").fetchall()
    assert len(rows) == 6
    assert {(version, width) for version, width, _ in rows} == {(NICHE_VERSION, len(NICHES))}
    assert all(niche in NICHES for _, _, niche in rows)
