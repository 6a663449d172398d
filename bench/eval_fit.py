"""Measure campaign fit on the labelled dev creators and write docs/fit-report.md.

    .venv/bin/python bench/eval_fit.py [--data ../shared/datasets] [--nested]   (or: make eval-fit)

Reads creator_topics_dev.csv and instagram_posts_dev.csv at run time (never copied into the
project). Every creator's niche probabilities and content vectors are out-of-fold (the LSA
refitted in each outer fold: training/eval_fit.py). The niche probabilities: by default the nested CV's outer
folds replayed with the alphas its inner searches chose (recorded in the model report), which
gives the same predictions as the nested CV (checked against the report's macro-F1 on every
run); ``--nested`` reruns the inner searches too. Then one plain-words brief per niche and
lookalike searches from random seeds, ranked with transforms.fit.rank_fit over all creators,
scored by precision@50. Prints the report and writes it. Asserts nothing. About 3 minutes
on 2 cores, 2 of them for the out-of-fold probabilities; with ``--nested`` about 20, same figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training.cv import JOBS  # noqa: E402
from training.eval_fit import (  # noqa: E402
    SEARCHES,
    brief_precision,
    lookalike_precision,
    out_of_fold_content,
    out_of_fold_niche_probs,
    report_markdown,
    seed_rule_effect,
    with_niche_probs,
)
from training.niches.main import (  # noqa: E402
    DATA_NICHES,
    MODELS,
    SEED,
    account_documents,
    account_labels,
    as_data_niches,
    no_bios,
    read_dev_accounts,
)
from training.niches.report import multiclass_metrics  # noqa: E402
from transforms.content import content_profile  # noqa: E402
from transforms.content_model import load_content_model  # noqa: E402
from transforms.niche_seeds import seed_niche, with_seed_niches  # noqa: E402
from transforms.niches import BLOCK_BITS, NICHES, document_words, niche_features  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "datasets"
DEFAULT_OUT = ROOT / "docs" / "fit-report.md"
LOOKALIKE_SEED = 14  # the issue's number: the seed draws' random stream


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with the two CSV files")
    parser.add_argument("--nested", action="store_true", help="rerun the nested CV's inner searches")
    parser.add_argument("--searches", type=int, default=SEARCHES, help="lookalike searches per niche")
    parser.add_argument("--jobs", type=int, default=JOBS, help="processes for the inner searches")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    missing = [name for name in ("creator_topics_dev.csv", "instagram_posts_dev.csv") if not (args.data / name).is_file()]
    if missing or args.searches < 1 or not args.out.parent.is_dir():
        problem = (f"{args.data / missing[0]} not found; pass --data FOLDER" if missing else
                   "--searches must be at least 1" if args.searches < 1 else f"no directory {args.out.parent}")
        print(f"error: {problem}", file=sys.stderr)
        raise SystemExit(2)

    start = time.monotonic()
    seconds = {}
    dev = read_dev_accounts(args.data)
    docs = account_documents(dev)
    model_report = json.loads((MODELS / "niches_report.json").read_text())["cross_validation"]
    chosen = None if args.nested else model_report["chosen"]
    # Trained as the shipped model is: the data's labels, a seed niche for each clear `other`
    # (the same folds, stratified by them); briefs and lookalikes are judged by the data's own labels.
    labels = account_labels(dev, docs)
    p = out_of_fold_niche_probs(niche_features(docs, BLOCK_BITS), labels, SEED, chosen, args.jobs)
    niche_metrics = multiclass_metrics(labels, p, NICHES)
    # The seed lexicons' rule as scoring applies it (transforms/niche_seeds.py), on the same readings.
    rows, tokens = document_words(docs)
    seeded = with_seed_niches(p, NICHES, rows, tokens)
    seed_rule = seed_rule_effect(pd.Index(DATA_NICHES).get_indexer(dev.accounts["category"]), DATA_NICHES, p, seeded,
                                 seed_niche(rows, tokens, len(docs))[0], as_data_niches)
    seconds["out-of-fold niche probabilities"] = time.monotonic() - start

    mark = time.monotonic()
    shipped = load_content_model().meta
    content = out_of_fold_content(docs, labels, SEED, shipped["max_df"], shipped["bigrams"])
    seconds["out-of-fold content models"] = time.monotonic() - mark

    mark = time.monotonic()
    profile = content_profile(dev.accounts["display_name"], no_bios(dev), dev.posts["caption"], dev.owner)
    creators = dev.accounts[["platform", "handle", "followers"]].join(with_niche_probs(profile, seeded))
    seconds["content profiles"] = time.monotonic() - mark

    mark = time.monotonic()
    briefs = brief_precision(creators, dev.y, content)
    seconds["briefs"] = time.monotonic() - mark
    mark = time.monotonic()
    lookalikes = lookalike_precision(creators, dev.y, LOOKALIKE_SEED, args.searches, content)
    seconds["lookalikes"] = time.monotonic() - mark
    seconds["total"] = time.monotonic() - start

    text = report_markdown(
        accounts=len(dev.y), captions=len(dev.posts), nested=args.nested, niche_macro_f1=niche_metrics["macro_f1"],
        report_macro_f1=model_report["metrics"]["macro_f1"], briefs=briefs, lookalikes=lookalikes,
        searches=args.searches, lookalike_seed=LOOKALIKE_SEED,
        content_model=json.loads((MODELS / "content_report.json").read_text())["chosen"], seed_rule=seed_rule,
        seconds={k: round(v) for k, v in seconds.items()})
    print(text)
    args.out.write_text(text)
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
