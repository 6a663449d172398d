"""Campaign fit measured on labelled creators: how many of a brief's (or a lookalike search's)
top matches really post about the niche asked for.

Every creator's niche probabilities come from a niche model that never saw that creator (the
outer folds of training/niches' nested CV), so a creator's own label never helps it rank. The
content vectors likewise: the LSA (training/content/) is refitted inside each outer fold, and a
fold's creators are ranked against a brief (or seeds) read by their own fold's LSA, the rankings
of the folds merged by fit_score. The brief's own niche reading uses the packaged model: it
reads the brief, not a creator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from core.brief import Brief
from training.content.fit import fit_content_model
from training.cv import FOLDS, JOBS, folds
from training.markdown import table
from training.niches.fit import nested_cv, replay_outer_cv
from training.niches.report import multiclass_metrics
from transforms.content import text_profile
from transforms.content_model import CONTENT_VERSION, ContentModel
from transforms.fit import FIT_VERSION, rank_fit
from transforms.frames import INT
from transforms.niches import NICHES, document_words, top_niches
from transforms.vectors import as_vectors

TOP_K = 50
SEEDS_PER_SEARCH = 3
SEARCHES = 10  # lookalike searches per niche, each from its own random seeds

# One brief per niche, in a marketer's words. Written before any result was seen and never
# tuned to the data: changing one changes what is measured, so say so in the report.
BRIEFS = {
    "beauty": "Indie skincare brand launching a vitamin C serum: creators who share their skincare "
              "routine, makeup looks and honest product reviews.",
    "family": "Organic baby food startup: parents who share everyday family life with their kids, "
              "toddlers and babies.",
    "fashion": "Sustainable clothing label: creators who post their outfits, style their looks and "
               "share what they wear every day.",
    "fitness": "Plant-based protein powder brand: creators who train at the gym, post their workouts "
               "and talk about healthy routines.",
    "food": "Small olive oil producer from Crete: creators who cook at home and share recipes.",
    "interior": "Handmade ceramics and home decor shop: creators who decorate their homes and share "
                "interior design ideas.",
    "pet": "Natural dog and cat treats brand: creators who post about their dogs, cats and life "
           "with pets.",
    "travel": "Boutique hotel group on the Portuguese coast: creators who travel, explore new "
              "destinations and share travel tips.",
}


def precision_at_k(ranked_labels: np.ndarray, target: int, k: int = TOP_K) -> float:
    """Share of the first ``k`` ranked labels equal to ``target`` (of all of them when fewer)."""
    top = np.asarray(ranked_labels)[:k]
    return float(np.mean(top == target)) if len(top) else float("nan")


def out_of_fold_niche_probs(X: sparse.csr_matrix, y: np.ndarray, seed: int,
                            chosen: list[dict] | None = None, jobs: int = JOBS) -> np.ndarray:
    """Each row's niche probabilities from the outer-fold model blind to it: the nested CV run
    again, or (``chosen``: the alphas its inner searches picked, from the model report) its
    outer folds replayed with them, which gives the same probabilities in far less time."""
    if chosen is None:
        p, _ = nested_cv(X, y, len(NICHES), seed, jobs)
    else:
        p, _ = replay_outer_cv(X, y, len(NICHES), seed, chosen)
    return p


@dataclass(frozen=True, eq=False)
class FoldContent:
    """One outer fold: its rows, the content model fitted on the other folds' documents only,
    and every creator's vector under that model (a fold's own rows are unseen by it)."""

    rows: np.ndarray
    model: ContentModel
    vectors: np.ndarray


def out_of_fold_content(docs: pd.Series, y: np.ndarray, seed: int, max_df: float, bigrams: bool) -> list[FoldContent]:
    """The niche model's outer folds (same seed, same rows), each with its own content model."""
    docs = docs.fillna("").reset_index(drop=True)
    words = document_words(docs)
    out = []
    for tr, te in folds(y, y, FOLDS, seed):
        model, _ = fit_content_model(docs.iloc[tr], max_df, bigrams=bigrams)
        out.append(FoldContent(te, model, model.vectors(*words, len(docs))))
    return out


def rank_by_fold(creators: pd.DataFrame, brief: Brief, seeds: pd.DataFrame | None,
                 content: list[FoldContent]) -> pd.DataFrame:
    """rank_fit of each fold's creators with that fold's vectors and model (seeds' vectors too),
    merged by fit_score (ties: the input order) and ranked again; ``text_cosine`` adds the
    brief-to-creator cosine behind fit_text, unclipped, so the words part ranks without ties."""
    parts = []
    for fold in content:
        with_vectors = creators.assign(content_vector=as_vectors(fold.vectors, creators.index))
        fold_seeds = with_vectors.loc[seeds.index] if seeds is not None else None
        ranked = rank_fit(with_vectors.iloc[fold.rows], brief, fold_seeds, content=fold.model)
        _, brief_vector = text_profile(brief.text, fold.model) if brief.text.strip() else (None, None)
        cosine = (fold.vectors[creators.index.get_indexer(ranked.index)] @ brief_vector
                  if brief_vector is not None else np.full(len(ranked), np.nan))
        parts.append(ranked.assign(text_cosine=cosine))
    merged = pd.concat(parts)
    position = creators.index.get_indexer(merged.index)
    merged = merged.iloc[np.lexsort((position, -merged["fit_score"].to_numpy(dtype=float, na_value=-1.0)))]
    return merged.assign(fit_rank=pd.array(np.arange(1, len(merged) + 1), dtype=INT))


def with_niche_probs(profile: pd.DataFrame, p: np.ndarray) -> pd.DataFrame:
    """``profile`` (content_profile's columns) with niche_probs, niches and niche from ``p``."""
    top = top_niches(p, NICHES).set_index(profile.index)
    return profile.assign(niche_probs=as_vectors(p, profile.index), niches=top["niches"], niche=top["niche"])


def _ranked_labels(ranked: pd.DataFrame, y: np.ndarray, by: str = "fit_rank") -> np.ndarray:
    """The labels of ``ranked``'s rows (index = row of ``y``) in the order of column ``by``
    (fit_rank ascending, a component descending; ties keep rank_fit's order)."""
    ordered = ranked if by == "fit_rank" else ranked.sort_values(by, ascending=False, kind="stable",
                                                                  na_position="last")
    return y[ordered.index.to_numpy()]


def brief_precision(creators: pd.DataFrame, y: np.ndarray, content: list[FoldContent]) -> list[dict]:
    """Per brief: precision@TOP_K of the full fit_score, of its niche part and of its words
    part alone (the cosine behind fit_text), against the niche's base rate; ranked by fold."""
    rows = []
    for niche, text in BRIEFS.items():
        target = NICHES.index(niche)
        ranked = rank_by_fold(creators, Brief(text=text, name=f"eval-{niche}"), None, content)
        rows.append({"niche": niche, "brief": text, "base_rate": float(np.mean(y == target)),
                     **{name: precision_at_k(_ranked_labels(ranked, y, by), target)
                        for name, by in (("precision", "fit_rank"), ("niche_part", "fit_niche"),
                                         ("words_part", "text_cosine"))}})
    return rows


def seed_draws(y: np.ndarray, target: int, rng: np.random.Generator,
               searches: int = SEARCHES, per_search: int = SEEDS_PER_SEARCH) -> list[np.ndarray]:
    """``searches`` sets of ``per_search`` distinct rows labelled ``target``."""
    members = np.flatnonzero(y == target)
    return [np.sort(rng.choice(members, per_search, replace=False)) for _ in range(searches)]


def lookalike_precision(creators: pd.DataFrame, y: np.ndarray, seed: int, searches: int = SEARCHES,
                        content: list[FoldContent] | None = None) -> list[dict]:
    """Per niche (other included; one with no more creators than seeds is skipped):
    precision@TOP_K of same-niche creators among the non-seeds ranked by rank_fit from seeds
    alone (an empty brief text), over ``searches`` seed draws; by fold (rank_by_fold) when
    ``content`` is given, else with the creators' own vectors."""
    rng = np.random.default_rng(seed)
    empty = Brief(text="", name="eval-lookalike")
    rows = []
    for target, niche in enumerate(NICHES):
        if np.sum(y == target) <= SEEDS_PER_SEARCH:
            continue
        scores = []
        for seeds in seed_draws(y, target, rng, searches):
            ranked = (rank_by_fold(creators, empty, creators.loc[seeds], content) if content is not None
                      else rank_fit(creators, empty, seeds=creators.loc[seeds]))
            ranked = ranked[~ranked.index.isin(seeds)]
            scores.append(precision_at_k(_ranked_labels(ranked, y), target))
        same = int(np.sum(y == target)) - SEEDS_PER_SEARCH
        rows.append({"niche": niche, "base_rate": same / (len(y) - SEEDS_PER_SEARCH),
                     "mean": float(np.mean(scores)), "sd": float(np.std(scores, ddof=1)) if searches > 1 else 0.0,
                     "min": float(np.min(scores)), "max": float(np.max(scores))})
    return rows


def _f(x: float) -> str:
    return f"{x:.2f}"


def _mean(rows: list[dict], key: str) -> str:
    return _f(float(np.mean([r[key] for r in rows])))


def briefs_markdown(rows: list[dict]) -> str:
    return table([[r["niche"], r["brief"], _f(r["base_rate"]), f"**{_f(r['precision'])}**",
                   f"{r['precision'] / r['base_rate']:.1f}x", _f(r["niche_part"]), _f(r["words_part"])]
                  for r in rows],
                 ["niche", "brief (as written, untuned)", "base rate", f"precision@{TOP_K}", "lift",
                  "niche part alone", "words part alone"])


def lookalikes_markdown(rows: list[dict]) -> str:
    return table([[r["niche"], _f(r["base_rate"]), f"**{_f(r['mean'])}**", _f(r["sd"]),
                   f"{_f(r['min'])}-{_f(r['max'])}", f"{r['mean'] / r['base_rate']:.1f}x"] for r in rows],
                 ["niche", "base rate", f"mean precision@{TOP_K}", "sd", "min-max", "lift"])


def seed_rule_effect(data_y: np.ndarray, data_niches: tuple[str, ...], without: np.ndarray, with_rule: np.ndarray,
                     picked: np.ndarray, fold_to_data: Callable[[np.ndarray], np.ndarray]) -> dict:
    """What the seed rule changes on the data's own labels: how often it fires (by label), and
    macro-F1 and accuracy over the data's niches without and with it."""
    before = multiclass_metrics(data_y, fold_to_data(without), data_niches)
    after = multiclass_metrics(data_y, fold_to_data(with_rule), data_niches)
    fired = picked >= 0
    return {"fired": int(fired.sum()),
            "fired_by_label": {n: int((fired & (data_y == j)).sum()) for j, n in enumerate(data_niches)},
            "nine_without": before["macro_f1"], "nine_with": after["macro_f1"],
            "accuracy_without": before["accuracy"], "accuracy_with": after["accuracy"]}


def report_markdown(*, accounts: int, captions: int, nested: bool, niche_macro_f1: float, report_macro_f1: float,
                    briefs: list[dict], lookalikes: list[dict], searches: int, lookalike_seed: int,
                    content_model: dict, seed_rule: dict, seconds: dict[str, int]) -> str:
    """docs/fit-report.md: what was measured, how, the figures and what the data could not say."""
    how = ("rerun here in full" if nested else
           "replayed here from the alphas its inner searches chose (recorded in the model report)")
    same = ("the same as the model report's" if niche_macro_f1 == report_macro_f1 else
            f"**not** the model report's {report_macro_f1}: the report is out of date; retrain")
    return "\n".join([
        f"# Campaign fit, measured ({FIT_VERSION})",
        "",
        "Generated by `bench/eval_fit.py` (`make eval-fit`); do not edit by hand. Data: "
        f"{accounts:,} Instagram creators labelled by niche, with {captions:,} captions (1 to 8 each): "
        "`creator_topics_dev.csv` and `instagram_posts_dev.csv` (Kim, Jiang, Nakada, Han and Wang, "
        '"Multimodal Post Attentive Profiling for Influencer Marketing", WWW 2020), read at run time '
        "only; research use.",
        "",
        "## Niche model",
        "",
        f"Nested cross-validation (5 outer folds; in each, the L2 strength by 4-fold inner CV on its "
        f"training part only), over its {len(NICHES)} niches (the seed niches against their seed labels, "
        f"training/niches/seeds.py): **macro-F1 {niche_macro_f1:.3f}**; the data's own nine labels, and "
        "how far the seed niches are learned beyond their seed words, are in the model report. Briefs "
        "and lookalikes below are judged by the data's own labels. Per-niche precision and recall, the "
        "confusion matrix and calibration: [the model report](../transforms/models/niches_report.md). "
        f"The outer folds' predictions were {how}; their macro-F1 is {same}. These out-of-fold "
        "probabilities, with the seed lexicons' rule applied as scoring applies it, are every "
        "creator's `niche_probs` below: no creator is ranked by a model that saw it or its label.",
        "",
        "### The seed lexicons' rule at scoring time",
        "",
        "`transforms/niche_seeds.py` mixes a document's probabilities half and half with a seed niche "
        "when the lexicons' labelling rule picks one. On these out-of-fold readings it fires for "
        f"{seed_rule['fired']:,} of {accounts:,} accounts; by the data's label: "
        + ", ".join(f"{k} {v}" for k, v in seed_rule["fired_by_label"].items()) + ". Over the data's "
        "nine labels (the seed niches folded into `other`), macro-F1 "
        f"{seed_rule['nine_without']:.3f} without the rule and {seed_rule['nine_with']:.3f} with it "
        f"(accuracy {seed_rule['accuracy_without']:.3f} and {seed_rule['accuracy_with']:.3f}): what the "
        "rule costs on accounts whose labels are not its niches.",
        "",
        f"## Content vectors ({CONTENT_VERSION})",
        "",
        "The LSA behind `content_vector` ([its report](../transforms/models/content_report.md)) is "
        "refitted here inside each of the same outer folds, on that fold's training creators only, with "
        "the shipped model's vocabulary settings. A fold's creators get their vectors from their fold's "
        "model and are ranked against the brief (or the seeds) read by that same model: vectors of two "
        "models are not comparable. The folds' rankings are merged by `fit_score`. No ranked creator's "
        "words shaped the vectors it is ranked by (the seeds' words may have: they are the query). "
        f"The shipped model (all {content_model['documents']:,} creators): {content_model['terms']:,} terms "
        f"(at most {content_model['max_df']:.0%} of documents, at least {content_model['min_df']}), word pairs "
        f"{'kept' if content_model['bigrams'] else 'left out'}; its 64 dimensions explain "
        f"{content_model['explained_variance']:.1%} of the TF-IDF variance.",
        "",
        f"## Briefs: precision of the top {TOP_K}",
        "",
        f"One brief per niche in a marketer's plain words, written before any result and not tuned "
        f"since, ranked with `rank_fit` over all {accounts:,} creators. Precision@{TOP_K} is the share "
        f"of the {TOP_K} best-ranked whose labelled niche is the brief's; the base rate is the niche's "
        "share of all creators (what a random list would get), the lift their ratio. The last two "
        "columns rank by one part of the score alone: `fit_niche` (the brief's niche probabilities "
        "against the creator's) and `fit_text` (ranked by the cosine of the content vectors behind it, "
        "unclipped, so that creators at fit_text 1 are not ordered by the rest of the score). `other` gets no "
        "brief: it is the data's catch-all, not something a brand asks for.",
        "",
        briefs_markdown(briefs),
        "",
        f"Mean over the {len(briefs)} briefs: precision@{TOP_K} {_mean(briefs, 'precision')} (base rate "
        f"{_mean(briefs, 'base_rate')}); niche part alone {_mean(briefs, 'niche_part')}; words part alone "
        f"{_mean(briefs, 'words_part')}.",
        "",
        "What this does not measure: the dev data has no bios and no authenticity score, and its "
        "labels say nothing of quality (an engagement rate could be derived from its likes, comments "
        "and followers, but no label could judge it), and the briefs name no language. So "
        "`fit_quality` and `fit_language` are unknown for every row (left out of the score, as fit-v1 "
        "does for any unknown part) and the collaboration-stance filter has nothing to read: these "
        "are the figures of content fit alone (`fit_niche` and `fit_text`). The brief's own niche "
        "reading uses the packaged niche model (trained on all these creators); it reads the brief's "
        "words, never a creator's.",
        "",
        f"## Lookalikes: precision of the top {TOP_K}",
        "",
        f"For each niche, {searches} searches, each seeded with {SEEDS_PER_SEARCH} random creators of "
        f"that niche (numpy seed {lookalike_seed}) and no brief text, so the score is `fit_like` "
        "alone (content vector, niche probabilities and audience size against the seeds'). "
        f"Precision@{TOP_K}: the share of same-niche creators among the {TOP_K} best-ranked "
        "non-seeds; mean, standard deviation and range across the searches; base rate among the "
        "non-seeds.",
        "",
        lookalikes_markdown(lookalikes),
        "",
        f"Mean over the {len(lookalikes)} niches: precision@{TOP_K} {_mean(lookalikes, 'mean')} (base rate "
        f"{_mean(lookalikes, 'base_rate')}).",
        "",
        "## Collaboration stance and `collab_kind`",
        "",
        "Measured by `bench/eval_collab.py` against Instagram's own paid-partnership tag and the "
        "disclosed-ad hashtags; the figures are in the README's Collaboration stance section.",
        "",
        "## Runtime",
        "",
        table([[k, v] for k, v in seconds.items()], ["step", "seconds"]),
        "",
    ])
