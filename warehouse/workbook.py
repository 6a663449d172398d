"""The XLSX export as a marketer opens it: a styled candidates sheet, a Summary and the Posts.

Written in openpyxl's write-only mode, row by row, so 10,000 candidates and their posts stream
to disk instead of building every cell object in memory. Only the cells that need a style
(a percentage, a link, wrapped evidence) become styled cells; the rest are plain values.
Every text cell arrives defused (see ``warehouse.export``): nothing here can become a formula.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from core.brief import Brief

#: Fractions shown as percentages: engagement rates and shares of posts or followers.
PERCENT_COLUMNS = frozenset({
    "er_median", "adjusted_er", "er_mean", "er_views_median", "sponsored_share", "paid_share",
    "repost_share", "audience_credibility",
})
#: Long free text, wrapped in a fixed-width column instead of one endless line.
WRAPPED_COLUMNS = frozenset({"evidence", "flag_evidence", "collab_evidence", "authenticity_flags", "text",
                             "found_by"})
#: Columns whose http(s) value becomes a link (here and in the HTML export); any other scheme stays text.
LINK_COLUMNS = frozenset({"profile_url", "external_url", "contact_link", "avatar_url"})
PERCENT_FORMAT = "0.00%"
DATE_WIDTH = len("yyyy-mm-dd hh:mm:ss")
MIN_WIDTH, MAX_WIDTH, WRAPPED_WIDTH = 8, 50, 60
#: Rows read to size a column: enough to see typical values without scanning 500,000 posts.
WIDTH_SAMPLE = 2_000

_BOLD = Font(bold=True)
_LINK = Font(color="0563C1", underline="single")
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class WorkbookContext:
    """What the Summary and Posts sheets say beyond the candidate rows.

    ``filters`` maps each filter's name to its value as the user gave it (None: not set);
    ``posts`` holds the posts behind each creator's metrics (``warehouse.queries.metric_posts``).
    """

    generated_at: datetime
    filters: Mapping[str, Any] = field(default_factory=dict)
    held_back: int = 0
    posts: pd.DataFrame | None = None
    brief: Brief | None = None
    source: str | None = None  # the warehouse file the rows came from


def write_workbook(path: Path, candidates: pd.DataFrame, summary: pd.DataFrame,
                   posts: pd.DataFrame | None) -> None:
    """Candidates, Summary and (with posts) Posts sheets. The frames come defused, without time
    zones and without characters XML cannot hold (``warehouse.export`` prepares them)."""
    book = Workbook(write_only=True)
    _table_sheet(book.create_sheet("candidates"), candidates)
    _summary_sheet(book.create_sheet("Summary"), summary)
    if posts is not None:
        _table_sheet(book.create_sheet("Posts"), posts)
    book.save(path)


def _table_sheet(sheet: WriteOnlyWorksheet, frame: pd.DataFrame) -> None:
    """A bold, frozen header with an autofilter over every row; widths fit the values (capped)."""
    columns = [str(c) for c in frame.columns]
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(column, frame[column])
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"
    sheet.append([_styled(sheet, name, font=_BOLD) for name in columns])
    percent = [c in PERCENT_COLUMNS for c in columns]
    wrapped = [c in WRAPPED_COLUMNS for c in columns]
    linked = [c in LINK_COLUMNS for c in columns]
    for row in frame.itertuples(index=False, name=None):
        sheet.append([_cell(sheet, _plain(v), p, w, link) for v, p, w, link in zip(row, percent, wrapped, linked, strict=True)])


def _cell(sheet: WriteOnlyWorksheet, value: Any, percent: bool, wrapped: bool, linked: bool) -> Any:
    """A plain value where no style is needed (cheap), else a styled write-only cell."""
    if value is None:
        return None
    if percent and isinstance(value, float):
        return _styled(sheet, value, number_format=PERCENT_FORMAT)
    if wrapped:
        return _styled(sheet, value, alignment=_WRAP)
    if linked and isinstance(value, str) and is_web_link(value):
        cell = _styled(sheet, value, font=_LINK)
        cell.hyperlink = value.strip()
        return cell
    return value  # a datetime gets openpyxl's date format by itself


def is_web_link(text: str) -> bool:
    """Only http(s) URLs become links: a ``javascript:`` or ``file:`` value from the data stays text."""
    return urlsplit(text.strip()).scheme.lower() in ("http", "https")


def _styled(sheet: WriteOnlyWorksheet, value: Any, *, font: Font | None = None,
            alignment: Alignment | None = None, number_format: str | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _plain(value: Any) -> Any:
    """pandas and numpy scalars as the Python values openpyxl writes; NA as an empty cell."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value.item() if hasattr(value, "item") else value


def _width(column: str, values: pd.Series) -> float:
    """Characters of the longest header or (sampled) value, within MIN_WIDTH..MAX_WIDTH; wrapped
    columns get a fixed reading width."""
    if column in WRAPPED_COLUMNS:
        return WRAPPED_WIDTH
    sample = values.head(WIDTH_SAMPLE).dropna()
    if column in PERCENT_COLUMNS:
        longest = 8  # "100.00%"
    elif pd.api.types.is_datetime64_any_dtype(values.dtype):
        longest = DATE_WIDTH
    else:
        longest = int(sample.astype(str).str.len().max()) if len(sample) else 0
    return float(min(MAX_WIDTH, max(MIN_WIDTH, len(column), longest) + 2))


def summary_frame(candidates: pd.DataFrame, context: WorkbookContext) -> pd.DataFrame:
    """(label, value) lines: when, from where, the filters, the counts and the brief."""
    rows: list[tuple[str, Any]] = [("generated at (UTC)", context.generated_at)]
    if context.source:
        rows.append(("warehouse", context.source))
    rows += [(f"filter: {name}", _listed(value)) for name, value in context.filters.items()]
    rows.append(("candidates", len(candidates)))
    if context.held_back:
        rows.append(("held back for fake engagement", context.held_back))
    for column in ("platform", "tier"):
        if column in candidates.columns:
            counts = candidates[column].value_counts(dropna=False).sort_index()
            rows += [(f"{column}: {value}", int(n)) for value, n in counts.items()]
    if context.posts is not None:
        rows.append(("posts behind the metrics (Posts sheet)", len(context.posts)))
    if context.brief is not None:
        rows += [(f"brief: {f.name}", _listed(getattr(context.brief, f.name))) for f in fields(context.brief)]
    return pd.DataFrame(rows, columns=["label", "value"], dtype=object)


def _listed(value: Any) -> Any:
    """A filter or brief field as one cell: lists joined, unset said so."""
    if value is None or value == ():
        return "(none)"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return value


def _summary_sheet(sheet: WriteOnlyWorksheet, summary: pd.DataFrame) -> None:
    """Two columns, label and value, the labels bold."""
    labels = summary["label"].astype(str)
    sheet.column_dimensions["A"].width = max([MIN_WIDTH, *(labels.str.len() + 2)])
    sheet.column_dimensions["B"].width = MAX_WIDTH
    for label, value in zip(labels, summary["value"], strict=True):
        sheet.append([_styled(sheet, label, font=_BOLD), _cell(sheet, _plain(value), False, False, False)])
