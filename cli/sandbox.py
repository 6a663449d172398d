"""``scout sandbox`` and ``scout demo``: the offline twin, alone or driving the whole pipeline."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.candidates import render_candidates, say_held_back
from cli.console import clear_errors, console, fail, quiet_prefect
from cli.discover import print_summary, run_discover
from cli.match import brief_from_options, render_matches
from cli.options import DEFAULT_DB, DbOption, FacesOption, ensure_db_writable, settings
from cli.progress import showing_progress
from core.errors import InputError

if TYPE_CHECKING:
    from core.settings import Settings

DEMO_SEED = 42


DEMO_CREATORS = 1000


DEMO_LIMIT_PER_PLATFORM = 150


DEMO_POSTS_PER_CREATOR = 30


DEMO_RATE_LIMIT, DEMO_RATE_WINDOW = 600, 10.0  # the demo sandbox's requests per window (seconds)


DEMO_PLATFORMS = ("bluesky", "mastodon")  # the open APIs: searchable without credentials


DEMO_QUERIES = ["baking", "vegan", "fitness", "travel", "books", "gaming", "photography", "gardening",
                "fashion", "music", "tech", "beauty", "parenting", "pets"]


DaysElapsedOption = Annotated[int, typer.Option(
    min=0, max=3650, help="Move the sandbox's clock on by N days: follower counts grow along each "
                          "creator's curve (bought followers arrive on their day).")]


def check_fault_options(faults: list[str] | tuple[str, ...], rate: float, drift_share: float,
                        stall: float, seed: int) -> None:
    """Bad ``--faults`` options are bad input (exit 2), checked by the sandbox's own fault plan
    before a server starts; a ValueError from anywhere else stays a bug."""
    from sandbox.faults import FaultPlan, parse_families

    try:
        FaultPlan(parse_families(faults), rate, drift_share, seed, stall)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def sandbox(
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port on 127.0.0.1 (0 = any free port).")] = 8765,
    creators: Annotated[int, typer.Option(min=50, max=100_000, help="Size of the generated universe.")] = 300,
    seed: Annotated[int, typer.Option(help="Seed of the generated universe.")] = DEMO_SEED,
    rate_limit: Annotated[int, typer.Option(min=1, help="Requests allowed per window, per platform.")] = 600,
    rate_window: Annotated[float, typer.Option(min=0.1, help="Rate window in seconds.")] = 10.0,
    faults: Annotated[list[str] | None, typer.Option(
        "--faults", help="Inject faults: transient, drift, or both (repeat or comma-separate).",
    )] = None,
    fault_rate: Annotated[float, typer.Option(
        help="Share of requests that fail transiently (0 <= R < 1).")] = 0.1,
    drift_share: Annotated[float, typer.Option(
        help="Share of creators served with a changed layout for good (0 <= D < 1).")] = 0.1,
    fault_stall: Annotated[float, typer.Option(
        help="Seconds a read-timeout fault holds its answer; clients give up after their read "
             "timeout (20 s, SCOUT_READ_TIMEOUT).")] = 30.0,
    days_elapsed: DaysElapsedOption = 0,
) -> None:
    """Serve the offline twin of Bluesky, Mastodon, Instagram and YouTube on 127.0.0.1."""
    from sandbox import SandboxServer

    with clear_errors():
        check_fault_options(faults or (), fault_rate, drift_share, fault_stall, seed)
    try:
        server = SandboxServer(creators=creators, seed=seed, port=port,
                               rate_limit=rate_limit, rate_window=rate_window,
                               faults=faults or (), fault_rate=fault_rate,
                               drift_share=drift_share, fault_stall=fault_stall,
                               days_elapsed=days_elapsed)
    except OSError as exc:
        raise fail(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    if server.faults is not None:
        plan = server.faults.plan
        console.print(f"faults: {', '.join(sorted(plan.families))} (fault rate {plan.rate:g}, "
                      f"drift share {plan.drift_share:g}, seed {plan.seed}); "
                      f"{len(server.drifted())} drifted creators at {server.base_url}/_sandbox/drift\n"
                      f"  read-timeout faults stall {plan.stall:g}s: run clients with "
                      f"SCOUT_READ_TIMEOUT={min(2.0, plan.stall / 2):g} to see them fail fast")
    console.print(
        f"sandbox with {creators} creators (seed {seed}, {days_elapsed} days elapsed) on "
        f"[bold]{server.base_url}[/]\n"
        f"  scout discover -p bluesky --instance {server.base_url} -q baking\n"
        f"  scout discover -p mastodon --instance {server.base_url} -q baking\n"
        "Ctrl-C to stop."
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.stop()


def demo_discover(base_url: str, db: Path, platform: str, *, limit: int = DEMO_LIMIT_PER_PLATFORM,
                  faces: bool = False) -> dict:
    """One of the demo's discovers (its queries, posts and rate) against a sandbox at ``base_url``;
    shared with bench/eval_authenticity.py so the evaluation measures what the demo shows."""
    return run_discover(
        platform=platform, base_url=base_url, queries=DEMO_QUERIES, limit=limit,
        posts_per_creator=DEMO_POSTS_PER_CREATOR, db_path=str(db),
        rate_per_second=0.9 * DEMO_RATE_LIMIT / DEMO_RATE_WINDOW, faces=faces,
        avatar_cache=str(db.parent / "avatars"),
    )


#: The brief the demo ends with, shipped with the package (a template for your own).
DEMO_BRIEF = Path(__file__).with_name("briefs") / "demo.toml"
DEMO_MATCHES = 5


def demo_match(db: Path, config: Settings) -> None:
    """The demo's last step: its shipped brief ranked over the warehouse, the top matches shown."""
    from flows.match import rank_warehouse

    brief = brief_from_options(None, DEMO_BRIEF)
    with clear_errors():
        top = rank_warehouse(db, brief, limit=DEMO_MATCHES, config=config)
    render_matches(top, f"Top {len(top)} matches for the brief {brief.name!r} ({DEMO_BRIEF.name}): {brief.text}")


def demo(
    db: DbOption = DEFAULT_DB,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where the candidate CSV goes.")] = Path("exports/candidates.csv"),
    creators: Annotated[int, typer.Option(min=50, max=100_000, help="Sandbox universe size.")] = DEMO_CREATORS,
    limit: Annotated[int, typer.Option(min=1, help="Creators per platform.")] = DEMO_LIMIT_PER_PLATFORM,
    faces: FacesOption = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's INFO logs.")] = False,
    days_elapsed: DaysElapsedOption = 0,
) -> None:
    """Run the whole pipeline offline: sandbox -> discover (Bluesky, Mastodon) -> warehouse -> CSV."""
    from sandbox import SandboxServer

    config = settings()
    ensure_db_writable(db, config)
    quiet_prefect(verbose, config)
    started = time.perf_counter()
    with SandboxServer(creators=creators, seed=DEMO_SEED, rate_limit=DEMO_RATE_LIMIT,
                       rate_window=DEMO_RATE_WINDOW, days_elapsed=days_elapsed).start() as server:
        console.print(f"sandbox: {creators} generated creators on {server.base_url}")
        for platform in DEMO_PLATFORMS:
            step = time.perf_counter()
            with showing_progress(f"discovering on {platform}", verbose=verbose), clear_errors():
                summary = demo_discover(server.base_url, db, platform, limit=limit, faces=faces)
            print_summary(summary, time.perf_counter() - step)
        sandbox_stats = dict(server.stats)
    from warehouse.export import export_candidates
    from warehouse.queries import candidates, table_counts

    with clear_errors():
        top = candidates(db, config=config)
        export_candidates(top, output, "csv", force=True)
        counts = table_counts(db, config)
    render_candidates(top.head(15).to_dict(orient="records"), f"Top candidates ({len(top)} in all)")
    say_held_back(db, {}, config)
    console.print(
        f"warehouse {db}: " + ", ".join(f"{name} {n}" for name, n in counts.items())
        + f"\nexported {len(top)} candidates to {output}"
        + f"\nsandbox answered {sandbox_stats.get('requests', '?')} requests, "
        f"{sandbox_stats.get('rate_limited', sandbox_stats.get('429', 0))} of them 429"
        + f"\ndemo finished in {time.perf_counter() - started:.1f}s"
    )
    demo_match(db, config)
