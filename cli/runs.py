"""``scout runs``: the latest runs of the warehouse, and who holds its write lock now."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from cli.console import USAGE_ERROR, clear_errors, console, fail
from cli.options import DEFAULT_DB, DbOption, settings
from flows.params import MAX_LIST_ROWS, validate_count


def runs(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(help=f"How many runs, newest first (1-{MAX_LIST_ROWS:,}).")] = 20,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """List recent runs: status, parameters, counts, duration, and which one holds the write lock.

    Read-only: it never migrates the file, and it looks at the lock without taking it.
    """
    from warehouse.db import connect, write_lock_holder
    from warehouse.runs import recent_runs

    if fmt not in ("table", "json"):
        raise fail(f"unknown format {fmt!r}; use table or json", USAGE_ERROR)
    config = settings()
    with clear_errors():
        validate_count(limit, "limit", 1, MAX_LIST_ROWS)
        lock = write_lock_holder(db)  # as it is now, before the read waits for a writer's batch
        with connect(db, read_only=True, config=config) as con:
            listed = recent_runs(con, limit, lock)
    if fmt == "json":
        document = {"write_lock": None if lock is None else {"pid": lock.pid, "holder": lock.description},
                    "runs": listed}
        sys.stdout.write(json.dumps(document, default=str, ensure_ascii=False, indent=2) + "\n")
        return
    render_runs(listed)
    console.print(f"write lock: {'free' if lock is None else 'held by ' + escape(lock.description)}",
                  highlight=False)


def render_runs(listed: list[dict[str, Any]]) -> None:
    from warehouse.runs import LISTED_COUNTS, short_params

    headers = ("state", "flow", "platform", "parameters", *LISTED_COUNTS, "started UTC", "duration", "lock")
    rows = [(
        run["state"], run["flow"], run["platform"], short_params(run["params"]),
        *(f"{run['counts'][key]:,}" for key in LISTED_COUNTS),
        run["started_at"].strftime("%Y-%m-%d %H:%M") if run["started_at"] else "?",
        "?" if run["seconds"] is None else str(timedelta(seconds=round(run["seconds"]))),
        "held" if run["holds_lock"] else "",
    ) for run in listed]
    table = Table(box=None, padding=(0, 1), header_style="bold underline")
    for i, name in enumerate(headers):
        # every column as wide as its widest cell; only the parameters give way on a narrow screen
        widest = max(len(name), *(len(row[i]) for row in rows)) if name != "parameters" else None
        table.add_column(name, justify="right" if name in LISTED_COUNTS else "left", no_wrap=True,
                         overflow="ellipsis", min_width=widest, max_width=None if widest else 32)
    for row in rows:
        table.add_row(*map(escape, row))
    console.print(table)
    if not listed:
        console.print("No runs in this warehouse yet.")
