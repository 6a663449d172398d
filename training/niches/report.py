"""The niche model's report: multiclass metrics (per-niche precision and recall, macro-F1,
confusion matrix, calibration of the top niche's probability) as JSON and Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from training.markdown import table

PAPER = ('Kim, Jiang, Nakada, Han and Wang, "Multimodal Post Attentive Profiling for Influencer '
         'Marketing", WWW 2020')


def multiclass_metrics(y: np.ndarray, p: np.ndarray, classes: tuple[str, ...]) -> dict:
    """Per niche P/R/F1, macro-F1, accuracy, top-3 accuracy, confusion, calibration deciles."""
    pred = p.argmax(axis=1)
    per = {}
    for j, name in enumerate(classes):
        tp = int(((pred == j) & (y == j)).sum())
        prec, rec = tp / max(int((pred == j).sum()), 1), tp / max(int((y == j).sum()), 1)
        per[name] = {"precision": round(prec, 4), "recall": round(rec, 4),
                     "f1": round(2 * prec * rec / (prec + rec) if prec + rec else 0.0, 4),
                     "support": int((y == j).sum())}
    top = p.max(axis=1)
    right = pred == y
    bins = np.minimum((top * 10).astype(int), 9)
    top3 = (np.argsort(-p, axis=1)[:, :3] == y[:, None]).any(axis=1)
    return {
        "n": len(y), "macro_f1": round(float(np.mean([c["f1"] for c in per.values()])), 4),
        "accuracy": round(float(right.mean()), 4), "top3_accuracy": round(float(top3.mean()), 4),
        "log_loss": round(float(-np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-12, 1)))), 4),
        "per_niche": per,
        "confusion": {t: {g: int(((y == i) & (pred == j)).sum()) for j, g in enumerate(classes)}
                      for i, t in enumerate(classes)},
        "calibration": [{"bin": f"{b / 10:.1f}-{(b + 1) / 10:.1f}", "n": int((bins == b).sum()),
                         "mean_top_probability": round(float(top[bins == b].mean()), 3),
                         "observed_accuracy": round(float(right[bins == b].mean()), 3)}
                        for b in range(10) if (bins == b).any()],
        "ece": round(float(sum(abs(top[bins == b].mean() - right[bins == b].mean()) * (bins == b).sum()
                               for b in range(10) if (bins == b).any()) / len(y)), 4),
    }


def metrics_markdown(m: dict, classes: tuple[str, ...]) -> str:
    return "\n".join([
        f"n = {m['n']}; **macro-F1 = {m['macro_f1']:.3f}**; accuracy {m['accuracy']:.3f}; "
        f"top-3 accuracy {m['top3_accuracy']:.3f}; log-loss {m['log_loss']:.3f}; ECE {m['ece']:.3f}",
        "",
        table([[k, v["precision"], v["recall"], v["f1"], v["support"]] for k, v in m["per_niche"].items()],
              ["niche", "precision", "recall", "F1", "support"]),
        "",
        "Confusion matrix (rows: truth, columns: predicted top niche):",
        "",
        table([[t, *(m["confusion"][t][g] for g in classes)] for t in classes], ["truth \\ predicted", *classes]),
        "",
        "Calibration (deciles of the top niche's probability, against how often it is right):",
        "",
        table([[c["bin"], c["n"], c["mean_top_probability"], c["observed_accuracy"]] for c in m["calibration"]],
              ["bin", "n", "mean top probability", "observed accuracy"]),
    ])


def weak_label_lines(weak: dict) -> list[str]:
    rule = weak["rule"]
    return [
        "## Taxonomy and weak labels",
        "",
        "The data has nine labels (beauty, family, fashion, fitness, food, interior, pet, travel, "
        "other). The sandbox and real platforms need more: art (with photography), books, gaming "
        "(with board games), music, outdoors (hiking, climbing, nature and gardening), sport "
        "(team, ball, racing and board sports; gym, running and yoga stay fitness) and tech. "
        "There is no labelled data for them, so they are labelled weakly: one seed lexicon per "
        "niche (transforms/models/niche_seeds.json: en, de, es, fr, it, pt and hashtags), written "
        "from general knowledge before any row was read for it or any result seen, and not tuned "
        "since. An account its authors labelled `other` takes seed niche N when its text holds at "
        f"least {rule['min_distinct']} distinct seed terms of N and at least {rule['dominance']:g} "
        "times as many as of any other seed niche; every other account keeps the data's label.",
        "",
        table([[n, weak["terms"][n], weak["relabelled"][n]] for n in weak["terms"]],
              ["niche", "seed terms", "`other` accounts labelled"]),
        "",
        f"`other`: {weak['other_before']} accounts in the data, {weak['other_after']} left after the seed "
        "labels. Caveats: a seed label is only as good as its lexicon (an `other` account that "
        "names a guitar once and a concert once is music, even if it is a venue); the niches "
        "whose lexicons found few accounts are learned from few examples; and the accounts "
        "the rule leaves in `other` still include some of every new niche, which teaches the model "
        "that their vocabulary is also `other`.",
        "",
    ]


def seed_free_lines(seed_free: dict) -> list[str]:
    return [
        "### The seed niches with their seed words removed",
        "",
        "For each account a seed niche labelled, the share whose out-of-fold top niche is that "
        "niche: on its text as it is, and with every seed term of every niche removed from the "
        "held-out text before it is read (the model was fitted on the other folds as they are). "
        "The second figure is what the model learned beyond the seeds: the other words those "
        "accounts use. It is agreement with a rule, not accuracy against human labels.",
        "",
        table([[n, v["n"], v["agreement"], v["agreement_seeds_removed"], v["other_seeds_removed"]]
               for n, v in seed_free.items()],
              ["niche", "accounts", "agreement", "agreement, seeds removed", "`other`, seeds removed"]),
        "",
    ]


def sandbox_lines(sandbox: dict) -> list[str]:
    return [
        "## The sandbox's creators",
        "",
        f"A sandbox universe of {sandbox['creators']} accounts (seed {sandbox['seed']}) generated "
        f"in-process; its {sandbox['people']} people scored from name, bio and newest posts by the "
        "packaged weights, each sandbox niche mapped to ours (training/niches/sandbox_check.py: "
        "baking and vegan food -> food, parenting -> family, pets -> pet, photography -> art, "
        f"gardening -> outdoors). Top niche right for {sandbox['accuracy']:.3f} of them. The "
        "sandbox's words were written by the people who wrote the seed lexicons: a check of "
        "behaviour, not a measure of accuracy.",
        "",
        table([[k, v["niche"], v["people"], v["accuracy"], v["commonest_miss"]] for k, v in sandbox["per_niche"].items()],
              ["sandbox niche", "ours", "people", "top niche right", "commonest miss"]),
        "",
    ]


def write_report(report: dict, out: Path, classes: tuple[str, ...]) -> None:
    (out / "niches_report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    cv = report.get("cross_validation")
    lines = [
        f"# Niche model ({report['version']})",
        "",
        f"Data: {report['data']['accounts']} Instagram influencer accounts with "
        f"{report['data']['captions']} captions (1 to 8 each), labelled by niche by the dataset's "
        f"authors: {PAPER}. Read at training time only; research use.",
        "",
        "Features: display name and captions (no bios in this data; bios are read in scoring), "
        "cleaned by core.text, lower-cased; word 1-2 grams and byte 3-5 grams hashed into "
        f"2^{report['bits']} buckets each, each block L2-normalised. Model: class-balanced "
        "one-vs-rest L2 logistic regressions fitted by averaged SGD (10 epochs), probabilities "
        "normalised to sum to 1; weights stored as int8 with a power-of-two scale per niche.",
        "",
        *weak_label_lines(report["weak_labels"]),
    ]
    if cv:
        lines += [
            "## Nested cross-validation",
            "",
            f"Outer {cv['outer_folds']} stratified folds over accounts (one row per account, so "
            f"grouped by account); inside each, the L2 strength alpha from {cv['grid']} by {cv['inner_folds']}-fold "
            "inner CV on log-loss over that fold's training part only.",
            "",
            "Chosen per outer fold: " + ", ".join(f"fold {c['fold']}: alpha={c['alpha']}" for c in cv["chosen"]),
            "",
            "### All sixteen niches (the seed niches against their seed labels)",
            "",
            "The seed niches' figures here are agreement with the lexicon rule on text that still "
            "holds the seed words, so they flatter the model; the seed-free figures below do not.",
            "",
            metrics_markdown(cv["metrics"], classes),
            "",
            "### The data's nine labels (its authors', no seed labels)",
            "",
            "The same out-of-fold probabilities with every seed niche folded into `other`, against "
            "the labels of the data itself: comparable with niches-v1's nested CV (macro-F1 0.519).",
            "",
            metrics_markdown(cv["data_niches"], tuple(cv["data_niches"]["per_niche"])),
            "",
            *seed_free_lines(cv["seed_free"]),
        ]
    lines += [
        "## Final model",
        "",
        f"alpha = {report['final']['alpha']} chosen by {report['final']['folds']}-fold CV on all accounts; "
        f"training took {report['seconds']:.0f} s in total on this machine.",
        "",
        "Example scores (made-up profiles; tests check the packaged weights reproduce them):",
        "",
        table([[e["text"][:60], e["niches"].replace("|", "\\|")] for e in report["examples"]], ["text", "niches"]),
        "",
        *sandbox_lines(report["sandbox"]),
    ]
    (out / "niches_report.md").write_text("\n".join(lines))
