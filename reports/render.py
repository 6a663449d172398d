"""The report as one HTML file: the template filled, the CSS and script inline, a strict CSP.

The Content-Security-Policy allows nothing remote: ``default-src 'none'``, images only as
``data:`` URIs, and the one stylesheet and one script by their sha256, so nothing a creator
wrote can run even if it were ever left unescaped.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import jinja2
import pandas as pd
from markupsafe import Markup

from core.brief import Brief
from core.settings import Settings
from reports.cards import build_cards
from reports.charts import TIER_ORDER, summary_charts
from reports.numbers import utc
from warehouse.cards import CardDetails, card_details
from warehouse.db import DbPath
from warehouse.export import defuse_formulas, write_export

_TEMPLATES = files("reports") / "templates"
_ENV = jinja2.Environment(loader=jinja2.PackageLoader("reports", "templates"), autoescape=True,
                          undefined=jinja2.StrictUndefined)


@dataclass(frozen=True)
class ReportContext:
    """What the header says beyond the creators: the filters as (label, value), how many creators
    matched before a limit and how many were held back for fake engagement, the brief if any."""

    filters: list[tuple[str, str]] = field(default_factory=list)
    matching: int | None = None
    held_back: int = 0
    brief: Brief | None = None


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _tier_counts(frame: pd.DataFrame) -> list[tuple[str, int]]:
    counts = frame["tier"].dropna().astype(str).value_counts()
    return sorted(counts.items(), key=lambda item: (TIER_ORDER.index(item[0]) if item[0] in TIER_ORDER else 99, item[0]))


def _runs(runs: pd.DataFrame) -> list[dict[str, str]]:
    """The newest run of each platform as the header shows it."""
    return [{"run_id": str(r["run_id"]), "platform": str(r["platform"]), "flow": str(r["flow"]),
             "status": str(r["status"]),
             "started": utc(r["started_at"])}
            for r in runs.to_dict(orient="records")]


def render_report(frame: pd.DataFrame, details: CardDetails, *, context: ReportContext, avatar_cache: Path,
                  now: datetime | None = None) -> str:
    """The report's HTML for the candidates in ``frame`` (in its order) and their ``details``."""
    frame = defuse_formulas(frame)  # a spreadsheet opening the file would run a formula cell
    css = (_TEMPLATES / "report.css").read_text(encoding="utf-8")
    script = (_TEMPLATES / "report.js").read_text(encoding="utf-8")
    csp = (f"default-src 'none'; img-src data:; style-src {_sha256(css)}; script-src {_sha256(script)}; "
           "base-uri 'none'; form-action 'none'")
    brief = context.brief
    return _ENV.get_template("report.html.j2").render(
        csp=Markup(csp), css=Markup(css), script=Markup(script),
        title=(brief.name if brief and brief.name else "Creator report"),
        brief=brief,
        counts={"shown": len(frame), "matching": len(frame) if context.matching is None else context.matching,
                "held_back": context.held_back, "tiers": _tier_counts(frame)},
        filters=context.filters,
        runs=_runs(details.runs),
        generated=(now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        charts=summary_charts(frame),
        cards=build_cards(frame, details, avatar_cache),
        has_fit="fit_score" in frame.columns,
    )


def write_report(frame: pd.DataFrame, path: Path, *, db: DbPath, context: ReportContext, avatar_cache: Path,
                 force: bool = False, config: Settings | None = None) -> Path:
    """Read the cards' details (one query each for the whole report), render, write atomically."""
    details = card_details(db, frame[["platform", "creator_id"]], config=config)
    page = render_report(frame, details, context=context, avatar_cache=avatar_cache)
    return write_export(path, "html", force, lambda tmp: tmp.write_text(page, encoding="utf-8"))
