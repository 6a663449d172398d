"""``scout discover``: run the discover flow for one platform and print what it did."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.console import USAGE_ERROR, clear_errors, console, fail, quiet_prefect
from cli.match import brief_search
from cli.options import (
    DEFAULT_DB,
    AvatarCacheOption,
    DbOption,
    FacesOption,
    ThresholdOption,
    ensure_db_writable,
    settings,
    split_csv,
)
from cli.progress import showing_progress
from flows.params import validate_discover_params
from flows.runners import check_cluster, check_task_runner
from scrapers.registry import PLATFORM_NAMES

if TYPE_CHECKING:
    from core.settings import Settings


def run_discover(task_runner: str = "thread", dask_address: str | None = None, **params: Any) -> dict[str, Any]:
    """The discover flow, its tasks on ``task_runner`` (threads, or Dask: see flows/runners.py)."""
    from flows.discover import discover
    from flows.runners import one_api_for_workers, with_task_runner

    run = with_task_runner(discover, task_runner, dask_address)
    with one_api_for_workers(task_runner):
        return run(**params)


def discover(
    platform: Annotated[str | None, typer.Option(
        "--platform", "-p", help=f"One of: {', '.join(PLATFORM_NAMES)} (with --brief-file: the brief's one platform "
                                 "when it names one).")] = None,
    instance: Annotated[
        str | None,
        typer.Option("--instance", "--base-url", help="Instance or API base URL (default: the public one)."),
    ] = None,
    query: Annotated[list[str] | None, typer.Option("--query", "-q", help="Search words; repeatable.")] = None,
    hashtag: Annotated[list[str] | None, typer.Option("--hashtag", help="Hashtag without #; repeatable.")] = None,
    handle: Annotated[list[str] | None, typer.Option("--handle", help="Seed handle; repeatable or comma-separated.")] = None,
    limit: Annotated[int, typer.Option(help="Most creators to fetch (1-100,000).")] = 100,
    posts: Annotated[int, typer.Option("--posts", help="Recent posts per creator (0-1000).")] = 30,
    tier_scheme: Annotated[str, typer.Option(help="Tier scheme: default, later_fohr, hypeauditor_legacy.")] = "default",
    rate: Annotated[float | None, typer.Option(help="Requests per second (default: 90% of the platform budget).")] = None,
    threshold: ThresholdOption = 0.5,
    faces: FacesOption = False,
    avatar_cache: AvatarCacheOption = Path("data/avatars"),
    db: DbOption = DEFAULT_DB,
    resume: Annotated[bool, typer.Option(
        "--resume", help="Continue the unfinished run with these same options (fail if there is none). "
                         "Rerunning with the same options also continues it.")] = False,
    audit_audience: Annotated[bool, typer.Option(
        "--audit-audience", help="Audit the audience of every creator scored, not only the candidates.")] = False,
    audience_sample: Annotated[int, typer.Option(
        help="Followers sampled per audited creator (0-1,000; 0: no audit).")] = 100,
    task_runner: Annotated[str, typer.Option(
        "--task-runner", help="Where the fetch tasks run: thread (this process) or dask "
                              "(a local Dask cluster, or the one at --dask-address).")] = "thread",
    dask_address: Annotated[str | None, typer.Option(
        "--dask-address", help="Scheduler of an existing Dask cluster, tcp://HOST:PORT (with --task-runner dask).")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's INFO logs.")] = False,
    brief_file: Annotated[Path | None, typer.Option(
        "--brief-file", help="Search for a TOML brief: its words (stopwords left out) become queries and the "
                             "niches read in it hashtags, added to any -q/--hashtag; what was derived is printed.")
    ] = None,
) -> None:
    """Find creators on a platform, score them and load them into the warehouse."""
    brief = None
    if brief_file is not None:
        platform, query, hashtag, brief = brief_search(brief_file, platform, query, hashtag)
    if platform is None:
        raise fail("scout discover needs --platform (-p), or a --brief-file naming one platform", USAGE_ERROR)
    with clear_errors():
        check_task_runner(task_runner, dask_address)
        params = validate_discover_params(
            platform, instance, queries=query, hashtags=hashtag, handles=split_csv(handle),
            limit=limit, posts_per_creator=posts, tier_scheme=tier_scheme,
            person_threshold=threshold, rate_per_second=rate,
            audit_audience=audit_audience, audience_sample=audience_sample,
        )
    platform = params.platform
    config = settings()
    ensure_db_writable(db, config)
    if resume:
        check_resumable(db, config, platform, params.base_url, params.queries, params.hashtags,
                        params.handles, params.limit, params.posts_per_creator, params.tier_scheme,
                        params.person_threshold, faces)
    from scrapers.origins import check_reachable

    with clear_errors():
        check_reachable(params.base_url)
        if dask_address:
            check_cluster(dask_address)
    quiet_prefect(verbose, config)
    started = time.perf_counter()
    with showing_progress(f"discovering on {platform}", verbose=verbose), clear_errors():
        summary = run_discover(**params.as_kwargs(), db_path=str(db), faces=faces,
                               avatar_cache=str(avatar_cache), resume=resume, brief=brief,
                               task_runner=task_runner, dask_address=dask_address)
    print_summary(summary, time.perf_counter() - started)
    if summary["creators"] == 0:
        console.print(f"No creators found on {platform} for that search; nothing was loaded.")


def check_resumable(db: Path, config: Settings, platform: str, *params: Any) -> None:
    """``--resume`` with nothing to resume: say so before starting a flow."""
    from flows.discover import fingerprint, run_params
    from warehouse.manifest import nothing_to_resume
    from warehouse.warehouse import Warehouse

    with clear_errors():
        if Warehouse(db, config).unfinished_run(fingerprint("discover", run_params(platform, *params))) is None:
            raise nothing_to_resume("discover", platform)


def print_summary(summary: dict[str, Any], seconds: float) -> None:
    loaded = summary.get("loaded", {})
    console.print(
        f"[bold]{summary['platform']}[/]: {summary['creators']} creators, {summary['posts']} posts, "
        f"{summary['requests']} requests ({summary['requests_per_creator']:.2f}/creator to fetch, "
        f"{summary.get('audit_requests', 0)} for audience audits of {summary.get('audited', 0)}), "
        f"{summary['retries']} retries, {summary['errors']} errors, "
        f"{loaded.get('creators_new', 0)} new creators, in {seconds:.1f}s"
    )
    from flows.artifacts import format_counts

    resumed = f"resumed run {summary['run_id']}: " if summary["resumed"] else ""
    console.print(f"  {resumed}{format_counts(summary)}", highlight=False)
