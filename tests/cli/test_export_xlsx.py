"""`scout export --format xlsx`: the workbook a marketer opens, read back with openpyxl."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
from typer.testing import CliRunner

from cli.app import app
from core.brief import Brief
from core.records import utcnow
from warehouse.export import export_candidates
from warehouse.queries import candidates
from warehouse.workbook import MAX_WIDTH, WRAPPED_WIDTH, WorkbookContext


def _export(db: Path, path: Path, *args: str) -> None:
    result = CliRunner().invoke(app, ["export", "--db", str(db), "-o", str(path), *args])
    assert result.exit_code == 0, result.output


def _rows(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_the_candidates_sheet_is_styled_for_a_marketer(bakers_db: Callable[..., Path], tmp_path: Path) -> None:
    db = bakers_db(12)
    path = tmp_path / "c.xlsx"
    _export(db, path, "--tier", "nano")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["candidates", "Summary", "Posts"]
    sheet = book["candidates"]
    header = [c.value for c in sheet[1]]
    column = {name: i for i, name in enumerate(header)}
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}13"
    first = sheet[2]
    for name in ("er_median", "adjusted_er", "sponsored_share"):
        assert first[column[name]].number_format == "0.00%", name
    assert isinstance(first[column["er_median"]].value, float)
    url = first[column["profile_url"]]
    assert url.hyperlink.target == url.value and url.value.startswith("https://bsky.app/profile/baker")
    evidence = first[column["evidence"]]
    assert evidence.alignment.wrap_text
    widths = {name: sheet.column_dimensions[sheet.cell(1, i + 1).column_letter].width for name, i in column.items()}
    assert widths["evidence"] == WRAPPED_WIDTH
    longest_handle = max(len(str(r[column["handle"]].value)) for r in sheet.iter_rows(min_row=2))
    assert longest_handle < widths["handle"] <= MAX_WIDTH
    assert all(w <= max(MAX_WIDTH, WRAPPED_WIDTH) for w in widths.values())


def test_summary_and_posts_sheets_say_what_was_exported(bakers_db: Callable[..., Path], tmp_path: Path) -> None:
    db = bakers_db(6, bought=2)
    path = tmp_path / "c.xlsx"
    before = utcnow().replace(tzinfo=None, microsecond=0)
    _export(db, path, "--tier", "nano", "--min-er", "1%")
    after = utcnow().replace(tzinfo=None)
    book = openpyxl.load_workbook(path)
    summary = {row[0].value: row[1].value for row in book["Summary"].iter_rows()}
    assert summary["candidates"] == 6 and summary["held back for fake engagement"] == 2
    assert summary["filter: tier"] == "nano" and summary["filter: min ER"] == "1%"
    assert summary["filter: platform"] == "(none)" and summary["filter: sort"] == "adjusted"
    assert summary["tier: nano"] == 6 and summary["warehouse"] == str(db)
    assert before <= summary["generated at (UTC)"] <= after  # when, in UTC
    assert all(row[0].font.bold for row in book["Summary"].iter_rows())
    posts = _rows(book["Posts"])
    exported = {r["handle"] for r in _rows(book["candidates"])}
    assert {p["handle"] for p in posts} == exported
    assert len(posts) == 5 * 6 == summary["posts behind the metrics (Posts sheet)"]  # each baker's 5 posts
    assert all(p["counts_for_er"] and p["text"] == "my loaf finally rose! so proud" for p in posts)
    by_creator = pd.DataFrame(posts).groupby("handle")["published_at"]
    assert by_creator.apply(lambda s: s.is_monotonic_decreasing).all()  # newest first
    assert book["Posts"].freeze_panes == "A2" and book["Posts"].auto_filter.ref == f"A1:N{len(posts) + 1}"


def test_a_brief_is_on_the_summary_and_every_sheet_stays_formula_free(
        bakers_db: Callable[..., Path], tmp_path: Path) -> None:
    db = bakers_db(3)
    df = candidates(db)
    hostile = Brief(text="=HYPERLINK(\"http://evil\")", name="@cmd|' /C calc'!A0", tiers=("nano",))
    posts = pd.DataFrame({"handle": [df["handle"].iloc[0]], "text": ["+SUM(1,2)"]})
    path = export_candidates(df, tmp_path / "c.xlsx", workbook=WorkbookContext(
        generated_at=utcnow(), brief=hostile, posts=posts))
    book = openpyxl.load_workbook(path)
    summary = {row[0].value: row[1].value for row in book["Summary"].iter_rows()}
    assert summary["brief: text"] == "'=HYPERLINK(\"http://evil\")"
    assert summary["brief: name"].startswith("'@") and summary["brief: tiers"] == "nano"
    assert book["Posts"]["B2"].value == "'+SUM(1,2)"
    assert all(c.data_type != "f" for sheet in book for row in sheet.iter_rows() for c in row)
