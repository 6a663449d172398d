"""Is this account a person, or a page (meme, facts, animal, brand, news, repost, fan)?

The first scorer (MODEL_VERSION "rules-v1"): a transparent additive logit. Each signal is a
vectorised column times a weight; person_probability = sigmoid(BIAS + sum). Every signal
that fired becomes a line of evidence in plain words with its signed weight, so a reviewer
can see why. A trained model will replace the weights later behind the same interface:
``score_account_type(df) -> [account_type, person_probability, evidence]``.

If the account is not a person, its kind is the page family (meme/facts/animal/brand/news/
repost/fan) whose signals pushed hardest against "person"; with none, "other_page".

All text matching is RE2-compatible regex on Arrow strings (see transforms/_text.py); the
only per-row Python is building each row's final evidence list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from transforms._keys import KEY, creator_positions, unique_creators
from transforms._text import clean_text, empty_strings, extract, fold, fold_lower, matches, words
from transforms.account_words import (
    AGE,
    CREDIT_PATTERN,
    FIRST_PERSON,
    FIRST_PERSON_POST_PATTERN,
    HANDLE_BOT,
    HANDLE_WORDS,
    NAME_ARTICLE,
    OWN_VIEWS,
    PAGE_WORDS,
    PRONOUNS,
    ROLES,
    SHOP_MY,
    TITLE_CASE_NAME,
    TITLES_PATTERN,
    WE_PATTERN,
)
from transforms.first_names import FIRST_NAMES
from transforms.frames import FLOAT, STRING, to_bool, to_float, to_string

MODEL_VERSION = "rules-v1"
PAGE_KINDS = ("meme", "facts", "animal", "brand", "news", "repost", "fan")
ACCOUNT_TYPES = ("person", *PAGE_KINDS, "other_page")
ACCOUNT_TYPE_COLUMNS = ["account_type", "person_probability", "evidence"]
POST_SIGNAL_COLUMNS = ["platform", "creator_id", "credit_share", "first_person_post_share"]
EVIDENCE_LIMIT = 5
BIAS = 0.3

# ---------------------------------------------------------------- weights

W_FIRST_NAME = 1.9
W_TITLE_CASE = 0.4
W_HANDLE_NAME = 0.8
W_FIRST_PERSON = 1.3
W_PRONOUNS = 1.2
W_ROLE = 1.0
W_AGE = 0.8
W_OWN_VIEWS = 1.2
W_WE = -1.1
W_NAME_ARTICLE = -1.0
W_BIO_PAGE = {"meme": -2.4, "facts": -2.2, "animal": -2.0, "brand": -1.8, "news": -1.8,
              "repost": -2.0, "fan": -2.4, None: -1.2}
NAME_PAGE_FACTOR = 0.8
W_HANDLE_PAGE = {k: (-0.8 if k is None else -1.2) for k in HANDLE_WORDS}
W_BOT = -8.0
W_HANDLE_BOT = -1.5
CADENCE_FREE_PER_WEEK = 14.0  # two posts a day is still a person's pace
W_CADENCE_PER_DOUBLING = -0.9
W_CADENCE_MAX = -2.5
REPOST_SHARE_FREE = 0.5
W_REPOST_SHARE_MAX = -2.5
CREDIT_SHARE_MIN = 0.15
W_CREDIT_SHARE = -3.0
FIRST_PERSON_POSTS_MIN = 0.1
W_FIRST_PERSON_POSTS = 1.0
SAMPLE_POST_FACTOR = 0.5  # one post (the classify CLI's sample_post) is weaker evidence
W_FOLLOWS_FEW = -0.6


@dataclass(frozen=True)
class PhraseSignal:
    """A regex over one prepared text field; the matched phrase goes into the evidence."""

    key: str
    field: str
    pattern: str
    weight: float
    kind: str | None
    template: str  # "{m}" is replaced by the matched phrase


def _phrase_signals() -> list[PhraseSignal]:
    sigs = [
        PhraseSignal("bio_first_person", "bio", words(FIRST_PERSON), W_FIRST_PERSON, None,
                     "bio speaks in the first person ('{m}')"),
        PhraseSignal("bio_pronouns", "bio", words(PRONOUNS), W_PRONOUNS, None,
                     "bio lists pronouns '{m}'"),
        PhraseSignal("bio_role", "bio", words(ROLES), W_ROLE, None,
                     "bio names a personal role '{m}'"),
        PhraseSignal("bio_age", "bio", words(AGE), W_AGE, None, "bio gives an age '{m}'"),
        PhraseSignal("bio_own_views", "bio", words(OWN_VIEWS), W_OWN_VIEWS, None,
                     "bio says '{m}'"),
        PhraseSignal("bio_we", "bio_cased", WE_PATTERN, W_WE, None,
                     "bio speaks as a group ('{m}')"),
        PhraseSignal("name_article", "name", NAME_ARTICLE, W_NAME_ARTICLE, None,
                     "display name starts with '{m}'"),
    ]
    for kind, phrases in PAGE_WORDS.items():
        label = kind or "page"
        sigs.append(PhraseSignal(f"bio_{label}", "bio", words(phrases), W_BIO_PAGE[kind], kind,
                                 "bio says '{m}'"))
        sigs.append(PhraseSignal(f"name_{label}", "name", words(phrases),
                                 round(W_BIO_PAGE[kind] * NAME_PAGE_FACTOR, 1), kind,
                                 "display name says '{m}'"))
    for kind, pattern in HANDLE_WORDS.items():
        sigs.append(PhraseSignal(f"handle_{kind or 'page'}", "handle", f"(?P<m>{pattern})",
                                 W_HANDLE_PAGE[kind], kind, "handle contains '{m}'"))
    return sigs


PHRASE_SIGNALS = _phrase_signals()
_NAME_PAGE_ANY = words([w for ws in PAGE_WORDS.values() for w in ws])


# ---------------------------------------------------------------- helpers


def _fmt(values: np.ndarray, template: str) -> np.ndarray:
    """template % value for each value, as an object array; each distinct value formatted once."""
    values = np.asarray(values)
    if values.size == 0:
        return np.zeros(0, dtype=object)
    uniques, inverse = np.unique(values, return_inverse=True)
    return np.array([template % u for u in uniques.tolist()], dtype=object)[inverse]


def _fmt_weight(w: np.ndarray) -> np.ndarray:
    return _fmt(np.round(np.asarray(w, dtype=float), 1), "(%+.1f)")


def _pct(x: np.ndarray) -> np.ndarray:
    return _fmt(np.round(np.asarray(x, dtype=float) * 100).astype(np.int64), "%d%%")


def _column(df: pd.DataFrame, name: str) -> pd.Series | None:
    return df[name] if name in df.columns else None


def _text(df: pd.DataFrame, name: str, assume_clean: bool = False) -> pd.Series:
    """A cleaned text column (all NA when absent)."""
    col = _column(df, name)
    if col is None:
        return empty_strings(len(df), df.index)
    return to_string(col) if assume_clean else clean_text(col)


def _text_column(df: pd.DataFrame, name: str) -> pd.Series:
    """A text column as is (all NA when absent): post texts are too many to clean."""
    col = _column(df, name)
    return empty_strings(len(df), df.index) if col is None else to_string(col)


def _number(df: pd.DataFrame, name: str) -> np.ndarray:
    col = _column(df, name)
    if col is None:
        return np.full(len(df), np.nan)
    return to_float(col).to_numpy(dtype="float64", na_value=np.nan)


class _Board:
    """Collects each signal's contribution and evidence text, column by column."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.weights: list[np.ndarray] = []
        self.texts: list[np.ndarray] = []
        self.kinds: list[str | None] = []

    def add(
        self, contrib: np.ndarray, rows: np.ndarray, texts: np.ndarray, kind: str | None
    ) -> None:
        """contrib: length n; texts: evidence strings for `rows` (positions that fired)."""
        col = np.full(self.n, None, dtype=object)
        col[rows] = texts
        self.weights.append(np.asarray(contrib, dtype=float))
        self.texts.append(col)
        self.kinds.append(kind)

    def add_numeric(
        self, contrib: np.ndarray, describe: Callable[[np.ndarray], np.ndarray], kind: str | None
    ) -> None:
        """contrib (0 = did not fire); describe(rows) words it for just the rows that fired."""
        contrib = np.nan_to_num(np.asarray(contrib, dtype=float))
        rows = np.flatnonzero(contrib != 0)
        words_ = np.asarray(describe(rows), dtype=object)
        self.add(contrib, rows, words_ + " " + _fmt_weight(contrib[rows]), kind)

    def add_flag(
        self, fired: np.ndarray, weight: float, description: str, kind: str | None
    ) -> None:
        """A yes/no signal with one fixed description."""
        contrib = np.where(fired, weight, 0.0)
        self.add_numeric(contrib, lambda rows: np.full(rows.size, description, dtype=object), kind)

    def add_phrase(self, field: pd.Series, sig: PhraseSignal) -> None:
        found = extract(field, sig.pattern)
        hit = found.notna().to_numpy()
        rows = np.flatnonzero(hit)
        before, _, after = sig.template.partition("{m}")
        suffix = f"{after} ({sig.weight:+.1f})"
        texts = (before + found[hit] + suffix).to_numpy(dtype=object)
        self.add(np.where(hit, sig.weight, 0.0), rows, texts, sig.kind)


def _page_kind(weights: np.ndarray, kinds: list[str | None]) -> np.ndarray:
    """The page family whose signals pushed hardest against "person"; else "other_page"."""
    push = np.maximum(-weights, 0.0)
    family = np.array(kinds, dtype=object)
    strength = np.column_stack([push[:, family == k].sum(axis=1) for k in PAGE_KINDS])
    best = np.array(PAGE_KINDS, dtype=object)[strength.argmax(axis=1)]
    return np.where(strength.max(axis=1) > 0, best, "other_page")


def _evidence_lists(weights: np.ndarray, texts: np.ndarray) -> list[list[str]]:
    """Per row, the fired signals' texts sorted by |weight| (ties: signal order), top N."""
    order = np.argsort(-np.abs(weights), axis=1, kind="stable")[:, :EVIDENCE_LIMIT]
    top = np.take_along_axis(texts, order, axis=1)
    return [[t for t in row if t is not None] for row in top.tolist()]


# ---------------------------------------------------------------- scorer


def score_account_type(
    df: pd.DataFrame, *, threshold: float = 0.5, assume_clean: bool = False
) -> pd.DataFrame:
    """account_type, person_probability (0..1) and evidence (list[str]) per row, same index.

    Reads whichever of these columns exist (all optional, nulls allowed): platform, handle,
    display_name, bio, followers, following, is_bot, posts_per_week, repost_share,
    credit_share, first_person_post_share, and sample_post (one post's text, used when the
    post shares are absent). account_type is "person" when person_probability >= threshold.
    ``assume_clean`` skips re-cleaning text that normalize_profiles already cleaned.
    """
    n = len(df)
    board = _Board(n)

    name_cased = fold(_text(df, "display_name", assume_clean))
    name = name_cased.str.lower()
    bio_cased = fold(_text(df, "bio", assume_clean))
    bio = bio_cased.str.lower().str.replace(SHOP_MY, r"shop_\1 ", regex=True)
    handle = fold_lower(_text(df, "handle", assume_clean)).str.replace("^@+", "", regex=True)
    fields = {"name": name, "bio": bio, "bio_cased": bio_cased, "handle": handle}

    # display name starts with a common first name (after a title such as "Dr.")
    token = name.str.replace(TITLES_PATTERN, "", regex=True)
    token = token.str.replace("^[^a-z]+", "", regex=True).str.replace("[^a-z].*", "", regex=True)
    is_first = token.isin(FIRST_NAMES).fillna(False).to_numpy(dtype=bool)
    rows = np.flatnonzero(is_first)
    texts = ("display name starts with a common first name ('" + token[is_first] + "') "
             + f"({W_FIRST_NAME:+.1f})").to_numpy(dtype=object)
    board.add(np.where(is_first, W_FIRST_NAME, 0.0), rows, texts, None)

    # "First Last" shape, unless the name also contains a page word ("Nike Official")
    page_in_name = matches(name, _NAME_PAGE_ANY).to_numpy()
    title_case = matches(name_cased, TITLE_CASE_NAME).to_numpy() & ~page_in_name
    board.add_flag(title_case, W_TITLE_CASE, "display name looks like 'First Last'", None)

    # handle is a first name (+ digits/separator), only when the display name did not say so
    handle_token = handle.str.replace("[._0-9-].*", "", regex=True)
    handle_name = handle_token.isin(FIRST_NAMES).fillna(False).to_numpy(dtype=bool) & ~is_first
    rows = np.flatnonzero(handle_name)
    texts = ("handle starts with a common first name ('" + handle_token[handle_name] + "') "
             + f"({W_HANDLE_NAME:+.1f})").to_numpy(dtype=object)
    board.add(np.where(handle_name, W_HANDLE_NAME, 0.0), rows, texts, None)

    for sig in PHRASE_SIGNALS:
        board.add_phrase(fields[sig.field], sig)

    _numeric_signals(df, board, handle)

    weights = np.column_stack(board.weights)
    prob = 1.0 / (1.0 + np.exp(-(BIAS + weights.sum(axis=1))))
    account_type = np.where(prob >= threshold, "person", _page_kind(weights, board.kinds))
    evidence = _evidence_lists(weights, np.column_stack(board.texts))
    return pd.DataFrame(
        {
            "account_type": pd.array(account_type.astype(object), dtype=STRING),
            "person_probability": pd.array(prob, dtype=FLOAT),
            "evidence": pd.Series(evidence, dtype=object, index=df.index),
        },
        index=df.index,
    )


def _numeric_signals(df: pd.DataFrame, board: _Board, handle: pd.Series) -> None:
    """Bot flag, cadence, repost/credit shares, first-person posts, follow ratio."""
    n = len(df)
    bot_col = _column(df, "is_bot")
    is_bot = (to_bool(bot_col).to_numpy(dtype=bool, na_value=False) if bot_col is not None
              else np.zeros(n, dtype=bool))
    board.add_flag(is_bot, W_BOT, "the platform marks it as a bot", None)
    board.add_flag(matches(handle, HANDLE_BOT).to_numpy(), W_HANDLE_BOT, "handle says 'bot'",
                   None)

    ppw = np.nan_to_num(_number(df, "posts_per_week"))
    with np.errstate(divide="ignore", invalid="ignore"):
        doublings = np.log2(np.maximum(ppw, CADENCE_FREE_PER_WEEK) / CADENCE_FREE_PER_WEEK)
    cadence = np.maximum(W_CADENCE_PER_DOUBLING * doublings, W_CADENCE_MAX)

    def per_day(rows: np.ndarray) -> np.ndarray:
        day = ppw[rows] / 7.0
        txt = np.where(day >= 2, _fmt(np.round(day), "%.0f"), _fmt(np.round(day, 1), "%.1f"))
        return "posts " + txt + " times a day"

    board.add_numeric(cadence, per_day, None)

    repost = np.nan_to_num(_number(df, "repost_share"))
    excess = np.clip((repost - REPOST_SHARE_FREE) / (1 - REPOST_SHARE_FREE), 0, 1)
    board.add_numeric(W_REPOST_SHARE_MAX * excess,
                      lambda rows: _pct(repost[rows]) + " of recent posts are reposts",
                      "repost")

    credit = np.nan_to_num(_number(df, "credit_share"))
    first_person = np.nan_to_num(_number(df, "first_person_post_share"))
    board.add_numeric(np.where(credit >= CREDIT_SHARE_MIN, W_CREDIT_SHARE * credit, 0.0),
                      lambda rows: _pct(credit[rows]) + " of posts credit another account",
                      "repost")
    board.add_numeric(
        np.where(first_person >= FIRST_PERSON_POSTS_MIN, W_FIRST_PERSON_POSTS * first_person, 0.0),
        lambda rows: _pct(first_person[rows]) + " of posts are in the first person",
        None,
    )
    sample_credit, sample_fp = _sample_post(df)
    board.add_flag(sample_credit, round(W_CREDIT_SHARE * SAMPLE_POST_FACTOR, 1),
                   "the sample post credits another account", "repost")
    board.add_flag(sample_fp, round(W_FIRST_PERSON_POSTS * SAMPLE_POST_FACTOR, 1),
                   "the sample post is in the first person", None)

    followers = _number(df, "followers")
    following = _number(df, "following")
    known = np.isfinite(followers) & np.isfinite(following)
    f0, g0 = np.nan_to_num(followers), np.nan_to_num(following)
    few = known & (f0 >= 5_000) & (g0 * 100 <= f0)

    def counts(rows: np.ndarray) -> np.ndarray:
        g_txt = _fmt(g0[rows].astype(np.int64), "%d")
        f_txt = _fmt(f0[rows].astype(np.int64), "%d")
        return "follows only " + g_txt + " accounts but has " + f_txt + " followers"

    board.add_numeric(np.where(few, W_FOLLOWS_FEW, 0.0), counts, None)


def _sample_post(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Credit / first person in one sample_post, only where post_signals' shares are absent."""
    n = len(df)
    if "sample_post" not in df.columns:
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    text = _text_column(df, "sample_post")
    no_credit = np.isnan(_number(df, "credit_share"))
    no_fp = np.isnan(_number(df, "first_person_post_share"))
    return (matches(text, CREDIT_PATTERN).to_numpy() & no_credit,
            matches(text, FIRST_PERSON_POST_PATTERN).to_numpy() & no_fp)


# ---------------------------------------------------------------- post signals


def post_signals_from_positions(
    posts: pd.DataFrame, pos: np.ndarray, n: int
) -> dict[str, np.ndarray]:
    """credit_share and first_person_post_share per creator position (NaN = no text posts).

    Over original posts (not reposts) that have text: a repost's words are someone else's.
    """
    text = _text_column(posts, "text")
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
