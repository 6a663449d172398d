"""``scout candidates`` and ``scout export``: the candidate list, on screen or in a file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from cli.console import USAGE_ERROR, clear_errors, console, err_console, fail
from cli.options import (
    DEFAULT_DB,
    DbOption,
    check_platform,
    saying_created,
    settings,
    split_csv,
)
from core.errors import WarehouseError
from flows.params import MAX_LIST_ROWS, validate_count

if TYPE_CHECKING:
    from core.settings import Settings

#: Rows a table shows when no --limit is given; a file format lists them all.
TABLE_ROWS = 50


def candidate_filters(platform: list[str] | None, tier: list[str] | None, min_er: str | None) -> dict[str, Any]:
    """Filters of `candidates` and `export`, checked here so a typo exits 2 before the query."""
    from warehouse.candidate_query import CANDIDATE_TIERS

    platforms = [check_platform(p) for p in split_csv(platform)] or None
    tiers = [t.lower() for t in split_csv(tier)] or None
    unknown = [t for t in tiers or [] if t not in CANDIDATE_TIERS]
    if unknown:
        raise fail(f"unknown candidate tier {unknown[0]!r}; use {' or '.join(CANDIDATE_TIERS)}", USAGE_ERROR)
    return {"platforms": platforms, "tiers": tiers, "min_er": None if min_er is None else engagement_rate(min_er)}


def engagement_rate(text: str) -> float:
    """``--min-er`` as a fraction: "2%" is 0.02, "0.02" is 0.02. A fraction above 1 is kept as
    written (ER can exceed 100%) but was most likely meant as a percentage, so it is said how it
    was read."""
    percent = text.strip().endswith("%")
    try:
        value = float(text.strip().removesuffix("%")) / (100 if percent else 1)
    except ValueError:
        value = float("nan")
    if not 0.0 <= value < float("inf"):
        raise fail(f"--min-er must be 0 or more, such as 2% or 0.02, not {text!r}", USAGE_ERROR)
    if value > 1 and not percent:
        err_console.print(f"warning: --min-er {text} read as a fraction, {value:.0%}; "
                          f"for {text}% write --min-er {text}% or {value / 100:g}", highlight=False)
    return value


PlatformFilter = Annotated[list[str] | None, typer.Option("--platform", "-p", help="Platform(s); repeatable or comma-separated.")]


TierFilter = Annotated[list[str] | None, typer.Option("--tier", help="Tier(s), e.g. nano,micro.")]


MinErFilter = Annotated[str | None, typer.Option("--min-er", help="Minimum median ER, e.g. 2% or 0.02.")]


#: --sort name -> the query's order: authenticity-adjusted ER (er_median * authenticity_score / 100) or raw ER.
SORTS = {"adjusted": "adjusted_er", "er": "er_median"}


SortOption = Annotated[str, typer.Option(
    "--sort", help="adjusted (median ER x authenticity score / 100, the default) or er (raw median ER).")]


IncludeFlagged = Annotated[bool, typer.Option(
    "--include-flagged", help="Also list creators with a high-severity authenticity flag, with its evidence.")]


ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")]


def check_sort(sort: str) -> str:
    """The query's order for a --sort name; exit 2 naming the choices otherwise."""
    if sort not in SORTS:
        raise fail(f"unknown --sort {sort!r}; use {' or '.join(SORTS)}", USAGE_ERROR)
    return SORTS[sort]


def say_held_back(db: Path, filters: dict[str, Any], config: Settings) -> int:
    """One line on stderr counting the candidates left out for a high-severity flag; the count."""
    from warehouse.candidate_query import count_held_back

    return say_held(count_held_back(db, **filters, config=config))


def say_held(held: int) -> int:
    """One line on stderr counting ``held`` candidates left out for a high-severity flag."""
    if held:
        err_console.print(f"{held:,} creator{'s' if held != 1 else ''} held back for fake engagement; "
                          "--include-flagged to see them", highlight=False)
    return held


def candidates_cmd(
    platform: PlatformFilter = None,
    tier: TierFilter = None,
    min_er: MinErFilter = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
    limit: Annotated[int | None, typer.Option(
        help=f"Most rows to show (1-{MAX_LIST_ROWS:,}); default {TABLE_ROWS} in a table, all in csv or json.")] = None,
    sort: SortOption = "adjusted",
    include_flagged: IncludeFlagged = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show the candidate list: real people, nano and micro tiers, best authentic engagement first."""
    if fmt not in ("table", "csv", "json"):
        raise fail(f"unknown format {fmt!r}; use table, csv or json", USAGE_ERROR)
    order_by = check_sort(sort)
    if limit is not None:
        with clear_errors():
            validate_count(limit, "limit", 1, MAX_LIST_ROWS)
    filters = candidate_filters(platform, tier, min_er)
    from warehouse.candidate_query import candidate_listing, count_held_back

    if fmt == "table" and limit is None:
        limit = TABLE_ROWS
    config = settings()
    query = {"limit": limit, "order_by": order_by, "include_flagged": include_flagged, **filters}
    with clear_errors():
        # A table on screen takes plain rows (no pandas to import: about half a second) and its
        # counts from one connection.
        listing = candidate_listing(db, **query, config=config) if fmt == "table" else None
        df = None if listing is not None else candidate_frame(db, query, config)
        rows = [] if listing is None else listing.rows
        left_out = listing.matching - len(rows) if listing is not None and len(rows) == limit else 0
        if not include_flagged:
            say_held(listing.held_back if listing is not None else count_held_back(db, **filters, config=config))
    if left_out:
        err_console.print(f"{left_out:,} more candidates not shown; use --limit {limit + left_out} "
                          "or -f csv for all", highlight=False)
    if df is not None:
        from warehouse.export import to_csv

        if fmt == "csv":  # piped into a file a spreadsheet will open: formulas defused as in exports
            sys.stdout.write(to_csv(df) or "")
        else:
            sys.stdout.write(df.to_json(orient="records", date_format="iso", force_ascii=False) + "\n")
    elif not rows:
        console.print("No candidates match these filters.")
    else:
        render_candidates(rows, f"{len(rows)} candidates", evidence=include_flagged)


def candidate_frame(db: Path, query: dict[str, Any], config: Settings) -> Any:
    """The candidates as a DataFrame, for a file format (pandas imported only then)."""
    from warehouse.queries import candidates

    return candidates(db, **query, config=config)


def export_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="csv, xlsx, html or parquet (default: from the suffix).")] = None,
    force: ForceOption = False,
    platform: PlatformFilter = None,
    tier: TierFilter = None,
    min_er: MinErFilter = None,
    sort: SortOption = "adjusted",
    include_flagged: IncludeFlagged = False,
    shortlist: Annotated[str | None, typer.Option(
        "--shortlist", help="Export this saved shortlist (scout match --save NAME) instead, with its match "
                            "columns; takes no filters.")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Export the candidate list (or a saved shortlist) for a spreadsheet, a browser (the report of
    `scout report`) or a notebook."""
    from cli.report import DEFAULT_AVATARS, write_html_report
    from core.records import utcnow
    from warehouse.export import check_export_path, export_candidates
    from warehouse.queries import candidates, metric_posts
    from warehouse.workbook import WorkbookContext

    try:
        output, fmt = check_export_path(output, fmt, force)
    except WarehouseError as exc:
        raise fail(str(exc), USAGE_ERROR) from None
    if shortlist is not None and (platform or tier or min_er is not None or include_flagged or sort != "adjusted"):
        raise fail("--shortlist exports the saved list as it is; it takes no filters or --sort", USAGE_ERROR)
    filters = candidate_filters(platform, tier, min_er)
    order_by = check_sort(sort)

    config = settings()
    if fmt == "html":
        path, shown = write_html_report(output, db=db, filters=filters, sort=sort, include_flagged=include_flagged,
                                        limit=None, avatar_cache=DEFAULT_AVATARS, force=force, config=config,
                                        shortlist=shortlist)
        console.print(f"wrote {shown} {'matches' if shortlist is not None else 'candidates'} to {path}")
        return
    with clear_errors():
        brief = None
        if shortlist is not None:
            from warehouse.shortlists import read_shortlist

            saved, df = read_shortlist(db, shortlist, config=config)
            held, brief = 0, saved.brief
        else:
            df = candidates(db, order_by=order_by, include_flagged=include_flagged, **filters, config=config)
            held = 0 if include_flagged else say_held_back(db, filters, config)
        workbook = None
        if fmt == "xlsx":
            given = ({"shortlist": shortlist} if shortlist is not None else
                     {"platform": platform, "tier": tier, "min ER": min_er, "sort": sort,
                      "include flagged": include_flagged})
            workbook = WorkbookContext(generated_at=utcnow(), filters=given, held_back=held, brief=brief,
                                       posts=metric_posts(db, df, config=config), source=str(db))
        with saying_created(output.parent):
            path = export_candidates(df, output, fmt, force=force, workbook=workbook)
    console.print(f"wrote {len(df)} {'matches' if shortlist is not None else 'candidates'} to {path}")


def render_candidates(rows: list[dict[str, Any]], title: str, *, evidence: bool = False) -> None:
    """The candidates (rows as dicts) as a table; ``evidence`` adds the authenticity flags'
    evidence lines."""
    table = Table(title=title, show_lines=False)
    columns = [
        ("platform", "platform"), ("handle", "handle"), ("display_name", "name"),
        ("tier", "tier"), ("followers", "followers"), ("er_median", "median ER"),
        ("authenticity_score", "authentic"), ("posts_per_week", "posts/wk"), ("person_probability", "p(person)"),
    ] + ([("flag_evidence", "flags")] if evidence else [])
    for key, header in columns:
        wide = key in ("handle", "display_name")
        if key == "flag_evidence":
            table.add_column(header, overflow="fold", max_width=60)
            continue
        table.add_column(header, no_wrap=True, overflow="ellipsis", max_width=28 if wide else None,
                         justify="left" if wide or key in ("platform", "tier") else "right")
    for row in rows:
        cells = []
        for key, _ in columns:
            value = row.get(key)
            if value is None or value != value:  # None or NaN
                cells.append("")
            elif key == "er_median":
                cells.append(f"{value:.2%}")
            elif key == "authenticity_score":
                cells.append(f"{value:.0f}")
            elif isinstance(value, float):
                cells.append(f"{value:.2f}")
            else:
                cells.append(escape(str(value)))  # a name like "[link=…]" is text, not markup
        table.add_row(*cells)
    console.print(table)
