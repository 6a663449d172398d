"""Choosing the task runner of a discover run: bad values and unreachable schedulers refused before
anything starts, and Dask workers splitting every host's budget between them. The clusters here
are in-process (thread workers); the real discover on a process cluster is tests/flows/test_dask.py.
"""

from __future__ import annotations

import duckdb
import pytest
from distributed import LocalCluster
from json_stub import closed_port
from typer.testing import CliRunner

from cli.app import app
from flows.dask_runner import SharedBudgetDaskRunner
from flows.runners import ClusterUnreachable, check_cluster
from scrapers.ratelimit import budget_share


def in_process_cluster(workers: int) -> LocalCluster:
    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=False, protocol="tcp",
                        host="127.0.0.1", dashboard_address=":0")


def scout_discover(tmp_path, base_url: str, *options: str):
    db = tmp_path / "scout.duckdb"
    result = CliRunner().invoke(app, ["discover", "-p", "bluesky", "--base-url", base_url, "-q", "baking",
                                      "--limit", "5", "--db", str(db), *options])
    return result, db


@pytest.mark.parametrize(("options", "says"), [
    (["--task-runner", "fork"], "--task-runner must be one of thread, dask, not 'fork'"),
    (["--dask-address", "tcp://127.0.0.1:8786"], "--dask-address needs --task-runner dask"),
    (["--task-runner", "dask", "--dask-address", "127.0.0.1:8786"], "must look like tcp://HOST:PORT"),
    (["--task-runner", "dask", "--dask-address", "tcp://scheduler"], "must look like tcp://HOST:PORT"),
    (["--task-runner", "dask", "--dask-address", "http://scheduler:8786"], "must look like tcp://HOST:PORT"),
    (["--task-runner", "dask", "--dask-address", "tcp://scheduler:99999"], "must look like tcp://HOST:PORT"),
])
def test_a_bad_runner_or_address_is_one_line_exit_2_and_writes_nothing(tmp_path, options, says):
    result, db = scout_discover(tmp_path, "http://127.0.0.1:9", *options)
    assert result.exit_code == 2, result.output
    assert says in result.output and len(result.output.strip().splitlines()) == 1
    assert not db.exists()


def test_an_unreachable_or_silent_scheduler_is_one_line_exit_1(tmp_path, sandbox):
    refused = f"tcp://127.0.0.1:{closed_port()}"
    result, db = scout_discover(tmp_path, sandbox.base_url, "--task-runner", "dask", "--dask-address", refused)
    assert result.exit_code == 1, result.output
    assert result.output.strip() == f"error: cannot reach {refused} (connection refused); check --dask-address"
    # Something answers TCP there, but it is no Dask scheduler (the sandbox's HTTP server).
    silent = sandbox.base_url.replace("http://", "tcp://")
    result, db = scout_discover(tmp_path, sandbox.base_url, "--task-runner", "dask", "--dask-address", silent)
    assert result.exit_code == 1, result.output
    assert f"no Dask scheduler answered at {silent}" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    with duckdb.connect(str(db), read_only=True) as con:  # the warehouse checked writable, no run in it
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 0


def test_a_scheduler_without_workers_is_refused_and_one_with_workers_counted():
    with in_process_cluster(0) as empty:
        with pytest.raises(ClusterUnreachable, match="has no workers"):
            check_cluster(empty.scheduler_address)
    with in_process_cluster(1) as cluster:
        assert check_cluster(cluster.scheduler_address) == 1


def test_dask_workers_split_every_host_budget_for_the_run_only():
    """Two workers: each paces every host at half its budget while the run lasts (here both are
    threads of this process, so this process's share is the one they set)."""
    with in_process_cluster(2) as cluster, SharedBudgetDaskRunner(address=cluster.scheduler_address) as runner:
        assert budget_share() == 1.0  # nothing connected yet
        assert len(runner.client.nthreads()) == 2
        assert budget_share() == 0.5
    assert budget_share() == 1.0  # the cluster outlives the run; its workers get their budget back
