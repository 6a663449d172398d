"""``scout forget``: erase a creator everywhere and keep a tombstone."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

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
    AvatarCacheOption,
    DbOption,
    check_platform,
    creator_key,
    settings,
)
from scrapers.registry import PLATFORM_NAMES


def forget(
    platform: Annotated[str | None, typer.Option("--platform", "-p", help=f"One of: {', '.join(PLATFORM_NAMES)}.")] = None,
    handle: Annotated[str | None, typer.Option(
        "--handle", help="The creator's handle (or id); a Mastodon username or Bluesky name alone is "
                         "resolved to the one stored creator who has it.")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why, for the record (e.g. a ticket number).")] = None,
    list_tombstones: Annotated[bool, typer.Option("--list-tombstones", help="Show forgotten creators instead.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Record the tombstone even when no stored creator has this handle "
                        "(someone who asks before being collected).")] = False,
    avatar_cache: AvatarCacheOption = Path("data/avatars"),
    db: DbOption = DEFAULT_DB,
) -> None:
    """Erase a creator from every table, raw responses included, and never collect them again."""
    from scrapers.avatars import forget_avatars
    from warehouse.forget import HandleNotResolved, forget_creator, tombstones

    config = settings()
    if list_tombstones:
        if handle:
            raise fail("--list-tombstones takes no --handle", 2)
        with clear_errors():
            gone = tombstones(db, check_platform(platform) if platform else None, config=config)
        render_tombstones(gone)
        return
    if not platform or handle is None:
        raise fail("scout forget needs --platform and --handle (or --list-tombstones)", 2)
    platform = check_platform(platform)
    key = creator_key(platform, handle)
    if not db.exists():
        raise fail(f"No database at {db}; nothing to forget there (pass --db).")
    with clear_errors():
        try:
            done = forget_creator(db, platform=platform, handle=key, reason=reason, force=force, config=config)
        except HandleNotResolved as exc:  # bad input: which creator is meant
            raise fail(str(exc), USAGE_ERROR) from None
    console.print(f"forgot {platform} {done.handle}: {sum(done.deleted.values())} rows deleted, "
                  f"{done.scrubbed} run records or saved briefs scrubbed of the name")
    table = Table()
    table.add_column("table")
    table.add_column("rows deleted", justify="right")
    for name, n in sorted(done.deleted.items()):
        table.add_row(name, str(n))
    console.print(table)
    console.print(f"{db} rewritten: the deleted text is gone from the file's bytes too.")
    console.print(f"{len(forget_avatars(avatar_cache, done.urls))} cached avatar(s) deleted from {avatar_cache}.")
    quiet_prefect(False, config)
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
