"""Train the content vector's LSA on the dev creators' captions and write its weights and report.

    python -m training.train_content --data ../shared/datasets

Reads creator_topics_dev.csv and instagram_posts_dev.csv at training time only, one document
per creator (transforms.niches.niche_documents, the scorer's own), and fits
training/content/fit.py's model for each vocabulary setting of the grid; keeps the one whose
vectors best agree with the niche labels among each creator's 10 nearest neighbours (the
briefs of the fit evaluation play no part), refitted on all creators. Writes
transforms/models/<MODEL_FILE> and content_report.{md,json}. Fixed seeds.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from training.args import training_args
from training.content.fit import MAX_DF_GRID, fit_content_model, neighbour_agreement
from training.markdown import table
from training.niches.main import (
    DEFAULT_DATA,
    MODELS,
    account_documents,
    read_dev_accounts,
)
from training.niches.report import PAPER
from transforms.content_model import CONTENT_VERSION, MODEL_FILE, ContentModel
from transforms.language import main_language
from transforms.niches import document_words


def train(data: Path, out: Path) -> dict:
    start = time.monotonic()
    dev = read_dev_accounts(data)
    docs = account_documents(dev)
    words = document_words(docs)
    grid = []
    for max_df in MAX_DF_GRID:
        for bigrams in (True, False):
            model, stats = fit_content_model(docs, max_df, bigrams=bigrams)
            grid.append({**stats, "neighbour_agreement": round(neighbour_agreement(
                model.vectors(*words, len(docs)), dev.y), 4)})
    best = max(grid, key=lambda g: g["neighbour_agreement"])
    model, stats = fit_content_model(docs, best["max_df"], bigrams=best["bigrams"])
    model.save(out / MODEL_FILE)
    packaged = ContentModel.from_bytes((out / MODEL_FILE).read_bytes())  # float16, as scoring reads it
    shares = np.bincount(dev.y) / len(dev.y)
    languages = main_language(docs).fillna("unknown").value_counts(normalize=True).round(3)
    report = {"version": CONTENT_VERSION, "data": {"accounts": len(docs), "captions": len(dev.posts)},
              "languages": languages.iloc[:6].to_dict(), "chance_agreement": round(float(shares @ shares), 4),
              "grid": grid, "chosen": stats,
              "packaged_neighbour_agreement": round(neighbour_agreement(packaged.vectors(*words, len(docs)), dev.y), 4),
              "seconds": round(time.monotonic() - start, 1)}
    write_report(report, out)
    return report


def write_report(report: dict, out: Path) -> None:
    (out / "content_report.json").write_text(json.dumps(report, indent=2) + "\n")
    chosen = report["chosen"]
    lines = [
        f"# Content vector model ({report['version']})",
        "",
        f"Data: {report['data']['accounts']} Instagram influencer accounts with {report['data']['captions']} "
        f"captions (1 to 8 each): {PAPER}. Read at training time only; research use. The captions are "
        "mostly English; creators by main language (transforms.language): "
        + ", ".join(f"{k} {v:.1%}" for k, v in report["languages"].items())
        + ". Other languages' words are in the vocabulary only as far as they occur there, so the "
        "vector reads English best and a brief in another language is matched mostly by the niche part.",
        "",
        "Model: one document per creator (display name and captions, cleaned and lower-cased by the "
        "scorer's own code), tokenised by `transforms.account_features.words.word_ngrams`; TF-IDF "
        "(sublinear term frequency, smoothed IDF, rows L2-normalised) over a vocabulary capped at "
        f"{chosen['max_terms']:,} terms by document frequency (at least {chosen['min_df']} documents); "
        "a truncated SVD (randomized, 7 iterations, fixed seed) to 64 dimensions; the term matrix "
        "stored as float16. A text's vector is its TF-IDF row times the term matrix, L2-normalised.",
        "",
        "## Vocabulary settings",
        "",
        "Each setting fitted on all creators; the measure is the mean share of each creator's 10 "
        "nearest neighbours (cosine of the vectors) with its niche label (random neighbours: "
        f"{report['chance_agreement']}). The fit evaluation's briefs play no part in the choice.",
        "",
        table([[g["max_df"], "yes" if g["bigrams"] else "no", f"{g['terms']:,}", g["explained_variance"],
                g["neighbour_agreement"]] for g in report["grid"]],
              ["max document share", "word pairs", "terms", "explained variance", "10-NN label agreement"]),
        "",
        "## Shipped model",
        "",
        f"max document share {chosen['max_df']}, word pairs {'yes' if chosen['bigrams'] else 'no'}: "
        f"{chosen['terms']:,} terms; the 64 dimensions explain {chosen['explained_variance']:.1%} of "
        f"the TF-IDF variance (the first {chosen['first_component_variance']:.1%}). 10-NN label agreement "
        f"with the packaged float16 weights: {report['packaged_neighbour_agreement']}. Training took "
        f"{report['seconds']:.0f} s.",
        "",
        "How much it helps a brief and a lookalike search, measured with a model refitted inside each "
        "outer fold so no ranked creator was seen: [docs/fit-report.md](../../docs/fit-report.md).",
        "",
    ]
    (out / "content_report.md").write_text("\n".join(lines))


def main(argv: list[str] | None = None) -> None:
    args = training_args(argv, __doc__, DEFAULT_DATA, MODELS, "folder with the two CSV files")
    report = train(args.data, args.out)
    print(f"took {report['seconds']} s; wrote {args.out / MODEL_FILE}")


if __name__ == "__main__":
    main()
