"""The fetch side of the discover flow: Prefect tasks that talk to the network, one per batch.

Only these retry (network, 429, 5xx; never a bad credential). A creator whose own request keeps
failing is held back alone; the counters of failed attempts are kept so a run's counts are true.
Parsing (``parse_batch``) is pure and runs in the flow's thread.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import task_run

from core.records import (
    ParseResult,
    RawResponse,
    ScrapeError,
    storable,
    storable_raw,
)
from core.settings import Settings
from scrapers.avatars import fetch_avatars
from scrapers.errors import FetchFailed, HostUnreachable, InvalidInput, QuotaExhausted
from scrapers.http import HttpClient
from scrapers.registry import get_platform
from transforms.faces import detect_faces

FETCH_BATCH_SIZE = 25  # one getProfiles call on Bluesky; a sensible task size elsewhere
AVATAR_BATCH_SIZE = 100
MAX_FETCH_WORKERS = 4
# Batches submitted ahead of the one being stored: enough to keep every worker busy while the flow
# stores, few enough that the bodies waiting in memory do not grow with --limit.
FETCH_AHEAD = 2 * MAX_FETCH_WORKERS
FETCH_RETRY_DELAYS = [2, 5, 15]


def in_batches(items: Sequence[Any], size: int) -> list[list[Any]]:
    """``items`` cut into consecutive batches of ``size`` (the last may be shorter)."""
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry only what may pass on its own (network, 429, 5xx), never a bad credential."""
    try:
        state.result()
    except HostUnreachable:  # refused or unresolvable: the next attempt meets the same
        return False
    except FetchFailed:
        return True
    except Exception:  # noqa: BLE001 - anything else will fail the same way again
        return False
    return False


# Only tasks that talk to the network retry; results are never cached (they are fresh data).
fetch_task = task(retries=len(FETCH_RETRY_DELAYS), retry_delay_seconds=FETCH_RETRY_DELAYS,
                  retry_condition_fn=_transient, cache_policy=NO_CACHE)


@dataclass
class Fetched:
    """What a fetch task hands on: raw bodies (parsed later) and the client's counters."""

    raws: list[RawResponse] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    refs: list[str] = field(default_factory=list)
    stopped: str | None = None  # why the batch ended early (a spent quota), if it did
    failed: dict[str, str] = field(default_factory=dict)  # refs whose own fetch kept failing: why


# The counters of fetch attempts that raised, by task run: Prefect's retries start a new client,
# and the requests and retries a failed attempt made must still be counted.
_FAILED_ATTEMPTS: dict[str, Counter[str]] = {}
_FAILED_LOCK = threading.Lock()


def keep_failed_attempt(stats: dict[str, int], failure: BaseException) -> None:
    """Remember a failing attempt's counters for the task run's next attempt to report, and carry
    the total so far on ``failure`` (as ``spent``): on Dask the attempts ran in a worker process,
    and what comes back to the flow of the last one is its exception."""
    with _FAILED_LOCK:
        total = _FAILED_ATTEMPTS.setdefault(str(task_run.get_id()), Counter())
        total.update(stats)
        failure.spent = dict(total)  # type: ignore[attr-defined]


def with_failed_attempts(stats: dict[str, int], task_run_id: Any = None,
                         failure: BaseException | None = None) -> dict[str, int]:
    """``stats`` plus the counters of the task run's earlier attempts that raised: kept in this
    process, or carried by the ``failure`` the task run ended with in another."""
    with _FAILED_LOCK:
        total = _FAILED_ATTEMPTS.pop(str(task_run_id or task_run.get_id()), None)
    total = total if total is not None else Counter(getattr(failure, "spent", {}))
    total.update(stats)
    return dict(total)


def platform_client(platform: str, base_url: str, rate_per_second: float | None) -> HttpClient:
    """A client paced for ``platform``, configured from the settings this task starts with."""
    config = Settings.from_env(InvalidInput)
    settings = get_platform(platform).settings(base_url, config)
    return HttpClient(
        platform,
        rate_per_second=rate_per_second or settings.rate_per_second,
        burst=settings.burst,
        config=config,
    )


@fetch_task
def discover_refs(
    platform: str,
    base_url: str,
    queries: list[str],
    hashtags: list[str],
    handles: list[str],
    limit: int,
    rate_per_second: float | None,
) -> Fetched:
    """Find account refs by query, hashtag and handle; keeps the discovery bodies too."""
    with platform_client(platform, base_url, rate_per_second) as http:
        refs = get_platform(platform).discover(
            http, base_url, queries=queries, hashtags=hashtags, handles=handles, limit=limit
        )
        return Fetched(raws=http.raw_responses, stats=dict(http.stats), refs=refs)


@fetch_task
def fetch_batch(
    platform: str,
    base_url: str,
    refs: list[str],
    posts_per_creator: int,
    rate_per_second: float | None,
) -> Fetched:
    """Profiles and recent posts for one batch of creators (raw bodies only, no parsing).

    A creator whose own request keeps failing is held back alone (``failed``) and the rest of
    the batch is fetched without refetching those already done. The batch fails (and the task
    retries) only when a request for several creators fails, or nothing has answered at all.
    A spent daily quota ends the batch but keeps what was fetched before it.
    """
    fetch = get_platform(platform).fetch_creators
    todo, failed, stopped = list(refs), {}, None
    with platform_client(platform, base_url, rate_per_second) as http:
        while todo:
            start = len(http.raw_responses)
            try:
                fetch(http, base_url, todo, posts_per_creator=posts_per_creator)
                break
            except QuotaExhausted as exc:
                stopped = str(exc)
                break
            except FetchFailed as exc:
                owner = _ref_by_key(platform, http.raw_responses, todo)
                ref = owner.get(exc.request_key)
                if ref is None or (not http.raw_responses and (failed or len(todo) == 1)):
                    keep_failed_attempt(http.stats, exc)  # the host, not one creator: retry the task
                    raise
                failed[ref] = str(exc)
                done = {owner.get(raw.request_key) for raw in http.raw_responses[start:]}
                todo = [r for r in todo if r != ref and r not in done]
        return Fetched(raws=http.raw_responses, stats=with_failed_attempts(http.stats), refs=refs,
                       stopped=stopped, failed=failed)


def submitted_ahead(plan: dict[int, list[str]], submit: Callable[[int, list[str]], Any],
                    ahead: int = FETCH_AHEAD) -> Iterator[tuple[int, list[str], Any]]:
    """Each batch of ``plan`` in order with what ``submit`` gave for it, each submitted ``ahead``
    batches before it is handed out: fetching runs on while the flow stores, and the bodies
    fetched but not stored yet stay bounded whatever the limit."""
    batches = list(plan.items())
    futures = {n: submit(n, refs) for n, refs in batches[:ahead]}
    for i, (n, refs) in enumerate(batches):
        if i + ahead < len(batches):
            later, later_refs = batches[i + ahead]
            futures[later] = submit(later, later_refs)
        yield n, refs, futures.pop(n)


def finished(future: Any) -> bool:
    """Whether a task's future (thread or Dask runner) has its outcome already."""
    wrapped = getattr(future, "wrapped_future", None)
    return wrapped is not None and wrapped.done()


def _ref_by_key(platform: str, raws: list[RawResponse], refs: list[str]) -> dict[str, str]:
    """Request key -> the ref it was made for: the ref itself, or its creator's id (a Bluesky
    feed is asked for by DID where the ref was a handle)."""
    keys = {ref: ref for ref in refs}
    profiles = parse_batch(platform, raws)
    for ref in refs:
        for profile in profiles.for_creators([ref]).profiles:
            keys.setdefault(profile.creator_id, ref)
    return keys


@fetch_task
def avatar_faces(
    platform: str, keys: list[tuple[str, str]], urls: list[str | None], cache_dir: str,
    rate_per_second: float | None, base_url: str | None = None,
) -> list[tuple[str, str, bool | None]]:
    """Face in the avatar for one batch of creators; images stay in the on-disk cache.
    Private addresses are fetched only when ``base_url`` is on one (the sandbox)."""
    with platform_client(platform, "", rate_per_second) as http:
        images = fetch_avatars(http, urls, Path(cache_dir), base_url=base_url)
    found = detect_faces(images)
    return [(p, c, None if pd.isna(f) else bool(f)) for (p, c), f in zip(keys, found)]


def parse_batch(platform: str, raws: list[RawResponse]) -> ParseResult:
    """Raw bodies -> canonical records; a body that does not parse becomes a ScrapeError.

    A plain function: it runs inside each batch's step in the flow thread, not as its own task."""
    parse = get_platform(platform).parse
    result = ParseResult()
    for raw in raws:  # every string made storable here, so one bad record cannot fail the save
        result.extend(storable(parse(storable_raw(raw)), raw))
    return result


def fetch_counts(fetched: Fetched, creators: int, failed: str | None = None) -> dict[str, Any]:
    """What a batch's fetch did, stored with it so a re-parse can rebuild its fetch errors."""
    return {
        "requests": fetched.stats.get("requests", 0), "retries": fetched.stats.get("retries", 0),
        "fetched": 0 if failed else creators - len(fetched.failed), "stopped": fetched.stopped,
        "failed": failed, "failed_refs": fetched.failed,
    }


def fetch_errors(platform: str, refs: list[str], counts: dict[str, Any]) -> list[ScrapeError]:
    """A spent quota is one error; a batch that kept failing explains every creator in it, and a
    creator that kept failing alone is explained alone (which quarantines it)."""
    if counts.get("failed"):
        return [ScrapeError(platform, ref, None, None, f"fetch failed: {counts['failed']}") for ref in refs]
    errors = [ScrapeError(platform, ref, None, None, f"fetch failed: {why}")
              for ref, why in (counts.get("failed_refs") or {}).items()]
    if counts.get("stopped"):
        errors.append(ScrapeError(platform, None, None, None, counts["stopped"]))
    return errors


