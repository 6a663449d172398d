"""A real discover against the sandbox with its tasks on a local Dask cluster (worker processes of
their own) loads the same warehouse as the thread runner: the fetches, avatar and audience tasks
go to Dask and their results come back pickled, while every write stays in the flow's thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flows.discover import discover
from flows.runners import with_task_runner
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
