"""Hostile content: formula injection, XSS, spoofing characters, odd JSON and SQL in user input.

Every payload goes through the real path a user would take: a saved page imported with the CLI,
real export files read back with the readers a marketer's tools use, real DuckDB files.
"""

from __future__ import annotations

import csv
import json
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from markupsafe import escape
from typer.testing import CliRunner

from cli.app import app
from core.records import Post, Profile
from core.text import clean_handle, clean_text
from flows.markdown import md_cell
from reports.render import ReportContext, render_report
from scrapers.registry import PLATFORMS
from warehouse.cards import CardDetails
from warehouse.export import export_candidates, is_formula
from warehouse.queries import candidates

runner = CliRunner()
FIXTURES = Path(__file__).parents[1] / "fixtures"

FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+2",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",  # spreadsheets trim leading blanks
    "\u200b=1+1",  # an invisible character in front
    "\uff1d1+1",  # full-width equals sign
    "=cmd|'/c calc'!A1",
]
XSS = ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "</td></tr><svg onload=alert(1)>"]


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def one_clear_line(result) -> str:
    text = result.output.strip()
    assert "Traceback" not in text
    assert text.count("error:") == 1 and "\n" not in text, text
    return text


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def hostile_frame() -> pd.DataFrame:
    n = len(FORMULAS)
    return pd.DataFrame({
        "profile_url": ["javascript:alert(1)", "https://bsky.app/profile/a.bsky.social"] + [None] * (n - 2),
        "handle": [f"h{i}" for i in range(n)],
        "display_name": FORMULAS,
        "bio": (XSS * n)[:n],
        "followers": [-5] + list(range(1, n)),  # a negative number is a number, not a formula
        "er_median": [0.5] * n,
    })


# --------------------------------------------------------------------------- spreadsheet formulas


@pytest.mark.parametrize("payload", FORMULAS)
def test_formula_starts_are_recognised(payload: str) -> None:
    assert is_formula(payload)


@pytest.mark.parametrize("text", ["Yuki", "a=b", "jo@example.org", " plain", "", "\u200bYuki"])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert not is_formula(text)


def test_csv_export_defuses_every_formula_and_keeps_numbers(tmp_path: Path) -> None:
    df = hostile_frame()
    df.loc[0, "bio"] = 'hello,=1+1 "quoted"\nsecond line'  # separators and quotes stay in one cell
    path = export_candidates(df, tmp_path / "c.csv")
    with path.open(newline="", encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    # a tab or CR is a separator too, so the formula after it is defused as well
    assert [r["name"] for r in table] == ["'" + p.replace("\t=", "\t'=").replace("\r=", "\r'=") for p in FORMULAS]
    assert table[0]["bio"] == df.loc[0, "bio"].replace(",=", ",'=")
    assert [r["followers"] for r in table] == [str(v) for v in df["followers"]]  # unquoted numbers
    assert "'-5" not in path.read_text(encoding="utf-8")


#: Names that smuggle a formula past a check of the first character: a list separator (`;` in
#: many European Excel locales, `,`, tab, `|`) or a line break, then a formula start.
SEPARATED = [
    "Yuki;=HYPERLINK(A1);",
    'Yuki;=HYPERLINK("http://evil.example","x");',
    "a; @SUM(1;2)",
    "b,+1+2",
    "c|-2+3",
    "d\t=1+1",
    "e;\u200b=1+1",
    'f;"=1+1"',
    "g\n=1+1",
]


def test_csv_export_read_with_semicolons_has_no_formula_cell(tmp_path: Path) -> None:
    df = pd.DataFrame({
        "handle": [f"h{i}" for i in range(len(SEPARATED))],
        "display_name": SEPARATED,
        "bio": list(reversed(SEPARATED)),
        "followers": range(1, len(SEPARATED) + 1),
    })
    path = export_candidates(df, tmp_path / "c.csv")
    text = path.read_text(encoding="utf-8")
    with path.open(newline="", encoding="utf-8") as f:
        by_csv = [cell for row in csv.reader(f, delimiter=";") for cell in row]
    # quotes taken literally (pandas' quote-aware reader gives up on this file: EOF inside a string)
    by_pandas = pd.read_csv(path, sep=";", header=None, names=range(64), dtype=str,
                            quoting=csv.QUOTE_NONE).stack().dropna().tolist()
    # a split at every `;` and line break, as the crudest importer would do
    by_split = [cell for line in text.splitlines() for cell in line.split(";")]
    for cells in (by_csv, by_pandas, by_split):
        assert len(cells) > len(SEPARATED)
        starts = [c.lstrip('"\r\n') for c in cells]  # a quote or a row's end is not a formula start
        bad = [c for c in starts if is_formula(c) and not c.lstrip("-").isdigit()]
        assert bad == []
    # every text cell is quoted; numbers are not
    with path.open(newline="", encoding="utf-8") as f:
        quoted = list(csv.reader(f, quoting=csv.QUOTE_NONNUMERIC))
    column = quoted[0].index("followers")
    assert [row[column] for row in quoted[1:]] == [float(v) for v in df["followers"]]
    # read normally, each cell is still the creator's text, one quote added before each formula
    with path.open(newline="", encoding="utf-8") as f:
        names = [row["name"] for row in csv.DictReader(f)]
    assert names[0] == "Yuki;'=HYPERLINK(A1);"
    assert [n.replace("'", "") for n in names] == [s.replace("'", "") for s in SEPARATED]


def test_xlsx_export_has_no_formula_cells_and_numeric_numbers(tmp_path: Path) -> None:
    df = hostile_frame()
    path = export_candidates(df, tmp_path / "c.xlsx")
    sheet = openpyxl.load_workbook(path).active
    header = [c.value for c in sheet[1]]
    cells = list(sheet.iter_rows(min_row=2))
    assert all(c.data_type != "f" for row in cells for c in row)
    names = [row[header.index("name")].value for row in cells]
    assert all(n.startswith("'") for n in names) and len(names) == len(FORMULAS)
    followers = [row[header.index("followers")] for row in cells]
    assert [c.value for c in followers] == list(df["followers"]) and {c.data_type for c in followers} == {"n"}


# --------------------------------------------------------------------------- HTML


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)


def _report(frame: pd.DataFrame, tmp_path: Path) -> str:
    """The HTML report of ``frame`` (hostile_frame's shape), its bios and captions from ``frame``'s bio."""
    frame = frame.assign(platform="bluesky", creator_id=frame["handle"], tier="nano", niche="food",
                         authenticity_score=100.0)
    keys = frame[["platform", "creator_id"]]
    details = CardDetails(
        profiles=keys.assign(bio=frame["bio"], avatar_url=None),
        posts=keys.assign(published_at=pd.Timestamp("2026-01-01", tz="UTC"), text=frame["bio"], likes=1, comments=0,
                          shares=0, views=None),
        snapshots=pd.DataFrame(columns=["platform", "creator_id", "observed_at", "followers"]),
        runs=pd.DataFrame(columns=["run_id", "flow", "platform", "status", "started_at", "finished_at"]))
    return render_report(frame, details, context=ReportContext(), avatar_cache=tmp_path)


def test_html_report_escapes_every_cell_and_links_only_http(tmp_path: Path) -> None:
    text_of = _report(hostile_frame(), tmp_path)
    page, plain = _Elements(), _Elements()
    page.feed(text_of)
    plain.feed(_report(hostile_frame().assign(display_name="Yuki", bio="I bake"), tmp_path))
    assert page.tags == plain.tags  # no element came from the data
    assert not [name for name, _ in page.attrs if name.startswith("on")]
    hrefs = {value for name, value in page.attrs if name == "href"}
    assert hrefs == {"https://bsky.app/profile/a.bsky.social"}  # javascript: stayed text
    text = "".join(page.text)
    assert all(x in text for x in XSS) and "javascript:alert(1)" in text  # visible, as text
    assert "default-src 'none'" in text_of


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a|b", r"a\|b"),
        ("<img src=x onerror=alert(1)>", r"&lt;img src=x onerror=alert\(1\)&gt;"),
        ("[x](javascript:alert(1))", r"\[x\]\(javascript:alert\(1\)\)"),
        ("one\ntwo\r\n| --- |", r"one two \| --- \|"),
        ("Tom & Jerry", "Tom &amp; Jerry"),
        ("\u202eevil", "evil"),
        (None, ""),
        (0.25, "0.25"),
    ],
)
def test_markdown_cells_are_inert_text(value, expected) -> None:
    assert md_cell(value) == expected


def test_markdown_cells_are_capped() -> None:
    assert md_cell("x" * 1000, max_chars=50) == "x" * 49 + "…"


# --------------------------------------------------------------------------- spoofing characters


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("ad\u202emin", "admin"),  # right-to-left override
        ("\u2066yuki\u2069", "yuki"),  # isolates
        ("yu\u200bki\ufeff", "yuki"),  # zero-width space, BOM
        ("\u200dyuki\u200c", "yuki"),  # stray joiners at the edges
        ("👩\u200d🍳 chef", "👩\u200d🍳 chef"),  # a joiner inside an emoji sequence is text
        ("می\u200cخواهم", "می\u200cخواهم"),  # ZWNJ inside a Persian word is text
        ("hi\U000e0041\U000e0042", "hi"),  # smuggled tag characters
        ("🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f", "🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f"),
        ("red\x1b[31m\x00\r\nline", "red[31m\nline"),  # terminal escapes, NUL, CRLF
        ("x\ud800y", "x\ufffdy"),  # a lone surrogate from a JSON escape
        ("Cafe\u0301", "Café"),  # NFC
        ("مرحبا Yuki", "مرحبا Yuki"),  # right-to-left text itself is kept
    ],
)
def test_clean_text_keeps_visible_text_and_drops_spoofing(given: str, expected: str) -> None:
    assert clean_text(given) == expected


def test_records_are_cleaned_whatever_the_parser() -> None:
    profile = Profile("bluesky", "did:x", " yu\u200bki\u200e.bsky.social", display_name="Yuki\u202e",
                      bio="<b>hi</b>\u2066")
    post = Post("bluesky", "p1", "did:x", None, text="#ad\u200b now")
    assert (profile.handle, profile.display_name, profile.bio, post.text) == (
        "yuki.bsky.social", "Yuki", "<b>hi</b>", "#ad now")
    assert clean_handle("@a\u200db") == "@ab"


# --------------------------------------------------------------------------- saved files


DEEP = "[" * 100_000 + "]" * 100_000
ODD_BODIES = {
    "deep array": DEEP,
    "deep object": '{"a":' * 50_000 + "1" + "}" * 50_000,
    "NaN": '{"data": {"user": NaN}, "profiles": [NaN]}',
    "huge number": '{"followersCount": ' + "9" * 5000 + "}",
    "top-level list": "[1, 2, 3]",
    "top-level string": '"hello"',
    "null": "null",
}


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
@pytest.mark.parametrize("name", sorted(ODD_BODIES))
def test_odd_json_is_a_clear_exit_2(tmp_path: Path, platform: str, name: str) -> None:
    saved = tmp_path / "odd.json"
    saved.write_text(ODD_BODIES[name])
    result = run("parse", "-p", platform, str(saved))
    assert result.exit_code == 2
    assert str(saved) in one_clear_line(result)


def test_huge_counts_are_unknown_not_an_overflow() -> None:
    body = json.dumps({"profiles": [{"did": "did:plc:" + "a" * 24, "handle": "a.bsky.social",
                                     "followsCount": 1, "postsCount": 2}]})
    body = body.replace('"handle"', '"followersCount": ' + "9" * 30 + ', "handle"')
    profile = PLATFORMS["bluesky"].parse_saved(body).profiles[0]
    assert profile.followers is None and profile.handle == "a.bsky.social"


def test_invalid_utf8_is_replaced_not_fatal(tmp_path: Path) -> None:
    page = (FIXTURES / "tiktok" / "profile_universal.html").read_bytes()
    saved = tmp_path / "bad.html"
    saved.write_bytes(page.replace(b'"nickname":"Yuki', b'"nickname":"Yu\xff\xfeki'))
    result = run("parse", "-p", "tiktok", str(saved))
    assert result.exit_code == 0, result.output
    assert "\ufffd" in json.loads(result.stdout)["profile"]["display_name"]


# --------------------------------------------------------------------------- end to end


def embedded(text: str) -> str:
    """A JSON string as pages embed it in a <script>: "<" escaped, or "</script>" would end it."""
    return json.dumps(text).replace("<", "\\u003c")


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory, prefect_harness) -> Path:
    """A saved TikTok page whose name is a formula wrapped in spoofing characters, whose bio is
    script, and whose handle is SQL, imported through the CLI."""
    page = (FIXTURES / "tiktok" / "profile_universal.html").read_text(encoding="utf-8")
    name = NAME + "\u202e\u200b"
    bio = "illustrator in Tokyo <script>alert(1)</script> <img src=x onerror=alert(1)>"
    page = (page.replace('"nickname":"Yuki ✏️ illustrations"', '"nickname":' + embedded(name))
                .replace('"uniqueId":"yukidraws"', '"uniqueId":' + json.dumps(SQL))
                .replace('"signature":"illustrator in Tokyo 🎨', '"signature":' + embedded(bio)[:-1]))
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "page.html").write_text(page, encoding="utf-8")
    db = folder / "scout.duckdb"
    result = run("import", "-p", "tiktok", str(folder / "page.html"), "--db", str(db))
    assert result.exit_code == 0, result.output
    return db


SQL = "x'); DROP TABLE creators; --"
NAME = '=HYPERLINK("http://evil.example","Yuki")<img src=x onerror=alert(1)>'


def test_hostile_page_is_stored_clean_and_verbatim(hostile_db: Path) -> None:
    (handle, name, bio), = rows(hostile_db, "select handle, display_name, bio from creators")
    assert handle == SQL  # parameterised all the way: stored as text, nothing dropped
    assert name == NAME  # the override and the zero-width space are gone
    assert "<script>" in bio  # stored as the creator wrote it; escaped where it is rendered


def test_cli_outputs_are_neutralised(hostile_db: Path, tmp_path: Path) -> None:
    shown = run("candidates", "--db", str(hostile_db), "--format", "csv")
    assert shown.exit_code == 0, shown.output
    (row,) = list(csv.DictReader(shown.stdout.splitlines()))
    assert row["display_name"].startswith("'=HYPERLINK")
    table = run("candidates", "--db", str(hostile_db))
    assert table.exit_code == 0 and "=HYPERLINK" in table.output  # a table shows text as text
    out = tmp_path / "c.html"
    assert run("export", "--db", str(hostile_db), "-o", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    # defused and escaped: the only images are the report's own avatars
    assert page.count("<img") == page.count('<img class="avatar"') == 1 and escape("'" + NAME) in page


@pytest.mark.parametrize("args", [["--platform", SQL], ["--tier", SQL], ["--platform", "tiktok", "--tier", SQL]])
def test_sql_in_cli_filters_is_refused_and_harmless(hostile_db: Path, args: list[str]) -> None:
    result = run("candidates", "--db", str(hostile_db), *args)
    assert result.exit_code == 2 and "unknown" in one_clear_line(result).lower()
    assert rows(hostile_db, "select count(*) from creators") == [(1,)]


def test_sql_in_query_parameters_is_bound(hostile_db: Path) -> None:
    assert candidates(hostile_db, platforms=[SQL]).empty
    with pytest.raises(Exception, match="tiers"):
        candidates(hostile_db, tiers=[SQL])
    assert rows(hostile_db, "select count(*) from creators") == [(1,)]


@pytest.mark.usefixtures("prefect_harness")
def test_sql_in_discover_query_and_handle_goes_nowhere_but_the_platform(tmp_path: Path, sandbox) -> None:
    db = tmp_path / "s.duckdb"
    result = run("discover", "-p", "bluesky", "--base-url", sandbox.base_url, "-q", SQL,
                 "--limit", "5", "--posts", "2", "--rate", "100", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert rows(db, "select count(*) from raw_responses where request_key = ?", SQL)[0][0] >= 1
    assert {t for (t,) in rows(db, "select table_name from information_schema.tables")} >= {"creators", "posts"}
    bad = run("discover", "-p", "bluesky", "--handle", SQL, "--db", str(db))
    assert bad.exit_code == 2 and "handle" in one_clear_line(bad)


# --------------------------------------------------------------------------- export paths


def test_export_paths_are_checked_before_anything_is_read(tmp_path: Path) -> None:
    missing_db = tmp_path / "none.duckdb"  # never opened: the path check comes first
    (tmp_path / "taken.csv").write_text("keep me")
    (tmp_path / "afile").write_text("")
    cases = {
        str(tmp_path): "is a directory",
        str(tmp_path / "taken.csv"): "--force",
        str(tmp_path / "afile" / "c.csv"): "is a file, not a directory",
        str(tmp_path / "c.txt"): "Cannot tell the export format",
    }
    for output, message in cases.items():
        result = run("export", "--db", str(missing_db), "-o", output)
        assert result.exit_code == 2 and message in one_clear_line(result), output
    mismatch = run("export", "--db", str(missing_db), "-o", str(tmp_path / "c.csv"), "--format", "xlsx")
    assert mismatch.exit_code == 2 and "does not match --format xlsx" in one_clear_line(mismatch)
    assert (tmp_path / "taken.csv").read_text() == "keep me" and not missing_db.exists()


def test_read_only_export_location_is_reported(tmp_path: Path, read_only_dir: Path) -> None:
    result = run("export", "--db", str(tmp_path / "x.duckdb"), "-o", str(read_only_dir / "sub" / "c.csv"))
    assert result.exit_code == 2 and "not writable" in one_clear_line(result)
