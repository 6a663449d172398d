"""The report's summary charts: Altair specs rendered to SVG by vl-convert, in process.

vl-convert bundles Vega and renders without a browser or a network. Data is aggregated in
pandas first, so a chart embeds a handful of rows whatever the report's size. Each SVG's ids are
prefixed with its chart's name: several inline SVGs share one document's id space.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import vl_convert
from markupsafe import Markup

TIER_ORDER = ["sub_nano", "nano", "micro", "mid", "macro", "mega"]
WIDTH, HEIGHT = 220, 150
_ID = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')


def _svg(name: str, chart: alt.TopLevelMixin) -> Markup:
    """SVG markup of ``chart``; vl-convert escapes every label it writes (a niche or tier is text)."""
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    return Markup(_ID.sub(lambda m: f"{m.group(1)}{name}-{m.group(2)}", svg))


def _counts(values: pd.Series, label: str) -> pd.DataFrame:
    counts = values.dropna().astype(str).value_counts()
    return pd.DataFrame({label: counts.index, "creators": counts.to_numpy()})


def _bars(data: pd.DataFrame, label: str, title: str, order: list[str] | None = None) -> alt.Chart:
    sort = order if order is not None else "-x"
    return alt.Chart(data, title=title, width=WIDTH, height=HEIGHT).mark_bar(color="#2f6fdf").encode(
        x=alt.X("creators:Q", title="creators", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y(f"{label}:N", title=None, sort=sort),
        tooltip=[label, "creators"],
    )


def tier_mix(frame: pd.DataFrame) -> Markup:
    data = _counts(frame["tier"], "tier")
    return _svg("tiers", _bars(data, "tier", "Tier mix", [t for t in TIER_ORDER if t in set(data["tier"])]))


def er_by_tier(frame: pd.DataFrame) -> Markup:
    """Median ER per tier as a box: quartiles as the bar, the median as a tick, min to max as a rule."""
    er = frame[["tier", "er_median"]].dropna().assign(er=lambda d: d["er_median"].astype(float) * 100)
    stats = er.groupby("tier")["er"].describe()[["min", "25%", "50%", "75%", "max"]].reset_index()
    stats.columns = ["tier", "low", "q1", "median", "q3", "high"]
    tiers = [t for t in TIER_ORDER if t in set(stats["tier"])]
    base = alt.Chart(stats, title="Median ER by tier (%)", width=WIDTH, height=HEIGHT).encode(
        y=alt.Y("tier:N", title=None, sort=tiers))
    chart = alt.layer(
        base.mark_rule(color="#7a8699").encode(x=alt.X("low:Q", title="median ER, %"), x2="high:Q"),
        base.mark_bar(color="#9cc0f5", size=14).encode(x="q1:Q", x2="q3:Q"),
        base.mark_tick(color="#1d3f7a", thickness=2, size=14).encode(
            x="median:Q", tooltip=[alt.Tooltip("median:Q", format=".1f")]),
    )
    return _svg("er", chart)


def niche_mix(frame: pd.DataFrame) -> Markup:
    return _svg("niches", _bars(_counts(frame["niche"], "niche"), "niche", "Main niche"))


def authenticity(frame: pd.DataFrame) -> Markup:
    """Creators per authenticity band of 10 points (100 = no flag)."""
    scores = frame["authenticity_score"].dropna().astype(float)
    lows = (scores.clip(0, 99.999) // 10 * 10).astype(int)
    bands = lows.map(lambda low: f"{low}-{low + 10}").value_counts()
    order = [f"{low}-{low + 10}" for low in range(90, -10, -10) if f"{low}-{low + 10}" in bands.index]
    data = pd.DataFrame({"score": bands.index, "creators": bands.to_numpy()})
    return _svg("authenticity", _bars(data, "score", "Authenticity score", order))


def summary_charts(frame: pd.DataFrame) -> list[Markup]:
    """The summary charts of the creators in ``frame``, each only when its column has a value."""
    drawn = (("tier", tier_mix), ("er_median", er_by_tier), ("niche", niche_mix), ("authenticity_score", authenticity))
    return [draw(frame) for column, draw in drawn if frame[column].notna().any()]
