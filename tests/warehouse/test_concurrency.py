"""Several processes on one DuckDB file: writers take turns per batch, a writer that cannot get the
lock in time fails naming the holder, and readers keep working while a flow writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from cli.app import app
from warehouse.db import WarehouseError, connect

SCOUT = str(Path(sys.executable).parent / "scout")


def hold_write_lock(db: Path) -> subprocess.Popen:
    """A process that opens the warehouse for writing and keeps it until its stdin closes."""
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent("""
            import sys, duckdb
            con = duckdb.connect(sys.argv[1])
            print("ready", flush=True)
            sys.stdin.read()
        """), str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    return holder


def test_second_writer_waits_then_fails_naming_the_holder(tmp_path, monkeypatch):
    db = tmp_path / "scout.duckdb"
    with connect(db):
        pass
    holder = hold_write_lock(db)
    try:
        monkeypatch.setenv("SCOUT_LOCK_TIMEOUT", "0.5")
        with pytest.raises(WarehouseError) as excinfo:
            with connect(db):
                pass
        message = str(excinfo.value)
        assert f"process {holder.pid} (" in message and str(db) in message  # PID and command line
        assert "duckdb.connect" in message and "0.5s (SCOUT_LOCK_TIMEOUT)" in message
        # the CLI says the same in one line, without a traceback
        result = CliRunner().invoke(app, ["candidates", "--db", str(db)])
        assert result.exit_code != 0 and f"process {holder.pid}" in result.output
        assert "Traceback" not in result.output
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)
    with connect(db):  # free again once the holder is gone
        pass


def test_bad_lock_timeout_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("SCOUT_LOCK_TIMEOUT", "soon")
    with pytest.raises(WarehouseError, match="SCOUT_LOCK_TIMEOUT"):
        with connect(tmp_path / "x.duckdb"):
            pass


def test_a_reader_waits_behind_a_writer_and_names_it(tmp_path, monkeypatch):
    db = tmp_path / "scout.duckdb"
    with connect(db):
        pass
    writer = subprocess.Popen(  # a scout writer: holds the turnstile and DuckDB's lock until stdin closes
        [sys.executable, "-c", textwrap.dedent("""
            import sys
            from warehouse.db import connect
            with connect(sys.argv[1]):
                print("ready", flush=True)
                sys.stdin.read()
        """), str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        monkeypatch.setenv("SCOUT_LOCK_TIMEOUT", "0.5")
        with pytest.raises(WarehouseError, match=rf"being written by process {writer.pid} \(.*0.5s") as excinfo:
            with connect(db, read_only=True):
                pass
        assert "\n" not in str(excinfo.value)  # one line, though the writer's command line has breaks
    finally:
        assert writer.stdin is not None
        writer.stdin.close()
        writer.wait(timeout=10)
    with connect(db, read_only=True):  # the writer gone, readers pass
        pass


@pytest.mark.usefixtures("prefect_harness")
def test_two_flows_write_while_candidates_reads(tmp_path, sandbox):
    from prefect.settings import PREFECT_API_URL

    db = tmp_path / "scout.duckdb"
    with connect(db):  # an empty, current warehouse for the readers to start on
        pass
    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    common = ["--base-url", sandbox.base_url, "--limit", "30", "--posts", "10", "--rate", "100", "--db", str(db)]
    writers = [
        subprocess.Popen([SCOUT, "discover", "-p", "bluesky", "-q", "baking", "-q", "fitness", *common],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
        subprocess.Popen([SCOUT, "discover", "-p", "mastodon", *common],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
    ]
    reads = 0
    while any(w.poll() is None for w in writers):
        shown = CliRunner().invoke(app, ["candidates", "--db", str(db), "--format", "json"])
        assert shown.exit_code == 0, shown.output
        json.loads(shown.stdout)  # a whole, parseable answer every time (notes go to stderr)
        reads += 1
    outputs = [w.communicate(timeout=60) for w in writers]
    assert [w.returncode for w in writers] == [0, 0], outputs
    assert reads >= 2  # the reader really ran alongside the writers

    with duckdb.connect(str(db), read_only=True) as con:
        runs = con.execute("SELECT platform, status, run_id FROM runs ORDER BY platform").fetchall()
        assert [(p, s) for p, s, _ in runs] == [("bluesky", "completed"), ("mastodon", "completed")]
        assert con.execute("SELECT count(*) FROM run_batches WHERE status <> 'loaded'").fetchone()[0] == 0
        for platform, _, run_id in runs:
            counts = json.loads(con.execute("SELECT counts FROM runs WHERE run_id = ?", [run_id]).fetchone()[0])
            scored = con.execute("SELECT count(*) FROM creator_scores WHERE run_id = ?", [run_id]).fetchone()[0]
            creators = con.execute("SELECT count(*) FROM creators WHERE platform = ?", [platform]).fetchone()[0]
            assert counts["loaded"] == scored == creators > 0
        assert con.execute("SELECT count(*) - count(DISTINCT (platform, post_id)) FROM posts").fetchone()[0] == 0


POLLING_READER = textwrap.dedent("""
    import select, sys
    from warehouse.queries import candidates
    reads = 0
    while not select.select([sys.stdin], [], [], 0)[0]:  # until the parent closes stdin
        candidates(sys.argv[1])  # a lock wait given up raises: the reader exits 1
        reads += 1
        if reads == 1:
            print("reading", flush=True)
    print(reads, flush=True)
""")


def polling_readers(db: Path, n: int) -> list[subprocess.Popen]:
    """``n`` processes that read the candidate list back to back, as fast as they can."""
    readers = [subprocess.Popen([sys.executable, "-c", POLLING_READER, str(db)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(n)]
    for reader in readers:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "reading", reader.stderr
    return readers


@pytest.mark.usefixtures("prefect_harness")
def test_three_polling_readers_do_not_starve_a_discover(tmp_path, sandbox):
    from prefect.settings import PREFECT_API_URL

    db = tmp_path / "scout.duckdb"
    with connect(db):  # an empty, current warehouse for the readers to start on
        pass
    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    readers = polling_readers(db, 3)
    try:
        discover = subprocess.run(
            [SCOUT, "discover", "-p", "bluesky", "-q", "baking", "-q", "fitness", "--base-url", sandbox.base_url,
             "--limit", "120", "--posts", "10", "--rate", "100", "--db", str(db)],
            env=env, capture_output=True, text=True, timeout=300,
        )
    finally:
        ended = [reader.communicate(timeout=60) for reader in readers]  # closing stdin stops a reader
    assert discover.returncode == 0, discover.stderr[-2000:]
    assert [r.returncode for r in readers] == [0, 0, 0], [err[-2000:] for _, err in ended]
    assert all(int(out.split()[-1]) >= 2 for out, _ in ended)  # each kept reading throughout
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT status FROM runs").fetchall() == [("completed",)]
        assert con.execute("SELECT count(*) FROM run_batches WHERE status <> 'loaded'").fetchone()[0] == 0


def test_batches_kept_open_share_one_write_connection_until_released(tmp_path):
    """Inside ``keeping_open`` batches saved back to back share one write connection (the write
    lock stays held between them, no open and checkpoint per batch); ``release`` (the flow calls
    it before waiting for the network) hands the file to a reader in another process at once."""
    from core.records import RawResponse, utcnow
    from transforms.frames import errors_frame, posts_frame, profiles_frame, raw_frame
    from transforms.score import score_creators
    from warehouse.db import write_lock_holder
    from warehouse.manifest import RunStatus
    from warehouse.warehouse import Warehouse

    db, now = tmp_path / "scout.duckdb", utcnow()
    warehouse = Warehouse(db)
    warehouse.open_run("run-1", {"flow": "discover", "platform": "bluesky", "params": {}, "started_at": now,
                                 "finished_at": None, "status": RunStatus.RUNNING}, fingerprint="f")
    profiles, posts = profiles_frame([], observed_at=now), posts_frame([], observed_at=now)
    frames = {"profiles": profiles, "posts": posts, "scores": score_creators(profiles, posts, now=now)}
    with warehouse.keeping_open():
        for n in (1, 2):
            raws = [RawResponse("bluesky", "profiles", f"r{n}", f"https://bsky.test/{n}", 200, "{}", fetched_at=now)]
            warehouse.save_batch(run_id="run-1", batch_no=n, refs=[f"r{n}"], raws=raw_frame(raws), frames=frames,
                                 errors=errors_frame([]), counts={"fetched": 1, "requests": 1, "retries": 0})
            holder = write_lock_holder(db)
            assert holder is not None and holder.pid == os.getpid()  # kept for the next batch
        warehouse.release()
        assert write_lock_holder(db) is None
        read = subprocess.run(
            [sys.executable, "-c", "import sys, duckdb; print(duckdb.connect(sys.argv[1], read_only=True)"
             ".execute(\"SELECT count(*) FROM run_batches WHERE status = 'loaded'\").fetchone()[0])", str(db)],
            capture_output=True, text=True, timeout=60)
        assert read.stdout.strip() == "2", read.stderr
    assert write_lock_holder(db) is None
