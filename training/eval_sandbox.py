"""Score the synthetic sandbox universe and compare with its ground-truth kinds.

    python -m training.eval_sandbox --creators 3000 --seed 1

The sandbox (sandbox) is our own generated world, so this measures whether the
model and the page-kind rule behave on the platforms' shapes (Bluesky/Mastodon profiles plus
recent posts), and how well pages are sorted into meme/facts/animal/brand/news/repost/fan.
It is not comparable to the real-data figure: the sandbox was written by people who also
wrote the word lists. The frames are built as the pipeline builds them and go through the
same steps as transforms.score.score_creators (normalise, engagement, post signals, account
type), with the model passed in so a fresh fit can be judged before it is packaged.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime

import numpy as np
import pandas as pd

from sandbox import build_universe
from training.markdown import table
from transforms._keys import creator_positions
from transforms.account_model import AccountModel, load_model
from transforms.account_type import (
    ACCOUNT_TYPES,
    PAGE_KINDS,
    post_signals_from_positions,
    score_with_model,
)
from transforms.engagement import (
    DEFAULT_FORMULA,
    DEFAULT_LAST_N,
    engagement_from_positions,
)
from transforms.frames import POST_DTYPES, PROFILE_DTYPES, conform
from transforms.normalize import normalize_posts, normalize_profiles

POSTS_PER_CREATOR = 30
KINDS = ("person", *PAGE_KINDS)


def sandbox_frames(creators: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray,
                                                      datetime]:
    """Profiles and recent posts of a seeded universe, and each creator's true kind."""
    u = build_universe(creators, seed=seed)
    now = u.now
    profiles = pd.DataFrame([{
        "platform": c.platform, "creator_id": c.creator_id, "handle": c.handle,
        "display_name": c.display_name, "bio": c.bio, "followers": c.followers,
        "following": c.following, "posts_count": c.posts_count, "is_bot": c.is_bot,
        "observed_at": now,
    } for c in u.creators])
    posts = pd.DataFrame([{
        "platform": c.platform, "post_id": f"{c.creator_id}/{p.id}", "creator_id": c.creator_id,
        "published_at": p.created_at, "text": p.text, "likes": p.likes, "comments": p.replies,
        "shares": p.reposts, "is_repost": p.is_repost, "is_sponsored": p.is_sponsored,
        "observed_at": now,
    } for c in u.creators for p in u.posts_for(c, POSTS_PER_CREATOR)])
    kinds = np.array([c.kind for c in u.creators], dtype=object)
    return conform(profiles, PROFILE_DTYPES), conform(posts, POST_DTYPES), kinds, now


def score_frames(profiles: pd.DataFrame, posts: pd.DataFrame, now: datetime,
                 model: AccountModel) -> pd.DataFrame:
    """account_type per creator, by the steps score_creators takes (same order as profiles)."""
    creators = normalize_profiles(profiles)
    clean_posts = normalize_posts(posts)
    pos = creator_positions(creators, clean_posts)
    metrics = engagement_from_positions(creators, clean_posts, pos, now=now,
                                        formula=DEFAULT_FORMULA, last_n=DEFAULT_LAST_N)
    shares = post_signals_from_positions(clean_posts, pos, len(creators))
    features = creators.assign(
        posts_per_week=metrics["posts_per_week"], repost_share=metrics["repost_share"],
        credit_share=shares["credit_share"],
        first_person_post_share=shares["first_person_post_share"])
    out = score_with_model(features, model, assume_clean=True)
    return out.assign(creator_id=creators["creator_id"].to_numpy(),
                      platform=creators["platform"].to_numpy())


def kind_metrics(truth: np.ndarray, predicted: np.ndarray) -> dict:
    """Person-vs-page accuracy and F1, and per-kind precision/recall over the 8 true kinds."""
    is_person, said_person = truth == "person", predicted == "person"
    tp = int((is_person & said_person).sum())
    p_prec = tp / max(int(said_person.sum()), 1)
    p_rec = tp / max(int(is_person.sum()), 1)
    page_tp = int((~is_person & ~said_person).sum())
    pg_prec = page_tp / max(int((~said_person).sum()), 1)
    pg_rec = page_tp / max(int((~is_person).sum()), 1)

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    per_kind = {}
    for k in KINDS:
        hit = int(((truth == k) & (predicted == k)).sum())
        per_kind[k] = {"precision": round(hit / max(int((predicted == k).sum()), 1), 4),
                       "recall": round(hit / max(int((truth == k).sum()), 1), 4),
                       "support": int((truth == k).sum()), "predicted": int((predicted == k).sum())}
    confusion = {k: {t: int(((truth == k) & (predicted == t)).sum()) for t in ACCOUNT_TYPES}
                 for k in KINDS}
    pages = ~is_person
    return {
        "n": len(truth),
        "person_vs_page_accuracy": round(float((is_person == said_person).mean()), 4),
        "person_vs_page_macro_f1": round((f1(p_prec, p_rec) + f1(pg_prec, pg_rec)) / 2, 4),
        "person": {"precision": round(p_prec, 4), "recall": round(p_rec, 4)},
        "page": {"precision": round(pg_prec, 4), "recall": round(pg_rec, 4)},
        "page_kind_accuracy_on_pages_called_pages": round(float(
            (truth[pages & ~said_person] == predicted[pages & ~said_person]).mean()), 4)
        if (pages & ~said_person).any() else None,
        "per_kind": per_kind,
        "confusion": confusion,
    }


def evaluate_sandbox(creators: int = 3000, seed: int = 1, model: AccountModel | None = None
                     ) -> dict:
    profiles, posts, kinds, now = sandbox_frames(creators, seed)
    scored = score_frames(profiles, posts, now, model or load_model())
    order = pd.Index(scored["creator_id"]).get_indexer(profiles["creator_id"].to_numpy())
    predicted = scored["account_type"].to_numpy(dtype=object)[order]
    out = kind_metrics(kinds, predicted)
    out.update(creators=creators, seed=seed, posts_per_creator=POSTS_PER_CREATOR)
    return out


def sandbox_markdown(m: dict) -> str:
    """The report section; its heading keeps it apart from the real-data figure."""
    return "\n".join([
        "## Sandbox (synthetic) — not comparable to the real-data figure",
        "",
        (f"`build_universe({m['creators']}, seed={m['seed']})`, {m['posts_per_creator']} "
         "recent posts per creator, scored through the pipeline's steps (normalise, "
         "engagement, post signals, account type). Ground truth is the generator's `kind`."),
        "",
        (f"Person vs page: accuracy **{m['person_vs_page_accuracy']:.3f}**, macro-F1 "
         f"{m['person_vs_page_macro_f1']:.3f} (person P {m['person']['precision']:.3f} / R "
         f"{m['person']['recall']:.3f}; page P {m['page']['precision']:.3f} / R "
         f"{m['page']['recall']:.3f}). Kind right for pages called pages: "
         f"{m['page_kind_accuracy_on_pages_called_pages']}."),
        "",
        table([[k, v["support"], v["predicted"], v["precision"], v["recall"]]
                for k, v in m["per_kind"].items()],
               ["kind", "true", "predicted", "precision", "recall"]),
        "",
        "Confusion (rows: true kind, columns: predicted account_type):",
        "",
        table([[k, *[row[t] for t in ACCOUNT_TYPES]] for k, row in m["confusion"].items()],
               ["true \\ predicted", *ACCOUNT_TYPES]),
    ])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--creators", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    m = evaluate_sandbox(args.creators, args.seed)
    print(sandbox_markdown(m))
    print(json.dumps({k: m[k] for k in ("person_vs_page_accuracy", "person_vs_page_macro_f1")}))


if __name__ == "__main__":
    main()
