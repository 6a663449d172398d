"""prefect-dask's ``DaskTaskRunner``, with every host's request budget split between its workers.

Each worker is a process of its own, and a process paces a host with its own token bucket
(``scrapers.ratelimit``): N workers at the full budget would send N times the rate a platform
allows. So as soon as the runner's client is connected, every worker (and any that joins later)
takes 1/N of each budget, N being the workers the cluster has then; the threads of one worker
share its buckets. Imported only when a run asks for Dask, or by a deployment (``discover_on_dask``).
"""

from __future__ import annotations

from typing import Any

from distributed import Client, Worker, WorkerPlugin
from prefect import flow
from prefect_dask import DaskTaskRunner

from flows.discover import discover
from flows.runners import with_task_runner
from scrapers.ratelimit import share_budget


class BudgetShare(WorkerPlugin):
    """Sets a worker process's share of every host's budget, and gives it back at the end."""

    name = "scout-budget-share"

    def __init__(self, fraction: float) -> None:
        self.fraction = fraction

    def setup(self, worker: Worker) -> None:
        share_budget(self.fraction)

    def teardown(self, worker: Worker) -> None:
        share_budget(1.0)


class SharedBudgetDaskRunner(DaskTaskRunner):
    """A ``DaskTaskRunner`` whose workers split each host's budget between them."""

    @property
    def client(self) -> Client:
        connecting = self._client is None
        client = super().client
        if connecting:
            workers = max(1, len(client.nthreads()))
            client.register_plugin(BudgetShare(1 / workers))
        return client

    def __exit__(self, *exc: Any) -> None:
        if self._client is not None:  # a cluster given by address outlives the run
            self._client.unregister_worker_plugin(BudgetShare.name)
        super().__exit__(*exc)


@flow(name="discover-on-dask")
def discover_on_dask(dask_address: str, discover_params: dict[str, Any]) -> dict[str, Any]:
    """A deployment's way to Dask: a work pool's worker runs this flow, and the ``discover`` flow it
    starts (with ``discover_params``) sends its tasks to the cluster at ``dask_address``, while
    its writes stay with the worker. The task runner is fixed when a flow is loaded, so a
    deployment chooses it through this flow's parameters rather than discover's own."""
    return with_task_runner(discover, "dask", dask_address)(**discover_params)
