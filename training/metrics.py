"""Binary-classifier metrics shared by every model's report: per-class precision, recall and
F1, macro-F1, the confusion matrix, calibration deciles, Brier, log-loss, and the threshold
search. ``classes`` names label 1 first, then label 0."""

from __future__ import annotations

import numpy as np

CUTS = np.round(np.arange(0.30, 0.701, 0.025), 3)  # candidate decision thresholds


def log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def metrics(y: np.ndarray, p: np.ndarray, threshold: float | np.ndarray = 0.5,
            classes: tuple[str, str] = ("person", "non_person")) -> dict:
    """Per-class P/R/F1, macro-F1, confusion matrix, calibration deciles, Brier, log-loss."""
    pos, neg = classes
    pred = p >= threshold
    out: dict = {"n": len(y)}
    per_class = {}
    for label, truth, guess in ((pos, y == 1, pred), (neg, y == 0, ~pred)):
        tp = int((truth & guess).sum())
        prec = tp / max(int(guess.sum()), 1)
        rec = tp / max(int(truth.sum()), 1)
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_class[label] = {"precision": round(prec, 4), "recall": round(rec, 4),
                            "f1": round(f1, 4), "support": int(truth.sum())}
    out["per_class"] = per_class
    out["macro_f1"] = round(float(np.mean([c["f1"] for c in per_class.values()])), 4)
    out["accuracy"] = round(float((pred == (y == 1)).mean()), 4)
    out["confusion"] = {f"true_{pos}": {pos: int((pred & (y == 1)).sum()),
                                        neg: int((~pred & (y == 1)).sum())},
                        f"true_{neg}": {pos: int((pred & (y == 0)).sum()),
                                        neg: int((~pred & (y == 0)).sum())}}
    out["brier"] = round(float(np.mean((p - y) ** 2)), 4)
    out["log_loss"] = round(log_loss(y, p), 4)
    bins = np.minimum((p * 10).astype(int), 9)
    out["calibration"] = [
        {"bin": f"{i / 10:.1f}-{(i + 1) / 10:.1f}", "n": int((bins == i).sum()),
         "mean_predicted": round(float(p[bins == i].mean()), 3),
         f"observed_{pos}": round(float(y[bins == i].mean()), 3)}
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
