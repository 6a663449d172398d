"""The ``discover`` flow: scrape -> store -> parse -> score -> load, batch by batch -> artifacts.

Thin orchestration only. Work is batched (one task per batch of creators, never per creator) and
only fetch tasks retry. Every DuckDB write happens here in the flow's own thread, one short
transaction at a time, so it is serialised and other processes get the file between batches:

* a run is recorded in a manifest (``runs`` + ``run_batches``) under a fingerprint of its params;
* batch 0 is discovery, batch k the k-th group of creators; each batch is first *stored* (raw
  bodies, status 'fetched') and then *loaded* (parsed, scored, loaded, status 'loaded');
* once every batch is loaded, ad_network is decided over the whole warehouse (``rescore_latest``);
* rerunning with identical params (or ``resume=True``) continues the latest unfinished run:
  loaded batches are skipped, fetched ones re-parsed from ``raw_responses``, the rest fetched.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from core.records import (
    ParseResult,
    RawResponse,
    storable,
    utcnow,
)
from core.settings import Settings
from core.text import has_surrogate
from flows.artifacts import format_counts, publish_artifacts
from flows.audience import audit_run
from flows.fetching import (
    AVATAR_BATCH_SIZE,
    FETCH_BATCH_SIZE,
    MAX_FETCH_WORKERS,
    Fetched,
    avatar_faces,
    discover_refs,
    fetch_batch,
    fetch_counts,
    fetch_errors,
    finished,
    in_batches,
    parse_batch,
    submitted_ahead,
    with_failed_attempts,
)
from flows.interrupts import raise_if_interrupted, remembered_interrupts
from flows.lineage import batch_lineage, credit_brief, ref_sources, sources_by_ref
from flows.params import validate_discover_params
from flows.progress import ProgressMeter
from scrapers.errors import InvalidInput
from scrapers.http import stop_requests
from scrapers.registry import get_platform
from transforms.authenticity import AuthenticityContext, rescore_ad_network
from transforms.authenticity.ad_network import NETWORK_POSTS
from transforms.collab import with_collab_kind
from transforms.frames import errors_frame, posts_frame, profiles_frame, raw_frame
from transforms.normalize import latest_profiles
from transforms.quarantine import drop_quarantined
from transforms.score import score_creators
from transforms.tiers import get_scheme
from warehouse.db import WarehouseError
from warehouse.manifest import BatchStatus, RunState, RunStatus, fault_point
from warehouse.tombstones import keep_refs, skip_forgotten
from warehouse.warehouse import Warehouse


@task(cache_policy=NO_CACHE)
def score(
    parsed: ParseResult,
    now: datetime,
    tier_scheme: str,
    person_threshold: float = 0.5,
    faces: list[tuple[str, str, bool | None]] | None = None,
    context: AuthenticityContext | None = None,
) -> dict[str, Any]:
    """Records -> DataFrames -> scores, all in pure transforms; a creator an error names is held
    back whole (quarantine), never loaded half-observed. ``context``: what the warehouse knows
    for the authenticity checks (``Warehouse.scoring_inputs``)."""
    profiles = latest_profiles(profiles_frame(parsed.profiles, observed_at=now))
    posts = with_collab_kind(posts_frame(parsed.posts, observed_at=now))
    profiles, posts, _ = drop_quarantined(profiles, posts, errors_frame(parsed.errors))
    face_frame = None
    if faces:
        face_frame = pd.DataFrame(faces, columns=["platform", "creator_id", "face_in_avatar"])
    scores = score_creators(profiles, posts, now=now, tier_scheme=get_scheme(tier_scheme),
                            person_threshold=person_threshold, faces=face_frame, authenticity=context)
    return {"profiles": profiles, "posts": posts, "scores": scores}


@task(cache_policy=NO_CACHE)
def save_batch(
    warehouse: Warehouse, run_id: str, batch_no: int, refs: list[str], raws: list[RawResponse] | None,
    parsed: ParseResult, counts: dict[str, Any], gone: pd.DataFrame, scoring: Scoring,
    faces: list[tuple[str, str, bool | None]] | None, run_refs: list[str] | None = None,
    sources: dict[str, list[str]] | None = None,
) -> dict[str, int]:
    """Score the batch, then its two durable steps on one connection, each its own transaction:
    store the raw bodies (skipped when ``raws`` is None: stored by an earlier attempt), then load
    the scored records. Creators erased by ``scout forget`` (``gone``) are dropped first, bodies
    that mention them included.

    ``run_refs`` (with the discovery batch) is the run's ref list, stored with its bodies and how
    each ref was found; ``sources`` (ref -> [found_by, term]) is the lineage of the batch's refs.
    """
    frames = score.fn(parsed, scoring.now, scoring.tier_scheme, scoring.person_threshold, faces, scoring.context)
    if sources:
        frames["lineage"] = batch_lineage(scoring.platform, parsed, sources, frames["profiles"], scoring.now)
    frames, kept_raws, errors, _ = skip_forgotten(scoring.platform, frames, raws or [], parsed.errors, gone)
    return warehouse.save_batch(run_id=run_id, batch_no=batch_no, refs=refs,
                                raws=None if raws is None else raw_frame(kept_raws), frames=frames,
                                errors=errors_frame(errors), counts=counts, run_refs=run_refs,
                                ref_sources=None if run_refs is None else ref_sources(run_refs))


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
        for batch in in_batches(items, AVATAR_BATCH_SIZE)
    ]
    rows: list[tuple[str, str, bool | None]] = []
    for future in futures:
        outcome = future.result(raise_on_failure=False)
        if isinstance(outcome, list):
            rows += outcome
    return rows


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
    context: AuthenticityContext = field(default_factory=AuthenticityContext)


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
    sources: dict[str, list[str]] = field(default_factory=dict)  # ref -> [found_by, term]: lineage
    reused: int = 0
    in_progress: int = 0  # the batch being completed, for what an interrupt abandons
    batches: int | None = None  # discovery included, once planned
    brief: dict[str, Any] | None = None  # the brief whose terms searched (name, queries, hashtags)

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
            kept = set(keep_refs(self.platform, found.refs, self.gone))
            refs = [ref for ref in credit_brief(found.refs, self.brief) if ref in kept and not has_surrogate(ref)]
            self.sources = sources_by_ref(refs, ref_sources(refs))
            self.process(0, [], found.raws, fetch_counts(found, creators=0), run_refs=refs)
            return refs
        self.sources = sources_by_ref(refs, self.state.ref_sources)
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
        self.batches = len(in_batches(refs, FETCH_BATCH_SIZE)) + 1
        return {n: keep_refs(self.platform, batch, self.gone)
                for n, batch in enumerate(in_batches(refs, FETCH_BATCH_SIZE), start=1)}

    def fetch(self, plan: dict[int, list[str]], posts_per_creator: int) -> Iterator[tuple[int, list[str], Any]]:
        """Each batch in order with its fetch task's future (None: stored already), submitted
        ``FETCH_AHEAD`` batches ahead (``submitted_ahead``)."""
        def submit(n: int, refs: list[str]) -> Any:
            return None if n in self.state.batches else fetch_batch.submit(
                self.platform, self.base_url, refs, posts_per_creator, self.rate_per_second)

        return submitted_ahead(plan, submit)

    def complete(self, n: int, refs: list[str], future: Any) -> None:
        """Batch ``n``: reuse what an earlier attempt stored, or store and load what was fetched."""
        raise_if_interrupted()
        self.in_progress = n
        stored = self.state.batches.get(n)
        if stored is not None:
            self.reused += 1
            if stored.status is BatchStatus.FETCHED:
                self.process(n, refs, self.warehouse.stored_raws(self.state.run_id, n), stored.counts, stored=True)
            return
        if not finished(future):
            self.warehouse.release()  # waiting for the network: the file is free meanwhile
        outcome = future.result(raise_on_failure=False)
        if isinstance(outcome, Fetched):
            raws, counts = outcome.raws, fetch_counts(outcome, creators=len(refs))
        else:  # retries exhausted: explain every creator of the batch, keep going
            get_run_logger().warning("batch %d of %d creators failed after retries: %s", n, len(refs), outcome)
            spent = with_failed_attempts({}, future.task_run_id, outcome)  # its requests still count
            raws, counts = [], fetch_counts(Fetched(stats=spent), creators=0, failed=str(outcome))
        fault_point("fetch", n, before_stop=self.warehouse.release)
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
        failures = storable(ParseResult(errors=fetch_errors(self.platform, refs, counts))).errors
        parsed.errors = failures + parsed.errors
        if self.faces:
            self.warehouse.release()  # the avatars are fetched first
        face_rows = (_faces(self.platform, parsed, self.avatar_cache, self.rate_per_second, self.base_url)
                     if self.faces else None)
        raise_if_interrupted()
        # quote(): Prefect would otherwise walk every body and record of the batch, for nothing.
        sources = {ref: self.sources[ref] for ref in refs if ref in self.sources}
        save_batch(self.warehouse, self.state.run_id, batch_no, refs, None if stored else quote(raws),
                   quote(parsed), counts, quote(self.gone), quote(self.scoring), quote(face_rows), run_refs,
                   quote(sources))

    def finish(self, status: RunStatus) -> dict[str, Any]:
        return self.warehouse.finish_run(self.state.run_id, status)


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C during a run: the batch in progress is abandoned (its transaction never commits),
    the loaded ones are kept, and a rerun with the same options continues from there."""

    def __init__(self, batch_no: int, batches: int | None) -> None:
        kept = {0: "nothing is kept", 1: "batch 0 is kept"}.get(batch_no, f"batches 0-{batch_no - 1} are kept")
        of = f" of {batches}" if batches else ""
        super().__init__(f"interrupted during batch {batch_no}{of}: {kept}, batch {batch_no} is abandoned "
                         "(nothing of it was loaded); rerun the same command to continue")


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
        "requests_per_creator": totals["requests"] / creators if creators else 0.0,  # profiles and posts
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
    audit_audience: bool = False,
    audience_sample: int = 100,
    brief: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Discover creators on one platform and load them, scored, into the warehouse, batch by batch.

    ``faces`` fetches each avatar (cached in ``avatar_cache``) and adds "face in the avatar"
    as one more signal of the account-type model. An unfinished run with the same params is
    always continued; ``resume=True`` insists on one and fails clearly when there is none.
    Then the audience of the run's candidates (``audit_audience``: of every creator it scored)
    is audited from a sample of ``audience_sample`` followers each (0: no audit). ``brief`` (name,
    queries, hashtags: the terms ``--brief-file`` derived) credits the creators those terms found
    to the brief in their lineage.
    """
    config = Settings.from_env(InvalidInput)  # once per run; never a flow parameter (it holds credentials)
    checked = validate_discover_params(**locals())
    stop_requests(False)  # an earlier run of this process may have been interrupted
    params = run_params(checked.platform, checked.base_url, checked.queries, checked.hashtags, checked.handles,
                        limit, posts_per_creator, tier_scheme, person_threshold, faces)
    platform, base_url = checked.platform, params["base_url"]
    warehouse = Warehouse(Path(db_path), config)
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
    context = AuthenticityContext(**warehouse.scoring_inputs(platform, state.started_at))
    run = BatchRun(warehouse, state, gone, Scoring(platform, state.started_at, tier_scheme, person_threshold, context),
                   base_url, rate_per_second, faces, avatar_cache, brief=brief)
    try:
        with remembered_interrupts(), warehouse.keeping_open():
            refs = run.discovery(params["queries"], params["hashtags"], params["handles"], limit)
            plan = run.plan(refs)
            meter = ProgressMeter("discover", [len(batch) for batch in plan.values()], get_run_logger().info)
            # in order: the same loads, in the same order, on every attempt
            for n, batch, future in run.fetch(plan, posts_per_creator):
                run.complete(n, batch, future)  # its bodies go once it is stored
                meter.batch_done(len(batch), reused=n in state.batches)
            raise_if_interrupted()
            warehouse.release()  # the pass below holds every stored post: not on top of the batches' buffers
            warehouse.rescore_latest(rescore_ad_network, **NETWORK_POSTS)  # the run's creators meet every other
            totals = run.finish(RunStatus.COMPLETED)
    except KeyboardInterrupt:
        stop_requests()  # fetch tasks still running end at their next request
        _mark_failed(run)
        raise RunInterrupted(run.in_progress, run.batches) from None
    except BaseException:
        _mark_failed(run)
        raise

    summary = _summary(run, flow_run_id, refs, len(plan) + 1, totals)
    audit = audit_run(warehouse, platform, base_url, state.run_id, utcnow(), everyone=checked.audit_audience,
                      sample=checked.audience_sample, rate_per_second=rate_per_second)
    summary.update(audited=audit["audited"], audit_requests=audit["requests"],
                   requests=summary["requests"] + audit["requests"], retries=summary["retries"] + audit["retries"])
    publish_artifacts(warehouse, state.run_id, platform, summary)
    print(
        f"discover {platform}: {summary['creators']} creators, {summary['posts']} posts, "
        f"{summary['requests']} requests ({summary['audit_requests']} for audience audits), "
        f"{summary['errors']} errors; {format_counts(summary)}"
    )
    return summary
