"""``scout forget`` outside the warehouse: Prefect's records of past runs also name creators.

Artifacts (the top-candidates table, the run summary) are deleted when they name the creator:
Prefect keeps the latest artifact of a key in a collection that an update does not refresh, but
a delete does. Flow-run parameters (``handles=[...]``) are rewritten with the name replaced by
``[forgotten]``. Logs cannot be edited through the API: runs whose logs name the creator are
listed with the command that deletes them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from core.identity import handle_key
from warehouse.tombstones import FORGOTTEN_REF, mention_pattern

PAGE = 200


@dataclass
class PrefectScrub:
    """What the scrub did, and what it could not do (each a sentence saying how to do it)."""

    artifacts_deleted: int = 0
    runs_scrubbed: int = 0
    not_done: list[str] = field(default_factory=list)


def scrub_prefect(keys: list[str]) -> PrefectScrub:
    """Delete artifacts and rewrite flow-run parameters that name any of ``keys`` (a creator's
    handle, its variants and ids) through the configured Prefect API; never raises."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    done = PrefectScrub()
    names = re.compile(mention_pattern(keys))
    exact = {k.lower() for k in keys if k}
    where = PREFECT_API_URL.value() or "the local Prefect database"
    try:
        with get_client(sync_client=True) as client:
            for artifact in _all(client.read_artifacts):
                if names.search(json.dumps(artifact.data, default=str).lower() + " " + (artifact.description or "").lower()):
                    client.delete_artifact(artifact.id)
                    done.artifacts_deleted += 1
            for run in _all(client.read_flow_runs):
                scrubbed = _scrub(run.parameters, exact)
                if scrubbed != run.parameters:
                    client.update_flow_run(run.id, parameters=scrubbed)
                    done.runs_scrubbed += 1
            logged = _runs_logging(client, keys[0])
            if logged:
                done.not_done.append(
                    f"Prefect logs of {len(logged)} flow run(s) name the creator and cannot be edited; "
                    f"delete those runs with: prefect flow-run delete {' '.join(sorted(logged))}"
                )
    except Exception as exc:  # noqa: BLE001 - any failure is reported, the warehouse part stands
        done.not_done.append(
            f"could not reach the Prefect API ({where}): {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}; "
            "its artifacts and flow-run parameters may still name the creator: run this scout forget "
            "again once it is up, or delete them in the Prefect UI"
        )
    return done


def _all(read: Any) -> list[Any]:
    """Every item of a paged Prefect read."""
    found: list[Any] = []
    while True:
        page = read(limit=PAGE, offset=len(found))
        found += page
        if len(page) < PAGE:
            return found


def _scrub(value: Any, exact: set[str]) -> Any:
    """``value`` with every string naming the creator (any case, leading @) replaced."""
    if isinstance(value, str):
        return FORGOTTEN_REF if handle_key(value) in exact else value
    if isinstance(value, list):
        return [_scrub(v, exact) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, exact) for k, v in value.items()}
    return value


def _runs_logging(client: Any, handle: str) -> set[str]:
    """Ids of flow runs with a log line naming ``handle``."""
    from prefect.client.schemas.filters import LogFilter, LogFilterTextSearch

    search = LogFilter(text=LogFilterTextSearch(query=handle))
    logs = _all(lambda limit, offset: client.read_logs(search, limit=limit, offset=offset))
    return {str(log.flow_run_id) for log in logs if log.flow_run_id}
