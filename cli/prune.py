"""``scout prune``: free the space of raw bodies no unfinished run needs any more."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Annotated

import typer
from rich.markup import escape

from cli.console import USAGE_ERROR, clear_errors, console, fail
from cli.options import DEFAULT_DB, DbOption, settings

#: An age as ``--raw-older-than`` takes it: a whole number and a unit.
_AGE = re.compile(r"(\d{1,6})([hdw])")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def cutoff_for(age: str) -> datetime:
    """The time ``age`` ago (``30d``, ``12h``, ``2w``); anything else is one line, exit 2."""
    from core.records import utcnow

    match = _AGE.fullmatch(age.strip().lower())
    if match is None:
        raise fail(f"--raw-older-than takes a whole number and a unit, h, d or w (such as 30d), not {age!r}",
                   USAGE_ERROR)
    count, unit = match.groups()
    try:
        return utcnow() - timedelta(**{_UNITS[unit]: int(count)})
    except OverflowError:
        raise fail(f"--raw-older-than {age} reaches before year 1; give a shorter age", USAGE_ERROR) from None


def megabytes(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def prune(
    raw_older_than: Annotated[str | None, typer.Option(
        "--raw-older-than", help="Remove raw bodies fetched longer ago than this: 30d, 12h, 2w.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say what would be removed.")] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Remove raw bodies older than an age, except those a running or failed (resumable) run needs,
    and rewrite the file so their space is freed."""
    from warehouse.prune import prune_raw

    if raw_older_than is None:
        raise fail("scout prune needs --raw-older-than AGE (such as 30d)", USAGE_ERROR)
    cutoff = cutoff_for(raw_older_than)
    config = settings()
    if not db.exists():
        raise fail(f"No database at {db}; nothing to prune there (pass --db).")
    with clear_errors():
        done = prune_raw(db, cutoff, dry_run=dry_run, config=config)
    verb = "would remove" if dry_run else "removed"
    console.print(f"{verb} {done.rows:,} raw bodies ({megabytes(done.body_bytes)} of text) fetched before "
                  f"{cutoff:%Y-%m-%d %H:%M} UTC; kept {done.kept_for_unfinished:,} that unfinished runs need",
                  highlight=False)
    if dry_run:
        console.print(f"dry run: {escape(str(db))} is unchanged ({megabytes(done.file_before)})", highlight=False)
    else:
        console.print(f"{escape(str(db))}: {megabytes(done.file_before)} -> {megabytes(done.file_after)}, "
                      f"{megabytes(done.file_before - done.file_after)} freed", highlight=False)
