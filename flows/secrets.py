"""Credentials from Prefect Secret blocks: the one place that knows where Prefect keeps secrets.

The scraping layer asks its secret store (:func:`scrapers.settings.use_secret_store`) for a
credential the environment lacks; importing ``flows`` plugs this reader in, so ``scrapers/``
never imports Prefect.
"""

from __future__ import annotations


def read_secret_block(name: str) -> str:
    """The value of a Prefect Secret block, or "" when there is no reachable API or no block.

    Blocks are read only where a Prefect API is already there (``PREFECT_API_URL``, or inside a
    flow or task run): starting Prefect's temporary server just to find no block would cost
    seconds on every key-less call.
    """
    from prefect.context import FlowRunContext, TaskRunContext
    from prefect.settings import PREFECT_API_URL

    if not (PREFECT_API_URL.value() or FlowRunContext.get() or TaskRunContext.get()):
        return ""
    from prefect.blocks.system import Secret

    try:
        block = Secret.load(name, _sync=True)
    except ValueError:  # Prefect's "Unable to find block document named ..."
        return ""
    return str(block.get()).strip()
