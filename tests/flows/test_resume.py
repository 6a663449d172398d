"""Crash safety: kill -9 a real `scout discover` process at several points, rerun, and compare the
warehouse row by row with an uninterrupted run of the same search.

The kills come from the documented fault-injection switch ``SCOUT_FAULT_KILL_AT`` (stage:batch),
which SIGKILLs the process inside the named transaction: exactly what `kill -9` does there.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from cli.app import app
from flows.discover import discover

pytestmark = pytest.mark.usefixtures("prefect_harness")

SCOUT = str(Path(sys.executable).parent / "scout")
# 59 seed handles and one that does not exist -> 60 refs: batch 0 (discovery) and three creator
# batches of 25, 25 and 10, and one quarantined creator.
LIMIT, POSTS, MISSING = 60, 10, "nobody-here.bsky.social"
COMPARED = ("creators", "posts", "creator_snapshots", "creator_scores", "scrape_errors", "raw_responses",
            "creator_lineage")
# Not part of "the same rows": when it ran (timestamps, and days since the last post, which is
# measured to the run's clock), which run it was, and ids derived from the fetch time.
NOT_COMPARED = {"run_id", "first_run_id", "last_run_id", "response_id", "raw_response_id",
                "days_since_last_post"}


def rows(db: Path, table: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        columns = [
            name for name, kind in con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = ? ORDER BY ordinal_position", [table]).fetchall()
            if name not in NOT_COMPARED and not kind.startswith("TIMESTAMP")
        ]
        return con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY ALL").fetchall()


def prefect_env() -> dict[str, str]:
    """The session's Prefect test API for child processes, so they do not each start a server."""
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}


def artifact_markdown(flow_run_id: str) -> str:
    from uuid import UUID

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        ArtifactFilterKey,
    )

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(
            key=ArtifactFilterKey(any_=["discover-summary-bluesky"]),
            flow_run_id=ArtifactFilterFlowRunId(any_=[UUID(flow_run_id)])))
    return found[0].data


def seed_handles(sandbox) -> list[str]:
    return [c.handle for c in sandbox.universe.creators if c.platform == "bluesky"][: LIMIT - 1] + [MISSING]


def scout_discover(db: Path, sandbox, kill_at: str | None = None) -> subprocess.CompletedProcess:
    env = prefect_env()
    env.pop("SCOUT_FAULT_KILL_AT", None)
    if kill_at:
        env["SCOUT_FAULT_KILL_AT"] = kill_at
    args = [SCOUT, "discover", "-p", "bluesky", "--base-url", sandbox.base_url, "--limit", str(LIMIT),
            "--posts", str(POSTS), "--rate", "200", "--handle", ",".join(seed_handles(sandbox)),
            "--db", str(db), "--audience-sample", "0"]  # batches only: the audit after them has its own tests
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=180)


def test_kill9_in_store_and_in_load_then_rerun_equals_a_clean_run(tmp_path, sandbox):
    clean_db, crashed_db = tmp_path / "clean.duckdb", tmp_path / "crashed.duckdb"
    clean = discover(platform="bluesky", base_url=sandbox.base_url, handles=seed_handles(sandbox),
                     limit=LIMIT, posts_per_creator=POSTS,
                     db_path=str(clean_db), rate_per_second=200)
    assert clean["batches"] == 4 and clean["counts"]["quarantined"] == 1
    assert clean["counts"]["fetched"] == clean["refs"] and clean["counts"]["loaded"] == clean["creators"] > 50
    assert f"quarantined 1, errors {clean['errors']}" in artifact_markdown(clean["flow_run_id"])

    # Killed while storing batch 1's bodies: batch 0 is loaded, batch 1 must be fetched again.
    first = scout_discover(crashed_db, sandbox, kill_at="store:1")
    assert first.returncode == -signal.SIGKILL, first.stderr
    # Killed inside the transaction loading batch 3: batches 1-2 load, batch 3 stays 'fetched'.
    second = scout_discover(crashed_db, sandbox, kill_at="load:3")
    assert second.returncode == -signal.SIGKILL, second.stderr
    with duckdb.connect(str(crashed_db), read_only=True) as con:
        manifest = con.execute("SELECT batch_no, status FROM run_batches ORDER BY batch_no").fetchall()
        assert con.execute("SELECT count(*) FROM creator_scores").fetchone()[0] == 50  # batch 3 rolled back
    assert manifest == [(0, "loaded"), (1, "loaded"), (2, "loaded"), (3, "fetched")]

    requests_before = sandbox.stats["requests"]
    started = time.perf_counter()
    third = scout_discover(crashed_db, sandbox)  # plain rerun, same options: resumes
    resume_seconds = time.perf_counter() - started
    assert third.returncode == 0, third.stderr
    assert "resumed run" in third.stdout and "(4 reused" in third.stdout
    assert sandbox.stats["requests"] == requests_before  # batch 3 was re-parsed, not refetched
    flow_seconds = re.search(r"in (\d+\.\d)s", third.stdout)
    print(f"resume after kill -9: {resume_seconds:.1f}s for the whole process, "
          f"{flow_seconds and flow_seconds.group(1)}s in the flow")

    for table in COMPARED:
        assert rows(crashed_db, table) == rows(clean_db, table), table
    with duckdb.connect(str(crashed_db), read_only=True) as con:
        assert con.execute("SELECT status, count(*) FROM runs GROUP BY ALL").fetchall() == [("completed", 1)]


def test_resume_with_nothing_to_resume_says_so(tmp_path, sandbox):
    db = tmp_path / "scout.duckdb"
    result = CliRunner().invoke(app, ["discover", "-p", "bluesky", "--base-url", sandbox.base_url,
                                      "-q", "baking", "--limit", "5", "--resume", "--db", str(db)])
    assert result.exit_code != 0
    assert "Nothing to resume" in result.output and "Traceback" not in result.output
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 0


def _stopped(pid: int) -> bool:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "T"


def _gone(pid: int) -> bool:
    """Exited (a zombie counts: it serves nothing)."""
    stat = Path(f"/proc/{pid}/stat")
    return not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")


def test_ctrl_c_exits_130_in_one_line_and_a_rerun_resumes_to_a_clean_run(tmp_path, sandbox):
    """Ctrl-C as a terminal sends it: SIGINT to the whole process group, Prefect's temporary
    server included, once batch 1 is loaded (stopped at ``fetch:2``, then continued)."""
    clean_db, db = tmp_path / "clean.duckdb", tmp_path / "interrupted.duckdb"
    discover(platform="bluesky", base_url=sandbox.base_url, handles=seed_handles(sandbox), limit=LIMIT,
             posts_per_creator=POSTS, db_path=str(clean_db), rate_per_second=200)
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "SCOUT_FAULT_KILL_AT")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")  # its own temporary Prefect server, as a user's
    env["SCOUT_PREFECT_SERVER"] = "temporary"  # the per-command server whose death is asserted below
    args = [SCOUT, "discover", "-p", "bluesky", "--base-url", sandbox.base_url, "--limit", str(LIMIT),
            "--posts", str(POSTS), "--rate", "200", "--handle", ",".join(seed_handles(sandbox)),
            "--db", str(db)]
    proc = subprocess.Popen(args, env={**env, "SCOUT_FAULT_STOP_AT": "fetch:2"}, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    while not _stopped(proc.pid):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.1)
    servers = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    os.killpg(proc.pid, signal.SIGINT)
    os.killpg(proc.pid, signal.SIGCONT)
    interrupted = time.monotonic()
    out, err = proc.communicate(timeout=300)
    print(f"Ctrl-C to exit: {time.monotonic() - interrupted:.1f}s")
    assert proc.returncode == 130, err
    assert err.strip().splitlines() == [
        "interrupted during batch 2 of 4: batches 0-1 are kept, batch 2 is abandoned (nothing of it "
        "was loaded); rerun the same command to continue"], err
    deadline = time.monotonic() + 30
    while not all(_gone(int(pid)) for pid in servers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert all(_gone(int(pid)) for pid in servers), "Prefect's temporary server outlived the CLI"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT batch_no, status FROM run_batches ORDER BY 1").fetchall() == [
            (0, "loaded"), (1, "loaded")]

    rerun = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "resumed run" in rerun.stdout
    for table in COMPARED:
        assert rows(db, table) == rows(clean_db, table), table
