"""Is this account a person, or a page (meme, facts, animal, brand, news, repost, fan)?

MODEL_VERSION "logreg-v3": a logistic regression trained on labelled accounts by
training/train_account_type.py (nested cross-validation and calibration are in
transforms/models/account_type_report.md), over the signals of transforms/account_features/.
Because the model is linear, every verdict can be explained exactly: each signal's share of
the log-odds is weight x value, and the largest shares become the evidence, in plain words
with their signed weights. person_probability is the Platt-calibrated sigmoid of the sum,
plus fixed prior weights for signals the training data lacks (bot flag, posting cadence,
share of reposts, a face in the avatar: account_features.PRIORS).

If an account is not a person, its kind is the page family (meme/facts/animal/brand/news/
repost/fan) whose words and post signals it shows most (a transparent rule over the same
signals, see _page_kind); with none, "other_page".

The weights file is read once (numpy .npz, no pickle) from the package folder
transforms/models/; the file name carries the version.
"""

from __future__ import annotations

import io
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from transforms import account_features as af
from transforms._keys import KEY, creator_positions, unique_creators
from transforms._text import matches
from transforms.account_words import CREDIT_PATTERN, FIRST_PERSON_POST_PATTERN
from transforms.frames import FLOAT, STRING, to_bool, to_string

MODEL_VERSION = "logreg-v3"
MODEL_FILE = f"account_type_{MODEL_VERSION}.npz"
PAGE_KINDS = af.PAGE_KINDS
ACCOUNT_TYPES = ("person", *PAGE_KINDS, "other_page")
ACCOUNT_TYPE_COLUMNS = ["account_type", "person_probability", "evidence"]
POST_SIGNAL_COLUMNS = ["platform", "creator_id", "credit_share", "first_person_post_share"]
EVIDENCE_LIMIT = 5
REPOST_CREDIT_MIN = 0.15  # share of posts crediting someone else that makes a repost page
EVIDENCE_MIN = 0.05  # shares of the log-odds below this round to nothing: not evidence
NGRAMS_SHOWN = 2  # per field, the strongest words quoted on their own line
_MAX_WORKERS = 4  # threads for a large frame (capped by the CPU count) ...
_MIN_ROWS_PER_WORKER = 10_000  # ... each with at least this many rows

_FIELD_WORDS = {"bio": "bio", "name": "display name", "handle": "handle",
                "post": "sample post"}
_FIELD_OVERALL = {"bio": "wording of the bio overall",
                  "name": "spelling of the display name overall",
                  "handle": "spelling of the handle overall",
                  "post": "wording of the sample post overall"}
_TOKEN_WORDS = {af.URL_TOKEN: "<link>", af.MENTION_TOKEN: "<@mention>", "0": "<number>"}


# ---------------------------------------------------------------- the model file


@dataclass(frozen=True, eq=False)  # compared and cached by identity
class AccountModel:
    """Everything inference needs: weights per feature block, calibration, the lexicon."""

    version: str
    signal_keys: tuple[str, ...]
    signal_coef: np.ndarray  # raw (uncalibrated) weight per named signal
    intercept: float
    calibration: tuple[float, float]  # calibrated logit = a * raw logit + b
    vocab: dict[str, np.ndarray]  # word field -> n-gram strings
    word_coef: dict[str, np.ndarray]  # word field -> raw weight per n-gram
    char_ns: dict[str, tuple[int, ...]]
    char_bits: int
    char_coef: dict[str, np.ndarray]  # char field -> raw weight per hash bucket (dense)
    lexicon: af.Lexicon
    meta: dict = field(default_factory=dict)

    def save(self, path: Path) -> None:
        """An .npz of plain arrays (strings as unicode arrays, no pickle), compressed."""
        arrays: dict[str, np.ndarray] = {
            "signal_coef": np.asarray(self.signal_coef, dtype=np.float64),
            "lexicon_names": np.asarray(self.lexicon.names, dtype=str),
            "lexicon_strength": np.asarray(self.lexicon.strength, dtype=np.float32),
        }
        for name in self.vocab:
            arrays[f"vocab_{name}"] = np.asarray(self.vocab[name], dtype=str)
            arrays[f"word_coef_{name}"] = np.asarray(self.word_coef[name], dtype=np.float32)
        for name, coef in self.char_coef.items():
            nz = np.flatnonzero(coef)
            arrays[f"char_idx_{name}"] = nz.astype(np.int32)
            arrays[f"char_coef_{name}"] = coef[nz].astype(np.float32)
        header = {
            "version": self.version, "signal_keys": list(self.signal_keys),
            "intercept": self.intercept, "calibration": list(self.calibration),
            "word_fields": list(self.vocab), "char_ns": {k: list(v) for k, v in self.char_ns.items()},
            "char_bits": self.char_bits, "meta": self.meta,
        }
        arrays["header"] = np.array(json.dumps(header, sort_keys=True))
        with open(path, "wb") as fh:
            np.savez_compressed(fh, **arrays)

    @classmethod
    def from_bytes(cls, blob: bytes) -> AccountModel:
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            header = json.loads(str(z["header"]))
            width = 2 ** int(header["char_bits"])
            char_coef = {}
            for name in header["char_ns"]:
                dense = np.zeros(width, dtype=np.float32)
                dense[z[f"char_idx_{name}"]] = z[f"char_coef_{name}"]
                char_coef[name] = dense
            return cls(
                version=header["version"],
                signal_keys=tuple(header["signal_keys"]),
                signal_coef=z["signal_coef"],
                intercept=float(header["intercept"]),
                calibration=(float(header["calibration"][0]), float(header["calibration"][1])),
                vocab={k: z[f"vocab_{k}"] for k in header["word_fields"]},
                word_coef={k: z[f"word_coef_{k}"] for k in header["word_fields"]},
                char_ns={k: tuple(v) for k, v in header["char_ns"].items()},
                char_bits=int(header["char_bits"]),
                char_coef=char_coef,
                lexicon=af.Lexicon(z["lexicon_names"], z["lexicon_strength"]),
                meta=header.get("meta", {}),
            )

    @classmethod
    def load(cls, path: Path) -> AccountModel:
        return cls.from_bytes(Path(path).read_bytes())


@cache
def load_model() -> AccountModel:
    """The packaged weights (transforms/models/MODEL_FILE), read once per process."""
    blob = resources.files("transforms").joinpath("models", MODEL_FILE).read_bytes()
    model = AccountModel.from_bytes(blob)
    if model.version != MODEL_VERSION or list(model.signal_keys) != af.SIGNAL_KEYS:
        raise RuntimeError(f"{MODEL_FILE} does not match this code: retrain with "
                           "python -m training.train_account_type")
    return model


@dataclass(frozen=True)
class _Prepared:
    """A model's weights in inference form: calibration folded in, vocabularies as Arrow."""

    signal_w: np.ndarray
    bias: float
    word_w: dict[str, np.ndarray]
    vocab: dict[str, pa.Array]
    char_w: dict[str, np.ndarray]


@cache
def _prepared(model: AccountModel) -> _Prepared:
    if list(model.signal_keys) != af.SIGNAL_KEYS:
        raise ValueError("the model's signals are not this code's: retrain it")
    a, b = model.calibration
    return _Prepared(
        signal_w=a * np.asarray(model.signal_coef, dtype=np.float64),
        bias=a * model.intercept + b,
        word_w={k: a * v.astype(np.float64) for k, v in model.word_coef.items()},
        vocab={k: pa.array(v.tolist(), pa.large_string()) for k, v in model.vocab.items()},
        char_w={k: a * v.astype(np.float64) for k, v in model.char_coef.items()},
    )


# ---------------------------------------------------------------- evidence


@dataclass(frozen=True)
class _Grouping:
    """Which named signals add up to one evidence line: a 0/1 signals x groups matrix and,
    per group, the signal whose wording the line uses (the first of the group)."""

    matrix: np.ndarray
    heads: list[int]


def _grouping() -> _Grouping:
    heads: dict[str, int] = {}
    for j, spec in enumerate(af.BASE_SIGNALS):
        heads.setdefault(spec.group or spec.key, j)
    order = list(heads)
    matrix = np.zeros((len(af.BASE_SIGNALS), len(order)))
    for j, spec in enumerate(af.BASE_SIGNALS):
        matrix[j, order.index(spec.group or spec.key)] = 1.0
    return _Grouping(matrix, list(heads.values()))


_GROUPS = _grouping()


def _fmt(values: np.ndarray, template: str) -> np.ndarray:
    """template % value for each value, as an object array; each distinct value formatted once."""
    values = np.asarray(values)
    if values.size == 0:
        return np.zeros(0, dtype=object)
    uniques, inverse = np.unique(values, return_inverse=True)
    return np.array([template % u for u in uniques.tolist()], dtype=object)[inverse]


def _fmt_weight(w: np.ndarray) -> np.ndarray:
    return _fmt(np.round(np.asarray(w, dtype=float), 1) + 0.0, " (%+.1f)")


class _Evidence:
    """Candidate evidence lines, one column each: a share of the log-odds and its wording."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.weights: list[np.ndarray] = []
        self.wording: list = []  # callable rows -> object array of text

    def add(self, weight: np.ndarray, wording) -> None:
        self.weights.append(np.asarray(weight, dtype=np.float64))
        self.wording.append(wording)

    def lists(self) -> list[list[str]]:
        """Per row, the strongest lines ("text (+1.2)") by |weight|, at most EVIDENCE_LIMIT.

        Ties go to the earlier line. Only the chosen cells are ever worded.
        """
        n = self.n
        if not self.weights or n == 0:
            return [[] for _ in range(n)]
        w = np.column_stack(self.weights)
        strength = np.abs(w)
        strength[strength < EVIDENCE_MIN] = 0.0
        k = min(EVIDENCE_LIMIT, w.shape[1])
        key = strength - np.arange(w.shape[1]) * 1e-9  # earlier column wins a tie
        top = np.argpartition(-key, k - 1, axis=1)[:, :k]
        top = np.take_along_axis(top, np.argsort(-np.take_along_axis(key, top, axis=1),
                                                 axis=1, kind="stable"), axis=1)
        rows, slot = np.nonzero(np.take_along_axis(strength, top, axis=1) > 0)
        cols = top[rows, slot]
        texts = np.empty(len(cols), dtype=object)
        by_col = np.argsort(cols, kind="stable")
        bounds = np.flatnonzero(np.diff(cols[by_col])) + 1
        for idx in np.split(by_col, bounds) if len(cols) else []:
            texts[idx] = self.wording[cols[idx[0]]](rows[idx])
        texts = (texts + _fmt_weight(w[rows, cols])).tolist()
        out, start = [], 0
        for end in np.cumsum(np.bincount(rows, minlength=n)).tolist():
            out.append(texts[start:end])
            start = end
        return out


def _phrase_wording(template: str, wording: af.Wording | None):
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


# ---------------------------------------------------------------- scoring


def score_account_type(
    df: pd.DataFrame, *, threshold: float = 0.5, assume_clean: bool = False
) -> pd.DataFrame:
    """account_type, person_probability (0..1) and evidence (list[str]) per row, same index.

    Reads whichever of these columns exist (all optional, nulls allowed): platform, handle,
    display_name, bio, followers, following, posts / posts_count, is_bot, posts_per_week,
    repost_share, credit_share, first_person_post_share, sample_post (one post's text, used
    where the post shares are absent), face_in_avatar. account_type is "person" when
    person_probability >= threshold. ``assume_clean`` skips re-cleaning text that
    normalize_profiles already cleaned.
    """
    return score_with_model(df, load_model(), threshold=threshold, assume_clean=assume_clean)


def score_with_model(
    df: pd.DataFrame, model: AccountModel, *, threshold: float = 0.5, assume_clean: bool = False
) -> pd.DataFrame:
    """score_account_type with an explicit model (tests, evaluation of a fresh fit).

    Large frames are cut into one block of rows per worker thread: pyarrow's regex kernels
    and numpy release the GIL, so the blocks run on separate cores. Every value depends on
    its own row only, so the result is the same as in one piece.
    """
    n = len(df)
    workers = min(_MAX_WORKERS, os.cpu_count() or 1, n // _MIN_ROWS_PER_WORKER)
    if workers < 2:
        return _score_frame(df, model, threshold, assume_clean)
    bounds = np.linspace(0, n, workers + 1).astype(int)
    parts = [df.iloc[a:b] for a, b in pairwise(bounds)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outs = list(pool.map(lambda part: _score_frame(part, model, threshold, assume_clean),
                             parts))
    return pd.concat(outs)


def _score_frame(df: pd.DataFrame, model: AccountModel, threshold: float, assume_clean: bool
                 ) -> pd.DataFrame:
    logit, signals, evidence = _score(df, model, assume_clean)
    prob = 1.0 / (1.0 + np.exp(-logit))
    kind = _page_kind(signals)
    account_type = np.where(prob >= threshold, "person", kind)
    return pd.DataFrame(
        {
            "account_type": pd.array(account_type.astype(object), dtype=STRING),
            "person_probability": pd.array(prob, dtype=FLOAT),
            "evidence": pd.Series(evidence.lists(), dtype=object, index=df.index),
        },
        index=df.index,
    )


def person_logit(df: pd.DataFrame, model: AccountModel) -> np.ndarray:
    """The calibrated log-odds of "person" per row (no evidence)."""
    return _score(df, model, assume_clean=False)[0]


def _score(df: pd.DataFrame, model: AccountModel, assume_clean: bool
           ) -> tuple[np.ndarray, af.Signals, _Evidence]:
    """Calibrated log-odds per row, the named signals (for the page kind) and the evidence."""
    prep = _prepared(model)
    f = af.prepare(df, assume_clean=assume_clean)
    signals = af.named_signals(f, model.lexicon)
    ev = _Evidence(f.n)
    overall = {k: np.zeros(f.n) for k in _FIELD_OVERALL}  # n-gram shares not quoted alone
    logit = (prep.bias + _signal_logit(f, signals, prep, ev) + _prior_logit(f, ev)
             + _word_logit(f, model, prep, ev, overall) + _char_logit(f, model, prep, overall))
    for name, label in _FIELD_OVERALL.items():
        ev.add(overall[name], lambda rows, label=label: np.full(len(rows), label, dtype=object))
    return logit, signals, ev


def _signal_logit(f: af.Fields, signals: af.Signals, prep: _Prepared, ev: _Evidence
                  ) -> np.ndarray:
    """Named signals: weight x value, summed per evidence group (one line per group). A
    nameless row's weight is the signal's weight plus its nameless weight (af.dense_matrix
    without building the second half)."""
    k = len(af.BASE_KEYS)
    values = signals.matrix(af.BASE_KEYS)
    contrib = values * prep.signal_w[:k]
    rows = np.flatnonzero(af.nameless(f))
    contrib[rows] += values[rows] * prep.signal_w[k:]
    grouped = contrib @ _GROUPS.matrix
    for i, j in enumerate(_GROUPS.heads):
        spec = af.BASE_SIGNALS[j]
        ev.add(grouped[:, i], _phrase_wording(spec.text, signals.wording.get(spec.key)))
    return contrib.sum(axis=1)


def _prior_logit(f: af.Fields, ev: _Evidence) -> np.ndarray:
    """The fixed-weight signals (bot flag, cadence, reposts, face), one line each."""
    total = np.zeros(f.n)
    for key, c in af.prior_contributions(f).items():
        total += c
        ev.add(c, _prior_wording(key, f))
    return total


def _word_logit(f: af.Fields, model: AccountModel, prep: _Prepared, ev: _Evidence,
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
            ev.add(col_w, _ngram_wording(name, col_c, model.vocab[name]))
    return total


def _char_logit(f: af.Fields, model: AccountModel, prep: _Prepared,
                overall: dict[str, np.ndarray]) -> np.ndarray:
    """Hashed character n-grams: never quoted, part of each field's "overall" line."""
    total = np.zeros(f.n)
    for name, ns in model.char_ns.items():
        field_total = af.char_ngram_scores(af.char_field(f, name), ns, model.char_bits,
                                           prep.char_w[name])
        total += field_total
        overall[name] += field_total
    return total


def _ngram_wording(field_name: str, cols: np.ndarray, vocab: np.ndarray):
    label = _FIELD_WORDS[field_name]

    def wording(rows: np.ndarray) -> np.ndarray:
        tokens = _token_words(np.asarray(vocab[cols[rows]], dtype=object))
        return f"{label} contains '" + tokens + "'"

    return wording


def _prior_wording(key: str, f: af.Fields):
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


# ---------------------------------------------------------------- page kind


def _page_kind(signals: af.Signals) -> np.ndarray:
    """The page family the account's words point to most: a family phrase in the bio or the
    display name counts 1, in the handle 0.7; ties go to the earlier family in PAGE_KINDS.
    Without any family word, posting behaviour decides: "repost" when at least
    REPOST_CREDIT_MIN of its posts credit someone else; otherwise "other_page"."""
    v = signals.values
    if signals.n == 0:
        return np.zeros(0, dtype=object)
    strength = np.column_stack([v[f"bio_{k}"] + v[f"name_{k}"] + 0.7 * v[f"handle_{k}"]
                                for k in PAGE_KINDS])
    best = np.array(PAGE_KINDS, dtype=object)[strength.argmax(axis=1)]
    by_posts = np.where(v["post_credit"] >= REPOST_CREDIT_MIN, "repost", "other_page")
    return np.where(strength.max(axis=1) > 0, best, by_posts)


# ---------------------------------------------------------------- post signals


def post_signals_from_positions(
    posts: pd.DataFrame, pos: np.ndarray, n: int
) -> dict[str, np.ndarray]:
    """credit_share and first_person_post_share per creator position (NaN = no text posts).

    Over original posts (not reposts) that have text: a repost's words are someone else's.
    """
    # as is: too many posts to clean or copy into one chunk
    text = af.text_column(posts, "text", assume_clean=True, one_chunk=False)
    repost = np.zeros(len(posts), dtype=bool)
    if "is_repost" in posts.columns:
        repost = to_bool(posts["is_repost"]).to_numpy(dtype=bool, na_value=False)
    use = (pos >= 0) & text.notna().to_numpy() & ~repost
    g = pos[use]
    counted = np.bincount(g, minlength=n).astype(float)
    out = {}
    for name, pattern in (("credit_share", CREDIT_PATTERN),
                          ("first_person_post_share", FIRST_PERSON_POST_PATTERN)):
        hit = matches(text, pattern).to_numpy()[use]
        with np.errstate(divide="ignore", invalid="ignore"):
            out[name] = np.where(counted > 0, np.bincount(g, weights=hit, minlength=n) / counted,
                                 np.nan)
    return out


def post_signals(posts: pd.DataFrame) -> pd.DataFrame:
    """One row per (platform, creator_id) in posts: credit_share, first_person_post_share.

    credit_share: share of the creator's original posts that credit someone else ("via @",
    "📸: @", "credit:", "cr:"), the mark of a repost page. first_person_post_share: share
    written as "I"/"my". Both are NA when the creator has no original post with text.
    """
    creators = unique_creators(posts[KEY]) if len(posts) else posts[KEY].iloc[:0]
    pos = creator_positions(creators, posts)
    shares = post_signals_from_positions(posts, pos, len(creators))
    return pd.DataFrame(
        {
            "platform": to_string(creators["platform"]).array,
            "creator_id": to_string(creators["creator_id"]).array,
            **{k: pd.array(np.where(np.isfinite(v), v, np.nan), dtype=FLOAT)
               for k, v in shares.items()},
        },
        index=pd.RangeIndex(len(creators)),
    )
