"""The audience audit step of a discover run: a follower sample per creator, classified.

Thin: the platform plug-in samples (``sample_followers``), ``transforms.audience`` turns the
samples into one row per creator, the warehouse stores them. One task per batch of creators,
never per creator; only the fetch retries. A batch whose requests keep failing is stored as
audits with the reason, so the run still finishes.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pandas as pd
from prefect import get_run_logger

from core.records import FollowerSample
from flows.fetching import (
    FETCH_BATCH_SIZE,
    fetch_task,
    in_batches,
    keep_failed_attempt,
    platform_client,
    with_failed_attempts,
)
from scrapers.registry import get_platform
from transforms.audience import audience_audits
from warehouse.warehouse import Warehouse


@fetch_task
def audit_audience(platform: str, base_url: str, creator_ids: list[str], sample: int,
                   rate_per_second: float | None, now: datetime) -> tuple[pd.DataFrame, dict[str, int]]:
    """One batch of creators: up to ``sample`` followers of each, classified and summed up; and
    the requests and retries it made (earlier failed attempts included), for the run's counts."""
    sample_followers = get_platform(platform).sample_followers
    with platform_client(platform, base_url, rate_per_second) as http:
        try:
            samples = [sample_followers(http, base_url, creator_id, size=sample) for creator_id in creator_ids]
        except BaseException as exc:
            keep_failed_attempt(http.stats, exc)  # a retried attempt still counts what it spent
            raise
    return audience_audits(samples, now=pd.Timestamp(now)), with_failed_attempts(http.stats)


def audit_run(warehouse: Warehouse, platform: str, base_url: str, run_id: str, now: datetime, *,
              everyone: bool, sample: int, rate_per_second: float | None) -> dict[str, int]:
    """Audit the run's candidates (``everyone``: every creator it scored): rows stored, and the
    requests and retries spent on it."""
    targets = warehouse.audit_targets(platform, run_id, everyone=everyone) if sample > 0 else []
    batches = in_batches(targets, FETCH_BATCH_SIZE)
    futures = [audit_audience.submit(platform, base_url, batch, sample, rate_per_second, now) for batch in batches]
    frames, spent = [], Counter()
    for batch, future in zip(batches, futures, strict=True):
        outcome = future.result(raise_on_failure=False)
        if isinstance(outcome, tuple):
            frame, stats = outcome
        else:
            get_run_logger().warning("audience audit of %d creators failed: %s", len(batch), outcome)
            failed = [FollowerSample(platform, c, reason=f"follower sample failed: {outcome}") for c in batch]
            frame, stats = audience_audits(failed, now=pd.Timestamp(now)), with_failed_attempts({}, future.task_run_id, outcome)
        frames.append(frame)
        spent.update(stats)
    stored = warehouse.save_audits(run_id, pd.concat(frames, ignore_index=True)) if frames else 0
    return {"audited": stored, "requests": spent["requests"], "retries": spent["retries"]}
