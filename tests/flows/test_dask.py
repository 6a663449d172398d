"""A real discover against the sandbox with its tasks on a local Dask cluster (worker processes of
their own) loads the same warehouse as the thread runner: the fetches, avatar and audience tasks
go to Dask and their results come back pickled, while every write stays in the flow's thread."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from flows.discover import discover
from flows.runners import with_task_runner
from tests.flows.test_bad_records import Instance
from tests.flows.test_resume import COMPARED, LIMIT, POSTS, rows, seed_handles

pytestmark = pytest.mark.usefixtures("prefect_harness")


def discover_into(db: Path, sandbox, task_runner: str) -> dict[str, Any]:
    run = with_task_runner(discover, task_runner, workers=1, threads=2)
    return run(platform="bluesky", base_url=sandbox.base_url, handles=seed_handles(sandbox), limit=LIMIT,
               posts_per_creator=POSTS, db_path=str(db), rate_per_second=200, audience_sample=5)


def test_discover_on_dask_loads_what_the_thread_runner_loads(tmp_path, sandbox):
    threads_db, dask_db = tmp_path / "threads.duckdb", tmp_path / "dask.duckdb"
    on_threads = discover_into(threads_db, sandbox, "thread")
    on_dask = discover_into(dask_db, sandbox, "dask")

    assert on_dask["counts"] == on_threads["counts"] and on_dask["counts"]["quarantined"] == 1
    assert on_dask["creators"] == on_threads["creators"] > 50
    assert on_dask["requests"] == on_threads["requests"] and on_dask["audited"] == on_threads["audited"] > 0
    for table in (*COMPARED, "audience_audits"):
        assert rows(dask_db, table) == rows(threads_db, table), table


def test_a_batch_that_fails_on_a_dask_worker_still_counts_every_request(tmp_path, monkeypatch):
    """Every statuses request 503s: the batch fails whole after its task retry. Its attempts ran in
    the worker process, yet every request they made is in the run's counts (they come back on
    the exception; they were lost before, the flow reading only its own process's record)."""
    import flows.discover as discover_flow

    monkeypatch.setattr(discover_flow, "fetch_batch",  # shipped to the worker with the task
                        discover_flow.fetch_batch.with_options(retries=1, retry_delay_seconds=0))

    class Down(Instance):
        def route(self, path: str, q: dict[str, list[str]], headers: Any, body: Any) -> tuple:
            if path.endswith("/statuses"):
                return 503, {}, {"Retry-After": "0"}  # the client's retries, without its backoff waits
            return super().route(path, q, headers, body)

    with Down(n=5) as stub:
        summary = with_task_runner(discover, "dask", workers=1, threads=1)(
            platform="mastodon", base_url=stub.base_url, queries=["bread"], limit=5, posts_per_creator=3,
            db_path=str(tmp_path / "scout.duckdb"), rate_per_second=200)
        requests = len(stub.requests)
    assert summary["creators"] == 0 and summary["errors"] == 5
    assert summary["requests"] == requests > 1 + 2 * 6  # the search, then two attempts of 6 tries or more


def test_scout_discover_on_dask_without_a_prefect_server_starts_one_temporary_server(tmp_path, sandbox):
    """No PREFECT_API_URL: the CLI's temporary server is the one its Dask workers report to (each
    worker process started one of its own before, and reported its task runs there)."""
    env = {**{k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"},
           "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_LOGGING_LEVEL": "INFO",  # to see the servers start
           "SCOUT_PREFECT_SERVER": "temporary"}  # the per-command server (the shared one is configured for the workers)
    done = subprocess.run(
        [str(Path(sys.executable).parent / "scout"), "discover", "-p", "bluesky", "--instance", sandbox.base_url,
         "--handle", ",".join(seed_handles(sandbox)[:5]), "--posts", "3", "--audience-sample", "0",
         "--db", str(tmp_path / "scout.duckdb"), "--task-runner", "dask", "-v"],
        env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "fetched 5, loaded 5" in done.stdout
    assert done.stderr.count("Starting temporary server") == 1, done.stderr
