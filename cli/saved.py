"""``scout parse`` and ``scout import``: bodies and pages a user saved."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from cli.console import (
    USAGE_ERROR,
    clear_errors,
    console,
    err_console,
    fail,
    quiet_prefect,
)
from cli.options import (
    DEFAULT_DB,
    DbOption,
    ThresholdOption,
    check_platform,
    ensure_db_writable,
    settings,
)
from cli.progress import showing_progress
from flows.params import validate_threshold, validate_tier_scheme
from scrapers.registry import PLATFORM_NAMES


def parse_cmd(
    file: Annotated[Path, typer.Argument(help="A saved response body or page (JSON or HTML).")],
    platform: Annotated[str, typer.Option("--platform", "-p", help=f"One of: {', '.join(PLATFORM_NAMES)}.")],
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


def recognised_files(platform: str, paths: list[Path], files: list[Path]) -> list[Path]:
    """The files to import. A file named on the command line that is not this platform's body
    fails the import (exit 2); one found in a folder is skipped with a warning line, and a
    folder with none of this platform's bodies fails too. Nothing is written before this."""
    from flows.saved import unrecognised_files

    if not files:
        raise fail("no saved pages found (looked for .html, .htm, .json, .txt, .mhtml, .xml files)", USAGE_ERROR)
    rejected = unrecognised_files(platform, files)
    named = {path.resolve() for path in paths if path.is_file()}
    for path, reason in rejected.items():
        if path in named:
            raise fail(f"{path}: {reason}", USAGE_ERROR)
    if len(rejected) == len(files):
        raise fail(f"no saved {platform} body in {', '.join(map(str, paths))}: "
                   f"{next(iter(rejected.values()))}", USAGE_ERROR)
    for path, reason in rejected.items():
        err_console.print(f"[yellow]warning:[/] skipped {path}: {reason}", highlight=False)
    return [path for path in files if path not in rejected]


def import_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Saved pages or exports: files or folders.")],
    platform: Annotated[str, typer.Option("--platform", "-p", help=f"One of: {', '.join(PLATFORM_NAMES)}.")],
    tier_scheme: Annotated[str, typer.Option(help="Tier scheme: default, later_fohr, hypeauditor_legacy.")] = "default",
    threshold: ThresholdOption = 0.5,
    db: DbOption = DEFAULT_DB,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's INFO logs.")] = False,
) -> None:
    """Load saved pages (e.g. Instagram or TikTok profiles saved from a browser) into the warehouse."""
    config = settings()
    quiet_prefect(verbose, config)  # before flows.saved imports Prefect, which sets its log level then
    from flows.saved import SavedInputError, saved_files

    platform = check_platform(platform)
    with clear_errors():
        tier_scheme = validate_tier_scheme(tier_scheme)
        threshold = validate_threshold(threshold)
    try:
        files = recognised_files(platform, paths, saved_files(paths))
    except SavedInputError as exc:
        raise fail(str(exc), USAGE_ERROR) from None
    ensure_db_writable(db, config)
    from flows.saved import import_saved

    started = time.perf_counter()
    with showing_progress(f"importing {len(files)} {platform} file(s)", verbose=verbose), clear_errors():
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
