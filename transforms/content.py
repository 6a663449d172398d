"""What a creator's text is about, in the forms a brief is matched against: the niche model's
probabilities, a 64-number content vector and the main language, all from one reading.

The words and word pairs are tokenised once (transforms.niches.document_words) and serve both
the niche model and the vector. The vector is the document's TF-IDF row times the LSA term
matrix of transforms/content_model.py (trained on real captions by training/content/), then
L2-normalised: two texts about the same thing get a high cosine even in different words, so a
brief's own words (``text_profile``) compare directly with a creator's. The training captions
are mostly English: other languages' words are in the vocabulary only as far as they occur there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from transforms._text import _arrow
from transforms.content_model import CONTENT_DIM, ContentModel, load_content_model
from transforms.frames import to_string
from transforms.language import main_language
from transforms.niches import (
    NICHES,
    document_words,
    load_niche_model,
    niche_documents,
    recent_posts,
    top_niches,
)
from transforms.row_blocks import in_row_blocks
from transforms.vectors import as_vectors

CONTENT_COLUMNS = ("niches", "niche", "niche_probs", "content_vector", "language")
#: Text read at once, in bytes (about 5,000 creators with a bio and 8 captions). Character n-grams
#: are the largest arrays of a rescore (about 3 per byte); in blocks this size their memory is
#: reused instead of faulted in afresh: a 10,000-creator chunk's content took 0.9 to 1.9 s of CPU
#: in one block and 0.6 to 0.9 s in two. Sized by bytes, not creators, so that short texts (names
#: and bios alone) are not cut into many small blocks, each paying the fixed cost of a call.
BLOCK_BYTES = 1_500_000


def content_profile(names: pd.Series, bios: pd.Series, post_texts: pd.Series,
                    post_owner: np.ndarray, content: ContentModel | None = None) -> pd.DataFrame:
    """Per creator row: ``niches`` and ``niche`` (as transforms.niches.top_niches words them),
    ``niche_probs`` (float32, one per NICHES, in that order), ``content_vector`` (CONTENT_DIM
    float32, unit length) and ``language`` (transforms.language). ``post_owner[i]`` is the
    creator row of post i, -1 to skip it. No text at all: every column NA/None (a text with no
    word in the vocabulary: content_vector None). The result has a fresh RangeIndex, one row per
    name in the input order. ``content``: the content model, the packaged one by default (an
    evaluation passes one that never saw the creators). A frame is read in blocks of about
    BLOCK_BYTES of text, a large one on worker threads (transforms/row_blocks.py)."""
    owner = np.asarray(post_owner)
    texts = post_texts.reset_index(drop=True)

    def block(start: int, stop: int) -> pd.DataFrame:
        mine = np.flatnonzero((owner >= start) & (owner < stop))
        return _content_block(names.iloc[start:stop], bios.iloc[start:stop], texts.iloc[mine],
                              owner[mine] - start, content).set_axis(pd.RangeIndex(start, stop))

    read = _text_bytes(names, bios, texts.iloc[np.flatnonzero(owner >= 0)])
    return in_row_blocks(len(names), block, max_rows=max(1, BLOCK_BYTES * len(names) // max(read, 1)))


def _text_bytes(*texts: pd.Series) -> int:
    """The UTF-8 bytes of all these texts together (NA: none)."""
    return sum(int(pc.sum(pc.binary_length(_arrow(to_string(t)))).as_py() or 0) for t in texts)


def _content_block(names: pd.Series, bios: pd.Series, post_texts: pd.Series, post_owner: np.ndarray,
                   content: ContentModel | None) -> pd.DataFrame:
    model = load_niche_model()
    content = content if content is not None else load_content_model()
    order = [model.classes.index(n) for n in NICHES]
    docs = niche_documents(names, bios, post_texts, post_owner)
    has = docs.notna().to_numpy()
    probs = np.full((len(docs), len(NICHES)), np.nan)
    vectors = np.full((len(docs), CONTENT_DIM), np.nan, dtype=np.float32)
    if has.any():
        words = document_words(docs[has])
        probs[has] = model.read(docs[has], words)[:, order]
        vectors[has] = content.vectors(*words, int(has.sum()))
    top = top_niches(probs, NICHES)
    return pd.DataFrame({
        "niches": top["niches"],
        "niche": top["niche"],
        "niche_probs": as_vectors(probs),
        "content_vector": as_vectors(vectors),
        "language": main_language(docs).reset_index(drop=True),
    })


def creator_content(creators: pd.DataFrame, posts: pd.DataFrame, pos: np.ndarray) -> pd.DataFrame:
    """content_profile of each creator row from its display name, bio and newest posts
    (``pos``: each post's creator row, as transforms._keys.creator_positions gives it)."""
    recent = recent_posts(posts["published_at"], pos)
    out = content_profile(creators["display_name"], creators["bio"], posts["text"], recent)
    return out.set_index(creators.index)


def text_profile(text: str, content: ContentModel | None = None) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(niche_probs, content_vector) of one piece of text (a brief, a seed's words), comparable
    with content_profile's made with the same ``content`` model; (None, None) when there is
    nothing to read."""
    profile = content_profile(pd.Series([text]), pd.Series([None]), pd.Series([], dtype="string"),
                              np.zeros(0, dtype=np.int64), content)
    return profile.at[0, "niche_probs"], profile.at[0, "content_vector"]
