"""``scout rescore``: score every stored creator again with today's models, nothing fetched."""

from __future__ import annotations

import time
from typing import Annotated, Any

import typer

from cli.console import USAGE_ERROR, clear_errors, console, fail, quiet_prefect
from cli.options import (
    DEFAULT_DB,
    DbOption,
    ThresholdOption,
    check_platform,
    ensure_db_writable,
    settings,
    split_csv,
)
from cli.progress import showing_progress


def rescore(
    platform: Annotated[list[str] | None, typer.Option(
        "--platform", "-p", help="Only these platforms (repeatable or comma-separated; default: every stored one).")] = None,
    tier_scheme: Annotated[str, typer.Option(help="Tier scheme: default, later_fohr, hypeauditor_legacy.")] = "default",
    threshold: ThresholdOption = 0.5,
    chunk: Annotated[int, typer.Option("--chunk", help="Creators read and scored at a time (1-500,000).")] = 10_000,
    db: DbOption = DEFAULT_DB,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's INFO logs.")] = False,
) -> None:
    """Re-derive every metric, flag and verdict from the stored profiles and posts, chunk by chunk;
    new scores are appended under a new run per platform (earlier verdicts stay)."""
    with clear_errors():
        platforms = [check_platform(p) for p in split_csv(platform)] or None
        config = settings()
    if not db.exists():
        raise fail(f"no warehouse at {db}; run `scout discover` or `scout demo` first (or pass --db)", USAGE_ERROR)
    ensure_db_writable(db, config)
    from flows.rescore import check_rescore
    from flows.rescore import rescore as rescore_flow
    from warehouse.warehouse import Warehouse

    with clear_errors():
        check_rescore(Warehouse(db, config), platforms, tier_scheme, threshold, chunk)
    quiet_prefect(verbose, config)

    started = time.perf_counter()
    with showing_progress("rescoring", verbose=verbose), clear_errors():
        summary = rescore_flow(db_path=str(db), platforms=platforms, tier_scheme=tier_scheme,
                               person_threshold=threshold, chunk_size=chunk)
    print_summary(summary, time.perf_counter() - started)


def print_summary(summary: dict[str, Any], seconds: float) -> None:
    for run in summary["runs"]:
        resumed = " (continued a stopped rescore)" if run["resumed"] else ""
        console.print(f"[bold]{run['platform']}[/]: {run['creators']:,} creators rescored in run "
                      f"{run['run_id']}{resumed}", highlight=False)
    console.print(f"{summary['creators']:,} creators in {seconds:.1f}s; the ad-network pass changed "
                  f"{summary['ad_network_changed']} scores", highlight=False)
