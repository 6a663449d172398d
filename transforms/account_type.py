"""Is this account a person, or a page (meme, facts, animal, brand, news, repost, fan)?

MODEL_VERSION "logreg-v3": a logistic regression trained on labelled accounts by
training/account_type/ (nested cross-validation and calibration are in
transforms/models/account_type_report.md), over the signals of transforms/account_features/.
Because the model is linear, every verdict can be explained exactly: each signal's share of
the log-odds is weight x value (account_logit.py), and the largest shares become the
evidence, in plain words with their signed weights (account_evidence.py).
person_probability is the Platt-calibrated sigmoid of the sum, plus fixed prior weights for
signals the training data lacks (bot flag, posting cadence, share of reposts, a face in the
avatar: account_features.PRIORS), pulled toward the training prior when little of the profile
is known (account_known.py, rule KNOWN_RULE). The weights: account_model.py.

If an account is not a person, its kind is the page family (meme/facts/animal/brand/news/
repost/fan) whose words and post signals it shows most (a transparent rule over the same
signals, see _page_kind); with none, "other_page".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from transforms import account_features as af
from transforms._text import matches
from transforms.account_known import known_share, shrink
from transforms.account_logit import score_rows
from transforms.account_model import AccountModel, load_model
from transforms.account_words import CREDIT_PATTERN, FIRST_PERSON_POST_PATTERN
from transforms.frames import FLOAT, STRING, to_bool
from transforms.row_blocks import in_row_blocks

PAGE_KINDS = af.PAGE_KINDS
ACCOUNT_TYPES = ("person", *PAGE_KINDS, "other_page")
ACCOUNT_TYPE_COLUMNS = ["account_type", "person_probability", "evidence", "known_share"]
REPOST_CREDIT_MIN = 0.15  # share of posts crediting someone else that makes a repost page
_MAX_ROWS_PER_BLOCK = 50_000  # rows scored at once: bounds the n-gram matrices' memory


# ---------------------------------------------------------------- scoring


def score_account_type(
    df: pd.DataFrame, *, threshold: float = 0.5, assume_clean: bool = False, evidence: bool = True
) -> pd.DataFrame:
    """account_type, person_probability (0..1), evidence (list[str]; the column is left out
    with ``evidence=False``, for a caller that shows none: wording it is a quarter of the
    time) and known_share (how much of the profile the model was shown, account_known.py)
    per row, same index.

    Reads whichever of these columns exist (all optional, nulls allowed): platform, handle,
    display_name, bio, followers, following, posts / posts_count, is_bot, posts_per_week,
    repost_share, credit_share, first_person_post_share, sample_post (one post's text, used
    where the post shares are absent), face_in_avatar. account_type is "person" when
    person_probability >= threshold. ``assume_clean`` skips re-cleaning text that
    normalize_profiles already cleaned.
    """
    return score_with_model(df, load_model(), threshold=threshold, assume_clean=assume_clean, evidence=evidence)


def score_with_model(
    df: pd.DataFrame, model: AccountModel, *, threshold: float = 0.5, assume_clean: bool = False,
    evidence: bool = True,
) -> pd.DataFrame:
    """score_account_type with an explicit model (tests, evaluation of a fresh fit); a large
    frame in blocks of rows on worker threads (transforms/row_blocks.py), at most
    _MAX_ROWS_PER_BLOCK rows each (the n-gram matrices of 1M rows at once took +5.65 GiB and
    35 s; in 50k blocks +0.41 GiB and 19.6 s)."""
    return in_row_blocks(len(df), lambda a, b: _score_frame(df.iloc[a:b], model, threshold, assume_clean,
                                                            evidence), max_rows=_MAX_ROWS_PER_BLOCK)


def _score_frame(df: pd.DataFrame, model: AccountModel, threshold: float, assume_clean: bool,
                 with_evidence: bool) -> pd.DataFrame:
    learned, fixed, signals, evidence = score_rows(df, model, assume_clean)
    share = known_share(df)
    prob = 1.0 / (1.0 + np.exp(-(shrink(learned, share, model) + fixed)))
    kind = _page_kind(signals)
    account_type = np.where(prob >= threshold, "person", kind)
    return pd.DataFrame(
        {
            "account_type": pd.array(account_type.astype(object), dtype=STRING),
            "person_probability": pd.array(prob, dtype=FLOAT),
            **({"evidence": pd.Series(evidence.lists(), dtype=object, index=df.index)} if with_evidence else {}),
            "known_share": pd.array(share, dtype=FLOAT),
        },
        index=df.index,
    )



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

