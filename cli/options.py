"""Options and checks shared by several command groups, so each is spelled once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.console import clear_errors, err_console
from core.defaults import FALLBACK_DB_PATH
from flows.params import validate_platform

if TYPE_CHECKING:
    from core.settings import Settings

#: ``--db`` when neither it nor ``SCOUT_DB`` is given (Typer reads ``SCOUT_DB`` for the option).
DEFAULT_DB = Path(FALLBACK_DB_PATH)
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


def check_platform(name: str) -> str:
    with clear_errors():
        return validate_platform(name)


def split_csv(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def settings() -> Settings:
    """Every SCOUT_* setting, read once when a command starts and passed down from there; a bad
    value is one line naming the variable, exit code 2. (pydantic is imported here, not by
    ``scout --help``.)"""
    from core.settings import Settings

    with clear_errors():
        return Settings.from_env()


def ensure_db_writable(db_path: Path, config: Settings) -> None:
    from warehouse.db import connect

    with clear_errors(), saying_created(db_path.parent), connect(db_path, config=config):
        pass


@contextmanager
def saying_created(directory: Path) -> Iterator[None]:
    """One line on stderr when the block created ``directory``, so a mistyped path is seen."""
    existed = directory.exists()
    yield
    if not existed and directory.is_dir():
        err_console.print(f"created directory {directory}", highlight=False)


def creator_key(platform: str, handle: str) -> str:
    """A stored creator's handle as ``forget`` and ``show`` look it up: the platform's handle rule
    (one line, exit 2, when it is broken), but a bare Bluesky name ("alice") stays as typed, to be
    resolved against the stored handles."""
    from core.identity import handle_key
    from scrapers.registry import validate_handle

    if platform == "bluesky" and re.fullmatch(r"@?[A-Za-z0-9-]+", handle.strip()):
        return handle_key(handle)
    with clear_errors():
        return validate_handle(platform, handle)
