"""Ad-network suspicion: a creator whose recent posts are near-copies of posts by other creators
(accounts paid to post a creative they did not make), together with the sponsored share.

Texts are cleaned and folded (``transforms._text``, the vectorised core.text cleaner), cut into
word shingles and compared by MinHash/LSH (``datasketch``), so the cost grows with the posts, not
with their pairs.
Posts carry no thumbnail, so image matches are not made. Template-like short captions are
common among real creators, so a post needs MIN_WORDS words to be compared at all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from datasketch import MinHash, MinHashLSH

from transforms._text import clean_text, fold
from transforms.authenticity.records import by_severity, flag_frame, fmt

SHINGLE_WORDS = 3
MIN_WORDS = 12
NUM_PERM = 64
#: Estimated Jaccard similarity of the shingles at which two posts are the same creative.
SIMILARITY = 0.8
#: Flagged with at least MIN_SHARED such posts making SHARED_SHARE of the creator's texts;
#: shared captions alone are low (templates and reposting culture share them too); with a sponsored
#: share of SPONSORED_MIN medium, and high when MANY_CREATORS others post them as well.
MIN_SHARED = 2
SHARED_SHARE = 0.25
SPONSORED_MIN = 0.2
MANY_CREATORS = 3


def _shingles(texts: pd.Series) -> list[set[bytes]]:
    """Word shingles of each text: lower-case, ascii-folded, words of letters and digits."""
    words = fold(clean_text(texts)).str.lower().str.replace("https?://[^ ]+|[^a-z0-9 ]", " ", regex=True)
    out: list[set[bytes]] = []
    for text in words.fillna("").tolist():
        w = text.split()
        out.append({" ".join(w[i:i + SHINGLE_WORDS]).encode() for i in range(len(w) - SHINGLE_WORDS + 1)}
                   if len(w) >= MIN_WORDS else set())
    return out


def shared_captions(
    creators: pd.DataFrame, posts: pd.DataFrame, pos: np.ndarray, sample: np.ndarray,
    sponsored_share: np.ndarray, peers: pd.DataFrame | None,
) -> pd.DataFrame:
    """ad_network flags for the creators, comparing their sampled posts with each other's and with
    ``peers`` (platform, creator_id, text: other creators' recent posts in the warehouse)."""
    n = len(creators)
    own_key = creators["platform"].astype(str).to_numpy() + "\x1f" + creators["creator_id"].astype(str).to_numpy()
    mine = pd.DataFrame({"owner": own_key[pos[sample]], "row": pos[sample], "text": posts["text"].to_numpy()[sample]})
    if peers is not None and not peers.empty:
        peer_key = peers["platform"].astype(str).to_numpy() + "\x1f" + peers["creator_id"].astype(str).to_numpy()
        others = pd.DataFrame({"owner": peer_key, "row": -1, "text": peers["text"].to_numpy()})
        mine = pd.concat([mine, others[~np.isin(peer_key, own_key)]], ignore_index=True)
    corpus = mine.dropna(subset=["text"]).drop_duplicates(["owner", "text"], ignore_index=True)
    shingles = _shingles(corpus["text"])
    keep = np.flatnonzero([bool(s) for s in shingles])
    corpus = corpus.iloc[keep].reset_index(drop=True)
    hashes = list(MinHash.bulk([shingles[i] for i in keep], num_perm=NUM_PERM))
    lsh = MinHashLSH(threshold=SIMILARITY, num_perm=NUM_PERM)
    with lsh.insertion_session() as session:
        for i, h in enumerate(hashes):
            session.insert(i, h)
    owners, rows = corpus["owner"].to_numpy(), corpus["row"].to_numpy()
    judged = np.bincount(rows[rows >= 0], minlength=n)
    shared = np.zeros(n, dtype=np.int64)
    copied_by: list[set[str]] = [set() for _ in range(n)]
    for i in np.flatnonzero(rows >= 0):
        others = {owners[j] for j in lsh.query(hashes[i])
                  if owners[j] != owners[i] and hashes[i].jaccard(hashes[j]) >= SIMILARITY}
        if others:
            shared[rows[i]] += 1
            copied_by[rows[i]] |= others
    n_others = np.array([len(s) for s in copied_by], dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(judged > 0, shared / np.maximum(judged, 1), np.nan)
    flagged = (shared >= MIN_SHARED) & (share >= SHARED_SHARE)
    sponsored = np.nan_to_num(sponsored_share, nan=0.0)
    paid = flagged & (sponsored >= SPONSORED_MIN)
    severity = by_severity(paid & (n_others >= MANY_CREATORS), paid, flagged)
    r = np.flatnonzero(flagged)
    evidence = (fmt(shared[r], ".0f") + " of " + fmt(judged[r], ".0f") + " recent posts near-identical to posts by "
                + fmt(n_others[r], ".0f") + " other creators; " + fmt(100 * sponsored[r], ".0f") + "% sponsored")
    return flag_frame(r, "ad_network", severity[r], share[r], SHARED_SHARE, evidence.to_numpy())
