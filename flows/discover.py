"""The ``discover`` flow: scrape -> parse -> score -> load -> artifacts.

Thin orchestration only. Work is batched (one task per batch of creators, never per creator),
only fetch tasks retry, and every DuckDB write happens in the single ``load`` task.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner

from scrapers.http import HttpClient
from scrapers.records import ParseResult, RawResponse, ScrapeError, utcnow
from scrapers.registry import get_platform
from scrapers.settings import platform_settings
from transforms.frames import errors_frame, posts_frame, profiles_frame, raw_frame
from transforms.score import score_creators
from transforms.tiers import get_scheme
from warehouse.load import load_run
from warehouse.queries import candidates, run_summary

FETCH_BATCH_SIZE = 25  # one getProfiles call on Bluesky; a sensible task size elsewhere
MAX_FETCH_WORKERS = 4
FETCH_RETRY_DELAYS = [2, 5, 15]


@dataclass
class Fetched:
    """What a fetch task hands on: raw bodies (parsed later) and the client's counters."""

    raws: list[RawResponse] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    refs: list[str] = field(default_factory=list)


def _client(platform: str, base_url: str, rate_per_second: float | None) -> HttpClient:
    settings = platform_settings(platform, base_url)
    return HttpClient(
        platform,
        rate_per_second=rate_per_second or settings.rate_per_second,
        burst=settings.burst,
    )


@task(retries=len(FETCH_RETRY_DELAYS), retry_delay_seconds=FETCH_RETRY_DELAYS, cache_policy=NO_CACHE)
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
    with _client(platform, base_url, rate_per_second) as http:
        refs = get_platform(platform).discover(
            http, base_url, queries=queries, hashtags=hashtags, handles=handles, limit=limit
        )
        return Fetched(raws=http.raw_responses, stats=dict(http.stats), refs=refs)


@task(retries=len(FETCH_RETRY_DELAYS), retry_delay_seconds=FETCH_RETRY_DELAYS, cache_policy=NO_CACHE)
def fetch_batch(
    platform: str,
    base_url: str,
    refs: list[str],
    posts_per_creator: int,
    rate_per_second: float | None,
) -> Fetched:
    """Profiles and recent posts for one batch of creators (raw bodies only, no parsing)."""
    with _client(platform, base_url, rate_per_second) as http:
        get_platform(platform).fetch_creators(
            http, base_url, refs, posts_per_creator=posts_per_creator
        )
        return Fetched(raws=http.raw_responses, stats=dict(http.stats), refs=refs)


@task(cache_policy=NO_CACHE)
def parse_batch(platform: str, raws: list[RawResponse]) -> ParseResult:
    """Raw bodies -> canonical records; a body that does not parse becomes a ScrapeError."""
    parse = get_platform(platform).parse
    result = ParseResult()
    for raw in raws:
        result.extend(parse(raw))
    return result


@task(cache_policy=NO_CACHE)
def score(
    parsed: ParseResult, now: datetime, tier_scheme: str, person_threshold: float = 0.5
) -> dict[str, Any]:
    """Records -> DataFrames -> scores, all in pure transforms."""
    profiles = profiles_frame(parsed.profiles, observed_at=now)
    posts = posts_frame(parsed.posts, observed_at=now)
    scores = score_creators(profiles, posts, now=now, tier_scheme=get_scheme(tier_scheme),
                            person_threshold=person_threshold)
    return {"profiles": profiles, "posts": posts, "scores": scores}


@task(cache_policy=NO_CACHE)
def load(
    db_path: str,
    run_id: str,
    frames: dict[str, Any],
    raws: list[RawResponse],
    errors: list[ScrapeError],
    run: dict[str, Any],
) -> dict[str, int]:
    """The single writer: one transaction for the whole run."""
    return load_run(
        db_path,
        run_id=run_id,
        profiles=frames["profiles"],
        posts=frames["posts"],
        scores=frames["scores"],
        raw_responses=raw_frame(raws),
        errors=errors_frame(errors),
        run=run,
    )


@task(cache_policy=NO_CACHE)
def publish_artifacts(db_path: str, run_id: str, platform: str, summary: dict[str, Any]) -> None:
    """A table of the top candidates and a markdown summary, visible in the Prefect UI."""
    top = candidates(db_path, platforms=[platform], limit=20)
    columns = ["handle", "display_name", "tier", "followers", "er_median", "person_probability"]
    create_table_artifact(
        key=f"top-candidates-{platform}",
        table=json.loads(top[columns].to_json(orient="records")),
        description=f"Top {platform} candidates by median engagement rate",
    )
    details = run_summary(db_path, run_id)
    lines = [
        f"# discover {platform}",
        f"- creators scored: {summary['creators']}",
        f"- posts: {summary['posts']}",
        f"- requests: {summary['requests']} ({summary['requests_per_creator']:.2f} per creator)",
        f"- retries: {summary['retries']}",
        f"- errors: {summary['errors']}",
        "",
        "| tier | creators |",
        "|---|---|",
        *[f"| {tier} | {n} |" for tier, n in details["by_tier"].items()],
        "",
        "| account type | creators |",
        "|---|---|",
        *[f"| {kind} | {n} |" for kind, n in details["by_account_type"].items()],
    ]
    reasons = details["top_error_reasons"]
    if reasons:
        lines += ["", "| error | count |", "|---|---|"]
        lines += [f"| {reason} | {n} |" for reason, n in reasons]
    create_markdown_artifact(key=f"discover-summary-{platform}", markdown="\n".join(lines))


def _batches(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


@flow(
    name="discover",
    log_prints=True,
    task_runner=ThreadPoolTaskRunner(max_workers=MAX_FETCH_WORKERS),
)
def discover(
    platform: str,
    base_url: str | None = None,
    queries: list[str] | None = None,
    hashtags: list[str] | None = None,
    handles: list[str] | None = None,
    limit: int = 100,
    posts_per_creator: int = 30,
    db_path: str = "data/scout.duckdb",
    tier_scheme: str = "default",
    rate_per_second: float | None = None,
    person_threshold: float = 0.5,
) -> dict[str, Any]:
    """Discover creators on one platform and load them, scored, into the warehouse."""
    logger = get_run_logger()
    started = utcnow()
    run_id = str(flow_run.get_id() or f"local-{started.timestamp()}")
    base_url = platform_settings(platform, base_url).base_url
    queries, hashtags, handles = queries or [], hashtags or [], handles or []

    found = discover_refs(platform, base_url, queries, hashtags, handles, limit, rate_per_second)
    futures = [
        fetch_batch.submit(platform, base_url, batch, posts_per_creator, rate_per_second)
        for batch in _batches(found.refs, FETCH_BATCH_SIZE)
    ]
    fetched: list[Fetched] = [found]
    errors: list[ScrapeError] = []
    for future, batch in zip(futures, _batches(found.refs, FETCH_BATCH_SIZE)):
        outcome = future.result(raise_on_failure=False)
        if isinstance(outcome, Fetched):
            fetched.append(outcome)
        else:  # retries exhausted: explain every creator of the batch, keep going
            reason = str(outcome)
            logger.warning("batch of %d failed after retries: %s", len(batch), reason)
            errors += [ScrapeError(platform, ref, None, None, f"fetch failed: {reason}") for ref in batch]

    raws = [raw for f in fetched for raw in f.raws]
    parsed = parse_batch(platform, raws)
    parsed.errors = errors + parsed.errors
    now = utcnow()
    frames = score(parsed, now, tier_scheme, person_threshold)

    creators = len(frames["scores"])
    requests_made = sum(f.stats.get("requests", 0) for f in fetched)
    summary: dict[str, Any] = {
        "run_id": run_id,
        "platform": platform,
        "refs": len(found.refs),
        "creators": creators,
        "posts": len(frames["posts"]),
        "requests": requests_made,
        "requests_per_creator": requests_made / creators if creators else 0.0,
        "retries": sum(f.stats.get("retries", 0) for f in fetched),
        "errors": len(parsed.errors),
    }
    params = {
        "platform": platform, "base_url": base_url, "queries": queries, "hashtags": hashtags,
        "handles": handles, "limit": limit, "posts_per_creator": posts_per_creator,
        "tier_scheme": tier_scheme, "person_threshold": person_threshold,
    }
    run = {"flow": "discover", "platform": platform, "params": params, "started_at": started,
           "finished_at": utcnow(), "status": "completed"}
    summary["loaded"] = load(str(Path(db_path)), run_id, frames, raws, parsed.errors, run)
    publish_artifacts(str(Path(db_path)), run_id, platform, summary)
    print(
        f"discover {platform}: {creators} creators, {summary['posts']} posts, "
        f"{requests_made} requests, {summary['errors']} errors"
    )
    return summary
