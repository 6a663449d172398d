"""``scout match`` (a brief ranked over the warehouse or over a CSV) and ``scout shortlist``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from cli.console import USAGE_ERROR, clear_errors, console, err_console, fail
from cli.options import DEFAULT_DB, DbOption, saying_created, settings, split_csv
from core.brief import Brief
from flows.params import MAX_LIST_ROWS, validate_count

#: Rows the terminal shows when no --limit is given; a file lists them all.
TABLE_ROWS = 20

BriefText = Annotated[str | None, typer.Option("--brief", help="What the brand wants, in plain words.")]
BriefFile = Annotated[Path | None, typer.Option(
    "--brief-file", help="A TOML brief (brief, name, platforms, tiers, languages, min_authenticity, "
                         "collaboration, exclude, like); options given here replace its values.")]
Likes = Annotated[list[str] | None, typer.Option("--like", help="Creators like this handle; repeatable.")]
Platforms = Annotated[list[str] | None, typer.Option("--platform", "-p", help="Platform(s); repeatable or comma-separated.")]
Tiers = Annotated[list[str] | None, typer.Option("--tier", help="Tier(s), e.g. nano,micro.")]
Languages = Annotated[list[str] | None, typer.Option("--language", help="Language code(s) such as en,de.")]
MinAuthenticity = Annotated[float | None, typer.Option(
    "--min-authenticity", help="Lowest authenticity score (0-100) kept.")]
Collaboration = Annotated[str | None, typer.Option(
    "--collaboration", help="gifting (not paid-only), paid (open to paid work) or any.")]
Excludes = Annotated[list[str] | None, typer.Option("--exclude", help="Handle(s) to leave out; repeatable.")]


def brief_from_options(text: str | None, brief_file: Path | None, *, like: list[str] | None = None,
                       platform: list[str] | None = None, tier: list[str] | None = None,
                       language: list[str] | None = None, min_authenticity: float | None = None,
                       collaboration: str | None = None, exclude: list[str] | None = None,
                       name: str | None = None) -> Brief:
    """The brief of the file and the options (options win), or one line and exit 2."""
    from flows.briefs import BriefOptions, build_brief

    options = BriefOptions(text=text, name=name, platforms=tuple(split_csv(platform)), tiers=tuple(split_csv(tier)),
                           languages=tuple(split_csv(language)), min_authenticity=min_authenticity,
                           collaboration=collaboration, exclude=tuple(split_csv(exclude)), like=tuple(like or ()))
    with clear_errors():
        return build_brief(options, brief_file)


def brief_search(brief_file: Path, platform: str | None, query: list[str] | None, hashtag: list[str] | None
                 ) -> tuple[str | None, list[str], list[str], dict[str, Any]]:
    """(platform, queries, hashtags, the brief's own terms for lineage) with what the brief adds,
    said on stderr before the run."""
    from flows.briefs import BriefOptions, brief_search_terms, build_brief

    with clear_errors():
        brief = build_brief(BriefOptions(), brief_file)
        queries, hashtags = brief_search_terms(brief)
    if platform is None and len(brief.platforms) > 1:
        raise fail(f"{brief_file} names {len(brief.platforms)} platforms ({', '.join(brief.platforms)}); "
                   "a discover runs on one: choose it with -p", USAGE_ERROR)
    platform = platform or (brief.platforms[0] if brief.platforms else None)
    err_console.print(f"from {brief_file}: queries {', '.join(queries) or '(none)'}; "
                      f"hashtags {', '.join(hashtags) or '(none)'}"
                      + (f"; platform {platform}" if platform else ""), highlight=False)
    own = {"name": brief.name or brief_file.stem, "queries": list(queries), "hashtags": list(hashtags)}
    return platform, [*(query or []), *queries], [*(hashtag or []), *hashtags], own


def match(
    brief_text: BriefText = None,
    brief_file: BriefFile = None,
    like: Likes = None,
    platform: Platforms = None,
    tier: Tiers = None,
    language: Languages = None,
    min_authenticity: MinAuthenticity = None,
    collaboration: Collaboration = None,
    exclude: Excludes = None,
    limit: Annotated[int | None, typer.Option(
        help=f"Most matches (1-{MAX_LIST_ROWS:,}); default {TABLE_ROWS} on the terminal, all in a file.")] = None,
    save: Annotated[str | None, typer.Option(
        "--save", help="Store the brief and its matches as this shortlist (saving a name again replaces it).")] = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="csv, json, parquet, xlsx or html (with -o).")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="File to write: the matches (warehouse) or the ranked rows (--input).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
    input_path: Annotated[Path | None, typer.Option(
        "--input", "-i", help="Rank this creators CSV instead of the warehouse (needs --output).")] = None,
    posts_path: Annotated[Path | None, typer.Option(
        "--posts", help="With --input: a posts CSV (handle, text; likes, comments, shares give ER).")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Rank creators by how well they fit a brief: content (niche and words), language, quality,
    collaboration stance; --like finds creators like the seeds. Every match says why."""
    brief = brief_from_options(brief_text, brief_file, like=like, platform=platform, tier=tier, language=language,
                               min_authenticity=min_authenticity, collaboration=collaboration, exclude=exclude,
                               name=save)
    if input_path is not None:
        _match_input(brief, input_path, posts_path, output, fmt, force, limit, save)
        return
    if posts_path is not None:
        raise fail("--posts goes with --input (a creators CSV); the warehouse has its posts", USAGE_ERROR)
    if limit is not None:
        with clear_errors():
            validate_count(limit, "limit", 1, MAX_LIST_ROWS)
    target = _checked_output(output, fmt, force)
    from flows.match import rank_warehouse, save_matches

    config = settings()
    with clear_errors():
        ranked = rank_warehouse(db, brief, limit=limit or (None if target else TABLE_ROWS), config=config)
        if save:
            replaced = save_matches(db, save, brief, ranked, config)
    if save:
        err_console.print(f"saved shortlist {save!r} ({len(ranked)} matches)"
                          + (", replacing the one saved before" if replaced else ""), highlight=False)
    if target is not None:
        _export(ranked, *target, force)
    elif ranked.empty:
        console.print("No creators in the warehouse match this brief.")
    else:
        render_matches(ranked, f"{len(ranked)} matches for {_title(brief)}")


def _checked_output(output: Path | None, fmt: str | None, force: bool) -> tuple[Path, str] | None:
    """(path, format) of ``-o`` checked before any work, or None for the terminal."""
    from core.errors import WarehouseError
    from warehouse.export import MATCH_FORMATS, check_export_path

    if output is None:
        if fmt is not None:
            raise fail(f"--format {fmt} needs --output FILE", USAGE_ERROR)
        return None
    try:
        return check_export_path(output, fmt, force, MATCH_FORMATS)
    except WarehouseError as exc:
        raise fail(str(exc), USAGE_ERROR) from None


def _export(frame: Any, path: Path, fmt: str, force: bool) -> None:
    from warehouse.export import MATCH_FORMATS, export_candidates

    with clear_errors(), saying_created(path.parent):
        written = export_candidates(frame, path, fmt, force=force, formats=MATCH_FORMATS)
    console.print(f"wrote {len(frame)} matches to {written}")


def _match_input(brief: Brief, input_path: Path, posts_path: Path | None, output: Path | None,
                 fmt: str | None, force: bool, limit: int | None, save: str | None) -> None:
    """The no-warehouse mode: every row of a creators CSV ranked into another CSV."""
    from cli.streamed import run_streamed
    from flows.match_input import match_csv
    from flows.params import validate_input_file

    if output is None:
        raise fail("--input needs --output, the ranked CSV to write", USAGE_ERROR)
    for refused, why in ((save, "--save"), (limit, "--limit"), (fmt not in (None, "csv"), "--format")):
        if refused:
            raise fail(f"{why} is for matching the warehouse; --input writes every row to a CSV", USAGE_ERROR)
    with clear_errors():
        validate_input_file(input_path, "input CSV")
        if posts_path is not None:
            validate_input_file(posts_path, "posts CSV")
    with clear_errors(), saying_created(output.parent):
        summary, seconds = run_streamed(input_path, None, "", "matching", lambda on_chunk: match_csv(
            input_path, output, brief, posts_path=posts_path, force=force, on_chunk=on_chunk))
    left_out = summary.rows - summary.written
    console.print(
        f"ranked {summary.rows:,} creators in {seconds:.1f}s ({summary.rows / seconds if seconds else 0:,.0f}/s)"
        + (f" with {summary.posts:,} posts" if posts_path else "")
        + (f"; {left_out:,} left out by the brief's filters" if left_out else "")
        + f" -> {output}", highlight=False)


def shortlist(
    name: Annotated[str, typer.Argument(help="The name it was saved under (scout match --save NAME).")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show a saved shortlist: its brief, when it was saved, and its matches as scout match showed them."""
    from warehouse.shortlists import read_shortlist

    with clear_errors():
        brief, rows = read_shortlist(db, name, config=settings())
    filters = "; ".join(f"{k} {', '.join(v) if isinstance(v, list) else v}"
                        for k, v in brief.params.items() if v not in (None, [], "any"))
    console.print(f"shortlist [bold]{escape(brief.name)}[/], saved {brief.created_at:%Y-%m-%d %H:%M} "
                  f"({brief.fit_version}): {escape(brief.text) or '(lookalikes only)'}"
                  + (f"\n  {escape(filters)}" if filters else ""), highlight=False)
    if rows.empty:
        console.print("It holds no matches (none was found, or every one was forgotten since).")
    else:
        render_matches(rows, f"{len(rows)} matches")


def _title(brief: Brief) -> str:
    words = brief.text if len(brief.text) <= 60 else brief.text[:59] + "…"
    return repr(words) if words else "creators like " + ", ".join(brief.like)


#: (column, header) of the match table, left to right.
MATCH_TABLE = (("fit_rank", "#"), ("handle", "handle"), ("platform", "platform"), ("tier", "tier"),
               ("followers", "followers"), ("er_median", "ER %"), ("fit_score", "fit"), ("niches", "niches"),
               ("collab_stance", "stance"), ("fit_evidence", "evidence"))


def render_matches(df: Any, title: str) -> None:
    """The matches as a table, evidence folded into its column."""
    table = Table(title=title, show_lines=True)
    for key, header in MATCH_TABLE:
        if key in ("fit_evidence", "niches"):
            table.add_column(header, overflow="fold", max_width=60 if key == "fit_evidence" else 24)
        else:
            table.add_column(header, no_wrap=True, overflow="ellipsis", max_width=28 if key == "handle" else None,
                             justify="left" if key in ("handle", "platform", "tier", "collab_stance") else "right")
    for row in df.to_dict(orient="records"):
        table.add_row(*(_cell(key, row.get(key)) for key, _ in MATCH_TABLE))
    console.print(table)


def _cell(key: str, value: Any) -> str:
    from pandas import isna

    if value is None or (not isinstance(value, list | tuple) and isna(value)):
        return ""
    if key == "er_median":
        return f"{value:.2%}"
    if key == "fit_score":
        return f"{value:.2f}"
    if key == "followers":
        return f"{int(value):,}"
    if isinstance(value, list | tuple):
        value = "; ".join(map(str, value))
    return escape(str(value))
