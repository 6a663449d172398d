"""The flag record every authenticity check returns, and how flags become a score.

A check returns a *flag frame*: one row per raised flag, ``row`` being the creator's position
in the scored frame, plus the record's fields. Creators without a flag have no row, so an empty
frame means nothing was found (never a guess where data is missing).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: The version of the checks and of the formula below, stored with every score.
AUTHENTICITY_VERSION = "authenticity-v2"

#: authenticity-v1 and v2: authenticity_score = max(0, 100 - sum of the flags' penalties).
SEVERITY_PENALTY: dict[str, float] = {"high": 40.0, "medium": 15.0, "low": 5.0}

FLAG_COLUMNS = ["row", "name", "severity", "value", "threshold", "evidence"]


def flag_frame(
    rows: np.ndarray, name: str, severity: Any, value: Any, threshold: Any, evidence: Any,
) -> pd.DataFrame:
    """A flag frame for the creators at ``rows``; the other fields are scalars or arrays aligned
    with ``rows`` (numbers are rounded to 4 significant digits, as the evidence reads)."""
    rows = np.asarray(rows, dtype=np.int64)
    n = rows.size

    def column(v: Any) -> np.ndarray:
        return np.asarray(v) if np.ndim(v) else np.full(n, v, dtype=object)

    values = np.asarray(column(value), dtype="float64")
    return pd.DataFrame({
        "row": rows, "name": name, "severity": column(severity),
        "value": _significant(values), "threshold": _significant(np.asarray(column(threshold), dtype="float64")),
        "evidence": column(evidence),
    })


def empty_flags() -> pd.DataFrame:
    return flag_frame(np.empty(0, dtype=np.int64), "", "", np.empty(0), np.empty(0), np.empty(0))


def by_severity(high: np.ndarray, medium: np.ndarray, low: np.ndarray | None = None) -> np.ndarray:
    """The severity per creator from masks (high wins); "" where none applies."""
    low = np.zeros_like(high) if low is None else low
    return np.select([high, medium, low], ["high", "medium", "low"], default="")


def _significant(values: np.ndarray) -> np.ndarray:
    finite = np.isfinite(values) & (values != 0)
    digits = np.where(finite, 3 - np.floor(np.log10(np.abs(np.where(finite, values, 1.0)))), 0)
    return np.array([round(v, int(d)) if f else v for v, d, f in zip(values, digits, finite, strict=True)])


def fmt(values: np.ndarray | pd.Series, spec: str) -> pd.Series:
    """Numbers as text for evidence lines, e.g. fmt(x, ".1f")."""
    return pd.Series([format(v, spec) for v in np.asarray(values, dtype="float64")], dtype=object)
