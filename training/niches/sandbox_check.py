"""The niche model on the sandbox's own creators: a universe generated in-process, each
person's sandbox niche mapped to ours, and how often the model's top niche is that one.

The sandbox's word lists were written by people who also wrote the seed lexicons, so this is a
check that the niches behave on the platforms' shapes (name, bio, recent posts), not a measure
of accuracy on real creators.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from sandbox import build_universe
from transforms.niches import POSTS_PER_CREATOR, NicheModel, niche_documents

#: Sandbox niche (sandbox/data/niches.json) -> ours. Gardening is outdoors: growing things
#: outside (beds, allotments); houseplants and decor would be interior.
SANDBOX_NICHES = {
    "baking": "food", "vegan food": "food", "fitness": "fitness", "travel": "travel",
    "gaming": "gaming", "fashion": "fashion", "beauty": "beauty", "tech": "tech",
    "gardening": "outdoors", "parenting": "family", "books": "books", "photography": "art",
    "music": "music", "pets": "pet",
}
CREATORS = 2000
SEED = 7


def sandbox_documents(creators: int = CREATORS, seed: int = SEED) -> tuple[pd.Series, np.ndarray]:
    """One niche document per sandbox person (name, bio, newest posts) and its sandbox niche."""
    universe = build_universe(creators, seed=seed)
    people = [c for c in universe.creators if c.kind == "person"]
    posts = [(i, p.text) for i, c in enumerate(people) for p in universe.posts_for(c, POSTS_PER_CREATOR)]
    docs = niche_documents(pd.Series([c.display_name for c in people], dtype="string"),
                           pd.Series([c.bio for c in people], dtype="string"),
                           pd.Series([t for _, t in posts], dtype="string"),
                           np.array([i for i, _ in posts], dtype=np.int64))
    return docs, np.array([c.niche for c in people], dtype=object)


def sandbox_accuracy(model: NicheModel, creators: int = CREATORS, seed: int = SEED) -> dict:
    """Per sandbox niche: people, our niche, share whose top niche is it, and the commonest miss."""
    docs, truth = sandbox_documents(creators, seed)
    predicted = np.asarray(model.classes, dtype=object)[np.nanargmax(model.probabilities(docs), axis=1)]
    per = {}
    for niche in sorted(set(truth)):
        rows = truth == niche
        ours = SANDBOX_NICHES[niche]
        misses = Counter(predicted[rows & (predicted != ours)]).most_common(1)
        per[niche] = {"niche": ours, "people": int(rows.sum()),
                      "accuracy": round(float((predicted[rows] == ours).mean()), 3),
                      "commonest_miss": f"{misses[0][0]} ({misses[0][1]})" if misses else ""}
    expected = np.array([SANDBOX_NICHES[t] for t in truth], dtype=object)
    return {"creators": creators, "seed": seed, "people": len(truth),
            "accuracy": round(float((predicted == expected).mean()), 3), "per_niche": per}
