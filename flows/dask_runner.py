"""prefect-dask's ``DaskTaskRunner``, with every host's request budget split between its workers.

Each worker is a process of its own, and a process paces a host with its own token bucket
(``scrapers.ratelimit``): N workers at the full budget would send N times the rate a platform
allows. So as soon as the runner's client is connected, every worker (and any that joins later)
takes 1/N of each budget, N being the workers the cluster has then; the threads of one worker
share its buckets. Imported only when a run asks for Dask.
"""

from __future__ import annotations

from typing import Any

from distributed import Client, Worker, WorkerPlugin
from prefect_dask import DaskTaskRunner

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
