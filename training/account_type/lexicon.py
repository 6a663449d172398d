"""The first-name lexicon the model reads names against, built at training time."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from transforms import account_features as af

LEXICON_MIN_SOURCES = 3  # national name lists that know the name
LEXICON_MIN_COUNT = 50  # people carrying it across those lists
# Names that are also words pages put in their names ("Art Daily", "Hope Foundation"): left
# out, as in training/first_names.py.
LEXICON_EXCLUDE = frozenset({
    "grace", "hope", "joy", "may", "will", "mark", "art", "rose", "sky", "summer", "star",
    "sunny", "crystal", "bill", "faith", "love", "happy", "royal", "pure", "best", "king",
    "queen", "prince", "princess", "angel", "baby", "honey", "lucky", "rich", "young",
    "golden", "silver", "london", "paris", "city", "world", "news", "daily", "media", "music",
    "team", "club", "sport", "sports", "the", "and", "our", "your", "free", "new", "big",
    "little", "real", "true", "my",
})


def nomquamgender_names() -> dict[str, tuple[int, int]]:
    """name -> (sources, count) from the nomquamgender package's data file (MIT licence).

    Read as a file, without importing the package (its code pulls in unidecode, GPL).
    """
    import importlib.util

    spec = importlib.util.find_spec("nomquamgender")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("the name lexicon needs nomquamgender==0.1.4 at training time: "
                         "pip install nomquamgender==0.1.4 (or pass --names builtin)")
    path = Path(next(iter(spec.submodule_search_locations))) / "name_data.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: (int(v[0]), int(v[1])) for k, v in data.items()}


def build_lexicon(source: str = "nomquamgender", *, min_sources: int = LEXICON_MIN_SOURCES,
                  min_count: int = LEXICON_MIN_COUNT) -> tuple[af.Lexicon, dict]:
    """Given names (lowercase ASCII letters) with strength = how common, on a log scale.

    "builtin" is training/first_names.py alone; "nomquamgender" adds the package's
    international list (names known to >= min_sources national lists, >= min_count people).
    The hand-written list is always included.
    """
    from training.first_names import FIRST_NAMES, FIRST_NAMES_VERSION
    from transforms.account_words import PAGE_WORDS

    page_words = {w for ws in PAGE_WORDS.values() for w in ws if w.isalpha()}
    exclude = LEXICON_EXCLUDE | page_words
    strength: dict[str, float] = {n: 0.6 for n in FIRST_NAMES}
    info = {"source": source, "builtin": FIRST_NAMES_VERSION}
    if source == "nomquamgender":
        for name, (n_sources, count) in nomquamgender_names().items():
            if (n_sources >= min_sources and count >= min_count and name.isascii()
                    and name.isalpha() and len(name) >= 2):
                s = float(np.clip(np.log10(count) / 6.0, 0.2, 1.0))
                strength[name] = max(strength.get(name, 0.0), round(s, 2))
        info.update(package="nomquamgender==0.1.4", licence="MIT",
                    min_sources=min_sources, min_count=min_count)
    for word in exclude:
        strength.pop(word, None)
    names = np.array(sorted(strength), dtype=str)
    info["names"] = len(names)
    return af.Lexicon(names, np.array([strength[n] for n in names], dtype=np.float32)), info

