"""Honest measurement: stratified folds, grid selection by calibrated out-of-fold log-loss,
nested cross-validation, metrics (macro-F1, calibration), the learning curve and the TF-IDF
yardstick. Fixed seeds: the same data gives the same figures."""

from __future__ import annotations

import sys
from dataclasses import asdict

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.model_selection import StratifiedKFold

from training.account_type.fit import Config, Features, decision, fit, platt, sigmoid

SEED = 20251126
FOLDS = 5
INNER_FOLDS = 4
JOBS = 2  # processes for the grid search (--jobs)
CUTS = np.round(np.arange(0.30, 0.701, 0.025), 3)  # candidate decision thresholds
# learning curve: (folds, share of each training part kept), each repeated with CURVE_SEEDS
CURVE = ((5, 0.5), (5, 0.75), (5, 1.0), (10, 1.0))
CURVE_SEEDS = 4


def folds(y: np.ndarray, strata: np.ndarray, k: int, seed: int) -> list[tuple[np.ndarray, ...]]:
    skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    return list(skf.split(np.zeros(len(y)), strata))


def oof_scores(feat: Features, y: np.ndarray, strata: np.ndarray, rows: np.ndarray,
               cfg: Config, k: int, seed: int, share: float = 1.0) -> np.ndarray:
    """Out-of-fold decision values for `rows`, from k models each blind to its fold and
    trained on a random `share` of the rest (below 1 only for the learning curve)."""
    rng = np.random.default_rng(seed)
    z = np.zeros(len(rows))
    for tr, te in folds(y[rows], strata[rows], k, seed):
        if share < 1:
            tr = np.sort(rng.choice(tr, int(len(tr) * share), replace=False))
        z[te] = decision(feat, fit(feat, y, rows[tr], cfg), rows[te])
    return z


def log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _grid_point(feat: Features, y: np.ndarray, strata: np.ndarray, rows: np.ndarray,
                cfg: Config, k: int, seed: int) -> tuple[float, np.ndarray]:
    z = oof_scores(feat, y, strata, rows, cfg, k, seed)
    a, b = platt(z, y[rows])
    return log_loss(y[rows], sigmoid(a * z + b)), z


def select(feat: Features, y: np.ndarray, strata: np.ndarray, rows: np.ndarray,
           grid: list[Config], k: int, seed: int, jobs: int = JOBS
           ) -> tuple[Config, np.ndarray, list[dict]]:
    """The grid point with the lowest calibrated out-of-fold log-loss on `rows` (ties: the
    earlier point). Grid points run in `jobs` processes; the result does not depend on it."""
    results = Parallel(n_jobs=jobs)(
        delayed(_grid_point)(feat, y, strata, rows, cfg, k, seed) for cfg in grid)
    table = [{**asdict(cfg), "log_loss": round(loss, 5)} for cfg, (loss, _) in zip(grid, results)]
    i = int(np.argmin([loss for loss, _ in results]))
    return grid[i], results[i][1], table


# ---------------------------------------------------------------- metrics


def metrics(y: np.ndarray, p: np.ndarray, threshold: float = 0.5) -> dict:
    """Per-class P/R/F1, macro-F1, confusion matrix, calibration deciles, Brier, log-loss."""
    pred = p >= threshold
    out: dict = {"n": len(y)}
    per_class = {}
    for label, truth, guess in (("person", y == 1, pred), ("non_person", y == 0, ~pred)):
        tp = int((truth & guess).sum())
        prec = tp / max(int(guess.sum()), 1)
        rec = tp / max(int(truth.sum()), 1)
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_class[label] = {"precision": round(prec, 4), "recall": round(rec, 4),
                            "f1": round(f1, 4), "support": int(truth.sum())}
    out["per_class"] = per_class
    out["macro_f1"] = round(float(np.mean([c["f1"] for c in per_class.values()])), 4)
    out["accuracy"] = round(float((pred == (y == 1)).mean()), 4)
    out["confusion"] = {"true_person": {"person": int((pred & (y == 1)).sum()),
                                        "non_person": int((~pred & (y == 1)).sum())},
                        "true_non_person": {"person": int((pred & (y == 0)).sum()),
                                            "non_person": int((~pred & (y == 0)).sum())}}
    out["brier"] = round(float(np.mean((p - y) ** 2)), 4)
    out["log_loss"] = round(log_loss(y, p), 4)
    bins = np.minimum((p * 10).astype(int), 9)
    out["calibration"] = [
        {"bin": f"{i / 10:.1f}-{(i + 1) / 10:.1f}", "n": int((bins == i).sum()),
         "mean_predicted": round(float(p[bins == i].mean()), 3),
         "observed_person": round(float(y[bins == i].mean()), 3)}
        for i in range(10) if (bins == i).any()
    ]
    out["ece"] = round(float(sum(abs(p[bins == i].mean() - y[bins == i].mean()) * (bins == i).sum()
                                 for i in range(10) if (bins == i).any()) / len(y)), 4)
    return out


def best_cut(y: np.ndarray, p: np.ndarray) -> float:
    """The decision threshold in CUTS with the highest macro-F1 (ties: nearest 0.5)."""
    f1 = np.array([metrics_f1(y, p, c) for c in CUTS])
    best = np.flatnonzero(f1 >= f1.max() - 1e-12)
    return float(CUTS[best[np.argmin(np.abs(CUTS[best] - 0.5))]])


def metrics_f1(y: np.ndarray, p: np.ndarray, cut: float) -> float:
    pred, truth = p >= cut, y == 1
    f1 = []
    for g, t in ((pred, truth), (~pred, ~truth)):
        tp = (g & t).sum()
        f1.append(2 * tp / max(g.sum() + t.sum(), 1))
    return float(np.mean(f1))


def nested_cv(feat: Features, y: np.ndarray, strata: np.ndarray, grid: list[Config],
              seed: int, jobs: int = JOBS) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """Outer 5-fold predictions; each outer fold picks its grid point, Platt scaling and
    decision threshold by inner CV on its own training part only. Returns the calibrated
    probabilities and, per row, the threshold its outer fold chose."""
    p, cut = np.zeros(len(y)), np.zeros(len(y))
    chosen = []
    for i, (tr, te) in enumerate(folds(y, strata, FOLDS, seed)):
        cfg, z_in, _ = select(feat, y, strata, tr, grid, INNER_FOLDS, seed + 1 + i, jobs)
        a, b = platt(z_in, y[tr])
        cut[te] = best_cut(y[tr], sigmoid(a * z_in + b))
        model = fit(feat, y, tr, cfg)
        p[te] = sigmoid(a * decision(feat, model, te) + b)
        chosen.append({"fold": i + 1, **asdict(cfg), "cut": float(cut[te][0])})
        print(f"  outer fold {i + 1}: {cfg} cut {cut[te][0]}", file=sys.stderr)
    return p, cut, chosen


def _curve_point(feat: Features, y: np.ndarray, strata: np.ndarray, cfg: Config, k: int,
                 share: float, seed: int) -> float:
    """Macro-F1 of one k-fold run at a fixed config, each training part cut to `share`."""
    z = oof_scores(feat, y, strata, np.arange(len(y)), cfg, k, seed, share)
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

