"""Which task runner a discover run's tasks go through: threads of this process (the default) or
a Dask cluster (prefect-dask's ``DaskTaskRunner``), chosen per run with ``Flow.with_options``.

Only the submitted tasks move (fetch, avatar faces, audience samples): the flow body, and with it
every parse and every DuckDB write, stays in the flow's own thread, and tasks are handed paths and
plain records, never a connection. Dask itself is imported only when a run asks for it, so the
thread runner costs the CLI nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from core.errors import InputError, ScoutError

if TYPE_CHECKING:  # Prefect is imported by the run itself, not by `scout discover --help`
    from prefect import Flow

TASK_RUNNERS = ("thread", "dask")
DASK_SCHEMES = ("tcp", "tls")
LOCAL_WORKERS = 2  # worker processes of the local cluster: one per core of a small machine
LOCAL_THREADS = 2  # fetch threads per worker: requests wait on the network, not the CPU
CONNECT_SECONDS = 5.0  # like an unreachable platform host: found before the run, in seconds


class ClusterUnreachable(ScoutError):
    """The Dask scheduler does not answer, or has no worker to run a task on (exit code 1)."""


def check_task_runner(name: str, dask_address: str | None) -> None:
    """Refuse, in one sentence, a runner we do not have or an address Dask cannot dial."""
    if name not in TASK_RUNNERS:
        raise InputError(f"--task-runner must be one of {', '.join(TASK_RUNNERS)}, not {name!r}")
    if dask_address is None:
        return
    if name != "dask":
        raise InputError("--dask-address needs --task-runner dask")
    parts = urlsplit(dask_address.strip())
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in DASK_SCHEMES or not parts.hostname or port is None or parts.path not in ("", "/"):
        raise InputError(f"--dask-address must look like tcp://HOST:PORT (a Dask scheduler), not {dask_address!r}")


def check_cluster(address: str) -> int:
    """The scheduler at ``address`` answers and has workers: how many (before a run starts, so a
    dead, silent or empty cluster is one line within seconds, not a run waiting for ever)."""
    from scrapers.origins import check_reachable

    check_reachable(address.strip(), timeout=CONNECT_SECONDS, option="--dask-address")
    try:
        workers = asyncio.run(asyncio.wait_for(_count_workers(address.strip()), CONNECT_SECONDS))
    except (OSError, TimeoutError):
        raise ClusterUnreachable(f"no Dask scheduler answered at {address} within {CONNECT_SECONDS:.0f} s; "
                                 "check --dask-address") from None
    if not workers:
        raise ClusterUnreachable(f"the Dask cluster at {address} has no workers to run the fetch tasks")
    return workers


async def _count_workers(address: str) -> int:
    """Ask the scheduler who it is; a peer that is no scheduler may never answer, which is why the
    caller bounds the whole exchange."""
    from distributed.core import rpc

    scheduler = rpc(address, timeout=CONNECT_SECONDS)
    try:
        return int((await scheduler.identity())["n_workers"])
    finally:
        await scheduler.close_rpc()


def with_task_runner(flow: Flow[..., Any], name: str, dask_address: str | None = None, *,
                     workers: int = LOCAL_WORKERS, threads: int = LOCAL_THREADS) -> Flow[..., Any]:
    """``flow`` as it is (its own thread pool), or running its tasks on Dask: the cluster at
    ``dask_address``, else a local one of ``workers`` processes of ``threads`` threads that lives
    as long as the run."""
    check_task_runner(name, dask_address)
    if name == "thread":
        return flow
    from flows.dask_runner import SharedBudgetDaskRunner

    if dask_address:
        runner = SharedBudgetDaskRunner(address=dask_address.strip(), client_kwargs={"timeout": CONNECT_SECONDS})
    else:
        runner = SharedBudgetDaskRunner(cluster_kwargs={
            "n_workers": workers, "threads_per_worker": threads, "processes": True,
            "dashboard_address": ":0",  # a free port: several runs on one machine do not collide
        })
    return flow.with_options(task_runner=runner)


@contextmanager
def one_api_for_workers(name: str) -> Iterator[None]:
    """Dask workers report their task runs to the Prefect API the run's settings name. With none
    configured, each worker process would start a temporary server of its own (and leave it
    behind when the cluster kills it); so the run's own temporary server, the one Prefect would
    start anyway, is started here and named in the run's settings, which the workers receive."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if name != "dask" or PREFECT_API_URL.value():
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # Prefect's own singleton: stopped at exit, as usual
    server.start()
    with temporary_settings({PREFECT_API_URL: server.api_url}):
        yield
