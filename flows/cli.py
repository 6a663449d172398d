"""``scout``: the command line for marketers, researchers and data engineers.

Every input is validated before any work starts, so bad input costs one clear line and a
non-zero exit, never a traceback and never a half-written file. Heavy imports (Prefect) happen
inside the commands that need them, so ``scout --help`` stays fast.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from core.errors import ScoutError, WarehouseError
from core.identity import handle_key
from flows.params import (
    MAX_LIST_ROWS,
    validate_count,
    validate_discover_params,
    validate_input_file,
    validate_platform,
    validate_threshold,
    validate_tier_scheme,
)
from scrapers.registry import PLATFORMS
from scrapers.validate import validate_handle
from warehouse.db import DEFAULT_DB_PATH

app = typer.Typer(
    name="scout",
    help="creator-scout: find real nano and micro creators, with the evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Piped output (CI logs, `| less`) has no width; 80 columns would truncate every handle.
console = Console(width=None if sys.stdout.isatty() else 140)
err_console = Console(stderr=True, soft_wrap=True)  # an error is one line, never wrapped

DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="SCOUT_DB", help="DuckDB file (created if missing)."),
]
ThresholdOption = Annotated[
    float,
    typer.Option("--threshold",
                 help="Person probability needed to be a candidate; ±0.1 around it is flagged needs_review."),
]
FacesOption = Annotated[
    bool,
    typer.Option("--faces/--no-faces", help="Fetch avatars and use 'face in the avatar' as a signal."),
]
AvatarCacheOption = Annotated[Path, typer.Option("--avatar-cache", help="Where fetched avatars are kept.")]
DEMO_SEED = 42
DEMO_CREATORS = 1000
DEMO_LIMIT_PER_PLATFORM = 150
DEMO_POSTS_PER_CREATOR = 30
DEMO_PLATFORMS = ("bluesky", "mastodon")  # the open APIs: searchable without credentials
DEMO_QUERIES = ["baking", "vegan", "fitness", "travel", "books", "gaming", "photography", "gardening",
                "fashion", "music", "tech", "beauty", "parenting", "pets"]


USAGE_ERROR = 2  # exit code of bad input, as for Click's own usage errors


def fail(message: str, code: int = 1) -> typer.Exit:
    """One red line on stderr and a non-zero exit."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    return typer.Exit(code)


_show_tracebacks = False  # set by -v: a bug then shows its traceback instead of one line


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show tracebacks of unexpected errors.")] = False,
) -> None:
    """creator-scout: find real nano and micro creators, with the evidence."""
    global _show_tracebacks
    _show_tracebacks = _show_tracebacks or verbose


@contextmanager
def clear_errors() -> Iterator[None]:
    """Our own errors (``ScoutError``) become one line and their exit code (2 for bad input);
    anything else is a bug, and says so in one line unless -v asks for the traceback."""
    try:
        yield
    except ScoutError as exc:
        raise fail(str(exc), exc.exit_code) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:
        if _show_tracebacks:
            raise
        raise fail(f"unexpected {type(exc).__name__}: {exc} (a bug; run `scout -v ...` for the "
                   "traceback and report it)") from None


def quiet_prefect(verbose: bool) -> None:
    """Prefect logs at INFO are for the UI; on a terminal, warnings are enough by default.

    Telemetry is off unless asked for: offline it only fails, loudly, in the middle of a run.
    Prefect's temporary API server is made to exit with this process, even on kill -9.
    """
    from flows.server_guard import guard_temporary_server

    global _show_tracebacks
    _show_tracebacks = _show_tracebacks or verbose
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    guard_temporary_server()


def check_platform(name: str) -> str:
    with clear_errors():
        return validate_platform(name)


def split_csv(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def ensure_db_writable(db_path: Path) -> None:
    from warehouse.db import connect

    with clear_errors(), connect(db_path):
        pass


def render_candidates(df: Any, title: str) -> None:
    table = Table(title=title, show_lines=False)
    columns = [
        ("platform", "platform"), ("handle", "handle"), ("display_name", "name"),
        ("tier", "tier"), ("followers", "followers"), ("er_median", "median ER"),
        ("posts_per_week", "posts/wk"), ("person_probability", "p(person)"),
    ]
    for key, header in columns:
        wide = key in ("handle", "display_name")
        table.add_column(header, no_wrap=True, overflow="ellipsis", max_width=28 if wide else None,
                         justify="left" if wide or key in ("platform", "tier") else "right")
    for row in df.to_dict(orient="records"):
        cells = []
        for key, _ in columns:
            value = row.get(key)
            if value is None or value != value:  # None or NaN
                cells.append("")
            elif key == "er_median":
                cells.append(f"{value:.2%}")
            elif isinstance(value, float):
                cells.append(f"{value:.2f}")
            else:
                cells.append(escape(str(value)))  # a name like "[link=…]" is text, not markup
        table.add_row(*cells)
    console.print(table)


def run_discover(**params: Any) -> dict[str, Any]:
    from flows.discover import discover

    return discover(**params)


@app.command()
def discover(
    platform: Annotated[str, typer.Option("--platform", "-p", help=f"One of: {', '.join(PLATFORMS)}.")],
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
    db: DbOption = DEFAULT_DB_PATH,
    resume: Annotated[bool, typer.Option(
        "--resume", help="Continue the unfinished run with these same options (fail if there is none). "
                         "Rerunning with the same options also continues it.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's INFO logs.")] = False,
) -> None:
    """Find creators on a platform, score them and load them into the warehouse."""
    with clear_errors():
        params = validate_discover_params(
            platform, instance, queries=query, hashtags=hashtag, handles=split_csv(handle),
            limit=limit, posts_per_creator=posts, tier_scheme=tier_scheme,
            person_threshold=threshold, rate_per_second=rate,
        )
    platform = params.platform
    ensure_db_writable(db)
    if resume:
        check_resumable(db, platform, params.base_url, params.queries, params.hashtags,
                        params.handles, params.limit, params.posts_per_creator, params.tier_scheme,
                        params.person_threshold, faces)
    quiet_prefect(verbose)
    started = time.perf_counter()
    with console.status(f"discovering on {platform}…"), clear_errors():
        summary = run_discover(**params.as_kwargs(), db_path=str(db), faces=faces,
                               avatar_cache=str(avatar_cache), resume=resume)
    print_summary(summary, time.perf_counter() - started)
    if summary["creators"] == 0:
        console.print(f"No creators found on {platform} for that search; nothing was loaded.")


def check_resumable(db: Path, platform: str, *params: Any) -> None:
    """``--resume`` with nothing to resume: say so before starting a flow."""
    from flows.discover import fingerprint, run_params
    from warehouse.manifest import nothing_to_resume
    from warehouse.warehouse import Warehouse

    with clear_errors():
        if Warehouse(db).unfinished_run(fingerprint("discover", run_params(platform, *params))) is None:
            raise nothing_to_resume("discover", platform)


def print_summary(summary: dict[str, Any], seconds: float) -> None:
    loaded = summary.get("loaded", {})
    console.print(
        f"[bold]{summary['platform']}[/]: {summary['creators']} creators, {summary['posts']} posts, "
        f"{summary['requests']} requests ({summary['requests_per_creator']:.2f}/creator), "
        f"{summary['retries']} retries, {summary['errors']} errors, "
        f"{loaded.get('creators_new', 0)} new creators, in {seconds:.1f}s"
    )
    from flows.discover import format_counts

    resumed = f"resumed run {summary['run_id']}: " if summary["resumed"] else ""
    console.print(f"  {resumed}{format_counts(summary)}", highlight=False)


def candidate_filters(platform: list[str] | None, tier: list[str] | None, min_er: float | None) -> dict[str, Any]:
    """Filters of `candidates` and `export`, checked here so a typo exits 2 before the query."""
    from warehouse.queries import CANDIDATE_TIERS

    platforms = [check_platform(p) for p in split_csv(platform)] or None
    tiers = [t.lower() for t in split_csv(tier)] or None
    unknown = [t for t in tiers or [] if t not in CANDIDATE_TIERS]
    if unknown:
        raise fail(f"unknown candidate tier {unknown[0]!r}; use {' or '.join(CANDIDATE_TIERS)}", USAGE_ERROR)
    if min_er is not None and not 0.0 <= min_er < float("inf"):
        raise fail(f"--min-er must be 0 or more, such as 0.02 for 2%, not {min_er!r}", USAGE_ERROR)
    return {"platforms": platforms, "tiers": tiers, "min_er": min_er}


PlatformFilter = Annotated[list[str] | None, typer.Option("--platform", "-p", help="Platform(s); repeatable or comma-separated.")]
TierFilter = Annotated[list[str] | None, typer.Option("--tier", help="Tier(s), e.g. nano,micro.")]
MinErFilter = Annotated[float | None, typer.Option("--min-er", help="Minimum median ER, e.g. 0.02 for 2%.")]


@app.command("candidates")
def candidates_cmd(
    platform: PlatformFilter = None,
    tier: TierFilter = None,
    min_er: MinErFilter = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
    limit: Annotated[int, typer.Option(help=f"Most rows to show (1-{MAX_LIST_ROWS:,}).")] = 50,
    db: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Show the candidate list: real people, nano and micro tiers, best engagement first."""
    if fmt not in ("table", "csv", "json"):
        raise fail(f"unknown format {fmt!r}; use table, csv or json", USAGE_ERROR)
    with clear_errors():
        validate_count(limit, "limit", 1, MAX_LIST_ROWS)
    filters = candidate_filters(platform, tier, min_er)
    from warehouse.export import to_csv
    from warehouse.queries import candidates

    with clear_errors():
        df = candidates(db, limit=limit, **filters)
    if fmt == "csv":  # piped into a file a spreadsheet will open: formulas defused as in exports
        sys.stdout.write(to_csv(df) or "")
    elif fmt == "json":
        sys.stdout.write(df.to_json(orient="records", date_format="iso", force_ascii=False) + "\n")
    elif df.empty:
        console.print("No candidates match these filters.")
    else:
        render_candidates(df, f"{len(df)} candidates")


@app.command("export")
def export_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="csv, xlsx, html or parquet (default: from the suffix).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    platform: PlatformFilter = None,
    tier: TierFilter = None,
    min_er: MinErFilter = None,
    db: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Export the candidate list for a spreadsheet, a browser or a notebook."""
    from warehouse.export import check_export_path, export_candidates
    from warehouse.queries import candidates

    try:
        output, fmt = check_export_path(output, fmt, force)
    except WarehouseError as exc:
        raise fail(str(exc), USAGE_ERROR) from None
    filters = candidate_filters(platform, tier, min_er)

    with clear_errors():
        df = candidates(db, **filters)
        path = export_candidates(df, output, fmt, force=force)
    console.print(f"wrote {len(df)} candidates to {path}")


@app.command()
def classify(
    input_path: Annotated[Path, typer.Option("--input", "-i", help="CSV with at least a 'handle' column.")],
    output_path: Annotated[Path, typer.Option("--output", "-o", help="CSV to write: the input rows plus the verdict.")],
    threshold: ThresholdOption = 0.5,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
    chunk_rows: Annotated[int, typer.Option("--chunk-rows", min=100, help="Rows per streamed chunk.")] = 50_000,
    faces: FacesOption = False,
    avatar_cache: AvatarCacheOption = Path("data/avatars"),
) -> None:
    """Person or page? Adds account_type, is_person, person_probability and evidence to each row.

    Optional input columns: platform, display_name, bio, followers, following, posts,
    sample_post, avatar_url; any other column passes through unchanged.
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from flows.classify import ClassifyError, avatar_face_column, classify_csv

    with clear_errors():
        validate_threshold(threshold)
        validate_input_file(input_path, "input CSV")
    started = time.perf_counter()
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,} rows"),
                  TimeElapsedColumn(), console=err_console, transient=True) as progress:
        bar = progress.add_task(f"classifying {input_path.name}", total=None)
        try:
            summary = classify_csv(input_path, output_path, threshold=threshold, force=force,
                                   chunk_rows=chunk_rows, on_chunk=lambda n: progress.advance(bar, n),
                                   face_column=avatar_face_column(avatar_cache) if faces else None)
        except ClassifyError as exc:
            raise fail(str(exc), USAGE_ERROR) from None
    seconds = time.perf_counter() - started
    console.print(
        f"classified {summary.rows:,} rows in {seconds:.1f}s "
        f"({summary.rows / seconds if seconds else 0:,.0f} rows/s): {summary.persons:,} people"
        + (f", {summary.empty_rows:,} empty rows left blank" if summary.empty_rows else "")
        + f" -> {output_path}"
    )


@app.command("parse")
def parse_cmd(
    file: Annotated[Path, typer.Argument(help="A saved response body or page (JSON or HTML).")],
    platform: Annotated[str, typer.Option("--platform", "-p", help=f"One of: {', '.join(PLATFORMS)}.")],
) -> None:
    """Print a saved body as canonical JSON: {"profile": {...} | null, "posts": [...]}.

    The kind of body (API response, saved page, export) is recognised from its content.
    Exit code 2 when the body is not one this platform's parsers know.
    """
    import json

    from flows.saved import SavedInputError, canonical, parse_file

    platform = check_platform(platform)
    try:
        result = parse_file(platform, file)
    except SavedInputError as exc:
        raise fail(str(exc), USAGE_ERROR) from None
    if not result.profiles and not result.posts:
        reasons = "; ".join(dict.fromkeys(e.reason for e in result.errors)) or "nothing recognisable"
        raise fail(f"{file}: {reasons}", USAGE_ERROR)
    for error in result.errors:
        err_console.print(f"[yellow]warning:[/] {error.reason}", highlight=False)
    sys.stdout.write(json.dumps(canonical(result), ensure_ascii=False, indent=2) + "\n")


@app.command("import")
def import_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Saved pages or exports: files or folders.")],
    platform: Annotated[str, typer.Option("--platform", "-p", help=f"One of: {', '.join(PLATFORMS)}.")],
    tier_scheme: Annotated[str, typer.Option(help="Tier scheme: default, later_fohr, hypeauditor_legacy.")] = "default",
    threshold: ThresholdOption = 0.5,
    db: DbOption = DEFAULT_DB_PATH,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's INFO logs.")] = False,
) -> None:
    """Load saved pages (e.g. Instagram or TikTok profiles saved from a browser) into the warehouse."""
    from flows.saved import SavedInputError, saved_files

    platform = check_platform(platform)
    with clear_errors():
        tier_scheme = validate_tier_scheme(tier_scheme)
        threshold = validate_threshold(threshold)
    try:
        files = saved_files(paths)
    except SavedInputError as exc:
        raise fail(str(exc), USAGE_ERROR) from None
    if not files:
        raise fail("no saved pages found (looked for .html, .htm, .json, .txt, .mhtml files)", USAGE_ERROR)
    ensure_db_writable(db)
    quiet_prefect(verbose)
    from flows.saved import import_saved

    started = time.perf_counter()
    with console.status(f"importing {len(files)} {platform} file(s)…"), clear_errors():
        summary = import_saved(platform=platform, paths=[str(f) for f in files], db_path=str(db),
                               tier_scheme=tier_scheme, person_threshold=threshold)
    console.print(
        f"[bold]{platform}[/]: {summary['files']} files, {summary['creators']} creators, "
        f"{summary['posts']} posts, {summary['errors']} errors, in {time.perf_counter() - started:.1f}s"
        + (f"; skipped {summary['forgotten']} forgotten creator(s)" if summary["forgotten"] else "")
    )
    if summary.get("without_profile"):
        err_console.print(f"[yellow]warning:[/] posts of {summary['without_profile']} creator(s) came "
                          "without a profile and were held back: import the profile page or body with them",
                          highlight=False)


@app.command()
def forget(
    platform: Annotated[str | None, typer.Option("--platform", "-p", help=f"One of: {', '.join(PLATFORMS)}.")] = None,
    handle: Annotated[str | None, typer.Option(
        "--handle", help="The creator's handle (or id); a Mastodon username or Bluesky name alone is "
                         "resolved to the one stored creator who has it.")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why, for the record (e.g. a ticket number).")] = None,
    list_tombstones: Annotated[bool, typer.Option("--list-tombstones", help="Show forgotten creators instead.")] = False,
    avatar_cache: AvatarCacheOption = Path("data/avatars"),
    db: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Erase a creator from every table, raw responses included, and never collect them again."""
    from scrapers.avatars import forget_avatars
    from warehouse.forget import HandleNotResolved, forget_creator, tombstones

    if list_tombstones:
        if handle:
            raise fail("--list-tombstones takes no --handle", 2)
        with clear_errors():
            gone = tombstones(db, check_platform(platform) if platform else None)
        render_tombstones(gone)
        return
    if not platform or handle is None:
        raise fail("scout forget needs --platform and --handle (or --list-tombstones)", 2)
    platform = check_platform(platform)
    bare = platform == "bluesky" and re.fullmatch(r"@?[A-Za-z0-9-]+", handle.strip())
    with clear_errors():  # a bare Bluesky name ("alice") is resolved against the stored handles
        key = handle_key(handle) if bare else validate_handle(platform, handle)
    if not db.exists():
        raise fail(f"No database at {db}; nothing to forget there (pass --db).")
    with clear_errors():
        try:
            done = forget_creator(db, platform=platform, handle=key, reason=reason)
        except HandleNotResolved as exc:  # bad input: which creator is meant
            raise fail(str(exc), USAGE_ERROR) from None
    console.print(f"forgot {platform} {done.handle}: {sum(done.deleted.values())} rows deleted, "
                  f"{done.scrubbed} run records scrubbed of the name")
    table = Table()
    table.add_column("table")
    table.add_column("rows deleted", justify="right")
    for name, n in sorted(done.deleted.items()):
        table.add_row(name, str(n))
    console.print(table)
    console.print(f"{db} rewritten: the deleted text is gone from the file's bytes too.")
    console.print(f"{len(forget_avatars(avatar_cache, done.urls))} cached avatar(s) deleted from {avatar_cache}.")
    quiet_prefect(False)
    from flows.erasure import scrub_prefect

    prefect = scrub_prefect([done.handle, *done.ids])
    console.print(f"Prefect: {prefect.artifacts_deleted} artifact(s) naming the creator deleted, "
                  f"{prefect.runs_scrubbed} flow run(s) scrubbed of the name in their parameters.")
    console.print("tombstone recorded: later runs will skip this creator.")
    console.print("Files exported earlier (scout export, scout candidates > file) are yours: "
                  "they may still hold this creator; delete or re-export them.")
    if prefect.not_done:
        for line in prefect.not_done:
            err_console.print(f"[bold red]not done:[/] {escape(line)}", highlight=False)
        raise typer.Exit(1)


def render_tombstones(gone: Any) -> None:
    if gone.empty:
        console.print("No creators have been forgotten.")
        return
    table = Table(title=f"{len(gone)} forgotten creators")
    for header in ("platform", "handle", "creator ids", "forgotten at", "reason"):
        table.add_column(header)
    for row in gone.itertuples(index=False):
        table.add_row(row.platform, row.handle, ", ".join(row.creator_ids),
                      f"{row.forgotten_at:%Y-%m-%d %H:%M:%S}", row.reason or "")
    console.print(table)


@app.command()
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
) -> None:
    """Serve the offline twin of Bluesky, Mastodon, Instagram and YouTube on 127.0.0.1."""
    from sandbox import SandboxServer

    try:
        server = SandboxServer(creators=creators, seed=seed, port=port,
                               rate_limit=rate_limit, rate_window=rate_window,
                               faults=faults or (), fault_rate=fault_rate,
                               drift_share=drift_share, fault_stall=fault_stall)
    except ValueError as exc:
        raise fail(str(exc), code=2) from None
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
        f"sandbox with {creators} creators (seed {seed}) on [bold]{server.base_url}[/]\n"
        f"  scout discover -p bluesky --instance {server.base_url} -q baking\n"
        f"  scout discover -p mastodon --instance {server.base_url} -q baking\n"
        "Ctrl-C to stop."
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.stop()


@app.command()
def demo(
    db: DbOption = Path("data/scout.duckdb"),
    output: Annotated[Path, typer.Option("--output", "-o", help="Where the candidate CSV goes.")] = Path("exports/candidates.csv"),
    creators: Annotated[int, typer.Option(min=50, max=100_000, help="Sandbox universe size.")] = DEMO_CREATORS,
    limit: Annotated[int, typer.Option(min=1, help="Creators per platform.")] = DEMO_LIMIT_PER_PLATFORM,
    faces: FacesOption = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's INFO logs.")] = False,
) -> None:
    """Run the whole pipeline offline: sandbox -> discover (Bluesky, Mastodon) -> warehouse -> CSV."""
    from sandbox import SandboxServer

    ensure_db_writable(db)
    quiet_prefect(verbose)
    started = time.perf_counter()
    rate_limit, rate_window = 600, 10.0
    with SandboxServer(creators=creators, seed=DEMO_SEED, rate_limit=rate_limit,
                       rate_window=rate_window).start() as server:
        console.print(f"sandbox: {creators} generated creators on {server.base_url}")
        for platform in DEMO_PLATFORMS:
            step = time.perf_counter()
            with console.status(f"discovering on {platform}…"), clear_errors():
                summary = run_discover(
                    platform=platform, base_url=server.base_url, queries=DEMO_QUERIES,
                    limit=limit, posts_per_creator=DEMO_POSTS_PER_CREATOR, db_path=str(db),
                    rate_per_second=0.9 * rate_limit / rate_window, faces=faces,
                    avatar_cache=str(db.parent / "avatars"),
                )
            print_summary(summary, time.perf_counter() - step)
        sandbox_stats = dict(server.stats)
    from warehouse.export import export_candidates
    from warehouse.queries import candidates, table_counts

    with clear_errors():
        top = candidates(db)
        export_candidates(top, output, "csv", force=True)
        counts = table_counts(db)
    render_candidates(top.head(15), f"Top candidates ({len(top)} in all)")
    console.print(
        f"warehouse {db}: " + ", ".join(f"{name} {n}" for name, n in counts.items())
        + f"\nexported {len(top)} candidates to {output}"
        + f"\nsandbox answered {sandbox_stats.get('requests', '?')} requests, "
        f"{sandbox_stats.get('rate_limited', sandbox_stats.get('429', 0))} of them 429"
        + f"\ndemo finished in {time.perf_counter() - started:.1f}s"
    )

