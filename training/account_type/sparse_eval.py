"""Held-out check of the known-share rule (transforms/account_known.py): does pulling a
sparse row toward the prior make its probability more honest, and does a full row stay put?

    python -m training.account_type.sparse_eval --data ../shared/datasets/labeled_accounts_dev.csv

Five stratified folds (the report's seed): each fits the packaged model's configuration on
the other four (calibrated with the packaged model's Platt scale, a yardstick, not a nested
fit) and scores its fold through transforms.account_type, once per view of the rows: every
column, and only some (a bare handle; a handle and a display name). Per view, macro-F1 at 0.5,
Brier, log-loss and ECE with the rule and without it (the model's own probability).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from training.account_type.evaluate import FOLDS, SEED, folds, metrics
from training.account_type.fit import Config, featurize, fit
from training.account_type.lexicon import build_lexicon
from training.account_type.main import DEFAULT_DATA, export, load_data
from transforms.account_logit import score_rows
from transforms.account_model import load_model
from transforms.account_type import score_with_model

VIEWS = {"all columns": None, "handle only": ["platform", "handle"],
         "handle and display name": ["platform", "handle", "display_name"]}


def held_out(data: Path) -> dict:
    """Per view, the metrics of the out-of-fold probabilities with and without the rule."""
    df, y, source = load_data(data)
    strata = np.char.add(np.char.add(source, ":"), y.astype(int).astype(str))
    packaged = load_model()
    lexicon, _ = build_lexicon(packaged.meta["lexicon"]["source"])
    cfg = Config(**packaged.meta["config"])
    feat = featurize(df, lexicon)
    p = {view: {"with rule": np.zeros(len(y)), "without": np.zeros(len(y))} for view in VIEWS}
    for train, test in folds(y, strata, FOLDS, SEED):
        counts = {"all": {"person": int(y[train].sum()),
                          "non_person": int(len(train) - y[train].sum())}}
        model = export(feat, fit(feat, y, train, cfg), packaged.calibration, lexicon,
                       {"trained_on": {"counts": counts}})
        for view, columns in VIEWS.items():
            rows = df.iloc[test] if columns is None else df.iloc[test][columns]
            p[view]["with rule"][test] = score_with_model(rows, model).person_probability
            learned, fixed, _, _ = score_rows(rows, model, assume_clean=False)
            p[view]["without"][test] = 1 / (1 + np.exp(-(learned + fixed)))
    keys = ("macro_f1", "brier", "log_loss", "ece")
    return {view: {how: {k: metrics(y, q)[k] for k in keys} for how, q in ps.items()}
            for view, ps in p.items()}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    print(json.dumps(held_out(args.data), indent=2, default=float))


if __name__ == "__main__":
    main()
