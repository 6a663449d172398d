"""Write a candidates frame for marketers: CSV, XLSX or Parquet, never half-written.

The file is written to a hidden temp file beside the target and renamed into place, so a
crash or a full disk leaves either the old file or nothing, never a truncated export.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from warehouse.db import WarehouseError

ExportFormat = Literal["csv", "xlsx", "parquet"]

FORMATS: tuple[str, ...] = ("csv", "xlsx", "parquet")
_SUFFIX_FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".pq": "parquet"}

#: What a marketer reads first, left to right; every other column follows in its own order.
MARKETER_COLUMNS = (
    "profile_url", "handle", "display_name", "platform", "tier", "followers", "er_median",
    "posts_per_week", "account_type", "person_probability", "needs_review", "evidence", "sponsored_share",
    "contact_email", "contact_link",
)
HEADERS = {"display_name": "name"}

# A cell starting with one of these is run as a formula by spreadsheet apps (CSV injection);
# display names are written by strangers, so such text is prefixed with a quote.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def export_candidates(
    df: pd.DataFrame,
    path: str | os.PathLike[str],
    fmt: ExportFormat | None = None,
    force: bool = False,
) -> Path:
    """Write ``df`` to ``path`` atomically and return the path written."""
    target = Path(path).expanduser()
    fmt = _resolve_format(target, fmt)
    if target.is_dir():
        example = target / f"candidates.{fmt}"
        raise WarehouseError(f"{target} is a directory; give a file name such as {example}.")
    if target.exists() and not force:
        raise WarehouseError(f"{target} exists; use --force to overwrite it.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except PermissionError as exc:
        raise WarehouseError(
            f"Cannot create {target.parent} for the export: the location is read-only."
        ) from exc

    frame = marketer_frame(df)
    writers: dict[str, Callable[[pd.DataFrame, Path], None]] = {
        "csv": _write_csv,
        "xlsx": _write_xlsx,
        "parquet": _write_parquet,
    }
    _write_atomically(target, force, lambda tmp: writers[fmt](frame, tmp))
    return target


def _resolve_format(target: Path, fmt: str | None) -> str:
    if fmt is None:
        inferred = _SUFFIX_FORMATS.get(target.suffix.lower())
        if inferred is None:
            raise WarehouseError(
                f"Cannot tell the export format from {target.name!r}; use a .csv, .xlsx or .parquet name "
                "or pass --format."
            )
        return inferred
    normalized = str(fmt).strip().lower()
    if normalized not in FORMATS:
        raise WarehouseError(f"Unknown export format {fmt!r}; use csv, xlsx or parquet.")
    return normalized


def _write_atomically(target: Path, force: bool, write: Callable[[Path], None]) -> None:
    """Write to a temp file in the target's directory, then rename it into place."""
    tmp = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
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


def _write_csv(frame: pd.DataFrame, tmp: Path) -> None:
    _defuse_formulas(frame, _FORMULA_STARTS).to_csv(tmp, index=False)


def _write_xlsx(frame: pd.DataFrame, tmp: Path) -> None:
    # openpyxl stores only text starting with "=" as a formula; Excel cannot hold time zones.
    sheet = _defuse_formulas(frame, ("=",))
    for column in sheet.columns:
        if isinstance(sheet[column].dtype, pd.DatetimeTZDtype):
            sheet[column] = sheet[column].dt.tz_convert("UTC").dt.tz_localize(None)
    sheet = _strip_illegal_xml(sheet)
    sheet.to_excel(tmp, index=False, engine="openpyxl", sheet_name="candidates")


def _write_parquet(frame: pd.DataFrame, tmp: Path) -> None:
    frame.to_parquet(tmp, index=False, engine="pyarrow")


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


def _defuse_formulas(frame: pd.DataFrame, starts: tuple[str, ...]) -> pd.DataFrame:
    out = frame.copy()
    for column in _text_columns(out):
        values = out[column]
        risky = values.map(lambda v: isinstance(v, str) and v.startswith(starts))
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
