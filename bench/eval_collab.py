"""Measure the post collab_kind classifier against Instagram's own sponsorship labels.

    .venv/bin/python bench/eval_collab.py [--data ../shared/datasets/instagram_posts_dev.csv]

Reads the dev posts at run time (never copied into the project) and prints, as markdown,
precision and recall of ``collab_kind == paid`` and of any commercial kind (paid, gifted or
affiliate) against ``label_paid_partnership_tag``, ``label_disclosed_ad_hashtag`` and
``label_sponsored_any``, then what each signal catches, and how often a paid-partnership post's
named sponsor is among its ``partners``; then the bio stance against the sandbox's planted
``collab`` (synthetic bios: a check of the phrases, not of the world). Asserts nothing. Negatives are "not disclosed", so a
hidden ad counts against precision here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sandbox.generate import build_universe  # noqa: E402
from training.markdown import table  # noqa: E402
from transforms.collab import STANCES, bio_stance, post_collab, post_signal_hits  # noqa: E402
from transforms.collab_words import POST_SIGNALS  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "instagram_posts_dev.csv"
LABELS = ("label_paid_partnership_tag", "label_disclosed_ad_hashtag", "label_sponsored_any")


def _pr(predicted: np.ndarray, truth: np.ndarray) -> tuple[str, str]:
    hits = int((predicted & truth).sum())
    precision = hits / predicted.sum() if predicted.any() else float("nan")
    recall = hits / truth.sum() if truth.any() else float("nan")
    return f"{precision:.3f}", f"{recall:.3f}"


def _sponsor_found(posts: pd.DataFrame, partners: pd.Series) -> str:
    """Share of paid-partnership posts whose named sponsor is among the partners we read."""
    tagged = posts["label_paid_partnership_tag"].eq(1) & posts["paid_partnership_sponsors"].notna()
    if not tagged.any():
        return "n/a"
    sponsors = posts.loc[tagged, "paid_partnership_sponsors"].astype(str).str.lower()
    found = [isinstance(p, str) and any(f"@{s.strip().lstrip('@')}" in p.split() for s in sp.split(","))
             for sp, p in zip(sponsors, partners[tagged].astype(object).where(partners[tagged].notna()), strict=True)]
    return f"{np.mean(found):.3f} of {int(tagged.sum())}"


def evaluate(path: Path) -> str:
    posts = pd.read_csv(path, dtype={"caption": "string"})
    text = posts["caption"].astype("string[pyarrow]")
    verdict = post_collab(text)
    kind = verdict["collab_kind"].to_numpy(dtype=object)
    truths = {label: posts[label].fillna(0).astype(int).to_numpy() == 1 for label in LABELS}
    rows = []
    for name, predicted in (("paid", kind == "paid"), ("paid, gifted or affiliate", kind != "organic")):
        row = [name, int(predicted.sum())]
        for label in LABELS:
            row += list(_pr(predicted, truths[label]))
        rows.append(row)
    header = ["collab_kind in", "posts"] + [f"{label.removeprefix('label_')} {m}" for label in LABELS
                                           for m in ("P", "R")]
    hits = post_signal_hits(text)
    signal_rows = []
    for name, kind_of, _ in POST_SIGNALS:
        hit = hits[name]
        signal_rows.append([name, kind_of, int(hit.sum()),
                            *(f"{(hit & truths[label]).sum() / hit.sum():.3f}" if hit.any() else "n/a"
                              for label in LABELS),
                            f"{(hit & truths['label_sponsored_any']).sum() / truths['label_sponsored_any'].sum():.3f}"])
    counts = pd.Series(kind).value_counts()
    return "\n".join([
        f"{len(posts):,} posts; labelled: " + ", ".join(f"{label} {int(truths[label].sum()):,}" for label in LABELS),
        "kinds: " + ", ".join(f"{k} {int(counts.get(k, 0)):,}" for k in ("paid", "gifted", "affiliate", "organic")),
        "", table(rows, header), "",
        "What each signal catches (share of its posts carrying each label; recall of sponsored_any):", "",
        table(signal_rows, ["signal", "kind", "posts", *(f"{label.removeprefix('label_')}" for label in LABELS),
                            "sponsored_any recall"]),
        "", f"paid-partnership posts whose sponsor is among partners: {_sponsor_found(posts, verdict['partners'])}",
    ])


def evaluate_stance(creators: int, seed: int) -> str:
    """The bio stance against the sandbox's planted collab: a confusion table, truth by rows."""
    planted = {"gifting": "open_to_gifting", "paid_only": "paid_only"}
    people = build_universe(creators, seed=seed).creators
    truth = pd.Series([planted.get(c.collab, "unknown") for c in people])
    found = bio_stance(pd.Series([c.bio for c in people], dtype="string[pyarrow]"))["collab_stance"].astype(object)
    confusion = pd.crosstab(truth, found).reindex(index=STANCES, columns=STANCES, fill_value=0)
    return "\n".join([f"Bio stance on the sandbox ({creators:,} creators, seed {seed}), truth by rows:", "",
                      table([[t, *confusion.loc[t].tolist()] for t in STANCES], ["truth \\ found", *STANCES])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sandbox-creators", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    print(evaluate(args.data), "", evaluate_stance(args.sandbox_creators, args.seed), sep="\n")


if __name__ == "__main__":
    main()
