"""The ``rescore`` flow: every stored creator scored again from its stored profile and posts,
with today's models and rules, without fetching anything.

Per platform, one run (flow 'rescore') reads the creators in chunks (``chunk_size`` creators and
their posts, as Arrow), scores each chunk in one task and appends the scores under the run, so
memory is bounded by the chunk whatever the warehouse's size, and the previous verdicts stay
(``latest_scores`` now shows the new ones). Rerunning with the same options continues a stopped
rescore: the creators it scored are skipped. Once every platform is done, the ad-network pass
runs over the whole warehouse, as after a discover.

Not re-derived: the avatar face signal (``discover --faces`` fetches avatars; a rescore does not)
and the stored posts' own ``collab_kind`` (scoring derives it again, the posts table keeps the
one from their load).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from core.records import utcnow
from core.settings import Settings
from flows.discover import fingerprint
from flows.fetching import in_batches
from flows.interrupts import raise_if_interrupted, remembered_interrupts
from flows.progress import ProgressMeter
from scrapers.errors import InvalidInput
from transforms.authenticity import AuthenticityContext, rescore_ad_network
from transforms.authenticity.ad_network import RECENT_POSTS
from transforms.collab import with_collab_kind
from transforms.frames import errors_frame, posts_frame, profiles_frame
from transforms.score import SCORE_VERSIONS, score_creators
from transforms.tiers import get_scheme
from warehouse.manifest import RunStatus
from warehouse.warehouse import Warehouse

DEFAULT_CHUNK = 50_000  # creators per chunk: about 0.4 GiB of working memory at 30 posts each
MAX_CHUNK = 500_000


@task(cache_policy=NO_CACHE)
def score_chunk(profiles: pd.DataFrame, posts: pd.DataFrame, now: datetime, tier_scheme: str,
                person_threshold: float, context: AuthenticityContext) -> pd.DataFrame:
    """One chunk's scores: the same pure transforms a discover batch goes through."""
    posts = with_collab_kind(posts.assign(collab_kind=pd.NA))
    return score_creators(profiles, posts, now=now, tier_scheme=get_scheme(tier_scheme),
                          person_threshold=person_threshold, authenticity=context)


def _rescore_platform(warehouse: Warehouse, flow_run_id: str, platform: str, params: dict[str, Any],
                      chunk_size: int) -> dict[str, Any]:
    """One platform's run: open (or continue) it, score every unscored creator chunk by chunk."""
    started_at = utcnow()
    state, _ = warehouse.open_run(
        f"{flow_run_id}:{platform}",
        {"flow": "rescore", "platform": platform, "params": params, "started_at": started_at,
         "finished_at": None, "status": RunStatus.RUNNING},
        fingerprint("rescore", {"platform": platform, **params}),
    )
    context = AuthenticityContext(**warehouse.scoring_inputs(platform, state.started_at))
    total = warehouse.unscored(platform, state.run_id)
    meter = ProgressMeter(f"rescore {platform}", [len(chunk) for chunk in in_batches(range(total), chunk_size)],
                          get_run_logger().info)
    empty = {"profiles": profiles_frame([], state.started_at), "posts": posts_frame([], state.started_at),
             "errors": errors_frame([])}
    try:
        while True:
            raise_if_interrupted()
            profiles, posts = warehouse.next_chunk(platform, state.run_id, chunk_size)
            if profiles.empty:
                break
            scores = score_chunk(quote(profiles), quote(posts), state.started_at, params["tier_scheme"],
                                 params["person_threshold"], quote(context))
            del profiles, posts  # the chunk's inputs are not needed past its scores
            warehouse.append_scores(state.run_id, {**empty, "scores": scores})
            meter.batch_done(len(scores))
        warehouse.finish_run(state.run_id, RunStatus.COMPLETED)
    except BaseException:
        warehouse.finish_run(state.run_id, RunStatus.FAILED)
        raise
    return {"platform": platform, "run_id": state.run_id, "resumed": state.resumed, "creators": meter.creators}


def check_rescore(warehouse: Warehouse, platforms: list[str] | None, tier_scheme: str,
                  person_threshold: float, chunk_size: int) -> list[str]:
    """The platforms to rescore (default: every stored one), or InvalidInput naming what is wrong;
    the CLI asks before starting the flow, the flow again for a deployment's parameters."""
    get_scheme(tier_scheme)
    if not 0.0 <= person_threshold <= 1.0:
        raise InvalidInput(f"--threshold must be between 0 and 1, got {person_threshold}.")
    if not 1 <= chunk_size <= MAX_CHUNK:
        raise InvalidInput(f"--chunk must be between 1 and {MAX_CHUNK:,}, got {chunk_size}.")
    stored = warehouse.stored_platforms()
    unknown = sorted(set(platforms or ()) - set(stored))
    if unknown:
        raise InvalidInput(f"no creators of {', '.join(unknown)} in {warehouse.path} "
                           f"(stored: {', '.join(stored) or 'none'}).")
    return list(platforms or stored)


@flow(name="rescore", task_runner=ThreadPoolTaskRunner(max_workers=1))
def rescore(
    db_path: str = "data/scout.duckdb",
    platforms: list[str] | None = None,
    tier_scheme: str = "default",
    person_threshold: float = 0.5,
    chunk_size: int = DEFAULT_CHUNK,
) -> dict[str, Any]:
    """Score every stored creator again (``platforms``: only those), ``chunk_size`` at a time."""
    config = Settings.from_env(InvalidInput)
    warehouse = Warehouse(Path(db_path), config)
    platforms = check_rescore(warehouse, platforms, tier_scheme, person_threshold, chunk_size)
    params = {"tier_scheme": tier_scheme, "person_threshold": person_threshold, **SCORE_VERSIONS}
    flow_run_id = str(flow_run.get_id() or f"local-{utcnow().timestamp()}")
    with remembered_interrupts():
        runs = [_rescore_platform(warehouse, flow_run_id, platform, params, chunk_size)
                for platform in platforms]
        raise_if_interrupted()
        changed = warehouse.rescore_latest(rescore_ad_network, recent=RECENT_POSTS) if runs else 0
    get_run_logger().info("ad-network pass changed %d scores", changed)
    return {"runs": runs, "creators": sum(r["creators"] for r in runs), "ad_network_changed": changed}
