"""``scout report`` (and ``scout export --format html``): the candidate list as one HTML file a
client can open offline: charts, a sortable table and a card per creator."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.candidates import (
    ForceOption,
    IncludeFlagged,
    MinErFilter,
    PlatformFilter,
    SortOption,
    TierFilter,
    candidate_filters,
    check_sort,
    say_held_back,
)
from cli.console import USAGE_ERROR, clear_errors, console, err_console, fail
from cli.options import (
    DEFAULT_DB,
    AvatarCacheOption,
    DbOption,
    saying_created,
    settings,
)
from core.errors import WarehouseError
from flows.params import MAX_LIST_ROWS, validate_count

if TYPE_CHECKING:
    from core.settings import Settings

#: Cards a report holds when no --limit is given: a report is read, not searched.
REPORT_ROWS = 100
DEFAULT_AVATARS = Path("data/avatars")


def filter_labels(filters: dict[str, Any], sort: str, include_flagged: bool, limit: int | None) -> list[tuple[str, str]]:
    """The filters as the report's header prints them, (label, value)."""
    labels = [("platform", ", ".join(filters["platforms"] or [])), ("tier", ", ".join(filters["tiers"] or [])),
              ("min ER", "" if filters["min_er"] is None else f"{filters['min_er'] * 100:.1f}%")]
    labels += [("sort", sort), ("high-severity flags", "shown" if include_flagged else "held back")]
    labels += [("limit", f"{limit:,}")] if limit is not None else []
    return [(label, value) for label, value in labels if value]


def write_html_report(
    output: Path, *, db: Path, filters: dict[str, Any], sort: str, include_flagged: bool, limit: int | None,
    avatar_cache: Path, force: bool, config: Settings, shortlist: str | None = None,
) -> tuple[Path, int]:
    """Query the candidates (or read the saved ``shortlist``, with its brief) and write their
    report; (path written, creators in it)."""
    from reports.render import ReportContext, write_report
    from warehouse.candidate_query import count_candidates
    from warehouse.queries import candidates
    from warehouse.shortlists import read_shortlist

    with clear_errors():
        if shortlist is not None:
            saved, rows = read_shortlist(db, shortlist, config=config)
            matching, df = len(rows), rows if limit is None else rows.head(limit)
            context = ReportContext(filters=[("shortlist", shortlist)], matching=matching, brief=saved.brief)
        else:
            df = candidates(db, limit=limit, order_by=check_sort(sort), include_flagged=include_flagged, **filters,
                            config=config)
            matching = count_candidates(db, include_flagged=include_flagged, **filters, config=config)
            held_back = 0 if include_flagged else say_held_back(db, filters, config)
            context = ReportContext(filters=filter_labels(filters, sort, include_flagged, limit), matching=matching,
                                    held_back=held_back)
        with saying_created(output.parent):
            path = write_report(df, output, db=db, context=context, avatar_cache=avatar_cache, force=force,
                                config=config)
    if matching > len(df):
        err_console.print(f"{matching - len(df):,} more candidates not in the report; use --limit {matching}",
                          highlight=False)
    if len(df) and not avatar_cache.is_dir():
        err_console.print(f"no avatar cache at {avatar_cache}: cards show a placeholder (discover or demo with "
                          "--faces fills it; --avatar-cache names another)", highlight=False)
    return path, len(df)


def report(
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path("exports/report.html"),
    force: ForceOption = False,
    limit: Annotated[int, typer.Option(help=f"Most creators in the report (1-{MAX_LIST_ROWS:,}).")] = REPORT_ROWS,
    platform: PlatformFilter = None,
    tier: TierFilter = None,
    min_er: MinErFilter = None,
    sort: SortOption = "adjusted",
    include_flagged: IncludeFlagged = False,
    avatar_cache: AvatarCacheOption = DEFAULT_AVATARS,
    shortlist: Annotated[str | None, typer.Option(
        "--shortlist", help="Report this saved shortlist (scout match --save NAME) with its brief and fit, "
                            "best fit first; takes no filters.")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write the candidate list (or a saved shortlist) as a self-contained HTML report: charts, a table
    and a card per creator."""
    from warehouse.export import check_export_path

    try:
        output, _ = check_export_path(output, "html", force)
    except WarehouseError as exc:
        raise fail(str(exc), USAGE_ERROR) from None
    check_sort(sort)
    if shortlist is not None and (platform or tier or min_er is not None or include_flagged or sort != "adjusted"):
        raise fail("--shortlist reports the saved list as it is; it takes no filters or --sort", USAGE_ERROR)
    with clear_errors():
        validate_count(limit, "limit", 1, MAX_LIST_ROWS)
    filters = candidate_filters(platform, tier, min_er)
    path, shown = write_html_report(output, db=db, filters=filters, sort=sort, include_flagged=include_flagged,
                                    limit=limit, avatar_cache=avatar_cache, force=force, config=settings(),
                                    shortlist=shortlist)
    console.print(f"wrote a report of {shown} {'matches' if shortlist is not None else 'candidates'} to {path}")
