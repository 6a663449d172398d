"""Train the niche model, measure it by nested CV and write its weights and report.

    python -m training.train_niches --data ../shared/datasets

Reads creator_topics_dev.csv (accounts and their niche) and instagram_posts_dev.csv (their
captions) at training time only, builds one document per account with
transforms.niches.niche_documents (the scorer's own), fits training/niches/fit.py's model and
writes transforms/models/<MODEL_FILE> plus niches_report.{md,json}. Fixed seeds.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from training.args import training_args
from training.cv import FOLDS, INNER_FOLDS, JOBS
from training.niches.fit import GRID_ALPHA, nested_cv, select_alpha
from training.niches.fit import fit as fit_model
from training.niches.report import multiclass_metrics, write_report
from transforms.niches import (
    BLOCK_BITS,
    MODEL_FILE,
    NICHE_VERSION,
    NICHES,
    NicheModel,
    niche_documents,
    niche_features,
    top_niches,
)

MODELS = Path(__file__).resolve().parents[2] / "transforms" / "models"
DEFAULT_DATA = Path("../shared/datasets")
SEED = 20261207
# Made-up captions (not rows of the data) whose scores the report records.
EXAMPLES = [
    "Sunday roast and homemade apple pie, recipe below #foodie #baking",
    "Sunset in Santorini, next stop Lisbon ✈️ #wanderlust #travel",
    "Leg day done 💪 5x5 squats, protein shake after #fitness #gym",
    "Meet Luna, our golden retriever puppy 🐶 #dogsofinstagram",
]


@dataclass(frozen=True)
class DevAccounts:
    """The labelled accounts, their captions and which account wrote each caption."""

    accounts: pd.DataFrame  # one row per account: handle, display_name, ..., category
    posts: pd.DataFrame  # one row per caption: handle, caption, ...
    owner: np.ndarray  # posts' account rows
    y: np.ndarray  # each account's index in NICHES


def read_dev_accounts(data: Path) -> DevAccounts:
    """creator_topics_dev.csv and instagram_posts_dev.csv, read at run time only."""
    accounts = pd.read_csv(data / "creator_topics_dev.csv", dtype={"handle": str, "display_name": str})
    posts = pd.read_csv(data / "instagram_posts_dev.csv", dtype={"handle": str, "caption": str})
    owner = pd.Index(accounts["handle"]).get_indexer(posts["handle"])
    y = pd.Index(NICHES).get_indexer(accounts["category"])
    if (y < 0).any():
        sys.exit(f"unknown category in the data: {sorted(set(accounts['category'][y < 0]))}")
    return DevAccounts(accounts, posts, owner, y)


def account_documents(dev: DevAccounts) -> pd.Series:
    """One document per account: its display name and captions (the data has no bios)."""
    return niche_documents(dev.accounts["display_name"], no_bios(dev), dev.posts["caption"], dev.owner).fillna("")


def no_bios(dev: DevAccounts) -> pd.Series:
    """The data has no bios: every account's is missing."""
    return pd.Series(pd.NA, index=dev.accounts.index)


def load_documents(data: Path) -> tuple[pd.Series, np.ndarray, int]:
    """One document per account (name + its captions) and the label index; captions count."""
    dev = read_dev_accounts(data)
    return account_documents(dev), dev.y, len(dev.posts)


def train(data: Path, out: Path, nested: bool = True, jobs: int = JOBS) -> dict:
    start = time.monotonic()
    docs, y, captions = load_documents(data)
    X = niche_features(docs, BLOCK_BITS)
    k = len(NICHES)
    report: dict = {"version": NICHE_VERSION, "bits": BLOCK_BITS, "seed": SEED,
                    "data": {"accounts": len(y), "captions": captions}}
    if nested:
        p, chosen = nested_cv(X, y, k, SEED, jobs)
        report["cross_validation"] = {"outer_folds": FOLDS, "inner_folds": INNER_FOLDS, "grid": list(GRID_ALPHA),
                                      "chosen": chosen, "metrics": multiclass_metrics(y, p, NICHES)}
    alpha, table = select_alpha(X, y, k, SEED, jobs)
    fitted = fit_model(X, y, k, alpha)
    model = NicheModel(coef=fitted.coef, intercept=fitted.intercept, classes=NICHES, bits=BLOCK_BITS,
                       meta={"alpha": alpha, "seed": SEED})
    model.save(out / MODEL_FILE)
    packaged = NicheModel.from_bytes((out / MODEL_FILE).read_bytes())  # float16, as scoring reads it
    shown = top_niches(packaged.probabilities(niche_documents(
        pd.Series(EXAMPLES), pd.Series(pd.NA, index=range(len(EXAMPLES))), pd.Series([], dtype=str),
        np.zeros(0, dtype=np.int64))), NICHES)
    report["final"] = {"alpha": alpha, "folds": INNER_FOLDS, "grid": table}
    report["examples"] = [{"text": t, "niches": n} for t, n in zip(EXAMPLES, shown["niches"], strict=True)]
    report["seconds"] = round(time.monotonic() - start, 1)
    write_report(report, out, NICHES)
    return report


def main(argv: list[str] | None = None) -> None:
    args = training_args(argv, __doc__, DEFAULT_DATA, MODELS, "folder with the two CSV files")
    report = train(args.data, args.out, nested=not args.no_nested, jobs=args.jobs)
    if "cross_validation" in report:
        print(f"nested CV macro-F1 {report['cross_validation']['metrics']['macro_f1']}")
    print(f"took {report['seconds']} s; wrote {args.out / MODEL_FILE}")


if __name__ == "__main__":
    main()
