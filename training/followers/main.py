"""Train the follower model (a real account or a bought follower), measure it honestly, and
write its weights and report.

    python -m training.train_followers --data ../shared/datasets/fake_followers_dev.csv

Reads the labelled accounts at training time only (never copied into the project), computes
the features of transforms/follower_features.py (only what every platform shows), and fits a
class-balanced L2 logistic regression (training/logistic.py). C comes from a fixed grid chosen
by inner CV inside each outer fold (nested 5-fold CV, training/cv.py); probabilities are
Platt-calibrated on out-of-fold scores. A leave-one-source-out run trains without one seller
(or one set of humans) and tests on it, so a seller's quirks cannot pass for skill. Writes
transforms/models/<MODEL_FILE> (npz, no pickle) and followers_report.{md,json}. Fixed seeds.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from training.args import training_args
from training.cv import FOLDS, INNER_FOLDS, JOBS, nested_cv, select
from training.followers.fit import GRID, Config, fit, scorer
from training.followers.report import write_report
from training.labeled import read_labeled
from training.logistic import platt, sigmoid
from training.metrics import metrics
from transforms.follower_features import KEYS, follower_features
from transforms.follower_model import MODEL_FILE, MODEL_VERSION, FollowerModel

MODELS = Path(__file__).resolve().parents[2] / "transforms" / "models"
DEFAULT_DATA = Path("../shared/datasets/fake_followers_dev.csv")
SEED = 20261207
CLASSES = ("fake", "real")
# The data gives no observation date per account: ages are counted to the day after the
# newest creation date in it (the paper's collection ended in spring 2013).
COLLECTED_AT = pd.Timestamp("2013-05-01", tz="UTC")
# Made-up profiles (not rows of the data) whose scores the report records, so a test can
# check that the packaged weights reproduce the trained model.
EXAMPLES = [
    {"handle": "maya_bakes", "display_name": "Maya Patel", "bio": "I bake bread, mum of 2 https://maya.example",
     "followers": 412, "following": 380, "posts": 2100, "created_at": "2010-03-02T10:00:00Z",
     "external_url": "https://maya.example", "has_default_avatar": "false"},
    {"handle": "jennifer84302", "display_name": "Jennifer Moss", "bio": "",
     "followers": 9, "following": 610, "posts": 4, "created_at": "2013-03-20T08:00:00Z",
     "external_url": "", "has_default_avatar": "false"},
    {"handle": "ana", "display_name": "", "bio": "music", "followers": 50, "following": 60,
     "posts": 300, "created_at": "2012-01-01T00:00:00Z", "external_url": "", "has_default_avatar": "true"},
    {"handle": "newbie", "followers": 120},
]


def load_data(path: Path) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    return read_labeled(path, "fake", ("handle", "display_name", "bio", "external_url"))


def features(df: pd.DataFrame) -> np.ndarray:
    return follower_features(df, COLLECTED_AT).to_numpy(dtype=float)


def calibrated_fit(X: np.ndarray, y: np.ndarray, strata: np.ndarray, rows: np.ndarray,
                   k: int, seed: int, jobs: int) -> tuple[Config, tuple[float, float], list[dict]]:
    """C by k-fold CV on `rows` and the Platt scaling of its out-of-fold scores."""
    cfg, z, table = select(scorer(X, y), y, strata, rows, GRID, k, seed, jobs)
    return cfg, platt(z, y[rows]), table


def leave_one_source_out(X: np.ndarray, y: np.ndarray, source: np.ndarray, strata: np.ndarray,
                         jobs: int) -> list[dict]:
    """Per source: trained (C and Platt by inner CV) without it, tested on it alone.

    A seller left out is bought followers the model never saw from that seller: its recall
    says whether the model learned fakes or that seller. A human source left out says the
    same of real accounts."""
    out = []
    for s in sorted(set(source)):
        train, test = np.flatnonzero(source != s), np.flatnonzero(source == s)
        cfg, (a, b), _ = calibrated_fit(X, y, strata, train, INNER_FOLDS, SEED, jobs)
        p = sigmoid(a * fit(X, y, train, cfg).decision(X[test]) + b)
        label = CLASSES[0] if y[test].mean() > 0.5 else CLASSES[1]
        correct = (p >= 0.5) == (y[test] == 1)
        out.append({"source": s, "label": label, "n": len(test), "C": cfg.C,
                    "recall": round(float(correct.mean()), 4),
                    "mean_fake_probability": round(float(p.mean()), 4)})
        print(f"  without {s}: recall of its {label} accounts {correct.mean():.3f}", file=sys.stderr)
    return out


def train(data: Path, out_dir: Path, *, nested: bool = True, jobs: int = JOBS) -> dict:
    df, y, source = load_data(data)
    strata = np.char.add(np.char.add(source, ":"), y.astype(int).astype(str))
    X = features(df)
    report: dict = {
        "model_version": MODEL_VERSION,
        "collected_at": COLLECTED_AT.isoformat(),
        "data": {"file": data.name, "rows": len(y),
                 "sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
                 "counts": {s: {lab: int(((source == s) & (y == (lab == "fake"))).sum())
                                for lab in CLASSES} for s in sorted(set(source))}},
    }
    if nested:
        print("nested cross-validation ...", file=sys.stderr)
        p, _, chosen = nested_cv(scorer(X, y), y, strata, GRID, SEED, jobs)
        report["cross_validation"] = {
            "all": metrics(y, p, classes=CLASSES),
            "by_source": {s: round(float(((p >= 0.5) == (y == 1))[source == s].mean()), 4)
                          for s in sorted(set(source))},
            "chosen": chosen,
        }
        print("leave one source out ...", file=sys.stderr)
        report["leave_one_source_out"] = leave_one_source_out(X, y, source, strata, jobs)
    print("final model ...", file=sys.stderr)
    all_rows = np.arange(len(y))
    cfg, calib, table = calibrated_fit(X, y, strata, all_rows, FOLDS, SEED, jobs)
    calib = (round(calib[0], 6), round(calib[1], 6))  # the same bytes whatever --jobs is
    fitted = fit(X, y, all_rows, cfg)
    weights = fitted.coef * calib[0]
    model = FollowerModel(keys=tuple(KEYS), mean=fitted.mean, scale=fitted.scale, coef=fitted.coef,
                          intercept=fitted.intercept, calibration=calib,
                          meta={"trained_on": report["data"], "config": asdict(cfg), "seed": SEED,
                                "collected_at": report["collected_at"]})
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(out_dir / MODEL_FILE)
    example_p = sigmoid(calib[0] * fitted.decision(features(pd.DataFrame(EXAMPLES))) + calib[1])
    report["final"] = {
        "config": asdict(cfg), "calibration": calib, "grid": table,
        "weights": sorted(([k, round(float(w), 3)] for k, w in zip(KEYS, weights, strict=True)),
                          key=lambda kw: -abs(kw[1])),
        "examples": [{"input": e, "observed_at": report["collected_at"],
                      "fake_probability": round(float(q), 6)}
                     for e, q in zip(EXAMPLES, example_p, strict=True)],
    }
    report["model_file"] = {"name": MODEL_FILE, "bytes": (out_dir / MODEL_FILE).stat().st_size}
    (out_dir / "followers_report.json").write_text(
        json.dumps(report, indent=2, default=float) + "\n", encoding="utf-8")
    if nested:
        write_report(report, out_dir / "followers_report.md")
    return report


def main(argv: list[str] | None = None) -> None:
    args = training_args(argv, __doc__, DEFAULT_DATA, MODELS)
    report = train(args.data, args.out, nested=not args.no_nested, jobs=args.jobs)
    if "cross_validation" in report:
        m = report["cross_validation"]["all"]
        print(f"nested CV accuracy {m['accuracy']:.4f}; macro-F1 {m['macro_f1']:.4f}; "
              f"Brier {m['brier']:.4f}")
        for row in report["leave_one_source_out"]:
            print(f"without {row['source']}: {row['recall']:.3f} of its {row['n']} {row['label']} accounts right")
    print(f"wrote {args.out / MODEL_FILE} ({report['model_file']['bytes']} bytes)")


if __name__ == "__main__":
    main()
