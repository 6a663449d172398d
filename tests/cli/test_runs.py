"""`scout runs`: recent runs, newest first, with their counts, state and the write lock's holder."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from cli.app import app
from tests.cli.conftest import stored_run

NOW = datetime.now(UTC).replace(microsecond=0)


def listed(db: Path, *args: str) -> dict:
    result = CliRunner().invoke(app, ["runs", "--db", str(db), "-f", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_runs_lists_newest_first_with_counts_state_and_duration(tmp_path: Path) -> None:
    db = tmp_path / "scout.duckdb"
    stored_run(db, "oldest", "completed", started=NOW - timedelta(days=3))
    stored_run(db, "failed", "failed", started=NOW - timedelta(days=2))
    stored_run(db, "open", "running", started=NOW - timedelta(hours=1))  # owned by this (live) process

    document = listed(db)
    runs = {run["run_id"]: run for run in document["runs"]}
    assert [run["run_id"] for run in document["runs"]] == ["open", "failed", "oldest"]
    assert document["write_lock"] is None
    assert [runs[r]["state"] for r in ("open", "failed", "oldest")] == ["running", "failed", "completed"]
    # counted from the loaded batches while open, stored at the end otherwise: the same numbers
    for run in runs.values():
        assert run["counts"] == {"fetched": 3, "loaded": 2, "retried": 1, "quarantined": 0}, run
        assert run["params"] == {"queries": [run["run_id"]], "limit": 10} and run["holds_lock"] is False
    assert runs["open"]["seconds"] >= 3600  # still running: measured to now
    assert listed(db, "--limit", "1")["runs"][0]["run_id"] == "open"

    table = CliRunner().invoke(app, ["runs", "--db", str(db)])
    assert table.exit_code == 0, table.output
    assert "queries=oldest limit=10" in table.stdout and "write lock: free" in table.stdout


def test_runs_is_read_only_and_bad_input_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "scout.duckdb"
    missing = CliRunner().invoke(app, ["runs", "--db", str(db)])
    assert missing.exit_code == 1 and "No database at" in missing.output
    assert not db.exists()  # never created, never migrated
    stored_run(db, "one", "completed", started=NOW)
    for args, says in ((["--limit", "0"], "limit must be a whole number"), (["-f", "csv"], "unknown format 'csv'")):
        result = CliRunner().invoke(app, ["runs", "--db", str(db), *args])
        assert result.exit_code == 2, result.output
        assert len(result.output.strip().splitlines()) == 1 and says in result.output
    # a file one migration behind (as an older creator-scout left it) is said so, and left behind
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)")
        applied = con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
    behind = CliRunner().invoke(app, ["runs", "--db", str(db)])
    assert behind.exit_code == 1 and "needs schema migration" in behind.output, behind.output
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == applied


HOLDER = """
import sys, time
from datetime import UTC, datetime
from warehouse.db import connect
from warehouse.warehouse import Warehouse
db = sys.argv[1]
Warehouse(db).open_run("holder", {"flow": "discover", "platform": "bluesky", "params": {"limit": 1},
                       "started_at": datetime.now(UTC), "finished_at": None, "status": "running"}, "holder")
with connect(db):
    print("holding", flush=True)
    time.sleep(10)  # long enough for the listing to find it held, even on a busy machine
"""


def test_runs_names_the_run_that_holds_the_write_lock(tmp_path: Path) -> None:
    """A process that opened a run and holds the write lock (as a discover does while it stores a
    batch): the listing names it and marks its run, once the holder's write is done."""
    db = tmp_path / "scout.duckdb"
    stored_run(db, "done", "completed", started=NOW - timedelta(days=1))
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).parents[2])
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        document = listed(db)
    finally:
        holder.wait(timeout=60)
    assert document["write_lock"]["pid"] == holder.pid
    assert f"process {holder.pid}" in document["write_lock"]["holder"]
    runs = {run["run_id"]: run for run in document["runs"]}
    assert runs["holder"]["holds_lock"] and runs["holder"]["owner"].endswith(f":{holder.pid}")
    assert not runs["done"]["holds_lock"]
    # the holder is gone now: its run is left 'running' with nobody behind it, resumable
    after = {run["run_id"]: run for run in listed(db)["runs"]}
    assert after["holder"]["state"] == "interrupted" and after["holder"]["status"] == "running"
    assert listed(db)["write_lock"] is None


@pytest.mark.slow
def test_runs_shows_a_killed_discover_as_interrupted(interrupted_db: Path) -> None:
    runs = listed(interrupted_db)["runs"]
    killed, clean = runs[0], runs[1]
    assert killed["state"] == "interrupted" and killed["seconds"] is None
    # batches 1-2 loaded (25 creators each) before the kill inside batch 3's load
    assert killed["counts"] == {"fetched": 50, "loaded": 50, "retried": 0, "quarantined": 0}
    assert clean["state"] == "completed" and clean["counts"]["loaded"] == clean["counts"]["fetched"] == 10
