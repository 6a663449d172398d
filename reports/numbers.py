"""How the report prints numbers (never 16 digits, ER as a percentage with one decimal) and times (UTC)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd


def missing(value: Any) -> bool:
    """None, NaN and pandas' NA all mean "not known"; a list or array is a value."""
    if value is None:
        return True
    if not pd.api.types.is_scalar(value):
        return False
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):  # pd.NA refuses bool()
        return True


def percent(fraction: Any) -> str:
    """0.0345 -> "3.5%"; empty when unknown."""
    return "" if missing(fraction) else f"{float(fraction) * 100:.1f}%"


def whole(count: Any) -> str:
    """12345 -> "12,345"; empty when unknown."""
    return "" if missing(count) else f"{round(float(count)):,}"


def compact(count: Any) -> str:
    """A count as a card shows it: 950, 12.3k, 1.2M; empty when unknown."""
    if missing(count):
        return ""
    value = float(count)
    for size, suffix in ((1e6, "M"), (1e3, "k")):
        if round(abs(value) / size, 1) >= 1:  # 999,950 is "1M", not "1000k"
            return f"{value / size:.1f}".removesuffix(".0") + suffix
    return f"{round(value):,}"


def score(value: Any) -> str:
    """A 0-100 score or a probability-like number, at most one decimal; empty when unknown."""
    return "" if missing(value) else f"{float(value):.1f}".removesuffix(".0")


def utc(value: Any, fmt: str = "%Y-%m-%d %H:%M UTC") -> str:
    """A timestamp in UTC (DuckDB hands them over in the session's zone); empty when unknown."""
    if missing(value):
        return ""
    stamp = pd.Timestamp(value)
    return (stamp.tz_convert("UTC") if stamp.tzinfo else stamp).strftime(fmt)
