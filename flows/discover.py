"""The ``discover`` flow: scrape -> store -> parse -> score -> load, batch by batch -> artifacts.

Thin orchestration only. Work is batched (one task per batch of creators, never per creator) and
only fetch tasks retry. Every DuckDB write happens here in the flow's own thread, one short
transaction at a time, so it is serialised and other processes get the file between batches:

* a run is recorded in a manifest (``runs`` + ``run_batches``) under a fingerprint of its params;
* batch 0 is discovery, batch k the k-th group of creators; each batch is first *stored* (raw
  bodies, status 'fetched') and then *loaded* (parsed, scored, loaded, status 'loaded');
* rerunning with identical params (or ``resume=True``) continues the latest unfinished run:
  loaded batches are skipped, fetched ones re-parsed from ``raw_responses``, the rest fetched.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run, task_run
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from core.records import (
    ParseResult,
    RawResponse,
    ScrapeError,
    storable,
    storable_raw,
    utcnow,
)
from core.settings import Settings
from core.text import has_surrogate
from flows.markdown import md_cell
from flows.params import validate_discover_params
from scrapers.avatars import fetch_avatars
from scrapers.errors import FetchFailed, InvalidInput, QuotaExhausted
from scrapers.http import HttpClient
from scrapers.registry import get_platform
from transforms.faces import detect_faces
from transforms.frames import errors_frame, posts_frame, profiles_frame, raw_frame
from transforms.quarantine import drop_quarantined
from transforms.score import score_creators
from transforms.tiers import get_scheme
from warehouse.db import WarehouseError
from warehouse.load import load_run
from warehouse.manifest import BatchStatus, RunState, RunStatus, fault_point
from warehouse.queries import candidates, run_summary
from warehouse.tombstones import keep_refs, skip_forgotten
from warehouse.warehouse import Warehouse

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
    failed: dict[str, str] = field(default_factory=dict)  # refs whose own fetch kept failing: why


# The counters of fetch attempts that raised, by task run: Prefect's retries start a new client,
# and the requests and retries a failed attempt made must still be counted.
_FAILED_ATTEMPTS: dict[str, Counter[str]] = {}
_FAILED_LOCK = threading.Lock()


def _keep_failed_attempt(stats: dict[str, int]) -> None:
    with _FAILED_LOCK:
        _FAILED_ATTEMPTS.setdefault(str(task_run.get_id()), Counter()).update(stats)


def _with_failed_attempts(stats: dict[str, int], task_run_id: Any = None) -> dict[str, int]:
    """``stats`` plus the counters of the task run's earlier attempts that raised."""
    with _FAILED_LOCK:
        total = _FAILED_ATTEMPTS.pop(str(task_run_id or task_run.get_id()), Counter())
    total.update(stats)
    return dict(total)


def _client(platform: str, base_url: str, rate_per_second: float | None) -> HttpClient:
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

    A creator whose own request keeps failing is held back alone (``failed``) and the rest of
    the batch is fetched without refetching those already done. The batch fails (and the task
    retries) only when a request for several creators fails, or nothing has answered at all.
    A spent daily quota ends the batch but keeps what was fetched before it.
    """
    fetch = get_platform(platform).fetch_creators
    todo, failed, stopped = list(refs), {}, None
    with _client(platform, base_url, rate_per_second) as http:
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
                    _keep_failed_attempt(http.stats)  # the host, not one creator: retry the task
                    raise
                failed[ref] = str(exc)
                done = {owner.get(raw.request_key) for raw in http.raw_responses[start:]}
                todo = [r for r in todo if r != ref and r not in done]
        return Fetched(raws=http.raw_responses, stats=_with_failed_attempts(http.stats), refs=refs,
                       stopped=stopped, failed=failed)


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
    with _client(platform, "", rate_per_second) as http:
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


@task(cache_policy=NO_CACHE)
def score(
    parsed: ParseResult,
    now: datetime,
    tier_scheme: str,
    person_threshold: float = 0.5,
    faces: list[tuple[str, str, bool | None]] | None = None,
) -> dict[str, Any]:
    """Records -> DataFrames -> scores, all in pure transforms; a creator an error names is held
    back whole (quarantine), never loaded half-observed."""
    profiles = profiles_frame(parsed.profiles, observed_at=now)
    posts = posts_frame(parsed.posts, observed_at=now)
    profiles, posts, _ = drop_quarantined(profiles, posts, errors_frame(parsed.errors))
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


def _fetch_counts(fetched: Fetched, creators: int, failed: str | None = None) -> dict[str, Any]:
    """What a batch's fetch did, stored with it so a re-parse can rebuild its fetch errors."""
    return {
        "requests": fetched.stats.get("requests", 0), "retries": fetched.stats.get("retries", 0),
        "fetched": 0 if failed else creators - len(fetched.failed), "stopped": fetched.stopped,
        "failed": failed, "failed_refs": fetched.failed,
    }


def _fetch_errors(platform: str, refs: list[str], counts: dict[str, Any]) -> list[ScrapeError]:
    """A spent quota is one error; a batch that kept failing explains every creator in it, and a
    creator that kept failing alone is explained alone (which quarantines it)."""
    if counts.get("failed"):
        return [ScrapeError(platform, ref, None, None, f"fetch failed: {counts['failed']}") for ref in refs]
    errors = [ScrapeError(platform, ref, None, None, f"fetch failed: {why}")
              for ref, why in (counts.get("failed_refs") or {}).items()]
    if counts.get("stopped"):
        errors.append(ScrapeError(platform, None, None, None, counts["stopped"]))
    return errors


@task(cache_policy=NO_CACHE)
def save_batch(
    warehouse: Warehouse, run_id: str, batch_no: int, refs: list[str], raws: list[RawResponse] | None,
    parsed: ParseResult, counts: dict[str, Any], gone: pd.DataFrame, scoring: Scoring,
    faces: list[tuple[str, str, bool | None]] | None, run_refs: list[str] | None = None,
) -> dict[str, int]:
    """Score the batch, then its two durable steps on one connection, each its own transaction:
    store the raw bodies (skipped when ``raws`` is None: stored by an earlier attempt), then load
    the scored records. Creators erased by ``scout forget`` (``gone``) are dropped first, bodies
    that mention them included.

    ``run_refs`` (with the discovery batch) is the run's ref list, stored with its bodies.
    """
    frames = score.fn(parsed, scoring.now, scoring.tier_scheme, scoring.person_threshold, faces)
    frames, kept_raws, errors, _ = skip_forgotten(scoring.platform, frames, raws or [], parsed.errors, gone)
    return warehouse.save_batch(run_id=run_id, batch_no=batch_no, refs=refs,
                                raws=None if raws is None else raw_frame(kept_raws), frames=frames,
                                errors=errors_frame(errors), counts=counts, run_refs=run_refs)


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
        f"# discover {md_cell(platform)}",
        f"- creators scored: {summary['creators']}",
        f"- posts: {summary['posts']}",
        f"- requests: {summary['requests']} ({summary['requests_per_creator']:.2f} per creator)",
        f"- retries: {summary['retries']}",
        f"- errors: {summary['errors']}",
        "- " + format_counts(summary),
        "",
        "| tier | creators |",
        "|---|---|",
        *[f"| {md_cell(tier)} | {n} |" for tier, n in details["by_tier"].items()],
        "",
        "| account type | creators |",
        "|---|---|",
        *[f"| {md_cell(kind)} | {n} |" for kind, n in details["by_account_type"].items()],
    ]
    reasons = details["top_error_reasons"]
    if reasons:
        lines += ["", "| error | count |", "|---|---|"]
        lines += [f"| {md_cell(reason)} | {n} |" for reason, n in reasons]
    create_markdown_artifact(key=f"discover-summary-{platform}", markdown="\n".join(lines))


def _batches(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _faces(
    platform: str, parsed: ParseResult, cache_dir: str, rate_per_second: float | None,
    base_url: str | None = None,
) -> list[tuple[str, str, bool | None]]:
    """Avatar face detection in batches; a batch that keeps failing just has no face signal."""
    latest = {(p.platform, p.creator_id): p.avatar_url for p in parsed.profiles}
    items = [(key, url) for key, url in latest.items() if url]
    futures = [
        avatar_faces.submit(platform, [k for k, _ in batch], [u for _, u in batch], cache_dir,
                            rate_per_second, base_url)
        for batch in _batches(items, AVATAR_BATCH_SIZE)
    ]
    rows: list[tuple[str, str, bool | None]] = []
    for future in futures:
        outcome = future.result(raise_on_failure=False)
        if isinstance(outcome, list):
            rows += outcome
    return rows


def format_counts(summary: dict[str, Any]) -> str:
    """The run counts in one line, the same in the CLI output and the Prefect artifact."""
    counts = summary["counts"]
    line = ", ".join(f"{key} {counts[key]}" for key in ("fetched", "loaded", "retried", "quarantined", "errors"))
    return f"{line}; batches {summary['batches']} ({summary['batches_reused']} reused from an earlier attempt)"


def run_params(
    platform: str, base_url: str | None, queries: list[str] | None, hashtags: list[str] | None,
    handles: list[str] | None, limit: int, posts_per_creator: int, tier_scheme: str,
    person_threshold: float, faces: bool,
) -> dict[str, Any]:
    """The params that define a discover run (stored with it and fingerprinted; rate and paths
    are not among them: they change how fast, not what)."""
    return {
        "platform": platform, "base_url": get_platform(platform).settings(base_url).base_url,
        "queries": queries or [], "hashtags": hashtags or [], "handles": handles or [], "limit": limit,
        "posts_per_creator": posts_per_creator, "tier_scheme": tier_scheme,
        "person_threshold": person_threshold, "faces": faces,
    }


def fingerprint(flow_name: str, params: dict[str, Any]) -> str:
    """Same flow and params -> same fingerprint: what makes a rerun continue an unfinished run."""
    text = json.dumps({"flow": flow_name, **params}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Scoring:
    """How every batch of a run is scored: one clock (the run's start, kept across resumes)."""

    platform: str
    now: datetime
    tier_scheme: str
    person_threshold: float


@dataclass
class BatchRun:
    """One discover run's batches: each parsed, scored, stored and loaded in order, the same
    loads in the same order on every attempt; batches an earlier attempt stored are reused."""

    warehouse: Warehouse
    state: RunState
    gone: pd.DataFrame  # creators erased by `scout forget`, as of the run's (re)start
    scoring: Scoring
    base_url: str
    rate_per_second: float | None
    faces: bool
    avatar_cache: str
    # Profiles and posts found in discovery listings, loaded with their creator's own batch.
    discovered: ParseResult = field(default_factory=ParseResult)
    reused: int = 0

    @property
    def platform(self) -> str:
        return self.scoring.platform

    def discovery(self, queries: list[str], hashtags: list[str], handles: list[str], limit: int) -> list[str]:
        """Batch 0: the run's refs, discovered now or reused from the stored discovery batch."""
        stored, refs = self.state.batches.get(0), self.state.refs
        if stored is None or refs is None:
            found = discover_refs(self.platform, self.base_url, queries, hashtags, handles, limit,
                                  self.rate_per_second)
            fault_point("fetch", 0)
            # a ref no URL or row can hold (a lone surrogate): its listing entry is already an error
            refs = [ref for ref in keep_refs(self.platform, found.refs, self.gone) if not has_surrogate(ref)]
            self.process(0, [], found.raws, _fetch_counts(found, creators=0), run_refs=refs)
            return refs
        self.reused += 1
        raws = self.warehouse.stored_raws(self.state.run_id, 0)
        if stored.status is BatchStatus.FETCHED:
            self.process(0, [], raws, stored.counts, stored=True)
        else:
            self.discovered.extend(parse_batch(self.platform, raws))
            self.discovered.errors = []
        return refs

    def plan(self, refs: list[str]) -> dict[int, list[str]]:
        """Batch number -> its refs. Batches keep their stored shape; a creator forgotten since
        then is just not fetched."""
        return {n: keep_refs(self.platform, batch, self.gone)
                for n, batch in enumerate(_batches(refs, FETCH_BATCH_SIZE), start=1)}

    def fetch(self, plan: dict[int, list[str]], posts_per_creator: int) -> dict[int, Any]:
        """Fan out a fetch task for every batch not stored yet."""
        return {n: fetch_batch.submit(self.platform, self.base_url, batch, posts_per_creator, self.rate_per_second)
                for n, batch in plan.items() if n not in self.state.batches}

    def complete(self, n: int, refs: list[str], future: Any) -> None:
        """Batch ``n``: reuse what an earlier attempt stored, or store and load what was fetched."""
        stored = self.state.batches.get(n)
        if stored is not None:
            self.reused += 1
            if stored.status is BatchStatus.FETCHED:
                self.process(n, refs, self.warehouse.stored_raws(self.state.run_id, n), stored.counts, stored=True)
            return
        outcome = future.result(raise_on_failure=False)
        if isinstance(outcome, Fetched):
            raws, counts = outcome.raws, _fetch_counts(outcome, creators=len(refs))
        else:  # retries exhausted: explain every creator of the batch, keep going
            get_run_logger().warning("batch %d of %d creators failed after retries: %s", n, len(refs), outcome)
            spent = _with_failed_attempts({}, future.task_run_id)  # its requests still count
            raws, counts = [], _fetch_counts(Fetched(stats=spent), creators=0, failed=str(outcome))
        fault_point("fetch", n)
        self.process(n, refs, raws, counts)

    def process(
        self, batch_no: int, refs: list[str], raws: list[RawResponse], counts: dict[str, Any], *,
        stored: bool = False, run_refs: list[str] | None = None,
    ) -> None:
        """Parse (pure, in memory), then store and load in one task; ``stored``: bodies already are."""
        parsed = parse_batch(self.platform, raws)
        if batch_no == 0:
            self.discovered.extend(ParseResult(profiles=parsed.profiles, posts=parsed.posts))
            parsed = ParseResult(errors=parsed.errors)
        else:
            parsed.extend(self.discovered.for_creators(refs))
        fetch_errors = storable(ParseResult(errors=_fetch_errors(self.platform, refs, counts))).errors
        parsed.errors = fetch_errors + parsed.errors
        face_rows = (_faces(self.platform, parsed, self.avatar_cache, self.rate_per_second, self.base_url)
                     if self.faces else None)
        # quote(): Prefect would otherwise walk every body and record of the batch, for nothing.
        save_batch(self.warehouse, self.state.run_id, batch_no, refs, None if stored else quote(raws),
                   quote(parsed), counts, quote(self.gone), self.scoring, quote(face_rows), run_refs)

    def finish(self, status: RunStatus) -> dict[str, Any]:
        return self.warehouse.finish_run(self.state.run_id, status)


def _mark_failed(run: BatchRun) -> None:
    """A failed run stays resumable; if even marking it fails, the cause that got here matters more."""
    try:
        run.finish(RunStatus.FAILED)
    except WarehouseError as exc:
        get_run_logger().warning("could not mark run %s failed: %s", run.state.run_id, exc)


def _summary(run: BatchRun, flow_run_id: str, refs: list[str], batches: int, totals: dict[str, Any]) -> dict[str, Any]:
    creators = totals["creators"]
    return {
        "run_id": run.state.run_id,
        "flow_run_id": flow_run_id,
        "platform": run.platform,
        "refs": len(refs),
        "creators": creators,
        "posts": totals["posts"],
        "requests": totals["requests"],
        "requests_per_creator": totals["requests"] / creators if creators else 0.0,
        "retries": totals["retried"],
        "errors": totals["errors"],
        "loaded": totals["load"],
        "counts": {key: totals[key] for key in ("fetched", "loaded", "retried", "quarantined", "errors")},
        "resumed": run.state.resumed,
        "batches": batches,
        "batches_reused": run.reused,
    }


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
    resume: bool = False,
) -> dict[str, Any]:
    """Discover creators on one platform and load them, scored, into the warehouse, batch by batch.

    ``faces`` fetches each avatar (cached in ``avatar_cache``) and adds "face in the avatar"
    as one more signal of the account-type model. An unfinished run with the same params is
    always continued; ``resume=True`` insists on one and fails clearly when there is none.
    """
    checked = validate_discover_params(**locals())
    params = run_params(checked.platform, checked.base_url, checked.queries, checked.hashtags, checked.handles,
                        limit, posts_per_creator, tier_scheme, person_threshold, faces)
    platform, base_url = checked.platform, params["base_url"]
    warehouse = Warehouse(Path(db_path))
    started = utcnow()
    flow_run_id = str(flow_run.get_id() or f"local-{started.timestamp()}")
    state, gone = warehouse.open_run(
        flow_run_id,
        {"flow": "discover", "platform": platform, "params": params, "started_at": started,
         "finished_at": None, "status": RunStatus.RUNNING},
        fingerprint("discover", params), resume_only=resume,
    )
    if state.resumed:
        get_run_logger().warning("resuming run %s: %d batch(es) already stored", state.run_id, len(state.batches))
    run = BatchRun(warehouse, state, gone, Scoring(platform, state.started_at, tier_scheme, person_threshold),
                   base_url, rate_per_second, faces, avatar_cache)
    try:
        refs = run.discovery(params["queries"], params["hashtags"], params["handles"], limit)
        plan = run.plan(refs)
        futures = run.fetch(plan, posts_per_creator)
        for n, batch in plan.items():  # in order: the same loads, in the same order, on every attempt
            run.complete(n, batch, futures.get(n))
        totals = run.finish(RunStatus.COMPLETED)
    except BaseException:
        _mark_failed(run)
        raise

    summary = _summary(run, flow_run_id, refs, len(plan) + 1, totals)
    publish_artifacts(str(warehouse.path), state.run_id, platform, summary)
    print(
        f"discover {platform}: {summary['creators']} creators, {summary['posts']} posts, "
        f"{summary['requests']} requests, {summary['errors']} errors; {format_counts(summary)}"
    )
    return summary
