"""Write a candidates frame for marketers: CSV, XLSX or Parquet, never half-written; the HTML
report (``reports/``) goes through the same checks and atomic write (``write_export``).

The file is written to a hidden temp file beside the target and renamed into place, so a
crash or a full disk leaves either the old file or nothing, never a truncated export.

Names, bios and captions are written by strangers, so every text format is made inert for the
program that opens it: spreadsheet formulas are defused (OWASP CSV injection) in CSV and XLSX
(and the report, with ``defuse_formulas``).
"""

from __future__ import annotations

import csv
import glob
import json
import os
import secrets
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from core.records import utcnow
from warehouse.db import WarehouseError, check_name_lengths, pid_running
from warehouse.workbook import (
    WorkbookContext,
    summary_frame,
    write_workbook,
)

ExportFormat = Literal["csv", "xlsx", "html", "parquet", "json"]

FORMATS: tuple[str, ...] = ("csv", "xlsx", "html", "parquet")
#: ``scout match -o`` also writes JSON (one object per match, for a program to read).
MATCH_FORMATS: tuple[str, ...] = (*FORMATS, "json")
_SUFFIX_FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".html": "html", ".htm": "html",
                   ".parquet": "parquet", ".pq": "parquet", ".json": "json"}

#: What a marketer reads first, left to right; every other column follows in its own order.
MARKETER_COLUMNS = (
    "profile_url", "handle", "display_name", "platform", "tier", "followers", "er_median",
    "adjusted_er", "authenticity_score", "flag_evidence", "posts_per_week", "account_type", "person_probability", "needs_review", "evidence", "sponsored_share", "niches",
    "collab_stance", "collab_evidence", "paid_posts", "gifted_posts", "affiliate_posts", "past_partners",
    "contact_email", "contact_link", "found_by",
)
HEADERS = {"display_name": "name"}

# OWASP (CSV injection) and ASVS 1.2.10: a cell starting with = + - @, tab, CR or NUL is run as a
# formula by spreadsheet apps, so such text gets a leading single quote. Spreadsheets also trim
# leading blanks and read full-width signs as formula starts in some locales, so the first
# character is taken after whitespace and invisible format characters, and full-width forms count.
_FORMULA_STARTS = frozenset("=+-@\t\r\0\uff1d\uff0b\uff0d\uff20")
#: RFC 4180 line ends. The csv module quotes a cell holding a comma, a quote or a character of
#: the line terminator (2.6/2.7); with "\r\n" that includes a bare CR, which would otherwise
#: split the row and start a new cell that the formula check never saw.
CSV_LINE_END = "\r\n"
#: Where a spreadsheet may start a new cell or row inside a CSV cell: the list separators of the
#: common locales (`,`; `;` in much of Europe; tab; `|`) and line breaks. A reader that does not
#: honour quotes (or loses track of them) starts a cell there, so a formula start after one is
#: defused too.
_CSV_SEPARATORS = frozenset(",;\t|\r\n")


def marketer_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Reorder and rename columns for people, and render evidence JSON as readable text."""
    first = [c for c in MARKETER_COLUMNS if c in df.columns]
    rest = [c for c in df.columns if c not in MARKETER_COLUMNS]
    out = df[first + rest].copy()
    if "evidence" in out.columns:
        out["evidence"] = pd.Series(
            [_render_evidence(v) for v in out["evidence"]], index=out.index, dtype="str"
        )
    return out.rename(columns=HEADERS)


def check_export_path(
    path: str | os.PathLike[str], fmt: str | None = None, force: bool = False,
    formats: tuple[str, ...] = FORMATS,
) -> tuple[Path, str]:
    """(target, format) when ``path`` can take an export, else WarehouseError saying why.

    Cheap and without side effects, so the CLI calls it before querying anything. Missing
    parent directories are fine (they are created); a file in their way, a read-only location,
    a directory as the target, a suffix that contradicts ``fmt`` and an existing file without
    ``force`` are not.
    """
    target = Path(path).expanduser()
    check_name_lengths(target)
    if target.is_dir():
        example = target / f"candidates.{str(fmt or 'csv').strip().lower()}"
        raise WarehouseError(f"{target} is a directory; give a file name such as {example}.")
    fmt = _resolve_format(target, fmt, formats)
    if target.exists() and not force:
        raise WarehouseError(f"{target} exists; use --force to overwrite it.")
    ancestor = target.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise WarehouseError(f"Cannot export to {target}: {ancestor} is a file, not a directory.")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise WarehouseError(f"Cannot export to {target}: {ancestor} is not writable.")
    return target, fmt


def export_candidates(
    df: pd.DataFrame,
    path: str | os.PathLike[str],
    fmt: ExportFormat | None = None,
    force: bool = False,
    formats: tuple[str, ...] = FORMATS,
    workbook: WorkbookContext | None = None,
) -> Path:
    """Write ``df`` to ``path`` atomically and return the path written (one of ``formats``; HTML
    is a report: ``reports.write_report`` writes it, through ``write_export``). ``workbook`` fills
    an XLSX's Summary and Posts sheets (without it: a Summary of the rows alone, no Posts)."""
    target, fmt = check_export_path(path, fmt, force, formats)
    writer = _writer(fmt, workbook)
    frame = marketer_frame(df)
    return write_export(target, fmt, force, lambda tmp: writer(frame, tmp), formats)


def write_export(path: str | os.PathLike[str], fmt: str | None, force: bool, write: Callable[[Path], None],
                 formats: tuple[str, ...] = FORMATS) -> Path:
    """Check ``path``, create its directory, and have ``write(tmp)`` fill a temp file that is then
    renamed into place; returns the path written."""
    target, fmt = check_export_path(path, fmt, force, formats)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(
            f"Cannot create {target.parent} for the export: {exc.strerror or exc}."
        ) from exc
    _write_atomically(target, force, write)
    return target


def _resolve_format(target: Path, fmt: str | None, formats: tuple[str, ...]) -> str:
    inferred = _SUFFIX_FORMATS.get(target.suffix.lower())
    inferred = inferred if inferred in formats else None
    names = ", ".join(formats[:-1]) + f" or {formats[-1]}"
    if fmt is None:
        if inferred is None:
            raise WarehouseError(
                f"Cannot tell the export format from {target.name!r}; use a "
                f"{', '.join('.' + f for f in formats[:-1])} or .{formats[-1]} name or pass --format."
            )
        return inferred
    normalized = str(fmt).strip().lower()
    if normalized not in formats:
        raise WarehouseError(f"Unknown export format {fmt!r}; use {names}.")
    if inferred != normalized:
        raise WarehouseError(
            f"The file name {target.name!r} does not match --format {normalized}; "
            f"name it {target.stem}.{normalized} or leave --format out."
        )
    return normalized


def _write_atomically(target: Path, force: bool, write: Callable[[Path], None]) -> None:
    """Write to a temp file in the target's directory, then rename it into place."""
    _remove_stale_temp_files(target)
    tmp = target.parent / f"{_temp_prefix(target)}{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        try:
            write(tmp)
        except PermissionError as exc:
            raise WarehouseError(f"Cannot write to {target.parent}: the directory is read-only.") from exc
        if force:
            os.replace(tmp, target)
            return
        try:
            # link() fails if the target appeared meanwhile, so a concurrent export is never clobbered.
            os.link(tmp, target)
        except FileExistsError as exc:
            raise WarehouseError(f"{target} exists; use --force to overwrite it.") from exc
        except OSError:
            # Filesystems without hard links: fall back to a checked rename.
            if target.exists():
                raise WarehouseError(f"{target} exists; use --force to overwrite it.") from None
            os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _temp_prefix(target: Path) -> str:
    """Our temp files for ``target`` are ``.NAME.scout-export.PID.RANDOM.tmp``: hidden, named
    after the export and the process writing it, so a later export can tell them apart."""
    return f".{target.name}.scout-export."


def _remove_stale_temp_files(target: Path) -> None:
    """Delete temp files an export killed mid-write left beside ``target`` (their writer is gone);
    a live concurrent export's temp file is kept."""
    prefix = _temp_prefix(target)
    for tmp in target.parent.glob(f"{glob.escape(prefix)}*.tmp"):
        pid = tmp.name[len(prefix):].split(".", 1)[0]
        if pid.isdecimal() and not pid_running(int(pid)):
            tmp.unlink(missing_ok=True)


def _write_csv(frame: pd.DataFrame, tmp: Path) -> None:
    to_csv(frame, tmp)


def to_csv(frame: pd.DataFrame, path: Path | None = None) -> str | None:
    """CSV with every text cell quoted and formulas defused, also after separators inside a cell.

    Quoting keeps a `;` in a name inside its cell for readers set to `;`; the defusing holds
    where a reader splits anyway. Numbers stay unquoted numbers. Returns the text if no path.
    """
    sheet = defuse_formulas(frame)
    for column in _text_columns(sheet):
        sheet[column] = sheet[column].map(_defuse_after_separators)
    return sheet.to_csv(path, index=False, lineterminator=CSV_LINE_END, quoting=csv.QUOTE_NONNUMERIC)


def _write_xlsx(frame: pd.DataFrame, tmp: Path, context: WorkbookContext) -> None:
    # Defused too: a cell a user edits and confirms, or a sheet saved again as CSV, would run it.
    posts = None if context.posts is None else _sheet_ready(context.posts)
    write_workbook(tmp, _sheet_ready(frame), _sheet_ready(summary_frame(frame, context)), posts)


def _sheet_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Defused, in UTC without a time zone (Excel cannot hold one), without XML-illegal characters."""
    sheet = defuse_formulas(frame)
    for column in sheet.columns:
        if isinstance(sheet[column].dtype, pd.DatetimeTZDtype):
            sheet[column] = sheet[column].dt.tz_convert("UTC").dt.tz_localize(None)
        elif sheet[column].dtype == object:  # the Summary's values: mixed, may hold a datetime
            sheet[column] = sheet[column].map(_utc_naive)
    return _strip_illegal_xml(sheet)


def _utc_naive(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _write_parquet(frame: pd.DataFrame, tmp: Path) -> None:
    frame.to_parquet(tmp, index=False, engine="pyarrow")  # typed columns: nothing is run


def _write_json(frame: pd.DataFrame, tmp: Path) -> None:
    """One object per row; JSON is data to every program that opens it, so nothing is defused."""
    frame.to_json(tmp, orient="records", date_format="iso", force_ascii=False, indent=1)


def _writer(fmt: str, workbook: WorkbookContext | None) -> Callable[[pd.DataFrame, Path], None]:
    """The function that writes ``fmt`` (looked up when called); HTML is a report, written elsewhere."""
    writers: dict[str, Callable[[pd.DataFrame, Path], None]] = {
        "csv": _write_csv, "parquet": _write_parquet, "json": _write_json,
        "xlsx": partial(_write_xlsx, context=workbook or WorkbookContext(generated_at=utcnow())),
    }
    if fmt not in writers:
        raise WarehouseError(f"An {fmt} export is a report; write it with reports.write_report.")
    return writers[fmt]


def _render_evidence(value: Any) -> str | None:
    """A JSON list of reasons becomes "reason; reason"; anything else is shown as text."""
    parsed = value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
    elif pd.api.types.is_scalar(value) and pd.isna(value):
        return None
    if parsed is None:
        return None
    if isinstance(parsed, (list, tuple, np.ndarray)):
        return "; ".join(_evidence_item(item) for item in list(parsed))
    return _evidence_item(parsed)


def _evidence_item(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        return ", ".join(f"{k}: {v}" for k, v in item.items())
    return json.dumps(item, ensure_ascii=False)


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c].dtype)]


def is_formula(value: Any) -> bool:
    """True when a spreadsheet could read ``value`` as a formula (see _FORMULA_STARTS)."""
    return isinstance(value, str) and _formula_at(value, 0)


def _formula_at(text: str, start: int, skip: str = "") -> bool:
    """Whether a cell starting at ``text[start]`` reads as a formula; ``skip``: more to pass over."""
    for i in range(start, len(text)):  # indices, not a slice: a long cell is not copied per separator
        ch = text[i]
        if ch in _FORMULA_STARTS:
            return True
        if not (ch.isspace() or ch in skip or unicodedata.category(ch) == "Cf"):
            return False
    return False


def _defuse_after_separators(value: Any) -> Any:
    """A `'` after each separator that a formula follows (a quote opening that cell included)."""
    if not isinstance(value, str) or not _CSV_SEPARATORS.intersection(value):
        return value
    out: list[str] = []
    for i, ch in enumerate(value):
        out.append(ch)
        if ch in _CSV_SEPARATORS and _formula_at(value, i + 1, skip='"'):
            out.append("'")
    return "".join(out)


def defuse_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose risky text cells start with a single quote; numbers and other cells unchanged."""
    out = frame.copy()
    for column in _text_columns(out):
        values = out[column]
        risky = values.map(is_formula)
        if risky.any():
            out[column] = values.mask(risky, "'" + values.astype("str"))
    return out


def _strip_illegal_xml(frame: pd.DataFrame) -> pd.DataFrame:
    """openpyxl refuses control characters that XML cannot hold; drop them instead of failing."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    out = frame.copy()
    for column in _text_columns(out):
        out[column] = out[column].map(
            lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
        )
    return out
