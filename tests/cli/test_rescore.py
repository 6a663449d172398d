"""`scout rescore`: every stored creator scored again from the warehouse alone, chunk by chunk,
under a new run; a stopped rescore continues; bad input is one line and exit 2."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from typer.testing import CliRunner

import flows.rescore
from cli.app import app
from flows.chunk_files import ChunkFiles
from flows.rescore import rescore
from transforms.authenticity import AuthenticityContext, rescore_ad_network
from transforms.authenticity.ad_network import RECENT_POSTS
from transforms.frames import errors_frame, posts_frame, profiles_frame
from transforms.niches import NICHE_VERSION, NICHES
from transforms.score import score_creators
from warehouse.manifest import RunStatus
from warehouse.rescore import chunk_ranges, read_chunk
from warehouse.warehouse import Warehouse

T0 = datetime(2024, 5, 1, 12, tzinfo=UTC)
STABLE = "tier, er_median, account_type, round(person_probability, 9), niche, collab_stance"


def _latest(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"SELECT creator_id, {STABLE} FROM latest_scores ORDER BY creator_id").fetchall()


def _latest_runs(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [r for (r,) in con.execute("SELECT DISTINCT run_id FROM latest_scores ORDER BY 1").fetchall()]


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


def test_a_warehouse_of_one_chunk_is_rescored_in_the_flow_s_own_process(prefect_harness, bakers_db):
    db = bakers_db(5, bought=1)
    before = _latest(db)
    run = rescore(db_path=str(db))["runs"][0]  # the default chunk holds them all: no scoring process
    assert run["creators"] == 6 and _scores_per_run(db) == {"bakers": 6, run["run_id"]: 6}
    assert _latest(db) == before


@pytest.mark.parametrize("carried", ["files", "pipe"])
def test_a_chunked_rescore_stores_what_score_creators_gives_on_the_whole_warehouse(prefect_harness, bakers_db,
                                                                                    tmp_path, monkeypatch, carried):
    """Chunks scored in other processes, each with its own creators' snapshots, store exactly
    what one score_creators call over every stored creator gives, loaded the same way; so do
    chunks pickled through the pipe where their files find no room."""
    if carried == "pipe":
        monkeypatch.setattr(ChunkFiles, "write", lambda self, tables: None)
    db = bakers_db(30, bought=4)
    reference = tmp_path / "reference.duckdb"
    shutil.copy(db, reference)
    run = rescore(db_path=str(db), chunk_size=8)["runs"][0]
    assert run["creators"] == 34
    with duckdb.connect(str(db), read_only=True) as con:
        (started_at,) = con.execute("SELECT started_at FROM runs WHERE run_id = ?", [run["run_id"]]).fetchone()

    whole = Warehouse(reference)
    state, _ = whole.open_run(run["run_id"], {"flow": "rescore", "platform": "bluesky", "params": {},
                                              "started_at": started_at, "finished_at": None,
                                              "status": RunStatus.RUNNING}, "whole")
    with whole.reader() as con:
        (span,) = chunk_ranges(con, "bluesky", state.run_id, 10**6)
        everyone = read_chunk(con, "bluesky", state.run_id, span, started_at)
    scores = score_creators(everyone.profiles.to_pandas(), everyone.posts.to_pandas(), now=started_at,
                            authenticity=AuthenticityContext(**whole.scoring_inputs("bluesky", started_at)))
    whole.append_scores(state.run_id, {"profiles": profiles_frame([], started_at), "posts": posts_frame([], started_at),
                                       "errors": errors_frame([]), "scores": scores})
    whole.publish_scores(state.run_id)
    whole.rescore_latest(rescore_ad_network, recent=RECENT_POSTS)

    def stored(path: Path) -> list[tuple]:
        with duckdb.connect(str(path), read_only=True) as con:
            return con.execute("SELECT * EXCLUDE (run_id) FROM creator_scores WHERE run_id = ? ORDER BY creator_id",
                               [run["run_id"]]).fetchall()

    assert len(stored(db)) == 34
    assert stored(db) == stored(reference)


def test_a_chunk_that_fails_marks_the_run_failed_and_a_rerun_scores_everyone(prefect_harness, bakers_db,
                                                                            monkeypatch):
    """The first chunk's scoring raises while later chunks are queued: the error reaches the
    caller (not a failure of the clean-up), the run is marked failed, the queued chunks are
    dropped, and the next rescore scores every creator once."""
    db = bakers_db(20)
    leftover = []
    real = flows.rescore.score_chunk_files
    with duckdb.connect(str(db), read_only=True) as con:
        (first_creator,) = con.execute("SELECT min(creator_id) FROM creators").fetchone()

    def first_fails(paths, **kwargs):
        # the first chunk, not the first call: the chunks' tasks reach the pool in any order
        with pa.memory_map(paths["profiles"]) as source:
            if first_creator in pa.ipc.open_file(source).read_all()["creator_id"].to_pylist():
                raise RuntimeError("scoring broke")
        return real(paths, **kwargs)

    @contextmanager
    def threads(chunks):
        files = ChunkFiles()
        try:
            with ThreadPoolExecutor(1) as pool:  # in this process, so the patched function is the one called
                yield flows.rescore.ScoringProcesses(pool, files)
        finally:
            leftover.extend(files.directory.iterdir())  # a chunk's files, read or not, are gone once done
            files.close()

    monkeypatch.setattr(flows.rescore, "score_chunk_files", first_fails)
    monkeypatch.setattr(flows.rescore, "_scoring_processes", threads)
    with pytest.raises(RuntimeError, match="scoring broke"):
        rescore(db_path=str(db), chunk_size=3)
    assert leftover == []
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT status FROM runs WHERE flow = 'rescore'").fetchall() == [("failed",)]
    monkeypatch.setattr(flows.rescore, "score_chunk_files", real)
    run = rescore(db_path=str(db), chunk_size=3)["runs"][0]
    assert run["creators"] == 20 and _scores_per_run(db)[run["run_id"]] == 20


def test_a_killed_rescore_continues_where_it_stopped(prefect_harness, bakers_db, tmp_path):
    db = bakers_db(20)
    scout = [str(Path(sys.executable).parent / "scout"), "rescore", "--db", str(db), "--chunk", "6"]
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")}
    env.pop("PREFECT_API_URL", None)
    killed = subprocess.run(scout, env={**env, "SCOUT_FAULT_KILL_AT": "load:2"}, capture_output=True, text=True,
                            timeout=300)
    assert killed.returncode == -9, killed.stderr
    assert _latest_runs(db) == ["bakers"]  # a stopped rescore shows none of its scores yet
    rerun = subprocess.run(scout, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "continued a stopped rescore" in rerun.stdout
    per_run = _scores_per_run(db)
    assert sorted(per_run.values()) == [20, 20], per_run  # the stopped run finished, nobody twice
    assert _latest_runs(db) == sorted(set(per_run) - {"bakers"})  # then all of them at once


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


def test_a_read_of_several_chunks_is_cut_into_pieces_that_partition_it(bakers_db):
    db = bakers_db(30, bought=3)
    with Warehouse(db).reader() as con:
        (span,) = chunk_ranges(con, "bluesky", "no-such-run", 100)
        whole = read_chunk(con, "bluesky", "no-such-run", span, T0)
    pieces = list(whole.pieces(7))
    ids = whole.profiles["creator_id"].to_pylist()
    assert [p.profiles["creator_id"].to_pylist() for p in pieces] == [ids[i:i + 7] for i in range(0, 33, 7)]
    assert span.piece_sizes(7) == [p.profiles.num_rows for p in pieces] == [7, 7, 7, 7, 5]
    for piece in pieces:  # each piece has exactly its own creators' posts and snapshots
        mine = set(piece.profiles["creator_id"].to_pylist())
        assert set(piece.posts["creator_id"].to_pylist()) <= mine
        assert set(piece.snapshots["creator_id"]) <= mine
    assert sorted(post for p in pieces for post in p.posts["post_id"].to_pylist()) \
        == sorted(whole.posts["post_id"].to_pylist())
    assert sum(len(p.snapshots) for p in pieces) == len(whole.snapshots) > 0
    assert list(whole.pieces(33)) == [whole]  # a read no larger than a piece is scored as it is


def test_chunk_ranges_cut_the_unscored_creators_in_order_and_a_read_skips_the_scored(bakers_db):
    db = bakers_db(30, bought=3)
    wh = Warehouse(db)
    with wh.reader() as con:
        ids = [i for (i,) in con.execute("SELECT creator_id FROM creators ORDER BY creator_id").fetchall()]
        spans = chunk_ranges(con, "bluesky", "no-such-run", 7)
    assert [s.creators for s in spans] == [7, 7, 7, 7, 5]
    assert [(s.first, s.last) for s in spans] == [(ids[i], ids[min(i + 6, 32)]) for i in range(0, 33, 7)]
    with wh.reader() as con:
        chunk = read_chunk(con, "bluesky", "no-such-run", spans[1], T0)
        posts_of = con.execute("SELECT count(*) FROM posts WHERE creator_id BETWEEN ? AND ?",
                               [spans[1].first, spans[1].last]).fetchone()[0]
    assert chunk.profiles["creator_id"].to_pylist() == ids[7:14]
    assert chunk.posts.num_rows == posts_of and set(chunk.posts["creator_id"].to_pylist()) <= set(ids[7:14])
    # every creator of the range scored by the run already: nothing left to read there
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE creator_scores SET run_id = 'no-such-run' WHERE creator_id BETWEEN ? AND ?",
                    [spans[1].first, spans[1].last])
    with wh.reader() as con:
        assert read_chunk(con, "bluesky", "no-such-run", spans[1], T0) is None
        assert [s.creators for s in chunk_ranges(con, "bluesky", "no-such-run", 7)] == [7, 7, 7, 5]
