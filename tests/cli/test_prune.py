"""`scout prune --raw-older-than AGE`: old raw bodies go unless an unfinished run needs them, and the
file gives their space back."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from cli.app import app
from tests.cli.conftest import copy_db, stored_run

NOW = datetime.now(UTC).replace(microsecond=0)


def bodies_by_run(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("SELECT run_id, count(*) FROM raw_responses GROUP BY ALL").fetchall())


def prune(db: Path, *args: str):
    return CliRunner().invoke(app, ["prune", "--db", str(db), *args])


@pytest.fixture
def aged_db(tmp_path: Path) -> Path:
    """Three runs of 200 KB bodies each: completed 40 days ago, failed 40 days ago, completed now."""
    db = tmp_path / "scout.duckdb"
    for run_id, status, age in (("old_done", "completed", 40), ("old_failed", "failed", 40), ("new_done", "completed", 0)):
        stored_run(db, run_id, status, started=NOW - timedelta(days=age), bodies=4, body_kb=50)
    return db


def test_prune_removes_old_bodies_but_keeps_those_of_unfinished_runs_and_frees_the_space(aged_db: Path) -> None:
    dry = prune(aged_db, "--raw-older-than", "30d", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would remove 4 raw bodies (0.2 MB of text)" in dry.stdout
    assert "kept 4 that unfinished runs need" in dry.stdout and "is unchanged" in dry.stdout
    assert bodies_by_run(aged_db) == {"old_done": 4, "old_failed": 4, "new_done": 4}

    before = aged_db.stat().st_size
    done = prune(aged_db, "--raw-older-than", "30d")
    assert done.exit_code == 0, done.output
    assert "removed 4 raw bodies (0.2 MB of text)" in done.stdout, done.stdout
    # the failed run is resumable: its bodies stay; the recent run's are not old enough
    assert bodies_by_run(aged_db) == {"old_failed": 4, "new_done": 4}
    freed = re.search(r"([\d.]+) MB -> ([\d.]+) MB, ([\d.]+) MB freed", done.stdout)
    assert freed, done.stdout
    assert aged_db.stat().st_size < before and float(freed.group(3)) > 0
    print(f"prune of 4 bodies of 50 KB: {before:,} -> {aged_db.stat().st_size:,} bytes")
    # the rewritten file is still the whole warehouse
    with duckdb.connect(str(aged_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 3
        assert con.execute("SELECT count(*) FROM creator_scores").fetchone()[0] == 6

    again = prune(aged_db, "--raw-older-than", "30d")
    assert again.exit_code == 0 and "removed 0 raw bodies" in again.stdout


@pytest.mark.parametrize("age", ["30", "30x", "d", "-5d", "3.5d", "1 month", "9999999d", "999999w"])
def test_a_bad_age_is_one_line_exit_2_and_changes_nothing(aged_db: Path, age: str) -> None:
    before = (aged_db.stat().st_size, aged_db.stat().st_mtime_ns)
    result = prune(aged_db, "--raw-older-than", age)
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1 and "--raw-older-than" in result.output, result.output
    assert (aged_db.stat().st_size, aged_db.stat().st_mtime_ns) == before


def test_prune_needs_an_age_and_an_existing_database(tmp_path: Path) -> None:
    db = tmp_path / "scout.duckdb"
    no_age = prune(db)
    assert no_age.exit_code == 2 and "needs --raw-older-than" in no_age.output
    missing = prune(db, "--raw-older-than", "30d")
    assert missing.exit_code == 1 and "No database at" in missing.output
    assert len(missing.output.strip().splitlines()) == 1 and not db.exists()


@pytest.mark.slow
def test_after_a_prune_a_killed_discover_still_resumes_without_a_request(
    interrupted_db: Path, sandbox, tmp_path: Path,
) -> None:
    """Every body is older than "0h"; the completed run's go, the killed run's stay, and its rerun
    re-parses its stored batch 3 instead of fetching it again."""
    from tests.flows.test_resume import scout_discover

    db = copy_db(interrupted_db, tmp_path / "copy")
    runs = {status: run_id for run_id, status in duckdb.connect(str(db), read_only=True).execute(
        "SELECT run_id, status FROM runs").fetchall()}
    kept = bodies_by_run(db)[runs["running"]]
    time.sleep(0.01)  # "older than 0h" is strictly before now
    done = prune(db, "--raw-older-than", "0h")
    assert done.exit_code == 0, done.output
    assert f"kept {kept} that unfinished runs need" in done.stdout
    assert bodies_by_run(db) == {runs["running"]: kept}

    requests_before = sandbox.stats["requests"]
    rerun = scout_discover(db, sandbox)
    assert rerun.returncode == 0, rerun.stderr
    assert "resumed run" in rerun.stdout and sandbox.stats["requests"] == requests_before
