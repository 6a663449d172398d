"""Evidence: each verdict's strongest shares of the log-odds, in plain words.

The model is linear, so a signal's share of the log-odds is exactly weight x value; the
largest shares (by size, at most EVIDENCE_LIMIT) become lines such as
"display name starts with a common first name ('maya') (+1.9)". Only the chosen cells are
ever worded, so wording costs a few strings per row whatever the frame's size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from transforms import account_features as af

EVIDENCE_LIMIT = 5
EVIDENCE_MIN = 0.05  # shares of the log-odds below this round to nothing: not evidence
NGRAMS_SHOWN = 2  # per field, the strongest words quoted on their own line

_FIELD_WORDS = {"bio": "bio", "name": "display name", "handle": "handle",
                "post": "sample post"}
FIELD_OVERALL = {"bio": "wording of the bio overall",
                  "name": "spelling of the display name overall",
                  "handle": "spelling of the handle overall",
                  "post": "wording of the sample post overall"}
_TOKEN_WORDS = {af.URL_TOKEN: "<link>", af.MENTION_TOKEN: "<@mention>", "0": "<number>"}


@dataclass(frozen=True)
class Grouping:
    """Which named signals add up to one evidence line: a 0/1 signals x groups matrix and,
    per group, the signal whose wording the line uses (the first of the group)."""

    matrix: np.ndarray
    heads: list[int]


def _grouping() -> Grouping:
    heads: dict[str, int] = {}
    for j, spec in enumerate(af.BASE_SIGNALS):
        heads.setdefault(spec.group or spec.key, j)
    order = list(heads)
    matrix = np.zeros((len(af.BASE_SIGNALS), len(order)))
    for j, spec in enumerate(af.BASE_SIGNALS):
        matrix[j, order.index(spec.group or spec.key)] = 1.0
    return Grouping(matrix, list(heads.values()))


GROUPS = _grouping()


def _fmt(values: np.ndarray, template: str) -> np.ndarray:
    """template % value for each value, as an object array; each distinct value formatted once."""
    values = np.asarray(values)
    if values.size == 0:
        return np.zeros(0, dtype=object)
    uniques, inverse = np.unique(values, return_inverse=True)
    return np.array([template % u for u in uniques.tolist()], dtype=object)[inverse]


def _fmt_weight(w: np.ndarray) -> np.ndarray:
    return _fmt(np.round(np.asarray(w, dtype=float), 1) + 0.0, " (%+.1f)")


class Evidence:
    """Candidate evidence lines, one column each: a share of the log-odds, its wording, the
    share an unremarkable account gets from the same signals (its baseline) and which way the
    wording reads (+1 for a person, -1 against, 0 a plain measure)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.weights: list[np.ndarray] = []
        self.baselines: list[np.ndarray | float] = []
        self.leans: list[np.ndarray | int] = []
        self.wording: list = []  # callable rows -> object array of text

    def add(self, weight: np.ndarray, wording, *, baseline: np.ndarray | float = 0.0,
            leans: np.ndarray | int = 0) -> None:
        self.weights.append(np.asarray(weight, dtype=np.float64))
        self.baselines.append(baseline)
        self.leans.append(leans)
        self.wording.append(wording)

    def _chosen(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The shares matrix and the (row, column) cells shown, per row strongest first.

        A cell is shown when its share is at least EVIDENCE_MIN away from nothing and from
        its baseline: a signal where every account sits (a count at its clip) tells this
        account from no other, whatever its share. At most EVIDENCE_LIMIT per row; ties go
        to the earlier line.
        """
        w = np.column_stack(self.weights)
        baseline = np.column_stack([np.broadcast_to(b, self.n) for b in self.baselines])
        strength = np.abs(w)
        strength[(strength < EVIDENCE_MIN) | (np.abs(w - baseline) < EVIDENCE_MIN)] = 0.0
        k = min(EVIDENCE_LIMIT, w.shape[1])
        key = strength - np.arange(w.shape[1]) * 1e-9  # earlier column wins a tie
        top = np.argpartition(-key, k - 1, axis=1)[:, :k]
        top = np.take_along_axis(top, np.argsort(-np.take_along_axis(key, top, axis=1),
                                                 axis=1, kind="stable"), axis=1)
        rows, slot = np.nonzero(np.take_along_axis(strength, top, axis=1) > 0)
        return w, rows, top[rows, slot]

    def _per_row(self, rows: np.ndarray, items: list) -> list[list]:
        out, start = [], 0
        for end in np.cumsum(np.bincount(rows, minlength=self.n)).tolist():
            out.append(items[start:end])
            start = end
        return out

    def lists(self) -> list[list[str]]:
        """Per row, the lines shown ("text (+1.2)"), strongest first. Only the chosen cells
        are ever worded."""
        if not self.weights or self.n == 0:
            return [[] for _ in range(self.n)]
        w, rows, cols = self._chosen()
        texts = np.empty(len(cols), dtype=object)
        by_col = np.argsort(cols, kind="stable")
        bounds = np.flatnonzero(np.diff(cols[by_col])) + 1
        for idx in np.split(by_col, bounds) if len(cols) else []:
            texts[idx] = self.wording[cols[idx[0]]](rows[idx])
        return self._per_row(rows, (texts + _fmt_weight(w[rows, cols])).tolist())

    def signed(self) -> list[list[tuple[int, float]]]:
        """Per row, for the lines lists() shows (same order): which way each line's wording
        reads (+1 for a person, -1 against, 0 a plain measure) and its share of the log-odds,
        so the two can be checked against each other."""
        if not self.weights or self.n == 0:
            return [[] for _ in range(self.n)]
        w, rows, cols = self._chosen()
        leans = np.column_stack([np.broadcast_to(v, self.n) for v in self.leans])
        return self._per_row(rows, list(zip(leans[rows, cols].tolist(),
                                            w[rows, cols].tolist(), strict=True)))


def phrase_wording(template: str, wording: af.Wording | None):
    """Wording for a signal: its template with "{m}" replaced by the row's phrase."""
    before, _, after = template.partition("{m}")
    if wording is None or "{m}" not in template:
        return lambda rows: np.full(len(rows), template, dtype=object)
    return lambda rows: before + np.asarray(wording(rows), dtype=object) + after


def _token_words(tokens: np.ndarray) -> np.ndarray:
    """The tokenizer's stand-ins back in words: 'visit zurlz' -> 'visit <link>'."""
    if len(tokens) == 0:
        return tokens.astype(object)
    arr = pa.array(tokens.tolist(), pa.large_string())
    for token, word in _TOKEN_WORDS.items():
        arr = pc.replace_substring_regex(arr, f"(^| ){token}( |$)", f"\\1{word}\\2")  # twice: "0 0" overlaps
        arr = pc.replace_substring_regex(arr, f"(^| ){token}( |$)", f"\\1{word}\\2")
    return np.asarray(arr.to_pylist(), dtype=object)



def ngram_wording(field_name: str, cols: np.ndarray, vocab: np.ndarray):
    label = _FIELD_WORDS[field_name]

    def wording(rows: np.ndarray) -> np.ndarray:
        tokens = _token_words(np.asarray(vocab[cols[rows]], dtype=object))
        return f"{label} contains '" + tokens + "'"

    return wording


def prior_wording(key: str, f: af.Fields):
    if key == "is_bot":
        return lambda rows: np.full(len(rows), "the platform marks it as a bot", dtype=object)
    if key == "face":
        seen = np.where(f.face == 1, "a face in the avatar", "no face in the avatar")
        return lambda rows: seen[rows].astype(object)
    if key == "repost_share":
        share = np.nan_to_num(f.num["repost_share"])
        return lambda rows: _fmt(np.round(share[rows] * 100).astype(np.int64),
                                 "%d%% of recent posts are reposts")
    ppw = np.nan_to_num(f.num["posts_per_week"])

    def per_day(rows: np.ndarray) -> np.ndarray:
        day = ppw[rows] / 7.0
        txt = np.where(day >= 2, _fmt(np.round(day), "%.0f"), _fmt(np.round(day, 1), "%.1f"))
        return "posts " + txt + " times a day"

    return per_day

