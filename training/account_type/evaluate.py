"""The account-type model's measurement on top of training/cv.py: its scorer, the learning
curve and the TF-IDF yardstick. Fixed seeds: the same data gives the same figures."""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy import sparse

from training.account_type.fit import Config, Features, decision, fit
from training.cv import FOLDS, JOBS, Scorer, folds, oof_scores
from training.logistic import platt, sigmoid
from training.metrics import metrics

SEED = 20251126
# learning curve: (folds, share of each training part kept), each repeated with CURVE_SEEDS
CURVE = ((5, 0.5), (5, 0.75), (5, 1.0), (10, 1.0))
CURVE_SEEDS = 4


def _score(feat: Features, y: np.ndarray, cfg: Config, train: np.ndarray, test: np.ndarray
           ) -> np.ndarray:
    return decision(feat, fit(feat, y, train, cfg), test)


def scorer(feat: Features, y: np.ndarray) -> Scorer:
    """The account-type fit as a training.cv Scorer (a partial: joblib can send it)."""
    return partial(_score, feat, y)


def _curve_point(feat: Features, y: np.ndarray, strata: np.ndarray, cfg: Config, k: int,
                 share: float, seed: int) -> float:
    """Macro-F1 of one k-fold run at a fixed config, each training part cut to `share`."""
    z = oof_scores(scorer(feat, y), y, strata, np.arange(len(y)), cfg, k, seed, share)
    a, b = platt(z, y)
    return metrics(y, sigmoid(a * z + b))["macro_f1"]


def learning_curve(feat: Features, y: np.ndarray, strata: np.ndarray, cfg: Config,
                   jobs: int = JOBS) -> list[dict]:
    """Macro-F1 against training rows, each point over CURVE_SEEDS fold plans.

    Why: one fold plan is one draw (the nested figure is seed SEED's), and the shipped model
    trains on all rows, more than any fold did; the spread and the slope say what to expect
    on unseen accounts better than a single number. Fixed config, Platt on the pooled
    out-of-fold scores (the quick check, not nested).
    """
    plan = [(k, share, SEED + s) for k, share in CURVE for s in range(CURVE_SEEDS)]
    f1 = Parallel(n_jobs=jobs)(delayed(_curve_point)(feat, y, strata, cfg, k, share, seed)
                               for k, share, seed in plan)
    out = []
    for i, (k, share) in enumerate(CURVE):
        runs = f1[i * CURVE_SEEDS:(i + 1) * CURVE_SEEDS]
        out.append({"folds": k, "share": share, "train_rows": int(len(y) * (k - 1) / k * share),
                    "macro_f1_mean": round(float(np.mean(runs)), 4),
                    "macro_f1_runs": [round(v, 4) for v in runs]})
    return out


def tfidf_baseline(df: pd.DataFrame, y: np.ndarray, strata: np.ndarray, seed: int) -> dict:
    """The plain yardstick on the same outer folds: TF-IDF word 1-2-grams and char_wb 2-5-grams
    of name | handle | bio | sample post, logistic regression (C=10), threshold 0.5."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    text = (df.get("display_name", pd.Series("", index=df.index)).fillna("") + " | "
            + df.get("handle", pd.Series("", index=df.index)).fillna("") + " | "
            + df.get("bio", pd.Series("", index=df.index)).fillna("") + " | "
            + df.get("sample_post", pd.Series("", index=df.index)).fillna("")).tolist()
    p = np.zeros(len(y))
    for tr, te in folds(y, strata, FOLDS, seed):
        vecs = [TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3,
                                sublinear_tf=True)]
        X_tr = sparse.hstack([v.fit_transform([text[i] for i in tr]) for v in vecs]).tocsr()
        X_te = sparse.hstack([v.transform([text[i] for i in te]) for v in vecs]).tocsr()
        model = LogisticRegression(C=10, max_iter=2000).fit(X_tr, y[tr])
        p[te] = model.predict_proba(X_te)[:, 1]
    return {"macro_f1": metrics(y, p)["macro_f1"]}

