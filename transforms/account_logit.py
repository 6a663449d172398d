"""The calibrated log-odds of "person", block by block (named signals, fixed priors, word
and character n-grams), each block adding its shares to the evidence as it goes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from transforms import account_features as af
from transforms.account_evidence import (
    EVIDENCE_MIN,
    FIELD_OVERALL,
    GROUPS,
    NGRAMS_SHOWN,
    Evidence,
    ngram_wording,
    phrase_wording,
    prior_wording,
)
from transforms.account_model import AccountModel, Prepared, prepared


def score_rows(df: pd.DataFrame, model: AccountModel, assume_clean: bool
           ) -> tuple[np.ndarray, np.ndarray, af.Signals, Evidence]:
    """Per row the calibrated log-odds the model learned and the fixed priors' log-odds
    (kept apart: only the learned part is pulled toward the prior when little is known,
    account_known.py), the named signals (for the page kind) and the evidence."""
    prep = prepared(model)
    f = af.prepare(df, assume_clean=assume_clean)
    signals = af.named_signals(f, model.lexicon)
    ev = Evidence(f.n)
    overall = {k: np.zeros(f.n) for k in FIELD_OVERALL}  # n-gram shares not quoted alone
    learned = (prep.bias + _signal_logit(f, signals, prep, ev)
               + _word_logit(f, model, prep, ev, overall) + _char_logit(f, model, prep, overall))
    fixed = _prior_logit(f, ev)
    for name, label in FIELD_OVERALL.items():
        ev.add(overall[name], lambda rows, label=label: np.full(len(rows), label, dtype=object))
    return learned, fixed, signals, ev


def _signal_logit(f: af.Fields, signals: af.Signals, prep: Prepared, ev: Evidence
                  ) -> np.ndarray:
    """Named signals: weight x value, summed per evidence group (one line per group). A
    nameless row's weight is the signal's weight plus its nameless weight (af.dense_matrix
    without building the second half). Each line's baseline is the same sum at the
    signals' baselines (af.Signal.baseline)."""
    k = len(af.BASE_KEYS)
    values = signals.matrix(af.BASE_KEYS)
    contrib = values * prep.signal_w[:k]
    is_nameless = af.nameless(f)
    rows = np.flatnonzero(is_nameless)
    contrib[rows] += values[rows] * prep.signal_w[k:]
    grouped = contrib @ GROUPS.matrix
    baseline = np.array([spec.baseline for spec in af.BASE_SIGNALS])
    named_base = (baseline * prep.signal_w[:k]) @ GROUPS.matrix
    nameless_base = (baseline * prep.signal_w[k:]) @ GROUPS.matrix
    for i, j in enumerate(GROUPS.heads):
        spec = af.BASE_SIGNALS[j]
        base = named_base[i] + is_nameless * nameless_base[i] if nameless_base[i] else named_base[i]
        ev.add(grouped[:, i], phrase_wording(spec.text, signals.wording.get(spec.key)),
               baseline=base, leans=spec.leans)
    return contrib.sum(axis=1)


def _prior_logit(f: af.Fields, ev: Evidence) -> np.ndarray:
    """The fixed-weight signals (bot flag, cadence, reposts, face), one line each; every
    prior reads against a person except a face in the avatar, whose weight is its sign."""
    total = np.zeros(f.n)
    for key, c in af.prior_contributions(f).items():
        total += c
        ev.add(c, prior_wording(key, f), leans=np.sign(c).astype(int) if key == "face" else -1)
    return total


def _word_logit(f: af.Fields, model: AccountModel, prep: Prepared, ev: Evidence,
                overall: dict[str, np.ndarray]) -> np.ndarray:
    """Word n-grams: per field, the NGRAMS_SHOWN strongest are quoted on their own lines and
    the rest go into the field's "overall" line."""
    n, total = f.n, np.zeros(f.n)
    for name, longest in af.WORD_FIELDS.items():
        rows, tokens = af.word_ngrams(af.word_field(f, name), longest)
        cols = af.vocabulary_columns(tokens, prep.vocab[name])
        r, c = af.unique_pairs(rows, cols, len(model.vocab[name]))
        w = prep.word_w[name][c]
        field_total = np.bincount(r, weights=w, minlength=n)
        total += field_total
        overall[name] += field_total
        strong = np.abs(w) >= EVIDENCE_MIN  # only these could be quoted
        r, c, w = r[strong], c[strong], w[strong]
        order = np.lexsort((-np.abs(w), r))  # per row, strongest first
        r, c, w = r[order], c[order], w[order]
        start = np.r_[0, np.flatnonzero(np.diff(r)) + 1] if len(r) else np.zeros(0, np.int64)
        rank = np.arange(len(r)) - np.repeat(start, np.diff(np.r_[start, len(r)]))
        for k in range(NGRAMS_SHOWN):
            pick = rank == k
            col_w = np.zeros(n)
            col_w[r[pick]] = w[pick]
            col_c = np.full(n, -1, dtype=np.int64)
            col_c[r[pick]] = c[pick]
            overall[name] -= col_w
            ev.add(col_w, ngram_wording(name, col_c, model.vocab[name]))
    return total


def _char_logit(f: af.Fields, model: AccountModel, prep: Prepared,
                overall: dict[str, np.ndarray]) -> np.ndarray:
    """Hashed character n-grams: never quoted, part of each field's "overall" line."""
    total = np.zeros(f.n)
    for name, ns in model.char_ns.items():
        field_total = af.char_ngram_scores(af.char_field(f, name), ns, model.char_bits,
                                           prep.char_w[name])
        total += field_total
        overall[name] += field_total
    return total

