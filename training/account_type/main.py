"""Train the person-vs-page model, measure it honestly, and write its weights and report.

    python -m training.train_account_type --data ../shared/datasets/labeled_accounts_dev.csv

Reads the labelled accounts at training time only (never copied into the project), computes
the signals of transforms/account_features/, and fits an L2-regularised logistic regression
(our own L-BFGS fit, so evidence is weight x value). Hyper-parameters come from a fixed grid,
chosen by inner cross-validation inside each outer fold (nested 5-fold CV), so the reported
figures are for accounts the model and its choices never saw. Probabilities are calibrated
with Platt scaling on out-of-fold scores; the threshold stays 0.5 (a threshold tuned by inner
CV is measured in the report as a yardstick: it did not help). Writes transforms/models/<MODEL_FILE> (npz, no
pickle) and transforms/models/account_type_report.{md,json}. Fixed seeds: same data, same
files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from training.account_type.evaluate import SEED, learning_curve, scorer, tfidf_baseline
from training.account_type.fit import GRID, Config, Features, Fitted, featurize, fit
from training.account_type.lexicon import build_lexicon
from training.account_type.report import write_report
from training.args import training_args
from training.cv import FOLDS, JOBS, nested_cv, select
from training.labeled import read_labeled
from training.logistic import platt
from training.metrics import metrics
from transforms import account_features as af
from transforms.account_model import MODEL_FILE, MODEL_VERSION, AccountModel

MODELS = Path(__file__).resolve().parents[2] / "transforms" / "models"
DEFAULT_DATA = Path("../shared/datasets/labeled_accounts_dev.csv")


def export(feat: Features, fitted: Fitted, calib: tuple[float, float], lexicon: af.Lexicon,
           meta: dict) -> AccountModel:
    """The fitted weights in the inference layout (block scales folded into the weights)."""
    cfg, coef = fitted.cfg, fitted.coef
    d = len(af.SIGNAL_KEYS)
    pos = d
    vocab, word_coef = {}, {}
    for name in af.WORD_FIELDS:
        k = len(fitted.vocab[name])
        vocab[name] = np.asarray(feat.word_dict[name][fitted.vocab[name]], dtype=str)
        word_coef[name] = (coef[pos:pos + k] * cfg.word_scale).astype(np.float32)
        pos += k
    char_coef = {}
    width = 2 ** af.CHAR_BITS
    for name in af.CHAR_FIELDS:
        char_coef[name] = (coef[pos:pos + width] * cfg.char_scale).astype(np.float32)
        pos += width
    assert pos == len(coef)
    return AccountModel(
        version=MODEL_VERSION,
        signal_keys=tuple(af.SIGNAL_KEYS),
        signal_coef=coef[:d].astype(np.float64),
        intercept=fitted.intercept,
        calibration=calib,
        vocab=vocab,
        word_coef=word_coef,
        char_ns={k: tuple(v) for k, v in af.CHAR_FIELDS.items()},
        char_bits=af.CHAR_BITS,
        char_coef=char_coef,
        lexicon=lexicon,
        meta=meta,
    )



def load_data(path: Path) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    return read_labeled(path, "person", ("handle", "display_name", "bio", "sample_post"))


def train(data: Path, out_dir: Path, *, grid: list[Config], names: str, sandbox: int,
          nested: bool = True, jobs: int = JOBS) -> dict:
    df, y, source = load_data(data)
    strata = np.char.add(np.char.add(source, ":"), y.astype(int).astype(str))
    lexicon, lex_info = build_lexicon(names)
    feat = featurize(df, lexicon)
    report: dict = {
        "model_version": MODEL_VERSION,
        "data": {"file": data.name, "rows": len(y),
                 "sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
                 "counts": {s: {"person": int(((source == s) & (y == 1)).sum()),
                                "non_person": int(((source == s) & (y == 0)).sum())}
                            for s in sorted(set(source))}},
    }
    all_rows = np.arange(len(y))
    if nested:
        print("nested cross-validation ...", file=sys.stderr)
        p, cut, chosen = nested_cv(scorer(feat, y), y, strata, grid, SEED, jobs)
        report["cross_validation"] = {
            "all": metrics(y, p),
            "by_source": {s: metrics(y[source == s], p[source == s]) for s in sorted(set(source))},
            "all_at_cut": metrics(y, p, cut),
            "by_source_at_cut": {s: metrics(y[source == s], p[source == s], cut[source == s])
                                 for s in sorted(set(source))},
            "chosen": chosen,
            "baseline_tfidf_logreg": tfidf_baseline(df, y, strata, SEED),
        }
    print("final model ...", file=sys.stderr)
    cfg, z, table = select(scorer(feat, y), y, strata, all_rows, grid, FOLDS, SEED, jobs)
    # rounded: the out-of-fold scores differ in the last bits between processes (BLAS),
    # and the file should be the same bytes whatever --jobs is
    calib = tuple(round(v, 6) for v in platt(z, y))
    fitted = fit(feat, y, all_rows, cfg)
    signal_w = fitted.coef[:len(af.SIGNAL_KEYS)] * calib[0]
    top = sorted(zip(af.SIGNAL_KEYS, signal_w.tolist()), key=lambda kv: -abs(kv[1]))[:20]
    report["final"] = {"config": asdict(cfg), "calibration": calib, "grid": table,
                       "top_signals": [(k, round(v, 3)) for k, v in top]}
    if nested:
        print("learning curve ...", file=sys.stderr)
        report["learning_curve"] = learning_curve(feat, y, strata, cfg, jobs)
    report["features"] = {
        "signals": len(af.SIGNAL_KEYS),
        "vocab": {k: len(v) for k, v in fitted.vocab.items()},
        "char_fields": ", ".join(f"{k} {v}" for k, v in af.CHAR_FIELDS.items()),
        "char_bits": af.CHAR_BITS,
        "lexicon": ", ".join(f"{k}={v}" for k, v in lex_info.items()),
    }
    meta = {"trained_on": report["data"], "config": asdict(cfg), "lexicon": lex_info,
            "seed": SEED}
    model = export(feat, fitted, calib, lexicon, meta)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(out_dir / MODEL_FILE)
    report["model_file"] = {"name": MODEL_FILE, "bytes": (out_dir / MODEL_FILE).stat().st_size}
    if sandbox:
        from training.eval_sandbox import evaluate_sandbox

        print("sandbox ...", file=sys.stderr)
        report["sandbox"] = evaluate_sandbox(sandbox, seed=1, model=model)
    (out_dir / "account_type_report.json").write_text(
        json.dumps(report, indent=2, default=float) + "\n", encoding="utf-8")
    if nested:
        write_report(report, out_dir / "account_type_report.md")
    return report


def _own_options(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--names", choices=["nomquamgender", "builtin"], default="nomquamgender")
    ap.add_argument("--sandbox", type=int, default=3000,
                    help="creators in the synthetic sandbox evaluation (0: skip)")


def main(argv: list[str] | None = None) -> None:
    args = training_args(argv, __doc__, DEFAULT_DATA, MODELS, extra=_own_options)
    report = train(args.data, args.out, grid=GRID, names=args.names, sandbox=args.sandbox,
                   nested=not args.no_nested, jobs=args.jobs)
    if "cross_validation" in report:
        m = report["cross_validation"]["all"]
        c = report["cross_validation"]["all_at_cut"]
        print(f"nested CV macro-F1 {m['macro_f1']:.4f} (tuned cut: {c['macro_f1']:.4f}); "
              f"accuracy {m['accuracy']:.4f}; ECE {m['ece']:.4f}")
    print(f"wrote {args.out / MODEL_FILE} ({report['model_file']['bytes']} bytes)")


if __name__ == "__main__":
    main()
