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

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner

from scrapers.avatars import fetch_avatars
from scrapers.errors import FetchFailed, QuotaExhausted
from scrapers.http import HttpClient
from scrapers.records import ParseResult, RawResponse, ScrapeError, utcnow
from scrapers.registry import get_platform
from scrapers.settings import platform_settings
from transforms.faces import detect_faces
from transforms.frames import errors_frame, posts_frame, profiles_frame, raw_frame
from transforms.score import score_creators
from transforms.tiers import get_scheme
from warehouse.load import load_run
from warehouse.queries import candidates, run_summary

FETCH_BATCH_SIZE = 25  # one getProfiles call on Bluesky; a sensible task size elsewhere
AVATAR_BATCH_SIZE = 100
MAX_FETCH_WORKERS = 4
FETCH_RETRY_DELAYS = [2, 5, 15]


def _transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry only what may pass on its own (network, 429, 5xx), never a bad credential."""
    try:
        state.result()
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


def _client(platform: str, base_url: str, rate_per_second: float | None) -> HttpClient:
    settings = platform_settings(platform, base_url)
    return HttpClient(
        platform,
        rate_per_second=rate_per_second or settings.rate_per_second,
        burst=settings.burst,
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
    with _client(platform, base_url, rate_per_second) as http:
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

    A spent daily quota ends the batch but keeps what was fetched before it.
    """
    with _client(platform, base_url, rate_per_second) as http:
        try:
            get_platform(platform).fetch_creators(
                http, base_url, refs, posts_per_creator=posts_per_creator
            )
        except QuotaExhausted as exc:
            return Fetched(raws=http.raw_responses, stats=dict(http.stats), refs=refs, stopped=str(exc))
        return Fetched(raws=http.raw_responses, stats=dict(http.stats), refs=refs)


@fetch_task
def avatar_faces(
    platform: str, keys: list[tuple[str, str]], urls: list[str | None], cache_dir: str,
    rate_per_second: float | None,
) -> list[tuple[str, str, bool | None]]:
    """Face in the avatar for one batch of creators; images stay in the on-disk cache."""
    with _client(platform, "", rate_per_second) as http:
        images = fetch_avatars(http, urls, Path(cache_dir))
    found = detect_faces(images)
    return [(p, c, None if pd.isna(f) else bool(f)) for (p, c), f in zip(keys, found)]


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
    parsed: ParseResult,
    now: datetime,
    tier_scheme: str,
    person_threshold: float = 0.5,
    faces: list[tuple[str, str, bool | None]] | None = None,
) -> dict[str, Any]:
    """Records -> DataFrames -> scores, all in pure transforms."""
    profiles = profiles_frame(parsed.profiles, observed_at=now)
    posts = posts_frame(parsed.posts, observed_at=now)
    face_frame = None
    if faces:
        face_frame = pd.DataFrame(faces, columns=["platform", "creator_id", "face_in_avatar"])
    scores = score_creators(profiles, posts, now=now, tier_scheme=get_scheme(tier_scheme),
                            person_threshold=person_threshold, faces=face_frame)
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


def _batches(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _faces(
    platform: str, parsed: ParseResult, cache_dir: str, rate_per_second: float | None
) -> list[tuple[str, str, bool | None]]:
    """Avatar face detection in batches; a batch that keeps failing just has no face signal."""
    latest = {(p.platform, p.creator_id): p.avatar_url for p in parsed.profiles}
    items = [(key, url) for key, url in latest.items() if url]
    futures = [
        avatar_faces.submit(platform, [k for k, _ in batch], [u for _, u in batch], cache_dir,
                            rate_per_second)
        for batch in _batches(items, AVATAR_BATCH_SIZE)
    ]
    rows: list[tuple[str, str, bool | None]] = []
    for future in futures:
        outcome = future.result(raise_on_failure=False)
        if isinstance(outcome, list):
            rows += outcome
    return rows


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
    faces: bool = False,
    avatar_cache: str = "data/avatars",
) -> dict[str, Any]:
    """Discover creators on one platform and load them, scored, into the warehouse.

    ``faces`` fetches each avatar (cached in ``avatar_cache``) and adds "face in the avatar"
    as one more signal of the account-type model.
    """
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
            if outcome.stopped:
                errors.append(ScrapeError(platform, None, None, None, outcome.stopped))
        else:  # retries exhausted: explain every creator of the batch, keep going
            reason = str(outcome)
            logger.warning("batch of %d failed after retries: %s", len(batch), reason)
            errors += [ScrapeError(platform, ref, None, None, f"fetch failed: {reason}") for ref in batch]

    raws = [raw for f in fetched for raw in f.raws]
    parsed = parse_batch(platform, raws)
    parsed.errors = errors + parsed.errors
    face_rows = _faces(platform, parsed, avatar_cache, rate_per_second) if faces else None
    now = utcnow()
    frames = score(parsed, now, tier_scheme, person_threshold, face_rows)

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
        "tier_scheme": tier_scheme, "person_threshold": person_threshold, "faces": faces,
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
