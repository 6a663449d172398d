"""Train the niche model, measure it by nested CV and write its weights and report.

    python -m training.train_niches --data ../shared/datasets

Reads creator_topics_dev.csv (accounts and their niche) and instagram_posts_dev.csv (their
captions) at training time only, builds one document per account with
transforms.niches.niche_documents (the scorer's own), labels the niches the data lacks by the
seed lexicons (training/niches/seeds.py: accounts of the data's ``other`` only), fits
training/niches/fit.py's model and writes transforms/models/<MODEL_FILE> plus
niches_report.{md,json}: nested CV over all labels, the data's nine alone, the new niches with
their seed words removed from the held-out text, and the sandbox's creators. Fixed seeds.
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
from training.niches.fit import GRID_ALPHA, nested_cv_views, select_alpha
from training.niches.fit import fit as fit_model
from training.niches.report import multiclass_metrics, write_report
from training.niches.sandbox_check import sandbox_accuracy
from training.niches.seeds import seed_labels, seed_lexicons, strip_seeds
from transforms.niche_seeds import DOMINANCE, MIN_DISTINCT
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
#: The labels of the data (its authors'); the other NICHES come from the seed lexicons.
DATA_NICHES = ("beauty", "family", "fashion", "fitness", "food", "interior", "pet", "travel", "other")
SEEDED_NICHES = tuple(n for n in NICHES if n not in DATA_NICHES)
# Made-up captions (not rows of the data) whose scores the report records.
EXAMPLES = [
    "Sunday roast and homemade apple pie, recipe below #foodie #baking",
    "Sunset in Santorini, next stop Lisbon ✈️ #wanderlust #travel",
    "Leg day done 💪 5x5 squats, protein shake after #fitness #gym",
    "Meet Luna, our golden retriever puppy 🐶 #dogsofinstagram",
    "Late night ranked grind on stream, new PC setup 🎮 #gaming #twitch",
    "Review of the new smartphone: camera, battery and the chip inside #tech",
    "Neues Lied ist draußen! Probe mit der Band heute Abend, Gitarre und Gesang #musik",
    "Partido de fútbol este domingo, entrenamiento con el equipo #futbol",
    "Aquarelle du jour, un petit paysage dans mon carnet de croquis #peinture #art",
    "Ho finito questo romanzo in due giorni, consigli per la prossima lettura? #libri",
    "Trilha até o pico ao amanhecer, barraca montada e café na montanha #trilha",
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


def account_labels(dev: DevAccounts, docs: pd.Series) -> np.ndarray:
    """Each account's index in NICHES: its data label, or a seed niche for a clear ``other``."""
    labels = seed_labels(docs, dev.accounts["category"].astype(str))
    return pd.Index(NICHES).get_indexer(labels)


def weak_label_summary(y: np.ndarray, data_y: np.ndarray) -> dict:
    """The rule, the lexicons' sizes and how many ``other`` accounts each seed niche took."""
    lexicons = seed_lexicons()
    return {"rule": {"min_distinct": MIN_DISTINCT, "dominance": DOMINANCE},
            "terms": {n: len(lexicons[n]) for n in SEEDED_NICHES},
            "relabelled": {n: int((y == NICHES.index(n)).sum()) for n in SEEDED_NICHES},
            "other_before": int((data_y == NICHES.index("other")).sum()),
            "other_after": int((y == NICHES.index("other")).sum())}


def as_data_niches(p: np.ndarray) -> np.ndarray:
    """Probabilities over DATA_NICHES: each seed niche's folded into ``other``, where the data has it."""
    out = p[:, [NICHES.index(n) for n in DATA_NICHES]].copy()
    out[:, DATA_NICHES.index("other")] += p[:, [NICHES.index(n) for n in SEEDED_NICHES]].sum(axis=1)
    return out


def seed_free_agreement(y: np.ndarray, p: np.ndarray, p_stripped: np.ndarray) -> dict:
    """Per seed niche, how often the out-of-fold top niche is the seed label: on the text as it
    is, and with every seed term removed from the held-out text (what the model learned beyond
    the seeds), plus the share that falls back to ``other`` without them."""
    top, top_stripped = p.argmax(axis=1), p_stripped.argmax(axis=1)
    out = {}
    for niche in SEEDED_NICHES:
        rows = y == NICHES.index(niche)
        out[niche] = {"n": int(rows.sum()),
                      "agreement": round(float((top[rows] == NICHES.index(niche)).mean()), 4) if rows.any() else None,
                      "agreement_seeds_removed":
                          round(float((top_stripped[rows] == NICHES.index(niche)).mean()), 4) if rows.any() else None,
                      "other_seeds_removed":
                          round(float((top_stripped[rows] == NICHES.index("other")).mean()), 4) if rows.any() else None}
    return out


def packaged_checks(path: Path) -> dict:
    """What the report shows of the weights as saved (int8, as scoring reads them): the
    EXAMPLES' niches and the sandbox's creators."""
    packaged = NicheModel.from_bytes(path.read_bytes())
    shown = top_niches(packaged.probabilities(niche_documents(
        pd.Series(EXAMPLES), pd.Series(pd.NA, index=range(len(EXAMPLES))), pd.Series([], dtype=str),
        np.zeros(0, dtype=np.int64))), NICHES)
    return {"examples": [{"text": t, "niches": n} for t, n in zip(EXAMPLES, shown["niches"], strict=True)],
            "sandbox": sandbox_accuracy(packaged)}


def train(data: Path, out: Path, nested: bool = True, jobs: int = JOBS) -> dict:
    start = time.monotonic()
    dev = read_dev_accounts(data)
    docs = account_documents(dev)
    y = account_labels(dev, docs)
    X = niche_features(docs, BLOCK_BITS)
    k = len(NICHES)
    report: dict = {"version": NICHE_VERSION, "bits": BLOCK_BITS, "seed": SEED,
                    "data": {"accounts": len(y), "captions": len(dev.posts)},
                    "weak_labels": weak_label_summary(y, dev.y)}
    if nested:
        (p, p_stripped), chosen = nested_cv_views(X, y, k, SEED, jobs, (niche_features(strip_seeds(docs), BLOCK_BITS),))
        report["cross_validation"] = {"outer_folds": FOLDS, "inner_folds": INNER_FOLDS, "grid": list(GRID_ALPHA),
                                      "chosen": chosen, "metrics": multiclass_metrics(y, p, NICHES),
                                      "data_niches": multiclass_metrics(
                                          pd.Index(DATA_NICHES).get_indexer(dev.accounts["category"]),
                                          as_data_niches(p), DATA_NICHES),
                                      "seed_free": seed_free_agreement(y, p, p_stripped)}
    alpha, table = select_alpha(X, y, k, SEED, jobs)
    fitted = fit_model(X, y, k, alpha)
    model = NicheModel(coef=fitted.coef, intercept=fitted.intercept, classes=NICHES, bits=BLOCK_BITS,
                       meta={"alpha": alpha, "seed": SEED})
    model.save(out / MODEL_FILE)
    report["final"] = {"alpha": alpha, "folds": INNER_FOLDS, "grid": table}
    report.update(packaged_checks(out / MODEL_FILE))
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
